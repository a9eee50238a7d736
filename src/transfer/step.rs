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

use super::leg::{CallStatus, Leg, LegId, SharedStr};
use super::text::cat;
use crate::sip::message::{Body, Message};
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
    /// How an accepted REFER ended (the transfer completes, fails, or the call is
    /// re-established) when the REFER said `Refer-Sub: false`: the step a final NOTIFY would
    /// carry, with no NOTIFY sent (RFC 4488). Before round 13 such steps were `notify-sent`.
    ReferOutcome,
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

/// A SIP message drawn on the ladder, from `from` to `to`: its text and the typed parts
/// read from it ([`SipMessage::method`], [`SipMessage::headers`], ...), which always agree
/// with it (the message is written once, see [`Message`]).
///
/// Serialized as `{ from, to, firstLine, text, method, status, reason, headers, body }`
/// (`headers` as `[name, value]` pairs, `body` as `{ contentType, text }` or `null`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SipMessage {
    /// Sender: `twilio` or a leg id.
    pub from: SharedStr,
    /// Receiver: `twilio` or a leg id.
    pub to: SharedStr,
    message: Message,
}

impl SipMessage {
    /// The message `message` sent from `from` to `to`.
    pub fn new(from: impl Into<SharedStr>, to: impl Into<SharedStr>, message: Message) -> Self {
        SipMessage { from: from.into(), to: to.into(), message }
    }

    /// The message as written.
    pub fn message(&self) -> &Message {
        &self.message
    }

    /// The whole message: start line, headers, an empty line, the body (CRLF line ends).
    pub fn text(&self) -> &str {
        self.message.text()
    }

    /// The request line or status line, as in [`SipMessage::text`].
    pub fn first_line(&self) -> &str {
        self.message.first_line()
    }

    /// A request's method (`INVITE`, `REFER`, ...); `None` for a response.
    pub fn method(&self) -> Option<&str> {
        self.message.method()
    }

    /// A response's status code; `None` for a request.
    pub fn status(&self) -> Option<u16> {
        self.message.status()
    }

    /// A response's reason phrase; `None` for a request.
    pub fn reason(&self) -> Option<&str> {
        self.message.reason()
    }

    /// Every header in the order sent, `(name, value)`, names in full form (refer-sim never
    /// sends compact forms), `Content-Type` and `Content-Length` included, and the X- headers
    /// a party put on its final response to Twilio's INVITE (the scenario's `responseHeaders`)
    /// and the headers of a `<Sip>` URI that Twilio's INVITE carries (`?X-Ticket=42`).
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.message.headers()
    }

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.message.header(name)
    }

    /// The body with its content type, if any.
    pub fn body(&self) -> Option<Body<'_>> {
        self.message.body()
    }
}

impl Serialize for SipMessage {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("SipMessage", 9)?;
        st.serialize_field("from", &self.from)?;
        st.serialize_field("to", &self.to)?;
        st.serialize_field("firstLine", self.first_line())?;
        st.serialize_field("text", self.text())?;
        st.serialize_field("method", &self.method())?;
        st.serialize_field("status", &self.status())?;
        st.serialize_field("reason", &self.reason())?;
        st.serialize_field("headers", &Headers(&self.message))?;
        st.serialize_field("body", &self.body())?;
        st.end()
    }
}

/// The SIP messages sent at a step ([`Step::messages`]): a `Vec<SipMessage>` to read
/// (`iter`, `len`, `[i]`, `for m in &step.messages` through `Deref`), either written during
/// the run or, for a step of [`Prepared::run`](crate::scenario::Prepared::run), written on the
/// first read of any step's messages by a second run of the same prepared scenario with
/// [`RunDetail::FULL`](crate::scenario::RunDetail::FULL) (a run is deterministic, so the second
/// run's steps are the first run's, messages added; README, "SIP messages on request"). That
/// read costs about one more run, once for the whole timeline; a timeline whose messages nobody
/// reads never writes them. Changing them (`DerefMut`) first gives the step its own copy.
/// Not in WASM, where the module's size is budgeted and the package writes the messages on
/// read itself: there they are always written during the run.
///
/// Equal when the messages are; serialized as their sequence.
#[derive(Clone, Default)]
pub struct Messages {
    /// The messages, when written during the run (or given, or changed).
    written: Vec<SipMessage>,
    /// Else: step `.0`'s of the messages `.1` writes on the first read.
    #[cfg(not(target_arch = "wasm32"))]
    on_read: Option<(usize, std::sync::Arc<MessagesOnRead>)>,
}

/// The messages of every step of one run of `prepared`, written on the first read by a
/// second, full run.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) struct MessagesOnRead {
    prepared: crate::scenario::Prepared,
    written: std::sync::OnceLock<Vec<Vec<SipMessage>>>,
}

#[cfg(not(target_arch = "wasm32"))]
impl MessagesOnRead {
    /// The messages of a run of `prepared`, not written yet.
    pub(crate) fn new(prepared: crate::scenario::Prepared) -> Self {
        MessagesOnRead { prepared, written: std::sync::OnceLock::new() }
    }

    /// Each step's messages, written by a full run on the first call.
    fn steps(&self) -> &[Vec<SipMessage>] {
        self.written.get_or_init(|| {
            let full = self.prepared.run_with(crate::scenario::RunDetail::FULL);
            full.steps.into_iter().map(|s| s.messages.into_vec()).collect()
        })
    }
}

impl Messages {
    /// Step `step`'s messages of `run`, written when first read.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn on_read(step: usize, run: std::sync::Arc<MessagesOnRead>) -> Self {
        Messages { written: Vec::new(), on_read: Some((step, run)) }
    }

    /// The messages as a `Vec` of their own (written first, when they were not).
    pub fn into_vec(mut self) -> Vec<SipMessage> {
        std::mem::take(&mut *self)
    }
}

/// No messages, for a step past the second run's last (which the second run, deterministic,
/// never has).
#[cfg(not(target_arch = "wasm32"))]
static NONE: Vec<SipMessage> = Vec::new();

impl std::ops::Deref for Messages {
    type Target = Vec<SipMessage>;
    fn deref(&self) -> &Vec<SipMessage> {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some((step, run)) = &self.on_read {
            return run.steps().get(*step).unwrap_or(&NONE);
        }
        &self.written
    }
}

impl std::ops::DerefMut for Messages {
    fn deref_mut(&mut self) -> &mut Vec<SipMessage> {
        #[cfg(not(target_arch = "wasm32"))]
        if let Some((step, run)) = self.on_read.take() {
            self.written = run.steps().get(step).cloned().unwrap_or_default();
        }
        &mut self.written
    }
}

impl From<Vec<SipMessage>> for Messages {
    fn from(written: Vec<SipMessage>) -> Self {
        Messages {
            written,
            #[cfg(not(target_arch = "wasm32"))]
            on_read: None,
        }
    }
}

impl<'a> IntoIterator for &'a Messages {
    type Item = &'a SipMessage;
    type IntoIter = std::slice::Iter<'a, SipMessage>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for Messages {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for Messages {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

/// A message's headers, serialized as a sequence of `[name, value]` pairs.
struct Headers<'a>(&'a Message);

impl Serialize for Headers<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let headers = self.0.headers();
        let mut seq = s.serialize_seq(Some(headers.len()))?;
        for pair in headers {
            seq.serialize_element(&pair)?;
        }
        seq.end()
    }
}

/// An HTTP request from Twilio to the application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRequest {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The URL as configured (without the query string for GET).
    pub url: String,
    /// What was asked: `referUrl`, `action`, `redirect`, `gather`.
    pub purpose: &'static str,
    /// Parameters in the order sent (a JS object, in that order).
    #[serde(serialize_with = "pairs_as_map")]
    pub params: Vec<(SharedStr, SharedStr)>,
    /// The form body of a POST, exactly as sent.
    pub body: Option<String>,
    /// The full URL of a GET, query string included.
    pub query_url: Option<String>,
}

fn pairs_as_map<S: serde::Serializer>(pairs: &[(SharedStr, SharedStr)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(pairs.len()))?;
    for (k, v) in pairs {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

fn shared_request<S: serde::Serializer>(request: &Option<std::sync::Arc<WebhookRequest>>, s: S) -> Result<S::Ok, S::Error> {
    request.as_deref().serialize(s)
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

/// Text stored once and shared by every step that carries it (a webhook body).
pub type SharedText = std::sync::Arc<str>;

/// How Twilio reads an answer's body by the Content-Type the answer states ("Twilio does the
/// right thing when your application responds with different MIME types", `twiml.mime-types`).
/// Serialized as `"twiml"`, `"audio"`, `"text"`, `"refused"`; the compact timeline numbers them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum AnswerMedia {
    /// `text/xml`, `application/xml`, `text/html`: the body is run as TwiML.
    Twiml,
    /// `audio/*`: the body is an audio file, which Twilio plays to the caller, then hangs up.
    Audio,
    /// `text/plain`: the body is read out to the caller, then Twilio hangs up.
    Text,
    /// No Content-Type header, or a type Twilio cannot use: error 12300 (`error.12300`).
    Refused,
}

/// The Content-Type an answer stated (`None`: it sent no such header) and what Twilio made of its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerType {
    /// The header's value, as sent.
    pub content_type: Option<String>,
    /// How Twilio reads the body by it.
    pub media: AnswerMedia,
}

/// What the application answered (on `webhook-fetched` and `webhook-failed` steps).
///
/// Serialized as `{ url, status, body }`, or, when an earlier step of the timeline received
/// the same body, as `{ url, status, sameBodyAs }` (that step's index) without the body:
/// a 64 kB page in a `<Redirect>` loop is written once, not once per round. An answer whose
/// scenario states its Content-Type adds `contentType` (`null`: no header) and `media`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookResponse {
    /// The URL that answered.
    pub url: String,
    /// The HTTP status; `None` when the host could not be reached.
    pub status: Option<u16>,
    /// The body, as received; equal bodies of one run are one shared text.
    pub body: Option<SharedText>,
    /// The index (in the timeline's steps) of the first step that received this same body,
    /// when it is an earlier step; `None` for the first (or only) one and for no body.
    pub same_body_as: Option<usize>,
    /// The Content-Type the answer stated and how Twilio read the body; `None` for an answer
    /// whose scenario states none (read as `text/xml`) and for a status callback's answer.
    pub typed: Option<AnswerType>,
}

impl WebhookResponse {
    /// An answer not yet compared with earlier ones ([`BodyTable::share`] does that).
    pub fn new(url: String, status: Option<u16>, body: Option<SharedText>) -> Self {
        WebhookResponse { url, status, body, same_body_as: None, typed: None }
    }
}

impl Serialize for WebhookResponse {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("WebhookResponse", 3)?;
        st.serialize_field("url", &self.url)?;
        st.serialize_field("status", &self.status)?;
        match self.same_body_as {
            Some(index) => st.serialize_field("sameBodyAs", &index)?,
            None => st.serialize_field("body", &self.body.as_deref())?,
        }
        if let Some(t) = &self.typed {
            st.serialize_field("contentType", &t.content_type)?;
            st.serialize_field("media", &t.media)?;
        }
        st.end()
    }
}

/// The webhook bodies of one run, each stored once: the first step that receives a body
/// keeps it, a later step with an equal body shares that text and names the first step
/// ([`WebhookResponse::same_body_as`]). Fed every step in order by the engine.
#[derive(Debug, Clone, Default)]
pub struct BodyTable {
    /// Each distinct body and the index of the first step that received it.
    first: std::collections::BTreeMap<SharedText, usize>,
    /// Steps recorded so far: the index of the next one.
    steps: usize,
}

impl BodyTable {
    /// Records the next step, whose answer is `response`: shares its body with an earlier equal one.
    pub fn share(&mut self, response: Option<&mut WebhookResponse>) {
        let index = self.steps;
        self.steps += 1;
        let Some(r) = response else { return };
        let Some(body) = &r.body else { return };
        match self.first.get_key_value(body) {
            Some((known, &at)) => {
                r.body = Some(known.clone());
                r.same_body_as = Some(at);
            }
            None => {
                self.first.insert(body.clone(), index);
            }
        }
    }
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
    /// SIP messages sent at this step (read as a `Vec<SipMessage>`; see [`Messages`] for when
    /// they are written).
    pub messages: Messages,
    /// The HTTP request made at this step, shared with the [`Effect::Fetch`](super::Effect)
    /// that asked for it (one request, not a copy of its parameters).
    #[serde(serialize_with = "shared_request")]
    pub webhook: Option<std::sync::Arc<WebhookRequest>>,
    /// The application's answer received at this step.
    pub response: Option<WebhookResponse>,
    /// Alerts raised at this step.
    pub alerts: Vec<Alert>,
    /// The legs this step created or changed, as they are after it, in creation order.
    /// Every other leg is as it was after the previous step; [`LegReplay`] gives them all.
    pub changed_legs: Vec<Leg>,
}

impl Step {
    /// What [`Engine::poll_step`](super::Engine::poll_step) leaves in a step's place until the
    /// steps recorded with it are all taken: empty, made and dropped without allocating.
    pub(crate) fn taken() -> Step {
        Step {
            at_ms: 0,
            kind: StepKind::End,
            narration: String::new(),
            tag: Provenance::Assumed,
            source: None,
            messages: Messages::default(),
            webhook: None,
            response: None,
            alerts: Vec::new(),
            changed_legs: Vec::new(),
        }
    }
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
    /// Whether the transfer completed because the referUrl TwiML went on (it called no one,
    /// or played to the transferee first) before any target answered, with answerOnBridge
    /// true (the summary then opens "The referUrl TwiML went on before any target answered").
    /// The explanation reads this fact, not the summary's words. Not serialized.
    #[serde(skip)]
    pub went_on_before_any_target: bool,
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

    /// Every leg after the last step applied, taken out of the replay.
    pub fn into_legs(self) -> Vec<Leg> {
        self.legs
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
        Some((end, _)) => std::borrow::Cow::Owned(cat!(text.get(..end).unwrap_or(text), "…")),
    }
}

#[cfg(test)]
mod tests {
    use super::{excerpt, BodyTable, SharedText, WebhookResponse};

    #[test]
    fn a_body_is_stored_once_and_named_by_its_first_step() {
        let answer = |body: Option<&str>| WebhookResponse::new("u".into(), Some(200), body.map(SharedText::from));
        let mut table = BodyTable::default();
        let mut steps = vec![
            None,
            Some(answer(Some("a"))),
            Some(answer(None)),
            Some(answer(Some("b"))),
            None,
            Some(answer(Some("a"))),
            Some(answer(Some("b"))),
            Some(answer(Some("a"))),
        ];
        for r in &mut steps {
            table.share(r.as_mut());
        }
        let refs: Vec<_> = steps.iter().map(|r| r.as_ref().and_then(|r| r.same_body_as)).collect();
        assert_eq!(refs, [None, None, None, None, None, Some(1), Some(3), Some(1)]);
        let body = |i: usize| steps[i].as_ref().and_then(|r| r.body.clone()).unwrap();
        assert!(std::sync::Arc::ptr_eq(&body(1), &body(5)) && std::sync::Arc::ptr_eq(&body(1), &body(7)));
        let json = |i: usize| serde_json::to_string(&steps[i]).unwrap();
        assert_eq!(json(1), r#"{"url":"u","status":200,"body":"a"}"#);
        assert_eq!(json(2), r#"{"url":"u","status":200,"body":null}"#);
        assert_eq!(json(7), r#"{"url":"u","status":200,"sameBodyAs":1}"#);
    }

    #[test]
    fn excerpt_cuts_at_characters() {
        assert_eq!(excerpt("hello", 5), "hello");
        assert_eq!(excerpt("hello!", 5), "hello…");
        assert_eq!(excerpt("ééééé", 2), "éé…");
        assert_eq!(excerpt("", 0), "");
    }
}
