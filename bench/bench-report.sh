#!/bin/sh
# bench-report.sh BINDIR WORKDIR: kn-report over streams of generated
# ledger records, 1,000,000 and 10,000,000 of them, piped straight in
# (nothing is stored): records per second and the peak memory, which
# must not grow with the number of records, only with the groups.
# KN_BENCH_REPORT_MAX lowers the largest run (default 10000000).
bindir=$(cd "${1:-bin}" && pwd) || exit 2
work=${2:-/tmp}
max=${KN_BENCH_REPORT_MAX:-10000000}
here=$(cd "$(dirname "$0")" && pwd)
export KN_DATA=${KN_DATA:-$here/../data}
report=$bindir/kn-report
[ -x "$report" ] || { echo "bench-report: $report not built"; exit 2; }
mkdir -p "$work" || exit 2

# gen N: N ledger records as kn-answer writes them, about 380 bytes
# each, over 166 communes, 12 fields, 2025's weeks and 5000 problems.
gen() {
	awk -v n="$1" 'BEGIN {
	nf = split("personnel records finance equipment crime_reports " \
	    "admin_order traffic security crime fire_rescue coordination " \
	    "other", F, " ")
	split("open open open suggested answered answered closed " \
	    "duplicate", S, " ")
	split("Phòng Tổ chức cán bộ|Phòng Hồ sơ|Phòng Hậu cần|Phòng Hậu cần|" \
	    "Cơ quan Cảnh sát điều tra|Phòng Cảnh sát quản lý hành chính " \
	    "về trật tự xã hội|Phòng Cảnh sát giao thông|Phòng An ninh chính " \
	    "trị nội bộ|Phòng Cảnh sát hình sự|Phòng Cảnh sát phòng cháy, " \
	    "chữa cháy và cứu nạn, cứu hộ|Phòng Tham mưu|Phòng Tham mưu", D,
	    "|")
	split("Hạc Thành|Quảng Phú|Đông Quang|Đông Sơn|Hàm Rồng|Sầm Sơn|" \
	    "Bỉm Sơn|Nghi Sơn|Hà Trung|Hoằng Hóa|Nga Sơn|Yên Định|Ân Tiến|" \
	    "Bá Thước", C, "|")
	for (i = 0; i < n; i++) {
		f = i % nf + 1; c = (i * 7) % 166
		m = 1 + (i * 5) % 12; d = 1 + (i * 13) % 28
		printf "{\"id\":\"r%d\",\"commune\":\"%s %d\"," \
		    "\"commune_code\":\"%05d\"," \
		    "\"submitted\":\"2025-%02d-%02d\",\"title\":\"\"," \
		    "\"text\":\"Đề nghị hướng dẫn nghiệp vụ số %d " \
		    "cho công an xã sau sáp nhập\",\"field\":\"%s\"," \
		    "\"confidence\":0.8,\"needs_review\":false," \
		    "\"department\":\"%s\",\"priority\":\"normal\"," \
		    "\"due\":\"2025-%02d-%02d\",\"status\":\"%s\"," \
		    "\"route_rule\":\"routes.csv:%d\",\"group\":\"r%d\"}\n",
		    i, C[c % 14 + 1], c, 14000 + c, m, d, i, F[f], D[f], m, d,
		    S[i % 8 + 1], f, i % 5000
	}
	}'
}

# run LABEL N ARGS...: time kn-report over N generated records.
run() {
	label=$1 n=$2
	shift 2
	start=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		gen "$n" | /usr/bin/time -f "%M" -o "$work/report.rss" \
		    "$report" -q --as-of 2025-12-31 "$@" > "$work/report.out"
	else
		gen "$n" | "$report" -q --as-of 2025-12-31 "$@" \
		    > "$work/report.out"
		echo "?" > "$work/report.rss"
	fi
	st=$?
	end=$(date +%s.%N)
	awk -v l="$label" -v n="$n" -v s="$start" -v e="$end" -v st="$st" \
	    -v rss="$(tail -1 "$work/report.rss")" \
	    -v lines="$(wc -l < "$work/report.out")" 'BEGIN {
		t = e - s
		printf "%-36s %9d records %6.1f s %7.0f records/s  " \
		    "peak %6s KB  %5d lines out%s\n", l, n, t, n / t, rss,
		    lines, st == 0 ? "" : "  (exit " st ")"
	}'
}

echo "bench-report: generated records piped into kn-report (generator" \
    "time included)"
run "summary, 1M" 1000000
run "--by field,status --format csv, 1M" 1000000 --by field,status \
    --format csv
run "--by commune,week --format csv, 1M" 1000000 --by commune,week \
    --format csv
run "--digest --format html, 1M" 1000000 --digest --format html
run "--week 2025-W40 --overdue, 1M" 1000000 --week 2025-W40 --overdue \
    --by department
if [ "$max" -gt 1000000 ]; then
	run "summary, $max" "$max"
	run "--by commune,week --format csv, $max" "$max" \
	    --by commune,week --format csv
fi
rm -f "$work/report.out" "$work/report.rss"
