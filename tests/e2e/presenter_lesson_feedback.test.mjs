// Presenter mode, guided lesson: the feedback of every one of the 20 answers (the answer, the
// Next button, the vendor's sentence, the why, the source, the score) fits its panel without
// scrolling, at 1280x720 and 1920x1080 (a projector). It ran 47 to 330 px past the bottom of a
// 310 px column at 1280x720. The run's explanation at a cell's end stays on screen, whole.
import { test } from "node:test";
import assert from "node:assert/strict";
import { presentLesson, settled, SCREENSHOTS } from "./harness.mjs";

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`presenter mode at ${viewport.width}x${viewport.height}: each of the lesson's 20 answers fits its panel, unscrolled`, async () => {
    const pg = await presentLesson(viewport);
    try {
      const { page } = pg;
      const seen = [];
      for (let guard = 0; guard < 60; guard++) {
        const right = await page.$('#lesson .choices button[data-correct="true"]');
        if (right) {
          await right.click();
          await settled(page);
          const m = await page.evaluate((h) => {
            const panel = document.querySelector("#lesson");
            const r = panel.getBoundingClientRect();
            const inView = (sel) => { const e = panel.querySelector(sel); if (!e) return false; const b = e.getBoundingClientRect(); return b.top >= r.top && b.bottom <= r.bottom + 1 && b.bottom <= h; };
            const x = document.querySelector("#explanation");
            const xr = x?.checkVisibility() ? x.getBoundingClientRect() : null;
            return {
              q: panel.querySelector("#lesson-q").textContent.slice(0, 60),
              cut: panel.scrollHeight - panel.clientHeight, bottom: r.bottom,
              parts: ["#lesson-feedback", "#lesson-next", ".vendor-quote", ".why li:last-child", ".source", "#lesson-score"].filter((s) => !inView(s)),
              why: xr ? { bottom: xr.bottom, cut: x.scrollHeight - x.clientHeight } : null,
            };
          }, viewport.height);
          seen.push(m);
          if (seen.length === 7) await page.screenshot({ path: new URL(`presenter-lesson-feedback-${viewport.width}.png`, SCREENSHOTS).pathname });
          continue;
        }
        const next = await page.$("#lesson-next");
        if (next) { await next.click(); continue; }
        break;
      }
      console.log(`${viewport.width}x${viewport.height}: ${seen.map((s, i) => `${i + 1}: cut ${s.cut}${s.why ? `, why ${Math.round(s.why.bottom)}` : ""}`).join("; ")}`);
      assert.equal(seen.length, 20, "all 20 questions answered");
      for (const [i, s] of seen.entries()) {
        assert.ok(s.cut <= 1, `answer ${i + 1} ("${s.q}…"): the panel scrolls by ${s.cut} px`);
        assert.ok(s.bottom <= viewport.height, `answer ${i + 1}: the panel ends on screen (${Math.round(s.bottom)})`);
        assert.deepEqual(s.parts, [], `answer ${i + 1}: every part of the feedback in view`);
        if (s.why) assert.ok(s.why.bottom <= viewport.height && s.why.cut <= 1, `answer ${i + 1}: the run's explanation on screen, whole`);
      }
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}
