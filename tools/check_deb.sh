#!/usr/bin/env bash
# Builds the sambatd .deb with CPack and checks it in a clean Debian 12 (bookworm) root:
# installs it with apt (dependencies from the Debian mirror), runs check-config and the
# rules checks inside, creates a queue user as the service user, checks that nothing was
# enabled or started, upgrades to a rebuilt package and checks that the operator's edits to
# the conffiles survived, removes and purges it (the complaint archive in /var/lib/sambatd
# must stay), and prints `systemd-analyze security --offline=yes` for the installed unit.
#
#   tools/check_deb.sh   (as root)
#
# Not part of tools/test.sh: it needs root (debootstrap, chroot, mounts), the Debian mirror,
# and a few minutes the first time (debootstrap). The minimal root is made once into
# build/debroot/base and copied afresh for every run; downloaded packages are kept in
# build/debroot/archives, so a second run takes about a minute.
# Builds, cpack and the heavy steps run under the shared lock /tmp/sambat-build.lock.
set -euo pipefail

cd "$(dirname "$0")/.."
SRC=$PWD
BUILD=${BUILD:-$SRC/build}
LOCK=${LOCK:-/tmp/sambat-build.lock}
ROOTS=$BUILD/debroot
BASE=$ROOTS/base
ROOT=$ROOTS/root
ARCHIVES=$ROOTS/archives
SUITE=bookworm

step() { printf '\n=== %s\n' "$*"; }
fail() { echo "check_deb: FAIL: $*" >&2; exit 1; }
ok() { echo "ok: $*"; }
in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

[ "$(id -u)" = 0 ] || fail "run as root: debootstrap, chroot and mount need it"

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v dpkg-shlibdeps >/dev/null || need+=(dpkg-dev)
command -v systemd-analyze >/dev/null || need+=(systemd)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
fi

# The Debian mirror this machine uses (deb822 or one-line sources), else Debian's own.
MIRROR=$(sed -n 's/^URIs:[[:space:]]*\(http[^[:space:]]*\/debian\)[[:space:]]*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
[ -n "$MIRROR" ] || MIRROR=$(awk '/^deb[[:space:]]/ && $2 ~ /\/debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian

# --- mounts: never delete a root that still has something mounted under it --------------
mounted_under() { awk -v r="$1" '$2 == r || index($2, r "/") == 1 {print $2}' /proc/mounts; }
unmount_root() {
  local m
  for m in $(mounted_under "$ROOT" | sort -r); do umount "$m" 2>/dev/null || umount -l "$m"; done
}
trap unmount_root EXIT
mount_root() {
  mount -t proc proc "$ROOT/proc"
  mount -t sysfs sysfs "$ROOT/sys"
  mount --bind /dev "$ROOT/dev"
  mount --bind /dev/pts "$ROOT/dev/pts"
  mkdir -p "$ARCHIVES/partial"
  mount --bind "$ARCHIVES" "$ROOT/var/cache/apt/archives"
}

# --- 1. build the package ------------------------------------------------------------------
step "building sambatd and the .deb (cpack -G DEB)"
if [ ! -f "$BUILD/build.ninja" ]; then
  flock "$LOCK" cmake -S "$SRC" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
flock "$LOCK" cmake --build "$BUILD" -j2 --target sambatd
rm -f "$BUILD"/package/sambatd_*.deb
# Release 1 is installed first; release 2 (same files) is the upgrade.
(cd "$BUILD" && flock "$LOCK" cpack -G DEB -D CPACK_DEBIAN_PACKAGE_RELEASE=1 >/dev/null)
(cd "$BUILD" && flock "$LOCK" cpack -G DEB -D CPACK_DEBIAN_PACKAGE_RELEASE=2 >/dev/null)
DEB1=$(ls "$BUILD"/package/sambatd_*-1_*.deb)
DEB2=$(ls "$BUILD"/package/sambatd_*-2_*.deb)
ls -l "$DEB1" "$DEB2"

step "control information ($(basename "$DEB1"))"
dpkg-deb --info "$DEB1"
step "files ($(basename "$DEB1"))"
dpkg-deb --contents "$DEB1"

CTRL=$(mktemp -d)
dpkg-deb --control "$DEB1" "$CTRL"
depends=$(dpkg-deb --field "$DEB1" Depends)
for lib in libc6 libstdc++6 libcurl4 libsqlite3-0 libre2-9 libyaml-cpp0.7 libsodium23 libsystemd0 libspdlog1.10-fmt9 libfmt9 libutf8proc2 systemd procps; do
  grep -q "\b$lib\b" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
ok "Depends (dpkg-shlibdeps + systemd): $depends"
grep -qx /etc/sambatd/sambatd.yaml "$CTRL/conffiles" || fail "sambatd.yaml is not a conffile"
grep -qx /etc/sambatd/rules/signals.yaml "$CTRL/conffiles" || fail "the rules are not conffiles"
ok "conffiles: $(wc -l <"$CTRL/conffiles") (/etc/sambatd/sambatd.yaml and /etc/sambatd/rules/*)"
rm -rf "$CTRL"

# --- 2. a clean Debian 12 root ---------------------------------------------------------------
step "Debian 12 root ($MIRROR)"
if [ ! -f "$BASE/.sambat-base-complete" ]; then
  [ -z "$(mounted_under "$BASE")" ] || fail "something is mounted under $BASE"
  rm -rf "$BASE"
  mkdir -p "$ROOTS"
  # Mostly downloading and unpacking: run niced rather than holding the build lock for minutes.
  nice -n 10 debootstrap --variant=minbase "$SUITE" "$BASE" "$MIRROR"
  touch "$BASE/.sambat-base-complete"
else
  echo "reusing $BASE (debootstrap --variant=minbase $SUITE, made once)"
fi
unmount_root
[ -z "$(mounted_under "$ROOT")" ] || fail "cannot unmount everything under $ROOT"
rm -rf "$ROOT"
cp -a "$BASE" "$ROOT"
# The same Debian suites as this machine (bookworm, -updates, -security): the binary was
# linked against them.
if ls /etc/apt/sources.list.d/debian.sources >/dev/null 2>&1; then
  rm -f "$ROOT/etc/apt/sources.list"
  cp /etc/apt/sources.list.d/debian.sources "$ROOT/etc/apt/sources.list.d/"
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
mount_root
cp "$DEB1" "$DEB2" "$ROOT/tmp/"

# --- 3. install ----------------------------------------------------------------------------
step "apt-get install ./$(basename "$DEB1") in the root"
in_root apt-get update -q >/dev/null
flock "$LOCK" chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "/tmp/$(basename "$DEB1")" </dev/null
in_root dpkg -s sambatd | grep -E '^(Status|Version):'

step "checks in the installed root"
in_root sambatd --version
in_root sambatd --config /etc/sambatd/sambatd.yaml check-config || fail "check-config refused the installed configuration"
ok "check-config passes on the installed /etc/sambatd/sambatd.yaml"

# The paths the unit uses are the ones the package installs.
UNIT=$ROOT/usr/lib/systemd/system/sambatd.service
exec_bin=$(sed -n 's/^ExecStart=\([^ ]*\) .*/\1/p' "$UNIT")
unit_cfg=$(sed -n 's/^ExecStart=.*--config \([^ ]*\) run$/\1/p' "$UNIT")
[ -x "$ROOT$exec_bin" ] || fail "ExecStart binary $exec_bin is not installed"
[ -f "$ROOT$unit_cfg" ] || fail "the unit's --config $unit_cfg is not installed"
state_dir=/var/lib/$(sed -n 's/^StateDirectory=//p' "$UNIT")
db=$(sed -n 's/^database:[[:space:]]*//p' "$ROOT$unit_cfg")
rules=$(sed -n 's/^rules:[[:space:]]*//p' "$ROOT$unit_cfg")
[ "$(dirname "$db")" = "$state_dir" ] || fail "database $db is not in the unit's StateDirectory $state_dir"
[ -d "$ROOT$rules" ] || fail "rules folder $rules is not installed"
grep -q "^LoadCredential=token:/etc/sambatd/credentials$" "$UNIT" || fail "LoadCredential path changed"
ok "unit: ExecStart $exec_bin --config $unit_cfg; database $db in StateDirectory $state_dir; rules $rules"

in_root getent passwd sambatd || fail "no sambatd user"
for d in "/etc/sambatd/credentials 700 root" "/var/lib/sambatd 700 sambatd"; do
  set -- $d
  got=$(in_root stat -c '%a %U' "$1")
  [ "$got" = "$2 $3" ] || fail "$1 is '$got', expected '$2 $3'"
  ok "$1 $got"
done

in_root sambatd rules check /etc/sambatd/rules >/dev/null || fail "rules check failed on the installed rules"
in_root sambatd rules test /etc/sambatd/rules | tail -n 1
ok "installed rules pass rules check and rules test"
diff -r "$ROOT/etc/sambatd/rules" "$ROOT/usr/share/sambatd/rules" >/dev/null || fail "pristine rules differ from /etc"

# A user made before the first start, as the service user (as docs/operator/instalasi.md says).
printf 'kata-sandi-uji-123\n' >"$ROOT/tmp/pw"
in_root chown sambatd: /tmp/pw
chmod 600 "$ROOT/tmp/pw"
in_root runuser -u sambatd -- sambatd --config /etc/sambatd/sambatd.yaml user add admin --role admin_utama --password-file /tmp/pw
in_root runuser -u sambatd -- sambatd --config /etc/sambatd/sambatd.yaml user list
[ "$(in_root stat -c %U /var/lib/sambatd/sambatd.db)" = sambatd ] || fail "the database is not the service user's"
ok "user add as the service user; /var/lib/sambatd/sambatd.db owned by sambatd"

step "nothing enabled, nothing started"
links=$(find "$ROOT/etc/systemd/system" -name 'sambatd*' 2>/dev/null || true)
[ -z "$links" ] || fail "enabled by the install: $links"
ok "no sambatd link under /etc/systemd/system (not enabled)"
for pid in $(pgrep -x sambatd || true); do
  [ "$(readlink "/proc/$pid/root")" != "$ROOT" ] || fail "a sambatd process runs in the root (pid $pid)"
done
ok "no sambatd process in the root (not started)"

step "systemd-analyze security --offline=yes /usr/lib/systemd/system/sambatd.service"
in_root systemd-analyze verify /usr/lib/systemd/system/sambatd.service || fail "systemd-analyze verify complained about the unit"
ok "systemd-analyze verify: no complaints"
in_root systemd-analyze security --offline=yes /usr/lib/systemd/system/sambatd.service >"$ROOTS/security.txt" 2>&1 || true
grep -E '^(✗|✓|-)' "$ROOTS/security.txt" | grep -v '^✓' || true
exposure=$(grep -o 'Overall exposure level for sambatd.service: .*' "$ROOTS/security.txt" || true)
[ -n "$exposure" ] || { cat "$ROOTS/security.txt"; fail "systemd-analyze security printed no exposure level"; }
echo "$exposure"

# --- 4. upgrade: the operator's edits survive ---------------------------------------------------
step "upgrade to $(basename "$DEB2") with edited conffiles"
echo "# diubah operator (uji pembaruan)" >>"$ROOT/etc/sambatd/sambatd.yaml"
sed -i 's/^  level: info$/  level: debug/' "$ROOT/etc/sambatd/sambatd.yaml"
echo "# diubah operator (uji pembaruan)" >>"$ROOT/etc/sambatd/rules/slang.yaml"
printf 'token-uji\n' >"$ROOT/etc/sambatd/credentials/x-bearer"
chmod 600 "$ROOT/etc/sambatd/credentials/x-bearer"
flock "$LOCK" chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "/tmp/$(basename "$DEB2")" </dev/null
in_root dpkg -s sambatd | grep -E '^Version:.*-2$' >/dev/null || fail "not upgraded to release 2"
grep -q "^# diubah operator" "$ROOT/etc/sambatd/sambatd.yaml" || fail "the edit to sambatd.yaml was lost"
grep -q "^  level: debug$" "$ROOT/etc/sambatd/sambatd.yaml" || fail "the edited log level was lost"
grep -q "^# diubah operator" "$ROOT/etc/sambatd/rules/slang.yaml" || fail "the edit to rules/slang.yaml was lost"
[ -f "$ROOT/etc/sambatd/credentials/x-bearer" ] || fail "a credential was lost"
in_root runuser -u sambatd -- sambatd --config /etc/sambatd/sambatd.yaml user list | grep -q admin || fail "the user was lost"
in_root sambatd --config /etc/sambatd/sambatd.yaml check-config >/dev/null || fail "check-config after the upgrade"
[ -z "$(find "$ROOT/etc/systemd/system" -name 'sambatd*')" ] || fail "the upgrade enabled the service"
ok "upgraded to $(in_root dpkg-query -W -f '${Version}' sambatd); edited sambatd.yaml and rules/slang.yaml kept, credentials, database and users kept, still not enabled"

# --- 5. remove and purge: the complaint archive stays ----------------------------------------------
step "apt-get remove, then purge"
in_root apt-get remove -y -q sambatd </dev/null >/dev/null
[ ! -e "$ROOT/usr/bin/sambatd" ] || fail "remove left the binary"
[ -f "$ROOT/etc/sambatd/sambatd.yaml" ] || fail "remove deleted the configuration"
ok "remove: binary gone, configuration kept"
in_root apt-get purge -y -q sambatd </dev/null
[ ! -e "$ROOT/etc/sambatd/sambatd.yaml" ] || fail "purge left sambatd.yaml"
[ ! -e "$ROOT/etc/sambatd/rules/slang.yaml" ] || fail "purge left the rules"
[ -f "$ROOT/var/lib/sambatd/sambatd.db" ] || fail "purge deleted the complaint database"
[ -f "$ROOT/etc/sambatd/credentials/x-bearer" ] || fail "purge deleted the operator's credentials"
ok "purge: conffiles gone; /var/lib/sambatd/sambatd.db and /etc/sambatd/credentials kept"

step "result"
echo "package: $(basename "$DEB1") ($(du -k "$DEB1" | cut -f1) KiB), $(dpkg-deb --contents "$DEB1" | grep -vc '/$') files"
echo "$exposure"
echo "check_deb: OK"
