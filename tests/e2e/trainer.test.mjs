// The trainer's page in headless Chromium: the fairness of every question's choices
// (the right answer's position, collected through the page over the outcome table),
// and the teaching views built on top of the playground.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

const stepIndex = (page) => page.evaluate(() => Number(document.body.dataset.step));
const lastIndex = (page) => page.$eval("#scrubber", (n) => Number(n.max));

/** The catalogue ids of the outcome table's ten cells, read from the picker. */
async function tableIds(page) {
  return page.$$eval('#scenario-picker optgroup[label="The outcome table"] option', (os) => os.map((o) => o.value));
}

/** Play `id` in the free step-by-step quiz, answering right; returns each question's choices. */
async function quizQuestions(page, id) {
  await page.selectOption("#scenario-picker", id);
  await page.waitForFunction(() => document.body.dataset.step === "0");
  if (!(await page.isChecked("#training-toggle"))) await page.check("#training-toggle");
  const out = [];
  const last = await lastIndex(page);
  for (let guard = 0; guard < 200 && (await stepIndex(page)) < last; guard++) {
    await page.click("#btn-next");
    if (!(await page.$("#training .choices"))) continue;
    const correct = await page.$$eval("#training .choices button", (bs) => bs.map((b) => b.dataset.correct === "true"));
    out.push({ source: `quiz ${id}`, n: correct.length, at: correct.indexOf(true) });
    await page.click(`#training .choices button:nth-child(${correct.indexOf(true) + 1})`);
  }
  return out;
}

/** Positions of the right answer, as a printed and checked distribution. */
function checkSpread(label, questions) {
  const widest = Math.max(...questions.map((q) => q.n));
  const counts = Array.from({ length: widest }, () => 0);
  for (const q of questions) counts[q.at] += 1;
  const total = questions.length;
  const line = counts.map((c, i) => `position ${i + 1}: ${c ?? 0} (${Math.round((100 * (c ?? 0)) / total)} %)`).join(", ");
  console.log(`${label}: ${total} questions; right answer at ${line}`);
  for (const q of questions) assert.ok(q.at >= 0, `${q.source}: one right answer`);
  assert.ok(total >= 10, `${label}: enough questions (${total})`);
  for (let i = 0; i < widest; i++) {
    const c = counts[i];
    assert.ok(c <= total / 2, `${label}: position ${i + 1} holds ${c} of ${total} right answers (at most half)`);
  }
  assert.ok(counts.filter(Boolean).length >= 3, `${label}: the right answer appears in at least three positions`);
  return counts;
}

test("fairness: the right answer's position is spread over every quiz question of the outcome table", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const questions = [];
    for (const id of await tableIds(page)) questions.push(...(await quizQuestions(page, id)));
    checkSpread("free quiz, the ten cells", questions);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
