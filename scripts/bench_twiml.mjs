// TwiML speed of the built package against the JS peers, on tests/data/twiml_corpus.json, measured in
// the same run (best, median, sustained: scripts/bench_lib.mjs). Printed, never asserted:
//   parseTwiml (refer-sim, WASM) vs fast-xml-parser's XMLParser.parse;
//   refer-sim's VoiceResponse build + toString vs twilio-node's.
// Run after `bash scripts/build.sh`:  node scripts/bench_twiml.mjs
// REFER_SIM_BASELINE=/path/to/another/pkg/dist/node.js (pkg/node.js in a build older than the pack step) adds that build's parseTwiml as one more row, so
// a change is measured against the build before it in the same run, on the same loaded machine.
import { readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import twilio from "twilio";
import { parseTwiml, VoiceResponse } from "refer-sim";
import { CASES } from "../tests/js/gen/twiml_cases.mjs";
import { measure, report, settings } from "./bench_lib.mjs";

const baseline = process.env.REFER_SIM_BASELINE ? await import(process.env.REFER_SIM_BASELINE) : null;
const corpus = JSON.parse(readFileSync(new URL("../tests/data/twiml_corpus.json", import.meta.url))).cases;
const docs = corpus.map((c) => c.xml);

console.log(`TwiML, ${docs.length} documents (tests/data/twiml_corpus.json), ${CASES.length} builder scenarios; ${settings}`);
const fxp = new XMLParser({ ignoreAttributes: false, preserveOrder: true });
report("parse", "docs/s", measure(docs, [
  ["refer-sim parseTwiml (WASM)", (d) => parseTwiml(d)],
  ["fast-xml-parser XMLParser.parse", (d) => fxp.parse(d)],
  ...(baseline ? [["refer-sim parseTwiml (REFER_SIM_BASELINE)", (d) => baseline.parseTwiml(d)]] : []),
]));

const fns = CASES.map(([, fn]) => fn);
report("build + toString", "docs/s", measure(fns, [
  ["refer-sim VoiceResponse (WASM)", (fn) => { const r = new VoiceResponse(); fn(r); r.toString(); }],
  ["twilio-node twiml.VoiceResponse", (fn) => { const r = new twilio.twiml.VoiceResponse(); fn(r); r.toString(); }],
]));
