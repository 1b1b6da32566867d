#!/usr/bin/env bash
# systemd-analyze verify on systemd/dogwatch.service, with ExecStart pointed at the binary under
# test (the installed path does not exist on a build machine), and the security exposure score,
# which must stay "OK" (below 2.0). Usage: verify_unit.sh UNIT_FILE DOGWATCH_BINARY
set -euo pipefail
unit=$1 bin=$2
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is not installed" >&2; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s|/usr/bin/dogwatch|$bin|" "$unit" > "$dir/dogwatch.service"
out=$(systemd-analyze verify "$dir/dogwatch.service" 2>&1) || { echo "$out"; exit 1; }
[ -z "$out" ] || { echo "systemd-analyze verify said: $out"; exit 1; }
score=$(systemd-analyze security --offline=true "$dir/dogwatch.service" 2>&1 | grep -oE 'Overall exposure level for dogwatch.service: [0-9.]+' | grep -oE '[0-9.]+$')
echo "verify: ok; systemd-analyze security exposure: $score"
awk -v s="$score" 'BEGIN { exit !(s < 2.0) }' || { echo "exposure $score is 2.0 or more" >&2; exit 1; }
