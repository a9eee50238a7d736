// The vendor's outcome table as a grid: five situations (rows) by answerOnBridge true
// and false-or-not-set (columns), each cell quoting the vendor's sentence. A cell opens
// its catalogue scenario at the moment it describes, found from the step kinds of the
// module's timeline (never a fixed step number). A tick marks cells the learner has
// completed (kept in the browser's localStorage).
import { el, clear } from "./dom.js";
import { readAnswerOnBridge, settle } from "./compare.js";
import { sourcePage } from "./sources.js";

/** The vendor's page the table is quoted from ({ title, url }, from src/sources.md via sources.js). */
export const VENDOR_PAGE = sourcePage("refer.table.absent");

/** Where the vendor's sentences are quoted from, as a class reads it: the page's address without its scheme, short enough for the lesson's column. */
export const VENDOR_SOURCE = `Twilio's outcome table, ${VENDOR_PAGE.url.replace(/^https:\/\/(www\.)?/, "")}`;

/** `prefix`, then VENDOR_SOURCE with its address as a link to the page, then `suffix`, in a `p.hint.source`. */
export function sourceLine(prefix, suffix) {
  const [words] = VENDOR_SOURCE.split(", ");
  return el("p", { cls: "hint source" }, `${prefix}${words}, `, el("a", { attrs: { href: VENDOR_PAGE.url, target: "_blank", rel: "noopener" }, text: VENDOR_SOURCE.slice(words.length + 2) }), suffix);
}

const leg = (step, id) => step?.legs.find((l) => l.id === id);

/** "Initial call is disconnected": UserA and AgentA are cut from each other and AgentA's leg ends (the quiz's fact keys). */
const INITIAL_ENDS = ["caller:cut:transferor", "transferor:cut:caller", "transferor:completed"];
/** "Initial call can be re-established. So UserA will be connected to AgentA again". */
const REESTABLISHED = ["bridge:caller:transferor"];

/**
 * The five rows, in the vendor's order. `key` is the catalogue id without its
 * `-aob-true` / `-aob-false` suffix; `anchor(steps)` finds the first step of the moment
 * the row talks about; `vendor` quotes the vendor's cell for [true, false-or-not-set];
 * `follows` is what that cell states happens as the consequence of the moment, as the free
 * quiz's fact keys (see `vendorStated`): never offered there as a wrong choice.
 */
export const ROWS = [
  {
    key: "webhook-executed", situation: "referUrl webhook is executed", moment: "right after the referUrl webhook",
    anchor: (steps) => steps.findIndex((s) => s.kind === "webhook-fetched" || s.kind === "webhook-failed"),
    vendor: ["Initial call is still connected", "Initial call is disconnected"],
    follows: [[], INITIAL_ENDS],
  },
  {
    key: "agentb-answers", situation: "AgentB answers the call", moment: "when AgentB answers",
    anchor: (steps) => steps.findIndex((s, i) => s.kind === "leg-answered" && leg(s, "target")?.status === "in-progress" && leg(steps[i - 1], "target")?.status !== "in-progress"),
    vendor: ["Initial call will now get disconnected", "Initial call got disconnected right after the referUrl webhook is executed, see above"],
    follows: [INITIAL_ENDS, []],
  },
  {
    key: "agentb-no-answer", situation: "AgentB does not answer the call", moment: "when AgentB's ringing times out",
    anchor: (steps) => steps.findIndex((s) => s.kind === "leg-ended" && leg(s, "target")?.status === "no-answer"),
    vendor: [
      "Initial call can be re-established. So UserA will be connected to AgentA again",
      "Initial call got disconnected right after the referUrl webhook is executed. Re-establishing the initial call will not be possible",
    ],
    follows: [REESTABLISHED, []],
  },
  {
    key: "refer-url-unreachable", situation: "referUrl is not reachable", moment: "when the referUrl request fails",
    anchor: (steps) => steps.findIndex((s) => s.kind === "webhook-failed"),
    vendor: [
      "Initial call can be re-established. So UserA will be connected to AgentA again",
      "Initial call got disconnected right after the referUrl Webhook is executed. Re-establishing the initial call will not be possible",
    ],
    follows: [REESTABLISHED, []],
  },
  {
    key: "refer-url-absent", situation: "referUrl attribute is not present in the <Dial> Verb", moment: "when Twilio raises the alert",
    anchor: (steps) => steps.findIndex((s) => s.kind === "alert"),
    vendor: [
      "Twilio will generate an alert and initial call will be re-established. So UserA will be connected to AgentA again",
      "Twilio will generate an alert and initial call will be re-established. So UserA will be connected to AgentA again",
    ],
    follows: [REESTABLISHED, REESTABLISHED],
  },
];

/**
 * The facts (the free quiz's keys) the vendor's table says follow from the moment at step
 * `target` of `steps`, for answerOnBridge `aob`: for each row whose moment starts at the same
 * simulated time as `target`, that row's `follows` for the column. "AgentB answers the call |
 * Initial call will now get disconnected" makes "AgentA is disconnected" a consequence of
 * AgentB answering, so the quiz never marks it wrong there (the simulator ends AgentA's leg
 * 100 ms later, when AgentA sends BYE after NOTIFY 200 OK).
 */
export function vendorStated(steps, target, aob) {
  const out = new Set();
  const at = steps[target]?.atMs;
  for (const row of ROWS) {
    const i = row.anchor(steps);
    if (i >= 0 && steps[i].atMs === at) for (const k of row.follows[aob ? 0 : 1]) out.add(k);
  }
  return out;
}

/** The ten cells: { id, entry, row, aob, vendor } for each catalogue entry of the table (in row order, true first). */
export function tableCells(catalogue) {
  const cells = [];
  for (const row of ROWS) {
    for (const aob of [true, false]) {
      const entry = catalogue.find((c) => c.id === `${row.key}-aob-${aob}`);
      if (entry && readAnswerOnBridge(entry.scenario.initialTwiml) === aob) cells.push({ id: entry.id, entry, row, aob, vendor: row.vendor[aob ? 0 : 1] });
    }
  }
  return cells;
}

/** The cell (see `tableCells`) of catalogue id `id`, or null. */
export function cellOf(cells, id) {
  return cells.find((c) => c.id === id) ?? null;
}

/** The step index of the moment `cell` describes in `steps` (settled), or the last step when the moment is absent. */
export function cellMoment(cell, steps) {
  const i = settle(steps, cell.row.anchor(steps));
  return i < 0 ? steps.length - 1 : i;
}

const LEG_STATE = {
  ringing: "is ringing",
  "in-progress": "is on the line, bridged with nobody",
  completed: "is disconnected",
  "no-answer": "did not answer (no-answer)",
  busy: "was busy",
  failed: "failed",
  canceled: "was canceled",
  queued: "is queued",
};

/**
 * What the legs are at the moment a cell describes, in words read from the module's
 * snapshots: `steps[moment].legs` (who is bridged with whom, each leg's status) and the
 * alerts raised on the steps from `anchor` to `moment`. The sentence leads with the
 * initial call (what the vendor's cells talk about), then the other legs, then the alerts:
 * "the initial call is connected: UserA and AgentA are bridged; AgentB is ringing".
 * Never the end of the run: that is `outcome.summary`.
 */
export function momentState(steps, anchor, moment) {
  const legs = steps[moment]?.legs ?? [];
  const label = (id) => legs.find((l) => l.id === id)?.label ?? id;
  const caller = legs.find((l) => l.id === "caller");
  const parts = [];
  if (caller?.bridgedWith === "transferor") parts.push(`the initial call is connected: ${caller.label} and ${label("transferor")} are bridged`);
  else if (caller?.bridgedWith) parts.push(`${caller.label} and ${label(caller.bridgedWith)} are bridged${caller.bridgedWith === "target" ? ": the transfer" : ""}; the initial call is disconnected`);
  else if (caller?.status === "in-progress") parts.push(`the initial call is disconnected: ${caller.label} is on the line, connected to nobody`);
  else if (caller) parts.push(`the initial call is disconnected: ${caller.label}'s call has ended`);
  for (const leg of legs) {
    if (leg === caller || leg.id === caller?.bridgedWith) continue;
    if (leg.bridgedWith) {
      if (leg.id < leg.bridgedWith) parts.push(`${leg.label} and ${label(leg.bridgedWith)} are bridged`);
    } else if (LEG_STATE[leg.status]) {
      parts.push(`${leg.label} ${LEG_STATE[leg.status]}`);
    }
  }
  const codes = [...new Set(steps.slice(Math.max(0, anchor), moment + 1).flatMap((s) => s.alerts ?? []).map((a) => a.code).filter((c) => c != null))];
  if (codes.length) parts.push(`Twilio raises alert ${codes.join(", ")}`);
  return parts.join("; ");
}

/** The column's heading words. */
export function columnWords(aob) {
  return aob ? "answerOnBridge is true" : "answerOnBridge is false or not set";
}

const DONE_KEY = "refer-sim.table.done";

/** The set of completed cell ids, as kept in localStorage (empty when storage is not available). */
function loadDone() {
  try {
    const v = JSON.parse(localStorage.getItem(DONE_KEY) ?? "[]");
    return new Set(Array.isArray(v) ? v.filter((x) => typeof x === "string") : []);
  } catch {
    return new Set();
  }
}

/**
 * Mount the grid in `root`. `open(cell)` loads the cell's scenario at its moment.
 * Returns { markDone(id), show(id), cells }.
 */
export function mountOutcomeTable(root, catalogue, { open }) {
  const cells = tableCells(catalogue);
  const done = loadDone();
  const buttons = new Map();
  const table = el("table", { cls: "outcome-grid", attrs: { id: "outcome-grid" } },
    el("caption", { text: "The vendor's outcome table: select a cell to watch that moment of the transfer" }),
    el("thead", {}, el("tr", {},
      el("th", { text: "Situation", attrs: { scope: "col" } }),
      el("th", { attrs: { scope: "col" } }, "Initial call status, ", el("code", { text: 'answerOnBridge="true"' })),
      el("th", { attrs: { scope: "col" } }, "Initial call status, ", el("code", { text: "answerOnBridge" }), " false or not set"))));
  const body = el("tbody");
  for (const row of ROWS) {
    const tr = el("tr", { attrs: { "data-row": row.key } }, el("th", { text: row.situation, attrs: { scope: "row" } }));
    for (const aob of [true, false]) {
      const cell = cells.find((c) => c.row === row && c.aob === aob);
      if (!cell) {
        tr.append(el("td", { cls: "missing", text: "(no catalogue scenario for this cell)" }));
        continue;
      }
      const tick = el("span", { cls: "cell-done", text: "✔ done" });
      const b = el("button", { cls: "cell", attrs: { type: "button", "data-cell": cell.id, "data-aob": String(aob) } },
        el("q", { cls: "vendor", text: cell.vendor }),
        el("span", { cls: "cell-go", text: `Watch ${row.moment} ▸` }),
        tick);
      b.addEventListener("click", () => open(cell));
      buttons.set(cell.id, { b, tick });
      tr.append(el("td", {}, b));
    }
    body.append(tr);
  }
  table.append(body);
  const progress = el("p", { cls: "grid-progress", attrs: { id: "grid-progress", "aria-live": "polite" } });
  const reset = el("button", { text: "Clear the ticks", attrs: { type: "button", id: "grid-reset" } });
  reset.addEventListener("click", () => {
    done.clear();
    save();
    render();
  });
  clear(root);
  root.append(table, el("div", { cls: "grid-foot" }, progress, reset), sourceLine("Quoted from ", "."));

  function save() {
    try { localStorage.setItem(DONE_KEY, JSON.stringify([...done])); } catch { /* storage off: ticks last this visit */ }
  }

  function render() {
    for (const [id, { b, tick }] of buttons) {
      const isDone = done.has(id);
      tick.hidden = !isDone;
      b.classList.toggle("done", isDone);
    }
    progress.textContent = `${[...buttons.keys()].filter((id) => done.has(id)).length} of ${buttons.size} cells completed`;
  }
  render();

  return {
    cells,
    markDone(id) {
      if (!buttons.has(id) || done.has(id)) return;
      done.add(id);
      save();
      render();
    },
    show(id) {
      for (const [cid, { b }] of buttons) {
        if (cid === id) b.setAttribute("aria-current", "true");
        else b.removeAttribute("aria-current");
      }
    },
  };
}
