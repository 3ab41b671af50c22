/*
 * kn/render.h: writing a finished struct kn_report (kn/report.h) as a
 * report: aligned text with bars, CSV and JSON for scripts, Markdown,
 * and one self-contained HTML page with SVG charts; the summary, a
 * tally of --by, or the dialogue digest.
 *
 * Human formats (text, Markdown, HTML) speak Vietnamese by default,
 * with field labels from the taxonomy and status labels from the table
 * in render.c; CSV and JSON carry codes.
 *
 * Ownership: arguments are borrowed; output is appended to the
 * caller's buffer.
 */
#ifndef KN_RENDER_H
#define KN_RENDER_H

#include <stddef.h>

#include "buf.h"
#include "fields.h"
#include "report.h"

enum kn_report_format {
	KN_REPORT_TEXT,
	KN_REPORT_CSV,
	KN_REPORT_JSON,
	KN_REPORT_MD,
	KN_REPORT_HTML
};

struct kn_render_opts {
	enum kn_report_format format;
	int		 english;	/* --lang en */
	const struct kn_fields *fields;	/* labels of field codes; or NULL */
	const char	*title;		/* NULL: the default title */
	size_t		 width;		/* columns of text (20 at least);
					   0: 100 */
};

/* "text", "csv", "json", "md" (or "markdown"), "html"; -1 if unknown. */
int	 kn_report_format_parse(const char *name);
/*
 * The format a file name's extension asks for (".html", ".HTM", ...,
 * in any case), or -1.
 */
int	 kn_report_format_of_path(const char *path);
/* The order of groups a format wants for the keys of rep. */
enum kn_order kn_report_order(const struct kn_report *rep,
	    enum kn_report_format format);

/*
 * Append the report.  -1 when out of memory, or when the format cannot
 * hold what rep gathered (CSV needs --by); err says which.
 */
int	 kn_render(struct kn_buf *out, const struct kn_report *rep,
	    const struct kn_render_opts *ro, struct kn_error *err);

/* Labels for people: the heading of a key ("field": "Lĩnh vực"). */
const char *kn_label_key(const char *key, int english);
/*
 * Append the label of value v of key ("traffic" of field: "Trật tự an
 * toàn giao thông"; a week, a month or a date as people write it), or
 * v itself when it has no label; "" is labelled as missing ("(chưa
 * phân loại)").
 */
int	 kn_label_value(struct kn_buf *out, const char *key, const char *v,
	    int english, const struct kn_fields *fields);
/* Append a count with thousands separators ("12.345" or "12,345"). */
int	 kn_render_count(struct kn_buf *out, unsigned long n, int english);
/* Append a day as people read it: "05/10/2025" ("2025-10-05" in en). */
int	 kn_render_day(struct kn_buf *out, long day, int english);

/* Append s with & < > " ' escaped for HTML text and attributes. */
int	 kn_html_escape(struct kn_buf *out, const char *s, size_t len);
/* Append s escaped for Markdown text (table cells included). */
int	 kn_md_escape(struct kn_buf *out, const char *s, size_t len);
/*
 * Append s padded with spaces (or cut, ending in "…") to exactly width
 * terminal columns, left or right aligned.
 */
int	 kn_text_pad(struct kn_buf *out, const char *s, size_t width,
	    int right);
/*
 * Append s left aligned in exactly width columns like kn_text_pad, but
 * when too wide cut in the middle, keeping its beginning and its end,
 * whole words where they fit: "Phòng Cảnh sát…trật tự xã hội", so that
 * labels that begin alike stay apart.
 */
int	 kn_text_pad_middle(struct kn_buf *out, const char *s, size_t width);
/* Append a bar of value/max of width columns in eighths of a block. */
int	 kn_text_bar(struct kn_buf *out, unsigned long value,
	    unsigned long max, size_t width);

#endif
