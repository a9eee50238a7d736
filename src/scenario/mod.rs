//! Scenarios: the input a user writes, the world that plays every party but
//! Twilio (endpoints answer or not, the application answers or not), and the
//! runner that drives the [`Engine`] in simulated time into a [`Timeline`].
//!
//! ```
//! use refer_sim::scenario::{simulate, Scenario};
//! let s = Scenario::from_json(r#"{
//!   "initialTwiml": "<Response><Dial answerOnBridge=\"true\" referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>",
//!   "refer": { "atMs": 20000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
//!   "app": { "https://example.com/handler": { "twiml": "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" } }
//! }"#).unwrap();
//! let timeline = simulate(&s).unwrap();
//! assert_eq!(timeline.outcome.connected[0].0.as_str(), "caller");
//! assert_eq!(timeline.outcome.connected[0].1.as_str(), "target");
//! ```

pub mod catalogue;
mod input;

use crate::transfer::text::cat;
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use serde::Serialize;

pub use input::{
    field_of, Answer, AppResponse, CallerInput, CallerKey, ChainedRefer, Endpoint, ReferFrom, ReferInput, ReferToHeaders,
    Scenario, ScenarioError,
};

use crate::sip::{parse_uri, Host, Uri};
use crate::transfer::table::TimeQueue;
use crate::transfer::{
    CallStatus, Config, Effect, Engine, Hearing, HttpReply, Input, Leg, LegId, ReferFact, Role, Step, StepKind, Timeline,
    Transport, WebhookRequest,
};
use crate::twiml::{self, DialChild, Verb};

/// How long a request to a URL missing from `app` takes to fail.
const UNKNOWN_URL_FAIL_MS: u64 = 1000;
/// How long after a terminated NOTIFY the transferor's BYE arrives.
const BYE_AFTER_NOTIFY_MS: u64 = 100;
/// When scripted digits are pressed after a `<Gather>` starts.
const DIGITS_AFTER_MS: u64 = 1000;
/// How long a SIP endpoint takes to answer Twilio's REFER (`<Refer>`), and then to send
/// its first NOTIFY (sipfrag 100 Trying). Assumed.
const REFER_ANSWER_MS: u64 = 100;
/// How long the call an endpoint places for Twilio's REFER takes to reach its final status
/// (the final NOTIFY), counted from its first NOTIFY. Assumed: a default endpoint answers after 2 s.
const REFER_NEW_CALL_MS: u64 = 2000;

/// Runs a scenario to its end, as [`Prepared::run`] does (the steps' SIP messages written on
/// their first read).
pub fn simulate(scenario: &Scenario) -> Result<Timeline, ScenarioError> {
    Ok(Prepared::new(scenario.clone())?.into_run())
}

/// A user-supplied application: given the request Twilio sends, it answers
/// (or returns `None` to fall back to the scenario's `app` map).
pub type WebhookHandler = Box<dyn FnMut(&WebhookRequest) -> Option<AppResponse>>;

/// Who answers the requests Twilio makes.
enum Answerer {
    /// The scenario's `app` map.
    App,
    /// A handler first, then the `app` map for what it returns `None` for.
    Handler(WebhookHandler),
    /// The caller of [`Simulation::respond`]: the run pauses at each request.
    Caller,
}

impl std::fmt::Debug for Answerer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Answerer::App => "App",
            Answerer::Handler(_) => "Handler",
            Answerer::Caller => "Caller",
        })
    }
}

/// A request Twilio sent whose answer has not come back yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRequest {
    /// The engine's id for it.
    request: u32,
    /// The simulated time it was sent; the answer arrives `latencyMs` later.
    pub at_ms: u64,
    /// The request exactly as sent (shared with its step).
    pub webhook: Arc<WebhookRequest>,
}

/// [`Simulation::respond`] was called while no request waits for an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NothingPending;

impl std::fmt::Display for NothingPending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("no request is waiting for an answer: call respond() only while pending() returns a request")
    }
}

impl std::error::Error for NothingPending {}

/// Something in the scenario a user should hear about: an entry that had no effect, an answer
/// later than Twilio waits, or TwiML Twilio warns about (an unknown element or attribute, a bad
/// value, a relative URL, a `sips:` URI, a retry override the run does not simulate). Found once the run is over, or at once (a key that can never match,
/// the TwiML as it is read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioWarning {
    /// Stable code: `unused_endpoint`, `unused_app`, `slow_app`, `unknown_attribute`,
    /// `bad_attribute_value`, `relative_url`, `unknown_element` (an element Twilio does not expect
    /// where it is, such as `<dial>`, a verb inside another or a `<Dial>` noun outside `<Dial>`),
    /// `sips_unsupported` (a `<Sip>` URI with the `sips:` scheme, which the run dials as written),
    /// `unsimulated_override` (a requested URL's `#rc=`, `#rp=`, `#ct=` ... connection override:
    /// the run requests once, with no retry), `subscription_expired` (a final NOTIFY sent after
    /// the refer subscription's assumed `expires=60` ran out; field `refer` or `chainedRefers[i]`),
    /// `unused_chained_refer` (a `chainedRefers` entry never sent: no target was bridged before it).
    pub code: &'static str,
    /// The entry, as a path in the scenario: `endpoints["sip:AgentB@example.com"]`.
    pub field: String,
    /// What it means and what to change.
    pub message: String,
}

/// A scenario being played, one step at a time.
#[derive(Debug)]
pub struct Simulation {
    answerer: Answerer,
    scenario: Arc<Scenario>,
    engine: Engine,
    events: TimeQueue<Input>,
    now: u64,
    digits: VecDeque<String>,
    chained: VecDeque<crate::scenario::ChainedRefer>,
    chained_from: Vec<LegId>,
    /// How many of the engine's recorded steps ([`Engine::recorded_steps`]) were returned:
    /// the run's steps so far, kept in the engine's list until the timeline takes it.
    returned: usize,
    /// Requests sent and not answered yet, oldest first (only when the caller answers).
    awaiting: VecDeque<PendingRequest>,
    /// The `endpoints` keys, parsed once (shared by the runs of a [`Prepared`] scenario).
    endpoint_keys: Arc<[(String, AddressKey)]>,
    /// The `endpoints` keys some party matched, by their place in `endpoint_keys`.
    used_endpoints: Vec<usize>,
    /// The `app` URLs some request went to.
    used_app: Vec<String>,
    /// The requests a handler answered (`onWebhook`, `respond`), not the scenario's `app`: the
    /// warnings about their TwiML name the answer, not an `app` entry the scenario lacks.
    handler_answered: Vec<u32>,
    done: bool,
    /// The outcome the end step summed up (the engine changes no more after it).
    ended: Option<crate::transfer::Outcome>,
    /// The initial TwiML's undocumented attributes, as warnings say them.
    initial_unknown: Vec<(&'static str, String)>,
    /// The warnings about `endpoints` and `app` entries, written once.
    entry_warnings: Arc<EntryWarnings>,
}

/// The warnings a run gives about the scenario's `endpoints` and `app` entries, written once
/// for a prepared scenario's runs (each run wrote them again, 1.5% of a catalogue run): for
/// each `endpoints` key (in `endpoint_keys` order) the one given when no party matched it; for
/// each `app` URL, its `slow_app` warning if it has one, and the one given when no request went to it.
#[derive(Debug)]
struct EntryWarnings {
    endpoints: Vec<ScenarioWarning>,
    app: Vec<(String, Option<ScenarioWarning>, ScenarioWarning)>,
}

impl EntryWarnings {
    fn new(scenario: &Scenario, endpoint_keys: &[(String, AddressKey)]) -> EntryWarnings {
        let mut endpoints = Vec::with_capacity(endpoint_keys.len());
        let mut apps = Vec::with_capacity(scenario.app.len());
        for (key, parsed) in endpoint_keys.iter() {
            let hint = match parsed {
                AddressKey::Exact => {
                    " It is not a SIP URI (sip:user@host), a bare user (AgentB) or a number, so only that exact text matches."
                }
                _ => "",
            };
            // Each entry's path written once, and the texts joined by `cat!` (`simulate` prepares
            // every run: each path written four times with `format!` was 5% of its run).
            let path = input::key_path("endpoints", key);
            endpoints.push(ScenarioWarning {
                code: "unused_endpoint",
                message: cat!(
                    path,
                    " matched no party this run called, so it changed nothing.",
                    hint,
                    " Keys match by scheme, user and host (host in any case; parameters and headers only when the key has them); a bare user such as \"AgentB\" matches any host."
                ),
                field: path,
            });
        }
        for (url, app) in &scenario.app {
            let (limit, _) = crate::transfer::webhook_timeout(url);
            let path = input::key_path("app", url);
            let slow = (!app.unreachable && app.latency_ms >= limit).then(|| ScenarioWarning {
                code: "slow_app",
                field: cat!(path, ".latencyMs"),
                message: cat!(
                    path,
                    " answers after ",
                    app.latency_ms,
                    " ms: Twilio gives up after ",
                    if limit % 1000 == 0 { cat!(limit / 1000, " s") } else { cat!(limit, " ms") },
                    ", so the answer never arrives in time and the request fails like an unreachable URL (alert 11205, or 11203 for a #tt= override)."
                ),
            });
            let unused = ScenarioWarning {
                code: "unused_app",
                message: cat!(
                    path,
                    ": Twilio made no request to this URL this run, so it changed nothing; check it against referUrl, <Dial action> and <Redirect> (the whole URL, query included)."
                ),
                field: path,
            };
            apps.push((url.clone(), slow, unused));
        }
        EntryWarnings { endpoints, app: apps }
    }
}

/// A scenario checked and parsed once, to be run many times: the initial
/// TwiML's parsed model, the REFER's leg and the `endpoints` keys are kept, so
/// each run ([`Prepared::run`], [`Prepared::simulation`]) starts from them
/// instead of parsing again. A run gives the same timeline as [`simulate`].
///
/// ```
/// use refer_sim::scenario::{catalogue::catalogue, simulate, Prepared};
/// let scenario = catalogue().remove(0).scenario;
/// let prepared = Prepared::new(scenario.clone()).unwrap();
/// assert_eq!(prepared.run(), simulate(&scenario).unwrap());
/// ```
#[derive(Debug, Clone)]
pub struct Prepared {
    scenario: Arc<Scenario>,
    /// The initial TwiML's verbs, parsed once and shared by every run.
    initial: Arc<[twiml::Verb]>,
    refer_leg: LegId,
    endpoint_keys: Arc<[(String, AddressKey)]>,
    /// The `endpoints` key the REFER's sender's address matches (by its place in `endpoint_keys`), matched
    /// once: each run read it again (0.6% of a catalogue run).
    refer_endpoint: Option<usize>,
    /// The initial TwiML's undocumented attributes, as warnings say them.
    initial_unknown: Vec<(&'static str, String)>,
    /// The `app` answers' TwiML and the parties' addresses, read once for every run. Not in
    /// WASM, where the module's size is budgeted (its 1.1 kB gzipped went over): a run there
    /// reads them itself, as it did before.
    known: Option<Arc<crate::transfer::known::Known>>,
    /// The warnings about `endpoints` and `app` entries, written once.
    entry_warnings: Arc<EntryWarnings>,
}

impl Prepared {
    /// Checks the scenario and parses what every run needs; the errors are [`Simulation::new`]'s.
    pub fn new(scenario: Scenario) -> Result<Prepared, ScenarioError> {
        let parsed = twiml::parse(&scenario.initial_twiml);
        if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
            return Err(ScenarioError {
                code: "bad_initial_twiml",
                message: cat!("initialTwiml, line ", d.line, " column ", d.column, ": ", d.message, " (", d.code, ")"),
                field: Some("initialTwiml".into()),
            });
        }
        let document_warnings = twiml::check::run_warnings(&scenario.initial_twiml, &parsed);
        let Some(initial) = parsed.response else {
            return Err(ScenarioError {
                code: "bad_initial_twiml",
                message: "initialTwiml is empty".into(),
                field: Some("initialTwiml".into()),
            });
        };
        let initial_unknown: Vec<(&'static str, String)> =
            document_warnings.into_iter().chain(relative_urls(&scenario, &initial)).collect();
        let (refer_leg, refer_address) = refer_leg(&scenario, &initial)?;
        let endpoint_keys: Arc<[(String, AddressKey)]> =
            scenario.endpoints.keys().map(|k| (k.clone(), AddressKey::new(k))).collect();
        let entry_warnings = Arc::new(EntryWarnings::new(&scenario, &endpoint_keys));
        let refer_endpoint = best_match(&endpoint_keys, &refer_address);
        let initial = initial.children.into();
        // The bodies `Simulation::answer` sends (an empty one for an entry without TwiML).
        let bodies = scenario.app.values().filter(|a| !a.unreachable).map(|a| a.twiml.as_deref().unwrap_or_default());
        let known = (!cfg!(target_arch = "wasm32")).then(|| Arc::new(crate::transfer::known::Known::new(bodies)));
        Ok(Prepared {
            scenario: Arc::new(scenario),
            initial,
            refer_leg,
            endpoint_keys,
            refer_endpoint,
            initial_unknown,
            known,
            entry_warnings,
        })
    }

    /// The scenario as given.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// A new run of the scenario, set up (nothing has happened yet).
    pub fn simulation(&self) -> Simulation {
        self.simulation_with(RunDetail::FULL)
    }

    /// A new run of the scenario that writes what `detail` asks for, set up.
    pub fn simulation_with(&self, detail: RunDetail) -> Simulation {
        let scenario = &self.scenario;
        // The engine runs the shared verbs: the configuration's own TwiML is left empty.
        let cfg = Config {
            initial: twiml::Response { attributes: Vec::new(), children: Vec::new(), span: Default::default() },
            refer_from: scenario.refer_from,
            enhanced_sip_features: scenario.enhanced_sip_features,
            caller_from: scenario.caller.from.clone(),
            caller_to: scenario.caller.to.clone(),
        };
        let mut sim = Simulation {
            answerer: Answerer::App,
            engine: Engine::prepared(cfg, self.initial.clone(), self.known.clone()).writing_messages(detail.messages),
            events: TimeQueue::new(),
            now: 0,
            digits: scenario.caller_digits.iter().cloned().collect(),
            chained: scenario.chained_refers.iter().cloned().collect(),
            chained_from: Vec::new(),
            returned: 0,
            awaiting: VecDeque::new(),
            endpoint_keys: self.endpoint_keys.clone(),
            used_endpoints: Vec::new(),
            used_app: Vec::new(),
            handler_answered: Vec::new(),
            done: false,
            ended: None,
            initial_unknown: self.initial_unknown.clone(),
            entry_warnings: self.entry_warnings.clone(),
            scenario: self.scenario.clone(),
        };
        // A catalogue run takes 16 steps on average, 31 at most: room for them at once.
        sim.engine.reserve_steps(32);
        sim.schedule(0, Input::Start);
        let r = &self.scenario.refer;
        let hold_first = sim.endpoint_at(self.refer_endpoint).hold_before_refer;
        sim.schedule(
            r.at_ms,
            Input::Refer {
                leg: self.refer_leg.clone(),
                refer_to: r.refer_to.values().iter().map(|s| s.to_string()).collect(),
                refer_sub: r.refer_sub,
                hold_first,
            },
        );
        // The caller's key presses go to the inbound call, whichever leg id it has.
        let parent = if scenario.refer_from == ReferFrom::Caller { LegId::transferor() } else { LegId::caller() };
        for k in &scenario.caller_keys {
            sim.schedule(k.at_ms, Input::Digits { leg: parent.clone(), digits: k.digits.clone() });
        }
        sim
    }

    /// Runs the scenario to its end (as [`simulate`] does), with [`RunDetail::MESSAGES_ON_READ`]:
    /// the steps' SIP messages are written on the first read of any step's `messages`, by a
    /// second run ([`Messages`](crate::transfer::Messages)).
    ///
    /// ```
    /// use refer_sim::scenario::{catalogue::catalogue, Prepared, RunDetail};
    /// let prepared = Prepared::new(catalogue().remove(0).scenario).unwrap();
    /// let t = prepared.run();
    /// assert_eq!(t.steps[2].messages[0].first_line(), "INVITE sip:AgentA@example.sip.twilio.com SIP/2.0");
    /// assert_eq!(t, prepared.run_with(RunDetail::FULL));
    /// ```
    pub fn run(&self) -> Timeline {
        self.run_with(RunDetail::MESSAGES_ON_READ)
    }

    /// Runs the scenario to its end, writing what `detail` asks for: with
    /// [`RunDetail::NO_MESSAGES`], the timeline of [`Prepared::run`] with every step's
    /// `messages` empty, made without writing them (a third less work for a catalogue run);
    /// with [`RunDetail::FULL`], with the messages written during the run.
    ///
    /// ```
    /// use refer_sim::scenario::{catalogue::catalogue, Prepared, RunDetail};
    /// let prepared = Prepared::new(catalogue().remove(0).scenario).unwrap();
    /// let mut full = prepared.run_with(RunDetail::FULL);
    /// let light = prepared.run_with(RunDetail::NO_MESSAGES);
    /// assert!(light.steps.iter().all(|s| s.messages.is_empty()));
    /// full.steps.iter_mut().for_each(|s| s.messages.clear());
    /// assert_eq!(light, full);
    /// ```
    pub fn run_with(&self, detail: RunDetail) -> Timeline {
        if detail == RunDetail::MESSAGES_ON_READ {
            return self.clone().into_run();
        }
        self.simulation_with(detail).run()
    }

    /// [`Prepared::run`], this prepared scenario kept for the second run that writes the
    /// messages when they are read.
    #[cfg(not(target_arch = "wasm32"))]
    fn into_run(self) -> Timeline {
        let mut timeline = self.simulation_with(RunDetail::NO_MESSAGES).run();
        let later = Arc::new(crate::transfer::MessagesOnRead::new(self));
        for (i, step) in timeline.steps.iter_mut().enumerate() {
            step.messages = crate::transfer::Messages::on_read(i, later.clone());
        }
        timeline
    }

    /// [`Prepared::run`] in WASM, where the package writes the messages on read itself
    /// ([`Messages`](crate::transfer::Messages)): the messages written during the run.
    #[cfg(target_arch = "wasm32")]
    fn into_run(self) -> Timeline {
        self.simulation_with(RunDetail::FULL).run()
    }
}

/// What a run writes into its steps beyond what every run records ([`Prepared::run_with`],
/// [`Prepared::simulation_with`]): [`RunDetail::FULL`] (what a [`Simulation`] writes),
/// [`RunDetail::MESSAGES_ON_READ`] (what [`simulate`] and [`Prepared::run`] write) or less,
/// for a caller that does not read it. A run writing less advances the call exactly as a full
/// one: its steps, narrations, webhooks, legs, outcome, explanation and warnings are the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct RunDetail {
    /// Each step's SIP messages (`Step::messages`): when `false`, every step's are empty.
    pub messages: bool,
    /// With `messages`, written on their first read by a second run
    /// ([`Messages`](crate::transfer::Messages)) rather than during this one: only
    /// [`Prepared::run_with`] does so (a [`Simulation`], which may be answered step by step,
    /// writes them during the run).
    pub on_read: bool,
}

impl RunDetail {
    /// Everything, the messages written during the run: what a [`Simulation`] writes.
    pub const FULL: RunDetail = RunDetail { messages: true, on_read: false };
    /// Everything, the messages written when first read: what [`Prepared::run`] writes.
    pub const MESSAGES_ON_READ: RunDetail = RunDetail { messages: true, on_read: true };
    /// Everything but the SIP messages.
    pub const NO_MESSAGES: RunDetail = RunDetail { messages: false, on_read: false };
}

impl Default for RunDetail {
    /// [`RunDetail::FULL`].
    fn default() -> Self {
        RunDetail::FULL
    }
}

impl Simulation {
    /// Checks the scenario and sets the call up (nothing has happened yet).
    /// To run one scenario many times, [`Prepared`] checks and parses it once.
    pub fn new(scenario: Scenario) -> Result<Simulation, ScenarioError> {
        Ok(Prepared::new(scenario)?.simulation())
    }

    /// Answers webhooks with `handler` first; the scenario's `app` map answers
    /// the requests it returns `None` for.
    pub fn with_handler(mut self, handler: WebhookHandler) -> Self {
        self.answerer = Answerer::Handler(handler);
        self
    }

    /// Pauses at every request Twilio makes until [`Simulation::respond`]
    /// supplies the answer: [`Simulation::pending`] shows the request, and
    /// [`Simulation::step`] returns no step that would need time to pass.
    pub fn pausing_at_webhooks(mut self) -> Self {
        self.answerer = Answerer::Caller;
        self
    }

    fn schedule(&mut self, at: u64, input: Input) {
        self.events.push(at, input);
    }

    /// The behaviour of the endpoint at `address`, recording which entry matched.
    fn endpoint(&mut self, address: &str) -> Endpoint {
        let found = best_match(&self.endpoint_keys, address);
        self.endpoint_at(found)
    }

    /// The behaviour of the endpoint of the `endpoints` key at `found` in `endpoint_keys`
    /// (the default with none), recording that it matched.
    fn endpoint_at(&mut self, found: Option<usize>) -> Endpoint {
        let Some((i, (key, _))) = found.and_then(|i| Some((i, self.endpoint_keys.get(i)?))) else {
            return Endpoint::default();
        };
        if !self.used_endpoints.contains(&i) {
            self.used_endpoints.push(i);
        }
        self.scenario.endpoints.get(key).cloned().unwrap_or_default()
    }

    /// The next step, or `None` once the run has ended, or while a request
    /// waits for [`Simulation::respond`] and every step up to it was returned.
    pub fn step(&mut self) -> Option<Step> {
        self.advance().then(|| self.steps().last().cloned()).flatten()
    }

    /// Records the next step in `steps` (what [`Simulation::step`] returns a copy of):
    /// true when there was one. [`Simulation::run`] moves the steps into the timeline, so a
    /// whole run copies no step.
    fn advance(&mut self) -> bool {
        loop {
            // The world reacts to an input's effects once its last step is
            // returned, so a paused request shows right after the step that sent it. The
            // steps stay in the engine's list (only an input records more, and the world's
            // reaction gives none): each was moved once more through a queue here, 3% of a light run.
            let recorded = self.engine.recorded_steps().len();
            if self.returned < recorded {
                self.returned += 1;
                if self.returned == recorded {
                    self.react();
                }
                return true;
            }
            self.react();
            if self.done || !self.awaiting.is_empty() {
                return false;
            }
            if self.engine.halted() {
                // The engine recorded its own end step when it stopped.
                self.done = true;
                return false;
            }
            let next_event = self.events.next_time();
            let next_timer = self.engine.poll_timeout();
            let fire_timer = match (next_event, next_timer) {
                (None, None) => {
                    self.done = true;
                    let at_ms = self.steps().last().map_or(self.now, |s| s.at_ms);
                    self.ended = Some(self.engine.record_end(at_ms));
                    self.returned += 1;
                    return true;
                }
                (Some(e), Some(t)) => t < e,
                (None, Some(_)) => true,
                (Some(_), None) => false,
            };
            if fire_timer {
                let t = next_timer.unwrap_or(self.now);
                self.now = self.now.max(t);
                self.engine.handle_timeout(t);
            } else if let Some((at, input)) = self.events.pop_due(u64::MAX) {
                self.now = self.now.max(at);
                self.engine.handle(at, input);
            }
            if self.engine.halted() {
                self.events.clear();
            }
        }
    }

    /// The oldest request waiting for its answer (only when pausing at webhooks).
    pub fn pending(&self) -> Option<&PendingRequest> {
        self.awaiting.front()
    }

    /// Answers the oldest pending request; `None` uses the scenario's `app` entry
    /// for its URL (unreachable when there is none). The answer arrives
    /// `latency_ms` after the request was sent.
    pub fn respond(&mut self, answer: Option<AppResponse>) -> Result<(), NothingPending> {
        let pending = self.awaiting.pop_front().ok_or(NothingPending)?;
        self.answer(pending, answer);
        Ok(())
    }

    /// Schedules the application's answer (or the `app` map's) to a request.
    fn answer(&mut self, pending: PendingRequest, answer: Option<AppResponse>) {
        let PendingRequest { request, at_ms, webhook } = pending;
        if answer.is_some() {
            self.handler_answered.push(request);
        }
        let (mut redirected_to, mut redirected_method, mut body_over) = (None, None, None);
        let (at, reply) = match answer.as_ref().or_else(|| self.scenario.app.get(&webhook.url)) {
            None => (at_ms + UNKNOWN_URL_FAIL_MS, HttpReply::Unreachable),
            Some(a) if a.unreachable => (at_ms + a.latency_ms, HttpReply::Unreachable),
            Some(a) => {
                // No body given is an empty body, as a live server's empty answer (assumed: no page
                // says more than that an empty document does not parse, `error.12100`).
                let body = a.twiml.clone().unwrap_or_default();
                let reply = match &a.content_type {
                    None => HttpReply::Body { status: a.status, twiml: body },
                    Some(t) => {
                        HttpReply::Typed { status: a.status, content_type: Some(t.clone()).filter(|t| !t.is_empty()), body }
                    }
                };
                // A relative `redirectedTo` is resolved against the URL requested, as a Location header is.
                let to = a.redirected_to.as_deref().map(|to| crate::transfer::url::resolve(Some(&webhook.url), to));
                (redirected_to, redirected_method, body_over) = (to, a.redirected_method, a.body_over);
                (at_ms + a.latency_ms, reply)
            }
        };
        self.schedule(at, Input::HttpResponseFrom { request, reply, redirected_to, redirected_method, body_over });
    }

    /// Plays the world's side for every effect the engine asked for.
    fn react(&mut self) {
        while let Some(effect) = self.engine.poll_effect() {
            let now = self.now;
            match effect {
                Effect::Ring { leg, address } => {
                    let ep = self.endpoint(&address);
                    if !ep.response_headers.is_empty() {
                        let headers = ep.response_headers.iter().map(|(n, v)| (n.clone(), v.clone())).collect();
                        self.schedule(now, Input::ResponseHeaders { leg: leg.clone(), headers });
                    }
                    let at = now + ep.after_ms;
                    match ep.answer {
                        Answer::Answer => self.schedule(at, Input::Answered { leg }),
                        Answer::Busy => self.schedule(at, Input::Declined { leg, status: CallStatus::Busy, sip_code: 486 }),
                        Answer::Fail => self.schedule(
                            at,
                            Input::Declined { leg, status: CallStatus::Failed, sip_code: ep.sip_code.unwrap_or(503) },
                        ),
                        Answer::NoAnswer => {}
                    }
                }
                Effect::Connected { leg, address } => {
                    if let Some(after) = self.endpoint(&address).hangup_after_ms {
                        self.schedule(now + after, Input::HungUp { leg });
                    }
                }
                Effect::Fetch { request, url, webhook } => {
                    if self.scenario.app.contains_key(&url) && !self.used_app.contains(&url) {
                        self.used_app.push(url);
                    }
                    let pending = PendingRequest { request, at_ms: now, webhook };
                    match &mut self.answerer {
                        Answerer::Caller => self.awaiting.push_back(pending),
                        Answerer::App => self.answer(pending, None),
                        Answerer::Handler(h) => {
                            let answer = h(&pending.webhook);
                            self.answer(pending, answer);
                        }
                    }
                }
                Effect::Notified { leg, address, code, terminated } => {
                    if terminated && code == 200 && self.endpoint(&address).bye_on_notify {
                        self.schedule(now + BYE_AFTER_NOTIFY_MS, Input::HungUp { leg });
                    }
                }
                Effect::Bridged { a, b } => {
                    for leg in [a, b] {
                        let Some(party) = self.engine.leg(&leg).filter(|l| l.role == Role::Target).map(|l| l.party.clone())
                        else {
                            continue;
                        };
                        if !self.chained_from.contains(&leg) {
                            if let Some(next) = self.chained.pop_front() {
                                self.chained_from.push(leg.clone());
                                let hold_first = self.endpoint(&party).hold_before_refer;
                                self.schedule(
                                    now + next.after_ms,
                                    Input::Refer { leg, refer_to: vec![next.refer_to], refer_sub: true, hold_first },
                                );
                            }
                        }
                    }
                }
                Effect::GatherStarted { leg } => {
                    if let Some(d) = self.digits.pop_front() {
                        self.schedule(now + DIGITS_AFTER_MS, Input::Digits { leg, digits: d });
                    }
                }
                Effect::ReferSent { leg, address, .. } => {
                    let ep = self.endpoint(&address);
                    let answered = now + REFER_ANSWER_MS;
                    self.schedule(answered, Input::ReferAnswered { leg: leg.clone(), code: ep.refer_response });
                    if (200..300).contains(&ep.refer_response) {
                        let trying = answered + REFER_ANSWER_MS;
                        self.schedule(trying, Input::ReferNotify { leg: leg.clone(), code: 100, terminated: false });
                        let last = trying + REFER_NEW_CALL_MS;
                        self.schedule(last, Input::ReferNotify { leg, code: ep.refer_notify, terminated: true });
                    }
                }
            }
        }
    }

    /// Runs to the end and returns the whole timeline. With
    /// [`Simulation::pausing_at_webhooks`], each request gets the scenario's `app` answer.
    pub fn run(mut self) -> Timeline {
        loop {
            if self.advance() {
                continue;
            }
            if self.pending().is_none() {
                break;
            }
            let _ = self.respond(None);
        }
        // The run is over and `self` is consumed: its steps move into the timeline, uncopied.
        let steps = self.engine.take_steps();
        let outcome = self.ended.take().unwrap_or_else(|| self.engine.outcome());
        Timeline {
            explanation: explain_with(&steps, &outcome, &self.engine.refer_facts),
            steps,
            outcome,
            warnings: self.warnings(),
        }
    }

    /// The timeline so far: the steps, the outcome and the warnings.
    pub fn timeline(&self) -> Timeline {
        self.timeline_of(self.steps().to_vec())
    }

    /// A timeline of `steps` (this run's) with the outcome, explanation and warnings now. Before
    /// the run has ended, the explanation gives no cause and no fix ([`NOT_ENDED`]).
    fn timeline_of(&self, steps: Vec<Step>) -> Timeline {
        let outcome = self.outcome();
        let explanation = if self.ended() {
            explain_with(&steps, &outcome, &self.engine.refer_facts)
        } else {
            Explanation { cause: NOT_ENDED.into(), fix: None }
        };
        Timeline { explanation, steps, outcome, warnings: self.warnings() }
    }

    /// Entries of `endpoints` and `app` that nothing used, and `app` entries that answer later
    /// than Twilio waits (`slow_app`); empty until the run is done.
    pub fn warnings(&self) -> Vec<ScenarioWarning> {
        if !self.done {
            return Vec::new();
        }
        let mut out = Vec::new();
        let documents = self.initial_unknown.iter().map(|(code, m)| ("initialTwiml".to_string(), *code, m));
        let fetched = self.engine.unknown_attributes.iter().map(|(request, url, code, m)| {
            // The scenario's `app[url].twiml`, or a handler's answer (the scenario has no such entry).
            let field = if self.handler_answered.contains(request) {
                cat!("the answer from ", url)
            } else {
                format!("{}.twiml", input::key_path("app", url))
            };
            (field, *code, m)
        });
        for (field, code, m) in documents.chain(fetched) {
            out.push(if code == "unknown_attribute" {
                ScenarioWarning {
                    code: "unknown_attribute",
                    field,
                    message: cat!(m, ": Twilio ignores an attribute it does not document (warning 12200), so it changed nothing here; check its spelling (attribute names are case-sensitive: referUrl, not referURL)"),
                }
            } else if matches!(code, "unknown_element" | "misplaced_verb" | "noun_outside_dial") {
                ScenarioWarning {
                    code: "unknown_element",
                    field,
                    message: cat!(m, ". Twilio warns 12200 for an element it does not expect there; refer-sim skips it when the call runs (assumed)"),
                }
            } else if matches!(code, "relative_url" | "sips_unsupported" | "unsimulated_override") {
                ScenarioWarning { code, field, message: m.clone() }
            } else {
                ScenarioWarning { code: "bad_attribute_value", field, message: m.clone() }
            });
        }
        // A final NOTIFY later than the refer subscription's assumed `expires` (F3, round 13):
        // what RFC 6665 has the two ends do then, and that Twilio's is not documented.
        for (leg, since, at) in &self.engine.late_notifies {
            let field = match self.chained_from.iter().position(|l| l == leg) {
                Some(i) => cat!("chainedRefers[", i, "]"),
                None => "refer".to_string(),
            };
            let who = self.engine.leg(leg).map(|l| l.label.to_string()).unwrap_or_default();
            let (ms, expires) = (at - since, crate::transfer::REFER_EXPIRES_S);
            let after = cat!(ms / 1000, ".", ms % 1000 / 100, " s");
            out.push(ScenarioWarning {
                code: "subscription_expired",
                message: cat!(
                    "The final NOTIFY to ", who, " goes out ", after, " after the first one, whose Subscription-State active;expires=", expires,
                    " (an assumed value) let the refer subscription run out at ", expires, " s; nothing refreshes it (Twilio takes no SUBSCRIBE). Under RFC 6665 the notifier ends an expired subscription (terminated;reason=timeout) and the subscriber answers a later NOTIFY 481, so ", who,
                    " would not learn the outcome. What Twilio does here is not documented: this run still shows the NOTIFY sent and answered 200 OK."
                ),
                field,
            });
        }
        // The chained REFERs never sent: each waits for a target to be bridged (F5, round 13).
        let sent = self.scenario.chained_refers.len() - self.chained.len();
        for i in 0..self.chained.len() {
            let path = cat!("chainedRefers[", sent + i, "]");
            out.push(ScenarioWarning {
                code: "unused_chained_refer",
                message: cat!(
                    path,
                    "'s REFER was never sent, so it changed nothing: a chained REFER is sent by the target of the transfer before it, afterMs after that target is bridged with the transferee, and ",
                    if sent == 0 && i == 0 { "the first transfer" } else { "the transfer before it" },
                    " bridged no target this run."
                ),
                field: path,
            });
        }
        for (i, unused) in self.entry_warnings.endpoints.iter().enumerate() {
            if !self.used_endpoints.contains(&i) {
                out.push(unused.clone());
            }
        }
        for (url, slow, unused) in &self.entry_warnings.app {
            out.extend(slow.iter().cloned());
            if !self.used_app.contains(url) {
                out.push(unused.clone());
            }
        }
        out
    }

    /// Every leg now.
    pub fn snapshot(&self) -> Vec<Leg> {
        self.engine.legs()
    }

    /// The steps so far.
    pub fn steps(&self) -> &[Step] {
        self.engine.recorded_steps().get(..self.returned).unwrap_or_default()
    }

    /// True once the end step has been returned.
    pub fn done(&self) -> bool {
        self.done
    }

    /// The simulated time of the last step.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// The outcome so far: until the run has ended, its summary says what is under way
    /// (a transfer in progress, or none yet), never how the run ended.
    pub fn outcome(&self) -> crate::transfer::Outcome {
        match &self.ended {
            Some(outcome) => outcome.clone(),
            None if self.ended() => self.engine.outcome(),
            None => self.engine.outcome_so_far(),
        }
    }

    /// True once the run's end step has been recorded: [`Simulation::done`] becomes true only
    /// at the next [`Simulation::step`] when the engine stopped the run itself.
    fn ended(&self) -> bool {
        self.done || self.steps().last().is_some_and(|s| s.kind == StepKind::End)
    }
}

/// The initial TwiML's relative URLs (`referUrl`, `action`, `<Redirect>`) that no `app` entry
/// is keyed by, as `relative_url` warnings. Twilio resolves them against the URL the document
/// came from (`dial.action-relative`); a scenario's initial TwiML has no URL, so they are
/// requested as written and only an `app` key spelt the same way answers them.
fn relative_urls(scenario: &Scenario, initial: &twiml::Response) -> Vec<(&'static str, String)> {
    let found = twiml::check::webhook_urls(initial);
    // The document's lines are indexed only for a relative URL to place (`simulate` prepares
    // every run: indexed each time, they were 1.3% of its run).
    let mut lines = None;
    found
        .into_iter()
        .filter(|u| !u.url.is_empty() && !crate::transfer::url::has_scheme(&u.url) && !scenario.app.contains_key(&*u.url))
        .map(|u| {
            let (written, url) = (u.written(), &u.url);
            let at = lines.get_or_insert_with(|| crate::span::LineIndex::new(&scenario.initial_twiml)).position(u.span.start);
            let message = format!(
                "line {} column {}: {written} is a relative URL. Twilio resolves it against the URL the document came from (the number's or SIP domain's voice URL); a scenario's initialTwiml has no URL, so refer-sim requests {url:?} as written and no app entry answers it (alert 11205, like an unreachable URL). Write the absolute URL your app entry has, or key the app entry {url:?}.",
                at.line, at.column
            );
            ("relative_url", message)
        })
        .collect()
}

/// The address of the first party the initial `<Dial>` calls.
fn first_party(initial: &twiml::Response) -> Option<String> {
    let dial = initial.dials().next()?;
    dial.nouns().find_map(DialChild::party).or_else(|| dial.text_number())
}

/// The leg the first REFER arrives on and the address of its party, checked to be a SIP endpoint.
fn refer_leg(s: &Scenario, initial: &twiml::Response) -> Result<(LegId, String), ScenarioError> {
    let parent = match s.refer_from {
        ReferFrom::Transferor => LegId::caller(),
        ReferFrom::Caller => LegId::transferor(),
    };
    let in_room = initial.verbs().iter().any(|v| match v {
        Verb::Enqueue(_) => true,
        Verb::Dial(d) => d.nouns().any(|c| matches!(c, DialChild::Conference(_) | DialChild::Queue(_))),
        _ => false,
    });
    let (leg, address, who) = if s.refer_from == ReferFrom::Caller || in_room {
        (parent, Some(s.caller.from.clone()), "the caller (caller.from)")
    } else {
        (LegId::transferor(), first_party(initial), "the party the initial <Dial> calls")
    };
    match address {
        Some(a) if Transport::of(&a) == Transport::Sip => Ok((leg, a)),
        Some(a) => Err(ScenarioError {
            code: "refer_from_not_sip",
            message: cat!(
                "the REFER would come from ",
                who,
                ", ",
                a,
                ", which is not a SIP endpoint; only SIP endpoints send REFER"
            ),
            field: Some(if leg == LegId::transferor() && s.refer_from == ReferFrom::Transferor {
                "initialTwiml".into()
            } else {
                "caller.from".into()
            }),
        }),
        None => Err(ScenarioError {
            code: "no_initial_dial",
            message: "initialTwiml has no <Dial> with <Sip>, <Number> or <Client>, so there is no transferor leg to send REFER"
                .into(),
            field: Some("initialTwiml".into()),
        }),
    }
}

/// An `endpoints` key, read once: what a party's address must have to match it.
#[derive(Debug, Clone)]
enum AddressKey {
    /// A `sip:`, `sips:` or `tel:` URI: scheme, user and host must agree, and
    /// every port, parameter and header the key writes.
    Uri(Uri),
    /// A bare user (`AgentB`, `+14155550100`): any SIP or tel address with that user.
    User(String),
    /// Anything else (`client:alice`, a typo): only the same text matches.
    Exact,
}

impl AddressKey {
    fn new(key: &str) -> AddressKey {
        let key = key.trim();
        if key.contains(':') {
            if let Ok(uri) = parse_uri(key) {
                return AddressKey::Uri(uri);
            }
        } else if !key.contains('@') && parse_uri(&cat!("sip:", key, "@h")).is_ok_and(|u| u.user.as_deref() == Some(key)) {
            return AddressKey::User(key.to_string());
        }
        AddressKey::Exact
    }

    /// How closely a parsed address matches, higher is closer; `None` when it does not.
    fn rank(&self, address: &Uri) -> Option<(u8, usize)> {
        match self {
            AddressKey::Uri(k) => {
                uri_matches(k, address).then(|| (2, k.params.len() + k.headers.len() + usize::from(k.port.is_some())))
            }
            AddressKey::User(u) => (address.user.as_deref() == Some(u.as_str())).then_some((1, 0)),
            AddressKey::Exact => None,
        }
    }
}

/// Where in `keys` the entry that best matches `address` is: the same text first, then
/// the URI key that names the most of it, then a bare user; among equals, the
/// first key in order. The address is parsed with [`parse_uri`] like the keys, when some
/// key is a URI or a bare user (only those match a parsed address; parsing it anyway, with
/// no such key, was 1% of a catalogue run).
fn best_match(keys: &[(String, AddressKey)], address: &str) -> Option<usize> {
    let address = address.trim();
    if let Some(i) = keys.iter().position(|(k, _)| k.trim() == address) {
        return Some(i);
    }
    if keys.iter().all(|(_, parsed)| matches!(parsed, AddressKey::Exact)) {
        return None;
    }
    let uri = parse_uri(address).ok()?;
    let mut best: Option<(usize, (u8, usize))> = None;
    for (i, (_, parsed)) in keys.iter().enumerate() {
        if let Some(rank) = parsed.rank(&uri) {
            if best.is_none_or(|(_, r)| rank > r) {
                best = Some((i, rank));
            }
        }
    }
    best.map(|(i, _)| i)
}

/// The `endpoints` key that applies to a party at `address`, as the simulation matches it.
pub fn endpoint_key<'a>(endpoints: &'a BTreeMap<String, Endpoint>, address: &str) -> Option<&'a str> {
    let keys: Vec<(String, AddressKey)> = endpoints.keys().map(|k| (k.clone(), AddressKey::new(k))).collect();
    let found = best_match(&keys, address)?;
    endpoints.keys().nth(found).map(String::as_str)
}

/// Whether `address` is the party `key` names: the same scheme and user (RFC
/// 3261 §19.1.4: the user is case-sensitive), the same host in any case, and
/// every port, parameter and header the key writes (parameter names and values
/// in any case, header names in any case and values decoded). \[rfc\]
fn uri_matches(key: &Uri, address: &Uri) -> bool {
    let same_host = match (&key.host, &address.host) {
        (Some(Host::Domain(a)), Some(Host::Domain(b))) => a.trim_end_matches('.').eq_ignore_ascii_case(b.trim_end_matches('.')),
        (a, b) => a == b,
    };
    key.scheme == address.scheme
        && key.user == address.user
        && same_host
        && key.port.is_none_or(|p| address.port == Some(p))
        && key.params.iter().all(|p| {
            address.param(&p.name).is_some_and(|v| match (&p.value, v) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                (None, None) => true,
                _ => false,
            })
        })
        && key.headers.iter().all(|h| address.header(&h.name).is_some_and(|v| v.value == h.value))
}

/// The cause of a [`Simulation::timeline`] read before the run has ended (its `fix` is `None`):
/// a run that goes on has not ended as anything yet, so nothing is claimed about why.
pub const NOT_ENDED: &str = "The run has not ended yet: the cause and a fix are given once it ends.";

/// Why a run ended as it did, and what to change, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// What made the outcome what it is.
    pub cause: String,
    /// What to change for a different outcome; `None` when the transfer went through, and
    /// while the run has not ended ([`NOT_ENDED`]).
    pub fix: Option<String>,
}

/// The cause and fix of a run whose last `<Refer>` verb (Twilio sending REFER to `caller`'s
/// party) ran or failed: the 13801 alert, the endpoint's refusal, or its final NOTIFY.
/// `None` when no `<Refer>` ran. Read from the steps' kinds and sources, not their SIP
/// messages, which a run without messages ([`RunDetail`]) does not write: the `<Refer>` step
/// that sends Twilio's REFER is the only one sourced `referverb.sip-noun`, the party's refusal
/// of it the only refer-rejected step sourced `referverb.action-examples`, and its final
/// NOTIFY (`Subscription-State: terminated`) the only notify-sent step sourced `referverb.returns`.
fn refer_verb_cause(steps: &[Step], caller: &str) -> Option<(String, Option<String>)> {
    let is = |s: &Step, kind: StepKind, source: &str| s.kind == kind && s.source == Some(source);
    let sent = steps.iter().rposition(|s| is(s, StepKind::TwimlVerb, "referverb.sip-noun"));
    let Some(sent) = sent else {
        steps.iter().rev().find(|s| s.alerts.iter().any(|a| a.code == Some(13801)))?;
        return Some((
            cat!("A <Refer> ran on ", caller, "'s call, which is not a SIP call: the Refer verb is only allowed on SIP call legs, so Twilio raised error 13801, sent no REFER, and ", caller, "'s call was not transferred."),
            Some(cat!("Transfer ", caller, "'s call with <Dial> instead: <Refer> works only when ", caller, "'s call is a SIP call.")),
        ));
    };
    // The party's refusal, or its last NOTIFY's sipfrag, after Twilio's REFER.
    let after = steps.get(sent + 1..).unwrap_or_default();
    let refused = after.iter().find(|s| is(s, StepKind::ReferRejected, "referverb.action-examples"));
    let final_notify = after.iter().find(|s| is(s, StepKind::NotifySent, "referverb.returns"));
    let handle = "Handle ReferCallStatus in the <Refer> action TwiML (the call is still on Twilio when the transfer fails)";
    if let Some(r) = refused {
        return Some((
            cat!(r.narration, " The <Refer> action or the next verb decided what ", caller, " heard next."),
            Some(cat!(
                "Make ",
                caller,
                "'s SIP endpoint accept REFER for this target (a 4xx/5xx/6xx answer means it will not transfer), or ",
                lower_first(handle),
                "."
            )),
        ));
    }
    let n = final_notify?;
    if n.narration.contains("(ReferCallStatus in-progress)") {
        return Some((cat!(n.narration, " ", caller, "'s call now goes on outside Twilio."), None));
    }
    Some((n.narration.clone(), Some(cat!(handle, ", or check the target ", caller, "'s endpoint called."))))
}

fn lower_first(text: &str) -> String {
    let mut t = text.to_string();
    if let Some(first) = t.get_mut(..1) {
        first.make_ascii_lowercase();
    }
    t
}

/// Reads the cause and the fix off a finished run: the REFER's refusal, the
/// referUrl answer, each target's final status and who is connected at the end.
/// Whether the initial call came back tells whether answerOnBridge held it.
pub fn explain(steps: &[Step], outcome: &crate::transfer::Outcome) -> Explanation {
    // What the REFER steps' messages say: who sent each REFER, the code of each refusal.
    let facts: Vec<(usize, ReferFact)> = steps
        .iter()
        .enumerate()
        .filter_map(|(i, s)| match s.kind {
            StepKind::ReferReceived => {
                s.messages.iter().find(|m| m.method() == Some("REFER")).map(|m| (i, ReferFact::Sender(LegId(m.from.clone()))))
            }
            StepKind::ReferRejected => s.messages.iter().find_map(|m| m.status()).map(|code| (i, ReferFact::Refused(code))),
            _ => None,
        })
        .collect();
    explain_with(steps, outcome, &facts)
}

/// [`explain`], with what the REFER steps' messages say given by step index (`facts`): the
/// engine keeps them for a run's own explanation, which a run without messages gives the same.
fn explain_with(steps: &[Step], outcome: &crate::transfer::Outcome, facts: &[(usize, ReferFact)]) -> Explanation {
    let fact = |at: usize| facts.iter().rev().find(|(i, _)| *i == at).map(|(_, f)| f);
    // Every leg at the end, and how many existed when the latest REFER arrived (legs are
    // only ever added, in creation order), in one replay of the steps.
    let refer_at = steps.iter().rposition(|s| s.kind == StepKind::ReferReceived);
    let mut replay = crate::transfer::LegReplay::new();
    let mut legs_at_refer = 0;
    for (i, step) in steps.iter().enumerate() {
        let legs = replay.apply(step);
        if Some(i) == refer_at {
            legs_at_refer = legs.len();
        }
    }
    let legs = replay.into_legs();
    // Borrowed from the legs (each copied into a `String` of its own, two a run).
    let label = |role: Role| legs.iter().find(|l| l.role == role).map_or(role_name(role), |l| l.label.as_str());
    // A cause that starts with a party's label keeps it as the user wrote it (`bob`, not `Bob`).
    let starts_with_label = |text: &str| {
        legs.iter().any(|l| {
            let label = l.label.as_str();
            !label.is_empty()
                && text.strip_prefix(label).is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\'', ',', ':']))
        })
    };
    let explained = |cause: String, fix: Option<String>| Explanation {
        cause: if starts_with_label(&cause) { cause } else { capitalised(cause) },
        fix,
    };
    // A status or recording callback's answer changes nothing: it never explains an outcome.
    let last_at = |kind: StepKind| {
        steps
            .iter()
            .enumerate()
            .rev()
            .find(|(_, s)| s.kind == kind && !s.narration.starts_with(crate::transfer::CALLBACK_ANSWER_PREFIX))
    };
    let last = |kind: StepKind| last_at(kind).map(|(_, s)| s);
    // The party that sent the latest REFER (AgentB in a chained transfer).
    let refer_step = last(StepKind::ReferReceived);
    let sender_leg = last_at(StepKind::ReferReceived)
        .and_then(|(i, _)| match fact(i) {
            Some(ReferFact::Sender(id)) => Some(id),
            _ => None,
        })
        .and_then(|id| legs.iter().find(|l| l.id == *id));
    let sender = sender_leg.map(|l| l.label.as_str());
    // A later round of a chained transfer: a target of an earlier round sent the REFER. Its
    // outcome is about the legs this round dialled, and the <Dial> that called the sender.
    let chained = sender_leg.is_some_and(|l| l.role == Role::Target);
    let connected = |id: &LegId| outcome.connected.iter().any(|(a, b)| a == id || b == id);
    // A leg of this round was created after that REFER arrived (the earlier rounds' legs come first).
    let position = |l: &Leg| legs.iter().position(|o| o.id == l.id).unwrap_or(0);
    let this_round = |l: &&Leg| !chained || (refer_step.is_some() && position(l) >= legs_at_refer);
    let (caller, agent) = (label(Role::Caller), sender.unwrap_or_else(|| label(Role::Transferor)));
    let role_of = |id: &LegId| legs.iter().find(|l| &l.id == id).map(|l| l.role);
    let has_role = |role: Role| outcome.connected.iter().any(|(a, b)| role_of(a) == Some(role) || role_of(b) == Some(role));
    let alert = |code: u32| outcome.alerts.iter().any(|a| a.code == Some(code));
    let summary = outcome.summary.trim_end_matches('.');
    if last(StepKind::ReferReceived).is_none() {
        return explained(cat!("No REFER reached Twilio: ", summary, "."), None);
    }
    // A <Refer> verb (Twilio sending REFER) decided how the call ended.
    if let Some((cause, fix)) = refer_verb_cause(steps, caller) {
        return explained(cause, fix);
    }
    if let Some((at, rejected)) = last_at(StepKind::ReferRejected) {
        let code = match fact(at) {
            Some(ReferFact::Refused(code)) => Some(*code),
            _ => None,
        };
        let fix = match code {
            Some(403) => "Turn on Enhanced Programmable SIP Features for the account (the scenario's enhancedSipFeatures).",
            Some(501) => "REFER cannot move a call out of <Conference>, <Queue> or <Enqueue>: connect the parties with <Dial><Sip>, <Number> or <Client> instead.",
            Some(400) => "Send exactly one Refer-To header: a sip:, sips: or tel: URI that parses, at most 256 characters.",
            Some(481) => "Send the REFER only once the call is answered (there is no dialog to transfer before).",
            _ => "Change what the refusal names, then send the REFER again.",
        };
        return explained(rejected.narration.clone(), Some(fix.into()));
    }
    if alert(13802) {
        return explained(
            cat!(
                "The <Dial> that called ",
                agent,
                " has no referUrl, so Twilio had nowhere to ask what to do (alert 13802) and kept ",
                caller,
                " with ",
                agent,
                "."
            ),
            Some(cat!("Add referUrl=\"https://…\" to the <Dial> that calls ", agent, ".")),
        );
    }
    let together = match sender_leg {
        Some(l) if chained => connected(&l.id),
        _ => has_role(Role::Transferor) && has_role(Role::Caller),
    };
    // The engine's summary says whether the latest transfer re-established the initial call;
    // who is connected at the end cannot tell, since either party may have hung up since.
    let back = together || summary.starts_with("The transfer failed and the initial call was re-established");
    let since = if together { "" } else { "; that call has ended since" };
    let kept =
        cat!("answerOnBridge=\"true\" kept ", agent, " on the call, so Twilio reconnected ", caller, " and ", agent, since);
    // With answerOnBridge true the transfer completes early only when the referUrl TwiML plays
    // to the caller before a target answers (the engine's summary says so).
    let played_first = outcome.went_on_before_any_target;
    let released = if played_first {
        cat!(
            "the referUrl TwiML played to ",
            caller,
            " before any target answered, which completed the transfer and released ",
            agent
        )
    } else {
        cat!("with answerOnBridge absent, ", agent, " was released right after the referUrl webhook")
    };
    let which = if chained { cat!("the referUrl <Dial> that called ", agent) } else { "the initial <Dial>".to_string() };
    let add_aob = if played_first {
        cat!("put the referUrl <Dial> first, so that ", caller, " goes back to ", agent, " when the transfer fails")
    } else {
        cat!("add answerOnBridge=\"true\" to ", which, " so that ", caller, " goes back to ", agent, " when the transfer fails")
    };
    let targets: Vec<&Leg> = legs.iter().filter(|l| l.role == Role::Target).filter(this_round).collect();
    if targets.is_empty() {
        if let Some(failed) = last(StepKind::WebhookFailed) {
            let forbidden = failed.response.as_ref().and_then(|r| r.status).is_some_and(|s| s == 401 || s == 403);
            let repair = if failed.narration.contains(" did not answer within ") {
                "Make referUrl answer within Twilio's webhook timeout (15 s, or the URL's #rt=/#tt= override): reply at once and do slow work afterwards"
            } else if alert(11205) {
                "Make referUrl reachable from Twilio (a public URL, not localhost)"
            } else if forbidden {
                "Answer referUrl with HTTP 200 and TwiML; a 401 or 403 from an app that validates X-Twilio-Signature \
                 usually means it checks with another auth token or another URL than the one Twilio requested"
            } else if alert(11216) {
                "Answer referUrl with HTTP 200 and TwiML, or redirect with 301, 302, 303 or 307 and a Location header \
                 (Twilio follows no other redirect)"
            } else if alert(12100) {
                "Return well-formed TwiML from referUrl (refer-sim check, or checkTransfer(xml, \"referResponse\"))"
            } else if alert(12300) {
                "Answer referUrl with a Content-Type Twilio reads as TwiML, text/xml (with Express: res.type(\"text/xml\").send(twiml)); \
                 JSON, or an answer without a Content-Type such as a bare 204, is error 12300"
            } else if alert(11750) {
                "Keep referUrl's answer under 64 kB: move long <Say> text or lists into later requests (<Redirect>, <Gather action>)"
            } else {
                "Answer referUrl with HTTP 200 and TwiML"
            };
            let (cause, fix) = if back {
                (cat!(failed.narration, " Then ", kept, "."), cat!(repair, "."))
            } else {
                (
                    cat!(failed.narration, " And ", released, ": ", caller, " was left with nobody."),
                    cat!(repair, "; and ", add_aob, "."),
                )
            };
            return explained(cause, Some(fix));
        }
        // A referUrl answer that put the caller in a room (<Conference>, <Enqueue>) is a design
        // the REFER page allows (`refer.any-verb`: "<Dial>, <Say>, <Play>, <Gather>, <Enqueue>"),
        // not a misspelt <Dial>: said so, with no typo to correct.
        let room = match legs.iter().find(|l| l.role == Role::Caller).map(|l| &l.hearing) {
            Some(Hearing::Conference(_)) => Some("a conference"),
            Some(Hearing::HoldMusic) => Some("a queue"),
            _ => None,
        };
        if let Some(room) = room {
            // Who is where at the end: the summary's part after its head.
            let at_end = summary.rsplit_once(": ").map_or(summary, |(_, who)| who);
            return explained(
                cat!(
                    "The referUrl TwiML put ",
                    caller,
                    " in ",
                    room,
                    " instead of dialling a target (referUrl may answer with any TwiML): ",
                    at_end,
                    "."
                ),
                Some(cat!(
                    "Nothing to correct if ",
                    room,
                    " is the design. To hand ",
                    caller,
                    " to the REFER's target instead, return a <Dial> to it (the URI inside ReferTransferTarget, without its <>)."
                )),
            );
        }
        // The outcome's own summary already says the TwiML called no one then: not said twice.
        let cause = if outcome.went_on_before_any_target {
            cat!(summary, ".")
        } else {
            cat!("The referUrl TwiML called no one, so there was no target: ", summary, ".")
        };
        return explained(
            cause,
            Some(
                "To connect the caller to the REFER's target, return a <Dial> to it from referUrl (the URI inside \
                 ReferTransferTarget, without its <>). If the TwiML has a <Dial> that did not run, check its spelling: names \
                 are case-sensitive (<Dial>, not <dial>), and an element Twilio does not know is skipped (the run's warnings list it)."
                    .into(),
            ),
        );
    }
    if if chained { targets.iter().any(|t| connected(&t.id)) } else { has_role(Role::Target) } {
        let winner = targets.iter().find(|t| t.bridged_with.is_some()).map_or("the target", |t| t.label.as_str());
        return explained(
            cat!(winner, " answered, so Twilio connected ", caller, " to ", winner, " and released ", agent, "."),
            None,
        );
    }
    // A target that answered and has hung up since (only an answered call ends `completed`):
    // the summary names who hung up.
    if let Some(winner) = targets.iter().find(|t| t.status == CallStatus::Completed) {
        let since = summary
            .split_once("), and ")
            .map_or("the call has ended since", |(_, rest)| rest.split_once(':').map_or(rest, |(gone, _)| gone));
        let winner = &winner.label;
        return explained(
            cat!(winner, " answered, so Twilio connected ", caller, " to ", winner, " and released ", agent, "; ", since, "."),
            None,
        );
    }
    let action_ran =
        steps.iter().any(|s| s.kind == StepKind::WebhookRequested && s.webhook.as_ref().is_some_and(|w| w.purpose == "action"));
    // A target Twilio could not dial at all (a <Sip> holding the raw ReferTransferTarget, ...).
    // The step that failed it carries the vendor's code, which names the noun (13243 <Sip>, 13223 <Number>).
    let undialable = targets.iter().filter(|t| t.status == CallStatus::Failed).find_map(|t| {
        let failed = steps
            .iter()
            .find(|s| s.kind == StepKind::LegEnded && s.narration.starts_with(&cat!("Twilio cannot call ", t.label, ":")))?;
        let noun = match failed.alerts.first()?.code? {
            13243 => crate::twiml::check::Noun::Sip,
            _ => crate::twiml::check::Noun::Number,
        };
        crate::twiml::check::undialable(noun, &t.party).map(|bad| (t.label.clone(), bad))
    });
    if let Some((who, bad)) = undialable {
        let then = if back {
            cat!("and ", kept)
        } else if action_ran {
            cat!(released, ", and the <Dial action> TwiML decided what ", caller, " heard next")
        } else {
            cat!("and ", released, ": ", caller, " was left with nobody")
        };
        return explained(
            cat!("Twilio could not call ", who, ": ", bad.problem, " (alert ", bad.vendor_code, "), ", then, "."),
            Some(cat!("In the referUrl TwiML, ", bad.fix, ".")),
        );
    }
    let names = targets.iter().map(|t| t.label.as_str()).collect::<Vec<_>>().join(" and ");
    let status = targets.last().map_or(CallStatus::NoAnswer, |t| t.status);
    let what = match status {
        CallStatus::Busy => "was busy",
        CallStatus::Failed => "could not be reached (the call failed)",
        CallStatus::Canceled => "was canceled",
        _ => "did not answer",
    };
    let dial_status = match status {
        CallStatus::Busy => "busy",
        CallStatus::Failed => "failed",
        _ => "no-answer",
    };
    let handle =
        cat!("a <Dial action> on the referUrl <Dial> that handles DialCallStatus=", dial_status, " (another agent, voicemail)");
    if back {
        // With answerOnBridge="true" the referUrl <Dial action> is not run when the initial call
        // comes back (assumed, as the `skipped_when_reestablished` check says): adding one changes
        // nothing. The action runs only once answerOnBridge is false.
        return explained(
            cat!(names, " ", what, ", and ", kept, "."),
            Some(cat!(
                agent,
                " is back with ",
                caller,
                " and can transfer again. To send ",
                caller,
                " elsewhere automatically instead, set answerOnBridge=\"false\" on ",
                which,
                " and add ",
                handle,
                "; while answerOnBridge is \"true\", that action is not run (assumed)."
            )),
        );
    }
    if action_ran {
        return explained(
            cat!(released, "; ", names, " ", what, ", and the <Dial action> TwiML decided what ", caller, " heard next."),
            Some(if played_first {
                cat!("If ", caller, " should go back to ", agent, " instead, ", add_aob, ".")
            } else {
                cat!("If ", caller, " should go back to ", agent, " instead, add answerOnBridge=\"true\" to ", which, ".")
            }),
        );
    }
    explained(
        cat!(released, "; then ", names, " ", what, ", and ", caller, " was left with nobody."),
        Some(cat!("Either ", add_aob, ", or add ", handle, ".")),
    )
}

/// `text` with its first letter in upper case when its first word is a plain
/// lower-case word (narrations may start with "the"; a URL or `answerOnBridge` stays as written).
fn capitalised(text: String) -> String {
    let word = text.split(' ').next().unwrap_or_default();
    if word.is_empty() || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return text;
    }
    text[..1].to_ascii_uppercase() + &text[1..]
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Caller => "the caller",
        Role::Transferor => "the transferor",
        _ => "the target",
    }
}
