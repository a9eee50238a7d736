// What a new user tripped over on the trainer's page (keyboard and quiz fairness), each a
// case that failed before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openScenario, walkQuiz } from "./harness.mjs";

test("the arrow keys step after ticking a checkbox: the footer promises them everywhere but in text fields", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await openScenario(page, "agentb-answers-aob-true");
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

/** The ladder's column heads a learner can see (not hidden). */
const visibleColumns = (page) =>
  page.$$eval(".ladder-head .col", (gs) => gs.filter((g) => getComputedStyle(g).visibility !== "hidden").map((g) => g.querySelector(".col-label").textContent));

test("the quiz's ladder shows no party before it enters the call: the AgentB and App columns gave the answer away", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    // referUrl absent: no request ever reaches the App; no referUrl cell: AgentB is never called.
    for (const id of ["refer-url-absent-aob-true", "agentb-answers-aob-true"]) {
      await openScenario(page, id, { quiz: true });
      assert.deepEqual(await visibleColumns(page), ["UserA", "Twilio"], `${id} at its first step`);
    }
    // Stepping on (answering each question right) brings each party in at its first step.
    const seen = await walkQuiz(page, () => visibleColumns(page), (cols) => cols.join());
    assert.deepEqual(seen.at(-1), ["UserA", "Twilio", "AgentA", "AgentB", "App"]);
    assert.ok(seen.findIndex((c) => c.includes("App")) < seen.findIndex((c) => c.includes("AgentB")), "the App enters before AgentB");
    // Without the quiz every column shows at once.
    await page.uncheck("#training-toggle");
    await page.click("#btn-restart");
    assert.deepEqual(await visibleColumns(page), ["UserA", "Twilio", "AgentA", "AgentB", "App"]);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the number keys answer: the quiz's and the lesson's choices are numbered 1. 2. 3., and pressing 2 picks the second", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await openScenario(page, "agentb-no-answer-aob-true");
    await page.check("#training-toggle");
    await page.focus("#btn-next");
    for (let guard = 0; guard < 20 && !(await page.$("#training .choices button")); guard++) await page.keyboard.press("ArrowRight");
    const choices = await page.$$eval("#training .choices button", (bs) => bs.map((b) => [b.textContent, b.dataset.correct === "true", b.getAttribute("aria-keyshortcuts")]));
    assert.deepEqual(choices.map((c) => c[2]), choices.map((_, i) => String(i + 1)), "each choice announces its key");
    await page.keyboard.press("2");
    await page.waitForSelector("#training-feedback");
    const feedback = await page.textContent("#training-feedback");
    assert.equal(feedback.startsWith("✔"), choices[1][1], `${feedback} after choosing ${choices[1][0]}`);
    assert.match(await page.textContent("#training-score"), /Score: \d \/ 1/);
    // A key past the last choice, or typed into a text field, answers nothing.
    for (let guard = 0; guard < 20 && !(await page.$("#training .choices button")); guard++) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("9");
    assert.match(await page.textContent("#training-score"), /Score: \d \/ 1/);
    await page.focus("#rt-input");
    await page.keyboard.press("1");
    assert.match(await page.textContent("#training-score"), /Score: \d \/ 1/);
    // The lesson takes them too.
    await page.check("#lesson-toggle");
    await page.waitForSelector("#lesson .choices button");
    await page.focus("#btn-next");
    const lesson = await page.$$eval("#lesson .choices button", (bs) => bs.map((b) => b.dataset.correct === "true"));
    await page.keyboard.press(String(lesson.indexOf(true) + 1));
    await page.waitForFunction(() => /Score: 1 \//.test(document.getElementById("lesson").textContent));
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the ladder's note for a bridge step that changes only what a leg hears says so, not a bare \"bridged\"", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await openScenario(page, "no-bye-after-notify");
    const notes = await page.$$eval("#ladder g.row.note", (gs) => gs.map((g) => g.dataset.label));
    assert.ok(!notes.includes("bridged") && !notes.includes("unbridged"), notes.join(" | "));
    // At 52.120 s AgentA's call ends and the audio resumes (the step's own words).
    assert.ok(notes.includes("UserA hears AgentB"), notes.join(" | "));
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("a seconds field out of its range says so in seconds and leaves the scenario as it was (a typed -3 was sent as -3000 ms, and the error named the milliseconds)", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await openScenario(page, "agentb-answers-aob-true");
    const atMs = () => page.evaluate(() => window.__playground.state.scenario.refer.atMs);
    const before = await atMs();
    await page.fill("#ed-refer-at", "-3");
    await page.waitForTimeout(600); // past the editor's run delay
    assert.equal(await atMs(), before, "the scenario keeps its REFER time");
    assert.equal(await page.$eval("#ed-refer-at", (n) => n.validationMessage), "0 to 3600 seconds");
    assert.doesNotMatch(await page.textContent("body"), /-3000/, "no message in milliseconds");
    await page.fill("#ed-refer-at", "12");
    await page.waitForFunction(() => window.__playground.state.scenario.refer.atMs === 12000);
    assert.equal(await page.$eval("#ed-refer-at", (n) => n.validationMessage), "", "a good value clears it");
    // An endpoint's "after (s)" field reads the same way.
    const after = page.locator('input[id$="-after"]').first();
    await after.fill("-1");
    assert.equal(await after.evaluate((n) => n.validationMessage), "0 to 600 seconds");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
