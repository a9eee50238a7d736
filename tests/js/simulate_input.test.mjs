// pkg/index.js writes a scenario's JSON text into the module's input buffer (`write`,
// src/wasm/transfer.rs __simulateInput / __simulateWritten), which it keeps from call to call, and
// the module keeps the scenarios it prepared by their text. Nothing of one call may reach the next:
// a changed scenario object is a new text, a shorter text after a longer one is read to its own
// end, texts beyond ASCII take the buffer's growth, a returned timeline the user changes is theirs
// alone, and a module started afresh after a trap (another buffer) still runs every scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, scenarios, __forceTrapForTests } from "refer-sim";

const list = scenarios();
const entry = list.find((e) => e.id === "agentb-answers-aob-true") ?? list[0];

test("the same object changed between calls gives the changed scenario's timeline", () => {
  const scenario = structuredClone(entry.scenario);
  const first = JSON.stringify(simulate(scenario));
  assert.equal(JSON.stringify(simulate(scenario)), first, "run again: the same timeline");
  scenario.refer.atMs += 1234;
  const moved = simulate(scenario);
  assert.ok(moved.steps.some((s) => s.atMs === entry.scenario.refer.atMs + 1234), "the changed REFER time");
  assert.notEqual(JSON.stringify(moved), first);
  scenario.refer.atMs -= 1234;
  assert.equal(JSON.stringify(simulate(scenario)), first, "changed back: the first timeline");
});

test("a timeline the caller changes does not change the next call's", () => {
  const first = simulate(entry.scenario);
  const expected = JSON.stringify(first);
  first.steps[0].narration = "changed";
  first.steps[0].changedLegs[0].status = "failed";
  first.steps.find((s) => s.messages.length > 0).messages[0].headers[0][1] = "changed";
  first.outcome.connected.length = 0;
  first.steps.length = 1;
  const again = simulate(entry.scenario);
  assert.equal(JSON.stringify(again), expected);
  assert.deepStrictEqual(again.steps[0].legs, simulate(entry.scenario).steps[0].legs);
});

test("after a trap the module forgets every number and each scenario still runs", () => {
  const before = list.map((e) => JSON.stringify(simulate(e.scenario)));
  assert.throws(() => __forceTrapForTests(), (e) => e.code === "internal");
  list.forEach((e, i) => assert.equal(JSON.stringify(simulate(e.scenario)), before[i], e.id));
  list.forEach((e, i) => assert.equal(JSON.stringify(simulate(e.scenario)), before[i], `${e.id}, again`));
});

test("long, short and non-ASCII texts in turn through the one buffer give their own timelines", () => {
  const { scenario } = entry;
  const say = (text) => ({
    ...scenario,
    app: Object.fromEntries(
      Object.entries(scenario.app).map(([url, a]) => [url, { ...a, twiml: a.twiml?.replace("<Response>", `<Response><Say>${text}</Say>`) }]),
    ),
  });
  const hears = (t, text) => t.steps.some((s) => s.changedLegs.some((l) => l.hearing.includes(text)));
  const long = say("x".repeat(20000));
  const wide = say("Grüße 😀 ".repeat(3000));
  const plain = JSON.stringify(simulate(scenario));
  for (let round = 0; round < 2; round++) {
    assert.ok(hears(simulate(long), "xxxx"), "the long text");
    assert.equal(JSON.stringify(simulate(scenario)), plain, "a short text after a long one");
    const t = simulate(wide);
    assert.ok(hears(t, "Grüße 😀"), "a text beyond ASCII (up to three bytes per unit)");
    assert.equal(JSON.stringify(simulate(scenario)), plain, "a short text after a wide one");
  }
});

test("the onWebhook of each call answers its own run, whether the text was passed or named", () => {
  const { scenario } = entry;
  const urls = [];
  const answered = (status) =>
    simulate(scenario, {
      onWebhook: (req) => {
        urls.push(req.url);
        return req.purpose === "referUrl" ? { status, twiml: null } : null;
      },
    });
  const plain = JSON.stringify(simulate(scenario));
  const failing = JSON.stringify(answered(500));
  assert.notEqual(failing, plain, "a 500 from referUrl changes the run");
  assert.equal(JSON.stringify(answered(500)), failing, "the same answer again: the same timeline");
  assert.equal(JSON.stringify(simulate(scenario)), plain, "no handler: the scenario's own app");
  assert.ok(urls.length >= 2);
});
