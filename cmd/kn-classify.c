/*
 * kn-classify: give each proposal its field (traffic, records, ...),
 * with a confidence and, on request, the evidence; train the model it
 * uses; measure it on labelled records (eval), by cross-validation, or
 * by validation across groups of records such as their writers (cv).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"
#include "kn/classify.h"
#include "kn/confusion.h"
#include "kn/model.h"

enum mode {
	MODE_CLASSIFY,
	MODE_TRAIN,
	MODE_EVAL,
	MODE_CV
};

enum {
	OPT_ABBREV = KN_OPT_TOOL,
	OPT_ALPHA,
	OPT_EPOCHS,
	OPT_EXPLAIN,
	OPT_FIELDS,
	OPT_FOLDS,
	OPT_HOLD_OUT,
	OPT_L2,
	OPT_LEARNER,
	OPT_LEXICON,
	OPT_LEXICON_WEIGHT,
	OPT_MIN_CONFIDENCE,
	OPT_MIN_COUNT,
	OPT_MIN_DF,
	OPT_MODEL,
	OPT_SPLIT_BY,
	OPT_TEMPERATURE
};

/* The training options given, applied over the learner's defaults. */
enum {
	GIVEN_ALPHA = 1 << 0,
	GIVEN_MIN_COUNT = 1 << 1,
	GIVEN_L2 = 1 << 2,
	GIVEN_EPOCHS = 1 << 3,
	GIVEN_MIN_DF = 1 << 4,
	GIVEN_TEMPERATURE = 1 << 5,
	GIVEN_LEXICON_WEIGHT = 1 << 6,
	GIVEN_LEARNER = 1 << 7
};
#define GIVEN_NB	(GIVEN_ALPHA | GIVEN_MIN_COUNT)
#define GIVEN_LOGREG	(GIVEN_L2 | GIVEN_EPOCHS | GIVEN_MIN_DF)

static const struct option longopts[] = {
	{ "abbrev",		required_argument,	NULL, OPT_ABBREV },
	{ "alpha",		required_argument,	NULL, OPT_ALPHA },
	{ "epochs",		required_argument,	NULL, OPT_EPOCHS },
	{ "explain",		no_argument,		NULL, OPT_EXPLAIN },
	{ "fields",		required_argument,	NULL, OPT_FIELDS },
	{ "folds",		required_argument,	NULL, OPT_FOLDS },
	{ "hold-out",		required_argument,	NULL, OPT_HOLD_OUT },
	{ "l2",			required_argument,	NULL, OPT_L2 },
	{ "learner",		required_argument,	NULL, OPT_LEARNER },
	{ "lexicon",		required_argument,	NULL, OPT_LEXICON },
	{ "lexicon-weight",	required_argument,	NULL,
	    OPT_LEXICON_WEIGHT },
	{ "min-confidence",	required_argument,	NULL,
	    OPT_MIN_CONFIDENCE },
	{ "min-count",		required_argument,	NULL, OPT_MIN_COUNT },
	{ "min-df",		required_argument,	NULL, OPT_MIN_DF },
	{ "model",		required_argument,	NULL, OPT_MODEL },
	{ "split-by",		required_argument,	NULL, OPT_SPLIT_BY },
	{ "temperature",	required_argument,	NULL, OPT_TEMPERATURE },
	KN_COMMON_LONGOPTS
};

#define DEFAULT_FOLDS 10
#define MAX_HOLD_OUT 64

struct run {
	struct kn_opts		 o;
	struct kn_classify_opts	 co;
	struct kn_model_params	 np;	/* as given; see params() */
	unsigned		 given;	/* GIVEN_* */
	enum mode		 mode;
	int			 explain;
	int			 folds;
	int			 folds_given;
	const char		*split_by;	/* cv: the key of the groups */
	const char		*hold_out[MAX_HOLD_OUT]; /* cv: "C,D" each */
	int			 nhold_out;
	int			 quiet;		/* -q as given */
	const char		*out;		/* -o as given */
	int			 json;		/* eval, cv: --to json(l) */
	struct kn_classifier	*c;
};

static void
usage(FILE *fp)
{
	fputs("usage: kn-classify [-hq] [-o file] [--abbrev file] [--explain] "
	    "[--fields file]\n"
	    "                   [--lexicon file] [--min-confidence x] "
	    "[--model file]\n"
	    "                   [common options] [file ...]\n"
	    "       kn-classify train [-q] [-o model] [--learner name] "
	    "[--l2 x] [--epochs n]\n"
	    "                   [--min-df n] [--alpha a] [--min-count n] "
	    "[--temperature t]\n"
	    "                   [--lexicon-weight w] [common options] "
	    "file ...\n"
	    "       kn-classify eval [-q] [-o file] [--to json] "
	    "[--model file] [common options]\n"
	    "                   file ...\n"
	    "       kn-classify cv [-q] [-o file] [--folds n] [--split-by key] "
	    "[--to json]\n"
	    "                   [--hold-out v,...] [train options] file ...\n",
	    fp);
}

static void
help(void)
{
	usage(stdout);
	fputs("\nGive each proposal a field from its title and text, with or "
	    "without diacritics.\n"
	    "  --explain             add evidence: the terms that decided, "
	    "with weights\n"
	    "  --min-confidence x    below x: field \"other\", needs_review "
	    "(default 0.4)\n"
	    "  --model file          the model (data/model.txt)\n"
	    "  --lexicon file        weighted phrases: field,phrase,weight "
	    "(data/lexicon.csv)\n"
	    "  --abbrev file         abbreviations: abbrev,expansion[,case] "
	    "(data/abbrev.csv)\n"
	    "  --fields file         the taxonomy (data/fields.csv)\n"
	    "  train: --learner logistic-regression|naive-bayes, "
	    "--temperature t,\n"
	    "         --lexicon-weight w; logistic regression: --l2 x, "
	    "--epochs n,\n"
	    "         --min-df n; naive Bayes: --alpha a, --min-count n\n"
	    "  cv:    --folds n      cross-validate in n folds (10)\n"
	    "         --split-by key train on the other groups, score each "
	    "group\n"
	    "         --hold-out v,..  score these groups together "
	    "(repeatable)\n"
	    "  common: --from, --to, --encoding, --delimiter, --max-field, "
	    "--rejects,\n"
	    "          --raw-csv, --wait, --version\n"
	    "\nexample:\n"
	    "  kn-intake thang10.csv | kn-classify --explain > "
	    "classified.jsonl\n"
	    "\nSee kn-classify(1) and kiennghi(7).\n", stdout);
}

/* A number in [lo, hi] for option name; -1 after a message. */
static int
number(struct run *r, const char *name, const char *arg, double lo,
    double hi, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(arg, &end);
	if (errno != 0 || end == arg || *end != '\0' || !isfinite(*v) ||
	    *v < lo || *v > hi) {
		kn_msg(&r->o, "%s: expected a number from %g to %g, not "
		    "\"%s\"", name, lo, hi, arg);
		return -1;
	}
	return 0;
}

/* A whole number in [lo, hi] for option name; -1 after a message. */
static int
whole(struct run *r, const char *name, const char *arg, double lo,
    double hi, unsigned long *v)
{
	double d;

	if (number(r, name, arg, lo, hi, &d) == -1)
		return -1;
	if (d != floor(d)) {
		kn_msg(&r->o, "%s: expected a whole number, not \"%s\"", name,
		    arg);
		return -1;
	}
	*v = (unsigned long)d;
	return 0;
}

/* The training parameters: the learner's defaults, then what was given. */
static void
params(struct run *r, struct kn_model_params *p)
{
	kn_model_params_init(p, r->np.learner);
	if (r->given & GIVEN_ALPHA)
		p->alpha = r->np.alpha;
	if (r->given & GIVEN_MIN_COUNT)
		p->min_count = r->np.min_count;
	if (r->given & GIVEN_L2)
		p->l2 = r->np.l2;
	if (r->given & GIVEN_EPOCHS)
		p->epochs = r->np.epochs;
	if (r->given & GIVEN_MIN_DF)
		p->min_df = r->np.min_df;
	if (r->given & GIVEN_TEMPERATURE)
		p->temperature = r->np.temperature;
	if (r->given & GIVEN_LEXICON_WEIGHT)
		p->lexicon_weight = r->np.lexicon_weight;
}

/* An option that belongs to another mode: a message, usage, exit 2. */
static int
misplaced(struct run *r, const char *what)
{
	kn_msg(&r->o, "%s", what);
	usage(stderr);
	return KN_EXIT_FATAL;
}

/* Check the options against the mode; the exit status, or -1. */
static int
check_options(struct run *r, int argc, int modelopt)
{
	int training = r->mode == MODE_TRAIN || r->mode == MODE_CV;

	if (r->given && !training)
		return misplaced(r, "--learner, --l2, --epochs, --min-df, "
		    "--alpha, --min-count, --temperature and --lexicon-weight "
		    "are for train and cv");
	if ((r->given & GIVEN_NB) && r->np.learner != KN_LEARNER_NB)
		return misplaced(r, "--alpha and --min-count are for "
		    "--learner naive-bayes");
	if ((r->given & GIVEN_LOGREG) && r->np.learner != KN_LEARNER_LOGREG)
		return misplaced(r, "--l2, --epochs and --min-df are for "
		    "--learner logistic-regression");
	if ((r->folds_given || r->split_by != NULL || r->nhold_out > 0) &&
	    r->mode != MODE_CV)
		return misplaced(r, "--folds, --split-by and --hold-out are for "
		    "kn-classify cv");
	if (r->folds_given && r->split_by != NULL)
		return misplaced(r, "cv: --folds or --split-by, not both");
	if (r->nhold_out > 0 && r->split_by == NULL)
		return misplaced(r, "cv: --hold-out needs --split-by");
	if (r->explain && r->mode != MODE_CLASSIFY)
		return misplaced(r, "--explain is for classifying");
	if (modelopt && training)
		return misplaced(r, "--model: train and cv make their own "
		    "model");
	if ((r->mode == MODE_EVAL || r->mode == MODE_CV) &&
	    r->o.to == KN_FMT_CSV) {
		kn_msg(&r->o, "--to: a report is text or json, not csv");
		return KN_EXIT_FATAL;
	}
	if (r->mode != MODE_CLASSIFY && optind == argc) {
		kn_msg(&r->o, "%s: name the labelled files to read",
		    r->mode == MODE_TRAIN ? "train" : r->mode == MODE_EVAL ?
		    "eval" : "cv");
		usage(stderr);
		return KN_EXIT_FATAL;
	}
	return -1;
}

/* A training option; 0, or -1 after a message. */
static int
train_option(struct run *r, int ch, const char *arg)
{
	double v;
	int l;

	switch (ch) {
	case OPT_LEARNER:
		if ((l = kn_learner_parse(arg)) < 0) {
			kn_msg(&r->o, "--learner: expected logistic-regression "
			    "or naive-bayes, not \"%s\"", arg);
			return -1;
		}
		r->np.learner = (enum kn_learner)l;
		r->given |= GIVEN_LEARNER;
		return 0;
	case OPT_ALPHA:
		r->given |= GIVEN_ALPHA;
		return number(r, "--alpha", arg, 1e-9, 1e6, &r->np.alpha);
	case OPT_MIN_COUNT:
		r->given |= GIVEN_MIN_COUNT;
		return whole(r, "--min-count", arg, 1, 1e9, &r->np.min_count);
	case OPT_L2:
		r->given |= GIVEN_L2;
		return number(r, "--l2", arg, 0, 1, &r->np.l2);
	case OPT_EPOCHS:
		r->given |= GIVEN_EPOCHS;
		return whole(r, "--epochs", arg, 1, 10000, &r->np.epochs);
	case OPT_MIN_DF:
		r->given |= GIVEN_MIN_DF;
		return whole(r, "--min-df", arg, 1, 1e9, &r->np.min_df);
	case OPT_TEMPERATURE:
		r->given |= GIVEN_TEMPERATURE;
		return number(r, "--temperature", arg, 1e-6, 1e6,
		    &r->np.temperature);
	case OPT_LEXICON_WEIGHT:
		r->given |= GIVEN_LEXICON_WEIGHT;
		if (number(r, "--lexicon-weight", arg, 0, 1e6, &v) == -1)
			return -1;
		r->np.lexicon_weight = v;
		return 0;
	}
	return -1;
}

/* Parse the options; the exit status when the program must stop, or -1. */
static int
options(struct run *r, int argc, char *argv[])
{
	unsigned long n;
	int ch, rc, modelopt = 0;
	double v;

	while ((ch = getopt_long(argc, argv, KN_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_ABBREV:
			r->co.abbrev = optarg;
			break;
		case OPT_FIELDS:
			r->co.fields = optarg;
			break;
		case OPT_LEXICON:
			r->co.lexicon = optarg;
			break;
		case OPT_MODEL:
			r->co.model = optarg;
			modelopt = 1;
			break;
		case OPT_EXPLAIN:
			r->explain = 1;
			break;
		case OPT_MIN_CONFIDENCE:
			if (number(r, "--min-confidence", optarg, 0, 1, &v) ==
			    -1)
				return KN_EXIT_FATAL;
			r->co.min_confidence = v;
			break;
		case OPT_LEARNER:
		case OPT_ALPHA:
		case OPT_MIN_COUNT:
		case OPT_L2:
		case OPT_EPOCHS:
		case OPT_MIN_DF:
		case OPT_TEMPERATURE:
		case OPT_LEXICON_WEIGHT:
			if (train_option(r, ch, optarg) == -1)
				return KN_EXIT_FATAL;
			break;
		case OPT_FOLDS:
			if (whole(r, "--folds", optarg, 2, 1000, &n) == -1)
				return KN_EXIT_FATAL;
			r->folds = (int)n;
			r->folds_given = 1;
			break;
		case OPT_SPLIT_BY:
			if (*optarg == '\0') {
				kn_msg(&r->o, "--split-by: expected a key");
				return KN_EXIT_FATAL;
			}
			r->split_by = optarg;
			break;
		case OPT_HOLD_OUT:
			if (r->nhold_out == MAX_HOLD_OUT) {
				kn_msg(&r->o, "--hold-out: at most %d",
				    MAX_HOLD_OUT);
				return KN_EXIT_FATAL;
			}
			r->hold_out[r->nhold_out++] = optarg;
			break;
		case 'h':
			help();
			return KN_EXIT_OK;
		default:
			if ((rc = kn_opts_other(&r->o, ch, optarg, usage)) >= 0)
				return rc;
		}
	}
	return check_options(r, argc, modelopt);
}

/*
 * Start the record loop.  Modes that write no records send the loop's
 * output to /dev/null and write their own to -o afterwards.
 */
static int
begin(struct run *r, int argc, char *argv[])
{
	r->out = r->o.output;
	r->quiet = r->o.quiet;
	r->json = r->o.to == KN_FMT_JSON || r->o.to == KN_FMT_JSONL;
	if (r->mode != MODE_CLASSIFY) {
		r->o.output = "/dev/null";
		r->o.to = KN_FMT_JSONL;
	}
	return kn_run_begin(&r->o, argc, argv);
}

/* The end of the loop, quietly for the modes with their own output. */
static int
end(struct run *r)
{
	if (r->mode != MODE_CLASSIFY)
		r->o.quiet = 1;
	return kn_run_end(&r->o);
}

/* Write buf to -o (standard output when none), atomically. */
static int
write_out(struct run *r, const char *data, size_t len,
    int (*fn)(const struct kn_model *, FILE *), const struct kn_model *m)
{
	struct kn_output *out;
	struct kn_error err;
	FILE *fp;

	kn_error_clear(&err);
	if ((out = kn_output_open(r->out, r->o.wait, &err)) == NULL)
		return kn_die(&r->o, &err);
	fp = kn_output_fp(out);
	if ((fn != NULL ? fn(m, fp) : (fwrite(data, 1, len, fp) == len ? 0 :
	    -1)) == -1 || ferror(fp)) {
		/* A closed pipe says nothing with -q, as in kn_run_end. */
		if (errno != EPIPE || !r->quiet)
			kn_msg(&r->o, "%s: %s", kn_output_name(out),
			    strerror(errno ? errno : EIO));
		kn_output_abort(out);
		return KN_EXIT_FATAL;
	}
	if (kn_output_commit(out, &err) == -1) {
		if (err.code == KN_EPIPE && r->quiet)
			return KN_EXIT_FATAL;
		return kn_die(&r->o, &err);
	}
	return KN_EXIT_OK;
}

/* The true field of a labelled record: its index, or -1 (rejected). */
static int
truth(struct run *r, const struct kn_record *rec)
{
	const struct kn_fields *fs = kn_classifier_fields(r->c);
	const char *f = kn_record_str(rec, "field");
	int i;

	if (f == NULL)
		return kn_run_reject(&r->o, rec, "no \"field\" to learn "
		    "from or compare with") == -1 ? -2 : -1;
	if ((i = kn_fields_find(fs, f)) < 0)
		return kn_run_reject(&r->o, rec, "field \"%s\" is not in the "
		    "taxonomy", f) == -1 ? -2 : -1;
	return i;
}

static int
has_text(const struct kn_record *rec)
{
	return kn_record_has(rec, "text") || kn_record_has(rec, "title");
}

static int
nomem(struct run *r)
{
	kn_msg(&r->o, "out of memory");
	r->o.fatal = 1;
	return -1;
}

static int
classify(struct run *r, int argc, char *argv[])
{
	struct kn_record *rec;
	int rc;

	if (begin(r, argc, argv) == -1)
		return KN_EXIT_FATAL;
	while (kn_run_next(&r->o, &rec) == KN_READ_RECORD) {
		if (!has_text(rec))
			rc = kn_run_reject(&r->o, rec, "no \"text\" or "
			    "\"title\" to classify");
		else if (kn_classify_record(r->c, rec, r->explain, NULL) == -1)
			rc = nomem(r);
		else
			rc = kn_run_write(&r->o, rec);
		kn_record_free(rec);
		if (rc == -1)
			break;
	}
	return end(r);
}

/* A new model with the fields of the taxonomy and the training options. */
static struct kn_model *
new_model(struct run *r)
{
	const struct kn_fields *fs = kn_classifier_fields(r->c);
	struct kn_model_params p;
	struct kn_model *m;
	const char **names;
	size_t i;

	if ((names = calloc(fs->n, sizeof(*names))) == NULL)
		return NULL;
	for (i = 0; i < fs->n; i++)
		names[i] = fs->f[i].code;
	params(r, &p);
	m = kn_model_new(names, fs->n, &p);
	free(names);
	return m;
}

static int
train(struct run *r, int argc, char *argv[])
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_record *rec;
	struct kn_model *m;
	unsigned long n = 0;
	int rc, status, f;

	if ((m = new_model(r)) == NULL) {
		kn_msg(&r->o, "out of memory");
		return KN_EXIT_FATAL;
	}
	if (begin(r, argc, argv) == -1) {
		kn_model_free(m);
		return KN_EXIT_FATAL;
	}
	while (kn_run_next(&r->o, &rec) == KN_READ_RECORD) {
		rc = 0;
		if ((f = truth(r, rec)) == -2)
			rc = -1;
		else if (f >= 0 && !has_text(rec))
			rc = kn_run_reject(&r->o, rec, "no \"text\" or "
			    "\"title\" to learn from");
		else if (f >= 0) {
			if (kn_classify_tokens(r->c, &tk, kn_record_str(rec,
			    "title"), kn_record_str(rec, "text")) == -1 ||
			    kn_model_learn(m, (size_t)f, &tk) == -1)
				rc = nomem(r);
			else
				n++;
		}
		kn_record_free(rec);
		if (rc == -1)
			break;
	}
	kn_toks_free(&tk);
	status = end(r);
	if (status == KN_EXIT_FATAL)
		goto out;
	if (n == 0) {
		kn_msg(&r->o, "train: no labelled record to learn from");
		status = KN_EXIT_FATAL;
		goto out;
	}
	if (kn_model_finish(m) == -1) {
		kn_msg(&r->o, "out of memory");
		status = KN_EXIT_FATAL;
		goto out;
	}
	if ((rc = write_out(r, NULL, 0, kn_model_save, m)) != KN_EXIT_OK) {
		status = rc;
		goto out;
	}
	if (!r->quiet)
		fprintf(r->o.diag, "%s: %s trained on %lu record%s, %zu "
		    "features; model written to %s\n", r->o.prog,
		    kn_learner_name(kn_model_params(m)->learner), n,
		    n == 1 ? "" : "s", kn_model_features(m), r->out != NULL &&
		    strcmp(r->out, "-") != 0 ? r->out : "<stdout>");
out:
	kn_model_free(m);
	return status;
}

/* Write the eval report of cm to -o. */
static int
report(struct run *r, const struct kn_confusion *cm)
{
	struct kn_buf b = KN_BUF_INIT;
	int rc;

	if (kn_confusion_report(cm, kn_classifier_fields(r->c), r->json, &b) ==
	    -1) {
		kn_buf_free(&b);
		kn_msg(&r->o, "out of memory");
		return KN_EXIT_FATAL;
	}
	rc = write_out(r, b.data, b.len, NULL, NULL);
	kn_buf_free(&b);
	return rc;
}

static int
eval(struct run *r, int argc, char *argv[])
{
	const struct kn_fields *fs = kn_classifier_fields(r->c);
	struct kn_classification k;
	struct kn_confusion *cm;
	struct kn_record *rec;
	int rc, status, f;

	if ((cm = kn_confusion_new(fs->n)) == NULL) {
		kn_msg(&r->o, "out of memory");
		return KN_EXIT_FATAL;
	}
	if (begin(r, argc, argv) == -1) {
		kn_confusion_free(cm);
		return KN_EXIT_FATAL;
	}
	while (kn_run_next(&r->o, &rec) == KN_READ_RECORD) {
		rc = 0;
		if ((f = truth(r, rec)) == -2)
			rc = -1;
		else if (f >= 0) {
			const char *ti = kn_record_str(rec, "title");
			const char *tx = kn_record_str(rec, "text");
			struct kn_buf all = KN_BUF_INIT;

			if (kn_classify_text(r->c, ti, tx, 0, &k) == -1)
				rc = nomem(r);
			else {
				kn_buf_adds(&all, ti ? ti : "");
				kn_buf_adds(&all, tx ? tx : "");
				kn_confusion_add(cm, (size_t)f, k.field,
				    kn_text_unaccented(kn_buf_str(&all),
				    all.len), k.needs_review);
			}
			kn_buf_free(&all);
		}
		kn_record_free(rec);
		if (rc == -1)
			break;
	}
	status = end(r);
	if (status != KN_EXIT_FATAL) {
		if (kn_confusion_total(cm) == 0) {
			kn_msg(&r->o, "eval: no labelled record to score");
			status = KN_EXIT_FATAL;
		} else if ((rc = report(r, cm)) != KN_EXIT_OK)
			status = rc;
	}
	kn_confusion_free(cm);
	return status;
}

/* A labelled record kept for cross-validation. */
struct doc {
	char	*title, *text;
	size_t	 truth;
	size_t	 group;		/* --split-by: its group's index */
	int	 unaccented;
};

/* The groups of --split-by: their values, in order of appearance. */
struct groups {
	char	**v;
	size_t	 n, cap;
};

static void
free_docs(struct doc *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(d[i].title);
		free(d[i].text);
	}
	free(d);
}

static void
free_groups(struct groups *g)
{
	size_t i;

	for (i = 0; i < g->n; i++)
		free(g->v[i]);
	free(g->v);
}

static char *
dup_or_null(const char *s, int *fail)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*fail = 1;
	return d;
}

/* The index of group value s, added when new; -1 when out of memory. */
static long
group_of(struct groups *g, const char *s)
{
	char **nv;
	size_t i;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->v[i], s) == 0)
			return (long)i;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		if ((nv = realloc(g->v, g->cap * sizeof(*nv))) == NULL)
			return -1;
		g->v = nv;
	}
	if ((g->v[g->n] = strdup(s)) == NULL)
		return -1;
	return (long)g->n++;
}

/*
 * The group of a record by the --split-by key (a string, or a number
 * as written): its index, -1 when rejected, -2 on a fatal error.
 */
static long
record_group(struct run *r, const struct kn_record *rec, struct groups *g)
{
	struct kn_buf b = KN_BUF_INIT;
	const char *s = kn_record_str(rec, r->split_by);
	long i;

	if (s == NULL && kn_record_has(rec, r->split_by) &&
	    kn_record_text(rec, r->split_by, &b) == 0)
		s = kn_buf_str(&b);
	if (s == NULL || *s == '\0') {
		kn_buf_free(&b);
		return kn_run_reject(&r->o, rec, "no \"%s\" to split by",
		    r->split_by) == -1 ? -2 : -1;
	}
	if ((i = group_of(g, s)) == -1)
		nomem(r);
	kn_buf_free(&b);
	return i == -1 ? -2 : i;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Put the groups in the order of their values, for stable reports. */
static int
sort_groups(struct run *r, struct doc *d, size_t n, struct groups *g)
{
	char **sorted;
	size_t i, *to;

	if (g->n == 0)
		return 0;
	if ((sorted = calloc(g->n, sizeof(*sorted))) == NULL ||
	    (to = calloc(g->n, sizeof(*to))) == NULL) {
		free(sorted);
		free_docs(d, n);
		return nomem(r);
	}
	memcpy(sorted, g->v, g->n * sizeof(*sorted));
	qsort(sorted, g->n, sizeof(*sorted), cmp_str);
	for (i = 0; i < g->n; i++)
		to[group_of(g, sorted[i])] = i;
	for (i = 0; i < n; i++)
		d[i].group = to[d[i].group];
	memcpy(g->v, sorted, g->n * sizeof(*sorted));
	free(sorted);
	free(to);
	return 0;
}

/* Read every labelled record; -1 on a fatal error. */
static int
read_docs(struct run *r, struct doc **docs, size_t *ndocs, struct groups *g)
{
	struct kn_record *rec;
	struct doc *d = NULL, *nd;
	size_t n = 0, cap = 0;
	int f, rc, fail;
	long gi = 0;

	while (kn_run_next(&r->o, &rec) == KN_READ_RECORD) {
		rc = 0;
		fail = 0;
		if ((f = truth(r, rec)) == -2)
			rc = -1;
		else if (f >= 0 && r->split_by != NULL &&
		    (gi = record_group(r, rec, g)) < 0)
			rc = gi == -2 ? -1 : 0;
		else if (f >= 0) {
			struct kn_buf all = KN_BUF_INIT;

			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				if ((nd = realloc(d, cap * sizeof(*d))) ==
				    NULL) {
					kn_record_free(rec);
					free_docs(d, n);
					return nomem(r);
				}
				d = nd;
			}
			d[n].title = dup_or_null(kn_record_str(rec, "title"),
			    &fail);
			d[n].text = dup_or_null(kn_record_str(rec, "text"),
			    &fail);
			d[n].truth = (size_t)f;
			d[n].group = (size_t)gi;
			kn_buf_adds(&all, d[n].title ? d[n].title : "");
			kn_buf_adds(&all, d[n].text ? d[n].text : "");
			d[n].unaccented = kn_text_unaccented(kn_buf_str(&all),
			    all.len);
			kn_buf_free(&all);
			n++;
			if (fail)
				rc = nomem(r);
		}
		kn_record_free(rec);
		if (rc == -1) {
			free_docs(d, n);
			return -1;
		}
	}
	*docs = d;
	*ndocs = n;
	return sort_groups(r, d, n, g);
}

/*
 * Train on the records with held[i] == 0 (held indexed by fold or
 * group, as key gives), classify those with held[i] != 0 into cm, and
 * each into sc[*nsc] onwards.
 */
static int
cv_split(struct run *r, const struct doc *d, size_t n,
    size_t (*key)(const struct run *, const struct doc *, size_t),
    const unsigned char *held, struct kn_confusion *cm,
    struct kn_confusion *pooled, struct kn_scored *sc, size_t *nsc)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_classification k;
	struct kn_error err;
	struct kn_model *m;
	size_t i;

	if ((m = new_model(r)) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if (!held[key(r, d, i)] && (kn_classify_tokens(r->c, &tk,
		    d[i].title, d[i].text) == -1 ||
		    kn_model_learn(m, d[i].truth, &tk) == -1)) {
			kn_model_free(m);
			goto nomem;
		}
	kn_toks_free(&tk);
	kn_error_clear(&err);
	if (kn_model_finish(m) == -1) {
		kn_model_free(m);
		goto nomem;
	}
	if (kn_classifier_set_model(r->c, m, &err) == -1) {
		kn_die(&r->o, &err);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!held[key(r, d, i)])
			continue;
		if (kn_classify_text(r->c, d[i].title, d[i].text, 0, &k) == -1)
			goto nomem;
		kn_confusion_add(cm, d[i].truth, k.field, d[i].unaccented,
		    k.needs_review);
		if (pooled != NULL && pooled != cm)
			kn_confusion_add(pooled, d[i].truth, k.field,
			    d[i].unaccented, k.needs_review);
		sc[*nsc].truth = d[i].truth;
		sc[*nsc].top = k.top[0];
		sc[(*nsc)++].confidence = k.confidence;
	}
	return 0;
nomem:
	kn_toks_free(&tk);
	kn_msg(&r->o, "out of memory");
	return -1;
}

static size_t
fold_key(const struct run *r, const struct doc *d, size_t i)
{
	(void)d;
	return i % (size_t)r->folds;
}

static size_t
group_key(const struct run *r, const struct doc *d, size_t i)
{
	(void)r;
	return d[i].group;
}

/* Cross-validation in folds: record i goes to fold i modulo n. */
static int
cv_folds(struct run *r, const struct doc *d, size_t n,
    struct kn_confusion *cm, struct kn_scored *sc)
{
	unsigned char *held;
	size_t nsc = 0;
	int f, rc = 0;

	if ((size_t)r->folds > n) {
		kn_msg(&r->o, "cv: %zu labelled record%s, fewer than the %d "
		    "folds", n, n == 1 ? "" : "s", r->folds);
		return -1;
	}
	if ((held = calloc((size_t)r->folds, 1)) == NULL)
		return nomem(r);
	for (f = 0; f < r->folds && rc == 0; f++) {
		memset(held, 0, (size_t)r->folds);
		held[f] = 1;
		rc = cv_split(r, d, n, fold_key, held, cm, NULL, sc, &nsc);
	}
	free(held);
	return rc;
}

/*
 * The splits of --split-by: one per --hold-out, else one per group.
 * held gets nsplits rows of g->n flags; names the held-out and trained
 * groups of each.  -1 after a message.
 */
static int
make_splits(struct run *r, const struct groups *g, unsigned char **held,
    size_t *nsplits, struct kn_buf *names)
{
	size_t ns = r->nhold_out > 0 ? (size_t)r->nhold_out : g->n, s, i;
	const char *p, *e;
	unsigned char *h;
	long gi;

	if (g->n < 2) {
		kn_msg(&r->o, "cv: --split-by %s: the records make %zu "
		    "group%s; at least 2 are needed", r->split_by, g->n,
		    g->n == 1 ? "" : "s");
		return -1;
	}
	if ((h = calloc(ns * g->n, 1)) == NULL)
		return nomem(r);
	for (s = 0; s < ns; s++) {
		if (r->nhold_out == 0) {
			h[s * g->n + s] = 1;
			continue;
		}
		for (p = r->hold_out[s]; *p != '\0'; p = *e ? e + 1 : e) {
			if ((e = strchr(p, ',')) == NULL)
				e = p + strlen(p);
			for (gi = 0; (size_t)gi < g->n; gi++)
				if (strlen(g->v[gi]) == (size_t)(e - p) &&
				    strncmp(g->v[gi], p, (size_t)(e - p)) == 0)
					break;
			if ((size_t)gi == g->n) {
				kn_msg(&r->o, "cv: --hold-out: no record has "
				    "%s \"%.*s\"", r->split_by, (int)(e - p),
				    p);
				free(h);
				return -1;
			}
			h[s * g->n + (size_t)gi] = 1;
		}
		for (i = 0; i < g->n && h[s * g->n + i]; i++)
			;
		if (i == g->n) {
			kn_msg(&r->o, "cv: --hold-out \"%s\" leaves nothing to "
			    "train on", r->hold_out[s]);
			free(h);
			return -1;
		}
	}
	/* Names: "held\0trained\0" per split. */
	for (s = 0; s < ns; s++) {
		int first;

		for (first = 1, i = 0; i < g->n; i++)
			if (h[s * g->n + i]) {
				kn_buf_adds(names, first ? "" : ",");
				kn_buf_adds(names, g->v[i]);
				first = 0;
			}
		kn_buf_addc(names, '\0');
		for (first = 1, i = 0; i < g->n; i++)
			if (!h[s * g->n + i]) {
				kn_buf_adds(names, first ? "" : ",");
				kn_buf_adds(names, g->v[i]);
				first = 0;
			}
		if (kn_buf_addc(names, '\0') == -1) {
			free(h);
			return nomem(r);
		}
	}
	*held = h;
	*nsplits = ns;
	return 0;
}

/*
 * Validation across groups: for each split, train on the other groups
 * and score the held-out ones; a table of the splits, then the pooled
 * report.  sc gets room for n per split.
 */
static int
cv_groups(struct run *r, const struct doc *d, size_t n,
    const struct groups *g, struct kn_confusion *pooled,
    struct kn_scored **scp, size_t *nsc, struct kn_buf *out)
{
	const struct kn_fields *fs = kn_classifier_fields(r->c);
	struct kn_buf names = KN_BUF_INIT;
	struct kn_split_score *ss = NULL;
	struct kn_scored *sc = NULL;
	unsigned char *held = NULL;
	size_t ns = 0, s, off;
	int rc = -1;

	if (make_splits(r, g, &held, &ns, &names) == -1)
		goto out;
	if ((ss = calloc(ns, sizeof(*ss))) == NULL ||
	    (sc = calloc(ns * n, sizeof(*sc))) == NULL) {
		nomem(r);
		goto out;
	}
	for (s = 0, off = 0; s < ns; s++) {
		ss[s].held_out = names.data + off;
		off += strlen(names.data + off) + 1;
		ss[s].trained = names.data + off;
		off += strlen(names.data + off) + 1;
		if ((ss[s].cm = kn_confusion_new(fs->n)) == NULL) {
			nomem(r);
			goto out;
		}
		if (cv_split(r, d, n, group_key, held + s * g->n,
		    (struct kn_confusion *)ss[s].cm, pooled, sc, nsc) == -1)
			goto out;
	}
	if (kn_splits_report(ss, ns, r->split_by, r->json, out) == -1 ||
	    (!r->json && kn_buf_addc(out, '\n') == -1)) {
		nomem(r);
		goto out;
	}
	*scp = sc;
	sc = NULL;
	rc = 0;
out:
	if (ss != NULL)
		for (s = 0; s < ns; s++)
			kn_confusion_free((struct kn_confusion *)ss[s].cm);
	free(ss);
	free(sc);
	free(held);
	kn_buf_free(&names);
	return rc;
}

static int
cv(struct run *r, int argc, char *argv[])
{
	const struct kn_fields *fs = kn_classifier_fields(r->c);
	struct kn_buf b = KN_BUF_INIT;
	struct kn_confusion *cm = NULL;
	struct kn_scored *sc = NULL;
	struct groups g;
	struct doc *d = NULL;
	size_t n = 0, nsc = 0;
	int status, rc;

	memset(&g, 0, sizeof(g));
	if (begin(r, argc, argv) == -1)
		return KN_EXIT_FATAL;
	if (read_docs(r, &d, &n, &g) == -1) {
		end(r);
		free_groups(&g);
		return KN_EXIT_FATAL;
	}
	if ((status = end(r)) == KN_EXIT_FATAL)
		goto out;
	if (n == 0) {
		kn_msg(&r->o, "cv: no labelled record to learn from");
		status = KN_EXIT_FATAL;
		goto out;
	}
	if ((cm = kn_confusion_new(fs->n)) == NULL) {
		kn_msg(&r->o, "out of memory");
		status = KN_EXIT_FATAL;
		goto out;
	}
	if (r->split_by != NULL)
		rc = cv_groups(r, d, n, &g, cm, &sc, &nsc, &b);
	else if ((sc = calloc(n, sizeof(*sc))) == NULL)
		rc = nomem(r);
	else
		rc = cv_folds(r, d, n, cm, sc);
	if (rc == -1) {
		status = KN_EXIT_FATAL;
		goto out;
	}
	nsc = r->split_by != NULL ? nsc : n;
	if (kn_confusion_report(cm, fs, r->json, &b) == -1 ||
	    (!r->json && kn_buf_addc(&b, '\n') == -1) ||
	    kn_threshold_report(sc, nsc, (size_t)kn_fields_find(fs,
	    KN_CLASSIFY_OTHER), r->json, &b) == -1) {
		kn_msg(&r->o, "out of memory");
		status = KN_EXIT_FATAL;
		goto out;
	}
	if ((rc = write_out(r, b.data, b.len, NULL, NULL)) != KN_EXIT_OK)
		status = rc;
out:
	kn_buf_free(&b);
	free(sc);
	kn_confusion_free(cm);
	free_docs(d, n);
	free_groups(&g);
	return status;
}

int
main(int argc, char *argv[])
{
	struct run r;
	struct kn_error err;
	int rc;

	memset(&r, 0, sizeof(r));
	kn_opts_init(&r.o, "kn-classify");
	kn_model_params_init(&r.np, KN_LEARNER_LOGREG);
	r.co.min_confidence = -1;
	r.folds = DEFAULT_FOLDS;
	if (argc > 1 && strcmp(argv[1], "train") == 0)
		r.mode = MODE_TRAIN;
	else if (argc > 1 && strcmp(argv[1], "eval") == 0)
		r.mode = MODE_EVAL;
	else if (argc > 1 && strcmp(argv[1], "cv") == 0)
		r.mode = MODE_CV;
	if (r.mode != MODE_CLASSIFY) {
		argv++;
		argc--;
	}
	if ((rc = options(&r, argc, argv)) != -1)
		return rc;
	r.co.no_model = r.mode == MODE_TRAIN || r.mode == MODE_CV;
	kn_error_clear(&err);
	if ((r.c = kn_classifier_new(&r.co, &err)) == NULL)
		return kn_die(&r.o, &err);
	argc -= optind;
	argv += optind;
	switch (r.mode) {
	case MODE_TRAIN:
		rc = train(&r, argc, argv);
		break;
	case MODE_EVAL:
		rc = eval(&r, argc, argv);
		break;
	case MODE_CV:
		rc = cv(&r, argc, argv);
		break;
	default:
		rc = classify(&r, argc, argv);
	}
	kn_classifier_free(r.c);
	return rc;
}
