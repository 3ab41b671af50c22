/*
 * record.c: an ordered map of keys to JSON values.  Records hold a dozen
 * keys, so a linear search over an array beats any hash table here.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn_private.h"

struct knp_field {
	char	*key;
	json_t	*val;
};

struct kn_record {
	struct knp_field *f;
	size_t		 n, cap;
	const char	*source;
	long		 line;
};

struct kn_record *
kn_record_new(void)
{
	return calloc(1, sizeof(struct kn_record));
}

void
kn_record_free(struct kn_record *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->f[i].key);
		json_decref(r->f[i].val);
	}
	free(r->f);
	free(r);
}

static long
find(const struct kn_record *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strcmp(r->f[i].key, key) == 0)
			return (long)i;
	return -1;
}

int
knp_record_put(struct kn_record *r, const char *key, json_t *v)
{
	struct knp_field *f;
	long i;

	if (v == NULL)
		return -1;
	if ((i = find(r, key)) >= 0) {
		json_decref(r->f[i].val);
		r->f[i].val = v;
		return 0;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;

		if ((f = realloc(r->f, cap * sizeof(*f))) == NULL)
			goto fail;
		r->f = f;
		r->cap = cap;
	}
	if ((r->f[r->n].key = strdup(key)) == NULL)
		goto fail;
	r->f[r->n].val = v;
	r->n++;
	return 0;
fail:
	json_decref(v);
	return -1;
}

json_t *
knp_record_get(const struct kn_record *r, const char *key)
{
	long i = find(r, key);

	return i >= 0 ? r->f[i].val : NULL;
}

struct kn_record *
kn_record_dup(const struct kn_record *r)
{
	struct kn_record *d;
	size_t i;

	if ((d = kn_record_new()) == NULL)
		return NULL;
	for (i = 0; i < r->n; i++)
		if (knp_record_put(d, r->f[i].key,
		    json_deep_copy(r->f[i].val)) == -1) {
			kn_record_free(d);
			return NULL;
		}
	d->source = r->source;
	d->line = r->line;
	return d;
}

size_t
kn_record_len(const struct kn_record *r)
{
	return r->n;
}

const char *
kn_record_key_at(const struct kn_record *r, size_t i)
{
	return i < r->n ? r->f[i].key : NULL;
}

int
kn_record_has(const struct kn_record *r, const char *key)
{
	return find(r, key) >= 0;
}

enum kn_type
kn_record_type(const struct kn_record *r, const char *key)
{
	json_t *v = knp_record_get(r, key);

	if (v == NULL)
		return KN_ABSENT;
	switch (json_typeof(v)) {
	case JSON_OBJECT:	return KN_OBJECT;
	case JSON_ARRAY:	return KN_ARRAY;
	case JSON_STRING:	return KN_STRING;
	case JSON_INTEGER:
	case JSON_REAL:		return KN_NUMBER;
	case JSON_TRUE:
	case JSON_FALSE:	return KN_BOOL;
	default:		return KN_NULL;
	}
}

const char *
kn_record_str(const struct kn_record *r, const char *key)
{
	json_t *v = knp_record_get(r, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

const char *
kn_record_strz(const struct kn_record *r, const char *key)
{
	const char *s = kn_record_str(r, key);

	return s != NULL ? s : "";
}

int
kn_record_num(const struct kn_record *r, const char *key, double *out)
{
	json_t *v = knp_record_get(r, key);

	if (!json_is_number(v))
		return -1;
	*out = json_number_value(v);
	return 0;
}

int
kn_record_bool(const struct kn_record *r, const char *key)
{
	return json_is_true(knp_record_get(r, key));
}

int
kn_record_text(const struct kn_record *r, const char *key, struct kn_buf *buf)
{
	json_t *v = knp_record_get(r, key);
	size_t start = buf->len;

	if (v == NULL)
		return -1;
	if (json_is_string(v)) {
		if (kn_buf_add(buf, json_string_value(v),
		    json_string_length(v)) == -1)
			return -1;
	} else if (json_is_null(v)) {
		if (kn_buf_add(buf, "", 0) == -1)
			return -1;
	} else if (knp_json_dump(buf, v) == -1)
		return -1;
	return (int)(buf->len - start);
}

int
kn_record_set_strn(struct kn_record *r, const char *key, const char *val,
    size_t len)
{
	return knp_record_put(r, key, json_stringn(val, len));
}

int
kn_record_set_str(struct kn_record *r, const char *key, const char *val)
{
	return kn_record_set_strn(r, key, val, strlen(val));
}

int
kn_record_set_int(struct kn_record *r, const char *key, long long v)
{
	return knp_record_put(r, key, json_integer(v));
}

int
kn_record_set_real(struct kn_record *r, const char *key, double v)
{
	if (!isfinite(v))
		return -1;
	return knp_record_put(r, key, json_real(v));
}

int
kn_record_set_bool(struct kn_record *r, const char *key, int v)
{
	return knp_record_put(r, key, json_boolean(v));
}

int
kn_record_set_null(struct kn_record *r, const char *key)
{
	return knp_record_put(r, key, json_null());
}

int
kn_record_set_json(struct kn_record *r, const char *key, const char *json,
    size_t len, struct kn_error *err)
{
	json_error_t jerr;
	json_t *v;

	if ((v = json_loadb(json, len, JSON_DECODE_ANY, &jerr)) == NULL) {
		kn_error_set(err, KN_EJSON, NULL, 0, "%s", jerr.text);
		return -1;
	}
	if (knp_record_put(r, key, v) == -1) {
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
		return -1;
	}
	return 0;
}

int
kn_record_copy(struct kn_record *dst, const char *dkey,
    const struct kn_record *src, const char *skey)
{
	json_t *v = knp_record_get(src, skey);

	if (v == NULL)
		return -1;
	return knp_record_put(dst, dkey, json_incref(v));
}

int
kn_record_del(struct kn_record *r, const char *key)
{
	long i = find(r, key);

	if (i < 0)
		return -1;
	free(r->f[i].key);
	json_decref(r->f[i].val);
	memmove(&r->f[i], &r->f[i + 1], (r->n - (size_t)i - 1) *
	    sizeof(r->f[0]));
	r->n--;
	return 0;
}

int
kn_record_rename(struct kn_record *r, const char *key, const char *newkey)
{
	long i = find(r, key);
	char *k;

	if (i < 0 || find(r, newkey) >= 0)
		return -1;
	if ((k = strdup(newkey)) == NULL)
		return -1;
	free(r->f[i].key);
	r->f[i].key = k;
	return 0;
}

void
kn_record_set_origin(struct kn_record *r, const char *source, long line)
{
	r->source = source;
	r->line = line;
}

const char *
kn_record_source(const struct kn_record *r)
{
	return r->source != NULL ? r->source : "<stdin>";
}

long
kn_record_line(const struct kn_record *r)
{
	return r->line;
}

static int
dump_cb(const char *p, size_t n, void *data)
{
	return kn_buf_add(data, p, n);
}

int
knp_json_dump(struct kn_buf *buf, const json_t *v)
{
	if (json_is_string(v))
		return kn_json_quote(buf, json_string_value(v),
		    json_string_length(v));
	return json_dump_callback(v, dump_cb, buf, JSON_COMPACT |
	    JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
}

int
kn_record_to_json(const struct kn_record *r, struct kn_buf *buf)
{
	size_t i;

	if (kn_buf_addc(buf, '{') == -1)
		return -1;
	for (i = 0; i < r->n; i++) {
		if ((i > 0 && kn_buf_addc(buf, ',') == -1) ||
		    kn_json_quote(buf, r->f[i].key, strlen(r->f[i].key)) ==
		    -1 || kn_buf_addc(buf, ':') == -1 ||
		    knp_json_dump(buf, r->f[i].val) == -1)
			return -1;
	}
	return kn_buf_addc(buf, '}');
}

struct kn_record *
knp_record_from_object(json_t *obj)
{
	struct kn_record *r;
	const char *key;
	json_t *v;

	if ((r = kn_record_new()) == NULL)
		return NULL;
	json_object_foreach(obj, key, v) {
		if (knp_record_put(r, key, json_incref(v)) == -1) {
			kn_record_free(r);
			return NULL;
		}
	}
	return r;
}

json_t *
knp_record_to_object(const struct kn_record *r)
{
	json_t *obj;
	size_t i;

	if ((obj = json_object()) == NULL)
		return NULL;
	for (i = 0; i < r->n; i++)
		if (json_object_set(obj, r->f[i].key, r->f[i].val) == -1) {
			json_decref(obj);
			return NULL;
		}
	return obj;
}

struct kn_record *
kn_record_from_json(const char *json, size_t len, struct kn_error *err)
{
	struct kn_record *r;
	json_error_t jerr;
	json_t *v;

	if ((v = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		kn_error_set(err, KN_EJSON, NULL, jerr.line, "%s", jerr.text);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		kn_error_set(err, KN_EJSON, NULL, 0, "not a JSON object");
		return NULL;
	}
	r = knp_record_from_object(v);
	json_decref(v);
	if (r == NULL)
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
	return r;
}
