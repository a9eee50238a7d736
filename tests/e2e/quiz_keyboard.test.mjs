// A random round by keyboard alone (newuser5 #8): Enter in the seed field starts the round, and
// focus goes each time to the control that comes next: the stepper's Next once the round starts
// ("Random round" hides itself when pressed, and focus fell to <body>), "Next scenario" at a
// scenario's end (focus was on <body>), the stepper's Next again in the next scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("random round by keyboard: Enter in the seed field starts it, and focus follows to Next, then to Next scenario", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const focused = () => page.evaluate(() => document.activeElement?.id || document.activeElement?.tagName);
    await page.check("#training-toggle");
    await page.focus("#round-seed");
    await page.keyboard.press("Control+a");
    await page.keyboard.type("777");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => /seed 777 · scenario 1 of 5/.test(document.querySelector("#round-line")?.textContent ?? ""), null, { timeout: 3000 });
    assert.equal(await focused(), "btn-next", "after the round starts");
    let ends = 0;
    for (let k = 0; k < 400 && ends < 2; k++) {
      if (await page.$("#training .choices button")) { await page.keyboard.press("1"); continue; }
      const st = await page.evaluate(() => ({ i: window.__playground.state.index, n: window.__playground.state.steps.length }));
      if (st.i >= st.n - 1) {
        ends++;
        assert.equal(await focused(), "round-next", `at the end of scenario ${ends}`);
        await page.keyboard.press("Enter");
        await page.waitForFunction((n) => document.querySelector("#round-line").textContent.includes(`scenario ${n + 1} of 5`), ends);
        assert.equal(await focused(), "btn-next", `at the start of scenario ${ends + 1}`);
        continue;
      }
      await page.keyboard.press("ArrowRight");
    }
    assert.equal(ends, 2);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
