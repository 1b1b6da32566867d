#!/usr/bin/env bash
# Pings over native TLS ([server.tls]) against plaintext, keep-alive, on loopback
# (docs/tls-and-proxies.md, "Performance"). One database with 100 checks; wrk sends GET pings
# round-robin over them on 64 keep-alive connections, to the plaintext server (the event-loop
# front) and then to the same data served over TLS (cpp-httplib on the worker pool, one thread
# per open connection), with [server] threads = 8 (the default) and = 64 (one per connection).
# Prints a Markdown table: req/s, p99, and answered vs recorded pings.
#
# Usage: bench/tls_bench.sh [seconds per run, default 10] [connections, default 64]
# Needs: the static release build/dogwatch (or DOGWATCH_BIN=path), wrk, openssl, sqlite3, curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-10}
conns=${2:-64}
bin="${DOGWATCH_BIN:-$root/build/dogwatch}"
work=$(mktemp -d /tmp/dogwatch-tls-bench.XXXXXX)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
port=18093
data="$work/data"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" \
  -out "$work/cert.pem" -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2> /dev/null

"$bin" project add Bench --config /dev/null --data-dir "$data" > /dev/null 2>&1
key=$("$bin" key create --project Bench --config /dev/null --data-dir "$data")

# start THREADS TLS(0|1): serves $data on $port until stop
start() {
  {
    printf '[server]\nthreads = %s\n[log]\naccess_log = false\nlevel = "warn"\n' "$1"
    [ "$2" = 1 ] && printf '[server.tls]\ncert_file = "%s"\nkey_file = "%s"\n' "$work/cert.pem" "$work/key.pem"
  } > "$work/dogwatch.toml"
  "$bin" serve --config "$work/dogwatch.toml" --data-dir "$data" --listen "127.0.0.1:$port" \
    2>> "$work/dogwatch.log" & echo $! > "$work/dogwatch.pid"
  for _ in $(seq 100); do
    curl -fsk "$(scheme "$2")://127.0.0.1:$port/api/v3/status" > /dev/null && return
    sleep 0.05
  done
  echo "dogwatch did not start:" >&2; cat "$work/dogwatch.log" >&2; exit 1
}
stop() { kill "$(cat "$work/dogwatch.pid")"; wait "$(cat "$work/dogwatch.pid")" || true; rm "$work/dogwatch.pid"; }
scheme() { if [ "$1" = 1 ]; then echo https; else echo http; fi; }

start 8 0
for i in $(seq 100); do
  curl -fs -X POST -H "X-Api-Key: $key" -d "{\"name\": \"bench-$i\"}" "127.0.0.1:$port/api/v3/checks/"
  echo
done | python3 -c 'import json,sys; [print(json.loads(l)["uuid"]) for l in sys.stdin if l.strip()]' > "$work/uuids.txt"
stop

cat > "$work/pings.lua" <<'LUA'
local paths = {}
for line in io.lines(os.getenv("UUIDS")) do paths[#paths + 1] = "/ping/" .. line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA

recorded() { sqlite3 "$data/dogwatch.db" "SELECT coalesce(sum(n_pings), 0) FROM checks"; }

echo "| server | threads | req/s | p99 ms | answered 200 | recorded | socket errors |"
echo "|---|---|---|---|---|---|---|"
for run in "0 8" "1 8" "1 64"; do
  read -r tls threads <<< "$run"
  start "$threads" "$tls"
  before=$(recorded)
  UUIDS="$work/uuids.txt" wrk -t2 -c"$conns" -d"${duration}s" --latency --timeout 10s \
    -s "$work/pings.lua" "$(scheme "$tls")://127.0.0.1:$port" > "$work/wrk.out" 2>&1
  sleep 0.5
  stop
  after=$(recorded)
  python3 - "$work/wrk.out" "$(scheme "$tls")" "$threads" "$((after - before))" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
total = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
answered = total - (int(non2xx.group(1)) if non2xx else 0)
print(f"| {sys.argv[2]} | {sys.argv[3]} | {rps:.0f} | {p99:.2f} | {answered} | {sys.argv[4]} | {errors.group(1) if errors else 'none'} |")
PY
done
echo
echo "$conns keep-alive connections, ${duration}s per run, $(nproc) cores."
echo "load average (1, 5, 15 min): before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)."
