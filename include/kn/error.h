/*
 * kn/error.h: how the kiennghi library reports failure.
 *
 * A function that can fail returns -1 (or NULL) and fills the struct
 * kn_error passed as its last argument, which may be NULL.  On success
 * the error is left untouched.  The library never prints and never exits.
 */
#ifndef KN_ERROR_H
#define KN_ERROR_H

#include <stddef.h>

enum kn_errcode {
	KN_OK = 0,
	KN_ENOMEM,	/* out of memory */
	KN_EIO,		/* read or write failed (errno-based) */
	KN_EPIPE,	/* the reader of our output went away */
	KN_ECSV,	/* malformed CSV */
	KN_EJSON,	/* malformed JSON */
	KN_EUTF8,	/* invalid UTF-8 */
	KN_ELIMIT,	/* a size limit was exceeded */
	KN_EINVAL,	/* a value is not valid (date, option, key) */
	KN_EDATA,	/* a data file (registry, table) is malformed */
	KN_EDUP,	/* duplicate key or id */
	KN_ELOCK,	/* an output lock could not be taken */
	KN_ERANGE	/* a value outside its range (a date's year) */
};

struct kn_error {
	int	 code;		/* enum kn_errcode */
	long	 line;		/* 1-based; 0 when unknown */
	long	 column;	/* 1-based; 0 when unknown */
	char	 source[256];	/* file name or "<stdin>"; "" when unknown */
	char	 text[512];
};

/* Fill err (when not NULL) with code, source, line and a printf message. */
void	kn_error_set(struct kn_error *err, int code, const char *source,
	    long line, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));
/* Clear err to KN_OK. */
void	kn_error_clear(struct kn_error *err);
/* Format "source:line: text" (parts omitted when unknown) into buf. */
void	kn_error_format(const struct kn_error *err, char *buf, unsigned size);

/*
 * Where a loader of a data file reports every bad row, so as to read on
 * rather than stop at the first (for a --check that lists them all).
 * The loader calls add(arg, problem) with the row's source, line and
 * text, counts it in n, and skips the row; add returns -1 to stop the
 * load (out of memory), which then fails with KN_ENOMEM.  A loader
 * given none stops at the first bad row and fails with it in err.
 */
struct kn_problems {
	int	(*add)(void *arg, const struct kn_error *problem);
	void	*arg;
	size_t	 n;
};

#endif
