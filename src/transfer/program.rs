//! The TwiML interpreter: runs a document's verbs for one leg, verb by verb,
//! in simulated time. `<Dial>` rings its nouns at once (the first to answer
//! wins), `<Say>`/`<Play>`/`<Pause>` take time, `<Gather>` waits for scripted
//! digits, `<Redirect>` and `action` URLs fetch the next document.

use super::engine::{label_for, DialInfo, Engine, LegState, Purpose, Timer, TWILIO_DOMAIN};
use super::io::{Effect, HttpReply, ReferFrom};
use super::leg::{CallStatus, Hearing, LegId, Role, Transport};
use super::refer::describe_rest;
use super::refer::verbs;
use super::step::{StepKind, WebhookRequest, WebhookResponse};
use super::webhook;
use crate::sip::message::{reason, Dialog, Side};
use crate::twiml::{self, Dial, DialChild, GatherChild, Method, Response, Verb};
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
    pub deadline: u64,
    pub bridged: Option<LegId>,
    pub action: Option<String>,
    pub method: Method,
}

/// Seconds Twilio adds to `<Dial timeout>` before it declares no-answer. \[assumed\]: SPEC says so,
/// no page read states it (`dial.timeout-buffer` in `src/sources.md` is only named).
const DIAL_BUFFER_S: u64 = 5;
/// Twilio's total time for a webhook, retries included: 15 s by default and at most
/// (`webhook.total-timeout`); past it the request fails with 11205 ("Twilio will wait for a
/// total of 15 seconds to receive an HTTP response", `error.11205`). Applies to every fetch.
pub const WEBHOOK_TOTAL_TIMEOUT_MS: u64 = 15_000;
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

/// A leg's address as the user part of a URI.
fn user_part(address: &str) -> &str {
    let a = address.trim();
    let a = a.strip_prefix("sip:").or_else(|| a.strip_prefix("sips:")).unwrap_or(a);
    a.split('@').next().unwrap_or(a)
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
                    return self.emit(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Say>: {label} hears \"{text}\"."),
                        vec![],
                        None,
                        vec![],
                    );
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
                    return self.emit(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Play>: {label} hears {url} (each play assumed to last 5 s)."),
                        vec![],
                        None,
                        vec![],
                    );
                }
                Verb::Pause(pause) => {
                    self.before_media(leg);
                    let secs = pause.length.unwrap_or(1);
                    self.play_media(leg, Hearing::Silence, now + u64::from(secs) * 1000);
                    return self.emit(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Pause>: {label} hears {secs} s of silence."),
                        vec![],
                        None,
                        vec![],
                    );
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
                    return self.emit(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Gather>: Twilio waits for {label}'s digits (prompt, then {timeout} s)."),
                        vec![],
                        None,
                        vec![],
                    );
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
                        StepKind::WebhookRequested,
                        Provenance::Doc("siptwiml.redirect-180"),
                        format!("<Redirect>: Twilio requests {url} for the next TwiML."),
                        vec![],
                        Some(req),
                        vec![],
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
                    return self.emit(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!(
                            "<Enqueue>: {label} waits in queue \"{queue}\" with hold music; a REFER there is refused like one in a <Queue>."
                        ),
                        vec![],
                        None,
                        vec![],
                    );
                }
                Verb::Record(_) => {
                    self.before_media(leg);
                    self.play_media(leg, Hearing::Silence, now + RECORD_MS);
                    return self.emit(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Record>: {label} is recorded (5 s assumed; recordings are not simulated)."),
                        vec![],
                        None,
                        vec![],
                    );
                }
                Verb::Refer(_) => {
                    self.emit(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        "<Refer> (Twilio sending REFER) is not simulated yet; the TwiML continues.",
                        vec![],
                        None,
                        vec![],
                    );
                }
                Verb::Leave(_) => {
                    self.emit(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        format!("<Leave>: {label} is not in a queue; nothing happens."),
                        vec![],
                        None,
                        vec![],
                    );
                }
                other => {
                    let tag = other.tag().to_string();
                    let what = if twiml::ast::is_unmodelled_verb(&tag) {
                        format!("<{tag}> is a TwiML verb refer-sim does not simulate: skipped here, Twilio would run it.")
                    } else {
                        format!("<{tag}> is not a verb refer-sim knows (the parser warned, schema warning 12200): skipped.")
                    };
                    self.emit(StepKind::TwimlVerb, Provenance::Assumed, what, vec![], None, vec![]);
                }
            }
        }
    }

    fn set_exec(&mut self, leg: &LegId, exec: Exec) {
        if let Some(p) = self.programs.get_mut(leg) {
            p.exec = exec;
        }
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
        // Addresses Twilio cannot dial (a raw ReferTransferTarget with its <>, ...): each fails at once.
        let mut undialable: Vec<(usize, twiml::check::Undialable)> = Vec::new();
        let mut room: Option<(String, bool)> = None;
        for c in dial.nouns() {
            match c {
                DialChild::Conference(c) => room = Some((c.text().trim().to_string(), true)),
                DialChild::Queue(q) => room = Some((q.text().trim().to_string(), false)),
                other => {
                    if let (Some(bad), Some(_)) = (twiml::check::undialable_child(other), other.party()) {
                        undialable.push((parties.len(), bad));
                    }
                    parties.extend(other.party());
                }
            }
        }
        if let Some(n) = dial.text_number() {
            if let Some(bad) = twiml::check::undialable(twiml::check::Noun::Number, &n) {
                undialable.push((parties.len(), bad));
            }
            parties.push(n);
        }
        let bad_at = |i: usize| undialable.iter().find(|(j, _)| *j == i).map(|(_, b)| b.clone());
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
            return self.emit(
                StepKind::TwimlVerb,
                Provenance::Doc("refer.no-conference-queue"),
                format!("<Dial>: {label} {what}. REFER is not supported on such calls."),
                vec![],
                None,
                vec![],
            );
        }
        if parties.is_empty() {
            self.emit(
                StepKind::TwimlVerb,
                Provenance::Assumed,
                "<Dial> has nothing to dial; the TwiML continues.",
                vec![],
                None,
                vec![],
            );
            return self.run_program(leg);
        }
        let timeout =
            u64::from(dial.timeout_or_default().clamp(twiml::check::DIAL_TIMEOUT_MIN_S, twiml::check::DIAL_TIMEOUT_MAX_S));
        let now = self.now();
        let info = DialInfo {
            refer_url: dial.refer_url.clone(),
            refer_method: dial.refer_method_or_default(),
            answer_on_bridge: dial.answer_on_bridge_or_default(),
        };
        let names: Vec<String> = parties
            .iter()
            .enumerate()
            .filter(|(i, _)| bad_at(*i).is_none())
            .map(|(i, a)| label_for(a, &self.dial_leg(round, i).2))
            .collect();
        let rings = if names.is_empty() {
            "Twilio has nothing it can dial".to_string()
        } else {
            format!("Twilio rings {} for up to {timeout} s, plus a 5 s buffer", names.join(" and "))
        };
        let refer = match &info.refer_url {
            Some(u) => format!("referUrl {u}"),
            None => "no referUrl".to_string(),
        };
        self.emit(
            StepKind::TwimlVerb,
            Provenance::Assumed,
            format!("<Dial> (answerOnBridge {}, {refer}): {rings}.", info.answer_on_bridge),
            vec![],
            None,
            vec![],
        );
        let twilio_uri = format!("sip:{}@{TWILIO_DOMAIN}", user_part(&self.cfg.caller_from));
        let mut legs = Vec::new();
        for (i, address) in parties.iter().enumerate() {
            let (id, role, fallback) = self.dial_leg(round, i);
            let name = label_for(address, &fallback);
            if let Some(bad) = bad_at(i) {
                self.add_leg(LegState::ringing(id.clone(), role, name.clone(), address.clone(), None, Some(info.clone()), false));
                self.finish_leg(&id, CallStatus::Failed);
                let alert = self.alert(Some(bad.vendor_code), format!("{} (alert {})", bad.problem, bad.vendor_code));
                self.emit(
                    StepKind::LegEnded,
                    Provenance::Assumed,
                    format!(
                        "Twilio cannot call {name}: {}. The call fails at once, without ringing (assumed). Fix: {}.",
                        bad.problem, bad.fix
                    ),
                    vec![],
                    None,
                    vec![alert],
                );
                legs.push(id);
                continue;
            }
            let transport = Transport::of(address);
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
                StepKind::LegRinging,
                Provenance::Rfc,
                format!("Twilio calls {name} ({address}): {how}."),
                messages,
                None,
                vec![],
            );
            legs.push(id);
        }
        let deadline = now + (timeout + DIAL_BUFFER_S) * 1000;
        self.set_exec(
            leg,
            Exec::Dialing(DialRun {
                legs,
                deadline,
                bridged: None,
                action: dial.action.clone(),
                method: dial.method_or_default(),
            }),
        );
        self.set_timer(deadline, Timer::DialTimeout(leg.clone()));
        if !undialable.is_empty() {
            // Every address failed at once: the <Dial> is over (failed) without waiting.
            self.check_dial_over(leg);
        }
    }

    /// The program leg whose `<Dial>` rang `leg`.
    fn dial_owner(&self, leg: &LegId) -> Option<LegId> {
        self.programs
            .iter()
            .find(|(_, p)| matches!(&p.exec, Exec::Dialing(run) if run.legs.contains(leg)))
            .map(|(k, _)| k.clone())
    }

    pub(crate) fn on_answered(&mut self, leg: LegId) {
        let label = self.label(&leg);
        if self.status(&leg) != Some(CallStatus::Ringing) {
            return self.ignored(format!("{label} answered, but it is not ringing"));
        }
        let Some(owner) = self.dial_owner(&leg) else {
            return self.ignored(format!("{label} answered, but no <Dial> is ringing it"));
        };
        let now = self.now();
        if let Some(l) = self.state_mut(&leg) {
            l.leg.status = CallStatus::InProgress;
            l.answered_at = Some(now);
            l.sip_code = Some(200);
            if let Some(d) = l.dialog.as_mut() {
                d.answered();
            }
        }
        let mut messages = Vec::new();
        messages.extend(self.sip(&leg, Side::Party, |d| {
            d.response(
                Side::Party,
                200,
                "OK",
                "INVITE",
                &[],
                Some(("application/sdp", "v=0\r\nm=audio 30000 RTP/AVP 0\r\na=sendrecv\r\n")),
            )
        }));
        messages.extend(self.sip(&leg, Side::Twilio, |d| d.request(Side::Twilio, "ACK", &[], None)));
        let address = self.state(&leg).map(|l| l.leg.party.clone()).unwrap_or_default();
        self.effect(Effect::Connected { leg: leg.clone(), address });
        // Only a SIP party answers with 200 OK and gets an ACK; a number or a client just answers.
        let how = if messages.is_empty() { "" } else { " (200 OK, ACK)" };
        self.emit(StepKind::LegAnswered, Provenance::Rfc, format!("{label} answers{how}."), messages, None, vec![]);
        let others: Vec<LegId> = match self.programs.get(&owner).map(|p| &p.exec) {
            Some(Exec::Dialing(run)) => run.legs.iter().filter(|l| **l != leg).cloned().collect(),
            _ => Vec::new(),
        };
        if let Some(Exec::Dialing(run)) = self.programs.get_mut(&owner).map(|p| &mut p.exec) {
            run.bridged = Some(leg.clone());
        }
        for o in others {
            if self.status(&o) == Some(CallStatus::Ringing) {
                let name = self.label(&o);
                self.end_leg(
                    &o,
                    CallStatus::Canceled,
                    Provenance::Doc("number.ten"),
                    format!("{label} answered first: Twilio cancels {name}."),
                );
            }
        }
        if self.transfer.as_ref().is_some_and(|t| t.transferee == owner && !t.committed) {
            let tor = self.transfer.as_ref().map(|t| self.label(&t.transferor)).unwrap_or_default();
            let tee = self.label(&owner);
            self.commit_transfer(
                Provenance::Doc("refer.aob-true"),
                format!(
                    "{label} answered: with answerOnBridge true, Twilio now {}disconnects {tor} from {tee}{}.",
                    self.notify_and(200),
                    self.bye_expected(&tor)
                ),
            );
        }
        if self.status(&owner) == Some(CallStatus::Ringing) {
            self.answer_parent(
                &owner,
                Provenance::Assumed,
                &format!("answerOnBridge: Twilio answers {}'s call only now that {label} has answered.", self.label(&owner)),
            );
        }
        self.unbridge(&owner);
        self.bridge(&owner, &leg);
        // Once bridged, the ringback is over; if the bridge ends, the leg hears silence until its TwiML plays.
        if let Some(l) = self.state_mut(&owner) {
            l.media = Hearing::Silence;
        }
        let who = self.label(&owner);
        self.emit(
            StepKind::Bridged,
            Provenance::Doc("dial.connects"),
            format!("{who} and {label} are bridged: they hear each other."),
            vec![],
            None,
            vec![],
        );
    }

    pub(crate) fn on_declined(&mut self, leg: LegId, status: CallStatus, sip_code: u16) {
        let label = self.label(&leg);
        if self.status(&leg) != Some(CallStatus::Ringing) {
            return self.ignored(format!("{label} declined, but it is not ringing"));
        }
        let status = if status == CallStatus::Busy { CallStatus::Busy } else { CallStatus::Failed };
        let mut messages = Vec::new();
        messages
            .extend(self.sip(&leg, Side::Party, |d| d.response(Side::Party, sip_code, reason(sip_code), "INVITE", &[], None)));
        messages.extend(self.sip(&leg, Side::Twilio, |d| d.request(Side::Twilio, "ACK", &[], None)));
        if let Some(l) = self.state_mut(&leg) {
            l.sip_code = Some(sip_code);
        }
        self.finish_leg(&leg, status);
        let what = if status == CallStatus::Busy { "is busy" } else { "cannot take the call" };
        self.emit(
            StepKind::LegEnded,
            Provenance::Rfc,
            format!("{label} {what} ({sip_code} {}).", reason(sip_code)),
            messages,
            None,
            vec![],
        );
        self.after_leg_gone(&leg);
    }

    pub(crate) fn check_dial_over(&mut self, owner: &LegId) {
        let Some(Exec::Dialing(run)) = self.programs.get(owner).map(|p| p.exec.clone()) else { return };
        let (status, dialled) = if let Some(b) = &run.bridged {
            if !self.status(b).is_some_and(CallStatus::is_final) {
                return;
            }
            ("completed", Some(b.clone()))
        } else {
            if !run.legs.iter().all(|l| self.status(l).is_some_and(CallStatus::is_final)) {
                return;
            }
            let last = run.legs.last().cloned();
            let st = last.as_ref().and_then(|l| self.status(l)).map_or("failed", CallStatus::as_str);
            (st, last)
        };
        self.set_exec(owner, Exec::Idle);
        self.dial_over(owner, status, dialled, run);
    }

    fn dial_over(&mut self, owner: &LegId, status: &str, dialled: Option<LegId>, run: DialRun) {
        if self.transfer.as_ref().is_some_and(|t| &t.transferee == owner && !t.committed) {
            let code = match status {
                "busy" => 486,
                "failed" => 480,
                _ => 487,
            };
            let who = dialled.as_ref().map(|d| self.label(d)).unwrap_or_default();
            let after = self.programs.get(owner).map(|p| p.verbs.get(p.pc..).unwrap_or_default().to_vec()).unwrap_or_default();
            self.fail_transfer(
                code,
                Provenance::Doc(if status == "no-answer" { "refer.table.no-answer.aob-true" } else { "refer.aob-true-failure" }),
                format!("{who} did not take the call ({status}): with answerOnBridge true, the initial call is re-established."),
            );
            if let Some(rest) = describe_rest(run.action.as_deref(), &after) {
                self.emit(
                    StepKind::TwimlVerb,
                    Provenance::Assumed,
                    format!("{} of the referUrl TwiML: not run, the initial call came back instead (answerOnBridge true). No page says what Twilio does with {it}; refer-sim skips {it} (assumed).", rest.what, it = rest.it()),
                    vec![],
                    None,
                    vec![],
                );
            }
            return;
        }
        let label = self.label(owner);
        let Some(action) = run.action else {
            self.emit(
                StepKind::TwimlVerb,
                Provenance::Doc("dial.no-action"),
                format!("The <Dial> ended ({status}) and has no action URL: {label}'s TwiML continues after it."),
                vec![],
                None,
                vec![],
            );
            return self.run_program(owner);
        };
        let mut params = self.call_params(owner);
        params.push(("DialCallStatus".into(), status.into()));
        if let Some(d) = &dialled {
            if let Some(st) = self.state(d) {
                params.push(("DialCallSid".into(), st.sid.clone()));
                if let Some(at) = st.answered_at {
                    params.push(("DialCallDuration".into(), ((self.now() - at) / 1000).to_string()));
                }
                if st.leg.transport == Transport::Sip {
                    if let Some(code) = st.sip_code.or((status == "no-answer").then_some(487)) {
                        params.push(("DialSipResponseCode".into(), code.to_string()));
                    }
                }
            }
        }
        let req = self.fetch(&action, run.method, Purpose::Action { leg: owner.clone() }, "action", params);
        self.set_exec(owner, Exec::Fetching);
        self.emit(
            StepKind::WebhookRequested,
            Provenance::Doc("dial.action"),
            format!("The <Dial> ended ({status}): Twilio requests its action URL with DialCallStatus={status}."),
            vec![],
            Some(req),
            vec![],
        );
    }

    pub(crate) fn on_dial_timeout(&mut self, owner: LegId) {
        let Some(Exec::Dialing(run)) = self.programs.get(&owner).map(|p| p.exec.clone()) else { return };
        if run.deadline != self.now() || run.bridged.is_some() {
            return;
        }
        for l in run.legs {
            if self.status(&l) == Some(CallStatus::Ringing) {
                let name = self.label(&l);
                self.end_leg(
                    &l,
                    CallStatus::NoAnswer,
                    Provenance::Assumed,
                    format!("Nobody answered within the <Dial> timeout and a 5 s buffer: Twilio cancels {name} (no-answer)."),
                );
            }
        }
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
                self.emit(
                    StepKind::TwimlVerb,
                    Provenance::Assumed,
                    format!("{label} pressed nothing: <Gather> times out and the TwiML continues."),
                    vec![],
                    None,
                    vec![],
                );
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
            self.emit(StepKind::Digits, Provenance::Assumed, format!("{label} presses {digits}; the <Gather> has no action and the initial TwiML has no URL, so the TwiML continues."), vec![], None, vec![]);
            return self.run_program(&leg);
        };
        let mut params = self.call_params(&leg);
        params.push(("Digits".into(), digits.clone()));
        let req = self.fetch(&url, method, Purpose::Gather { leg: leg.clone() }, "gather", params);
        self.set_exec(&leg, Exec::Fetching);
        self.emit(
            StepKind::Digits,
            Provenance::Assumed,
            format!("{label} presses {digits}: Twilio requests {url} with Digits={digits}."),
            vec![],
            Some(req),
            vec![],
        );
    }

    /// Before a verb plays media to the transferee of a transfer that has not
    /// completed yet (answerOnBridge true), the transfer completes.
    pub(crate) fn before_media(&mut self, leg: &LegId) {
        if self.transfer.as_ref().is_some_and(|t| &t.transferee == leg && !t.committed) {
            let tor = self.transfer.as_ref().map(|t| self.label(&t.transferor)).unwrap_or_default();
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

    /// The voice request parameters of `leg`'s call. \[doc\]
    pub(crate) fn call_params(&self, leg: &LegId) -> Vec<(String, String)> {
        let Some(st) = self.state(leg) else { return Vec::new() };
        let (direction, from, to) = if st.parent {
            ("inbound", self.cfg.caller_from.trim().to_string(), self.cfg.caller_to.trim().to_string())
        } else {
            ("outbound-dial", self.cfg.caller_from.trim().to_string(), st.leg.party.clone())
        };
        vec![
            ("AccountSid".into(), webhook::account_sid()),
            ("ApiVersion".into(), "2010-04-01".into()),
            ("CallSid".into(), st.sid.clone()),
            ("CallStatus".into(), st.leg.status.as_str().into()),
            ("Direction".into(), direction.into()),
            ("From".into(), from),
            ("To".into(), to),
        ]
    }

    /// Starts an HTTP request.
    pub(crate) fn fetch(
        &mut self,
        url: &str,
        method: Method,
        purpose: Purpose,
        what: &str,
        params: Vec<(String, String)>,
    ) -> WebhookRequest {
        let request = self.next_request();
        let now = self.now();
        self.fetches.insert(request, (purpose, url.to_string(), method, now));
        self.set_timer(now + WEBHOOK_TOTAL_TIMEOUT_MS, Timer::FetchTimeout(request));
        let req = webhook::request(method, url, what, params);
        self.effect(Effect::Fetch { request, url: url.to_string(), webhook: req.clone() });
        req
    }

    pub(crate) fn on_http(&mut self, request: u32, reply: HttpReply) {
        let Some(&(_, _, _, sent)) = self.fetches.get(&request) else {
            return self.ignored(if self.gave_up.contains(&request) {
                format!("the answer to request {request} arrived after Twilio had given up on it (15 s); it is dropped")
            } else {
                format!("an HTTP answer arrived for request {request}, which is not pending")
            });
        };
        // An answer at the limit is too late (the timer due at the same instant has not run yet).
        if self.now() - sent >= WEBHOOK_TOTAL_TIMEOUT_MS {
            return self.on_fetch_timeout(request);
        }
        let Some((purpose, url, method, _)) = self.fetches.remove(&request) else { return };
        self.cancel_timer(&Timer::FetchTimeout(request));
        self.answer = Some(match &reply {
            HttpReply::Body { status, twiml } => {
                WebhookResponse { url: url.clone(), status: Some(*status), body: Some(twiml.clone()) }
            }
            HttpReply::Unreachable => WebhookResponse { url: url.clone(), status: None, body: None },
        });
        // A failure: the vendor's code, its page in src/sources.md, and what happened.
        let parsed: Result<Response, (u32, &'static str, String)> = match reply {
            HttpReply::Body { status, twiml } if (200..300).contains(&status) => {
                let p = twiml::parse(&twiml);
                match (p.response, p.diagnostics.iter().find(|d| d.is_error())) {
                    (Some(r), None) => Ok(r),
                    (_, Some(d)) => Err((
                        12100,
                        "error.12100",
                        format!("the TwiML from {url} does not parse: {} (line {}, column {})", d.message, d.line, d.column),
                    )),
                    (None, None) => Err((12100, "error.12100", format!("the TwiML from {url} is empty"))),
                }
            }
            HttpReply::Body { status, .. } => Err((11200, "error.11200", format!("{url} answered HTTP {status}"))),
            HttpReply::Unreachable => Err((11205, "error.11205", format!("{url} could not be reached"))),
        };
        self.fetch_done(purpose, url, method, parsed);
    }

    /// No answer within [`WEBHOOK_TOTAL_TIMEOUT_MS`]: the request fails as an unreachable one does (11205).
    pub(crate) fn on_fetch_timeout(&mut self, request: u32) {
        let Some((purpose, url, method, _)) = self.fetches.remove(&request) else { return };
        self.cancel_timer(&Timer::FetchTimeout(request));
        self.gave_up.push(request);
        self.answer = Some(WebhookResponse { url: url.clone(), status: None, body: None });
        let secs = WEBHOOK_TOTAL_TIMEOUT_MS / 1000;
        let msg = format!("{url} did not answer within {secs} s, Twilio's total webhook timeout");
        self.fetch_done(purpose, url, method, Err((11205, "error.11205", msg)));
    }

    /// A request is over: run the TwiML it brought, or handle the failure.
    fn fetch_done(
        &mut self,
        purpose: Purpose,
        url: String,
        method: Method,
        parsed: Result<Response, (u32, &'static str, String)>,
    ) {
        match (purpose, parsed) {
            (Purpose::Refer, Ok(r)) => self.refer_fetched(r, url, method),
            (Purpose::Refer, Err((code, source, msg))) => self.refer_fetch_failed(code, source, msg),
            (purpose @ (Purpose::Action { .. } | Purpose::Redirect { .. } | Purpose::Gather { .. }), Ok(r)) => {
                // The <Gather> page was not read: what happens to its action's TwiML is assumed.
                let (leg, tag) = match purpose {
                    Purpose::Action { leg } => (leg, Provenance::Doc("dial.action")),
                    Purpose::Redirect { leg } => (leg, Provenance::Doc("siptwiml.redirect-180")),
                    Purpose::Gather { leg } => (leg, Provenance::Assumed),
                    Purpose::Refer => return,
                };
                let round = self.programs.get(&leg).map_or(0, |p| p.round);
                let n = verbs(r.verbs().len());
                self.emit(
                    StepKind::WebhookFetched,
                    tag,
                    format!("{url} answered with TwiML ({n}); it replaces {}'s current TwiML.", self.label(&leg)),
                    vec![],
                    None,
                    vec![],
                );
                self.programs.insert(leg.clone(), Program::new(r.verbs().to_vec(), Some(url), method, round));
                self.run_program(&leg);
            }
            (Purpose::Action { leg } | Purpose::Redirect { leg } | Purpose::Gather { leg }, Err((code, source, msg))) => {
                let alert = self.alert(Some(code), msg.clone());
                self.emit(
                    StepKind::WebhookFailed,
                    Provenance::Doc(source),
                    format!("{msg}: alert {code}."),
                    vec![],
                    None,
                    vec![alert],
                );
                if self.transfer.as_ref().is_some_and(|t| t.transferee == leg && !t.committed) {
                    return self.fail_transfer(
                        503,
                        Provenance::Assumed,
                        "The referUrl TwiML failed before the transfer completed: the initial call is re-established.".into(),
                    );
                }
                let label = self.label(&leg);
                self.end_leg(
                    &leg,
                    CallStatus::Completed,
                    Provenance::Assumed,
                    format!("Without TwiML to run, Twilio ends {label}'s call (an application error)."),
                );
            }
        }
    }
}
