// The package's decoder of the compact result format (pkg/decode.js; written by
// src/wasm/compact.rs): hand-made streams for each token, and the parsers' results through it.
// tests/it/compact_results.rs checks the Rust writer against serde_json over the fuzz corpora;
// tests/it/twiml_compact.rs does the same for parseTwiml's and checkTransfer's format.
import { test } from "node:test";
import assert from "node:assert/strict";
import { decode, decodeFindings, decodeParsedTwiml } from "../../pkg/dist/decode.js";
import { parseReferTo, parseTwiml } from "refer-sim";
// The glue the package's entry initialised (the same module): its exports return the compact strings.
import * as glue from "../../pkg/dist/refer_sim.js";

const c = (...codes) => String.fromCharCode(...codes);
const text = (t) => c(t.length) + t;

test("each token of the format", () => {
  const cases = [
    [c(0), null], [c(1), false], [c(2), true],
    [c(3, 0x3f), 0x3f], [c(3, 0x40, 1), 0x40], [c(3, 0x7f, 0x7f, 0x3f), 0x3ffff],
    [c(3, ...Array(8).fill(0x7f), 0x1f), 2 ** 53 - 1],
    [c(4, 5), -5], [c(5) + text("a\u{1F600}b"), "a\u{1F600}b"],
    [c(8, 0x40, 0x40, 0x40, 0x7e, 0x3f, 0), 1.5], // 1.5 = 0x3FF8_0000_0000_0000: hi 0x3FF80000 in 6-bit digits, lo 0
    [c(6, 0, 3, 7, 6, 9, 9), [null, 7, []]],
    [c(7, 1) + text("k") + c(3, 1, 1) + text("j") + c(7, 2, 0, 0, 0), { k: 1, j: { k: null } }],
  ];
  for (const [stream, expected] of cases) assert.deepEqual(decode(stream), expected, JSON.stringify(stream));
});

test("a __proto__ key is an own property, as JSON.parse makes it", () => {
  const o = decode(c(7, 1) + text("__proto__") + c(5) + text("x") + c(0));
  assert.equal(Object.getPrototypeOf(o), Object.prototype);
  assert.deepEqual(Object.keys(o), ["__proto__"]);
  const r = parseReferTo("<sip:a@b.com;__proto__=x>;__proto__=y;b=1");
  assert.equal(JSON.stringify(r.params), '{"__proto__":"y","b":"1"}');
  assert.deepEqual(Object.keys(r.uri.params), ["__proto__"]);
});

test("a stream that is cut, has a stray tag or trailing data throws instead of answering", () => {
  for (const bad of [c(10), c(3, 1) + c(0), c(7, 2, 0), c(3, 0x40), c(3, 0x4000, 1)]) assert.throws(() => decode(bad), /refer-sim/);
});

test("results keep the documented keys in order", () => {
  const r = parseReferTo('"A" <sip:a@b.com?User-to-User=31%3Bencoding%3Dhex&Replaces=x%3Bto-tag%3D1&X-A=b>;p');
  assert.deepEqual(Object.keys(r), ["raw", "form", "displayName", "uri", "params", "transferTarget", "uui", "customHeaders", "replaces", "warnings"]);
  assert.deepEqual(Object.keys(r.uri), ["scheme", "user", "password", "host", "port", "params", "headers"]);
  assert.deepEqual(Object.keys(r.uui), ["value", "encoding", "purpose", "content"]);
  assert.deepEqual(Object.keys(r.replaces), ["callId", "toTag", "fromTag", "earlyOnly"]);
  const p = parseTwiml('<Response><Dial referUrl="/r"><Sip>sip:a@b.com</Sip></Dial><Say x="1">hi</Say><Bad/></Response>');
  assert.deepEqual(p.response.children[0].span, { start: 10, end: 59 });
  assert.deepEqual(Object.keys(p.response.children[0].attributes[0]), ["name", "value", "span"]);
});

test("a large TwiML result is read with its repeated short strings shared, every value as written", () => {
  // Past 64k units the TwiML decoders reuse short strings from a table of 512 slots: values that
  // collide in a slot (same length, same end characters) or differ only inside must come out exact.
  const values = ["x", "y", "xyx", "xzx", "POST", "GET", "é", "😀", "", "a\u0000b"];
  const attrs = Array.from({ length: 4000 }, (_, i) => ` a${i % 50}="${values[i % 10]}${i % 20 < 10 ? "" : `v${i}`}"`);
  const verbs = Array.from({ length: 3000 }, (_, i) => (i % 3 ? `<Say${attrs.slice(i, i + 3).join("")}>t${i % 7}</Say>` : `<Pause length="${i % 5}"/>`));
  const xml = `<Response>${verbs.join("")}<Dial method="PUT">x</Dial></Response>`.replaceAll("\u0000", "&#9;");
  const parsed = glue.parseTwiml(xml);
  assert.ok(parsed.length >= 1 << 16, `${parsed.length} units`);
  const r = decodeParsedTwiml(parsed);
  assert.deepEqual(r, parseTwiml(xml));
  assert.equal(r.response.children.length, 3001);
  const written = verbs.map((v) => [...v.matchAll(/ \w+="([^"]*)"/g)].map((m) => m[1].replace("\u0000", "\t")).join());
  assert.deepEqual(r.response.children.slice(0, 3000).map((v) => v.attributes.map((a) => a.value).join()), written);
  assert.deepEqual(r.response.children.slice(0, 3000).map((v) => v.children[0]?.value ?? ""), verbs.map((v) => v.match(/>(t\d)</)?.[1] ?? ""));
  assert.deepEqual(r.response.children[1].attributes.map((a) => a.value), ["y", "xyx", "xzx"]);
  assert.equal(r.response.children[7].attributes[0].value, "😀");
  assert.equal(r.diagnostics.at(-1).code, "too_many_diagnostics");
  // checkTransfer's findings start with the parser's diagnostics.
  const findings = glue.checkTransfer(xml, "initial");
  assert.ok(findings.length >= 1 << 16, `${findings.length} units`);
  assert.deepEqual(decodeFindings(findings).slice(0, r.diagnostics.length), r.diagnostics);
});

test("each entry's decoders follow its module, through a trap and between entries", async () => {
  // parseReferTo answers in kept mode (field names written once per module, then by index); the
  // glue called without `known` answers as before, which `decode` reads. parseTwiml and
  // checkTransfer answer in their own format (src/twiml/compact.rs), the same from every module.
  const parsers = await import("refer-sim/parsers");
  const main = await import("refer-sim");
  const { readFileSync } = await import("node:fs");
  const docs = JSON.parse(readFileSync(new URL("../data/twiml_corpus.json", import.meta.url))).cases.map((k) => k.xml);
  const values = ["<sip:a@b.com;transport=tls>;expires=60", '"A" <sip:a@b.com?User-to-User=31%3Bencoding%3Dhex&Replaces=x%3Bto-tag%3D1&X-A=b>'];
  for (let round = 0; round < 3; round++) {
    for (const [k, xml] of docs.entries()) {
      const entry = k % 2 ? parsers : main;
      const [got, read] = [entry.parseTwiml(xml), decodeParsedTwiml(glue.parseTwiml(xml))];
      assert.deepEqual(got, read, xml);
      assert.equal(JSON.stringify(got), JSON.stringify(read), xml);
      assert.deepEqual(entry.checkTransfer(xml, "referResponse"), decodeFindings(glue.checkTransfer(xml, "referResponse")), xml);
      const v = values[k % 2];
      assert.deepEqual(entry.parseReferTo(v), decode(glue.parseReferTo(v)), v);
    }
    // The module starts afresh (empty key table) while the entry's decoder still holds its keys.
    assert.throws(() => main.__forceTrapForTests(), (e) => e.code === "internal");
    assert.throws(() => parsers.__forceTrapForTests(), (e) => e.code === "internal");
  }
  // A kept result is shorter: field names are written once, then by index. (Only the entry may
  // pass `known`: a trap then empties the module's table, which the entry's next call finds.)
  const v = values[1];
  const [plain, first, again] = [glue.parseReferTo(v), glue.parseReferTo(v, 0), glue.parseReferTo(v, 1e6)];
  assert.ok(first.length === plain.length + 1 && again.length < plain.length * 0.75, `${plain.length} ${first.length} ${again.length}`);
  assert.throws(() => main.__forceTrapForTests(), (e) => e.code === "internal");
  assert.deepEqual(main.parseReferTo(v), decode(plain));
  // A TwiML result cut short, with a field out of order or past its shape, is refused.
  const parsed = glue.parseTwiml('<Response><Dial timeout="5" referUrl="/r">x</Dial></Response>');
  assert.ok(decodeParsedTwiml(parsed).response);
  for (const bad of [parsed.slice(0, -1), parsed.replace("\u0003\u0003", "\u0011\u0003"), parsed.replace("\u0003\u0003", "\u003f\u0003")]) {
    assert.throws(() => decodeParsedTwiml(bad), /corrupt/, JSON.stringify(bad));
  }
});
