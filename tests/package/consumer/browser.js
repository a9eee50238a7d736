// A plain browser page: `init()` fetches the .wasm beside the glue, then the API works.
import init, { parseReferTo, simulate, scenarios } from "refer-sim";

await init();
const r = parseReferTo('"Agent B" <sip:AgentB@example.sip.twilio.com>');
const t = simulate(scenarios().find((e) => e.id === "agentb-answers-aob-true").scenario);
document.getElementById("out").textContent = JSON.stringify({ host: r.uri.host, name: r.displayName, connected: t.outcome.connected });
