// The Content-Type of the application's answer, as a developer testing their own referUrl
// handler meets it: a real Express app on 127.0.0.1, reached through simulateAsync's `app`
// and through the command line's --app as a process. Twilio reads the body by its type
// ("Twilio Understands MIME Types", src/sources.md `twiml.mime-types`): text/xml,
// application/xml and text/html are TwiML, audio is played, text/plain is read out, and no
// Content-Type or any other is error 12300 (`error.12300`). Before, every body was read as
// TwiML whatever its type: a TwiML body without a Content-Type or as application/json
// transferred the call and passed `--expect alerts=none`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import express from "express";
import { simulateAsync } from "refer-sim/async";
import { scenarios } from "refer-sim";
import { listen, close } from "./helpers/local_server.mjs";

const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);

const SCENARIO = "agentb-answers-aob-true";
const scenario = scenarios().find((e) => e.id === SCENARIO).scenario;
const dial = (req) => `<Response><Dial><Sip>${req.body.ReferTransferTarget.replace(/^<|>$/g, "")}</Sip></Dial></Response>`;

// Which answer /handler (the scenario's referUrl path) gives; set by each test.
let mode = "xml";
const answers = {
  xml: (req, res) => res.type("text/xml").send(dial(req)),
  "app-xml": (req, res) => res.type("application/xml; charset=utf-8").send(dial(req)),
  "no-ct": (req, res) => {
    res.removeHeader("Content-Type");
    res.end(dial(req));
  },
  "json-twiml": (req, res) => res.type("application/json").send(dial(req)),
  "wrong-ct": (_req, res) => res.type("application/json").send(JSON.stringify({ twiml: "<Response/>" })),
  mp3: (_req, res) => res.type("audio/mpeg").send(Buffer.from([0xff, 0xfb, 0x90, 0x00])),
  "text-plain": (req, res) => res.type("text/plain").send(dial(req)),
};

let server, app;
before(async () => {
  const e = express();
  e.use(express.urlencoded({ extended: false }));
  e.post("/handler", (req, res) => answers[mode](req, res));
  ({ server, url: app } = await listen(e));
});
after(() => close(server));

/** The CLI as a process; resolves to { code, stdout, stderr }. */
function cli(args) {
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.TWILIO_AUTH_TOKEN;
    execFile(process.execPath, [bin, ...args], { env }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
  });
}

const codes = (t) => t.outcome.alerts.map((a) => a.code);
const transferred = (t) => t.outcome.connected.some(([a, b]) => [a, b].includes("AgentB") || /target/.test(a + b));

test("text/xml and application/xml with a charset: TwiML, the transfer goes through with no alert", async () => {
  for (const m of ["xml", "app-xml"]) {
    mode = m;
    const t = await simulateAsync(scenario, { app });
    assert.deepEqual(codes(t), [], m);
    assert.ok(transferred(t), `${m}: ${JSON.stringify(t.outcome.connected)}`);
    const r = await cli(["run", SCENARIO, "--app", app, "--expect", "alerts=none", "--expect", "warnings=none"]);
    assert.equal(r.code, 0, m + r.stdout + r.stderr);
  }
});

test("no Content-Type, application/json (TwiML or JSON body): error 12300 and no transfer, through the API and the CLI", async () => {
  for (const m of ["no-ct", "json-twiml", "wrong-ct"]) {
    mode = m;
    const t = await simulateAsync(scenario, { app });
    assert.deepEqual(codes(t), [12300], `${m}: ${JSON.stringify(t.outcome.alerts)}`);
    assert.ok(!transferred(t), m);
    const failed = t.steps.find((s) => s.alerts.some((a) => a.code === 12300));
    assert.equal(failed.source, "error.12300", m);
    assert.match(failed.narration, m === "no-ct" ? /without a Content-Type/ : /Content-Type application\/json/, m);
    const r = await cli(["run", SCENARIO, "--app", app, "--expect", "alerts=none", "--expect", "warnings=none"]);
    assert.equal(r.code, 1, m + r.stdout + r.stderr);
    assert.match(r.stdout, /12300/, m);
    assert.equal((await cli(["run", SCENARIO, "--app", app, "--expect", "alert=12300"])).code, 0, m);
  }
});

test("audio/mpeg is played (a <Play> of the referUrl), not parsed as XML: no 12100, no transfer", async () => {
  mode = "mp3";
  const t = await simulateAsync(scenario, { app });
  assert.ok(!codes(t).includes(12100), JSON.stringify(t.outcome.alerts));
  assert.ok(!codes(t).includes(12300), JSON.stringify(t.outcome.alerts));
  assert.ok(!transferred(t));
  assert.ok(t.steps.some((s) => s.kind === "twiml-verb" && /Play/.test(s.narration)), t.steps.map((s) => s.narration).join("\n"));
});

test("text/plain carrying TwiML is read out (a <Say> of the text), not run as TwiML: no transfer", async () => {
  mode = "text-plain";
  const t = await simulateAsync(scenario, { app });
  assert.ok(!transferred(t), JSON.stringify(t.outcome.connected));
  assert.ok(t.steps.some((s) => s.kind === "twiml-verb" && /Say/.test(s.narration)), t.steps.map((s) => s.narration).join("\n"));
});
