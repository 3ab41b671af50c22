/*
 * kn/classify.h: giving a proposal its field (data/fields.csv) from its
 * title and text.
 *
 * Two kinds of evidence are combined.  The lexicon (field, phrase,
 * weight) is matched on the folded syllables of the text, abbreviations
 * expanded, leftmost-longest and without overlap; L(c) is the sum of
 * the weights of the phrases of field c found (each time it is found).
 * Rows of field "-" are words of no field: they are matched like
 * phrases, so that no phrase is found starting inside them, and count
 * for nothing.  The model (kn/model.h) gives a score N(c).  A field's
 * score is
 *
 *	z(c) = N(c) / temperature + lexicon_weight * L(c)
 *
 * and its probability is softmax(z)(c).  The field is the most probable
 * one and the confidence its probability; below the minimum confidence
 * the field becomes "other" and the record needs review.
 *
 * Ownership: the classifier owns its data; results point into it and
 * are valid until the next call.
 */
#ifndef KN_CLASSIFY_H
#define KN_CLASSIFY_H

#include <stddef.h>

#include "abbrev.h"
#include "error.h"
#include "fields.h"
#include "model.h"
#include "record.h"
#include "toks.h"

/* The default --min-confidence, chosen by writer-split validation. */
#define KN_CLASSIFY_MIN_CONFIDENCE 0.40
#define KN_CLASSIFY_OTHER "other"	/* the field of what fits nowhere */
#define KN_CLASSIFY_NO_FIELD "-"	/* lexicon words of no field */
#define KN_CLASSIFY_TOP 3		/* fields listed in "fields" */
#define KN_CLASSIFY_MODEL_TERMS 5	/* model terms listed by --explain */

struct kn_classify_opts {
	const char	*fields;	/* NULL: data/fields.csv */
	const char	*lexicon;	/* NULL: data/lexicon.csv */
	const char	*abbrev;	/* NULL: data/abbrev.csv */
	const char	*model;		/* NULL: data/model.txt */
	int		 no_model;	/* train, cv: no model file is read */
	double		 min_confidence; /* < 0: the default */
};

enum kn_evidence_source {
	KN_EVIDENCE_LEXICON,
	KN_EVIDENCE_MODEL
};

struct kn_evidence {
	const char	*term;	/* a lexicon phrase as written, or a feature */
	size_t		 field;	/* index into the taxonomy */
	double		 weight; /* what it added to z(field); see above */
	enum kn_evidence_source source;
};

struct kn_classification {
	size_t		 field;		/* index into the taxonomy */
	double		 confidence;	/* 0..1 */
	int		 needs_review;
	size_t		 ntop;
	size_t		 top[KN_CLASSIFY_TOP];	/* most probable first */
	double		 score[KN_CLASSIFY_TOP];
	/* With explain: lexicon terms, then the model's best terms. */
	const struct kn_evidence *evidence;
	size_t		 nevidence;
	size_t		 ntokens;	/* syllables read, after expansion */
};

struct kn_classifier;

struct kn_classifier *kn_classifier_new(const struct kn_classify_opts *o,
	    struct kn_error *err);
void	 kn_classifier_free(struct kn_classifier *c);	/* accepts NULL */
const struct kn_fields *kn_classifier_fields(const struct kn_classifier *c);
const struct kn_abbrev *kn_classifier_abbrev(const struct kn_classifier *c);
/* The model in use (borrowed), or NULL. */
struct kn_model *kn_classifier_model(const struct kn_classifier *c);
/*
 * Use model m from now on (the classifier takes it and frees the one
 * it had).  Its fields must be in the taxonomy and cover the lexicon's.
 */
int	 kn_classifier_set_model(struct kn_classifier *c, struct kn_model *m,
	    struct kn_error *err);
double	 kn_classifier_min_confidence(const struct kn_classifier *c);

/* Cut title and text (either may be NULL) into tk as classified. */
int	 kn_classify_tokens(const struct kn_classifier *c,
	    struct kn_toks *tk, const char *title, const char *text);
/* Classify title and text (either may be NULL); -1: out of memory. */
int	 kn_classify_text(struct kn_classifier *c, const char *title,
	    const char *text, int explain, struct kn_classification *out);
/*
 * Classify record r by its keys title and text and add field,
 * confidence, fields, needs_review, and with explain evidence.  out
 * may be NULL.  -1: out of memory.
 */
int	 kn_classify_record(struct kn_classifier *c, struct kn_record *r,
	    int explain, struct kn_classification *out);

/* The number of lexicon entries (words of no field included). */
size_t	 kn_classifier_lexicon_size(const struct kn_classifier *c);

/*
 * 1 when valid UTF-8 s has no letter outside ASCII: typed without
 * diacritics.
 */
int	 kn_text_unaccented(const char *s, size_t len);

#endif
