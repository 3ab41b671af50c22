/* test_set.c: the hash set with values, and the string map. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "kn/kn.h"

static void
test_set(void **state)
{
	struct kn_set *s = kn_set_new();
	unsigned long long i;
	long v;

	(void)state;
	for (i = 0; i < 100000; i++)
		assert_int_equal(kn_set_add(s, i * 2654435761ULL, (long)i,
		    NULL), 1);
	assert_int_equal(kn_set_count(s), 100000);
	assert_int_equal(kn_set_add(s, 7 * 2654435761ULL, 1, &v), 0);
	assert_int_equal(v, 7);
	assert_true(kn_set_get(s, 0, &v));	/* 0 is stored as 1 */
	assert_false(kn_set_get(s, 3, NULL));
	kn_set_free(s);
	kn_set_free(NULL);
}

static void
test_map(void **state)
{
	struct kn_map *m = kn_map_new();
	char key[32];
	void **slot;
	int created, i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		slot = kn_map_slot(m, key, strlen(key), &created);
		assert_non_null(slot);
		assert_true(created);
		*slot = (void *)(intptr_t)(i + 1);
	}
	slot = kn_map_slot(m, "k42", 3, &created);
	assert_false(created);
	assert_int_equal((intptr_t)*slot, 43);
	assert_int_equal((intptr_t)kn_map_get(m, "k4999", 5), 5000);
	assert_null(kn_map_get(m, "nope", 4));
	assert_int_equal(kn_map_count(m), 5000);
	assert_string_equal(kn_map_key_at(m, 3, NULL), "k3");
	assert_int_equal((intptr_t)kn_map_value_at(m, 3), 4);
	kn_map_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_map),
	};

	return cmocka_run_group_tests_name("set", tests, NULL, NULL);
}
