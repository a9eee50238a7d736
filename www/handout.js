// The printed handout: the vendor's outcome table with the simulated outcome of each
// cell, then each cell's ladder (from the REFER on) and outcome, two cells an A4 page
// (one per half page: a row of the table, answerOnBridge true above false). The ladder
// here is drawn for paper, not taken from the page's SVG: its units are millimetres, so
// the labels print at a known size (8.5 pt arrows, 7 pt sub-labels) instead of being
// scaled down to fit. Built once from the module's timelines into a section that only
// the print stylesheet shows.
import { simulate } from "/pkg/index.js";
import { el, clear, svg, formatMs } from "./dom.js";
import { ROWS, columnWords, cellMoment, momentState, VENDOR_SOURCE } from "./outcome_table.js";
import { ladderModel } from "./ladder.js";

/** The printable width of an A4 page with the print stylesheet's 12 mm side margins. */
export const PAPER_WIDTH_MM = 186;
/** Font sizes in millimetres (1 pt = 0.3528 mm): arrow labels, sub-labels and notes, column heads, times. */
const PT = 0.3528;
const LABEL = 8.5 * PT;
const SUB = 7 * PT;
const HEAD_FONT = 9 * PT;
const TIME = 7 * PT;
const GUTTER = 17; // the time column
const EDGE = 13; // from the outer lifelines to the drawing's edge
const HEAD = 7;
const ARROW = 5.0; // an arrow row without a sub-label
const ARROW_SUB = 7.6; // with one
const NOTE = 4.0;

/** About how wide `text` prints at `size` mm (sans-serif: half an em a character, bold a little more). */
const textWidth = (text, size, bold = false) => text.length * size * (bold ? 0.58 : 0.5);

/** `text` cut to fit `mm` at `size`, with "…" where it was cut. */
function fit(text, mm, size) {
  const n = Math.max(4, Math.floor(mm / (size * 0.5)));
  return text.length > n ? `${text.slice(0, n - 1)}…` : text;
}

/**
 * Notes of one instant on one line, " · " between them, cut to fit `mm` at `size`. When they
 * do not all fit, what changed the call (a leg ends, a bridge, the end) is kept whole and the
 * TwiML sentences (`twiml` true: long, and the narration beside the ladder repeats them) share
 * what is left: "TwiML: The <Dial> ended… · UserA's call ends (completed) · end", not a TwiML
 * sentence that pushes UserA's hang-up off the line.
 */
function fitParts(parts, mm, size) {
  const room = Math.max(4, Math.floor(mm / (size * 0.5)));
  const whole = parts.map((p) => p.label).join(" · ");
  if (whole.length <= room) return whole;
  const kept = parts.filter((p) => !p.twiml).reduce((a, p) => a + p.label.length, 0);
  const twimls = parts.filter((p) => p.twiml).length;
  const share = twimls ? Math.max(8, Math.floor((room - 3 * (parts.length - 1) - kept) / twimls)) : 0;
  const cut = (text, n) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
  const line = parts.map((p) => (p.twiml ? cut(p.label, share) : p.label)).join(" · ");
  return cut(line, room);
}

/**
 * The steps whose time refer-sim assumed, as a Set of indices into `steps`: a request that failed
 * with no HTTP status (its URL unreachable) fails `latencyMs` after it was sent, the scenario's
 * time for it to fail (the catalogue's 1 s), not a time Twilio's pages give: error 11205's page
 * names its 10 s connect and 15 s total timeouts (a failure at the timeout is documented, and
 * not marked). Every step of that instant from the failure on is at that time. Read from the
 * steps (the failed step's `response` without a status, the request's `webhook`) and the
 * scenario's own `app` entry: no narration or SIP text is read. The failure's step is tagged
 * `doc` (error 11205 is documented), so its badge says nothing of the time (newuser5).
 */
export function assumedTimes(steps, scenario) {
  const out = new Set();
  steps.forEach((step, i) => {
    if (step.kind !== "webhook-failed" || !step.response || step.response.status != null) return;
    const { url } = step.response;
    const app = scenario.app?.[url];
    if (!app?.unreachable) return;
    const sent = steps.findLast((s, j) => j < i && s.webhook?.url === url);
    if (!sent || (app.latencyMs != null && step.atMs - sent.atMs !== app.latencyMs)) return;
    for (let j = i; j < steps.length && steps[j].atMs === step.atMs; j++) out.add(j);
  });
  return out;
}

/** What a time marked "*" on paper stands for: the failure's time, assumed, and what Twilio's page gives instead. */
function assumedTimeNote(steps, times) {
  const first = Math.min(...times);
  const sent = steps.findLast((s, j) => j < first && s.webhook?.url === steps[first].response.url);
  return `* ${formatMs(steps[first].atMs)}: time assumed. The referUrl is unreachable; refer-sim lets the request fail ${formatMs(steps[first].atMs - sent.atMs)} after it was sent (the scenario's latencyMs). Twilio's error 11205 page gives a 10 s connect and a 15 s total timeout, not how soon a refused connection fails.`;
}

/**
 * The ladder of `steps` drawn for paper: `PAPER_WIDTH_MM` wide, in millimetres. Rows of the
 * steps in `moment` ([first, last] step indices into `steps`, or null) get a tinted band:
 * the moment the vendor's sentence talks about. A time is printed only where it changes,
 * so the gaps in the call (ringing, the webhook's latency) stand out.
 */
export function paperLadder(steps, scenario, moment, timeAssumed = assumedTimes(steps, scenario)) {
  const { columns, rows: all } = ladderModel(steps, scenario);
  // Notes at the same instant share one row ("unbridged · TwiML <Dial>"): shorter on paper.
  const rows = [];
  for (const row of all) {
    const prev = rows.at(-1);
    // What refer-sim assumed (the vendor says nothing: a NOTIFY's sipfrag 487 or 503, a request's
    // time from latencyMs) is marked "assumed" on paper as the page's badge marks it (newuser5 #7).
    const assumed = steps[row.step].tag === "assumed";
    const part = { label: assumed ? `(assumed) ${row.label}` : row.label, twiml: steps[row.step].kind === "twiml-verb" };
    if (row.kind !== "note" && assumed) {
      if (row.sub) row.sub = `${row.sub} · assumed`;
      else row.label = `${row.label} (assumed)`;
    }
    if (row.kind === "note" && prev?.kind === "note" && prev.atMs === row.atMs) rows[rows.length - 1] = { ...prev, parts: [...prev.parts, part], last: row.step };
    else rows.push({ ...row, parts: [part], last: row.step });
  }
  const span = (PAPER_WIDTH_MM - GUTTER - 2 * EDGE) / Math.max(1, columns.length - 1);
  const x = new Map(columns.map((c, i) => [c.id, GUTTER + EDGE + i * span]));
  const parts = [];
  const bands = []; // drawn first, under the lifelines
  let y = HEAD;
  let lastTime = null;
  const inMoment = (r) => moment && r.last >= moment[0] && r.step <= moment[1];
  for (const row of rows) {
    const h = row.kind === "note" ? NOTE : row.sub ? ARROW_SUB : ARROW;
    const g = svg("g", { class: `row ${row.kind}${inMoment(row) ? " moment" : ""}`, "data-step": row.step });
    if (inMoment(row)) bands.push(svg("rect", { class: "moment-band", x: 0, y, width: PAPER_WIDTH_MM, height: h, fill: "#fff1b8" }));
    if (row.atMs !== lastTime) {
      // A time refer-sim assumed (see `assumedTimes`) carries "*", said under the drawing.
      const mark = timeAssumed.has(row.step) ? "*" : "";
      g.append(svg("text", { class: `time${mark ? " time-assumed" : ""}`, x: 1, y: y + (row.kind === "note" ? NOTE / 2 + TIME / 3 : LABEL + 1), "font-size": TIME, fill: "#333" }, `${formatMs(row.atMs)}${mark}`));
      lastTime = row.atMs;
    }
    if (row.kind === "note") {
      const cx = x.get("twilio");
      const text = fitParts(row.parts, 2 * span, SUB);
      const w = textWidth(text, SUB) + 3;
      g.append(svg("rect", { x: cx - w / 2, y: y + 0.5, width: w, height: NOTE - 1, rx: 0.8, fill: "#f1f3f6", stroke: "#777", "stroke-width": 0.2 }),
        svg("text", { class: "note-text", x: cx, y: y + NOTE / 2 + SUB / 3, "text-anchor": "middle", "font-size": SUB, fill: "#000" }, text));
    } else {
      const x1 = x.get(row.from);
      const x2 = x.get(row.to);
      const ly = y + LABEL + 1.6;
      const color = row.failed ? "#a4161a" : row.kind === "http" ? "#5a2290" : "#000";
      const dir = x2 > x1 ? 1 : -1;
      const head = `M${x2},${ly} l${-dir * 1.8},-0.9 l0,1.8 z`;
      g.append(svg("line", { class: "arrow", x1, y1: ly, x2: x2 - dir * 1.2, y2: ly, stroke: color, "stroke-width": 0.35, "stroke-dasharray": row.response ? "1.4 0.9" : null }));
      g.append(row.failed
        ? svg("path", { d: `M${x2 - 1},${ly - 1} l2,2 m0,-2 l-2,2`, stroke: color, "stroke-width": 0.4 })
        : svg("path", { d: head, fill: color }));
      const room = Math.abs(x2 - x1) - 2;
      // Labels cross lifelines: a halo in the row's background colour keeps them legible.
      const halo = { stroke: inMoment(row) ? "#fff1b8" : "#fff", "stroke-width": 0.8, "paint-order": "stroke" };
      g.append(svg("text", { class: "arrow-label", x: (x1 + x2) / 2, y: ly - 0.9, "text-anchor": "middle", "font-size": LABEL, "font-weight": 700, fill: color, ...halo }, fit(row.label, room, LABEL * 1.16)));
      if (row.sub) {
        // A sub-label may run past the lifelines it sits between.
        g.append(svg("text", { class: "arrow-sub", x: (x1 + x2) / 2, y: ly + SUB + 0.6, "text-anchor": "middle", "font-size": SUB, fill: "#222", ...halo }, fit(row.sub, Math.max(room, 1.9 * span), SUB)));
      }
    }
    parts.push(g);
    y += h;
  }
  const height = y + 1.5;
  const heads = columns.map((c) => {
    const cx = x.get(c.id);
    return svg("g", { class: "col" },
      svg("line", { x1: cx, y1: HEAD - 1, x2: cx, y2: height, stroke: "#999", "stroke-width": 0.25, "stroke-dasharray": c.id === "app" ? "0.6 0.8" : null }),
      svg("rect", { x: cx - EDGE + 1.5, y: 0.3, width: 2 * EDGE - 3, height: HEAD - 1.6, rx: 1.2, fill: c.id === "twilio" ? "#e8f0fb" : c.id === "app" ? "#f3ebfa" : "#fff", stroke: "#666", "stroke-width": 0.25 }),
      svg("text", { x: cx, y: HEAD / 2 + HEAD_FONT / 3, "text-anchor": "middle", "font-size": HEAD_FONT, "font-weight": 700, fill: "#000" }, fit(c.label, 2 * EDGE - 4, HEAD_FONT * 1.16)));
  });
  return svg("svg", {
    xmlns: "http://www.w3.org/2000/svg", class: "paper-ladder", viewBox: `0 0 ${PAPER_WIDTH_MM} ${height}`,
    width: `${PAPER_WIDTH_MM}mm`, height: `${height.toFixed(1)}mm`, "font-family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif",
  }, ...bands, ...heads, ...parts);
}

/** Build the handout for `cells` (see `tableCells`) into `root`. */
export function buildHandout(root, cells) {
  clear(root);
  const runs = new Map(cells.map((c) => [c.id, simulate(c.entry.scenario)]));
  // Each cell's line describes the same moment as the vendor's sentence (the legs at the
  // cell's moment, from the module's snapshots), then how the call ends, labelled as such:
  // the end of the run is not what a cell about "while AgentB rings" talks about.
  const at = (cell) => {
    const { steps } = runs.get(cell.id);
    const anchor = cell.row.anchor(steps);
    const moment = cellMoment(cell, steps);
    const assumed = steps[moment].tag === "assumed" ? ", assumed" : assumedTimes(steps, cell.entry.scenario).has(moment) ? ", time assumed" : "";
    return { anchor, moment, text: `Simulated, ${cell.row.moment} (t = ${formatMs(steps[moment].atMs)}${assumed}): ${momentState(steps, anchor, moment)}.` };
  };
  const head = el("tr", {}, el("th", { text: "Situation", attrs: { scope: "col" } }),
    ...[true, false].map((aob) => el("th", { text: `Initial call status, ${columnWords(aob)}`, attrs: { scope: "col" } })));
  const rows = ROWS.map((row) => el("tr", {}, el("th", { text: row.situation, attrs: { scope: "row" } }),
    ...[true, false].map((aob) => {
      const cell = cells.find((c) => c.row === row && c.aob === aob);
      return cell
        ? el("td", {}, el("q", { text: cell.vendor }), el("p", { cls: "sim", text: at(cell).text }),
          el("p", { cls: "sim-end", text: `In the end: ${runs.get(cell.id).outcome.summary}` }))
        : el("td", { text: "—" });
    })));
  root.append(
    el("div", { cls: "handout-page" },
      el("h2", { text: "What Twilio does with a SIP REFER: the outcome table" }),
      el("p", { text: `Each cell quotes the vendor (${VENDOR_SOURCE}); below it, what refer-sim simulates at that moment, then how the call ends. "assumed" marks what refer-sim assumed where the vendor's pages say nothing.` }),
      el("table", { cls: "handout-table" }, el("thead", {}, head), el("tbody", {}, ...rows)),
      el("p", { cls: "handout-how", text: "The next pages show one row of the table a page: answerOnBridge true above, false or not set below. Each ladder starts at the REFER (the call set-up before it, INVITE, 180 Ringing, 200 OK, ACK and UserA bridged with AgentA, is the same in every cell); the tinted rows are the moment the vendor's sentence describes; a time is printed where it changes." })),
  );
  for (const cell of cells) {
    const run = runs.get(cell.id);
    // From the REFER on: the call set-up before it is the same in every cell.
    const from = Math.max(0, run.steps.findIndex((st) => st.kind === "refer-received"));
    const anchor = cell.row.anchor(run.steps);
    const moment = anchor >= 0 ? [anchor - from, cellMoment(cell, run.steps) - from] : null;
    const shown = run.steps.slice(from);
    const times = assumedTimes(shown, cell.entry.scenario);
    const drawing = paperLadder(shown, cell.entry.scenario, moment, times);
    drawing.setAttribute("aria-hidden", "true");
    root.append(el("section", { cls: `handout-cell ${cell.aob ? "aob-true" : "aob-false"}`, attrs: { "data-cell": cell.id } },
      el("h3", {}, el("span", { cls: "situation", text: cell.row.situation }), " · ", el("span", { cls: "column", text: columnWords(cell.aob) })),
      el("p", { cls: "vendor" }, "The vendor: ", el("q", { text: cell.vendor }),
        moment ? el("span", { cls: "moment-key", text: ` Tinted: ${cell.row.moment}, t = ${formatMs(run.steps[anchor].atMs)}.` }) : null),
      drawing,
      times.size ? el("p", { cls: "time-note", text: assumedTimeNote(shown, times) }) : null,
      el("p", { cls: "outcome", text: `Outcome: ${run.outcome.summary}` })));
  }
}
