/*
 * kn/workdays.h: the holiday calendar and working-day arithmetic, for
 * due dates (kn-route) and overdue counts (kn-report).
 *
 * A working day is Monday to Friday, except the days the calendar lists
 * as holidays, plus the days it lists as working days (Saturdays worked
 * to make up for a swapped bridge day).  The calendar file is a CSV with
 * columns date (YYYY-MM-DD), kind (holiday or workday) and name.  A year
 * is covered when the file lists at least one day in it; in a year it
 * does not cover only weekends are days off, and callers can ask which
 * years a computation went through so that they can say so.
 *
 * Days are day numbers of kn/date.h.  Ownership: the calendar owns its
 * memory; arguments are borrowed.
 */
#ifndef KN_WORKDAYS_H
#define KN_WORKDAYS_H

#include "error.h"

enum kn_daykind {
	KN_DAY_USUAL = 0,	/* as the weekday says */
	KN_DAY_HOLIDAY,		/* a day off, even on a weekday */
	KN_DAY_WORKDAY		/* a working day, even on a weekend */
};

#define KN_WORKDAYS_MAX	3660	/* the most working days one can add */

struct kn_calendar;

/* An empty calendar: weekends only, no year covered. */
struct kn_calendar *kn_calendar_new(void);
/*
 * Read a calendar file (path NULL: data/holidays.csv).  Bad dates, an
 * unknown kind, a date listed twice or a workday on a weekday are errors
 * naming the line: the first fails the load, or, when probs is not
 * NULL, each is reported to it (all those of a row) and the row is
 * skipped (kn/error.h).
 */
struct kn_calendar *kn_calendar_load(const char *path,
	    struct kn_problems *probs, struct kn_error *err);
void	 kn_calendar_free(struct kn_calendar *c);	/* accepts NULL */
/*
 * Mark day as kind and its year as covered; -1 when out of memory or the
 * day is outside 1900-2199.
 */
int	 kn_calendar_mark(struct kn_calendar *c, long day,
	    enum kn_daykind kind);
/* What the calendar says of day (KN_DAY_USUAL when it says nothing). */
enum kn_daykind kn_calendar_kind(const struct kn_calendar *c, long day);
/* 1 when the calendar lists at least one day of year. */
int	 kn_calendar_covers(const struct kn_calendar *c, int year);
/* The first and last year covered; 0 when none. */
void	 kn_calendar_span(const struct kn_calendar *c, int *first, int *last);

/* 1 when day is a working day. */
int	 kn_workday_is(const struct kn_calendar *c, long day);
/* day when it is a working day, else the first working day after it. */
long	 kn_workday_next(const struct kn_calendar *c, long day);
/*
 * The due date of something received on day with n working days to
 * answer (0 <= n <= KN_WORKDAYS_MAX): counting starts on
 * kn_workday_next(day), and the result is the n-th working day after
 * that one (that day itself when n is 0).
 */
long	 kn_workdays_due(const struct kn_calendar *c, long day, int n);
/*
 * The number of working days d with a < d <= b (negative, counted the
 * other way, when b < a): how many working days late b is for a due
 * date a.
 */
long	 kn_workdays_between(const struct kn_calendar *c, long a, long b);
/*
 * The first year in [year of from, year of to] the calendar does not
 * cover, or 0 when it covers them all.
 */
int	 kn_calendar_uncovered(const struct kn_calendar *c, long from, long to);

#endif
