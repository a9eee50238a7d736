// What crosses the simulator's boundary in the compact format (src/wasm/compact.rs, decoded by
// pkg/decode.js) reaches users as the plain objects it was before: onWebhook's request, pending(),
// and options read through (issue 12). The timelines themselves are compared with the native build
// in transfer.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, Simulation, scenarios } from "refer-sim";

/** The steps that sent a request (webhook-requested, and digits for a <Gather>'s action). */
const sending = (timeline) => timeline.steps.filter((s) => s.webhook !== null);
const withHooks = scenarios().filter((e) => sending(simulate(e.scenario)).length > 0);

test("onWebhook receives each request as the timeline records it, as a plain object", () => {
  assert.ok(withHooks.length >= 5);
  for (const { id, scenario } of withHooks) {
    const seen = [];
    const timeline = simulate(scenario, { onWebhook: (r) => void seen.push(r) });
    const recorded = sending(timeline).map((s) => s.webhook);
    assert.deepEqual(seen, recorded, id);
    for (const r of seen) {
      assert.equal(Object.getPrototypeOf(r), Object.prototype, id);
      assert.equal(Object.getPrototypeOf(r.params), Object.prototype, id);
    }
  }
});

test("pending() is the request plus atMs (its last key), as the step that sent it shows", () => {
  for (const { id, scenario } of withHooks) {
    const sim = new Simulation(scenario, { pauseAtWebhooks: true });
    const sent = sending(simulate(scenario));
    const pend = [];
    assert.equal(sim.pending(), null, id);
    for (let i = 0; i < 1000 && !sim.done; i++) {
      const p = sim.pending();
      if (p !== null) {
        pend.push(p);
        sim.respond(undefined);
      } else sim.step();
    }
    assert.deepEqual(pend, sent.map((s) => ({ ...s.webhook, atMs: s.atMs })), id);
    for (const p of pend) assert.equal(Object.keys(p).at(-1), "atMs", id);
    sim.free();
  }
});

test("options are read through: an inherited onWebhook and pauseAtWebhooks still apply", () => {
  const { scenario } = withHooks[0];
  const seen = [];
  const proto = { onWebhook: (r) => void seen.push(r.url), pauseAtWebhooks: true };
  simulate(scenario, Object.create(proto));
  assert.ok(seen.length > 0);
  const sim = new Simulation(scenario, Object.create(proto));
  while (sim.pending() === null && !sim.done) sim.step();
  assert.notEqual(sim.pending(), null);
  sim.free();
});

test("onWebhook's this is as before, and a non-function onWebhook is still refused by the module", () => {
  const { scenario } = withHooks[0];
  let self = "unset";
  simulate(scenario, { onWebhook() { "use strict"; self = this; } });
  assert.equal(self, null);
  assert.throws(() => simulate(scenario, { onWebhook: 42 }), (e) => e.code === "bad_options" && e.field === "options.onWebhook");
});

test("scenarios() gives plain entries whose scenarios run as given", () => {
  for (const e of scenarios()) {
    assert.deepEqual(Object.keys(e), ["id", "group", "title", "description", "scenario"]);
    assert.ok(simulate(e.scenario).steps.length > 0, e.id);
    assert.deepEqual(simulate(JSON.stringify(e.scenario)), simulate(e.scenario), e.id);
  }
});
