/* test_group.c: grouping proposals by similarity, against brute force. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"
#include "kn/answer.h"
#include "kn/group.h"

static const char *
add(struct kn_grouper *g, const char *id, const char *field, const char *text,
    double *sim)
{
	const char *rep = kn_grouper_add(g, id, field, text, strlen(text), sim);

	assert_non_null(rep);
	return rep;
}

static void
test_basic(void **state)
{
	struct kn_grouper *g;
	double sim;

	(void)state;
	assert_non_null(g = kn_grouper_new(NULL, 0.5));
	assert_string_equal(add(g, "p1", "equipment", "Đề nghị cấp xe ô tô "
	    "bán tải cho công an xã miền núi", &sim), "p1");
	assert_true(sim == 1.0);
	/* The same words typed without diacritics, one place changed. */
	assert_string_equal(add(g, "p2", "equipment", "de nghi cap xe o to "
	    "ban tai cho cong an xa bien gioi", &sim), "p1");
	assert_true(sim >= 0.5 && sim < 1.0);
	/* Same text, another field: another problem. */
	assert_string_equal(add(g, "p3", "finance", "Đề nghị cấp xe ô tô "
	    "bán tải cho công an xã miền núi", NULL), "p3");
	/* Another problem of the first field. */
	assert_string_equal(add(g, "p4", "equipment", "Máy tính bộ phận một "
	    "cửa cấu hình thấp, đề nghị thay", NULL), "p4");
	/* No field is a field of its own. */
	assert_string_equal(add(g, "p5", NULL, "Đề nghị cấp xe ô tô bán tải "
	    "cho công an xã miền núi", NULL), "p5");
	assert_string_equal(add(g, "p6", "", "Đề nghị cấp xe ô tô bán tải "
	    "cho công an xã miền núi", NULL), "p5");
	/* No syllable: a group nothing joins. */
	assert_string_equal(add(g, "p7", "equipment", "...", NULL), "p7");
	assert_string_equal(add(g, "p8", "equipment", "", NULL), "p8");
	assert_int_equal(kn_grouper_count(g), 6);
	kn_grouper_free(g);
	kn_grouper_free(NULL);
}

/* Jaccard of two sorted hash sets. */
static double
jaccard(const struct kn_terms *a, const struct kn_terms *b)
{
	size_t i = 0, j = 0, k = 0;

	while (i < a->n && j < b->n) {
		if (a->h[i] < b->h[j])
			i++;
		else if (a->h[i] > b->h[j])
			j++;
		else {
			k++;
			i++;
			j++;
		}
	}
	return a->n + b->n - k == 0 ? 0 : (double)k / (double)(a->n + b->n -
	    k);
}

static void
random_text(char *buf, size_t size, int n, unsigned *seed)
{
	static const char *const w[] = { "cong", "an", "xa", "de", "nghi",
	    "cap", "xe", "may", "tinh", "bien", "che", "ho", "so", "to",
	    "giac", "tin", "bao", "ma", "tuy", "chay", "rung", "dan", "phong",
	    "tru", "kinh", "phi", "tap", "huan" };
	size_t len = 0;
	int i;

	for (i = 0, buf[0] = '\0'; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? " " : "", w[(unsigned)rand_r(seed) % 28]);
}

/*
 * Leader clustering by brute force: every proposal against every
 * representative.  The grouper must give the very same groups.
 */
static void
check_against_brute_force(double t)
{
	enum { N = 1500 };
	static char text[N][256];
	struct kn_terms *terms;
	struct kn_grouper *g;
	int rep[N], nrep = 0, i, k, field[N];
	unsigned seed = 777;
	char id[16];

	assert_non_null(terms = calloc(N, sizeof(*terms)));
	assert_non_null(g = kn_grouper_new(NULL, t));
	for (i = 0; i < N; i++) {
		if (i > 0 && rand_r(&seed) % 3 == 0) {
			/* A variant of an earlier one: a word changed. */
			char *sp;

			strcpy(text[i], text[rand_r(&seed) % i]);
			if ((sp = strrchr(text[i], ' ')) != NULL)
				strcpy(sp, rand_r(&seed) % 2 ? " xe" : " ma");
		} else
			random_text(text[i], sizeof(text[i]),
			    4 + rand_r(&seed) % 12, &seed);
		field[i] = rand_r(&seed) % 2;
		assert_int_equal(kn_terms_make(&terms[i], NULL, text[i],
		    strlen(text[i])), 0);
	}
	for (i = 0; i < N; i++) {
		int best = -1;
		double bj = 0;
		const char *got;

		for (k = 0; k < nrep; k++) {
			double j;

			if (field[rep[k]] != field[i])
				continue;
			j = jaccard(&terms[i], &terms[rep[k]]);
			if (j + 1e-12 >= t && (best < 0 || j > bj)) {
				best = rep[k];
				bj = j;
			}
		}
		if (best < 0)
			rep[nrep++] = best = i;
		snprintf(id, sizeof(id), "%d", i);
		got = add(g, id, field[i] ? "x" : "y", text[i], NULL);
		assert_int_equal(atoi(got), best);
	}
	assert_int_equal(kn_grouper_count(g), (size_t)nrep);
	for (i = 0; i < N; i++)
		kn_terms_free(&terms[i]);
	free(terms);
	kn_grouper_free(g);
}

static void
test_brute_force(void **state)
{
	(void)state;
	check_against_brute_force(0.3);
	check_against_brute_force(0.5);
	check_against_brute_force(0.8);
	check_against_brute_force(1.0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_brute_force),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
