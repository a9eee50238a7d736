// A live referUrl application: a real Express app with express.urlencoded() and
// the twilio package's own twilio.webhook() signature validation against its public
// URL (https://example.com/..., the URLs the catalogue's scenarios name), on
// 127.0.0.1, started and stopped here. refer-sim sends it the requests Twilio
// would send (method, form body or query, X-Twilio-Signature); its status,
// body and measured latency drive the simulation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import twilio from "twilio";
import { scenarios } from "refer-sim";
import { simulateAsync, twilioSignature } from "refer-sim/async";
import { listen, close } from "./helpers/local_server.mjs";

const AUTH_TOKEN = "12345678901234567890123456789012";
/** The public origin the scenarios name: Twilio requests and signs https://example.com/handler. */
const PUBLIC = { host: "example.com", protocol: "https" };
/** Every request as the server saw it, with whether twilio.validateRequest accepts it. */
const seen = [];
let server;
let base;
let slowMs = 0;

before(async () => {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use((req, _res, next) => {
    const url = `${req.protocol}://${req.get("host")}${req.originalUrl}`;
    const publicUrl = `${PUBLIC.protocol}://${PUBLIC.host}${req.originalUrl}`;
    const signature = req.get("X-Twilio-Signature");
    seen.push({
      method: req.method,
      url,
      publicUrl,
      contentType: req.get("Content-Type") ?? null,
      userAgent: req.get("User-Agent"),
      forwardedProto: req.get("X-Forwarded-Proto") ?? null,
      signature: signature ?? null,
      params: req.method === "POST" ? { ...req.body } : { ...req.query },
      valid: twilio.validateRequest(AUTH_TOKEN, signature ?? "", publicUrl, req.method === "POST" ? req.body : {}),
    });
    next();
  });
  // The application under test: dial the target the REFER named, without its <> and URI headers.
  const handler = async (req, res) => {
    const params = req.method === "POST" ? req.body : req.query;
    if (slowMs) await new Promise((r) => setTimeout(r, slowMs));
    const target = params.ReferTransferTarget.replace(/^<|>$/g, "").split("?")[0];
    const response = new twilio.twiml.VoiceResponse();
    response.dial().sip(target);
    res.type("text/xml").send(response.toString());
  };
  app.post("/handler", twilio.webhook(AUTH_TOKEN, PUBLIC), handler);
  app.get("/handler", twilio.webhook(AUTH_TOKEN, PUBLIC), handler);
  app.post("/broken", twilio.webhook(AUTH_TOKEN, PUBLIC), (_req, res) => res.status(500).send("database down"));
  // A handler's own 404, with TwiML (an agent it does not know): the handler ran.
  app.post("/own404", twilio.webhook(AUTH_TOKEN, PUBLIC), (_req, res) => res.status(404).type("text/xml").send("<Response><Say>No such agent</Say></Response>"));
  // A referUrl whose <Dial> has an action, and that action (both behind signature validation).
  app.post("/refer-with-action", twilio.webhook(AUTH_TOKEN, PUBLIC), (_req, res) => {
    const response = new twilio.twiml.VoiceResponse();
    response.dial({ action: "https://example.com/after-dial", timeout: 10 }).sip("sip:AgentB@example.sip.twilio.com");
    res.type("text/xml").send(response.toString());
  });
  app.post("/after-dial", twilio.webhook(AUTH_TOKEN, PUBLIC), (_req, res) => res.type("text/xml").send("<Response><Hangup/></Response>"));
  ({ server, url: base } = await listen(app));
});

after(() => close(server));

const scenario = (id) => scenarios().find((e) => e.id === id).scenario;
const stepOf = (t, kind) => t.steps.find((s) => s.kind === kind);

test("a signed POST passes twilio.webhook(); the server's TwiML transfers the caller", async () => {
  seen.length = 0;
  const t = await simulateAsync(scenario("agentb-answers-aob-true"), { app: base, authToken: AUTH_TOKEN });
  assert.deepEqual(t.outcome.connected, [["caller", "target"]]);
  assert.equal(seen.length, 1);
  const [req] = seen;
  const sent = stepOf(t, "webhook-requested").webhook;
  assert.equal(req.method, "POST");
  assert.equal(req.url, "http://example.com/handler", "Host names the host Twilio requests (the server sees it over http: no trust proxy)");
  assert.equal(req.forwardedProto, "https", "the public scheme, as a TLS-terminating proxy passes it on");
  assert.equal(req.contentType, "application/x-www-form-urlencoded");
  assert.equal(req.userAgent, "TwilioProxy/1.1");
  assert.deepEqual(req.params, sent.params, "the server parsed exactly the parameters the timeline shows");
  assert.equal(req.valid, true);
  assert.equal(req.signature, twilio.getExpectedTwilioSignature(AUTH_TOKEN, "https://example.com/handler", req.params), "signed over the URL Twilio requests");
  const fetched = stepOf(t, "webhook-fetched");
  assert.equal(fetched.response.status, 200);
  assert.match(fetched.response.body, /<Sip>sip:AgentB@example.sip.twilio.com<\/Sip>/);
  assert.deepEqual(t.warnings, []);
});

test("referMethod GET: the parameters travel in the signed query string", async () => {
  seen.length = 0;
  const t = await simulateAsync(scenario("refer-method-get"), { app: base, authToken: AUTH_TOKEN });
  assert.deepEqual(t.outcome.connected, [["caller", "target"]]);
  const [req] = seen;
  assert.equal(req.method, "GET");
  assert.equal(req.url, `http://example.com/handler?${new URL(stepOf(t, "webhook-requested").webhook.queryUrl).search.slice(1)}`);
  assert.equal(req.contentType, null);
  assert.equal(req.params.ReferTransferTarget, "<sip:AgentB@example.sip.twilio.com>");
  assert.equal(req.valid, true);
});

test("a wrong auth token: twilio.webhook() answers 403 and the simulation fails the fetch like Twilio (11200)", async () => {
  seen.length = 0;
  // By default the run rejects: the handler never ran, and a failed referUrl gives the fallback
  // a test of answerOnBridge true would assert (newuser4: such a test passed green).
  await assert.rejects(simulateAsync(scenario("agentb-answers-aob-true"), { app: base, authToken: "not-the-token" }), (e) => {
    assert.equal(e.code, "app_untested");
    assert.equal(e.field, "options.app");
    assert.match(e.message, /POST https:\/\/example\.com\/handler \(referUrl\) answered 403 before any handler ran/);
    assert.deepEqual(e.untested, [{ url: "https://example.com/handler", method: "POST", purpose: "referUrl", status: 403, reason: "answered 403 before any handler ran" }]);
    assert.deepEqual(e.timeline.outcome.connected, [["caller", "transferor"]]);
    return true;
  });
  seen.length = 0;
  const t = await simulateAsync(scenario("agentb-answers-aob-true"), { app: base, authToken: "not-the-token", allowUntested: true });
  assert.equal(t.untested.length, 1);
  assert.equal(seen[0].valid, false);
  const failed = stepOf(t, "webhook-failed");
  assert.equal(failed.response.status, 403);
  assert.ok(t.outcome.alerts.some((a) => a.code === 11200));
  assert.deepEqual(t.outcome.connected, [["caller", "transferor"]], "answerOnBridge true: the initial call is re-established");
});

test("unsigned requests (no authToken) are refused by twilio.webhook() with 400", async () => {
  seen.length = 0;
  await assert.rejects(simulateAsync(scenario("agentb-answers-aob-true"), { app: base }), { code: "app_untested", message: /answered 400 before any handler ran \(the request was not signed: give authToken\)/ });
  seen.length = 0;
  const t = await simulateAsync(scenario("agentb-answers-aob-true"), { app: base, allowUntested: true });
  assert.equal(seen[0].signature, null);
  assert.equal(stepOf(t, "webhook-failed").response.status, 400);
});

test("the server's status drives the outcome: HTTP 500 is alert 11200", async () => {
  const s = scenario("agentb-answers-aob-true");
  s.initialTwiml = s.initialTwiml.replace("https://example.com/handler", "https://example.com/broken");
  const t = await simulateAsync(s, { app: base, authToken: AUTH_TOKEN });
  const failed = stepOf(t, "webhook-failed");
  assert.deepEqual([failed.response.status, failed.response.body], [500, "database down"]);
  // A 500 came from the handler: it was tested, and the run resolves with nothing untested.
  assert.deepEqual(t.untested, []);
});

test("a handler's own 404 with TwiML is a tested answer, not one refused before any handler ran", async () => {
  const s = scenario("agentb-answers-aob-true");
  s.initialTwiml = s.initialTwiml.replace("https://example.com/handler", "https://example.com/own404");
  const t = await simulateAsync(s, { app: base, authToken: AUTH_TOKEN });
  assert.equal(stepOf(t, "webhook-failed").response.status, 404);
  assert.deepEqual(t.untested, []);
});

test("measured latency: a slow handler's answer arrives that much later in simulated time", async () => {
  slowMs = 400;
  try {
    const t = await simulateAsync(scenario("agentb-answers-aob-true"), { app: base, authToken: AUTH_TOKEN });
    const gap = stepOf(t, "webhook-fetched").atMs - stepOf(t, "webhook-requested").atMs;
    assert.ok(gap >= 400 && gap < 5000, `answer ${gap} ms after the request`);
  } finally {
    slowMs = 0;
  }
});

test("a server that is not listening is unreachable (11205)", async () => {
  const { server: closed, url } = await listen(express());
  await close(closed);
  await assert.rejects(simulateAsync(scenario("agentb-answers-aob-true"), { app: url, authToken: AUTH_TOKEN }), { code: "app_untested", message: /could not be reached \(ECONNREFUSED\)/ });
  const t = await simulateAsync(scenario("agentb-answers-aob-true"), { app: url, authToken: AUTH_TOKEN, allowUntested: true });
  assert.deepEqual(t.untested.map((u) => [u.purpose, u.status]), [["referUrl", null]]);
  assert.equal(stepOf(t, "webhook-failed").response.status, null);
  assert.ok(t.outcome.alerts.some((a) => a.code === 11205));
});

test("twilioSignature equals twilio's own, for awkward parameters", async () => {
  const params = { B: "x y", A: "<sip:AgentB@example.com?X-Name=Agent%2C+A>", "a-lower": "é&=", Z: "" };
  const url = "https://example.com/handler?x=1&y=%27";
  assert.equal(await twilioSignature(AUTH_TOKEN, url, params), twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params));
  assert.equal(await twilioSignature(AUTH_TOKEN, url), twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, {}));
  // Wrong arguments say which one, instead of WebCrypto's "Zero-length key is not supported".
  for (const [args, field] of [[[undefined, url], "authToken"], [["", url], "authToken"], [[AUTH_TOKEN, 5], "url"], [[AUTH_TOKEN, url, "a=1"], "params"]]) {
    await assert.rejects(twilioSignature(...args), (e) => e.code === "bad_argument" && e.field === field, field);
  }
});

test("options are checked: a URL that is not http(s), and onWebhook with app", async () => {
  const s = scenario("agentb-answers-aob-true");
  await assert.rejects(simulateAsync(s, { app: "127.0.0.1:3000" }), (e) => e.code === "bad_options" && /options\.app/.test(e.message));
  await assert.rejects(simulateAsync(s, { app: base, onWebhook: () => {} }), (e) => e.code === "bad_options");
  for (const timeoutMs of [NaN, -1, 0, "5000", 1.5, 1e9]) {
    await assert.rejects(simulateAsync(s, { app: base, timeoutMs }), (e) => e.code === "bad_options" && /options\.timeoutMs/.test(e.message), String(timeoutMs));
  }
});

test("a server still silent when Twilio's 15 s timeout has passed: the run ends with 11205 instead of an app_timeout error", async () => {
  const { server: silent, url: app } = await listen(() => {}); // accepts, never answers
  try {
    const t = await simulateAsync(scenario("agentb-answers-aob-true"), { app, authToken: AUTH_TOKEN, timeoutMs: 15100 });
    const failed = stepOf(t, "webhook-failed");
    assert.match(failed.narration, /did not answer within 15 s/);
    assert.ok(t.outcome.alerts.some((a) => a.code === 11205));
    assert.match(t.explanation.fix, /answer within Twilio's webhook timeout/);
    assert.deepEqual(t.outcome.connected, [["caller", "transferor"]]);
    // Below Twilio's limit, timeoutMs is the caller's own: the run rejects.
    await assert.rejects(simulateAsync(scenario("agentb-answers-aob-true"), { app, authToken: AUTH_TOKEN, timeoutMs: 200 }), (e) => e.code === "app_timeout");
  } finally {
    await close(silent);
  }
});

test("the <Dial action> request, DialBridged and DialSipCallId included, is signed and passes twilio.webhook()", async () => {
  seen.length = 0;
  const s = structuredClone(scenario("action-handles-failure"));
  s.initialTwiml = s.initialTwiml.replace("https://example.com/handler", "https://example.com/refer-with-action");
  const t = await simulateAsync(s, { app: base, authToken: AUTH_TOKEN });
  assert.deepEqual(seen.map((r) => [new URL(r.url).pathname, r.valid]), [["/refer-with-action", true], ["/after-dial", true]]);
  const sent = t.steps.map((x) => x.webhook).filter((w) => w && w.url === "https://example.com/after-dial")[0];
  assert.deepEqual(seen[1].params, sent.params, "the server parsed exactly the parameters the timeline shows");
  assert.equal(seen[1].params.DialCallStatus, "no-answer");
  assert.equal(seen[1].params.DialBridged, "false");
  assert.match(seen[1].params.DialSipCallId, /@sip\.twilio\.invalid$/);
  assert.equal(seen[1].params.DialSipResponseCode, "487");
});
