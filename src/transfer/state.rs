//! The transfer's state: one enum whose variants are named for what Twilio awaits next
//! and carry exactly the data that stage needs (rustls' `Expect*` states, quinn-proto's
//! `State`). [`next`] is the whole transition table, a pure function; the engine applies
//! it in one place ([`Engine::transition`](super::Engine)), which records every change
//! (from, to, why) and turns an input the state does not expect into an `ignored` step
//! that names the state and what it expected.

use super::leg::LegId;
use super::program::Program;
use crate::Provenance;

/// How a transfer ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TransferResult {
    /// The REFER was refused with this SIP status.
    Rejected(u16),
    /// 202 Accepted, but the `<Dial>` had no referUrl (alert 13802).
    NoReferUrl,
    /// The transferor left; the referUrl TwiML runs on the transferee.
    Committed,
    /// The transfer failed and the initial call went on.
    ReEstablished,
    /// The transfer failed after the initial call was disconnected, or a leg of it ended.
    Disconnected,
}

/// A transfer that ended, with what the outcome summary of it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ended {
    pub result: TransferResult,
    /// `doc` with the outcome-table cell it restates, `assumed` otherwise.
    pub tag: Provenance,
}

/// An accepted REFER that has not completed or failed yet.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    /// 1 for the first accepted REFER, 2 for the next (chained) one, ...
    pub round: usize,
    /// The leg that sent the REFER.
    pub transferor: LegId,
    /// The leg it was bridged with, which the referUrl TwiML takes over.
    pub transferee: LegId,
    /// From the `<Dial>` that made the bridge: when the transferor is let go.
    pub answer_on_bridge: bool,
    /// The REFER subscribed (no `Refer-Sub: false`): NOTIFYs are sent.
    pub notify: bool,
    /// The transferor put the transferee on hold first; a failure takes it off hold.
    pub held: bool,
    /// How the transfer before this one ended: what the outcome reports until this one ends.
    pub before: Option<Ended>,
}

/// Where the transfer is.
#[derive(Debug, Clone)]
pub(crate) enum TransferState {
    /// No REFER is pending: Twilio expects a REFER. `last` is how the latest one ended.
    Idle { last: Option<Ended> },
    /// 202 Accepted (and NOTIFY 100 Trying) sent; the referUrl request is out.
    AwaitingReferUrl(Pending),
    /// The referUrl TwiML runs on the transferee while the initial call stays up
    /// (answerOnBridge true): a target answering, or its TwiML playing media, completes
    /// the transfer; a failure re-establishes the initial call with `saved`.
    AwaitingTarget {
        pending: Pending,
        /// The transferee's TwiML from before the transfer, restored if it fails.
        saved: Option<Program>,
    },
}

/// What happens to the transfer.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// A REFER is refused with this status (the pending transfer, if any, goes on).
    Refused(u16),
    /// A REFER is accepted on a `<Dial>` without referUrl: alert 13802, nothing pending.
    NoReferUrl,
    /// A REFER is accepted and the referUrl requested.
    Accepted(Pending),
    /// The referUrl answered with TwiML; the transferee's TwiML before it is `saved`.
    ReferTwiml(Option<Program>),
    /// The transfer completes.
    Committed(Provenance),
    /// The transfer fails and the initial call goes on.
    ReEstablished(Provenance),
    /// The transfer fails with the initial call gone.
    Disconnected(Provenance),
}

impl Event {
    /// How the transfer ended, for an event that ends it.
    fn closing(&self) -> Option<Ended> {
        let (result, tag) = match *self {
            Event::Committed(tag) => (TransferResult::Committed, tag),
            Event::ReEstablished(tag) => (TransferResult::ReEstablished, tag),
            Event::Disconnected(tag) => (TransferResult::Disconnected, tag),
            _ => return None,
        };
        Some(Ended { result, tag })
    }

    /// The event, as a transition record and an `ignored` step name it.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Event::Refused(_) => "a refused REFER",
            Event::NoReferUrl => "a REFER without referUrl",
            Event::Accepted(_) => "an accepted REFER",
            Event::ReferTwiml(_) => "the referUrl TwiML",
            Event::Committed(_) => "the transfer completing",
            Event::ReEstablished(_) => "the initial call coming back",
            Event::Disconnected(_) => "the transfer failing",
        }
    }
}

impl TransferState {
    /// The state's name, as a transition record and an `ignored` step name it.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            TransferState::Idle { .. } => "idle",
            TransferState::AwaitingReferUrl(_) => "awaiting the referUrl answer",
            TransferState::AwaitingTarget { .. } => "awaiting a target of the referUrl TwiML",
        }
    }

    /// What the state waits for.
    pub(crate) fn expects(&self) -> &'static str {
        match self {
            TransferState::Idle { .. } => "a REFER",
            TransferState::AwaitingReferUrl(_) => "the referUrl answer or its failure",
            TransferState::AwaitingTarget { .. } => "a target answering, media from the referUrl TwiML, or its failure",
        }
    }

    /// The transfer in progress, if one is.
    pub(crate) fn pending(&self) -> Option<&Pending> {
        match self {
            TransferState::Idle { .. } => None,
            TransferState::AwaitingReferUrl(p) | TransferState::AwaitingTarget { pending: p, .. } => Some(p),
        }
    }

    /// How the latest finished transfer ended (while one is pending, the one before it).
    pub(crate) fn last(&self) -> Option<Ended> {
        match self {
            TransferState::Idle { last } => *last,
            TransferState::AwaitingReferUrl(p) | TransferState::AwaitingTarget { pending: p, .. } => p.before,
        }
    }
}

/// What a transition releases from the state it leaves: the pending transfer and the
/// transferee's saved TwiML.
pub(crate) type Released = Option<(Pending, Option<Program>)>;

/// The transition table: the next state for `event` in `from`, with what `from` released;
/// `Err` gives `from` back unchanged when it does not expect `event`.
// The state goes back by value to its one caller, which stores it again: no copy to box against.
#[allow(clippy::result_large_err)]
pub(crate) fn next(from: TransferState, event: Event) -> Result<(TransferState, Released), TransferState> {
    use TransferState::{AwaitingReferUrl, AwaitingTarget, Idle};
    let ended = |result, tag| Some(Ended { result, tag });
    Ok(match (from, event) {
        (Idle { .. }, Event::Refused(code)) => (Idle { last: ended(TransferResult::Rejected(code), Provenance::Assumed) }, None),
        // Another REFER refused while one is pending (491, or one from a leg with no dialog): the pending one goes on.
        (pending @ (AwaitingReferUrl(_) | AwaitingTarget { .. }), Event::Refused(_)) => (pending, None),
        (Idle { .. }, Event::NoReferUrl) => {
            (Idle { last: ended(TransferResult::NoReferUrl, Provenance::Doc("refer.table.absent")) }, None)
        }
        (Idle { .. }, Event::Accepted(p)) => (AwaitingReferUrl(p), None),
        (AwaitingReferUrl(p), Event::ReferTwiml(saved)) => (AwaitingTarget { pending: p.clone(), saved }, Some((p, None))),
        (from, event) => {
            let Some(end) = event.closing() else { return Err(from) };
            match from {
                AwaitingReferUrl(p) => (Idle { last: Some(end) }, Some((p, None))),
                AwaitingTarget { pending, saved } => (Idle { last: Some(end) }, Some((pending, saved))),
                idle @ Idle { .. } => return Err(idle),
            }
        }
    })
}

/// One change of the transfer state, as [`Engine::transition`](super::Engine) recorded it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Transition {
    pub at_ms: u64,
    pub from: &'static str,
    pub to: &'static str,
    /// The event that caused it.
    pub event: &'static str,
    /// Why, in the engine's words.
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending() -> Pending {
        Pending {
            round: 1,
            transferor: LegId::transferor(),
            transferee: LegId::caller(),
            answer_on_bridge: true,
            notify: true,
            held: false,
            before: None,
        }
    }

    fn idle() -> TransferState {
        TransferState::Idle { last: None }
    }

    fn awaiting_url() -> TransferState {
        TransferState::AwaitingReferUrl(pending())
    }

    fn awaiting_target() -> TransferState {
        TransferState::AwaitingTarget { pending: pending(), saved: None }
    }

    /// Every (state, event) pair: the state it leads to, or `None` when the state does not expect it.
    #[test]
    fn the_transition_table() {
        let doc = Provenance::Doc("refer.aob-true");
        #[rustfmt::skip]
        let cases: Vec<(TransferState, Event, Option<&str>, Option<TransferResult>)> = vec![
            (idle(), Event::Refused(403), Some("idle"), Some(TransferResult::Rejected(403))),
            (idle(), Event::NoReferUrl, Some("idle"), Some(TransferResult::NoReferUrl)),
            (idle(), Event::Accepted(pending()), Some("awaiting the referUrl answer"), None),
            (idle(), Event::ReferTwiml(None), None, None),
            (idle(), Event::Committed(doc), None, None),
            (idle(), Event::ReEstablished(doc), None, None),
            (idle(), Event::Disconnected(doc), None, None),
            (awaiting_url(), Event::Refused(491), Some("awaiting the referUrl answer"), None),
            (awaiting_url(), Event::NoReferUrl, None, None),
            (awaiting_url(), Event::Accepted(pending()), None, None),
            (awaiting_url(), Event::ReferTwiml(None), Some("awaiting a target of the referUrl TwiML"), None),
            (awaiting_url(), Event::Committed(doc), Some("idle"), Some(TransferResult::Committed)),
            (awaiting_url(), Event::ReEstablished(doc), Some("idle"), Some(TransferResult::ReEstablished)),
            (awaiting_url(), Event::Disconnected(doc), Some("idle"), Some(TransferResult::Disconnected)),
            (awaiting_target(), Event::Refused(491), Some("awaiting a target of the referUrl TwiML"), None),
            (awaiting_target(), Event::NoReferUrl, None, None),
            (awaiting_target(), Event::Accepted(pending()), None, None),
            (awaiting_target(), Event::ReferTwiml(None), None, None),
            (awaiting_target(), Event::Committed(doc), Some("idle"), Some(TransferResult::Committed)),
            (awaiting_target(), Event::ReEstablished(doc), Some("idle"), Some(TransferResult::ReEstablished)),
            (awaiting_target(), Event::Disconnected(doc), Some("idle"), Some(TransferResult::Disconnected)),
        ];
        for (from, event, to, result) in cases {
            let (from_name, event_name) = (from.name(), event.name());
            match next(from, event) {
                Ok((state, _)) => {
                    assert_eq!(Some(state.name()), to, "{from_name} + {event_name}");
                    if let Some(r) = result {
                        assert_eq!(state.last().map(|e| e.result), Some(r), "{from_name} + {event_name}");
                    }
                }
                Err(back) => {
                    assert_eq!(to, None, "{from_name} + {event_name} was refused");
                    assert_eq!(back.name(), from_name, "a refused event leaves the state as it was");
                }
            }
        }
    }

    #[test]
    fn a_pending_transfer_reports_the_one_before_it_and_releases_its_saved_twiml() {
        let before = Some(Ended { result: TransferResult::Committed, tag: Provenance::Assumed });
        let p = Pending { before, round: 2, ..pending() };
        let (state, released) = next(TransferState::AwaitingReferUrl(p), Event::ReferTwiml(None)).unwrap();
        assert_eq!(state.last(), before);
        assert_eq!(released.map(|(p, _)| p.round), Some(2));
        let saved = Program::new(Vec::new(), Some("https://example.com/a".into()), crate::twiml::Method::Get, 0);
        let state = TransferState::AwaitingTarget { pending: pending(), saved: Some(saved) };
        let tag = Provenance::Doc("refer.aob-true-failure");
        let (state, released) = next(state, Event::ReEstablished(tag)).unwrap();
        assert_eq!(state.last(), Some(Ended { result: TransferResult::ReEstablished, tag }));
        assert_eq!(released.and_then(|(_, s)| s).and_then(|s| s.url).as_deref(), Some("https://example.com/a"));
    }

    /// Every change of the transfer state is recorded with from, to and why; a second
    /// REFER while one is pending changes nothing but is recorded too.
    #[test]
    fn the_engine_records_every_transition() {
        use crate::transfer::{Config, Effect, Engine, HttpReply, Input, ReferFrom};
        let twiml = r#"<Response><Dial answerOnBridge="true" referUrl="https://example.com/h"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#;
        let initial = crate::twiml::parse(twiml).response.unwrap();
        let mut e = Engine::new(Config {
            initial,
            refer_from: ReferFrom::Transferor,
            enhanced_sip_features: true,
            caller_from: "+14155550100".into(),
            caller_to: "+18005550199".into(),
        });
        let refer =
            |to: &str| Input::Refer { leg: LegId::transferor(), refer_to: vec![to.into()], refer_sub: true, hold_first: false };
        e.handle(0, Input::Start);
        e.handle(1_000, Input::Answered { leg: LegId::transferor() });
        e.handle(2_000, refer("<sip:AgentB@example.com>"));
        e.handle(2_010, refer("<sip:AgentC@example.com>"));
        let request = std::iter::from_fn(|| e.poll_effect())
            .find_map(|x| if let Effect::Fetch { request, .. } = x { Some(request) } else { None })
            .unwrap();
        let dial_b = "<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>";
        e.handle(2_100, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: dial_b.into() } });
        e.handle(3_000, Input::Answered { leg: LegId::target(1) });
        let log: Vec<(u64, &str, &str, &str)> = e.transitions.iter().map(|t| (t.at_ms, t.from, t.to, t.event)).collect();
        #[rustfmt::skip]
        assert_eq!(log, [
            (2_000, "idle", "awaiting the referUrl answer", "an accepted REFER"),
            (2_010, "awaiting the referUrl answer", "awaiting the referUrl answer", "a refused REFER"),
            (2_100, "awaiting the referUrl answer", "awaiting a target of the referUrl TwiML", "the referUrl TwiML"),
            (3_000, "awaiting a target of the referUrl TwiML", "idle", "the transfer completing"),
        ]);
        assert!(e.transitions[3].reason.contains("AgentB answered"), "{}", e.transitions[3].reason);
        assert_eq!(e.last_transfer().map(|t| t.result), Some(TransferResult::Committed));
    }
}
