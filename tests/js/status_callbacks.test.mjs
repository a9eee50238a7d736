// Issue 10 item 4 (status and recording callbacks) through the package as a user imports it:
// each requested event reaches onWebhook (and a live server, signed) as a request of its own,
// the answers change nothing, <Dial record> gives the action its recording, an endpoint's
// responseHeaders become DialSipHeader_*, and checkTransfer says what the runtime will do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { simulate, checkTransfer, scenarios } from "refer-sim";
import { simulateAsync, twilioSignature } from "refer-sim/async";

const AGENT_A = "sip:AgentA@e.com", AGENT_B = "sip:AgentB@e.com";
const STATUS = "https://e.com/status";
const ALL = "initiated ringing answered completed";
const initial = `<Response><Dial referUrl="https://e.com/refer"><Sip>${AGENT_A}</Sip></Dial></Response>`;
const refer = { atMs: 10000, referTo: `<${AGENT_B}>` };
const referTwiml = (noun) => `<Response><Dial action="https://e.com/after">${noun}</Dial></Response>`;
const scenario = (noun, extra = {}) => ({
  initialTwiml: initial, refer,
  app: { "https://e.com/refer": { twiml: referTwiml(noun) }, "https://e.com/after": { twiml: "<Response><Say>bye</Say></Response>" }, [STATUS]: {} },
  endpoints: { [AGENT_B]: { afterMs: 3000, hangupAfterMs: 20000, ...extra } },
});
const callbacks = (t) => t.steps.map((s) => s.webhook).filter((w) => w && w.purpose === "statusCallback");
const callSteps = (t) => t.steps.filter((s) => !(s.webhook && s.webhook.purpose.endsWith("allback")) && !s.narration.startsWith("Callback answer: ") && s.kind !== "end").map((s) => [s.atMs, s.kind, s.narration]);

test("each requested event of a <Sip> party reaches onWebhook with its parameters", () => {
  const seen = [];
  const t = simulate(scenario(`<Sip statusCallback="${STATUS}" statusCallbackEvent="${ALL}">${AGENT_B}</Sip>`), {
    onWebhook: (r) => { seen.push(r.purpose); return undefined; },
  });
  const r = callbacks(t);
  assert.deepEqual(r.map((w) => w.params.CallStatus), ["initiated", "ringing", "in-progress", "completed"]);
  assert.deepEqual(r.map((w) => w.params.SequenceNumber), ["0", "1", "2", "3"]);
  assert.ok(r.every((w) => w.method === "POST" && w.params.CallbackSource === "call-progress-events" && w.params.ParentCallSid));
  assert.equal(r[3].params.CallDuration, "20");
  assert.equal(r[3].params.SipResponseCode, "200");
  assert.equal(seen.filter((p) => p === "statusCallback").length, 4, "onWebhook sees every callback");
  const step = t.steps.find((s) => s.webhook && s.webhook.purpose === "statusCallback");
  assert.equal(step.kind, "webhook-requested");
  assert.equal(step.source, "statuscb.async");
});

test("whatever a callback answers, the call goes on the same", () => {
  const plain = simulate(scenario(`<Sip>${AGENT_B}</Sip>`));
  for (const answer of [{ twiml: "<Response><Hangup/></Response>" }, { status: 500 }, { unreachable: true }, { latencyMs: 20000 }]) {
    const t = simulate(scenario(`<Sip statusCallback="${STATUS}" statusCallbackEvent="${ALL}">${AGENT_B}</Sip>`), {
      onWebhook: (r) => (r.purpose === "statusCallback" ? answer : undefined),
    });
    assert.deepEqual(callSteps(t).filter(([, k, n]) => !(k === "ignored" && /given up/.test(n))), callSteps(plain), JSON.stringify(answer));
    assert.deepEqual(t.outcome.alerts, plain.outcome.alerts);
    assert.deepEqual(t.outcome.connected, plain.outcome.connected);
  }
});

test("a live server gets every callback, signed like any other request", async (t) => {
  const token = "12345678901234567890123456789012";
  const received = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ url: req.url, signature: req.headers["x-twilio-signature"], body });
      res.writeHead(200, { "Content-Type": "text/xml" });
      res.end(req.url === "/refer" ? referTwiml(`<Sip statusCallback="https://e.com/status" statusCallbackEvent="answered completed">${AGENT_B}</Sip>`) : "<Response/>");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  t.after(() => server.close());
  const base = `http://127.0.0.1:${server.address().port}`;
  const timeline = await simulateAsync({ initialTwiml: initial, refer, endpoints: { [AGENT_B]: { afterMs: 3000, hangupAfterMs: 5000 } } }, { app: base, authToken: token });
  const status = received.filter((r) => r.url === "/status");
  assert.equal(status.length, 2);
  for (const r of status) {
    const params = Object.fromEntries(new URLSearchParams(r.body));
    assert.equal(r.signature, await twilioSignature(token, "https://e.com/status", params)); // the URL Twilio requests
  }
  assert.deepEqual(status.map((r) => new URLSearchParams(r.body).get("CallStatus")), ["in-progress", "completed"]);
  assert.ok(timeline.steps.some((s) => s.kind === "webhook-fetched" && s.narration.startsWith("Callback answer: ")));
});

test("<Dial record> gives the action its recording; responseHeaders become DialSipHeader_*", () => {
  const t = simulate({
    ...scenario(`<Sip>${AGENT_B}</Sip>`, { responseHeaders: { "X-Agent-Id": "B-42" } }),
    app: {
      "https://e.com/refer": { twiml: `<Response><Dial record="record-from-answer" recordingStatusCallback="https://e.com/rec" action="https://e.com/after"><Sip>${AGENT_B}</Sip></Dial></Response>` },
      "https://e.com/after": { twiml: "<Response/>" }, "https://e.com/rec": {},
    },
  });
  const action = t.steps.map((s) => s.webhook).find((w) => w && w.url === "https://e.com/after");
  assert.match(action.params.RecordingSid, /^RE[0-9a-f]{32}$/);
  assert.equal(action.params.RecordingDuration, "20");
  assert.equal(action.params["DialSipHeader_X-Agent-Id"], "B-42");
  const rec = t.steps.map((s) => s.webhook).filter((w) => w && w.purpose === "recordingStatusCallback");
  assert.deepEqual(rec.map((w) => [w.params.RecordingStatus, w.params.RecordingUrl]), [["completed", action.params.RecordingUrl]]);
});

test("responseHeaders are drawn in the final response to Twilio's INVITE, in the order of their names", () => {
  const headers = { "x-queue": "sales", "X-Agent-Id": "B-42" };
  const finalOf = (t) => t.steps.flatMap((s) => s.messages)
    .filter((m) => m.status >= 200 && m.from !== "twilio" && m.headers.some(([n, v]) => n === "CSeq" && v.endsWith("INVITE")))
    .filter((m) => m.headers.some(([n, v]) => n === "To" && v.includes("AgentB")));
  for (const [endpoint, status, drawn] of [
    [{ answer: "answer" }, 200, [["X-Agent-Id", "B-42"], ["x-queue", "sales"]]],
    [{ answer: "busy" }, 486, [["X-Agent-Id", "B-42"], ["x-queue", "sales"]]],
    [{ answer: "fail", sipCode: 404 }, 404, [["X-Agent-Id", "B-42"], ["x-queue", "sales"]]],
    [{ answer: "no-answer" }, 487, []],
  ]) {
    const t = simulate(scenario(`<Sip>${AGENT_B}</Sip>`, { ...endpoint, responseHeaders: headers }));
    const finals = finalOf(t);
    assert.equal(finals.length, 1, endpoint.answer);
    const [m] = finals;
    assert.equal(m.status, status);
    assert.deepEqual(m.headers.filter(([n]) => /^x-/i.test(n)), drawn, endpoint.answer);
    for (const [n, v] of drawn) assert.ok(m.text.includes(`\r\n${n}: ${v}\r\n`), m.text);
    const action = t.steps.map((s) => s.webhook).find((w) => w && w.url === "https://e.com/after");
    assert.deepEqual(Object.entries(action.params).filter(([k]) => k.startsWith("DialSipHeader_")),
      drawn.map(([n, v]) => [`DialSipHeader_${n}`, v]), endpoint.answer);
  }
});

test("a bad responseHeaders entry is a bad_scenario naming its path", () => {
  assert.throws(() => simulate(scenario(`<Sip>${AGENT_B}</Sip>`, { responseHeaders: { Agent: "1" } })), (e) =>
    e.code === "bad_scenario" && e.field === `endpoints["${AGENT_B}"].responseHeaders.Agent`);
});

test("checkTransfer warns where the runtime requests nothing the TwiML seems to ask for", () => {
  const [d] = checkTransfer(`<Response><Dial><Client statusCallback="${STATUS}">a</Client></Dial></Response>`, "referResponse").filter((d) => d.code === "status_callback_no_events");
  assert.ok(d && d.severity === "warning" && /Fix: add statusCallbackEvent="completed"/.test(d.message));
  assert.equal(d.source, "client.status-callback");
});

test("the catalogue shows callbacks around a transfer", () => {
  const group = scenarios().filter((e) => e.group === "Callbacks around a transfer").map((e) => e.id);
  assert.deepEqual(group, ["status-callbacks-transfer", "recording-callbacks-transfer"]);
});
