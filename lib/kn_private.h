/*
 * kn_private.h: what the library's modules share and the public headers
 * do not show: the record's JSON values and small helpers.
 */
#ifndef KN_PRIVATE_H
#define KN_PRIVATE_H

#include <jansson.h>

#include "kn/kn.h"

/* Set key to v, taking the reference to v (json_decref'd on failure). */
int	 knp_record_put(struct kn_record *r, const char *key, json_t *v);
/* The value of key (borrowed), or NULL. */
json_t	*knp_record_get(const struct kn_record *r, const char *key);
/* A record from a JSON object (borrowed); NULL when out of memory. */
struct kn_record *knp_record_from_object(json_t *obj);
/* The record as a new JSON object. */
json_t	*knp_record_to_object(const struct kn_record *r);
/* Append the compact JSON of any value. */
int	 knp_json_dump(struct kn_buf *buf, const json_t *v);

/* The legacy encoding of a reader and how many bytes it replaced. */
const char *knp_reader_encoding(const struct kn_reader *rd,
	    unsigned long *nreplaced, long *line);

/* For tests: read at most n bytes at a time. */
void	 knp_reader_chunk(struct kn_reader *rd, size_t n);

/*
 * A bad row of a data file (KN_EDATA): reported to probs, 0, and the
 * loader skips the row and reads on; or, when probs is NULL, put in
 * err, -1, and the loader fails.  -1 with KN_ENOMEM in err too when
 * probs->add fails.
 */
int	 knp_problem(struct kn_problems *probs, struct kn_error *err,
	    const char *source, long line, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* malloc/strdup that set err on failure. */
void	*knp_malloc(size_t n, struct kn_error *err);
char	*knp_strndup(const char *s, size_t n);

#endif
