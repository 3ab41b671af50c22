/* error.c: filling and formatting struct kn_error. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn_private.h"

void
kn_error_set(struct kn_error *err, int code, const char *source, long line,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->code = code;
	err->line = line;
	err->column = 0;
	snprintf(err->source, sizeof(err->source), "%s",
	    source != NULL ? source : "");
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
}

void
kn_error_clear(struct kn_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof(*err));
}

void
kn_error_format(const struct kn_error *err, char *buf, unsigned size)
{
	if (err->source[0] != '\0' && err->line > 0)
		snprintf(buf, size, "%s:%ld: %s", err->source, err->line,
		    err->text);
	else if (err->source[0] != '\0')
		snprintf(buf, size, "%s: %s", err->source, err->text);
	else
		snprintf(buf, size, "%s", err->text);
}

int
knp_problem(struct kn_problems *probs, struct kn_error *err,
    const char *source, long line, const char *fmt, ...)
{
	struct kn_error e;
	va_list ap;

	kn_error_clear(&e);
	e.code = KN_EDATA;
	e.line = line;
	snprintf(e.source, sizeof(e.source), "%s",
	    source != NULL ? source : "");
	va_start(ap, fmt);
	vsnprintf(e.text, sizeof(e.text), fmt, ap);
	va_end(ap);
	if (probs == NULL) {
		if (err != NULL)
			*err = e;
		return -1;
	}
	probs->n++;
	if (probs->add != NULL && probs->add(probs->arg, &e) == -1) {
		kn_error_set(err, KN_ENOMEM, source, 0, "out of memory");
		return -1;
	}
	return 0;
}

void *
knp_malloc(size_t n, struct kn_error *err)
{
	void *p;

	if ((p = malloc(n)) == NULL)
		kn_error_set(err, KN_ENOMEM, NULL, 0, "out of memory");
	return p;
}

char *
knp_strndup(const char *s, size_t n)
{
	char *p;

	if ((p = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
