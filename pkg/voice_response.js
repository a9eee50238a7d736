// VoiceResponse and TwimlElement: twilio-node's builder call shapes, recorded as JS data and
// written by the module once, at toString() (no wasm-bindgen object per call). Arguments are
// read, checked and refused with the same codes and messages, at the same call, as by the Rust
// bindings before (see src/wasm/twiml.rs); unusual names and text are judged by the module.
// The calls are kept in the compact text of `replay_encoded` (src/twiml/builder.rs).
import { BUSY, GEN, refErr } from "./heal.js";

/** The document an element belongs to (null once freed). */
const DOC = Symbol("refer-sim document");
const ID = Symbol("refer-sim element id");
const TAG = Symbol("refer-sim element tag");
/** Only this module makes live TwimlElements. */
const MADE_HERE = Symbol("refer-sim builder");

/** Limits of one builder call, as in the Rust bindings (ours). */
const MAX_ARG_ITEMS = 10000;
const MAX_ATTRIBUTES = 1000;
const MAX_DEPTH = 32;

/** Builder methods allowed on each element (twilio-node 6.2.0's classes; `methods_of` in builder.rs). */
const METHODS = {
  Response: new Set(["dial", "enqueue", "gather", "hangup", "leave", "pause", "play", "record", "redirect", "refer", "reject", "say"]),
  Dial: new Set(["client", "conference", "number", "queue", "sim", "sip"]),
  Gather: new Set(["pause", "play", "say"]),
  Refer: new Set(["sip"]),
};
const RESPONSE_METHODS = ["dial", "say", "play", "pause", "gather", "hangup", "redirect", "reject", "enqueue", "leave", "record", "refer"];
const ELEMENT_METHODS = ["sip", "number", "client", "conference", "queue", "sim", "say", "play", "pause"];

/** Names and texts these accept are XML for sure; anything else is left to the module to judge. */
const PLAIN_NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*$/;
const PLAIN_TEXT = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD]*$/;

/** An object argument (`"" + {}` reads `[object Object]`). */
const OBJECT = { object: true };

const wellFormed = String.prototype.isWellFormed
  ? (s) => s.isWellFormed()
  : (s) => !/\p{Surrogate}/u.test(s);

/** An Error as the Rust bindings threw them: `code`, `offset` (null) and, for a field, `field`. */
function bindingError(code, message, field) {
  const e = new Error(message);
  e.code = code;
  e.offset = null;
  if (field !== undefined) e.field = field;
  return e;
}

/** A string argument, refused if it holds a lone surrogate. */
function text(s, field) {
  if (!wellFormed(s)) {
    throw bindingError("lone_surrogate", `${field} holds a lone surrogate (half of a UTF-16 pair), which no SIP or XML text can carry`, field);
  }
  return s;
}

/** One call's argument reading: null, a string, an array of these, or OBJECT. */
function arg(st, v, depth, field) {
  if (v === undefined || v === null) return null;
  const t = typeof v;
  if (t === "string") return text(v, `${st.method}: ${field}`);
  if (t === "boolean") return v ? "true" : "false";
  if (t === "number") return String(v);
  if (Array.isArray(v)) {
    if (depth >= MAX_DEPTH) return null;
    const items = Array.prototype.slice.call(v);
    st.items += items.length;
    if (st.items > MAX_ARG_ITEMS) throw bindingError("too_large", `${st.method}: ${field} holds more than ${MAX_ARG_ITEMS} array items`);
    const list = new Array(items.length);
    for (let i = 0; i < items.length; i++) list[i] = arg(st, items[i], depth + 1, field);
    return list;
  }
  return OBJECT;
}

/** JS's `"" + v`. */
function jsString(a) {
  if (a === null) return "null";
  if (typeof a === "string") return a;
  if (a === OBJECT) return "[object Object]";
  return join(a, ",");
}

/** `Array.prototype.join`: null items are empty. */
function join(items, sep) {
  let out = "";
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += sep;
    if (items[i] !== null) out += jsString(items[i]);
  }
  return out;
}

/** A length-prefixed string of the compact call text. */
const str = (s) => `${s.length},${s}`;

/**
 * The classes, bound to one module: `heal` is its healer (pkg/heal.js), `write(calls)` the
 * module's `__twimlWrite` (the document of recorded calls, or the builder's error).
 */
export function builderClasses(heal, write) {
  const live = (obj) => obj[DOC] != null;
  const writeGuarded = (call, calls) => heal.guard(call, () => write(calls));

  /** Enters a call on `obj`: throws freed, stale or busy, else marks it busy. */
  function enter(obj, call, className) {
    heal.usable(obj, call, className, live);
    obj[BUSY] = true;
  }

  /** `method(a, b)` on `node`: reads, checks and records the call; returns the new element. */
  function add(node, method, call, a, b) {
    const st = { method, items: 0 };
    let attrs = a;
    let txt = b;
    if (typeof a === "string" || (a !== undefined && a !== null && typeof a !== "object")) {
      attrs = b;
      txt = a;
    }
    let names = "";
    let calls = "";
    let count = 0;
    let plain = true;
    let keys = 0;
    if (typeof attrs === "object" && attrs !== null && !Array.isArray(attrs)) {
      const entries = Object.entries(attrs);
      if (entries.length > MAX_ATTRIBUTES) {
        throw bindingError("too_large", `${method}: ${entries.length} attributes, over the limit of ${MAX_ATTRIBUTES}`);
      }
      for (let i = 0; i < entries.length; i++) {
        const key = text(entries[i][0], `${method}: an attribute name`);
        const v = arg(st, entries[i][1], 0, key);
        if (!PLAIN_NAME.test(key)) plain = false;
        names += str(key) + "0,";
        keys++;
        if (v === null) continue;
        calls += str(key) + str(Array.isArray(v) ? join(v, " ") : jsString(v));
        count++;
      }
    }
    const t = txt === undefined || txt === null ? null : jsString(arg(st, txt, 0, "the text"));
    const doc = node[DOC];
    const tag = node[TAG];
    if (!METHODS[tag]?.has(method)) throw bindingError("not_allowed", `<${tag}> has no method \`${method}\``);
    const textPart = t === null ? "-" : str(t);
    // An unusual name or text: the module judges it (and words the error) with the same checks.
    if (!plain || (t !== null && !PLAIN_TEXT.test(t))) writeGuarded(call, `c0,3,say${keys},${names}${textPart}`);
    doc.enc += `c${node[ID]},${str(method)}${count},${calls}${textPart}`;
    const id = doc.count++;
    return new TwimlElement(MADE_HERE, doc, id, method[0].toUpperCase() + method.slice(1));
  }

  function addText(node, call, t) {
    if (typeof t !== "string") throw bindingError("not_a_string", "addText expects a string");
    text(t, "addText: the text");
    const part = `t${node[ID]},${str(t)}`;
    if (!PLAIN_TEXT.test(t)) writeGuarded(call, `t0,${str(t)}`);
    node[DOC].enc += part;
  }

  /** Defines the shared methods on `proto` for `className`. */
  function define(proto, className, methods) {
    const put = (name, value) => Object.defineProperty(proto, name, { value, writable: true, configurable: true });
    for (const m of methods) {
      const call = `${className}.${m}`;
      put(m, function (attributes, text) {
        enter(this, call, className);
        try {
          return add(this, m, call, attributes, text);
        } finally {
          this[BUSY] = false;
        }
      });
    }
    const addTextCall = `${className}.addText`;
    put("addText", function (text) {
      enter(this, addTextCall, className);
      try {
        addText(this, addTextCall, text);
      } finally {
        this[BUSY] = false;
      }
    });
    const toStringCall = `${className}.toString`;
    put("toString", function () {
      enter(this, toStringCall, className);
      try {
        return writeGuarded(toStringCall, this[DOC].enc);
      } finally {
        this[BUSY] = false;
      }
    });
    const freeCall = `${className}.free`;
    put("free", function () {
      if (this === null || typeof this !== "object" || !live(this)) return;
      if (this[BUSY]) throw refErr("busy", freeCall, `this ${className} is in the middle of a call (a callback cannot free it)`);
      this[DOC] = null;
    });
    if (Symbol.dispose) put(Symbol.dispose, proto.free);
  }

  /** A `<Response>` under construction, with twilio-node's `VoiceResponse` methods. */
  class VoiceResponse {
    /** An empty `<Response>`. */
    constructor() {
      this[DOC] = { enc: "", count: 1 };
      this[ID] = 0;
      this[TAG] = "Response";
      this[GEN] = heal.generation();
      this[BUSY] = false;
    }
  }

  /** An element added by a builder method; its methods are those twilio-node offers on it. */
  class TwimlElement {
    constructor(token, doc, id, tag) {
      if (token !== MADE_HERE) return; // not made by refer-sim: every call throws `freed`
      this[DOC] = doc;
      this[ID] = id;
      this[TAG] = tag;
      this[GEN] = heal.generation();
      this[BUSY] = false;
    }

    /** The element name (`Dial`, `Sip`, ...). */
    get tag() {
      heal.usable(this, "TwimlElement.tag", "TwimlElement", live);
      return this[TAG];
    }
  }

  define(VoiceResponse.prototype, "VoiceResponse", RESPONSE_METHODS);
  define(TwimlElement.prototype, "TwimlElement", ELEMENT_METHODS);
  return { VoiceResponse, TwimlElement };
}
