#!/usr/bin/env bash
# Where a ping's CPU goes: the ping benchmark's set-up (1,000 checks, wrk rotating over them),
# one wrk run, and `perf record -e cpu-clock` on the server meanwhile (hardware counters are not
# available on every machine). Prints wrk's rate and p99, the monitor's batch count (the mean
# batch is what each group commit is spread over), the WAL checkpoints (background and writer),
# CPU samples per thread (the monitor thread, the front's loop thread, the WAL checkpointer), and
# the top of `perf report` by symbol, self time.
#
# Usage: bench/ping_profile.sh [new|keepalive] [connections] [seconds]
# Needs an unstripped static build for symbols (relink build-front/dogwatch without -s) in
# DOGWATCH_BIN; perf, wrk, curl. Optional: PROFILE_WARMUP=<seconds> of load before the
# profile (steady state: pruning under way), PROFILE_LINES (symbols shown), PROFILE_HZ,
# PROFILE_CALLGRAPH (fp or dwarf), PROFILE_CALLERS=<symbol> (its callers), PROFILE_KEEP=1 (keep
# the perf.data and the server's log in /tmp/dogwatch-profile.*).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-keepalive}
conns=${2:-64}
duration=${3:-10}
bin="${DOGWATCH_BIN:-$root/build/dogwatch}"
work=$(mktemp -d /tmp/dogwatch-profile.XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; [ -n "${PROFILE_KEEP:-}" ] || rm -rf "$work"' EXIT

data="$work/data"
"$bin" project add Bench --config /dev/null --data-dir "$data" > /dev/null 2>&1
key=$("$bin" key create --project Bench --config /dev/null --data-dir "$data")
printf '[log]\naccess_log = false\n%b' "${PROFILE_TOML:-}" > "$work/dogwatch.toml"
"$bin" serve --config "$work/dogwatch.toml" --data-dir "$data" --listen 127.0.0.1:18082 \
  2> "$work/dogwatch.log" & echo $! > "$work/dogwatch.pid"
for _ in $(seq 100); do curl -fs 127.0.0.1:18082/api/v3/status > /dev/null && break; sleep 0.05; done
for i in $(seq 1000); do
  curl -fs -X POST -H "X-Api-Key: $key" -d "{\"name\": \"p-$i\"}" 127.0.0.1:18082/api/v3/checks/
  echo
done | python3 -c 'import json,sys; [print(json.loads(l)["uuid"]) for l in sys.stdin if l.strip()]' > "$work/uuids.txt"
cat > "$work/pings.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("UUIDS")) do paths[#paths + 1] = "/ping/" .. line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
header=()
[ "$mode" = new ] && header=(-H "Connection: close")
if [ -n "${PROFILE_WARMUP:-}" ]; then
  # Steady state: past ping_retention every check's pings are pruned as they come.
  UUIDS="$work/uuids.txt" wrk -t2 -c"$conns" -d"${PROFILE_WARMUP}s" "${header[@]}" \
    -s "$work/pings.lua" http://127.0.0.1:18082 > /dev/null
fi
perf record -e cpu-clock -F "${PROFILE_HZ:-2000}" --call-graph "${PROFILE_CALLGRAPH:-fp}" \
  -p "$(cat "$work/dogwatch.pid")" -o "$work/perf.data" -- sleep "$((duration + 1))" > /dev/null 2>&1 &
perf_pid=$!
UUIDS="$work/uuids.txt" wrk -t2 -c"$conns" -d"${duration}s" --latency "${header[@]}" \
  -s "$work/pings.lua" http://127.0.0.1:18082 | grep -E "Requests/sec|99%"
wait "$perf_pid" || true
pid=$(cat "$work/dogwatch.pid")
kill -TERM "$pid"
while kill -0 "$pid" 2> /dev/null; do sleep 0.05; done
grep -o 'monitor_stopped.*' "$work/dogwatch.log" || true
# Checkpoints run by the background thread, and by the writer (each a stall of the monitor).
grep -o 'wal_checkpoints.*' "$work/dogwatch.log" || true
echo "--- by thread"
perf report -i "$work/perf.data" --no-children -g none --sort pid -n --stdio 2>&1 |
  grep -E '%' | cut -c1-60 | head -8
echo "--- by symbol"
perf report -i "$work/perf.data" --no-children -g none --sort symbol --stdio 2>/dev/null |
  grep -E '^ +[0-9]' | cut -c1-90 | head -"${PROFILE_LINES:-40}"
if [ -n "${PROFILE_CALLERS:-}" ]; then
  perf report -i "$work/perf.data" --no-children -G --symbol-filter="$PROFILE_CALLERS" --stdio \
    2>/dev/null | grep -v '^$' | head -60
fi
