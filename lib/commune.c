/*
 * commune.c: the commune registry.
 *
 * Every unit is indexed under the key (folded syllables) of its name,
 * and every former unit under its own name's key, with its type and
 * the district the resolution names, if any.  The index is a sorted
 * array searched by bisection.
 */
#include <stdlib.h>
#include <string.h>

#include "kn_private.h"

#define MAX_CANDIDATES 8

enum { T_ANY = 0, T_XA, T_PHUONG, T_THITRAN };

struct entry {
	char	*key;		/* folded name, e.g. "ha vinh" */
	char	*district;	/* folded district qualifier, or NULL */
	size_t	 unit;
	int	 type;
	int	 former;
};

struct kn_communes {
	struct kn_commune *u;
	size_t		 nu;
	struct entry	*e;
	size_t		 ne, cape;
};

static int
type_of(const char *folded)
{
	if (strcmp(folded, "xa") == 0)
		return T_XA;
	if (strcmp(folded, "phuong") == 0)
		return T_PHUONG;
	if (strcmp(folded, "thi tran") == 0)
		return T_THITRAN;
	return T_ANY;
}

static int
add_entry(struct kn_communes *c, const char *key, const char *district,
    size_t unit, int type, int former)
{
	struct entry *e;

	if (c->ne == c->cape) {
		size_t cap = c->cape ? c->cape * 2 : 512;

		if ((e = realloc(c->e, cap * sizeof(*e))) == NULL)
			return -1;
		c->e = e;
		c->cape = cap;
	}
	e = &c->e[c->ne];
	memset(e, 0, sizeof(*e));
	if ((e->key = strdup(key)) == NULL)
		return -1;
	if (district != NULL && (e->district = strdup(district)) == NULL) {
		free(e->key);
		return -1;
	}
	e->unit = unit;
	e->type = type;
	e->former = former;
	c->ne++;
	return 0;
}

/*
 * "phường Ba Đình (thị xã Bỉm Sơn)" or "phường Đông Thọ (một phần)".
 * A unit split among several new ones is indexed under each, so that
 * its name alone is ambiguous.
 */
static int
add_former(struct kn_communes *c, size_t unit, const char *s, size_t len)
{
	struct kn_buf key = KN_BUF_INIT, qual = KN_BUF_INIT;
	const char *open = memchr(s, '(', len), *close;
	const char *name;
	int type = T_ANY, rc = -1;
	const char *dist = NULL;

	if (kn_text_key(&key, s, open != NULL ? (size_t)(open - s) : len) ==
	    -1)
		goto out;
	while (open != NULL) {
		close = memchr(open, ')', len - (size_t)(open - s));
		if (close == NULL)
			break;
		kn_buf_reset(&qual);
		if (kn_text_key(&qual, open + 1, (size_t)(close - open - 1)) ==
		    -1)
			goto out;
		if (strncmp(qual.data, "mot phan", 8) != 0 &&
		    strncmp(qual.data, "phan con lai", 12) != 0 &&
		    strcmp(qual.data, "khong sap xep") != 0)
			dist = qual.data;
		if (dist != NULL)
			break;
		open = memchr(close, '(', len - (size_t)(close - s));
	}
	name = key.data;
	if (strncmp(name, "xa ", 3) == 0)
		type = T_XA, name += 3;
	else if (strncmp(name, "phuong ", 7) == 0)
		type = T_PHUONG, name += 7;
	else if (strncmp(name, "thi tran ", 9) == 0)
		type = T_THITRAN, name += 9;
	if (dist != NULL) {
		/* keep the district's name only: "thi xa bim son" -> "bim son" */
		static const char *const pre[] = { "thanh pho ", "thi xa ",
		    "huyen ", NULL };
		int i;

		for (i = 0; pre[i] != NULL; i++)
			if (strncmp(dist, pre[i], strlen(pre[i])) == 0) {
				dist += strlen(pre[i]);
				break;
			}
	}
	rc = add_entry(c, name, dist, unit, type, 1);
out:
	kn_buf_free(&key);
	kn_buf_free(&qual);
	return rc;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int d = strcmp(x->key, y->key);

	if (d != 0)
		return d;
	return x->former - y->former;
}

struct kn_communes *
kn_communes_load(const char *path, struct kn_error *err)
{
	static const char *const req[] = { "code", "name", "type", NULL };
	struct kn_communes *c;
	struct kn_table t;
	struct kn_buf key = KN_BUF_INIT, type = KN_BUF_INIT;
	size_t i;

	if (kn_table_load(&t, path, req, err) == -1)
		return NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->u = calloc(t.n ? t.n : 1, sizeof(*c->u))) == NULL)
		goto nomem;
	for (i = 0; i < t.n; i++) {
		struct kn_record *r = t.rows[i];
		struct kn_commune *u = &c->u[i];
		const char *former = kn_record_strz(r, "former_units"), *p, *q;

		if ((u->code = strdup(kn_record_strz(r, "code"))) == NULL ||
		    (u->name = strdup(kn_record_strz(r, "name"))) == NULL ||
		    (u->type = strdup(kn_record_strz(r, "type"))) == NULL)
			goto nomem;
		c->nu++;
		if (*u->code == '\0' || *u->name == '\0') {
			kn_error_set(err, KN_EDATA, path, kn_record_line(r),
			    "a unit needs a code and a name");
			goto fail;
		}
		kn_buf_reset(&key);
		kn_buf_reset(&type);
		if (kn_text_key(&key, u->name, strlen(u->name)) == -1 ||
		    kn_text_key(&type, u->type, strlen(u->type)) == -1 ||
		    add_entry(c, key.data, NULL, i, type_of(type.data), 0) ==
		    -1)
			goto nomem;
		for (p = former; *p != '\0'; p = *q ? q + 1 : q) {
			if ((q = strchr(p, ';')) == NULL)
				q = p + strlen(p);
			if (q > p && add_former(c, i, p, (size_t)(q - p)) == -1)
				goto nomem;
		}
	}
	qsort(c->e, c->ne, sizeof(*c->e), cmp_entry);
	kn_buf_free(&key);
	kn_buf_free(&type);
	kn_table_free(&t);
	return c;
nomem:
	kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
fail:
	kn_buf_free(&key);
	kn_buf_free(&type);
	kn_table_free(&t);
	kn_communes_free(c);
	return NULL;
}

void
kn_communes_free(struct kn_communes *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nu; i++) {
		free(c->u[i].code);
		free(c->u[i].name);
		free(c->u[i].type);
	}
	for (i = 0; i < c->ne; i++) {
		free(c->e[i].key);
		free(c->e[i].district);
	}
	free(c->u);
	free(c->e);
	free(c);
}

size_t
kn_communes_count(const struct kn_communes *c)
{
	return c->nu;
}

const struct kn_commune *
kn_communes_at(const struct kn_communes *c, size_t i)
{
	return i < c->nu ? &c->u[i] : NULL;
}

const struct kn_commune *
kn_communes_by_code(const struct kn_communes *c, const char *code)
{
	size_t i;

	for (i = 0; i < c->nu; i++)
		if (strcmp(c->u[i].code, code) == 0)
			return &c->u[i];
	return NULL;
}

/* The range of entries whose key is key. */
static size_t
lookup(const struct kn_communes *c, const char *key, size_t *first)
{
	size_t lo = 0, hi = c->ne, n = 0;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (strcmp(c->e[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < c->ne && strcmp(c->e[lo + n].key, key) == 0)
		n++;
	return n;
}

/*
 * Strip what people put around a name: "Công an xã", "CA phường",
 * "CAX", "X.", "P.", "UBND xã", "thị trấn"; and a trailing
 * "tỉnh Thanh Hóa".  Returns the name's key and the type it implied.
 */
static const char *
strip_prefixes(char *k, int *type)
{
	static const struct { const char *pre; int type; } pre[] = {
		{ "cong an ", T_ANY }, { "ubnd ", T_ANY },
		{ "uy ban nhan dan ", T_ANY }, { "ca ", T_ANY },
		{ "cax ", T_XA }, { "cap ", T_PHUONG }, { "xa ", T_XA },
		{ "x ", T_XA }, { "phuong ", T_PHUONG }, { "p ", T_PHUONG },
		{ "thi tran ", T_THITRAN }, { "tt ", T_THITRAN },
		{ NULL, 0 }
	};
	size_t n;
	int i, again = 1;

	*type = T_ANY;
	while (again) {
		again = 0;
		for (i = 0; pre[i].pre != NULL; i++) {
			n = strlen(pre[i].pre);
			if (strncmp(k, pre[i].pre, n) == 0 && k[n] != '\0') {
				k += n;
				if (pre[i].type != T_ANY)
					*type = pre[i].type;
				again = 1;
			}
		}
	}
	n = strlen(k);
	if (n > 15 && strcmp(k + n - 15, " tinh thanh hoa") == 0)
		k[n - 15] = '\0';
	return k;
}

static int
type_fits(int want, int have)
{
	return want == T_ANY || have == T_ANY || want == have;
}

/*
 * Add to found[nfound..] the distinct units of entries first..first+n
 * that are current (former == 0) or former ones, of the type wanted and
 * in district dist (when both are known).  Returns the new count.
 */
static size_t
collect(const struct kn_communes *c, size_t first, size_t n, int former,
    int type, const char *dist, size_t *found, size_t nfound)
{
	size_t i, k;

	for (i = first; i < first + n; i++) {
		const struct entry *e = &c->e[i];

		if (e->former != former || !type_fits(type, e->type))
			continue;
		if (dist != NULL && e->district != NULL &&
		    strcmp(dist, e->district) != 0)
			continue;
		for (k = 0; k < nfound; k++)
			if (found[k] == e->unit)
				break;
		if (k == nfound && nfound < MAX_CANDIDATES)
			found[nfound++] = e->unit;
	}
	return nfound;
}

enum kn_match
kn_communes_resolve(const struct kn_communes *c, const char *written,
    const struct kn_commune **unit, struct kn_buf *why)
{
	struct kn_buf key = KN_BUF_INIT;
	const char *name, *open;
	size_t first, n, i, found[MAX_CANDIDATES], nfound = 0;
	int type;
	enum kn_match m = KN_MATCH_NONE;
	char *dist = NULL;

	*unit = NULL;
	if ((*unit = kn_communes_by_code(c, written)) != NULL)
		return KN_MATCH_CODE;
	/* A qualifier in parentheses or after a comma names the district. */
	open = written + strcspn(written, "(,");
	if (*open != '\0') {
		struct kn_buf d = KN_BUF_INIT;

		if (kn_text_key(&d, open + 1, strlen(open + 1)) == 0 &&
		    d.len > 0) {
			char *p = d.data;

			if (strncmp(p, "huyen ", 6) == 0)
				p += 6;
			else if (strncmp(p, "thi xa ", 7) == 0)
				p += 7;
			else if (strncmp(p, "thanh pho ", 10) == 0)
				p += 10;
			dist = strdup(p);
		}
		kn_buf_free(&d);
	}
	if (kn_text_key(&key, written, (size_t)(open - written)) == -1 ||
	    key.len == 0)
		goto out;
	name = strip_prefixes(key.data, &type);
	n = lookup(c, name, &first);
	/*
	 * A current name of the written type wins.  Failing that, a former
	 * unit of that type; but if a current unit of another type has the
	 * name too, the writer may have mistaken the type, so both count.
	 * Failing both, a current name of another type.
	 */
	nfound = collect(c, first, n, 0, type, NULL, found, 0);
	if (nfound > 0)
		m = KN_MATCH_NAME;
	else if ((nfound = collect(c, first, n, 1, type, dist, found, 0)) >
	    0) {
		m = KN_MATCH_FORMER;
		if (dist == NULL)	/* a named district settles it */
			nfound = collect(c, first, n, 0, T_ANY, NULL, found,
			    nfound);
	} else if ((nfound = collect(c, first, n, 0, T_ANY, NULL, found,
	    0)) > 0)
		m = KN_MATCH_NAME;
	if (nfound == 1)
		*unit = &c->u[found[0]];
	else if (nfound > 1) {
		m = KN_MATCH_AMBIGUOUS;
		for (i = 0; why != NULL && i < nfound; i++)
			kn_buf_addf(why, "%s%s %s (%s)", i ? ", " : "",
			    c->u[found[i]].type, c->u[found[i]].name,
			    c->u[found[i]].code);
	}
out:
	free(dist);
	kn_buf_free(&key);
	return m;
}

/*
 * Edit distance with transpositions (optimal string alignment): "thnah"
 * is one edit from "thanh".  Names longer than 63 bytes count as far.
 */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, v;
	size_t d[64][64];

	if (la >= 64 || lb >= 64)
		return (size_t)-1;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

int
kn_communes_suggest(const struct kn_communes *c, const char *written,
    struct kn_buf *out)
{
	struct kn_buf key = KN_BUF_INIT;
	const char *name, *open;
	size_t i, d, best = 2, unit = 0;
	int type, ties = 0;

	open = written + strcspn(written, "(,");
	if (kn_text_key(&key, written, (size_t)(open - written)) == -1) {
		kn_buf_free(&key);
		return -1;
	}
	name = strip_prefixes(key.data != NULL ? key.data : (char *)"",
	    &type);
	for (i = 0; i < c->ne && *name != '\0'; i++) {
		if (c->e[i].former)
			continue;
		d = distance(name, c->e[i].key);
		if (d < best) {
			best = d;
			unit = c->e[i].unit;
			ties = 0;
		} else if (d == best && c->e[i].unit != unit)
			ties++;
	}
	kn_buf_free(&key);
	if (best > 1 || ties > 0)
		return -1;
	kn_buf_addf(out, "%s %s", c->u[unit].type, c->u[unit].name);
	return 0;
}
