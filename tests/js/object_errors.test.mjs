// A scenario given as an object is read through an internal JSON copy: its errors name the
// field path and what is allowed, never a line and column of that copy (issue 13, item 5).
import test from "node:test";
import assert from "node:assert/strict";
import { simulate, scenarios, Simulation } from "refer-sim";

const base = scenarios()[0].scenario;
const cases = [
  [{ ...base, endpoints: { "sip:x@y": { answer: "bussy" } } }, 'endpoints["sip:x@y"].answer', /"bussy" is not one of answer, no-answer, busy, fail$/],
  [{ ...base, refer: { ...base.refer, atMs: "soon" } }, "refer.atMs", /expected a non-negative integer$/],
  [{ ...base, caller: { from: 5 } }, "caller.from", /expected a string$/],
  [{ ...base, bogus: 1 }, "bogus", /unknown field "bogus": the fields are initialTwiml, .*, callerDigits, callerKeys$/],
];

test("object scenarios: errors name the path and what is allowed, without internal positions", () => {
  for (const [scenario, field, wording] of cases) {
    assert.throws(() => simulate(scenario), (e) => {
      assert.equal(e.code, "bad_scenario");
      assert.equal(e.field, field);
      assert.ok(e.message.includes(field), e.message);
      assert.doesNotMatch(e.message, /line \d+ column \d+/);
      assert.match(e.message, wording);
      return true;
    });
  }
});

test("JSON text scenarios keep the line and column (they point into the user's own text)", () => {
  const text = JSON.stringify({ ...base, caller: { from: 5 } }, null, 2);
  assert.throws(() => simulate(text), (e) => e.field === "caller.from" && /line \d+ column \d+/.test(e.message));
});

test("a scenario JSON cannot write says why (a BigInt, a cycle, a throwing getter), and the module keeps working", () => {
  const cyclic = { ...base, endpoints: {} };
  cyclic.endpoints.self = cyclic;
  const deep = { ...base, app: {} };
  for (let cur = deep.app, k = 0; k < 20000; k++) cur = cur.a = {};
  const getter = { ...base };
  Object.defineProperty(getter, "refer", { enumerable: true, get() { throw new Error("no refer for you"); } });
  const cases = [
    [{ ...base, refer: { ...base.refer, atMs: 5n } }, /cannot be written as JSON: JSON\.stringify threw ".*BigInt.*"$/],
    [cyclic, /cannot be written as JSON: JSON\.stringify threw ".*circular.*"$/is],
    [getter, /cannot be written as JSON: JSON\.stringify threw "no refer for you"$/],
    [{ ...base, toJSON() { throw "plain string"; } }, /JSON\.stringify threw "plain string"$/],
    [{ ...base, toJSON() { throw { weird: true }; } }, /cannot be written as JSON: JSON\.stringify threw$/],
    [{ toJSON() { return undefined; } }, /cannot be written as JSON: JSON\.stringify gives no text for it$/],
    [deep, /cannot be written as JSON: JSON\.stringify threw ".*call stack.*"$/],
  ];
  for (const [scenario, wording] of cases) {
    assert.throws(() => simulate(scenario), (e) => {
      assert.equal(e.code, "not_a_scenario");
      assert.match(e.message, wording);
      assert.equal(e.field, null, "field null (the whole input), as for an array or a number");
      return true;
    });
  }
  assert.ok(simulate(base).steps.length > 0, "the module still runs");
});

test("a catalogue id or an array is not a scenario: not_a_scenario without a field, saying where ids are looked up", () => {
  for (const run of [(s) => simulate(s), (s) => new Simulation(s)]) {
    assert.throws(() => run("agentb-busy-aob-true"), (e) => {
      assert.equal(e.code, "not_a_scenario");
      assert.equal(e.field, null);
      assert.match(e.message, /^expected a scenario object \(or its JSON text\), not the text "agentb-busy-aob-true": .*scenarios\(\).*refer-sim run agentb-busy-aob-true/);
      return true;
    });
    assert.throws(() => run([]), (e) => e.code === "not_a_scenario" && e.field === null && /not an array$/.test(e.message));
    // Neither an object nor a text: the same shape (field null, the whole input) and what it was.
    for (const [value, what] of [[null, "null"], [undefined, "undefined"], [5, "a number"], [true, "a boolean"], [() => 1, "a function"], [Symbol("s"), "a symbol"], [5n, "a number"]]) {
      assert.throws(() => run(value), (e) => {
        assert.equal(e.code, "not_a_scenario");
        assert.equal(e.field, null);
        assert.equal(e.message, `expected a scenario object (or its JSON text), not ${what}`);
        return true;
      });
    }
  }
  const { scenario } = scenarios().find((e) => e.id === "agentb-busy-aob-true");
  assert.ok(simulate(scenario).steps.length > 0, "what the message says works");
});

test("err.field and a warning's field spell an entry alike: .name for an identifier key, [\"key\"] otherwise", () => {
  const { scenario } = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  for (const [key, entry] of [["b", "endpoints.b"], ["sip:b@e.com", 'endpoints["sip:b@e.com"]']]) {
    const fieldOf = (endpoint) => {
      try {
        simulate({ ...scenario, endpoints: { ...scenario.endpoints, [key]: endpoint } });
      } catch (e) {
        return e.field;
      }
      return "no error";
    };
    assert.equal(fieldOf({ afterMs: "x" }), `${entry}.afterMs`, "a type error");
    assert.equal(fieldOf({ answr: "busy" }), `${entry}.answr`, "an unknown field");
    const t = simulate({ ...scenario, endpoints: { ...scenario.endpoints, [key]: { answer: "busy" } } });
    assert.equal(t.warnings.find((w) => w.code === "unused_endpoint").field, entry, "a warning");
  }
});
