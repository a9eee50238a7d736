//! Webhook fetching: the voice request parameters, the request and its 15 s total timeout,
//! the answer read as TwiML or as one of Twilio's errors, and what each answer starts.

use super::draft::Draft;
use super::engine::{Engine, Purpose, Timer};
use super::io::{Effect, HttpReply};
use super::known::{Fetched, Unrunnable};
use super::leg::{CallStatus, LegId, SharedStr};
use super::program::Program;
use super::refer::verbs;
use super::step::{AnswerMedia, AnswerType, StepKind, WebhookRequest, WebhookResponse};
use super::text::cat;
use super::webhook;
use super::webhook::param;
use crate::twiml::{Method, Verb};
use crate::Provenance;
use std::sync::Arc;

/// Twilio's total time for a webhook, retries included: 15 s by default and at most
/// (`webhook.total-timeout`); past it the request fails with 11205 ("Twilio will wait for a
/// total of 15 seconds to receive an HTTP response", `error.11205`). Applies to every fetch
/// whose URL has no connection override ([`webhook_timeout`]).
pub const WEBHOOK_TOTAL_TIMEOUT_MS: u64 = 15_000;

/// The shortest read (`rt`) or total (`tt`) timeout a connection override may set:
/// "Min: 100" for `rt` (`webhook.read-timeout`); the same floor for `tt` is assumed.
const MIN_OVERRIDE_MS: u64 = 100;

/// Which limit ends a request that gets no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookLimit {
    /// Twilio's default: 15 s in all (`webhook.total-timeout`, `error.11205`).
    Default,
    /// The URL's `#rt=` read timeout (`webhook.read-timeout`), under the total time.
    Read,
    /// The URL's `#tt=` total time (`webhook.total-timeout`); its expiry is error 11203 (`error.11203`).
    Total,
}

/// How long Twilio waits for the answer to a request to `url`, and which limit that is.
///
/// Connection overrides ride in the URL's fragment (`webhook.fragments`): "key and value are
/// separated by =, pairs are separated by &. The 1st key-value pair start with #." `rt` (read
/// timeout, 100 to 15 000 ms) and `tt` (total time, at most 15 000 ms) shorten the wait; the
/// wait is the smaller of the two. Values out of range are clamped into it and values that are
/// not integers ignored (both assumed: the page gives only the ranges). `ct`, `rc`, `rp`, `e`
/// and `sni` change nothing here: a slow answer is one the application is late with, so a
/// retry of the same request would be as late (assumed).
pub fn webhook_timeout(url: &str) -> (u64, WebhookLimit) {
    // Most URLs have no fragment: nothing to read (a request's URL was read twice, 1.6% of a
    // catalogue run, without one).
    let Some((_, fragment)) = url.split_once('#') else { return (WEBHOOK_TOTAL_TIMEOUT_MS, WebhookLimit::Default) };
    let value = |key: &str| {
        fragment
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == key)
            .and_then(|(_, v)| v.parse::<u64>().ok())
            .map(|v| v.clamp(MIN_OVERRIDE_MS, WEBHOOK_TOTAL_TIMEOUT_MS))
    };
    match (value("rt"), value("tt")) {
        (Some(rt), tt) if rt < tt.unwrap_or(WEBHOOK_TOTAL_TIMEOUT_MS) => (rt, WebhookLimit::Read),
        (_, Some(tt)) => (tt, WebhookLimit::Total),
        _ => (WEBHOOK_TOTAL_TIMEOUT_MS, WebhookLimit::Default),
    }
}

/// What Twilio makes of a 2xx answer, by its Content-Type ("Twilio does the right thing when
/// your application responds with different MIME types", `twiml.mime-types`).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Media {
    /// `text/xml`, `application/xml`, `text/html`: "Twilio interprets the returned document as
    /// an XML Instruction Set" (`twiml.mime-types`). An answer without a stated type
    /// ([`HttpReply::Body`]) is `text/xml`.
    Twiml,
    /// A type Twilio runs as one verb, without parsing the body.
    Verb(OneVerb),
    /// No Content-Type, or one Twilio cannot use: error 12300 (`error.12300`), the value as sent.
    Invalid(Option<String>),
}

/// A type of answer Twilio runs as one verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OneVerb {
    /// An `audio/*` type: "Twilio plays the audio file to the caller, and then hangs up"
    /// (`twiml.mime-types`); run as a `<Play>` of the requested URL. That every `audio/*`
    /// type plays (the page sends to `<Play>`'s list, not read) is assumed.
    Audio,
    /// `text/plain`: "Twilio reads the content of the text out loud to the caller, and then
    /// hangs up" (`twiml.mime-types`); run as a `<Say>` of the body.
    Text,
}

/// What a request's answer gave: its verbs and how the step names the answer ([`OneVerb::form`]),
/// or the vendor's code, the failure's tag (its page in src/sources.md) and what happened.
type Fetch = Result<(Arc<[Verb]>, &'static str), (u32, Provenance, String)>;

/// A failed answer: the vendor's code, the failure's tag and what happened.
type Failure = (u32, Provenance, String);

impl Media {
    /// `reply` with its body as [`HttpReply::Body`] (or unreachable), how Twilio reads it, and
    /// for the step the type the answer stated (`None`: it stated none, [`HttpReply::Body`]).
    /// The type is matched without its parameters (`; charset=utf-8`) and without regard to
    /// case (RFC 9110 §8.3.1).
    fn of(reply: HttpReply) -> (HttpReply, Media, Option<AnswerType>) {
        let HttpReply::Typed { status, content_type, body } = reply else { return (reply, Media::Twiml, None) };
        let essence = content_type.as_deref().map(|t| t.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
        let (media, shown) = match essence.as_deref() {
            Some("text/xml" | "application/xml" | "text/html") => (Media::Twiml, AnswerMedia::Twiml),
            Some("text/plain") => (Media::Verb(OneVerb::Text), AnswerMedia::Text),
            Some(t) if t.starts_with("audio/") => (Media::Verb(OneVerb::Audio), AnswerMedia::Audio),
            _ => (Media::Invalid(content_type.clone()), AnswerMedia::Refused),
        };
        (HttpReply::Body { status, twiml: body }, media, Some(AnswerType { content_type, media: shown }))
    }
}

/// Error 12300 for an answer from `url` whose Content-Type, `sent` (escaped), Twilio cannot use.
fn unusable(url: &str, sent: Option<&str>) -> Failure {
    let what = match sent {
        // Escaped: a NUL or a line break in it was written raw into the narration.
        Some(t) => {
            cat!(url, " answered with Content-Type ", super::text::escaped(t), ", which is not TwiML, audio or text/plain")
        }
        None => cat!(url, " answered without a Content-Type (Twilio needs one: text/xml for TwiML)"),
    };
    (12300, Provenance::Doc("error.12300"), what)
}

impl OneVerb {
    /// How a step names what the answer was: the type and what Twilio makes of it.
    fn form(self) -> &'static str {
        match self {
            OneVerb::Audio => "audio, which Twilio plays",
            OneVerb::Text => "text/plain, which Twilio reads out",
        }
    }

    /// The verb a 2xx answer of this type from `url` runs, built as the parse of
    /// `<Response><Play>url</Play></Response>` (the URL without its `#` fragment) or
    /// `<Response><Say>body</Say></Response>` lowers it, without writing and parsing that text.
    /// A text/plain body holding a character XML 1.0 forbids (U+0000, U+FFFE, ...) fails with
    /// 12100, as that `<Say>` would not parse: assumed, no page says what Twilio does with it.
    fn verbs(self, url: &str, body: &str) -> Result<Arc<[Verb]>, Failure> {
        use crate::twiml::{Node, Play, Say, Text};
        let span = crate::span::Span::default();
        let verb = match self {
            OneVerb::Audio => {
                Verb::Play(Play::holding(vec![Node::Text(Text::new(url.split('#').next().unwrap_or(url)))], span))
            }
            OneVerb::Text if !body.chars().all(crate::twiml::builder::is_xml_char) => {
                return Err((
                    12100,
                    Provenance::Assumed,
                    cat!(
                        "the text/plain answer from ",
                        url,
                        " holds a character XML 1.0 forbids, so it cannot be read out as a <Say> (12100 assumed: no page says what Twilio does with it)"
                    ),
                ))
            }
            OneVerb::Text => Verb::Say(Say::holding(vec![Node::Text(Text::new(body))], span)),
        };
        Ok(Arc::from([verb]))
    }
}

/// The largest response body Twilio reads: over 64 kB a request fails with 11750 ("In your
/// response to Twilio's request, the response body is larger than 64 kB", `error.11750`).
pub(crate) const MAX_BODY_BYTES: usize = 64 * 1024;

impl Engine {
    /// The voice request parameters of `leg`'s call. \[doc\]
    /// Every value is shared text: the fixed ones made once for every run, the caller's numbers
    /// once per run, the SIDs and a dialled party's address the leg's (each value was a `String`
    /// of its own, about 17 allocations of a catalogue run).
    pub(crate) fn call_params(&mut self, leg: &LegId) -> Vec<(SharedStr, SharedStr)> {
        let (caller_from, caller_to) = self.caller_texts();
        let Some(st) = self.state(leg) else { return Vec::new() };
        let (direction, to) =
            if st.parent { (param!("inbound"), caller_to) } else { (param!("outbound-dial"), st.leg.party.clone()) };
        // Room for the parameters a caller adds (a status callback's, a <Dial action>'s): the
        // list grew once per request.
        let mut params = Vec::with_capacity(16);
        params.extend([
            (param!("AccountSid"), webhook::shared_account_sid()),
            (param!("ApiVersion"), param!("2010-04-01")),
            (param!("CallSid"), st.sid.clone()),
            (param!("CallStatus"), webhook::fixed_value(st.leg.status.as_str())),
            (param!("Direction"), direction),
            (param!("From"), caller_from),
        ]);
        // A child leg's request names the call that created it (SPEC §5; `webhook.parent-call-sid`
        // is only named). Every leg that runs TwiML here was dialled by the inbound call's TwiML,
        // so that call is the parent (assumed for a leg dialled from another child's TwiML).
        if !st.parent {
            if let Some(parent) = self.legs.iter().find(|l| l.parent) {
                params.push((param!("ParentCallSid"), parent.sid.clone()));
            }
        }
        params.push((param!("To"), to));
        params
    }

    /// Starts an HTTP request.
    pub(crate) fn fetch(
        &mut self,
        url: &str,
        method: Method,
        purpose: Purpose,
        what: &'static str,
        params: Vec<(SharedStr, SharedStr)>,
    ) -> std::sync::Arc<WebhookRequest> {
        let request = self.next_request();
        let now = self.now();
        self.fetches.insert(request, (purpose, url.to_string(), method, now));
        self.set_timer(now + webhook_timeout(url).0, Timer::FetchTimeout(request));
        let req = std::sync::Arc::new(webhook::request(method, url, what, params));
        self.effect(Effect::Fetch { request, url: url.to_string(), webhook: req.clone() });
        req
    }

    /// The answer to `request`. `redirected_to`: the URL that answered after redirects, and
    /// `redirected_method` how it was requested (the steps name it; its TwiML runs as that
    /// document). `body_over`: the body was longer than that many bytes, and `reply` holds only its start.
    pub(crate) fn on_http(
        &mut self,
        request: u32,
        reply: HttpReply,
        redirected_to: Option<String>,
        redirected_method: Option<Method>,
        body_over: Option<u64>,
    ) {
        let Some(late) = self.fetches.get(&request).map(|(_, url, _, sent)| self.now() - sent >= webhook_timeout(url).0) else {
            return self.ignored(if self.gave_up.contains(&request) {
                cat!("the answer to request ", request, " arrived after Twilio had given up on it; it is dropped")
            } else {
                cat!("an HTTP answer arrived for request ", request, ", which is not pending")
            });
        };
        // An answer at the limit is too late (the timer due at the same instant has not run yet).
        if late {
            return self.on_fetch_timeout(request);
        }
        let Some((purpose, url, method, _)) = self.fetches.remove(&request) else { return };
        self.stop_timer(&Timer::FetchTimeout(request));
        // After followed redirects the answer is the last URL's (RFC 3986 §5.1.3). [assumed for Twilio]
        let (url, method) = (redirected_to.unwrap_or(url), redirected_method.unwrap_or(method));
        let (reply, media, typed) = Media::of(reply);
        if let Purpose::Callback { what, .. } = purpose {
            return self.callback_answered(&what, url, Some(reply), None);
        }
        // A body the prepared scenario read already: its text is shared, and it is not parsed again.
        let known = match &reply {
            HttpReply::Body { twiml, .. } if media == Media::Twiml => self.known().and_then(|k| k.body(twiml)),
            _ => None,
        };
        self.answer = Some(match &reply {
            HttpReply::Body { status, twiml } => {
                let body = known.as_ref().map_or_else(|| twiml.as_str().into(), |(text, _)| text.clone());
                WebhookResponse { typed, ..WebhookResponse::new(url.clone(), Some(*status), Some(body)) }
            }
            _ => WebhookResponse::new(url.clone(), None, None),
        });
        // A body read only in part, past 64 kB (`body_over`), is 11750 whatever the part holds.
        let over = body_over.is_some_and(|n| n >= MAX_BODY_BYTES as u64);
        let small = |twiml: &str| !over && twiml.len() <= MAX_BODY_BYTES;
        // A failure: the vendor's code, its tag (its page in src/sources.md), and what happened.
        let parsed: Fetch = match (reply, media) {
            // Not TwiML: the type Twilio reads the answer as decides (`Media`).
            (HttpReply::Body { status, twiml }, Media::Verb(one))
                if (200..300).contains(&status)
                    // An audio file is played however long (assumed: 11750's 64 kB is for documents).
                    && (one == OneVerb::Audio || small(&twiml)) =>
            {
                one.verbs(&url, &twiml).map(|v| (v, one.form()))
            }
            (HttpReply::Body { status, twiml }, Media::Invalid(sent)) if (200..300).contains(&status) && small(&twiml) => {
                Err(unusable(&url, sent.as_deref()))
            }
            (HttpReply::Body { status, twiml }, _) if (200..300).contains(&status) && !small(&twiml) => Err((
                11750,
                Provenance::Doc("error.11750"),
                cat!(
                    "the response body from ",
                    url,
                    if body_over.is_some() { " is more than " } else { " is " },
                    body_over.unwrap_or(twiml.len() as u64),
                    " bytes, larger than 64 kB"
                ),
            )),
            // TwiML (every other 2xx answer was taken above).
            (HttpReply::Body { status, twiml }, _) if (200..300).contains(&status) => {
                let fetched = known.map_or_else(|| Arc::new(Fetched::read(&twiml)), |(_, fetched)| fetched);
                for (code, m) in &fetched.warnings {
                    self.unknown_attributes.push((request, url.clone(), code, m.clone()));
                }
                match &fetched.verbs {
                    Ok(verbs) => Ok((verbs.clone(), "TwiML")),
                    Err(Unrunnable::Error { message, line, column }) => Err((
                        12100,
                        Provenance::Doc("error.12100"),
                        cat!("the TwiML from ", url, " does not parse: ", message, " (line ", line, ", column ", column, ")"),
                    )),
                    Err(Unrunnable::Empty) => {
                        Err((12100, Provenance::Doc("error.12100"), cat!("the TwiML from ", url, " is empty")))
                    }
                }
            }
            // A redirect that reached the simulation was not followed: another 3xx than 301, 302,
            // 303 and 307, or one without a Location (an answer given to refer-sim has none; a
            // live server's redirects are followed by pkg/server.js).
            (HttpReply::Body { status, .. }, _) if (300..400).contains(&status) => Err((
                11216,
                Provenance::Doc("error.11216"),
                cat!(
                    url,
                    " answered HTTP ",
                    status,
                    ", a redirect Twilio does not follow (it follows 301, 302, 303 and 307 with a Location header)"
                ),
            )),
            (HttpReply::Body { status, .. }, _) => {
                Err((11200, Provenance::Doc("error.11200"), cat!(url, " answered HTTP ", status)))
            }
            _ => Err((11205, Provenance::Doc("error.11205"), cat!(url, " could not be reached"))),
        };
        self.fetch_done(purpose, url, method, parsed);
    }

    /// No answer within [`webhook_timeout`]: the request fails as an unreachable one does
    /// (11205; 11203 when the URL's `#tt=` total time ran out).
    pub(crate) fn on_fetch_timeout(&mut self, request: u32) {
        let Some((purpose, url, method, _)) = self.fetches.remove(&request) else { return };
        self.stop_timer(&Timer::FetchTimeout(request));
        self.gave_up.push(request);
        self.answer = Some(WebhookResponse::new(url.clone(), None, None));
        let (ms, limit) = webhook_timeout(&url);
        let wait = if ms % 1000 == 0 { cat!(ms / 1000, " s") } else { cat!(ms, " ms") };
        if let Purpose::Callback { what, .. } = &purpose {
            return self.callback_answered(what, url.clone(), None, Some(cat!(url, " did not answer within ", wait)));
        }
        let (code, source, why) = match limit {
            WebhookLimit::Default => (11205, Provenance::Doc("error.11205"), "Twilio's total webhook timeout".to_string()),
            // 11205's page names the 10 s connect and 15 s total timers, not the read timeout.
            WebhookLimit::Read => (
                11205,
                Provenance::Assumed,
                cat!(
                    "the read timeout its #rt=",
                    ms,
                    " override sets (11205 for it is assumed: 11205's page names the 10 s connect and 15 s total timers)"
                ),
            ),
            WebhookLimit::Total => (11203, Provenance::Doc("error.11203"), cat!("the total time its #tt=", ms, " override sets")),
        };
        let leg = match &purpose {
            Purpose::Refer => self.pending().map(|t| t.transferee.clone()),
            Purpose::Action { leg }
            | Purpose::Redirect { leg }
            | Purpose::Gather { leg }
            | Purpose::ReferAction { leg }
            | Purpose::Callback { leg, .. } => Some(leg.clone()),
        };
        let meanwhile = leg.and_then(|l| self.heard_while_waiting(&l)).unwrap_or_default();
        let msg = cat!(url, " did not answer within ", wait, ", ", why, meanwhile);
        self.fetch_done(purpose, url, method, Err((code, source, msg)));
    }

    /// What `leg` heard while Twilio waited for the answer, as a clause: the party it stayed
    /// bridged with, or its own media (the snapshot the steps already show).
    fn heard_while_waiting(&self, leg: &LegId) -> Option<String> {
        let l = self.state(leg)?;
        if l.leg.status.is_final() {
            return None;
        }
        let label = self.label(leg);
        Some(match &l.leg.bridged_with {
            Some(other) => cat!(" (", label, " stayed connected with ", self.label(other), " while Twilio waited)"),
            None => format!(" ({label} heard {} while Twilio waited)", l.media),
        })
    }

    /// A request is over: run the TwiML it brought, or handle the failure.
    fn fetch_done(&mut self, purpose: Purpose, url: String, method: Method, parsed: Fetch) {
        match (purpose, parsed) {
            // Answered in `on_http` / `on_fetch_timeout`, never here.
            (Purpose::Callback { .. }, _) => {}
            (Purpose::Refer, Ok((r, form))) => self.refer_fetched(r, form, url, method),
            (Purpose::Refer, Err((code, source, msg))) => self.refer_fetch_failed(code, source, msg),
            (
                purpose @ (Purpose::Action { .. }
                | Purpose::Redirect { .. }
                | Purpose::Gather { .. }
                | Purpose::ReferAction { .. }),
                Ok((r, form)),
            ) => {
                // The <Gather> page was not read: what happens to its action's TwiML is assumed.
                let (leg, tag) = match purpose {
                    Purpose::Action { leg } => (leg, Provenance::Doc("dial.action")),
                    Purpose::Redirect { leg } => (leg, Provenance::Doc("siptwiml.redirect-180")),
                    Purpose::Gather { leg } => (leg, Provenance::Assumed),
                    Purpose::ReferAction { leg } => (leg, Provenance::Doc("referverb.action-continues")),
                    Purpose::Refer | Purpose::Callback { .. } => return,
                };
                let round = self.programs.get(&leg).map_or(0, |p| p.round);
                let n = verbs(r.len());
                self.emit(Draft::new(
                    StepKind::WebhookFetched,
                    tag,
                    cat!(url, " answered with ", form, " (", n, "); it replaces ", self.label(&leg), "'s current TwiML."),
                ));
                self.programs.insert(leg.clone(), Program::new(r, Some(url), method, round));
                self.run_program(&leg);
            }
            (
                Purpose::Action { leg } | Purpose::Redirect { leg } | Purpose::Gather { leg } | Purpose::ReferAction { leg },
                Err((code, source, msg)),
            ) => {
                let alert = self.alert(Some(code), msg.clone());
                self.emit(Draft::new(StepKind::WebhookFailed, source, cat!(msg, ": alert ", code, ".")).alert(alert));
                if self.pending().is_some_and(|t| t.transferee == leg) {
                    return self.fail_transfer(
                        503,
                        Provenance::Assumed,
                        "The referUrl TwiML failed before the transfer completed: the initial call is re-established.".into(),
                    );
                }
                let label = self.label(&leg);
                self.end_leg(
                    &leg,
                    CallStatus::Completed,
                    Provenance::Assumed,
                    cat!("Without TwiML to run, Twilio ends ", label, "'s call (an application error)."),
                );
            }
        }
    }
}
