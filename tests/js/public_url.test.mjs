// A referUrl application that validates X-Twilio-Signature against its PUBLIC URL
// (https://pbx.example.com/refer, behind a proxy or a tunnel), as Twilio signs the URL it
// requests, while refer-sim sends the requests to the app on 127.0.0.1. A real Express app
// with the twilio package's own twilio.webhook() (with `url`, or `host` and `protocol`) and
// validateRequest, through simulateAsync and through the command line as a process.
// Before `signedUrl`, refer-sim signed the URL it sent to (http://127.0.0.1:PORT/refer) and
// every one of these servers answered 403.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import twilio from "twilio";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { simulateAsync, liveApp, requestedUrl, basicAuthorization } from "refer-sim/async";
import { listen, close } from "./helpers/local_server.mjs";

const TOKEN = "0123456789abcdef0123456789abcdef";
const PUBLIC = "https://pbx.example.com";
const AGENT_B = "sip:AgentB@example.sip.twilio.com";
/** Each request as the server saw it. */
const seen = [];
let server;
let base;

const dialTarget = (req, res) => {
  const params = req.method === "POST" ? req.body : req.query;
  const response = new twilio.twiml.VoiceResponse();
  response.dial().sip(params.ReferTransferTarget.replace(/^<|>$/g, "").split("?")[0]);
  res.type("text/xml").send(response.toString());
};

before(async () => {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use((req, _res, next) => {
    seen.push({ path: req.path, originalUrl: req.originalUrl, signature: req.get("X-Twilio-Signature") ?? null, params: req.method === "POST" ? { ...req.body } : { ...req.query } });
    next();
  });
  // The three ways an app behind a proxy validates against its public URL.
  app.post("/refer", twilio.webhook(TOKEN, { url: `${PUBLIC}/refer` }), dialTarget);
  app.post("/hp", twilio.webhook(TOKEN, { host: "pbx.example.com", protocol: "https" }), dialTarget);
  const manual = (req, res, next) => {
    const params = req.method === "POST" ? req.body : {};
    if (twilio.validateRequest(TOKEN, req.get("X-Twilio-Signature") ?? "", `${PUBLIC}${req.originalUrl}`, params)) return next();
    res.status(403).type("text/plain").send("bad signature");
  };
  app.get("/manual", manual, dialTarget);
  // An app that validates against the URL it is reached at (no proxy in front).
  app.post("/local", twilio.webhook(TOKEN), dialTarget);
  ({ server, url: base } = await listen(app));
});

after(() => close(server));

/** A transfer whose referUrl is `referUrl` (answerOnBridge, so a refused webhook re-establishes the call). */
function scenario(referUrl, method = "POST") {
  return {
    initialTwiml: `<Response><Dial answerOnBridge="true" referUrl="${referUrl.replace(/&/g, "&amp;")}" referMethod="${method}"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>`,
    refer: { atMs: 10000, referTo: `<${AGENT_B}?X-Ticket=42>` },
  };
}
const stepOf = (t, kind) => t.steps.find((s) => s.kind === kind);

test("the signature covers the public URL the scenario names: twilio.webhook(token, { url }) accepts it", async () => {
  seen.length = 0;
  const t = await simulateAsync(scenario(`${PUBLIC}/refer`), { app: base, authToken: TOKEN });
  assert.equal(stepOf(t, "webhook-fetched")?.response.status, 200, JSON.stringify(stepOf(t, "webhook-failed")?.response));
  assert.deepEqual(t.outcome.connected, [["caller", "target"]]);
  assert.equal(seen.length, 1);
  assert.equal(seen[0].originalUrl, "/refer", "sent to the same path on the local server");
  assert.equal(seen[0].signature, twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}/refer`, seen[0].params));
});

test("twilio.webhook(token, { host, protocol }) accepts it too", async () => {
  const t = await simulateAsync(scenario(`${PUBLIC}/hp`), { app: base, authToken: TOKEN });
  assert.deepEqual(t.outcome.connected, [["caller", "target"]]);
});

test("GET: the signed URL is the public one with its query; validateRequest(token, sig, publicUrl) accepts it", async () => {
  seen.length = 0;
  const t = await simulateAsync(scenario(`${PUBLIC}/manual?tenant=a%27b&x=1`, "GET"), { app: base, authToken: TOKEN });
  const requested = stepOf(t, "webhook-requested").webhook.queryUrl;
  assert.match(requested, /^https:\/\/pbx\.example\.com\/manual\?tenant=a%27b&x=1&.*ReferTransferTarget=/);
  assert.deepEqual(t.outcome.connected, [["caller", "target"]]);
  assert.equal(seen[0].originalUrl, requested.slice(PUBLIC.length));
  assert.equal(seen[0].signature, twilio.getExpectedTwilioSignature(TOKEN, requested, {}));
});

test("a #rt= connection override is left out of the signed URL (never sent), as written otherwise", async () => {
  seen.length = 0;
  const t = await simulateAsync(scenario(`${PUBLIC}/refer#rt=5000`), { app: base, authToken: TOKEN });
  assert.deepEqual(t.outcome.connected, [["caller", "target"]]);
  assert.equal(seen[0].signature, twilio.getExpectedTwilioSignature(TOKEN, `${PUBLIC}/refer`, seen[0].params));
  assert.equal(requestedUrl("https://a.example/x?y=1#rt=5000&tt=9000"), "https://a.example/x?y=1");
  assert.equal(requestedUrl("https://A.example:443/x?q=%27'"), "https://A.example:443/x?q=%27'", "exactly as written, not normalised");
});

test('signedUrl: "sent" signs the URL on app: an app validating against the URL it is reached at passes, one validating its public URL refuses', async () => {
  seen.length = 0;
  const local = await simulateAsync(scenario(`${PUBLIC}/local`), { app: base, authToken: TOKEN, signedUrl: "sent" });
  assert.deepEqual(local.outcome.connected, [["caller", "target"]]);
  assert.equal(seen[0].signature, twilio.getExpectedTwilioSignature(TOKEN, `${base}/local`, seen[0].params));
  const publicOnly = await simulateAsync(scenario(`${PUBLIC}/refer`), { app: base, authToken: TOKEN, signedUrl: "sent", allowUntested: true });
  assert.equal(stepOf(publicOnly, "webhook-failed").response.status, 403);
  // And the default against the app that validates its local URL: 403, as Twilio would get
  // from it behind a proxy that does not pass the public host and protocol on.
  const byDefault = await simulateAsync(scenario(`${PUBLIC}/local`), { app: base, authToken: TOKEN, allowUntested: true });
  assert.equal(stepOf(byDefault, "webhook-failed").response.status, 403);
  assert.deepEqual(byDefault.outcome.connected, [["caller", "transferor"]]);
});

test("signedUrl is checked: a value, with authToken, with app; field names it", async () => {
  const s = scenario(`${PUBLIC}/refer`);
  for (const signedUrl of ["public", "", null, 1, "SENT"]) {
    await assert.rejects(simulateAsync(s, { app: base, authToken: TOKEN, signedUrl }), (e) => e.code === "bad_options" && e.field === "options.signedUrl" && /"requested".*"sent"/.test(e.message), String(signedUrl));
  }
  await assert.rejects(simulateAsync(s, { app: base, signedUrl: "sent" }), (e) => e.code === "bad_options" && e.field === "options.signedUrl" && /options\.authToken/.test(e.message));
  await assert.rejects(simulateAsync(s, { signedUrl: "requested" }), (e) => e.code === "bad_options" && e.field === "options.signedUrl" && /options\.app/.test(e.message));
  assert.throws(() => liveApp({ app: base, authToken: TOKEN, signedUrl: "local" }), (e) => e.code === "bad_options" && e.field === "options.signedUrl");
  assert.equal(typeof liveApp({ app: base, authToken: TOKEN, signedUrl: "requested" }), "function");
});

// The command line as a process, as a CI script runs it.
const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);
const dir = mkdtempSync(join(tmpdir(), "refer-sim-public-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

function cli(args, env = {}) {
  return new Promise((resolve) => {
    const clean = { ...process.env };
    delete clean.TWILIO_AUTH_TOKEN;
    execFile(process.execPath, [bin, ...args], { env: { ...clean, ...env } }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

test("the CLI signs the public URL: --expect passes against twilio.webhook(token, { url }), and --signed-url sent explains the 403", async () => {
  const file = join(dir, "public.json");
  writeFileSync(file, JSON.stringify(scenario(`${PUBLIC}/refer`)));
  const ok = await cli(["run", file, "--app", base, "--expect", "connected=caller+target"], { TWILIO_AUTH_TOKEN: TOKEN });
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, new RegExp(`→ POST ${PUBLIC}/refer \\(referUrl\\) sent to ${base}/refer`));
  assert.equal(ok.stderr, "");

  const sent = await cli(["run", file, "--app", base, "--auth-token", TOKEN, "--signed-url", "sent", "--expect", "connected=caller+target"]);
  assert.equal(sent.code, 2, sent.stdout + sent.stderr); // refused at the door: the handler was not tested
  assert.match(sent.stderr, new RegExp(`${base}/refer answered 403: X-Twilio-Signature was computed over ${base}/refer \\(the URL on --app`));
  assert.match(sent.stderr, /drop --signed-url sent and write that URL in the scenario; otherwise check that --auth-token/);

  const local = join(dir, "local.json");
  writeFileSync(local, JSON.stringify(scenario(`${PUBLIC}/local`)));
  const refused = await cli(["run", local, "--app", base, "--auth-token", TOKEN, "--expect", "connected=caller+target"]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, new RegExp(`answered 403: X-Twilio-Signature was computed over ${PUBLIC}/local \\(the URL Twilio requests.*pass --signed-url sent`));
  assert.equal(refused.stderr.split("\n").filter((l) => l.includes("warning:")).length, 1, "said once");
  assert.match(refused.stderr, /error: .* answered 403 to the referUrl request \(POST\) before any handler ran/);
  assert.equal((await cli(["run", local, "--app", base, "--auth-token", TOKEN, "--signed-url", "sent", "--expect", "connected=caller+target"])).code, 0);
});

test("the CLI checks --signed-url and names the flag, not the option", async () => {
  let r = await cli(["run", "agentb-answers-aob-true", "--app", base, "--auth-token", TOKEN, "--signed-url", "public"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^refer-sim: bad_options \(--signed-url\): --signed-url: "public" is not "requested"/);
  assert.doesNotMatch(r.stderr, /options\./);
  r = await cli(["run", "agentb-answers-aob-true", "--app", base, "--signed-url", "sent"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--signed-url .*give --auth-token too/);
  r = await cli(["run", "agentb-answers-aob-true", "--signed-url", "sent"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--signed-url .*give --app/);
});

test("credentials in the URL (https://user:pass@host/path): sent as Basic Authorization, left out of the signed URL", async () => {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const got = [];
  app.post("/secure", (req, res, next) => {
    got.push(req.get("Authorization") ?? null);
    if (req.get("Authorization") !== `Basic ${Buffer.from("pbx:s3cr:t é").toString("base64")}`) return res.status(401).set("WWW-Authenticate", 'Basic realm="pbx"').end();
    next();
  }, twilio.webhook(TOKEN, { url: `${PUBLIC}/secure` }), dialTarget);
  const secure = await listen(app);
  try {
    const t = await simulateAsync(scenario("https://pbx:s3cr%3At%20%C3%A9@pbx.example.com/secure"), { app: secure.url, authToken: TOKEN });
    assert.deepEqual(t.outcome.connected, [["caller", "target"]], JSON.stringify(t.steps.find((s) => s.kind === "webhook-failed")?.response));
    // First without credentials; with them once the server challenged (Twilio's security page).
    assert.deepEqual(got, [null, `Basic ${Buffer.from("pbx:s3cr:t é").toString("base64")}`]);
    assert.equal(requestedUrl("https://u:p@w@pbx.example.com:8443/x?a=b@c#rt=1"), "https://pbx.example.com:8443/x?a=b@c");
    assert.equal(basicAuthorization("https://pbx.example.com/x"), null);
    assert.equal(basicAuthorization("https://a%zz:b@pbx.example.com/x"), `Basic ${Buffer.from("a%zz:b").toString("base64")}`);
  } finally {
    await close(secure.server);
  }
});
