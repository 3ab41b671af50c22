/*
 * read.c: the streaming readers.
 *
 * Bytes come from a file descriptor or memory, through iconv when the
 * input is in a legacy encoding (or UTF-16 with a byte order mark), and
 * are cut into physical lines (LF, CRLF or a lone CR), counted for
 * messages.  CSV lines are fed to libcsv one at a time: a record can
 * only end at a line end, so the line a record starts on and its raw
 * bytes are known exactly, and a bad record is skipped without losing
 * the parser's place.  JSON Lines are parsed line by line with jansson;
 * a JSON array is cut into its elements by a small scanner that tracks
 * strings and nesting, and each element is parsed alone, so a broken
 * element costs only itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "kn_private.h"

#define CHUNK 65536
#define CSV_ROW_NOT_BEGUN 0	/* libcsv's parser state between rows */
#define CSV_FIELD_BEGUN 2

struct kn_reader {
	const char	*name;
	struct kn_read_opts o;
	int		 fd, own_fd;
	const char	*mem;
	size_t		 memlen, mempos;
	int		 eof, started;
	size_t		 chunk;		/* test hook: at most this per read */

	char		*buf;		/* decoded bytes */
	size_t		 pos, len, cap;
	char		*raw;		/* bytes waiting for iconv */
	size_t		 rawlen;
	iconv_t		 cd;
	int		 conv;
	const char	*encname;
	unsigned long	 nreplaced;
	long		 replaced_line;	/* of the first byte replaced */
	long		 dlines;	/* line ends decoded so far */

	long		 line;		/* the line of the next byte */
	enum kn_format	 fmt;

	struct kn_buf	 rec;		/* raw bytes of the current record */
	int		 rec_trunc;
	long		 rec_line;
	struct kn_buf	 lbuf;		/* the current physical line */
	struct kn_buf	 warn;
	struct kn_buf	 bad;		/* why the current record is bad */

	/* CSV */
	struct csv_parser csv;
	int		 csv_ready;
	int		 delim;
	char		**hdr;
	size_t		 nhdr;
	int		 have_hdr;
	struct kn_buf	 fdata;		/* field bytes, NUL-separated */
	size_t		*foff;		/* offsets of fields in fdata */
	size_t		*flen;
	size_t		 nf, fcap;
	int		 row_done;
	struct kn_buf	 hwarn;		/* about the header, said once */
	long		 hdr_line;
	int		 hwarn_said;

	/* JSON array scanner */
	int		 js_top;	/* 0 before the first value */
	int		 js_array;	/* inside a top-level [ ] */
	int		 js_depth, js_str, js_esc;
	unsigned long	 js_index;	/* values read so far, 1-based */
};

int
kn_format_parse(const char *name)
{
	if (strcmp(name, "csv") == 0)
		return KN_FMT_CSV;
	if (strcmp(name, "jsonl") == 0 || strcmp(name, "ndjson") == 0)
		return KN_FMT_JSONL;
	if (strcmp(name, "json") == 0)
		return KN_FMT_JSON;
	return -1;
}

const char *
kn_format_name(enum kn_format f)
{
	switch (f) {
	case KN_FMT_CSV:	return "csv";
	case KN_FMT_JSONL:	return "jsonl";
	case KN_FMT_JSON:	return "json";
	default:		return "auto";
	}
}

static struct kn_reader *
reader_new(const char *name, const struct kn_read_opts *opts,
    struct kn_error *err)
{
	struct kn_reader *rd;

	if ((rd = calloc(1, sizeof(*rd))) == NULL) {
		kn_error_set(err, KN_ENOMEM, name, 0, "out of memory");
		return NULL;
	}
	rd->name = name;
	if (opts != NULL)
		rd->o = *opts;
	if (rd->o.max_field == 0)
		rd->o.max_field = KN_MAX_FIELD;
	if (rd->o.max_record == 0)
		rd->o.max_record = KN_MAX_RECORD;
	if (rd->o.max_fields == 0)
		rd->o.max_fields = KN_MAX_FIELDS;
	if (rd->o.max_record < rd->o.max_field)
		rd->o.max_record = rd->o.max_field;
	rd->fd = -1;
	rd->cd = (iconv_t)-1;
	rd->line = 1;
	rd->fmt = rd->o.format;
	return rd;
}

struct kn_reader *
kn_reader_open(const char *path, const struct kn_read_opts *opts,
    struct kn_error *err)
{
	struct kn_reader *rd;
	int fd;

	if (path == NULL || strcmp(path, "-") == 0) {
		if ((rd = reader_new("<stdin>", opts, err)) != NULL)
			rd->fd = 0;
		return rd;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		kn_error_set(err, KN_EIO, path, 0, "%s", strerror(errno));
		return NULL;
	}
	if ((rd = reader_new(path, opts, err)) == NULL) {
		close(fd);
		return NULL;
	}
	rd->fd = fd;
	rd->own_fd = 1;
	return rd;
}

struct kn_reader *
kn_reader_mem(const char *data, size_t len, const char *name,
    const struct kn_read_opts *opts, struct kn_error *err)
{
	struct kn_reader *rd;

	if ((rd = reader_new(name, opts, err)) != NULL) {
		rd->mem = data;
		rd->memlen = len;
	}
	return rd;
}

void
kn_reader_close(struct kn_reader *rd)
{
	size_t i;

	if (rd == NULL)
		return;
	if (rd->own_fd)
		close(rd->fd);
	if (rd->cd != (iconv_t)-1)
		iconv_close(rd->cd);
	if (rd->csv_ready)
		csv_free(&rd->csv);
	for (i = 0; i < rd->nhdr; i++)
		free(rd->hdr[i]);
	free(rd->hdr);
	free(rd->buf);
	free(rd->raw);
	free(rd->foff);
	free(rd->flen);
	kn_buf_free(&rd->rec);
	kn_buf_free(&rd->lbuf);
	kn_buf_free(&rd->warn);
	kn_buf_free(&rd->hwarn);
	kn_buf_free(&rd->bad);
	kn_buf_free(&rd->fdata);
	free(rd);
}

const char *
kn_reader_source(const struct kn_reader *rd)
{
	return rd->name;
}

enum kn_format
kn_reader_format(const struct kn_reader *rd)
{
	return rd->fmt;
}

int
kn_reader_delim(const struct kn_reader *rd)
{
	return rd->fmt == KN_FMT_CSV ? rd->delim : 0;
}

const char *const *
kn_reader_header(const struct kn_reader *rd, size_t *n)
{
	*n = rd->nhdr;
	return rd->have_hdr ? (const char *const *)rd->hdr : NULL;
}

long
kn_reader_header_line(const struct kn_reader *rd)
{
	return rd->have_hdr ? rd->hdr_line : 0;
}

const char *
kn_reader_header_warning(struct kn_reader *rd, long *line)
{
	if (rd->hwarn.len == 0 || rd->hwarn_said)
		return NULL;
	rd->hwarn_said = 1;
	*line = rd->hdr_line;
	return rd->hwarn.data;
}

const char *
kn_reader_raw(const struct kn_reader *rd, size_t *len, int *truncated)
{
	*len = rd->rec.len;
	if (truncated != NULL)
		*truncated = rd->rec_trunc;
	return kn_buf_str(&rd->rec);
}

const char *
kn_reader_warning(const struct kn_reader *rd)
{
	return rd->warn.len > 0 ? rd->warn.data : NULL;
}

/* Read up to n undecoded bytes into p; 0 at the end, -1 on error. */
static ssize_t
read_bytes(struct kn_reader *rd, char *p, size_t n, struct kn_error *err)
{
	ssize_t r;

	if (rd->chunk > 0 && n > rd->chunk)
		n = rd->chunk;
	if (rd->mem != NULL) {
		if (n > rd->memlen - rd->mempos)
			n = rd->memlen - rd->mempos;
		memcpy(p, rd->mem + rd->mempos, n);
		rd->mempos += n;
		return (ssize_t)n;
	}
	for (;;) {
		r = read(rd->fd, p, n);
		if (r >= 0)
			return r;
		if (errno != EINTR) {
			kn_error_set(err, KN_EIO, rd->name, 0, "%s",
			    strerror(errno));
			return -1;
		}
	}
}

static int
buf_room(struct kn_reader *rd, size_t need)
{
	char *p;
	size_t cap;

	if (rd->pos > 0) {
		memmove(rd->buf, rd->buf + rd->pos, rd->len - rd->pos);
		rd->len -= rd->pos;
		rd->pos = 0;
	}
	if (rd->cap - rd->len >= need)
		return 0;
	cap = rd->cap ? rd->cap : CHUNK;
	while (cap - rd->len < need)
		cap *= 2;
	if ((p = realloc(rd->buf, cap)) == NULL)
		return -1;
	rd->buf = p;
	rd->cap = cap;
	return 0;
}

static int
open_iconv(struct kn_reader *rd, const char *from, struct kn_error *err)
{
	if ((rd->cd = iconv_open("UTF-8", from)) == (iconv_t)-1) {
		kn_error_set(err, KN_EINVAL, rd->name, 0,
		    "unknown encoding \"%s\" (see iconv -l)", from);
		return -1;
	}
	rd->conv = 1;
	rd->encname = from;
	return 0;
}

/* Count the line ends of what was decoded since rd->len was from. */
static void
count_lines(struct kn_reader *rd, size_t from)
{
	const char *p = rd->buf + from, *end = rd->buf + rd->len;

	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		rd->dlines++;
		p++;
	}
}

/* Decode rd->raw into rd->buf; at_eof when no more bytes will come. */
static int
decode(struct kn_reader *rd, int at_eof, struct kn_error *err)
{
	char *in = rd->raw, *out;
	size_t inleft = rd->rawlen, outleft, r, from;
	int e;

	while (inleft > 0) {
		if (buf_room(rd, inleft * 4 + 16) == -1)
			goto nomem;
		from = rd->len;
		out = rd->buf + rd->len;
		outleft = rd->cap - rd->len;
		r = iconv(rd->cd, &in, &inleft, &out, &outleft);
		e = errno;
		rd->len = (size_t)(out - rd->buf);
		count_lines(rd, from);
		if (r != (size_t)-1)
			break;
		if (e == E2BIG)
			continue;
		if (e == EINVAL && !at_eof)
			break;		/* an incomplete sequence: wait */
		/*
		 * EILSEQ, or a sequence cut by the end of the input.  First
		 * what the decoder holds back (CP1258 keeps a letter to see
		 * whether a tone mark follows), so that the letters keep
		 * their order around the replacement character.
		 */
		if (buf_room(rd, 64) == -1)
			goto nomem;
		from = rd->len;
		out = rd->buf + rd->len;
		outleft = rd->cap - rd->len;
		(void)iconv(rd->cd, NULL, NULL, &out, &outleft);
		rd->len = (size_t)(out - rd->buf);
		count_lines(rd, from);
		if (buf_room(rd, 3) == -1)
			goto nomem;
		memcpy(rd->buf + rd->len, "\xEF\xBF\xBD", 3);
		rd->len += 3;
		if (rd->nreplaced++ == 0)
			rd->replaced_line = rd->dlines + 1;
		in++;
		inleft--;
	}
	memmove(rd->raw, in, inleft);
	rd->rawlen = inleft;
	return 0;
nomem:
	kn_error_set(err, KN_ENOMEM, rd->name, 0, "out of memory");
	return -1;
}

/* The first bytes: byte order marks, and the decoder to use. */
static int
start(struct kn_reader *rd, struct kn_error *err)
{
	ssize_t n;
	size_t skip = 0;
	const char *enc = rd->o.encoding;

	rd->started = 1;
	if ((rd->raw = malloc(CHUNK)) == NULL) {
		kn_error_set(err, KN_ENOMEM, rd->name, 0, "out of memory");
		return -1;
	}
	/* Gather at least 4 bytes for the byte order mark. */
	while (rd->rawlen < 4) {
		if ((n = read_bytes(rd, rd->raw + rd->rawlen,
		    CHUNK - rd->rawlen, err)) < 0)
			return -1;
		if (n == 0) {
			rd->eof = 1;
			break;
		}
		rd->rawlen += (size_t)n;
	}
	if (rd->rawlen >= 3 && memcmp(rd->raw, "\xEF\xBB\xBF", 3) == 0) {
		skip = 3;
		enc = NULL;	/* the mark says UTF-8, whatever was asked */
	} else if (rd->rawlen >= 2 && (memcmp(rd->raw, "\xFF\xFE", 2) == 0 ||
	    memcmp(rd->raw, "\xFE\xFF", 2) == 0))
		enc = "UTF-16";	/* Excel's "Unicode text"; iconv reads the mark */
	memmove(rd->raw, rd->raw + skip, rd->rawlen - skip);
	rd->rawlen -= skip;
	if (enc != NULL && open_iconv(rd, enc, err) == -1)
		return -1;
	if (rd->conv)
		return buf_room(rd, 1) == -1 ? -1 : decode(rd, rd->eof, err);
	if (buf_room(rd, rd->rawlen + 1) == -1) {
		kn_error_set(err, KN_ENOMEM, rd->name, 0, "out of memory");
		return -1;
	}
	if (rd->rawlen > 0)
		memcpy(rd->buf + rd->len, rd->raw, rd->rawlen);
	rd->len += rd->rawlen;
	rd->rawlen = 0;
	return 0;
}

/* More decoded bytes into buf: 1 when some came, 0 at the end, -1. */
static int
fill(struct kn_reader *rd, struct kn_error *err)
{
	size_t before = rd->len - rd->pos;
	ssize_t n;

	if (!rd->started) {
		if (start(rd, err) == -1)
			return -1;
		if (rd->len - rd->pos > before)
			return 1;
	}
	while (!rd->eof) {
		if (rd->conv) {
			n = read_bytes(rd, rd->raw + rd->rawlen,
			    CHUNK - rd->rawlen, err);
			if (n < 0)
				return -1;
			rd->eof = n == 0;
			rd->rawlen += (size_t)n;
			if (decode(rd, rd->eof, err) == -1)
				return -1;
		} else {
			if (buf_room(rd, CHUNK) == -1) {
				kn_error_set(err, KN_ENOMEM, rd->name, 0,
				    "out of memory");
				return -1;
			}
			n = read_bytes(rd, rd->buf + rd->len, CHUNK, err);
			if (n < 0)
				return -1;
			rd->eof = n == 0;
			rd->len += (size_t)n;
		}
		if (rd->len - rd->pos > before)
			return 1;
	}
	return 0;
}

/*
 * Append the next physical line, terminator included, to out, keeping
 * at most cap bytes of it (*over set when there were more).  1 when a
 * line was read, 0 at the end, -1 on error.
 */
static int
get_line(struct kn_reader *rd, struct kn_buf *out, size_t cap, int *over,
    struct kn_error *err)
{
	size_t kept = 0, i, n, t;
	int got = 0, r;

	*over = 0;
	for (;;) {
		char *p = rd->buf + rd->pos;
		size_t avail = rd->len - rd->pos;

		t = 0;
		for (i = 0; i < avail; i++)
			if (p[i] == '\n' || p[i] == '\r')
				break;
		if (i < avail && p[i] == '\r' && i + 1 == avail && !rd->eof) {
			/* Is this CR followed by LF?  Look further. */
			if ((r = fill(rd, err)) < 0)
				return -1;
			continue;
		}
		if (i < avail)
			t = (p[i] == '\r' && i + 1 < avail && p[i + 1] == '\n') ?
			    2 : 1;
		n = i + t;
		if (n > 0)
			got = 1;
		if (kept < cap) {
			size_t k = n < cap - kept ? n : cap - kept;

			if (kn_buf_add(out, p, k) == -1) {
				kn_error_set(err, KN_ENOMEM, rd->name, 0,
				    "out of memory");
				return -1;
			}
			kept += k;
			if (k < n)
				*over = 1;
		} else if (n > 0)
			*over = 1;
		rd->pos += n;
		if (t > 0) {
			rd->line++;
			return 1;
		}
		if ((r = fill(rd, err)) < 0)
			return -1;
		if (r == 0)
			return got;
	}
}

static void
set_bad(struct kn_reader *rd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
set_bad(struct kn_reader *rd, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	if (rd->bad.len > 0)
		return;		/* the first reason is the one to tell */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	kn_buf_adds(&rd->bad, msg);
}

static void
utf8_check(struct kn_reader *rd, const char *s, size_t len, long line)
{
	size_t bad;

	if (kn_utf8_valid(s, len, &bad))
		return;
	if (rd->conv)
		set_bad(rd, "invalid UTF-8 after decoding from %s (byte 0x%02X "
		    "at line %ld, column %zu)", rd->encname,
		    (unsigned char)s[bad], line, bad + 1);
	else
		set_bad(rd, "invalid UTF-8 (byte 0x%02X at column %zu); if the "
		    "file comes from an old Vietnamese system, try --encoding "
		    "cp1258 or --encoding tcvn", (unsigned char)s[bad],
		    bad + 1);
}

static void
begin_record(struct kn_reader *rd)
{
	kn_buf_reset(&rd->rec);
	kn_buf_reset(&rd->bad);
	kn_buf_reset(&rd->warn);
	rd->rec_trunc = 0;
	rd->rec_line = rd->line;
}

static void
keep_raw(struct kn_reader *rd, const char *p, size_t n)
{
	size_t room = rd->o.max_record - rd->rec.len;

	if (rd->rec.len >= rd->o.max_record) {
		rd->rec_trunc |= n > 0;
		return;
	}
	if (n > room) {
		n = room;
		rd->rec_trunc = 1;
	}
	kn_buf_add(&rd->rec, p, n);
}

static int
bad_record(struct kn_reader *rd, struct kn_error *err)
{
	if (rd->fmt == KN_FMT_JSON && rd->js_index > 0)
		kn_error_set(err, KN_EINVAL, rd->name, rd->rec_line,
		    "%s (value %lu)", kn_buf_str(&rd->bad), rd->js_index);
	else
		kn_error_set(err, KN_EINVAL, rd->name, rd->rec_line, "%s",
		    kn_buf_str(&rd->bad));
	return KN_READ_BAD;
}

static const char *
size_name(size_t n, char *buf, size_t size)
{
	if (n % (1024 * 1024) == 0)
		snprintf(buf, size, "%zu MiB", n / (1024 * 1024));
	else if (n % 1024 == 0)
		snprintf(buf, size, "%zu KiB", n / 1024);
	else
		snprintf(buf, size, "%zu bytes", n);
	return buf;
}

/* ---- sniffing ---- */

static int
peek_byte(struct kn_reader *rd, struct kn_error *err)
{
	for (;;) {
		while (rd->pos < rd->len) {
			unsigned char c = (unsigned char)rd->buf[rd->pos];

			if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				return c;
			if (c == '\n' || (c == '\r' && !(rd->pos + 1 < rd->len &&
			    rd->buf[rd->pos + 1] == '\n')))
				rd->line++;
			rd->pos++;
		}
		switch (fill(rd, err)) {
		case -1:
			return -2;
		case 0:
			return -1;
		}
	}
}

/* Is the header line (up to CHUNK bytes) all in the buffer? */
static int
have_first_line(const struct kn_reader *rd)
{
	size_t i;
	int quoted = 0;

	if (rd->len - rd->pos >= CHUNK)
		return 1;
	for (i = rd->pos; i < rd->len; i++) {
		if (rd->buf[i] == '"')
			quoted = !quoted;
		else if (!quoted && (rd->buf[i] == '\n' || rd->buf[i] == '\r'))
			return 1;
	}
	return 0;
}

static int
sniff_delim(struct kn_reader *rd, struct kn_error *err)
{
	size_t i, ncomma = 0, nsemi = 0, ntab = 0;
	int quoted = 0, r;

	while (!have_first_line(rd))
		if ((r = fill(rd, err)) <= 0) {
			if (r < 0)
				return -1;
			break;
		}
	for (i = rd->pos; i < rd->len; i++) {
		char c = rd->buf[i];

		if (c == '"')
			quoted = !quoted;
		else if (!quoted && (c == '\n' || c == '\r'))
			break;
		else if (!quoted && c == ',')
			ncomma++;
		else if (!quoted && c == ';')
			nsemi++;
		else if (!quoted && c == '\t')
			ntab++;
	}
	if (ntab > ncomma && ntab > nsemi)
		return '\t';
	if (nsemi > ncomma)
		return ';';
	return ',';
}

/* ---- CSV ---- */

static int
csv_space(unsigned char c)
{
	return c == ' ';
}

static int
csv_term(unsigned char c)
{
	return c == '\n' || c == '\r';
}

static void
csv_field_cb(void *s, size_t len, void *data)
{
	struct kn_reader *rd = data;
	char sz[32];

	if (rd->nf >= rd->o.max_fields) {
		if (rd->nf == rd->o.max_fields)
			set_bad(rd, "more than %zu fields (the limit)",
			    rd->o.max_fields);
		rd->nf++;
		return;
	}
	if (len > rd->o.max_field && rd->have_hdr && rd->nf < rd->nhdr)
		set_bad(rd, "field %zu (\"%s\") is %zu bytes, over the limit "
		    "of %s (--max-field)", rd->nf + 1, rd->hdr[rd->nf], len,
		    size_name(rd->o.max_field, sz, sizeof(sz)));
	else if (len > rd->o.max_field)
		set_bad(rd, "field %zu is %zu bytes, over the limit of %s "
		    "(--max-field)", rd->nf + 1, len,
		    size_name(rd->o.max_field, sz, sizeof(sz)));
	else if (s != NULL && memchr(s, '\0', len) != NULL)
		set_bad(rd, "NUL byte in field %zu", rd->nf + 1);
	if (rd->nf == rd->fcap) {
		size_t cap = rd->fcap ? rd->fcap * 2 : 32;
		size_t *a = realloc(rd->foff, cap * sizeof(*a));
		size_t *b;

		if (a == NULL)
			goto nomem;
		rd->foff = a;
		if ((b = realloc(rd->flen, cap * sizeof(*b))) == NULL)
			goto nomem;
		rd->flen = b;
		rd->fcap = cap;
	}
	rd->foff[rd->nf] = rd->fdata.len;
	if (len > rd->o.max_field)
		len = 0;	/* the record is rejected; keep nothing */
	else if (s != NULL && kn_csv_unguard(s, len)) {
		s = (char *)s + 1;	/* what kn_csv_cell added */
		len--;
	}
	rd->flen[rd->nf] = len;
	if (kn_buf_add(&rd->fdata, s != NULL ? s : "", len) == -1 ||
	    kn_buf_addc(&rd->fdata, '\0') == -1)
		goto nomem;
	rd->nf++;
	return;
nomem:
	set_bad(rd, "out of memory");
}

static void
csv_row_cb(int c, void *data)
{
	struct kn_reader *rd = data;

	(void)c;
	rd->row_done = 1;
}

static int
csv_start(struct kn_reader *rd, struct kn_error *err)
{
	if (rd->csv_ready)
		csv_free(&rd->csv);
	if (csv_init(&rd->csv, CSV_APPEND_NULL) != 0) {
		kn_error_set(err, KN_ENOMEM, rd->name, 0, "out of memory");
		return -1;
	}
	csv_set_delim(&rd->csv, (unsigned char)rd->delim);
	csv_set_space_func(&rd->csv, csv_space);
	csv_set_term_func(&rd->csv, csv_term);
	rd->csv_ready = 1;
	return 0;
}

static const char *
field(const struct kn_reader *rd, size_t i)
{
	return rd->fdata.data + rd->foff[i];
}

static int
make_header(struct kn_reader *rd, struct kn_error *err)
{
	struct kn_buf key = KN_BUF_INIT;
	size_t i, j, n = rd->nf;

	if (rd->bad.len > 0) {
		kn_error_set(err, KN_ECSV, rd->name, rd->rec_line,
		    "header: %s", kn_buf_str(&rd->bad));
		return -1;
	}
	if ((rd->hdr = calloc(n ? n : 1, sizeof(char *))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++) {
		kn_buf_reset(&key);
		if (kn_text_clean(&key, field(rd, i), rd->flen[i]) == -1)
			goto nomem;
		if (key.len == 0 && kn_buf_addf(&key, "column_%zu", i + 1) ==
		    -1)
			goto nomem;
		for (j = 0; j < i; j++)
			if (strcmp(rd->hdr[j], key.data) == 0)
				break;
		if (j < i) {
			if (kn_buf_addf(&key, "_%zu", i + 1) == -1)
				goto nomem;
			kn_buf_addf(&rd->hwarn, "%sheader: column %zu repeats "
			    "the name of column %zu; it is called \"%s\"",
			    rd->hwarn.len ? "; " : "", i + 1, j + 1, key.data);
		}
		if ((rd->hdr[i] = strdup(key.data)) == NULL)
			goto nomem;
		rd->nhdr++;
	}
	rd->have_hdr = 1;
	rd->hdr_line = rd->rec_line;
	kn_buf_free(&key);
	return 0;
nomem:
	kn_buf_free(&key);
	kn_error_set(err, KN_ENOMEM, rd->name, 0, "out of memory");
	return -1;
}

/* The fields of a finished row as a record; 0 for a row of empty cells. */
static int
make_row(struct kn_reader *rd, struct kn_record **recp,
    struct kn_error *err)
{
	struct kn_record *r;
	size_t i, nonempty = 0, last = 0;

	for (i = 0; i < rd->nf && i < rd->o.max_fields; i++)
		if (rd->flen[i] > 0) {
			nonempty++;
			last = i + 1;
		}
	if (nonempty == 0 && rd->bad.len == 0)
		return 0;
	if (rd->bad.len == 0 && last > rd->nhdr)
		set_bad(rd, "row has %zu fields, the header has %zu (is a "
		    "delimiter or a quote missing?)", last, rd->nhdr);
	if (rd->bad.len > 0)
		return bad_record(rd, err);
	if (rd->nf < rd->nhdr)
		kn_buf_addf(&rd->warn, "%srow has %zu fields, the header has "
		    "%zu; the missing ones are taken as empty",
		    rd->warn.len ? "; " : "", rd->nf, rd->nhdr);
	if ((r = kn_record_new()) == NULL)
		goto nomem;
	for (i = 0; i < rd->nhdr; i++)
		if (kn_record_set_strn(r, rd->hdr[i], i < rd->nf ?
		    field(rd, i) : "", i < rd->nf ? rd->flen[i] : 0) == -1) {
			kn_record_free(r);
			goto nomem;
		}
	kn_record_set_origin(r, rd->name, rd->rec_line);
	*recp = r;
	return KN_READ_RECORD;
nomem:
	kn_error_set(err, KN_ENOMEM, rd->name, 0, "out of memory");
	return KN_READ_FATAL;
}

static int resync(struct kn_reader *, struct kn_error *);

static int
next_csv(struct kn_reader *rd, struct kn_record **recp, struct kn_error *err)
{
	int over, r;
	size_t cap;

	if (!rd->csv_ready && csv_start(rd, err) == -1)
		return KN_READ_FATAL;
	for (;;) {
		begin_record(rd);
		rd->nf = 0;
		kn_buf_reset(&rd->fdata);
		rd->row_done = 0;
		for (;;) {
			long line = rd->line;

			kn_buf_reset(&rd->lbuf);
			cap = rd->o.max_record + 1 - (rd->rec.len <
			    rd->o.max_record ? rd->rec.len : rd->o.max_record);
			if ((r = get_line(rd, &rd->lbuf, cap, &over, err)) < 0)
				return KN_READ_FATAL;
			if (r == 0) {
				/* The end: finish a row without a newline. */
				if (rd->csv.pstate == CSV_ROW_NOT_BEGUN)
					return KN_READ_END;
				if (rd->csv.pstate == CSV_FIELD_BEGUN &&
				    rd->csv.quoted && rd->have_hdr &&
				    (r = resync(rd, err)) != 0)
					return r;
				if (rd->csv.pstate == CSV_FIELD_BEGUN &&
				    rd->csv.quoted)
					set_bad(rd, "the file ends inside a "
					    "quoted field (a quote is "
					    "missing)");
				csv_fini(&rd->csv, csv_field_cb, csv_row_cb,
				    rd);
				rd->row_done = 1;
				break;
			}
			keep_raw(rd, rd->lbuf.data, rd->lbuf.len);
			if (over || rd->rec_trunc) {
				char sz[32];

				/* Too long to hold: skip it, start afresh. */
				set_bad(rd, "record is longer than %s (the "
				    "limit); is a quote missing?",
				    size_name(rd->o.max_record, sz,
				    sizeof(sz)));
				if (csv_start(rd, err) == -1)
					return KN_READ_FATAL;
				if (!rd->have_hdr) {
					kn_error_set(err, KN_ECSV, rd->name,
					    rd->rec_line, "header: %s",
					    kn_buf_str(&rd->bad));
					return KN_READ_FATAL;
				}
				return bad_record(rd, err);
			}
			utf8_check(rd, rd->lbuf.data, rd->lbuf.len, line);
			if (csv_parse(&rd->csv, rd->lbuf.data, rd->lbuf.len,
			    csv_field_cb, csv_row_cb, rd) != rd->lbuf.len) {
				kn_error_set(err, KN_ENOMEM, rd->name, line,
				    "%s", csv_strerror(csv_error(&rd->csv)));
				return KN_READ_FATAL;
			}
			if (rd->row_done)
				break;
			if (rd->csv.pstate == CSV_ROW_NOT_BEGUN && rd->nf == 0)
				begin_record(rd);	/* a blank line */
		}
		if (!rd->have_hdr) {
			if (rd->nf == 0)
				continue;
			if (make_header(rd, err) == -1)
				return KN_READ_FATAL;
			continue;
		}
		if ((r = make_row(rd, recp, err)) != 0)
			return r;
	}
}

/*
 * The file ended inside a quoted field that began lines ago: a quote is
 * missing, most likely on the record's first line.  Reject that line
 * alone and read the lines after it again as rows, so that one stray
 * quote costs one row, not the rest of the file.  0 when the record is
 * one line (nothing to read again).
 */
static int
resync(struct kn_reader *rd, struct kn_error *err)
{
	const char *p = rd->rec.data;
	size_t n = rd->rec.len, i;

	for (i = 0; i < n && p[i] != '\n' && p[i] != '\r'; i++)
		;
	if (i < n)
		i += p[i] == '\r' && i + 1 < n && p[i + 1] == '\n' ? 2 : 1;
	if (i >= n || rd->rec_trunc)
		return 0;
	rd->pos = rd->len = 0;
	if (buf_room(rd, n - i) == -1) {
		kn_error_set(err, KN_ENOMEM, rd->name, 0, "out of memory");
		return KN_READ_FATAL;
	}
	memcpy(rd->buf, p + i, n - i);
	rd->len = n - i;
	rd->line = rd->rec_line + 1;
	rd->rec.len = i;
	rd->rec.data[i] = '\0';
	kn_buf_reset(&rd->bad);
	set_bad(rd, "a quote opened on this line is never closed; the lines "
	    "after it were read again as rows");
	if (csv_start(rd, err) == -1)
		return KN_READ_FATAL;
	return bad_record(rd, err);
}

/* ---- JSON ---- */

static int
check_sizes(struct kn_reader *rd, json_t *obj)
{
	const char *key;
	json_t *v;
	char sz[32];

	json_object_foreach(obj, key, v) {
		if (json_is_string(v) && json_string_length(v) >
		    rd->o.max_field) {
			set_bad(rd, "\"%s\" is %zu bytes, over the limit of %s "
			    "(--max-field)", key, json_string_length(v),
			    size_name(rd->o.max_field, sz, sizeof(sz)));
			return -1;
		}
	}
	if (json_object_size(obj) > rd->o.max_fields) {
		set_bad(rd, "more than %zu keys (the limit)",
		    rd->o.max_fields);
		return -1;
	}
	return 0;
}

/* Parse the raw bytes of the current record as one JSON object. */
static int
parse_object(struct kn_reader *rd, struct kn_record **recp,
    struct kn_error *err)
{
	json_error_t jerr;
	json_t *v;
	size_t len;

	if (rd->bad.len > 0)
		return bad_record(rd, err);
	len = rd->rec.len;
	while (len > 0 && (rd->rec.data[len - 1] == '\n' ||
	    rd->rec.data[len - 1] == '\r'))
		len--;	/* or jansson counts the line end as a line */
	v = json_loadb(rd->rec.data, len, JSON_REJECT_DUPLICATES |
	    JSON_DECODE_ANY, &jerr);
	if (v == NULL) {
		long line = rd->rec_line + (jerr.line > 1 ? jerr.line - 1 : 0);

		kn_buf_reset(&rd->bad);
		/* Valid JSON that the tools cannot hold: say so plainly. */
		if (json_error_code(&jerr) == json_error_null_character)
			set_bad(rd, "a NUL character (\\u0000) in a string "
			    "(column %d): text cannot hold one", jerr.column);
		else if (json_error_code(&jerr) ==
		    json_error_numeric_overflow)
			set_bad(rd, "a number too large to hold (column %d); "
			    "an id or a phone number belongs in quotes",
			    jerr.column);
		else if (jerr.column > 0)
			set_bad(rd, "malformed JSON: %s (column %d)", jerr.text,
			    jerr.column);
		else
			set_bad(rd, "malformed JSON: %s", jerr.text);
		rd->rec_line = line;
		bad_record(rd, err);
		err->code = KN_EJSON;
		err->column = jerr.column;
		return KN_READ_BAD;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		set_bad(rd, "not a JSON object (a record must be {...})");
		return bad_record(rd, err);
	}
	if (check_sizes(rd, v) == -1) {
		json_decref(v);
		return bad_record(rd, err);
	}
	*recp = knp_record_from_object(v);
	json_decref(v);
	if (*recp == NULL) {
		kn_error_set(err, KN_ENOMEM, rd->name, 0, "out of memory");
		return KN_READ_FATAL;
	}
	kn_record_set_origin(*recp, rd->name, rd->rec_line);
	return KN_READ_RECORD;
}

static int
blank(const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n'))
		s++, n--;
	return n == 0;
}

static int
next_jsonl(struct kn_reader *rd, struct kn_record **recp,
    struct kn_error *err)
{
	int over, r;
	char sz[32];

	for (;;) {
		begin_record(rd);
		if ((r = get_line(rd, &rd->rec, rd->o.max_record, &over,
		    err)) < 0)
			return KN_READ_FATAL;
		if (r == 0)
			return KN_READ_END;
		if (over) {
			rd->rec_trunc = 1;
			set_bad(rd, "line is longer than %s (the limit)",
			    size_name(rd->o.max_record, sz, sizeof(sz)));
			return bad_record(rd, err);
		}
		if (blank(rd->rec.data, rd->rec.len))
			continue;
		utf8_check(rd, rd->rec.data, rd->rec.len, rd->rec_line);
		return parse_object(rd, recp, err);
	}
}

/* The next decoded byte, counting lines; -1 at the end, -2 on error. */
static int
json_getc(struct kn_reader *rd, struct kn_error *err)
{
	unsigned char c;
	int r;

	if (rd->pos >= rd->len && (r = fill(rd, err)) <= 0)
		return r == 0 ? -1 : -2;
	c = (unsigned char)rd->buf[rd->pos++];
	if (c == '\n')
		rd->line++;
	else if (c == '\r') {
		if (rd->pos >= rd->len && (r = fill(rd, err)) < 0)
			return -2;
		if (rd->pos >= rd->len || rd->buf[rd->pos] != '\n')
			rd->line++;
	}
	return c;
}

/*
 * Feed the scanner one byte of an element that is an object, an array
 * or a string; 1 when the element is complete.
 */
static int
json_byte(struct kn_reader *rd, char c)
{
	keep_raw(rd, &c, 1);
	if (rd->js_str) {
		if (rd->js_esc)
			rd->js_esc = 0;
		else if (c == '\\')
			rd->js_esc = 1;
		else if (c == '"' || c == '\n' || c == '\r')
			rd->js_str = 0;	/* a raw newline ends a broken string */
	} else if (c == '"')
		rd->js_str = 1;
	else if (c == '{' || c == '[')
		rd->js_depth++;
	else if (c == '}' || c == ']')
		rd->js_depth--;
	return rd->js_depth <= 0 && !rd->js_str;
}

static int
is_json_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The next element of a top-level array (or the next value of a stream
 * of concatenated values), cut out by tracking strings and nesting and
 * parsed alone.
 */
static int
next_json(struct kn_reader *rd, struct kn_record **recp, struct kn_error *err)
{
	char sz[32];
	int c, scalar;

	begin_record(rd);
	for (;;) {
		if (rd->pos < rd->len) {
			c = (unsigned char)rd->buf[rd->pos];
			if (is_json_space(c) || (rd->js_top && ((rd->js_array &&
			    (c == ',' || c == ']')) || (!rd->js_array &&
			    c == '[')))) {
				json_getc(rd, err);
				if (c == ']')
					rd->js_array = 0;
				else if (c == '[')
					rd->js_array = 1;
				continue;
			}
			if (!rd->js_top) {
				rd->js_top = 1;
				if (c == '[') {
					json_getc(rd, err);
					rd->js_array = 1;
					continue;
				}
			}
			break;
		}
		if ((c = fill(rd, err)) < 0)
			return KN_READ_FATAL;
		if (c == 0) {
			if (rd->js_array) {
				rd->js_array = 0;
				kn_buf_addf(&rd->warn, "the file ends before "
				    "the closing ']' (truncated?)");
			}
			return KN_READ_END;
		}
	}
	/* An element starts here. */
	rd->rec_line = rd->line;
	rd->js_index++;
	rd->js_depth = 0;
	rd->js_str = rd->js_esc = 0;
	c = (unsigned char)rd->buf[rd->pos];
	scalar = c != '{' && c != '[' && c != '"';
	for (;;) {
		if (scalar) {
			if (rd->pos >= rd->len && (c = fill(rd, err)) <= 0) {
				if (c < 0)
					return KN_READ_FATAL;
				break;
			}
			c = (unsigned char)rd->buf[rd->pos];
			if (is_json_space(c) || c == ',' || c == ']' ||
			    c == '[' || c == '{')
				break;
			json_getc(rd, err);
			keep_raw(rd, (char *)&c, 1);
			continue;
		}
		if ((c = json_getc(rd, err)) == -2)
			return KN_READ_FATAL;
		if (c == -1) {
			set_bad(rd, "the file ends inside this value "
			    "(truncated?)");
			return bad_record(rd, err);
		}
		if (json_byte(rd, (char)c))
			break;
	}
	if (rd->rec_trunc) {
		set_bad(rd, "value is longer than %s (the limit)",
		    size_name(rd->o.max_record, sz, sizeof(sz)));
		return bad_record(rd, err);
	}
	utf8_check(rd, rd->rec.data, rd->rec.len, rd->rec_line);
	if (scalar) {
		set_bad(rd, "not a JSON object (a record must be {...})");
		return bad_record(rd, err);
	}
	return parse_object(rd, recp, err);
}

int
kn_reader_next(struct kn_reader *rd, struct kn_record **recp,
    struct kn_error *err)
{
	int c;

	*recp = NULL;
	if (!rd->started && fill(rd, err) < 0)
		return KN_READ_FATAL;
	if (rd->fmt == KN_FMT_AUTO) {
		if ((c = peek_byte(rd, err)) == -2)
			return KN_READ_FATAL;
		if (c == -1)
			return KN_READ_END;
		rd->fmt = c == '[' ? KN_FMT_JSON : c == '{' ? KN_FMT_JSONL :
		    KN_FMT_CSV;
	}
	switch (rd->fmt) {
	case KN_FMT_CSV:
		if (!rd->csv_ready) {
			rd->delim = rd->o.delim ? rd->o.delim :
			    sniff_delim(rd, err);
			if (rd->delim < 0)
				return KN_READ_FATAL;
		}
		return next_csv(rd, recp, err);
	case KN_FMT_JSONL:
		return next_jsonl(rd, recp, err);
	default:
		return next_json(rd, recp, err);
	}
}

const char *
knp_reader_encoding(const struct kn_reader *rd, unsigned long *nreplaced,
    long *line)
{
	*nreplaced = rd->nreplaced;
	*line = rd->replaced_line;
	return rd->encname;
}

void
knp_reader_chunk(struct kn_reader *rd, size_t n)
{
	rd->chunk = n;
}
