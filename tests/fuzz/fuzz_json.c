/* fuzz_json.c: libFuzzer harness for the JSON Lines and JSON readers. */
#include "fuzz_read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_read(data, size, KN_FMT_JSONL, NULL, 0);
	fuzz_read(data, size, KN_FMT_JSON, NULL, 0);
	fuzz_read(data, size, KN_FMT_AUTO, NULL, 0);
	return 0;
}
