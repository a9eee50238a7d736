// `simulate` over the catalogue in CPU time per call (process.cpuUsage: every thread of this
// process, so garbage collection counts), not wall time, which a loaded shared machine moves 2x:
// this build's package against another's, rounds alternating (ROUNDS, 21 by default, each running
// the catalogue 10 times per build), the median and the fastest round of each. Printed, never asserted.
//   node scripts/bench_simulate_cpu.mjs BASELINE_PKG_DIR     (e.g. /work/baseline/pkg)
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";
import { shippedDir } from "./pkg_dir.mjs";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node scripts/bench_simulate_cpu.mjs BASELINE_PKG_DIR");
const after = await import(pathToFileURL(resolve(shippedDir(), "node.js")).href);
const before = await import(pathToFileURL(resolve(shippedDir(dir), "node.js")).href);
const list = after.scenarios().map((e) => e.scenario);
const builds = [["after (pkg/)", after], [`before (${dir})`, before]];
const rounds = Number(process.env.ROUNDS ?? 21);
for (const [, m] of builds) for (let i = 0; i < 40; i++) for (const s of list) m.simulate(s);
const times = builds.map(() => []);
for (let r = 0; r < rounds; r++) {
  builds.forEach(([, m], i) => {
    const start = process.cpuUsage();
    for (let k = 0; k < 10; k++) for (const s of list) m.simulate(s);
    const used = process.cpuUsage(start);
    times[i].push((used.user + used.system) / (10 * list.length));
  });
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`simulate over ${list.length} catalogue scenarios, CPU µs per call; ${rounds} alternating rounds, Node ${process.version}`);
builds.forEach(([name], i) => console.log(`  ${name.padEnd(40)} median ${median(times[i]).toFixed(1).padStart(7)}  fastest ${Math.min(...times[i]).toFixed(1).padStart(7)}`));
console.log(`  after / before (medians)                 ${(median(times[1]) / median(times[0])).toFixed(2)}x faster`);
