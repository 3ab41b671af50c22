/*
 * test_route.c: the routing table (parsing, matching, validation), the
 * priority phrases and the router.
 */
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
#include "kn/route.h"
#include "knt.h"

static char tmpdir[64];
static char paths[16][128];
static int npaths;

/* Write text to a new file of the test's folder; returns its path. */
static const char *
fixture(const char *name, const char *text)
{
	FILE *fp;
	char *p;

	int i;

	for (i = 0; i < npaths; i++)
		if (strcmp(strrchr(paths[i], '/') + 1, name) == 0)
			break;
	assert_true(i < 16);
	p = paths[i];
	if (i == npaths) {
		snprintf(p, sizeof(paths[0]), "%s/%s", tmpdir, name);
		npaths++;
	}
	assert_non_null(fp = fopen(p, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
	return p;
}

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/kn-test-route-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < npaths; i++)
		unlink(paths[i]);
	rmdir(tmpdir);
	return 0;
}

/* ---- priorities ---- */

static struct kn_priorities *
prios(const char *csv)
{
	struct kn_priorities *p;
	struct kn_error err;

	kn_error_clear(&err);
	p = kn_priorities_load(csv == NULL ? NULL : fixture("priority.csv",
	    csv), NULL, &err);
	if (p == NULL)
		fail_msg("%s:%ld: %s", err.source, err.line, err.text);
	return p;
}

static void
prio_is(struct kn_priorities *p, const char *title, const char *text,
    int want, const char *why_want)
{
	struct kn_buf why = KN_BUF_INIT;
	int got = kn_priorities_assess(p, title, text, &why);

	if (got != want || (why_want != NULL &&
	    strcmp(kn_buf_str(&why), why_want) != 0))
		fail_msg("\"%s\" / \"%s\": %s (%s), expected %s (%s)",
		    title ? title : "", text ? text : "", kn_priority_name(got),
		    kn_buf_str(&why), kn_priority_name(want),
		    why_want ? why_want : "");
	kn_buf_free(&why);
}

static const char prio_fixture[] =
    "phrase,priority\n"
    "đang cháy,urgent\n"
    "thương vong,urgent\n"
    "sạt lở,urgent\n"
    "khẩn cấp,urgent\n"
    "hoả tốc,urgent\n"		/* old tone placement on purpose */
    "kéo dài,high\n"
    "nguy cơ,high\n"
    "đang chạy,none\n"
    "kéo dài thời hạn,none\n"
    "phòng chống,prevention\n"
    "khi xảy ra,prevention\n"
    "nguy cơ,risk\n"
    "không,negation\n";

static void
test_priority_phrases(void **state)
{
	struct kn_priorities *p = prios(prio_fixture);

	(void)state;
	assert_int_equal(kn_priorities_count(p), 13);
	prio_is(p, NULL, "Nhà dân đang cháy, đề nghị hỗ trợ", KN_PRIO_URGENT,
	    "đang cháy");
	prio_is(p, "ĐANG CHÁY", "tại thôn 3", KN_PRIO_URGENT, NULL);
	/* NFD input, and the other tone placement. */
	prio_is(p, NULL, "nha\xcc\x80 da\xcc\x82n \xc4\x91" "ang cha\xcc\x81y",
	    KN_PRIO_URGENT, "đang cháy");
	prio_is(p, NULL, "công văn hỏa tốc", KN_PRIO_URGENT, "hoả tốc");
	/* Syllable boundaries: no match inside a word. */
	prio_is(p, NULL, "phòng cháy chữa cháy", KN_PRIO_NORMAL, "");
	prio_is(p, NULL, "kiểm tra an toàn PCCC", KN_PRIO_NORMAL, "");
	prio_is(p, NULL, "đang cháyy", KN_PRIO_NORMAL, "");
	/* Not across a sentence, nor from title to text. */
	prio_is(p, NULL, "Việc này đang. Cháy thì không", KN_PRIO_NORMAL, "");
	prio_is(p, "Việc đang", "cháy", KN_PRIO_NORMAL, "");
	assert_int_equal(kn_priorities_assess(p, NULL, NULL, NULL),
	    KN_PRIO_NORMAL);
	assert_int_equal(kn_priorities_assess(p, "", "", NULL),
	    KN_PRIO_NORMAL);
	kn_priorities_free(p);
}

static void
test_priority_diacritics(void **state)
{
	struct kn_priorities *p = prios(prio_fixture);

	(void)state;
	/* With diacritics the marks decide. */
	prio_is(p, NULL, "Hệ thống camera đang chạy ổn định", KN_PRIO_NORMAL,
	    "");
	prio_is(p, NULL, "xe đang chạy thì bốc khói", KN_PRIO_NORMAL, "");
	/* Without them, "dang chay" is both: the none phrase wins. */
	prio_is(p, NULL, "xe dang chay tren duong", KN_PRIO_NORMAL, "");
	/* A phrase without a collision matches folded. */
	prio_is(p, NULL, "Sat lo dat tai ban Muong", KN_PRIO_URGENT, "sạt lở");
	prio_is(p, NULL, "de nghi xu ly khan cap", KN_PRIO_URGENT, "khẩn cấp");
	/* A few unaccented words in an accented text do not make it so. */
	prio_is(p, NULL, "Đề nghị xử lý vụ việc khan cap ở xã", KN_PRIO_NORMAL,
	    "");
	kn_priorities_free(p);
}

static void
test_priority_context(void **state)
{
	struct kn_priorities *p = prios(prio_fixture);

	(void)state;
	prio_is(p, NULL, "Tình trạng này kéo dài nhiều năm", KN_PRIO_HIGH,
	    "kéo dài");
	prio_is(p, NULL, "Đề nghị kéo dài thời hạn giải quyết", KN_PRIO_NORMAL,
	    "");
	prio_is(p, NULL, "Tuyên truyền phòng chống sạt lở cho nhân dân",
	    KN_PRIO_NORMAL, "");
	prio_is(p, NULL, "xây dựng phương án xử lý khi xảy ra sạt lở",
	    KN_PRIO_NORMAL, "");
	prio_is(p, NULL, "Khu vực có nguy cơ sạt lở cao", KN_PRIO_HIGH, NULL);
	prio_is(p, NULL, "Vụ cháy không gây thương vong", KN_PRIO_NORMAL, "");
	prio_is(p, NULL, "Không có thương vong", KN_PRIO_NORMAL, "");
	/* A negation further back does not reach. */
	prio_is(p, NULL, "Người dân không dám báo tin vì thương vong",
	    KN_PRIO_URGENT, "thương vong");
	/* Context counts in its own sentence only. */
	prio_is(p, NULL, "Đã phòng chống. Sạt lở vẫn xảy ra", KN_PRIO_URGENT,
	    "sạt lở");
	/* The strongest phrase decides. */
	prio_is(p, NULL, "Vụ việc kéo dài, nay có thương vong",
	    KN_PRIO_URGENT, "thương vong");
	kn_priorities_free(p);
}

static void
test_priority_shipped(void **state)
{
	struct kn_priorities *p = prios(NULL);

	(void)state;
	prio_is(p, NULL, "Kho xưởng đang cháy lớn, có người mắc kẹt",
	    KN_PRIO_URGENT, NULL);
	prio_is(p, NULL, "Đề nghị tổ chức kiểm tra an toàn PCCC tại các cơ sở "
	    "karaoke", KN_PRIO_NORMAL, "");
	prio_is(p, NULL, "Tăng cường công tác phòng cháy, chữa cháy",
	    KN_PRIO_NORMAL, "");
	prio_is(p, NULL, "Máy chủ đang chạy chậm", KN_PRIO_NORMAL, "");
	prio_is(p, NULL, "Công an xã gặp nhiều khó khăn cấp bách",
	    KN_PRIO_HIGH, "cấp bách");
	prio_is(p, NULL, "cong an xa gap kho khan cap co so", KN_PRIO_NORMAL,
	    "");
	prio_is(p, NULL, "Có đối tượng tụ tập đông người gây rối",
	    KN_PRIO_URGENT, "tụ tập đông người");
	kn_priorities_free(p);
}

static void
priorities_fail(const char *csv, long line, const char *what)
{
	struct kn_error err;

	kn_error_clear(&err);
	assert_null(kn_priorities_load(fixture("bad-priority.csv", csv), NULL,
	    &err));
	assert_int_equal(err.line, line);
	if (strstr(err.text, what) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err.text, what);
}

static void
test_priority_errors(void **state)
{
	(void)state;
	priorities_fail("phrase,priority\ncháy lớn,urgnet\n", 2,
	    "\"urgnet\"");
	priorities_fail("phrase,priority\n...,urgent\n", 2, "no letters");
	priorities_fail("phrase,priority\ncháy. lớn,urgent\n", 2, "sentence");
	priorities_fail("phrase,priority\ncháy lớn,urgent\nCháy  lớn,high\n", 3,
	    "line 2");
	priorities_fail("phrase,priority\nđang chạy,none\nđang chạy,urgent\n",
	    3, "line 2");
	priorities_fail("phrase\ncháy lớn\n", 1, "priority");
}

/*
 * Given somewhere to report them, the priority phrases and the
 * departments list every bad row, all the problems of each, and load
 * the good ones.
 */
static void
test_load_problems(void **state)
{
	static const char *const pwant[] = {
		"3 priority \"very high\" is not one of",
		"4 phrase \"...\" has no letters",
		"5 phrase \"Khẩn  cấp\" is already on line 2 (as urgent)",
		"6 priority \"bogus\" is not one of",
		"6 phrase \"cháy. lớn\" spans a sentence break",
		NULL
	};
	static const char *const dwant[] = {
		"3 department code \"CSGT\" is repeated",
		"4 a department needs a code and a name",
		"5 a department needs a code and a name",
		NULL
	};
	struct kn_problems probs = { knt_collect, NULL, 0 };
	struct kn_priorities *p;
	struct kn_departments *d;
	struct kn_error err;
	struct knt_problems g;

	(void)state;
	memset(&g, 0, sizeof(g));
	probs.arg = &g;
	kn_error_clear(&err);
	p = kn_priorities_load(fixture("priority.csv", "phrase,priority\n"
	    "khẩn cấp,urgent\n"
	    "cháy lớn,very high\n"
	    "...,urgent\n"
	    "Khẩn  cấp,high\n"
	    "cháy. lớn,bogus\n"
	    "đang cháy,urgent\n"), &probs, &err);
	assert_non_null(p);
	knt_problems_are(&g, pwant);
	assert_int_equal(probs.n, 5);
	assert_int_equal(kn_priorities_count(p), 2);
	prio_is(p, NULL, "Nhà đang cháy, khẩn cấp", KN_PRIO_URGENT, NULL);
	prio_is(p, NULL, "Cháy lớn", KN_PRIO_NORMAL, "");
	kn_priorities_free(p);

	memset(&g, 0, sizeof(g));
	probs.n = 0;
	d = kn_departments_load(fixture("departments.csv", "code,name\n"
	    "CSGT,Cảnh sát giao thông\n"
	    "CSGT,again\n"
	    ",no code\n"
	    "THAMMUU,\n"
	    "PCCC,Cảnh sát PCCC và CNCH\n"), &probs, &err);
	assert_non_null(d);
	knt_problems_are(&g, dwant);
	assert_int_equal(kn_departments_count(d), 2);
	assert_int_equal(kn_departments_find(d, "PCCC"), 1);
	kn_departments_free(d);
	/* Without, the first fails the load. */
	assert_null(kn_departments_load(fixture("departments.csv",
	    "code,name\nCSGT,x\nCSGT,y\nPCCC,\n"), NULL, &err));
	assert_int_equal(err.line, 3);
}

/* ---- the routing table ---- */

static struct kn_router *
router(const char *routes, struct kn_error *err)
{
	struct kn_router_opts o;

	memset(&o, 0, sizeof(o));
	o.routes = routes == NULL ? NULL : fixture("routes.csv", routes);
	kn_error_clear(err);
	return kn_router_new(&o, err);
}

static struct kn_record *
rec(const char *json)
{
	struct kn_record *r = kn_record_from_json(json, strlen(json), NULL);

	assert_non_null(r);
	kn_record_set_origin(r, "in.jsonl", 1);
	return r;
}

static void
route_is(struct kn_router *rt, const char *json, const char *code,
    const char *prio, long line, const char *due)
{
	struct kn_record *r = rec(json);
	struct kn_route out;
	struct kn_error err;

	assert_int_equal(kn_router_route(rt, r, &out, &err), 0);
	if (strcmp(out.department_code, code) != 0 ||
	    strcmp(kn_priority_name(out.priority), prio) != 0 ||
	    out.rule_line != line || (due != NULL && strcmp(out.due, due) != 0))
		fail_msg("%s: %s %s line %ld due %s, expected %s %s line %ld "
		    "due %s", json, out.department_code,
		    kn_priority_name(out.priority), out.rule_line, out.due,
		    code, prio, line, due ? due : "");
	kn_record_free(r);
}

static void
test_shipped_table(void **state)
{
	struct kn_error err;
	struct kn_router *rt = router(NULL, &err);
	int nfatal;

	(void)state;
	if (rt == NULL)
		fail_msg("%s:%ld: %s", err.source, err.line, err.text);
	if (kn_router_problems(rt, &nfatal) != 0)
		fail_msg("line %ld: %s", kn_router_problem(rt, 0)->line,
		    kn_router_problem(rt, 0)->text);
	route_is(rt, "{\"field\":\"crime\",\"text\":\"Đối tượng trộm cắp tài "
	    "sản\",\"submitted\":\"2025-10-03\"}", "CSHS", "normal", 11,
	    "2025-10-24");
	route_is(rt, "{\"field\":\"crime\",\"text\":\"Người nghiện ma túy "
	    "tổng hợp tăng\",\"submitted\":\"2025-10-03\"}", "MATUY", "normal",
	    10, "2025-10-24");
	route_is(rt, "{\"field\":\"crime\",\"text\":\"quan ly doi tuong sau "
	    "cai nghien\"}", "MATUY", "normal", 10, "");
	/* Drug words in another field do not move it. */
	route_is(rt, "{\"field\":\"records\",\"text\":\"hồ sơ người nghiện "
	    "ma túy\"}", "HOSO", "normal", 3, "");
	/* "nghiên cứu" is not "nghiện". */
	route_is(rt, "{\"field\":\"crime\",\"text\":\"Đề nghị nghiên cứu "
	    "sửa đổi quy định về tạm giữ\"}", "CSHS", "normal", 11, "");
	route_is(rt, "{\"field\":\"finance\",\"text\":\"kinh phí\","
	    "\"submitted\":\"2025-10-03\"}", "HAUCAN", "normal", 4,
	    "2025-11-14");
	route_is(rt, "{\"field\":\"equipment\",\"text\":\"Trụ sở đang cháy, "
	    "khẩn cấp\",\"submitted\":\"2025-10-03\"}", "HAUCAN", "urgent", 5,
	    "2025-10-10");
	route_is(rt, "{\"field\":\"nonsense\",\"text\":\"x\"}", "THAMMUU",
	    "normal", 15, "");
	route_is(rt, "{\"text\":\"x\"}", "THAMMUU", "normal", 15, "");
	kn_router_free(rt);
}

static const char conditions[] =
    "field,commune_code,commune_type,text,priority,department,sla_days,"
    "set_priority,note\n"
    "traffic,16591,,,,CSGT,3,,a commune of its own\n"		/* 2 */
    "traffic,,phường,,,CSGT,10,,wards\n"			/* 3 */
    "security,,,khiếu kiện đông người|tụ tập,,ANCTNB,,urgent,\n"	/* 4 */
    ",,,,urgent,THAMMUU,1,,every urgent matter\n"		/* 5 */
    "personnel|records,,,,,TCCB,0,high,\n"			/* 6 */
    "traffic,,,,,CSGT,,,\n"					/* 7 */
    "security,,,,,ANCTNB,,,\n"					/* 8 */
    ",,,,,THAMMUU,,,\n";					/* 9 */

static void
test_conditions(void **state)
{
	struct kn_error err;
	struct kn_router *rt = router(conditions, &err);
	struct kn_record *r;
	struct kn_route out;

	(void)state;
	if (rt == NULL)
		fail_msg("%s:%ld: %s", err.source, err.line, err.text);
	/* commune_code, commune_type (by code, by name), then field. */
	route_is(rt, "{\"field\":\"traffic\",\"commune_code\":\"16591\","
	    "\"submitted\":\"2025-10-03\"}", "CSGT", "normal", 2,
	    "2025-10-08");
	route_is(rt, "{\"field\":\"traffic\",\"commune_code\":\"14797\","
	    "\"submitted\":\"2025-10-03\"}", "CSGT", "normal", 3,
	    "2025-10-17");
	route_is(rt, "{\"field\":\"traffic\",\"commune\":\"phường Hạc "
	    "Thành\"}", "CSGT", "normal", 3, NULL);
	route_is(rt, "{\"field\":\"traffic\",\"commune_code\":\"16636\"}",
	    "CSGT", "normal", 7, NULL);
	route_is(rt, "{\"field\":\"traffic\"}", "CSGT", "normal", 7, NULL);
	/* A number as the code. */
	route_is(rt, "{\"field\":\"traffic\",\"commune_code\":16591}", "CSGT",
	    "normal", 2, NULL);
	/* text alternatives; set_priority; urgent SLA. */
	route_is(rt, "{\"field\":\"security\",\"text\":\"Tình trạng khiếu "
	    "kiện đông người\",\"submitted\":\"2025-10-03\"}", "ANCTNB",
	    "urgent", 4, "2025-10-10");
	route_is(rt, "{\"field\":\"security\",\"title\":\"TU TAP\"}", "ANCTNB",
	    "urgent", 4, NULL);
	route_is(rt, "{\"field\":\"security\",\"text\":\"tập tụ\"}", "ANCTNB",
	    "normal", 8, NULL);
	/* priority condition on what the phrases say; a shorter SLA. */
	route_is(rt, "{\"field\":\"security\",\"text\":\"có thương vong\","
	    "\"submitted\":\"2025-10-03\"}", "THAMMUU", "urgent", 5,
	    "2025-10-06");
	/* several fields; sla 0; set_priority lowers too. */
	route_is(rt, "{\"field\":\"records\",\"text\":\"kéo dài\","
	    "\"submitted\":\"2025-10-04\"}", "TCCB", "high", 6, "2025-10-06");
	route_is(rt, "{\"field\":\"fire_rescue\"}", "THAMMUU", "normal", 9,
	    NULL);
	/* Status and the keys it sets. */
	r = rec("{\"id\":\"x\",\"status\":\"answered\",\"field\":\"traffic\"}");
	assert_int_equal(kn_router_route(rt, r, &out, &err), 0);
	assert_int_equal(kn_route_apply(&out, r), 0);
	assert_string_equal(kn_record_str(r, "status"), "answered");
	assert_string_equal(kn_record_str(r, "route_rule"), "routes.csv:7");
	assert_string_equal(kn_record_str(r, "department"),
	    "Phòng Cảnh sát giao thông");
	assert_string_equal(kn_record_str(r, "due"), "");
	assert_int_equal(out.flags, KN_ROUTE_NO_DATE);
	kn_record_free(r);
	r = rec("{\"status\":\"\",\"field\":\"traffic\",\"submitted\":\"hôm "
	    "qua\"}");
	assert_int_equal(kn_router_route(rt, r, &out, &err), 0);
	assert_int_equal(kn_route_apply(&out, r), 0);
	assert_string_equal(kn_record_str(r, "status"), "open");
	assert_int_equal(out.flags, KN_ROUTE_BAD_DATE);
	kn_record_free(r);
	kn_router_free(rt);
}

static void
test_uncovered_years(void **state)
{
	struct kn_error err;
	struct kn_router *rt = router(NULL, &err);
	struct kn_record *r;
	struct kn_route out;

	(void)state;
	assert_non_null(rt);
	r = rec("{\"field\":\"traffic\",\"submitted\":\"2026-12-28\"}");
	assert_int_equal(kn_router_route(rt, r, &out, &err), 0);
	assert_true(out.flags & KN_ROUTE_UNCOVERED);
	assert_int_equal(out.n_new_years, 1);
	assert_int_equal(out.new_years[0], 2027);
	assert_string_equal(out.due, "2027-01-18");
	/* Reported once. */
	assert_int_equal(kn_router_route(rt, r, &out, &err), 0);
	assert_true(out.flags & KN_ROUTE_UNCOVERED);
	assert_int_equal(out.n_new_years, 0);
	kn_record_free(r);
	r = rec("{\"field\":\"traffic\",\"submitted\":\"2025-06-02\"}");
	assert_int_equal(kn_router_route(rt, r, &out, &err), 0);
	assert_int_equal(out.flags, 0);
	kn_record_free(r);
	/* A mistyped year is not counted from. */
	r = rec("{\"field\":\"traffic\",\"submitted\":\"0225-06-02\"}");
	assert_int_equal(kn_router_route(rt, r, &out, &err), 0);
	assert_int_equal(out.flags, KN_ROUTE_FAR_DATE);
	assert_string_equal(out.due, "");
	kn_record_free(r);
	kn_router_free(rt);
}

static void
test_calendar_days(void **state)
{
	struct kn_router_opts o;
	struct kn_error err;
	struct kn_router *rt;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.calendar_days = 1;
	kn_error_clear(&err);
	assert_non_null(rt = kn_router_new(&o, &err));
	route_is(rt, "{\"field\":\"traffic\",\"submitted\":\"2025-01-24\"}",
	    "CSGT", "normal", 8, "2025-02-08");
	route_is(rt, "{\"field\":\"finance\",\"submitted\":\"25/01/2025\"}",
	    "HAUCAN", "normal", 4, "2025-02-24");
	kn_router_free(rt);
}

static void
table_fails(const char *csv, long line, const char *what)
{
	struct kn_error err;
	struct kn_router *rt = router(csv, &err);

	if (rt != NULL)
		fail_msg("table loaded, expected an error on line %ld", line);
	assert_int_equal(err.line, line);
	if (strstr(err.text, what) == NULL)
		fail_msg("\"%s\" does not say \"%s\"", err.text, what);
	assert_non_null(strstr(err.source, "routes.csv"));
}

#define HEAD "field,text,priority,department,sla_days,set_priority\n"

/* What leaves nothing to check: the table is not read at all. */
static void
test_parse_errors(void **state)
{
	(void)state;
	table_fails("field,departement\ntraffic,CSGT\n", 1,
	    "unknown column \"departement\"");
	table_fails("field,department\n", 0, "no rules");
	table_fails("field,text\ntraffic,x\n", 1, "department");
	table_fails(HEAD "traffic,\"unclosed,,CSGT,,\n", 2, "");
}

/* The problems of a table, as "LINE[!] text" lines. */
static void
problems_are(const char *csv, const char *const *want)
{
	struct kn_error err;
	struct kn_router *rt = router(csv, &err);
	size_t i, n;
	int nfatal;

	if (rt == NULL)
		fail_msg("%s:%ld: %s", err.source, err.line, err.text);
	n = kn_router_problems(rt, &nfatal);
	for (i = 0; want[i] != NULL; i++) {
		const struct kn_route_problem *p = kn_router_problem(rt, i);
		char buf[512];

		if (p == NULL)
			fail_msg("expected a problem \"%s\"", want[i]);
		snprintf(buf, sizeof(buf), "%ld%s %s", p->line,
		    p->fatal ? "!" : "", p->text);
		if (strncmp(buf, want[i], strlen(want[i])) != 0)
			fail_msg("problem \"%s\", expected \"%s\"", buf,
			    want[i]);
	}
	if (i != n)
		fail_msg("%zu problems, expected %zu: the next is \"%s\"", n, i,
		    kn_router_problem(rt, i)->text);
	kn_router_free(rt);
}

static const char full[] =
    "personnel,,,TCCB,,\nrecords,,,HOSO,,\nfinance|equipment,,,HAUCAN,,\n"
    "crime_reports,,,CSDT,,\nadmin_order,,,QLHC,,\ntraffic,,,CSGT,,\n"
    "security,,,ANCTNB,,\ncrime,,,CSHS,,\nfire_rescue,,,PCCC,,\n"
    "coordination|other,,,THAMMUU,,\n";		/* lines 2-11 */

static void
test_validation(void **state)
{
	static const char *const none[] = { NULL };
	static const char *const unknown[] = {
		"2! unknown field code \"trafic\" (not in fields.csv) (did you "
		    "mean \"traffic\"?)",
		"3! unknown department code \"MATUYY\" (not in "
		    "departments.csv) (did you mean \"MATUY\"?)",
		"14! unknown department code \"nobody\" (not in "
		    "departments.csv)",
		NULL
	};
	static const char *const shadowed[] = {
		"3 rule never matches: the rule on line 2 ",
		"5 rule never matches: the rule on line 4 ",
		"7 rule never matches: the rule on line 6 ",
		"9 rule never matches: the rule on line 8 ",
		"15 rule never matches: the rule on line 6 ",
		NULL
	};
	static const char *const unreachable[] = {
		"4 field \"traffic\" has no rule",
		NULL
	};
	static const char *const no_catchall[] = {
		"3! the last rule is not a catch-all",
		NULL
	};
	static const char *const after_catchall[] = {
		"13 rule never matches: the rule on line 7 ",
		"14 rule never matches: the rule on line 12 ",
		NULL
	};
	static const char *const communes[] = {
		"3! unknown commune code \"99999\" (not in communes.csv)",
		"5 rule never matches: the rule on line 4 ",
		NULL
	};
	char buf[2048];

	(void)state;
	snprintf(buf, sizeof(buf), HEAD "%s,,,THAMMUU,,\n", full);
	problems_are(buf, none);
	snprintf(buf, sizeof(buf), HEAD "trafic,,,CSGT,,\n"
	    "crime,ma túy,,MATUYY,,\n%s,,,nobody,,\n", full);
	problems_are(buf, unknown);
	/*
	 * 3 "chất ma túy" and "ma túy đá" contain 2's "ma túy"; 5 is a part
	 * of 4; 7 has 6's field and more; 9 "Tụ tập đông" contains 8's
	 * unaccented "tu tap"; 15 (of full) repeats 6.
	 */
	snprintf(buf, sizeof(buf), HEAD
	    "crime,ma túy,,MATUY,,\n"
	    "crime,chất ma túy|ma túy đá,,MATUY,,\n"
	    ",,urgent,THAMMUU,,\n"
	    "traffic,,urgent|urgent,CSGT,,\n"
	    "traffic,,,CSGT,,\n"
	    "traffic,tai nạn,,CSGT,,\n"
	    "security,tu tap,,ANCTNB,,\n"
	    "security,Tụ tập đông,high,ANCTNB,,\n"
	    "%s,,,THAMMUU,,\n", full);
	problems_are(buf, shadowed);
	/* An accented phrase does not cover an unaccented one. */
	snprintf(buf, sizeof(buf), HEAD
	    "crime,ma túy,,MATUY,,\n"
	    "crime,ma tuy,,MATUY,,\n"
	    "crime,ma túy|cần sa,,MATUY,,\n"
	    "crime,,high,CSHS,,\n"
	    "%s,,,THAMMUU,,\n", full);
	problems_are(buf, none);
	snprintf(buf, sizeof(buf), HEAD "%s"
	    ",,,THAMMUU,,\n"
	    "traffic,,,CSGT,,\n"
	    ",,,THAMMUU,,\n", full);
	problems_are(buf, after_catchall);
	problems_are(HEAD "crime,,,CSHS,,\n"
	    "crime|security|personnel|records|finance|equipment|crime_reports|"
	    "admin_order|fire_rescue|coordination|other,,,THAMMUU,,\n"
	    ",,,THAMMUU,,\n", unreachable);
	problems_are(HEAD "traffic,,,CSGT,,\n,ma túy,,MATUY,,\n", no_catchall);
	problems_are("field,commune_code,commune_type,department\n"
	    "traffic,16591,,CSGT\n"
	    "traffic,99999,,CSGT\n"
	    ",,xã,CSGT\n"
	    "traffic,16591|16636,,CSGT\n"
	    "traffic,14797,,CSGT\n"
	    ",,,THAMMUU\n", communes);
}

#define ALL_FIELDS "personnel|records|finance|equipment|crime_reports|" \
    "admin_order|traffic|security|crime|fire_rescue|coordination|other"

/*
 * A bad value is a fatal problem, not the end of the load: every one of
 * every line is listed, then what the rules' check finds, line by line.
 */
static void
test_value_problems(void **state)
{
	static const char *const values[] = {
		"2! sla_days \"-1\" is not a number of days from 0 to 365",
		"3! priority \"urgentt\" is not one of urgent, high, normal",
		"3! sla_days \"366\" is not a number of days",
		"3! set_priority \"soon\" is not one of urgent, high, normal",
		"4! text \"a||b\" has an empty alternative (between \"|\")",
		"4! a rule needs a department code",
		"5! text \"!!!\" has no letters",
		"5! unknown field code \"trafic\"",
		"6! field \"|x\" has an empty alternative",
		"6! sla_days \"abc\" is not a number of days",
		"6! unknown department code \"CSGTT\"",
		"12 rule never matches: the rule on line 2 ",
		NULL
	};
	static const char *const columns[] = {
		"1! unknown column \"sla\"",
		"2! commune_type \"thôn\" is neither \"xã\" nor \"phường\"",
		"2! commune_type \"phố\" is neither \"xã\" nor \"phường\"",
		NULL
	};
	static const char *const last_text[] = {
		"3! text \"a||b\" has an empty alternative",
		"3! the last rule is not a catch-all",
		NULL
	};
	struct kn_error err;
	struct kn_router *rt;
	char buf[2048];
	int nfatal;

	(void)state;
	/*
	 * 3 and 5 would be shadowed by 2, but a condition of theirs is
	 * unreadable; 12 (of full) is.
	 */
	snprintf(buf, sizeof(buf), HEAD
	    "traffic,,,CSGT,-1,\n"
	    "traffic,,urgentt|high,CSGT,366,soon\n"
	    "traffic,a||b,,,,\n"
	    "trafic,!!!|x,,CSGT,,\n"
	    "|x,,,CSGTT,abc,\n"
	    "%s,,,THAMMUU,,\n", full);
	problems_are(buf, values);
	assert_non_null(rt = router(buf, &err));
	assert_int_equal(kn_router_problems(rt, &nfatal), 12);
	assert_int_equal(nfatal, 11);
	assert_non_null(strstr(kn_router_problem(rt, 0)->source,
	    "routes.csv"));
	kn_router_free(rt);
	/* Unknown columns are listed, on line 1, first. */
	problems_are("field,commune_type,department,sla\n"
	    "traffic,thôn|xã|phố,CSGT,\n"
	    ALL_FIELDS ",,THAMMUU,\n"
	    ",,THAMMUU,\n", columns);
	/* A condition that cannot be read is still a condition. */
	problems_are("field,text,department\n"
	    ALL_FIELDS ",,THAMMUU\n"
	    ",a||b,THAMMUU\n", last_text);
}

/*
 * The router lists the bad rows of every file it reads, each file's
 * with its name, before the table's.
 */
static void
test_router_files(void **state)
{
	static const char *const want[] = {
		"priority.csv:3! priority \"very high\"",
		"priority.csv:4! phrase \"...\" has no letters",
		"holidays.csv:3! date \"2025-02-30\" is not a date",
		"holidays.csv:3! kind \"holliday\"",
		"holidays.csv:4! 2025-04-28 is a weekday",
		"routes.csv:2! sla_days \"abc\"",
		"routes.csv:3! the last rule is not a catch-all",
		NULL
	};
	struct kn_router_opts o;
	struct kn_router *rt;
	struct kn_error err;
	size_t i, n;
	int nfatal;

	(void)state;
	memset(&o, 0, sizeof(o));
	o.priorities = fixture("priority.csv", "phrase,priority\n"
	    "khẩn cấp,urgent\ncháy lớn,very high\n...,urgent\n");
	o.holidays = fixture("holidays.csv", "date,kind,name\n"
	    "2025-01-01,holiday,x\n2025-02-30,holliday,x\n"
	    "2025-04-28,workday,x\n");
	o.routes = fixture("routes.csv", HEAD ALL_FIELDS ",,,THAMMUU,abc,\n"
	    ",,high,THAMMUU,,\n");
	kn_error_clear(&err);
	assert_non_null(rt = kn_router_new(&o, &err));
	n = kn_router_problems(rt, &nfatal);
	for (i = 0; want[i] != NULL; i++) {
		const struct kn_route_problem *p = kn_router_problem(rt, i);
		const char *base;
		char buf[700];

		if (p == NULL)
			fail_msg("expected a problem \"%s\"", want[i]);
		base = strrchr(p->source, '/') != NULL ?
		    strrchr(p->source, '/') + 1 : p->source;
		snprintf(buf, sizeof(buf), "%s:%ld%s %s", base, p->line,
		    p->fatal ? "!" : "", p->text);
		if (strncmp(buf, want[i], strlen(want[i])) != 0)
			fail_msg("problem \"%s\", expected \"%s\"", buf,
			    want[i]);
	}
	assert_int_equal(n, i);
	assert_int_equal(nfatal, (int)i);
	kn_router_free(rt);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_priority_phrases),
		cmocka_unit_test(test_priority_diacritics),
		cmocka_unit_test(test_priority_context),
		cmocka_unit_test(test_priority_shipped),
		cmocka_unit_test(test_priority_errors),
		cmocka_unit_test(test_load_problems),
		cmocka_unit_test(test_shipped_table),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_uncovered_years),
		cmocka_unit_test(test_calendar_days),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_value_problems),
		cmocka_unit_test(test_router_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
