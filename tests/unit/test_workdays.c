/* test_workdays.c: the holiday calendar and working-day arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"
#include "kn/workdays.h"
#include "knt.h"

static struct kn_calendar *shipped;

static long
day(const char *iso)
{
	long d;

	assert_int_equal(kn_date_parse(iso, &d, NULL), 0);
	return d;
}

static void
due_is(const struct kn_calendar *c, const char *from, int n, const char *want)
{
	char buf[KN_DATE_LEN];

	kn_date_format(kn_workdays_due(c, day(from), n), buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%s + %d working days: %s, expected %s", from, n, buf,
		    want);
}

static int
setup(void **state)
{
	struct kn_error err;

	(void)state;
	kn_error_clear(&err);
	shipped = kn_calendar_load(NULL, NULL, &err);
	if (shipped == NULL)
		fail_msg("data/holidays.csv: %s:%ld: %s", err.source, err.line,
		    err.text);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	kn_calendar_free(shipped);
	return 0;
}

static void
test_weekends(void **state)
{
	struct kn_calendar *c = kn_calendar_new();

	(void)state;
	assert_non_null(c);
	assert_true(kn_workday_is(c, day("2025-10-03")));	/* Friday */
	assert_false(kn_workday_is(c, day("2025-10-04")));	/* Saturday */
	assert_false(kn_workday_is(c, day("2025-10-05")));	/* Sunday */
	due_is(c, "2025-10-03", 0, "2025-10-03");
	due_is(c, "2025-10-03", 1, "2025-10-06");
	due_is(c, "2025-10-03", 5, "2025-10-10");
	due_is(c, "2025-10-06", 15, "2025-10-27");
	/* A weekend submission counts from Monday. */
	due_is(c, "2025-10-04", 0, "2025-10-06");
	due_is(c, "2025-10-04", 1, "2025-10-07");
	due_is(c, "2025-10-05", 5, "2025-10-13");
	assert_int_equal(kn_calendar_covers(c, 2025), 0);
	assert_int_equal(kn_calendar_uncovered(c, day("2025-01-01"),
	    day("2025-12-31")), 2025);
	kn_calendar_free(c);
}

static void
test_marked(void **state)
{
	struct kn_calendar *c = kn_calendar_new();
	int first, last;

	(void)state;
	assert_int_equal(kn_calendar_mark(c, day("2030-05-03"),
	    KN_DAY_HOLIDAY), 0);			/* a Friday */
	assert_int_equal(kn_calendar_mark(c, day("2030-05-11"),
	    KN_DAY_WORKDAY), 0);			/* a Saturday */
	assert_int_equal(kn_calendar_mark(c, day("2029-12-31"),
	    KN_DAY_HOLIDAY), 0);			/* grows downwards */
	assert_int_equal(kn_calendar_kind(c, day("2030-05-03")),
	    KN_DAY_HOLIDAY);
	assert_int_equal(kn_calendar_kind(c, day("2030-05-04")), KN_DAY_USUAL);
	assert_int_equal(kn_calendar_kind(c, day("2028-01-01")), KN_DAY_USUAL);
	due_is(c, "2030-05-02", 1, "2030-05-06");
	due_is(c, "2030-05-10", 1, "2030-05-11");
	due_is(c, "2029-12-28", 1, "2030-01-01");
	assert_true(kn_calendar_covers(c, 2029));
	assert_true(kn_calendar_covers(c, 2030));
	assert_false(kn_calendar_covers(c, 2031));
	kn_calendar_span(c, &first, &last);
	assert_int_equal(first, 2029);
	assert_int_equal(last, 2030);
	assert_int_equal(kn_calendar_mark(c, kn_date_from_ymd(1899, 12, 31),
	    KN_DAY_HOLIDAY), -1);
	kn_calendar_free(c);
}

static void
test_tet_2025(void **state)
{
	(void)state;
	/* Tết Ất Tỵ: Saturday 25/1 to Sunday 2/2/2025 off. */
	assert_true(kn_workday_is(shipped, day("2025-01-24")));
	assert_false(kn_workday_is(shipped, day("2025-01-27")));
	assert_false(kn_workday_is(shipped, day("2025-01-31")));
	assert_true(kn_workday_is(shipped, day("2025-02-03")));
	due_is(shipped, "2025-01-23", 1, "2025-01-24");
	due_is(shipped, "2025-01-23", 2, "2025-02-03");
	due_is(shipped, "2025-01-24", 15, "2025-02-21");
	/* Received during Tết: counting starts on Monday 3/2. */
	due_is(shipped, "2025-01-29", 0, "2025-02-03");
	due_is(shipped, "2025-01-29", 5, "2025-02-10");
}

static void
test_tet_2026(void **state)
{
	(void)state;
	/* Tết Bính Ngọ: Saturday 14/2 to Sunday 22/2/2026 off. */
	assert_false(kn_workday_is(shipped, day("2026-02-16")));
	assert_false(kn_workday_is(shipped, day("2026-02-20")));
	due_is(shipped, "2026-02-13", 1, "2026-02-23");
	due_is(shipped, "2026-02-17", 0, "2026-02-23");
	due_is(shipped, "2026-02-17", 5, "2026-03-02");
	due_is(shipped, "2026-02-06", 15, "2026-03-06");
}

static void
test_year_end(void **state)
{
	(void)state;
	/* 1/1/2026 off, Friday 2/1 swapped, then the weekend. */
	due_is(shipped, "2025-12-31", 1, "2026-01-05");
	due_is(shipped, "2025-12-31", 2, "2026-01-06");
	/* Saturday 10/1/2026 is worked. */
	due_is(shipped, "2025-12-19", 15, "2026-01-12");
	/* 2027 is not covered: only weekends are off there. */
	assert_true(kn_calendar_covers(shipped, 2025));
	assert_true(kn_calendar_covers(shipped, 2026));
	assert_false(kn_calendar_covers(shipped, 2027));
	due_is(shipped, "2026-12-31", 1, "2027-01-01");
	assert_int_equal(kn_calendar_uncovered(shipped, day("2026-12-20"),
	    day("2027-01-10")), 2027);
	assert_int_equal(kn_calendar_uncovered(shipped, day("2025-03-01"),
	    day("2026-03-01")), 0);
}

static void
test_workday_saturdays(void **state)
{
	(void)state;
	/* Saturday 26/4/2025 worked for Friday 2/5. */
	assert_true(kn_workday_is(shipped, day("2025-04-26")));
	assert_false(kn_workday_is(shipped, day("2025-05-02")));
	due_is(shipped, "2025-04-25", 1, "2025-04-26");
	due_is(shipped, "2025-04-25", 2, "2025-04-28");
	due_is(shipped, "2025-04-25", 4, "2025-05-05");
	due_is(shipped, "2025-04-26", 0, "2025-04-26");
	/* Saturday 10/1/2026 worked for Friday 2/1. */
	due_is(shipped, "2026-01-09", 1, "2026-01-10");
	due_is(shipped, "2026-01-09", 2, "2026-01-12");
	/* An ordinary Saturday is still off. */
	assert_false(kn_workday_is(shipped, day("2026-01-17")));
}

static void
test_between(void **state)
{
	(void)state;
	assert_int_equal(kn_workdays_between(shipped, day("2025-10-03"),
	    day("2025-10-10")), 5);
	assert_int_equal(kn_workdays_between(shipped, day("2025-10-10"),
	    day("2025-10-03")), -5);
	assert_int_equal(kn_workdays_between(shipped, day("2025-01-24"),
	    day("2025-02-03")), 1);
	assert_int_equal(kn_workdays_between(shipped, day("2025-10-03"),
	    day("2025-10-03")), 0);
}

static void
load_fails(const char *text, long line, const char *what)
{
	struct kn_error err;
	char *path = knt_tmpfile(text);

	kn_error_clear(&err);
	assert_null(kn_calendar_load(path, NULL, &err));
	unlink(path);
	free(path);
	assert_int_equal(err.line, line);
	if (strstr(err.text, what) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err.text, what);
}

static void
test_load_errors(void **state)
{
	struct kn_calendar *c;
	struct kn_error err;
	char *path;

	(void)state;
	load_fails("date,kind,name\n2025-02-30,holiday,x\n", 2,
	    "\"2025-02-30\"");
	load_fails("date,kind,name\n2025-01-01,holiday,x\n30/04/2025,holiday,"
	    "y\n", 3, "YYYY-MM-DD");
	load_fails("date,kind,name\n2025-01-01,holliday,x\n", 2,
	    "kind \"holliday\"");
	load_fails("date,kind,name\n2025-04-28,workday,x\n", 2, "weekday");
	load_fails("date,kind,name\n2025-01-01,holiday,x\n2025-01-01,holiday,"
	    "y\n", 3, "twice");
	load_fails("date,name\n2025-01-01,x\n", 1, "kind");
	path = knt_tmpfile("date,kind,name\n2025-01-01,holiday,"
	    "x\n2025-01-04,workday,y\n");
	kn_error_clear(&err);
	c = kn_calendar_load(path, NULL, &err);
	unlink(path);
	free(path);
	assert_non_null(c);
	due_is(c, "2025-01-03", 1, "2025-01-04");
	kn_calendar_free(c);
}

/* Given somewhere to report them, every bad row is listed and skipped. */
static void
test_load_problems(void **state)
{
	static const char *const want[] = {
		"3 date \"2025-02-30\" is not a date as YYYY-MM-DD",
		"3 kind \"holliday\" is neither",
		"4 2025-04-28 is a weekday",
		"5 date \"2025-01-01\" is listed twice",
		"6 date \"2300-01-01\" is outside 1900-2199",
		NULL
	};
	struct kn_problems probs = { knt_collect, NULL, 0 };
	struct kn_calendar *c;
	struct kn_error err;
	struct knt_problems g;
	char *path;

	(void)state;
	memset(&g, 0, sizeof(g));
	probs.arg = &g;
	path = knt_tmpfile("date,kind,name\n"
	    "2025-01-01,holiday,x\n"
	    "2025-02-30,holliday,x\n"
	    "2025-04-28,workday,x\n"
	    "2025-01-01,holiday,again\n"
	    "2300-01-01,holiday,far\n"
	    "2025-01-04,workday,y\n");
	kn_error_clear(&err);
	c = kn_calendar_load(path, &probs, &err);
	assert_non_null(c);
	assert_int_equal(probs.n, 5);
	knt_problems_are(&g, want);
	/* The good rows are in. */
	assert_int_equal(kn_calendar_kind(c, day("2025-01-01")),
	    KN_DAY_HOLIDAY);
	due_is(c, "2025-01-03", 1, "2025-01-04");
	kn_calendar_free(c);
	/* Without somewhere to report, the first fails the load. */
	assert_null(kn_calendar_load(path, NULL, &err));
	assert_int_equal(err.line, 3);
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_problems),
		cmocka_unit_test(test_weekends),
		cmocka_unit_test(test_marked),
		cmocka_unit_test(test_tet_2025),
		cmocka_unit_test(test_tet_2026),
		cmocka_unit_test(test_year_end),
		cmocka_unit_test(test_workday_saturdays),
		cmocka_unit_test(test_between),
		cmocka_unit_test(test_load_errors),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
