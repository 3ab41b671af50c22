/*
 * render.c: kn-report's formats.  The labels people read, the report
 * laid out as a document of tables (shared with html.c), and its text,
 * CSV, JSON and Markdown forms; the dialogue digest in text, JSON and
 * Markdown.
 *
 * Text is aligned by display width (kn_text_width), not by bytes or
 * code points, so that Vietnamese labels line up on a terminal.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kn/date.h"
#include "kn/text.h"
#include "kn/write.h"
#include "render_priv.h"

#define TEXT_WIDTH	100	/* columns of a text report, unless told */
#define TEXT_WIDTH_MIN	20	/* never laid out narrower */
#define TEXT_GAP	2	/* spaces between the columns of a table */
#define TEXT_LABEL_KEEP	30	/* labels are cut this far before bars go, */
#define TEXT_LABEL_MIN	16	/* this far before headings wrap further, */
#define TEXT_LABEL_HARD	8	/* and this far when nothing else fits */
#define TEXT_BAR	24	/* columns of the longest bar */
#define TEXT_BAR_MIN	10	/* a bar narrower than this is left out */
#define TEXT_WRAP	78	/* columns of the digest's paragraphs */
#define HEADING_WORDS	12	/* words of a long text that make a heading */
#define HEADING_WHOLE	20	/* a text of fewer words is its own heading */

/* ---- labels ---- */

struct label {
	const char	*code, *vi, *en;
};

#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct label key_labels[] = {
	{ "field",		"Lĩnh vực",		"Field" },
	{ "status",		"Trạng thái",		"Status" },
	{ "department",		"Đơn vị chủ trì",	"Department" },
	{ "department_code",	"Mã đơn vị",		"Department code" },
	{ "commune",		"Xã, phường",		"Commune" },
	{ "commune_code",	"Mã xã, phường",	"Commune code" },
	{ "commune_former",	"Đơn vị cũ",		"Former unit" },
	{ "week",		"Tuần",			"Week" },
	{ "month",		"Tháng",		"Month" },
	{ "group",		"Mã vấn đề",		"Problem id" },
	{ "priority",		"Mức độ",		"Priority" },
	{ "submitted",		"Ngày gửi",		"Submitted" },
	{ "due",		"Hạn trả lời",		"Due" },
	{ "needs_review",	"Cần xem lại",		"Needs review" },
	{ "submitter",		"Người gửi",		"Submitter" },
	{ "source_file",	"Tệp nguồn",		"Source file" },
	{ "answer_id",		"Mã câu trả lời",	"Answer id" },
	{ "answered_by",	"Đơn vị trả lời",	"Answered by" },
	{ "answered_at",	"Ngày trả lời",		"Answered on" },
	{ "route_rule",		"Quy tắc phân công",	"Routing rule" },
	{ "title",		"Tiêu đề",		"Title" },
	{ "id",			"Mã kiến nghị",		"Id" }
};

/* The status values of kiennghi(7), in the order of their life. */
static const struct label status_labels[] = {
	{ "open",	"Chưa xử lý",		"Open" },
	{ "suggested",	"Đã có gợi ý trả lời",	"Answer suggested" },
	{ "answered",	"Đã trả lời",		"Answered" },
	{ "duplicate",	"Trùng lặp",		"Duplicate" },
	{ "closed",	"Đã đóng",		"Closed" }
};

static const struct label priority_labels[] = {
	{ "urgent",	"Khẩn",		"Urgent" },
	{ "high",	"Cao",		"High" },
	{ "normal",	"Bình thường",	"Normal" }
};

static const struct label bool_labels[] = {
	{ "true",	"Có",		"Yes" },
	{ "false",	"Không",	"No" }
};

/* What an empty value means, per key. */
static const struct label empty_labels[] = {
	{ "field",	"(chưa phân loại)",	"(not classified)" },
	{ "status",	"(chưa có trạng thái)",	"(no status)" },
	{ "department",	"(chưa giao đơn vị)",	"(not routed)" },
	{ "department_code", "(chưa giao đơn vị)", "(not routed)" },
	{ "commune",	"(không rõ xã, phường)", "(unknown commune)" },
	{ "commune_code", "(không rõ xã, phường)", "(unknown commune)" },
	{ "week",	"(không rõ ngày)",	"(no date)" },
	{ "month",	"(không rõ ngày)",	"(no date)" },
	{ "submitted",	"(không rõ ngày)",	"(no date)" },
	{ "due",	"(không có hạn)",	"(no due date)" },
	{ "priority",	"(chưa xếp mức độ)",	"(no priority)" }
};

static const char *const months_en[] = { "Jan", "Feb", "Mar", "Apr",
	"May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static const struct label *
find_label(const struct label *t, size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return &t[i];
	return NULL;
}

#define LABEL(t, code) find_label((t), NITEMS(t), (code))
#define LANG(l, en) ((en) ? (l)->en : (l)->vi)

const char *
kn_label_key(const char *key, int en)
{
	const struct label *l = LABEL(key_labels, key);

	return l != NULL ? LANG(l, en) : key;
}

/* "2025-W40" into year and week; -1 when it is not one. */
static int
parse_week(const char *v, int *y, int *w, long *monday)
{
	if (strlen(v) != 8 || v[4] != '-' || v[5] != 'W' ||
	    sscanf(v, "%4d-W%2d", y, w) != 2)
		return -1;
	return kn_date_from_isoweek(*y, *w, monday);
}

int
kn_render_day(struct kn_buf *out, long day, int en)
{
	int y, m, d;

	kn_date_to_ymd(day, &y, &m, &d);
	if (en)
		return kn_buf_addf(out, "%04d-%02d-%02d", y, m, d);
	return kn_buf_addf(out, "%02d/%02d/%04d", d, m, y);
}

int
kn_label_value(struct kn_buf *out, const char *key, const char *v, int en,
    const struct kn_fields *fs)
{
	const struct label *l = NULL;
	long day;
	int y, w, m, d, i;

	if (*v == '\0') {
		l = LABEL(empty_labels, key);
		return kn_buf_adds(out, l != NULL ? LANG(l, en) : en ?
		    "(empty)" : "(trống)");
	}
	if (strcmp(key, "field") == 0 && fs != NULL &&
	    (i = kn_fields_find(fs, v)) >= 0)
		return kn_buf_adds(out, en ? fs->f[i].label_en :
		    fs->f[i].label);
	if (strcmp(key, "status") == 0)
		l = LABEL(status_labels, v);
	else if (strcmp(key, "priority") == 0)
		l = LABEL(priority_labels, v);
	else if (strcmp(key, "needs_review") == 0)
		l = LABEL(bool_labels, v);
	if (l != NULL)
		return kn_buf_adds(out, LANG(l, en));
	if (strcmp(key, "week") == 0 && parse_week(v, &y, &w, &day) == 0) {
		int m2, d2;

		kn_date_to_ymd(day, &y, &m, &d);
		kn_date_to_ymd(day + 6, &y, &m2, &d2);
		if (en)
			return kn_buf_addf(out, "%s (%s %d–%s %d)", v,
			    months_en[m - 1], d, months_en[m2 - 1], d2);
		kn_date_isoweek(day, &y, &w);
		return kn_buf_addf(out, "%02d/%d (%02d/%02d–%02d/%02d)", w,
		    y, d, m, d2, m2);
	}
	if (strcmp(key, "month") == 0 && strlen(v) == 7 &&
	    sscanf(v, "%4d-%2d", &y, &m) == 2 && m >= 1 && m <= 12) {
		if (en)
			return kn_buf_addf(out, "%s %d", months_en[m - 1], y);
		return kn_buf_addf(out, "%02d/%d", m, y);
	}
	if ((strcmp(key, "submitted") == 0 || strcmp(key, "due") == 0 ||
	    strcmp(key, "answered_at") == 0) && kn_date_parse(v, &day,
	    NULL) == 0)
		return kn_render_day(out, day, en);
	return kn_buf_adds(out, v);
}

/* n with thousands separators, into b (at least 32 bytes). */
static const char *
num(char *b, unsigned long n, int en)
{
	char d[32];
	int len, i, j = 0;

	len = snprintf(d, sizeof(d), "%lu", n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			b[j++] = en ? ',' : '.';
		b[j++] = d[i];
	}
	b[j] = '\0';
	return b;
}

#define S(n) ((n) == 1 ? "" : "s")	/* English plurals */

int
kn_render_count(struct kn_buf *out, unsigned long n, int en)
{
	char b[32];

	return kn_buf_adds(out, num(b, n, en));
}

/* "28,6%" (or "28.6%"); a dash when there is no total. */
static int
share(struct kn_buf *out, unsigned long n, unsigned long total, int en)
{
	unsigned long permille;

	if (total == 0)
		return kn_buf_adds(out, "–");
	permille = (unsigned long)(((double)n * 1000.0) / (double)total + 0.5);
	return kn_buf_addf(out, "%lu%c%lu%%", permille / 10, en ? '.' : ',',
	    permille % 10);
}

/*
 * Append s with its first letter in lower case ("Lĩnh vực": "lĩnh vực"),
 * unless the second letter is upper case too (an acronym: "VNeID").
 */
static int
add_lowerfirst(struct kn_buf *out, const char *s)
{
	const utf8proc_uint8_t *u = (const utf8proc_uint8_t *)s;
	utf8proc_int32_t first, second = 0;
	utf8proc_ssize_t n;

	if ((n = utf8proc_iterate(u, -1, &first)) <= 0)
		return kn_buf_adds(out, s);
	if (s[n] != '\0' && utf8proc_iterate(u + n, -1, &second) <= 0)
		second = 0;
	if (utf8proc_isupper(second))
		return kn_buf_adds(out, s);
	if (kn_utf8_put(out, utf8proc_tolower(first)) == -1)
		return -1;
	return kn_buf_adds(out, s + n);
}

/* Append s in upper case (a field heading in the text digest). */
static int
add_upper(struct kn_buf *out, const char *s)
{
	utf8proc_int32_t cp;
	utf8proc_ssize_t n;

	while (*s != '\0') {
		n = utf8proc_iterate((const utf8proc_uint8_t *)s, -1, &cp);
		if (n <= 0)
			return kn_buf_adds(out, s);
		if (kn_utf8_put(out, utf8proc_toupper(cp)) == -1)
			return -1;
		s += n;
	}
	return 0;
}

/* ---- the words ---- */

static const struct label word_labels[KNP_W_NWORDS] = {
	{ "raised_by",	"Xã, phường nêu",	"Raised by" },
	{ "department",	"Đơn vị chủ trì",	"Department in charge" },
	{ "answered",	"Đã trả lời",		"Answered" },
	{ "suggested",	"Gợi ý trả lời",	"Suggested answer" },
	{ "note",	"chưa được đơn vị chủ trì xác nhận",
	    "not yet confirmed by the department" },
	{ "unanswered",	"Chưa trả lời",		"Not answered yet" },
	{ "overdue",	"Quá hạn",		"Overdue" },
	{ "period",	"Kỳ báo cáo",		"Period" },
	{ "as_of",	"Tính đến ngày",	"As of" },
	{ "summary",	"Tổng hợp theo lĩnh vực", "Summary by field" },
	{ "field",	"Lĩnh vực",		"Field" },
	{ "communes",	"Số xã, phường",	"Communes" },
	{ "problems",	"Số vấn đề",		"Problems" },
	{ "proposals",	"Số kiến nghị",		"Proposals" },
	{ "total",	"Tổng",			"Total" },
	{ "nothing",	"Không có kiến nghị nào trong kỳ báo cáo.",
	    "No proposals in this period." },
	{ "generated",	"Lập bằng kn-report (kiennghi)",
	    "Made with kn-report (kiennghi)" },
	{ "due",	"hạn trả lời",		"due" }
};

const char *
knp_word(int en, int which)
{
	return LANG(&word_labels[which], en);
}

const char *
knp_no_answer(const struct kn_problem *p, int en)
{
	if (p->count > 0 && p->nclosed == p->count)
		return en ? "Closed, with no answer recorded" :
		    "Đã đóng, không có nội dung trả lời";
	return knp_word(en, KNP_W_UNANSWERED);
}

const char *
knp_default_title(const struct kn_report *rep, int en)
{
	if (rep->problem_index != NULL)
		return en ? "Dialogue document: proposals from the commune "
		    "police" : "Tài liệu đối thoại: kiến nghị, đề xuất của "
		    "Công an cấp xã";
	return en ? "Proposals from the commune police" :
	    "Báo cáo tổng hợp kiến nghị của Công an cấp xã";
}

int
knp_period(struct kn_buf *out, const struct kn_report *rep, int en)
{
	const struct kn_window *w = &rep->opts.window;
	int y, m, d, wy, ww;
	char key[KN_WEEK_LEN];

	if (!kn_window_is_set(w))
		return kn_buf_adds(out, en ? "all records" :
		    "toàn bộ kiến nghị");
	if (w->since != KN_DAY_MIN && w->until != KN_DAY_MAX) {
		kn_date_to_ymd(w->since, &y, &m, &d);
		if (w->until - w->since == 6 && kn_date_weekday(w->since) ==
		    1) {
			kn_date_isoweek(w->since, &wy, &ww);
			kn_week_key(w->since, key);
			if (en ? kn_buf_addf(out, "week %s (", key) :
			    kn_buf_addf(out, "tuần %d/%d (", ww, wy))
				return -1;
			if (kn_render_day(out, w->since, en) == -1 ||
			    kn_buf_adds(out, " – ") == -1 ||
			    kn_render_day(out, w->until, en) == -1)
				return -1;
			return kn_buf_adds(out, ")");
		}
		if (d == 1 && w->until == (m == 12 ? kn_date_from_ymd(y + 1,
		    1, 1) : kn_date_from_ymd(y, m + 1, 1)) - 1)
			return en ? kn_buf_addf(out, "%s %d", months_en[m - 1],
			    y) : kn_buf_addf(out, "tháng %02d/%d", m, y);
		if (kn_buf_adds(out, en ? "from " : "từ ") == -1 ||
		    kn_render_day(out, w->since, en) == -1 ||
		    kn_buf_adds(out, en ? " to " : " đến ") == -1)
			return -1;
		return kn_render_day(out, w->until, en);
	}
	if (w->since != KN_DAY_MIN)
		return kn_buf_adds(out, en ? "from " : "từ ") == -1 ? -1 :
		    kn_render_day(out, w->since, en);
	return kn_buf_adds(out, en ? "up to " : "đến hết ngày ") == -1 ? -1 :
	    kn_render_day(out, w->until, en);
}

/* "42 kiến nghị của 17 xã, phường" */
static int
proposals_of_communes(struct kn_buf *out, unsigned long n, size_t nc,
    int en)
{
	char a[32], b[32];

	if (en)
		return kn_buf_addf(out, "%s proposal%s from %s commune%s",
		    num(a, n, en), S(n), num(b, nc, en), S(nc));
	return kn_buf_addf(out, "%s kiến nghị của %s xã, phường",
	    num(a, n, en), num(b, nc, en));
}

/* ---- escaping and text layout ---- */

int
kn_html_escape(struct kn_buf *out, const char *s, size_t len)
{
	size_t i, run = 0;
	const char *e;

	for (i = 0; i < len; i++) {
		switch (s[i]) {
		case '&': e = "&amp;"; break;
		case '<': e = "&lt;"; break;
		case '>': e = "&gt;"; break;
		case '"': e = "&quot;"; break;
		case '\'': e = "&#39;"; break;
		default: continue;
		}
		if (kn_buf_add(out, s + run, i - run) == -1 ||
		    kn_buf_adds(out, e) == -1)
			return -1;
		run = i + 1;
	}
	return kn_buf_add(out, s + run, len - run);
}

int
kn_md_escape(struct kn_buf *out, const char *s, size_t len)
{
	size_t i;
	int c;

	if (kn_buf_grow(out, len) == -1)
		return -1;
	for (i = 0; i < len; i++) {
		c = (unsigned char)s[i];
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		else if (strchr("\\`*_[]<>|#~&!", c) != NULL && c != '\0' &&
		    kn_buf_addc(out, '\\') == -1)
			return -1;
		if (kn_buf_addc(out, c) == -1)
			return -1;
	}
	return 0;
}

/* What a cut text does not end with before its "…". */
static int
is_cut_punct(char c)
{
	return c == ' ' || c == ',' || c == ';' || c == ':' || c == '-';
}

/* The byte length of the longest prefix of s no wider than width. */
static size_t
prefix_of_width(const char *s, size_t len, size_t width, size_t *got)
{
	size_t i = 0, w = 0, cw;
	long cp;
	int n;

	while (i < len) {
		n = kn_utf8_decode(s + i, len - i, &cp);
		cw = kn_text_width(s + i, (size_t)n);
		if (w + cw > width)
			break;
		w += cw;
		i += (size_t)n;
	}
	/* Keep the combining marks that follow the last character. */
	while (i < len) {
		n = kn_utf8_decode(s + i, len - i, &cp);
		if (kn_text_width(s + i, (size_t)n) != 0)
			break;
		i += (size_t)n;
	}
	*got = w;
	return i;
}

int
kn_text_pad(struct kn_buf *out, const char *s, size_t width, int right)
{
	size_t len = strlen(s), w = kn_text_width(s, len), got;

	if (w > width) {
		len = prefix_of_width(s, len, width ? width - 1 : 0, &got);
		while (len > 0 && is_cut_punct(s[len - 1])) {
			len--;
			got--;
		}
		if (kn_buf_add(out, s, len) == -1 ||
		    (width > 0 && kn_buf_adds(out, "…") == -1))
			return -1;
		w = got + (width > 0);
		s = "";
		len = 0;
	}
	for (; w < width && right; w++)
		if (kn_buf_addc(out, ' ') == -1)
			return -1;
	if (kn_buf_add(out, s, len) == -1)
		return -1;
	for (; w < width; w++)
		if (kn_buf_addc(out, ' ') == -1)
			return -1;
	return 0;
}

/*
 * The byte offset of the longest suffix of s no wider than width that
 * starts on a character taking a column (never on a combining mark).
 */
static size_t
suffix_of_width(const char *s, size_t len, size_t width)
{
	size_t i = len, j, w = 0, start = len, cw;

	while (i > 0) {
		for (j = i - 1; j > 0 && ((unsigned char)s[j] & 0xC0) == 0x80;
		    j--)
			;
		cw = kn_text_width(s + j, i - j);
		if (w + cw > width)
			break;
		w += cw;
		i = j;
		if (cw > 0)
			start = i;
	}
	return start;
}

/* A label and its length in bytes. */
struct lab {
	const char	*s;
	size_t		 len;
};

/*
 * The other labels of a column, distinct: sorted by their bytes (v) and
 * by their bytes read from the end (r), to find those that begin alike
 * and those that end alike.
 */
struct labelset {
	struct lab	*v, *r;
	size_t		 n;
};

#define AMBIGUOUS_SCAN	256	/* labels looked at for a cut at most */

/* Compare the first (or, rev, the last) n bytes of a with t[0..n). */
static int
labcmpn(const struct lab *a, const char *t, size_t n, int rev)
{
	size_t k, m = a->len < n ? a->len : n;
	unsigned char x, y;
	int c;

	if (!rev) {
		if ((c = memcmp(a->s, t, m)) != 0)
			return c;
		return a->len < n ? -1 : 0;
	}
	for (k = 1; k <= m; k++) {
		x = (unsigned char)a->s[a->len - k];
		y = (unsigned char)t[n - k];
		if (x != y)
			return x < y ? -1 : 1;
	}
	return a->len < n ? -1 : 0;
}

/* The range [*lo, *hi) of v whose labels begin (or end: rev) with t. */
static void
label_range(const struct lab *v, size_t n, const char *t, size_t tl,
    int rev, size_t *lo, size_t *hi)
{
	size_t a = 0, b = n, m;

	while (a < b) {
		m = a + (b - a) / 2;
		if (labcmpn(&v[m], t, tl, rev) < 0)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	for (b = n; a < b;) {
		m = a + (b - a) / 2;
		if (labcmpn(&v[m], t, tl, rev) <= 0)
			a = m + 1;
		else
			b = m;
	}
	*hi = a;
}

/*
 * Would the cut of s that keeps s[0..hlen) and s[tpos..len) fit another
 * label of the set as well, one that begins and ends alike?  Of the
 * labels that begin alike and those that end alike, the fewer are
 * looked at, the first AMBIGUOUS_SCAN of them at most, so that a column
 * of many thousand labels costs little: where many begin and end alike,
 * one that matches comes soon.
 */
static int
ambiguous(const struct labelset *ls, const char *s, size_t len, size_t hlen,
    size_t tpos)
{
	size_t plo, phi, slo, shi, tl = len - tpos, k;
	const struct lab *m;
	int by_head;

	if (ls == NULL)
		return 0;
	label_range(ls->v, ls->n, s, hlen, 0, &plo, &phi);
	if (phi - plo <= 1)		/* s alone begins so */
		return 0;
	slo = shi = 0;
	if (phi - plo > AMBIGUOUS_SCAN)
		label_range(ls->r, ls->n, s + tpos, tl, 1, &slo, &shi);
	by_head = phi - plo <= AMBIGUOUS_SCAN || phi - plo <= shi - slo;
	if (by_head && phi - plo > AMBIGUOUS_SCAN)
		phi = plo + AMBIGUOUS_SCAN;
	else if (!by_head && shi - slo > AMBIGUOUS_SCAN)
		shi = slo + AMBIGUOUS_SCAN;
	for (k = by_head ? plo : slo; k < (by_head ? phi : shi); k++) {
		m = by_head ? &ls->v[k] : &ls->r[k];
		if (m->len >= hlen + tl && (m->len != len ||
		    memcmp(m->s, s, len) != 0) && memcmp(m->s, s, hlen) == 0 &&
		    memcmp(m->s + m->len - tl, s + tpos, tl) == 0)
			return 1;
	}
	return 0;
}

/* The cut that keeps about hw columns of the head, the rest of the tail. */
static void
char_cut(const char *s, size_t len, size_t avail, size_t hw, size_t *hlen,
    size_t *tpos)
{
	size_t got;

	*hlen = prefix_of_width(s, len, hw, &got);
	while (*hlen > 0 && s[*hlen - 1] == ' ') {
		(*hlen)--;
		got--;
	}
	*tpos = suffix_of_width(s, len, avail - got);
	while (*tpos < len && s[*tpos] == ' ')
		(*tpos)++;
}

#define CUT_ENDS	32	/* word ends and word starts tried in a cut */

struct cut {
	unsigned short	 h, t;		/* indexes of the head and tail */
	unsigned short	 shorter, both;	/* columns of the shorter end, both */
};

/* The better cut first: the longer shorter end, then the fuller. */
static int
cmp_cut(const void *pa, const void *pb)
{
	const struct cut *a = pa, *b = pb;

	if (a->shorter != b->shorter)
		return a->shorter > b->shorter ? -1 : 1;
	if (a->both != b->both)
		return a->both > b->both ? -1 : 1;
	return a->h != b->h ? (a->h < b->h ? -1 : 1) : (a->t < b->t ? -1 :
	    a->t > b->t);
}

/*
 * Where to cut s (wider than avail + 1 columns) in the middle: keep
 * s[0..*hlen) and s[*tpos..len), at most avail columns together.  The
 * cut must tell s from the other labels of its column (ls, or NULL)
 * where it can.  Whole words at both ends when they fill at least two
 * thirds of the room: the pair whose shorter end is the longest, so
 * that both say something, then the one that fills more.  Else as many
 * characters at each end, half and half or as near as tells s apart.
 */
static void
middle_cut(const char *s, size_t len, size_t avail,
    const struct labelset *ls, size_t *hlen, size_t *tpos)
{
	size_t hend[CUT_ENDS], hw[CUT_ENDS], tstart[CUT_ENDS], tpre[CUT_ENDS];
	struct cut c[CUT_ENDS * CUT_ENDS];
	size_t nh = 0, nt = 0, nc = 0, i = 0, run = 0, e, pw, tw, k, h, x, y;
	long cp;
	int n;

	/* One pass: the widths of the heads and of what precedes tails. */
	while (i < len) {
		if (i > 0 && s[i - 1] == ' ' && s[i] != ' ') {
			/* A word starts: keep the last CUT_ENDS of them. */
			tstart[nt % CUT_ENDS] = i;
			tpre[nt++ % CUT_ENDS] = run;
		}
		n = kn_utf8_decode(s + i, len - i, &cp);
		run += cp < 0x80 ? cp >= 0x20 && cp != 0x7F :
		    kn_text_width(s + i, (size_t)n);
		i += (size_t)n;
		if (s[i - 1] != ' ' && (i == len || s[i] == ' ') &&
		    nh < CUT_ENDS) {
			/* A word ends: a head, without its comma. */
			for (e = i, pw = run; e > 0 && is_cut_punct(s[e - 1]);
			    e--, pw--)
				;
			if (e > 0 && pw < avail) {
				hend[nh] = e;
				hw[nh++] = pw;
			}
		}
	}
	if (nt > CUT_ENDS)
		nt = CUT_ENDS;
	for (x = 0; x < nh; x++)
		for (y = 0; y < nt; y++) {
			tw = run - tpre[y];
			if (tstart[y] <= hend[x] || hw[x] + tw > avail ||
			    (hw[x] + tw) * 3 < avail * 2)
				continue;
			c[nc].h = (unsigned short)x;
			c[nc].t = (unsigned short)y;
			c[nc].shorter = (unsigned short)(hw[x] < tw ? hw[x] :
			    tw);
			c[nc++].both = (unsigned short)(hw[x] + tw);
		}
	qsort(c, nc, sizeof(*c), cmp_cut);
	for (k = 0; k < nc; k++)
		if (!ambiguous(ls, s, len, hend[c[k].h], tstart[c[k].t])) {
			*hlen = hend[c[k].h];
			*tpos = tstart[c[k].t];
			return;
		}
	/* Characters: half and half, or the nearest split that is clear. */
	for (k = 0; k < avail; k++) {
		h = (avail + 1) / 2;
		h = k % 2 ? h - (k + 1) / 2 : h + k / 2;
		if (h == 0 || h >= avail)
			continue;
		char_cut(s, len, avail, h, hlen, tpos);
		if (!ambiguous(ls, s, len, *hlen, *tpos))
			return;
	}
	if (nc > 0) {		/* no cut tells it apart: the best words */
		*hlen = hend[c[0].h];
		*tpos = tstart[c[0].t];
	} else
		char_cut(s, len, avail, (avail + 1) / 2, hlen, tpos);
}

/* kn_text_pad_middle, telling s apart from the labels of ls. */
static int
pad_middle(struct kn_buf *out, const char *s, size_t width,
    const struct labelset *ls)
{
	size_t len = strlen(s), w = kn_text_width(s, len), hlen, tpos;

	if (w <= width || width < 5)
		return kn_text_pad(out, s, width, 0);
	middle_cut(s, len, width - 1, ls, &hlen, &tpos);
	w = kn_text_width(s, hlen) + 1 + kn_text_width(s + tpos, len - tpos);
	if (kn_buf_add(out, s, hlen) == -1 || kn_buf_adds(out, "…") == -1 ||
	    kn_buf_add(out, s + tpos, len - tpos) == -1)
		return -1;
	for (; w < width; w++)
		if (kn_buf_addc(out, ' ') == -1)
			return -1;
	return 0;
}

int
kn_text_pad_middle(struct kn_buf *out, const char *s, size_t width)
{
	return pad_middle(out, s, width, NULL);
}

int
kn_text_bar(struct kn_buf *out, unsigned long value, unsigned long max,
    size_t width)
{
	/* U+258F ▏ (1/8) down to U+2589 ▉ (7/8), and U+2588 █. */
	static const char *const part[] = { "", "▏", "▎", "▍", "▌", "▋", "▊",
	    "▉" };
	unsigned long eighths;
	size_t i;

	if (value == 0 || max == 0)
		return 0;
	eighths = (unsigned long)((double)value / (double)max *
	    (double)(width * 8) + 0.5);
	if (eighths == 0)
		eighths = 1;
	for (i = 0; i < eighths / 8; i++)
		if (kn_buf_adds(out, "█") == -1)
			return -1;
	return kn_buf_adds(out, part[eighths % 8]);
}

/* Drop the spaces at the end of the line being written. */
static void
trim_line(struct kn_buf *out)
{
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
}

/*
 * Word-wrap s into lines of at most width columns: the first starts
 * with first, the others with indent.  A word wider than a line is
 * broken between characters.  Nothing when s has no word.
 */
static int
wrap_hanging(struct kn_buf *out, const char *s, const char *first,
    const char *indent, size_t width)
{
	size_t lead = kn_text_width(first, strlen(first));
	size_t iw = kn_text_width(indent, strlen(indent));
	size_t col = 0, room, wlen, ww, n, got;
	const char *p = s, *e, *lead_s = first;
	long cp;
	int open = 0;	/* the current line has its lead */

	while (*p != '\0') {
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' ' && *e != '\n' &&
		    *e != '\t' && *e != '\r'; e++)
			;
		wlen = (size_t)(e - p);
		ww = kn_text_width(p, wlen);
		room = width > lead ? width - lead : 1;
		if (open && col + 1 + ww > room) {
			if (kn_buf_addc(out, '\n') == -1)
				return -1;
			open = 0;
			col = 0;
			lead = iw;
			lead_s = indent;
			room = width > lead ? width - lead : 1;
		}
		if (!open) {
			if (kn_buf_adds(out, lead_s) == -1)
				return -1;
			open = 1;
		} else if (kn_buf_addc(out, ' ') == -1)
			return -1;
		else
			col++;
		/* A word wider than a whole line: as much as fits, then on. */
		while (col == 0 && ww > room) {
			n = prefix_of_width(p, wlen, room, &got);
			if (n == 0)	/* a wide character in one column */
				n = (size_t)kn_utf8_decode(p, wlen, &cp);
			if (kn_buf_add(out, p, n) == -1 ||
			    kn_buf_addc(out, '\n') == -1 ||
			    kn_buf_adds(out, indent) == -1)
				return -1;
			p += n;
			wlen -= n;
			ww = kn_text_width(p, wlen);
			lead = iw;
			lead_s = indent;
			room = width > lead ? width - lead : 1;
		}
		if (kn_buf_add(out, p, wlen) == -1)
			return -1;
		col += ww;
		p = e;
	}
	return open ? kn_buf_addc(out, '\n') : 0;
}

static int
wrap(struct kn_buf *out, const char *s, const char *indent, size_t width)
{
	return wrap_hanging(out, s, indent, indent, width);
}

/* ---- the document ---- */

static struct knp_table *
tbl_new(const char *title, size_t ncols)
{
	struct knp_table *t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->ncols = ncols;
	if ((t->title = strdup(title)) == NULL ||
	    (t->head = calloc(ncols, sizeof(*t->head))) == NULL ||
	    (t->num = calloc(ncols, 1)) == NULL ||
	    (t->wide = calloc(ncols, 1)) == NULL) {
		free(t->title);
		free(t->head);
		free(t->num);
		free(t);
		return NULL;
	}
	return t;
}

void
knp_table_free(struct knp_table *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncols; i++)
		free(t->head[i]);
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->title);
	free(t->note);
	free(t->head);
	free(t->num);
	free(t->wide);
	free(t->cells);
	free(t->value);
	free(t);
}

/* Add a row of ncols empty cells; its index, or -1. */
static long
tbl_row(struct knp_table *t, unsigned long value)
{
	size_t i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **c = realloc(t->cells, cap * t->ncols * sizeof(*c));
		unsigned long *v;

		if (c == NULL)
			return -1;
		t->cells = c;
		if ((v = realloc(t->value, cap * sizeof(*v))) == NULL)
			return -1;
		t->value = v;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = NULL;
	t->value[t->nrows] = value;
	return (long)t->nrows++;
}

/* Set a cell to the contents of b (taken; b is left empty). */
static int
tbl_set(struct knp_table *t, long row, size_t col, struct kn_buf *b)
{
	char **c = &t->cells[(size_t)row * t->ncols + col];

	free(*c);
	*c = kn_buf_detach(b);
	return *c == NULL ? -1 : 0;
}

static int
tbl_sets(struct knp_table *t, long row, size_t col, const char *s)
{
	struct kn_buf b = KN_BUF_INIT;

	if (kn_buf_adds(&b, s) == -1)
		return -1;
	return tbl_set(t, row, col, &b);
}

const char *
knp_cell(const struct knp_table *t, size_t row, size_t col)
{
	const char *c = t->cells[row * t->ncols + col];

	return c != NULL ? c : "";
}

static int
tbl_head(struct knp_table *t, size_t col, const char *s, int num)
{
	if ((t->head[col] = strdup(s)) == NULL)
		return -1;
	t->num[col] = (unsigned char)num;
	return 0;
}

void
knp_doc_free(struct knp_doc *d)
{
	size_t i;

	if (d == NULL)
		return;
	free(d->title);
	for (i = 0; i < d->nmeta; i++) {
		free(d->meta[i][0]);
		free(d->meta[i][1]);
	}
	for (i = 0; i < d->ntables; i++)
		knp_table_free(d->tables[i]);
	for (i = 0; i < d->nkpi; i++) {
		free(d->kpi[i][0]);
		free(d->kpi[i][1]);
		free(d->kpi[i][2]);
	}
	free(d);
}

static int
doc_meta(struct knp_doc *d, const char *label, struct kn_buf *value)
{
	if ((d->meta[d->nmeta][0] = strdup(label)) == NULL)
		return -1;
	d->meta[d->nmeta][1] = kn_buf_detach(value);
	d->nmeta++;
	return d->meta[d->nmeta - 1][1] == NULL ? -1 : 0;
}

static int
doc_kpi(struct knp_doc *d, unsigned long n, const char *label,
    const char *class, int en)
{
	struct kn_buf b = KN_BUF_INIT;

	if (kn_render_count(&b, n, en) == -1)
		return -1;
	d->kpi[d->nkpi][0] = kn_buf_detach(&b);
	d->kpi[d->nkpi][1] = strdup(label);
	d->kpi[d->nkpi][2] = strdup(class);
	d->nkpi++;
	return d->kpi[d->nkpi - 1][0] == NULL || d->kpi[d->nkpi - 1][1] ==
	    NULL || d->kpi[d->nkpi - 1][2] == NULL ? -1 : 0;
}

/* Title, period, date, filter, totals: the lines above the tables. */
static int
doc_head(struct knp_doc *d, const struct kn_report *rep,
    const struct kn_render_opts *ro)
{
	struct kn_buf b = KN_BUF_INIT;
	int en = ro->english;

	if ((d->title = strdup(ro->title != NULL ? ro->title :
	    knp_default_title(rep, en))) == NULL)
		return -1;
	if (knp_period(&b, rep, en) == -1 ||
	    doc_meta(d, knp_word(en, KNP_W_PERIOD), &b) == -1 ||
	    kn_render_day(&b, rep->opts.as_of, en) == -1 ||
	    doc_meta(d, knp_word(en, KNP_W_AS_OF), &b) == -1)
		goto nomem;
	if (rep->opts.overdue && (kn_buf_adds(&b, en ? "overdue proposals "
	    "only" : "chỉ các kiến nghị quá hạn") == -1 || doc_meta(d, en ?
	    "Filter" : "Lọc", &b) == -1))
		goto nomem;
	if (proposals_of_communes(&b, rep->ncounted, rep->ncommunes, en) ==
	    -1)
		goto nomem;
	if (rep->by_field != NULL && !rep->opts.overdue) {
		if (kn_buf_addf(&b, en ? "; " : "; ") == -1 ||
		    kn_render_count(&b, rep->noverdue, en) == -1 ||
		    kn_buf_adds(&b, en ? " overdue" : " quá hạn") == -1)
			goto nomem;
	}
	if (doc_meta(d, en ? "Total" : "Tổng số", &b) == -1)
		goto nomem;
	return 0;
nomem:
	kn_buf_free(&b);
	return -1;
}

/* The heading of a --by table: "Theo lĩnh vực và trạng thái". */
static int
by_title(struct kn_buf *b, const struct kn_tally *t, int en)
{
	size_t i;

	if (kn_buf_adds(b, en ? "By " : "Theo ") == -1)
		return -1;
	for (i = 0; i < t->nkeys; i++) {
		if (i > 0 && kn_buf_adds(b, i + 1 < t->nkeys ? ", " : en ?
		    " and " : " và ") == -1)
			return -1;
		/* By "group": by problem, not by the problem's id. */
		if (strcmp(t->keys[i], "group") == 0 ? kn_buf_adds(b, en ?
		    "problem" : "vấn đề") == -1 : add_lowerfirst(b,
		    kn_label_key(t->keys[i], en)) == -1)
			return -1;
	}
	return 0;
}

/*
 * A tally as a table: a column per key (two for "group": its id and its
 * problem), then proposals, communes and share, and a total row.
 */
static struct knp_table *
tally_table(const struct kn_tally *t, const char *title,
    const struct kn_render_opts *ro)
{
	struct knp_table *tb;
	struct kn_buf b = KN_BUF_INIT;
	unsigned long max = 0;
	size_t i, j, col, nlabel = t->nkeys;
	long row;
	int en = ro->english;

	for (i = 0; i < t->nkeys; i++)
		nlabel += strcmp(t->keys[i], "group") == 0;
	if ((tb = tbl_new(title, nlabel + 3)) == NULL)
		return NULL;
	tb->nlabel = nlabel;
	tb->chart = 1;
	if (t->ngroups == 0 && (tb->note = strdup(en ? "No proposals." :
	    "Không có kiến nghị nào.")) == NULL)
		goto nomem;
	for (i = col = 0; i < t->nkeys; i++) {
		if (tbl_head(tb, col++, kn_label_key(t->keys[i], en), 0) == -1)
			goto nomem;
		if (strcmp(t->keys[i], "group") == 0) {
			tb->wide[col] = 1;
			if (tbl_head(tb, col++, en ? "Problem" : "Vấn đề", 0) ==
			    -1)
				goto nomem;
		}
	}
	if (tbl_head(tb, col++, knp_word(en, KNP_W_PROPOSALS), 1) == -1 ||
	    tbl_head(tb, col++, knp_word(en, KNP_W_COMMUNES), 1) == -1 ||
	    tbl_head(tb, col, en ? "Share" : "Tỷ lệ", 1) == -1)
		goto nomem;
	for (i = 0; i < t->ngroups; i++)
		if (t->groups[i]->count > max)
			max = t->groups[i]->count;
	for (i = 0; i < t->ngroups; i++) {
		const struct kn_group *g = t->groups[i];

		if ((row = tbl_row(tb, g->count)) == -1)
			goto nomem;
		for (j = col = 0; j < t->nkeys; j++) {
			if (kn_label_value(&b, t->keys[j], g->vals[j], en,
			    ro->fields) == -1 || tbl_set(tb, row, col++, &b) ==
			    -1)
				goto nomem;
			if (strcmp(t->keys[j], "group") == 0 &&
			    tbl_sets(tb, row, col++, g->label != NULL ?
			    g->label : "") == -1)
				goto nomem;
		}
		if (kn_render_count(&b, g->count, en) == -1 ||
		    tbl_set(tb, row, col++, &b) == -1 ||
		    kn_render_count(&b, g->ncommunes, en) == -1 ||
		    tbl_set(tb, row, col++, &b) == -1 ||
		    share(&b, g->count, t->total, en) == -1 ||
		    tbl_set(tb, row, col, &b) == -1)
			goto nomem;
	}
	if (t->ngroups > 0) {
		if ((row = tbl_row(tb, 0)) == -1 ||
		    tbl_sets(tb, row, 0, knp_word(en, KNP_W_TOTAL)) == -1 ||
		    kn_render_count(&b, t->total, en) == -1 ||
		    tbl_set(tb, row, nlabel, &b) == -1 ||
		    kn_render_count(&b, kn_tally_communes(t), en) == -1 ||
		    tbl_set(tb, row, nlabel + 1, &b) == -1 ||
		    share(&b, t->total, t->total, en) == -1 ||
		    tbl_set(tb, row, nlabel + 2, &b) == -1)
			goto nomem;
		tb->has_total = 1;
	}
	return tb;
nomem:
	kn_buf_free(&b);
	knp_table_free(tb);
	return NULL;
}

/* Overdue per department, the oldest due first. */
static struct knp_table *
overdue_table(const struct kn_report *rep, const struct kn_render_opts *ro)
{
	const struct kn_tally *t = rep->overdue;
	struct knp_table *tb;
	struct kn_buf b = KN_BUF_INIT;
	size_t i;
	long row;
	int en = ro->english;

	if ((tb = tbl_new(en ? "Overdue by department" :
	    "Quá hạn theo đơn vị chủ trì", 4)) == NULL)
		return NULL;
	tb->nlabel = 1;
	tb->chart = 1;
	tb->alert = 1;
	if ((tb->note = strdup(t->ngroups == 0 ? (en ? "No proposal is "
	    "overdue." : "Không có kiến nghị quá hạn.") : (en ? "Not "
	    "answered by their due date; the longest overdue first." :
	    "Chưa được trả lời khi đã hết hạn; đơn vị có kiến nghị quá hạn "
	    "lâu nhất xếp trước."))) == NULL)
		goto nomem;
	if (tbl_head(tb, 0, kn_label_key("department", en), 0) == -1 ||
	    tbl_head(tb, 1, en ? "Overdue" : "Số quá hạn", 1) == -1 ||
	    tbl_head(tb, 2, en ? "Oldest due" : "Hạn sớm nhất", 1) == -1 ||
	    tbl_head(tb, 3, en ? "Days late" : "Số ngày trễ", 1) == -1)
		goto nomem;
	for (i = 0; i < t->ngroups; i++) {
		const struct kn_group *g = t->groups[i];

		if ((row = tbl_row(tb, g->count)) == -1 ||
		    kn_label_value(&b, "department", g->vals[0], en,
		    ro->fields) == -1 || tbl_set(tb, row, 0, &b) == -1 ||
		    kn_render_count(&b, g->count, en) == -1 ||
		    tbl_set(tb, row, 1, &b) == -1 ||
		    kn_render_day(&b, g->oldest, en) == -1 ||
		    tbl_set(tb, row, 2, &b) == -1 ||
		    kn_render_count(&b, (unsigned long)(rep->opts.as_of -
		    g->oldest), en) == -1 || tbl_set(tb, row, 3, &b) == -1)
			goto nomem;
	}
	if (t->ngroups > 0) {
		if ((row = tbl_row(tb, 0)) == -1 ||
		    tbl_sets(tb, row, 0, knp_word(en, KNP_W_TOTAL)) == -1 ||
		    kn_render_count(&b, t->total, en) == -1 ||
		    tbl_set(tb, row, 1, &b) == -1)
			goto nomem;
		tb->has_total = 1;
	}
	return tb;
nomem:
	kn_buf_free(&b);
	knp_table_free(tb);
	return NULL;
}

static unsigned long
count_of(const struct kn_tally *t, const char *v)
{
	size_t i;

	for (i = 0; i < t->ngroups; i++)
		if (strcmp(t->groups[i]->vals[0], v) == 0)
			return t->groups[i]->count;
	return 0;
}

struct knp_doc *
knp_doc_build(const struct kn_report *rep, const struct kn_render_opts *ro)
{
	struct knp_doc *d;
	struct knp_table *tb;
	struct kn_buf b = KN_BUF_INIT;
	int en = ro->english;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return NULL;
	if (doc_head(d, rep, ro) == -1)
		goto nomem;
	if (doc_kpi(d, rep->ncounted, en ? "proposals" : "kiến nghị",
	    "", en) == -1 || doc_kpi(d, rep->ncommunes, en ? "communes" :
	    "xã, phường", "", en) == -1)
		goto nomem;
	if (rep->groups != NULL) {
		if (by_title(&b, rep->groups, en) == -1 ||
		    (tb = tally_table(rep->groups, kn_buf_str(&b), ro)) ==
		    NULL)
			goto nomem;
		kn_buf_free(&b);
		d->tables[d->ntables++] = tb;
		return d;
	}
	if (doc_kpi(d, count_of(rep->by_status, "answered") +
	    count_of(rep->by_status, "closed"), en ? "answered" :
	    "đã trả lời", "good", en) == -1 || doc_kpi(d, rep->noverdue,
	    en ? "overdue" : "quá hạn", "alert", en) == -1)
		goto nomem;
	if ((tb = tally_table(rep->by_field, en ? "By field" :
	    "Theo lĩnh vực", ro)) == NULL)
		goto nomem;
	d->tables[d->ntables++] = tb;
	if ((tb = tally_table(rep->by_status, en ? "By status" :
	    "Theo trạng thái", ro)) == NULL)
		goto nomem;
	tb->chart = 0;
	d->tables[d->ntables++] = tb;
	if ((tb = tally_table(rep->by_department, en ? "By department" :
	    "Theo đơn vị chủ trì", ro)) == NULL)
		goto nomem;
	d->tables[d->ntables++] = tb;
	if ((tb = overdue_table(rep, ro)) == NULL)
		goto nomem;
	d->tables[d->ntables++] = tb;
	return d;
nomem:
	kn_buf_free(&b);
	knp_doc_free(d);
	return NULL;
}

/* ---- text ---- */

static int
text_rule(struct kn_buf *out, size_t width, const char *ch)
{
	size_t i;

	for (i = 0; i < width; i++)
		if (kn_buf_adds(out, ch) == -1)
			return -1;
	return 0;
}

/* The title, wrapped, over a double rule as wide as its widest line. */
static int
text_title(struct kn_buf *out, const char *title, size_t width)
{
	size_t start = out->len, w, max = 0, i, ls;

	if (wrap(out, title, "", width) == -1 ||
	    (out->len == start && kn_buf_addc(out, '\n') == -1))
		return -1;
	for (i = ls = start; i < out->len; i++)
		if (out->data[i] == '\n') {
			if ((w = kn_text_width(out->data + ls, i - ls)) > max)
				max = w;
			ls = i + 1;
		}
	if (text_rule(out, max, "═") == -1)
		return -1;
	return kn_buf_adds(out, "\n\n");
}

/* "Label:  value" lines, the values aligned and wrapped under each other. */
static int
text_meta(struct kn_buf *out, const struct knp_doc *d, size_t width)
{
	size_t i, w, max = 0;
	struct kn_buf l = KN_BUF_INIT, ind = KN_BUF_INIT;

	for (i = 0; i < d->nmeta; i++)
		if ((w = kn_text_width(d->meta[i][0], strlen(d->meta[i][0]))) >
		    max)
			max = w;
	for (i = 0; i < max + 2; i++)
		if (kn_buf_addc(&ind, ' ') == -1)
			goto fail;
	for (i = 0; i < d->nmeta; i++) {
		kn_buf_reset(&l);
		if (kn_buf_adds(&l, d->meta[i][0]) == -1 ||
		    kn_buf_addc(&l, ':') == -1)
			goto fail;
		w = kn_text_width(kn_buf_str(&l), l.len);
		for (; w < max + 2; w++)
			if (kn_buf_addc(&l, ' ') == -1)
				goto fail;
		w = out->len;
		if (wrap_hanging(out, d->meta[i][1], kn_buf_str(&l),
		    kn_buf_str(&ind), width) == -1)
			goto fail;
		if (out->len == w && (kn_buf_adds(out, d->meta[i][0]) == -1 ||
		    kn_buf_adds(out, ":\n") == -1))	/* an empty value */
			goto fail;
	}
	kn_buf_free(&l);
	kn_buf_free(&ind);
	return 0;
fail:
	kn_buf_free(&l);
	kn_buf_free(&ind);
	return -1;
}

/*
 * A heading word-wrapped at width c: the words of its line number want
 * (from 0) go to line, when line is not NULL; returns how many lines it
 * takes.  A word wider than c has a line of its own (and is cut).
 */
static size_t
head_wrap(const char *h, size_t c, size_t want, struct kn_buf *line)
{
	const char *p = h, *e;
	size_t n = 0, col = 0, ww;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		ww = kn_text_width(p, (size_t)(e - p));
		if (n > 0 && col + 1 + ww <= c)
			col += 1 + ww;
		else {
			n++;
			col = ww;
		}
		if (line != NULL && n == want + 1 && ((col > ww &&
		    kn_buf_addc(line, ' ') == -1) || kn_buf_add(line, p,
		    (size_t)(e - p)) == -1))
			return 0;
		p = e;
	}
	return n > 0 ? n : 1;
}

/*
 * The narrowest width at which heading h takes at most n lines, none
 * narrower than its longest word.
 */
static size_t
head_width(const char *h, size_t n)
{
	size_t c = 1, full = kn_text_width(h, strlen(h)), ww;
	const char *p, *e;

	for (p = h; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		for (e = p; *e != '\0' && *e != ' '; e++)
			;
		if ((ww = kn_text_width(p, (size_t)(e - p))) > c)
			c = ww;
	}
	for (; c < full; c++)
		if (head_wrap(h, c, 0, NULL) <= n)
			return c;
	return full;
}

/* Widen the label columns toward target, the narrowest first. */
static size_t
grow_labels(const struct knp_table *t, size_t *w, const size_t *target,
    size_t room)
{
	size_t j, best;

	while (room > 0) {
		for (best = t->ncols, j = 0; j < t->ncols; j++)
			if (!t->num[j] && w[j] < target[j] && (best ==
			    t->ncols || w[j] < w[best]))
				best = j;
		if (best == t->ncols)
			break;
		w[best]++;
		room--;
	}
	return room;
}

/*
 * Widen number columns to target, the cheapest first, each all the way
 * or not at all: a heading on one line less, or as it was.
 */
static size_t
grow_numbers(const struct knp_table *t, size_t *w, const size_t *target,
    size_t room)
{
	size_t j, best;

	for (;;) {
		for (best = t->ncols, j = 0; j < t->ncols; j++)
			if (t->num[j] && w[j] < target[j] && target[j] - w[j] <=
			    room && (best == t->ncols || target[j] - w[j] <
			    target[best] - w[best]))
				best = j;
		if (best == t->ncols)
			return room;
		room -= target[best] - w[best];
		w[best] = target[best];
	}
}

/*
 * Fit a table into width columns; w[] gets the width of each column,
 * and the bar's width is returned (0: no bar; -1: out of memory).
 * What gives way when the full layout is too wide, in this order: the
 * bar shrinks to TEXT_BAR_MIN; the headings of number columns wrap onto
 * two lines; the longest labels are cut to TEXT_LABEL_KEEP; the bar
 * goes; labels are cut to TEXT_LABEL_MIN; headings wrap word by word;
 * labels are cut to TEXT_LABEL_HARD.  Numbers are never cut: a table of
 * them wider than the terminal stays wider.  The layout is built the
 * other way round, from the narrowest one up, while there is room.
 */
static size_t
text_fit(const struct knp_table *t, size_t *w, size_t width, int bar)
{
	size_t *lim, *two, *nat, i, j, cw, used = 0, room, barw = 0;

	if ((lim = calloc(t->ncols * 3, sizeof(*lim))) == NULL)
		return (size_t)-1;
	two = lim + t->ncols;
	nat = two + t->ncols;
	for (j = 0; j < t->ncols; j++) {
		nat[j] = kn_text_width(t->head[j], strlen(t->head[j]));
		for (i = cw = 0; i < t->nrows; i++)
			if ((w[j] = kn_text_width(knp_cell(t, i, j),
			    strlen(knp_cell(t, i, j)))) > cw)
				cw = w[j];
		if (cw > nat[j])
			nat[j] = cw;
		if (t->num[j]) {
			w[j] = head_width(t->head[j], (size_t)-1);
			two[j] = head_width(t->head[j], 2);
			if (w[j] < cw)
				w[j] = cw;
			if (two[j] < cw)
				two[j] = cw;
		} else
			w[j] = nat[j] < TEXT_LABEL_HARD ? nat[j] :
			    TEXT_LABEL_HARD;
		used += w[j] + (j > 0 ? TEXT_GAP : 0);
	}
	room = width > used ? width - used : 0;
	for (j = 0; j < t->ncols; j++)
		lim[j] = nat[j] < TEXT_LABEL_MIN ? nat[j] : TEXT_LABEL_MIN;
	room = grow_labels(t, w, lim, room);
	room = grow_numbers(t, w, two, room);
	for (j = 0; j < t->ncols; j++)
		lim[j] = nat[j] < TEXT_LABEL_KEEP ? nat[j] : TEXT_LABEL_KEEP;
	room = grow_labels(t, w, lim, room);
	if (bar && room >= TEXT_GAP + TEXT_BAR_MIN) {
		barw = TEXT_BAR_MIN;
		room -= TEXT_GAP + TEXT_BAR_MIN;
	}
	room = grow_labels(t, w, nat, room);
	room = grow_numbers(t, w, nat, room);
	if (barw > 0)
		barw += room < TEXT_BAR - barw ? room : TEXT_BAR - barw;
	free(lim);
	return barw;
}

/* The lines of the heading row, each column's heading at its foot. */
static int
text_head(struct kn_buf *out, const struct knp_table *t, const size_t *w)
{
	struct kn_buf l = KN_BUF_INIT;
	size_t j, k, n, nlines = 1;
	int rc = -1;

	for (j = 0; j < t->ncols; j++)
		if ((n = head_wrap(t->head[j], w[j], 0, NULL)) > nlines)
			nlines = n;
	for (k = 0; k < nlines; k++) {
		for (j = 0; j < t->ncols; j++) {
			n = head_wrap(t->head[j], w[j], 0, NULL);
			kn_buf_reset(&l);
			if (k >= nlines - n && head_wrap(t->head[j], w[j],
			    k - (nlines - n), &l) == 0)
				goto out;
			if ((j > 0 && kn_buf_adds(out, "  ") == -1) ||
			    kn_text_pad(out, kn_buf_str(&l), w[j],
			    t->num[j]) == -1)
				goto out;
		}
		trim_line(out);
		if (kn_buf_addc(out, '\n') == -1)
			goto out;
	}
	rc = 0;
out:
	kn_buf_free(&l);
	return rc;
}

static int
cmp_lab(const void *pa, const void *pb)
{
	const struct lab *a = pa, *b = pb;
	int c = memcmp(a->s, b->s, a->len < b->len ? a->len : b->len);

	return c != 0 ? c : (a->len < b->len ? -1 : a->len > b->len);
}

static int
cmp_rlab(const void *pa, const void *pb)
{
	const struct lab *a = pa, *b = pb;
	size_t al = a->len, bl = b->len;

	for (; al > 0 && bl > 0; al--, bl--)
		if (a->s[al - 1] != b->s[bl - 1])
			return (unsigned char)a->s[al - 1] <
			    (unsigned char)b->s[bl - 1] ? -1 : 1;
	return al < bl ? -1 : al > bl;
}

/* The distinct labels of column j, for telling cuts apart. */
static int
labelset_of(struct labelset *ls, const struct knp_table *t, size_t j)
{
	size_t i, n = 0;

	ls->n = 0;
	if ((ls->v = calloc(2 * t->nrows + 2, sizeof(*ls->v))) == NULL)
		return -1;
	for (i = 0; i < t->nrows; i++) {
		ls->v[n].s = knp_cell(t, i, j);
		ls->v[n].len = strlen(ls->v[n].s);
		n++;
	}
	qsort(ls->v, n, sizeof(*ls->v), cmp_lab);
	for (i = 0; i < n; i++)
		if (ls->n == 0 || cmp_lab(&ls->v[ls->n - 1], &ls->v[i]) != 0)
			ls->v[ls->n++] = ls->v[i];
	ls->r = ls->v + ls->n;
	memcpy(ls->r, ls->v, ls->n * sizeof(*ls->r));
	qsort(ls->r, ls->n, sizeof(*ls->r), cmp_rlab);
	return 0;
}

/*
 * A label cell: names cut in the middle so that they stay apart, long
 * texts (a problem's) at the end.
 */
static int
text_label(struct kn_buf *out, const struct knp_table *t, size_t j,
    const char *s, size_t width, const struct labelset *ls)
{
	if (t->wide[j])
		return kn_text_pad(out, s, width, 0);
	return pad_middle(out, s, width, &ls[j]);
}

static int
text_table(struct kn_buf *out, const struct knp_table *t, size_t width)
{
	struct labelset *ls = NULL;
	size_t *w, i, j, total = 0, barw;
	unsigned long max = 0;
	size_t nbody = t->nrows - (size_t)t->has_total;
	int rc = -1;

	if (wrap(out, t->title, "", width) == -1)
		return -1;
	if (t->note != NULL && wrap(out, t->note, "", width) == -1)
		return -1;
	if (t->nrows == 0)
		return kn_buf_addc(out, '\n');
	if ((w = calloc(t->ncols, sizeof(*w))) == NULL)
		return -1;
	for (i = 0; i < nbody; i++)
		if (t->value[i] > max)
			max = t->value[i];
	if ((barw = text_fit(t, w, width, max > 0 && !t->nobar)) ==
	    (size_t)-1 || (ls = calloc(t->ncols, sizeof(*ls))) == NULL)
		goto out;
	for (j = 0; j < t->ncols; j++)
		if (!t->num[j] && labelset_of(&ls[j], t, j) == -1)
			goto out;
	for (j = 0; j < t->ncols; j++)
		total += w[j] + (j > 0 ? TEXT_GAP : 0);
	if (text_head(out, t, w) == -1 || text_rule(out, total, "─") == -1 ||
	    kn_buf_addc(out, '\n') == -1)
		goto out;
	for (i = 0; i < t->nrows; i++) {
		if (t->has_total && i == nbody && (text_rule(out, total,
		    "─") == -1 || kn_buf_addc(out, '\n') == -1))
			goto out;
		for (j = 0; j < t->ncols; j++)
			if ((j > 0 && kn_buf_adds(out, "  ") == -1) ||
			    (t->num[j] ? kn_text_pad(out, knp_cell(t, i, j),
			    w[j], 1) : text_label(out, t, j, knp_cell(t, i, j),
			    w[j], ls)) == -1)
				goto out;
		if (i < nbody && barw > 0 && (kn_buf_adds(out, "  ") == -1 ||
		    kn_text_bar(out, t->value[i], max, barw) == -1))
			goto out;
		trim_line(out);
		if (kn_buf_addc(out, '\n') == -1)
			goto out;
	}
	rc = kn_buf_addc(out, '\n');
out:
	for (j = 0; ls != NULL && j < t->ncols; j++)
		free(ls[j].v);
	free(ls);
	free(w);
	return rc;
}

static int
render_text(struct kn_buf *out, const struct knp_doc *d, size_t width)
{
	size_t i;

	if (text_title(out, d->title, width) == -1 ||
	    text_meta(out, d, width) == -1 || kn_buf_addc(out, '\n') == -1)
		return -1;
	for (i = 0; i < d->ntables; i++)
		if (text_table(out, d->tables[i], width) == -1)
			return -1;
	/* One blank line between tables, none at the end. */
	if (out->len > 1 && out->data[out->len - 1] == '\n' &&
	    out->data[out->len - 2] == '\n')
		out->data[--out->len] = '\0';
	return 0;
}

/* ---- Markdown ---- */

static int
md_escs(struct kn_buf *out, const char *s)
{
	return kn_md_escape(out, s, strlen(s));
}

static int
md_table(struct kn_buf *out, const struct knp_table *t)
{
	size_t i, j;
	int total;

	if (kn_buf_adds(out, "## ") == -1 || md_escs(out, t->title) == -1 ||
	    kn_buf_adds(out, "\n\n") == -1)
		return -1;
	if (t->note != NULL && (md_escs(out, t->note) == -1 ||
	    kn_buf_adds(out, "\n\n") == -1))
		return -1;
	if (t->nrows == 0)
		return 0;
	for (j = 0; j < t->ncols; j++)
		if (kn_buf_adds(out, "| ") == -1 || md_escs(out, t->head[j]) ==
		    -1 || kn_buf_addc(out, ' ') == -1)
			return -1;
	if (kn_buf_adds(out, "|\n") == -1)
		return -1;
	for (j = 0; j < t->ncols; j++)
		if (kn_buf_adds(out, t->num[j] ? "|---:" : "|:---") == -1)
			return -1;
	if (kn_buf_adds(out, "|\n") == -1)
		return -1;
	for (i = 0; i < t->nrows; i++) {
		total = t->has_total && i + 1 == t->nrows;
		for (j = 0; j < t->ncols; j++) {
			const char *c = knp_cell(t, i, j);

			if (kn_buf_adds(out, "| ") == -1)
				return -1;
			if (*c == '\0') {
				if (kn_buf_adds(out, " ") == -1)
					return -1;
				continue;
			}
			if ((total && kn_buf_adds(out, "**") == -1) ||
			    md_escs(out, c) == -1 ||
			    (total && kn_buf_adds(out, "**") == -1) ||
			    kn_buf_addc(out, ' ') == -1)
				return -1;
		}
		if (kn_buf_adds(out, "|\n") == -1)
			return -1;
	}
	return kn_buf_addc(out, '\n');
}

static int
render_md(struct kn_buf *out, const struct knp_doc *d)
{
	size_t i;

	if (kn_buf_adds(out, "# ") == -1 || md_escs(out, d->title) == -1 ||
	    kn_buf_adds(out, "\n\n") == -1)
		return -1;
	for (i = 0; i < d->nmeta; i++)
		if (kn_buf_adds(out, "- **") == -1 ||
		    md_escs(out, d->meta[i][0]) == -1 ||
		    kn_buf_adds(out, ":** ") == -1 ||
		    md_escs(out, d->meta[i][1]) == -1 ||
		    kn_buf_addc(out, '\n') == -1)
			return -1;
	if (kn_buf_addc(out, '\n') == -1)
		return -1;
	for (i = 0; i < d->ntables; i++)
		if (md_table(out, d->tables[i]) == -1)
			return -1;
	if (out->len > 1 && out->data[out->len - 1] == '\n' &&
	    out->data[out->len - 2] == '\n')
		out->data[--out->len] = '\0';
	return 0;
}

/* ---- CSV and JSON ---- */

static int
render_csv(struct kn_buf *out, const struct kn_tally *t)
{
	size_t i, j;

	for (j = 0; j < t->nkeys; j++)
		if (kn_csv_cell(out, t->keys[j], strlen(t->keys[j]), ',',
		    KN_WRITE_RAW) == -1 || kn_buf_addc(out, ',') == -1)
			return -1;
	if (kn_buf_adds(out, "count\n") == -1)
		return -1;
	for (i = 0; i < t->ngroups; i++) {
		for (j = 0; j < t->nkeys; j++)
			if (kn_csv_cell(out, t->groups[i]->vals[j],
			    strlen(t->groups[i]->vals[j]), ',', KN_WRITE_RAW) ==
			    -1 || kn_buf_addc(out, ',') == -1)
				return -1;
		if (kn_buf_addf(out, "%lu\n", t->groups[i]->count) == -1)
			return -1;
	}
	return 0;
}

static int
jstr(struct kn_buf *out, const char *s)
{
	return kn_json_quote(out, s, strlen(s));
}

static int
jday(struct kn_buf *out, long day)
{
	char d[KN_DATE_LEN];

	if (day <= KN_DAY_MIN || day >= KN_DAY_MAX)
		return kn_buf_adds(out, "null");
	kn_date_format(day, d);
	return jstr(out, d);
}

static int
json_filters(struct kn_buf *out, const struct kn_report *rep)
{
	size_t i;

	if (kn_buf_adds(out, "{\n  \"filters\": {") == -1)
		return -1;
	if (rep->nby > 0) {
		if (kn_buf_adds(out, "\"by\": [") == -1)
			return -1;
		for (i = 0; i < rep->nby; i++)
			if ((i > 0 && kn_buf_adds(out, ", ") == -1) ||
			    jstr(out, rep->by[i]) == -1)
				return -1;
		if (kn_buf_adds(out, "], ") == -1)
			return -1;
	}
	if (rep->opts.window.since != KN_DAY_MIN && (kn_buf_adds(out,
	    "\"since\": ") == -1 || jday(out, rep->opts.window.since) == -1 ||
	    kn_buf_adds(out, ", ") == -1))
		return -1;
	if (rep->opts.window.until != KN_DAY_MAX && (kn_buf_adds(out,
	    "\"until\": ") == -1 || jday(out, rep->opts.window.until) == -1 ||
	    kn_buf_adds(out, ", ") == -1))
		return -1;
	if (kn_buf_adds(out, "\"as_of\": ") == -1 ||
	    jday(out, rep->opts.as_of) == -1 ||
	    kn_buf_addf(out, ", \"overdue\": %s},\n", rep->opts.overdue ?
	    "true" : "false") == -1)
		return -1;
	return 0;
}

/* One group as {"key": "value", ..., "count": n}. */
static int
json_group(struct kn_buf *out, const struct kn_tally *t,
    const struct kn_group *g, int oldest)
{
	size_t j;

	if (kn_buf_addc(out, '{') == -1)
		return -1;
	for (j = 0; j < t->nkeys; j++)
		if (jstr(out, t->keys[j]) == -1 || kn_buf_adds(out, ": ") ==
		    -1 || jstr(out, g->vals[j]) == -1 || kn_buf_adds(out,
		    ", ") == -1)
			return -1;
	if (kn_buf_addf(out, "\"count\": %lu", g->count) == -1)
		return -1;
	if (oldest && (kn_buf_adds(out, ", \"oldest_due\": ") == -1 ||
	    jday(out, g->oldest) == -1))
		return -1;
	return kn_buf_addc(out, '}');
}

static int
json_groups(struct kn_buf *out, const char *name, const struct kn_tally *t,
    int oldest)
{
	size_t i;

	if (kn_buf_addf(out, "  \"%s\": [", name) == -1)
		return -1;
	for (i = 0; i < t->ngroups; i++)
		if (kn_buf_adds(out, i > 0 ? ",\n    " : "\n    ") == -1 ||
		    json_group(out, t, t->groups[i], oldest) == -1)
			return -1;
	return kn_buf_adds(out, t->ngroups > 0 ? "\n  ],\n" : "],\n");
}

static int
render_json(struct kn_buf *out, const struct kn_report *rep)
{
	if (json_filters(out, rep) == -1)
		return -1;
	if (rep->groups != NULL) {
		if (json_groups(out, "groups", rep->groups, 0) == -1)
			return -1;
	} else {
		if (kn_buf_addf(out, "  \"communes\": %zu,\n  \"overdue\": "
		    "%lu,\n", rep->ncommunes, rep->noverdue) == -1 ||
		    json_groups(out, "by_field", rep->by_field, 0) == -1 ||
		    json_groups(out, "by_status", rep->by_status, 0) == -1 ||
		    json_groups(out, "by_department", rep->by_department,
		    0) == -1 || json_groups(out, "overdue_by_department",
		    rep->overdue, 1) == -1)
			return -1;
	}
	return kn_buf_addf(out, "  \"total\": %lu\n}\n", rep->ncounted);
}

/* ---- the digest: shared words ---- */

int
knp_problem_heading(struct kn_buf *out, const struct kn_problem *p)
{
	const char *s = p->text, *e;
	int words = 0;

	if (*p->title != '\0')
		return kn_buf_adds(out, p->title);
	for (e = s; *e != '\0'; e++)
		if (*e == ' ')
			words++;
	/* A short text is its own heading. */
	if (words < HEADING_WHOLE)
		return kn_buf_adds(out, s);
	for (e = s, words = 0; *e != '\0'; e++)
		if (*e == ' ' && ++words == HEADING_WORDS)
			break;
	if (kn_buf_add(out, s, (size_t)(e - s)) == -1)
		return -1;
	/* Cut a trailing comma or the like before the ellipsis. */
	while (out->len > 0 && strchr(",;:-", out->data[out->len - 1]) !=
	    NULL)
		out->data[--out->len] = '\0';
	return kn_buf_adds(out, "…");
}

/* Does the heading already say all of the text? */
int
knp_heading_is_text(const struct kn_problem *p)
{
	struct kn_buf h = KN_BUF_INIT;
	int same;

	if (knp_problem_heading(&h, p) == -1) {
		kn_buf_free(&h);
		return 0;
	}
	same = strcmp(kn_buf_str(&h), p->text) == 0 || *p->text == '\0';
	kn_buf_free(&h);
	return same;
}

int
knp_field_figures(struct kn_buf *out, const struct kn_digest_field *f,
    int en)
{
	char a[32], b[32], c[32];

	if (en)
		return kn_buf_addf(out, "%s commune%s, %s problem%s, %s "
		    "proposal%s", num(a, f->ncommunes, en), S(f->ncommunes),
		    num(b, f->nproblems, en), S(f->nproblems),
		    num(c, f->count, en), S(f->count));
	return kn_buf_addf(out, "%s xã, phường nêu %s vấn đề (%s kiến "
	    "nghị)", num(a, f->ncommunes, en), num(b, f->nproblems, en),
	    num(c, f->count, en));
}

int
knp_digest_lead(struct kn_buf *out, const struct kn_report *rep, int en)
{
	char a[32], b[32], c[32], d[32], e[32];
	size_t i, na = 0, ns = 0, nu = 0;

	for (i = 0; i < rep->nfields; i++) {
		na += rep->fields[i].nanswered;
		ns += rep->fields[i].nsuggested;
		nu += rep->fields[i].nunanswered;
	}
	if (proposals_of_communes(out, rep->ncounted, rep->ncommunes, en) ==
	    -1)
		return -1;
	num(a, rep->nproblems, en);
	num(b, rep->nfields, en);
	num(c, na, en);
	num(d, ns, en);
	num(e, nu, en);
	if (en)
		return kn_buf_addf(out, " come down to %s distinct problem%s "
		    "in %s field%s: %s answered, %s with a suggested "
		    "answer, %s not answered yet.", a, S(rep->nproblems), b,
		    S(rep->nfields), c, d, e);
	return kn_buf_addf(out, ", quy về %s vấn đề thuộc %s lĩnh vực: "
	    "%s vấn đề đã trả lời, %s vấn đề có gợi ý trả lời, %s vấn "
	    "đề chưa trả lời.", a, b, c, d, e);
}

int
knp_overdue_note(struct kn_buf *out, const struct kn_problem *p,
    const struct kn_report *rep, int en)
{
	char a[32];

	if (kn_buf_addf(out, en ? "%s proposal%s past due, the oldest due "
	    : "%s kiến nghị%s quá hạn, hạn trả lời sớm nhất ", num(a,
	    p->noverdue, en), en ? S(p->noverdue) : "") == -1 ||
	    kn_render_day(out, p->oldest_due, en) == -1)
		return -1;
	return kn_buf_addf(out, en ? " (%ld days late)" : " (trễ %ld ngày)",
	    rep->opts.as_of - p->oldest_due);
}

int
knp_answer_source(struct kn_buf *out, const struct kn_problem *p, int en)
{
	long day;
	int by = *p->answered_by != '\0', at = *p->answered_at != '\0';

	if (p->answer_kind != KN_ANSWER_GIVEN || (!by && !at))
		return 0;
	if (kn_buf_adds(out, "(") == -1 ||
	    (by && kn_buf_adds(out, p->answered_by) == -1) ||
	    (by && at && kn_buf_adds(out, ", ") == -1))
		return -1;
	if (at) {
		if (kn_date_parse(p->answered_at, &day, NULL) == 0) {
			if (kn_render_day(out, day, en) == -1)
				return -1;
		} else if (kn_buf_adds(out, p->answered_at) == -1)
			return -1;
	}
	return kn_buf_adds(out, ")");
}

/* The summary table of the digest, one row per field. */
struct knp_table *
knp_digest_table(const struct kn_report *rep, const struct kn_render_opts *ro)
{
	struct knp_table *tb;
	struct kn_buf b = KN_BUF_INIT;
	size_t i;
	long row;
	int en = ro->english;

	if ((tb = tbl_new(knp_word(en, KNP_W_SUMMARY_TABLE), 7)) == NULL)
		return NULL;
	tb->nlabel = 1;
	tb->nobar = 1;
	if (tbl_head(tb, 0, knp_word(en, KNP_W_FIELD), 0) == -1 ||
	    tbl_head(tb, 1, en ? "Communes" : "Xã, phường", 1) == -1 ||
	    tbl_head(tb, 2, en ? "Problems" : "Vấn đề", 1) == -1 ||
	    tbl_head(tb, 3, en ? "Proposals" : "Kiến nghị", 1) == -1 ||
	    tbl_head(tb, 4, knp_word(en, KNP_W_ANSWERED), 1) == -1 ||
	    tbl_head(tb, 5, en ? "Suggested" : "Có gợi ý", 1) == -1 ||
	    tbl_head(tb, 6, knp_word(en, KNP_W_UNANSWERED), 1) == -1)
		goto nomem;
	for (i = 0; i < rep->nfields; i++) {
		const struct kn_digest_field *f = &rep->fields[i];

		if ((row = tbl_row(tb, f->ncommunes)) == -1 ||
		    kn_label_value(&b, "field", f->code, en, ro->fields) ==
		    -1 || tbl_set(tb, row, 0, &b) == -1 ||
		    kn_render_count(&b, f->ncommunes, en) == -1 ||
		    tbl_set(tb, row, 1, &b) == -1 ||
		    kn_render_count(&b, f->nproblems, en) == -1 ||
		    tbl_set(tb, row, 2, &b) == -1 ||
		    kn_render_count(&b, f->count, en) == -1 ||
		    tbl_set(tb, row, 3, &b) == -1 ||
		    kn_render_count(&b, f->nanswered, en) == -1 ||
		    tbl_set(tb, row, 4, &b) == -1 ||
		    kn_render_count(&b, f->nsuggested, en) == -1 ||
		    tbl_set(tb, row, 5, &b) == -1 ||
		    kn_render_count(&b, f->nunanswered, en) == -1 ||
		    tbl_set(tb, row, 6, &b) == -1)
			goto nomem;
	}
	return tb;
nomem:
	kn_buf_free(&b);
	knp_table_free(tb);
	return NULL;
}

/* The communes of a problem, "A, B, C", in Vietnamese order. */
int
knp_commune_list(struct kn_buf *out, const struct kn_report *rep,
    const struct kn_problem *p)
{
	size_t i;

	for (i = 0; i < p->ncommunes; i++)
		if ((i > 0 && kn_buf_adds(out, ", ") == -1) ||
		    kn_buf_adds(out, rep->communes[p->communes[i]]) == -1)
			return -1;
	return 0;
}

int
knp_department_list(struct kn_buf *out, const struct kn_problem *p, int en)
{
	size_t i;

	if (p->ndepartments == 0)
		return kn_buf_adds(out, en ? "(not routed)" :
		    "(chưa giao đơn vị)");
	for (i = 0; i < p->ndepartments; i++)
		if ((i > 0 && kn_buf_adds(out, "; ") == -1) ||
		    kn_buf_adds(out, p->departments[i]) == -1)
			return -1;
	return 0;
}

/* ---- the digest in text ---- */

/* The columns text may take. */
static size_t
text_width(const struct kn_render_opts *ro)
{
	if (ro->width == 0)
		return TEXT_WIDTH;
	return ro->width < TEXT_WIDTH_MIN ? TEXT_WIDTH_MIN : ro->width;
}

static int
text_digest(struct kn_buf *out, const struct kn_report *rep,
    const struct kn_render_opts *ro)
{
	struct knp_doc d;
	struct knp_table *tb;
	struct kn_buf b = KN_BUF_INIT, l = KN_BUF_INIT;
	size_t i, j, width = text_width(ro);
	size_t wrapw = width < TEXT_WRAP ? width : TEXT_WRAP;
	int en = ro->english, rc = -1;

	memset(&d, 0, sizeof(d));
	if ((d.title = strdup(ro->title != NULL ? ro->title :
	    knp_default_title(rep, en))) == NULL)
		return -1;
	if (knp_period(&b, rep, en) == -1 ||
	    doc_meta(&d, knp_word(en, KNP_W_PERIOD), &b) == -1 ||
	    kn_render_day(&b, rep->opts.as_of, en) == -1 ||
	    doc_meta(&d, knp_word(en, KNP_W_AS_OF), &b) == -1 ||
	    text_title(out, d.title, width) == -1 ||
	    text_meta(out, &d, width) == -1 ||
	    kn_buf_addc(out, '\n') == -1)
		goto out;
	if (rep->nproblems == 0) {
		rc = wrap(out, knp_word(en, KNP_W_NOTHING), "", wrapw);
		goto out;
	}
	if (knp_digest_lead(&b, rep, en) == -1 ||
	    wrap(out, kn_buf_str(&b), "", wrapw) == -1 ||
	    kn_buf_addc(out, '\n') == -1)
		goto out;
	kn_buf_reset(&b);
	if ((tb = knp_digest_table(rep, ro)) == NULL)
		goto out;
	if (text_table(out, tb, width) == -1) {
		knp_table_free(tb);
		goto out;
	}
	knp_table_free(tb);
	for (i = 0; i < rep->nfields; i++) {
		const struct kn_digest_field *f = &rep->fields[i];

		kn_buf_reset(&l);
		kn_buf_reset(&b);
		if (kn_label_value(&l, "field", f->code, en, ro->fields) ==
		    -1 || kn_buf_addf(&b, "%zu. ", i + 1) == -1 ||
		    add_upper(&b, kn_buf_str(&l)) == -1 ||
		    wrap_hanging(out, kn_buf_str(&b), "", "   ", wrapw) ==
		    -1)
			goto out;
		kn_buf_reset(&b);
		if (knp_field_figures(&b, f, en) == -1 ||
		    wrap(out, kn_buf_str(&b), "   ", wrapw) == -1 ||
		    kn_buf_addc(out, '\n') == -1)
			goto out;
		for (j = 0; j < f->nproblems; j++) {
			const struct kn_problem *p = f->problems[j];

			kn_buf_reset(&b);
			if (kn_buf_addf(&b, "%zu.%zu. ", i + 1, j + 1) == -1 ||
			    knp_problem_heading(&b, p) == -1 ||
			    wrap(out, kn_buf_str(&b), "", wrapw) == -1)
				goto out;
			kn_buf_reset(&b);
			if (!knp_heading_is_text(p) && (kn_buf_addf(&b,
			    "“%s”", p->text) == -1 || wrap(out,
			    kn_buf_str(&b), "    ", wrapw) == -1))
				goto out;
			kn_buf_reset(&b);
			if (kn_buf_addf(&b, "%s (%zu): ", knp_word(en,
			    KNP_W_RAISED_BY), p->ncommunes) == -1 ||
			    knp_commune_list(&b, rep, p) == -1 ||
			    wrap(out, kn_buf_str(&b), "    ", wrapw) == -1)
				goto out;
			kn_buf_reset(&b);
			if (kn_buf_addf(&b, "%s: ", knp_word(en,
			    KNP_W_DEPARTMENT)) == -1 ||
			    knp_department_list(&b, p, en) == -1 ||
			    wrap(out, kn_buf_str(&b), "    ", wrapw) == -1)
				goto out;
			kn_buf_reset(&b);
			if (p->answer_kind == KN_ANSWER_GIVEN) {
				if (kn_buf_adds(&b, knp_word(en,
				    KNP_W_ANSWERED)) == -1 ||
				    (*p->answered_by || *p->answered_at ?
				    kn_buf_addc(&b, ' ') : 0) == -1 ||
				    knp_answer_source(&b, p, en) == -1 ||
				    kn_buf_adds(&b, ": ") == -1 ||
				    kn_buf_adds(&b, p->answer) == -1)
					goto out;
			} else if (p->answer_kind == KN_ANSWER_SUGGESTED) {
				if (kn_buf_addf(&b, "%s (%s): %s", knp_word(en,
				    KNP_W_SUGGESTED), knp_word(en,
				    KNP_W_SUGGESTED_NOTE), p->answer) == -1)
					goto out;
			} else if (kn_buf_addf(&b, "%s.", knp_no_answer(p,
			    en)) == -1)
				goto out;
			if (wrap(out, kn_buf_str(&b), "    ", wrapw) == -1)
				goto out;
			if (p->noverdue > 0 && p->answer_kind !=
			    KN_ANSWER_GIVEN) {
				kn_buf_reset(&b);
				if (kn_buf_addf(&b, "%s: ", knp_word(en,
				    KNP_W_OVERDUE)) == -1 ||
				    knp_overdue_note(&b, p, rep, en) == -1 ||
				    wrap(out, kn_buf_str(&b), "    ",
				    wrapw) == -1)
					goto out;
			}
			if (kn_buf_addc(out, '\n') == -1)
				goto out;
		}
	}
	if (out->len > 1 && out->data[out->len - 1] == '\n' &&
	    out->data[out->len - 2] == '\n')
		out->data[--out->len] = '\0';
	rc = 0;
out:
	free(d.title);
	for (i = 0; i < d.nmeta; i++) {
		free(d.meta[i][0]);
		free(d.meta[i][1]);
	}
	kn_buf_free(&b);
	kn_buf_free(&l);
	return rc;
}

/* ---- the digest in Markdown ---- */

static int
md_digest(struct kn_buf *out, const struct kn_report *rep,
    const struct kn_render_opts *ro)
{
	struct knp_table *tb;
	struct kn_buf b = KN_BUF_INIT;
	size_t i, j;
	int en = ro->english, rc = -1;

	if (kn_buf_adds(out, "# ") == -1 || md_escs(out, ro->title != NULL ?
	    ro->title : knp_default_title(rep, en)) == -1 ||
	    kn_buf_addf(out, "\n\n**%s:** ", knp_word(en, KNP_W_PERIOD)) ==
	    -1 || knp_period(&b, rep, en) == -1 ||
	    md_escs(out, kn_buf_str(&b)) == -1 ||
	    kn_buf_addf(out, "  \n**%s:** ", knp_word(en, KNP_W_AS_OF)) ==
	    -1 || kn_render_day(out, rep->opts.as_of, en) == -1 ||
	    kn_buf_adds(out, "\n\n") == -1)
		goto out;
	kn_buf_reset(&b);
	if (rep->nproblems == 0) {
		rc = kn_buf_addf(out, "%s\n", knp_word(en, KNP_W_NOTHING));
		goto out;
	}
	if (knp_digest_lead(&b, rep, en) == -1 ||
	    md_escs(out, kn_buf_str(&b)) == -1 ||
	    kn_buf_adds(out, "\n\n") == -1)
		goto out;
	if ((tb = knp_digest_table(rep, ro)) == NULL)
		goto out;
	if (md_table(out, tb) == -1) {
		knp_table_free(tb);
		goto out;
	}
	knp_table_free(tb);
	for (i = 0; i < rep->nfields; i++) {
		const struct kn_digest_field *f = &rep->fields[i];

		kn_buf_reset(&b);
		if (kn_buf_addf(out, "## %zu. ", i + 1) == -1 ||
		    kn_label_value(&b, "field", f->code, en, ro->fields) ==
		    -1 || md_escs(out, kn_buf_str(&b)) == -1 ||
		    kn_buf_adds(out, "\n\n*") == -1)
			goto out;
		kn_buf_reset(&b);
		if (knp_field_figures(&b, f, en) == -1 ||
		    md_escs(out, kn_buf_str(&b)) == -1 ||
		    kn_buf_adds(out, "*\n\n") == -1)
			goto out;
		for (j = 0; j < f->nproblems; j++) {
			const struct kn_problem *p = f->problems[j];

			kn_buf_reset(&b);
			if (kn_buf_addf(out, "### %zu.%zu. ", i + 1, j + 1) ==
			    -1 || knp_problem_heading(&b, p) == -1 ||
			    md_escs(out, kn_buf_str(&b)) == -1 ||
			    kn_buf_adds(out, "\n\n") == -1)
				goto out;
			if (!knp_heading_is_text(p) && (kn_buf_adds(out,
			    "> ") == -1 || md_escs(out, p->text) == -1 ||
			    kn_buf_adds(out, "\n\n") == -1))
				goto out;
			kn_buf_reset(&b);
			if (kn_buf_addf(out, "- **%s (%zu):** ", knp_word(en,
			    KNP_W_RAISED_BY), p->ncommunes) == -1 ||
			    knp_commune_list(&b, rep, p) == -1 ||
			    md_escs(out, kn_buf_str(&b)) == -1)
				goto out;
			kn_buf_reset(&b);
			if (kn_buf_addf(out, "\n- **%s:** ", knp_word(en,
			    KNP_W_DEPARTMENT)) == -1 ||
			    knp_department_list(&b, p, en) == -1 ||
			    md_escs(out, kn_buf_str(&b)) == -1)
				goto out;
			kn_buf_reset(&b);
			if (p->answer_kind == KN_ANSWER_GIVEN) {
				if (kn_buf_addf(out, "\n- **%s**", knp_word(en,
				    KNP_W_ANSWERED)) == -1 ||
				    knp_answer_source(&b, p, en) == -1 ||
				    (b.len > 0 && (kn_buf_addc(out, ' ') ==
				    -1 || md_escs(out, kn_buf_str(&b)) ==
				    -1)) || kn_buf_adds(out, ": ") == -1 ||
				    md_escs(out, p->answer) == -1)
					goto out;
			} else if (p->answer_kind == KN_ANSWER_SUGGESTED) {
				if (kn_buf_addf(out, "\n- **%s** (*%s*): ",
				    knp_word(en, KNP_W_SUGGESTED), knp_word(en,
				    KNP_W_SUGGESTED_NOTE)) == -1 ||
				    md_escs(out, p->answer) == -1)
					goto out;
			} else if (kn_buf_addf(out, "\n- **%s.**",
			    knp_no_answer(p, en)) == -1)
				goto out;
			kn_buf_reset(&b);
			if (p->noverdue > 0 && p->answer_kind !=
			    KN_ANSWER_GIVEN && (kn_buf_addf(out, "\n- **%s:** ",
			    knp_word(en, KNP_W_OVERDUE)) == -1 ||
			    knp_overdue_note(&b, p, rep, en) == -1 ||
			    md_escs(out, kn_buf_str(&b)) == -1))
				goto out;
			if (kn_buf_adds(out, "\n\n") == -1)
				goto out;
		}
	}
	if (out->len > 1 && out->data[out->len - 1] == '\n' &&
	    out->data[out->len - 2] == '\n')
		out->data[--out->len] = '\0';
	rc = 0;
out:
	kn_buf_free(&b);
	return rc;
}

/* ---- the digest in JSON ---- */

static int
json_digest(struct kn_buf *out, const struct kn_report *rep)
{
	size_t i, j, k;

	if (json_filters(out, rep) == -1 ||
	    kn_buf_adds(out, "  \"fields\": [") == -1)
		return -1;
	for (i = 0; i < rep->nfields; i++) {
		const struct kn_digest_field *f = &rep->fields[i];

		if (kn_buf_adds(out, i > 0 ? ",\n    " : "\n    ") == -1 ||
		    kn_buf_adds(out, "{\"field\": ") == -1 ||
		    jstr(out, f->code) == -1 ||
		    kn_buf_addf(out, ", \"communes\": %zu, \"count\": %lu, "
		    "\"problems\": [", f->ncommunes, f->count) == -1)
			return -1;
		for (j = 0; j < f->nproblems; j++) {
			const struct kn_problem *p = f->problems[j];
			static const char *const kind[] = { "", "suggested",
			    "answered" };

			if (kn_buf_adds(out, j > 0 ? ",\n      " :
			    "\n      ") == -1 ||
			    kn_buf_adds(out, "{\"group\": ") == -1 ||
			    jstr(out, p->id) == -1 ||
			    kn_buf_adds(out, ", \"title\": ") == -1 ||
			    jstr(out, p->title) == -1 ||
			    kn_buf_adds(out, ", \"text\": ") == -1 ||
			    jstr(out, p->text) == -1 ||
			    kn_buf_adds(out, ", \"communes\": [") == -1)
				return -1;
			for (k = 0; k < p->ncommunes; k++)
				if ((k > 0 && kn_buf_adds(out, ", ") == -1) ||
				    jstr(out, rep->communes[p->communes[k]]) ==
				    -1)
					return -1;
			if (kn_buf_addf(out, "], \"count\": %lu, "
			    "\"departments\": [", p->count) == -1)
				return -1;
			for (k = 0; k < p->ndepartments; k++)
				if ((k > 0 && kn_buf_adds(out, ", ") == -1) ||
				    jstr(out, p->departments[k]) == -1)
					return -1;
			if (kn_buf_adds(out, "], \"answer\": ") == -1)
				return -1;
			if (p->answer_kind == KN_ANSWER_NONE) {
				if (kn_buf_adds(out, "null") == -1)
					return -1;
			} else if (kn_buf_addf(out, "{\"status\": \"%s\", "
			    "\"text\": ", kind[p->answer_kind]) == -1 ||
			    jstr(out, p->answer) == -1 ||
			    kn_buf_adds(out, ", \"answered_by\": ") == -1 ||
			    jstr(out, p->answered_by) == -1 ||
			    kn_buf_adds(out, ", \"answered_at\": ") == -1 ||
			    jstr(out, p->answered_at) == -1 ||
			    kn_buf_addc(out, '}') == -1)
				return -1;
			if (kn_buf_addf(out, ", \"overdue\": %lu, "
			    "\"oldest_due\": ", p->noverdue) == -1 ||
			    jday(out, p->oldest_due) == -1 ||
			    kn_buf_addc(out, '}') == -1)
				return -1;
		}
		if (kn_buf_adds(out, f->nproblems > 0 ? "\n    ]}" : "]}") ==
		    -1)
			return -1;
	}
	if (kn_buf_adds(out, rep->nfields > 0 ? "\n  ],\n" : "],\n") == -1)
		return -1;
	return kn_buf_addf(out, "  \"problems\": %zu,\n  \"total\": %lu\n}\n",
	    rep->nproblems, rep->ncounted);
}

/* ---- entry points ---- */

int
kn_report_format_parse(const char *name)
{
	static const struct {
		const char	*name;
		int		 fmt;
	} names[] = {
		{ "text", KN_REPORT_TEXT }, { "txt", KN_REPORT_TEXT },
		{ "csv", KN_REPORT_CSV }, { "json", KN_REPORT_JSON },
		{ "md", KN_REPORT_MD }, { "markdown", KN_REPORT_MD },
		{ "html", KN_REPORT_HTML }, { "htm", KN_REPORT_HTML }
	};
	size_t i;

	for (i = 0; i < NITEMS(names); i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].fmt;
	return -1;
}

int
kn_report_format_of_path(const char *path)
{
	const char *dot, *slash;
	char ext[16];
	size_t i;

	if (path == NULL || (dot = strrchr(path, '.')) == NULL)
		return -1;
	if ((slash = strrchr(path, '/')) != NULL && slash > dot)
		return -1;
	/* "REPORT.HTML" from a Windows share is HTML too. */
	for (i = 0; dot[i + 1] != '\0'; i++) {
		if (i + 1 == sizeof(ext))
			return -1;
		ext[i] = (char)tolower((unsigned char)dot[i + 1]);
	}
	ext[i] = '\0';
	return kn_report_format_parse(ext);
}

enum kn_order
kn_report_order(const struct kn_report *rep, enum kn_report_format format)
{
	const char *first = rep->nby > 0 ? rep->by[0] : "";

	if (format == KN_REPORT_CSV || format == KN_REPORT_JSON)
		return KN_ORDER_KEYS;
	/* A time series reads in the order of time. */
	if (strcmp(first, "week") == 0 || strcmp(first, "month") == 0 ||
	    strcmp(first, "submitted") == 0 || strcmp(first, "due") == 0)
		return KN_ORDER_FIRST_KEY;
	return KN_ORDER_COUNT;
}

int
kn_render(struct kn_buf *out, const struct kn_report *rep,
    const struct kn_render_opts *ro, struct kn_error *err)
{
	struct knp_doc *d = NULL;
	int rc = -1;

	if (ro->format == KN_REPORT_CSV && rep->groups == NULL) {
		kn_error_set(err, KN_EINVAL, NULL, 0, rep->problem_index !=
		    NULL ? "the digest is not written as csv" : "csv holds "
		    "one table: it needs --by");
		return -1;
	}
	if (rep->problem_index != NULL) {
		switch (ro->format) {
		case KN_REPORT_TEXT: rc = text_digest(out, rep, ro); break;
		case KN_REPORT_MD: rc = md_digest(out, rep, ro); break;
		case KN_REPORT_JSON: rc = json_digest(out, rep); break;
		default: rc = knp_render_html(out, rep, ro); break;
		}
		goto out;
	}
	switch (ro->format) {
	case KN_REPORT_CSV:
		rc = render_csv(out, rep->groups);
		goto out;
	case KN_REPORT_JSON:
		rc = render_json(out, rep);
		goto out;
	case KN_REPORT_HTML:
		rc = knp_render_html(out, rep, ro);
		goto out;
	default:
		break;
	}
	if ((d = knp_doc_build(rep, ro)) == NULL)
		goto out;
	rc = ro->format == KN_REPORT_MD ? render_md(out, d) :
	    render_text(out, d, text_width(ro));
out:
	knp_doc_free(d);
	if (rc == -1)
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
	return rc;
}
