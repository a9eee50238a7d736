// The inputs that trapped the WebAssembly module (issue 13), through the built package as a user
// imports it: each must return or throw an ordinary Error with a code, and the module must
// still answer afterwards. A trap would throw `RuntimeError: unreachable` instead.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseReferTo, parseTwiml, checkTransfer, simulate, version } from "refer-sim";

// A scheme with no ':' sliced one past the text; a header name whose first character takes
// three bytes was cut at byte 2 when the result was serialised.
const REFER_TO_TRAPS = ["sip", "sips", "tel", "SIP", "<sip>", " sip", "sip;x", "N<sip>"];
const MULTIBYTE_HEADER_NAMES = ["<sip:a@b.com?%E2%82%ACab=1>", "<sip:a@b.com?%FFab=1>"];

const SCENARIO = (referTo) => ({
  initialTwiml:
    '<Response><Dial answerOnBridge="true" referUrl="https://example.com/h"><Sip>sip:AgentA@example.com</Sip></Dial></Response>',
  refer: { atMs: 1000, referTo },
  app: { "https://example.com/h": { twiml: "<Response><Hangup/></Response>" } },
});

test("a scheme without ':' is bad_scheme, a thrown Error, not a trap", () => {
  for (const value of REFER_TO_TRAPS) {
    assert.throws(
      () => parseReferTo(value),
      (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && e.code === "bad_scheme",
      JSON.stringify(value),
    );
  }
});

test("custom headers whose name starts with a multi-byte character are shown", () => {
  for (const value of MULTIBYTE_HEADER_NAMES) {
    const r = parseReferTo(value);
    assert.deepEqual(r.customHeaders, [], value);
    assert.equal(r.uri.headers.length, 1, value);
  }
});

test("simulate with a trapping referTo returns a timeline or throws an Error with a code", () => {
  for (const value of [...REFER_TO_TRAPS, ...MULTIBYTE_HEADER_NAMES]) {
    try {
      const timeline = simulate(SCENARIO(value));
      assert.ok(timeline.steps.length > 0, JSON.stringify(value));
    } catch (e) {
      assert.ok(!(e instanceof WebAssembly.RuntimeError) && typeof e.code === "string", `${JSON.stringify(value)}: ${e}`);
    }
  }
});

test("a misplaced XML declaration and a raw '<' in an attribute are errors with a position", () => {
  const cases = [
    ['<Response/>\n<?xml version="1.0"?>', "xml_declaration_misplaced", 2, 1],
    ['<Response><Dial action="a<b"/></Response>', "lt_in_attribute", 1, 26],
  ];
  for (const [xml, code, line, column] of cases) {
    const { response, diagnostics } = parseTwiml(xml);
    assert.equal(response, null, xml);
    assert.deepEqual([diagnostics[0].code, diagnostics[0].line, diagnostics[0].column], [code, line, column], xml);
    assert.equal(checkTransfer(xml)[0].code, code, xml);
  }
});

test("after a thousand of them the module still answers", () => {
  for (let i = 0; i < 1000; i++) {
    assert.throws(() => parseReferTo(REFER_TO_TRAPS[i % REFER_TO_TRAPS.length]), { code: "bad_scheme" });
  }
  assert.equal(typeof version(), "string");
  assert.equal(parseReferTo("sip:a@b.com").uri.host, "b.com");
});
