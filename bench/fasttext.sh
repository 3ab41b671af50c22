#!/bin/sh
# fasttext.sh BINDIR WORKDIR: the baseline kn-classify must beat.  Train
# fastText (Debian package fasttext) on data/train.jsonl, score it on
# data/test.jsonl, and print its accuracy beside kn-classify eval's on
# the same records.  Skipped, with a message, when fasttext is absent.
#
# fastText gets the texts folded as kn-classify folds them (lower case,
# no diacritics, letters and digits only) and the settings that did best
# for it in the validation across writers of kn-classify(1) (train on
# writers A and B, score C and D; the other way round; A, B, C for D;
# A, B, D for C): word bigrams, 100 epochs, learning rate 0.5, one-vs-all
# loss (mean accuracy 0.885, against about 0.86 with the softmax loss
# and 0.83 without bigrams).  The same validation is printed for fastText
# and for kn-classify when the training file has writers.  Its raw-text
# variant (diacritics kept, ASCII lower case) is printed too.
# KN_FT_TRAIN and KN_FT_TEST name other files; the model is left in
# WORKDIR/fasttext/model.bin for bench-classify.sh.
bindir=$(cd "${1:-bin}" && pwd) || exit 2
work=${2:-/tmp}/fasttext
here=$(cd "$(dirname "$0")" && pwd)
export KN_DATA=${KN_DATA:-$here/../data}
train=${KN_FT_TRAIN:-$KN_DATA/train.jsonl}
test=${KN_FT_TEST:-$KN_DATA/test.jsonl}
ftargs="-epoch 100 -lr 0.5 -wordNgrams 2 -loss ova -seed 1 -thread 1 -verbose 0"

if ! command -v fasttext >/dev/null 2>&1; then
	echo "fasttext: not installed (apt-get install fasttext): skipped"
	exit 0
fi
mkdir -p "$work" || exit 2

# fields FILE: "field<TAB>text<TAB>writer" for each labelled JSON Lines
# record with plain string values (as data/*.jsonl are written).
fields() {
	awk '{
		f = t = w = ""
		if (match($0, /"field": *"[^"]*"/)) {
			f = substr($0, RSTART, RLENGTH)
			sub(/^"field": *"/, "", f); sub(/"$/, "", f)
		}
		if (match($0, /"writer": *"[^"]*"/)) {
			w = substr($0, RSTART, RLENGTH)
			sub(/^"writer": *"/, "", w); sub(/"$/, "", w)
		}
		if (match($0, /"text": *"([^"\\]|\\.)*"/)) {
			t = substr($0, RSTART, RLENGTH)
			sub(/^"text": *"/, "", t); sub(/"$/, "", t)
			gsub(/\\"/, "\"", t); gsub(/\\\\/, "\\", t)
		}
		if (f != "") print f "\t" t "\t" w
	}' "$1"
}

# fold: kn-classify's folded form, near enough: ASCII, lower case,
# letters and digits.
fold() {
	iconv -f UTF-8 -t ASCII//TRANSLIT | tr 'A-Z' 'a-z' |
	    sed 's/[^a-z0-9]/ /g; s/  */ /g; s/^ //; s/ $//'
}

# raw: lower-case ASCII letters, punctuation spaced out.
raw() {
	tr 'A-Z' 'a-z' | sed 's/[[:punct:]]/ /g; s/  */ /g; s/^ //; s/ $//'
}

fields "$train" > "$work/train.tsv"
fields "$test" > "$work/test.tsv"
cut -f1 "$work/test.tsv" > "$work/test.gold"
# 1 for a text with no byte outside ASCII: typed without diacritics.
cut -f2 "$work/test.tsv" | LC_ALL=C awk '{ print ($0 ~ /[\200-\377]/) ? 0 : 1 }' \
    > "$work/test.plain"

# score VARIANT: train and test fastText on texts prepared by VARIANT.
score() {
	cut -f2 "$work/train.tsv" | $1 > "$work/train.$1"
	cut -f1 "$work/train.tsv" | sed 's/^/__label__/' |
	    paste -d ' ' - "$work/train.$1" > "$work/train.$1.ft"
	cut -f2 "$work/test.tsv" | $1 > "$work/test.$1"
	fasttext supervised -input "$work/train.$1.ft" \
	    -output "$work/model.$1" $ftargs || return 1
	fasttext predict "$work/model.$1.bin" "$work/test.$1" |
	    sed 's/^__label__//' | paste -d ' ' "$work/test.gold" - \
	    "$work/test.plain" | awk -v v="$1" '{
		n++; ok = ($1 == $2); c += ok
		if ($3 == 1) { pn++; pc += ok }
	} END {
		printf "fastText (%-4s text): accuracy %.3f (%d/%d), " \
		    "without diacritics %.3f (%d/%d)\n", v, c / n, c, n,
		    pn ? pc / pn : 0, pc, pn
	}'
}

# The validation across writers, on folded texts: for each split, train
# on the other writers, score the writers held out.
splits() {
	cut -f2 "$work/train.tsv" | fold | paste -d '\t' "$work/train.tsv" - |
	    awk -F '\t' '{ print $1 "\t" $3 "\t" $4 }' > "$work/train.wf"
	for held in CD AB D C; do
		awk -F '\t' -v h="$held" 'index(h, $2) == 0 {
			print "__label__" $1 " " $3 }' "$work/train.wf" \
		    > "$work/split.train"
		awk -F '\t' -v h="$held" 'index(h, $2) > 0 {
			print "__label__" $1 " " $3 }' "$work/train.wf" \
		    > "$work/split.test"
		fasttext supervised -input "$work/split.train" \
		    -output "$work/split" $ftargs || return 1
		fasttext test "$work/split.bin" "$work/split.test" |
		    awk -v h="$held" '/^P@1/ { print h, $2 }'
	done | awk '{ a += $2; l = l sprintf(" %s %.3f,", $1, $2) }
	    END { printf "fastText (fold text) across writers, held out:%s " \
		"mean %.3f\n", l, a / NR }'
}

echo "fasttext: trained on ${train##*/}, scored on ${test##*/}"
score fold || exit 1
score raw || exit 1
cp "$work/model.fold.bin" "$work/model.bin"
if [ -x "$bindir/kn-classify" ]; then
	echo "kn-classify eval on the same records:"
	"$bindir/kn-classify" eval -q "$test" | sed -n '2,4p'
fi
if [ "$(cut -f3 "$work/train.tsv" | sort -u | tr -d '\n')" = ABCD ]; then
	splits || exit 1
	if [ -x "$bindir/kn-classify" ]; then
		echo "kn-classify cv across writers on the same records:"
		"$bindir/kn-classify" cv -q --split-by writer --hold-out C,D \
		    --hold-out A,B --hold-out D --hold-out C "$train" |
		    sed -n '2,7p'
	fi
fi
