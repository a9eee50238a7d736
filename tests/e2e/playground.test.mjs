// The playground driven in headless Chromium as a user would: the outcome table's
// ten cells played step by step through the picker and the step controls, the leg
// lanes asserted at the key steps, answerOnBridge side by side, share links, the
// editors' diagnostics, training mode, the ladder and its exports, and load/render
// timings (printed; only generous bounds asserted).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { openPlayground, SCREENSHOTS } from "./harness.mjs";

/** A viewport-sized screenshot of `selector` scrolled to the top (easier to read than full pages). */
async function viewShot(page, name, selector) {
  if (selector) await page.$eval(selector, (n) => n.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname });
}

/** The lanes as { label: { status, bridged, hold } }. */
async function lanes(page, root = "#lanes") {
  const list = await page.$$eval(`${root} li.lane[data-leg]`, (ns) => ns.map((n) => [n.dataset.label, { status: n.dataset.status, bridged: n.dataset.bridged, hold: n.dataset.hold === "true", text: n.textContent }]));
  return Object.fromEntries(list);
}

const stepIndex = (page) => page.evaluate(() => Number(document.body.dataset.step));
const stepKind = (page) => page.evaluate(() => document.body.dataset.kind);
// The scenario's last step (the scrubber's end is the last step reached while the future is hidden).
const lastIndex = (page) => page.evaluate(() => window.__playground.state.steps.length - 1);

async function pick(page, id) {
  await page.selectOption("#scenario-picker", id);
  await page.waitForFunction(() => document.body.dataset.step === "0");
}

/** Step to the end with → (keyboard) or the Next button, calling `onStep(index, kind)` at every step. */
async function playToEnd(page, { keyboard, onStep }) {
  const last = await lastIndex(page);
  if (keyboard) await page.focus("#stepper");
  await onStep?.(0, await stepKind(page));
  for (let i = 1; i <= last; i++) {
    if (keyboard) await page.keyboard.press("ArrowRight");
    else await page.click("#btn-next");
    assert.equal(await stepIndex(page), i, "one step per press");
    await onStep?.(i, await stepKind(page));
  }
  assert.ok(await page.isDisabled("#btn-next"), "Next is disabled at the end");
}

// The vendor's outcome table, cell by cell: what the legs look like right after the
// referUrl webhook and at the end (label → [status, bridged-with label or ""]).
const CELLS = [
  { id: "webhook-executed-aob-true", aob: true, end: { UserA: ["in-progress", "AgentB"], AgentA: ["completed", ""], AgentB: ["in-progress", "UserA"] }, summary: /UserA and AgentB are connected/ },
  { id: "webhook-executed-aob-false", aob: false, end: { UserA: ["in-progress", "AgentB"], AgentA: ["completed", ""], AgentB: ["in-progress", "UserA"] }, summary: /UserA and AgentB are connected/ },
  { id: "agentb-answers-aob-true", aob: true, end: { UserA: ["in-progress", "AgentB"], AgentA: ["completed", ""], AgentB: ["in-progress", "UserA"] }, summary: /UserA and AgentB are connected/ },
  { id: "agentb-answers-aob-false", aob: false, end: { UserA: ["in-progress", "AgentB"], AgentA: ["completed", ""], AgentB: ["in-progress", "UserA"] }, summary: /UserA and AgentB are connected/ },
  { id: "agentb-no-answer-aob-true", aob: true, end: { UserA: ["in-progress", "AgentA"], AgentA: ["in-progress", "UserA"], AgentB: ["no-answer", ""] }, summary: /re-established/ },
  { id: "agentb-no-answer-aob-false", aob: false, end: { UserA: ["completed", ""], AgentA: ["completed", ""], AgentB: ["no-answer", ""] }, summary: /nobody is connected/ },
  { id: "refer-url-unreachable-aob-true", aob: true, end: { UserA: ["in-progress", "AgentA"], AgentA: ["in-progress", "UserA"] }, summary: /re-established/, alert: "11205" },
  { id: "refer-url-unreachable-aob-false", aob: false, end: { UserA: ["completed", ""], AgentA: ["completed", ""] }, alert: "11205" },
  { id: "refer-url-absent-aob-true", aob: true, noWebhook: true, end: { UserA: ["in-progress", "AgentA"], AgentA: ["in-progress", "UserA"] }, alert: "13802" },
  { id: "refer-url-absent-aob-false", aob: false, noWebhook: true, end: { UserA: ["in-progress", "AgentA"], AgentA: ["in-progress", "UserA"] }, alert: "13802" },
];

test("the outcome table's ten cells play through the UI and the lanes match the vendor's table", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    const groups = await page.$$eval("#scenario-picker optgroup", (gs) => gs.map((g) => [g.label, g.children.length]));
    assert.deepEqual(groups.map(([g]) => g), ["The outcome table", "Preconditions: REFER refused", "Variations", "Webhook limits", "<Refer>: Twilio sends REFER", "Callbacks around a transfer"]);
    assert.equal(groups[0][1], 10);
    assert.equal(groups.reduce((n, [, c]) => n + c, 0), 42);
    await viewShot(page, "playground-default");

    for (const [n, cell] of CELLS.entries()) {
      await pick(page, cell.id);
      assert.equal(await page.isChecked("#aob-toggle"), cell.aob, `${cell.id}: the toggle reflects the TwiML`);
      const seen = [];
      await playToEnd(page, {
        keyboard: n % 2 === 0,
        onStep: async (i, kind) => {
          seen.push({ i, kind, clock: await page.textContent("#clock"), lanes: await lanes(page), narration: await page.textContent("#narration"), badge: await page.textContent("#narration .badge") });
        },
      });
      for (const s of seen) assert.match(s.badge, /^(documented|RFC|assumed)$/, `${cell.id} step ${s.i} has a provenance badge`);
      const w = seen.findIndex((s) => s.kind === "webhook-fetched" || s.kind === "webhook-failed");
      if (cell.noWebhook) {
        assert.equal(w, -1, `${cell.id}: no webhook`);
      } else {
        assert.ok(w > 0, `${cell.id}: a webhook step`);
        // "Right after the webhook": the last step at the same simulated instant.
        let a = w;
        while (a + 1 < seen.length && seen[a + 1].clock === seen[w].clock) a++;
        const at = seen[w].lanes;
        const after = seen[a].lanes;
        if (cell.aob) {
          // answerOnBridge true: the initial call is still connected while the referUrl TwiML runs.
          for (const s of [at, after]) {
            assert.equal(s.AgentA.status, "in-progress", `${cell.id}: AgentA in-progress after the webhook`);
            assert.equal(s.AgentA.bridged, "UserA", `${cell.id}: AgentA still bridged with UserA`);
            assert.match(s.AgentA.text, /bridged with UserA/);
          }
        } else {
          // answerOnBridge false/absent: AgentA is disconnected right after the webhook.
          assert.equal(after.AgentA.bridged, "", `${cell.id}: AgentA unbridged right after the webhook`);
          assert.equal(after.UserA.bridged, "", `${cell.id}: UserA no longer with AgentA`);
          assert.match(after.AgentA.text, /not bridged|completed/);
          assert.ok(seen.slice(a).every((s) => s.lanes.UserA.bridged !== "AgentA"), `${cell.id}: the initial call never comes back`);
        }
      }
      const end = seen.at(-1).lanes;
      for (const [label, [status, bridged]] of Object.entries(cell.end)) {
        assert.equal(end[label]?.status, status, `${cell.id}: final ${label} status`);
        assert.equal(end[label]?.bridged, bridged, `${cell.id}: final ${label} bridged with`);
      }
      if (cell.summary) assert.match(await page.textContent("#outcome"), cell.summary);
      if (cell.alert) assert.ok(seen.some((s) => s.narration.includes(cell.alert)), `${cell.id}: alert ${cell.alert} shown`);
      if (cell.id === "agentb-answers-aob-false") {
        // A mid-transfer step: AgentB ringing, AgentA already gone.
        await page.click("#btn-restart");
        const ringing = seen.findIndex((s) => s.lanes.AgentB?.status === "ringing");
        for (let i = 0; i < ringing; i++) await page.click("#btn-next");
        assert.equal((await lanes(page)).AgentB.status, "ringing");
        await viewShot(page, "playground-mid-transfer");
      }
    }
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("flipping answerOnBridge re-runs the scenario and the comparison shows both outcomes", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await pick(page, "agentb-no-answer-aob-true");
    const t = await lanes(page, '#compare-body [data-aob="true"] ol[data-moment="end"]');
    const f = await lanes(page, '#compare-body [data-aob="false"] ol[data-moment="end"]');
    assert.equal(t.UserA.bridged, "AgentA", "true: the initial call is re-established");
    assert.equal(f.UserA.status, "completed", "false: UserA is disconnected");
    assert.match(await page.textContent('#compare-body [data-aob="true"] .cmp-summary'), /re-established/);
    assert.match(await page.textContent("#compare-diff"), /AgentA/);
    assert.equal(await page.getAttribute('#compare-body [data-aob="true"]', "class"), "cmp-col current");

    await page.uncheck("#aob-toggle");
    await page.waitForFunction(() => document.querySelector('#compare-body [data-aob="false"]').classList.contains("current"));
    assert.doesNotMatch(await page.inputValue("#ed-initial"), /answerOnBridge/, "the attribute is removed from the TwiML");
    assert.equal(await page.inputValue("#scenario-picker"), "agentb-no-answer-aob-false", "the matching catalogue cell");
    assert.doesNotMatch(await page.textContent("#scenario-group"), /edited/);
    await page.click("#btn-last");
    const end = await lanes(page);
    assert.equal(end.UserA.status, "completed", "the main lanes follow the toggle");
    assert.match(await page.textContent("#outcome"), /nobody is connected/);
    await page.$eval("#compare", (n) => n.scrollIntoView({ block: "start" }));
    await pg.shot("comparison-full");
    await viewShot(page, "comparison", "#compare");

    await page.check("#aob-toggle");
    await page.waitForFunction(() => document.querySelector('#compare-body [data-aob="true"]').classList.contains("current"));
    assert.match(await page.inputValue("#ed-initial"), /answerOnBridge="true"/);
    assert.doesNotMatch(await page.textContent("#scenario-group"), /edited/, "back to the catalogue's text");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("a share link reproduces the scenario, its edits and the current step in a fresh page", async () => {
  const pg = await openPlayground();
  let other;
  try {
    const { page } = pg;
    await pick(page, "agentb-busy-aob-false");
    await page.fill("#ed-referto", "<sip:AgentB@example.sip.twilio.com?X-Note=shared>");
    await page.waitForFunction(() => /edited/.test(document.getElementById("scenario-group").textContent));
    await page.focus("#stepper");
    for (let i = 0; i < 9; i++) await page.keyboard.press("ArrowRight");
    assert.equal(await stepIndex(page), 9);
    const narration = await page.textContent("#narration");
    await page.click("#share-make");
    const link = await page.inputValue("#share-link");
    assert.match(link, /#s=[A-Za-z0-9_-]+$/);

    other = await openPlayground({ path: link.slice(link.indexOf("#")) });
    const p2 = other.page;
    assert.equal(await stepIndex(p2), 9, "same step");
    assert.equal(await p2.textContent("#narration"), narration, "same narration");
    assert.equal(await p2.inputValue("#scenario-picker"), "agentb-busy-aob-false");
    assert.match(await p2.textContent("#scenario-group"), /edited/);
    assert.equal(await p2.inputValue("#ed-referto"), "<sip:AgentB@example.sip.twilio.com?X-Note=shared>");
    assert.deepEqual(await lanes(p2), await lanes(page), "same lanes");

    // A broken link says so and falls back to the first scenario.
    // Each link is loaded from a blank page: a hash-only goto plus reload raced the page's own
    // rewrite of its hash (120 ms after the previous load) and could reload a valid link.
    await p2.goto("about:blank");
    await p2.goto(`${other.url}#s=%%%`);
    await p2.waitForSelector("body[data-ready=true]");
    assert.equal(await p2.isVisible("#scenario-error"), false, "a hash that is not ours is ignored");
    await p2.goto("about:blank");
    await p2.goto(`${other.url}#s=bm90IGpzb24`);
    await p2.waitForSelector("body[data-ready=true]");
    assert.match(await p2.textContent("#scenario-error"), /shared link could not be read/);
    assert.deepEqual(pg.problems, []);
    assert.deepEqual(other.problems, []);
  } finally {
    await pg.close();
    await other?.close();
  }
});

test("the scenario round-trips through a JSON file", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await pick(page, "refer-method-get");
    await page.click("#btn-next");
    await page.click("#btn-next");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-json")]);
    const text = await readFile(await download.path(), "utf8");
    const saved = JSON.parse(text);
    assert.equal(saved.id, "refer-method-get");
    assert.equal(saved.step, 2);
    assert.match(saved.scenario.initialTwiml, /referMethod="GET"/);

    await pick(page, "conference");
    saved.step = 5;
    await page.setInputFiles("#import-json", { name: "mine.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(saved)) });
    await page.waitForFunction(() => document.body.dataset.step === "5");
    assert.equal(await page.inputValue("#scenario-picker"), "refer-method-get");
    assert.match(await page.textContent("#share-status"), /Opened mine\.json/);

    await page.setInputFiles("#import-json", { name: "bad.json", mimeType: "application/json", buffer: Buffer.from("{ nope") });
    await page.waitForFunction(() => /Could not open bad\.json/.test(document.getElementById("share-status").textContent));
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("editing the TwiML and the Refer-To into errors shows the diagnostics at their line and column", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await pick(page, "agentb-answers-aob-true");
    const broken = '<Response>\n  <Dial answerOnBridge="true" referUrl="https://example.com/handler">\n    <Sip>sip:AgentA@example.sip.twilio.com</Sip>\n</Response>';
    await page.fill("#ed-initial", broken);
    const diag = await page.waitForSelector('#ed-initial-diags li[data-code="xml_malformed"]');
    assert.equal(await diag.getAttribute("data-line"), "4");
    assert.match(await diag.textContent(), /line 4, column 1/);
    assert.match(await diag.$eval("pre.caret", (n) => n.textContent), /^<\/Response>\n\^$/);
    assert.equal(await page.getAttribute("#ed-initial", "aria-invalid"), "true");
    await page.waitForSelector("#scenario-error:not([hidden])");
    assert.match(await page.textContent("#scenario-error"), /cannot run/);
    await diag.$eval("button.loc", (b) => b.click());
    assert.equal(await page.evaluate(() => document.activeElement.id), "ed-initial");

    await page.fill("#ed-referto", "<sip:AgentB@exa mple.com>");
    const err = await page.waitForSelector("#ed-referto-error .error");
    assert.ok((await err.getAttribute("data-code")).length > 2);
    assert.match(await err.textContent(), /at byte 15/);
    assert.match(await err.$eval("pre", (n) => n.textContent), /^<sip:AgentB@exa mple\.com>\n {15}\^$/);

    // A TwiML without referUrl: a warning of the transfer check, with the vendor's code.
    await page.fill("#ed-app-twiml", "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial>");
    await page.waitForSelector("#ed-app-diags li.sev-error");
    await page.$eval("#editors", (n) => n.scrollIntoView({ block: "start" }));
    await pg.shot("editors-error-full");
    await viewShot(page, "editors-error", "#editors");

    // Fixing the TwiML runs the simulation again (debounced), with the edit.
    await page.fill("#ed-initial", '<Response>\n  <Dial referUrl="https://example.com/handler">\n    <Sip>sip:AgentA@example.sip.twilio.com</Sip>\n  </Dial>\n</Response>');
    await page.fill("#ed-referto", "<sip:AgentB@example.sip.twilio.com>");
    await page.fill("#ed-app-twiml", "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>");
    await page.waitForFunction(() => document.getElementById("scenario-error").hidden);
    await page.waitForFunction(() => !document.getElementById("aob-toggle").checked);
    assert.equal(await page.$$eval('#ed-initial-diags li.sev-error', (n) => n.length), 0);
    assert.match(await page.textContent("#ed-initial-diags"), /answer_on_bridge_absent/, "the info finding about the default");

    // The target's behaviour: AgentB busy → the outcome follows.
    await page.selectOption("#ed-ep-1-answer", "busy");
    await page.waitForFunction(() => /busy/.test(document.querySelector('#compare-body [data-aob="false"]').textContent));
    await page.click("#btn-last");
    assert.equal((await lanes(page)).AgentB.status, "busy");

    // Markup typed into the editors is text, never HTML.
    await page.fill("#ed-referto", '"<img src=x onerror=window.__pwned=1>" <sip:a@b c>');
    await page.fill("#ed-initial", "<Response><img src=x onerror=window.__pwned=1></Response>");
    await page.waitForTimeout(400);
    assert.equal(await page.$$eval("#playground img, #editors img, #compare img", (n) => n.length), 0);
    assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("training mode asks what happens next and scores the answers", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await pick(page, "agentb-no-answer-aob-false");
    await page.check("#training-toggle");
    await page.waitForSelector("#training:not([hidden])");
    // Future arrows are hidden in training mode.
    assert.ok(await page.$$eval("#ladder g.row.hidden", (n) => n.length) > 0);
    let asked = 0;
    let right = 0;
    let shot = false;
    const last = await lastIndex(page);
    for (let guard = 0; guard < 200 && (await stepIndex(page)) < last; guard++) {
      await page.click("#btn-next");
      const q = await page.$("#training .choices");
      if (!q) continue;
      const before = await stepIndex(page);
      const target = Number(await page.getAttribute("#training-q", "data-step"));
      const choices = await page.$$eval("#training .choices button", (bs) => bs.map((b) => ({ text: b.textContent, correct: b.dataset.correct === "true" })));
      // Two choices when only two things can happen (UserA alone on the line: hung up or not).
      assert.ok(choices.length >= 2, "at least two choices");
      assert.equal(choices.filter((c) => c.correct).length, 1, "exactly one right answer");
      if (!shot) {
        await viewShot(page, "training", "#playground");
        shot = true;
      }
      // Answer right on even questions, wrong on odd ones.
      const pickRight = asked % 2 === 0;
      const index = choices.findIndex((c) => c.correct === pickRight);
      await page.click(`#training .choices button:nth-child(${index + 1})`);
      asked += 1;
      if (pickRight) right += 1;
      // The step asked about: the next one, or a later one of the same instant (its first steps announce it).
      assert.ok(target > before, "the question is about a step not shown yet");
      const through = await page.evaluate((t) => { const s = window.__playground.state.steps; let j = t; while (j + 1 < s.length && s[j + 1].atMs === s[t].atMs) j++; return j; }, target);
      assert.equal(await stepIndex(page), through, "answering reveals the step's whole instant (one answer set: quiz_fair.test.mjs)");
      assert.match(await page.textContent("#training-feedback"), pickRight ? /Right/ : /Not quite/);
      assert.match(await page.textContent("#training-score"), new RegExp(`${right} / ${asked}`));
    }
    assert.ok(asked >= 3, `asked ${asked} questions`);
    assert.match(await page.textContent("#training-score"), new RegExp(`Final score: ${right} / ${asked}`));
    await pg.shot("training-full");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("the ladder shows each message on click or with the keyboard, and exports SVG and Mermaid", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await pick(page, "agentb-answers-aob-true");
    const heads = await page.$$eval("#ladder .ladder-head-svg text", (t) => t.map((x) => x.textContent));
    for (const col of ["UserA", "Twilio", "AgentA", "AgentB", "App"]) assert.ok(heads.includes(col), `column ${col}`);
    const labels = await page.$$eval("#ladder g.row", (g) => g.map((x) => x.dataset.label));
    for (const m of ["INVITE", "200 OK", "ACK", "REFER", "202 Accepted", "NOTIFY", "BYE", "POST referUrl", "HTTP 200 TwiML"]) assert.ok(labels.includes(m), `arrow ${m}`);
    assert.ok(labels.filter((l) => l === "NOTIFY").length >= 2, "progress and final NOTIFY");
    assert.match(await page.textContent("#ladder"), /sipfrag: SIP\/2\.0 100 Trying/);
    assert.match(await page.textContent("#ladder"), /sipfrag: SIP\/2\.0 200 OK/);

    await page.click('#ladder g.row[data-label="REFER"]');
    const refer = await page.textContent("#detail-text");
    assert.match(refer, /^REFER sip:/);
    assert.match(refer, /\nRefer-To: <sip:AgentB@example\.sip\.twilio\.com>/);
    assert.match(refer, /\nCSeq: \d+ REFER/);

    await page.focus('#ladder g.row[data-label="POST referUrl"]');
    await page.keyboard.press("Enter");
    const http = await page.textContent("#detail-text");
    assert.match(http, /^POST \/handler HTTP\/1\.1\nHost: example\.com/);
    assert.match(http, /ReferTransferTarget=%3Csip%3AAgentB/);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press(" ");
    assert.match(await page.textContent("#detail-text"), /^HTTP\/1\.1 200 OK/);
    assert.equal(await page.$$eval("#detail-text *", (n) => n.length), 0, "the message is text in a <pre>");

    // The current step is highlighted.
    await page.focus("#stepper");
    await page.keyboard.press("End");
    const current = await page.$$eval("#ladder g.row.current", (g) => g.map((x) => x.dataset.step));
    assert.ok(current.length >= 1 && current.every((s) => s === String(current[0])));

    await page.click("#export-mermaid");
    const mmd = await page.inputValue("#mermaid-text");
    assert.match(mmd, /^sequenceDiagram\n/);
    assert.match(mmd, /REFER/);
    assert.match(mmd, /participant p_caller as UserA/);
    assert.match(mmd, /p_transferor->>p_twilio: 20\.000 s · REFER/);
    assert.match(mmd, /NOTIFY \(sipfrag: SIP\/2\.0 200 OK\)/);
    assert.doesNotMatch(mmd.replace(/-->>|->>|--x/g, ""), /[<>]/, "angle brackets escaped for Mermaid");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-svg")]);
    assert.match(download.suggestedFilename(), /\.svg$/);
    const svgText = await readFile(await download.path(), "utf8");
    assert.match(svgText, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svgText, />REFER</);
    assert.match(svgText, />UserA</);
    assert.doesNotMatch(svgText, /style=/);
    const [mmdFile] = await Promise.all([page.waitForEvent("download"), page.click("#download-mermaid")]);
    assert.match(await readFile(await mmdFile.path(), "utf8"), /^sequenceDiagram/);
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("keyboard only: shortcuts, play/pause, labelled controls and a visible focus", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    assert.equal(await stepIndex(page), 2);
    await page.keyboard.press("ArrowLeft");
    assert.equal(await stepIndex(page), 1);
    await page.keyboard.press("End");
    assert.equal(await stepIndex(page), await lastIndex(page));
    await page.keyboard.press("Home");
    assert.equal(await stepIndex(page), 0);
    await page.keyboard.press(" ");
    await page.waitForFunction(() => Number(document.body.dataset.step) >= 2, null, { timeout: 5000 });
    assert.match(await page.textContent("#btn-play"), /Pause/);
    await page.keyboard.press(" ");
    const stopped = await stepIndex(page);
    await page.waitForTimeout(1200);
    assert.equal(await stepIndex(page), stopped, "paused");

    // Arrows typed in a text field edit the text, not the step.
    await page.focus("#ed-referto");
    await page.keyboard.press("ArrowRight");
    assert.equal(await stepIndex(page), stopped);

    // Every form control has an accessible name.
    const unlabelled = await page.$$eval("input, select, textarea, button", (ns) => ns
      .filter((n) => !(n.labels?.length || n.getAttribute("aria-label") || n.getAttribute("aria-labelledby") || n.textContent.trim()))
      .map((n) => n.outerHTML.slice(0, 80)));
    assert.deepEqual(unlabelled, []);

    // Tab reaches the step controls, and the focus is drawn.
    await page.focus("#scenario-picker");
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press("Tab");
      if (await page.evaluate(() => document.activeElement.id === "btn-next")) break;
    }
    assert.equal(await page.evaluate(() => document.activeElement.id), "btn-next");
    const outline = await page.$eval("#btn-next", (b) => getComputedStyle(b).outlineStyle);
    assert.notEqual(outline, "none", "visible focus");
    await page.keyboard.press("Enter");
    assert.equal(await stepIndex(page), stopped + 1);

    // No horizontal scrolling at 1280x720.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), "no layout break at 1280 wide");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});

test("timings: page load and per-step render for every catalogue scenario (printed)", async () => {
  const pg = await openPlayground();
  try {
    const { page } = pg;
    // A fresh navigation, timed by the browser.
    await page.reload();
    await page.waitForSelector("body[data-ready=true]");
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType("navigation")[0];
      return { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, ready: Number(document.body.dataset.readyMs) };
    });
    console.log(`load: DOMContentLoaded ${nav.domContentLoaded.toFixed(1)} ms, load event ${nav.load.toFixed(1)} ms, playground ready ${nav.ready} ms`);
    assert.ok(nav.ready > 0 && nav.ready < 5000, `ready in ${nav.ready} ms (< 5 s)`);

    const ids = await page.$$eval("#scenario-picker option[value]:not([value=''])", (o) => o.map((x) => x.value));
    const all = [];
    const perScenario = [];
    for (const id of ids) {
      await pick(page, id);
      const times = await page.evaluate(() => {
        const pgx = window.__playground;
        const out = [];
        for (let i = 1; i < pgx.state.steps.length; i++) {
          const t0 = performance.now();
          pgx.go(i);
          out.push(performance.now() - t0);
        }
        return out;
      });
      all.push(...times);
      perScenario.push([id, Math.max(...times)]);
    }
    all.sort((a, b) => a - b);
    const q = (p) => all[Math.min(all.length - 1, Math.floor(p * all.length))];
    console.log(`per-step render over ${ids.length} scenarios, ${all.length} steps: median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${all.at(-1).toFixed(2)} ms (budget: one frame, 16 ms)`);
    const worst = perScenario.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id, t]) => `${id} ${t.toFixed(2)} ms`).join(", ");
    console.log(`slowest scenarios (max step): ${worst}`);
    assert.ok(ids.length === 42);
    assert.ok(q(0.5) < 50, "median step render well under 50 ms");
    assert.ok(all.at(-1) < 250, "no step takes a quarter of a second");
    assert.deepEqual(pg.problems, []);
  } finally {
    await pg.close();
  }
});
