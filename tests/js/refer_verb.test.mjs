// Issue 10 item 1 through the package as a user imports it: <Refer> sends Twilio's REFER
// on a SIP leg and requests its action; on a phone-number leg it is alert 13801; and
// checkTransfer names a <Refer><Sip> Twilio cannot send. (The audit's tests 1a and 1b,
// docs/issue10-audit.md §8, plus the refusal and the check.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { simulate, checkTransfer, scenarios } from "refer-sim";

const AGENT_A = "sip:AgentA@e.com", AGENT_B = "sip:AgentB@e.com";
const initial = `<Response><Dial referUrl="https://e.com/refer"><Sip>${AGENT_A}</Sip></Dial></Response>`;
const refer = { atMs: 10000, referTo: `<${AGENT_B}>` };
const referTwiml = `<Response><Refer action="https://e.com/refer-done"><Sip>sip:helpdesk@pbx.example.com</Sip></Refer><Say>after the refer</Say></Response>`;
const referApp = { "https://e.com/refer": { twiml: referTwiml }, "https://e.com/refer-done": { twiml: "<Response><Say>done</Say></Response>" } };
const sipCaller = { from: "sip:alice@pbx.example.com", to: "sip:support@example.sip.twilio.com" };
const action = (t) => t.steps.map((s) => s.webhook).find((w) => w && w.url === "https://e.com/refer-done");

test("1a <Refer> on a SIP transferee sends REFER with the <Sip> target and requests action", () => {
  const t = simulate({ caller: sipCaller, initialTwiml: initial, refer, app: referApp });
  const toCaller = t.steps.flatMap((s) => s.messages).filter((m) => m.from === "twilio" && m.to === "caller");
  assert.ok(toCaller.some((m) => m.firstLine.startsWith("REFER ") && /Refer-To: <sip:helpdesk@pbx\.example\.com>/.test(m.text)));
  const fromCaller = t.steps.flatMap((s) => s.messages).filter((m) => m.from === "caller").map((m) => m.firstLine);
  assert.ok(fromCaller.includes("SIP/2.0 202 Accepted"));
  assert.equal(fromCaller.filter((l) => l.startsWith("NOTIFY ")).length, 2);
  const p = action(t).params;
  assert.deepEqual([p.ReferCallStatus, p.ReferSipResponseCode, p.NotifySipResponseCode], ["in-progress", "202", "200"]);
  assert.ok(!t.steps.some((s) => /not simulated yet/.test(s.narration)));
});

test("1b <Refer> on a PSTN transferee raises 13801 and sends no REFER", () => {
  const t = simulate({ initialTwiml: initial, refer, app: referApp });
  assert.ok(t.outcome.alerts.some((a) => a.code === 13801));
  assert.ok(!t.steps.flatMap((s) => s.messages).some((m) => m.firstLine.startsWith("REFER ") && m.from === "twilio"));
  assert.equal(action(t), undefined);
});

test("an endpoint that refuses the REFER (referResponse 603): failed/603, no NotifySipResponseCode", () => {
  const endpoints = { [sipCaller.from]: { referResponse: 603 } };
  const t = simulate({ caller: sipCaller, initialTwiml: initial, refer, app: referApp, endpoints });
  const p = action(t).params;
  assert.deepEqual([p.ReferCallStatus, p.ReferSipResponseCode, p.NotifySipResponseCode], ["failed", "603", undefined]);
  assert.throws(() => simulate({ caller: sipCaller, initialTwiml: initial, refer, endpoints: { [sipCaller.from]: { referNotify: 99 } } }),
    (e) => e.code === "bad_scenario" && e.field === `endpoints["${sipCaller.from}"].referNotify`);
});

test("checkTransfer: a <Refer><Sip> holding a raw ReferTransferTarget is an error with its fix", () => {
  const d = checkTransfer("<Response><Refer><Sip>&lt;sip:b@e.com&gt;</Sip></Refer></Response>", "referResponse")
    .find((x) => x.code === "angle_brackets");
  assert.ok(d && d.severity === "error" && /no REFER is sent/.test(d.message) && /strip the <>/.test(d.message), JSON.stringify(d));
});

test("the catalogue lists the three <Refer> scenarios in their own group", () => {
  const ids = scenarios().filter((e) => e.group === "<Refer>: Twilio sends REFER").map((e) => e.id);
  assert.deepEqual(ids, ["refer-verb-accepted", "refer-verb-declined", "refer-verb-pstn"]);
});
