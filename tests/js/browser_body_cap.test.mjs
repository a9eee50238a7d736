// A live answer over 1 MiB read by `fetch` in Chromium (pkg/server.js's path outside Node: a
// stream reader stopped at MAX_ANSWER_BYTES + 1 and cancelled), through the package as a page
// imports it: its dist/ files served on 127.0.0.1 beside the app server's routes (same origin).
// tests/js/live_answers.test.mjs covers Node's node:http path (#6).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import express from "express";
import { launchChromium } from "../e2e/harness.mjs";
import { listen, close } from "./helpers/local_server.mjs";

const dist = join(dirname(createRequire(import.meta.url).resolve("refer-sim/package.json")), "dist");
const MiB = 1024 * 1024;

const PAGE = `<!doctype html><meta charset="utf-8"><title>refer-sim in a page</title>
<script type="importmap">{ "imports": { "refer-sim": "/dist/index.js", "refer-sim/async": "/dist/async.js" } }</script>
<script type="module">
import init, { scenarios } from "refer-sim";
import { simulateAsync, MAX_ANSWER_BYTES } from "refer-sim/async";
await init();
const busy = scenarios().find((e) => e.id === "agentb-busy-aob-true").scenario;
window.run = async (path) => {
  const scenario = { ...busy, initialTwiml: busy.initialTwiml.replace("https://example.com/handler", "https://example.com/" + path) };
  const t = await simulateAsync(scenario, { app: location.origin, allowUntested: true });
  const failed = t.steps.find((s) => s.kind === "webhook-failed");
  return { node: typeof process !== "undefined", max: MAX_ANSWER_BYTES, alerts: failed.alerts.map((a) => a.code), narration: failed.narration, bytes: new TextEncoder().encode(failed.response.body ?? "").length };
};
document.body.dataset.ready = "true";
</script>`;

/** Bytes /endless wrote before the browser stopped reading, and a promise of its connection closing. */
let written = 0;
let endlessClosed;
let live;
let browser;
before(async () => {
  const web = express();
  web.use("/dist", express.static(dist, { setHeaders: (res, path) => path.endsWith(".wasm") && res.type("application/wasm") }));
  web.get("/", (_req, res) => res.type("html").send(PAGE));
  // A TwiML answer that never ends (256 MiB), written only as fast as the reader takes it.
  web.post("/endless", (_req, res) => {
    endlessClosed = new Promise((r) => res.on("close", r));
    res.type("text/xml");
    res.write("<Response><Say>");
    const chunk = "a".repeat(64 * 1024);
    const more = () => {
      while (written < 256 * MiB) {
        written += chunk.length;
        if (!res.write(chunk)) return res.once("drain", more);
      }
      res.end("</Say></Response>");
    };
    res.on("close", () => res.removeAllListeners("drain"));
    more();
  });
  // An error page over 1 MiB: whole characters up to the cap, a 404 Twilio never runs.
  web.post("/big404", (_req, res) => res.status(404).type("text/html").send(`<html>!${"é".repeat(MiB)}</html>`));
  live = await listen(web);
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  if (live) await close(live.server);
});

test("Chromium: a TwiML answer over 1 MiB is Twilio's 11750, read no further than the cap; a long 404 page is cut to whole characters", async () => {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(e.message));
  await page.goto(`${live.url}/`);
  await page.waitForSelector("body[data-ready=true]", { state: "attached" });
  const endless = await page.evaluate(() => window.run("endless"));
  assert.equal(endless.node, false, "the page's fetch path, not node:http");
  assert.equal(endless.max, MiB);
  assert.deepEqual(endless.alerts, [11750]);
  assert.equal(endless.narration, `the response body from https://example.com/endless is more than ${MiB} bytes, larger than 64 kB: alert 11750.`);
  assert.equal(endless.bytes, MiB, "the answer carries the first MAX_ANSWER_BYTES bytes");
  await endlessClosed; // the reader was cancelled: the connection is gone, the server stopped writing
  assert.ok(written < 32 * MiB, `${written} bytes written`);
  const big = await page.evaluate(() => window.run("big404"));
  assert.deepEqual(big.alerts, [11200]);
  // "é" is 2 bytes and "<html>!" 7: the cap falls inside an "é", which is left out whole.
  assert.equal(big.bytes, MiB - 1);
  assert.deepEqual(problems, []);
  await page.close();
});
