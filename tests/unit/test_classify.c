/* test_classify.c: the lexicon, its matcher, and the combination. */
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
#include "kn/classify.h"

static char dir[] = "/tmp/kn-test-classify-XXXXXX";
static char fields_csv[64], abbrev_csv[64], lexicon_csv[64], other_csv[64];

static void
put(char *path, const char *name, const char *text)
{
	FILE *fp;

	snprintf(path, 64, "%s/%s", dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	fclose(fp);
}

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	put(fields_csv, "fields.csv", "code,label\n"
	    "traffic,Giao thông\nfinance,Tài chính\nother,Khác\n");
	put(abbrev_csv, "abbrev.csv", "abbrev,expansion,case\n"
	    "CAX,công an xã,\nCAP,công an phường,exact\n");
	put(lexicon_csv, "lexicon.csv", "field,phrase,weight\n"
	    "traffic,nồng độ cồn,3\n"
	    "traffic,xe,0.5\n"
	    "finance,kinh phí,2\n"
	    "finance,kinh phí mua xe,1\n"
	    "traffic,lưu trú,1\n"
	    "finance,lưu trữ,1.5\n"
	    "finance,CAX,0.25\n"
	    "other,cảm ơn,-1\n"
	    "-,hướng dẫn,0\n"
	    "finance,dẫn giải,1\n");
	put(other_csv, "other.csv", "code,label\ntraffic,Giao thông\n");
	return 0;
}

static int
teardown(void **state)
{
	char path[64];

	(void)state;
	unlink(fields_csv);
	unlink(abbrev_csv);
	unlink(lexicon_csv);
	unlink(other_csv);
	snprintf(path, sizeof(path), "%s/bad.csv", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* A classifier over the files above with a model learnt from docs. */
static struct kn_classifier *
classifier(double min_conf)
{
	static const char *const docs[][2] = {
		{ "traffic", "kiểm tra nồng độ cồn người lái xe" },
		{ "traffic", "xe vi phạm tốc độ" },
		{ "finance", "cấp kinh phí mua sắm" },
		{ "finance", "thanh toán kinh phí" },
		{ "other", "xin cảm ơn" },
	};
	struct kn_classify_opts o;
	struct kn_classifier *c;
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_model_params p;
	struct kn_error err;
	const char *names[3];
	struct kn_model *m;
	size_t i;

	memset(&o, 0, sizeof(o));
	o.fields = fields_csv;
	o.abbrev = abbrev_csv;
	o.lexicon = lexicon_csv;
	o.no_model = 1;
	o.min_confidence = min_conf;
	kn_error_clear(&err);
	c = kn_classifier_new(&o, &err);
	if (c == NULL)
		fail_msg("%s:%ld: %s", err.source, err.line, err.text);
	assert_int_equal(kn_classifier_lexicon_size(c), 10);
	assert_null(kn_classifier_model(c));
	for (i = 0; i < 3; i++)
		names[i] = kn_classifier_fields(c)->f[i].code;
	/* Naive Bayes: hand-checkable, and every feature of these few. */
	kn_model_params_init(&p, KN_LEARNER_NB);
	p.min_count = 1;
	assert_non_null(m = kn_model_new(names, 3, &p));
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		assert_int_equal(kn_classify_tokens(c, &tk, NULL, docs[i][1]),
		    0);
		assert_int_equal(kn_model_learn(m, (size_t)kn_fields_find(
		    kn_classifier_fields(c), docs[i][0]), &tk), 0);
	}
	assert_int_equal(kn_model_finish(m), 0);
	assert_int_equal(kn_classifier_set_model(c, m, &err), 0);
	kn_toks_free(&tk);
	return c;
}

/* The lexicon evidence of the classification, as "term/field/weight". */
static void
lexicon_of(const struct kn_classifier *c, const struct kn_classification *k,
    char *buf, size_t size)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < k->nevidence; i++) {
		const struct kn_evidence *e = &k->evidence[i];

		if (e->source != KN_EVIDENCE_LEXICON)
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s/%s/%g",
		    n ? " " : "", e->term,
		    kn_classifier_fields(c)->f[e->field].code, e->weight);
	}
}

static void
check_lexicon(struct kn_classifier *c, const char *text, const char *want)
{
	struct kn_classification k;
	char got[512];

	assert_int_equal(kn_classify_text(c, NULL, text, 1, &k), 0);
	lexicon_of(c, &k, got, sizeof(got));
	assert_string_equal(got, want);
}

static void
test_lexicon(void **state)
{
	struct kn_classifier *c = classifier(-1);

	(void)state;
	/* Weights shown are W x weight x times found, W = 1.5. */
	check_lexicon(c, "Kiểm tra NỒNG ĐỘ CỒN", "nồng độ cồn/traffic/4.5");
	check_lexicon(c, "kiem tra nong do con, nong do con",
	    "nồng độ cồn/traffic/9");
	/* Leftmost-longest, no overlap: not "kinh phí", not "xe". */
	check_lexicon(c, "kinh phi mua xe", "kinh phí mua xe/finance/1.5");
	check_lexicon(c, "kinh phí mua sắm xe",
	    "kinh phí/finance/3 xe/traffic/0.75");
	/* On syllable boundaries only. */
	check_lexicon(c, "xem xet", "");
	/* Phrases that fold alike count for each of their fields. */
	check_lexicon(c, "hồ sơ lưu trữ", "lưu trữ/finance/2.25 "
	    "lưu trú/traffic/1.5");
	/* Abbreviations expand on both sides. */
	check_lexicon(c, "Công an xã đề nghị", "CAX/finance/0.375");
	check_lexicon(c, "CAX", "CAX/finance/0.375");
	/* Negative weights count against. */
	check_lexicon(c, "cam on", "cảm ơn/other/-1.5");
	/*
	 * A word of no field counts for nothing and keeps a phrase from
	 * starting inside it: no "dẫn giải" in "hướng dẫn giải quyết".
	 */
	check_lexicon(c, "hướng dẫn giải quyết", "");
	check_lexicon(c, "huong dan", "");
	check_lexicon(c, "dẫn giải đối tượng", "dẫn giải/finance/1.5");
	kn_classifier_free(c);
}

static void
test_combination(void **state)
{
	struct kn_classifier *c = classifier(-1);
	struct kn_model *m;
	struct kn_classification k;
	struct kn_toks tk = KN_TOKS_INIT;
	const char *text = "xe vi phạm nồng độ cồn, kinh phí";
	double nb[3], z[3], lex[3] = { 3 * 1 + 0.5, 2, 0 }, max, sum = 0;
	size_t i;

	(void)state;
	/* By hand: z = N / T + W L, then softmax. */
	m = kn_classifier_model(c);
	assert_int_equal(kn_classify_tokens(c, &tk, NULL, text), 0);
	kn_model_score(m, &tk, nb);
	max = -HUGE_VAL;
	for (i = 0; i < 3; i++) {
		z[i] = nb[i] / KN_NB_TEMPERATURE + KN_NB_LEXICON_WEIGHT *
		    lex[i];
		if (z[i] > max)
			max = z[i];
	}
	for (i = 0; i < 3; i++)
		sum += exp(z[i] - max);
	assert_int_equal(kn_classify_text(c, NULL, text, 0, &k), 0);
	assert_int_equal(k.field, 0);
	assert_int_equal(k.ntop, 3);
	assert_int_equal(k.ntokens, 8);
	assert_false(k.needs_review);
	for (i = 0; i < 3; i++)
		assert_float_equal(k.score[i], exp(z[k.top[i]] - max) / sum,
		    1e-9);
	assert_float_equal(k.confidence, k.score[0], 0);
	assert_true(k.score[0] >= k.score[1] && k.score[1] >= k.score[2]);
	assert_int_equal(k.nevidence, 0);	/* not asked for */
	/* Title and text are read as one. */
	assert_int_equal(kn_classify_text(c, "xe vi phạm", "nồng độ cồn, "
	    "kinh phí", 0, &k), 0);
	assert_float_equal(k.confidence, exp(z[0] - max) / sum, 1e-9);
	kn_toks_free(&tk);
	kn_classifier_free(c);
}

static void
test_explain_model(void **state)
{
	struct kn_classifier *c = classifier(-1);
	struct kn_classification k;
	size_t i, nmodel = 0;

	(void)state;
	assert_int_equal(kn_classify_text(c, NULL, "thanh toán kinh phí mua "
	    "sắm", 1, &k), 0);
	assert_string_equal(kn_classifier_fields(c)->f[k.field].code,
	    "finance");
	for (i = 0; i < k.nevidence; i++) {
		const struct kn_evidence *e = &k.evidence[i];

		if (e->source != KN_EVIDENCE_MODEL)
			continue;
		nmodel++;
		assert_int_equal(e->field, k.field);
		assert_true(e->weight > 0);
		if (i > 0 && k.evidence[i - 1].source == KN_EVIDENCE_MODEL)
			assert_true(k.evidence[i - 1].weight >= e->weight);
	}
	assert_true(nmodel > 0 && nmodel <= KN_CLASSIFY_MODEL_TERMS);
	kn_classifier_free(c);
}

static void
test_min_confidence(void **state)
{
	struct kn_classifier *c = classifier(0.99);
	struct kn_classification k;

	(void)state;
	assert_float_equal(kn_classifier_min_confidence(c), 0.99, 0);
	assert_int_equal(kn_classify_text(c, NULL, "xe", 0, &k), 0);
	assert_string_equal(kn_classifier_fields(c)->f[k.field].code,
	    "other");
	assert_true(k.needs_review);
	assert_true(k.confidence < 0.99);
	assert_string_equal(kn_classifier_fields(c)->f[k.top[0]].code,
	    "traffic");
	/* Nothing to go on: other, needing review. */
	kn_classifier_free(c);
	c = classifier(-1);
	assert_int_equal(kn_classify_text(c, NULL, "", 0, &k), 0);
	assert_int_equal(k.ntokens, 0);
	assert_true(k.needs_review);
	assert_string_equal(kn_classifier_fields(c)->f[k.field].code,
	    "other");
	kn_classifier_free(c);
}

static void
test_record(void **state)
{
	struct kn_classifier *c = classifier(-1);
	struct kn_record *r;
	struct kn_buf b = KN_BUF_INIT;
	struct kn_error err;
	const char *s;

	(void)state;
	kn_error_clear(&err);
	s = "{\"id\":\"x1\",\"text\":\"nong do con\",\"field\":\"old\","
	    "\"extra\":[1]}";
	assert_non_null(r = kn_record_from_json(s, strlen(s), &err));
	assert_int_equal(kn_classify_record(c, r, 0, NULL), 0);
	assert_int_equal(kn_record_to_json(r, &b), 0);
	/* field replaced where it was; the others appended in order. */
	assert_non_null(strstr(b.data, "{\"id\":\"x1\",\"text\":\"nong do "
	    "con\",\"field\":\"traffic\",\"extra\":[1],\"confidence\":0."));
	assert_non_null(strstr(b.data, ",\"fields\":[{\"field\":\"traffic\","
	    "\"score\":0."));
	assert_non_null(strstr(b.data, "\"needs_review\":false}"));
	assert_null(strstr(b.data, "evidence"));
	kn_record_free(r);

	s = "{\"title\":\"kinh phí\",\"text\":7}";
	assert_non_null(r = kn_record_from_json(s, strlen(s), &err));
	assert_int_equal(kn_classify_record(c, r, 1, NULL), 0);
	kn_buf_reset(&b);
	assert_int_equal(kn_record_to_json(r, &b), 0);
	assert_non_null(strstr(b.data, "\"field\":\"finance\""));
	assert_non_null(strstr(b.data, "\"evidence\":[{\"term\":\"kinh phí\","
	    "\"field\":\"finance\",\"weight\":3.0,\"source\":\"lexicon\"}"));
	kn_record_free(r);
	kn_buf_free(&b);
	kn_classifier_free(c);
}

/* Loading must fail with a message containing what, at line. */
static void
bad_lexicon(const char *text, long line, const char *what)
{
	struct kn_classify_opts o;
	struct kn_error err;
	char path[64];

	put(path, "bad.csv", text);
	memset(&o, 0, sizeof(o));
	o.fields = fields_csv;
	o.abbrev = abbrev_csv;
	o.lexicon = path;
	o.no_model = 1;
	o.min_confidence = -1;
	kn_error_clear(&err);
	assert_null(kn_classifier_new(&o, &err));
	if (err.line != line || strstr(err.text, what) == NULL)
		fail_msg("line %ld \"%s\", expected line %ld \"%s\"",
		    err.line, err.text, line, what);
}

static void
test_bad_data(void **state)
{
	struct kn_classify_opts o;
	struct kn_classifier *c;
	struct kn_error err;
	const char *names[] = { "traffic", "crime" };
	const char *two[] = { "traffic", "finance" };

	(void)state;
	bad_lexicon("field,phrase,weight\ntraffic,xe,1\ncrime,ma túy,2\n", 3,
	    "not in the taxonomy");
	bad_lexicon("field,phrase,weight\ntraffic,xe,nhiều\n", 2,
	    "not a number");
	bad_lexicon("field,phrase,weight\ntraffic,xe,\n", 2, "not a number");
	bad_lexicon("field,phrase,weight\ntraffic,!!,1\n", 2,
	    "has no letters");
	bad_lexicon("field,phrase,weight\ntraffic,lưu trú,1\n"
	    "traffic,Luu tru,1\n", 3, "repeated");
	bad_lexicon("field,phrase\ntraffic,xe\n", 1, "weight");
	bad_lexicon("field,phrase,weight\n-,hướng dẫn,0\n"
	    "-,huong dan,0\n", 3, "repeated");
	bad_lexicon("field,phrase,weight\ntraffic,xe tải,1\n"
	    "-,xe tai,0\n", 3, "both a word of no field and a phrase");
	bad_lexicon("field,phrase,weight\n-,xe tải,0\n"
	    "traffic,xe tai,1\n", 3, "both a word of no field and a phrase");

	memset(&o, 0, sizeof(o));
	o.fields = other_csv;	/* no field "other" */
	o.no_model = 1;
	o.min_confidence = -1;
	kn_error_clear(&err);
	assert_null(kn_classifier_new(&o, &err));
	assert_non_null(strstr(err.text, "no field \"other\""));

	/* A model whose fields the taxonomy lacks, or lacking the
	 * lexicon's. */
	c = classifier(-1);
	kn_error_clear(&err);
	assert_int_equal(kn_classifier_set_model(c, kn_model_new(names, 2,
	    NULL), &err), -1);
	assert_non_null(strstr(err.text, "\"crime\" is not in the taxonomy"));
	assert_int_equal(kn_classifier_set_model(c, kn_model_new(two, 2, NULL),
	    &err), -1);
	assert_non_null(strstr(err.text, "lexicon's field \"other\""));
	assert_non_null(kn_classifier_model(c));	/* the old one stays */
	kn_classifier_free(c);
	kn_classifier_free(NULL);
}

static void
test_unaccented(void **state)
{
	(void)state;
	assert_true(kn_text_unaccented("de nghi cap xe", 14));
	assert_true(kn_text_unaccented("\xe2\x80\x9c" "CAX\xe2\x80\x9d "
	    "\xe2\x80\x93 100%", 18));
	assert_false(kn_text_unaccented("đề nghị", strlen("đề nghị")));
	assert_false(kn_text_unaccented("Dong A\xcc\x81", 8));	/* NFD */
	assert_false(kn_text_unaccented("Đ", 2));
	assert_true(kn_text_unaccented("", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lexicon),
		cmocka_unit_test(test_combination),
		cmocka_unit_test(test_explain_model),
		cmocka_unit_test(test_min_confidence),
		cmocka_unit_test(test_record),
		cmocka_unit_test(test_bad_data),
		cmocka_unit_test(test_unaccented),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
