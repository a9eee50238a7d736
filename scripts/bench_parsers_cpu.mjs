// parseReferTo and parseTwiml against their JS peers in CPU time per call (process.cpuUsage: every
// thread of this process, so garbage collection counts), not wall time: on a loaded shared machine
// wall-clock rounds (scripts/bench.mjs, scripts/bench_twiml.mjs) move 2x between runs, CPU time far
// less. 15 alternating rounds of 150 ms per function; the median of each. Printed, never asserted.
// REFER_SIM_BASELINE=/path/to/another/pkg/dist/node.js (pkg/node.js in a build older than the pack step) adds that build as a row ("baseline").
//   node scripts/bench_parsers_cpu.mjs
import { readFileSync } from "node:fs";
import JsSIP from "jssip";
import { XMLParser } from "fast-xml-parser";
import { parseReferTo, parseTwiml } from "refer-sim";
import { cpu } from "./bench_lib.mjs";

const baseline = process.env.REFER_SIM_BASELINE ? await import(process.env.REFER_SIM_BASELINE) : null;
const { inputs } = JSON.parse(readFileSync(new URL("../bench/refer_to_inputs.json", import.meta.url)));
const docs = JSON.parse(readFileSync(new URL("../tests/data/twiml_corpus.json", import.meta.url))).cases.map((c) => c.xml);
const fxp = new XMLParser({ ignoreAttributes: false, preserveOrder: true });

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const [title, items, entries] of [
  ["Refer-To", inputs, [["refer-sim parseReferTo", parseReferTo], ["JsSIP NameAddrHeader.parse", (s) => JsSIP.NameAddrHeader.parse(s)],
    ...(baseline ? [["baseline parseReferTo", baseline.parseReferTo]] : [])]],
  ["TwiML", docs, [["refer-sim parseTwiml", parseTwiml], ["fast-xml-parser XMLParser.parse", (d) => fxp.parse(d)],
    ...(baseline ? [["baseline parseTwiml", baseline.parseTwiml]] : [])]],
]) {
  for (const [, fn] of entries) for (let k = 0; k < 3000; k++) fn(items[k % items.length]);
  const rounds = entries.map(() => []);
  for (let r = 0; r < 15; r++) entries.forEach(([, fn], k) => rounds[k].push(cpu(items, fn)));
  const [ours, ...others] = rounds.map(median);
  console.log(`${title}: ${entries[0][0]} ${ours.toFixed(2)} µs CPU per call`);
  others.forEach((t, k) => console.log(`  ${entries[k + 1][0].padEnd(32)} ${t.toFixed(2)} µs: refer-sim is ${(t / ours).toFixed(2)}x this`));
}
