/*
 * kn/cmd.h: what every kiennghi binary shares: common options, the
 * record loop over the inputs, rejects, messages, the closing summary
 * and the exit status.
 *
 * Messages go to opts->diag (standard error by default) in the form
 * "kn-tool: file:line: message".  Exit status: KN_EXIT_OK (0) when every
 * record was processed, KN_EXIT_REJECTS (1) when some were rejected and
 * the rest written, KN_EXIT_FATAL (2) for a usage error, an unreadable
 * input or a failed write.
 */
#ifndef KN_CMD_H
#define KN_CMD_H

#include <getopt.h>
#include <stdio.h>

#include "error.h"
#include "output.h"
#include "read.h"
#include "record.h"
#include "write.h"

#define KN_EXIT_OK	0
#define KN_EXIT_REJECTS	1
#define KN_EXIT_FATAL	2

/* Long-only option codes shared by every tool. */
enum {
	KN_OPT_VERSION = 0x1000,
	KN_OPT_FROM,
	KN_OPT_TO,
	KN_OPT_ENCODING,
	KN_OPT_DELIMITER,
	KN_OPT_MAX_FIELD,
	KN_OPT_REJECTS,
	KN_OPT_RAW_CSV,
	KN_OPT_WAIT,
	KN_OPT_TOOL = 0x1100	/* tools number their own options from here */
};

/* The getopt_long entries of the common options; end a tool's table. */
#define KN_COMMON_LONGOPTS \
	{ "help",	no_argument,		NULL, 'h' }, \
	{ "version",	no_argument,		NULL, KN_OPT_VERSION }, \
	{ "output",	required_argument,	NULL, 'o' }, \
	{ "quiet",	no_argument,		NULL, 'q' }, \
	{ "from",	required_argument,	NULL, KN_OPT_FROM }, \
	{ "to",		required_argument,	NULL, KN_OPT_TO }, \
	{ "encoding",	required_argument,	NULL, KN_OPT_ENCODING }, \
	{ "delimiter",	required_argument,	NULL, KN_OPT_DELIMITER }, \
	{ "max-field",	required_argument,	NULL, KN_OPT_MAX_FIELD }, \
	{ "rejects",	required_argument,	NULL, KN_OPT_REJECTS }, \
	{ "raw-csv",	no_argument,		NULL, KN_OPT_RAW_CSV }, \
	{ "wait",	required_argument,	NULL, KN_OPT_WAIT }, \
	{ NULL,		0,			NULL, 0 }
/* The short options among them, to start a tool's optstring. */
#define KN_COMMON_SHORTOPTS "ho:q"

#define KN_WAIT_DEFAULT 60.0	/* seconds to wait for an output lock */

struct kn_opts {
	const char	*prog;		/* "kn-intake" */
	const char	*output;	/* -o FILE; NULL: standard output */
	const char	*rejects;	/* --rejects FILE */
	enum kn_format	 to;		/* --to; AUTO means JSON Lines */
	struct kn_read_opts ropts;	/* --from, --encoding, --delimiter */
	int		 raw_csv;	/* --raw-csv */
	int		 quiet;		/* -q: no summary, no progress */
	double		 wait;		/* --wait */
	FILE		*diag;		/* where messages go */

	/* The run, kept by kn_run_*. */
	char		**inputs;
	int		 ninputs, cur;
	struct kn_reader *rd;
	struct kn_output *out, *rejout;
	struct kn_writer *w, *rejw;
	unsigned long	 nread, nwritten, nrejected, nduplicates, nkept;
	unsigned long	 nread_file;	/* nread when the current file began */
	int		 fatal;		/* a fatal error was reported */
	int		 stopped;	/* the reader of our output went away */
};

void	 kn_opts_init(struct kn_opts *o, const char *prog);
/*
 * Handle a common option: 0 when handled, 1 when ch is not a common
 * option, -1 when its argument is bad (a message was printed).
 */
int	 kn_opts_common(struct kn_opts *o, int ch, const char *arg);
/*
 * The default: branch of a tool's getopt loop: handle a common option.
 * Returns -1 when the loop goes on, else the exit status the tool must
 * return now: 0 after --version, 2 after a bad option or argument (the
 * tool's usage is printed for an unknown option).
 */
int	 kn_opts_other(struct kn_opts *o, int ch, const char *arg,
	    void (*usage)(FILE *));
/* Print "kn-tool (kiennghi) VERSION". */
void	 kn_print_version(const struct kn_opts *o, FILE *fp);

/* Messages: "prog: message", and with a record's origin. */
void	 kn_msg(const struct kn_opts *o, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	 kn_msg_at(const struct kn_opts *o, const char *source, long line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 kn_warn_rec(const struct kn_opts *o, const struct kn_record *r,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Print an error as "prog: source:line: text"; returns KN_EXIT_FATAL. */
int	 kn_die(const struct kn_opts *o, const struct kn_error *err);

/*
 * Start a run over the files in argv[0..argc) (standard input when
 * none): open the output and the rejects file.  -1 on failure, after a
 * message.
 */
int	 kn_run_begin(struct kn_opts *o, int argc, char **argv);
/*
 * The next good record of the inputs (caller's), KN_READ_END when all
 * are read, KN_READ_FATAL on a fatal error (reported).  Malformed
 * records are reported, sent to the rejects file and counted here.
 */
int	 kn_run_next(struct kn_opts *o, struct kn_record **rec);
/* Write a record; -1 when the run must stop (reported). */
int	 kn_run_write(struct kn_opts *o, const struct kn_record *r);
/* Reject a record with a reason: report, count, send to rejects. */
int	 kn_run_reject(struct kn_opts *o, const struct kn_record *r,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * Count a duplicate (reported by the caller): dropped, or kept (and then
 * written with kn_run_write).
 */
void	 kn_run_duplicate(struct kn_opts *o, int kept);
/*
 * Finish: close the inputs, complete and commit the outputs, print the
 * summary unless quiet.  Returns the exit status.
 */
int	 kn_run_end(struct kn_opts *o);

#endif
