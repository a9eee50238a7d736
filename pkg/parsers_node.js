// Node entry of `refer-sim/parsers`: instantiates the parsers' module synchronously from the
// file beside this one (as node.js does for the whole package). The API is parsers.js's.
import { readFileSync } from "node:fs";
import { initSync } from "./parsers.js";

const wasm = initSync({ module: readFileSync(new URL("./refer_sim_parsers_bg.wasm", import.meta.url)) });

export * from "./parsers.js";

/** Already initialised in Node; resolves to the module's exports like the browser `init()`. */
export default async function init() {
  return wasm;
}
