// A Node 20 ESM user of the installed tarball: no init step needed.
import { parseReferTo, version, simulate, scenarios } from "refer-sim";

const r = parseReferTo(process.argv[2]);
let error = null;
try {
  parseReferTo("<sip:a@b.com");
} catch (e) {
  error = { name: e.name, code: e.code, offset: e.offset };
}
const entry = scenarios().find((e) => e.id === "agentb-no-answer-aob-true");
const outcome = simulate(entry.scenario).outcome;
console.log(JSON.stringify({ version: version(), host: r.uri.host, target: r.transferTarget, error, connected: outcome.connected }));
