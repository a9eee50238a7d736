//! A step being written: what happened, why, and what it carries. The engine stamps it
//! with the time, the provenance's source, the webhook answer being handled and the legs
//! when it records it ([`Engine::emit`](super::Engine)), every step the same way,
//! the End step included.

use super::step::{Alert, SipMessage, StepKind, WebhookRequest};
use crate::Provenance;

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
}

impl Draft {
    /// A step of `kind`, tagged `tag`, that says `narration`, carrying nothing else yet.
    pub(crate) fn new(kind: StepKind, tag: Provenance, narration: impl Into<String>) -> Self {
        Draft { kind, tag, narration: narration.into(), messages: Vec::new(), webhook: None, alerts: Vec::new() }
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

    /// An alert raised in this step.
    pub(crate) fn alert(mut self, alert: Alert) -> Self {
        self.alerts.push(alert);
        self
    }
}
