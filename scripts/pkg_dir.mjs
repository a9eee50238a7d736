// Where a build's package files are: pkg/dist/ since issue 12's pack step (scripts/build.sh ships the
// stripped copies from there), the pkg/ folder itself in a copy of an older build. The benches take
// either (a copy of pkg/, or of pkg/dist/) and load the files that build ships.
import { existsSync } from "node:fs";
import { resolve } from "node:path";

/** The folder holding `node.js`, `refer_sim.js` and the modules of the build in `dir` (default: this tree's). */
export function shippedDir(dir = new URL("../pkg/", import.meta.url).pathname) {
  const d = resolve(dir);
  return existsSync(resolve(d, "dist", "node.js")) ? resolve(d, "dist") : d;
}
