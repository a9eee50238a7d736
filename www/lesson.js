// The guided lesson: the outcome table's ten cells in a teaching order, one or two
// questions each about what matters in that cell (who is connected at its moment, when
// AgentA is let go, how the call ends). Every right answer is read from the module's
// timeline of that cell, never written here; the right answers' positions are drawn
// per run, fair over runs and even within one (`balancePositions`); the
// feedback explains why with the module's narration and the vendor's sentence; one
// running score across the lesson is kept in localStorage until Restart.
import { simulate } from "/pkg/index.js";
import { el, clear, badge, formatMs } from "./dom.js";
import { shuffle, seedOf } from "./training.js";
import { cellMoment, columnWords, sourceLine } from "./outcome_table.js";
import { settle } from "./compare.js";

/** The teaching order: the default (answerOnBridge absent) first, then what `true` changes, row by row. */
export const LESSON_ORDER = [
  "webhook-executed-aob-false", "webhook-executed-aob-true",
  "agentb-answers-aob-false", "agentb-answers-aob-true",
  "agentb-no-answer-aob-false", "agentb-no-answer-aob-true",
  "refer-url-unreachable-aob-false", "refer-url-unreachable-aob-true",
  "refer-url-absent-aob-true", "refer-url-absent-aob-false",
];

/** Which questions each row asks (see `QUESTIONS`). */
// Each choice of each kind is right in some question (newuser5 #5: over 2,000 seeds "the transfer
// went through" was never right in the 6 "end" questions, "Nobody" never in the 5 "who", "Never"
// never in the 2 "release"): "end" after AgentB answers, "who" when AgentB does not answer, and
// "release" when the referUrl is unreachable ask them where they are the answer.
const ROW_QUESTIONS = {
  "webhook-executed": ["who"],
  "agentb-answers": ["release", "who", "end"],
  "agentb-no-answer": ["who-after-webhook", "who", "end"],
  "refer-url-unreachable": ["release", "end"],
  "refer-url-absent": ["end"],
};

const STORE_KEY = "refer-sim.lesson";

/** Who UserA is connected to in a snapshot: "transferor", "target", "alone" or "nobody". */
function connection(legs) {
  const caller = legs.find((l) => l.id === "caller");
  if (!caller || caller.status !== "in-progress") return "nobody";
  return caller.bridgedWith === "transferor" || caller.bridgedWith === "target" ? caller.bridgedWith : "alone";
}

/** The index of the last step strictly before step `i`'s instant (what is on screen while asking). */
function before(steps, i) {
  let j = i;
  while (j > 0 && steps[j - 1].atMs === steps[i].atMs) j--;
  return Math.max(0, j - 1);
}

/**
 * The "why" of an answer: doc-tagged narrations from the first step of step
 * `from`'s instant to step `to`, the vendor's REFER page first (its outcome-table cell or its
 * answerOnBridge sentence, sources `refer.table.*` then `refer.aob-*`: the steps that
 * state the answer, "AgentB answered: ... Twilio now sends NOTIFY 200 OK ... then disconnects
 * AgentA"), alone; else at most two steps that change who hears whom; the webhook's own step
 * only when nothing else is there; when none of those is documented, the same steps under their
 * own badge. The instant's start matters: the step that states why UserA leaves AgentA
 * comes before the step that unbridges them, at the same time.
 */
function reasons(steps, from, to) {
  let start = from;
  while (start > 0 && steps[start - 1].atMs === steps[from].atMs) start--;
  const range = steps.slice(start, to + 1).filter((s) => s.tag === "doc");
  const kinds = new Set(["webhook-failed", "notify-sent", "refer-outcome", "unbridged", "bridged", "alert", "leg-ended"]);
  const cell = (s) => /^refer\.table\./.test(s.source ?? "");
  const rule = (s) => /^refer\.aob-/.test(s.source ?? "");
  const stating = [...range.filter(cell), ...range.filter(rule)];
  // The vendor's own statement alone when there is one (a second line made the panel taller than a 1280x720 screen).
  let out = stating.length ? stating.slice(0, 1) : range.filter((s) => kinds.has(s.kind));
  if (!out.length) out = steps.slice(start, to + 1).filter((s) => kinds.has(s.kind));
  if (!out.length) out = range.filter((s) => s.kind === "webhook-fetched");
  return (out.length ? out : [steps[to]]).slice(0, 2).map((s) => ({ text: s.narration, tag: s.tag, source: s.source ?? null }));
}

/**
 * The questions of one cell, built from its timeline: each is { id, cellId, prompt,
 * choices: [{ text, correct }], ask, reveal, why, vendor } where `ask` is the step shown
 * while asking (nothing after it is visible) and `reveal` the step shown after answering.
 */
export function cellQuestions(cell, run) {
  const { steps, outcome } = run;
  const names = Object.fromEntries((steps.at(-1)?.legs ?? []).map((l) => [l.id, l.label]));
  const A = names.transferor ?? "AgentA";
  const B = names.target ?? "AgentB";
  const U = names.caller ?? "UserA";
  const whoChoices = {
    transferor: `${U} and ${A}: the initial call`,
    target: `${U} and ${B}: the transfer`,
    alone: `${U} alone: no ${A}, no ${B}`,
    nobody: `Nobody: ${U}'s call has ended`,
  };
  const webhook = steps.findIndex((s) => s.kind === "webhook-fetched" || s.kind === "webhook-failed");
  const moment = cellMoment(cell, steps);
  const anchor = cell.row.anchor(steps);
  const out = [];
  const add = (kind, prompt, options, right, ask, reveal, from) => {
    const id = `${cell.id}:${kind}`;
    const choices = shuffle(Object.entries(options).map(([k, text]) => ({ text, correct: k === right })), seedOf(id));
    out.push({ id, cellId: cell.id, prompt, choices, ask, reveal, why: reasons(steps, from, reveal), vendor: cell.vendor, answer: options[right] });
  };
  for (const kind of ROW_QUESTIONS[cell.row.key] ?? []) {
    if (kind === "who" || kind === "who-after-webhook") {
      const at = kind === "who" ? moment : settle(steps, webhook);
      const from = kind === "who" ? anchor : webhook;
      if (at < 0 || from < 0) continue;
      const words = kind === "who" ? cell.row.moment : "right after the referUrl webhook";
      add(kind, `${words[0].toUpperCase()}${words.slice(1)} (t = ${formatMs(steps[at].atMs)}), who is connected?`, whoChoices, connection(steps[at].legs), before(steps, from), at, from);
    } else if (kind === "release") {
      // The first step where UserA is no longer bridged with AgentA.
      const r = steps.findIndex((s, i) => i > 0 && connection(steps[i - 1].legs) === "transferor" && connection(s.legs) !== "transferor");
      const answered = steps.findIndex((s, i) => i > 0 && s.legs.find((l) => l.id === "target")?.status === "in-progress" && steps[i - 1].legs.find((l) => l.id === "target")?.status !== "in-progress");
      const right = r < 0 ? "never" : webhook >= 0 && steps[r].atMs === steps[webhook].atMs ? "webhook" : answered >= 0 && steps[r].atMs === steps[answered].atMs ? "answer" : null;
      if (!right || webhook < 0) continue;
      add(kind, `When does Twilio take ${U} away from ${A}?`, {
        webhook: steps[webhook].kind === "webhook-failed" ? "Right after the referUrl request fails" : "Right after the referUrl webhook is answered",
        answer: `Only when ${B} answers Twilio's new call`,
        never: `Never: ${U} and ${A} stay connected`,
      }, right, before(steps, webhook), r < 0 ? steps.length - 1 : settle(steps, r), r < 0 ? webhook : r);
    } else if (kind === "end") {
      const pair = outcome.connected.find((p) => p.includes("caller"));
      const right = !pair ? "gone" : pair.includes("target") ? "transferred" : "back";
      const from = anchor >= 0 ? anchor : webhook;
      if (from < 0) continue;
      add(kind, `${cell.row.situation}. How does the call end: can it come back?`, {
        transferred: `${U} is with ${B}: the transfer went through`,
        back: `${U} is with ${A}: the call is re-established`,
        gone: `${U} is disconnected: the call cannot come back`,
      }, right, before(steps, from), steps.length - 1, from);
    }
  }
  return out;
}

/**
 * The lesson's questions with each right answer moved to a position drawn for this run
 * (`seed`): over many runs every question's right answer is at each of its positions equally
 * often, and within a run the questions with the same number of choices use each position
 * evenly (within one). For each number of choices n, the m questions that have n choices
 * share a deck of positions (each position ⌊m/n⌋ times, the m mod n left over drawn without
 * repetition), dealt in a shuffled order: no position is favoured, and a learner who
 * always picks "the fourth" scores what chance gives. (Balancing all questions together
 * would send the four-choice questions fourth more often than a quarter of the time: only
 * they have a fourth place.) The wrong choices are shuffled per run too. The same seed
 * gives the same lesson.
 */
export function balancePositions(questions, seed = 0x1e55) {
  // Each shuffle gets its own well-mixed seed (murmur3's finaliser of the run's seed and a salt),
  // so runs with neighbouring seeds (1, 2, 3...) deal unrelated lessons.
  const mix = (salt) => {
    let h = (seed ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  const out = [...questions];
  const sizes = [...new Set(questions.map((q) => q.choices.length))];
  for (const n of sizes) {
    const group = questions.map((q, i) => i).filter((i) => questions[i].choices.length === n);
    const spare = shuffle([...Array(n).keys()], mix(2 * n)).slice(0, group.length % n);
    const deck = [...Array(Math.floor(group.length / n) * n).keys()].map((k) => k % n).concat(spare);
    const dealt = shuffle(deck, mix(2 * n + 1));
    group.forEach((i, k) => {
      const q = questions[i];
      const at = dealt[k];
      const wrong = shuffle(q.choices.filter((c) => !c.correct), mix(seedOf(q.id)));
      out[i] = { ...q, choices: [...wrong.slice(0, at), q.choices.find((c) => c.correct), ...wrong.slice(at)] };
    });
  }
  return out;
}

/** A new lesson seed: a random 32-bit integer (the run's positions), or `?lessonSeed=N` from the address to replay one. */
export function lessonSeed(search = globalThis.location?.search ?? "") {
  const given = new URLSearchParams(search).get("lessonSeed");
  if (given !== null && /^\d{1,10}$/.test(given)) return Number(given) >>> 0;
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}

/** The saved run ({ answers: { questionId: true | false }, seed }) from localStorage; seed null when none was saved. */
function loadSaved() {
  try {
    const v = JSON.parse(localStorage.getItem(STORE_KEY) ?? "{}");
    return {
      answers: v && typeof v.answers === "object" && v.answers ? v.answers : {},
      seed: Number.isInteger(v?.seed) && v.seed >= 0 && v.seed <= 0xffffffff ? v.seed : null,
    };
  } catch {
    return { answers: {}, seed: null };
  }
}

/**
 * Mount the lesson in `root`. hooks = { show(cell, askIndex), reveal(index), done(cellId) }.
 * Returns { start(), stop(), restart(), questions }.
 */
export function mountLesson(root, cells, hooks) {
  const byId = new Map(cells.map((c) => [c.id, c]));
  const order = LESSON_ORDER.map((id) => byId.get(id)).filter(Boolean);
  const built = order.flatMap((cell) => cellQuestions(cell, simulate(cell.entry.scenario)));
  // A lesson under way keeps its seed (a reload shows the same choices in the same places);
  // a new one, or a Restart, draws another.
  const saved = loadSaved();
  let answers = saved.answers;
  const replay = new URLSearchParams(globalThis.location?.search ?? "").has("lessonSeed");
  let seed = replay || saved.seed === null ? lessonSeed() : saved.seed;
  let questions = balancePositions(built, seed);
  if (seed !== saved.seed) save();
  let current = -1; // index into questions
  let feedback = null; // { ok, q } after an answer

  const title = el("h3", { attrs: { id: "lesson-title" } });
  const body = el("div", { cls: "lesson-body" });
  const score = el("p", { cls: "score", attrs: { id: "lesson-score", "aria-live": "polite" } });
  const restartBtn = el("button", { text: "Restart the lesson", attrs: { type: "button", id: "lesson-restart" } });
  restartBtn.addEventListener("click", () => restart());
  root.append(title, body, el("div", { cls: "lesson-foot" }, score, restartBtn));

  function save() {
    try { localStorage.setItem(STORE_KEY, JSON.stringify({ answers, seed })); } catch { /* storage off: the score lasts this visit */ }
  }

  function renderScore() {
    const asked = questions.filter((q) => q.id in answers).length;
    const right = questions.filter((q) => answers[q.id] === true).length;
    // The count of questions is an aside, left out when presenting (style.css): at the type floor
    // it pushed "Restart the lesson" to a line of its own.
    score.replaceChildren(`Score: ${right} / ${asked}`, el("span", { cls: "aside", text: ` (${questions.length} questions in the lesson)` }));
  }

  function cellOfQuestion(q) {
    return byId.get(q.cellId);
  }

  function render() {
    clear(body);
    renderScore();
    if (current >= questions.length) {
      const right = questions.filter((q) => answers[q.id] === true).length;
      title.textContent = "Guided lesson: complete";
      body.append(el("p", { cls: "question", attrs: { id: "lesson-final" }, text: `Lesson complete: ${right} of ${questions.length} right. Restart the lesson to try again, or pick any cell of the table.` }));
      return;
    }
    const q = questions[current];
    const cell = cellOfQuestion(q);
    const n = order.indexOf(cell) + 1;
    title.textContent = `Guided lesson · cell ${n} of ${order.length}`;
    body.append(el("p", { cls: "lesson-cell", attrs: { id: "lesson-cell" }, text: `${cell.row.situation} · ${columnWords(cell.aob)}` }));
    const prompt = el("p", { cls: "question", attrs: { id: "lesson-q" }, text: q.prompt });
    if (!feedback) {
      const group = el("div", { cls: "choices", attrs: { role: "group", "aria-labelledby": "lesson-q" } });
      q.choices.forEach((c, i) => {
        const b = el("button", { text: `${i + 1}. ${c.text}`, attrs: { type: "button", "data-correct": String(c.correct), "aria-keyshortcuts": String(i + 1) } });
        b.addEventListener("click", () => answer(c));
        group.append(b);
      });
      body.append(prompt, group);
      queueMicrotask(() => {
        group.querySelector("button")?.focus();
        root.scrollIntoView({ block: "nearest" }); // every choice in view, not only the first
      });
      return;
    }
    const { ok } = feedback;
    const next = el("button", { cls: "next-q", text: current + 1 < questions.length ? "Next question ▸" : "Finish the lesson ▸", attrs: { type: "button", id: "lesson-next" } });
    next.addEventListener("click", () => go(current + 1));
    body.append(prompt,
      el("p", { cls: `feedback ${ok ? "ok" : "ko"}`, attrs: { id: "lesson-feedback" }, text: ok ? `✔ Right: ${q.answer}.` : `✘ Not quite. The answer: ${q.answer}.` }),
      next,
      el("div", { cls: "why" },
        el("p", { cls: "vendor-quote" }, "The vendor's table says: ", el("q", { text: q.vendor }), "."),
        el("p", { cls: "why-head", text: "Why, in the simulation (the lanes and ladder now show it):" }),
        el("ul", {}, ...q.why.map((w) => el("li", {}, badge(w.tag, w.source), " ", w.text))),
        sourceLine("Source: ", ".")));
    queueMicrotask(() => {
      next.focus();
      // The explanation runs below the fold at 1280x720: bring the whole panel into view
      // (the lanes and ladder beside it scroll with it; the "why" repeats the narration above).
      root.scrollIntoView({ block: "nearest" });
    });
  }

  function answer(choice) {
    const q = questions[current];
    answers[q.id] = choice.correct;
    save();
    feedback = { ok: choice.correct };
    hooks.reveal(q.reveal);
    const rest = questions.slice(current + 1);
    if (!rest.some((x) => x.cellId === q.cellId)) hooks.done(q.cellId);
    render();
  }

  function go(i) {
    current = i;
    feedback = null;
    if (i < questions.length) hooks.show(cellOfQuestion(questions[i]), questions[i].ask);
    render();
  }

  function restart() {
    answers = {};
    seed = lessonSeed();
    questions = balancePositions(built, seed);
    save();
    go(0);
  }

  return {
    get questions() { return questions; },
    /** This run's seed (`?lessonSeed=` replays it). */
    get seed() { return seed; },
    start() {
      root.hidden = false;
      const first = questions.findIndex((q) => !(q.id in answers));
      go(first < 0 ? questions.length : first);
    },
    stop() {
      root.hidden = true;
      current = -1;
      feedback = null;
    },
    restart,
  };
}
