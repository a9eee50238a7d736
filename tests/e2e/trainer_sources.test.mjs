// What a trainer reads beside the answers: the lesson's "Why" states the answer (the vendor's
// REFER page step, not an INVITE that explains nothing), the side-by-side panel says AgentA is
// disconnected from UserA where the vendor says "the initial call is disconnected", and every
// source a class sees is Twilio's page with its URL (the `doc` badge names it), generated from
// src/sources.md so the two cannot drift.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { openPlayground, openScenario } from "./harness.mjs";

/** What the first "Why" line must say for each right answer (the lesson's words). */
const WHY = [
  [/^Right after the referUrl webhook/, /answerOnBridge (is )?false.*(right after the webhook|disconnects AgentA)/],
  [/^Right after the referUrl request fails/, /has no TwiML to run and is disconnected/],
  [/^Only when AgentB answers/, /AgentB answered.*disconnects AgentA/],
  [/^Never: /, /stay connected|re-establish/],
  [/: the initial call$/, /stay connected|still connected|re-establish/],
  [/: the transfer$/, /UserA and AgentB are bridged|transfer went through|AgentB answered/],
  [/ alone: /, /answerOnBridge (is )?false.*disconnects AgentA/],
  [/^Nobody: /, /disconnected|impossible/],
  [/the transfer went through$/, /transfer went through|UserA and AgentB are bridged/],
  [/the call is re-established$/, /re-establish/],
  [/the call cannot come back$/, /impossible|will not be possible|cannot|disconnected when the transfer started/],
];

test("guided lesson: every cell's first 'Why' step states its right answer, and its badge names Twilio's page", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const qs = await page.evaluate(async () => {
      const { simulate, scenarios } = await import("/pkg/index.js");
      const { cellQuestions, LESSON_ORDER } = await import("/lesson.js");
      const { tableCells } = await import("/outcome_table.js");
      const cells = tableCells(scenarios());
      return LESSON_ORDER.flatMap((id) => { const cell = cells.find((c) => c.id === id); return cellQuestions(cell, simulate(cell.entry.scenario)); })
        .map((q) => ({ id: q.id, answer: q.answer, why: q.why, choices: q.choices.map((c) => c.text) }));
    });
    // No length cue: a new user taking the lesson 3 times found the right answer was the longest
    // choice in 7 of 14 questions (chance gives about 4): "UserA alone: AgentA is cut off and
    // AgentB is not on the call yet" (57) beside "UserA and AgentB: the transfer" (28). Within a
    // question the longest choice is at most 1.2 times the shortest.
    const uneven = qs.filter((q) => Math.max(...q.choices.map((c) => c.length)) > 1.2 * Math.min(...q.choices.map((c) => c.length)));
    assert.deepEqual(uneven.map((q) => `${q.id}: ${q.choices.map((c) => `${c} (${c.length})`).join(" | ")}`), []);
    assert.equal(new Set(qs.map((q) => q.id.split(":")[0])).size, 10, "the ten cells");
    const bad = [];
    for (const q of qs) {
      const rule = WHY.find(([a]) => a.test(q.answer));
      console.log(`${q.id} | ${q.answer} | why: ${q.why.map((w) => `[${w.tag} ${w.source}] ${w.text.slice(0, 90)}`).join(" / ")}`);
      if (!rule) { bad.push(`${q.id}: no rule for "${q.answer}"`); continue; }
      if (!rule[1].test(q.why[0]?.text ?? "")) bad.push(`${q.id}: "${q.answer}" but the Why is "${q.why[0]?.text}"`);
      if (q.why[0]?.tag !== "doc") bad.push(`${q.id}: the Why is not the vendor's (${q.why[0]?.tag})`);
    }
    assert.deepEqual(bad, []);
    // On the page: cell 3 (agentb-answers-aob-false, "When does Twilio take UserA away from AgentA?").
    await page.check("#lesson-toggle");
    await page.waitForSelector("#lesson .choices button");
    for (let n = 0; n < 3; n++) {
      await page.click('#lesson .choices button[data-correct="true"]');
      const next = await page.$("#lesson button.next-q, #lesson button:has-text('Next question'), #lesson button:has-text('Next cell')");
      if (n < 2 && next) await next.click();
    }
    const why = await page.$$eval("#lesson .why li", (lis) => lis.map((li) => ({ text: li.textContent, title: li.querySelector(".badge")?.getAttribute("title") ?? "" })));
    assert.ok(why.length > 0, "a Why on screen");
    for (const w of why.filter((x) => /^documented/.test(x.text))) assert.match(w.title, /“.+”, https:\/\/(www|support)\.twilio\.com\//, `the badge names the page: ${w.title}`);
    const source = await page.textContent("#lesson .source");
    assert.match(source, /twilio\.com\/docs\/voice\/api\/refer-to-twilio/);
    assert.equal(await page.getAttribute("#lesson .source a", "href"), "https://www.twilio.com/docs/voice/api/refer-to-twilio");
    assert.doesNotMatch(source, /reference\//);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("side by side: right after the webhook with answerOnBridge false, AgentA's lane says it is disconnected from UserA and when its leg ends", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await openScenario(page, "webhook-executed-aob-false");
    const lane = await page.textContent('#compare-body .cmp-col[data-aob="false"] ol[data-moment="after-webhook"] [data-leg="transferor"]');
    assert.match(lane, /not bridged.*disconnected from UserA; its leg ends when it sends BYE \(t = 20\.220 s\)/s, lane);
    const onTrue = await page.textContent('#compare-body .cmp-col[data-aob="true"] ol[data-moment="after-webhook"] [data-leg="transferor"]');
    assert.doesNotMatch(onTrue, /disconnected from/, "answerOnBridge true: AgentA is still with UserA");
    const diff = await page.textContent("#compare-diff");
    assert.match(diff, /AgentA: in-progress, bridged with UserA \(true\) vs in-progress, disconnected from UserA; its leg ends when it sends BYE/, diff);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("sources: www/sources.js is what src/sources.md gives; every doc step of the catalogue names a page; the step's badge, the grid and the handout show Twilio's URL", async () => {
  execFileSync(process.execPath, [new URL("../../scripts/sources_map.mjs", import.meta.url).pathname, "--check"]);
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const missing = await page.evaluate(async () => {
      const { simulate, scenarios } = await import("/pkg/index.js");
      const { sourcePage } = await import("/sources.js");
      const out = new Set();
      for (const c of scenarios()) for (const s of simulate(c.scenario).steps) if (s.tag === "doc" && !sourcePage(s.source)) out.add(`${c.id}: ${s.source}`);
      return [...out];
    });
    assert.deepEqual(missing, [], "doc steps whose key has no page");
    await openScenario(page, "webhook-executed-aob-true");
    const title = await page.getAttribute("#stepper .narration-head .badge.doc", "title"); // step 1: UserA calls (siptwiml.voice-url)
    assert.match(title, /^stated by the vendor's page “SIP and TwiML interaction”, https:\/\/www\.twilio\.com\/docs\/voice\/api\/sip-twiml$/, title);
    const texts = await page.evaluate(() => [...document.querySelectorAll("#table-body .source, #handout p")].map((p) => p.textContent).filter((t) => /quot/i.test(t)));
    assert.ok(texts.length >= 2, JSON.stringify(texts));
    for (const t of texts) { assert.match(t, /twilio\.com\/docs\/voice\/api\/refer-to-twilio/, t); assert.doesNotMatch(t, /reference\//, t); }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
