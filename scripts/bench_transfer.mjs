// Catalogue scenarios simulated per second through WASM in Node (best, median, sustained:
// scripts/bench_lib.mjs), and the native figure from the same run (examples/bench_transfer.rs),
// with the ratio on the medians. Printed, never asserted: `make bench`.
//
// BENCH_BASELINE=dir (a copy of an earlier build's pkg/, and optionally its bench_transfer
// binary as dir/bench_transfer) adds that build's figures to the same run, its rounds
// alternating with this build's: before and after, measured alike on a busy machine.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { simulate, scenarios } from "refer-sim";
import { measure, report, settings } from "./bench_lib.mjs";
import { shippedDir } from "./pkg_dir.mjs";

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
const before = baseline ? await import(pathToFileURL(resolve(shippedDir(`${baseline}/pkg`), "node.js")).href) : null;
/** Measures `simulate` over `items`, this build and the baseline's, and prints the rows and the ratio to native.
 * `simulate` decodes the steps, and makes their SIP messages, on their first read: its rows with neither read, the steps read,
 * and with every step's read (which runs the scenario again, with them), and with `messages: "now"` (made during the run). */
function simulateRows(title, items, what) {
  const entries = [
    [`refer-sim simulate${what}, messages not read`, (s) => simulate(s)],
    [`refer-sim simulate${what} + steps read, not their messages`, (s) => simulate(s).steps],
    [
      `refer-sim simulate${what} + every step's messages read`,
      (s) => {
        for (const step of simulate(s).steps) step.messages;
      },
    ],
    [
      `refer-sim simulate${what}, messages: "now", every step's read`,
      (s) => {
        for (const step of simulate(s, { messages: "now" }).steps) step.messages;
      },
    ],
  ];
  if (before) entries.push([`baseline simulate${what}`, (s) => before.simulate(s)]);
  const [ours, ...rest] = measure(items, entries);
  report(title, "scenarios/s", [ours, ...rest]);
  console.log(`  WASM / native (medians)                  ${(ours.median / native).toFixed(2).padStart(11)}x`);
}
simulateRows("simulate", list, " (WASM, timeline to JS)");

// The same scenarios, each call a scenario the module has not seen lately: 97 variants of each
// (its initialTwiml followed by 1-97 spaces, which change no step), 4,074 in all, cycled, so the
// module's cache of the last 64 prepared scenarios never holds the next one. What a user who
// explores variations gets; the figure above is a user who runs the same scenarios again.
const variants = [];
for (let k = 1; k <= 97; k++) for (const s of list) variants.push({ ...s, initialTwiml: `${s.initialTwiml}${" ".repeat(k)}` });
simulateRows("simulate, every scenario new (no prepared scenario reused)", variants, ", every scenario new");
