#!/bin/sh
# weekly-report.sh: the weekly job an analyst puts in cron.
#
#   weekly-report.sh [-a as-of] [-A archive] [-k kb] [-l ledger]
#                    [-m model] [-r dir] [-w week] inbox
#
# Takes in every .csv, .json and .jsonl file of the folder inbox (this
# week's files from the communes), classifies, routes and answers the
# new proposals, appends them to the ledger, moves the files to the
# archive folder when -A names one, and writes the week's report and
# dialogue document:
#
#   reports/2025-W40.html            the report, one self-contained page
#   reports/2025-W40.md              the same, in Markdown
#   reports/2025-W40-doi-thoai.html  the dialogue digest of the week
#   reports/2025-W40-doi-thoai.md
#   reports/2025-W40-rejects.jsonl   the rows that were rejected, if any
#   reports/2025-W40.log             the warnings of every stage, if any
#
# The reports count proposals by the week they were sent (submitted):
# a proposal sent in an earlier week that arrives late also rewrites
# that week's reports, so that every proposal is in a weekly report.
#
# Silent on success, so that cron mails only problems.  Exit status: 0
# when all went well; 1 when some rows were rejected (the rest were
# taken in, the reports written, and the rejects kept); 2 when a stage
# failed: the message names it, and the ledger is left as it was.
#
#   -a as-of   the day of the report (default: today)
#   -A archive move the files taken in here once the ledger holds them,
#              so that the inbox holds only what is new (a file that
#              had rejected rows is moved too: its rejects are kept in
#              the reports folder)
#   -k kb      a knowledge base of earlier answers for kn-answer
#              (repeatable; default: the data directory's)
#   -l ledger  the ledger (default: ledger.jsonl)
#   -m model   the classifier's model (default: the data directory's)
#   -r dir     where the reports go (default: reports)
#   -w week    the week to report, as 2025-W40 (default: the week of
#              yesterday, so that a run on Monday morning reports the
#              week just ended)
#
# crontab, every Monday at 7:00, in the folder that holds the ledger, the
# inbox and the reports (cron's PATH must reach the installed tools):
#   PATH=/usr/local/bin:/usr/bin:/bin
#   0 7 * * 1  cd /srv/kiennghi && sh weekly-report.sh -A da-nhan inbox
set -eu
# No stage runs in a pipeline, so no failure can hide behind a later
# stage's success; where the shell has pipefail, it is on all the same.
# shellcheck disable=SC3040
if (set -o pipefail) 2>/dev/null; then
	set -o pipefail
fi

prog=${0##*/}
ledger=ledger.jsonl
reports=reports
week=
as_of=
archive=
kbs=
model=

die() {
	echo "$prog: $*" >&2
	exit 2
}

usage() {
	echo "usage: $prog [-a as-of] [-A archive] [-k kb] [-l ledger]" \
	    "[-m model] [-r dir] [-w week] inbox" >&2
	exit 2
}

while getopts a:A:k:l:m:r:w: opt; do
	case $opt in
	a) as_of=$OPTARG ;;
	A) archive=$OPTARG ;;
	k) kbs="$kbs$OPTARG
" ;;
	l) ledger=$OPTARG ;;
	m) model=$OPTARG ;;
	r) reports=$OPTARG ;;
	w) week=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[ $# -eq 1 ] || usage
inbox=$1
[ -d "$inbox" ] || die "$inbox: not a folder"

# The tools on PATH; else those of the checkout this script is in.
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v kn-intake >/dev/null 2>&1 && [ -x "$here/../bin/kn-intake" ]
then
	PATH=$here/../bin:$PATH
fi
for tool in kn-intake kn-classify kn-route kn-answer kn-report; do
	command -v "$tool" >/dev/null 2>&1 ||
	    die "$tool: not found (build with make, or install kiennghi)"
done

[ -n "$as_of" ] || as_of=$(date +%F)
if [ -z "$week" ]; then
	week=$(date -d "$as_of -1 day" +%G-W%V 2>/dev/null) ||
	    die "cannot tell the week of $as_of; give it with -w"
fi
case $week in
[0-9][0-9][0-9][0-9]-W[0-9][0-9]) ;;
*) die "-w: \"$week\" is not a week such as 2025-W40" ;;
esac

work=$(mktemp -d) || die "cannot make a temporary folder"
trap 'rm -rf "$work"' EXIT
trap 'exit 2' INT TERM HUP

# The week's files, in name order.
find "$inbox" -maxdepth 1 -type f \( -name '*.csv' -o -name '*.json' -o \
    -name '*.jsonl' \) | LC_ALL=C sort > "$work/files"
rejected=0

# stage NAME COMMAND...: run one stage; 1 (rejects) goes on, more stops.
stage() {
	name=$1
	shift
	set +e
	"$@" 2>"$work/$name.err"
	st=$?
	set -e
	case $st in
	0) ;;
	1) rejected=1 ;;
	*) cat "$work/$name.err" >&2
	   die "$name failed (exit status $st); the ledger is unchanged" ;;
	esac
}

[ -e "$ledger" ] || : > "$ledger" || die "$ledger: cannot create it"
if [ -s "$work/files" ]; then
	# Read the file names one a line: names may hold spaces.
	set --
	while IFS= read -r f; do
		set -- "$@" "$f"
	done < "$work/files"
	stage kn-intake kn-intake -q --seen "$ledger" \
	    --rejects "$work/rejects.jsonl" -o "$work/1-intake.jsonl" "$@"
	if [ -n "$model" ]; then
		stage kn-classify kn-classify -q --model "$model" \
		    -o "$work/2-classify.jsonl" "$work/1-intake.jsonl"
	else
		stage kn-classify kn-classify -q -o "$work/2-classify.jsonl" \
		    "$work/1-intake.jsonl"
	fi
	stage kn-route kn-route -q -o "$work/3-route.jsonl" \
	    "$work/2-classify.jsonl"
	set -- kn-answer -q --group
	while IFS= read -r kb; do
		if [ -n "$kb" ]; then
			set -- "$@" --kb "$kb"
		fi
	done <<EOF
$kbs
EOF
	stage kn-answer "$@" -o "$work/4-answer.jsonl" "$work/3-route.jsonl"

	# Append under the lock the tools take on the ledger, through a
	# copy renamed into place: a crash never leaves half a ledger.
	if [ -s "$work/4-answer.jsonl" ]; then
		# shellcheck disable=SC2016
		append='cat "$1" "$2" > "$1.weekly.$$" && sync "$1.weekly.$$" &&
		    mv "$1.weekly.$$" "$1"'
		if command -v flock >/dev/null 2>&1; then
			flock -w 600 "$ledger" sh -c "$append" sh "$ledger" \
			    "$work/4-answer.jsonl" ||
			    die "$ledger: could not append the new records"
		else
			sh -c "$append" sh "$ledger" "$work/4-answer.jsonl" ||
			    die "$ledger: could not append the new records"
		fi
	fi
	# The ledger holds them: the files leave the inbox.
	if [ -n "$archive" ]; then
		mkdir -p "$archive" || die "$archive: cannot create it"
		while IFS= read -r f; do
			mv -f "$f" "$archive/" ||
			    die "$f: could not move it to $archive"
		done < "$work/files"
	fi
else
	echo "$prog: warning: no .csv, .json or .jsonl file in $inbox" >&2
fi

# This week, and the earlier weeks late arrivals were sent in.
echo "$week" > "$work/weeks"
if [ -s "$work/4-answer.jsonl" ]; then
	stage kn-report kn-report -q --by week --format csv \
	    -o "$work/weeks.csv" "$work/4-answer.jsonl"
	sed -n 's/^\([0-9][0-9][0-9][0-9]-W[0-9][0-9]\),.*/\1/p' \
	    "$work/weeks.csv" >> "$work/weeks"
fi
mkdir -p "$reports" || die "$reports: cannot create it"
for w in $(LC_ALL=C sort -u "$work/weeks"); do
	for fmt in html md; do
		stage kn-report kn-report -q --week "$w" --as-of "$as_of" \
		    -o "$reports/$w.$fmt" "$ledger"
		stage kn-report kn-report -q --digest --week "$w" \
		    --as-of "$as_of" -o "$reports/$w-doi-thoai.$fmt" "$ledger"
	done
done

# The warnings of every stage (unknown communes, dates that are not
# dates...) go to a log beside the reports, not to cron's mail.
: > "$work/log"
for name in kn-intake kn-classify kn-route kn-answer kn-report; do
	if [ -s "$work/$name.err" ]; then
		cat "$work/$name.err" >> "$work/log"
	fi
done
if [ -s "$work/log" ]; then
	cp "$work/log" "$reports/$week.log"
fi

if [ $rejected -ne 0 ]; then
	if [ -s "$work/rejects.jsonl" ]; then
		cp "$work/rejects.jsonl" "$reports/$week-rejects.jsonl"
	fi
	grep -v -e ': warning: ' -e ': duplicate: ' "$work/log" >&2 || :
	echo "$prog: some rows were rejected; the others are in $ledger," \
	    "the reports in $reports/$week.*" >&2
	exit 1
fi
exit 0
