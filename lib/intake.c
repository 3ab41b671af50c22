/*
 * intake.c: canonical records from what communes send.
 *
 * Duplicate detection keeps, for each record taken in, a 64-bit hash of
 * its normalised commune and text and one of its id, each with the
 * index of the id in an arena; memory grows by a few dozen bytes per
 * record whatever the size of the text.
 */
#include <stdlib.h>
#include <string.h>

#include "kn_private.h"

#define CACHE_MAX 256

static const char *const canonical[] = {
	"id", "row", "commune", "commune_code", "submitted", "title", "text",
	"submitter", NULL
};

struct alias {
	char	*key;		/* folded syllables of the alias */
	const char *canon;	/* one of canonical[] */
	int	 syllables;
};

struct cache {
	char	*column;
	const char *canon;	/* NULL: no canonical key */
};

struct kn_intake {
	struct kn_intake_opts o;
	struct kn_communes *communes;
	struct alias	*a;
	size_t		 na;
	struct cache	 cache[CACHE_MAX];
	size_t		 ncache;
	struct kn_set	*ids;		/* id hash -> arena offset */
	struct kn_set	*content;	/* content hash -> arena offset */
	struct kn_buf	 arena;		/* id NUL where NUL, for each record */
	long		 seen_end;	/* arena offsets below: the ledger */
	long		 dup_of;	/* offset of the original duplicated */
	unsigned long	 nseen;
	struct kn_buf	 tmp, tmp2;
};

static const char *
canon_name(const char *k)
{
	int i;

	for (i = 0; canonical[i] != NULL; i++)
		if (strcmp(canonical[i], k) == 0)
			return canonical[i];
	return NULL;
}

static int
count_syllables(const char *key)
{
	int n = *key != '\0';

	for (; *key != '\0'; key++)
		n += *key == ' ';
	return n;
}

static int
load_aliases(struct kn_intake *in, const char *path, struct kn_error *err)
{
	static const char *const req[] = { "key", "alias", NULL };
	struct kn_table t;
	struct kn_buf k = KN_BUF_INIT;
	size_t i;
	int j;

	if (kn_table_load(&t, path, req, err) == -1)
		return -1;
	/* Every canonical key is an alias of itself. */
	if ((in->a = calloc(t.n + 8, sizeof(*in->a))) == NULL)
		goto nomem;
	for (j = 0; canonical[j] != NULL; j++) {
		kn_buf_reset(&k);
		if (kn_text_key(&k, canonical[j], strlen(canonical[j])) == -1 ||
		    (in->a[in->na].key = strdup(k.data)) == NULL)
			goto nomem;
		in->a[in->na].canon = canonical[j];
		in->a[in->na++].syllables = count_syllables(k.data);
	}
	for (i = 0; i < t.n; i++) {
		const char *key = kn_record_strz(t.rows[i], "key");
		const char *alias = kn_record_strz(t.rows[i], "alias");

		if ((in->a[in->na].canon = canon_name(key)) == NULL) {
			kn_error_set(err, KN_EDATA, path,
			    kn_record_line(t.rows[i]), "\"%s\" is not a "
			    "canonical key (id, row, commune, commune_code, "
			    "submitted, title, text, submitter)", key);
			goto fail;
		}
		kn_buf_reset(&k);
		if (kn_text_key(&k, alias, strlen(alias)) == -1)
			goto nomem;
		if (k.len == 0)
			continue;
		if ((in->a[in->na].key = strdup(k.data)) == NULL)
			goto nomem;
		in->a[in->na++].syllables = count_syllables(k.data);
	}
	kn_buf_free(&k);
	kn_table_free(&t);
	return 0;
nomem:
	kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
fail:
	kn_buf_free(&k);
	kn_table_free(&t);
	return -1;
}

static const char *
match_alias(const struct kn_intake *in, const char *key)
{
	const struct alias *best = NULL;
	size_t i, n, kl = strlen(key);

	for (i = 0; i < in->na; i++)
		if (strcmp(in->a[i].key, key) == 0)
			return in->a[i].canon;
	/* "Nội dung kiến nghị của Công an xã" starts with "nội dung". */
	for (i = 0; i < in->na; i++) {
		n = strlen(in->a[i].key);
		if (in->a[i].syllables >= 2 && n < kl && key[n] == ' ' &&
		    strncmp(in->a[i].key, key, n) == 0 &&
		    (best == NULL || in->a[i].syllables > best->syllables))
			best = &in->a[i];
	}
	return best != NULL ? best->canon : NULL;
}

const char *
kn_intake_canonical(struct kn_intake *in, const char *column)
{
	const char *canon;
	size_t i;

	for (i = 0; i < in->ncache; i++)
		if (strcmp(in->cache[i].column, column) == 0)
			return in->cache[i].canon;
	kn_buf_reset(&in->tmp);
	if (kn_text_key(&in->tmp, column, strlen(column)) == -1)
		return NULL;
	canon = match_alias(in, kn_buf_str(&in->tmp));
	if (in->ncache < CACHE_MAX &&
	    (in->cache[in->ncache].column = strdup(column)) != NULL)
		in->cache[in->ncache++].canon = canon;
	return canon;
}

/*
 * Append an id and where it was seen ("march.csv:14") to the arena;
 * their offset, or -1.
 */
static long
keep_id(struct kn_intake *in, const char *id, const char *where)
{
	long off = (long)in->arena.len;

	if (kn_buf_add(&in->arena, id, strlen(id) + 1) == -1 ||
	    kn_buf_add(&in->arena, where, strlen(where) + 1) == -1)
		return -1;
	return off;
}

static const char *
where_of(const struct kn_intake *in, long off)
{
	return in->arena.data + off + strlen(in->arena.data + off) + 1;
}

/* Where the ledger or this run has id in the arena, or -1. */
static long
id_offset(const struct kn_intake *in, const char *id)
{
	long off;

	if (kn_set_get(in->ids, kn_hash64(id, strlen(id)), &off) &&
	    strcmp(in->arena.data + off, id) == 0)
		return off;
	return -1;
}

/*
 * Is r, whose content hash is h, already known?  Its id in the ledger
 * or the same commune and text: KN_DUPLICATE (in->dup_of says of what).
 * Its given id used by another record of this run: KN_REJECT.
 */
static enum kn_verdict
check_duplicate(struct kn_intake *in, const struct kn_record *r,
    unsigned long long h, int given_id, struct kn_buf *why)
{
	const char *id = kn_record_strz(r, "id");
	long off, idoff = id_offset(in, id);

	if (idoff >= 0 && idoff < in->seen_end) {
		in->dup_of = idoff;
		kn_buf_addf(why, "already in the ledger (id \"%s\")", id);
		return KN_DUPLICATE;
	}
	if (kn_set_get(in->content, h, &off)) {
		in->dup_of = off;
		if (off < in->seen_end)
			kn_buf_addf(why, "same commune and text as \"%s\" in "
			    "the ledger", in->arena.data + off);
		else
			kn_buf_addf(why, "same commune and text as %s",
			    where_of(in, off));
		return KN_DUPLICATE;
	}
	if (given_id && idoff >= 0) {
		kn_buf_addf(why, "duplicate id \"%s\" (already used at %s)",
		    id, where_of(in, idoff));
		return KN_REJECT;
	}
	return KN_ACCEPT;
}

static unsigned long long
hash_parts(const char *a, const char *b, const char *c)
{
	struct kn_buf k = KN_BUF_INIT;
	unsigned long long h;

	kn_buf_adds(&k, a);
	kn_buf_addc(&k, 0x1f);
	kn_buf_adds(&k, b);
	if (c != NULL) {
		kn_buf_addc(&k, 0x1f);
		kn_buf_adds(&k, c);
	}
	h = kn_hash64(k.data, k.len);
	kn_buf_free(&k);
	return h;
}

/* The commune part of the duplicate key: its code, or its folded name. */
static void
commune_key(struct kn_buf *out, const struct kn_record *r)
{
	const char *code = kn_record_strz(r, "commune_code");
	const char *name = kn_record_strz(r, "commune");

	if (*code != '\0')
		kn_buf_adds(out, code);
	else
		kn_text_key(out, name, strlen(name));
}

static unsigned long long
content_hash(struct kn_intake *in, const struct kn_record *r)
{
	const char *text = kn_record_strz(r, "text");

	kn_buf_reset(&in->tmp);
	kn_buf_reset(&in->tmp2);
	commune_key(&in->tmp, r);
	kn_text_key(&in->tmp2, text, strlen(text));
	return hash_parts(kn_buf_str(&in->tmp), kn_buf_str(&in->tmp2), NULL);
}

static int
load_seen(struct kn_intake *in, const char *path, struct kn_error *err)
{
	struct kn_reader *rd;
	struct kn_record *r;
	const char *id;
	long off;
	int rc;

	if ((rd = kn_reader_open(path, NULL, err)) == NULL)
		return -1;
	while ((rc = kn_reader_next(rd, &r, err)) != KN_READ_END) {
		if (rc != KN_READ_RECORD) {
			kn_reader_close(rd);
			return -1;
		}
		in->nseen++;
		id = kn_record_strz(r, "id");
		if (*id != '\0') {
			if ((off = keep_id(in, id, "ledger")) == -1 ||
			    kn_set_add(in->ids, kn_hash64(id, strlen(id)), off,
			    NULL) == -1 ||
			    kn_set_add(in->content, content_hash(in, r), off,
			    NULL) == -1) {
				kn_record_free(r);
				kn_reader_close(rd);
				kn_error_set(err, KN_ENOMEM, path, 0,
				    "out of memory");
				return -1;
			}
		}
		kn_record_free(r);
	}
	kn_reader_close(rd);
	in->seen_end = (long)in->arena.len;
	return 0;
}

struct kn_intake *
kn_intake_new(const struct kn_intake_opts *opts, struct kn_error *err)
{
	struct kn_intake *in;
	struct kn_buf path = KN_BUF_INIT;

	if ((in = calloc(1, sizeof(*in))) == NULL) {
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
		return NULL;
	}
	in->o = *opts;
	if ((in->ids = kn_set_new()) == NULL ||
	    (in->content = kn_set_new()) == NULL) {
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
		goto fail;
	}
	if (opts->communes == NULL)
		kn_data_path(&path, "communes.csv");
	else
		kn_buf_adds(&path, opts->communes);
	if ((in->communes = kn_communes_load(path.data, err)) == NULL)
		goto fail;
	kn_buf_reset(&path);
	if (opts->headers == NULL)
		kn_data_path(&path, "headers.csv");
	else
		kn_buf_adds(&path, opts->headers);
	if (load_aliases(in, path.data, err) == -1)
		goto fail;
	if (opts->seen != NULL && load_seen(in, opts->seen, err) == -1)
		goto fail;
	in->o.communes = in->o.headers = in->o.seen = NULL;
	kn_buf_free(&path);
	return in;
fail:
	kn_buf_free(&path);
	kn_intake_free(in);
	return NULL;
}

void
kn_intake_free(struct kn_intake *in)
{
	size_t i;

	if (in == NULL)
		return;
	kn_communes_free(in->communes);
	for (i = 0; i < in->na; i++)
		free(in->a[i].key);
	free(in->a);
	for (i = 0; i < in->ncache; i++)
		free(in->cache[i].column);
	kn_set_free(in->ids);
	kn_set_free(in->content);
	kn_buf_free(&in->arena);
	kn_buf_free(&in->tmp);
	kn_buf_free(&in->tmp2);
	free(in);
}

unsigned long
kn_intake_seen_count(const struct kn_intake *in)
{
	return in->nseen;
}

/*
 * The value of column key of rec as clean text into out: 0 when it is a
 * string or a number, 1 when absent or null, -1 when it is an array, an
 * object or a boolean (why says so).
 */
static int
clean_value(const struct kn_record *rec, const char *col, const char *canon,
    struct kn_buf *out, struct kn_buf *why)
{
	struct kn_buf raw = KN_BUF_INIT;
	enum kn_type t = kn_record_type(rec, col);

	kn_buf_reset(out);
	if (t == KN_ABSENT || t == KN_NULL)
		return 1;
	if (t != KN_STRING && t != KN_NUMBER) {
		const char *what = t == KN_ARRAY ? "an array" : t == KN_OBJECT ?
		    "an object" : "a boolean";

		if (strcmp(canon, col) == 0)
			kn_buf_addf(why, "%s is %s, not text", canon, what);
		else
			kn_buf_addf(why, "%s (column \"%s\") is %s, not text",
			    canon, col, what);
		return -1;
	}
	kn_record_text(rec, col, &raw);
	kn_text_clean(out, kn_buf_str(&raw), raw.len);
	kn_buf_free(&raw);
	return 0;
}

enum kn_verdict
kn_intake_record(struct kn_intake *in, const struct kn_record *rec,
    struct kn_record **out, struct kn_buf *why, struct kn_buf *warn)
{
	const char *col[8] = { NULL };	/* canonical index -> column */
	struct kn_buf v = KN_BUF_INIT;
	struct kn_record *r;
	const struct kn_commune *unit = NULL;
	enum kn_verdict verdict = KN_REJECT;
	size_t i, n = kn_record_len(rec);
	unsigned long long h;
	long off;
	int j, given_id = 0;
	char idbuf[20], datebuf[KN_DATE_LEN];

	*out = NULL;
	if ((r = kn_record_new()) == NULL)
		goto nomem;
	kn_record_set_origin(r, kn_record_source(rec), kn_record_line(rec));
	for (i = 0; i < n; i++) {
		const char *k = kn_record_key_at(rec, i);
		const char *canon = kn_intake_canonical(in, k);

		for (j = 0; canon != NULL && canonical[j] != NULL; j++)
			if (canonical[j] == canon && col[j] == NULL) {
				col[j] = k;
				break;
			}
		if (canon != NULL && canonical[j] == NULL && strcmp(canon, k))
			kn_buf_addf(warn, "column \"%s\" would be %s too, but "
			    "an earlier column is; kept as it is\n", k, canon);
	}
	/* The canonical keys in their order, cleaned. */
	for (j = 0; canonical[j] != NULL; j++) {
		const char *c = canonical[j];
		int rc = col[j] ? clean_value(rec, col[j], c, &v, why) : 1;

		if (rc < 0)
			goto reject;
		if (kn_record_set_strn(r, c, kn_buf_str(&v), rc ? 0 : v.len) ==
		    -1)
			goto nomem;
	}
	if (*kn_record_strz(r, "row") == '\0')
		kn_record_del(r, "row");
	if (col[6] == NULL) {
		/* No column is the text: say what columns there are. */
		kn_buf_adds(why, "no text column among ");
		for (i = 0; i < n && i < 8; i++)
			kn_buf_addf(why, "%s\"%s\"", i ? ", " : "",
			    kn_record_key_at(rec, i));
		kn_buf_adds(why, i < n ? ", ..." : "");
		kn_buf_adds(why, " (a wrong delimiter? see --delimiter; "
		    "other names? see --headers)");
		goto reject;
	}
	if (*kn_record_strz(r, "text") == '\0') {
		kn_buf_addf(why, "text is empty");
		goto reject;
	}
	/* The date, as ISO. */
	if (*kn_record_strz(r, "submitted") != '\0') {
		struct kn_error derr;
		long day;

		kn_error_clear(&derr);
		if (kn_date_parse(kn_record_str(r, "submitted"), &day, &derr) ==
		    -1) {
			kn_buf_addf(why, "submitted: %s", derr.text);
			goto reject;
		}
		kn_date_format(day, datebuf);
		kn_record_set_str(r, "submitted", datebuf);
	}
	/* The commune, by its official name. */
	{
		const char *written = kn_record_strz(r, "commune");
		const char *code = kn_record_strz(r, "commune_code");
		struct kn_buf amb = KN_BUF_INIT;
		enum kn_match m = KN_MATCH_NONE;

		if (*code != '\0' && (unit = kn_communes_by_code(in->communes,
		    code)) != NULL)
			m = KN_MATCH_CODE;
		else if (*written != '\0')
			m = kn_communes_resolve(in->communes, written, &unit,
			    &amb);
		if (unit != NULL) {
			if (m == KN_MATCH_FORMER)
				kn_record_set_str(r, "commune_former", written);
			kn_record_set_str(r, "commune", unit->name);
			kn_record_set_str(r, "commune_code", unit->code);
		} else {
			const char *what = *written == '\0' ?
			    "commune is empty" : NULL;

			if (in->o.strict_commune) {
				if (what != NULL)
					kn_buf_addf(why, "%s", what);
				else if (m == KN_MATCH_AMBIGUOUS)
					kn_buf_addf(why, "commune \"%s\" is "
					    "ambiguous: %s", written,
					    kn_buf_str(&amb));
				else
					kn_buf_addf(why, "unknown commune "
					    "\"%s\"", written);
				kn_buf_free(&amb);
				goto reject;
			}
			if (what != NULL)
				kn_buf_addf(warn, "%s\n", what);
			else if (m == KN_MATCH_AMBIGUOUS)
				kn_buf_addf(warn, "commune \"%s\" is ambiguous "
				    "(%s); kept as written\n", written,
				    kn_buf_str(&amb));
			else {
				kn_buf_addf(warn, "unknown commune \"%s\"; "
				    "kept as written", written);
				kn_buf_reset(&amb);
				if (kn_communes_suggest(in->communes, written,
				    &amb) == 0)
					kn_buf_addf(warn, " (did you mean "
					    "\"%s\"?)", amb.data);
				kn_buf_addc(warn, '\n');
			}
		}
		kn_buf_free(&amb);
	}
	/* Every other key, as it came. */
	for (i = 0; i < n; i++) {
		const char *k = kn_record_key_at(rec, i);

		for (j = 0; canonical[j] != NULL; j++)
			if (col[j] != NULL && strcmp(col[j], k) == 0)
				break;
		if (canonical[j] != NULL)
			continue;
		if (kn_record_has(r, k)) {
			kn_buf_addf(warn, "column \"%s\" clashes with a key "
			    "kiennghi sets; dropped its value \"", k);
			kn_record_text(rec, k, warn);
			kn_buf_adds(warn, "\"\n");
			continue;
		}
		if (kn_record_copy(r, k, rec, k) == -1)
			goto nomem;
	}
	if (!kn_record_has(r, "source_file")) {
		kn_record_set_str(r, "source_file", kn_record_source(rec));
		kn_record_set_int(r, "source_line", kn_record_line(rec));
	}
	/* The id: as given, or derived from commune, date and text. */
	h = content_hash(in, r);
	if (*kn_record_strz(r, "id") != '\0')
		given_id = 1;
	else {
		kn_buf_reset(&in->tmp);
		kn_buf_reset(&in->tmp2);
		commune_key(&in->tmp, r);
		kn_text_key(&in->tmp2, kn_record_strz(r, "text"),
		    strlen(kn_record_strz(r, "text")));
		snprintf(idbuf, sizeof(idbuf), "%016llx", hash_parts(
		    kn_buf_str(&in->tmp), kn_record_strz(r, "submitted"),
		    kn_buf_str(&in->tmp2)));
		kn_record_set_str(r, "id", idbuf);
	}
	verdict = check_duplicate(in, r, h, given_id, why);
	if (verdict == KN_REJECT)
		goto reject;
	if (verdict == KN_DUPLICATE) {
		if (!in->o.keep_duplicates) {
			kn_buf_free(&v);
			kn_record_free(r);
			return KN_DUPLICATE;
		}
		kn_record_set_str(r, "duplicate_of", in->arena.data +
		    in->dup_of);
		kn_record_set_str(r, "status", "duplicate");
		/*
		 * A derived id the original has too (same commune, date and
		 * text): give the copy one of its own, from that id and where
		 * the copy was read, so that ids stay unique and stable.
		 */
		if (!given_id && id_offset(in, kn_record_strz(r, "id")) >= 0) {
			kn_buf_reset(&in->tmp);
			kn_buf_addf(&in->tmp, "%ld", kn_record_line(rec));
			snprintf(idbuf, sizeof(idbuf), "%016llx", hash_parts(
			    kn_record_strz(r, "id"), kn_record_source(rec),
			    kn_buf_str(&in->tmp)));
			kn_record_set_str(r, "id", idbuf);
		}
	} else {
		const char *id = kn_record_str(r, "id");

		kn_buf_reset(&in->tmp);
		kn_buf_addf(&in->tmp, "%s:%ld", kn_record_source(rec),
		    kn_record_line(rec));
		if ((off = keep_id(in, id, kn_buf_str(&in->tmp))) == -1 ||
		    kn_set_add(in->ids, kn_hash64(id, strlen(id)), off,
		    NULL) == -1 || kn_set_add(in->content, h, off, NULL) == -1)
			goto nomem;
	}
	kn_buf_free(&v);
	*out = r;
	return verdict;
reject:
	kn_buf_free(&v);
	kn_record_free(r);
	return verdict;
nomem:
	kn_buf_free(&v);
	kn_record_free(r);
	kn_buf_addf(why, "out of memory");
	return KN_REJECT;
}
