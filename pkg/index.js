// The package's entry for browsers and bundlers (pkg/node.js builds on it for Node):
// wasm-bindgen's generated glue (./refer_sim.js) behind a guard that heals the module
// after a trap (pkg/heal.js, shared with pkg/parsers.js: a trap re-instantiates the
// module and throws an Error with `code: "internal"`; older objects throw `stale`,
// freed ones `freed`, one used from inside its own call `busy`). VoiceResponse and
// TwimlElement are JS classes (pkg/voice_response.js) that enter the module only at
// `toString()`.
import * as glue from "./refer_sim.js";
import { decode, decodeKeptHead, decodeLegs, decodeSteps, decodeTimeline, decodeTimelineHead, decodeTimelineSteps, parserExports } from "./decode.js";
import { healer } from "./heal.js";
import { handlerFailed } from "./handler_error.js";
import { builderClasses } from "./voice_response.js";

const heal = healer(glue, "Simulation, VoiceResponse, TwimlElement");
const { guard, healClass } = heal;

// ----- `step.legs` and shared webhook bodies (README, "simulate"; the types in refer_sim.d.ts) -----
// A step carries only the legs it changed (`changedLegs`); `legs`, a getter that is not enumerable,
// gives every leg after the step. A `response` with `sameBodyAs` gets back `body`, not enumerable.

/** A base returning the object it is given, for a subclass's private fields. */
class Given {
  constructor(object) {
    return object;
  }
}

/** A step's history and index, in private fields (invisible to Object.keys, JSON, structuredClone,
 * deepEqual): one `legs` accessor then serves every step, and no step's hidden class holds a closure. */
class StepLegs extends Given {
  #history;
  #index;
  constructor(step, history, index) {
    super(step);
    this.#history = history;
    this.#index = index;
  }
  static of(step) {
    return #history in step ? step.#history.legsAt(step.#index) : undefined;
  }
  static messages(step) {
    if (!(#history in step) || step.#history.lazy === null) return undefined;
    step.#history.lazy.fill();
    return step.messages;
  }
}

const stepLegs = { get() { return StepLegs.of(this); }, enumerable: false, configurable: true };

/** Every version of each leg, in the order the legs appeared, and the bodies received. */
class LegHistory {
  constructor() {
    /** Per leg, in creation order: `{ at: step indexes, legs: the leg after each }`. */
    this.order = [];
    this.byId = new Map();
    this.count = 0;
    /** Step index → the response body that step received (steps with their own body only). */
    this.bodies = new Map();
    this.lazy = null;
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
    new StepLegs(step, this, index);
    Object.defineProperty(step, "legs", stepLegs);
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
function withLegs(steps, lazy = null) {
  const history = new LegHistory();
  history.lazy = lazy;
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

// The simulator's exports return their results in the compact format (src/wasm/compact.rs) and
// hand `onWebhook` its request in it: decoded here into the plain objects the types declare.
// The timeline, its steps and legs come in the timeline layout (src/wasm/timeline.rs).
const readers = { step: (c) => decodeSteps(c)[0], timeline: decodeTimeline, snapshot: decodeLegs, steps: decodeSteps };
for (const name of ["step", "pending", "timeline", "warnings", "snapshot", "steps", "outcome"]) {
  const read = readers[name] ?? decode;
  returningLegs(glue.Simulation.prototype, name, (_sim, compact) => (typeof compact === "string" ? read(compact) : compact));
}
returningLegs(glue.Simulation.prototype, "pending", (_sim, pending) => {
  if (pending === undefined || pending === null) return null;
  const [atMs, request] = pending;
  request.atMs = atMs;
  return request;
});

/** `options` with an `onWebhook` that decodes the module's request; own keys must be in `allowed`
 * (a misspelt `onWebhok` would run without the handler). */
function decodingWebhooks(options, allowed) {
  if (options === null || typeof options !== "object") return options;
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      throw Object.assign(new Error(`options.${key} is not an option; expected one of ${allowed.join(", ")}`), {
        code: "bad_options", offset: null, field: `options.${key}`,
      });
    }
  }
  const onWebhook = options.onWebhook;
  if (typeof onWebhook !== "function") return options;
  // A handler that throws: webhook_handler_failed, as simulateAsync rejects (the same fields).
  const value = (compact) => {
    const request = decode(compact);
    try {
      return onWebhook.call(null, request);
    } catch (e) {
      throw handlerFailed(e, request, "");
    }
  };
  return Object.create(options, { onWebhook: { value } });
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

/** Objects written alike twice: { text, shape (null: text changed), id, module } (README, "simulate"). */
const knownTexts = new WeakMap();
/** A ring of the last objects written once and their texts (README, "simulate"). */
const RECENT = 64;
const recentObjects = new Array(RECENT).fill(null);
const recentTexts = new Array(RECENT).fill(null);
let recentAt = 0;

/** `writtenText(scenario)`, kept for an object written alike twice while `same` finds it unchanged. */
function scenarioText(scenario) {
  if (scenario === null || typeof scenario !== "object") return undefined;
  const known = knownTexts.get(scenario);
  if (known !== undefined && known.shape !== null && !("toJSON" in Object.prototype) && same(scenario, known.shape)) return known.text;
  const text = writtenText(scenario);
  if (text === undefined) return undefined;
  if (known !== undefined) {
    if (known.text !== text) {
      known.shape = null;
      known.id = 0;
    } else if (known.shape === null) {
      known.shape = adopt(scenario, shapeOf(JSON.parse(text)));
    }
    known.text = text;
    return text;
  }
  const k = recentObjects.indexOf(scenario);
  if (k < 0) {
    recentObjects[recentAt] = scenario;
    recentTexts[recentAt] = text;
    recentAt = (recentAt + 1) % RECENT;
  } else if (recentTexts[k] !== text) {
    recentTexts[k] = text;
  } else {
    knownTexts.set(scenario, { text, shape: adopt(scenario, shapeOf(JSON.parse(text))), id: 0, module: null });
    recentObjects[k] = recentTexts[k] = null;
  }
  return text;
}

/** A parsed object's keys and their values' shapes. */
class Shape {
  constructor(keys, values) {
    this.keys = keys;
    this.values = values;
  }
}
function shapeOf(v) {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(shapeOf);
  const keys = Object.keys(v);
  return new Shape(keys, keys.map((k) => shapeOf(v[k])));
}

/** `shape` (of `v`'s text) holding `v`'s own strings where they are equal to its parsed ones: `same` then
 * finds an unchanged string by reference instead of comparing its characters on every call. */
function adopt(v, shape) {
  if (shape === null || typeof shape !== "object") return typeof shape === "string" && v === shape ? v : shape;
  if (v === null || typeof v !== "object") return shape;
  if (Array.isArray(shape)) {
    for (let k = 0; k < shape.length; k++) shape[k] = adopt(v[k], shape[k]);
    return shape;
  }
  const { keys, values } = shape;
  for (let k = 0; k < keys.length; k++) values[k] = adopt(v[keys[k]], values[k]);
  return shape;
}

/** True when JSON.stringify(v) surely writes the text `shape` was read from; false: not sure. The caller
 * has seen no `toJSON` in Object.prototype: a plain object then has one only as its own property. (`in`
 * on every object, whatever its shape, was V8's megamorphic lookup through the prototype chain.) */
function same(v, shape) {
  if (shape === null || typeof shape !== "object") return v === shape;
  if (v === null || typeof v !== "object") return false;
  if (Array.isArray(shape)) {
    if (!Array.isArray(v) || "toJSON" in v || v.length !== shape.length) return false;
    for (let k = 0; k < shape.length; k++) if (!same(v[k], shape[k])) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype || Object.hasOwn(v, "toJSON")) return false;
  const { keys, values } = shape;
  let n = 0;
  for (const key in v) {
    if (key !== keys[n] || !same(v[key], values[n])) return false;
    n++;
  }
  return n === keys.length;
}

/** A scenario object's JSON text; undefined when it holds NaN or Infinity or cannot be written (the
 * module's error says why): `finite` looks when it holds a `null`, else a replacer. */
function writtenText(scenario) {
  try {
    const text = JSON.stringify(scenario);
    if (typeof text !== "string") return undefined;
    if (!text.includes("null") || finite(scenario)) return text;
    let ok = true;
    const checked = JSON.stringify(scenario, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? ((ok = false), v) : v));
    return ok && typeof checked === "string" ? checked : undefined;
  } catch {
    return undefined;
  }
}

/** True when `v` (which JSON.stringify just wrote: no cycle) holds only finite numbers in plain
 * objects and arrays; false: not sure. */
function finite(v) {
  if (typeof v === "number") return Number.isFinite(v);
  if (v === null || typeof v !== "object") return true;
  if ("toJSON" in v) return false;
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) if (!finite(v[k])) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const key in v) if (Object.hasOwn(v, key) && !finite(v[key])) return false;
  return true;
}

/** The module's arguments for `scenario` and `options` (`allowed`: the option names). */
function moduleArgs(scenario, options, allowed) {
  const decoding = decodingWebhooks(options, allowed);
  const text = scenarioText(scenario);
  return [text ?? scenario, decoding, text !== undefined];
}

/** Whether `options.messages` is `"now"` (else `"on-read"`, the default; anything else: `bad_options`). */
function messagesNow(options) {
  const m = options !== null && typeof options === "object" ? options.messages : undefined;
  if (m === undefined || m === "on-read") return false;
  if (m === "now") return true;
  throw Object.assign(new Error(`options.messages must be "on-read" or "now", not ${typeof m === "string" ? JSON.stringify(m) : typeof m}`), {
    code: "bad_options", offset: null, field: "options.messages",
  });
}

export const Simulation = healClass(glue.Simulation, ([scenario, options]) => {
  messagesNow(options); // checked; a Simulation's steps always carry their messages
  return moduleArgs(scenario, options, ["onWebhook", "pauseAtWebhooks", "messages"]);
});

const builder = builderClasses(heal, glue.__twimlWrite);
export const VoiceResponse = builder.VoiceResponse;
export const TwimlElement = builder.TwimlElement;
/** Internal: the document of recorded builder calls (what VoiceResponse.toString uses; see pkg/voice_response.js). */
export function __twimlWrite(calls) {
  return guard("__twimlWrite", () => glue.__twimlWrite(calls));
}

// `text` as UTF-8 into the module's input buffer, `written` bytes (encodeInto: native). False: no module.
const utf8 = new TextEncoder();
let instance, input, written;

/** The module's exports, or null. */
function current() {
  try {
    return glue.initSync();
  } catch {
    return null;
  }
}

function write(text) {
  const w = current();
  if (w === null) return false;
  for (let room = text.length; ; room = text.length * 3) {
    if (w !== instance || input.byteLength < room) {
      // Another instance (after a trap), too little room, or the memory grew.
      const at = w.__simulateInput(room) >>> 0;
      instance = w;
      input = new Uint8Array(w.memory.buffer, at, room);
    }
    const r = utf8.encodeInto(text, input);
    if (r.read === text.length) return (written = r.written), true;
  }
}

/** Whether the last `simulateText` gave a kept run's head. */
let kept = false;

/** The module's timeline of `text`, a scenario's JSON text (`light`: without SIP messages), by the
 * `known` entry's id when this instance gave it one; with `keep`, the head of a kept run (its steps:
 * `__keptSteps`, see LazySteps). */
function simulateText(text, options, light, known = null, keep = false) {
  kept = keep;
  if (known !== null && known.id !== 0 && known.module === current()) {
    const compact = glue.__simulateKnown(known.id, options, light, keep);
    if (compact !== "") return compact;
  }
  if (!write(text)) return (kept = false), glue.simulate(text, options, true, light);
  const compact = glue.__simulateWritten(written, options, light, keep);
  if (known !== null) {
    known.id = glue.__preparedId();
    known.module = instance;
  }
  return compact;
}

// `step.messages` on first read (README, "simulate"): one accessor for every step of a light run.
class LazyRun {
  constructor(text, fromText, steps) {
    this.text = text;
    this.fromText = fromText;
    this.steps = steps;
  }

  fill() {
    const { text, fromText, steps } = this;
    if (steps === null) return;
    const full = decodeTimeline(
      guard("simulate", () => (fromText ? simulateText(text, undefined, false) : glue.simulate(text, undefined, false, false))),
    ).steps;
    if (full.length !== steps.length || full.some((s, k) => s.kind !== steps[k].kind || s.narration !== steps[k].narration)) {
      throw Object.assign(new Error("refer-sim: the run again for SIP messages differs"), {
        code: "internal", offset: null,
      });
    }
    this.text = this.steps = null;
    for (let k = 0; k < steps.length; k++) {
      if (Object.getOwnPropertyDescriptor(steps[k], "messages")?.get === stepMessages.get) {
        Object.defineProperty(steps[k], "messages", { value: full[k].messages, writable: true, enumerable: true, configurable: true });
      }
    }
  }
}

/** An enumerable accessor that gives `read(this)`; assigning stores the value as data. */
const onRead = (name, read) => ({
  get() {
    return read(this);
  },
  set(value) {
    Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
  },
  enumerable: true,
  configurable: true,
});
const stepMessages = onRead("messages", (step) => StepLegs.messages(step));


// `timeline.steps` on first read (README, "simulate"), decoded from the light run's result, or
// (`compact` null) from the run the module keeps.
class LazySteps extends Given {
  #steps = null;
  #compact;
  #at;
  #keys;
  #text;
  #fromText;
  #module;
  constructor(timeline, compact, at, keys, text, fromText, module) {
    super(timeline);
    this.#compact = compact;
    this.#at = at;
    this.#keys = keys;
    this.#text = text;
    this.#fromText = fromText;
    this.#module = module;
  }
  /** The steps, decoded on the first read (then a data property). */
  static read(t) {
    if (!(#steps in t)) return undefined;
    if (t.#steps === null) {
      let [compact, at, keys] = [t.#compact, t.#at, t.#keys];
      if (compact === null) {
        // A kept run (`at` its id, `keys` its number of steps): its steps from the module, else its text run again.
        compact = t.#module === current() ? guard("simulate", () => glue.__keptSteps(at)) : "";
        ({ at, keys } = compact === "" ? decodeTimelineHead((compact = guard("simulate", () => simulateText(t.#text, undefined, true))))
          : { at: 0, keys: [] });
      }
      const steps = decodeTimelineSteps(compact, at, keys, stepMessages);
      if (t.#compact === null && steps.length !== t.#keys) throw Object.assign(new Error("refer-sim: the run again differs"), { code: "internal", offset: null });
      withLegs(steps, new LazyRun(t.#text, t.#fromText, steps.slice()));
      t.#steps = steps;
      t.#compact = t.#keys = t.#text = t.#module = null;
      Reflect.defineProperty(t, "steps", { value: steps, writable: true, enumerable: true, configurable: true });
    }
    return t.#steps;
  }
}

const timelineSteps = onRead("steps", (t) => LazySteps.read(t));

export function simulate(scenario, options) {
  let value, stringified, light;
  const compact = guard("simulate", () => {
    let decoding;
    [value, decoding, stringified] = moduleArgs(scenario, options, ["onWebhook", "messages"]);
    // Its entry's `text` is the text just written (scenarioText keeps them equal), and its `id`,
    // when not 0, the module's prepared scenario of that text.
    const known = stringified ? knownTexts.get(scenario) ?? null : null;
    const now = messagesNow(options); // checked with or without onWebhook
    // No onWebhook (which wraps options) to call twice, and no `messages: "now"`.
    light = typeof value === "string" && decoding === options && !now;
    kept = false;
    return stringified ? simulateText(value, decoding, light, known, light) : glue.simulate(value, decoding, false, light);
  });
  if (!light) return timelineWithLegs(decodeTimeline(compact));
  // A kept run's head holds no steps: LazySteps takes them from the module on their first read.
  const head = (kept ? decodeKeptHead : decodeTimelineHead)(compact);
  const timeline = {};
  Object.defineProperty(timeline, "steps", timelineSteps);
  timeline.outcome = head.outcome;
  timeline.explanation = head.explanation;
  timeline.warnings = head.warnings;
  return new LazySteps(timeline, kept ? null : compact, head.at, head.keys, value, stringified, current());
}
/** Internal: see `simulateText`. */
export function __simulateWritten(len, options, light, keep) {
  return guard("__simulateWritten", () => glue.__simulateWritten(len, options, light, keep));
}
export function __simulateKnown(id, options, light, keep) {
  return guard("__simulateKnown", () => glue.__simulateKnown(id, options, light, keep));
}
/** Internal: see `LazySteps`. */
export function __keptSteps(id) {
  return guard("__keptSteps", () => glue.__keptSteps(id));
}
export function __preparedId() {
  return guard("__preparedId", () => glue.__preparedId());
}
/** Internal: see `write`. */
export function __simulateInput(len) {
  return guard("__simulateInput", () => glue.__simulateInput(len));
}
export function scenarios() {
  return decode(guard("scenarios", () => glue.scenarios()));
}
// The parsers return their result in the compact format (src/wasm/compact.rs), decoded
// (pkg/decode.js) into the plain objects the TypeScript types declare.
const parsers = parserExports(glue, guard);
export const parseReferTo = parsers.parseReferTo;
/** Internal: the module export behind parseReferTo's fast path (pkg/decode.js). */
export const __referTo = parsers.__referTo;
export const parseReferMessage = parsers.parseReferMessage;
export const parseTwiml = parsers.parseTwiml;
export const checkTransfer = parsers.checkTransfer;
export const version = parsers.version;
export const __forceTrapForTests = parsers.__forceTrapForTests;
export function initSync(module) {
  return glue.initSync(module);
}
/** Fetches and instantiates the module (browsers, bundlers); resolves to its exports. */
export default function init(moduleOrPath) {
  return glue.default(moduleOrPath);
}
