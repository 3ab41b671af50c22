/*
 * report.c: counting records for kn-report: windows on submitted,
 * overdue, tallies of key values, the summary and the dialogue digest.
 *
 * Nothing here keeps a record.  A tally keeps one group per distinct
 * tuple of values; the digest keeps one problem per distinct group id,
 * with only its representative's text and the best answer seen.  The
 * communes that raised a group are a bit set over the communes seen so
 * far (166 communes: 21 bytes a group).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/collate.h"
#include "kn/date.h"
#include "kn/report.h"
#include "kn/text.h"

#define LABEL_MAX 400	/* bytes of a problem's text kept as a group label */

/* ---- windows ---- */

void
kn_window_init(struct kn_window *w)
{
	w->since = KN_DAY_MIN;
	w->until = KN_DAY_MAX;
}

int
kn_window_is_set(const struct kn_window *w)
{
	return w->since != KN_DAY_MIN || w->until != KN_DAY_MAX;
}

int
kn_window_contains(const struct kn_window *w, long day)
{
	return day >= w->since && day <= w->until;
}

static void
narrow(struct kn_window *w, long since, long until)
{
	if (since > w->since)
		w->since = since;
	if (until < w->until)
		w->until = until;
}

int
kn_window_since(struct kn_window *w, const char *date, struct kn_error *err)
{
	long day;

	if (kn_date_parse(date, &day, err) == -1)
		return -1;
	narrow(w, day, KN_DAY_MAX);
	return 0;
}

int
kn_window_until(struct kn_window *w, const char *date, struct kn_error *err)
{
	long day;

	if (kn_date_parse(date, &day, err) == -1)
		return -1;
	narrow(w, KN_DAY_MIN, day);
	return 0;
}

/* Read exactly n digits (n > 0) or 1 to -n digits (n < 0) at *p. */
static int
number(const char **p, int n, int *out)
{
	int i, max = n < 0 ? -n : n, v = 0;

	for (i = 0; i < max && isdigit((unsigned char)(*p)[i]); i++)
		v = v * 10 + ((*p)[i] - '0');
	if (i == 0 || (n > 0 && i != n))
		return -1;
	*p += i;
	*out = v;
	return 0;
}

int
kn_window_week(struct kn_window *w, const char *week, struct kn_error *err)
{
	const char *p = week;
	long monday;
	int y, n;

	if (number(&p, 4, &y) == 0) {
		if (*p == '-')
			p++;
		if ((*p == 'W' || *p == 'w') && (p++, number(&p, -2, &n)) ==
		    0 && *p == '\0' && kn_date_from_isoweek(y, n, &monday) ==
		    0) {
			narrow(w, monday, monday + 6);
			return 0;
		}
	}
	kn_error_set(err, KN_EINVAL, NULL, 0, "\"%s\" is not an ISO week "
	    "(expected YYYY-Www, such as 2025-W40)", week);
	return -1;
}

int
kn_window_month(struct kn_window *w, const char *month, struct kn_error *err)
{
	const char *p = month;
	int y, m, ok = 0;

	if (number(&p, 4, &y) == 0) {
		ok = *p++ == '-' && number(&p, 2, &m) == 0 && *p == '\0';
	} else if (number(&p, -2, &m) == 0)
		ok = *p++ == '/' && number(&p, 4, &y) == 0 && *p == '\0';
	if (!ok || y < 1 || m < 1 || m > 12) {
		kn_error_set(err, KN_EINVAL, NULL, 0, "\"%s\" is not a month "
		    "(expected YYYY-MM, such as 2025-10)", month);
		return -1;
	}
	narrow(w, kn_date_from_ymd(y, m, 1), (m == 12 ?
	    kn_date_from_ymd(y + 1, 1, 1) : kn_date_from_ymd(y, m + 1, 1)) - 1);
	return 0;
}

int
kn_window_last(struct kn_window *w, const char *span, long as_of,
    struct kn_error *err)
{
	const char *p = span;
	int n, unit = 1;

	if (number(&p, -5, &n) == 0 && n > 0) {
		if (*p == 'd' || *p == 'D')
			p++;
		else if (*p == 'w' || *p == 'W') {
			unit = 7;
			p++;
		}
		if (*p == '\0') {
			narrow(w, as_of - ((long)n * unit - 1), as_of);
			return 0;
		}
	}
	kn_error_set(err, KN_EINVAL, NULL, 0, "\"%s\" is not a span of days "
	    "(expected Nd or Nw, such as 7d or 2w)", span);
	return -1;
}

void
kn_week_key(long day, char *buf)
{
	int y, w;

	kn_date_isoweek(day, &y, &w);
	buf[0] = (char)('0' + y / 1000 % 10);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = 'W';
	buf[6] = (char)('0' + w / 10);
	buf[7] = (char)('0' + w % 10);
	buf[8] = '\0';
}

void
kn_month_key(long day, char *buf)
{
	char d[KN_DATE_LEN];

	kn_date_format(day, d);
	memcpy(buf, d, 7);
	buf[7] = '\0';
}

/* ---- overdue ---- */

int
kn_status_settled(const char *s)
{
	return s != NULL && (strcmp(s, "answered") == 0 ||
	    strcmp(s, "closed") == 0 || strcmp(s, "duplicate") == 0);
}

/*
 * The day in a date key of r: 1 and *day when it holds a date, 0 when it
 * is absent, null or "", -1 when it holds something else.  *text is what
 * it holds, for messages; a spreadsheet's day number may come as a JSON
 * number, written into num.
 */
static int
date_key(const struct kn_record *r, const char *key, long *day,
    const char **text, char *num, size_t size)
{
	const char *s = kn_record_str(r, key);
	double n;

	if (s == NULL) {
		if (kn_record_num(r, key, &n) == 0) {
			snprintf(num, size, "%.15g", n);
			s = num;
		} else if (kn_record_type(r, key) > KN_NULL) {
			*text = "(not a string)";
			return -1;
		} else
			s = "";
	}
	*text = s;
	if (*s == '\0')
		return 0;
	return kn_date_parse(s, day, NULL) == 0 ? 1 : -1;
}

int
kn_report_overdue(const struct kn_record *r, long as_of, long *due)
{
	const char *text;
	char num[32];
	int rc;

	if ((rc = date_key(r, "due", due, &text, num, sizeof(num))) != 1)
		return rc;
	if (kn_status_settled(kn_record_str(r, "status")))
		return 0;
	return *due < as_of;
}

/* ---- commune sets ---- */

static int
bits_add(struct kn_cset *s, size_t i)
{
	size_t byte = i / 8;

	if (byte >= s->nbytes) {
		size_t n = byte + 1 < 32 ? 32 : (byte + 1) * 2;
		unsigned char *b;

		if ((b = realloc(s->bits, n)) == NULL)
			return -1;
		memset(b + s->nbytes, 0, n - s->nbytes);
		s->bits = b;
		s->nbytes = n;
	}
	if (s->bits[byte] & (1U << (i % 8)))
		return 0;
	s->bits[byte] |= (unsigned char)(1U << (i % 8));
	return 1;
}

/* Add i: 1 when new, 0 when there already, -1 when out of memory. */
static int
cset_add(struct kn_cset *s, size_t i)
{
	size_t k;

	if (s->bits == NULL) {
		for (k = 0; k < s->nfew; k++)
			if (s->few[k] == i)
				return 0;
		if (s->nfew < KN_CSET_FEW) {
			s->few[s->nfew++] = (unsigned int)i;
			return 1;
		}
		/* Too many to list: a bit set from now on. */
		for (k = 0; k < s->nfew; k++)
			if (bits_add(s, s->few[k]) == -1)
				return -1;
		s->nfew = 0;
	}
	return bits_add(s, i);
}

/* The members of s, in increasing order, one after the other. */
static int
cset_next(const struct kn_cset *s, size_t *pos, size_t *i)
{
	size_t k, best = (size_t)-1;

	if (s->bits != NULL) {
		for (; *pos < s->nbytes * 8; (*pos)++)
			if (s->bits[*pos / 8] & (1U << (*pos % 8))) {
				*i = (*pos)++;
				return 1;
			}
		return 0;
	}
	/* The few: the smallest not below *pos. */
	for (k = 0; k < s->nfew; k++)
		if (s->few[k] >= *pos && (best == (size_t)-1 ||
		    s->few[k] < best))
			best = s->few[k];
	if (best == (size_t)-1)
		return 0;
	*i = best;
	*pos = best + 1;
	return 1;
}

/* Add the members of b to a; how many were new, or -1. */
static long
cset_union(struct kn_cset *a, const struct kn_cset *b)
{
	size_t pos = 0, i;
	long added = 0;
	int rc;

	while (cset_next(b, &pos, &i)) {
		if ((rc = cset_add(a, i)) == -1)
			return -1;
		added += rc;
	}
	return added;
}

static void
cset_free(struct kn_cset *s)
{
	free(s->bits);
	s->bits = NULL;
	s->nbytes = s->nfew = 0;
}

/* ---- NFC ---- */

/*
 * s in NFC, its length in *len: s itself when a quick scan shows it is
 * (ASCII and precomposed Vietnamese, nearly every value), else its NFC
 * form written in scratch.  Text that is not valid UTF-8 is taken as it
 * is.  NULL when out of memory.
 */
static const char *
nfc(struct kn_buf *scratch, const char *s, size_t *len)
{
	if (kn_text_nfc_quick(s, *len) || !kn_utf8_valid(s, *len, NULL))
		return s;
	kn_buf_reset(scratch);
	if (kn_text_nfc(scratch, s, *len) == -1)
		return NULL;
	*len = scratch->len;
	return kn_buf_str(scratch);
}

/* A copy of s in NFC; NULL when out of memory. */
static char *
nfc_dup(const char *s)
{
	struct kn_buf b = KN_BUF_INIT;
	size_t len = strlen(s);
	const char *n;

	if ((n = nfc(&b, s, &len)) == NULL) {
		kn_buf_free(&b);
		return NULL;
	}
	if (n == s)
		return strdup(s);
	return kn_buf_detach(&b);
}

/* ---- tallies ---- */

struct kn_tally *
kn_tally_new(const char *const *keys, size_t nkeys)
{
	struct kn_tally *t;
	size_t i;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if ((t->keys = calloc(nkeys + 1, sizeof(*t->keys))) == NULL ||
	    (t->index = kn_map_new()) == NULL)
		goto fail;
	for (i = 0; i < nkeys; i++) {
		if ((t->keys[i] = strdup(keys[i])) == NULL)
			goto fail;
		t->nkeys++;
	}
	return t;
fail:
	kn_tally_free(t);
	return NULL;
}

static void
group_free(struct kn_group *g, size_t nvals)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < nvals && g->vals != NULL; i++)
		free(g->vals[i]);
	free(g->vals);
	free(g->label);
	cset_free(&g->cset);
	free(g);
}

void
kn_tally_free(struct kn_tally *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ngroups; i++)
		group_free(t->groups[i], t->nkeys);
	free(t->groups);
	for (i = 0; i < t->nkeys; i++)
		free(t->keys[i]);
	free(t->keys);
	kn_map_free(t->index);
	kn_buf_free(&t->kbuf);
	kn_buf_free(&t->nbuf);
	free(t);
}

/* Append n in decimal: a length prefix that keeps tuple keys apart. */
static int
add_len(struct kn_buf *b, size_t n)
{
	char d[24];
	int i = (int)sizeof(d);

	do {
		d[--i] = (char)('0' + n % 10);
		n /= 10;
	} while (n > 0);
	d[--i] = ':';
	return kn_buf_add(b, d + i, sizeof(d) - (size_t)i);
}

static struct kn_group *
group_new(struct kn_tally *t, const char *const *vals)
{
	struct kn_group *g, **gs;
	size_t i;

	if (t->ngroups == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		if ((gs = realloc(t->groups, cap * sizeof(*gs))) == NULL)
			return NULL;
		t->groups = gs;
		t->cap = cap;
	}
	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	if ((g->vals = calloc(t->nkeys + 1, sizeof(*g->vals))) == NULL)
		goto fail;
	for (i = 0; i < t->nkeys; i++)
		if ((g->vals[i] = nfc_dup(vals[i])) == NULL)
			goto fail;
	g->oldest = KN_DAY_MAX;
	t->groups[t->ngroups++] = g;
	return g;
fail:
	group_free(g, t->nkeys);
	return NULL;
}

struct kn_group *
kn_tally_add(struct kn_tally *t, const char *const *vals, long commune,
    long day)
{
	struct kn_group *g;
	const char *v;
	void **slot;
	size_t i, len;
	int created, rc;

	kn_buf_reset(&t->kbuf);
	for (i = 0; i < t->nkeys; i++) {
		len = strlen(vals[i]);
		if ((v = nfc(&t->nbuf, vals[i], &len)) == NULL ||
		    add_len(&t->kbuf, len) == -1 ||
		    kn_buf_add(&t->kbuf, v, len) == -1)
			return NULL;
	}
	if ((slot = kn_map_slot(t->index, kn_buf_str(&t->kbuf), t->kbuf.len,
	    &created)) == NULL)
		return NULL;
	if ((g = *slot) == NULL) {
		if ((g = group_new(t, vals)) == NULL)
			return NULL;
		*slot = g;
	}
	g->count++;
	t->total++;
	if (day < g->oldest)
		g->oldest = day;
	if (commune >= 0) {
		if ((rc = cset_add(&g->cset, (size_t)commune)) == -1)
			return NULL;
		g->ncommunes += (size_t)rc;
	}
	return g;
}

struct sortent {
	struct kn_group	*g;
	struct kn_buf	*keys;
	size_t		 nkeys;
	enum kn_order	 order;
};

static int
cmp_sortent(const void *pa, const void *pb)
{
	const struct sortent *a = pa, *b = pb;
	size_t i;
	int c;

	if (a->order == KN_ORDER_OLDEST && a->g->oldest != b->g->oldest)
		return a->g->oldest < b->g->oldest ? -1 : 1;
	if (a->order == KN_ORDER_FIRST_KEY && a->nkeys > 0 &&
	    (c = kn_collate_keycmp(kn_buf_str(&a->keys[0]), a->keys[0].len,
	    kn_buf_str(&b->keys[0]), b->keys[0].len)) != 0)
		return c;
	if (a->order != KN_ORDER_KEYS && a->g->count != b->g->count)
		return a->g->count > b->g->count ? -1 : 1;
	for (i = 0; i < a->nkeys; i++) {
		c = kn_collate_keycmp(kn_buf_str(&a->keys[i]), a->keys[i].len,
		    kn_buf_str(&b->keys[i]), b->keys[i].len);
		if (c != 0)
			return c;
	}
	for (i = 0; i < a->nkeys; i++)
		if ((c = strcmp(a->g->vals[i], b->g->vals[i])) != 0)
			return c;
	return 0;
}

int
kn_tally_sort(struct kn_tally *t, enum kn_order order)
{
	struct sortent *e;
	struct kn_buf *keys;
	size_t i, j, n = t->ngroups, nk = t->nkeys;
	int rc = 0;

	if (n < 2)
		return 0;
	if ((e = calloc(n, sizeof(*e))) == NULL)
		return -1;
	if ((keys = calloc(n * (nk ? nk : 1), sizeof(*keys))) == NULL) {
		free(e);
		return -1;
	}
	for (i = 0; i < n; i++) {
		e[i].g = t->groups[i];
		e[i].keys = keys + i * nk;
		e[i].nkeys = nk;
		e[i].order = order;
		for (j = 0; j < nk; j++)
			if (kn_collate_key(&e[i].keys[j], e[i].g->vals[j],
			    strlen(e[i].g->vals[j])) == -1)
				rc = -1;
	}
	if (rc == 0) {
		qsort(e, n, sizeof(*e), cmp_sortent);
		for (i = 0; i < n; i++)
			t->groups[i] = e[i].g;
	}
	for (i = 0; i < n * nk; i++)
		kn_buf_free(&keys[i]);
	free(keys);
	free(e);
	return rc;
}

size_t
kn_tally_communes(const struct kn_tally *t)
{
	struct kn_cset all;
	size_t i, n = 0;
	long rc;

	memset(&all, 0, sizeof(all));
	for (i = 0; i < t->ngroups; i++) {
		if ((rc = cset_union(&all, &t->groups[i]->cset)) == -1)
			break;
		n += (size_t)rc;
	}
	cset_free(&all);
	return n;
}

/* ---- values ---- */

int
kn_report_value(const struct kn_record *r, const char *key,
    struct kn_buf *buf, int *bad)
{
	int week = strcmp(key, "week") == 0;

	if (week || strcmp(key, "month") == 0) {
		const char *text;
		char k[KN_WEEK_LEN], num[32];
		long day;

		switch (date_key(r, "submitted", &day, &text, num,
		    sizeof(num))) {
		case 1:
			break;
		case -1:
			*bad = 1;
			/* FALLTHROUGH */
		default:
			return kn_buf_add(buf, "", 0);
		}
		if (week)
			kn_week_key(day, k);
		else
			kn_month_key(day, k);
		return kn_buf_adds(buf, k);
	}
	if (strcmp(key, "group") == 0) {
		const char *g = kn_record_str(r, "group");

		if (g == NULL || *g == '\0')
			key = "id";
	}
	if (kn_record_text(r, key, buf) == -1 && kn_record_has(r, key))
		return -1;
	return kn_buf_add(buf, "", 0);
}

/* ---- the report ---- */

static void
problem_free(struct kn_problem *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->id);
	free(p->field);
	free(p->title);
	free(p->text);
	free(p->answer);
	free(p->answered_by);
	free(p->answered_at);
	for (i = 0; i < p->ndepartments; i++)
		free(p->departments[i]);
	free(p->departments);
	free(p->communes);
	cset_free(&p->cset);
	free(p);
}

void
kn_report_free(struct kn_report *rep)
{
	size_t i;

	if (rep == NULL)
		return;
	for (i = 0; i < rep->nby; i++) {
		free(rep->by[i]);
		kn_buf_free(&rep->vbufs[i]);
	}
	free(rep->by);
	free(rep->vbufs);
	free(rep->vals);
	kn_tally_free(rep->groups);
	kn_tally_free(rep->by_field);
	kn_tally_free(rep->by_status);
	kn_tally_free(rep->by_department);
	kn_tally_free(rep->overdue);
	for (i = 0; i < rep->nfields; i++) {
		free(rep->fields[i].code);
		free(rep->fields[i].problems);
		cset_free(&rep->fields[i].cset);
	}
	free(rep->fields);
	for (i = 0; i < rep->nproblems; i++)
		problem_free(rep->problems[i]);
	free(rep->problems);
	kn_map_free(rep->problem_index);
	for (i = 0; i < rep->ncommune_names; i++)
		free(rep->communes[i]);
	free(rep->communes);
	free(rep->commune_rank);
	kn_map_free(rep->commune_index);
	cset_free(&rep->cset);
	kn_buf_free(&rep->nbuf);
	free(rep);
}

/* Split opts->by into rep->by; the keys must make sense. */
static int
parse_by(struct kn_report *rep, const char *by, struct kn_error *err)
{
	const char *p = by, *comma;
	size_t i, n = 1, len;

	for (p = by; *p != '\0'; p++)
		n += *p == ',';
	if ((rep->by = calloc(n, sizeof(*rep->by))) == NULL ||
	    (rep->vbufs = calloc(n, sizeof(*rep->vbufs))) == NULL ||
	    (rep->vals = calloc(n, sizeof(*rep->vals))) == NULL)
		goto nomem;
	for (p = by;; p = comma + 1) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		while (len > 0 && *p == ' ') {
			p++;
			len--;
		}
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0) {
			kn_error_set(err, KN_EINVAL, NULL, 0, "\"%s\": a key "
			    "is empty (expected keys separated by commas, such "
			    "as field,status)", by);
			return -1;
		}
		if ((rep->by[rep->nby] = strndup(p, len)) == NULL)
			goto nomem;
		for (i = 0; i < rep->nby; i++)
			if (strcmp(rep->by[i], rep->by[rep->nby]) == 0) {
				kn_error_set(err, KN_EINVAL, NULL, 0, "key "
				    "\"%s\" is repeated", rep->by[i]);
				free(rep->by[rep->nby]);
				return -1;
			}
		if (strcmp(rep->by[rep->nby], "count") == 0) {
			kn_error_set(err, KN_EINVAL, NULL, 0, "\"count\" is "
			    "the name of the count itself; it cannot be a "
			    "key");
			free(rep->by[rep->nby]);
			return -1;
		}
		rep->nby++;
		if (comma == NULL)
			break;
	}
	return 0;
nomem:
	kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
	return -1;
}

struct kn_report *
kn_report_new(const struct kn_report_opts *opts, struct kn_error *err)
{
	static const char *const kfield[] = { "field" };
	static const char *const kstatus[] = { "status" };
	static const char *const kdept[] = { "department" };
	struct kn_report *rep;

	if ((rep = calloc(1, sizeof(*rep))) == NULL) {
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
		return NULL;
	}
	rep->opts = *opts;
	rep->opts.by = NULL;
	if ((rep->commune_index = kn_map_new()) == NULL)
		goto nomem;
	if (opts->by != NULL) {
		if (parse_by(rep, opts->by, err) == -1)
			goto fail;
		if ((rep->groups = kn_tally_new((const char *const *)rep->by,
		    rep->nby)) == NULL)
			goto nomem;
	} else if (opts->digest) {
		if ((rep->problem_index = kn_map_new()) == NULL)
			goto nomem;
	} else if ((rep->by_field = kn_tally_new(kfield, 1)) == NULL ||
	    (rep->by_status = kn_tally_new(kstatus, 1)) == NULL ||
	    (rep->by_department = kn_tally_new(kdept, 1)) == NULL ||
	    (rep->overdue = kn_tally_new(kdept, 1)) == NULL)
		goto nomem;
	return rep;
nomem:
	kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
fail:
	kn_report_free(rep);
	return NULL;
}

long
kn_report_commune(struct kn_report *rep, const char *name)
{
	void **slot;
	size_t len = strlen(name);
	int created;

	if ((name = nfc(&rep->nbuf, name, &len)) == NULL ||
	    (slot = kn_map_slot(rep->commune_index, name, len, &created)) ==
	    NULL)
		return -1;
	if (created) {
		size_t n = rep->ncommune_names;

		if (n == rep->commune_cap) {
			size_t cap = n ? n * 2 : 64;
			char **c = realloc(rep->communes, cap * sizeof(*c));

			if (c == NULL)
				return -1;
			rep->communes = c;
			rep->commune_cap = cap;
		}
		if ((rep->communes[n] = strdup(name)) == NULL)
			return -1;
		*slot = (void *)(n + 1);
		rep->ncommune_names++;
	}
	return (long)((size_t)*slot - 1);
}

/* A copy of s cut to about max bytes at a character boundary, with "…". */
static char *
cut(const char *s, size_t max)
{
	size_t len = strlen(s);
	char *c;

	if (len <= max)
		return strdup(s);
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	while (max > 0 && s[max - 1] == ' ')
		max--;
	if ((c = malloc(max + 4)) == NULL)
		return NULL;
	memcpy(c, s, max);
	memcpy(c + max, "\xe2\x80\xa6", 4);
	return c;
}

/* Replace *dst with a copy of src; -1 when out of memory. */
static int
reset_str(char **dst, const char *src)
{
	char *s;

	if ((s = strdup(src != NULL ? src : "")) == NULL)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

/* Replace *dst with a copy of src in NFC; -1 when out of memory. */
static int
reset_nfc(char **dst, const char *src)
{
	char *s;

	if ((s = nfc_dup(src != NULL ? src : "")) == NULL)
		return -1;
	free(*dst);
	*dst = s;
	return 0;
}

static int
answer_kind(const struct kn_record *r)
{
	const char *status = kn_record_strz(r, "status");
	const char *answer = kn_record_strz(r, "answer");

	if (*answer == '\0')
		return KN_ANSWER_NONE;
	if (strcmp(status, "answered") == 0 || strcmp(status, "closed") == 0)
		return KN_ANSWER_GIVEN;
	if (strcmp(status, "suggested") == 0)
		return KN_ANSWER_SUGGESTED;
	return KN_ANSWER_NONE;
}

static int
add_department(struct kn_problem *p, const char *d, int first,
    struct kn_buf *scratch)
{
	size_t i, len = strlen(d);
	char **ds;

	if (*d == '\0')
		return 0;
	if ((d = nfc(scratch, d, &len)) == NULL)
		return -1;
	for (i = 0; i < p->ndepartments; i++)
		if (strcmp(p->departments[i], d) == 0)
			break;
	if (i == p->ndepartments) {
		if ((ds = realloc(p->departments, (p->ndepartments + 1) *
		    sizeof(*ds))) == NULL)
			return -1;
		p->departments = ds;
		if ((ds[i] = strdup(d)) == NULL)
			return -1;
		p->ndepartments++;
	}
	if (first && i > 0) {	/* the representative's comes first */
		char *t = p->departments[i];

		memmove(p->departments + 1, p->departments, i *
		    sizeof(*p->departments));
		p->departments[0] = t;
	}
	return 0;
}

static struct kn_problem *
problem_get(struct kn_report *rep, const char *key)
{
	struct kn_problem *p, **ps;
	void **slot;
	int created;

	if ((slot = kn_map_slot(rep->problem_index, key, strlen(key),
	    &created)) == NULL)
		return NULL;
	if (*slot != NULL)
		return *slot;
	if (rep->nproblems == rep->problems_cap) {
		size_t cap = rep->problems_cap ? rep->problems_cap * 2 : 64;

		if ((ps = realloc(rep->problems, cap * sizeof(*ps))) == NULL)
			return NULL;
		rep->problems = ps;
		rep->problems_cap = cap;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	if ((p->id = strdup(key)) == NULL) {
		free(p);
		return NULL;
	}
	p->oldest_due = KN_DAY_MAX;
	p->order = rep->nproblems;
	rep->problems[rep->nproblems++] = p;
	*slot = p;
	return p;
}

static int
digest_add(struct kn_report *rep, const struct kn_record *r, long commune,
    int overdue, long due)
{
	struct kn_buf key = KN_BUF_INIT;
	struct kn_problem *p;
	const char *id = kn_record_strz(r, "id"), *k;
	size_t len;
	int is_rep, fresh, kind, rc;

	if (strcmp(kn_record_strz(r, "status"), "duplicate") == 0)
		return 0;	/* the same proposal again: not a new voice */
	if (kn_report_value(r, "group", &key, &rc) == -1)
		return -1;
	if (key.len == 0 && kn_buf_addf(&key, "%s:%ld", kn_record_source(r),
	    kn_record_line(r)) == -1)
		return -1;
	len = key.len;
	if ((k = nfc(&rep->nbuf, kn_buf_str(&key), &len)) == NULL) {
		kn_buf_free(&key);
		return -1;
	}
	p = problem_get(rep, k);
	is_rep = strcmp(id, kn_buf_str(&key)) == 0;
	kn_buf_free(&key);
	if (p == NULL)
		return -1;
	fresh = p->count == 0;
	if (fresh || (is_rep && !p->has_rep)) {
		if (reset_nfc(&p->field, kn_record_str(r, "field")) == -1 ||
		    reset_str(&p->title, kn_record_str(r, "title")) == -1 ||
		    reset_str(&p->text, kn_record_str(r, "text")) == -1)
			return -1;
		p->has_rep = is_rep;
	}
	kind = answer_kind(r);
	if (fresh || kind > p->answer_kind || (kind == p->answer_kind &&
	    is_rep && kind != KN_ANSWER_NONE)) {
		if (reset_str(&p->answer, kn_record_str(r, "answer")) == -1 ||
		    reset_str(&p->answered_by, kn_record_str(r,
		    "answered_by")) == -1 ||
		    reset_str(&p->answered_at, kn_record_str(r,
		    "answered_at")) == -1)
			return -1;
		p->answer_kind = kind;
	}
	if (add_department(p, kn_record_strz(r, "department"), is_rep,
	    &rep->nbuf) == -1)
		return -1;
	p->count++;
	p->nclosed += strcmp(kn_record_strz(r, "status"), "closed") == 0;
	if (commune >= 0) {
		if ((rc = cset_add(&p->cset, (size_t)commune)) == -1)
			return -1;
		p->ncommunes += (size_t)rc;
	}
	if (overdue == 1) {
		p->noverdue++;
		if (due < p->oldest_due)
			p->oldest_due = due;
	}
	return 0;
}

/* Count r in the tally of --by. */
static int
groups_add(struct kn_report *rep, const struct kn_record *r, long commune,
    int *bad)
{
	struct kn_group *g;
	size_t i;
	int group_key = -1;

	for (i = 0; i < rep->nby; i++) {
		kn_buf_reset(&rep->vbufs[i]);
		if (kn_report_value(r, rep->by[i], &rep->vbufs[i], bad) == -1)
			return -1;
		rep->vals[i] = rep->vbufs[i].data;	/* never NULL */
		if (strcmp(rep->by[i], "group") == 0)
			group_key = (int)i;
	}
	if ((g = kn_tally_add(rep->groups, (const char *const *)rep->vals,
	    commune, KN_DAY_MAX)) == NULL)
		return -1;
	if (group_key >= 0 && (g->label == NULL || strcmp(kn_record_strz(r,
	    "id"), rep->vals[group_key]) == 0)) {
		const char *title = kn_record_strz(r, "title");
		char *label = cut(*title ? title : kn_record_strz(r, "text"),
		    LABEL_MAX);

		if (label == NULL)
			return -1;
		free(g->label);
		g->label = label;
	}
	return 0;
}

static int
summary_add(struct kn_report *rep, const struct kn_record *r, long commune,
    int overdue, long due)
{
	const char *v[1];

	v[0] = kn_record_strz(r, "field");
	if (kn_tally_add(rep->by_field, v, commune, KN_DAY_MAX) == NULL)
		return -1;
	v[0] = kn_record_strz(r, "status");
	if (kn_tally_add(rep->by_status, v, commune, KN_DAY_MAX) == NULL)
		return -1;
	v[0] = kn_record_strz(r, "department");
	if (kn_tally_add(rep->by_department, v, commune, KN_DAY_MAX) == NULL)
		return -1;
	if (overdue == 1 && kn_tally_add(rep->overdue, v, commune, due) ==
	    NULL)
		return -1;
	return 0;
}

int
kn_report_add(struct kn_report *rep, const struct kn_record *r,
    struct kn_buf *warn)
{
	const char *text, *name;
	char num[32];
	long day = 0, due = KN_DAY_MAX, commune = -1;
	int overdue = 0, bad = 0, need_overdue, rc;
	size_t i;

	rep->nseen++;
	if (kn_window_is_set(&rep->opts.window)) {
		switch (date_key(r, "submitted", &day, &text, num,
		    sizeof(num))) {
		case 0:
			rep->nundated++;
			return 0;
		case -1:
			if (kn_buf_addf(warn, "submitted \"%s\" is not a date; "
			    "left out of the window\n", text) == -1)
				return -1;
			return 0;
		}
		if (!kn_window_contains(&rep->opts.window, day))
			return 0;
	}
	need_overdue = rep->opts.overdue || rep->groups == NULL;
	if (need_overdue) {
		overdue = kn_report_overdue(r, rep->opts.as_of, &due);
		if (overdue == -1) {
			date_key(r, "due", &due, &text, num, sizeof(num));
			if (kn_buf_addf(warn, "due \"%s\" is not a date; not "
			    "counted as overdue\n", text) == -1)
				return -1;
		}
		if (rep->opts.overdue && overdue != 1)
			return 0;
	}
	name = kn_record_strz(r, "commune");
	if (*name != '\0') {
		if ((commune = kn_report_commune(rep, name)) == -1)
			return -1;
		if ((rc = cset_add(&rep->cset, (size_t)commune)) == -1)
			return -1;
		rep->ncommunes += (size_t)rc;
	}
	rep->ncounted++;
	rep->noverdue += overdue == 1;
	if (rep->groups != NULL) {
		if (groups_add(rep, r, commune, &bad) == -1)
			return -1;
		if (bad) {
			for (i = 0; i < rep->nby; i++)
				if (strcmp(rep->by[i], "week") == 0 ||
				    strcmp(rep->by[i], "month") == 0)
					break;
			date_key(r, "submitted", &day, &text, num,
			    sizeof(num));
			if (kn_buf_addf(warn, "submitted \"%s\" is not a date; "
			    "counted under %s \"\"\n", text, i < rep->nby ?
			    rep->by[i] : "week") == -1)
				return -1;
		}
	} else if (rep->problem_index != NULL) {
		if (digest_add(rep, r, commune, overdue, due) == -1)
			return -1;
	} else if (summary_add(rep, r, commune, overdue, due) == -1)
		return -1;
	return 1;
}

/* ---- finishing ---- */

struct rankent {
	size_t		 i;
	struct kn_buf	 key;
};

static int
cmp_rankent(const void *pa, const void *pb)
{
	const struct rankent *a = pa, *b = pb;

	return kn_collate_keycmp(kn_buf_str(&a->key), a->key.len,
	    kn_buf_str(&b->key), b->key.len);
}

static int
rank_communes(struct kn_report *rep)
{
	struct rankent *e;
	size_t i, n = rep->ncommune_names;
	int rc = 0;

	if ((rep->commune_rank = calloc(n + 1, sizeof(size_t))) == NULL ||
	    (e = calloc(n + 1, sizeof(*e))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		e[i].i = i;
		if (kn_collate_key(&e[i].key, rep->communes[i],
		    strlen(rep->communes[i])) == -1)
			rc = -1;
	}
	if (rc == 0) {
		qsort(e, n, sizeof(*e), cmp_rankent);
		for (i = 0; i < n; i++)
			rep->commune_rank[e[i].i] = i;
	}
	for (i = 0; i < n; i++)
		kn_buf_free(&e[i].key);
	free(e);
	return rc;
}

static const size_t *rank_for_sort;	/* qsort has no context argument */

static int
cmp_by_rank(const void *pa, const void *pb)
{
	size_t a = rank_for_sort[*(const size_t *)pa];
	size_t b = rank_for_sort[*(const size_t *)pb];

	return a < b ? -1 : a > b;
}

static int
cmp_problem(const void *pa, const void *pb)
{
	const struct kn_problem *a = *(struct kn_problem *const *)pa;
	const struct kn_problem *b = *(struct kn_problem *const *)pb;

	if (a->ncommunes != b->ncommunes)
		return a->ncommunes > b->ncommunes ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

static int
cmp_dfield(const void *pa, const void *pb)
{
	const struct kn_digest_field *a = pa, *b = pb;

	if (a->ncommunes != b->ncommunes)
		return a->ncommunes > b->ncommunes ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->nproblems != b->nproblems)
		return a->nproblems > b->nproblems ? -1 : 1;
	return kn_collate_cmp(a->code, b->code);
}

static int
finish_digest(struct kn_report *rep)
{
	struct kn_map *fidx;
	struct kn_digest_field *f;
	struct kn_problem *p;
	size_t i, j, k, *fof = NULL;
	long added;
	void **slot;
	int created;

	if ((fidx = kn_map_new()) == NULL)
		return -1;
	/* The communes of each problem, in Vietnamese order. */
	rank_for_sort = rep->commune_rank;
	for (i = 0; i < rep->nproblems; i++) {
		p = rep->problems[i];
		if ((p->communes = calloc(p->ncommunes + 1,
		    sizeof(*p->communes))) == NULL)
			goto fail;
		for (j = k = 0; k < p->ncommunes && cset_next(&p->cset, &j,
		    &p->communes[k]); k++)
			;
		qsort(p->communes, p->ncommunes, sizeof(*p->communes),
		    cmp_by_rank);
	}
	/* Problems under their fields: count them, then place them. */
	if ((fof = calloc(rep->nproblems + 1, sizeof(*fof))) == NULL)
		goto fail;
	for (i = 0; i < rep->nproblems; i++) {
		p = rep->problems[i];
		if ((slot = kn_map_slot(fidx, p->field, strlen(p->field),
		    &created)) == NULL)
			goto fail;
		if (created)
			*slot = (void *)(kn_map_count(fidx));
		fof[i] = (size_t)*slot - 1;
	}
	if ((rep->fields = calloc(kn_map_count(fidx) + 1,
	    sizeof(*rep->fields))) == NULL)
		goto fail;
	for (i = 0; i < kn_map_count(fidx); i++) {
		rep->nfields++;
		if ((rep->fields[i].code = strdup(kn_map_key_at(fidx, i,
		    NULL))) == NULL)
			goto fail;
	}
	for (i = 0; i < rep->nproblems; i++)
		rep->fields[fof[i]].nproblems++;
	for (i = 0; i < rep->nfields; i++) {
		f = &rep->fields[i];
		if ((f->problems = calloc(f->nproblems,
		    sizeof(*f->problems))) == NULL)
			goto fail;
		f->nproblems = 0;
	}
	for (i = 0; i < rep->nproblems; i++) {
		p = rep->problems[i];
		f = &rep->fields[fof[i]];
		f->problems[f->nproblems++] = p;
		f->count += p->count;
		if ((added = cset_union(&f->cset, &p->cset)) == -1)
			goto fail;
		f->ncommunes += (size_t)added;
		if (p->answer_kind == KN_ANSWER_GIVEN)
			f->nanswered++;
		else if (p->answer_kind == KN_ANSWER_SUGGESTED)
			f->nsuggested++;
		else
			f->nunanswered++;
	}
	for (i = 0; i < rep->nfields; i++) {
		f = &rep->fields[i];
		qsort(f->problems, f->nproblems, sizeof(*f->problems),
		    cmp_problem);
	}
	qsort(rep->fields, rep->nfields, sizeof(*rep->fields), cmp_dfield);
	kn_map_free(fidx);
	free(fof);
	return 0;
fail:
	kn_map_free(fidx);
	free(fof);
	return -1;
}

int
kn_report_finish(struct kn_report *rep, enum kn_order order)
{
	if (rank_communes(rep) == -1)
		return -1;
	if (rep->groups != NULL && kn_tally_sort(rep->groups, order) == -1)
		return -1;
	if (rep->by_field != NULL && (kn_tally_sort(rep->by_field, order) ==
	    -1 || kn_tally_sort(rep->by_status, order) == -1 ||
	    kn_tally_sort(rep->by_department, order) == -1 ||
	    kn_tally_sort(rep->overdue, order == KN_ORDER_KEYS ?
	    KN_ORDER_KEYS : KN_ORDER_OLDEST) == -1))
		return -1;
	if (rep->problem_index != NULL && finish_digest(rep) == -1)
		return -1;
	return 0;
}
