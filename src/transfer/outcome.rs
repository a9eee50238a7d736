//! The outcome of a run in words: how the latest transfer ended and who is connected, and
//! what that summary rests on. Read from the engine's state; changes nothing.

use super::engine::{Engine, LegState};
use super::leg::{CallStatus, Hearing, Role};
use super::state::TransferResult;
use super::step::Outcome;
use super::text::cat;
use crate::sip::message::reason;
use crate::Provenance;
use std::borrow::Cow;

impl Engine {
    /// The provenance of the outcome summary: `doc` with the outcome-table cell
    /// (`refer.table.*`) or the REFER page's failure sentence when the summary
    /// restates it, `assumed` otherwise. A completed transfer restates the
    /// "AgentB answers" cell only while the target is connected, and the
    /// answerOnBridge-false "does not answer" cell only when no target ever answered.
    pub fn summary_provenance(&self) -> Provenance {
        let last = self.last_transfer();
        let result_tag = last.map_or(Provenance::Assumed, |e| e.tag);
        if last.map(|e| e.result) != Some(TransferResult::Committed) {
            return result_tag;
        }
        let targets: Vec<&LegState> = self.legs.iter().filter(|l| l.leg.role == Role::Target).collect();
        // A target that answered took the transfer, even if it has hung up since.
        let connected = targets.iter().any(|l| l.leg.bridged_with.is_some() || l.answered_at.is_some());
        let none_answered = !targets.is_empty() && targets.iter().all(|l| l.answered_at.is_none());
        let last = targets.last().map(|l| l.leg.status);
        match result_tag {
            Provenance::Doc(_) if connected => result_tag,
            Provenance::Doc("refer.table.answers.aob-false") if none_answered && last == Some(CallStatus::NoAnswer) => {
                Provenance::Doc("refer.table.no-answer.aob-false")
            }
            Provenance::Doc("refer.table.answers.aob-false")
                if none_answered && matches!(last, Some(CallStatus::Busy | CallStatus::Failed)) =>
            {
                Provenance::Doc("refer.aob-false-failure")
            }
            _ => Provenance::Assumed,
        }
    }

    /// The latest target that answered its `<Dial>`, if any.
    fn answered_target(&self) -> Option<&LegState> {
        self.legs.iter().rev().find(|l| l.leg.role == Role::Target && l.answered_at.is_some())
    }

    /// The outcome of a run that has ended (or stopped).
    pub fn outcome(&self) -> Outcome {
        self.outcome_of(false)
    }

    /// The outcome of a run that has not ended: its summary says a pending transfer is in
    /// progress, or that no transfer has taken place yet, and never how the run ended (assumed:
    /// what the simulator knows of its own run, not a vendor statement).
    pub fn outcome_so_far(&self) -> Outcome {
        self.outcome_of(true)
    }

    /// The outcome now; `running` while the run has not ended.
    fn outcome_of(&self, running: bool) -> Outcome {
        let mut connected = Vec::new();
        let mut legs = Vec::with_capacity(self.legs.len());
        // Each leg's status and bridge as its snapshot shows them (without the whole snapshot).
        for l in &self.legs {
            let (status, bridged_with) = self.shown_status(l);
            legs.push((l.leg.id.clone(), status));
            if let Some(b) = bridged_with {
                if l.leg.id < *b {
                    connected.push((l.leg.id.clone(), b.clone()));
                }
            }
        }
        // Who is on the call, written in one text: the pairs bridged, else the parties in a
        // <Conference> or <Queue> (on the call though bridged with no one).
        // Room for two pairs of labels at once (it grew two or three times a run).
        let mut link = String::with_capacity(96);
        for (a, b) in &connected {
            for piece in [if link.is_empty() { "" } else { "; " }, &self.label(a), " and ", &self.label(b)] {
                link.push_str(piece);
            }
        }
        if !link.is_empty() {
            link.push_str(" are connected");
        } else {
            for l in self.legs.iter().filter(|l| l.in_room && l.leg.status == CallStatus::InProgress) {
                if !link.is_empty() {
                    link.push_str("; ");
                }
                link.push_str(&l.leg.label);
                match &l.media {
                    Hearing::Conference(name) => {
                        for piece in [" is in conference \"", name, "\""] {
                            link.push_str(piece);
                        }
                    }
                    _ => link.push_str(" waits in a queue"),
                }
            }
        }
        if link.is_empty() {
            link.push_str("nobody is connected");
        }
        let target_connected =
            connected.iter().any(|(a, b)| self.role(a) == Some(Role::Target) || self.role(b) == Some(Role::Target));
        // answerOnBridge true: the initial call stayed up until the referUrl TwiML went on to
        // play to the transferee, which completed the transfer (`before_media`).
        let went_on_before_any_target = !target_connected
            && self.last_transfer().is_some_and(|e| {
                e.result == TransferResult::Committed && e.tag == Provenance::Doc("refer.table.answers.aob-true")
            })
            && self.answered_target().is_none();
        let head: Cow<str> = match self.last_transfer().map(|e| e.result) {
            // While a transfer is pending, `last_transfer` is the one before it (a chained run's).
            _ if running && self.pending().is_some() => Cow::Borrowed("The transfer is in progress (the run has not ended)"),
            None if running => Cow::Borrowed("No transfer has taken place yet (the run has not ended)"),
            None if self.pending().is_some() => Cow::Borrowed("The transfer had not finished when the run ended"),
            None => Cow::Borrowed("No transfer took place"),
            Some(TransferResult::Rejected(code)) => {
                Cow::Owned(cat!("The REFER was refused (", code, " ", reason(code), "); the call went on unchanged"))
            }
            Some(TransferResult::NoReferUrl) => {
                Cow::Borrowed("The <Dial> had no referUrl: alert 13802, and the initial call was re-established")
            }
            Some(TransferResult::Committed) if target_connected => Cow::Borrowed("The transfer went through"),
            Some(TransferResult::Committed) => match self.answered_target() {
                Some(target) => {
                    let gone = self
                        .legs
                        .iter()
                        .find(|l| l.hung_up && (l.leg.id == target.leg.id || l.leg.role == Role::Caller))
                        .map_or_else(
                            || Cow::Borrowed("the call has ended since"),
                            |l| Cow::Owned(cat!(l.leg.label, " later hung up")),
                        );
                    Cow::Owned(cat!("The transfer went through (", target.leg.label, " answered), and ", gone))
                }
                None if went_on_before_any_target => Cow::Borrowed(
                    "The referUrl TwiML went on before any target answered (it called no one, or played first), which completed the transfer and released the transferor; no target took over",
                ),
                // The run goes on: a target may still answer (answerOnBridge false commits at the webhook).
                None if running => Cow::Borrowed(
                    "The transfer is in progress (the run has not ended): the initial call was disconnected when it started, and no target has answered yet",
                ),
                None => Cow::Borrowed("The initial call was disconnected when the transfer started, and the target never took over"),
            },
            Some(TransferResult::ReEstablished) => Cow::Borrowed("The transfer failed and the initial call was re-established"),
            // The transferor's call ended while its target rang: the referUrl <Dial> went on
            // for the transferee, and a target that answered took the call.
            Some(TransferResult::Disconnected) if target_connected => {
                let gone = self.legs.iter().find(|l| l.leg.role == Role::Transferor).map_or("The transferor", |l| &l.leg.label);
                Cow::Owned(cat!(gone, "'s call ended during the transfer; the target then answered and took the call"))
            }
            Some(TransferResult::Disconnected) => {
                Cow::Borrowed("The transfer failed and the initial call was disconnected")
            }
        };
        let mut summary = cat!(head, ": ", link, ".");
        match &self.refer_verb {
            // A <Refer> that succeeded moved the call out of Twilio: that is how it ended.
            Some((leg, target, status)) if matches!(*status, "in-progress" | "completed") => {
                summary = cat!(
                    self.label(leg),
                    "'s call was moved to ",
                    target,
                    " by <Refer> (ReferCallStatus ",
                    status,
                    "): it goes on outside Twilio, and on Twilio's side ",
                    link,
                    "."
                );
            }
            Some((leg, target, status)) => {
                summary.push_str(&cat!(
                    " ",
                    self.label(leg),
                    "'s <Refer> to ",
                    target,
                    " returned ReferCallStatus ",
                    status,
                    "."
                ));
            }
            None => {}
        }
        // Every head above starts with a capital except those that start with a party's label,
        // which stays as the user wrote it (`bob`, not `Bob`): no case change here.
        Outcome { connected, legs, alerts: self.alerts().to_vec(), summary, went_on_before_any_target }
    }
}
