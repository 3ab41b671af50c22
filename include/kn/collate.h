/*
 * kn/collate.h: Vietnamese alphabetical order.
 *
 * Strings compare as in a Vietnamese dictionary, syllable by syllable.
 * Within a syllable the letters come first, in the order of the
 * Vietnamese alphabet (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u
 * ư v x y, with the borrowed f j w z where Latin puts them), then the
 * tone as a secondary key (none, huyền, hỏi, ngã, sắc, nặng).  So "Hà
 * Trung" comes before "Hạ Long", and every "Đ" after every "D".  Runs of
 * digits compare as numbers and before letters ("Phường 2" before
 * "Phường 10").  Spaces, punctuation and case count only when all else
 * is equal (lower case first); NFC and NFD spellings compare equal.
 *
 * Ownership: arguments are borrowed.
 */
#ifndef KN_COLLATE_H
#define KN_COLLATE_H

#include <stddef.h>

#include "buf.h"

/*
 * Append the sort key of UTF-8 s[0..len) to out: two keys compared with
 * kn_collate_keycmp (memcmp, then length) order their strings as above.
 */
int	 kn_collate_key(struct kn_buf *out, const char *s, size_t len);
/* Compare two sort keys made by kn_collate_key: <0, 0, >0. */
int	 kn_collate_keycmp(const char *a, size_t alen, const char *b,
	    size_t blen);
/* Compare two NUL-terminated strings in Vietnamese order: <0, 0, >0. */
int	 kn_collate_cmp(const char *a, const char *b);

#endif
