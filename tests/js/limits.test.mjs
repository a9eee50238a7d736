// Bounded results (issue 13, item 4). A webhook body is stored once: a later step that received
// the same body serialises `sameBodyAs` (the index of the step that has it) and the package gives
// `body` back as that same string, not enumerable; parseTwiml lists at most 1,000 diagnostics.
// Sizes and structure are asserted; times are printed by scripts/limits_bench.mjs, never asserted.
// parseTwiml of 1 MiB: the WebAssembly memory it grows and the JS heap its result holds, both
// deterministic for a build, are bounded (its peak RSS and CPU time are printed by the bench).
import test from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { simulate, scenarios, Simulation, parseTwiml } from "refer-sim";

const SAY = "x".repeat(65536 - 200);
const LOOP = `<Response><Say>${SAY}</Say><Redirect>https://example.com/loop</Redirect></Response>`;
const loop = () => ({
  initialTwiml: `<Response><Dial referUrl="https://example.com/loop"><Sip>sip:AgentA@x</Sip></Dial></Response>`,
  refer: { atMs: 10000, referTo: "<sip:AgentB@example.com>" },
  app: { "https://example.com/loop": { twiml: LOOP } },
});

/** Every step's response checked against the rule: the first of each body has it, later ones point back. */
function checkShared(steps, label) {
  const first = new Map(); // body -> index of the first step with it
  let shared = 0;
  for (const [i, s] of steps.entries()) {
    const r = s.response;
    if (!r) continue;
    if (r.body === null) {
      assert.ok(!("sameBodyAs" in r), `${label} step ${i}: no body, no reference`);
      continue;
    }
    const at = first.get(r.body);
    if (at === undefined) {
      first.set(r.body, i);
      assert.ok(!("sameBodyAs" in r), `${label} step ${i}: first of its body`);
      assert.ok(Object.keys(r).includes("body"), `${label} step ${i}: the first keeps its body enumerable`);
    } else {
      shared++;
      assert.equal(r.sameBodyAs, at, `${label} step ${i}`);
      assert.ok(!Object.keys(r).includes("body"), `${label} step ${i}: a shared body is not enumerable`);
      assert.equal(r.body, steps[at].response.body, `${label} step ${i}`);
    }
  }
  return shared;
}

test("a 64 kB page in a <Redirect> loop: its body is serialised once, read at every step", () => {
  const t = simulate(loop());
  const fetched = t.steps.filter((s) => s.kind === "webhook-fetched");
  assert.ok(fetched.length > 100, `${fetched.length} rounds`);
  for (const s of fetched) assert.equal(s.response.body, LOOP);
  assert.equal(checkShared(t.steps, "loop"), fetched.length - 1);
  // One copy of the 64 kB body, not one per round (it was 44 MB): the rest is steps.
  const bytes = JSON.stringify(t).length;
  assert.ok(bytes < LOOP.length + 3000 * t.steps.length, `${bytes} bytes for ${t.steps.length} steps`);
  const json = JSON.parse(JSON.stringify(t.steps[t.steps.indexOf(fetched[1])]));
  assert.equal(json.response.sameBodyAs, t.steps.indexOf(fetched[0]));
  assert.ok(!("body" in json.response), "JSON.stringify keeps the reference, not the body");
});

test("pages of 64 kB redirecting in a ring: each body once, and a leg's <Say> hearing cut as narrations quote it", () => {
  const pages = "abcdefghijklmno".split("");
  const app = {};
  pages.forEach((c, i) => {
    app[`https://example.com/${c}`] = {
      twiml: `<Response><Say>${c.repeat(65536 - 200)}</Say><Redirect>https://example.com/${pages[(i + 1) % pages.length]}</Redirect></Response>`,
    };
  });
  const t = simulate({ ...loop(), initialTwiml: loop().initialTwiml.replace("/loop", "/a"), app });
  assert.ok(t.steps.filter((s) => s.kind === "webhook-fetched").length > 100);
  assert.equal(t.steps.filter((s) => s.response && !("sameBodyAs" in s.response)).length, pages.length);
  checkShared(t.steps, "ring");
  for (const s of t.steps) for (const l of s.changedLegs) assert.ok(l.hearing.length <= 210, `${l.id} hears ${l.hearing.length} characters`);
  assert.ok(t.steps.some((s) => s.changedLegs.some((l) => l.hearing === `<Say> ${"b".repeat(200)}…`)));
  // 15 bodies of 64 kB and a few kB per step; with a body or a whole <Say> per step it was 45 MB.
  const bytes = JSON.stringify(t).length;
  assert.ok(bytes < pages.length * 65536 + 3000 * t.steps.length, `${bytes} bytes for ${t.steps.length} steps`);
});

test("one step at a time, steps() and timeline() share bodies the same way", () => {
  const whole = simulate(loop());
  const sim = new Simulation(loop());
  const mine = [];
  let step;
  while ((step = sim.step()) !== undefined) mine.push(step);
  assert.equal(mine.length, whole.steps.length);
  for (const [i, s] of mine.entries()) {
    assert.deepEqual(s, whole.steps[i], `step ${i}`);
    assert.equal(s.response?.body, whole.steps[i].response?.body, `step ${i} body`);
  }
  checkShared(sim.steps(), "steps()");
  checkShared(sim.timeline().steps, "timeline()");
  sim.free();
});

test("every catalogue scenario: responses follow the rule and bodies read as before", () => {
  for (const { id, scenario } of scenarios()) {
    const t = simulate(scenario);
    checkShared(t.steps, id);
    for (const s of t.steps) {
      if (s.response && s.response.status !== null && s.response.status < 300 && scenario.app?.[s.response.url]?.twiml) {
        assert.equal(s.response.body, scenario.app[s.response.url].twiml, `${id}: ${s.response.url}`);
      }
    }
  }
});

test("onWebhook answers: equal answers are shared, different ones kept apart", () => {
  let n = 0;
  const page = (i) => `<Response><Pause length="1"/><Redirect>https://example.com/p${i}</Redirect></Response>`;
  const t = simulate(
    {
      initialTwiml: `<Response><Dial referUrl="https://example.com/p0"><Sip>sip:AgentA@x</Sip></Dial></Response>`,
      refer: { atMs: 10000, referTo: "<sip:AgentB@example.com>" },
    },
    { onWebhook: () => ({ twiml: page(n++ % 3) }) },
  );
  const bodies = t.steps.filter((s) => s.response).map((s) => s.response.body);
  assert.ok(bodies.length > 6, `${bodies.length} answers`);
  bodies.forEach((b, i) => assert.equal(b, page(i % 3), `answer ${i}`));
  assert.equal(t.steps.filter((s) => s.response && !("sameBodyAs" in s.response)).length, 3, "three distinct bodies");
  checkShared(t.steps, "onWebhook");
});

test("parseTwiml lists the first 1,000 diagnostics and counts the rest in one; the document stays whole", () => {
  const attrs = Array.from({ length: 1500 }, (_, i) => ` a${i}="v"`).join("");
  const r = parseTwiml(`<Response><Say${attrs}>x</Say></Response>`);
  assert.equal(r.diagnostics.length, 1001);
  assert.ok(r.diagnostics.slice(0, 1000).every((d) => d.code === "unknown_attribute"));
  const last = r.diagnostics[1000];
  assert.equal(last.code, "too_many_diagnostics");
  assert.equal(last.severity, "warning");
  assert.match(last.message, /^500 more diagnostics \(0 of them errors\) are not listed/);
  assert.equal(r.response.children[0].attributes.length, 1500);
});

test("parseTwiml of 1 MiB of <Pause/> (131k verbs): the wasm memory it grows and the heap its result holds are bounded", () => {
  // A fresh process: the module's memory never shrinks, so an earlier call would hide the growth.
  // Before the verbs were written one at a time (src/twiml/parser.rs, ParsedView) the call grew
  // the memory by 56 MB (the tree and the typed model side by side); now ~18 MB. The result's
  // objects are ~24 MB. scripts/limits_bench.mjs prints the peak RSS of the call (~90 MB) and its CPU time.
  const child = `
    import init, { parseTwiml } from "refer-sim";
    const wasm = await init();
    const xml = \`<Response>\${"<Pause/>".repeat(131069)}</Response>\`;
    globalThis.gc();
    const [heap0, mem0] = [process.memoryUsage().heapUsed, wasm.memory.buffer.byteLength];
    const r = parseTwiml(xml);
    const mem1 = wasm.memory.buffer.byteLength;
    globalThis.gc();
    const heap = process.memoryUsage().heapUsed - heap0;
    const verbs = r.response.children;
    console.log(JSON.stringify({ size: xml.length, n: verbs.length, first: verbs[0], last: verbs.at(-1), d: r.diagnostics.length, wasm: mem1 - mem0, heap }));`;
  const cwd = fileURLToPath(new URL("../..", import.meta.url));
  const run = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", child], { cwd, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  const got = JSON.parse(run.stdout);
  assert.ok(got.size > 1048000 && got.size <= 1 << 20, `${got.size} bytes`);
  assert.equal(got.n, 131069);
  assert.equal(got.d, 0);
  assert.deepEqual(got.first, { type: "Pause", length: null, attributes: [], children: [], span: { start: 10, end: 18 } });
  assert.deepEqual(got.last.span, { start: 10 + 8 * 131068, end: 10 + 8 * 131069 });
  const MB = 1e6;
  assert.ok(got.wasm < 28 * MB, `the wasm memory grew by ${(got.wasm / MB).toFixed(1)} MB (56 MB with the tree and the model together)`);
  assert.ok(got.heap < 40 * MB, `the result holds ${(got.heap / MB).toFixed(1)} MB of JS heap`);
});
