// The command line against a live server, for the mistakes a developer makes setting it up
// in CI: `--timeout-ms` (liveApp's timeoutMs, which the command line had no flag for, so a
// hung server held each request for 16 s), and errors that speak of the flags typed
// (--app, --timeout-ms), not of the JavaScript options behind them (options.app).
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { createServer } from "node:http";

const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);

/** Runs the CLI; resolves to { code, stdout, stderr, ms } whatever the exit status. */
function cli(args) {
  const started = Date.now();
  return new Promise((resolve) => {
    const env = { ...process.env };
    delete env.TWILIO_AUTH_TOKEN;
    execFile(process.execPath, [bin, ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

test("--timeout-ms: a server that never answers fails the run after that long, exit 2, naming the flag", async () => {
  const server = createServer(() => {}); // accepts, never answers
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const app = `http://127.0.0.1:${server.address().port}`;
    const r = await cli(["run", "agentb-answers-aob-true", "--app", app, "--timeout-ms", "300", "--auth-token", "t"]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /^refer-sim: app_timeout \(--timeout-ms\): POST http:\/\/127\.0\.0\.1:\d+\/handler did not answer within 300 ms \(your --timeout-ms/);
    assert.doesNotMatch(r.stderr, /options\./);
    assert.ok(r.ms < 10000, `took ${r.ms} ms`);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("--timeout-ms is checked: a whole number of ms, and only with --app", async () => {
  let r = await cli(["run", "agentb-answers-aob-true", "--timeout-ms", "300"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--timeout-ms is how long refer-sim waits for the server at --app; give --app too/);
  for (const bad of ["abc", "1.5", "0", "600001"]) {
    r = await cli(["run", "agentb-answers-aob-true", "--app", "http://127.0.0.1:1", "--timeout-ms", bad]);
    assert.equal(r.code, 2, bad);
    assert.match(r.stderr, new RegExp(`--timeout-ms: ${bad.replace(".", "\\.")} is not a whole number of milliseconds from 1 to 600000`), r.stderr);
  }
  r = await cli(["run", "--help"]);
  assert.match(r.stdout, /--timeout-ms MS/);
});

test("an --app that is not a URL names --app, not options.app", async () => {
  const r = await cli(["run", "agentb-answers-aob-true", "--app", "127.0.0.1:3000"]);
  assert.equal(r.code, 2);
  // The error alone: no warning that requests to a server that is not there are unsigned.
  assert.match(r.stderr, /^refer-sim: bad_options \(--app\): --app: "127\.0\.0\.1:3000" is not an http:\/\/ or https:\/\/ URL/);
  assert.doesNotMatch(r.stderr, /options\.|not signed/);
});

test("a reader that closes the pipe early (refer-sim list | head) ends the command quietly, exit status kept", async () => {
  const { spawn } = await import("node:child_process");
  const closedEarly = (args) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.destroy(); // closed before the command has written a byte (it loads the wasm first)
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      child.on("close", (code) => resolve({ code, stderr }));
    });
  let r = await closedEarly(["list"]);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  r = await closedEarly(["run", "agentb-busy-aob-true", "--expect", "connected=none"]);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 1, "the failed expectation still decides the exit status");
});

test("a scenario path that is not there says so and where it looked; an id close to catalogue ids names them", async () => {
  let r = await cli(["run", "./ci/scenarios/transfer.json"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, new RegExp(`cannot read \\./ci/scenarios/transfer\\.json: no such file \\(looked for in ${process.cwd().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\)`));
  r = await cli(["run", "agentb-busy"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /agentb-busy is neither a file nor a catalogue scenario id; did you mean agentb-busy-aob-true, agentb-busy-aob-false\?/);
});
