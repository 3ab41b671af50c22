#!/bin/sh
# bench-route.sh BINDIR WORKDIR: time kn-route on 1,000,000 classified
# records and report its peak memory (it must not grow with the input).
#
# The records are made once (python3, cached in WORKDIR) from the shipped
# corpora: texts recombined from data/train.jsonl and data/test.jsonl
# clause by clause, a third of them without diacritics, submitted dates
# spread over 2024-2027 (so that the calendar's edges are crossed), 2% of
# them with no date and 1% with a field the taxonomy does not know.
# N=200000 sh bench/bench-route.sh ... runs a smaller set.
bindir=$1
work=$2
n=${N:-1000000}
data=${KN_DATA:-$(dirname "$0")/../data}
in=$work/route-$n.jsonl
if [ ! -s "$in" ]; then
	python3 - "$data" "$n" >"$in.tmp" <<'EOF' || exit 1
import json, random, re, sys, unicodedata

data, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(20251127)

def strip(s):
    s = s.replace('đ', 'd').replace('Đ', 'D')
    s = unicodedata.normalize('NFD', s)
    return unicodedata.normalize('NFC', ''.join(
        c for c in s if unicodedata.category(c) != 'Mn'))

byfield = {}
for name in ('train.jsonl', 'test.jsonl'):
    for line in open(f'{data}/{name}', encoding='utf-8'):
        d = json.loads(line)
        parts = [c.strip() for c in re.split(r'(?<=[.,;:?!])\s+', d['text'])
                 if c.strip()]
        byfield.setdefault(d['field'], []).append(parts)
fields = sorted(byfield)
communes = []
for line in open(f'{data}/communes.csv', encoding='utf-8').readlines()[1:]:
    code, name = line.split(',')[:2]
    communes.append((code, name))
out = sys.stdout
for i in range(n):
    f = rnd.choice(fields)
    a, b = rnd.choice(byfield[f]), rnd.choice(byfield[f])
    text = ' '.join(a[:rnd.randint(1, len(a))] + b[rnd.randint(0, len(b) - 1):])
    if rnd.random() < 0.33:
        text = strip(text)
    code, name = rnd.choice(communes)
    r = rnd.random()
    if r < 0.02:
        submitted = ''
    else:
        y = rnd.choice((2024, 2025, 2025, 2025, 2026, 2026, 2027))
        submitted = '%d-%02d-%02d' % (y, rnd.randint(1, 12),
                                      rnd.randint(1, 28))
    field = 'unknown_field' if rnd.random() < 0.01 else f
    rec = {'id': '%016x' % rnd.getrandbits(64), 'commune': name,
           'commune_code': code, 'submitted': submitted, 'title': '',
           'text': text, 'submitter': '', 'source_file': 'bench.csv',
           'source_line': i + 2, 'field': field,
           'confidence': round(rnd.random(), 3),
           'fields': [{'field': field, 'score': 0.8}],
           'needs_review': False}
    out.write(json.dumps(rec, ensure_ascii=False) + '\n')
EOF
	mv "$in.tmp" "$in"
fi
size=$(wc -c <"$in")
echo "input: $n records, $size bytes"
/usr/bin/time -v "$bindir/kn-route" -q "$in" >"$work/route-out.jsonl" \
    2>"$work/route-time.txt"
st=$?
# Anything but warnings and time's own report is a failure to show.
grep -v -e ': warning: ' -e '^	' "$work/route-time.txt" | head -5
secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {
	n = split($2, t, ":"); s = 0
	for (i = 1; i <= n; i++) s = s * 60 + t[i]
	print s }' "$work/route-time.txt")
rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' \
    "$work/route-time.txt")
warns=$(grep -c ': warning: ' "$work/route-time.txt")
out=$(wc -l <"$work/route-out.jsonl")
echo "kn-route: exit $st, $out records out, $warns warnings"
awk -v n="$n" -v s="$secs" -v r="$rss" -v b="$size" 'BEGIN {
	rate = s > 0 ? n / s : 0; mbs = s > 0 ? b / s / 1e6 : 0
	printf "kn-route: %.2f s, %.0f records/s, %.1f MB/s, ", s, rate, mbs
	printf "peak RSS %.1f MB\n", r / 1024 }'
rm -f "$work/route-out.jsonl"
