/*
 * fuzz_read.h: the body the reader harnesses share.  The input is read
 * in chunks of a size the first byte picks; every record read is
 * written back as JSON and as CSV cells, so the writers are exercised
 * too, and must be valid UTF-8 whatever came in.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kn_private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_read(const uint8_t *data, size_t size, enum kn_format fmt,
    const char *encoding, int delim)
{
	struct kn_read_opts o = { 0 };
	struct kn_reader *rd;
	struct kn_record *r;
	struct kn_error err;
	struct kn_buf b = KN_BUF_INIT, v = KN_BUF_INIT;
	size_t raw, i;
	int rc, n = 0;

	if (size < 1)
		return;
	o.format = fmt;
	o.encoding = encoding;
	o.delim = delim;
	o.max_field = 4096;
	o.max_record = 16384;
	o.max_fields = 64;
	rd = kn_reader_mem((const char *)data + 1, size - 1, "fuzz", &o,
	    &err);
	if (rd == NULL)
		return;
	knp_reader_chunk(rd, data[0]);
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
		for (i = 0; i < kn_record_len(r); i++) {
			kn_buf_reset(&v);
			kn_record_text(r, kn_record_key_at(r, i), &v);
			kn_csv_cell(&b, kn_buf_str(&v), v.len, ',', 0);
		}
		kn_record_free(r);
	}
	kn_buf_free(&b);
	kn_buf_free(&v);
	kn_reader_close(rd);
}
