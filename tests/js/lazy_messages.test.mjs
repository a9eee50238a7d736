// `simulate` without onWebhook runs without the steps' SIP messages and makes them on their first
// read (pkg/index.js, `LazyRun`): what a caller gets is the same timeline as the full run, by
// deepStrictEqual, JSON.stringify, structuredClone and spread, whichever step is read first, after
// a trap, and after an assignment. The eager timeline to compare with is the Simulation class's,
// which runs with messages at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, Simulation, scenarios, __forceTrapForTests } from "refer-sim";

/** The full timeline of `scenario`, stepped through by Simulation (which writes messages at once). */
function eager(scenario, options) {
  const sim = new Simulation(scenario, options);
  while (sim.step() !== undefined);
  return sim.timeline();
}

const catalogue = scenarios().map((e) => e.scenario);

/** The catalogue and variations: initialTwiml whitespace, answerOnBridge, each endpoint's answer. */
function variants() {
  const out = [...catalogue];
  const answers = ["answer", "no-answer", "busy", "fail"];
  catalogue.forEach((s, k) => {
    out.push({ ...s, initialTwiml: `${" ".repeat(1 + (k % 5))}${s.initialTwiml}\n` });
    const flipped = s.initialTwiml.includes("answerOnBridge=")
      ? s.initialTwiml.replace(/answerOnBridge="(true|false)"/, (_m, v) => `answerOnBridge="${v === "true" ? "false" : "true"}"`)
      : s.initialTwiml.replace("<Dial", '<Dial answerOnBridge="true"');
    out.push({ ...s, initialTwiml: flipped });
    for (const [i, answer] of answers.entries()) {
      const endpoints = {};
      for (const [j, key] of Object.keys(s.endpoints ?? {}).entries()) {
        endpoints[key] = { ...s.endpoints[key], answer: answers[(i + j) % 4], afterMs: 500 * (i + 1), holdBeforeRefer: (i + j) % 2 === 1 };
      }
      out.push({ ...s, endpoints, refer: { ...s.refer, atMs: s.refer.atMs + 700 * i } });
      if (answer === "busy") out.push(JSON.stringify({ ...s, endpoints })); // as JSON text
    }
  });
  return out;
}

test("a light timeline equals the full one: deepStrictEqual, JSON.stringify, structuredClone, spread", () => {
  const list = variants();
  assert.ok(list.length > 300, `${list.length} scenarios`);
  let messages = 0;
  for (const [k, s] of list.entries()) {
    const full = eager(s);
    messages += full.steps.reduce((n, step) => n + step.messages.length, 0);
    assert.deepStrictEqual(simulate(s), full, `deepStrictEqual ${k}`);
    assert.equal(JSON.stringify(simulate(s)), JSON.stringify(full), `JSON ${k}`);
    assert.deepStrictEqual(structuredClone(simulate(s)), structuredClone(full), `structuredClone ${k}`);
    const spread = simulate(s).steps.map((step) => ({ ...step }));
    assert.deepStrictEqual(spread.map((step) => step.messages), full.steps.map((step) => step.messages), `spread ${k}`);
  }
  assert.ok(messages > 3000, `${messages} messages compared`);
});

test("each step's messages is an own enumerable accessor until the first read, then data on every step", () => {
  const t = simulate(catalogue[0]);
  const d = Object.getOwnPropertyDescriptor(t.steps[3], "messages");
  assert.equal(typeof d.get, "function");
  assert.ok(d.enumerable && d.configurable);
  assert.equal(Object.getOwnPropertyDescriptor(t.steps[0], "messages").get, d.get, "one accessor for every step");
  assert.deepEqual(Object.keys(t.steps[3]), Object.keys(eager(catalogue[0]).steps[3]), "keys in the same order");
  t.steps[3].messages;
  for (const step of t.steps) assert.ok("value" in Object.getOwnPropertyDescriptor(step, "messages"));
});

test("whichever step is read first (step k, the last), every step gets its own messages", () => {
  for (const s of catalogue) {
    const full = eager(s);
    const n = full.steps.length;
    for (const first of [0, n >> 1, n - 1]) {
      const t = simulate(s);
      assert.deepStrictEqual(t.steps[first].messages, full.steps[first].messages);
      assert.deepStrictEqual(
        t.steps.map((step) => step.messages),
        full.steps.map((step) => step.messages),
      );
    }
  }
});

test("a trap between simulate and the first read: the healed module makes the messages", () => {
  const s = catalogue.find((x) => JSON.stringify(x).includes("referUrl"));
  const full = eager(s);
  const t = simulate(s);
  const fromText = simulate(JSON.stringify(s));
  assert.throws(() => __forceTrapForTests(), (e) => e.code === "internal");
  assert.deepStrictEqual(t, full);
  assert.deepStrictEqual(fromText, full);
});

test("onWebhook runs the scenario once, with messages: each request reaches it exactly once", () => {
  const s = catalogue.find((x) => JSON.stringify(x).includes("referUrl"));
  const seen = [];
  const t = simulate(s, { onWebhook: (r) => void seen.push(r.url) });
  assert.ok(seen.length > 0);
  assert.ok("value" in Object.getOwnPropertyDescriptor(t.steps[0], "messages"), "no accessor");
  const count = seen.length;
  JSON.stringify(t);
  assert.equal(seen.length, count);
  const stepped = [];
  eager(s, { onWebhook: (r) => void stepped.push(r.url) });
  assert.deepEqual(seen, stepped);
  assert.deepStrictEqual(t, eager(s));
});

test("assigning step.messages stores the value, before and after the first read", () => {
  const s = catalogue[0];
  const full = eager(s);
  const t = simulate(s);
  t.steps[1].messages = ["mine"];
  assert.deepEqual(t.steps[1].messages, ["mine"]);
  assert.deepStrictEqual(t.steps[2].messages, full.steps[2].messages);
  assert.deepEqual(t.steps[1].messages, ["mine"], "the first read left the assigned value");
  t.steps[2].messages = [];
  assert.deepEqual(t.steps[2].messages, []);
  const u = simulate(s);
  u.steps[0].messages.push("x");
  assert.equal(u.steps[0].messages.at(-1), "x", "the same array on every read");
});

test('messages: "now" makes them during the run: data properties, the same timeline; other values are bad_options', () => {
  for (const scenario of catalogue) {
    const t = simulate(scenario, { messages: "now" });
    for (const step of t.steps) {
      const d = Object.getOwnPropertyDescriptor(step, "messages");
      assert.ok(d && "value" in d && !("get" in d), "a data property, not an accessor");
    }
    assert.deepStrictEqual(t, eager(scenario));
    assert.deepStrictEqual(simulate(scenario, { messages: "on-read" }), t);
  }
  const onRead = simulate(catalogue[0]).steps.find((s) => s);
  assert.ok("get" in Object.getOwnPropertyDescriptor(onRead, "messages"), "the default leaves them for the first read");
  for (const bad of ["eager", true, 1, null]) {
    assert.throws(() => simulate(catalogue[0], { messages: bad }), (e) => e.code === "bad_options" && e.field === "options.messages" && e.offset === null);
    assert.throws(() => new Simulation(catalogue[0], { messages: bad }), (e) => e.code === "bad_options" && e.field === "options.messages");
    assert.throws(() => simulate(catalogue[0], { messages: bad, onWebhook: () => null }), (e) => e.code === "bad_options" && e.field === "options.messages", "checked with onWebhook too");
  }
  const sim = new Simulation(catalogue[0], { messages: "on-read" });
  assert.ok(Array.isArray(sim.step().messages), "a Simulation's steps carry their messages whatever the option");
});
