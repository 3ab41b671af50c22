#!/bin/sh
# run.sh TEST...: run the cmocka unit tests; fail when one fails.
failed=0
for t in "$@"; do
	if ! "$t" >"$t.log" 2>&1; then
		cat "$t.log"
		echo "unit: FAIL $t"
		failed=$((failed + 1))
	fi
done
echo "unit: $# test programs, $failed failed"
[ "$failed" -eq 0 ]
