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

// pkg/index.js keeps the text of a scenario object written alike twice and, while a walk finds the
// object still reads as that text, neither writes it again nor passes it to the module (which runs
// its prepared scenario by id). Every change must be seen, and an id the module dropped not used.
test("a scenario object run again is written again once it changed, and runs after the module dropped it", () => {
  const s = structuredClone(scenario);
  const text = () => JSON.stringify(simulate(JSON.stringify(s)));
  const first = text();
  for (let k = 0; k < 4; k++) assert.equal(JSON.stringify(simulate(s)), first, `run ${k}`);
  const changes = [
    () => (s.refer.atMs += 1),
    () => (s.endpoints = { [agent]: { afterMs: 100 } }),
    () => (s.endpoints[agent].afterMs = 200),
    () => (s.caller = { from: "+15005550006" }),
    () => (s.refer.toJSON = () => ({ atMs: 1500, referTo: s.refer.referTo })),
    () => Object.setPrototypeOf(s.caller, { from: "+15005550007" }),
  ];
  for (const [k, change] of changes.entries()) {
    change();
    const expected = text();
    assert.notEqual(expected, first, `change ${k} changes the timeline`);
    for (let r = 0; r < 4; r++) assert.equal(JSON.stringify(simulate(s)), expected, `change ${k}, run ${r}`);
  }
  s.endpoints[agent].afterMs = NaN;
  assert.throws(() => simulate(s), fails("bad_scenario", field("afterMs")));
  s.endpoints[agent].afterMs = undefined;
  const absent = text();
  for (let r = 0; r < 3; r++) assert.equal(JSON.stringify(simulate(s)), absent);
  // Past the module's 64 prepared scenarios: the id it gave is gone, the text runs again.
  for (let n = 0; n < 70; n++) simulate({ ...scenario, refer: { ...scenario.refer, atMs: 1000 + n } });
  assert.equal(JSON.stringify(simulate(s)), absent);
});
