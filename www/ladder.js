// SIP ladder diagram (SVG): one column per party (UserA / Twilio / AgentA / AgentB /
// App), one row per SIP message or webhook request/response of the timeline, and a
// thin note row for steps without a message. The current step is highlighted; each
// row is a keyboard-focusable button that shows the full SIP message or HTTP text.
// Only presentation attributes are used (no `style`), so the exported SVG is
// self-contained and the page's CSP (style-src 'self') is respected.
import { svg, clear, formatMs } from "./dom.js";
import { labelOf } from "./lanes.js";

const GUTTER = 78; // time labels
const MARGIN = 62; // half a column's label width
const COL_GAP = 136;
/** The width a head's party line may take: its box (2 × MARGIN − 2) less 4 units each side. */
const PARTY_ROOM = 2 * MARGIN - 10;
/** The width of a drawing of five parties (UserA, Twilio, AgentA, AgentB, App), the catalogue's usual count. */
const FIVE_PARTIES = GUTTER + 2 * MARGIN + 4 * COL_GAP;
const HEAD = 52; // the column heads' height at k = 1 (see `mountLadder`); arrow rows are 42, notes 24

const NOTE_LABEL = {
  "call-started": "call starts",
  "twiml-verb": "TwiML",
  "leg-ringing": "ringing",
  "leg-answered": "answered",
  "leg-ended": "leg ends",
  bridged: "bridged",
  unbridged: "unbridged",
  hold: "hold",
  "refer-received": "REFER",
  "refer-rejected": "REFER refused",
  "refer-accepted": "REFER accepted",
  "notify-sent": "NOTIFY",
  "refer-outcome": "REFER outcome",
  "webhook-requested": "webhook",
  "webhook-fetched": "webhook answered",
  "webhook-failed": "webhook failed",
  alert: "alert",
  digits: "digits",
  ignored: "ignored",
  end: "end",
};

const HTTP_REASON = { 200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };

/** A SIP message's arrow label, from its typed fields: `INVITE`, `200 OK`. */
function sipLabel(m) {
  return m.status !== null ? `${m.status} ${m.reason}` : m.method;
}

/** The line under a SIP arrow: a NOTIFY's sipfrag, a REFER's Refer-To (from the typed body and headers). */
function sipSub(m) {
  if (m.method === "NOTIFY") return m.body ? `sipfrag: ${m.body.text.trim()}` : "";
  if (m.method === "REFER") {
    const referTo = m.headers.find(([name]) => name === "Refer-To");
    return referTo ? `Refer-To: ${referTo[1]}` : "";
  }
  return "";
}

function clip(s, n) {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The drawing's font. */
const FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";

let measurer = null; // a canvas's 2D context: measures text without a layout of the page
const fitted = new Map(); // `${size}|${room}|${text}` → the text as cut by `fitText`

/**
 * `text` cut (with "…") to the longest start that is at most `room` units wide at `size`
 * units in the drawing's font, measured as the browser draws it (a canvas's measureText: no
 * layout, so a build during a step forces none). The 0.56 em a character estimate cut
 * "Programmable Voice" at 12 px and let a SIP URI run out of its head box. Without a canvas
 * (outside a browser) the estimate stands.
 */
function fitText(text, room, size) {
  const key = `${size}|${room}|${text}`;
  const known = fitted.get(key);
  if (known !== undefined) return known;
  measurer ??= typeof document === "object" ? document.createElement("canvas").getContext("2d") : null;
  let out;
  if (!measurer) {
    out = clip(text, Math.floor(room / (size * 0.56)));
  } else {
    measurer.font = `${size}px ${FONT_FAMILY}`;
    const fits = (n) => measurer.measureText(clip(text, n)).width <= room;
    let lo = 1;
    let hi = text.length; // the longest cut that fits is in [lo, hi]
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    out = clip(text, lo);
  }
  if (fitted.size > 512) fitted.clear();
  fitted.set(key, out);
  return out;
}

/** How wide `text` is drawn at `size` units in the drawing's font (0.56 em a character outside a browser). */
function textWidth(text, size) {
  measurer ??= typeof document === "object" ? document.createElement("canvas").getContext("2d") : null;
  if (!measurer) return text.length * size * 0.56;
  measurer.font = `${size}px ${FONT_FAMILY}`;
  return measurer.measureText(text).width;
}

/** The most lines a head's party line is wrapped to (a longer one is cut on its last line). */
const PARTY_LINES = 3;
/** The party lines' line height, in em. */
const PARTY_LEADING = 1.15;

/**
 * `text` wrapped into lines ({ text, squeezed }) of at most `room` units at `size` (measured as
 * `fitText` does), at most `PARTY_LINES` of them, the last cut with "…" if the text is longer still. A line breaks at
 * a space, else after an "@" or before a "." (a SIP URI reads `sip:AgentA@` /
 * `example.sip.twilio.com`), else where it must. The party line was cut to one line
 * ("Programmab…", "sip:AgentA@exam…") in every narrow layout: a trainer pointing at a projector
 * needs the name in full.
 */
const wrapped = new Map(); // `${size}|${room}|${text}` → the lines of `wrapText`
function wrapText(text, room, size) {
  const key = `${size}|${room}|${text}`;
  const known = wrapped.get(key);
  if (known) return known;
  measurer ??= typeof document === "object" ? document.createElement("canvas").getContext("2d") : null;
  if (measurer) measurer.font = `${size}px ${FONT_FAMILY}`;
  const widthOf = (t) => (measurer ? measurer.measureText(t).width : t.length * size * 0.56);
  const lines = [];
  let rest = text.trim();
  // A rest a little too wide (up to 10%) is drawn narrowed to the room (`squeezed`) rather than
  // broken: a phone number "+1415555010" / "0" reads worse than one 4% narrower.
  while (rest && lines.length < PARTY_LINES - 1 && widthOf(rest) > room * 1.1) {
    let n = 1; // the longest start that fits
    while (n < rest.length && widthOf(rest.slice(0, n + 1)) <= room) n++;
    // The last good break at or before n: after a space, after "@", before "." or ";".
    let cut = -1;
    for (let i = n; i > 0; i--) {
      const c = rest[i];
      const before = rest[i - 1];
      if (c === " " || c === "." || c === ";" || before === "@" || before === " ") { cut = i; break; }
    }
    if (cut <= 0) cut = n;
    lines.push({ text: rest.slice(0, cut).trimEnd(), squeezed: false });
    rest = rest.slice(cut).trimStart();
  }
  if (rest) {
    const over = widthOf(rest) > room;
    const text = over && widthOf(rest) > room * 1.1 ? fitText(rest, room, size) : rest;
    lines.push({ text, squeezed: over && text === rest });
  }
  if (wrapped.size > 512) wrapped.clear();
  wrapped.set(key, lines);
  return lines;
}

/**
 * The font size a head's bold label is drawn at: `size`, or less when the label is wider than
 * `room` at `size` (down to `SMALLEST_FONT * k`, where `textLength` narrows what is still over).
 * A party dialled by number is labelled by its number ("+14155550123"), which has no break and
 * ran out of its head box in the narrow plain layout.
 */
function labelSize(label, room, size, smallest) {
  measurer ??= typeof document === "object" ? document.createElement("canvas").getContext("2d") : null;
  if (!measurer) return Math.max(smallest, Math.min(size, room / (label.length * 0.62)));
  measurer.font = `700 ${size}px ${FONT_FAMILY}`;
  const width = measurer.measureText(label).width;
  return width <= room ? size : Math.max(smallest, (size * room) / width);
}

/** The smallest font the drawing uses (sub-labels, times), in its units at `k` = 1. */
const SMALLEST_FONT = 10.5;

/** The HTTP request Twilio sends, as text. */
export function httpRequestText(w) {
  const raw = w.method === "GET" && w.queryUrl ? w.queryUrl : w.url;
  let target = raw;
  let host = "";
  try {
    const u = new URL(raw);
    target = `${u.pathname}${u.search}`;
    host = u.host;
  } catch { /* not an absolute URL: show it as given */ }
  const lines = [`${w.method} ${target} HTTP/1.1`];
  if (host) lines.push(`Host: ${host}`);
  if (w.method === "POST") {
    lines.push("Content-Type: application/x-www-form-urlencoded");
    lines.push(`Content-Length: ${new TextEncoder().encode(w.body ?? "").length}`);
  }
  lines.push("", w.body ?? "");
  lines.push("", `# ${w.purpose} request to ${w.url}`, "# Parameters, decoded, in the order sent:");
  for (const [k, v] of Object.entries(w.params ?? {})) lines.push(`#   ${k} = ${v}`);
  return lines.join("\n");
}

/**
 * The application's answer as the step recorded it (`step.response`), as HTTP text: its
 * Content-Type as the step states it (`contentType`: absent, text/xml; null, no header), and an
 * audio body (`media` "audio") named for what it is, never its bytes shown as text.
 */
function httpResponseText(answer, app) {
  if (!answer) return "# No answer was recorded for this request.";
  if (answer.status === null) return `# ${answer.url} could not be reached: no HTTP response.`;
  const body = answer.body ?? "";
  const bytes = new TextEncoder().encode(body).length;
  const latency = app?.latencyMs !== undefined ? ` after ${app.latencyMs} ms` : "";
  const type = answer.contentType === undefined ? "text/xml" : answer.contentType;
  return [
    `HTTP/1.1 ${answer.status} ${HTTP_REASON[answer.status] ?? ""}`.trimEnd(),
    ...(type === null ? ["# (no Content-Type header)"] : [`Content-Type: ${type}`]),
    `Content-Length: ${bytes}`,
    "",
    answer.media === "audio" ? `[${type}: an audio file of ${bytes.toLocaleString("en-US")} bytes, not text. Twilio plays it to the caller, then hangs up.]` : body,
    "",
    `# Answered${latency} by ${answer.url}.`,
  ].join("\n");
}

/** What the ladder's arrow calls a 2xx answer, by how Twilio read it (`media`). */
const ANSWER_LABEL = { audio: "audio (played)", text: "text (read out)" };

/**
 * The ladder as data: `columns` ({id, label, party}) and `rows`, each
 * {step, atMs, kind: "sip"|"http"|"note", from, to, label, sub, response, failed, title, detail}.
 * Shared by the SVG renderer and the Mermaid exporter.
 */
export function ladderModel(steps, scenario) {
  const order = [];
  const parties = new Map();
  for (const step of steps) {
    for (const leg of step.legs) {
      if (!parties.has(leg.id)) {
        parties.set(leg.id, leg);
        order.push(leg.id);
      }
    }
  }
  const ids = order.length ? [order[0], "twilio", ...order.slice(1)] : ["twilio"];
  const hasApp = steps.some((s) => s.webhook || s.kind === "webhook-fetched" || s.kind === "webhook-failed");
  for (const step of steps) for (const m of step.messages) for (const id of [m.from, m.to]) if (!ids.includes(id)) ids.push(id);
  if (hasApp) ids.push("app");
  const last = steps.at(-1)?.legs ?? [];
  const columns = ids.map((id) => {
    if (id === "twilio") return { id, label: "Twilio", party: "Programmable Voice" };
    if (id === "app") return { id, label: "App", party: "your web application" };
    const leg = last.find((l) => l.id === id) ?? parties.get(id);
    // A party named by its address as written (a number, a SIP URI without a user): its party line says what it is instead.
    const party = leg && leg.party === leg.label ? ({ pstn: "phone number", sip: "SIP address" }[leg.transport] ?? "Voice SDK client") : leg?.party ?? "";
    return { id, label: leg?.label ?? id, party };
  });
  const nameOf = (id) => columns.find((c) => c.id === id)?.label ?? id;

  const rows = [];
  let lastRequest = null;
  steps.forEach((step, i) => {
    const when = formatMs(step.atMs);
    let added = false;
    for (const m of step.messages) {
      const response = m.status !== null;
      const label = sipLabel(m);
      const sub = sipSub(m);
      rows.push({
        step: i, kind: "sip", from: m.from, to: m.to, label, sub, response, failed: false,
        title: `Step ${i + 1} · ${when} · ${label} from ${nameOf(m.from)} to ${nameOf(m.to)}`,
        detail: m.text,
      });
      added = true;
    }
    if (step.webhook) {
      const w = step.webhook;
      lastRequest = w;
      let path = w.url;
      try { path = new URL(w.url).pathname; } catch { /* keep as given */ }
      rows.push({
        step: i, kind: "http", from: "twilio", to: "app", label: `${w.method} ${w.purpose}`, sub: path, response: false, failed: false,
        title: `Step ${i + 1} · ${when} · ${w.method} ${w.url} (${w.purpose})`,
        detail: httpRequestText(w),
      });
      added = true;
    }
    if ((step.kind === "webhook-fetched" || step.kind === "webhook-failed") && lastRequest) {
      // Status callbacks interleave with the other requests: the answer names its own URL.
      const answeredUrl = step.response?.url ?? lastRequest.url;
      const app = scenario?.app?.[answeredUrl];
      const answer = step.response;
      const failed = step.kind === "webhook-failed";
      const label = failed
        ? (answer && answer.status !== null ? `HTTP ${answer.status} (failed)` : "no response")
        : `HTTP ${answer?.status ?? 200} ${ANSWER_LABEL[answer?.media] ?? "TwiML"}`;
      const alerts = step.alerts.map((a) => (a.code == null ? `# refer-sim: ${a.message}` : `# Alert ${a.code}: ${a.message}`)).join("\n");
      rows.push({
        step: i, kind: "http", from: "app", to: "twilio", label, sub: failed ? step.alerts.map((a) => a.code).filter(Boolean).map((c) => `alert ${c}`).join(", ") : "",
        response: true, failed,
        title: `Step ${i + 1} · ${when} · ${label} from ${answeredUrl}`,
        detail: [httpResponseText(answer, app), "", `# ${step.narration}`, alerts].filter(Boolean).join("\n"),
      });
      added = true;
    }
    if (!added) {
      let label = NOTE_LABEL[step.kind] ?? step.kind;
      if (step.kind === "twiml-verb") {
        // The step carries no typed verb: the narration, which names it first, is shown as written.
        label = `TwiML: ${step.narration}`;
      } else if (step.kind === "bridged" || step.kind === "unbridged") {
        const prev = steps[i - 1]?.legs ?? [];
        const pairs = [];
        for (const leg of step.legs) {
          const before = prev.find((l) => l.id === leg.id);
          if (leg.bridgedWith && leg.id < leg.bridgedWith && before?.bridgedWith !== leg.bridgedWith) {
            pairs.push(`${leg.label} ⇄ ${labelOf(step.legs, leg.bridgedWith)}`);
          }
        }
        // Pairs bridged before this step and not after it: who was let go from whom.
        const parted = prev.filter((l) => l.bridgedWith && l.id < l.bridgedWith && step.legs.find((x) => x.id === l.id)?.bridgedWith !== l.bridgedWith)
          .map((l) => `${l.label} ⇹ ${labelOf(prev, l.bridgedWith)}`);
        // Neither: the bridges stay, what a leg hears changed (the audio resumes once AgentA's call ends).
        const heard = step.legs.filter((leg) => prev.find((l) => l.id === leg.id)?.hearing !== leg.hearing && prev.some((l) => l.id === leg.id))
          .map((leg) => `${leg.label} hears ${leg.hearing}`);
        if (pairs.length) label = `bridged ${pairs.join(", ")}`;
        else if (parted.length) label = `unbridged ${parted.join(", ")}`;
        else if (heard.length) label = heard.join(", ");
      } else if (step.kind === "leg-ended" || step.kind === "leg-answered" || step.kind === "leg-ringing") {
        // Whose leg: the one whose status this step changed (from the snapshots), with its new status.
        const prev = steps[i - 1]?.legs ?? [];
        const moved = step.legs.filter((leg) => prev.find((l) => l.id === leg.id)?.status !== leg.status);
        const words = (leg) => (step.kind === "leg-ended" ? `${leg.label}'s call ends (${leg.status})` : step.kind === "leg-answered" ? `${leg.label} answers` : `${leg.label} rings`);
        if (moved.length) label = moved.map(words).join(", ");
      } else if (step.kind === "alert" && step.alerts.length) {
        label = `alert ${step.alerts.map((a) => a.code).join(", ")}`;
      }
      rows.push({
        step: i, kind: "note", from: "twilio", to: "twilio", label, sub: "", response: false, failed: false,
        title: `Step ${i + 1} · ${when} · ${label}`,
        detail: `# ${step.narration}`,
      });
    }
  });
  // The step at which each party enters the call: its leg first appears, or a row first
  // touches its column (the App's first request). Until then a quiz hides the column.
  for (const c of columns) {
    const leg = steps.findIndex((s) => s.legs.some((l) => l.id === c.id));
    const row = rows.find((r) => r.from === c.id || r.to === c.id)?.step ?? -1;
    const known = [leg, row].filter((i) => i >= 0);
    c.firstStep = c.id === "twilio" || known.length === 0 ? 0 : Math.min(...known);
  }
  return { columns, rows: rows.map((r) => ({ ...r, atMs: steps[r.step].atMs })) };
}

/** `text` cut into lines of at most `n` characters at spaces (one long word stays whole). */
function wrap(text, n) {
  const out = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > n) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}

/**
 * A drawing made static for a file, a slide or print: no focus, roles or state classes
 * (current, future, hidden, selected), and ids prefixed with `prefix` so several
 * drawings in one document keep their own arrowheads.
 */
function staticDrawing(node, prefix) {
  for (const g of node.querySelectorAll("[class]")) g.setAttribute("class", g.getAttribute("class").replace(/\b(current|future|hidden|selected)\b/g, "").replace(/\s+/g, " ").trim());
  for (const g of node.querySelectorAll("[tabindex]")) for (const a of ["tabindex", "aria-pressed", "role", "aria-label", "aria-hidden"]) g.removeAttribute(a);
  for (const m of node.querySelectorAll("[id]")) m.id = `${prefix}-${m.id}`;
  for (const n of node.querySelectorAll("[marker-end]")) n.setAttribute("marker-end", n.getAttribute("marker-end").replace("url(#", `url(#${prefix}-`));
  return node;
}

/**
 * Mount the ladder in `container`. `onSelect(row)` is called when a row is chosen, and `onPick(row)`
 * after it when the reader chose it (a click, Enter or Space), not the stepping.
 * Returns { build(steps, scenario), highlight(index, {hideFuture}), select(rowIndex), selectStep(index), setMinFont(px), setPresenting(on), element(),
 * exportSvg({ title, outcome, prefix }) (a static captioned drawing), model() }.
 */
export function mountLadder(container, { onSelect, onPick = () => {} }) {
  let model = { columns: [], rows: [] };
  let groups = [];
  let root = null;
  let exportSvg = () => null;
  let selected = -1;
  let rowTop = []; // each row's top, in the drawing's units
  let rowHeight = [];
  let rowState = []; // each row's last highlight state (current | future | hidden bits)
  let drawnWidth = 0;
  // The type's scale: 1 draws the sizes above; a larger k draws every font, row and head k
  // times larger in the same width, so a drawing scaled down to fit a narrow box (presenter
  // mode beside the lesson at 1280 px) still shows its smallest text at `minFont` screen px.
  let k = 1;
  let minFont = 0;
  let presenting = false; // presenter mode: heads without their party line, rows set closer (see `setPresenting`)
  let drawn = null; // { steps, scenario } of the last build, to draw again at another k
  let lastHighlight = null;
  let headH = HEAD;
  let shownIds = null; // the ids of the parties laid out (null: every party), set by `highlight`
  let drawnHeight = 0; // the drawing's height with every row, in its units
  let shownHeight = 0; // the height its body shows (to the last row shown when the future is hidden)

  let tabRow = -1; // the one row Tab stops at (see `setTabRow`)
  /**
   * The ladder is one Tab stop (a roving tabindex): the selected row, else the current step's
   * first, takes tabindex 0 and every other row -1; ↑ and ↓ move between rows. Every row was a
   * Tab stop: a keyboard user crossed 20 to 40 rows to get past the ladder to the message.
   */
  function setTabRow(r) {
    if (r === tabRow && groups[r]?.getAttribute("tabindex") === "0") return;
    groups[tabRow]?.setAttribute("tabindex", "-1");
    tabRow = r;
    groups[r]?.setAttribute("tabindex", "0");
  }

  function choose(r) {
    if (r < 0 || r >= groups.length) return;
    setTabRow(r);
    if (selected >= 0 && groups[selected]) {
      groups[selected].classList.remove("selected");
      groups[selected].setAttribute("aria-pressed", "false");
    }
    selected = r;
    groups[r].classList.add("selected");
    groups[r].setAttribute("aria-pressed", "true");
    onSelect(model.rows[r]);
  }

  /** A row the reader chose. */
  function pick(r) {
    if (r < 0 || r >= groups.length) return;
    choose(r);
    onPick(model.rows[r]);
  }

  function build(steps, scenario) {
    drawn = { steps, scenario };
    lastHighlight = null;
    lastScroll = null;
    model = ladderModel(steps, scenario);
    const { rows } = model;
    // Only the parties shown are laid out (see `highlight`): a party that has not entered the
    // call has no column, not even an empty gap where it will be.
    const columns = shownIds ? model.columns.filter((c) => shownIds.includes(c.id)) : model.columns;
    // The time column holds the longest time at the times' size: at a large type scale (presenter
    // mode, k up to 3.5) "20.120 s" ran over the first lifeline and the notes in a 78-unit column.
    // Its slack past the time, two of the time's ems, is what 78 units leave at k = 1 (a label centred
    // near the first lifeline, "501 Not Implem…", ran over the time with 8 units of slack).
    const gutter = Math.max(GUTTER, Math.ceil(textWidth(formatMs(steps.at(-1)?.atMs ?? 0), SMALLEST_FONT * k) + 6 + 2 * SMALLEST_FONT * k));
    const colX = new Map(columns.map((c, i) => [c.id, gutter + MARGIN + i * COL_GAP]));
    // A row that touches a party not laid out is in the future, hidden: drawn at the last column.
    const xOf = (id) => colX.get(id) ?? gutter + MARGIN + (columns.length - 1) * COL_GAP;
    // At least three columns wide: a note is centred on Twilio's lifeline (the second) and needs room on its right.
    const width = gutter + 2 * MARGIN + Math.max(2, columns.length - 1) * COL_GAP;
    // Each head's party line wrapped to its box (see `wrapText`); the heads grow by a line for
    // each line the longest one takes past the first.
    // Presenting, a head is its label alone (see `setPresenting`).
    const partyLines = new Map(columns.map((c) => [c.id, presenting ? [] : wrapText(c.party, PARTY_ROOM, SMALLEST_FONT * k)]));
    const extraLines = Math.max(0, ...[...partyLines.values()].map((l) => l.length - 1));
    const lineH = SMALLEST_FONT * k * PARTY_LEADING;
    const HEAD = (headH = presenting ? Math.round(30 * k + 12) : Math.round(52 * k + extraLines * lineH));
    // Presenting (`setPresenting`), the rows are set closer: at the type floor an arrow row was 72 px
    // high at 1280x720 and the lesson's column showed 4 rows; 34 and 21 units still keep the
    // label, the line and the sub-label apart.
    const ARROW_ROW = (presenting ? 34 : 42) * k;
    const NOTE_ROW = (presenting ? 21 : 24) * k;
    // A text is cut to `n` characters, and to what fits between the time column and the
    // drawing's edge around its centre (with larger type in the same width, fewer fit).
    const fits = (text, n, mid, font, perChar, pad = 0) => clip(text, Math.min(n, Math.floor((2 * Math.min(mid - gutter, width - mid) - pad) / (font * perChar))));
    let y = HEAD;
    const rowEls = [];
    groups = [];
    selected = -1;
    rowTop = [];
    rowHeight = [];
    rowState = [];
    drawnWidth = width;
    tabRow = -1;
    for (const [r, row] of rows.entries()) {
      const h = row.kind === "note" ? NOTE_ROW : ARROW_ROW;
      const g = svg("g", {
        class: `row ${row.kind}${row.response ? " response" : ""}${row.failed ? " failed" : ""}`,
        "data-step": row.step, "data-row": r, "data-label": row.label,
        tabindex: -1, role: "button", "aria-pressed": "false",
      });
      g.append(svg("rect", { class: "row-bg", x: 0, y, width, height: h, fill: "transparent" }));
      if (row.kind === "note") {
        const cx = xOf("twilio");
        const text = fits(row.label, 44, cx, 11 * k, 0.6, 16 * k);
        g.append(svg("rect", { class: "note-box", x: cx - 3.3 * k * text.length - 8 * k, y: y + (presenting ? 2 : 3) * k, width: 6.6 * k * text.length + 16 * k, height: h - (presenting ? 4 : 6) * k, rx: 4, fill: "#f1f3f6", stroke: "#c3c9d1" }));
        g.append(svg("text", { class: "note-text", x: cx, y: y + h / 2 + 4 * k, "text-anchor": "middle", "font-size": 11 * k, fill: "#3d4550" }, text));
      } else {
        const x1 = xOf(row.from);
        const x2 = xOf(row.to);
        const mid = (x1 + x2) / 2;
        const ly = y + (presenting ? 18 : 24) * k;
        const dir = x2 > x1 ? -1 : 1;
        const color = row.failed ? "#a4161a" : row.kind === "http" ? "#6b2fa3" : "#1b1f24";
        g.append(svg("line", {
          class: "arrow", x1, y1: ly, x2: x2 + dir * 2, y2: ly, stroke: color, "stroke-width": 1.6,
          "stroke-dasharray": row.response ? "6 4" : null, "marker-end": row.failed ? "url(#ladder-x)" : row.kind === "http" ? "url(#ladder-ah-http)" : "url(#ladder-ah)",
        }));
        g.append(svg("text", { class: "arrow-label", x: mid, y: ly - (presenting ? 5 : 6) * k, "text-anchor": "middle", "font-size": 13 * k, "font-weight": 600, fill: color }, fits(row.label, 26, mid, 13 * k, 0.62)));
        // The line under the arrow in full where the drawing has the room around its centre
        // (measured, see `fitText`): cut at 30 characters, a NOTIFY's "sipfrag: SIP/2.0 487
        // Request …" hid why the transfer failed, a REFER's "Refer-To: <sip:AgentB@example…" its target.
        if (row.sub) g.append(svg("text", { class: "arrow-sub", x: mid, y: ly + (presenting ? 12 : 13) * k, "text-anchor": "middle", "font-size": SMALLEST_FONT * k, fill: "#4a525c" }, fitText(row.sub, 2 * Math.min(mid - gutter, width - mid) - 8, SMALLEST_FONT * k)));
      }
      g.append(svg("text", { class: "time", x: 6, y: y + (row.kind === "note" ? h / 2 + 4 * k : (presenting ? 23 : 28) * k), "font-size": SMALLEST_FONT * k, fill: "#5a6370" }, formatMs(steps[row.step].atMs)));
      // The accessible name starts with the text drawn on the row (WCAG 2.5.3, label in
      // name), then says which step and which way. No <title> child: its text would count as
      // content that the name lacks; selecting the row shows the full message instead.
      const texts = [...g.querySelectorAll("text")];
      for (const t of texts.slice(1)) t.before(" "); // read as separate words, as drawn
      const drawn = texts.map((t) => t.textContent).join(" ");
      const way = row.kind === "note" ? "" : `, ${columns.find((c) => c.id === row.from)?.label ?? row.from} to ${columns.find((c) => c.id === row.to)?.label ?? row.to}`;
      g.setAttribute("aria-label", `${drawn}, step ${row.step + 1}${way}`);
      rowEls.push(g);
      groups.push(g);
      rowTop.push(y);
      rowHeight.push(h);
      rowState.push(-1);
      y += h;
    }
    const height = y + 12;
    drawnHeight = height;
    shownHeight = height;
    const defs = svg("defs", {},
      svg("marker", { id: "ladder-ah", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#1b1f24" })),
      svg("marker", { id: "ladder-ah-http", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", fill: "#6b2fa3" })),
      svg("marker", { id: "ladder-x", viewBox: "0 0 10 10", refX: 5, refY: 5, markerWidth: 10, markerHeight: 10, markerUnits: "userSpaceOnUse", orient: "auto" },
        svg("path", { d: "M1,1 L9,9 M9,1 L1,9", stroke: "#a4161a", "stroke-width": 2 })),
    );
    const heads = (lifelineTop) => columns.map((c) => {
      const x = colX.get(c.id);
      return svg("g", { class: `col col-${c.id}` },
        svg("line", { class: "lifeline", x1: x, y1: lifelineTop, x2: x, y2: height, stroke: "#aab2bd", "stroke-width": 1, "stroke-dasharray": c.id === "app" ? "2 3" : null }),
        svg("rect", { x: x - MARGIN + 1, y: 4, width: 2 * MARGIN - 2, height: HEAD - 12, rx: 6, fill: c.id === "twilio" ? "#e8f0fb" : c.id === "app" ? "#f3ebfa" : "#ffffff", stroke: "#8c96a3" }),
        ((size) => svg("text", {
          class: "col-label", x, y: 22 * k, "text-anchor": "middle", "font-size": size, "font-weight": 700, fill: "#1b1f24",
          // Still over at the smallest size: narrowed to the box rather than cut.
          textLength: size === SMALLEST_FONT * k && labelSize(c.label, PARTY_ROOM, 14 * k, 0) < size ? PARTY_ROOM : null,
          lengthAdjust: "spacingAndGlyphs",
        }, c.label))(labelSize(c.label, PARTY_ROOM, 14 * k, SMALLEST_FONT * k)),
        // The party line at the sub-labels' size, wrapped to what its box holds (see `wrapText`),
        // one line under another; the whole name on hover too.
        presenting ? null : svg("text", { class: "col-party", x, y: 37 * k + 1, "text-anchor": "middle", "font-size": SMALLEST_FONT * k, fill: "#5a6370", "data-party": c.party },
          ...partyLines.get(c.id).map((line, i) => svg("tspan", {
            x, dy: i === 0 ? 0 : lineH, textLength: line.squeezed ? PARTY_ROOM : null, lengthAdjust: line.squeezed ? "spacingAndGlyphs" : null,
          }, line.text))),
        c.party ? svg("title", {}, `${c.label}: ${c.party}`) : null,
      );
    });
    const common = { xmlns: "http://www.w3.org/2000/svg", "font-family": FONT_FAMILY };
    // On the page: the column heads stay in view (sticky) above the scrolling rows.
    const head = svg("svg", { ...common, class: "ladder-head-svg", viewBox: `0 0 ${width} ${HEAD}`, width, height: HEAD, "aria-hidden": "true" },
      svg("rect", { x: 0, y: 0, width, height: HEAD, fill: "#ffffff" }), ...heads(HEAD - 6));
    const body = svg("svg", {
      ...common, class: "ladder-svg", viewBox: `0 ${HEAD} ${width} ${height - HEAD}`, width, height: height - HEAD,
      role: "group", "aria-label": `SIP ladder: ${rows.length} rows, columns ${columns.map((c) => c.label).join(", ")}`,
    }, defs, svg("rect", { x: 0, y: HEAD, width, height: height - HEAD, fill: "#ffffff" }), ...heads(HEAD).map((g) => { g.replaceChildren(g.firstChild); return g; }), ...rowEls);
    // The drawing's share of a five-party one's width, for the style sheet: a drawing scaled to
    // its box takes that share of it, so a party entering the call (see `highlight`) adds a
    // column without changing the type's size on screen, and a drawing of the parties entered
    // so far is not blown up to fill the box (CSSOM, which the page's CSP allows; the exported
    // drawing carries no style).
    for (const node of [head, body]) node.style.setProperty("--ladder-share", String(width / (FIVE_PARTIES - GUTTER + gutter)));
    // For export: one self-contained drawing with a caption (title, outcome, time span), heads and rows.
    const end = steps.at(-1)?.atMs ?? 0;
    exportSvg = ({ title = "", outcome = "", prefix = "ladder" } = {}) => {
      const lines = [
        ...wrap(title, 84).map((t) => [t, 15, 700]),
        ...wrap(outcome ? `Outcome: ${outcome}` : "", 104).map((t) => [t, 12.5, 600]),
        [`Simulated time: 0 s to ${formatMs(end)} (each row's time on the left).`, 11, 400],
      ];
      const cap = 12 + lines.reduce((h, [, size]) => h + size + 6, 0);
      let cy = -cap + 6;
      const caption = svg("g", { class: "caption" }, ...lines.map(([t, size, weight]) => {
        cy += size + 6;
        return svg("text", { x: 8, y: cy - 4, "font-size": size, "font-weight": weight, fill: "#1b1f24" }, t);
      }));
      const node = svg("svg", { ...common, viewBox: `0 ${-cap} ${width} ${height + cap}`, width, height: height + cap },
        defs.cloneNode(true), svg("rect", { x: 0, y: -cap, width, height: height + cap, fill: "#ffffff" }), caption, ...heads(HEAD - 6), ...rowEls.map((g) => g.cloneNode(true)));
      return staticDrawing(node, prefix);
    };
    if (root) sizes?.unobserve(root);
    for (const old of container.querySelectorAll(".ladder-head")) sizes?.unobserve(old);
    root = body;
    clear(container);
    const sticky = document.createElement("div");
    sticky.className = "ladder-head";
    sticky.append(head);
    container.append(sticky, body);
    scrollLater(0); // a new drawing starts at its top
    sizes?.observe(sticky, { box: "border-box" });
    sizes?.observe(body);
  }

  container.addEventListener("click", (e) => {
    const g = e.target.closest?.("g.row");
    if (g) pick(Number(g.dataset.row));
  });
  container.addEventListener("keydown", (e) => {
    const g = e.target.closest?.("g.row");
    if (!g) return;
    if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      e.stopPropagation();
      pick(Number(g.dataset.row));
    } else if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      // Move between arrows without leaving the diagram.
      e.preventDefault();
      e.stopPropagation();
      const r = Number(g.dataset.row) + (e.key === "ArrowDown" ? 1 : -1);
      const next = groups[r];
      if (next && !next.classList.contains("hidden")) {
        setTabRow(r); // Tab out and back returns to this row
        next.focus();
      }
    }
  });

  // Where the rows are, without asking the layout: each row's top and height in the
  // drawing's units (kept by build), and the sizes the ResizeObservers report after each
  // layout (the box's height, the sticky head's, the drawing's scale in presenter mode).
  // highlight only writes: it never reads a size or a position, so a step forces no layout.
  const geometry = { box: 0, head: HEAD, scale: 1, known: false };
  let scrollTop = 0;
  let pendingScroll = null; // { row, hideFuture } to bring into view once the geometry is known
  let lastScroll = null; // the last row brought into view, placed again when the drawing's scale changes
  let scrollFrame = 0;
  container.addEventListener("scroll", () => { scrollTop = container.scrollTop; }, { passive: true });
  const sizes = typeof ResizeObserver === "function" ? new ResizeObserver((entries) => {
    const wasScale = geometry.scale;
    for (const e of entries) {
      const h = e.borderBoxSize?.[0]?.blockSize ?? e.contentRect.height;
      if (e.target === container) geometry.box = e.contentRect.height;
      else if (e.target.classList.contains("ladder-head")) geometry.head = h;
      else if (e.target === root && drawnWidth > 0) geometry.scale = e.contentRect.width / drawnWidth;
    }
    geometry.known = geometry.box > 0;
    // A new scale (a panel opened beside the ladder after the step was placed) moves every row:
    // place the current one again, or it is left near the top with the past scrolled away.
    if (!pendingScroll && lastScroll && geometry.scale !== wasScale) pendingScroll = { ...lastScroll, force: true };
    if (pendingScroll) scrollToRow(pendingScroll);
    refitLater();
  }) : null;
  sizes?.observe(container);

  /** The type scale that shows the smallest text at `minFont` px at the drawing's present scale (1 when it already does). */
  function wantedK() {
    if (!minFont || !(geometry.scale > 0)) return 1;
    const need = minFont / (SMALLEST_FONT * geometry.scale);
    return need <= 1 ? 1 : Math.ceil(need * 20) / 20;
  }

  let refitFrame = 0;
  /** Draw again at the wanted type scale, at the next frame (not inside the size observer: that would loop). */
  function refitLater() {
    cancelAnimationFrame(refitFrame);
    refitFrame = requestAnimationFrame(() => {
      const want = wantedK();
      if (want === k || !drawn) return;
      k = want;
      const again = lastHighlight;
      const chosen = selected;
      build(drawn.steps, drawn.scenario);
      if (again) highlight(...again);
      if (chosen >= 0) choose(chosen);
    });
  }

  /**
   * Presenter mode: the heads show their labels alone (the party's line, a SIP address, took four
   * or five lines of a 70 px column at the type floor; it is in the head's hover title and the
   * narration names it) and the rows are set closer.
   */
  function setPresenting(on) {
    if (on === presenting) return;
    presenting = on;
    if (!drawn) return;
    const again = lastHighlight;
    const chosen = selected;
    build(drawn.steps, drawn.scenario);
    if (again) highlight(...again);
    if (chosen >= 0) choose(chosen);
  }

  /** The smallest text's size on screen, in px, that the ladder keeps to (0: no floor; the page asks 12, presenter mode its type floor). */
  function setMinFont(px) {
    minFont = px;
    refitLater();
  }

  /** Bring row `row` into view if it is not (read from the kept geometry; the write waits for the next frame). */
  function scrollToRow(want) {
    pendingScroll = want;
    if (!geometry.known) return;
    pendingScroll = null;
    lastScroll = { row: want.row, hideFuture: want.hideFuture };
    const top = geometry.head + (rowTop[want.row] - headH) * geometry.scale;
    const bottom = top + rowHeight[want.row] * geometry.scale;
    // The box shows [scrollTop, scrollTop + box); its first `head` pixels are under the sticky head.
    if (want.force || top - scrollTop < 40 || bottom - scrollTop > geometry.box - 10) {
      // With the future hidden, keep the past in view: the current row low in the box.
      scrollLater(Math.max(0, top - geometry.box * (want.hideFuture ? 0.65 : 1 / 3)));
    }
  }

  /** Scroll the box to `target` at the next frame (a write now would force a layout now). */
  function scrollLater(target) {
    scrollTop = target;
    cancelAnimationFrame(scrollFrame);
    scrollFrame = requestAnimationFrame(() => { container.scrollTop = target; });
  }

  /** Mark the current step's rows; dim (or hide, in training mode) the future ones. Only rows whose state changes are touched. */
  function highlight(index, { hideFuture = false } = {}) {
    // A party that has not entered the call yet is not laid out: its column, or the gap it
    // would leave, would tell a quiz that AgentB will be called, or that no request will reach
    // the App (referUrl absent). The drawing is laid out again when a party enters or leaves.
    const want = hideFuture && drawn ? model.columns.filter((c) => c.firstStep <= index).map((c) => c.id) : null;
    if (drawn && String(want) !== String(shownIds)) {
      shownIds = want;
      const chosen = selected;
      build(drawn.steps, drawn.scenario);
      if (chosen >= 0 && chosen < groups.length) choose(chosen);
    }
    lastHighlight = [index, { hideFuture }];
    let first = null;
    let firstRow = -1;
    for (const [r, g] of groups.entries()) {
      const s = model.rows[r].step;
      const current = s === index;
      const state = (current ? 1 : 0) | (s > index ? 2 : 0) | (hideFuture && s > index ? 4 : 0);
      if (state !== rowState[r]) {
        rowState[r] = state;
        g.classList.toggle("current", current);
        g.classList.toggle("future", s > index);
        g.classList.toggle("hidden", (state & 4) !== 0);
        if (state & 4) g.setAttribute("aria-hidden", "true");
        else g.removeAttribute("aria-hidden");
      }
      if (current && !first) {
        first = g;
        firstRow = r;
      }
    }
    // With the future hidden the drawing ends under the last row shown: its length (scrolled to
    // with the wheel, or the lifelines ending above the box's bottom) told how much of the call
    // was still to come. Written only when it changes; nothing is read.
    let end = drawnHeight;
    if (hideFuture) {
      const last = model.rows.findLastIndex((row) => row.step <= index);
      end = last >= 0 ? rowTop[last] + rowHeight[last] + 12 : headH + 12;
    }
    if (root && end !== shownHeight) {
      shownHeight = end;
      root.setAttribute("viewBox", `0 ${headH} ${drawnWidth} ${end - headH}`);
      root.setAttribute("height", end - headH);
      root.querySelector(":scope > rect")?.setAttribute("height", end - headH);
    }
    if (first) scrollToRow({ row: firstRow, hideFuture });
    // Nothing selected (a quiz question open), or the selected row now hidden: the tab stop is the current row.
    if (firstRow >= 0 && (selected < 0 || rowState[selected] & 4)) setTabRow(firstRow);
    else if (tabRow < 0 && groups.length) setTabRow(0);
    return first;
  }

  /** Select the first row of step `index` (shows its detail) without moving focus. */
  function selectStep(index) {
    const r = model.rows.findIndex((row) => row.step === index);
    if (r >= 0) choose(r);
  }

  /** The export shows every party: a drawing laid out for a quiz (parties left out) is drawn whole for it, then as it was. */
  function exportWhole(caption) {
    if (!shownIds || !drawn) return exportSvg(caption);
    const kept = shownIds;
    const again = lastHighlight;
    const chosen = selected;
    shownIds = null;
    build(drawn.steps, drawn.scenario);
    const node = exportSvg(caption);
    shownIds = kept;
    build(drawn.steps, drawn.scenario);
    if (again) highlight(...again);
    if (chosen >= 0 && chosen < groups.length) choose(chosen);
    return node;
  }

  return { build, highlight, select: choose, selectStep, setMinFont, setPresenting, element: () => root, exportSvg: exportWhole, model: () => model };
}
