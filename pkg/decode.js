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

/** Short strings `text` reuses while decodeTwiml reads a large result; else null. */
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

/** A count, then that many of what `read` reads. */
function counted(read) {
  const a = [];
  for (let n = num(); n > 0; n--) a.push(read());
  return a;
}

// Object literals read left to right: keys in the order serde writes them.
const timelineLayout = () => ({ steps: counted(step), outcome: value(), explanation: value(), warnings: value() });

const step = () => ({
  atMs: num(), kind: name(), narration: text(), tag: name(), source: nullableName(), messages: counted(sipMessage),
  webhook: value(), response: value(), alerts: value(), changedLegs: counted(leg),
});

function sipMessage() {
  const slices = num() === 0; // else its parts are written out
  const from = name();
  const to = name();
  const t = text();
  let at = slices ? num() : 0; // where the next slice starts
  const firstLine = slices ? t.slice(0, at) : text();
  const method = optText();
  const status = num() - 1;
  const reason = optText();
  at += 2;
  const headers = counted(() => {
    const header = name();
    if (!slices) return [header, text()];
    const end = (at += header.length + 2) + num(); // after "name: "
    const value = t.slice(at, end);
    at = end + 2;
    return [header, value];
  });
  at += 2;
  let body = null;
  if (num() === 1) body = { contentType: text(), text: slices ? t.slice(at) : text() };
  if (slices && at !== t.length - (body?.text.length ?? 0)) throw corrupt();
  return { from, to, firstLine, text: t, method, status: status < 0 ? null : status, reason, headers, body };
}

const leg = () => ({
  id: name(), role: name(), label: name(), party: name(), transport: name(), status: name(), bridgedWith: nullableName(),
  onHold: num() === 1, hearing: s.charCodeAt(i) === 0 ? (i++, text()) : name(),
});

/** What `simulate` and `Simulation.timeline` return, from their result in the timeline layout. */
export const decodeTimeline = (compact) => run(compact, timelineLayout);
/** Steps in the timeline layout (`Simulation.steps`; `Simulation.step`, one of them). */
export const decodeSteps = (compact) => run(compact, () => counted(step));
/** Legs in the timeline layout (`Simulation.snapshot`). */
export const decodeLegs = (compact) => run(compact, () => counted(leg));

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

/**
 * `value` for parseTwiml and checkTransfer: a result of 64k units or more shares one string
 * per repeated short value (1 MiB of <Pause/> made 131k strings "Pause": 4 MB of heap).
 * Smaller results gain nothing from the lookups.
 */
function twiml() {
  if (s.length < 1 << 16) return value();
  strings = new Array(512);
  try {
    return value();
  } finally {
    strings = null;
  }
}

/** `decode` for parseTwiml and checkTransfer (see `twiml`). */
export function decodeTwiml(compact) {
  return run(compact, twiml);
}

/** What `parseReferTo` returns, from its compact result (as `decode`, faster). */
export function decodeReferTo(compact) {
  return run(compact, referTo);
}

/**
 * The parsers both entries export (pkg/index.js, pkg/parsers.js), each call into `glue`
 * run through the entry's `guard` and its compact result decoded; with `version` and the
 * test-only trap, which every module has too. parseReferTo, parseTwiml and checkTransfer
 * answer in kept mode, their key table `t` held here, one per module.
 */
export function parserExports(glue, guard) {
  const t = [];
  return {
    parseReferTo: (value) => run(guard("parseReferTo", () => glue.parseReferTo(value, t.length)), referTo, t),
    parseReferMessage: (text) => decode(guard("parseReferMessage", () => glue.parseReferMessage(text))),
    parseTwiml: (xml) => run(guard("parseTwiml", () => glue.parseTwiml(xml, t.length)), twiml, t),
    checkTransfer: (xml, role) => run(guard("checkTransfer", () => glue.checkTransfer(xml, role, t.length)), twiml, t),
    version: () => guard("version", () => glue.version()),
    /** Test only: traps the module on purpose (see `__forceTrapForTests` in src/wasm/mod.rs). */
    __forceTrapForTests: () => guard("__forceTrapForTests", () => glue.__forceTrapForTests()),
  };
}
