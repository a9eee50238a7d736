// Share and export: the whole scenario and the current step round-trip through the
// URL (`#s=` + base64url of JSON) and through a JSON file (download / open); the
// ladder exports as an SVG file and as Mermaid `sequenceDiagram` text for slides.
import { el, formatMs } from "./dom.js";

const FORMAT = "refer-sim-playground/1";

/** UTF-8 JSON → base64url (no padding). */
export function encodeShared(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** base64url → value; throws on malformed input. */
export function decodeShared(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
}

/** Accepts what the page writes ({format, id, scenario, step}) or a bare scenario. */
function normalise(data) {
  if (!data || typeof data !== "object") throw new Error("not a JSON object");
  if (data.scenario && typeof data.scenario === "object") {
    return { id: typeof data.id === "string" ? data.id : null, scenario: data.scenario, step: Number.isInteger(data.step) ? data.step : 0 };
  }
  if (typeof data.initialTwiml === "string") return { id: null, scenario: data, step: 0 };
  throw new Error("no scenario in it");
}

function payload({ id, edited, scenario, step }) {
  return { format: FORMAT, id: edited ? null : id, basedOn: id, scenario, step };
}

/** Read `#s=...` from the current URL: { value } or { error }, { round } (`#round=SEED`, a free-quiz random round) or {} when absent. */
export function readShared(hash = location.hash) {
  const round = /^#round=(\d{1,9})$/.exec(hash);
  if (round) return { round: Number(round[1]) };
  // A round link whose seed is not a whole number from 1 up says what is wrong with it (newuser5
  // #9: #round=abc, #round=12.5 and #round=-3 opened the first scenario without a word).
  const bad = /^#round=(.*)$/.exec(hash);
  if (bad) {
    let seed = bad[1];
    try { seed = decodeURIComponent(seed); } catch { /* shown as typed */ }
    const why = seed === "" ? "it names no seed"
      : /^-\d+$/.test(seed) ? `its seed ${seed} is negative`
      : /^-?\d*\.\d+$/.test(seed) ? `its seed ${seed} is not a whole number`
      : /^\d+$/.test(seed) ? `its seed ${seed} is too long`
      : `its seed "${seed.slice(0, 40)}" is not a number`;
    return { error: `a round link's seed is a whole number from 1 to 99,999, and ${why}` };
  }
  const m = /^#s=([A-Za-z0-9_-]+)$/.exec(hash);
  if (!m) return {};
  try {
    const data = decodeShared(m[1]);
    const value = normalise(data);
    if (!value.id && data.basedOn) value.id = data.basedOn; // keeps the picker's group/title
    return { value };
  } catch (err) {
    return { error: err.message };
  }
}

/** The share link of a view. */
export function shareLink(view) {
  return `${location.origin}${location.pathname}#s=${encodeShared(payload(view))}`;
}

/** The link of the free quiz's random round `seed`: it names the seed, no scenario. */
export function roundLink(seed) {
  return `${location.origin}${location.pathname}#round=${seed}`;
}

let pending = null;
/**
 * Keep the address bar in step with what is shown (debounced; no history entries). While the
 * free quiz conceals how the scenario ends (`concealed`), the address carries no scenario: its
 * `#s=` held the catalogue id ("agentb-busy-aob-true") and the endpoints, a base64 decode away
 * from the answer. While a random round runs (`round`, its seed) the address is the round's
 * link, `#round=SEED`, whatever the quiz conceals: a trainer can send the class the same round.
 */
export function writeLocation(view, concealed = false, round = null) {
  if (!view.scenario) return;
  clearTimeout(pending);
  const to = round !== null ? `#round=${round}` : concealed ? `${location.pathname}${location.search}` : `#s=${encodeShared(payload(view))}`;
  pending = setTimeout(() => history.replaceState(null, "", to), 120);
}

function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el("a", { attrs: { href: url, download: name } });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Characters Mermaid would interpret in a message, a note or a participant's name, as its entity codes. */
const MERMAID_ENTITY = { "#": "#35;", ";": "#59;", "%": "#37;", "<": "#60;", ">": "#62;", "&": "#38;", '"': "#34;", "{": "#123;", "}": "#125;" };

/**
 * Escape text for a Mermaid message, note or participant name: `%%` would start a comment
 * or an `%%{init}%%` directive, `;` ends a statement, `#…;` is an entity, `<…>` is HTML.
 * One pass, so the entity codes themselves are never escaped again.
 */
export function mermaidText(s) {
  return String(s).replace(/[\r\n]+/g, " ").replace(/[#;%<>&"{}]/g, (c) => MERMAID_ENTITY[c]);
}

/** A Mermaid `title` line takes plain text only (no `#`, `;` or `%`, and no entity codes). */
function mermaidTitle(s) {
  return String(s).replace(/[\r\n]+/g, " ").replace(/[#;%]/g, " ").replace(/\s+/g, " ").trim();
}

/** The ladder as Mermaid `sequenceDiagram` text: the title, every message at its simulated time, and the outcome. */
export function mermaid(model, { title = "", outcome = "" } = {}) {
  const id = (x) => `p_${x.replace(/[^A-Za-z0-9]/g, "_")}`;
  const lines = ["sequenceDiagram"];
  if (title) lines.push(`    title ${mermaidTitle(title)}`);
  for (const c of model.columns) lines.push(`    participant ${id(c.id)} as ${mermaidText(c.label)}`);
  for (const row of model.rows) {
    const text = mermaidText(`${formatMs(row.atMs)} · ${row.sub ? `${row.label} (${row.sub})` : row.label}`);
    if (row.kind === "note") {
      lines.push(`    Note over ${id("twilio")}: ${text}`);
    } else {
      const arrow = row.failed ? "--x" : row.response ? "-->>" : "->>";
      lines.push(`    ${id(row.from)}${arrow}${id(row.to)}: ${text}`);
    }
  }
  if (outcome && model.columns.length) {
    const span = model.columns.length > 1 ? `${id(model.columns[0].id)},${id(model.columns.at(-1).id)}` : id(model.columns[0].id);
    lines.push(`    Note over ${span}: ${mermaidText(`Outcome: ${outcome}`)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The exported SVG file's text (for the download and the tests). */
export function svgFileText(node) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(node)}\n`;
}

/**
 * Mount the share/export controls. `hooks` = { get(), ladderSvg() (a fresh captioned export drawing),
 * ladderModel(), caption() ({ title, outcome } of what is shown), open(shared) }. Returns
 * { showRound(seed) }: the round's link block (placed before `root`, so it shows while the quiz
 * conceals `root`) for a random round's seed, hidden for null.
 */
export function mountShare(root, hooks) {
  const status = el("p", { cls: "share-status", attrs: { role: "status", "aria-live": "polite", id: "share-status" } });
  const say = (t) => { status.textContent = t; };
  const name = () => {
    const v = hooks.get();
    return `refer-sim-${v.edited || !v.id ? "custom" : v.id}`;
  };

  // Link
  const linkOut = el("input", { attrs: { type: "text", id: "share-link", readonly: "", "aria-label": "Share link" } });
  const linkBtn = el("button", { text: "Copy share link", attrs: { type: "button", id: "share-make" } });
  linkBtn.addEventListener("click", async () => {
    linkOut.value = shareLink(hooks.get());
    linkOut.select();
    try {
      await navigator.clipboard.writeText(linkOut.value);
      say("Link copied: it opens this scenario at this step.");
    } catch {
      say("Link ready below: copy it from the field (the clipboard is not available here).");
    }
  });

  // JSON file
  const jsonBtn = el("button", { text: "Download scenario (.json)", attrs: { type: "button", id: "export-json" } });
  jsonBtn.addEventListener("click", () => {
    download(`${name()}.json`, "application/json", `${JSON.stringify(payload(hooks.get()), null, 2)}\n`);
    say("Scenario saved as JSON.");
  });
  const fileIn = el("input", { attrs: { type: "file", id: "import-json", accept: ".json,application/json" } });
  fileIn.addEventListener("change", async () => {
    const file = fileIn.files?.[0];
    if (!file) return;
    try {
      const shared = normalise(JSON.parse(await file.text()));
      hooks.open(shared);
      say(`Opened ${file.name}.`);
    } catch (err) {
      say(`Could not open ${file.name}: ${err.message}`);
    }
    fileIn.value = "";
  });

  // SVG and Mermaid
  const svgBtn = el("button", { text: "Download ladder (.svg)", attrs: { type: "button", id: "export-svg" } });
  svgBtn.addEventListener("click", () => {
    const node = hooks.ladderSvg();
    if (!node) return;
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(node)}\n`;
    download(`${name()}-ladder.svg`, "image/svg+xml", text);
    say("Ladder saved as SVG.");
  });
  const mmd = el("textarea", { attrs: { id: "mermaid-text", rows: "8", readonly: "", spellcheck: "false", "aria-label": "Mermaid sequenceDiagram text" } });
  const mmdBtn = el("button", { text: "Show Mermaid text", attrs: { type: "button", id: "export-mermaid" } });
  const mmdCopy = el("button", { text: "Copy Mermaid", attrs: { type: "button", id: "copy-mermaid" } });
  const mmdSave = el("button", { text: "Download .mmd", attrs: { type: "button", id: "download-mermaid" } });
  const fillMermaid = () => {
    mmd.value = mermaid(hooks.ladderModel(), hooks.caption());
    return mmd.value;
  };
  mmdBtn.addEventListener("click", () => { fillMermaid(); mmd.focus(); say("Mermaid text below: paste it into a slide or a Markdown file."); });
  mmdCopy.addEventListener("click", async () => {
    fillMermaid();
    mmd.select();
    try { await navigator.clipboard.writeText(mmd.value); say("Mermaid text copied."); } catch { say("Select the text and copy it (the clipboard is not available here)."); }
  });
  mmdSave.addEventListener("click", () => { download(`${name()}.mmd`, "text/plain", fillMermaid()); say("Mermaid text saved."); });

  // A random round's link: the seed only, so it may show while the quiz conceals the scenario.
  let roundSeed = null;
  const roundOut = el("input", { attrs: { type: "text", id: "share-round-link", readonly: "", "aria-label": "Round link" } });
  const roundBtn = el("button", { text: "Copy round link", attrs: { type: "button", id: "share-round-make" } });
  const roundHint = el("p", { cls: "hint" });
  const roundStatus = el("p", { cls: "share-status", attrs: { role: "status", "aria-live": "polite" } });
  roundBtn.addEventListener("click", async () => {
    roundOut.value = roundLink(roundSeed);
    roundOut.select();
    try {
      await navigator.clipboard.writeText(roundOut.value);
      roundStatus.textContent = "Round link copied: it starts this round at its first scenario.";
    } catch {
      roundStatus.textContent = "Round link ready below: copy it from the field (the clipboard is not available here).";
    }
  });
  const roundBox = el("div", { cls: "share-block share-round", attrs: { id: "share-round", hidden: "" } },
    el("h3", { text: "Round link" }), roundHint, el("div", { cls: "row" }, roundBtn), roundOut, roundStatus);
  root.before(roundBox);

  root.append(
    el("div", { cls: "share-grid" },
      el("div", { cls: "share-block" },
        el("h3", { text: "Link" }),
        el("p", { cls: "hint", text: "The whole scenario and the current step, in the URL." }),
        el("div", { cls: "row" }, linkBtn), linkOut),
      el("div", { cls: "share-block" },
        el("h3", { text: "File" }),
        el("div", { cls: "row" }, jsonBtn),
        el("label", { text: "Open a scenario file (.json)", attrs: { for: "import-json" } }), fileIn),
      el("div", { cls: "share-block" },
        el("h3", { text: "Ladder" }),
        el("div", { cls: "row" }, svgBtn, mmdBtn, mmdCopy, mmdSave))),
    el("label", { text: "Mermaid sequenceDiagram", attrs: { for: "mermaid-text" } }),
    mmd,
    status,
  );

  return {
    showRound(seed) {
      if (seed === roundSeed) return;
      roundSeed = seed;
      roundBox.hidden = seed === null;
      // The link is shown at once (it was empty until "Copy round link" was pressed: newuser5 #10).
      roundOut.value = seed === null ? "" : roundLink(seed);
      roundStatus.textContent = "";
      roundHint.textContent = seed === null ? "" : `The random round with seed ${seed}, from its first scenario: the same scenarios and choices for the whole class. The link names the seed, not the scenarios.`;
    },
  };
}
