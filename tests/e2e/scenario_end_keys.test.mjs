// → at a scenario's end (a trainer's keyboard or clicker): it did nothing visible (newuser5).
// Now it does what the page's own "next" button does there, else says where things stand:
// - in a random round, at a scenario's end it opens the next scenario, as "Next scenario" does;
//   at the round's end a note says the round is complete and what plays another;
// - in the guided lesson, after an answer it goes on as "Next question" does;
// - anywhere else at the last step a note says so (and what Home and ← do); the note goes at
//   the next step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, presentLesson, openScenario, walkQuiz, settled } from "./harness.mjs";

const note = (page) => page.evaluate(() => { const n = document.getElementById("end-note"); return n && !n.hidden && n.checkVisibility() ? n.textContent : null; });
const roundLine = (page) => page.textContent("#round-line");

test("→ at a scenario's end: the round's next scenario, as the button; at the round's end a note", async () => {
  const pg = await openPlayground({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = pg;
    await page.check("#training-toggle");
    await page.fill("#round-seed", "777");
    await page.click("#round-start");
    const lines = [];
    for (let at = 1; at <= 5; at++) {
      await walkQuiz(page, async () => null);
      assert.equal(await page.isDisabled("#btn-next"), true, `scenario ${at}: at its end`);
      const before = await roundLine(page);
      await page.keyboard.press("ArrowRight");
      await settled(page);
      const after = await roundLine(page);
      lines.push([before, after, await note(page)]);
      if (at < 5) {
        assert.match(before, new RegExp(`scenario ${at} of 5`));
        assert.match(after, new RegExp(`scenario ${at + 1} of 5`), `scenario ${at}'s end: → opens the next scenario (the line said "${after}")`);
        assert.equal(await page.isVisible("#round-next"), false);
      } else {
        assert.match(after, /scenario 5 of 5 · round complete/);
        assert.match(lines.at(-1)[2] ?? "", /round is complete/, "the round's end: a note says so");
      }
    }
    console.log(lines.map((l) => l.join(" → ")).join("\n"));
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("→ at the last step outside a round: a note says it is the last step; the next step takes it away", async () => {
  const pg = await openPlayground({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = pg;
    await openScenario(page, "agentb-busy-aob-true");
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowRight");
    const text = await note(page);
    assert.match(text ?? "", /last step/, "plain stepping: the note");
    // It covers nothing a click needs: the stepper's buttons still answer.
    await page.click("#btn-prev");
    assert.equal(await note(page), null, "gone at the next step");
    // The free quiz outside a round, at its end.
    await openScenario(page, "agentb-busy-aob-true", { quiz: true });
    await walkQuiz(page, async () => null);
    await page.keyboard.press("ArrowRight");
    assert.match(await note(page) ?? "", /quiz's last step/);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("presenting the lesson: → after an answer goes on as “Next question”, and at the lesson's end a note", async () => {
  const pg = await presentLesson({ width: 1280, height: 720 });
  try {
    const { page } = pg;
    const questions = [];
    for (let guard = 0; guard < 60; guard++) {
      const right = await page.$('#lesson .choices button[data-correct="true"]');
      if (!right) break;
      questions.push(await page.textContent("#lesson-q"));
      await right.click();
      await settled(page);
      assert.ok(await page.isVisible("#lesson-next"), "the answer's feedback and its Next question");
      await page.keyboard.press("ArrowRight");
      await settled(page);
    }
    assert.equal(questions.length, 20, "→ took the lesson through its 20 questions");
    assert.ok(await page.isVisible("#lesson-final"));
    await page.keyboard.press("ArrowRight");
    assert.match(await note(page) ?? "", /lesson is complete/);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
