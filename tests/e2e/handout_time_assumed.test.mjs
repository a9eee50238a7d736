// The printed handout marks the time of an unreachable referUrl's failure as assumed: the request
// fails at 21.000 s because the scenario lets it fail 1 s after it was sent (its latencyMs), a
// time refer-sim picked, while the failure's step is tagged `doc` (error 11205 is documented) and
// so printed unmarked (newuser5). Its cell's line says "time assumed", its ladder's time "*", and
// a note under the ladder says what was assumed. No other cell is marked so.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("printed handout: an unreachable referUrl's failure time is marked assumed, and no other time", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.waitForSelector("#handout .handout-cell svg", { state: "attached" });
    const cells = await page.evaluate(() => [...document.querySelectorAll("#handout .handout-cell")].map((section) => ({
      id: section.dataset.cell,
      times: [...section.querySelectorAll("svg text.time")].map((t) => t.textContent),
      note: section.querySelector(".time-note")?.textContent ?? null,
    })));
    const lines = await page.evaluate(() => [...document.querySelectorAll("#handout .handout-table td p.sim")].map((p) => p.textContent));
    assert.equal(cells.length, 10);
    const unreachable = cells.filter((c) => /unreachable/.test(c.id));
    assert.equal(unreachable.length, 2);
    for (const c of unreachable) {
      assert.ok(c.times.includes("21.000 s*"), `${c.id}: the failure's time marked (${c.times.join(", ")})`);
      assert.match(c.note ?? "", /^\* 21\.000 s: time assumed\. .*fail 1\.000 s after it was sent \(the scenario's latencyMs\)\. .*11205/, `${c.id}: the note under its ladder`);
    }
    for (const c of cells.filter((x) => !/unreachable/.test(x.id))) {
      assert.equal(c.note, null, `${c.id}: no time note`);
      assert.ok(!c.times.some((t) => t.endsWith("*")), `${c.id}: no time marked`);
    }
    const marked = lines.filter((l) => l.includes("time assumed"));
    assert.equal(marked.length, 2, `two cells' lines say "time assumed": ${marked.join(" | ")}`);
    for (const l of marked) assert.match(l, /t = 21\.000 s, time assumed\)/);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
