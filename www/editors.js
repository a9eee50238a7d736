// Scenario editors: the initial TwiML, the referUrl application's answer (status,
// latency, unreachable, Content-Type, body), the Refer-To of the REFER and each endpoint's
// behaviour. Diagnostics from the module's checkTransfer / parseReferTo show inline
// at their line and column (with a caret under the spot). The editors hold no copy of
// the scenario: they read the page's one scenario (`hooks.scenario()`) and write every
// edit into it at once (`hooks.edit(fn)`), so whatever reads it next (a share link, a
// download, the address bar) has the edit; the diagnostics follow the run the edit starts
// (`refresh()`), and read from it how the module took the answer's body (`hooks.answer`).
import { checkTransfer, parseReferTo } from "/pkg/index.js";
import { el, clear, badge, byteToCharIndex, byteIndexer, caretPre } from "./dom.js";
import { firstDial } from "./compare.js";

/** At most this many diagnostics are drawn; the rest are counted (10,000 on one line once crashed the tab). */
const MAX_SHOWN = 100;

/** Render diagnostics (module shape) for `text` into `list`; clicking a location selects it in `area`. */
function renderDiagnostics(list, area, text, diags) {
  clear(list);
  const shown = diags.slice(0, MAX_SHOWN);
  const charAt = byteIndexer(text);
  for (const d of shown) {
    const idx = charAt(d.span?.start ?? 0);
    const loc = el("button", { cls: "loc", text: `line ${d.line}, column ${d.column}`, attrs: { type: "button", title: "Show this spot in the editor" } });
    loc.addEventListener("click", () => {
      area.focus();
      area.setSelectionRange(idx, Math.max(idx, byteToCharIndex(text, d.span?.end ?? 0)));
    });
    list.append(el("li", { cls: `diag sev-${d.severity}`, attrs: { "data-code": d.code, "data-line": String(d.line), "data-column": String(d.column) } },
      el("div", { cls: "diag-head" },
        el("span", { cls: `sev sev-${d.severity}`, text: d.severity }), " ", loc, " ",
        el("span", { cls: "code", text: d.code }), d.vendorCode ? el("span", { cls: "vendor", text: ` (${d.vendorCode})` }) : null, " ",
        d.provenance ? badge(d.provenance) : null),
      el("p", { cls: "diag-msg", text: d.message }),
      caretPre(text, idx, { tabindex: "0", "aria-label": `Line ${d.line}, column ${d.column}` })));
  }
  if (diags.length > shown.length) list.append(el("li", { cls: "diag more", text: `… and ${diags.length - shown.length} more diagnostics not shown (the first ${shown.length} are above).` }));
  list.hidden = shown.length === 0;
  area.setAttribute("aria-invalid", String(shown.some((d) => d.severity === "error")));
}

/** What the answer's body is to Twilio, by the `media` the run's step records (src/transfer/fetch.rs, `Media::of`). */
const READ_AS = {
  twiml: "Twilio runs the body as TwiML (checked below)",
  audio: "an audio file: Twilio plays it to the caller, then hangs up. The body is not checked as TwiML",
  text: "Twilio reads the text out to the caller, then hangs up. The body is not checked as TwiML",
  refused: "Twilio cannot use this type (error 12300): the body is not read",
};

/** The editor's words for how the run took an answer: its stated type, the module's reading, and the alerts of its step. */
function readingOf(step) {
  const type = step.response.contentType === undefined ? "text/xml (no type stated: the default)" : step.response.contentType === null ? "no Content-Type header" : step.response.contentType;
  const alerts = step.response.media && step.response.media !== "twiml" ? step.alerts.map((a) => ` Alert ${a.code}: ${a.message}.`).join("") : "";
  return `As the simulation read it (${type}): ${READ_AS[step.response.media ?? "twiml"] ?? step.response.media}.${alerts}`;
}

/**
 * Mount the editors in `root`. hooks = { scenario() (the page's scenario, read-only here),
 * edit(fn) (apply `fn(scenario)` to it now), answer(url) (the step of the last run that received
 * the answer from `url`, or null: none did, or the scenario does not run) }.
 * Returns { show() (fill the fields from the scenario), refresh() (the diagnostics, after a run) }.
 */
export function mountEditors(root, hooks) {
  const current = () => hooks.scenario();

  const field = (label, input, hint) => el("div", { cls: "field" }, el("label", { text: label, attrs: { for: input.id } }), input, hint ?? null);
  const num = (id, min, max, step = 1) => el("input", { attrs: { type: "number", id, min: String(min), max: String(max), step: String(step) } });
  /**
   * The milliseconds a seconds field holds, or null (and the field says its range, in seconds)
   * when it is empty or outside its range: the scenario keeps its last good value. A typed -3
   * reached the core as -3000 and its error named the milliseconds ("integer `-3000`").
   */
  const ms = (input) => {
    const v = Number(input.value);
    const ok = input.value !== "" && v >= Number(input.min) && v <= Number(input.max);
    input.setCustomValidity(ok || input.value === "" ? "" : `${input.min} to ${input.max} seconds`);
    if (!ok && input.value !== "") input.reportValidity();
    return ok ? Math.round(v * 1000) : null;
  };
  const check = (id, text) => {
    const input = el("input", { attrs: { type: "checkbox", id } });
    return [input, el("label", { cls: "check", attrs: { for: id } }, input, el("span", { text }))];
  };

  // Initial TwiML
  const initial = el("textarea", { attrs: { id: "ed-initial", rows: "7", spellcheck: "false", "aria-describedby": "ed-initial-diags" } });
  const initialDiags = el("ul", { cls: "diags", attrs: { id: "ed-initial-diags", "aria-live": "polite" } });

  // REFER
  const referTo = el("textarea", { attrs: { id: "ed-referto", rows: "2", spellcheck: "false", "aria-describedby": "ed-referto-error" } });
  const referToError = el("div", { cls: "referto-result", attrs: { id: "ed-referto-error", "aria-live": "polite" } });
  const referAt = num("ed-refer-at", 0, 3600, 0.5);
  const [referSub, referSubLabel] = check("ed-refer-sub", "Refer-Sub: true (NOTIFYs wanted)");
  const [enhanced, enhancedLabel] = check("ed-enhanced", "Enhanced Programmable SIP Features enabled");
  const referFrom = el("select", { attrs: { id: "ed-refer-from" } },
    el("option", { text: "the transferor leg (AgentA)", attrs: { value: "transferor" } }),
    el("option", { text: "UserA, a SIP phone that called in (inbound leg)", attrs: { value: "caller" } }));

  // Application
  const appUrl = el("p", { cls: "app-url", attrs: { id: "ed-app-url" } });
  const appStatus = num("ed-app-status", 100, 599);
  const appLatency = num("ed-app-latency", 0, 60000, 10);
  const [appUnreachable, appUnreachableLabel] = check("ed-app-unreachable", "Unreachable (connection fails)");
  // The Content-Type the answer states: empty is the default (text/xml, no `contentType`); the
  // box is no header at all (`contentType: null`, error 12300). The suggestions are the types
  // Twilio's "Your Response" page names; any other can be typed.
  const appType = el("input", { attrs: { type: "text", id: "ed-app-type", list: "ed-app-types", spellcheck: "false", autocomplete: "off", placeholder: "text/xml (the default)", "aria-describedby": "ed-app-read" } });
  const appTypes = el("datalist", { attrs: { id: "ed-app-types" } },
    ...["text/xml", "application/xml", "text/html", "audio/mpeg", "audio/wav", "text/plain"].map((t) => el("option", { attrs: { value: t } })));
  const [appNoType, appNoTypeLabel] = check("ed-app-no-type", "Sends no Content-Type header");
  const appRead = el("p", { cls: "app-read hint", attrs: { id: "ed-app-read", "aria-live": "polite" } });
  const appTwiml = el("textarea", { attrs: { id: "ed-app-twiml", rows: "5", spellcheck: "false", "aria-describedby": "ed-app-read ed-app-diags" } });
  const appDiags = el("ul", { cls: "diags", attrs: { id: "ed-app-diags", "aria-live": "polite" } });

  // Endpoints
  const endpointsBox = el("div", { cls: "endpoints", attrs: { id: "ed-endpoints" } });

  clear(root);
  root.append(el("div", { cls: "ed-grid" },
    el("div", { cls: "ed-col" },
      el("h3", { text: "Initial TwiML (the call's first document)" }),
      field("Initial TwiML", initial), initialDiags,
      el("h3", { text: "The REFER" }),
      field("Refer-To header (one per line; two lines = two headers)", referTo), referToError,
      el("div", { cls: "inline-fields" }, field("REFER sent at (s)", referAt), field("Sent by", referFrom)),
      referSubLabel, enhancedLabel),
    el("div", { cls: "ed-col" },
      el("h3", { text: "The referUrl application's answer" }),
      appUrl,
      el("div", { cls: "inline-fields" }, field("HTTP status", appStatus), field("Latency (ms)", appLatency)),
      appUnreachableLabel,
      el("div", { cls: "inline-fields" }, field("Content-Type it sends", appType), appNoTypeLabel), appTypes,
      field("Body it returns (TwiML, unless its Content-Type says otherwise)", appTwiml), appRead, appDiags,
      el("h3", { text: "Endpoints (the parties Twilio calls)" }),
      el("p", { cls: "hint", text: "An address not listed answers after 2 s." }),
      endpointsBox)));

  /** The referUrl of the initial <Dial> (null when absent or unparsable). */
  function referUrl() {
    return firstDial(current().initialTwiml)?.referUrl ?? null;
  }
  function appKey() {
    const url = referUrl();
    if (url) return url;
    return Object.keys(current().app ?? {})[0] ?? "https://example.com/handler";
  }

  /**
   * How the answer's body is taken, from the module's own reading: the run's step that received it
   * (`media`: twiml, audio, text, refused). With no such step (no request reached it, or the
   * scenario does not run) an answer that states no type is text/xml, the documented default; one
   * that states a type is not classified here. Returns { twiml (check the body as TwiML), words }.
   */
  function reading(app) {
    const step = hooks.answer?.(appKey()) ?? null;
    if (step) return { twiml: (step.response.media ?? "twiml") === "twiml", words: readingOf(step) };
    if (app?.contentType === undefined) return { twiml: true, words: "" };
    return { twiml: false, words: `No request reached this answer in the run, so how Twilio takes a ${app.contentType === null ? "body without a Content-Type header" : `${app.contentType} body`} is not shown, and the body is not checked.` };
  }

  function diagnose() {
    renderDiagnostics(initialDiags, initial, initial.value, safeCheck(initial.value, "initial"));
    const app = current().app?.[appKey()];
    const read = app && !app.unreachable ? reading(app) : { twiml: false, words: "" };
    appRead.textContent = read.words;
    appRead.hidden = !read.words;
    renderDiagnostics(appDiags, appTwiml, appTwiml.value, read.twiml && appTwiml.value.trim() ? safeCheck(appTwiml.value, "referResponse") : []);
    const url = referUrl();
    const dial = firstDial(current().initialTwiml);
    appUrl.textContent = !dial
      ? `The initial TwiML has no <Dial> that parses yet; editing the application at ${appKey()}.`
      : url
      ? (current().app?.[url] ? `At ${url} (the initial <Dial>'s referUrl).` : `No application answers at ${url}: Twilio cannot reach it. Editing below creates one.`)
      : `The initial <Dial> has no referUrl: a REFER raises alert 13802 and no webhook is made. Editing ${appKey()}.`;
    renderReferTo();
  }

  function safeCheck(xml, role) {
    try {
      return checkTransfer(xml, role);
    } catch (err) {
      return [{ code: err.code ?? "error", severity: "error", message: err.message, line: 1, column: 1, span: { start: 0, end: 0 }, provenance: null }];
    }
  }

  function renderReferTo() {
    clear(referToError);
    const lines = referTo.value.split("\n").filter((l, i, all) => l !== "" || all.length === 1);
    let bad = false;
    lines.forEach((value, i) => {
      const where = lines.length > 1 ? `Header ${i + 1}: ` : "";
      try {
        const r = parseReferTo(value);
        referToError.append(el("p", { cls: "ok", text: `${where}✔ parses; ReferTransferTarget = ${r.transferTarget}` }));
        for (const w of r.warnings) referToError.append(el("p", { cls: "warn" }, badge(w.tag), " ", el("span", { cls: "code", text: w.code }), ` at byte ${w.offset}: ${w.message}`));
      } catch (err) {
        bad = true;
        const idx = byteToCharIndex(value, err.offset ?? 0);
        referToError.append(el("div", { cls: "error", attrs: { "data-code": err.code ?? "error" } },
          el("p", {}, `${where}`, el("strong", { text: "Refused " }), el("span", { cls: "code", text: err.code ?? "error" }), ` at byte ${err.offset ?? "?"} (column ${idx + 1}): ${err.message}`),
          caretPre(value.replace(/[\r\n]/g, " "), idx, { tabindex: "0", "aria-label": `Where header ${i + 1} is refused` })));
      }
    });
    if (lines.length > 1) referToError.append(el("p", { cls: "hint", text: "Several Refer-To headers: RFC 3515 wants exactly one." }));
    referTo.setAttribute("aria-invalid", String(bad));
  }

  /** Write an edit into the page's scenario now; the diagnostics follow the run it starts (`refresh`). */
  function edit(fn) {
    hooks.edit(fn);
  }

  /** The scenario's REFER, created when absent. */
  const refer = (s) => (s.refer ??= { atMs: 20000, referTo: "" });

  /** The application the editors change (the referUrl's, or the first one), created when absent. */
  function ensureApp(s) {
    const key = appKey();
    s.app ??= {};
    s.app[key] ??= { status: 200, latencyMs: 100, twiml: "", unreachable: false };
    return s.app[key];
  }

  initial.addEventListener("input", () => edit((s) => { s.initialTwiml = initial.value; }));
  referTo.addEventListener("input", () => {
    const lines = referTo.value.split("\n").filter((l) => l !== "");
    edit((s) => { refer(s).referTo = lines.length > 1 ? lines : (lines[0] ?? ""); });
  });
  referAt.addEventListener("input", () => { const at = ms(referAt); if (at !== null) edit((s) => { refer(s).atMs = at; }); });
  referSub.addEventListener("change", () => edit((s) => { refer(s).referSub = referSub.checked; }));
  enhanced.addEventListener("change", () => edit((s) => { s.enhancedSipFeatures = enhanced.checked; }));
  referFrom.addEventListener("change", () => edit((s) => { s.referFrom = referFrom.value; }));
  appStatus.addEventListener("input", () => { if (appStatus.value !== "") edit((s) => { ensureApp(s).status = Number(appStatus.value); }); });
  appLatency.addEventListener("input", () => { if (appLatency.value !== "") edit((s) => { ensureApp(s).latencyMs = Number(appLatency.value); }); });
  appUnreachable.addEventListener("change", () => edit((s) => { ensureApp(s).unreachable = appUnreachable.checked; }));
  appTwiml.addEventListener("input", () => edit((s) => { ensureApp(s).twiml = appTwiml.value; }));
  /** The stated type into the answer: none (the default) when the field is empty, null with the box. */
  const setType = () => edit((s) => {
    const app = ensureApp(s);
    if (appNoType.checked) app.contentType = null;
    else if (appType.value.trim() === "") delete app.contentType;
    else app.contentType = appType.value.trim();
  });
  appType.addEventListener("input", setType);
  appNoType.addEventListener("change", () => { appType.disabled = appNoType.checked; setType(); });

  function endpointRow(address, i) {
    const ep = current().endpoints[address];
    const set = (fn) => edit((s) => fn(s.endpoints[address]));
    const answer = el("select", { attrs: { id: `ed-ep-${i}-answer` } },
      ...[["answer", "answers"], ["no-answer", "does not answer"], ["busy", "is busy"], ["fail", "fails"]].map(([v, t]) => el("option", { text: t, attrs: { value: v } })));
    answer.value = ep.answer ?? "answer";
    const after = num(`ed-ep-${i}-after`, 0, 600, 0.5);
    after.value = String((ep.afterMs ?? 2000) / 1000);
    const code = num(`ed-ep-${i}-code`, 300, 699);
    code.value = ep.sipCode ?? "";
    code.placeholder = "503";
    const [bye, byeLabel] = check(`ed-ep-${i}-bye`, "Sends BYE after the final NOTIFY");
    bye.checked = ep.byeOnNotify !== false;
    const sync = () => {
      after.disabled = answer.value === "no-answer";
      code.disabled = answer.value !== "fail";
    };
    sync();
    answer.addEventListener("change", () => { set((e) => { e.answer = answer.value; }); sync(); });
    after.addEventListener("input", () => { const at = ms(after); if (at !== null) set((e) => { e.afterMs = at; }); });
    code.addEventListener("input", () => set((e) => { e.sipCode = code.value === "" ? null : Number(code.value); }));
    bye.addEventListener("change", () => set((e) => { e.byeOnNotify = bye.checked; }));
    return el("fieldset", { cls: "endpoint" },
      el("legend", { text: address }),
      el("div", { cls: "inline-fields" }, field("It", answer), field("after (s)", after), field("SIP code if it fails", code)),
      byeLabel);
  }

  /** Fill every field from the page's scenario (after it was replaced, not edited here). */
  function show() {
    const scenario = current();
    initial.value = scenario.initialTwiml ?? "";
    const rt = scenario.refer?.referTo;
    referTo.value = Array.isArray(rt) ? rt.join("\n") : rt ?? "";
    referAt.value = String((scenario.refer?.atMs ?? 0) / 1000);
    referSub.checked = scenario.refer?.referSub !== false;
    enhanced.checked = scenario.enhancedSipFeatures !== false;
    referFrom.value = scenario.referFrom ?? "transferor";
    const app = scenario.app?.[appKey()];
    appStatus.value = String(app?.status ?? 200);
    appLatency.value = String(app?.latencyMs ?? 100);
    appUnreachable.checked = Boolean(app?.unreachable);
    appTwiml.value = app?.twiml ?? "";
    appNoType.checked = app?.contentType === null;
    appType.value = typeof app?.contentType === "string" ? app.contentType : "";
    appType.disabled = appNoType.checked;
    clear(endpointsBox);
    Object.keys(scenario.endpoints ?? {}).forEach((address, i) => endpointsBox.append(endpointRow(address, i)));
    diagnose();
  }

  return { show, refresh: diagnose };
}
