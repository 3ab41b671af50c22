/*
 * classify.c: kn-classify's classifier: the lexicon, its matcher, and
 * the combination with the statistical model (kn/model.h) into a field,
 * a confidence and an explanation.
 *
 * The lexicon is indexed by hash: phrases of one syllable by that
 * syllable, longer ones by their first two syllables (kn_toks_pair), so
 * that one probe per token finds the few phrases that can start there.
 * Phrases that start alike are chained longest first: the first one
 * that matches at a token is the longest.  Phrases are tokenized the
 * way texts are (folded, abbreviations expanded), so "UBND" in the
 * lexicon matches "Ủy ban nhân dân" in a text and the other way round.
 * Phrases that fold alike in several fields ("lưu trữ", "lưu trú") are
 * one phrase with several entries: a match counts for each.  Words of
 * no field (field "-") are phrases with an entry that counts for
 * nothing: found first, they keep a phrase from being found inside them.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "kn_private.h"
#include "kn/classify.h"

#define SCORE_CACHE 1024	/* a power of two */
#define NO_FIELD ((size_t)-1)	/* the field of a word of no field */

struct lexent {
	char	*term;		/* as written in the lexicon */
	size_t	 field;		/* taxonomy index, or NO_FIELD */
	int	 cls;		/* model class, -1 before a model is set */
	double	 weight;
	size_t	 next;		/* next entry of the same phrase, + 1 */
};

struct lexphr {
	size_t	 nsyl;
	size_t	 hoff;		/* its syllable hashes: hashes[hoff...] */
	size_t	 entry;		/* first entry, + 1 */
	size_t	 next;		/* next phrase with this first syllable, + 1 */
};

struct lexslot {
	unsigned long long h;	/* the first syllable, or the first two */
	size_t	 head;		/* phrase + 1; 0: empty */
};

#define FILTER_BITS 8192	/* a power of two */

struct lextab {
	struct lexslot	*s;
	size_t		 n, mask;
	/* A bit per hash of the keys: most tokens start no phrase, and
	 * this says so from the first-level cache. */
	unsigned char	 filter[FILTER_BITS / 8];
};

static size_t
filter_bit(unsigned long long h)
{
	return (size_t)(h >> 19) & (FILTER_BITS - 1);
}

static int
filter_has(const struct lextab *t, unsigned long long h)
{
	size_t b = filter_bit(h);

	return t->filter[b >> 3] & (1 << (b & 7));
}

struct hit {
	size_t	 phrase;
	unsigned count;
};

struct kn_classifier {
	struct kn_fields *fields;
	struct kn_abbrev *ab;
	struct kn_model	*model;
	double		 min_conf;
	size_t		 other;		/* taxonomy index of "other" */

	struct lexent	*ent;
	size_t		 nent, capent;
	struct lexphr	*phr;
	size_t		 nphr, capphr;
	unsigned long long *hashes;
	size_t		 nhash, caphash;
	struct lextab	 one, two;	/* phrases of one, of more syllables */

	/* Per model class: its taxonomy index; scratch for a text. */
	size_t		*cls_field;
	double		*z, *lex, *nbs;
	size_t		*order;
	json_t		**code_json;	/* per taxonomy field, shared */
	/*
	 * The values every record gets, made once and shared: numbers
	 * k / 1000, and the latest {"field": f, "score": k / 1000} made
	 * for each slot of a small cache of fixed size.
	 */
	json_t		*real[1001];
	struct {
		unsigned long	 key;	/* class * 1001 + k + 1; 0: empty */
		json_t		*o;
	} score[SCORE_CACHE];
	struct kn_toks	 tk;
	struct kn_buf	 scratch, scratch2;
	struct hit	*hits;
	size_t		 nhits, caphits;
	struct kn_evidence *ev;
	size_t		 nev, capev;
	struct kn_model_term mt[KN_CLASSIFY_MODEL_TERMS];
};

/*
 * Array p of *cap elements of size sz made twice as large (16 when
 * empty): the new array, or NULL (p is then untouched).
 */
static void *
enlarge(void *p, size_t *cap, size_t sz)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *q;

	if ((q = realloc(p, c * sz)) != NULL)
		*cap = c;
	return q;
}

/* Room for element n of array a (of cap elements); -1: out of memory. */
#define ROOM(a, cap, n) \
	((n) < (cap) ? 0 : (tmp = enlarge((a), &(cap), sizeof(*(a)))) == \
	    NULL ? -1 : ((a) = tmp, 0))

/* ---- the lexicon index ---- */

static int phrase_at(const struct kn_classifier *, const struct lexphr *,
    const struct kn_tok *, size_t);

static struct lexslot *
lex_slot(const struct lextab *t, unsigned long long h)
{
	size_t i = (size_t)((h ^ (h >> 32)) * 0x9E3779B97F4A7C15ULL >> 40) &
	    t->mask;

	while (t->s[i].head != 0 && t->s[i].h != h)
		i = (i + 1) & t->mask;
	return &t->s[i];
}

/* Make room for one more key: the table stays at most half full. */
static int
lex_room(struct lextab *t)
{
	struct lexslot *old = t->s;
	size_t i, oldsize = t->s ? t->mask + 1 : 0;
	size_t size = oldsize ? oldsize * 2 : 256;

	if ((t->n + 1) * 2 <= oldsize)
		return 0;
	if ((t->s = calloc(size, sizeof(*t->s))) == NULL) {
		t->s = old;
		return -1;
	}
	t->mask = size - 1;
	for (i = 0; i < oldsize; i++)
		if (old[i].head != 0)
			*lex_slot(t, old[i].h) = old[i];
	free(old);
	return 0;
}

/* The first phrase of the chain that fits at t[0..n), or 0; + 1. */
static size_t
lex_find(const struct kn_classifier *c, const struct kn_tok *t, size_t n)
{
	const struct lexslot *s;
	size_t pi;

	if (n > 1 && filter_has(&c->two, t[0].h2)) {
		s = lex_slot(&c->two, t[0].h2);
		for (pi = s->head; pi != 0; pi = c->phr[pi - 1].next)
			if (phrase_at(c, &c->phr[pi - 1], t, n))
				return pi;
	}
	if (filter_has(&c->one, t[0].h))
		return lex_slot(&c->one, t[0].h)->head;
	return 0;
}

/* Do the tokens at t[0..n) start with phrase p? */
static int
phrase_at(const struct kn_classifier *c, const struct lexphr *p,
    const struct kn_tok *t, size_t n)
{
	size_t k;

	if (p->nsyl > n)
		return 0;
	for (k = 2; k < p->nsyl; k++)
		if (t[k].h != c->hashes[p->hoff + k])
			return 0;
	return 1;
}

/*
 * Add an entry for the phrase in tk: 0; 1 when the field has it
 * already; 2 when it is both a word of no field and a phrase of a
 * field; -1 when out of memory.
 */
static int
lex_add(struct kn_classifier *c, const struct kn_toks *tk, const char *term,
    size_t field, double weight)
{
	struct lextab *tab = tk->n == 1 ? &c->one : &c->two;
	unsigned long long key = tk->n == 1 ? tk->t[0].h : tk->t[0].h2;
	struct lexslot *s;
	struct lexphr *p;
	struct lexent *e;
	size_t i, pi, *link;
	void *tmp;

	if (lex_room(tab) == -1)
		return -1;
	s = lex_slot(tab, key);
	/* The same syllables already? */
	for (pi = s->head; pi != 0; pi = c->phr[pi - 1].next) {
		p = &c->phr[pi - 1];
		if (p->nsyl == tk->n && phrase_at(c, p, tk->t, tk->n))
			break;
	}
	if (pi == 0) {
		if (ROOM(c->phr, c->capphr, c->nphr) == -1)
			return -1;
		while (c->nhash + tk->n > c->caphash)
			if (ROOM(c->hashes, c->caphash, c->caphash) == -1)
				return -1;
		p = &c->phr[c->nphr];
		p->nsyl = tk->n;
		p->hoff = c->nhash;
		p->entry = 0;
		for (i = 0; i < tk->n; i++)
			c->hashes[c->nhash++] = tk->t[i].h;
		/* Longest first along the chain. */
		if (s->head == 0)
			tab->n++;
		s->h = key;
		tab->filter[filter_bit(key) >> 3] |=
		    (unsigned char)(1 << (filter_bit(key) & 7));
		for (link = &s->head; *link != 0 &&
		    c->phr[*link - 1].nsyl >= p->nsyl;
		    link = &c->phr[*link - 1].next)
			;
		p->next = *link;
		*link = ++c->nphr;
		pi = c->nphr;
	}
	p = &c->phr[pi - 1];
	for (i = p->entry; i != 0; i = c->ent[i - 1].next) {
		if (c->ent[i - 1].field == field)
			return 1;
		if (c->ent[i - 1].field == NO_FIELD || field == NO_FIELD)
			return 2;
	}
	if (ROOM(c->ent, c->capent, c->nent) == -1)
		return -1;
	e = &c->ent[c->nent];
	if ((e->term = strdup(term)) == NULL)
		return -1;
	e->field = field;
	e->cls = -1;
	e->weight = weight;
	e->next = p->entry;
	p->entry = ++c->nent;
	return 0;
}

static int
lexicon_load(struct kn_classifier *c, const char *path, struct kn_error *err)
{
	static const char *const req[] = { "field", "phrase", "weight", NULL };
	struct kn_buf p = KN_BUF_INIT;
	struct kn_table t;
	struct kn_toks tk = KN_TOKS_INIT;
	size_t i;
	int rc = -1;

	if (path == NULL)
		kn_data_path(&p, "lexicon.csv");
	else
		kn_buf_adds(&p, path);
	if (kn_table_load(&t, kn_buf_str(&p), req, err) == -1) {
		kn_buf_free(&p);
		return -1;
	}
	for (i = 0; i < t.n; i++) {
		const struct kn_record *r = t.rows[i];
		const char *field = kn_record_strz(r, "field");
		const char *phrase = kn_record_strz(r, "phrase");
		const char *w = kn_record_strz(r, "weight");
		long line = kn_record_line(r);
		double weight;
		char *end;
		int f;

		if (strcmp(field, KN_CLASSIFY_NO_FIELD) == 0)
			f = -2;
		else if ((f = kn_fields_find(c->fields, field)) < 0) {
			kn_error_set(err, KN_EDATA, t.path, line,
			    "field \"%s\" is not in the taxonomy", field);
			goto out;
		}
		weight = strtod(w, &end);
		if (*w == '\0' || *end != '\0' || !isfinite(weight)) {
			kn_error_set(err, KN_EDATA, t.path, line, "weight "
			    "\"%s\" is not a number", w);
			goto out;
		}
		kn_toks_reset(&tk);
		if (kn_toks_add(&tk, c->ab, phrase, strlen(phrase)) == -1)
			goto nomem;
		if (tk.n == 0) {
			kn_error_set(err, KN_EDATA, t.path, line, "phrase "
			    "\"%s\" has no letters", phrase);
			goto out;
		}
		switch (lex_add(c, &tk, phrase, f == -2 ? NO_FIELD :
		    (size_t)f, weight)) {
		case 0:
			break;
		case 1:
			kn_error_set(err, KN_EDATA, t.path, line, "phrase "
			    "\"%s\" is repeated for field \"%s\" (after "
			    "folding)", phrase, field);
			goto out;
		case 2:
			kn_error_set(err, KN_EDATA, t.path, line, "phrase "
			    "\"%s\" is both a word of no field and a phrase "
			    "of a field (after folding)", phrase);
			goto out;
		default:
			goto nomem;
		}
	}
	rc = 0;
	goto out;
nomem:
	kn_error_set(err, KN_ENOMEM, t.path, 0, "out of memory");
out:
	kn_toks_free(&tk);
	kn_table_free(&t);
	kn_buf_free(&p);
	return rc;
}

/* ---- the classifier ---- */

static void
free_scores(struct kn_classifier *c)
{
	size_t i;

	for (i = 0; i < SCORE_CACHE; i++) {
		json_decref(c->score[i].o);
		c->score[i].o = NULL;
		c->score[i].key = 0;
	}
}

/* {"field": the field of class cls, "score": k / 1000}, shared. */
static json_t *
score_json(struct kn_classifier *c, size_t cls, size_t k)
{
	unsigned long key = (unsigned long)(cls * 1001 + k + 1);
	size_t i = (size_t)((key * 2654435761UL) >> 7) & (SCORE_CACHE - 1);
	json_t *o;

	if (c->score[i].key == key)
		return c->score[i].o;
	if ((o = json_object()) == NULL ||
	    json_object_set(o, "field", c->code_json[c->cls_field[cls]]) ==
	    -1 || json_object_set(o, "score", c->real[k]) == -1) {
		json_decref(o);
		return NULL;
	}
	json_decref(c->score[i].o);
	c->score[i].o = o;
	c->score[i].key = key;
	return o;
}

void
kn_classifier_free(struct kn_classifier *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nent; i++)
		free(c->ent[i].term);
	if (c->code_json != NULL && c->fields != NULL)
		for (i = 0; i < c->fields->n; i++)
			json_decref(c->code_json[i]);
	free(c->code_json);
	for (i = 0; i < 1001; i++)
		json_decref(c->real[i]);
	free_scores(c);
	free(c->ent);
	free(c->phr);
	free(c->hashes);
	free(c->one.s);
	free(c->two.s);
	free(c->cls_field);
	free(c->z);
	free(c->lex);
	free(c->nbs);
	free(c->order);
	free(c->hits);
	free(c->ev);
	kn_toks_free(&c->tk);
	kn_buf_free(&c->scratch);
	kn_buf_free(&c->scratch2);
	kn_model_free(c->model);
	kn_abbrev_free(c->ab);
	kn_fields_free(c->fields);
	free(c);
}

struct kn_classifier *
kn_classifier_new(const struct kn_classify_opts *o, struct kn_error *err)
{
	struct kn_classifier *c;
	struct kn_buf p = KN_BUF_INIT;
	struct kn_model *m;
	int other;
	size_t i;

	if ((c = calloc(1, sizeof(*c))) == NULL) {
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
		return NULL;
	}
	c->min_conf = o->min_confidence < 0 ? KN_CLASSIFY_MIN_CONFIDENCE :
	    o->min_confidence;
	if ((c->fields = kn_fields_load(o->fields, err)) == NULL)
		goto fail;
	if ((other = kn_fields_find(c->fields, KN_CLASSIFY_OTHER)) < 0) {
		kn_error_set(err, KN_EDATA, o->fields ? o->fields :
		    "fields.csv", 0, "the taxonomy has no field \"%s\"",
		    KN_CLASSIFY_OTHER);
		goto fail;
	}
	c->other = (size_t)other;
	if ((c->code_json = calloc(c->fields->n, sizeof(json_t *))) == NULL)
		goto nomem;
	for (i = 0; i < c->fields->n; i++)
		if ((c->code_json[i] = json_string(c->fields->f[i].code)) ==
		    NULL)
			goto nomem;
	for (i = 0; i <= 1000; i++)
		if ((c->real[i] = json_real((double)i / 1000)) == NULL)
			goto nomem;
	if ((c->ab = kn_abbrev_load(o->abbrev, err)) == NULL)
		goto fail;
	if (lexicon_load(c, o->lexicon, err) == -1)
		goto fail;
	if (!o->no_model) {
		if (o->model == NULL)
			kn_data_path(&p, "model.txt");
		else
			kn_buf_adds(&p, o->model);
		if ((m = kn_model_load(kn_buf_str(&p), err)) == NULL)
			goto fail;
		if (kn_classifier_set_model(c, m, err) == -1)
			goto fail;
	}
	kn_buf_free(&p);
	return c;
nomem:
	kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
fail:
	kn_buf_free(&p);
	kn_classifier_free(c);
	return NULL;
}

int
kn_classifier_set_model(struct kn_classifier *c, struct kn_model *m,
    struct kn_error *err)
{
	size_t i, n = kn_model_classes(m), *cf = NULL;
	double *z = NULL, *lex = NULL, *nbs = NULL;
	size_t *order = NULL;
	int f;

	if ((cf = calloc(n, sizeof(*cf))) == NULL ||
	    (z = calloc(n, sizeof(*z))) == NULL ||
	    (lex = calloc(n, sizeof(*lex))) == NULL ||
	    (nbs = calloc(n, sizeof(*nbs))) == NULL ||
	    (order = calloc(n, sizeof(*order))) == NULL) {
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if ((f = kn_fields_find(c->fields, kn_model_class(m, i))) < 0) {
			kn_error_set(err, KN_EDATA, NULL, 0, "the model's "
			    "field \"%s\" is not in the taxonomy",
			    kn_model_class(m, i));
			goto fail;
		}
		cf[i] = (size_t)f;
	}
	for (i = 0; i < c->nent; i++) {
		const char *code;

		if (c->ent[i].field == NO_FIELD)
			continue;
		code = c->fields->f[c->ent[i].field].code;
		if (kn_model_class_find(m, code) < 0) {
			kn_error_set(err, KN_EDATA, NULL, 0, "the lexicon's "
			    "field \"%s\" is not in the model", code);
			goto fail;
		}
	}
	for (i = 0; i < c->nent; i++)
		c->ent[i].cls = c->ent[i].field == NO_FIELD ? -1 :
		    kn_model_class_find(m, c->fields->f[c->ent[i].field].code);
	free_scores(c);
	kn_model_free(c->model);
	free(c->cls_field);
	free(c->z);
	free(c->lex);
	free(c->nbs);
	free(c->order);
	c->model = m;
	c->cls_field = cf;
	c->z = z;
	c->lex = lex;
	c->nbs = nbs;
	c->order = order;
	return 0;
fail:
	free(cf);
	free(z);
	free(lex);
	free(nbs);
	free(order);
	kn_model_free(m);
	return -1;
}

const struct kn_fields *
kn_classifier_fields(const struct kn_classifier *c)
{
	return c->fields;
}

const struct kn_abbrev *
kn_classifier_abbrev(const struct kn_classifier *c)
{
	return c->ab;
}

struct kn_model *
kn_classifier_model(const struct kn_classifier *c)
{
	return c->model;
}

double
kn_classifier_min_confidence(const struct kn_classifier *c)
{
	return c->min_conf;
}

size_t
kn_classifier_lexicon_size(const struct kn_classifier *c)
{
	return c->nent;
}

int
kn_classify_tokens(const struct kn_classifier *c, struct kn_toks *tk,
    const char *title, const char *text)
{
	kn_toks_reset(tk);
	if (title != NULL && kn_toks_add(tk, c->ab, title, strlen(title)) ==
	    -1)
		return -1;
	if (text != NULL && kn_toks_add(tk, c->ab, text, strlen(text)) == -1)
		return -1;
	return 0;
}

/* Match the lexicon leftmost-longest; sums per class into c->lex. */
static int
lex_match(struct kn_classifier *c, const struct kn_toks *tk, int explain)
{
	const struct lexphr *p;
	size_t i, pi, ei, k, n = kn_model_classes(c->model);
	void *tmp;

	for (k = 0; k < n; k++)
		c->lex[k] = 0;
	c->nhits = 0;
	if (c->nphr == 0)
		return 0;
	for (i = 0; i < tk->n; ) {
		if ((pi = lex_find(c, tk->t + i, tk->n - i)) == 0) {
			i++;
			continue;
		}
		p = &c->phr[pi - 1];
		i += p->nsyl;
		if (c->ent[p->entry - 1].field == NO_FIELD)
			continue;
		for (ei = p->entry; ei != 0; ei = c->ent[ei - 1].next)
			c->lex[c->ent[ei - 1].cls] += c->ent[ei - 1].weight;
		if (explain) {
			for (k = 0; k < c->nhits; k++)
				if (c->hits[k].phrase == pi - 1)
					break;
			if (k == c->nhits) {
				if (ROOM(c->hits, c->caphits, c->nhits) == -1)
					return -1;
				c->hits[c->nhits].phrase = pi - 1;
				c->hits[c->nhits++].count = 0;
			}
			c->hits[k].count++;
		}
	}
	return 0;
}

static int
cmp_ev(const void *a, const void *b)
{
	const struct kn_evidence *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	return strcmp(x->term, y->term);
}

/*
 * The evidence: every lexicon phrase found, then the model features
 * that most favour the first class over the second.
 */
static int
explain(struct kn_classifier *c, const struct kn_toks *tk, size_t k,
    size_t k2, struct kn_classification *out)
{
	const struct kn_model_params *pr = kn_model_params(c->model);
	size_t i, j, ei, nmt;
	void *tmp;

	c->nev = 0;
	for (i = 0; i < c->nhits; i++) {
		const struct lexphr *p = &c->phr[c->hits[i].phrase];

		for (ei = p->entry; ei != 0; ei = c->ent[ei - 1].next) {
			const struct lexent *e = &c->ent[ei - 1];

			if (ROOM(c->ev, c->capev, c->nev) == -1)
				return -1;
			c->ev[c->nev].term = e->term;
			c->ev[c->nev].field = e->field;
			c->ev[c->nev].weight = pr->lexicon_weight * e->weight *
			    c->hits[i].count;
			c->ev[c->nev++].source = KN_EVIDENCE_LEXICON;
		}
	}
	qsort(c->ev, c->nev, sizeof(*c->ev), cmp_ev);
	nmt = kn_model_explain(c->model, tk, k, k2, c->mt,
	    KN_CLASSIFY_MODEL_TERMS);
	/* The terms' text, NUL-terminated, in scratch2. */
	kn_buf_reset(&c->scratch2);
	for (i = 0; i < nmt; i++)
		if (kn_buf_add(&c->scratch2, tk->text.data + c->mt[i].off,
		    c->mt[i].len) == -1 || kn_buf_addc(&c->scratch2, '\0') ==
		    -1)
			return -1;
	for (i = 0, j = 0; i < nmt; i++) {
		if (ROOM(c->ev, c->capev, c->nev) == -1)
			return -1;
		c->ev[c->nev].term = c->scratch2.data + j;
		c->ev[c->nev].field = c->cls_field[k];
		c->ev[c->nev].weight = c->mt[i].weight / pr->temperature;
		c->ev[c->nev++].source = KN_EVIDENCE_MODEL;
		j += c->mt[i].len + 1;
	}
	out->evidence = c->ev;
	out->nevidence = c->nev;
	return 0;
}

int
kn_classify_text(struct kn_classifier *c, const char *title,
    const char *text, int explain_it, struct kn_classification *out)
{
	const struct kn_model_params *pr;
	size_t i, j, n, best, second;
	double max, sum, t;

	memset(out, 0, sizeof(*out));
	if (c->model == NULL)
		return -1;
	pr = kn_model_params(c->model);
	n = kn_model_classes(c->model);
	if (kn_classify_tokens(c, &c->tk, title, text) == -1)
		return -1;
	out->ntokens = c->tk.n;
	kn_model_score(c->model, &c->tk, c->nbs);
	if (lex_match(c, &c->tk, explain_it) == -1)
		return -1;
	t = pr->temperature;
	max = -HUGE_VAL;
	for (i = 0; i < n; i++) {
		c->z[i] = c->nbs[i] / t + pr->lexicon_weight * c->lex[i];
		if (c->z[i] > max)
			max = c->z[i];
	}
	for (i = 0, sum = 0; i < n; i++) {
		c->z[i] = exp(c->z[i] - max);
		sum += c->z[i];
	}
	/* The top classes by probability, ties to the first. */
	for (i = 0; i < n; i++) {
		c->z[i] /= sum;
		for (j = i; j > 0 && c->z[c->order[j - 1]] < c->z[i]; j--)
			c->order[j] = c->order[j - 1];
		c->order[j] = i;
	}
	best = c->order[0];
	second = n > 1 ? c->order[1] : best;
	out->ntop = n < KN_CLASSIFY_TOP ? n : KN_CLASSIFY_TOP;
	for (i = 0; i < out->ntop; i++) {
		out->top[i] = c->cls_field[c->order[i]];
		out->score[i] = c->z[c->order[i]];
	}
	out->confidence = c->z[best];
	/* Compared as written out, so that 0.400 is never below 0.4. */
	if (round(out->confidence * 1000) / 1000 < c->min_conf) {
		out->field = c->other;
		out->needs_review = 1;
	} else
		out->field = c->cls_field[best];
	if (explain_it && explain(c, &c->tk, best, second, out) == -1)
		return -1;
	return 0;
}

/* ---- records ---- */

/* A number rounded to 3 decimals, as the record contract says. */
static json_t *
real3(double v)
{
	return json_real(round(v * 1000) / 1000);
}

/* The string value of key, or its text when it is not a string. */
static const char *
text_of(struct kn_record *r, const char *key, struct kn_buf *b)
{
	const char *s = kn_record_str(r, key);

	if (s != NULL || !kn_record_has(r, key))
		return s;
	kn_buf_reset(b);
	if (kn_record_text(r, key, b) == -1)
		return NULL;
	return kn_buf_str(b);
}

/* k / 1000 for x in 0..1, rounded. */
static size_t
thousandths(double x)
{
	double r = round(x * 1000);

	return r < 0 ? 0 : r > 1000 ? 1000 : (size_t)r;
}

/* The "fields" array of the classification last made. */
static json_t *
top_json(struct kn_classifier *c, const struct kn_classification *k)
{
	json_t *a, *o;
	size_t i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < k->ntop; i++)
		if ((o = score_json(c, c->order[i], thousandths(
		    k->score[i]))) == NULL || json_array_append(a, o) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
evidence_json(const struct kn_classifier *c, const struct kn_classification *k)
{
	json_t *a, *o;
	size_t i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < k->nevidence; i++) {
		const struct kn_evidence *e = &k->evidence[i];

		if ((o = json_object()) == NULL ||
		    json_array_append_new(a, o) == -1 ||
		    json_object_set_new(o, "term", json_string(e->term)) ==
		    -1 || json_object_set(o, "field", c->code_json[e->field]) ==
		    -1 || json_object_set_new(o, "weight", real3(e->weight)) ==
		    -1 || json_object_set_new(o, "source", json_string(
		    e->source == KN_EVIDENCE_LEXICON ? "lexicon" : "model")) ==
		    -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

int
kn_classify_record(struct kn_classifier *c, struct kn_record *r,
    int explain_it, struct kn_classification *out)
{
	struct kn_classification k;
	const char *title, *text;

	if (out == NULL)
		out = &k;
	title = text_of(r, "title", &c->scratch);
	if (title != NULL && title == c->scratch.data) {
		/* Keep it apart from the text's conversion. */
		if ((title = strdup(title)) == NULL)
			return -1;
		text = text_of(r, "text", &c->scratch);
		if (kn_classify_text(c, title, text, explain_it, out) == -1) {
			free((char *)title);
			return -1;
		}
		free((char *)title);
	} else {
		text = text_of(r, "text", &c->scratch);
		if (kn_classify_text(c, title, text, explain_it, out) == -1)
			return -1;
	}
	if (knp_record_put(r, "field", json_incref(c->code_json[out->field]))
	    == -1 || knp_record_put(r, "confidence", json_incref(
	    c->real[thousandths(out->confidence)])) == -1 ||
	    knp_record_put(r, "fields", top_json(c, out)) == -1 ||
	    knp_record_put(r, "needs_review", json_boolean(out->needs_review))
	    == -1)
		return -1;
	if (explain_it && knp_record_put(r, "evidence", evidence_json(c, out))
	    == -1)
		return -1;
	return 0;
}

int
kn_text_unaccented(const char *s, size_t len)
{
	size_t i = 0;
	long cp;
	utf8proc_category_t cat;

	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		i += (size_t)kn_utf8_decode(s + i, len - i, &cp);
		cat = utf8proc_category((utf8proc_int32_t)cp);
		/* Letters, and the combining marks of decomposed text. */
		if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_ME)
			return 0;
	}
	return 1;
}
