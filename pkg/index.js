// The package's entry for browsers and bundlers (pkg/node.js builds on it for Node):
// wasm-bindgen's generated glue (./refer_sim.js) behind a guard that heals the module.
//
// A trap inside WebAssembly (a Rust panic under `panic = "abort"`, memory running out)
// stops the module mid-call and leaves its memory in an unknown state (leaked stack,
// half-made values); the glue would go on using that instance, and after a few hundred
// traps every call fails. Here every call into the module goes through `guard`: a trap
// re-instantiates the module from its compiled code (scripts/build.sh adds
// `__referSimReinstantiate` to the glue) and throws an Error with `code: "internal"`
// and `call` naming the call. Objects the old instance made (Simulation, VoiceResponse,
// TwimlElement) then throw `code: "stale"`; a freed one throws `code: "freed"`; an object
// used from inside its own call (a callback re-entering it) throws `code: "busy"`.
// None of these three enter the module, so none can leak or poison it.
import * as glue from "./refer_sim.js";
import { decode, decodeReferTo } from "./decode.js";

/** Bumped at each re-instantiation: objects stamped with an older one are stale. */
let generation = 0;
/** Guarded calls on the stack (a callback such as `onWebhook` can call in again). */
let depth = 0;
/** The first trap of the running outermost call; set, every call refuses until it unwinds. */
let trap = null;
/** A re-instantiation is owed (it could not be done yet, or failed). */
let owed = false;

const GEN = Symbol("refer-sim instance");
const BUSY = Symbol("refer-sim busy");

/** What the engine throws when WebAssembly stops: a trap, or the stack overflowing inside
 * the module (a RangeError whose first frame is WebAssembly; one thrown by a callback is not). */
function isTrap(e) {
  if (e instanceof WebAssembly.RuntimeError) return true;
  if (!(e instanceof RangeError)) return false;
  const frame = String(e.stack ?? "").split("\n").find((line) => /^\s*at /.test(line)) ?? "";
  return frame.includes("wasm");
}

function refErr(code, call, message, extra = {}) {
  return Object.assign(new Error(`refer-sim: ${call}: ${message}`, extra.cause ? { cause: extra.cause } : undefined), {
    code, call, offset: null, field: null,
  });
}

function internal(call, cause) {
  const why = cause ? `${cause.name}: ${cause.message}` : "the module could not be started again";
  return refErr("internal", call,
    `stopped inside the WebAssembly module (${why}). The module was started afresh: later calls work; ` +
      "objects made before (Simulation, VoiceResponse, TwimlElement) are gone.",
    { cause });
}

/** A fresh instance; every object of the old one is stale from now on. */
function reinstantiate() {
  generation++;
  try {
    glue.__referSimReinstantiate();
    owed = false;
  } catch {
    owed = true;
  }
}

/** Runs `fn` (one call into the module), healing the module if it traps. */
function guard(call, fn) {
  if (trap !== null) throw internal(call, trap);
  if (depth === 0 && owed) {
    reinstantiate();
    if (owed) throw internal(call, null);
  }
  depth++;
  let result;
  let error;
  let failed = false;
  try {
    result = fn();
  } catch (e) {
    failed = true;
    error = e;
    if (trap === null && isTrap(e)) trap = e;
  }
  depth--;
  if (trap !== null) {
    const cause = trap;
    // A trap in a nested call: the outer call is still running in the old instance,
    // so it is replaced only once the outermost call has unwound (and fails too).
    if (depth === 0) {
      trap = null;
      reinstantiate();
    }
    throw internal(call, cause);
  }
  if (failed) throw error;
  if (result !== null && typeof result === "object" && typeof result.__wbg_ptr === "number") result[GEN] = generation;
  return result;
}

/** Throws unless `obj` is a live object of the current instance, not inside its own call. */
function usable(obj, call, className) {
  if (obj === null || typeof obj !== "object" || !obj.__wbg_ptr) {
    throw refErr("freed", call, `this ${className} was freed (free(), or the end of its \`using\` block), or was not made by refer-sim`);
  }
  if (obj[GEN] !== generation) {
    throw refErr("stale", call, `this ${className} was made before the module was started afresh after an internal error; make a new one`);
  }
  if (obj[BUSY]) throw refErr("busy", call, `this ${className} is in the middle of a call (a callback cannot use it)`);
}

function method(className, name, fn) {
  const call = `${className}.${name}`;
  return function (...args) {
    usable(this, call, className);
    this[BUSY] = true;
    try {
      return guard(call, () => fn.apply(this, args));
    } finally {
      this[BUSY] = false;
    }
  };
}

/** `free()`: once is enough (a second call does nothing); a stale object is only dropped. */
function free(className, rawFree) {
  const call = `${className}.free`;
  return function () {
    if (!this?.__wbg_ptr) return;
    if (this[BUSY]) throw refErr("busy", call, `this ${className} is in the middle of a call (a callback cannot free it)`);
    if (this[GEN] !== generation) {
      this.__destroy_into_raw(); // its memory went with the old instance: nothing to free
      return;
    }
    guard(call, () => rawFree.call(this));
  };
}

/** Guards every method and getter of a glue class in place; returns the class users construct. */
function healClass(Raw) {
  const className = Raw.name;
  const proto = Raw.prototype;
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === "constructor" || key.startsWith("__")) continue;
    const d = Object.getOwnPropertyDescriptor(proto, key);
    if (key === "free") d.value = free(className, d.value);
    else if (typeof d.value === "function") d.value = method(className, key, d.value);
    else if (d.get) d.get = method(className, key, d.get);
    else continue;
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
    // Objects the module makes itself (a builder's elements) are instances too.
    static [Symbol.hasInstance](v) {
      return v instanceof Raw;
    }
  };
  Object.defineProperty(Healed, "name", { value: className });
  return Healed;
}

// ----- A step's `legs` and shared webhook bodies: what the module serialised once -----
//
// A step carries only the legs it created or changed (`changedLegs`), so a timeline
// grows with steps plus changes, not steps × legs (800 targets in one <Dial>, about
// 1,600 steps, would otherwise hold 1.3 million leg objects). `step.legs` gives every
// leg after the step: a getter that picks, for each leg, its latest object at or
// before the step. Legs that did not change are the same object in every step's
// array; the getter is not enumerable, so JSON.stringify and structuredClone carry
// only `changedLegs`, as the module serialised it.
//
// Likewise a webhook body is serialised once: a later `response` with the same body
// carries `sameBodyAs` (the index of the step that has it) instead of `body`. Here it
// gets back a `body` property holding that same string (one string, not a copy), not
// enumerable, so JSON.stringify keeps `sameBodyAs` and the body stays written once.

/** Every version of each leg, in the order the legs appeared, and the bodies received. */
class LegHistory {
  constructor() {
    /** Per leg, in creation order: `{ at: step indexes, legs: the leg after each }`. */
    this.order = [];
    this.byId = new Map();
    this.count = 0;
    /** Step index → the response body that step received (steps with their own body only). */
    this.bodies = new Map();
  }

  /** Records the next step's changes and bodies; gives it its `legs` getter and shared `body`. */
  add(step) {
    const index = this.count++;
    const response = step.response;
    if (response) {
      if (typeof response.sameBodyAs === "number") {
        const body = this.bodies.get(response.sameBodyAs) ?? null;
        Object.defineProperty(response, "body", { value: body, enumerable: false, writable: true, configurable: true });
      } else if (typeof response.body === "string") {
        this.bodies.set(index, response.body);
      }
    }
    for (const leg of step.changedLegs) {
      let versions = this.byId.get(leg.id);
      if (versions === undefined) {
        versions = { at: [], legs: [] };
        this.byId.set(leg.id, versions);
        this.order.push(versions);
      }
      versions.at.push(index);
      versions.legs.push(leg);
    }
    Object.defineProperty(step, "legs", { get: () => this.legsAt(index), enumerable: false, configurable: true });
    return step;
  }

  /** Every leg after step `index`, in creation order. */
  legsAt(index) {
    const out = [];
    for (const { at, legs } of this.order) {
      if (at[0] > index) break; // legs appear in creation order: the rest came later
      let lo = 0;
      let hi = at.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (at[mid] <= index) lo = mid;
        else hi = mid - 1;
      }
      out.push(legs[lo]);
    }
    return out;
  }
}

/** Gives each step of `steps` (a whole timeline's, in order) its `legs` getter. */
function withLegs(steps) {
  const history = new LegHistory();
  for (const step of steps) history.add(step);
  return steps;
}

function timelineWithLegs(timeline) {
  withLegs(timeline.steps);
  return timeline;
}

/** The history of the steps a Simulation has returned one by one. */
const histories = new WeakMap();

/** Wraps a method of `proto` so that what it returns gets `legs` getters. */
function returningLegs(proto, name, attach) {
  const d = Object.getOwnPropertyDescriptor(proto, name);
  const raw = d.value;
  d.value = function (...args) {
    return attach(this, raw.apply(this, args));
  };
  Object.defineProperty(proto, name, d);
}

returningLegs(glue.Simulation.prototype, "step", (sim, step) => {
  if (step === undefined || step === null) return step;
  let history = histories.get(sim);
  if (history === undefined) {
    history = new LegHistory();
    histories.set(sim, history);
  }
  return history.add(step);
});
returningLegs(glue.Simulation.prototype, "steps", (_sim, steps) => withLegs(steps));
returningLegs(glue.Simulation.prototype, "timeline", (_sim, timeline) => timelineWithLegs(timeline));

export const Simulation = healClass(glue.Simulation);
export const VoiceResponse = healClass(glue.VoiceResponse);
export const TwimlElement = healClass(glue.TwimlElement);

export function simulate(scenario, options) {
  return timelineWithLegs(guard("simulate", () => glue.simulate(scenario, options)));
}
export function scenarios() {
  return guard("scenarios", () => glue.scenarios());
}
// The parsers return their result in the compact format (src/wasm/compact.rs), decoded here
// into the plain objects the TypeScript types declare.
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
