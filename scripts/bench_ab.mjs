// Before/after timing of two builds of the package in one run (rounds alternate, so a busy machine
// slows both alike): `node scripts/bench_ab.mjs BASELINE_DIR` compares the package in BASELINE_DIR
// (a copy of pkg/ built before a change) with pkg/. Paths: `simulate` over the catalogue,
// `new Simulation(scenario)` (reading and setting up), `parseReferTo`, `parseTwiml`. Printed, never asserted.
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { measure, report, settings } from "./bench_lib.mjs";
import { shippedDir } from "./pkg_dir.mjs";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/bench_ab.mjs BASELINE_PKG_DIR");
const before = await import(pathToFileURL(resolve(shippedDir(dir), "node.js")).href);
const after = await import(pathToFileURL(resolve(shippedDir(), "node.js")).href);
const list = after.scenarios().map((e) => e.scenario);
const { inputs } = JSON.parse(readFileSync(new URL("../bench/refer_to_inputs.json", import.meta.url)));
const twiml = [...new Set(list.flatMap((s) => [s.initialTwiml, ...Object.values(s.app ?? {}).map((a) => a.twiml ?? "<Response/>")]))];
console.log(`before: ${dir}, after: pkg/; ${settings}`);
const pairs = [
  ["simulate (catalogue)", "scenarios/s", list, (m) => (s) => m.simulate(s)],
  ["new Simulation(scenario)", "scenarios/s", list, (m) => (s) => m.Simulation && new m.Simulation(s).free()],
  ["parseReferTo", "parses/s", inputs, (m) => (s) => m.parseReferTo(s)],
  ["parseTwiml", "parses/s", twiml, (m) => (s) => m.parseTwiml(s)],
];
for (const [title, unit, items, fn] of pairs) {
  report(title, unit, measure(items, [["after (pkg/)", fn(after)], ["before", fn(before)]]));
}
