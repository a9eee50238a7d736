//! The REFER: its preconditions in the SPEC's order, the `202 Accepted` and
//! NOTIFY subscription (RFC 3515), the `referUrl` webhook, and the moment the
//! transfer completes or the initial call is re-established, which
//! `answerOnBridge` decides.

use super::draft::{Draft, ReferFact};
use super::engine::{Engine, Purpose, Timer};
use super::io::Effect;
use super::leg::{CallStatus, LegId, SharedStr};
use super::program::{Exec, Program};
use super::state::{Event, Pending};
use super::step::{SipMessage, StepKind};
use super::text::cat;
use super::webhook::param;
use crate::sip::message::{reason, Dialog, Message, Side};
use crate::sip::ErrorCode;
use crate::twiml::Method;
use crate::Provenance;

/// How long Twilio waits for the transferor's BYE after a final NOTIFY. \[assumed\]: the figure
/// is a support article's for Elastic SIP Trunking (`notify.bye-32s`, `notify.scope`), not a page of
/// Programmable Voice.
pub const TWILIO_BYE_AFTER_MS: u64 = 32_000;

/// What a step that would carry the final NOTIFY says when the REFER asked for none.
/// How long after the terminated NOTIFY a transferor that has not sent BYE counts as not
/// having sent it "promptly" (`notify.no-audio`): from then on its transferee has no audio.
/// The article gives no figure. \[assumed\]
pub const BYE_OVERDUE_MS: u64 = 1_000;

/// The `expires` of the refer subscription in Twilio's first NOTIFY, in seconds. \[assumed\]: no
/// page gives it; nothing refreshes it (Twilio takes no SUBSCRIBE, `cancel-refer.no-subscribe`),
/// so a final NOTIFY later than this is flagged (`subscription_expired`). The header's text,
/// `active;expires=60`, writes it.
pub const REFER_EXPIRES_S: u64 = 60;

const NO_NOTIFY: &str = "No NOTIFY is sent: the REFER said Refer-Sub: false (RFC 4488; that Twilio honours it is assumed).";

/// The kind of the step that ends an accepted REFER: it sends the final NOTIFY, or with
/// `Refer-Sub: false` (`notify` false) it only says how the REFER ended.
fn final_kind(notify: bool) -> StepKind {
    if notify {
        StepKind::NotifySent
    } else {
        StepKind::ReferOutcome
    }
}

/// `1 verb`, `3 verbs`: how many verbs an answer holds, for a narration.
pub(crate) fn verbs(n: usize) -> String {
    if n == 1 {
        "1 verb".to_string()
    } else {
        cat!(n, " verbs")
    }
}

impl Engine {
    /// A NOTIFY to `leg` carrying `code` as a sipfrag, and the party's 200 OK.
    fn notify(&mut self, leg: &LegId, code: u16, terminated: bool) -> Vec<SipMessage> {
        let now = self.now;
        let at = self.refer_subscriptions.iter().position(|(l, _)| l == leg);
        match (terminated, at) {
            (false, None) => self.refer_subscriptions.push((leg.clone(), now)),
            (true, Some(i)) => {
                let (leg, since) = self.refer_subscriptions.swap_remove(i);
                if now > since + REFER_EXPIRES_S * 1000 {
                    self.late_notifies.push((leg, since, now));
                }
            }
            _ => {}
        }
        let state = if terminated { "terminated;reason=noresource" } else { "active;expires=60" };
        let body = cat!("SIP/2.0 ", code, " ", reason(code), "\r\n");
        let mut m = Vec::new();
        m.extend(self.sip(leg, Side::Twilio, |d| {
            d.request(
                Side::Twilio,
                "NOTIFY",
                &[("Event", "refer"), ("Subscription-State", state)],
                Some(("message/sipfrag;version=2.0", &body)),
            )
        }));
        m.extend(self.sip(leg, Side::Party, |d| d.response(Side::Party, 200, "OK", "NOTIFY", &[], None)));
        m
    }

    /// What the step that completes the pending transfer does, then what follows it, for its
    /// narration: `sends NOTIFY 200 OK (…), then disconnects AgentA from UserA in the steps that
    /// follow` (without the NOTIFY when the REFER said `Refer-Sub: false`). That step sends the
    /// NOTIFY; the unbridging and the transferor's end are steps of their own at the same
    /// instant, so its narration does not say they are done. No Twilio page gives the sipfrag:
    /// once the target `answered` it is that answer (RFC 3515 §2.4.5), before that it is assumed.
    pub(crate) fn notify_then_disconnect(&self, tor: &str, tee: Option<&str>, answered: bool) -> String {
        let notify = match self.pending() {
            Some(t) if !t.notify => String::new(),
            _ if answered => cat!(
                "sends NOTIFY 200 ",
                reason(200),
                " (assumed: the page does not say when the NOTIFY is sent; its sipfrag is the answer, RFC 3515 §2.4.5), then "
            ),
            _ => cat!("sends NOTIFY 200 ", reason(200), " (assumed: the page names no sipfrag), then "),
        };
        match tee {
            Some(tee) => cat!(notify, "disconnects ", tor, " from ", tee, " in the steps that follow"),
            None => cat!(notify, "disconnects ", tor, " in the steps that follow"),
        }
    }

    fn hold(&mut self, leg: &LegId, on: bool) {
        let Some(partner) = self.partner(leg) else { return };
        // The offer and Twilio's answer in its 2xx (RFC 3264 §6.1: sendonly is answered recvonly).
        let (offer, answer) = if on { ("sendonly", "recvonly") } else { ("sendrecv", "sendrecv") };
        let mut m = Vec::new();
        m.extend(self.sip(leg, Side::Party, |d| {
            let sdp = d.sdp(Side::Party, offer);
            d.request(Side::Party, "INVITE", &[], Some(("application/sdp", &sdp)))
        }));
        m.extend(self.sip(leg, Side::Twilio, |d| {
            let sdp = d.sdp(Side::Twilio, answer);
            d.response(Side::Twilio, 200, "OK", "INVITE", &[], Some(("application/sdp", &sdp)))
        }));
        m.extend(self.sip(leg, Side::Party, |d| d.request(Side::Party, "ACK", &[], None)));
        if let Some(p) = self.state_mut(&partner) {
            p.leg.on_hold = on;
        }
        let (who, whom) = (self.label(leg), self.label(&partner));
        let what = if on {
            cat!(who, " puts ", whom, " on hold (re-INVITE a=sendonly) before transferring.")
        } else {
            cat!(who, " takes ", whom, " off hold (re-INVITE a=sendrecv).")
        };
        self.emit(Draft::new(StepKind::Hold, Provenance::Rfc, what).messages(m));
    }

    fn reject(&mut self, leg: &LegId, code: u16, tag: Provenance, narration: String, held: bool) {
        let m = self.sip(leg, Side::Twilio, |d| d.response(Side::Twilio, code, reason(code), "REFER", &[], None));
        self.transition(Event::Refused(code), &cat!("the REFER is refused with ", code));
        self.emit(
            Draft::new(StepKind::ReferRejected, tag, narration).messages(m.into_iter().collect()).refer(ReferFact::Refused(code)),
        );
        if held {
            self.hold(leg, false);
        }
    }

    pub(crate) fn on_refer(&mut self, leg: LegId, refer_to: Vec<String>, refer_sub: bool, hold_first: bool) {
        let Some(state) = self.state(&leg) else {
            return self.ignored(cat!("a REFER arrived on ", leg, ", which does not exist"));
        };
        let label = state.leg.label.clone();
        if state.dialog.is_none() {
            return self.ignored(cat!(label, " is not a SIP endpoint; only SIP endpoints send REFER"));
        }
        let in_room = state.in_room;
        let status = state.leg.status;
        let shown: &str = refer_to.first().map_or("(none)", |t| t.as_str());
        if status != CallStatus::InProgress {
            let msg = self.sip(&leg, Side::Party, |d| refer_request(d, &refer_to, refer_sub));
            self.emit(
                Draft::new(StepKind::ReferReceived, Provenance::Rfc, cat!(label, " sends REFER (Refer-To: ", shown, ")."))
                    .messages(msg.into_iter().collect())
                    .refer(ReferFact::Sender(leg.clone())),
            );
            return self.reject(
                &leg,
                481,
                Provenance::Assumed,
                cat!(
                    label,
                    "'s call is not established yet, so Twilio refuses its REFER: 481 (assumed: no page says what Twilio answers a REFER in an early dialog)."
                ),
                false,
            );
        }
        let held = hold_first && self.partner(&leg).is_some();
        if held {
            self.hold(&leg, true);
        }
        // After the hold's re-INVITE: the REFER is the party's next request (its CSeq and branch).
        let msg = self.sip(&leg, Side::Party, |d| refer_request(d, &refer_to, refer_sub));
        self.emit(
            Draft::new(
                StepKind::ReferReceived,
                Provenance::Doc("refer.webhook"),
                cat!(label, " sends REFER to Twilio (Refer-To: ", shown, ")."),
            )
            .messages(msg.into_iter().collect())
            .refer(ReferFact::Sender(leg.clone())),
        );

        // 1. the account setting
        if !self.cfg.enhanced_sip_features {
            return self.reject(
                &leg,
                403,
                Provenance::Assumed,
                "Enhanced Programmable SIP Features is off for this account: the REFER is refused (403 assumed) and the call goes on unchanged.".into(),
                held,
            );
        }
        // 2. a <Dial> bridge with <Sip>, <Number> or <Client>
        let partner = self.partner(&leg);
        if in_room {
            return self.reject(
                &leg,
                501,
                Provenance::Assumed,
                "REFER does not support calls in <Conference> or <Queue> (Twilio's REFER page); how Twilio answers is not documented: refused with 501 and the call goes on unchanged (assumed).".into(),
                held,
            );
        }
        let Some(partner) = partner else {
            return self.reject(
                &leg,
                501,
                Provenance::Assumed,
                cat!(label, " is not bridged by a <Dial>: there is nothing to transfer (501 assumed)."),
                held,
            );
        };
        if let Some(state) = self.pending_state_name() {
            return self.reject(
                &leg,
                491,
                Provenance::Rfc,
                cat!(
                    "A transfer is already in progress on this call (Twilio is ",
                    state,
                    ", not expecting a REFER): 491 Request Pending."
                ),
                held,
            );
        }
        // 6 (checked with the value). exactly one Refer-To
        if refer_to.len() != 1 {
            return self.reject(
                &leg,
                400,
                Provenance::Rfc,
                cat!("A REFER needs exactly one Refer-To header (RFC 3515 §2.4.1); this one has ", refer_to.len(), ": 400."),
                held,
            );
        }
        // 3, 4. length and syntax
        // The ReferTransferTarget parameter: the value as received, without surrounding whitespace
        // (`ReferTo::transfer_target`, of a value that parses).
        let target = refer_to[0].trim_matches([' ', '\t']);
        match self.check_refer_to(&refer_to[0]) {
            Ok(()) => {}
            Err(e) if e.code == ErrorCode::TooLong => {
                return self.reject(
                    &leg,
                    400,
                    Provenance::Assumed,
                    cat!(e.message, " (Twilio's REFER page); how Twilio answers is not documented: refused with 400 and the call goes on unchanged (assumed)."),
                    held,
                );
            }
            Err(e) => {
                return self.reject(
                    &leg,
                    400,
                    Provenance::Rfc,
                    format!("The Refer-To does not parse ({} at byte {}: {}): 400, call unchanged.", e.code, e.offset, e.message),
                    held,
                );
            }
        };
        // 5. referUrl on the <Dial>
        let info = self
            .state(&leg)
            .and_then(|l| l.created_by.clone())
            .or_else(|| self.state(&partner).and_then(|l| l.created_by.clone()));
        let Some(info) = info else {
            return self.reject(
                &leg,
                501,
                Provenance::Assumed,
                cat!(label, "'s bridge was not made by <Dial>: nothing to transfer (501 assumed)."),
                held,
            );
        };
        let accept = self.sip(&leg, Side::Twilio, |d| {
            let extra: &[(&str, &str)] = if refer_sub { &[] } else { &[("Refer-Sub", "false")] };
            d.response(Side::Twilio, 202, "Accepted", "REFER", extra, None)
        });
        // `referUrl=""` names no URL: run as absent (assumed; no page says what Twilio does with it).
        let empty = info.refer_url.as_deref().is_some_and(|u| u.trim().is_empty());
        let Some(url) = info.refer_url.clone().filter(|_| !empty) else {
            self.emit(
                Draft::new(StepKind::ReferAccepted, Provenance::Assumed, "Twilio accepts the REFER (202 assumed).")
                    .messages(accept.into_iter().collect()),
            );
            self.transition(Event::NoReferUrl, "the <Dial> has no referUrl");
            let alert = self.alert(Some(13802), "Dial: No referUrl attribute specified");
            if empty {
                self.emit(Draft::new(StepKind::Alert, Provenance::Assumed, "The <Dial> has referUrl=\"\", which names no URL: run as absent (assumed: no page says what Twilio does with it), alert 13802, the initial call re-established.").alert(alert));
            } else {
                self.emit(Draft::new(StepKind::Alert, Provenance::Doc("refer.table.absent"), "The <Dial> has no referUrl: Twilio raises alert 13802 and re-establishes the initial call, whatever answerOnBridge says.").alert(alert));
            }
            let m = if refer_sub { self.notify(&leg, 503, true) } else { vec![] };
            let who = self.label(&partner);
            self.emit(
                Draft::new(
                    final_kind(refer_sub),
                    Provenance::Assumed,
                    if refer_sub {
                        cat!(
                            "NOTIFY 503 Service Unavailable (assumed) ends the subscription; ",
                            label,
                            " and ",
                            who,
                            " stay connected."
                        )
                    } else {
                        cat!(label, " and ", who, " stay connected. ", NO_NOTIFY)
                    },
                )
                .messages(m),
            );
            if held {
                self.hold(&leg, false);
            }
            return;
        };
        self.rounds += 1;
        let pending = Pending {
            round: self.rounds,
            transferor: leg.clone(),
            transferee: partner.clone(),
            answer_on_bridge: info.answer_on_bridge,
            notify: refer_sub,
            held,
            before: self.last_transfer(),
        };
        self.transition(Event::Accepted(pending), &cat!(label, "'s REFER is accepted and referUrl requested"));
        let sub = if refer_sub {
            ""
        } else {
            " with Refer-Sub: false, so no NOTIFY will follow (RFC 4488; that Twilio honours it is assumed)"
        };
        let tag = if refer_sub { Provenance::Rfc } else { Provenance::Assumed };
        self.emit(
            Draft::new(StepKind::ReferAccepted, tag, cat!("Twilio accepts the REFER: 202 Accepted", sub, "."))
                .messages(accept.into_iter().collect()),
        );
        if refer_sub {
            let m = self.notify(&leg, 100, false);
            self.emit(
                Draft::new(
                    StepKind::NotifySent,
                    Provenance::Rfc,
                    "Twilio reports progress: NOTIFY with sipfrag SIP/2.0 100 Trying; its Subscription-State active;expires=60 (assumed: no page gives how long Twilio keeps the refer subscription) lets the subscription last 60 s.",
                )
                .messages(m),
            );
        }
        let mut params = self.call_params(&partner);
        params.push((param!("ReferTransferTarget"), SharedStr::from(target)));
        if let Some(call_id) = self.state(&leg).and_then(|l| l.dialog.as_ref()).map(|d| SharedStr::from(d.call_id.as_str())) {
            params.push((param!("SipCallId"), call_id));
        }
        let method = info.refer_method;
        let req = self.fetch(&url, method, Purpose::Refer, "referUrl", params);
        self.emit(
            Draft::new(
                StepKind::WebhookRequested,
                Provenance::Doc("refer.webhook"),
                cat!("Twilio requests referUrl with ", method.as_str(), " and ReferTransferTarget=", target, "."),
            )
            .webhook(req),
        );
    }

    /// The referUrl answered with `response`, read from `form` ("TwiML", or the type Twilio reads
    /// it as: text/plain read out, audio played).
    pub(crate) fn refer_fetched(
        &mut self,
        response: std::sync::Arc<[crate::twiml::Verb]>,
        form: &'static str,
        url: String,
        method: Method,
    ) {
        let Some(t) = self.pending().filter(|_| self.awaits_refer_url()).cloned() else {
            self.transition(Event::ReferTwiml(None), "the referUrl TwiML arrived after the transfer was over");
            return;
        };
        let tee = t.transferee.clone();
        let (tor_label, tee_label) = (self.label(&t.transferor), self.label(&tee));
        let n = verbs(response.len());
        let program = Program::new(response, Some(url), method, t.round);
        // The transferee's TwiML until now: restored if the transfer fails, its rest shown as skipped if it completes.
        let saved = self.programs.insert(tee.clone(), program);
        self.transition(Event::ReferTwiml(saved), &cat!("the referUrl TwiML (", n, ") now runs on ", tee_label));
        if t.answer_on_bridge {
            self.emit(Draft::new(
                StepKind::WebhookFetched,
                Provenance::Doc("refer.table.executed.aob-true"),
                cat!(
                    "The referUrl application answered with ",
                    form,
                    " (",
                    n,
                    "). answerOnBridge is true: ",
                    tee_label,
                    " and ",
                    tor_label,
                    " stay connected while it runs."
                ),
            ));
        } else {
            self.emit(Draft::new(
                StepKind::WebhookFetched,
                Provenance::Doc("refer.webhook"),
                cat!("The referUrl application answered with ", form, " (", n, ")."),
            ));
            // The REFER page's sentence for answerOnBridge false: Twilio "immediately sends the SIP
            // NOTIFY, and disconnects the 'Transferor' call leg" (`refer.aob-false`), a cell of the
            // outcome table a trainer teaches. Its one detail the page does not give, the sipfrag's
            // code, is marked "(assumed: …)" in the text; without a subscription (Refer-Sub: false)
            // `commit_transfer` tags the step assumed, as that Twilio honours it is.
            self.commit_transfer(
                Provenance::Doc("refer.aob-false"),
                cat!(
                    "answerOnBridge is false or absent: right after the webhook Twilio ",
                    self.notify_then_disconnect(&tor_label, Some(&tee_label), false),
                    " (Twilio's REFER page). The initial call cannot come back."
                ),
            );
        }
        self.run_program(&tee);
    }

    pub(crate) fn refer_fetch_failed(&mut self, code: u32, tag: Provenance, message: String) {
        let alert = self.alert(Some(code), message.clone());
        self.emit(Draft::new(StepKind::WebhookFailed, tag, cat!(message, ": alert ", code, ".")).alert(alert));
        let Some(t) = self.pending().cloned() else { return };
        if t.answer_on_bridge {
            return self.fail_transfer(
                503,
                Provenance::Doc(if code == 11205 { "refer.table.unreachable.aob-true" } else { "refer.aob-true-failure" }),
                "referUrl failed: with answerOnBridge true the initial call is re-established.".into(),
            );
        }
        let cell = Provenance::Doc(if code == 11205 { "refer.table.unreachable.aob-false" } else { "refer.aob-false-failure" });
        self.transition(Event::Disconnected(cell), &cat!("referUrl failed (", code, ") with answerOnBridge false"));
        let m = if t.notify { self.notify(&t.transferor, 503, true) } else { vec![] };
        self.emit(
            Draft::new(
                final_kind(t.notify),
                Provenance::Assumed,
                if t.notify { "The subscription ends with NOTIFY 503 Service Unavailable (assumed)." } else { NO_NOTIFY },
            )
            .messages(m),
        );
        self.programs.remove(&t.transferee);
        let (tor, tee) = (self.label(&t.transferor), self.label(&t.transferee));
        let why = if t.notify {
            cat!("a NOTIFY reporting failure gives ", tor, " no cue to hang up, where a NOTIFY 200 does")
        } else {
            cat!("Refer-Sub: false leaves ", tor, " without word of how the transfer went")
        };
        self.end_leg(
            &t.transferor,
            CallStatus::Completed,
            Provenance::Doc("refer.aob-false"),
            // Who sends this BYE is the simulator's reading, written into the step (the lead's
            // decision, README "Documented, RFC or assumed"): after a NOTIFY 200 the transferor
            // hangs up itself (the Elastic SIP Trunking article, engine.rs); after a NOTIFY that
            // reports failure nothing asks it to, so "Twilio disconnects" it is Twilio's BYE.
            cat!(
                "answerOnBridge false: Twilio disconnects ",
                tor,
                " right after the webhook (assumed: with its own BYE, as ",
                why,
                ")."
            ),
        );
        self.end_leg(
            &t.transferee,
            CallStatus::Completed,
            cell,
            cat!(tee, " has no TwiML to run and is disconnected: re-establishing the initial call is impossible."),
        );
    }

    /// The transfer completes: NOTIFY 200 OK and the transferor leaves.
    pub(crate) fn commit_transfer(&mut self, tag: Provenance, narration: String) {
        let cell = if self.pending().is_some_and(|t| t.answer_on_bridge) {
            "refer.table.answers.aob-true"
        } else {
            "refer.table.answers.aob-false"
        };
        let Some(Some((t, saved))) = self.transition(Event::Committed(Provenance::Doc(cell)), &narration) else { return };
        // What the TwiML that held the transferee's <Dial> still had to do: the transferee's own
        // (replaced by the referUrl TwiML), or the transferor's in the inbound-SIP variant.
        let rest = saved.as_ref().and_then(|p| rest_after_dial(p, &t.transferor)).or_else(|| {
            self.programs
                .get(&t.transferor)
                .and_then(|p| rest_after_dial(p, &t.transferee))
                .map(|r| r.on(&self.label(&t.transferor)))
        });
        // The transferee leaves the <Dial> that bridged it (the inbound-SIP variant, where the
        // transferor's own TwiML dialled it), and the transferor's TwiML is over.
        for (owner, p) in self.programs.iter_mut() {
            if let Exec::Dialing(run) = &mut p.exec {
                if *owner != t.transferee && run.legs.contains(&t.transferee) {
                    run.legs.retain(|l| *l != t.transferee);
                    run.bridged = None;
                }
            }
            if *owner == t.transferor {
                p.exec = Exec::Done;
            }
        }
        // The end of the bridge is the REFER page's sentence for the answerOnBridge value (Twilio
        // "disconnects the Transferor call leg" right after the webhook, or not "until after the
        // Transfer-Target answers"), unless the commit itself is assumed (the referUrl TwiML
        // leaving the bridge first). The page's rule, not the table's cell: the lesson's "Why"
        // quotes the cell's one stating step, the NOTIFY step before this one.
        let unbridged = match tag {
            Provenance::Assumed => Provenance::Assumed,
            _ if t.answer_on_bridge => Provenance::Doc("refer.aob-true"),
            _ => Provenance::Doc("refer.aob-false"),
        };
        let m = if t.notify { self.notify(&t.transferor, 200, true) } else { vec![] };
        let (tag, narration) = if t.notify { (tag, narration) } else { (Provenance::Assumed, cat!(narration, " ", NO_NOTIFY)) };
        self.emit(Draft::new(final_kind(t.notify), tag, narration).messages(m));
        if let Some(rest) = rest {
            let whose = rest.whose.clone().unwrap_or_else(|| self.label(&t.transferee).into());
            self.emit(Draft::new(
                StepKind::TwimlVerb,
                Provenance::Assumed,
                cat!(
                    rest.what,
                    " of ",
                    whose,
                    "'s TwiML from before the transfer: not run, the referUrl TwiML took over. No page says what becomes of ",
                    rest.it(),
                    "; refer-sim drops ",
                    rest.it(),
                    " (assumed)."
                ),
            ));
        }
        if let Some(l) = self.state_mut(&t.transferee) {
            l.leg.on_hold = false;
        }
        if self.partner(&t.transferee).as_ref() == Some(&t.transferor) {
            self.unbridge(&t.transferee);
            let (tee, tor) = (self.label(&t.transferee), self.label(&t.transferor));
            // What the transferor hears is no page's: scoped "(assumed: …)" inside the documented
            // step, so the cell's badge stays on the cell's fact. The BYE expected on the final
            // NOTIFY (an Elastic SIP Trunking article's, `notify.bye-expected`) is said by the
            // `assumed` step of that BYE, or of Twilio's own 32 s later (engine.rs), not here: a
            // `doc` step does not lean on another product's article.
            self.emit(Draft::new(
                StepKind::Unbridged,
                unbridged,
                cat!(
                    tee,
                    " and ",
                    tor,
                    " are no longer bridged: ",
                    tee,
                    " goes on with the referUrl TwiML (assumed: ",
                    tor,
                    " hears silence until its call ends)."
                ),
            ));
        }
        let address = self.state(&t.transferor).map(|l| l.leg.party.clone()).unwrap_or_default();
        if t.notify {
            self.effect(Effect::Notified { leg: t.transferor.clone(), address, code: 200, terminated: true });
            let now = self.now();
            if let Some(l) = self.state_mut(&t.transferor) {
                l.bye_due = Some((now, t.transferee.clone()));
            }
            self.set_timer(now + BYE_OVERDUE_MS, Timer::ByeOverdue(t.transferor.clone()));
            self.set_timer(now + TWILIO_BYE_AFTER_MS, Timer::TwilioBye(t.transferor));
        } else {
            let tor = self.label(&t.transferor);
            self.end_leg(
                &t.transferor,
                CallStatus::Completed,
                Provenance::Assumed,
                cat!("With no subscription to notify, Twilio sends BYE to ", tor, " itself (assumed)."),
            );
        }
    }

    /// The transferor of a completed transfer with `transferee` whose leg still lives although
    /// the terminated NOTIFY went out before now: it did not hang up promptly (`notify.no-audio`).
    pub(crate) fn lingering_transferor(&self, transferee: &LegId) -> Option<LegId> {
        let now = self.now();
        self.legs
            .iter()
            .find(|l| {
                l.leg.status == CallStatus::InProgress
                    && l.bye_due.as_ref().is_some_and(|(at, tee)| at + BYE_OVERDUE_MS <= now && tee == transferee)
            })
            .map(|l| l.leg.id.clone())
    }

    /// `transferee` was just bridged with `target` while `transferor`, told the transfer is
    /// over, still holds its leg: the transferee hears no audio until that leg ends.
    pub(crate) fn bridged_without_audio(&mut self, transferee: &LegId, target: &LegId, transferor: &LegId) {
        self.mute_until_bye(transferee, target, transferor, "are bridged");
    }

    /// The transferor still has not sent BYE some time after the terminated NOTIFY: a
    /// transferee already bridged with its target loses its audio (answerOnBridge true,
    /// where the NOTIFY goes out as the target answers).
    pub(crate) fn on_bye_overdue(&mut self, transferor: LegId) {
        if self.status(&transferor) != Some(CallStatus::InProgress) {
            return;
        }
        let Some((_, tee)) = self.state(&transferor).and_then(|l| l.bye_due.clone()) else { return };
        let Some(target) = self.partner(&tee) else { return };
        if self.state(&tee).is_some_and(|l| l.no_audio_until.is_none()) && target != transferor {
            self.mute_until_bye(&tee, &target, &transferor, "are still bridged");
        }
    }

    fn mute_until_bye(&mut self, transferee: &LegId, target: &LegId, transferor: &LegId, bridged: &str) {
        if let Some(l) = self.state_mut(transferee) {
            l.no_audio_until = Some(transferor.clone());
        }
        let (tee, tgt, tor) = (self.label(transferee), self.label(target), self.label(transferor));
        let secs = BYE_OVERDUE_MS / 1000;
        self.emit(Draft::new(
            StepKind::Bridged,
            // `notify.no-audio` is an Elastic SIP Trunking article's (`notify.scope`).
            Provenance::Assumed,
            cat!(
                tee,
                " and ",
                tgt,
                " ",
                bridged,
                ", but ",
                tee,
                " hears no audio: ",
                tor,
                " has not sent BYE since the final NOTIFY, and the overlapping audio streams leave ",
                tee,
                " with no audio until ",
                tor,
                "'s call ends (assumed: Twilio's support article says so for Elastic SIP Trunking, not Programmable Voice; that a BYE later than ",
                secs,
                " s counts as not prompt, and that ",
                tgt,
                " hears ",
                tee,
                " meanwhile, are assumed too)."
            ),
        ));
    }

    /// `leg` ended: a transferee that had no audio while it lived hears its target again.
    pub(crate) fn audio_resumes(&mut self, leg: &LegId) {
        let waiting: Vec<LegId> =
            self.legs.iter().filter(|l| l.no_audio_until.as_ref() == Some(leg)).map(|l| l.leg.id.clone()).collect();
        for tee in waiting {
            if let Some(l) = self.state_mut(&tee) {
                l.no_audio_until = None;
            }
            let Some(other) = self.partner(&tee) else { continue };
            if self.status(&tee) != Some(CallStatus::InProgress) {
                continue;
            }
            let (tee, other, tor) = (self.label(&tee), self.label(&other), self.label(leg));
            self.emit(Draft::new(
                StepKind::Bridged,
                // `notify.audio-resumes` is an Elastic SIP Trunking article's (`notify.scope`).
                Provenance::Assumed,
                cat!(
                    tor,
                    "'s call has ended: audio resumes between ",
                    tee,
                    " and ",
                    other,
                    ", who now hear each other (assumed: Twilio's support article says so for Elastic SIP Trunking, not Programmable Voice)."
                ),
            ));
        }
    }

    /// The transfer fails before it completed (answerOnBridge true): the
    /// transferor is told with a failure sipfrag and the initial call goes on.
    pub(crate) fn fail_transfer(&mut self, code: u16, tag: Provenance, narration: String) {
        self.fail_transfer_because(code, "", tag, narration);
    }

    /// [`Engine::fail_transfer`], the NOTIFY's sentence ending with `why` (`: AgentB's own final
    /// response ...`), which says where its code comes from.
    pub(crate) fn fail_transfer_because(&mut self, code: u16, why: &str, tag: Provenance, narration: String) {
        let Some(Some((t, saved))) = self.transition(Event::ReEstablished(tag), &narration) else { return };
        if let Some(saved) = saved {
            self.programs.insert(t.transferee.clone(), saved);
        }
        let m = if t.notify { self.notify(&t.transferor, code, true) } else { vec![] };
        if t.notify {
            let address = self.state(&t.transferor).map(|l| l.leg.party.clone()).unwrap_or_default();
            self.effect(Effect::Notified { leg: t.transferor.clone(), address, code, terminated: true });
        }
        // The step names the NOTIFY's code (assumed) or says that Twilio honours Refer-Sub:
        // false (assumed): assumed, whatever `tag` the re-establishing rests on.
        self.emit(
            Draft::new(
                final_kind(t.notify),
                Provenance::Assumed,
                if t.notify {
                    cat!(narration, " NOTIFY carries SIP/2.0 ", code, " ", reason(code), " (assumed)", why, ".")
                } else {
                    cat!(narration, " ", NO_NOTIFY)
                },
            )
            .messages(m),
        );
        if t.held {
            self.hold(&t.transferor, false);
        }
    }
}

/// What a program parked on a `<Dial>` that bridges `party` would still do once that `<Dial>`
/// ends: its `action` request, or the verbs after it.
pub(crate) struct Rest {
    /// "The <Dial action> https://… and the 2 verbs after the <Dial> (<Say>, <Hangup>)".
    pub what: String,
    pub plural: bool,
    /// Whose TwiML it is, when not the transferee's.
    pub whose: Option<String>,
}

impl Rest {
    /// `it` or `them`.
    pub(crate) fn it(&self) -> &'static str {
        if self.plural {
            "them"
        } else {
            "it"
        }
    }

    fn on(mut self, whose: &str) -> Rest {
        self.whose = Some(whose.to_string());
        self
    }
}

/// The rest of `p` after the `<Dial>` that bridges (or rings) `party`, if there is any.
pub(crate) fn rest_after_dial(p: &Program, party: &LegId) -> Option<Rest> {
    let Exec::Dialing(run) = &p.exec else { return None };
    if run.bridged.as_ref() != Some(party) && !run.legs.contains(party) {
        return None;
    }
    describe_rest(run.action.as_deref(), p.verbs.get(p.pc..).unwrap_or_default())
}

/// "The <Dial action> URL" and/or "the N verbs after the <Dial> (<A>, <B>)"; `None` when both are empty.
pub(crate) fn describe_rest(action: Option<&str>, after: &[crate::twiml::Verb]) -> Option<Rest> {
    let tags: Vec<String> = after.iter().map(|v| cat!("<", v.tag(), ">")).collect();
    let verbs = match after.len() {
        1 => cat!("verb after the <Dial> (", tags.join(", "), ")"),
        n => cat!(n, " verbs after the <Dial> (", tags.join(", "), ")"),
    };
    let (what, plural) = match (action, after.is_empty()) {
        (None, true) => return None,
        (Some(a), true) => (cat!("The <Dial action> ", a), false),
        (None, false) => (cat!("The ", verbs), after.len() > 1),
        (Some(a), false) => (cat!("The <Dial action> ", a, " and the ", verbs), true),
    };
    Some(Rest { what, plural, whose: None })
}

/// The party's REFER in dialog `d`: a Refer-To header per value, Referred-By (the party's URI
/// in its dialog, without the `?headers` Twilio's INVITE sent as headers) and, without a
/// subscription, `Refer-Sub: false`. Written only when the step carries its messages (a run
/// without them made the header list and Referred-By for nothing).
fn refer_request(d: &mut Dialog, refer_to: &[String], refer_sub: bool) -> Message {
    let referred_by = cat!("<", d.party_uri, ">");
    let mut headers: Vec<(&str, &str)> = Vec::with_capacity(refer_to.len() + 2);
    headers.extend(refer_to.iter().map(|v| ("Refer-To", v.as_str())));
    headers.push(("Referred-By", &referred_by));
    if !refer_sub {
        headers.push(("Refer-Sub", "false"));
    }
    d.request(Side::Party, "REFER", &headers, None)
}
