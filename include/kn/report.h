/*
 * kn/report.h: what kn-report counts: windows on the day a proposal was
 * submitted, overdue records, counts per group of key values (a tally),
 * the default summary and the dialogue digest.
 *
 * Records stream through kn_report_add one at a time and are not kept:
 * memory grows with the number of groups (and, for the digest, with the
 * number of distinct problems), never with the number of records.
 *
 * Ownership: arguments are borrowed and copied; the report owns its
 * tallies, groups and digest, which are read-only to the caller and
 * valid until kn_report_free.
 */
#ifndef KN_REPORT_H
#define KN_REPORT_H

#include <stddef.h>

#include "buf.h"
#include "error.h"
#include "map.h"
#include "record.h"

/* Day numbers (see kn/date.h) beyond any real date: open window ends. */
#define KN_DAY_MIN	(-100000000L)
#define KN_DAY_MAX	100000000L

#define KN_WEEK_LEN	9	/* "2025-W40" and its NUL */
#define KN_MONTH_LEN	8	/* "2025-10" and its NUL */

/* ---- windows on submitted ---- */

/* The days from since to until, both included. */
struct kn_window {
	long	 since;
	long	 until;
};

void	 kn_window_init(struct kn_window *w);		/* every day */
int	 kn_window_is_set(const struct kn_window *w);
int	 kn_window_contains(const struct kn_window *w, long day);
/*
 * Narrow w to the days on or after a date, on or before a date, an ISO
 * week ("2025-W40"), a month ("2025-10" or "10/2025"), or the last N
 * days ("7d", "2w", or "7") ending on as_of.  Windows given together
 * intersect.  -1 and err when the text is not valid.
 */
int	 kn_window_since(struct kn_window *w, const char *date,
	    struct kn_error *err);
int	 kn_window_until(struct kn_window *w, const char *date,
	    struct kn_error *err);
int	 kn_window_week(struct kn_window *w, const char *week,
	    struct kn_error *err);
int	 kn_window_month(struct kn_window *w, const char *month,
	    struct kn_error *err);
int	 kn_window_last(struct kn_window *w, const char *span, long as_of,
	    struct kn_error *err);

/* The ISO week ("2025-W40") and month ("2025-10") of a day. */
void	 kn_week_key(long day, char *buf);	/* KN_WEEK_LEN bytes */
void	 kn_month_key(long day, char *buf);	/* KN_MONTH_LEN bytes */

/* ---- overdue ---- */

/* 1 when a status is settled: answered, closed or duplicate. */
int	 kn_status_settled(const char *status);
/*
 * 1 when r is overdue on day as_of: its status is not settled and its
 * due date is before as_of; 0 when not (or when due is absent or "");
 * -1 when due is not a date.  *due is set when due is a date.
 */
int	 kn_report_overdue(const struct kn_record *r, long as_of, long *due);

/* ---- tallies ---- */

/*
 * A set of commune indexes: a few indexes listed, or a bit set once it
 * holds more, so that a million groups of one commune each cost little
 * and a group of every commune costs a bit per commune.  Private.
 */
#define KN_CSET_FEW 6

struct kn_cset {
	unsigned int	 few[KN_CSET_FEW];
	size_t		 nfew;
	unsigned char	*bits;
	size_t		 nbytes;
};

struct kn_group {
	char		**vals;		/* the value of each key */
	unsigned long	 count;		/* records */
	size_t		 ncommunes;	/* distinct communes among them */
	long		 oldest;	/* earliest day added, or KN_DAY_MAX */
	char		*label;		/* for key "group": its problem */
	/* private */
	struct kn_cset	 cset;
};

struct kn_tally {
	char		**keys;
	size_t		 nkeys;
	struct kn_group	**groups;	/* order of kn_tally_sort */
	size_t		 ngroups;
	unsigned long	 total;		/* records counted */
	/* private */
	size_t		 cap;
	struct kn_map	*index;
	struct kn_buf	 kbuf;
	struct kn_buf	 nbuf;		/* a value in NFC */
};

/* How kn_tally_sort orders the groups. */
enum kn_order {
	KN_ORDER_KEYS,		/* by the values, in Vietnamese order */
	KN_ORDER_COUNT,		/* by count, largest first, then by values */
	KN_ORDER_OLDEST,	/* by the earliest day, then by count */
	KN_ORDER_FIRST_KEY	/* by the first key, then by count: a series */
};

struct kn_tally *kn_tally_new(const char *const *keys, size_t nkeys);
void	 kn_tally_free(struct kn_tally *t);	/* accepts NULL */
/*
 * Count one record whose key values are vals[0..nkeys); commune is its
 * commune's index (see kn_report_commune) or -1; day is kept when it is
 * the group's earliest.  Values are compared in NFC, so that "Hạc
 * Thành" composed and decomposed count as one group, whose vals are in
 * NFC.  The group is returned (NULL when out of memory), so that the
 * caller can give it a label.
 */
struct kn_group *kn_tally_add(struct kn_tally *t, const char *const *vals,
	    long commune, long day);
int	 kn_tally_sort(struct kn_tally *t, enum kn_order order);
/* How many distinct communes all the groups of t hold together. */
size_t	 kn_tally_communes(const struct kn_tally *t);

/* ---- the dialogue digest ---- */

enum kn_answer_kind {
	KN_ANSWER_NONE,
	KN_ANSWER_SUGGESTED,	/* status "suggested": from the KB */
	KN_ANSWER_GIVEN		/* status "answered" or "closed" */
};

/* One distinct problem: a group of kn-answer, or a record of its own. */
struct kn_problem {
	char		*id;		/* the group id */
	char		*field;
	char		*title;		/* the representative's; "" if none */
	char		*text;
	char		*answer;	/* "" when none */
	char		*answered_by;
	char		*answered_at;
	int		 answer_kind;	/* enum kn_answer_kind */
	char		**departments;	/* the representative's first */
	size_t		 ndepartments;
	unsigned long	 count;		/* records */
	size_t		 ncommunes;
	size_t		*communes;	/* after kn_report_finish, sorted */
	unsigned long	 noverdue;	/* records overdue */
	unsigned long	 nclosed;	/* records closed */
	long		 oldest_due;	/* their earliest due, or KN_DAY_MAX */
	/* private */
	int		 has_rep;
	size_t		 order;
	struct kn_cset	 cset;
};

struct kn_digest_field {
	char		*code;
	struct kn_problem **problems;	/* most communes first */
	size_t		 nproblems;
	size_t		 ncommunes;	/* distinct communes across them */
	unsigned long	 count;		/* records */
	size_t		 nanswered, nsuggested, nunanswered;	/* problems */
	/* private */
	struct kn_cset	 cset;
};

/* ---- the report ---- */

struct kn_report_opts {
	const char	*by;		/* "field,status"; NULL: the summary */
	struct kn_window window;
	long		 as_of;		/* for overdue and --last */
	int		 overdue;	/* keep only overdue records */
	int		 digest;	/* gather the dialogue digest */
};

struct kn_report {
	struct kn_report_opts opts;
	char		**by;		/* the keys of opts.by */
	size_t		 nby;
	struct kn_tally	*groups;	/* --by */
	/* The summary (no --by, no digest). */
	struct kn_tally	*by_field, *by_status, *by_department;
	struct kn_tally	*overdue;	/* overdue records per department */
	/* The digest. */
	struct kn_digest_field *fields;	/* after kn_report_finish */
	size_t		 nfields;
	size_t		 nproblems;
	/* Figures. */
	unsigned long	 nseen;		/* records given to kn_report_add */
	unsigned long	 ncounted;	/* records that passed the filters */
	unsigned long	 noverdue;	/* counted records that are overdue */
	unsigned long	 nundated;	/* left out of a window: no date */
	size_t		 ncommunes;	/* distinct communes counted */
	/* Communes seen, by index; their rank in Vietnamese order. */
	char		**communes;
	size_t		 ncommune_names;
	size_t		*commune_rank;	/* after kn_report_finish */
	/* private */
	size_t		 commune_cap;
	struct kn_map	*commune_index;
	struct kn_cset	 cset;
	struct kn_map	*problem_index;
	struct kn_problem **problems;
	size_t		 problems_cap;
	struct kn_buf	*vbufs;		/* one per key of by */
	char		**vals;
	struct kn_buf	 nbuf;		/* a name in NFC */
};

/*
 * A new report: the keys of opts->by are checked (non-empty, not
 * repeated, not "count").  NULL and err on failure.
 */
struct kn_report *kn_report_new(const struct kn_report_opts *opts,
	    struct kn_error *err);
void	 kn_report_free(struct kn_report *rep);	/* accepts NULL */
/*
 * Count r when it passes the filters: 1 when counted, 0 when left out,
 * -1 when out of memory.  Warnings about r (a date that is not a date)
 * are appended to warn, one per line, without the record's origin.
 */
int	 kn_report_add(struct kn_report *rep, const struct kn_record *r,
	    struct kn_buf *warn);
/*
 * Append to buf the value of key for r as it is counted: the key's text
 * (see kn_record_text), "" when absent; "week" and "month" are those of
 * submitted, "" when it is not a date (and *bad is then set when it is
 * not empty either); "group" is the record's own id when it has no
 * group.  -1 when out of memory.
 */
int	 kn_report_value(const struct kn_record *r, const char *key,
	    struct kn_buf *buf, int *bad);
/*
 * The index of a commune name (compared, and kept, in NFC), added when
 * new; -1 when out of memory.
 */
long	 kn_report_commune(struct kn_report *rep, const char *name);
/*
 * Sort everything for output: groups by order, digest problems and
 * fields by how many communes raised them, communes in Vietnamese order.
 */
int	 kn_report_finish(struct kn_report *rep, enum kn_order order);

#endif
