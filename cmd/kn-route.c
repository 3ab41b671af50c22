/*
 * kn-route: give each classified record the department that must answer
 * it, a priority and a due date, by an editable routing table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kn/kn.h"
#include "kn/route.h"

enum {
	OPT_ROUTES = KN_OPT_TOOL,
	OPT_DEPARTMENTS,
	OPT_HOLIDAYS,
	OPT_PRIORITIES,
	OPT_COMMUNES,
	OPT_CALENDAR_DAYS,
	OPT_CHECK
};

static const struct option longopts[] = {
	{ "routes",		required_argument,	NULL, OPT_ROUTES },
	{ "departments",	required_argument,	NULL, OPT_DEPARTMENTS },
	{ "holidays",		required_argument,	NULL, OPT_HOLIDAYS },
	{ "priorities",		required_argument,	NULL, OPT_PRIORITIES },
	{ "communes",		required_argument,	NULL, OPT_COMMUNES },
	{ "calendar-days",	no_argument,		NULL,
	    OPT_CALENDAR_DAYS },
	{ "check",		no_argument,		NULL, OPT_CHECK },
	KN_COMMON_LONGOPTS
};

static void
usage(FILE *fp)
{
	fputs("usage: kn-route [-hq] [-o file] [--calendar-days] [--check] "
	    "[--communes file]\n"
	    "                [--delimiter c] [--departments file] "
	    "[--encoding name]\n"
	    "                [--from format] [--holidays file] "
	    "[--max-field size]\n"
	    "                [--priorities file] [--raw-csv] "
	    "[--rejects file]\n"
	    "                [--routes file] [--to format] "
	    "[--wait seconds] [file ...]\n", fp);
}

static void
help(void)
{
	usage(stdout);
	fputs("\nGive each classified record a department, a priority and a "
	    "due date.\n"
	    "  -o file               write here (atomically) instead of "
	    "standard output\n"
	    "  -q                    no summary at the end\n"
	    "  --routes file         another routing table (data/routes.csv)\n"
	    "  --departments file    another department list (code,name)\n"
	    "  --priorities file     other priority phrases (phrase,priority)\n"
	    "  --holidays file       another holiday calendar "
	    "(date,kind,name)\n"
	    "  --communes file       another commune registry, for rules on "
	    "communes\n"
	    "  --calendar-days       count due dates in calendar days, not "
	    "working days\n"
	    "  --check               validate the routing table and exit\n"
	    "  --rejects file        rejected records, as JSON Lines\n"
	    "  --from, --to format   csv, jsonl, json\n"
	    "\nexample:\n"
	    "  kn-intake thang10/*.csv | kn-classify | kn-route > "
	    "routed.jsonl\n"
	    "\nSee kn-route(1) and kiennghi(7).\n", stdout);
}

/* The base name of path, for messages that name a data file. */
static const char *
base_name(const char *path, const char *dflt)
{
	const char *s;

	if (path == NULL)
		return dflt;
	return (s = strrchr(path, '/')) != NULL ? s + 1 : path;
}

/*
 * Print the problems of the routing table and the other data files; the
 * number that count.  --check prints and counts them all.  Routing
 * prints those that stop it, each file's summed up after them, and the
 * others in one warning, so that a daily job does not repeat them.
 */
static int
report_problems(const struct kn_opts *o, const struct kn_router *rt,
    int check)
{
	const struct kn_route_problem *p;
	size_t i, j, n;
	int nfatal, k;

	n = kn_router_problems(rt, &nfatal);
	for (i = 0; i < n; i++) {
		p = kn_router_problem(rt, i);
		if (check || p->fatal)
			kn_msg_at(o, p->source, p->line, "%s", p->text);
	}
	if (check)
		return (int)n;
	/* The problems come file by file: one line for each file. */
	for (i = 0; i < n; i = j) {
		const char *src = kn_router_problem(rt, i)->source;

		for (j = i, k = 0; j < n && strcmp(kn_router_problem(rt,
		    j)->source, src) == 0; j++)
			k += kn_router_problem(rt, j)->fatal != 0;
		if (k > 0)
			kn_msg(o, "%s: %s%d error%s: fix %s (kn-route --check "
			    "lists every problem)", src,
			    strcmp(src, kn_router_table(rt)) == 0 ?
			    "the routing table has " : "", k,
			    k == 1 ? "" : "s", k == 1 ? "it" : "them");
	}
	if (nfatal == 0 && n > 0)
		kn_msg(o, "%s: warning: the routing table has %zu problem%s "
		    "that do%s not stop routing (see kn-route --check)",
		    kn_router_table(rt), n, n == 1 ? "" : "s", n == 1 ? "es" :
		    "");
	return nfatal;
}

static void
warn_route(const struct kn_opts *o, const struct kn_record *rec,
    const struct kn_route *rt, const char *holidays)
{
	int i;

	if (rt->flags & KN_ROUTE_NO_FIELD)
		kn_warn_rec(o, rec, "no field: routed by the catch-all (%s)",
		    rt->rule);
	if (rt->flags & KN_ROUTE_UNKNOWN_FIELD)
		kn_warn_rec(o, rec, "unknown field \"%s\": routed by the "
		    "catch-all (%s)", kn_record_strz(rec, "field"), rt->rule);
	if (rt->flags & KN_ROUTE_NO_DATE)
		kn_warn_rec(o, rec, "no submitted date: due left empty");
	if (rt->flags & KN_ROUTE_BAD_DATE)
		kn_warn_rec(o, rec, "submitted \"%s\" is not a date: due left "
		    "empty", kn_record_strz(rec, "submitted"));
	if (rt->flags & KN_ROUTE_FAR_DATE)
		kn_warn_rec(o, rec, "submitted \"%s\" is outside %d-%d: due "
		    "left empty", kn_record_strz(rec, "submitted"),
		    KN_ROUTE_YEAR_MIN, KN_ROUTE_YEAR_MAX);
	for (i = 0; i < rt->n_new_years; i++)
		kn_warn_rec(o, rec, "the holiday calendar %s does not cover "
		    "%d: due dates there skip weekends only", holidays,
		    rt->new_years[i]);
}

int
main(int argc, char *argv[])
{
	struct kn_opts o;
	struct kn_router_opts ro;
	struct kn_router *rt;
	struct kn_record *rec;
	struct kn_route route;
	struct kn_error err;
	int ch, rc, check = 0, bad;

	kn_opts_init(&o, "kn-route");
	memset(&ro, 0, sizeof(ro));
	while ((ch = getopt_long(argc, argv, KN_COMMON_SHORTOPTS, longopts,
	    NULL)) != -1) {
		switch (ch) {
		case OPT_ROUTES:
			ro.routes = optarg;
			break;
		case OPT_DEPARTMENTS:
			ro.departments = optarg;
			break;
		case OPT_HOLIDAYS:
			ro.holidays = optarg;
			break;
		case OPT_PRIORITIES:
			ro.priorities = optarg;
			break;
		case OPT_COMMUNES:
			ro.communes = optarg;
			break;
		case OPT_CALENDAR_DAYS:
			ro.calendar_days = 1;
			break;
		case OPT_CHECK:
			check = 1;
			break;
		case 'h':
			help();
			return KN_EXIT_OK;
		default:
			if ((rc = kn_opts_other(&o, ch, optarg, usage)) >= 0)
				return rc;
		}
	}
	if (check && optind < argc) {
		kn_msg(&o, "--check reads the tables, not records: \"%s\"",
		    argv[optind]);
		usage(stderr);
		return KN_EXIT_FATAL;
	}
	kn_error_clear(&err);
	if ((rt = kn_router_new(&ro, &err)) == NULL)
		return kn_die(&o, &err);
	bad = report_problems(&o, rt, check);
	if (check || bad > 0) {
		if (check && bad == 0 && !o.quiet)
			kn_msg(&o, "%s: %zu rules, no problems",
			    kn_router_table(rt), kn_router_rules(rt));
		kn_router_free(rt);
		return bad > 0 ? KN_EXIT_FATAL : KN_EXIT_OK;
	}
	if (kn_run_begin(&o, argc - optind, argv + optind) == -1) {
		kn_router_free(rt);
		return KN_EXIT_FATAL;
	}
	while (kn_run_next(&o, &rec) == KN_READ_RECORD) {
		kn_error_clear(&err);
		if (kn_router_route(rt, rec, &route, &err) == -1 ||
		    kn_route_apply(&route, rec) == -1) {
			kn_msg_at(&o, kn_record_source(rec),
			    kn_record_line(rec), "out of memory");
			o.fatal = 1;
			kn_record_free(rec);
			break;
		}
		warn_route(&o, rec, &route, base_name(ro.holidays,
		    "holidays.csv"));
		rc = kn_run_write(&o, rec);
		kn_record_free(rec);
		if (rc == -1)
			break;
	}
	kn_router_free(rt);
	return kn_run_end(&o);
}
