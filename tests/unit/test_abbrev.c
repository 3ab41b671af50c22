/* test_abbrev.c: abbreviations and their expansion. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"
#include "kn/abbrev.h"
#include "knt.h"

static void
check_key(const struct kn_abbrev *a, const char *in, const char *want)
{
	struct kn_buf b = KN_BUF_INIT;

	assert_int_equal(kn_abbrev_key(a, &b, in, strlen(in)), 0);
	assert_string_equal(kn_buf_str(&b), want);
	kn_buf_free(&b);
}

static void
test_by_hand(void **state)
{
	struct kn_abbrev *a;

	(void)state;
	assert_non_null(a = kn_abbrev_new());
	assert_int_equal(kn_abbrev_add(a, "CAX", "công an xã"), 0);
	assert_int_equal(kn_abbrev_add(a, "PCCC", "phòng cháy, chữa cháy"), 0);
	assert_int_equal(kn_abbrev_add_exact(a, "CAP", "công an phường"), 0);
	assert_int_equal(kn_abbrev_count(a), 3);
	assert_string_equal(kn_abbrev_lookup(a, "cax", 3), "cong an xa");
	assert_null(kn_abbrev_lookup(a, "ca", 2));
	check_key(a, "Đề nghị CAX, Cax và cax kiểm tra PCCC.",
	    "de nghi cong an xa cong an xa va cong an xa kiem tra phong chay "
	    "chua chay");
	/* An exact one only as written: "cap" is also "cấp". */
	check_key(a, "CAP đề nghị cấp xe, cap xe",
	    "cong an phuong de nghi cap xe cap xe");
	check_key(NULL, "CAX", "cax");
	check_key(a, "", "");
	kn_abbrev_free(a);
	kn_abbrev_free(NULL);
}

static void
test_data_file(void **state)
{
	struct kn_abbrev *a;
	struct kn_error err;

	(void)state;
	kn_error_clear(&err);
	assert_non_null(a = kn_abbrev_load(NULL, &err));
	assert_true(kn_abbrev_count(a) >= 50);
	check_key(a, "TGTB về TTATGT", "to giac tin bao ve trat tu an toan "
	    "giao thong");
	kn_abbrev_free(a);
}

static void
test_bad_file(void **state)
{
	char *path = knt_tmpfile("abbrev,expansion\nCAX,công an xã\n"
	    "cax,khác\n");
	struct kn_error err;

	(void)state;
	kn_error_clear(&err);
	assert_null(kn_abbrev_load(path, &err));
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.text, "repeated"));
	unlink(path);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_hand),
		cmocka_unit_test(test_data_file),
		cmocka_unit_test(test_bad_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
