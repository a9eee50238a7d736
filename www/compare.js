// answerOnBridge side by side: the current scenario run twice by the module, once
// with answerOnBridge="true" on the initial <Dial> and once without it (default
// false), showing the legs right after the referUrl webhook and at the end, plus a
// list of what differs. Flipping the attribute is a text edit of the TwiML (located
// with the module's `parseTwiml`), i.e. scenario editing, not transfer logic.
import { simulate, parseTwiml } from "/pkg/index.js";
import { el, clear, byteToCharIndex, formatMs } from "./dom.js";
import { renderLanes, statusWords, labelOf } from "./lanes.js";

const dials = new Map(); // the last few documents parsed: the page asks about the same TwiML many times

/** The first <Dial> of a TwiML document as the module parses it, or null. */
export function firstDial(xml) {
  if (dials.has(xml)) return dials.get(xml);
  const dial = parseFirstDial(xml);
  if (dials.size >= 4) dials.delete(dials.keys().next().value);
  dials.set(xml, dial);
  return dial;
}

function parseFirstDial(xml) {
  let parsed;
  try {
    parsed = parseTwiml(xml);
  } catch {
    return null;
  }
  const stack = [...(parsed.response?.children ?? [])];
  while (stack.length) {
    const node = stack.shift();
    if (node.type === "Dial") return node;
    if (node.children) stack.push(...node.children);
  }
  return null;
}

/** answerOnBridge of the first <Dial>: true / false, or null when there is no parsable <Dial>. */
export function readAnswerOnBridge(xml) {
  const dial = firstDial(xml);
  if (!dial) return null;
  return dial.answerOnBridge === true;
}

/** The TwiML with the first <Dial>'s answerOnBridge set to "true" (on) or removed (off: the default, false). */
export function withAnswerOnBridge(xml, on) {
  const dial = firstDial(xml);
  if (!dial) return xml;
  const attr = (dial.attributes ?? []).find((a) => a.name === "answerOnBridge");
  if (attr) {
    let start = byteToCharIndex(xml, attr.span.start);
    const end = byteToCharIndex(xml, attr.span.end);
    if (on) return `${xml.slice(0, start)}answerOnBridge="true"${xml.slice(end)}`;
    while (start > 0 && /\s/.test(xml[start - 1])) start--; // drop the space before it too
    return `${xml.slice(0, start)}${xml.slice(end)}`;
  }
  if (!on) return xml;
  const at = byteToCharIndex(xml, dial.span.start) + "<Dial".length;
  return `${xml.slice(0, at)} answerOnBridge="true"${xml.slice(at)}`;
}

/** The last step at the same simulated instant as step `i` (the moment once settled); -1 for -1. */
export function settle(steps, i) {
  if (i < 0) return -1;
  let j = i;
  while (j + 1 < steps.length && steps[j + 1].atMs === steps[i].atMs) j++;
  return j;
}

/** The step right after the referUrl webhook answered or failed (last step at that instant), or null. */
function afterWebhook(steps) {
  const i = settle(steps, steps.findIndex((s) => s.kind === "webhook-fetched" || s.kind === "webhook-failed"));
  return i < 0 ? null : steps[i];
}

/**
 * The legs still up but bridged with nobody at step `at` that were bridged before the webhook
 * (the step before the first webhook step): [[id, the leg it was bridged with]].
 */
function cutOff(steps, at) {
  const w = steps.findIndex((s) => s.kind === "webhook-fetched" || s.kind === "webhook-failed");
  const before = w > 0 ? steps[w - 1].legs : [];
  return at.legs.filter((l) => l.status === "in-progress" && !l.bridgedWith && before.find((b) => b.id === l.id)?.bridgedWith)
    .map((l) => [l.id, { from: before.find((b) => b.id === l.id).bridgedWith, end: steps.slice(w).find((s) => s.legs.find((x) => x.id === l.id)?.status === "completed") ?? null }]);
}

/**
 * The words for a leg cut off (`cut`: { from, end: the step its leg ends at, or null }): the
 * vendor's "initial call is disconnected" while the leg itself is still up until it hangs up.
 */
function cutWords(legs, cut) {
  const end = !cut.end ? "its leg is still up at the end"
    : /hangs up \(BYE\)/.test(cut.end.narration) ? `its leg ends when it sends BYE (t = ${formatMs(cut.end.atMs)})`
    : `its leg ends at t = ${formatMs(cut.end.atMs)}`;
  return `disconnected from ${labelOf(legs, cut.from)}; ${end}`;
}

function describe(legs, leg, cut = null) {
  if (!leg) return "absent";
  return `${statusWords(leg.status)}, ${leg.bridgedWith ? `bridged with ${labelOf(legs, leg.bridgedWith)}` : cut ? cutWords(legs, cut) : "not bridged"}`;
}

/** Mount the comparison in `root`; returns { render(scenario) }. */
export function mountCompare(root) {
  function column(title, aob, scenario, current) {
    const box = el("section", { cls: `cmp-col${current ? " current" : ""}`, attrs: { "data-aob": String(aob), "aria-label": title } });
    box.append(el("h3", {}, el("code", { text: title }), current ? el("span", { cls: "tag-current", text: " — the scenario as loaded" }) : null));
    let run;
    try {
      run = simulate(scenario);
    } catch (err) {
      box.append(el("p", { cls: "error", text: `Cannot run: ${err.message}` }));
      return { box, run: null };
    }
    box.append(el("p", { cls: "cmp-summary", text: run.outcome.summary }),
      // Why this value ends so: the module's cause, which names what answerOnBridge did.
      el("p", { cls: "cmp-cause" }, el("strong", { text: "Why: " }), run.explanation.cause));
    const mid = afterWebhook(run.steps);
    const midList = el("ol", { cls: "lanes compact" });
    box.append(el("h4", { text: "Right after the referUrl webhook" }));
    if (mid) {
      renderLanes(midList, mid.legs, null, { compact: true });
      midList.dataset.moment = "after-webhook";
      // The vendor's cell says "the initial call is disconnected" while AgentA's leg is still up
      // (in-progress, bridged with nobody) until AgentA hangs up: say both on its lane.
      for (const [id, from] of cutOff(run.steps, mid)) {
        midList.querySelector(`[data-leg="${id}"]`)?.append(el("span", { cls: "fact cut-note", text: cutWords(mid.legs, from) }));
      }
      box.append(midList);
    } else {
      box.append(el("p", { cls: "hint", text: "No referUrl webhook in this run." }));
    }
    const endList = el("ol", { cls: "lanes compact" });
    endList.dataset.moment = "end";
    renderLanes(endList, run.steps.at(-1)?.legs ?? [], null, { compact: true });
    box.append(el("h4", { text: "At the end" }), endList);
    return { box, run, mid };
  }

  function render(scenario) {
    clear(root);
    const current = readAnswerOnBridge(scenario.initialTwiml);
    if (current === null) {
      root.append(el("p", { cls: "hint", text: "The initial TwiML has no <Dial> that parses, so there is nothing to compare." }));
      return;
    }
    const on = { ...scenario, initialTwiml: withAnswerOnBridge(scenario.initialTwiml, true) };
    const off = { ...scenario, initialTwiml: withAnswerOnBridge(scenario.initialTwiml, false) };
    const a = column('answerOnBridge="true"', true, on, current === true);
    const b = column("answerOnBridge absent (false)", false, off, current === false);
    const diff = el("div", { cls: "cmp-diff", attrs: { id: "compare-diff", "aria-live": "polite" } });
    if (a.run && b.run) {
      const lines = [];
      const cuts = (col) => new Map(col.mid ? cutOff(col.run.steps, col.mid) : []);
      const pairs = [["right after the webhook", a.mid?.legs, b.mid?.legs, cuts(a), cuts(b)], ["at the end", a.run.steps.at(-1).legs, b.run.steps.at(-1).legs, new Map(), new Map()]];
      for (const [moment, x, y, cx, cy] of pairs) {
        if (!x || !y) continue;
        const ids = [...new Set([...x.map((l) => l.id), ...y.map((l) => l.id)])];
        for (const id of ids) {
          const lx = x.find((l) => l.id === id);
          const ly = y.find((l) => l.id === id);
          const dx = describe(x, lx, cx.get(id));
          const dy = describe(y, ly, cy.get(id));
          if (dx !== dy) lines.push(`${moment}, ${(lx ?? ly).label}: ${dx} (true) vs ${dy} (false)`);
        }
      }
      diff.append(el("h3", { text: lines.length ? "What answerOnBridge changes here" : "Same legs for both values" }));
      if (lines.length) diff.append(el("ul", {}, ...lines.map((t) => el("li", { text: t }))));
      else diff.append(el("p", { cls: "hint", text: "In this scenario answerOnBridge makes no difference to the legs (as the outcome table says for a missing referUrl)." }));
    }
    root.append(el("div", { cls: "cmp-grid" }, a.box, b.box), diff);
  }
  return { render };
}
