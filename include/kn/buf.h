/*
 * kn/buf.h: a growable byte buffer, always NUL-terminated.
 *
 * The buffer owns data; kn_buf_free releases it.  kn_buf_detach hands
 * the string to the caller, who frees it with free().
 */
#ifndef KN_BUF_H
#define KN_BUF_H

#include <stddef.h>

struct kn_buf {
	char	*data;	/* NUL-terminated; NULL until the first append */
	size_t	 len;
	size_t	 cap;
};

#define KN_BUF_INIT { NULL, 0, 0 }

int	 kn_buf_grow(struct kn_buf *b, size_t extra);
int	 kn_buf_add(struct kn_buf *b, const void *p, size_t n);
int	 kn_buf_adds(struct kn_buf *b, const char *s);
int	 kn_buf_addc(struct kn_buf *b, int c);
int	 kn_buf_addf(struct kn_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 kn_buf_reset(struct kn_buf *b);	/* len = 0, keeps memory */
void	 kn_buf_free(struct kn_buf *b);
char	*kn_buf_detach(struct kn_buf *b);	/* never NULL: "" when empty */
/* The contents, or "" when nothing was ever added. */
const char *kn_buf_str(const struct kn_buf *b);

#endif
