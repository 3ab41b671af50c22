/* test_collate.c: Vietnamese alphabetical order. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kn/collate.h"

static int
cmp(const void *a, const void *b)
{
	return kn_collate_cmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort the shuffled list and compare it with the expected order. */
static void
check_order(const char *const *want, size_t n)
{
	const char **got = calloc(n, sizeof(*got));
	size_t i;

	assert_non_null(got);
	/* A fixed shuffle: reversed, then every other one swapped. */
	for (i = 0; i < n; i++)
		got[i] = want[n - 1 - i];
	for (i = 0; i + 1 < n; i += 2) {
		const char *t = got[i];

		got[i] = got[i + 1];
		got[i + 1] = t;
	}
	qsort(got, n, sizeof(*got), cmp);
	for (i = 0; i < n; i++)
		assert_string_equal(got[i], want[i]);
	for (i = 0; i + 1 < n; i++) {
		assert_true(kn_collate_cmp(want[i], want[i + 1]) < 0);
		assert_true(kn_collate_cmp(want[i + 1], want[i]) > 0);
	}
	free(got);
}

#define ORDER(a) check_order((a), sizeof(a) / sizeof((a)[0]))

static void
test_alphabet(void **state)
{
	static const char *const letters[] = { "a", "ă", "â", "b", "c", "d",
	    "đ", "e", "ê", "g", "h", "i", "k", "l", "m", "n", "o", "ô", "ơ",
	    "p", "q", "r", "s", "t", "u", "ư", "v", "x", "y" };
	/* Borrowed letters go where Latin puts them. */
	static const char *const borrowed[] = { "ê", "fa", "g", "i", "jun",
	    "k", "v", "wifi", "x", "y", "zalo" };

	(void)state;
	ORDER(letters);
	ORDER(borrowed);
}

static void
test_tones(void **state)
{
	/* Tones: none, huyền, hỏi, ngã, sắc, nặng. */
	static const char *const ma[] = { "ma", "mà", "mả", "mã", "má", "mạ",
	    "mác" };
	static const char *const mo[] = { "mo", "mò", "mõ", "mó", "mọ",
	    "mô", "mồ", "mổ", "mỗ", "mố", "mộ", "mơ", "mờ", "mở", "mỡ",
	    "mớ", "mợ" };

	(void)state;
	ORDER(ma);
	ORDER(mo);
}

static void
test_communes(void **state)
{
	/* Byte order would put Â, Đ and every accented capital last. */
	static const char *const communes[] = { "An Nông", "Ân Tiến",
	    "Bá Thước", "Bỉm Sơn", "Cẩm Thủy", "Dân Lực", "Đông Quang",
	    "Đông Sơn", "Hà Long", "Hà Trung", "Hạc Thành", "Hoằng Hóa",
	    "Nga Sơn", "Quảng Phú", "Ứng Hòe", "Yên Định" };
	/* Syllable by syllable, as a dictionary: every "Hà ..." first. */
	static const char *const syllables[] = { "Hà", "Hà Trung", "Hạ Long",
	    "Hải Lĩnh", "Hàm Rồng" };

	(void)state;
	ORDER(communes);
	ORDER(syllables);
}

static void
test_numbers_case_spelling(void **state)
{
	static const char *const numbers[] = { "Phường 2", "Phường 9",
	    "Phường 10", "Phường 100", "Phường A" };
	static const char *const cases[] = { "", "an", "An", "AN", "anh" };

	(void)state;
	ORDER(numbers);
	ORDER(cases);
	/* NFC and NFD spellings are the same string. */
	assert_int_equal(kn_collate_cmp("Ho\xcc\x80\x61 L\xc3\xa2m",
	    "H\xc3\xb2\x61 L\xc3\xa2m"), 0);
	assert_int_equal(kn_collate_cmp("Đông", "\xc4\x90\xc3\xb4ng"), 0);
	/* Old and new tone placement sort together, apart from the rest. */
	assert_true(kn_collate_cmp("hoà", "hòa") != 0);
	assert_true(kn_collate_cmp("hoà", "hoa") > 0 &&
	    kn_collate_cmp("hòa", "hoa") > 0);
	assert_true(kn_collate_cmp("hoà", "hoả") < 0 &&
	    kn_collate_cmp("hòa", "hoả") < 0);
	/* Punctuation counts only when all else is equal. */
	assert_true(kn_collate_cmp("Hà-Trung", "Hà Trung") != 0);
	assert_true(kn_collate_cmp("Hà-Trung", "Hạ Long") < 0);
	/* Invalid UTF-8 sorts after text, without a crash. */
	assert_true(kn_collate_cmp("\xff\xfe", "zz") > 0);
}

static void
test_keys(void **state)
{
	struct kn_buf a = KN_BUF_INIT, b = KN_BUF_INIT;

	(void)state;
	assert_int_equal(kn_collate_key(&a, "Đông Sơn", strlen("Đông Sơn")),
	    0);
	assert_int_equal(kn_collate_key(&b, "Dương Hòa",
	    strlen("Dương Hòa")), 0);
	assert_true(kn_collate_keycmp(kn_buf_str(&a), a.len, kn_buf_str(&b),
	    b.len) > 0);
	assert_int_equal(kn_collate_keycmp("ab", 2, "ab", 2), 0);
	assert_true(kn_collate_keycmp("ab", 2, "abc", 3) < 0);
	kn_buf_free(&a);
	kn_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alphabet),
		cmocka_unit_test(test_tones),
		cmocka_unit_test(test_communes),
		cmocka_unit_test(test_numbers_case_spelling),
		cmocka_unit_test(test_keys),
	};

	return cmocka_run_group_tests_name("collate", tests, NULL, NULL);
}
