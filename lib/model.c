/*
 * model.c: kn-classify's statistical model over syllable unigrams and
 * bigrams: logistic regression or multinomial naive Bayes (kn/model.h).
 *
 * Training keys features by their text in a kn_map, so that the model
 * file can name them.  Scoring never looks at text: a finished model is
 * an open-addressing table from the 64-bit hash of a feature to its row
 * of weights, one float per class, and a text's features are hashed
 * from its token hashes (kn_toks_pair for bigrams).  The repeats of a
 * feature in a text are gathered with a stamp per row, so that scoring
 * costs one probe per feature and allocates nothing once warm.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/map.h"
#include "kn/model.h"
#include "kn/text.h"

#define SGD_RATE	0.5	/* the first step of gradient descent */
#define FILTER_BITS	65536	/* a power of two */
#define LOG_TF		16	/* log(1 + tf) is kept for tf below this */
#define SGD_SEED	0x6b6e2d636c617373ULL	/* the shuffles' seed */

/* A feature while training, and after: the value of its map entry. */
struct feat {
	size_t		 id;	/* its index in the map (insertion order) */
	size_t		 row;	/* row + 1 in the finished model; 0: dropped */
	size_t		 pos;	/* its place in the document being learnt */
	unsigned long	 df;	/* documents holding it */
	unsigned long	 last;	/* the last document counted in df, + 1 */
	unsigned long	 c[];	/* occurrences per class */
};

/* A training document of logistic regression: features and counts. */
struct tdoc {
	size_t		 cls;
	size_t		 n, cap;
	size_t		*id;	/* map index */
	unsigned	*tf;
};

struct slot {
	unsigned long long h;
	size_t		 row;	/* row + 1; 0 is empty */
};

struct kn_model {
	char		**cls;
	size_t		 ncls;
	struct kn_model_params p;
	unsigned long	*docs;		/* documents per class */
	struct kn_map	*feats;		/* feature text -> struct feat */
	struct kn_buf	 scratch;
	int		 finished;
	unsigned long	 nlearnt;	/* documents learnt */
	struct tdoc	*td;		/* logistic regression, training */
	size_t		 ntd, captd;

	/* The finished model. */
	double		*bias;		/* b(c), or log P(c) */
	float		*w;		/* nfeat rows of ncls */
	float		*idf;		/* per row; logistic regression */
	unsigned long	*df;		/* per row; logistic regression */
	size_t		 nfeat;
	struct slot	*tab;
	size_t		 mask;
	/*
	 * A bit per hash of the features kept: most pairs of a text are
	 * unknown, and this says so from the cache, without a probe.
	 */
	unsigned char	 filter[FILTER_BITS / 8];
	double		 log_tf[LOG_TF];

	/* Scoring scratch: the distinct rows of the text being scored. */
	unsigned long	*stamp;		/* per row: the serial that saw it */
	size_t		*at;		/* per row: its index below */
	unsigned long	 serial;
	struct dfeat {
		size_t	 row;		/* its row in the model */
		size_t	 first;		/* the token it was first seen at */
		size_t	 cnt;		/* occurrences */
		int	 pair;		/* a bigram */
		double	 x;		/* its value in the vector */
	}		*doc;
	size_t		 nd, capd;
};

void
kn_model_params_init(struct kn_model_params *p, enum kn_learner l)
{
	memset(p, 0, sizeof(*p));
	p->learner = l;
	p->l2 = KN_LOGREG_L2;
	p->epochs = KN_LOGREG_EPOCHS;
	p->min_df = KN_LOGREG_MIN_DF;
	p->alpha = KN_NB_ALPHA;
	p->min_count = KN_NB_MIN_COUNT;
	if (l == KN_LEARNER_NB) {
		p->temperature = KN_NB_TEMPERATURE;
		p->lexicon_weight = KN_NB_LEXICON_WEIGHT;
	} else {
		p->temperature = KN_LOGREG_TEMPERATURE;
		p->lexicon_weight = KN_LOGREG_LEXICON_WEIGHT;
	}
}

const char *
kn_learner_name(enum kn_learner l)
{
	return l == KN_LEARNER_NB ? "naive-bayes" : "logistic-regression";
}

int
kn_learner_parse(const char *name)
{
	if (strcmp(name, "logistic-regression") == 0 ||
	    strcmp(name, "logreg") == 0)
		return KN_LEARNER_LOGREG;
	if (strcmp(name, "naive-bayes") == 0 || strcmp(name, "nb") == 0)
		return KN_LEARNER_NB;
	return -1;
}

struct kn_model *
kn_model_new(const char *const *classes, size_t n,
    const struct kn_model_params *p)
{
	struct kn_model *m;
	size_t i;

	if (n == 0 || n > KN_MODEL_MAX_CLASSES ||
	    (m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if (p != NULL)
		m->p = *p;
	else
		kn_model_params_init(&m->p, KN_LEARNER_LOGREG);
	if ((m->cls = calloc(n, sizeof(*m->cls))) == NULL ||
	    (m->docs = calloc(n, sizeof(*m->docs))) == NULL ||
	    (m->bias = calloc(n, sizeof(*m->bias))) == NULL ||
	    (m->feats = kn_map_new()) == NULL)
		goto fail;
	for (i = 0; i < n; i++, m->ncls++)
		if ((m->cls[i] = strdup(classes[i])) == NULL)
			goto fail;
	for (i = 0; i < LOG_TF; i++)
		m->log_tf[i] = log(1.0 + (double)i);
	return m;
fail:
	kn_model_free(m);
	return NULL;
}

static void
free_training(struct kn_model *m)
{
	size_t i;

	for (i = 0; i < m->ntd; i++) {
		free(m->td[i].id);
		free(m->td[i].tf);
	}
	free(m->td);
	m->td = NULL;
	m->ntd = m->captd = 0;
}

void
kn_model_free(struct kn_model *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->ncls; i++)
		free(m->cls[i]);
	free(m->cls);
	free(m->docs);
	if (m->feats != NULL)
		for (i = 0; i < kn_map_count(m->feats); i++)
			free(kn_map_value_at(m->feats, i));
	kn_map_free(m->feats);
	kn_buf_free(&m->scratch);
	free_training(m);
	free(m->bias);
	free(m->w);
	free(m->idf);
	free(m->df);
	free(m->tab);
	free(m->stamp);
	free(m->at);
	free(m->doc);
	free(m);
}

/* The entry of feature key, made when new; NULL when out of memory. */
static struct feat *
feature(struct kn_model *m, const char *key, size_t len)
{
	struct feat *f;
	void **slot;
	int created;

	if ((slot = kn_map_slot(m->feats, key, len, &created)) == NULL)
		return NULL;
	if (created) {
		if ((f = calloc(1, sizeof(*f) + m->ncls * sizeof(f->c[0]))) ==
		    NULL)
			return NULL;
		/* Entries are in insertion order: a new one is the last. */
		f->id = kn_map_count(m->feats) - 1;
		*slot = f;
	}
	return *slot;
}

/* Count one occurrence of feature key in the document of class cls. */
static int
occur(struct kn_model *m, const char *key, size_t len, size_t cls,
    struct tdoc *d)
{
	struct feat *f;
	size_t *nid;
	unsigned *ntf;

	if ((f = feature(m, key, len)) == NULL)
		return -1;
	f->c[cls]++;
	if (f->last == m->nlearnt + 1) {
		if (d != NULL)
			d->tf[f->pos]++;
		return 0;
	}
	f->last = m->nlearnt + 1;
	f->df++;
	if (d == NULL)
		return 0;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;

		if ((nid = realloc(d->id, cap * sizeof(*nid))) == NULL)
			return -1;
		d->id = nid;
		if ((ntf = realloc(d->tf, cap * sizeof(*ntf))) == NULL)
			return -1;
		d->tf = ntf;
		d->cap = cap;
	}
	f->pos = d->n;
	d->id[d->n] = f->id;
	d->tf[d->n++] = 1;
	return 0;
}

int
kn_model_learn(struct kn_model *m, size_t cls, const struct kn_toks *tk)
{
	struct tdoc *d = NULL, *nd;
	const char *a, *b;
	size_t i, la, lb;

	if (m->finished || cls >= m->ncls)
		return -1;
	if (m->p.learner == KN_LEARNER_LOGREG) {
		if (m->ntd == m->captd) {
			size_t cap = m->captd ? m->captd * 2 : 256;

			if ((nd = realloc(m->td, cap * sizeof(*nd))) == NULL)
				return -1;
			m->td = nd;
			m->captd = cap;
		}
		d = &m->td[m->ntd];
		memset(d, 0, sizeof(*d));
		d->cls = cls;
	}
	for (i = 0; i < tk->n; i++) {
		a = kn_toks_str(tk, i, &la);
		if (occur(m, a, la, cls, d) == -1)
			goto fail;
		if (i + 1 == tk->n)
			break;
		b = kn_toks_str(tk, i + 1, &lb);
		kn_buf_reset(&m->scratch);
		if (kn_buf_add(&m->scratch, a, la) == -1 ||
		    kn_buf_addc(&m->scratch, ' ') == -1 ||
		    kn_buf_add(&m->scratch, b, lb) == -1 ||
		    occur(m, m->scratch.data, m->scratch.len, cls, d) == -1)
			goto fail;
	}
	m->docs[cls]++;
	m->nlearnt++;
	if (d != NULL)
		m->ntd++;
	return 0;
fail:
	if (d != NULL) {
		free(d->id);
		free(d->tf);
	}
	return -1;
}

/* The hash of a feature's text: one syllable, or two with a space. */
static unsigned long long
feature_hash(const char *key, size_t len)
{
	const char *sp = memchr(key, ' ', len);

	if (sp == NULL)
		return kn_hash64(key, len);
	return kn_toks_pair(kn_hash64(key, (size_t)(sp - key)),
	    kn_hash64(sp + 1, len - (size_t)(sp - key) - 1));
}

static size_t
filter_bit(unsigned long long h)
{
	return (size_t)(h >> 23) & (FILTER_BITS - 1);
}

static void
filter_add(struct kn_model *m, unsigned long long h)
{
	size_t b = filter_bit(h);

	m->filter[b >> 3] |= (unsigned char)(1 << (b & 7));
}

static int
filter_has(const struct kn_model *m, unsigned long long h)
{
	size_t b = filter_bit(h);

	return m->filter[b >> 3] & (1 << (b & 7));
}

static struct slot *
find(const struct kn_model *m, unsigned long long h)
{
	size_t i = (size_t)((h ^ (h >> 32)) * 0x9E3779B97F4A7C15ULL >> 40) &
	    m->mask;

	while (m->tab[i].row != 0 && m->tab[i].h != h)
		i = (i + 1) & m->mask;
	return &m->tab[i];
}

/* The sum of a count per class. */
static unsigned long
sum(const struct kn_model *m, const unsigned long *per_class)
{
	unsigned long t = 0;
	size_t j;

	for (j = 0; j < m->ncls; j++)
		t += per_class[j];
	return t;
}

/* Occurrences of a feature, and documents, in all classes. */
#define total(m, f)	sum((m), (f)->c)
#define documents(m)	sum((m), (m)->docs)

/* Is feature f kept in the model? */
static int
kept(const struct kn_model *m, const struct feat *f)
{
	if (m->p.learner == KN_LEARNER_NB)
		return total(m, f) >= m->p.min_count;
	return f->df >= m->p.min_df;
}

/* The hash table and the per-row arrays for n rows; -1 out of memory. */
static int
alloc_rows(struct kn_model *m, size_t n)
{
	size_t size, k = n ? n : 1;

	for (size = 64; size < n * 2 + 2; size *= 2)
		;
	if ((m->tab = calloc(size, sizeof(*m->tab))) == NULL ||
	    (m->w = calloc(k * m->ncls, sizeof(*m->w))) == NULL ||
	    (m->idf = calloc(k, sizeof(*m->idf))) == NULL ||
	    (m->df = calloc(k, sizeof(*m->df))) == NULL ||
	    (m->stamp = calloc(k, sizeof(*m->stamp))) == NULL ||
	    (m->at = calloc(k, sizeof(*m->at))) == NULL)
		return -1;
	m->mask = size - 1;
	m->nfeat = 0;
	return 0;
}

/*
 * Give feature f, the map's entry i, the next row: its number + 1 (as
 * f->row), or 0 when its hash collides with an earlier one's (64 bits:
 * never seen), and it is dropped.
 */
static size_t
add_row(struct kn_model *m, struct feat *f, size_t i)
{
	const char *key;
	struct slot *s;
	size_t klen;

	key = kn_map_key_at(m->feats, i, &klen);
	s = find(m, feature_hash(key, klen));
	if (s->row != 0)
		return f->row = 0;
	s->h = feature_hash(key, klen);
	filter_add(m, s->h);
	s->row = ++m->nfeat;
	f->row = m->nfeat;
	m->df[m->nfeat - 1] = f->df;
	return f->row;
}

/* Number the kept features in map order, with the rows they need. */
static int
make_rows(struct kn_model *m)
{
	size_t i, n = kn_map_count(m->feats), nkept = 0;
	struct feat *f;

	for (i = 0; i < n; i++)
		if (kept(m, kn_map_value_at(m->feats, i)))
			nkept++;
	if (alloc_rows(m, nkept) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		f = kn_map_value_at(m->feats, i);
		f->row = 0;
		if (kept(m, f))
			add_row(m, f, i);
	}
	return 0;
}

/* log(D / df): what a feature in df of the D documents is worth. */
static void
make_idf(struct kn_model *m)
{
	double d = (double)documents(m);
	size_t r;

	for (r = 0; r < m->nfeat; r++)
		m->idf[r] = m->df[r] == 0 ? 0 : (float)log(d /
		    (double)m->df[r]);
}

static int
finish_nb(struct kn_model *m)
{
	double *tot, ndocs = (double)documents(m), denom;
	size_t i, j, n = kn_map_count(m->feats);
	const struct feat *f;

	if (!(m->p.alpha > 0) || (tot = calloc(m->ncls, sizeof(*tot))) ==
	    NULL)
		return -1;
	for (i = 0; i < n; i++) {
		f = kn_map_value_at(m->feats, i);
		if (f->row != 0)
			for (j = 0; j < m->ncls; j++)
				tot[j] += (double)f->c[j];
	}
	for (j = 0; j < m->ncls; j++)
		m->bias[j] = log(((double)m->docs[j] + 1) /
		    (ndocs + (double)m->ncls));
	for (i = 0; i < n; i++) {
		f = kn_map_value_at(m->feats, i);
		if (f->row == 0)
			continue;
		for (j = 0; j < m->ncls; j++) {
			denom = tot[j] + m->p.alpha * (double)m->nfeat;
			m->w[(f->row - 1) * m->ncls + j] = (float)log(
			    ((double)f->c[j] + m->p.alpha) / denom);
		}
	}
	free(tot);
	return 0;
}

/* splitmix64: the shuffles' random numbers, the same everywhere. */
static unsigned long long
next_random(unsigned long long *s)
{
	unsigned long long z = (*s += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* The document vectors of training: rows and values, length 1. */
struct svec {
	size_t	 n;
	size_t	*row;
	double	*x;
};

static int
training_vectors(struct kn_model *m, struct svec *v)
{
	size_t i, k, n;
	const struct feat *f;
	double norm;

	for (i = 0; i < m->ntd; i++) {
		const struct tdoc *d = &m->td[i];

		if ((v[i].row = calloc(d->n ? d->n : 1, sizeof(size_t))) ==
		    NULL || (v[i].x = calloc(d->n ? d->n : 1,
		    sizeof(double))) == NULL)
			return -1;
		norm = 0;
		for (k = n = 0; k < d->n; k++) {
			f = kn_map_value_at(m->feats, d->id[k]);
			if (f->row == 0)
				continue;
			v[i].row[n] = f->row - 1;
			v[i].x[n] = log(1.0 + d->tf[k]) * m->idf[f->row - 1];
			norm += v[i].x[n] * v[i].x[n];
			n++;
		}
		v[i].n = n;
		if (norm > 0)
			for (k = 0, norm = sqrt(norm); k < n; k++)
				v[i].x[k] /= norm;
	}
	return 0;
}

/*
 * A number as the model file writes it (4 significant digits), so that
 * the model trained and the model saved and loaded are the same.
 */
static double
as_saved(double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.4g", v);
	return strtod(buf, NULL);
}

/*
 * Stochastic gradient descent on the mean log-loss plus (l2 / 2)|w|^2:
 * at step t, for one document, w -= eta_t (gradient), with
 * eta_t = SGD_RATE / (1 + SGD_RATE * l2 * t).  The penalty shrinks
 * every weight at each step; it is kept as one factor (scale) so that a
 * step costs the document's features only.
 */
static int
finish_logreg(struct kn_model *m)
{
	struct svec *v = NULL;
	size_t *order = NULL, i, j, k, e, r, K = m->ncls;
	double *W = NULL, *z = NULL, scale = 1, eta, zmax, sum, t = 0;
	unsigned long long seed = SGD_SEED;
	int rc = -1;

	make_idf(m);
	if ((v = calloc(m->ntd ? m->ntd : 1, sizeof(*v))) == NULL ||
	    (order = calloc(m->ntd ? m->ntd : 1, sizeof(*order))) == NULL ||
	    (W = calloc(m->nfeat ? m->nfeat * K : 1, sizeof(*W))) == NULL ||
	    (z = calloc(K, sizeof(*z))) == NULL ||
	    training_vectors(m, v) == -1)
		goto out;
	for (i = 0; i < m->ntd; i++)
		order[i] = i;
	for (e = 0; e < m->p.epochs; e++) {
		for (i = m->ntd; i > 1; i--) {
			size_t s = (size_t)(next_random(&seed) % i), tmp;

			tmp = order[i - 1];
			order[i - 1] = order[s];
			order[s] = tmp;
		}
		for (i = 0; i < m->ntd; i++) {
			const struct svec *d = &v[order[i]];
			size_t y = m->td[order[i]].cls;

			t += 1;
			eta = SGD_RATE / (1 + SGD_RATE * m->p.l2 * t);
			for (j = 0; j < K; j++)
				z[j] = 0;
			for (k = 0; k < d->n; k++)
				for (j = 0, r = d->row[k] * K; j < K; j++)
					z[j] += d->x[k] * W[r + j];
			zmax = -HUGE_VAL;
			for (j = 0; j < K; j++) {
				z[j] = m->bias[j] + scale * z[j];
				if (z[j] > zmax)
					zmax = z[j];
			}
			for (j = 0, sum = 0; j < K; j++)
				sum += (z[j] = exp(z[j] - zmax));
			/* z becomes the gradient of the loss in the score. */
			for (j = 0; j < K; j++)
				z[j] = z[j] / sum - (j == y);
			scale *= 1 - eta * m->p.l2;
			if (scale < 1e-9) {
				for (r = 0; r < m->nfeat * K; r++)
					W[r] *= scale;
				scale = 1;
			}
			for (k = 0; k < d->n; k++)
				for (j = 0, r = d->row[k] * K; j < K; j++)
					W[r + j] -= eta * z[j] * d->x[k] /
					    scale;
			for (j = 0; j < K; j++)
				m->bias[j] -= eta * z[j];
		}
	}
	for (r = 0; r < m->nfeat * K; r++)
		m->w[r] = (float)as_saved(W[r] * scale);
	for (j = 0; j < K; j++)
		m->bias[j] = as_saved(m->bias[j]);
	rc = 0;
out:
	if (v != NULL)
		for (i = 0; i < m->ntd; i++) {
			free(v[i].row);
			free(v[i].x);
		}
	free(v);
	free(order);
	free(W);
	free(z);
	return rc;
}

int
kn_model_finish(struct kn_model *m)
{
	if (m->finished)
		return 0;
	if (make_rows(m) == -1)
		return -1;
	if (m->p.learner == KN_LEARNER_NB) {
		if (finish_nb(m) == -1)
			return -1;
	} else if (finish_logreg(m) == -1)
		return -1;
	free_training(m);
	m->finished = 1;
	return 0;
}

static int
cmp_keys(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The shortest of %.15g and %.17g that reads back as v. */
static void
put_real(FILE *fp, const char *name, double v)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, sizeof(buf), "%.17g", v);
	fprintf(fp, "%s %s\n", name, buf);
}

static void
put_header(const struct kn_model *m, FILE *fp, size_t nfeat)
{
	size_t j;

	fprintf(fp, "%s %d\n", KN_MODEL_MAGIC, KN_MODEL_VERSION);
	if (m->p.learner == KN_LEARNER_NB)
		fputs("# multinomial naive Bayes over folded syllable unigrams "
		    "and bigrams;\n# see kn-classify(1).  Each feature line: "
		    "the feature, a tab, its count\n# in each field, in the "
		    "order of the fields line.\n", fp);
	else
		fputs("# logistic regression over folded syllable unigrams and "
		    "bigrams; see\n# kn-classify(1).  Each feature line: the "
		    "feature, a tab, the number of\n# training documents "
		    "holding it, a tab, its weight in each field, in the\n"
		    "# order of the fields line.\n", fp);
	fprintf(fp, "learner %s\n", kn_learner_name(m->p.learner));
	fputs("fields", fp);
	for (j = 0; j < m->ncls; j++)
		fprintf(fp, " %s", m->cls[j]);
	fputs("\ndocuments", fp);
	for (j = 0; j < m->ncls; j++)
		fprintf(fp, " %lu", m->docs[j]);
	fputc('\n', fp);
	if (m->p.learner == KN_LEARNER_NB) {
		put_real(fp, "alpha", m->p.alpha);
		fprintf(fp, "min-count %lu\n", m->p.min_count);
	} else {
		put_real(fp, "l2", m->p.l2);
		fprintf(fp, "epochs %lu\n", m->p.epochs);
		fprintf(fp, "min-df %lu\n", m->p.min_df);
	}
	put_real(fp, "temperature", m->p.temperature);
	put_real(fp, "lexicon-weight", m->p.lexicon_weight);
	if (m->p.learner == KN_LEARNER_LOGREG) {
		fputs("bias", fp);
		for (j = 0; j < m->ncls; j++)
			fprintf(fp, " %.4g", m->bias[j]);
		fputc('\n', fp);
	}
	fprintf(fp, "features %zu\n", nfeat);
}

int
kn_model_save(const struct kn_model *m, FILE *fp)
{
	size_t i, j, k, n = kn_map_count(m->feats);
	const struct feat *f;
	const char **keys;

	if (!m->finished || (keys = calloc(n ? n : 1, sizeof(*keys))) == NULL)
		return -1;
	for (i = k = 0; i < n; i++)
		if (((const struct feat *)kn_map_value_at(m->feats, i))->row !=
		    0)
			keys[k++] = kn_map_key_at(m->feats, i, NULL);
	qsort(keys, k, sizeof(*keys), cmp_keys);
	put_header(m, fp, k);
	for (i = 0; i < k; i++) {
		f = kn_map_get(m->feats, keys[i], strlen(keys[i]));
		fputs(keys[i], fp);
		if (m->p.learner == KN_LEARNER_NB) {
			for (j = 0; j < m->ncls; j++)
				fprintf(fp, "%c%lu", j == 0 ? '\t' : ' ',
				    f->c[j]);
		} else {
			fprintf(fp, "\t%lu", f->df);
			for (j = 0; j < m->ncls; j++)
				fprintf(fp, "%c%.4g", j == 0 ? '\t' : ' ',
				    (double)m->w[(f->row - 1) * m->ncls + j]);
		}
		fputc('\n', fp);
	}
	free(keys);
	return ferror(fp) ? -1 : 0;
}

/* ---- loading ---- */

struct loader {
	const char	*path;
	FILE		*fp;
	long		 line;
	char		*buf;
	size_t		 cap;
	struct kn_error	*err;
};

/* The next line without its newline; NULL at the end. */
static char *
next_line(struct loader *ld)
{
	ssize_t n;

	for (;;) {
		if ((n = getline(&ld->buf, &ld->cap, ld->fp)) == -1)
			return NULL;
		ld->line++;
		if (n > 0 && ld->buf[n - 1] == '\n')
			ld->buf[--n] = '\0';
		if (ld->buf[0] != '#')
			return ld->buf;
	}
}

static int
bad(struct loader *ld, const char *what)
{
	kn_error_set(ld->err, KN_EDATA, ld->path, ld->line, "%s", what);
	return -1;
}

/*
 * A number after the header word name: 0, 1 when the line is not that
 * header, -1 when malformed.
 */
static int
header_real(struct loader *ld, const char *line, const char *name,
    double *v)
{
	size_t n = strlen(name);
	char *end;

	if (strncmp(line, name, n) != 0 || line[n] != ' ')
		return 1;
	errno = 0;
	*v = strtod(line + n + 1, &end);
	if (errno != 0 || end == line + n + 1 || *end != '\0' || !isfinite(*v))
		return bad(ld, "malformed number");
	return 0;
}

/* A feature is one or two syllables of [a-z0-9] and non-ASCII bytes. */
static int
valid_feature(const char *s, size_t len)
{
	size_t i, spaces = 0;

	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ') {
			if (++spaces > 1)
				return 0;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c >= 0x80))
			return 0;
	}
	return 1;
}

/* ncls unsigned counts, each after a tab or a space, into out. */
static int
parse_counts(struct loader *ld, const char *s, unsigned long *out,
    size_t ncls)
{
	size_t j;
	char *end;

	for (j = 0; j < ncls; j++) {
		if (*s != '\t' && *s != ' ')
			return bad(ld, "expected one count per field");
		s++;
		if (*s < '0' || *s > '9')
			return bad(ld, "expected one count per field");
		errno = 0;
		out[j] = strtoul(s, &end, 10);
		if (errno != 0)
			return bad(ld, "count out of range");
		s = end;
	}
	if (*s != '\0')
		return bad(ld, "more counts than fields");
	return 0;
}

/* ncls numbers, each after a tab or a space, into out. */
static int
parse_reals(struct loader *ld, const char *s, double *out, size_t ncls,
    const char *one, const char *many)
{
	size_t j;
	char *end;

	for (j = 0; j < ncls; j++) {
		errno = 0;
		if ((*s != '\t' && *s != ' ') || (out[j] = strtod(s + 1,
		    &end), errno != 0) || end == s + 1 || !isfinite(out[j])) {
			kn_error_set(ld->err, KN_EDATA, ld->path, ld->line,
			    "expected one %s per field", one);
			return -1;
		}
		s = end;
	}
	if (*s != '\0') {
		kn_error_set(ld->err, KN_EDATA, ld->path, ld->line,
		    "more %s than fields", many);
		return -1;
	}
	return 0;
}

/* The fields line: a new model with those classes. */
static struct kn_model *
fields_line(struct loader *ld, char *line, const struct kn_model_params *p)
{
	struct kn_model *m;
	char *tok, *save, **names;
	size_t n = 0, j;

	if ((names = calloc(strlen(line), sizeof(*names))) == NULL) {
		kn_error_set(ld->err, KN_ENOMEM, ld->path, 0, "out of memory");
		return NULL;
	}
	for (tok = strtok_r(line, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		for (j = 0; j < n; j++)
			if (strcmp(names[j], tok) == 0)
				break;
		if (j < n) {
			kn_error_set(ld->err, KN_EDATA, ld->path, ld->line,
			    "field \"%s\" is repeated", tok);
			free(names);
			return NULL;
		}
		names[n++] = tok;
	}
	if (n == 0 || n > KN_MODEL_MAX_CLASSES) {
		bad(ld, "expected 1 to 256 fields");
		free(names);
		return NULL;
	}
	if ((m = kn_model_new((const char *const *)names, n, p)) == NULL)
		kn_error_set(ld->err, KN_ENOMEM, ld->path, 0, "out of memory");
	free(names);
	return m;
}

/* A header line of a model m (fields known): 0, or -1 after an error. */
static int
header_line(struct loader *ld, struct kn_model *m, const char *line,
    int *have_docs, int *have_bias)
{
	struct kn_model_params *p = &m->p;
	double v, *b;
	int rc;

	if (strncmp(line, "documents", 9) == 0) {
		*have_docs = 1;
		return parse_counts(ld, line + 9, m->docs, m->ncls);
	}
	if (strncmp(line, "bias", 4) == 0) {
		if ((b = calloc(m->ncls, sizeof(*b))) == NULL)
			return -1;
		rc = parse_reals(ld, line + 4, b, m->ncls, "bias", "biases");
		memcpy(m->bias, b, m->ncls * sizeof(*b));
		free(b);
		*have_bias = 1;
		return rc;
	}
	if ((rc = header_real(ld, line, "alpha", &v)) != 1) {
		if (rc == 0 && !(v > 0))
			return bad(ld, "alpha must be above 0");
		p->alpha = v;
		return rc;
	}
	if ((rc = header_real(ld, line, "temperature", &v)) != 1) {
		if (rc == 0 && !(v > 0))
			return bad(ld, "temperature must be above 0");
		p->temperature = v;
		return rc;
	}
	if ((rc = header_real(ld, line, "lexicon-weight", &v)) != 1) {
		p->lexicon_weight = v;
		return rc;
	}
	if ((rc = header_real(ld, line, "l2", &v)) != 1) {
		if (rc == 0 && v < 0)
			return bad(ld, "l2 must not be negative");
		p->l2 = v;
		return rc;
	}
	if ((rc = header_real(ld, line, "min-count", &v)) != 1) {
		p->min_count = v < 1 ? 1 : (unsigned long)v;
		return rc;
	}
	if ((rc = header_real(ld, line, "min-df", &v)) != 1) {
		p->min_df = v < 1 ? 1 : (unsigned long)v;
		return rc;
	}
	if ((rc = header_real(ld, line, "epochs", &v)) != 1) {
		p->epochs = v < 1 ? 1 : (unsigned long)v;
		return rc;
	}
	kn_error_set(ld->err, KN_EDATA, ld->path, ld->line,
	    "unknown header line \"%.40s\"", line);
	return -1;
}

/* The header, up to the features line; *nfeat from it. */
static struct kn_model *
load_header(struct loader *ld, size_t *nfeat)
{
	struct kn_model_params p;
	struct kn_model *m = NULL;
	char *line;
	int have_docs = 0, have_bias = 0, version, l;
	double v;

	kn_model_params_init(&p, KN_LEARNER_NB);	/* version 1 */
	if ((line = next_line(ld)) == NULL || strncmp(line, KN_MODEL_MAGIC " ",
	    sizeof(KN_MODEL_MAGIC)) != 0) {
		bad(ld, "not a kn-classify model (no \"" KN_MODEL_MAGIC
		    "\" line)");
		return NULL;
	}
	version = (int)strtol(line + sizeof(KN_MODEL_MAGIC), NULL, 10);
	if (version < 1 || version > KN_MODEL_VERSION) {
		kn_error_set(ld->err, KN_EDATA, ld->path, ld->line, "model "
		    "version \"%s\" (this kn-classify reads versions 1 to %d)",
		    line + sizeof(KN_MODEL_MAGIC), KN_MODEL_VERSION);
		return NULL;
	}
	while ((line = next_line(ld)) != NULL) {
		if (strncmp(line, "learner ", 8) == 0 && m == NULL &&
		    version >= 2) {
			if ((l = kn_learner_parse(line + 8)) < 0) {
				kn_error_set(ld->err, KN_EDATA, ld->path,
				    ld->line, "unknown learner \"%.40s\"",
				    line + 8);
				return NULL;
			}
			kn_model_params_init(&p, (enum kn_learner)l);
		} else if (strncmp(line, "fields ", 7) == 0 && m == NULL) {
			if ((m = fields_line(ld, line + 7, &p)) == NULL)
				return NULL;
		} else if (m == NULL) {
			bad(ld, version >= 2 ? "expected the learner and "
			    "fields lines first" : "expected the fields line "
			    "first");
			return NULL;
		} else if (header_real(ld, line, "features", &v) == 0) {
			if (!have_docs) {
				bad(ld, "no documents line before features");
				goto fail;
			}
			if (m->p.learner == KN_LEARNER_LOGREG && !have_bias) {
				bad(ld, "no bias line before features");
				goto fail;
			}
			*nfeat = v < 0 ? 0 : (size_t)v;
			return m;
		} else if (strncmp(line, "features ", 9) == 0 ||
		    header_line(ld, m, line, &have_docs, &have_bias) == -1)
			goto fail;
	}
	bad(ld, "no features line");
fail:
	kn_model_free(m);
	return NULL;
}

/* One feature line: the feature, its counts or its df and weights. */
static int
feature_line(struct loader *ld, struct kn_model *m, char *line,
    double *wrow, size_t row)
{
	struct feat *f;
	char *tab, *end;
	size_t klen;
	void **slot;
	int created;

	if ((tab = strchr(line, '\t')) == NULL)
		return bad(ld, "expected a feature, a tab and the counts");
	klen = (size_t)(tab - line);
	if (!valid_feature(line, klen)) {
		kn_error_set(ld->err, KN_EDATA, ld->path, ld->line, "feature "
		    "\"%.*s\" is not one or two folded syllables",
		    (int)(klen > 40 ? 40 : klen), line);
		return -1;
	}
	if ((slot = kn_map_slot(m->feats, line, klen, &created)) == NULL ||
	    (created && (*slot = calloc(1, sizeof(*f) + m->ncls *
	    sizeof(f->c[0]))) == NULL)) {
		kn_error_set(ld->err, KN_ENOMEM, ld->path, 0, "out of memory");
		return -1;
	}
	if (!created) {
		kn_error_set(ld->err, KN_EDATA, ld->path, ld->line, "feature "
		    "\"%.*s\" is repeated", (int)klen, line);
		return -1;
	}
	f = *slot;
	if (m->p.learner == KN_LEARNER_NB)
		return parse_counts(ld, tab, f->c, m->ncls);
	errno = 0;
	f->df = strtoul(tab + 1, &end, 10);
	if (errno != 0 || end == tab + 1 || tab[1] == '-' || f->df == 0 ||
	    f->df > documents(m) || *end != '\t')
		return bad(ld, "expected a feature, a tab, its number of "
		    "documents (1 to the documents in all), a tab and the "
		    "weights");
	if (parse_reals(ld, end, wrow, m->ncls, "weight", "weights") == -1)
		return -1;
	f->row = row + 1;
	return 0;
}

/*
 * A loaded logistic regression: rows in the order of the file, the
 * weights as read.
 */
static int
finish_loaded_logreg(struct kn_model *m, const double *w)
{
	size_t i, j, n = kn_map_count(m->feats), row;
	struct feat *f;

	if (alloc_rows(m, n) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		f = kn_map_value_at(m->feats, i);
		row = f->row - 1;	/* its place in the file */
		if (add_row(m, f, i) == 0)	/* a collision: keep the first */
			continue;
		for (j = 0; j < m->ncls; j++)
			m->w[(m->nfeat - 1) * m->ncls + j] =
			    (float)w[row * m->ncls + j];
	}
	make_idf(m);
	m->finished = 1;
	return 0;
}

struct kn_model *
kn_model_load(const char *path, struct kn_error *err)
{
	struct loader ld;
	struct kn_model *m;
	double *w = NULL;
	size_t nfeat = 0, i;
	char *line;

	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.err = err;
	if ((ld.fp = fopen(path, "r")) == NULL) {
		kn_error_set(err, KN_EIO, path, 0, "%s", strerror(errno));
		return NULL;
	}
	if ((m = load_header(&ld, &nfeat)) == NULL)
		goto fail_ld;
	if (m->p.learner == KN_LEARNER_LOGREG && (nfeat > ((size_t)-1) /
	    sizeof(*w) / m->ncls || (w = calloc(nfeat ? nfeat * m->ncls : 1,
	    sizeof(*w))) == NULL))
		goto nomem;
	for (i = 0; i < nfeat; i++) {
		if ((line = next_line(&ld)) == NULL) {
			bad(&ld, "fewer feature lines than the features line "
			    "says");
			goto fail;
		}
		if (feature_line(&ld, m, line, w ? w + i * m->ncls : NULL, i) ==
		    -1)
			goto fail;
	}
	if (next_line(&ld) != NULL) {
		bad(&ld, "more feature lines than the features line says");
		goto fail;
	}
	if (ferror(ld.fp)) {
		kn_error_set(err, KN_EIO, path, 0, "%s", strerror(errno));
		goto fail;
	}
	if (m->p.learner == KN_LEARNER_LOGREG) {
		if (finish_loaded_logreg(m, w) == -1)
			goto nomem;
	} else if (kn_model_finish(m) == -1)
		goto nomem;
	free(w);
	fclose(ld.fp);
	free(ld.buf);
	return m;
nomem:
	kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
fail:
	free(w);
	kn_model_free(m);
fail_ld:
	fclose(ld.fp);
	free(ld.buf);
	return NULL;
}

/* ---- using a model ---- */

size_t
kn_model_classes(const struct kn_model *m)
{
	return m->ncls;
}

const char *
kn_model_class(const struct kn_model *m, size_t i)
{
	return m->cls[i];
}

int
kn_model_class_find(const struct kn_model *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->ncls; i++)
		if (strcmp(m->cls[i], name) == 0)
			return (int)i;
	return -1;
}

unsigned long
kn_model_documents(const struct kn_model *m, size_t i)
{
	return m->docs[i];
}

size_t
kn_model_features(const struct kn_model *m)
{
	return m->nfeat;
}

const struct kn_model_params *
kn_model_params(const struct kn_model *m)
{
	return &m->p;
}

const float *
kn_model_row(const struct kn_model *m, unsigned long long h)
{
	const struct slot *s;

	if (!m->finished || h == 0)
		return NULL;
	s = find(m, h);
	return s->row != 0 ? m->w + (s->row - 1) * m->ncls : NULL;
}

/* Room for one more distinct feature in the scoring scratch. */
static int
grow_doc(struct kn_model *m)
{
	size_t cap = m->capd ? m->capd * 2 : 256;
	struct dfeat *p;

	if ((p = realloc(m->doc, cap * sizeof(*p))) == NULL)
		return -1;
	m->doc = p;
	m->capd = cap;
	return 0;
}

/* Note one occurrence of feature h at token i; -1: out of memory. */
static int
gather(struct kn_model *m, unsigned long long h, size_t i, int pair)
{
	const struct slot *s;
	size_t r, k;

	if (!filter_has(m, h) || (s = find(m, h))->row == 0)
		return 0;
	r = s->row - 1;
	if (m->stamp[r] == m->serial) {
		m->doc[m->at[r]].cnt++;
		return 0;
	}
	if (m->nd == m->capd && grow_doc(m) == -1)
		return -1;
	k = m->nd++;
	m->stamp[r] = m->serial;
	m->at[r] = k;
	m->doc[k].row = r;
	m->doc[k].first = i;
	m->doc[k].pair = pair;
	m->doc[k].cnt = 1;
	return 0;
}

/*
 * The distinct known features of tk with their values: occurrences for
 * naive Bayes, x(f) for logistic regression.  Returns the occurrences
 * known, or (size_t)-1 when out of memory.
 */
static size_t
represent(struct kn_model *m, const struct kn_toks *tk)
{
	size_t i, k, known = 0;
	double norm = 0;

	m->nd = 0;
	if (!m->finished || m->nfeat == 0)
		return 0;
	if (++m->serial == 0) {	/* wrapped: forget every stamp */
		memset(m->stamp, 0, m->nfeat * sizeof(*m->stamp));
		m->serial = 1;
	}
	for (i = 0; i < tk->n; i++) {
		if (gather(m, tk->t[i].h, i, 0) == -1)
			return (size_t)-1;
		if (i + 1 < tk->n && gather(m, tk->t[i].h2, i, 1) == -1)
			return (size_t)-1;
	}
	for (k = 0; k < m->nd; k++) {
		known += m->doc[k].cnt;
		if (m->p.learner == KN_LEARNER_NB)
			m->doc[k].x = (double)m->doc[k].cnt;
		else {
			m->doc[k].x = (m->doc[k].cnt < LOG_TF ?
			    m->log_tf[m->doc[k].cnt] : log(1.0 +
			    (double)m->doc[k].cnt)) * m->idf[m->doc[k].row];
			norm += m->doc[k].x * m->doc[k].x;
		}
	}
	if (norm > 0)
		for (k = 0, norm = sqrt(norm); k < m->nd; k++)
			m->doc[k].x /= norm;
	return known;
}

size_t
kn_model_score(struct kn_model *m, const struct kn_toks *tk, double *out)
{
	size_t j, k, known;
	const float *w;

	for (j = 0; j < m->ncls; j++)
		out[j] = m->finished ? m->bias[j] : 0;
	if ((known = represent(m, tk)) == (size_t)-1)
		return 0;	/* out of memory: the bias alone */
	for (k = 0; k < m->nd; k++) {
		w = m->w + m->doc[k].row * m->ncls;
		for (j = 0; j < m->ncls; j++)
			out[j] += m->doc[k].x * w[j];
	}
	return known;
}

static int
cmp_terms(const void *a, const void *b)
{
	const struct kn_model_term *x = a, *y = b;

	if (x->weight != y->weight)
		return x->weight > y->weight ? -1 : 1;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->len > y->len ? -1 : x->len < y->len;	/* pairs first */
}

size_t
kn_model_explain(struct kn_model *m, const struct kn_toks *tk, size_t k,
    size_t k2, struct kn_model_term *out, size_t max)
{
	struct kn_model_term t;
	size_t d, n = 0, i, j;
	const float *w;

	if (k == k2 || max == 0 || represent(m, tk) == (size_t)-1)
		return 0;
	/* Keep the best max in out, by insertion: max is small. */
	for (d = 0; d < m->nd; d++) {
		w = m->w + m->doc[d].row * m->ncls;
		t.weight = m->doc[d].x * ((double)w[k] - (double)w[k2]);
		if (!(t.weight > 0))
			continue;
		i = m->doc[d].first;
		t.off = tk->t[i].off;
		t.len = m->doc[d].pair ? tk->t[i + 1].off + tk->t[i + 1].len -
		    t.off : tk->t[i].len;
		if (n == max && cmp_terms(&t, &out[n - 1]) >= 0)
			continue;
		if (n < max)
			n++;
		for (j = n - 1; j > 0 && cmp_terms(&t, &out[j - 1]) < 0; j--)
			out[j] = out[j - 1];
		out[j] = t;
	}
	return n;
}
