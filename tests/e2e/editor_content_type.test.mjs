// The editor's referUrl answer has a Content-Type field, and the editor checks the body as
// TwiML only when the module read it as TwiML: an mp3 answered as audio/mpeg was checked as
// TwiML and showed a false 12100 under the body, while the simulation played it. The editor
// does not classify the type itself: it reads the run's step for that answer (`response.media`),
// so what it says and what the simulation did cannot disagree.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openAnswered, settled, SCREENSHOTS } from "./harness.mjs";

const ID = "webhook-executed-aob-true";
const MP3 = "ID3\u0004\u0000\u0000\u0000\u0000\u0000#TSSE\u0000\u0000\u0000\u000f\u0000\u0000\u0003Lavf58.29.100\u0000ÿû";

/** Wait for the run after an edit and the editor's diagnostics (both follow a 250 ms pause). */
async function afterEdit(page) {
  await page.waitForTimeout(600);
  await settled(page);
}

/** What the run's step says of the answer at the referUrl, and what the editor shows under the body. */
function readBoth(page) {
  return page.evaluate(() => {
    const { state } = window.__playground;
    const step = state.steps.find((s) => s.response?.url === "https://example.com/handler");
    return {
      media: step ? step.response.media ?? "twiml" : null,
      alerts: step ? step.alerts.map((a) => a.code) : [],
      diags: [...document.querySelectorAll("#ed-app-diags li.diag")].map((li) => `${li.dataset.code} ${li.querySelector(".vendor")?.textContent ?? ""}`.trim()),
      read: document.querySelector("#ed-app-read")?.textContent ?? null,
      error: state.error?.message ?? null,
    };
  });
}

test("an mp3 answered as audio/mpeg: the Content-Type field says so and the editor shows no 12100", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.selectOption("#scenario-picker", ID);
    assert.ok(await page.$("#ed-app-type"), "the referUrl answer has a Content-Type field");
    await page.fill("#ed-app-twiml", MP3);
    await page.fill("#ed-app-type", "audio/mpeg");
    await afterEdit(page);
    let seen = await readBoth(page);
    assert.equal(seen.media, "audio", "the simulation played the answer as audio");
    assert.deepEqual(seen.diags, [], `no TwiML diagnostics under an audio body: ${seen.diags}`);
    assert.match(seen.read, /audio\/mpeg.*audio file.*plays it to the caller.*not checked as TwiML/s);
    assert.equal(await page.evaluate(() => window.__playground.state.scenario.app["https://example.com/handler"].contentType), "audio/mpeg");
    await page.locator("#editors").screenshot({ path: new URL("editor-content-type-audio-1280.png", SCREENSHOTS).pathname });
    // The same body as text/xml is TwiML again: the editor shows the module's 12100, as the run does.
    await page.fill("#ed-app-type", "text/xml");
    await afterEdit(page);
    seen = await readBoth(page);
    assert.equal(seen.media, "twiml");
    assert.ok(seen.alerts.includes(12100) && seen.diags.some((d) => /12100/.test(d)), `text/xml: 12100 in the run and in the editor: ${JSON.stringify(seen)}`);
    // No Content-Type header at all: Twilio cannot use the answer (12300); the body is not TwiML.
    await page.check("#ed-app-no-type");
    await afterEdit(page);
    seen = await readBoth(page);
    assert.equal(seen.media, "refused");
    assert.equal(await page.evaluate(() => window.__playground.state.scenario.app["https://example.com/handler"].contentType), null);
    assert.deepEqual(seen.diags, []);
    assert.match(seen.read, /no Content-Type header.*12300/s);
    assert.ok(await page.isDisabled("#ed-app-type"), "the type field waits while no header is sent");
    await page.uncheck("#ed-app-no-type");
    await page.fill("#ed-app-type", "");
    await afterEdit(page);
    assert.equal(await page.evaluate(() => "contentType" in window.__playground.state.scenario.app["https://example.com/handler"]), false, "an empty field is the default (text/xml), not an empty header");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("for every type, the editor checks the body as TwiML exactly when the simulation read it as TwiML", async () => {
  const pg = await openPlayground({ viewport: { width: 1920, height: 1080 } });
  try {
    const { page } = pg;
    await page.selectOption("#scenario-picker", ID);
    await page.fill("#ed-app-twiml", MP3);
    const types = ["text/xml", "application/xml", "text/html", "TEXT/XML; charset=utf-8", "audio/mpeg", "audio/wav", "text/plain", "application/json", "image/png", ""];
    const rows = [];
    for (const type of types) {
      await page.fill("#ed-app-type", type);
      await afterEdit(page);
      const seen = await readBoth(page);
      assert.equal(seen.error, null, `${type}: the scenario runs`);
      const checked = seen.diags.length > 0;
      rows.push(`${type || "(none stated)"}: ${seen.media} ${checked ? "checked" : "not checked"}`);
      assert.equal(checked, seen.media === "twiml", `${type}: the run read it as ${seen.media}; the editor ${checked ? "checked" : "did not check"} it as TwiML (${seen.diags})`);
      assert.ok(seen.read, `${type}: the editor says how the run read the answer`);
      if (seen.media !== "twiml") for (const code of seen.alerts) assert.match(seen.read, new RegExp(String(code)), `${type}: the run's alert ${code} is named under the body`);
      if (type === "audio/mpeg" || type === "application/xml") await page.locator("#editors").screenshot({ path: new URL(`editor-content-type-${type.replace("/", "-")}-1920.png`, SCREENSHOTS).pathname });
    }
    // One table, so a failure shows every type at once.
    assert.deepEqual(rows, [
      "text/xml: twiml checked", "application/xml: twiml checked", "text/html: twiml checked", "TEXT/XML; charset=utf-8: twiml checked",
      "audio/mpeg: audio not checked", "audio/wav: audio not checked", "text/plain: text not checked",
      "application/json: refused not checked", "image/png: refused not checked", "(none stated): twiml checked",
    ]);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("a shared link whose answer states audio/mpeg opens with the type in the field and no 12100", async () => {
  const pg = await openPlayground();
  try {
    const { page, url } = pg;
    await openAnswered(page, url, MP3, "audio/mpeg");
    const seen = await readBoth(page);
    assert.equal(seen.media, "audio");
    assert.deepEqual(seen.diags, [], "no false 12100 on opening");
    assert.equal(await page.inputValue("#ed-app-type", { timeout: 2000 }), "audio/mpeg");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
