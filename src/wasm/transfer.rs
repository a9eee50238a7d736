//! `simulate`, `Simulation` and `scenarios`: the transfer simulator for
//! JavaScript. Scenarios come in as objects (or JSON text), timelines go out
//! as plain data; an optional `onWebhook` callback answers Twilio's requests.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::compact::Unsupported;
use super::timeline;
use super::{field_error, js_error, js_text, to_compact};
use crate::scenario::{self, catalogue, AppResponse, Prepared, RunDetail, Scenario, ScenarioError, Simulation as CoreSimulation};
use crate::transfer::WebhookRequest;

#[wasm_bindgen(typescript_custom_section)]
const TS_TRANSFER: &'static str = r#"
/** What an endpoint does when called. Absent endpoints answer after 2 s. */
export interface EndpointBehaviour {
  answer?: "answer" | "no-answer" | "busy" | "fail";
  afterMs?: number;
  /** The SIP final response of `fail` (503 by default). */
  sipCode?: number | null;
  /** Sends BYE when a terminated NOTIFY reports success (default true); otherwise Twilio sends BYE 32 s later. */
  byeOnNotify?: boolean;
  /** Holds the call (re-INVITE a=sendonly) before sending REFER. */
  holdBeforeRefer?: boolean;
  /** Hangs up this long after answering. */
  hangupAfterMs?: number | null;
  /** How it answers a REFER Twilio sends it (`<Refer>` on its call): 202 (default) accepts; a final error (603, 405, ...) refuses. Sent to the `<Refer>` action as ReferSipResponseCode. 200 to 699. */
  referResponse?: number;
  /** After accepting that REFER, the final status of the new call it places, reported in its last NOTIFY: 200 (default), 486, 404, ... Sent as NotifySipResponseCode. 200 to 699. */
  referNotify?: number;
  /** The X- headers of its final response to Twilio's INVITE (200 OK, or the error of busy/fail): after a `<Sip>` dial the `<Dial action>` gets each as `DialSipHeader_<name>`. At most 16; names `X-` and a SIP token of at most 64 bytes; values one line of at most 1,023 bytes. */
  responseHeaders?: Record<string, string>;
}

/** What the application at a URL answers. A URL absent from `app` is unreachable. */
export interface AppBehaviour {
  status?: number;
  latencyMs?: number;
  /** The body (TwiML unless `contentType` says otherwise). Absent or null: an empty body, as a live
   * server's empty answer (a 2xx with text/xml then fails with error 12100; `res.sendStatus(204)`
   * sends no Content-Type: `{ status: 204, contentType: null }`, error 12300). */
  twiml?: string | null;
  unreachable?: boolean;
  /** The answer's Content-Type header, which decides what Twilio does with a 2xx body: absent, `text/xml`;
   * `text/xml`, `application/xml`, `text/html`: TwiML; `audio/*`: played (a `<Play>` of the URL), then the
   * call hangs up; `text/plain`: read out (a `<Say>` of the body), then hangs up; `null` (no header) or
   * any other type: error 12300, a failed request. */
  contentType?: string | null;
  /** The URL that answered when redirects were followed to reach it (`liveApp` sets it): the steps name it,
   * and its TwiML runs as that document. At most 2,048 bytes. */
  redirectedTo?: string;
  /** How `redirectedTo` was requested (a 302 or 303 after a POST is a GET); absent, the request's method. */
  redirectedMethod?: "GET" | "POST";
  /** The body was longer than this many bytes and `twiml` holds its start (`liveApp` reads 1 MiB, MAX_ANSWER_BYTES):
   * over 64 kB a 2xx answer fails with 11750, as the whole body would. */
  bodyOver?: number;
}

/** A scenario: the initial TwiML, the REFER, the application and the endpoints. */
export interface Scenario {
  initialTwiml: string;
  /** Who sends the REFER. "transferor" (the default): the SIP party the initial `<Dial>` called
   * (AgentA), transferring the caller (UserA). "caller": the inbound caller, which must then be a
   * SIP phone (`caller.from` a `sip:` URI), transferring the party its call reached; in results
   * that SIP phone is leg `transferor` and the party it called is leg `caller` (the transferee
   * role, not the party that placed the call). */
  referFrom?: "transferor" | "caller";
  enhancedSipFeatures?: boolean;
  refer: { atMs: number; referTo: string | string[]; referSub?: boolean };
  /** Further transfers, in order: the target bridged by the transfer before (AgentB for the first
   * entry) sends a REFER in its own dialog, `afterMs` (default 10,000) after it is bridged with the
   * transferee, with `referTo` as its Refer-To. An entry whose target is never bridged (the
   * transfer before it failed) is not sent: warning `unused_chained_refer`, field `chainedRefers[i]`. */
  chainedRefers?: { afterMs?: number; referTo: string }[];
  app?: Record<string, AppBehaviour>;
  endpoints?: Record<string, EndpointBehaviour>;
  /** The inbound call that runs `initialTwiml`: `from` who calls (a number, default "+14155550100"; a
   * `sip:` URI, a SIP phone; or `client:name`), `to` the number or SIP URI it called (default
   * "+18005550199"). */
  caller?: { from?: string; to?: string };
  /** The digits the caller enters at each `<Gather>`, in order: the nth `<Gather>` that runs gets the
   * nth entry 1 s after it starts; a `<Gather>` with no entry left gets none. */
  callerDigits?: string[];
  /**
   * Keys the caller (the inbound call) presses at a time, whatever runs then: a `<Gather>` takes
   * them as its digits; a bridged `<Dial hangupOnStar="true">` hangs up its called party on `*`.
   * Up to 64 entries; `digits` is 1 to 64 of `0`-`9`, `*`, `#`; `atMs` in ms after the call started.
   */
  callerKeys?: { atMs: number; digits: string }[];
}

export type LegStatus = "queued" | "ringing" | "in-progress" | "completed" | "busy" | "no-answer" | "failed" | "canceled";

/** One call leg at one step. */
export interface Leg {
  /** `caller`, `transferor`, `target`, `target-2`, ... (extra parties of one <Dial>: `target-b`, ...). */
  id: string;
  role: "caller" | "transferor" | "target";
  /** Who the party is, from what the scenario wrote: a SIP URI's user part ("AgentB" for sip:AgentB@...), a number, a Client's identity ("alice"), else the address as written (cut past 24 characters with "…"); the caller is "UserA" unless its SIP URI names it. */
  label: string;
  party: string;
  transport: "sip" | "pstn" | "client";
  status: LegStatus;
  bridgedWith: string | null;
  onHold: boolean;
  /** What the leg hears: "silence", "ringback", "ringback (uk ringTone)" (a `<Dial ringTone>`), a party's label, "<Say> text", ... (a `<Say>` text, a `<Play>` URL or a conference name cut to its first 200 characters, then "…", as narrations quote them). */
  hearing: string;
}

/**
 * A SIP message on the ladder; `from`/`to` are `twilio` or a leg id. `text` is written from
 * the typed fields beside it (they never disagree): read those rather than parse the text.
 */
export interface SipMessage {
  from: string;
  to: string;
  /** Request line or status line, as in `text`. */
  firstLine: string;
  /** The whole message: start line, headers, an empty line, the body (CRLF line ends). */
  text: string;
  /** A request's method ("INVITE", "REFER", ...); null for a response. */
  method: string | null;
  /** A response's status code; null for a request. */
  status: number | null;
  /** A response's reason phrase; null for a request. */
  reason: string | null;
  /** Every header in the order sent, `[name, value]`; names in full form (never compact), Content-Type and Content-Length included. */
  headers: [string, string][];
  /** The body with its media type ("application/sdp", "message/sipfrag;version=2.0"); null when there is none. */
  body: SipBody | null;
}

/** A SIP message body: its Content-Type and its text, exactly as sent. */
export interface SipBody { contentType: string; text: string }

/** An HTTP request from Twilio to the application. */
export interface WebhookRequest {
  method: "GET" | "POST";
  url: string;
  /** Why: the referUrl, a `<Dial>`/`<Refer>` action, a `<Redirect>`, a `<Gather>` action, or a status or recording callback (whose answer Twilio ignores). */
  purpose: "referUrl" | "action" | "redirect" | "gather" | "statusCallback" | "recordingStatusCallback";
  /** Parameters in the order sent. */
  params: Record<string, string>;
  /** The form body of a POST, exactly as sent. */
  body: string | null;
  /** The full URL of a GET, query string included. */
  queryUrl: string | null;
}

/**
 * What the application answered: `status` null when it could not be reached. A timeline
 * stores each distinct body once: when an earlier step received the same body, the module
 * serialises `sameBodyAs` (that step's index) instead of `body`, and the package gives
 * `body` back as that same string in a property that is not enumerable, so reading
 * `body` always works, while JSON.stringify and structuredClone keep `sameBodyAs` only.
 */
export interface WebhookResponse {
  url: string;
  status: number | null;
  /** The body, as received; null when there was none. */
  body: string | null;
  /** The index (in the timeline's steps) of the earlier step that received this same body; absent on the first. */
  sameBodyAs?: number;
  /** The Content-Type the answer stated (`null`: no such header); absent when the scenario states none (the answer is then `text/xml`). */
  contentType?: string | null;
  /** How Twilio read the body by that type (present with `contentType`): "twiml" run, "audio" an audio file Twilio plays to the caller (then hangs up), "text" read out (then hangs up), "refused" error 12300. */
  media?: "twiml" | "audio" | "text" | "refused";
}

export interface Alert { code: number | null; message: string }

/** What a step is. "notify-sent": Twilio sends a NOTIFY (its sipfrag in `messages`); "refer-outcome": how an accepted REFER ended when it said Refer-Sub: false, so no NOTIFY is sent (before round 13 that step was a "notify-sent" with no message). */
export type StepKind =
  | "call-started" | "twiml-verb" | "leg-ringing" | "leg-answered" | "leg-ended" | "bridged" | "unbridged" | "hold"
  | "refer-received" | "refer-rejected" | "refer-accepted" | "notify-sent" | "refer-outcome" | "webhook-requested"
  | "webhook-fetched" | "webhook-failed" | "alert" | "digits" | "ignored" | "end";

/** One step of a timeline. */
export interface Step {
  atMs: number;
  kind: StepKind;
  narration: string;
  tag: Provenance;
  /** For a "doc" step, the id of its entry in src/sources.md (page and sentence); null otherwise. */
  source: string | null;
  /** The SIP messages sent at this step. From `simulate` without `onWebhook` (and without
   * `messages: "now"`), produced on first read: reading any step's runs the scenario again with
   * them, once for the whole timeline. */
  messages: SipMessage[];
  webhook: WebhookRequest | null;
  /** On webhook-fetched and webhook-failed steps: the answer as received (a body seen at an
   * earlier step is shared with it: see `WebhookResponse.sameBodyAs`). */
  response: WebhookResponse | null;
  alerts: Alert[];
  /** The legs this step created or changed, as they are after it (creation order). What the
   * module serialises: every other leg is as it was after the step before. */
  changedLegs: Leg[];
  /** Every leg after this step, in creation order, rebuilt from the steps' `changedLegs` by
   * the package on each read (a leg that did not change is the same object as at the step
   * before). Not enumerable: JSON.stringify and structuredClone keep only `changedLegs`. */
  readonly legs: Leg[];
}

export interface Outcome {
  connected: [string, string][];
  legs: Record<string, LegStatus>;
  alerts: Alert[];
  summary: string;
}

/** Something in the scenario a user should hear about, by `code`: an entry that had no effect (`unused_endpoint`, `unused_app`), an `app` answer later than Twilio waits (`slow_app`), TwiML Twilio warns about (`unknown_attribute`, `bad_attribute_value`, `unknown_element`: 12200), a `relative_url`, a `<Sip>` URI written `sips:` (`sips_unsupported`, dialled as written) or a URL's connection override refer-sim does not simulate (`unsimulated_override`: `#rc=`, `#rp=`, `#ct=`...; the run requests once), a `chainedRefers` entry never sent because no target was bridged before it (`unused_chained_refer`, field `chainedRefers[i]`), a final NOTIFY sent after the refer subscription's assumed expires=60 ran out (`subscription_expired`, field `refer` or `chainedRefers[i]`: RFC 6665 would have the subscription end first; what Twilio does is not documented); `field` names where (`app["…"].twiml`, `endpoints["…"]`). */
export interface ScenarioWarning { code: "unused_endpoint" | "unused_app" | "slow_app" | "unknown_attribute" | "bad_attribute_value" | "relative_url" | "unknown_element" | "sips_unsupported" | "unsimulated_override" | "subscription_expired" | "unused_chained_refer"; field: string; message: string }

/** Why the run ended so, and what to change (`fix` null when the transfer went through). Read
 * from a `Simulation` that has not ended: `cause` says so and `fix` is null. */
export interface Explanation { cause: string; fix: string | null }

export interface Timeline { steps: Step[]; outcome: Outcome; explanation: Explanation; warnings: ScenarioWarning[] }

/** A built-in scenario. */
export interface CatalogueEntry { id: string; group: string; title: string; description: string; scenario: Scenario }

/** What `onWebhook` returns: an answer, or null/undefined to use the scenario's `app` entry. */
export type WebhookAnswer = AppBehaviour | null | undefined;

export interface SimulateOptions {
  /** Called synchronously for every request Twilio makes (referUrl, action, redirect, gather, statusCallback, recordingStatusCallback). */
  onWebhook?: (request: WebhookRequest) => WebhookAnswer;
  /** When `simulate` makes each step's SIP `messages`: `"on-read"` (the default) on the first read of any
   * step's `messages` (a second run of the scenario, about one more run's cost then; nothing is made if
   * nothing reads them), or `"now"` during the run, for a caller that reads every step's messages (about
   * 1.8x faster than reading them after an `"on-read"` run). With `onWebhook`, always at once. A
   * `Simulation`'s steps always carry their messages. */
  messages?: "on-read" | "now";
}

/** Runs a scenario to its end. Throws an Error with `code` (and `field`) for an invalid scenario. */
export function simulate(scenario: Scenario | string, options?: SimulateOptions): Timeline;

/** A request waiting for its answer, and the simulated time it was sent. */
export interface PendingRequest extends WebhookRequest { atMs: number }

export interface SimulationOptions extends SimulateOptions {
  /** Pause at every request until `respond(answer)`; `pending()` shows it. */
  pauseAtWebhooks?: boolean;
}

/** A scenario played one step at a time (the page's step-through). */
export class Simulation {
  free(): void;
  [Symbol.dispose](): void;
  constructor(scenario: Scenario | string, options?: SimulationOptions);
  /** The next step, or `undefined` once the run has ended. Throws `awaiting_webhook` while a request waits for `respond`. */
  step(): Step | undefined;
  /** With `pauseAtWebhooks`: the oldest request waiting for its answer, or null. */
  pending(): PendingRequest | null;
  /** Answers the pending request (null/undefined: the scenario's `app` entry); the answer arrives `latencyMs` after the request. */
  respond(answer: WebhookAnswer): void;
  /** The steps so far, the outcome so far and the warnings (final once `done`). Until the run has
   * ended the explanation gives no cause or fix, and the outcome's summary says what is under way. */
  timeline(): Timeline;
  /** Scenario entries nothing used; empty until `done`. */
  warnings(): ScenarioWarning[];
  /** Every leg now. */
  snapshot(): Leg[];
  /** The steps so far. */
  steps(): Step[];
  /** The outcome so far: until the run has ended, its summary says a transfer is in progress
   * (or that none has taken place yet), never how the run ended. */
  outcome(): Outcome;
  /** True once the end step has been returned. */
  readonly done: boolean;
  /** The simulated time, in ms. */
  readonly nowMs: number;
}
"#;

fn scenario_error(e: ScenarioError) -> JsValue {
    let err = js_error(e.code, None, &e.message);
    let field = e.field.map_or(JsValue::NULL, |f| JsValue::from_str(&f));
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("field"), &field);
    err
}

/// An error in what `onWebhook` returned: code `bad_webhook_answer`, `field` the path in the answer.
fn answer_error(e: ScenarioError, what: &str) -> JsValue {
    scenario_error(ScenarioError { code: "bad_webhook_answer", message: format!("{what}: {}", object_wording(&e.message)), ..e })
}

/// The scenario `value` as JSON text, and whether it came from an object (its errors then say
/// so: [`object_wording`]): an object, or its JSON text; with `stringified`, the JSON text the
/// package's entry wrote of the caller's object (`scenarioText` in pkg/index.js: JSON.stringify
/// found no non-finite number there), checked as the text [`plain_json`] writes here.
fn scenario_text(value: &JsValue, stringified: bool) -> Result<(String, bool), JsValue> {
    if value.is_string() && !stringified {
        return Ok((js_text(value, "scenario")?, false));
    }
    if !value.is_object() && !stringified {
        // As the scenario reader words an array or a text that is no JSON: `field` null (the whole input).
        let what = match value.js_typeof().as_string().as_deref() {
            _ if value.is_null() => "null",
            Some("undefined") => "undefined",
            Some("number") | Some("bigint") => "a number",
            Some("boolean") => "a boolean",
            Some("function") => "a function",
            _ => "a symbol",
        };
        let message = format!("expected a scenario object (or its JSON text), not {what}");
        return Err(scenario_error(ScenarioError { code: "not_a_scenario", message, field: None }));
    }
    // Through JSON text: serde's `deny_unknown_fields` then sees every key.
    let text = if stringified {
        let text = js_text(value, "scenario")?;
        ScenarioError::lone_surrogate(&text).map_or(Ok(text), |e| Err(scenario_error(e)))?
    } else {
        plain_json(value, "not_a_scenario", "the scenario", |e, _| scenario_error(e))?
    };
    Ok((text, true))
}

/// Scenarios read and prepared lately, by their JSON text: a run of a text seen before skips
/// reading it and parsing its TwiML (a page or a test exploring variations runs the same
/// scenarios again). At most [`PREPARED_ENTRIES`] of at most [`PREPARED_BYTES`] of text in
/// all, the oldest dropped first; only scenarios that were read without error. Each entry has
/// an id (from 1, never reused by this instance), by which the package's entry runs a text it
/// knows the module holds without passing the text again ([`simulate_known`]).
struct PreparedCache {
    entries: Vec<Entry>,
    bytes: usize,
    /// The id of the next entry.
    next: u32,
    /// The id of the entry the last scenario text ran from; 0 when it was not kept ([`prepared_id`]).
    last: u32,
}

/// A prepared scenario, its JSON text and its id.
struct Entry {
    text: String,
    prepared: Rc<Prepared>,
    id: u32,
}

const PREPARED_ENTRIES: usize = 64;
const PREPARED_BYTES: usize = 1 << 20;

thread_local! {
    static PREPARED: RefCell<PreparedCache> =
        const { RefCell::new(PreparedCache { entries: Vec::new(), bytes: 0, next: 1, last: 0 }) };
}

impl PreparedCache {
    /// The entry whose text is `text` (its bytes), made the last used.
    fn find(&mut self, text: &[u8]) -> Option<Rc<Prepared>> {
        let entry = self.entries.iter().find(|e| e.text.as_bytes() == text)?;
        self.last = entry.id;
        Some(Rc::clone(&entry.prepared))
    }
}

/// A run of the scenario `value` (see [`scenario_text`]), set up; its errors are those of
/// reading it and [`Prepared::new`] (which are [`CoreSimulation::new`]'s).
fn prepared_run(value: &JsValue, stringified: bool, detail: RunDetail) -> Result<CoreSimulation, JsValue> {
    let (text, from_object) = scenario_text(value, stringified)?;
    prepared_text(text, from_object, detail)
}

/// [`prepared_run`] of the scenario's JSON `text` (`from_object`: written of an object).
/// Not inlined: two exports call it.
#[inline(never)]
fn prepared_text(text: String, from_object: bool, detail: RunDetail) -> Result<CoreSimulation, JsValue> {
    if let Some(prepared) = PREPARED.with(|c| c.borrow_mut().find(text.as_bytes())) {
        return Ok(prepared.simulation_with(detail));
    }
    PREPARED.with(|c| c.borrow_mut().last = 0);
    let scenario = Scenario::from_json(&text).map_err(|e| match from_object {
        true => scenario_error(ScenarioError { message: object_wording(&e.message), ..e }),
        false => scenario_error(e),
    })?;
    let prepared = Rc::new(Prepared::new(scenario).map_err(scenario_error)?);
    let run = prepared.simulation_with(detail);
    if text.len() <= PREPARED_BYTES {
        PREPARED.with(|c| {
            let mut c = c.borrow_mut();
            let id = c.next;
            c.next = id.wrapping_add(1).max(1);
            c.last = id;
            c.bytes += text.len();
            c.entries.push(Entry { text, prepared, id });
            while !c.entries.is_empty() && (c.entries.len() > PREPARED_ENTRIES || c.bytes > PREPARED_BYTES) {
                let old = c.entries.remove(0);
                c.bytes -= old.text.len();
            }
        });
    }
    Ok(run)
}

/// serde's message for a scenario given as an object: the position it names is in the
/// internal JSON copy, which the user never saw (the field path already says where), and
/// `u64`/`u32`/`u16` are Rust's words for what the user knows as a non-negative integer.
fn object_wording(message: &str) -> String {
    let mut text = message;
    if let Some(at) = text.rfind(" at line ") {
        let tail = text.get(at + " at line ".len()..).unwrap_or_default();
        let mut parts = tail.splitn(3, ' ');
        let line = parts.next().unwrap_or_default();
        let column = parts.next() == Some("column") && parts.next().is_some_and(|c| c.bytes().all(|b| b.is_ascii_digit()));
        if column && line.bytes().all(|b| b.is_ascii_digit()) {
            text = text.get(..at).unwrap_or(text);
        }
    }
    text.replace("expected u64", "expected a non-negative integer")
        .replace("expected u32", "expected a non-negative integer")
        .replace("expected u16", "expected a non-negative integer")
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.stringify(value, replacer)`; what a getter or `toJSON` throws comes back as `Err`.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = stringify)]
    fn stringify_with(value: &JsValue, replacer: &mut dyn FnMut(JsValue, JsValue) -> JsValue) -> Result<JsValue, JsValue>;
}

/// `JSON.stringify(value)` of a scenario or an answer (`what`). NaN and ±Infinity, which
/// JSON would write as `null` (an optional field would read it as absent), and lone
/// surrogates are errors naming their path (made by `value_error`); what stops the value
/// being written as JSON at all is a `code` error saying what `JSON.stringify` threw.
#[inline(never)]
fn plain_json(
    value: &JsValue,
    code: &'static str,
    what: &str,
    value_error: fn(ScenarioError, &str) -> JsValue,
) -> Result<String, JsValue> {
    const MARK: &str = "\u{0}refer-sim: not a finite number";
    let mut first = None;
    let mut replacer = |_key: JsValue, v: JsValue| match v.as_f64() {
        Some(n) if !n.is_finite() => {
            first.get_or_insert(n);
            JsValue::from_str(MARK)
        }
        _ => v,
    };
    let text = match stringify_with(value, &mut replacer) {
        Ok(t) => t.as_string().ok_or_else(|| "JSON.stringify gives no text for it".to_string()),
        Err(thrown) => Err(thrown_message(&thrown)),
    };
    // `field` null: the whole input, as for any other input that is no scenario object.
    let text = text.map_err(|why| {
        scenario_error(ScenarioError { code, message: format!("{what} cannot be written as JSON: {why}"), field: None })
    })?;
    match first {
        Some(n) => Err(value_error(ScenarioError::non_finite(&text, MARK, n), what)),
        None => ScenarioError::lone_surrogate(&text).map_or(Ok(text), |e| Err(value_error(e, what))),
    }
}

/// What a thrown value says, read without calling anything that could throw again: its
/// `message` (through `Reflect.get`, which reports a throwing getter or a primitive as `Err`),
/// a thrown string as it is; cut to 200 characters.
fn thrown_message(thrown: &JsValue) -> String {
    let said = thrown
        .as_string()
        .or_else(|| js_sys::Reflect::get(thrown, &JsValue::from_str("message")).ok()?.as_string())
        .unwrap_or_default();
    match said.char_indices().nth(200) {
        _ if said.is_empty() => "JSON.stringify threw".into(),
        Some((cut, _)) => format!("JSON.stringify threw \"{}\"", said.get(..cut).unwrap_or_default()),
        None => format!("JSON.stringify threw \"{said}\""),
    }
}

/// Wraps the user's `onWebhook` so the core can call it; a failure is kept for the caller to throw.
/// `options` must be an object (or absent) and `onWebhook` a function (or absent). Unknown
/// option names are refused by the package's entry (`decodingWebhooks` in pkg/index.js),
/// which sees the caller's own object; the module receives a wrapper around it.
fn handler(options: &Option<js_sys::Object>, failure: &Failure) -> Result<Option<scenario::WebhookHandler>, JsValue> {
    let Some(options) = options.as_ref().filter(|o| !o.is_undefined() && !o.is_null()) else {
        return Ok(None);
    };
    if !options.is_object() {
        return Err(field_error("bad_options", "options", "options must be an object such as { onWebhook }"));
    }
    let f = js_sys::Reflect::get(options, &JsValue::from_str("onWebhook"))?;
    if f.is_undefined() || f.is_null() {
        return Ok(None);
    }
    let f = f
        .dyn_into::<js_sys::Function>()
        .map_err(|_| field_error("bad_options", "options.onWebhook", "options.onWebhook must be a function"))?;
    let failure = failure.clone();
    Ok(Some(Box::new(move |req: &WebhookRequest| {
        if failure.borrow().is_some() {
            return None;
        }
        // The request crosses in the compact format; the package's entry wraps `onWebhook` in a
        // function that decodes it, so the user's function receives a plain `WebhookRequest`.
        let answer = to_compact(req).and_then(|arg| f.call1(&JsValue::NULL, &JsValue::from_str(&arg))).and_then(|v| {
            if thenable(&v) {
                return Err(js_error(
                    "async_handler",
                    None,
                    "onWebhook returned a Promise; it must return its answer synchronously (use simulateAsync from \"refer-sim/async\" for an async handler)",
                ));
            }
            // Named as refer-sim/async names it: which request the answer was to.
            let url = req.query_url.as_deref().unwrap_or(&req.url);
            answer_from(&v, &format!("onWebhook's answer to the {} request ({} {url})", req.purpose, req.method))
        });
        match answer {
            Ok(a) => a,
            Err(e) => {
                *failure.borrow_mut() = Some(e);
                None
            }
        }
    })))
}

/// True for a Promise or any other thenable (an object whose `then` is a function): an answer
/// that is not there yet, which the synchronous run cannot wait for.
fn thenable(v: &JsValue) -> bool {
    js_sys::Reflect::get(v, &JsValue::from_str("then")).is_ok_and(|t| t.is_function())
}

/// An application's answer from JS: `null`/`undefined` (use the scenario's `app`),
/// or `{ status, latencyMs, twiml }` / `{ unreachable: true }`.
fn answer_from(v: &JsValue, what: &str) -> Result<Option<AppResponse>, JsValue> {
    if v.is_null() || v.is_undefined() {
        return Ok(None);
    }
    let text = plain_json(v, "bad_webhook_answer", what, answer_error)?;
    AppResponse::from_json(&text).map(Some).map_err(|e| answer_error(e, what))
}

/// A failure raised inside `onWebhook`, kept until the call that ran it can throw it.
type Failure = Rc<RefCell<Option<JsValue>>>;

fn setup(
    scenario: &JsValue,
    options: &Option<js_sys::Object>,
    stringified: Option<bool>,
) -> Result<(CoreSimulation, Failure), JsValue> {
    with_options(prepared_run(scenario, stringified == Some(true), RunDetail::FULL)?, options)
}

/// `sim` with the handler of `options` (see [`handler`]), and where its failure is kept.
#[inline(never)]
fn with_options(mut sim: CoreSimulation, options: &Option<js_sys::Object>) -> Result<(CoreSimulation, Failure), JsValue> {
    let failure = Rc::new(RefCell::new(None));
    if let Some(h) = handler(options, &failure)? {
        sim = sim.with_handler(h);
    }
    Ok((sim, failure))
}

fn check(failure: &Failure) -> Result<(), JsValue> {
    match failure.borrow_mut().take() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Runs a scenario to its end and returns the timeline.
//
// Every simulator export returns its result in the compact format (see `to_compact`) and
// hands `onWebhook` the request in it; the package's entry (`pkg/index.js`) decodes both,
// so users see the plain objects the TypeScript types declare. `stringified` (the entry's
// own argument): `scenario` is the JSON text the entry wrote of the caller's object.
// `light` (the entry's too): run without the steps' SIP messages (`RunDetail::NO_MESSAGES`),
// which the entry fetches by running the same text again when one is first read.
// (Plain comments: wasm-bindgen copies doc comments into the glue, which ships.)
#[wasm_bindgen(js_name = simulate, skip_typescript)]
pub fn simulate(
    scenario: JsValue,
    options: Option<js_sys::Object>,
    stringified: Option<bool>,
    light: Option<bool>,
) -> Result<String, JsValue> {
    let sim = prepared_run(&scenario, stringified == Some(true), detail(light))?;
    run_out(with_options(sim, &options)?, None)
}

thread_local! {
    /// Where the package's entry writes a scenario's JSON text as UTF-8 ([`simulate_input`]).
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Internal: the address of a buffer of at least `len` bytes for [`simulate_written`].
//
// The entry writes the JSON text it made of a scenario there with `TextEncoder.encodeInto`
// (native, where passing a string copies it into the module one character at a time in JS)
// and keeps the address until it needs more room, or the module is another (after a trap).
#[wasm_bindgen(js_name = __simulateInput, skip_typescript)]
pub fn simulate_input(len: usize) -> *const u8 {
    INPUT.with(|b| {
        let mut b = b.borrow_mut();
        if b.len() < len {
            *b = vec![0; len];
        }
        b.as_ptr()
    })
}

/// Internal: `simulate` of the JSON text the entry wrote, `len` bytes, into the input buffer.
//
// The entry's text of a caller's object (as `simulate`'s `stringified`), written into the
// buffer of `simulate_input`.
#[wasm_bindgen(js_name = __simulateWritten, skip_typescript)]
pub fn simulate_written(
    len: usize,
    options: Option<js_sys::Object>,
    light: Option<bool>,
    keep: Option<bool>,
) -> Result<String, JsValue> {
    // A text prepared before was read without error: it is neither copied nor checked again.
    let known = INPUT.with(|b| b.borrow().get(..len).and_then(|bytes| PREPARED.with(|c| c.borrow_mut().find(bytes))));
    let sim = match known {
        Some(prepared) => prepared.simulation_with(detail(light)),
        None => {
            let text = INPUT.with(|b| b.borrow().get(..len).map(|bytes| String::from_utf8(bytes.to_vec())));
            let Some(Ok(text)) = text else {
                return Err(js_error("internal", None, "the scenario text written into the module is not UTF-8"));
            };
            // Written by JSON.stringify, which escapes a lone surrogate: the escapes are what to look for.
            let text = ScenarioError::lone_surrogate(&text).map_or(Ok(text), |e| Err(scenario_error(e)))?;
            prepared_text(text, true, detail(light))?
        }
    };
    run_out(with_options(sim, &options)?, keep)
}

// Internal: the id of the prepared scenario the last scenario text ran from (see
// `PreparedCache`), for `simulate_known`; 0 when the module did not keep it. (Plain comments:
// wasm-bindgen copies doc comments into the glue, which ships.)
#[wasm_bindgen(js_name = __preparedId, skip_typescript)]
pub fn prepared_id() -> u32 {
    PREPARED.with(|c| c.borrow().last)
}

// Internal: `simulate` of the prepared scenario `id` (`prepared_id`) as `__simulateWritten`
// of its text; an empty string when the module no longer holds it (the entry then passes the text).
// For the entry's scenario objects that it knows still read as the text this id ran from
// (`scenarioText` in pkg/index.js): the text does not cross again, nor is it compared.
// `keep` (both exports): see `run_kept`.
#[wasm_bindgen(js_name = __simulateKnown, skip_typescript)]
pub fn simulate_known(
    id: u32,
    options: Option<js_sys::Object>,
    light: Option<bool>,
    keep: Option<bool>,
) -> Result<String, JsValue> {
    let known = PREPARED.with(|c| c.borrow().entries.iter().find(|e| e.id == id).map(|e| Rc::clone(&e.prepared)));
    match known {
        Some(prepared) => run_out(with_options(prepared.simulation_with(detail(light)), &options)?, keep),
        None => Ok(String::new()),
    }
}

/// Timelines run lately whose steps the entry has not read yet ([`run_out`] with `keep`), by
/// id (from 1, never reused by this instance), in [`KEPT_TIMELINES`] slots (id modulo their
/// number: a newer run drops the oldest). The entry takes one's steps on their first read
/// ([`kept_steps`]) and runs the scenario's text again for a timeline no longer kept.
struct KeptTimelines {
    slots: Vec<Option<(u32, crate::transfer::Timeline)>>,
    next: u32,
}

/// Few: a caller reads a timeline's steps at once or not at all, and every kept run's allocations
/// stay live in the module's heap (32 kept: the allocator's `malloc` twice as slow, -4.7% CPU time
/// per call instead of -11.7% with 4, one alternating A/B run).
const KEPT_TIMELINES: usize = 4;

thread_local! {
    static KEPT: RefCell<KeptTimelines> = const { RefCell::new(KeptTimelines { slots: Vec::new(), next: 1 }) };
}

// Internal: the steps of the kept timeline `id` (`run_out` with `keep`) in the layout's `steps`
// (a key table of their own), and the module forgets it; an empty string when it no longer keeps it.
#[wasm_bindgen(js_name = __keptSteps, skip_typescript)]
pub fn kept_steps(id: u32) -> Result<String, JsValue> {
    let kept = KEPT.with(|k| k.borrow_mut().slots.get_mut(id as usize % KEPT_TIMELINES)?.take_if(|(i, _)| *i == id));
    match kept {
        Some((_, timeline)) => layout_out(640 * (timeline.steps.len() + 1), |out| timeline::write_steps(&timeline.steps, out)),
        None => Ok(String::new()),
    }
}

/// What a run the entry asked for writes: everything, or without SIP messages when `light`.
fn detail(light: Option<bool>) -> RunDetail {
    if light == Some(true) {
        RunDetail::NO_MESSAGES
    } else {
        RunDetail::FULL
    }
}

/// The timeline of `sim` run to its end, in the timeline layout, or the failure its handler raised;
/// with `keep`, its head ([`timeline::write_head`]) while the module keeps the timeline for
/// [`kept_steps`]: the steps (most of a result) are written, and cross, on their first read.
/// Not inlined: each export would carry its own copy.
#[inline(never)]
fn run_out((sim, failure): (CoreSimulation, Failure), keep: Option<bool>) -> Result<String, JsValue> {
    let timeline = sim.run();
    check(&failure)?;
    if keep != Some(true) {
        return timeline_out(&timeline);
    }
    let mut out = String::with_capacity(1024);
    KEPT.with(|k| {
        let mut k = k.borrow_mut();
        let id = k.next;
        k.next = id.wrapping_add(1).max(1);
        timeline::write_head(id, &timeline, &mut out).map_err(super::unconvertible)?;
        if k.slots.is_empty() {
            k.slots.resize_with(KEPT_TIMELINES, || None);
        }
        k.slots[id as usize % KEPT_TIMELINES] = Some((id, timeline));
        Ok(out)
    })
}

/// A timeline in the compact format's timeline layout (src/wasm/timeline.rs), which the
/// package's entry reads with `decodeTimeline`.
fn timeline_out(timeline: &crate::transfer::Timeline) -> Result<String, JsValue> {
    // Room for the whole result at once (a catalogue timeline is about 600 B of it per step):
    // growing the string from empty copied it about a dozen times.
    layout_out(640 * (timeline.steps.len() + 1), |out| timeline::write_timeline(timeline, out))
}

/// What `write` writes into a string of `capacity` bytes, or the JS error of a value it could not write.
fn layout_out(capacity: usize, write: impl FnOnce(&mut String) -> Result<(), Unsupported>) -> Result<String, JsValue> {
    let mut out = String::with_capacity(capacity);
    write(&mut out).map_err(super::unconvertible)?;
    Ok(out)
}

/// The built-in scenarios: every outcome-table cell, each precondition, the variations.
#[wasm_bindgen(js_name = scenarios, unchecked_return_type = "CatalogueEntry[]")]
pub fn scenarios() -> Result<String, JsValue> {
    to_compact(&catalogue::catalogue())
}

/// A scenario played one step at a time.
#[wasm_bindgen(js_name = Simulation, skip_typescript)]
pub struct JsSimulation {
    inner: CoreSimulation,
    failure: Failure,
}

#[wasm_bindgen(js_class = Simulation)]
impl JsSimulation {
    /// Checks the scenario and sets the call up; throws a `bad_scenario` (or other) Error.
    /// `stringified` as `simulate`'s.
    #[wasm_bindgen(constructor)]
    pub fn new(scenario: JsValue, options: Option<js_sys::Object>, stringified: Option<bool>) -> Result<JsSimulation, JsValue> {
        let pause = options
            .as_ref()
            .and_then(|o| js_sys::Reflect::get(o, &JsValue::from_str("pauseAtWebhooks")).ok())
            .is_some_and(|v| v.is_truthy());
        let (mut inner, failure) = setup(&scenario, &options, stringified)?;
        if pause {
            inner = inner.pausing_at_webhooks();
        }
        Ok(JsSimulation { inner, failure })
    }

    /// The next step, or `undefined` once the run has ended; throws
    /// `awaiting_webhook` while a request waits for `respond`.
    #[wasm_bindgen(unchecked_return_type = "Step | undefined")]
    pub fn step(&mut self) -> Result<Option<String>, JsValue> {
        let step = self.inner.step();
        check(&self.failure)?;
        match step {
            Some(s) => layout_out(1024, |out| timeline::write_steps(std::slice::from_ref(&s), out)).map(Some),
            None => match self.inner.pending() {
                Some(p) => Err(js_error(
                    "awaiting_webhook",
                    None,
                    &format!(
                        "the simulation waits for the answer to {} {} ({}): call respond(answer) first; pending() shows the request",
                        p.webhook.method, p.webhook.url, p.webhook.purpose
                    ),
                )),
                None => Ok(None),
            },
        }
    }

    /// The oldest request waiting for its answer, or `null`.
    #[wasm_bindgen(unchecked_return_type = "PendingRequest | null")]
    pub fn pending(&self) -> Result<Option<String>, JsValue> {
        // `[atMs, request]`: the package's entry adds atMs to the request's own fields
        // (serde's flatten would cost the module kilobytes).
        self.inner.pending().map(|p| to_compact(&(p.at_ms, &*p.webhook))).transpose()
    }

    /// Answers the oldest pending request: `{ status, latencyMs, twiml }`,
    /// `{ unreachable: true }`, or nothing for the scenario's `app` entry.
    pub fn respond(&mut self, answer: JsValue) -> Result<(), JsValue> {
        if self.inner.pending().is_none() {
            return Err(js_error("nothing_pending", None, &scenario::NothingPending.to_string()));
        }
        if thenable(&answer) {
            return Err(js_error(
                "async_handler",
                None,
                "respond's answer is a Promise: await it first and pass what it resolves to (respond(await answer))",
            ));
        }
        let answer = answer_from(&answer, "respond's answer")?;
        self.inner.respond(answer).map_err(|e| js_error("nothing_pending", None, &e.to_string()))
    }

    /// The timeline so far: steps, outcome, warnings.
    #[wasm_bindgen(unchecked_return_type = "Timeline")]
    pub fn timeline(&self) -> Result<String, JsValue> {
        timeline_out(&self.inner.timeline())
    }

    /// Entries of `endpoints` and `app` that nothing used (empty until done).
    #[wasm_bindgen(unchecked_return_type = "ScenarioWarning[]")]
    pub fn warnings(&self) -> Result<String, JsValue> {
        to_compact(&self.inner.warnings())
    }

    /// Every leg now.
    #[wasm_bindgen(unchecked_return_type = "Leg[]")]
    pub fn snapshot(&self) -> Result<String, JsValue> {
        let legs = self.inner.snapshot();
        layout_out(128 * legs.len() + 16, |out| timeline::write_legs(&legs, out))
    }

    /// The steps so far.
    #[wasm_bindgen(unchecked_return_type = "Step[]")]
    pub fn steps(&self) -> Result<String, JsValue> {
        let steps = self.inner.steps();
        layout_out(640 * (steps.len() + 1), |out| timeline::write_steps(steps, out))
    }

    /// The outcome so far.
    #[wasm_bindgen(unchecked_return_type = "Outcome")]
    pub fn outcome(&self) -> Result<String, JsValue> {
        to_compact(&self.inner.outcome())
    }

    /// True once the end step has been returned.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.inner.done()
    }

    /// The simulated time, in ms.
    #[wasm_bindgen(getter, js_name = nowMs)]
    pub fn now_ms(&self) -> f64 {
        self.inner.now() as f64
    }
}
