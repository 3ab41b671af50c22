/*
 * kn-classify: give each proposal its field (traffic, records, ...),
 * with a confidence and, on request, the evidence; train the model it
 * uses; measure it on labelled records (eval) or by cross-validation
 * (cv).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"
#include "kn/classify.h"
#include "kn/confusion.h"
#include "kn/nb.h"

enum mode {
	MODE_CLASSIFY,
	MODE_TRAIN,
	MODE_EVAL,
	MODE_CV
};

enum {
	OPT_ABBREV = KN_OPT_TOOL,
	OPT_ALPHA,
	OPT_EXPLAIN,
	OPT_FIELDS,
	OPT_FOLDS,
	OPT_LEXICON,
	OPT_LEXICON_WEIGHT,
	OPT_MIN_CONFIDENCE,
	OPT_MIN_COUNT,
	OPT_MODEL,
	OPT_TEMPERATURE
};

static const struct option longopts[] = {
	{ "abbrev",		required_argument,	NULL, OPT_ABBREV },
	{ "alpha",		required_argument,	NULL, OPT_ALPHA },
	{ "explain",		no_argument,		NULL, OPT_EXPLAIN },
	{ "fields",		required_argument,	NULL, OPT_FIELDS },
	{ "folds",		required_argument,	NULL, OPT_FOLDS },
	{ "lexicon",		required_argument,	NULL, OPT_LEXICON },
	{ "lexicon-weight",	required_argument,	NULL,
	    OPT_LEXICON_WEIGHT },
	{ "min-confidence",	required_argument,	NULL,
	    OPT_MIN_CONFIDENCE },
	{ "min-count",		required_argument,	NULL, OPT_MIN_COUNT },
	{ "model",		required_argument,	NULL, OPT_MODEL },
	{ "temperature",	required_argument,	NULL, OPT_TEMPERATURE },
	KN_COMMON_LONGOPTS
};

#define DEFAULT_FOLDS 10

struct run {
	struct kn_opts		 o;
	struct kn_classify_opts	 co;
	struct kn_nb_params	 np;
	enum mode		 mode;
	int			 explain;
	int			 folds;
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
	    "       kn-classify train [-q] [-o model] [--alpha a] "
	    "[--lexicon-weight w]\n"
	    "                   [--min-count n] [--temperature t] "
	    "[common options] file ...\n"
	    "       kn-classify eval [-q] [-o file] [--to json] "
	    "[--model file] [common options]\n"
	    "                   file ...\n"
	    "       kn-classify cv [-q] [-o file] [--folds n] [--to json] "
	    "[train options]\n"
	    "                   file ...\n", fp);
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
	    "  --model file          naive Bayes model (data/model.txt)\n"
	    "  --lexicon file        weighted phrases: field,phrase,weight "
	    "(data/lexicon.csv)\n"
	    "  --abbrev file         abbreviations: abbrev,expansion[,case] "
	    "(data/abbrev.csv)\n"
	    "  --fields file         the taxonomy (data/fields.csv)\n"
	    "  train: --alpha a, --temperature t, --lexicon-weight w, "
	    "--min-count n\n"
	    "  cv:    --folds n      cross-validate in n folds (10)\n"
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

/* Parse the options; the exit status when the program must stop, or -1. */
static int
options(struct run *r, int argc, char *argv[])
{
	int ch, trainopt = 0, modelopt = 0;
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
		case OPT_ALPHA:
			if (number(r, "--alpha", optarg, 1e-9, 1e6, &v) == -1)
				return KN_EXIT_FATAL;
			r->np.alpha = v;
			trainopt = 1;
			break;
		case OPT_TEMPERATURE:
			if (number(r, "--temperature", optarg, 1e-6, 1e6, &v) ==
			    -1)
				return KN_EXIT_FATAL;
			r->np.temperature = v;
			trainopt = 1;
			break;
		case OPT_LEXICON_WEIGHT:
			if (number(r, "--lexicon-weight", optarg, 0, 1e6, &v) ==
			    -1)
				return KN_EXIT_FATAL;
			r->np.lexicon_weight = v;
			trainopt = 1;
			break;
		case OPT_MIN_COUNT:
			if (number(r, "--min-count", optarg, 1, 1e9, &v) == -1)
				return KN_EXIT_FATAL;
			r->np.min_count = (unsigned long)v;
			trainopt = 1;
			break;
		case OPT_FOLDS:
			if (number(r, "--folds", optarg, 2, 1000, &v) == -1)
				return KN_EXIT_FATAL;
			r->folds = (int)v;
			if (r->mode != MODE_CV) {
				kn_msg(&r->o, "--folds is for kn-classify cv");
				usage(stderr);
				return KN_EXIT_FATAL;
			}
			break;
		case 'h':
			help();
			return KN_EXIT_OK;
		default:
			switch (kn_opts_common(&r->o, ch, optarg)) {
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
	}
	if (trainopt && r->mode != MODE_TRAIN && r->mode != MODE_CV) {
		kn_msg(&r->o, "--alpha, --temperature, --lexicon-weight and "
		    "--min-count are for train and cv");
		usage(stderr);
		return KN_EXIT_FATAL;
	}
	if (r->explain && r->mode != MODE_CLASSIFY) {
		kn_msg(&r->o, "--explain is for classifying");
		usage(stderr);
		return KN_EXIT_FATAL;
	}
	if (modelopt && (r->mode == MODE_TRAIN || r->mode == MODE_CV)) {
		kn_msg(&r->o, "--model: train and cv make their own model");
		usage(stderr);
		return KN_EXIT_FATAL;
	}
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
    int (*fn)(const struct kn_nb *, FILE *), const struct kn_nb *m)
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
		kn_msg(&r->o, "%s: %s", kn_output_name(out), strerror(errno ?
		    errno : EIO));
		kn_output_abort(out);
		return KN_EXIT_FATAL;
	}
	if (kn_output_commit(out, &err) == -1) {
		if (err.code == KN_EPIPE)
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

/* A field list of the taxonomy, for a new model. */
static struct kn_nb *
new_model(struct run *r)
{
	const struct kn_fields *fs = kn_classifier_fields(r->c);
	const char **names;
	struct kn_nb *m;
	size_t i;

	if ((names = calloc(fs->n, sizeof(*names))) == NULL)
		return NULL;
	for (i = 0; i < fs->n; i++)
		names[i] = fs->f[i].code;
	m = kn_nb_new(names, fs->n, &r->np);
	free(names);
	return m;
}

static int
train(struct run *r, int argc, char *argv[])
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_record *rec;
	struct kn_nb *m;
	unsigned long n = 0;
	int rc, status, f;

	if ((m = new_model(r)) == NULL) {
		kn_msg(&r->o, "out of memory");
		return KN_EXIT_FATAL;
	}
	if (begin(r, argc, argv) == -1) {
		kn_nb_free(m);
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
			    kn_nb_learn(m, (size_t)f, &tk) == -1)
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
	if (kn_nb_finish(m) == -1) {
		kn_msg(&r->o, "out of memory");
		status = KN_EXIT_FATAL;
		goto out;
	}
	if ((rc = write_out(r, NULL, 0, kn_nb_save, m)) != KN_EXIT_OK) {
		status = rc;
		goto out;
	}
	if (!r->quiet)
		fprintf(r->o.diag, "%s: trained on %lu record%s, %zu "
		    "features; model written to %s\n", r->o.prog, n,
		    n == 1 ? "" : "s", kn_nb_features(m), r->out != NULL &&
		    strcmp(r->out, "-") != 0 ? r->out : "<stdout>");
out:
	kn_nb_free(m);
	return status;
}

static int
report(struct run *r, const struct kn_confusion *cm,
    const struct kn_scored *sc, size_t n)
{
	struct kn_buf b = KN_BUF_INIT;
	int json = r->json, rc;

	if (kn_confusion_report(cm, kn_classifier_fields(r->c), json, &b) ==
	    -1 || (sc != NULL && ((!json && kn_buf_addc(&b, '\n') == -1) ||
	    kn_threshold_report(sc, n, (size_t)kn_fields_find(
	    kn_classifier_fields(r->c), KN_CLASSIFY_OTHER), json, &b) == -1))) {
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
		} else if ((rc = report(r, cm, NULL, 0)) != KN_EXIT_OK)
			status = rc;
	}
	kn_confusion_free(cm);
	return status;
}

/* A labelled record kept for cross-validation. */
struct doc {
	char	*title, *text;
	size_t	 truth;
	int	 unaccented;
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

/* Read every labelled record; -1 on a fatal error. */
static int
read_docs(struct run *r, struct doc **docs, size_t *ndocs)
{
	struct kn_record *rec;
	struct doc *d = NULL, *nd;
	size_t n = 0, cap = 0;
	int f, rc, fail;

	while (kn_run_next(&r->o, &rec) == KN_READ_RECORD) {
		rc = 0;
		fail = 0;
		if ((f = truth(r, rec)) == -2)
			rc = -1;
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
	return 0;
}

/* Train on all folds but f, classify fold f. */
static int
cv_fold(struct run *r, const struct doc *d, size_t n, int f,
    struct kn_confusion *cm, struct kn_scored *sc)
{
	struct kn_toks tk = KN_TOKS_INIT;
	struct kn_classification k;
	struct kn_error err;
	struct kn_nb *m;
	size_t i;

	if ((m = new_model(r)) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if ((int)(i % (size_t)r->folds) != f && (kn_classify_tokens(
		    r->c, &tk, d[i].title, d[i].text) == -1 ||
		    kn_nb_learn(m, d[i].truth, &tk) == -1)) {
			kn_nb_free(m);
			goto nomem;
		}
	kn_toks_free(&tk);
	kn_error_clear(&err);
	if (kn_nb_finish(m) == -1) {
		kn_nb_free(m);
		goto nomem;
	}
	if (kn_classifier_set_model(r->c, m, &err) == -1) {
		kn_die(&r->o, &err);
		return -1;
	}
	for (i = (size_t)f; i < n; i += (size_t)r->folds) {
		if (kn_classify_text(r->c, d[i].title, d[i].text, 0, &k) == -1)
			goto nomem;
		kn_confusion_add(cm, d[i].truth, k.field, d[i].unaccented,
		    k.needs_review);
		sc[i].truth = d[i].truth;
		sc[i].top = k.top[0];
		sc[i].confidence = k.confidence;
	}
	return 0;
nomem:
	kn_toks_free(&tk);
	kn_msg(&r->o, "out of memory");
	return -1;
}

static int
cv(struct run *r, int argc, char *argv[])
{
	const struct kn_fields *fs = kn_classifier_fields(r->c);
	struct kn_confusion *cm = NULL;
	struct kn_scored *sc = NULL;
	struct doc *d = NULL;
	size_t n = 0;
	int status, f;

	if (begin(r, argc, argv) == -1)
		return KN_EXIT_FATAL;
	if (read_docs(r, &d, &n) == -1) {
		end(r);
		return KN_EXIT_FATAL;
	}
	if ((status = end(r)) == KN_EXIT_FATAL)
		goto out;
	if (n < (size_t)r->folds) {
		kn_msg(&r->o, "cv: %zu labelled record%s, fewer than the %d "
		    "folds", n, n == 1 ? "" : "s", r->folds);
		status = KN_EXIT_FATAL;
		goto out;
	}
	if ((cm = kn_confusion_new(fs->n)) == NULL ||
	    (sc = calloc(n, sizeof(*sc))) == NULL) {
		kn_msg(&r->o, "out of memory");
		status = KN_EXIT_FATAL;
		goto out;
	}
	for (f = 0; f < r->folds; f++)
		if (cv_fold(r, d, n, f, cm, sc) == -1) {
			status = KN_EXIT_FATAL;
			goto out;
		}
	if ((f = report(r, cm, sc, n)) != KN_EXIT_OK)
		status = f;
out:
	free(sc);
	kn_confusion_free(cm);
	free_docs(d, n);
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
	kn_nb_params_init(&r.np);
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
