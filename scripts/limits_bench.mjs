// Time and size of the worst inputs of issue 13, through the built package as users import it.
// Printed, never asserted (make bench territory). Usage: node scripts/limits_bench.mjs [case]
// Run each case in its own process (/usr/bin/time -v node scripts/limits_bench.mjs dial800) for peak memory.
const { simulate, parseTwiml } = await import(process.env.REFER_SIM_PKG ?? "refer-sim");

const bank = (twiml) => ({ initialTwiml: twiml, refer: { atMs: 10000, referTo: "<sip:AgentB@example.com>" } });
const dial = (n) => `<Response><Dial referUrl="https://example.com/h">${Array.from({ length: n }, (_, i) => `<Sip>sip:a${i}@x</Sip>`).join("")}</Dial></Response>`;
const cases = {
  dial800: () => simulate(bank(dial(800))),
  dial2000: () => simulate(bank(dial(2000))),
  dial10000: () => simulate(bank(dial(10000))),
  sayLoop64k: () => {
    const say = "x".repeat(65536 - 200);
    const twiml = `<Response><Say>${say}</Say><Redirect>https://example.com/loop</Redirect></Response>`;
    const initial = `<Response><Dial referUrl="https://example.com/loop"><Sip>sip:AgentA@x</Sip></Dial></Response>`;
    return simulate({ ...bank(initial), app: { "https://example.com/loop": { twiml } } });
  },
  webhookBody64k: () => {
    const body = `<Response><Say>${"y".repeat(65536 - 40)}</Say></Response>`;
    return simulate({
      ...bank(`<Response><Dial referUrl="https://example.com/h"><Sip>sip:AgentA@x</Sip></Dial></Response>`),
      app: { "https://example.com/h": { twiml: body } },
    });
  },
  callerFrom256: () => simulate({ ...bank(dial(1)), caller: { from: `sip:${"f".repeat(240)}@example.com` } }),
  parseTwiml50kAttrs: () => {
    const attrs = Array.from({ length: 50000 }, (_, i) => ` a${i}="v"`).join("");
    return parseTwiml(`<Response><Say${attrs}>x</Say></Response>`.padEnd(1 << 20, " "));
  },
};
const only = process.argv[2];
for (const [name, run] of Object.entries(cases)) {
  if (only && name !== only) continue;
  const t0 = performance.now();
  let result;
  try {
    result = run();
  } catch (e) {
    result = { error: `${e.code}: ${e.message.slice(0, 100)}` };
  }
  const ms = performance.now() - t0;
  const bytes = JSON.stringify(result)?.length ?? 0;
  const steps = result?.steps?.length ?? "-";
  console.log(`${name.padEnd(20)} ${ms.toFixed(0).padStart(7)} ms  steps ${String(steps).padStart(5)}  JSON ${(bytes / 1e6).toFixed(2)} MB${result.error ? `  ${result.error}` : ""}`);
}
