/*
 * cmd.c: the parts of a binary's main() that every tool shares: common
 * options, the loop over the inputs, rejects, messages, progress, the
 * summary and the exit status.  Messages go to the stream the caller
 * named in opts->diag.
 */
#include <sys/stat.h>

#include <errno.h>
#include <iconv.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kn_private.h"

#ifndef KN_VERSION
#define KN_VERSION "0.0"
#endif

void
kn_opts_init(struct kn_opts *o, const char *prog)
{
	memset(o, 0, sizeof(*o));
	o->prog = prog;
	o->wait = KN_WAIT_DEFAULT;
	o->diag = stderr;
}

static void
vmsg(const struct kn_opts *o, const char *source, long line,
    const char *fmt, va_list ap)
{
	fprintf(o->diag, "%s: ", o->prog);
	if (source != NULL && line > 0)
		fprintf(o->diag, "%s:%ld: ", source, line);
	else if (source != NULL)
		fprintf(o->diag, "%s: ", source);
	vfprintf(o->diag, fmt, ap);
	fputc('\n', o->diag);
}

void
kn_msg(const struct kn_opts *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(o, NULL, 0, fmt, ap);
	va_end(ap);
}

void
kn_msg_at(const struct kn_opts *o, const char *source, long line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(o, source, line, fmt, ap);
	va_end(ap);
}

void
kn_warn_rec(const struct kn_opts *o, const struct kn_record *r,
    const char *fmt, ...)
{
	va_list ap;

	fprintf(o->diag, "%s: %s:%ld: warning: ", o->prog,
	    kn_record_source(r), kn_record_line(r));
	va_start(ap, fmt);
	vfprintf(o->diag, fmt, ap);
	va_end(ap);
	fputc('\n', o->diag);
}

int
kn_die(const struct kn_opts *o, const struct kn_error *err)
{
	char buf[1024];

	kn_error_format(err, buf, sizeof(buf));
	fprintf(o->diag, "%s: %s\n", o->prog, buf);
	return KN_EXIT_FATAL;
}

void
kn_print_version(const struct kn_opts *o, FILE *fp)
{
	fprintf(fp, "%s (kiennghi) %s\n", o->prog, KN_VERSION);
}

/* "1M", "512K", "1048576" */
static int
parse_size(const char *s, size_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *s == '-')
		return -1;
	switch (*end) {
	case 'k': case 'K': v *= 1024; end++; break;
	case 'm': case 'M': v *= 1024 * 1024; end++; break;
	case 'g': case 'G': v *= 1024ULL * 1024 * 1024; end++; break;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (*end != '\0' || v == 0)
		return -1;
	*out = (size_t)v;
	return 0;
}

int
kn_opts_common(struct kn_opts *o, int ch, const char *arg)
{
	char *end;
	int f;

	switch (ch) {
	case 'o':
		o->output = arg;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case KN_OPT_VERSION:
		kn_print_version(o, stdout);
		return 2;
	case KN_OPT_FROM:
		if ((f = kn_format_parse(arg)) == -1) {
			kn_msg(o, "--from: unknown format \"%s\" (csv, jsonl, "
			    "json)", arg);
			return -1;
		}
		o->ropts.format = (enum kn_format)f;
		return 0;
	case KN_OPT_TO:
		if ((f = kn_format_parse(arg)) == -1) {
			kn_msg(o, "--to: unknown format \"%s\" (jsonl, csv, "
			    "json)", arg);
			return -1;
		}
		o->to = (enum kn_format)f;
		return 0;
	case KN_OPT_ENCODING: {
		iconv_t cd = iconv_open("UTF-8", arg);

		if (cd == (iconv_t)-1) {
			kn_msg(o, "--encoding: unknown encoding \"%s\" (try "
			    "cp1258, tcvn, viscii; iconv -l lists them all)",
			    arg);
			return -1;
		}
		iconv_close(cd);
		o->ropts.encoding = arg;
		return 0;
	}
	case KN_OPT_DELIMITER:
		if (strcmp(arg, "tab") == 0 || strcmp(arg, "\\t") == 0)
			o->ropts.delim = '\t';
		else if (strcmp(arg, "semicolon") == 0)
			o->ropts.delim = ';';
		else if (strcmp(arg, "comma") == 0)
			o->ropts.delim = ',';
		else if (strlen(arg) == 1 && arg[0] != '"' && arg[0] != '\n' &&
		    arg[0] != '\r')
			o->ropts.delim = (unsigned char)arg[0];
		else {
			kn_msg(o, "--delimiter: expected one character or "
			    "\"tab\", not \"%s\"", arg);
			return -1;
		}
		return 0;
	case KN_OPT_MAX_FIELD:
		if (parse_size(arg, &o->ropts.max_field) == -1) {
			kn_msg(o, "--max-field: expected a size such as 1M or "
			    "65536, not \"%s\"", arg);
			return -1;
		}
		return 0;
	case KN_OPT_REJECTS:
		o->rejects = arg;
		return 0;
	case KN_OPT_RAW_CSV:
		o->raw_csv = 1;
		return 0;
	case KN_OPT_WAIT:
		errno = 0;
		o->wait = strtod(arg, &end);
		if (errno != 0 || end == arg || *end != '\0' || o->wait < 0) {
			kn_msg(o, "--wait: expected seconds, not \"%s\"", arg);
			return -1;
		}
		return 0;
	}
	return 1;
}

int
kn_opts_other(struct kn_opts *o, int ch, const char *arg,
    void (*usage)(FILE *))
{
	switch (kn_opts_common(o, ch, arg)) {
	case 0:
		return -1;
	case 2:
		return KN_EXIT_OK;
	case 1:
		usage(stderr);
		/* FALLTHROUGH */
	default:
		return KN_EXIT_FATAL;
	}
}

/* ---- progress on a terminal ---- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static struct {
	int	 on;
	double	 start, last;
	int	 shown;
} progress;

static void
progress_tick(struct kn_opts *o)
{
	double t;

	if (!progress.on || (o->nread & 1023) != 0)
		return;
	t = now();
	if (t - progress.start < 1.0 || t - progress.last < 0.25)
		return;
	progress.last = t;
	progress.shown = 1;
	fprintf(o->diag, "\r%s: %lu records, %.0f/s\033[K", o->prog, o->nread,
	    o->nread / (t - progress.start));
	fflush(o->diag);
}

static void
progress_done(struct kn_opts *o)
{
	if (progress.shown)
		fprintf(o->diag, "\r\033[K");
	progress.shown = 0;
}

/* ---- the run ---- */

int
kn_run_begin(struct kn_opts *o, int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct kn_error err;
	int i, nstdin = 0;

	kn_error_clear(&err);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is a write error */
	if (argc == 0) {
		argv = stdin_only;
		argc = 1;
	}
	/* Every input must be readable before anything is written. */
	for (i = 0; i < argc; i++) {
		struct stat st;

		if (strcmp(argv[i], "-") == 0) {
			if (nstdin++ > 0) {
				kn_msg(o, "standard input (-) named twice");
				return -1;
			}
			continue;
		}
		/* access(), not open(): opening a FIFO would wait for it */
		if (stat(argv[i], &st) == -1 || access(argv[i], R_OK) == -1) {
			kn_msg_at(o, argv[i], 0, "%s", strerror(errno));
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			kn_msg_at(o, argv[i], 0, "%s", strerror(EISDIR));
			return -1;
		}
	}
	o->inputs = argv;
	o->ninputs = argc;
	if ((o->out = kn_output_open(o->output, o->wait, &err)) == NULL)
		return kn_die(o, &err), -1;
	if ((o->w = kn_writer_new(kn_output_fp(o->out),
	    kn_output_name(o->out), o->to, o->raw_csv ? KN_WRITE_RAW : 0,
	    &err)) == NULL)
		goto fail;
	if (o->rejects != NULL) {
		if ((o->rejout = kn_output_open(o->rejects, o->wait, &err)) ==
		    NULL)
			goto fail;
		if ((o->rejw = kn_writer_new(kn_output_fp(o->rejout),
		    kn_output_name(o->rejout), KN_FMT_JSONL, 0, &err)) == NULL)
			goto fail;
	}
	progress.on = !o->quiet && isatty(fileno(o->diag));
	progress.start = progress.last = now();
	return 0;
fail:
	kn_die(o, &err);
	kn_writer_free(o->w);
	kn_writer_free(o->rejw);
	kn_output_abort(o->out);
	kn_output_abort(o->rejout);
	o->w = o->rejw = NULL;
	o->out = o->rejout = NULL;
	return -1;
}

/* Send a bad record to the rejects file: where, why, and its bytes. */
static int
write_reject(struct kn_opts *o, const char *source, long line,
    const char *reason, const struct kn_record *parsed)
{
	struct kn_record *rej;
	struct kn_error err;
	struct kn_buf b = KN_BUF_INIT;
	const char *raw = NULL;
	size_t rawlen = 0;
	int trunc = 0, rc = 0;

	if (o->rejw == NULL)
		return 0;
	kn_error_clear(&err);
	if ((rej = kn_record_new()) == NULL)
		goto nomem;
	if (o->rd != NULL)
		raw = kn_reader_raw(o->rd, &rawlen, &trunc);
	kn_record_set_str(rej, "source", source);
	kn_record_set_int(rej, "line", line);
	kn_record_set_str(rej, "reason", reason);
	if (raw != NULL) {
		kn_utf8_sanitize(&b, raw, rawlen);
		kn_record_set_strn(rej, "raw", b.data, b.len);
		if (!kn_utf8_valid(raw, rawlen, NULL)) {
			/* Keep the very bytes too, for another decoding. */
			static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "abcdefghijklmnopqrstuvwxyz0123456789+/";
			size_t i;

			kn_buf_reset(&b);
			for (i = 0; i < rawlen; i += 3) {
				unsigned long v = (unsigned char)raw[i] << 16;

				if (i + 1 < rawlen)
					v |= (unsigned char)raw[i + 1] << 8;
				if (i + 2 < rawlen)
					v |= (unsigned char)raw[i + 2];
				kn_buf_addc(&b, tab[v >> 18 & 63]);
				kn_buf_addc(&b, tab[v >> 12 & 63]);
				kn_buf_addc(&b, i + 1 < rawlen ?
				    tab[v >> 6 & 63] : '=');
				kn_buf_addc(&b, i + 2 < rawlen ? tab[v & 63] :
				    '=');
			}
			kn_record_set_strn(rej, "raw_base64", kn_buf_str(&b),
			    b.len);
		}
		if (trunc)
			kn_record_set_bool(rej, "raw_truncated", 1);
	}
	if (parsed != NULL) {
		kn_buf_reset(&b);
		if (kn_record_to_json(parsed, &b) == 0)
			kn_record_set_json(rej, "record", b.data, b.len, NULL);
	}
	if (kn_writer_put(o->rejw, rej, &err) == -1) {
		kn_die(o, &err);
		o->fatal = 1;
		rc = -1;
	}
	kn_record_free(rej);
	kn_buf_free(&b);
	return rc;
nomem:
	kn_msg(o, "out of memory");
	o->fatal = 1;
	return -1;
}

int
kn_run_next(struct kn_opts *o, struct kn_record **rec)
{
	struct kn_error err;
	const char *warn;
	long hline;
	char msg[1024];
	int rc;

	*rec = NULL;
	if (o->fatal || o->stopped)
		return KN_READ_FATAL;
	for (;;) {
		if (o->rd == NULL) {
			if (o->cur >= o->ninputs)
				return KN_READ_END;
			kn_error_clear(&err);
			if ((o->rd = kn_reader_open(o->inputs[o->cur++],
			    &o->ropts, &err)) == NULL) {
				kn_die(o, &err);
				o->fatal = 1;
				return KN_READ_FATAL;
			}
		}
		kn_error_clear(&err);
		rc = kn_reader_next(o->rd, rec, &err);
		if ((warn = kn_reader_header_warning(o->rd, &hline)) != NULL)
			kn_msg_at(o, kn_reader_source(o->rd), hline,
			    "warning: %s", warn);
		if ((warn = kn_reader_warning(o->rd)) != NULL)
			kn_msg_at(o, kn_reader_source(o->rd), rc ==
			    KN_READ_RECORD ? kn_record_line(*rec) : err.line,
			    "warning: %s", warn);
		switch (rc) {
		case KN_READ_RECORD:
			o->nread++;
			progress_tick(o);
			return KN_READ_RECORD;
		case KN_READ_BAD:
			o->nread++;
			o->nrejected++;
			kn_error_format(&err, msg, sizeof(msg));
			fprintf(o->diag, "%s: %s\n", o->prog, msg);
			if (write_reject(o, err.source, err.line, err.text,
			    NULL) == -1)
				return KN_READ_FATAL;
			continue;
		case KN_READ_END: {
			unsigned long nrep;
			long line;
			const char *enc = knp_reader_encoding(o->rd, &nrep,
			    &line);

			if (o->nread == o->nread_file &&
			    strcmp(kn_reader_source(o->rd), "<stdin>") != 0)
				kn_msg_at(o, kn_reader_source(o->rd), 0,
				    "warning: no records");
			if (nrep > 0)
				kn_msg_at(o, kn_reader_source(o->rd), line,
				    "warning: %lu byte%s could not be decoded "
				    "as %s and became U+FFFD, the first on "
				    "this line", nrep, nrep == 1 ? "" : "s",
				    enc);
			kn_reader_close(o->rd);
			o->rd = NULL;
			o->nread_file = o->nread;
			continue;
		}
		default:
			kn_die(o, &err);
			o->fatal = 1;
			return KN_READ_FATAL;
		}
	}
}

/*
 * A write failed: say why, and how far the output got (at_end: in the
 * last flush, after every record was handed over).
 */
static void
die_write(struct kn_opts *o, const struct kn_error *err, int at_end)
{
	char buf[1024];

	kn_error_format(err, buf, sizeof(buf));
	if (o->nwritten == 0)	/* nothing to count, or kn-report's own */
		fprintf(o->diag, "%s: %s\n", o->prog, buf);
	else if (at_end)
		fprintf(o->diag, "%s: %s; the output of %lu record%s is "
		    "incomplete\n", o->prog, buf, o->nwritten,
		    o->nwritten == 1 ? "" : "s");
	else
		fprintf(o->diag, "%s: %s; stopped after %lu record%s "
		    "written\n", o->prog, buf, o->nwritten,
		    o->nwritten == 1 ? "" : "s");
	o->fatal = 1;
}

int
kn_run_write(struct kn_opts *o, const struct kn_record *r)
{
	struct kn_error err;

	kn_error_clear(&err);
	if (kn_writer_put(o->w, r, &err) == -1) {
		if (err.code == KN_EPIPE)
			o->stopped = 1;	/* the reader went away: stop */
		else
			die_write(o, &err, 0);
		return -1;
	}
	o->nwritten++;
	return 0;
}

int
kn_run_reject(struct kn_opts *o, const struct kn_record *r,
    const char *fmt, ...)
{
	char reason[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	o->nrejected++;
	kn_msg_at(o, kn_record_source(r), kn_record_line(r), "%s", reason);
	return write_reject(o, kn_record_source(r), kn_record_line(r), reason,
	    r);
}

void
kn_run_duplicate(struct kn_opts *o, int kept)
{
	if (kept)
		o->nkept++;	/* written, so not among the dropped */
	else
		o->nduplicates++;
}

int
kn_run_end(struct kn_opts *o)
{
	struct kn_error err;
	int failed = o->fatal || o->stopped;

	kn_error_clear(&err);
	progress_done(o);
	kn_reader_close(o->rd);
	o->rd = NULL;
	if (!failed && o->w != NULL && kn_writer_close(o->w, &err) == -1) {
		if (err.code == KN_EPIPE)
			o->stopped = 1;
		else
			die_write(o, &err, 1);
		failed = 1;
	}
	if (!failed && o->rejw != NULL && kn_writer_close(o->rejw, &err) ==
	    -1) {
		kn_die(o, &err);
		failed = 1;
	}
	kn_writer_free(o->w);
	kn_writer_free(o->rejw);
	o->w = o->rejw = NULL;
	if (failed) {
		/* Leave the old files as they were. */
		kn_output_abort(o->out);
		kn_output_abort(o->rejout);
	} else {
		if (o->rejout != NULL && kn_output_commit(o->rejout, &err) ==
		    -1) {
			kn_die(o, &err);
			kn_output_abort(o->out);
			failed = 1;
		} else if (kn_output_commit(o->out, &err) == -1) {
			if (err.code == KN_EPIPE)
				o->stopped = 1;
			else
				die_write(o, &err, 1);
			failed = 1;
		}
	}
	o->out = o->rejout = NULL;
	/* One line, not one per record; -q, which asked for no chatter,
	 * leaves only the status. */
	if (o->stopped && !o->fatal && !o->quiet)
		fprintf(o->diag, "%s: output closed by its reader (broken "
		    "pipe); stopped after %lu record%s written\n", o->prog,
		    o->nwritten, o->nwritten == 1 ? "" : "s");
	if (failed)
		return KN_EXIT_FATAL;
	if (!o->quiet) {
		fprintf(o->diag, "%s: %lu record%s, %lu written", o->prog,
		    o->nread, o->nread == 1 ? "" : "s", o->nwritten);
		if (o->nkept > 0)
			fprintf(o->diag, " (%lu duplicate%s, kept)", o->nkept,
			    o->nkept == 1 ? "" : "s");
		fprintf(o->diag, ", %lu rejected", o->nrejected);
		if (o->nduplicates > 0)
			fprintf(o->diag, ", %lu duplicate%s", o->nduplicates,
			    o->nduplicates == 1 ? "" : "s");
		fputc('\n', o->diag);
	}
	return o->nrejected > 0 ? KN_EXIT_REJECTS : KN_EXIT_OK;
}
