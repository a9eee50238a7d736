// The free quiz's random round (trainer's wish: a retake asked the same questions). A round is
// ROUND_LENGTH catalogue scenarios drawn by a seed shown on screen: the same seed plays the same
// round (a class can share it), no scenario comes twice in a round, every scenario comes at every
// place over the seeds, and the right answer's place among the choices is uniform and moves with
// the seed. Checked over every seed and over many rounds' questions, not one example.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, walkQuiz } from "./harness.mjs";

/** Pearson's chi-square of `counts` against equal shares. */
function chi2(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((a, c) => a + (c - e) ** 2 / e, 0);
}
// Upper 0.1% points of chi-square (degrees of freedom → value).
const CHI2_999 = { 1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 41: 74.74 };

test("random rounds over every seed: no scenario twice in a round, every scenario at every place, evenly", async () => {
  const pg = await openPlayground();
  try {
    const r = await pg.page.evaluate(async () => {
      const { roundOrder, ROUND_LENGTH, MAX_ROUND_SEED } = await import("/training.js");
      const ids = window.__playground.state.catalogue.map((c) => c.id);
      const at = Object.fromEntries(ids.map((id) => [id, Array(ROUND_LENGTH).fill(0)]));
      let repeats = 0, short = 0;
      const rounds = new Set();
      for (let seed = 1; seed <= MAX_ROUND_SEED; seed++) {
        const order = roundOrder(ids, seed);
        if (order.length !== ROUND_LENGTH) short++;
        if (new Set(order).size !== order.length) repeats++;
        order.forEach((id, k) => { if (at[id]) at[id][k]++; });
        rounds.add(order.join());
      }
      const again = roundOrder(ids, 4242).join() === roundOrder(ids, 4242).join();
      return { ids: ids.length, ROUND_LENGTH, seeds: MAX_ROUND_SEED, at, repeats, short, distinct: rounds.size, again };
    });
    assert.ok(r.ids >= 40, `the catalogue (${r.ids} scenarios)`);
    assert.equal(r.short, 0, "every round has its length");
    assert.equal(r.repeats, 0, "no scenario twice in a round");
    assert.ok(r.again, "the same seed, the same round");
    const never = Object.entries(r.at).filter(([, c]) => c.some((n) => n === 0)).map(([id]) => id);
    assert.deepEqual(never, [], "every scenario comes at every place of a round");
    const totals = Object.values(r.at).map((c) => c.reduce((a, b) => a + b, 0));
    const firsts = Object.values(r.at).map((c) => c[0]);
    console.log(`${r.seeds} seeds, ${r.distinct} distinct rounds; per scenario ${Math.min(...totals)}-${Math.max(...totals)} rounds (chi2 ${chi2(totals).toFixed(1)}), first ${Math.min(...firsts)}-${Math.max(...firsts)} (chi2 ${chi2(firsts).toFixed(1)})`);
    assert.ok(r.distinct > 0.99 * r.seeds, "the seeds give different rounds");
    assert.ok(chi2(totals) < CHI2_999[41], `each scenario as often (chi2 ${chi2(totals).toFixed(1)})`);
    assert.ok(chi2(firsts) < CHI2_999[41], `each scenario first as often (chi2 ${chi2(firsts).toFixed(1)})`);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("a round's questions: the right answer's place is uniform over rounds, and moves with the seed for each question", async () => {
  const pg = await openPlayground();
  try {
    const r = await pg.page.evaluate(async () => {
      const { simulate } = await import("/pkg/index.js");
      const { question, answerPool, roundOrder, roundSalt } = await import("/training.js");
      const { tableCells, vendorStated } = await import("/outcome_table.js");
      const { readAnswerOnBridge } = await import("/compare.js");
      const catalogue = window.__playground.state.catalogue;
      const ids = catalogue.map((c) => c.id);
      const runs = new Map(catalogue.map((c) => [c.id, { steps: simulate(c.scenario).steps, aob: readAnswerOnBridge(c.scenario.initialTwiml) === true }]));
      const pool = answerPool(tableCells(catalogue).map((c) => simulate(c.entry.scenario).steps));
      const spare = answerPool([...runs.values()].map((x) => x.steps));
      const byChoices = {}; // number of choices → counts of the right answer's place
      const perQuestion = new Map(); // scenario@instant → places seen
      for (let seed = 1; seed <= 400; seed++) {
        const salt = roundSalt(seed);
        for (const id of roundOrder(ids, seed)) {
          const { steps, aob } = runs.get(id);
          let lastAt = null;
          for (let t = 1; t < steps.length; t++) {
            if (steps[t].atMs === lastAt) continue; // one question per instant, as the page asks
            const q = question(steps, t, pool, spare, vendorStated(steps, t, aob), salt);
            if (!q) continue;
            lastAt = q.atMs;
            t = q.through;
            const place = q.choices.findIndex((c) => c.correct);
            (byChoices[q.choices.length] ??= Array(q.choices.length).fill(0))[place]++;
            const key = `${id}@${q.atMs}`;
            if (!perQuestion.has(key)) perQuestion.set(key, { n: q.choices.length, places: [] });
            perQuestion.get(key).places.push(place);
          }
        }
      }
      return { byChoices, perQuestion: [...perQuestion].map(([k, v]) => [k, v.n, v.places]) };
    });
    let asked = 0;
    for (const [n, counts] of Object.entries(r.byChoices)) {
      asked += counts.reduce((a, b) => a + b, 0);
      if (Number(n) < 2) continue;
      console.log(`${n} choices: right answer at places ${counts.join(" / ")} (chi2 ${chi2(counts).toFixed(1)})`);
      assert.ok(chi2(counts) < CHI2_999[Number(n) - 1], `${n} choices: the right answer's place is uniform (${counts.join(" / ")})`);
    }
    assert.ok(asked > 5000, `many questions asked (${asked})`);
    // Each question asked in 30 rounds or more has had its right answer in every place.
    const stuck = r.perQuestion.filter(([, n, places]) => n > 1 && places.length >= 30 && new Set(places).size < n);
    console.log(`${r.perQuestion.length} distinct questions, ${r.perQuestion.filter(([, , p]) => p.length >= 30).length} asked in 30+ rounds, ${stuck.length} with a place never used`);
    assert.deepEqual(stuck.map(([k, n, p]) => `${k}: ${n} choices, places ${[...new Set(p)].join(",")} in ${p.length} rounds`), []);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("on the page: the seed is on screen, the round's five scenarios come one after the other, none twice, and the same seed replays it", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.check("#training-toggle");
    /** Play round `seed` through: each scenario's id, its first question's choices, the lines shown. */
    const play = async (seed) => {
      await page.fill("#round-seed", String(seed));
      await page.click("#round-start");
      const seen = [];
      for (let k = 0; k < 5; k++) {
        await page.waitForFunction(() => document.body.dataset.step === "0");
        const line = await page.textContent("#round-line");
        const id = await page.evaluate(() => window.__playground.state.entryId);
        assert.match(await page.locator("#scenario-picker option:checked").textContent(), /hidden/, "the round's scenario is not named at step 1");
        await page.click("#btn-next");
        const first = await page.$$eval("#training .choices button", (bs) => bs.map((b) => b.textContent));
        await walkQuiz(page, async () => null);
        seen.push({ id, line, first });
        if (k < 4) await page.click("#round-next");
      }
      return { seen, score: await page.textContent("#training-score"), line: await page.textContent("#round-line"), next: await page.isVisible("#round-next") };
    };
    const a = await play(4242);
    const order = await page.evaluate(async () => (await import("/training.js")).roundOrder(window.__playground.state.catalogue.map((c) => c.id), 4242));
    assert.deepEqual(a.seen.map((s) => s.id), order, "the round's scenarios, in its order");
    assert.equal(new Set(order).size, 5);
    a.seen.forEach((s, k) => assert.match(s.line, new RegExp(`seed 4242 · scenario ${k + 1} of 5`)));
    assert.match(a.line, /round complete/);
    assert.ok(!a.next, "no next scenario after the fifth");
    assert.match(a.score, /^Final round score: (\d+) \/ \1 \(100 %\)/, "every answer of the round counted");
    await pg.shot("quiz-round-end");
    const b = await play(4242);
    assert.deepEqual(b.seen, a.seen, "the same seed: the same scenarios and the same choices in the same places");
    const other = await page.evaluate(async () => (await import("/training.js")).roundOrder(window.__playground.state.catalogue.map((c) => c.id), 4243));
    assert.notDeepEqual(other, order, "another seed, another round");
    // Picking a scenario by hand leaves the round.
    await page.selectOption("#scenario-picker", "agentb-busy-aob-true");
    assert.ok(await page.isHidden("#round-line"));
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("a retake of one scenario outside a round draws its choices again: the right answer does not stay in one place", async () => {
  // A new user retaking the free quiz found the same choices in the same order every time.
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.selectOption("#scenario-picker", "agentb-answers-aob-true");
    await page.check("#training-toggle");
    /** The right answer's place in each question of one take (read before answering it). */
    const places = async () => {
      await page.waitForFunction(() => document.body.dataset.step === "0");
      const out = [];
      for (let guard = 0; guard < 80; guard++) {
        const buttons = await page.$$("#training .choices button");
        if (buttons.length) {
          out.push(await page.$$eval("#training .choices button", (bs) => bs.findIndex((b) => b.dataset.correct === "true")));
          await page.click('#training .choices button[data-correct="true"]');
        } else if (await page.isDisabled("#btn-next")) break;
        else await page.click("#btn-next");
      }
      return out;
    };
    const takes = [await places()];
    for (let k = 0; k < 5; k++) {
      await page.click("#btn-restart");
      takes.push(await places());
    }
    assert.ok(takes[0].length >= 3, `questions asked (${takes[0].length})`);
    assert.ok(takes.every((t) => t.length === takes[0].length), "each take asks the same moments");
    const moved = takes[0].filter((_, i) => new Set(takes.map((t) => t[i])).size > 1).length;
    assert.ok(moved >= takes[0].length - 1, `over 6 takes the right answer moved in ${moved} of ${takes[0].length} questions: ${JSON.stringify(takes)}`);
    assert.notDeepEqual(takes[1], takes[0], "the first retake already differs");
    // Picking the scenario again starts from the first take's choices (a class on one screen sees the same quiz).
    await page.selectOption("#scenario-picker", "agentb-busy-aob-true");
    await page.selectOption("#scenario-picker", "agentb-answers-aob-true");
    assert.deepEqual(await places(), takes[0]);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
