// Instructions per `simulate` call through WASM in Node, counted by callgrind around the measured
// calls only: repeatable within about 0.2% on a loaded machine, where CPU time moves by 5-10%.
// The process runs uninstrumented (fast) through start-up and 3,000 warm-up calls (the module and
// the JS tiered up), turns callgrind's instrumentation on for CALLS calls (840 by default), then
// off; callgrind's "Collected" divided by CALLS is the figure. Printed, never asserted.
//
//   valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file --callgrind-out-file=/dev/null \
//     node scripts/simulate_icount.mjs [PKG_DIR]        # e.g. /work/baseline2/pkg; default: pkg/
//
// NEW=1: every call a scenario the module has not seen lately (the catalogue's scenarios with
// 1-97 spaces after their initialTwiml, as scripts/bench_transfer.mjs's second table).
// READ=1: every call also reads each step's SIP messages (`simulate` without onWebhook runs
// without them and makes them on their first read: scripts/bench_transfer.mjs's "+ every step's
// messages read"); READ=steps: every call reads the timeline's steps (decoded on first read) but not their
// messages; without READ, neither is read.
// STAGE=module: only the module's call of a light run on the scenario's JSON text (running it, writing the
// result, the string out); STAGE=decode: only decoding that result (pkg/decode.js, the messages' accessor in place).
// WARMUP=N: N warm-up calls instead of 3,000. V8 moves the module's functions from its baseline compiler
// (Liftoff) to TurboFan over many calls, and compiles them during the measured calls too: after 3,000 the
// count still holds some of both (`node --no-liftoff` and WARMUP=30000 give the same figure, 9% lower).
// Without valgrind it only runs the calls (callgrind_control finds no process to switch).
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { shippedDir } from "./pkg_dir.mjs";

const dir = shippedDir(process.argv[2]);
const { simulate, scenarios } = await import(pathToFileURL(resolve(dir, "node.js")).href);
const base = scenarios().map((e) => e.scenario);
const list = [];
if (process.env.NEW) {
  for (let k = 1; k <= 97; k++) for (const s of base) list.push({ ...s, initialTwiml: `${s.initialTwiml}${" ".repeat(k)}` });
} else {
  list.push(...base);
}
const calls = Number(process.env.CALLS ?? 840);
const stage = process.env.STAGE;
const glue = stage ? await import(pathToFileURL(resolve(dir, "refer_sim.js")).href) : null;
const { decodeTimeline } = stage ? await import(pathToFileURL(resolve(dir, "decode.js")).href) : {};
const texts = new Map(list.map((s) => [s, JSON.stringify(s)]));
const results = new Map(stage === "decode" ? list.map((s) => [s, glue.simulate(texts.get(s), undefined, true, true)]) : []);
const accessor = { get() { return []; }, enumerable: true, configurable: true };
const run = stage === "module"
  ? (s) => glue.simulate(texts.get(s), undefined, true, true)
  : stage === "decode"
  ? (s) => decodeTimeline(results.get(s), accessor)
  : process.env.READ === "steps"
  ? (s) => simulate(s).steps
  : process.env.READ
  ? (s) => {
      for (const step of simulate(s).steps) step.messages;
    }
  : simulate;
const warmup = Number(process.env.WARMUP ?? 3000);
for (let i = 0; i < warmup; i++) run(list[i % list.length]);
const instrument = (on) => {
  try {
    execFileSync("callgrind_control", ["-i", on, String(process.pid)], { stdio: "ignore" });
  } catch {
    // No callgrind_control: the calls still run, uncounted.
  }
};
instrument("on");
for (let i = 0; i < calls; i++) run(list[i % list.length]);
instrument("off");
const how = `${stage ? `, stage ${stage}` : ""}${process.env.NEW ? ", every scenario new" : ""}${process.env.READ === "steps" ? ", steps read" : process.env.READ ? ", every step's messages read" : ""}`;
console.log(`${dir}: ${calls} calls${how}; instructions per call = callgrind's Collected / ${calls}`);
