// Refer-To parsing speed of the built package against the JS peers a user would otherwise
// pick, measured in the same run on the same inputs (best, median, sustained: scripts/bench_lib.mjs).
// Printed, never asserted. Run with `make bench` (which builds pkg/ first).
// REFER_SIM_BASELINE=/path/to/another/pkg/dist/node.js (pkg/node.js in a build older than the pack step) adds that build's parseReferTo as one more row.
import { readFileSync } from "node:fs";
import JsSIP from "jssip";
import { Grammar } from "sip.js";
import { parseReferTo } from "refer-sim";
import { measure, report, settings } from "./bench_lib.mjs";

const baseline = process.env.REFER_SIM_BASELINE ? await import(process.env.REFER_SIM_BASELINE) : null;
const { inputs } = JSON.parse(readFileSync(new URL("../bench/refer_to_inputs.json", import.meta.url)));

const peers = [
  ["refer-sim parseReferTo (WASM)", (s) => parseReferTo(s)],
  ["JsSIP NameAddrHeader.parse", (s) => JsSIP.NameAddrHeader.parse(s)],
  ["sip.js Grammar.nameAddrHeaderParse", (s) => Grammar.nameAddrHeaderParse(s)],
  ...(baseline ? [["refer-sim parseReferTo (REFER_SIM_BASELINE)", (s) => baseline.parseReferTo(s)]] : []),
];
for (const [name, fn] of peers) for (const s of inputs) if (!fn(s)) throw new Error(`${name} failed to parse ${s}`);

console.log(`Refer-To parsing, ${inputs.length} inputs (bench/refer_to_inputs.json); ${settings}`);
report("parse", "parses/s", measure(inputs, peers));
