/*
 * text.c: UTF-8, NFC, white space and the folded form.
 *
 * Folding runs on every record of every stage, so the fold of each code
 * point below FOLD_TABLE is computed once with utf8proc (case fold,
 * decompose, strip marks) and then looked up; the rare code points
 * above it go through utf8proc one by one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kn_private.h"

#define FOLD_TABLE 0x2100
#define FOLD_MAX 7

static unsigned char fold_len[FOLD_TABLE];
static char fold_str[FOLD_TABLE][FOLD_MAX];
static int fold_ready;

int
kn_utf8_decode(const char *s, size_t len, long *cp)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[0] < 0x80 || len < 2) {
		*cp = u[0];
		return 1;
	}
	if (u[0] < 0xE0) {
		*cp = ((long)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
		return 2;
	}
	if (u[0] < 0xF0 || len < 4) {
		if (len < 3) {
			*cp = u[0];
			return 1;
		}
		*cp = ((long)(u[0] & 0x0F) << 12) | ((long)(u[1] & 0x3F) << 6) |
		    (u[2] & 0x3F);
		return 3;
	}
	*cp = ((long)(u[0] & 0x07) << 18) | ((long)(u[1] & 0x3F) << 12) |
	    ((long)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
	return 4;
}

int
kn_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, n;
	long cp, min;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] >= 0xC2 && u[i] <= 0xDF) {
			n = 2;
			cp = u[i] & 0x1F;
			min = 0x80;
		} else if (u[i] >= 0xE0 && u[i] <= 0xEF) {
			n = 3;
			cp = u[i] & 0x0F;
			min = 0x800;
		} else if (u[i] >= 0xF0 && u[i] <= 0xF4) {
			n = 4;
			cp = u[i] & 0x07;
			min = 0x10000;
		} else
			goto invalid;
		if (len - i < n)
			goto invalid;
		for (size_t k = 1; k < n; k++) {
			if ((u[i + k] & 0xC0) != 0x80)
				goto invalid;
			cp = (cp << 6) | (u[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto invalid;
		i += n;
	}
	return 1;
invalid:
	if (bad != NULL)
		*bad = i;
	return 0;
}

int
kn_utf8_put(struct kn_buf *b, long cp)
{
	char s[4];

	if (cp < 0x80) {
		s[0] = (char)cp;
		return kn_buf_add(b, s, 1);
	}
	if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		return kn_buf_add(b, s, 2);
	}
	if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12));
		s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F));
		return kn_buf_add(b, s, 3);
	}
	s[0] = (char)(0xF0 | (cp >> 18));
	s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	s[3] = (char)(0x80 | (cp & 0x3F));
	return kn_buf_add(b, s, 4);
}

int
kn_utf8_sanitize(struct kn_buf *b, const char *s, size_t len)
{
	size_t bad;

	while (!kn_utf8_valid(s, len, &bad)) {
		if (kn_buf_add(b, s, bad) == -1 ||
		    kn_buf_add(b, "\xEF\xBF\xBD", 3) == -1)
			return -1;
		s += bad + 1;
		len -= bad + 1;
	}
	return kn_buf_add(b, s, len);
}

size_t
kn_text_width(const char *s, size_t len)
{
	size_t i = 0, w = 0;
	long cp;
	int n;

	while (i < len) {
		n = kn_utf8_decode(s + i, len - i, &cp);
		i += (size_t)n;
		if (cp < 0x80)
			w += cp >= 0x20 && cp != 0x7F;
		else if (utf8proc_charwidth((utf8proc_int32_t)cp) > 0)
			w += (size_t)utf8proc_charwidth((utf8proc_int32_t)cp);
	}
	return w;
}

/* Is cp white space, or invisible (controls, zero-width, BOM)? */
static int
is_space_cp(long cp)
{
	if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 ||
	    cp == 0xA0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	    cp == 0x3000)
		return 1;
	return 0;
}

static int
is_invisible_cp(long cp)
{
	utf8proc_category_t c;

	if (cp < 0x20 || cp == 0x7F)
		return 1;
	if (cp < 0x80)
		return 0;
	c = utf8proc_category((utf8proc_int32_t)cp);
	return c == UTF8PROC_CATEGORY_CC || c == UTF8PROC_CATEGORY_CF;
}

/*
 * Every code point below U+0300 and every one of Latin Extended
 * Additional (U+1E00 to U+1EFF, where Vietnamese letters with two marks
 * live) is a starter that is its own NFC and composes with nothing
 * before it, so a string of them alone is in NFC: ASCII and Vietnamese
 * in NFC are read at the speed of a byte scan, without utf8proc.
 */
int
kn_text_nfc_quick(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		if (u[i] < 0x80)
			i++;
		else if (u[i] < 0xCC && len - i >= 2)	/* below U+0300 */
			i += 2;
		else if (u[i] == 0xE1 && len - i >= 3 && u[i + 1] >= 0xB8 &&
		    u[i + 1] <= 0xBB)			/* U+1E00 to U+1EFF */
			i += 3;
		else
			return 0;
	}
	return 1;
}

int
kn_text_nfc(struct kn_buf *out, const char *s, size_t len)
{
	utf8proc_uint8_t *p = NULL;
	utf8proc_ssize_t n;
	int rc;

	if (kn_text_nfc_quick(s, len))
		return kn_buf_add(out, s, len);
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &p, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (n < 0)
		return -1;
	rc = kn_buf_add(out, p, (size_t)n);
	free(p);
	return rc;
}

int
kn_text_clean(struct kn_buf *out, const char *s, size_t len)
{
	struct kn_buf nfc = KN_BUF_INIT;
	size_t i = 0, start = out->len;
	int pending = 0, n;
	long cp;

	if (kn_text_nfc(&nfc, s, len) == -1) {
		kn_buf_free(&nfc);
		return -1;
	}
	s = kn_buf_str(&nfc);
	len = nfc.len;
	while (i < len) {
		n = kn_utf8_decode(s + i, len - i, &cp);
		if (is_space_cp(cp)) {
			pending = out->len > start;
		} else if (!is_invisible_cp(cp)) {
			if (pending && kn_buf_addc(out, ' ') == -1)
				goto fail;
			pending = 0;
			if (kn_buf_add(out, s + i, (size_t)n) == -1)
				goto fail;
		}
		i += (size_t)n;
	}
	if (out->data == NULL && kn_buf_add(out, "", 0) == -1)
		goto fail;
	kn_buf_free(&nfc);
	return 0;
fail:
	kn_buf_free(&nfc);
	return -1;
}

/* The fold of one code point into dst (at least FOLD_MAX bytes). */
static int
fold_cp(long cp, char *dst)
{
	utf8proc_int32_t cps[8];
	utf8proc_ssize_t n, k;
	utf8proc_category_t cat;
	int last = 0, len = 0;
	unsigned char tmp[4];

	if (cp == 0x0110 || cp == 0x0111)	/* Đ đ: no decomposition */
		return dst[0] = 'd', 1;
	if (cp < 0x80) {
		dst[0] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		return 1;
	}
	if (is_space_cp(cp))
		return dst[0] = ' ', 1;
	cat = utf8proc_category((utf8proc_int32_t)cp);
	if (cat == UTF8PROC_CATEGORY_CC || cat == UTF8PROC_CATEGORY_CF)
		return 0;
	if (cat >= UTF8PROC_CATEGORY_PC && cat <= UTF8PROC_CATEGORY_SO)
		return dst[0] = ' ', 1;	/* punctuation and symbols */
	n = utf8proc_decompose_char((utf8proc_int32_t)cp, cps, 8,
	    UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
	    UTF8PROC_COMPAT, &last);
	if (n < 0 || n > 8)
		return 0;
	for (k = 0; k < n; k++) {
		utf8proc_ssize_t m;

		if (cps[k] == 0x0111 || cps[k] == 0x0110) {
			if (len + 1 > FOLD_MAX)
				break;
			dst[len++] = 'd';
			continue;
		}
		m = utf8proc_encode_char(cps[k], tmp);
		if (len + m > FOLD_MAX)
			break;
		memcpy(dst + len, tmp, (size_t)m);
		len += (int)m;
	}
	return len;
}

static void
fold_init(void)
{
	long cp;

	for (cp = 0; cp < FOLD_TABLE; cp++)
		fold_len[cp] = (unsigned char)fold_cp(cp, fold_str[cp]);
	fold_ready = 1;
}

int
kn_text_fold(struct kn_buf *out, const char *s, size_t len)
{
	char tmp[FOLD_MAX];
	size_t i = 0;
	long cp;
	int n, m;

	if (!fold_ready)
		fold_init();
	if (kn_buf_grow(out, len) == -1)
		return -1;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			out->data[out->len++] = (char)(c >= 'A' && c <= 'Z' ?
			    c + 32 : c);
			i++;
			continue;
		}
		n = kn_utf8_decode(s + i, len - i, &cp);
		i += (size_t)n;
		if (cp < FOLD_TABLE) {
			m = fold_len[cp];
			if (m > n && kn_buf_grow(out, len - i + (size_t)m) == -1)
				return -1;
			memcpy(out->data + out->len, fold_str[cp], (size_t)m);
			out->len += (size_t)m;
		} else {
			m = fold_cp(cp, tmp);
			if (kn_buf_grow(out, len - i + (size_t)m) == -1)
				return -1;
			memcpy(out->data + out->len, tmp, (size_t)m);
			out->len += (size_t)m;
		}
	}
	out->data[out->len] = '\0';
	return 0;
}

static int
is_syl(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 ||
	    (c >= 'A' && c <= 'Z');
}

int
kn_syllable_next(const char *f, size_t flen, size_t *pos, const char **start,
    size_t *len)
{
	size_t i = *pos, j;

	while (i < flen && !is_syl((unsigned char)f[i]))
		i++;
	if (i >= flen) {
		*pos = flen;
		return 0;
	}
	for (j = i; j < flen && is_syl((unsigned char)f[j]); j++)
		;
	*start = f + i;
	*len = j - i;
	*pos = j;
	return 1;
}

int
kn_text_key(struct kn_buf *out, const char *s, size_t len)
{
	struct kn_buf f = KN_BUF_INIT;
	const char *syl;
	size_t pos = 0, n, start = out->len;

	if (kn_text_fold(&f, s, len) == -1)
		goto fail;
	while (kn_syllable_next(kn_buf_str(&f), f.len, &pos, &syl, &n))
		if ((out->len > start && kn_buf_addc(out, ' ') == -1) ||
		    kn_buf_add(out, syl, n) == -1)
			goto fail;
	if (out->data == NULL && kn_buf_add(out, "", 0) == -1)
		goto fail;
	kn_buf_free(&f);
	return 0;
fail:
	kn_buf_free(&f);
	return -1;
}

unsigned long long
kn_hash64(const void *p, size_t n)
{
	const unsigned char *u = p;
	unsigned long long h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= *u++;
		h *= 0x100000001b3ULL;
	}
	return h;
}
