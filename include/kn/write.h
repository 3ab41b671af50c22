/*
 * kn/write.h: writers for JSON Lines, CSV and a JSON array.
 *
 * JSON Lines are written as they come.  CSV needs its header before the
 * first row but takes in keys that appear only in later records, so the
 * CSV writer spools rows to an unlinked temporary file and writes the
 * header and the rows when it is closed.
 *
 * CSV for people is Excel-safe by default: a cell that Excel would read
 * as a formula (starting with = + - @, a tab or a carriage return) gets
 * a leading apostrophe, except a plain number such as -12.5, which
 * stays a number.  A cell that already starts with apostrophes before
 * one of those gets one more, so that the CSV reader, which takes the
 * apostrophe off again (kn_csv_unguard), gives back every value as it
 * was.  The file starts with a UTF-8 byte order mark so that Excel
 * reads Vietnamese correctly.  KN_WRITE_RAW writes plain RFC 4180
 * instead.
 *
 * Ownership: the writer borrows fp and name; it never closes fp.
 */
#ifndef KN_WRITE_H
#define KN_WRITE_H

#include <stdio.h>

#include "error.h"
#include "read.h"
#include "record.h"

#define KN_WRITE_RAW	0x01	/* CSV: no BOM, no formula neutralising */

struct kn_writer;

struct kn_writer *kn_writer_new(FILE *fp, const char *name,
	    enum kn_format fmt, int flags, struct kn_error *err);
int	 kn_writer_put(struct kn_writer *w, const struct kn_record *r,
	    struct kn_error *err);
/* Finish the output (CSV header and rows, the closing "]") and flush. */
int	 kn_writer_close(struct kn_writer *w, struct kn_error *err);
void	 kn_writer_free(struct kn_writer *w);	/* accepts NULL */

/* Append one CSV cell to buf, quoted as RFC 4180 needs; see above. */
int	 kn_csv_cell(struct kn_buf *buf, const char *s, size_t len,
	    int delim, int flags);
/* Does a cell read from CSV start with the writer's guard? 1 or 0. */
int	 kn_csv_unguard(const char *s, size_t len);
/* Append s as a JSON string literal, quotes included. */
int	 kn_json_quote(struct kn_buf *buf, const char *s, size_t len);

#endif
