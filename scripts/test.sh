#!/usr/bin/env bash
# Quick start, command 2: install everything the build and the tests need, build the static
# release binary, and run every test (unit, integration; UI once it exists) through CTest.
# CTest's closing summary line is the last thing printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
cd build
ctest --output-on-failure --no-label-summary -j "$(nproc)" --timeout 300 "$@"
