//! Requests that only inform the application: the status callbacks of the parties a `<Dial>`
//! calls (`statusCallback`, `statusCallbackEvent`, `statusCallbackMethod` on `<Number>`, `<Sip>`
//! and `<Client>`), the `<Dial record>` recording and its `recordingStatusCallback`, and the
//! X- headers a called SIP party puts on its final response (`DialSipHeader_*`).
//!
//! Each request goes out through [`Engine::fetch`] like every other one (the same `Fetch`
//! effect, so `onWebhook`, a live server and its signature see it), is drawn on the timeline as
//! a `webhook-requested` step, and never holds the call up: "Twilio will make an asynchronous
//! webhook" (`statuscb.async`). Its answer is recorded and otherwise ignored; no page read says
//! what Twilio does with the body of a status callback's answer (assumed: nothing).

use super::draft::Draft;
use super::engine::{Engine, Purpose};
use super::io::HttpReply;
use super::leg::{CallStatus, LegId, SharedStr, Transport};
use super::step::{StepKind, WebhookResponse};
use super::table::VecMap;
use super::text::{cat, push_decimal};
use super::webhook;
use super::webhook::param;
use crate::sip::chars::{is_token_char, is_x_header};
use crate::twiml::{Dial, DialChild, Method};
use crate::Provenance;

/// What starts every narration of a status or recording callback's answer, so that a reader of
/// the steps (the explanation) can tell them from the answers that drive the call.
pub const CALLBACK_ANSWER_PREFIX: &str = "Callback answer: ";

/// The most `DialSipHeader_*` parameters one final response gives (the scenario's limit on
/// `endpoints[..].responseHeaders`, `src/scenario/input.rs`).
pub const MAX_RESPONSE_HEADERS: usize = 16;

/// A call progress event a `statusCallbackEvent` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CallEvent {
    Initiated,
    Ringing,
    Answered,
    Completed,
}

impl CallEvent {
    const ALL: [CallEvent; 4] = [CallEvent::Initiated, CallEvent::Ringing, CallEvent::Answered, CallEvent::Completed];

    fn as_str(self) -> &'static str {
        match self {
            CallEvent::Initiated => "initiated",
            CallEvent::Ringing => "ringing",
            CallEvent::Answered => "answered",
            CallEvent::Completed => "completed",
        }
    }
}

/// The events of a `statusCallbackEvent` value (space-separated; unknown words are dropped, as
/// `checkTransfer` reports them), or the noun's default when the attribute is absent or names
/// nothing: `completed` for `<Number>` (`number.status-callback`: "statusCallbackEvent |
/// initiated , ringing , answered , completed | completed"), none for `<Client>`
/// (`client.status-callback`: "none"), none for `<Sip>` (its page was not read: assumed like
/// `<Client>`; `checkTransfer` warns of it).
pub(crate) fn events_of(value: Option<&str>, noun: &DialChild) -> Vec<CallEvent> {
    let named: Vec<CallEvent> = CallEvent::ALL
        .into_iter()
        .filter(|e| value.unwrap_or_default().split_whitespace().any(|w| w.eq_ignore_ascii_case(e.as_str())))
        .collect();
    if !named.is_empty() {
        return named;
    }
    match noun {
        DialChild::Number(_) => vec![CallEvent::Completed],
        _ => Vec::new(),
    }
}

/// The status callback a dialled party's noun asks for.
#[derive(Debug, Clone)]
pub(crate) struct Subscription {
    url: String,
    method: Method,
    events: Vec<CallEvent>,
    /// Callbacks sent so far: the next one's `SequenceNumber`.
    sent: u32,
    /// The `completed` event was handled (sent or not subscribed): nothing more for this leg.
    over: bool,
}

impl Subscription {
    /// The subscription of a calling noun, if it has a `statusCallback` and at least one event.
    pub(crate) fn of(noun: &DialChild) -> Option<Subscription> {
        let (url, method, events) = match noun {
            DialChild::Number(n) => (&n.status_callback, n.status_callback_method, &n.status_callback_event),
            DialChild::Sip(s) => (&s.status_callback, s.status_callback_method, &s.status_callback_event),
            DialChild::Client(c) => (&c.status_callback, c.status_callback_method, &c.status_callback_event),
            _ => return None,
        };
        let url = url.as_deref().map(str::trim).filter(|u| !u.is_empty())?;
        let events = events_of(events.as_deref(), noun);
        (!events.is_empty()).then(|| Subscription {
            url: url.to_string(),
            method: method.unwrap_or(Method::Post),
            events,
            sent: 0,
            over: false,
        })
    }
}

/// When a `<Dial record>` recording starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordFrom {
    Ringing,
    Answer,
}

/// What a `record` value asks for: when the recording starts and its channels, or `None` for
/// `do-not-record` (the default) and values Twilio does not list. `true`/`false` are aliases of
/// `record-from-answer`/`do-not-record` (`dial.record-aliases`).
pub(crate) fn record_mode(value: Option<&str>) -> Option<(RecordFrom, u8)> {
    match value.map(str::trim)? {
        "record-from-answer" | "true" => Some((RecordFrom::Answer, 1)),
        "record-from-ringing" => Some((RecordFrom::Ringing, 1)),
        "record-from-answer-dual" => Some((RecordFrom::Answer, 2)),
        "record-from-ringing-dual" => Some((RecordFrom::Ringing, 2)),
        _ => None,
    }
}

/// A recording event a `recordingStatusCallbackEvent` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RecordingEvent {
    InProgress,
    Completed,
}

/// The recording of one `<Dial record>`.
#[derive(Debug, Clone)]
pub(crate) struct Recording {
    sid: String,
    from: RecordFrom,
    channels: u8,
    started_at: Option<u64>,
    callback: Option<(String, Method, Vec<RecordingEvent>)>,
}

/// What a finished recording gives the `<Dial action>` request.
#[derive(Debug, Clone)]
pub(crate) struct RecordingDone {
    sid: String,
    url: String,
    duration_s: u64,
    recording: Recording,
}

/// The callback state of a run: subscriptions by dialled leg, recordings by the leg whose
/// `<Dial>` records, the X- headers each SIP party's final response carries.
#[derive(Debug, Clone)]
pub(crate) struct Callbacks {
    subs: VecMap<LegId, Subscription>,
    recordings: VecMap<LegId, Recording>,
    headers: VecMap<LegId, Vec<(String, String)>>,
    recorded: u32,
}

impl Default for Callbacks {
    fn default() -> Self {
        Callbacks { subs: VecMap::new(), recordings: VecMap::new(), headers: VecMap::new(), recorded: 0 }
    }
}

/// The simulated time as RFC 2822, counted from the Unix epoch (the run's clock starts there:
/// assumed, a run has no date). `0` is `Thu, 01 Jan 1970 00:00:00 +0000`.
pub fn rfc2822(ms: u64) -> String {
    let secs = ms / 1000;
    let days = secs / 86_400;
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days, for days since 1970-01-01 (never negative here).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let weekday = WEEKDAYS.get((days % 7) as usize).copied().unwrap_or("Thu");
    let month_name = MONTHS.get((month - 1) as usize).copied().unwrap_or("Jan");
    // Written piece by piece (`format!` with its `{:02}`s took ten times as long).
    let mut out = String::with_capacity(40);
    out.push_str(weekday);
    out.push_str(", ");
    push_two_digits(&mut out, day);
    out.push(' ');
    out.push_str(month_name);
    out.push(' ');
    push_decimal(&mut out, year);
    for (i, part) in [rem / 3600, (rem % 3600) / 60, rem % 60].into_iter().enumerate() {
        out.push(if i == 0 { ' ' } else { ':' });
        push_two_digits(&mut out, part);
    }
    out.push_str(" +0000");
    out
}

/// Appends `n` in decimal with at least two digits, as `{n:02}` writes it.
fn push_two_digits(out: &mut String, n: u64) {
    if n < 10 {
        out.push('0');
    }
    push_decimal(out, n);
}

impl Engine {
    /// A `<Dial>` on `owner` started ringing `legs` (in the order of its calling nouns, then the
    /// number written as text): each party's status callback gets `initiated` and `ringing`
    /// (a party Twilio could not call gets only `completed`), and a `record-from-ringing`
    /// recording starts.
    pub(crate) fn dial_started(&mut self, owner: &LegId, dial: &Dial, legs: &[LegId]) {
        // A recording of an earlier <Dial> on this leg whose end the leg never saw (the referUrl
        // TwiML replaced the initial TwiML while its <Dial> was bridged) stops now (assumed).
        self.recording_cut(owner);
        // The nouns that have a party (`DialChild::party` is `Some`), without writing it out.
        let nouns = dial.nouns().filter(|c| matches!(c, DialChild::Sip(_) | DialChild::Number(_) | DialChild::Client(_)));
        for (leg, noun) in legs.iter().zip(nouns) {
            let Some(sub) = Subscription::of(noun) else { continue };
            self.callbacks.subs.insert(leg.clone(), sub);
            if self.status(leg).is_some_and(CallStatus::is_final) {
                self.leg_completed(leg);
            } else {
                self.status_callback(leg, CallEvent::Initiated);
                self.status_callback(leg, CallEvent::Ringing);
            }
        }
        let Some((from, channels)) = record_mode(dial.record.as_deref()) else {
            self.callbacks.recordings.remove(owner);
            return;
        };
        self.callbacks.recorded += 1;
        let events: Vec<RecordingEvent> = {
            let value = dial.recording_status_callback_event.as_deref().unwrap_or_default();
            let mut e = Vec::new();
            if value.split_whitespace().any(|w| w == "in-progress") {
                e.push(RecordingEvent::InProgress);
            }
            // `completed` is the default ("recordingStatusCallbackEvent | in-progress, completed,
            // absent | completed", `recording.callback-events`, the <Recording> page: assumed for <Dial>).
            if value.split_whitespace().any(|w| w == "completed") || e.is_empty() {
                e.push(RecordingEvent::Completed);
            }
            e
        };
        let callback = dial
            .recording_status_callback
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(|u| (u.to_string(), dial.recording_status_callback_method.unwrap_or(Method::Post), events));
        let recording = Recording {
            sid: webhook::sid("RE", &format!("{owner}/recording-{}", self.callbacks.recorded)),
            from,
            channels,
            started_at: None,
            callback,
        };
        self.callbacks.recordings.insert(owner.clone(), recording);
        if from == RecordFrom::Ringing {
            self.start_recording(owner, "record-from-ringing: Twilio starts recording the <Dial> as it rings");
        }
    }

    /// A party of `owner`'s `<Dial>` answered: its `answered` status callback, and a
    /// `record-from-answer` recording starts.
    pub(crate) fn dial_answered(&mut self, owner: &LegId, leg: &LegId) {
        self.status_callback(leg, CallEvent::Answered);
        if self.callbacks.recordings.get(owner).is_some_and(|r| r.from == RecordFrom::Answer && r.started_at.is_none()) {
            let label = self.label(leg);
            self.start_recording(
                owner,
                &format!("record-from-answer: Twilio starts recording the <Dial> now that {label} answered"),
            );
        }
    }

    fn start_recording(&mut self, owner: &LegId, why: &str) {
        let now = self.now();
        let Some(r) = self.callbacks.recordings.get_mut(owner) else { return };
        r.started_at = Some(now);
        let (sid, channels) = (r.sid.clone(), r.channels);
        let tracks = if channels == 2 { "two channels, one per party" } else { "one channel, both parties mixed" };
        self.emit(Draft::new(StepKind::TwimlVerb, Provenance::Assumed, format!("{why}: recording {sid} ({tracks}).")));
        self.recording_callback(owner, RecordingEvent::InProgress, None);
    }

    /// The `<Dial>` of `owner` is over: its recording stops, if one started. What it gives the
    /// action request (`RecordingUrl`, `RecordingSid`, `RecordingDuration`).
    pub(crate) fn stop_recording(&mut self, owner: &LegId) -> Option<RecordingDone> {
        let recording = self.callbacks.recordings.remove(owner)?;
        let started = recording.started_at?;
        let duration_s = (self.now() - started) / 1000;
        let url = format!("https://api.twilio.com/2010-04-01/Accounts/{}/Recordings/{}", webhook::account_sid(), recording.sid);
        Some(RecordingDone { sid: recording.sid.clone(), url, duration_s, recording })
    }

    /// The parameters a finished recording adds to the `<Dial action>` request. \[assumed\]:
    /// the names are SPEC's and the brief's reading of the Dial page, not read here.
    pub(crate) fn recording_params(done: Option<&RecordingDone>) -> Vec<(SharedStr, SharedStr)> {
        let Some(d) = done else { return Vec::new() };
        vec![
            (param!("RecordingUrl"), d.url.as_str().into()),
            (param!("RecordingSid"), d.sid.as_str().into()),
            (param!("RecordingDuration"), SharedStr::number(d.duration_s)),
        ]
    }

    /// After the `<Dial>` ended: the recording's `completed` callback, once Twilio has processed
    /// it ("Twilio sends a recording status callback after it finishes processing a call
    /// recording", `webhooks.recording-after-processing`).
    pub(crate) fn recording_finished(&mut self, owner: &LegId, done: Option<RecordingDone>) {
        let Some(done) = done else { return };
        let sid = done.sid.clone();
        let had_callback = done.recording.callback.is_some();
        self.callbacks.recordings.insert(owner.clone(), done.recording.clone());
        if had_callback {
            self.recording_callback(owner, RecordingEvent::Completed, Some((&done.url, done.duration_s)));
        } else {
            self.emit(Draft::new(
                StepKind::TwimlVerb,
                Provenance::Assumed,
                format!(
                    "The <Dial> ended: recording {sid} stops ({} s); no recordingStatusCallback asks to be told.",
                    done.duration_s
                ),
            ));
        }
        self.callbacks.recordings.remove(owner);
    }

    fn recording_callback(&mut self, owner: &LegId, event: RecordingEvent, done: Option<(&str, u64)>) {
        let Some(r) = self.callbacks.recordings.get(owner).cloned() else { return };
        let Some((url, method, events)) = r.callback.clone() else { return };
        if !events.contains(&event) {
            return;
        }
        let sid = self.state(owner).map(|s| s.sid.clone()).unwrap_or_default();
        let recording_url = format!("https://api.twilio.com/2010-04-01/Accounts/{}/Recordings/{}", webhook::account_sid(), r.sid);
        let status = match event {
            RecordingEvent::InProgress => "in-progress",
            RecordingEvent::Completed => "completed",
        };
        let mut params = vec![
            (param!("AccountSid"), webhook::shared_account_sid()),
            // "This always refers to the parent leg of a two-leg call" (`recording.call-sid`).
            (param!("CallSid"), sid),
            (param!("RecordingSid"), r.sid.as_str().into()),
            (param!("RecordingUrl"), done.map_or_else(|| recording_url.into(), |(u, _)| u.into())),
            (param!("RecordingStatus"), webhook::fixed_value(status)),
        ];
        if let Some((_, duration)) = done {
            params.push((param!("RecordingDuration"), SharedStr::number(duration)));
        }
        params.push((param!("RecordingChannels"), SharedStr::number(r.channels.into())));
        params.push((param!("RecordingSource"), param!("DialVerb")));
        if let Some(at) = r.started_at {
            params.push((param!("RecordingStartTime"), rfc2822(at).into()));
        }
        let what = format!("the {status} callback of recording {}", r.sid);
        let req = self.fetch(&url, method, Purpose::Callback { leg: owner.clone(), what }, "recordingStatusCallback", params);
        let (tag, narration) = match event {
            RecordingEvent::InProgress => (
                Provenance::Assumed,
                format!("Recording {} is in progress: Twilio requests the <Dial>'s recordingStatusCallback {url} (RecordingStatus=in-progress) without waiting for its answer.", r.sid),
            ),
            RecordingEvent::Completed => (
                Provenance::Doc("webhooks.recording-after-processing"),
                format!("Recording {} is processed ({} s): Twilio requests the <Dial>'s recordingStatusCallback {url} (RecordingStatus=completed) without waiting for its answer.", r.sid, done.map_or(0, |d| d.1)),
            ),
        };
        self.emit(Draft::new(StepKind::WebhookRequested, tag, narration).webhook(req));
    }

    /// The recording of `owner`'s `<Dial>` stops although that `<Dial>` did not end by itself
    /// (its TwiML was replaced, or `owner`'s call ended): its callback, no action request.
    fn recording_cut(&mut self, owner: &LegId) {
        if let Some(done) = self.stop_recording(owner) {
            self.recording_finished(owner, Some(done));
        }
    }

    /// `leg` ended (whichever way): its `completed` status callback, once, and the recording
    /// of a `<Dial>` it was running.
    pub(crate) fn leg_completed(&mut self, leg: &LegId) {
        self.recording_cut(leg);
        if self.callbacks.subs.get(leg).is_some_and(|s| !s.over) {
            self.status_callback(leg, CallEvent::Completed);
            if let Some(s) = self.callbacks.subs.get_mut(leg) {
                s.over = true;
            }
        }
    }

    /// Requests `leg`'s statusCallback for `event` if its noun subscribed to it.
    fn status_callback(&mut self, leg: &LegId, event: CallEvent) {
        let Some(sub) = self.callbacks.subs.get_mut(leg) else { return };
        if sub.over || !sub.events.contains(&event) {
            return;
        }
        let seq = sub.sent;
        sub.sent += 1;
        let (url, method) = (sub.url.clone(), sub.method);
        let Some(st) = self.state(leg) else { return };
        let status = match event {
            // "go straight to initiated, then ringing and in-progress" (`statuscb.child-states`).
            CallEvent::Initiated => "initiated",
            CallEvent::Ringing => "ringing",
            CallEvent::Answered => "in-progress",
            CallEvent::Completed => st.leg.status.as_str(),
        };
        let duration = st.answered_at.map_or(0, |at| (self.now() - at) / 1000);
        let sip_code = (st.leg.transport == Transport::Sip)
            .then(|| st.sip_code.or(matches!(st.leg.status, CallStatus::NoAnswer | CallStatus::Canceled).then_some(487)))
            .flatten();
        let mut params = self.call_params(leg);
        for (k, v) in params.iter_mut() {
            if k == "CallStatus" {
                *v = webhook::fixed_value(status);
            }
        }
        // Named by the brief and SPEC, not read: assumed.
        params.push((param!("CallbackSource"), param!("call-progress-events")));
        params.push((param!("SequenceNumber"), SharedStr::number(seq.into())));
        params.push((param!("Timestamp"), rfc2822(self.now()).into()));
        if event == CallEvent::Completed {
            params.push((param!("CallDuration"), SharedStr::number(duration)));
            if let Some(code) = sip_code {
                params.push((param!("SipResponseCode"), SharedStr::number(code.into())));
            }
        }
        let label = self.label(leg);
        let what = cat!(label, "'s ", event.as_str(), " status callback");
        let req = self.fetch(&url, method, Purpose::Callback { leg: leg.clone(), what }, "statusCallback", params);
        self.emit(
            Draft::new(
                StepKind::WebhookRequested,
                Provenance::Doc("statuscb.async"),
                cat!(
                    label,
                    "'s call: ",
                    event.as_str(),
                    " (CallStatus=",
                    status,
                    "). Twilio requests its statusCallback ",
                    url,
                    " and goes on without waiting for the answer."
                ),
            )
            .webhook(req),
        );
    }

    /// The answer to a status or recording callback: recorded, never run.
    pub(crate) fn callback_answered(&mut self, what: &str, url: String, reply: Option<HttpReply>, late: Option<String>) {
        let (kind, said) = match (&reply, late) {
            (_, Some(why)) => (StepKind::WebhookFailed, why),
            (Some(HttpReply::Body { status, .. }), None) if (200..300).contains(status) => {
                (StepKind::WebhookFetched, cat!(url, " answered HTTP ", status))
            }
            (Some(HttpReply::Body { status, .. }), None) => (StepKind::WebhookFailed, cat!(url, " answered HTTP ", status)),
            // Unreachable (`on_http` passes a typed answer as a `Body`).
            (_, None) => (StepKind::WebhookFailed, cat!(url, " could not be reached")),
        };
        self.answer = Some(match reply {
            Some(HttpReply::Body { status, twiml }) => WebhookResponse::new(url, Some(status), Some(twiml.as_str().into())),
            _ => WebhookResponse::new(url, None, None),
        });
        self.emit(Draft::new(
            kind,
            Provenance::Assumed,
            cat!(
                CALLBACK_ANSWER_PREFIX,
                said,
                " to ",
                what,
                ". A callback only informs the application: Twilio runs nothing it answers, and the calls go on unchanged."
            ),
        ));
    }

    /// The party of `leg` will put `headers` on its final response (the scenario's
    /// `responseHeaders`); only `X-` headers are kept (`sip.action-params`: "any X-headers
    /// passed back on the final SIP response"), at most [`MAX_RESPONSE_HEADERS`], and only those
    /// a SIP message can carry as they are (a token name, a value without CR or LF; the
    /// scenario's own checks refuse the others before they get here).
    pub(crate) fn set_response_headers(&mut self, leg: LegId, headers: Vec<(String, String)>) {
        let kept: Vec<(String, String)> = headers
            .into_iter()
            .filter(|(name, value)| {
                is_x_header(name) && name.bytes().all(is_token_char) && !value.bytes().any(|b| b == b'\r' || b == b'\n')
            })
            .take(MAX_RESPONSE_HEADERS)
            .collect();
        self.callbacks.headers.insert(leg, kept);
    }

    /// The X- headers the party of `leg` puts on its final response to Twilio's INVITE, the
    /// 200 OK or the error it declines with (drawn in that response's text, and given to the
    /// `<Dial action>` by [`Engine::dial_sip_headers`]), in the order the input gave them. Not
    /// on the 487 that ends a call Twilio cancelled: that response is the CANCEL's doing, and
    /// the action gets no `DialSipHeader_*` after a no-answer.
    pub(crate) fn final_response_headers(&self, leg: &LegId) -> Vec<(String, String)> {
        self.callbacks.headers.get(leg).cloned().unwrap_or_default()
    }

    /// The `DialSipHeader_<name>` parameters of the `<Dial action>` after a `<Sip>` dial to
    /// `dialled`: one per X- header of its final response, `<name>` the header's name as sent
    /// (assumed, as the SIP request's `SipHeader_<name>`, `siptwiml.params`).
    pub(crate) fn dial_sip_headers(&self, dialled: &LegId) -> Vec<(SharedStr, SharedStr)> {
        let Some(st) = self.state(dialled) else { return Vec::new() };
        if st.leg.transport != Transport::Sip || st.sip_code.is_none() {
            return Vec::new();
        }
        self.callbacks
            .headers
            .get(dialled)
            .map(|h| h.iter().map(|(n, v)| (cat!("DialSipHeader_", n).into(), v.as_str().into())).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc2822_counts_from_the_epoch() {
        assert_eq!(rfc2822(0), "Thu, 01 Jan 1970 00:00:00 +0000");
        assert_eq!(rfc2822(20_500), "Thu, 01 Jan 1970 00:00:20 +0000");
        assert_eq!(rfc2822(86_400_000 * 59), "Sun, 01 Mar 1970 00:00:00 +0000");
        assert_eq!(rfc2822(951_782_400_000 + 3_723_000), "Tue, 29 Feb 2000 01:02:03 +0000");
        assert_eq!(rfc2822(1_099_511_627_776), "Wed, 03 Nov 2004 19:53:47 +0000");
    }

    /// Written piece by piece, the text is what `format!` with `{:02}` wrote: every field with
    /// one digit and two, hours, minutes and seconds at their ends, years of five digits and more.
    #[test]
    fn rfc2822_pads_as_format_did() {
        let formatted = |ms: u64| {
            let text = rfc2822(ms);
            let secs = ms / 1000;
            let rem = secs % 86_400;
            let (head, _) = text.split_at(text.len() - " 00:00:00 +0000".len());
            format!("{head} {:02}:{:02}:{:02} +0000", rem / 3600, (rem % 3600) / 60, rem % 60)
        };
        let day = 86_400_000;
        for ms in [0, 999, 1_000, 9_000, 10_000, 59_000, 60_000, 599_000, 3_599_000, 3_600_000, 36_000_000, 86_399_999]
            .into_iter()
            .chain((0..40).map(|d| d * day + 45_296_000))
            .chain([253_402_300_799_000, 253_402_300_800_000, u64::MAX / 1000, u64::MAX])
        {
            let text = rfc2822(ms);
            assert_eq!(text, formatted(ms), "{ms}");
            let day_field = text.get(5..7).unwrap_or_default();
            assert!(day_field.len() == 2 && day_field.bytes().all(|b| b.is_ascii_digit()), "{text}");
        }
        assert_eq!(rfc2822(253_402_300_800_000), "Sat, 01 Jan 10000 00:00:00 +0000");
        assert_eq!(rfc2822(9 * day + 3_723_000), "Sat, 10 Jan 1970 01:02:03 +0000");
    }

    #[test]
    fn record_values() {
        assert_eq!(record_mode(Some("true")), Some((RecordFrom::Answer, 1)));
        assert_eq!(record_mode(Some("record-from-ringing-dual")), Some((RecordFrom::Ringing, 2)));
        assert_eq!(record_mode(Some("record-from-answer-dual")), Some((RecordFrom::Answer, 2)));
        assert_eq!(record_mode(Some("record-from-ringing")), Some((RecordFrom::Ringing, 1)));
        assert_eq!(record_mode(Some("false")), None);
        assert_eq!(record_mode(Some("do-not-record")), None);
        assert_eq!(record_mode(None), None);
    }
}
