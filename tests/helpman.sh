#!/bin/sh
# helpman.sh BINDIR: every option a tool's --help shows is documented in
# its man page, and every man page passes mandoc -Tlint when mandoc is
# installed.
bindir=$1
fail=0
for t in "$bindir"/kn-*; do
	[ -x "$t" ] || continue
	name=${t##*/}
	page=man/$name.1
	if [ ! -f "$page" ]; then
		echo "helpman: $name has no man page $page"
		fail=1
		continue
	fi
	for opt in $("$t" --help 2>&1 |
	    grep -o -e '--[a-z][a-z0-9-]*' -e '^ *-[a-zA-Z]\b' -e '\[-[a-zA-Z]*\]' |
	    sed 's/[][ ]//g' | sort -u); do
		case $opt in
		--*)	pat="Fl \\\\-$(echo "${opt#--}" | sed 's/-/\\\\-/g')"
			grep -q "$pat\\( \\|\$\\)" "$page" && continue ;;
		-*)	ok=1
			for c in $(echo "${opt#-}" | sed 's/./& /g'); do
				grep -q "Fl $c\\( \\|\$\\)\\|Fl [a-zA-Z]*$c[a-zA-Z]*\\( \\|\$\\)" "$page" || ok=0
			done
			[ $ok -eq 1 ] && continue ;;
		esac
		echo "helpman: $name --help shows $opt, $page does not document it"
		fail=1
	done
done
if command -v mandoc >/dev/null 2>&1; then
	if ! mandoc -Tlint -Wwarning man/*.1 man/*.7; then
		echo "helpman: mandoc -Tlint found problems"
		fail=1
	fi
fi
[ $fail -eq 0 ] && echo "helpman: every --help option is in its man page"
exit $fail
