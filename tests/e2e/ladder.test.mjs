// The ladder and the page's one scenario, in headless Chromium: the arrows of every
// catalogue scenario carry the labels the ladder drew when it still read the SIP text
// (that old reading is kept as the oracle in tests/js/ladder_oracle.mjs), the current row is brought into view
// without the step reading a layout, and an edit is in a share link made at once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";
import { oldLabels } from "../js/ladder_oracle.mjs";

/** The ladder's clipping of a drawn label to `n` characters. */
const clip = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

async function pick(page, id) {
  await page.selectOption("#scenario-picker", id);
  await page.waitForFunction((id) => document.body.dataset.step === "0" && window.__playground.state.entryId === id, id);
}

const frames = (page, n = 2) => page.evaluate((n) => new Promise((r) => {
  const next = (k) => (k === 0 ? setTimeout(r, 0) : requestAnimationFrame(() => next(k - 1)));
  next(n);
}), n);

test("every arrow of every catalogue scenario shows the label and the line the text-reading ladder showed", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const ids = await page.$$eval("#scenario-picker option[value]:not([value=''])", (o) => o.map((x) => x.value));
    let arrows = 0;
    let cut = 0;
    let full = 0;
    for (const id of ids) {
      await pick(page, id);
      const drawn = await page.$$eval("#ladder g.row.sip", (rows) => rows.map((g) => ({
        label: g.dataset.label, arrow: g.querySelector(".arrow-label").textContent, sub: g.querySelector(".arrow-sub")?.textContent ?? null, response: g.classList.contains("response"),
      })));
      const messages = await page.evaluate(() => window.__playground.state.steps.flatMap((s) => s.messages));
      const oracle = messages.map((m) => {
        const { label, sub, response } = oldLabels(m);
        return { label, arrow: clip(label, 26), sub: sub || null, response };
      });
      // The line under an arrow is drawn in full where the drawing has the room, else cut with
      // "…" to what it has (it was cut at 30 characters): a cut one counts as its whole line.
      const read = drawn.map((d, i) => {
        const whole = oracle[i]?.sub;
        if (d.sub && whole && d.sub !== whole && d.sub.endsWith("…") && whole.startsWith(d.sub.slice(0, -1))) {
          cut += 1;
          return { ...d, sub: whole };
        }
        if (d.sub) full += 1;
        return d;
      });
      assert.ok(drawn.length > 0, id);
      assert.deepEqual(read, oracle, id);
      arrows += drawn.length;
    }
    console.log(`ladder labels: ${arrows} SIP arrows over ${ids.length} scenarios, each as the text-reading ladder drew it; lines under them: ${full} in full, ${cut} cut to the drawing's room`);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the current step's row is scrolled into view, with the future shown or hidden", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await pick(page, "chained-transfer");
    const inView = () => page.evaluate(() => {
      const box = document.getElementById("ladder").getBoundingClientRect();
      const head = document.querySelector("#ladder .ladder-head").getBoundingClientRect();
      const row = document.querySelector("#ladder g.row.current").getBoundingClientRect();
      return row.top >= head.bottom - 1 && row.bottom <= box.bottom + 1;
    });
    const last = await page.$eval("#scrubber", (n) => Number(n.max));
    for (const i of [last, 0, Math.floor(last / 2), last - 1]) {
      await page.evaluate((i) => window.__playground.go(i), i);
      await frames(page);
      assert.ok(await inView(), `step ${i + 1}: the current row is in the ladder's box`);
    }
    // Presenter mode scales the drawing and hides the future: the current row stays in view.
    await page.keyboard.press("p");
    await page.evaluate(() => window.__playground.go(0));
    await frames(page, 3);
    for (let i = 1; i <= last; i++) {
      await page.evaluate((i) => window.__playground.go(i), i);
      // The scroll to the current row can land a few frames after the step is drawn (presenter mode
      // lays the hidden-future drawing out again as parties enter): 2 frames failed 2 runs in 3 at
      // step 25 of chained-transfer, 6 passed 6 in 6.
      await frames(page, 6);
      assert.ok(await inView(), `presenter, step ${i + 1}: the current row is in the ladder's box`);
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("an edit is in the page's one scenario at once: a share link made right after it reproduces it", async () => {
  const pg = await openPlayground();
  let other;
  try {
    const { page } = pg;
    await pick(page, "agentb-answers-aob-true");
    const referTo = "<sip:AgentB@example.sip.twilio.com?X-Edit=at-once>";
    // No wait between the edit and the share: the simulation has not run again yet.
    const { link, stored } = await page.evaluate(async (referTo) => {
      const area = document.getElementById("ed-referto");
      area.value = referTo;
      area.dispatchEvent(new Event("input", { bubbles: true }));
      const stored = window.__playground.state.scenario.refer.referTo; // no copy in the editors to flush first
      document.getElementById("share-make").click();
      return { link: document.getElementById("share-link").value, stored };
    }, referTo);
    assert.equal(stored, referTo, "the edit is in the page's one scenario as soon as it is typed");
    const shared = JSON.parse(Buffer.from(link.slice(link.indexOf("#s=") + 3), "base64url").toString("utf8"));
    assert.equal(shared.scenario.refer.referTo, referTo, "the link carries the edit");
    assert.equal(shared.id, null, "and says it is an edited variant");
    assert.equal(shared.basedOn, "agentb-answers-aob-true");

    other = await openPlayground({ path: link.slice(link.indexOf("#")) });
    const p2 = other.page;
    assert.equal(await p2.inputValue("#ed-referto"), referTo);
    const sent = await p2.evaluate(() => window.__playground.state.steps.flatMap((s) => s.messages).find((m) => m.method === "REFER"));
    assert.equal(sent.headers.find(([name]) => name === "Refer-To")[1], referTo, "the shared run sends the edited REFER");
    // The first page runs the edit too, after its pause, and draws the same REFER.
    await page.waitForFunction((referTo) => [...document.querySelectorAll("#ladder g.row.sip .arrow-sub")].some((t) => t.textContent.startsWith("Refer-To: <sip:AgentB") && window.__playground.state.steps.some((s) => s.messages.some((m) => m.headers.some(([, v]) => v === referTo)))), referTo);
    assert.deepEqual(pg.problems, []);
    assert.deepEqual(other.problems, []);
  } finally {
    await pg.close();
    await other?.close();
  }
});
