#!/usr/bin/env bash
# Quick start, command 1: install build dependencies, build, and start the server on its embedded
# defaults (http://127.0.0.1:8000, database in ./dogwatch-data/). Ctrl-C stops it.
# Extra arguments go to `dogwatch serve` (e.g. --listen 0.0.0.0:8000).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
DOGWATCH_DEPS=build bash "$root/scripts/build.sh"
exec "$root/build/dogwatch" serve "$@"
