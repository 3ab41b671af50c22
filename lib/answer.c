/*
 * answer.c: the knowledge base of earlier answers, its inverted index
 * and BM25 scoring with a normalised score for abstaining.
 *
 * Terms are 64-bit hashes of folded syllables and of syllable pairs;
 * the dictionary maps them to dense term numbers.  Postings are stored
 * once, in entry order, with the per-posting BM25 factor
 * tf (k1 + 1) / (tf + k1 (1 - b + b dl / avgdl)) precomputed, so that a
 * query costs one multiply-add per posting it reads.  A forward index
 * (each entry's terms and factors) scores one entry in full, the same
 * way for kn_kb_best and kn_kb_rank.  The knowledge base is only read
 * by searches; what a search writes is in its struct kn_kb_search, so
 * that several threads can search at once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/answer.h"
#include "kn/map.h"
#include "kn/record.h"
#include "kn/set.h"
#include "kn/text.h"

struct entry {
	char		*id;
	char		*answer;
	unsigned	 field;		/* number in fields, from 1; 0: none */
	uint32_t	 len;		/* terms, repeats included */
	uint32_t	 nt;		/* distinct terms */
};

/* A candidate entry, with what pruning needs of it at hand. */
struct cand {
	uint32_t	 d;
	float		 v;	/* partial score */
	float		 dmax;
	float		 f;	/* field factor */
	double		 ub;	/* the most it can score */
};

/*
 * An entry's signature: its terms as bits, SIG_BITS of them, a term
 * setting the bit sig_bit() gives.  A clear bit proves that the entry
 * lacks a term; a set bit may be another term's.
 */
#define SIG_BITS	512
#define SIG_WORDS	(SIG_BITS / 64)
#define SIG_AHEAD	8	/* signatures asked for ahead of their use */

#if defined(__GNUC__)
#define PREFETCH(p)	__builtin_prefetch(p)
#else
#define PREFETCH(p)	((void)(p))
#endif

static unsigned
sig_bit(uint32_t t)
{
	return (t * 2654435761U) >> 23;
}

struct qslot {
	uint32_t	 t1;	/* term number + 1; 0: empty */
	double		 idf;
};

struct qterm {
	long	 t;		/* term number */
	double	 idf, ub;	/* ub: the most one posting can add */
};

/* What one search needs for itself; one per thread. */
struct kn_kb_search {
	const struct kn_kb *kb;
	/* The query's terms, in a small open-addressing table. */
	struct qslot	*qtab;
	size_t		 qmask;
	uint64_t	 qbits[64];	/* a bit per term number mod 4096 */
	struct kn_terms	 qt;
	struct qterm	*q;
	size_t		 nq, qcap;
	float		*acc;		/* partial scores, 0 when untouched */
	struct cand	*cand;
	uint32_t	*touched;
	size_t		 ntouched;
	struct kn_hit	*hits;
	double		*cum;
	size_t		 ccap;
	/*
	 * The terms not read in full, by their bit in the signatures: the
	 * bits, and the sums of the bounds and of the idf of the terms of
	 * each bit.
	 */
	uint64_t	 rmask[SIG_WORDS];
	double		 rub[SIG_BITS], ridf[SIG_BITS];
};

struct kn_kb {
	const struct kn_abbrev *ab;
	struct entry	*e;
	size_t		 n, cap;
	struct kn_map	*ids;		/* id -> index + 1 */
	struct kn_map	*fields;	/* code -> its number, from 1 */
	uint16_t	*fno;		/* each entry's field number */
	struct kn_set	*dict;		/* term hash -> term number */
	size_t		 nterms, tcap;
	uint32_t	*df;

	/* The entries' terms while loading: term number and count. */
	uint32_t	*pt, *ptf;
	size_t		 np, pcap;

	/* The index. */
	int		 built;
	double		 avgdl;
	double		*idf;
	float		*ub;
	size_t		*off;		/* postings of t: off[t] .. off[t + 1] */
	uint32_t	*doc;
	float		*w;
	float		*dmax;		/* an entry's largest posting factor */
	uint64_t	*sig;		/* SIG_WORDS words an entry */
	/* The forward index: entry d's terms fterm[foff[d] .. foff[d+1]). */
	size_t		*foff;
	uint32_t	*fterm;
	float		*fw;
	struct kn_kb_search *def;	/* for kn_kb_best and kn_kb_rank */
	struct kn_terms	 lt;		/* an entry's terms, while loading */
};

/* ---- terms ---- */

/* Sort a few hundred hashes: quicksort, insertion sort when small. */
static void
sort_u64(uint64_t *a, size_t n)
{
	while (n > 16) {
		uint64_t p = a[n / 2], t;
		size_t i = 0, j = n - 1;

		for (;;) {
			while (a[i] < p)
				i++;
			while (a[j] > p)
				j--;
			if (i >= j)
				break;
			t = a[i];
			a[i++] = a[j];
			a[j--] = t;
		}
		/* Recurse into the smaller part, loop on the larger. */
		if (j + 1 < n - j - 1) {
			sort_u64(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			sort_u64(a + j + 1, n - j - 1);
			n = j + 1;
		}
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t v = a[i];
		size_t j = i;

		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static int
terms_push(struct kn_terms *t, uint64_t h)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		uint64_t *nh;
		uint32_t *ntf;

		if ((nh = realloc(t->h, cap * sizeof(*nh))) == NULL)
			return -1;
		t->h = nh;
		if ((ntf = realloc(t->tf, cap * sizeof(*ntf))) == NULL)
			return -1;
		t->tf = ntf;
		t->cap = cap;
	}
	t->h[t->n++] = h;
	return 0;
}

int
kn_terms_make(struct kn_terms *t, const struct kn_abbrev *ab, const char *s,
    size_t len)
{
	struct kn_buf key = KN_BUF_INIT;
	const char *k, *prev = NULL, *sp;
	size_t i, j;

	t->n = t->len = 0;
	if (kn_abbrev_key(ab, &key, s, len) == -1)
		goto fail;
	/* "a b c": unigrams a, b, c and bigrams "a b", "b c". */
	for (k = kn_buf_str(&key); *k != '\0'; k = sp + (*sp == ' ')) {
		if ((sp = strchr(k, ' ')) == NULL)
			sp = k + strlen(k);
		if (terms_push(t, kn_hash64(k, (size_t)(sp - k))) == -1)
			goto fail;
		if (prev != NULL && terms_push(t, kn_hash64(prev,
		    (size_t)(sp - prev))) == -1)
			goto fail;
		prev = k;
	}
	kn_buf_free(&key);
	t->len = t->n;
	if (t->n == 0)
		return 0;
	sort_u64(t->h, t->n);
	for (i = 0, j = 0; i < t->n; i++) {
		if (j > 0 && t->h[j - 1] == t->h[i]) {
			t->tf[j - 1]++;
			continue;
		}
		t->h[j] = t->h[i];
		t->tf[j++] = 1;
	}
	t->n = j;
	return 0;
fail:
	kn_buf_free(&key);
	return -1;
}

void
kn_terms_free(struct kn_terms *t)
{
	free(t->h);
	free(t->tf);
	memset(t, 0, sizeof(*t));
}

/* ---- loading ---- */

struct kn_kb *
kn_kb_new(const struct kn_abbrev *ab)
{
	struct kn_kb *kb;

	if ((kb = calloc(1, sizeof(*kb))) == NULL)
		return NULL;
	kb->ab = ab;
	if ((kb->ids = kn_map_new()) == NULL ||
	    (kb->fields = kn_map_new()) == NULL ||
	    (kb->dict = kn_set_new()) == NULL) {
		kn_kb_free(kb);
		return NULL;
	}
	return kb;
}

void
kn_kb_free(struct kn_kb *kb)
{
	size_t i;

	if (kb == NULL)
		return;
	for (i = 0; i < kb->n; i++) {
		free(kb->e[i].id);
		free(kb->e[i].answer);
	}
	free(kb->e);
	kn_map_free(kb->ids);
	kn_map_free(kb->fields);
	free(kb->fno);
	kn_set_free(kb->dict);
	free(kb->df);
	free(kb->pt);
	free(kb->ptf);
	free(kb->idf);
	free(kb->ub);
	free(kb->off);
	free(kb->doc);
	free(kb->w);
	free(kb->dmax);
	free(kb->sig);
	free(kb->foff);
	free(kb->fterm);
	free(kb->fw);
	kn_terms_free(&kb->lt);
	kn_kb_search_free(kb->def);
	free(kb);
}

struct kn_kb_search *
kn_kb_search_new(const struct kn_kb *kb)
{
	struct kn_kb_search *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->kb = kb;
	if ((s->acc = calloc(kb->n + 1, sizeof(*s->acc))) == NULL ||
	    (s->cand = calloc(kb->n + 1, sizeof(*s->cand))) == NULL ||
	    (s->touched = calloc(kb->n + 1, sizeof(*s->touched))) == NULL ||
	    (s->hits = calloc(kb->n + 1, sizeof(*s->hits))) == NULL) {
		kn_kb_search_free(s);
		return NULL;
	}
	return s;
}

void
kn_kb_search_free(struct kn_kb_search *s)
{
	if (s == NULL)
		return;
	free(s->qtab);
	kn_terms_free(&s->qt);
	free(s->q);
	free(s->acc);
	free(s->cand);
	free(s->touched);
	free(s->hits);
	free(s->cum);
	free(s);
}

/* The number of a field, from 1 (0: none; -1: out of memory). */
static long
field_number(struct kn_kb *kb, const char *field)
{
	void **slot;
	int created;

	if (field == NULL || *field == '\0')
		return 0;
	if ((slot = kn_map_slot(kb->fields, field, strlen(field),
	    &created)) == NULL)
		return -1;
	if (created) {
		if (kn_map_count(kb->fields) >= UINT16_MAX)
			return -1;
		*slot = (void *)(uintptr_t)kn_map_count(kb->fields);
	}
	return (long)(uintptr_t)*slot;
}

/* The term number of h, created when new. */
static long
term_number(struct kn_kb *kb, uint64_t h)
{
	long t;
	int rc;

	if (kn_set_get(kb->dict, h, &t))
		return t;
	if (kb->nterms == kb->tcap) {
		size_t cap = kb->tcap ? kb->tcap * 2 : 4096;
		uint32_t *df;

		if ((df = realloc(kb->df, cap * sizeof(*df))) == NULL)
			return -1;
		kb->df = df;
		kb->tcap = cap;
	}
	if ((rc = kn_set_add(kb->dict, h, (long)kb->nterms, NULL)) == -1)
		return -1;
	kb->df[kb->nterms] = 0;
	return (long)kb->nterms++;
}

int
kn_kb_add(struct kn_kb *kb, const char *id, const char *question,
    const char *answer, const char *field, struct kn_error *err)
{
	struct entry *e;
	void **slot;
	size_t i;
	long fno;
	int created;

	if (kb->built) {
		kn_error_set(err, KN_EINVAL, "", 0, "the knowledge base is "
		    "already indexed");
		return -1;
	}
	if ((slot = kn_map_slot(kb->ids, id, strlen(id), &created)) == NULL)
		goto nomem;
	if (!created) {
		kn_error_set(err, KN_EDUP, "", 0, "entry id \"%s\" is "
		    "repeated", id);
		return -1;
	}
	*slot = (void *)(uintptr_t)(kb->n + 1);
	if (kb->n == kb->cap) {
		size_t cap = kb->cap ? kb->cap * 2 : 64;

		if ((e = realloc(kb->e, cap * sizeof(*e))) == NULL)
			goto nomem;
		kb->e = e;
		kb->cap = cap;
	}
	e = &kb->e[kb->n];
	memset(e, 0, sizeof(*e));
	if ((fno = field_number(kb, field)) == -1 ||
	    (e->id = strdup(id)) == NULL ||
	    (e->answer = strdup(answer)) == NULL ||
	    kn_terms_make(&kb->lt, kb->ab, question, strlen(question)) == -1)
		goto nomem_entry;
	if (kb->np + kb->lt.n > kb->pcap) {
		size_t cap = kb->pcap ? kb->pcap : 4096;
		uint32_t *p;

		while (cap < kb->np + kb->lt.n)
			cap *= 2;
		if ((p = realloc(kb->pt, cap * sizeof(*p))) == NULL)
			goto nomem_entry;
		kb->pt = p;
		if ((p = realloc(kb->ptf, cap * sizeof(*p))) == NULL)
			goto nomem_entry;
		kb->ptf = p;
		kb->pcap = cap;
	}
	for (i = 0; i < kb->lt.n; i++) {
		long t = term_number(kb, kb->lt.h[i]);

		if (t == -1)
			goto nomem_entry;
		kb->df[t]++;
		kb->pt[kb->np] = (uint32_t)t;
		kb->ptf[kb->np++] = kb->lt.tf[i];
	}
	e->field = (unsigned)fno;
	e->len = (uint32_t)kb->lt.len;
	e->nt = (uint32_t)kb->lt.n;
	kb->n++;
	return 0;
nomem_entry:
	free(e->id);
	free(e->answer);
	*slot = NULL;
	/* The id stays in the map, pointing nowhere: the run stops anyway. */
nomem:
	kn_error_set(err, KN_ENOMEM, "", 0, "out of memory");
	return -1;
}

int
kn_kb_load(struct kn_kb *kb, const char *path,
    const struct kn_read_opts *ropts, struct kn_error *err)
{
	static const char *const req[] = { "id", "question", "answer", NULL };
	struct kn_reader *rd;
	struct kn_record *r;
	struct kn_buf id = KN_BUF_INIT;
	const char *const *k;
	int rc;

	if ((rd = kn_reader_open(path, ropts, err)) == NULL)
		return -1;
	while ((rc = kn_reader_next(rd, &r, err)) == KN_READ_RECORD) {
		long line = kn_record_line(r);

		for (k = req; *k != NULL; k++) {
			kn_buf_reset(&id);
			if (kn_record_text(r, *k, &id) <= 0) {
				kn_error_set(err, KN_EDATA, path, line,
				    kn_record_has(r, *k) ? "empty \"%s\"" :
				    "no \"%s\"", *k);
				goto fail;
			}
		}
		kn_buf_reset(&id);
		kn_record_text(r, "id", &id);
		if (kn_kb_add(kb, kn_buf_str(&id), kn_record_strz(r, "question"),
		    kn_record_strz(r, "answer"), kn_record_strz(r, "field"),
		    err) == -1) {
			if (err != NULL) {
				snprintf(err->source, sizeof(err->source), "%s",
				    path);
				err->line = line;
			}
			goto fail;
		}
		kn_record_free(r);
	}
	r = NULL;
	if (rc != KN_READ_END) {
		if (err != NULL)
			err->code = KN_EDATA;
		goto fail;
	}
	kn_buf_free(&id);
	kn_reader_close(rd);
	return 0;
fail:
	kn_record_free(r);
	kn_buf_free(&id);
	kn_reader_close(rd);
	return -1;
}

/* ---- the index ---- */

static double
idf_of(size_t n, size_t df)
{
	return log(1.0 + ((double)n - (double)df + 0.5) / ((double)df + 0.5));
}

int
kn_kb_build(struct kn_kb *kb, struct kn_error *err)
{
	size_t i, k, p, t, total = 0;
	size_t *fill = NULL;

	if (kb->built)
		return 0;
	for (i = 0; i < kb->n; i++)
		total += kb->e[i].len;
	kb->avgdl = kb->n > 0 && total > 0 ? (double)total / kb->n : 1.0;
	if ((kb->idf = calloc(kb->nterms + 1, sizeof(*kb->idf))) == NULL ||
	    (kb->ub = calloc(kb->nterms + 1, sizeof(*kb->ub))) == NULL ||
	    (kb->off = calloc(kb->nterms + 1, sizeof(*kb->off))) == NULL ||
	    (fill = calloc(kb->nterms + 1, sizeof(*fill))) == NULL ||
	    (kb->doc = malloc((kb->np + 1) * sizeof(*kb->doc))) == NULL ||
	    (kb->w = malloc((kb->np + 1) * sizeof(*kb->w))) == NULL ||
	    (kb->dmax = calloc(kb->n + 1, sizeof(*kb->dmax))) == NULL ||
	    (kb->sig = calloc((kb->n + 1) * SIG_WORDS,
	    sizeof(*kb->sig))) == NULL ||
	    (kb->fno = calloc(kb->n + 1, sizeof(*kb->fno))) == NULL ||
	    (kb->foff = calloc(kb->n + 1, sizeof(*kb->foff))) == NULL ||
	    (kb->fw = malloc((kb->np + 1) * sizeof(*kb->fw))) == NULL) {
		free(fill);
		kn_error_set(err, KN_ENOMEM, "", 0, "out of memory");
		return -1;
	}
	for (t = 0; t < kb->nterms; t++) {
		kb->off[t + 1] = kb->off[t] + kb->df[t];
		fill[t] = kb->off[t];
		kb->idf[t] = idf_of(kb->n, kb->df[t]);
	}
	/* Entries in order, so that every posting list is sorted. */
	for (i = 0, p = 0; i < kb->n; i++) {
		double norm = KN_KB_K1 * (1.0 - KN_KB_B + KN_KB_B *
		    kb->e[i].len / kb->avgdl);

		kb->foff[i] = p;
		kb->fno[i] = (uint16_t)kb->e[i].field;
		for (k = 0; k < kb->e[i].nt; k++, p++) {
			double tf = kb->ptf[p], w;

			t = kb->pt[p];
			w = tf * (KN_KB_K1 + 1.0) / (tf + norm);
			kb->sig[i * SIG_WORDS + (sig_bit((uint32_t)t) >> 6)] |=
			    1ULL << (sig_bit((uint32_t)t) & 63);
			kb->doc[fill[t]] = (uint32_t)i;
			kb->w[fill[t]++] = (float)w;
			kb->fw[p] = (float)w;
			if (w > kb->dmax[i])
				kb->dmax[i] = (float)w;
			if (w * kb->idf[t] > kb->ub[t])
				kb->ub[t] = (float)(w * kb->idf[t]);
		}
	}
	kb->foff[kb->n] = p;
	free(fill);
	/* The entries' term numbers stay, as the forward index. */
	kb->fterm = kb->pt;
	free(kb->ptf);
	free(kb->df);
	kb->pt = kb->ptf = kb->df = NULL;
	kb->pcap = 0;
	kb->built = 1;
	if ((kb->def = kn_kb_search_new(kb)) == NULL) {
		kn_error_set(err, KN_ENOMEM, "", 0, "out of memory");
		return -1;
	}
	return 0;
}

size_t
kn_kb_count(const struct kn_kb *kb)
{
	return kb->n;
}

size_t
kn_kb_terms(const struct kn_kb *kb)
{
	return kb->nterms;
}

const char *
kn_kb_id(const struct kn_kb *kb, size_t i)
{
	return kb->e[i].id;
}

const char *
kn_kb_answer(const struct kn_kb *kb, size_t i)
{
	return kb->e[i].answer;
}

const char *
kn_kb_field(const struct kn_kb *kb, size_t i)
{
	if (kb->e[i].field == 0)
		return "";
	return kn_map_key_at(kb->fields, kb->e[i].field - 1, NULL);
}

long
kn_kb_find(const struct kn_kb *kb, const char *id)
{
	void *v = kn_map_get(kb->ids, id, strlen(id));

	return v != NULL ? (long)(uintptr_t)v - 1 : -1;
}

size_t
kn_kb_df(const struct kn_kb *kb, uint64_t h)
{
	long t;

	if (!kn_set_get(kb->dict, h, &t))
		return 0;
	if (kb->built)
		return kb->off[t + 1] - kb->off[t];
	return kb->df[t];
}

/* ---- queries ---- */

static int
cmp_qterm(const void *a, const void *b)
{
	const struct qterm *x = a, *y = b;

	if (x->ub != y->ub)
		return x->ub > y->ub ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

static size_t
qslot_hash(uint32_t t)
{
	return (size_t)((t * 2654435761U) >> 7);
}

static void
qslot_put(struct kn_kb_search *s, uint32_t t, double idf)
{
	size_t i = qslot_hash(t) & s->qmask;

	while (s->qtab[i].t1 != 0 && s->qtab[i].t1 != t + 1)
		i = (i + 1) & s->qmask;
	s->qtab[i].t1 = t + 1;
	s->qtab[i].idf = idf;
	s->qbits[(t >> 6) & 63] |= 1ULL << (t & 63);
}

/* The idf of term t when the query has it, else 0. */
static double
qslot_idf(const struct kn_kb_search *s, uint32_t t)
{
	size_t i = qslot_hash(t) & s->qmask;

	for (; s->qtab[i].t1 != 0; i = (i + 1) & s->qmask)
		if (s->qtab[i].t1 == t + 1)
			return s->qtab[i].idf;
	return 0;
}

/*
 * Turn the text into the query's known terms, best bound first; *self
 * is the BM25 of the text against itself as an entry of the knowledge
 * base (unknown terms included).
 */
static int
prepare(const struct kn_kb *kb, struct kn_kb_search *s, const char *text,
    size_t len, double *self)
{
	double norm;
	size_t i;

	*self = 0;
	s->nq = 0;
	if (kn_terms_make(&s->qt, kb->ab, text, len) == -1)
		return -1;
	if (s->qt.n > s->qcap) {
		struct qterm *q;

		if ((q = realloc(s->q, s->qt.n * sizeof(*q))) == NULL)
			return -1;
		s->q = q;
		s->qcap = s->qt.n;
	}
	if (s->qt.n * 4 > s->qmask + 1 || s->qtab == NULL) {
		size_t sz = 64;
		struct qslot *qs;

		while (sz < s->qt.n * 4)
			sz *= 2;
		if ((qs = calloc(sz, sizeof(*qs))) == NULL)
			return -1;
		free(s->qtab);
		s->qtab = qs;
		s->qmask = sz - 1;
	} else
		memset(s->qtab, 0, (s->qmask + 1) * sizeof(*s->qtab));
	memset(s->qbits, 0, sizeof(s->qbits));
	norm = KN_KB_K1 * (1.0 - KN_KB_B + KN_KB_B * s->qt.len / kb->avgdl);
	for (i = 0; i < s->qt.n; i++) {
		double tf = s->qt.tf[i], idf;
		long t;

		if (kn_set_get(kb->dict, s->qt.h[i], &t)) {
			idf = kb->idf[t];
			s->q[s->nq].t = t;
			s->q[s->nq].idf = idf;
			s->q[s->nq++].ub = kb->ub[t];
			qslot_put(s, (uint32_t)t, idf);
		} else
			idf = idf_of(kb->n, 0);
		*self += idf * tf * (KN_KB_K1 + 1.0) / (tf + norm);
	}
	qsort(s->q, s->nq, sizeof(*s->q), cmp_qterm);
	return 0;
}

/* The field factor of entry d for a proposal of field number qf. */
static double
factor(const struct kn_kb *kb, unsigned qf, uint32_t d)
{
	unsigned ef = kb->fno[d];

	if (qf == 0 || ef == 0 || ef == qf)
		return 1.0;
	return KN_KB_FIELD_FACTOR;
}

/*
 * The field number of the proposal: 0 when unknown, UINT16_MAX when
 * it is a field no entry has (every entry with a field then differs).
 */
static unsigned
query_field(const struct kn_kb *kb, const char *field)
{
	void *v;

	if (field == NULL || *field == '\0')
		return 0;
	v = kn_map_get(kb->fields, field, strlen(field));
	return v != NULL ? (unsigned)(uintptr_t)v : UINT16_MAX;
}

/* The score shown and compared with the threshold: 3 decimals, <= 1. */
static double
normalise(double bm25, double self)
{
	double s = bm25 / self;

	return s >= 1.0 ? 1.0 : round(s * 1000.0) / 1000.0;
}

/*
 * Forget the partial scores of the entries touched: the accumulators
 * are all 0 between searches, so that a search clears only what it used.
 */
static void
clear_touched(struct kn_kb_search *s)
{
	size_t i;

	for (i = 0; i < s->ntouched; i++)
		s->acc[s->touched[i]] = 0;
	s->ntouched = 0;
}

/* Add term i of the query to every entry of its posting list. */
static void
add_list(const struct kn_kb *kb, struct kn_kb_search *s, size_t i)
{
	const struct qterm *q = &s->q[i];
	size_t p;

	for (p = kb->off[q->t]; p < kb->off[q->t + 1]; p++) {
		uint32_t d = kb->doc[p];

		/*
		 * A posting always adds more than 0.  Written without a
		 * branch: whether an entry is new is a coin toss.
		 */
		s->touched[s->ntouched] = d;
		s->ntouched += s->acc[d] == 0;
		s->acc[d] += (float)(q->idf * kb->w[p]);
	}
}

/*
 * The score of entry d, field factor applied, read from the forward
 * index: kn_kb_best and kn_kb_rank both score through here, so that
 * they give the very same number.
 */
static double
full_score(const struct kn_kb *kb, const struct kn_kb_search *s, unsigned qf,
    uint32_t d)
{
	double sum = 0;
	size_t p;

	for (p = kb->foff[d]; p < kb->foff[d + 1]; p++) {
		uint32_t t = kb->fterm[p];
		double idf;

		/* Most of an entry's terms are not the query's. */
		if (!(s->qbits[(t >> 6) & 63] & (1ULL << (t & 63))))
			continue;
		if ((idf = qslot_idf(s, t)) > 0)
			sum += idf * kb->fw[p];
	}
	return sum * factor(kb, qf, d);
}

/* Postings read before a first best: a sixth of the entries, or so. */
#define SEED_POSTINGS(n)	((n) / 6 < 1024 ? 1024 : (n) / 6 > 16384 ? \
				    16384 : (n) / 6)
#define SEED_ENTRIES	4	/* entries then scored in full */

/*
 * The most entry d can score when the k weakest terms are still to be
 * added to its partial score: their bounds, or its own largest factor
 * times their idf, whichever is less.  The slack covers the rounding
 * of the partial scores, kept as floats.
 */
static double
bound(const struct kn_kb_search *s, const struct cand *c, size_t k)
{
	double rest = k > 0 ? s->cum[k - 1] : 0;
	double r = k > 0 ? c->dmax * s->cum[s->nq + k - 1] : 0;

	return (c->v + (r < rest ? r : rest)) * c->f * (1 + 1e-5);
}

/* The number of the lowest set bit of x, not 0. */
static unsigned
lowest_bit(uint64_t x)
{
#if defined(__GNUC__)
	return (unsigned)__builtin_ctzll(x);
#else
	unsigned n = 0;

	while (!(x & 1)) {
		x >>= 1;
		n++;
	}
	return n;
#endif
}

/*
 * What candidate c can score at most when the terms not read in full
 * are still to be added: those its signature may hold, the terms of a
 * bit adding at most the sum of their bounds or the entry's largest
 * factor times the sum of their idf.
 */
static double
sig_bound(const struct kn_kb *kb, const struct kn_kb_search *s,
    const struct cand *c)
{
	const uint64_t *sg = kb->sig + (size_t)c->d * SIG_WORDS;
	double r = 0;
	size_t w;

	for (w = 0; w < SIG_WORDS; w++) {
		uint64_t x = sg[w] & s->rmask[w];

		while (x != 0) {
			unsigned b = (unsigned)(w * 64 + lowest_bit(x));
			double u = s->rub[b], v = c->dmax * s->ridf[b];

			r += u < v ? u : v;
			x &= x - 1;
		}
	}
	return (c->v + r) * c->f * (1 + 1e-5);
}

/* Highest bound first; ties in entry order. */
static int
cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->ub != y->ub)
		return x->ub > y->ub ? -1 : 1;
	return x->d < y->d ? -1 : x->d > y->d;
}

/*
 * Max-score, term at a time.  The terms are read by decreasing bound
 * (the most a posting can add; rare terms first).  First the rarest
 * lists, within a budget, and the entries that got most from them are
 * scored in full: that gives a best score theta to beat (or the floor
 * min_score sets, when higher).  Then, with cum[k] the sum of the
 * bounds of the k + 1 weakest terms, the weakest terms whose bounds add
 * up to less than theta are "non-essential": an entry holding only
 * them cannot win, so only the other lists are read in full to find
 * the candidates.  A candidate stays when what it has plus what it
 * could still get from the terms not read reaches theta: first with all
 * of those terms (their bounds, or its own largest factor times their
 * idf), then with only those its signature may hold.  Most candidates
 * share only a few of the query's weak terms, so the signature drops
 * nearly all of them without reading a posting list.  The few left are
 * scored in full, from the highest bound down, in the way kn_kb_rank
 * scores, until a bound falls short of the best so far; one wins when
 * better than the best, or as good and loaded first.
 */
int
kn_kb_best_with(const struct kn_kb *kb, struct kn_kb_search *s,
    const char *text, size_t len, const char *field, double min_score,
    struct kn_hit *hit)
{
	uint32_t top[SEED_ENTRIES];
	unsigned qf;
	double self, theta, *cum, *cidf, rest;
	long best = -1;
	size_t i, k, m, ne, nread, nc, nu, n, c, ntop = 0, budget = 0;

	if (!kb->built || kb->n == 0)
		return 0;
	if (prepare(kb, s, text, len, &self) == -1)
		return -1;
	if (s->nq == 0 || self <= 0)
		return 0;
	m = s->nq;
	if (m > s->ccap) {
		if ((cum = realloc(s->cum, 2 * m * sizeof(*cum))) == NULL)
			return -1;
		s->cum = cum;
		s->ccap = m;
	}
	cum = s->cum;
	cidf = s->cum + m;
	/* prepare() sorted by decreasing bound: weakest term k is q[m-1-k]. */
	for (k = 0; k < m; k++) {
		cum[k] = (k > 0 ? cum[k - 1] : 0) + s->q[m - 1 - k].ub;
		cidf[k] = (k > 0 ? cidf[k - 1] : 0) + s->q[m - 1 - k].idf;
	}
	qf = query_field(kb, field);
	/* Scores round to 3 decimals: what rounds up to min_score counts. */
	theta = min_score > 0.0005 ? (min_score - 0.0005) * self *
	    (1 - 1e-9) : 0;

	for (i = 0; i < m; i++) {
		size_t l = kb->off[s->q[i].t + 1] - kb->off[s->q[i].t];

		if (i > 0 && budget + l > SEED_POSTINGS(kb->n))
			break;
		budget += l;
		add_list(kb, s, i);
	}
	nread = i;
	for (c = 0; c < s->ntouched; c++) {
		uint32_t d = s->touched[c];

		if (ntop < SEED_ENTRIES)
			k = ntop++;
		else if (s->acc[d] > s->acc[top[ntop - 1]])
			k = ntop - 1;
		else
			continue;
		for (; k > 0 && s->acc[top[k - 1]] < s->acc[d]; k--)
			top[k] = top[k - 1];
		top[k] = d;
	}
	for (c = 0; c < ntop; c++) {
		double v = full_score(kb, s, qf, top[c]);

		if (v > theta || (v == theta && (best < 0 ||
		    (long)top[c] < best))) {
			theta = v;
			best = top[c];
		}
	}

	for (ne = 0; ne < m && cum[ne] * (1 + 1e-5) < theta; ne++)
		;
	for (i = nread; i < m - ne; i++)
		add_list(kb, s, i);
	if (nread < m - ne)
		nread = m - ne;

	/*
	 * The nu = m - nread weakest terms are unread.  A candidate must
	 * reach theta with what it has and the bounds of those terms; then
	 * with those of them its signature may hold.  The candidates left
	 * are scored in full from the highest bound down, until the bound
	 * falls short of the best score so far.
	 */
	nu = m - nread;
	memset(s->rmask, 0, sizeof(s->rmask));
	for (k = 0; k < nu; k++) {
		const struct qterm *q = &s->q[nread + k];
		unsigned b = sig_bit((uint32_t)q->t);

		if (!(s->rmask[b >> 6] & 1ULL << (b & 63))) {
			s->rmask[b >> 6] |= 1ULL << (b & 63);
			s->rub[b] = s->ridf[b] = 0;
		}
		s->rub[b] += q->ub;
		s->ridf[b] += q->idf;
	}
	rest = nu > 0 ? cum[nu - 1] : 0;
	for (c = 0, nc = 0; c < s->ntouched; c++) {
		struct cand *cd = &s->cand[nc];

		cd->d = s->touched[c];
		cd->v = s->acc[cd->d];
		/* Most fall short even with the bounds of the terms left. */
		if ((cd->v + rest) * (1 + 1e-5) < theta || (long)cd->d == best)
			continue;
		cd->dmax = kb->dmax[cd->d];
		cd->f = (float)factor(kb, qf, cd->d);
		if (bound(s, cd, nu) >= theta)
			nc++;
	}
	/*
	 * The signatures are scattered in memory: ask for a few ahead, so
	 * that their reads overlap.
	 */
	for (c = 0, n = 0; c < nc; c++) {
		struct cand *cd = &s->cand[c];

		if (c + SIG_AHEAD < nc)
			PREFETCH(kb->sig + (size_t)s->cand[c + SIG_AHEAD].d *
			    SIG_WORDS);
		if ((cd->ub = sig_bound(kb, s, cd)) >= theta)
			s->cand[n++] = *cd;
	}
	nc = n;
	qsort(s->cand, nc, sizeof(*s->cand), cmp_cand);
	for (c = 0; c < nc && s->cand[c].ub >= theta; c++) {
		uint32_t d = s->cand[c].d;
		double v = full_score(kb, s, qf, d);

		if (v > theta || (v == theta && (best < 0 || (long)d < best))) {
			theta = v;
			best = d;
		}
	}
	clear_touched(s);
	if (best < 0)
		return 0;
	hit->entry = (size_t)best;
	hit->bm25 = theta;
	hit->score = normalise(theta, self);
	return 1;
}

int
kn_kb_best(struct kn_kb *kb, const char *text, size_t len,
    const char *field, double min_score, struct kn_hit *hit)
{
	if (kb->def == NULL)
		return 0;
	return kn_kb_best_with(kb, kb->def, text, len, field, min_score, hit);
}

static int
cmp_hit(const void *a, const void *b)
{
	const struct kn_hit *x = a, *y = b;

	if (x->bm25 != y->bm25)
		return x->bm25 > y->bm25 ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

long
kn_kb_rank(struct kn_kb *kb, const char *text, size_t len,
    const char *field, const struct kn_hit **hits)
{
	struct kn_kb_search *s = kb->def;
	unsigned qf;
	double self;
	size_t i, n;

	*hits = NULL;
	if (s == NULL || kb->n == 0)
		return 0;
	*hits = s->hits;
	if (prepare(kb, s, text, len, &self) == -1)
		return -1;
	if (s->nq == 0 || self <= 0)
		return 0;
	qf = query_field(kb, field);
	for (i = 0; i < s->nq; i++)
		add_list(kb, s, i);
	for (i = 0; i < s->ntouched; i++) {
		uint32_t d = s->touched[i];
		struct kn_hit *h = &s->hits[i];

		h->entry = d;
		h->bm25 = full_score(kb, s, qf, d);
		h->score = normalise(h->bm25, self);
	}
	n = s->ntouched;
	clear_touched(s);
	qsort(s->hits, n, sizeof(*s->hits), cmp_hit);
	return (long)n;
}

/* ---- suggestions in records ---- */

int
kn_suggestion_score(const struct kn_record *r, double *score)
{
	const char *s;
	char *end;
	double v;

	*score = 0;
	if (*kn_record_strz(r, "answer_id") == '\0')
		return 0;
	if (kn_record_num(r, "answer_score", &v) == 0) {
		*score = v;
		return 1;
	}
	/* A CSV ledger gives every value as a string. */
	if ((s = kn_record_str(r, "answer_score")) != NULL) {
		v = strtod(s, &end);
		if (end != s && *end == '\0' && isfinite(v))
			*score = v;
	}
	return 1;
}

int
kn_suggestion_apply(struct kn_record *r, const struct kn_kb *kb,
    const struct kn_hit *hit)
{
	double earlier;

	/*
	 * Equal scores keep the earlier one too: a run on the same
	 * knowledge base then changes nothing, and an entry a department
	 * may already be looking at stays put.
	 */
	if (kn_suggestion_score(r, &earlier) && !(hit->score > earlier))
		return 0;
	if (kn_record_set_str(r, "answer_id", kn_kb_id(kb, hit->entry)) ==
	    -1 || kn_record_set_str(r, "answer", kn_kb_answer(kb,
	    hit->entry)) == -1 || kn_record_set_real(r, "answer_score",
	    hit->score) == -1 || kn_record_set_str(r, "status",
	    "suggested") == -1)
		return -1;
	return 1;
}

/* ---- evaluation ---- */

void
kn_eval_measure(const struct kn_eval_item *it, size_t n, double th,
    struct kn_eval_figures *f)
{
	double rr = 0;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->threshold = th;
	f->n = n;
	for (i = 0; i < n; i++) {
		int suggested = it[i].score > 0 && it[i].score >= th;

		if (!it[i].answerable) {
			f->nun++;
			f->abstained += !suggested;
			continue;
		}
		f->nans++;
		rr += it[i].rr;
		f->ranked += it[i].right;
		if (!suggested)
			f->missed++;
		else if (it[i].right)
			f->right++;
		else
			f->wrong++;
	}
	f->mrr = f->nans > 0 ? rr / f->nans : 0;
}

static double
objective(const struct kn_eval_item *it, size_t n, double th)
{
	struct kn_eval_figures f;

	kn_eval_measure(it, n, th, &f);
	return (f.nans ? (double)f.right / f.nans : 0) +
	    (f.nun ? (double)f.abstained / f.nun : 0);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double
kn_eval_threshold(const struct kn_eval_item *it, size_t n)
{
	double *v, *cand, best = -1, th = KN_KB_MIN_SCORE;
	size_t i, m = 0, nc = 0, nbest = 0, k;

	if (n == 0 || (v = malloc((n + 2) * sizeof(*v))) == NULL)
		return th;
	if ((cand = malloc((n + 2) * sizeof(*cand))) == NULL) {
		free(v);
		return th;
	}
	for (i = 0; i < n; i++)
		if (it[i].score > 0)
			v[m++] = it[i].score;
	qsort(v, m, sizeof(*v), cmp_double);
	if (m > 0)
		cand[nc++] = v[0];
	for (i = 0; i + 1 < m; i++)
		if (v[i + 1] > v[i])
			cand[nc++] = (v[i] + v[i + 1]) / 2;
	cand[nc++] = m > 0 ? v[m - 1] + 0.001 : 1.0;
	for (i = 0; i < nc; i++) {
		double o = objective(it, n, cand[i]);

		if (o > best + 1e-12) {
			best = o;
			nbest = 0;
		}
		if (o > best - 1e-12)
			v[nbest++] = cand[i];	/* v is free now: reuse */
	}
	k = nbest / 2;
	th = nbest > 0 ? v[k] : th;
	free(v);
	free(cand);
	return th;
}

int
kn_eval_cv(const struct kn_eval_item *it, size_t n, int k, double *ths,
    struct kn_eval_figures *f)
{
	struct kn_eval_item *train, *test;
	struct kn_eval_figures ff;
	double rr = 0, sum = 0;
	size_t i, ntr, nte;
	int fold;

	memset(f, 0, sizeof(*f));
	if (k < 2 || (train = malloc((n + 1) * sizeof(*train))) == NULL)
		return -1;
	if ((test = malloc((n + 1) * sizeof(*test))) == NULL) {
		free(train);
		return -1;
	}
	for (fold = 0; fold < k; fold++) {
		for (i = 0, ntr = nte = 0; i < n; i++) {
			if ((int)(i % (size_t)k) == fold)
				test[nte++] = it[i];
			else
				train[ntr++] = it[i];
		}
		ths[fold] = kn_eval_threshold(train, ntr);
		sum += ths[fold];
		kn_eval_measure(test, nte, ths[fold], &ff);
		f->n += ff.n;
		f->nans += ff.nans;
		f->nun += ff.nun;
		f->ranked += ff.ranked;
		f->right += ff.right;
		f->wrong += ff.wrong;
		f->missed += ff.missed;
		f->abstained += ff.abstained;
		rr += ff.mrr * ff.nans;
	}
	f->mrr = f->nans > 0 ? rr / f->nans : 0;
	f->threshold = sum / k;
	free(train);
	free(test);
	return 0;
}
