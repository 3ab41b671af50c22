/*
 * kn: the front door.  "kn intake ..." runs kn-intake, like git runs
 * its subcommands; "kn help TOOL" opens the manual.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kn/kn.h"

static const char *const tools[] = {
	"intake", "classify", "route", "answer", "report", NULL
};

static const char *const blurb[] = {
	"take in what communes send: CSV, JSON, legacy encodings",
	"assign each proposal its field",
	"assign department, priority and due date",
	"suggest earlier answers, group, record answers",
	"count and report: text, CSV, JSON, Markdown, HTML",
};

static void
usage(FILE *fp)
{
	fputs("usage: kn [--version] [-h] tool [arg ...]\n"
	    "       kn help [tool]\n", fp);
}

static void
list_tools(FILE *fp)
{
	int i;

	fputs("tools:\n", fp);
	for (i = 0; tools[i] != NULL; i++)
		fprintf(fp, "  %-9s %s\n", tools[i], blurb[i]);
}

static int
known(const char *tool)
{
	int i;

	for (i = 0; tools[i] != NULL; i++)
		if (strcmp(tools[i], tool) == 0)
			return 1;
	return 0;
}

/* The directory kn itself was run from, to find its siblings first. */
static int
self_dir(char *buf, size_t size)
{
	ssize_t n = readlink("/proc/self/exe", buf, size - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((slash = strrchr(buf, '/')) == NULL)
		return -1;
	*slash = '\0';
	return 0;
}

static int
run_tool(const char *tool, char **argv)
{
	char dir[PATH_MAX], path[PATH_MAX + 96], name[64];

	snprintf(name, sizeof(name), "kn-%s", tool);
	argv[0] = name;
	if (self_dir(dir, sizeof(dir)) == 0) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		if (access(path, X_OK) == 0)
			execv(path, argv);
	}
	execvp(name, argv);
	fprintf(stderr, "kn: cannot run %s: %s\n", name, strerror(errno));
	return KN_EXIT_FATAL;
}

static int
help(const char *tool)
{
	char dir[PATH_MAX], page[PATH_MAX + 96], name[64];

	if (tool == NULL) {
		usage(stdout);
		fputs("\n", stdout);
		list_tools(stdout);
		fputs("\nexample:\n"
		    "  kn intake thang10/*.csv | kn classify | kn route | "
		    "kn answer --group |\n"
		    "      kn report --by field,status\n"
		    "\n'kn help TOOL' opens the manual of a tool; "
		    "'kn help kiennghi' the overview.\n", stdout);
		return KN_EXIT_OK;
	}
	if (strcmp(tool, "kiennghi") == 0)
		snprintf(name, sizeof(name), "kiennghi");
	else if (known(tool))
		snprintf(name, sizeof(name), "kn-%s", tool);
	else if (strcmp(tool, "kn") == 0)
		snprintf(name, sizeof(name), "kn");
	else {
		fprintf(stderr, "kn: no manual for \"%s\"\n", tool);
		list_tools(stderr);
		return KN_EXIT_FATAL;
	}
	/* In a source checkout the page is beside bin/, not installed. */
	if (self_dir(dir, sizeof(dir)) == 0) {
		snprintf(page, sizeof(page), "%s/../man/%s.%c", dir, name,
		    strcmp(name, "kiennghi") == 0 ? '7' : '1');
		if (access(page, R_OK) == 0) {
			execlp("man", "man", "-l", page, (char *)NULL);
			fprintf(stderr, "kn: cannot run man: %s; the page is %s\n",
			    strerror(errno), page);
			return KN_EXIT_FATAL;
		}
	}
	execlp("man", "man", name, (char *)NULL);
	fprintf(stderr, "kn: cannot run man: %s\n", strerror(errno));
	return KN_EXIT_FATAL;
}

int
main(int argc, char *argv[])
{
	struct kn_opts o;

	kn_opts_init(&o, "kn");
	if (argc < 2) {
		usage(stderr);
		list_tools(stderr);
		return KN_EXIT_FATAL;
	}
	if (strcmp(argv[1], "--version") == 0) {
		kn_print_version(&o, stdout);
		return KN_EXIT_OK;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return help(NULL);
	if (strcmp(argv[1], "help") == 0)
		return help(argc > 2 ? argv[2] : NULL);
	if (!known(argv[1])) {
		fprintf(stderr, "kn: \"%s\" is not a kn tool\n", argv[1]);
		list_tools(stderr);
		return KN_EXIT_FATAL;
	}
	return run_tool(argv[1], argv + 1);
}
