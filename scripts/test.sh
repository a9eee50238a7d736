#!/usr/bin/env bash
# The one test command (README: `make test`). Installs what is missing, builds
# the package, then runs every suite:
#   1. `cargo fmt --check`, `cargo clippy --lib` (the parsers' no-panic lints), then native `cargo test` (unit, table, vector and property tests, doctests),
#      then a fuzz smoke: a few seconds of AFL++ on each fuzz target (scripts/fuzz.sh);
#   2. the same integration tests compiled to wasm32, under wasm-bindgen-test
#      in Node and then in headless Chromium;
#   3. the JS tests, which import the built package `refer-sim` from pkg/;
#   4. the browser end-to-end tests of the playground (playwright-core, Chromium);
#   5. the size budget of the built package.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

section() { printf '\n==== %s\n' "$*"; }

section "native: cargo fmt --check, cargo clippy, cargo test"
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --check; fi
# The parsers deny panicking constructs (indexing, string slicing, unwrap, expect, panic!):
# see the #![deny] in src/sip/mod.rs and src/twiml/mod.rs. Clippy makes that an error.
cargo clippy --lib --quiet
cargo test --quiet

section "fuzz: a few seconds of AFL++ on each target (scripts/fuzz.sh; make fuzz runs longer)"
FUZZ_SECONDS="${FUZZ_SMOKE_SECONDS:-3}" FUZZ_OUT=fuzz/out/smoke bash scripts/fuzz.sh

section "build: pkg/"
bash scripts/build.sh

section "wasm: wasm-bindgen-test in Node"
cargo test --target wasm32-unknown-unknown --test '*'

section "wasm: wasm-bindgen-test in headless Chromium"
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)" \
  cargo test --target wasm32-unknown-unknown --test '*'

section "js: the built package, imported as a user would"
node --test tests/js/ tests/package/

section "e2e: the playground in headless Chromium"
node --test --test-concurrency=1 tests/e2e/

section "budget: package size"
node scripts/size_budget.mjs
