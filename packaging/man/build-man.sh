#!/usr/bin/env bash
# Builds the man page dogwatch.1.gz with help2man from the binary's own --help and --version,
# plus one subsection per subcommand (commands.sh) and the hand-written sections in dogwatch.h2m.
# Run by the build (cmake/Packaging.cmake) whenever the binary changes.
# Usage: build-man.sh HELP2MAN DOGWATCH_BINARY OUTPUT.1.gz
set -euo pipefail
help2man=$1 bin=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

bash "$here/commands.sh" "$bin" > "$tmp/commands.h2m"
# help2man runs "$bin --help" and "$bin --version"; a failure of either is an error here.
"$help2man" --no-info --section 1 --name "a dead man's switch for cron jobs" \
  --include "$tmp/commands.h2m" --include "$here/dogwatch.h2m" --output "$tmp/dogwatch.1" "$bin"
# A page without the subcommands would be a silent regression of this script, not a smaller page.
grep -q '^\.SS "dogwatch serve"' "$tmp/dogwatch.1" || { echo "build-man: no serve subsection" >&2; exit 1; }
# -n: no name or time stamp in the gzip header, so the same page gives the same bytes.
gzip -9n < "$tmp/dogwatch.1" > "$out.tmp"
mv "$out.tmp" "$out"
