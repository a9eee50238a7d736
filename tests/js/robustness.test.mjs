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

test("errors thrown by a callback reach the caller as they are (the cause of webhook_handler_failed), without re-instantiating the module", () => {
  const entry = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  const kept = new VoiceResponse();
  // Since round 13 a throwing onWebhook gives webhook_handler_failed, its error as `cause` (as simulateAsync).
  const handlerFailed = (error) => (e) => e.code === "webhook_handler_failed" && e.cause === error;
  for (const error of [new RangeError("user range"), new TypeError("user type"), (() => { try { (function f() { f(); })(); } catch (e) { return e; } })()]) {
    assert.throws(() => simulate(entry.scenario, { onWebhook() { throw error; } }), handlerFailed(error));
  }
  assert.throws(() => simulate(entry.scenario, { onWebhook: function overflow() { return overflow(); } }), (e) => e.code === "webhook_handler_failed" && e.cause instanceof RangeError);
  // A stack overflow in a caller's file whose path says "wasm" is still the caller's, not a trap of the module.
  const theirs = new RangeError("Maximum call stack size exceeded");
  theirs.stack = `${theirs.message}\n    at handler (file:///srv/wasm-app/handler.js:3:9)\n    at file:///srv/wasm-app/run.js:1:1`;
  assert.throws(() => simulate(entry.scenario, { onWebhook() { throw theirs; } }), handlerFailed(theirs));
  assert.equal(kept.say("not stale").tag, "Say");
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

// ---- The reproducers, through the package as users import it ----

const entry = () => scenarios().find((e) => e.id === "agentb-answers-aob-true");
const AGENT_B = "sip:AgentB@example.sip.twilio.com";
const HANDLER = "https://example.com/handler";
const withEndpoint = (behaviour) => ({ ...entry().scenario, endpoints: { [AGENT_B]: behaviour } });
const fails = (code, field) => (e) => {
  assert.equal(e.code, code, e.message);
  assert.equal(e.field, field, e.message);
  assert.ok(e.message.includes(field), `the message names ${field}: ${e.message}`);
  return true;
};

test("Refer-To values that trapped the module are errors, 1,000 times over, and the module stays alive", () => {
  for (const value of ["sip", "sips", "tel", "SIP", "<sip>", " sip", "sip;x", "N<sip>"]) {
    for (let i = 0; i < 1000; i++) assert.throws(() => parseReferTo(value), (e) => e.code !== "internal" && typeof e.offset === "number");
    const t = simulate({ ...entry().scenario, refer: { atMs: 20000, referTo: value } });
    assert.ok(t.steps.some((s) => s.kind === "refer-rejected"), value);
  }
  assert.equal(typeof version(), "string");
});

test("times past 2^40 ms (2**64-2048 used to wrap to 3 s) are errors naming the field", () => {
  const field = `endpoints["${AGENT_B}"].hangupAfterMs`;
  for (const ms of [2 ** 64 - 2048, 2 ** 53, 2 ** 40 + 1]) {
    assert.throws(() => simulate(withEndpoint({ hangupAfterMs: ms })), fails("bad_time", field));
  }
  assert.throws(() => simulate({ ...entry().scenario, refer: { ...entry().scenario.refer, atMs: 2 ** 64 - 2048 } }), fails("bad_time", "refer.atMs"));
  assert.ok(simulate(withEndpoint({ hangupAfterMs: 2 ** 40 })).steps.length > 0);
});

test("NaN and Infinity are errors naming the field, not absent values", () => {
  for (const [behaviour, key] of [[{ hangupAfterMs: NaN }, "hangupAfterMs"], [{ sipCode: Infinity, answer: "fail" }, "sipCode"], [{ afterMs: -Infinity }, "afterMs"]]) {
    assert.throws(() => simulate(withEndpoint(behaviour)), fails("bad_scenario", `endpoints["${AGENT_B}"].${key}`));
  }
  assert.throws(() => simulate({ ...entry().scenario, callerDigits: ["1", NaN] }), fails("bad_scenario", "callerDigits[1]"));
  assert.throws(
    () => simulate(entry().scenario, { onWebhook: () => ({ twiml: "<Response/>", latencyMs: NaN }) }),
    fails("bad_webhook_answer", "latencyMs"),
  );
});

test("err.field is the path in the user's object, not the offending value", () => {
  assert.throws(() => simulate(withEndpoint({ answer: "maybe" })), fails("bad_scenario", `endpoints["${AGENT_B}"].answer`));
  assert.throws(() => simulate(withEndpoint({ afterMs: -1 })), fails("bad_scenario", `endpoints["${AGENT_B}"].afterMs`));
  assert.throws(() => simulate({ ...entry().scenario, refer: { atMs: -1, referTo: "<sip:a@b.com>" } }), fails("bad_scenario", "refer.atMs"));
  assert.throws(() => simulate({ ...entry().scenario, refer: { referTo: "<sip:a@b.com>" } }), fails("bad_scenario", "refer.atMs"));
  assert.throws(() => simulate({ ...entry().scenario, app: { [HANDLER]: { status: "200" } } }), fails("bad_scenario", `app["${HANDLER}"].status`));
});

test("wrong option types throw instead of being ignored", () => {
  for (const options of [5, "x", true]) assert.throws(() => simulate(entry().scenario, options), fails("bad_options", "options"));
  for (const onWebhook of [5, "f", {}]) {
    assert.throws(() => simulate(entry().scenario, { onWebhook }), fails("bad_options", "options.onWebhook"));
    assert.throws(() => new Simulation(entry().scenario, { onWebhook }), fails("bad_options", "options.onWebhook"));
  }
  assert.ok(simulate(entry().scenario, undefined) && simulate(entry().scenario, null) && simulate(entry().scenario, {}));
  // A misspelt option would run the scenario without the handler: a test could pass without ever calling it.
  assert.throws(() => simulate(entry().scenario, { onWebhok: () => ({}) }), fails("bad_options", "options.onWebhok"));
  assert.throws(() => simulate(entry().scenario, { pauseAtWebhooks: true }), fails("bad_options", "options.pauseAtWebhooks"));
  assert.throws(() => new Simulation(entry().scenario, { pauseAtWebhook: true }), fails("bad_options", "options.pauseAtWebhook"));
  assert.ok(new Simulation(entry().scenario, { pauseAtWebhooks: true, onWebhook: () => undefined }).step());
});

test("lone surrogates in any string input are errors naming the field, not a silent U+FFFD", () => {
  const lone = "a\ud800b";
  const named = (code, field) => (e) => e.code === code && e.field === field && e.message.includes("lone surrogate");
  assert.throws(() => parseReferTo(`<sip:${lone}@example.com>`), named("lone_surrogate", "parseReferTo: the value"));
  assert.throws(() => parseTwiml(`<Response><Say>${lone}</Say></Response>`), named("lone_surrogate", "parseTwiml: the document"));
  assert.throws(() => checkTransfer(`<Response>${lone}</Response>`), named("lone_surrogate", "checkTransfer: the document"));
  const response = new VoiceResponse();
  assert.throws(() => response.say({ voice: lone }, "hi"), named("lone_surrogate", "say: voice"));
  assert.throws(() => response.say(lone), named("lone_surrogate", "say: the text"));
  assert.throws(() => response.dial({ [lone]: "x" }), named("lone_surrogate", "dial: an attribute name"));
  assert.throws(() => response.say("x").addText(lone), named("lone_surrogate", "addText: the text"));
  assert.throws(() => simulate({ ...entry().scenario, caller: { from: lone } }), named("lone_surrogate", "caller.from"));
  assert.throws(() => simulate({ ...entry().scenario, endpoints: { [lone]: {} } }), named("lone_surrogate", 'endpoints["a\\ud800b"]'));
  assert.throws(() => simulate(JSON.stringify(entry().scenario).replace("AgentB", lone)), named("lone_surrogate", "scenario"));
  assert.throws(() => simulate(entry().scenario, { onWebhook: () => ({ twiml: lone }) }), named("bad_webhook_answer", "twiml"));
  assert.ok(simulate({ ...entry().scenario, caller: { from: "sip:\u{1F600}@example.com" } }), "a surrogate pair is fine");
});

/** Runs `f` (best of three), asserting it returns or throws within `ms` of CPU time (the
 * process's user + system time: wall time doubled on a loaded machine while the work did not)
 * and grows the process by under `mb` MB; returns "result" or the error's code. */
function bounded(name, f, { ms = 1000, mb = 100 } = {}) {
  let best = Infinity;
  let outcome;
  for (let run = 0; run < 3 && best >= ms; run++) {
    const rss = process.memoryUsage().rss;
    const started = process.cpuUsage();
    try {
      f();
      outcome = "result";
    } catch (e) {
      outcome = e.code;
    }
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
    const grew = (process.memoryUsage().rss - rss) / 1e6;
    assert.ok(grew < mb, `${name}: grew ${grew.toFixed(0)} MB`);
  }
  assert.ok(best < ms, `${name}: ${best.toFixed(0)} ms`);
  return outcome;
}

test("1 MiB inputs return (a result or an error) in under 1 s of CPU time and 100 MB", () => {
  const MiB = 1 << 20;
  const s = entry().scenario;
  const big = "x".repeat(MiB);
  const say = (n) => `<Response><Say>${"x".repeat(n)}</Say><Redirect>${HANDLER}</Redirect></Response>`;
  const tenMiB = { ...s, caller: { from: "x".repeat(10 * MiB) } };
  const apps = { ...s, app: Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`${HANDLER}/${i}`, { twiml: `<Response><Say>${"y".repeat(16000)}</Say></Response>` }])) };
  const attrs = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`a${i}`, "xxxxxxxxxxxxxxxx"]));
  const pauses = "<Response>" + "<Pause/>".repeat(MiB / 8 - 4) + "</Response>";
  const cases = [
    ["caller.from of 10 MB (3.9 GB before)", () => simulate(tenMiB), "too_large"],
    ["caller.from of 1 MiB", () => simulate({ ...s, caller: { from: big } }), "too_large"],
    ["a 500 KB <Say> with a <Redirect> loop (6-14 s, 3.6 GB before)", () => simulate({ ...s, app: { [HANDLER]: { twiml: say(500_000) } } }), "too_large"],
    ["the same from onWebhook (Twilio: alert 11750, over 64 kB)", () => simulate(s, { onWebhook: () => ({ twiml: say(500_000) }) }), "result"],
    ["a 1 MiB Refer-To", () => simulate({ ...s, refer: { atMs: 1000, referTo: big } }), "too_large"],
    ["a 1 MiB scenario as JSON text", () => simulate(JSON.stringify({ ...s, initialTwiml: big })), "too_large"],
    ["64 app entries of 16 KB", () => simulate(apps), "result"],
    ["65 endpoints", () => simulate({ ...s, endpoints: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`sip:e${i}@example.com`, {}])) }), "too_large"],
    ["parseReferTo of 1 MiB", () => parseReferTo(big), "too_long"],
    ["parseTwiml of 1 MiB on one line", () => parseTwiml(pauses), "result"],
    ["checkTransfer of 1 MiB on one line", () => checkTransfer(pauses), "result"],
    ["a builder text of 1 MiB", () => new VoiceResponse().say(big).tag, "result"],
    ["a builder call with 50,000 attributes", () => new VoiceResponse().dial(attrs), "too_large"],
    ["a self-containing attribute array", () => { const a = []; a.push(a, a); new VoiceResponse().dial({ x: a }); }, "too_large"],
  ];
  for (const [name, f, expected] of cases) assert.equal(bounded(name, f), expected, name);
});
