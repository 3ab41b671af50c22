/*
 * kn/data.h: where the data files are (taxonomy, lexicon, routing
 * table, commune registry...), and reading small CSV tables.
 *
 * The data directory is $KN_DATA when set; else data/ beside the bin/
 * of a checkout the binary runs from; else share/kiennghi/ beside the
 * bin/ it is installed in; else $PREFIX/share/kiennghi as built.
 */
#ifndef KN_DATA_H
#define KN_DATA_H

#include "buf.h"
#include "error.h"
#include "record.h"

/* The data directory (borrowed, valid for the life of the program). */
const char *kn_data_dir(void);
/* Append the path of data file name to out. */
int	 kn_data_path(struct kn_buf *out, const char *name);

/* A small table read whole: a data file of a few thousand rows. */
struct kn_table {
	struct kn_record **rows;
	size_t		 n;
	char		*path;
};

/*
 * Read the CSV or JSON Lines file at path into *t.  Every malformed row
 * is an error naming its line: data files must be right.  When required
 * is not NULL, it is a NULL-terminated list of keys each row must have.
 */
int	 kn_table_load(struct kn_table *t, const char *path,
	    const char *const *required, struct kn_error *err);
void	 kn_table_free(struct kn_table *t);

#endif
