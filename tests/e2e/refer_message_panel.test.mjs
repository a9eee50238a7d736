// The Refer-To panel with a pasted REFER, in headless Chromium as a user would: the
// extracted fields, the refusals, and "Simulate this REFER" opening the scenario.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

const PBX_LOG = [
  "REFER sip:+14155550100@example.sip.twilio.com SIP/2.0",
  "Call-ID: a84b4c76e66710@pbx.example.com",
  'r: "Agent B"',
  "  <sip:AgentB@example.sip.twilio.com?X-Ticket=42>",
  "b: <sip:AgentA@pbx.example.com>",
  "Refer-Sub: false",
  "X-Queue: sales",
  "",
].join("\r\n");

test("a pasted REFER shows its fields and starts a scenario from it", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.fill("#rt-input", PBX_LOG);
    await page.waitForSelector("#rt-message:not([hidden])");
    assert.equal(await page.textContent("#rt-target"), '"Agent B" <sip:AgentB@example.sip.twilio.com?X-Ticket=42>');
    const parts = await page.textContent("#rt-message-parts");
    assert.match(parts, /Referred-By<sip:AgentA@pbx\.example\.com> \(user AgentA/);
    assert.match(parts, /Refer-Subfalse \(no NOTIFY subscription/);
    assert.match(parts, /X-Queue = sales/);
    assert.ok(await page.isHidden("#rt-refusals-box"));
    assert.match(await page.textContent("#rt-count"), /^Refer-To: 57 \/ 256/);
    await pg.shot("refer-message-pasted");

    await page.click("#rt-simulate");
    await page.waitForFunction(() => window.__playground.state.scenario.refer.referSub === false);
    const refer = await page.evaluate(() => window.__playground.state.scenario.refer);
    assert.equal(refer.referTo, '"Agent B" <sip:AgentB@example.sip.twilio.com?X-Ticket=42>');
    const steps = await page.evaluate(() => window.__playground.state.steps.map((s) => s.narration).join("\n"));
    assert.match(steps, /ReferTransferTarget="Agent B" <sip:AgentB@example\.sip\.twilio\.com\?X-Ticket=42>/);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("header lines that Twilio would refuse list the refusal; a bad line shows the caret", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.fill("#rt-input", "Refer-To: <sip:b@example.com>\nRefer-To: <sip:c@example.com>");
    await page.waitForSelector("#rt-refusals-box:not([hidden])");
    assert.match(await page.textContent("#rt-refusals"), /several_refer_to \(400\)/);
    assert.ok(await page.isHidden("#rt-ok"));
    await page.fill("#rt-input", "Refer-To: <sip:b@example.com>\nnot a header");
    await page.waitForSelector("#rt-error:not([hidden])");
    assert.equal(await page.textContent("#rt-error-code"), "bad_header_line");
    assert.equal(await page.textContent("#rt-error-offset"), "30");
    // A bare value still goes to the Refer-To parser.
    await page.fill("#rt-input", "<sip:AgentB@example.com>");
    await page.waitForSelector("#rt-ok:not([hidden])");
    assert.ok(await page.isHidden("#rt-message"));
    assert.ok(await page.isVisible("#rt-simulate"));
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
