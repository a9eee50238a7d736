// Size budget of the npm package, enforced by the test command.
// Budget: the whole package (module, glue, healing entry index.js, decoder, Node entry) at most 227,500 B
// gzipped: 226,225 B measured when set (issue 12: the simulator's results cross in the compact format, so
// serde_json writing left the module; 230,932 B before) plus about 1.3 KB of headroom, so growth is noticed
// at once. The product target is 120 KB (issue 12), not reached: the README, "Size budget", has the figures
// by section and what would close the gap.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const BUDGET_TOTAL_GZ = 227_500;
// `refer-sim/parsers` alone (its module, glue, entry, decoder, Node entry): what a user who only parses loads.
const BUDGET_PARSERS_GZ = 108_000; // 107,195 B when set (wasm 234,588 B raw); 95,575 B when added
const dir = new URL("../pkg/", import.meta.url);
const gz = (buf) => gzipSync(buf, { level: 9 }).length;
/** Prints each file's size and the total of `files`; false when over `budget`. */
function entry(title, files, budget) {
  let total = 0;
  for (const f of files) {
    const buf = readFileSync(new URL(f, dir));
    const g = gz(buf);
    total += g;
    console.log(`${f.padEnd(28)} ${String(buf.length).padStart(8)} bytes raw ${String(g).padStart(8)} bytes gzipped`);
  }
  console.log(`${title.padEnd(28)} ${String(total).padStart(26)} bytes gzipped (budget ${budget})`);
  if (total > budget) console.error(`size budget exceeded: ${title} ${total} > ${budget} bytes gzipped`);
  return total <= budget;
}

const whole = entry("package total (refer-sim)", ["refer_sim_bg.wasm", "refer_sim.js", "index.js", "heal.js", "voice_response.js", "decode.js", "node.js"], BUDGET_TOTAL_GZ);
const parsers = entry("refer-sim/parsers total", ["refer_sim_parsers_bg.wasm", "refer_sim_parsers.js", "parsers.js", "heal.js", "voice_response.js", "decode.js", "parsers_node.js"], BUDGET_PARSERS_GZ);
if (!whole || !parsers) process.exit(1);
