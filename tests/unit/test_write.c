/* test_write.c: JSON Lines, JSON array and CSV output, Excel safety. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"

static char *
write_all(enum kn_format fmt, int flags, const char *const *json)
{
	struct kn_writer *w;
	struct kn_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	kn_error_clear(&err);
	w = kn_writer_new(fp, "mem", fmt, flags, &err);
	assert_non_null(w);
	for (; *json != NULL; json++) {
		struct kn_record *r = kn_record_from_json(*json,
		    strlen(*json), &err);

		assert_non_null(r);
		assert_int_equal(kn_writer_put(w, r, &err), 0);
		kn_record_free(r);
	}
	assert_int_equal(kn_writer_close(w, &err), 0);
	kn_writer_free(w);
	fclose(fp);
	return buf;
}

static void
test_formats(void **state)
{
	const char *recs[] = { "{\"a\":\"x,y\",\"b\":1}",
	    "{\"b\":2,\"c\":\"mới\\nline\",\"d\":[1,2]}", NULL };
	const char *none[] = { NULL };
	char *s;

	(void)state;
	s = write_all(KN_FMT_JSONL, 0, recs);
	assert_string_equal(s, "{\"a\":\"x,y\",\"b\":1}\n"
	    "{\"b\":2,\"c\":\"mới\\nline\",\"d\":[1,2]}\n");
	free(s);
	s = write_all(KN_FMT_JSON, 0, recs);
	assert_string_equal(s, "[\n{\"a\":\"x,y\",\"b\":1},\n"
	    "{\"b\":2,\"c\":\"mới\\nline\",\"d\":[1,2]}\n]\n");
	free(s);
	s = write_all(KN_FMT_JSON, 0, none);
	assert_string_equal(s, "[]\n");
	free(s);
	/* CSV: the header gains the keys that appear later */
	s = write_all(KN_FMT_CSV, KN_WRITE_RAW, recs);
	assert_string_equal(s, "a,b,c,d\n\"x,y\",1,,\n,2,\"mới\nline\","
	    "\"[1,2]\"\n");
	free(s);
	s = write_all(KN_FMT_CSV, 0, recs);
	assert_memory_equal(s, "\xEF\xBB\xBF" "a,b,c,d\r\n", 12);
	free(s);
}

static void
cell(const char *in, int flags, const char *want)
{
	struct kn_buf b = KN_BUF_INIT;

	kn_csv_cell(&b, in, strlen(in), ',', flags);
	assert_string_equal(kn_buf_str(&b), want);
	kn_buf_free(&b);
}

static void
test_excel_safe(void **state)
{
	(void)state;
	cell("=1+1", 0, "'=1+1");
	cell("=1+1", KN_WRITE_RAW, "=1+1");
	cell("@SUM(A1)", 0, "'@SUM(A1)");
	cell("+84 912 345 678", 0, "'+84 912 345 678");
	cell("-12.5", 0, "-12.5");
	cell("-3", 0, "-3");
	cell("+5", 0, "+5");
	cell("-cmd|' /C calc'!A0", 0, "'-cmd|' /C calc'!A0");
	cell("\tx", 0, "'\tx");
	cell("say \"hi\"", 0, "\"say \"\"hi\"\"\"");
	cell(" lead", 0, "\" lead\"");
	cell("Hạc Thành", 0, "Hạc Thành");
	cell("", 0, "");
	/* apostrophes before a formula get one more, so reading is exact */
	cell("'=1", 0, "''=1");
	cell("'-3", 0, "''-3");
	cell("'abc", 0, "'abc");
}

/* What the writer guards, the reader's kn_csv_unguard gives back. */
static void
test_unguard(void **state)
{
	static const char *const v[] = { "=1+1", "@SUM(A1)", "+84 912 345 678",
	    "-12.5", "-3", "\tx", "'=1", "''@x", "'-3", "'abc", "'", "",
	    "Hạc Thành", "0912345678", NULL };
	struct kn_buf b = KN_BUF_INIT;
	size_t i, skip;

	(void)state;
	for (i = 0; v[i] != NULL; i++) {
		kn_buf_reset(&b);
		kn_csv_cell(&b, v[i], strlen(v[i]), ';', 0);
		skip = (size_t)kn_csv_unguard(b.data ? b.data : "", b.len);
		assert_int_equal(b.len - skip, strlen(v[i]));
		assert_memory_equal(kn_buf_str(&b) + skip, v[i], strlen(v[i]));
	}
	assert_int_equal(kn_csv_unguard("'-3", 3), 0);	/* never written */
	assert_int_equal(kn_csv_unguard("'+84 9", 6), 1);
	kn_buf_free(&b);
}

static void
test_quote(void **state)
{
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	kn_json_quote(&b, "a\"b\\c\n\x01 Đ", 10);
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001 Đ\"");
	kn_buf_free(&b);
}

static void
test_write_error(void **state)
{
	struct kn_writer *w;
	struct kn_record *r = kn_record_new();
	struct kn_error err;
	FILE *fp = fopen("/dev/full", "w");
	int i, rc = 0;

	(void)state;
	if (fp == NULL)
		skip();
	kn_error_clear(&err);
	kn_record_set_str(r, "a", "b");
	w = kn_writer_new(fp, "/dev/full", KN_FMT_JSONL, 0, &err);
	for (i = 0; i < 10000 && rc == 0; i++)
		rc = kn_writer_put(w, r, &err);
	if (rc == 0)
		rc = kn_writer_close(w, &err);
	assert_int_equal(rc, -1);
	assert_int_equal(err.code, KN_EIO);
	kn_writer_free(w);
	kn_record_free(r);
	fclose(fp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_excel_safe),
		cmocka_unit_test(test_unguard),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_write_error),
	};

	return cmocka_run_group_tests_name("write", tests, NULL, NULL);
}
