/*
 * kn/merge.h: recording the answers departments wrote into the
 * records (the ledger) they answer.
 *
 * An answers file (CSV or JSON Lines) has, on each line, id or group,
 * answer, and optionally answered_by and answered_at (a date, written
 * as kn_date_parse reads it, stored as YYYY-MM-DD).  A line with an id
 * answers the record with that id; a line with a group (and no id)
 * answers every record of that group.  A record matched by its id takes
 * that answer even when its group has one too.  When two lines answer
 * the same id or group, the later one wins and the earlier is reported.
 *
 * Ownership: the answers own their strings; strings returned are
 * borrowed until kn_answers_free.
 */
#ifndef KN_MERGE_H
#define KN_MERGE_H

#include <stddef.h>

#include "error.h"
#include "read.h"
#include "record.h"

struct kn_answers;

/*
 * Read an answers file.  NULL with err when it cannot be read at all;
 * a line that is wrong (no answer, neither id nor group, a bad date) is
 * kept as a problem, to be reported, and the other lines load.
 */
struct kn_answers *kn_answers_load(const char *path,
	    const struct kn_read_opts *ropts, struct kn_error *err);
void	 kn_answers_free(struct kn_answers *a);	/* accepts NULL */
/* Lines that hold an answer that can be applied. */
size_t	 kn_answers_count(const struct kn_answers *a);

/*
 * The problems found while loading, in line order: 1 with *line, *text
 * and *warning (1: a warning, the line still counts; 0: an error, the
 * line is not applied) for problem i, 0 past the end.
 */
int	 kn_answers_problem(const struct kn_answers *a, size_t i, long *line,
	    const char **text, int *warning);

/*
 * Give r its answer when one matches it: answer, answered_by,
 * answered_at, and status "answered" (a "closed" record stays closed);
 * the keys of a suggestion (answer_id, answer_score) are removed, since
 * answer is now the department's.  1 when applied, 0 when no answer
 * matches, -1 when out of memory.
 */
int	 kn_answers_apply(struct kn_answers *a, struct kn_record *r);

/*
 * The answers that matched no record, in line order: start with *pos
 * 0; each call gives the next one (1 with *line, *key "id" or "group"
 * and *value) and advances *pos; 0 when there are no more.
 */
int	 kn_answers_unmatched(const struct kn_answers *a, size_t *pos,
	    long *line, const char **key, const char **value);

#endif
