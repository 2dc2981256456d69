#!/usr/bin/env bash
# Sets up what is missing and serves Rewind at http://127.0.0.1:8080 (trunk serve).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh" web
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
cd "$ROOT"
exec trunk serve --offline "$@"
