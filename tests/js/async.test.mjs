// Async handlers and a Simulation driven one request at a time, through the
// built package as a user imports it ("refer-sim" and "refer-sim/async"); and
// endpoints keys matched as SIP addresses, with unused entries as warnings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, Simulation, scenarios } from "refer-sim";
import { simulateAsync } from "refer-sim/async";

const HANDLER = "https://example.com/handler";
const toAgentB = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";
const answerFor = (request) =>
  request.purpose === "referUrl" ? { status: 200, latencyMs: 350, twiml: toAgentB } : { status: 200, twiml: "<Response><Hangup/></Response>" };
const later = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));

test("simulateAsync awaits an async onWebhook and gives the timeline simulate gives for the same answers", async () => {
  for (const entry of scenarios()) {
    const seen = [];
    const timeline = await simulateAsync(entry.scenario, {
      onWebhook: async (request) => {
        seen.push(request);
        return later(2, answerFor(request));
      },
    });
    assert.deepEqual(timeline, simulate(entry.scenario, { onWebhook: answerFor }), entry.id);
    const requested = timeline.steps.filter((s) => s.kind === "webhook-requested");
    assert.deepEqual(seen.map(({ atMs, ...webhook }) => webhook), requested.map((s) => s.webhook), entry.id);
    assert.deepEqual(seen.map((r) => r.atMs), requested.map((s) => s.atMs), entry.id);
  }
});

test("simulateAsync: an async handler returning nothing leaves the answer to the scenario's app", async () => {
  const entry = scenarios().find((e) => e.id === "agentb-no-answer-aob-false");
  assert.deepEqual(await simulateAsync(entry.scenario, { onWebhook: async () => undefined }), simulate(entry.scenario));
  assert.deepEqual(await simulateAsync(entry.scenario), simulate(entry.scenario));
});

test("simulateAsync: a handler that throws rejects with its error; bad options are named", async () => {
  const entry = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  await assert.rejects(simulateAsync(entry.scenario, { onWebhook: async () => { throw new Error("db down"); } }), /db down/);
  await assert.rejects(simulateAsync(entry.scenario, { onWebhok: () => {} }), (e) => e.code === "bad_options" && /options\.onWebhok/.test(e.message));
  await assert.rejects(simulateAsync(entry.scenario, { onWebhook: async () => ({ status: "ok" }) }), (e) => e.code === "bad_webhook_answer");
  await assert.rejects(simulateAsync({ ...entry.scenario, bogus: 1 }), (e) => e.code === "bad_scenario");
});

test("the synchronous simulate still refuses a Promise and points to simulateAsync", () => {
  const entry = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  assert.throws(() => simulate(entry.scenario, { onWebhook: async () => ({ twiml: toAgentB }) }), (e) => e.code === "async_handler" && /simulateAsync/.test(e.message));
});

test("Simulation with pauseAtWebhooks waits at the request until respond() and no time passes meanwhile", () => {
  const entry = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  const sim = new Simulation(entry.scenario, { pauseAtWebhooks: true });
  assert.equal(sim.pending(), null);
  assert.throws(() => sim.respond({ twiml: toAgentB }), (e) => e.code === "nothing_pending");
  let last;
  for (let s = sim.step(); sim.pending() === null; s = sim.step()) last = s;
  const request = sim.pending();
  assert.equal(request.purpose, "referUrl");
  assert.equal(request.url, HANDLER);
  assert.equal(request.params.ReferTransferTarget, "<sip:AgentB@example.sip.twilio.com>");
  assert.equal(sim.steps().at(-1).kind, "webhook-requested");
  assert.equal(request.atMs, sim.nowMs);
  assert.throws(() => sim.step(), (e) => e.code === "awaiting_webhook" && e.message.includes(HANDLER));
  assert.equal(sim.nowMs, request.atMs);
  assert.throws(() => sim.respond({ status: 200, twiml: toAgentB, latencyMs: "soon" }), (e) => e.code === "bad_webhook_answer");
  assert.notEqual(sim.pending(), null, "a refused answer leaves the request pending");
  // A Promise (or any thenable) is an answer not there yet: refused as onWebhook's is, not taken as empty.
  for (const later of [Promise.resolve({ status: 200, twiml: toAgentB }), { then: (ok) => ok({ status: 200, twiml: toAgentB }) }]) {
    assert.throws(() => sim.respond(later), (e) => e.code === "async_handler" && /await/.test(e.message));
    assert.notEqual(sim.pending(), null, "a Promise leaves the request pending");
  }
  sim.respond({ status: 200, latencyMs: 1234, twiml: toAgentB });
  assert.equal(sim.pending(), null);
  let fetched;
  while ((fetched = sim.step()) && fetched.kind !== "webhook-fetched");
  assert.equal(fetched.atMs, request.atMs + 1234);
  while (sim.step() !== undefined);
  assert.deepEqual(sim.outcome().connected, [["caller", "target"]]);
  assert.ok(last !== undefined);
});

test("endpoints keys match as SIP addresses: a bare user, another case of host, parameters and headers on the dialled URI", () => {
  const base = {
    initialTwiml: `<Response><Dial referUrl="${HANDLER}"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>`,
    refer: { atMs: 10000, referTo: "<sip:AgentB@example.sip.twilio.com>" },
    app: { [HANDLER]: { twiml: "<Response><Dial><Sip>sip:AgentB@EXAMPLE.sip.twilio.com;transport=tls?X-Ticket=42</Sip></Dial></Response>" } },
  };
  for (const key of ["AgentB", "sip:AgentB@example.sip.twilio.com", "sip:AgentB@example.sip.twilio.com;transport=tls", "sip:AgentB@example.sip.twilio.com?X-Ticket=42"]) {
    const t = simulate({ ...base, endpoints: { [key]: { answer: "busy" } } });
    assert.equal(t.outcome.legs.target, "busy", key);
    assert.deepEqual(t.warnings, [], key);
  }
  for (const key of ["agentb", "sip:AgentB@example.sip.twilio.com;transport=udp", "AgentB@example.sip.twilio.com"]) {
    const t = simulate({ ...base, endpoints: { [key]: { answer: "busy" } } });
    assert.equal(t.outcome.legs.target, "in-progress", key);
    assert.deepEqual(t.warnings.map((w) => [w.code, w.field]), [["unused_endpoint", /^[A-Za-z_$][\w$]*$/.test(key) ? `endpoints.${key}` : `endpoints[${JSON.stringify(key)}]`]], key);
  }
  const typo = simulate({ ...base, app: { ...base.app, "https://example.com/handlr": { twiml: "<Response/>" } } });
  assert.deepEqual(typo.warnings.map((w) => [w.code, w.field]), [["unused_app", 'app["https://example.com/handlr"]']]);
});

test("simulateAsync: authToken or timeoutMs without app is refused, not silently ignored (nothing would be signed or timed)", async () => {
  const entry = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  // A developer who forgot `app` believes their handler saw signed requests: it saw none.
  await assert.rejects(simulateAsync(entry.scenario, { onWebhook: async () => undefined, authToken: "tok" }), (e) => e.code === "bad_options" && /options\.authToken signs the requests sent to options\.app/.test(e.message));
  await assert.rejects(simulateAsync(entry.scenario, { timeoutMs: 5000 }), (e) => e.code === "bad_options" && /options\.timeoutMs .* options\.app/.test(e.message));
  // Explicitly undefined is the same as absent.
  assert.deepEqual(await simulateAsync(entry.scenario, { authToken: undefined, timeoutMs: undefined }), simulate(entry.scenario));
});
