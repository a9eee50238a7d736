// The Refer-To inspector, driven in headless Chromium as a user would.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

const SEED = "sip:AgentA@xyz.sip.us1.twilio.com?User-to-User=123456789%3Bencoding%3Dhex&X-Name=Agent%2C+A";

test("the Refer-To panel shows the parts of a valid value and the ReferTransferTarget", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.fill("#rt-input", SEED);
    await page.waitForSelector("#rt-ok:not([hidden])");
    assert.equal(await page.textContent("#rt-target"), SEED);
    const parts = await page.$$eval("#rt-parts dt, #rt-parts dd", (n) => n.map((x) => x.textContent));
    const byLabel = Object.fromEntries(parts.flatMap((t, i) => (i % 2 === 0 ? [[t, parts[i + 1]]] : [])));
    assert.equal(byLabel["Host"], "xyz.sip.us1.twilio.com");
    assert.equal(byLabel["User"], "AgentA");
    assert.match(byLabel["User-to-User (UUI)"], /123456789/);
    assert.match(byLabel["Custom X- headers"], /X-Name/);
    assert.match(byLabel["Embedded headers (decoded)"], /X-Name = Agent,\+A/);
    assert.ok(await page.isHidden("#rt-error"));
    assert.match(await page.textContent("#rt-warnings"), /uui/i, "odd hex UUI is a warning");
    await pg.shot("refer-to-valid");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("an invalid value shows the error code and a caret under its offset", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.fill("#rt-input", "<sip:AgentB@exa mple.com>");
    await page.waitForSelector("#rt-error:not([hidden])");
    assert.ok(await page.isHidden("#rt-ok"));
    const code = await page.textContent("#rt-error-code");
    const offset = Number(await page.textContent("#rt-error-offset"));
    assert.ok(code.length > 0 && code !== "error", `a stable code, got ${code}`);
    assert.ok(offset >= 15 && offset <= 16, `offset at the space, got ${offset}`);
    const caret = (await page.textContent("#rt-caret")).split("\n");
    assert.equal(caret[0], "<sip:AgentB@exa mple.com>");
    assert.equal(caret[1].indexOf("^"), offset);
    await pg.shot("refer-to-invalid");

    await page.fill("#rt-input", "sip:" + "a".repeat(300) + "@example.com");
    await page.waitForSelector("#rt-error:not([hidden])");
    assert.equal(await page.textContent("#rt-error-code"), "too_long");
    assert.match(await page.textContent("#rt-error-message"), /256/);
    assert.match(await page.textContent("#rt-count"), /^316 \/ 256/);
  } finally {
    await pg.close();
  }
});

test("pasted markup is shown as text, never inserted as HTML", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const hostile = `"<img src=x onerror=window.__pwned=1>" <sip:a@example.com;x=<b>>`;
    await page.fill("#rt-input", hostile);
    await page.waitForTimeout(50);
    assert.equal(await page.$$eval("#refer-to-panel img, #refer-to-panel b", (n) => n.length), 0);
    assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
    await page.fill("#rt-input", `"<img src=x onerror=window.__pwned=1>" <sip:a@example.com>`);
    await page.waitForSelector("#rt-ok:not([hidden])");
    assert.match(await page.textContent("#rt-parts"), /<img src=x onerror=window.__pwned=1>/);
    assert.equal(await page.$$eval("#refer-to-panel img", (n) => n.length), 0);
  } finally {
    await pg.close();
  }
});
