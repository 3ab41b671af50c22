/*
 * kn/answer.h: a knowledge base of earlier official answers, indexed
 * once, and finding the entry that answers a proposal.
 *
 * Texts become terms: the folded syllables, abbreviations expanded
 * (kn/abbrev.h), as unigrams and as bigrams of neighbouring syllables,
 * each a 64-bit hash.  An entry's question is indexed in an inverted
 * index; a proposal is scored against it with Okapi BM25 (k1 1.2, b
 * 0.75), an entry of another field than the proposal's counting
 * KN_KB_FIELD_FACTOR of its score.  The score reported and compared
 * with the threshold is normalised: the BM25 of the best entry divided
 * by the BM25 the proposal would get against itself as an entry of the
 * knowledge base, capped at 1.  It is the share of the proposal's own
 * weight that the entry matches, comparable across proposals of any
 * length.  Only the best entry is needed in a run: the search reads in
 * full only the posting lists of the terms without which no entry can
 * beat the best found so far, and scores in full only the entries that
 * still can, as bounded by the terms they may hold (max-score pruning
 * with a signature of each entry's terms); it finds exactly the entry
 * that scoring every entry would.  kn_kb_rank scores every entry, for
 * eval.
 *
 * Ownership: the knowledge base copies what it is given; strings it
 * returns are borrowed until kn_kb_free.
 */
#ifndef KN_ANSWER_H
#define KN_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "abbrev.h"
#include "error.h"
#include "read.h"
#include "record.h"

#define KN_KB_K1		1.2
#define KN_KB_B			0.75
#define KN_KB_FIELD_FACTOR	0.8	/* another field than the proposal's */
#define KN_KB_MIN_SCORE		0.1865	/* default --min-score; see README */

/* The distinct terms of a text and how often each occurs. */
struct kn_terms {
	uint64_t	*h;	/* sorted */
	uint32_t	*tf;
	size_t		 n, cap;
	size_t		 len;	/* all terms, repeats included */
};

#define KN_TERMS_INIT { NULL, NULL, 0, 0, 0 }

/* Replace t with the terms of s[0..len); ab may be NULL. */
int	 kn_terms_make(struct kn_terms *t, const struct kn_abbrev *ab,
	    const char *s, size_t len);
void	 kn_terms_free(struct kn_terms *t);

struct kn_kb;

struct kn_hit {
	size_t	 entry;		/* index in the knowledge base */
	double	 score;		/* normalised, 0..1 */
	double	 bm25;		/* the raw score, field factor applied */
};

/* ab is borrowed and must outlive the knowledge base; may be NULL. */
struct kn_kb *kn_kb_new(const struct kn_abbrev *ab);
void	 kn_kb_free(struct kn_kb *kb);	/* accepts NULL */
/*
 * Add the entries of a JSON Lines or CSV file (keys id, question,
 * answer; optional field, department, legal_basis, answered_at).  A
 * missing key, an empty id, question or answer, or an id already loaded
 * is an error naming the file and line.  ropts may be NULL.
 */
int	 kn_kb_load(struct kn_kb *kb, const char *path,
	    const struct kn_read_opts *ropts, struct kn_error *err);
/* Add one entry; field may be NULL.  -1 with err (KN_EDUP, KN_ENOMEM). */
int	 kn_kb_add(struct kn_kb *kb, const char *id, const char *question,
	    const char *answer, const char *field, struct kn_error *err);
/* Build the index; after it, entries can no longer be added. */
int	 kn_kb_build(struct kn_kb *kb, struct kn_error *err);

size_t	 kn_kb_count(const struct kn_kb *kb);
size_t	 kn_kb_terms(const struct kn_kb *kb);	/* distinct terms */
const char *kn_kb_id(const struct kn_kb *kb, size_t i);
const char *kn_kb_answer(const struct kn_kb *kb, size_t i);
const char *kn_kb_field(const struct kn_kb *kb, size_t i);	/* or "" */
/* The index of the entry with this id, or -1. */
long	 kn_kb_find(const struct kn_kb *kb, const char *id);
/*
 * How many entries' questions have the term of hash h (as kn_terms_make
 * makes them): a document frequency, for weighting other texts.
 */
size_t	 kn_kb_df(const struct kn_kb *kb, uint64_t h);

/*
 * The best entry for a text of the given field (NULL or "": unknown):
 * 1 and *hit, 0 when no entry shares a term with it or none reaches
 * min_score (entries below it need not be found, which saves time; 0
 * finds the best whatever its score), -1 when out of memory.  Ties go
 * to the entry loaded first.
 */
int	 kn_kb_best(struct kn_kb *kb, const char *text, size_t len,
	    const char *field, double min_score, struct kn_hit *hit);
/*
 * A search of its own, so that threads can search one knowledge base
 * at once (kn_kb_best uses the knowledge base's own, and is not for
 * threads).  Only after kn_kb_build; NULL when out of memory.  The
 * knowledge base must outlive it.
 */
struct kn_kb_search;

struct kn_kb_search *kn_kb_search_new(const struct kn_kb *kb);
void	 kn_kb_search_free(struct kn_kb_search *s);	/* accepts NULL */
/* kn_kb_best with a search of its own; the knowledge base is only read. */
int	 kn_kb_best_with(const struct kn_kb *kb, struct kn_kb_search *s,
	    const char *text, size_t len, const char *field,
	    double min_score, struct kn_hit *hit);
/*
 * Every entry sharing a term with the text, best first (ties: loaded
 * first).  *hits is the knowledge base's, valid until the next call.
 * Returns the number of hits, or -1 when out of memory.
 */
long	 kn_kb_rank(struct kn_kb *kb, const char *text, size_t len,
	    const char *field, const struct kn_hit **hits);

/* ---- writing a suggestion into a record ---- */

/*
 * 1 and *score when r holds a suggestion, that is a non-empty
 * answer_id: its answer_score (a number, or a number written as a
 * string as CSV gives it; 0 when absent or not a number); 0 when r
 * holds none.
 */
int	 kn_suggestion_score(const struct kn_record *r, double *score);
/*
 * Give r the suggestion hit of kb (answer_id, answer, answer_score,
 * status "suggested"), unless r holds one already that scores at least
 * as much: an earlier suggestion is replaced only by a strictly better
 * one, never removed.  Scores of different knowledge bases are compared
 * as they stand, both being the share of the text's own weight that the
 * entry matches.  1 when given, 0 when the earlier one is kept, -1 when
 * out of memory.  Does not look at the status: the caller decides
 * whether the record may be given a suggestion at all.
 */
int	 kn_suggestion_apply(struct kn_record *r, const struct kn_kb *kb,
	    const struct kn_hit *hit);

/* ---- measuring on labelled queries (kn-answer eval) ---- */

struct kn_eval_item {
	int	 answerable;	/* the query names an entry that answers it */
	int	 right;		/* the best entry is that one */
	double	 score;		/* the best entry's normalised score; 0: none */
	double	 rr;		/* 1 / rank of the right entry; 0: not ranked */
};

struct kn_eval_figures {
	double	 threshold;
	size_t	 n, nans, nun;
	size_t	 ranked;	/* answerable, best entry right */
	size_t	 right;		/* answerable, right entry suggested */
	size_t	 wrong;		/* answerable, a wrong entry suggested */
	size_t	 missed;	/* answerable, nothing suggested */
	size_t	 abstained;	/* unanswerable, nothing suggested */
	double	 mrr;		/* over the answerable queries */
};

/* The figures of items[0..n) when suggesting at score >= threshold. */
void	 kn_eval_measure(const struct kn_eval_item *items, size_t n,
	    double threshold, struct kn_eval_figures *f);
/*
 * The threshold that maximises right / nans + abstained / nun over
 * items[0..n): candidates are the midpoints between consecutive
 * distinct scores (and the ends); of the candidates that reach the
 * maximum, the middle one.
 */
double	 kn_eval_threshold(const struct kn_eval_item *items, size_t n);
/*
 * k-fold cross-validation: item i is in fold i % k; each fold is
 * measured with the threshold chosen on the other folds (stored in
 * thresholds[0..k)), and the figures of all folds are added up in *f
 * (f->threshold is their mean).  -1 when out of memory or k < 2.
 */
int	 kn_eval_cv(const struct kn_eval_item *items, size_t n, int k,
	    double *thresholds, struct kn_eval_figures *f);

#endif
