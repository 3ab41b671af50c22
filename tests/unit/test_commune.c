/* test_commune.c: resolving commune names as communes write them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"

static struct kn_communes *reg;

static int
setup(void **state)
{
	struct kn_buf p = KN_BUF_INIT;
	struct kn_error err;

	(void)state;
	kn_data_path(&p, "communes.csv");
	reg = kn_communes_load(p.data, &err);
	kn_buf_free(&p);
	return reg == NULL;
}

static int
teardown(void **state)
{
	(void)state;
	kn_communes_free(reg);
	return 0;
}

static void
resolves(const char *written, enum kn_match want, const char *code)
{
	const struct kn_commune *u;
	enum kn_match m = kn_communes_resolve(reg, written, &u, NULL);

	if (m != want)
		fail_msg("\"%s\": match %d, expected %d", written, m, want);
	if (code != NULL) {
		assert_non_null(u);
		assert_string_equal(u->code, code);
	} else
		assert_null(u);
}

static void
test_registry(void **state)
{
	(void)state;
	assert_int_equal(kn_communes_count(reg), 166);
	assert_string_equal(kn_communes_by_code(reg, "14797")->name,
	    "Hạc Thành");
	assert_null(kn_communes_by_code(reg, "99999"));
}

static void
test_names(void **state)
{
	(void)state;
	resolves("Hạc Thành", KN_MATCH_NAME, "14797");
	resolves("hac thanh", KN_MATCH_NAME, "14797");
	resolves("HẠC THÀNH", KN_MATCH_NAME, "14797");
	resolves("Phường Hạc Thành", KN_MATCH_NAME, "14797");
	resolves("P. Hạc Thành", KN_MATCH_NAME, "14797");
	resolves("P.Hạc Thành", KN_MATCH_NAME, "14797");
	resolves("Công an phường Hạc Thành", KN_MATCH_NAME, "14797");
	resolves("CA phường Hạc Thành", KN_MATCH_NAME, "14797");
	resolves("CAP Hạc Thành", KN_MATCH_NAME, "14797");
	resolves("xã Hạc Thành", KN_MATCH_NAME, "14797");	/* wrong type */
	resolves("CAX Mường Lát", KN_MATCH_NAME, "14845");
	resolves("X. Mường Lát", KN_MATCH_NAME, "14845");
	resolves("Mường Lát, tỉnh Thanh Hóa", KN_MATCH_NAME, "14845");
	resolves("14797", KN_MATCH_CODE, "14797");
	resolves("Không Có", KN_MATCH_NONE, NULL);
	resolves("", KN_MATCH_NONE, NULL);
	resolves("xã", KN_MATCH_NONE, NULL);
}

static void
test_former(void **state)
{
	struct kn_buf why = KN_BUF_INIT;
	const struct kn_commune *u;

	(void)state;
	resolves("xã Hà Vinh", KN_MATCH_FORMER, "14812");
	resolves("Ha Vinh", KN_MATCH_FORMER, "14812");
	resolves("phường Ba Đình (thị xã Bỉm Sơn)", KN_MATCH_FORMER, "14812");
	/* split between two units: ambiguous */
	assert_int_equal(kn_communes_resolve(reg, "phường Đông Thọ", &u, &why),
	    KN_MATCH_AMBIGUOUS);
	assert_null(u);
	assert_non_null(strstr(why.data, "Hạc Thành"));
	assert_non_null(strstr(why.data, "Hàm Rồng"));
	kn_buf_free(&why);
	/* a current name beats a former unit of the same name */
	resolves("Quảng Phú", KN_MATCH_NAME, "16522");
}

static void
test_suggest(void **state)
{
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	assert_int_equal(kn_communes_suggest(reg, "CA xã Hoằng Thnah", &b), 0);
	assert_string_equal(b.data, "xã Hoằng Thanh");
	kn_buf_reset(&b);
	assert_int_equal(kn_communes_suggest(reg, "Hac Thanhh", &b), 0);
	assert_string_equal(b.data, "phường Hạc Thành");
	/* two edits away, or nothing near: no guess */
	assert_int_equal(kn_communes_suggest(reg, "Thạch Thành", &b), -1);
	assert_int_equal(kn_communes_suggest(reg, "Đông Hưng", &b), -1);
	kn_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_former),
		cmocka_unit_test(test_suggest),
	};

	return cmocka_run_group_tests_name("commune", tests, setup, teardown);
}
