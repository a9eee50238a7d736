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

/** Convert a UTF-8 byte offset into `text` to a JS string (UTF-16) index. */
export function byteToCharIndex(text, byteOffset) {
  const bytes = new TextEncoder().encode(text);
  return new TextDecoder().decode(bytes.slice(0, Math.max(0, Math.min(byteOffset, bytes.length)))).length;
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
