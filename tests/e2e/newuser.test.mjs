// What a new user tripped over on the trainer's page (keyboard and quiz fairness), each a
// case that failed before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("the arrow keys step after ticking a checkbox: the footer promises them everywhere but in text fields", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.selectOption("#scenario-picker", "agentb-answers-aob-true");
    await page.waitForFunction(() => document.body.dataset.step === "0");
    // A trainer ticks the free quiz with the keyboard, then presses → for the first question.
    await page.focus("#training-toggle");
    await page.keyboard.press("Space");
    assert.equal(await page.isChecked("#training-toggle"), true, "Space still ticks the checkbox");
    await page.keyboard.press("ArrowRight");
    await page.waitForSelector("#training .choices button", { timeout: 2000 });
    // The range input (the timeline) keeps its own arrow keys.
    await page.uncheck("#training-toggle");
    await page.focus("#aob-toggle");
    const before = await page.evaluate(() => Number(document.body.dataset.step));
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((b) => Number(document.body.dataset.step) === b + 1, before, { timeout: 2000 });
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
