// What refer-sim/async and refer-sim/server say when a developer testing a referUrl
// application makes a typical mistake: every Error has the `code`, `offset` and `field` that
// ReferSimError declares (as simulate's own errors do), an answer an async onWebhook gets wrong
// is blamed on onWebhook (not on `respond`, which the developer never called) with the request
// it answered, and a relative URL sent to a live server says which request and what to write.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { simulate, scenarios } from "refer-sim";
import { simulateAsync, liveApp, serverUrl, twilioSignature } from "refer-sim/async";

const entry = (id) => scenarios().find((e) => e.id === id);
const scenario = entry("agentb-answers-aob-true").scenario;

/** The error has `code`, `field` and `offset` (null) as ReferSimError declares. */
const fails = (code, field) => (e) => {
  assert.ok(e instanceof Error);
  assert.equal(e.code, code);
  assert.equal(e.field, field, e.message);
  assert.ok("offset" in e && e.offset === null, `offset of ${e.code}: ${e.offset}`);
  return true;
};

test("simulateAsync's option errors name the option in `field`, as simulate's do", async () => {
  // simulate's own: the same mistake, the same field.
  assert.throws(() => simulate(scenario, { onWebhook: 42 }), fails("bad_options", "options.onWebhook"));
  await assert.rejects(simulateAsync(scenario, { onWebhook: 42 }), fails("bad_options", "options.onWebhook"));
  await assert.rejects(simulateAsync(scenario, { onWebHook: () => {} }), fails("bad_options", "options.onWebHook"));
  await assert.rejects(simulateAsync(scenario, 5), fails("bad_options", "options"));
  await assert.rejects(simulateAsync(scenario, { onWebhook: () => {}, app: "http://127.0.0.1:1" }), fails("bad_options", "options.app"));
  await assert.rejects(simulateAsync(scenario, { authToken: "t" }), fails("bad_options", "options.authToken"));
  await assert.rejects(simulateAsync(scenario, { timeoutMs: 10 }), fails("bad_options", "options.timeoutMs"));
  await assert.rejects(simulateAsync(scenario, { app: "127.0.0.1:3000" }), fails("bad_options", "options.app"));
  await assert.rejects(simulateAsync(scenario, { app: "http://127.0.0.1:1", authToken: 123 }), fails("bad_options", "options.authToken"));
  await assert.rejects(simulateAsync(scenario, { app: "http://127.0.0.1:1", timeoutMs: "5000" }), fails("bad_options", "options.timeoutMs"));
  assert.throws(() => liveApp({ app: "ftp://x" }), fails("bad_options", "options.app"));
});

test("twilioSignature's and serverUrl's errors carry offset and field too", async () => {
  await assert.rejects(twilioSignature("", "https://x"), fails("bad_argument", "authToken"));
  await assert.rejects(twilioSignature("t", ""), fails("bad_argument", "url"));
  await assert.rejects(twilioSignature("t", "https://x", 5), fails("bad_argument", "params"));
  assert.throws(() => serverUrl("http://127.0.0.1:3000", "/refer"), fails("bad_app_url", "url"));
  assert.throws(() => serverUrl("127.0.0.1:3000", "https://example.com/refer"), fails("bad_app_url", "base"));
});

test("a bad answer from an async onWebhook is blamed on onWebhook, with the request it answered", async () => {
  // The synchronous simulate names the request as simulateAsync does.
  assert.throws(() => simulate(scenario, { onWebhook: () => ({ status: "200" }) }), (e) =>
    e.code === "bad_webhook_answer" && e.field === "status" &&
    /^onWebhook's answer to the referUrl request \(POST https:\/\/example\.com\/handler\): status: /.test(e.message));
  await assert.rejects(simulateAsync(scenario, { onWebhook: async () => ({ status: "200" }) }), (e) => {
    assert.equal(e.code, "bad_webhook_answer");
    assert.equal(e.field, "status");
    assert.match(e.message, /^onWebhook's answer to the referUrl request \(POST https:\/\/example\.com\/handler\): status: /);
    assert.doesNotMatch(e.message, /respond/);
    return true;
  });
  await assert.rejects(simulateAsync(scenario, { onWebhook: async () => "<Response/>" }), (e) => e.code === "bad_webhook_answer" && /^onWebhook's answer to the referUrl request/.test(e.message) && /\{ status, latencyMs, twiml \}/.test(e.message));
});

test("a relative URL sent to a live server: the error names the request and says to write the absolute URL", async () => {
  const server = createServer((_req, res) => res.end("<Response/>"));
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const app = `http://127.0.0.1:${server.address().port}`;
  try {
    const relative = { ...scenario, initialTwiml: scenario.initialTwiml.replace("https://example.com/handler", "/handler") };
    await assert.rejects(simulateAsync(relative, { app }), (e) => {
      assert.equal(e.code, "bad_app_url");
      assert.equal(e.offset, null);
      assert.match(e.message, /the referUrl request goes to "\/handler", a relative URL/);
      assert.match(e.message, /write the absolute URL/);
      assert.ok(e.message.includes(app), e.message);
      return true;
    });
  } finally {
    server.close();
  }
});
