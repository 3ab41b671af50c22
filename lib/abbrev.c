/*
 * abbrev.c: expanding the abbreviations of police writing, so that
 * "CAX" and "công an xã" match alike.  The table maps a folded
 * abbreviation to its folded expansion.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kn/abbrev.h"
#include "kn/data.h"
#include "kn/map.h"
#include "kn/text.h"

struct kn_abbrev {
	struct kn_map	*map;	/* folded abbreviation -> folded expansion */
	struct kn_map	*exact;	/* abbreviation as written -> expansion */
	unsigned char	 first[256];	/* first bytes of the exact ones */
};

struct kn_abbrev *
kn_abbrev_new(void)
{
	struct kn_abbrev *a;

	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	if ((a->map = kn_map_new()) == NULL ||
	    (a->exact = kn_map_new()) == NULL) {
		kn_map_free(a->map);
		free(a);
		return NULL;
	}
	return a;
}

void
kn_abbrev_free(struct kn_abbrev *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < kn_map_count(a->map); i++)
		free(kn_map_value_at(a->map, i));
	for (i = 0; i < kn_map_count(a->exact); i++)
		free(kn_map_value_at(a->exact, i));
	kn_map_free(a->map);
	kn_map_free(a->exact);
	free(a);
}

size_t
kn_abbrev_count(const struct kn_abbrev *a)
{
	return kn_map_count(a->map) + kn_map_count(a->exact);
}

/* Is the code point at s a letter, a mark or a digit (part of a word)? */
static int
word_cp(const char *s, size_t len)
{
	utf8proc_category_t c;
	long cp;

	if ((unsigned char)s[0] < 0x80)
		return (s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' &&
		    s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9');
	kn_utf8_decode(s, len, &cp);
	c = utf8proc_category((utf8proc_int32_t)cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_NO);
}

/* An exact entry: one word of letters and digits, as written. */
static int
add_exact(struct kn_abbrev *a, const char *abbrev, const char *expansion)
{
	struct kn_buf ab = KN_BUF_INIT, ex = KN_BUF_INIT;
	void **slot;
	size_t i, n;
	int created, rc = -1;

	if (kn_text_nfc(&ab, abbrev, strlen(abbrev)) == -1 ||
	    kn_text_key(&ex, expansion, strlen(expansion)) == -1)
		goto out;
	if (ab.len == 0 || ex.len == 0) {
		rc = -2;
		goto out;
	}
	for (i = 0; i < ab.len; i += n) {
		long cp;

		n = (size_t)kn_utf8_decode(ab.data + i, ab.len - i, &cp);
		if (!word_cp(ab.data + i, ab.len - i)) {
			rc = -2;
			goto out;
		}
	}
	/* The same word folded must not be an ordinary entry too. */
	kn_buf_reset(&ex);
	if (kn_text_key(&ex, abbrev, strlen(abbrev)) == -1)
		goto out;
	if (kn_map_get(a->map, ex.data, ex.len) != NULL) {
		rc = 1;
		goto out;
	}
	kn_buf_reset(&ex);
	if (kn_text_key(&ex, expansion, strlen(expansion)) == -1)
		goto out;
	if ((slot = kn_map_slot(a->exact, ab.data, ab.len, &created)) == NULL)
		goto out;
	if (!created) {
		rc = 1;
		goto out;
	}
	*slot = kn_buf_detach(&ex);
	a->first[(unsigned char)ab.data[0]] = 1;
	rc = 0;
out:
	kn_buf_free(&ab);
	kn_buf_free(&ex);
	return rc;
}

int
kn_abbrev_add_exact(struct kn_abbrev *a, const char *abbrev,
    const char *expansion)
{
	return add_exact(a, abbrev, expansion) < 0 ? -1 : 0;
}

static int exact_folds_to(const struct kn_abbrev *, const char *, size_t);

/* 0 added, 1 already there, -1 out of memory or nothing to add. */
static int
add(struct kn_abbrev *a, const char *abbrev, const char *expansion)
{
	struct kn_buf ab = KN_BUF_INIT, ex = KN_BUF_INIT;
	void **slot;
	int created, rc = -1;

	if (kn_text_key(&ab, abbrev, strlen(abbrev)) == -1 ||
	    kn_text_key(&ex, expansion, strlen(expansion)) == -1)
		goto out;
	/* One syllable only: "CA xã" is no abbreviation we can match. */
	if (ab.len == 0 || strchr(ab.data, ' ') != NULL || ex.len == 0) {
		rc = -2;
		goto out;
	}
	if ((slot = kn_map_slot(a->map, ab.data, ab.len, &created)) == NULL)
		goto out;
	if (!created || exact_folds_to(a, ab.data, ab.len)) {
		rc = 1;
		goto out;
	}
	*slot = kn_buf_detach(&ex);
	rc = 0;
out:
	kn_buf_free(&ab);
	kn_buf_free(&ex);
	return rc;
}

int
kn_abbrev_add(struct kn_abbrev *a, const char *abbrev, const char *expansion)
{
	return add(a, abbrev, expansion) < 0 ? -1 : 0;
}

struct kn_abbrev *
kn_abbrev_load(const char *path, struct kn_error *err)
{
	static const char *const req[] = { "abbrev", "expansion", NULL };
	struct kn_buf p = KN_BUF_INIT;
	struct kn_abbrev *a = NULL;
	struct kn_table t;
	size_t i;

	if (path == NULL)
		kn_data_path(&p, "abbrev.csv");
	else
		kn_buf_adds(&p, path);
	if (kn_table_load(&t, kn_buf_str(&p), req, err) == -1) {
		kn_buf_free(&p);
		return NULL;
	}
	if ((a = kn_abbrev_new()) == NULL) {
		kn_error_set(err, KN_ENOMEM, t.path, 0, "out of memory");
		goto fail;
	}
	for (i = 0; i < t.n; i++) {
		const char *ab = kn_record_strz(t.rows[i], "abbrev");
		const char *ex = kn_record_strz(t.rows[i], "expansion");
		const char *cs = kn_record_strz(t.rows[i], "case");
		int rc;

		if (strcmp(cs, "exact") == 0)
			rc = add_exact(a, ab, ex);
		else if (*cs == '\0' || strcmp(cs, "fold") == 0)
			rc = add(a, ab, ex);
		else {
			kn_error_set(err, KN_EDATA, t.path,
			    kn_record_line(t.rows[i]), "case \"%s\": expected "
			    "\"exact\", \"fold\" or nothing", cs);
			goto fail;
		}
		switch (rc) {
		case 0:
			break;
		case 1:
			kn_error_set(err, KN_EDATA, t.path,
			    kn_record_line(t.rows[i]),
			    "abbreviation \"%s\" is repeated", ab);
			goto fail;
		case -2:
			kn_error_set(err, KN_EDATA, t.path,
			    kn_record_line(t.rows[i]), "abbreviation \"%s\" "
			    "must be one word with an expansion", ab);
			goto fail;
		default:
			kn_error_set(err, KN_ENOMEM, t.path, 0,
			    "out of memory");
			goto fail;
		}
	}
	kn_table_free(&t);
	kn_buf_free(&p);
	return a;
fail:
	kn_table_free(&t);
	kn_buf_free(&p);
	kn_abbrev_free(a);
	return NULL;
}

const char *
kn_abbrev_lookup(const struct kn_abbrev *a, const char *syl, size_t len)
{
	if (a == NULL)
		return NULL;
	return kn_map_get(a->map, syl, len);
}

/* Does an exact entry fold to key (so that both would claim a word)? */
static int
exact_folds_to(const struct kn_abbrev *a, const char *key, size_t len)
{
	struct kn_buf f = KN_BUF_INIT;
	size_t i, n;
	const char *k;
	int same = 0;

	for (i = 0; i < kn_map_count(a->exact) && !same; i++) {
		k = kn_map_key_at(a->exact, i, &n);
		kn_buf_reset(&f);
		if (kn_text_key(&f, k, n) == 0)
			same = f.len == len && memcmp(f.data, key, len) == 0;
	}
	kn_buf_free(&f);
	return same;
}

/* The start of the code point before s[i]. */
static size_t
prev_cp(const char *s, size_t i)
{
	do
		i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80);
	return i;
}

int
kn_abbrev_exact(const struct kn_abbrev *a, struct kn_buf *out, const char *s,
    size_t len)
{
	size_t i, j, done = 0, n, klen;
	const char *k, *ex;
	int found = 0;

	if (a == NULL || kn_map_count(a->exact) == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (!a->first[(unsigned char)s[i]] || (i > 0 &&
		    word_cp(s + prev_cp(s, i), len - prev_cp(s, i))))
			continue;
		n = kn_map_count(a->exact);
		for (j = 0; j < n; j++) {
			k = kn_map_key_at(a->exact, j, &klen);
			if (klen > len - i || memcmp(s + i, k, klen) != 0 ||
			    (i + klen < len && word_cp(s + i + klen,
			    len - i - klen)))
				continue;
			ex = kn_map_value_at(a->exact, j);
			if (kn_buf_add(out, s + done, i - done) == -1 ||
			    kn_buf_adds(out, ex) == -1)
				return -1;
			found = 1;
			done = i + klen;
			i = done - 1;
			break;
		}
	}
	if (found && kn_buf_add(out, s + done, len - done) == -1)
		return -1;
	return found;
}

int
kn_abbrev_key(const struct kn_abbrev *a, struct kn_buf *out, const char *s,
    size_t len)
{
	struct kn_buf f = KN_BUF_INIT, x = KN_BUF_INIT;
	const char *syl, *ex;
	size_t pos = 0, n, start = out->len;

	switch (kn_abbrev_exact(a, &x, s, len)) {
	case -1:
		goto fail;
	case 1:
		s = x.data;
		len = x.len;
		break;
	}
	if (kn_text_fold(&f, s, len) == -1)
		goto fail;
	while (kn_syllable_next(kn_buf_str(&f), f.len, &pos, &syl, &n)) {
		if ((ex = kn_abbrev_lookup(a, syl, n)) != NULL) {
			syl = ex;
			n = strlen(ex);
		}
		if ((out->len > start && kn_buf_addc(out, ' ') == -1) ||
		    kn_buf_add(out, syl, n) == -1)
			goto fail;
	}
	if (out->data == NULL && kn_buf_add(out, "", 0) == -1)
		goto fail;
	kn_buf_free(&f);
	kn_buf_free(&x);
	return 0;
fail:
	kn_buf_free(&f);
	kn_buf_free(&x);
	return -1;
}
