/*
 * kn/group.h: putting proposals that ask the same thing into one group,
 * as they stream past, and measuring the groups on labelled queries.
 *
 * A text becomes a TF-IDF vector over its terms (kn_terms_make: folded
 * syllables, abbreviations expanded, unigrams and bigrams): a term
 * occurring tf times weighs (1 + ln tf) ln((N + 1) / (df + 0.5)), where
 * N counts the documents of the background (the questions of a
 * knowledge base) and the proposals grouped so far, and df those that
 * have the term.  A term nothing has had yet weighs the most; a term
 * that nearly every document has weighs nearly nothing.  The vector is
 * scaled to length 1.
 *
 * A proposal joins the group whose representative (its first proposal)
 * has the same field and the highest cosine similarity with it, when
 * that is at least the threshold; otherwise it starts a group of its
 * own.  A representative keeps the vector it had when it came, so that
 * what it is compared with never changes.  One rule comes first: two
 * proposals of the same field given the same knowledge-base entry (the
 * "answer" argument) share a group.
 *
 * Candidates come from an inverted index, by field, of the
 * representatives' strongest terms: those without which less than half
 * the threshold of the vector's length is left.  A proposal looks up its
 * own strongest terms the same way.  By Cauchy-Schwarz a representative
 * that shares none of the terms looked up with the terms it is indexed
 * under has a similarity below the threshold, so no group that
 * qualifies is missed, and the weak terms most texts share are never
 * read.
 *
 * Ownership: ids and fields are copied; a returned id is borrowed until
 * kn_grouper_free.  The background must outlive the grouper.
 */
#ifndef KN_GROUP_H
#define KN_GROUP_H

#include <stddef.h>
#include <stdint.h>

#include "abbrev.h"
#include "answer.h"

#define KN_GROUP_THRESHOLD	0.12	/* default --group-threshold */

struct kn_grouper;

/*
 * threshold in (0, 1]; ab and bg (the background of the idf: its
 * entries' questions) are borrowed and may be NULL.
 */
struct kn_grouper *kn_grouper_new(const struct kn_abbrev *ab,
	    const struct kn_kb *bg, double threshold);
void	 kn_grouper_free(struct kn_grouper *g);	/* accepts NULL */
/*
 * Group the proposal id of the given field (NULL or "" is a field of
 * its own) and text; answer is the id of the knowledge-base entry
 * suggested for it, or NULL.  Returns the id of its group's
 * representative, which is id itself when it starts a group, and sets
 * *sim (when not NULL) to its similarity with the representative (1 for
 * a new group); NULL when out of memory.  A text without a syllable
 * starts a group that only the answer rule can join.
 */
const char *kn_grouper_add(struct kn_grouper *g, const char *id,
	    const char *field, const char *text, size_t len,
	    const char *answer, double *sim);
/* Groups so far. */
size_t	 kn_grouper_count(const struct kn_grouper *g);
/*
 * The similarity of two texts weighted as a proposal would be now; -1
 * when out of memory.  Nothing is added.
 */
double	 kn_grouper_similarity(struct kn_grouper *g, const char *a,
	    size_t alen, const char *b, size_t blen);
/*
 * For tests: compare every proposal with every representative of its
 * field instead of going through the index (slow; same groups).
 */
void	 kn_grouper_exhaustive(struct kn_grouper *g, int on);

/* ---- measuring a grouping against labels (kn-answer eval --group) ---- */

struct kn_group_figures {
	size_t		 n;		/* items measured */
	size_t		 groups;	/* groups they fall in */
	uint64_t	 tp, fp, fn;	/* pairs: right, wrong, missed */
	double		 p, r, f1;	/* pairwise precision, recall, F1 */
	double		 bp, br, bf1;	/* B-cubed, averaged over the items */
};

/*
 * Compare group[i] with label[i] over items 0..n-1.  When test is not
 * NULL, only the pairs whose later item i has test[i] != 0 count, and
 * B-cubed averages over those items (the other items still fill the
 * groups and labels).  -1 when out of memory.
 */
int	 kn_group_measure(const size_t *label, const size_t *group,
	    const unsigned char *test, size_t n, struct kn_group_figures *f);
/*
 * The threshold, of the candidates th[0..nth) (increasing), with the
 * best F1 in f1[0..nth): of those that reach the maximum, the middle
 * one.
 */
double	 kn_group_pick(const double *th, const double *f1, size_t nth);

#endif
