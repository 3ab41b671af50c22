/* fuzz_csv.c: libFuzzer harness for the CSV reader (and the writers). */
#include "fuzz_read.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* the delimiter sniffed, and forced to ";" */
	fuzz_read(data, size, KN_FMT_CSV, NULL, 0);
	fuzz_read(data, size, KN_FMT_CSV, NULL, ';');
	return 0;
}
