// The Refer-To inspector: parses what the user types or pastes, a Refer-To value
// (the module's `parseReferTo`) or a whole SIP REFER / header lines from a PBX log
// (`parseReferMessage`), and shows the parts, the ReferTransferTarget the webhook
// would carry, Referred-By, Refer-Sub, Replaces, X- headers, why Twilio would
// refuse it, warnings, or the error with a caret under its byte offset. "Simulate
// this REFER" opens the current scenario with this REFER through the share link
// (`#s=`), which the playground follows.
import { parseReferTo, parseReferMessage, scenarios } from "/pkg/index.js";
import { el, clear, byteToCharIndex, caretPre } from "./dom.js";
import { encodeShared, readShared } from "./share.js";

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

/** Rows of what a pasted REFER says besides its Refer-To. */
function messageRows(m) {
  const by = m.referredBy;
  return [
    ["Pasted", m.form === "request" ? `a whole ${m.requestLine.method} request to ${m.requestLine.uri}` : `${m.headers.length} header line(s)`],
    ["Referred-By", by ? (by.uri ? `${by.raw} (user ${by.uri.user ?? "—"}, host ${by.uri.host ?? "—"})` : by.raw) : null],
    ["Refer-Sub", m.referSub === null ? null : String(m.referSub) + (m.referSub ? "" : " (no NOTIFY subscription, RFC 4488)")],
    ["Replaces", m.replaces],
    ["X- headers of the message", m.customHeaders],
    ["Body", m.body],
  ];
}

/** The current scenario (from the address bar the playground keeps in step), or the catalogue's first. */
function baseScenario() {
  return readShared().value?.scenario ?? scenarios()[0].scenario;
}

/** Wire the panel found in `root` (the section of index.html). */
export function mountReferToPanel(root) {
  const $ = (id) => root.querySelector(`#${id}`);
  const input = $("rt-input");
  const count = $("rt-count");
  const errorBox = $("rt-error");
  const okBox = $("rt-ok");
  // What a pasted REFER adds: its other headers, Twilio's refusals, and the button that simulates it.
  const messageBox = el("div", { attrs: { id: "rt-message", hidden: "" } },
    el("h3", { text: "The pasted REFER" }),
    el("dl", { cls: "parts", attrs: { id: "rt-message-parts" } }),
    el("div", { attrs: { id: "rt-refusals-box", hidden: "" } },
      el("h3", { text: "Twilio would refuse this REFER" }),
      el("ul", { cls: "warnings", attrs: { id: "rt-refusals" } })),
  );
  const simulateButton = el("button", { text: "Simulate this REFER", attrs: { type: "button", id: "rt-simulate", hidden: "" } });
  const simulateNote = el("p", { cls: "hint", attrs: { id: "rt-simulate-note", "aria-live": "polite" } });
  okBox.after(messageBox);
  messageBox.after(simulateButton, simulateNote);
  let refer = null; // the scenario `refer` fields of what is shown

  simulateButton.addEventListener("click", () => {
    if (!refer) return;
    const base = baseScenario();
    const scenario = { ...base, refer: { ...base.refer, ...refer } };
    location.hash = `#s=${encodeShared({ scenario, step: 0 })}`;
    simulateNote.textContent = `Opened the current scenario with this REFER (Refer-To ${JSON.stringify(refer.referTo)}${refer.referSub === false ? ", Refer-Sub: false" : ""}).`;
  });

  function renderList(ul, items, text) {
    clear(ul);
    for (const w of items) {
      const label = { doc: "documented", rfc: "RFC", assumed: "assumed" }[w.tag] ?? w.tag;
      ul.append(el("li", {}, el("span", { cls: `badge ${w.tag}`, text: label }), " ", el("span", { cls: "code", text: w.code }), ` ${text(w)}`));
    }
  }

  function showError(err, value) {
    okBox.hidden = true;
    errorBox.hidden = false;
    $("rt-error-code").textContent = err.code ?? "error";
    $("rt-error-offset").textContent = err.offset ?? "?";
    $("rt-error-message").textContent = err.message;
    const index = byteToCharIndex(value, err.offset ?? 0);
    const old = $("rt-caret");
    old.replaceWith(caretPre(value.replace(/[\r\n]/g, " "), index, { id: "rt-caret", tabindex: "0", "aria-label": old.getAttribute("aria-label") ?? "Where the error is" }));
  }

  function render() {
    const value = input.value;
    messageBox.hidden = true;
    simulateButton.hidden = true;
    simulateNote.textContent = "";
    refer = null;
    if (value.trim() === "") {
      count.textContent = `0 / ${LIMIT} characters`;
      errorBox.hidden = true;
      okBox.hidden = true;
      return;
    }
    // A whole REFER or header lines first; a bare value (bad_start_line) goes to parseReferTo.
    let message = null;
    try {
      message = parseReferMessage(value);
    } catch (err) {
      if (err.code !== "bad_start_line") {
        count.textContent = "";
        return showError(err, value);
      }
    }
    let result;
    if (message) {
      refer = message.scenario;
      messageBox.hidden = false;
      simulateButton.hidden = false;
      const dl = $("rt-message-parts");
      clear(dl);
      for (const [label, v] of messageRows(message)) {
        dl.append(el("dt", { text: label }), el("dd", { text: formatValue(v), cls: v == null ? "absent" : "" }));
      }
      $("rt-refusals-box").hidden = message.refusals.length === 0;
      renderList($("rt-refusals"), message.refusals, (r) => `(${r.status}) at byte ${r.offset}: ${r.message}`);
      const target = message.headers.find((h) => h.canonical === "Refer-To");
      const length = target ? [...target.value].length : 0;
      count.textContent = target ? `Refer-To: ${length} / ${LIMIT} characters` : "no Refer-To header";
      count.classList.toggle("over", length > LIMIT);
      result = message.referTo;
      if (!result) {
        errorBox.hidden = true;
        okBox.hidden = true;
        return;
      }
      result = { ...result, warnings: [...result.warnings, ...message.notes] };
    } else {
      const length = [...value].length;
      count.textContent = `${length} / ${LIMIT} characters`;
      count.classList.toggle("over", length > LIMIT);
      try {
        result = parseReferTo(value);
      } catch (err) {
        return showError(err, value);
      }
      refer = { referTo: value };
      simulateButton.hidden = false;
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
    renderList($("rt-warnings"), warnings, (w) => `at byte ${w.offset}: ${w.message}`);
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
