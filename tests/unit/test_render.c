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
check_middle(const char *s, size_t w, const char *want)
{
	struct kn_buf b = KN_BUF_INIT;

	assert_int_equal(kn_text_pad_middle(&b, s, w), 0);
	assert_string_equal(kn_buf_str(&b), want);
	assert_int_equal(width(kn_buf_str(&b)), w);
	kn_buf_free(&b);
}

/* Cut in the middle: what begins alike stays apart by its end. */
static void
test_pad_middle(void **state)
{
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	check_middle("Phòng Hậu cần", 16, "Phòng Hậu cần   ");
	check_middle("Phòng Cảnh sát giao thông", 20,
	    "Phòng…sát giao thông");
	check_middle("Phòng Cảnh sát hình sự", 20, "Phòng Cảnh…hình sự  ");
	check_middle("Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
	    25, "Phòng Cảnh…trật tự xã hội");
	check_middle("Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu "
	    "hộ", 25, "Phòng Cảnh…nạn, cứu hộ   ");
	/* No comma before the ellipsis. */
	check_middle("Trang thiết bị, phương tiện, trụ sở", 22,
	    "Trang thiết bị…trụ sở ");
	/* Words too long for the room: characters at both ends. */
	check_middle("6d22394f950490c7", 10, "6d223…90c7");
	/* NFD: a letter keeps its marks on either side of the cut. */
	check_middle("Ha\xcc\xa3\x63Tha\xcc\x80nhHa\xcc\xa3\x63Tha\xcc\x80nh",
	    8, "Ha\xcc\xa3\x63T…a\xcc\x80nh");
	/* Too narrow to cut in the middle: at the end. */
	check_middle("Phòng Cảnh sát", 4, "Phò…");
	/* kn_text_pad drops a comma before its ellipsis too. */
	assert_int_equal(kn_text_pad(&b, "Trang thiết bị, phương", 16, 0), 0);
	assert_string_equal(kn_buf_str(&b), "Trang thiết bị… ");
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

/* A report whose departments begin alike and run long. */
static struct kn_report *
long_report(int digest)
{
	static const char *const depts[] = {
		"Phòng Cảnh sát giao thông",
		"Phòng Cảnh sát hình sự",
		"Phòng Cảnh sát quản lý hành chính về trật tự xã hội",
		"Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ",
		"Phòng Cảnh sát điều tra tội phạm về ma túy",
		"Phòng Cảnh sát điều tra tội phạm về trật tự xã hội",
		"Phòng Hậu cần"
	};
	struct kn_report_opts o;
	struct kn_report *rep;
	struct kn_buf warn = KN_BUF_INIT, j = KN_BUF_INIT;
	size_t i;

	memset(&o, 0, sizeof(o));
	kn_window_init(&o.window);
	kn_date_parse("2025-10-20", &o.as_of, NULL);
	o.digest = digest;
	assert_non_null(rep = kn_report_new(&o, NULL));
	for (i = 0; i < 40; i++) {
		struct kn_record *r;

		kn_buf_reset(&j);
		assert_int_equal(kn_buf_addf(&j, "{\"id\":\"r%zu\","
		    "\"commune\":\"Xã số %zu\",\"field\":\"%s\","
		    "\"status\":\"open\",\"department\":\"%s\","
		    "\"due\":\"2025-10-%02zu\",\"text\":\"Đề nghị cấp "
		    "kinh phí sửa chữa trụ sở làm việc của công an xã số %zu "
		    "đã xuống cấp nghiêm trọng sau nhiều năm sử dụng mà "
		    "chưa được đầu tư\"}", i, i % 13, i % 3 ? "equipment" :
		    "admin_order", depts[i % 7], 1 + i % 28, i), 0);
		assert_non_null(r = kn_record_from_json(kn_buf_str(&j), j.len,
		    NULL));
		assert_int_equal(kn_report_add(rep, r, &warn), 1);
		kn_record_free(r);
	}
	kn_buf_free(&warn);
	kn_buf_free(&j);
	return rep;
}

static char *
render_width(struct kn_report *rep, const struct kn_fields *fs, size_t w)
{
	struct kn_render_opts ro;
	struct kn_buf out = KN_BUF_INIT;

	memset(&ro, 0, sizeof(ro));
	ro.format = KN_REPORT_TEXT;
	ro.fields = fs;
	ro.width = w;
	assert_int_equal(kn_render(&out, rep, &ro, NULL), 0);
	return kn_buf_detach(&out);
}

/* The widest line of s, and how many lines hold a bar. */
static size_t
widest(const char *s, size_t *nbars)
{
	const char *p, *nl, *bar;
	size_t w, max = 0;

	*nbars = 0;
	for (p = s; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		if ((w = kn_text_width(p, (size_t)(nl - p))) > max)
			max = w;
		*nbars += (bar = strstr(p, "█")) != NULL && bar < nl;
		if (*nl == '\0')
			break;
	}
	return max;
}

/*
 * How many different labels the body of the table under title has: the
 * text of each row up to its first two spaces; -1 if two are the same.
 */
static int
distinct_labels(const char *s, const char *title)
{
	const char *p, *nl, *e;
	char seen[16][128];
	size_t n = 0, k, len;
	int rules = 0;

	assert_non_null(p = strstr(s, title));
	for (; rules < 2 && (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (strncmp(p, "─", 3) == 0) {
			rules++;
			continue;
		}
		if (rules == 0)
			continue;
		e = strstr(p, "  ");
		len = (size_t)((e != NULL && e < nl ? e : nl) - p);
		assert_true(len < sizeof(seen[0]) && n < 16);
		for (k = 0; k < n; k++)
			if (strlen(seen[k]) == len && memcmp(seen[k], p, len) ==
			    0)
				return -1;
		memcpy(seen[n], p, len);
		seen[n++][len] = '\0';
	}
	return (int)n;
}

/*
 * Text fits the width it is given: bars shrink and go before labels
 * are cut, labels cut in the middle stay apart, notes wrap.
 */
static void
test_text_width(void **state)
{
	static const size_t widths[] = { 40, 50, 60, 80, 100, 120 };
	struct kn_fields *fs;
	struct kn_report *rep;
	size_t i, nbars, w;
	char *s;

	(void)state;
	assert_non_null(fs = kn_fields_load(NULL, NULL));
	rep = long_report(0);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		s = render_width(rep, fs, widths[i]);
		w = widest(s, &nbars);
		assert_true(w <= widths[i]);
		if (widths[i] <= 40)
			assert_int_equal(nbars, 0);
		else if (widths[i] >= 80)
			assert_true(nbars > 0);
		/* The seven departments stay seven different labels. */
		assert_int_equal(distinct_labels(s, "Theo đơn vị chủ trì\n"),
		    7);
		if (widths[i] >= 50)
			assert_int_equal(distinct_labels(s, "Quá hạn theo đơn "
			    "vị chủ trì\n"), 7);
		free(s);
	}
	/* At 100 columns the longest name is whole, with a bar. */
	s = render_width(rep, fs, 100);
	assert_non_null(strstr(s, "Phòng Cảnh sát phòng cháy, chữa cháy và "
	    "cứu nạn, cứu hộ  "));
	free(s);
	/*
	 * Cut in the middle at 60: begin and end both show, and the two
	 * that end alike keep enough of their beginning to differ.
	 */
	s = render_width(rep, fs, 60);
	assert_non_null(strstr(s, "\nPhòng Cảnh sát quản…trật tự xã hội  "));
	assert_non_null(strstr(s, "\nPhòng Cảnh sát điều…trật tự xã hội  "));
	assert_non_null(strstr(s, "\nPhòng Cảnh sát điều…phạm về ma túy  "));
	free(s);
	s = render_width(rep, fs, 50);
	/* The overdue table's note wraps, its heading too. */
	assert_non_null(strstr(s, "\nChưa được trả lời khi đã hết hạn; "));
	free(s);
	/* Narrower than 20: laid out for 20. */
	s = render_width(rep, fs, 5);
	{
		char *s20 = render_width(rep, fs, 20);

		assert_string_equal(s, s20);
		free(s20);
	}
	free(s);
	kn_report_free(rep);

	/* The digest: paragraphs and its table fit too. */
	rep = long_report(1);
	assert_int_equal(kn_report_finish(rep, KN_ORDER_COUNT), 0);
	for (i = 0; i < sizeof(widths) / sizeof(widths[0]); i++) {
		s = render_width(rep, fs, widths[i]);
		assert_true(widest(s, &nbars) <= (widths[i] < 50 ? 50 :
		    widths[i]));
		free(s);
	}
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
		cmocka_unit_test(test_pad_middle),
		cmocka_unit_test(test_bar),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_csv_json),
		cmocka_unit_test(test_text_aligned),
		cmocka_unit_test(test_text_width),
		cmocka_unit_test(test_md_and_digest),
	};

	return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}
