//! A step being written: what happened, why, and what it carries. The engine stamps it
//! with the time, the provenance's source, the webhook answer being handled and the legs
//! when it records it ([`Engine::emit`](super::Engine)), every step the same way,
//! the End step included.

use super::leg::LegId;
use super::step::{Alert, SipMessage, StepKind, WebhookRequest};
use crate::Provenance;

/// What a REFER step's SIP message says that the run's explanation reads
/// ([`crate::scenario::explain`]), kept beside the step so that a run without messages
/// explains itself the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReferFact {
    /// A refer-received step: the leg whose party sent the REFER.
    Sender(LegId),
    /// A refer-rejected step: the refusal's status code (Twilio's or the party's).
    Refused(u16),
}

/// A step before the engine records it. Only what a step carries beyond its kind,
/// provenance and narration is set, by name.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub kind: StepKind,
    pub tag: Provenance,
    pub narration: String,
    pub messages: Vec<SipMessage>,
    pub webhook: Option<std::sync::Arc<WebhookRequest>>,
    pub alerts: Vec<Alert>,
    pub refer: Option<ReferFact>,
}

impl Draft {
    /// A step of `kind`, tagged `tag`, that says `narration`, carrying nothing else yet.
    pub(crate) fn new(kind: StepKind, tag: Provenance, narration: impl Into<String>) -> Self {
        Draft { kind, tag, narration: narration.into(), messages: Vec::new(), webhook: None, alerts: Vec::new(), refer: None }
    }

    /// The SIP messages sent in this step, in order.
    pub(crate) fn messages(mut self, messages: Vec<SipMessage>) -> Self {
        self.messages = messages;
        self
    }

    /// The webhook request Twilio sends in this step.
    pub(crate) fn webhook(mut self, webhook: std::sync::Arc<WebhookRequest>) -> Self {
        self.webhook = Some(webhook);
        self
    }

    /// What this REFER step's message says that the explanation reads.
    pub(crate) fn refer(mut self, fact: ReferFact) -> Self {
        self.refer = Some(fact);
        self
    }

    /// An alert raised in this step.
    pub(crate) fn alert(mut self, alert: Alert) -> Self {
        self.alerts.push(alert);
        self
    }
}
