/*
 * fuzz_kb.c: libFuzzer harness for the knowledge-base loader and its
 * index.  The first byte picks JSON Lines or CSV; the rest is the file.
 * When it loads, the index is built and searched with a few queries.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn_private.h"
#include "kn/abbrev.h"
#include "kn/answer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const queries[] = {
	"Đề nghị cấp xe ô tô cho CAX miền núi",
	"de nghi huong dan dang ky thuong tru",
	"",
	"a b c d e f g h i k",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_read_opts ro = { 0 };
	struct kn_kb *kb;
	struct kn_error err;
	struct kn_hit hit;
	const struct kn_hit *hits;
	char path[64];
	FILE *fp;
	size_t i;

	if (size < 1)
		return 0;
	ro.format = data[0] & 1 ? KN_FMT_CSV : KN_FMT_AUTO;
	ro.max_field = 4096;
	snprintf(path, sizeof(path), "/tmp/kn-fuzz-kb-%ld", (long)getpid());
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data + 1, 1, size - 1, fp);
	fclose(fp);
	kn_error_clear(&err);
	if ((kb = kn_kb_new(NULL)) == NULL)
		return 0;
	if (kn_kb_load(kb, path, &ro, &err) == 0 &&
	    kn_kb_build(kb, &err) == 0) {
		for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
			kn_kb_best(kb, queries[i], strlen(queries[i]),
			    i & 1 ? "admin_order" : NULL, 0, &hit);
			kn_kb_rank(kb, queries[i], strlen(queries[i]), NULL,
			    &hits);
		}
	}
	kn_kb_free(kb);
	unlink(path);
	return 0;
}
