// Leg lanes: one lane per call leg of a step (`step.legs`: the package rebuilds every leg from the steps' `changedLegs`), showing its
// status, whom it is bridged with, whether it is on hold and what it hears. Colour is
// always doubled by text and a symbol. Facts that changed since the previous step are
// marked. Pure rendering of the module's snapshot: nothing here decides call state.
import { el, clear } from "./dom.js";

/** Status → [symbol, words]. The words keep Twilio's CallStatus value visible. */
const STATUS = {
  queued: ["○", "queued"],
  initiated: ["○", "initiated"],
  ringing: ["◔", "ringing"],
  "in-progress": ["●", "in-progress"],
  completed: ["■", "completed (disconnected)"],
  busy: ["✕", "busy"],
  "no-answer": ["✕", "no-answer"],
  failed: ["✕", "failed"],
  canceled: ["✕", "canceled"],
};

const ROLE = { caller: "transferee (caller role)", transferor: "transferor (sends REFER)", target: "transfer target" };
const TRANSPORT = { sip: "SIP", pstn: "phone network", client: "Client" };

/** The words shown for a status (also used by the comparison view and training mode). */
export function statusWords(status) {
  return (STATUS[status] ?? ["?", status])[1];
}

/** Label of a leg id within a snapshot (`caller` → `UserA`). */
export function labelOf(legs, id) {
  return legs.find((l) => l.id === id)?.label ?? id;
}

/**
 * Render `legs` into the list `container`; `previous` (the prior step's legs, or null)
 * marks what changed. `compact` drops the party line (comparison view).
 */
export function renderLanes(container, legs, previous = null, { compact = false } = {}) {
  clear(container);
  const before = new Map((previous ?? []).map((l) => [l.id, l]));
  for (const leg of legs) {
    const prev = before.get(leg.id);
    const isNew = previous !== null && !prev;
    const changed = (field) => (isNew || (prev && prev[field] !== leg[field]) ? " changed" : "");
    const [symbol, words] = STATUS[leg.status] ?? ["?", leg.status];
    const bridged = leg.bridgedWith
      ? el("span", { cls: `fact bridge${changed("bridgedWith")}` }, el("span", { cls: "sym", text: "⇄", attrs: { "aria-hidden": "true" } }), ` bridged with ${labelOf(legs, leg.bridgedWith)}`)
      : el("span", { cls: `fact bridge none${changed("bridgedWith")}`, text: "not bridged" });
    const li = el(
      "li",
      {
        cls: `lane st-${leg.status}${isNew ? " new" : ""}`,
        attrs: {
          "data-leg": leg.id,
          "data-label": leg.label,
          "data-status": leg.status,
          "data-bridged": leg.bridgedWith ? labelOf(legs, leg.bridgedWith) : "",
          "data-hold": String(leg.onHold),
        },
      },
      el(
        "div",
        { cls: "lane-head" },
        el("strong", { cls: "lane-label", text: leg.label }),
        el("span", { cls: "lane-role", text: `${ROLE[leg.role] ?? leg.role} · ${TRANSPORT[leg.transport] ?? leg.transport}` }),
        // A number is named by itself: its party line would repeat the label.
        compact || leg.party === leg.label ? null : el("span", { cls: "lane-party", text: leg.party }),
      ),
      el(
        "div",
        { cls: "lane-facts" },
        el("span", { cls: `fact status st-${leg.status}${changed("status")}` }, el("span", { cls: "sym", text: symbol, attrs: { "aria-hidden": "true" } }), ` ${words}`),
        bridged,
        leg.onHold ? el("span", { cls: `fact hold${changed("onHold")}`, text: "⏸ on hold" }) : null,
        el("span", { cls: `fact hearing${changed("hearing")}` }, "hears: ", el("q", { text: leg.hearing })),
      ),
    );
    container.append(li);
  }
  if (legs.length === 0) container.append(el("li", { cls: "lane empty", text: "No call legs yet." }));
}
