// Presenter mode, free quiz (newuser5 #3): after every answer the feedback and the score are in
// view inside the quiz panel, and at a scenario's end "Next scenario" is clickable (what is drawn
// at its centre is the button). Before, "Why it ends so" took the quiz panel's second row at
// 1280x720 and covered the last feedback, the score and sometimes "Next scenario" (61 of 548
// wrong answers had feedback or score out of view, 4 of 80 ends the button covered).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, SCREENSHOTS } from "./harness.mjs";

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`presenter mode ${viewport.width}x${viewport.height}: the quiz's feedback, score and "Next scenario" stay in view and clickable (6 rounds answered wrong)`, async () => {
    const pg = await openPlayground({ viewport });
    try {
      const { page } = pg;
      await page.check("#training-toggle");
      await page.keyboard.press("p");
      await page.waitForSelector("body.presenter");
      const bad = [];
      let answers = 0, ends = 0;
      for (let r = 0; r < 6; r++) {
        await page.fill("#round-seed", String(1000 + r * 37));
        await page.click("#round-start");
        for (let guard = 0; guard < 600; guard++) {
          const wrong = await page.$('#training .choices button[data-correct="false"]');
          if (wrong) {
            await wrong.click();
            answers++;
            const m = await page.evaluate(() => {
              const panel = document.querySelector("#training").getBoundingClientRect();
              const seen = (sel) => {
                const e = document.querySelector(sel);
                const b = e.getBoundingClientRect();
                if (b.top < Math.max(0, panel.top) - 1 || b.bottom > Math.min(innerHeight, panel.bottom) + 1) return false;
                const hit = document.elementFromPoint(b.left + Math.min(20, b.width / 2), b.top + b.height / 2);
                return Boolean(hit && (e === hit || e.contains(hit)));
              };
              const next = document.querySelector("#round-next");
              return { feedback: seen("#training-feedback"), score: seen("#training-score"), next: next.hidden ? null : seen("#round-next"), text: document.querySelector("#training-feedback").textContent };
            });
            if (!m.feedback || !m.score || m.next === false) {
              bad.push(`${m.feedback ? "" : "feedback "}${m.score ? "" : "score "}${m.next === false ? "next " : ""}after "${m.text.slice(0, 80)}"`);
              if (bad.length === 1) await page.screenshot({ path: new URL(`presenter-quiz-end-${viewport.width}.png`, SCREENSHOTS).pathname });
            }
            if (m.next !== null) ends++;
            continue;
          }
          if (await page.isDisabled("#btn-next")) {
            if (await page.isHidden("#round-next")) break;
            await page.click("#round-next", { timeout: 2000 });
            continue;
          }
          await page.click("#btn-next");
        }
      }
      assert.ok(answers > 50, `${answers} wrong answers`);
      assert.deepEqual(bad, [], `of ${answers} wrong answers (${ends} at a scenario's end)`);
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}
