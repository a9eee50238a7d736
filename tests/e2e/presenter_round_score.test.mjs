// A random round played in presenter mode (a trainer's projector): at its end the round's score
// is in view without scrolling, at 1280x720 and 1920x1080. It was below the fold at 1280x720.
// "In view": inside the window with the page at its top, and not cut by any box that scrolls
// or clips it (the presenter's columns scroll inside themselves).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, walkQuiz, settled, SCREENSHOTS } from "./harness.mjs";

/** Where `selector` is on screen and what cuts it: the window, or an ancestor that clips. */
function inView(page, selector) {
  return page.evaluate((selector) => {
    const n = document.querySelector(selector);
    const r = n.getBoundingClientRect();
    const cuts = [];
    if (r.top < 0 || r.bottom > innerHeight || r.left < 0 || r.right > innerWidth) cuts.push(`the window (${innerWidth}x${innerHeight})`);
    for (let a = n.parentElement; a && a !== document.body; a = a.parentElement) {
      const cs = getComputedStyle(a);
      if (cs.overflowY === "visible" && cs.overflowX === "visible") continue;
      const b = a.getBoundingClientRect();
      if (r.top < b.top - 0.5 || r.bottom > b.bottom + 0.5) cuts.push(`${a.id ? `#${a.id}` : a.className} (${Math.round(b.top)}-${Math.round(b.bottom)})`);
    }
    return { top: r.top, bottom: r.bottom, height: r.height, scrollY, visible: n.checkVisibility(), text: n.textContent, cuts };
  }, selector);
}

/** Step the quiz to its end answering each question wrong (the longest feedback: "Not quite. What happened: ..."). */
async function walkWrong(page) {
  for (let guard = 0; guard < 80; guard++) {
    const wrong = await page.$('#training .choices button[data-correct="false"]');
    if (wrong) await wrong.click();
    else if (await page.isDisabled("#btn-next")) break;
    else await page.click("#btn-next");
  }
}

for (const [viewport, answers] of [[{ width: 1280, height: 720 }, "right"], [{ width: 1920, height: 1080 }, "right"], [{ width: 1280, height: 720 }, "wrong"]]) {
  test(`${viewport.width}x${viewport.height}, presenting, every answer ${answers}: at the end of a random round its score is in view without scrolling`, async () => {
    const pg = await openPlayground({ viewport });
    try {
      const { page } = pg;
      await page.check("#training-toggle");
      await page.click("#presenter-toggle");
      await page.fill("#round-seed", "4242");
      await page.click("#round-start");
      for (let k = 0; k < 5; k++) {
        await page.waitForFunction(() => document.body.dataset.step === "0");
        if (answers === "right") await walkQuiz(page, async () => null);
        else await walkWrong(page);
        if (k < 4) await page.click("#round-next");
      }
      await settled(page);
      await page.screenshot({ path: new URL(`presenter-round-score-${viewport.width}-${answers}.png`, SCREENSHOTS).pathname });
      const score = await inView(page, "#training-score");
      console.log(`${viewport.width}x${viewport.height}, answers ${answers}: the final score at ${Math.round(score.top)}-${Math.round(score.bottom)} px`);
      assert.match(score.text, /^Final round score: \d+ \/ \d+/);
      assert.ok(score.visible, "the score is shown");
      assert.equal(score.scrollY, 0, "the page is at its top (presenter mode is one screen)");
      assert.deepEqual(score.cuts, [], `the score (${Math.round(score.top)}-${Math.round(score.bottom)} px) is in view at ${viewport.width}x${viewport.height}`);
      // The round's line (seed, "round complete") with it, and the way to play again.
      for (const sel of ["#round-line", "#round-start"]) {
        const v = await inView(page, sel);
        assert.deepEqual(v.cuts, [], `${sel} (${Math.round(v.top)}-${Math.round(v.bottom)} px) in view`);
      }
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}
