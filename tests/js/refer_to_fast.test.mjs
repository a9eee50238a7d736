// parseReferTo's fast path (pkg/decode.js `referToFast`, src/wasm/refer_to_fast.rs: the value
// written into wasm memory, the result read there, texts cut from the value) against the
// compact format that the glue's parseReferTo answers in: the same objects (keys, order, values),
// the same errors, over the fuzz corpus and values made to reach each branch of the layout.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { decode } from "../../pkg/dist/decode.js";
import * as main from "refer-sim";
import * as glue from "../../pkg/dist/refer_sim.js";

const corpus = new URL("../../fuzz/corpus/refer_to/", import.meta.url);
const fromCorpus = readdirSync(corpus).map((f) => readFileSync(new URL(f, corpus)).toString("utf8"));
const { inputs } = JSON.parse(readFileSync(new URL("../../bench/refer_to_inputs.json", import.meta.url)));
const made = [
  " \t<sip:a@b.com>;x=1 \t", "sip:a@b.com;p=+1;c", "sip:a@b.com?x=1,2", "<sips:a@b.com>", "tel:+1-555-0100;ext=1",
  "tel:0100;phone-context=example.com", '"Ä \\"x\\"" <sip:a@b.com?X-A=%E2%82%AC&X-B=+1>', "<sip:é%20@b.com>",
  "<sip:a@[2001:0db8::0001]:5060>", "<sip:a@192.0.2.4;lr;maddr=x>", "<sip:a@b.com;__proto__=x>;__proto__=y;b=1",
  "<sip:a@b.com?Replaces=c%40h%3Bto-tag%3D1%3Bfrom-tag%3D2%3Bearly-only&User-to-User=zz%3Bencoding%3Dhex%3Bpurpose%3Dp%3Bcontent%3Dc>",
  "<sip:a@b.com?x-a=1&X-=2&X-b=%41>", "Bob <sip:bob@b.com>;a=\"q \\\" v\";c=[::1]", "<sip:b.com?X-A=" + "x".repeat(200) + ">",
  "<sip:a@b.com;" + "p;".repeat(120) + ">", "<sip:\u{1F600}@b.com>", '"\u{1F600}" <sip:a@b.com>', "\u00e9".repeat(257),
  "a".repeat(513), "", "   ", "<sip:a@b.com>, <sip:c@d.com>", "sip", "<sip:a@exa mple.com>", `<sip:${"\uD800"}@b.com>`,
];

function outcome(f) {
  try {
    return { value: f() };
  } catch (e) {
    return { error: { name: e.name, message: e.message, code: e.code, offset: e.offset, field: e.field, call: e.call } };
  }
}

test("the fast path answers as the compact format does, results and errors", () => {
  const values = [...inputs, ...made, ...fromCorpus];
  assert.ok(fromCorpus.length >= 100, `${fromCorpus.length} corpus files`);
  for (const v of values) {
    const fast = outcome(() => main.parseReferTo(v));
    const compact = outcome(() => decode(glue.parseReferTo(v)));
    assert.deepEqual(fast, compact, JSON.stringify(v));
    if (fast.value) assert.equal(JSON.stringify(fast.value), JSON.stringify(compact.value), JSON.stringify(v));
  }
  for (const v of [undefined, null, 5, {}, ["<sip:a@b.com>"]]) {
    assert.deepEqual(outcome(() => main.parseReferTo(v)), outcome(() => decode(glue.parseReferTo(v))), String(v));
  }
});

test("results are fresh objects: custom headers do not share arrays with uri.headers", () => {
  const r = main.parseReferTo("<sip:a@b.com?X-A=1>");
  assert.deepEqual(r.customHeaders, r.uri.headers);
  assert.notEqual(r.customHeaders[0], r.uri.headers[0]);
  assert.notEqual(main.parseReferTo("<sip:a@b.com?X-A=1>").uri, r.uri);
});

test("the fast path follows the module through a trap and through memory growth", () => {
  const v = '"A" <sip:a@b.com?User-to-User=31%3Bencoding%3Dhex&X-A=b>;p';
  const expected = decode(glue.parseReferTo(v));
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(main.parseReferTo(v), expected);
    assert.throws(() => main.__forceTrapForTests(), (e) => e.code === "internal");
    assert.deepEqual(main.parseReferTo(v), expected, "after the module started afresh");
    // A large call grows the memory (the views of the old buffer detach); the next value must
    // be written into the new one, which still holds the one before (texts are cut from the
    // value given, so the port, a number, tells which one the module read).
    assert.equal(main.parseReferTo("<sip:a@c.com:5060>").uri.port, 5060);
    main.parseTwiml(`<Response>${"<Pause/>".repeat(50000 * (round + 1))}</Response>`);
    assert.equal(main.parseReferTo("<sip:a@c.com:5070>").uri.port, 5070, "after the memory grew");
    assert.deepEqual(main.parseReferTo(v), expected);
  }
});
