/*
 * kn/map.h: a hash map from strings to a pointer-sized value, for
 * vocabularies, indexes and group counts.
 *
 * The map copies keys; values are the caller's (the map never frees
 * them).  Iteration order is insertion order.
 */
#ifndef KN_MAP_H
#define KN_MAP_H

#include <stddef.h>

struct kn_map;

struct kn_map *kn_map_new(void);
void	 kn_map_free(struct kn_map *m);	/* accepts NULL; values untouched */
/*
 * The slot of key, created with *slot == NULL when absent (*created set
 * when not NULL); NULL when out of memory.  The slot stays valid until
 * the next insertion.
 */
void	**kn_map_slot(struct kn_map *m, const char *key, size_t len,
	    int *created);
/* The value of key, or NULL. */
void	*kn_map_get(const struct kn_map *m, const char *key, size_t len);
size_t	 kn_map_count(const struct kn_map *m);
/* The i-th key and value inserted (0 <= i < count). */
const char *kn_map_key_at(const struct kn_map *m, size_t i, size_t *len);
void	*kn_map_value_at(const struct kn_map *m, size_t i);

#endif
