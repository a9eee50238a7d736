// Presenter mode beside the guided lesson: at a cell's last step the run's explanation ("Why it
// ends so / What to change") ended below the bottom of a 1280x720 screen in the lanes' narrow
// column. It now sits under the lesson's panel and ends on screen, whole, at 1280x720 and 1920x1080.
import { test } from "node:test";
import assert from "node:assert/strict";
import { presentLesson, SCREENSHOTS } from "./harness.mjs";

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`presenter mode, guided lesson at ${viewport.width}x${viewport.height}: the explanation at a cell's end is on screen, whole`, async () => {
    const pg = await presentLesson(viewport);
    try {
      const { page } = pg;
      const seen = [];
      for (let guard = 0; guard < 60; guard++) {
        if (await page.isVisible("#explanation")) {
          const box = await page.$eval("#explanation", (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, cut: e.scrollHeight - e.clientHeight, text: e.innerText.slice(0, 40) }; });
          const cell = await page.evaluate(() => window.__playground.state.entryId);
          if (!seen.some((s) => s.cell === cell)) {
            seen.push({ cell, ...box });
            if (seen.length === 1) await page.screenshot({ path: new URL(`presenter-lesson-why-${viewport.width}.png`, SCREENSHOTS).pathname });
          }
        }
        const right = await page.$('#lesson .choices button[data-correct="true"]');
        if (right) { await right.click(); continue; }
        const next = await page.$("#lesson-next");
        if (next) { await next.click(); continue; }
        break;
      }
      await page.screenshot({ path: new URL(`presenter-lesson-why-${viewport.width}-last.png`, SCREENSHOTS).pathname });
      console.log(`${viewport.width}x${viewport.height}: ${seen.map((s) => `${s.cell} ${Math.round(s.top)}-${Math.round(s.bottom)} cut ${s.cut}`).join("; ")}`);
      assert.ok(seen.length >= 5, `explanations seen in ${seen.length} cells`);
      for (const s of seen) {
        assert.ok(s.top >= 0 && s.bottom <= viewport.height, `${s.cell}: the explanation ends on screen (${Math.round(s.top)}-${Math.round(s.bottom)} of ${viewport.height})`);
        assert.ok(s.cut <= 1, `${s.cell}: nothing of it is cut off (${s.cut} px scrolled away)`);
      }
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}
