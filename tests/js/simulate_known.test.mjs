// pkg/index.js names a scenario text it passed before by a number instead of passing the text
// again (`simulateText`; the module keeps the number with its prepared scenario, src/wasm/transfer.rs).
// Nothing of one call may reach the next: a changed scenario object is a new text, a returned
// timeline the user changes is theirs alone, and a module started afresh after a trap (which
// forgets every number) still runs every scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, scenarios, __simulateNumbered, __forceTrapForTests } from "refer-sim";

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

test("a number the module does not hold answers undefined", () => {
  simulate(entry.scenario);
  assert.equal(__simulateNumbered(0x7fffffff, 0), undefined);
  assert.equal(__simulateNumbered(0, 0), undefined);
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
