// The module keeps the scenarios it read and prepared lately, by their JSON text
// (src/wasm/transfer.rs, PreparedCache): a run of the same text must give what a first run gives,
// a different text its own timeline, and a text that failed must fail the same way again.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, Simulation, scenarios } from "refer-sim";

test("scenarios run again, past the cache's 64 entries, give their own timelines", () => {
  const list = scenarios();
  const first = list.map((e) => JSON.stringify(simulate(e.scenario)));
  // Variations with distinct texts (each a new entry) push the first ones out, then all run again.
  for (let n = 0; n < 80; n++) {
    const { scenario } = list[n % list.length];
    const t = simulate({ ...scenario, refer: { ...scenario.refer, atMs: scenario.refer.atMs + n + 1 } });
    assert.ok(t.steps.some((s) => s.atMs === scenario.refer.atMs + n + 1), `variation ${n}: its own REFER time`);
  }
  list.forEach((e, i) => assert.equal(JSON.stringify(simulate(e.scenario)), first[i], e.id));
  list.forEach((e, i) => assert.equal(JSON.stringify(simulate(JSON.stringify(e.scenario))), first[i], `${e.id} as text`));
  const sim = new Simulation(list[0].scenario);
  while (sim.step() !== undefined);
  assert.equal(JSON.stringify(sim.timeline()), first[0]);
});

test("a scenario that failed fails again with the same error, as an object and as text", () => {
  const { scenario } = scenarios()[0];
  const bad = { ...scenario, refer: { ...scenario.refer, atMs: -1 } };
  const message = (f) => {
    try {
      f();
    } catch (e) {
      return `${e.code} ${e.field} ${e.message}`;
    }
    return "no error";
  };
  const once = message(() => simulate(bad));
  assert.match(once, /^bad_scenario refer\.atMs /);
  assert.equal(message(() => simulate(bad)), once);
  const text = message(() => simulate(JSON.stringify(bad)));
  assert.match(text, /^bad_scenario refer\.atMs /);
  assert.equal(message(() => simulate(JSON.stringify(bad))), text);
  assert.equal(message(() => simulate(scenario)).startsWith("no error"), true);
});
