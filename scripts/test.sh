#!/usr/bin/env bash
# Sets up what is missing, then runs every test layer of Rewind, in the order CI runs them:
# formatting, lints (native and wasm32), native tests, browser unit tests (headless
# Chromium), the release build, and end-to-end tests against it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" all
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
# The CLI's index cache (logs of 16 MB or more) goes under target/, not into ~/.cache.
export REWIND_CACHE_DIR="$ROOT/target/rewind-cache"
cd "$ROOT"

step() { printf '\n\033[1m== %s ==\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (wasm32)"
cargo clippy -p rewind-web --target wasm32-unknown-unknown --lib --bins --tests --locked -- -D warnings
cargo clippy -p rewind-core --no-default-features --target wasm32-unknown-unknown --lib --locked -- -D warnings
cargo clippy -p rewind-session --target wasm32-unknown-unknown --lib --locked -- -D warnings

step "native tests"
cargo test --workspace --locked

step "fuzz target builds (crates/rewind-core/fuzz; run it with: cargo fuzz run load)"
# Its own lock file follows the core's dependencies, so it is not --locked.
cargo build --manifest-path crates/rewind-core/fuzz/Cargo.toml

step "browser unit tests (wasm-bindgen-test, headless Chromium)"
cargo test -p rewind-web --target wasm32-unknown-unknown --locked

step "release build (trunk build --release)"
trunk build --release --offline --locked
# Two modules: the page's (the UI) and its worker's (loads and keeps the log).
for wasm in dist/*_bg.wasm; do
  printf '%s: %s bytes raw, %s bytes gzip -9\n' "$wasm" "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)"
done

step "end-to-end tests (Playwright + headless Chromium on the release build)"
cargo build -p rewind-core --bin rewind --locked
node --test --test-concurrency=1 tests/e2e/

step "end-to-end tests again, every NDJSON log loaded index-only (read back from its file)"
REWIND_INDEX_ONLY=1 node --test --test-concurrency=1 tests/e2e/debugger.test.mjs \
  tests/e2e/real-logs.test.mjs tests/e2e/whatif.test.mjs tests/e2e/flows.test.mjs \
  tests/e2e/read-models.test.mjs tests/e2e/real-world.test.mjs
