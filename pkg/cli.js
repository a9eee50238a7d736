#!/usr/bin/env node
// The refer-sim command line, for a terminal or CI:
//   refer-sim run <scenario.json | catalogue-id> [--app URL] [--auth-token T] [--signed-url requested|sent] [--timeout-ms MS] [--expect E]... [--json]
//   refer-sim check <twiml.xml> [--role initial|referResponse] [--fail-on error|warning] [--json]
//   refer-sim list [--json]
// `run` prints the timeline (colour on a terminal, plain otherwise) and exits 1
// when an expectation fails; `check` prints each diagnostic with line:column
// and a caret under the spot and exits 1 when one is an error. Exit 2: bad usage or input, or an --app server that could not be reached, refused a TwiML request before its handler ran (400 unsigned, 401, 403, 404, 405) or whose handler threw (a 500 error page); unless --expect alert=11200.
import { readFileSync, existsSync } from "node:fs";
import { scenarios, checkTransfer, version, simulate } from "refer-sim";
import { simulateAsync, serverUrl, liveApp, requestedUrl, notTested, handlerThrew } from "refer-sim/async";

const USAGE = `usage:
  refer-sim run <scenario.json | catalogue-id | -> [options]
      --app URL           send Twilio's requests to your server at URL (path and query kept)
      --auth-token T      sign them with X-Twilio-Signature (or set TWILIO_AUTH_TOKEN)
      --signed-url W      the URL the signature covers: requested (default, as Twilio:
                          the URL the scenario names, your public one) or sent (the
                          URL on --app, for a server checking the URL it was reached at)
      --timeout-ms MS     wait at most MS for each answer from --app (default 16000; past
                          Twilio's 15 s the run shows its timeout, 11205; below 15000 a
                          slower answer stops the run, exit 2)
      --expect E          fail (exit 1) unless E holds; repeatable:
                            connected=caller+target[,a+b]   connected=none
                            <leg>=<status>                  e.g. target=busy, caller=completed
                            alert=<code>                    alerts=none    warnings=none
      --json              print {timeline, expectations} as JSON, with untested: [URL...]
                          when the run exits 2 for a server that was not tested
      --sip               also print the first line of each SIP message
  refer-sim check <twiml.xml | -> [--role initial|referResponse] [--fail-on error|warning] [--json]
      --fail-on warning   exit 1 on a warning too (an unknown element such as <dial>, which
                          Twilio skips, or attribute such as answeronbridge); default error
  refer-sim list [--json] the catalogue's scenario ids and titles (--json: with group and description)
  refer-sim --version     the package's version
legs: caller, transferor, target; then target-2, ... for each further <Dial>; a second party
  of one <Dial> target-b, ...
exit status: 0 ok, 1 an expectation failed or check found an error (or a warning, with
  --fail-on warning), 2 bad usage or input,
  or a server at --app that was not tested: it could not be reached, or it refused a
  TwiML request before its handler ran (401, 403, 404, 405, or 400 to an unsigned
  request), or its handler threw (a framework's 500 error page), unless --expect
  alert=11200 says that failure is what you test`;

class UsageError extends Error {}

/** The JavaScript options behind the flags, as refer-sim/async's errors name them. */
const FLAG_OF = [["options.timeoutMs", "--timeout-ms"], ["your timeoutMs", "your --timeout-ms"], ["options.authToken", "--auth-token"], ["options.signedUrl", "--signed-url"], ["options.app", "--app"]];

/** `text` with each option name replaced by the flag the user typed. */
function flagWords(text) {
  let out = String(text);
  for (const [option, flag] of FLAG_OF) out = out.split(option).join(flag);
  return out;
}

/** `check --fail-on X`: the severities that make it exit 1. A warning such as an unknown
 * element (`<dial>`, Twilio's 12200, which skips it) or attribute (`answeronbridge`) can undo a
 * transfer while Twilio still calls it a warning, so a CI gate may want to stop on it. */
const FAIL_ON = { error: ["error"], warning: ["error", "warning"] };

/** Every leg status (the LegStatus type). */
const LEG_STATUSES = ["queued", "ringing", "in-progress", "completed", "busy", "no-answer", "failed", "canceled"];

/** Parses argv into { command, positional, flags } for the options `spec` allows. */
function parseArgs(argv, spec) {
  const flags = { expect: [] };
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--") || arg === "-") {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (!(name in spec)) throw new UsageError(`unknown option --${name}`);
    if (spec[name] === "bool") {
      flags[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (spec[name] === "list") flags[name].push(value);
    else flags[name] = value;
  }
  return { positional, flags };
}

function colours(enabled) {
  const wrap = (code) => (s) => (enabled ? `\x1b[${code}m${s}\x1b[0m` : String(s));
  return { dim: wrap(2), bold: wrap(1), red: wrap(31), green: wrap(32), yellow: wrap(33), blue: wrap(34), cyan: wrap(36) };
}

function useColour(flags) {
  if (flags["no-color"]) return false;
  if (flags.color) return true;
  if ("NO_COLOR" in process.env) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(process.stdout.isTTY);
}

function readInput(path) {
  if (path === "-") return readFileSync(0, "utf8");
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${e.code ?? e.message}`);
  }
}

/** A scenario file (JSON), `-` for stdin, or a catalogue id. */
function loadScenario(arg) {
  if (arg === "-" || existsSync(arg)) {
    // A byte order mark (some Windows editors write one) is not JSON but says nothing: left out.
    const text = readInput(arg).replace(/^\uFEFF/, "");
    try {
      return { name: arg, scenario: JSON.parse(text) };
    } catch (e) {
      // The scenario reader names the spot as line and column, as the API and the page do
      // (JSON.parse says "position 74", or only quotes the text).
      // Its first complaint may come before the syntax error (an unknown field): true all the same.
      try {
        simulate(text);
      } catch (core) {
        if (core.code === "bad_scenario") throw new UsageError(`${arg}: ${core.message}`);
      }
      throw new UsageError(`${arg} is not JSON: ${e.message}`);
    }
  }
  const all = scenarios();
  const entry = all.find((e) => e.id === arg);
  if (!entry) {
    // A path (a / or a .json ending) that is not there is a file mistake, not an id: say where
    // it was looked for, as a CI job run from another directory needs to know.
    if (/[\\/]|\.json$/i.test(arg)) throw new UsageError(`cannot read ${arg}: no such file (looked for in ${process.cwd()})`);
    const near = all.map((e) => e.id).filter((id) => id.includes(arg.toLowerCase()));
    const hint = near.length ? `; did you mean ${near.slice(0, 5).join(", ")}${near.length > 5 ? ", …" : ""}?` : " (refer-sim list shows the ids)";
    throw new UsageError(`${arg} is neither a file nor a catalogue scenario id${hint}`);
  }
  return { name: `${entry.id}: ${entry.title}`, scenario: entry.scenario };
}

/** A leg's name in an expectation: its role (caller, transferor, target, target-2, …), as `outcome.connected` names it. */
const LEG_NAME = /^(caller|transferor|target)([-.][A-Za-z0-9.-]+)?$/;

/** One expectation: a function from the timeline to { ok, actual }. */
function expectation(text) {
  const m = /^([A-Za-z0-9_-]+)=(.+)$/.exec(text);
  if (!m) throw new UsageError(`--expect ${text}: write name=value (connected=caller+target, target=busy, alert=11200, alerts=none, warnings=none)`);
  const [, name, value] = m;
  const pairKey = (p) => [...p].sort().join("+");
  if (name === "connected") {
    const want = value === "none" ? [] : value.split(",").map((p) => p.split("+"));
    if (want.some((p) => p.length !== 2 || p.some((x) => !x))) throw new UsageError(`--expect ${text}: connected takes a+b pairs separated by commas, or none`);
    const unknown = want.flat().find((x) => !LEG_NAME.test(x));
    if (unknown !== undefined) {
      throw new UsageError(`--expect ${text}: ${unknown} is not a leg: connected pairs name legs by role (caller, transferor, target, target-2, …), not by label`);
    }
    const wantKey = want.map(pairKey).sort().join(",");
    return (t) => {
      const got = t.outcome.connected.map(pairKey).sort().join(",");
      return { ok: got === wantKey, actual: got || "none" };
    };
  }
  if (name === "alert") {
    if (!/^\d+$/.test(value)) throw new UsageError(`--expect ${text}: alert takes a numeric code such as 11200`);
    return (t) => ({ ok: t.outcome.alerts.some((a) => a.code === Number(value)), actual: alertCodes(t) });
  }
  if (name === "alerts" || name === "warnings") {
    if (value !== "none") throw new UsageError(`--expect ${text}: ${name} only takes none`);
    return name === "alerts"
      ? (t) => ({ ok: t.outcome.alerts.length === 0, actual: alertCodes(t) })
      : (t) => ({ ok: t.warnings.length === 0, actual: [...new Set(t.warnings.map((w) => `${w.code} (${w.field})`))].join(", ") || "none" });
  }
  if (!LEG_NAME.test(name)) {
    throw new UsageError(`--expect ${text}: ${name} is not an expectation: write connected=, alert=, alerts=, warnings=, or a leg (caller, transferor, target, target-2, …)=status`);
  }
  if (!LEG_STATUSES.includes(value)) throw new UsageError(`--expect ${text}: ${value} is not a leg status (${LEG_STATUSES.join(", ")})`);
  return (t) => {
    if (!(name in t.outcome.legs)) return { ok: false, actual: `no leg ${name} (legs: ${Object.keys(t.outcome.legs).join(", ")})` };
    return { ok: t.outcome.legs[name] === value, actual: t.outcome.legs[name] };
  };
}

function alertCodes(t) {
  return t.outcome.alerts.map((a) => a.code ?? "-").join(", ") || "none";
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(3)}s`.padStart(9);
}

function printTimeline(name, t, results, c, sip, app) {
  const tagColour = { doc: c.green, rfc: c.blue, assumed: c.yellow };
  const out = [c.bold(name), ""];
  for (const s of t.steps) {
    const tag = (tagColour[s.tag] ?? String)(`[${s.tag}]`.padEnd(9));
    out.push(`${c.dim(seconds(s.atMs))}  ${c.cyan(s.kind.padEnd(17))} ${tag} ${s.narration}`);
    const pad = " ".repeat(38);
    if (s.webhook) {
      const requested = s.webhook.queryUrl ?? s.webhook.url;
      const sent = app === undefined ? "" : ` ${c.dim("sent to")} ${serverUrl(app, requested)}`;
      out.push(`${pad}${c.dim("→")} ${s.webhook.method} ${requested} (${s.webhook.purpose})${sent}`);
    }
    if (s.response) out.push(`${pad}${c.dim("←")} ${s.response.status === null ? "no HTTP answer" : `HTTP ${s.response.status}`} from ${s.response.url}`);
    for (const a of s.alerts) out.push(`${pad}${c.red(`alert ${a.code ?? ""}`)} ${a.message}`);
    if (sip) for (const m of s.messages) out.push(`${pad}${c.dim(`${m.from} → ${m.to}:`)} ${m.firstLine}`);
  }
  out.push("", `${c.bold("outcome")}  ${t.outcome.summary}`);
  out.push(`  connected  ${t.outcome.connected.map((p) => p.join("+")).join(", ") || "none"}`);
  out.push(`  legs       ${Object.entries(t.outcome.legs).map(([id, st]) => `${id} ${st}`).join(", ")}`);
  if (t.outcome.alerts.length) out.push(`  alerts     ${t.outcome.alerts.map((a) => `${a.code ?? "-"} ${a.message}`).join("; ")}`);
  out.push(`  why        ${t.explanation.cause}`);
  if (t.explanation.fix) out.push(`  ${c.bold("fix")}        ${t.explanation.fix}`);
  for (const w of t.warnings) out.push(`${c.yellow("warning")} ${w.message}`);
  for (const r of results) {
    out.push(r.ok ? `${c.green("✓ expect")} ${r.expect}` : `${c.red("✗ expect")} ${r.expect}: got ${r.actual}`);
  }
  process.stdout.write(`${out.join("\n")}\n`);
}

async function run(argv) {
  const { positional, flags } = parseArgs(argv, { app: "value", "auth-token": "value", "signed-url": "value", "timeout-ms": "value", expect: "list", json: "bool", sip: "bool", color: "bool", "no-color": "bool" });
  if (positional.length !== 1) throw new UsageError("run takes one scenario: a JSON file, - for stdin, or a catalogue id");
  const checks = flags.expect.map((e) => [e, expectation(e)]);
  const { name, scenario } = loadScenario(positional[0]);
  const authToken = flags["auth-token"] ?? process.env.TWILIO_AUTH_TOKEN;
  if (flags.app === undefined && flags["auth-token"] !== undefined) throw new UsageError("--auth-token signs requests to --app; give --app too");
  if (flags.app === undefined && flags["signed-url"] !== undefined) throw new UsageError("--signed-url says which URL signs the requests sent to --app; give --app and --auth-token too");
  if (flags.app === undefined && flags["timeout-ms"] !== undefined) throw new UsageError("--timeout-ms is how long refer-sim waits for the server at --app; give --app too");
  const timeoutMs = flags["timeout-ms"] === undefined ? undefined : Number(flags["timeout-ms"]);
  if (timeoutMs !== undefined && (!/^\d+$/.test(flags["timeout-ms"]) || timeoutMs < 1 || timeoutMs > 600000)) {
    throw new UsageError(`--timeout-ms: ${flags["timeout-ms"]} is not a whole number of milliseconds from 1 to 600000`);
  }
  // Requests the server at --app never answered: the timeline shows them as Twilio would see
  // them (unreachable, 11205), but a server that is not running is more likely a setup mistake.
  const unanswered = new Map();
  // Requests the server refused as unauthorised (401, 403): most often a signature checked
  // against another URL than the one signed; said once per URL after the run.
  const refused = new Map();
  // Requests the server had no route for (404, 405): most often a path or method that does not
  // match the scenario's URL and method; said once per URL after the run.
  const misrouted = new Map();
  // Requests the server redirected (followed as Twilio follows them): said once each, after the run.
  const redirected = new Map();
  // TwiML requests the server refused before any handler ran (see `door` below): the run exits 2,
  // unless an expectation asks for the failure (alert=11200).
  const refusedAtDoor = new Map();
  // Requests the server answered, by their URL as the TwiML wrote it (the timeline's
  // response.url), with and without the GET query: an answer that came after the
  // request's timeout is in the timeline as 11205, and said on stderr after the run.
  const answered = new Map();
  // The hosts the scenario's requests name: --app answers for every one of them.
  const hosts = new Set();
  let timeline;
  try {
    let options = {};
    if (flags.app !== undefined) {
      const signedUrl = flags["signed-url"];
      const live = liveApp({ app: flags.app, ...(authToken ? { authToken } : {}), ...(signedUrl === undefined ? {} : { signedUrl }), ...(timeoutMs === undefined ? {} : { timeoutMs }) });
      // Once --app is known to be a URL (a bad one is the error to show, not this warning).
      if (!authToken) {
        process.stderr.write("refer-sim: warning: requests to --app are not signed (no --auth-token, no TWILIO_AUTH_TOKEN); twilio.webhook() answers unsigned requests with 400 or 403\n");
      }
      options = {
        onWebhook: async (request) => {
          const answer = await live(request);
          const requested = request.method === "POST" ? request.url : request.queryUrl;
          const sent = serverUrl(flags.app, requested);
          hosts.add(new URL(requestedUrl(requested)).host);
          if (answer.redirects?.length) {
            const hops = answer.redirects.map((r) => `${r.status} to ${requestedUrl(r.to)}`).join(", then ");
            redirected.set(`${request.method} ${requestedUrl(requested)} was redirected: ${hops}`, serverUrl(flags.app, answer.redirects.at(-1).to));
          }
          if (answer.unreachable) unanswered.set(sent, { method: request.method, cause: answer.cause });
          else for (const url of [request.url, request.queryUrl]) if (url) answered.set(url, { sent, method: request.method, latencyMs: answer.latencyMs });
          if (authToken && (answer.status === 401 || answer.status === 403)) {
            refused.set(sent, { status: answer.status, signed: signedUrl === "sent" ? sent : requestedUrl(requested) });
          }
          // After redirects the answer is the last hop's: name its URL and the method it was requested with.
          const last = answer.redirects?.at(-1);
          const [at, how] = last ? [serverUrl(flags.app, last.to), last.method] : [sent, request.method];
          if (answer.status === 404 || answer.status === 405) misrouted.set(at, { status: answer.status, method: how, purpose: request.purpose });
          // Refused at the door: no route (404, 405), not authorised (401, 403), or an unsigned
          // request turned away (400, as twilio.webhook() answers one without a signature).
          // Twilio reads the answer of every request but a status callback, so the handler the
          // run was meant to test never ran.
          // A door status whose answer is TwiML came from a handler (notTested, as simulateAsync's app).
          const missed = notTested(request, answer, authToken);
          if (missed !== null && missed.status !== null) refusedAtDoor.set(at, { status: answer.status, method: how, purpose: request.purpose, threw: handlerThrew(answer) });
          return answer;
        },
      };
    }
    timeline = await simulateAsync(scenario, options);
  } catch (failed) {
    // The onWebhook above is the CLI's own (liveApp's errors: too_many_redirects, app_timeout, ...).
    const e = failed?.code === "webhook_handler_failed" ? failed.cause : failed;
    // An answer from --app that cannot be read (its redirects ended at a URL over 2,048 bytes)
    // is the server's, not an onWebhook the user wrote: named as simulateAsync's app names it.
    const message = flags.app !== undefined && e.code === "bad_webhook_answer" ? String(e.message).replace(/^onWebhook's answer/, `the answer from ${flags.app}`) + (e.field === "redirectedTo" ? " (the URL its redirects ended at)" : "") : e.message;
    if (e.code) throw new UsageError(`${e.code}${e.field ? ` (${flagWords(e.field)})` : ""}: ${flagWords(message)}`);
    throw e;
  }
  if (hosts.size > 1) {
    process.stderr.write(`refer-sim: note: the scenario's requests name ${hosts.size} hosts (${[...hosts].join(", ")}); --app sends every one to ${flags.app} (path and query kept), so that one server answers for all of them\n`);
  }
  for (const [what, sent] of redirected) process.stderr.write(`refer-sim: note: ${what} (sent to ${sent})\n`);
  for (const [url, { status, signed }] of refused) {
    const which =
      signed === url
        ? `${signed} (the URL on --app, as --signed-url sent asks). If your server checks it against its public URL (twilio.webhook(token, { url }) or { host, protocol }), drop --signed-url sent and write that URL in the scenario`
        : `${signed} (the URL Twilio requests, as the scenario names it; Host names its host, and X-Forwarded-Proto its scheme when --app's differs). If your server rebuilds the URL from the request (twilio.webhook(token) with no url option), let it trust the proxy header (Express: app.set("trust proxy", "loopback")); if it checks the URL it is reached at (${url}), pass --signed-url sent; if another public URL, write that URL in the scenario`;
    const auth = status === 401 ? "; for HTTP authentication, write the credentials in the scenario's URL (https://user:password@host/path)" : "";
    process.stderr.write(`refer-sim: warning: ${url} answered ${status}: X-Twilio-Signature was computed over ${which}; otherwise check that --auth-token (or TWILIO_AUTH_TOKEN) is the token your server validates with${auth}\n`);
  }
  for (const [url, { status, method, purpose }] of misrouted) {
    process.stderr.write(`refer-sim: warning: ${url} answered ${status} to the ${purpose} request (${method}): --app gets the path and query the scenario's URL names; if your routes live under a prefix, write it in --app (such as ${flags.app.replace(/\/+$/, "")}/twilio), and check that your route takes ${method} (the TwiML's method attribute, such as referMethod, sets it)\n`);
  }
  // An answer that came too late: the timeline shows the timeout (11205), as for no answer at all.
  for (const step of timeline.steps) {
    if (step.kind !== "webhook-failed" || !step.alerts.some((a) => a.code === 11205)) continue;
    const late = answered.get(step.response?.url);
    if (late === undefined) continue;
    answered.delete(step.response.url);
    process.stderr.write(`refer-sim: warning: ${late.sent} (${late.method}) answered after ${late.latencyMs} ms, past the webhook timeout: Twilio does not use a late answer, so the timeline shows the timeout (11205), not your TwiML\n`);
  }
  // A request that never reached the server (refused, no such host, TLS) means the server at --app
  // was not tested at all: the run exits 2 whatever its expectations say. Without this, a test of the
  // answerOnBridge-true fallback ("connected=caller+transferor") passed with no server running, as a
  // failed referUrl gives that fallback. A server that accepted the request and stayed silent past
  // Twilio's 15 s is a tested answer (the timeout, 11205) and only warned about.
  let untested = false;
  for (const [url, { method, cause }] of unanswered) {
    // The network's code (ECONNREFUSED, ERR_SSL_WRONG_VERSION_NUMBER for https:// to a plain HTTP
    // server, a certificate Node does not trust), or the first line of its message.
    const reason = cause?.code ?? String(cause?.message ?? "").split("\n")[0];
    const why = reason ? ` (${reason})` : "";
    if (cause === undefined) {
      process.stderr.write(`refer-sim: warning: no HTTP answer from ${url} (${method}) within Twilio's 15 s: the timeline shows what Twilio does then (11205)\n`);
      continue;
    }
    untested = true;
    process.stderr.write(`refer-sim: error: ${url} (${method}) could not be reached${why}: is your server running at ${flags.app}? The timeline shows what Twilio does when it gets no answer (11205), but your server was not tested, so the run exits 2 whatever the expectations say\n`);
  }
  // The same for a TwiML request refused at the door: a CI test of the answerOnBridge-true fallback
  // ("connected=caller+transferor") passed against a server whose route or signature check turned
  // every request away, as the failed referUrl (11200) gives that fallback. Expecting alert=11200
  // says the failure is what the run tests.
  const wantsFailure = flags.expect.includes("alert=11200");
  const notReached = [...unanswered].filter(([, { cause }]) => cause !== undefined).map(([url]) => url);
  if (!wantsFailure) {
    for (const [url, { status, method, purpose, threw }] of refusedAtDoor) {
      untested = true;
      notReached.push(url);
      // A handler that threw: the framework's 500 is what Twilio would get (11200), but the run
      // tested a crash, not the handler's TwiML.
      if (threw !== null) {
        process.stderr.write(`refer-sim: error: the handler at ${url} threw while answering the ${purpose} request (${method}): ${threw.split("\n")[0]}; your server answered 500 with its error page, so the timeline shows what Twilio does then (11200), but your handler's TwiML was not tested, so the run exits 2 whatever the expectations say; fix the handler, or expect alert=11200 if that failure is what you test\n`);
        continue;
      }
      process.stderr.write(`refer-sim: error: ${url} answered ${status} to the ${purpose} request (${method}) before any handler ran${status === 400 ? " (the request was not signed: give --auth-token or TWILIO_AUTH_TOKEN)" : ""}: the timeline shows what Twilio does then (11200), but your handler was not tested, so the run exits 2 whatever the expectations say; expect alert=11200 if that failure is what you test\n`);
    }
  }
  const expectations = checks.map(([expect, f]) => ({ expect, ...f(timeline) }));
  if (flags.json) process.stdout.write(`${JSON.stringify({ timeline, expectations, ...(untested ? { untested: [...new Set(notReached)] } : {}) }, null, 2)}\n`);
  else printTimeline(name, timeline, expectations, colours(useColour(flags)), flags.sip, flags.app);
  if (untested) return 2;
  return expectations.every((r) => r.ok) ? 0 : 1;
}

function check(argv) {
  const { positional, flags } = parseArgs(argv, { role: "value", "fail-on": "value", json: "bool", color: "bool", "no-color": "bool" });
  if (positional.length !== 1) throw new UsageError("check takes one TwiML file, or - for stdin");
  const failOn = flags["fail-on"] ?? "error";
  if (!(failOn in FAIL_ON)) throw new UsageError(`--fail-on ${failOn}: write error (the default) or warning`);
  const xml = readInput(positional[0]);
  let findings;
  try {
    findings = checkTransfer(xml, flags.role);
  } catch (e) {
    throw new UsageError(`${e.code}: ${e.message}`);
  }
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  } else {
    const c = colours(useColour(flags));
    const sev = { error: c.red, warning: c.yellow, info: c.blue };
    // Lines end as the core counts them (\n, \r\n, a lone \r); a byte order mark starting the
    // text is no column (editors hide it), so it is not printed and the caret pads by code
    // points, as columns count them (a UTF-16 slice put the caret one to the right per
    // character past U+FFFF).
    const lines = xml.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
    const out = [];
    for (const f of findings) {
      const vendor = f.vendorCode ? ` (Twilio ${f.vendorCode})` : "";
      out.push(`${positional[0]}:${f.line}:${f.column}: ${(sev[f.severity] ?? String)(f.severity)} ${f.code}${vendor}: ${f.message} [${f.provenance}]`);
      const source = lines[f.line - 1];
      if (source !== undefined) {
        const gutter = `${String(f.line).padStart(5)} | `;
        out.push(`${gutter}${source}`, `${" ".repeat(gutter.length)}${Array.from(source).slice(0, f.column - 1).join("").replace(/[^\t]/gu, " ")}${c.red("^")}`);
      }
    }
    const errors = findings.filter((f) => f.severity === "error").length;
    out.push(findings.length ? `${errors} error(s), ${findings.length - errors} other finding(s)` : "no findings");
    process.stdout.write(`${out.join("\n")}\n`);
  }
  return findings.some((f) => FAIL_ON[failOn].includes(f.severity)) ? 1 : 0;
}

function list(argv) {
  const { positional, flags } = parseArgs(argv, { json: "bool" });
  if (positional.length) throw new UsageError("list takes no arguments");
  // --json: each entry without its scenario (`run <id> --json` prints a run; the API gives the scenario).
  if (flags.json) process.stdout.write(`${JSON.stringify(scenarios().map(({ id, group, title, description }) => ({ id, group, title, description })), null, 2)}\n`);
  else for (const e of scenarios()) process.stdout.write(`${e.id.padEnd(34)} ${e.title}\n`);
  return 0;
}

async function main(argv) {
  const [command, ...rest] = argv;
  try {
    if (rest.includes("--help") || rest.includes("-h")) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (command === "run") return await run(rest);
    if (command === "check") return check(rest);
    if (command === "list") return list(rest);
    if (command === "--version" || command === "-V") {
      process.stdout.write(`${version()}\n`);
      return 0;
    }
    if (command === undefined || command === "help" || command === "--help" || command === "-h") {
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown command ${command}`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`refer-sim: ${e.message}\n${e.message.startsWith("unknown command") ? USAGE + "\n" : ""}`);
    return 2;
  }
}

// A reader that stops early (`refer-sim list | head -3`, `run --json | head`) closes the pipe:
// stop quietly with the exit status already decided instead of an unhandled EPIPE stack.
process.stdout.on("error", (e) => {
  if (e.code !== "EPIPE") throw e;
  process.exit();
});

process.exitCode = await main(process.argv.slice(2));
