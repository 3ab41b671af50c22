/* set.c: open addressing over 64-bit hashes, linear probing. */
#include <stdlib.h>

#include "kn/set.h"

struct entry {
	unsigned long long h;	/* 0: empty */
	long	 v;
};

struct kn_set {
	struct entry *e;
	size_t	 mask, n;
};

struct kn_set *
kn_set_new(void)
{
	struct kn_set *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	if ((s->e = calloc(1024, sizeof(*s->e))) == NULL) {
		free(s);
		return NULL;
	}
	s->mask = 1023;
	return s;
}

void
kn_set_free(struct kn_set *s)
{
	if (s == NULL)
		return;
	free(s->e);
	free(s);
}

static struct entry *
slot(struct entry *e, size_t mask, unsigned long long h)
{
	size_t i = (size_t)(h ^ (h >> 29)) & mask;

	while (e[i].h != 0 && e[i].h != h)
		i = (i + 1) & mask;
	return &e[i];
}

static int
grow(struct kn_set *s)
{
	size_t i, mask = s->mask * 2 + 1;
	struct entry *e;

	if ((e = calloc(mask + 1, sizeof(*e))) == NULL)
		return -1;
	for (i = 0; i <= s->mask; i++)
		if (s->e[i].h != 0)
			*slot(e, mask, s->e[i].h) = s->e[i];
	free(s->e);
	s->e = e;
	s->mask = mask;
	return 0;
}

int
kn_set_add(struct kn_set *s, unsigned long long h, long v, long *old)
{
	struct entry *p;

	if (h == 0)
		h = 1;
	if ((s->n + 1) * 2 > s->mask + 1 && grow(s) == -1)
		return -1;
	p = slot(s->e, s->mask, h);
	if (p->h == h) {
		if (old != NULL)
			*old = p->v;
		return 0;
	}
	p->h = h;
	p->v = v;
	s->n++;
	return 1;
}

int
kn_set_get(const struct kn_set *s, unsigned long long h, long *v)
{
	struct entry *p;

	if (h == 0)
		h = 1;
	p = slot(s->e, s->mask, h);
	if (p->h != h)
		return 0;
	if (v != NULL)
		*v = p->v;
	return 1;
}

size_t
kn_set_count(const struct kn_set *s)
{
	return s->n;
}
