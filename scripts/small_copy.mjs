// Small `memory.copy`s as loads and stores (scripts/build.sh, the simulator's module only).
//
// V8 (Node 20's 11.3 and Chrome's of the same age) runs every `memory.copy` through a call into
// C++ (`memory_copy_wrapper`, then glibc's `memmove`): about 60 instructions with the call's set-up
// however few the bytes. The module makes about 520 a `simulate` call, most of 8 to 128 bytes
// (strings pushed, values moved; rustc at opt-level "s" leaves even an 8-byte move of unknown
// alignment to `memory.copy`). Each `memory.copy` becomes a call of one function of the module,
// `$refer_sim_small_copy`, which copies up to 64 bytes as up to eight 8-byte words read before any
// is written (so overlapping blocks copy as `memory.copy` does), 65 to 256 bytes 32 at a time when
// the target does not start inside the source, and leaves the rest to `memory.copy`. README,
// "Thirteenth round (WASM/native)", for the figures.
//
//   node scripts/small_copy.mjs IN.wasm OUT.wasm     (wasm-dis, the rewrite, wasm-as)
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const FEATURES = [
  "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals",
  "--enable-reference-types", "--enable-multivalue",
];

const name = "$refer_sim_small_copy";
// `$s + $n - k` and `$d + $n - k`: the source's and the target's last k bytes.
const S = (k) => `(i32.sub (i32.add (local.get $s) (local.get $n)) (i32.const ${k}))`;
const D = (k) => `(i32.sub (i32.add (local.get $d) (local.get $n)) (i32.const ${k}))`;
const load = (local, at, offset = 0) => `(local.set $${local} (i64.load${offset ? ` offset=${offset}` : ""} align=1 ${at}))`;
const store = (at, local, offset = 0) => `(i64.store${offset ? ` offset=${offset}` : ""} align=1 ${at} (local.get $${local}))`;
const head = (names) => names.map((l, k) => load(l, "(local.get $s)", 8 * k)).join("\n    ");
const headStore = (names) => names.map((l, k) => store("(local.get $d)", l, 8 * k)).join("\n    ");

/** The helper: `memory.copy`'s semantics (overlap included) for every `$n`. */
export const helper = `
 (func ${name} (param $d i32) (param $s i32) (param $n i32)
  (local $a i64) (local $b i64) (local $c i64) (local $e i64) (local $f i64) (local $g i64) (local $h i64) (local $k i64)
  (local $x i32) (local $y i32) (local $z i32) (local $i i32)
  (if (i32.le_u (local.get $n) (i32.const 16))
   (then
    (if (i32.ge_u (local.get $n) (i32.const 8))
     (then
      ${load("a", "(local.get $s)")}
      ${load("b", S(8))}
      ${store("(local.get $d)", "a")}
      ${store(D(8), "b")}
      (return)))
    (if (i32.ge_u (local.get $n) (i32.const 4))
     (then
      (local.set $x (i32.load align=1 (local.get $s)))
      (local.set $y (i32.load align=1 ${S(4)}))
      (i32.store align=1 (local.get $d) (local.get $x))
      (i32.store align=1 ${D(4)} (local.get $y))
      (return)))
    (if (local.get $n)
     (then
      ;; 1 to 3 bytes: the first, the middle one and the last (some of them the same).
      (local.set $x (i32.load8_u (local.get $s)))
      (local.set $y (i32.load8_u (i32.add (local.get $s) (i32.shr_u (local.get $n) (i32.const 1)))))
      (local.set $z (i32.load8_u ${S(1)}))
      (i32.store8 (local.get $d) (local.get $x))
      (i32.store8 (i32.add (local.get $d) (i32.shr_u (local.get $n) (i32.const 1))) (local.get $y))
      (i32.store8 ${D(1)} (local.get $z))))
    (return)))
  (if (i32.le_u (local.get $n) (i32.const 32))
   (then
    ${load("a", "(local.get $s)")}
    ${load("b", "(local.get $s)", 8)}
    ${load("c", S(16))}
    ${load("e", S(8))}
    ${store("(local.get $d)", "a")}
    ${store("(local.get $d)", "b", 8)}
    ${store(D(16), "c")}
    ${store(D(8), "e")}
    (return)))
  ;; Over 32 bytes: the last 32 first (read before anything is written).
  ${load("c", S(32))}
  ${load("e", S(24))}
  ${load("f", S(16))}
  ${load("g", S(8))}
  (if (i32.le_u (local.get $n) (i32.const 64))
   (then
    ${head(["a", "b", "h", "k"])}
    ${headStore(["a", "b", "h", "k"])}
    ${store(D(32), "c")}
    ${store(D(24), "e")}
    ${store(D(16), "f")}
    ${store(D(8), "g")}
    (return)))
  ;; Over 256 bytes, or a target that starts inside the source (a forward copy would overwrite
  ;; bytes not yet read): memory.copy. Else 32 bytes a step forward, then the last 32.
  (if (i32.or (i32.gt_u (local.get $n) (i32.const 256)) (i32.lt_u (i32.sub (local.get $d) (local.get $s)) (local.get $n)))
   (then (memory.copy (local.get $d) (local.get $s) (local.get $n)) (return)))
  (local.set $i (i32.sub (local.get $n) (i32.const 32)))
  (loop $step
   ${head(["a", "b", "h", "k"])}
   ${headStore(["a", "b", "h", "k"])}
   (local.set $s (i32.add (local.get $s) (i32.const 32)))
   (local.set $d (i32.add (local.get $d) (i32.const 32)))
   (br_if $step (i32.gt_s (local.tee $i (i32.sub (local.get $i) (i32.const 32))) (i32.const 0))))
  ;; $i is in -31..0: the target's last 32 bytes start at $d + $i.
  (local.set $d (i32.add (local.get $d) (local.get $i)))
  ${store("(local.get $d)", "c")}
  ${store("(local.get $d)", "e", 8)}
  ${store("(local.get $d)", "f", 16)}
  ${store("(local.get $d)", "g", 24)}
 )
`;

/** `wat` (wasm-dis's folded text of a module) with each `memory.copy` a call of the helper, which
 * it gains; and how many it replaced. */
export function rewrite(wat) {
  if (wat.includes(name)) throw new Error(`small_copy: ${name} is already in the module`);
  let count = 0;
  const out = wat.replace(/\(memory\.copy\n/g, () => (count++, `(call ${name}\n`));
  // Any other spelling (a named memory, operands on one line) would be left as it is: refuse.
  const left = (out.match(/memory\.copy/g) ?? []).length;
  if (left !== 0) throw new Error(`small_copy: ${left} memory.copy not in wasm-dis's folded form`);
  const end = out.lastIndexOf(")");
  return { wat: `${out.slice(0, end)}${helper}${out.slice(end)}`, count };
}

/** `input` (a .wasm file) rewritten into `output` with binaryen's wasm-dis and wasm-as (`bin`: their directory). */
export function rewriteFile(input, output, bin = fileURLToPath(new URL("../node_modules/.bin/", import.meta.url))) {
  const dir = mkdtempSync(join(tmpdir(), "small-copy-"));
  try {
    const wat = join(dir, "in.wat");
    execFileSync(join(bin, "wasm-dis"), [...FEATURES, input, "-o", wat]);
    const { wat: text, count } = rewrite(readFileSync(wat, "utf8"));
    writeFileSync(wat, text);
    execFileSync(join(bin, "wasm-as"), [...FEATURES, wat, "-o", output]);
    return count;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) throw new Error("usage: node scripts/small_copy.mjs IN.wasm OUT.wasm");
  console.log(`small_copy: ${rewriteFile(input, output)} memory.copy now ${name}`);
}
