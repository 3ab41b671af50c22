/*
 * kn/read.h: streaming readers for CSV, JSON Lines and JSON arrays.
 *
 * A reader hands out one record at a time and holds only the record it
 * is reading.  Every record knows its source and the line it starts on.
 * A malformed record is reported and skipped; the reader goes on with
 * the next one, so that one bad row costs one row.
 *
 * Ownership: the reader borrows the path and options; records returned
 * by kn_reader_next are the caller's.
 */
#ifndef KN_READ_H
#define KN_READ_H

#include <stddef.h>

#include "error.h"
#include "record.h"

enum kn_format {
	KN_FMT_AUTO = 0,	/* sniff from the first bytes */
	KN_FMT_CSV,
	KN_FMT_JSONL,
	KN_FMT_JSON		/* a top-level array, or concatenated objects */
};

#define KN_MAX_FIELD	(1024UL * 1024)		/* bytes in one field */
#define KN_MAX_RECORD	(8UL * 1024 * 1024)	/* bytes in one record */
#define KN_MAX_FIELDS	10000			/* fields in one record */

struct kn_read_opts {
	enum kn_format	 format;
	int		 delim;		/* CSV delimiter; 0: sniff , ; tab */
	const char	*encoding;	/* iconv name; NULL: UTF-8 */
	size_t		 max_field;	/* 0: KN_MAX_FIELD */
	size_t		 max_record;	/* 0: KN_MAX_RECORD */
	size_t		 max_fields;	/* 0: KN_MAX_FIELDS */
};

/* Return values of kn_reader_next. */
#define KN_READ_RECORD	 1	/* *rec is a record */
#define KN_READ_END	 0	/* no more records */
#define KN_READ_BAD	-1	/* this record is malformed; err says why */
#define KN_READ_FATAL	-2	/* the input cannot be read further */

struct kn_reader;

/* Parse a format name: "csv", "jsonl" (or "ndjson"), "json"; -1 if unknown. */
int	 kn_format_parse(const char *name);
const char *kn_format_name(enum kn_format f);

/*
 * Open path for reading ("-" or NULL is standard input, named
 * "<stdin>").  The path string must outlive the reader and its records.
 */
struct kn_reader *kn_reader_open(const char *path,
	    const struct kn_read_opts *opts, struct kn_error *err);
/* Read from a memory buffer (borrowed), named name. */
struct kn_reader *kn_reader_mem(const char *data, size_t len,
	    const char *name, const struct kn_read_opts *opts,
	    struct kn_error *err);
int	 kn_reader_next(struct kn_reader *rd, struct kn_record **rec,
	    struct kn_error *err);
/*
 * The raw bytes of the record last returned (good or bad), as found in
 * the input after decoding; *truncated is 1 when it was longer than the
 * record limit and only its start is kept.
 */
const char *kn_reader_raw(const struct kn_reader *rd, size_t *len,
	    int *truncated);
/* A warning about the record last returned (short row, ...), or NULL. */
const char *kn_reader_warning(const struct kn_reader *rd);
const char *kn_reader_source(const struct kn_reader *rd);
/* The format in use, once sniffed. */
enum kn_format kn_reader_format(const struct kn_reader *rd);
/* The CSV delimiter in use, or 0. */
int	 kn_reader_delim(const struct kn_reader *rd);
/* The CSV header keys (borrowed), or NULL when not CSV. */
const char *const *kn_reader_header(const struct kn_reader *rd, size_t *n);
/* The line of the CSV header, or 0. */
long	 kn_reader_header_line(const struct kn_reader *rd);
/* A warning about the CSV header, the first time it is asked, or NULL. */
const char *kn_reader_header_warning(struct kn_reader *rd, long *line);
void	 kn_reader_close(struct kn_reader *rd);	/* accepts NULL */

#endif
