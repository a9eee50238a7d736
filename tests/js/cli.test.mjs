// The command line as a process, started through the installed package's
// `bin` entry: timelines on catalogue scenarios and files, expectations and
// their exit status, colour only when asked or on a terminal, a live server
// with signed requests, and `check` with line:column and a caret.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { createServer } from "node:http";
import twilio from "twilio";
import { simulate, scenarios } from "refer-sim";

const require = createRequire(import.meta.url);
const manifest = require.resolve("refer-sim/package.json");
const bin = join(dirname(manifest), JSON.parse(readFileSync(manifest, "utf8")).bin["refer-sim"]);
const dir = mkdtempSync(join(tmpdir(), "refer-sim-cli-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI; resolves to { code, stdout, stderr } whatever the exit status. */
function cli(args, env = {}) {
  return new Promise((resolve) => {
    const base = { ...process.env };
    delete base.FORCE_COLOR;
    delete base.NO_COLOR;
    execFile(process.execPath, [bin, ...args], { env: { ...base, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? error.code : 0, stdout, stderr });
    });
  });
}

const entry = (id) => scenarios().find((e) => e.id === id);

test("run <catalogue id> prints the timeline plainly when not on a terminal", async () => {
  const r = await cli(["run", "agentb-no-answer-aob-false"]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /\x1b\[/);
  const t = simulate(entry("agentb-no-answer-aob-false").scenario);
  assert.match(r.stdout, /^agentb-no-answer-aob-false: /);
  for (const s of t.steps) assert.ok(r.stdout.includes(s.narration), s.narration);
  assert.match(r.stdout, /→ POST https:\/\/example.com\/handler \(referUrl\)/);
  assert.match(r.stdout, new RegExp(`outcome  ${t.outcome.summary.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
});

test("colour with FORCE_COLOR or --color, none with NO_COLOR", async () => {
  assert.match((await cli(["run", "agentb-answers-aob-true"], { FORCE_COLOR: "1" })).stdout, /\x1b\[36mrefer-received/);
  assert.match((await cli(["run", "agentb-answers-aob-true", "--color"])).stdout, /\x1b\[/);
  assert.doesNotMatch((await cli(["run", "agentb-answers-aob-true", "--color", "--no-color"])).stdout, /\x1b\[/);
  assert.doesNotMatch((await cli(["run", "agentb-answers-aob-true"], { FORCE_COLOR: "1", NO_COLOR: "" })).stdout, /\x1b\[/);
});

test("--json prints the timeline simulate gives and the expectations", async () => {
  const r = await cli(["run", "agentb-busy-aob-true", "--json", "--expect", "connected=transferor+caller", "--expect", "target=busy"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.timeline, simulate(entry("agentb-busy-aob-true").scenario));
  assert.deepEqual(out.expectations.map((e) => [e.expect, e.ok]), [["connected=transferor+caller", true], ["target=busy", true]]);
});

test("a failing expectation exits 1 and says what happened instead", async () => {
  const r = await cli(["run", "agentb-no-answer-aob-false", "--expect", "connected=caller+target", "--expect", "alerts=none"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /✗ expect connected=caller\+target: got none/);
  const { explanation } = simulate(entry("agentb-no-answer-aob-false").scenario);
  assert.ok(r.stdout.includes(`  why        ${explanation.cause}`));
  assert.ok(r.stdout.includes(`  fix        ${explanation.fix}`));
  assert.match(r.stdout, /✓ expect alerts=none/);
});

test("a scenario file; unused endpoints entries are printed as warnings", async () => {
  const s = structuredClone(entry("agentb-answers-aob-true").scenario);
  s.endpoints["sip:AgentC@example.sip.twilio.com"] = { answer: "busy" };
  const file = join(dir, "scenario.json");
  writeFileSync(file, JSON.stringify(s));
  const r = await cli(["run", file, "--expect", "connected=caller+target", "--expect", "warnings=none"]);
  assert.equal(r.code, 1);
  assert.match(r.stdout, /warning endpoints\["sip:AgentC@example.sip.twilio.com"\] matched no party/);
  assert.match(r.stdout, /✓ expect connected=caller\+target/);
  assert.match(r.stdout, /✗ expect warnings=none: got unused_endpoint \(endpoints\["sip:AgentC@example.sip.twilio.com"\]\)\n/);
  // Two warnings of one kind at one field are named once, with their code (a new user saw
  // `app["…"].twiml, app["…"].twiml` and no code).
  s.app["https://example.com/handler"].twiml = "<Response><dial><Sip>sip:x@y.com</Sip></dial><Foo/></Response>";
  writeFileSync(file, JSON.stringify(s));
  const twice = await cli(["run", file, "--expect", "warnings=none"]);
  assert.equal(twice.code, 1);
  assert.match(twice.stdout, /✗ expect warnings=none: got unknown_element \(app\["https:\/\/example.com\/handler"\].twiml\), unused_endpoint \(endpoints\["sip:AgentB@example.sip.twilio.com"\]\), unused_endpoint \(endpoints\["sip:AgentC@example.sip.twilio.com"\]\)\n/);
});

test("a scenario file that is not JSON names the spot by line and column, as the API does", async () => {
  const file = join(dir, "broken.json");
  writeFileSync(file, '{\n  "initialTwiml": "x",\n  "refer": ]\n}');
  const r = await cli(["run", file]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, `refer-sim: ${file}: refer: expected value at line 3 column 12\n`);
  writeFileSync(file, "[1,");
  assert.match((await cli(["run", file])).stderr, /is not JSON: /); // what JSON.parse says when the reader names no spot
});

test("list --json: the catalogue's ids, groups, titles and descriptions; list rejects what it does not take", async () => {
  const r = await cli(["list", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), scenarios().map(({ id, group, title, description }) => ({ id, group, title, description })));
  assert.equal((await cli(["list", "--jsn"])).code, 2);
  assert.equal((await cli(["list", "extra"])).code, 2);
  assert.equal((await cli(["list"])).stdout.split("\n").filter(Boolean).length, scenarios().length);
});

test("a scenario file that starts with a byte order mark runs as without it", async () => {
  const file = join(dir, "bom.json");
  writeFileSync(file, `\uFEFF${JSON.stringify(entry("agentb-busy-aob-true").scenario)}`);
  const r = await cli(["run", file, "--expect", "target=busy"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /✓ expect target=busy/);
});

test("bad input exits 2 with the reason: unknown id, invalid scenario field, unknown expectation", async () => {
  let r = await cli(["run", "no-such-scenario"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /neither a file nor a catalogue scenario id/);
  const file = join(dir, "bad.json");
  writeFileSync(file, JSON.stringify({ ...entry("agentb-answers-aob-true").scenario, endpionts: {} }));
  r = await cli(["run", file]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bad_scenario \(endpionts\)/);
  r = await cli(["run", "agentb-answers-aob-true", "--expect", "connected"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--expect connected: write name=value/);
  // A typo in an expectation is a usage error (2), not a failed expectation (1): CI can tell them apart.
  r = await cli(["run", "agentb-busy-aob-true", "--expect", "target=bussy"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /bussy is not a leg status/);
  r = await cli(["run", "agentb-busy-aob-true", "--expect", "agentb=busy"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /agentb is not an expectation/);
  // A label where a role belongs in connected= is a usage error too, not "got caller+transferor".
  r = await cli(["run", "agentb-busy-aob-true", "--expect", "connected=caller+agentb"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /agentb is not a leg: connected pairs name legs by role/);
  assert.equal((await cli(["run", "agentb-busy-aob-true", "--expect", "connected=caller+transferor"])).code, 0);
  assert.equal((await cli(["run", "agentb-busy-aob-true", "--expect", "target=busy"])).code, 0);
  r = await cli(["run", "--help"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--expect E/);
  assert.equal((await cli([])).code, 2);
  assert.equal((await cli(["list"])).stdout.split("\n").filter(Boolean).length, scenarios().length);
});

test("--app sends signed requests to a live server and its answer drives the run", async () => {
  const token = "cli-test-token";
  const seen = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      const url = `http://${req.headers.host}${req.url}`;
      const params = Object.fromEntries(new URLSearchParams(body));
      // Signed over the URL Twilio requests, the scenario's https://example.com/handler.
      seen.push({ url, valid: twilio.validateRequest(token, req.headers["x-twilio-signature"], `https://example.com${req.url}`, params) });
      res.writeHead(200, { "Content-Type": "text/xml" });
      res.end("<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>");
    });
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const app = `http://127.0.0.1:${server.address().port}`;
    const r = await cli(["run", "agentb-no-answer-aob-true", "--app", app, "--expect", "connected=caller+transferor"], { TWILIO_AUTH_TOKEN: token });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    // Host names the host Twilio requests (example.com), not the server's; the path is the same.
    assert.deepEqual(seen, [{ url: "http://example.com/handler", valid: true }]);
    assert.match(r.stdout, new RegExp(`← HTTP 200 from https://example.com/handler`));
    assert.match(r.stdout, new RegExp(`→ POST https://example.com/handler \\(referUrl\\) sent to ${app}/handler`));
    assert.doesNotMatch(r.stderr, /not signed/);
    const unsigned = await cli(["run", "agentb-no-answer-aob-true", "--app", app]);
    assert.match(unsigned.stderr, /requests to --app are not signed/);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test("check prints each finding with file:line:column and a caret under the column", async () => {
  const file = join(dir, "initial.xml");
  writeFileSync(file, '<Response>\n  <Dial answerOnBridge="true">\n    <Sip>sip:AgentA@example.com</Sip>\n  </Dial>\n</Response>\n');
  const findings = (await import("refer-sim")).checkTransfer(readFileSync(file, "utf8"));
  const missing = findings.find((f) => f.code === "no_refer_url");
  const r = await cli(["check", file]);
  assert.equal(r.code, 1, r.stdout);
  const lines = r.stdout.split("\n");
  const at = lines.findIndex((l) => l.startsWith(`${file}:${missing.line}:${missing.column}: error no_refer_url (Twilio 13802)`));
  assert.ok(at >= 0, r.stdout);
  assert.equal(lines[at + 1], `${String(missing.line).padStart(5)} |   <Dial answerOnBridge="true">`);
  assert.equal(lines[at + 2].indexOf("^"), "    2 | ".length + missing.column - 1);
  const good = join(dir, "good.xml");
  writeFileSync(good, '<Response><Dial referUrl="https://example.com/h"><Sip>sip:AgentA@example.com</Sip></Dial></Response>');
  const ok = await cli(["check", good]);
  assert.equal(ok.code, 0, ok.stdout);
});

test("check --fail-on warning: a typo Twilio only warns about (12200) but that undoes the transfer fails a CI gate", async () => {
  // A new user's static gate passed both: `<dial>` is skipped (nobody is connected) and
  // `answeronbridge` flips the outcome table's column, yet each is a warning, not an error.
  const cases = [
    { xml: "<Response><dial><Sip>&lt;sip:b@x.com&gt;</Sip></dial></Response>", role: "referResponse", code: "unknown_element" },
    { xml: '<Response><Dial answeronbridge="true" referUrl="https://e.com/h"><Sip>sip:a@e.com</Sip></Dial></Response>', role: "initial", code: "unknown_attribute" },
  ];
  for (const { xml, role, code } of cases) {
    const file = join(dir, `${code}.xml`);
    writeFileSync(file, xml);
    assert.equal((await cli(["check", file, "--role", role])).code, 0, "a warning alone passes by default");
    const r = await cli(["check", file, "--role", role, "--fail-on", "warning"]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(r.stdout, new RegExp(`warning ${code} \\(Twilio 12200\\)`));
    const json = await cli(["check", file, "--role", role, "--fail-on=warning", "--json"]);
    assert.equal(json.code, 1);
    assert.ok(JSON.parse(json.stdout).some((f) => f.code === code && f.severity === "warning"));
    assert.equal((await cli(["check", file, "--role", role, "--fail-on", "error"])).code, 0);
  }
  const good = join(dir, "good-warn.xml");
  writeFileSync(good, '<Response><Dial answerOnBridge="true" referUrl="https://example.com/h"><Sip>sip:AgentA@example.com</Sip></Dial></Response>');
  const ok = await cli(["check", good, "--fail-on", "warning"]);
  assert.equal(ok.code, 0, ok.stdout); // info findings never fail
  const bad = await cli(["check", good, "--fail-on", "info"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--fail-on info: write error \(the default\) or warning/);
});

test("check after a byte order mark: the same lines and the caret under the same character (columns count code points)", async () => {
  const doc = '<Response>\n  <Say>😀😀</Say><Dial timeout="abc" referUrl="https://e.com/h"><Sip>sip:b@e.com</Sip></Dial>\n</Response>\n';
  const [plain, marked] = [join(dir, "plain.xml"), join(dir, "marked.xml")];
  writeFileSync(plain, doc);
  writeFileSync(marked, `\uFEFF${doc}`);
  const [a, b] = [await cli(["check", plain]), await cli(["check", marked])];
  assert.equal(b.code, a.code, b.stdout);
  assert.equal(b.stdout.replaceAll(marked, plain), a.stdout);
  const lines = b.stdout.split("\n");
  const at = lines.findIndex((l) => l.includes("not_a_number"));
  assert.ok(at >= 0, b.stdout);
  const caret = lines[at + 2].indexOf("^");
  assert.equal(Array.from(lines[at + 1])[caret], "t", `${lines[at + 1]}\n${lines[at + 2]}`);
  const first = join(dir, "first.xml");
  writeFileSync(first, `\uFEFF<Response><Dial timeout="x" referUrl="https://e.com/h"><Sip>sip:b@e.com</Sip></Dial></Response>`);
  const c = (await cli(["check", first])).stdout.split("\n");
  const line = c.findIndex((l) => l.includes("not_a_number"));
  assert.equal(c[line + 1], '    1 | <Response><Dial timeout="x" referUrl="https://e.com/h"><Sip>sip:b@e.com</Sip></Dial></Response>');
  assert.equal(c[line + 1][c[line + 2].indexOf("^")], "t");
});

test("--app with no server listening: the timeline shows what Twilio would do (11205), but the run exits 2: the server was not tested", async () => {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const app = `http://127.0.0.1:${server.address().port}`;
  await new Promise((r) => server.close(r)); // nothing listens there now
  const r = await cli(["run", "agentb-answers-aob-true", "--app", app, "--auth-token", "t", "--expect", "alert=11205"]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`error: ${app}/handler \\(POST\\) could not be reached \\(ECONNREFUSED\\): is your server running at ${app}\\?.*exits 2`));
  assert.match(r.stdout, /11205/); // the timeline is still printed
  // A new user's CI test of the answerOnBridge-true fallback passed with no server at all: a failed
  // referUrl gives exactly the fallback it expects. It must not pass.
  const fallback = await cli(["run", "agentb-busy-aob-true", "--app", app, "--auth-token", "t", "--expect", "connected=caller+transferor"]);
  assert.equal(fallback.code, 2, fallback.stdout + fallback.stderr);
  assert.match(fallback.stdout, /✓ expect connected=caller\+transferor/); // the expectation itself holds; the run does not
  const json = await cli(["run", "agentb-busy-aob-true", "--app", app, "--json"]);
  assert.equal(json.code, 2);
  assert.deepEqual(JSON.parse(json.stdout).untested, [`${app}/handler`]);
  // A server that answers gives no such warning.
  const live = createServer((req, res) => { req.resume(); req.on("end", () => res.writeHead(500).end()); });
  await new Promise((res) => live.listen(0, "127.0.0.1", res));
  try {
    const ok = await cli(["run", "agentb-answers-aob-true", "--app", `http://127.0.0.1:${live.address().port}`, "--auth-token", "t"]);
    assert.doesNotMatch(ok.stderr, /could not be reached|no HTTP answer/);
    assert.equal(ok.code, 0, ok.stderr);
  } finally {
    await new Promise((res) => live.close(res));
  }
});

test("--version prints the package's version and exits 0, as CI logs expect of a command", async () => {
  const { version } = JSON.parse(readFileSync(manifest, "utf8"));
  for (const flag of ["--version", "-V"]) {
    const r = await cli([flag]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${version}\n`, ""], flag);
  }
  assert.match((await cli(["--help"])).stdout, /refer-sim --version/);
});
