#!/bin/sh
# bench-intake.sh BINDIR WORKDIR: kn-intake on an Excel-style CSV of
# N rows (KN_BENCH_INTAKE_N, 1000000 by default) and of 10,000 rows:
# time, records per second and peak memory, which grows only by the
# duplicate index: for each record two 64-bit hashes, its id and where
# it was read, about 110 bytes.
bin=$1
work=$2/intake
n=${KN_BENCH_INTAKE_N:-1000000}
mkdir -p "$work"
gen() {
	awk -v n="$1" 'BEGIN {
		printf "\357\273\277STT;Đơn vị;Ngày gửi;Nội dung kiến nghị, đề xuất\r\n"
		split("Hạc Thành;CAX Mường Lát;P. Sầm Sơn;phuong quang phu;Công an xã Hà Vinh", c, ";")
		split("Đề nghị cấp bổ sung xe ô tô cho công an xã miền núi;de nghi huong dan dang ky tam tru cho cong nhan;Kiến nghị kinh phí chi trả phụ cấp tổ bảo vệ ANTT", t, ";")
		for (i = 1; i <= n; i++)
			printf "%d;%s;%02d/10/2025;\"%s, lần %d\"\r\n", i, c[i % 5 + 1], i % 28 + 1, t[i % 3 + 1], i
	}'
}
[ -f "$work/big.csv" ] || gen "$n" > "$work/big.csv"
[ -f "$work/small.csv" ] || gen 10000 > "$work/small.csv"
for f in small big; do
	/usr/bin/time -f '%e %M' -o "$work/time" "$bin/kn-intake" -q \
	    "$work/$f.csv" > /dev/null 2> "$work/$f.err"
	rows=$(($(wc -l < "$work/$f.csv") - 1))
	awk -v rows="$rows" '{ printf "kn-intake, %d rows: %.2f s, %.0f records/s, peak RSS %d KB\n", rows, $1, ($1 > 0 ? rows / $1 : 0), $2 }' "$work/time"
done
