// Why a run ends as it does: the module's `explanation` ({ cause, fix }) shows at the last
// step, where the outcome appears, and not before; the run's `warnings` ({ code, field,
// message }) show from step 1 (an edited scenario can have them at once), except while the
// page conceals the end (the free quiz before its last step, presenter mode before the last
// step). Expected texts come from the package run in Node, not from the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { simulate, scenarios } from "refer-sim";
import { openPlayground, SCREENSHOTS } from "./harness.mjs";

const entry = (id) => scenarios().find((e) => e.id === id);
const runOf = (id) => simulate(entry(id).scenario);
const shot = (page, name) => page.screenshot({ path: new URL(`explanation-${name}.png`, SCREENSHOTS).pathname });

/** What the page (or the part `selector` names) renders as text (display:none, [hidden] and hidden panels excluded). */
const seen = (page, selector = "body") => page.$eval(selector, (n) => n.innerText);
/** The rectangle of `selector` in the viewport. */
const rect = (page, selector) => page.$eval(selector, (n) => { const r = n.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; });
const stepState = (page) => page.evaluate(() => [window.__playground.state.index, window.__playground.state.steps.length]);

/** Open the playground (`options` as `openPlayground`'s), run `fn(page)`, then check the page reported no error. */
async function withPlayground(options, fn) {
  const pg = await openPlayground(options);
  try {
    await fn(pg.page);
    assert.deepEqual(pg.problems, [], "no page error or console error");
  } finally {
    await pg.close();
  }
}

/** Text with the page's whitespace folded (innerText breaks lines where the layout does). */
const fold = (s) => s.replace(/\s+/g, " ");

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`${viewport.width}x${viewport.height}: the cause and the fix appear at the last step and not before, labelled, beside the ladder`, async () => {
    await withPlayground({ viewport }, async (page) => {
      const id = "agentb-no-answer-aob-false";
      const { explanation, steps } = runOf(id);
      assert.ok(explanation.cause && explanation.fix, "this scenario has a cause and a fix");
      await page.selectOption("#scenario-picker", id);
      for (let i = 0; i < steps.length - 1; i++) {
        assert.deepEqual(await stepState(page), [i, steps.length]);
        // The playground (the answerOnBridge comparison below it runs both values to the end, and says why, from step 1).
        const text = fold(await seen(page, "#playground"));
        assert.ok(!text.includes(explanation.cause), `step ${i + 1}: the cause is not shown yet`);
        assert.ok(!text.includes(explanation.fix), `step ${i + 1}: the fix is not shown yet`);
        assert.ok(!(await page.isVisible("#explanation")), `step ${i + 1}: no explanation box`);
        await page.click("#btn-next");
      }
      assert.deepEqual(await stepState(page), [steps.length - 1, steps.length]);
      assert.equal(fold(await page.innerText("#explanation .why")), fold(`Why it ends so: ${explanation.cause}`));
      assert.equal(fold(await page.innerText("#explanation .fix")), fold(`What to change: ${explanation.fix}`));
      assert.ok(await page.isVisible("#outcome"), "the outcome shows at the same step");
      // In view without scrolling, and the ladder where it was: the box sits beside it.
      const why = await rect(page, "#explanation");
      assert.ok(why.top >= 0 && why.top < viewport.height - 150, `the explanation starts in view (${why.top})`);
      const [ladderBox, stage] = [await rect(page, ".ladder-box"), await rect(page, ".stage")];
      assert.ok(Math.abs(ladderBox.top - stage.top) < 1 && why.right <= ladderBox.left, `the ladder starts at the top of the stage, the explanation beside it (${JSON.stringify({ ladderBox, stage, why })})`);
      await shot(page, `${viewport.width}-end`);

      // Presenter mode at the last step: the ladder still ends above the bottom edge.
      await page.click("#presenter-toggle");
      await page.waitForTimeout(200);
      assert.ok(await page.isVisible("#explanation .fix"));
      const ladder = await rect(page, ".ladder");
      assert.ok(ladder.bottom <= viewport.height, `presenter mode: the ladder ends in view (${ladder.bottom} of ${viewport.height})`);
      const shown = await rect(page, "#explanation");
      assert.ok(shown.top >= 0 && shown.top < viewport.height - 150, `presenter mode: the explanation starts in view (${shown.top})`);
      await shot(page, `${viewport.width}-presenter-end`);
      await page.click("#presenter-toggle");

      // A transfer that went through: its cause, and no fix line (the module's fix is null).
      const ok = runOf("agentb-answers-aob-true").explanation;
      assert.equal(ok.fix, null);
      await page.selectOption("#scenario-picker", "agentb-answers-aob-true");
      await page.click("#btn-last");
      assert.equal(fold(await page.innerText("#explanation .why")), fold(`Why it ends so: ${ok.cause}`));
      assert.equal(await page.locator("#explanation .fix").count(), 0, "no fix when the module gives none");
      assert.ok(!(await page.isVisible("#run-warnings")), "a catalogue scenario without warnings shows no warnings box");
    });
  });
}

test("a scenario edited so that its app is never requested shows the unused_app warning from step 1, in the stage and the editors; undoing the edit removes it", async () => {
  await withPlayground({}, async (page) => {
    const id = "agentb-answers-aob-true";
    await page.selectOption("#scenario-picker", id);
    assert.ok(!(await page.isVisible("#run-warnings")) && !(await page.isVisible("#editor-run-warnings")), "no warnings before the edit");
    // The user mistypes the referUrl: the app entry for the old URL is now never requested.
    const original = await page.inputValue("#ed-initial");
    const edited = original.replace("https://example.com/handler", "https://example.com/transfer");
    assert.notEqual(edited, original);
    const expected = simulate({ ...entry(id).scenario, initialTwiml: edited }).warnings;
    const unused = expected.find((w) => w.code === "unused_app");
    assert.ok(unused, `the module warns unused_app for the edit: ${JSON.stringify(expected)}`);
    await page.fill("#ed-initial", edited);
    await page.waitForSelector('#run-warnings li[data-code="unused_app"]', { state: "attached" });
    assert.equal((await stepState(page))[0], 0, "still at step 1");
    for (const box of ["#run-warnings", "#editor-run-warnings"]) {
      assert.ok(await page.isVisible(box), `${box} is shown at step 1`);
      const items = await page.$$eval(`${box} li`, (lis) => lis.map((li) => ({
        code: li.querySelector(".code").textContent, field: li.querySelector(".warn-field").textContent, message: li.querySelector(".warn-msg").textContent,
      })));
      assert.deepEqual(items, expected, `${box}: every warning with its code, field and message`);
      assert.match(await page.innerText(`${box} :is(h3, h4)`), new RegExp(`^${expected.length} warnings`));
    }
    await shot(page, "edited-editors");
    await page.$eval("#playground", (n) => n.scrollIntoView({ block: "start" }));
    await shot(page, "edited-stage");
    // The edit undone: the warnings go.
    await page.fill("#ed-initial", original);
    await page.waitForFunction(() => document.getElementById("run-warnings").hidden);
    assert.ok(!(await page.isVisible("#editor-run-warnings")));
  });
});

/** Answer or skip every quiz question until the last step; `check(index)` runs at each step reached before it. */
async function quizToEnd(page, check) {
  for (let k = 0; k < 200; k++) {
    const [i, n] = await stepState(page);
    if (i === n - 1) return;
    await check(i);
    if (await page.locator("#training .skip-q").count()) await page.click("#training .skip-q");
    else await page.click("#btn-next");
  }
  throw new Error("the quiz never reached the last step");
}

test("free quiz: the explanation and the warnings stay hidden until the quiz's last step, then show", async () => {
  await withPlayground({}, async (page) => {
    for (const id of ["agentb-no-answer-aob-false", "refer-url-slow-timeout"]) {
      const { explanation, warnings } = runOf(id);
      const secrets = [explanation.cause, explanation.fix, ...warnings.map((w) => w.message)].filter(Boolean);
      await page.selectOption("#scenario-picker", id);
      if (!(await page.isChecked("#training-toggle"))) await page.check("#training-toggle");
      await quizToEnd(page, async (i) => {
        const text = fold(await seen(page));
        for (const s of secrets) assert.ok(!text.includes(s), `${id}, step ${i + 1}: "${s.slice(0, 40)}…" is not on screen`);
        assert.ok(!(await page.isVisible("#explanation")) && !(await page.isVisible("#run-warnings")), `${id}, step ${i + 1}: no explanation or warnings box`);
      });
      const text = fold(await seen(page));
      for (const s of secrets) assert.ok(text.includes(s), `${id}: at the quiz's last step "${s.slice(0, 40)}…" is shown`);
      if (warnings.length) {
        assert.ok(await page.isVisible("#run-warnings"));
        await shot(page, "quiz-end-warnings");
      }
      await page.uncheck("#training-toggle");
    }
    // Presenter mode hides the description until the last step, and so the warnings (slow_app says the request fails).
    await page.selectOption("#scenario-picker", "refer-url-slow-timeout");
    assert.ok(await page.isVisible("#run-warnings"), "outside the quiz and presenter mode, the warning shows at step 1");
    await page.click("#presenter-toggle");
    assert.ok(!(await page.isVisible("#run-warnings")), "presenter mode, step 1: the warning waits for the last step");
    await page.click("#btn-last");
    assert.ok(await page.isVisible("#run-warnings") && await page.isVisible("#explanation"), "presenter mode, last step: warning and explanation shown");
  });
});

test("guided lesson at 1280x720: at a question revealing the last step, the explanation shows and the lesson's feedback stays whole in view", async () => {
  await withPlayground({}, async (page) => {
    await page.evaluate(() => localStorage.clear());
    await page.check("#lesson-toggle");
    let ends = 0;
    for (let k = 0; k < 40 && !(await page.$("#lesson-final")); k++) {
      await page.waitForSelector("#lesson .choices button");
      const [i, n] = await stepState(page);
      if (i < n - 1) assert.ok(!(await page.isVisible("#explanation")), "no explanation while a question is asked before the end");
      await page.click('#lesson .choices button[data-correct="true"]');
      await page.waitForSelector("#lesson-feedback");
      const [at, total] = await stepState(page);
      if (at === total - 1) {
        ends++;
        const panel = await rect(page, "#lesson");
        // Within a pixel: the page scrolls by whole pixels (-0.5..611.4 before this change, 108.5..720.4 with it).
        assert.ok(panel.top >= -1 && panel.bottom <= 721, `the lesson's panel whole in view (${panel.top}..${panel.bottom})`);
        const ladder = await rect(page, ".ladder-box");
        assert.ok(ladder.top >= -1 && ladder.top < 720 - 200, `the ladder in view (${ladder.top})`); // within a pixel, as the panel beside it (same row: -0.5 when the page scrolls by whole pixels)
        if (ends === 1) await shot(page, "lesson-end-1280");
        const { cause } = await page.evaluate(() => window.__playground.state.explanation);
        assert.ok(fold(await seen(page)).includes(cause), "the cause shows beside the feedback");

      }
      await page.click("#lesson-next");
    }
    assert.ok(ends >= 3, `questions that reveal the last step were met (${ends})`);
  });
});

test("the compare view gives each answerOnBridge value's cause under its outcome", async () => {
  await withPlayground({}, async (page) => {
    await page.selectOption("#scenario-picker", "agentb-no-answer-aob-true");
    for (const [aob, id] of [["true", "agentb-no-answer-aob-true"], ["false", "agentb-no-answer-aob-false"]]) {
      assert.equal(fold(await page.innerText(`#compare-body [data-aob="${aob}"] .cmp-cause`)), fold(`Why: ${runOf(id).explanation.cause}`), `compare, answerOnBridge ${aob}`);
    }
  });
});

test("accessibility: the explanation and both warnings boxes pass axe-core's WCAG 2.1 A/AA rules, light and dark", async () => {
  const axe = await readFile(new URL("../../node_modules/axe-core/axe.min.js", import.meta.url), "utf8");
  await withPlayground({}, async (page) => {
    await page.evaluate(axe); // evaluate: the page's CSP forbids inline scripts
    await page.selectOption("#scenario-picker", "refer-url-slow-timeout"); // a cause, a fix and a slow_app warning
    await page.click("#btn-last");
    for (const colorScheme of ["light", "dark"]) {
      await page.emulateMedia({ colorScheme });
      assert.ok(await page.isVisible("#explanation .fix") && await page.isVisible("#run-warnings") && await page.isVisible("#editor-run-warnings"));
      const violations = await page.evaluate(async () => {
        const include = [["#explanation"], ["#run-warnings"], ["#editor-run-warnings"], ["#compare-body"]];
        const result = await window.axe.run({ include }, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
      });
      assert.deepEqual(violations, [], `${colorScheme}: ${violations.join("; ")}`);
    }
  });
});
