/* test_nb.c: naive Bayes training, scoring, saving and loading. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"
#include "kn/nb.h"

static const char *const classes[] = { "A", "B" };

static void
toks(struct kn_toks *tk, const char *s)
{
	kn_toks_reset(tk);
	assert_int_equal(kn_toks_add(tk, NULL, s, strlen(s)), 0);
}

/*
 * A: "xe xe", B: "ho so", alpha 1.  Features: xe (2, 0), "xe xe"
 * (1, 0), ho (0, 1), so (0, 1), "ho so" (0, 1): V = 5, 3 counts in each
 * class, so P(xe | A) = 3/8, P(xe | B) = 1/8, P("xe xe" | A) = 2/8,
 * P(ho | A) = 1/8, P(ho | B) = 2/8; P(A) = P(B) = 2/4.
 */
static struct kn_nb *
tiny(unsigned long min_count)
{
	struct kn_nb_params p;
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_nb *m;

	kn_nb_params_init(&p);
	p.alpha = 1;
	p.min_count = min_count;
	assert_non_null(m = kn_nb_new(classes, 2, &p));
	toks(&tk, "Xe, xe");
	assert_int_equal(kn_nb_learn(m, 0, &tk), 0);
	toks(&tk, "hồ sơ");
	assert_int_equal(kn_nb_learn(m, 1, &tk), 0);
	assert_int_equal(kn_nb_learn(m, 2, &tk), -1);	/* no such class */
	assert_int_equal(kn_nb_finish(m), 0);
	assert_int_equal(kn_nb_learn(m, 0, &tk), -1);	/* finished */
	kn_toks_free(&tk);
	return m;
}

static void
test_hand_checked(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_nb *m = tiny(1);
	double s[2];

	(void)state;
	assert_int_equal(kn_nb_classes(m), 2);
	assert_string_equal(kn_nb_class(m, 1), "B");
	assert_int_equal(kn_nb_class_find(m, "B"), 1);
	assert_int_equal(kn_nb_class_find(m, "C"), -1);
	assert_int_equal(kn_nb_features(m), 5);
	assert_int_equal(kn_nb_documents(m, 0), 1);

	toks(&tk, "xe");
	assert_int_equal(kn_nb_score(m, &tk, s), 1);
	assert_float_equal(s[0], log(0.5) + log(3.0 / 8), 1e-6);
	assert_float_equal(s[1], log(0.5) + log(1.0 / 8), 1e-6);

	toks(&tk, "xe xe");	/* xe twice and the pair "xe xe" */
	assert_int_equal(kn_nb_score(m, &tk, s), 3);
	assert_float_equal(s[0], log(0.5) + 2 * log(3.0 / 8) + log(2.0 / 8),
	    1e-6);
	assert_float_equal(s[1], log(0.5) + 3 * log(1.0 / 8), 1e-6);

	toks(&tk, "ho zz");	/* zz and "ho zz" are unknown: skipped */
	assert_int_equal(kn_nb_score(m, &tk, s), 1);
	assert_float_equal(s[0], log(0.5) + log(1.0 / 8), 1e-6);
	assert_float_equal(s[1], log(0.5) + log(2.0 / 8), 1e-6);

	toks(&tk, "");
	assert_int_equal(kn_nb_score(m, &tk, s), 0);
	assert_float_equal(s[0], log(0.5), 1e-9);

	assert_non_null(kn_nb_feature(m, kn_hash64("so", 2)));
	assert_null(kn_nb_feature(m, kn_hash64("zz", 2)));
	assert_float_equal(kn_nb_feature(m, kn_toks_pair(kn_hash64("ho", 2),
	    kn_hash64("so", 2)))[1], log(2.0 / 8), 1e-6);
	kn_toks_free(&tk);
	kn_nb_free(m);
	kn_nb_free(NULL);
}

static void
test_min_count(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_nb *m = tiny(2);
	double s[2];

	(void)state;
	/* Only xe is seen twice: V = 1, 2 counts in A, 0 in B. */
	assert_int_equal(kn_nb_features(m), 1);
	toks(&tk, "xe ho");
	assert_int_equal(kn_nb_score(m, &tk, s), 1);
	assert_float_equal(s[0], log(0.5) + log(3.0 / 3), 1e-6);
	assert_float_equal(s[1], log(0.5) + log(1.0 / 1), 1e-6);
	kn_toks_free(&tk);
	kn_nb_free(m);
}

static char *
tmpfile_with(const char *text)
{
	char *path = strdup("/tmp/kn-test-nb-XXXXXX");
	int fd;

	assert_non_null(path);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static const char saved[] =
    "kn-classify-model 1\n"
    "# multinomial naive Bayes over folded syllable unigrams and bigrams;\n"
    "# see kn-classify(1).  Each feature line: the feature, a tab, its "
    "count\n# in each field, in the order of the fields line.\n"
    "fields A B\n"
    "documents 1 1\n"
    "alpha 1\n"
    "temperature 6\n"
    "lexicon-weight 1.5\n"
    "min-count 1\n"
    "features 5\n"
    "ho\t0 1\n"
    "ho so\t0 1\n"
    "so\t0 1\n"
    "xe\t2 0\n"
    "xe xe\t1 0\n";

static void
test_save_load(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_nb *m = tiny(1), *l;
	struct kn_error err;
	char buf[1024], *path;
	double a[2], b[2];
	FILE *fp;
	size_t n;

	(void)state;
	assert_non_null(fp = tmpfile());
	assert_int_equal(kn_nb_save(m, fp), 0);
	rewind(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	assert_string_equal(buf, saved);

	path = tmpfile_with(saved);
	kn_error_clear(&err);
	assert_non_null(l = kn_nb_load(path, &err));
	assert_float_equal(kn_nb_params(l)->alpha, 1, 0);
	assert_float_equal(kn_nb_params(l)->temperature, 6, 0);
	assert_int_equal(kn_nb_features(l), 5);
	toks(&tk, "xe xe ho so mới");
	kn_nb_score(m, &tk, a);
	kn_nb_score(l, &tk, b);
	assert_true(a[0] == b[0] && a[1] == b[1]);
	unlink(path);
	free(path);
	kn_toks_free(&tk);
	kn_nb_free(m);
	kn_nb_free(l);
}

/* Loading text must fail at line, with a message containing what. */
static void
bad(const char *text, long line, const char *what)
{
	struct kn_error err;
	char *path = tmpfile_with(text);

	kn_error_clear(&err);
	assert_null(kn_nb_load(path, &err));
	if (line != err.line || strstr(err.text, what) == NULL)
		fail_msg("line %ld \"%s\", expected line %ld \"%s\"",
		    err.line, err.text, line, what);
	unlink(path);
	free(path);
}

static void
test_bad_files(void **state)
{
	struct kn_error err;

	(void)state;
	bad("", 0, "not a kn-classify model");
	bad("kn-classify-model 2\n", 1, "version");
	bad("kn-classify-model 1\ndocuments 1\n", 2, "fields line first");
	bad("kn-classify-model 1\nfields A A\n", 2, "repeated");
	bad("kn-classify-model 1\nfields A B\nfeatures 0\n", 3,
	    "no documents line");
	bad("kn-classify-model 1\nfields A B\ndocuments 1\n", 3,
	    "one count per field");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nalpha x\n", 4,
	    "malformed number");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nalpha 0\n", 4,
	    "above 0");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nbeta 1\n", 4,
	    "unknown header");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\n", 3,
	    "no features line");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nfeatures 2\n"
	    "xe\t1 0\n", 5, "fewer feature lines");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nfeatures 1\n"
	    "xe\t1 0\nho\t0 1\n", 6, "more feature lines");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nfeatures 1\n"
	    "Xe\t1 0\n", 5, "not one or two folded syllables");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nfeatures 1\n"
	    "a b c\t1 0\n", 5, "not one or two folded syllables");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nfeatures 1\n"
	    "xe 1 0\n", 5, "a tab");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nfeatures 1\n"
	    "xe\t1 0 3\n", 5, "more counts than fields");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nfeatures 1\n"
	    "xe\t1\n", 5, "one count per field");
	bad("kn-classify-model 1\nfields A B\ndocuments 1 1\nfeatures 2\n"
	    "xe\t1 0\nxe\t0 1\n", 6, "repeated");
	kn_error_clear(&err);
	assert_null(kn_nb_load("/nonexistent/model.txt", &err));
	assert_int_equal(err.code, KN_EIO);
}

static void
test_params(void **state)
{
	struct kn_nb_params p;

	(void)state;
	kn_nb_params_init(&p);
	assert_float_equal(p.alpha, KN_NB_ALPHA, 0);
	assert_float_equal(p.temperature, KN_NB_TEMPERATURE, 0);
	assert_float_equal(p.lexicon_weight, KN_NB_LEXICON_WEIGHT, 0);
	assert_int_equal(p.min_count, KN_NB_MIN_COUNT);
	assert_null(kn_nb_new(classes, 0, NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_checked),
		cmocka_unit_test(test_min_count),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
