/*
 * date.c: parsing the dates communes write, and day-number arithmetic
 * (Howard Hinnant's civil-from-days algorithms).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kn_private.h"

#define EXCEL_MIN 32874L	/* 1990-01-01 */
#define EXCEL_MAX 73050L	/* 2099-12-31 */
#define EXCEL_EPOCH -25569L	/* 1899-12-30 as a day number */

long
kn_date_from_ymd(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
kn_date_to_ymd(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
kn_date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	int leap;

	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return 0;
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

void
kn_date_format(long day, char *buf)
{
	int y, m, d;

	kn_date_to_ymd(day, &y, &m, &d);
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int
kn_date_weekday(long day)
{
	/* 1970-01-01 was a Thursday (4). */
	long w = (day + 3) % 7;

	if (w < 0)
		w += 7;
	return (int)w + 1;
}

void
kn_date_isoweek(long day, int *year, int *week)
{
	long thursday = day - kn_date_weekday(day) + 4;
	int y, m, d;

	kn_date_to_ymd(thursday, &y, &m, &d);
	*year = y;
	*week = (int)((thursday - kn_date_from_ymd(y, 1, 1)) / 7 + 1);
}

int
kn_date_from_isoweek(int y, int w, long *day)
{
	long jan4 = kn_date_from_ymd(y, 1, 4);
	long monday = jan4 - kn_date_weekday(jan4) + 1;
	int yy, ww;

	if (w < 1 || w > 53)
		return -1;
	*day = monday + (long)(w - 1) * 7;
	kn_date_isoweek(*day, &yy, &ww);
	return yy == y && ww == w ? 0 : -1;
}

long
kn_date_today(void)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	return kn_date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Read 1 to maxd digits at *p; -1 when there are none. */
static long
digits(const char **p, int maxd, int *nd)
{
	long v = 0;
	int n = 0;

	while (n < maxd && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (nd != NULL)
		*nd = n;
	return n > 0 ? v : -1;
}

/* Skip the word w (folded) at *p when it stands there whole. */
static int
word(const char **p, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(*p, w, n) != 0 || isalnum((unsigned char)(*p)[n]))
		return 0;
	*p += n;
	while (**p == ' ' || **p == ',')
		(*p)++;
	return 1;
}

/*
 * Skip what may stand before a date, in folded form: a weekday ("thu
 * hai", "thu 2", "t2", "chu nhat", "cn") and "ngay".
 */
static const char *
skip_head(const char *p)
{
	static const char *const days[] = { "hai", "ba", "tu", "nam", "sau",
	    "bay", "2", "3", "4", "5", "6", "7", NULL };
	int i;

	while (*p == ' ')
		p++;
	if (word(&p, "thu")) {
		for (i = 0; days[i] != NULL; i++)
			if (word(&p, days[i]))
				break;
	} else if (!word(&p, "chu nhat") && !word(&p, "cn"))
		for (i = 6; days[i] != NULL; i++) {
			char t[3] = { 't', days[i][0], '\0' };

			if (word(&p, t))
				break;
		}
	while (*p == ' ' || *p == ',' || *p == '-')
		p++;
	word(&p, "ngay");
	return p;
}

/*
 * Is what follows a date an acceptable tail (folded form): nothing, or a
 * time of day: ISO "T08:30:00Z", "08:30", "8h30", "8h", "8g30", "8 gio 30
 * phut", after "luc" or a comma, with "sang", "chieu", "toi", "am", "pm".
 */
static int
time_tail(const char *p)
{
	static const char *const words[] = { "gio", "phut", "giay", "sang",
	    "trua", "chieu", "toi", "dem", "am", "pm", "h", "g", "p", NULL };
	int i;

	while (*p == ' ' || *p == ',')
		p++;
	if ((*p == 't' || *p == 'T') && isdigit((unsigned char)p[1]))
		p++;
	word(&p, "luc");
	if (*p == '\0')
		return 1;
	if (!isdigit((unsigned char)*p))
		return 0;
	while (*p != '\0') {
		if (isdigit((unsigned char)*p) || strchr(":.+-zZ ", *p) != NULL) {
			p++;
			continue;
		}
		for (i = 0; words[i] != NULL; i++) {
			size_t n = strlen(words[i]);

			if (strncmp(p, words[i], n) == 0 &&
			    !isalpha((unsigned char)p[n])) {
				p += n;
				break;
			}
		}
		if (words[i] == NULL)
			return 0;
	}
	return 1;
}

static int
finish(int y, int m, int d, long *day, const char *orig, struct kn_error *err)
{
	if (y < KN_DATE_YEAR_MIN || y > KN_DATE_YEAR_MAX) {
		kn_error_set(err, KN_ERANGE, NULL, 0, "\"%s\": the year %d is "
		    "outside %d-%d", orig, y, KN_DATE_YEAR_MIN,
		    KN_DATE_YEAR_MAX);
		return -1;
	}
	if (!kn_date_valid(y, m, d)) {
		kn_error_set(err, KN_EINVAL, NULL, 0,
		    "impossible date \"%s\"", orig);
		return -1;
	}
	*day = kn_date_from_ymd(y, m, d);
	return 0;
}

/* "ngay 5 thang 9 nam 2025" in folded form. */
static int
parse_words(const char *f, int *y, int *m, int *d)
{
	const char *p = f;
	int nd;

	if ((*d = (int)digits(&p, 2, &nd)) < 0)
		return -1;
	while (*p == ' ' || *p == ',')
		p++;
	if (strncmp(p, "thang", 5) != 0)
		return -1;
	p += 5;
	while (*p == ' ')
		p++;
	if ((*m = (int)digits(&p, 2, &nd)) < 0)
		return -1;
	while (*p == ' ' || *p == ',')
		p++;
	if (strncmp(p, "nam", 3) != 0)
		return -1;
	p += 3;
	while (*p == ' ')
		p++;
	if ((*y = (int)digits(&p, 4, &nd)) < 0 || nd != 4)
		return -1;
	while (*p == '.')
		p++;
	return time_tail(p) ? 0 : -1;
}

/*
 * A date in digits at p (Y-M-D, D/M/Y or D/M/YY, the same separator
 * twice), then perhaps a time: 1 with *y, *m, *d; -1 when the digits
 * are in no order a date has; 0 when it is not a date in digits.
 */
static int
numeric(const char *p, int *y, int *m, int *d)
{
	long a, b, c;
	int na, nb, nc;
	char sep;

	if ((a = digits(&p, 8, &na)) < 0 || (*p != '-' && *p != '/' &&
	    *p != '.'))
		return 0;
	sep = *p++;
	if ((b = digits(&p, 2, &nb)) < 0 || *p != sep)
		return 0;
	p++;
	if ((c = digits(&p, 4, &nc)) < 0 || !time_tail(p))
		return 0;
	*m = (int)b;
	if (na == 4 && nc <= 2) {		/* Y-M-D */
		*y = (int)a;
		*d = (int)c;
	} else if (na <= 2 && nc == 4) {	/* D/M/Y */
		*y = (int)c;
		*d = (int)a;
	} else if (na <= 2 && nc == 2) {	/* D/M/YY, as strptime %y */
		*y = (c < 69 ? 2000 : 1900) + (int)c;
		*d = (int)a;
	} else
		return -1;
	return 1;
}

int
kn_date_parse(const char *s, long *day, struct kn_error *err)
{
	struct kn_buf f = KN_BUF_INIT;
	const char *p;
	long a;
	int na, y, m, d, rc;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		kn_error_set(err, KN_EINVAL, NULL, 0, "empty date");
		return -1;
	}
	p = s;
	a = digits(&p, 8, &na);
	if (a >= 0 && (*p == '\0' || *p == '.' || *p == ' ') && na == 5) {
		/* An Excel serial day number, perhaps with a time fraction. */
		const char *q = p;

		if (*q == '.') {
			q++;
			while (isdigit((unsigned char)*q))
				q++;
		}
		while (*q == ' ')
			q++;
		if (*q == '\0') {
			if (a < EXCEL_MIN || a > EXCEL_MAX) {
				kn_error_set(err, KN_EINVAL, NULL, 0,
				    "\"%s\" is not a date (as a spreadsheet "
				    "day number it falls outside 1990-2099)",
				    s);
				return -1;
			}
			*day = EXCEL_EPOCH + a;
			return 0;
		}
	}
	/*
	 * Digits first, as most dates come; then the folded form, where
	 * "Thứ Hai, ngày 29/9/2025 lúc 8 giờ" is read too.
	 */
	if ((rc = numeric(s, &y, &m, &d)) != 0)
		goto done;
	if (kn_text_fold(&f, s, strlen(s)) == -1) {
		kn_buf_free(&f);
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
		return -1;
	}
	p = skip_head(kn_buf_str(&f));
	if ((rc = numeric(p, &y, &m, &d)) != 0) {
		kn_buf_free(&f);
		goto done;
	}
	/* "ngày 5 tháng 9 năm 2025" */
	rc = parse_words(p, &y, &m, &d) == 0 ? 1 : 0;
	kn_buf_free(&f);
done:
	if (rc == 1)
		return finish(y, m, d, day, s, err);
	kn_error_set(err, KN_EINVAL, NULL, 0, "\"%s\" is not a date "
	    "(expected YYYY-MM-DD or DD/MM/YYYY)", s);
	return -1;
}
