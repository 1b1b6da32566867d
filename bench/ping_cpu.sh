#!/usr/bin/env bash
# CPU per ping, by thread: the ping benchmark's set-up (1,000 checks, wrk rotating over them), a
# warm-up run, then a measured run; prints dogwatch's CPU time (user + system, from
# /proc/<pid>/task/*/stat) per recorded ping for each busy thread and in all. Unlike req/s, CPU
# per ping hardly moves when other work shares the machine, so it compares builds on a busy one.
# Threads have no names: the monitor is the busiest, the front's loop the next.
#
# Usage: bench/ping_cpu.sh [new|keepalive] [connections] [seconds]
# Needs DOGWATCH_BIN (default build/dogwatch), wrk, curl, sqlite3. PING_CPU_WARMUP=<seconds>
# of load first (default 20: past ping_retention, so pruning is under way).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-keepalive}
conns=${2:-64}
duration=${3:-10}
bin="${DOGWATCH_BIN:-$root/build/dogwatch}"
work=$(mktemp -d /tmp/dogwatch-cpu.XXXXXX)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

data="$work/data"
"$bin" project add Bench --config /dev/null --data-dir "$data" > /dev/null 2>&1
key=$("$bin" key create --project Bench --config /dev/null --data-dir "$data")
printf '[log]\naccess_log = false\nlevel = "warn"\n' > "$work/dogwatch.toml"
"$bin" serve --config "$work/dogwatch.toml" --data-dir "$data" --listen 127.0.0.1:18083 \
  2> "$work/dogwatch.log" & echo $! > "$work/dogwatch.pid"
pid=$(cat "$work/dogwatch.pid")
for _ in $(seq 100); do curl -fs 127.0.0.1:18083/api/v3/status > /dev/null && break; sleep 0.05; done
for i in $(seq 1000); do
  curl -fs -X POST -H "X-Api-Key: $key" -d "{\"name\": \"c-$i\"}" 127.0.0.1:18083/api/v3/checks/
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
UUIDS="$work/uuids.txt" wrk -t2 -c"$conns" -d"${PING_CPU_WARMUP:-20}s" "${header[@]}" \
  -s "$work/pings.lua" http://127.0.0.1:18083 > /dev/null
sleep 0.5

ticks() {  # "tid utime+stime" per thread, in clock ticks
  for f in /proc/"$pid"/task/*/stat; do
    awk '{ sub(/^.*\) /, ""); print FILENAME, $12 + $13 }' "$f" 2> /dev/null || true
  done | sed -E 's|/proc/[0-9]+/task/([0-9]+)/stat|\1|'
}
recorded() { sqlite3 "$data/dogwatch.db" "SELECT coalesce(sum(n_pings), 0) FROM checks"; }
ticks > "$work/before"
p0=$(recorded)
UUIDS="$work/uuids.txt" wrk -t2 -c"$conns" -d"${duration}s" --latency "${header[@]}" \
  -s "$work/pings.lua" http://127.0.0.1:18083 > "$work/wrk.out"
sleep 0.5
ticks > "$work/after"
p1=$(recorded)
grep -E "Requests/sec|99%" "$work/wrk.out"
python3 - "$work/before" "$work/after" "$((p1 - p0))" "$(getconf CLK_TCK)" <<'PY'
import sys
def load(path):
    return {l.split()[0]: int(l.split()[1]) for l in open(path) if l.strip()}
before, after, pings, hz = load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
used = sorted(((after[t] - before.get(t, 0), t) for t in after), reverse=True)
total = sum(u for u, _ in used)
print(f"pings recorded: {pings}")
for u, t in used:
    if u * 100 < total: break
    print(f"thread {t}: {u / hz * 1e6 / pings:.1f} us per ping ({100 * u / total:.0f} %)")
print(f"all threads: {total / hz * 1e6 / pings:.1f} us per ping")
PY
