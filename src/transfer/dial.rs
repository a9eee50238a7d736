//! Dial signalling: a dialled party answers (the first wins, the others are cancelled, the
//! transfer may complete), declines or is not answered in time, and the `<Dial>` that rang
//! it ends, with its `action` request or the verbs after it.

use super::draft::Draft;
use super::engine::{Engine, Purpose, Timer};
use super::io::Effect;
use super::leg::{CallStatus, Hearing, LegId, SharedStr, Transport};
use super::program::{DialRun, Exec};
use super::refer::describe_rest;
use super::step::StepKind;
use super::text::cat;
use super::webhook::{self, param};
use crate::sip::message::{reason, Side};
use crate::Provenance;

impl Engine {
    /// The program leg whose `<Dial>` rang `leg`.
    fn dial_owner(&self, leg: &LegId) -> Option<LegId> {
        self.programs
            .iter()
            .find(|(_, p)| matches!(&p.exec, Exec::Dialing(run) if run.legs.contains(leg)))
            .map(|(k, _)| k.clone())
    }

    pub(crate) fn on_answered(&mut self, leg: LegId) {
        let label = self.label(&leg);
        if self.stray(&leg, "answered") {
            return;
        }
        let Some(owner) = self.dial_owner(&leg) else {
            return self.ignored(cat!(label, " answered, but no <Dial> is ringing it"));
        };
        let now = self.now();
        if let Some(l) = self.state_mut(&leg) {
            l.leg.status = CallStatus::InProgress;
            l.answered_at = Some(now);
            l.sip_code = Some(200);
        }
        // The party's To tag is chosen by its 200 OK below (`Dialog::final_response`), as by
        // any response over 100; a run without messages never writes it.
        // Only a SIP party answers with 200 OK and gets an ACK; a number or a client just answers.
        let sip = self.state(&leg).is_some_and(|l| l.dialog.is_some());
        let mut messages = Vec::new();
        let headers = self.final_response_headers(&leg);
        messages.extend(self.sip(&leg, Side::Party, |d| {
            let sdp = d.sdp(Side::Party, "sendrecv");
            d.final_response(200, "OK", &headers, Some(("application/sdp", &sdp)))
        }));
        messages.extend(self.sip(&leg, Side::Twilio, |d| d.request(Side::Twilio, "ACK", &[], None)));
        let address = self.state(&leg).map(|l| l.leg.party.clone()).unwrap_or_default();
        self.effect(Effect::Connected { leg: leg.clone(), address });
        let how = if sip { " (200 OK, ACK)" } else { "" };
        // No RFC governs a number or a client answering: no SIP is shown for it.
        let tag = if sip { Provenance::Rfc } else { Provenance::Assumed };
        self.emit(Draft::new(StepKind::LegAnswered, tag, cat!(label, " answers", how, ".")).messages(messages));
        self.dial_answered(&owner, &leg);
        let others: Vec<LegId> = match self.programs.get(&owner).map(|p| &p.exec) {
            Some(Exec::Dialing(run)) => run.legs.iter().filter(|l| **l != leg).cloned().collect(),
            _ => Vec::new(),
        };
        let mut time_limit = None;
        if let Some(Exec::Dialing(run)) = self.programs.get_mut(&owner).map(|p| &mut p.exec) {
            run.bridged = Some(leg.clone());
            time_limit = run.time_limit_s;
        }
        // `<Dial timeLimit>`: Twilio hangs up the called party that long into its call (`dial.time-limit`),
        // counted from its answer (assumed).
        if let Some(s) = time_limit {
            self.set_timer(now + s * 1000, Timer::TimeLimit(leg.clone()));
        }
        // A bridged <Dial> no longer times out.
        self.stop_timer(&Timer::DialTimeout(owner.clone()));
        for o in others {
            if self.status(&o) == Some(CallStatus::Ringing) {
                let name = self.label(&o);
                // The <Number> and <Client> pages say the first to answer is connected and the
                // others hung up; the <Sip> page does not (it names several <Sip> nouns only with
                // Enhanced Programmable SIP Features): for a <Sip> noun, assumed by analogy.
                let (tag, why) = match self.state(&o).map(|l| l.leg.transport) {
                    Some(Transport::Pstn) => (Provenance::Doc("number.ten"), ""),
                    Some(Transport::Client) => (Provenance::Doc("client.ten"), ""),
                    _ => (
                        Provenance::Assumed,
                        " (assumed by analogy: the <Number> and <Client> pages say the first to answer is connected and the rest hung up; the <Sip> page does not say it of <Sip>)",
                    ),
                };
                self.end_leg(&o, CallStatus::Canceled, tag, cat!(label, " answered first: Twilio cancels ", name, why, "."));
            }
        }
        if self.pending().is_some_and(|t| t.transferee == owner) {
            let tor = self.pending().map(|t| self.label(&t.transferor)).unwrap_or_default();
            let tee = self.label(&owner);
            self.commit_transfer(
                Provenance::Doc("refer.aob-true"),
                cat!(
                    label,
                    " answered: with answerOnBridge true, Twilio now ",
                    self.notify_then_disconnect(&tor, Some(&tee), true),
                    "."
                ),
            );
        }
        if self.status(&owner) == Some(CallStatus::Ringing) {
            self.answer_parent(
                &owner,
                Provenance::Assumed,
                &cat!("answerOnBridge: Twilio answers ", self.label(&owner), "'s call only now that ", label, " has answered."),
            );
        }
        self.unbridge(&owner);
        self.bridge(&owner, &leg);
        // Once bridged, the ringback is over; if the bridge ends, the leg hears silence until its TwiML plays.
        if let Some(l) = self.state_mut(&owner) {
            l.media = Hearing::Silence;
        }
        // A transferor that ignored the terminated NOTIFY leaves the transferee with no audio.
        if let Some(tor) = self.lingering_transferor(&owner) {
            return self.bridged_without_audio(&owner, &leg, &tor);
        }
        let who = self.label(&owner);
        self.emit(Draft::new(
            StepKind::Bridged,
            Provenance::Doc("dial.connects"),
            cat!(who, " and ", label, " are bridged: they hear each other."),
        ));
    }

    pub(crate) fn on_declined(&mut self, leg: LegId, status: CallStatus, sip_code: u16) {
        let label = self.label(&leg);
        if self.stray(&leg, "declined") {
            return;
        }
        let status = if status == CallStatus::Busy { CallStatus::Busy } else { CallStatus::Failed };
        let mut messages = Vec::new();
        let headers = self.final_response_headers(&leg);
        messages.extend(self.sip(&leg, Side::Party, |d| d.final_response(sip_code, reason(sip_code), &headers, None)));
        messages.extend(self.sip(&leg, Side::Twilio, |d| d.request(Side::Twilio, "ACK", &[], None)));
        if let Some(l) = self.state_mut(&leg) {
            l.sip_code = Some(sip_code);
        }
        let what = if status == CallStatus::Busy { "is busy" } else { "cannot take the call" };
        let narration = cat!(label, " ", what, " (", sip_code, " ", reason(sip_code), ").");
        self.close_leg(&leg, status, Draft::new(StepKind::LegEnded, Provenance::Rfc, narration).messages(messages));
    }

    /// True when `leg` cannot have `done` (answered, declined) now, as it is not ringing: an
    /// `ignored` step names its state and what Twilio expected. A leg Twilio canceled (CANCEL,
    /// 487) has no INVITE left to answer: its scripted answer is no event, and no step (one
    /// stretched the timeline's end past the last real event: new-user F11, round 13).
    fn stray(&mut self, leg: &LegId, done: &str) -> bool {
        let label = self.label(leg);
        let why = match self.status(leg) {
            Some(CallStatus::Ringing) => return false,
            Some(CallStatus::Canceled) => return true,
            Some(status) => {
                cat!(label, " ", done, ", but its call is ", status.as_str(), ": Twilio expects that only of a ringing leg")
            }
            None => cat!(label, " ", done, ", but there is no such leg"),
        };
        self.ignored(why);
        true
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
        self.stop_timer(&Timer::DialTimeout(owner.clone()));
        self.dial_over(owner, status, dialled, run);
    }

    fn dial_over(&mut self, owner: &LegId, status: &str, dialled: Option<LegId>, run: DialRun) {
        let recording = self.stop_recording(owner);
        if self.pending().is_some_and(|t| &t.transferee == owner) {
            let who = dialled.as_ref().map(|d| self.label(d)).unwrap_or_default();
            // The final NOTIFY's status (RFC 3515 §2.4.5: "the response class in this status line
            // indicates the status of the referred action"): a SIP target's own final response to
            // Twilio's INVITE (487 after the CANCEL of a no-answer), else one that names the status.
            // No page says which code Twilio sends: assumed either way.
            let own = dialled
                .as_ref()
                .and_then(|d| self.state(d))
                .filter(|l| l.leg.transport == Transport::Sip && l.dialog.is_some())
                .map(|l| l.sip_code.unwrap_or(487))
                .filter(|c| (300..=699).contains(c));
            let code = own.unwrap_or(match status {
                "busy" => 486,
                "failed" => 480,
                _ => 487,
            });
            let why = if own.is_some() {
                format!(": {who}'s own final response to Twilio's INVITE (RFC 3515 §2.4.5); no page says which code Twilio sends")
            } else {
                format!(": {who} gave Twilio no SIP response; no page says which code Twilio sends")
            };
            let after = self.programs.get(owner).map(|p| p.verbs.get(p.pc..).unwrap_or_default().to_vec()).unwrap_or_default();
            self.fail_transfer_because(
                code,
                &why,
                Provenance::Doc(if status == "no-answer" { "refer.table.no-answer.aob-true" } else { "refer.aob-true-failure" }),
                cat!(who, " did not take the call (", status, "): with answerOnBridge true, the initial call is re-established."),
            );
            if let Some(rest) = describe_rest(run.action.as_deref(), &after) {
                self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, cat!(rest.what, " of the referUrl TwiML: not run, the initial call came back instead (answerOnBridge true). No page says what Twilio does with ", rest.it(), "; refer-sim skips ", rest.it(), " (assumed).")));
            }
            return self.recording_finished(owner, recording);
        }
        // The ringback ends with the <Dial>; until the next TwiML plays the leg hears nothing (assumed).
        if let Some(l) = self.state_mut(owner).filter(|l| matches!(l.media, Hearing::Ringback | Hearing::RingTone(_))) {
            l.media = Hearing::Silence;
        }
        let label = self.label(owner);
        let Some(action) = run.action else {
            self.emit(Draft::new(
                StepKind::TwimlVerb,
                Provenance::Doc("dial.no-action"),
                cat!("The <Dial> ended (", status, ") and has no action URL: ", label, "'s TwiML continues after it."),
            ));
            self.recording_finished(owner, recording);
            return self.run_program(owner);
        };
        let mut params = self.call_params(owner);
        params.push((param!("DialCallStatus"), webhook::fixed_value(status)));
        if let Some(d) = &dialled {
            if let Some(st) = self.state(d) {
                params.push((param!("DialCallSid"), st.sid.clone()));
                if let Some(at) = st.answered_at {
                    params.push((param!("DialCallDuration"), SharedStr::number((self.now() - at) / 1000)));
                }
            }
        }
        // `sip.action-params` (read): after a `<Sip>` session the action also gets "the SIP
        // CallID header, the response code of the invite attempt, any X-headers passed back
        // on the final SIP response". The names (`DialBridged`, `DialSipCallId`,
        // `DialSipResponseCode`, `DialSipHeader_<name>`) are SPEC's reading of the Dial and
        // Sip pages (`dial.action-params`, `sip.action-param-names`, not in the stored copies).
        params.push((param!("DialBridged"), if run.bridged.is_some() { param!("true") } else { param!("false") }));
        if let Some(st) = dialled.as_ref().and_then(|d| self.state(d)).filter(|st| st.leg.transport == Transport::Sip) {
            if let Some(dialog) = &st.dialog {
                params.push((param!("DialSipCallId"), dialog.call_id.as_str().into()));
            }
            if let Some(code) = st.sip_code.or((status == "no-answer").then_some(487)) {
                params.push((param!("DialSipResponseCode"), SharedStr::number(code.into())));
            }
        }
        // `DialSipHeader_*`: the X- headers of its final response (the scenario's `responseHeaders`).
        if let Some(d) = &dialled {
            params.extend(self.dial_sip_headers(d));
        }
        params.extend(Engine::recording_params(recording.as_ref()));
        let req = self.fetch(&action, run.method, Purpose::Action { leg: owner.clone() }, "action", params);
        self.set_exec(owner, Exec::Fetching);
        self.emit(
            Draft::new(
                StepKind::WebhookRequested,
                Provenance::Doc("dial.action"),
                cat!("The <Dial> ended (", status, "): Twilio requests its action URL with DialCallStatus=", status, "."),
            )
            .webhook(req),
        );
        self.recording_finished(owner, recording);
    }

    /// The `<Dial timeLimit>` of `leg` ran out: Twilio hangs it up; the `<Dial>` that bridged it
    /// then ends (`completed`) with its action or the next verb (`dial.time-limit`).
    pub(crate) fn on_time_limit(&mut self, leg: LegId) {
        if self.status(&leg) != Some(CallStatus::InProgress) {
            return;
        }
        let (label, now) = (self.label(&leg), self.now());
        let secs = self.state(&leg).and_then(|l| l.answered_at).map_or(0, |at| (now - at) / 1000);
        let with = self.partner(&leg).map(|p| cat!(" and ", self.label(&p), " stays on its call")).unwrap_or_default();
        // Assumed: when the limit starts counting (`dial.time-limit` says what it ends).
        self.end_leg(
            &leg,
            CallStatus::Completed,
            Provenance::Assumed,
            cat!(
                "timeLimit: ",
                secs,
                " s into ",
                label,
                "'s call, Twilio hangs up on ",
                label,
                " (BYE)",
                with,
                " (the <Dial> page). The limit is counted from ",
                label,
                "'s answer (assumed: the page says \"two minutes into the phone call\" for 120 s)."
            ),
        );
    }

    /// The caller pressed keys while its `<Dial>` runs (`run`): with `hangupOnStar="true"` and a
    /// bridged party, `*` hangs that party up and the `<Dial>` ends `completed` with its action or
    /// the next verb (`dial.hangup-on-star`). Anything else changes nothing and is recorded.
    pub(crate) fn keys_during_dial(&mut self, leg: LegId, digits: String, run: DialRun) {
        let label = self.label(&leg);
        if !digits.contains('*') {
            return self.ignored(cat!(
                label,
                " pressed ",
                digits,
                " during a <Dial>: only * does something there, with hangupOnStar=\"true\""
            ));
        }
        if !run.hangup_on_star {
            return self.ignored(cat!(
                label,
                " pressed ",
                digits,
                " during a <Dial> without hangupOnStar=\"true\": Twilio does nothing with the *"
            ));
        }
        let Some(b) = run.bridged.filter(|b| self.status(b) == Some(CallStatus::InProgress)) else {
            let with = self
                .partner(&leg)
                .map(|p| cat!("; ", label, " is still connected to ", self.label(&p), ", which that <Dial> did not call"))
                .unwrap_or_default();
            return self.ignored(cat!(label, " pressed * while the hangupOnStar <Dial> still rings", with, ". The page speaks of hanging up on the called party; no page says what * does before it answers (assumed: nothing)"));
        };
        let name = self.label(&b);
        self.emit(Draft::new(
            StepKind::Digits,
            Provenance::Doc("dial.hangup-on-star"),
            cat!(
                label,
                " presses ",
                digits,
                ": the <Dial> has hangupOnStar=\"true\", so Twilio hangs up on ",
                name,
                " and ",
                label,
                " stays on the line."
            ),
        ));
        self.end_leg(
            &b,
            CallStatus::Completed,
            Provenance::Doc("dial.hangup-on-star"),
            cat!("hangupOnStar: Twilio hangs up on ", name, " (BYE); the <Dial> ends with DialCallStatus completed."),
        );
    }

    pub(crate) fn on_dial_timeout(&mut self, owner: LegId) {
        // Armed only while the <Dial> rings: set when it starts, stopped when it bridges or ends.
        let Some(Exec::Dialing(run)) = self.programs.get(&owner).map(|p| p.exec.clone()) else { return };
        for l in run.legs {
            if self.status(&l) == Some(CallStatus::Ringing) {
                let name = self.label(&l);
                self.end_leg(
                    &l,
                    CallStatus::NoAnswer,
                    Provenance::Assumed,
                    cat!("Nobody answered within the <Dial> timeout and a 5 s buffer: Twilio cancels ", name, " (no-answer)."),
                );
            }
        }
    }
}
