/*
 * kn-answer: suggest earlier official answers from a knowledge base,
 * group proposals that ask the same thing, and record the answers the
 * departments wrote.  "kn-answer eval" measures the suggestions on
 * labelled queries.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include "kn/kn.h"
#include "kn/abbrev.h"
#include "kn/answer.h"
#include "kn/group.h"
#include "kn/merge.h"

#define MAX_KB 64

enum {
	OPT_KB = KN_OPT_TOOL,
	OPT_MIN_SCORE,
	OPT_GROUP,
	OPT_GROUP_THRESHOLD,
	OPT_ANSWERS,
	OPT_ABBREV,
	OPT_CV,
	OPT_MISSES,
	OPT_JOBS
};

static const struct option longopts[] = {
	{ "kb",			required_argument,	NULL, OPT_KB },
	{ "min-score",		required_argument,	NULL, OPT_MIN_SCORE },
	{ "group",		no_argument,		NULL, OPT_GROUP },
	{ "group-threshold",	required_argument,	NULL,
	    OPT_GROUP_THRESHOLD },
	{ "answers",		required_argument,	NULL, OPT_ANSWERS },
	{ "abbrev",		required_argument,	NULL, OPT_ABBREV },
	{ "jobs",		required_argument,	NULL, OPT_JOBS },
	KN_COMMON_LONGOPTS
};

static const struct option evalopts[] = {
	{ "kb",			required_argument,	NULL, OPT_KB },
	{ "min-score",		required_argument,	NULL, OPT_MIN_SCORE },
	{ "abbrev",		required_argument,	NULL, OPT_ABBREV },
	{ "cv",			required_argument,	NULL, OPT_CV },
	{ "misses",		no_argument,		NULL, OPT_MISSES },
	{ "group",		no_argument,		NULL, OPT_GROUP },
	{ "group-threshold",	required_argument,	NULL,
	    OPT_GROUP_THRESHOLD },
	KN_COMMON_LONGOPTS
};

struct conf {
	const char	*kb[MAX_KB];
	int		 nkb;
	double		 min_score;
	int		 group;
	double		 group_threshold;
	const char	*answers;
	const char	*abbrev;
	int		 cv;
	int		 misses;
	int		 jobs;		/* 0: one per processor */
};

static void
usage(FILE *fp)
{
	fputs("usage: kn-answer [-hq] [-o file] [--abbrev file] "
	    "[--answers file] [--group]\n"
	    "                 [--group-threshold x] [--jobs n] [--kb file] "
	    "[--min-score x]\n"
	    "                 [--from format] [--to format] [--rejects file] "
	    "[--wait seconds]\n"
	    "                 [file ...]\n"
	    "       kn-answer eval [--group] [--misses] [--abbrev file] "
	    "[--cv k]\n"
	    "                 [--group-threshold x] [--kb file] "
	    "[--min-score x]\n"
	    "                 [--to text | json] [queries ...]\n", fp);
}

static void
help(void)
{
	usage(stdout);
	fputs("\nSuggest earlier answers, group proposals that ask the same "
	    "thing,\nrecord the departments' answers.\n"
	    "  --kb file             knowledge base (JSON Lines or CSV: id, "
	    "question,\n"
	    "                        answer); repeatable; default "
	    "data/answers-kb.jsonl;\n"
	    "                        --answers without --kb makes no "
	    "suggestions\n"
	    "  --min-score x         suggest only at this normalised score "
	    "or above\n"
	    "                        (default 0.1865)\n"
	    "  --group               give each record the id of its group's "
	    "first record\n"
	    "  --group-threshold x   TF-IDF cosine similarity to join a group "
	    "(default 0.12);\n"
	    "                        records given the same entry always "
	    "share one\n"
	    "  --answers file        merge the departments' answers (id or "
	    "group, answer,\n"
	    "                        answered_by, answered_at)\n"
	    "  --abbrev file         abbreviations (default data/abbrev.csv)\n"
	    "  --jobs n              threads searching the knowledge base\n"
	    "                        (default: one per processor)\n"
	    "  -o file               write here (atomically) instead of "
	    "standard output\n"
	    "  eval                  top-1 accuracy, correct abstention and "
	    "MRR on labelled\n"
	    "                        queries (expect: an entry id or null);\n"
	    "                        --cv k cross-validates the threshold, "
	    "--misses lists\n"
	    "                        the errors; --group measures the "
	    "grouping instead\n"
	    "                        (pairwise and B-cubed precision, recall, "
	    "F1)\n"
	    "\nexample:\n"
	    "  kn-classify new.jsonl | kn-answer --kb answers-kb.jsonl "
	    "--group > out.jsonl\n"
	    "\nSee kn-answer(1) and kiennghi(7).\n", stdout);
}

static int
parse_unit(const struct kn_opts *o, const char *opt, const char *arg,
    int open0, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !(v <= 1) ||
	    (open0 ? !(v > 0) : !(v >= 0))) {
		kn_msg(o, "%s: expected a number %s, not \"%s\"", opt,
		    open0 ? "above 0 and at most 1" : "from 0 to 1", arg);
		return -1;
	}
	*out = v;
	return 0;
}

/* Handle a tool option: 0 handled, 1 not one of ours, -1 bad argument. */
static int
tool_option(struct kn_opts *o, struct conf *c, int ch, const char *arg)
{
	char *end;
	long k;

	switch (ch) {
	case OPT_KB:
		if (c->nkb == MAX_KB) {
			kn_msg(o, "--kb: at most %d knowledge bases", MAX_KB);
			return -1;
		}
		c->kb[c->nkb++] = arg;
		return 0;
	case OPT_MIN_SCORE:
		return parse_unit(o, "--min-score", arg, 0, &c->min_score);
	case OPT_GROUP:
		c->group = 1;
		return 0;
	case OPT_GROUP_THRESHOLD:
		return parse_unit(o, "--group-threshold", arg, 1,
		    &c->group_threshold);
	case OPT_ANSWERS:
		c->answers = arg;
		return 0;
	case OPT_ABBREV:
		c->abbrev = arg;
		return 0;
	case OPT_CV:
		errno = 0;
		k = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || k < 2 ||
		    k > 100) {
			kn_msg(o, "--cv: expected a number of folds from 2 to "
			    "100, not \"%s\"", arg);
			return -1;
		}
		c->cv = (int)k;
		return 0;
	case OPT_MISSES:
		c->misses = 1;
		return 0;
	case OPT_JOBS:
		errno = 0;
		k = strtol(arg, &end, 10);
		if (errno != 0 || end == arg || *end != '\0' || k < 1 ||
		    k > 16) {
			kn_msg(o, "--jobs: expected a number of threads from 1 "
			    "to 16, not \"%s\"", arg);
			return -1;
		}
		c->jobs = (int)k;
		return 0;
	}
	return 1;
}

/* The text a record asks: its title, then its text. */
static const char *
record_text(const struct kn_record *r, struct kn_buf *b)
{
	const char *title = kn_record_strz(r, "title");
	const char *text = kn_record_strz(r, "text");

	kn_buf_reset(b);
	if (*title != '\0' && strncmp(text, title, strlen(title)) != 0) {
		kn_buf_adds(b, title);
		kn_buf_adds(b, ". ");
	}
	kn_buf_adds(b, text);
	return kn_buf_str(b);
}

/* Load and index the knowledge bases; NULL after a message. */
static struct kn_kb *
load_kb(const struct kn_opts *o, const struct conf *c,
    const struct kn_abbrev *ab)
{
	struct kn_buf def = KN_BUF_INIT;
	struct kn_error err;
	struct kn_kb *kb;
	int i;

	kn_error_clear(&err);
	if ((kb = kn_kb_new(ab)) == NULL) {
		kn_msg(o, "out of memory");
		return NULL;
	}
	if (c->nkb == 0) {
		kn_data_path(&def, "answers-kb.jsonl");
		if (kn_kb_load(kb, kn_buf_str(&def), NULL, &err) == -1)
			goto fail;
	}
	for (i = 0; i < c->nkb; i++)
		if (kn_kb_load(kb, c->kb[i], NULL, &err) == -1)
			goto fail;
	if (kn_kb_build(kb, &err) == -1)
		goto fail;
	kn_buf_free(&def);
	return kb;
fail:
	kn_die(o, &err);
	kn_buf_free(&def);
	kn_kb_free(kb);
	return NULL;
}

static struct kn_abbrev *
load_abbrev(const struct kn_opts *o, const struct conf *c)
{
	struct kn_abbrev *ab;
	struct kn_error err;

	kn_error_clear(&err);
	if ((ab = kn_abbrev_load(c->abbrev, &err)) == NULL)
		kn_die(o, &err);
	return ab;
}

/* ---- kn-answer eval ---- */

struct query {
	char	*id;
	char	*text;		/* what it asks */
	size_t	 len;
	char	*field;		/* or NULL */
	char	*got;		/* best entry id, or NULL */
	char	*expect;	/* NULL: unanswerable */
	char	*answer;	/* the entry suggested at --min-score, or NULL */
};

struct queries {
	struct query	*q;
	struct kn_eval_item *items;
	size_t		 n, cap;
};

static void
free_queries(struct queries *qs)
{
	size_t i;

	for (i = 0; i < qs->n; i++) {
		free(qs->q[i].id);
		free(qs->q[i].text);
		free(qs->q[i].field);
		free(qs->q[i].got);
		free(qs->q[i].expect);
		free(qs->q[i].answer);
	}
	free(qs->q);
	free(qs->items);
}

static char *
dup_or_null(const char *s)
{
	return s != NULL ? strdup(s) : NULL;
}

/*
 * Read one labelled query and measure the suggestion on it: every entry
 * is ranked.  0, or -1 after a message.
 */
static int
eval_query(const struct kn_opts *o, const struct conf *c, struct kn_kb *kb,
    struct kn_record *r, struct queries *qs, struct kn_buf *text,
    struct kn_buf *tmp)
{
	const struct kn_hit *hits;
	struct kn_eval_item *it;
	struct kn_hit best;
	struct query *q;
	const char *e;
	long nh, h, want;

	if (!kn_record_has(r, "expect")) {
		kn_msg_at(o, kn_record_source(r), kn_record_line(r), "no "
		    "\"expect\" (an entry id, or null when none answers)");
		return -1;
	}
	kn_buf_reset(tmp);
	kn_record_text(r, "expect", tmp);
	e = tmp->len > 0 ? tmp->data : NULL;
	want = e != NULL ? kn_kb_find(kb, e) : -1;
	if (e != NULL && want < 0) {
		kn_msg_at(o, kn_record_source(r), kn_record_line(r), "expect: "
		    "no entry \"%s\" in the knowledge base", e);
		return -1;
	}
	if (qs->n == qs->cap) {
		size_t nc = qs->cap ? qs->cap * 2 : 256;
		void *p;

		if ((p = realloc(qs->items, nc * sizeof(*qs->items))) == NULL)
			goto nomem;
		qs->items = p;
		if ((p = realloc(qs->q, nc * sizeof(*qs->q))) == NULL)
			goto nomem;
		qs->q = p;
		qs->cap = nc;
	}
	it = &qs->items[qs->n];
	q = &qs->q[qs->n];
	memset(it, 0, sizeof(*it));
	memset(q, 0, sizeof(*q));
	qs->n++;
	record_text(r, text);
	if ((q->text = strdup(kn_buf_str(text))) == NULL)
		goto nomem;
	q->len = text->len;
	if (kn_record_str(r, "field") != NULL &&
	    (q->field = strdup(kn_record_str(r, "field"))) == NULL)
		goto nomem;
	q->expect = e != NULL ? strdup(kn_kb_id(kb, (size_t)want)) : NULL;
	kn_buf_reset(tmp);
	kn_record_text(r, "id", tmp);
	if ((q->id = strdup(kn_buf_str(tmp))) == NULL ||
	    (e != NULL && q->expect == NULL))
		goto nomem;
	nh = kn_kb_rank(kb, q->text, q->len, q->field, &hits);
	if (nh < 0)
		goto nomem;
	it->answerable = want >= 0;
	if (nh > 0) {
		it->score = hits[0].score;
		it->right = (long)hits[0].entry == want;
		if ((q->got = strdup(kn_kb_id(kb, hits[0].entry))) == NULL)
			goto nomem;
	}
	for (h = 0; h < nh && want >= 0; h++)
		if ((long)hits[h].entry == want) {
			it->rr = 1.0 / (double)(h + 1);
			break;
		}
	/* What a run would suggest, for grouping by the same entry. */
	switch (kn_kb_best(kb, q->text, q->len, q->field, c->min_score,
	    &best)) {
	case -1:
		goto nomem;
	case 1:
		if (best.score >= c->min_score && (q->answer =
		    dup_or_null(kn_kb_id(kb, best.entry))) == NULL)
			goto nomem;
	}
	return 0;
nomem:
	kn_msg(o, "out of memory");
	return -1;
}

static void
print_figures(const char *title, const struct kn_eval_figures *f)
{
	printf("%s\n", title);
	printf("  top-1 đúng và được đề xuất      %.3f  (%zu/%zu)\n",
	    f->nans ? (double)f->right / f->nans : 0, f->right, f->nans);
	printf("  đề xuất sai (có đáp án)         %.3f  (%zu/%zu)\n",
	    f->nans ? (double)f->wrong / f->nans : 0, f->wrong, f->nans);
	printf("  từ chối đúng (không có đáp án)  %.3f  (%zu/%zu)\n",
	    f->nun ? (double)f->abstained / f->nun : 0, f->abstained, f->nun);
}

static void
json_figures(const char *key, const struct kn_eval_figures *f, int last)
{
	printf("  \"%s\": {\"min_score\": %.4g, \"top1_accuracy\": %.3f, "
	    "\"right\": %zu, \"wrong\": %zu, \"missed\": %zu, "
	    "\"correct_abstention\": %.3f, \"abstained\": %zu}%s\n", key,
	    f->threshold, f->nans ? (double)f->right / f->nans : 0, f->right,
	    f->wrong, f->missed, f->nun ? (double)f->abstained / f->nun : 0,
	    f->abstained, last ? "" : ",");
}

/* The figures of the suggestions (kn-answer eval). */
static void
eval_answers(const struct conf *c, const struct kn_kb *kb,
    const struct queries *qs, int json, const double *ths,
    const struct kn_eval_figures *fcv)
{
	const struct kn_eval_item *items = qs->items;
	struct kn_eval_figures f, fall;
	size_t n = qs->n, i;
	double th = 0;

	kn_eval_measure(items, n, c->min_score, &f);
	if (c->cv > 0) {
		th = kn_eval_threshold(items, n);
		kn_eval_measure(items, n, th, &fall);
	}
	if (json) {
		printf("{\n  \"queries\": %zu, \"answerable\": %zu, "
		    "\"unanswerable\": %zu, \"kb_entries\": %zu,\n", f.n,
		    f.nans, f.nun, kn_kb_count(kb));
		printf("  \"top1_ranked\": %.3f, \"mrr\": %.3f,\n",
		    f.nans ? (double)f.ranked / f.nans : 0, f.mrr);
		json_figures("at_min_score", &f, c->cv == 0);
		if (c->cv > 0) {
			printf("  \"cv_folds\": %d, \"cv_thresholds\": [",
			    c->cv);
			for (i = 0; i < (size_t)c->cv; i++)
				printf("%s%.4g", i ? ", " : "", ths[i]);
			printf("],\n");
			json_figures("cv", fcv, 0);
			json_figures("chosen_on_all", &fall, 1);
		}
		printf("}\n");
	} else {
		char title[128];

		printf("truy vấn %zu: có đáp án %zu, không có đáp án %zu; "
		    "cơ sở tri thức %zu mục\n", f.n, f.nans, f.nun,
		    kn_kb_count(kb));
		printf("  top-1 đúng, chưa xét ngưỡng     %.3f  (%zu/%zu)\n",
		    f.nans ? (double)f.ranked / f.nans : 0, f.ranked, f.nans);
		printf("  MRR                             %.3f\n", f.mrr);
		snprintf(title, sizeof(title), "với --min-score %.4g:",
		    c->min_score);
		print_figures(title, &f);
		if (c->cv > 0) {
			printf("kiểm định chéo %d phần (ngưỡng chọn trên các "
			    "phần còn lại):", c->cv);
			for (i = 0; i < (size_t)c->cv; i++)
				printf(" %.4g", ths[i]);
			printf("\n");
			print_figures("  gộp các phần:", fcv);
			snprintf(title, sizeof(title), "ngưỡng chọn trên toàn bộ "
			    "truy vấn: %.4g", th);
			print_figures(title, &fall);
		}
	}
	if (!c->misses)
		return;
	for (i = 0; i < n; i++) {
		int sug = items[i].score > 0 && items[i].score >= c->min_score;
		const char *what;

		if (items[i].answerable)
			what = !sug ? "missed" : items[i].right ? NULL : "wrong";
		else
			what = sug ? "answered" : NULL;
		if (what == NULL)
			continue;
		fprintf(json ? stderr : stdout, "%s %s: expect %s, best %s, "
		    "score %.3f\n", what, qs->q[i].id,
		    qs->q[i].expect ? qs->q[i].expect : "null",
		    qs->q[i].got ? qs->q[i].got : "-", items[i].score);
	}
}

/* ---- kn-answer eval --group ---- */

/* Candidate thresholds for cross-validation: 0.02, 0.03, ... 0.60. */
#define GT_FIRST	0.02
#define GT_STEP		0.01
#define GT_COUNT	59

struct geval {
	const struct kn_abbrev *ab;
	const struct kn_kb *kb;
	const struct queries *qs;
	size_t		*label;		/* by expect; each null its own */
	size_t		 nlabels;
	int		*fold;
	size_t		*group;		/* the query number of its group's first */
	double		*sim;
	unsigned char	*mask;
};

/*
 * Group the queries with mask[i] set (all when mask is NULL), in order,
 * into ge->group; rule: records given the same entry share a group.
 */
static int
geval_run(struct geval *ge, double th, int rule, const unsigned char *mask)
{
	const struct queries *qs = ge->qs;
	struct kn_grouper *g;
	char id[32];
	size_t i;

	if ((g = kn_grouper_new(ge->ab, ge->kb, th)) == NULL)
		return -1;
	for (i = 0; i < qs->n; i++) {
		const struct query *q = &qs->q[i];
		const char *rep;

		ge->group[i] = i;
		if (mask != NULL && !mask[i])
			continue;
		snprintf(id, sizeof(id), "%zu", i);
		if ((rep = kn_grouper_add(g, id, q->field, q->text, q->len,
		    rule ? q->answer : NULL, &ge->sim[i])) == NULL) {
			kn_grouper_free(g);
			return -1;
		}
		ge->group[i] = (size_t)strtoul(rep, NULL, 10);
	}
	kn_grouper_free(g);
	return 0;
}

/* The figures at threshold th over the queries in mask (NULL: all). */
static int
geval_measure(struct geval *ge, double th, int rule,
    const unsigned char *mask, struct kn_group_figures *f)
{
	size_t i, m = 0, *lab, *grp;
	int rc;

	if (mask == NULL)
		return geval_run(ge, th, rule, NULL) == -1 ? -1 :
		    kn_group_measure(ge->label, ge->group, NULL, ge->qs->n, f);
	/* Only the queries in the mask are grouped, and measured. */
	if ((lab = malloc((ge->qs->n + 1) * sizeof(*lab))) == NULL)
		return -1;
	if ((grp = malloc((ge->qs->n + 1) * sizeof(*grp))) == NULL) {
		free(lab);
		return -1;
	}
	rc = geval_run(ge, th, rule, mask);
	for (i = 0; rc == 0 && i < ge->qs->n; i++)
		if (mask[i]) {
			lab[m] = ge->label[i];
			grp[m++] = ge->group[i];
		}
	if (rc == 0)
		rc = kn_group_measure(lab, grp, NULL, m, f);
	free(lab);
	free(grp);
	return rc;
}

/* The threshold of the candidates with the best F1 on the queries in mask. */
static int
geval_choose(struct geval *ge, int rule, const unsigned char *mask,
    double *th)
{
	double cand[GT_COUNT], f1[GT_COUNT];
	struct kn_group_figures f;
	int i;

	for (i = 0; i < GT_COUNT; i++) {
		cand[i] = GT_FIRST + GT_STEP * i;
		if (geval_measure(ge, cand[i], rule, mask, &f) == -1)
			return -1;
		f1[i] = f.f1;
	}
	*th = kn_group_pick(cand, f1, GT_COUNT);
	return 0;
}

/*
 * k-fold cross-validation over the labels: the queries of label l are
 * in fold l mod k.  For each fold, the threshold is chosen on the other
 * folds grouped alone; then all the queries are grouped with it, in
 * order, so that the fold's queries meet the others as in a real round,
 * and the pairs whose later query is in the fold are counted (each pair
 * thus once).  The counts of the folds are added up.
 */
static int
geval_cv(struct geval *ge, int k, int rule, double *ths,
    struct kn_group_figures *sum)
{
	struct kn_group_figures f;
	double bp = 0, br = 0;
	size_t i, n = ge->qs->n;
	int fo;

	memset(sum, 0, sizeof(*sum));
	for (fo = 0; fo < k; fo++) {
		for (i = 0; i < n; i++)
			ge->mask[i] = ge->fold[i] != fo;
		if (geval_choose(ge, rule, ge->mask, &ths[fo]) == -1 ||
		    geval_run(ge, ths[fo], rule, NULL) == -1)
			return -1;
		for (i = 0; i < n; i++)
			ge->mask[i] = ge->fold[i] == fo;
		if (kn_group_measure(ge->label, ge->group, ge->mask, n,
		    &f) == -1)
			return -1;
		sum->n += f.n;
		sum->groups += f.groups;
		sum->tp += f.tp;
		sum->fp += f.fp;
		sum->fn += f.fn;
		bp += f.bp * (double)f.n;
		br += f.br * (double)f.n;
	}
	sum->p = sum->tp + sum->fp > 0 ? (double)sum->tp /
	    (double)(sum->tp + sum->fp) : 1;
	sum->r = sum->tp + sum->fn > 0 ? (double)sum->tp /
	    (double)(sum->tp + sum->fn) : 1;
	sum->f1 = sum->p + sum->r > 0 ? 2 * sum->p * sum->r /
	    (sum->p + sum->r) : 0;
	sum->bp = sum->n > 0 ? bp / (double)sum->n : 1;
	sum->br = sum->n > 0 ? br / (double)sum->n : 1;
	sum->bf1 = sum->bp + sum->br > 0 ? 2 * sum->bp * sum->br /
	    (sum->bp + sum->br) : 0;
	return 0;
}

static void
print_group_figures(const char *title, const struct kn_group_figures *f,
    int groups)
{
	printf("%s\n", title);
	printf("  theo cặp   P %.3f  R %.3f  F1 %.3f  (đúng %llu, gộp sai "
	    "%llu, tách sai %llu)\n", f->p, f->r, f->f1,
	    (unsigned long long)f->tp, (unsigned long long)f->fp,
	    (unsigned long long)f->fn);
	printf("  B-cubed    P %.3f  R %.3f  F1 %.3f\n", f->bp, f->br, f->bf1);
	if (groups)
		printf("  số nhóm    %zu\n", f->groups);
}

/* One line of figures; th < 0 and no groups for the sums of the folds. */
static void
json_group_figures(const char *key, double th,
    const struct kn_group_figures *f, int last)
{
	printf("  \"%s\": {", key);
	if (th >= 0)
		printf("\"group_threshold\": %.4g, ", th);
	printf("\"precision\": %.3f, \"recall\": %.3f, \"f1\": %.3f, "
	    "\"tp\": %llu, \"fp\": %llu, \"fn\": %llu, "
	    "\"bcubed_precision\": %.3f, \"bcubed_recall\": %.3f, "
	    "\"bcubed_f1\": %.3f", f->p, f->r, f->f1,
	    (unsigned long long)f->tp, (unsigned long long)f->fp,
	    (unsigned long long)f->fn, f->bp, f->br, f->bf1);
	if (th >= 0)
		printf(", \"groups\": %zu", f->groups);
	printf("}%s\n", last ? "" : ",");
}

/* The number of each query's label: its expect, or itself when null. */
static int
geval_labels(struct geval *ge)
{
	const struct queries *qs = ge->qs;
	struct kn_map *m;
	size_t i;

	if ((m = kn_map_new()) == NULL)
		return -1;
	for (i = 0; i < qs->n; i++) {
		void **slot;
		int created;

		if (qs->q[i].expect == NULL) {
			ge->label[i] = ge->nlabels++;
			continue;
		}
		if ((slot = kn_map_slot(m, qs->q[i].expect,
		    strlen(qs->q[i].expect), &created)) == NULL) {
			kn_map_free(m);
			return -1;
		}
		if (created)
			*slot = (void *)(uintptr_t)(++ge->nlabels);
		ge->label[i] = (size_t)(uintptr_t)*slot - 1;
	}
	kn_map_free(m);
	return 0;
}

/* The figures of the grouping (kn-answer eval --group). */
static int
eval_groups(const struct kn_opts *o, const struct conf *c,
    const struct kn_abbrev *ab, const struct kn_kb *kb,
    const struct queries *qs, int json)
{
	struct geval ge;
	struct kn_group_figures fs, fr, cvs, cvr, alls, allr, lab;
	double ths[100], thr[100], th_s = 0, th_r = 0;
	size_t n = qs->n, i;
	int rc = -1;

	memset(&ge, 0, sizeof(ge));
	ge.ab = ab;
	ge.kb = kb;
	ge.qs = qs;
	if ((ge.label = calloc(n + 1, sizeof(*ge.label))) == NULL ||
	    (ge.fold = calloc(n + 1, sizeof(*ge.fold))) == NULL ||
	    (ge.group = calloc(n + 1, sizeof(*ge.group))) == NULL ||
	    (ge.sim = calloc(n + 1, sizeof(*ge.sim))) == NULL ||
	    (ge.mask = calloc(n + 1, 1)) == NULL ||
	    geval_labels(&ge) == -1)
		goto nomem;
	for (i = 0; i < n; i++)
		ge.fold[i] = c->cv > 0 ? (int)(ge.label[i] % (size_t)c->cv) : 0;
	/* The labels as groups: how many there are, and the pairs. */
	if (kn_group_measure(ge.label, ge.label, NULL, n, &lab) == -1 ||
	    geval_measure(&ge, c->group_threshold, 0, NULL, &fs) == -1 ||
	    geval_measure(&ge, c->group_threshold, 1, NULL, &fr) == -1)
		goto nomem;
	if (c->cv > 0 && (geval_cv(&ge, c->cv, 0, ths, &cvs) == -1 ||
	    geval_cv(&ge, c->cv, 1, thr, &cvr) == -1 ||
	    geval_choose(&ge, 0, NULL, &th_s) == -1 ||
	    geval_choose(&ge, 1, NULL, &th_r) == -1 ||
	    geval_measure(&ge, th_s, 0, NULL, &alls) == -1 ||
	    geval_measure(&ge, th_r, 1, NULL, &allr) == -1))
		goto nomem;
	if (json) {
		printf("{\n  \"queries\": %zu, \"labels\": %zu, "
		    "\"same_label_pairs\": %llu, \"kb_entries\": %zu, "
		    "\"min_score\": %.4g,\n", n, lab.groups,
		    (unsigned long long)lab.tp, kn_kb_count(kb),
		    c->min_score);
		json_group_figures("similarity", c->group_threshold, &fs, 0);
		json_group_figures("with_answer_rule", c->group_threshold, &fr,
		    c->cv == 0);
		if (c->cv > 0) {
			printf("  \"cv_folds\": %d, \"cv_thresholds\": [",
			    c->cv);
			for (i = 0; i < (size_t)c->cv; i++)
				printf("%s%.4g", i ? ", " : "", ths[i]);
			printf("], \"cv_thresholds_with_answer_rule\": [");
			for (i = 0; i < (size_t)c->cv; i++)
				printf("%s%.4g", i ? ", " : "", thr[i]);
			printf("],\n");
			json_group_figures("cv_similarity", -1, &cvs, 0);
			json_group_figures("cv_with_answer_rule", -1, &cvr,
			    0);
			json_group_figures("chosen_on_all_similarity", th_s,
			    &alls, 0);
			json_group_figures("chosen_on_all_with_answer_rule", th_r,
			    &allr, 1);
		}
		printf("}\n");
	} else {
		char title[160];

		printf("gom nhóm %zu truy vấn: %zu nhóm theo nhãn expect, %llu "
		    "cặp cùng nhãn; nền idf: cơ sở tri thức %zu mục\n", n,
		    lab.groups, (unsigned long long)lab.tp, kn_kb_count(kb));
		snprintf(title, sizeof(title), "chỉ theo độ tương tự, "
		    "--group-threshold %.4g:", c->group_threshold);
		print_group_figures(title, &fs, 1);
		snprintf(title, sizeof(title), "thêm quy tắc cùng mục được đề "
		    "xuất (--min-score %.4g):", c->min_score);
		print_group_figures(title, &fr, 1);
		if (c->cv > 0) {
			printf("kiểm định chéo %d phần theo nhãn (ngưỡng chọn "
			    "trên các phần còn lại)\n  chỉ theo độ tương tự, "
			    "ngưỡng:", c->cv);
			for (i = 0; i < (size_t)c->cv; i++)
				printf(" %.4g", ths[i]);
			printf("\n");
			print_group_figures("  gộp các phần:", &cvs, 0);
			printf("  thêm quy tắc cùng mục được đề xuất, ngưỡng:");
			for (i = 0; i < (size_t)c->cv; i++)
				printf(" %.4g", thr[i]);
			printf("\n");
			print_group_figures("  gộp các phần:", &cvr, 0);
			snprintf(title, sizeof(title), "ngưỡng chọn trên toàn bộ "
			    "truy vấn, chỉ theo độ tương tự: %.4g", th_s);
			print_group_figures(title, &alls, 1);
			snprintf(title, sizeof(title), "ngưỡng chọn trên toàn bộ "
			    "truy vấn, thêm quy tắc: %.4g", th_r);
			print_group_figures(title, &allr, 1);
		}
	}
	if (c->misses) {
		/* Similarity alone, at --group-threshold. */
		if (geval_run(&ge, c->group_threshold, 0, NULL) == -1)
			goto nomem;
		for (i = 0; i < n; i++) {
			const struct query *q = &qs->q[i];
			size_t j, g = ge.group[i];

			if (g != i && ge.label[g] != ge.label[i])
				fprintf(json ? stderr : stdout, "joined %s: "
				    "expect %s, group %s (expect %s), "
				    "similarity %.3f\n", q->id,
				    q->expect ? q->expect : "null",
				    qs->q[g].id, qs->q[g].expect ?
				    qs->q[g].expect : "null", ge.sim[i]);
			for (j = 0; j < i; j++)
				if (ge.label[j] == ge.label[i] &&
				    ge.group[j] != g) {
					fprintf(json ? stderr : stdout,
					    "apart %s: expect %s, group %s, "
					    "%s in group %s\n", q->id,
					    q->expect, qs->q[g].id,
					    qs->q[j].id,
					    qs->q[ge.group[j]].id);
					break;
				}
		}
	}
	rc = 0;
	goto out;
nomem:
	kn_msg(o, "out of memory");
out:
	free(ge.label);
	free(ge.fold);
	free(ge.group);
	free(ge.sim);
	free(ge.mask);
	return rc;
}

static int
eval_main(int argc, char *argv[])
{
	struct kn_opts o;
	struct conf c;
	struct kn_abbrev *ab = NULL;
	struct kn_kb *kb = NULL;
	struct kn_record *r;
	struct kn_buf text = KN_BUF_INIT, tmp = KN_BUF_INIT;
	struct queries qs;
	struct kn_eval_figures fcv;
	double ths[100];
	int ch, json = 0, rc = KN_EXIT_FATAL, nin, rd, st;
	static char *stdin_only[] = { "-", NULL };
	char **inputs;

	memset(&c, 0, sizeof(c));
	memset(&qs, 0, sizeof(qs));
	c.min_score = KN_KB_MIN_SCORE;
	c.group_threshold = KN_GROUP_THRESHOLD;
	kn_opts_init(&o, "kn-answer");
	optind = 1;
	while ((ch = getopt_long(argc, argv, KN_COMMON_SHORTOPTS, evalopts,
	    NULL)) != -1) {
		if (ch == 'h') {
			help();
			return KN_EXIT_OK;
		}
		if (ch == KN_OPT_TO) {
			if (strcmp(optarg, "json") == 0)
				json = 1;
			else if (strcmp(optarg, "text") != 0) {
				kn_msg(&o, "--to: eval prints text or json, "
				    "not \"%s\"", optarg);
				return KN_EXIT_FATAL;
			}
			continue;
		}
		switch (tool_option(&o, &c, ch, optarg)) {
		case 0:
			continue;
		case -1:
			return KN_EXIT_FATAL;
		}
		if ((st = kn_opts_other(&o, ch, optarg, usage)) >= 0)
			return st;
	}
	if ((ab = load_abbrev(&o, &c)) == NULL ||
	    (kb = load_kb(&o, &c, ab)) == NULL)
		goto out;
	nin = argc - optind;
	inputs = nin > 0 ? argv + optind : stdin_only;
	if (nin == 0)
		nin = 1;
	for (int fi = 0; fi < nin; fi++) {
		struct kn_reader *rdr;
		struct kn_error err;

		kn_error_clear(&err);
		if ((rdr = kn_reader_open(inputs[fi], &o.ropts, &err)) ==
		    NULL) {
			kn_die(&o, &err);
			goto out;
		}
		while ((rd = kn_reader_next(rdr, &r, &err)) != KN_READ_END) {
			if (rd != KN_READ_RECORD) {
				kn_die(&o, &err);
				kn_reader_close(rdr);
				goto out;
			}
			if (eval_query(&o, &c, kb, r, &qs, &text, &tmp) == -1) {
				kn_record_free(r);
				kn_reader_close(rdr);
				goto out;
			}
			kn_record_free(r);
		}
		kn_reader_close(rdr);
	}
	if (c.group) {
		if (eval_groups(&o, &c, ab, kb, &qs, json) == -1)
			goto out;
	} else {
		if (c.cv > 0 && kn_eval_cv(qs.items, qs.n, c.cv, ths,
		    &fcv) == -1) {
			kn_msg(&o, "out of memory");
			goto out;
		}
		eval_answers(&c, kb, &qs, json, ths, &fcv);
	}
	rc = ferror(stdout) || fflush(stdout) == EOF ? KN_EXIT_FATAL :
	    KN_EXIT_OK;
	if (rc != KN_EXIT_OK)
		kn_msg(&o, "<stdout>: %s", strerror(errno));
out:
	free_queries(&qs);
	kn_buf_free(&text);
	kn_buf_free(&tmp);
	kn_kb_free(kb);
	kn_abbrev_free(ab);
	return rc;
}

/* ---- searching a batch on several threads ---- */

#define BATCH		1024	/* records read before they are searched */
#define MAX_THREADS	16

struct slot {
	struct kn_record *rec;
	char		*text;		/* what the record asks */
	size_t		 len;
	char		*field;		/* or NULL */
	int		 want;		/* the knowledge base is searched */
	int		 found;		/* kn_kb_best_with's return */
	struct kn_hit	 hit;
};

struct job {
	const struct kn_kb *kb;
	struct kn_kb_search *s;
	struct slot	*slot;
	size_t		 first, n, step;
	double		 min_score;
	int		 rc;
};

/*
 * A batch of records and the threads searching it.  The threads read
 * only the slots' text and field and write only found and hit, so that
 * the main thread can meanwhile read the next batch and write the last.
 */
struct batch {
	struct slot	*slot;
	size_t		 n;
	struct job	 jobs[MAX_THREADS];
	pthread_t	 tid[MAX_THREADS];
	int		 started[MAX_THREADS];
	int		 searching;
};

static void *
run_job(void *arg)
{
	struct job *j = arg;
	size_t i;

	j->rc = 0;
	for (i = j->first; i < j->n; i += j->step) {
		struct slot *sl = &j->slot[i];

		if (!sl->want)
			continue;
		sl->found = kn_kb_best_with(j->kb, j->s, sl->text, sl->len,
		    sl->field, j->min_score, &sl->hit);
		if (sl->found == -1)
			j->rc = -1;
	}
	return NULL;
}

/* Start searching the slots of b that want it, on nthreads threads. */
static void
search_start(const struct kn_kb *kb, struct kn_kb_search **s, int nthreads,
    struct batch *b, double min_score)
{
	int t;

	b->searching = kb != NULL && b->n > 0;
	if (!b->searching)
		return;
	for (t = 0; t < nthreads; t++) {
		b->jobs[t].kb = kb;
		b->jobs[t].s = s[t];
		b->jobs[t].slot = b->slot;
		b->jobs[t].first = (size_t)t;
		b->jobs[t].n = b->n;
		b->jobs[t].step = (size_t)nthreads;
		b->jobs[t].min_score = min_score;
		b->jobs[t].rc = 0;
		b->started[t] = pthread_create(&b->tid[t], NULL, run_job,
		    &b->jobs[t]) == 0;
	}
}

/*
 * Wait for the search of b to end; a share whose thread could not be
 * started is searched here.  -1 when out of memory.
 */
static int
search_wait(struct batch *b, int nthreads)
{
	int t, rc = 0;

	if (!b->searching)
		return 0;
	for (t = 0; t < nthreads; t++) {
		if (b->started[t])
			pthread_join(b->tid[t], NULL);
		else
			run_job(&b->jobs[t]);
		if (b->jobs[t].rc == -1)
			rc = -1;
	}
	b->searching = 0;
	return rc;
}

static void
free_batch(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		kn_record_free(b->slot[i].rec);
		free(b->slot[i].text);
		free(b->slot[i].field);
		memset(&b->slot[i], 0, sizeof(b->slot[i]));
	}
	b->n = 0;
}

/* As many threads as processors online, up to 8. */
static int
default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* ---- the record stream ---- */

/* A status that a suggestion must not replace. */
static int
settled(const char *status)
{
	return strcmp(status, "answered") == 0 ||
	    strcmp(status, "closed") == 0 ||
	    strcmp(status, "duplicate") == 0;
}

static int
report_answers_problems(const struct kn_opts *o, const char *path,
    const struct kn_answers *a)
{
	const char *text;
	long line;
	size_t i;
	int warning, errors = 0;

	for (i = 0; kn_answers_problem(a, i, &line, &text, &warning); i++) {
		kn_msg_at(o, path, line, "%s", text);
		errors += !warning;
	}
	return errors;
}

/* What a run works with, from record to record. */
struct run {
	struct kn_opts	 o;
	struct conf	 c;
	struct kn_kb	*kb;
	struct kn_grouper *g;
	struct kn_answers *ans;
	int		 suggest;
	struct kn_buf	 text, id;
	unsigned long	 nsuggested, nnone, nkept, napplied;
};

/*
 * Read up to BATCH records into b.  0 at the end of the input, 1 when
 * there may be more, -1 when out of memory (after a message).
 */
static int
read_batch(struct run *r, struct batch *b)
{
	struct kn_record *rec;
	int more = 1;

	b->n = 0;
	while (b->n < BATCH && (more = kn_run_next(&r->o, &rec) ==
	    KN_READ_RECORD)) {
		struct slot *sl = &b->slot[b->n];
		const char *field = kn_record_str(rec, "field");

		kn_buf_reset(&r->id);
		if (r->g != NULL && kn_record_text(rec, "id", &r->id) <= 0) {
			int rc = kn_run_reject(&r->o, rec, "no \"id\": the "
			    "record cannot be grouped");

			kn_record_free(rec);
			if (rc == -1)
				return 0;
			continue;
		}
		record_text(rec, &r->text);
		sl->rec = rec;
		b->n++;
		if ((sl->text = strdup(kn_buf_str(&r->text))) == NULL ||
		    (field != NULL && (sl->field = strdup(field)) == NULL)) {
			kn_msg(&r->o, "out of memory");
			return -1;
		}
		sl->len = r->text.len;
		/* Grouping needs the entry of settled records too. */
		sl->want = r->kb != NULL && (r->g != NULL ||
		    !settled(kn_record_strz(rec, "status")));
	}
	return more;
}

/*
 * Give the record of sl its best entry when it is found (hit) and
 * better than the suggestion of an earlier run, if any, and count it.
 * -1 when out of memory.
 */
static int
suggest(struct run *r, struct slot *sl, int hit)
{
	double earlier;

	switch (hit ? kn_suggestion_apply(sl->rec, r->kb, &sl->hit) : 0) {
	case -1:
		return -1;
	case 1:
		r->nsuggested++;
		break;
	default:
		if (kn_suggestion_score(sl->rec, &earlier))
			r->nkept++;
		else
			r->nnone++;
	}
	return 0;
}

/*
 * Group, merge, suggest and write the records of a searched batch, in
 * order.  -1 when out of memory (after a message).
 */
static int
write_batch(struct run *r, struct batch *b)
{
	size_t i;
	int status;

	for (i = 0; i < b->n && !r->o.fatal && !r->o.stopped; i++) {
		struct slot *sl = &b->slot[i];
		int hit = sl->want && sl->found == 1 &&
		    sl->hit.score >= r->c.min_score;

		if (r->g != NULL) {
			const char *grp;

			kn_buf_reset(&r->id);
			kn_record_text(sl->rec, "id", &r->id);
			if ((grp = kn_grouper_add(r->g, r->id.data, sl->field,
			    sl->text, sl->len, hit ? kn_kb_id(r->kb,
			    sl->hit.entry) : NULL, NULL)) == NULL ||
			    kn_record_set_str(sl->rec, "group", grp) == -1)
				goto nomem;
		}
		if (r->ans != NULL) {
			if ((status = kn_answers_apply(r->ans, sl->rec)) == -1)
				goto nomem;
			r->napplied += (unsigned long)status;
		}
		if (r->suggest && !settled(kn_record_strz(sl->rec,
		    "status")) && suggest(r, sl, hit) == -1)
			goto nomem;
		kn_run_write(&r->o, sl->rec);
	}
	return 0;
nomem:
	kn_msg(&r->o, "out of memory");
	return -1;
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct kn_opts *o = &r.o;
	struct conf *c = &r.c;
	struct kn_abbrev *ab = NULL;
	struct kn_error err;
	struct kn_kb_search *searches[MAX_THREADS];
	struct batch bufs[2], *cur = &bufs[0], *nxt = &bufs[1], *tmp;
	int ch, rc = 0, problems = 0, more, nthreads = 0, t, st;

	if (argc > 1 && strcmp(argv[1], "eval") == 0) {
		/* So that getopt's messages name the program. */
		argv[1] = argv[0];
		return eval_main(argc - 1, argv + 1);
	}
	memset(&r, 0, sizeof(r));
	memset(bufs, 0, sizeof(bufs));
	c->min_score = KN_KB_MIN_SCORE;
	c->group_threshold = KN_GROUP_THRESHOLD;
	kn_opts_init(o, "kn-answer");
	while ((ch = getopt_long(argc, argv, KN_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (ch == 'h') {
			help();
			return KN_EXIT_OK;
		}
		switch (tool_option(o, c, ch, optarg)) {
		case 0:
			continue;
		case -1:
			return KN_EXIT_FATAL;
		}
		if ((st = kn_opts_other(o, ch, optarg, usage)) >= 0)
			return st;
	}
	kn_error_clear(&err);
	if ((ab = load_abbrev(o, c)) == NULL)
		return KN_EXIT_FATAL;
	/*
	 * Suggest unless the run only records answers.  Grouping uses the
	 * knowledge base whether or not suggestions are written: its
	 * questions weigh the terms, and records given the same entry share
	 * a group, so that a record's group does not depend on --answers.
	 */
	r.suggest = c->nkb > 0 || c->answers == NULL;
	if ((r.suggest || c->group) && (r.kb = load_kb(o, c, ab)) == NULL)
		goto fatal;
	if (c->group && (r.g = kn_grouper_new(ab, r.kb,
	    c->group_threshold)) == NULL) {
		kn_msg(o, "out of memory");
		goto fatal;
	}
	if (c->answers != NULL) {
		if ((r.ans = kn_answers_load(c->answers, NULL, &err)) == NULL) {
			kn_die(o, &err);
			goto fatal;
		}
		problems = report_answers_problems(o, c->answers, r.ans);
	}
	if ((bufs[0].slot = calloc(BATCH, sizeof(*bufs[0].slot))) == NULL ||
	    (bufs[1].slot = calloc(BATCH, sizeof(*bufs[1].slot))) == NULL) {
		kn_msg(o, "out of memory");
		goto fatal;
	}
	if (r.kb != NULL) {
		nthreads = c->jobs > 0 ? c->jobs : default_jobs();
		for (t = 0; t < nthreads; t++)
			if ((searches[t] = kn_kb_search_new(r.kb)) == NULL) {
				kn_msg(o, "out of memory");
				nthreads = t;
				goto fatal;
			}
	}
	if (kn_run_begin(o, argc - optind, argv + optind) == -1)
		goto fatal;
	/*
	 * A pipeline of batches: while the threads search one batch, this
	 * thread reads the next, then groups, merges, suggests and writes
	 * the one searched, in input order.  Grouping needs the entry
	 * found; merging may name a group; a suggestion goes only to a
	 * record still open after merging.
	 */
	if ((more = read_batch(&r, cur)) == -1)
		o->fatal = 1;
	else
		search_start(r.kb, searches, nthreads, cur, c->min_score);
	while (cur->n > 0 && !o->fatal && !o->stopped) {
		if (more == 1 && (more = read_batch(&r, nxt)) == -1)
			o->fatal = 1;
		if (search_wait(cur, nthreads) == -1) {
			kn_msg(o, "out of memory");
			o->fatal = 1;
		}
		if (o->fatal)
			break;
		search_start(r.kb, searches, nthreads, nxt, c->min_score);
		if (write_batch(&r, cur) == -1)
			o->fatal = 1;
		free_batch(cur);
		tmp = cur;
		cur = nxt;
		nxt = tmp;
	}
	search_wait(cur, nthreads);
	search_wait(nxt, nthreads);
	if (r.ans != NULL && !o->fatal && !o->stopped) {
		const char *key, *value;
		size_t pos = 0;
		long line;

		while (kn_answers_unmatched(r.ans, &pos, &line, &key, &value)) {
			kn_msg_at(o, c->answers, line, "no record %s \"%s\"",
			    strcmp(key, "id") == 0 ? "with id" : "in group",
			    value);
			problems++;
		}
	}
	rc = kn_run_end(o);
	if (rc != KN_EXIT_FATAL && !o->quiet) {
		if (r.suggest)
			fprintf(o->diag, "kn-answer: %lu suggested, %lu without "
			    "a suggestion at --min-score %.4g\n", r.nsuggested,
			    r.nnone, c->min_score);
		if (r.suggest && r.nkept > 0)
			fprintf(o->diag, "kn-answer: %lu kept an earlier "
			    "suggestion, none better found\n", r.nkept);
		if (r.g != NULL)
			fprintf(o->diag, "kn-answer: %zu group%s\n",
			    kn_grouper_count(r.g),
			    kn_grouper_count(r.g) == 1 ? "" : "s");
		if (r.ans != NULL)
			fprintf(o->diag, "kn-answer: %lu record%s answered from "
			    "%s\n", r.napplied, r.napplied == 1 ? "" : "s",
			    c->answers);
	}
	if (rc == KN_EXIT_OK && problems > 0)
		rc = KN_EXIT_REJECTS;
	goto out;
fatal:
	rc = KN_EXIT_FATAL;
out:
	for (t = 0; t < nthreads; t++)
		kn_kb_search_free(searches[t]);
	for (t = 0; t < 2; t++) {
		if (bufs[t].slot != NULL)
			free_batch(&bufs[t]);
		free(bufs[t].slot);
	}
	kn_buf_free(&r.text);
	kn_buf_free(&r.id);
	kn_answers_free(r.ans);
	kn_grouper_free(r.g);
	kn_kb_free(r.kb);
	kn_abbrev_free(ab);
	return rc;
}
