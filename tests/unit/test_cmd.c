/*
 * test_cmd.c: common options and the record loop shared by the tools,
 * with messages captured; also error.c, data.c and fields.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"

static void
test_options(void **state)
{
	struct kn_opts o;
	char *msgs = NULL;
	size_t len = 0;

	(void)state;
	kn_opts_init(&o, "kn-test");
	o.diag = open_memstream(&msgs, &len);
	assert_int_equal(kn_opts_common(&o, 'o', "out.jsonl"), 0);
	assert_string_equal(o.output, "out.jsonl");
	assert_int_equal(kn_opts_common(&o, KN_OPT_FROM, "csv"), 0);
	assert_int_equal(o.ropts.format, KN_FMT_CSV);
	assert_int_equal(kn_opts_common(&o, KN_OPT_TO, "xml"), -1);
	assert_int_equal(kn_opts_common(&o, KN_OPT_DELIMITER, "tab"), 0);
	assert_int_equal(o.ropts.delim, '\t');
	assert_int_equal(kn_opts_common(&o, KN_OPT_DELIMITER, ";;"), -1);
	assert_int_equal(kn_opts_common(&o, KN_OPT_MAX_FIELD, "2M"), 0);
	assert_int_equal(o.ropts.max_field, 2 * 1024 * 1024);
	assert_int_equal(kn_opts_common(&o, KN_OPT_MAX_FIELD, "-1"), -1);
	assert_int_equal(kn_opts_common(&o, KN_OPT_ENCODING, "cp1258"), 0);
	assert_int_equal(kn_opts_common(&o, KN_OPT_ENCODING, "nope"), -1);
	assert_int_equal(kn_opts_common(&o, KN_OPT_WAIT, "1.5"), 0);
	assert_true(o.wait == 1.5);
	assert_int_equal(kn_opts_common(&o, 'x', NULL), 1);
	fclose(o.diag);
	assert_non_null(strstr(msgs, "kn-test: --to: unknown format \"xml\""));
	free(msgs);
}

static void
test_run(void **state)
{
	struct kn_opts o;
	struct kn_record *r;
	char in[] = "/tmp/kn-test-in-XXXXXX", out[64], rej[64];
	const char *data = "a,b\n1,2\n3,4,5\n6,7\n";
	char *msgs = NULL, *argv[2], line[64];
	size_t len = 0;
	FILE *fp;
	int fd = mkstemp(in), n = 0;

	(void)state;
	assert_true(write(fd, data, strlen(data)) > 0);
	close(fd);
	snprintf(out, sizeof(out), "%s.out", in);
	snprintf(rej, sizeof(rej), "%s.rej", in);
	kn_opts_init(&o, "kn-test");
	o.diag = open_memstream(&msgs, &len);
	o.output = out;
	o.rejects = rej;
	argv[0] = in;
	argv[1] = NULL;
	assert_int_equal(kn_run_begin(&o, 1, argv), 0);
	while (kn_run_next(&o, &r) == KN_READ_RECORD) {
		if (n++ == 1)
			kn_run_reject(&o, r, "the second good row is bad too");
		else
			assert_int_equal(kn_run_write(&o, r), 0);
		kn_record_free(r);
	}
	assert_int_equal(kn_run_end(&o), KN_EXIT_REJECTS);
	fclose(o.diag);
	assert_non_null(strstr(msgs, ":3: row has 3 fields"));
	assert_non_null(strstr(msgs, ":4: the second good row is bad too"));
	assert_non_null(strstr(msgs, "kn-test: 3 records, 1 written, "
	    "2 rejected"));
	free(msgs);
	assert_non_null(fp = fopen(out, "r"));
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_string_equal(line, "{\"a\":\"1\",\"b\":\"2\"}\n");
	assert_null(fgets(line, sizeof(line), fp));
	fclose(fp);
	unlink(in);
	unlink(out);
	unlink(rej);
}

static void
test_error(void **state)
{
	struct kn_error err;
	char buf[128];

	(void)state;
	kn_error_set(&err, KN_EINVAL, "march.csv", 14, "text is %s", "empty");
	kn_error_format(&err, buf, sizeof(buf));
	assert_string_equal(buf, "march.csv:14: text is empty");
	kn_error_set(&err, KN_EIO, "x", 0, "gone");
	kn_error_format(&err, buf, sizeof(buf));
	assert_string_equal(buf, "x: gone");
	kn_error_set(NULL, KN_EIO, "x", 0, "ignored");
}

static void
test_fields(void **state)
{
	struct kn_fields *fs;
	struct kn_error err;

	(void)state;
	assert_non_null(fs = kn_fields_load(NULL, &err));
	assert_int_equal(fs->n, 12);
	assert_int_equal(kn_fields_find(fs, "traffic"), 6);
	assert_string_equal(fs->f[6].label, "Trật tự an toàn giao thông");
	assert_int_equal(kn_fields_find(fs, "nope"), -1);
	kn_fields_free(fs);
	assert_null(kn_fields_load("/nonexistent.csv", &err));
	assert_int_equal(err.code, KN_EIO);
	assert_non_null(strstr(kn_data_dir(), "data"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_error),
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests_name("cmd", tests, NULL, NULL);
}
