#!/bin/sh
# readme.sh BINDIR [FILE...]: every example in the README prints what it
# shows.  A ```console block holds commands after "$ " (a line ending in
# "\" goes on on the next) and, after each, what it prints (standard
# output and error together).  They run in order in a scratch folder
# holding copies of examples/ and data/, with BINDIR first on PATH.
# With READMEFIX=1, print each block as it really came out instead.
bindir=$(cd "$1" && pwd) || exit 2
shift
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -eq 0 ] && set -- "$top/README.md"
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT INT TERM
cp -R "$top/examples" "$top/data" "$work"/
fail=0 n=0
for readme in "$@"; do
	mkdir -p "$work/cases"
	awk -v dir="$work/cases" '
	/^```console$/ { inblock = 1; nb++; ncmd = 0; next }
	/^```/ && inblock { inblock = 0; next }
	inblock && /^\$ / && !cont {
		ncmd++
		f = sprintf("%s/%03d-%03d", dir, nb, ncmd)
		line = substr($0, 3)
		cont = line ~ /\\$/
		print line > (f ".cmd")
		printf "" > (f ".out")
		next
	}
	inblock && cont { print > (f ".cmd"); cont = $0 ~ /\\$/; next }
	inblock { print > (f ".out") }
	' "$readme"
	for cmd in "$work"/cases/*.cmd; do
		[ -f "$cmd" ] || continue
		n=$((n + 1))
		want=${cmd%.cmd}.out
		(cd "$work" && PATH="$bindir:$PATH" KN_DATA="$work/data" \
		    LC_ALL=C.UTF-8 TZ=UTC COLUMNS=100 sh -c "$(cat "$cmd")" \
		    </dev/null >"$cmd.got" 2>&1)
		if [ -n "$READMEFIX" ]; then
			printf '$ %s\n' "$(cat "$cmd")"
			cat "$cmd.got"
		elif ! diff -u "$want" "$cmd.got" >"$cmd.diff"; then
			echo "readme: ${readme##*/}: \$ $(head -1 "$cmd"):"
			cat "$cmd.diff"
			fail=$((fail + 1))
		fi
	done
	rm -rf "$work/cases"
done
[ -z "$READMEFIX" ] && echo "readme: $n examples, $fail differ"
[ "$fail" -eq 0 ]
