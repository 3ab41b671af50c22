#!/bin/sh
# bench-classify.sh BINDIR WORKDIR: kn-classify's speed and memory.
#
# Generates 1,000,000 records as kn-intake writes them (id, row, commune,
# commune_code, submitted, title, text, submitter, source_file,
# source_line; the texts are those of data/train.jsonl in turn), as
# JSON Lines and as CSV, and times:
#   - kn-classify on the JSON Lines against jq -c . on the same file
#     (target: no slower than 1.2 x jq);
#   - kn-classify on the CSV against fasttext predict on the same texts,
#     folded (target: at least 1.5 x faster);
#   - the peak memory of kn-classify on 10,000 and 1,000,000 records
#     (target: the same).
# Both programs write to /dev/null.  jq and fasttext are each skipped,
# with a message, when absent; bench/fasttext.sh runs first (accuracy
# against fastText) and leaves the fastText model used here.
# KN_BENCH_CLASSIFY_N changes the number of records; the generated files
# are removed at the end unless KN_BENCH_KEEP is set.
bindir=$(cd "${1:-bin}" && pwd) || exit 2
work=${2:-/tmp}/classify
here=$(cd "$(dirname "$0")" && pwd)
export KN_DATA=${KN_DATA:-$here/../data}
n=${KN_BENCH_CLASSIFY_N:-1000000}
cl=$bindir/kn-classify
[ -x "$cl" ] || { echo "bench-classify: $cl not built"; exit 2; }
mkdir -p "$work" || exit 2

# The texts of the training corpus, one JSON string literal a line.
awk '{
	if (match($0, /"text": *"([^"\\]|\\.)*"/)) {
		t = substr($0, RSTART, RLENGTH)
		sub(/^"text": */, "", t)
		print t
	}
}' "$KN_DATA/train.jsonl" > "$work/texts" || exit 2

# gen N FORMAT: N records in jsonl, csv, or the bare texts (one a line).
gen() {
	awk -v n="$1" -v fmt="$2" '
	function unjson(s) {
		s = substr(s, 2, length(s) - 2)
		gsub(/\\"/, "\"", s)
		gsub(/\\\\/, "\\", s)
		return s
	}
	function csv(s) {
		gsub(/"/, "\"\"", s)
		return "\"" s "\""
	}
	{ T[nt++] = $0 }
	END {
	split("Hạc Thành|Quảng Phú|Đông Quang|Đông Sơn|Hàm Rồng|Sầm Sơn|" \
	    "Bỉm Sơn|Nghi Sơn|Hà Trung|Hoằng Hóa|Nga Sơn|Yên Định|Ân Tiến|" \
	    "Bá Thước", C, "|")
	split("Kiến nghị|Đề xuất về công tác năm 2025|Vướng mắc|" \
	    "Khó khăn, vướng mắc sau sáp nhập", H, "|")
	if (fmt == "csv")
		print "id,row,commune,commune_code,submitted,title,text," \
		    "submitter,source_file,source_line"
	for (i = 0; i < n; i++) {
		t = T[(i * 7919) % nt]
		c = C[i % 14 + 1]; code = 14000 + (i * 7) % 166
		m = 1 + (i * 5) % 12; d = 1 + (i * 13) % 28
		title = (i % 3 == 0) ? "" : H[i % 4 + 1]
		if (fmt == "jsonl")
			printf "{\"id\":\"kn-%07d\",\"row\":%d,\"commune\":" \
			    "\"%s\",\"commune_code\":\"%05d\",\"submitted\":" \
			    "\"2025-%02d-%02d\",\"title\":\"%s\",\"text\":%s," \
			    "\"submitter\":\"Công an xã %s\",\"source_file\":" \
			    "\"thang%02d.csv\",\"source_line\":%d}\n", i, i + 2,
			    c, code, m, d, title, t, c, m, i + 2
		else if (fmt == "csv")
			printf "kn-%07d,%d,%s,%05d,2025-%02d-%02d,%s,%s," \
			    "Công an xã %s,thang%02d.csv,%d\n", i, i + 2, c,
			    code, m, d, csv(title), csv(unjson(t)), c, m, i + 2
		else
			print (title != "" ? title " " : "") unjson(t)
	}
	}' "$work/texts"
}

# timed LABEL CMD...: run CMD, print its wall time, its processor time
# (user + system) and its peak memory; leaves the wall seconds in $secs,
# the processor seconds in $cpu and the kilobytes in $kb.
timed() {
	label=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > /dev/null
	st=$?
	read secs user sys kb < "$work/time"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	printf "  %-40s %6.2f s (cpu %6.2f s) %7d KB peak%s\n" "$label" \
	    "$secs" "$cpu" "$kb" "$([ $st -eq 0 ] || echo "  (exit $st)")"
}

# ratio NAME A B LIMIT OP: print A / B by wall time and by processor
# time, and whether the wall ratio is OP (<= or >=) LIMIT.
ratio() {
	awk -v n="$1" -v a="$2" -v b="$3" -v ac="$4" -v bc="$5" -v l="$6" \
	    -v op="$7" 'BEGIN {
		r = a / b; rc = ac / bc
		ok = (op == "<=") ? (r <= l) : (r >= l)
		printf "  %s = %.2f (cpu %.2f; target %s %s): %s\n", n, r, rc,
		    op, l, ok ? "met" : "NOT MET"
	}'
}

if [ ! -x /usr/bin/time ]; then
	echo "bench-classify: /usr/bin/time (GNU time) is needed: skipped"
	exit 0
fi

sh "$here/fasttext.sh" "$bindir" "${2:-/tmp}"

echo "bench-classify: generating $n records"
gen "$n" jsonl > "$work/records.jsonl" || exit 2
gen "$n" csv > "$work/records.csv" || exit 2
gen 10000 jsonl > "$work/records-10k.jsonl" || exit 2
ls -l "$work/records.jsonl" "$work/records.csv" |
    awk '{ printf "  %s: %.0f MB\n", $NF, $5 / 1e6 }'

echo "bench-classify: JSON Lines"
timed "kn-classify, $n records" "$cl" -q "$work/records.jsonl"
t_kn=$secs c_kn=$cpu
kb_big=$kb
if command -v jq >/dev/null 2>&1; then
	timed "jq -c ., same file" jq -c . "$work/records.jsonl"
	ratio "kn-classify / jq" "$t_kn" "$secs" "$c_kn" "$cpu" 1.2 "<="
else
	echo "  jq not installed: comparison skipped"
fi

echo "bench-classify: CSV"
timed "kn-classify --from csv, $n records" "$cl" -q --from csv \
    "$work/records.csv"
t_csv=$secs c_csv=$cpu
ftmodel=${2:-/tmp}/fasttext/model.bin
if command -v fasttext >/dev/null 2>&1 && [ -f "$ftmodel" ]; then
	gen "$n" text | iconv -f UTF-8 -t ASCII//TRANSLIT | tr 'A-Z' 'a-z' |
	    sed 's/[^a-z0-9]/ /g; s/  */ /g; s/^ //; s/ $//' \
	    > "$work/texts.ft"
	timed "fasttext predict, same texts (folded)" fasttext predict \
	    "$ftmodel" "$work/texts.ft"
	ratio "fasttext / kn-classify" "$secs" "$t_csv" "$cpu" "$c_csv" 1.5 ">="
else
	echo "  fasttext not installed: comparison skipped"
fi

echo "bench-classify: memory"
timed "kn-classify, 10000 records" "$cl" -q "$work/records-10k.jsonl"
awk -v a="$kb" -v b="$kb_big" 'BEGIN {
	printf "  peak at 10000: %d KB, at '"$n"': %d KB: %s\n", a, b,
	    (b <= a * 1.05 + 512) ? "flat" : "GROWS"
}'
timed "kn-classify --explain, $n records" "$cl" -q --explain \
    "$work/records.jsonl"

if [ -z "$KN_BENCH_KEEP" ]; then
	rm -f "$work/records.jsonl" "$work/records.csv" \
	    "$work/records-10k.jsonl" "$work/texts.ft"
fi
