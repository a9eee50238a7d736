// `refer-sim/parsers` (the parsers and builder without the simulator, in their own module):
// the same results and errors as the main entry, healing after a trap, and no simulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as whole from "refer-sim";
import * as parsers from "refer-sim/parsers";

const dir = (d) => new URL(`../../fuzz/corpus/${d}/`, import.meta.url);
const inputs = (d) => readdirSync(dir(d)).map((f) => readFileSync(new URL(f, dir(d)), "utf8"));
const outcome = (fn, ...args) => {
  try {
    return { ok: fn(...args) };
  } catch (e) {
    return { error: [e.code, e.message, e.offset, e.field] };
  }
};

test("the same results and errors as the main entry over the fuzz corpora", () => {
  for (const s of [...inputs("refer_to"), 42, "a\ud800b"]) {
    assert.deepEqual(outcome(parsers.parseReferTo, s), outcome(whole.parseReferTo, s), JSON.stringify(s));
  }
  for (const x of inputs("twiml")) {
    assert.deepEqual(outcome(parsers.parseTwiml, x), outcome(whole.parseTwiml, x), x);
    assert.deepEqual(outcome(parsers.checkTransfer, x, "referResponse"), outcome(whole.checkTransfer, x, "referResponse"), x);
  }
  const build = (R) => {
    const r = new R();
    r.dial({ answerOnBridge: true, referUrl: "/r" }).sip("sip:a@b.com");
    return [r.toString(), outcome(() => r.dial().say("x"))];
  };
  assert.deepEqual(build(parsers.VoiceResponse), build(whole.VoiceResponse));
  assert.equal(parsers.version(), whole.version());
});

test("no simulator; a trap re-instantiates the module, later calls work and older builders are stale", () => {
  assert.equal(parsers.simulate, undefined);
  const r = new parsers.VoiceResponse();
  assert.throws(() => parsers.__forceTrapForTests(), (e) => e.code === "internal" && e.call === "__forceTrapForTests");
  assert.throws(() => r.say("x"), (e) => e.code === "stale");
  assert.equal(parsers.parseReferTo("<sip:a@b.com>").uri.host, "b.com");
  assert.equal(new parsers.VoiceResponse().say("x").tag, "Say");
});
