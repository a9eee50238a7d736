// Wording of the free quiz (newuser5 #10): the Share panel's round link is in its box as soon as a
// round runs (it stayed empty until "Copy round link" was pressed), and the quiz has one name
// (the checkbox said "Free quiz", the panel's heading "Training mode").
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("free quiz: one name on the checkbox and the panel; the round link is in its box at once", async () => {
  const pg = await openPlayground();
  try {
    const { page, url } = pg;
    await page.check("#training-toggle");
    const label = await page.evaluate(() => document.querySelector("label[for=training-toggle]")?.textContent ?? document.querySelector("#training-toggle").closest("label").textContent);
    const heading = await page.textContent("#training h3");
    assert.match(label, /Free quiz/);
    assert.equal(heading, "Free quiz");
    await page.fill("#round-seed", "321");
    await page.click("#round-start");
    assert.equal(await page.inputValue("#share-round-link"), `${url}#round=321`);
  } finally {
    await pg.close();
  }
});
