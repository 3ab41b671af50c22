/*
 * kn/confusion.h: scoring a classifier on labelled records: accuracy,
 * macro-F1, per-class precision, recall and F1, the confusion matrix,
 * and the share typed without diacritics; reports in Vietnamese text or
 * JSON.
 *
 * Classes are indexes into a taxonomy (kn/fields.h).  Macro-F1 is the
 * mean F1 over the classes that occur, as the truth or as a prediction;
 * a class never predicted has precision 0.
 *
 * Ownership: reports are appended to a caller's buffer.
 */
#ifndef KN_CONFUSION_H
#define KN_CONFUSION_H

#include <stddef.h>

#include "buf.h"
#include "fields.h"

struct kn_confusion;

struct kn_class_score {
	double		 precision, recall, f1;
	unsigned long	 support;	/* records truly of the class */
	unsigned long	 predicted;	/* records given the class */
};

struct kn_confusion *kn_confusion_new(size_t nclasses);
void	 kn_confusion_free(struct kn_confusion *cm);	/* accepts NULL */
/* One record: its true class, the class given, and two flags. */
void	 kn_confusion_add(struct kn_confusion *cm, size_t truth, size_t given,
	    int unaccented, int needs_review);
unsigned long kn_confusion_total(const struct kn_confusion *cm);
unsigned long kn_confusion_correct(const struct kn_confusion *cm);
unsigned long kn_confusion_cell(const struct kn_confusion *cm, size_t truth,
	    size_t given);
double	 kn_confusion_accuracy(const struct kn_confusion *cm);
/* The accuracy on the records typed without diacritics; *n their number. */
double	 kn_confusion_unaccented(const struct kn_confusion *cm,
	    unsigned long *n, unsigned long *correct);
double	 kn_confusion_macro_f1(const struct kn_confusion *cm);
void	 kn_confusion_class(const struct kn_confusion *cm, size_t i,
	    struct kn_class_score *s);
/*
 * Append the report; labels and codes come from fs (whose size must be
 * the number of classes).  json: one line of JSON; else Vietnamese text.
 */
int	 kn_confusion_report(const struct kn_confusion *cm,
	    const struct kn_fields *fs, int json, struct kn_buf *out);

/* A classified record for the threshold table. */
struct kn_scored {
	size_t	 truth, top;	/* true class, most probable class */
	double	 confidence;
};

/*
 * How accuracy depends on the minimum confidence: for thresholds 0,
 * 0.05, ..., 0.95, the share of records classified automatically (the
 * rest go to class other, needing review), the accuracy of those, and
 * the accuracy of all.  json or Vietnamese text, as above.
 */
int	 kn_threshold_report(const struct kn_scored *s, size_t n,
	    size_t other, int json, struct kn_buf *out);

/* One split of a validation by groups (kn-classify cv --split-by). */
struct kn_split_score {
	const char	*held_out;	/* the groups validated, "C,D" */
	const char	*trained;	/* the groups trained on, "A,B" */
	const struct kn_confusion *cm;	/* the held-out records scored */
};

/*
 * The table of the splits, one line each, then their mean accuracy,
 * accuracy without diacritics (over the splits that have such records)
 * and macro-F1; key names the groups.  json or Vietnamese text.
 */
int	 kn_splits_report(const struct kn_split_score *s, size_t n,
	    const char *key, int json, struct kn_buf *out);

#endif
