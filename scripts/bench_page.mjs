// How long the playground takes to render a step, in headless Chromium, over every step
// of every catalogue scenario (printed, never asserted: wall time depends on the machine).
//
//   node scripts/bench_page.mjs [--www DIR] [--rounds N]
//
// For each scenario (chosen in the picker) the page steps forward from the first step to
// the last, then jumps back to the first, one step per frame. Around each step it places
// performance marks: `js` is the step's own script (stepper, lanes, ladder highlight,
// detail, outcome), `frame` adds the style and layout that the next frame must do for it
// (forced at the end of the measure by reading `offsetHeight`, so a layout the step forced
// itself, and the one it leaves for the frame, are both counted). A Chromium trace counts
// the layouts inside each step's script, i.e. forced by it (0 when it reads no size or
// position; layouts of frames run between steps). `--www` serves another
// copy of www/ (e.g. an older ladder.js from `git show`) with this package, for a before /
// after figure; `--rounds` repeats the whole catalogue and keeps every sample.
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./serve.mjs";
import { launchChromium } from "../tests/e2e/harness.mjs";

const root = resolve(fileURLToPath(new URL("..", import.meta.url)));
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const www = resolve(arg("--www", join(root, "www")));
const rounds = Number(arg("--rounds", 1));

const { server, url } = await startServer({ port: 0, quiet: true, mounts: [["/pkg/", join(root, "pkg", "dist")], ["/", www]] });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]");
  const cdp = await page.context().newCDPSession(page);
  const ids = await page.$$eval("#scenario-picker option", (os) => os.map((o) => o.value).filter(Boolean));
  const samples = []; // { id, step, js, frame }
  for (let round = 0; round < rounds; round++) {
    for (const id of ids) {
      await page.selectOption("#scenario-picker", id);
      const events = [];
      const collect = (e) => events.push(...e.value);
      cdp.on("Tracing.dataCollected", collect);
      const done = new Promise((r) => cdp.once("Tracing.tracingComplete", r));
      await cdp.send("Tracing.start", { categories: "toplevel,devtools.timeline,blink.user_timing", transferMode: "ReportEvents" });
      const measured = await page.evaluate(async (id) => {
        const p = window.__playground;
        const n = p.state.steps.length;
        const nextFrame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        const out = [];
        await nextFrame();
        for (const i of [...Array(n).keys()].slice(1).concat([0])) {
          performance.mark(`step-start-${out.length}`);
          p.go(i);
          performance.mark(`step-js-${out.length}`);
          void document.body.offsetHeight; // the style and layout this step leaves for the frame
          performance.mark(`step-frame-${out.length}`);
          const js = performance.measure("step js", `step-start-${out.length}`, `step-js-${out.length}`).duration;
          const frame = performance.measure("step frame", `step-start-${out.length}`, `step-frame-${out.length}`).duration;
          out.push({ id, step: i, js, frame });
          await nextFrame();
        }
        performance.clearMarks();
        performance.clearMeasures();
        return out;
      }, id);
      await cdp.send("Tracing.end");
      await done;
      cdp.off("Tracing.dataCollected", collect);
      // Layouts inside a step's script (between its start and js marks) were forced by it.
      const at = (name) => events.find((e) => e.cat.includes("blink.user_timing") && e.name === name)?.ts;
      const layouts = events.filter((e) => e.name === "Layout" && (e.ph === "X" || e.ph === "B")).map((e) => e.ts);
      // The task that ran a step (its script, then the forced flush): its thread time is the
      // step's CPU time, which other processes on a loaded machine do not inflate.
      const tasks = events.filter((e) => e.ph === "X" && e.cat.includes("toplevel") && e.tdur !== undefined);
      measured.forEach((m, k) => {
        const from = at(`step-start-${k}`);
        const to = at(`step-js-${k}`);
        const end = at(`step-frame-${k}`);
        m.forced = from === undefined || to === undefined ? NaN : layouts.filter((t) => t >= from && t <= to).length;
        const task = tasks.filter((e) => e.ts <= from && e.ts + e.dur >= end).sort((a, b) => a.dur - b.dur)[0];
        m.cpu = task ? task.tdur / 1000 : NaN;
      });
      samples.push(...measured);
    }
  }
  const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };
  const f = (x) => x.toFixed(2).padStart(7);
  console.log(`Step render in Chromium, ${www} (${samples.length} steps over ${ids.length} scenarios, ${rounds} round(s)); ms`);
  const row = (name, s) => {
    const col = (k) => `${f(median(s.map((x) => x[k])))} ${f(Math.max(...s.map((x) => x[k])))}`;
    const forced = s.reduce((a, x) => a + x.forced, 0);
    console.log(`${name.padEnd(34)} ${String(s.length).padStart(5)} ${col("js")} ${col("frame")} ${col("cpu")} ${String(forced).padStart(7)}`);
  };
  console.log(`${"scenario".padEnd(34)} steps  js med  js max frm med frm max cpu med cpu max  forced`);
  for (const id of ids) row(id, samples.filter((x) => x.id === id));
  row("all", samples);
  if (rounds > 1) {
    // A step's typical cost: the median of its rounds (a step slow in one round only was preempted).
    for (const k of ["frame", "cpu"]) {
      const byStep = new Map();
      for (const x of samples) byStep.set(`${x.id} ${x.step + 1}`, [...(byStep.get(`${x.id} ${x.step + 1}`) ?? []), x[k]]);
      const typical = [...byStep].map(([key, v]) => [key, median(v)]);
      const [key, v] = typical.reduce((a, b) => (b[1] > a[1] ? b : a));
      console.log(`per step, median of ${rounds} rounds (${k}): median ${median(typical.map(([, x]) => x)).toFixed(2)} ms, max ${v.toFixed(2)} ms (${key}); over 16 ms: ${typical.filter(([, x]) => x > 16).length} of ${typical.length}`);
    }
  }
  const worst = samples.reduce((a, b) => (b.frame > a.frame ? b : a));
  console.log(`slowest: ${worst.id} step ${worst.step + 1} (${worst.frame.toFixed(2)} ms); steps over 16 ms: ${samples.filter((x) => x.frame > 16).length} (frame), ${samples.filter((x) => x.cpu > 16).length} (cpu)`);
  console.log(`js: the step's script; frm: script + the style and layout it leaves (forced after it), wall time;`);
  console.log(`cpu: the main thread's CPU time for the task that ran both (trace tdur; not inflated by other processes);`);
  console.log(`forced: layouts that the step's own script forced (Layout trace events between its marks), summed.`);
} finally {
  await browser.close();
  await new Promise((r) => server.close(r));
}
