// A random round of the free quiz can be shared: while the round runs the address bar is
// `#round=SEED` (and the Share panel offers that link even while the quiz conceals the
// scenario), and opening the link starts that round, the same scenarios with the same choices.
// The seed was on screen but in no link, so a trainer who shared the page sent the class no round
// (the address carried nothing while the quiz concealed the scenario). The link names only the
// seed, never a scenario (tests/e2e/quiz_conceal.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, SCREENSHOTS } from "./harness.mjs";

/** The address bar's hash, after writeLocation's 120 ms debounce. */
async function hash(page) {
  await page.waitForTimeout(300);
  return page.evaluate(() => location.hash);
}

/** The round on screen: its line, the scenario open, its step, the first question's choices (opening it with Next). */
async function roundView(page) {
  await page.waitForFunction(() => document.body.dataset.step === "0");
  const view = await page.evaluate(() => ({
    line: document.querySelector("#round-line")?.textContent ?? "",
    id: window.__playground.state.entryId,
    quiz: document.querySelector("#training-toggle").checked,
    step: window.__playground.state.index,
  }));
  await page.click("#btn-next");
  view.choices = await page.$$eval("#training .choices button", (bs) => bs.map((b) => b.textContent));
  return view;
}

test("a random round's link: #round=SEED while it runs, in the Share panel while concealed, and opening it starts the same round", async () => {
  const pg = await openPlayground();
  try {
    const { page, url } = pg;
    await page.check("#training-toggle");
    await page.fill("#round-seed", "4242");
    await page.click("#round-start");
    const first = await roundView(page);
    assert.match(first.line, /seed 4242 · scenario 1 of 5/);
    const order = await page.evaluate(async () => (await import("/training.js")).roundOrder(window.__playground.state.catalogue.map((c) => c.id), 4242));
    assert.equal(first.id, order[0]);
    // The address names the round and nothing of its scenario.
    assert.equal(await hash(page), "#round=4242", "the address bar carries the round's seed");
    const href = await page.evaluate(() => location.href);
    for (const id of order) assert.ok(!href.includes(id), `the address names no scenario of the round (${id})`);
    assert.doesNotMatch(href, /#s=/);
    // The Share panel: its scenario link waits (quiz_conceal), the round's link is there.
    assert.ok(!(await page.isVisible("#share-body")), "the scenario's link still waits while concealed");
    assert.ok(await page.isVisible("#share-round"), "the round's link is offered while the quiz conceals the scenario");
    await page.click("#share-round-make");
    const link = await page.inputValue("#share-round-link");
    assert.equal(link, `${url}#round=4242`);
    for (const viewport of [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }]) {
      await page.setViewportSize(viewport);
      await page.locator("#share").screenshot({ path: new URL(`quiz-round-link-${viewport.width}.png`, SCREENSHOTS).pathname });
    }
    // The next scenario of the round: the address still names the round.
    await page.click('#training .choices button[data-correct="true"]');
    assert.equal(await hash(page), "#round=4242");

    // A student opens the link in a fresh page: the quiz is on, the same round starts at its first scenario.
    const other = await pg.browser.newPage({ viewport: { width: 1280, height: 720 } });
    await other.goto(link);
    await other.waitForSelector("body[data-ready=true]");
    const opened = await roundView(other);
    assert.deepEqual(opened, { ...first, line: opened.line }, "the same scenario, concealed at step 1, with the same first choices");
    assert.match(opened.line, /seed 4242 · scenario 1 of 5/);
    assert.equal(opened.quiz, true, "the free quiz is on");
    assert.match(await other.locator("#scenario-picker option:checked").textContent(), /hidden/, "the scenario is not named");
    assert.equal(await hash(other), "#round=4242");
    await other.close();

    // Leaving the round (a scenario picked by hand, at its end the quiz conceals nothing) gives the address back to the scenario.
    await page.uncheck("#training-toggle");
    assert.match(await hash(page), /^#s=/, "outside a round the address names the scenario again");
    assert.ok(!(await page.isVisible("#share-round")), "no round, no round link");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("a round link with a seed out of range says so and opens the first scenario", async () => {
  const pg = await openPlayground();
  try {
    const { page, url } = pg;
    await page.goto(`${url}#round=0`);
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.match(await page.textContent("#scenario-error"), /round link.*seed 0.*1 to 99,999/);
    assert.equal(await page.isChecked("#training-toggle"), false);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
