// A bundled page: Vite resolves "refer-sim" from node_modules and emits the .wasm as an asset.
import init, { parseReferTo, simulate, scenarios } from "refer-sim";

await init();
const r = parseReferTo("<tel:+14155550100>");
const t = simulate(scenarios().find((e) => e.id === "refer-url-absent-aob-true").scenario);
document.getElementById("out").textContent = JSON.stringify({ scheme: r.uri.scheme, user: r.uri.user ?? r.uri.host, alert: t.outcome.alerts[0].code });
