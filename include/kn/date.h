/*
 * kn/date.h: calendar dates as day numbers.
 *
 * A day number counts days from 1970-01-01 (day 0) in the proleptic
 * Gregorian calendar, so that date arithmetic is integer arithmetic.
 */
#ifndef KN_DATE_H
#define KN_DATE_H

#include "error.h"

#define KN_DATE_LEN 11	/* "YYYY-MM-DD" and its NUL */
#define KN_DATE_YEAR_MIN 1900	/* the years a date may have */
#define KN_DATE_YEAR_MAX 2199

/*
 * Parse a date as people write it in Vietnam and spreadsheets store it:
 * YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY, DD-MM-YYYY, DD.MM.YYYY, DD/MM/YY
 * (00-68 is 2000-2068, 69-99 1969-1999, as strptime reads %y),
 * "ngày 5 tháng 9 năm 2025", and an Excel serial day number (45929 is
 * 2025-09-29) between 1990 and 2099.  Diacritics are optional; a weekday
 * ("Thứ hai, 29/09/2025", "T2", "CN") or "ngày" may come before the
 * date, and a time of day after it ("08:30", "8h30", "8 giờ 30 phút",
 * "lúc 8h", "sáng") is accepted and ignored.  Impossible dates
 * (2025-02-30, 31/4/2025) and years outside 1900-2199 are errors.
 */
int	 kn_date_parse(const char *s, long *day, struct kn_error *err);
/* 1 when y-m-d is a real date. */
int	 kn_date_valid(int y, int m, int d);
long	 kn_date_from_ymd(int y, int m, int d);
void	 kn_date_to_ymd(long day, int *y, int *m, int *d);
/* Write "YYYY-MM-DD" into buf (at least KN_DATE_LEN bytes). */
void	 kn_date_format(long day, char *buf);
/* ISO weekday: 1 Monday ... 7 Sunday. */
int	 kn_date_weekday(long day);
/* ISO 8601 week: 2024-12-30 is week 1 of 2025. */
void	 kn_date_isoweek(long day, int *year, int *week);
/* The Monday of ISO week w of year y; -1 when w is out of range. */
int	 kn_date_from_isoweek(int y, int w, long *day);
/* Today in local time. */
long	 kn_date_today(void);

#endif
