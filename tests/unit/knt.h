/*
 * knt.h: what several unit tests need: a temporary file holding a text,
 * and the problems a loader reports (struct kn_problems), collected as
 * "LINE text" lines and compared with what is expected.
 *
 * Include after <cmocka.h> and "kn/kn.h".
 */
#ifndef KNT_H
#define KNT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A new temporary file holding text: its path, to unlink and free. */
static inline char *
knt_tmpfile(const char *text)
{
	char *path = strdup("/tmp/kn-test-XXXXXX");
	int fd;

	assert_non_null(path);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* The problems a loader reported, as "LINE text" lines. */
struct knt_problems {
	char	 lines[8][560];
	int	 n;
};

/* A struct kn_problems callback; arg is a struct knt_problems. */
static inline int
knt_collect(void *arg, const struct kn_error *e)
{
	struct knt_problems *g = arg;

	if (g->n < 8)
		snprintf(g->lines[g->n++], sizeof(g->lines[0]), "%ld %s",
		    e->line, e->text);
	return 0;
}

/* Each problem starts as want (NULL-terminated) says, and no more. */
static inline void
knt_problems_are(const struct knt_problems *g, const char *const *want)
{
	int i;

	for (i = 0; want[i] != NULL; i++) {
		if (i == g->n)
			fail_msg("expected a problem \"%s\"", want[i]);
		if (strncmp(g->lines[i], want[i], strlen(want[i])) != 0)
			fail_msg("problem \"%s\", expected \"%s\"",
			    g->lines[i], want[i]);
	}
	if (i != g->n)
		fail_msg("%d problems, expected %d: the next is \"%s\"", g->n,
		    i, g->lines[i]);
}

#endif
