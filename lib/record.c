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

/* An integer as jansson writes it ("%lld"), without printf. */
static int
dump_integer(struct kn_buf *buf, json_int_t v)
{
	char d[24], *p = d + sizeof(d);
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	return kn_buf_add(buf, p, (size_t)(d + sizeof(d) - p));
}

/*
 * A real that is a whole number of thousandths below 1e9 in magnitude
 * (confidences, scores) as jansson writes it with precision 15: "0.873",
 * "1.0".  -1 when v is not such a number; the caller then lets jansson
 * write it.
 */
static int
dump_real_fast(struct kn_buf *buf, double v)
{
	char d[32], *p = d + sizeof(d);
	long long k;
	unsigned long long u, ip, fp;
	int w = 3;

	if (!(v > -1e9 && v < 1e9) || (v == 0 && signbit(v)))
		return -1;
	k = llround(v * 1000);
	if ((double)k / 1000.0 != v)
		return -1;
	u = (unsigned long long)(k < 0 ? -k : k);
	ip = u / 1000;
	fp = u % 1000;
	if (fp == 0)
		*--p = '0';
	else {
		while (fp % 10 == 0) {
			fp /= 10;
			w--;
		}
		while (w-- > 0) {
			*--p = (char)('0' + fp % 10);
			fp /= 10;
		}
	}
	*--p = '.';
	do
		*--p = (char)('0' + ip % 10);
	while ((ip /= 10) != 0);
	if (k < 0)
		*--p = '-';
	return kn_buf_add(buf, p, (size_t)(d + sizeof(d) - p));
}

/*
 * The compact JSON of any value, as jansson's json_dump_callback writes
 * it, but without its per-value overhead: this runs for every value of
 * every record written.  Strings go through kn_json_quote, objects keep
 * their key order.
 */
int
knp_json_dump(struct kn_buf *buf, const json_t *v)
{
	const char *key;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		return kn_json_quote(buf, json_string_value(v),
		    json_string_length(v));
	case JSON_INTEGER:
		return dump_integer(buf, json_integer_value(v));
	case JSON_TRUE:
		return kn_buf_add(buf, "true", 4);
	case JSON_FALSE:
		return kn_buf_add(buf, "false", 5);
	case JSON_NULL:
		return kn_buf_add(buf, "null", 4);
	case JSON_ARRAY:
		if (kn_buf_addc(buf, '[') == -1)
			return -1;
		json_array_foreach(v, i, x)
			if ((i > 0 && kn_buf_addc(buf, ',') == -1) ||
			    knp_json_dump(buf, x) == -1)
				return -1;
		return kn_buf_addc(buf, ']');
	case JSON_OBJECT:
		if (kn_buf_addc(buf, '{') == -1)
			return -1;
		i = 0;
		json_object_foreach((json_t *)v, key, x)
			if ((i++ > 0 && kn_buf_addc(buf, ',') == -1) ||
			    kn_json_quote(buf, key, strlen(key)) == -1 ||
			    kn_buf_addc(buf, ':') == -1 ||
			    knp_json_dump(buf, x) == -1)
				return -1;
		return kn_buf_addc(buf, '}');
	case JSON_REAL:
		if (dump_real_fast(buf, json_real_value(v)) == 0)
			return 0;
		break;
	}
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
