/*
 * workdays.c: the holiday calendar and working-day arithmetic.
 *
 * The calendar keeps one byte per day between the first and the last day
 * it lists, so that asking about a day is an index, and a bit per year
 * for the years it covers.  Due dates step day by day: an SLA is a few
 * weeks at most, and a step costs an index.
 */
#include <stdlib.h>
#include <string.h>

#include "kn_private.h"
#include "kn/workdays.h"

#define YEAR_MIN KN_DATE_YEAR_MIN	/* the years kn_date_parse takes */
#define YEAR_MAX KN_DATE_YEAR_MAX

struct kn_calendar {
	unsigned char	*kind;		/* enum kn_daykind of lo + i */
	long		 lo, hi;	/* the days kind holds; hi < lo: none */
	unsigned char	 years[(YEAR_MAX - YEAR_MIN + 1 + 7) / 8];
};

struct kn_calendar *
kn_calendar_new(void)
{
	struct kn_calendar *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->lo = 0;
	c->hi = -1;
	return c;
}

void
kn_calendar_free(struct kn_calendar *c)
{
	if (c == NULL)
		return;
	free(c->kind);
	free(c);
}

static int
year_of(long day)
{
	int y, m, d;

	kn_date_to_ymd(day, &y, &m, &d);
	return y;
}

int
kn_calendar_mark(struct kn_calendar *c, long day, enum kn_daykind kind)
{
	int y = year_of(day);
	long lo, hi, i;
	unsigned char *k;

	if (y < YEAR_MIN || y > YEAR_MAX)
		return -1;
	if (c->hi < c->lo) {
		lo = hi = day;
	} else {
		lo = day < c->lo ? day : c->lo;
		hi = day > c->hi ? day : c->hi;
	}
	if (lo != c->lo || hi != c->hi) {
		if ((k = calloc((size_t)(hi - lo + 1), 1)) == NULL)
			return -1;
		for (i = c->lo; i <= c->hi; i++)
			k[i - lo] = c->kind[i - c->lo];
		free(c->kind);
		c->kind = k;
		c->lo = lo;
		c->hi = hi;
	}
	c->kind[day - c->lo] = (unsigned char)kind;
	c->years[(y - YEAR_MIN) / 8] |= 1 << (y - YEAR_MIN) % 8;
	return 0;
}

enum kn_daykind
kn_calendar_kind(const struct kn_calendar *c, long day)
{
	if (day < c->lo || day > c->hi)
		return KN_DAY_USUAL;
	return (enum kn_daykind)c->kind[day - c->lo];
}

int
kn_calendar_covers(const struct kn_calendar *c, int year)
{
	if (year < YEAR_MIN || year > YEAR_MAX)
		return 0;
	return (c->years[(year - YEAR_MIN) / 8] >> (year - YEAR_MIN) % 8) & 1;
}

void
kn_calendar_span(const struct kn_calendar *c, int *first, int *last)
{
	*first = *last = 0;
	if (c->hi < c->lo)
		return;
	*first = year_of(c->lo);
	*last = year_of(c->hi);
}

int
kn_calendar_uncovered(const struct kn_calendar *c, long from, long to)
{
	int y, y1 = year_of(from), y2 = year_of(to);

	if (y2 < y1) {
		y = y1;
		y1 = y2;
		y2 = y;
	}
	for (y = y1; y <= y2; y++)
		if (!kn_calendar_covers(c, y))
			return y;
	return 0;
}

int
kn_workday_is(const struct kn_calendar *c, long day)
{
	switch (kn_calendar_kind(c, day)) {
	case KN_DAY_HOLIDAY:
		return 0;
	case KN_DAY_WORKDAY:
		return 1;
	default:
		return kn_date_weekday(day) <= 5;
	}
}

long
kn_workday_next(const struct kn_calendar *c, long day)
{
	/* A calendar cannot close more than a year in a row. */
	for (int i = 0; i < 400 && !kn_workday_is(c, day); i++)
		day++;
	return day;
}

long
kn_workdays_due(const struct kn_calendar *c, long day, int n)
{
	if (n < 0)
		n = 0;
	if (n > KN_WORKDAYS_MAX)
		n = KN_WORKDAYS_MAX;
	day = kn_workday_next(c, day);
	while (n > 0) {
		day = kn_workday_next(c, day + 1);
		n--;
	}
	return day;
}

long
kn_workdays_between(const struct kn_calendar *c, long a, long b)
{
	long d, n = 0;

	if (b < a)
		return -kn_workdays_between(c, b, a);
	for (d = a + 1; d <= b; d++)
		n += kn_workday_is(c, d);
	return n;
}

struct kn_calendar *
kn_calendar_load(const char *path, struct kn_problems *probs,
    struct kn_error *err)
{
	static const char *const req[] = { "date", "kind", NULL };
	struct kn_buf p = KN_BUF_INIT;
	struct kn_calendar *c = NULL;
	struct kn_error derr;
	struct kn_table t;
	size_t i;

	if (path == NULL)
		kn_data_path(&p, "holidays.csv");
	else
		kn_buf_adds(&p, path);
	if (kn_table_load(&t, kn_buf_str(&p), req, err) == -1) {
		kn_buf_free(&p);
		return NULL;
	}
	if ((c = kn_calendar_new()) == NULL)
		goto nomem;
	for (i = 0; i < t.n; i++) {
		struct kn_record *r = t.rows[i];
		const char *ds = kn_record_strz(r, "date");
		const char *ks = kn_record_strz(r, "kind");
		long line = kn_record_line(r), day = 0;
		enum kn_daykind kind = KN_DAY_USUAL;
		int bad = 0;

		/*
		 * Every problem of the row is reported, then the row is
		 * skipped; without probs the first one fails the load.
		 */
		kn_error_clear(&derr);
		/* Only ISO dates: a calendar must not depend on D/M order. */
		if (strlen(ds) != 10 || ds[4] != '-' || ds[7] != '-' ||
		    (kn_date_parse(ds, &day, &derr) == -1 &&
		    derr.code != KN_ERANGE)) {
			bad = 1;
			if (knp_problem(probs, err, t.path, line,
			    "date \"%s\" is not a date as YYYY-MM-DD", ds) ==
			    -1)
				goto fail;
		} else if (derr.code == KN_ERANGE) {
			bad = 1;
			if (knp_problem(probs, err, t.path, line,
			    "date \"%s\" is outside %d-%d", ds, YEAR_MIN,
			    YEAR_MAX) == -1)
				goto fail;
		}
		if (strcmp(ks, "holiday") == 0)
			kind = KN_DAY_HOLIDAY;
		else if (strcmp(ks, "workday") == 0)
			kind = KN_DAY_WORKDAY;
		else {
			bad = 1;
			if (knp_problem(probs, err, t.path, line,
			    "kind \"%s\" is neither \"holiday\" nor "
			    "\"workday\"", ks) == -1)
				goto fail;
		}
		if (bad)
			continue;
		if (kind == KN_DAY_WORKDAY && kn_date_weekday(day) <= 5) {
			if (knp_problem(probs, err, t.path, line,
			    "%s is a weekday: a \"workday\" row is for a "
			    "weekend day worked", ds) == -1)
				goto fail;
			continue;
		}
		if (kn_calendar_kind(c, day) != KN_DAY_USUAL) {
			if (knp_problem(probs, err, t.path, line,
			    "date \"%s\" is listed twice", ds) == -1)
				goto fail;
			continue;
		}
		if (kn_calendar_mark(c, day, kind) == -1)
			goto nomem;
	}
	kn_table_free(&t);
	kn_buf_free(&p);
	return c;
nomem:
	kn_error_set(err, KN_ENOMEM, kn_buf_str(&p), 0, "out of memory");
fail:
	kn_table_free(&t);
	kn_buf_free(&p);
	kn_calendar_free(c);
	return NULL;
}
