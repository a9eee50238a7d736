// A number of the wrong kind in a scenario or an answer, in the user's words: a status code
// out of reach asks for a status code (an object's said "expected a non-negative integer", which
// 70000 is), and a scenario given as JSON text never says u64 or u16 (Rust's type names).
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, Simulation, scenarios } from "refer-sim";

const base = scenarios().find((e) => e.id === "agentb-answers-aob-true").scenario;
const url = "https://example.com/handler";

test("a status code out of reach: the field, and a status code asked for", () => {
  const withStatus = { ...base, app: { [url]: { ...base.app[url], status: 70000 } } };
  for (const given of [withStatus, JSON.stringify(withStatus)]) {
    assert.throws(() => simulate(given), (e) => {
      assert.equal(e.code, "bad_scenario");
      assert.equal(e.field, `app["${url}"].status`);
      assert.match(e.message, /integer `70000`, expected a 3-digit status code/);
      assert.doesNotMatch(e.message, /u16|non-negative/);
      return true;
    });
  }
  const sim = new Simulation(base, { pauseAtWebhooks: true });
  while (sim.pending() === null) sim.step();
  assert.throws(() => sim.respond({ status: 70000 }), (e) => e.code === "bad_webhook_answer" && e.field === "status" && /expected a 3-digit status code/.test(e.message));
  sim.free();
});

test("a time given as JSON text that is not a whole number: no Rust type name", () => {
  const text = JSON.stringify({ ...base, refer: { ...base.refer, atMs: "soon" } });
  assert.throws(() => simulate(text), (e) => e.field === "refer.atMs" && /expected a non-negative integer at line 1 column \d+$/.test(e.message) && !/u64/.test(e.message));
});
