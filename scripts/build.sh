#!/usr/bin/env bash
# Builds the npm package into pkg/dist/, what pkg/package.json points at and `npm pack` ships:
# the wasm32 build of the crate (Cargo.toml's `wasm` profile: release at opt-level "s"), wasm-bindgen's ES-module glue (--target web;
# pkg/node.js instantiates the same module synchronously for Node), wasm-opt from the npm
# package `binaryen`, then every hand-written pkg/*.js without its comments and indentation
# (scripts/pack_js.mjs; the sources in pkg/ keep them, pkg/dist/ is not committed).
set -euo pipefail
cd "$(dirname "$0")/.."

# Two modules: the whole crate (pkg/dist/refer_sim*, entry index.js) and the parsers and builder
# without the simulator (pkg/dist/refer_sim_parsers*, entry parsers.js; its own target directory,
# so neither build invalidates the other's cache).
# The two builds run at the same time: each ends in a single-threaded LTO step (codegen-units = 1), and
# the other build fills the second core meanwhile. Both must succeed.
cargo build --quiet --profile wasm --target wasm32-unknown-unknown --lib &
full=$!
CARGO_TARGET_DIR=target/parsers cargo build --quiet --profile wasm --target wasm32-unknown-unknown --lib --no-default-features &
parsers=$!
rc=0
wait "$full" || rc=$?
wait "$parsers" || rc=$?
[ "$rc" = 0 ] || { echo "build.sh: cargo build failed" >&2; exit "$rc"; }
# --strip-producers --strip-target-features (below): the two custom sections (260 B) name the
# compiler and the features; no runtime reads them (the package -192 B gzipped). -ocimfs=N (keep
# one-caller functions over N size units out of line) saves 1.6-6.7 KB gzipped but costs the
# parse paths 2-4% and `simulate` 2-7% in CPU time: not taken (README, "Size budget").
# wasm-bindgen and wasm-opt for both modules at the same time (each writes its own pkg/dist/<name>* files).
# pkg/dist/ is made anew; the glue and modules that builds before it wrote into pkg/ itself go too.
rm -rf pkg/dist pkg/refer_sim.js pkg/refer_sim_bg.wasm pkg/refer_sim*.d.ts pkg/refer_sim_parsers* pkg/snippets
bindgen_and_opt() {
  local module=$1 name=${1%%:*}
  # src/wasm/mem.rs's memcmp and bcmp are #[no_mangle], which rustc exports: not to the package.
  mkdir -p pkg/dist
  node scripts/unexport.mjs "${module#*:}/wasm32-unknown-unknown/wasm/refer_sim.wasm" "pkg/dist/${name}_in.wasm" memcmp bcmp
  wasm-bindgen --target web --out-dir pkg/dist --out-name "$name" "pkg/dist/${name}_in.wasm"
  rm "pkg/dist/${name}_in.wasm"
  # -Oz --converge: -Oz again until the module stops shrinking (-0.34 KB gzipped of refer_sim,
  # -0.26 KB of refer_sim_parsers). --low-memory-unused lets wasm-opt fold `p + C` (C < 1024)
  # into the load or store's offset (-1.66 / -0.49 KB more; binaryen's pass says it is "almost
  # always beneficial for speed"). The two differ only when p + C wraps past 4 GiB, which no
  # Rust pointer does (pointer arithmetic may not wrap, and the memory stays far below 4 GiB);
  # Rust's stack sits below 1 MiB but its accesses never wrap, so using the low 1 KiB is fine.
  # Measured in the README, "Size budget" (scripts/bench_ab_cpu.mjs for the speed).
  node_modules/.bin/wasm-opt -Oz --converge --low-memory-unused --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "pkg/dist/${name}_bg.wasm" -o "pkg/dist/${name}_bg.wasm"
}
bindgen_and_opt refer_sim:target &
full=$!
bindgen_and_opt refer_sim_parsers:target/parsers &
parsers=$!
wait "$full" || rc=$?
wait "$parsers" || rc=$?
[ "$rc" = 0 ] || { echo "build.sh: wasm-bindgen or wasm-opt failed" >&2; exit "$rc"; }
# The glue keeps the instance in module variables and cannot start over; pkg/index.js
# (the package's entry) re-instantiates the module after a trap. Two edits make that
# sound: an export that builds a fresh instance from the compiled module, and
# finalizers that free an object only in the instance that made it (a pointer
# from a dropped instance means nothing in the new one). Each edit is checked.
for glue in refer_sim:index refer_sim_parsers:parsers; do
GLUE="pkg/dist/${glue%%:*}.js" ENTRY="pkg/${glue#*:}.js" node --input-type=module - <<'JS'
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
const path = process.env.GLUE;
let glue = readFileSync(path, "utf8");
const edit = (pattern, replacement, expected) => {
  const found = glue.match(pattern)?.length ?? 0;
  if (found !== expected) throw new Error(`build.sh: ${pattern} found ${found} times in the glue, expected ${expected}`);
  glue = glue.replace(pattern, replacement);
};
const classes = glue.match(/^const \w+Finalization = /gm)?.length ?? 0;
edit(/new FinalizationRegistry\(ptr => wasm\.(\w+)\(ptr, 1\)\)/g,
  "new FinalizationRegistry(held => { if (held.wasm === wasm) wasm.$1(held.ptr, 1); })", classes);
const registrations = glue.match(/Finalization\.register\(/g)?.length ?? 0;
edit(/(\w+Finalization)\.register\((\w+), \2\.__wbg_ptr, \2\)/g, "$1.register($2, { ptr: $2.__wbg_ptr, wasm }, $2)", registrations);
edit(/^let wasmModule, wasmInstance, wasm;$/m, "$&", 1);
// The glue's comments (wasm-bindgen copies each export's Rust docs into them; the .d.ts keeps the
// same docs for editors) and indentation go with the hand-written files' (scripts/pack_js.mjs, below).
glue += `
/** Added by scripts/build.sh for pkg/index.js: a fresh instance of the compiled module
 * (false before the first init). Objects of the old instance must not be used after. */
export function __referSimReinstantiate() {
    if (wasmModule === undefined) return false;
    __wbg_finalize_init(new WebAssembly.Instance(wasmModule, __wbg_get_imports()), wasmModule);
    return true;
}
`;
writeFileSync(path, glue);
execFileSync(process.execPath, ["--check", path]);
// The entry (pkg/index.js, pkg/parsers.js) must pass on every export of its glue (it lists them by name).
const names = (text) => [...text.matchAll(/^export (?:function|class|const) (\w+)/gm)].map((m) => m[1]);
const entry = readFileSync(process.env.ENTRY, "utf8");
const missing = names(glue).filter((n) => n !== "__referSimReinstantiate" && !names(entry).includes(n));
if (missing.length) throw new Error(`build.sh: ${process.env.ENTRY} does not export ${missing.join(", ")}`);
JS
done
# wasm-bindgen declares `[Symbol.dispose]()` on every exported class; name the
# TypeScript lib that declares it, so consumers type-check with their default lib
# (es2022 has no Symbol.dispose and tsc --strict would fail inside our .d.ts).
for dts in pkg/dist/refer_sim.d.ts pkg/dist/refer_sim_parsers.d.ts; do
  if ! head -n1 "$dts" | grep -q 'reference lib="esnext.disposable"'; then
    printf '/// <reference lib="esnext.disposable" />\n%s\n' "$(cat "$dts")" > "$dts"
  fi
done
# The shipped JavaScript: pkg/*.js (a glob: a new file needs no edit) and the glue, stripped into pkg/dist/;
# pkg/*.d.ts copied there as they are.
node scripts/pack_js.mjs
# The license texts the package names ("MIT OR Apache-2.0") go in the tarball (package.json `files`).
cp LICENSE-MIT LICENSE-APACHE pkg/
for wasm in pkg/dist/refer_sim_bg.wasm pkg/dist/refer_sim_parsers_bg.wasm; do
  printf 'built %s: %s bytes (%s gzipped)\n' "$wasm" "$(wc -c < "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
done
