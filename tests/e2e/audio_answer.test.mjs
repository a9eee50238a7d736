// A webhook answered with an audio file (Content-Type audio/mpeg): the request panel names what
// it is (its type, its size, that Twilio plays it) and does not show the file's bytes as text,
// nor "Content-Type: text/xml". The page reads the answer's `contentType` and `media` from the
// step (the module's reading of the type), never the scenario's type itself. A text/plain answer
// and one with no Content-Type header show their own header line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openAnswered } from "./harness.mjs";

/** Open the default scenario with its referUrl answering `twiml` as `contentType`; wait until the step records the type. */
async function answeredWith(page, url, twiml, contentType) {
  await openAnswered(page, url, twiml, contentType);
  await page.waitForFunction(() => window.__playground.state.steps.some((s) => s.response?.media));
}

/** Select the ladder's answer arrow (the app's answer to the referUrl request); returns its label and the panel's text. */
async function readAnswer(page) {
  await page.click("#btn-last");
  const row = page.locator('#ladder g.row.http.response').first();
  const label = await row.getAttribute("data-label");
  await row.click();
  return { label, detail: await page.textContent("#detail-text") };
}

test("an audio/mpeg answer is shown as an audio file Twilio plays, not as text", async () => {
  const pg = await openPlayground();
  try {
    const { page, url } = pg;
    const mp3 = "ID3\u0004\u0000\u0000\u0000\u0000\u0000#TSSE\u0000\u0000\u0000\u000f\u0000\u0000\u0003Lavf58.29.100\u0000ÿû";
    await answeredWith(page, url, mp3, "audio/mpeg");
    const { label, detail } = await readAnswer(page);
    assert.equal(label, "HTTP 200 audio (played)");
    assert.match(detail, /^Content-Type: audio\/mpeg$/m);
    assert.doesNotMatch(detail, /text\/xml/);
    assert.ok(!detail.includes("ID3") && !detail.includes("Lavf"), `no bytes shown as text: ${detail}`);
    const bytes = new TextEncoder().encode(mp3).length;
    assert.match(detail, new RegExp(`^Content-Length: ${bytes}$`, "m"));
    assert.match(detail, new RegExp(`audio/mpeg: an audio file of ${bytes} bytes, not text\\. Twilio plays it to the caller, then hangs up`));
    await pg.shot("audio-answer");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("a text/plain answer shows its own type and its text; an answer with no Content-Type says so", async () => {
  const pg = await openPlayground();
  try {
    const { page, url } = pg;
    await answeredWith(page, url, "Please hold.", "text/plain; charset=utf-8");
    let { label, detail } = await readAnswer(page);
    assert.equal(label, "HTTP 200 text (read out)");
    assert.match(detail, /^Content-Type: text\/plain; charset=utf-8$/m);
    assert.match(detail, /^Please hold\.$/m);
    await answeredWith(page, url, "<Response/>", null);
    ({ detail } = await readAnswer(page));
    assert.doesNotMatch(detail, /^Content-Type:/m);
    assert.match(detail, /no Content-Type header/);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
