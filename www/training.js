// Training mode: before a step that changes the legs (or a key moment of the
// transfer: REFER accepted or refused, the webhook answered or failed) is revealed,
// ask "what happens next?" with choices drawn from the leg snapshots the module
// produced, and keep score. The right answer is read from the next snapshot, never
// computed here.
import { el, clear, formatMs, badge } from "./dom.js";

const KEY_MOMENTS = new Set(["refer-accepted", "refer-rejected", "webhook-fetched", "webhook-failed"]);

const STATUS_FACT = {
  ringing: "is ringing",
  "in-progress": "answers (in-progress)",
  completed: "is disconnected",
  busy: "is busy",
  "no-answer": "does not answer (no-answer)",
  failed: "fails",
  canceled: "is canceled",
};

/**
 * The sentence for leg `leg` reaching `status`. A called party answers its own call; UserA's
 * call is answered by Twilio (the simulator's own step says so), so "UserA answers" would be false.
 */
function statusFact(leg, status) {
  if (status === "in-progress" && leg.id === "caller") return `Twilio answers ${leg.label}'s call (in-progress)`;
  return `${leg.label} ${STATUS_FACT[status]}`;
}

/**
 * Facts a snapshot states, as key → sentence. `everBridged` (pairs bridged earlier)
 * tells a re-established initial call; `prevLegs` tells who a leg was cut off from.
 */
function facts(legs, everBridged = new Set(), prevLegs = []) {
  const out = new Map();
  const label = (id) => legs.find((l) => l.id === id)?.label ?? id;
  for (const leg of legs) {
    if (STATUS_FACT[leg.status]) out.set(`${leg.id}:${leg.status}`, statusFact(leg, leg.status));
    if (leg.bridgedWith && leg.id < leg.bridgedWith) {
      const key = `bridge:${leg.id}:${leg.bridgedWith}`;
      const pair = [leg.id, leg.bridgedWith].sort().join("+");
      const again = pair === "caller+transferor" && everBridged.has(pair);
      out.set(key, again
        ? `${leg.label} and ${label(leg.bridgedWith)} are bridged again: the initial call is re-established`
        : `${leg.label} is bridged with ${label(leg.bridgedWith)}`);
    }
    const before = prevLegs.find((l) => l.id === leg.id);
    if (!leg.bridgedWith && before?.bridgedWith) out.set(`${leg.id}:cut:${before.bridgedWith}`, `${leg.label} is disconnected from ${label(before.bridgedWith)}`);
    if (leg.onHold) out.set(`${leg.id}:hold`, `${leg.label} is on hold`);
  }
  return out;
}

/** Statuses a call never leaves. */
const FINAL = new Set(["completed", "busy", "no-answer", "failed", "canceled"]);

/**
 * Statements that could come true at the next step from `prevLegs`, as key → sentence; the
 * caller keeps the false ones whose key is in the pool. `cast` is every leg the statements may
 * name: the legs of the two snapshots and the catalogue's usual parties not yet on the lanes
 * (`CAST`), so a wrong choice may name a party that has not appeared (had only the next
 * snapshot's legs been named, "AgentB is ringing" would have been right whenever AgentB was
 * named before it rang). A status only moves forward (a leg rings only before it is on the
 * lanes; it is answered, busy, does not answer, fails or is canceled only from ringing or
 * before it is on the lanes; nothing ends twice), a leg not on the lanes cannot end, a leg that
 * has ended is bridged with nobody, cut off from nobody and put on hold by nobody.
 */
function candidates(cast, prevLegs) {
  const out = new Map();
  const was = (id) => prevLegs.find((l) => l.id === id);
  const alive = (id) => !FINAL.has(was(id)?.status);
  for (const a of cast) {
    const before = was(a.id)?.status;
    for (const status of Object.keys(STATUS_FACT)) {
      const reachable = status === "ringing" ? before === undefined
        : status === "completed" ? before !== undefined && alive(a.id)
        : before === undefined || before === "ringing" || before === "queued";
      if (reachable) out.set(`${a.id}:${status}`, statusFact(a, status));
    }
    if (!alive(a.id)) continue;
    if (before !== undefined && !was(a.id).onHold) out.set(`${a.id}:hold`, `${a.label} is on hold`);
    for (const b of cast) {
      if (!alive(b.id)) continue;
      if (a.id < b.id) out.set(`bridge:${a.id}:${b.id}`, `${a.label} is bridged with ${b.label}`);
      if (a.bridgedWith === b.id || was(a.id)?.bridgedWith === b.id) out.set(`${a.id}:cut:${b.id}`, `${a.label} is disconnected from ${b.label}`);
    }
  }
  return out;
}

/**
 * The catalogue's usual parties (leg id → label), named in wrong choices before they are on the
 * lanes: all 42 catalogue scenarios call them so, bar one caller and one target written as numbers.
 */
export const CAST = [
  { id: "caller", label: "UserA" },
  { id: "transferor", label: "AgentA" },
  { id: "target", label: "AgentB" },
];

/**
 * The kind of a fact, from its key: a status ("ringing", "busy"), "bridge", "cut" or "hold".
 * A question offers, where it can, a wrong choice of the right answer's kind, so that the kind
 * of a sentence does not tell whether it is right.
 */
/** The ways a ringing leg ends without being answered: one family of kinds ("AgentB is busy" against "AgentB does not answer"). */
const UNANSWERED = new Set(["busy", "no-answer", "failed", "canceled"]);
const TELLING = new Set(["ringing", "in-progress", "busy", "failed", "canceled", "hold"]);

export function kindOf(key) {
  if (key.startsWith("bridge:")) return "bridge";
  if (key.includes(":cut:")) return "cut";
  return key.slice(key.lastIndexOf(":") + 1);
}

/**
 * Deterministic, fair Fisher-Yates shuffle (the same question for the same step).
 * The generator is mulberry32: every operation stays in 32-bit integers
 * (`Math.imul`, `>>> 0`), so no product ever passes 2^53 and loses its low bits,
 * which is how the old generator put the right answer last in every question.
 */
export function shuffle(list, seed) {
  const a = [...list];
  let s = (Math.imul(seed | 0, 0x9e3779b9) ^ 0x6d2b79f5) >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** FNV-1a of a string: a stable shuffle seed for a question. */
export function seedOf(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const NOTHING = "Nothing changes for the legs: everyone stays as they are";

/**
 * The plausible wrong answers: the keys of every right answer the quiz gives over
 * `timelines` (the outcome table's cells), that is what a real cell does at some step
 * ("AgentB does not answer", "UserA is bridged with AgentB"). A fact no cell ever produces
 * ("AgentB is bridged with AgentA") is never offered: a learner would strike it out
 * without knowing anything.
 */
export function answerPool(timelines) {
  const pool = new Set();
  for (const steps of timelines) {
    for (let t = 1; t < steps.length; t++) {
      const q = question(steps, t);
      if (q?.key) pool.add(q.key);
    }
  }
  return pool;
}

/**
 * Build the question for step `target`, or null when it is not worth asking.
 *
 * Fairness, the two rules a trainer can explain to the class:
 * 1. One instant, one answer set. Everything that changes from step `target` to the last step
 *    at the same simulated time (`atMs`) is the answer set: "AgentB answers", "UserA is
 *    disconnected from AgentA" and "UserA is bridged with AgentB" all happen at 28.120 s in
 *    the default scenario, and their order inside the instant is the simulator's bookkeeping,
 *    not something a learner can know. The question shows one of them as the right choice
 *    (bridges first, then cut-offs, then statuses: what the outcome table talks about), the
 *    feedback names them all, and none of them (nor anything true at some step of the
 *    instant) is ever offered as a wrong choice.
 * 2. What the vendor says follows is not wrong. `stated` (see `vendorStated` in
 *    outcome_table.js) holds the facts the vendor's outcome-table cell says happen as the
 *    consequence of this moment ("AgentB answers the call | Initial call will now get
 *    disconnected": AgentA is disconnected, even though the simulator ends AgentA's leg
 *    100 ms later, when AgentA sends BYE). Those are never offered as wrong choices either.
 *
 * The wrong choices are facts that could come true from the step before (`candidates`) and,
 * when `pool` (see `answerPool`) is given, that a cell of the table produces somewhere. When
 * the table offers fewer than the usual two (three when nothing changes), `spare` (the same,
 * over the whole catalogue) fills up: with UserA and AgentB bridged after a second REFER,
 * "AgentB is disconnected from UserA" is what the catalogue's chained transfer does, and
 * the table alone left "Nothing changes" against one choice. Where only one leg is still up
 * and nothing can bridge, "it ends" or "nothing changes" are the two honest choices.
 * `salt` (0, or a random round's `roundSalt`) changes which wrong choices are drawn and where the right
 * one stands, not which are fair.
 * Returns { target, through (the instant's last step, revealed by the answer), atMs, choices, answer,
 * answers (every sentence of the set), key, keys }.
 */
export function question(steps, target, pool = null, spare = null, stated = null, salt = 0) {
  const next = steps[target];
  if (!next) return null;
  const prevLegs = target > 0 ? steps[target - 1].legs : [];
  let last = target;
  while (last + 1 < steps.length && steps[last + 1].atMs === next.atMs) last++;
  const everBridged = new Set();
  for (const s of steps.slice(0, target)) for (const l of s.legs) if (l.bridgedWith) everBridged.add([l.id, l.bridgedWith].sort().join("+"));
  const before = facts(prevLegs, everBridged, target > 1 ? steps[target - 2].legs : []);
  const after = facts(next.legs, everBridged, prevLegs);
  const gone = [...before.keys()].filter((k) => !after.has(k) && !k.includes(":cut:"));
  // The answer set: what changes at each step of the instant (each against the step before it),
  // and every fact true at some step of the instant (never a wrong choice).
  const changedAll = new Map();
  const trueInInstant = new Map();
  const madeBy = new Map(); // key → the step that makes it true (its provenance is the answer's)
  for (let t = target; t <= last; t++) {
    const prevT = t > 0 ? steps[t - 1].legs : [];
    const ever = new Set(everBridged);
    for (const s of steps.slice(target, t)) for (const l of s.legs) if (l.bridgedWith) ever.add([l.id, l.bridgedWith].sort().join("+"));
    const b = facts(prevT, ever, t > 1 ? steps[t - 2].legs : []);
    const a = facts(steps[t].legs, ever, prevT);
    for (const [k, v] of a) {
      trueInInstant.set(k, v);
      if (b.get(k) !== v && !changedAll.has(k)) { changedAll.set(k, v); madeBy.set(k, steps[t]); }
    }
  }
  const changedHere = [...after].filter(([k, v]) => before.get(k) !== v);
  if (changedHere.length === 0 && gone.length === 0 && !KEY_MOMENTS.has(next.kind)) return null;
  // A key moment whose own step changes nothing still asks about its instant: "the referUrl
  // application answered" and "AgentB is ringing" share 20.120 s, so "Nothing changes" is not its answer.
  // Prefer bridges, then cut-offs, then statuses: the facts the outcome table talks about.
  const rank = (k) => (k.startsWith("bridge:") ? 0 : k.includes(":cut:") ? 1 : 2);
  const changed = [...changedAll].sort(([a], [b]) => rank(a) - rank(b));
  const right = changed.length ? changed[0][1] : (gone.length === 0 ? NOTHING : null);
  if (!right) return null;
  const rightSet = new Set(changed.map(([, v]) => v));
  const cast = [...next.legs];
  for (const l of [...prevLegs, ...CAST]) if (!cast.some((c) => c.id === l.id || c.label === l.label)) cast.push(l);
  const fair = ([k, v]) => !after.has(k) && !trueInInstant.has(k) && !stated?.has(k) && v !== right && !rightSet.has(v);
  const possible = [...candidates(cast, prevLegs)].filter(fair);
  const wrong = possible.filter(([k]) => !pool || pool.has(k));
  const want = right === NOTHING ? 3 : 2;
  // The seed names the scenario (its length and how it ends) as well as the step: seeded by the
  // step number alone, the same opening questions of every cell came out in the same order.
  // A random round's `salt` (see `roundSalt`) draws other choices in other places for the same step.
  const seed = seedOf(`${target}|${steps.length}|${steps.at(-1)?.narration ?? ""}|${next.narration}`) ^ salt;
  // One wrong choice of the right answer's kind first (from the pool, else from the spare pool): "AgentB is ringing" against "AgentA is ringing". Drawn only from the other kinds, "X is
  // ringing" was right 1,868 times of 1,868 offered and a rule that ranks kinds scored 75 %.
  const kind = changed.length ? kindOf(changed[0][0]) : null;
  const family = (k) => (UNANSWERED.has(kindOf(k)) ? "unanswered" : kindOf(k));
  const sameKind = (list) => {
    const mixed = shuffle(list, seed ^ 0x1b873593);
    return mixed.find(([k]) => kindOf(k) === kind) ?? mixed.find(([k]) => family(k) === family(changed[0][0]));
  };
  const first = kind ? (sameKind(wrong) ?? (spare ? sameKind(possible.filter(([k]) => spare.has(k))) : undefined)) : undefined;
  const picks = first ? [first[1]] : [];
  // Then, where there is one, a fact of a kind that is more often right than wrong when drawn at
  // random ("is busy", "fails", "Twilio answers", "is on hold"), so that no kind is a tell.
  const rest = shuffle(wrong.filter(([, v]) => !picks.includes(v)), seed ^ 0x5bd1e995);
  const tell = rest.find(([k]) => TELLING.has(kindOf(k)) && kindOf(k) !== kind);
  if (tell && picks.length < want) picks.push(tell[1]);
  picks.push(...rest.map(([, v]) => v).filter((v) => !picks.includes(v)).slice(0, want - picks.length));
  if (picks.length < want && spare) {
    const more = possible.filter(([k, v]) => spare.has(k) && !picks.includes(v)).map(([, v]) => v);
    picks.push(...shuffle(more, seed ^ 0x2f6b1c3d).slice(0, want - picks.length));
  }
  if (right !== NOTHING) picks.push(NOTHING);
  if (picks.length === 0) return null; // nothing plausible to choose from: not a question
  const choices = shuffle([{ text: right, correct: true }, ...picks.map((text) => ({ text, correct: false }))], seed);
  const answers = changed.length ? changed.map(([, v]) => v) : [right];
  // What the feedback says, each fact once ("AgentA is disconnected from UserA" is "UserA is
  // disconnected from AgentA" again, and "UserA is disconnected" says it too), each with the step
  // that makes it true: its tag, source and narration (an assumed step is marked as such).
  const told = [];
  const keys = new Set(changed.map(([k]) => k));
  for (const [k, v] of changed) {
    const cut = /^(.+):cut:(.+)$/.exec(k);
    if (cut && k !== changed[0][0] && (told.some((f) => f.key === `${cut[2]}:cut:${cut[1]}`) || keys.has(`${cut[1]}:completed`))) continue;
    const step = madeBy.get(k);
    told.push({ key: k, text: v, tag: step?.tag ?? null, source: step?.source ?? null, narration: step?.narration ?? "" });
  }
  if (!changed.length) told.push({ key: null, text: right, tag: null, source: null, narration: "" });
  return { target, through: last, atMs: next.atMs, choices, answer: right, answers, told, key: changed.length ? changed[0][0] : null, keys: changed.map(([k]) => k) };
}

/** The step of a timeline's first REFER (its length when there is none): the steps before it set the call up. */
export function firstRefer(steps) {
  const i = steps.findIndex((s) => s.kind === "refer-received");
  return i < 0 ? steps.length : i;
}

/** What makes two questions the same to a class: the same answer among the same choices. */
function signature(q) {
  return `${q.answer}#${q.choices.map((c) => c.text).sort().join("|")}`;
}

/**
 * The feedback after an answer: each fact of the answer set once, each with the badge of the step
 * that makes it true, and for an assumed step its narration (why refer-sim assumes it). Before,
 * only the card of the step the quiz stopped at was shown: 46 of 173 questions had a right answer
 * made true by an assumed step, 28 of them under a documented or RFC card.
 */
function feedback(last) {
  const p = el("p", { cls: `feedback ${last.ok ? "ok" : "ko"}`, attrs: { id: "training-feedback" } }, last.ok ? "✔ Right: " : "✘ Not quite. What happened: ");
  last.told.forEach((f, i) => {
    p.append(i ? "; " : "", f.text);
    if (f.tag) p.append(" ", badge(f.tag, f.source));
  });
  p.append(".");
  const why = last.told.filter((f) => f.tag === "assumed");
  if (!why.length) return p;
  // The reasons fold away when presenting: in the quiz's narrow column at 1280x720 they pushed the
  // score and the next question's choices out of view (the badge stays on the fact; a click opens them).
  const box = el("details", { cls: "feedback-why", attrs: document.body.classList.contains("presenter") ? {} : { open: "" } },
    el("summary", { text: why.length === 1 ? "Why this is assumed" : "Why these are assumed" }),
    ...why.map((f) => el("p", {}, badge("assumed"), ` ${f.text}: ${f.narration}`)));
  return el("div", { cls: "feedback-box", attrs: { id: "training-feedback-box" } }, p, box);
}

/** How many catalogue scenarios a random round asks about, each once. */
export const ROUND_LENGTH = 5;

/** The largest seed a round offers (five digits: a class reads it off the screen and types it). */
export const MAX_ROUND_SEED = 99999;

/**
 * The scenarios of the random round `seed`: the first `ROUND_LENGTH` of a Fisher-Yates shuffle of
 * the catalogue's `ids`, so no scenario comes twice in a round and every one can come at every place
 * (tests/e2e/quiz_round.test.mjs counts them over all seeds). The same seed gives the same round.
 */
export function roundOrder(ids, seed) {
  return shuffle(ids, seedOf(`round|${seed}`)).slice(0, ROUND_LENGTH);
}

/** The `salt` a round's questions are drawn with (`question`): the same seed, the same choices in the same places. */
export function roundSalt(seed) {
  return seedOf(`choices|${seed}`);
}

/** A new seed for a round (from 1 to `MAX_ROUND_SEED`): the page's own, not the simulator's. */
function freshSeed() {
  return 1 + (crypto.getRandomValues(new Uint32Array(1))[0] % MAX_ROUND_SEED);
}

/**
 * Mount the training panel in `root`. hooks = { reveal(index), pool, spare(), stated(steps, target), ids, open(id) } (`pool`, what `spare()` returns and
 * what `stated` returns: see `answerPool`, `question` and outcome_table.js's `vendorStated`; `ids` the catalogue's ids,
 * `open(id)` loads one for a random round).
 * Returns { start(), restart(), stop(), ask(steps, target) → true while a question holds the step back, busy(), finish(),
 * startRound(seed) (a random round from its first scenario), round() (the running round's seed, or null) }.
 */
export function mountTraining(root, hooks) {
  let score = { asked: 0, right: 0 };
  let open = null; // the question on screen
  let last = null; // feedback of the last answer
  let finished = false;
  let round = null; // a random round: { seed, order (catalogue ids), at (index into order) }
  let retakes = 0; // Restarts of one scenario outside a round: each draws its choices anew (0: the first take)
  let opening = false; // true while the round itself loads its next scenario
  const askedBefore = new Set(); // signatures of the questions asked in the round's earlier scenarios
  const askedHere = new Map(); // signature → step, for the questions asked in this scenario (Restart asks them again)
  const body = el("div", { cls: "training-body" });
  const scoreLine = el("p", { cls: "score", attrs: { id: "training-score", "aria-live": "polite" } });
  const seedInput = el("input", { attrs: { type: "number", id: "round-seed", min: "1", max: String(MAX_ROUND_SEED), step: "1", value: String(freshSeed()) } });
  const startRound = el("button", { text: "Random round", attrs: { type: "button", id: "round-start" } });
  startRound.addEventListener("click", () => beginRound(Math.trunc(Number(seedInput.value)) || freshSeed()));
  // Enter in the seed field starts its round, as a form's field would (newuser5 #8).
  seedInput.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); startRound.click(); } });
  const roundLine = el("p", { cls: "round-line", attrs: { id: "round-line", "aria-live": "polite" } });
  const nextScenario = el("button", { cls: "next-q", text: "Next scenario ▸", attrs: { type: "button", id: "round-next", hidden: "" } });
  nextScenario.addEventListener("click", () => openAt(round.at + 1));
  /** Focus the control a keyboard user goes on with: the stepper's Next (the button pressed hides itself, and focus fell to <body>). */
  const focusNext = () => { const next = document.getElementById("btn-next"); if (next && !next.disabled) next.focus(); };
  const roundBox = el("div", { cls: "round", attrs: { role: "group", "aria-label": "Random round" } },
    el("label", { text: "Seed ", attrs: { for: "round-seed" } }), seedInput, startRound);

  /** Start round `seed` at its first scenario (the seed is shown, and is the page's address, so a class can play the same round). */
  function beginRound(seed) {
    seed = Math.min(MAX_ROUND_SEED, Math.max(1, seed));
    seedInput.value = String(seed);
    round = { seed, order: roundOrder(hooks.ids, seed), at: 0 };
    score = { asked: 0, right: 0 };
    openAt(0);
  }

  function openAt(at) {
    if (at === 0) askedBefore.clear(); // a new round: what was asked before it does not count
    else for (const sig of askedHere.keys()) askedBefore.add(sig);
    askedHere.clear();
    round.at = at;
    opening = true;
    try { hooks.open(round.order[at]); } finally { opening = false; }
    renderRound();
    if (!open) focusNext();
  }

  function renderRound() {
    const last = round && round.at === round.order.length - 1;
    roundLine.hidden = !round;
    roundBox.hidden = Boolean(round) && !(finished && last); // under way, the line names the seed (a presenter's column is short)
    nextScenario.hidden = !round || !finished || last;
    if (!round) return;
    // The sentences after the facts (`.aside`) are left out when presenting: at a round's end at
    // 1280x720 they pushed the round's score below the panel's edge (style.css).
    roundLine.replaceChildren(`Random round · seed ${round.seed} · scenario ${round.at + 1} of ${round.order.length}${finished && last ? " · round complete" : ""}`,
      finished && last ? el("span", { cls: "aside", text: " (the same seed plays the same round)" }) : "");
    nextScenario.textContent = `Next scenario (${round.at + 2} of ${round.order.length}) ▸`;
  }

  function renderScore() {
    const what = round ? "round" : "";
    const final = finished && (!round || round.at === round.order.length - 1);
    scoreLine.replaceChildren(final
      ? `Final ${what ? "round " : ""}score: ${score.right} / ${score.asked}${score.asked ? ` (${Math.round((100 * score.right) / score.asked)} %)` : ""}.`
      : `Score: ${score.right} / ${score.asked}`,
    final ? el("span", { cls: "aside", text: ` ${round ? "Start a round to play again." : "Press Restart to try again."}` }) : "");
    scoreLine.classList.toggle("final", finished);
    // The final score comes before the last answer's feedback: it is what the quiz ends on, and in
    // presenter mode a long feedback ("Not quite. What happened: ...") pushed it below the panel's edge.
    if (final !== (scoreLine.nextElementSibling === body)) (final ? body.before(scoreLine) : body.after(scoreLine));
    renderRound();
  }

  function render() {
    clear(body);
    if (last) body.append(feedback(last));
    if (open) {
      const q = open;
      const group = el("div", { cls: "choices", attrs: { role: "group", "aria-labelledby": "training-q" } });
      q.choices.forEach((c, i) => {
        const b = el("button", { text: `${i + 1}. ${c.text}`, attrs: { type: "button", "data-correct": String(c.correct), "aria-keyshortcuts": String(i + 1) } });
        b.addEventListener("click", () => answer(c));
        group.append(b);
      });
      const skip = el("button", { cls: "skip-q", text: "Skip: just show the step", attrs: { type: "button" } });
      skip.addEventListener("click", () => { open = null; last = null; render(); hooks.reveal(q.through); });
      body.append(el("p", { cls: "question", attrs: { id: "training-q", "data-step": String(q.target) }, text: `What happens next (at t = ${formatMs(q.atMs)})?` }), group, skip);
      queueMicrotask(() => {
        group.querySelector("button")?.focus();
        root.scrollIntoView({ block: "nearest" }); // every choice in view, not only the first (presenter mode at 1280x720)
      });
    }
    renderScore();
  }

  function answer(choice) {
    const q = open;
    score.asked += 1;
    if (choice.correct) score.right += 1;
    last = { ok: choice.correct, told: q.told };
    open = null;
    render();
    hooks.reveal(q.through); // the whole instant: its answer set is told at once
    if (!finished) document.getElementById("btn-next")?.focus();
  }

  root.append(el("h3", { text: "Free quiz" }),
    el("p", { cls: "hint", text: "Press Next: before each step that changes a leg, and at the key moments of the transfer, choose what you think happens. The ladder hides what has not happened yet. A random round asks about " + ROUND_LENGTH + " scenarios drawn by its seed, none twice." }),
    roundBox, roundLine, nextScenario, body, scoreLine);

  return {
    /** A scenario loaded (or Restart): its questions from the start. Unless the round loaded it, the round ends and the score starts over. */
    start() {
      if (!opening) {
        round = null;
        score = { asked: 0, right: 0 };
        askedBefore.clear();
      }
      askedHere.clear();
      retakes = 0;
      open = null; last = null; finished = false;
      root.hidden = false;
      render();
    },
    /** Restart: the scenario's questions from the start; a round keeps its place and its score. */
    restart() {
      if (!round) score = { asked: 0, right: 0 };
      // A retake outside a round asks the same moments with the choices drawn again: the same
      // places each time let a class remember "the second one" (a new user's finding). A round
      // keeps its choices: its seed replays it.
      if (!round) retakes += 1;
      askedHere.clear();
      open = null; last = null; finished = false;
      render();
    },
    stop() {
      open = null; last = null; round = null;
      root.hidden = true;
    },
    ask(steps, target) {
      if (open && open.target >= target) return true;
      // A change is asked about before the first step of its instant: the steps just before it
      // at the same time announce it ("Twilio sends NOTIFY 200 OK and disconnects AgentA from
      // UserA" comes one step before the lanes show it), so showing them would give it away.
      let q = null;
      const salt = round ? roundSalt(round.seed) : retakes ? seedOf(`retake|${retakes}`) : 0;
      // A round asks the call set-up (the steps before the first REFER, the same in nearly every
      // scenario) in its first scenario only, and no question twice: 37 % of a round's questions
      // were the set-up, and 5,064 of 10,824 repeated one already asked in the round.
      if (round && round.at > 0 && target < firstRefer(steps)) return false;
      for (let t = target; !q && t < steps.length && steps[t].atMs === steps[target].atMs; t++) q = question(steps, t, hooks.pool ?? null, hooks.spare?.() ?? null, hooks.stated?.(steps, t) ?? null, salt);
      if (!q) return false;
      const sig = signature(q);
      if (askedBefore.has(sig) || (askedHere.has(sig) && askedHere.get(sig) !== q.target)) return false;
      askedHere.set(sig, q.target);
      open = q;
      finished = false;
      render();
      return true;
    },
    busy: () => open !== null,
    startRound: (seed) => beginRound(seed),
    round: () => round?.seed ?? null,
    finish() {
      if (finished) return;
      finished = true;
      renderScore();
      // At a scenario's end focus goes to what comes next: the round's next scenario, or its seed
      // field at a round's end (focus stayed on the stepper's disabled Next, that is on <body>).
      if (round && !nextScenario.hidden) nextScenario.focus();
      else if (round && !roundBox.hidden) startRound.focus();
    },
  };
}
