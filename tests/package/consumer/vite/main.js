// A bundled page: Vite resolves "refer-sim" from node_modules and emits the .wasm as an asset.
import init, { parseReferTo } from "refer-sim";

await init();
const r = parseReferTo("<tel:+14155550100>");
document.getElementById("out").textContent = JSON.stringify({ scheme: r.uri.scheme, user: r.uri.user ?? r.uri.host });
