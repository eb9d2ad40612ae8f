#!/usr/bin/env bash
# Installs what sambatd needs to build, test and run, from Debian packages (and npm for the
# browser tests). Idempotent and quick when everything is present. Needs root only to install:
# as root it runs apt-get itself, otherwise through sudo when that exists.
set -euo pipefail

as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    echo "install-deps: run as root (or install what is missing): $*" >&2
    exit 1
  fi
}
apt_install() {
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libcurl4-openssl-dev rapidjson-dev libsqlite3-dev sqlite3 libre2-dev libboost-dev
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev libutf8proc-dev libsodium-dev
  libsystemd-dev libcli11-dev libspdlog-dev libxlsxwriter-dev clang libclang-rt-14-dev
  systemd chromium wrk
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  apt_install "${missing[@]}"
fi

# Node.js and npm for the browser tests (playwright-core drives Debian's chromium).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-deps: installing nodejs npm" >&2
  apt_install nodejs npm
fi
# playwright-core from the npm registry, at the version package-lock.json pins; its own
# browser download is never used (and cannot work here).
browser_dir="$(dirname "$0")/../tests/browser"
if [[ ! -f "$browser_dir/node_modules/.package-lock.json" ]] ||
   ! cmp -s <(grep -A1 '"node_modules/playwright-core"' "$browser_dir/package-lock.json") \
             <(grep -A1 '"node_modules/playwright-core"' "$browser_dir/node_modules/.package-lock.json"); then
  echo "install-deps: npm ci in tests/browser" >&2
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix "$browser_dir" --no-audit --no-fund >/dev/null
fi
