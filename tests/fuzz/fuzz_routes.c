/*
 * fuzz_routes.c: libFuzzer harness for the routing-table parser.  The
 * input is a routes.csv; the other data files are the shipped ones.
 * When the table loads without a fatal problem, a few records are
 * routed through it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn_private.h"
#include "kn/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const recs[] = {
	"{\"field\":\"crime\",\"text\":\"Tụ điểm ma túy đang hoạt động\","
	    "\"submitted\":\"2025-10-03\",\"commune_code\":\"14797\"}",
	"{\"field\":\"finance\",\"text\":\"kinh phi\",\"submitted\":\"45929\"}",
	"{\"text\":\"không có lĩnh vực\",\"status\":\"answered\"}",
	"{\"field\":\"nope\",\"title\":\"x\",\"text\":\"y\",\"submitted\":1}",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kn_router_opts o = { 0 };
	struct kn_router *r;
	struct kn_error err;
	char path[64];
	FILE *fp;
	int nfatal = 0;
	size_t i;

	setenv("KN_DATA", KN_FUZZ_DATA, 0);
	snprintf(path, sizeof(path), "/tmp/kn-fuzz-routes-%ld.csv",
	    (long)getpid());
	if ((fp = fopen(path, "wb")) == NULL)
		return 0;
	fwrite(data, 1, size, fp);
	fclose(fp);
	o.routes = path;
	kn_error_clear(&err);
	r = kn_router_new(&o, &err);
	if (r != NULL) {
		kn_router_problems(r, &nfatal);
		for (i = 0; nfatal == 0 && i < sizeof(recs) / sizeof(recs[0]);
		    i++) {
			struct kn_record *rec = kn_record_from_json(recs[i],
			    strlen(recs[i]), NULL);
			struct kn_route rt;

			if (rec != NULL && kn_router_route(r, rec, &rt,
			    &err) == 0)
				kn_route_apply(&rt, rec);
			kn_record_free(rec);
		}
	}
	kn_router_free(r);
	unlink(path);
	return 0;
}
