// Why the run ends as it does, and what in the scenario had no effect: the module's
// `explanation` ({ cause, fix }) and `warnings` ([{ code, field, message }]) of a run,
// shown as the module gives them (nothing here reads SIP text or narration).
//
// - The explanation shows at the last step (when the outcome line appears), at the top of the
//   stage's left column: under the narration, which then says how the call ends, and in view
//   at 1280x720 in every mode (the outcome line, under the legs, is below the fold there). It
//   sits beside the ladder, not above it, so it never pushes the ladder or the lesson's
//   panel down. Before the end it would give the story (and the quiz's answers) away.
// - The warnings show from step 1, in the stage under the legs and the outcome line (over
//   the legs they pushed step 1's only leg down by 300 px at 1280x720), and in the editors panel
//   (where an edit that had no effect is made): they are about the scenario as written (an
//   app URL never requested, an endpoint no party matched, a relative URL, an app slower than
//   Twilio waits), and a user who just edited the scenario needs them now, not 30 steps on.
//   While the page conceals the end (the free quiz before its last step; presenter mode
//   before the last step, like the scenario's description) style.css hides them: slow_app,
//   for one, says the request fails.
// The answerOnBridge comparison (compare.js) gives each value's cause too; the printed handout
// does not: its tallest cell is 139.7 mm of the 140.5 mm (half an A4 page) it may take, and a
// cause line made it 149.7 mm (page 1, the table, is 270.5 mm of 277).
import { el, clear } from "./dom.js";

/** A run's warnings as a list: the code, the scenario field it is about, the module's message. */
function warningList(warnings) {
  return el("ul", { cls: "run-warning-list" }, ...warnings.map((w) => el("li", { attrs: { "data-code": w.code } },
    el("div", { cls: "warn-head" }, el("span", { cls: "code", text: w.code }), " ", el("span", { cls: "warn-field", text: w.field })),
    el("p", { cls: "warn-msg", text: w.message }))));
}

/** The heading of a warnings box: how many. */
const warningsTitle = (n) => `${n === 1 ? "Warning" : `${n} warnings`} about the scenario (it ran regardless)`;

/**
 * Mount the explanation at the top of the box that holds `#outcome` (the stage's left
 * column), a warnings box after `#outcome`, and another at the top of the editors panel
 * (before `#editors-body`). Returns `{ element, render(explanation, warnings, atEnd, presenting) }`: `element` the
 * explanation box (`#explanation`, for whoever scrolls it into view with the outcome), `render` given the run's `explanation` and `warnings` as
 * `simulate` returns them, `atEnd` whether the last step is shown, `presenting` whether presenter mode is on (the
 * explanation then sits under `#outcome`). The boxes are rebuilt only
 * when the run changes, so a step costs a `hidden` toggle.
 */
export function mountExplanation(doc = document) {
  const outcome = doc.getElementById("outcome");
  const why = el("div", { cls: "explanation", attrs: { id: "explanation", "aria-live": "polite" } });
  why.hidden = true;
  // Only the editors' box is a live region: an edit is made there, and one announcement is enough.
  const stageWarnings = el("section", { cls: "run-warnings", attrs: { id: "run-warnings", "aria-label": "Warnings about this scenario" } });
  stageWarnings.hidden = true;
  outcome.parentElement.prepend(why);
  outcome.after(stageWarnings);
  const editorsBody = doc.getElementById("editors-body");
  const editorWarnings = el("section", { cls: "run-warnings", attrs: { id: "editor-run-warnings", "aria-live": "polite", "aria-label": "Warnings about this scenario" } });
  editorWarnings.hidden = true;
  editorsBody?.before(editorWarnings);

  let shown = [undefined, undefined]; // the explanation and warnings the boxes were built for
  function build(explanation, warnings) {
    shown = [explanation, warnings];
    clear(why);
    const { cause, fix } = explanation ?? {};
    if (cause) why.append(el("p", { cls: "why" }, el("strong", { cls: "label", text: "Why it ends so: " }), el("span", { cls: "cause", text: cause })));
    if (fix) why.append(el("p", { cls: "fix" }, el("strong", { cls: "label", text: "What to change: " }), el("span", { cls: "fix-text", text: fix })));
    warnings ??= [];
    // Each box's heading one level under the headings around it (h3 "Call legs"; the editors' h2).
    for (const [box, heading] of [[stageWarnings, "h4"], [editorWarnings, "h3"]]) {
      clear(box);
      box.hidden = warnings.length === 0;
      if (warnings.length) box.append(el(heading, { text: warningsTitle(warnings.length) }), warningList(warnings));
    }
  }

  return {
    element: why,
    render(explanation, warnings, atEnd, presenting = false) {
      if (explanation !== shown[0] || warnings !== shown[1]) build(explanation, warnings);
      why.hidden = !(atEnd && why.childElementCount > 0);
      // Presenting, the column scrolls inside itself: the box goes under the outcome line, so the two
      // are read (and scrolled into view) together at the last step; elsewhere it heads the column.
      // Presenting beside the lesson or the quiz, the lanes' column is too narrow for it (at 1280x720
      // "Why it ends so / What to change" ran off the bottom of the screen): it goes under the open
      // panel, in the stage's second row there (style.css).
      const panel = presenting ? doc.querySelector(".stage > .training:not([hidden])") : null;
      if (panel) {
        if (why.previousElementSibling !== panel) panel.after(why);
      } else if (presenting ? why.previousElementSibling !== outcome : why !== outcome.parentElement.firstElementChild) {
        if (presenting) outcome.after(why);
        else outcome.parentElement.prepend(why);
      }
    },
  };
}
