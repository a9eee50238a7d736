// Four defects a new user (newuser4) met with a live server and an onWebhook handler, each tested
// through what the user touches: simulateAsync, and the CLI as a process against a real HTTP
// server on 127.0.0.1.
// #7: after a followed redirect, the timeline named the first URL ("https://example.com/moved
//     answered HTTP 404") when the 404 came from the last hop.
// #6: a live body over 1 MiB aborted the whole run with an error worded as if onWebhook had
//     failed; Twilio fails such an answer with 11750 (over 64 kB), and refer-sim read it whole.
// #11: an onWebhook that throws made simulateAsync reject with the raw Error (no request, no
//     code); a live handler that throws answered Express's 500 page and the run passed.
// #12: a warning about the TwiML a handler answered named `app["…"].twiml`, a field the
//     user's scenario does not have.
// Round 13: a redirect to a Location over 2,048 bytes stopped the run with an error worded as if
//     the user's onWebhook had answered it (the server at app had).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import express from "express";
import { scenarios, simulate } from "refer-sim";
import * as live from "refer-sim/async";
import { listen, close } from "./helpers/local_server.mjs";

const { simulateAsync } = live;
// Exported since this fix (1 MiB): a namespace import, so that each test fails on its own before it.
const MAX_ANSWER_BYTES = live.MAX_ANSWER_BYTES ?? 1024 * 1024;

const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);
const dir = mkdtempSync(join(tmpdir(), "refer-sim-live-answers-"));

function cli(args) {
  const env = { ...process.env };
  delete env.TWILIO_AUTH_TOKEN;
  return new Promise((resolve) => execFile(process.execPath, [bin, ...args], { env, maxBuffer: 1 << 24 }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr })));
}

const DIAL_B = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";
const MAX_URL_BYTES = 2048;
let server;
let app;
/** Bytes the endless route managed to write before the client stopped reading. */
let endlessWritten = 0;
before(async () => {
  const web = express();
  web.use(express.urlencoded({ extended: false }));
  // A 302 after a POST is a GET; /gone has no route at all (Express's own 404).
  web.post("/moved", (req, res) => res.redirect(302, "/gone"));
  // A 307 keeps the POST, to a handler whose TwiML has an attribute Twilio does not document.
  web.post("/kept", (req, res) => res.redirect(307, "/typo"));
  web.post("/typo", (req, res) => res.type("text/xml").send('<Response><Dial><Sip referUrl2="x">sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>'));
  // A TwiML answer that never ends: a reader that reads it whole never finishes.
  web.post("/endless", (req, res) => {
    res.type("text/xml");
    res.write("<Response><Say>");
    const chunk = "a".repeat(64 * 1024);
    const more = () => {
      while (endlessWritten < 256 * 1024 * 1024) {
        endlessWritten += chunk.length;
        if (!res.write(chunk)) return res.once("drain", more);
      }
      res.end("</Say></Response>");
    };
    res.on("close", () => res.removeAllListeners("drain"));
    more();
  });
  // An error page over 1 MiB (a 404 whose body Twilio never runs) and an audio file over 1 MiB.
  web.post("/big404", (req, res) => res.status(404).type("text/html").send(`<html>${"x".repeat(MAX_ANSWER_BYTES + 10)}</html>`));
  web.post("/song", (req, res) => res.type("audio/mpeg").send(Buffer.alloc(MAX_ANSWER_BYTES + 10, 7)));
  // A handler that throws: Express answers its own 500 error page.
  web.post("/throws", () => {
    throw new TypeError("Cannot read properties of undefined (reading 'agent')");
  });
  // A 500 the handler sends on purpose is an answer.
  web.post("/down", (req, res) => res.status(500).send("database down"));
  // Redirects to a URL one byte over refer-sim's 2,048 (MAX_URL_BYTES in src/scenario/input.rs), and to one of 2,048.
  web.post("/long", (req, res) => res.redirect(302, `/l?${"x".repeat(MAX_URL_BYTES + 1 - "https://example.com/l?".length)}`));
  web.post("/fits", (req, res) => res.redirect(302, `/l?${"x".repeat(MAX_URL_BYTES - "https://example.com/l?".length)}`));
  web.get("/l", (req, res) => res.type("text/xml").send(DIAL_B));
  ({ server, url: app } = await listen(web));
});
after(async () => {
  await close(server);
  rmSync(dir, { recursive: true, force: true });
});

const busy = scenarios().find((e) => e.id === "agentb-busy-aob-true").scenario;
const at = (path) => ({ ...busy, initialTwiml: busy.initialTwiml.replace("https://example.com/handler", `https://example.com/${path}`) });
const failedStep = (t) => t.steps.find((s) => s.kind === "webhook-failed");

test("#7 after a 302 the failure names the URL that answered 404, not the one first requested (simulateAsync and the CLI)", async () => {
  const t = await simulateAsync(at("moved"), { app, allowUntested: true });
  const failed = failedStep(t);
  assert.equal(failed.response.url, "https://example.com/gone");
  assert.match(failed.narration, /^https:\/\/example\.com\/gone answered HTTP 404: alert 11200\.$/);
  assert.match(failed.alerts[0].message, /example\.com\/gone answered HTTP 404/);
  assert.doesNotMatch(JSON.stringify([failed, t.outcome, t.explanation]), /\/moved/);
  assert.deepEqual(t.untested.map((u) => [u.url, u.method, u.status]), [["https://example.com/moved", "POST", 404]]);
  // The CLI prints the timeline's text: the same URL, and stderr names the GET it became.
  const file = join(dir, "moved.json");
  writeFileSync(file, JSON.stringify(at("moved")));
  const r = await cli(["run", file, "--app", app, "--no-color"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stdout, /webhook-failed\s+\[doc\]\s+https:\/\/example\.com\/gone answered HTTP 404/);
  assert.match(r.stdout, /← HTTP 404 from https:\/\/example\.com\/gone/);
  assert.doesNotMatch(r.stdout, /example\.com\/moved answered/);
  assert.match(r.stderr, new RegExp(`${app}/gone answered 404 to the referUrl request \\(GET\\)`));
});

test("#7 after a 307 the TwiML runs as the last URL's document, and its warnings name that answer (#12)", async () => {
  const t = await simulateAsync(at("kept"), { app });
  const fetched = t.steps.find((s) => s.kind === "webhook-fetched");
  assert.equal(fetched.response.url, "https://example.com/typo");
  assert.deepEqual(t.untested, []);
  const w = t.warnings.find((x) => x.code === "unknown_attribute");
  assert.equal(w.field, "the answer from https://example.com/typo");
  assert.match(w.message, /^line 1 column 22: <Sip> has no documented attribute `referUrl2`/);
});

test("#7 an onWebhook answer may say it came after redirects: redirectedTo and redirectedMethod", () => {
  const t = simulate(busy, { onWebhook: () => ({ status: 404, twiml: "", redirectedTo: "https://example.com/elsewhere", redirectedMethod: "GET" }) });
  assert.match(failedStep(t).narration, /^https:\/\/example\.com\/elsewhere answered HTTP 404/);
  const plain = simulate(busy, { onWebhook: () => ({ status: 404, twiml: "" }) });
  assert.match(failedStep(plain).narration, /^https:\/\/example\.com\/handler answered HTTP 404/);
  assert.throws(() => simulate(busy, { onWebhook: () => ({ redirectedMethod: "PUT" }) }), (e) => e.code === "bad_webhook_answer" && /redirectedMethod/.test(e.message));
});

test("#6 a live TwiML answer over 1 MiB is Twilio's 11750, read no further than the cap, the outcome a 100 kB answer gives", async () => {
  const t = await simulateAsync(at("endless"), { app });
  const failed = failedStep(t);
  assert.deepEqual(failed.alerts.map((a) => a.code), [11750]);
  assert.match(failed.narration, new RegExp(`^the response body from https://example\\.com/endless is more than ${MAX_ANSWER_BYTES} bytes, larger than 64 kB: alert 11750\\.$`));
  assert.equal(live.MAX_ANSWER_BYTES, 1024 * 1024);
  // The server was stopped by backpressure well before its 256 MiB.
  assert.ok(endlessWritten < 32 * 1024 * 1024, `${endlessWritten} bytes written`);
  // The same outcome as an answer over 64 kB given whole (from onWebhook).
  const whole = simulate(at("endless"), { onWebhook: () => ({ twiml: `<Response><Say>${"a".repeat(100_000)}</Say></Response>` }) });
  const same = (o) => ({ ...o, alerts: o.alerts.map((a) => a.code) });
  assert.deepEqual(same(t.outcome), same(whole.outcome));
  assert.equal(t.explanation.fix, whole.explanation.fix);
  assert.match(failedStep(whole).narration, /is 100032 bytes, larger than 64 kB/);
  assert.deepEqual(t.untested, []);
});

test("#6 over 1 MiB but not TwiML run: a 404 page is 11200, an audio file is played, as whole bodies", async () => {
  const page = await simulateAsync(at("big404"), { app, allowUntested: true });
  assert.deepEqual(failedStep(page).alerts.map((a) => a.code), [11200]);
  assert.equal(Buffer.byteLength(failedStep(page).response.body), MAX_ANSWER_BYTES);
  const song = await simulateAsync(at("song"), { app });
  assert.equal(failedStep(song), undefined);
  assert.ok(song.steps.some((s) => s.kind === "webhook-fetched"));
});

test("#11 an onWebhook that throws or rejects: webhook_handler_failed naming the request and the step, the error as cause", async () => {
  const boom = new Error("db down");
  for (const onWebhook of [() => { throw boom; }, async () => Promise.reject(boom)]) {
    await assert.rejects(simulateAsync(busy, { onWebhook }), (e) => {
      assert.equal(e.code, "webhook_handler_failed");
      assert.equal(e.field, "options.onWebhook");
      assert.equal(e.cause, boom);
      assert.equal(e.request.purpose, "referUrl");
      assert.match(e.message, /^options\.onWebhook threw while answering the referUrl request \(POST https:\/\/example\.com\/handler\), sent at \d+ ms \(step \d+\): Error: db down\./);
      return true;
    });
  }
  // A status callback's handler is named as such.
  const withCallback = { ...busy, initialTwiml: busy.initialTwiml.replace("<Sip>", '<Sip statusCallback="https://example.com/status" statusCallbackEvent="initiated">') };
  await assert.rejects(
    simulateAsync(withCallback, { onWebhook: (r) => (r.purpose === "statusCallback" ? Promise.reject("nope") : undefined) }),
    (e) => e.code === "webhook_handler_failed" && /the statusCallback request \(POST https:\/\/example\.com\/status\).*it threw "nope"/.test(e.message) && e.cause === "nope",
  );
});

test("#11 a live handler that throws: simulateAsync says so (app_untested), the CLI exits 2 naming the handler and its error", async () => {
  assert.equal(live.handlerThrew({ status: 500, twiml: "database down" }), null);
  assert.equal(live.handlerThrew({ status: 500, twiml: '{"statusCode":500,"error":"Internal Server Error","message":"boom"}' }), "boom");
  await assert.rejects(simulateAsync(at("throws"), { app }), (e) => {
    assert.equal(e.code, "app_untested");
    assert.deepEqual(e.untested.map((u) => u.status), [500]);
    assert.match(e.untested[0].reason, /^answered 500: your handler threw \(TypeError: Cannot read properties of undefined \(reading 'agent'\)\)$/);
    return true;
  });
  // A 500 the handler sent itself is a tested answer.
  assert.deepEqual((await simulateAsync(at("down"), { app })).untested, []);
  const file = join(dir, "throws.json");
  writeFileSync(file, JSON.stringify(at("throws")));
  const r = await cli(["run", file, "--app", app, "--expect", "connected=caller+transferor", "--json"]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`error: the handler at ${app}/throws threw while answering the referUrl request \\(POST\\): TypeError: Cannot read properties of undefined \\(reading 'agent'\\);.*exits 2`));
  assert.deepEqual(JSON.parse(r.stdout).untested, [`${app}/throws`]);
  const wanted = await cli(["run", file, "--app", app, "--expect", "alert=11200"]);
  assert.equal(wanted.code, 0, wanted.stderr);
  const down = join(dir, "down.json");
  writeFileSync(down, JSON.stringify(at("down")));
  assert.equal((await cli(["run", down, "--app", app, "--expect", "connected=caller+transferor"])).code, 0);
});

test("#12 --expect warnings=none names a handler's TwiML as its answer, a scenario's app entry as app[…].twiml", async () => {
  const file = join(dir, "typo.json");
  writeFileSync(file, JSON.stringify(at("typo")));
  const r = await cli(["run", file, "--app", app, "--expect", "warnings=none", "--no-color"]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stdout, /✗ expect warnings=none: got unknown_attribute \(the answer from https:\/\/example\.com\/typo\)/);
  assert.doesNotMatch(r.stdout, /app\["https:\/\/example\.com\/typo"\]/);
  const twiml = '<Response><Dial><Sip referUrl2="x">sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>';
  const handler = simulate(busy, { onWebhook: () => ({ twiml }) });
  assert.deepEqual(handler.warnings.filter((w) => w.code === "unknown_attribute").map((w) => w.field), ["the answer from https://example.com/handler"]);
  const own = simulate({ ...busy, app: { "https://example.com/handler": { twiml } } });
  assert.deepEqual(own.warnings.filter((w) => w.code === "unknown_attribute").map((w) => w.field), ['app["https://example.com/handler"].twiml']);
});

test("a redirect whose Location is over 2,048 bytes: bad_webhook_answer naming the server's answer and the request, not onWebhook (simulateAsync and the CLI)", async () => {
  await assert.rejects(simulateAsync(at("long"), { app }), (e) => {
    assert.equal(e.code, "bad_webhook_answer");
    assert.equal(e.field, "redirectedTo");
    assert.equal(e.message, `the answer from ${app} to the referUrl request (POST https://example.com/long): redirectedTo: ${MAX_URL_BYTES + 1} bytes, over the limit of ${MAX_URL_BYTES} (the URL its redirects ended at)`);
    return true;
  });
  const file = join(dir, "long.json");
  writeFileSync(file, JSON.stringify(at("long")));
  const r = await cli(["run", file, "--app", app]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`bad_webhook_answer \\(redirectedTo\\): the answer from ${app} to the referUrl request \\(POST https://example\\.com/long\\): redirectedTo: 2049 bytes, over the limit of 2048 \\(the URL its redirects ended at\\)`));
  assert.doesNotMatch(r.stderr, /onWebhook/);
  // A Location of exactly 2,048 bytes is followed, and the timeline names it.
  const t = await simulateAsync(at("fits"), { app });
  assert.equal(t.steps.find((s) => s.kind === "webhook-fetched").response.url, `https://example.com/l?${"x".repeat(MAX_URL_BYTES - "https://example.com/l?".length)}`);
  assert.equal(failedStep(t), undefined);
  assert.deepEqual(t.untested, []);
});
