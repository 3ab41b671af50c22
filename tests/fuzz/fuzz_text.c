/*
 * fuzz_text.c: libFuzzer harness for text handling: validation, NFC,
 * cleaning, folding, syllables and width.  Invalid UTF-8 is first
 * sanitised, as the readers guarantee valid UTF-8 to everything after
 * them.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kn_private.h"

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
	kn_buf_free(&s);
	kn_buf_free(&out);
	return 0;
}
