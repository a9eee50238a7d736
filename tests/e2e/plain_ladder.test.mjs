// The ladder in plain mode (no lesson, no quiz, no presenter mode), as a trainer projects it:
// its smallest text 12 px or more on screen at 1280x720 and 1920x1080, no text over another or
// cut, for every catalogue scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";
import { ladderTexts } from "./ladder_texts.mjs";

const settled = (page) => page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));

test("plain mode: the ladder's text is 12 px or more on screen at 1280x720 and 1920x1080, none over another or cut, in every catalogue scenario", async () => {
  for (const [width, height] of [[1280, 720], [1920, 1080]]) {
    const pg = await openPlayground({ viewport: { width, height } });
    try {
      const { page } = pg;
      const ids = await page.$$eval("#scenario-picker option[value]:not([value=''])", (o) => o.map((x) => x.value));
      const smallest = {};
      const bad = [];
      for (const id of ids) {
        await page.selectOption("#scenario-picker", id);
        await settled(page);
        await page.waitForTimeout(30);
        await settled(page);
        const { texts, overlaps } = await ladderTexts(page);
        for (const t of texts) smallest[t.cls] = Math.min(smallest[t.cls] ?? Infinity, t.px);
        bad.push(...overlaps.map((o) => `${id}: ${o}`));
      }
      console.log(`plain mode at ${width}x${height}, ${ids.length} scenarios: smallest ladder text by kind ${JSON.stringify(Object.fromEntries(Object.entries(smallest).map(([c, v]) => [c, Number(v.toFixed(1))])))}; ${bad.length} unreadable`);
      for (const [cls, px] of Object.entries(smallest)) assert.ok(px >= 12, `plain mode at ${width}x${height}: ladder ${cls} text at ${px.toFixed(1)} px`);
      assert.deepEqual(bad, [], `plain mode at ${width}x${height}`);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scrolling");
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  }
});
