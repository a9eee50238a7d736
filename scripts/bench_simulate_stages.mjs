// Where a `simulate` call's time goes through WASM in Node, stage by stage, over the catalogue:
// the whole call (pkg/index.js's simulate: the module's call, decoding, the steps' `legs`
// getters); the module's call alone on the scenario object (reading it through the module's own
// JSON.stringify, running it, writing the result, the string out) and on its JSON text (what
// pkg/index.js passes it since it writes the text itself); JSON.stringify alone; the string out
// alone (the glue's TextDecoder on as many bytes); decoding into plain objects (pkg/decode.js; the
// timeline layout's reader where the build has one). Medians of rounds, µs per scenario
// (scripts/bench_lib.mjs). Printed, never asserted. `node scripts/bench_simulate_stages.mjs [PKG_DIR]`.
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { measure, settings } from "./bench_lib.mjs";
import { shippedDir } from "./pkg_dir.mjs";

const dir = shippedDir(process.argv[2]);
const entry = await import(pathToFileURL(resolve(dir, "node.js")).href);
const glue = await import(pathToFileURL(resolve(dir, "refer_sim.js")).href);
const decoder = await import(pathToFileURL(resolve(dir, "decode.js")).href);
// The timeline's own reader where the build has one (src/wasm/timeline.rs), else the generic one.
const decode = decoder.decodeTimeline ?? decoder.decode;
const list = entry.scenarios().map((e) => e.scenario);
const compact = list.map((s) => glue.simulate(s));
const bytes = compact.map((c) => new TextEncoder().encode(c));
const td = new TextDecoder("utf-8", { ignoreBOM: true });
const texts = list.map((s) => JSON.stringify(s));
const chars = compact.reduce((n, c) => n + c.length, 0) / list.length;
// The light run (`simulate` without onWebhook: no SIP messages, made on first read), where the build has one:
// the module's call on the JSON text, and its result decoded with the messages' accessor in place.
const light = glue.simulate.length >= 4;
const lightCompact = light ? texts.map((t) => glue.simulate(t, undefined, true, true)) : null;
const accessor = { get() { return []; }, enumerable: true, configurable: true };
console.log(`${dir}: ${list.length} catalogue scenarios, compact result ${Math.round(chars)} chars per scenario; ${settings}`);
const idx = list.map((_, i) => i);
const stages = [
  ["simulate (whole call)", (i) => entry.simulate(list[i])],
  ["glue.simulate (module call)", (i) => glue.simulate(list[i])],
  ["glue.simulate of the JSON text", (i) => glue.simulate(texts[i])],
  ["  of which JSON.stringify(scenario)", (i) => JSON.stringify(list[i])],
  ["  of which string out (TextDecoder)", (i) => td.decode(bytes[i])],
  ["decode (compact -> objects)", (i) => decode(compact[i])],
  ...(light
    ? [
        ["glue.simulate of the JSON text, light", (i) => glue.simulate(texts[i], undefined, true, true)],
        ["decode of the light result", (i) => decode(lightCompact[i], accessor)],
      ]
    : []),
  ["JSON.parse (for scale: scenario text)", (i) => JSON.parse(texts[i])],
];
const results = measure(idx, stages);
for (const r of results) console.log(`  ${r.name.padEnd(40)} ${(1e6 / r.median).toFixed(2).padStart(9)} µs  (sustained ${(1e6 / r.sustained).toFixed(2)})`);
