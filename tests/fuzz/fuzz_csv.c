/*
 * fuzz_csv.c: libFuzzer harness for the readers.  The first byte picks
 * the format and options; the rest is the input, read in chunks of a
 * size the second byte picks.  Every record read is written back as
 * JSON and CSV, so the writers are exercised too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kn_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum kn_format fmts[] = { KN_FMT_AUTO, KN_FMT_CSV,
	    KN_FMT_JSONL, KN_FMT_JSON };
	struct kn_read_opts o = { 0 };
	struct kn_reader *rd;
	struct kn_record *r;
	struct kn_error err;
	struct kn_buf b = KN_BUF_INIT;
	size_t raw;
	int rc, n = 0;

	if (size < 2)
		return 0;
	o.format = fmts[data[0] & 3];
	o.delim = (data[0] >> 2 & 3) == 1 ? ';' : 0;
	o.max_field = 4096;
	o.max_record = 16384;
	o.max_fields = 64;
	if (data[0] & 0x40)
		o.encoding = data[0] & 0x80 ? "CP1258" : "TCVN";
	rd = kn_reader_mem((const char *)data + 2, size - 2, "fuzz", &o, &err);
	if (rd == NULL)
		return 0;
	knp_reader_chunk(rd, data[1] == 0 ? 0 : data[1]);
	while ((rc = kn_reader_next(rd, &r, &err)) != KN_READ_END &&
	    rc != KN_READ_FATAL && n++ < 10000) {
		kn_reader_raw(rd, &raw, NULL);
		if (rc != KN_READ_RECORD)
			continue;
		kn_buf_reset(&b);
		kn_record_to_json(r, &b);
		if (!kn_utf8_valid(b.data, b.len, NULL))
			__builtin_trap();	/* records must be valid UTF-8 */
		kn_buf_reset(&b);
		for (size_t i = 0; i < kn_record_len(r); i++) {
			struct kn_buf v = KN_BUF_INIT;

			kn_record_text(r, kn_record_key_at(r, i), &v);
			kn_csv_cell(&b, kn_buf_str(&v), v.len, ',', 0);
			kn_buf_free(&v);
		}
		kn_record_free(r);
	}
	kn_buf_free(&b);
	kn_reader_close(rd);
	return 0;
}
