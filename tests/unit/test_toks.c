/* test_toks.c: folded syllables, hashes, abbreviations expanded. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"
#include "kn/toks.h"

static struct kn_abbrev *
table(void)
{
	struct kn_abbrev *a;

	assert_non_null(a = kn_abbrev_new());
	assert_int_equal(kn_abbrev_add(a, "CAX", "công an xã"), 0);
	assert_int_equal(kn_abbrev_add(a, "PCCC", "phòng cháy, chữa cháy"), 0);
	assert_int_equal(kn_abbrev_add(a, "VNeID", "định danh điện tử"), 0);
	assert_int_equal(kn_abbrev_add_exact(a, "CAP", "công an phường"), 0);
	assert_int_equal(kn_abbrev_add_exact(a, "CAT", "công an tỉnh"), 0);
	return a;
}

/* The tokens of s as one string, and their number. */
static void
check(struct kn_toks *tk, const struct kn_abbrev *a, const char *s,
    const char *want, size_t n)
{
	kn_toks_reset(tk);
	assert_int_equal(kn_toks_add(tk, a, s, strlen(s)), 0);
	assert_string_equal(kn_buf_str(&tk->text), want);
	assert_int_equal(tk->n, n);
}

static void
test_fold(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;

	(void)state;
	check(&tk, NULL, "Đề nghị cấp xe ô tô!", "de nghi cap xe o to", 6);
	/* Decomposed input, old tone placement, odd spaces. */
	check(&tk, NULL, "Tha\xcc\x89nh  Ho\xcc\x81\xc3\xa0 \t- hoà",
	    "thanh hoa hoa", 3);
	check(&tk, NULL, "Nghị định 168/2024/NĐ-CP",
	    "nghi dinh 168 2024 nd cp", 6);
	check(&tk, NULL, "", "", 0);
	check(&tk, NULL, " ,.;!? ", "", 0);
	kn_toks_free(&tk);
}

static void
test_hashes(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	const char *s;
	size_t i, len;

	(void)state;
	assert_int_equal(kn_toks_add(&tk, NULL, "Kiến nghị",
	    strlen("Kiến nghị")), 0);
	assert_int_equal(kn_toks_add(&tk, NULL, "bổ sung biên chế",
	    strlen("bổ sung biên chế")), 0);
	assert_int_equal(tk.n, 6);
	assert_string_equal(tk.text.data, "kien nghi bo sung bien che");
	for (i = 0; i < tk.n; i++) {
		s = kn_toks_str(&tk, i, &len);
		assert_true(tk.t[i].h == kn_hash64(s, len));
		if (i + 1 < tk.n)	/* across the two texts too */
			assert_true(tk.t[i].h2 == kn_toks_pair(tk.t[i].h,
			    tk.t[i + 1].h));
	}
	assert_true(tk.t[tk.n - 1].h2 == 0);
	s = kn_toks_str(&tk, 2, &len);
	assert_int_equal(len, 2);
	assert_memory_equal(s, "bo", 2);
	/* The pair hash depends on the order. */
	assert_true(kn_toks_pair(tk.t[0].h, tk.t[1].h) !=
	    kn_toks_pair(tk.t[1].h, tk.t[0].h));
	/* Pushed by hand: the same hash as found in a text. */
	kn_toks_reset(&tk);
	assert_int_equal(kn_toks_push(&tk, "kien", 4), 0);
	assert_int_equal(tk.n, 1);
	assert_true(tk.t[0].h == kn_hash64("kien", 4));
	kn_toks_free(&tk);
}

static void
test_abbrev(void **state)
{
	struct kn_abbrev *a = table();
	struct kn_toks tk = KN_TOKS_INIT;

	(void)state;
	check(&tk, a, "Đề nghị CAX cấp xe", "de nghi cong an xa cap xe", 7);
	check(&tk, a, "cax, Cax, CAX", "cong an xa cong an xa cong an xa", 9);
	check(&tk, a, "kiểm tra PCCC; tài khoản VNeID",
	    "kiem tra phong chay chua chay tai khoan dinh danh dien tu", 12);
	/* Not inside a word. */
	check(&tk, a, "CAXX caxy", "caxx caxy", 2);
	kn_abbrev_free(a);
	kn_toks_free(&tk);
}

static void
test_exact(void **state)
{
	struct kn_abbrev *a = table();
	struct kn_toks tk = KN_TOKS_INIT;

	(void)state;
	check(&tk, a, "CAP đề nghị", "cong an phuong de nghi", 5);
	check(&tk, a, "Đề nghị CAT cấp xe", "de nghi cong an tinh cap xe", 7);
	/* Only as written, only as a whole word. */
	check(&tk, a, "cap xe, Cap xe", "cap xe cap xe", 4);
	check(&tk, a, "CAPS xCAP CAP1", "caps xcap cap1", 3);
	check(&tk, a, "khai thác cát, CAT", "khai thac cat cong an tinh", 6);
	/* Beside punctuation, Vietnamese letters and curly quotes. */
	check(&tk, a, "(CAP), \xe2\x80\x9c" "CAT\xe2\x80\x9d.",
	    "cong an phuong cong an tinh", 6);
	check(&tk, a, "ĐCAP CAPĐ", "dcap capd", 2);
	check(&tk, a, "CAP", "cong an phuong", 3);
	kn_abbrev_free(a);
	kn_toks_free(&tk);
}

static void
test_two_tables(void **state)
{
	struct kn_abbrev *a = table(), *b;
	struct kn_toks tk = KN_TOKS_INIT;

	(void)state;
	assert_non_null(b = kn_abbrev_new());
	assert_int_equal(kn_abbrev_add(b, "CAX", "cảnh sát"), 0);
	/* The cache must not mix the two. */
	check(&tk, a, "CAX", "cong an xa", 3);
	check(&tk, b, "CAX", "canh sat", 2);
	check(&tk, a, "CAX", "cong an xa", 3);
	check(&tk, NULL, "CAX", "cax", 1);
	kn_abbrev_free(a);
	kn_abbrev_free(b);
	kn_toks_free(&tk);
	kn_toks_free(&tk);	/* twice is harmless */
}

static void
test_long_text(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_buf b = KN_BUF_INIT;
	int i;

	(void)state;
	for (i = 0; i < 2000; i++)
		kn_buf_adds(&b, "Đề nghị CAX ");
	assert_int_equal(kn_toks_add(&tk, NULL, b.data, b.len), 0);
	assert_int_equal(tk.n, 6000);
	assert_string_equal(kn_toks_str(&tk, 5999, &(size_t){ 0 }), "cax");
	kn_buf_free(&b);
	kn_toks_free(&tk);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_abbrev),
		cmocka_unit_test(test_exact),
		cmocka_unit_test(test_two_tables),
		cmocka_unit_test(test_long_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
