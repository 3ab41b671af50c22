#!/bin/sh
# deps.sh PKG...: make sure these Debian packages are installed.  As root
# with apt-get, install the missing ones; otherwise say what to install.
missing=
if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "make deps: not a Debian system; make sure libcsv, jansson," \
	    "utf8proc, cmocka and pkg-config are installed" >&2
	exit 0
fi
for p in "$@"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
	    grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "make deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y -qq $missing >/dev/null 2>&1 ||
	    { apt-get update -qq && apt-get install -y -qq $missing; } || {
		echo "make deps: apt-get could not install$missing" >&2
		exit 1
	}
	exit 0
fi
echo "make deps: missing Debian packages:$missing" >&2
echo "make deps: install them with: sudo apt-get install$missing" >&2
exit 1
