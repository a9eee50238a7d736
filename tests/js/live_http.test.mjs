// A live Express server as Twilio reaches it, through what a user runs (simulateAsync, and
// refer-sim run as a process): the Host it names (twilio.webhook(token) with no options
// validates), the redirects it follows (301, 302, 303, 307; 11216 for others; too many is 11215)
// and the HTTP authentication challenge it answers (Basic and Digest, credentials in the URL).
// Sources: src/sources.md `webhook.host`, `error.11216`, `error.11215`, `security.http-auth-challenge`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import express from "express";
import twilio from "twilio";
import { createHash } from "node:crypto";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { simulateAsync } from "refer-sim/async";
import { listen, close } from "./helpers/local_server.mjs";

const TOKEN = "0123456789abcdef0123456789abcdef";
const PUBLIC = "https://pbx.example.com";
const AGENT_B = "sip:AgentB@example.sip.twilio.com";
/** Each request as the server saw it: method, path, Host, scheme as Express reads it, Authorization. */
const seen = [];
let server;
let base;

const dial = (_req, res) => {
  const response = new twilio.twiml.VoiceResponse();
  response.dial().sip(AGENT_B);
  res.type("text/xml").send(response.toString());
};
const md5 = (text) => createHash("md5").update(text).digest("hex");

before(async () => {
  const app = express();
  // As any app behind a TLS-terminating proxy or tunnel sets it: req.protocol from X-Forwarded-Proto.
  app.set("trust proxy", "loopback");
  app.use(express.urlencoded({ extended: false }));
  app.use((req, _res, next) => {
    seen.push({ method: req.method, path: req.originalUrl, host: req.get("Host"), protocol: req.protocol, authorization: req.get("Authorization") ?? null });
    next();
  });
  // The default path of twilio.webhook(): the URL rebuilt from req.protocol, Host and originalUrl.
  app.all("/plain", twilio.webhook(TOKEN), dial);
  app.post("/moved-307", (_req, res) => res.redirect(307, "/plain"));
  app.post("/moved-302", (_req, res) => res.redirect(302, `${PUBLIC}/plain`));
  app.post("/moved-303", (_req, res) => res.redirect(303, "plain"));
  app.post("/moved-308", (_req, res) => res.redirect(308, "/plain"));
  app.post("/no-location", (_req, res) => res.status(302).end());
  app.all("/loop", (_req, res) => res.redirect(301, "/loop"));
  // Digest (RFC 7616, qop=auth, MD5) for user pbx, password s3cret, realm "pbx".
  app.post("/digest", (req, res, next) => {
    const h = req.get("Authorization") ?? "";
    const p = Object.fromEntries([...h.matchAll(/(\w+)="?([^",]*)"?/g)].map((m) => [m[1], m[2]]));
    const ok =
      h.startsWith("Digest ") &&
      p.response === md5(`${md5(`pbx:pbx:s3cret`)}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${md5(`POST:${p.uri}`)}`) &&
      p.nonce === "n0nce" &&
      p.uri === req.originalUrl &&
      p.opaque === "0paque";
    if (!ok) return res.status(401).set("WWW-Authenticate", 'Digest realm="pbx", qop="auth", nonce="n0nce", opaque="0paque"').end();
    next();
  }, twilio.webhook(TOKEN), dial);
  ({ server, url: base } = await listen(app));
});

after(() => close(server));

/** A transfer whose referUrl is `referUrl` (answerOnBridge, so a failed webhook re-establishes the call). */
const scenario = (referUrl) => ({
  initialTwiml: `<Response><Dial answerOnBridge="true" referUrl="${referUrl}"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>`,
  refer: { atMs: 10000, referTo: `<${AGENT_B}>` },
});
const stepOf = (t, kind) => t.steps.find((s) => s.kind === kind);
const run = async (referUrl, more = {}) => {
  seen.length = 0;
  return simulateAsync(scenario(referUrl), { app: base, authToken: TOKEN, ...more });
};

test("Host is the public host Twilio requests: twilio.webhook(token) with no url option validates", async () => {
  const t = await run(`${PUBLIC}/plain`);
  assert.deepEqual(t.outcome.connected, [["caller", "target"]], JSON.stringify(stepOf(t, "webhook-failed")?.response));
  assert.deepEqual(seen, [{ method: "POST", path: "/plain", host: "pbx.example.com", protocol: "https", authorization: null }]);
  // A public http:// URL needs no proxy header: Host alone rebuilds it.
  const plainHttp = await run("http://pbx.example.com:8080/plain");
  assert.deepEqual(plainHttp.outcome.connected, [["caller", "target"]]);
  assert.equal(seen[0].host, "pbx.example.com:8080");
  assert.equal(seen[0].protocol, "http");
});

test("a 307 is followed with the same POST, signed over the new URL", async () => {
  const t = await run(`${PUBLIC}/moved-307`);
  assert.deepEqual(t.outcome.connected, [["caller", "target"]], JSON.stringify(stepOf(t, "webhook-failed")?.response));
  assert.deepEqual(seen.map((s) => `${s.method} ${s.path}`), ["POST /moved-307", "POST /plain"]);
  assert.equal(stepOf(t, "webhook-fetched").response.status, 200);
});

test("a 302 after a POST, and a 303 (relative Location), are followed as a GET of the new URL", async () => {
  for (const path of ["/moved-302", "/moved-303"]) {
    const t = await run(`${PUBLIC}${path}`);
    assert.deepEqual(t.outcome.connected, [["caller", "target"]], `${path}: ${JSON.stringify(stepOf(t, "webhook-failed")?.response)}`);
    assert.deepEqual(seen.map((s) => `${s.method} ${s.path} ${s.host}`), [`POST ${path} pbx.example.com`, "GET /plain pbx.example.com"]);
  }
});

test("a 308, or a 302 without Location, is not followed: the request fails with Twilio's 11216", async () => {
  for (const [path, status] of [["/moved-308", 308], ["/no-location", 302]]) {
    const t = await run(`${PUBLIC}${path}`);
    const failed = stepOf(t, "webhook-failed");
    assert.equal(failed?.response.status, status, path);
    assert.deepEqual(failed.alerts.map((a) => a.code), [11216], path);
    assert.match(failed.alerts[0].message, /a redirect Twilio does not follow \(it follows 301, 302, 303 and 307 with a Location header\)/);
    assert.deepEqual(t.outcome.connected, [["caller", "transferor"]]);
    assert.equal(seen.length, 1, "not followed");
  }
});

test("a redirect loop stops the run with too_many_redirects, naming Twilio's 11215", async () => {
  await assert.rejects(run(`${PUBLIC}/loop`), (e) => e.code === "too_many_redirects" && /redirected 10 times in a row .*error 11215 \(HTTP too many redirects/.test(e.message));
  assert.equal(seen.length, 11);
});

test("credentials in the URL answer a Digest challenge: first no Authorization, then Digest", async () => {
  const t = await run("https://pbx:s3cret@pbx.example.com/digest");
  assert.deepEqual(t.outcome.connected, [["caller", "target"]], JSON.stringify(stepOf(t, "webhook-failed")?.response));
  assert.equal(seen.length, 2);
  assert.equal(seen[0].authorization, null);
  assert.match(seen[1].authorization, /^Digest username="pbx", realm="pbx", nonce="n0nce", uri="\/digest", algorithm=MD5, qop=auth, nc=00000001, cnonce="[0-9a-f]{16}", response="[0-9a-f]{32}", opaque="0paque"$/);
  // A wrong password: the second 401 is the answer (11200), and nothing loops.
  const wrong = await run("https://pbx:nope@pbx.example.com/digest", { allowUntested: true });
  assert.equal(stepOf(wrong, "webhook-failed").response.status, 401);
  assert.equal(seen.length, 2);
});

// The command line as a process, as a CI job runs it.
const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);
const dir = mkdtempSync(join(tmpdir(), "refer-sim-http-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const cli = (args) =>
  new Promise((resolve) => {
    const env = { ...process.env, TWILIO_AUTH_TOKEN: TOKEN };
    execFile(process.execPath, [bin, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
const file = (name, s) => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(s));
  return path;
};

test("the CLI: twilio.webhook(token) passes, a redirect is followed and said, a loop exits 2 with 11215", async () => {
  const plain = await cli(["run", file("plain.json", scenario(`${PUBLIC}/plain`)), "--app", base, "--expect", "connected=caller+target"]);
  assert.equal(plain.code, 0, plain.stdout + plain.stderr);
  assert.equal(plain.stderr, "");
  const moved = await cli(["run", file("moved.json", scenario(`${PUBLIC}/moved-307`)), "--app", base, "--expect", "connected=caller+target"]);
  assert.equal(moved.code, 0, moved.stdout + moved.stderr);
  assert.equal(moved.stderr, `refer-sim: note: POST ${PUBLIC}/moved-307 was redirected: 307 to ${PUBLIC}/plain (sent to ${base}/plain)\n`);
  const loop = await cli(["run", file("loop.json", scenario(`${PUBLIC}/loop`)), "--app", base]);
  assert.equal(loop.code, 2);
  assert.match(loop.stderr, /^refer-sim: too_many_redirects: POST https:\/\/pbx\.example\.com\/loop was redirected 10 times in a row/);
});

test("the CLI says when --app plays more than one host (a status callback elsewhere goes to the same server)", async () => {
  const s = scenario(`${PUBLIC}/plain`);
  s.initialTwiml = s.initialTwiml.replace("<Sip>", `<Sip statusCallback="https://status.example.net/plain" statusCallbackEvent="answered">`);
  const r = await cli(["run", file("two-hosts.json", s), "--app", base]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, `refer-sim: note: the scenario's requests name 2 hosts (status.example.net, pbx.example.com); --app sends every one to ${base} (path and query kept), so that one server answers for all of them\n`);
});
