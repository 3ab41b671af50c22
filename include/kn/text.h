/*
 * kn/text.h: Vietnamese text: UTF-8 validation, NFC, whitespace
 * collapsing, the folded form used for matching, and syllables.
 *
 * The folded form is lower case with every diacritic removed and
 * đ turned into d: "Đề nghị cấp xe" and "de nghi cap xe" fold alike,
 * whether the input was NFC or NFD.  Syllables are the maximal runs of
 * letters and digits of the folded form.
 *
 * Functions that append do so to a caller's struct kn_buf.
 */
#ifndef KN_TEXT_H
#define KN_TEXT_H

#include <stddef.h>

#include "buf.h"

/*
 * 1 when s[0..len) is valid UTF-8: shortest form, no surrogates, at most
 * U+10FFFF.  When not, *bad (if not NULL) is the offset of the first bad
 * byte.
 */
int	 kn_utf8_valid(const char *s, size_t len, size_t *bad);
/* Decode one code point at s (valid UTF-8 assumed); returns its length. */
int	 kn_utf8_decode(const char *s, size_t len, long *cp);
/* Append the UTF-8 encoding of cp. */
int	 kn_utf8_put(struct kn_buf *b, long cp);
/* Append s with every invalid byte replaced by U+FFFD. */
int	 kn_utf8_sanitize(struct kn_buf *b, const char *s, size_t len);
/* Display width of valid UTF-8 s on a terminal (combining marks are 0). */
size_t	 kn_text_width(const char *s, size_t len);

/*
 * Append the clean form of valid UTF-8 s: NFC, control characters and
 * zero-width marks removed, runs of white space (any Unicode space,
 * newlines included) made one space, no leading or trailing space.
 */
int	 kn_text_clean(struct kn_buf *out, const char *s, size_t len);
/* Append the NFC form of valid UTF-8 s. */
int	 kn_text_nfc(struct kn_buf *out, const char *s, size_t len);
/*
 * 1 when a quick scan shows valid UTF-8 s to be in NFC already: ASCII,
 * Latin-1 and the precomposed Vietnamese letters are; 0 when s may not
 * be (a combining mark, another script), and kn_text_nfc must tell.
 */
int	 kn_text_nfc_quick(const char *s, size_t len);
/* Append the folded form of valid UTF-8 s. */
int	 kn_text_fold(struct kn_buf *out, const char *s, size_t len);
/*
 * Append the syllables of s, folded, separated by single spaces: the
 * canonical key under which texts are compared ("Xã  Hạc-Thành." gives
 * "xa hac thanh").
 */
int	 kn_text_key(struct kn_buf *out, const char *s, size_t len);

/*
 * Syllable iterator over a folded string: sets *start and *len to the
 * next run of ASCII letters and digits at or after *pos and advances
 * *pos; returns 0 at the end.
 */
int	 kn_syllable_next(const char *folded, size_t flen, size_t *pos,
	    const char **start, size_t *len);

/* 64-bit FNV-1a hash of n bytes, for ids and duplicate indexes. */
unsigned long long kn_hash64(const void *p, size_t n);

#endif
