#!/bin/sh
# run.sh BINDIR: every binary over every hostile input under tests/bad,
# plus three generated on the spot (a 10 MB line, 100,000 columns,
# JSON nested 100,000 deep).  For each: no crash, no hang (60 s), no
# sanitizer report, a documented exit status (0, 1 or 2), a message
# naming the file (and line) when something was rejected, and the
# accounting of the closing line holds: records = written + rejected +
# duplicates.
bindir=$(cd "$1" && pwd) || exit 2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
cp "$here"/*.csv "$here"/*.json "$here"/*.jsonl "$here"/*.bin "$tmp"/
cd "$tmp" || exit 2
awk 'BEGIN { printf "commune,text\nHạc Thành,"; for (i = 0; i < 10485760 / 64; i++) printf "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"; printf "\nSầm Sơn,ngắn\n" }' > long-line.csv
awk 'BEGIN { for (i = 1; i <= 100000; i++) printf "c%d%s", i, i < 100000 ? "," : "\n"; for (i = 1; i <= 100000; i++) printf "%d%s", i, i < 100000 ? "," : "\n" }' > many-columns.csv
awk 'BEGIN { printf "{\"text\":"; for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; printf "}\n{\"commune\":\"Sầm Sơn\",\"text\":\"ngắn\"}\n" }' > deep.jsonl
cp deep.jsonl deep.json
pass=0 fail=0
for tool in "$bindir"/kn-*; do
	name=${tool##*/}
	for f in *; do
		case $f in out.*|err.*) continue ;; esac
		timeout 60 "$tool" "$f" >"out.$name" 2>"err.$name" </dev/null
		st=$?
		why=
		case $st in
		0|1|2) ;;
		124) why="hung (killed after 60 s)" ;;
		*) why="exit status $st (a crash?)" ;;
		esac
		if grep -q -e 'AddressSanitizer' -e 'runtime error:' \
		    -e 'LeakSanitizer' "err.$name"; then
			why="sanitizer report"
		fi
		if [ -z "$why" ] && [ $st -eq 1 ] &&
		    ! grep -q "^$name: $f:[0-9]*: " "err.$name"; then
			why="status 1 without a message naming $f and a line"
		fi
		if [ -z "$why" ] && [ $st -eq 2 ] &&
		    ! grep -q "^$name: " "err.$name"; then
			why="status 2 without a message"
		fi
		sum=$(grep -E "^$name: [0-9]+ records?, [0-9]+ written, [0-9]+ rejected" "err.$name" | tail -1)
		if [ -z "$why" ] && [ -n "$sum" ]; then
			set -- $(echo "$sum" | tr -cs '0-9' ' ')
			if [ $(($2 + $3 + ${4:-0})) -ne "$1" ]; then
				why="accounting: $sum"
			fi
		fi
		if [ -n "$why" ]; then
			echo "bad: $name $f: $why"
			sed 's/^/    /' "err.$name" | head -5
			fail=$((fail + 1))
		else
			pass=$((pass + 1))
		fi
	done
done
echo "bad: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
