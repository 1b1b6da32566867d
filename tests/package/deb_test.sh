#!/usr/bin/env bash
# The .deb (cmake/Packaging.cmake, packaging/deb/). Always: builds it with cpack from the build
# directory (the binary and man page the build made; nothing is re-linked), checks its control
# fields, files, conffiles and man page, runs the packaged binary on the packaged config, and runs
# lintian, which fails the test on any error or warning that packaging/deb/lintian-overrides does
# not explain.
# Then, because it changes the machine (a package, a system user), only as root and only with
# CI=true or DOGWATCH_TEST_DEB_INSTALL=1: installs it, serves as the dogwatch user, upgrades to a
# higher version, removes and purges it, checking what each step keeps. It needs no systemd.
# Usage: deb_test.sh BUILD_DIR DOGWATCH_BINARY CPACK
set -euo pipefail
build=$1 bin=$2 cpack=$3

tmp=$(mktemp -d)
installed=0 serve_pid="" run_dir=""
cleanup() {
  [ -z "$serve_pid" ] || kill -9 "$serve_pid" 2>/dev/null || true
  [ -z "$run_dir" ] || rm -rf "$run_dir"
  # Only what this test installed: it refuses to start the install part over an existing package.
  [ "$installed" = 0 ] || dpkg --purge dogwatch >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }
expect_eq() { [ "$2" = "$3" ] || fail "$1: expected '$3', got '$2'"; }

version=$("$bin" --version)
arch=$(dpkg --print-architecture)

# cpack -B: the package and CPack's staging tree go to a private directory, not the build's.
make_deb() {  # OUT_DIR [cpack -D options]; prints the .deb's path
  local out=$1; shift
  (cd "$build" && "$cpack" -G DEB -B "$out" "$@") > "$out.log" 2>&1 || { cat "$out.log" >&2; fail "cpack"; }
  ls "$out"/dogwatch_*.deb
}

step "cpack -G DEB"
deb=$(make_deb "$tmp/deb")
expect_eq "package file" "$(basename "$deb")" "dogwatch_${version}-1_${arch}.deb"

step "control fields"
field() { dpkg-deb --field "$deb" "$1"; }
expect_eq Package "$(field Package)" dogwatch
expect_eq Version "$(field Version)" "${version}-1"
expect_eq Architecture "$(field Architecture)" "$arch"
expect_eq Depends "$(field Depends)" "adduser, procps, tzdata"
expect_eq Homepage "$(field Homepage)" "https://github.com/dogwatch/dogwatch"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
description=$(field Description)
[[ "${description%%$'\n'*}" == *"cron jobs"* ]] || fail "Description: $description"
dpkg-deb --control "$deb" "$tmp/control"
expect_eq conffiles "$(cat "$tmp/control/conffiles")" /etc/dogwatch/dogwatch.toml
for script in postinst prerm postrm; do
  [ -x "$tmp/control/$script" ] || fail "no executable $script"
  sh -n "$tmp/control/$script" || fail "$script: syntax"
done

step "contents"
dpkg-deb --contents "$deb" > "$tmp/contents"
has() {  # MODE PATH: a line of dpkg-deb --contents
  grep -qE "^$1 root/root +[0-9]+ [0-9-]+ [0-9:]+ \./${2#/}\$" "$tmp/contents" ||
    { cat "$tmp/contents" >&2; fail "no $1 $2 in the package"; }
}
has -rwxr-xr-x /usr/bin/dogwatch
has -rw-r--r-- /lib/systemd/system/dogwatch.service
has -rw-r--r-- /etc/dogwatch/dogwatch.toml
has -rw-r--r-- /usr/share/man/man1/dogwatch.1.gz
has -rw-r--r-- /usr/share/doc/dogwatch/copyright
has -rw-r--r-- /usr/share/doc/dogwatch/changelog.Debian.gz
has -rw-r--r-- /usr/share/doc/dogwatch/third-party/glibc
has -rw-r--r-- /usr/share/lintian/overrides/dogwatch
# Nothing in /var: the state directory is made by postinst (and systemd) and kept on removal.
! grep -q '\./var/' "$tmp/contents" || fail "the package ships files under /var"

step "the packaged binary, config, unit and man page"
dpkg-deb --extract "$deb" "$tmp/root"
expect_eq "packaged dogwatch version" "$("$tmp/root/usr/bin/dogwatch" version)" "dogwatch $version"
"$tmp/root/usr/bin/dogwatch" config check --config "$tmp/root/etc/dogwatch/dogwatch.toml" > "$tmp/check" ||
  fail "config check on the packaged dogwatch.toml"
grep -qx 'data_dir = "/var/lib/dogwatch"' "$tmp/root/etc/dogwatch/dogwatch.toml" || fail "packaged data_dir"
cmp -s "$tmp/root/lib/systemd/system/dogwatch.service" "$(dirname "$0")/../../systemd/dogwatch.service" ||
  fail "the packaged unit differs from systemd/dogwatch.service"
zcat "$tmp/root/usr/share/man/man1/dogwatch.1.gz" > "$tmp/dogwatch.1"
# Every subcommand the binary lists has its subsection, with its options.
for sub in $("$bin" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [^ ]/ { print $1 }'); do
  grep -qxF ".SS \"dogwatch $(sed 's/-/\\-/g' <<<"$sub")\"" "$tmp/dogwatch.1" || fail "man page: no section for $sub"
done
grep -q '^\.SS "dogwatch config check"' "$tmp/dogwatch.1" || fail "man page: no config check"
grep -q 'fB\\-\\-data\\-dir\\fR' "$tmp/dogwatch.1" || fail "man page: no --data-dir"
grep -q "^\.TH DOGWATCH \"1\" .*\"dogwatch $version\"" "$tmp/dogwatch.1" || fail "man page: title line"

step "lintian"
# Every tag down to info, and the overridden ones (O:) with their reasons (N:), for the log. An
# error (E:) or warning (W:) that packaging/deb/lintian-overrides does not cover fails the test.
# (--fail-on would count overridden tags as soon as --show-overrides lists them.)
lintian --fail-on none --display-info --show-overrides --tag-display-limit 0 "$deb" > "$tmp/lintian" 2>&1 ||
  { cat "$tmp/lintian"; fail "lintian did not run"; }
grep -v '^running with root privileges' "$tmp/lintian" || true
! grep -qE '^[EW]: ' "$tmp/lintian" || fail "lintian: errors or warnings above (fix them or explain them in packaging/deb/lintian-overrides)"

# --- Install, upgrade, remove, purge: this machine, so only when asked. ---
skip=""
if [ "$(id -u)" != 0 ]; then
  skip="not root"
elif [ "${CI:-}" != true ] && [ "${DOGWATCH_TEST_DEB_INSTALL:-}" != 1 ]; then
  skip="it changes this machine; set DOGWATCH_TEST_DEB_INSTALL=1 (as root) or CI=true to run it"
elif state=$(dpkg-query -W -f='${db:Status-Status}' dogwatch 2>/dev/null) && [ "$state" != not-installed ]; then
  skip="a dogwatch package is on this machine already ($state); not touching it"
elif [ -e /etc/dogwatch ] || [ -e /var/lib/dogwatch ]; then
  skip="/etc/dogwatch or /var/lib/dogwatch exist without the package; not touching them"
fi
if [ -n "$skip" ]; then
  echo "SKIPPED: install, upgrade, remove and purge of the .deb: $skip"
  echo "PASS: deb built, contents and lintian checked"
  exit 0
fi

wants=/etc/systemd/system/multi-user.target.wants/dogwatch.service
as_dogwatch() { (cd / && setpriv --reuid=dogwatch --regid=dogwatch --init-groups -- "$@"); }
dogwatch_running() {  # a process running the installed binary (tests elsewhere run build/dogwatch)
  local p
  for p in /proc/[0-9]*; do [ "$(readlink "$p/exe" 2>/dev/null)" = /usr/bin/dogwatch ] && return 0; done
  return 1
}
dpkg_do() {  # dpkg with its output kept for a failure
  dpkg --force-confdef --force-confold "$@" < /dev/null > "$tmp/dpkg.log" 2>&1 || { cat "$tmp/dpkg.log"; fail "dpkg $*"; }
  # postinst and postrm must not trip over a machine without systemd.
  ! grep -qiE 'failed|error' "$tmp/dpkg.log" || { cat "$tmp/dpkg.log"; fail "dpkg $* reported an error"; }
}
# `dogwatch serve` as the service's user on a free port (the unit's command line, with the port
# from the environment), until /api/v3/status answers. Sets serve_pid and port.
start_serve() {
  run_dir=$(mktemp -d /tmp/dogwatch-deb-test.XXXXXX)
  chown dogwatch "$run_dir"
  (cd / && DOGWATCH_SERVER_LISTEN=127.0.0.1:0 exec setpriv --reuid=dogwatch --regid=dogwatch --init-groups -- \
     /usr/bin/dogwatch serve --config /etc/dogwatch/dogwatch.toml --data-dir /var/lib/dogwatch \
     --port-file "$run_dir/port") > "$tmp/serve.log" 2>&1 &
  serve_pid=$!
  local i
  for i in $(seq 150); do
    [ -s "$run_dir/port" ] && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$tmp/serve.log"; fail "dogwatch serve exited"; }
    sleep 0.2
  done
  port=$(cat "$run_dir/port" 2>/dev/null) || { cat "$tmp/serve.log"; fail "dogwatch serve did not listen"; }
  expect_eq "GET /api/v3/status" "$(curl -fsS --max-time 5 "http://127.0.0.1:$port/api/v3/status")" OK
}
stop_serve() {
  kill -TERM "$serve_pid"
  local rc=0
  wait "$serve_pid" || rc=$?
  serve_pid=""
  rm -rf "$run_dir"; run_dir=""
  expect_eq "dogwatch serve's exit status after SIGTERM" "$rc" 0
}
owner_mode() { stat -c '%U:%G %a' "$1"; }

step "dpkg --install (first install)"
installed=1
dpkg_do --install "$deb"
expect_eq "/usr/bin/dogwatch version" "$(/usr/bin/dogwatch version)" "dogwatch $version"
IFS=: read -r _ _ uid _ _ home shell < <(getent passwd dogwatch) || fail "no dogwatch user"
[ "$uid" -lt 1000 ] || fail "dogwatch is not a system user (uid $uid)"
expect_eq "dogwatch's home" "$home" /var/lib/dogwatch
expect_eq "dogwatch's shell" "$shell" /usr/sbin/nologin
getent group dogwatch > /dev/null || fail "no dogwatch group"
expect_eq "unit enabled" "$(readlink "$wants")" /lib/systemd/system/dogwatch.service
! dogwatch_running || fail "the service was started on install"
if [ -d /run/systemd/system ]; then
  expect_eq "systemctl is-active" "$(systemctl is-active dogwatch || true)" inactive
fi
grep -q '^ /etc/dogwatch/dogwatch.toml [0-9a-f]\{32\}$' <<<"$(dpkg-query -W -f='${Conffiles}\n' dogwatch)" ||
  fail "/etc/dogwatch/dogwatch.toml is not a conffile"
expect_eq "dogwatch.toml owner and mode" "$(owner_mode /etc/dogwatch/dogwatch.toml)" "root:dogwatch 640"
expect_eq "/var/lib/dogwatch owner and mode" "$(owner_mode /var/lib/dogwatch)" "dogwatch:dogwatch 750"
dogwatch config check --config /etc/dogwatch/dogwatch.toml > /dev/null || fail "config check as root"
as_dogwatch dogwatch config check --config /etc/dogwatch/dogwatch.toml > /dev/null || fail "config check as dogwatch"
! setpriv --reuid=nobody --regid=nogroup --clear-groups -- cat /etc/dogwatch/dogwatch.toml > /dev/null 2>&1 ||
  fail "other users can read /etc/dogwatch/dogwatch.toml"

step "dogwatch serve as the dogwatch user"
start_serve
grep -q 'first_run setup_url=' "$tmp/serve.log" || { cat "$tmp/serve.log"; fail "no first_run setup_url line"; }
stop_serve
expect_eq "database owner" "$(stat -c %U /var/lib/dogwatch/dogwatch.db)" dogwatch
# Data to find again after the upgrade; the packaged config's data_dir finds the database.
echo 'a-long-password-for-the-deb-test' |
  as_dogwatch dogwatch user add deb-test@example.com --password-stdin > /dev/null 2>&1 || fail "user add as dogwatch"
as_dogwatch dogwatch project add "Deb test" --owner deb-test@example.com > /dev/null 2>&1 || fail "project add as dogwatch"
echo '# edited by the administrator (deb_test.sh)' >> /etc/dogwatch/dogwatch.toml

step "dpkg --install of a higher version (upgrade)"
deb2=$(make_deb "$tmp/deb2" -D CPACK_DEBIAN_PACKAGE_RELEASE=2)
dpkg_do --install "$deb2"
expect_eq "installed version" "$(dpkg-query -W -f='${Version}' dogwatch)" "${version}-2"
grep -q 'deb_test.sh' /etc/dogwatch/dogwatch.toml || fail "the edited conffile was replaced"
expect_eq "dogwatch.toml owner and mode after the upgrade" "$(owner_mode /etc/dogwatch/dogwatch.toml)" "root:dogwatch 640"
grep -q deb-test@example.com <<<"$(as_dogwatch dogwatch user list)" || fail "the user is gone after the upgrade"
start_serve
! grep -q 'first_run' "$tmp/serve.log" || fail "set-up offered again after the upgrade: the data is gone"
stop_serve

step "dpkg --remove keeps the data and the config"
dpkg_do --remove dogwatch
[ ! -e /usr/bin/dogwatch ] || fail "/usr/bin/dogwatch is still there"
[ -s /var/lib/dogwatch/dogwatch.db ] || fail "the database went with dpkg --remove"
[ -f /etc/dogwatch/dogwatch.toml ] || fail "the config went with dpkg --remove"
expect_eq "package state" "$(dpkg-query -W -f='${db:Status-Status}' dogwatch)" config-files

step "dpkg --install after a removal"
dpkg_do --install "$deb2"
expect_eq "unit enabled again" "$(readlink "$wants")" /lib/systemd/system/dogwatch.service
[ ! -L /etc/systemd/system/dogwatch.service ] || fail "the unit is still masked"
grep -q deb-test@example.com <<<"$(as_dogwatch dogwatch user list)" || fail "the user is gone after remove and install"

step "dpkg --purge deletes the data and the config, keeps the system user"
dpkg_do --purge dogwatch
installed=0
for gone in /var/lib/dogwatch /etc/dogwatch "$wants" /etc/systemd/system/dogwatch.service; do
  [ ! -e "$gone" ] && [ ! -L "$gone" ] || fail "$gone is still there after purge"
done
! dpkg-statoverride --list /etc/dogwatch/dogwatch.toml > /dev/null || fail "the statoverride is still there"
getent passwd dogwatch > /dev/null || fail "purge removed the dogwatch user (Debian leaves system users)"

echo "PASS: deb built, contents and lintian checked; installed, served, upgraded, removed, reinstalled, purged"
