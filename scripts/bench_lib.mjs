// Shared by scripts/bench*.mjs: one honest way to time refer-sim against a JS peer in the same run.
//
// For each function over the same items it prints three figures:
//   best      the fastest of ROUNDS short rounds (what the old bench printed alone; flattering),
//   median    the median of those rounds (the figure ratios are computed on),
//   sustained one loop of SUSTAIN_MS (3 s by default) with garbage collection included: a path that
//             allocates many short-lived objects (wasm-bindgen wrappers, finalizers) pays for it here.
// Rounds alternate between the functions, so a busy machine slows all alike. Printed, never asserted.
// BENCH_ROUNDS, BENCH_ROUND_MS and BENCH_SUSTAIN_MS override the defaults (e.g. for a quick look).

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 200);
const SUSTAIN_MS = Number(process.env.BENCH_SUSTAIN_MS ?? 3000);

/** Calls of `fn` per second over `items`, looping over them for about `ms` milliseconds. */
function rate(items, fn, ms) {
  const start = performance.now();
  let n = 0;
  let elapsed = 0;
  do {
    for (const x of items) fn(x);
    n += items.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (n * 1000) / elapsed;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Best, median and sustained rates of each `[name, fn]` over `items`. */
export function measure(items, entries) {
  const fns = entries.map(([, fn]) => fn);
  for (const fn of fns) for (let i = 0; i < 3000; i++) fn(items[i % items.length]);
  const rounds = fns.map(() => []);
  for (let r = 0; r < ROUNDS; r++) fns.forEach((fn, i) => rounds[i].push(rate(items, fn, ROUND_MS)));
  return entries.map(([name, fn], i) => ({
    name,
    best: Math.max(...rounds[i]),
    median: median(rounds[i]),
    sustained: rate(items, fn, SUSTAIN_MS),
  }));
}

const fmt = (x) => Math.round(x).toLocaleString("en-US").padStart(11);

/** Prints the figures of `measure`; the first entry is refer-sim, each other one a peer it is compared with. */
export function report(title, unit, results) {
  console.log(title);
  console.log(`  ${"".padEnd(40)} ${"best".padStart(11)} ${"median".padStart(11)} ${"sustained".padStart(11)}  ${unit}`);
  const [ours] = results;
  for (const r of results) {
    const ratio = r === ours ? "" : `  refer-sim is ${(ours.median / r.median).toFixed(2)}x this (median), ${(ours.sustained / r.sustained).toFixed(2)}x (sustained)`;
    console.log(`  ${r.name.padEnd(40)} ${fmt(r.best)} ${fmt(r.median)} ${fmt(r.sustained)}${ratio}`);
  }
}

/** Settings line printed once per script, so a figure can be read with how it was taken. */
export const settings = `${ROUNDS} rounds of ${ROUND_MS} ms (best, median), one ${SUSTAIN_MS} ms loop (sustained, GC included), Node ${process.version}`;

/** CPU microseconds per call of `fn` over `items` (process.cpuUsage: every thread of this process,
 * so garbage collection counts), looping for about `ms` of wall time. */
export function cpu(items, fn, ms = 150) {
  const before = process.cpuUsage();
  const start = performance.now();
  let n = 0;
  do {
    for (const x of items) fn(x);
    n += items.length;
  } while (performance.now() - start < ms);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}
