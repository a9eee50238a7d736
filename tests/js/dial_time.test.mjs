// Issue 10 item 4 (part) through the package as a user imports it: <Dial timeLimit>,
// hangupOnStar with the scenario's callerKeys, and ringTone around a REFER transfer, with
// onWebhook seeing the <Dial action> request; checkTransfer says what the runtime will do.
// (The audit's tests 4b and 4c, docs/issue10-audit.md §8, and their neighbours.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, checkTransfer, scenarios } from "refer-sim";

const AGENT_A = "sip:AgentA@e.com", AGENT_B = "sip:AgentB@e.com";
const initial = (attrs = "") => `<Response><Dial ${attrs} referUrl="https://e.com/refer"><Sip>${AGENT_A}</Sip></Dial></Response>`;
const refer = { atMs: 10000, referTo: `<${AGENT_B}>` };
const endpoints = { [AGENT_A]: { answer: "answer", afterMs: 1000 }, [AGENT_B]: { answer: "answer", afterMs: 3000 } };
const app = (dial) => ({ "https://e.com/refer": { twiml: `<Response>${dial}<Say>After</Say></Response>` } });
const legAfter = (step, id) => step.legs.find((l) => l.id === id);

test("4b timeLimit ends the transferred call: BYE to AgentB, the action gets completed and the duration", () => {
  const seen = [];
  const t = simulate(
    { initialTwiml: initial(), refer, endpoints, app: app(`<Dial timeLimit="15" action="https://e.com/after"><Sip>${AGENT_B}</Sip></Dial>`) },
    { onWebhook: (r) => { seen.push(r); return r.url === "https://e.com/after" ? { twiml: "<Response><Say>Time is up</Say></Response>" } : undefined; } },
  );
  // Assumed: when the limit starts counting (the <Dial> page says what it ends; the step names it).
  const end = t.steps.find((s) => s.kind === "leg-ended" && s.narration.startsWith("timeLimit: "));
  assert.equal(end.tag, "assumed");
  assert.equal(end.atMs, 13100 + 15000);
  assert.deepEqual(end.messages.map((m) => [m.from, m.to, m.method ?? m.status]), [["twilio", "target", "BYE"], ["target", "twilio", 200]]);
  const action = seen.find((r) => r.url === "https://e.com/after");
  assert.equal(action.params.DialCallStatus, "completed");
  assert.equal(action.params.DialCallDuration, "15");
  assert.ok(t.steps.some((s) => s.narration.includes('UserA hears "Time is up"')));
  assert.equal(t.outcome.legs.target, "completed");
  assert.deepEqual(t.outcome.connected, []);
});

test("hangupOnStar: the transferee's * hangs up AgentB and the referUrl TwiML goes on", () => {
  const t = simulate({
    initialTwiml: initial(), refer, endpoints,
    app: app(`<Dial hangupOnStar="true"><Sip>${AGENT_B}</Sip></Dial>`),
    callerKeys: [{ atMs: 20000, digits: "*" }],
  });
  const star = t.steps.find((s) => s.kind === "digits");
  assert.equal(star.atMs, 20000);
  assert.equal(star.tag, "doc");
  assert.equal(star.source, "dial.hangup-on-star");
  const bye = t.steps.find((s) => s.kind === "leg-ended" && s.changedLegs.some((l) => l.id === "target"));
  assert.equal(bye.atMs, 20000);
  assert.equal(bye.messages[0].method, "BYE");
  assert.ok(t.steps.some((s) => s.narration.includes('UserA hears "After"')));
});

test("without hangupOnStar the * changes nothing, and the timeline says so", () => {
  const t = simulate({ initialTwiml: initial(), refer, endpoints, app: app(`<Dial><Sip>${AGENT_B}</Sip></Dial>`), callerKeys: [{ atMs: 20000, digits: "*" }] });
  const ignored = t.steps.find((s) => s.kind === "ignored" && s.atMs === 20000);
  assert.match(ignored.narration, /without hangupOnStar="true"/);
  assert.deepEqual(t.outcome.connected, [["caller", "target"]]);
});

test("4c ringTone is what the caller hears while the target rings", () => {
  const t = simulate({ initialTwiml: initial(), refer, endpoints, app: app(`<Dial ringTone="uk"><Sip>${AGENT_B}</Sip></Dial>`) });
  const ringing = t.steps.find((s) => s.kind === "leg-ringing" && s.changedLegs.some((l) => l.id === "target"));
  assert.equal(legAfter(ringing, "caller").hearing, "ringback (uk ringTone)");
  // answerOnBridge on the initial <Dial>: UserA is still with AgentA while AgentB rings.
  const aob = simulate({ initialTwiml: initial('answerOnBridge="true"'), refer, endpoints, app: app(`<Dial ringTone="uk"><Sip>${AGENT_B}</Sip></Dial>`) });
  const r2 = aob.steps.find((s) => s.kind === "leg-ringing" && s.changedLegs.some((l) => l.id === "target"));
  assert.equal(legAfter(r2, "caller").hearing, "AgentA");
});

test("callerKeys errors name the field", () => {
  const base = { initialTwiml: initial(), refer };
  for (const [keys, field] of [
    [[{ atMs: 1, digits: "a" }], "callerKeys[0].digits"],
    [[{ atMs: NaN, digits: "*" }], "callerKeys[0].atMs"],
    [[{ atMs: 1, digits: "*" }, { atMs: 2 }], "callerKeys[1].digits"],
  ]) {
    assert.throws(() => simulate({ ...base, callerKeys: keys }), (e) => e.code === "bad_scenario" && e.field === field, field);
  }
});

test("checkTransfer warns where the runtime plays something else than written", () => {
  const codes = (xml, role) => checkTransfer(xml, role).map((d) => d.code);
  assert.ok(codes(`<Response><Dial ringTone="xx"><Sip>${AGENT_B}</Sip></Dial></Response>`, "referResponse").includes("unknown_ring_tone"));
  assert.ok(codes(`<Response><Dial timeLimit="20000"><Sip>${AGENT_B}</Sip></Dial></Response>`, "referResponse").includes("time_limit_capped"));
  const zero = checkTransfer(`<Response><Dial timeLimit="0"><Sip>${AGENT_B}</Sip></Dial></Response>`, "referResponse").find((d) => d.code === "time_limit_not_positive");
  assert.equal(zero.vendorCode, 13216);
  assert.ok(codes(initial('timeLimit="60" hangupOnStar="true"'), "initial").includes("time_limit_before_transfer"));
});

test("the catalogue has the timeLimit and hangupOnStar transfers", () => {
  const ids = scenarios().map((e) => e.id);
  for (const id of ["time-limit-after-transfer", "hangup-on-star-after-transfer"]) {
    assert.ok(ids.includes(id), id);
    const t = simulate(scenarios().find((e) => e.id === id).scenario);
    assert.equal(t.outcome.legs.target, "completed", id);
  }
});
