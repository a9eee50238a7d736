// A timeline grows with steps plus changes, not steps × legs (issue 13, item 4): each step
// carries only the legs it changed (`changedLegs`) and the package's `legs` getter rebuilds
// every leg. Sizes are asserted with a generous bound; times are printed by
// scripts/limits_bench.mjs, never asserted.
import test from "node:test";
import assert from "node:assert/strict";
import { simulate, scenarios, Simulation } from "refer-sim";

const dial = (n) =>
  `<Response><Dial referUrl="https://example.com/h">${Array.from({ length: n }, (_, i) => `<Sip>sip:a${i}@x</Sip>`).join("")}</Dial></Response>`;

test("800 targets in one <Dial>: the serialized timeline stays a few MB (it was 222 MB)", () => {
  const t = simulate({ initialTwiml: dial(800), refer: { atMs: 10000, referTo: "<sip:b@x>" } });
  const bytes = JSON.stringify(t).length;
  assert.ok(bytes < 10e6, `${bytes} bytes`);
  const changes = t.steps.reduce((n, s) => n + s.changedLegs.length, 0);
  assert.ok(changes < 4 * 801 + t.steps.length, `${changes} leg changes in ${t.steps.length} steps`);
  assert.equal(t.steps.at(-1).legs.length, 801);
  assert.deepEqual(Object.keys(t.outcome.legs), t.steps.at(-1).legs.map((l) => l.id));
});

test("legs rebuilds every leg, shares unchanged ones, and is not serialized", () => {
  for (const { id, scenario } of scenarios()) {
    const t = simulate(scenario);
    const known = new Map();
    for (const [i, s] of t.steps.entries()) {
      const before = [...known.values()];
      for (const l of s.changedLegs) {
        assert.notDeepEqual(known.get(l.id), l, `${id} step ${i}: ${l.id} recorded unchanged`);
        known.set(l.id, l);
      }
      assert.deepEqual(s.legs, [...known.values()], `${id} step ${i}`);
      for (const l of s.legs) if (!s.changedLegs.includes(l)) assert.ok(before.includes(l), `${id} step ${i}: ${l.id} shared`);
      assert.ok(!("legs" in JSON.parse(JSON.stringify(s))), "legs is not serialized");
    }
    const sim = new Simulation(scenario);
    let step;
    let i = 0;
    while ((step = sim.step()) !== undefined) assert.deepEqual(step.legs, t.steps[i++].legs, `${id}: step ${i} one at a time`);
    assert.deepEqual(sim.snapshot(), t.steps.at(-1).legs, id);
    assert.deepEqual(sim.steps().map((s) => s.legs), t.steps.map((s) => s.legs), id);
    sim.free();
  }
});
