#!/bin/sh
# run.sh BINDIR [CASE...]: run the command-line test cases.
#
# A case is a folder tests/cli/TOOL/CASE holding:
#   cmd           one shell command line, run in the case folder with
#                 BINDIR first on PATH and standard input from "input"
#                 when there is one (else /dev/null)
#                 ($T is an empty scratch folder of its own)
#   expected      what it must print on standard output
#   expected.err  (optional) what it must print on standard error
#   status        (optional) its exit status; 0 when absent
# Cases compare output exactly (diff -u).
bindir=$(cd "$1" && pwd) || exit 2
shift
here=$(cd "$(dirname "$0")" && pwd)
if [ $# -eq 0 ]; then
	set -- $(find "$here" -mindepth 2 -maxdepth 2 -type d | sort)
fi
unset COLUMNS	# text reports follow it; the cases that want it set it
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
for dir in "$@"; do
	[ -f "$dir/cmd" ] || continue
	dir=$(cd "$dir" && pwd)
	name=${dir#"$here"/}
	in=/dev/null
	[ -f "$dir/input" ] && in=$dir/input
	rm -rf "$tmp/T" && mkdir "$tmp/T"
	(cd "$dir" && PATH="$bindir:$PATH" LC_ALL=C.UTF-8 TZ=UTC T="$tmp/T" \
	    sh -c "$(cat cmd)" <"$in" >"$tmp/out" 2>"$tmp/err")
	st=$?
	want=0
	[ -f "$dir/status" ] && want=$(cat "$dir/status")
	ok=1
	if [ "$st" != "$want" ]; then
		echo "cli: $name: exit status $st, expected $want"
		ok=0
	fi
	if ! diff -u "$dir/expected" "$tmp/out" >"$tmp/diff" 2>&1; then
		echo "cli: $name: standard output differs:"
		cat "$tmp/diff"
		ok=0
	fi
	if [ -f "$dir/expected.err" ] &&
	    ! diff -u "$dir/expected.err" "$tmp/err" >"$tmp/diff" 2>&1; then
		echo "cli: $name: standard error differs:"
		cat "$tmp/diff"
		ok=0
	fi
	if grep -q -e 'ERROR: AddressSanitizer' -e 'runtime error:' \
	    -e 'ERROR: LeakSanitizer' "$tmp/err"; then
		echo "cli: $name: sanitizer report:"
		cat "$tmp/err"
		ok=0
	fi
	if [ $ok -eq 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
	fi
done
echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
