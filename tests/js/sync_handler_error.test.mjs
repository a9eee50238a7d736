// A synchronous onWebhook that throws: simulate and Simulation give the coded error simulateAsync
// rejects with (webhook_handler_failed; cause, request, field), not the handler's raw Error. The
// synchronous run has no pause to read the simulated time at, so its message names no time or step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { scenarios, simulate, Simulation, VoiceResponse } from "refer-sim";
import { simulateAsync } from "refer-sim/async";

const busy = scenarios().find((e) => e.id === "agentb-busy-aob-true").scenario;
const withCallback = { ...busy, initialTwiml: busy.initialTwiml.replace("<Sip>", '<Sip statusCallback="https://example.com/status" statusCallbackEvent="initiated">') };

/** A handler throwing `error` for requests of `purpose`, and the request objects it got. */
function throwing(error, purpose = "referUrl") {
  const got = [];
  return { got, onWebhook: (r) => { got.push(r); if (r.purpose === purpose) throw error; } };
}

test("simulate: a throwing onWebhook gives webhook_handler_failed with the request it got and its error as cause", () => {
  const boom = new Error("db down");
  const h = throwing(boom);
  assert.throws(() => simulate(busy, { onWebhook: h.onWebhook }), (e) => {
    assert.equal(e.code, "webhook_handler_failed");
    assert.equal(e.field, "options.onWebhook");
    assert.equal(e.offset, null);
    assert.equal(e.cause, boom);
    assert.equal(e.request, h.got.at(-1), "the very object the handler got");
    assert.equal(e.request.purpose, "referUrl");
    assert.equal(e.request.atMs, undefined);
    assert.equal(e.message, "options.onWebhook threw while answering the referUrl request (POST https://example.com/handler): Error: db down. Twilio never sees your handler fail like this; fix the handler, or return { status: 500 } to test what Twilio does with a server error");
    return true;
  });
  // A status callback's handler, a thrown string and a TypeError are named as simulateAsync names them.
  const cb = throwing("nope", "statusCallback");
  assert.throws(() => simulate(withCallback, { onWebhook: cb.onWebhook }), (e) =>
    e.code === "webhook_handler_failed" && e.cause === "nope" && e.request === cb.got.at(-1) &&
    /^options\.onWebhook threw while answering the statusCallback request \(POST https:\/\/example\.com\/status\): it threw "nope"\./.test(e.message));
  const type = new TypeError("x is undefined");
  assert.throws(() => simulate(JSON.stringify(busy), { onWebhook: () => { throw type; } }), (e) =>
    e.code === "webhook_handler_failed" && e.cause === type && /: TypeError: x is undefined\./.test(e.message));
});

test("Simulation with onWebhook: the step that calls a throwing handler throws webhook_handler_failed", () => {
  const boom = new RangeError("out of agents");
  const h = throwing(boom);
  const sim = new Simulation(busy, { onWebhook: h.onWebhook });
  let thrown = null;
  try {
    while (sim.step() !== undefined);
  } catch (e) {
    thrown = e;
  }
  sim.free();
  assert.equal(thrown?.code, "webhook_handler_failed");
  assert.equal(thrown.cause, boom);
  assert.equal(thrown.request, h.got.at(-1));
  assert.equal(new VoiceResponse().say("module not restarted").tag, "Say");
});

test("simulate and simulateAsync give the same error for the same throwing handler, but for the time and step", async () => {
  const boom = new Error("db down");
  let sync;
  try {
    simulate(busy, { onWebhook: () => { throw boom; } });
  } catch (e) {
    sync = e;
  }
  const async = await simulateAsync(busy, { onWebhook: () => { throw boom; } }).catch((e) => e);
  const fields = (e) => ({ code: e.code, field: e.field, offset: e.offset, cause: e.cause, name: e.name });
  assert.deepEqual(fields(sync), fields(async));
  const { atMs, ...asyncRequest } = async.request;
  assert.equal(typeof atMs, "number");
  assert.deepEqual(sync.request, asyncRequest);
  assert.equal(sync.message, async.message.replace(/, sent at \d+ ms \(step \d+\)/, ""));
});

test("the error is built by a file of the package's own: no new export", async () => {
  const entry = await import("refer-sim");
  const live = await import("refer-sim/async");
  for (const m of [entry, live]) assert.equal(Object.keys(m).some((k) => /handlerFailed/i.test(k)), false);
  await assert.rejects(import("refer-sim/dist/handler_error.js"), (e) => e.code === "ERR_PACKAGE_PATH_NOT_EXPORTED");
});
