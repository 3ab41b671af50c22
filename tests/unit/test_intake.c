/* test_intake.c: canonical records, aliases, ids, duplicates, ledger. */
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
#include "knt.h"

static struct kn_record *
rec(const char *json)
{
	struct kn_error err;
	struct kn_record *r = kn_record_from_json(json, strlen(json), &err);

	assert_non_null(r);
	kn_record_set_origin(r, "t.csv", 3);
	return r;
}

static enum kn_verdict
take(struct kn_intake *in, const char *json, struct kn_record **out,
    struct kn_buf *why)
{
	struct kn_buf warn = KN_BUF_INIT;
	struct kn_record *r = rec(json);
	enum kn_verdict v;

	kn_buf_reset(why);
	v = kn_intake_record(in, r, out, why, &warn);
	kn_record_free(r);
	kn_buf_free(&warn);
	return v;
}

static void
test_aliases(void **state)
{
	struct kn_intake_opts o = { 0 };
	struct kn_intake *in = kn_intake_new(&o, NULL);

	(void)state;
	assert_non_null(in);
	assert_string_equal(kn_intake_canonical(in, "Đơn vị"), "commune");
	assert_string_equal(kn_intake_canonical(in, "XÃ/PHƯỜNG"), "commune");
	assert_string_equal(kn_intake_canonical(in, "Nội dung kiến nghị"),
	    "text");
	assert_string_equal(kn_intake_canonical(in, "noi_dung"), "text");
	assert_string_equal(kn_intake_canonical(in,
	    "Nội dung kiến nghị của công an xã"), "text");
	assert_string_equal(kn_intake_canonical(in, "Ngày gửi"), "submitted");
	assert_string_equal(kn_intake_canonical(in, "Trích yếu"), "title");
	assert_string_equal(kn_intake_canonical(in, "Số TT"), "row");
	assert_string_equal(kn_intake_canonical(in, "Cán bộ"), "submitter");
	assert_string_equal(kn_intake_canonical(in, "content"), "text");
	assert_null(kn_intake_canonical(in, "Ghi chú"));
	kn_intake_free(in);
}

static void
test_record(void **state)
{
	struct kn_intake_opts o = { 0 };
	struct kn_intake *in = kn_intake_new(&o, NULL);
	struct kn_buf why = KN_BUF_INIT, b = KN_BUF_INIT;
	struct kn_record *out;

	(void)state;
	assert_int_equal(take(in, "{\"Ghi chú\":\"x\",\"Nội dung\":\"  Đề  "
	    "nghị\\n cấp xe \",\"Đơn vị\":\"CAX Mường Lát\",\"Ngày\":"
	    "\"05/09/2025\"}", &out, &why), KN_ACCEPT);
	/* the id: commune code, date and the text's syllables, hashed */
	{
		const char k[] = "14845\x1f" "2025-09-05\x1f" "de nghi cap xe";
		char id[20];

		snprintf(id, sizeof(id), "%016llx", kn_hash64(k,
		    sizeof(k) - 1));
		assert_string_equal(kn_record_str(out, "id"), id);
		kn_record_del(out, "id");
	}
	kn_record_to_json(out, &b);
	assert_string_equal(b.data, "{"
	    "\"commune\":\"Mường Lát\",\"commune_code\":\"14845\","
	    "\"submitted\":\"2025-09-05\",\"title\":\"\",\"text\":\"Đề nghị "
	    "cấp xe\",\"submitter\":\"\",\"Ghi chú\":\"x\",\"source_file\":"
	    "\"t.csv\",\"source_line\":3}");
	kn_record_free(out);
	/* the same commune and text, typed without diacritics */
	assert_int_equal(take(in, "{\"commune\":\"muong lat\",\"text\":"
	    "\"de nghi cap xe.\"}", &out, &why), KN_DUPLICATE);
	assert_null(out);
	assert_string_equal(why.data, "same commune and text as t.csv:3");
	assert_int_equal(take(in, "{\"commune\":\"x\",\"text\":\" \"}", &out,
	    &why), KN_REJECT);
	assert_string_equal(why.data, "text is empty");
	assert_int_equal(take(in, "{\"commune\":\"x\",\"text\":\"a\","
	    "\"submitted\":\"30/02/2025\"}", &out, &why), KN_REJECT);
	assert_string_equal(why.data,
	    "submitted: impossible date \"30/02/2025\"");
	assert_int_equal(take(in, "{\"id\":\"A\",\"text\":\"một\"}", &out,
	    &why), KN_ACCEPT);
	kn_record_free(out);
	assert_int_equal(take(in, "{\"id\":\"A\",\"text\":\"hai\"}", &out,
	    &why), KN_REJECT);
	assert_string_equal(why.data,
	    "duplicate id \"A\" (already used at t.csv:3)");
	kn_buf_free(&why);
	kn_buf_free(&b);
	kn_intake_free(in);
}

static void
test_seen(void **state)
{
	struct kn_intake_opts o = { 0 };
	struct kn_intake *in;
	struct kn_buf why = KN_BUF_INIT;
	struct kn_record *out;
	char *path = knt_tmpfile("{\"id\":\"L1\",\"commune\":\"Hạc Thành\","
	    "\"commune_code\":\"14797\",\"text\":\"cũ\"}\n");

	(void)state;
	o.seen = path;
	o.keep_duplicates = 1;
	in = kn_intake_new(&o, NULL);
	unlink(path);
	free(path);
	assert_non_null(in);
	assert_int_equal(kn_intake_seen_count(in), 1);
	assert_int_equal(take(in, "{\"id\":\"L1\",\"text\":\"khác\"}", &out,
	    &why), KN_DUPLICATE);
	assert_string_equal(kn_record_str(out, "duplicate_of"), "L1");
	assert_string_equal(kn_record_str(out, "status"), "duplicate");
	kn_record_free(out);
	assert_int_equal(take(in, "{\"commune\":\"Hạc Thành\",\"text\":"
	    "\"Cũ\"}", &out, &why), KN_DUPLICATE);
	kn_record_free(out);
	kn_buf_free(&why);
	kn_intake_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_seen),
	};

	return cmocka_run_group_tests_name("intake", tests, NULL, NULL);
}
