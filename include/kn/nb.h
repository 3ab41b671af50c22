/*
 * kn/nb.h: a multinomial naive Bayes model over folded syllable
 * unigrams and bigrams, the statistical half of kn-classify.
 *
 * A model is trained by counting: kn_nb_new, kn_nb_learn for each
 * labelled text, kn_nb_finish.  It is saved as counts in a text file
 * (kn_nb_save; the format is in kn-classify(1)) and loaded back to the
 * same model (kn_nb_load).  Scoring a text gives, per class c,
 *
 *	log P(c) + sum over its features f of log P(f | c)
 *
 * with P(c) = (documents of c + 1) / (documents + classes) and
 * P(f | c) = (count of f in c + alpha) / (all counts in c + alpha * V),
 * V the number of features kept.  Features never seen in training are
 * skipped.
 *
 * The model also carries the parameters that kn-classify uses to
 * combine it with the lexicon (temperature, lexicon weight), since they
 * were chosen for it.
 *
 * Ownership: the model copies the class names; it never keeps a
 * caller's pointer.
 */
#ifndef KN_NB_H
#define KN_NB_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "toks.h"

#define KN_NB_MAGIC	"kn-classify-model"
#define KN_NB_VERSION	1
#define KN_NB_MAX_CLASSES 256

struct kn_nb_params {
	double		 alpha;		/* additive smoothing, > 0 */
	double		 temperature;	/* kn-classify divides scores by it */
	double		 lexicon_weight; /* and weighs lexicon evidence so */
	unsigned long	 min_count;	/* features seen fewer times dropped */
};

/* The defaults, chosen by cross-validation (see kn-classify(1)). */
#define KN_NB_ALPHA		0.1
#define KN_NB_TEMPERATURE	6.0
#define KN_NB_LEXICON_WEIGHT	1.5
#define KN_NB_MIN_COUNT		3

struct kn_nb;

/* Fill p with the defaults above. */
void	 kn_nb_params_init(struct kn_nb_params *p);
/* A model to train; p NULL: the defaults.  NULL when out of memory. */
struct kn_nb *kn_nb_new(const char *const *classes, size_t n,
	    const struct kn_nb_params *p);
void	 kn_nb_free(struct kn_nb *m);	/* accepts NULL */
/* Count the unigrams and bigrams of tk as a document of class cls. */
int	 kn_nb_learn(struct kn_nb *m, size_t cls, const struct kn_toks *tk);
/* Drop rare features and compute the probabilities; learn no more. */
int	 kn_nb_finish(struct kn_nb *m);
/* Write the model (finished) as text; -1 with errno on a write error. */
int	 kn_nb_save(const struct kn_nb *m, FILE *fp);
/* Read a model file; the model comes back finished. */
struct kn_nb *kn_nb_load(const char *path, struct kn_error *err);

size_t	 kn_nb_classes(const struct kn_nb *m);
const char *kn_nb_class(const struct kn_nb *m, size_t i);
/* The index of class name, or -1. */
int	 kn_nb_class_find(const struct kn_nb *m, const char *name);
unsigned long kn_nb_documents(const struct kn_nb *m, size_t i);
size_t	 kn_nb_features(const struct kn_nb *m);
const struct kn_nb_params *kn_nb_params(const struct kn_nb *m);

/*
 * The log joint probability of tk with each class into out[classes];
 * returns how many features of tk the model knows.
 */
size_t	 kn_nb_score(const struct kn_nb *m, const struct kn_toks *tk,
	    double *out);
/*
 * The log P(f | c) of a feature by its hash (kn_hash64 of a syllable,
 * or kn_toks_pair of two), one per class, or NULL when unknown.
 */
const float *kn_nb_feature(const struct kn_nb *m, unsigned long long h);

#endif
