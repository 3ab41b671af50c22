/*
 * kn/abbrev.h: the abbreviations commune police write (CAX, ANTT,
 * PCCC, TGTB...) and their expansions, read from a table with columns
 * abbrev and expansion (data/abbrev.csv).
 *
 * Abbreviations are matched on the folded form, as whole syllables:
 * "CAX", "cax" and "Cax" all expand to "cong an xa".  An abbreviation
 * must therefore not be an ordinary syllable, or every use of that
 * syllable would be expanded.
 *
 * An abbreviation that folds to an ordinary syllable (CAP, công an
 * phường, against "cấp"; CAT, công an tỉnh, against "cát") is marked
 * exact (column case = "exact"): it expands only where the text has it
 * exactly as written in the table, as a whole word ("CAP" but not
 * "cap", "Cap" or "CAPS").  Such entries apply to the text as written,
 * before folding (kn_abbrev_exact).
 *
 * Ownership: the table owns its strings; lookups return borrowed
 * pointers valid until kn_abbrev_free.
 */
#ifndef KN_ABBREV_H
#define KN_ABBREV_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

struct kn_abbrev;

/*
 * path NULL: data/abbrev.csv.  An optional column "case" holds "exact"
 * for the entries above ("" or "fold": the usual folded match).  A
 * repeated abbreviation is an error.
 */
struct kn_abbrev *kn_abbrev_load(const char *path, struct kn_error *err);
/* An empty table, to add to by hand (tests, tools without the file). */
struct kn_abbrev *kn_abbrev_new(void);
/* Add one pair (both as written; they are folded); -1 when out of memory. */
int	 kn_abbrev_add(struct kn_abbrev *a, const char *abbrev,
	    const char *expansion);
/* Add an exact entry (abbrev is one word, kept as written). */
int	 kn_abbrev_add_exact(struct kn_abbrev *a, const char *abbrev,
	    const char *expansion);
void	 kn_abbrev_free(struct kn_abbrev *a);	/* accepts NULL */
size_t	 kn_abbrev_count(const struct kn_abbrev *a);	/* both kinds */
/*
 * The folded expansion of the folded syllable syl[0..len), its
 * syllables separated by single spaces ("cong an xa"), or NULL.
 */
const char *kn_abbrev_lookup(const struct kn_abbrev *a, const char *syl,
	    size_t len);
/*
 * The exact entries, applied to valid UTF-8 s as written: when s holds
 * one, append s with each replaced by its folded expansion to out and
 * return 1; else return 0 and leave out alone.  -1: out of memory.
 */
int	 kn_abbrev_exact(const struct kn_abbrev *a, struct kn_buf *out,
	    const char *s, size_t len);
/*
 * Like kn_text_key: append the folded syllables of s separated by
 * single spaces, each abbreviation replaced by its expansion (exact
 * entries included).  a may be NULL (no expansion).
 */
int	 kn_abbrev_key(const struct kn_abbrev *a, struct kn_buf *out,
	    const char *s, size_t len);

#endif
