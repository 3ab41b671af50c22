/*
 * kn/route.h: routing a classified record to the department that must
 * answer it, with a priority and a due date.
 *
 * Four data files drive it, all replaceable:
 *   departments.csv  code, name [, name_en]
 *   routes.csv       the routing table: one rule a row, tried in order,
 *                    the first that matches wins, the last a catch-all
 *   priority.csv     phrase, priority: urgent and high phrases, and the
 *                    phrases that neutralise them (none, prevention, risk)
 *   holidays.csv     the holiday calendar (kn/workdays.h)
 * and two of the library's: fields.csv (kn/fields.h) and, when a rule
 * names communes, communes.csv (kn/commune.h).
 *
 * Phrases (of routes.csv and priority.csv) match whole syllables of the
 * title and text.  In a text written with diacritics a phrase written
 * with diacritics must match them too (tone placement and case aside:
 * "hoà" is "hòa"), so that "đang cháy" is not "đang chạy"; in a text
 * written without diacritics, or for a phrase written without them,
 * the folded syllables are compared.
 *
 * Ownership: objects own what they load; strings they return are
 * borrowed and valid until the object is freed; arguments are borrowed.
 */
#ifndef KN_ROUTE_H
#define KN_ROUTE_H

#include <stddef.h>

#include "buf.h"
#include "date.h"
#include "error.h"
#include "record.h"

enum kn_priority {
	KN_PRIO_NORMAL = 0,
	KN_PRIO_HIGH,
	KN_PRIO_URGENT
};

/* "normal", "high", "urgent". */
const char *kn_priority_name(int prio);
/* The priority named s, or -1. */
int	 kn_priority_parse(const char *s);

#define KN_SLA_DEFAULT	15	/* working days, when a rule sets none */
#define KN_SLA_LONG	30	/* finance and equipment */
#define KN_SLA_URGENT	5	/* at most, for an urgent record */
#define KN_SLA_MAX	365

/* ---- departments.csv ---- */

struct kn_departments;

/*
 * path NULL: data/departments.csv.  Codes unique, names not empty: the
 * first row that breaks this fails the load, or, when probs is not NULL,
 * each is reported to it and skipped (kn/error.h).
 */
struct kn_departments *kn_departments_load(const char *path,
	    struct kn_problems *probs, struct kn_error *err);
void	 kn_departments_free(struct kn_departments *d);	/* accepts NULL */
size_t	 kn_departments_count(const struct kn_departments *d);
/* The index of code, or -1. */
int	 kn_departments_find(const struct kn_departments *d, const char *code);
const char *kn_departments_code(const struct kn_departments *d, size_t i);
const char *kn_departments_name(const struct kn_departments *d, size_t i);

/* ---- priority.csv ---- */

struct kn_priorities;

/*
 * path NULL: data/priority.csv.  Columns phrase and priority, one of
 *   urgent, high  the phrase raises the priority to that;
 *   none          where it covers an urgent or high phrase, that phrase
 *                 does not count ("đang chạy" in a text without
 *                 diacritics, "kéo dài thời hạn");
 *   prevention    an urgent or high phrase at most KN_PRIO_WINDOW
 *                 syllables after it in the same sentence does not count
 *                 ("phòng chống đuối nước", "khi xảy ra cháy lớn");
 *   risk          such a phrase counts one level lower ("nguy cơ sạt lở"
 *                 is high);
 *   negation      an urgent or high phrase at most KN_PRIO_NEG_WINDOW
 *                 syllables after it does not count ("không có thương
 *                 vong").
 * A phrase may be listed once as a level or none, and once more under
 * each context kind.  The first row that breaks these rules fails the
 * load, or, when probs is not NULL, each problem is reported to it (all
 * those of a row) and the row is skipped (kn/error.h).
 */
struct kn_priorities *kn_priorities_load(const char *path,
	    struct kn_problems *probs, struct kn_error *err);
void	 kn_priorities_free(struct kn_priorities *p);	/* accepts NULL */
size_t	 kn_priorities_count(const struct kn_priorities *p);

#define KN_PRIO_WINDOW		6
#define KN_PRIO_NEG_WINDOW	1

/*
 * The priority title and text signal (either may be NULL).  When why is
 * not NULL, the phrase that decided is appended to it (nothing for
 * normal).  -1 when out of memory.
 */
int	 kn_priorities_assess(struct kn_priorities *p, const char *title,
	    const char *text, struct kn_buf *why);

/* ---- routes.csv and the router ---- */

struct kn_router_opts {
	const char	*routes;	/* NULL: data/routes.csv */
	const char	*departments;	/* NULL: data/departments.csv */
	const char	*priorities;	/* NULL: data/priority.csv */
	const char	*holidays;	/* NULL: data/holidays.csv */
	const char	*communes;	/* NULL: data/communes.csv */
	const char	*fields;	/* NULL: data/fields.csv */
	int		 calendar_days;	/* count every day, not working days */
};

/*
 * A problem of the routing table or of another data file of the router,
 * found when it is loaded.
 */
struct kn_route_problem {
	char	 source[256];	/* the file, as named */
	long	 line;		/* of that file; 0: the file as a whole */
	int	 fatal;		/* the router cannot be used as it is */
	char	 text[384];
};

struct kn_router;

/*
 * Load everything a router needs.  A file that cannot be read or is
 * malformed as a whole (not CSV, a column missing, no rules, the
 * library's fields.csv or communes.csv wrong) is an error naming the
 * file and the line, and NULL.  Every other problem is listed by
 * kn_router_problem, all of them, so that one --check shows what to
 * fix: fatal are the bad values of the routing table (several on a
 * line when it has several: an sla_days that is not a number, an
 * unknown priority or commune type, an empty alternative, a rule
 * without a department, an unknown column), the bad rows of the
 * departments, the priority phrases and the calendar, unknown field,
 * department or commune codes and no catch-all at the end; a rule
 * shadowed by an earlier one and a field with no rule are not.  They
 * come file by file in the order the files are read (departments,
 * priorities, calendar, routing table), by line within a file.  The
 * router must not be used when one of them is fatal.
 */
struct kn_router *kn_router_new(const struct kn_router_opts *opts,
	    struct kn_error *err);
void	 kn_router_free(struct kn_router *r);	/* accepts NULL */
/* How the routing table is named in messages and in route_rule. */
const char *kn_router_table(const struct kn_router *r);
size_t	 kn_router_rules(const struct kn_router *r);
size_t	 kn_router_problems(const struct kn_router *r, int *nfatal);
const struct kn_route_problem *kn_router_problem(const struct kn_router *r,
	    size_t i);

/* What kn_router_route found for a record. */
#define KN_ROUTE_NO_FIELD	0x01	/* no field: routed by the catch-all */
#define KN_ROUTE_UNKNOWN_FIELD	0x02	/* not in fields.csv: the catch-all */
#define KN_ROUTE_NO_DATE	0x04	/* no submitted date: due "" */
#define KN_ROUTE_BAD_DATE	0x08	/* submitted is not a date: due "" */
#define KN_ROUTE_UNCOVERED	0x10	/* a year the calendar does not cover */
#define KN_ROUTE_FAR_DATE	0x20	/* submitted before 1900 or after 2199 */

/* The years a submitted date may be in to be counted from. */
#define KN_ROUTE_YEAR_MIN	KN_DATE_YEAR_MIN	/* kn_date_parse's */
#define KN_ROUTE_YEAR_MAX	KN_DATE_YEAR_MAX

struct kn_route {
	const char	*department;	/* its name */
	const char	*department_code;
	int		 priority;	/* enum kn_priority, as output */
	int		 priority_text;	/* what the phrases said */
	int		 sla_days;
	long		 rule_line;	/* of routes.csv, that matched */
	char		 rule[300];	/* "routes.csv:7" */
	char		 due[KN_DATE_LEN];	/* "" when no date */
	int		 flags;
	/*
	 * With KN_ROUTE_UNCOVERED: the years the due date went through
	 * that the calendar does not cover and that no earlier record of
	 * this router met (each year is reported once).
	 */
	int		 new_years[4];
	int		 n_new_years;
};

/* Route one record; -1 when out of memory. */
int	 kn_router_route(struct kn_router *r, const struct kn_record *rec,
	    struct kn_route *out, struct kn_error *err);
/*
 * Set department, department_code, priority, due, status ("open" unless
 * the record has one) and route_rule on rec.
 */
int	 kn_route_apply(const struct kn_route *rt, struct kn_record *rec);

#endif
