// pkg/heal.js tells a trap of the module from an error of the caller by the first stack frame:
// a stack overflow inside WebAssembly is a RangeError (V8, Safari) or an InternalError (Firefox)
// whose first frame is in the module; the same error from a user's callback is theirs. Checked on
// each engine's frame format, through `healer`'s `guard` with a stand-in for the glue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { healer, wasmFrame } from "../../pkg/dist/heal.js";

/** A healer over a stand-in glue that counts re-instantiations. */
function harness() {
  const glue = { restarts: 0, __referSimReinstantiate() { this.restarts++; } };
  return { glue, heal: healer(glue, "Thing") };
}

/** An error of class `Kind` (or named `name`) with exactly `stack`. */
function thrown(Kind, stack, name) {
  const e = new Kind("too much recursion");
  if (name) Object.defineProperty(e, "name", { value: name });
  Object.defineProperty(e, "stack", { value: stack });
  return e;
}

const V8_MODULE = "RangeError: Maximum call stack size exceeded\n    at wasm://wasm/00a1b2c3:wasm-function[812]:0x4a2b1\n    at simulate (file:///app/node_modules/refer-sim/refer_sim.js:10:5)";
const V8_NAMED = "RangeError: Maximum call stack size exceeded\n    at refer_sim::twiml::parse (wasm://wasm/00a1b2c3:wasm-function[812]:0x4a2b1)";
const FIREFOX_URL = "refer_sim::twiml::parse@https://example.com/pkg/refer_sim_bg.wasm:wasm-function[812]:0x4a2b1\nsimulate@https://example.com/pkg/refer_sim.js:10:5";
const FIREFOX_BYTES = "wasm-function[812]@https://example.com/pkg/refer_sim.js line 300 > WebAssembly.instantiate:wasm-function[812]:0x4a2b1\n";
const SAFARI = "<?>.wasm-function[812]@[wasm code]\nwasm-stub@[native code]\nsimulate@https://example.com/pkg/refer_sim.js:10:5";
const V8_USER = "RangeError: Maximum call stack size exceeded\n    at handler (file:///srv/wasm-app/handler.js:3:9)\n    at wasm://wasm/00a1b2c3:wasm-function[812]:0x4a2b1";
const FIREFOX_USER = "handler@file:///srv/wasm-app/handler.js:3:9\nwasm-function[812]@https://example.com/pkg/refer_sim_bg.wasm:wasm-function[812]:0x4a2b1";
const SAFARI_USER = "handler@file:///srv/wasm-app/handler.js:3:9\n<?>.wasm-function[812]@[wasm code]";

test("a stack overflow whose first frame is in the module is a trap on V8, Firefox and Safari: `internal`, module started afresh", () => {
  for (const [Kind, stack, name] of [
    [RangeError, V8_MODULE], [RangeError, V8_NAMED], [RangeError, SAFARI],
    [Error, FIREFOX_URL, "InternalError"], [Error, FIREFOX_BYTES, "InternalError"], [RangeError, FIREFOX_URL],
  ]) {
    const { glue, heal } = harness();
    assert.throws(() => heal.guard("simulate", () => { throw thrown(Kind, stack, name); }),
      (e) => e.code === "internal" && e.call === "simulate", stack);
    assert.equal(glue.restarts, 1, stack);
    assert.equal(heal.generation(), 1, stack);
    assert.equal(heal.guard("simulate", () => 7), 7, "the next call runs");
  }
});

test("the same errors from a caller's own code pass through untouched, without a restart", () => {
  for (const [Kind, stack, name] of [
    [RangeError, V8_USER], [Error, FIREFOX_USER, "InternalError"], [RangeError, SAFARI_USER],
    [RangeError, "RangeError: Invalid array length\n    at build (file:///srv/wasm-app/a.js:1:1)"],
    [RangeError, ""], [RangeError, undefined],
    [Error, V8_MODULE], // not a RangeError/InternalError: a caller's Error keeps its class whatever its stack
  ]) {
    const { glue, heal } = harness();
    const err = thrown(Kind, stack, name);
    assert.throws(() => heal.guard("simulate", () => { throw err; }), (e) => e === err, String(stack));
    assert.equal(glue.restarts, 0, String(stack));
  }
});

test("wasmFrame matches each engine's marker, not the word wasm in a path", () => {
  assert.equal(wasmFrame("    at wasm://wasm/1f:wasm-function[3]:0x10"), true);
  assert.equal(wasmFrame("f@https://h/m.wasm:wasm-function[3]:0x10"), true);
  assert.equal(wasmFrame("<?>.wasm-function[3]@[wasm code]"), true);
  for (const f of ["    at h (file:///srv/wasm-app/h.js:1:1)", "h@file:///srv/wasm/h.js:1:1", "wasm@file:///x.wasm.js:1:1", ""]) {
    assert.equal(wasmFrame(f), false, f);
  }
});
