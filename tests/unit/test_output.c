/* test_output.c: whole-or-nothing output files and their lock. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"

static char dir[] = "/tmp/kn-test-out-XXXXXX";
static char path[64];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/ledger.jsonl", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(path);
	return rmdir(dir);
}

static int
entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)) != NULL)
		n += e->d_name[0] != '.' || e->d_name[1] != '\0' ?
		    strcmp(e->d_name, "..") != 0 : 0;
	closedir(d);
	return n;
}

static char *
slurp(void)
{
	static char buf[256];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (fp == NULL)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
test_commit_abort(void **state)
{
	struct kn_output *o;
	struct kn_error err;

	(void)state;
	kn_error_clear(&err);
	/* a new file, aborted: nothing is left */
	assert_non_null(o = kn_output_open(path, 0, &err));
	fputs("half", kn_output_fp(o));
	kn_output_abort(o);
	assert_null(slurp());
	assert_int_equal(entries(), 0);
	/* committed: there */
	assert_non_null(o = kn_output_open(path, 0, &err));
	fputs("one\n", kn_output_fp(o));
	assert_string_equal(kn_output_name(o), path);
	assert_int_equal(kn_output_commit(o, &err), 0);
	assert_string_equal(slurp(), "one\n");
	/* an existing file, aborted: as it was, no temporary file left */
	assert_non_null(o = kn_output_open(path, 0, &err));
	fputs("two\n", kn_output_fp(o));
	assert_string_equal(slurp(), "one\n");
	kn_output_abort(o);
	assert_string_equal(slurp(), "one\n");
	assert_int_equal(entries(), 1);
}

static void
test_lock(void **state)
{
	struct kn_output *a, *b;
	struct kn_error err;

	(void)state;
	kn_error_clear(&err);
	assert_non_null(a = kn_output_open(path, 0, &err));
	fputs("a\n", kn_output_fp(a));
	/* flock locks belong to open files: a second open waits, here 0.2 s */
	assert_null(b = kn_output_open(path, 0.2, &err));
	assert_int_equal(err.code, KN_ELOCK);
	assert_non_null(strstr(err.text, "another run"));
	assert_int_equal(kn_output_commit(a, &err), 0);
	assert_non_null(b = kn_output_open(path, 0.2, &err));
	fputs("b\n", kn_output_fp(b));
	assert_int_equal(kn_output_commit(b, &err), 0);
	assert_string_equal(slurp(), "b\n");
}

static void
test_errors(void **state)
{
	struct kn_output *o;
	struct kn_error err;

	(void)state;
	kn_error_clear(&err);
	assert_null(kn_output_open("/nonexistent/dir/x", 0, &err));
	assert_int_equal(err.code, KN_EIO);
	assert_non_null(o = kn_output_open("/dev/full", 0, &err));
	fputs("x\n", kn_output_fp(o));
	assert_int_equal(kn_output_commit(o, &err), -1);
	assert_int_equal(err.code, KN_EIO);
	assert_string_equal(err.source, "/dev/full");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_abort),
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("output", tests, setup, teardown);
}
