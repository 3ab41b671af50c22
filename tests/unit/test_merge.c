/* test_merge.c: the departments' answers matched to records. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"
#include "kn/merge.h"
#include "knt.h"

static struct kn_record *
rec(const char *json)
{
	struct kn_record *r = kn_record_from_json(json, strlen(json), NULL);

	assert_non_null(r);
	return r;
}

static void
test_apply(void **state)
{
	struct kn_answers *a;
	struct kn_record *r;
	struct kn_error err;
	const char *text, *key, *value;
	long line;
	size_t pos = 0;
	int warning;
	char *path;

	(void)state;
	path = knt_tmpfile("id,group,answer,answered_by,answered_at\n"
	    "p1,,Trả lời riêng,PC06,05/11/2025\n"
	    ",p2,Trả lời chung,PV01,2025-11-06\n"
	    "p9,,Không ai hỏi,PC06,\n"
	    "p3,,,PC06,2025-11-07\n"
	    "p4,,Trả lời,PC06,31/02/2025\n"
	    ",,Không biết cho ai,PC06,\n"
	    ",p7,Nhóm không có,PC08,\n"
	    "p5,,Lần một,PC06,\n"
	    "p5,,Lần hai,PC06,\n");
	kn_error_clear(&err);
	assert_non_null(a = kn_answers_load(path, NULL, &err));
	assert_int_equal(kn_answers_count(a), 5);
	/* Problems in line order: no answer, bad date, no key, replaced. */
	assert_int_equal(kn_answers_problem(a, 0, &line, &text, &warning), 1);
	assert_int_equal(line, 5);
	assert_false(warning);
	assert_non_null(strstr(text, "answer"));
	assert_int_equal(kn_answers_problem(a, 1, &line, &text, &warning), 1);
	assert_int_equal(line, 6);
	assert_non_null(strstr(text, "31/02/2025"));
	assert_int_equal(kn_answers_problem(a, 2, &line, &text, &warning), 1);
	assert_int_equal(line, 7);
	assert_int_equal(kn_answers_problem(a, 3, &line, &text, &warning), 1);
	assert_int_equal(line, 10);
	assert_true(warning);
	assert_non_null(strstr(text, "line 9"));
	assert_int_equal(kn_answers_problem(a, 4, &line, &text, &warning), 0);

	/* By id, over a suggestion: the suggestion's keys go. */
	r = rec("{\"id\":\"p1\",\"answer_id\":\"kb-1\",\"answer\":\"gợi ý\","
	    "\"answer_score\":0.5,\"status\":\"suggested\",\"x\":1}");
	assert_int_equal(kn_answers_apply(a, r), 1);
	assert_string_equal(kn_record_str(r, "answer"), "Trả lời riêng");
	assert_string_equal(kn_record_str(r, "answered_by"), "PC06");
	assert_string_equal(kn_record_str(r, "answered_at"), "2025-11-05");
	assert_string_equal(kn_record_str(r, "status"), "answered");
	assert_false(kn_record_has(r, "answer_id"));
	assert_false(kn_record_has(r, "answer_score"));
	assert_string_equal(kn_record_key_at(r, 0), "id");
	assert_string_equal(kn_record_key_at(r, 1), "answer");
	kn_record_free(r);
	/* By group, every record of it; an id answer wins over a group's. */
	r = rec("{\"id\":\"p2\",\"group\":\"p2\"}");
	assert_int_equal(kn_answers_apply(a, r), 1);
	assert_string_equal(kn_record_str(r, "answer"), "Trả lời chung");
	kn_record_free(r);
	r = rec("{\"id\":\"p8\",\"group\":\"p2\",\"status\":\"closed\"}");
	assert_int_equal(kn_answers_apply(a, r), 1);
	assert_string_equal(kn_record_str(r, "status"), "closed");
	kn_record_free(r);
	r = rec("{\"id\":\"p1\",\"group\":\"p2\"}");
	assert_int_equal(kn_answers_apply(a, r), 1);
	assert_string_equal(kn_record_str(r, "answer"), "Trả lời riêng");
	kn_record_free(r);
	/* The later of two lines for one id. */
	r = rec("{\"id\":\"p5\"}");
	assert_int_equal(kn_answers_apply(a, r), 1);
	assert_string_equal(kn_record_str(r, "answer"), "Lần hai");
	assert_string_equal(kn_record_str(r, "answered_at"), "");
	kn_record_free(r);
	/* Numbers as ids match too; nothing matches a stranger. */
	r = rec("{\"id\":12}");
	assert_int_equal(kn_answers_apply(a, r), 0);
	assert_false(kn_record_has(r, "answer"));
	kn_record_free(r);

	/* What matched nothing, in line order. */
	assert_int_equal(kn_answers_unmatched(a, &pos, &line, &key, &value), 1);
	assert_int_equal(line, 4);
	assert_string_equal(key, "id");
	assert_string_equal(value, "p9");
	assert_int_equal(kn_answers_unmatched(a, &pos, &line, &key, &value), 1);
	assert_int_equal(line, 8);
	assert_string_equal(key, "group");
	assert_string_equal(value, "p7");
	assert_int_equal(kn_answers_unmatched(a, &pos, &line, &key, &value), 0);
	kn_answers_free(a);
	kn_answers_free(NULL);
	unlink(path);
	free(path);
}

static void
test_unreadable(void **state)
{
	struct kn_error err;

	(void)state;
	kn_error_clear(&err);
	assert_null(kn_answers_load("/nonexistent/answers.csv", NULL, &err));
	assert_int_not_equal(err.code, KN_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_unreadable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
