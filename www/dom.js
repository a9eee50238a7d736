// Tiny DOM helpers. Every piece of user-supplied text goes through
// `textContent` (never innerHTML), so nothing pasted is ever parsed as HTML.

/** Create an element with optional class and text content. */
export function el(tag, { cls, text, attrs } = {}, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [k, v] of Object.entries(attrs ?? {})) node.setAttribute(k, v);
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Remove all children of `node`. */
export function clear(node) {
  node.replaceChildren();
}

/**
 * A converter from UTF-8 byte offsets into `text` to JS string (UTF-16) indices. It walks
 * on from the last offset asked, so offsets asked in ascending order (diagnostics in
 * document order) cost one pass over the text in all, never one pass each. A lone
 * surrogate counts three bytes, as `TextEncoder` writes it (U+FFFD).
 */
export function byteIndexer(text) {
  let bytes = 0;
  let index = 0;
  return (byteOffset) => {
    if (byteOffset < bytes) {
      bytes = 0;
      index = 0;
    }
    while (index < text.length) {
      const cp = text.codePointAt(index);
      const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > byteOffset) break;
      bytes += len;
      index += cp > 0xffff ? 2 : 1;
    }
    return index;
  };
}

/** Convert a UTF-8 byte offset into `text` to a JS string (UTF-16) index. */
export function byteToCharIndex(text, byteOffset) {
  return byteIndexer(text)(byteOffset);
}

/**
 * The part of `text`'s line around string index `idx` (at most `radius` characters each
 * side, "…" where the line goes on), with a caret line under `idx`. Only the window is
 * read, so a diagnostic on a 130 KB line costs no more than one on a short line.
 */
export function caretExcerpt(text, idx, radius = 60) {
  const at = Math.max(0, Math.min(idx, text.length));
  const lo = Math.max(0, at - radius);
  const back = text.slice(lo, at).lastIndexOf("\n");
  const from = back >= 0 ? lo + back + 1 : lo;
  const ahead = text.slice(at, at + radius).indexOf("\n");
  const to = ahead >= 0 ? at + ahead : Math.min(text.length, at + radius);
  const head = from > 0 && text[from - 1] !== "\n" ? "…" : "";
  const tail = to < text.length && text[to] !== "\n" ? "…" : "";
  const line = `${head}${text.slice(from, to)}${tail}`.replace(/[\t\r]/g, " ");
  return `${line}\n${" ".repeat([...head, ...text.slice(from, at)].length)}^`;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Create an SVG element with attributes (presentation attributes, never `style`). */
export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) node.setAttribute(k, String(v));
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

const TAG_LABELS = { doc: "documented", rfc: "RFC", assumed: "assumed" };
const TAG_TITLES = {
  doc: "stated by the vendor's documentation",
  rfc: "from a SIP RFC",
  assumed: "a gap refer-sim filled with an assumption",
};

/** The documented / RFC / assumed badge of a provenance tag. */
export function badge(tag) {
  return el("span", { cls: `badge ${tag}`, text: TAG_LABELS[tag] ?? tag, attrs: { title: TAG_TITLES[tag] ?? "" } });
}

/** Format a simulated time in ms as seconds with milliseconds: `20.120 s`. */
export function formatMs(ms) {
  return `${(ms / 1000).toFixed(3)} s`;
}
