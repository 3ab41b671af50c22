#!/bin/sh
# demo.sh BINDIR: the whole pipeline on the bundled dialogue round.
#
# Takes in the three files communes sent (an Excel CSV, a comma CSV, a
# JSON array), classifies, routes, suggests earlier answers and groups
# the proposals, merges the answers two departments wrote, then prints
# the report and writes it as HTML too.  Everything it writes goes to
# build/demo/.
set -eu
bindir=$(cd "${1:-bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../build/demo
mkdir -p "$out"
out=$(cd "$out" && pwd)
PATH=$bindir:$PATH
KN_DATA=${KN_DATA:-$here/../data}
export PATH KN_DATA
asof=2025-11-05	# the round's data are from October 2025

cd "$here"
echo "== kn-intake: three files from the communes"
# One row has an empty text: kn-intake rejects it (exit status 1) and
# keeps it in rejects.jsonl; the others go on.
kn-intake --rejects "$out/rejects.jsonl" -o "$out/1-intake.jsonl" \
    cong-an-xa-thang10.csv tong-hop-phong-tham-muu.csv gui-qua-vneid.json ||
    [ $? -eq 1 ]
echo "== kn-classify, kn-route, kn-answer"
kn-classify -o "$out/2-classify.jsonl" "$out/1-intake.jsonl"
kn-route -o "$out/3-route.jsonl" "$out/2-classify.jsonl"
kn-answer --group -o "$out/ledger.jsonl" "$out/3-route.jsonl"
echo "== kn-answer --answers: what two departments answered"
kn-answer --answers answers.csv -o "$out/ledger.jsonl" "$out/ledger.jsonl"
echo
kn-report -q --as-of "$asof" --title "Đối thoại Công an xã, phường tháng 10/2025" \
    "$out/ledger.jsonl"
kn-report -q --as-of "$asof" --title "Đối thoại Công an xã, phường tháng 10/2025" \
    -o "$out/report.html" "$out/ledger.jsonl"
kn-report -q --as-of "$asof" --digest -o "$out/doi-thoai.html" \
    "$out/ledger.jsonl"
echo
echo "demo: the ledger is build/demo/ledger.jsonl"
echo "demo: the HTML report is build/demo/report.html," \
    "the dialogue document build/demo/doi-thoai.html"
