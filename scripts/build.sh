#!/usr/bin/env bash
# Installs what the build needs (packaging/install-deps.sh) and builds the static release binary
# build/dogwatch. Idempotent: a second run rebuilds only what changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash packaging/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DDOGWATCH_STATIC=ON ${DOGWATCH_CMAKE_ARGS:-} >/dev/null
cmake --build build -j "$(nproc)"
file build/dogwatch | grep -q "statically linked" || { echo "build/dogwatch is not static" >&2; exit 1; }
echo "build: $(ls -l build/dogwatch | awk '{print $5}') bytes, $(file -b build/dogwatch | cut -d, -f1,5)"
