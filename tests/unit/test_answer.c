/* test_answer.c: terms, the knowledge base index, BM25 scoring, eval. */
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
#include "kn/abbrev.h"
#include "kn/answer.h"
#include "knt.h"

static void
make_terms(struct kn_terms *t, const struct kn_abbrev *ab, const char *s)
{
	assert_int_equal(kn_terms_make(t, ab, s, strlen(s)), 0);
}

static void
test_terms(void **state)
{
	struct kn_terms a = KN_TERMS_INIT, b = KN_TERMS_INIT;
	struct kn_abbrev *ab;
	size_t i;

	(void)state;
	make_terms(&a, NULL, "xe máy, xe đạp");
	/* xe, may, xe, dap; "xe may", "may xe", "xe dap" */
	assert_int_equal(a.len, 7);
	assert_int_equal(a.n, 6);
	for (i = 0; i < a.n; i++)
		if (a.h[i] == kn_hash64("xe", 2))
			assert_int_equal(a.tf[i], 2);
	for (i = 1; i < a.n; i++)
		assert_true(a.h[i - 1] < a.h[i]);
	/* Diacritics, case and punctuation do not count. */
	make_terms(&b, NULL, "XE MAY - xe dap");
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.h, b.h, a.n * sizeof(*a.h));
	/* An abbreviation counts as what it stands for. */
	assert_non_null(ab = kn_abbrev_new());
	assert_int_equal(kn_abbrev_add(ab, "CAX", "công an xã"), 0);
	make_terms(&a, ab, "Đề nghị CAX hướng dẫn");
	make_terms(&b, NULL, "de nghi cong an xa huong dan");
	assert_int_equal(a.n, b.n);
	assert_memory_equal(a.h, b.h, a.n * sizeof(*a.h));
	make_terms(&a, NULL, " .,; ");
	assert_int_equal(a.n, 0);
	kn_terms_free(&a);
	kn_terms_free(&b);
	kn_abbrev_free(ab);
}

static struct kn_kb *
tiny_kb(void)
{
	struct kn_kb *kb;

	assert_non_null(kb = kn_kb_new(NULL));
	assert_int_equal(kn_kb_add(kb, "e1", "xe máy", "A1", "a", NULL), 0);
	assert_int_equal(kn_kb_add(kb, "e2", "xe đạp", "A2", "b", NULL), 0);
	assert_int_equal(kn_kb_build(kb, NULL), 0);
	return kb;
}

/*
 * By hand: N = 2, both entries 3 terms long (avgdl 3), so every posting
 * has the factor 2.2 / (1 + 1.2) = 1.  idf(xe) = ln(1 + 0.5/2.5) =
 * ln 1.2; idf(may) = idf("xe may") = ln(1 + 1.5/1.5) = ln 2; a term no
 * entry has: ln(1 + 2.5/0.5) = ln 6.
 */
static void
test_score_by_hand(void **state)
{
	struct kn_kb *kb = tiny_kb();
	struct kn_hit h;
	const struct kn_hit *hs;
	double l12 = log(1.2), l2 = log(2.0), l6 = log(6.0);

	(void)state;
	assert_int_equal(kn_kb_count(kb), 2);
	assert_int_equal(kn_kb_terms(kb), 5);
	assert_int_equal(kn_kb_best(kb, "xe may", 6, NULL, 0, &h), 1);
	assert_int_equal(h.entry, 0);
	assert_true(fabs(h.bm25 - (l12 + 2 * l2)) < 1e-6);
	assert_true(h.score == 1.0);	/* the query is the entry */
	assert_int_equal(kn_kb_rank(kb, "xe may", 6, NULL, &hs), 2);
	assert_int_equal(hs[1].entry, 1);
	assert_true(fabs(hs[1].bm25 - l12) < 1e-6);
	/* Half unknown: may / (may + bay + "may bay"). */
	assert_int_equal(kn_kb_best(kb, "máy bay", strlen("máy bay"), NULL,
	    0, &h), 1);
	assert_int_equal(h.entry, 0);
	assert_true(fabs(h.score - round(l2 / (l2 + 2 * l6) * 1000) /
	    1000) < 1e-9);
	assert_true(fabs(h.score - 0.162) < 1e-9);
	/* Nothing in common. */
	assert_int_equal(kn_kb_best(kb, "tàu thủy", strlen("tàu thủy"), NULL,
	    0, &h), 0);
	assert_int_equal(kn_kb_rank(kb, "tàu thủy", strlen("tàu thủy"), NULL,
	    &hs), 0);
	/* A tie goes to the entry loaded first, unless the field decides. */
	assert_int_equal(kn_kb_best(kb, "xe", 2, NULL, 0, &h), 1);
	assert_int_equal(h.entry, 0);
	assert_int_equal(kn_kb_best(kb, "xe", 2, "b", 0, &h), 1);
	assert_int_equal(h.entry, 1);
	assert_int_equal(kn_kb_rank(kb, "xe", 2, "b", &hs), 2);
	assert_true(fabs(hs[1].bm25 - l12 * KN_KB_FIELD_FACTOR) < 1e-6);
	/* A field no entry has: every entry with a field is another's. */
	assert_int_equal(kn_kb_best(kb, "xe", 2, "zzz", 0, &h), 1);
	assert_int_equal(h.entry, 0);
	assert_true(fabs(h.bm25 - l12 * KN_KB_FIELD_FACTOR) < 1e-6);
	/* Below min_score, no entry needs to be found. */
	assert_int_equal(kn_kb_best(kb, "máy bay", strlen("máy bay"), NULL,
	    0.5, &h), 0);
	assert_int_equal(kn_kb_best(kb, "máy bay", strlen("máy bay"), NULL,
	    0.162, &h), 1);
	assert_string_equal(kn_kb_id(kb, 1), "e2");
	assert_string_equal(kn_kb_answer(kb, 1), "A2");
	assert_string_equal(kn_kb_field(kb, 1), "b");
	assert_int_equal(kn_kb_find(kb, "e2"), 1);
	assert_int_equal(kn_kb_find(kb, "e3"), -1);
	kn_kb_free(kb);
}

static void
test_add_errors(void **state)
{
	struct kn_kb *kb;
	struct kn_error err;

	(void)state;
	assert_non_null(kb = kn_kb_new(NULL));
	assert_int_equal(kn_kb_add(kb, "x", "câu hỏi", "trả lời", NULL, NULL),
	    0);
	kn_error_clear(&err);
	assert_int_equal(kn_kb_add(kb, "x", "khác", "khác", NULL, &err), -1);
	assert_int_equal(err.code, KN_EDUP);
	assert_non_null(strstr(err.text, "\"x\""));
	assert_int_equal(kn_kb_build(kb, NULL), 0);
	assert_int_equal(kn_kb_add(kb, "y", "a", "b", NULL, &err), -1);
	assert_string_equal(kn_kb_field(kb, 0), "");
	kn_kb_free(kb);
	kn_kb_free(NULL);
}

static void
test_load(void **state)
{
	struct kn_kb *kb;
	struct kn_error err;
	char *jl, *csv, *bad;

	(void)state;
	jl = knt_tmpfile("{\"id\":\"k1\",\"question\":\"Cấp xe ô tô\",\"answer\":"
	    "\"Đã cấp\",\"field\":\"equipment\"}\n"
	    "{\"id\":7,\"question\":\"Biên chế\",\"answer\":\"Đã bổ sung\"}\n");
	csv = knt_tmpfile("id,question,answer,field\n"
	    "k3,Tập huấn,Đã tổ chức,personnel\n");
	bad = knt_tmpfile("id,question,answer\nk4,,Trả lời\n");
	assert_non_null(kb = kn_kb_new(NULL));
	kn_error_clear(&err);
	assert_int_equal(kn_kb_load(kb, jl, NULL, &err), 0);
	assert_int_equal(kn_kb_load(kb, csv, NULL, &err), 0);
	assert_int_equal(kn_kb_count(kb), 3);
	assert_int_equal(kn_kb_find(kb, "7"), 1);
	assert_int_equal(kn_kb_load(kb, bad, NULL, &err), -1);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.text, "question"));
	/* The same file twice: its ids are repeated. */
	assert_int_equal(kn_kb_load(kb, csv, NULL, &err), -1);
	assert_int_equal(err.code, KN_EDUP);
	assert_int_equal(err.line, 2);
	kn_kb_free(kb);
	unlink(jl);
	unlink(csv);
	unlink(bad);
	free(jl);
	free(csv);
	free(bad);
}

/* A text of n words drawn from a small vocabulary, Zipf-like. */
static void
random_text(char *buf, size_t size, int n, unsigned *seed)
{
	static const char *const w[] = { "công", "an", "xã", "đề", "nghị",
	    "hướng", "dẫn", "cấp", "xe", "máy", "tính", "biên", "chế", "hồ",
	    "sơ", "tố", "giác", "tin", "báo", "ma", "túy", "cháy", "rừng",
	    "dân", "phòng", "trụ", "sở", "kinh", "phí", "tập", "huấn" };
	size_t len = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		unsigned r = (unsigned)rand_r(seed);
		size_t k = (r % 31) * ((r >> 8) % 31) / 31;

		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? " " : "", w[k]);
	}
}

/*
 * A long text over a large vocabulary: the Zipf-like words above and
 * numbered ones, so that entries hold many terms, most lists are short
 * and the entries' signatures fill up.
 */
static void
random_long_text(char *buf, size_t size, int n, unsigned *seed)
{
	size_t len = 0;
	int i;

	random_text(buf, size, n / 2, seed);
	len = strlen(buf);
	for (i = 0; i < n - n / 2 && len + 16 < size; i++) {
		unsigned r = (unsigned)rand_r(seed);

		len += (size_t)snprintf(buf + len, size - len, " w%u",
		    (r % 2000) * ((r >> 11) % 2000) / 2000);
	}
}

/* The pruned search finds exactly what scoring every entry finds. */
static void
check_best_is_exhaustive(int nentries, int nqueries, int longer)
{
	static const char *const fields[] = { "a", "b", "c", "" };
	struct kn_kb *kb;
	char id[32], q[2048], a[2048];
	unsigned seed = 12345;
	int i, found = 0;

	assert_non_null(kb = kn_kb_new(NULL));
	for (i = 0; i < nentries; i++) {
		snprintf(id, sizeof(id), "e%d", i);
		if (longer)
			random_long_text(q, sizeof(q), 20 + rand_r(&seed) % 120,
			    &seed);
		else
			random_text(q, sizeof(q), 3 + rand_r(&seed) % 20,
			    &seed);
		assert_int_equal(kn_kb_add(kb, id, q, "x", fields[i % 4],
		    NULL), 0);
	}
	assert_int_equal(kn_kb_build(kb, NULL), 0);
	for (i = 0; i < nqueries; i++) {
		const char *f = i % 5 == 4 ? NULL : fields[i % 4];
		double ms = i % 3 == 0 ? 0 : 0.3;
		const struct kn_hit *hs;
		struct kn_hit h;
		long n;
		int rc;

		if (longer)
			random_long_text(a, sizeof(a), 10 + rand_r(&seed) % 90,
			    &seed);
		else
			random_text(a, sizeof(a), 2 + rand_r(&seed) % 30,
			    &seed);
		n = kn_kb_rank(kb, a, strlen(a), f, &hs);
		assert_true(n >= 0);
		rc = kn_kb_best(kb, a, strlen(a), f, ms, &h);
		if (n == 0 || hs[0].score < ms) {
			assert_int_equal(rc, 0);
			continue;
		}
		assert_int_equal(rc, 1);
		assert_int_equal(h.entry, hs[0].entry);
		assert_true(h.bm25 == hs[0].bm25);
		assert_true(h.score == hs[0].score);
		if (n > 1)
			assert_true(hs[0].bm25 >= hs[1].bm25);
		found++;
	}
	assert_true(found > nqueries / 4);
	kn_kb_free(kb);
}

static void
test_best_is_exhaustive(void **state)
{
	(void)state;
	check_best_is_exhaustive(3000, 400, 0);
	check_best_is_exhaustive(4000, 300, 1);
}

static void
test_eval(void **state)
{
	/* answerable, right, score, rr */
	struct kn_eval_item it[] = {
		{ 1, 1, 0.50, 1.0 },
		{ 1, 1, 0.30, 1.0 },
		{ 1, 0, 0.25, 0.5 },	/* right entry ranked second */
		{ 1, 1, 0.12, 1.0 },
		{ 0, 0, 0.20, 0.0 },
		{ 0, 0, 0.10, 0.0 },
		{ 0, 0, 0.00, 0.0 },	/* nothing shared a term */
	};
	struct kn_eval_figures f;
	double th, ths[2];

	(void)state;
	kn_eval_measure(it, 7, 0.15, &f);
	assert_int_equal(f.nans, 4);
	assert_int_equal(f.nun, 3);
	assert_int_equal(f.ranked, 3);
	assert_int_equal(f.right, 2);
	assert_int_equal(f.wrong, 1);
	assert_int_equal(f.missed, 1);
	assert_int_equal(f.abstained, 2);
	assert_true(fabs(f.mrr - 3.5 / 4) < 1e-12);
	/*
	 * right/4 + abstained/3 is best (2/4 + 3/3) from 0.20 to 0.30: the
	 * candidates there are the midpoints 0.225 and 0.275, and of two
	 * the second is taken.
	 */
	th = kn_eval_threshold(it, 7);
	assert_true(fabs(th - 0.275) < 1e-12);
	assert_int_equal(kn_eval_cv(it, 7, 2, ths, &f), 0);
	assert_int_equal(f.n, 7);
	assert_int_equal(f.nans + f.nun, 7);
	assert_int_equal(kn_eval_cv(it, 7, 1, ths, &f), -1);
}

/*
 * A suggestion already in a record is replaced only by a strictly
 * better one, whatever knowledge base each came from.
 */
static void
test_suggestion(void **state)
{
	struct kn_record *r;
	struct kn_kb *kb;
	struct kn_hit h;
	double v;

	(void)state;
	assert_non_null(kb = kn_kb_new(NULL));
	assert_int_equal(kn_kb_add(kb, "kb-1", "xe ô tô", "Đã cấp", NULL,
	    NULL), 0);
	assert_int_equal(kn_kb_build(kb, NULL), 0);
	h.entry = 0;
	h.bm25 = 1;
	assert_non_null(r = kn_record_new());
	/* None yet: given. */
	assert_int_equal(kn_suggestion_score(r, &v), 0);
	h.score = 0.5;
	assert_int_equal(kn_suggestion_apply(r, kb, &h), 1);
	assert_string_equal(kn_record_strz(r, "answer_id"), "kb-1");
	assert_string_equal(kn_record_strz(r, "answer"), "Đã cấp");
	assert_string_equal(kn_record_strz(r, "status"), "suggested");
	assert_int_equal(kn_suggestion_score(r, &v), 1);
	assert_true(v == 0.5);
	/* As good or worse: kept, every key as it was. */
	assert_int_equal(kn_record_set_str(r, "answer_id", "own-1"), 0);
	assert_int_equal(kn_record_set_str(r, "answer", "Riêng"), 0);
	assert_int_equal(kn_suggestion_apply(r, kb, &h), 0);
	h.score = 0.499;
	assert_int_equal(kn_suggestion_apply(r, kb, &h), 0);
	assert_string_equal(kn_record_strz(r, "answer_id"), "own-1");
	assert_string_equal(kn_record_strz(r, "answer"), "Riêng");
	/* Better: replaced. */
	h.score = 0.501;
	assert_int_equal(kn_suggestion_apply(r, kb, &h), 1);
	assert_string_equal(kn_record_strz(r, "answer_id"), "kb-1");
	assert_int_equal(kn_record_num(r, "answer_score", &v), 0);
	assert_true(v == 0.501);
	/* A score written as a string, as a CSV ledger gives it. */
	assert_int_equal(kn_record_set_str(r, "answer_id", "old"), 0);
	assert_int_equal(kn_record_set_str(r, "answer_score", "0.9"), 0);
	assert_int_equal(kn_suggestion_score(r, &v), 1);
	assert_true(v == 0.9);
	h.score = 0.8;
	assert_int_equal(kn_suggestion_apply(r, kb, &h), 0);
	/* No readable score: any suggestion is better. */
	assert_int_equal(kn_record_set_str(r, "answer_score", "?"), 0);
	assert_int_equal(kn_suggestion_score(r, &v), 1);
	assert_true(v == 0);
	assert_int_equal(kn_suggestion_apply(r, kb, &h), 1);
	assert_string_equal(kn_record_strz(r, "answer_id"), "kb-1");
	/* An empty answer_id holds no suggestion. */
	assert_int_equal(kn_record_set_str(r, "answer_id", ""), 0);
	assert_int_equal(kn_suggestion_score(r, &v), 0);
	h.score = 0.2;
	assert_int_equal(kn_suggestion_apply(r, kb, &h), 1);
	kn_record_free(r);
	kn_kb_free(kb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_score_by_hand),
		cmocka_unit_test(test_add_errors),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_best_is_exhaustive),
		cmocka_unit_test(test_eval),
		cmocka_unit_test(test_suggestion),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
