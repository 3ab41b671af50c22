/* test_date.c: date parsing and day arithmetic. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kn/kn.h"

static void
check(const char *in, const char *want)
{
	struct kn_error err;
	char buf[KN_DATE_LEN];
	long day;

	kn_error_clear(&err);
	if (want == NULL) {
		assert_int_equal(kn_date_parse(in, &day, &err), -1);
		assert_true(err.code == KN_EINVAL || err.code == KN_ERANGE);
		assert_true(strstr(err.text, in) != NULL);
		return;
	}
	assert_int_equal(kn_date_parse(in, &day, &err), 0);
	kn_date_format(day, buf);
	assert_string_equal(buf, want);
}

static void
test_parse(void **state)
{
	(void)state;
	check("2025-09-29", "2025-09-29");
	check("29/09/2025", "2025-09-29");
	check("5/9/2025", "2025-09-05");
	check("05-09-2025", "2025-09-05");
	check("05.09.2025", "2025-09-05");
	check("5/9/25", "2025-09-05");
	check("ngày 5 tháng 9 năm 2025", "2025-09-05");
	check("Ngay 05 thang 09 nam 2025", "2025-09-05");
	check("45929", "2025-09-29");
	check("45929.375", "2025-09-29");
	check("2025-09-29T08:30:00", "2025-09-29");
	check("29/09/2025 08:30", "2025-09-29");
	check("29/02/2024", "2024-02-29");
	check("29/02/2025", NULL);
	check("31/04/2025", NULL);
	check("2025-13-01", NULL);
	check("9/29/2025", NULL);
	check("hôm qua", NULL);
	check("12345", NULL);		/* a serial before 1990 */
	check("2025", NULL);
	check("29/09/2025 abc", NULL);
	/* what people put around a date */
	check("ngày 29/9/2025", "2025-09-29");
	check("Ngày 29-09-2025", "2025-09-29");
	check("Thứ hai, 29/09/2025", "2025-09-29");
	check("Thứ 2, 29/09/2025", "2025-09-29");
	check("thu hai 29/09/2025", "2025-09-29");
	check("T2, 29/09/2025", "2025-09-29");
	check("Chủ nhật, 28/09/2025", "2025-09-28");
	check("CN 28/09/2025", "2025-09-28");
	check("Thứ Hai, ngày 29 tháng 9 năm 2025", "2025-09-29");
	check("29/09/2025 8h30", "2025-09-29");
	check("29/09/2025 08h", "2025-09-29");
	check("29/09/2025, lúc 8 giờ 30 phút", "2025-09-29");
	check("29/09/2025 8:30 sáng", "2025-09-29");
	check("29/09/2025 2:15 PM", "2025-09-29");
	check("ngày 5 tháng 9 năm 2025 lúc 14h", "2025-09-05");
	check("2025-09-29T08:30:00Z", "2025-09-29");
	check("thứ tám, 29/09/2025", NULL);
	check("29/09/2025 hôm qua", NULL);
	/* years: as strptime reads two digits, and only 1900-2199 */
	check("1/1/99", "1999-01-01");
	check("1/1/68", "2068-01-01");
	check("0225-10-03", NULL);
	{
		struct kn_error err;
		long day;

		kn_error_clear(&err);
		assert_int_equal(kn_date_parse("03/10/0225", &day, &err), -1);
		assert_int_equal(err.code, KN_ERANGE);
	}
	check("03/10/0225", NULL);
	check("03/10/2200", NULL);
	check("ngày 3 tháng 10 năm 1899", NULL);
}

static void
test_arith(void **state)
{
	int y, m, d, wy, ww;
	long day;

	(void)state;
	assert_int_equal(kn_date_from_ymd(1970, 1, 1), 0);
	kn_date_to_ymd(kn_date_from_ymd(2000, 2, 29), &y, &m, &d);
	assert_int_equal(y * 10000 + m * 100 + d, 20000229);
	assert_int_equal(kn_date_weekday(kn_date_from_ymd(2025, 9, 29)), 1);
	assert_int_equal(kn_date_weekday(kn_date_from_ymd(2025, 10, 5)), 7);
	kn_date_isoweek(kn_date_from_ymd(2024, 12, 30), &wy, &ww);
	assert_int_equal(wy, 2025);
	assert_int_equal(ww, 1);
	kn_date_isoweek(kn_date_from_ymd(2021, 1, 3), &wy, &ww);
	assert_int_equal(wy, 2020);
	assert_int_equal(ww, 53);
	kn_date_isoweek(kn_date_from_ymd(2025, 10, 1), &wy, &ww);
	assert_int_equal(ww, 40);
	assert_int_equal(kn_date_from_isoweek(2025, 40, &day), 0);
	assert_int_equal(day, kn_date_from_ymd(2025, 9, 29));
	assert_int_equal(kn_date_from_isoweek(2025, 53, &day), -1);
	assert_true(kn_date_valid(2024, 2, 29));
	assert_false(kn_date_valid(1900, 2, 29));
	assert_true(kn_date_valid(2000, 2, 29));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_arith),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
