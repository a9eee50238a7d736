// parseReferTo through the built package, imported by its name as a user would
// (node_modules/refer-sim links to pkg/; Node resolves its "node" export).
import { test } from "node:test";
import assert from "node:assert/strict";
import init, { parseReferTo } from "refer-sim";

const SEED = "sip:AgentA@xyz.sip.us1.twilio.com?User-to-User=123456789%3Bencoding%3Dhex&X-Name=Agent%2C+A";

test("init() resolves in Node, where the module is already instantiated", async () => {
  await init();
});

test("the vendor's example: UUI and an X- header embedded in the URI", () => {
  const r = parseReferTo(SEED);
  assert.equal(r.raw, SEED);
  assert.equal(r.displayName, null);
  assert.equal(r.transferTarget, SEED);
  assert.equal(r.uri.scheme, "sip");
  assert.equal(r.uri.user, "AgentA");
  assert.equal(r.uri.password, null);
  assert.equal(r.uri.host, "xyz.sip.us1.twilio.com");
  assert.equal(r.uri.port, null);
  assert.deepEqual(r.uri.headers, [
    ["User-to-User", "123456789;encoding=hex"],
    ["X-Name", "Agent,+A"],
  ]);
  assert.equal(r.uui.value, "123456789");
  assert.equal(r.uui.encoding, "hex");
  assert.equal(r.replaces, null);
  assert.ok(r.warnings.some((w) => w.code === "uui_not_hex"), "nine hex digits is a warning");
  assert.ok(JSON.stringify(r.customHeaders).includes("X-Name"));
});

test("name-addr with a quoted display name, URI params and header params", () => {
  const r = parseReferTo('"Agent, \\"B\\"" <sips:agentb:pw@[2001:db8::10]:5061;transport=tls;lr>;expires=60;x');
  assert.equal(r.displayName, 'Agent, "B"');
  assert.equal(r.uri.scheme, "sips");
  assert.equal(r.uri.user, "agentb");
  assert.equal(r.uri.password, "pw");
  assert.equal(r.uri.host, "[2001:db8::10]");
  assert.equal(r.uri.port, 5061);
  assert.deepEqual(r.uri.params, { transport: "tls", lr: null });
  assert.deepEqual(r.params, { expires: "60", x: null });
});

test("tel: targets and Replaces (attended transfer request)", () => {
  assert.equal(parseReferTo("<tel:+14155550100>").uri.scheme, "tel");
  const r = parseReferTo("<sip:b@example.com?Replaces=12345%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>");
  assert.equal(r.replaces.callId, "12345@host");
  assert.equal(r.replaces.toTag, "1");
  assert.equal(r.replaces.fromTag, "2");
});

const BAD = [
  ["", "empty"],
  ["sip:" + "a".repeat(300) + "@example.com", "too_long"],
  ["http://example.com", "bad_scheme"],
  ['"unterminated <sip:a@b.com>', "unterminated_quote"],
  ["<sip:a@b.com", "unterminated_angle"],
  ["<sip:a@exa mple.com>", null],
  ["<sip:a%zz@b.com>", "bad_escape"],
  ["<sip:a@b.com:99999>", "bad_port"],
];

test("malformed values throw an Error with the Rust code and a byte offset", () => {
  for (const [input, code] of BAD) {
    assert.throws(
      () => parseReferTo(input),
      (err) => {
        assert.ok(err instanceof Error, `${input}: an Error`);
        if (code) assert.equal(err.code, code, `${input}: code`);
        else assert.equal(typeof err.code, "string");
        assert.equal(typeof err.offset, "number", `${input}: offset`);
        assert.ok(err.offset >= 0 && err.offset <= Math.max(input.length, 1));
        assert.ok(err.message.length > 10, `${input}: a human message`);
        return true;
      },
    );
  }
  assert.throws(() => parseReferTo("sip:" + "a".repeat(300) + "@x.com"), /256/);
});

test("non-string arguments throw instead of crashing the module", () => {
  for (const v of [undefined, null, 42, {}, ["sip:a@b.com"]]) {
    assert.throws(() => parseReferTo(v), (err) => err.code === "not_a_string");
  }
  assert.equal(parseReferTo("sip:a@b.com").uri.host, "b.com", "the module still works afterwards");
});

test("the package version matches the crate version", async () => {
  const { readFileSync } = await import("node:fs");
  const pkg = JSON.parse(readFileSync(new URL("../../pkg/package.json", import.meta.url)));
  const cargo = readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8");
  assert.equal(pkg.version, cargo.match(/^version = "(.*)"/m)[1]);
  const { version } = await import("refer-sim");
  assert.equal(version(), pkg.version);
});
