// The trainer's second trial: the handout's simulated line describes the cell's moment,
// the free quiz's wrong choices are ones a cell could produce, the lesson's answer
// positions change from run to run and stay fair, and the ladder reads from the back of
// a room in presenter mode.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openPlayground, SCREENSHOTS } from "./harness.mjs";
import { ladderTexts } from "./ladder_texts.mjs";

/**
 * What the legs must be at each cell's moment, by row and column, as the vendor's
 * sentence says it (the simulated line must not describe the end of the run instead).
 */
const AT_MOMENT = {
  "webhook-executed": [/the initial call is connected: UserA and AgentA are bridged; AgentB is ringing/, /the initial call is disconnected: UserA is on the line, connected to nobody; AgentA is on the line, bridged with nobody; AgentB is ringing/],
  "agentb-answers": [/UserA and AgentB are bridged: the transfer/, /UserA and AgentB are bridged: the transfer/],
  "agentb-no-answer": [/the initial call is connected: UserA and AgentA are bridged; AgentB did not answer \(no-answer\)/, /the initial call is disconnected: UserA's call has ended; .*AgentB did not answer \(no-answer\)/],
  "refer-url-unreachable": [/the initial call is connected: UserA and AgentA are bridged/, /the initial call is disconnected: UserA's call has ended/],
  "refer-url-absent": [/the initial call is connected: UserA and AgentA are bridged; Twilio raises alert 13802/, /the initial call is connected: UserA and AgentA are bridged; Twilio raises alert 13802/],
};

test("handout: each cell's simulated line describes the moment the vendor's sentence is about, and the end is labelled as the end", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.waitForSelector("#handout .handout-cell", { state: "attached" });
    const cells = await page.$$eval("#handout .handout-table td", (tds) => tds.filter((td) => td.querySelector("q")).map((td) => ({
      row: td.closest("tr").querySelector("th").textContent, col: td.cellIndex, vendor: td.querySelector("q").textContent,
      sim: td.querySelector(".sim").textContent, end: td.querySelector(".sim-end")?.textContent ?? "",
    })));
    assert.equal(cells.length, 10);
    const rows = await page.evaluate(async () => (await import("/outcome_table.js")).ROWS.map((r) => ({ key: r.key, situation: r.situation, moment: r.moment })));
    for (const c of cells) {
      const row = rows.find((r) => r.situation === c.row);
      const want = AT_MOMENT[row.key][c.col - 1];
      console.log(`${row.key} ${c.col === 1 ? "true " : "false"} | vendor: ${c.vendor} | ${c.sim} | ${c.end}`);
      assert.ok(c.sim.startsWith(`Simulated, ${row.moment} (t = `), `${row.key}: the line names the cell's moment: ${c.sim}`);
      assert.match(c.sim, want, `${row.key} column ${c.col}: the simulated line describes the cell's moment`);
      assert.match(c.end, /^In the end: /, `${row.key}: the run's end is labelled as the end`);
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

const FINAL = ["completed", "busy", "no-answer", "failed", "canceled"];

/**
 * Why a wrong choice `text` (its leg labels replaced by `<role>`) could not be the next step
 * from `prev` (the legs shown while asking), or null when it could: a leg that has ended
 * does nothing more, a status only moves forward.
 */
function impossible(role, prev) {
  const was = (id) => prev.find((l) => l.id === id)?.status;
  let m;
  if ((m = /^<(\w+)> is ringing$/.exec(role))) return was(m[1]) && was(m[1]) !== "ringing" ? `${m[1]} was ${was(m[1])}` : null;
  if ((m = /^<(\w+)> (is answered|does not answer|is busy|fails|is canceled)/.exec(role))) return was(m[1]) && was(m[1]) !== "ringing" ? `${m[1]} was ${was(m[1])}` : null;
  if ((m = /^<(\w+)> is disconnected/.exec(role))) return FINAL.includes(was(m[1])) ? `${m[1]} had already ended` : null;
  if ((m = /^<(\w+)> is bridged with <(\w+)>$/.exec(role))) return FINAL.includes(was(m[1])) || FINAL.includes(was(m[2])) ? "a leg that has ended" : null;
  return null;
}

/** The kind of a quiz sentence (a status, a bridge, a cut-off, on hold), the ways a ringing leg ends unanswered as one. */
function kindOfText(text) {
  const kinds = [[/bridged/, "bridge"], [/disconnected from/, "cut"], [/on hold/, "hold"], [/is ringing/, "ringing"], [/in-progress/, "in-progress"], [/is disconnected$/, "completed"], [/does not answer|is busy|fails$|is canceled/, "unanswered"]];
  return (kinds.find(([re]) => re.test(text)) ?? [0, text])[1];
}

test("free quiz: every wrong choice is something a cell of the table does (or, where the table has too few, a catalogue scenario), and could happen next; two choices only where one leg is left (all catalogue scenarios, every step)", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const generated = await page.evaluate(async () => {
      const { simulate, scenarios } = await import("/pkg/index.js");
      const { question, answerPool, CAST } = await import("/training.js");
      // The page's pool (see app.js); a page without one offers every candidate.
      const { tableCells } = await import("/outcome_table.js");
      const catalogue = scenarios();
      const table = tableCells(catalogue).map((c) => simulate(c.entry.scenario).steps);
      const pool = answerPool ? answerPool(table) : null;
      const spare = answerPool(catalogue.map((c) => simulate(c.scenario).steps));
      const role = (text, legs) => [...legs].sort((a, b) => b.label.length - a.label.length).reduce((t, l) => t.replaceAll(l.label, `<${l.id}>`), text);
      // The table's real outcomes: every right answer its ten quizzes give.
      const real = new Set();
      for (const steps of table) for (let t = 1; t < steps.length; t++) { const q = question(steps, t); if (q) real.add(role(q.answer, steps[t].legs)); }
      // The catalogue's: where the table offers too few wrong choices, one of these fills up.
      const realAll = new Set();
      for (const c of catalogue) { const { steps } = simulate(c.scenario); for (let t = 1; t < steps.length; t++) { const q = question(steps, t); if (q) realAll.add(role(q.answer, steps[t].legs)); } }
      const out = [];
      for (const entry of catalogue) {
        const { steps } = simulate(entry.scenario);
        for (let t = 1; t < steps.length; t++) {
          const q = question(steps, t, pool, spare);
          if (!q) continue;
          // A wrong choice may name a usual party not yet on the lanes ("AgentB is ringing" before AgentB rings: newuser5 #1).
          const onLanes = steps[t].legs.length ? steps[t].legs : steps[t - 1].legs;
          const legs = [...onLanes, ...CAST.filter((c) => !onLanes.some((l) => l.id === c.id || l.label === c.label))];
          const fromTable = question(steps, t, pool)?.choices.length ?? 0; // the table's wrong choices alone
          out.push({ answer: q.answer, id: `${entry.id}@${t}`, prev: steps[t - 1].legs.map((l) => ({ id: l.id, status: l.status })), allEnd: steps[q.through ?? t].legs.every((l) => ["completed", "busy", "no-answer", "failed", "canceled"].includes(l.status)), n: q.choices.length, fromTable, at: q.choices.findIndex((c) => c.correct), shown: q.choices.map((c) => c.text).join("|"),
            wrong: q.choices.filter((c) => !c.correct && !/^Nothing changes/.test(c.text)).map((c) => ({ text: c.text, role: role(c.text, legs) })) });
        }
      }
      return { real: [...real], realAll: [...realAll], out, scenarios: catalogue.length };
    });
    const real = new Set(generated.real);
    const realAll = new Set(generated.realAll);
    const bad = [];
    const sizes = {};
    let wrong = 0;
    for (const q of generated.out) {
      sizes[q.n] = (sizes[q.n] ?? 0) + 1;
      for (const w of q.wrong) {
        wrong += 1;
        // The table had too few: the catalogue filled up; or the choice is of the right answer's
        // kind (newuser5 #1: "AgentB is busy" against "AgentC is busy"), drawn from the catalogue
        // when the table has none of that kind.
        const filled = q.n > q.fromTable || kindOfText(w.text) === kindOfText(q.answer);
        const why = [real.has(w.role) || (filled && realAll.has(w.role)) ? null : filled ? "no catalogue scenario does this" : "no cell of the table does this", impossible(w.role, q.prev)].filter(Boolean);
        if (why.length) bad.push(`${q.id}: "${w.text}" (${why.join("; ")})`);
      }
    }
    console.log(`free quiz over ${generated.scenarios} scenarios: ${generated.out.length} questions, ${wrong} wrong choices (besides "Nothing changes"), ${bad.length} impossible; choices per question ${JSON.stringify(sizes)}; the table's real outcomes: ${real.size}`);
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} impossible wrong choices`);
    assert.ok(generated.out.length >= 300, "many questions generated");
    assert.equal(sizes[1] ?? 0, 0, "no question with a single choice");
    const many = Object.entries(sizes).filter(([n]) => Number(n) >= 3).reduce((a, [, c]) => a + c, 0);
    assert.ok(many >= 0.8 * generated.out.length, `most questions keep three choices or more (${many} of ${generated.out.length})`);
    // Two choices only where they are the honest number: one leg is left up (the others have
    // ended), so it can end or nothing changes; with two legs up, a cut or a hang-up is possible,
    // unless every leg ends at that instant (referUrl unreachable, answerOnBridge false): then
    // all that could happen does, and the answer set leaves no fair wrong choice but "Nothing
    // changes" (tests/e2e/quiz_fair.test.mjs).
    const twoWithMore = generated.out.filter((q) => q.n === 2 && !q.allEnd && q.prev.filter((l) => !FINAL.includes(l.status)).length > 1).map((q) => q.id);
    assert.deepEqual(twoWithMore, [], "two choices while two legs or more are up");
    assert.ok(generated.out.some((q) => q.n > q.fromTable), "the catalogue fills up where the table has too few");
    // The right answer's position stays even over the catalogue's questions, for each number of
    // choices (each question counted once: scenarios that share their opening ask it word for word).
    const distinct = [...new Map(generated.out.map((q) => [q.shown, q])).values()];
    for (const n of Object.keys(sizes).map(Number)) {
      const counts = Array(n).fill(0);
      for (const q of distinct) if (q.n === n) counts[q.at] += 1;
      const chi = chiSquare(counts);
      console.log(`free quiz, ${n} choices, distinct questions: right answer at positions ${counts.join(" / ")}; chi-square ${chi.toFixed(2)} (p = 0.001 limit ${CHI2_999[n - 1]})`);
      assert.ok(chi < CHI2_999[n - 1], `${n} choices: positions ${counts.join("/")}`);
    }

    // The page's own quiz uses the same pool: click through two cells and check what it shows.
    for (const id of ["webhook-executed-aob-true", "agentb-no-answer-aob-false"]) {
      await page.selectOption("#scenario-picker", id);
      await page.waitForFunction(() => document.body.dataset.step === "0");
      if (!(await page.isChecked("#training-toggle"))) await page.check("#training-toggle");
      const last = await page.evaluate(() => window.__playground.state.steps.length - 1);
      for (let guard = 0; guard < 100 && Number(await page.evaluate(() => document.body.dataset.step)) < last; guard++) {
        await page.click("#btn-next");
        if (!(await page.$("#training .choices"))) continue;
        const shown = await page.evaluate(() => {
          const { state } = window.__playground;
          const target = Number(document.getElementById("training-q").dataset.step);
          const onLanes = state.steps[target].legs;
          const cast = [{ id: "caller", label: "UserA" }, { id: "transferor", label: "AgentA" }, { id: "target", label: "AgentB" }]; // training.js CAST
          const legs = [...onLanes, ...cast.filter((c) => !onLanes.some((l) => l.id === c.id || l.label === c.label))];
          const role = (text) => [...legs].sort((a, b) => b.label.length - a.label.length).reduce((t, l) => t.replaceAll(l.label, `<${l.id}>`), text);
          return { prev: state.steps[target - 1].legs.map((l) => ({ id: l.id, status: l.status })),
            wrong: [...document.querySelectorAll("#training .choices button[data-correct=false]")].map((b) => b.textContent.replace(/^\d+\. /, "")).filter((t) => !/^Nothing changes/.test(t)).map((t) => ({ text: t, role: role(t) })) };
        });
        for (const w of shown.wrong) {
          assert.ok(real.has(w.role) || realAll.has(w.role), `${id}: the page offers "${w.text}", which no cell or catalogue scenario does`); // the catalogue fills where the fair choices of the table run short (the first part checks when)
          assert.equal(impossible(w.role, shown.prev), null, `${id}: the page offers "${w.text}"`);
        }
        await page.click("#training .choices button[data-correct=true]");
      }
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

/** Pearson's chi-square statistic of `counts` against an even spread. */
function chiSquare(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  const e = total / counts.length;
  return counts.reduce((a, c) => a + ((c - e) ** 2) / e, 0);
}
/** The chi-square value a fair spread exceeds with probability 0.001, by degrees of freedom. */
const CHI2_999 = { 1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47, 5: 20.52 };

test("guided lesson: the right answer's position changes from run to run, uniformly over 2,000 seeded runs, evenly within a run, the same for the same seed", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const RUNS = 2000;
    const result = await page.evaluate(async (RUNS) => {
      const { simulate, scenarios } = await import("/pkg/index.js");
      const { cellQuestions, balancePositions, LESSON_ORDER } = await import("/lesson.js");
      const { tableCells } = await import("/outcome_table.js");
      const cells = tableCells(scenarios());
      const built = LESSON_ORDER.map((id) => cells.find((c) => c.id === id)).flatMap((cell) => cellQuestions(cell, simulate(cell.entry.scenario)));
      const runs = [];
      for (let seed = 1; seed <= RUNS; seed++) runs.push(balancePositions(built, seed).map((q) => q.choices.findIndex((c) => c.correct)));
      const again = balancePositions(built, 1234).map((q) => q.choices.map((c) => c.text).join("|"));
      const first = balancePositions(built, 1234).map((q) => q.choices.map((c) => c.text).join("|"));
      return { ids: built.map((q) => q.id), sizes: built.map((q) => q.choices.length), runs, same: JSON.stringify(again) === JSON.stringify(first),
        texts: built.map((q) => q.choices.map((c) => c.text).sort().join("|")), kept: balancePositions(built, 99).map((q) => q.choices.map((c) => c.text).sort().join("|")) };
    }, RUNS);
    assert.ok(result.same, "the same seed, the same lesson");
    assert.deepEqual(result.kept, result.texts, "the same choices, only their order changes");
    let worst = 0;
    for (const [k, id] of result.ids.entries()) {
      const n = result.sizes[k];
      const counts = Array.from({ length: n }, () => 0);
      for (const run of result.runs) counts[run[k]] += 1;
      const chi = chiSquare(counts);
      const dev = Math.max(...counts.map((c) => Math.abs(c / RUNS - 1 / n)));
      worst = Math.max(worst, dev);
      console.log(`${id}: right answer at positions ${counts.join(" / ")} over ${RUNS} runs; chi-square ${chi.toFixed(2)} (df ${n - 1}, p = 0.001 limit ${CHI2_999[n - 1]}); max deviation ${(100 * dev).toFixed(1)} points`);
      assert.ok(chi < CHI2_999[n - 1], `${id}: positions ${counts.join("/")} are not uniform (chi-square ${chi.toFixed(2)})`);
      assert.ok(dev < 0.04, `${id}: a position ${(100 * dev).toFixed(1)} points away from 1/${n}`);
    }
    // Within each run, the questions with the same number of choices use every position evenly.
    for (const [r, run] of result.runs.entries()) {
      for (const n of new Set(result.sizes)) {
        const at = run.filter((_, k) => result.sizes[k] === n);
        for (let p = 0; p < n; p++) {
          const c = at.filter((x) => x === p).length;
          assert.ok(Math.abs(c - at.length / n) <= 1, `run ${r + 1}: ${c} of ${at.length} ${n}-choice questions at position ${p + 1}`);
        }
      }
    }
    const distinct = new Set(result.runs.map((r) => r.join(""))).size;
    console.log(`lesson: ${distinct} different position sequences in ${RUNS} runs; worst deviation from uniform ${(100 * worst).toFixed(1)} points`);
    assert.ok(distinct >= 0.9 * RUNS, `runs differ (${distinct} distinct of ${RUNS})`);

    // In the page: Restart deals a new lesson; a reload resumes the same one; ?lessonSeed= replays one.
    const positions = () => page.evaluate(async () => {
      const { questions } = window.__playground.lesson;
      return questions.map((q) => q.choices.findIndex((c) => c.correct)).join("");
    });
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    await page.check("#lesson-toggle");
    await page.waitForSelector("#lesson .choices button");
    const runA = await positions();
    const shownA = await page.$$eval("#lesson .choices button", (bs) => bs.map((b) => b.dataset.correct).join(""));
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    assert.equal(await positions(), runA, "a reload resumes the same lesson");
    await page.check("#lesson-toggle");
    await page.waitForSelector("#lesson .choices button");
    const seen = new Set([runA]);
    for (let i = 0; i < 5; i++) {
      await page.click("#lesson-restart");
      seen.add(await positions());
    }
    console.log(`lesson in the page: ${seen.size} different position sequences over 6 runs (first question: ${shownA})`);
    assert.ok(seen.size >= 5, `Restart deals new positions (${seen.size} distinct over 6 runs)`);
    const url = new URL(page.url());
    url.search = "?lessonSeed=4242";
    url.hash = "";
    const replay = [];
    for (let i = 0; i < 2; i++) {
      await page.goto(url.href);
      await page.waitForSelector("body[data-ready=true]");
      replay.push(await positions());
    }
    assert.equal(replay[0], replay[1], "?lessonSeed= replays the same lesson");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("presenter mode: the ladder's text is 12 px or more on screen beside the lesson and the quiz, at 1280x720 and 1920x1080, with no text over another", async () => {
  for (const [width, height] of [[1280, 720], [1920, 1080]]) {
    const pg = await openPlayground({ viewport: { width, height } });
    try {
      const { page } = pg;
      await page.evaluate(() => localStorage.clear());
      for (const mode of ["lesson", "quiz"]) {
        if (mode === "lesson") {
          await page.check("#lesson-toggle");
          await page.waitForSelector("#lesson .choices button");
        } else {
          await page.check("#training-toggle");
          await page.selectOption("#scenario-picker", "agentb-no-answer-aob-true");
          for (let i = 0; i < 30 && !(await page.$("#training .choices")); i++) await page.click("#btn-next");
        }
        if (!(await page.evaluate(() => document.body.classList.contains("presenter")))) await page.click("#presenter-toggle");
        // The drawing settles after a layout and a frame.
        await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
        await page.waitForTimeout(100);
        const { texts, overlaps } = await ladderTexts(page);
        const smallest = {};
        for (const t of texts) smallest[t.cls] = Math.min(smallest[t.cls] ?? Infinity, t.px);
        console.log(`presenter + ${mode} at ${width}x${height}: smallest ladder text by kind ${JSON.stringify(Object.fromEntries(Object.entries(smallest).map(([c, v]) => [c, Number(v.toFixed(1))])))}; ${texts.length} texts, ${overlaps.length} overlaps`);
        for (const [cls, px] of Object.entries(smallest)) assert.ok(px >= 12, `presenter + ${mode} at ${width}x${height}: ladder ${cls} text at ${px.toFixed(1)} px`);
        assert.deepEqual(overlaps, [], `presenter + ${mode} at ${width}x${height}: no text over another`);
        assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no horizontal scrolling");
        await page.screenshot({ path: new URL(`presenter-${mode}-${width}x${height}.png`, SCREENSHOTS).pathname });
        if (mode === "quiz" && width === 1280) {
          // Every catalogue scenario's ladder at that size: the longest labels and the <Refer> verb's arrows too.
          const ids = await page.$$eval("#scenario-picker option[value]:not([value=''])", (o) => o.map((x) => x.value));
          const all = [];
          let least = Infinity;
          for (const id of ids) {
            await page.selectOption("#scenario-picker", id);
            await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
            const drawn = await ladderTexts(page);
            all.push(...drawn.overlaps.map((o) => `${id}: ${o}`));
            least = Math.min(least, ...drawn.texts.map((t) => t.px));
          }
          console.log(`presenter + quiz at 1280x720, all ${ids.length} scenarios: smallest text ${least.toFixed(1)} px, ${all.length} overlaps`);
          assert.deepEqual(all, []);
          assert.ok(least >= 12, `smallest text over the catalogue: ${least.toFixed(1)} px`);
        }
        await page.click("#presenter-toggle");
        if (mode === "lesson") await page.uncheck("#lesson-toggle");
        else await page.uncheck("#training-toggle");
      }
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  }
});

test("free quiz: no question is asked while a step of its own instant that announces it is on screen (it is asked before the instant's first step)", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const ids = await page.$$eval('#scenario-picker optgroup[label="The outcome table"] option', (os) => os.map((o) => o.value));
    const spoilers = [];
    let asked = 0;
    for (const id of ids) {
      await page.selectOption("#scenario-picker", id);
      await page.waitForFunction(() => document.body.dataset.step === "0");
      if (!(await page.isChecked("#training-toggle"))) await page.check("#training-toggle");
      const steps = await page.evaluate(() => window.__playground.state.steps.map((s) => ({ atMs: s.atMs, kind: s.kind })));
      const targets = new Set();
      for (let guard = 0; guard < 200 && Number(await page.evaluate(() => document.body.dataset.step)) < steps.length - 1; guard++) {
        await page.click("#btn-next");
        if (!(await page.$("#training .choices"))) continue;
        const shown = Number(await page.evaluate(() => document.body.dataset.step));
        const target = Number(await page.getAttribute("#training-q", "data-step"));
        asked += 1;
        // What is on screen is at an earlier instant, or was itself revealed by an answer, or is the call's first step.
        if (!(steps[shown].atMs < steps[target].atMs || targets.has(shown) || shown === 0)) spoilers.push(`${id}: step ${shown + 1} (${steps[shown].kind}) is on screen while asking about step ${target + 1} (${steps[target].kind}), both at ${steps[target].atMs} ms`);
        targets.add(target);
        await page.click("#training .choices button[data-correct=true]");
      }
    }
    console.log(`free quiz over the ten cells: ${asked} questions, ${spoilers.length} asked with a step of their own instant on screen`);
    assert.deepEqual(spoilers, []);
    assert.ok(asked >= 40); // one question per instant (its changes are one answer set: quiz_fair.test.mjs), 49 in the ten cells
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the trainer's walk-through: presenter first then the lesson keeps the past in view; the quiz's choices all on screen when presenting at 1280x720; the lesson's ladder never below its drawn size; the handout keeps whose call ends", async () => {
  for (const [width, height] of [[1920, 1080], [1280, 720]]) {
    const pg = await openPlayground({ viewport: { width, height } });
    try {
      const { page } = pg;
      await page.evaluate(() => localStorage.clear());
      const frames = () => page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
      await page.click("#presenter-toggle");
      await page.check("#lesson-toggle");
      await page.waitForSelector("#lesson .choices button");
      await frames();
      await page.waitForTimeout(150);
      const place = await page.evaluate(() => {
        const box = document.querySelector("#ladder").getBoundingClientRect();
        const row = document.querySelector("#ladder g.row.current").getBoundingClientRect();
        return { at: (row.top - box.top) / box.height, rowsAbove: [...document.querySelectorAll("#ladder g.row:not(.hidden)")].filter((g) => { const r = g.getBoundingClientRect(); return r.bottom <= row.top + 1 && r.top >= box.top; }).length };
      });
      console.log(`${width}x${height}, presenter then lesson: the current row at ${(100 * place.at).toFixed(0)} % of the ladder box, ${place.rowsAbove} past rows in view above it`);
      assert.ok(place.at >= 0.4 && place.rowsAbove >= 3, `the past stays in view above the current row (${JSON.stringify(place)})`);
      await page.uncheck("#lesson-toggle");

      await page.selectOption("#scenario-picker", "agentb-no-answer-aob-false");
      await page.check("#training-toggle");
      let checked = 0;
      for (let i = 0; i < 40 && checked < 4; i++) {
        await page.click("#btn-next");
        if (!(await page.$("#training .choices"))) continue;
        await frames();
        const boxes = await page.$$eval("#training .choices button", (bs) => bs.map((b) => { const r = b.getBoundingClientRect(); return [r.top, r.bottom]; }));
        for (const [top, bottom] of boxes) assert.ok(top >= 0 && bottom <= height, `presenting at ${width}x${height}: a quiz choice at ${top.toFixed(0)}..${bottom.toFixed(0)} px is off screen`);
        checked += 1;
        await page.click("#training .choices button[data-correct=true]");
      }
      assert.equal(checked, 4);
      await page.uncheck("#training-toggle");
      await page.click("#presenter-toggle");

      if (width === 1280) {
        await page.check("#lesson-toggle");
        await page.waitForSelector("#lesson .choices button");
        await frames();
        await page.waitForTimeout(150);
        const { texts } = await ladderTexts(page);
        const least = Math.min(...texts.map((t) => t.px));
        console.log(`lesson at 1280x720 (not presenting): smallest ladder text ${least.toFixed(1)} px`);
        assert.ok(least >= 10.4, `the lesson's ladder text at ${least.toFixed(1)} px`);
        await page.uncheck("#lesson-toggle");
      }
      const notes = await page.$eval('#handout .handout-cell[data-cell="agentb-no-answer-aob-false"]', (c) => [...c.querySelectorAll(".note-text")].map((t) => t.textContent));
      assert.ok(notes.some((n) => n.includes("UserA's call ends (completed)")), `the handout shows UserA's call ending: ${notes.join(" | ")}`);
      assert.ok(notes.some((n) => n.replace(/^\(assumed\) /, "").startsWith("unbridged UserA ⇹ AgentA")), `the handout says who was let go from whom: ${notes.join(" | ")}`);
      assert.deepEqual(pg.problems, []);
    } finally {
      await pg.close();
    }
  }
});

test("presenter mode at 1280x720: the ladder and its current row end inside the screen at every step", async () => {
  const pg = await openPlayground({ viewport: { width: 1280, height: 720 } });
  try {
    const { page } = pg;
    let worst = 0;
    for (const id of ["agentb-answers-aob-false", "agentb-no-answer-aob-false", "refer-url-unreachable-aob-true"]) {
      await page.selectOption("#scenario-picker", id);
      await page.waitForFunction(() => document.body.dataset.step === "0");
      if (!(await page.evaluate(() => document.body.classList.contains("presenter")))) {
        await page.focus("#stepper");
        await page.keyboard.press("p");
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      const last = await page.evaluate(() => window.__playground.state.steps.length - 1);
      for (let i = 0; i <= last; i++) {
        await page.waitForFunction(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))));
        const { box, row } = await page.evaluate(() => ({
          box: document.querySelector("#ladder").getBoundingClientRect().bottom,
          row: document.querySelector("#ladder g.row.current")?.getBoundingClientRect().bottom ?? 0,
        }));
        worst = Math.max(worst, box, row);
        assert.ok(box <= 720 && row <= 720, `${id} step ${i + 1}: the ladder ends at ${box.toFixed(0)} px, its current row at ${row.toFixed(0)} px, of 720`);
        await page.keyboard.press("ArrowRight");
      }
    }
    console.log(`presenter mode at 1280x720: the ladder's lowest edge over three cells, every step: ${worst.toFixed(0)} px of 720`);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the handout can be found: a 'Print the handout' button under the outcome table prints the page, whose print stylesheet shows only the handout", async () => {
  // A new user preparing a class found nothing on the page or in the README that says "print
  // this page" gives the handout.
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const button = page.getByRole("button", { name: "Print the handout" });
    assert.ok(await button.isVisible(), "the button is on the page");
    assert.match(await page.textContent(".handout-hint"), /two cells an A4 page/);
    await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; });
    await button.click();
    assert.equal(await page.evaluate(() => window.__printed), 1, "it prints");
    await page.emulateMedia({ media: "print" });
    assert.ok(await page.isVisible("#handout"), "printing shows the handout");
    assert.ok(!(await page.isVisible("#print-handout")), "and not the page around it");
    await page.waitForFunction(() => document.querySelectorAll("#handout svg").length >= 10);
    assert.match(await page.textContent("#handout"), /one row of the table a page/, "with its table and one ladder a cell");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
