// scripts/small_copy.mjs turns the simulator module's `memory.copy`s into calls of a helper that
// copies small blocks with loads and stores (scripts/build.sh). The helper must leave memory as
// `memory.copy` does for every length up to past its largest special case and for every overlap
// (target before, inside or after the source, by any distance, both directions), and the rewrite
// must reach every `memory.copy` of the text or refuse.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FEATURES, rewrite } from "../../scripts/small_copy.mjs";

const bin = new URL("../../node_modules/.bin/", import.meta.url).pathname;

/** A module of one page with `bulk` (memory.copy) and `small` (the same text, rewritten). */
const module = build();
const instance = () => new WebAssembly.Instance(module).exports;

function build() {
  const copy = (fn) => ` (func (export "${fn}") (param $d i32) (param $s i32) (param $n i32)
  (memory.copy
   (local.get $d)
   (local.get $s)
   (local.get $n)
  )
 )
`;
  const { wat, count } = rewrite(`(module\n (memory (export "memory") 1)\n${copy("small")})`);
  assert.equal(count, 1);
  // `bulk` added after the rewrite: it keeps its memory.copy.
  const text = wat.replace(" (memory (export \"memory\") 1)\n", ` (memory (export "memory") 1)\n${copy("bulk")}`);
  const dir = mkdtempSync(join(tmpdir(), "small-copy-test-"));
  try {
    writeFileSync(join(dir, "m.wat"), text);
    execFileSync(join(bin, "wasm-as"), [...FEATURES, join(dir, "m.wat"), "-o", join(dir, "m.wasm")]);
    return new WebAssembly.Module(readFileSync(join(dir, "m.wasm")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the helper leaves memory as memory.copy does, every length to 300 and every overlap", () => {
  const { small, bulk, memory } = instance();
  const bytes = new Uint8Array(memory.buffer);
  const pattern = new Uint8Array(4096).map((_, i) => (i * 151 + 7) & 255);
  const want = Buffer.alloc(4096);
  const run = (fn, d, s, n) => {
    bytes.set(pattern);
    fn(d, s, n);
    return Buffer.from(memory.buffer, 0, 4096);
  };
  let cases = 0;
  for (let n = 0; n <= 300; n++) {
    // Every distance within the block and a little past it, both ways, and disjoint far copies;
    // the source at two alignments.
    const deltas = new Set([-n - 9, -n - 1, -n, n, n + 1, n + 9, 700, -700]);
    for (let k = -Math.min(n, 70); k <= Math.min(n, 70); k++) deltas.add(k);
    for (let k = 71; k < n; k += 13) deltas.add(k).add(-k);
    for (const s of [1500, 1503]) {
      for (const delta of deltas) {
        const d = s + delta;
        run(bulk, d, s, n).copy(want);
        if (!run(small, d, s, n).equals(want)) assert.fail(`copy of ${n} bytes from ${s} to ${d} differs from memory.copy`);
        cases++;
      }
    }
  }
  assert.ok(cases > 50_000, `${cases} cases`);
});

test("the helper traps where memory.copy does for a block past the memory's end", () => {
  const { small, bulk } = instance();
  for (const n of [8, 40, 100, 300]) {
    assert.throws(() => bulk(65536 - n + 1, 0, n), WebAssembly.RuntimeError);
    assert.throws(() => small(65536 - n + 1, 0, n), WebAssembly.RuntimeError);
    assert.throws(() => small(0, 65536 - n + 1, n), WebAssembly.RuntimeError);
  }
});

test("the rewrite refuses a memory.copy it would not reach", () => {
  assert.throws(() => rewrite("(module (memory 1) (func (memory.copy (i32.const 0) (i32.const 1) (i32.const 2))))"), /not in wasm-dis's folded form/);
  const { wat } = rewrite("(module)");
  assert.throws(() => rewrite(wat), /already in the module/);
});
