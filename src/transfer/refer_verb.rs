//! `<Refer>`: Twilio itself sends a SIP REFER (the outbound transfer of
//! `/docs/voice/twiml/refer`). On a SIP leg Twilio sends REFER to that leg's party with the
//! `<Sip>` URI as Refer-To; the party answers (`202 Accepted`, or a refusal such as `603`),
//! NOTIFYs the state of the new call it places (sipfrag `100 Trying`, then a final status),
//! and once the final NOTIFY (or the refusal) arrives the verb returns: Twilio requests its
//! `action` with `ReferCallStatus`, `ReferSipResponseCode` and `NotifySipResponseCode`, or
//! runs the next verb. On a PSTN or Client leg it is error 13801.

use super::draft::{Draft, ReferFact};
use super::engine::{Engine, Purpose};
use super::io::Effect;
use super::leg::{CallStatus, LegId, SharedStr, Transport};
use super::program::{Exec, ReferRun};
use super::step::{StepKind, WebhookRequest};
use super::text::cat;
use super::webhook::{self, param};
use crate::sip::message::{reason, Side};
use crate::twiml::{self, Method};
use crate::Provenance;

/// `ReferCallStatus` for the last status the NOTIFYs reported (`referverb.action-examples`):
/// `in-progress` for 200, `busy` for 486, `failed` for any other final status.
pub(crate) fn refer_call_status(notify: u16) -> &'static str {
    match notify {
        200..=299 => "in-progress",
        486 => "busy",
        _ => "failed",
    }
}

impl Engine {
    /// Runs a `<Refer>` on `leg`: sends the REFER, or fails at once (13801 on a non-SIP
    /// leg, an address Twilio cannot send, no `<Sip>`) and lets the TwiML continue.
    pub(crate) fn start_refer(&mut self, leg: &LegId, target: Option<String>, action: Option<String>, method: Method) {
        self.before_media(leg, super::run::Leaves::Refers);
        let label = self.label(leg);
        if self.status(leg) == Some(CallStatus::Ringing) {
            self.answer_parent(
                leg,
                Provenance::Assumed,
                &cat!("Twilio answers ", label, "'s call first: a REFER is sent inside an established dialog (RFC 3515)."),
            );
        }
        let transport = self.state(leg).map(|l| l.leg.transport);
        if transport != Some(Transport::Sip) || self.state(leg).is_none_or(|l| l.dialog.is_none()) {
            let what = match transport {
                Some(Transport::Client) => "a Twilio Client (Voice SDK) call",
                _ => "a phone-network (PSTN) call",
            };
            let alert = self.alert(Some(13801), "Refer not allowed on non-SIP call legs");
            self.emit(
                Draft::new(
                    StepKind::Alert,
                    Provenance::Doc("error.13801"),
                    cat!("<Refer> on ", label, "'s call, ", what, ": the Refer verb is only allowed on SIP call legs, so Twilio raises error 13801 and sends no REFER. Fix: transfer with <Dial> instead."),
                )
                .alert(alert),
            );
            // What follows the error is no page's: a step of its own, so the documented one says only what 13801's page does.
            self.emit(Draft::new(
                StepKind::TwimlVerb,
                Provenance::Assumed,
                "After error 13801 the TwiML continues with the next verb, and the <Refer> action URL is not requested (assumed: no page says what follows the error).",
            ));
            return self.run_program(leg);
        }
        let problem = match &target {
            None => Some((
                "<Refer> has no <Sip> noun: there is no transfer target".to_string(),
                "add <Sip>sip:…</Sip> inside <Refer>".to_string(),
            )),
            Some(t) => twiml::check::undialable(twiml::check::Noun::Sip, t).map(|bad| (bad.problem, bad.fix)),
        };
        let (Some(target), None) = (target, problem.as_ref()) else {
            let (problem, fix) = problem.unwrap_or_default();
            let alert = self.alert(None, problem.clone());
            self.emit(
                Draft::new(
                    StepKind::Alert,
                    Provenance::Assumed,
                    cat!(problem, ": Twilio cannot send it as a Refer-To, so no REFER is sent and the TwiML continues with the next verb (assumed). Fix: ", fix, "."),
                )
                .alert(alert),
            );
            return self.run_program(leg);
        };
        let refer_to = cat!("<", target, ">");
        let m = self.sip(leg, Side::Twilio, |d| d.request(Side::Twilio, "REFER", &[("Refer-To", refer_to.as_str())], None));
        self.set_exec(
            leg,
            Exec::Referring(ReferRun { target: target.clone(), action, method, refer_code: None, notify_code: None }),
        );
        let address = self.state(leg).map(|l| l.leg.party.clone()).unwrap_or_default();
        self.effect(Effect::ReferSent { leg: leg.clone(), address, target: target.clone() });
        self.emit(
            Draft::new(
                StepKind::TwimlVerb,
                Provenance::Doc("referverb.sip-noun"),
                cat!(
                    "<Refer>: Twilio sends REFER to ",
                    label,
                    " (Refer-To: ",
                    refer_to,
                    "), asking it to call ",
                    target,
                    " itself and replace Twilio's leg with that new call."
                ),
            )
            .messages(m.into_iter().collect()),
        );
    }

    /// The running `<Refer>` of `leg`, if one waits.
    fn refer_run(&self, leg: &LegId) -> Option<ReferRun> {
        match self.programs.get(leg).map(|p| &p.exec) {
            Some(Exec::Referring(run)) => Some(run.clone()),
            _ => None,
        }
    }

    /// The party of `leg` answers Twilio's REFER.
    pub(crate) fn on_refer_answered(&mut self, leg: LegId, code: u16) {
        let label = self.label(&leg);
        let Some(mut run) = self.refer_run(&leg).filter(|r| r.refer_code.is_none()) else {
            return self.ignored(cat!(label, " answered a REFER (", code, "), but Twilio has no REFER out to it"));
        };
        let m = self.sip(&leg, Side::Party, |d| d.response(Side::Party, code, reason(code), "REFER", &[], None));
        run.refer_code = Some(code);
        if (200..300).contains(&code) {
            self.set_exec(&leg, Exec::Referring(run));
            return self.emit(
                Draft::new(
                    StepKind::ReferAccepted,
                    Provenance::Doc("referverb.notify-to-action"),
                    cat!(
                        label,
                        " accepts the REFER (",
                        code,
                        " ",
                        reason(code),
                        "): Twilio now listens for its NOTIFYs about the new call."
                    ),
                )
                .messages(m.into_iter().collect()),
            );
        }
        self.emit(
            Draft::new(
                StepKind::ReferRejected,
                Provenance::Doc("referverb.action-examples"),
                cat!(
                    label,
                    " refuses the REFER (",
                    code,
                    " ",
                    reason(code),
                    "): no new call, ",
                    label,
                    " stays on Twilio's call and the <Refer> is over (ReferCallStatus failed)."
                ),
            )
            .messages(m.into_iter().collect())
            .refer(ReferFact::Refused(code)),
        );
        self.refer_over(&leg, run);
    }

    /// The party of `leg` NOTIFYs the state of the call it placed for Twilio's REFER.
    pub(crate) fn on_refer_notify(&mut self, leg: LegId, code: u16, terminated: bool) {
        let label = self.label(&leg);
        let Some(mut run) = self.refer_run(&leg).filter(|r| r.refer_code.is_some_and(|c| (200..300).contains(&c))) else {
            return self.ignored(cat!(
                label,
                " sent NOTIFY (",
                code,
                "), but no REFER of Twilio's is accepted and pending on its call"
            ));
        };
        let state = if terminated { "terminated;reason=noresource" } else { "active;expires=60" };
        let body = cat!("SIP/2.0 ", code, " ", reason(code), "\r\n");
        let mut m = Vec::new();
        m.extend(self.sip(&leg, Side::Party, |d| {
            d.request(
                Side::Party,
                "NOTIFY",
                &[("Event", "refer"), ("Subscription-State", state)],
                Some(("message/sipfrag;version=2.0", &body)),
            )
        }));
        m.extend(self.sip(&leg, Side::Twilio, |d| d.response(Side::Twilio, 200, "OK", "NOTIFY", &[], None)));
        run.notify_code = Some(code);
        if !terminated {
            self.set_exec(&leg, Exec::Referring(run));
            return self.emit(
                Draft::new(
                    StepKind::NotifySent,
                    Provenance::Rfc,
                    cat!(
                        label,
                        " reports its new call's progress: NOTIFY with sipfrag SIP/2.0 ",
                        code,
                        " ",
                        reason(code),
                        "; Twilio answers 200 OK."
                    ),
                )
                .messages(m),
            );
        }
        let status = refer_call_status(code);
        let what = match status {
            "in-progress" => "the transfer succeeded".to_string(),
            _ => cat!("the new call failed (", status, ")"),
        };
        self.emit(
            Draft::new(
                StepKind::NotifySent,
                Provenance::Doc("referverb.returns"),
                cat!(
                    label,
                    "'s final NOTIFY says its new call got ",
                    code,
                    " ",
                    reason(code),
                    ": ",
                    what,
                    ". Twilio answers 200 OK and the <Refer> returns (ReferCallStatus ",
                    status,
                    ")."
                ),
            )
            .messages(m),
        );
        self.refer_over(&leg, run);
    }

    /// `leg`'s call ended while its `<Refer>` waited (`referverb.returns`: "The call to Twilio
    /// is hung up"): the verb returns and Twilio requests its action with `ReferCallStatus`
    /// `canceled` (`referverb.action-examples`); the answer has no call left to run on.
    pub(crate) fn refer_canceled(&mut self, leg: &LegId) {
        let Some(run) = self.refer_run(leg) else { return };
        if let Some(p) = self.programs.get_mut(leg) {
            p.exec = Exec::Done;
        }
        self.refer_verb = Some((leg.clone(), run.target.clone(), "canceled"));
        let Some((req, shown)) = self.refer_action(leg, &run, "canceled") else { return };
        let who = self.label(leg);
        self.emit(
            Draft::new(
                StepKind::WebhookRequested,
                Provenance::Doc("referverb.action-examples"),
                cat!(who, "'s call ended before the <Refer> completed: Twilio requests the <Refer> action URL with ", shown, "."),
            )
            .webhook(req),
        );
    }

    /// The request to `run`'s action, if it has one, with `ReferCallStatus` `status` and the
    /// codes received so far; and those parameters as a narration shows them.
    fn refer_action(&mut self, leg: &LegId, run: &ReferRun, status: &str) -> Option<(std::sync::Arc<WebhookRequest>, String)> {
        let action = run.action.as_ref()?;
        let mut extra: Vec<(SharedStr, SharedStr)> = vec![(param!("ReferCallStatus"), webhook::fixed_value(status))];
        extra.extend(run.refer_code.map(|c| (param!("ReferSipResponseCode"), SharedStr::number(c.into()))));
        extra.extend(run.notify_code.map(|n| (param!("NotifySipResponseCode"), SharedStr::number(n.into()))));
        let shown: Vec<String> = extra.iter().map(|(k, v)| cat!(k, "=", v)).collect();
        let mut params = self.call_params(leg);
        params.extend(extra);
        let req = self.fetch(action, run.method, Purpose::ReferAction { leg: leg.clone() }, "action", params);
        Some((req, shown.join(", ")))
    }

    /// The `<Refer>` returned: Twilio requests its action with the three parameters, or the
    /// TwiML continues with the next verb.
    fn refer_over(&mut self, leg: &LegId, run: ReferRun) {
        self.set_exec(leg, Exec::Idle);
        let status = match (run.refer_code, run.notify_code) {
            (Some(c), _) if !(200..300).contains(&c) => "failed",
            (_, Some(n)) => refer_call_status(n),
            _ => "failed",
        };
        self.refer_verb = Some((leg.clone(), run.target.clone(), status));
        let Some((req, shown)) = self.refer_action(leg, &run, status) else {
            self.emit(Draft::new(
                StepKind::TwimlVerb,
                Provenance::Doc("referverb.action-continues"),
                cat!(
                    "The <Refer> has no action URL: ",
                    self.label(leg),
                    "'s TwiML continues with the next verb (none left: Twilio ends the call)."
                ),
            ));
            return self.run_program(leg);
        };
        self.set_exec(leg, Exec::Fetching);
        self.emit(
            Draft::new(
                StepKind::WebhookRequested,
                Provenance::Doc("referverb.action-params"),
                cat!("Twilio requests the <Refer> action URL with ", shown, "."),
            )
            .webhook(req),
        );
    }
}
