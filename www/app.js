// The playground's state and wiring: which scenario is loaded, its timeline (from the
// module's `simulate`), the current step, and the panels that render them. All call
// behaviour comes from the WebAssembly module; this file only routes data to views.
import { simulate, scenarios } from "/pkg/index.js";
import { mountPicker } from "./catalogue_picker.js";
import { mountStepper, installShortcuts } from "./stepper.js";
import { renderLanes } from "./lanes.js";
import { mountLadder } from "./ladder.js";
import { readAnswerOnBridge, withAnswerOnBridge, mountCompare } from "./compare.js";
import { mountEditors } from "./editors.js";
import { mountShare, readShared, writeLocation } from "./share.js";
import { mountTraining, answerPool, MAX_ROUND_SEED } from "./training.js";
import { mountOutcomeTable, cellMoment, columnWords, tableCells, vendorStated } from "./outcome_table.js";
import { mountLesson } from "./lesson.js";
import { buildHandout } from "./handout.js";
import { mountExplanation } from "./explanation.js";

const PLAY_INTERVAL_MS = 900;
/**
 * The ladder's smallest text on screen, in px, in every mode: a trainer projects plain mode
 * too (at 10.5 px its times and sub-labels were drawn at 10-11 px at 1280x720).
 */
const MIN_FONT_PX = 12;
/** An edit runs the simulation again after this pause (typing does not run it per key). */
const EDIT_RUN_DELAY_MS = 250;

/** Deep copy of plain JSON data (scenarios are JSON). */
const copy = (x) => JSON.parse(JSON.stringify(x));

/** JSON text with object keys sorted, so two equal scenarios compare equal whatever their key order. */
function canonical(x) {
  return JSON.stringify(x, (_, v) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

/** True when `a` and `b` are the same scenario once answerOnBridge is set to `aob` in both (wherever the attribute was written). */
function sameScenario(a, b, aob) {
  const norm = (s) => canonical({ ...s, initialTwiml: withAnswerOnBridge(withAnswerOnBridge(s.initialTwiml, false), aob) });
  return readAnswerOnBridge(a.initialTwiml) === aob && norm(a) === norm(b);
}

export function mountPlayground(doc = document) {
  const $ = (id) => doc.getElementById(id);
  const catalogue = scenarios();
  const state = {
    catalogue,
    entryId: null, // catalogue id the scenario came from (null: custom)
    edited: false,
    scenario: null,
    steps: [],
    outcome: null,
    explanation: null, // the run's { cause, fix } and warnings, shown by explanation.js
    warnings: [],
    error: null,
    index: 0,
    revealed: 0, // furthest step shown so far (training mode gates beyond it)
    playing: false,
    training: false,
    lesson: false, // the guided lesson holds the steps back like training, without per-step questions
    presenter: false, // presenter mode: large type, future steps hidden
  };
  const renderTimes = [];
  let timer = null;

  const picker = mountPicker($("picker"), catalogue, (entry) => loadEntry(entry));
  const stepper = mountStepper($("stepper"), {
    go: (i) => go(i),
    next: () => go(state.index + 1),
    prev: () => go(state.index - 1),
    restart: () => restart(),
    last: () => go(state.steps.length - 1),
    togglePlay: () => setPlaying(!state.playing),
  });
  installShortcuts({
    next: () => forward(),
    prev: () => go(state.index - 1),
    restart: () => restart(),
    last: () => go(state.steps.length - 1),
    togglePlay: () => setPlaying(!state.playing),
    presenter: () => setPresenter(!state.presenter),
    escape: () => state.presenter && (setPresenter(false), true),
    choose: (n) => {
      const button = document.querySelectorAll("#training:not([hidden]) .choices button, #lesson:not([hidden]) .choices button")[n - 1];
      button?.click();
      return Boolean(button);
    },
  });
  const presenterToggle = $("presenter-toggle");
  presenterToggle.addEventListener("click", () => setPresenter(!state.presenter));

  /** Presenter mode: full width, large type, and steps not reached yet hidden from the ladder. */
  function setPresenter(on) {
    state.presenter = on;
    doc.documentElement.classList.toggle("presenter", on);
    doc.body.classList.toggle("presenter", on);
    presenterToggle.setAttribute("aria-pressed", String(on));
    presenterToggle.textContent = on ? "Leave presenter mode (Esc)" : "Presenter mode (P)";
    ladder.setPresenting(on);
    ladder.setMinFont(minFont());
    if (state.steps.length) renderStep();
    // Presenter mode is one screen, from the page's top (style.css).
    if (on) window.scrollTo(0, 0);
    // A question open when the layout changes: its panel, every choice, comes back on screen
    // (pressing P on the lesson's first question at 1280x720 left its last choices below the edge).
    requestAnimationFrame(() => doc.querySelector("#lesson:not([hidden]):has(.choices), #training:not([hidden]):has(.choices)")?.scrollIntoView({ block: "nearest" }));
  }
  const detailBox = $("detail");
  const detailTitle = $("detail-title");
  const detailText = $("detail-text");
  const ladder = mountLadder($("ladder"), {
    onSelect: (row) => {
      detailTitle.textContent = row.title;
      detailText.textContent = row.detail;
    },
    // The message chosen comes into view: below the ladder it began at the window's last pixels
    // (top 714 of 720 px, 1071 of 1080) and a click on an arrow showed nothing to read (newuser6 F10).
    onPick: () => detailBox.scrollIntoView({ block: "nearest" }),
  });
  /**
   * The ladder's smallest text on screen: presenting, the page's type floor (1rem, from the
   * viewport: 18 px at 1280x720, 26.9 px at 1920x1080, style.css), else `MIN_FONT_PX`. Its
   * times and sub-labels were 12 px on a projector beside the lesson at 1280x720.
   */
  const minFont = () => (state.presenter ? parseFloat(getComputedStyle(doc.documentElement).fontSize) || MIN_FONT_PX : MIN_FONT_PX);
  ladder.setMinFont(minFont());
  window.addEventListener("resize", () => { if (state.presenter) ladder.setMinFont(minFont()); });
  const lanes = $("lanes");
  const outcomeBox = $("outcome");
  const lanesBox = lanes.closest(".lanes-box");
  const explain = mountExplanation(doc);
  const errorBox = $("scenario-error");
  const momentNote = $("moment-note");
  const aobToggle = $("aob-toggle");
  const trainingToggle = $("training-toggle");
  const lessonToggle = $("lesson-toggle");

  const compare = mountCompare($("compare-body"));
  // `state.scenario` is the page's one scenario: the editors write each edit into it at
  // once (so a share made right after an edit carries it); the run follows after a pause.
  let editRun = null;
  const editors = mountEditors($("editors-body"), {
    scenario: () => state.scenario,
    // The step that received `url`'s answer in the run shown (none while the scenario does not run):
    // the editor reads from it how the module took the body, rather than classifying the type itself.
    answer: (url) => (state.error ? null : state.steps.find((s) => s.response && (s.response.url === url || s.response.url.startsWith(`${url}${url.includes("?") ? "&" : "?"}`))) ?? null),
    edit: (fn) => {
      if (!state.scenario) return;
      fn(state.scenario);
      const entry = catalogue.find((c) => c.id === state.entryId);
      state.edited = entry ? JSON.stringify(entry.scenario) !== JSON.stringify(state.scenario) : state.entryId !== null;
      writeLocation({ id: state.entryId, edited: state.edited, scenario: state.scenario, step: state.index }, concealed(), training.round());
      clearTimeout(editRun);
      editRun = setTimeout(() => load(state.scenario, { keepIndex: true, fromEditor: true }), EDIT_RUN_DELAY_MS);
    },
  });
  let sparePool = null;
  const training = mountTraining($("training"), {
    reveal: (i) => reveal(i),
    // Wrong choices are what some cell of the outcome table really does at some step.
    pool: answerPool(tableCells(catalogue).map((cell) => simulate(cell.entry.scenario).steps)),
    // Where the table offers too few: what some catalogue scenario does (see `question`); run at the first question.
    spare: () => (sparePool ??= answerPool(catalogue.map((entry) => simulate(entry.scenario).steps))),
    status: () => ({ index: state.index, total: state.steps.length }),
    // What the vendor's table says follows from the asked moment is never a wrong choice.
    stated: (steps, t) => vendorStated(steps, t, readAnswerOnBridge(state.scenario?.initialTwiml ?? "") === true),
    // A random round draws from the whole catalogue and opens each of its scenarios at step 1.
    ids: catalogue.map((entry) => entry.id),
    open: (id) => loadEntry(catalogue.find((entry) => entry.id === id)),
  });
  const share = mountShare($("share-body"), {
    get: () => ({ id: state.entryId, edited: state.edited, scenario: state.scenario, step: state.index }),
    ladderSvg: () => ladder.exportSvg(caption()),
    ladderModel: () => ladder.model(),
    caption: () => caption(),
    open: (shared) => openShared(shared),
  });

  const grid = mountOutcomeTable($("table-body"), catalogue, { open: (cell) => openCell(cell) });

  // The toggle opens the catalogue scenario that matches the flipped one (its own title,
  // description and cell), or keeps an edited variant that the picker labels as such.
  // The step shown is the last one at or before the same simulated time.
  aobToggle.addEventListener("change", () => {
    if (!state.scenario) return;
    const next = copy(state.scenario);
    next.initialTwiml = withAnswerOnBridge(next.initialTwiml, aobToggle.checked);
    const atMs = state.steps[state.index]?.atMs ?? 0;
    const match = catalogue.find((c) => sameScenario(c.scenario, next, aobToggle.checked));
    if (!(match ? load(copy(match.scenario), { entryId: match.id, index: 0 }) : load(next, { index: 0 }))) return;
    const at = state.steps.findLastIndex((s) => s.atMs <= atMs);
    if (state.training || state.lesson) state.revealed = Math.max(state.revealed, at);
    go(at);
  });
  const lesson = mountLesson($("lesson"), grid.cells, {
    show: (cell, ask) => {
      if (state.entryId !== cell.id || state.edited) loadEntry(cell.entry);
      state.revealed = ask;
      state.index = ask;
      renderStep();
    },
    reveal: (i) => reveal(i),
    done: (id) => grid.markDone(id),
  });
  lessonToggle.addEventListener("change", () => setLesson(lessonToggle.checked));

  /** Guided lesson on or off (the free quiz is switched off while it runs). */
  function setLesson(on) {
    setPlaying(false);
    if (on && state.training) {
      trainingToggle.checked = false;
      state.training = false;
      training.stop();
    }
    state.lesson = on;
    lessonToggle.checked = on;
    if (on) {
      lesson.start();
    } else {
      lesson.stop();
      state.revealed = state.steps.length - 1;
      renderStep();
    }
  }

  trainingToggle.addEventListener("change", () => {
    if (trainingToggle.checked && state.lesson) setLesson(false);
    state.training = trainingToggle.checked;
    setPlaying(false);
    if (state.training) {
      state.revealed = state.index;
      training.start();
    } else {
      training.stop();
      state.revealed = state.steps.length - 1;
    }
    renderStep();
  });

  /** The title and outcome that exports carry: the catalogue title (or what kind of variant this is) and the run's outcome (neither while the quiz conceals them). */
  function caption() {
    if (concealed()) return { title: "refer-sim · free quiz", outcome: "" };
    const entry = catalogue.find((c) => c.id === state.entryId);
    const title = entry ? (state.edited ? `Edited variant of: ${entry.title}` : entry.title) : "Custom scenario";
    return { title: `refer-sim · ${title}`, outcome: state.outcome?.summary ?? "" };
  }

  function setPlaying(on) {
    state.playing = on && state.index < state.steps.length - 1;
    clearInterval(timer);
    timer = null;
    if (state.playing) {
      timer = setInterval(() => {
        if (state.index >= state.steps.length - 1 || !go(state.index + 1)) setPlaying(false);
      }, PLAY_INTERVAL_MS);
    }
    renderStep();
  }

  /** Move to step `i`; in training mode a step not yet revealed first asks the question. Returns true if moved. */
  function go(i) {
    const n = state.steps.length;
    if (n === 0) return false;
    i = Math.max(0, Math.min(n - 1, i));
    if (state.lesson) i = Math.min(i, state.revealed);
    if (state.training && i > state.revealed) {
      const target = state.revealed + 1;
      if (training.ask(state.steps, target)) {
        if (state.index !== state.revealed) { state.index = state.revealed; renderStep(); }
        clearInterval(timer); timer = null; state.playing = false;
        stepper.render(view());
        return false;
      }
      state.revealed = target;
      i = target;
    }
    if (i === state.index) return false;
    state.index = i;
    renderStep();
    return true;
  }

  /** Back to the first step; in training mode the questions (and the score) start over. */
  function restart() {
    setPlaying(false);
    if (state.training) {
      state.revealed = 0;
      training.restart();
    }
    state.index = 0;
    renderStep();
  }

  /** Called by training mode once the question about step `i` is answered or skipped. */
  function reveal(i) {
    state.revealed = Math.max(state.revealed, i);
    state.index = i;
    renderStep();
  }

  function view() {
    return {
      steps: state.steps, index: state.index, playing: state.playing,
      limit: gated() ? state.revealed : state.steps.length - 1, hold: state.lesson,
      hideFuture: gated() || state.presenter,
    };
  }

  /** True while steps beyond `state.revealed` are held back (free quiz or guided lesson). */
  function gated() {
    return state.training || state.lesson;
  }

  /**
   * True while the free quiz holds steps back: then nothing on screen may tell how the scenario
   * ends. Its title and description do ("AgentB is busy — answerOnBridge true": the quiz asks
   * whether AgentB is busy), and so do the outcome table's marked cell, the answerOnBridge
   * comparison (both runs to the end), the editors (the endpoint's answer: busy, no-answer)
   * and the outcome-table note. The guided lesson names its cell's situation on purpose (its
   * questions take it as given), so it conceals nothing.
   */
  function concealed() {
    return state.training && state.steps.length > 0 && state.revealed < state.steps.length - 1;
  }

  /** Hide or show what names the outcome (see `concealed`); the panels' notes say why (style.css). */
  function conceal() {
    const on = concealed();
    doc.body.classList.toggle("quiz-concealed", on);
    picker.show(state.entryId, state.edited, state.scenario, on);
    grid.show(on || state.edited ? null : state.entryId);
  }

  let lanesFrame = 0;
  /**
   * Where the lanes' column scrolls inside itself (presenter mode is one screen: three or four
   * lanes run past its bottom at 1280x720), bring into its view the outcome at the last step,
   * else the first lane that entered or changed at this step (AgentB ringing, the outcome line
   * were below the column's edge). At the next frame, after the step's layout: nothing is read during the render.
   */
  function showLaneChange() {
    cancelAnimationFrame(lanesFrame);
    lanesFrame = requestAnimationFrame(() => {
      const box = lanesBox;
      if (box.scrollHeight <= box.clientHeight + 1) return;
      const target = outcomeBox.hidden ? lanes.querySelector(".lane.new") ?? lanes.querySelector(".lane:has(.fact.changed)") : outcomeBox;
      if (!target) return;
      const b = box.getBoundingClientRect();
      let r = target.getBoundingClientRect();
      // At the last step, why the run ends (explanation.js) with the outcome: both in view when they fit,
      // else their top (the bottom rule below keeps the top).
      const why = target === outcomeBox ? explain.element : null;
      if (why && !why.hidden && box.contains(why)) { // (beside the lesson or quiz, presenting, it is under their panel)
        const w = why.getBoundingClientRect();
        r = { top: Math.min(r.top, w.top), bottom: Math.max(r.bottom, w.bottom) };
      }
      if (r.bottom > b.bottom) box.scrollTop += Math.min(r.bottom - b.bottom + 6, r.top - b.top); // its bottom in view, its top kept
      else if (r.top < b.top) box.scrollTop -= b.top - r.top + 6;
    });
  }

  const endNote = $("end-note");
  let endNoteTimer = 0;
  /**
   * → (and a presenter's clicker, which sends it): the next step, else what the page's own "next"
   * button does at that point, else a note that says where the scenario stands. At a scenario's
   * end → did nothing visible (newuser5): in a random round it now opens the round's next scenario
   * as "Next scenario" does, after a lesson's answer it goes on as "Next question" does, and where
   * nothing comes next it says so (the last step, the round's or the lesson's end) and what to press.
   */
  function forward() {
    if (go(state.index + 1)) return;
    if (state.training && training.busy()) return; // the question about the next step is on screen
    const lessonNext = doc.querySelector("#lesson:not([hidden]) #lesson-next");
    if (lessonNext) return lessonNext.click();
    if (state.index < state.steps.length - 1) return; // held back by an open lesson question
    const roundNext = doc.querySelector("#training:not([hidden]) #round-next:not([hidden])");
    if (roundNext) return roundNext.click();
    let text = "The last step: the call is over. ← goes back a step, Home to the start.";
    if (state.lesson && doc.getElementById("lesson-final")) text = "The lesson is complete. “Restart the lesson” takes it again; any cell of the table opens its scenario.";
    else if (state.training && training.round() !== null) text = "The round is complete. “Random round” plays another; its seed, the same round again.";
    else if (state.training) text = "The quiz's last step. Home plays it again (the choices drawn anew); “Random round” plays five scenarios.";
    else if (state.lesson) text = "The lesson's question comes with “Next question”.";
    endNote.textContent = text;
    endNote.hidden = false;
    clearTimeout(endNoteTimer);
    endNoteTimer = setTimeout(() => { endNote.hidden = true; }, 8000);
  }

  /** Render the current step: stepper, lanes, ladder highlight, outcome. Timed for the e2e figures. */
  function renderStep() {
    const t0 = performance.now();
    endNote.hidden = true;
    const step = state.steps[state.index];
    stepper.render(view());
    renderLanes(lanes, step?.legs ?? [], state.index > 0 ? state.steps[state.index - 1].legs : null);
    ladder.highlight(state.index, { hideFuture: gated() || state.presenter });
    if (!training.busy()) ladder.selectStep(state.index);
    const atEnd = state.steps.length > 0 && state.index === state.steps.length - 1;
    outcomeBox.hidden = !atEnd;
    outcomeBox.textContent = atEnd && state.outcome ? `Outcome: ${state.outcome.summary}` : "";
    explain.render(state.explanation, state.warnings, atEnd, state.presenter);
    showLaneChange();
    doc.body.dataset.step = String(state.index);
    doc.body.dataset.kind = step?.kind ?? "";
    conceal();
    if (atEnd && state.training) training.finish();
    if (atEnd && !state.edited && state.entryId) grid.markDone(state.entryId);
    writeLocation({ id: state.entryId, edited: state.edited, scenario: state.scenario, step: state.index }, concealed(), training.round());
    share.showRound(training.round());
    const dt = performance.now() - t0;
    renderTimes.push(dt);
    if (renderTimes.length > 500) renderTimes.shift();
    return dt;
  }

  /** Run `scenario`; on an invalid one keep the last good run and show the error. */
  function load(scenario, { keepIndex = false, entryId, fromEditor = false, index } = {}) {
    clearTimeout(editRun); // a scenario loaded now replaces any edit still waiting to run
    editRun = null;
    momentNote.hidden = true; // a cell's note holds only until something else is loaded
    let run;
    try {
      run = simulate(scenario);
    } catch (err) {
      state.scenario = scenario;
      if (entryId !== undefined) state.entryId = entryId;
      state.edited = state.entryId !== null;
      state.error = err;
      errorBox.hidden = false;
      const shown = state.steps.length ? "Showing the last run that worked." : "Nothing has run yet: fix it in the editors below to see the transfer.";
      errorBox.textContent = `This scenario cannot run: ${err.message}${err.code ? ` (${err.code}${err.field ? `, field ${err.field}` : ""})` : ""}. ${shown}`;
      if (fromEditor) editors.refresh();
      else editors.show();
      picker.show(state.entryId, state.edited, undefined, concealed());
      return false;
    }
    errorBox.hidden = true;
    state.error = null;
    if (entryId !== undefined) state.entryId = entryId;
    const entry = catalogue.find((c) => c.id === state.entryId);
    state.edited = entry ? JSON.stringify(entry.scenario) !== JSON.stringify(scenario) : false;
    state.scenario = scenario;
    state.steps = run.steps;
    state.outcome = run.outcome;
    state.explanation = run.explanation;
    state.warnings = run.warnings;
    const n = run.steps.length;
    state.index = Math.max(0, Math.min(n - 1, index ?? (keepIndex ? state.index : 0)));
    if (state.training) {
      state.revealed = state.index;
      training.start();
    } else {
      state.revealed = state.lesson ? state.index : n - 1;
    }
    const aob = readAnswerOnBridge(scenario.initialTwiml);
    aobToggle.checked = aob === true;
    aobToggle.disabled = aob === null;
    ladder.build(run.steps, scenario);
    compare.render(scenario);
    if (fromEditor) editors.refresh();
    else editors.show();
    renderStep();
    return true;
  }

  function loadEntry(entry) {
    setPlaying(false);
    load(copy(entry.scenario), { entryId: entry.id, index: 0 });
  }

  /** Open a cell of the outcome table at the moment it describes (read from the timeline's step kinds). */
  function openCell(cell) {
    loadEntry(cell.entry);
    const i = cellMoment(cell, state.steps);
    momentNote.hidden = false;
    momentNote.textContent = `Outcome table cell “${cell.row.situation}”, ${columnWords(cell.aob)}: showing ${cell.row.moment} (step ${i + 1}). The vendor: “${cell.vendor}”.`;
    if (state.training) state.revealed = Math.max(state.revealed, i);
    go(i);
    $("playground").scrollIntoView({ block: "start" });
    $("stepper").focus({ preventScroll: true });
  }

  function openShared(shared) {
    setPlaying(false);
    const entryId = shared.id && catalogue.some((c) => c.id === shared.id) ? shared.id : null;
    load(shared.scenario, { entryId, index: shared.step ?? 0 });
  }

  /**
   * Open a random round's link (`#round=SEED`): the free quiz on, the round from its first
   * scenario; a seed out of range opens the first scenario and says why.
   */
  function openRound(seed) {
    if (!(seed >= 1 && seed <= MAX_ROUND_SEED)) {
      if (!state.scenario) loadEntry(catalogue[0]);
      errorBox.hidden = false;
      errorBox.textContent = `The round link's seed ${seed} is not a round: seeds run from 1 to ${MAX_ROUND_SEED.toLocaleString("en-US")}. Showing the first scenario instead.`;
      return;
    }
    if (state.lesson) setLesson(false);
    setPlaying(false);
    trainingToggle.checked = true;
    state.training = true;
    training.startRound(seed);
  }

  const shared = readShared();
  if (shared.round !== undefined) {
    openRound(shared.round);
  } else if (shared.error) {
    loadEntry(catalogue[0]);
    errorBox.hidden = false;
    errorBox.textContent = `The shared link could not be read (${shared.error}); showing the first scenario instead.`;
  } else if (shared.value) {
    openShared(shared.value);
  } else {
    loadEntry(catalogue[0]);
  }
  window.addEventListener("hashchange", () => {
    const again = readShared();
    if (again.round !== undefined) openRound(again.round);
    else if (again.value && !again.fromSelf) openShared(again.value);
    else if (again.error) {
      errorBox.hidden = false;
      errorBox.textContent = `The shared link could not be read (${again.error}); nothing changed.`;
    }
  });

  // The printed handout is built once, after the page is up (ten timelines and ladders).
  setTimeout(() => buildHandout($("handout"), grid.cells), 0);
  // Printing the page prints the handout (the print stylesheet shows only it); the button says so.
  $("print-handout").addEventListener("click", () => window.print());

  // Test hook: lets the end-to-end tests time a render and read the state.
  window.__playground = { state, go, renderStep, renderTimes, cells: grid.cells, lesson };
  return { state, go };
}
