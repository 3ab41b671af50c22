/* data.c: finding and reading the data files. */
#include <sys/stat.h>

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn_private.h"

#ifndef KN_DATADIR
#define KN_DATADIR "/usr/local/share/kiennghi"
#endif

static char datadir[PATH_MAX];

const char *
kn_data_dir(void)
{
	char exe[PATH_MAX], *slash;
	struct kn_buf try = KN_BUF_INIT;
	const char *env;
	struct stat st;
	ssize_t n;

	if (datadir[0] != '\0')
		return datadir;
	if ((env = getenv("KN_DATA")) != NULL && *env != '\0') {
		snprintf(datadir, sizeof(datadir), "%s", env);
		return datadir;
	}
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) > 0) {
		exe[n] = '\0';
		if ((slash = strrchr(exe, '/')) != NULL) {
			*slash = '\0';
			/*
			 * A checkout (bin/ beside data/), or an installation
			 * under any prefix (bin/ beside share/kiennghi/),
			 * whatever prefix the binary was built with.
			 */
			static const char *const rel[] = { "../data",
			    "../share/kiennghi", NULL };
			int i;

			for (i = 0; rel[i] != NULL && datadir[0] == '\0';
			    i++) {
				kn_buf_reset(&try);
				kn_buf_addf(&try, "%s/%s/fields.csv", exe,
				    rel[i]);
				if (stat(kn_buf_str(&try), &st) == 0 &&
				    try.len - 11 < sizeof(datadir)) {
					memcpy(datadir, try.data, try.len - 11);
					datadir[try.len - 11] = '\0';
				}
			}
			kn_buf_free(&try);
			if (datadir[0] != '\0')
				return datadir;
		}
	}
	snprintf(datadir, sizeof(datadir), "%s", KN_DATADIR);
	return datadir;
}

int
kn_data_path(struct kn_buf *out, const char *name)
{
	return kn_buf_addf(out, "%s/%s", kn_data_dir(), name);
}

void
kn_table_free(struct kn_table *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		kn_record_free(t->rows[i]);
	free(t->rows);
	free(t->path);
	memset(t, 0, sizeof(*t));
}

/*
 * Has the table the required columns?  Its CSV header says, at its
 * line; else (JSON Lines) its first row r.  -1 with err set when not.
 */
static int
missing(const struct kn_reader *rd, const struct kn_record *r,
    const char *const *required, struct kn_error *err)
{
	const char *const *hdr, *const *k;
	size_t n, i;

	hdr = kn_reader_header(rd, &n);
	for (k = required; k != NULL && *k != NULL; k++) {
		if (hdr != NULL) {
			for (i = 0; i < n; i++)
				if (strcmp(hdr[i], *k) == 0)
					break;
			if (i < n)
				continue;
		} else if (r == NULL || kn_record_has(r, *k))
			continue;
		kn_error_set(err, KN_EDATA, kn_reader_source(rd), hdr != NULL ?
		    kn_reader_header_line(rd) : kn_record_line(r),
		    "no \"%s\" column", *k);
		return -1;
	}
	return 0;
}

int
kn_table_load(struct kn_table *t, const char *path,
    const char *const *required, struct kn_error *err)
{
	struct kn_reader *rd;
	struct kn_record *r, **rows;
	size_t cap = 0;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((t->path = strdup(path)) == NULL) {
		kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
		return -1;
	}
	if ((rd = kn_reader_open(t->path, NULL, err)) == NULL)
		goto fail;
	while ((rc = kn_reader_next(rd, &r, err)) == KN_READ_RECORD) {
		if (t->n == 0 && missing(rd, r, required, err) == -1) {
			kn_record_free(r);
			goto fail_rd;
		}
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((rows = realloc(t->rows, cap * sizeof(*rows))) ==
			    NULL) {
				kn_record_free(r);
				kn_error_set(err, KN_ENOMEM, t->path, 0,
				    "out of memory");
				goto fail_rd;
			}
			t->rows = rows;
		}
		t->rows[t->n++] = r;
	}
	if (rc != KN_READ_END) {
		if (err != NULL)
			err->code = KN_EDATA;
		goto fail_rd;
	}
	/* A table with a header and no rows still needs its columns. */
	if (t->n == 0 && missing(rd, NULL, required, err) == -1)
		goto fail_rd;
	kn_reader_close(rd);
	return 0;
fail_rd:
	kn_reader_close(rd);
fail:
	kn_table_free(t);
	return -1;
}
