// An answer with no body means the same whether a mock or a live server gives it: a mock's
// missing `twiml` (an `onWebhook` answer, `respond`) is an empty body, as a real Express server
// on 127.0.0.1 sending no body is. An empty text/xml document does not parse (12100,
// `error.12100`); a body without a Content-Type is 12300 (`error.12300`). Before, `{ status: 200 }`,
// `{ status: 204 }`, `{ twiml: null }` and `respond({})` ran as `<Response/>` (no verbs: UserA hung
// up, no alert) while `{ status: 200, twiml: "" }` and the live empty answer gave 12100.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import { simulateAsync } from "refer-sim/async";
import { simulate, scenarios, Simulation } from "refer-sim";
import { listen, close } from "./helpers/local_server.mjs";

const scenario = scenarios().find((e) => e.id === "agentb-answers-aob-false").scenario;

let live = null;
let server, app;
before(async () => {
  const e = express();
  e.use(express.urlencoded({ extended: false }));
  e.post("/handler", (req, res) => live(req, res));
  ({ server, url: app } = await listen(e));
});
after(() => close(server));

/** What decides the result: the alerts, who is connected, the summary (URLs aside). */
const result = (t) => ({
  alerts: t.outcome.alerts.map((a) => a.code),
  connected: t.outcome.connected,
  summary: t.outcome.summary,
  answered: t.steps.filter((s) => s.response).map((s) => [s.response.status, s.response.body]),
});
const mocked = (answer) => result(simulate(scenario, { onWebhook: (r) => (r.purpose === "referUrl" ? answer : null) }));
const stepped = (answer) => {
  const sim = new Simulation(scenario, { pauseAtWebhooks: true });
  for (;;) {
    if (sim.pending()) sim.respond(answer);
    else if (sim.step() === undefined) break;
  }
  const t = sim.timeline();
  sim.free();
  return result(t);
};
const served = async (handler) => {
  live = handler;
  return result(await simulateAsync(scenario, { app }));
};

test("no body and text/xml: error 12100 from a mock, respond() and a live server alike", async () => {
  const expected = await served((_req, res) => res.type("text/xml").send(""));
  assert.deepEqual(expected.alerts, [12100], JSON.stringify(expected));
  for (const answer of [{ status: 200 }, { status: 200, twiml: "" }, { status: 200, twiml: null }, { status: 204 }, {}]) {
    assert.deepEqual(mocked(answer).alerts, expected.alerts, JSON.stringify(answer));
    assert.deepEqual(mocked(answer).connected, expected.connected, JSON.stringify(answer));
    assert.deepEqual(stepped(answer).alerts, expected.alerts, `respond(${JSON.stringify(answer)})`);
  }
  assert.deepEqual(mocked({ status: 200 }), expected, "the same summary and the same empty body shown");
  assert.deepEqual(stepped({}), expected);
});

test("no body and no Content-Type (res.sendStatus(204)): error 12300 from a mock and a live server alike", async () => {
  const expected = await served((_req, res) => res.sendStatus(204));
  assert.deepEqual(expected.alerts, [12300], JSON.stringify(expected));
  assert.deepEqual(mocked({ status: 204, contentType: null }), expected);
  assert.deepEqual(stepped({ status: 204, contentType: null }), expected);
});
