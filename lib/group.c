/*
 * group.c: streaming grouping of proposals by similarity of their
 * folded text, with exact candidate generation through an inverted
 * index of the groups' representatives (see kn/group.h).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kn/answer.h"
#include "kn/group.h"
#include "kn/set.h"
#include "kn/text.h"

#define CHEAP_LIST	64	/* a posting list this short costs nothing */

struct rep {
	char		*id;
	uint64_t	*h;	/* sorted term hashes, field mixed in */
	uint32_t	 n;
};

struct plist {
	uint32_t	*r;	/* representatives, in order */
	uint32_t	 n, cap;
};

struct probe {
	uint64_t	 h;
	long		 list;	/* -1: no representative has it */
	uint32_t	 len;
};

struct kn_grouper {
	const struct kn_abbrev *ab;
	double		 t;
	struct rep	*reps;
	size_t		 nreps, rcap;
	struct kn_set	*dict;		/* term hash -> posting list */
	struct plist	*lists;
	size_t		 nlists, lcap;
	/* Scratch. */
	struct kn_terms	 terms;
	struct probe	*pr;
	size_t		 prcap;
	uint32_t	*cnt, *touched;
	size_t		 ccap;
};

struct kn_grouper *
kn_grouper_new(const struct kn_abbrev *ab, double threshold)
{
	struct kn_grouper *g;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	if ((g->dict = kn_set_new()) == NULL) {
		free(g);
		return NULL;
	}
	g->ab = ab;
	g->t = threshold <= 0 ? 1e-9 : threshold > 1 ? 1 : threshold;
	return g;
}

void
kn_grouper_free(struct kn_grouper *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nreps; i++) {
		free(g->reps[i].id);
		free(g->reps[i].h);
	}
	free(g->reps);
	for (i = 0; i < g->nlists; i++)
		free(g->lists[i].r);
	free(g->lists);
	kn_set_free(g->dict);
	kn_terms_free(&g->terms);
	free(g->pr);
	free(g->cnt);
	free(g->touched);
	free(g);
}

size_t
kn_grouper_count(const struct kn_grouper *g)
{
	return g->nreps;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
cmp_probe(const void *a, const void *b)
{
	const struct probe *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->h < y->h ? -1 : x->h > y->h;
}

/* A term of this field: the same syllables in two fields never meet. */
static uint64_t
mix(uint64_t h, uint64_t fh)
{
	h ^= fh + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static size_t
overlap(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na && j < nb) {
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else {
			k++;
			i++;
			j++;
		}
	}
	return k;
}

static int
grow_scratch(struct kn_grouper *g, size_t nterms)
{
	if (nterms > g->prcap) {
		struct probe *p = realloc(g->pr, nterms * sizeof(*p));

		if (p == NULL)
			return -1;
		g->pr = p;
		g->prcap = nterms;
	}
	if (g->nreps + 1 > g->ccap) {
		size_t cap = g->ccap ? g->ccap * 2 : 1024;
		uint32_t *c;

		if ((c = realloc(g->cnt, cap * sizeof(*c))) == NULL)
			return -1;
		memset(c + g->ccap, 0, (cap - g->ccap) * sizeof(*c));
		g->cnt = c;
		if ((c = realloc(g->touched, cap * sizeof(*c))) == NULL)
			return -1;
		g->touched = c;
		g->ccap = cap;
	}
	return 0;
}

/* Make the proposal a representative: keep its terms, index them. */
static const char *
new_rep(struct kn_grouper *g, const char *id, const uint64_t *h, size_t n)
{
	struct rep *r;
	size_t i;

	if (g->nreps == g->rcap) {
		size_t cap = g->rcap ? g->rcap * 2 : 1024;

		if ((r = realloc(g->reps, cap * sizeof(*r))) == NULL)
			return NULL;
		g->reps = r;
		g->rcap = cap;
	}
	r = &g->reps[g->nreps];
	memset(r, 0, sizeof(*r));
	if ((r->id = strdup(id)) == NULL)
		return NULL;
	if (n > 0 && (r->h = malloc(n * sizeof(*r->h))) == NULL) {
		free(r->id);
		return NULL;
	}
	if (n > 0)
		memcpy(r->h, h, n * sizeof(*h));
	r->n = (uint32_t)n;
	for (i = 0; i < n; i++) {
		struct plist *pl;
		long li;
		int rc;

		if (!kn_set_get(g->dict, h[i], &li)) {
			if (g->nlists == g->lcap) {
				size_t cap = g->lcap ? g->lcap * 2 : 4096;

				if ((pl = realloc(g->lists, cap *
				    sizeof(*pl))) == NULL)
					return NULL;
				g->lists = pl;
				g->lcap = cap;
			}
			li = (long)g->nlists;
			if ((rc = kn_set_add(g->dict, h[i], li, NULL)) == -1)
				return NULL;
			memset(&g->lists[g->nlists++], 0, sizeof(*pl));
		}
		pl = &g->lists[li];
		if (pl->n == pl->cap) {
			uint32_t cap = pl->cap ? pl->cap * 2 : 4, *p;

			if ((p = realloc(pl->r, cap * sizeof(*p))) == NULL)
				return NULL;
			pl->r = p;
			pl->cap = cap;
		}
		pl->r[pl->n++] = (uint32_t)g->nreps;
	}
	g->nreps++;
	return r->id;
}

const char *
kn_grouper_add(struct kn_grouper *g, const char *id, const char *field,
    const char *text, size_t len, double *sim)
{
	struct kn_terms *x = &g->terms;
	uint64_t fh;
	size_t i, k, n, nprobe, ntouched = 0, omin, need;
	long best = -1;
	double bsim = 0;

	if (kn_terms_make(x, g->ab, text, len) == -1)
		return NULL;
	n = x->n;
	if (grow_scratch(g, n) == -1)
		return NULL;
	if (sim != NULL)
		*sim = 1;
	if (n == 0)
		return new_rep(g, id, NULL, 0);
	if (field == NULL)
		field = "";
	fh = kn_hash64(field, strlen(field));
	for (i = 0; i < n; i++)
		x->h[i] = mix(x->h[i], fh);
	qsort(x->h, n, sizeof(*x->h), cmp_u64);

	/* The proposal's terms, rarest among representatives first. */
	for (i = 0; i < n; i++) {
		struct probe *p = &g->pr[i];

		p->h = x->h[i];
		if (kn_set_get(g->dict, p->h, &p->list))
			p->len = g->lists[p->list].n;
		else {
			p->list = -1;
			p->len = 0;
		}
	}
	qsort(g->pr, n, sizeof(*g->pr), cmp_probe);
	omin = (size_t)ceil(g->t * (double)n - 1e-9);
	if (omin < 1)
		omin = 1;
	/*
	 * Enough terms to meet every representative that can reach the
	 * threshold, then the cheap ones too: a representative must then
	 * have met at least need of the looked-up terms.
	 */
	nprobe = n - omin + 1;
	while (nprobe < n && g->pr[nprobe].len <= CHEAP_LIST)
		nprobe++;
	need = omin - (n - nprobe);
	for (i = 0; i < nprobe; i++) {
		const struct plist *pl;

		if (g->pr[i].list < 0)
			continue;
		pl = &g->lists[g->pr[i].list];
		for (k = 0; k < pl->n; k++) {
			uint32_t r = pl->r[k];

			if (g->cnt[r]++ == 0)
				g->touched[ntouched++] = r;
		}
	}
	for (i = 0; i < ntouched; i++) {
		uint32_t r = g->touched[i];
		const struct rep *rp = &g->reps[r];
		size_t inter;
		double j;

		if (g->cnt[r] < need) {
			g->cnt[r] = 0;
			continue;
		}
		g->cnt[r] = 0;
		/* Sizes alone can rule a pair out. */
		if ((double)rp->n * g->t > (double)n + 1e-9 ||
		    (double)n * g->t > (double)rp->n + 1e-9)
			continue;
		inter = overlap(x->h, n, rp->h, rp->n);
		j = (double)inter / (double)(n + rp->n - inter);
		if (j + 1e-12 >= g->t && (best < 0 || j > bsim ||
		    (j == bsim && (long)r < best))) {
			best = r;
			bsim = j;
		}
	}
	if (best < 0)
		return new_rep(g, id, x->h, n);
	if (sim != NULL)
		*sim = bsim;
	return g->reps[best].id;
}
