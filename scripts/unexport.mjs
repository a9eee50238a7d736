// Removes exports from a .wasm before wasm-bindgen reads it (scripts/build.sh): the crate's
// `memcmp` and `bcmp` (src/wasm/mem.rs) must be `#[no_mangle]` to take the place of
// compiler_builtins' byte loop, and rustc exports every such function from the module, where
// wasm-bindgen would list them in the package's types (`InitOutput`). The module is read and
// written by binaryen.js with its names kept (wasm-bindgen names its own exports from them).
//
//   node scripts/unexport.mjs IN.wasm OUT.wasm NAME...
import binaryen from "binaryen";
import { readFileSync, writeFileSync } from "node:fs";

const [input, output, ...names] = process.argv.slice(2);
if (!input || !output || names.length === 0) throw new Error("usage: node scripts/unexport.mjs IN.wasm OUT.wasm NAME...");
binaryen.setDebugInfo(true);
const module = binaryen.readBinary(readFileSync(input));
const F = binaryen.Features;
// The features rustc's wasm32 target enables (and build.sh's wasm-opt): binaryen's `All` would
// write imports in an encoding wasm-bindgen cannot read.
module.setFeatures(F.MVP | F.BulkMemory | F.SignExt | F.MutableGlobals | F.NontrappingFPToInt | F.ReferenceTypes | F.Multivalue);
for (const name of names) {
  if (!module.getExport(name)) throw new Error(`unexport: ${input} exports no ${name}`);
  module.removeExport(name);
}
writeFileSync(output, module.emitBinary());
module.dispose();
