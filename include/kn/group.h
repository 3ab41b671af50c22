/*
 * kn/group.h: putting proposals that ask the same thing into one group,
 * as they stream past.
 *
 * A text becomes the set of its terms (kn_terms_make: folded syllables,
 * abbreviations expanded, unigrams and bigrams).  A proposal joins the
 * group whose representative (its first proposal) has the same field
 * and the highest Jaccard similarity |A n B| / |A u B| with it, when
 * that is at least the threshold; otherwise it starts a group of its
 * own.  Only the representatives are kept: their term sets and an
 * inverted index over them.  Candidates come from that index: a
 * representative reaching the threshold must share at least
 * ceil(t |A|) terms with the proposal, hence one of any |A| - ceil(t |A|)
 * + 1 of them, so only that many of the proposal's rarest terms are
 * looked up; the similarity of each candidate is then computed exactly.
 * No candidate reaching the threshold is missed, and no pair is
 * compared that shares no rare term.
 *
 * Ownership: ids are copied; a returned id is borrowed until
 * kn_grouper_free.
 */
#ifndef KN_GROUP_H
#define KN_GROUP_H

#include <stddef.h>

#include "abbrev.h"

#define KN_GROUP_THRESHOLD	0.5	/* default --group-threshold */

struct kn_grouper;

/* threshold in (0, 1]; ab is borrowed and may be NULL. */
struct kn_grouper *kn_grouper_new(const struct kn_abbrev *ab,
	    double threshold);
void	 kn_grouper_free(struct kn_grouper *g);	/* accepts NULL */
/*
 * Group the proposal id of the given field (NULL or "" is a field of
 * its own) and text.  Returns the id of its group's representative,
 * which is id itself when it starts a group, and sets *sim (when not
 * NULL) to its similarity with the representative (1 for a new group);
 * NULL when out of memory.  A text without a syllable starts a group
 * that nothing joins.
 */
const char *kn_grouper_add(struct kn_grouper *g, const char *id,
	    const char *field, const char *text, size_t len, double *sim);
/* Groups so far. */
size_t	 kn_grouper_count(const struct kn_grouper *g);

#endif
