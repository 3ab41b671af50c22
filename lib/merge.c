/*
 * merge.c: the departments' answers, matched to records by id or by
 * group as the records stream past; what matched nothing is kept to be
 * reported at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kn/buf.h"
#include "kn/date.h"
#include "kn/map.h"
#include "kn/merge.h"

struct line {
	long	 line;
	int	 by_group;	/* matched by group, else by id */
	char	*value;		/* the id or group */
	char	*answer, *by, *at;
	int	 live;		/* not replaced by a later line */
	int	 used;		/* matched a record */
};

struct problem {
	long	 line;
	char	*text;
	int	 warning;
};

struct kn_answers {
	struct line	*l;
	size_t		 n, cap;
	struct kn_map	*ids, *groups;	/* value -> line index + 1 */
	struct problem	*p;
	size_t		 np, pcap;
};

void
kn_answers_free(struct kn_answers *a)
{
	size_t i;

	if (a == NULL)
		return;
	for (i = 0; i < a->n; i++) {
		free(a->l[i].value);
		free(a->l[i].answer);
		free(a->l[i].by);
		free(a->l[i].at);
	}
	free(a->l);
	for (i = 0; i < a->np; i++)
		free(a->p[i].text);
	free(a->p);
	kn_map_free(a->ids);
	kn_map_free(a->groups);
	free(a);
}

static int
add_problem(struct kn_answers *a, long line, int warning, const char *fmt,
    const char *arg, long n)
{
	struct kn_buf b = KN_BUF_INIT;

	if (a->np == a->pcap) {
		size_t cap = a->pcap ? a->pcap * 2 : 16;
		struct problem *p = realloc(a->p, cap * sizeof(*p));

		if (p == NULL)
			return -1;
		a->p = p;
		a->pcap = cap;
	}
	if (kn_buf_addf(&b, fmt, arg, n) == -1) {
		kn_buf_free(&b);
		return -1;
	}
	a->p[a->np].line = line;
	a->p[a->np].warning = warning;
	a->p[a->np++].text = kn_buf_detach(&b);
	return 0;
}

/* One line of the answers file; -1 only when out of memory. */
static int
take_line(struct kn_answers *a, const struct kn_record *r)
{
	struct kn_buf id = KN_BUF_INIT, group = KN_BUF_INIT;
	const char *answer = kn_record_strz(r, "answer");
	const char *at = kn_record_strz(r, "answered_at");
	long line = kn_record_line(r), day;
	char iso[KN_DATE_LEN] = "";
	struct line *l;
	struct kn_map *m;
	void **slot;
	int created, rc = -1;

	kn_record_text(r, "id", &id);
	kn_record_text(r, "group", &group);
	if (id.len == 0 && group.len == 0) {
		rc = add_problem(a, line, 0, "no \"id\" or \"group\"%s", "",
		    0);
		goto out;
	}
	if (*answer == '\0') {
		rc = add_problem(a, line, 0, "no \"answer\" for %s",
		    id.len ? "this id" : "this group", 0);
		goto out;
	}
	if (*at != '\0') {
		if (kn_date_parse(at, &day, NULL) == -1) {
			rc = add_problem(a, line, 0, "answered_at: not a date "
			    "\"%s\"", at, 0);
			goto out;
		}
		kn_date_format(day, iso);
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 64;

		if ((l = realloc(a->l, cap * sizeof(*l))) == NULL)
			goto out;
		a->l = l;
		a->cap = cap;
	}
	l = &a->l[a->n];
	memset(l, 0, sizeof(*l));
	l->line = line;
	l->by_group = id.len == 0;
	l->live = 1;
	if ((l->value = strdup(l->by_group ? kn_buf_str(&group) :
	    kn_buf_str(&id))) == NULL ||
	    (l->answer = strdup(answer)) == NULL ||
	    (l->by = strdup(kn_record_strz(r, "answered_by"))) == NULL ||
	    (l->at = strdup(iso)) == NULL)
		goto undo;
	m = l->by_group ? a->groups : a->ids;
	if ((slot = kn_map_slot(m, l->value, strlen(l->value), &created)) ==
	    NULL)
		goto undo;
	if (!created) {
		struct line *old = &a->l[(uintptr_t)*slot - 1];

		old->live = 0;
		if (add_problem(a, line, 1, "warning: this answer for "
		    "\"%s\" replaces the one at line %ld", l->value,
		    old->line) == -1)
			goto undo;
	}
	*slot = (void *)(uintptr_t)(a->n + 1);
	a->n++;
	rc = 0;
	goto out;
undo:
	free(l->value);
	free(l->answer);
	free(l->by);
	free(l->at);
out:
	kn_buf_free(&id);
	kn_buf_free(&group);
	return rc;
}

struct kn_answers *
kn_answers_load(const char *path, const struct kn_read_opts *ropts,
    struct kn_error *err)
{
	struct kn_answers *a;
	struct kn_reader *rd;
	struct kn_record *r;
	struct kn_error e;
	int rc;

	if ((a = calloc(1, sizeof(*a))) == NULL ||
	    (a->ids = kn_map_new()) == NULL ||
	    (a->groups = kn_map_new()) == NULL) {
		kn_answers_free(a);
		kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
		return NULL;
	}
	if ((rd = kn_reader_open(path, ropts, err)) == NULL) {
		kn_answers_free(a);
		return NULL;
	}
	for (;;) {
		kn_error_clear(&e);
		rc = kn_reader_next(rd, &r, &e);
		if (rc == KN_READ_END)
			break;
		if (rc == KN_READ_BAD) {
			/* A malformed line is one lost answer: report it. */
			if (add_problem(a, e.line, 0, "%s", e.text, 0) == -1)
				goto nomem;
			continue;
		}
		if (rc != KN_READ_RECORD) {
			if (err != NULL)
				*err = e;
			goto fail;
		}
		rc = take_line(a, r);
		kn_record_free(r);
		if (rc == -1)
			goto nomem;
	}
	kn_reader_close(rd);
	return a;
nomem:
	kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
fail:
	kn_reader_close(rd);
	kn_answers_free(a);
	return NULL;
}

size_t
kn_answers_count(const struct kn_answers *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		n += a->l[i].live;
	return n;
}

int
kn_answers_problem(const struct kn_answers *a, size_t i, long *line,
    const char **text, int *warning)
{
	if (i >= a->np)
		return 0;
	*line = a->p[i].line;
	*text = a->p[i].text;
	*warning = a->p[i].warning;
	return 1;
}

int
kn_answers_apply(struct kn_answers *a, struct kn_record *r)
{
	struct kn_buf id = KN_BUF_INIT;
	const char *group, *status;
	struct line *l = NULL;
	void *v;

	if (kn_record_text(r, "id", &id) > 0 &&
	    (v = kn_map_get(a->ids, id.data, id.len)) != NULL)
		l = &a->l[(uintptr_t)v - 1];
	kn_buf_free(&id);
	if (l == NULL && (group = kn_record_str(r, "group")) != NULL &&
	    *group != '\0' &&
	    (v = kn_map_get(a->groups, group, strlen(group))) != NULL)
		l = &a->l[(uintptr_t)v - 1];
	if (l == NULL)
		return 0;
	l->used = 1;
	status = kn_record_strz(r, "status");
	kn_record_del(r, "answer_id");
	kn_record_del(r, "answer_score");
	if (kn_record_set_str(r, "answer", l->answer) == -1 ||
	    kn_record_set_str(r, "answered_by", l->by) == -1 ||
	    kn_record_set_str(r, "answered_at", l->at) == -1 ||
	    (strcmp(status, "closed") != 0 &&
	    strcmp(status, "duplicate") != 0 &&
	    kn_record_set_str(r, "status", "answered") == -1))
		return -1;
	return 1;
}

int
kn_answers_unmatched(const struct kn_answers *a, size_t *pos, long *line,
    const char **key, const char **value)
{
	for (; *pos < a->n; (*pos)++) {
		const struct line *l = &a->l[*pos];

		if (l->used || !l->live)
			continue;
		*line = l->line;
		*key = l->by_group ? "group" : "id";
		*value = l->value;
		(*pos)++;
		return 1;
	}
	return 0;
}
