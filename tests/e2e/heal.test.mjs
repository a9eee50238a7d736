// The package heals in Chromium (issue 13): the browser entry (pkg/index.js, what the
// playground and bundlers import) survives 10,000 forced traps, 10,000 builder
// exceptions and calls on freed objects, then gives every catalogue timeline byte for
// byte as a fresh Node process does; and the playground keeps working after traps.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { openPlayground } from "./harness.mjs";

const TRAPS = 10_000;
const root = new URL("../../", import.meta.url);

function freshCatalogueRuns() {
  const script = `import { simulate, scenarios } from "refer-sim";
    process.stdout.write(JSON.stringify(Object.fromEntries(scenarios().map((e) => [e.id, JSON.stringify(simulate(e.scenario))]))));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, maxBuffer: 1 << 28 }));
}

test(`Chromium: ${TRAPS} traps, builder exceptions and freed objects later, the catalogue is byte-identical to a fresh process`, async () => {
  const fresh = freshCatalogueRuns();
  const pg = await openPlayground();
  try {
    const result = await pg.page.evaluate(async (traps) => {
      const rs = await import("/pkg/index.js");
      const codes = new Set();
      const started = performance.now();
      for (let i = 0; i < traps; i++) {
        try {
          rs.__forceTrapForTests();
        } catch (e) {
          codes.add(`${e.code}:${e.call}`);
        }
      }
      const perTrapMs = (performance.now() - started) / traps;
      const response = new rs.VoiceResponse();
      const throwing = { get referUrl() { throw new Error("getter"); } };
      const proxy = new Proxy({}, { ownKeys() { throw new TypeError("ownKeys trap"); } });
      for (let i = 0; i < traps; i++) {
        try {
          response.dial(i % 2 ? throwing : proxy);
        } catch (e) {
          codes.add(e.message);
        }
      }
      const entry = rs.scenarios()[0];
      for (let i = 0; i < traps; i++) {
        const sim = new rs.Simulation(entry.scenario);
        sim.free();
        try {
          sim.step();
        } catch (e) {
          codes.add(e.code);
        }
      }
      response.say("after");
      const runs = Object.fromEntries(rs.scenarios().map((e) => [e.id, JSON.stringify(rs.simulate(e.scenario))]));
      return { codes: [...codes].sort(), perTrapMs, xml: response.toString(), runs };
    }, TRAPS);
    console.log(`trap + re-instantiation in Chromium: ${result.perTrapMs.toFixed(3)} ms each (${TRAPS})`);
    assert.deepEqual(result.codes, ["freed", "getter", "internal:__forceTrapForTests", "ownKeys trap"]);
    assert.match(result.xml, /<Response><Say>after<\/Say><\/Response>$/);
    assert.deepEqual(result.runs, fresh);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("Chromium: the playground's Refer-To inspector still works after the module was re-instantiated", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.evaluate(async () => {
      const rs = await import("/pkg/index.js");
      for (let i = 0; i < 1000; i++) {
        try {
          rs.__forceTrapForTests();
        } catch {
          // healed
        }
      }
    });
    await page.fill("#rt-input", "<sip:AgentB@example.com>");
    await page.waitForSelector("#rt-ok:not([hidden])");
    assert.equal(await page.textContent("#rt-target"), "<sip:AgentB@example.com>");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
