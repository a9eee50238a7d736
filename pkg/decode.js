// Decodes the compact result format written by src/wasm/compact.rs into the plain JS
// objects JSON.parse would make of serde_json's text for the same value (same keys in the
// same order, same values). One string crosses the boundary; this reads it char by char.
//
//   value = NULL(0) | FALSE(1) | TRUE(2) | UINT(3) n | NEG(4) n | STR(5) len text
//         | ARR(6) value* END(9) | OBJ(7) (key value)* END(0) | F64(8) hi lo
//   key   = NEW(1) len text (appended to the key table) | 2 + i (the table's entry i)
// A number n is written in 6-bit digits, least significant first, each but the last with 0x40 set:
// ASCII only, so a result whose texts are ASCII crosses as an ASCII string (the glue's UTF-8
// TextDecoder reads that about 25 times faster than a string with a few 3-byte characters).

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
        // A key named __proto__ is an own property, as JSON.parse makes it, not the prototype.
        if (key === "__proto__") Object.defineProperty(o, key, { value: value(), writable: true, enumerable: true, configurable: true });
        else if (key === "span") o[key] = span();
        else o[key] = value();
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

function corrupt() {
  return new Error(`refer-sim: corrupt result at ${i}`);
}

// Readers of known shapes: the same stream, read into object literals (one hidden class
// each, no property added one by one). Each key is checked against the one expected, so a
// change of layout on the Rust side fails loudly instead of mislabelling a value.

/** The next key (undefined: not in the table), or null at the end of the object. */
function nextKey() {
  const k = num();
  if (k === 0) return null;
  if (k === 1) return keys[keys.push(text()) - 1];
  return k === 2 && kept ? text() : keys[k - first];
}

/** Reads the next key, which must be `name`. */
function key(name) {
  if (nextKey() !== name) throw corrupt();
}

function open() {
  if (s.charCodeAt(i++) !== 7) throw corrupt();
}

function close() {
  if (num() !== 0) throw corrupt();
}

/** `null`, or what `read` reads. */
function nullable(read) {
  if (s.charCodeAt(i) === 0) {
    i++;
    return null;
  }
  return read();
}

/** An array of what `read` reads. */
function list(read) {
  if (s.charCodeAt(i++) !== 6) throw corrupt();
  const a = [];
  while (s.charCodeAt(i) !== 9) a.push(read());
  i++;
  return a;
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

function uri() {
  open();
  const u = {
    scheme: (key("scheme"), value()),
    user: (key("user"), value()),
    password: (key("password"), value()),
    host: (key("host"), value()),
    port: (key("port"), value()),
    params: (key("params"), value()),
    headers: (key("headers"), value()),
  };
  close();
  return u;
}

function uui() {
  open();
  const u = {
    value: (key("value"), value()),
    encoding: (key("encoding"), value()),
    purpose: (key("purpose"), value()),
    content: (key("content"), value()),
  };
  close();
  return u;
}

function replaces() {
  open();
  const r = {
    callId: (key("callId"), value()),
    toTag: (key("toTag"), value()),
    fromTag: (key("fromTag"), value()),
    earlyOnly: (key("earlyOnly"), value()),
  };
  close();
  return r;
}

function warning() {
  open();
  const w = {
    code: (key("code"), value()),
    offset: (key("offset"), value()),
    message: (key("message"), value()),
    tag: (key("tag"), value()),
  };
  close();
  return w;
}

function referTo() {
  open();
  const r = {
    raw: (key("raw"), value()),
    form: (key("form"), value()),
    displayName: (key("displayName"), value()),
    uri: (key("uri"), uri()),
    params: (key("params"), value()),
    transferTarget: (key("transferTarget"), value()),
    uui: (key("uui"), nullable(uui)),
    customHeaders: (key("customHeaders"), value()),
    replaces: (key("replaces"), nullable(replaces)),
    warnings: (key("warnings"), list(warning)),
  };
  close();
  return r;
}

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

/** What `parseReferTo` returns, from its compact result (as `decode`, faster). */
export function decodeReferTo(compact) {
  return run(compact, referTo);
}

/**
 * The parsers both entries export (pkg/index.js, pkg/parsers.js), each call into `glue`
 * run through the entry's `guard` and its compact result decoded; with `version` and the
 * test-only trap, which every module has too. parseReferTo answers in kept mode, its key
 * table `t` held here, one per module; parseTwiml and checkTransfer in their own format.
 */
export function parserExports(glue, guard) {
  const t = [];
  return {
    parseReferTo: (value) => run(guard("parseReferTo", () => glue.parseReferTo(value, t.length)), referTo, t),
    parseReferMessage: (text) => decode(guard("parseReferMessage", () => glue.parseReferMessage(text))),
    parseTwiml: (xml) => decodeParsedTwiml(guard("parseTwiml", () => glue.parseTwiml(xml))),
    checkTransfer: (xml, role) => decodeFindings(guard("checkTransfer", () => glue.checkTransfer(xml, role))),
    version: () => guard("version", () => glue.version()),
    /** Test only: traps the module on purpose (see `__forceTrapForTests` in src/wasm/mod.rs). */
    __forceTrapForTests: () => guard("__forceTrapForTests", () => glue.__forceTrapForTests()),
  };
}
