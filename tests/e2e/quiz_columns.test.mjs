// The quiz and the lesson lay out only the parties that have entered the call: the column of a
// party still to come, and the gap it would leave, gave the answer away (AgentB will be called,
// the App will get a request). Checked on screen at 1280x720 and 1920x1080.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openScenario, settled, walkQuiz } from "./harness.mjs";

/** What the ladder's layout shows: the drawing's width on screen, the columns drawn (shown or not), their centres, the arrow labels' size. */
const layout = (page) => page.evaluate(() => {
  const head = document.querySelector("#ladder .ladder-head-svg");
  const cols = [...head.querySelectorAll("g.col")];
  const shown = cols.filter((g) => getComputedStyle(g).visibility !== "hidden");
  const label = document.querySelector("#ladder g.row:not(.hidden) .arrow-label, #ladder g.row:not(.hidden) .note-text");
  const body = document.querySelector("#ladder .ladder-svg").getBoundingClientRect();
  const lastRow = Math.max(...[...document.querySelectorAll("#ladder g.row:not(.hidden) .row-bg")].map((r) => r.getBoundingClientRect().bottom));
  return {
    width: Math.round(head.getBoundingClientRect().width),
    drawn: cols.length,
    shown: shown.map((g) => g.querySelector(".col-label").textContent),
    centres: shown.map((g) => { const r = g.querySelector("rect").getBoundingClientRect(); return r.left + r.width / 2; }),
    px: label ? parseFloat(getComputedStyle(label).fontSize) * label.getScreenCTM().a : 0,
    height: Math.round(body.height), // the rows' drawing: it ends under the last row shown
    tail: Math.round(body.bottom - lastRow),
  };
});

for (const [width, height] of [[1280, 720], [1920, 1080]]) {
  test(`quiz and lesson at ${width}x${height}: only the parties that have entered are laid out, packed, at one type size`, async () => {
    const pg = await openPlayground({ viewport: { width, height } });
    try {
      const { page } = pg;
      // Two scenarios that agree on their first step and differ later (AgentB and the App
      // come in one, not the other): at the first step their ladders look the same.
      const first = {};
      for (const id of ["refer-url-absent-aob-true", "agentb-answers-aob-true"]) {
        await openScenario(page, id, { quiz: true });
        await settled(page);
        first[id] = await layout(page);
      }
      console.log(`quiz at ${width}x${height}, first step: ${JSON.stringify(first)}`);
      const [a, b] = Object.values(first);
      assert.deepEqual(a.shown, ["UserA", "Twilio"]);
      assert.equal(a.drawn, a.shown.length, "no column drawn hidden");
      assert.deepEqual({ width: a.width, centres: a.centres, height: a.height }, { width: b.width, centres: b.centres, height: b.height }, "the same layout whatever comes later (the drawing's length too)");

      // An export made during the quiz is the whole ladder (every party); the quiz's drawing stays as it was.
      const exported = await page.evaluate(() => {
        const link = document.getElementById("export-svg");
        let text = null;
        const keep = URL.createObjectURL;
        URL.createObjectURL = (blob) => { text = blob; return keep.call(URL, blob); };
        link.click();
        URL.createObjectURL = keep;
        return text ? text.text() : null;
      });
      assert.ok(exported, "the export made a file");
      for (const party of ["UserA", "Twilio", "AgentA", "AgentB", "App"]) assert.match(exported, new RegExp(`>${party}</text>`), `the export draws ${party}`);
      assert.deepEqual(await layout(page), b, "the quiz's ladder is as it was after the export");

      // Stepping on: each party comes in as a column beside the last, with no gap, and the type keeps its size.
      const seen = await walkQuiz(page, async () => { await settled(page); return layout(page); }, (l) => l.shown.join());
      for (const l of seen) {
        assert.equal(l.drawn, l.shown.length, `${l.shown}: no column drawn hidden`);
        assert.ok(l.tail <= 20, `${l.shown}: the drawing ends under the last row shown (${l.tail} px below it)`);
        const gaps = l.centres.slice(1).map((c, i) => c - l.centres[i]);
        assert.ok(gaps.every((g) => Math.abs(g - gaps[0]) < 1), `${l.shown}: columns evenly spaced (${gaps.map((g) => g.toFixed(1))})`);
      }
      assert.deepEqual(seen.at(-1).shown, ["UserA", "Twilio", "AgentA", "AgentB", "App"]);
      // Laying the drawing out again when a party enters is part of that step's render (printed: timings are noisy here).
      const times = await page.evaluate(() => [...window.__playground.renderTimes]);
      console.log(`quiz at ${width}x${height}: ${times.length} step renders, the slowest ${Math.max(...times).toFixed(1)} ms`);
      const sizes = seen.map((l) => l.px);
      console.log(`quiz at ${width}x${height}: columns ${seen.map((l) => l.shown.length).join(" → ")}, drawing ${seen.map((l) => l.width).join(" → ")} px wide, label ${sizes.map((p) => p.toFixed(1)).join(" → ")} px`);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) < 1, `the type keeps its size as parties enter (${sizes.map((p) => p.toFixed(1))})`);

      // The lesson: its first question shows only the parties entered by then.
      await page.uncheck("#training-toggle");
      await page.evaluate(() => localStorage.clear());
      await page.check("#lesson-toggle");
      await page.waitForSelector("#lesson .choices button");
      await settled(page);
      const lesson = await layout(page);
      const entered = await page.evaluate(() => {
        const { state } = window.__playground;
        return new Set(state.steps.slice(0, state.index + 1).flatMap((s) => s.legs.map((l) => l.label))).size;
      });
      console.log(`lesson at ${width}x${height}, first question: ${JSON.stringify(lesson)}, ${entered} legs so far`);
      assert.equal(lesson.drawn, lesson.shown.length, "lesson: no column drawn hidden");
      assert.ok(lesson.shown.length <= entered + 2, "lesson: the legs so far, Twilio and at most the App");
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}
