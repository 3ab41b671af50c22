/* test_confusion.c: accuracy, F1, the confusion matrix and reports. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "kn/kn.h"
#include "kn/confusion.h"

static struct kn_field three[] = {
	{ "traffic", "Giao thông", "Traffic", "" },
	{ "finance", "Tài chính", "Finance", "" },
	{ "other", "Khác", "Other", "" },
};
static const struct kn_fields fs = { three, 3 };

/*
 * Truth -> given: traffic -> traffic twice (one typed without
 * diacritics), traffic -> finance, finance -> finance (unaccented,
 * needing review), other -> traffic.  Rows: [2 1 0] [0 1 0] [1 0 0].
 */
static struct kn_confusion *
sample(void)
{
	struct kn_confusion *cm;

	assert_non_null(cm = kn_confusion_new(3));
	kn_confusion_add(cm, 0, 0, 1, 0);
	kn_confusion_add(cm, 0, 0, 0, 0);
	kn_confusion_add(cm, 0, 1, 0, 0);
	kn_confusion_add(cm, 1, 1, 1, 1);
	kn_confusion_add(cm, 2, 0, 0, 0);
	kn_confusion_add(cm, 7, 0, 0, 0);	/* out of range: ignored */
	return cm;
}

static void
test_figures(void **state)
{
	struct kn_confusion *cm = sample();
	struct kn_class_score s;
	unsigned long n, c;

	(void)state;
	assert_int_equal(kn_confusion_total(cm), 5);
	assert_int_equal(kn_confusion_correct(cm), 3);
	assert_int_equal(kn_confusion_cell(cm, 0, 1), 1);
	assert_int_equal(kn_confusion_cell(cm, 2, 0), 1);
	assert_int_equal(kn_confusion_cell(cm, 3, 0), 0);
	assert_float_equal(kn_confusion_accuracy(cm), 0.6, 1e-12);
	assert_float_equal(kn_confusion_unaccented(cm, &n, &c), 1.0, 1e-12);
	assert_int_equal(n, 2);
	assert_int_equal(c, 2);
	kn_confusion_class(cm, 0, &s);	/* 2 right of 3 given, of 3 true */
	assert_float_equal(s.precision, 2.0 / 3, 1e-12);
	assert_float_equal(s.recall, 2.0 / 3, 1e-12);
	assert_float_equal(s.f1, 2.0 / 3, 1e-12);
	kn_confusion_class(cm, 1, &s);	/* 1 of 2 given, 1 of 1 true */
	assert_float_equal(s.precision, 0.5, 1e-12);
	assert_float_equal(s.recall, 1, 1e-12);
	assert_float_equal(s.f1, 2.0 / 3, 1e-12);
	kn_confusion_class(cm, 2, &s);	/* never given */
	assert_int_equal(s.support, 1);
	assert_int_equal(s.predicted, 0);
	assert_float_equal(s.f1, 0, 0);
	assert_float_equal(kn_confusion_macro_f1(cm), 4.0 / 9, 1e-12);
	kn_confusion_free(cm);
	kn_confusion_free(NULL);
	assert_null(kn_confusion_new(0));
}

static void
test_macro_skips_absent(void **state)
{
	struct kn_confusion *cm;

	(void)state;
	assert_non_null(cm = kn_confusion_new(3));
	kn_confusion_add(cm, 0, 0, 0, 0);
	kn_confusion_add(cm, 1, 0, 0, 0);
	/* other occurs neither way: the mean is over traffic and finance. */
	assert_float_equal(kn_confusion_macro_f1(cm), (2.0 / 3 + 0) / 2,
	    1e-12);
	kn_confusion_free(cm);
}

static void
test_json(void **state)
{
	struct kn_confusion *cm = sample();
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	assert_int_equal(kn_confusion_report(cm, &fs, 1, &b), 0);
	assert_string_equal(b.data, "{\"records\":5,\"correct\":3,"
	    "\"accuracy\":0.600,\"macro_f1\":0.444,\"unaccented\":"
	    "{\"records\":2,\"correct\":2,\"accuracy\":1.000},"
	    "\"needs_review\":1,\"fields\":["
	    "{\"field\":\"traffic\",\"precision\":0.667,\"recall\":0.667,"
	    "\"f1\":0.667,\"support\":3,\"predicted\":3},"
	    "{\"field\":\"finance\",\"precision\":0.500,\"recall\":1.000,"
	    "\"f1\":0.667,\"support\":1,\"predicted\":2},"
	    "{\"field\":\"other\",\"precision\":0.000,\"recall\":0.000,"
	    "\"f1\":0.000,\"support\":1,\"predicted\":0}],"
	    "\"confusion\":{\"fields\":[\"traffic\",\"finance\",\"other\"],"
	    "\"matrix\":[[2,1,0],[0,1,0],[1,0,0]]}}\n");
	kn_buf_free(&b);
	kn_confusion_free(cm);
}

static void
test_text(void **state)
{
	struct kn_confusion *cm = sample();
	struct kn_buf b = KN_BUF_INIT;
	struct kn_fields two = { three, 2 };

	(void)state;
	assert_int_equal(kn_confusion_report(cm, &fs, 0, &b), 0);
	assert_non_null(strstr(b.data, "Tỷ lệ đúng (accuracy):         "
	    "0.600 (3/5)\n"));
	assert_non_null(strstr(b.data, "Tỷ lệ đúng, phần không dấu:    "
	    "1.000 (2/2)\n"));
	assert_non_null(strstr(b.data, "Macro-F1:                      "
	    "0.444\n"));
	assert_non_null(strstr(b.data, "finance              0.500     "
	    "1.000   0.667       1         2  Tài chính\n"));
	assert_non_null(strstr(b.data, " 3  other            1   .   .\n"));
	/* A taxonomy of another size is refused. */
	assert_int_equal(kn_confusion_report(cm, &two, 0, &b), -1);
	kn_buf_free(&b);
	kn_confusion_free(cm);
}

static void
test_thresholds(void **state)
{
	static const struct kn_scored s[] = {
		{ 0, 0, 0.9 },	/* right, confident */
		{ 1, 0, 0.3 },	/* wrong, unsure */
		{ 2, 1, 0.2 },	/* truly other, unsure */
		{ 1, 1, 0.6 },
	};
	struct kn_buf b = KN_BUF_INIT;

	(void)state;
	assert_int_equal(kn_threshold_report(s, 4, 2, 1, &b), 0);
	/* At 0: all automatic, 2 right.  At 0.5: 2 automatic, both right;
	 * the unsure "other" counts as right: 3 of 4. */
	assert_non_null(strstr(b.data, "{\"min_confidence\":0.00,"
	    "\"automatic\":1.000,\"automatic_accuracy\":0.500,"
	    "\"accuracy\":0.500}"));
	assert_non_null(strstr(b.data, "{\"min_confidence\":0.50,"
	    "\"automatic\":0.500,\"automatic_accuracy\":1.000,"
	    "\"accuracy\":0.750}"));
	assert_non_null(strstr(b.data, "{\"min_confidence\":0.95,"
	    "\"automatic\":0.000,\"automatic_accuracy\":0.000,"
	    "\"accuracy\":0.250}]}\n"));
	kn_buf_reset(&b);
	assert_int_equal(kn_threshold_report(s, 4, 2, 0, &b), 0);
	assert_non_null(strstr(b.data, "          0.50    0.500           "
	    "1.000          0.750\n"));
	kn_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_figures),
		cmocka_unit_test(test_macro_skips_absent),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_thresholds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
