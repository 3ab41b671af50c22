/*
 * render_priv.h: what render.c (text, CSV, JSON, Markdown) and html.c
 * share: a report laid out as a document of tables, before any format
 * is chosen, and the words of the digest.
 */
#ifndef KN_RENDER_PRIV_H
#define KN_RENDER_PRIV_H

#include "kn/buf.h"
#include "kn/render.h"
#include "kn/report.h"

/* A table of strings; the last row may be a total. */
struct knp_table {
	char		*title;
	char		*note;		/* a line under the title, or NULL */
	int		 chart;		/* draw it as a chart in HTML */
	int		 nobar;		/* no bars in text */
	int		 alert;		/* overdue: drawn in red */
	size_t		 ncols;
	size_t		 nlabel;	/* leading columns naming the row */
	char		**head;
	unsigned char	*num;		/* right-aligned number columns */
	unsigned char	*wide;		/* long text: wrap, do not cut */
	size_t		 nrows, cap;
	char		**cells;	/* nrows * ncols */
	unsigned long	*value;		/* what the row's bar shows */
	int		 has_total;	/* the last row is the total */
};

struct knp_doc {
	char		*title;
	size_t		 nmeta;
	char		*meta[8][2];	/* label, value */
	size_t		 ntables;
	struct knp_table *tables[8];
	/* The figures at the top of the HTML page. */
	size_t		 nkpi;
	char		*kpi[4][3];	/* value, label, class */
};

void	 knp_table_free(struct knp_table *t);	/* accepts NULL */
/* The text of a cell, "" when empty. */
const char *knp_cell(const struct knp_table *t, size_t row, size_t col);
/* The digest's summary: a row per field; NULL when out of memory. */
struct knp_table *knp_digest_table(const struct kn_report *rep,
	    const struct kn_render_opts *ro);
/* Append the communes of a problem and its departments, for people. */
int	 knp_commune_list(struct kn_buf *out, const struct kn_report *rep,
	    const struct kn_problem *p);
int	 knp_department_list(struct kn_buf *out, const struct kn_problem *p,
	    int english);
/* 1 when a problem's heading says all of its text. */
int	 knp_heading_is_text(const struct kn_problem *p);

/* Lay out the summary or the tally of --by; NULL when out of memory. */
struct knp_doc *knp_doc_build(const struct kn_report *rep,
	    const struct kn_render_opts *ro);
void	 knp_doc_free(struct knp_doc *d);

/* The default titles. */
const char *knp_default_title(const struct kn_report *rep, int english);
/* Append the period of the report ("tuần 40/2025 (29/09/2025 – ...)"). */
int	 knp_period(struct kn_buf *out, const struct kn_report *rep,
	    int english);
/* Append the line of figures above the digest. */
int	 knp_digest_lead(struct kn_buf *out, const struct kn_report *rep,
	    int english);
/* Append the heading of a problem: its title, or its text cut short. */
int	 knp_problem_heading(struct kn_buf *out, const struct kn_problem *p);
/* Append what follows a field's heading: "9 xã, phường; 4 vấn đề". */
int	 knp_field_figures(struct kn_buf *out,
	    const struct kn_digest_field *f, int english);
/* Append "Xã, phường nêu (3)" and friends: the words of the digest. */
const char *knp_word(int english, int which);

enum {
	KNP_W_RAISED_BY,	/* Xã, phường nêu */
	KNP_W_DEPARTMENT,	/* Đơn vị chủ trì */
	KNP_W_ANSWERED,		/* Đã trả lời */
	KNP_W_SUGGESTED,	/* Gợi ý trả lời */
	KNP_W_SUGGESTED_NOTE,	/* chưa được đơn vị chủ trì xác nhận */
	KNP_W_UNANSWERED,	/* Chưa trả lời */
	KNP_W_OVERDUE,		/* Quá hạn */
	KNP_W_PERIOD,		/* Kỳ báo cáo */
	KNP_W_AS_OF,		/* Tính đến ngày */
	KNP_W_SUMMARY_TABLE,	/* Tổng hợp theo lĩnh vực */
	KNP_W_FIELD,		/* Lĩnh vực */
	KNP_W_COMMUNES,		/* Số xã, phường */
	KNP_W_PROBLEMS,		/* Số vấn đề */
	KNP_W_PROPOSALS,	/* Số kiến nghị */
	KNP_W_TOTAL,		/* Tổng */
	KNP_W_NOTHING,		/* Không có kiến nghị nào trong kỳ. */
	KNP_W_GENERATED,	/* Lập bằng kn-report */
	KNP_W_OVERDUE_SINCE,	/* hạn trả lời */
	KNP_W_NWORDS
};

/*
 * What stands for a problem's answer when it has none: "Chưa trả lời",
 * or, when all its records were closed, that it was closed without one.
 */
const char *knp_no_answer(const struct kn_problem *p, int english);
/* Append "quá hạn N kiến nghị, hạn sớm nhất DD/MM/YYYY". */
int	 knp_overdue_note(struct kn_buf *out, const struct kn_problem *p,
	    const struct kn_report *rep, int english);
/* Append "(Phòng CSGT, 02/10/2025)" for an answer, or nothing. */
int	 knp_answer_source(struct kn_buf *out, const struct kn_problem *p,
	    int english);

/* The HTML page (html.c). */
int	 knp_render_html(struct kn_buf *out, const struct kn_report *rep,
	    const struct kn_render_opts *ro);

#endif
