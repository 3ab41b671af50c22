/*
 * test_group.c: the TF-IDF similarity on cases worked by hand, grouping
 * of paraphrases, the rule of the same entry, the index against
 * comparing with every representative, and the figures of a grouping.
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

#include "kn/kn.h"
#include "kn/abbrev.h"
#include "kn/answer.h"
#include "kn/group.h"

static const char *
add(struct kn_grouper *g, const char *id, const char *field, const char *text,
    const char *answer, double *sim)
{
	const char *rep = kn_grouper_add(g, id, field, text, strlen(text),
	    answer, sim);

	assert_non_null(rep);
	return rep;
}

static double
similarity(struct kn_grouper *g, const char *a, const char *b)
{
	return kn_grouper_similarity(g, a, strlen(a), b, strlen(b));
}

/*
 * Without a background and before any proposal every term has the same
 * idf, ln 2, so the cosine is a matter of counts.
 */
static void
test_similarity_counts(void **state)
{
	struct kn_grouper *g;
	double a2;

	(void)state;
	assert_non_null(g = kn_grouper_new(NULL, NULL, 0.5));
	/* a, b, c, "a b", "b c" against a, b, d, "a b", "b d": 3 of 5. */
	assert_float_equal(similarity(g, "a b c", "a b d"), 0.6, 1e-6);
	/* Folding: the same text either way. */
	assert_float_equal(similarity(g, "Đề nghị", "DE NGHI"), 1.0, 1e-6);
	/*
	 * "a a b": a (tf 2, weight 1 + ln 2), b, "a a", "a b";
	 * "a b": a, b, "a b".
	 */
	a2 = 1 + log(2);
	assert_float_equal(similarity(g, "a a b", "a b"),
	    (a2 + 2) / (sqrt(a2 * a2 + 3) * sqrt(3)), 1e-6);
	assert_float_equal(similarity(g, "a b", "c d"), 0, 1e-12);
	assert_float_equal(similarity(g, "", "c d"), 0, 1e-12);
	kn_grouper_free(g);
}

/* With a knowledge base as background: idf ln((N + 1) / (df + 0.5)). */
static void
test_similarity_idf(void **state)
{
	struct kn_kb *kb;
	struct kn_grouper *g;
	double ix, iy, want;

	(void)state;
	assert_non_null(kb = kn_kb_new(NULL));
	assert_int_equal(kn_kb_add(kb, "k1", "x y", "r", NULL, NULL), 0);
	assert_int_equal(kn_kb_add(kb, "k2", "x z", "r", NULL, NULL), 0);
	assert_int_equal(kn_kb_add(kb, "k3", "x w", "r", NULL, NULL), 0);
	assert_int_equal(kn_kb_build(kb, NULL), 0);
	assert_int_equal(kn_kb_df(kb, kn_hash64("x", 1)), 3);
	assert_int_equal(kn_kb_df(kb, kn_hash64("x y", 3)), 1);
	assert_int_equal(kn_kb_df(kb, kn_hash64("v", 1)), 0);
	assert_non_null(g = kn_grouper_new(NULL, kb, 0.5));
	/*
	 * "x y" against "x z": only x in common; x is in all three
	 * entries, y, z, "x y" and "x z" in one each.
	 */
	ix = log(4 / 3.5);
	iy = log(4 / 1.5);
	want = ix * ix / (ix * ix + 2 * iy * iy);
	assert_float_equal(similarity(g, "x y", "x z"), want, 1e-6);
	/* A term no entry has weighs the most: ln(4 / 0.5). */
	want = ix * ix / sqrt((ix * ix + 2 * log(8) * log(8)) *
	    (ix * ix + 2 * iy * iy));
	assert_float_equal(similarity(g, "x v", "x y"), want, 1e-6);
	/* Each proposal grouped joins the background of those after it. */
	add(g, "p1", "f", "x y", NULL, NULL);
	ix = log(5 / 4.5);
	iy = log(5 / 2.5);
	assert_float_equal(similarity(g, "x y", "x z"),
	    ix * ix / sqrt((ix * ix + 2 * iy * iy) *
	    (ix * ix + 2 * log(5 / 1.5) * log(5 / 1.5))), 1e-6);
	kn_grouper_free(g);
	kn_kb_free(kb);
}

static struct kn_kb *
shipped_kb(struct kn_abbrev *ab)
{
	struct kn_buf path = KN_BUF_INIT;
	struct kn_kb *kb;

	assert_non_null(kb = kn_kb_new(ab));
	kn_data_path(&path, "answers-kb.jsonl");
	assert_int_equal(kn_kb_load(kb, kn_buf_str(&path), NULL, NULL), 0);
	assert_int_equal(kn_kb_build(kb, NULL), 0);
	kn_buf_free(&path);
	return kb;
}

/* Proposals of one problem in other words, and problems apart. */
static void
test_paraphrases(void **state)
{
	struct kn_abbrev *ab;
	struct kn_kb *kb;
	struct kn_grouper *g;
	double sim;

	(void)state;
	assert_non_null(ab = kn_abbrev_load(NULL, NULL));
	kb = shipped_kb(ab);
	assert_non_null(g = kn_grouper_new(ab, kb, KN_GROUP_THRESHOLD));
	assert_string_equal(add(g, "a1", "admin_order", "Nhiều người cao tuổi "
	    "không có điện thoại thông minh nên không tự kích hoạt được tài "
	    "khoản định danh điện tử mức 2.", NULL, &sim), "a1");
	assert_true(sim == 1.0);
	assert_string_equal(add(g, "b1", "equipment", "Đề nghị cấp xe ô tô "
	    "bán tải cho công an xã miền núi để tuần tra, dẫn giải.", NULL,
	    NULL), "b1");
	/* Without diacritics, an abbreviation, other words around. */
	assert_string_equal(add(g, "a2", "admin_order", "nguoi gia o xa khong "
	    "biet kich hoat VNeID muc 2, de nghi CA xa ho tro tai nha", NULL,
	    &sim), "a1");
	assert_true(sim >= KN_GROUP_THRESHOLD && sim < 1);
	assert_string_equal(add(g, "b2", "equipment", "Xã vùng cao chưa có ô "
	    "tô, xin Công an tỉnh cấp xe bán tải phục vụ dẫn giải đối tượng.",
	    NULL, NULL), "b1");
	/* The same problem in another field: another group. */
	assert_string_equal(add(g, "c1", "finance", "Đề nghị cấp xe ô tô bán "
	    "tải cho công an xã miền núi để tuần tra, dẫn giải.", NULL, NULL),
	    "c1");
	/* Other problems of the same fields. */
	assert_string_equal(add(g, "d1", "admin_order", "Chủ nhà trọ không "
	    "khai báo tạm trú cho công nhân thuê trọ, đề nghị hướng dẫn xử "
	    "phạt.", NULL, NULL), "d1");
	assert_string_equal(add(g, "e1", "equipment", "Máy tính bộ phận một "
	    "cửa đã cũ, chạy chậm, đề nghị thay máy mới.", NULL, NULL), "e1");
	assert_int_equal(kn_grouper_count(g), 5);
	kn_grouper_free(g);
	kn_kb_free(kb);
	kn_abbrev_free(ab);
}

/* Two proposals of one field given the same entry share a group. */
static void
test_answer_rule(void **state)
{
	struct kn_grouper *g;
	double sim;

	(void)state;
	assert_non_null(g = kn_grouper_new(NULL, NULL, 0.9));
	assert_string_equal(add(g, "p1", "f", "một hai ba", "kb-1", NULL),
	    "p1");
	assert_string_equal(add(g, "p2", "f", "bốn năm sáu", "kb-1", &sim),
	    "p1");
	assert_float_equal(sim, 0, 1e-12);
	/* Another field, another entry, or none: by similarity. */
	assert_string_equal(add(g, "p3", "g", "bốn năm sáu", "kb-1", NULL),
	    "p3");
	assert_string_equal(add(g, "p4", "f", "bảy tám", "kb-2", NULL), "p4");
	assert_string_equal(add(g, "p5", "f", "bốn năm sáu", NULL, NULL),
	    "p5");
	assert_string_equal(add(g, "p6", "f", "bốn năm sáu", "", NULL), "p5");
	/* A proposal that joined by similarity brings its entry along. */
	assert_string_equal(add(g, "p7", "f", "bốn năm sáu", "kb-3", NULL),
	    "p5");
	assert_string_equal(add(g, "p8", "f", "chín mười", "kb-3", NULL), "p5");
	/* No syllable: only the rule joins it. */
	assert_string_equal(add(g, "p9", "f", "...", NULL, NULL), "p9");
	assert_string_equal(add(g, "p10", "f", "", "kb-2", NULL), "p4");
	/* No field is a field of its own. */
	assert_string_equal(add(g, "p11", NULL, "một hai ba", "kb-1", NULL),
	    "p11");
	assert_string_equal(add(g, "p12", "", "một hai ba", NULL, NULL), "p11");
	assert_int_equal(kn_grouper_count(g), 6);
	kn_grouper_free(g);
	kn_grouper_free(NULL);
}

static void
random_text(char *buf, size_t size, int n, unsigned *seed)
{
	static const char *const w[] = { "cong", "an", "xa", "de", "nghi",
	    "cap", "xe", "may", "tinh", "bien", "che", "ho", "so", "to",
	    "giac", "tin", "bao", "ma", "tuy", "chay", "rung", "dan", "phong",
	    "tru", "kinh", "phi", "tap", "huan", "vneid", "muc", "hai", "nha",
	    "tro", "kho", "luu", "camera" };
	size_t len = 0;
	int i;

	for (i = 0, buf[0] = '\0'; i < n; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
		    i ? " " : "", w[(unsigned)rand_r(seed) % 36]);
}

/*
 * The index must find the very groups that comparing each proposal
 * with every representative of its field finds.
 */
static void
check_index(double t)
{
	enum { N = 2000, NKB = 50 };
	static char text[N][256];
	struct kn_grouper *g, *all;
	struct kn_kb *kb;
	unsigned seed = 777;
	char id[16], buf[256];
	int i, diff = 0;

	assert_non_null(kb = kn_kb_new(NULL));
	for (i = 0; i < NKB; i++) {
		random_text(buf, sizeof(buf), 3 + rand_r(&seed) % 10, &seed);
		snprintf(id, sizeof(id), "k%d", i);
		assert_int_equal(kn_kb_add(kb, id, buf, "r", NULL, NULL), 0);
	}
	assert_int_equal(kn_kb_build(kb, NULL), 0);
	assert_non_null(g = kn_grouper_new(NULL, kb, t));
	assert_non_null(all = kn_grouper_new(NULL, kb, t));
	kn_grouper_exhaustive(all, 1);
	for (i = 0; i < N; i++) {
		const char *field = rand_r(&seed) % 2 ? "x" : "y";
		double s1, s2;

		if (i > 0 && rand_r(&seed) % 3 == 0) {
			/* A variant of an earlier one: a word changed. */
			char *sp;

			strcpy(text[i], text[rand_r(&seed) % i]);
			if ((sp = strrchr(text[i], ' ')) != NULL)
				strcpy(sp, rand_r(&seed) % 2 ? " xe" : " ma");
		} else
			random_text(text[i], sizeof(text[i]),
			    2 + rand_r(&seed) % 14, &seed);
		snprintf(id, sizeof(id), "%d", i);
		diff += strcmp(add(g, id, field, text[i], NULL, &s1),
		    add(all, id, field, text[i], NULL, &s2)) != 0;
		assert_float_equal(s1, s2, 1e-9);
	}
	assert_int_equal(diff, 0);
	assert_int_equal(kn_grouper_count(g), kn_grouper_count(all));
	/* Not all together; apart only when a text must match itself. */
	assert_true(kn_grouper_count(g) > 1);
	assert_true(t == 1.0 || kn_grouper_count(g) < N);
	kn_grouper_free(g);
	kn_grouper_free(all);
	kn_kb_free(kb);
}

static void
test_index(void **state)
{
	(void)state;
	check_index(0.05);
	check_index(KN_GROUP_THRESHOLD);
	check_index(0.3);
	check_index(0.6);
	check_index(1.0);
}

/*
 * Labels {0 1} {2 3} {4}; groups {0 1 2} {3} {4}.  Same group: 01 02 12;
 * same label: 01 23; both: 01.
 */
static void
test_measure(void **state)
{
	static const size_t label[] = { 7, 7, 8, 8, 9 };
	static const size_t group[] = { 0, 0, 0, 3, 4 };
	static const unsigned char test[] = { 0, 0, 0, 1, 1 };
	struct kn_group_figures f;

	(void)state;
	assert_int_equal(kn_group_measure(label, group, NULL, 5, &f), 0);
	assert_int_equal(f.n, 5);
	assert_int_equal(f.groups, 3);
	assert_int_equal(f.tp, 1);
	assert_int_equal(f.fp, 2);
	assert_int_equal(f.fn, 1);
	assert_float_equal(f.p, 1.0 / 3, 1e-12);
	assert_float_equal(f.r, 0.5, 1e-12);
	assert_float_equal(f.f1, 0.4, 1e-12);
	/*
	 * B-cubed, item by item: precision 2/3 2/3 1/3 1 1, recall 1 1 1/2
	 * 1/2 1.
	 */
	assert_float_equal(f.bp, (2.0 / 3 + 2.0 / 3 + 1.0 / 3 + 2) / 5, 1e-12);
	assert_float_equal(f.br, 4.0 / 5, 1e-12);
	/* Only the pairs whose later item is 3 or 4: 23 is missed. */
	assert_int_equal(kn_group_measure(label, group, test, 5, &f), 0);
	assert_int_equal(f.n, 2);
	assert_int_equal(f.groups, 2);
	assert_int_equal(f.tp, 0);
	assert_int_equal(f.fp, 0);
	assert_int_equal(f.fn, 1);
	assert_float_equal(f.p, 1, 1e-12);
	assert_float_equal(f.r, 0, 1e-12);
	assert_float_equal(f.bp, 1, 1e-12);
	assert_float_equal(f.br, 0.75, 1e-12);
	/* The labels as the groups: all right. */
	assert_int_equal(kn_group_measure(label, label, NULL, 5, &f), 0);
	assert_float_equal(f.f1, 1, 1e-12);
	assert_float_equal(f.bf1, 1, 1e-12);
	assert_int_equal(kn_group_measure(label, label, NULL, 0, &f), 0);
	assert_int_equal(f.n, 0);
}

static void
test_pick(void **state)
{
	static const double th[] = { 0.1, 0.2, 0.3, 0.4, 0.5 };
	static const double f1[] = { 0.5, 0.7, 0.7, 0.7, 0.6 };
	static const double f2[] = { 0.9, 0.7, 0.7, 0.8, 0.9 };

	(void)state;
	assert_float_equal(kn_group_pick(th, f1, 5), 0.3, 1e-12);
	/* Of the maxima 0.1 and 0.5, the second in order. */
	assert_float_equal(kn_group_pick(th, f2, 5), 0.5, 1e-12);
	assert_float_equal(kn_group_pick(th, f1, 1), 0.1, 1e-12);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_similarity_counts),
		cmocka_unit_test(test_similarity_idf),
		cmocka_unit_test(test_paraphrases),
		cmocka_unit_test(test_answer_rule),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_measure),
		cmocka_unit_test(test_pick),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
