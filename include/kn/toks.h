/*
 * kn/toks.h: a text as the classifier sees it: its folded syllables,
 * abbreviations expanded, each with a 64-bit hash for fast lookups.
 *
 * "Đề nghị CAX cấp xe" becomes "de nghi cong an xa cap xe": seven
 * tokens.  A kn_toks is reused from text to text; it keeps its memory
 * until kn_toks_free, so that the hot path allocates nothing.
 *
 * Ownership: the tokens and their text belong to the kn_toks.
 */
#ifndef KN_TOKS_H
#define KN_TOKS_H

#include <stddef.h>

#include "abbrev.h"
#include "buf.h"

struct kn_tok {
	unsigned long long h;	/* kn_hash64 of the syllable */
	unsigned long long h2;	/* kn_toks_pair with the next; 0: last */
	size_t	 off;		/* the syllable is text.data[off, off + len) */
	size_t	 len;
};

struct kn_toks_cache;

struct kn_toks {
	struct kn_tok	*t;
	size_t		 n, cap;
	struct kn_buf	 text;	/* the syllables, one space apart */
	struct kn_buf	 fold;	/* scratch */
	struct kn_buf	 exact;	/* scratch */
	/* Abbreviation lookups already made, by syllable hash. */
	struct kn_toks_cache *cache;
	const struct kn_abbrev *cache_ab;
};

#define KN_TOKS_INIT { NULL, 0, 0, KN_BUF_INIT, KN_BUF_INIT, KN_BUF_INIT, \
	NULL, NULL }

/*
 * Append the syllables of valid UTF-8 s, folded, with the abbreviations
 * of ab (NULL: none) expanded.  -1 when out of memory.
 */
int	 kn_toks_add(struct kn_toks *tk, const struct kn_abbrev *ab,
	    const char *s, size_t len);
/* Append one folded syllable. */
int	 kn_toks_push(struct kn_toks *tk, const char *syl, size_t len);
/* Forget the tokens, keep the memory. */
void	 kn_toks_reset(struct kn_toks *tk);
void	 kn_toks_free(struct kn_toks *tk);
/* The text of token i (not NUL-terminated; see len). */
const char *kn_toks_str(const struct kn_toks *tk, size_t i, size_t *len);
/* The hash of two syllables in a row, from their hashes. */
unsigned long long kn_toks_pair(unsigned long long a, unsigned long long b);

#endif
