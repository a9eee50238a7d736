// Time and peak memory of the worst inputs of issue 13 (item 4: "for 1 MiB inputs every call
// stays under 1 s and 100 MB"), through the built package as users import it. Printed, never
// asserted (make bench territory).
//
// Usage: node scripts/limits_bench.mjs [case...]
// Each case runs in a fresh Node process that imports refer-sim, makes the input, then makes
// the one call and touches its whole result (JSON.stringify, and every step's getters). The
// table gives the call's wall time, its CPU time (user + system, all threads: less sensitive to
// a loaded machine, but it counts V8's compiler threads, which compile the module's hot
// functions during a first call), and the process's peak RSS minus the peak RSS of a process that
// only imports refer-sim and makes the input (the "baseline": what the call itself costs), read
// twice: right after the call ("call") and after touching the whole result ("+ touch": the
// JSON.stringify of a 1 MiB parse result is itself a 13 MB string).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const PKG = process.env.REFER_SIM_PKG ?? "refer-sim";
const MiB = 1 << 20;

const bank = (twiml) => ({ initialTwiml: twiml, refer: { atMs: 10000, referTo: "<sip:AgentB@example.com>" } });
const dial = (n) =>
  `<Response><Dial referUrl="https://example.com/h">${Array.from({ length: n }, (_, i) => `<Sip>sip:a${i}@x</Sip>`).join("")}</Dial></Response>`;
/** As many `<Sip>` nouns as fit in one 64 kB `initialTwiml` (the scenario's limit). */
const dialMax = () => {
  let n = 2000;
  while (dial(n + 100).length <= 65536) n += 100;
  return dial(n);
};
const attrs50k = () =>
  `<Response><Say${Array.from({ length: 50000 }, (_, i) => ` a${i}="v"`).join("")}>x</Say></Response>`.padEnd(MiB, " ");
const pauses = () => {
  const one = "<Pause/>";
  return `<Response>${one.repeat(Math.floor((MiB - 21) / one.length))}</Response>`;
};
const sayText = () => `<Response><Say>${"x".repeat(MiB - 32)}</Say></Response>`;
const dialTwiml = () => `<Response><Dial>${"<Sip>sip:a@x</Sip>".repeat(Math.floor((MiB - 40) / 18))}</Dial></Response>`;
const sayLoop = () => {
  const twiml = `<Response><Say>${"x".repeat(65536 - 200)}</Say><Redirect>https://example.com/loop</Redirect></Response>`;
  const initial = `<Response><Dial referUrl="https://example.com/loop"><Sip>sip:AgentA@x</Sip></Dial></Response>`;
  return { ...bank(initial), app: { "https://example.com/loop": { twiml } } };
};
/** A 1 MiB scenario: fifteen 64 kB pages that redirect to one another in a ring. */
const ring = () => {
  const app = {};
  for (let i = 0; i < 15; i++) {
    const next = `https://example.com/p${(i + 1) % 15}`; // 15 × 64 kB: just under 1 MiB of JSON
    app[`https://example.com/p${i}`] = {
      twiml: `<Response><Say>${"abcdefghijklmno"[i].repeat(65536 - 200)}</Say><Redirect>${next}</Redirect></Response>`,
    };
  }
  return { ...bank(`<Response><Dial referUrl="https://example.com/p0"><Sip>sip:AgentA@x</Sip></Dial></Response>`), app };
};
const referMessage = (referTo) =>
  `REFER sip:twilio@example.com SIP/2.0\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@x>;tag=2\r\nCall-ID: 1@x\r\nCSeq: 2 REFER\r\nRefer-To: ${referTo}\r\nContent-Length: 0\r\n\r\n`;

/** name: [what it is, () => the input, (refer-sim, input) => the call's result]. */
const cases = {
  dial800: ["800 <Sip> in one <Dial>", () => bank(dial(800)), (m, s) => m.simulate(s)],
  dial2000: ["2000 <Sip> in one <Dial>", () => bank(dial(2000)), (m, s) => m.simulate(s)],
  dialMax: ["<Sip> nouns filling 64 kB of <Dial>", () => bank(dialMax()), (m, s) => m.simulate(s)],
  sayLoop64k: ["64 kB <Say> in a <Redirect> loop", sayLoop, (m, s) => m.simulate(s)],
  sayLoopStepwise: ["the same, Simulation.step() to the end", sayLoop, (m, s) => stepwise(m, s)],
  ring1MiB: ["1 MiB scenario: 15 pages of 64 kB redirecting in a ring", ring, (m, s) => m.simulate(s)],
  webhookBody64k: [
    "one 64 kB webhook body",
    () => ({
      ...bank(`<Response><Dial referUrl="https://example.com/h"><Sip>sip:AgentA@x</Sip></Dial></Response>`),
      app: { "https://example.com/h": { twiml: `<Response><Say>${"y".repeat(65536 - 40)}</Say></Response>` } },
    }),
    (m, s) => m.simulate(s),
  ],
  callerFrom256: [
    "caller.from at its 256-byte limit",
    () => ({ ...bank(dial(1)), caller: { from: `sip:${"f".repeat(240)}@example.com` } }),
    (m, s) => m.simulate(s),
  ],
  callerFrom1MiB: [
    "caller.from of 1 MiB (refused)",
    () => ({ ...bank(dial(1)), caller: { from: `sip:${"f".repeat(MiB - 64)}@example.com` } }),
    (m, s) => m.simulate(s),
  ],
  parseTwiml50kAttrs: ["parseTwiml: 1 MiB, 50k attributes", attrs50k, (m, x) => m.parseTwiml(x)],
  parseTwimlPauses: ["parseTwiml: 1 MiB of <Pause/>", pauses, (m, x) => m.parseTwiml(x)],
  parseTwimlText: ["parseTwiml: 1 MiB <Say> text", sayText, (m, x) => m.parseTwiml(x)],
  checkTransfer50kAttrs: ["checkTransfer: 1 MiB, 50k attributes", attrs50k, (m, x) => m.checkTransfer(x, "initial")],
  checkTransferDial: ["checkTransfer: 1 MiB of <Sip> in a <Dial>", dialTwiml, (m, x) => m.checkTransfer(x, "initial")],
  parseReferTo1MiB: [
    "parseReferTo: 1 MiB of URI parameters",
    () => `<sip:b@x${";p=v".repeat(MiB / 4 - 4)}>`,
    (m, x) => m.parseReferTo(x),
  ],
  parseReferMessage1MiB: [
    "parseReferMessage: 1 MiB Refer-To",
    () => referMessage(`<sip:b@x${";p=v".repeat(MiB / 4 - 100)}>`),
    (m, x) => m.parseReferMessage(x),
  ],
};

function stepwise(m, scenario) {
  const sim = new m.Simulation(scenario);
  const steps = [];
  let step;
  while ((step = sim.step()) !== undefined) steps.push(step);
  sim.free();
  return { steps };
}

/** Reads what JSON.stringify (run once before) does not: each step's bodies and leg getters. */
function touch(result) {
  let n = 0;
  for (const s of result?.steps ?? []) n += (s.response?.body?.length ?? 0) + (s.webhook?.body?.length ?? 0) + s.legs.length;
  return n;
}

const kB = () => process.resourceUsage().maxRSS; // peak resident set, in kB

if (process.argv[2] === "--child") {
  const [name, baselineOnly] = [process.argv[3], process.argv[4] === "baseline"];
  const m = await import(PKG);
  const [, make, call] = cases[name];
  const input = make();
  if (baselineOnly) {
    console.log(JSON.stringify({ rss: kB() }));
  } else {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let result;
    try {
      result = call(m, input);
    } catch (e) {
      result = { error: `${e.code}: ${e.message.slice(0, 60)}` };
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const rssCall = kB();
    const json = JSON.stringify(result)?.length ?? 0;
    touch(result);
    console.log(JSON.stringify({ ms, cpuMs, rssCall, rss: kB(), json, steps: result?.steps?.length ?? null, error: result?.error ?? null }));
  }
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (name, mode) => {
    const r = spawnSync(process.execPath, [self, "--child", name, mode], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split("\n").at(-1));
  };
  const only = process.argv.slice(2);
  console.log("case                     time ms   CPU ms  peak MB: call  + touch  steps   JSON MB  what");
  for (const [name, [what]] of Object.entries(cases)) {
    if (only.length && !only.includes(name)) continue;
    const base = run(name, "baseline");
    const r = run(name, "call");
    const [mbCall, mb] = [(r.rssCall - base.rss) / 1024, (r.rss - base.rss) / 1024];
    const line = [
      name.padEnd(22),
      r.ms.toFixed(0).padStart(9),
      r.cpuMs.toFixed(0).padStart(8),
      mbCall.toFixed(0).padStart(14),
      mb.toFixed(0).padStart(8),
      String(r.steps ?? "-").padStart(6),
      (r.json / 1e6).toFixed(2).padStart(9),
      ` ${what}${r.error ? ` -> ${r.error}` : ""}`,
    ];
    console.log(line.join(" "));
  }
}
