#!/bin/sh
# run.sh SECONDS [NAME...]: build each libFuzzer harness fuzz_NAME.c with
# clang (-fsanitize=fuzzer,address,undefined) and run it for SECONDS on
# a copy of its seed corpus tests/fuzz/corpus/NAME.  A crash fails the
# run and leaves the input in build/fuzz/crash-*: turn it into a test.
secs=${1:-20}
shift
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-$top/build/fuzz}
mkdir -p "$out" && out=$(cd "$out" && pwd) || exit 1
CC=${FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found; install clang and libclang-rt-dev" >&2
	exit 1
fi
mkdir -p "$out"
[ $# -eq 0 ] && set -- $(cd "$here" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined"
cppflags="-I$top/include -I$top/lib -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DKN_FUZZ_DATA=\"$top/data\" $(pkg-config --cflags jansson libutf8proc)"
libs="-lcsv $(pkg-config --libs jansson libutf8proc) -lm -lpthread"
fail=0
for name in "$@"; do
	bin=$out/fuzz_$name
	# shellcheck disable=SC2086
	if ! $CC $flags $cppflags -o "$bin" "$here/fuzz_$name.c" \
	    "$top"/lib/*.c $libs; then
		echo "fuzz: $name: does not build"
		fail=1
		continue
	fi
	work=$out/corpus-$name
	mkdir -p "$work"
	[ -d "$here/corpus/$name" ] && cp "$here/corpus/$name"/* "$work"/ 2>/dev/null
	if (cd "$out" && "$bin" -max_total_time="$secs" -rss_limit_mb=2048 \
	    -timeout=10 -print_final_stats=1 "$work" >"$out/$name.log" 2>&1); then
		runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$out/$name.log" | grep -o '[0-9]*$')
		cov=$(grep -o 'cov: [0-9]*' "$out/$name.log" | tail -1)
		echo "fuzz: $name: $runs runs in ${secs}s, $cov, no crash"
	else
		echo "fuzz: $name: CRASH"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$out/$name.log" | head
		fail=1
	fi
done
exit $fail
