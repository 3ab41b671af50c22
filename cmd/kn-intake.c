/*
 * kn-intake: read what communes send (CSV from Excel, JSON, legacy
 * encodings), validate, normalise, de-duplicate, and reject bad rows
 * loudly.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"

enum {
	OPT_COMMUNES = KN_OPT_TOOL,
	OPT_HEADERS,
	OPT_SEEN,
	OPT_STRICT_COMMUNE,
	OPT_KEEP_DUPLICATES
};

static const struct option longopts[] = {
	{ "communes",		required_argument,	NULL, OPT_COMMUNES },
	{ "headers",		required_argument,	NULL, OPT_HEADERS },
	{ "seen",		required_argument,	NULL, OPT_SEEN },
	{ "strict-commune",	no_argument,		NULL,
	    OPT_STRICT_COMMUNE },
	{ "keep-duplicates",	no_argument,		NULL,
	    OPT_KEEP_DUPLICATES },
	KN_COMMON_LONGOPTS
};

static void
usage(FILE *fp)
{
	fputs("usage: kn-intake [-hq] [-o file] [--communes file] "
	    "[--delimiter c]\n"
	    "                 [--encoding name] [--from format] "
	    "[--headers file]\n"
	    "                 [--keep-duplicates] [--max-field size] "
	    "[--raw-csv]\n"
	    "                 [--rejects file] [--seen ledger] "
	    "[--strict-commune]\n"
	    "                 [--to format] [--wait seconds] [file ...]\n",
	    fp);
}

static void
help(void)
{
	usage(stdout);
	fputs("\nTake in the proposals communes send: CSV (Excel, ; or ,), "
	    "JSON Lines or JSON.\n"
	    "  -o file               write here (atomically) instead of "
	    "standard output\n"
	    "  --rejects file        rejected records, as JSON Lines with "
	    "the reason\n"
	    "  --seen ledger         records already taken in count as "
	    "duplicates\n"
	    "  --keep-duplicates     write duplicates, marked duplicate_of\n"
	    "  --strict-commune      reject an unknown commune instead of "
	    "warning\n"
	    "  --communes file       another commune registry "
	    "(code,name,type,former_units)\n"
	    "  --headers file        another column alias table (key,alias)\n"
	    "  --encoding name       input encoding: cp1258, tcvn, viscii, ...\n"
	    "  --from, --to format   csv, jsonl, json\n"
	    "\nexample:\n"
	    "  kn-intake --rejects rejects.jsonl thang10/*.csv > "
	    "proposals.jsonl\n"
	    "\nSee kn-intake(1) and kiennghi(7).\n", stdout);
}

int
main(int argc, char *argv[])
{
	struct kn_opts o;
	struct kn_intake_opts io;
	struct kn_intake *in;
	struct kn_record *rec, *out;
	struct kn_buf why = KN_BUF_INIT, warn = KN_BUF_INIT;
	struct kn_error err;
	int ch, rc;

	kn_opts_init(&o, "kn-intake");
	memset(&io, 0, sizeof(io));
	while ((ch = getopt_long(argc, argv, KN_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_COMMUNES:
			io.communes = optarg;
			break;
		case OPT_HEADERS:
			io.headers = optarg;
			break;
		case OPT_SEEN:
			io.seen = optarg;
			break;
		case OPT_STRICT_COMMUNE:
			io.strict_commune = 1;
			break;
		case OPT_KEEP_DUPLICATES:
			io.keep_duplicates = 1;
			break;
		case 'h':
			help();
			return KN_EXIT_OK;
		default:
			if ((rc = kn_opts_other(&o, ch, optarg, usage)) >= 0)
				return rc;
		}
	}
	/* The first week of a ledger: nothing was taken in before. */
	if (io.seen != NULL && access(io.seen, F_OK) == -1 &&
	    errno == ENOENT) {
		if (!o.quiet)
			kn_msg(&o, "%s: no ledger yet; nothing was taken in "
			    "before", io.seen);
		io.seen = NULL;
	}
	kn_error_clear(&err);
	if ((in = kn_intake_new(&io, &err)) == NULL)
		return kn_die(&o, &err);
	if (kn_run_begin(&o, argc - optind, argv + optind) == -1) {
		kn_intake_free(in);
		return KN_EXIT_FATAL;
	}
	while (kn_run_next(&o, &rec) == KN_READ_RECORD) {
		kn_buf_reset(&why);
		kn_buf_reset(&warn);
		rc = kn_intake_record(in, rec, &out, &why, &warn);
		if (warn.len > 0) {
			char *line = warn.data, *nl;

			for (; (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
				*nl = '\0';
				kn_warn_rec(&o, rec, "%s", line);
			}
		}
		switch (rc) {
		case KN_REJECT:
			rc = kn_run_reject(&o, rec, "%s", kn_buf_str(&why));
			break;
		case KN_DUPLICATE:
			kn_run_duplicate(&o, out != NULL);
			kn_msg_at(&o, kn_record_source(rec), kn_record_line(rec),
			    "duplicate: %s; %s", kn_buf_str(&why), out != NULL ?
			    "kept, marked duplicate_of" : "dropped");
			/* FALLTHROUGH */
		default:
			rc = out != NULL ? kn_run_write(&o, out) : 0;
		}
		kn_record_free(out);
		kn_record_free(rec);
		if (rc == -1)
			break;
	}
	kn_buf_free(&why);
	kn_buf_free(&warn);
	kn_intake_free(in);
	return kn_run_end(&o);
}
