// parseReferMessage through the built package, imported by its name as a user would:
// a REFER pasted from a PBX log, header lines, the refusals, and a scenario started from it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseReferMessage, simulate, scenarios } from "refer-sim";

const PBX_LOG = [
  "REFER sip:+14155550100@example.sip.twilio.com SIP/2.0",
  "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds",
  "Call-ID: a84b4c76e66710@pbx.example.com",
  "CSeq: 314160 REFER",
  'r: "Agent B"',
  "  <sip:AgentB@example.sip.twilio.com?X-Ticket=42>",
  "b: <sip:AgentA@pbx.example.com>",
  "Refer-Sub: false",
  "X-Queue: sales",
  "Content-Length: 0",
  "",
  "",
].join("\r\n");

test("a whole REFER from a PBX log: compact r: folded, b:, Refer-Sub, X- headers", () => {
  const m = parseReferMessage(PBX_LOG);
  assert.equal(m.form, "request");
  assert.deepEqual(m.requestLine, { method: "REFER", uri: "sip:+14155550100@example.sip.twilio.com", version: "SIP/2.0" });
  assert.equal(m.referTo.transferTarget, '"Agent B" <sip:AgentB@example.sip.twilio.com?X-Ticket=42>');
  assert.deepEqual(m.referTo.customHeaders, [["X-Ticket", "42"]]);
  assert.equal(m.referredBy.raw, "<sip:AgentA@pbx.example.com>");
  assert.equal(m.referredBy.uri.user, "AgentA");
  assert.equal(m.referSub, false);
  assert.deepEqual(m.customHeaders, [["X-Queue", "sales"]]);
  assert.deepEqual(m.refusals, []);
  assert.deepEqual(m.scenario, { referTo: '"Agent B" <sip:AgentB@example.sip.twilio.com?X-Ticket=42>', referSub: false });
  const h = m.headers.find((x) => x.name === "r");
  assert.equal(h.canonical, "Refer-To");
  assert.equal(Buffer.from(PBX_LOG).subarray(h.offset, h.offset + 9).toString(), '"Agent B"');
});

test("what would make Twilio refuse it is listed, with the status and the tag", () => {
  const two = parseReferMessage("Refer-To: <sip:b@example.com>\nRefer-To: <sip:c@example.com>");
  assert.deepEqual(two.refusals.map((r) => [r.status, r.code, r.tag]), [[400, "several_refer_to", "rfc"]]);
  const long = parseReferMessage(`r: <sip:AgentB@example.com?X-Data=${"a".repeat(250)}>`);
  assert.deepEqual(long.refusals.map((r) => [r.code, r.tag]), [["too_long", "assumed"]]);
  assert.equal(long.referTo, null);
  const replaces = parseReferMessage("Refer-To: <sip:c@example.com>\nReplaces: 98732@sip.example.com;from-tag=r33th4x0r;to-tag=ff87ff");
  assert.equal(replaces.replaces.callId, "98732@sip.example.com");
  assert.deepEqual(replaces.notes.map((n) => [n.code, n.tag]), [["replaces_ignored", "doc"]]);
});

test("errors carry a code and a byte offset; a bare value is not a message", () => {
  const cases = [
    ["INVITE sip:b@example.com SIP/2.0\r\n", "not_a_refer", 0],
    ["SIP/2.0 202 Accepted\r\n", "not_a_refer", 0],
    ["<sip:AgentB@example.com>", "bad_start_line", 0],
    ["Refer-To: <sip:b@example.com>\nnot a header", "bad_header_line", 30],
  ];
  for (const [text, code, offset] of cases) {
    assert.throws(() => parseReferMessage(text), (e) => e instanceof Error && e.code === code && e.offset === offset, text);
  }
  assert.throws(() => parseReferMessage(42), (e) => e.code === "not_a_string");
});

test("its scenario fields start a simulation that does what the REFER asks", () => {
  const base = scenarios().find((e) => e.id === "agentb-answers-aob-true").scenario;
  const m = parseReferMessage(PBX_LOG);
  const t = simulate({ ...base, refer: { ...base.refer, ...m.scenario } });
  const webhook = t.steps.find((s) => s.kind === "webhook-requested").webhook;
  assert.equal(webhook.params.ReferTransferTarget, m.referTo.transferTarget);
  // Refer-Sub: false: Twilio's 202 says so and sends no NOTIFY.
  assert.ok(!t.steps.some((s) => s.messages.some((x) => x.firstLine.startsWith("NOTIFY"))));
  const refused = parseReferMessage("Refer-To: <sip:b@example.com>\nRefer-To: <sip:c@example.com>");
  const r = simulate({ ...base, refer: { ...base.refer, ...refused.scenario } });
  assert.ok(r.steps.some((s) => s.kind === "refer-rejected" && s.messages.some((x) => x.firstLine.startsWith("SIP/2.0 400"))));
});
