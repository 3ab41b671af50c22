/*
 * confusion.c: the figures of kn-classify eval and cv, and their
 * reports.  Text reports are for analysts, in Vietnamese, aligned by
 * display width; JSON reports are one line for machines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/confusion.h"
#include "kn/text.h"
#include "kn/write.h"

struct kn_confusion {
	size_t		 n;
	unsigned long	*m;		/* n x n: [truth * n + given] */
	unsigned long	 total, correct;
	unsigned long	 plain, plain_correct;
	unsigned long	 review;
};

struct kn_confusion *
kn_confusion_new(size_t n)
{
	struct kn_confusion *cm;

	if (n == 0 || (cm = calloc(1, sizeof(*cm))) == NULL)
		return NULL;
	if ((cm->m = calloc(n * n, sizeof(*cm->m))) == NULL) {
		free(cm);
		return NULL;
	}
	cm->n = n;
	return cm;
}

void
kn_confusion_free(struct kn_confusion *cm)
{
	if (cm == NULL)
		return;
	free(cm->m);
	free(cm);
}

void
kn_confusion_add(struct kn_confusion *cm, size_t truth, size_t given,
    int unaccented, int needs_review)
{
	if (truth >= cm->n || given >= cm->n)
		return;
	cm->m[truth * cm->n + given]++;
	cm->total++;
	cm->correct += truth == given;
	if (unaccented) {
		cm->plain++;
		cm->plain_correct += truth == given;
	}
	cm->review += needs_review != 0;
}

unsigned long
kn_confusion_total(const struct kn_confusion *cm)
{
	return cm->total;
}

unsigned long
kn_confusion_correct(const struct kn_confusion *cm)
{
	return cm->correct;
}

unsigned long
kn_confusion_cell(const struct kn_confusion *cm, size_t truth, size_t given)
{
	return truth < cm->n && given < cm->n ? cm->m[truth * cm->n + given] :
	    0;
}

static double
ratio(unsigned long a, unsigned long b)
{
	return b == 0 ? 0 : (double)a / (double)b;
}

double
kn_confusion_accuracy(const struct kn_confusion *cm)
{
	return ratio(cm->correct, cm->total);
}

double
kn_confusion_unaccented(const struct kn_confusion *cm, unsigned long *n,
    unsigned long *correct)
{
	if (n != NULL)
		*n = cm->plain;
	if (correct != NULL)
		*correct = cm->plain_correct;
	return ratio(cm->plain_correct, cm->plain);
}

void
kn_confusion_class(const struct kn_confusion *cm, size_t i,
    struct kn_class_score *s)
{
	size_t j;

	memset(s, 0, sizeof(*s));
	for (j = 0; j < cm->n; j++) {
		s->support += cm->m[i * cm->n + j];
		s->predicted += cm->m[j * cm->n + i];
	}
	s->precision = ratio(cm->m[i * cm->n + i], s->predicted);
	s->recall = ratio(cm->m[i * cm->n + i], s->support);
	s->f1 = s->precision + s->recall > 0 ? 2 * s->precision * s->recall /
	    (s->precision + s->recall) : 0;
}

double
kn_confusion_macro_f1(const struct kn_confusion *cm)
{
	struct kn_class_score s;
	double sum = 0;
	size_t i, k = 0;

	for (i = 0; i < cm->n; i++) {
		kn_confusion_class(cm, i, &s);
		if (s.support == 0 && s.predicted == 0)
			continue;
		sum += s.f1;
		k++;
	}
	return k ? sum / (double)k : 0;
}

/* Append s padded with spaces to display width w (left-aligned). */
static int
pad(struct kn_buf *b, const char *s, size_t w)
{
	size_t sw = kn_text_width(s, strlen(s));

	if (kn_buf_adds(b, s) == -1)
		return -1;
	while (sw++ < w)
		if (kn_buf_addc(b, ' ') == -1)
			return -1;
	return 0;
}

static int
report_json(const struct kn_confusion *cm, const struct kn_fields *fs,
    struct kn_buf *b)
{
	struct kn_class_score s;
	size_t i, j;
	int first = 1;

	kn_buf_addf(b, "{\"records\":%lu,\"correct\":%lu,\"accuracy\":%.3f,"
	    "\"macro_f1\":%.3f,\"unaccented\":{\"records\":%lu,\"correct\":"
	    "%lu,\"accuracy\":%.3f},\"needs_review\":%lu,\"fields\":[",
	    cm->total, cm->correct, kn_confusion_accuracy(cm),
	    kn_confusion_macro_f1(cm), cm->plain, cm->plain_correct,
	    ratio(cm->plain_correct, cm->plain), cm->review);
	for (i = 0; i < cm->n; i++) {
		kn_confusion_class(cm, i, &s);
		if (s.support == 0 && s.predicted == 0)
			continue;
		kn_buf_adds(b, first ? "{\"field\":" : ",{\"field\":");
		first = 0;
		kn_json_quote(b, fs->f[i].code, strlen(fs->f[i].code));
		kn_buf_addf(b, ",\"precision\":%.3f,\"recall\":%.3f,"
		    "\"f1\":%.3f,\"support\":%lu,\"predicted\":%lu}",
		    s.precision, s.recall, s.f1, s.support, s.predicted);
	}
	kn_buf_adds(b, "],\"confusion\":{\"fields\":[");
	for (i = 0; i < cm->n; i++) {
		if (i > 0)
			kn_buf_addc(b, ',');
		kn_json_quote(b, fs->f[i].code, strlen(fs->f[i].code));
	}
	kn_buf_adds(b, "],\"matrix\":[");
	for (i = 0; i < cm->n; i++) {
		kn_buf_adds(b, i > 0 ? ",[" : "[");
		for (j = 0; j < cm->n; j++)
			kn_buf_addf(b, "%s%lu", j > 0 ? "," : "",
			    cm->m[i * cm->n + j]);
		kn_buf_addc(b, ']');
	}
	return kn_buf_adds(b, "]}}\n");
}

static int
report_text(const struct kn_confusion *cm, const struct kn_fields *fs,
    struct kn_buf *b)
{
	struct kn_class_score s;
	size_t i, j, w = 14;
	char num[32];

	for (i = 0; i < cm->n; i++)
		if (strlen(fs->f[i].code) + 4 > w)
			w = strlen(fs->f[i].code) + 4;
	kn_buf_addf(b, "Số bản ghi có nhãn:            %lu (không dấu: %lu)\n",
	    cm->total, cm->plain);
	kn_buf_addf(b, "Tỷ lệ đúng (accuracy):         %.3f (%lu/%lu)\n",
	    kn_confusion_accuracy(cm), cm->correct, cm->total);
	kn_buf_addf(b, "Tỷ lệ đúng, phần không dấu:    %.3f (%lu/%lu)\n",
	    ratio(cm->plain_correct, cm->plain), cm->plain_correct, cm->plain);
	kn_buf_addf(b, "Macro-F1:                      %.3f\n",
	    kn_confusion_macro_f1(cm));
	kn_buf_addf(b, "Cần xem lại (needs_review):    %lu\n\n", cm->review);

	pad(b, "Lĩnh vực", w);
	kn_buf_adds(b, "Độ chính xác    Độ phủ      F1  Số mẫu  Được gán  "
	    "Tên\n");
	pad(b, "", w);
	kn_buf_adds(b, " (precision)  (recall)\n");
	for (i = 0; i < cm->n; i++) {
		kn_confusion_class(cm, i, &s);
		if (s.support == 0 && s.predicted == 0)
			continue;
		pad(b, fs->f[i].code, w);
		kn_buf_addf(b, "%12.3f  %8.3f  %6.3f  %6lu  %8lu  %s\n",
		    s.precision, s.recall, s.f1, s.support, s.predicted,
		    fs->f[i].label);
	}

	kn_buf_adds(b, "\nMa trận nhầm lẫn (hàng: lĩnh vực đúng, cột: lĩnh vực "
	    "được gán, đánh số như hàng)\n");
	pad(b, "", w + 4);
	for (j = 0; j < cm->n; j++)
		kn_buf_addf(b, "%4zu", j + 1);
	kn_buf_addc(b, '\n');
	for (i = 0; i < cm->n; i++) {
		snprintf(num, sizeof(num), "%2zu  ", i + 1);
		kn_buf_adds(b, num);
		pad(b, fs->f[i].code, w);
		for (j = 0; j < cm->n; j++) {
			unsigned long v = cm->m[i * cm->n + j];

			if (v == 0)
				kn_buf_adds(b, "   .");
			else
				kn_buf_addf(b, "%4lu", v);
		}
		kn_buf_addc(b, '\n');
	}
	return b->data == NULL ? -1 : 0;
}

int
kn_confusion_report(const struct kn_confusion *cm, const struct kn_fields *fs,
    int json, struct kn_buf *out)
{
	if (fs->n != cm->n)
		return -1;
	return json ? report_json(cm, fs, out) : report_text(cm, fs, out);
}

int
kn_threshold_report(const struct kn_scored *s, size_t n, size_t other,
    int json, struct kn_buf *b)
{
	int k;

	if (json)
		kn_buf_adds(b, "{\"thresholds\":[");
	else
		kn_buf_adds(b, "Ngưỡng tin cậy  Tự động  Đúng (tự động)  "
		    "Đúng (tất cả)\n(--min-confidence)\n");
	for (k = 0; k < 20; k++) {
		double t = k * 0.05;
		unsigned long autom = 0, autook = 0, ok = 0;
		size_t i;

		for (i = 0; i < n; i++) {
			if (s[i].confidence >= t) {
				autom++;
				autook += s[i].top == s[i].truth;
				ok += s[i].top == s[i].truth;
			} else
				ok += s[i].truth == other;
		}
		if (json)
			kn_buf_addf(b, "%s{\"min_confidence\":%.2f,"
			    "\"automatic\":%.3f,\"automatic_accuracy\":%.3f,"
			    "\"accuracy\":%.3f}", k ? "," : "", t,
			    ratio(autom, n), ratio(autook, autom),
			    ratio(ok, n));
		else
			kn_buf_addf(b, "%14.2f  %7.3f  %14.3f  %13.3f\n", t,
			    ratio(autom, n), ratio(autook, autom),
			    ratio(ok, n));
	}
	return kn_buf_adds(b, json ? "]}\n" : "");
}

int
kn_splits_report(const struct kn_split_score *s, size_t n, const char *key,
    int json, struct kn_buf *b)
{
	double acc = 0, plain = 0, f1 = 0;
	unsigned long np, npc;
	size_t i, nplain = 0, w = 12;

	for (i = 0; i < n; i++) {
		acc += kn_confusion_accuracy(s[i].cm);
		f1 += kn_confusion_macro_f1(s[i].cm);
		kn_confusion_unaccented(s[i].cm, &np, &npc);
		if (np > 0) {
			plain += ratio(npc, np);
			nplain++;
		}
		if (strlen(s[i].held_out) + 2 > w)
			w = strlen(s[i].held_out) + 2;
	}
	if (json) {
		kn_buf_adds(b, "{\"split_by\":");
		kn_json_quote(b, key, strlen(key));
		kn_buf_adds(b, ",\"splits\":[");
	} else {
		kn_buf_adds(b, "Kiểm định theo ");
		kn_buf_adds(b, key);
		kn_buf_adds(b, ": học trên các nhóm khác, đo trên nhóm giữ lại\n");
		pad(b, "Giữ lại", w);
		kn_buf_adds(b, "Bản ghi  Tỷ lệ đúng  Không dấu  Macro-F1  "
		    "Học trên\n");
	}
	for (i = 0; i < n; i++) {
		const struct kn_confusion *cm = s[i].cm;

		kn_confusion_unaccented(cm, &np, &npc);
		if (json) {
			kn_buf_adds(b, i ? ",{\"held_out\":" :
			    "{\"held_out\":");
			kn_json_quote(b, s[i].held_out, strlen(s[i].held_out));
			kn_buf_adds(b, ",\"trained\":");
			kn_json_quote(b, s[i].trained, strlen(s[i].trained));
			kn_buf_addf(b, ",\"records\":%lu,\"correct\":%lu,"
			    "\"accuracy\":%.3f,\"unaccented\":{\"records\":"
			    "%lu,\"correct\":%lu,\"accuracy\":%.3f},"
			    "\"macro_f1\":%.3f}", cm->total, cm->correct,
			    kn_confusion_accuracy(cm), np, npc,
			    ratio(npc, np), kn_confusion_macro_f1(cm));
		} else {
			pad(b, s[i].held_out, w);
			kn_buf_addf(b, "%7lu  %10.3f  ", cm->total,
			    kn_confusion_accuracy(cm));
			if (np > 0)
				kn_buf_addf(b, "%9.3f", ratio(npc, np));
			else
				kn_buf_adds(b, "        -");
			kn_buf_addf(b, "  %8.3f  %s\n",
			    kn_confusion_macro_f1(cm), s[i].trained);
		}
	}
	acc = n ? acc / (double)n : 0;
	f1 = n ? f1 / (double)n : 0;
	plain = nplain ? plain / (double)nplain : 0;
	if (json)
		return kn_buf_addf(b, "],\"mean\":{\"accuracy\":%.3f,"
		    "\"unaccented\":%.3f,\"macro_f1\":%.3f}}\n", acc, plain,
		    f1);
	pad(b, "Trung bình", w);
	return kn_buf_addf(b, "%7s  %10.3f  %9.3f  %8.3f\n", "", acc, plain,
	    f1);
}
