// A scenario's `app` keys and an answer's `redirectedTo` must be URLs Twilio can request (an
// absolute http(s) URL, or a relative one resolved against the document or request that named it).
// Before round 13 the CLI ran a scenario whose answer had `redirectedTo: "not a url at all"` and
// named that text as the URL that answered; now the run is refused naming the field and the byte.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { scenarios, simulate } from "refer-sim";

const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);
const dir = mkdtempSync(join(tmpdir(), "refer-sim-url-values-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args) {
  return new Promise((resolve) => execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr })));
}

const busy = scenarios().find((e) => e.id === "agentb-busy-aob-true").scenario;
const H = "https://example.com/handler";
const answering = (key, extra = {}) => ({ ...busy, app: { [key]: { status: 404, twiml: "", ...extra } } });

test("the CLI refuses an answer whose redirectedTo is not a URL, naming the field and the byte (exit 2)", async () => {
  const file = join(dir, "redirected.json");
  writeFileSync(file, JSON.stringify(answering(H, { redirectedTo: "not a url at all" })));
  const r = await cli(["run", file, "--no-color"]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.equal(r.stdout, "");
  assert.match(r.stderr, /bad_scenario \(app\["https:\/\/example\.com\/handler"\]\.redirectedTo\)/);
  assert.match(r.stderr, /"not a url at all" is not a URL Twilio can request: byte 3 is a space or control character, which a URL cannot hold \(a space is written %20\); write an absolute http\(s\) URL, or a relative one such as \/handler/);
  assert.doesNotMatch(r.stderr + r.stdout, /not a url at all answered/);
});

test("an app key that is not a URL, or has a scheme Twilio does not request, is refused naming it", async () => {
  for (const [key, why] of [["not a url at all", /byte 3 is a space or control character/], ["ftp://example.com/handler", /"ftp:\/\/example\.com\/handler" is not a URL Twilio can request: Twilio requests only http and https URLs/], ["localhost:3000/handler", /"localhost:3000\/handler" is not a URL Twilio can request: Twilio requests only http/]]) {
    assert.throws(() => simulate(answering(key)), (e) => {
      assert.equal(e.code, "bad_scenario");
      assert.equal(e.field, `app[${JSON.stringify(key)}]`);
      assert.match(e.message, why);
      return true;
    }, key);
    const file = join(dir, "key.json");
    writeFileSync(file, JSON.stringify(answering(key)));
    const r = await cli(["run", file]);
    assert.equal(r.code, 2, key);
    assert.match(r.stderr, why);
  }
});

test("an onWebhook answer's redirectedTo is checked too (bad_webhook_answer); a relative one is resolved against the URL requested", async () => {
  assert.throws(() => simulate(busy, { onWebhook: () => ({ status: 404, redirectedTo: "not a url at all" }) }), (e) =>
    e.code === "bad_webhook_answer" && e.field === "redirectedTo" && /is not a URL Twilio can request: byte 3 is a space/.test(e.message));
  // What a Location header may say: relative to the request (RFC 9110 §10.2.2).
  const t = simulate(busy, { onWebhook: () => ({ status: 404, twiml: "", redirectedTo: "/gone" }) });
  assert.match(t.steps.find((s) => s.kind === "webhook-failed").narration, /^https:\/\/example\.com\/gone answered HTTP 404/);
  const file = join(dir, "relative.json");
  writeFileSync(file, JSON.stringify(answering(H, { redirectedTo: "gone" })));
  const r = await cli(["run", file, "--no-color"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /https:\/\/example\.com\/gone answered HTTP 404/);
  // A relative key still answers the relative URL written in initialTwiml (the relative_url rule).
  const relative = { ...busy, initialTwiml: busy.initialTwiml.replace(H, "/handler"), app: { "/handler": { twiml: "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" } } };
  assert.ok(simulate(relative).steps.some((s) => s.kind === "webhook-fetched"));
});
