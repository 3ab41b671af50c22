/* test_buf.c: the growable buffer; test_set.c covers set.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"

static void
test_buf(void **state)
{
	struct kn_buf b = KN_BUF_INIT;
	char *s;
	int i;

	(void)state;
	assert_string_equal(kn_buf_str(&b), "");
	for (i = 0; i < 1000; i++)
		kn_buf_addc(&b, 'x');
	assert_int_equal(b.len, 1000);
	kn_buf_reset(&b);
	kn_buf_addf(&b, "%s:%d", "a", 7);
	kn_buf_adds(&b, "!");
	assert_string_equal(b.data, "a:7!");
	s = kn_buf_detach(&b);
	assert_string_equal(s, "a:7!");
	assert_null(b.data);
	free(s);
	s = kn_buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf),
	};

	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
