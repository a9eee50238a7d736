// pkg/index.js writes a scenario object's JSON text itself and looks for NaN and Infinity (which
// JSON.stringify writes as `null`) by walking the object when the text holds a `null`; where the walk
// cannot be sure (toJSON, class instances, Number objects), JSON.stringify with a replacer decides.
// Either way the errors are those of the module's own reading (the same as before the walk).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, scenarios } from "refer-sim";

const { scenario } = scenarios().find((e) => e.id === "agentb-answers-aob-true");
const agent = "sip:AgentB@example.sip.twilio.com";
const field = (name) => `endpoints["${agent}"].${name}`;
const fails = (code, at) => (e) => e.code === code && e.field === at;

test("NaN and Infinity behind toJSON, a getter, a class instance or deep in an array name their field", () => {
  const cases = [
    [{ ...scenario, endpoints: { [agent]: { toJSON: () => ({ hangupAfterMs: NaN }) } } }, field("hangupAfterMs")],
    [{ ...scenario, endpoints: { [agent]: { get hangupAfterMs() { return Infinity; } } } }, field("hangupAfterMs")],
    [{ ...scenario, endpoints: { [agent]: new (class { constructor() { this.afterMs = NaN; } })() } }, field("afterMs")],
    [{ ...scenario, callerKeys: [{ atMs: 1, digits: "1" }, { atMs: -Infinity, digits: "2" }] }, "callerKeys[1].atMs"],
    [{ ...scenario, app: { "https://example.com/a": { status: 200, latencyMs: NaN, twiml: "<Response/>" } } }, 'app["https://example.com/a"].latencyMs'],
  ];
  for (const [s, at] of cases) assert.throws(() => simulate(s), fails("bad_scenario", at), at);
});

test("a null written by JSON.stringify that is no NaN reads as null; finite Number objects are numbers", () => {
  assert.throws(() => simulate({ ...scenario, referFrom: null }), fails("bad_scenario", "referFrom"));
  // A Number object holding NaN is written `null` by JSON.stringify, as before: an absent value.
  const absent = simulate({ ...scenario, endpoints: { [agent]: { hangupAfterMs: new Number(NaN) } } });
  assert.deepStrictEqual(absent, simulate({ ...scenario, endpoints: { [agent]: {} } }));
  const five = simulate({ ...scenario, endpoints: { [agent]: { hangupAfterMs: new Number(5000) } } });
  assert.deepStrictEqual(five, simulate({ ...scenario, endpoints: { [agent]: { hangupAfterMs: 5000 } } }));
});
