/*
 * group.c: streaming grouping of proposals by TF-IDF cosine similarity
 * with the groups' representatives, candidates found through an
 * inverted index of the representatives' strongest terms (see
 * kn/group.h), and the pairwise and B-cubed figures of a grouping.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kn/answer.h"
#include "kn/buf.h"
#include "kn/group.h"
#include "kn/map.h"
#include "kn/set.h"

/* Slack for the rounding of the bounds and of the weights kept as floats. */
#define SLACK	1e-6

struct rep {
	char		*id;
	uint32_t	 field;		/* number, from 1 */
	uint32_t	 n;		/* terms, in fterm[off .. off + n) */
	size_t		 off;
	double		 tail;		/* length of the terms not indexed */
};

/* The representatives indexed under one term of one field. */
struct plist {
	uint32_t	*r;
	float		*w;		/* the term's weight in each */
	uint32_t	 n, cap;
};

/* A term of the proposal in hand. */
struct qterm {
	uint32_t	 t;		/* term number */
	float		 w;		/* weight, the vector scaled to 1 */
	double		 rest;		/* length of this term and the weaker */
};

struct kn_grouper {
	const struct kn_abbrev *ab;
	const struct kn_kb *bg;
	double		 t, eps;
	int		 exhaustive;
	double		 nbg;		/* background documents */
	size_t		 nseen;		/* proposals grouped */

	/* Terms: hash -> number; documents having each. */
	struct kn_set	*dict;
	uint32_t	*df;
	size_t		 nterms, tcap;

	struct kn_map	*fields;	/* field -> number, from 1 */
	struct kn_map	*answers;	/* field number, answer -> rep + 1 */

	/* Representatives; their vectors: term numbers and weights. */
	struct rep	*reps;
	size_t		 nreps, rcap;
	uint32_t	*fterm;
	float		*fw;
	size_t		 nf, fcap, fwcap;

	/* The index: (field, term) -> posting list. */
	struct kn_set	*index;
	struct plist	*lists;
	size_t		 nlists, lcap;

	/* Scratch, kept from proposal to proposal. */
	struct kn_terms	 terms;
	struct qterm	*q;
	size_t		 nq, qcap;
	float		*qw;		/* the proposal's weight, by term */
	size_t		 qwcap;
	double		*acc;		/* partial similarity, by rep */
	uint32_t	*touched;
	size_t		 ccap, tocap;
	struct kn_buf	 key;
};

struct kn_grouper *
kn_grouper_new(const struct kn_abbrev *ab, const struct kn_kb *bg,
    double threshold)
{
	struct kn_grouper *g;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	if ((g->dict = kn_set_new()) == NULL ||
	    (g->index = kn_set_new()) == NULL ||
	    (g->fields = kn_map_new()) == NULL ||
	    (g->answers = kn_map_new()) == NULL) {
		kn_grouper_free(g);
		return NULL;
	}
	g->ab = ab;
	g->bg = bg;
	g->nbg = bg != NULL ? (double)kn_kb_count(bg) : 0;
	g->t = threshold <= 0 ? 1e-9 : threshold > 1 ? 1 : threshold;
	g->eps = g->t / 2;
	return g;
}

void
kn_grouper_free(struct kn_grouper *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nreps; i++)
		free(g->reps[i].id);
	free(g->reps);
	free(g->fterm);
	free(g->fw);
	for (i = 0; i < g->nlists; i++) {
		free(g->lists[i].r);
		free(g->lists[i].w);
	}
	free(g->lists);
	kn_set_free(g->index);
	kn_set_free(g->dict);
	free(g->df);
	kn_map_free(g->fields);
	kn_map_free(g->answers);
	kn_terms_free(&g->terms);
	free(g->q);
	free(g->qw);
	free(g->acc);
	free(g->touched);
	kn_buf_free(&g->key);
	free(g);
}

size_t
kn_grouper_count(const struct kn_grouper *g)
{
	return g->nreps;
}

void
kn_grouper_exhaustive(struct kn_grouper *g, int on)
{
	g->exhaustive = on;
}

/* ---- weighting ---- */

/*
 * The array p (*cap items of size bytes) with room for need items, the
 * new ones zeroed when zero is set; NULL when out of memory, p then
 * untouched.
 */
static void *
grow(void *p, size_t *cap, size_t need, size_t size, int zero)
{
	size_t n = *cap ? *cap : 64;
	void *np;

	if (need <= *cap)
		return p;
	while (n < need)
		n *= 2;
	if ((np = realloc(p, n * size)) == NULL)
		return NULL;
	if (zero)
		memset((char *)np + *cap * size, 0, (n - *cap) * size);
	*cap = n;
	return np;
}

/* The number of the term of hash h, created when new; -1: no memory. */
static long
term_number(struct kn_grouper *g, uint64_t h)
{
	void *p;
	long t;

	if (kn_set_get(g->dict, h, &t))
		return t;
	if ((p = grow(g->df, &g->tcap, g->nterms + 1, sizeof(*g->df),
	    0)) == NULL)
		return -1;
	g->df = p;
	if ((p = grow(g->qw, &g->qwcap, g->nterms + 1, sizeof(*g->qw),
	    1)) == NULL)
		return -1;
	g->qw = p;
	if (kn_set_add(g->dict, h, (long)g->nterms, NULL) == -1)
		return -1;
	g->df[g->nterms] = g->bg != NULL ? (uint32_t)kn_kb_df(g->bg, h) : 0;
	return (long)g->nterms++;
}

static int
cmp_weight(const void *a, const void *b)
{
	const struct qterm *x = a, *y = b;

	if (x->w != y->w)
		return x->w > y->w ? -1 : 1;
	return x->t < y->t ? -1 : x->t > y->t;
}

/*
 * The vector of a text into g->q, strongest term first, with the length
 * of each term and those weaker (rest); g->qw holds the weights by term
 * number until unset().  Returns the number of terms, -1: no memory.
 */
static long
vectorise(struct kn_grouper *g, const char *text, size_t len)
{
	struct kn_terms *x = &g->terms;
	double n = g->nbg + (double)g->nseen, norm = 0, rest = 0;
	size_t i;
	void *p;

	g->nq = 0;
	if (kn_terms_make(x, g->ab, text, len) == -1 ||
	    (p = grow(g->q, &g->qcap, x->n + 1, sizeof(*g->q), 0)) == NULL)
		return -1;
	g->q = p;
	for (i = 0; i < x->n; i++) {
		long t = term_number(g, x->h[i]);
		double w;

		if (t == -1)
			return -1;
		w = (1.0 + log((double)x->tf[i])) *
		    log((n + 1.0) / ((double)g->df[t] + 0.5));
		g->q[i].t = (uint32_t)t;
		g->q[i].w = (float)w;
		norm += w * w;
	}
	g->nq = x->n;
	if (g->nq == 0)
		return 0;
	norm = sqrt(norm);
	for (i = 0; i < g->nq; i++)
		g->q[i].w = (float)(g->q[i].w / norm);
	qsort(g->q, g->nq, sizeof(*g->q), cmp_weight);
	for (i = g->nq; i-- > 0; ) {
		rest += (double)g->q[i].w * g->q[i].w;
		g->q[i].rest = sqrt(rest);
		g->qw[g->q[i].t] = g->q[i].w;
	}
	return (long)g->nq;
}

static void
unset(struct kn_grouper *g)
{
	size_t i;

	for (i = 0; i < g->nq; i++)
		g->qw[g->q[i].t] = 0;
}

/* The proposal's similarity with representative r. */
static double
dot(const struct kn_grouper *g, const struct rep *r)
{
	double s = 0;
	size_t i;

	for (i = r->off; i < r->off + r->n; i++)
		s += (double)g->qw[g->fterm[i]] * g->fw[i];
	return s;
}

double
kn_grouper_similarity(struct kn_grouper *g, const char *a, size_t alen,
    const char *b, size_t blen)
{
	struct qterm *qa;
	double s = 0;
	size_t i, na;

	if (vectorise(g, a, alen) == -1) {
		unset(g);
		return -1;
	}
	na = g->nq;
	if ((qa = malloc((na + 1) * sizeof(*qa))) == NULL) {
		unset(g);
		return -1;
	}
	memcpy(qa, g->q, na * sizeof(*qa));
	unset(g);
	if (vectorise(g, b, blen) == -1) {
		unset(g);
		free(qa);
		return -1;
	}
	for (i = 0; i < na; i++)
		s += (double)qa[i].w * g->qw[qa[i].t];
	unset(g);
	free(qa);
	return s;
}

/* ---- representatives and the index ---- */

/* The number of a field, from 1; 0: no memory. */
static uint32_t
field_number(struct kn_grouper *g, const char *field)
{
	void **slot;
	int created;

	if (field == NULL)
		field = "";
	if ((slot = kn_map_slot(g->fields, field, strlen(field),
	    &created)) == NULL)
		return 0;
	if (created)
		*slot = (void *)(uintptr_t)kn_map_count(g->fields);
	return (uint32_t)(uintptr_t)*slot;
}

static uint64_t
index_key(uint32_t field, uint32_t t)
{
	uint64_t h = (uint64_t)field << 40 ^ t;

	/* A 64-bit finaliser, so that neighbouring keys spread. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

static int
index_add(struct kn_grouper *g, uint32_t field, uint32_t t, uint32_t r,
    float w)
{
	struct plist *pl;
	long li;

	if (!kn_set_get(g->index, index_key(field, t), &li)) {
		if ((pl = grow(g->lists, &g->lcap, g->nlists + 1,
		    sizeof(*g->lists), 0)) == NULL)
			return -1;
		g->lists = pl;
		if (kn_set_add(g->index, index_key(field, t), (long)g->nlists,
		    NULL) == -1)
			return -1;
		li = (long)g->nlists;
		memset(&g->lists[g->nlists++], 0, sizeof(*pl));
	}
	pl = &g->lists[li];
	if (pl->n == pl->cap) {
		uint32_t cap = pl->cap ? pl->cap * 2 : 4, *nr;
		float *nw;

		if ((nr = realloc(pl->r, cap * sizeof(*nr))) == NULL)
			return -1;
		pl->r = nr;
		if ((nw = realloc(pl->w, cap * sizeof(*nw))) == NULL)
			return -1;
		pl->w = nw;
		pl->cap = cap;
	}
	pl->r[pl->n] = r;
	pl->w[pl->n++] = w;
	return 0;
}

/*
 * Make the proposal in g->q a representative: keep its vector, index
 * its strongest terms, those while the length from them on exceeds eps.
 */
static const char *
new_rep(struct kn_grouper *g, const char *id, uint32_t field)
{
	struct rep *r;
	size_t i, need = g->nf + g->nq + 1;
	void *p;

	if ((p = grow(g->reps, &g->rcap, g->nreps + 1, sizeof(*g->reps),
	    0)) == NULL)
		return NULL;
	g->reps = p;
	if ((p = grow(g->fterm, &g->fcap, need, sizeof(*g->fterm), 0)) == NULL)
		return NULL;
	g->fterm = p;
	if ((p = grow(g->fw, &g->fwcap, need, sizeof(*g->fw), 0)) == NULL)
		return NULL;
	g->fw = p;
	r = &g->reps[g->nreps];
	memset(r, 0, sizeof(*r));
	if ((r->id = strdup(id)) == NULL)
		return NULL;
	r->field = field;
	r->off = g->nf;
	r->n = (uint32_t)g->nq;
	for (i = 0; i < g->nq; i++) {
		g->fterm[g->nf + i] = g->q[i].t;
		g->fw[g->nf + i] = g->q[i].w;
	}
	g->nf += g->nq;
	for (i = 0; i < g->nq && g->q[i].rest > g->eps * (1 - SLACK); i++)
		if (index_add(g, field, g->q[i].t, (uint32_t)g->nreps,
		    g->q[i].w) == -1) {
			free(r->id);
			return NULL;
		}
	r->tail = i < g->nq ? g->q[i].rest : 0;
	g->nreps++;
	return r->id;
}

static int
grow_scratch(struct kn_grouper *g)
{
	void *p;

	if ((p = grow(g->acc, &g->ccap, g->nreps + 1, sizeof(*g->acc),
	    1)) == NULL)
		return -1;
	g->acc = p;
	if ((p = grow(g->touched, &g->tocap, g->nreps + 1,
	    sizeof(*g->touched), 0)) == NULL)
		return -1;
	g->touched = p;
	return 0;
}

/*
 * The representative of the field most similar to the proposal in g->q
 * and reaching the threshold, or -1; its similarity in *best.
 */
static long
nearest(struct kn_grouper *g, uint32_t field, double *best)
{
	size_t i, k, ntouched = 0;
	double floor = g->t - g->eps, qrest;
	long b = -1;

	*best = 0;
	if (g->exhaustive) {
		for (k = 0; k < g->nreps; k++) {
			double s;

			if (g->reps[k].field != field)
				continue;
			s = dot(g, &g->reps[k]);
			if (s + SLACK >= g->t && (b < 0 || s > *best)) {
				b = (long)k;
				*best = s;
			}
		}
		return b;
	}
	/* Read the lists of the strong terms; the rest is shorter than floor. */
	for (i = 0; i < g->nq && g->q[i].rest >= floor * (1 - SLACK); i++) {
		const struct plist *pl;
		long li;

		if (!kn_set_get(g->index, index_key(field, g->q[i].t), &li))
			continue;
		pl = &g->lists[li];
		for (k = 0; k < pl->n; k++) {
			uint32_t r = pl->r[k];

			if (g->acc[r] == 0)
				g->touched[ntouched++] = r;
			g->acc[r] += (double)g->q[i].w * pl->w[k];
		}
	}
	qrest = i < g->nq ? g->q[i].rest : 0;
	for (k = 0; k < ntouched; k++) {
		uint32_t r = g->touched[k];
		const struct rep *rp = &g->reps[r];
		double ub = g->acc[r] + rp->tail + qrest, s;

		g->acc[r] = 0;
		if (ub + SLACK < g->t || (b >= 0 && ub + SLACK < *best))
			continue;
		s = dot(g, rp);
		if (s + SLACK >= g->t && (b < 0 || s > *best ||
		    (s == *best && (long)r < b))) {
			b = (long)r;
			*best = s;
		}
	}
	return b;
}

/* The key of the answer rule: the field number, then the entry id. */
static int
answer_key(struct kn_grouper *g, uint32_t field, const char *answer)
{
	kn_buf_reset(&g->key);
	return kn_buf_add(&g->key, &field, sizeof(field)) == -1 ||
	    kn_buf_adds(&g->key, answer) == -1 ? -1 : 0;
}

const char *
kn_grouper_add(struct kn_grouper *g, const char *id, const char *field,
    const char *text, size_t len, const char *answer, double *sim)
{
	const char *rid;
	uint32_t fno;
	void **slot = NULL;
	long b = -1;
	double s = 1;
	size_t i;

	if (answer != NULL && *answer == '\0')
		answer = NULL;
	if ((fno = field_number(g, field)) == 0 ||
	    vectorise(g, text, len) == -1 || grow_scratch(g) == -1)
		goto fail;
	if (answer != NULL) {
		int created;

		if (answer_key(g, fno, answer) == -1 ||
		    (slot = kn_map_slot(g->answers, g->key.data, g->key.len,
		    &created)) == NULL)
			goto fail;
		if (!created) {
			b = (long)(uintptr_t)*slot - 1;
			s = dot(g, &g->reps[b]);
		}
	}
	if (b < 0 && g->nq > 0)
		b = nearest(g, fno, &s);
	if (b >= 0)
		rid = g->reps[b].id;
	else {
		if ((rid = new_rep(g, id, fno)) == NULL)
			goto fail;
		b = (long)g->nreps - 1;
		s = 1;
	}
	if (slot != NULL && *slot == NULL)
		*slot = (void *)(uintptr_t)(b + 1);
	/* The proposal is now part of the background of those after it. */
	for (i = 0; i < g->nq; i++)
		g->df[g->q[i].t]++;
	g->nseen++;
	unset(g);
	if (sim != NULL)
		*sim = s;
	return rid;
fail:
	unset(g);
	return NULL;
}

/* ---- measuring ---- */

static double
ratio(double a, double b, double none)
{
	return b > 0 ? a / b : none;
}

static double
harmonic(double p, double r)
{
	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

struct key {
	size_t	 a, b, i;
};

static int
cmp_key(const void *x, const void *y)
{
	const struct key *p = x, *q = y;

	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return p->b < q->b ? -1 : p->b > q->b;
}

/*
 * Number the distinct keys (a[i], b[i]) of the items from 0, in rank[];
 * b may be NULL.  -1 when out of memory.
 */
static int
rank_keys(const size_t *a, const size_t *b, size_t n, size_t *rank)
{
	struct key *k;
	size_t i, r = 0;

	if ((k = malloc((n + 1) * sizeof(*k))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		k[i] = (struct key){ a[i], b != NULL ? b[i] : 0, i };
	qsort(k, n, sizeof(*k), cmp_key);
	for (i = 0; i < n; i++) {
		if (i > 0 && cmp_key(&k[i - 1], &k[i]) != 0)
			r++;
		rank[k[i].i] = r;
	}
	free(k);
	return 0;
}

int
kn_group_measure(const size_t *label, const size_t *group,
    const unsigned char *test, size_t n, struct kn_group_figures *f)
{
	size_t *rg, *rl, *rb, *cg, *cl, *cb, *seen, i;
	uint64_t sg = 0, sl = 0, sb = 0;
	double bp = 0, br = 0;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	rg = calloc(n + 1, sizeof(*rg));
	rl = calloc(n + 1, sizeof(*rl));
	rb = calloc(n + 1, sizeof(*rb));
	cg = calloc(n + 1, sizeof(*cg));
	cl = calloc(n + 1, sizeof(*cl));
	cb = calloc(n + 1, sizeof(*cb));
	seen = calloc(n + 1, sizeof(*seen));
	if (rg == NULL || rl == NULL || rb == NULL || cg == NULL ||
	    cl == NULL || cb == NULL || seen == NULL ||
	    rank_keys(group, NULL, n, rg) == -1 ||
	    rank_keys(label, NULL, n, rl) == -1 ||
	    rank_keys(group, label, n, rb) == -1)
		goto out;
	/*
	 * Each pair counts once, with its later item: the pairs of a test
	 * item with the items before it.
	 */
	for (i = 0; i < n; i++) {
		if (test == NULL || test[i]) {
			sg += cg[rg[i]];
			sl += cl[rl[i]];
			sb += cb[rb[i]];
		}
		cg[rg[i]]++;
		cl[rl[i]]++;
		cb[rb[i]]++;
	}
	f->tp = sb;
	f->fp = sg - sb;
	f->fn = sl - sb;
	f->p = ratio((double)f->tp, (double)(f->tp + f->fp), 1);
	f->r = ratio((double)f->tp, (double)(f->tp + f->fn), 1);
	f->f1 = harmonic(f->p, f->r);
	/* B-cubed: the counts are now those of all the items. */
	for (i = 0; i < n; i++) {
		if (test != NULL && !test[i])
			continue;
		bp += (double)cb[rb[i]] / (double)cg[rg[i]];
		br += (double)cb[rb[i]] / (double)cl[rl[i]];
		f->groups += seen[rg[i]]++ == 0;
		f->n++;
	}
	f->bp = ratio(bp, (double)f->n, 1);
	f->br = ratio(br, (double)f->n, 1);
	f->bf1 = harmonic(f->bp, f->br);
	rc = 0;
out:
	free(rg);
	free(rl);
	free(rb);
	free(cg);
	free(cl);
	free(cb);
	free(seen);
	return rc;
}

double
kn_group_pick(const double *th, const double *f1, size_t nth)
{
	double best = -1;
	size_t i, nbest = 0, k;

	for (i = 0; i < nth; i++)
		if (f1[i] > best + 1e-12)
			best = f1[i];
	for (i = 0; i < nth; i++)
		nbest += f1[i] > best - 1e-12;
	/* The middle one of those at the maximum, in order. */
	for (i = 0, k = 0; i < nth; i++)
		if (f1[i] > best - 1e-12 && k++ == nbest / 2)
			return th[i];
	return KN_GROUP_THRESHOLD;
}
