// The free quiz asks "what happens next?": while it holds steps back, nothing on screen may
// say how the scenario ends (the picker's title and description, the outcome table's
// current cell, the answerOnBridge comparison, the editors' endpoint answers, the outcome
// line). Once the quiz has revealed the last step, or is switched off, they are back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, SCREENSHOTS } from "./harness.mjs";

/** Every piece of text a viewer can see: visible text nodes (not inside a select), each visible select's shown option, visible fields' values. */
function visibleText(page) {
  return page.evaluate(() => {
    const out = [];
    const shown = (e) => e && e.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const p = n.parentElement;
      if (!p || p.closest("select, script, style, textarea") || !shown(p) || !n.data.trim()) continue;
      out.push(n.data);
    }
    for (const s of document.querySelectorAll("select")) if (shown(s)) out.push(s.selectedOptions[0]?.textContent ?? "");
    for (const f of document.querySelectorAll("textarea, input[type=text]")) if (shown(f) && f.value) out.push(f.value);
    return out.join("\n");
  });
}

/** Open `id`, switch the quiz on at step 1, return what the scenario's end says. */
async function startQuiz(page, id) {
  await page.selectOption("#scenario-picker", id);
  await page.check("#training-toggle");
  return page.evaluate((id) => {
    const pg = window.__playground;
    const entry = pg.state.catalogue.find((c) => c.id === id);
    return { title: entry.title, description: entry.description, outcome: pg.state.outcome.summary, index: pg.state.index };
  }, id);
}

/** Answer or skip every question until the quiz reaches the last step. */
async function playToEnd(page) {
  for (let k = 0; k < 200; k++) {
    const [i, n] = await page.evaluate(() => [window.__playground.state.index, window.__playground.state.steps.length]);
    if (i === n - 1) return;
    if (await page.locator("#training .skip-q").count()) await page.click("#training .skip-q");
    else await page.click("#btn-next");
  }
  throw new Error("the quiz never reached the last step");
}

// The trainer's two scenarios, and the word the later steps establish that step 1 must not show.
const CASES = [
  { id: "agentb-answers-aob-true", words: [/bridged with AgentB/, /transfer went through/] },
  { id: "agentb-busy-aob-true", words: [/\bbusy\b/i, /486/] },
];

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`free quiz at ${viewport.width}x${viewport.height}: step 1 names neither the scenario nor how it ends; the last step shows the title again`, async () => {
    const pg = await openPlayground({ viewport });
    try {
      const { page } = pg;
      for (const { id, words } of CASES) {
        const s = await startQuiz(page, id);
        assert.equal(s.index, 0, "the quiz starts at step 1");
        const text = await visibleText(page);
        assert.ok(!text.includes(s.title), `${id}: the title is not on screen at step 1`);
        assert.ok(!text.includes(s.description), `${id}: the description is not on screen at step 1`);
        assert.ok(!text.includes(s.outcome), `${id}: the outcome is not on screen at step 1`);
        for (const w of words) assert.doesNotMatch(text, w, `${id}: nothing on screen at step 1 says ${w}`);
        // The picker still works and says why it shows no title.
        assert.match(await page.locator("#scenario-picker option:checked").textContent(), /hidden|quiz/i);
        await page.click("#btn-next"); // the first question opens: still nothing given away
        const asking = await visibleText(page);
        assert.ok(!asking.includes(s.title) && !asking.includes(s.description), `${id}: nothing given away while a question is open`);
        if (id === CASES[0].id) await page.screenshot({ path: new URL(`quiz-conceal-${viewport.width}-step1.png`, SCREENSHOTS).pathname });
        await playToEnd(page);
        const end = await visibleText(page);
        assert.ok(end.includes(s.title), `${id}: the title is back at the last step`);
        assert.ok(end.includes(s.description), `${id}: the description is back at the last step`);
        assert.ok(end.includes(s.outcome), `${id}: the outcome is shown at the last step`);
        assert.equal(await page.locator("#scenario-picker option:checked").textContent(), s.title);
        if (id === CASES[0].id) await page.screenshot({ path: new URL(`quiz-conceal-${viewport.width}-end.png`, SCREENSHOTS).pathname });
        // Restart: the quiz holds the steps back again, and so hides the title again.
        await page.click("#btn-restart");
        assert.ok(!(await visibleText(page)).includes(s.title), `${id}: Restart hides the title again`);
        // Switching the quiz off shows everything at once.
        await page.uncheck("#training-toggle");
        const off = await visibleText(page);
        assert.ok(off.includes(s.title) && off.includes(s.description), `${id}: the quiz off shows the title and description`);
      }
      // Picking another scenario during the quiz: it loads, still concealed.
      await page.check("#training-toggle");
      await page.selectOption("#scenario-picker", "agentb-no-answer-aob-false");
      const picked = await page.evaluate(() => [window.__playground.state.entryId, window.__playground.state.index]);
      assert.deepEqual(picked, ["agentb-no-answer-aob-false", 0]);
      assert.doesNotMatch(await visibleText(page), /AgentB does not answer the call — answerOnBridge/);
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}

test("free quiz: the address bar carries no scenario while the quiz conceals the end (its #s= held the id and the endpoints, a base64 decode away from the answer)", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    /** The scenario the address bar names, decoded, or null (after the 120 ms debounce). */
    const addressed = async () => {
      await page.waitForTimeout(300);
      return page.evaluate(() => {
        const m = /^#s=([A-Za-z0-9_-]+)$/.exec(location.hash);
        if (!m) return null;
        const b64 = m[1].replace(/-/g, "+").replace(/_/g, "/");
        return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))));
      });
    };
    await page.selectOption("#scenario-picker", "agentb-busy-aob-true");
    assert.equal((await addressed())?.basedOn, "agentb-busy-aob-true", "outside the quiz the address names what is shown");
    await startQuiz(page, "agentb-busy-aob-true");
    assert.equal(await addressed(), null, "step 1 of the quiz: no scenario in the address");
    await page.click("#btn-next");
    assert.equal(await addressed(), null, "a question open: no scenario in the address");
    assert.doesNotMatch(await page.evaluate(() => location.href), /busy|aob/);
    assert.ok(!(await page.isVisible("#share-body")) && (await page.isVisible("#share-quiz-note")), "the share panel (its link carries the scenario) waits, and says why");
    await playToEnd(page);
    assert.equal((await addressed())?.basedOn, "agentb-busy-aob-true", "the last step: the address names the scenario again");
    assert.ok(await page.isVisible("#share-body"), "the share panel is back");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
