/* test_text.c: UTF-8 validation, NFC, cleaning, folding, syllables. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"

static char *
fold(const char *s)
{
	struct kn_buf b = KN_BUF_INIT;

	assert_int_equal(kn_text_fold(&b, s, strlen(s)), 0);
	return kn_buf_detach(&b);
}

static void
check_fold(const char *in, const char *want)
{
	char *got = fold(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_valid(void **state)
{
	size_t bad;

	(void)state;
	assert_true(kn_utf8_valid("Đề nghị", strlen("Đề nghị"), NULL));
	assert_false(kn_utf8_valid("a\xC3", 2, &bad));	/* truncated */
	assert_int_equal(bad, 1);
	assert_false(kn_utf8_valid("\xC0\xAF", 2, &bad));	/* overlong */
	assert_int_equal(bad, 0);
	assert_false(kn_utf8_valid("\xE0\x80\xAF", 3, NULL));	/* overlong */
	assert_false(kn_utf8_valid("\xED\xA0\x80", 3, NULL));	/* surrogate */
	assert_false(kn_utf8_valid("\xF4\x90\x80\x80", 4, NULL)); /* >10FFFF */
	assert_false(kn_utf8_valid("\xE1\xBB", 2, NULL));
	assert_false(kn_utf8_valid("x\xF2y", 3, &bad));	/* cp1258 ò */
	assert_int_equal(bad, 1);
	assert_true(kn_utf8_valid("\xF0\x9F\x98\x80", 4, NULL));
}

static void
test_sanitize(void **state)
{
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	kn_utf8_sanitize(&b, "a\xFF" "b\xC3", 4);
	assert_string_equal(b.data, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	kn_buf_free(&b);
}

static void
test_fold(void **state)
{
	(void)state;
	check_fold("Đề nghị cấp xe ô tô", "de nghi cap xe o to");
	check_fold("ĐĂNG KÝ THƯỜNG TRÚ", "dang ky thuong tru");
	/* NFD: e + circumflex + grave */
	check_fold("\x44\xCC\x9B" "e\xCC\x82\xCC\x80", "de");
	check_fold("Hòa Hoà Thủy Thuỷ", "hoa hoa thuy thuy");
	check_fold("VNeID", "vneid");
	check_fold("“Kiến nghị” – PCCC…", " kien nghi    pccc ");
	check_fold("ưởng ơn ăn ân", "uong on an an");
	check_fold("ｘã", "xa");	/* fullwidth */
}

static void
test_clean(void **state)
{
	struct kn_buf b = KN_BUF_INIT;
	const char *nfd = "Vie\xCC\x82\xCC\xA3t";	/* Việt, decomposed */

	(void)state;
	{
	const char *messy = "  Đề\tnghị\r\n\n cấp\xC2\xA0xe\xE2\x80\x8B  ";

	kn_text_clean(&b, messy, strlen(messy));
	assert_string_equal(b.data, "Đề nghị cấp xe");
	}
	kn_buf_reset(&b);
	kn_text_clean(&b, nfd, strlen(nfd));
	assert_string_equal(b.data, "Việt");
	kn_buf_reset(&b);
	kn_text_clean(&b, "   ", 3);
	assert_string_equal(kn_buf_str(&b), "");
	assert_int_equal(b.len, 0);
	kn_buf_free(&b);
}

static void
test_nfc(void **state)
{
	struct kn_buf b = KN_BUF_INIT;
	const char *nfd = "Ha\xCC\xA3" "c Tha\xCC\x80nh";	/* Hạc Thành */
	const char *nfc = "Hạc Thành";

	(void)state;
	/* ASCII, Latin-1, Vietnamese precomposed: surely NFC. */
	assert_true(kn_text_nfc_quick("", 0));
	assert_true(kn_text_nfc_quick("Hac Thanh", 9));
	assert_true(kn_text_nfc_quick(nfc, strlen(nfc)));
	assert_true(kn_text_nfc_quick("Đông Sơn, Ân Tiến, Nghị, Thuỷ, café",
	    strlen("Đông Sơn, Ân Tiến, Nghị, Thuỷ, café")));
	/* A combining mark, another script, a cut sequence: maybe not. */
	assert_false(kn_text_nfc_quick(nfd, strlen(nfd)));
	assert_false(kn_text_nfc_quick("日本", strlen("日本")));
	assert_false(kn_text_nfc_quick("\xC3", 1));
	assert_false(kn_text_nfc_quick("\xE1\xBB", 2));
	kn_text_nfc(&b, nfd, strlen(nfd));
	assert_string_equal(kn_buf_str(&b), nfc);
	kn_buf_reset(&b);
	kn_text_nfc(&b, nfc, strlen(nfc));
	assert_string_equal(kn_buf_str(&b), nfc);
	kn_buf_reset(&b);
	/* A mark with nothing to compose with stays, still NFC. */
	kn_text_nfc(&b, "x\xCC\x81", 3);
	assert_string_equal(kn_buf_str(&b), "x\xCC\x81");
	kn_buf_free(&b);
}

static void
test_key_and_syllables(void **state)
{
	struct kn_buf b = KN_BUF_INIT;
	const char *f = "  xa hac-thanh, 2025!";
	const char *s;
	size_t pos = 0, n, count = 0;

	(void)state;
	kn_text_key(&b, "Xã  Hạc-Thành.", strlen("Xã  Hạc-Thành."));
	assert_string_equal(b.data, "xa hac thanh");
	while (kn_syllable_next(f, strlen(f), &pos, &s, &n))
		count++;
	assert_int_equal(count, 4);
	assert_int_equal(n, 4);
	assert_memory_equal(s, "2025", 4);
	kn_buf_free(&b);
}

static void
test_width(void **state)
{
	(void)state;
	assert_int_equal(kn_text_width("Hạc Thành", strlen("Hạc Thành")), 9);
	assert_int_equal(kn_text_width("Vie\xCC\x82\xCC\xA3t", 8), 4);
	assert_int_equal(kn_text_width("日本", 6), 4);
}

static void
test_hash(void **state)
{
	(void)state;
	assert_true(kn_hash64("a", 1) != kn_hash64("b", 1));
	assert_true(kn_hash64("", 0) == 0xcbf29ce484222325ULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_key_and_syllables),
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_hash),
	};

	return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
