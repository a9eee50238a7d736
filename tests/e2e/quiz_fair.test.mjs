// The free quiz is fair (trainer's third trial): events at the same simulated instant are one
// answer set, none of them offered as a wrong choice, and nothing the vendor's outcome-table
// cell states as the consequence of the asked moment is offered as a wrong choice either.
// Checked over every catalogue scenario, every question the page would ask, with a check of
// its own (the snapshots and the vendor's sentences), not the quiz's code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, openScenario, walkQuiz } from "./harness.mjs";

/**
 * Why wrong choice `role` (leg labels replaced by `<id>`) is unfair at the instant whose steps
 * are `instant` (snapshots, each with its step before as `[prev, legs]`), or null. `vendor` is
 * the cell's sentence when the instant is a table moment of this run, else "".
 */
function unfair(role, instant, vendor) {
  const happens = instant.some(([prev, legs]) => {
    const was = (id) => prev.find((l) => l.id === id);
    const is = (id) => legs.find((l) => l.id === id);
    let m;
    if ((m = /^<(\w+)> and <(\w+)> are bridged again/.exec(role)) || (m = /^<(\w+)> is bridged with <(\w+)>$/.exec(role))) return is(m[1])?.bridgedWith === m[2] && was(m[1])?.bridgedWith !== m[2];
    if ((m = /^<(\w+)> is disconnected from <(\w+)>$/.exec(role))) return was(m[1])?.bridgedWith === m[2] && is(m[1])?.bridgedWith !== m[2];
    const words = { "is ringing": "ringing", "answers (in-progress)": "in-progress", "is disconnected": "completed", "is busy": "busy", "does not answer (no-answer)": "no-answer", fails: "failed", "is canceled": "canceled" };
    if ((m = /^<(\w+)> (.+)$/.exec(role)) && words[m[2]]) return is(m[1])?.status === words[m[2]] && was(m[1])?.status !== words[m[2]];
    if ((m = /^Twilio answers <(\w+)>'s call/.exec(role))) return is(m[1])?.status === "in-progress" && was(m[1])?.status !== "in-progress";
    return false;
  });
  if (happens) return "happens at the question's instant";
  // The vendor's words, read from its sentence: the initial call (UserA with AgentA) ends, or comes back.
  const ends = /will now get disconnected|^Initial call is disconnected/.test(vendor);
  const back = /re-established\. So UserA will be connected to AgentA again/.test(vendor);
  if (ends && /^<transferor> is disconnected|^<caller> is disconnected from <transferor>/.test(role)) return `the vendor's cell says "${vendor}"`;
  if (back && /^<caller> (is bridged with|and) <transferor>/.test(role)) return `the vendor's cell says "${vendor}"`;
  return null;
}

test("free quiz: no wrong choice happens at the question's instant or is what the vendor's cell says follows (all catalogue scenarios, every question)", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const asked = await page.evaluate(async () => {
      const { simulate, scenarios } = await import("/pkg/index.js");
      const { question, answerPool } = await import("/training.js");
      const { tableCells, vendorStated, ROWS } = await import("/outcome_table.js");
      const { readAnswerOnBridge } = await import("/compare.js");
      const catalogue = scenarios();
      const pool = answerPool(tableCells(catalogue).map((c) => simulate(c.entry.scenario).steps));
      const spare = answerPool(catalogue.map((c) => simulate(c.scenario).steps));
      const role = (text, legs) => [...legs].sort((a, b) => b.label.length - a.label.length).reduce((t, l) => t.replaceAll(l.label, `<${l.id}>`), text);
      const out = [];
      for (const entry of catalogue) {
        const { steps } = simulate(entry.scenario);
        const aob = readAnswerOnBridge(entry.scenario.initialTwiml) === true;
        for (let t = 1; t < steps.length; t++) {
          if (steps[t].atMs === steps[t - 1].atMs && out.at(-1)?.id === entry.id && out.at(-1).atMs === steps[t].atMs) continue; // one question per instant, as the page asks
          const q = question(steps, t, pool, spare, vendorStated?.(steps, t, aob) ?? null); // (a page without vendorStated: none)
          if (!q) continue;
          const instant = [];
          for (let i = t; i < steps.length && steps[i].atMs === steps[t].atMs; i++) instant.push([steps[i - 1].legs, steps[i].legs]);
          const legs = steps.at(-1).legs;
          const vendor = ROWS.filter((r) => { const i = r.anchor(steps); return i >= 0 && steps[i].atMs === steps[t].atMs; }).map((r) => r.vendor[aob ? 0 : 1]).join(" / ");
          out.push({ id: entry.id, atMs: steps[t].atMs, instant, vendor, wrong: q.choices.filter((c) => !c.correct).map((c) => ({ text: c.text, role: role(c.text, legs) })) });
        }
      }
      return out;
    });
    const bad = [];
    let wrong = 0;
    for (const q of asked) {
      for (const w of q.wrong) {
        wrong += 1;
        const why = unfair(w.role, q.instant, q.vendor);
        if (why) bad.push(`${q.id} @${q.atMs} ms: "${w.text}" (${why})`);
        if (/ is answered/.test(w.text)) bad.push(`${q.id} @${q.atMs} ms: "${w.text}" (a party answers; it is not "answered")`);
      }
    }
    console.log(`free quiz over the catalogue: ${asked.length} questions, ${wrong} wrong choices, ${bad.length} unfair`);
    assert.ok(asked.length >= 200, "many questions checked");
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} unfair wrong choices`);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("free quiz, default scenario: at AgentB's answer (28.120 s) the answer set is told whole, and 'AgentA is disconnected' is not a wrong choice", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await openScenario(page, "webhook-executed-aob-true", { quiz: true }); // the page's default scenario
    const seen = await walkQuiz(page, () => page.evaluate(() => ({
      q: document.querySelector("#training-q")?.textContent ?? "",
      choices: [...document.querySelectorAll("#training .choices button")].map((b) => b.textContent.replace(/^\d+\. /, "")),
      feedback: document.querySelector("#training-feedback")?.textContent ?? "",
    })));
    const at = seen.find((v) => v.q.includes("28.120"));
    assert.ok(at, `a question at 28.120 s: ${JSON.stringify(seen.map((v) => v.q))}`);
    assert.ok(!at.choices.includes("AgentA is disconnected"), `choices: ${at.choices.join(" | ")}`);
    for (const c of at.choices) assert.doesNotMatch(c, / is answered/, "a party answers; it is not \"answered\"");
    const right = seen[seen.indexOf(at) + 1]?.feedback ?? "";
    for (const fact of ["UserA is bridged with AgentB", "UserA is disconnected from AgentA", "AgentB answers (in-progress)"]) assert.ok(right.includes(fact), `the feedback names "${fact}": ${right}`);
    assert.equal(seen.filter((v) => v.q.includes("28.120")).length, 1, "one question for the instant, not one per step of it");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
