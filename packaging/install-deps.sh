#!/usr/bin/env bash
# Installs every Debian package that dogwatch's build and tests need, and fetches the two Debian
# source packages the static build uses (cpp-httplib's single header, date/tz's tz.cpp) into
# third_party/src/ (git-ignored). Idempotent: a second run only checks what is there.
# The system's apt configuration is left alone: source packages come through a private source list.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dest="$root/third_party/src"
export DEBIAN_FRONTEND=noninteractive

build_pkgs=(build-essential cmake pkg-config file git ca-certificates dpkg-dev
  libsqlite3-dev libsqlitecpp-dev libtomlplusplus-dev libfmt-dev libcli11-dev doctest-dev
  nlohmann-json3-dev libhowardhinnant-date-dev libssl-dev libsodium-dev zlib1g-dev tzdata
  help2man)  # the .deb's man page, made from --help at build time (cmake/Packaging.cmake)
test_pkgs=(python3 python3-aiosmtpd curl wget openssl sqlite3 procps util-linux chromium systemd
  lintian adduser)  # tests/package/deb_test.sh: lintian, and the .deb's Depends for dpkg -i
# Benchmarks only (bench/): a load generator and the baseline server.
bench_pkgs=(wrk nginx-light)
case "${DOGWATCH_DEPS:-test}" in
  build) test_pkgs=(); bench_pkgs=() ;;
  test) bench_pkgs=() ;;
  all) ;;
esac

missing=()
for p in "${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Browser tests (tests/ui): Node.js and npm from Debian unless the machine has them already (a
# Node.js from elsewhere brings its own npm, which Debian's npm package would conflict with),
# then playwright-core from the npm registry at the version package-lock.json pins.
if ((${#test_pkgs[@]})); then
  node_missing=()
  command -v node >/dev/null || node_missing+=(nodejs)
  command -v npm >/dev/null || node_missing+=(npm)
  if ((${#node_missing[@]})); then
    echo "install-deps: installing ${node_missing[*]}"
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${node_missing[@]}"
  fi
  want=$(grep -oE '"playwright-core": *"[^"]+"' "$root/tests/ui/package.json" | grep -oE '[0-9][^"]*')
  have=$(grep -m1 -oE '"version": *"[^"]+"' "$root/tests/ui/node_modules/playwright-core/package.json" \
           2>/dev/null | grep -oE '[0-9][^"]*' || true)
  if [ "$want" != "$have" ]; then
    (cd "$root/tests/ui" && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# Source packages, through a private sources list so /etc/apt is untouched.
have_sources() { [ -f "$dest/httplib.h" ] && [ -f "$dest/tz.cpp" ]; }
if ! have_sources; then
  work="$root/third_party/apt"
  mkdir -p "$work/lists/partial" "$dest"
  # Same mirror as the system's binary sources, but for deb-src.
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
  uri=$(grep -hoE '^(URIs:|deb) +http[^ ]+' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
          2>/dev/null | grep -v security | head -n1 | awk '{print $NF}' || true)
  uri=${uri:-http://deb.debian.org/debian}
  cat > "$work/sources.list" <<SRC
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main
SRC
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
            -o "Dir::State::Lists=$work/lists" -o "Debug::NoLocking=1" -o "APT::Sandbox::User=root")
  apt-get "${apt_opts[@]}" update -qq
  (cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq cpp-httplib howardhinnant-date)
  for pkg in cpp-httplib howardhinnant-date; do
    dsc=$(ls "$work"/${pkg}_*.dsc | head -n1)
    rm -rf "$work/$pkg"
    dpkg-source --no-check -x "$dsc" "$work/$pkg" >/dev/null
  done
  cp "$work/cpp-httplib/httplib.h" "$dest/httplib.h"
  cp "$work/howardhinnant-date/src/tz.cpp" "$dest/tz.cpp"
  cp "$work/howardhinnant-date/include/date/tz_private.h" "$dest/tz_private.h"
fi
have_sources
echo "install-deps: ok ($(grep -m1 -oE 'CPPHTTPLIB_VERSION "[^"]+"' "$dest/httplib.h"))"
