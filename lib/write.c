/*
 * write.c: JSON Lines, JSON array and CSV output.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn_private.h"

struct kn_writer {
	FILE		*fp;
	const char	*name;
	enum kn_format	 fmt;
	int		 flags;
	unsigned long	 n;
	struct kn_buf	 line;
	FILE		*spool;		/* CSV: records as JSON Lines */
	char		**keys;		/* CSV: the header so far */
	size_t		 nkeys, capkeys;
	int		 closed;
};

static int
io_error(struct kn_writer *w, struct kn_error *err)
{
	int e = errno;

	kn_error_set(err, e == EPIPE ? KN_EPIPE : KN_EIO, w->name, 0, "%s",
	    strerror(e ? e : EIO));
	return -1;
}

struct kn_writer *
kn_writer_new(FILE *fp, const char *name, enum kn_format fmt, int flags,
    struct kn_error *err)
{
	struct kn_writer *w;

	if ((w = calloc(1, sizeof(*w))) == NULL) {
		kn_error_set(err, KN_ENOMEM, name, 0, "out of memory");
		return NULL;
	}
	w->fp = fp;
	w->name = name;
	w->fmt = fmt == KN_FMT_AUTO ? KN_FMT_JSONL : fmt;
	w->flags = flags;
	if (w->fmt == KN_FMT_CSV && (w->spool = tmpfile()) == NULL) {
		kn_error_set(err, KN_EIO, name, 0, "cannot create a "
		    "temporary file: %s", strerror(errno));
		free(w);
		return NULL;
	}
	return w;
}

void
kn_writer_free(struct kn_writer *w)
{
	size_t i;

	if (w == NULL)
		return;
	if (w->spool != NULL)
		fclose(w->spool);
	for (i = 0; i < w->nkeys; i++)
		free(w->keys[i]);
	free(w->keys);
	kn_buf_free(&w->line);
	free(w);
}

/* Add the keys of r that the CSV header lacks, in order. */
static int
note_keys(struct kn_writer *w, const struct kn_record *r)
{
	size_t i, j, n = kn_record_len(r);
	const char *k;

	for (i = 0; i < n; i++) {
		k = kn_record_key_at(r, i);
		if (i < w->nkeys && strcmp(w->keys[i], k) == 0)
			continue;	/* the usual case: same keys, same order */
		for (j = 0; j < w->nkeys; j++)
			if (strcmp(w->keys[j], k) == 0)
				break;
		if (j < w->nkeys)
			continue;
		if (w->nkeys == w->capkeys) {
			size_t cap = w->capkeys ? w->capkeys * 2 : 32;
			char **p = realloc(w->keys, cap * sizeof(*p));

			if (p == NULL)
				return -1;
			w->keys = p;
			w->capkeys = cap;
		}
		if ((w->keys[w->nkeys] = strdup(k)) == NULL)
			return -1;
		w->nkeys++;
	}
	return 0;
}

int
kn_writer_put(struct kn_writer *w, const struct kn_record *r,
    struct kn_error *err)
{
	FILE *fp = w->fmt == KN_FMT_CSV ? w->spool : w->fp;

	kn_buf_reset(&w->line);
	if (w->fmt == KN_FMT_JSON && kn_buf_adds(&w->line, w->n == 0 ?
	    "[\n" : ",\n") == -1)
		goto nomem;
	if (kn_record_to_json(r, &w->line) == -1)
		goto nomem;
	if (w->fmt != KN_FMT_JSON && kn_buf_addc(&w->line, '\n') == -1)
		goto nomem;
	if (w->fmt == KN_FMT_CSV && note_keys(w, r) == -1)
		goto nomem;
	if (fwrite(w->line.data, 1, w->line.len, fp) != w->line.len)
		return io_error(w, err);
	w->n++;
	return 0;
nomem:
	kn_error_set(err, KN_ENOMEM, w->name, 0, "out of memory");
	return -1;
}

static int
plain_number(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < len && (s[i] == '.' || s[i] == ',')) {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	return digits > 0 && i == len;
}

/* Would Excel take this value for a formula, or is it one guarded? */
static int
needs_guard(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len && s[i] == '\'')
		i++;
	if (i == len || strchr("=+-@\t\r", s[i]) == NULL)
		return 0;
	return i > 0 || !plain_number(s, len);
}

int
kn_csv_unguard(const char *s, size_t len)
{
	return len > 1 && s[0] == '\'' && needs_guard(s + 1, len - 1);
}

int
kn_csv_cell(struct kn_buf *b, const char *s, size_t len, int delim,
    int flags)
{
	int quote = 0, guard = 0;
	size_t i;

	if (!(flags & KN_WRITE_RAW) && needs_guard(s, len))
		guard = 1;
	if (len > 0 && (s[0] == ' ' || s[len - 1] == ' '))
		quote = 1;
	for (i = 0; i < len && !quote; i++)
		if (s[i] == delim || s[i] == '"' || s[i] == '\n' ||
		    s[i] == '\r')
			quote = 1;
	if (quote && kn_buf_addc(b, '"') == -1)
		return -1;
	if (guard && kn_buf_addc(b, '\'') == -1)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] == '"' && kn_buf_addc(b, '"') == -1)
			return -1;
		if (kn_buf_addc(b, s[i]) == -1)
			return -1;
	}
	if (quote && kn_buf_addc(b, '"') == -1)
		return -1;
	return 0;
}

int
kn_json_quote(struct kn_buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	if (kn_buf_grow(b, len + 2) == -1 || kn_buf_addc(b, '"') == -1)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		if (kn_buf_add(b, s + run, i - run) == -1)
			return -1;
		run = i + 1;
		esc[0] = '\\';
		switch (c) {
		case '"':	esc[1] = '"'; break;
		case '\\':	esc[1] = '\\'; break;
		case '\n':	esc[1] = 'n'; break;
		case '\r':	esc[1] = 'r'; break;
		case '\t':	esc[1] = 't'; break;
		case '\b':	esc[1] = 'b'; break;
		case '\f':	esc[1] = 'f'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (kn_buf_add(b, esc, n) == -1)
			return -1;
	}
	if (kn_buf_add(b, s + run, len - run) == -1)
		return -1;
	return kn_buf_addc(b, '"');
}

/* Write the spooled records as CSV under the header of all their keys. */
static int
write_csv(struct kn_writer *w, struct kn_error *err)
{
	struct kn_buf val = KN_BUF_INIT;
	struct kn_record *r;
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t n;
	int rc = -1;
	/* Excel wants CRLF; Unix tools, reading raw CSV, want LF. */
	const char *eol = w->flags & KN_WRITE_RAW ? "\n" : "\r\n";

	if (fflush(w->spool) == EOF || fseek(w->spool, 0, SEEK_SET) == -1) {
		kn_error_set(err, KN_EIO, w->name, 0, "temporary file: %s",
		    strerror(errno));
		return -1;
	}
	kn_buf_reset(&w->line);
	if (!(w->flags & KN_WRITE_RAW) && w->nkeys > 0 &&
	    kn_buf_adds(&w->line, "\xEF\xBB\xBF") == -1)
		goto nomem;
	for (i = 0; i < w->nkeys; i++)
		if ((i > 0 && kn_buf_addc(&w->line, ',') == -1) ||
		    kn_csv_cell(&w->line, w->keys[i], strlen(w->keys[i]), ',',
		    w->flags) == -1)
			goto nomem;
	if (w->nkeys > 0 && kn_buf_adds(&w->line, eol) == -1)
		goto nomem;
	while ((n = getline(&line, &cap, w->spool)) > 0) {
		if (fwrite(w->line.data, 1, w->line.len, w->fp) !=
		    w->line.len) {
			io_error(w, err);
			goto out;
		}
		kn_buf_reset(&w->line);
		if ((r = kn_record_from_json(line, (size_t)n, err)) == NULL)
			goto out;
		for (i = 0; i < w->nkeys; i++) {
			kn_buf_reset(&val);
			if (i > 0 && kn_buf_addc(&w->line, ',') == -1)
				goto nomem_r;
			if (kn_record_text(r, w->keys[i], &val) < 0)
				continue;	/* absent: an empty cell */
			if (kn_csv_cell(&w->line, kn_buf_str(&val), val.len,
			    ',', w->flags) == -1)
				goto nomem_r;
		}
		kn_record_free(r);
		if (kn_buf_adds(&w->line, eol) == -1)
			goto nomem;
	}
	if (w->line.len > 0 && fwrite(w->line.data, 1, w->line.len, w->fp) !=
	    w->line.len) {
		io_error(w, err);
		goto out;
	}
	rc = 0;
	goto out;
nomem_r:
	kn_record_free(r);
nomem:
	kn_error_set(err, KN_ENOMEM, w->name, 0, "out of memory");
out:
	free(line);
	kn_buf_free(&val);
	return rc;
}

int
kn_writer_close(struct kn_writer *w, struct kn_error *err)
{
	if (w->closed)
		return 0;
	w->closed = 1;
	if (w->fmt == KN_FMT_CSV && write_csv(w, err) == -1)
		return -1;
	if (w->fmt == KN_FMT_JSON && fputs(w->n == 0 ? "[]\n" : "\n]\n",
	    w->fp) == EOF)
		return io_error(w, err);
	if (fflush(w->fp) == EOF || ferror(w->fp))
		return io_error(w, err);
	return 0;
}
