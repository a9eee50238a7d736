// Node entry point of refer-sim: instantiates the WebAssembly module
// synchronously from the file beside this one, so Node users can call the API
// right after `import`. The API is index.js's (the glue behind the guard that
// re-instantiates the module after a trap). `init()` is kept (a no-op returning the same promise
// shape as the browser build) so the same code runs in both places.
import { readFileSync } from "node:fs";
import { initSync } from "./index.js";

const wasm = initSync({ module: readFileSync(new URL("./refer_sim_bg.wasm", import.meta.url)) });

export * from "./index.js";

/** Already initialised in Node; resolves to the module's exports like the browser `init()`. */
export default async function init() {
  return wasm;
}
