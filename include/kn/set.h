/*
 * kn/set.h: a map from 64-bit hashes to a long, for duplicate indexes.
 * It holds fixed-size entries, whatever the size of what was hashed.
 */
#ifndef KN_SET_H
#define KN_SET_H

#include <stddef.h>

struct kn_set;

struct kn_set *kn_set_new(void);
void	 kn_set_free(struct kn_set *s);	/* accepts NULL */
/*
 * Add h with value v: 1 when added, 0 when h was there already (its
 * value is then left as it was and stored in *old when old is not NULL),
 * -1 when out of memory.
 */
int	 kn_set_add(struct kn_set *s, unsigned long long h, long v, long *old);
/* 1 and *v when h is there, else 0. */
int	 kn_set_get(const struct kn_set *s, unsigned long long h, long *v);
size_t	 kn_set_count(const struct kn_set *s);

#endif
