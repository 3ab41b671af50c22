/* test_html.c: the HTML page: escaped, self-contained, with its charts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"
#include "kn/render.h"
#include "kn/report.h"

#define HOSTILE "<script>alert(\\\"x\\\")</script> & 'q'"
#define ESCAPED "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; " \
	"&#39;q&#39;"

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s += strlen(what);
	}
	return n;
}

static char *
page(int digest, const char *by)
{
	static const char *const recs[] = {
		"{\"id\":\"1\",\"commune\":\"" HOSTILE "\","
		"\"field\":\"traffic\","
		"\"status\":\"open\",\"due\":\"2025-10-01\",\"department\":\""
		HOSTILE "\",\"title\":\"" HOSTILE "\",\"text\":\"" HOSTILE
		"\"}",
		"{\"id\":\"2\",\"commune\":\"Hạc Thành\",\"field\":\"" HOSTILE
		"\",\"status\":\"answered\",\"department\":\"Phòng Hậu cần\","
		"\"text\":\"Kinh phí\",\"answer\":\"" HOSTILE "\\nline 2\","
		"\"answered_by\":\"" HOSTILE "\",\"answered_at\":\"2025-10-02\""
		"}"
	};
	struct kn_report_opts o;
	struct kn_render_opts ro;
	struct kn_report *rep;
	struct kn_fields *fs;
	struct kn_buf warn = KN_BUF_INIT, out = KN_BUF_INIT;
	size_t i;

	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	kn_date_parse("2025-10-06", &o.as_of, NULL);
	o.digest = digest;
	o.by = by;
	assert_non_null(rep = kn_report_new(&o, NULL));
	for (i = 0; i < 2; i++) {
		struct kn_record *r = kn_record_from_json(recs[i],
		    strlen(recs[i]), NULL);

		assert_non_null(r);
		assert_int_equal(kn_report_add(rep, r, &warn), 1);
		kn_record_free(r);
	}
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	assert_non_null(fs = kn_fields_load(NULL, NULL));
	memset(&ro, 0, sizeof(ro));
	ro.format = KN_REPORT_HTML;
	ro.fields = fs;
	ro.title = "Báo cáo <tuần> \"40\" & 'x'";
	assert_int_equal(kn_render(&out, rep, &ro, NULL), 0);
	kn_fields_free(fs);
	kn_report_free(rep);
	kn_buf_free(&warn);
	return kn_buf_detach(&out);
}

/* Nothing in the page runs, loads or links anything. */
static void
self_contained(const char *s)
{
	assert_int_equal(count(s, "<script"), 0);
	assert_int_equal(count(s, "src="), 0);
	assert_int_equal(count(s, "href="), 0);
	assert_int_equal(count(s, "url("), 0);
	assert_int_equal(count(s, "@import"), 0);
	assert_int_equal(count(s, "http"), count(s,
	    "xmlns=\"http://www.w3.org/2000/svg\""));
	assert_int_equal(count(s, "<html"), 1);
	assert_int_equal(count(s, "</html>"), 1);
	assert_non_null(strstr(s, "@media print"));
	assert_non_null(strstr(s, "<title>Báo cáo &lt;tuần&gt; &quot;40&quot; "
	    "&amp; &#39;x&#39;</title>"));
}

static void
test_escape(void **state)
{
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	assert_int_equal(kn_html_escape(&b, "<a href=\"x\">&'</a>", 19), 0);
	assert_string_equal(kn_buf_str(&b), "&lt;a href=&quot;x&quot;&gt;&amp;"
	    "&#39;&lt;/a&gt;");
	kn_buf_reset(&b);
	assert_int_equal(kn_html_escape(&b, "Hạc Thành", strlen("Hạc Thành")),
	    0);
	assert_string_equal(kn_buf_str(&b), "Hạc Thành");
	kn_buf_free(&b);
}

static void
test_summary_page(void **state)
{
	char *s = page(0, NULL);

	(void)state;
	self_contained(s);
	/* Charts by field, by department and overdue by department. */
	assert_int_equal(count(s, "<svg class=\"chart\""), 2);
	assert_int_equal(count(s, "<svg class=\"chart alert\""), 1);
	/* The department, in its tables and charts. */
	assert_true(count(s, ESCAPED) >= 3);
	assert_int_equal(count(s, "alert(\"x\")"), 0);
	free(s);
}

static void
test_by_page(void **state)
{
	char *s = page(0, "commune,field");

	(void)state;
	self_contained(s);
	assert_int_equal(count(s, "<svg"), 1);
	/* In the table, and in the chart's label and its tooltip. */
	assert_true(count(s, ESCAPED) >= 3);
	assert_int_equal(count(s, "alert(\"x\")"), 0);
	free(s);
}

static void
test_digest_page(void **state)
{
	char *s = page(1, NULL);

	(void)state;
	self_contained(s);
	assert_int_equal(count(s, "<article class=\"problem\">"), 2);
	/* Commune, department, title, text, field code, answer, author. */
	assert_true(count(s, ESCAPED) >= 6);
	assert_non_null(strstr(s, ESCAPED "<br>line 2"));
	assert_int_equal(count(s, "alert(\"x\")"), 0);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_summary_page),
		cmocka_unit_test(test_by_page),
		cmocka_unit_test(test_digest_page),
	};

	return cmocka_run_group_tests_name("html", tests, NULL, NULL);
}
