/*
 * kn/model.h: the statistical half of kn-classify, a linear model over
 * the folded syllable unigrams and bigrams of a text, learnt from
 * labelled texts.  Two learners:
 *
 * logistic regression (the default): each known feature f of the text
 * gets x(f) = log(1 + tf(f)) * idf(f), idf(f) = log(D / df(f)) with D
 * the training documents and df(f) those holding f, and the vector is
 * scaled to length 1.  The score of class c is
 *
 *	b(c) + sum over f of x(f) * w(f, c)
 *
 * with b and w fitted by stochastic gradient descent on the log-loss of
 * the softmax plus an L2 penalty (l2 / 2) * |w|^2, in a fixed number of
 * passes over the documents in an order shuffled by a fixed seed, so
 * that training is deterministic.  Features in fewer than min_df
 * documents are left out.
 *
 * multinomial naive Bayes: the score of class c is
 *
 *	log P(c) + sum over the occurrences of features f of log P(f | c)
 *
 * with P(c) = (documents of c + 1) / (documents + classes) and
 * P(f | c) = (count of f in c + alpha) / (all counts in c + alpha * V),
 * V the features kept (those seen at least min_count times).
 *
 * Features never seen in training are skipped.  A model is trained by
 * kn_model_new, kn_model_learn for each labelled text, kn_model_finish;
 * saved as text (kn_model_save; the format is in kn-classify(1)) and
 * loaded back (kn_model_load).  It carries the parameters kn-classify
 * uses to combine it with the lexicon (temperature, lexicon weight),
 * since they were chosen for it.
 *
 * Scoring uses scratch space inside the model: one model must not score
 * in two threads at once.
 *
 * Ownership: the model copies the class names; it never keeps a
 * caller's pointer.
 */
#ifndef KN_MODEL_H
#define KN_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "toks.h"

#define KN_MODEL_MAGIC	"kn-classify-model"
#define KN_MODEL_VERSION 2	/* version 1 (naive Bayes only) still loads */
#define KN_MODEL_MAX_CLASSES 256

enum kn_learner {
	KN_LEARNER_LOGREG,	/* "logistic-regression" */
	KN_LEARNER_NB		/* "naive-bayes" */
};

struct kn_model_params {
	enum kn_learner	 learner;
	double		 temperature;	/* kn-classify divides scores by it */
	double		 lexicon_weight; /* and weighs lexicon evidence so */
	/* logistic regression */
	double		 l2;		/* the L2 penalty, >= 0 */
	unsigned long	 epochs;	/* passes over the documents, >= 1 */
	unsigned long	 min_df;	/* features in fewer documents dropped */
	/* naive Bayes */
	double		 alpha;		/* additive smoothing, > 0 */
	unsigned long	 min_count;	/* features seen fewer times dropped */
};

/*
 * The defaults, chosen by the writer-split validation of kn-classify(1)
 * (the naive Bayes ones by 10-fold cross-validation, earlier).
 */
#define KN_LOGREG_L2		3e-5
#define KN_LOGREG_EPOCHS	50
#define KN_LOGREG_MIN_DF	2
#define KN_LOGREG_TEMPERATURE	0.4
#define KN_LOGREG_LEXICON_WEIGHT 0.75
#define KN_NB_ALPHA		0.1
#define KN_NB_MIN_COUNT		3
#define KN_NB_TEMPERATURE	6.0
#define KN_NB_LEXICON_WEIGHT	1.5

/* A feature of a text, with what it adds to a margin (kn_model_explain). */
struct kn_model_term {
	size_t	 off, len;	/* its text: tk->text.data[off, off + len) */
	double	 weight;
};

struct kn_model;

/* Fill p with the defaults of learner l. */
void	 kn_model_params_init(struct kn_model_params *p, enum kn_learner l);
/* "logistic-regression" or "naive-bayes". */
const char *kn_learner_name(enum kn_learner l);
/* A learner by name (also "logreg", "nb"); -1 when unknown. */
int	 kn_learner_parse(const char *name);

/* A model to train; p NULL: logistic regression, defaults.  NULL: no memory. */
struct kn_model *kn_model_new(const char *const *classes, size_t n,
	    const struct kn_model_params *p);
void	 kn_model_free(struct kn_model *m);	/* accepts NULL */
/* Learn the unigrams and bigrams of tk as a document of class cls. */
int	 kn_model_learn(struct kn_model *m, size_t cls,
	    const struct kn_toks *tk);
/* Fit the model and drop what training needed; learn no more. */
int	 kn_model_finish(struct kn_model *m);
/* Write the model (finished) as text; -1 on a write error. */
int	 kn_model_save(const struct kn_model *m, FILE *fp);
/* Read a model file; the model comes back finished. */
struct kn_model *kn_model_load(const char *path, struct kn_error *err);

size_t	 kn_model_classes(const struct kn_model *m);
const char *kn_model_class(const struct kn_model *m, size_t i);
/* The index of class name, or -1. */
int	 kn_model_class_find(const struct kn_model *m, const char *name);
unsigned long kn_model_documents(const struct kn_model *m, size_t i);
size_t	 kn_model_features(const struct kn_model *m);
const struct kn_model_params *kn_model_params(const struct kn_model *m);

/*
 * The score of tk for each class into out[classes] (see above); returns
 * how many feature occurrences of tk the model knows.
 */
size_t	 kn_model_score(struct kn_model *m, const struct kn_toks *tk,
	    double *out);
/*
 * The weights of a feature by its hash (kn_hash64 of a syllable, or
 * kn_toks_pair of two), one per class, or NULL when unknown: w(f, c)
 * for logistic regression, log P(f | c) for naive Bayes.
 */
const float *kn_model_row(const struct kn_model *m, unsigned long long h);
/*
 * The features of tk that most favour class k over class k2, at most
 * max of them, strongest first, into out: each with what it adds to
 * score(k) - score(k2) (all its occurrences).  Returns how many.
 */
size_t	 kn_model_explain(struct kn_model *m, const struct kn_toks *tk,
	    size_t k, size_t k2, struct kn_model_term *out, size_t max);

#endif
