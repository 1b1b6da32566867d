#!/usr/bin/env bash
# Scale (SPEC §14): start dogwatch on a database of N checks (default 1,000,000) and report the
# time from exec to the first 200 from /api/v3/status, and the RSS per check once serving.
# The checks are written straight into SQLite with consistent deadlines (last ping a minute ago,
# alert_after = last_ping + timeout + grace), as dogwatch itself would have stored them.
#
# Usage: bench/scale_bench.sh [checks]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-1000000}
bin="${DOGWATCH_BIN:-$root/build/dogwatch}"
work=$(mktemp -d /tmp/dogwatch-scale.XXXXXX)
trap 'kill $(cat "$work/pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" project add Scale --config /dev/null --data-dir "$work/data" > /dev/null 2>&1
sqlite3 "$work/data/dogwatch.db" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
INSERT INTO checks (uuid, project_id, name, created, badge_key, status, last_ping, alert_after, n_pings)
SELECT lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' ||
       substr(lower(hex(randomblob(2))), 2) || '-a' || substr(lower(hex(randomblob(2))), 2) || '-' ||
       lower(hex(randomblob(6))),
       1, 'check ' || i, 0, 'badge-' || i, 'up',
       (strftime('%s', 'now') - 60) * 1000000,
       (strftime('%s', 'now') - 60 + 86400 + 3600) * 1000000, 1
FROM n;
SQL
echo "database: $(du -m "$work/data/dogwatch.db" | cut -f1) MB, $n checks"
for run in 1 2 3; do
  start=$(date +%s.%N)
  "$bin" serve --config /dev/null --data-dir "$work/data" --listen 127.0.0.1:18199 \
    2> "$work/log" & echo $! > "$work/pid"
  until curl -fs 127.0.0.1:18199/api/v3/status > /dev/null; do sleep 0.05; done
  end=$(date +%s.%N)
  rss=$(ps -o rss= -p "$(cat "$work/pid")")
  python3 -c "print(f'run $run: start-up {$end - $start:.2f} s, RSS {$rss / 1024:.0f} MiB, {$rss * 1024 / $n:.0f} bytes per check')"
  kill "$(cat "$work/pid")"
  wait "$(cat "$work/pid")" 2> /dev/null || true
done
