/*
 * kn-report: count proposals by any keys over a window of dates, find
 * the overdue ones, and write the weekly report (text, CSV, JSON,
 * Markdown, HTML) or the dialogue digest.
 */
#include <sys/ioctl.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"
#include "kn/render.h"
#include "kn/report.h"

#define MAX_WARNINGS 20	/* warnings shown one by one; then only counted */

enum {
	OPT_BY = KN_OPT_TOOL,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_WEEK,
	OPT_MONTH,
	OPT_LAST,
	OPT_AS_OF,
	OPT_OVERDUE,
	OPT_FORMAT,
	OPT_DIGEST,
	OPT_LANG,
	OPT_FIELDS,
	OPT_TITLE
};

static const struct option longopts[] = {
	{ "by",		required_argument,	NULL, OPT_BY },
	{ "since",	required_argument,	NULL, OPT_SINCE },
	{ "until",	required_argument,	NULL, OPT_UNTIL },
	{ "week",	required_argument,	NULL, OPT_WEEK },
	{ "month",	required_argument,	NULL, OPT_MONTH },
	{ "last",	required_argument,	NULL, OPT_LAST },
	{ "as-of",	required_argument,	NULL, OPT_AS_OF },
	{ "overdue",	no_argument,		NULL, OPT_OVERDUE },
	{ "format",	required_argument,	NULL, OPT_FORMAT },
	{ "digest",	no_argument,		NULL, OPT_DIGEST },
	{ "lang",	required_argument,	NULL, OPT_LANG },
	{ "fields",	required_argument,	NULL, OPT_FIELDS },
	{ "title",	required_argument,	NULL, OPT_TITLE },
	KN_COMMON_LONGOPTS
};

static void
usage(FILE *fp)
{
	fputs("usage: kn-report [-hq] [-o file] [--as-of date] [--by keys] "
	    "[--digest]\n"
	    "                 [--fields file] [--format format] "
	    "[--lang vi|en]\n"
	    "                 [--last Nd] [--month YYYY-MM] [--overdue] "
	    "[--since date]\n"
	    "                 [--title text] [--until date] "
	    "[--week YYYY-Www]\n"
	    "                 [--delimiter c] [--encoding name] "
	    "[--from format]\n"
	    "                 [--max-field size] [--rejects file] "
	    "[--wait seconds]\n"
	    "                 [file ...]\n", fp);
}

static void
help(void)
{
	usage(stdout);
	fputs("\nCount proposals and write the report leadership reads.\n"
	    "  --by keys            count per group of these keys: field, "
	    "status, commune,\n"
	    "                       department, group, week, month, any "
	    "record key (default:\n"
	    "                       a summary by field, status, department, "
	    "overdue)\n"
	    "  --since, --until d   keep what was submitted in these days "
	    "(inclusive)\n"
	    "  --week YYYY-Www      one ISO week, Monday to Sunday\n"
	    "  --month YYYY-MM      one month\n"
	    "  --last Nd            the last N days (or Nw weeks) up to "
	    "--as-of\n"
	    "  --as-of date         the day of the report (default: today)\n"
	    "  --overdue            only records past due and not answered\n"
	    "  --format format      text, csv, json, md, html (default: text, "
	    "or as -o ends)\n"
	    "  --digest             the dialogue document: each distinct "
	    "problem, the\n"
	    "                       communes that raised it, its department "
	    "and answer\n"
	    "  --lang vi|en         language of labels (default: vi)\n"
	    "  --fields file        another field taxonomy "
	    "(code,label,label_en)\n"
	    "  --title text         the report's title\n"
	    "  -o file              write here (atomically) instead of "
	    "standard output\n"
	    "  --rejects file       malformed input records, as JSON Lines\n"
	    "\nexample:\n"
	    "  kn-report --week 2025-W40 -o reports/2025-W40.html "
	    "ledger.jsonl\n"
	    "\nSee kn-report(1) and kiennghi(7).\n", stdout);
}

/* The window options, applied once --as-of is known. */
struct window_arg {
	int		 opt;
	const char	*arg;
};

static const char *
window_name(int opt)
{
	switch (opt) {
	case OPT_SINCE: return "--since";
	case OPT_UNTIL: return "--until";
	case OPT_WEEK: return "--week";
	case OPT_MONTH: return "--month";
	default: return "--last";
	}
}

static int
apply_window(struct kn_opts *o, struct kn_window *w,
    const struct window_arg *a, long as_of)
{
	struct kn_error err;
	int rc;

	kn_error_clear(&err);
	switch (a->opt) {
	case OPT_SINCE: rc = kn_window_since(w, a->arg, &err); break;
	case OPT_UNTIL: rc = kn_window_until(w, a->arg, &err); break;
	case OPT_WEEK: rc = kn_window_week(w, a->arg, &err); break;
	case OPT_MONTH: rc = kn_window_month(w, a->arg, &err); break;
	default: rc = kn_window_last(w, a->arg, as_of, &err); break;
	}
	if (rc == -1)
		kn_msg(o, "%s: %s", window_name(a->opt), err.text);
	return rc;
}

/*
 * The columns text written to standard output may take: COLUMNS when
 * set to a number, else the terminal's width; 0 (the default width)
 * when it is not a terminal, or for a file of -o.
 */
static size_t
terminal_width(const struct kn_opts *o)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	char *end;
	long n;

	if (o->output != NULL && strcmp(o->output, "-") != 0)
		return 0;
	if (cols != NULL && *cols != '\0') {
		n = strtol(cols, &end, 10);
		if (*end == '\0' && n > 0 && n <= 10000)
			return (size_t)n;
	}
	if (!isatty(STDOUT_FILENO) || ioctl(STDOUT_FILENO, TIOCGWINSZ,
	    &ws) == -1 || ws.ws_col == 0)
		return 0;
	return ws.ws_col;
}

/* Write the report where -o said; -1 after a message. */
static int
write_report(struct kn_opts *o, const struct kn_buf *b)
{
	FILE *fp = kn_output_fp(o->out);

	if (b->len > 0 && fwrite(b->data, 1, b->len, fp) != b->len) {
		if (errno == EPIPE) {
			o->stopped = 1;	/* the reader went away */
			return -1;
		}
		o->fatal = 1;
		kn_msg(o, "%s: %s", kn_output_name(o->out),
		    strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct kn_opts o;
	struct kn_report_opts ropts;
	struct kn_render_opts vopts;
	struct kn_report *rep = NULL;
	struct kn_fields *fields = NULL;
	struct kn_record *rec;
	struct kn_buf warn = KN_BUF_INIT, out = KN_BUF_INIT;
	struct kn_error err;
	struct window_arg wins[32];
	const char *fields_path = NULL, *as_of_arg = NULL;
	unsigned long nwarn = 0;
	size_t nwins = 0, i;
	int ch, rc, format = -1, format_from_path = 0, quiet, status;
	int to_given = 0;
	const char *csv_summary = "a CSV file holds one table; say which "
	    "with --by";
	const char *csv_digest = "the digest is written as text, md, html "
	    "or json, not as CSV";

	kn_opts_init(&o, "kn-report");
	memset(&ropts, 0, sizeof(ropts));
	memset(&vopts, 0, sizeof(vopts));
	kn_window_init(&ropts.window);
	while ((ch = getopt_long(argc, argv, KN_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_BY:
			ropts.by = optarg;
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
		case OPT_WEEK:
		case OPT_MONTH:
		case OPT_LAST:
			if (nwins == sizeof(wins) / sizeof(wins[0])) {
				kn_msg(&o, "too many window options");
				return KN_EXIT_FATAL;
			}
			wins[nwins].opt = ch;
			wins[nwins++].arg = optarg;
			break;
		case OPT_AS_OF:
			as_of_arg = optarg;
			break;
		case OPT_OVERDUE:
			ropts.overdue = 1;
			break;
		case OPT_FORMAT:
			if ((format = kn_report_format_parse(optarg)) == -1) {
				kn_msg(&o, "--format: unknown format \"%s\" "
				    "(text, csv, json, md, html)", optarg);
				return KN_EXIT_FATAL;
			}
			break;
		case OPT_DIGEST:
			ropts.digest = 1;
			break;
		case OPT_LANG:
			if (strcmp(optarg, "vi") == 0)
				vopts.english = 0;
			else if (strcmp(optarg, "en") == 0)
				vopts.english = 1;
			else {
				kn_msg(&o, "--lang: unknown language \"%s\" "
				    "(vi, en)", optarg);
				return KN_EXIT_FATAL;
			}
			break;
		case OPT_FIELDS:
			fields_path = optarg;
			break;
		case OPT_TITLE:
			vopts.title = optarg;
			break;
		case KN_OPT_TO:
			to_given = 1;
			break;
		case 'h':
			help();
			return KN_EXIT_OK;
		default:
			if ((rc = kn_opts_other(&o, ch, optarg, usage)) >= 0)
				return rc;
		}
	}
	if (to_given) {
		kn_msg(&o, "--to: kn-report writes a report, not records; use "
		    "--format");
		return KN_EXIT_FATAL;
	}
	kn_error_clear(&err);
	ropts.as_of = kn_date_today();
	if (as_of_arg != NULL && kn_date_parse(as_of_arg, &ropts.as_of, &err) ==
	    -1) {
		kn_msg(&o, "--as-of: %s", err.text);
		return KN_EXIT_FATAL;
	}
	for (i = 0; i < nwins; i++)
		if (apply_window(&o, &ropts.window, &wins[i], ropts.as_of) ==
		    -1)
			return KN_EXIT_FATAL;
	if (ropts.window.since > ropts.window.until) {
		kn_msg(&o, "the windows given do not overlap: no day is in "
		    "all of them");
		return KN_EXIT_FATAL;
	}
	if (ropts.digest && ropts.by != NULL) {
		kn_msg(&o, "--digest and --by do not go together: the digest "
		    "groups by problem");
		return KN_EXIT_FATAL;
	}
	if (format == -1) {
		format_from_path = 1;
		if ((format = kn_report_format_of_path(o.output)) == -1)
			format = KN_REPORT_TEXT;
	}
	if (format == KN_REPORT_CSV && ropts.by == NULL) {
		if (format_from_path)
			kn_msg(&o, "-o \"%s\": %s", o.output, ropts.digest ?
			    csv_digest : csv_summary);
		else
			kn_msg(&o, "--format csv: %s", ropts.digest ?
			    csv_digest : csv_summary);
		return KN_EXIT_FATAL;
	}
	vopts.format = (enum kn_report_format)format;
	vopts.width = terminal_width(&o);
	if (format != KN_REPORT_CSV && format != KN_REPORT_JSON &&
	    (fields = kn_fields_load(fields_path, &err)) == NULL)
		return kn_die(&o, &err);
	vopts.fields = fields;
	if ((rep = kn_report_new(&ropts, &err)) == NULL) {
		kn_msg(&o, "--by: %s", err.text);
		kn_fields_free(fields);
		return KN_EXIT_FATAL;
	}
	if (kn_run_begin(&o, argc - optind, argv + optind) == -1) {
		kn_report_free(rep);
		kn_fields_free(fields);
		return KN_EXIT_FATAL;
	}
	while ((rc = kn_run_next(&o, &rec)) == KN_READ_RECORD) {
		kn_buf_reset(&warn);
		if (kn_report_add(rep, rec, &warn) == -1) {
			kn_msg(&o, "out of memory");
			o.fatal = 1;
			kn_record_free(rec);
			break;
		}
		if (warn.len > 0) {
			char *line = warn.data, *nl;

			for (; (nl = strchr(line, '\n')) != NULL; line =
			    nl + 1) {
				*nl = '\0';
				if (++nwarn <= MAX_WARNINGS)
					kn_warn_rec(&o, rec, "%s", line);
			}
		}
		kn_record_free(rec);
	}
	if (!o.fatal && !o.stopped) {
		if (nwarn > MAX_WARNINGS)
			kn_msg(&o, "warning: %lu more warnings like these not "
			    "shown", nwarn - MAX_WARNINGS);
		if (rep->nundated > 0)
			kn_msg(&o, "warning: %lu record%s without a submitted "
			    "date left out of the window", rep->nundated,
			    rep->nundated == 1 ? "" : "s");
		if (kn_report_finish(rep, kn_report_order(rep,
		    vopts.format)) == -1 ||
		    kn_render(&out, rep, &vopts, &err) == -1) {
			kn_msg(&o, "%s", err.code == KN_OK ? "out of memory" :
			    err.text);
			o.fatal = 1;
		} else
			write_report(&o, &out);
	}
	quiet = o.quiet;
	o.quiet = 1;	/* our own summary: records read, not written */
	status = kn_run_end(&o);
	if (status != KN_EXIT_FATAL && !quiet)
		fprintf(o.diag, "%s: %lu record%s, %lu counted, %lu rejected\n",
		    o.prog, o.nread, o.nread == 1 ? "" : "s", rep->ncounted,
		    o.nrejected);
	kn_buf_free(&warn);
	kn_buf_free(&out);
	kn_report_free(rep);
	kn_fields_free(fields);
	return status;
}
