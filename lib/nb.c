/*
 * nb.c: multinomial naive Bayes over syllable unigrams and bigrams.
 *
 * Training counts features by their text in a kn_map, so that the model
 * file can name them.  Scoring never looks at text: a finished model is
 * an open-addressing table from the 64-bit hash of a feature to its row
 * of log-probabilities, one float per class, and a text's features are
 * hashed from its token hashes (kn_toks_pair for bigrams).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/map.h"
#include "kn/nb.h"
#include "kn/text.h"

struct slot {
	unsigned long long h;
	size_t		 row;	/* row + 1; 0 is empty */
};

struct kn_nb {
	char		**cls;
	size_t		 ncls;
	struct kn_nb_params p;
	unsigned long	*docs;		/* documents per class */
	struct kn_map	*counts;	/* feature -> unsigned long[ncls] */
	struct kn_buf	 scratch;
	int		 finished;

	/* The finished model. */
	double		*prior;		/* log P(c) */
	float		*w;		/* log P(f | c), nfeat rows of ncls */
	size_t		 nfeat;
	struct slot	*tab;
	size_t		 mask;
};

void
kn_nb_params_init(struct kn_nb_params *p)
{
	p->alpha = KN_NB_ALPHA;
	p->temperature = KN_NB_TEMPERATURE;
	p->lexicon_weight = KN_NB_LEXICON_WEIGHT;
	p->min_count = KN_NB_MIN_COUNT;
}

struct kn_nb *
kn_nb_new(const char *const *classes, size_t n, const struct kn_nb_params *p)
{
	struct kn_nb *m;
	size_t i;

	if (n == 0 || n > KN_NB_MAX_CLASSES ||
	    (m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if (p != NULL)
		m->p = *p;
	else
		kn_nb_params_init(&m->p);
	if ((m->cls = calloc(n, sizeof(*m->cls))) == NULL ||
	    (m->docs = calloc(n, sizeof(*m->docs))) == NULL ||
	    (m->counts = kn_map_new()) == NULL)
		goto fail;
	for (i = 0; i < n; i++, m->ncls++)
		if ((m->cls[i] = strdup(classes[i])) == NULL)
			goto fail;
	return m;
fail:
	kn_nb_free(m);
	return NULL;
}

static void
free_counts(struct kn_nb *m)
{
	size_t i;

	if (m->counts == NULL)
		return;
	for (i = 0; i < kn_map_count(m->counts); i++)
		free(kn_map_value_at(m->counts, i));
	kn_map_free(m->counts);
	m->counts = NULL;
}

void
kn_nb_free(struct kn_nb *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->ncls; i++)
		free(m->cls[i]);
	free(m->cls);
	free(m->docs);
	free_counts(m);
	kn_buf_free(&m->scratch);
	free(m->prior);
	free(m->w);
	free(m->tab);
	free(m);
}

/* Add k to the count of feature key in class cls. */
static int
count(struct kn_nb *m, const char *key, size_t len, size_t cls,
    unsigned long k)
{
	unsigned long *c;
	void **slot;

	if ((slot = kn_map_slot(m->counts, key, len, NULL)) == NULL)
		return -1;
	if (*slot == NULL && (*slot = calloc(m->ncls, sizeof(*c))) == NULL)
		return -1;
	c = *slot;
	c[cls] += k;
	return 0;
}

int
kn_nb_learn(struct kn_nb *m, size_t cls, const struct kn_toks *tk)
{
	const char *a, *b;
	size_t i, la, lb;

	if (m->finished || cls >= m->ncls)
		return -1;
	m->docs[cls]++;
	for (i = 0; i < tk->n; i++) {
		a = kn_toks_str(tk, i, &la);
		if (count(m, a, la, cls, 1) == -1)
			return -1;
		if (i + 1 == tk->n)
			break;
		b = kn_toks_str(tk, i + 1, &lb);
		kn_buf_reset(&m->scratch);
		if (kn_buf_add(&m->scratch, a, la) == -1 ||
		    kn_buf_addc(&m->scratch, ' ') == -1 ||
		    kn_buf_add(&m->scratch, b, lb) == -1 ||
		    count(m, m->scratch.data, m->scratch.len, cls, 1) == -1)
			return -1;
	}
	return 0;
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

static struct slot *
find(const struct kn_nb *m, unsigned long long h)
{
	size_t i = (size_t)((h ^ (h >> 32)) * 0x9E3779B97F4A7C15ULL >> 40) &
	    m->mask;

	while (m->tab[i].row != 0 && m->tab[i].h != h)
		i = (i + 1) & m->mask;
	return &m->tab[i];
}

static int
kept(const struct kn_nb *m, const unsigned long *c)
{
	unsigned long t = 0;
	size_t j;

	for (j = 0; j < m->ncls; j++)
		t += c[j];
	return t >= m->p.min_count;
}

int
kn_nb_finish(struct kn_nb *m)
{
	double *tot = NULL, ndocs = 0, denom;
	size_t i, j, n = kn_map_count(m->counts), size, row;
	const unsigned long *c;
	const char *key;
	size_t klen;

	if (m->finished)
		return 0;
	if (!(m->p.alpha > 0) || (tot = calloc(m->ncls, sizeof(*tot))) ==
	    NULL || (m->prior = calloc(m->ncls, sizeof(*m->prior))) == NULL)
		goto fail;
	m->nfeat = 0;
	for (i = 0; i < n; i++) {
		c = kn_map_value_at(m->counts, i);
		if (!kept(m, c))
			continue;
		m->nfeat++;
		for (j = 0; j < m->ncls; j++)
			tot[j] += (double)c[j];
	}
	for (size = 64; size < m->nfeat * 2 + 2; size *= 2)
		;
	if ((m->tab = calloc(size, sizeof(*m->tab))) == NULL ||
	    (m->w = calloc(m->nfeat ? m->nfeat * m->ncls : 1,
	    sizeof(*m->w))) == NULL)
		goto fail;
	m->mask = size - 1;
	for (j = 0; j < m->ncls; j++)
		ndocs += (double)m->docs[j];
	for (j = 0; j < m->ncls; j++)
		m->prior[j] = log(((double)m->docs[j] + 1) /
		    (ndocs + (double)m->ncls));
	for (i = 0, row = 0; i < n; i++) {
		struct slot *s;

		c = kn_map_value_at(m->counts, i);
		if (!kept(m, c))
			continue;
		key = kn_map_key_at(m->counts, i, &klen);
		s = find(m, feature_hash(key, klen));
		if (s->row != 0)	/* a 64-bit collision: keep the first */
			continue;
		s->h = feature_hash(key, klen);
		s->row = row + 1;
		for (j = 0; j < m->ncls; j++) {
			denom = tot[j] + m->p.alpha * (double)m->nfeat;
			m->w[row * m->ncls + j] = (float)log(((double)c[j] +
			    m->p.alpha) / denom);
		}
		row++;
	}
	free(tot);
	m->finished = 1;
	return 0;
fail:
	free(tot);
	return -1;
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

int
kn_nb_save(const struct kn_nb *m, FILE *fp)
{
	size_t i, j, k, n = kn_map_count(m->counts);
	const char **keys;

	if ((keys = calloc(n ? n : 1, sizeof(*keys))) == NULL)
		return -1;
	for (i = k = 0; i < n; i++)
		if (kept(m, kn_map_value_at(m->counts, i)))
			keys[k++] = kn_map_key_at(m->counts, i, NULL);
	qsort(keys, k, sizeof(*keys), cmp_keys);
	fprintf(fp, "%s %d\n", KN_NB_MAGIC, KN_NB_VERSION);
	fputs("# multinomial naive Bayes over folded syllable unigrams and "
	    "bigrams;\n# see kn-classify(1).  Each feature line: the "
	    "feature, a tab, its count\n# in each field, in the order of "
	    "the fields line.\n", fp);
	fputs("fields", fp);
	for (j = 0; j < m->ncls; j++)
		fprintf(fp, " %s", m->cls[j]);
	fputs("\ndocuments", fp);
	for (j = 0; j < m->ncls; j++)
		fprintf(fp, " %lu", m->docs[j]);
	fputc('\n', fp);
	put_real(fp, "alpha", m->p.alpha);
	put_real(fp, "temperature", m->p.temperature);
	put_real(fp, "lexicon-weight", m->p.lexicon_weight);
	fprintf(fp, "min-count %lu\n", m->p.min_count);
	fprintf(fp, "features %zu\n", k);
	for (i = 0; i < k; i++) {
		const unsigned long *c = kn_map_get(m->counts, keys[i],
		    strlen(keys[i]));

		fputs(keys[i], fp);
		for (j = 0; j < m->ncls; j++)
			fprintf(fp, "%c%lu", j == 0 ? '\t' : ' ', c[j]);
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

/* A number after the header word name; -1 when malformed. */
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

/* "NAME v1 v2 ...": ncls unsigned counts into out. */
static int
parse_counts(struct loader *ld, const char *s, unsigned long *out,
    size_t ncls)
{
	size_t j;
	char *end;

	for (j = 0; j < ncls; j++) {
		if (*s != (j == 0 ? '\t' : ' ') && !(j == 0 && *s == ' '))
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

static struct kn_nb *
load_header(struct loader *ld, size_t *nfeat)
{
	struct kn_nb_params p;
	struct kn_nb *m = NULL;
	char *line, *tok, *save, **names = NULL;
	size_t n = 0, j;
	int have_docs = 0, rc;
	double v;

	kn_nb_params_init(&p);
	if ((line = next_line(ld)) == NULL || strncmp(line, KN_NB_MAGIC " ",
	    sizeof(KN_NB_MAGIC)) != 0) {
		bad(ld, "not a kn-classify model (no \"" KN_NB_MAGIC
		    "\" line)");
		return NULL;
	}
	if (strtol(line + sizeof(KN_NB_MAGIC), NULL, 10) != KN_NB_VERSION) {
		kn_error_set(ld->err, KN_EDATA, ld->path, ld->line, "model "
		    "version \"%s\" (this kn-classify reads version %d)",
		    line + sizeof(KN_NB_MAGIC), KN_NB_VERSION);
		return NULL;
	}
	while ((line = next_line(ld)) != NULL) {
		if (strncmp(line, "fields ", 7) == 0 && m == NULL) {
			if ((names = calloc(strlen(line), sizeof(*names))) ==
			    NULL)
				goto nomem;
			for (tok = strtok_r(line + 7, " ", &save); tok != NULL;
			    tok = strtok_r(NULL, " ", &save)) {
				for (j = 0; j < n; j++)
					if (strcmp(names[j], tok) == 0)
						break;
				if (j < n) {
					kn_error_set(ld->err, KN_EDATA,
					    ld->path, ld->line, "field \"%s\" "
					    "is repeated", tok);
					goto fail;
				}
				names[n++] = tok;
			}
			if (n == 0 || n > KN_NB_MAX_CLASSES) {
				bad(ld, "expected 1 to 256 fields");
				goto fail;
			}
			if ((m = kn_nb_new((const char *const *)names, n,
			    &p)) == NULL)
				goto nomem;
			free(names);
			names = NULL;
		} else if (m == NULL) {
			bad(ld, "expected the fields line first");
			goto fail;
		} else if (strncmp(line, "documents", 9) == 0) {
			if (parse_counts(ld, line + 9, m->docs, n) == -1)
				goto fail;
			have_docs = 1;
		} else if ((rc = header_real(ld, line, "alpha", &v)) != 1) {
			if (rc == -1)
				goto fail;
			if (!(v > 0)) {
				bad(ld, "alpha must be above 0");
				goto fail;
			}
			m->p.alpha = v;
		} else if ((rc = header_real(ld, line, "temperature", &v)) !=
		    1) {
			if (rc == -1)
				goto fail;
			if (!(v > 0)) {
				bad(ld, "temperature must be above 0");
				goto fail;
			}
			m->p.temperature = v;
		} else if ((rc = header_real(ld, line, "lexicon-weight",
		    &v)) != 1) {
			if (rc == -1)
				goto fail;
			m->p.lexicon_weight = v;
		} else if ((rc = header_real(ld, line, "min-count", &v)) !=
		    1) {
			if (rc == -1)
				goto fail;
			m->p.min_count = v < 1 ? 1 : (unsigned long)v;
		} else if ((rc = header_real(ld, line, "features", &v)) !=
		    1) {
			if (rc == -1)
				goto fail;
			if (!have_docs) {
				bad(ld, "no documents line before features");
				goto fail;
			}
			*nfeat = v < 0 ? 0 : (size_t)v;
			return m;
		} else {
			kn_error_set(ld->err, KN_EDATA, ld->path, ld->line,
			    "unknown header line \"%.40s\"", line);
			goto fail;
		}
	}
	bad(ld, "no features line");
	goto fail;
nomem:
	kn_error_set(ld->err, KN_ENOMEM, ld->path, 0, "out of memory");
fail:
	free(names);
	kn_nb_free(m);
	return NULL;
}

struct kn_nb *
kn_nb_load(const char *path, struct kn_error *err)
{
	struct loader ld;
	struct kn_nb *m;
	unsigned long *c = NULL;
	size_t nfeat = 0, i, klen;
	char *line, *tab;
	void **slot;
	int created;

	memset(&ld, 0, sizeof(ld));
	ld.path = path;
	ld.err = err;
	if ((ld.fp = fopen(path, "r")) == NULL) {
		kn_error_set(err, KN_EIO, path, 0, "%s", strerror(errno));
		return NULL;
	}
	if ((m = load_header(&ld, &nfeat)) == NULL)
		goto fail_ld;
	for (i = 0; i < nfeat; i++) {
		if ((line = next_line(&ld)) == NULL) {
			bad(&ld, "fewer feature lines than the features line "
			    "says");
			goto fail;
		}
		if ((tab = strchr(line, '\t')) == NULL) {
			bad(&ld, "expected a feature, a tab and the counts");
			goto fail;
		}
		klen = (size_t)(tab - line);
		if (!valid_feature(line, klen)) {
			kn_error_set(err, KN_EDATA, path, ld.line, "feature "
			    "\"%.*s\" is not one or two folded syllables",
			    (int)(klen > 40 ? 40 : klen), line);
			goto fail;
		}
		if ((c = calloc(m->ncls, sizeof(*c))) == NULL)
			goto nomem;
		if (parse_counts(&ld, tab, c, m->ncls) == -1)
			goto fail;
		if ((slot = kn_map_slot(m->counts, line, klen, &created)) ==
		    NULL)
			goto nomem;
		if (!created) {
			kn_error_set(err, KN_EDATA, path, ld.line, "feature "
			    "\"%.*s\" is repeated", (int)klen, line);
			goto fail;
		}
		*slot = c;
		c = NULL;
	}
	if (next_line(&ld) != NULL) {
		bad(&ld, "more feature lines than the features line says");
		goto fail;
	}
	if (ferror(ld.fp)) {
		kn_error_set(err, KN_EIO, path, 0, "%s", strerror(errno));
		goto fail;
	}
	if (kn_nb_finish(m) == -1)
		goto nomem;
	fclose(ld.fp);
	free(ld.buf);
	return m;
nomem:
	kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
fail:
	free(c);
	kn_nb_free(m);
fail_ld:
	fclose(ld.fp);
	free(ld.buf);
	return NULL;
}

/* ---- using a model ---- */

size_t
kn_nb_classes(const struct kn_nb *m)
{
	return m->ncls;
}

const char *
kn_nb_class(const struct kn_nb *m, size_t i)
{
	return m->cls[i];
}

int
kn_nb_class_find(const struct kn_nb *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->ncls; i++)
		if (strcmp(m->cls[i], name) == 0)
			return (int)i;
	return -1;
}

unsigned long
kn_nb_documents(const struct kn_nb *m, size_t i)
{
	return m->docs[i];
}

size_t
kn_nb_features(const struct kn_nb *m)
{
	return m->nfeat;
}

const struct kn_nb_params *
kn_nb_params(const struct kn_nb *m)
{
	return &m->p;
}

const float *
kn_nb_feature(const struct kn_nb *m, unsigned long long h)
{
	const struct slot *s;

	if (!m->finished)
		return NULL;
	s = find(m, h);
	return s->row != 0 ? m->w + (s->row - 1) * m->ncls : NULL;
}

static size_t
add_row(const struct kn_nb *m, unsigned long long h, double *out)
{
	const float *w = kn_nb_feature(m, h);
	size_t j;

	if (w == NULL)
		return 0;
	for (j = 0; j < m->ncls; j++)
		out[j] += w[j];
	return 1;
}

size_t
kn_nb_score(const struct kn_nb *m, const struct kn_toks *tk, double *out)
{
	size_t i, known = 0;

	for (i = 0; i < m->ncls; i++)
		out[i] = m->finished ? m->prior[i] : 0;
	if (!m->finished)
		return 0;
	for (i = 0; i < tk->n; i++) {
		known += add_row(m, tk->t[i].h, out);
		if (i + 1 < tk->n)
			known += add_row(m, tk->t[i].h2, out);
	}
	return known;
}
