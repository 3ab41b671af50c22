/*
 * collate.c: Vietnamese dictionary order through sort keys.
 *
 * The string is decomposed (NFD) so that a letter, its vowel modifier
 * (breve, circumflex, horn) and its tone mark arrive one after the
 * other, whatever the spelling of the input.  The key has three parts:
 *
 *   1. per syllable, the weights of its letters, an end mark and the
 *      tone; per run of digits, its length and its digits (a number);
 *   2. after a 0 byte, the case of every letter;
 *   3. after a 0 byte, the decomposed string itself, so that two keys
 *      are equal only when the strings are canonically equivalent.
 *
 * Weights never contain a 0 byte, so a shorter first part sorts first.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kn/collate.h"

#define W_END		0x01	/* end of a token; then its tone */
#define W_NUMBER	0x03	/* a run of digits follows */
#define W_LETTER	0x40	/* + the letter's place in the alphabet */
#define W_OTHER		0xF0	/* a letter of another script follows */

/* Tones, in dictionary order. */
enum { TONE_NONE, TONE_HUYEN, TONE_HOI, TONE_NGA, TONE_SAC, TONE_NANG };

/* Vowel modifiers. */
enum { MOD_NONE, MOD_BREVE, MOD_CIRCUMFLEX, MOD_HORN };

/*
 * Places of the Latin letters in the Vietnamese alphabet extended with
 * f j w z: a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x
 * y z.
 */
static const unsigned char latin_place[26] = {
	0,	/* a (ă 1, â 2) */
	3,	/* b */
	4,	/* c */
	5,	/* d (đ 6) */
	7,	/* e (ê 8) */
	9,	/* f */
	10,	/* g */
	11,	/* h */
	12,	/* i */
	13,	/* j */
	14,	/* k */
	15,	/* l */
	16,	/* m */
	17,	/* n */
	18,	/* o (ô 19, ơ 20) */
	21,	/* p */
	22,	/* q */
	23,	/* r */
	24,	/* s */
	25,	/* t */
	26,	/* u (ư 27) */
	28,	/* v */
	29,	/* w */
	30,	/* x */
	31,	/* y */
	32	/* z */
};

struct keyer {
	struct kn_buf	*p;		/* letters, tones, numbers */
	struct kn_buf	 c;		/* case of each letter */
	int		 in_syllable;
	int		 tone;
	long		 letter;	/* pending letter (lower case), or -1 */
	int		 upper;
	int		 mod;
	int		 failed;
};

static void
put(struct keyer *k, struct kn_buf *b, int byte)
{
	if (kn_buf_addc(b, byte) == -1)
		k->failed = 1;
}

static void
flush_letter(struct keyer *k)
{
	long cp = k->letter;
	int place;

	if (cp < 0)
		return;
	k->letter = -1;
	put(k, &k->c, k->upper ? 2 : 1);
	if (cp == 0x111) {			/* đ */
		put(k, k->p, W_LETTER + 6);
		return;
	}
	if (cp >= 'a' && cp <= 'z') {
		place = latin_place[cp - 'a'];
		if (cp == 'a' && k->mod == MOD_BREVE)
			place = 1;		/* ă */
		else if (cp == 'a' && k->mod == MOD_CIRCUMFLEX)
			place = 2;		/* â */
		else if ((cp == 'e' || cp == 'o') && k->mod == MOD_CIRCUMFLEX)
			place++;		/* ê, ô */
		else if (cp == 'o' && k->mod == MOD_HORN)
			place = 20;		/* ơ */
		else if (cp == 'u' && k->mod == MOD_HORN)
			place = 27;		/* ư */
		put(k, k->p, W_LETTER + place);
		return;
	}
	/* Another script: after every Vietnamese letter, by code point. */
	put(k, k->p, W_OTHER);
	put(k, k->p, 0x80 | (int)(cp >> 14 & 0x7F));
	put(k, k->p, 0x80 | (int)(cp >> 7 & 0x7F));
	put(k, k->p, 0x80 | (int)(cp & 0x7F));
}

static void
end_syllable(struct keyer *k)
{
	flush_letter(k);
	if (!k->in_syllable)
		return;
	put(k, k->p, W_END);
	put(k, k->p, W_END + k->tone);
	k->in_syllable = 0;
	k->tone = TONE_NONE;
}

static void
put_number(struct keyer *k, const char *d, size_t n)
{
	size_t i;

	while (n > 0 && *d == '0') {
		d++;
		n--;
	}
	put(k, k->p, W_NUMBER);
	put(k, k->p, 0x10 + (int)(n > 200 ? 200 : n));
	for (i = 0; i < n; i++)
		put(k, k->p, 0x30 + (*d++ - '0'));
	put(k, k->p, W_END);
	put(k, k->p, W_END);
}

static void
mark(struct keyer *k, long cp)
{
	int tone = TONE_NONE;

	switch (cp) {
	case 0x0306: k->mod = MOD_BREVE; return;
	case 0x0302: k->mod = MOD_CIRCUMFLEX; return;
	case 0x031B: k->mod = MOD_HORN; return;
	case 0x0300: tone = TONE_HUYEN; break;
	case 0x0309: tone = TONE_HOI; break;
	case 0x0303: tone = TONE_NGA; break;
	case 0x0301: tone = TONE_SAC; break;
	case 0x0323: tone = TONE_NANG; break;
	default: return;	/* other marks count only at the last level */
	}
	if (k->in_syllable && k->tone == TONE_NONE)
		k->tone = tone;
}

/* Keys of strings that are not valid UTF-8: their bytes, after text. */
static int
raw_key(struct kn_buf *out, const char *s, size_t len)
{
	size_t i;

	if (kn_buf_addc(out, W_OTHER) == -1)
		return -1;
	for (i = 0; i < len; i++)
		if (kn_buf_addc(out, 0x80 | ((unsigned char)s[i] >> 1)) == -1 ||
		    kn_buf_addc(out, 0x80 | (s[i] & 1)) == -1)
			return -1;
	return kn_buf_addc(out, 0) == -1 ? -1 : 0;
}

int
kn_collate_key(struct kn_buf *out, const char *s, size_t len)
{
	struct keyer k;
	utf8proc_uint8_t *nfd = NULL;
	utf8proc_ssize_t n, i, step, digits = -1;
	utf8proc_int32_t cp;
	utf8proc_category_t cat;
	int rc = 0;

	if (len == 0)
		return kn_buf_grow(out, 1);
	n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
	    &nfd, UTF8PROC_DECOMPOSE);
	if (n < 0)
		return raw_key(out, s, len);
	memset(&k, 0, sizeof(k));
	k.p = out;
	k.letter = -1;
	for (i = 0; i <= n; i += step) {
		if (i == n) {
			cp = -1;
			step = 1;
		} else
			step = utf8proc_iterate(nfd + i, n - i, &cp);
		if (cp >= '0' && cp <= '9') {
			end_syllable(&k);
			if (digits < 0)
				digits = i;
			continue;
		}
		if (digits >= 0) {
			put_number(&k, (const char *)nfd + digits,
			    (size_t)(i - digits));
			digits = -1;
		}
		if (cp < 0)
			break;
		cat = utf8proc_category(cp);
		if (cat == UTF8PROC_CATEGORY_MN ||
		    cat == UTF8PROC_CATEGORY_MC ||
		    cat == UTF8PROC_CATEGORY_ME) {
			mark(&k, cp);
			continue;
		}
		if (cat >= UTF8PROC_CATEGORY_LU &&
		    cat <= UTF8PROC_CATEGORY_LO) {
			flush_letter(&k);
			k.in_syllable = 1;
			k.letter = utf8proc_tolower(cp);
			k.upper = k.letter != cp;
			k.mod = MOD_NONE;
			continue;
		}
		end_syllable(&k);
	}
	end_syllable(&k);
	put(&k, out, 0);
	if (k.c.len > 0 && kn_buf_add(out, k.c.data, k.c.len) == -1)
		k.failed = 1;
	put(&k, out, 0);
	if (kn_buf_add(out, nfd, (size_t)n) == -1)
		k.failed = 1;
	if (k.failed)
		rc = -1;
	kn_buf_free(&k.c);
	free(nfd);
	return rc;
}

int
kn_collate_keycmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

int
kn_collate_cmp(const char *a, const char *b)
{
	struct kn_buf ka = KN_BUF_INIT, kb = KN_BUF_INIT;
	int c;

	if (kn_collate_key(&ka, a, strlen(a)) == -1 ||
	    kn_collate_key(&kb, b, strlen(b)) == -1)
		c = strcmp(a, b);
	else
		c = kn_collate_keycmp(kn_buf_str(&ka), ka.len, kn_buf_str(&kb),
		    kb.len);
	kn_buf_free(&ka);
	kn_buf_free(&kb);
	return c;
}
