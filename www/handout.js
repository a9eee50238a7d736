// The printed handout: the vendor's outcome table with the simulated outcome of each
// cell, then each cell's ladder (from the REFER on) and outcome, one cell a page so the
// ladder prints at a readable size. Built once from the
// module's timelines into a section that only the print stylesheet shows.
import { simulate } from "/pkg/index.js";
import { el, clear, formatMs } from "./dom.js";
import { ROWS, columnWords, VENDOR_SOURCE } from "./outcome_table.js";
import { mountLadder } from "./ladder.js";

/** Build the handout for `cells` (see `tableCells`) into `root`. */
export function buildHandout(root, cells) {
  clear(root);
  const runs = new Map(cells.map((c) => [c.id, simulate(c.entry.scenario)]));
  const head = el("tr", {}, el("th", { text: "Situation", attrs: { scope: "col" } }),
    ...[true, false].map((aob) => el("th", { text: `Initial call status, ${columnWords(aob)}`, attrs: { scope: "col" } })));
  const rows = ROWS.map((row) => el("tr", {}, el("th", { text: row.situation, attrs: { scope: "row" } }),
    ...[true, false].map((aob) => {
      const cell = cells.find((c) => c.row === row && c.aob === aob);
      return cell
        ? el("td", {}, el("q", { text: cell.vendor }), el("p", { cls: "sim", text: `Simulated: ${runs.get(cell.id).outcome.summary}` }))
        : el("td", { text: "—" });
    })));
  root.append(
    el("div", { cls: "handout-page" },
      el("h2", { text: "What Twilio does with a SIP REFER: the outcome table" }),
      el("p", { text: `Each cell quotes the vendor (${VENDOR_SOURCE}); the line below it is what refer-sim simulates. The following pages show each cell's SIP ladder and outcome, one cell a page.` }),
      el("table", { cls: "handout-table" }, el("thead", {}, head), el("tbody", {}, ...rows))),
  );
  for (const [i, cell] of cells.entries()) {
    const run = runs.get(cell.id);
    const box = el("div");
    const ladder = mountLadder(box, { onSelect: () => {} });
    // From the REFER on: the call set-up before it is the same in every cell, and a
    // shorter ladder prints large enough to read.
    const from = Math.max(0, run.steps.findIndex((st) => st.kind === "refer-received"));
    ladder.build(run.steps.slice(from), cell.entry.scenario);
    const drawing = ladder.exportSvg({ title: cell.entry.title, outcome: run.outcome.summary, prefix: `handout-${i}` });
    drawing.setAttribute("aria-hidden", "true");
    root.append(el("section", { cls: "handout-cell", attrs: { "data-cell": cell.id } },
      el("h3", { text: `${cell.row.situation} · ${columnWords(cell.aob)}` }),
      el("p", { cls: "vendor" }, "The vendor: ", el("q", { text: cell.vendor })),
      from > 0 ? el("p", { cls: "omitted", text: `From the REFER at ${formatMs(run.steps[from].atMs)}; the call set-up before it (INVITE, 180 Ringing, 200 OK, ACK, UserA and AgentA bridged) is the same in every cell.` }) : null,
      drawing,
      el("p", { cls: "outcome", text: `Outcome: ${run.outcome.summary}` })));
  }
}
