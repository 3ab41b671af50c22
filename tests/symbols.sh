#!/bin/sh
# symbols.sh LIB: every global symbol libkn defines starts with "kn".
bad=$(nm -g --defined-only "$1" 2>/dev/null |
    awk 'NF == 3 && $2 ~ /^[TDBRCVW]$/ { print $3 }' | grep -v '^kn' | sort -u)
if [ -n "$bad" ]; then
	echo "symbols: global symbols without the kn prefix:"
	echo "$bad"
	exit 1
fi
echo "symbols: all global symbols start with kn"
