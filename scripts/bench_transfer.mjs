// Catalogue scenarios simulated per second through WASM in Node (best, median, sustained:
// scripts/bench_lib.mjs), and the native figure from the same run (examples/bench_transfer.rs),
// with the ratio on the medians. Printed, never asserted: `make bench`.
//
// BENCH_BASELINE=dir (a copy of an earlier build's pkg/, and optionally its bench_transfer
// binary as dir/bench_transfer) adds that build's figures to the same run, its rounds
// alternating with this build's: before and after, measured alike on a busy machine.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { simulate, scenarios } from "refer-sim";
import { measure, report, settings } from "./bench_lib.mjs";

const list = scenarios().map((e) => e.scenario);
const steps = list.reduce((n, s) => n + simulate(s).steps.length, 0);
const baseline = process.env.BENCH_BASELINE;

const nativeRun = (bin) =>
  bin
    ? execFileSync(bin).toString()
    : execFileSync("cargo", ["run", "--quiet", "--release", "--example", "bench_transfer"], {
        cwd: new URL("..", import.meta.url),
      }).toString();
const out = nativeRun();
const native = Number(out.match(/simulate\s+\d+\s+(\d+)/)[1]);
console.log(out.trim());
if (baseline && existsSync(`${baseline}/bench_transfer`)) {
  console.log(`baseline (${baseline}):`);
  console.log(nativeRun(`${baseline}/bench_transfer`).trim());
}
console.log(`WASM: ${list.length} catalogue scenarios, ${steps} steps in all; ${settings}`);
const entries = [["refer-sim simulate (WASM, timeline to JS)", (s) => simulate(s)]];
if (baseline) {
  const before = await import(`${baseline}/pkg/node.js`);
  entries.push(["baseline simulate (WASM, timeline to JS)", (s) => before.simulate(s)]);
}
const [wasm, ...rest] = measure(list, entries);
report("simulate", "scenarios/s", [wasm, ...rest]);
console.log(`  WASM / native (medians)                  ${(wasm.median / native).toFixed(2).padStart(11)}x`);
