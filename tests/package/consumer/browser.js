// A plain browser page: `init()` fetches the .wasm beside the glue, then the API works.
import init, { parseReferTo } from "refer-sim";

await init();
const r = parseReferTo('"Agent B" <sip:AgentB@example.sip.twilio.com>');
document.getElementById("out").textContent = JSON.stringify({ host: r.uri.host, name: r.displayName });
