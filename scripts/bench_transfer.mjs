// Catalogue scenarios simulated per second through WASM in Node (best, median, sustained:
// scripts/bench_lib.mjs), and the native figure from the same run (examples/bench_transfer.rs),
// with the ratio on the medians. Printed, never asserted: `make bench`.
import { execFileSync } from "node:child_process";
import { simulate, scenarios } from "refer-sim";
import { measure, report, settings } from "./bench_lib.mjs";

const list = scenarios().map((e) => e.scenario);
const steps = list.reduce((n, s) => n + simulate(s).steps.length, 0);

const out = execFileSync("cargo", ["run", "--quiet", "--release", "--example", "bench_transfer"], {
  cwd: new URL("..", import.meta.url),
}).toString();
const native = Number(out.match(/simulate\s+\d+\s+(\d+)/)[1]);
console.log(out.trim());
console.log(`WASM: ${list.length} catalogue scenarios, ${steps} steps in all; ${settings}`);
const [wasm] = measure(list, [["refer-sim simulate (WASM, timeline to JS)", (s) => simulate(s)]]);
report("simulate", "scenarios/s", [wasm]);
console.log(`  WASM / native (medians)                  ${(wasm.median / native).toFixed(2).padStart(11)}x`);
