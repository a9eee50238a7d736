// The TwiML layer through the built package, imported as a user would:
// the VoiceResponse builder against twilio-node 6.2.0 LIVE (same scenarios as
// the committed corpus), then parseTwiml/checkTransfer shapes and errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import twilio from "twilio";
import { VoiceResponse, parseTwiml, checkTransfer } from "refer-sim";
import { CASES } from "./gen/twiml_cases.mjs";
import { buildCorpus } from "./gen/twiml_corpus.mjs";

test("every scenario: refer-sim's VoiceResponse writes twilio's bytes", () => {
  assert.ok(CASES.length >= 60);
  for (const [name, fn] of CASES) {
    const theirs = new twilio.twiml.VoiceResponse();
    fn(theirs);
    const ours = new VoiceResponse();
    fn(ours);
    assert.equal(ours.toString(), theirs.toString(), name);
  }
});

test("the committed corpus is what twilio writes today", async () => {
  const { readFileSync } = await import("node:fs");
  const committed = JSON.parse(readFileSync(new URL("../data/twiml_corpus.json", import.meta.url))).cases;
  assert.deepEqual(committed, JSON.parse(JSON.stringify(buildCorpus())), "regenerate with node tests/js/gen/twiml_corpus.mjs");
});

test("every written document parses back without a fatal error", () => {
  for (const [name, fn] of CASES) {
    const r = new VoiceResponse();
    fn(r);
    const p = parseTwiml(r.toString());
    assert.ok(p.response, name);
    assert.ok(p.diagnostics.every((d) => d.severity !== "error" || d.code === "not_a_number"), `${name}: ${JSON.stringify(p.diagnostics)}`);
  }
});

test("the vendor's example: builder, parse and checks", () => {
  const r = new VoiceResponse();
  const d = r.dial({ answerOnBridge: true, referUrl: "https://example.com/handler" });
  d.sip("sip:AgentA@xyz.sip.us1.twilio.com");
  assert.equal(d.tag, "Dial");
  const xml = r.toString();
  const p = parseTwiml(xml);
  const dial = p.response.children[0];
  assert.equal(dial.type, "Dial");
  assert.equal(dial.referUrl, "https://example.com/handler");
  assert.equal(dial.answerOnBridge, true);
  assert.equal(dial.referMethod, null, "absent stays null; the default POST is documented");
  assert.deepEqual(dial.attributes.map((a) => a.name), ["answerOnBridge", "referUrl"]);
  assert.equal(dial.children[0].type, "Sip");
  const f = checkTransfer(xml);
  assert.deepEqual(f.map((x) => x.code), ["answer_on_bridge_true"]);
  for (const key of ["code", "severity", "message", "line", "column", "tag", "provenance", "span", "vendorCode"]) {
    assert.ok(key in f[0], key);
  }
  assert.equal(f[0].provenance, "doc");
});

test("diagnostics carry code, line and column", () => {
  const p = parseTwiml("<Response>\n  <Say>hi</Dial>\n</Response>");
  assert.equal(p.response, null);
  assert.equal(p.diagnostics[0].code, "xml_malformed");
  assert.equal(p.diagnostics[0].line, 2);
  assert.equal(p.diagnostics[0].column, 10);
  assert.equal(parseTwiml("<!DOCTYPE x><Response/>").diagnostics[0].code, "doctype_refused");
  assert.equal(parseTwiml("x".repeat(2 << 20)).diagnostics[0].code, "too_large");
  const deep = "<Response>" + "<a>".repeat(100000);
  assert.equal(parseTwiml(deep).diagnostics[0].code, "too_deep");
});

test("checkTransfer: roles and the 13802 alert", () => {
  const xml = "<Response><Dial><Sip>sip:a@b.com</Sip></Dial></Response>";
  const initial = checkTransfer(xml, "initial").find((f) => f.code === "no_refer_url");
  assert.equal(initial.vendorCode, 13802);
  assert.equal(initial.severity, "error");
  const resp = checkTransfer(xml, "referResponse");
  assert.ok(resp.some((f) => f.code === "refer_url_optional"));
  assert.ok(!resp.some((f) => f.code === "no_refer_url"));
  assert.throws(() => checkTransfer(xml, "sideways"), (e) => e.code === "bad_role");
});

test("non-string input throws not_a_string; the module still works afterwards", () => {
  for (const v of [undefined, null, 42, {}, ["<Response/>"]]) {
    assert.throws(() => parseTwiml(v), (e) => e instanceof Error && e.code === "not_a_string");
    assert.throws(() => checkTransfer(v), (e) => e.code === "not_a_string");
  }
  assert.ok(parseTwiml("<Response/>").response);
});

test("builder errors: methods an element lacks, characters XML refuses", () => {
  const r = new VoiceResponse();
  assert.throws(() => r.dial().say("x"), (e) => e.code === "not_allowed");
  assert.throws(() => r.say("\u0001"), (e) => e.code === "invalid_char");
  assert.throws(() => new twilio.twiml.VoiceResponse().say("\u0001"), /Invalid character/);
});

test("builder errors are thrown by the call that caused them, with the module's codes and messages", () => {
  const r = new VoiceResponse();
  const fails = (f, code, message) => assert.throws(f, (e) => e instanceof Error && e.code === code && e.message === message && e.offset === null);
  fails(() => r.dial().say("x"), "not_allowed", "<Dial> has no method `say`");
  fails(() => r.gather().sip("x"), "not_allowed", "<Gather> has no method `sip`");
  fails(() => r.say({ "1st": "x" }), "invalid_name", 'Invalid character in name: "1st"');
  fails(() => r.say({ 'a"b': null }), "invalid_name", 'Invalid character in name: "a\\"b"');
  fails(() => r.say("\u{1F600}\u0001"), "invalid_char", "Invalid character in string: U+0001 at index 4");
  fails(() => r.say("x").addText("ok\uFFFE"), "invalid_char", "Invalid character in string: U+FFFE at index 2");
  fails(() => r.say({ x: new Array(10_001).fill(1) }), "too_large", "say: x holds more than 10000 array items");
  fails(() => r.addText(5), "not_a_string", "addText expects a string");
  // Names and text the module accepts beyond the plain ASCII ones; nothing was recorded by the refused calls.
  r.say({ "ñame": "v", "x\u00B7": 1 }, "\u{1F600}");
  assert.equal(r.toString(), '<?xml version="1.0" encoding="UTF-8"?><Response><Dial/><Gather/><Say>x</Say><Say ñame="v" x·="1">\u{1F600}</Say></Response>');
  const twilioOut = new twilio.twiml.VoiceResponse();
  twilioOut.dial();
  twilioOut.gather();
  twilioOut.say("x");
  twilioOut.say({ "ñame": "v", "x\u00B7": 1 }, "\u{1F600}");
  assert.equal(r.toString(), twilioOut.toString());
});

test("after a byte order mark every diagnostic is the same, its span 3 bytes (UTF-8) later, its line and column unchanged", () => {
  const docs = [
    '<Response><Dial referUrl="https://e.com/h" timeout="abc"><Sip>sip:b@e.com</Sip></Dial></Response>',
    '<Response>\n  <Say>é😀</Say>\n  <Dial bogus="1" timeout="x"><Number>+1555</Number></Dial>\n</Response>',
    "<Response><Dial></Response>",
  ];
  for (const doc of docs) {
    const shift = (ds) => ds.map((d) => ({ ...d, span: { start: d.span.start + 3, end: d.span.end + 3 } }));
    assert.deepEqual(parseTwiml(`\uFEFF${doc}`).diagnostics, shift(parseTwiml(doc).diagnostics), doc);
    assert.deepEqual(checkTransfer(`\uFEFF${doc}`), shift(checkTransfer(doc)), doc);
  }
  const [bad] = parseTwiml(`\uFEFF${docs[0]}`).diagnostics;
  const bytes = Buffer.from(`\uFEFF${docs[0]}`);
  assert.equal(bytes.subarray(bad.span.start, bad.span.end).toString(), 'timeout="abc"');
  assert.equal(bad.column, docs[0].indexOf('timeout="abc"') + 1);
});
