#!/bin/sh
# valgrind.sh BINDIR [CASE...]: the command-line tests with every binary
# run under valgrind; any memory error or leak changes the exit status or the
# standard error of a case, so the case fails.
bindir=$(cd "$1" && pwd) || exit 2
shift
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind: not installed (apt-get install valgrind)" >&2
	exit 1
fi
wrap=$(mktemp -d) || exit 2
trap 'rm -rf "$wrap"' EXIT INT TERM
for t in "$bindir"/kn*; do
	cat >"$wrap/${t##*/}" <<EOW
#!/bin/sh
# found on PATH, so that the program sees the name it was called by
PATH="$bindir:\$PATH" exec valgrind -q --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \\
    "${t##*/}" "\$@"
EOW
	chmod +x "$wrap/${t##*/}"
done
sh "$here/cli/run.sh" "$wrap" "$@"
