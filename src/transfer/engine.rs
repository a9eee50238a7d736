//! The engine: Twilio's side of the call, as a sans-IO state machine.
//!
//! Feed it one [`Input`] with the simulated time, or call
//! [`Engine::handle_timeout`] when [`Engine::poll_timeout`] says a timer is
//! due; then drain [`Engine::poll_step`] and [`Engine::poll_effect`]. It never
//! reads a clock, sleeps, or does I/O, so the same inputs give the same steps.
//! Every state change goes through [`Engine::emit`], which records the step
//! with its narration, provenance and a snapshot of every leg.

use super::text::cat;
use std::collections::{BTreeMap, VecDeque};

use super::draft::{Draft, ReferFact};
use super::io::{Config, Effect, Input, ReferFrom};
use super::leg::{CallStatus, Hearing, Leg, LegId, Role, SharedStr, Transport};
use super::program::{Exec, Program};
use super::state::{self, Ended, Event, Pending, Released, TransferState, Transition};
use super::step::{excerpt, Alert, BodyTable, SipMessage, Step, StepKind, WebhookResponse, NARRATION_QUOTE_CHARS};
use super::table::{TimerTable, VecMap};
use super::webhook;
use crate::sip::message::{reason, Dialog, Message, Side};
use crate::twiml::Method;
use crate::Provenance;

/// The most steps one run may take; a TwiML loop (a `<Redirect>` to itself)
/// stops here with an alert instead of running forever.
pub const MAX_STEPS: usize = 2000;

/// Up to this many legs, a leg is found by scanning them rather than through the index
/// (a catalogue run has 2 to 5; the index lookup was 4% of a run).
const SCANNED_LEGS: usize = 8;

/// The `<Dial>` facts that matter when a REFER arrives on a leg it created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DialInfo {
    pub refer_url: Option<String>,
    pub refer_method: Method,
    pub answer_on_bridge: bool,
}

/// A leg with what only the engine needs.
#[derive(Debug, Clone)]
pub(crate) struct LegState {
    pub leg: Leg,
    /// Its CallSid, shared by the requests that carry it.
    pub sid: SharedStr,
    pub dialog: Option<Dialog>,
    /// The `<Dial>` that created this leg.
    pub created_by: Option<DialInfo>,
    /// What its own TwiML plays to it when it is not bridged.
    pub media: Hearing,
    pub answered_at: Option<u64>,
    pub sip_code: Option<u16>,
    /// The inbound call that runs the initial TwiML.
    pub parent: bool,
    /// In a `<Conference>`, `<Queue>` or `<Enqueue>`.
    pub in_room: bool,
    /// A transferor told the transfer is over (terminated NOTIFY): when, and the transferee.
    /// Cleared when the leg ends; the transferee's audio waits for that (`notify.no-audio`).
    pub bye_due: Option<(u64, LegId)>,
    /// A transferee bridged with its target while this transferor's leg still lives: it hears
    /// no audio until that leg ends (`notify.no-audio`, `notify.audio-resumes`).
    pub no_audio_until: Option<LegId>,
    /// Its party hung up (sent BYE or gave up ringing); Twilio did not end it.
    pub hung_up: bool,
}

impl LegState {
    /// A leg that starts ringing: the inbound call (the parent) when no `<Dial>` created it.
    pub(crate) fn ringing(
        id: LegId,
        role: Role,
        label: SharedStr,
        party: SharedStr,
        transport: Transport,
        dialog: Option<Dialog>,
        created_by: Option<DialInfo>,
    ) -> Self {
        // Every leg but the inbound call is created by a <Dial>.
        let parent = created_by.is_none();
        LegState {
            sid: webhook::shared_sid("CA", id.as_str()),
            leg: Leg {
                id,
                role,
                label,
                transport,
                party,
                status: CallStatus::Ringing,
                bridged_with: None,
                on_hold: false,
                hearing: Hearing::Silence,
            },
            dialog,
            created_by,
            media: Hearing::Silence,
            answered_at: None,
            sip_code: None,
            parent,
            in_room: false,
            bye_due: None,
            no_audio_until: None,
            hung_up: false,
        }
    }
}

/// Why Twilio requested a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Purpose {
    Refer,
    Action {
        leg: LegId,
    },
    Redirect {
        leg: LegId,
    },
    Gather {
        leg: LegId,
    },
    /// The `action` of a `<Refer>`.
    ReferAction {
        leg: LegId,
    },
    /// A status or recording callback about `leg`, `what` it reports: its answer is ignored (`callbacks.rs`).
    Callback {
        leg: LegId,
        what: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Timer {
    DialTimeout(LegId),
    ExecDone(LegId),
    TwilioBye(LegId),
    /// The transferor has not sent BYE for a while after the terminated NOTIFY.
    ByeOverdue(LegId),
    /// Twilio's total webhook timeout for request n.
    FetchTimeout(u32),
    /// The `<Dial timeLimit>` of a dialled party that answered: Twilio hangs it up (`dial.time-limit`).
    TimeLimit(LegId),
}

/// Twilio's side of a transferred call.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) cfg: Config,
    pub(crate) now: u64,
    /// Every leg, in creation order; only [`Engine::add_leg`] adds one (never removed).
    pub(crate) legs: Vec<LegState>,
    /// Each leg's place in `legs`, so finding a leg by id does not scan every leg
    /// (2,000 `<Sip>` in one `<Dial>` spent two thirds of the run in that scan); empty
    /// while there are at most [`SCANNED_LEGS`] legs, which are scanned.
    by_id: BTreeMap<LegId, usize>,
    pub(crate) programs: VecMap<LegId, Program>,
    /// The transfer: changed only by [`Engine::transition`].
    transfer: TransferState,
    /// Every change of `transfer`, in order.
    pub(crate) transitions: Vec<Transition>,
    /// REFERs accepted so far: the next one is round `rounds + 1`.
    pub(crate) rounds: usize,
    /// Pending requests: why, the URL, the method, and when it was sent.
    pub(crate) fetches: VecMap<u32, (Purpose, String, Method, u64)>,
    /// Requests Twilio gave up on (the webhook timeout), whose answers may still arrive.
    pub(crate) gave_up: Vec<u32>,
    next_request: u32,
    timers: TimerTable<Timer>,
    /// The steps recorded and not yet taken by [`Engine::poll_step`] (from `polled` on; each
    /// one taken is left as [`Step::taken`] until all are). A [`Simulation`]'s engine is
    /// never polled: its run reads the steps here and takes them all at its end
    /// ([`Engine::take_steps`]), where each was moved through a queue and then into the run's
    /// list, and the queue grew by allocations of over 1 kB (2.6% of a catalogue run).
    ///
    /// [`Simulation`]: crate::scenario::Simulation
    steps: Vec<Step>,
    /// How many of `steps` [`Engine::poll_step`] has taken.
    polled: usize,
    effects: VecDeque<Effect>,
    alerts: Vec<Alert>,
    /// The answer being handled, recorded on the next webhook-fetched or -failed step.
    pub(crate) answer: Option<WebhookResponse>,
    /// Schema warnings in the fetched documents, `(request, url, code, "line L column C: message")`:
    /// a misspelt `referURL` or a `timeout="abc"` is ignored by Twilio, so the timeline's warnings name it.
    pub(crate) unknown_attributes: Vec<(u32, String, &'static str, String)>,
    /// Each refer subscription Twilio holds (the transferor's leg, when its first NOTIFY went
    /// out), until its final NOTIFY.
    pub(crate) refer_subscriptions: Vec<(LegId, u64)>,
    /// The final NOTIFYs sent after their subscription's `expires` ran out: the transferor's
    /// leg, when the subscription started, when the NOTIFY went out (`subscription_expired`).
    pub(crate) late_notifies: Vec<(LegId, u64, u64)>,
    step_count: usize,
    halted: bool,
    /// Each leg as the last recorded step showed it (by creation order), so a step records only what changed.
    shown: Vec<Leg>,
    /// Legs touched (through `state_mut`) since the last recorded step, by creation order.
    touched: Vec<bool>,
    /// Every webhook body received, stored once.
    bodies: BodyTable,
    /// How the latest `<Refer>` verb returned: its leg, the Refer-To URI and `ReferCallStatus`.
    pub(crate) refer_verb: Option<(LegId, String, &'static str)>,
    /// Status callbacks, `<Dial record>` recordings and final-response X- headers (`callbacks.rs`).
    pub(crate) callbacks: super::callbacks::Callbacks,
    /// `twilio`, the sender or receiver of every SIP message, shared by them all.
    twilio: SharedStr,
    /// The caller as a user at Twilio's SIP domain (Twilio's URI in each dialog it starts),
    /// read from the configuration once, at the first `<Dial>`.
    caller_at_twilio: Option<SharedStr>,
    /// The caller's `from` and `to`, trimmed, as requests carry them: made at the first request.
    caller_texts: Option<(SharedStr, SharedStr)>,
    /// The initial TwiML's verbs when they are shared with a prepared scenario
    /// ([`Engine::prepared`]); otherwise `cfg.initial`'s are read at the start.
    initial_verbs: Option<std::sync::Arc<[crate::twiml::Verb]>>,
    /// What the prepared scenario read once for all its runs ([`Engine::prepared`]).
    pub(crate) known: Option<std::sync::Arc<super::known::Known>>,
    /// The [`ReferFact`]s of the steps recorded so far, by step index, in order.
    pub(crate) refer_facts: Vec<(usize, ReferFact)>,
    /// Whether steps carry their SIP messages ([`Engine::sip`] writes them); `false` for a run
    /// whose caller does not read them ([`crate::scenario::RunDetail`]).
    messages: bool,
}

/// What a leg's snapshot hears, before it is written out.
enum ShownHearing<'a> {
    /// Nothing (ended, on hold, or waiting for the transferor's BYE).
    Silence,
    /// The party it is bridged with: that leg's label.
    Party(&'a SharedStr),
    /// Its own TwiML's media ([`shown_media`]).
    Media,
}

/// What a leg's snapshot says it hears: a user's text (a `<Say>`, a `<Play>` URL, a conference
/// name) cut as a narration quotes it ([`NARRATION_QUOTE_CHARS`]). A snapshot is recorded at
/// each step that changes the leg: a 64 kB `<Say>` in pages redirecting to one another was
/// recorded whole some 700 times (45 MB of timeline); the whole text is in the TwiML.
fn shown_media(media: &Hearing) -> Hearing {
    let cut = |text: &SharedStr| match excerpt(text, NARRATION_QUOTE_CHARS) {
        std::borrow::Cow::Borrowed(_) => text.clone(),
        std::borrow::Cow::Owned(cut) => SharedStr::from(cut),
    };
    match media {
        Hearing::Say(text) => Hearing::Say(cut(text)),
        Hearing::Play(url) => Hearing::Play(cut(url)),
        Hearing::Conference(name) => Hearing::Conference(cut(name)),
        other => other.clone(),
    }
}

impl Engine {
    /// A machine for `cfg`; nothing happens until [`Input::Start`].
    pub fn new(cfg: Config) -> Self {
        Engine {
            cfg,
            now: 0,
            legs: Vec::new(),
            by_id: BTreeMap::new(),
            programs: VecMap::new(),
            transfer: TransferState::Idle { last: None },
            transitions: Vec::new(),
            rounds: 0,
            fetches: VecMap::new(),
            gave_up: Vec::new(),
            next_request: 1,
            timers: TimerTable::new(),
            steps: Vec::new(),
            polled: 0,
            effects: VecDeque::new(),
            alerts: Vec::new(),
            answer: None,
            unknown_attributes: Vec::new(),
            refer_subscriptions: Vec::new(),
            late_notifies: Vec::new(),
            step_count: 0,
            halted: false,
            shown: Vec::new(),
            touched: Vec::new(),
            bodies: BodyTable::default(),
            refer_verb: None,
            callbacks: Default::default(),
            twilio: {
                static TWILIO: std::sync::OnceLock<SharedStr> = std::sync::OnceLock::new();
                SharedStr::kept(&TWILIO, "twilio")
            },
            caller_at_twilio: None,
            caller_texts: None,
            initial_verbs: None,
            known: None,
            refer_facts: Vec::new(),
            messages: true,
        }
    }

    /// A machine for `cfg` that runs `verbs` as the initial TwiML instead of `cfg.initial`'s
    /// (which is then not read), reading TwiML bodies and addresses through `known` if any: a
    /// scenario prepared once, its verbs and readings shared by its runs.
    pub(crate) fn prepared(
        cfg: Config,
        verbs: std::sync::Arc<[crate::twiml::Verb]>,
        known: Option<std::sync::Arc<super::known::Known>>,
    ) -> Self {
        Engine { initial_verbs: Some(verbs), known, ..Engine::new(cfg) }
    }

    /// This machine with its steps carrying their SIP messages (`true`, as [`Engine::new`]
    /// makes it) or none (`false`): everything else is recorded the same. Set before the run starts.
    pub(crate) fn writing_messages(mut self, messages: bool) -> Self {
        self.messages = messages;
        self
    }

    /// Handles one input at simulated time `now` (never earlier than the last).
    pub fn handle(&mut self, now: u64, input: Input) {
        if self.halted {
            return;
        }
        self.now = self.now.max(now);
        // One call of `on_http` (inlined here; a second call site kept it out of line, +0.5 KB of module).
        let input = match input {
            Input::HttpResponse { request, reply } => {
                Input::HttpResponseFrom { request, reply, redirected_to: None, redirected_method: None, body_over: None }
            }
            input => input,
        };
        match input {
            Input::Start => self.start(),
            Input::Answered { leg } => self.on_answered(leg),
            Input::Declined { leg, status, sip_code } => self.on_declined(leg, status, sip_code),
            Input::HungUp { leg } => self.on_hung_up(leg),
            Input::Refer { leg, refer_to, refer_sub, hold_first } => self.on_refer(leg, refer_to, refer_sub, hold_first),
            Input::HttpResponseFrom { request, reply, redirected_to, redirected_method, body_over } => {
                self.on_http(request, reply, redirected_to, redirected_method, body_over)
            }
            Input::HttpResponse { .. } => {} // made an `HttpResponseFrom` above
            Input::Digits { leg, digits } => self.on_digits(leg, digits),
            Input::ReferAnswered { leg, code } => self.on_refer_answered(leg, code),
            Input::ReferNotify { leg, code, terminated } => self.on_refer_notify(leg, code, terminated),
            Input::ResponseHeaders { leg, headers } => self.set_response_headers(leg, headers),
        }
    }

    /// When the next timer is due.
    pub fn poll_timeout(&self) -> Option<u64> {
        if self.halted {
            return None;
        }
        self.timers.next_time()
    }

    /// Runs every timer due at or before `now`.
    pub fn handle_timeout(&mut self, now: u64) {
        self.now = self.now.max(now);
        while !self.halted {
            let Some(timer) = self.timers.pop_due(now) else { break };
            match timer {
                Timer::DialTimeout(leg) => self.on_dial_timeout(leg),
                Timer::ExecDone(leg) => self.on_exec_done(leg),
                Timer::TwilioBye(leg) => self.on_twilio_bye(leg),
                Timer::ByeOverdue(leg) => self.on_bye_overdue(leg),
                Timer::FetchTimeout(request) => self.on_fetch_timeout(request),
                Timer::TimeLimit(leg) => self.on_time_limit(leg),
            }
        }
    }

    /// The next recorded step.
    pub fn poll_step(&mut self) -> Option<Step> {
        let step = std::mem::replace(self.steps.get_mut(self.polled)?, Step::taken());
        self.polled += 1;
        if self.polled == self.steps.len() {
            self.steps.clear();
            self.polled = 0;
        }
        Some(step)
    }

    /// The steps recorded so far, in order, for a run that never calls [`Engine::poll_step`]
    /// (a [`Simulation`](crate::scenario::Simulation)'s).
    pub(crate) fn recorded_steps(&self) -> &[Step] {
        &self.steps
    }

    /// Takes every step recorded ([`Engine::recorded_steps`]).
    pub(crate) fn take_steps(&mut self) -> Vec<Step> {
        self.polled = 0;
        std::mem::take(&mut self.steps)
    }

    /// Room for `n` steps in the list [`Engine::take_steps`] gives, at once.
    pub(crate) fn reserve_steps(&mut self, n: usize) {
        self.steps.reserve(n);
    }

    /// The next effect for the world.
    pub fn poll_effect(&mut self) -> Option<Effect> {
        self.effects.pop_front()
    }

    /// A snapshot of every leg, in creation order.
    pub fn legs(&self) -> Vec<Leg> {
        self.legs.iter().map(|l| self.snapshot_leg(l)).collect()
    }

    /// The leg `id`, if it exists.
    pub fn leg(&self, id: &LegId) -> Option<Leg> {
        self.state(id).map(|l| self.snapshot_leg(l))
    }

    /// True once the step limit stopped the run.
    pub fn halted(&self) -> bool {
        self.halted
    }

    fn snapshot_leg(&self, l: &LegState) -> Leg {
        let mut leg = l.leg.clone();
        let (status, bridged_with) = self.shown_status(l);
        leg.status = status;
        if bridged_with.is_none() {
            leg.bridged_with = None;
        }
        leg.hearing = match self.shown_hearing(l) {
            ShownHearing::Silence => Hearing::Silence,
            ShownHearing::Party(label) => Hearing::Party(label.clone()),
            ShownHearing::Media => shown_media(&l.media),
        };
        leg
    }

    /// The status and bridge `l`'s snapshot shows.
    pub(crate) fn shown_status<'a>(&self, l: &'a LegState) -> (CallStatus, Option<&'a LegId>) {
        if !self.halted {
            return (l.leg.status, l.leg.bridged_with.as_ref());
        }
        // The run stopped at the step limit: every live call is ended there.
        let status = match l.leg.status {
            CallStatus::Ringing | CallStatus::Queued => CallStatus::Canceled,
            CallStatus::InProgress => CallStatus::Completed,
            done => done,
        };
        (status, None)
    }

    /// What `l`'s snapshot hears, without writing it.
    fn shown_hearing<'a>(&'a self, l: &'a LegState) -> ShownHearing<'a> {
        let (status, bridged_with) = self.shown_status(l);
        if status.is_final() || l.leg.on_hold || l.no_audio_until.is_some() {
            ShownHearing::Silence
        } else if let Some(other) = bridged_with {
            ShownHearing::Party(self.state(other).map_or(&other.0, |o| &o.leg.label))
        } else {
            ShownHearing::Media
        }
    }

    /// Whether `shown` is what [`Engine::snapshot_leg`] would make of `l` (compared in place,
    /// so a leg that did not change costs no copy).
    fn shows(&self, l: &LegState, shown: &Leg) -> bool {
        let (status, bridged_with) = self.shown_status(l);
        let leg = &l.leg;
        let same_hearing = match (self.shown_hearing(l), &shown.hearing) {
            (ShownHearing::Silence, Hearing::Silence) => true,
            (ShownHearing::Party(label), Hearing::Party(p)) => label == p,
            (ShownHearing::Media, hearing) => {
                let cut_is = |text: &str, shown: &str| excerpt(text, NARRATION_QUOTE_CHARS) == shown;
                match (&l.media, hearing) {
                    (Hearing::Say(a), Hearing::Say(b)) | (Hearing::Play(a), Hearing::Play(b)) => cut_is(a, b),
                    (Hearing::Conference(a), Hearing::Conference(b)) => cut_is(a, b),
                    (media, hearing) => media == hearing,
                }
            }
            _ => false,
        };
        same_hearing
            && status == shown.status
            && bridged_with == shown.bridged_with.as_ref()
            && leg.on_hold == shown.on_hold
            && leg.role == shown.role
            && leg.transport == shown.transport
            && leg.id == shown.id
            && leg.label == shown.label
            && leg.party == shown.party
    }

    // ----- bookkeeping used by the other modules -----

    pub(crate) fn now(&self) -> u64 {
        self.now
    }

    pub(crate) fn state(&self, id: &LegId) -> Option<&LegState> {
        self.index_of(id).and_then(|i| self.legs.get(i))
    }

    /// Where leg `id` is in `legs`: a few legs are scanned (an id is most often the same
    /// shared text, compared by address first), more are looked up in `by_id`.
    fn index_of(&self, id: &LegId) -> Option<usize> {
        if self.legs.len() <= SCANNED_LEGS {
            self.legs.iter().position(|l| l.leg.id == *id)
        } else {
            self.by_id.get(id).copied()
        }
    }

    pub(crate) fn state_mut(&mut self, id: &LegId) -> Option<&mut LegState> {
        let i = self.index_of(id)?;
        if let Some(t) = self.touched.get_mut(i) {
            *t = true;
        }
        self.legs.get_mut(i)
    }

    /// The legs whose snapshot differs from what the last recorded step showed (new
    /// legs included), in creation order; they are recorded as shown. Only legs touched
    /// since are compared (every leg once the run halted: the halt ends every call).
    pub fn changed_legs(&mut self) -> Vec<Leg> {
        // First the legs that changed, recorded as shown and marked in `touched` (which is
        // cleared after), then their snapshots in one list of the exact length: pushed one by
        // one, the list grew (an allocation and a copy) at most steps, 1.5% of a catalogue run.
        let mut count = 0;
        for (i, l) in self.legs.iter().enumerate() {
            let touched = self.touched.get(i).copied().unwrap_or(true);
            let changed = (touched || self.halted || i >= self.shown.len())
                && !self.shown.get(i).is_some_and(|before| self.shows(l, before));
            if changed {
                let now = self.snapshot_leg(l);
                match self.shown.get_mut(i) {
                    Some(before) => *before = now,
                    None => self.shown.push(now),
                }
                count += 1;
            }
            if let Some(t) = self.touched.get_mut(i) {
                *t = changed;
            }
        }
        // Here `shown` has every leg (the new ones were pushed), as `touched` has.
        let mut changed = Vec::with_capacity(count);
        for (leg, &marked) in self.shown.iter().zip(&self.touched) {
            if marked {
                changed.push(leg.clone());
            }
        }
        self.touched.clear();
        self.touched.resize(self.legs.len(), false);
        changed
    }

    pub(crate) fn label(&self, id: &LegId) -> SharedStr {
        self.state(id).map_or_else(|| id.0.clone(), |l| l.leg.label.clone())
    }

    pub(crate) fn role(&self, id: &LegId) -> Option<Role> {
        self.state(id).map(|l| l.leg.role)
    }

    pub(crate) fn status(&self, id: &LegId) -> Option<CallStatus> {
        self.state(id).map(|l| l.leg.status)
    }

    pub(crate) fn partner(&self, id: &LegId) -> Option<LegId> {
        self.state(id).and_then(|l| l.leg.bridged_with.clone())
    }

    /// The caller as a user at Twilio's SIP domain: Twilio's URI in the dialogs it starts.
    pub(crate) fn caller_at_twilio(&mut self) -> SharedStr {
        if self.caller_at_twilio.is_none() {
            self.caller_at_twilio = Some(self.party(&self.cfg.caller_from).address.at_twilio().into());
        }
        self.caller_at_twilio.clone().unwrap_or_default()
    }

    /// The caller's `from` and `to` as requests carry them (`From`, and an inbound call's `To`).
    pub(crate) fn caller_texts(&mut self) -> (SharedStr, SharedStr) {
        let cfg = &self.cfg;
        self.caller_texts.get_or_insert_with(|| (cfg.caller_from.trim().into(), cfg.caller_to.trim().into())).clone()
    }

    /// What the prepared scenario read once; never in WASM (see `scenario::Prepared`), where
    /// saying so leaves the code that reads it out of the module.
    pub(crate) fn known(&self) -> Option<&super::known::Known> {
        self.known.as_deref().filter(|_| !cfg!(target_arch = "wasm32"))
    }

    /// The address `text`, read once for a prepared scenario's runs (now otherwise).
    pub(crate) fn party(&self, text: &str) -> std::sync::Arc<super::known::Party> {
        match self.known() {
            Some(known) => known.party(text),
            None => std::sync::Arc::new(super::known::Party::read(text.trim())),
        }
    }

    /// Why `party` cannot be dialled as a `noun`, if it cannot: given once for a prepared scenario's runs.
    pub(crate) fn undialable(
        &self,
        noun: crate::twiml::check::Noun,
        party: &super::known::Party,
    ) -> Option<crate::twiml::check::Undialable> {
        match self.known() {
            Some(known) => known.undialable(noun, party),
            None => party.address.undialable(noun),
        }
    }

    /// Whether the Refer-To value `raw` parses ([`crate::sip::parse_refer_to`], its error if not):
    /// checked once for a prepared scenario's runs (parsed again by each run, it was 1.6% of a run).
    pub(crate) fn check_refer_to(&self, raw: &str) -> Result<(), crate::sip::ParseError> {
        match self.known() {
            Some(known) => known.refer_to(raw),
            None => crate::sip::parse_refer_to(raw).map(drop),
        }
    }

    pub(crate) fn next_request(&mut self) -> u32 {
        self.next_request += 1;
        self.next_request - 1
    }

    /// Arms `timer` for `at` (moving it if it was armed).
    pub(crate) fn set_timer(&mut self, at: u64, timer: Timer) {
        self.timers.set(timer, at);
    }

    /// Disarms a timer that is no longer needed.
    pub(crate) fn stop_timer(&mut self, timer: &Timer) {
        self.timers.stop(timer);
    }

    pub(crate) fn effect(&mut self, e: Effect) {
        self.effects.push_back(e);
    }

    pub(crate) fn alert(&mut self, code: Option<u32>, message: impl Into<String>) -> Alert {
        let a = Alert { code, message: message.into() };
        self.alerts.push(a.clone());
        a
    }

    /// Records a step, after the state it describes has been applied: every step, the
    /// step-limit End included, is stamped here.
    pub(crate) fn emit(&mut self, mut draft: Draft) {
        if self.halted {
            return;
        }
        if let Some(fact) = draft.refer.take() {
            self.refer_facts.push((self.step_count, fact));
        }
        self.step_count += 1;
        let response =
            if matches!(draft.kind, StepKind::WebhookFetched | StepKind::WebhookFailed) { self.answer.take() } else { None };
        let step = self.stamp(draft, self.now, response);
        self.steps.push(step);
        if self.step_count >= MAX_STEPS {
            let a = self.alert(None, cat!("the simulation stopped after ", MAX_STEPS, " steps (a TwiML loop?)"));
            self.halted = true;
            self.timers.clear();
            self.effects.clear();
            let end = Draft::new(
                StepKind::End,
                Provenance::Assumed,
                cat!(
                    "refer-sim stops here after ",
                    MAX_STEPS,
                    " steps (a TwiML loop?) and ends every call; what Twilio would do next is not simulated."
                ),
            )
            .alert(a);
            let step = self.stamp(end, self.now, None);
            self.steps.push(step);
        }
    }

    /// Records the End step of a run that ended at `at_ms`: the outcome summary, with what it
    /// rests on; returns that outcome, for the timeline.
    pub(crate) fn record_end(&mut self, at_ms: u64) -> super::Outcome {
        let outcome = self.outcome();
        let draft = Draft::new(StepKind::End, self.summary_provenance(), outcome.summary.clone());
        let step = self.stamp(draft, at_ms, None);
        self.steps.push(step);
        outcome
    }

    /// `draft` as a step at `at_ms`, with the answer it reports and the legs it changed.
    fn stamp(&mut self, draft: Draft, at_ms: u64, mut response: Option<WebhookResponse>) -> Step {
        self.bodies.share(response.as_mut());
        let Draft { kind, tag, narration, messages, webhook, alerts, .. } = draft;
        let changed_legs = self.changed_legs();
        Step {
            at_ms,
            kind,
            narration,
            tag,
            source: tag.source(),
            messages: messages.into(),
            webhook,
            response,
            alerts,
            changed_legs,
        }
    }

    /// A SIP message on `leg`'s dialog, or nothing for a PSTN or Client leg; nothing at all
    /// in a run without messages ([`Engine::writing_messages`]), the one place that decides:
    /// `build` is then not called, so the dialog's CSeq, Via branches and tags, which only the
    /// messages' texts show, are not advanced (its Call-ID and URIs, which webhooks and
    /// narrations read, are set when it opens).
    pub(crate) fn sip(&mut self, leg: &LegId, side: Side, build: impl FnOnce(&mut Dialog) -> Message) -> Option<SipMessage> {
        if !self.messages {
            return None;
        }
        let id = leg.0.clone();
        let dialog = self.state_mut(leg)?.dialog.as_mut()?;
        let message = build(dialog);
        let twilio = self.twilio.clone();
        let (from, to) = match side {
            Side::Twilio => (twilio, id),
            Side::Party => (id, twilio),
        };
        Some(SipMessage::new(from, to, message))
    }

    /// Adds a leg.
    pub(crate) fn add_leg(&mut self, state: LegState) {
        // Ids are unique (the first leg keeps an id, as the scan it replaces found the first).
        // The index is made only once the legs are too many to scan (`index_of`): a catalogue
        // run never needs it, and adding its 2 to 5 legs to it was a tenth of `add_leg`.
        self.legs.push(state);
        if self.legs.len() > SCANNED_LEGS {
            if self.by_id.is_empty() {
                for (i, l) in self.legs.iter().enumerate() {
                    self.by_id.entry(l.leg.id.clone()).or_insert(i);
                }
            } else if let Some(l) = self.legs.last() {
                self.by_id.entry(l.leg.id.clone()).or_insert(self.legs.len() - 1);
            }
        }
        self.touched.resize(self.legs.len(), true);
    }

    /// Bridges two legs.
    pub(crate) fn bridge(&mut self, a: &LegId, b: &LegId) {
        for (x, y) in [(a, b), (b, a)] {
            if let Some(l) = self.state_mut(x) {
                l.leg.bridged_with = Some(y.clone());
            }
        }
        self.effect(Effect::Bridged { a: a.clone(), b: b.clone() });
    }

    /// Takes down `a`'s bridge, if any.
    pub(crate) fn unbridge(&mut self, a: &LegId) -> Option<LegId> {
        let b = self.partner(a)?;
        for x in [a, &b] {
            if let Some(l) = self.state_mut(x) {
                l.leg.bridged_with = None;
                // The missing audio was that bridge's (`notify.no-audio`).
                l.no_audio_until = None;
            }
        }
        Some(b)
    }

    /// Twilio ends `leg` (BYE if answered, CANCEL if ringing) with `status`.
    pub(crate) fn end_leg(&mut self, leg: &LegId, status: CallStatus, tag: Provenance, narration: String) {
        let Some(current) = self.status(leg) else { return };
        if current.is_final() {
            return;
        }
        let mut messages = Vec::new();
        if current == CallStatus::Ringing && !self.state(leg).is_some_and(|l| l.parent) {
            messages.extend(self.sip(leg, Side::Twilio, |d| d.request(Side::Twilio, "CANCEL", &[], None)));
            messages.extend(self.sip(leg, Side::Party, |d| d.response(Side::Party, 200, "OK", "CANCEL", &[], None)));
            messages.extend(self.sip(leg, Side::Party, |d| d.response(Side::Party, 487, reason(487), "INVITE", &[], None)));
            messages.extend(self.sip(leg, Side::Twilio, |d| d.request(Side::Twilio, "ACK", &[], None)));
        } else if current == CallStatus::Ringing {
            messages.extend(self.sip(leg, Side::Twilio, |d| d.response(Side::Twilio, 480, reason(480), "INVITE", &[], None)));
        } else {
            messages.extend(self.sip(leg, Side::Twilio, |d| d.request(Side::Twilio, "BYE", &[], None)));
            messages.extend(self.sip(leg, Side::Party, |d| d.response(Side::Party, 200, "OK", "BYE", &[], None)));
        }
        self.close_leg(leg, status, Draft::new(StepKind::LegEnded, tag, narration).messages(messages));
    }

    /// Ends `leg` with `status`, records `step` (its SIP messages already written) and lets
    /// what depended on the leg go on: the one path every ended leg takes.
    pub(crate) fn close_leg(&mut self, leg: &LegId, status: CallStatus, step: Draft) {
        self.finish_leg(leg, status);
        self.emit(step);
        self.after_leg_gone(leg);
    }

    /// Marks `leg` ended and takes down its bridge.
    pub(crate) fn finish_leg(&mut self, leg: &LegId, status: CallStatus) {
        self.unbridge(leg);
        // Nothing more is timed on a leg that ended: its verb, its <Dial>, Twilio's BYE.
        for timer in [
            Timer::ExecDone(leg.clone()),
            Timer::DialTimeout(leg.clone()),
            Timer::TwilioBye(leg.clone()),
            Timer::ByeOverdue(leg.clone()),
            Timer::TimeLimit(leg.clone()),
        ] {
            self.stop_timer(&timer);
        }
        if let Some(l) = self.state_mut(leg) {
            l.leg.status = status;
            l.leg.on_hold = false;
            l.media = Hearing::Silence;
        }
        // A ringing or bridged <Dial> stays recorded until `after_leg_gone` has released its parties,
        // and a pending <Refer> until it has requested its action (ReferCallStatus canceled).
        if let Some(p) = self.programs.get_mut(leg) {
            if !matches!(p.exec, Exec::Dialing(_) | Exec::Referring(_)) {
                p.exec = Exec::Done;
            }
        }
    }

    /// The party of `leg` hangs up.
    fn on_hung_up(&mut self, leg: LegId) {
        let Some(status) = self.status(&leg) else {
            return self.ignored(cat!("a hang-up arrived for ", leg, ", which does not exist"));
        };
        if status.is_final() {
            return self.ignored(cat!(self.label(&leg), " already ended; its BYE is answered 481"));
        }
        let label = self.label(&leg);
        let mut messages = Vec::new();
        let (new_status, narration) = if status == CallStatus::Ringing {
            (CallStatus::Canceled, cat!(label, " hangs up before the call is answered."))
        } else {
            messages.extend(self.sip(&leg, Side::Party, |d| d.request(Side::Party, "BYE", &[], None)));
            messages.extend(self.sip(&leg, Side::Twilio, |d| d.response(Side::Twilio, 200, "OK", "BYE", &[], None)));
            (CallStatus::Completed, cat!(label, " hangs up (BYE); Twilio answers 200 OK."))
        };
        // A transferor hanging up on the final NOTIFY does what an Elastic SIP Trunking article
        // expects (`notify.bye-expected`), not what a Programmable Voice page says (the REFER page
        // has Twilio disconnect it with answerOnBridge false): assumed, and said so, not `rfc`.
        // (Within BYE_OVERDUE_MS of it: a later hang-up is the party's own.)
        let now = self.now();
        let on_notify = status != CallStatus::Ringing
            && self
                .state(&leg)
                .is_some_and(|l| l.bye_due.as_ref().is_some_and(|(at, _)| now < at + super::refer::BYE_OVERDUE_MS));
        let (tag, narration) = if on_notify {
            (
                Provenance::Assumed,
                cat!(
                    label,
                    " hangs up (BYE) on the final NOTIFY, as an Elastic SIP Trunking article expects; Twilio answers 200 OK."
                ),
            )
        } else {
            (Provenance::Rfc, narration)
        };
        if let Some(l) = self.state_mut(&leg) {
            l.hung_up = true;
        }
        self.close_leg(&leg, new_status, Draft::new(StepKind::LegEnded, tag, narration).messages(messages));
    }

    /// After a leg ended: a program's parked `<Dial>` whose other side left
    /// continues, and a leg whose own program ran the call hangs up its dialled party.
    pub(crate) fn after_leg_gone(&mut self, leg: &LegId) {
        self.leg_completed(leg);
        self.audio_resumes(leg);
        // A dialled leg that was ringing or bridged for another leg's program.
        let owners: Vec<LegId> = self
            .programs
            .iter()
            .filter(|(_, p)| matches!(&p.exec, Exec::Dialing(run) if run.legs.contains(leg)))
            .map(|(k, _)| k.clone())
            .collect();
        for owner in owners {
            self.check_dial_over(&owner);
        }
        // The call ended during its <Refer>: the verb returns with ReferCallStatus canceled.
        self.refer_canceled(leg);
        // The program leg itself ended: its dialled parties are released.
        let dialled: Vec<LegId> = match self.programs.get(leg).map(|p| &p.exec) {
            Some(Exec::Dialing(run)) => run.legs.clone(),
            _ => Vec::new(),
        };
        if let Some(p) = self.programs.get_mut(leg) {
            p.exec = Exec::Done;
        }
        for d in dialled {
            match self.status(&d) {
                Some(CallStatus::Ringing) => {
                    let (label, owner) = (self.label(&d), self.label(leg));
                    self.end_leg(
                        &d,
                        CallStatus::Canceled,
                        Provenance::Assumed,
                        cat!(owner, "'s call ended, so Twilio cancels the call to ", label, "."),
                    );
                }
                Some(CallStatus::InProgress) => {
                    let (label, owner) = (self.label(&d), self.label(leg));
                    self.end_leg(
                        &d,
                        CallStatus::Completed,
                        Provenance::Doc("dial.connects"),
                        cat!(owner, "'s call ended, so Twilio disconnects ", label, "."),
                    );
                }
                _ => {}
            }
        }
        if self.pending().is_some_and(|t| &t.transferee == leg || &t.transferor == leg) {
            let label = self.label(leg);
            self.transition(Event::Disconnected(Provenance::Assumed), &cat!(label, "'s call ended mid-transfer"));
        }
    }

    /// The transferor did not hang up after the terminated NOTIFY.
    fn on_twilio_bye(&mut self, leg: LegId) {
        if self.status(&leg) == Some(CallStatus::InProgress) && self.partner(&leg).is_none() {
            let label = self.label(&leg);
            self.end_leg(
                &leg,
                CallStatus::Completed,
                // `notify.bye-32s` is an Elastic SIP Trunking article's (`notify.scope`).
                Provenance::Assumed,
                cat!(label, " never sent BYE after the final NOTIFY: Twilio sends BYE itself 32 s after it (assumed: the 32 s come from Twilio's support article for Elastic SIP Trunking, not Programmable Voice)."),
            );
        }
    }

    /// An input that does not apply now: recorded, never a panic.
    pub(crate) fn ignored(&mut self, why: String) {
        self.emit(Draft::new(StepKind::Ignored, Provenance::Assumed, cat!("Ignored: ", why, ".")));
    }

    /// The caller's call arrives and the initial TwiML starts.
    fn start(&mut self) {
        if !self.legs.is_empty() {
            return self.ignored("the call has already started".into());
        }
        let id = match self.cfg.refer_from {
            ReferFrom::Transferor => LegId::caller(),
            ReferFrom::Caller => LegId::transferor(),
        };
        let role = match self.cfg.refer_from {
            ReferFrom::Transferor => Role::Caller,
            ReferFrom::Caller => Role::Transferor,
        };
        let caller = self.party(&self.cfg.caller_from);
        let (from, transport) = (&caller.address.text, caller.address.transport);
        let to = self.party(&self.cfg.caller_to);
        let to_uri = if to.address.transport == Transport::Sip { self.cfg.caller_to.clone() } else { to.address.at_twilio() };
        let dialog =
            (transport == Transport::Sip).then(|| caller.address.with_via_host(Dialog::new(id.as_str(), &to_uri, from, false)));
        let leg = LegState::ringing(
            id.clone(),
            role,
            caller.address.shared_label(|| "UserA".into()),
            from.clone(),
            transport,
            dialog,
            None,
        );
        self.add_leg(leg);
        let invite = self.sip(&id, Side::Party, |d| {
            let sdp = d.sdp(Side::Party, "sendrecv");
            d.request(Side::Party, "INVITE", &[], Some(("application/sdp", &sdp)))
        });
        let how = match transport {
            Transport::Sip => "from a SIP phone",
            Transport::Pstn => "from the phone network",
            Transport::Client => "from a Twilio Client",
        };
        self.emit(
            Draft::new(
                StepKind::CallStarted,
                Provenance::Doc("siptwiml.voice-url"),
                cat!(
                    "UserA (",
                    from,
                    ") calls ",
                    self.cfg.caller_to,
                    " ",
                    how,
                    "; Twilio requests the Voice URL (a request not shown here) and runs the initial TwiML it returns."
                ),
            )
            .messages(invite.into_iter().collect()),
        );
        if transport == Transport::Sip {
            let ringing = self.sip(&id, Side::Twilio, |d| d.response(Side::Twilio, 180, "Ringing", "INVITE", &[], None));
            self.emit(
                Draft::new(
                    StepKind::LegRinging,
                    Provenance::Doc("siptwiml.180-on-invite"),
                    "Twilio answers UserA's INVITE with 180 Ringing before it runs the TwiML.".to_string(),
                )
                .messages(ringing.into_iter().collect()),
            );
        }
        // Twilio answers when the first verb runs (`run_program`): not for <Redirect>, <Reject>,
        // or a <Dial answerOnBridge="true">.
        let initial = self.initial_verbs.take().unwrap_or_else(|| self.cfg.initial.verbs().into());
        let program = Program::new(initial, None, Method::Post, 0);
        self.programs.insert(id.clone(), program);
        self.run_program(&id);
    }

    /// Twilio answers the inbound call (at once, or when `answerOnBridge` bridges it).
    pub(crate) fn answer_parent(&mut self, id: &LegId, tag: Provenance, narration: &str) {
        if self.status(id) != Some(CallStatus::Ringing) {
            return;
        }
        let now = self.now;
        let mut messages = Vec::new();
        if let Some(l) = self.state_mut(id) {
            l.leg.status = CallStatus::InProgress;
            l.answered_at = Some(now);
        }
        messages.extend(self.sip(id, Side::Twilio, |d| {
            let sdp = d.sdp(Side::Twilio, "sendrecv");
            d.response(Side::Twilio, 200, "OK", "INVITE", &[], Some(("application/sdp", &sdp)))
        }));
        messages.extend(self.sip(id, Side::Party, |d| d.request(Side::Party, "ACK", &[], None)));
        self.emit(Draft::new(StepKind::LegAnswered, tag, narration.to_string()).messages(messages));
    }

    /// The transfer in progress, if one is.
    pub(crate) fn pending(&self) -> Option<&Pending> {
        self.transfer.pending()
    }

    /// Every alert raised so far.
    pub(crate) fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// How the latest finished transfer ended.
    pub(crate) fn last_transfer(&self) -> Option<Ended> {
        self.transfer.last()
    }

    /// True while the referUrl request of the pending transfer is out.
    pub(crate) fn awaits_refer_url(&self) -> bool {
        matches!(self.transfer, TransferState::AwaitingReferUrl(_))
    }

    /// The name of the transfer's state while one is pending.
    pub(crate) fn pending_state_name(&self) -> Option<&'static str> {
        self.pending().map(|_| self.transfer.name())
    }

    /// The one place the transfer state changes: applies `event` by the table in
    /// [`state::next`](super::state::next) and records the change, from, to and `reason`.
    /// An event the state does not expect changes nothing and is recorded as an `ignored`
    /// step that names the state and what it expected; `None` then. Otherwise what the
    /// old state released (the pending transfer and the transferee's saved TwiML).
    pub(crate) fn transition(&mut self, event: Event, reason: &str) -> Option<Released> {
        let from = std::mem::replace(&mut self.transfer, TransferState::Idle { last: None });
        let (from_name, event_name) = (from.name(), event.name());
        match state::next(from, event) {
            Ok((to, released)) => {
                self.transitions.push(Transition {
                    at_ms: self.now,
                    from: from_name,
                    to: to.name(),
                    event: event_name,
                    reason: reason.to_string(),
                });
                self.transfer = to;
                Some(released)
            }
            Err(from) => {
                let expects = from.expects();
                self.transfer = from;
                self.ignored(cat!(reason, ": in state ", from_name, " Twilio expected ", expects, ", not ", event_name));
                None
            }
        }
    }
}
