/* test_render.c: labels, display-width layout, bars, the formats. */
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

static size_t
width(const char *s)
{
	return kn_text_width(s, strlen(s));
}

static void
test_pad(void **state)
{
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	/* Vietnamese, NFC and NFD alike, by display width. */
	assert_int_equal(width("Hạc Thành"), 9);
	assert_int_equal(width("Ha\xcc\xa3\x63 Tha\xcc\x80nh"), 9);
	assert_int_equal(kn_text_pad(&b, "Hạc Thành", 12, 0), 0);
	assert_string_equal(kn_buf_str(&b), "Hạc Thành   ");
	kn_buf_reset(&b);
	assert_int_equal(kn_text_pad(&b, "Ha\xcc\xa3\x63 Tha\xcc\x80nh", 12,
	    1), 0);
	assert_string_equal(kn_buf_str(&b), "   Ha\xcc\xa3\x63 Tha\xcc\x80nh");
	/* Too wide: cut, ending in an ellipsis, to the exact width. */
	kn_buf_reset(&b);
	assert_int_equal(kn_text_pad(&b, "Phòng Cảnh sát giao thông", 10, 0),
	    0);
	assert_string_equal(kn_buf_str(&b), "Phòng Cản…");
	assert_int_equal(width(kn_buf_str(&b)), 10);
	kn_buf_reset(&b);
	assert_int_equal(kn_text_pad(&b, "Phòng Cảnh", 6, 0), 0);
	assert_string_equal(kn_buf_str(&b), "Phòng…");
	/* A cut never splits a letter from its combining marks. */
	kn_buf_reset(&b);
	assert_int_equal(kn_text_pad(&b, "Ha\xcc\xa3\x63 Tha\xcc\x80nh", 3, 0),
	    0);
	assert_string_equal(kn_buf_str(&b), "Ha\xcc\xa3…");
	/* Wide characters count two columns. */
	kn_buf_reset(&b);
	assert_int_equal(kn_text_pad(&b, "越南", 6, 0), 0);
	assert_string_equal(kn_buf_str(&b), "越南  ");
	kn_buf_free(&b);
}

static void
test_bar(void **state)
{
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	assert_int_equal(kn_text_bar(&b, 10, 10, 4), 0);
	assert_string_equal(kn_buf_str(&b), "████");
	kn_buf_reset(&b);
	assert_int_equal(kn_text_bar(&b, 5, 10, 4), 0);
	assert_string_equal(kn_buf_str(&b), "██");
	kn_buf_reset(&b);
	assert_int_equal(kn_text_bar(&b, 3, 8, 4), 0);	/* 12/8 columns */
	assert_string_equal(kn_buf_str(&b), "█▌");
	kn_buf_reset(&b);
	/* Never empty. */
	assert_int_equal(kn_text_bar(&b, 1, 1000, 4), 0);
	assert_string_equal(kn_buf_str(&b), "▏");
	kn_buf_reset(&b);
	assert_int_equal(kn_text_bar(&b, 0, 10, 4), 0);
	assert_string_equal(kn_buf_str(&b), "");
	kn_buf_reset(&b);
	assert_int_equal(kn_text_bar(&b, 7, 8, 1), 0);
	assert_string_equal(kn_buf_str(&b), "▉");
	assert_int_equal(width("█▏▎▍▌▋▊▉"), 8);
	kn_buf_free(&b);
}

static void
test_labels(void **state)
{
	struct kn_fields *fs;
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	assert_non_null(fs = kn_fields_load(NULL, NULL));
#define LABEL(key, v, en, want) do { \
	kn_buf_reset(&b); \
	assert_int_equal(kn_label_value(&b, key, v, en, fs), 0); \
	assert_string_equal(kn_buf_str(&b), want); \
} while (0)
	LABEL("field", "traffic", 0, "Trật tự an toàn giao thông");
	LABEL("field", "traffic", 1, "Traffic safety");
	LABEL("field", "nonesuch", 0, "nonesuch");
	LABEL("field", "", 0, "(chưa phân loại)");
	LABEL("status", "open", 0, "Chưa xử lý");
	LABEL("status", "suggested", 0, "Đã có gợi ý trả lời");
	LABEL("status", "answered", 1, "Answered");
	LABEL("department", "", 0, "(chưa giao đơn vị)");
	LABEL("week", "2025-W40", 0, "40/2025 (29/09–05/10)");
	LABEL("week", "2025-W01", 1, "2025-W01 (Dec 30–Jan 5)");
	LABEL("month", "2025-10", 0, "10/2025");
	LABEL("due", "2025-10-05", 0, "05/10/2025");
	LABEL("commune", "Hạc Thành", 0, "Hạc Thành");
	LABEL("anything", "", 0, "(trống)");
	assert_string_equal(kn_label_key("field", 0), "Lĩnh vực");
	assert_string_equal(kn_label_key("department", 1), "Department");
	assert_string_equal(kn_label_key("mystery", 0), "mystery");
	kn_buf_reset(&b);
	kn_render_count(&b, 1234567, 0);
	assert_string_equal(kn_buf_str(&b), "1.234.567");
	kn_buf_reset(&b);
	kn_render_count(&b, 1234, 1);
	assert_string_equal(kn_buf_str(&b), "1,234");
	kn_buf_reset(&b);
	kn_render_count(&b, 999, 0);
	assert_string_equal(kn_buf_str(&b), "999");
	kn_buf_reset(&b);
	assert_int_equal(kn_md_escape(&b, "a|b*c_d\n<x>", 11), 0);
	assert_string_equal(kn_buf_str(&b), "a\\|b\\*c\\_d \\<x\\>");
	kn_buf_free(&b);
	kn_fields_free(fs);
}

static void
test_formats(void **state)
{
	(void)state;
	assert_int_equal(kn_report_format_parse("csv"), KN_REPORT_CSV);
	assert_int_equal(kn_report_format_parse("markdown"), KN_REPORT_MD);
	assert_int_equal(kn_report_format_parse("pdf"), -1);
	assert_int_equal(kn_report_format_of_path("reports/2025-W40.html"),
	    KN_REPORT_HTML);
	assert_int_equal(kn_report_format_of_path("a.md"), KN_REPORT_MD);
	assert_int_equal(kn_report_format_of_path("out.d/report"), -1);
	assert_int_equal(kn_report_format_of_path(NULL), -1);
	/* Extensions in any case. */
	assert_int_equal(kn_report_format_of_path("rep.HTML"), KN_REPORT_HTML);
	assert_int_equal(kn_report_format_of_path("rep.Htm"), KN_REPORT_HTML);
	assert_int_equal(kn_report_format_of_path("REP.MD"), KN_REPORT_MD);
	assert_int_equal(kn_report_format_of_path("r.CSV"), KN_REPORT_CSV);
	assert_int_equal(kn_report_format_of_path("r.Json"), KN_REPORT_JSON);
	assert_int_equal(kn_report_format_of_path("r.TXT"), KN_REPORT_TEXT);
	assert_int_equal(kn_report_format_of_path("r.PDF"), -1);
	assert_int_equal(kn_report_format_of_path("r.htmlhtmlhtmlhtml"), -1);
}

/* A report over a few records. */
static struct kn_report *
report(const char *by, int digest)
{
	static const char *const recs[] = {
		"{\"id\":\"1\",\"commune\":\"Hạc Thành\",\"field\":\"traffic\","
		"\"status\":\"open\",\"department\":\"Phòng CSGT\"}",
		"{\"id\":\"2\",\"commune\":\"Ân Tiến\",\"field\":\"traffic\","
		"\"status\":\"open\",\"department\":\"Phòng CSGT\"}",
		"{\"id\":\"3\",\"commune\":\"Đông Sơn\",\"field\":\"finance\","
		"\"status\":\"answered\",\"department\":\"Phòng Hậu cần\"}",
		"{\"id\":\"4\",\"commune\":\"Yên Định\",\"field\":\"traffic\","
		"\"status\":\"suggested\",\"department\":\"Phòng CSGT\"}"
	};
	struct kn_report_opts o;
	struct kn_report *rep;
	struct kn_buf warn = KN_BUF_INIT;
	size_t i;

	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	kn_date_parse("2025-10-06", &o.as_of, NULL);
	o.by = by;
	o.digest = digest;
	assert_non_null(rep = kn_report_new(&o, NULL));
	for (i = 0; i < 4; i++) {
		struct kn_record *r = kn_record_from_json(recs[i],
		    strlen(recs[i]), NULL);

		assert_non_null(r);
		assert_int_equal(kn_report_add(rep, r, &warn), 1);
		kn_record_free(r);
	}
	kn_buf_free(&warn);
	return rep;
}

static char *
render(struct kn_report *rep, enum kn_report_format f,
    const struct kn_fields *fs)
{
	struct kn_render_opts ro;
	struct kn_buf out = KN_BUF_INIT;

	memset(&ro, 0, sizeof(ro));
	ro.format = f;
	ro.fields = fs;
	assert_int_equal(kn_report_finish(rep, kn_report_order(rep, f)), 0);
	assert_int_equal(kn_render(&out, rep, &ro, NULL), 0);
	return kn_buf_detach(&out);
}

static void
test_csv_json(void **state)
{
	struct kn_report *rep;
	char *s;

	(void)state;
	rep = report("field,status", 0);
	s = render(rep, KN_REPORT_CSV, NULL);
	assert_string_equal(s, "field,status,count\n"
	    "finance,answered,1\n"
	    "traffic,open,2\n"
	    "traffic,suggested,1\n");
	free(s);
	kn_report_free(rep);

	rep = report("commune", 0);
	s = render(rep, KN_REPORT_JSON, NULL);
	assert_string_equal(s, "{\n"
	    "  \"filters\": {\"by\": [\"commune\"], \"as_of\": \"2025-10-06\", "
	    "\"overdue\": false},\n"
	    "  \"groups\": [\n"
	    "    {\"commune\": \"Ân Tiến\", \"count\": 1},\n"
	    "    {\"commune\": \"Đông Sơn\", \"count\": 1},\n"
	    "    {\"commune\": \"Hạc Thành\", \"count\": 1},\n"
	    "    {\"commune\": \"Yên Định\", \"count\": 1}\n"
	    "  ],\n"
	    "  \"total\": 4\n"
	    "}\n");
	free(s);
	kn_report_free(rep);

	/* CSV holds one table: the summary is refused. */
	rep = report(NULL, 0);
	{
		struct kn_render_opts ro;
		struct kn_buf out = KN_BUF_INIT;
		struct kn_error err;

		memset(&ro, 0, sizeof(ro));
		ro.format = KN_REPORT_CSV;
		kn_error_clear(&err);
		assert_int_equal(kn_report_finish(rep, KN_ORDER_KEYS), 0);
		assert_int_equal(kn_render(&out, rep, &ro, &err), -1);
		assert_int_equal(err.code, KN_EINVAL);
		kn_buf_free(&out);
	}
	kn_report_free(rep);
}

/* Every line of the table has its numbers end in the same column. */
static void
test_text_aligned(void **state)
{
	struct kn_fields *fs;
	struct kn_report *rep;
	char *s, *line, *save = NULL;
	size_t col = 0, n = 0;

	(void)state;
	assert_non_null(fs = kn_fields_load(NULL, NULL));
	rep = report("field,status", 0);
	s = render(rep, KN_REPORT_TEXT, fs);
	assert_non_null(strstr(s, "Trật tự an toàn giao thông"));
	assert_non_null(strstr(s, "Đã có gợi ý trả lời"));
	for (line = strtok_r(s, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *pct = strstr(line, "%");

		if (pct == NULL)
			continue;
		if (n++ == 0)
			col = kn_text_width(line, (size_t)(pct - line));
		assert_int_equal(kn_text_width(line, (size_t)(pct - line)),
		    col);
	}
	assert_int_equal(n, 4);		/* three groups and the total */
	free(s);
	kn_report_free(rep);

	/* Largest first in human formats; the largest bar is full. */
	rep = report("field", 0);
	s = render(rep, KN_REPORT_TEXT, fs);
	assert_true(strstr(s, "Trật tự") < strstr(s, "Tài chính"));
	assert_non_null(strstr(s, "75,0%  ████████████████████████\n"));
	assert_non_null(strstr(s, "25,0%  ████████\n"));
	free(s);
	kn_report_free(rep);
	kn_fields_free(fs);
}

static void
test_md_and_digest(void **state)
{
	struct kn_fields *fs;
	struct kn_report *rep;
	char *s;

	(void)state;
	assert_non_null(fs = kn_fields_load(NULL, NULL));
	rep = report(NULL, 0);
	s = render(rep, KN_REPORT_MD, fs);
	assert_non_null(strstr(s, "# Báo cáo tổng hợp kiến nghị"));
	assert_non_null(strstr(s, "## Theo lĩnh vực\n"));
	assert_non_null(strstr(s, "| Trật tự an toàn giao thông | 3 | 3 | "
	    "75,0% |\n"));
	assert_non_null(strstr(s, "| **Tổng** | **4** | **4** | "
	    "**100,0%** |\n"));
	free(s);
	kn_report_free(rep);

	rep = report(NULL, 1);
	s = render(rep, KN_REPORT_MD, fs);
	assert_non_null(strstr(s, "## 1. Trật tự an toàn giao thông\n"));
	/* Each record is its own problem; ties keep their order. */
	assert_non_null(strstr(s, "- **Xã, phường nêu (1):** Hạc Thành"));
	assert_non_null(strstr(s, "- **Chưa trả lời.**"));
	free(s);
	kn_report_free(rep);
	kn_fields_free(fs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pad),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_csv_json),
		cmocka_unit_test(test_text_aligned),
		cmocka_unit_test(test_md_and_digest),
	};

	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
