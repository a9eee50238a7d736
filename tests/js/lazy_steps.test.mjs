// `simulate` without onWebhook decodes a timeline's outcome, explanation and warnings at once and its
// steps (most of the result) on their first read (pkg/index.js, `LazySteps`): what a caller gets is the
// same timeline as the eager one, by deepStrictEqual, JSON.stringify, structuredClone and spread,
// whatever is read first, with other timelines decoded in between, after an assignment and when frozen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, Simulation, scenarios, __forceTrapForTests } from "refer-sim";

/** The full timeline of `scenario`, stepped through by Simulation (steps and messages at once). */
function eager(scenario) {
  const sim = new Simulation(scenario);
  while (sim.step() !== undefined);
  return sim.timeline();
}

const catalogue = scenarios().map((e) => e.scenario);

test("timeline.steps is an own enumerable accessor until the first read, then the same array as data", () => {
  const t = simulate(catalogue[0]);
  const d = Object.getOwnPropertyDescriptor(t, "steps");
  assert.equal(typeof d.get, "function", "an accessor before the first read");
  assert.ok(d.enumerable && d.configurable);
  assert.equal(Object.getOwnPropertyDescriptor(simulate(catalogue[1]), "steps").get, d.get, "one accessor for every timeline");
  assert.deepEqual(Object.keys(t), ["steps", "outcome", "explanation", "warnings"], "keys in the eager order");
  const steps = t.steps;
  assert.ok(Array.isArray(steps) && steps.length > 0);
  assert.deepEqual(Object.getOwnPropertyDescriptor(t, "steps"), { value: steps, writable: true, enumerable: true, configurable: true });
  assert.equal(t.steps, steps, "the same array on every read");
  assert.equal(d.get.call({}), undefined, "the accessor on another object reads nothing");
});

test("a timeline whose steps are read later equals the eager one, every way it can be compared", () => {
  for (const [k, s] of [...catalogue, ...catalogue.map((x) => JSON.stringify(x))].entries()) {
    const full = eager(typeof s === "string" ? JSON.parse(s) : s);
    assert.deepStrictEqual(simulate(s), full, `deepStrictEqual ${k}`);
    assert.equal(JSON.stringify(simulate(s)), JSON.stringify(full), `JSON ${k}`);
    assert.deepStrictEqual(structuredClone(simulate(s)), structuredClone(full), `structuredClone ${k}`);
    const spread = { ...simulate(s) };
    assert.ok("value" in Object.getOwnPropertyDescriptor(spread, "steps"));
    assert.deepStrictEqual(spread, { ...full }, `spread ${k}`);
    const t = simulate(s);
    assert.deepStrictEqual(t.steps.map((step) => step.legs), full.steps.map((step) => step.legs), `legs ${k}`);
  }
});

test("steps read after other timelines were decoded, in any order, are each their own", () => {
  const ts = catalogue.map((s) => simulate(s));
  const others = catalogue.map((s) => simulate(s, { messages: "now" }));
  for (let k = ts.length - 1; k >= 0; k--) {
    assert.deepStrictEqual(ts[k].steps, eager(catalogue[k]).steps, `timeline ${k}`);
    assert.deepStrictEqual(others[k], eager(catalogue[k]));
  }
});

test("assigning timeline.steps stores the value; a frozen timeline still reads its steps", () => {
  const t = simulate(catalogue[0]);
  t.steps = ["mine"];
  assert.deepEqual(t.steps, ["mine"]);
  const frozen = Object.freeze(simulate(catalogue[2]));
  const steps = frozen.steps;
  assert.deepStrictEqual(steps, eager(catalogue[2]).steps);
  assert.equal(frozen.steps, steps, "the same array on every read");
  assert.deepStrictEqual(frozen, eager(catalogue[2]));
});

test("a trap between simulate and the first read of the steps: they and their messages are still read", () => {
  const s = catalogue.find((x) => JSON.stringify(x).includes("referUrl"));
  const t = simulate(s);
  assert.throws(() => __forceTrapForTests(), (e) => e.code === "internal");
  assert.deepStrictEqual(t, eager(s));
});

test("onWebhook and messages: \"now\" return their steps as data at once", () => {
  const s = catalogue.find((x) => JSON.stringify(x).includes("referUrl"));
  for (const options of [{ onWebhook: () => undefined }, { messages: "now" }]) {
    const d = Object.getOwnPropertyDescriptor(simulate(s, options), "steps");
    assert.ok("value" in d && Array.isArray(d.value));
  }
});

// A timeline of a scenario object whose steps are not read yet: the module keeps the run and writes
// its steps on their first read (src/wasm/transfer.rs `run_kept`, `__keptSteps`); past the runs it
// keeps, or from another instance, the steps come from the scenario's text run again.
test("steps read after many more runs, or after the scenario object changed, are the run's own", () => {
  const objects = catalogue.map((s) => structuredClone(s));
  const held = [];
  for (let n = 0; n < 150; n++) held.push(simulate(objects[n % objects.length]));
  const expected = catalogue.map((s) => JSON.stringify(eager(s)));
  // Changed after the call: what a held timeline reads is what ran.
  for (const o of objects) o.refer.atMs += 777;
  for (let n = held.length - 1; n >= 0; n--) assert.equal(JSON.stringify(held[n]), expected[n % objects.length], `timeline ${n}`);
  const moved = simulate(objects[0]);
  assert.ok(moved.steps.some((s) => s.atMs === catalogue[0].refer.atMs + 777), "the changed object runs changed");
});

test("the steps of a kept run are taken once: a second timeline of the same object reads its own", () => {
  const s = catalogue.find((x) => JSON.stringify(x).includes("referUrl"));
  const [a, b] = [simulate(s), simulate(s)];
  const steps = b.steps;
  assert.deepStrictEqual(a.steps, steps);
  assert.notEqual(a.steps, steps, "two arrays");
  assert.notEqual(a.steps[0], steps[0], "two step objects");
  a.steps[0].narration = "changed";
  assert.notEqual(b.steps[0].narration, "changed");
  for (const step of a.steps) assert.deepStrictEqual(step.messages, eager(s).steps[a.steps.indexOf(step)].messages);
});

test("a trap with kept runs unread: each timeline's steps and messages are still its own", () => {
  const ts = catalogue.slice(0, 10).map((s) => simulate(s));
  assert.throws(() => __forceTrapForTests(), (e) => e.code === "internal");
  const after = catalogue.slice(0, 10).map((s) => simulate(s));
  ts.forEach((t, k) => assert.deepStrictEqual(t, eager(catalogue[k]), `before the trap ${k}`));
  after.forEach((t, k) => assert.deepStrictEqual(t, eager(catalogue[k]), `after the trap ${k}`));
});
