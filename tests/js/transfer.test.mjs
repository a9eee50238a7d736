// The transfer simulator through the built package, as a user imports it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { simulate, Simulation, scenarios } from "refer-sim";

const root = new URL("../../", import.meta.url);
const HANDLER = "https://example.com/handler";

test("every catalogue scenario gives the identical timeline natively and through WASM", () => {
  const native = JSON.parse(
    execFileSync("cargo", ["run", "--quiet", "--example", "timeline", "--", "--json"], { cwd: root, maxBuffer: 1 << 28 }).toString(),
  );
  const list = scenarios();
  assert.ok(list.length >= 30);
  assert.deepEqual(list.map((e) => e.id).sort(), Object.keys(native).sort());
  for (const entry of list) {
    assert.deepEqual(simulate(entry.scenario), native[entry.id], entry.id);
  }
});

test("the catalogue covers the ten outcome-table cells, titled as the documentation does", () => {
  const table = scenarios().filter((e) => e.group === "The outcome table");
  assert.equal(table.length, 10);
  assert.ok(table.some((e) => e.title.startsWith("AgentB does not answer the call")));
});

test("Simulation steps through the same timeline that simulate returns", () => {
  const entry = scenarios().find((e) => e.id === "agentb-no-answer-aob-true");
  const whole = simulate(entry.scenario);
  const sim = new Simulation(entry.scenario);
  const steps = [];
  for (let s = sim.step(); s !== undefined; s = sim.step()) steps.push(s);
  assert.ok(sim.done);
  assert.deepEqual(steps, whole.steps);
  assert.deepEqual(sim.outcome(), whole.outcome);
  assert.deepEqual(sim.snapshot(), whole.steps.at(-1).legs);
  assert.equal(sim.step(), undefined);
});

const scenario = {
  initialTwiml: `<Response><Dial answerOnBridge="true" referUrl="${HANDLER}"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>`,
  refer: { atMs: 20000, referTo: "<sip:AgentB@example.sip.twilio.com?X-Ticket=42>" },
};

test("onWebhook answers Twilio's requests with the user's own handler", () => {
  const seen = [];
  const t = simulate(scenario, {
    onWebhook(request) {
      seen.push(request);
      const target = request.params.ReferTransferTarget.replace(/^<|>$/g, "").split("?")[0];
      return { status: 200, twiml: `<Response><Dial><Sip>${target}</Sip></Dial></Response>` };
    },
  });
  assert.equal(seen.length, 1);
  assert.equal(seen[0].method, "POST");
  assert.equal(seen[0].url, HANDLER);
  assert.equal(seen[0].params.ReferTransferTarget, "<sip:AgentB@example.sip.twilio.com?X-Ticket=42>");
  assert.match(seen[0].body, /ReferTransferTarget=%3Csip%3AAgentB/);
  assert.deepEqual(t.outcome.connected, [["caller", "target"]]);
});

test("a handler that returns nothing falls back to the scenario's app (here: none, so unreachable)", () => {
  const t = simulate(scenario, { onWebhook: () => undefined });
  assert.equal(t.outcome.alerts[0].code, 11205);
  assert.deepEqual(t.outcome.connected, [["caller", "transferor"]]);
});

test("a handler that throws, answers a Promise or a bad shape makes simulate throw", () => {
  assert.throws(() => simulate(scenario, { onWebhook() { throw new Error("boom"); } }), /boom/);
  assert.throws(() => simulate(scenario, { onWebhook: async () => ({ twiml: "<Response/>" }) }), (e) => e.code === "async_handler");
  assert.throws(() => simulate(scenario, { onWebhook: () => ({ twiml: "<Response/>", colour: "red" }) }), (e) => e.code === "bad_webhook_answer" && /colour/.test(e.message));
});

test("invalid scenarios throw an Error naming the field", () => {
  assert.throws(() => simulate({ ...scenario, referURL: "x" }), (e) => e.code === "bad_scenario" && e.field === "referURL");
  assert.throws(() => simulate({ refer: scenario.refer }), (e) => e.code === "bad_scenario" && e.field === "initialTwiml");
  assert.throws(() => simulate({ ...scenario, initialTwiml: "<Response><Dial>" }), (e) => e.code === "bad_initial_twiml" && e.field === "initialTwiml");
  assert.throws(() => new Simulation(42), (e) => e.code === "not_a_scenario");
  assert.equal(simulate(JSON.stringify(scenario)).steps[0].kind, "call-started", "JSON text works too");
});
