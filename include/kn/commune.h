/*
 * kn/commune.h: the registry of commune-level units (xã, phường) and
 * resolving a name as communes write it to the official unit.
 *
 * The registry is a CSV file with columns code, name, type and
 * former_units (the units merged into it, "; "-separated, each written
 * "xã Hà Vinh" or "phường Ba Đình (thị xã Bỉm Sơn)").  Names match after
 * folding, with or without prefixes ("xã", "phường", "X.", "P.",
 * "CA xã", "Công an phường", "CAX"), typed without diacritics too.  A
 * former unit's name resolves to the unit it was merged into when that
 * is unambiguous.
 *
 * Ownership: the registry owns its units; pointers to them are valid
 * until kn_communes_free.
 */
#ifndef KN_COMMUNE_H
#define KN_COMMUNE_H

#include <stddef.h>

#include "buf.h"
#include "error.h"

struct kn_commune {
	char	*code;
	char	*name;		/* official name, without the type */
	char	*type;		/* "xã" or "phường" */
};

struct kn_communes;

enum kn_match {
	KN_MATCH_NONE = 0,	/* unknown */
	KN_MATCH_NAME,		/* the current name */
	KN_MATCH_CODE,		/* the official code */
	KN_MATCH_FORMER,	/* the name of a unit merged into it */
	KN_MATCH_AMBIGUOUS	/* several units fit; see why */
};

struct kn_communes *kn_communes_load(const char *path, struct kn_error *err);
void	 kn_communes_free(struct kn_communes *c);	/* accepts NULL */
size_t	 kn_communes_count(const struct kn_communes *c);
const struct kn_commune *kn_communes_at(const struct kn_communes *c,
	    size_t i);
const struct kn_commune *kn_communes_by_code(const struct kn_communes *c,
	    const char *code);
/*
 * Resolve a name as written.  On KN_MATCH_NAME, _CODE and _FORMER *unit
 * is set; on KN_MATCH_AMBIGUOUS the candidates are appended to why
 * (when not NULL).
 */
enum kn_match kn_communes_resolve(const struct kn_communes *c,
	    const char *written, const struct kn_commune **unit,
	    struct kn_buf *why);

/*
 * For a name that did not resolve: the official "type name" of the unit
 * whose name is one edit (a letter added, dropped, changed, or two
 * swapped) from it, when only one is, appended to out; 0 when found,
 * -1 when none.
 */
int	 kn_communes_suggest(const struct kn_communes *c, const char *written,
	    struct kn_buf *out);

#endif
