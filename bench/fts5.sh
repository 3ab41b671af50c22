#!/bin/sh
# fts5.sh [KB [QUERIES]]: the labelled queries run through SQLite FTS5's
# bm25 ranking over the same knowledge base entries, for comparison with
# "kn-answer eval".  FTS5 indexes each entry's question with its
# unicode61 tokenizer (remove_diacritics 2, so "xa" finds "xã"; đ, which
# it keeps, is written d on both sides); a query is its words joined by
# OR.  FTS5 never abstains: the figures are its
# top-1 accuracy and MRR, then what the best threshold on its bm25
# score, chosen after the fact on these very queries, would give.
# Skipped, with a message, when sqlite3 or python3 is missing.
here=$(cd "$(dirname "$0")" && pwd)
data=${KN_DATA:-$here/../data}
kb=${1:-$data/answers-kb.jsonl}
queries=${2:-$data/answer-queries.jsonl}
for p in sqlite3 python3; do
	if ! command -v $p >/dev/null 2>&1; then
		echo "fts5.sh: $p is not installed; skipped"
		exit 0
	fi
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
python3 - "$kb" "$queries" >"$tmp/run.sql" <<'PY' || exit 1
import json, re, sys

def q(s):
    return "'" + s.replace("'", "''") + "'"

def d(s):
    # unicode61 strips diacritics but keeps đ (it has none to strip).
    return s.replace('đ', 'd').replace('Đ', 'D')

print('CREATE VIRTUAL TABLE kb USING fts5(id UNINDEXED, question, '
      "tokenize = 'unicode61 remove_diacritics 2');")
print('BEGIN;')
for line in open(sys.argv[1], encoding='utf-8'):
    e = json.loads(line)
    print(f"INSERT INTO kb VALUES ({q(str(e['id']))}, "
          f"{q(d(e['question']))});")
print('COMMIT;')
for line in open(sys.argv[2], encoding='utf-8'):
    e = json.loads(line)
    words = re.findall(r'\w+', d(e['text']))
    if not words:
        continue
    match = ' OR '.join('"' + w.replace('"', '""') + '"' for w in words)
    print(f"SELECT {q(e['id'])}, id, bm25(kb) FROM kb WHERE kb MATCH "
          f"{q(match)} ORDER BY bm25(kb);")
PY
if ! sqlite3 -batch -separator '	' :memory: <"$tmp/run.sql" \
    >"$tmp/out.tsv" 2>"$tmp/err"; then
	if grep -q 'fts5' "$tmp/err"; then
		echo "fts5.sh: this sqlite3 has no FTS5; skipped"
		exit 0
	fi
	cat "$tmp/err" >&2
	exit 1
fi
python3 - "$queries" "$tmp/out.tsv" <<'PY'
import json, sys

expect = {}
for line in open(sys.argv[1], encoding='utf-8'):
    d = json.loads(line)
    expect[d['id']] = d.get('expect') or None
ranked = {}
for line in open(sys.argv[2], encoding='utf-8'):
    qid, kid, score = line.rstrip('\n').split('\t')
    ranked.setdefault(qid, []).append((kid, -float(score)))
ans = [q for q in expect if expect[q]]
un = [q for q in expect if not expect[q]]
top = {q: ranked.get(q, [(None, 0.0)])[0] for q in expect}
right = sum(1 for q in ans if top[q][0] == expect[q])
rr = 0.0
for q in ans:
    ids = [k for k, _ in ranked.get(q, [])]
    if expect[q] in ids:
        rr += 1 / (ids.index(expect[q]) + 1)
print(f'FTS5 bm25: {len(expect)} queries ({len(ans)} answerable, '
      f'{len(un)} not)')
print(f'  top-1 accuracy (never abstains)   {right / len(ans):.3f}  '
      f'({right}/{len(ans)})')
print(f'  correct abstention                0.000  (0/{len(un)})')
print(f'  MRR                               {rr / len(ans):.3f}')
scores = sorted({s for _, s in top.values()})
cands = [scores[0]] + [(a + b) / 2 for a, b in zip(scores, scores[1:])] + \
    [scores[-1] + 1]
best = None
for th in cands:
    r = sum(1 for q in ans if top[q][0] == expect[q] and top[q][1] >= th)
    a = sum(1 for q in un if top[q][1] < th)
    o = r / len(ans) + a / len(un)
    if best is None or o > best[0] + 1e-12:
        best = (o, th, r, a)
_, th, r, a = best
print(f'best threshold after the fact (-bm25 >= {th:.3f}, chosen on these '
      f'queries):')
print(f'  top-1 accuracy                    {r / len(ans):.3f}  '
      f'({r}/{len(ans)})')
print(f'  correct abstention                {a / len(un):.3f}  '
      f'({a}/{len(un)})')
PY
