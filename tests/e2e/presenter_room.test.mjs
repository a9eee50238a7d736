// A trainer teaching from a projector: presenter mode with the lesson open gives the ladder the
// screen's remaining height (at 1280x720 it showed about 3 rows under the toolbar, the stepper
// and the lesson's panel), and the ladder's heads name every party in full ("Programmab…" and
// "sip:AgentA@exam…" were cut in every narrow layout).
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openScenario, settled, walkQuiz } from "./harness.mjs";
import { ladderTexts } from "./ladder_texts.mjs";

/** The ladder's rows on screen: those shown, and those wholly visible (below the sticky heads, inside the ladder's box and the window). */
const rowsOnScreen = (page) => page.evaluate(() => {
  const box = document.getElementById("ladder").getBoundingClientRect();
  const head = document.querySelector("#ladder .ladder-head").getBoundingClientRect();
  const top = Math.max(head.bottom, 0);
  const bottom = Math.min(box.bottom, innerHeight);
  const rows = [...document.querySelectorAll("#ladder g.row:not(.hidden)")];
  const visible = rows.filter((g) => { const r = g.querySelector(".row-bg").getBoundingClientRect(); return r.top >= top - 1 && r.bottom <= bottom + 1; });
  const current = document.querySelector("#ladder g.row.current .row-bg")?.getBoundingClientRect();
  return { shown: rows.length, visible: visible.length, ladder: Math.round(bottom - top), currentInView: !!current && current.top >= top - 1 && current.bottom <= bottom + 1 };
});

/** The lesson's choices and the playground: each box's top and bottom on screen. */
const boxes = (page, sel) => page.$$eval(sel, (es) => es.map((e) => e.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), bottom: Math.round(r.bottom) })));

// Presenting, the type floor is a share of the screen's height (README "Presenter mode, round 13"):
// 1920x1080 is 1280x720 at 1.5 times, so it shows as many rows (it showed 9 with 12 px ladder text).
for (const [width, height, least] of [[1280, 720, 6], [1920, 1080, 6]]) {
  test(`presenter mode with the lesson open at ${width}x${height}: the ladder takes the screen's remaining height (at least ${least} rows), every choice on screen`, async () => {
    const pg = await openPlayground({ viewport: { width, height } });
    try {
      const { page } = pg;
      await page.evaluate(() => localStorage.clear());
      await openScenario(page, "agentb-answers-aob-true");
      await page.check("#lesson-toggle");
      await page.waitForSelector("#lesson .choices button");
      await page.focus("#btn-next");
      await page.keyboard.press("p");
      await settled(page);
      await settled(page);
      const first = await rowsOnScreen(page);
      console.log(`presenter + lesson at ${width}x${height}, first question: ${JSON.stringify(first)}`);
      assert.ok(first.visible >= Math.min(least, first.shown), `${first.visible} of ${first.shown} rows in view (${first.ladder} px of ladder)`);
      assert.ok(first.currentInView, "the current row is in view");
      for (const b of await boxes(page, "#lesson .choices button")) assert.ok(b.top >= 0 && b.bottom <= height, `a choice at ${b.top}..${b.bottom} is off the screen`);
      const [playground] = await boxes(page, "#playground");
      assert.ok(playground.top >= -1 && playground.bottom <= height + 1, `the playground is one screen (${playground.top}..${playground.bottom})`);
      // Answering, then the next question: the explanation scrolls inside the lesson's panel, the ladder keeps its room.
      await page.keyboard.press(String((await page.$$eval("#lesson .choices button", (bs) => bs.map((b) => b.dataset.correct))).indexOf("true") + 1));
      await page.waitForSelector("#lesson-next");
      await settled(page);
      const answered = await rowsOnScreen(page);
      console.log(`presenter + lesson at ${width}x${height}, answered: ${JSON.stringify(answered)}`);
      assert.ok(answered.visible >= Math.min(least, answered.shown), `${answered.visible} of ${answered.shown} rows in view after the answer`);
      assert.ok(answered.currentInView, "the current row is in view after the answer");
      const [next] = await boxes(page, "#lesson-next");
      assert.ok(next.top >= 0 && next.bottom <= height, `the next question's button on screen (${next.top}..${next.bottom})`);
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  });
}

/** Each column head's party line as drawn (its lines), the party it stands for, and whether a line leaves the head's box. */
const heads = (page) => page.evaluate(() => {
  const legs = window.__playground.state.steps.at(-1).legs;
  return [...document.querySelectorAll("#ladder .ladder-head-svg g.col")].filter((g) => getComputedStyle(g).visibility !== "hidden").map((g) => {
    const label = g.querySelector(".col-label").textContent;
    const party = label === "Twilio" ? "Programmable Voice" : label === "App" ? "your web application" : legs.find((l) => l.label === label)?.party;
    const rect = g.querySelector("rect").getBoundingClientRect();
    const text = g.querySelector(".col-party");
    const lines = !text ? [] : text.querySelector("tspan") ? [...text.querySelectorAll("tspan")] : [text]; // one line, drawn whole or cut
    const out = lines.filter((t) => { const r = t.getBoundingClientRect(); return r.left < rect.left - 1 || r.right > rect.right + 1 || r.top < rect.top - 1 || r.bottom > rect.bottom + 1; });
    const labelBox = g.querySelector(".col-label").getBoundingClientRect();
    const overLabel = lines.some((t) => t.getBoundingClientRect().top < labelBox.bottom - 1);
    return { label, party, lines: lines.map((t) => t.textContent), out: out.map((t) => t.textContent), overLabel, hover: g.querySelector("title")?.textContent ?? "" };
  });
});

test("the ladder's heads show each party in full, inside their boxes, in the narrow layouts (lesson, quiz, presenter mode) at 1280x720 and 1920x1080", async () => {
  const pg = await openPlayground({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = pg;
    await page.evaluate(() => localStorage.clear());
    const layouts = [
      ["lesson", async () => { await page.check("#lesson-toggle"); await page.waitForSelector("#lesson .choices button"); }],
      ["presenter + lesson", async () => { await page.focus("#btn-next"); await page.keyboard.press("p"); }],
      ["presenter + quiz at its end", async () => {
        await page.uncheck("#lesson-toggle");
        await openScenario(page, "agentb-answers-aob-true", { quiz: true });
        await page.click("#btn-last").catch(() => {});
        for (let i = 0; i < 60 && !(await page.isDisabled("#btn-next")); i++) {
          const right = await page.$('#training .choices button[data-correct="true"]');
          if (right) await right.click(); else await page.click("#btn-next");
        }
      }],
    ];
    for (const [size, viewport] of [["1280x720", { width: 1280, height: 720 }], ["1920x1080", { width: 1920, height: 1080 }]]) {
      await page.setViewportSize(viewport);
      await page.evaluate(() => { localStorage.clear(); document.body.classList.contains("presenter") && document.getElementById("presenter-toggle").click(); });
      for (const id of ["#lesson-toggle", "#training-toggle"]) if (await page.isChecked(id)) await page.uncheck(id);
      await openScenario(page, "agentb-answers-aob-true");
      for (const [name, enter] of layouts) {
        await enter();
        await settled(page);
        await settled(page);
        const seen = await heads(page);
        console.log(`${name} at ${size}: ${seen.map((h) => `${h.label} [${h.lines.join(" | ")}]`).join(", ")}`);
        assert.ok(seen.length >= 2);
        // Presenting, a head is its label at the type floor: the party's line (a SIP address in four or
        // five lines of a 70 px column) is left out, and stays in the head's hover title.
        if (name.startsWith("presenter")) {
          for (const h of seen) {
            assert.deepEqual(h.lines, [], `${name} at ${size}: ${h.label} without its party line`);
            assert.equal(h.hover, `${h.label}: ${h.party}`, "the full name on hover");
          }
          continue;
        }
        for (const h of seen) {
          assert.ok(h.party, `${h.label}: a party to show`);
          assert.ok(!h.lines.some((l) => l.includes("…")), `${name} at ${size}: ${h.label}'s party cut: ${h.lines.join(" | ")}`);
          assert.equal(h.lines.join(" ").replace(/ /g, ""), h.party.replace(/ /g, ""), `${name} at ${size}: ${h.label}'s party in full`);
          assert.deepEqual(h.out, [], `${name} at ${size}: ${h.label}'s lines inside its box`);
          assert.equal(h.overLabel, false, `${name} at ${size}: ${h.label}'s party line under its name, not over it`);
          assert.equal(h.hover, `${h.label}: ${h.party}`, "the full name on hover");
        }
      }
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

/** Whether `sel` is wholly on screen (true), inside the window and every box that clips it, or where it is (a string); null if absent or hidden. */
const whollyVisible = (page, sel) => page.evaluate((sel) => {
  const e = document.querySelector(sel);
  if (!e || e.hidden) return null;
  const r = e.getBoundingClientRect();
  if (r.height === 0 || r.top < -1 || r.bottom > innerHeight + 1) return `${sel} at ${Math.round(r.top)}..${Math.round(r.bottom)} in a ${innerHeight} px window`;
  for (let p = e.parentElement; p; p = p.parentElement) {
    if (getComputedStyle(p).overflowY === "visible") continue;
    const b = p.getBoundingClientRect();
    if (r.top < b.top - 1 || r.bottom > b.bottom + 1) return `${sel} at ${Math.round(r.top)}..${Math.round(r.bottom)} cut by ${p.tagName}.${p.className} (${Math.round(b.top)}..${Math.round(b.bottom)})`;
  }
  return true;
}, sel);

test("presenter mode with the free quiz at 1280x720: the lane that enters is on screen, and the outcome at the last step", async () => {
  const pg = await openPlayground({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = pg;
    await openScenario(page, "agentb-no-answer-aob-true", { quiz: true });
    await page.focus("#btn-next");
    await page.keyboard.press("p");
    // At each step: whether the third lane (AgentB) is on screen; the first answer is at the step it enters.
    const seen = await walkQuiz(page, async () => {
      await settled(page);
      return whollyVisible(page, "#lanes .lane:nth-child(3)");
    });
    const agentB = seen.find((v) => v !== null);
    console.log(`AgentB's lane at each change: ${JSON.stringify(seen)}`);
    await settled(page);
    assert.equal(agentB, true, "AgentB's lane on screen at the step it enters");
    assert.equal(await whollyVisible(page, "#outcome"), true, "the outcome line on screen at the last step");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the lines under the arrows are whole where the drawing has the room: the NOTIFY's 487 Request Terminated, the REFER's target (plain, and presenting at 1280x720)", async () => {
  const pg = await openPlayground({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = pg;
    await openScenario(page, "agentb-no-answer-aob-true");
    await page.keyboard.press("End");
    for (const mode of ["plain", "presenter"]) {
      if (mode === "presenter") { await page.focus("#btn-restart"); await page.keyboard.press("p"); await page.keyboard.press("End"); }
      await settled(page);
      await settled(page);
      const subs = await page.$$eval("#ladder g.row:not(.hidden) .arrow-sub", (ts) => ts.map((t) => t.textContent));
      console.log(`${mode} at 1280x720: ${subs.join(" | ")}`);
      assert.ok(subs.includes("sipfrag: SIP/2.0 487 Request Terminated"), `${mode}: the NOTIFY that says why the transfer failed, whole`);
      assert.ok(subs.includes("Refer-To: <sip:AgentB@example.sip.twilio.com>"), `${mode}: the REFER's target, whole`);
      const { overlaps } = await ladderTexts(page);
      assert.deepEqual(overlaps, [], `${mode}: no text over another or cut at the drawing's edge`);
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("presenting at 1280x720, a cell opened from the outcome table with the keyboard: its note, the current row and at least 5 ladder rows on screen", async () => {
  const pg = await openPlayground({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = pg;
    await page.focus("#btn-next");
    await page.keyboard.press("p");
    await page.focus('.site-nav a[href="#table-panel"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector("#table-panel button.cell", { state: "visible" });
    // The row "AgentB does not answer the call", answerOnBridge false: the longest vendor's words.
    const cell = await page.$$eval("#table-panel button.cell", (bs) => bs.findIndex((b) => /AgentB does not answer/.test(b.closest("tr").textContent) && b.dataset.aob === "false"));
    assert.ok(cell >= 0);
    await page.locator("#table-panel button.cell").nth(cell).focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("#moment-note:not([hidden])");
    await settled(page);
    await settled(page);
    assert.equal(await whollyVisible(page, "#moment-note"), true, "the cell's note on screen");
    const rows = await rowsOnScreen(page);
    console.log(`presenting at 1280x720, a table cell opened: ${JSON.stringify(rows)}, note ${await page.$eval("#moment-note", (n) => Math.round(n.getBoundingClientRect().height))} px high`);
    assert.ok(rows.currentInView, "the current row is in view");
    assert.ok(rows.visible >= 5, `${rows.visible} ladder rows in view (${rows.ladder} px)`);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
