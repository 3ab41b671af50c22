/*
 * map.c: string-keyed hash map.  Entries live in an array in insertion
 * order; an open-addressing table of indexes finds them.
 */
#include <stdlib.h>
#include <string.h>

#include "kn_private.h"

struct mentry {
	char	*key;
	size_t	 len;
	unsigned long long h;
	void	*val;
};

struct kn_map {
	struct mentry *e;
	size_t	 n, cap;
	size_t	*tab;		/* index + 1; 0 is empty */
	size_t	 mask;
};

struct kn_map *
kn_map_new(void)
{
	struct kn_map *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if ((m->tab = calloc(64, sizeof(*m->tab))) == NULL) {
		free(m);
		return NULL;
	}
	m->mask = 63;
	return m;
}

void
kn_map_free(struct kn_map *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->e[i].key);
	free(m->e);
	free(m->tab);
	free(m);
}

static size_t *
find_slot(const struct kn_map *m, const char *key, size_t len,
    unsigned long long h)
{
	size_t i = (size_t)(h ^ (h >> 31)) & m->mask;

	for (;;) {
		size_t *t = &m->tab[i];
		const struct mentry *e;

		if (*t == 0)
			return t;
		e = &m->e[*t - 1];
		if (e->h == h && e->len == len && memcmp(e->key, key, len) == 0)
			return t;
		i = (i + 1) & m->mask;
	}
}

static int
rehash(struct kn_map *m)
{
	size_t i, mask = m->mask * 2 + 1, *tab;

	if ((tab = calloc(mask + 1, sizeof(*tab))) == NULL)
		return -1;
	free(m->tab);
	m->tab = tab;
	m->mask = mask;
	for (i = 0; i < m->n; i++)
		*find_slot(m, m->e[i].key, m->e[i].len, m->e[i].h) = i + 1;
	return 0;
}

void **
kn_map_slot(struct kn_map *m, const char *key, size_t len, int *created)
{
	unsigned long long h = kn_hash64(key, len);
	size_t *t = find_slot(m, key, len, h);
	struct mentry *e;

	if (created != NULL)
		*created = 0;
	if (*t != 0)
		return &m->e[*t - 1].val;
	if ((m->n + 1) * 2 > m->mask + 1) {
		if (rehash(m) == -1)
			return NULL;
		t = find_slot(m, key, len, h);
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;

		if ((e = realloc(m->e, cap * sizeof(*e))) == NULL)
			return NULL;
		m->e = e;
		m->cap = cap;
	}
	e = &m->e[m->n];
	if ((e->key = knp_strndup(key, len)) == NULL)
		return NULL;
	e->len = len;
	e->h = h;
	e->val = NULL;
	*t = ++m->n;
	if (created != NULL)
		*created = 1;
	return &e->val;
}

void *
kn_map_get(const struct kn_map *m, const char *key, size_t len)
{
	size_t *t = find_slot(m, key, len, kn_hash64(key, len));

	return *t != 0 ? m->e[*t - 1].val : NULL;
}

size_t
kn_map_count(const struct kn_map *m)
{
	return m->n;
}

const char *
kn_map_key_at(const struct kn_map *m, size_t i, size_t *len)
{
	if (len != NULL)
		*len = m->e[i].len;
	return m->e[i].key;
}

void *
kn_map_value_at(const struct kn_map *m, size_t i)
{
	return m->e[i].val;
}
