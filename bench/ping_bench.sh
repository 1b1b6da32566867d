#!/usr/bin/env bash
# Ping ingest benchmark (SPEC §14): wrk against dogwatch and against nginx answering 200 on
# loopback, in the same run, on this machine. 1,000 checks pinged round-robin by UUID; a new
# connection per ping (the crontab pattern) and keep-alive, at 16, 64 and 256 connections.
# Prints a Markdown table: req/s, ratio to nginx, p99, and answered vs recorded pings.
#
# Usage: bench/ping_bench.sh [seconds per run, default 10]
# Needs: the static release build/dogwatch (or DOGWATCH_BIN=path), wrk, nginx
# (DOGWATCH_DEPS=all packaging/install-deps.sh). DOGWATCH_BENCH_THREADS sets [server] threads
# (default 8, the shipped default: pings do not use the worker pool).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-10}
bin="${DOGWATCH_BIN:-$root/build/dogwatch}"
work=$(mktemp -d /tmp/dogwatch-bench.XXXXXX)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)  # the machine is shared: report how busy it was
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT

# --- nginx: 200 "OK" from memory, no logging, one worker per core ---
cat > "$work/nginx.conf" <<NGINX
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work;
  uwsgi_temp_path $work; scgi_temp_path $work;
  server { listen 127.0.0.1:18080 reuseport backlog=4096; location / { return 200 "OK"; } }
}
NGINX
nginx -c "$work/nginx.conf"

# --- dogwatch: a fresh database with one project, an API key and 1,000 checks ---
data="$work/data"
"$bin" project add Bench --config /dev/null --data-dir "$data" > /dev/null 2>&1
key=$("$bin" key create --project Bench --config /dev/null --data-dir "$data")
cat > "$work/dogwatch.toml" <<TOML
[server]
threads = ${DOGWATCH_BENCH_THREADS:-8}
[log]
access_log = false
level = "warn"
TOML
"$bin" serve --config "$work/dogwatch.toml" --data-dir "$data" --listen 127.0.0.1:18081 \
  2> "$work/dogwatch.log" & echo $! > "$work/dogwatch.pid"
for _ in $(seq 100); do curl -fs 127.0.0.1:18081/api/v3/status > /dev/null && break; sleep 0.05; done
for i in $(seq 1000); do
  curl -fs -X POST -H "X-Api-Key: $key" -d "{\"name\": \"bench-$i\"}" 127.0.0.1:18081/api/v3/checks/
  echo
done | python3 -c 'import json,sys; [print(json.loads(l)["uuid"]) for l in sys.stdin if l.strip()]' > "$work/uuids.txt"
[ "$(wc -l < "$work/uuids.txt")" = 1000 ] || { echo "could not create 1000 checks" >&2; exit 1; }

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

# run TARGET_PORT CONNECTIONS MODE -> "req_per_s p99_ms answered"
run() {
  local port=$1 conns=$2 mode=$3 header=()
  [ "$mode" = new ] && header=(-H "Connection: close")
  local threads=2
  UUIDS="$work/uuids.txt" wrk -t$threads -c"$conns" -d"${duration}s" --latency --timeout 10s \
    "${header[@]}" -s "$work/pings.lua" "http://127.0.0.1:$port" > "$work/wrk.out" 2>&1
  python3 - "$work/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
total = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
answered = total - (int(non2xx.group(1)) if non2xx else 0)
print(f"{rps:.0f} {p99:.2f} {answered} {errors.group(0) if errors else 'no socket errors'}")
PY
}

echo "| mode | connections | nginx req/s | dogwatch req/s | ratio | nginx p99 ms | dogwatch p99 ms | dogwatch answered 200 | recorded |"
echo "|---|---|---|---|---|---|---|---|---|"
for mode in new keepalive; do
  for conns in 16 64 256; do
    read -r n_rps n_p99 _ n_err <<< "$(run 18080 "$conns" "$mode")"
    before=$(recorded)
    read -r d_rps d_p99 d_ok d_err <<< "$(run 18081 "$conns" "$mode")"
    sleep 0.5  # let pings in flight when wrk stopped land
    after=$(recorded)
    ratio=$(python3 -c "print(f'{$d_rps / $n_rps:.2f}')")
    echo "| $mode | $conns | $n_rps | $d_rps | $ratio | $n_p99 | $d_p99 | $d_ok | $((after - before)) |"
    [ "$d_err" = "no socket errors" ] || echo "<!-- dogwatch $mode/$conns: $d_err -->"
  done
done
rss=$(ps -o rss= -p "$(cat "$work/dogwatch.pid")")
echo
echo "dogwatch RSS after the run: $((rss / 1024)) MiB; threads = ${DOGWATCH_BENCH_THREADS:-8}; $(nproc) cores; ${duration}s per run."
echo "load average (1, 5, 15 min): before $load_before, after $(cut -d' ' -f1-3 /proc/loadavg)."
