/*
 * toks.c: cutting a text into folded syllables with abbreviations
 * expanded.  It runs on every record kn-classify reads, so it works in
 * buffers kept from record to record, hashes each syllable while it
 * copies it, and remembers which syllables are abbreviations in a small
 * cache of fixed size (memory stays flat however many texts go by).
 */
#include <stdlib.h>
#include <string.h>

#include "kn/text.h"
#include "kn/toks.h"

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL
#define CACHE_SIZE	4096	/* a power of two */

struct kn_toks_cache {
	struct {
		unsigned long long h;	/* 0: empty */
		const char	*ex;	/* the expansion, or NULL */
	} e[CACHE_SIZE];
};

/* A byte of a syllable of folded text, as kn_syllable_next has it. */
static int
is_syl(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80 ||
	    (c >= 'A' && c <= 'Z');
}

/* Append a syllable whose hash is known. */
static int
push(struct kn_toks *tk, const char *syl, size_t len, unsigned long long h)
{
	struct kn_tok *t;

	if (tk->n == tk->cap) {
		size_t cap = tk->cap ? tk->cap * 2 : 256;

		if ((t = realloc(tk->t, cap * sizeof(*t))) == NULL)
			return -1;
		tk->t = t;
		tk->cap = cap;
	}
	if (tk->text.len + len + 2 > tk->text.cap &&
	    kn_buf_grow(&tk->text, len + 2) == -1)
		return -1;
	if (tk->n > 0) {
		tk->text.data[tk->text.len++] = ' ';
		tk->t[tk->n - 1].h2 = kn_toks_pair(tk->t[tk->n - 1].h, h);
	}
	t = &tk->t[tk->n++];
	t->h = h;
	t->h2 = 0;
	t->off = tk->text.len;
	t->len = len;
	memcpy(tk->text.data + tk->text.len, syl, len);
	tk->text.len += len;
	tk->text.data[tk->text.len] = '\0';
	return 0;
}

int
kn_toks_push(struct kn_toks *tk, const char *syl, size_t len)
{
	return push(tk, syl, len, kn_hash64(syl, len));
}

/* Push every syllable of the folded string s. */
static int
push_all(struct kn_toks *tk, const char *s, size_t len)
{
	const char *syl;
	size_t pos = 0, n;

	while (kn_syllable_next(s, len, &pos, &syl, &n))
		if (kn_toks_push(tk, syl, n) == -1)
			return -1;
	return 0;
}

/* The expansion of syllable syl (hash h), or NULL, through the cache. */
static const char *
abbrev(struct kn_toks *tk, const struct kn_abbrev *ab, const char *syl,
    size_t len, unsigned long long h)
{
	size_t i;

	if (tk->cache_ab != ab || tk->cache == NULL) {
		if (tk->cache == NULL &&
		    (tk->cache = malloc(sizeof(*tk->cache))) == NULL)
			return kn_abbrev_lookup(ab, syl, len);
		memset(tk->cache, 0, sizeof(*tk->cache));
		tk->cache_ab = ab;
	}
	i = (size_t)((h ^ (h >> 32)) * 0x9E3779B97F4A7C15ULL >> 52) &
	    (CACHE_SIZE - 1);
	if (tk->cache->e[i].h != h || h == 0) {
		tk->cache->e[i].h = h;
		tk->cache->e[i].ex = kn_abbrev_lookup(ab, syl, len);
	}
	return tk->cache->e[i].ex;
}

int
kn_toks_add(struct kn_toks *tk, const struct kn_abbrev *ab, const char *s,
    size_t len)
{
	const char *f, *ex;
	size_t i, start, flen;
	unsigned long long h;

	kn_buf_reset(&tk->exact);
	switch (kn_abbrev_exact(ab, &tk->exact, s, len)) {
	case -1:
		return -1;
	case 1:
		s = tk->exact.data;
		len = tk->exact.len;
		break;
	}
	kn_buf_reset(&tk->fold);
	if (kn_text_fold(&tk->fold, s, len) == -1)
		return -1;
	f = kn_buf_str(&tk->fold);
	flen = tk->fold.len;
	for (i = 0; i < flen; ) {
		if (!is_syl((unsigned char)f[i])) {
			i++;
			continue;
		}
		h = FNV_OFFSET;
		for (start = i; i < flen && is_syl((unsigned char)f[i]); i++) {
			h ^= (unsigned char)f[i];
			h *= FNV_PRIME;
		}
		if (ab != NULL && (ex = abbrev(tk, ab, f + start, i - start,
		    h)) != NULL) {
			if (push_all(tk, ex, strlen(ex)) == -1)
				return -1;
		} else if (push(tk, f + start, i - start, h) == -1)
			return -1;
	}
	return 0;
}

void
kn_toks_reset(struct kn_toks *tk)
{
	tk->n = 0;
	kn_buf_reset(&tk->text);
}

void
kn_toks_free(struct kn_toks *tk)
{
	free(tk->t);
	tk->t = NULL;
	tk->n = tk->cap = 0;
	kn_buf_free(&tk->text);
	kn_buf_free(&tk->fold);
	kn_buf_free(&tk->exact);
	free(tk->cache);
	tk->cache = NULL;
	tk->cache_ab = NULL;
}

const char *
kn_toks_str(const struct kn_toks *tk, size_t i, size_t *len)
{
	*len = tk->t[i].len;
	return tk->text.data + tk->t[i].off;
}

unsigned long long
kn_toks_pair(unsigned long long a, unsigned long long b)
{
	/* A multiply-xorshift mix, so that "a b" and "b a" differ. */
	a ^= a >> 31;
	a *= 0x9E3779B97F4A7C15ULL;
	a ^= a >> 29;
	return a ^ (b + 0x632BE59BD9B4E019ULL);
}
