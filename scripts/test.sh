#!/usr/bin/env bash
# The one test command (README: `make test`). Installs what is missing, builds
# the package, then runs every suite:
#   1. `cargo fmt --check`, `cargo clippy --lib` (the parsers' no-panic lints), then native `cargo test` (unit, table, vector and property tests, doctests),
#      then a fuzz smoke: a few seconds of AFL++ on each fuzz target (scripts/fuzz.sh);
#   2. the same integration tests (one binary, tests/it/) compiled to wasm32, under wasm-bindgen-test
#      in Node and in headless Chromium;
#   3. the JS tests, which import the built package `refer-sim` from pkg/, beside
#   4. the browser end-to-end tests of the playground (playwright-core, Chromium, two files at a time);
#   5. the size budget of the built package.
# Work that does not depend on each other overlaps (the machine has few cores; much of a cold run is
# downloads, links and one-process test runners): the installs of scripts/setup.sh run while the native
# tests build, the fuzz smoke (its own target dir) while the package builds, and the wasm test binaries
# run in Node and in Chromium at the same time. A background job's output is printed when it ends, and its
# failure fails the run. Each section header says when it started (seconds into the run), each background
# job how long it took, and the last line the whole run's time: where a slow CI run spent its minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

START=$(date +%s)
since() { echo $(( $(date +%s) - $1 )); }
section() { printf '\n==== %s   [at %s s]\n' "$*" "$(since "$START")"; }

LOGS="$(mktemp -d)"
declare -A PIDS=() STARTED=()
# On the way out (also after a failure), background jobs still running are stopped.
trap 'for p in "${PIDS[@]}"; do pkill -P "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; rm -rf "$LOGS"' EXIT
# Background jobs: bg NAME CMD... starts one (output to $LOGS/NAME.log); join NAME waits for it,
# prints its output under a section header, and fails the run when it failed.
log_of() { printf '%s/%s.log' "$LOGS" "$(printf '%s' "$1" | tr -c 'a-zA-Z0-9' _)"; }
bg() { local name=$1; shift; STARTED[$name]=$(date +%s); "$@" >"$(log_of "$name")" 2>&1 & PIDS[$name]=$!; }
join() {
  local name=$1 rc=0
  wait "${PIDS[$name]}" || rc=$?
  section "$name (background, ended after $(since "${STARTED[$name]}") s)"
  cat "$(log_of "$name")"
  if [ "$rc" != 0 ]; then echo "make test: $name failed (exit $rc)" >&2; exit "$rc"; fi
}

# The rustup pieces first (clippy is needed at once); the rest installs while the native tests build.
bash scripts/setup.sh rust
bg "setup: cargo-afl, wasm-bindgen-cli, chromium, npm ci (scripts/setup.sh)" bash scripts/setup.sh tools apt npm

section "native: cargo fmt --check, cargo clippy, cargo test"
if cargo fmt --version >/dev/null 2>&1; then cargo fmt --check; fi
# The parsers deny panicking constructs (indexing, string slicing, unwrap, expect, panic!):
# see the #![deny] in src/sip/mod.rs and src/twiml/mod.rs. Clippy makes that an error.
cargo clippy --lib --quiet
# Without debug info, as the wasm32 build below: a cold `cargo test --no-run` took 263 CPU-s instead of 303
# (2026-11-29, one fresh clone each way); a failing assertion still names its file and line, a
# backtrace its functions.
CARGO_PROFILE_DEV_DEBUG=0 cargo test --quiet

join "setup: cargo-afl, wasm-bindgen-cli, chromium, npm ci (scripts/setup.sh)"

# fuzz/ is its own workspace with its own target dir: it builds and fuzzes while pkg/ builds.
bg "fuzz: a few seconds of AFL++ on each target (scripts/fuzz.sh; make fuzz runs longer)" \
  env FUZZ_SECONDS="${FUZZ_SMOKE_SECONDS:-3}" FUZZ_OUT=fuzz/out/smoke bash scripts/fuzz.sh

section "build: pkg/"
bash scripts/build.sh

section "wasm: build the integration tests for wasm32"
# Without debug info (CARGO_PROFILE_DEV_DEBUG=0, this target dir only): the test binaries shrink from ~29 MB
# to ~3 MB, and wasm-bindgen-test-runner reads each one twice. Panic messages keep their file:line and
# stack traces their function names (the name section), so a failure reads the same.
CARGO_PROFILE_DEV_DEBUG=0 cargo test --quiet --target wasm32-unknown-unknown --test '*' --no-run --message-format=json-render-diagnostics \
  | node -e '
      let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => {
        for (const line of text.split("\n")) {
          if (!line.startsWith("{")) continue;
          const m = JSON.parse(line);
          if (m.reason === "compiler-artifact" && m.profile.test && m.executable) console.log(m.executable);
        }
      });' >"$LOGS/wasm-tests"
[ -s "$LOGS/wasm-tests" ] || { echo "make test: no wasm test binaries were built" >&2; exit 1; }

section "wasm: wasm-bindgen-test in Node and in headless Chromium, at the same time"
# What `cargo test --target wasm32-unknown-unknown` runs (the runner is .cargo/config.toml's), once in Node
# and once in Chromium (WASM_BINDGEN_USE_BROWSER), each binary's output printed whole when it ends.
run_wasm_test() {
  local mode=$1 wasm=$2 log rc=0
  log="$(mktemp "$LOGS/run.XXXXXX")"
  if [ "$mode" = chromium ]; then
    WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$(command -v chromedriver)" wasm-bindgen-test-runner "$wasm" >"$log" 2>&1 || rc=$?
  else
    wasm-bindgen-test-runner "$wasm" >"$log" 2>&1 || rc=$?
  fi
  # A run that passed nothing (no test compiled in, a runner that found none) is a failure too.
  if [ "$rc" = 0 ] && ! grep -Eq 'test result: ok\. [1-9][0-9]* passed' "$log"; then rc=1; echo 'no test passed' >>"$log"; fi
  { printf '     Running %s in %s\n' "$(basename "$wasm")" "$mode"; cat "$log"; [ "$rc" = 0 ] || printf 'FAILED (%s): %s in %s\n' "$rc" "$wasm" "$mode"; } >&2
  return "$rc"
}
export -f run_wasm_test
export LOGS
# xargs exits 123 when any run failed; every binary still runs.
if ! sed 's/^/node /; p; s/^node /chromium /' "$LOGS/wasm-tests" | xargs -P 2 -L 1 bash -c 'run_wasm_test "$0" "$1"' 2>&1; then
  echo "make test: a wasm test failed (see FAILED above)" >&2
  exit 1
fi
printf 'wasm: %s test binaries passed in Node and in Chromium\n' "$(wc -l <"$LOGS/wasm-tests")"

join "fuzz: a few seconds of AFL++ on each target (scripts/fuzz.sh; make fuzz runs longer)"

# The JS suite runs beside the e2e suite, and e2e runs two files at a time: every server in both
# listens on an ephemeral loopback port, and no test has a wall-clock budget (the e2e files are
# mostly waiting on Chromium: one at a time they took 484-516 s of a 962-s CI run; two at a time
# beside the JS suite, both took 437 s on this 2-core machine).
bg "js: the built package, imported as a user would" node --test tests/js/ tests/package/

section "e2e: the playground in headless Chromium, two test files at a time"
node --test --test-concurrency=2 tests/e2e/

join "js: the built package, imported as a user would"

section "budget: package size"
node scripts/size_budget.mjs
printf '\nmake test: every suite passed in %s s\n' "$(since "$START")"
