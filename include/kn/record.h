/*
 * kn/record.h: a record, the unit every kiennghi tool reads and writes.
 *
 * A record is an ordered set of string keys, each with a JSON value
 * (string, number, boolean, null, array or object).  It keeps every key
 * it was given, in order, including keys no tool knows: setting an
 * existing key replaces its value in place, setting a new key appends it.
 *
 * Ownership: arguments are borrowed and copied; strings returned by
 * getters are borrowed and valid until the record changes or is freed.
 */
#ifndef KN_RECORD_H
#define KN_RECORD_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

struct kn_record;

enum kn_type {
	KN_ABSENT = -1,
	KN_NULL,
	KN_BOOL,
	KN_NUMBER,
	KN_STRING,
	KN_ARRAY,
	KN_OBJECT
};

struct kn_record *kn_record_new(void);
void	 kn_record_free(struct kn_record *r);	/* accepts NULL */
struct kn_record *kn_record_dup(const struct kn_record *r);

size_t	 kn_record_len(const struct kn_record *r);
const char *kn_record_key_at(const struct kn_record *r, size_t i);
int	 kn_record_has(const struct kn_record *r, const char *key);
enum kn_type kn_record_type(const struct kn_record *r, const char *key);

/* The string value of key, or NULL when absent or not a string. */
const char *kn_record_str(const struct kn_record *r, const char *key);
/* Like kn_record_str, but "" rather than NULL. */
const char *kn_record_strz(const struct kn_record *r, const char *key);
/* 0 and *out when key holds a number, else -1. */
int	 kn_record_num(const struct kn_record *r, const char *key, double *out);
/* 1 when key holds true, 0 otherwise. */
int	 kn_record_bool(const struct kn_record *r, const char *key);
/*
 * The value of key as text into buf: a string as is, a number as
 * written in JSON, true/false, "" for null; arrays and objects as compact
 * JSON.  Returns the length, or -1 when absent or out of memory.
 */
int	 kn_record_text(const struct kn_record *r, const char *key,
	    struct kn_buf *buf);

int	 kn_record_set_str(struct kn_record *r, const char *key,
	    const char *val);
int	 kn_record_set_strn(struct kn_record *r, const char *key,
	    const char *val, size_t len);
int	 kn_record_set_int(struct kn_record *r, const char *key, long long v);
int	 kn_record_set_real(struct kn_record *r, const char *key, double v);
int	 kn_record_set_bool(struct kn_record *r, const char *key, int v);
int	 kn_record_set_null(struct kn_record *r, const char *key);
/* Set key to the JSON value written in json (any JSON value). */
int	 kn_record_set_json(struct kn_record *r, const char *key,
	    const char *json, size_t len, struct kn_error *err);
/* Copy the value of skey in src to dkey in dst; -1 when absent. */
int	 kn_record_copy(struct kn_record *dst, const char *dkey,
	    const struct kn_record *src, const char *skey);
/* Remove key; 0 when removed, -1 when absent. */
int	 kn_record_del(struct kn_record *r, const char *key);
/* Rename key in place, keeping its position; -1 when absent or taken. */
int	 kn_record_rename(struct kn_record *r, const char *key,
	    const char *newkey);

/* Where the record came from, for messages: a file name and a line. */
void	 kn_record_set_origin(struct kn_record *r, const char *source,
	    long line);
const char *kn_record_source(const struct kn_record *r);
long	 kn_record_line(const struct kn_record *r);

/* The record as one line of compact JSON (no newline) appended to buf. */
int	 kn_record_to_json(const struct kn_record *r, struct kn_buf *buf);
/* Parse a JSON object into a new record; NULL and err on failure. */
struct kn_record *kn_record_from_json(const char *json, size_t len,
	    struct kn_error *err);

#endif
