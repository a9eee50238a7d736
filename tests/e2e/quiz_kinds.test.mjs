// The free quiz does not give its answers away by the kind of fact (newuser5 #1), and a round
// asks the call set-up once and no question twice (newuser5 #6). Statistical: 60 random rounds
// (seeds drawn by a fixed generator) played through the page with clicks, about a thousand
// questions. Before the fix: "X is ringing" right 1,868 of 1,868 times offered, "on hold" 48 of
// 48, the kind-ranking rule below 74 % against 28 % guessing, the set-up a third of the questions
// and half of them a repeat. The bounds are ones a fair quiz meets with overwhelming probability
// at this sample size (a kind right in at most 60 % of its offers; a rule within 10 and 20 points
// of guessing), and each was missed by a wide margin before.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { openPlayground } from "./harness.mjs";

const ROUNDS = 60;
let pg;
let data;

before(async () => {
  pg = await openPlayground();
  await pg.page.check("#training-toggle");
  data = await pg.page.evaluate(async (N) => {
    const $ = (s) => document.querySelector(s);
    const rounds = [];
    let rng = 12345;
    const rand = () => ((rng = (Math.imul(rng, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let r = 0; r < N; r++) {
      $("#round-seed").value = String(1 + Math.floor(rand() * 99999));
      $("#round-start").click();
      const qs = [];
      let at = 0;
      for (let guard = 0; guard < 2000; guard++) {
        const pgState = window.__playground.state;
        const btns = [...document.querySelectorAll("#training .choices button")];
        if (btns.length) {
          const steps = pgState.steps;
          const step = Number($("#training-q").dataset.step);
          const refer = steps.findIndex((s) => s.kind === "refer-received");
          qs.push({ at, setup: refer < 0 || step < refer, texts: btns.map((b) => b.textContent.replace(/^\d+\. /, "")), right: btns.findIndex((b) => b.dataset.correct === "true") });
          btns[rand() < 0.5 ? btns.findIndex((b) => b.dataset.correct === "true") : Math.floor(rand() * btns.length)].click();
          continue;
        }
        const next = $("#round-next");
        if (next && !next.hidden) { at++; next.click(); continue; }
        if (pgState.index >= pgState.steps.length - 1) break;
        $("#btn-next").click();
      }
      rounds.push(qs);
    }
    return rounds;
  }, ROUNDS);
});
after(() => pg?.close());

/** The kind of a choice, read from its words. */
const KINDS = [[/answers \(in-progress\)/, "answers"], [/is ringing/, "ringing"], [/bridged again/, "again"], [/is bridged with/, "bridged"], [/disconnected from/, "cut"], [/is disconnected$/, "disconnected"], [/^Nothing/, "nothing"], [/does not answer/, "no-answer"], [/busy/, "busy"], [/on hold/, "hold"], [/^Twilio answers/, "twilio-answers"], [/fails/, "fails"], [/canceled/, "canceled"]];
const kind = (t) => (KINDS.find(([re]) => re.test(t)) ?? [0, "other"])[1];

test("free quiz: no kind of fact is right in more than 60 % of the times it is offered (60 rounds)", () => {
  const qs = data.flat();
  assert.ok(qs.length > 500, `${qs.length} questions`);
  const st = {};
  for (const q of qs) q.texts.forEach((t, i) => { st[kind(t)] ??= [0, 0]; st[kind(t)][i === q.right ? 0 : 1]++; });
  const tells = Object.entries(st).filter(([, [r, w]]) => r + w >= 30 && r / (r + w) > 0.6).map(([k, [r, w]]) => `${k}: right ${r} of ${r + w}`);
  assert.deepEqual(tells, [], JSON.stringify(st));
});

test("free quiz: a rule that ranks choices by their kind alone does not beat guessing by much (60 rounds)", () => {
  const qs = data.flat();
  const chance = qs.reduce((s, q) => s + 1 / q.texts.length, 0) / qs.length;
  // newuser5's test-wise rule: ringing > on hold > busy > Twilio answers > bridged > ... > "is disconnected".
  const order = ["ringing", "hold", "busy", "twilio-answers", "again", "bridged", "fails", "nothing", "cut", "no-answer", "disconnected"];
  const rank = (t) => { const i = order.indexOf(kind(t)); return i < 0 ? 6 : i; };
  const pick = (q, score) => q.texts.map((t, i) => [score(t), i]).sort((a, b) => a[0] - b[0])[0][1];
  const fixed = qs.filter((q) => pick(q, rank) === q.right).length / qs.length;
  assert.ok(fixed < chance + 0.1, `test-wise rule ${(100 * fixed).toFixed(1)} % against guessing ${(100 * chance).toFixed(1)} %`);
  // The best such rule for these very rounds: kinds ranked by how often each is right when offered.
  const st = {};
  for (const q of qs) q.texts.forEach((t, i) => { st[kind(t)] ??= [0, 0]; st[kind(t)][i === q.right ? 0 : 1]++; });
  const share = (t) => { const [r, w] = st[kind(t)]; return -r / (r + w); };
  const fitted = qs.filter((q) => pick(q, share) === q.right).length / qs.length;
  assert.ok(fitted < chance + 0.2, `fitted kind rule ${(100 * fitted).toFixed(1)} % against guessing ${(100 * chance).toFixed(1)} %`);
});

test("random round: the call set-up is asked in the first scenario only, and no question twice (60 rounds)", () => {
  const late = data.flat().filter((q) => q.setup && q.at > 0).length;
  assert.equal(late, 0, "set-up questions after the round's first scenario");
  let repeats = 0;
  for (const qs of data) {
    const seen = new Set();
    for (const q of qs) {
      const sig = `${q.texts[q.right]}#${[...q.texts].sort().join("|")}`;
      if (seen.has(sig)) repeats++;
      seen.add(sig);
    }
  }
  assert.equal(repeats, 0, "questions asked twice in a round (same answer among the same choices)");
});
