// Tiny DOM helpers. Every piece of user-supplied text goes through
// `textContent` (never innerHTML), so nothing pasted is ever parsed as HTML.
import { sourcePage } from "./sources.js";

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
 * The part of `text`'s line around string index `idx` (at most `radius` characters each side,
 * "…" where the line goes on), as { line, col }: `col` is the string index in `line` of the
 * character `idx` points at. Only the window is read, so a diagnostic on a 130 KB line costs
 * no more than one on a short line.
 */
function caretWindow(text, idx, radius = 60) {
  const at = Math.max(0, Math.min(idx, text.length));
  const lo = Math.max(0, at - radius);
  const back = text.slice(lo, at).lastIndexOf("\n");
  const from = back >= 0 ? lo + back + 1 : lo;
  const ahead = text.slice(at, at + radius).indexOf("\n");
  const to = ahead >= 0 ? at + ahead : Math.min(text.length, at + radius);
  const head = from > 0 && text[from - 1] !== "\n" ? "…" : "";
  const tail = to < text.length && text[to] !== "\n" ? "…" : "";
  const line = `${head}${text.slice(from, to)}${tail}`.replace(/[\t\r]/g, " ");
  return { line, col: head.length + at - from };
}

/**
 * The window of `text`'s line around string index `idx` (see `caretWindow`), with a caret line
 * under `idx`: one space per character before it, as text (copied, read aloud, or shown where
 * nothing is laid out). On the page, `caretPre` moves the caret to where the character is drawn.
 */
export function caretExcerpt(text, idx, radius = 60) {
  const { line, col } = caretWindow(text, idx, radius);
  return `${line}\n${" ".repeat([...line.slice(0, col)].length)}^`;
}

/**
 * The left edge of the character at string index `col` of text node `node` as drawn (its right
 * edge past the end), in viewport px, read with a Range; null when nothing is laid out.
 */
function charX(node, col, n = node.length) {
  const range = document.createRange();
  if (n === 0) return null;
  const end = col < n ? col : n - 1;
  const code = node.data.charCodeAt(end);
  range.setStart(node, end);
  range.setEnd(node, Math.min(n, end + (code >= 0xd800 && code <= 0xdbff ? 2 : 1)));
  const rect = range.getClientRects()[0];
  if (!rect) return null;
  return col < n ? rect.left : rect.right;
}

/** Put the caret of `pre` (made by `caretPre`) under its character as drawn: see `caretPre`. */
function placeCaret(pre) {
  const line = pre.firstChild;
  const mark = pre.lastChild;
  const col = Number(pre.dataset.col);
  const want = charX(line, col, line.length - 1); // the text node ends with the line break
  const caret = mark.firstChild;
  const now = caret ? charX(caret, caret.length - 1) : null;
  if (want === null || now === null) return;
  const shift = (parseFloat(mark.style.left) || 0) + want - now;
  mark.style.left = Math.abs(shift) < 0.25 ? "" : `${shift.toFixed(2)}px`;
}

// Carets are placed again when their box changes size (shown after being hidden, a font loaded);
// a caret removed from the page gets its last notice (its size becomes 0) and is let go.
const caretSizes = typeof ResizeObserver === "function" ? new ResizeObserver((entries) => {
  for (const e of entries) {
    if (e.target.isConnected) placeCaret(e.target);
    else caretSizes.unobserve(e.target);
  }
}) : null;

/**
 * A `<pre class="caret">` showing the window of `text`'s line around string index `idx` and a
 * caret under it. Its text is `caretExcerpt`'s (one space per character before the caret), but
 * a space is not as wide as a CJK character or an emoji, even in a monospace font: the caret
 * is moved (CSSOM `left`, which the page's CSP allows) to the character's left edge as the
 * browser drew it, measured with a Range over the text, once the `pre` is laid out.
 */
export function caretPre(text, idx, attrs = {}) {
  const { line, col } = caretWindow(text, idx);
  const spaces = " ".repeat([...line.slice(0, col)].length);
  const pre = el("pre", { cls: "caret", attrs: { ...attrs, "data-col": String(col) } });
  pre.append(document.createTextNode(`${line}\n`), el("span", { cls: "caret-mark", text: `${spaces}^` }));
  caretSizes?.observe(pre);
  return pre;
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

/**
 * The documented / RFC / assumed badge of a provenance tag. For `doc`, `source` (the step's
 * provenance key, an id of src/sources.md) names the vendor page in the tooltip, title and URL,
 * so a trainer can open it (see sources.js).
 */
export function badge(tag, source = null) {
  const page = tag === "doc" ? sourcePage(source) : null;
  const title = page ? `stated by the vendor's page “${page.title}”, ${page.url}` : TAG_TITLES[tag] ?? "";
  return el("span", { cls: `badge ${tag}`, text: TAG_LABELS[tag] ?? tag, attrs: page ? { title, "data-source": source } : { title } });
}

/** Format a simulated time in ms as seconds with milliseconds: `20.120 s`. */
export function formatMs(ms) {
  return `${(ms / 1000).toFixed(3)} s`;
}
