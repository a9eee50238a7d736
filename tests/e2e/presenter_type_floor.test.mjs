// Presenter mode on a projector: every text on screen is at least the type floor, 1rem, which
// is 2.5% of the screen's height and never under 18 px (18 px at 1280x720, 26.9 px at
// 1920x1080; README "Presenter mode, round 13"). Measured as drawn: an HTML text's computed
// font size, an SVG text's (the ladder) times its scale on screen. Views: the lesson asking and
// after an answer, the free quiz asking and after a wrong answer, a scenario's end with its
// explanation. Before, the ladder's times and sub-labels were 12 px, the badges 12.8, the
// step's kind 13.6 and the lesson's why, source and score 14.5-15.3 at 1280x720. While the
// lesson asks, its choices and its score are in view, unscrolled, for all 20 questions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { presentLesson, settled, openScenario, SCREENSHOTS } from "./harness.mjs";

/** Every visible text run: its text, its size on screen in px, where it is. */
const texts = (page) => page.evaluate(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    const t = n.textContent.trim();
    if (!t) continue;
    const e = n.parentElement;
    if (!e.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
    if (e.closest("g.hidden")) continue; // a ladder row not reached yet (hidden, not drawn)
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1 || r.bottom <= 0 || r.top >= innerHeight || r.right <= 0 || r.left >= innerWidth) continue;
    // Clipped away by a box that scrolls (the ladder's rows above its top, a column's overflow): not on screen.
    let clipped = false;
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (!(p instanceof HTMLElement) || getComputedStyle(p).overflow === "visible") continue;
      const b = p.getBoundingClientRect();
      if (r.bottom <= b.top || r.top >= b.bottom || r.right <= b.left || r.left >= b.right) { clipped = true; break; }
    }
    if (clipped) continue;
    let size = parseFloat(getComputedStyle(e).fontSize);
    if (e instanceof SVGElement) {
      const m = e.getScreenCTM();
      size *= m ? Math.hypot(m.a, m.b) : 1;
    }
    out.push({ t: t.slice(0, 40), size: Math.round(size * 10) / 10, where: `${e.closest("[id]")?.id ?? ""} ${e.getAttribute("class") ?? e.tagName.toLowerCase()}` });
  }
  return out;
});

const rootPx = (page) => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));

/** The runs under `floor` (0.05 px of rounding allowed), as "where: size 'text'". */
const under = (runs, floor) => runs.filter((r) => r.size < floor - 0.05).map((r) => `${r.where}: ${r.size} px "${r.t}"`);

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  const name = `${viewport.width}x${viewport.height}`;
  test(`presenter mode at ${name}: no text on screen under the type floor (lesson, free quiz, ladder, stage, explanation)`, async () => {
    const pg = await presentLesson(viewport);
    try {
      const { page } = pg;
      await settled(page);
      const floor = await rootPx(page);
      assert.ok(floor >= 18 && floor >= 0.024 * viewport.height, `the floor, 1rem, is ${floor} px: at least 18 px and 2.5% of the height`);
      const seen = {};
      const look = async (view) => {
        await settled(page);
        await settled(page);
        const runs = await texts(page);
        seen[view] = { runs: runs.length, min: Math.min(...runs.map((r) => r.size)), ladder: runs.filter((r) => r.where.startsWith("ladder")).length, under: under(runs, floor) };
      };
      await look("lesson asking");
      await page.click('#lesson .choices button:not([data-correct="true"])');
      await look("lesson feedback");
      await page.screenshot({ path: new URL(`presenter-type-floor-lesson-${viewport.width}.png`, SCREENSHOTS).pathname });
      await page.uncheck("#lesson-toggle");
      await openScenario(page, "agentb-busy-aob-true", { quiz: true });
      for (let i = 0; i < 8 && !(await page.$("#training .choices button")); i++) await page.click("#btn-next");
      await look("quiz asking");
      await page.click('#training .choices button:not([data-correct="true"])');
      await look("quiz feedback");
      await page.screenshot({ path: new URL(`presenter-type-floor-quiz-${viewport.width}.png`, SCREENSHOTS).pathname });
      await page.uncheck("#training-toggle");
      await openScenario(page, "agentb-busy-aob-true");
      await page.keyboard.press("End");
      await page.waitForSelector("#explanation .cause");
      await look("scenario end, explanation");
      await page.screenshot({ path: new URL(`presenter-type-floor-end-${viewport.width}.png`, SCREENSHOTS).pathname });
      for (const [view, s] of Object.entries(seen)) console.log(`${name} ${view}: ${s.runs} texts (${s.ladder} in the ladder), smallest ${s.min} px, floor ${floor} px`);
      for (const [view, s] of Object.entries(seen)) {
        assert.ok(s.ladder > 0, `${view}: the ladder's texts measured`);
        assert.deepEqual(s.under, [], `${view}: texts under ${floor} px`);
      }
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}

test("presenter mode at 1280x720: while the lesson asks, every choice and the score are in view, the panel and the page unscrolled, for all 20 questions", async () => {
  const pg = await presentLesson({ width: 1280, height: 720 });
  try {
    const { page } = pg;
    const out = [];
    let asked = 0;
    for (let guard = 0; guard < 60; guard++) {
      const right = await page.$('#lesson .choices button[data-correct="true"]');
      if (right) {
        await settled(page);
        asked += 1;
        const m = await page.evaluate(() => {
          const panel = document.querySelector("#lesson");
          const p = panel.getBoundingClientRect();
          const inView = (e) => { const r = e.getBoundingClientRect(); return r.top >= Math.max(0, p.top) - 1 && r.bottom <= Math.min(innerHeight, p.bottom) + 1; };
          return { q: document.querySelector("#lesson-q").textContent.slice(0, 50), choices: [...panel.querySelectorAll(".choices button")].every(inView), score: inView(document.querySelector("#lesson-score")), scrolled: panel.scrollTop, page: scrollY };
        });
        if (!m.choices || !m.score || m.scrolled > 0 || m.page > 0) out.push(`question ${asked} ("${m.q}…"): choices ${m.choices}, score ${m.score}, panel scrolled ${m.scrolled}, page scrolled ${m.page}`);
        await right.click();
        continue;
      }
      const next = await page.$("#lesson-next");
      if (next) { await next.click(); continue; }
      break;
    }
    assert.equal(asked, 20);
    assert.deepEqual(out, []);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
