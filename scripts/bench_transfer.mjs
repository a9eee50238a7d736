// Catalogue scenarios simulated per second through WASM in Node, and the
// native figure from the same run (examples/bench_transfer.rs), as a ratio.
// Printed, never asserted: `make bench`.
import { execFileSync } from "node:child_process";
import { simulate, scenarios } from "refer-sim";

const list = scenarios().map((e) => e.scenario);
const steps = list.reduce((n, s) => n + simulate(s).steps.length, 0);

function measure(fn, ms = 1500) {
  for (let i = 0; i < 50; i++) fn();
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    fn();
    n++;
  }
  return (n * 1000) / (performance.now() - start);
}

const wasm = measure(() => { for (const s of list) simulate(s); }) * list.length;
const out = execFileSync("cargo", ["run", "--quiet", "--release", "--example", "bench_transfer"], {
  cwd: new URL("..", import.meta.url),
}).toString();
const native = Number(out.match(/simulate\s+(\d+)/)[1]);
console.log(out.trim());
console.log(`WASM in Node ${process.version}: ${list.length} catalogue scenarios, ${steps} steps in all`);
console.log(`  simulate (timeline to JS objects)        ${wasm.toFixed(0).padStart(12)} scenarios/s`);
console.log(`  WASM / native                            ${(wasm / native).toFixed(2).padStart(12)}x`);
