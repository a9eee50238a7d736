//! The timeline: one [`Step`] per thing that happens, each with its time,
//! narration, provenance tag, the SIP messages and webhook it carries, alerts,
//! and the legs it changed; then the [`Outcome`].
//!
//! A step records only what changed (as quinn-proto and str0m record events, not
//! states): `changed_legs` holds the snapshot of each leg the step created or
//! changed, and a leg it did not touch is as at the step before. So a timeline grows
//! with steps plus changes, not steps × legs (800 targets in one `<Dial>` would
//! otherwise repeat 800 legs in each of about 1,600 steps). [`LegReplay`] (and
//! [`Timeline::legs_at`]) rebuilds every leg after any step.

use super::leg::{CallStatus, Leg, LegId};
use crate::sip::message::{Body, Message, StartLine};
use crate::Provenance;
use serde::Serialize;

/// What a step is, as a stable kebab-case string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum StepKind {
    /// A call starts (the caller's inbound call reaching Twilio).
    CallStarted,
    /// A TwiML verb starts running on a leg.
    TwimlVerb,
    /// A leg is being dialled and rings.
    LegRinging,
    /// A leg answered.
    LegAnswered,
    /// A leg ended (completed, busy, no-answer, failed, canceled).
    LegEnded,
    /// Two legs are bridged.
    Bridged,
    /// A bridge is taken down.
    Unbridged,
    /// A party puts the call on hold or resumes it (re-INVITE).
    Hold,
    /// A REFER reaches Twilio.
    ReferReceived,
    /// The REFER is refused with a final error response.
    ReferRejected,
    /// The REFER is accepted (`202 Accepted`).
    ReferAccepted,
    /// Twilio sends a NOTIFY with a sipfrag.
    NotifySent,
    /// Twilio requests a URL (referUrl, an action or a Redirect).
    WebhookRequested,
    /// The application answered with TwiML.
    WebhookFetched,
    /// The request failed (unreachable, HTTP error, bad TwiML).
    WebhookFailed,
    /// A debugger alert is raised.
    Alert,
    /// Caller input (`<Gather>` digits).
    Digits,
    /// An input that does not apply in the current state (recorded, not an error).
    Ignored,
    /// Nothing more will happen.
    End,
}

/// A SIP message drawn on the ladder: its text and, beside it, the typed fields the
/// text was written from ([`SipMessage::new`] is the one place that makes both).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SipMessage {
    /// Sender: `twilio` or a leg id.
    pub from: String,
    /// Receiver: `twilio` or a leg id.
    pub to: String,
    /// Request line or status line.
    pub first_line: String,
    /// The whole message, headers and body.
    pub text: String,
    /// A request's method (`INVITE`, `REFER`, ...); `None` for a response.
    pub method: Option<String>,
    /// A response's status code; `None` for a request.
    pub status: Option<u16>,
    /// A response's reason phrase; `None` for a request.
    pub reason: Option<String>,
    /// Every header in the order sent, `[name, value]`, names in full form (refer-sim never
    /// sends compact forms), `Content-Type` and `Content-Length` included.
    pub headers: Vec<(&'static str, String)>,
    /// The body with its content type, if any.
    pub body: Option<Body>,
}

impl SipMessage {
    /// The message `message` sent from `from` to `to`: its text and first line are
    /// written from its fields, so they always agree.
    pub fn new(from: String, to: String, message: Message) -> Self {
        let first_line = message.first_line();
        let text = message.text();
        let (method, status, reason) = match message.start {
            StartLine::Request { method, .. } => (Some(method), None, None),
            StartLine::Response { code, reason } => (None, Some(code), Some(reason)),
        };
        SipMessage { from, to, first_line, text, method, status, reason, headers: message.headers, body: message.body }
    }

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An HTTP request from Twilio to the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRequest {
    /// `GET` or `POST`.
    pub method: String,
    /// The URL as configured (without the query string for GET).
    pub url: String,
    /// What was asked: `referUrl`, `action`, `redirect`, `gather`.
    pub purpose: String,
    /// Parameters in the order sent (a JS object, in that order).
    #[serde(serialize_with = "pairs_as_map")]
    pub params: Vec<(String, String)>,
    /// The form body of a POST, exactly as sent.
    pub body: Option<String>,
    /// The full URL of a GET, query string included.
    pub query_url: Option<String>,
}

fn pairs_as_map<S: serde::Serializer>(pairs: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

fn status_map<S: serde::Serializer>(legs: &[(LegId, CallStatus)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(legs.len()))?;
    for (k, v) in legs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

impl Outcome {
    /// The final status of leg `id`.
    pub fn status(&self, id: &LegId) -> Option<CallStatus> {
        self.legs.iter().find(|(k, _)| k == id).map(|(_, s)| *s)
    }
}

impl WebhookRequest {
    /// The first parameter named `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// What the application answered (on `webhook-fetched` and `webhook-failed` steps).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookResponse {
    /// The URL that answered.
    pub url: String,
    /// The HTTP status; `None` when the host could not be reached.
    pub status: Option<u16>,
    /// The body, as received.
    pub body: Option<String>,
}

/// A debugger alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Alert {
    /// The vendor's error code, when one is known (13802, 11200, ...).
    pub code: Option<u32>,
    /// What happened.
    pub message: String,
}

/// One step of the timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Step {
    /// Simulated milliseconds since the call started.
    pub at_ms: u64,
    /// What happened.
    pub kind: StepKind,
    /// One sentence for trainees.
    pub narration: String,
    /// Whether this is documented, from an RFC, or assumed.
    pub tag: Provenance,
    /// For a `doc` step, the id of its entry in `src/sources.md` (page and sentence); `None` otherwise.
    pub source: Option<&'static str>,
    /// SIP messages sent at this step.
    pub messages: Vec<SipMessage>,
    /// The HTTP request made at this step.
    pub webhook: Option<WebhookRequest>,
    /// The application's answer received at this step.
    pub response: Option<WebhookResponse>,
    /// Alerts raised at this step.
    pub alerts: Vec<Alert>,
    /// The legs this step created or changed, as they are after it, in creation order.
    /// Every other leg is as it was after the previous step; [`LegReplay`] gives them all.
    pub changed_legs: Vec<Leg>,
}

/// How the simulation ended.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// Pairs of legs bridged at the end.
    pub connected: Vec<(LegId, LegId)>,
    /// Each leg's final status, in creation order (a JS object).
    #[serde(serialize_with = "status_map")]
    pub legs: Vec<(LegId, CallStatus)>,
    /// Every alert raised.
    pub alerts: Vec<Alert>,
    /// One sentence.
    pub summary: String,
}

/// A complete run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timeline {
    /// Steps in time order.
    pub steps: Vec<Step>,
    /// The result.
    pub outcome: Outcome,
    /// Why it ended so, and what to change.
    pub explanation: crate::scenario::Explanation,
    /// Scenario entries that had no effect (`endpoints` or `app` keys nothing used).
    pub warnings: Vec<crate::scenario::ScenarioWarning>,
}

/// Every leg after each step, rebuilt from the steps' `changed_legs` in one pass:
/// feed it the steps in order with [`LegReplay::apply`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LegReplay {
    legs: Vec<Leg>,
    /// Each leg's place in `legs`.
    index: std::collections::BTreeMap<LegId, usize>,
}

impl LegReplay {
    /// No legs yet (before the first step).
    pub fn new() -> Self {
        LegReplay::default()
    }

    /// Applies the next step's changes; returns every leg after it, in creation order.
    pub fn apply(&mut self, step: &Step) -> &[Leg] {
        for leg in &step.changed_legs {
            match self.index.get(&leg.id).and_then(|&i| self.legs.get_mut(i)) {
                Some(known) => known.clone_from(leg),
                None => {
                    self.index.insert(leg.id.clone(), self.legs.len());
                    self.legs.push(leg.clone());
                }
            }
        }
        &self.legs
    }

    /// Every leg after the last step applied.
    pub fn legs(&self) -> &[Leg] {
        &self.legs
    }
}

/// Every leg after `steps[index]` (after the last step when `index` is past the end).
pub fn legs_after(steps: &[Step], index: usize) -> Vec<Leg> {
    let mut replay = LegReplay::new();
    for step in steps.iter().take(index.saturating_add(1)) {
        replay.apply(step);
    }
    replay.legs
}

impl Timeline {
    /// Every leg after step `index`, in creation order.
    pub fn legs_at(&self, index: usize) -> Vec<Leg> {
        legs_after(&self.steps, index)
    }

    /// Every leg after `step`, one of this timeline's steps (found by address; a step
    /// from elsewhere gives the legs at the end).
    pub fn legs_after_step(&self, step: &Step) -> Vec<Leg> {
        let index = self.steps.iter().position(|s| std::ptr::eq(s, step)).unwrap_or(usize::MAX);
        self.legs_at(index)
    }

    /// Every leg at the end.
    pub fn final_legs(&self) -> Vec<Leg> {
        legs_after(&self.steps, usize::MAX)
    }
}

/// The most characters of a user's text (a `<Say>`) a narration quotes: a narration is one
/// sentence for people, and a 64 kB `<Say>` in a `<Redirect>` loop quoted whole in each of
/// 2,000 steps made a 43 MB timeline.
pub const NARRATION_QUOTE_CHARS: usize = 200;

/// `text` cut to its first `max_chars` characters, with `…` when something was cut.
pub fn excerpt(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", text.get(..end).unwrap_or(text))),
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpt_cuts_at_characters() {
        assert_eq!(excerpt("hello", 5), "hello");
        assert_eq!(excerpt("hello!", 5), "hello…");
        assert_eq!(excerpt("ééééé", 2), "éé…");
        assert_eq!(excerpt("", 0), "");
    }
}
