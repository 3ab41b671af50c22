/*
 * kn/output.h: output files that are either whole or absent.
 *
 * kn_output_open("ledger.jsonl") takes an exclusive lock on the file
 * (waiting up to a given time for another run to finish), then writes
 * to a temporary file beside it; kn_output_commit flushes, syncs and
 * renames it into place.  Until then the old file is untouched, and an
 * aborted or interrupted run (SIGINT, SIGTERM, SIGHUP) removes the
 * temporary file.  Standard output, devices and pipes are written
 * directly.
 *
 * Ownership: the path is copied.  kn_output_commit and kn_output_abort
 * free the output.
 */
#ifndef KN_OUTPUT_H
#define KN_OUTPUT_H

#include <stdio.h>

#include "error.h"

struct kn_output;

/* path NULL or "-" is standard output; wait is in seconds (0: no wait). */
struct kn_output *kn_output_open(const char *path, double wait,
	    struct kn_error *err);
FILE	*kn_output_fp(const struct kn_output *o);
/* The name for messages: the path, or "<stdout>". */
const char *kn_output_name(const struct kn_output *o);
int	 kn_output_commit(struct kn_output *o, struct kn_error *err);
void	 kn_output_abort(struct kn_output *o);	/* accepts NULL */

#endif
