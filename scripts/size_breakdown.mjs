// Where the module's bytes go: builds a copy of the release module that keeps function names
// (`wasm-bindgen --keep-debug`, then the same `wasm-opt` flags as scripts/build.sh with `-g`), then
// sums each function body's size by crate or part of the crate, plus the data section.
// Usage: node scripts/size_breakdown.mjs [target dir, default target] (after a release build:
// `bash scripts/build.sh`, or `cargo build --profile wasm --target wasm32-unknown-unknown --lib`).
// The figures are raw bytes of the named build, which is within a few bytes of the shipped one per
// function (names and debug sections are left out of the sums); the gzipped column compresses the
// concatenated bodies of each group alone, so it only ranks groups (gzip shares context across them).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const target = process.argv[2] ?? "target";
const out = process.env.KEEP ?? mkdtempSync(join(tmpdir(), "refer-sim-size-"));
const keep = process.env.KEEP;
if (!keep) execFileSync("wasm-bindgen", ["--target", "web", "--keep-debug", "--out-dir", out, "--out-name", "m", `${target}/wasm32-unknown-unknown/wasm/refer_sim.wasm`]);
// WASM_OPT_EXTRA="-ocimfs=30" adds wasm-opt flags to the named build (a trial: README, "Size budget").
const extra = (process.env.WASM_OPT_EXTRA ?? "").split(" ").filter(Boolean);
const features = ["--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue"];
if (!keep) execFileSync("node_modules/.bin/wasm-opt", ["-Oz", "--converge", "--low-memory-unused", "--strip-producers", "--strip-target-features", ...extra, "-g", ...features, join(out, "m_bg.wasm"), "-o", join(out, "named.wasm")]);
const bytes = readFileSync(join(out, "named.wasm"));
// KEEP=dir reads a named build kept there (a before/after comparison); otherwise the copy is removed.
if (!keep) rmSync(out, { recursive: true });

let p = 8;
const leb = () => {
  let result = 0, shift = 0, b;
  do {
    b = bytes[p++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return result;
};
const text = () => {
  const n = leb();
  const s = bytes.toString("utf8", p, p + n);
  p += n;
  return s;
};

let importedFunctions = 0;
const bodies = []; // [start, end] of each defined function's body
const names = new Map();
let data = [0, 0];
const sectionSizes = {};
while (p < bytes.length) {
  const id = bytes[p++];
  const size = leb();
  const end = p + size;
  if (id === 2) {
    for (let n = leb(); n > 0; n--) {
      text();
      text();
      const kind = bytes[p++];
      if (kind === 0) {
        importedFunctions++;
        leb();
      } else break; // only functions are imported by this module; stop at anything else
    }
  } else if (id === 10) {
    for (let n = leb(); n > 0; n--) {
      const len = leb();
      bodies.push([p, p + len]);
      p += len;
    }
  } else if (id === 11) {
    data = [p, end];
  } else if (id === 0) {
    const name = text();
    if (name === "name") {
      while (p < end) {
        const sub = bytes[p++];
        const subSize = leb();
        const subEnd = p + subSize;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            names.set(index, text());
          }
        }
        p = subEnd;
      }
    }
    sectionSizes[`custom ${name}`] = size;
  }
  if (id !== 0) sectionSizes[id] = size;
  p = end;
}

// First rule that matches a function's name wins.
const RULES = [
  ["float formatting (core::fmt::float, flt2dec, dec2flt)", /flt2dec|dec2flt|fmt::float|f(64|32) as core(\[\w+\])?::fmt|grisu|dragon/],
  ["serde_json", /serde_json/],
  ["scenario reading (src/scenario/input.rs, input/read.rs or the derived Deserialize)", /scenario::input|serde::de|serde::__private|Deserialize|Visitor/],
  ["serde (other)", /serde/],
  ["quick-xml", /quick_xml/],
  ["parsers, checks, builder (src/sip, src/twiml)", /refer_sim::(sip|twiml|span)/],
  ["simulator (src/transfer, src/scenario)", /refer_sim::(transfer|scenario|provenance)/],
  ["boundary (src/wasm)", /refer_sim::wasm/],
  ["core::fmt", /core(\[\w+\])?::fmt/],
  ["unicode tables", /unicode/],
  ["allocator (dlmalloc)", /talc|dlmalloc|__rdl_|__rg_|__rust_(alloc|dealloc|realloc)/],
  ["core, alloc, std", /^<?&?(mut )?(core|alloc|std|hashbrown)(\[\w+\])?::|<(core|alloc|std)(\[\w+\])?::|^<(char|str|\[\w+\]|u\d+|i\d+|usize)/],
  ["wasm-bindgen, js-sys, externref export shims (parsers inlined)", /wasm_bindgen|js_sys|__wbg|__wbindgen|externref/],
  ["percent-encoding", /percent_encoding/],
  ["other refer_sim", /refer_sim/],
];
const groups = new Map();
const add = (group, name, start, end) => {
  const g = groups.get(group) ?? { size: 0, parts: [], top: [] };
  g.size += end - start;
  g.parts.push(bytes.subarray(start, end));
  g.top.push([end - start, name]);
  groups.set(group, g);
};
bodies.forEach(([start, end], i) => {
  const name = names.get(importedFunctions + i) ?? `func ${importedFunctions + i}`;
  const rule = RULES.find(([, re]) => re.test(name));
  add(rule ? rule[0] : "other export shims, memchr, unnamed", name, start, end);
});
add("data section (catalogue JSON, texts, tables)", "data", data[0], data[1]);

let total = 0;
const rows = [...groups].sort((a, b) => b[1].size - a[1].size);
console.log(`module ${target}: ${bytes.length} B with names; code ${sectionSizes[10]} B, data ${sectionSizes[11]} B`);
for (const [group, g] of rows) {
  total += g.size;
  console.log(`${String(g.size).padStart(8)} B raw ${String(gzipSync(Buffer.concat(g.parts), { level: 9 }).length).padStart(7)} B gz alone  ${group}`);
}
console.log(`${String(total).padStart(8)} B in function bodies and data`);
if (process.env.TOP) {
  const only = process.env.GROUP;
  const all = rows.filter(([group]) => !only || group.startsWith(only)).flatMap(([group, g]) => g.top.map(([s, n]) => [s, n, group]));
  all.sort((a, b) => b[0] - a[0]);
  for (const [s, n] of all.slice(0, Number(process.env.TOP))) console.log(`${String(s).padStart(7)} ${n.slice(0, 160)}`);
}

// The data section by kind: the embedded catalogue (src/scenario/catalogue.json, stored verbatim),
// source paths of panic locations (`….rs`), other text (runs of 4+ printable bytes: narration,
// messages, names) and the rest (tables, numbers, padding). Raw bytes and gzipped alone.
{
  p = data[0];
  const segments = [];
  for (let n = leb(); n > 0; n--) {
    const flags = leb();
    if (flags === 0) {
      while (bytes[p++] !== 0x0b); // the offset expression (i32.const N, end)
    } else if (flags === 2) {
      leb();
      while (bytes[p++] !== 0x0b);
    }
    const len = leb();
    segments.push(bytes.subarray(p, p + len));
    p += len;
  }
  let rest = Buffer.concat(segments);
  const kinds = [];
  const catalogue = readFileSync(new URL("../src/scenario/catalogue.json", import.meta.url));
  const at = rest.indexOf(catalogue);
  if (at >= 0) {
    kinds.push(["catalogue JSON (src/scenario/catalogue.json)", [catalogue]]);
    rest = Buffer.concat([rest.subarray(0, at), rest.subarray(at + catalogue.length)]);
  }
  const text = rest.toString("latin1");
  const paths = [], texts = [], other = [];
  let last = 0;
  for (const m of text.matchAll(/[\x20-\x7e\x80-\xff\n\t]{4,}/g)) {
    other.push(rest.subarray(last, m.index));
    last = m.index + m[0].length;
    // A panic location's file: a path ending in .rs (registry, toolchain or crate sources).
    const run = m[0];
    let from = 0;
    for (const f of run.matchAll(/(?:\/[\w.@-]+)*\/?(?:[\w.@-]+\/)+[\w.-]+\.rs|src\/[\w/.-]+\.rs/g)) {
      texts.push(Buffer.from(run.slice(from, f.index), "latin1"));
      paths.push(Buffer.from(f[0], "latin1"));
      from = f.index + f[0].length;
    }
    texts.push(Buffer.from(run.slice(from), "latin1"));
  }
  other.push(rest.subarray(last));
  kinds.push(["panic location paths (….rs)", paths], ["other text (narration, messages, names)", texts], ["tables, numbers, padding", other]);
  console.log(`data section by kind (${segments.length} segments):`);
  for (const [kind, parts] of kinds) {
    const all = Buffer.concat(parts);
    console.log(`${String(all.length).padStart(8)} B raw ${String(gzipSync(all, { level: 9 }).length).padStart(7)} B gz alone  ${kind}`);
  }
}
