// Step-through controls: restart / previous / play-pause / next / last, a timeline
// scrubber with the simulated clock, the current step's narration with its
// documented / RFC / assumed badge, and the page's keyboard shortcuts
// (← → step, Space play/pause, Home restart, End last step).
import { el, clear, badge, formatMs } from "./dom.js";

const KIND_WORDS = {
  "call-started": "call started", "twiml-verb": "TwiML verb", "leg-ringing": "leg ringing", "leg-answered": "leg answered",
  "leg-ended": "leg ended", bridged: "bridged", unbridged: "unbridged", hold: "hold", "refer-received": "REFER received",
  "refer-rejected": "REFER refused", "refer-accepted": "REFER accepted", "notify-sent": "NOTIFY sent",
  "refer-outcome": "REFER outcome (no NOTIFY)",
  "webhook-requested": "webhook requested", "webhook-fetched": "webhook fetched", "webhook-failed": "webhook failed",
  alert: "alert", digits: "digits", ignored: "ignored", end: "end",
};

/**
 * Mount the controls in `root`. `actions` = { go(index), next(), prev(), restart(), last(), togglePlay() }.
 * Returns { render(view) } with view = { steps, index, playing, limit, hold } (`limit`: furthest revealed index;
 * `hold`: Next stops there instead of asking to go further).
 */
export function mountStepper(root, actions) {
  const button = (text, label, onClick, key) =>
    el("button", { text, attrs: { type: "button", "aria-label": label, title: `${label} (${key})`, "aria-keyshortcuts": key } });
  const restart = button("⇤ Restart", "Restart", null, "Home");
  const prev = button("◀ Previous", "Previous step", null, "ArrowLeft");
  const play = button("▶ Play", "Play", null, "Space");
  const next = button("Next ▶", "Next step", null, "ArrowRight");
  const last = button("Last ⇥", "Last step", null, "End");
  restart.id = "btn-restart"; prev.id = "btn-prev"; play.id = "btn-play"; next.id = "btn-next"; last.id = "btn-last";
  restart.addEventListener("click", () => actions.restart());
  prev.addEventListener("click", () => actions.prev());
  play.addEventListener("click", () => actions.togglePlay());
  next.addEventListener("click", () => actions.next());
  last.addEventListener("click", () => actions.last());

  const scrubber = el("input", { attrs: { type: "range", id: "scrubber", min: "0", max: "0", step: "1", value: "0" } });
  scrubber.addEventListener("input", () => actions.go(Number(scrubber.value)));
  const clock = el("output", { cls: "clock", attrs: { id: "clock", for: "scrubber", "aria-label": "Simulated clock" } });
  const counter = el("span", { cls: "counter", attrs: { id: "step-counter" } });
  const ticks = el("div", { cls: "ticks", attrs: { "aria-hidden": "true" } });
  const narration = el("div", { cls: "narration", attrs: { id: "narration", "aria-live": "polite", "aria-atomic": "true" } });

  clear(root);
  root.append(
    el("div", { cls: "controls", attrs: { role: "group", "aria-label": "Step controls" } }, restart, prev, play, next, last),
    el("div", { cls: "timeline" },
      el("label", { text: "Timeline", attrs: { for: "scrubber" } }),
      el("div", { cls: "scrub" }, scrubber, ticks),
      el("div", { cls: "clockbox" }, clock, counter)),
    narration,
  );

  let builtFor = null;
  let reached = 0; // the furthest step shown of these steps (the scrubber's end while the future is hidden)
  function buildTicks(steps) {
    clear(ticks);
    const end = Math.max(1, steps.at(-1)?.atMs ?? 1);
    // One mark per distinct instant, positioned by simulated time (not by step number).
    const seen = new Set();
    for (const s of steps) {
      if (seen.has(s.atMs)) continue;
      seen.add(s.atMs);
      const mark = el("span", { cls: "tick" });
      mark.style.left = `${(100 * s.atMs) / end}%`;
      ticks.append(mark);
    }
    ticks.append(el("span", { cls: "tick-label start", text: "0 s" }), el("span", { cls: "tick-label end", text: formatMs(end) }));
  }

  /**
   * `hideFuture` (lesson, free quiz, presenter mode): nothing on the timeline tells what is still
   * to come: no marks at future instants, no end time, no step total, and the scrubber spans only
   * the steps reached so far (its thumb would otherwise show how far through the call we are).
   */
  function render({ steps, index, playing, limit, hold = false, hideFuture = false }) {
    const n = steps.length;
    if (builtFor !== steps) {
      builtFor = steps;
      reached = 0;
      buildTicks(steps);
    }
    const step = steps[index];
    reached = Math.max(Math.min(reached, limit), index);
    scrubber.max = String(Math.max(0, hideFuture ? reached : n - 1));
    scrubber.value = String(index);
    scrubber.disabled = n === 0;
    ticks.hidden = hideFuture;
    const total = hideFuture ? "" : ` of ${n}`;
    scrubber.setAttribute("aria-valuetext", step ? `step ${index + 1}${total}, ${formatMs(step.atMs)}, ${KIND_WORDS[step.kind] ?? step.kind}` : "no steps");
    restart.disabled = prev.disabled = index <= 0;
    const end = hold ? Math.min(limit, n - 1) : n - 1; // the furthest step these controls can reach
    next.disabled = last.disabled = index >= end;
    play.textContent = playing ? "⏸ Pause" : "▶ Play";
    play.setAttribute("aria-label", playing ? "Pause" : "Play");
    play.disabled = n === 0 || (!playing && index >= end);
    clock.textContent = step ? `t = ${formatMs(step.atMs)}` : "t = —";
    counter.textContent = !n ? "" : hideFuture ? `step ${index + 1}` : `step ${index + 1} / ${n}${limit < n - 1 ? ` (revealed ${limit + 1})` : ""}`;
    clear(narration);
    if (!step) return;
    narration.dataset.kind = step.kind;
    narration.dataset.tag = step.tag;
    narration.append(
      el("div", { cls: "narration-head" },
        el("span", { cls: "kind", text: KIND_WORDS[step.kind] ?? step.kind }), " ", badge(step.tag, step.source)),
      el("p", { cls: "narration-text", text: step.narration }),
    );
    if (step.alerts.length) {
      narration.append(el("ul", { cls: "alerts" }, ...step.alerts.map((a) => el("li", { text: a.code == null ? `⚠ refer-sim: ${a.message}` : `⚠ Alert ${a.code}: ${a.message}` }))));
    }
  }
  return { render, scrubber };
}

/**
 * Page-wide shortcuts; ignored while typing in a field or with modifier keys held.
 * Optional `presenter()` (P), `escape()` (Esc) and `choose(n)` (1-9: the quiz's or the lesson's
 * n-th choice), each returning true when it did something (presenter: always).
 */
export function installShortcuts(actions) {
  document.addEventListener("keydown", (e) => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    const tag = t?.tagName;
    // A checkbox has no use for the arrows (nor Home/End; a radio group moves with them): the shortcuts
    // work there, as the footer promises everywhere but in text fields; Space still ticks it.
    const toggle = tag === "INPUT" && t.type === "checkbox";
    if ((tag === "INPUT" && !toggle) || tag === "TEXTAREA" || tag === "SELECT" || t?.isContentEditable) return;
    const onControl = toggle || tag === "BUTTON" || tag === "A" || tag === "SUMMARY" || t?.getAttribute?.("role") === "button";
    switch (e.key) {
      case "ArrowRight": actions.next(); break;
      case "ArrowLeft": actions.prev(); break;
      case "Home": actions.restart(); break;
      case "End": actions.last(); break;
      case " ":
        if (onControl) return; // Space activates the focused control instead.
        actions.togglePlay();
        break;
      case "p":
      case "P":
        if (!actions.presenter) return;
        actions.presenter();
        break;
      case "Escape":
        if (!actions.escape?.()) return;
        break;
      default:
        // 1-9: the numbered choice of the question on screen, if there is one.
        if (!/^[1-9]$/.test(e.key) || !actions.choose?.(Number(e.key))) return;
    }
    e.preventDefault();
  });
}
