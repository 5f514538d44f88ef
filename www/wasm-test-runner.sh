#!/usr/bin/env bash
# Cargo's runner for wasm32 tests: drop the reference-types record that the prebuilt std
# leaves in the module (as the app build does), then run wasm-bindgen's test runner,
# which runs `run_in_browser` tests in headless Chromium through chromedriver.
set -euo pipefail
wasm="$1"; shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
node "$here/target-features.js" "$wasm" "$wasm" reference-types multivalue >/dev/null
exec wasm-bindgen-test-runner "$wasm" "$@"
