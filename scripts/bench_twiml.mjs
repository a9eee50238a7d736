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

function rate(items, fn, ms = 800) {
  for (let i = 0; i < 2000; i++) fn(items[i % items.length]);
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < ms) {
    for (const x of items) fn(x);
    n += items.length;
  }
  return (n * 1000) / (performance.now() - start);
}

const fxp = new XMLParser({ ignoreAttributes: false, preserveOrder: true });
const ours = rate(docs, (d) => parseTwiml(d));
const theirs = rate(docs, (d) => fxp.parse(d));
console.log(`parse: refer-sim parseTwiml ${ours.toFixed(0)} docs/s, fast-xml-parser ${theirs.toFixed(0)} docs/s, ratio ${(ours / theirs).toFixed(2)}`);

const fns = CASES.map(([, fn]) => fn);
const build = rate(fns, (fn) => { const r = new VoiceResponse(); fn(r); r.toString(); });
const twil = rate(fns, (fn) => { const r = new twilio.twiml.VoiceResponse(); fn(r); r.toString(); });
console.log(`build+toString: refer-sim ${build.toFixed(0)} docs/s, twilio-node ${twil.toFixed(0)} docs/s, ratio ${(build / twil).toFixed(2)}`);
