/* test_record.c: records keep every key, in order, with its JSON type. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"

static char *
json(const struct kn_record *r)
{
	struct kn_buf b = KN_BUF_INIT;

	assert_int_equal(kn_record_to_json(r, &b), 0);
	return kn_buf_detach(&b);
}

static void
check_json(const struct kn_record *r, const char *want)
{
	char *got = json(r);

	assert_string_equal(got, want);
	free(got);
}

static void
test_order_and_types(void **state)
{
	struct kn_record *r = kn_record_new(), *d;
	struct kn_buf b = KN_BUF_INIT;
	double x;

	(void)state;
	kn_record_set_str(r, "z", "một");
	kn_record_set_int(r, "a", 42);
	kn_record_set_real(r, "c", 0.85);
	kn_record_set_bool(r, "b", 1);
	kn_record_set_null(r, "n");
	assert_int_equal(kn_record_set_json(r, "arr", "[1,\"x\",{\"k\":[]}]",
	    16, NULL), 0);
	kn_record_set_str(r, "z", "hai");	/* replaced in place */
	check_json(r, "{\"z\":\"hai\",\"a\":42,\"c\":0.85,\"b\":true,"
	    "\"n\":null,\"arr\":[1,\"x\",{\"k\":[]}]}");
	assert_int_equal(kn_record_len(r), 6);
	assert_string_equal(kn_record_key_at(r, 1), "a");
	assert_int_equal(kn_record_type(r, "a"), KN_NUMBER);
	assert_int_equal(kn_record_type(r, "arr"), KN_ARRAY);
	assert_int_equal(kn_record_type(r, "nope"), KN_ABSENT);
	assert_null(kn_record_str(r, "a"));
	assert_string_equal(kn_record_strz(r, "a"), "");
	assert_int_equal(kn_record_num(r, "c", &x), 0);
	assert_true(x == 0.85);
	assert_true(kn_record_bool(r, "b"));
	assert_int_equal(kn_record_text(r, "a", &b), 2);
	assert_string_equal(b.data, "42");
	kn_buf_reset(&b);
	kn_record_text(r, "n", &b);
	assert_string_equal(kn_buf_str(&b), "");
	kn_buf_free(&b);

	assert_int_equal(kn_record_rename(r, "a", "b"), -1);	/* taken */
	assert_int_equal(kn_record_rename(r, "a", "answer"), 0);
	assert_int_equal(kn_record_del(r, "b"), 0);
	assert_int_equal(kn_record_del(r, "b"), -1);
	d = kn_record_dup(r);
	kn_record_free(r);
	check_json(d, "{\"z\":\"hai\",\"answer\":42,\"c\":0.85,\"n\":null,"
	    "\"arr\":[1,\"x\",{\"k\":[]}]}");
	kn_record_free(d);
	kn_record_free(NULL);
}

static void
test_json_roundtrip(void **state)
{
	const char *in = "{\"k\":\"tab\\there \\\"q\\\" \\\\ \\u0001 Đ\","
	    "\"x\":1.5e3,\"u\":{\"deep\":[true,false]}}";
	struct kn_record *r;
	struct kn_error err;

	(void)state;
	kn_error_clear(&err);
	r = kn_record_from_json(in, strlen(in), &err);
	assert_non_null(r);
	check_json(r, "{\"k\":\"tab\\there \\\"q\\\" \\\\ \\u0001 Đ\","
	    "\"x\":1500.0,\"u\":{\"deep\":[true,false]}}");
	kn_record_free(r);
	assert_null(kn_record_from_json("[1]", 3, &err));
	assert_int_equal(err.code, KN_EJSON);
	assert_null(kn_record_from_json("{\"a\":1,\"a\":2}", 13, &err));
}

static void
test_copy_and_origin(void **state)
{
	struct kn_record *a = kn_record_new(), *b = kn_record_new();

	(void)state;
	kn_record_set_json(a, "v", "{\"x\":[1]}", 9, NULL);
	assert_int_equal(kn_record_copy(b, "w", a, "v"), 0);
	assert_int_equal(kn_record_copy(b, "w", a, "missing"), -1);
	kn_record_free(a);
	check_json(b, "{\"w\":{\"x\":[1]}}");
	assert_string_equal(kn_record_source(b), "<stdin>");
	kn_record_set_origin(b, "march.csv", 14);
	assert_string_equal(kn_record_source(b), "march.csv");
	assert_int_equal(kn_record_line(b), 14);
	kn_record_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_types),
		cmocka_unit_test(test_json_roundtrip),
		cmocka_unit_test(test_copy_and_origin),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
