// Size budget of the npm package, enforced by the test command.
// Budget: the whole package (module, glue, healing entry index.js, Node entry) at most 210 KiB gzipped. The
// product target is 120 KB (issue 12); the module holds three parsers, the transfer engine and its catalogue,
// and measures 207.5 KB today (202.7 KiB). The budget keeps little headroom so growth is noticed at once;
// the reasons and the figures are in the README, "Size budget".
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_TOTAL_GZ = 210 * 1024;
const dir = new URL("../pkg/", import.meta.url);
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const files = ["refer_sim_bg.wasm", "refer_sim.js", "index.js", "decode.js", "node.js"];
let total = 0;
for (const f of files) {
  const buf = readFileSync(new URL(f, dir));
  const g = gz(buf);
  total += g;
  console.log(`${f.padEnd(20)} ${String(buf.length).padStart(8)} bytes raw ${String(g).padStart(8)} bytes gzipped`);
}
console.log(`package total        ${String(total).padStart(26)} bytes gzipped (budget ${BUDGET_TOTAL_GZ})`);
if (total > BUDGET_TOTAL_GZ) {
  console.error(`size budget exceeded: ${total} > ${BUDGET_TOTAL_GZ} bytes gzipped`);
  process.exit(1);
}
