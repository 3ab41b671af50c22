/*
 * kn-answer: suggest earlier official answers from a knowledge base,
 * group proposals that ask the same thing, and record the answers the
 * departments wrote.  "kn-answer eval" measures the suggestions on
 * labelled queries.
 */
#include <errno.h>
#include <math.h>
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
	    "       kn-answer eval [--misses] [--abbrev file] [--cv k] "
	    "[--kb file]\n"
	    "                 [--min-score x] [--to text | json] "
	    "[queries ...]\n", fp);
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
	    "data/answers-kb.jsonl\n"
	    "  --min-score x         suggest only at this normalised score "
	    "or above\n"
	    "                        (default 0.1865)\n"
	    "  --group               give each record the id of its group's "
	    "first record\n"
	    "  --group-threshold x   Jaccard similarity to join a group "
	    "(default 0.5)\n"
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
	    "                        the errors\n"
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
	char	*got;		/* best entry id, or NULL */
	char	*expect;	/* NULL: unanswerable */
};

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

static int
eval_main(int argc, char *argv[])
{
	struct kn_opts o;
	struct conf c;
	struct kn_abbrev *ab = NULL;
	struct kn_kb *kb = NULL;
	struct kn_record *r;
	struct kn_buf text = KN_BUF_INIT, exp = KN_BUF_INIT;
	struct kn_eval_item *items = NULL;
	struct query *qs = NULL;
	struct kn_eval_figures f, fcv;
	double ths[100];
	size_t n = 0, cap = 0, i;
	int ch, json = 0, rc = KN_EXIT_FATAL, nin, rd;
	static char *stdin_only[] = { "-", NULL };
	char **inputs;

	memset(&c, 0, sizeof(c));
	c.min_score = KN_KB_MIN_SCORE;
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
		switch (kn_opts_common(&o, ch, optarg)) {
		case 0:
			break;
		case 2:
			return KN_EXIT_OK;
		case 1:
			usage(stderr);
			/* FALLTHROUGH */
		default:
			return KN_EXIT_FATAL;
		}
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
			const struct kn_hit *hits;
			const char *e;
			long nh, h, want;
			struct kn_eval_item *it;
			struct query *q;

			if (rd != KN_READ_RECORD) {
				kn_die(&o, &err);
				kn_reader_close(rdr);
				goto out;
			}
			if (!kn_record_has(r, "expect")) {
				kn_msg_at(&o, kn_record_source(r),
				    kn_record_line(r), "no \"expect\" (an "
				    "entry id, or null when none answers)");
				goto bad;
			}
			kn_buf_reset(&exp);
			kn_record_text(r, "expect", &exp);
			e = exp.len > 0 ? exp.data : NULL;
			want = e != NULL ? kn_kb_find(kb, e) : -1;
			if (e != NULL && want < 0) {
				kn_msg_at(&o, kn_record_source(r),
				    kn_record_line(r), "expect: no entry "
				    "\"%s\" in the knowledge base", e);
				goto bad;
			}
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 256;
				void *p;

				if ((p = realloc(items, nc * sizeof(*items))) ==
				    NULL)
					goto nomem;
				items = p;
				if ((p = realloc(qs, nc * sizeof(*qs))) == NULL)
					goto nomem;
				qs = p;
				cap = nc;
			}
			it = &items[n];
			q = &qs[n];
			memset(it, 0, sizeof(*it));
			memset(q, 0, sizeof(*q));
			n++;
			record_text(r, &text);
			nh = kn_kb_rank(kb, text.data, text.len,
			    kn_record_str(r, "field"), &hits);
			if (nh < 0)
				goto nomem;
			it->answerable = e != NULL;
			if (nh > 0) {
				it->score = hits[0].score;
				it->right = (long)hits[0].entry == want;
				q->got = strdup(kn_kb_id(kb, hits[0].entry));
			}
			for (h = 0; h < nh && want >= 0; h++)
				if ((long)hits[h].entry == want) {
					it->rr = 1.0 / (double)(h + 1);
					break;
				}
			kn_buf_reset(&exp);
			kn_record_text(r, "id", &exp);
			q->id = strdup(kn_buf_str(&exp));
			q->expect = e != NULL ? strdup(kn_kb_id(kb, want)) :
			    NULL;
			kn_record_free(r);
			continue;
nomem:
			kn_msg(&o, "out of memory");
bad:
			kn_record_free(r);
			kn_reader_close(rdr);
			goto out;
		}
		kn_reader_close(rdr);
	}
	kn_eval_measure(items, n, c.min_score, &f);
	if (c.cv > 0 && kn_eval_cv(items, n, c.cv, ths, &fcv) == -1) {
		kn_msg(&o, "out of memory");
		goto out;
	}
	if (json) {
		printf("{\n  \"queries\": %zu, \"answerable\": %zu, "
		    "\"unanswerable\": %zu, \"kb_entries\": %zu,\n", f.n,
		    f.nans, f.nun, kn_kb_count(kb));
		printf("  \"top1_ranked\": %.3f, \"mrr\": %.3f,\n",
		    f.nans ? (double)f.ranked / f.nans : 0, f.mrr);
		json_figures("at_min_score", &f, c.cv == 0);
		if (c.cv > 0) {
			struct kn_eval_figures fall;

			kn_eval_measure(items, n, kn_eval_threshold(items, n),
			    &fall);
			printf("  \"cv_folds\": %d, \"cv_thresholds\": [", c.cv);
			for (i = 0; i < (size_t)c.cv; i++)
				printf("%s%.4g", i ? ", " : "", ths[i]);
			printf("],\n");
			json_figures("cv", &fcv, 0);
			json_figures("chosen_on_all", &fall, 1);
		}
		printf("}\n");
	} else {
		printf("truy vấn %zu: có đáp án %zu, không có đáp án %zu; "
		    "cơ sở tri thức %zu mục\n", f.n, f.nans, f.nun,
		    kn_kb_count(kb));
		printf("  top-1 đúng, chưa xét ngưỡng     %.3f  (%zu/%zu)\n",
		    f.nans ? (double)f.ranked / f.nans : 0, f.ranked, f.nans);
		printf("  MRR                             %.3f\n", f.mrr);
		{
			char title[128];

			snprintf(title, sizeof(title), "với --min-score %.4g:",
			    c.min_score);
			print_figures(title, &f);
		}
		if (c.cv > 0) {
			struct kn_eval_figures fall;
			char title[128];
			double th = kn_eval_threshold(items, n);

			printf("kiểm định chéo %d phần (ngưỡng chọn trên các "
			    "phần còn lại):", c.cv);
			for (i = 0; i < (size_t)c.cv; i++)
				printf(" %.4g", ths[i]);
			printf("\n");
			print_figures("  gộp các phần:", &fcv);
			kn_eval_measure(items, n, th, &fall);
			snprintf(title, sizeof(title), "ngưỡng chọn trên toàn bộ "
			    "truy vấn: %.4g", th);
			print_figures(title, &fall);
		}
	}
	if (c.misses) {
		for (i = 0; i < n; i++) {
			int sug = items[i].score > 0 &&
			    items[i].score >= c.min_score;
			const char *what;

			if (items[i].answerable)
				what = !sug ? "missed" : items[i].right ? NULL :
				    "wrong";
			else
				what = sug ? "answered" : NULL;
			if (what == NULL)
				continue;
			fprintf(json ? stderr : stdout, "%s %s: expect %s, "
			    "best %s, score %.3f\n", what, qs[i].id,
			    qs[i].expect ? qs[i].expect : "null",
			    qs[i].got ? qs[i].got : "-", items[i].score);
		}
	}
	rc = ferror(stdout) || fflush(stdout) == EOF ? KN_EXIT_FATAL :
	    KN_EXIT_OK;
	if (rc != KN_EXIT_OK)
		kn_msg(&o, "<stdout>: %s", strerror(errno));
out:
	for (i = 0; i < n; i++) {
		free(qs[i].id);
		free(qs[i].got);
		free(qs[i].expect);
	}
	free(qs);
	free(items);
	kn_buf_free(&text);
	kn_buf_free(&exp);
	kn_kb_free(kb);
	kn_abbrev_free(ab);
	return rc;
}

/* ---- searching a batch on several threads ---- */

#define BATCH		1024	/* records read before they are searched */
#define MAX_THREADS	16

struct slot {
	struct kn_record *rec;
	char		*text;		/* what the record asks; NULL: no search */
	size_t		 len;
	int		 want;		/* the record may get a suggestion */
	int		 found;		/* kn_kb_best_with's return */
	struct kn_hit	 hit;
};

struct job {
	const struct kn_kb *kb;
	struct kn_kb_search *s;
	struct slot	*batch;
	size_t		 first, n, step;
	double		 min_score;
	int		 rc;
};

static void *
run_job(void *arg)
{
	struct job *j = arg;
	size_t i;

	j->rc = 0;
	for (i = j->first; i < j->n; i += j->step) {
		struct slot *sl = &j->batch[i];

		if (!sl->want)
			continue;
		sl->found = kn_kb_best_with(j->kb, j->s, sl->text, sl->len,
		    kn_record_str(sl->rec, "field"), j->min_score, &sl->hit);
		if (sl->found == -1)
			j->rc = -1;
	}
	return NULL;
}

/* Search every slot that wants it, on nthreads threads. */
static int
search_batch(const struct kn_kb *kb, struct kn_kb_search **s, int nthreads,
    struct slot *batch, size_t n, double min_score)
{
	struct job jobs[MAX_THREADS];
	pthread_t tid[MAX_THREADS];
	int started[MAX_THREADS], t, rc = 0;

	if (kb == NULL || n == 0)
		return 0;
	for (t = 0; t < nthreads; t++) {
		jobs[t].kb = kb;
		jobs[t].s = s[t];
		jobs[t].batch = batch;
		jobs[t].first = (size_t)t;
		jobs[t].n = n;
		jobs[t].step = (size_t)nthreads;
		jobs[t].min_score = min_score;
		started[t] = t > 0 && n > 1 &&
		    pthread_create(&tid[t], NULL, run_job, &jobs[t]) == 0;
	}
	/* This thread takes the first share, and that of any not started. */
	for (t = 0; t < nthreads; t++)
		if (!started[t])
			run_job(&jobs[t]);
	for (t = 1; t < nthreads; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
	for (t = 0; t < nthreads; t++)
		if (jobs[t].rc == -1)
			rc = -1;
	return rc;
}

static void
free_batch(struct slot *batch, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		kn_record_free(batch[i].rec);
		free(batch[i].text);
		batch[i].rec = NULL;
		batch[i].text = NULL;
	}
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

int
main(int argc, char *argv[])
{
	struct kn_opts o;
	struct conf c;
	struct kn_abbrev *ab = NULL;
	struct kn_kb *kb = NULL;
	struct kn_grouper *g = NULL;
	struct kn_answers *ans = NULL;
	struct kn_record *rec;
	struct kn_buf text = KN_BUF_INIT, id = KN_BUF_INIT;
	struct kn_error err;
	struct kn_kb_search *searches[MAX_THREADS];
	struct slot *batch = NULL;
	unsigned long nsuggested = 0, nnone = 0, napplied = 0;
	int ch, rc = 0, problems = 0, status, more, nthreads = 0, t;

	if (argc > 1 && strcmp(argv[1], "eval") == 0)
		return eval_main(argc - 1, argv + 1);
	memset(&c, 0, sizeof(c));
	c.min_score = KN_KB_MIN_SCORE;
	c.group_threshold = KN_GROUP_THRESHOLD;
	kn_opts_init(&o, "kn-answer");
	while ((ch = getopt_long(argc, argv, KN_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		if (ch == 'h') {
			help();
			return KN_EXIT_OK;
		}
		switch (tool_option(&o, &c, ch, optarg)) {
		case 0:
			continue;
		case -1:
			return KN_EXIT_FATAL;
		}
		switch (kn_opts_common(&o, ch, optarg)) {
		case 0:
			break;
		case 2:
			return KN_EXIT_OK;
		case 1:
			usage(stderr);
			/* FALLTHROUGH */
		default:
			return KN_EXIT_FATAL;
		}
	}
	kn_error_clear(&err);
	if ((ab = load_abbrev(&o, &c)) == NULL)
		return KN_EXIT_FATAL;
	/* Suggest when asked to, or when asked nothing else. */
	if ((c.nkb > 0 || (!c.group && c.answers == NULL)) &&
	    (kb = load_kb(&o, &c, ab)) == NULL)
		goto fatal;
	if (c.group && (g = kn_grouper_new(ab, c.group_threshold)) == NULL) {
		kn_msg(&o, "out of memory");
		goto fatal;
	}
	if (c.answers != NULL) {
		if ((ans = kn_answers_load(c.answers, NULL, &err)) == NULL) {
			kn_die(&o, &err);
			goto fatal;
		}
		problems = report_answers_problems(&o, c.answers, ans);
	}
	if ((batch = calloc(BATCH, sizeof(*batch))) == NULL) {
		kn_msg(&o, "out of memory");
		goto fatal;
	}
	if (kb != NULL) {
		nthreads = c.jobs > 0 ? c.jobs : default_jobs();
		for (t = 0; t < nthreads; t++)
			if ((searches[t] = kn_kb_search_new(kb)) == NULL) {
				kn_msg(&o, "out of memory");
				nthreads = t;
				goto fatal;
			}
	}
	if (kn_run_begin(&o, argc - optind, argv + optind) == -1)
		goto fatal;
	/*
	 * Records go in batches: grouping and merging, which depend on the
	 * order, one by one; the searches of a batch on all the threads;
	 * then the batch is written in input order.
	 */
	for (more = 1; more && !o.fatal && !o.stopped;) {
		size_t n = 0, i;

		while (n < BATCH && (more = kn_run_next(&o, &rec) ==
		    KN_READ_RECORD)) {
			struct slot *sl = &batch[n];

			memset(sl, 0, sizeof(*sl));
			record_text(rec, &text);
			if (g != NULL) {
				const char *grp;

				kn_buf_reset(&id);
				if (kn_record_text(rec, "id", &id) <= 0) {
					rc = kn_run_reject(&o, rec, "no \"id\": "
					    "the record cannot be grouped");
					kn_record_free(rec);
					if (rc == -1)
						more = 0;
					continue;
				}
				if ((grp = kn_grouper_add(g, id.data,
				    kn_record_str(rec, "field"), text.data,
				    text.len, NULL)) == NULL ||
				    kn_record_set_str(rec, "group", grp) == -1)
					goto nomem;
			}
			if (ans != NULL) {
				if ((status = kn_answers_apply(ans, rec)) == -1)
					goto nomem;
				napplied += (unsigned long)status;
			}
			if (kb != NULL && !settled(kn_record_strz(rec,
			    "status"))) {
				sl->want = 1;
				if ((sl->text = strdup(text.data)) == NULL)
					goto nomem;
				sl->len = text.len;
			}
			sl->rec = rec;
			n++;
		}
		if (search_batch(kb, searches, nthreads, batch, n,
		    c.min_score) == -1)
			goto nomem_batch;
		for (i = 0; i < n; i++) {
			struct slot *sl = &batch[i];

			if (sl->want && sl->found == 1 &&
			    sl->hit.score >= c.min_score) {
				if (kn_record_set_str(sl->rec, "answer_id",
				    kn_kb_id(kb, sl->hit.entry)) == -1 ||
				    kn_record_set_str(sl->rec, "answer",
				    kn_kb_answer(kb, sl->hit.entry)) == -1 ||
				    kn_record_set_real(sl->rec, "answer_score",
				    sl->hit.score) == -1 ||
				    kn_record_set_str(sl->rec, "status",
				    "suggested") == -1)
					goto nomem_batch;
				nsuggested++;
			} else if (sl->want)
				nnone++;
			if (!o.fatal && !o.stopped)
				kn_run_write(&o, sl->rec);
		}
		free_batch(batch, n);
		continue;
nomem:
		kn_record_free(rec);
nomem_batch:
		free_batch(batch, n);
		kn_msg(&o, "out of memory");
		o.fatal = 1;
	}
	if (ans != NULL && !o.fatal && !o.stopped) {
		const char *key, *value;
		size_t pos = 0;
		long line;

		while (kn_answers_unmatched(ans, &pos, &line, &key, &value)) {
			kn_msg_at(&o, c.answers, line, "no record %s \"%s\"",
			    strcmp(key, "id") == 0 ? "with id" : "in group",
			    value);
			problems++;
		}
	}
	rc = kn_run_end(&o);
	if (rc != KN_EXIT_FATAL && !o.quiet) {
		if (kb != NULL)
			fprintf(o.diag, "kn-answer: %lu suggested, %lu without "
			    "a suggestion at --min-score %.4g\n", nsuggested,
			    nnone, c.min_score);
		if (g != NULL)
			fprintf(o.diag, "kn-answer: %zu group%s\n",
			    kn_grouper_count(g),
			    kn_grouper_count(g) == 1 ? "" : "s");
		if (ans != NULL)
			fprintf(o.diag, "kn-answer: %lu record%s answered from "
			    "%s\n", napplied, napplied == 1 ? "" : "s",
			    c.answers);
	}
	if (rc == KN_EXIT_OK && problems > 0)
		rc = KN_EXIT_REJECTS;
	goto out;
fatal:
	rc = KN_EXIT_FATAL;
out:
	for (t = 0; t < nthreads; t++)
		kn_kb_search_free(searches[t]);
	free(batch);
	kn_buf_free(&text);
	kn_buf_free(&id);
	kn_answers_free(ans);
	kn_grouper_free(g);
	kn_kb_free(kb);
	kn_abbrev_free(ab);
	return rc;
}
