// A server at --app that turns a TwiML request away before any handler runs (no route, a
// signature or credential check that fails, an unsigned request refused) has not been tested:
// the CLI exits 2 and lists its URL as `untested`, whatever the expectations say. A new user's
// CI check of the answerOnBridge-true fallback ("connected=caller+transferor") passed against a
// real twilio.webhook() app that answered every request 403, 400 or 404, because a failed
// referUrl (11200) gives exactly that fallback. `--expect alert=11200` says the failure is the
// point of the run; a status callback's answer is never read, so its 404 changes nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import express from "express";
import twilio from "twilio";
import { scenarios } from "refer-sim";
import { listen, close } from "./helpers/local_server.mjs";

const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);
const dir = mkdtempSync(join(tmpdir(), "refer-sim-door-"));
const TOKEN = "tok123";

/** Runs the CLI with no token in the environment; resolves to { code, stdout, stderr }. */
function cli(args) {
  const env = { ...process.env };
  delete env.TWILIO_AUTH_TOKEN;
  return new Promise((resolve) => execFile(process.execPath, [bin, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr })));
}

let server;
let app;
let handled = 0;
before(async () => {
  const web = express();
  web.use(express.urlencoded({ extended: false }));
  // The referUrl handler, behind Twilio's own signature check against the public URL.
  web.post("/handler", twilio.webhook(TOKEN, { url: "https://example.com/handler" }), (req, res) => {
    handled += 1;
    res.type("text/xml").send("<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>");
  });
  web.post("/status", (req, res) => res.status(404).end()); // a status callback with no route
  // A redirect to the handler: a 302 after a POST becomes a GET, which the POST-only route does not take.
  web.post("/moved", (req, res) => res.redirect(302, "/handler"));
  // A handler's own 404 with TwiML (an agent it does not know): the handler ran.
  web.post("/own404", twilio.webhook(TOKEN, { url: "https://example.com/own404" }), (req, res) => {
    handled += 1;
    res.status(404).type("text/xml").send("<Response><Say>No such agent</Say></Response>");
  });
  web.post("/slow", (req, res) => setTimeout(() => res.type("text/xml").send("<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>"), 700));
  ({ server, url: app } = await listen(web));
});
after(async () => {
  await close(server);
  rmSync(dir, { recursive: true, force: true });
});

const busy = scenarios().find((e) => e.id === "agentb-busy-aob-true").scenario;
const fallback = ["--expect", "connected=caller+transferor"];

test("the handler ran: the fallback expectation decides the exit status (0), nothing is untested", async () => {
  const before = handled;
  const r = await cli(["run", "agentb-busy-aob-true", "--app", app, "--auth-token", TOKEN, ...fallback, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(handled, before + 1, "the handler ran once");
  assert.equal(JSON.parse(r.stdout).untested, undefined);
});

test("a wrong token (403), an unsigned request (400) and a route typo (404) exit 2 with the URL untested", async () => {
  const typo = join(dir, "typo.json");
  writeFileSync(typo, JSON.stringify({ ...busy, initialTwiml: busy.initialTwiml.replace("https://example.com/handler", "https://example.com/handlr") }));
  const cases = [
    { args: ["agentb-busy-aob-true", "--auth-token", "WRONG"], status: 403, url: `${app}/handler` },
    { args: ["agentb-busy-aob-true"], status: 400, url: `${app}/handler` },
    { args: [typo, "--auth-token", TOKEN], status: 404, url: `${app}/handlr` },
  ];
  const before = handled;
  for (const { args, status, url } of cases) {
    const [what, ...rest] = args;
    const r = await cli(["run", what, "--app", app, ...rest, ...fallback, "--json"]);
    assert.equal(r.code, 2, `${status}: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(out.untested, [url], String(status));
    assert.equal(out.expectations[0].ok, true, "the expectation itself holds; the run does not");
    assert.match(r.stderr, new RegExp(`error: ${url} answered ${status} to the referUrl request \\(POST\\) before any handler ran.*exits 2 whatever the expectations say`));
    if (status === 400) assert.match(r.stderr, /the request was not signed: give --auth-token/);
    const plain = await cli(["run", what, "--app", app, ...rest, ...fallback]);
    assert.equal(plain.code, 2, `${status} without --json`);
    assert.match(plain.stdout, /✓ expect connected=caller\+transferor/); // the timeline is still printed
  }
  assert.equal(handled, before, "no handler ran");
});

test("after a redirect, what stderr says names the last hop's URL and method (newuser4: it named the first URL and POST)", async () => {
  const file = join(dir, "moved.json");
  writeFileSync(file, JSON.stringify({ ...busy, initialTwiml: busy.initialTwiml.replace("https://example.com/handler", "https://example.com/moved") }));
  const r = await cli(["run", file, "--app", app, "--auth-token", TOKEN, ...fallback, "--json"]);
  assert.equal(r.code, 2, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).untested, [`${app}/handler`]);
  assert.match(r.stderr, new RegExp(`error: ${app}/handler answered 404 to the referUrl request \\(GET\\) before any handler ran`));
  assert.match(r.stderr, new RegExp(`warning: ${app}/handler answered 404 to the referUrl request \\(GET\\)`));
  assert.doesNotMatch(r.stderr, /\/moved answered 404/);
});

test("a handler's own 404 with TwiML is a tested answer: the expectations decide, nothing untested", async () => {
  const file = join(dir, "own404.json");
  writeFileSync(file, JSON.stringify({ ...busy, initialTwiml: busy.initialTwiml.replace("https://example.com/handler", "https://example.com/own404") }));
  const before = handled;
  const r = await cli(["run", file, "--app", app, "--auth-token", TOKEN, ...fallback, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(handled, before + 1);
  assert.equal(JSON.parse(r.stdout).untested, undefined);
  assert.doesNotMatch(r.stderr, /before any handler ran/);
});

test("--expect alert=11200 says the refusal is what the run tests: exit 0, warned, not untested", async () => {
  const r = await cli(["run", "agentb-busy-aob-true", "--app", app, "--auth-token", "WRONG", "--expect", "alert=11200", ...fallback, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).untested, undefined);
  assert.match(r.stderr, /answered 403: X-Twilio-Signature/);
  assert.doesNotMatch(r.stderr, /before any handler ran/);
});

test("a status callback's 404 is not a refused TwiML request: Twilio does not read its answer", async () => {
  const file = join(dir, "status.json");
  const initialTwiml = busy.initialTwiml.replace("<Sip>", '<Sip statusCallback="https://example.com/status" statusCallbackEvent="initiated ringing answered completed">');
  writeFileSync(file, JSON.stringify({ ...busy, initialTwiml }));
  const r = await cli(["run", file, "--app", app, "--auth-token", TOKEN, ...fallback, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).timeline.steps.some((s) => s.webhook?.purpose === "statusCallback"), "the callback was sent");
  assert.equal(JSON.parse(r.stdout).untested, undefined);
});

test("an answer later than the request's timeout is said on stderr: the timeline shows 11205, not the handler's TwiML", async () => {
  // A new user's server answered at 15.5 s: the timeline showed 11205 and stderr said nothing
  // (only a server that never answered was warned about). Here the referUrl's own override
  // (#rt=300, Twilio's read timeout) makes a 700 ms answer late.
  const file = join(dir, "slow.json");
  writeFileSync(file, JSON.stringify({ ...busy, initialTwiml: busy.initialTwiml.replace("https://example.com/handler", "https://example.com/slow#rt=300") }));
  const r = await cli(["run", file, "--app", app, "--auth-token", TOKEN, "--json"]);
  assert.equal(r.code, 0, r.stderr); // a late answer is a tested answer: the expectations decide
  assert.ok(JSON.parse(r.stdout).timeline.outcome.alerts.some((a) => a.code === 11205));
  assert.match(r.stderr, new RegExp(`warning: ${app}/slow \\(POST\\) answered after \\d+ ms, past the webhook timeout: Twilio does not use a late answer, so the timeline shows the timeout \\(11205\\), not your TwiML`));
  const fast = await cli(["run", "agentb-busy-aob-true", "--app", app, "--auth-token", TOKEN]);
  assert.doesNotMatch(fast.stderr, /answered after/);
});
