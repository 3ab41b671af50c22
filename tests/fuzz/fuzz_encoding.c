/*
 * fuzz_encoding.c: libFuzzer harness for the legacy-encoding path: the
 * bytes are decoded through iconv from CP1258, TCVN, VISCII and UTF-16
 * before the CSV reader sees them.
 */
#include "fuzz_read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const enc[] = { "CP1258", "TCVN", "VISCII",
	    "UTF-16" };

	if (size < 1)
		return 0;
	fuzz_read(data, size, KN_FMT_AUTO, enc[data[0] >> 6], 0);
	return 0;
}
