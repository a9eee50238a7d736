//! The interpreter's actions applied: the engine runs a leg's program (asking
//! [`Program::next_action`] for each verb), rings a `<Dial>`'s parties, plays media, waits
//! for `<Gather>` digits, and completes a transfer whose referUrl TwiML plays media first.

use super::draft::Draft;
use super::engine::{DialInfo, Engine, LegState, Purpose, Timer};
use super::io::{Effect, ReferFrom};
use super::known::Party;
use super::leg::{CallStatus, Hearing, LegId, Role, SharedStr, Transport};
use super::program::{Action, DialRun, Exec, DIAL_BUFFER_S, MAX_TIME_LIMIT_S};
use super::step::StepKind;
use super::text::{cat, push_decimal};
use super::webhook::param;
use crate::sip::message::Side;
use crate::twiml::check::Noun;
use crate::twiml::{self, Dial, DialChild, Method};
use crate::Provenance;
use std::sync::Arc;

impl Engine {
    /// Runs `leg`'s program until a verb has to wait: asks the interpreter for each next
    /// action and applies it.
    pub(crate) fn run_program(&mut self, leg: &LegId) {
        loop {
            if self.halted() || self.status(leg).is_none_or(CallStatus::is_final) {
                return;
            }
            let (label, now) = (self.label(leg), self.now());
            let Some(p) = self.programs.get_mut(leg) else { return };
            if !matches!(p.exec, Exec::Idle) {
                return;
            }
            let round = p.round;
            let first_of_call = round == 0 && p.pc == 0 && p.url.is_none();
            let action = p.next_action(&label);
            if self.state(leg).is_some_and(|l| l.parent) && self.status(leg) == Some(CallStatus::Ringing) {
                match &action {
                    // <Redirect> keeps the caller in 180 Ringing; <Refer> answers in its own step.
                    Action::Fetch { .. } | Action::Refer { .. } => {}
                    Action::Reject { busy, .. } => return self.refuse_call(leg, *busy),
                    Action::Dial(d) if d.dial().is_some_and(Dial::answer_on_bridge_or_default) => {}
                    other => self.answer_before(leg, other, first_of_call),
                }
            }
            match action {
                Action::End => {
                    self.before_media(leg, Leaves::Ends);
                    return self.end_leg(
                        leg,
                        CallStatus::Completed,
                        Provenance::Doc("dial.no-next-verb"),
                        cat!("The TwiML has no more verbs: Twilio hangs up ", label, "'s call."),
                    );
                }
                Action::Dial(at) => {
                    let Some(dial) = at.dial() else { return };
                    return self.start_dial(leg, dial, at.action.clone(), at.refer_url.clone(), round);
                }
                Action::Media { hearing, ms, narration } => {
                    self.before_media(leg, Leaves::Plays);
                    self.play_media(leg, hearing, now + ms);
                    return self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, narration));
                }
                Action::Gather { prompt, ms, timeout_s, action, method } => {
                    self.before_media(leg, Leaves::Plays);
                    let until = now + ms + timeout_s * 1000;
                    if let Some(l) = self.state_mut(leg) {
                        l.media = prompt;
                    }
                    if let Some(p) = self.programs.get_mut(leg) {
                        p.exec = Exec::Gathering { until, action, method };
                    }
                    self.set_timer(until, Timer::ExecDone(leg.clone()));
                    self.effect(Effect::GatherStarted { leg: leg.clone() });
                    return self.emit(Draft::new(
                        StepKind::TwimlVerb,
                        Provenance::Assumed,
                        cat!("<Gather>: Twilio waits for ", label, "'s digits (prompt, then ", timeout_s, " s)."),
                    ));
                }
                Action::HangUp { narration } | Action::Reject { narration, .. } => {
                    self.before_media(leg, Leaves::Ends);
                    return self.end_leg(leg, CallStatus::Completed, Provenance::Assumed, narration);
                }
                Action::Fetch { url, method } => {
                    let params = self.call_params(leg);
                    let req = self.fetch(&url, method, Purpose::Redirect { leg: leg.clone() }, "redirect", params);
                    self.set_exec(leg, Exec::Fetching);
                    return self.emit(
                        Draft::new(
                            StepKind::WebhookRequested,
                            Provenance::Doc("siptwiml.redirect-180"),
                            cat!("<Redirect>: Twilio requests ", url, " for the next TwiML."),
                        )
                        .webhook(req),
                    );
                }
                Action::Refer { target, action, method } => return self.start_refer(leg, target, action, method),
                Action::Park { narration } => {
                    self.before_media(leg, Leaves::Room);
                    if let Some(l) = self.state_mut(leg) {
                        l.in_room = true;
                        l.media = Hearing::HoldMusic;
                    }
                    self.set_exec(leg, Exec::Parked);
                    return self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, narration));
                }
                Action::Skip { narration } => self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, narration)),
            }
        }
    }

    /// Twilio answers the inbound call, still ringing, before the verb of `action` runs: the
    /// SIP page names the verbs that answer a SIP caller; the `<Reject>` page says that any
    /// response but `<Reject>` first is answered (the same instant as the verb).
    fn answer_before(&mut self, leg: &LegId, action: &Action, first_of_call: bool) {
        let sip = self.state(leg).is_some_and(|l| l.leg.transport == Transport::Sip);
        let named = matches!(action, Action::Dial(_) | Action::Gather { .. })
            || matches!(action, Action::Media { hearing, .. } if *hearing != Hearing::Silence);
        let tag = if sip && named { Provenance::Doc("siptwiml.200-on-verbs") } else { Provenance::Doc("reject.answered") };
        let label = self.label(leg);
        let narration = if first_of_call {
            cat!("Twilio answers ", label, "'s call and starts the TwiML.")
        } else {
            cat!("Twilio answers ", label, "'s call before the next verb.")
        };
        self.answer_parent(leg, tag, &narration);
    }

    /// `<Reject>` on the inbound call before it is answered: Twilio does not pick it up. A SIP
    /// caller gets 486 Busy Here (`reason="busy"`) or 404 Not Found and never a 200 OK.
    fn refuse_call(&mut self, leg: &LegId, busy: bool) {
        let label = self.label(leg);
        let (code, status, ends) = if busy { (486, CallStatus::Busy, "busy") } else { (404, CallStatus::NoAnswer, "no-answer") };
        let sip = self.state(leg).is_some_and(|l| l.leg.transport == Transport::Sip);
        let mut messages = Vec::new();
        messages.extend(
            self.sip(leg, Side::Twilio, |d| {
                d.response(Side::Twilio, code, crate::sip::message::reason(code), "INVITE", &[], None)
            }),
        );
        messages.extend(self.sip(leg, Side::Party, |d| d.request(Side::Party, "ACK", &[], None)));
        let verb = if busy { "<Reject reason=\"busy\">" } else { "<Reject>" };
        let (tag, narration) = if sip {
            let why = crate::sip::message::reason(code);
            let said = cat!(
                verb,
                ": Twilio refuses ",
                label,
                "'s call with ",
                code,
                " ",
                why,
                " and never answers it; the call ends ",
                ends,
                "."
            );
            (Provenance::Doc("siptwiml.reject"), said)
        } else {
            (
                Provenance::Doc("reject.first-verb"),
                cat!(verb, ": Twilio does not pick up ", label, "'s call; it ends ", ends, "."),
            )
        };
        self.close_leg(leg, status, Draft::new(StepKind::LegEnded, tag, narration).messages(messages));
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
    fn dial_leg(&self, round: usize, i: usize) -> (LegId, Role) {
        let (base, role) = if round == 0 {
            match self.cfg.refer_from {
                ReferFrom::Transferor => (LegId::transferor(), Role::Transferor),
                ReferFrom::Caller => (LegId::caller(), Role::Caller),
            }
        } else {
            (LegId::target(round), Role::Target)
        };
        let id = if i == 0 {
            base
        } else {
            let suffix = (b'a' + (i % 26) as u8) as char;
            LegId(cat!(base, "-", suffix).into())
        };
        // A later <Dial> of the same transfer (after an action or a Redirect) calls again: new ids.
        let mut k = 1usize;
        let mut unique = id.clone();
        while self.state(&unique).is_some() {
            k += 1;
            unique = LegId(cat!(id, ".", k).into());
        }
        (unique, role)
    }

    /// Starts `dial`, whose `action` and `referUrl` are `action` and `refer_url` once resolved.
    fn start_dial(&mut self, leg: &LegId, dial: &Dial, action: Option<String>, refer_url: Option<String>, round: usize) {
        let label = self.label(leg);
        let mut parties: Vec<Arc<Party>> = Vec::new();
        // Addresses Twilio cannot dial (a raw ReferTransferTarget with its <>, ...): each fails at once.
        let mut undialable: Vec<(usize, twiml::check::Undialable)> = Vec::new();
        let mut room: Option<(String, bool)> = None;
        for c in dial.nouns() {
            match c {
                DialChild::Conference(c) => room = Some((c.text().trim().to_string(), true)),
                DialChild::Queue(q) => room = Some((q.text().trim().to_string(), false)),
                other => {
                    let Some(text) = party_text(other) else { continue };
                    // What `twiml::check::undialable_child` reads (the noun's text, trimmed as `party` is).
                    let noun = match other {
                        DialChild::Sip(_) => Some(Noun::Sip),
                        DialChild::Number(_) => Some(Noun::Number),
                        _ => None,
                    };
                    let party = self.party(&text);
                    if let Some(bad) = noun.and_then(|noun| self.undialable(noun, &party)) {
                        undialable.push((parties.len(), bad));
                    }
                    parties.push(party);
                }
            }
        }
        if let Some(n) = dial.text_number() {
            let party = self.party(&n);
            if let Some(bad) = self.undialable(Noun::Number, &party) {
                undialable.push((parties.len(), bad));
            }
            parties.push(party);
        }
        let bad_at = |i: usize| undialable.iter().find(|(j, _)| *j == i).map(|(_, b)| b.clone());
        if let Some((name, conference)) = room {
            self.before_media(leg, Leaves::Room);
            if let Some(l) = self.state_mut(leg) {
                l.in_room = true;
                l.media = if conference { Hearing::Conference(name.as_str().into()) } else { Hearing::HoldMusic };
            }
            self.set_exec(leg, Exec::Parked);
            if self.status(leg) == Some(CallStatus::Ringing) {
                self.answer_parent(leg, Provenance::Assumed, "Twilio answers UserA's call.");
            }
            let what = if conference { cat!("joins conference \"", name, "\"") } else { cat!("waits in queue \"", name, "\"") };
            return self.emit(Draft::new(
                StepKind::TwimlVerb,
                Provenance::Doc("refer.no-conference-queue"),
                cat!("<Dial>: ", label, " ", what, ". REFER is not supported on such calls."),
            ));
        }
        if parties.is_empty() {
            self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, "<Dial> has nothing to dial; the TwiML continues."));
            return self.run_program(leg);
        }
        let timeout =
            u64::from(dial.timeout_or_default().clamp(twiml::check::DIAL_TIMEOUT_MIN_S, twiml::check::DIAL_TIMEOUT_MAX_S));
        let now = self.now();
        let info = DialInfo {
            refer_url,
            refer_method: dial.refer_method_or_default(),
            answer_on_bridge: dial.answer_on_bridge_or_default(),
        };
        // Each party's label, read once for the narration here and for its leg below.
        let labels: Vec<SharedStr> = parties.iter().map(|p| p.address.dialled_label()).collect();
        // The narration written into one text: the parties it can dial ("A and B and C"), what
        // it rings and its referUrl were three texts of their own, copied into it.
        let (head, middle) = if round == 0 {
            ("<Dial> (answerOnBridge ", "): ")
        } else {
            // Read beside an outcome-table cell, "answerOnBridge false" here was taken for the
            // cell's own (which is the one on the <Dial> that called the transferor).
            (
                "<Dial> of the TwiML after the REFER (this <Dial>: answerOnBridge ",
                "; the outcome table's answerOnBridge is the one on the <Dial> that called the transferor): ",
            )
        };
        let refer_len = info.refer_url.as_deref().map_or(0, str::len);
        let names_len = labels.iter().map(|l| l.len() + 5).sum::<usize>();
        let mut narration = String::with_capacity(head.len() + middle.len() + refer_len + names_len + 80);
        narration.push_str(head);
        narration.push_str(if info.answer_on_bridge { "true, " } else { "false, " });
        match &info.refer_url {
            Some(u) if u.trim().is_empty() => narration.push_str("referUrl=\"\", which names no URL"),
            Some(u) => {
                narration.push_str("referUrl ");
                narration.push_str(u);
            }
            None => narration.push_str("no referUrl"),
        }
        narration.push_str(middle);
        let mut named = false;
        for (_, label) in labels.iter().enumerate().filter(|(i, _)| bad_at(*i).is_none()) {
            narration.push_str(if named { " and " } else { "Twilio rings " });
            narration.push_str(label);
            named = true;
        }
        if named {
            narration.push_str(" for up to ");
            push_decimal(&mut narration, timeout);
            narration.push_str(" s, plus a 5 s buffer.");
        } else {
            narration.push_str("Twilio has nothing it can dial.");
        }
        self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, narration));
        let twilio_uri = self.caller_at_twilio();
        let mut legs = Vec::new();
        for (i, (read, name)) in parties.iter().zip(&labels).enumerate() {
            let (id, role) = self.dial_leg(round, i);
            let (address, transport, bad) = (&read.address.text, read.address.transport, bad_at(i));
            let party = address.clone();
            let dialog =
                (bad.is_none() && transport == Transport::Sip).then(|| read.address.dialog_from_twilio(id.as_str(), &twilio_uri));
            let state = LegState::ringing(id.clone(), role, name.clone(), party.clone(), transport, dialog, Some(info.clone()));
            self.add_leg(state);
            if let Some(bad) = bad {
                self.finish_leg(&id, CallStatus::Failed);
                let alert = self.alert(Some(bad.vendor_code), cat!(bad.problem, " (alert ", bad.vendor_code, ")"));
                self.emit(
                    Draft::new(
                        StepKind::LegEnded,
                        Provenance::Assumed,
                        cat!(
                            "Twilio cannot call ",
                            name,
                            ": ",
                            bad.problem,
                            ". The call fails at once, without ringing (assumed). Fix: ",
                            bad.fix,
                            "."
                        ),
                    )
                    .alert(alert),
                );
                legs.push(id);
                continue;
            }
            let mut messages = Vec::new();
            messages.extend(self.sip(&id, Side::Twilio, |d| {
                let sdp = d.sdp(Side::Twilio, "sendrecv");
                d.request(Side::Twilio, "INVITE", &[], Some(("application/sdp", &sdp)))
            }));
            messages.extend(self.sip(&id, Side::Party, |d| d.response(Side::Party, 180, "Ringing", "INVITE", &[], None)));
            let tone = ring_tone(dial);
            if let Some(l) = self.state_mut(leg) {
                l.media = tone;
            }
            self.effect(Effect::Ring { leg: id.clone(), address: party });
            let how = match transport {
                Transport::Sip => "INVITE; it answers 180 Ringing",
                Transport::Pstn => "over the phone network; it rings",
                Transport::Client => "through the Voice SDK; it rings",
            };
            // A number or a client rings without SIP shown: no RFC is behind that step; nor is one
            // whose INVITE leaves out some of the URI's headers (assumed, the note says so).
            let note = read.address.invite_headers_note();
            let tag =
                if transport == Transport::Sip && !note.contains("(assumed)") { Provenance::Rfc } else { Provenance::Assumed };
            self.emit(
                Draft::new(
                    StepKind::LegRinging,
                    tag,
                    if name == address {
                        // A party named by its address as written (a number, a SIP URI without a user).
                        cat!("Twilio calls ", name, ": ", how, ".", note)
                    } else {
                        cat!("Twilio calls ", name, " (", address, "): ", how, ".", note)
                    },
                )
                .messages(messages),
            );
            legs.push(id);
        }
        if named {
            self.ring_tone_step(leg, dial);
        }
        let deadline = now + (timeout + DIAL_BUFFER_S) * 1000;
        self.set_exec(
            leg,
            Exec::Dialing(DialRun {
                legs,
                bridged: None,
                action,
                method: dial.method_or_default(),
                time_limit_s: dial.time_limit.filter(|&t| t > 0).map(|t| u64::from(t).min(MAX_TIME_LIMIT_S)),
                hangup_on_star: dial.hangup_on_star_or_default(),
            }),
        );
        self.set_timer(deadline, Timer::DialTimeout(leg.clone()));
        if let Some(Exec::Dialing(run)) = self.programs.get(leg).map(|p| &p.exec) {
            let legs = run.legs.clone();
            self.dial_started(leg, dial, &legs);
        }
        if !undialable.is_empty() {
            // Every address failed at once: the <Dial> is over (failed) without waiting.
            self.check_dial_over(leg);
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
                self.emit(Draft::new(
                    StepKind::TwimlVerb,
                    Provenance::Assumed,
                    cat!(label, " pressed nothing: <Gather> times out and the TwiML continues."),
                ));
                self.run_program(&leg);
            }
            _ => {}
        }
    }

    pub(crate) fn on_digits(&mut self, leg: LegId, digits: String) {
        let label = self.label(&leg);
        match self.programs.get(&leg).map(|p| p.exec.clone()) {
            Some(Exec::Dialing(run)) => return self.keys_during_dial(leg, digits, run),
            Some(Exec::Parked) => {
                return self.ignored(cat!(label, " pressed ", digits, " in a conference or queue: refer-sim does not simulate keys there (hangupOnStar with <Conference> is not simulated)"))
            }
            _ => {}
        }
        let Some(Exec::Gathering { action, method, .. }) = self.programs.get(&leg).map(|p| p.exec.clone()) else {
            return self.ignored(cat!(label, " pressed ", digits, ", but no <Gather> is listening"));
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
            self.emit(Draft::new(
                StepKind::Digits,
                Provenance::Assumed,
                cat!(
                    label,
                    " presses ",
                    digits,
                    "; the <Gather> has no action and the initial TwiML has no URL, so the TwiML continues."
                ),
            ));
            return self.run_program(&leg);
        };
        let mut params = self.call_params(&leg);
        params.push((param!("Digits"), digits.as_str().into()));
        let req = self.fetch(&url, method, Purpose::Gather { leg: leg.clone() }, "gather", params);
        self.set_exec(&leg, Exec::Fetching);
        self.emit(
            Draft::new(
                StepKind::Digits,
                Provenance::Assumed,
                cat!(label, " presses ", digits, ": Twilio requests ", url, " with Digits=", digits, "."),
            )
            .webhook(req),
        );
    }

    /// What `owner` hears while its `<Dial>` rings, when the `<Dial>` has a `ringTone`: one step
    /// that says it (`dial.ring-tone`), and what changes it (a bridge still up, an unanswered call).
    fn ring_tone_step(&mut self, owner: &LegId, dial: &Dial) {
        let Some(written) = dial.ring_tone.as_deref() else { return };
        let label = self.label(owner);
        if !twiml::check::RING_TONES.contains(&written) {
            return self.emit(Draft::new(
                StepKind::TwimlVerb,
                Provenance::Assumed,
                cat!("ringTone=\"", written, "\" is not one of the country codes Twilio accepts: no page says what Twilio does with it; refer-sim plays the default ringback to ", label, " (assumed)."),
            ));
        }
        let narration = if let Some(p) = self.partner(owner) {
            // A transferee still bridged with its transferor (answerOnBridge true on the initial <Dial>).
            cat!(
                "ringTone=\"",
                written,
                "\": Twilio would play the ",
                written,
                " ringback tone to ",
                label,
                " while the <Dial> rings, but ",
                label,
                " is still connected to ",
                self.label(&p),
                " and hears that party instead (assumed: the tone is only for a caller waiting on this <Dial>)."
            )
        } else if self.status(owner) == Some(CallStatus::Ringing) {
            cat!("ringTone=\"", written, "\": ", label, " hears the ", written, " ringback tone instead of the carrier's while the <Dial> rings. ", label, "'s own call is not answered yet (answerOnBridge): no page says how the tone reaches an unanswered call; refer-sim assumes as early media.")
        } else {
            cat!(
                "ringTone=\"",
                written,
                "\": ",
                label,
                " hears the ",
                written,
                " ringback tone instead of the carrier's while the <Dial> rings."
            )
        };
        self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Doc("dial.ring-tone"), narration));
    }

    /// Before a verb takes the transferee of a transfer that has not completed yet
    /// (answerOnBridge true) away from the bridge with the transferor (it plays media to it,
    /// ends its call, puts it in a room or sends it a REFER), the transfer completes; the step
    /// says which of those the TwiML did.
    pub(crate) fn before_media(&mut self, leg: &LegId, what: Leaves) {
        if self.pending().is_some_and(|t| &t.transferee == leg) {
            let tor = self.pending().map(|t| self.label(&t.transferor)).unwrap_or_default();
            let tee = self.label(leg);
            let did = match what {
                Leaves::Plays => cat!("plays to ", tee),
                Leaves::Ends => cat!("ends ", tee, "'s call"),
                Leaves::Room => cat!("puts ", tee, " in a conference or queue"),
                Leaves::Refers => cat!("has Twilio send ", tee, " a REFER"),
            };
            self.commit_transfer(
                Provenance::Assumed,
                cat!(
                    "The referUrl TwiML ",
                    did,
                    " before any <Dial> answers: the transfer completes and Twilio ",
                    self.notify_then_disconnect(&tor, None, false),
                    "."
                ),
            );
        }
    }
}

/// What a verb does to the transferee that takes it away from its bridge with the transferor
/// ([`Engine::before_media`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Leaves {
    /// `<Say>`, `<Play>`, `<Pause>`, `<Gather>`, ...: media played to it.
    Plays,
    /// No verb left, `<Hangup>`, `<Reject>`: its call ends.
    Ends,
    /// `<Enqueue>`, `<Dial><Conference>` or `<Dial><Queue>`.
    Room,
    /// `<Refer>`: Twilio sends it a REFER.
    Refers,
}

/// `c.party()`, borrowed from the TwiML when a `<Sip>` or `<Number>` holds one text run (as it
/// does unless a comment splits it): written out, it was two copies per party and run.
fn party_text(c: &DialChild) -> Option<std::borrow::Cow<'_, str>> {
    let children = match c {
        DialChild::Sip(s) => &s.children,
        DialChild::Number(n) => &n.children,
        _ => return c.party().map(std::borrow::Cow::Owned),
    };
    match children.as_slice() {
        [twiml::Node::Text(t)] => Some(std::borrow::Cow::Borrowed(t.value.trim())),
        _ => c.party().map(std::borrow::Cow::Owned),
    }
}

/// What the caller hears while `dial` rings: the `ringTone` country's ringback when it is one
/// Twilio accepts (`dial.ring-tone`), otherwise the default ringback ("If not specified, Twilio
/// will play ringback or pass ringback from the carrier"; an unknown value: assumed the same).
fn ring_tone(dial: &Dial) -> Hearing {
    match dial.ring_tone.as_deref() {
        Some(t) if twiml::check::RING_TONES.contains(&t) => Hearing::RingTone(t.into()),
        _ => Hearing::Ringback,
    }
}

#[cfg(test)]
mod tests {
    use super::party_text;
    use crate::twiml::{self, Verb};

    #[test]
    fn a_party_s_text_is_borrowed_as_party_writes_it() {
        let twiml = "<Response><Dial>\
            <Sip> sip:AgentB@example.com </Sip>\
            <Sip>sip:Agent<!-- split -->C@example.com</Sip>\
            <Sip/>\
            <Number>\n+14155550100\t</Number>\
            <Client> alice </Client>\
            <Conference>room</Conference>\
            </Dial></Response>";
        let parsed = twiml::parse(twiml);
        let Some(Verb::Dial(dial)) = parsed.response.as_ref().and_then(|r| r.children.first()) else {
            panic!("a <Dial>: {:?}", parsed.diagnostics)
        };
        let texts: Vec<Option<String>> = dial.nouns().map(|c| party_text(c).map(|t| t.into_owned())).collect();
        let written: Vec<Option<String>> = dial.nouns().map(|c| c.party()).collect();
        assert_eq!(texts, written);
        assert_eq!(
            texts,
            [
                Some("sip:AgentB@example.com".to_string()),
                Some("sip:AgentC@example.com".to_string()),
                Some(String::new()),
                Some("+14155550100".to_string()),
                Some("client:alice".to_string()),
                None
            ]
        );
        // One text run, of a <Sip> or a <Number>: borrowed, not written out.
        let borrowed: Vec<bool> = dial.nouns().map(|c| matches!(party_text(c), Some(std::borrow::Cow::Borrowed(_)))).collect();
        assert_eq!(borrowed, [true, true, false, true, false, false], "the parser joins the runs around a comment");
    }
}
