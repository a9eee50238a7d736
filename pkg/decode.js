// Decodes the compact result format written by src/wasm/compact.rs (its grammar is there) into the
// plain JS objects JSON.parse would make of serde_json's text for the same value (same keys in the
// same order, same values). One string crosses the boundary; this reads it char by char.

import { SHAPES } from "./twiml_shapes.js";

let s = "";
let i = 0;
let keys = [];
const f64 = new DataView(new ArrayBuffer(8));

function num() {
  let c = s.charCodeAt(i++);
  if (c < 0x40) return c;
  if (c > 0x7f) throw corrupt();
  let n = c & 0x3f;
  let scale = 0x40;
  for (;;) {
    c = s.charCodeAt(i++);
    if (c < 0x40) return n + c * scale;
    if (c !== c || c > 0x7f) throw corrupt(); // NaN: past the end
    n += (c & 0x3f) * scale;
    scale *= 0x40;
  }
}

function text() {
  const n = num();
  let t;
  if (strings !== null && n !== 0 && n <= 16) {
    // Reuse the last string seen in this slot (length, end characters) when it matches.
    const slot = (n * 61 + s.charCodeAt(i) * 7 + s.charCodeAt(i + n - 1)) & 511;
    t = strings[slot];
    if (t === undefined || t.length !== n || !s.startsWith(t, i)) strings[slot] = t = s.slice(i, i + n);
  } else {
    t = s.slice(i, i + n);
  }
  i += n;
  return t;
}

/** Short strings `text` reuses while a large TwiML result is read (`twiml`); else null. */
let strings = null;
/** Reading a parser's result in kept mode (src/wasm/compact.rs): key 2 is a map key, 3 + i the table's entry i. */
let kept = false;
/** The token of the key table's entry 0: 2, or 3 in kept mode. */
let first = 2;

function value() {
  switch (s.charCodeAt(i++)) {
    case 0: return null;
    case 1: return false;
    case 2: return true;
    case 3: return num();
    case 4: return -num();
    case 5: return text();
    case 6: {
      const a = [];
      while (s.charCodeAt(i) !== 9) a.push(value());
      i++;
      return a;
    }
    case 7: {
      const o = {};
      for (let key; (key = nextKey()) !== null; ) {
        if (key === undefined) throw corrupt();
        put(o, key, key === "span" ? span() : value());
      }
      return o;
    }
    case 8: {
      f64.setUint32(0, num());
      f64.setUint32(4, num());
      return f64.getFloat64(0);
    }
    default:
      throw new Error(`refer-sim: corrupt result at ${i - 1}`);
  }
}

/** `o[key] = v`; a key named __proto__ an own property, as JSON.parse makes it, not the prototype. */
function put(o, key, v) {
  if (key === "__proto__") Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  else o[key] = v;
}

function corrupt() {
  return new Error(`refer-sim: corrupt result at ${i}`);
}

/** The next key (undefined: not in the table), or null at the end of the object. */
function nextKey() {
  const k = num();
  if (k === 0) return null;
  if (k === 1) return keys[keys.push(text()) - 1];
  return k === 2 && kept ? text() : keys[k - first];
}

/** A TwiML span `{ start, end }` (both numbers) read as one object literal; a value of
 * another shape under a `span` key is read by `value` instead (the reading is undone). */
function span() {
  const at = i;
  const table = keys.length;
  if (s.charCodeAt(i) === 7) {
    i++;
    if (spanKey("start") && s.charCodeAt(i++) === 3) {
      const start = num();
      if (spanKey("end") && s.charCodeAt(i++) === 3) {
        const end = num();
        if (num() === 0) return { start, end };
      }
    }
  }
  i = at;
  keys.length = table;
  return value();
}

function spanKey(name) {
  return nextKey() === name;
}

// The timeline layout (src/wasm/timeline.rs): steps, SIP messages and legs without keys; short
// texts that repeat are names (key table tokens); a SIP message's parts are slices of its text.

/** A name: `1 len text` (appended to the key table) or `2 + i` (its entry i). */
function name() {
  const k = num();
  if (k === 1) return keys[keys.push(text()) - 1];
  const t = keys[k - 2];
  if (t === undefined) throw corrupt();
  return t;
}

/** `null` (0) or a name. */
function nullableName() {
  return s.charCodeAt(i) === 0 ? (i++, null) : name();
}

/** `null` (0) or a text of n units written as `1 + n` and the text. */
function optText() {
  const n = num() - 1;
  return n < 0 ? null : s.slice(i, (i += n));
}

// Object literals read left to right: keys in the order serde writes them. Each kind of item
// has its own loop (one `read` shared by every kind would be a call the engine cannot inline).

/** A timeline: the steps come last in the layout, first in the object. */
function timelineLayout() {
  const { outcome, explanation, warnings } = timelineHead();
  return { steps: steps(), outcome, explanation, warnings };
}

const timelineHead = () => ({ outcome: outcome(), explanation: explanation(), warnings: warnings() });

function steps() {
  const a = [];
  for (let n = num(); n > 0; n--) a.push(lazy === null ? step() : lightStep());
  return a;
}

/** A light run's `messages` accessor, defined in its place. */
let lazy = null;

function lightStep() {
  const o = { atMs: num(), kind: name(), narration: text(), tag: name(), source: nullableName() };
  if (num() !== 0) throw corrupt();
  Object.defineProperty(o, "messages", lazy);
  o.webhook = webhook();
  o.response = response();
  o.alerts = alerts();
  o.changedLegs = legs();
  return o;
}

const step = () => ({
  atMs: num(), kind: name(), narration: text(), tag: name(), source: nullableName(), messages: messages(),
  webhook: webhook(), response: response(), alerts: alerts(), changedLegs: legs(),
});

function messages() {
  const a = [];
  for (let n = num(); n > 0; n--) a.push(sipMessage());
  return a;
}

function sipMessage() {
  // The first line, header values and body are slices of the text (src/wasm/timeline.rs).
  const from = name();
  const to = name();
  const t = text();
  let at = num(); // where the next slice starts
  const firstLine = t.slice(0, at);
  const method = optText();
  const status = num() - 1;
  const reason = optText();
  at += 2;
  const headers = [];
  for (let n = num(); n > 0; n--) {
    const header = name();
    const end = (at += header.length + 2) + num(); // after "name: "
    headers.push([header, t.slice(at, end)]);
    at = end + 2;
  }
  at += 2;
  let body = null;
  if (num() === 1) body = { contentType: text(), text: t.slice(at) };
  if (at !== t.length - (body?.text.length ?? 0)) throw corrupt();
  return { from, to, firstLine, text: t, method, status: status < 0 ? null : status, reason, headers, body };
}

/** `null` (0) or a number n written as `1 + n`. */
function optNum() {
  const n = num();
  return n === 0 ? null : n - 1;
}

function webhook() {
  if (num() === 0) return null;
  return { method: name(), url: text(), purpose: name(), params: params(), body: optText(), queryUrl: optText() };
}

/** A webhook's parameters, `{ name: value }` in order. */
function params() {
  const o = {};
  for (let n = num(); n > 0; n--) put(o, text(), text());
  return o;
}

/** How Twilio read an answer's body, by the layout's `typed` number less one. */
const MEDIA = ["twiml", "audio", "text", "refused"];

function response() {
  if (num() === 0) return null;
  const url = text();
  const status = optNum();
  const n = num();
  const r = n === 1 ? { url, status, sameBodyAs: num() } : { url, status, body: n === 0 ? null : s.slice(i, (i += n - 2)) };
  const m = num();
  if (m > 0) {
    r.contentType = optText();
    r.media = MEDIA[m - 1];
  }
  return r;
}

function alerts() {
  const a = [];
  for (let n = num(); n > 0; n--) a.push({ code: optNum(), message: text() });
  return a;
}

function legs() {
  const a = [];
  for (let n = num(); n > 0; n--) a.push(leg());
  return a;
}

const leg = () => ({
  id: name(), role: name(), label: name(), party: name(), transport: name(), status: name(), bridgedWith: nullableName(),
  onHold: num() === 1, hearing: s.charCodeAt(i) === 0 ? (i++, text()) : name(),
});

function outcome() {
  const connected = [];
  for (let n = num(); n > 0; n--) connected.push([name(), name()]);
  const legs = {};
  for (let n = num(); n > 0; n--) {
    const id = name();
    legs[id] = name();
  }
  return { connected, legs, alerts: alerts(), summary: text() };
}

const explanation = () => ({ cause: text(), fix: optText() });

function warnings() {
  const a = [];
  for (let n = num(); n > 0; n--) a.push({ code: name(), field: text(), message: text() });
  return a;
}

/** What `simulate` and `Simulation.timeline` return, from their result in the timeline layout. */
export function decodeTimeline(compact, messages) {
  lazy = messages ?? null;
  try {
    return run(compact, timelineLayout);
  } finally {
    lazy = null;
  }
}
/** A timeline's outcome, explanation and warnings, and where its steps start (`at`, the key table `keys` there). */
export function decodeTimelineHead(compact) {
  s = compact;
  i = 0;
  keys = [];
  try {
    const head = timelineHead();
    head.at = i;
    head.keys = keys;
    return head;
  } finally {
    s = "";
    keys = [];
  }
}

/** A kept run's head (src/wasm/timeline.rs) as `decodeTimelineHead`'s, `at` its id and `keys` its number of steps. */
export function decodeKeptHead(compact) {
  return run(compact, keptHead);
}

function keptHead() {
  const at = num();
  const keys = num();
  return { outcome: outcome(), explanation: explanation(), warnings: warnings(), at, keys };
}

/** The steps of `compact` from `at` with `decodeTimelineHead`'s `table` (appended to: once), `messages` as `decodeTimeline`'s. */
export function decodeTimelineSteps(compact, at, table, messages) {
  lazy = messages ?? null;
  s = compact;
  i = at;
  keys = table;
  try {
    const v = steps();
    if (i !== s.length) throw corrupt();
    return v;
  } finally {
    lazy = null;
    s = "";
    keys = [];
  }
}

/** Steps in the timeline layout (`Simulation.steps`; `Simulation.step`, one of them). */
export const decodeSteps = (compact) => run(compact, steps);
/** Legs in the timeline layout (`Simulation.snapshot`). */
export const decodeLegs = (compact) => run(compact, legs);

/** `read` of `compact`; with `table`, a parser's result in kept mode (src/wasm/compact.rs), its keys held there. */
function run(compact, read, table) {
  s = compact;
  i = 0;
  keys = [];
  kept = table !== undefined;
  first = kept ? 3 : 2;
  try {
    if (kept) {
      // How many of the entries held the module may use: fewer after it started afresh.
      const n = num();
      if (n > table.length) throw corrupt();
      table.length = n;
      keys = table;
    }
    const v = read();
    if (i !== s.length) throw corrupt();
    return v;
  } finally {
    s = "";
    keys = [];
    kept = false;
    first = 2;
  }
}

/** The plain JS value that `compact` (a string from the module) stands for. */
export function decode(compact) {
  return run(compact, value);
}

// parseTwiml's format (src/twiml/compact.rs): typed nodes are made by pkg/twiml_shapes.js from
// their present fields, other objects have a fixed layout.

const SEVERITIES = ["error", "warning", "info"];
const PROVENANCES = ["doc", "rfc", "assumed"];

function bad() {
  throw corrupt();
}

function twSpan() {
  const start = num();
  return { start, end: num() };
}

function twAttrs() {
  const a = [];
  for (let n = num(); n > 0; n--) a.push({ name: text(), value: text(), span: twSpan() });
  return a;
}

function twChildren() {
  const a = [];
  for (let t; (t = num()) !== 0; ) a.push(twNode(t));
  return a;
}

/** The typed node being read: its fields asked so far, and the index of its next present one (0: none). */
let asked = 0;
let field = 0;

/** The next field of the typed node being read, or null when absent. */
function twField() {
  if (++asked !== field) return null;
  let v;
  switch (s.charCodeAt(i++)) {
    case 1: v = false; break;
    case 2: v = true; break;
    case 3: v = num(); break;
    case 5: v = text(); break;
    default: bad();
  }
  field = num();
  return v;
}

function twNode(t) {
  switch (t) {
    case 1: return { type: "Text", value: text(), span: twSpan() };
    case 2: return { type: "Unknown", name: text(), attributes: twAttrs(), children: twChildren(), span: twSpan() };
    case 3: return { type: "text", value: text(), span: twSpan() };
    case 4: return { type: "element", name: text(), attributes: twAttrs(), children: twChildren(), span: twSpan() };
  }
  const make = SHAPES[t - 5] ?? bad();
  asked = 0;
  field = num();
  return make(twField, twRest, twChildren, twSpan);
}

/** Attributes, once every field is read (one left: out of order). */
function twRest() {
  return field === 0 ? twAttrs() : bad();
}

function twDiagnostic() {
  let p;
  let v;
  return {
    code: text(), severity: SEVERITIES[num()] ?? bad(), message: text(), span: twSpan(), line: num(), column: num(),
    tag: num() === 0 ? null : text(), provenance: PROVENANCES[(p = num())] ?? bad(), source: p === 0 ? text() : null,
    vendorCode: (v = num()) === 0 ? null : v - 1,
  };
}

function parsedTwiml() {
  const r = num();
  const response = r === 0 ? null : r === 1 ? { attributes: twAttrs(), children: twChildren(), span: twSpan() } : bad();
  return { response, diagnostics: findings() };
}

function findings() {
  const diagnostics = [];
  for (let k = num(); k > 0; k--) diagnostics.push(twDiagnostic());
  return diagnostics;
}

/** `read`, sharing repeated short strings in a result of 64k units or more (see `text`). */
function twiml(read) {
  if (s.length < 1 << 16) return read();
  strings = new Array(512);
  try {
    return read();
  } finally {
    strings = null;
  }
}

/** What `parseTwiml` returns, from its result. */
export function decodeParsedTwiml(compact) {
  return run(compact, () => twiml(parsedTwiml));
}

/** What `checkTransfer` returns, from its result. */
export function decodeFindings(compact) {
  return run(compact, () => twiml(findings));
}


// parseReferTo's fast path: the value goes as UTF-8 into a buffer in wasm memory; the module's
// `__referTo` (src/wasm/refer_to_fast.rs has the layout) answers with the address of the result,
// read there: texts that are slices of the value are cut from it, the others come from one pool.
// A value that does not parse, is not a string, or is long goes through `slow`, which throws.
function referToFast(glue, guard, slow) {
  const utf8 = new TextEncoder();
  const pooled = new TextDecoder();
  let wasm, u8, sub, value, pool, p, q;

  /** Writes `value` into the module and parses it: the result's address, 0 (no parse) or -1 (no module). */
  function call() {
    let w;
    try {
      w = glue.initSync();
    } catch {
      return -1;
    }
    // A lone surrogate would become U+FFFD in the buffer: the slow path throws lone_surrogate.
    if (value.isWellFormed?.() !== true) return -1;
    if (w !== wasm || sub.byteLength === 0) {
      // Another instance (after a trap), or the memory grew.
      const input = w.__referTo(-1) >>> 0;
      wasm = w;
      u8 = new Uint8Array(w.memory.buffer);
      sub = u8.subarray(input, input + 1536);
    }
    const at = w.__referTo(utf8.encodeInto(value, sub).written) >>> 0;
    if (u8.byteLength === 0) u8 = new Uint8Array(w.memory.buffer);
    return at;
  }

  function num() {
    let c = u8[p++];
    let n = c & 0x7f;
    for (let scale = 0x80; c > 0x7f; scale *= 0x80) n += ((c = u8[p++]) & 0x7f) * scale;
    return n;
  }

  /** null, a slice of the value, or the pool's next text. */
  function str() {
    const tag = u8[p++];
    if (tag === 0) return null;
    if (tag === 1) {
      const at = num();
      return value.slice(at, at + num());
    }
    const at = q;
    q += num();
    return pool.slice(at, q);
  }

  /** `{ name: value }` in order (see `put`). */
  function params() {
    const o = {};
    for (let n = num(); n > 0; n--) put(o, str(), str());
    return o;
  }

  const u32 = (at) => u8[at] + u8[at + 1] * 0x100 + u8[at + 2] * 0x10000 + u8[at + 3] * 0x1000000;

  function read(at) {
    const end = at + u32(at);
    const bytes = u32(at + 4);
    pool = bytes === 0 ? "" : pooled.decode(u8.subarray(end, end + bytes));
    p = at + 8;
    q = 0;
    const form = u8[p++] === 0 ? "name-addr" : "addr-spec";
    const displayName = str();
    const scheme = SCHEMES[u8[p++]];
    const user = str();
    const password = str();
    const host = str();
    const port = u8[p++] === 0 ? null : num();
    const uriParams = params();
    const headers = [];
    for (let n = num(); n > 0; n--) headers.push([str(), str()]);
    const uri = { scheme, user, password, host, port, params: uriParams, headers };
    const headerParams = params();
    const lead = num();
    const transferTarget = value.slice(lead, value.length - num());
    const uui = u8[p++] === 0 ? null : { value: str(), encoding: str(), purpose: str(), content: str() };
    const customHeaders = [];
    for (let n = num(); n > 0; n--) {
      const h = headers[num()];
      customHeaders.push([h[0], h[1]]);
    }
    const replaces = u8[p++] === 0 ? null : { callId: str(), toTag: str(), fromTag: str(), earlyOnly: u8[p++] === 1 };
    const warnings = [];
    for (let n = num(); n > 0; n--) warnings.push({ code: str(), offset: num(), message: str(), tag: str() });
    if (p !== end || q !== pool.length || scheme === undefined) throw new Error(`refer-sim: corrupt result at ${p}`);
    return { raw: value, form, displayName, uri, params: headerParams, transferTarget, uui, customHeaders, replaces, warnings };
  }

  return (v) => {
    if (typeof v !== "string" || v.length > 512) return slow(v);
    value = v;
    try {
      const at = guard("parseReferTo", call);
      return at > 0 ? read(at) : slow(v);
    } finally {
      value = pool = "";
    }
  };
}

const SCHEMES = ["sip", "sips", "tel"];

/**
 * The parsers both entries export (pkg/index.js, pkg/parsers.js), each call into `glue`
 * run through the entry's `guard` and its compact result decoded; with `version` and the
 * test-only trap, which every module has too. parseReferTo answers in kept mode, its key
 * table `t` held here, one per module; parseTwiml and checkTransfer in their own format.
 */
export function parserExports(glue, guard) {
  const t = [];
  const slow = (v) => run(guard("parseReferTo", () => glue.parseReferTo(v, t.length)), value, t);
  return {
    parseReferTo: referToFast(glue, guard, slow),
    /** Internal: the module's fast-path export behind parseReferTo (see `referToFast`). */
    __referTo: (len) => guard("__referTo", () => glue.__referTo(len)),
    parseReferMessage: (text) => decode(guard("parseReferMessage", () => glue.parseReferMessage(text))),
    parseTwiml: (xml) => decodeParsedTwiml(guard("parseTwiml", () => glue.parseTwiml(xml))),
    checkTransfer: (xml, role) => decodeFindings(guard("checkTransfer", () => glue.checkTransfer(xml, role))),
    version: () => guard("version", () => glue.version()),
    /** Test only: traps the module on purpose (see `__forceTrapForTests` in src/wasm/mod.rs). */
    __forceTrapForTests: () => guard("__forceTrapForTests", () => glue.__forceTrapForTests()),
  };
}
