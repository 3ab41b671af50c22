#!/bin/sh
# run.sh BINDIR: run every benchmark (bench/bench-*.sh BINDIR WORKDIR) and
# print their figures.  Benchmarks measure; they never fail the build.
bindir=$(cd "${1:-bin}" && pwd) || exit 2
here=$(cd "$(dirname "$0")" && pwd)
work=${KN_BENCH_DIR:-$here/../build/bench}
mkdir -p "$work"
work=$(cd "$work" && pwd)
export KN_DATA=${KN_DATA:-$here/../data}
for b in "$here"/bench-*.sh; do
	[ -f "$b" ] || continue
	echo "== ${b##*/}"
	sh "$b" "$bindir" "$work" || echo "bench: ${b##*/} failed"
done
