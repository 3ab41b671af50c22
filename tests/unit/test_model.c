/*
 * test_model.c: the statistical model of kn-classify: naive Bayes and
 * logistic regression training on hand-checkable cases, scoring,
 * explaining, saving and loading, malformed files.
 */
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
#include "kn/model.h"
#include "knt.h"

static const char *const classes[] = { "A", "B" };

static void
toks(struct kn_toks *tk, const char *s)
{
	kn_toks_reset(tk);
	assert_int_equal(kn_toks_add(tk, NULL, s, strlen(s)), 0);
}

static unsigned long long
pair(const char *a, const char *b)
{
	return kn_toks_pair(kn_hash64(a, strlen(a)), kn_hash64(b, strlen(b)));
}

/*
 * Naive Bayes.  A: "xe xe", B: "ho so", alpha 1.  Features: xe (2, 0),
 * "xe xe" (1, 0), ho (0, 1), so (0, 1), "ho so" (0, 1): V = 5, 3 counts
 * in each class, so P(xe | A) = 3/8, P(xe | B) = 1/8, P("xe xe" | A) =
 * 2/8, P(ho | A) = 1/8, P(ho | B) = 2/8; P(A) = P(B) = 2/4.
 */
static struct kn_model *
tiny_nb(unsigned long min_count)
{
	struct kn_model_params p;
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m;

	kn_model_params_init(&p, KN_LEARNER_NB);
	p.alpha = 1;
	p.min_count = min_count;
	assert_non_null(m = kn_model_new(classes, 2, &p));
	toks(&tk, "Xe, xe");
	assert_int_equal(kn_model_learn(m, 0, &tk), 0);
	toks(&tk, "hồ sơ");
	assert_int_equal(kn_model_learn(m, 1, &tk), 0);
	assert_int_equal(kn_model_learn(m, 2, &tk), -1);	/* no class */
	assert_int_equal(kn_model_finish(m), 0);
	assert_int_equal(kn_model_learn(m, 0, &tk), -1);	/* finished */
	kn_toks_free(&tk);
	return m;
}

static void
test_nb_hand_checked(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m = tiny_nb(1);
	double s[2];

	(void)state;
	assert_int_equal(kn_model_classes(m), 2);
	assert_string_equal(kn_model_class(m, 1), "B");
	assert_int_equal(kn_model_class_find(m, "B"), 1);
	assert_int_equal(kn_model_class_find(m, "C"), -1);
	assert_int_equal(kn_model_features(m), 5);
	assert_int_equal(kn_model_documents(m, 0), 1);

	toks(&tk, "xe");
	assert_int_equal(kn_model_score(m, &tk, s), 1);
	assert_float_equal(s[0], log(0.5) + log(3.0 / 8), 1e-6);
	assert_float_equal(s[1], log(0.5) + log(1.0 / 8), 1e-6);

	toks(&tk, "xe xe");	/* xe twice and the pair "xe xe" */
	assert_int_equal(kn_model_score(m, &tk, s), 3);
	assert_float_equal(s[0], log(0.5) + 2 * log(3.0 / 8) + log(2.0 / 8),
	    1e-6);
	assert_float_equal(s[1], log(0.5) + 3 * log(1.0 / 8), 1e-6);

	toks(&tk, "ho zz");	/* zz and "ho zz" are unknown: skipped */
	assert_int_equal(kn_model_score(m, &tk, s), 1);
	assert_float_equal(s[0], log(0.5) + log(1.0 / 8), 1e-6);
	assert_float_equal(s[1], log(0.5) + log(2.0 / 8), 1e-6);

	toks(&tk, "");
	assert_int_equal(kn_model_score(m, &tk, s), 0);
	assert_float_equal(s[0], log(0.5), 1e-9);

	assert_non_null(kn_model_row(m, kn_hash64("so", 2)));
	assert_null(kn_model_row(m, kn_hash64("zz", 2)));
	assert_float_equal(kn_model_row(m, pair("ho", "so"))[1], log(2.0 / 8),
	    1e-6);
	kn_toks_free(&tk);
	kn_model_free(m);
	kn_model_free(NULL);
}

static void
test_nb_min_count(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m = tiny_nb(2);
	double s[2];

	(void)state;
	/* Only xe is seen twice: V = 1, 2 counts in A, 0 in B. */
	assert_int_equal(kn_model_features(m), 1);
	toks(&tk, "xe ho");
	assert_int_equal(kn_model_score(m, &tk, s), 1);
	assert_float_equal(s[0], log(0.5) + log(3.0 / 3), 1e-6);
	assert_float_equal(s[1], log(0.5) + log(1.0 / 1), 1e-6);
	kn_toks_free(&tk);
	kn_model_free(m);
}

/*
 * Logistic regression, one pass, no penalty, over two documents: "xe"
 * of class A and "ho" of class B.  D = 2 and each feature is in one
 * document, so idf = log 2 and each document's vector is its feature
 * with value 1.  The first document (of class y, feature f) is met with
 * every score 0: p = (1/2, 1/2), and a step of 0.5 along the gradient
 * p - onehot(y) gives w(f, y) = b(y) = 0.25, w(f, other) = b(other) =
 * -0.25.  The second (class y', feature f') is met with the biases
 * alone: p(y') = 1 / (1 + e^0.5), and its step gives w(f', y') =
 * 0.5 (1 - p(y')), b(y') = -0.25 + 0.5 (1 - p(y')), the opposite for
 * the other class.  The order of the two comes from the shuffle.
 */
static struct kn_model *
tiny_logreg(unsigned long epochs, double l2, unsigned long min_df)
{
	struct kn_model_params p;
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m;

	kn_model_params_init(&p, KN_LEARNER_LOGREG);
	p.epochs = epochs;
	p.l2 = l2;
	p.min_df = min_df;
	assert_non_null(m = kn_model_new(classes, 2, &p));
	toks(&tk, "Xe");
	assert_int_equal(kn_model_learn(m, 0, &tk), 0);
	toks(&tk, "hồ");
	assert_int_equal(kn_model_learn(m, 1, &tk), 0);
	assert_int_equal(kn_model_learn(m, 5, &tk), -1);
	assert_int_equal(kn_model_finish(m), 0);
	assert_int_equal(kn_model_learn(m, 0, &tk), -1);
	kn_toks_free(&tk);
	return m;
}

static void
test_logreg_hand_checked(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m = tiny_logreg(1, 0, 1);
	const float *xe, *ho, *first, *second;
	double s[2], q = 0.5 * (1 - 1 / (1 + exp(0.5))), b0, b1;
	size_t y;

	(void)state;
	assert_int_equal(kn_model_features(m), 2);
	assert_non_null(xe = kn_model_row(m, kn_hash64("xe", 2)));
	assert_non_null(ho = kn_model_row(m, kn_hash64("ho", 2)));
	/* Which came first?  Its weights are 0.25. */
	y = fabs(xe[0] - 0.25) < 1e-3 ? 0 : 1;
	first = y == 0 ? xe : ho;
	second = y == 0 ? ho : xe;
	assert_float_equal(first[y], 0.25, 1e-3);
	assert_float_equal(first[!y], -0.25, 1e-3);
	assert_float_equal(second[!y], q, 1e-3);
	assert_float_equal(second[y], -q, 1e-3);
	b0 = y == 0 ? 0.25 - q : -0.25 + q;
	b1 = -b0;
	/* "xe": the bias and xe's weights times x = 1. */
	toks(&tk, "xe");
	assert_int_equal(kn_model_score(m, &tk, s), 1);
	assert_float_equal(s[0], b0 + xe[0], 1e-3);
	assert_float_equal(s[1], b1 + xe[1], 1e-3);
	assert_true(s[0] > s[1]);
	/*
	 * "xe xe ho": x(xe) = log 3 log 2, x(ho) = log 2 log 2, scaled to
	 * length 1 (the pairs are unknown).
	 */
	toks(&tk, "xe xe ho");
	assert_int_equal(kn_model_score(m, &tk, s), 3);
	{
		double a = log(3), c = log(2), n = sqrt(a * a + c * c);

		assert_float_equal(s[0], b0 + (a * xe[0] + c * ho[0]) / n,
		    1e-3);
		assert_float_equal(s[1], b1 + (a * xe[1] + c * ho[1]) / n,
		    1e-3);
	}
	/* Nothing known: the bias alone. */
	toks(&tk, "zz");
	assert_int_equal(kn_model_score(m, &tk, s), 0);
	assert_float_equal(s[0], b0, 1e-3);
	kn_toks_free(&tk);
	kn_model_free(m);
}

/*
 * More passes learn the two apart (after the one pass above, the margin
 * of A over B on "xe" is at most 0.5); a penalty keeps the weights
 * small.
 */
static void
test_logreg_training(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m = tiny_logreg(50, 0, 1);
	struct kn_model *pen = tiny_logreg(50, 0.5, 1);
	struct kn_model *none = tiny_logreg(50, 0, 2);
	double s[2], t[2];

	(void)state;
	toks(&tk, "xe");
	kn_model_score(m, &tk, s);
	kn_model_score(pen, &tk, t);
	assert_true(s[0] - s[1] > 2.5);
	assert_true(t[0] > t[1]);
	assert_true(t[0] - t[1] < s[0] - s[1]);
	toks(&tk, "ho");
	kn_model_score(m, &tk, s);
	assert_true(s[1] - s[0] > 2.5);
	/* min_df 2: both features dropped. */
	assert_int_equal(kn_model_features(none), 0);
	assert_int_equal(kn_model_score(none, &tk, s), 0);
	kn_toks_free(&tk);
	kn_model_free(m);
	kn_model_free(pen);
	kn_model_free(none);
}

/* The same documents give the same model, byte for byte. */
static void
test_logreg_deterministic(void **state)
{
	static const char *const texts[] = {
		"kiểm tra nồng độ cồn", "xe vi phạm tốc độ", "tuần tra xe",
		"cấp kinh phí", "thanh toán kinh phí", "kinh phí tuần tra",
	};
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m[2];
	char *buf[2];
	size_t len[2], i, k;
	FILE *fp;

	(void)state;
	for (k = 0; k < 2; k++) {
		assert_non_null(m[k] = kn_model_new(classes, 2, NULL));
		for (i = 0; i < 6; i++) {
			toks(&tk, texts[i]);
			assert_int_equal(kn_model_learn(m[k], i / 3, &tk), 0);
		}
		assert_int_equal(kn_model_finish(m[k]), 0);
		assert_non_null(fp = open_memstream(&buf[k], &len[k]));
		assert_int_equal(kn_model_save(m[k], fp), 0);
		fclose(fp);
	}
	assert_int_equal(len[0], len[1]);
	assert_memory_equal(buf[0], buf[1], len[0]);
	assert_non_null(strstr(buf[0], "\nlearner logistic-regression\n"));
	/*
	 * min-df 2 by default: do, kinh, "kinh phi", phi, tra, tuan,
	 * "tuan tra", xe.
	 */
	assert_non_null(strstr(buf[0], "\nfeatures 8\ndo\t2\t"));
	for (k = 0; k < 2; k++) {
		free(buf[k]);
		kn_model_free(m[k]);
	}
	kn_toks_free(&tk);
}

static void
test_explain(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m = tiny_nb(1);
	struct kn_model_term t[3];
	size_t n;

	(void)state;
	/* In favour of A over B: xe twice (2 log 3), "xe xe" (log 2). */
	toks(&tk, "so xe xe");
	assert_int_equal(n = kn_model_explain(m, &tk, 0, 1, t, 3), 2);
	assert_int_equal(t[0].off, 3);
	assert_int_equal(t[0].len, 2);
	assert_float_equal(t[0].weight, 2 * log(3), 1e-5);
	assert_int_equal(t[1].off, 3);
	assert_int_equal(t[1].len, 5);	/* "xe xe" */
	assert_float_equal(t[1].weight, log(2), 1e-5);
	assert_int_equal(kn_model_explain(m, &tk, 0, 1, t, 1), 1);
	assert_int_equal(t[0].len, 2);
	/* In favour of B: so (log 2), then nothing else. */
	assert_int_equal(kn_model_explain(m, &tk, 1, 0, t, 3), 1);
	assert_int_equal(t[0].off, 0);
	assert_int_equal(kn_model_explain(m, &tk, 1, 1, t, 3), 0);
	kn_toks_free(&tk);
	kn_model_free(m);
}

static const char saved_nb[] =
    "kn-classify-model 2\n"
    "# multinomial naive Bayes over folded syllable unigrams and bigrams;\n"
    "# see kn-classify(1).  Each feature line: the feature, a tab, its "
    "count\n# in each field, in the order of the fields line.\n"
    "learner naive-bayes\n"
    "fields A B\n"
    "documents 1 1\n"
    "alpha 1\n"
    "min-count 1\n"
    "temperature 6\n"
    "lexicon-weight 1.5\n"
    "features 5\n"
    "ho\t0 1\n"
    "ho so\t0 1\n"
    "so\t0 1\n"
    "xe\t2 0\n"
    "xe xe\t1 0\n";

/* The format of version 1: naive Bayes, no learner line. */
static const char version1[] =
    "kn-classify-model 1\n"
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

/* A logistic regression written by hand: D = 4, idf(xe) = log 4. */
static const char logreg[] =
    "kn-classify-model 2\n"
    "learner logistic-regression\n"
    "fields A B\n"
    "documents 2 2\n"
    "l2 0.001\n"
    "epochs 3\n"
    "min-df 1\n"
    "temperature 0.5\n"
    "lexicon-weight 2\n"
    "bias 0.5 -0.5\n"
    "features 3\n"
    "ho\t2\t-1 1\n"
    "xe\t1\t2 -2\n"
    "xe ho\t4\t3 3\n";

static char *
saved(const struct kn_model *m)
{
	char *buf;
	size_t len;
	FILE *fp;

	assert_non_null(fp = open_memstream(&buf, &len));
	assert_int_equal(kn_model_save(m, fp), 0);
	fclose(fp);
	return buf;
}

static void
test_save_load(void **state)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model *m = tiny_nb(1), *l;
	struct kn_error err;
	char *path, *buf;
	double a[2], b[2], x, h;

	(void)state;
	buf = saved(m);
	assert_string_equal(buf, saved_nb);
	free(buf);

	path = knt_tmpfile(saved_nb);
	kn_error_clear(&err);
	assert_non_null(l = kn_model_load(path, &err));
	assert_int_equal(kn_model_params(l)->learner, KN_LEARNER_NB);
	assert_float_equal(kn_model_params(l)->alpha, 1, 0);
	assert_float_equal(kn_model_params(l)->temperature, 6, 0);
	assert_int_equal(kn_model_features(l), 5);
	toks(&tk, "xe xe ho so mới");
	kn_model_score(m, &tk, a);
	kn_model_score(l, &tk, b);
	assert_true(a[0] == b[0] && a[1] == b[1]);
	unlink(path);
	free(path);
	kn_model_free(l);

	/* Version 1 reads as the same naive Bayes. */
	path = knt_tmpfile(version1);
	assert_non_null(l = kn_model_load(path, &err));
	kn_model_score(l, &tk, b);
	assert_true(a[0] == b[0] && a[1] == b[1]);
	buf = saved(l);
	assert_string_equal(buf, saved_nb);
	free(buf);
	unlink(path);
	free(path);
	kn_model_free(l);

	/*
	 * Logistic regression from the file: "xe ho": x(xe) = log 2 *
	 * log 4, x(ho) = log 2 * log 2, x("xe ho") = log 2 * log 1 = 0;
	 * length 1.
	 */
	path = knt_tmpfile(logreg);
	assert_non_null(l = kn_model_load(path, &err));
	assert_int_equal(kn_model_params(l)->learner, KN_LEARNER_LOGREG);
	assert_float_equal(kn_model_params(l)->l2, 0.001, 0);
	assert_int_equal(kn_model_params(l)->epochs, 3);
	assert_int_equal(kn_model_params(l)->min_df, 1);
	assert_float_equal(kn_model_params(l)->lexicon_weight, 2, 0);
	toks(&tk, "xe ho");
	assert_int_equal(kn_model_score(l, &tk, b), 3);
	x = log(4) / sqrt(log(4) * log(4) + log(2) * log(2));
	h = log(2) / sqrt(log(4) * log(4) + log(2) * log(2));
	assert_float_equal(b[0], 0.5 + 2 * x - h, 1e-6);
	assert_float_equal(b[1], -0.5 - 2 * x + h, 1e-6);
	buf = saved(l);
	assert_non_null(strstr(buf, "\nlearner logistic-regression\n"
	    "fields A B\ndocuments 2 2\nl2 0.001\nepochs 3\nmin-df 1\n"
	    "temperature 0.5\nlexicon-weight 2\nbias 0.5 -0.5\nfeatures 3\n"
	    "ho\t2\t-1 1\nxe\t1\t2 -2\nxe ho\t4\t3 3\n"));
	free(buf);
	unlink(path);
	free(path);
	kn_model_free(l);
	kn_toks_free(&tk);
	kn_model_free(m);
}

/* Loading text must fail at line, with a message containing what. */
static void
bad(const char *text, long line, const char *what)
{
	struct kn_error err;
	char *path = knt_tmpfile(text);

	kn_error_clear(&err);
	assert_null(kn_model_load(path, &err));
	if (line != err.line || strstr(err.text, what) == NULL)
		fail_msg("line %ld \"%s\", expected line %ld \"%s\"",
		    err.line, err.text, line, what);
	unlink(path);
	free(path);
}

#define LR "kn-classify-model 2\nlearner logistic-regression\nfields A B\n" \
	"documents 1 1\n"

static void
test_bad_files(void **state)
{
	struct kn_error err;

	(void)state;
	bad("", 0, "not a kn-classify model");
	bad("kn-classify-model 3\n", 1, "version");
	bad("kn-classify-model 1\ndocuments 1\n", 2, "fields line first");
	bad("kn-classify-model 2\nlearner svm\n", 2, "unknown learner");
	bad("kn-classify-model 1\nlearner naive-bayes\n", 2,
	    "fields line first");
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
	bad(LR "features 0\n", 5, "no bias line");
	bad(LR "bias 1\n", 5, "one bias per field");
	bad(LR "bias 1 2 3\n", 5, "more biases than fields");
	bad(LR "l2 -1\n", 5, "not be negative");
	bad(LR "bias 0 0\nfeatures 1\nxe\t1 0\n", 7, "number of documents");
	bad(LR "bias 0 0\nfeatures 1\nxe\t3\t1 0\n", 7,
	    "number of documents");
	bad(LR "bias 0 0\nfeatures 1\nxe\t0\t1 0\n", 7,
	    "number of documents");
	bad(LR "bias 0 0\nfeatures 1\nxe\t1\t1\n", 7, "one weight per field");
	bad(LR "bias 0 0\nfeatures 1\nxe\t1\t1 x\n", 7,
	    "one weight per field");
	bad(LR "bias 0 0\nfeatures 1\nxe\t1\t1 2 3\n", 7,
	    "more weights than fields");
	kn_error_clear(&err);
	assert_null(kn_model_load("/nonexistent/model.txt", &err));
	assert_int_equal(err.code, KN_EIO);
}

static void
test_params(void **state)
{
	struct kn_model_params p;

	(void)state;
	kn_model_params_init(&p, KN_LEARNER_LOGREG);
	assert_int_equal(p.learner, KN_LEARNER_LOGREG);
	assert_float_equal(p.l2, KN_LOGREG_L2, 0);
	assert_int_equal(p.epochs, KN_LOGREG_EPOCHS);
	assert_int_equal(p.min_df, KN_LOGREG_MIN_DF);
	assert_float_equal(p.temperature, KN_LOGREG_TEMPERATURE, 0);
	assert_float_equal(p.lexicon_weight, KN_LOGREG_LEXICON_WEIGHT, 0);
	kn_model_params_init(&p, KN_LEARNER_NB);
	assert_float_equal(p.alpha, KN_NB_ALPHA, 0);
	assert_float_equal(p.temperature, KN_NB_TEMPERATURE, 0);
	assert_float_equal(p.lexicon_weight, KN_NB_LEXICON_WEIGHT, 0);
	assert_int_equal(p.min_count, KN_NB_MIN_COUNT);
	assert_null(kn_model_new(classes, 0, NULL));
	assert_int_equal(kn_learner_parse("nb"), KN_LEARNER_NB);
	assert_int_equal(kn_learner_parse("logistic-regression"),
	    KN_LEARNER_LOGREG);
	assert_int_equal(kn_learner_parse("svm"), -1);
	assert_string_equal(kn_learner_name(KN_LEARNER_NB), "naive-bayes");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nb_hand_checked),
		cmocka_unit_test(test_nb_min_count),
		cmocka_unit_test(test_logreg_hand_checked),
		cmocka_unit_test(test_logreg_training),
		cmocka_unit_test(test_logreg_deterministic),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_save_load),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
