/*
 * fuzz_text.c: libFuzzer harness for text handling: validation, NFC
 * (the quick check never says NFC of what is not), cleaning, folding,
 * syllables, width, and padding or cutting to a width.  Invalid UTF-8
 * is first sanitised, as the readers guarantee valid UTF-8 to
 * everything after them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kn_private.h"
#include "kn/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_buf s = KN_BUF_INIT, out = KN_BUF_INIT;
	const char *syl;
	size_t pos = 0, n;

	kn_utf8_sanitize(&s, (const char *)data, size);
	if (!kn_utf8_valid(kn_buf_str(&s), s.len, NULL))
		__builtin_trap();
	kn_text_clean(&out, kn_buf_str(&s), s.len);
	if (!kn_utf8_valid(kn_buf_str(&out), out.len, NULL))
		__builtin_trap();
	kn_buf_reset(&out);
	kn_text_fold(&out, kn_buf_str(&s), s.len);
	while (kn_syllable_next(kn_buf_str(&out), out.len, &pos, &syl, &n))
		if (n == 0)
			__builtin_trap();
	kn_buf_reset(&out);
	kn_text_key(&out, kn_buf_str(&s), s.len);
	kn_text_width(kn_buf_str(&s), s.len);
	if (kn_text_nfc_quick(kn_buf_str(&s), s.len)) {
		utf8proc_uint8_t *nfc = NULL;
		utf8proc_ssize_t m = utf8proc_map(
		    (const utf8proc_uint8_t *)kn_buf_str(&s),
		    (utf8proc_ssize_t)s.len, &nfc, UTF8PROC_STABLE |
		    UTF8PROC_COMPOSE);

		if (m >= 0 && ((size_t)m != s.len || memcmp(nfc,
		    kn_buf_str(&s), s.len) != 0))
			__builtin_trap();
		free(nfc);
	}
	/* Cut or padded, a label takes exactly the columns asked for. */
	if (size > 0 && memchr(kn_buf_str(&s), '\0', s.len) == NULL) {
		size_t w = data[0] % 48;

		kn_buf_reset(&out);
		kn_text_pad_middle(&out, kn_buf_str(&s), w);
		if (!kn_utf8_valid(kn_buf_str(&out), out.len, NULL) ||
		    kn_text_width(kn_buf_str(&out), out.len) != w)
			__builtin_trap();
	}
	kn_buf_free(&s);
	kn_buf_free(&out);
	return 0;
}
