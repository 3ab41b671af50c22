#!/bin/sh
# bench-answer.sh BINDIR WORKDIR: time kn-answer's suggestion (100,000
# proposals against a 100,000-entry knowledge base) and grouping (100,000
# proposals), and report their peak memory.
#
# The data are made once (python3, cached in WORKDIR) from the shipped
# corpora (data/train.jsonl, data/answers-kb.jsonl): an entry's question
# and answer are two to four clauses of texts of one field, with other
# numbers and often a commune's name.  Each clause of the corpus thus
# comes back in about a hundred entries, which is harder for the index
# than a real knowledge base (its entries seldom repeat one another's
# sentences): many entries score close to the best.  The proposals are
# 5,000 problems of the same kind, each raised about 20 times with a
# clause added or dropped, other numbers, and a third without
# diacritics.  NKB=10000 N=10000 sh bench/bench-answer.sh ... runs
# smaller sets.
bindir=$1
work=$2/answer
nkb=${NKB:-100000}
n=${N:-100000}
data=${KN_DATA:-$(dirname "$0")/../data}
kb=$work/kb-$nkb.jsonl
in=$work/proposals-$n.jsonl
mkdir -p "$work" || exit 1
if [ ! -s "$kb" ] || [ ! -s "$in" ]; then
	python3 - "$data" "$nkb" "$n" "$kb" "$in" <<'PY' || exit 1
import csv, json, random, re, sys, unicodedata

data, nkb, n, kbpath, inpath = sys.argv[1:6]
nkb, n = int(nkb), int(n)
rnd = random.Random(20251127)

def strip(s):
    s = s.replace('đ', 'd').replace('Đ', 'D')
    s = unicodedata.normalize('NFD', s)
    return unicodedata.normalize('NFC', ''.join(
        c for c in s if unicodedata.category(c) != 'Mn'))

def clauses(text):
    return [c.strip() for c in re.split(r'(?<=[.,;:?!])\s+', text)
            if c.strip()]

byfield = {}
for name in ('train.jsonl', 'answers-kb.jsonl'):
    for line in open(f'{data}/{name}', encoding='utf-8'):
        d = json.loads(line)
        byfield.setdefault(d['field'], []).append(
            clauses(d.get('text') or d['question']))
fields = sorted(byfield)
communes = [r['name'] for r in csv.DictReader(
    open(f'{data}/communes.csv', encoding='utf-8'))]

def renumber(s):
    return re.sub(r'\d+', lambda m: str(rnd.randint(1, 300)), s)

def mixed(field):
    parts = [rnd.choice(rnd.choice(byfield[field]))
             for _ in range(rnd.randint(2, 4))]
    text = renumber(' '.join(parts))
    if rnd.random() < 0.5:
        text = f'Công an xã {rnd.choice(communes)}: {text}'
    return text

with open(kbpath + '.tmp', 'w', encoding='utf-8') as fp:
    for i in range(nkb):
        f = rnd.choice(fields)
        fp.write(json.dumps({'id': f'b-{i:06d}', 'question': mixed(f),
            'answer': mixed(f), 'field': f}, ensure_ascii=False) + '\n')
problems = [(f, mixed(f)) for f in
            (rnd.choice(fields) for _ in range(max(1, n // 20)))]
# Each proposal keeps the number of its problem (kn-answer passes unknown
# keys through), so that the groups can be checked against it.
with open(inpath + '.tmp', 'w', encoding='utf-8') as fp:
    for i in range(n):
        pno = rnd.randrange(len(problems))
        f, base = problems[pno]
        cl = clauses(base)
        if len(cl) > 2 and rnd.random() < 0.3:
            del cl[rnd.randrange(len(cl))]
        if rnd.random() < 0.3:
            cl.append(rnd.choice(rnd.choice(byfield[f])))
        text = renumber(' '.join(cl))
        if rnd.random() < 0.33:
            text = strip(text)
        fp.write(json.dumps({'id': f'p-{i:06d}',
            'commune': rnd.choice(communes), 'text': text, 'field': f,
            'status': 'open', 'problem': pno}, ensure_ascii=False) + '\n')
PY
	mv "$kb.tmp" "$kb" && mv "$in.tmp" "$in" || exit 1
fi

# run LABEL CMD...: time a command; print seconds and peak memory.
run() {
	label=$1
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v "$@" 2>"$work/time.txt" >/dev/null ||
		    { cat "$work/time.txt"; return 1; }
		awk -v l="$label" '
		/Elapsed \(wall clock\)/ {
			n = split($NF, t, ":")
			s = t[n]
			if (n > 1) s += 60 * t[n - 1]
			if (n > 2) s += 3600 * t[n - 2]
		}
		/User time/ { u = $NF }
		/Maximum resident set size/ { m = $NF }
		END {
			printf "%s: %.2f s (%.2f s user), peak RSS %.1f MB\n", l, s, u, m / 1024
		}' "$work/time.txt"
	else
		start=$(date +%s)
		"$@" >/dev/null 2>&1 || return 1
		echo "$label: $(($(date +%s) - start)) s"
	fi
}

echo "knowledge base: $nkb entries; proposals: $n;" \
    "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo '?') processors" \
    "(--jobs: one thread each)"
run "index only (load and index the knowledge base)" \
    "$bindir/kn-answer" -q --kb "$kb" /dev/null
run "suggestion ($n proposals x $nkb entries)" \
    "$bindir/kn-answer" -q --kb "$kb" "$in" -o "$work/suggested.jsonl"
grep -c '"status":"suggested"' "$work/suggested.jsonl" |
    awk '{ print "  suggested: " $1 }'
# Grouping as users run it: --group also suggests from the shipped
# knowledge base, whose questions weigh the terms and whose entries
# join the records given the same one.
run "grouping ($n proposals, default --group-threshold)" \
    "$bindir/kn-answer" -q --group "$in" -o "$work/grouped.jsonl"
run "grouping ($n proposals, --group-threshold 0.3)" \
    "$bindir/kn-answer" -q --group --group-threshold 0.3 "$in" \
    -o "$work/grouped3.jsonl"
# How the groups compare with the problems the proposals were made from.
# The problems are random mixtures of sentences of one field's corpus,
# and many share whole sentences with others (the corpus has a few dozen
# texts a field): a grouping by similarity merges those, so these
# figures measure the data as much as the grouping; the labelled
# queries (kn-answer eval --group) measure its quality.
for f in grouped grouped3; do
	python3 - "$work/$f.jsonl" "$f" <<'PY'
import json, sys
from collections import Counter, defaultdict
groups, probs = defaultdict(list), defaultdict(set)
for line in open(sys.argv[1], encoding='utf-8'):
    d = json.loads(line)
    groups[d['group']].append(d['problem'])
    probs[d['problem']].add(d['group'])
pure = sum(1 for g in groups.values() if len(set(g)) == 1)
same = sum(v * (v - 1) // 2 for g in groups.values()
           for v in Counter(g).values())
pairs = sum(len(g) * (len(g) - 1) // 2 for g in groups.values())
per = Counter(p for g in groups.values() for p in g)
want = sum(v * (v - 1) // 2 for v in per.values())
print(f'  {sys.argv[2]}: {len(groups)} groups for {len(probs)} problems; '
      f'{pure / len(groups):.3f} of groups pure; '
      f'{sum(len(g) for g in probs.values()) / len(probs):.2f} groups '
      f'per problem; pairwise precision {same / max(pairs, 1):.3f}, '
      f'recall {same / max(want, 1):.3f}; largest group '
      f'{max(len(g) for g in groups.values())}')
PY
done
