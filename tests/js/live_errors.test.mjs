// Why a live server gave no answer: liveApp's `{ unreachable: true }` answer carries the network
// error (not enumerable, so the simulation sees the same answer), and the command line names it,
// so "connection refused" and "https:// to a plain HTTP server" read differently in a CI log.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { scenarios } from "refer-sim";
import { liveApp, simulateAsync } from "refer-sim/async";

const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);
const cli = (args) =>
  new Promise((resolve) => execFile(process.execPath, [bin, ...args], { env: { ...process.env, TWILIO_AUTH_TOKEN: "t" } }, (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr })));

const request = { method: "POST", url: "https://pbx.example.com/refer", queryUrl: null, purpose: "referUrl", params: { A: "1" }, body: "A=1" };

/** A port nothing listens on. */
async function closedPort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

test("an unreachable answer carries the network error as a non-enumerable cause; the timeline is the same", async () => {
  const app = `http://127.0.0.1:${await closedPort()}`;
  const answer = await liveApp({ app, authToken: "t" })(request);
  assert.equal(answer.unreachable, true);
  assert.equal(answer.cause.code, "ECONNREFUSED");
  assert.deepEqual(Object.keys(answer).sort(), ["latencyMs", "unreachable"]);
  const { scenario } = scenarios().find((e) => e.id === "agentb-answers-aob-true");
  const t = await simulateAsync(scenario, { app, authToken: "t", allowUntested: true });
  assert.ok(t.outcome.alerts.some((a) => a.code === 11205));
});

test("the CLI names the reason: https:// to a plain HTTP server is a TLS error, not a server that is down", async () => {
  const plain = createServer((req, res) => res.end());
  await new Promise((r) => plain.listen(0, "127.0.0.1", r));
  try {
    const app = `https://127.0.0.1:${plain.address().port}`;
    const r = await cli(["run", "agentb-answers-aob-true", "--app", app]);
    assert.equal(r.code, 2, r.stderr); // the server was not tested
    assert.match(r.stderr, new RegExp(`${app}/handler \\(POST\\) could not be reached \\(ERR_SSL_[A-Z_]+\\)`));
  } finally {
    plain.closeAllConnections?.();
    await new Promise((r) => plain.close(r));
  }
});

test("the CLI says why a live server answered 404 or 401: the path it was sent, the route's method, credentials", async () => {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(req.url === "/handler" ? 401 : 404).end());
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const app = `http://127.0.0.1:${server.address().port}`;
    const { scenario } = scenarios().find((e) => e.id === "agentb-answers-aob-true");
    const moved = { ...scenario, initialTwiml: scenario.initialTwiml.replace("https://example.com/handler", "https://example.com/transfer") };
    let r = await new Promise((resolve) => {
      const child = execFile(process.execPath, [bin, "run", "-", "--app", app, "--auth-token", "t"], (error, stdout, stderr) => resolve({ code: error ? error.code : 0, stdout, stderr }));
      child.stdin.end(JSON.stringify(moved));
    });
    assert.match(r.stderr, new RegExp(`warning: ${app}/transfer answered 404 to the referUrl request \\(POST\\): --app gets the path and query the scenario's URL names`));
    assert.match(r.stderr, /check that your route takes POST/);
    r = await cli(["run", "agentb-answers-aob-true", "--app", app]);
    assert.match(r.stderr, new RegExp(`warning: ${app}/handler answered 401: .*for HTTP authentication, write the credentials in the scenario's URL`));
    assert.doesNotMatch(r.stderr, /answered 404/);
  } finally {
    await new Promise((r) => server.close(r));
  }
});
