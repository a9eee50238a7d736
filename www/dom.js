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
