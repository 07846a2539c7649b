#!/bin/sh
# install-deps.sh — install every Debian package casebook's build, tests and
# benchmarks need.  Idempotent: installs only what is missing and says what.
# Uses sudo when not run as root.  Usage: scripts/install-deps.sh [--check]
#   --check   exit 1 (installing nothing) if anything is missing
set -eu

PKGS="
  gcc make pkg-config meson ninja-build python3
  libarchive-dev libjansson-dev libcmocka-dev libyaml-dev libhyperscan-dev libpcre2-dev libgraphviz-dev
  libsqlite3-dev
  tmux libxml2-utils
  zip unzip xz-utils bzip2 zstd gzip tar
  valgrind
  clang libclang-rt-dev
"
# Benchmarks compare against these.
BENCH_PKGS="ripgrep hyperfine time"

missing=""
for p in $PKGS $BENCH_PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi
if [ "${1:-}" = "--check" ]; then
    echo "missing packages:$missing" >&2
    exit 1
fi

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
echo "install-deps: done"
