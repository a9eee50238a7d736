// TwiML figures, printed (never asserted), on tests/data/twiml_corpus.json:
//   parseTwiml (refer-sim, WASM) vs fast-xml-parser's XMLParser.parse;
//   refer-sim's VoiceResponse build + toString vs twilio-node's.
// Run after `bash scripts/build.sh`:  node scripts/bench_twiml.mjs
import { readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import twilio from "twilio";
import { parseTwiml, VoiceResponse } from "refer-sim";
import { CASES } from "../tests/js/gen/twiml_cases.mjs";

const corpus = JSON.parse(readFileSync(new URL("../tests/data/twiml_corpus.json", import.meta.url))).cases;
const docs = corpus.map((c) => c.xml);

function rate(items, fn, ms) {
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    for (const x of items) fn(x);
    n += items.length;
  }
  return (n * 1000) / (performance.now() - start);
}

/** Rates of `fns` on `items`: warmed up, then measured in alternating rounds
 * (so a busy machine slows both alike); the best round of each is kept. */
function rates(items, fns, rounds = 7, ms = 250) {
  for (const fn of fns) for (let i = 0; i < 3000; i++) fn(items[i % items.length]);
  const best = fns.map(() => 0);
  for (let r = 0; r < rounds; r++) fns.forEach((fn, i) => (best[i] = Math.max(best[i], rate(items, fn, ms))));
  return best;
}

// Each pair is measured in alternating rounds of this run, and the ratio is computed from
// those two figures only (never against numbers from another run or machine).
function pair(title, unit, [oursName, oursFn], [theirsName, theirsFn], items) {
  const [ours, theirs] = rates(items, [oursFn, theirsFn]);
  console.log(title);
  console.log(`  ${oursName.padEnd(38)} ${Math.round(ours).toLocaleString("en-US").padStart(12)} ${unit}`);
  console.log(`  ${theirsName.padEnd(38)} ${Math.round(theirs).toLocaleString("en-US").padStart(12)} ${unit}  refer-sim is ${(ours / theirs).toFixed(2)}x this`);
}

console.log(`TwiML, ${docs.length} documents (tests/data/twiml_corpus.json), ${CASES.length} builder scenarios, Node ${process.version}`);
const fxp = new XMLParser({ ignoreAttributes: false, preserveOrder: true });
pair("parse", "docs/s", ["refer-sim parseTwiml (WASM)", (d) => parseTwiml(d)], ["fast-xml-parser XMLParser.parse", (d) => fxp.parse(d)], docs);

const fns = CASES.map(([, fn]) => fn);
pair(
  "build + toString",
  "docs/s",
  ["refer-sim VoiceResponse (WASM)", (fn) => { const r = new VoiceResponse(); fn(r); r.toString(); }],
  ["twilio-node twiml.VoiceResponse", (fn) => { const r = new twilio.twiml.VoiceResponse(); fn(r); r.toString(); }],
  fns,
);
