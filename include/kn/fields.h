/*
 * kn/fields.h: the taxonomy of fields (data/fields.csv: code, label,
 * label_en, description).  Tools that need field codes or labels read
 * it through here, so that a replaced taxonomy is seen by all of them.
 *
 * Ownership: the taxonomy owns its strings.
 */
#ifndef KN_FIELDS_H
#define KN_FIELDS_H

#include <stddef.h>

#include "error.h"

struct kn_field {
	char	*code;		/* "traffic" */
	char	*label;		/* Vietnamese: "Trật tự an toàn giao thông" */
	char	*label_en;	/* English, or the code when the file has none */
	char	*description;	/* "" when none */
};

struct kn_fields {
	struct kn_field	*f;
	size_t		 n;
};

/* path NULL: data/fields.csv.  Codes must be unique and non-empty. */
struct kn_fields *kn_fields_load(const char *path, struct kn_error *err);
void	 kn_fields_free(struct kn_fields *fs);	/* accepts NULL */
/* The index of code, or -1. */
int	 kn_fields_find(const struct kn_fields *fs, const char *code);

#endif
