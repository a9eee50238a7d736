// A phone-number target in the playground at 1280x720: its lane and its ladder column are
// headed by the number (it was "AgentB", the engine's name for a SIP agent, with the number
// beside it), the lane does not repeat it, and the ladder head's party line says what it is.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openScenario, settled } from "./harness.mjs";

test("pstn-target: the <Number> target is named by its number in the lanes, the ladder and the outcome", async () => {
  const { page, problems, shot, close } = await openPlayground();
  try {
    await openScenario(page, "pstn-target");
    await page.keyboard.press("End");
    await page.waitForFunction(() => document.body.dataset.kind === "end");
    await settled(page);
    const lane = await page.$eval('.lane[data-label="+14155550123"]', (l) => ({
      label: l.querySelector(".lane-label").textContent,
      party: l.querySelector(".lane-party")?.textContent ?? null,
    }));
    assert.deepEqual(lane, { label: "+14155550123", party: null });
    const heads = await page.$$eval("svg .col-party", (ps) => ps.map((p) => p.getAttribute("data-party")));
    assert.ok(heads.includes("phone number"), heads.join(" | "));
    // What shows the run (the picker's titles name the other scenarios' AgentB).
    const text = await page.evaluate(() =>
      ["#stepper", "#lanes", "#outcome", "#explanation", "#ladder", "#compare-body"].map((s) => document.querySelector(s)?.textContent ?? "").join("\n"));
    assert.ok(!/\bAgentB\b/.test(text), text);
    assert.ok(text.includes("+14155550123"), text);
    assert.match(await page.textContent("#outcome"), /UserA and \+14155550123 are connected/);
    await shot("number-target-1280x720");
    assert.deepEqual(problems, []);
  } finally {
    await close();
  }
});
