/*
 * html.c: the report and the digest as one self-contained HTML page:
 * no script, no network, no external asset; the style sheet and the SVG
 * bar charts are inline, and it prints on A4.  Every text that comes
 * from the records is escaped, in elements and in attributes alike.
 */
#include <stdlib.h>
#include <string.h>

#include "kn/text.h"
#include "render_priv.h"

#define CHART_WIDTH	720
#define CHART_LABEL	300	/* pixels for the labels */
#define CHART_BARS	340	/* pixels for the longest bar */
#define CHART_ROW	22
#define CHART_MAX_ROWS	30
#define CHART_LABEL_COLS 44	/* columns of a label before it is cut */

static const char css[] =
":root{--ink:#1a202c;--muted:#4a5568;--line:#cbd5e0;--head:#edf2f7;"
"--accent:#1f4e8c;--alert:#c53030;--good:#2f855a}\n"
"*{box-sizing:border-box}\n"
"body{font-family:\"Noto Sans\",\"Segoe UI\",Roboto,\"Helvetica Neue\","
"Arial,sans-serif;color:var(--ink);background:#fff;margin:0 auto;"
"max-width:62rem;padding:2rem 1.5rem;line-height:1.45}\n"
"header{border-bottom:3px solid var(--accent);margin-bottom:1.25rem}\n"
"h1{font-size:1.55rem;margin:0 0 .6rem;color:var(--accent)}\n"
"h2{font-size:1.2rem;margin:1.6rem 0 .6rem;padding-bottom:.2rem;"
"border-bottom:1px solid var(--line)}\n"
"h3{font-size:1.02rem;margin:0 0 .35rem}\n"
"dl.meta{display:grid;grid-template-columns:max-content 1fr;"
"gap:.1rem 1rem;margin:0 0 1rem;color:var(--muted)}\n"
"dl.meta dt{font-weight:600}dl.meta dd{margin:0}\n"
".kpis{display:flex;flex-wrap:wrap;gap:.8rem;margin:0 0 1.2rem}\n"
".kpi{flex:1 1 9rem;border:1px solid var(--line);border-radius:6px;"
"padding:.5rem .8rem;color:var(--muted)}\n"
".kpi b{display:block;font-size:1.7rem;color:var(--ink)}\n"
".kpi.alert b{color:var(--alert)}.kpi.good b{color:var(--good)}\n"
"section{margin:0 0 1.6rem}\n"
"table{border-collapse:collapse;width:100%;font-size:.92rem}\n"
"th,td{padding:.28rem .5rem;border-bottom:1px solid #e2e8f0;"
"text-align:left;vertical-align:top}\n"
"th{background:var(--head);font-weight:600}\n"
"td.n,th.n{text-align:right;white-space:nowrap;"
"font-variant-numeric:tabular-nums}\n"
"tr.total td{font-weight:700;border-top:2px solid var(--line)}\n"
"svg.chart{display:block;width:100%;max-width:720px;height:auto;"
"margin:.4rem 0 .8rem}\n"
"svg.chart text{font:12px \"Noto Sans\",\"Segoe UI\",Arial,sans-serif;"
"fill:var(--ink)}\n"
"svg.chart .bar{fill:var(--accent)}\n"
"svg.chart.alert .bar{fill:var(--alert)}\n"
"svg.chart .axis{stroke:var(--line)}\n"
".note,.figures{color:var(--muted);font-size:.9rem;margin:.2rem 0 .6rem}\n"
".lead{font-size:1.02rem}\n"
".problem{border-left:4px solid var(--line);padding:.2rem 0 .2rem .9rem;"
"margin:0 0 1.2rem}\n"
".problem p{margin:.2rem 0}\n"
".problem blockquote{margin:.2rem 0 .45rem;color:#2d3748;"
"font-style:italic}\n"
".answer{border-radius:4px;padding:.35rem .6rem;margin:.35rem 0;"
"border:1px solid #c6f6d5;background:#f0fff4}\n"
".answer.suggested{border-color:#fbd38d;background:#fffaf0}\n"
".answer.none{border-color:#fed7d7;background:#fff5f5}\n"
".overdue{color:var(--alert);font-weight:600}\n"
"footer{margin-top:2rem;border-top:1px solid var(--line);"
"padding-top:.4rem;color:var(--muted);font-size:.8rem}\n"
"@page{size:A4;margin:14mm 12mm}\n"
"@media print{\n"
"body{max-width:none;padding:0;font-size:10pt}\n"
"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
"section.table,.problem,.keep,tr,svg.chart{break-inside:avoid;"
"page-break-inside:avoid}\n"
"h2,h3{break-after:avoid;page-break-after:avoid}\n"
".kpi{border-color:#999}\n"
"svg.chart{max-width:17cm}\n"
"}\n";

static int
esc(struct kn_buf *out, const char *s)
{
	return kn_html_escape(out, s, strlen(s));
}

/* Escaped, with line breaks kept as <br>. */
static int
esc_lines(struct kn_buf *out, const char *s)
{
	const char *nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		if (kn_html_escape(out, s, (size_t)(nl - s)) == -1 ||
		    kn_buf_adds(out, "<br>") == -1)
			return -1;
		s = nl + 1;
	}
	return esc(out, s);
}

static int
page_head(struct kn_buf *out, const char *title, int en)
{
	if (kn_buf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	    "content=\"width=device-width, initial-scale=1\">\n<title>",
	    en ? "en" : "vi") == -1 || esc(out, title) == -1 ||
	    kn_buf_adds(out, "</title>\n<style>\n") == -1 ||
	    kn_buf_adds(out, css) == -1 ||
	    kn_buf_adds(out, "</style>\n</head>\n<body>\n<header>\n<h1>") ==
	    -1 || esc(out, title) == -1 || kn_buf_adds(out, "</h1>\n") == -1)
		return -1;
	return 0;
}

static int
meta_item(struct kn_buf *out, const char *label, const char *value)
{
	if (kn_buf_adds(out, "<dt>") == -1 || esc(out, label) == -1 ||
	    kn_buf_adds(out, "</dt><dd>") == -1 || esc(out, value) == -1 ||
	    kn_buf_adds(out, "</dd>\n") == -1)
		return -1;
	return 0;
}

static int
page_foot(struct kn_buf *out, const struct kn_report *rep, int en)
{
	if (kn_buf_adds(out, "<footer>") == -1 ||
	    esc(out, knp_word(en, KNP_W_GENERATED)) == -1 ||
	    kn_buf_adds(out, en ? ", as of " : ", số liệu tính đến ngày ") ==
	    -1 || kn_render_day(out, rep->opts.as_of, en) == -1)
		return -1;
	return kn_buf_adds(out, ".</footer>\n</body>\n</html>\n");
}

/* Cut a label to max terminal columns, ending in "…". */
static int
short_label(struct kn_buf *out, const char *s, size_t max)
{
	struct kn_buf b = KN_BUF_INIT;
	int rc;

	if (kn_text_width(s, strlen(s)) <= max)
		return esc(out, s);
	if (kn_text_pad(&b, s, max, 0) == -1) {
		kn_buf_free(&b);
		return -1;
	}
	while (b.len > 0 && b.data[b.len - 1] == ' ')
		b.data[--b.len] = '\0';
	rc = esc(out, kn_buf_str(&b));
	kn_buf_free(&b);
	return rc;
}

/* The label of a row for a chart: its label cells joined by " · ". */
static int
row_label(struct kn_buf *out, const struct knp_table *t, size_t row)
{
	size_t j;
	int any = 0;

	for (j = 0; j < t->nlabel; j++) {
		const char *c = knp_cell(t, row, j);

		if (*c == '\0')
			continue;
		if ((any && kn_buf_adds(out, " · ") == -1) ||
		    kn_buf_adds(out, c) == -1)
			return -1;
		any = 1;
	}
	return 0;
}

/*
 * A horizontal bar chart of a table's rows (its largest CHART_MAX_ROWS):
 * the label on the left, the bar, the figure at its end.
 */
static int
svg_chart(struct kn_buf *out, const struct knp_table *t, const char *what,
    int en)
{
	struct kn_buf label = KN_BUF_INIT;
	size_t i, n = t->nrows - (size_t)t->has_total, shown, valcol;
	unsigned long max = 0;
	double w;
	int rc = -1;

	if (n == 0)
		return 0;
	shown = n > CHART_MAX_ROWS ? CHART_MAX_ROWS : n;
	valcol = t->nlabel;
	for (i = 0; i < n; i++)
		if (t->value[i] > max)
			max = t->value[i];
	if (max == 0)
		return 0;
	if (kn_buf_addf(out, "<svg class=\"chart%s\" role=\"img\" "
	    "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %zu\" "
	    "width=\"%d\" height=\"%zu\"><title>", t->alert ? " alert" : "",
	    CHART_WIDTH, shown * CHART_ROW + 8, CHART_WIDTH, shown * CHART_ROW +
	    8) == -1 || esc(out, what) == -1 ||
	    kn_buf_addf(out, "</title>\n<line class=\"axis\" x1=\"%d\" "
	    "y1=\"0\" x2=\"%d\" y2=\"%zu\"/>\n", CHART_LABEL + 4,
	    CHART_LABEL + 4, shown * CHART_ROW + 8) == -1)
		goto out;
	for (i = 0; i < shown; i++) {
		size_t y = i * CHART_ROW + 4;

		kn_buf_reset(&label);
		if (row_label(&label, t, i) == -1)
			goto out;
		w = (double)t->value[i] / (double)max * CHART_BARS;
		if (w < 1)
			w = 1;
		if (kn_buf_addf(out, "<g><title>") == -1 ||
		    esc(out, kn_buf_str(&label)) == -1 ||
		    kn_buf_addf(out, ": %s</title><text x=\"%d\" y=\"%zu\" "
		    "text-anchor=\"end\">", knp_cell(t, i, valcol),
		    CHART_LABEL, y + 15) == -1 ||
		    short_label(out, kn_buf_str(&label), CHART_LABEL_COLS) ==
		    -1 || kn_buf_addf(out, "</text><rect class=\"bar\" "
		    "x=\"%d\" y=\"%zu\" width=\"%.1f\" height=\"15\" rx=\"2\"/>"
		    "<text x=\"%.1f\" y=\"%zu\">", CHART_LABEL + 5, y + 3, w,
		    CHART_LABEL + 5 + w + 5, y + 15) == -1 ||
		    esc(out, knp_cell(t, i, valcol)) == -1 ||
		    kn_buf_adds(out, "</text></g>\n") == -1)
			goto out;
	}
	if (kn_buf_adds(out, "</svg>\n") == -1)
		goto out;
	if (shown < n && kn_buf_addf(out, en ? "<p class=\"note\">The chart "
	    "shows the first %zu of the %zu rows of the table.</p>\n" :
	    "<p class=\"note\">Biểu đồ vẽ %zu dòng đầu trong %zu dòng của "
	    "bảng.</p>\n", shown, n) == -1)
		goto out;
	rc = 0;
out:
	kn_buf_free(&label);
	return rc;
}

static int
html_table(struct kn_buf *out, const struct knp_table *t, int heading,
    int en)
{
	size_t i, j;

	if (heading && (kn_buf_adds(out, "<section class=\"table\">\n<h2>") ==
	    -1 || esc(out, t->title) == -1 || kn_buf_adds(out, "</h2>\n") ==
	    -1))
		return -1;
	if (t->note != NULL && (kn_buf_adds(out, "<p class=\"note\">") == -1 ||
	    esc(out, t->note) == -1 || kn_buf_adds(out, "</p>\n") == -1))
		return -1;
	if (t->chart && svg_chart(out, t, t->title, en) == -1)
		return -1;
	if (t->nrows > 0) {
		if (kn_buf_adds(out, "<table>\n<thead><tr>") == -1)
			return -1;
		for (j = 0; j < t->ncols; j++)
			if (kn_buf_adds(out, t->num[j] ? "<th class=\"n\">" :
			    "<th>") == -1 || esc(out, t->head[j]) == -1 ||
			    kn_buf_adds(out, "</th>") == -1)
				return -1;
		if (kn_buf_adds(out, "</tr></thead>\n<tbody>\n") == -1)
			return -1;
		for (i = 0; i < t->nrows; i++) {
			if (kn_buf_adds(out, t->has_total && i + 1 == t->nrows ?
			    "<tr class=\"total\">" : "<tr>") == -1)
				return -1;
			for (j = 0; j < t->ncols; j++)
				if (kn_buf_adds(out, t->num[j] ?
				    "<td class=\"n\">" : "<td>") == -1 ||
				    esc(out, knp_cell(t, i, j)) == -1 ||
				    kn_buf_adds(out, "</td>") == -1)
					return -1;
			if (kn_buf_adds(out, "</tr>\n") == -1)
				return -1;
		}
		if (kn_buf_adds(out, "</tbody>\n</table>\n") == -1)
			return -1;
	}
	return heading ? kn_buf_adds(out, "</section>\n") : 0;
}

static int
html_report(struct kn_buf *out, const struct kn_report *rep,
    const struct kn_render_opts *ro)
{
	struct knp_doc *d;
	size_t i;
	int rc = -1;

	if ((d = knp_doc_build(rep, ro)) == NULL)
		return -1;
	if (page_head(out, d->title, ro->english) == -1 ||
	    kn_buf_adds(out, "<dl class=\"meta\">\n") == -1)
		goto out;
	for (i = 0; i < d->nmeta; i++)
		if (meta_item(out, d->meta[i][0], d->meta[i][1]) == -1)
			goto out;
	if (kn_buf_adds(out, "</dl>\n</header>\n<div class=\"kpis\">\n") == -1)
		goto out;
	for (i = 0; i < d->nkpi; i++)
		if (kn_buf_addf(out, "<div class=\"kpi%s%s\"><b>",
		    *d->kpi[i][2] ? " " : "", d->kpi[i][2]) == -1 ||
		    esc(out, d->kpi[i][0]) == -1 ||
		    kn_buf_adds(out, "</b>") == -1 ||
		    esc(out, d->kpi[i][1]) == -1 ||
		    kn_buf_adds(out, "</div>\n") == -1)
			goto out;
	if (kn_buf_adds(out, "</div>\n") == -1)
		goto out;
	for (i = 0; i < d->ntables; i++)
		if (html_table(out, d->tables[i], 1, ro->english) == -1)
			goto out;
	rc = page_foot(out, rep, ro->english);
out:
	knp_doc_free(d);
	return rc;
}

static int
html_problem(struct kn_buf *out, const struct kn_report *rep,
    const struct kn_problem *p, size_t fi, size_t pi, int en)
{
	struct kn_buf b = KN_BUF_INIT;
	int rc = -1;

	if (kn_buf_addf(out, "<article class=\"problem\">\n<h3>%zu.%zu. ",
	    fi, pi) == -1 || knp_problem_heading(&b, p) == -1 ||
	    esc(out, kn_buf_str(&b)) == -1 || kn_buf_adds(out, "</h3>\n") ==
	    -1)
		goto out;
	if (!knp_heading_is_text(p) && (kn_buf_adds(out, "<blockquote>") ==
	    -1 || esc_lines(out, p->text) == -1 ||
	    kn_buf_adds(out, "</blockquote>\n") == -1))
		goto out;
	kn_buf_reset(&b);
	if (kn_buf_adds(out, "<p><b>") == -1 ||
	    esc(out, knp_word(en, KNP_W_RAISED_BY)) == -1 ||
	    kn_buf_addf(out, " (%zu):</b> ", p->ncommunes) == -1 ||
	    knp_commune_list(&b, rep, p) == -1 ||
	    esc(out, kn_buf_str(&b)) == -1 || kn_buf_adds(out, "</p>\n") == -1)
		goto out;
	kn_buf_reset(&b);
	if (kn_buf_adds(out, "<p><b>") == -1 ||
	    esc(out, knp_word(en, KNP_W_DEPARTMENT)) == -1 ||
	    kn_buf_adds(out, ":</b> ") == -1 ||
	    knp_department_list(&b, p, en) == -1 ||
	    esc(out, kn_buf_str(&b)) == -1 || kn_buf_adds(out, "</p>\n") == -1)
		goto out;
	kn_buf_reset(&b);
	switch (p->answer_kind) {
	case KN_ANSWER_GIVEN:
		if (kn_buf_adds(out, "<div class=\"answer\"><b>") == -1 ||
		    esc(out, knp_word(en, KNP_W_ANSWERED)) == -1 ||
		    kn_buf_adds(out, "</b>") == -1 ||
		    knp_answer_source(&b, p, en) == -1 ||
		    (b.len > 0 && (kn_buf_addc(out, ' ') == -1 ||
		    esc(out, kn_buf_str(&b)) == -1)) ||
		    kn_buf_adds(out, ": ") == -1 ||
		    esc_lines(out, p->answer) == -1 ||
		    kn_buf_adds(out, "</div>\n") == -1)
			goto out;
		break;
	case KN_ANSWER_SUGGESTED:
		if (kn_buf_adds(out, "<div class=\"answer suggested\"><b>") ==
		    -1 || esc(out, knp_word(en, KNP_W_SUGGESTED)) == -1 ||
		    kn_buf_adds(out, "</b> <i>(") == -1 ||
		    esc(out, knp_word(en, KNP_W_SUGGESTED_NOTE)) == -1 ||
		    kn_buf_adds(out, ")</i>: ") == -1 ||
		    esc_lines(out, p->answer) == -1 ||
		    kn_buf_adds(out, "</div>\n") == -1)
			goto out;
		break;
	default:
		if (kn_buf_adds(out, "<div class=\"answer none\"><b>") == -1 ||
		    esc(out, knp_no_answer(p, en)) == -1 ||
		    kn_buf_adds(out, ".</b></div>\n") == -1)
			goto out;
	}
	if (p->noverdue > 0 && p->answer_kind != KN_ANSWER_GIVEN &&
	    (kn_buf_adds(out, "<p class=\"overdue\">") == -1 ||
	    esc(out, knp_word(en, KNP_W_OVERDUE)) == -1 ||
	    kn_buf_adds(out, ": ") == -1 ||
	    knp_overdue_note(&b, p, rep, en) == -1 ||
	    esc(out, kn_buf_str(&b)) == -1 || kn_buf_adds(out, "</p>\n") == -1))
		goto out;
	rc = kn_buf_adds(out, "</article>\n");
out:
	kn_buf_free(&b);
	return rc;
}

static int
html_digest(struct kn_buf *out, const struct kn_report *rep,
    const struct kn_render_opts *ro)
{
	struct knp_table *tb = NULL;
	struct kn_buf b = KN_BUF_INIT;
	size_t i, j;
	int en = ro->english, rc = -1;

	if (page_head(out, ro->title != NULL ? ro->title :
	    knp_default_title(rep, en), en) == -1 ||
	    kn_buf_adds(out, "<dl class=\"meta\">\n") == -1 ||
	    knp_period(&b, rep, en) == -1 ||
	    meta_item(out, knp_word(en, KNP_W_PERIOD), kn_buf_str(&b)) == -1)
		goto out;
	kn_buf_reset(&b);
	if (kn_render_day(&b, rep->opts.as_of, en) == -1 ||
	    meta_item(out, knp_word(en, KNP_W_AS_OF), kn_buf_str(&b)) == -1 ||
	    kn_buf_adds(out, "</dl>\n</header>\n") == -1)
		goto out;
	kn_buf_reset(&b);
	if (rep->nproblems == 0) {
		if (kn_buf_adds(out, "<p class=\"lead\">") == -1 ||
		    esc(out, knp_word(en, KNP_W_NOTHING)) == -1 ||
		    kn_buf_adds(out, "</p>\n") == -1)
			goto out;
		rc = page_foot(out, rep, en);
		goto out;
	}
	if (knp_digest_lead(&b, rep, en) == -1 ||
	    kn_buf_adds(out, "<p class=\"lead\">") == -1 ||
	    esc(out, kn_buf_str(&b)) == -1 || kn_buf_adds(out, "</p>\n") == -1)
		goto out;
	if ((tb = knp_digest_table(rep, ro)) == NULL)
		goto out;
	tb->chart = 1;
	if (html_table(out, tb, 1, en) == -1)
		goto out;
	for (i = 0; i < rep->nfields; i++) {
		const struct kn_digest_field *f = &rep->fields[i];

		kn_buf_reset(&b);
		/* A heading never ends a printed page: it keeps its first
		 * problem with it. */
		if (kn_buf_addf(out, "<section class=\"field\">\n"
		    "<div class=\"keep\">\n<h2>%zu. ", i + 1) == -1 ||
		    kn_label_value(&b, "field", f->code, en,
		    ro->fields) == -1 || esc(out, kn_buf_str(&b)) == -1 ||
		    kn_buf_adds(out, "</h2>\n<p class=\"figures\">") == -1)
			goto out;
		kn_buf_reset(&b);
		if (knp_field_figures(&b, f, en) == -1 ||
		    esc(out, kn_buf_str(&b)) == -1 ||
		    kn_buf_adds(out, "</p>\n") == -1)
			goto out;
		for (j = 0; j < f->nproblems; j++)
			if (html_problem(out, rep, f->problems[j], i + 1, j + 1,
			    en) == -1 || (j == 0 && kn_buf_adds(out,
			    "</div>\n") == -1))
				goto out;
		if (kn_buf_adds(out, "</section>\n") == -1)
			goto out;
	}
	rc = page_foot(out, rep, en);
out:
	knp_table_free(tb);
	kn_buf_free(&b);
	return rc;
}

int
knp_render_html(struct kn_buf *out, const struct kn_report *rep,
    const struct kn_render_opts *ro)
{
	if (rep->problem_index != NULL)
		return html_digest(out, rep, ro);
	return html_report(out, rep, ro);
}
