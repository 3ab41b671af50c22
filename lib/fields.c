/* fields.c: the field taxonomy. */
#include <stdlib.h>
#include <string.h>

#include "kn_private.h"

struct kn_fields *
kn_fields_load(const char *path, struct kn_error *err)
{
	static const char *const req[] = { "code", "label", NULL };
	struct kn_buf p = KN_BUF_INIT;
	struct kn_fields *fs = NULL;
	struct kn_table t;
	size_t i;

	if (path == NULL)
		kn_data_path(&p, "fields.csv");
	else
		kn_buf_adds(&p, path);
	if (kn_table_load(&t, kn_buf_str(&p), req, err) == -1) {
		kn_buf_free(&p);
		return NULL;
	}
	if ((fs = calloc(1, sizeof(*fs))) == NULL ||
	    (fs->f = calloc(t.n ? t.n : 1, sizeof(*fs->f))) == NULL)
		goto nomem;
	for (i = 0; i < t.n; i++) {
		struct kn_record *r = t.rows[i];
		struct kn_field *f = &fs->f[i];
		const char *code = kn_record_strz(r, "code");
		const char *en = kn_record_strz(r, "label_en");

		if (*code == '\0' || kn_fields_find(fs, code) >= 0) {
			kn_error_set(err, KN_EDATA, t.path, kn_record_line(r),
			    *code ? "field code \"%s\" is repeated" :
			    "a field needs a code%s", code);
			goto fail;
		}
		if ((f->code = strdup(code)) == NULL ||
		    (f->label = strdup(kn_record_strz(r, "label"))) == NULL ||
		    (f->label_en = strdup(*en ? en : code)) == NULL ||
		    (f->description = strdup(kn_record_strz(r,
		    "description"))) == NULL)
			goto nomem;
		fs->n++;
	}
	kn_table_free(&t);
	kn_buf_free(&p);
	return fs;
nomem:
	kn_error_set(err, KN_ENOMEM, kn_buf_str(&p), 0, "out of memory");
fail:
	kn_table_free(&t);
	kn_buf_free(&p);
	kn_fields_free(fs);
	return NULL;
}

void
kn_fields_free(struct kn_fields *fs)
{
	size_t i;

	if (fs == NULL)
		return;
	for (i = 0; i < fs->n; i++) {
		free(fs->f[i].code);
		free(fs->f[i].label);
		free(fs->f[i].label_en);
		free(fs->f[i].description);
	}
	free(fs->f);
	free(fs);
}

int
kn_fields_find(const struct kn_fields *fs, const char *code)
{
	size_t i;

	for (i = 0; i < fs->n; i++)
		if (strcmp(fs->f[i].code, code) == 0)
			return (int)i;
	return -1;
}
