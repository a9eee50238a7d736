//! The TwiML interpreter: runs a document's verbs for one leg, verb by verb,
//! in simulated time. `<Dial>` rings its nouns at once (the first to answer
//! wins), `<Say>`/`<Play>`/`<Pause>` take time, `<Gather>` waits for scripted
//! digits, `<Redirect>` and `action` URLs fetch the next document.

use super::address::Address;
use super::draft::Draft;
use super::engine::{DialInfo, Engine, LegState, Purpose, Timer};
use super::io::{Effect, ReferFrom};
use super::leg::{CallStatus, Hearing, LegId, Role, Transport};
use super::step::StepKind;
use crate::sip::message::{Dialog, Side};
use crate::twiml::{self, Dial, DialChild, GatherChild, Method, Verb};
use crate::Provenance;

/// A document running on a leg.
#[derive(Debug, Clone)]
pub(crate) struct Program {
    pub verbs: Vec<Verb>,
    pub pc: usize,
    /// The document's URL (`None` for the initial TwiML).
    pub url: Option<String>,
    pub method: Method,
    /// 0 for the initial TwiML, n for the n-th transfer's documents.
    pub round: usize,
    pub exec: Exec,
}

impl Program {
    pub(crate) fn new(verbs: Vec<Verb>, url: Option<String>, method: Method, round: usize) -> Self {
        Program { verbs, pc: 0, url, method, round, exec: Exec::Idle }
    }
}

/// What the running verb waits for.
#[derive(Debug, Clone)]
pub(crate) enum Exec {
    Idle,
    Timed {
        until: u64,
    },
    Gathering {
        until: u64,
        action: Option<String>,
        method: Option<Method>,
    },
    Dialing(DialRun),
    Fetching,
    /// In a conference or queue: nothing more happens.
    Parked,
    Done,
}

/// A `<Dial>` in progress.
#[derive(Debug, Clone)]
pub(crate) struct DialRun {
    pub legs: Vec<LegId>,
    pub bridged: Option<LegId>,
    pub action: Option<String>,
    pub method: Method,
}

/// Seconds Twilio adds to `<Dial timeout>` before it declares no-answer. \[assumed\]: SPEC says so,
/// no page read states it (`dial.timeout-buffer` in `src/sources.md` is only named).
const DIAL_BUFFER_S: u64 = 5;
/// Assumed speaking rate of `<Say>`: 60 ms a character, at least 1 s.
const SAY_MS_PER_CHAR: u64 = 60;
/// Assumed length of one `<Play>` of an audio file.
const PLAY_MS: u64 = 5000;
/// Assumed length of a `<Record>` (not simulated in detail).
const RECORD_MS: u64 = 5000;
/// `loop="0"` repeats forever; the simulation caps it.
const MAX_LOOPS: u64 = 10;

fn loops(n: Option<u32>) -> u64 {
    match n {
        Some(0) => MAX_LOOPS,
        Some(n) => u64::from(n).min(MAX_LOOPS),
        None => 1,
    }
}

fn say_ms(text: &str, n: Option<u32>) -> u64 {
    (SAY_MS_PER_CHAR * text.chars().count() as u64).max(1000) * loops(n)
}

impl Engine {
    /// Runs `leg`'s program until a verb has to wait.
    pub(crate) fn run_program(&mut self, leg: &LegId) {
        loop {
            if self.halted() || self.status(leg).is_none_or(CallStatus::is_final) {
                return;
            }
            let Some(p) = self.programs.get_mut(leg) else { return };
            if !matches!(p.exec, Exec::Idle) {
                return;
            }
            let Some(verb) = p.verbs.get(p.pc).cloned() else {
                p.exec = Exec::Done;
                self.before_media(leg);
                let label = self.label(leg);
                self.end_leg(
                    leg,
                    CallStatus::Completed,
                    Provenance::Doc("dial.no-next-verb"),
                    format!("The TwiML has no more verbs: Twilio hangs up {label}'s call."),
                );
                return;
            };
            p.pc += 1;
            let round = p.round;
            let label = self.label(leg);
            let now = self.now();
            match verb {
                Verb::Dial(dial) => return self.start_dial(leg, &dial, round),
                Verb::Say(say) => {
                    self.before_media(leg);
                    let text = say.text().trim().to_string();
                    self.play_media(leg, Hearing::Say(text.clone()), now + say_ms(&text, say.loop_));
                    return self.emit(Draft::new(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Say>: {label} hears \"{text}\"."),
                    ));
                }
                Verb::Play(play) => {
                    self.before_media(leg);
                    let url = play.text().trim().to_string();
                    let heard = if url.is_empty() {
                        Hearing::Play(format!("digits {}", play.digits.clone().unwrap_or_default()))
                    } else {
                        Hearing::Play(url.clone())
                    };
                    self.play_media(leg, heard, now + PLAY_MS * loops(play.loop_));
                    return self.emit(Draft::new(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Play>: {label} hears {url} (each play assumed to last 5 s)."),
                    ));
                }
                Verb::Pause(pause) => {
                    self.before_media(leg);
                    let secs = pause.length.unwrap_or(1);
                    self.play_media(leg, Hearing::Silence, now + u64::from(secs) * 1000);
                    return self.emit(Draft::new(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Pause>: {label} hears {secs} s of silence."),
                    ));
                }
                Verb::Gather(g) => {
                    self.before_media(leg);
                    let mut prompt = Hearing::Silence;
                    let mut ms = 0;
                    for c in &g.children {
                        match c {
                            GatherChild::Say(s) => {
                                let t = s.text().trim().to_string();
                                ms += say_ms(&t, s.loop_);
                                if prompt == Hearing::Silence {
                                    prompt = Hearing::Say(t);
                                }
                            }
                            GatherChild::Play(p) => {
                                ms += PLAY_MS * loops(p.loop_);
                                if prompt == Hearing::Silence {
                                    prompt = Hearing::Play(p.text().trim().to_string());
                                }
                            }
                            GatherChild::Pause(p) => ms += u64::from(p.length.unwrap_or(1)) * 1000,
                            _ => {}
                        }
                    }
                    let timeout = u64::from(g.timeout.unwrap_or(5));
                    let until = now + ms + timeout * 1000;
                    if let Some(l) = self.state_mut(leg) {
                        l.media = prompt;
                    }
                    if let Some(p) = self.programs.get_mut(leg) {
                        p.exec = Exec::Gathering { until, action: g.action.clone(), method: g.method };
                    }
                    self.set_timer(until, Timer::ExecDone(leg.clone()));
                    self.effect(Effect::GatherStarted { leg: leg.clone() });
                    return self.emit(Draft::new(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Gather>: Twilio waits for {label}'s digits (prompt, then {timeout} s)."),
                    ));
                }
                Verb::Hangup(_) | Verb::Reject(_) => {
                    self.before_media(leg);
                    let tag = verb.tag().to_string();
                    self.end_leg(
                        leg,
                        CallStatus::Completed,
                        Provenance::Assumed,
                        format!("<{tag}>: Twilio hangs up {label}'s call."),
                    );
                    return;
                }
                Verb::Redirect(r) => {
                    let url = r.text().trim().to_string();
                    let method = r.method.unwrap_or(Method::Post);
                    let params = self.call_params(leg);
                    let req = self.fetch(&url, method, Purpose::Redirect { leg: leg.clone() }, "redirect", params);
                    self.set_exec(leg, Exec::Fetching);
                    return self.emit(
                        Draft::new(
                            StepKind::WebhookRequested,
                            Provenance::Doc("siptwiml.redirect-180"),
                            format!("<Redirect>: Twilio requests {url} for the next TwiML."),
                        )
                        .webhook(req),
                    );
                }
                Verb::Enqueue(e) => {
                    self.before_media(leg);
                    let queue = e.text().trim().to_string();
                    if let Some(l) = self.state_mut(leg) {
                        l.in_room = true;
                        l.media = Hearing::HoldMusic;
                    }
                    self.set_exec(leg, Exec::Parked);
                    return self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, format!(
                            "<Enqueue>: {label} waits in queue \"{queue}\" with hold music; a REFER there is refused like one in a <Queue>."
                        )));
                }
                Verb::Record(_) => {
                    self.before_media(leg);
                    self.play_media(leg, Hearing::Silence, now + RECORD_MS);
                    return self.emit(Draft::new(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Record>: {label} is recorded (5 s assumed; recordings are not simulated)."),
                    ));
                }
                Verb::Refer(_) => {
                    self.emit(Draft::new(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        "<Refer> (Twilio sending REFER) is not simulated yet; the TwiML continues.",
                    ));
                }
                Verb::Leave(_) => {
                    self.emit(Draft::new(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Leave>: {label} is not in a queue; nothing happens."),
                    ));
                }
                other => {
                    let tag = other.tag().to_string();
                    let what = if twiml::ast::is_unmodelled_verb(&tag) {
                        format!("<{tag}> is a TwiML verb refer-sim does not simulate: skipped here, Twilio would run it.")
                    } else {
                        format!("<{tag}> is not a verb refer-sim knows (the parser warned, schema warning 12200): skipped.")
                    };
                    self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, what));
                }
            }
        }
    }

    /// What `leg`'s running verb now waits for. A verb that was timed is over: its timer is
    /// stopped (a timed verb arms its own after this).
    pub(crate) fn set_exec(&mut self, leg: &LegId, exec: Exec) {
        if let Some(p) = self.programs.get_mut(leg) {
            p.exec = exec;
        }
        self.stop_timer(&Timer::ExecDone(leg.clone()));
    }

    fn play_media(&mut self, leg: &LegId, hearing: Hearing, until: u64) {
        if let Some(l) = self.state_mut(leg) {
            l.media = hearing;
        }
        self.set_exec(leg, Exec::Timed { until });
        self.set_timer(until, Timer::ExecDone(leg.clone()));
    }

    /// The id, role and label of the `i`-th party dialled in `round`.
    fn dial_leg(&self, round: usize, i: usize) -> (LegId, Role, String) {
        let (base, role, label) = if round == 0 {
            match self.cfg.refer_from {
                ReferFrom::Transferor => (LegId::transferor(), Role::Transferor, "AgentA".to_string()),
                ReferFrom::Caller => (LegId::caller(), Role::Caller, "AgentA".to_string()),
            }
        } else {
            let name = if round < 25 { format!("Agent{}", (b'A' + round as u8) as char) } else { format!("Agent{round}") };
            (LegId::target(round), Role::Target, name)
        };
        let (id, label) = if i == 0 {
            (base, label)
        } else {
            let suffix = (b'a' + (i % 26) as u8) as char;
            (LegId(format!("{base}-{suffix}")), format!("{label}{}", i + 1))
        };
        // A later <Dial> of the same transfer (after an action or a Redirect) calls again: new ids.
        let mut k = 1;
        let mut unique = id.clone();
        while self.state(&unique).is_some() {
            k += 1;
            unique = LegId(format!("{id}.{k}"));
        }
        (unique, role, label)
    }

    fn start_dial(&mut self, leg: &LegId, dial: &Dial, round: usize) {
        let label = self.label(leg);
        let mut parties: Vec<String> = Vec::new();
        let mut room: Option<(String, bool)> = None;
        for c in dial.nouns() {
            match c {
                DialChild::Conference(c) => room = Some((c.text().trim().to_string(), true)),
                DialChild::Queue(q) => room = Some((q.text().trim().to_string(), false)),
                other => parties.extend(other.party()),
            }
        }
        if let Some(n) = dial.text_number() {
            parties.push(n);
        }
        if let Some((name, conference)) = room {
            self.before_media(leg);
            if let Some(l) = self.state_mut(leg) {
                l.in_room = true;
                l.media = if conference { Hearing::Conference(name.clone()) } else { Hearing::HoldMusic };
            }
            self.set_exec(leg, Exec::Parked);
            if self.status(leg) == Some(CallStatus::Ringing) {
                self.answer_parent(leg, Provenance::Assumed, "Twilio answers UserA's call.");
            }
            let what = if conference { format!("joins conference \"{name}\"") } else { format!("waits in queue \"{name}\"") };
            return self.emit(Draft::new(
                StepKind::TwimlVerb,
                Provenance::Doc("refer.no-conference-queue"),
                format!("<Dial>: {label} {what}. REFER is not supported on such calls."),
            ));
        }
        if parties.is_empty() {
            self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, "<Dial> has nothing to dial; the TwiML continues."));
            return self.run_program(leg);
        }
        let timeout = u64::from(dial.timeout_or_default().clamp(5, 600));
        let now = self.now();
        let info = DialInfo {
            refer_url: dial.refer_url.clone(),
            refer_method: dial.refer_method_or_default(),
            answer_on_bridge: dial.answer_on_bridge_or_default(),
        };
        let addresses: Vec<Address> = parties.iter().map(|a| Address::read(a)).collect();
        let names: Vec<String> = addresses.iter().enumerate().map(|(i, a)| a.label(&self.dial_leg(round, i).2)).collect();
        let refer = match &info.refer_url {
            Some(u) => format!("referUrl {u}"),
            None => "no referUrl".to_string(),
        };
        self.emit(Draft::new(
            StepKind::TwimlVerb,
            Provenance::Assumed,
            format!(
                "<Dial> (answerOnBridge {}, {refer}): Twilio rings {} for up to {timeout} s, plus a 5 s buffer.",
                info.answer_on_bridge,
                names.join(" and ")
            ),
        ));
        let twilio_uri = Address::read(&self.cfg.caller_from).at_twilio();
        let mut legs = Vec::new();
        for (i, (address, read)) in parties.iter().zip(&addresses).enumerate() {
            let (id, role, fallback) = self.dial_leg(round, i);
            let name = read.label(&fallback);
            let transport = read.transport;
            let dialog = (transport == Transport::Sip).then(|| Dialog::new(id.as_str(), &twilio_uri, address, true));
            self.add_leg(LegState::ringing(id.clone(), role, name.clone(), address.clone(), dialog, Some(info.clone()), false));
            let mut messages = Vec::new();
            messages.extend(self.sip(&id, Side::Twilio, |d| {
                d.request(
                    Side::Twilio,
                    "INVITE",
                    &[],
                    Some(("application/sdp", "v=0\r\nm=audio 20000 RTP/AVP 0\r\na=sendrecv\r\n")),
                )
            }));
            messages.extend(self.sip(&id, Side::Party, |d| d.response(Side::Party, 180, "Ringing", "INVITE", &[], None)));
            if let Some(l) = self.state_mut(leg) {
                l.media = Hearing::Ringback;
            }
            self.effect(Effect::Ring { leg: id.clone(), address: address.clone() });
            let how = match transport {
                Transport::Sip => "INVITE; it answers 180 Ringing",
                Transport::Pstn => "over the phone network; it rings",
                Transport::Client => "through the Voice SDK; it rings",
            };
            self.emit(
                Draft::new(StepKind::LegRinging, Provenance::Rfc, format!("Twilio calls {name} ({address}): {how}."))
                    .messages(messages),
            );
            legs.push(id);
        }
        let deadline = now + (timeout + DIAL_BUFFER_S) * 1000;
        self.set_exec(
            leg,
            Exec::Dialing(DialRun { legs, bridged: None, action: dial.action.clone(), method: dial.method_or_default() }),
        );
        self.set_timer(deadline, Timer::DialTimeout(leg.clone()));
    }

    pub(crate) fn on_exec_done(&mut self, leg: LegId) {
        let now = self.now();
        match self.programs.get(&leg).map(|p| &p.exec) {
            Some(Exec::Timed { until }) if *until == now => {
                self.set_exec(&leg, Exec::Idle);
                self.run_program(&leg);
            }
            Some(Exec::Gathering { until, .. }) if *until == now => {
                self.set_exec(&leg, Exec::Idle);
                let label = self.label(&leg);
                self.emit(Draft::new(
                    StepKind::TwimlVerb,
                    Provenance::Assumed,
                    format!("{label} pressed nothing: <Gather> times out and the TwiML continues."),
                ));
                self.run_program(&leg);
            }
            _ => {}
        }
    }

    pub(crate) fn on_digits(&mut self, leg: LegId, digits: String) {
        let label = self.label(&leg);
        let Some(Exec::Gathering { action, method, .. }) = self.programs.get(&leg).map(|p| p.exec.clone()) else {
            return self.ignored(format!("{label} pressed {digits}, but no <Gather> is listening"));
        };
        // Without an action, Twilio requests the current document again. [assumed: the <Gather> page was not read]
        let (url, method) = match action {
            Some(a) => (Some(a), method.unwrap_or(Method::Post)),
            None => {
                let p = self.programs.get(&leg);
                (p.and_then(|p| p.url.clone()), p.map_or(Method::Post, |p| p.method))
            }
        };
        let Some(url) = url else {
            self.set_exec(&leg, Exec::Idle);
            self.emit(Draft::new(StepKind::Digits, Provenance::Assumed, format!("{label} presses {digits}; the <Gather> has no action and the initial TwiML has no URL, so the TwiML continues.")));
            return self.run_program(&leg);
        };
        let mut params = self.call_params(&leg);
        params.push(("Digits".into(), digits.clone()));
        let req = self.fetch(&url, method, Purpose::Gather { leg: leg.clone() }, "gather", params);
        self.set_exec(&leg, Exec::Fetching);
        self.emit(
            Draft::new(
                StepKind::Digits,
                Provenance::Assumed,
                format!("{label} presses {digits}: Twilio requests {url} with Digits={digits}."),
            )
            .webhook(req),
        );
    }

    /// Before a verb plays media to the transferee of a transfer that has not
    /// completed yet (answerOnBridge true), the transfer completes.
    pub(crate) fn before_media(&mut self, leg: &LegId) {
        if self.pending().is_some_and(|t| &t.transferee == leg) {
            let tor = self.pending().map(|t| self.label(&t.transferor)).unwrap_or_default();
            self.commit_transfer(
                Provenance::Assumed,
                format!(
                    "The referUrl TwiML plays to {} before any <Dial> answers: the transfer completes and Twilio {}disconnects {tor}.",
                    self.label(leg),
                    self.notify_and(200)
                ),
            );
        }
    }
}
