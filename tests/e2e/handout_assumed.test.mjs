// The printed handout marks what refer-sim assumed, as the page's badges do (newuser5 #7: the
// NOTIFY sipfrags 487 and 503, the BYE and CANCEL exchanges of the assumed steps printed with no
// mark). Each row of each cell's paper ladder whose step is tagged `assumed` says "assumed".
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("printed handout: every ladder row drawn from an assumed step is marked assumed", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.waitForSelector("#handout .handout-cell svg", { state: "attached" });
    const res = await page.evaluate(async () => {
      const { simulate } = await import("/pkg/index.js");
      const out = { assumed: 0, unmarked: [] };
      for (const section of document.querySelectorAll("#handout .handout-cell")) {
        const entry = window.__playground.state.catalogue.find((c) => c.id === section.dataset.cell);
        const steps = simulate(entry.scenario).steps;
        const from = Math.max(0, steps.findIndex((s) => s.kind === "refer-received"));
        for (const g of section.querySelectorAll("svg g.row")) {
          const step = steps[from + Number(g.dataset.step)];
          if (step.tag !== "assumed") continue;
          out.assumed++;
          if (!g.textContent.includes("assumed")) out.unmarked.push(`${entry.id}: ${g.textContent}`);
        }
      }
      return out;
    });
    assert.ok(res.assumed >= 10, `${res.assumed} assumed rows`);
    assert.deepEqual(res.unmarked, []);
    assert.match(await page.textContent("#handout"), /"assumed" marks what refer-sim assumed/);
  } finally {
    await pg.close();
  }
});
