#!/usr/bin/env bash
# Builds the static release binary (scripts/build.sh, which installs the build dependencies) and
# the Debian package from it with CPack: build/dogwatch_<version>-1_<arch>.deb (docs/install.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/build.sh
cd build
cpack -G DEB
