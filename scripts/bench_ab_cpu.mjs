// CPU time per call of two builds of the package in one Node process (process.cpuUsage, so a busy
// machine's waiting is not counted; rounds alternate between the builds and the order of each pair
// swaps every round). Paths: `simulate` over the catalogue, `new Simulation(scenario)`,
// `parseReferTo` (bench inputs), `parseTwiml` (the TwiML corpus). Printed, never asserted.
//   node scripts/bench_ab_cpu.mjs BEFORE_PKG_DIR [AFTER_PKG_DIR, default pkg/]
// AB_ROUNDS (default 21) and AB_ROUND_MS (default 150) override the rounds.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { cpu } from "./bench_lib.mjs";
import { shippedDir } from "./pkg_dir.mjs";

const [beforeDir, afterDir = new URL("../pkg/", import.meta.url).pathname] = process.argv.slice(2);
if (!beforeDir) throw new Error("usage: node scripts/bench_ab_cpu.mjs BEFORE_PKG_DIR [AFTER_PKG_DIR]");
const ROUNDS = Number(process.env.AB_ROUNDS ?? 21);
const ROUND_MS = Number(process.env.AB_ROUND_MS ?? 150);
const before = await import(pathToFileURL(resolve(shippedDir(beforeDir), "node.js")).href);
const after = await import(pathToFileURL(resolve(shippedDir(afterDir), "node.js")).href);
const list = after.scenarios().map((e) => e.scenario);
const { inputs } = JSON.parse(readFileSync(new URL("../bench/refer_to_inputs.json", import.meta.url)));
const docs = JSON.parse(readFileSync(new URL("../tests/data/twiml_corpus.json", import.meta.url))).cases.map((c) => c.xml);

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

console.log(`before: ${beforeDir}, after: ${afterDir}; ${ROUNDS} alternating rounds of ${ROUND_MS} ms, CPU µs per call (median), Node ${process.version}`);
for (const [title, items, fn] of [
  ["simulate (catalogue)", list, (m) => (s) => m.simulate(s)],
  ["new Simulation(scenario)", list, (m) => (s) => new m.Simulation(s).free()],
  ["parseReferTo", inputs, (m) => (s) => m.parseReferTo(s)],
  ["parseTwiml (corpus)", docs, (m) => (d) => m.parseTwiml(d)],
]) {
  const fns = [fn(before), fn(after)];
  for (const f of fns) for (let k = 0; k < 3000; k++) f(items[k % items.length]);
  const rounds = [[], []];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? [1, 0] : [0, 1];
    for (const k of order) rounds[k].push(cpu(items, fns[k], ROUND_MS));
  }
  const [b, a] = rounds.map(median);
  console.log(`${title.padEnd(26)} before ${b.toFixed(3).padStart(9)}  after ${a.toFixed(3).padStart(9)}  ${(((a - b) / b) * 100).toFixed(1).padStart(6)}%`);
}
