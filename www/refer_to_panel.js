// The Refer-To inspector: parses what the user types with the module's
// `parseReferTo` and shows the parts, the ReferTransferTarget the webhook would
// carry, warnings, or the error with a caret under its byte offset.
import { parseReferTo } from "/pkg/index.js";
import { el, clear, byteToCharIndex, caretExcerpt } from "./dom.js";

const LIMIT = 256;

/** Render any parsed value as readable text: pairs as `name = value`, objects as `key: value`. */
function formatValue(value) {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) {
    if (value.length === 0) return "—";
    return value
      .map((item) => (Array.isArray(item) && item.length === 2 ? `${item[0]} = ${item[1] ?? "(no value)"}` : formatValue(item)))
      .join("\n");
  }
  if (typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "—";
    return entries.map(([k, v]) => `${k}: ${v === null ? "(no value)" : typeof v === "object" ? formatValue(v) : v}`).join("\n");
  }
  return String(value);
}

function parts(r) {
  const u = r.uri ?? {};
  return [
    ["Display name", r.displayName],
    ["Scheme", u.scheme],
    ["User", u.user],
    ["Password", u.password],
    ["Host", u.host],
    ["Port", u.port],
    ["URI parameters", u.params],
    ["Embedded headers (decoded)", u.headers],
    ["Header parameters", r.params],
    ["User-to-User (UUI)", r.uui],
    ["Custom X- headers", r.customHeaders],
    ["Replaces (attended transfer)", r.replaces],
  ];
}

/** Wire the panel found in `root` (the section of index.html). */
export function mountReferToPanel(root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const input = $("rt-input");
  const count = $("rt-count");
  const errorBox = $("rt-error");
  const okBox = $("rt-ok");

  function render() {
    const value = input.value;
    const length = [...value].length;
    count.textContent = `${length} / ${LIMIT} characters`;
    count.classList.toggle("over", length > LIMIT);
    if (value.trim() === "") {
      errorBox.hidden = true;
      okBox.hidden = true;
      return;
    }
    let result;
    try {
      result = parseReferTo(value);
    } catch (err) {
      okBox.hidden = true;
      errorBox.hidden = false;
      $("rt-error-code").textContent = err.code ?? "error";
      $("rt-error-offset").textContent = err.offset ?? "?";
      $("rt-error-message").textContent = err.message;
      const index = byteToCharIndex(value, err.offset ?? 0);
      $("rt-caret").textContent = caretExcerpt(value.replace(/[\r\n]/g, " "), index);
      return;
    }
    errorBox.hidden = true;
    okBox.hidden = false;
    $("rt-target").textContent = result.transferTarget;
    const dl = $("rt-parts");
    clear(dl);
    for (const [label, v] of parts(result)) {
      dl.append(el("dt", { text: label }), el("dd", { text: formatValue(v), cls: v == null ? "absent" : "" }));
    }
    const warnings = result.warnings ?? [];
    $("rt-warnings-box").hidden = warnings.length === 0;
    const ul = $("rt-warnings");
    clear(ul);
    for (const w of warnings) {
      const label = { doc: "documented", rfc: "RFC", assumed: "assumed" }[w.tag] ?? w.tag;
      ul.append(
        el("li", {}, el("span", { cls: `badge ${w.tag}`, text: label }), " ", el("span", { cls: "code", text: w.code }), ` at byte ${w.offset}: ${w.message}`),
      );
    }
  }

  input.addEventListener("input", render);
  for (const button of root.querySelectorAll("[data-example]")) {
    button.addEventListener("click", () => {
      input.value = button.dataset.example;
      render();
      input.focus();
    });
  }
  input.value = root.querySelector("[data-example]").dataset.example;
  render();
}
