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

use std::collections::VecDeque;

pub use input::{
    field_of, Answer, AppResponse, CallerInput, ChainedRefer, Endpoint, ReferFrom, ReferInput, ReferToHeaders, Scenario,
    ScenarioError,
};

use crate::transfer::table::TimeQueue;
use crate::transfer::{
    CallStatus, Config, Effect, Engine, HttpReply, Input, Leg, LegId, Role, Step, StepKind, Timeline, Transport, WebhookRequest,
};
use crate::twiml::{self, DialChild, Verb};

/// How long a request to a URL missing from `app` takes to fail.
const UNKNOWN_URL_FAIL_MS: u64 = 1000;
/// How long after a terminated NOTIFY the transferor's BYE arrives.
const BYE_AFTER_NOTIFY_MS: u64 = 100;
/// When scripted digits are pressed after a `<Gather>` starts.
const DIGITS_AFTER_MS: u64 = 1000;

/// Runs a scenario to its end.
pub fn simulate(scenario: &Scenario) -> Result<Timeline, ScenarioError> {
    Ok(Simulation::new(scenario.clone())?.run())
}

/// A user-supplied application: given the request Twilio sends, it answers
/// (or returns `None` to fall back to the scenario's `app` map).
pub type WebhookHandler = Box<dyn FnMut(&WebhookRequest) -> Option<AppResponse>>;

struct Handler(Option<WebhookHandler>);

impl std::fmt::Debug for Handler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Handler(Some)" } else { "Handler(None)" })
    }
}

/// A scenario being played, one step at a time.
#[derive(Debug)]
pub struct Simulation {
    handler: Handler,
    scenario: Scenario,
    engine: Engine,
    events: TimeQueue<Input>,
    now: u64,
    digits: VecDeque<String>,
    chained: VecDeque<crate::scenario::ChainedRefer>,
    chained_from: Vec<LegId>,
    steps: Vec<Step>,
    done: bool,
}

impl Simulation {
    /// Checks the scenario and sets the call up (nothing has happened yet).
    pub fn new(scenario: Scenario) -> Result<Simulation, ScenarioError> {
        let parsed = twiml::parse(&scenario.initial_twiml);
        if let Some(d) = parsed.diagnostics.iter().find(|d| d.is_error()) {
            return Err(ScenarioError {
                code: "bad_initial_twiml",
                message: format!("initialTwiml, line {} column {}: {} ({})", d.line, d.column, d.message, d.code),
                field: Some("initialTwiml".into()),
            });
        }
        let Some(initial) = parsed.response else {
            return Err(ScenarioError {
                code: "bad_initial_twiml",
                message: "initialTwiml is empty".into(),
                field: Some("initialTwiml".into()),
            });
        };
        let (refer_leg, refer_address) = refer_leg(&scenario, &initial)?;
        let cfg = Config {
            initial,
            refer_from: scenario.refer_from,
            enhanced_sip_features: scenario.enhanced_sip_features,
            caller_from: scenario.caller.from.clone(),
            caller_to: scenario.caller.to.clone(),
        };
        let mut sim = Simulation {
            handler: Handler(None),
            engine: Engine::new(cfg),
            events: TimeQueue::new(),
            now: 0,
            digits: scenario.caller_digits.iter().cloned().collect(),
            chained: scenario.chained_refers.iter().cloned().collect(),
            chained_from: Vec::new(),
            steps: Vec::new(),
            done: false,
            scenario,
        };
        sim.schedule(0, Input::Start);
        let r = sim.scenario.refer.clone();
        let hold_first = sim.scenario.endpoint(&refer_address).hold_before_refer;
        sim.schedule(
            r.at_ms,
            Input::Refer {
                leg: refer_leg,
                refer_to: r.refer_to.values().iter().map(|s| s.to_string()).collect(),
                refer_sub: r.refer_sub,
                hold_first,
            },
        );
        Ok(sim)
    }

    /// Answers webhooks with `handler` first; the scenario's `app` map answers
    /// the requests it returns `None` for.
    pub fn with_handler(mut self, handler: WebhookHandler) -> Self {
        self.handler = Handler(Some(handler));
        self
    }

    fn schedule(&mut self, at: u64, input: Input) {
        self.events.push(at, input);
    }

    /// The next step, or `None` once the run has ended.
    pub fn step(&mut self) -> Option<Step> {
        loop {
            if let Some(step) = self.engine.poll_step() {
                self.react();
                self.steps.push(step.clone());
                return Some(step);
            }
            self.react();
            if self.done {
                return None;
            }
            if self.engine.halted() {
                // The engine recorded its own end step when it stopped.
                self.done = true;
                return None;
            }
            let next_event = self.events.next_time();
            let next_timer = self.engine.poll_timeout();
            let fire_timer = match (next_event, next_timer) {
                (None, None) => {
                    self.done = true;
                    let outcome = self.engine.outcome();
                    let tag = self.engine.summary_provenance();
                    let step = Step {
                        at_ms: self.steps.last().map_or(self.now, |s| s.at_ms),
                        kind: StepKind::End,
                        narration: outcome.summary,
                        tag,
                        source: tag.source(),
                        messages: Vec::new(),
                        webhook: None,
                        response: None,
                        alerts: Vec::new(),
                        legs: self.engine.legs(),
                    };
                    self.steps.push(step.clone());
                    return Some(step);
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

    /// Plays the world's side for every effect the engine asked for.
    fn react(&mut self) {
        while let Some(effect) = self.engine.poll_effect() {
            let now = self.now;
            match effect {
                Effect::Ring { leg, address } => {
                    let ep = self.scenario.endpoint(&address);
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
                    if let Some(after) = self.scenario.endpoint(&address).hangup_after_ms {
                        self.schedule(now + after, Input::HungUp { leg });
                    }
                }
                Effect::Fetch { request, url, webhook } => {
                    let answer = self.handler.0.as_mut().and_then(|h| h(&webhook));
                    let (at, reply) = match answer.as_ref().or_else(|| self.scenario.app.get(&url)) {
                        None => (now + UNKNOWN_URL_FAIL_MS, HttpReply::Unreachable),
                        Some(a) if a.unreachable => (now + a.latency_ms, HttpReply::Unreachable),
                        Some(a) => (
                            now + a.latency_ms,
                            HttpReply::Body { status: a.status, twiml: a.twiml.clone().unwrap_or_else(|| "<Response/>".into()) },
                        ),
                    };
                    self.schedule(at, Input::HttpResponse { request, reply });
                }
                Effect::Notified { leg, address, code, terminated } => {
                    if terminated && code == 200 && self.scenario.endpoint(&address).bye_on_notify {
                        self.schedule(now + BYE_AFTER_NOTIFY_MS, Input::HungUp { leg });
                    }
                }
                Effect::Bridged { a, b } => {
                    for leg in [a, b] {
                        let is_target = self.engine.leg(&leg).is_some_and(|l| l.role == Role::Target);
                        if is_target && !self.chained_from.contains(&leg) {
                            if let Some(next) = self.chained.pop_front() {
                                self.chained_from.push(leg.clone());
                                let hold_first =
                                    self.engine.leg(&leg).is_some_and(|l| self.scenario.endpoint(&l.party).hold_before_refer);
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
            }
        }
    }

    /// Runs to the end and returns the whole timeline.
    pub fn run(mut self) -> Timeline {
        while self.step().is_some() {}
        Timeline { steps: self.steps, outcome: self.engine.outcome() }
    }

    /// Every leg now.
    pub fn snapshot(&self) -> Vec<Leg> {
        self.engine.legs()
    }

    /// The steps so far.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// True once the end step has been returned.
    pub fn done(&self) -> bool {
        self.done
    }

    /// The simulated time of the last step.
    pub fn now(&self) -> u64 {
        self.now
    }

    /// The outcome so far.
    pub fn outcome(&self) -> crate::transfer::Outcome {
        self.engine.outcome()
    }
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
            message: format!("the REFER would come from {who}, {a}, which is not a SIP endpoint; only SIP endpoints send REFER"),
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
