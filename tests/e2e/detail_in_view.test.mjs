// Choosing an arrow in the ladder brings its message into view (newuser6 F10: the message box
// began at the window's last pixels, top 714 of 720 px and 1071 of 1080, so a click on an
// arrow showed nothing to read), by click and by keyboard, at 1280x720 and 1920x1080; stepping
// through a scenario does not move the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openScenario } from "./harness.mjs";

for (const viewport of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`a chosen arrow's message is in view at ${viewport.width}x${viewport.height}`, async () => {
    const pg = await openPlayground({ viewport });
    try {
      const { page } = pg;
      await openScenario(page, "hold-before-refer");
      const inView = () => page.evaluate(() => {
        const r = document.querySelector("#detail-text").getBoundingClientRect();
        return { top: Math.round(r.top), bottom: Math.round(r.bottom), height: innerHeight, scrollY: Math.round(scrollY) };
      });
      // Stepping moves no page scroll.
      const before = await inView();
      await page.click("#btn-next");
      await page.waitForFunction(() => document.body.dataset.step === "1");
      assert.equal((await inView()).scrollY, before.scrollY, "stepping scrolled the page");

      // A click on an arrow: the whole message box is on screen, with its text.
      await page.click("#ladder g.row.sip >> nth=1");
      let box = await inView();
      assert.ok(box.top >= 0 && box.bottom <= box.height, `message box at ${box.top}-${box.bottom} of ${box.height}`);
      assert.match(await page.textContent("#detail-text"), /^(SIP\/2\.0|[A-Z]+ sip)/);

      // By keyboard, after scrolling back to the top: Enter on a row.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.focus("#ladder g.row.sip >> nth=0");
      await page.keyboard.press("Enter");
      box = await inView();
      assert.ok(box.top >= 0 && box.bottom <= box.height, `message box at ${box.top}-${box.bottom} of ${box.height} after Enter`);
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}
