#!/usr/bin/env bash
# Builds the npm package into pkg/: the release wasm32 build of the crate,
# wasm-bindgen's ES-module glue (--target web; pkg/node.js instantiates the same
# module synchronously for Node), then wasm-opt from the npm package `binaryen`.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --quiet --release --target wasm32-unknown-unknown --lib
wasm-bindgen --target web --out-dir pkg --out-name refer_sim \
  target/wasm32-unknown-unknown/release/refer_sim.wasm
node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/refer_sim_bg.wasm -o pkg/refer_sim_bg.wasm
# wasm-bindgen declares `[Symbol.dispose]()` on every exported class; name the
# TypeScript lib that declares it, so consumers type-check with their default lib
# (es2022 has no Symbol.dispose and tsc --strict would fail inside our .d.ts).
if ! head -n1 pkg/refer_sim.d.ts | grep -q 'reference lib="esnext.disposable"'; then
  printf '/// <reference lib="esnext.disposable" />\n%s\n' "$(cat pkg/refer_sim.d.ts)" > pkg/refer_sim.d.ts
fi
printf 'built pkg/: refer_sim_bg.wasm %s bytes (%s gzipped)\n' \
  "$(wc -c < pkg/refer_sim_bg.wasm)" "$(gzip -9c pkg/refer_sim_bg.wasm | wc -c)"
