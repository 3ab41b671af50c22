/*
 * kn/intake.h: turning what a commune sent into a canonical record.
 *
 * Canonical keys: id, row, commune, commune_code, submitted, title, text,
 * submitter; every other key passes through after them.  Column names
 * are matched to canonical keys through an alias table (key,alias),
 * after folding: "Nội dung kiến nghị" and "noi dung" both mean text.
 *
 * Ownership: options are borrowed during kn_intake_new only; records
 * returned in *out are the caller's.
 */
#ifndef KN_INTAKE_H
#define KN_INTAKE_H

#include "buf.h"
#include "commune.h"
#include "error.h"
#include "record.h"

struct kn_intake_opts {
	const char	*communes;	/* registry; NULL: data/communes.csv */
	const char	*headers;	/* aliases; NULL: data/headers.csv */
	const char	*seen;		/* a ledger of records taken in before */
	int		 strict_commune; /* an unknown commune is rejected */
	int		 keep_duplicates; /* write duplicates, marked */
};

enum kn_verdict {
	KN_ACCEPT = 0,
	KN_REJECT,
	KN_DUPLICATE
};

struct kn_intake;

struct kn_intake *kn_intake_new(const struct kn_intake_opts *opts,
	    struct kn_error *err);
void	 kn_intake_free(struct kn_intake *in);	/* accepts NULL */
/* Records read from the ledger given as seen. */
unsigned long kn_intake_seen_count(const struct kn_intake *in);
/* The canonical key for a column name, or NULL when it has none. */
const char *kn_intake_canonical(struct kn_intake *in, const char *column);
/*
 * Take in one record.  KN_ACCEPT: *out is the canonical record.
 * KN_REJECT: why says why, *out is NULL.  KN_DUPLICATE: why says of
 * what; *out is the record marked with duplicate_of and status
 * "duplicate" when duplicates are kept, else NULL.  Warnings, one per
 * line, are appended to warn.
 */
enum kn_verdict kn_intake_record(struct kn_intake *in,
	    const struct kn_record *rec, struct kn_record **out,
	    struct kn_buf *why, struct kn_buf *warn);

#endif
