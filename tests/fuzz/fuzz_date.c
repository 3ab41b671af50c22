/*
 * fuzz_date.c: libFuzzer harness for date parsing: any string either
 * fails with a message or gives a real date, whose ISO form parses
 * back to the same day.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "kn_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_buf s = KN_BUF_INIT;
	struct kn_error err;
	char iso[KN_DATE_LEN];
	long day, again;
	int y, m, d;

	kn_utf8_sanitize(&s, (const char *)data, size);
	kn_error_clear(&err);
	if (strlen(kn_buf_str(&s)) == s.len &&
	    kn_date_parse(kn_buf_str(&s), &day, &err) == 0) {
		kn_date_to_ymd(day, &y, &m, &d);
		if (!kn_date_valid(y, m, d))
			__builtin_trap();
		kn_date_format(day, iso);
		if (kn_date_parse(iso, &again, NULL) != 0 || again != day)
			__builtin_trap();
	} else if (err.text[0] == '\0' && s.len > 0 &&
	    strlen(kn_buf_str(&s)) == s.len)
		__builtin_trap();	/* a failure always says why */
	kn_buf_free(&s);
	return 0;
}
