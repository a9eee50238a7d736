// The trainer's page in headless Chromium: the fairness of every question's choices
// (the right answer's position, collected through the page over the outcome table),
// and the teaching views built on top of the playground.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { openPlayground, SCREENSHOTS } from "./harness.mjs";

const stepIndex = (page) => page.evaluate(() => Number(document.body.dataset.step));
// The scenario's last step (the scrubber's end is the last step reached while the future is hidden).
const lastIndex = (page) => page.evaluate(() => window.__playground.state.steps.length - 1);

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

/**
 * Positions of the right answer, as a printed and checked distribution. Each position must
 * hold at least half its expected share (a question of n choices puts 1/n there when the
 * position is one of its n) and at most half of all. `even`: among the questions with the
 * same number of choices, every position within one of an equal share (the lesson deals its
 * positions evenly within a run, per number of choices).
 */
function checkSpread(label, questions, { even = false } = {}) {
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
    const share = questions.reduce((a, q) => a + (i < q.n ? 1 / q.n : 0), 0);
    assert.ok(c <= total / 2, `${label}: position ${i + 1} holds ${c} of ${total} right answers (at most half)`);
    assert.ok(c >= share / 2, `${label}: position ${i + 1} holds ${c} of ${total} right answers (at least half its expected share, ${share.toFixed(1)})`);
  }
  assert.ok(counts.filter(Boolean).length >= 3, `${label}: the right answer appears in at least three positions`);
  if (even) {
    for (const n of new Set(questions.map((q) => q.n))) {
      const group = questions.filter((q) => q.n === n);
      for (let i = 0; i < n; i++) {
        const c = group.filter((q) => q.at === i).length;
        assert.ok(Math.abs(c - group.length / n) <= 1, `${label}: of the ${group.length} questions with ${n} choices, position ${i + 1} holds ${c}, an even share is ${(group.length / n).toFixed(1)}`);
      }
    }
  }
  return counts;
}

/**
 * Click through the whole guided lesson with the keyboard alone: Tab to a choice, Enter,
 * then Enter on "Next question". `pickRight(n)` says whether to answer question n right.
 * Returns each question's { source, n, at, prompt, cell }.
 */
async function lessonByKeyboard(page, pickRight = () => true) {
  const out = [];
  for (let guard = 0; guard < 40; guard++) {
    if (await page.$("#lesson-final")) break;
    await page.waitForSelector("#lesson .choices button");
    await page.waitForFunction(() => document.activeElement?.closest?.("#lesson .choices"));
    const correct = await page.$$eval("#lesson .choices button", (bs) => bs.map((b) => b.dataset.correct === "true"));
    const prompt = await page.textContent("#lesson-q");
    const cell = await page.inputValue("#scenario-picker");
    const at = correct.indexOf(true);
    out.push({ source: `lesson ${cell}: ${prompt}`, n: correct.length, at, prompt, cell });
    const target = pickRight(out.length - 1) ? at : correct.findIndex((c) => !c);
    for (let i = 0; i < target; i++) await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.dataset.correct), String(correct[target]), "Tab walks the choices in order");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#lesson-feedback");
    await page.waitForFunction(() => document.activeElement?.id === "lesson-next");
    await page.keyboard.press("Enter");
  }
  return out;
}

/** Turn the guided lesson on with the keyboard (Tab to the toggle, Space). */
async function startLesson(page) {
  await page.focus("#aob-toggle");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "lesson-toggle");
  await page.keyboard.press(" ");
  await page.waitForSelector("#lesson:not([hidden])");
}

test("fairness: the right answer's position is spread over every quiz and lesson question", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const questions = [];
    for (const id of await tableIds(page)) questions.push(...(await quizQuestions(page, id)));
    checkSpread("free quiz, the ten cells", questions);
    await page.evaluate(() => localStorage.clear());
    await page.uncheck("#training-toggle");
    await startLesson(page);
    const lesson = await lessonByKeyboard(page);
    checkSpread("guided lesson", lesson, { even: true });
    checkSpread("quiz and lesson together", [...questions, ...lesson]);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

/** The main lanes as { label: { status, bridged } }. */
async function lanes(page) {
  const list = await page.$$eval("#lanes li.lane[data-leg]", (ns) => ns.map((n) => [n.dataset.label, { status: n.dataset.status, bridged: n.dataset.bridged }]));
  return Object.fromEntries(list);
}

/** What each row's moment must show, read from the lanes (never a step number). */
const AT_MOMENT = {
  "webhook-executed": (l, aob) => (aob ? l.UserA.bridged === "AgentA" : l.UserA.bridged === "" && l.AgentA.bridged === ""),
  "agentb-answers": (l) => l.UserA.bridged === "AgentB" && l.AgentB.status === "in-progress",
  "agentb-no-answer": (l, aob) => l.AgentB.status === "no-answer" && (aob ? l.UserA.bridged === "AgentA" : l.UserA.status === "completed"),
  "refer-url-unreachable": (l, aob) => (aob ? l.UserA.bridged === "AgentA" : l.UserA.status === "completed"),
  "refer-url-absent": (l) => l.UserA.bridged === "AgentA" && l.AgentA.status === "in-progress",
};

test("the outcome table as a grid: each cell quotes the vendor, opens its scenario at its moment, and ticks when completed", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.evaluate(() => localStorage.clear());
    const cells = await page.$$eval("#outcome-grid button.cell", (bs) => bs.map((b) => ({ id: b.dataset.cell, aob: b.dataset.aob === "true", text: b.textContent, row: b.closest("tr").dataset.row })));
    assert.equal(cells.length, 10, "ten cells");
    const reference = await (await import("node:fs/promises")).readFile("/work/shared/reference/twilio-sip-refer.txt", "utf8").catch(() => null);
    for (const cell of cells) {
      const quote = await page.$eval(`#outcome-grid button[data-cell="${cell.id}"] q`, (q) => q.textContent);
      if (reference) assert.ok(reference.includes(quote), `${cell.id}: "${quote}" is the vendor's sentence`);
      await page.click(`#outcome-grid button[data-cell="${cell.id}"]`);
      await page.waitForFunction((id) => document.getElementById("scenario-picker").value === id, cell.id);
      const i = await stepIndex(page);
      const steps = await page.evaluate(() => window.__playground.state.steps.map((s) => ({ kind: s.kind, atMs: s.atMs })));
      assert.ok(i > 0, `${cell.id}: not the first step`);
      assert.ok(i === steps.length - 1 || steps[i + 1].atMs > steps[i].atMs, `${cell.id}: the moment has settled (step ${i})`);
      assert.ok(AT_MOMENT[cell.row](await lanes(page), cell.aob), `${cell.id}: the lanes at step ${i} show ${cell.row}: ${JSON.stringify(await lanes(page))}`);
      assert.equal(await page.isChecked("#aob-toggle"), cell.aob);
      if (i < steps.length - 1) assert.equal(await page.$eval(`#outcome-grid button[data-cell="${cell.id}"] .cell-done`, (n) => n.hidden), true, `${cell.id}: not ticked before the end`);
      await page.keyboard.press("End");
      assert.equal(await page.$eval(`#outcome-grid button[data-cell="${cell.id}"] .cell-done`, (n) => n.hidden), false, `${cell.id}: ticked once completed`);
    }
    assert.match(await page.textContent("#grid-progress"), /10 of 10 cells completed/);
    // The ticks are kept across a reload, and can be cleared.
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.match(await page.textContent("#grid-progress"), /10 of 10/);
    await page.click("#grid-reset");
    assert.match(await page.textContent("#grid-progress"), /0 of 10/);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the guided lesson: ten cells in order, questions about what matters, feedback with the vendor's sentence, one score kept until Restart, keyboard only", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await startLesson(page);
    // The first question: the default (answerOnBridge absent), right after the webhook.
    assert.equal(await page.inputValue("#scenario-picker"), "webhook-executed-aob-false");
    assert.match(await page.textContent("#lesson-q"), /right after the referUrl webhook.*who is connected/i);
    assert.equal(await page.isChecked("#training-toggle"), false, "the free quiz stays off during the lesson");
    // Nothing after the question's moment is visible: the ladder hides it and Next stops.
    const asked = await stepIndex(page);
    assert.ok(await page.$$eval("#ladder g.row.hidden", (n) => n.length) > 0, "future arrows hidden");
    assert.ok(await page.isDisabled("#btn-next"), "Next waits for the answer");
    assert.equal(await page.$$eval("#ladder g.row:not(.hidden)", (gs) => gs.every((g) => Number(g.dataset.step) <= Number(document.body.dataset.step))), true);

    // Answer the first question wrong: the feedback explains with the vendor's sentence.
    const wrong = await page.$$eval("#lesson .choices button", (bs) => bs.findIndex((b) => b.dataset.correct === "false"));
    await page.click(`#lesson .choices button:nth-child(${wrong + 1})`);
    assert.match(await page.textContent("#lesson-feedback"), /Not quite/);
    assert.match(await page.textContent("#lesson .vendor-quote"), /“?Initial call is disconnected”?/);
    assert.match(await page.textContent("#lesson .why"), /answerOnBridge is false or absent/, "the module's narration says why");
    assert.ok(await stepIndex(page) > asked, "the answer reveals the moment");
    const lanes = await page.$$eval("#lanes li.lane[data-leg]", (ns) => Object.fromEntries(ns.map((n) => [n.dataset.label, n.dataset.bridged])));
    assert.equal(lanes.UserA, "", "right after the webhook UserA is no longer with AgentA (answerOnBridge absent)");
    assert.match(await page.textContent("#lesson-score"), /Score: 0 \/ 1/);

    // The score survives a reload; the lesson resumes at the next question.
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await startLesson(page);
    assert.match(await page.textContent("#lesson-score"), /Score: 0 \/ 1/);
    assert.equal(await page.inputValue("#scenario-picker"), "webhook-executed-aob-true");

    // The rest by keyboard alone, all right; timed.
    const t0 = Date.now();
    const rest = await lessonByKeyboard(page);
    const ms = Date.now() - t0;
    const total = rest.length + 1;
    console.log(`lesson: ${total} questions over ${new Set(rest.map((q) => q.cell)).size + 1} cells; clicked through by keyboard in ${(ms / 1000).toFixed(1)} s`);
    assert.equal(new Set(["webhook-executed-aob-false", ...rest.map((q) => q.cell)]).size, 10, "all ten cells");
    assert.ok(rest.some((q) => /can it come back/.test(q.prompt)), "asks whether the call can come back");
    assert.match(await page.textContent("#lesson-final"), new RegExp(`${total - 1} of ${total} right`));
    assert.match(await page.textContent("#grid-progress"), /10 of 10 cells completed/, "every cell ticked");

    // Restart clears the score.
    await page.click("#lesson-restart");
    assert.match(await page.textContent("#lesson-score"), /Score: 0 \/ 0/);
    assert.equal(await page.inputValue("#scenario-picker"), "webhook-executed-aob-false");
    // The free quiz is still there, and switches the lesson off.
    await page.check("#training-toggle");
    assert.equal(await page.isChecked("#lesson-toggle"), false);
    assert.ok(await page.isVisible("#training"));
    assert.ok(!(await page.isVisible("#lesson")));
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the picture agrees with the words: the toggle opens the matching cell or says it is an edited variant; narration and lanes agree on AgentA", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const description = () => page.textContent("#scenario-description");
    // Every cell's toggle lands on its sibling cell: title, description and grid cell follow.
    for (const id of await tableIds(page)) {
      await page.selectOption("#scenario-picker", id);
      await page.waitForFunction(() => document.body.dataset.step === "0");
      await page.click("#btn-last");
      const aob = await page.isChecked("#aob-toggle");
      const sibling = id.replace(/-aob-(true|false)$/, `-aob-${!aob}`);
      await page.click("#aob-toggle");
      await page.waitForFunction((s) => document.getElementById("scenario-picker").value === s, sibling);
      const title = await page.$eval("#scenario-picker", (s) => s.selectedOptions[0].textContent);
      assert.match(title, aob ? /answerOnBridge false or not set$/ : /answerOnBridge true$/, `${id}: the title follows the toggle`);
      assert.doesNotMatch(await page.textContent("#scenario-group"), /edited/);
      assert.equal(await page.getAttribute(`#outcome-grid button[data-cell="${sibling}"]`, "aria-current"), "true", `${id}: the grid marks ${sibling}`);
      const shown = await description();
      const outcome = await page.textContent("#outcome");
      // The description's promise and the outcome line say the same thing.
      if (/re-established/.test(shown)) assert.match(outcome, /re-established/, `${sibling}: "${shown}" vs "${outcome}"`);
      if (/not possible/.test(shown)) assert.match(outcome, /nobody is connected/, `${sibling}: "${shown}" vs "${outcome}"`);
    }

    // An edited scenario has no catalogue twin: the page says so in plain words.
    await page.selectOption("#scenario-picker", "agentb-no-answer-aob-false");
    await page.fill("#ed-referto", "<sip:AgentB@example.sip.twilio.com?X-Note=mine>");
    await page.waitForFunction(() => /edited/.test(document.getElementById("scenario-group").textContent));
    await page.check("#aob-toggle");
    await page.waitForFunction(() => /answerOnBridge is true here/.test(document.getElementById("scenario-description").textContent));
    assert.match(await description(), /Edited variant: .*describe the original, not what you see/);
    assert.match(await page.textContent("#scenario-group"), /edited variant/);
    assert.equal(await page.$$eval("#outcome-grid button[aria-current]", (n) => n.length), 0, "no cell claims it");

    // Who releases AgentA and when: whenever the narration says Twilio disconnects AgentA,
    // AgentA is no longer bridged in the lanes at that step; if the narration says AgentA
    // is to hang up itself, the ladder shows AgentA's BYE afterwards.
    for (const id of await tableIds(page)) {
      await page.selectOption("#scenario-picker", id);
      await page.waitForFunction(() => document.body.dataset.step === "0");
      const last = await lastIndex(page);
      const seen = [];
      for (let i = 0; i <= last; i++) {
        if (i > 0) await page.click("#btn-next");
        seen.push({ narration: await page.textContent("#narration-text, #narration .narration-text"), lanes: await lanes(page) });
      }
      for (const [i, s] of seen.entries()) {
        if (!/disconnects AgentA/.test(s.narration)) continue;
        // The step's own snapshot may still show the bridge; by the end of the instant it is gone.
        const settled = seen.slice(i).find((x) => x.lanes.AgentA.bridged === "") ?? null;
        assert.ok(settled, `${id} step ${i}: "${s.narration}" but AgentA stays bridged`);
        if (s.lanes.AgentA.status !== "completed") {
          assert.match(s.narration, /AgentA is expected to hang up \(BYE\)|from UserA/, `${id} step ${i}: AgentA's lane is ${s.lanes.AgentA.status}, the narration must not say its call ended`);
          assert.ok(seen.slice(i + 1).some((x) => /AgentA hangs up \(BYE\)/.test(x.narration) && x.lanes.AgentA.status === "completed"), `${id}: AgentA's BYE follows`);
        }
      }
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

/** A box { top, bottom, left, right } of `selector`. */
const box = (page, selector) => page.$eval(selector, (n) => { const r = n.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width }; });

/** The picker's titles wider than the closed select can show (measured in its own font). */
const cutTitles = (page) => page.$eval("#scenario-picker", (select) => {
  const cs = getComputedStyle(select);
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
  const room = select.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 24; // less the arrow
  return [...select.options].filter((o) => ctx.measureText(o.text).width > room).map((o) => o.text);
});

test("for a room: the lesson panel beside the lanes at 1280x720, presenter mode, dark mode and a printed handout", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.evaluate(() => localStorage.clear());
    await page.check("#lesson-toggle");
    await page.waitForSelector("#lesson .choices button");
    const lanesBox = await box(page, ".lanes-box");
    const lessonBox = await box(page, "#lesson");
    const ladderBox = await box(page, ".ladder-box");
    assert.ok(lessonBox.left >= lanesBox.right && lessonBox.right <= ladderBox.left, "lanes | lesson | ladder, side by side");
    assert.ok(lessonBox.top < lanesBox.bottom && lanesBox.top < 720 - 100, "the lanes are in view beside the panel");
    const lastChoice = await box(page, "#lesson .choices button:last-child");
    assert.ok(lastChoice.bottom <= 720, `every choice fits in 720 px (last ends at ${lastChoice.bottom})`);
    // The timeline gives nothing away during the lesson: no marks at future instants, no end time, no step total.
    assert.ok(!(await page.isVisible("#stepper .ticks")), "lesson: no timeline marks or end time");
    assert.doesNotMatch(await page.textContent("#step-counter"), /\//, "lesson: no step total");
    assert.ok(!(await page.isVisible("#scenario-description")), "lesson question: the scenario's description (it says how the call ends) waits");
    const scrub = () => page.$eval("#scrubber", (n) => ({ max: Number(n.max), value: Number(n.value), total: window.__playground.state.steps.length }));
    let sc = await scrub();
    assert.ok(sc.total > sc.max + 1 && sc.max === sc.value, `lesson: the scrubber ends at the step asked about, not at the call's end (${JSON.stringify(sc)})`);
    await page.click('#lesson .choices button[data-correct="true"]');
    sc = await scrub();
    assert.equal(sc.max, sc.value, `lesson feedback: the scrubber ends at the step revealed (${JSON.stringify(sc)})`);
    assert.ok(await page.isVisible("#scenario-description"), "lesson feedback: the description is back");
    const panel = await box(page, "#lesson");
    // The panel is brought into view by scrollIntoView, which scrolls by whole pixels: a panel whose
    // top sits at a fraction of a pixel ends up to a pixel past the edge (720.25 seen), which shows nothing.
    assert.ok(panel.top >= 0 && panel.bottom < 721, `lesson feedback: the whole panel, its "why" included, in view at 1280x720 (${panel.top}..${panel.bottom})`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scrolling");
    await page.uncheck("#lesson-toggle");
    assert.deepEqual(await cutTitles(page), [], "1280x720: every scenario title whole in the picker");
    // The free quiz's panel too: beside the lanes, its choices in view.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.check("#training-toggle");
    for (let i = 0; i < 20 && !(await page.$("#training .choices")); i++) await page.click("#btn-next");
    const quizBox = await box(page, "#training");
    assert.ok(quizBox.left >= (await box(page, ".lanes-box")).right && quizBox.right <= (await box(page, ".ladder-box")).left, "lanes | quiz | ladder, side by side");
    const quizLast = await box(page, "#training .choices button:last-child");
    assert.ok(quizLast.bottom <= 720, `every quiz choice fits in 720 px (last ends at ${quizLast.bottom})`);
    assert.ok(!(await page.isVisible("#scenario-description")), "quiz question: the description waits");
    await page.uncheck("#training-toggle");

    // Presenter mode, by keyboard: P in, arrows step, Esc out.
    await page.selectOption("#scenario-picker", "agentb-no-answer-aob-true");
    await page.waitForFunction(() => document.body.dataset.step === "0");
    const normalText = await page.$eval("#narration .narration-text", (n) => parseFloat(getComputedStyle(n).fontSize));
    const normalLabel = await page.$eval("#ladder .arrow-label", (n) => n.getBoundingClientRect().height);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.focus("#stepper");
    await page.keyboard.press("p");
    assert.ok(await page.evaluate(() => document.body.classList.contains("presenter")));
    assert.equal(await page.getAttribute("#presenter-toggle", "aria-pressed"), "true");
    for (let i = 0; i < 8; i++) await page.keyboard.press("ArrowRight");
    assert.equal(await stepIndex(page), 8);
    const bigText = await page.$eval("#narration .narration-text", (n) => parseFloat(getComputedStyle(n).fontSize));
    const bigLabel = await page.$eval("#ladder .arrow-label", (n) => n.getBoundingClientRect().height);
    assert.ok(bigText >= 1.3 * normalText, `large narration (${normalText} px at 1280 → ${bigText} px presenting at 1920)`);
    // Plain mode draws the ladder's smallest text at 12 px too (a trainer projects it): its labels
    // are 15 px there (were 13), so presenting at 1920 makes them 1.4 times larger, no longer 1.6.
    assert.ok(bigLabel >= 1.4 * normalLabel, `large ladder labels (${normalLabel.toFixed(1)} px at 1280 → ${bigLabel.toFixed(1)} px presenting at 1920)`);
    assert.ok((await box(page, "#playground")).width >= 1800, "full width");
    assert.ok((await box(page, ".ladder")).bottom <= 1080, "presenting at 1920x1080: the ladder ends inside the screen");
    assert.deepEqual(await cutTitles(page), [], "presenting: every scenario title whole in the picker");
    assert.ok(!(await page.isVisible("#scenario-description")), "presenting: the description waits for the end");
    for (const id of ["compare", "editors", "share", "refer-to-panel"]) assert.ok(!(await page.isVisible(`#${id}`)), `#${id} out of the way`);
    // No spoilers: rows of steps not reached are hidden (not greyed), and nobody can focus them.
    const rows = await page.$$eval("#ladder g.row", (gs) => gs.map((g) => ({ step: Number(g.dataset.step), visibility: getComputedStyle(g).visibility, opacity: getComputedStyle(g).opacity })));
    for (const r of rows) {
      if (r.step > 8) assert.equal(r.visibility, "hidden", `row of step ${r.step} hidden`);
      else assert.equal(r.opacity, "1", `row of step ${r.step} fully drawn`);
    }
    assert.ok(!(await page.isVisible("#outcome")), "the outcome waits for the end");
    assert.ok(!(await page.isVisible("#stepper .ticks")), "presenting: no timeline marks or end time");
    assert.match(await page.textContent("#step-counter"), /^step 9$/, "presenting: the step number without the total");
    assert.equal(await page.$eval("#scrubber", (n) => `${n.value}/${n.max}`), "8/8", "presenting: the scrubber spans the steps reached, its thumb at the end");
    await page.keyboard.press("ArrowLeft");
    assert.equal(await page.$eval("#scrubber", (n) => `${n.value}/${n.max}`), "7/8", "back a step: the steps reached stay on the scrubber");
    await page.keyboard.press("ArrowRight");
    assert.ok(await page.$$eval("#lanes .fact.status", (ns) => ns.length > 0 && ns.every((n) => n.checkVisibility())), "every lane still shows its status");
    await page.screenshot({ path: new URL("presenter-1920x1080.png", SCREENSHOTS).pathname });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: new URL("presenter-1280x720.png", SCREENSHOTS).pathname });
    // The outcome table is what a class is taught from: its link opens it while presenting.
    await page.click('header.site a[href="#table-panel"]');
    assert.ok(await page.isVisible("#table-panel"), "presenting: the header's link shows the outcome table");
    assert.ok(!(await page.isVisible("#compare")), "presenting: the other panels stay out of the way");
    await page.focus("#stepper");
    await page.keyboard.press("Escape");
    assert.ok(!(await page.evaluate(() => document.body.classList.contains("presenter"))));
    assert.ok(await page.isVisible("#stepper .ticks"), "out of presenter mode the timeline marks are back");
    assert.match(await page.textContent("#step-counter"), /^step 9 \/ \d+$/);
    assert.equal(await page.$eval("#scrubber", (n) => Number(n.max)), await lastIndex(page), "out of presenter mode the scrubber spans the whole call");
    assert.ok(await page.isVisible("#compare"));

    // Dark mode follows the system setting.
    await page.emulateMedia({ colorScheme: "dark" });
    const dark = await page.evaluate(() => ({
      bg: getComputedStyle(document.body).backgroundColor,
      fg: getComputedStyle(document.body).color,
      ladder: getComputedStyle(document.querySelector("#ladder .ladder-svg > rect")).fill,
    }));
    const lum = (c) => c.match(/\d+/g).slice(0, 3).reduce((a, b) => a + Number(b), 0) / 3;
    assert.ok(lum(dark.bg) < 60 && lum(dark.fg) > 180, `dark page: ${JSON.stringify(dark)}`);
    assert.ok(lum(dark.ladder) < 60, `dark ladder background: ${dark.ladder}`);
    await page.screenshot({ path: new URL("dark-1280x720.png", SCREENSHOTS).pathname });
    await page.emulateMedia({ colorScheme: "light" });

    // Print: only the handout, the table, then one row of the table a page: each cell on
    // half an A4 page, its ladder drawn in millimetres with labels of at least 8 pt.
    await page.emulateMedia({ media: "print" });
    await page.setViewportSize({ width: 703, height: 1047 }); // A4 less the 12 mm and 10 mm margins, in CSS px
    assert.ok(!(await page.isVisible("#playground")));
    assert.ok(await page.isVisible("#handout .handout-table"));
    const cells = await page.$$eval("#handout .handout-cell", (cs) => cs.map((c) => {
      const drawing = c.querySelector("svg.paper-ladder");
      const mmPerUnit = drawing.getBoundingClientRect().width / drawing.viewBox.baseVal.width / (96 / 25.4);
      const pt = (sel) => Math.min(...[...drawing.querySelectorAll(sel)].map((t) => (Number(t.getAttribute("font-size")) * mmPerUnit) / 0.3528));
      return {
        id: c.dataset.cell, rows: drawing.querySelectorAll("g.row").length, moment: drawing.querySelectorAll("g.row.moment").length,
        heading: c.querySelector("h3").textContent, vendor: c.querySelector(".vendor q").textContent, outcome: c.querySelector(".outcome")?.textContent ?? "",
        label: pt(".arrow-label"), sub: drawing.querySelector(".arrow-sub") ? pt(".arrow-sub") : Infinity, note: pt(".note-text"),
        mm: c.getBoundingClientRect().height / (96 / 25.4),
      };
    }));
    assert.equal(cells.length, 10);
    for (const c of cells) {
      assert.ok(c.rows >= 3, `${c.id}: a ladder`);
      assert.ok(c.moment >= 1, `${c.id}: the cell's moment tinted`);
      assert.match(c.heading, /answerOnBridge is (true|false or not set)$/);
      assert.ok(c.vendor.length > 10, `${c.id}: the vendor's sentence`);
      assert.match(c.outcome, /^Outcome: /);
      assert.ok(c.label >= 8 && c.sub >= 6.9 && c.note >= 6.9, `${c.id}: legible on paper (labels ${c.label.toFixed(1)} pt, sub-labels ${c.sub.toFixed(1)} pt, notes ${c.note.toFixed(1)} pt)`);
      assert.ok(c.mm <= 277 / 2 + 2, `${c.id}: half an A4 page at most (${c.mm.toFixed(1)} mm of 277 mm)`);
    }
    console.log(`handout cells: ${cells.map((c) => `${c.id} ${c.mm.toFixed(0)} mm`).join(", ")}; ladder labels ${Math.min(...cells.map((c) => c.label)).toFixed(1)} pt`);
    assert.equal(await page.$$eval("#handout .handout-table tbody tr", (r) => r.length), 5);
    await page.screenshot({ path: new URL("print-1280x720.png", SCREENSHOTS).pathname, fullPage: true });
    const pdf = await page.pdf({ format: "A4" });
    const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page\b/g) ?? []).length;
    console.log(`handout: ${pages} A4 pages (the table, then one row of it a page, two cells a page)`);
    assert.equal(pages, 6);
    await page.emulateMedia({ media: "screen" });
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

/** Every Mermaid line this page writes, with its text part checked for what Mermaid would interpret. */
function checkMermaid(mmd) {
  const lines = mmd.trimEnd().split("\n");
  assert.equal(lines[0], "sequenceDiagram");
  for (const line of lines.slice(1)) {
    const m = /^ {4}(title |participant p_\w+ as |p_\w+(?:->>|-->>|--x)p_\w+: |Note over p_\w+(?:,p_\w+)?: )(.*)$/.exec(line);
    assert.ok(m, `a line Mermaid reads as one statement: ${line}`);
    const text = m[1] === "title " ? m[2] : m[2].replace(/#\d+;/g, "");
    assert.doesNotMatch(text, /[#;%<>{}]/, `nothing left for Mermaid to interpret: ${line}`);
  }
  return lines;
}

test("exports stand alone on a slide: SVG and Mermaid carry the title, the outcome and the times, and Mermaid escapes what it would interpret", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.selectOption("#scenario-picker", "agentb-no-answer-aob-true");
    await page.waitForFunction(() => document.body.dataset.step === "0");
    await page.click("#export-mermaid");
    const lines = checkMermaid(await page.inputValue("#mermaid-text"));
    assert.equal(lines[1], "    title refer-sim · AgentB does not answer the call — answerOnBridge true");
    assert.match(lines.at(-1), /^ {4}Note over p_caller,p_app: Outcome: The transfer failed and the initial call was re-established/);
    const messages = lines.filter((l) => /->>|-->>|--x|Note over p_twilio:/.test(l));
    assert.ok(messages.length > 10 && messages.every((l) => /: \d+\.\d{3} s · /.test(l)), "every message and note at its time");
    assert.ok(messages.some((l) => /55\.120 s · NOTIFY \(sipfrag: SIP\/2\.0 487/.test(l)));

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-svg")]);
    const svgText = await readFile(await download.path(), "utf8");
    assert.match(svgText, />refer-sim · AgentB does not answer the call — answerOnBridge true</);
    assert.match(svgText, />Outcome: The transfer failed and the initial call was re-established/);
    assert.match(svgText, />Simulated time: 0 s to 55\.120 s/);
    assert.match(svgText, />55\.120 s</, "row times");
    assert.doesNotMatch(svgText, /tabindex|aria-pressed|class="row [^"]*\b(current|future|hidden|selected)\b/);

    // A Refer-To that carries Mermaid syntax is text in the export, not a directive.
    await page.fill("#ed-referto", `"%%{init: {'theme':'dark'}}%% #x; <b>" <sip:AgentB@example.sip.twilio.com>`);
    await page.waitForFunction(() => /edited/.test(document.getElementById("scenario-group").textContent));
    await page.click("#export-mermaid");
    const mmd = await page.inputValue("#mermaid-text");
    const edited = checkMermaid(mmd);
    assert.ok(!mmd.includes("%%"), "no %% left: no comment, no directive");
    assert.equal(edited[1], "    title refer-sim · Edited variant of: AgentB does not answer the call — answerOnBridge true");
    const refer = edited.find((l) => / · REFER \(/.test(l));
    assert.match(refer, /#37;#37;#123;init: #123;'theme':'dark'#125;#125;#37;#37; #35;x#59; #60;b#62;/, "each character as its entity code, once");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

const AXE = await readFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");

/** axe-core's WCAG 2.1 A and AA rules on the whole page: the violations, one line each. */
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE); // evaluate: the page's CSP forbids inline scripts
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
  });
}

test("accessibility: no axe-core WCAG 2.1 A/AA violation on the default view, the grid, the lesson, training, presenter mode and dark mode", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.evaluate(() => localStorage.clear());
    const views = {};
    views.default = await axeViolations(page);
    await page.click('#outcome-grid button[data-cell="agentb-answers-aob-false"]');
    await page.keyboard.press("End");
    views.grid = await axeViolations(page);
    await page.check("#lesson-toggle");
    await page.waitForSelector("#lesson .choices button");
    views["lesson question"] = await axeViolations(page);
    await page.click("#lesson .choices button");
    await page.waitForSelector("#lesson-feedback");
    views["lesson feedback"] = await axeViolations(page);
    await page.check("#training-toggle");
    await page.click("#btn-next");
    await page.waitForSelector("#training .choices button");
    views.training = await axeViolations(page);
    await page.uncheck("#training-toggle");
    await page.click("#presenter-toggle");
    views.presenter = await axeViolations(page);
    await page.click("#presenter-toggle");
    await page.emulateMedia({ colorScheme: "dark" });
    views.dark = await axeViolations(page);
    await page.click("#presenter-toggle");
    views["dark presenter"] = await axeViolations(page);
    for (const [view, found] of Object.entries(views)) console.log(`axe ${view}: ${found.length} violations${found.length ? `: ${found.slice(0, 5).join("; ")}` : ""}`);
    assert.deepEqual(views, Object.fromEntries(Object.keys(views).map((k) => [k, []])));
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

/** The `#s=` share hash of a scenario, as the page writes it. */
function shareHash(scenario) {
  return `#s=${Buffer.from(JSON.stringify({ format: "refer-sim-playground/1", id: null, scenario, step: 0 })).toString("base64url")}`;
}

test("page bugs: a scenario that fails on first load does not claim a last run; a 130 KB one-line share link shows windows of the line", async () => {
  // Nothing ran before: the message must not promise a last run that worked.
  const broken = { initialTwiml: "<Response><Dial referUrl=\"https://example.com/h\"><Sip>sip:AgentA@example.com</Sip></Dial></Response>", refer: { atMs: 20000, referTo: "<sip:AgentB@example.com>" }, nonsense: true };
  let pg = await openPlayground({ path: shareHash(broken) });
  try {
    const { page } = pg;
    const text = await page.textContent("#scenario-error");
    assert.match(text, /cannot run/);
    assert.doesNotMatch(text, /last run that worked/);
    assert.match(text, /Nothing has run yet/);
    assert.equal(await page.$$eval("#lanes li.lane[data-leg]", (n) => n.length), 0);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }

  // 10,000 unknown attributes on one 130 KB line: one diagnostic each.
  const attrs = Array.from({ length: 10_000 }, (_, i) => `x${i}="v${i}"`).join(" ");
  const huge = { initialTwiml: `<Response><Dial referUrl="https://example.com/handler" ${attrs}><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>`, refer: { atMs: 20000, referTo: "<sip:AgentB@example.sip.twilio.com>" } };
  assert.ok(huge.initialTwiml.length > 120_000 && !huge.initialTwiml.includes("\n"));
  const t0 = Date.now();
  pg = await openPlayground({ path: shareHash(huge), readyTimeout: 30_000 });
  try {
    const { page } = pg;
    await page.waitForSelector("#ed-initial-diags li.diag");
    const ms = Date.now() - t0;
    const shown = await page.$$eval("#ed-initial-diags pre.caret", (ps) => ps.map((p) => p.textContent));
    const note = await page.textContent("#ed-initial-diags");
    console.log(`130 KB one-line share link: page ready with diagnostics in ${ms} ms; ${shown.length} carets shown, the longest ${Math.max(...shown.map((s) => s.length))} characters`);
    assert.ok(shown.length > 0 && shown.length <= 100, "a bounded number of diagnostics drawn");
    assert.match(note, /more diagnostics not shown/);
    for (const s of shown) {
      const [line, caret] = s.split("\n");
      assert.ok(line.length <= 130, `a window of the line, not the whole line (${line.length} characters)`);
      assert.match(caret, /^ *\^$/);
      assert.ok(caret.length - 1 <= line.length);
    }
    // The caret points at the attribute the diagnostic names.
    const first = await page.$eval("#ed-initial-diags li.diag pre.caret", (p) => p.textContent);
    const [line, caret] = first.split("\n");
    assert.match(line.slice(caret.length - 1), /^x\d+="v\d+"/, first);
    assert.equal(await page.evaluate(() => 1 + 1), 2, "the tab is alive");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("screenshots for a class: default view, grid, lesson, presenter mode and print, at 1280x720 and 1920x1080", async () => {
  for (const [width, height] of [[1280, 720], [1920, 1080]]) {
    const pg = await openPlayground({ viewport: { width, height } });
    try {
      const { page } = pg;
      const shot = (name, fullPage = false) => page.screenshot({ path: new URL(`${name}-${width}x${height}.png`, SCREENSHOTS).pathname, fullPage });
      await page.evaluate(() => localStorage.clear());
      await shot("default");
      await page.$eval("#table-panel", (n) => n.scrollIntoView({ block: "start" }));
      await shot("grid");
      await page.click('#outcome-grid button[data-cell="agentb-no-answer-aob-true"]');
      await shot("grid-jump");
      await page.check("#lesson-toggle");
      await page.waitForSelector("#lesson .choices button");
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("lesson-question");
      await page.click('#lesson .choices button[data-correct="false"]');
      await page.waitForSelector("#lesson-feedback");
      await shot("lesson-feedback"); // as the learner sees it: the panel scrolled whole into view
      await page.uncheck("#lesson-toggle");
      await page.selectOption("#scenario-picker", "agentb-answers-aob-false");
      await page.focus("#stepper");
      await page.keyboard.press("p");
      for (let i = 0; i < 13; i++) await page.keyboard.press("ArrowRight");
      await shot("presenter");
      await page.keyboard.press("Escape");
      await page.emulateMedia({ media: "print" });
      await page.evaluate(() => window.scrollTo(0, 0));
      await shot("print");
      await page.$eval("#handout .handout-cell", (n) => n.scrollIntoView({ block: "start" }));
      await shot("print-cell");
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  }
});
