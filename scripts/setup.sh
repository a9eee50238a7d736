#!/usr/bin/env bash
# Installs what the build and the tests need, skipping whatever is already there:
# the wasm32 target, clippy, cargo-afl (fuzzing), the exact wasm-bindgen CLI that matches Cargo.lock, Debian's
# chromium + chromedriver (browser tests), and the npm dev dependencies.
#
#   bash scripts/setup.sh                 # everything
#   bash scripts/setup.sh rust            # only the rustup pieces (target, clippy): seconds
#   bash scripts/setup.sh tools apt npm   # the rest (scripts/test.sh runs this while the native tests build)
#
# The installs that are missing run at the same time (the two `cargo install`s compile, apt and npm mostly
# wait on the network), each into its own log, printed when it ends; the script fails when any of them failed.
set -euo pipefail
cd "$(dirname "$0")/.."

GROUPS_WANTED=("$@")
[ ${#GROUPS_WANTED[@]} -gt 0 ] || GROUPS_WANTED=(rust tools apt npm)
wants() { local g; for g in "${GROUPS_WANTED[@]}"; do [ "$g" = "$1" ] && return 0; done; return 1; }

step() { printf '\n== setup: %s\n' "$*"; }

if wants rust; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! cargo clippy --version >/dev/null 2>&1; then
    step "rustup component add clippy"
    rustup component add clippy
  fi
fi

LOGS="$(mktemp -d)"
trap 'rm -rf "$LOGS"' EXIT
names=() pids=()
# Run "$@" in the background as install <name>, its output kept in $LOGS/<name>.log.
start() {
  local name=$1; shift
  step "$name (started)"
  "$@" >"$LOGS/$name.log" 2>&1 &
  names+=("$name") pids+=($!)
}

if wants tools; then
  WASM_BINDGEN_VERSION="$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')"
  : "${WASM_BINDGEN_VERSION:?could not read the wasm-bindgen version from Cargo.lock}"
  if ! cargo afl --version >/dev/null 2>&1; then
    # AFL++ for the fuzz smoke; ~40 s once; needs cc and make.
    start "cargo install cargo-afl" cargo install cargo-afl
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ] \
    || ! command -v wasm-bindgen-test-runner >/dev/null; then
    # ~2 minutes once.
    start "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION" cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
fi

if wants apt && { ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; }; then
  apt_install() {
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  }
  start "apt-get install chromium chromium-driver" apt_install
fi

# npm dev dependencies: reinstall only when package-lock.json changed since the last install.
if wants npm && { [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  start "npm ci" env PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
fi

failed=0
for i in "${!pids[@]}"; do
  if wait "${pids[$i]}"; then
    step "${names[$i]}: done"
  else
    failed=1
    step "${names[$i]}: FAILED"
  fi
  cat "$LOGS/${names[$i]}.log"
done
exit "$failed"
