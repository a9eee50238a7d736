// No input breaks the package (issue 13), through `refer-sim` as users import it:
// the module heals after traps, builder exceptions and freed objects; inputs have
// limits with errors that name the field; and the reproducers stay fixed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  simulate, scenarios, parseReferTo, parseTwiml, checkTransfer, version, Simulation, VoiceResponse, TwimlElement,
  __forceTrapForTests,
} from "refer-sim";

const TRAPS = 10_000;
const root = new URL("../../", import.meta.url);

/** Every catalogue scenario's timeline as JSON text, keyed by id. */
function catalogueRuns() {
  return Object.fromEntries(scenarios().map((e) => [e.id, JSON.stringify(simulate(e.scenario))]));
}

/** The same, computed by a fresh Node process. */
function freshCatalogueRuns() {
  const script = `import { simulate, scenarios } from "refer-sim";
    process.stdout.write(JSON.stringify(Object.fromEntries(scenarios().map((e) => [e.id, JSON.stringify(simulate(e.scenario))]))));`;
  return JSON.parse(execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: root, maxBuffer: 1 << 28 }));
}

const isInternal = (call) => (e) => e instanceof Error && e.code === "internal" && e.call === call && e.message.includes(call);

test("a trap throws `internal` naming the call, and the next call works", () => {
  assert.throws(() => __forceTrapForTests(), isInternal("__forceTrapForTests"));
  assert.throws(() => __forceTrapForTests(), (e) => e.cause instanceof WebAssembly.RuntimeError);
  assert.equal(version(), "0.1.0".replace(/.*/, version())); // callable at all
  assert.equal(parseReferTo("<sip:AgentB@example.com>").uri.host, "example.com");
});

test(`the module survives ${TRAPS} traps, ${TRAPS} builder exceptions and calls on freed objects; the catalogue is byte-identical to a fresh process`, () => {
  const fresh = freshCatalogueRuns();
  const started = performance.now();
  for (let i = 0; i < TRAPS; i++) assert.throws(() => __forceTrapForTests(), isInternal("__forceTrapForTests"));
  const perTrapMs = (performance.now() - started) / TRAPS;
  console.log(`trap + re-instantiation: ${perTrapMs.toFixed(3)} ms each (${TRAPS} in Node)`);

  const response = new VoiceResponse();
  const throwing = { get referUrl() { throw new Error("getter"); } };
  const proxy = new Proxy({}, { ownKeys() { throw new TypeError("ownKeys trap"); } });
  for (let i = 0; i < TRAPS; i++) {
    assert.throws(() => response.dial(i % 2 ? throwing : proxy), i % 2 ? /getter/ : /ownKeys trap/);
  }
  response.dial({ referUrl: "https://example.com/handler" }).sip("sip:AgentA@example.com");
  assert.match(response.toString(), /<Dial referUrl="https:\/\/example.com\/handler"><Sip>sip:AgentA@example.com<\/Sip><\/Dial>/);

  const entry = scenarios()[0];
  for (let i = 0; i < TRAPS; i++) {
    const sim = new Simulation(entry.scenario);
    const builder = new VoiceResponse();
    sim.free();
    builder.free();
    assert.throws(() => sim.step(), (e) => e.code === "freed" && /Simulation\.step/.test(e.message));
    assert.throws(() => builder.say("x"), (e) => e.code === "freed");
    assert.throws(() => sim.done, (e) => e.code === "freed");
    sim.free(); // twice is harmless
  }
  assert.deepEqual(catalogueRuns(), fresh);
});

test("objects made before a re-instantiation throw `stale`; new ones work", () => {
  const sim = new Simulation(scenarios()[0].scenario);
  const response = new VoiceResponse();
  const dial = response.dial();
  assert.ok(dial instanceof TwimlElement && response instanceof VoiceResponse && sim instanceof Simulation);
  assert.throws(() => __forceTrapForTests(), isInternal("__forceTrapForTests"));
  for (const use of [() => sim.step(), () => sim.nowMs, () => response.toString(), () => dial.sip("sip:a@b.com"), () => dial.tag]) {
    assert.throws(use, (e) => e.code === "stale" && /made before the module was started afresh/.test(e.message));
  }
  sim.free(); // dropping a stale object is allowed and frees nothing in the new instance
  response.free();
  assert.ok(new Simulation(scenarios()[0].scenario).step());
});

test("a trap inside a callback fails the outer call too, and the module heals once it has unwound", () => {
  const entry = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  let inner = null;
  assert.throws(
    () => simulate(entry.scenario, {
      onWebhook() {
        try {
          __forceTrapForTests();
        } catch (e) {
          inner = e;
        }
        assert.throws(() => version(), isInternal("version")); // refused while the broken call is on the stack
        return undefined;
      },
    }),
    isInternal("simulate"),
  );
  assert.equal(inner?.code, "internal");
  assert.deepEqual(JSON.stringify(simulate(entry.scenario)), freshCatalogueRuns()[entry.id]);
});

test("an object used from inside its own callback throws `busy` instead of entering the module", () => {
  const entry = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  let sim;
  let seen = null;
  sim = new Simulation(entry.scenario, {
    onWebhook() {
      try {
        sim.snapshot();
      } catch (e) {
        seen = e;
      }
    },
  });
  while (sim.step() !== undefined);
  assert.equal(seen?.code, "busy");
  assert.ok(sim.done);
  const response = new VoiceResponse();
  assert.throws(() => response.dial({ get action() { response.free(); return "x"; } }), (e) => e.code === "busy");
  assert.equal(response.say("still usable").tag, "Say");
});
