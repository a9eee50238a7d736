// simulate and Simulation.timeline return the timeline in its own layout (src/wasm/timeline.rs,
// read by decodeTimeline in pkg/decode.js); Simulation.steps, outcome and warnings return theirs
// in the generic compact format. Both must give the same plain objects, keys in the same order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, Simulation, scenarios } from "refer-sim";

/** The same run read both ways: `simulate` (timeline layout) and a Simulation's generic parts. */
function bothWays(scenario, label) {
  const whole = simulate(scenario);
  const sim = new Simulation(scenario);
  while (sim.step() !== undefined);
  const generic = { steps: sim.steps(), outcome: sim.outcome(), explanation: whole.explanation, warnings: sim.warnings() };
  assert.equal(JSON.stringify(whole), JSON.stringify(generic), label);
  assert.deepStrictEqual(whole, generic, label);
  assert.deepStrictEqual(sim.timeline(), whole, label);
  whole.steps.forEach((s, i) => assert.deepStrictEqual(s.legs, generic.steps[i].legs, `${label} step ${i}`));
  return whole;
}

test("every catalogue timeline reads the same in its own layout as in the generic format", () => {
  for (const { id, scenario } of scenarios()) bothWays(scenario, id);
});

test("texts beyond ASCII (UTF-16 lengths, surrogate pairs) in SIP messages and hearings read the same", () => {
  const { scenario } = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  const odd = {
    ...scenario,
    caller: { from: "sip:Zoë@example.com" },
    refer: { ...scenario.refer, referTo: '"Zoë 😀 Ådne" <sip:AgentB@example.sip.twilio.com>' },
    app: Object.fromEntries(
      Object.entries(scenario.app).map(([url, a]) => [url, { ...a, twiml: a.twiml?.replace("<Response>", "<Response><Say>Grüße 😀, un moment…</Say>") }]),
    ),
  };
  const t = bothWays(odd, "non-ASCII");
  const headers = t.steps.flatMap((s) => s.messages).flatMap((m) => m.headers);
  assert.ok(headers.some(([n, v]) => n === "Refer-To" && v === '"Zoë 😀 Ådne" <sip:AgentB@example.sip.twilio.com>'));
  assert.ok(headers.some(([n, v]) => n === "From" && v.startsWith("<sip:Zoë@example.com>")));
  assert.ok(t.steps.some((s) => s.changedLegs.some((l) => l.party === "sip:Zoë@example.com")), "a leg's party");
  assert.ok(t.steps.some((s) => s.changedLegs.some((l) => l.hearing.includes("Grüße 😀"))), "a leg hears the <Say>");
});

test("a step's own keys are the documented ones and `legs`, which is not enumerable", () => {
  const { scenario } = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  const sim = new Simulation(scenario);
  const one = sim.step();
  for (const step of [...simulate(scenario).steps, one, ...sim.steps()]) {
    assert.deepEqual(Reflect.ownKeys(step), ["atMs", "kind", "narration", "tag", "source", "messages", "webhook", "response", "alerts", "changedLegs", "legs"]);
    assert.equal(Object.getOwnPropertyDescriptor(step, "legs").enumerable, false);
    assert.ok(Array.isArray(step.legs));
  }
  assert.deepEqual(one.legs, simulate(scenario).steps[0].legs);
});

test("an answer's stated Content-Type and how Twilio read it (audio, text, no header, non-ASCII) read the same both ways", () => {
  const { scenario } = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  const [url] = Object.keys(scenario.app);
  const cases = [["audio/mpeg", "ID3\u0004 mp3 bytes", "audio"], ["text/plain; charset=utf-8", "Grüße 😀", "text"], [null, "<Response/>", "refused"], ["application/json", "{}", "refused"]];
  for (const [contentType, twiml, media] of cases) {
    const t = bothWays({ ...scenario, app: { ...scenario.app, [url]: { ...scenario.app[url], twiml, contentType } } }, String(contentType));
    const answer = t.steps.find((s) => s.response?.url === url).response;
    assert.deepStrictEqual([answer.contentType, answer.media, answer.body], [contentType, media, twiml], String(contentType));
  }
  // No stated type: neither key (the catalogue's answers, and the goldens, are unchanged).
  const plain = simulate(scenario).steps.find((s) => s.response?.url === url).response;
  assert.deepStrictEqual(Object.keys(plain), ["url", "status", "body"]);
});
