// A trainer walking the page with the keyboard alone: the ladder is one Tab stop (every row
// was one: 20 to 40 Tabs to get past it to the message), its rows reached with ↑ and ↓.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openScenario } from "./harness.mjs";

const active = (page) => page.evaluate(() => {
  const a = document.activeElement;
  return { row: a?.closest?.("g.row") ? Number(a.dataset.row) : null, id: a?.id ?? "" };
});

test("keyboard only: the ladder is one Tab stop, ↑ ↓ move between its rows, Tab leaves it for the message", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await openScenario(page, "agentb-answers-aob-true");
    await page.focus("#btn-next");
    for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight");
    const current = await page.$eval("#ladder g.row.current", (g) => Number(g.dataset.row));
    assert.equal(await page.$$eval('#ladder g.row[tabindex="0"]', (gs) => gs.length), 1, "one row in the Tab order");
    // From the timeline, Tab enters the ladder at the current step's row.
    await page.focus("#scrubber");
    await page.keyboard.press("Tab");
    assert.equal((await active(page)).row, current, "Tab enters the ladder at the current row");
    await page.keyboard.press("ArrowDown");
    assert.equal((await active(page)).row, current + 1, "↓ moves to the next row");
    // One more Tab leaves the ladder: the message text is next.
    await page.keyboard.press("Tab");
    assert.deepEqual(await active(page), { row: null, id: "detail-text" }, "Tab leaves the ladder");
    await page.keyboard.press("Shift+Tab");
    assert.equal((await active(page)).row, current + 1, "Shift+Tab comes back to the row left");
    await page.keyboard.press("Enter");
    assert.match(await page.textContent("#detail-title"), new RegExp(`^Step \\d+`), "Enter shows that row's message");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
