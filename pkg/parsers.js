// `refer-sim/parsers`: the Refer-To and TwiML parsers and the TwiML builder without the transfer
// simulator, in a smaller module of their own (pkg/refer_sim_parsers_bg.wasm, built by
// scripts/build.sh from the crate without its `simulator` feature). Same results, errors and
// types as the main entry (pkg/index.js); the same healing after a trap, for functions: a trap
// re-instantiates the module and throws an Error with `code: "internal"` and `call`.
// VoiceResponse and TwimlElement are the main entry's classes, guarded the same way.
import * as glue from "./refer_sim_parsers.js";
import { decode, decodeReferTo } from "./decode.js";

/** Bumped at each re-instantiation: builder objects stamped with an older one are stale. */
let generation = 0;
let owed = false;
const GEN = Symbol("refer-sim instance");

function isTrap(e) {
  if (e instanceof WebAssembly.RuntimeError) return true;
  if (!(e instanceof RangeError)) return false;
  const frame = String(e.stack ?? "").split("\n").find((line) => /^\s*at /.test(line)) ?? "";
  return frame.includes("wasm");
}

function internal(call, cause) {
  const why = cause ? `${cause.name}: ${cause.message}` : "the module could not be started again";
  return Object.assign(new Error(`refer-sim: ${call}: stopped inside the WebAssembly module (${why}). ` +
    "The module was started afresh: later calls work; objects made before (VoiceResponse, TwimlElement) are gone.",
  cause ? { cause } : undefined), { code: "internal", call, offset: null, field: null });
}

function reinstantiate() {
  generation++;
  try {
    glue.__referSimReinstantiate();
    owed = false;
  } catch {
    owed = true;
  }
}

/** Runs `fn` (one call into the module; parsers do not call back), healing the module if it traps. */
function guard(call, fn) {
  if (owed) {
    reinstantiate();
    if (owed) throw internal(call, null);
  }
  try {
    const result = fn();
    if (result !== null && typeof result === "object" && typeof result.__wbg_ptr === "number") result[GEN] = generation;
    return result;
  } catch (e) {
    if (!isTrap(e)) throw e;
    reinstantiate();
    throw internal(call, e);
  }
}

/** Refuses a builder object of an older instance (`stale`) or a freed one (`freed`). */
function usable(obj, call, className) {
  const fail = (code, why) => Object.assign(new Error(`refer-sim: ${call}: ${why}`), { code, call, offset: null, field: null });
  if (obj === null || typeof obj !== "object" || !obj.__wbg_ptr) {
    throw fail("freed", `this ${className} was freed (free(), or the end of its \`using\` block), or was not made by refer-sim`);
  }
  if (obj[GEN] !== generation) {
    throw fail("stale", `this ${className} was made before the module was started afresh after an internal error; make a new one`);
  }
}

function healClass(Raw) {
  const className = Raw.name;
  const proto = Raw.prototype;
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === "constructor" || key.startsWith("__")) continue;
    const d = Object.getOwnPropertyDescriptor(proto, key);
    const raw = d.value ?? d.get;
    if (typeof raw !== "function") continue;
    const call = `${className}.${key}`;
    const wrapped = key === "free"
      ? function () {
        if (!this?.__wbg_ptr) return;
        if (this[GEN] !== generation) return void this.__destroy_into_raw();
        guard(call, () => raw.call(this));
      }
      : function (...args) {
        usable(this, call, className);
        return guard(call, () => raw.apply(this, args));
      };
    if (d.value) d.value = wrapped;
    else d.get = wrapped;
    Object.defineProperty(proto, key, d);
  }
  if (Symbol.dispose) proto[Symbol.dispose] = proto.free;
  const Healed = class extends Raw {
    constructor(...args) {
      guard(`new ${className}`, () => {
        super(...args);
      });
      this[GEN] = generation;
    }
    static [Symbol.hasInstance](v) {
      return v instanceof Raw;
    }
  };
  Object.defineProperty(Healed, "name", { value: className });
  return Healed;
}

export const VoiceResponse = healClass(glue.VoiceResponse);
export const TwimlElement = healClass(glue.TwimlElement);

export function parseReferTo(value) {
  return decodeReferTo(guard("parseReferTo", () => glue.parseReferTo(value)));
}
export function parseReferMessage(text) {
  return decode(guard("parseReferMessage", () => glue.parseReferMessage(text)));
}
export function parseTwiml(xml) {
  return decode(guard("parseTwiml", () => glue.parseTwiml(xml)));
}
export function checkTransfer(xml, role) {
  return decode(guard("checkTransfer", () => glue.checkTransfer(xml, role)));
}
export function version() {
  return guard("version", () => glue.version());
}
/** Test only: traps the module on purpose (see `__forceTrapForTests` in src/wasm/mod.rs). */
export function __forceTrapForTests() {
  return guard("__forceTrapForTests", () => glue.__forceTrapForTests());
}
export function initSync(module) {
  return glue.initSync(module);
}
/** Fetches and instantiates the module (browsers, bundlers); resolves to its exports. */
export default function init(moduleOrPath) {
  return glue.default(moduleOrPath);
}
