/* test_report.c: ISO weeks, windows, overdue, tallies, the digest. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"
#include "kn/report.h"

static long
day(const char *s)
{
	long d;

	assert_int_equal(kn_date_parse(s, &d, NULL), 0);
	return d;
}

static struct kn_record *
rec(const char *json)
{
	struct kn_record *r = kn_record_from_json(json, strlen(json), NULL);

	assert_non_null(r);
	kn_record_set_origin(r, "t.jsonl", 7);
	return r;
}

static void
check_week(const char *date, const char *want)
{
	char k[KN_WEEK_LEN];

	kn_week_key(day(date), k);
	assert_string_equal(k, want);
}

static void
test_weeks(void **state)
{
	char m[KN_MONTH_LEN];

	(void)state;
	check_week("2024-12-30", "2025-W01");	/* Monday of week 1 */
	check_week("2024-12-29", "2024-W52");
	check_week("2021-01-03", "2020-W53");	/* Sunday, still 2020 */
	check_week("2021-01-04", "2021-W01");
	check_week("2026-12-31", "2026-W53");
	check_week("2027-01-03", "2026-W53");
	check_week("2025-09-29", "2025-W40");
	check_week("2025-10-05", "2025-W40");
	check_week("2025-10-06", "2025-W41");
	kn_month_key(day("2025-10-31"), m);
	assert_string_equal(m, "2025-10");
}

static void
check_window(void (*narrow)(struct kn_window *), const char *since,
    const char *until)
{
	struct kn_window w;

	kn_window_init(&w);
	narrow(&w);
	assert_int_equal(w.since, since ? day(since) : KN_DAY_MIN);
	assert_int_equal(w.until, until ? day(until) : KN_DAY_MAX);
}

static long as_of;

static void w_week40(struct kn_window *w)
{ assert_int_equal(kn_window_week(w, "2025-W40", NULL), 0); }
static void w_week1(struct kn_window *w)
{ assert_int_equal(kn_window_week(w, "2025w1", NULL), 0); }
static void w_week53(struct kn_window *w)
{ assert_int_equal(kn_window_week(w, "2026-W53", NULL), 0); }
static void w_feb(struct kn_window *w)
{ assert_int_equal(kn_window_month(w, "2024-02", NULL), 0); }
static void w_dec(struct kn_window *w)
{ assert_int_equal(kn_window_month(w, "12/2025", NULL), 0); }
static void w_last7(struct kn_window *w)
{ assert_int_equal(kn_window_last(w, "7d", as_of, NULL), 0); }
static void w_last2w(struct kn_window *w)
{ assert_int_equal(kn_window_last(w, "2w", as_of, NULL), 0); }
static void w_since(struct kn_window *w)
{ assert_int_equal(kn_window_since(w, "15/09/2025", NULL), 0); }

static void
w_both(struct kn_window *w)
{
	/* Windows given together intersect. */
	assert_int_equal(kn_window_month(w, "2025-09", NULL), 0);
	assert_int_equal(kn_window_since(w, "2025-09-10", NULL), 0);
	assert_int_equal(kn_window_until(w, "2025-10-20", NULL), 0);
}

static void
test_windows(void **state)
{
	struct kn_window w;
	struct kn_error err;

	(void)state;
	as_of = day("2025-10-06");
	check_window(w_week40, "2025-09-29", "2025-10-05");
	check_window(w_week1, "2024-12-30", "2025-01-05");
	check_window(w_week53, "2026-12-28", "2027-01-03");
	check_window(w_feb, "2024-02-01", "2024-02-29");
	check_window(w_dec, "2025-12-01", "2025-12-31");
	check_window(w_last7, "2025-09-30", "2025-10-06");
	check_window(w_last2w, "2025-09-23", "2025-10-06");
	check_window(w_since, "2025-09-15", NULL);
	check_window(w_both, "2025-09-10", "2025-09-30");

	kn_window_init(&w);
	assert_false(kn_window_is_set(&w));
	assert_int_equal(kn_window_week(&w, "2025-W40", NULL), 0);
	assert_true(kn_window_is_set(&w));
	assert_true(kn_window_contains(&w, day("2025-09-29")));
	assert_true(kn_window_contains(&w, day("2025-10-05")));
	assert_false(kn_window_contains(&w, day("2025-09-28")));
	assert_false(kn_window_contains(&w, day("2025-10-06")));

	kn_error_clear(&err);
	assert_int_equal(kn_window_week(&w, "2025-W53", &err), -1);
	assert_non_null(strstr(err.text, "\"2025-W53\""));
	assert_int_equal(kn_window_week(&w, "2025-40", NULL), -1);
	assert_int_equal(kn_window_week(&w, "W40", NULL), -1);
	assert_int_equal(kn_window_month(&w, "2025-13", NULL), -1);
	assert_int_equal(kn_window_month(&w, "2025-1", NULL), -1);
	assert_int_equal(kn_window_last(&w, "0d", as_of, NULL), -1);
	assert_int_equal(kn_window_last(&w, "7x", as_of, NULL), -1);
	assert_int_equal(kn_window_last(&w, "", as_of, NULL), -1);
	assert_int_equal(kn_window_since(&w, "31/02/2025", NULL), -1);
}

static void
check_overdue(const char *json, int want)
{
	struct kn_record *r = rec(json);
	long due;

	assert_int_equal(kn_report_overdue(r, day("2025-10-06"), &due), want);
	kn_record_free(r);
}

static void
test_overdue(void **state)
{
	(void)state;
	check_overdue("{\"status\":\"open\",\"due\":\"2025-10-05\"}", 1);
	check_overdue("{\"status\":\"open\",\"due\":\"2025-10-06\"}", 0);
	check_overdue("{\"status\":\"suggested\",\"due\":\"2025-09-01\"}", 1);
	check_overdue("{\"status\":\"answered\",\"due\":\"2025-09-01\"}", 0);
	check_overdue("{\"status\":\"closed\",\"due\":\"2025-09-01\"}", 0);
	check_overdue("{\"status\":\"duplicate\",\"due\":\"2025-09-01\"}", 0);
	check_overdue("{\"due\":\"2025-09-01\"}", 1);	/* no status yet */
	check_overdue("{\"status\":\"open\",\"due\":\"\"}", 0);
	check_overdue("{\"status\":\"open\"}", 0);
	check_overdue("{\"status\":\"open\",\"due\":\"soon\"}", -1);
	check_overdue("{\"status\":\"open\",\"due\":\"01/10/2025\"}", 1);
	assert_true(kn_status_settled("answered"));
	assert_false(kn_status_settled("open"));
	assert_false(kn_status_settled(NULL));
}

static void
test_tally(void **state)
{
	static const char *const keys[] = { "field", "status" };
	const char *v[2];
	struct kn_tally *t;

	(void)state;
	assert_non_null(t = kn_tally_new(keys, 2));
	v[0] = "traffic"; v[1] = "open";
	assert_non_null(kn_tally_add(t, v, 0, day("2025-10-01")));
	assert_non_null(kn_tally_add(t, v, 1, day("2025-09-01")));
	assert_non_null(kn_tally_add(t, v, 1, KN_DAY_MAX));
	v[0] = "finance"; v[1] = "open";
	assert_non_null(kn_tally_add(t, v, 2, day("2025-08-01")));
	/* Values that join alike stay apart. */
	v[0] = "a,b"; v[1] = "c";
	assert_non_null(kn_tally_add(t, v, -1, KN_DAY_MAX));
	v[0] = "a"; v[1] = "b,c";
	assert_non_null(kn_tally_add(t, v, -1, KN_DAY_MAX));
	assert_int_equal(t->ngroups, 4);
	assert_int_equal(t->total, 6);
	assert_int_equal(kn_tally_communes(t), 3);

	assert_int_equal(kn_tally_sort(t, KN_ORDER_COUNT), 0);
	assert_string_equal(t->groups[0]->vals[0], "traffic");
	assert_int_equal(t->groups[0]->count, 3);
	assert_int_equal(t->groups[0]->ncommunes, 2);
	assert_int_equal(t->groups[0]->oldest, day("2025-09-01"));
	assert_string_equal(t->groups[1]->vals[0], "a");	/* ties: keys */

	assert_int_equal(kn_tally_sort(t, KN_ORDER_KEYS), 0);
	assert_string_equal(t->groups[0]->vals[0], "a");
	assert_string_equal(t->groups[1]->vals[0], "a,b");
	assert_string_equal(t->groups[2]->vals[0], "finance");
	assert_string_equal(t->groups[3]->vals[0], "traffic");

	assert_int_equal(kn_tally_sort(t, KN_ORDER_OLDEST), 0);
	assert_string_equal(t->groups[0]->vals[0], "finance");
	assert_string_equal(t->groups[1]->vals[0], "traffic");
	kn_tally_free(t);
}

/* NFC and NFD spellings of a value are one group, kept in NFC. */
static void
test_tally_nfc(void **state)
{
	static const char *const keys[] = { "commune", "field" };
	const char *v[2];
	struct kn_tally *t;

	(void)state;
	assert_non_null(t = kn_tally_new(keys, 2));
	v[1] = "traffic";
	v[0] = "Hạc Thành";
	assert_non_null(kn_tally_add(t, v, 0, KN_DAY_MAX));
	v[0] = "Ha\xCC\xA3" "c Tha\xCC\x80nh";	/* decomposed */
	assert_non_null(kn_tally_add(t, v, 1, KN_DAY_MAX));
	v[0] = "\xC4\x90o\xCC\x82ng So\xCC\x9Bn";	/* Đông Sơn, NFD */
	assert_non_null(kn_tally_add(t, v, 2, KN_DAY_MAX));
	v[0] = "Đông Sơn";
	assert_non_null(kn_tally_add(t, v, 2, KN_DAY_MAX));
	assert_non_null(kn_tally_add(t, v, 2, KN_DAY_MAX));
	/* Not valid UTF-8: counted as it is, not refused. */
	v[0] = "\xFFx";
	assert_non_null(kn_tally_add(t, v, -1, KN_DAY_MAX));
	assert_int_equal(t->ngroups, 3);
	assert_int_equal(t->total, 6);
	assert_int_equal(kn_tally_sort(t, KN_ORDER_COUNT), 0);
	assert_string_equal(t->groups[0]->vals[0], "Đông Sơn");
	assert_int_equal(t->groups[0]->count, 3);
	assert_string_equal(t->groups[1]->vals[0], "Hạc Thành");
	assert_int_equal(t->groups[1]->count, 2);
	assert_int_equal(t->groups[1]->ncommunes, 2);
	kn_tally_free(t);
}

/* Past a few communes a group's set turns into a bit set: same counts. */
static void
test_many_communes(void **state)
{
	static const char *const keys[] = { "field" };
	const char *v[1];
	struct kn_tally *t;
	long i;

	(void)state;
	assert_non_null(t = kn_tally_new(keys, 1));
	v[0] = "a";
	for (i = 0; i < 200; i++)	/* 40 communes, each 5 times */
		assert_non_null(kn_tally_add(t, v, (i * 7) % 40, KN_DAY_MAX));
	v[0] = "b";
	for (i = 30; i < 50; i++)	/* 20 communes, 10 of them shared */
		assert_non_null(kn_tally_add(t, v, i, KN_DAY_MAX));
	v[0] = "c";
	assert_non_null(kn_tally_add(t, v, 100000, KN_DAY_MAX));
	assert_int_equal(t->groups[0]->ncommunes, 40);
	assert_int_equal(t->groups[0]->count, 200);
	assert_int_equal(t->groups[1]->ncommunes, 20);
	assert_int_equal(t->groups[2]->ncommunes, 1);
	assert_int_equal(kn_tally_communes(t), 51);
	kn_tally_free(t);
}

static void
test_values(void **state)
{
	struct kn_record *r = rec("{\"id\":\"k1\",\"submitted\":\"2024-12-30\","
	    "\"n\":3,\"fields\":[{\"field\":\"traffic\"}],\"x\":null}");
	struct kn_buf b = KN_BUF_INIT;
	int bad = 0;

	(void)state;
	assert_int_equal(kn_report_value(r, "week", &b, &bad), 0);
	assert_string_equal(kn_buf_str(&b), "2025-W01");
	kn_buf_reset(&b);
	assert_int_equal(kn_report_value(r, "month", &b, &bad), 0);
	assert_string_equal(kn_buf_str(&b), "2024-12");
	kn_buf_reset(&b);
	assert_int_equal(kn_report_value(r, "group", &b, &bad), 0);
	assert_string_equal(kn_buf_str(&b), "k1");	/* its own problem */
	kn_buf_reset(&b);
	assert_int_equal(kn_report_value(r, "n", &b, &bad), 0);
	assert_string_equal(kn_buf_str(&b), "3");
	kn_buf_reset(&b);
	assert_int_equal(kn_report_value(r, "fields", &b, &bad), 0);
	assert_string_equal(kn_buf_str(&b), "[{\"field\":\"traffic\"}]");
	kn_buf_reset(&b);
	assert_int_equal(kn_report_value(r, "x", &b, &bad), 0);
	assert_string_equal(kn_buf_str(&b), "");
	assert_int_equal(kn_report_value(r, "absent", &b, &bad), 0);
	assert_string_equal(kn_buf_str(&b), "");
	assert_int_equal(bad, 0);
	kn_record_free(r);

	r = rec("{\"submitted\":\"31/02/2025\"}");
	kn_buf_reset(&b);
	assert_int_equal(kn_report_value(r, "week", &b, &bad), 0);
	assert_string_equal(kn_buf_str(&b), "");
	assert_int_equal(bad, 1);
	kn_record_free(r);
	kn_buf_free(&b);
}

/* Feed records to a report; return the warnings. */
static char *
feed(struct kn_report *rep, const char *const *json, size_t n)
{
	struct kn_buf warn = KN_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		struct kn_record *r = rec(json[i]);

		assert_int_not_equal(kn_report_add(rep, r, &warn), -1);
		kn_record_free(r);
	}
	return kn_buf_detach(&warn);
}

static const char *const ledger[] = {
	"{\"id\":\"a\",\"commune\":\"Hạc Thành\",\"submitted\":\"2025-09-29\","
	"\"field\":\"traffic\",\"department\":\"CSGT\",\"status\":\"open\","
	"\"due\":\"2025-10-01\",\"group\":\"a\",\"title\":\"Nồng độ cồn\","
	"\"text\":\"Có được kiểm tra nồng độ cồn không?\"}",
	"{\"id\":\"b\",\"commune\":\"Ân Tiến\",\"submitted\":\"2025-10-01\","
	"\"field\":\"traffic\",\"department\":\"CSGT\","
	"\"status\":\"suggested\",\"due\":\"2025-10-20\",\"group\":\"a\","
	"\"text\":\"Kiểm tra cồn?\","
	"\"answer\":\"Gợi ý A\"}",
	"{\"id\":\"c\",\"commune\":\"Đông Sơn\",\"submitted\":\"2025-10-02\","
	"\"field\":\"traffic\",\"department\":\"CSGT\",\"status\":\"answered\","
	"\"due\":\"2025-09-01\",\"group\":\"a\",\"text\":\"Nồng độ cồn?\","
	"\"answer\":\"Trả lời chính thức\",\"answered_by\":\"CSGT\"}",
	"{\"id\":\"d\",\"commune\":\"Hạc Thành\",\"submitted\":\"2025-10-03\","
	"\"field\":\"traffic\",\"status\":\"duplicate\",\"group\":\"a\","
	"\"department\":\"CSGT\"}",
	"{\"id\":\"e\",\"commune\":\"Bá Thước\",\"submitted\":\"2025-10-04\","
	"\"field\":\"finance\",\"department\":\"Hậu cần\",\"status\":\"open\","
	"\"due\":\"2025-10-02\",\"text\":\"Kinh phí\"}",
	"{\"id\":\"f\",\"commune\":\"Yên Định\",\"submitted\":\"2025-10-05\","
	"\"field\":\"finance\",\"department\":\"Hậu cần\",\"status\":\"open\","
	"\"due\":\"2025-10-03\",\"group\":\"e\",\"text\":\"Thiếu kinh phí\"}",
	"{\"id\":\"g\",\"commune\":\"Ba Đình\",\"submitted\":\"\","
	"\"field\":\"equipment\",\"status\":\"open\"}",
	"{\"id\":\"h\",\"commune\":\"Nga Sơn\",\"submitted\":\"2025-09-20\","
	"\"field\":\"equipment\",\"status\":\"open\",\"due\":\"later\"}"
};

static void
test_summary(void **state)
{
	struct kn_report_opts o;
	struct kn_report *rep;
	char *warn;

	(void)state;
	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	o.as_of = day("2025-10-06");
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, ledger, 8);
	assert_string_equal(warn, "due \"later\" is not a date; not counted "
	    "as overdue\n");
	free(warn);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	assert_int_equal(rep->ncounted, 8);
	assert_int_equal(rep->ncommunes, 7);
	assert_int_equal(rep->noverdue, 3);	/* a, e, f; not c, answered */
	assert_string_equal(rep->by_field->groups[0]->vals[0], "traffic");
	assert_int_equal(rep->by_field->groups[0]->count, 4);
	assert_int_equal(rep->by_field->groups[0]->ncommunes, 3);
	/* Overdue per department, the oldest due first. */
	assert_int_equal(rep->overdue->ngroups, 2);
	assert_string_equal(rep->overdue->groups[0]->vals[0], "CSGT");
	assert_int_equal(rep->overdue->groups[0]->oldest, day("2025-10-01"));
	assert_string_equal(rep->overdue->groups[1]->vals[0], "Hậu cần");
	assert_int_equal(rep->overdue->groups[1]->count, 2);
	kn_report_free(rep);
}

static void
test_window_and_by(void **state)
{
	static const char *const bad[] = {
		"{\"id\":\"x\",\"submitted\":\"31/02/2025\"}",
		"{\"id\":\"y\",\"submitted\":\"2025-10-01\"}"
	};
	struct kn_report_opts o;
	struct kn_report *rep;
	char *warn;

	(void)state;
	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	o.as_of = day("2025-10-06");
	assert_int_equal(kn_window_week(&o.window, "2025-W40", NULL), 0);
	o.by = "field, status";
	assert_non_null(rep = kn_report_new(&o, NULL));
	assert_int_equal(rep->nby, 2);
	assert_string_equal(rep->by[1], "status");
	warn = feed(rep, ledger, 8);
	free(warn);
	assert_int_equal(rep->ncounted, 6);	/* not g (no date), not h */
	assert_int_equal(rep->nundated, 1);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_KEYS), 0);
	assert_int_equal(rep->groups->ngroups, 5);
	assert_string_equal(rep->groups->groups[0]->vals[0], "finance");
	assert_int_equal(rep->groups->groups[0]->count, 2);
	kn_report_free(rep);

	/* A date that is not a date: a warning, and the "" week. */
	kn_window_init(&o.window);
	o.by = "week";
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, bad, 2);
	assert_string_equal(warn, "submitted \"31/02/2025\" is not a date; "
	    "counted under week \"\"\n");
	free(warn);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_KEYS), 0);
	assert_int_equal(rep->groups->ngroups, 2);
	assert_string_equal(rep->groups->groups[0]->vals[0], "");
	assert_string_equal(rep->groups->groups[1]->vals[0], "2025-W40");
	kn_report_free(rep);

	/* ... and with a window, it is left out, with a warning. */
	assert_int_equal(kn_window_week(&o.window, "2025-W40", NULL), 0);
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, bad, 2);
	assert_string_equal(warn, "submitted \"31/02/2025\" is not a date; "
	    "left out of the window\n");
	free(warn);
	assert_int_equal(rep->ncounted, 1);
	kn_report_free(rep);
}

static void
test_overdue_filter(void **state)
{
	struct kn_report_opts o;
	struct kn_report *rep;
	char *warn;

	(void)state;
	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	o.as_of = day("2025-10-06");
	o.overdue = 1;
	o.by = "department";
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, ledger, 8);
	assert_non_null(strstr(warn, "\"later\""));
	free(warn);
	assert_int_equal(rep->ncounted, 3);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	assert_string_equal(rep->groups->groups[0]->vals[0], "Hậu cần");
	assert_int_equal(rep->groups->groups[0]->count, 2);
	kn_report_free(rep);
}

static void
test_bad_keys(void **state)
{
	struct kn_report_opts o;
	struct kn_error err;

	(void)state;
	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	kn_error_clear(&err);
	o.by = "field,,status";
	assert_null(kn_report_new(&o, &err));
	assert_non_null(strstr(err.text, "empty"));
	o.by = "field,field";
	assert_null(kn_report_new(&o, &err));
	assert_non_null(strstr(err.text, "repeated"));
	o.by = "count";
	assert_null(kn_report_new(&o, &err));
}

static void
test_digest(void **state)
{
	struct kn_report_opts o;
	struct kn_report *rep;
	const struct kn_problem *p;
	char *warn;

	(void)state;
	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	o.as_of = day("2025-10-06");
	o.digest = 1;
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, ledger, 8);
	free(warn);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	/* a (a, b, c; d is a duplicate), e (e, f), g, h. */
	assert_int_equal(rep->nproblems, 4);
	assert_int_equal(rep->nfields, 3);
	/* Fields by how many communes raised them. */
	assert_string_equal(rep->fields[0].code, "traffic");
	assert_int_equal(rep->fields[0].ncommunes, 3);
	assert_string_equal(rep->fields[1].code, "equipment");
	assert_string_equal(rep->fields[2].code, "finance");
	p = rep->fields[0].problems[0];
	assert_string_equal(p->id, "a");
	assert_string_equal(p->title, "Nồng độ cồn");	/* the first record's */
	assert_int_equal(p->count, 3);
	assert_int_equal(p->ncommunes, 3);
	/* The answer given wins over the one suggested. */
	assert_int_equal(p->answer_kind, KN_ANSWER_GIVEN);
	assert_string_equal(p->answer, "Trả lời chính thức");
	/* Communes in Vietnamese order: Ân, Đ, H. */
	assert_string_equal(rep->communes[p->communes[0]], "Ân Tiến");
	assert_string_equal(rep->communes[p->communes[1]], "Đông Sơn");
	assert_string_equal(rep->communes[p->communes[2]], "Hạc Thành");
	assert_int_equal(p->noverdue, 1);
	assert_int_equal(p->oldest_due, day("2025-10-01"));
	p = rep->fields[2].problems[0];
	assert_string_equal(p->id, "e");
	assert_int_equal(p->ncommunes, 2);
	assert_int_equal(p->answer_kind, KN_ANSWER_NONE);
	assert_int_equal(rep->fields[0].nanswered, 1);
	assert_int_equal(rep->fields[2].nunanswered, 1);
	kn_report_free(rep);
}

static void
test_representative_later(void **state)
{
	/* The representative arrives after another record of its group. */
	static const char *const recs[] = {
		"{\"id\":\"k2\",\"group\":\"k1\",\"commune\":\"B\","
		"\"field\":\"f\",\"text\":\"second\"}",
		"{\"id\":\"k1\",\"group\":\"k1\",\"commune\":\"A\","
		"\"field\":\"f\",\"text\":\"first\",\"status\":\"suggested\","
		"\"answer\":\"s\"}",
		"{\"id\":\"k3\",\"group\":\"k1\",\"commune\":\"A\","
		"\"field\":\"f\",\"text\":\"third\"}"
	};
	struct kn_report_opts o;
	struct kn_report *rep;
	char *warn;

	(void)state;
	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	o.digest = 1;
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, recs, 3);
	free(warn);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	assert_int_equal(rep->nproblems, 1);
	assert_string_equal(rep->problems[0]->text, "first");
	assert_int_equal(rep->problems[0]->answer_kind, KN_ANSWER_SUGGESTED);
	assert_int_equal(rep->problems[0]->ncommunes, 2);
	assert_int_equal(rep->problems[0]->count, 3);
	kn_report_free(rep);
}

/* The report counts a commune once, whatever its spelling's form. */
static void
test_report_nfc(void **state)
{
	static const char *const recs[] = {
		"{\"id\":\"n1\",\"commune\":\"Hạc Thành\","
		"\"department\":\"Phòng Hậu cần\",\"field\":\"f\","
		"\"text\":\"a\"}",
		"{\"id\":\"n2\",\"commune\":\"Ha\xCC\xA3" "c Tha\xCC\x80nh\","
		"\"department\":\"Pho\xCC\x80ng Ha\xCC\xA3\xCC\x82u ca\xCC\x82\xCC\x80n\","
		"\"field\":\"f\",\"text\":\"b\"}"
	};
	struct kn_report_opts o;
	struct kn_report *rep;
	char *warn;

	(void)state;
	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	o.as_of = day("2025-10-06");
	o.by = "commune";
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, recs, 2);
	free(warn);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	assert_int_equal(rep->groups->ngroups, 1);
	assert_string_equal(rep->groups->groups[0]->vals[0], "Hạc Thành");
	assert_int_equal(rep->groups->groups[0]->count, 2);
	assert_int_equal(rep->groups->groups[0]->ncommunes, 1);
	assert_int_equal(rep->ncommunes, 1);
	assert_int_equal(rep->ncommune_names, 1);
	kn_report_free(rep);

	/* The summary and the digest alike. */
	o.by = NULL;
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, recs, 2);
	free(warn);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	assert_int_equal(rep->by_department->ngroups, 1);
	assert_string_equal(rep->by_department->groups[0]->vals[0],
	    "Phòng Hậu cần");
	kn_report_free(rep);
	o.digest = 1;
	assert_non_null(rep = kn_report_new(&o, NULL));
	warn = feed(rep, recs, 2);
	free(warn);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	assert_int_equal(rep->nproblems, 2);
	assert_int_equal(rep->fields[0].ncommunes, 1);
	kn_report_free(rep);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weeks),
		cmocka_unit_test(test_windows),
		cmocka_unit_test(test_overdue),
		cmocka_unit_test(test_tally),
		cmocka_unit_test(test_tally_nfc),
		cmocka_unit_test(test_many_communes),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_window_and_by),
		cmocka_unit_test(test_overdue_filter),
		cmocka_unit_test(test_bad_keys),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_representative_later),
		cmocka_unit_test(test_report_nfc),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
