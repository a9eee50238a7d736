// What a trainer stumbled on, using the page in front of a class: pressing P on an open lesson
// question at 1280x720 left its last choices below the screen's edge.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("presenter mode switched on with a lesson or quiz question open at 1280x720: every choice stays on screen", async () => {
  const pg = await openPlayground({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = pg;
    await page.evaluate(() => localStorage.clear());
    const onScreen = (sel) => page.$$eval(sel, (bs) => bs.map((b) => b.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), bottom: Math.round(r.bottom) })));
    for (const [toggle, choices] of [["#lesson-toggle", "#lesson .choices button"], ["#training-toggle", "#training .choices button"]]) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.check(toggle);
      if (toggle === "#training-toggle") for (let i = 0; i < 30 && !(await page.$(choices)); i++) await page.click("#btn-next");
      await page.waitForSelector(choices);
      await page.keyboard.press("p");
      await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
      const boxes = await onScreen(choices);
      console.log(`${toggle}, then P at 1280x720: choices at ${boxes.map((b) => `${b.top}..${b.bottom}`).join(", ")}`);
      assert.ok(boxes.length >= 2);
      for (const b of boxes) assert.ok(b.top >= 0 && b.bottom <= 720, `${toggle}: a choice at ${b.top}..${b.bottom} is off the 720 px screen`);
      await page.keyboard.press("Escape");
      await page.uncheck(toggle);
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
