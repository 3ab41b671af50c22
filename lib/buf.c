/* buf.c: the growable buffer every module appends to. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/buf.h"

int
kn_buf_grow(struct kn_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > (size_t)-1 / 2 - b->len)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if ((p = realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
kn_buf_add(struct kn_buf *b, const void *p, size_t n)
{
	if (kn_buf_grow(b, n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
kn_buf_adds(struct kn_buf *b, const char *s)
{
	return kn_buf_add(b, s, strlen(s));
}

int
kn_buf_addc(struct kn_buf *b, int c)
{
	char ch = (char)c;

	return kn_buf_add(b, &ch, 1);
}

int
kn_buf_addf(struct kn_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || kn_buf_grow(b, (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
kn_buf_reset(struct kn_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void
kn_buf_free(struct kn_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *
kn_buf_detach(struct kn_buf *b)
{
	char *p;

	if (b->data == NULL)
		return calloc(1, 1);
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

const char *
kn_buf_str(const struct kn_buf *b)
{
	return b->data != NULL ? b->data : "";
}
