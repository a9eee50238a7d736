// A bad round link says what is wrong with it (newuser5 #9): #round=abc, #round=12.5 and
// #round=-3 opened the first scenario without a word, while #round=0 and #round=100000 explained.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

test("bad round links: each says what is wrong with its seed, and no round starts", async () => {
  const pg = await openPlayground();
  try {
    const { page, url } = pg;
    for (const [seed, why] of [["abc", /"abc" is not a number/], ["12.5", /12\.5 is not a whole number/], ["-3", /-3 is negative/], ["", /names no seed/], ["0", /0 is not a round/], ["100000", /100000 is not a round/]]) {
      await page.goto("about:blank");
      await page.goto(`${url}#round=${seed}`);
      await page.waitForSelector("body[data-ready=true]");
      const box = page.locator("#scenario-error");
      assert.match(await box.textContent({ timeout: 2000 }), why, `#round=${seed}`);
      assert.equal(await page.evaluate(() => document.querySelector("#training").hidden), true, `#round=${seed} starts no round`);
    }
  } finally {
    await pg.close();
  }
});
