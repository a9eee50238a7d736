//! The transfer checks of `SPEC.md` (§2 preconditions, §3.3, §5 TwiML facts,
//! §6 common mistakes) run on a TwiML document, for one of the two places a
//! document takes in an inbound SIP REFER transfer ([`Role`]).
//!
//! Each finding is a [`Diagnostic`] with a stable code, the element it is
//! about, its line and column, and the provenance of the rule. Explanations of
//! what will happen (the `answerOnBridge` outcome, a chained transfer) are
//! `info`; what makes the transfer fail is `error`; vendor leniency and limits
//! that only raise warnings are `warning`.

use serde::Serialize;

use crate::provenance::Provenance;
use crate::sip::chars::is_x_header;
use crate::sip::parse_uri;
use crate::sip::uri::parse_uri_at;
use crate::sip::MAX_URI_BYTES;
use crate::span::{LineIndex, Span};
use crate::twiml::ast::{Dial, DialChild, ReferChild, Response, Verb};
use crate::twiml::diagnostic::{Diagnostic, Severity};
use crate::twiml::parser::parse;
use crate::twiml::tree::Node;

/// Which document of the transfer is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Role {
    /// The initial call's TwiML: its `<Dial>` creates the transferor leg and
    /// must carry `referUrl` (SPEC §2.5).
    #[default]
    Initial,
    /// The TwiML returned by `referUrl`: any verb; `referUrl` is optional and,
    /// if present, enables a chained transfer (SPEC §3.3).
    ReferResponse,
}

impl Role {
    /// Parse `initial` / `referResponse` (also `refer_response`, `refer-response`).
    pub fn from_name(name: &str) -> Option<Role> {
        match name {
            "initial" => Some(Role::Initial),
            "referResponse" | "refer_response" | "refer-response" => Some(Role::ReferResponse),
            _ => None,
        }
    }
}

/// The SIP headers that need no `X-` prefix in a `<Sip>` URI (SPEC §5).
pub const STANDARD_SIP_HEADERS: &[&str] = &["User-to-User", "Remote-Party-ID", "P-Preferred-Identity", "P-Called-Party-ID"];

/// What `sips_unsupported` says (assumed: Twilio's pages write a secure SIP call as `sip:` with
/// `;secure=true`, the Secure Media page, and none shows a `sips:` URI).
pub const SIPS_UNSUPPORTED: &str = "no Twilio page shows a sips: URI: Twilio's Secure Media page writes a secure call as sip: with ;secure=true, so write that (whether Twilio dials sips: is not documented)";

/// The connection overrides refer-sim simulates (`webhook.fragments`): `rt` (read timeout) and
/// `tt` (total time). The others (`ct`, `rc`, `rp`, `e`, `sni`, and any other key) are not.
const SIMULATED_OVERRIDES: &[&str] = &["rt", "tt"];

/// A URL a document has Twilio request: where it is written and what it says.
#[derive(Debug, Clone)]
pub struct WebhookUrl<'a> {
    /// The element: `Dial`, `Gather`, `Refer` or `Redirect`.
    pub tag: &'static str,
    /// The attribute it is written in, with its value as written (`None` for `<Redirect>`'s text).
    pub attr: Option<(&'a str, &'a str)>,
    /// The URL, trimmed.
    pub url: std::borrow::Cow<'a, str>,
    /// Where it is: the attribute, or the `<Redirect>` element.
    pub span: Span,
}

impl WebhookUrl<'_> {
    /// How it is written, for a message: `<Dial> referUrl="..."` or `<Redirect>...</Redirect>`.
    pub fn written(&self) -> String {
        match self.attr {
            Some((name, value)) => format!("<{}> {name}=\"{value}\"", self.tag),
            None => format!("<{}>{}</{}>", self.tag, self.url, self.tag),
        }
    }
}

/// The URLs a document has Twilio request (`<Dial>`'s `referUrl` and `action`, `<Gather>`'s and
/// `<Refer>`'s `action`, a `<Redirect>`'s text), in document order; nothing is written out until
/// a message needs it ([`WebhookUrl::written`]).
pub fn webhook_urls(response: &Response) -> Vec<WebhookUrl<'_>> {
    let mut found = Vec::new();
    fn attr<'a>(found: &mut Vec<WebhookUrl<'a>>, tag: &'static str, a: Option<&'a crate::twiml::Attr>) {
        if let Some(a) = a {
            found.push(WebhookUrl {
                tag,
                attr: Some((a.name.as_str(), a.value.as_str())),
                url: a.value.trim().into(),
                span: a.span,
            });
        }
    }
    for verb in response.verbs() {
        match verb {
            Verb::Dial(d) => {
                attr(&mut found, "Dial", d.attr_node("referUrl"));
                attr(&mut found, "Dial", d.attr_node("action"));
            }
            Verb::Gather(g) => attr(&mut found, "Gather", g.attr_node("action")),
            Verb::Refer(r) => attr(&mut found, "Refer", r.attr_node("action")),
            Verb::Redirect(r) => {
                let url = r.text().trim().to_string();
                found.push(WebhookUrl { tag: "Redirect", attr: None, url: url.into(), span: r.span });
            }
            _ => {}
        }
    }
    found
}

/// What a simulated run lists about one TwiML document it reads, `(code, "line L column C:
/// message")` in document order: its schema warnings ([`is_schema_warning`], which Twilio
/// reports as 12200 and runs past), then each requested URL ([`webhook_urls`]) whose fragment
/// holds a connection override the run does not simulate (`unsimulated_override`: a retry count
/// `rc` or policy `rp` would otherwise pass in silence), then each `<Sip>` of a `<Dial>` or
/// `<Refer>` written with the `sips:` scheme (`sips_unsupported`, as [`check_transfer`] says it; the run dials it as
/// written, so without this nothing in the timeline would). The scenario's initial TwiML and
/// every fetched document are read through here.
///
/// [`is_schema_warning`]: crate::twiml::diagnostic::is_schema_warning
pub fn run_warnings(xml: &str, parsed: &crate::twiml::Parsed) -> Vec<(&'static str, String)> {
    let mut out: Vec<(&'static str, String)> = parsed
        .diagnostics
        .iter()
        .filter(|d| crate::twiml::diagnostic::is_schema_warning(d))
        .map(|d| (d.code, format!("line {} column {}: {}", d.line, d.column, d.message)))
        .collect();
    let Some(response) = &parsed.response else { return out };
    let mut lines = None;
    for u in webhook_urls(response) {
        let Some((_, fragment)) = u.url.split_once('#') else { continue };
        let mut ignored: Vec<&str> = Vec::new();
        for key in fragment.split('&').map(|pair| pair.split_once('=').map_or(pair, |(k, _)| k)) {
            if !key.is_empty() && !SIMULATED_OVERRIDES.contains(&key) && !ignored.contains(&key) {
                ignored.push(key);
            }
        }
        if !ignored.is_empty() {
            let at = lines.get_or_insert_with(|| LineIndex::new(xml)).position(u.span.start);
            let message = format!(
                "line {} column {}: {}: refer-sim does not simulate the connection override{} {} (Twilio's retry count rc, retry policy rp, connect timeout ct, edge e, sni): it requests the URL once and waits as rt and tt say, so a run never shows a retry (assumed). Test retries against your server itself",
                at.line,
                at.column,
                u.written(),
                if ignored.len() == 1 { "" } else { "s" },
                ignored.join(", ")
            );
            out.push(("unsimulated_override", message));
        }
    }
    for verb in response.verbs() {
        let sips: Vec<(String, Span)> = match verb {
            Verb::Dial(d) => d
                .nouns()
                .filter_map(|c| match c {
                    DialChild::Sip(s) => Some((s.text(), s.span)),
                    _ => None,
                })
                .collect(),
            Verb::Refer(r) => r
                .children
                .iter()
                .filter_map(|c| match c {
                    ReferChild::Sip(s) => Some((s.text(), s.span)),
                    _ => None,
                })
                .collect(),
            _ => continue,
        };
        for (text, span) in sips {
            let uri = text.trim();
            if uri.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("sips:")) {
                let at = lines.get_or_insert_with(|| LineIndex::new(xml)).position(span.start);
                let message = format!(
                    "line {} column {}: <Sip>{uri}</Sip>: {SIPS_UNSUPPORTED} (assumed). refer-sim dials it as written: the run goes on as if Twilio accepted it",
                    at.line, at.column
                );
                out.push(("sips_unsupported", message));
            }
        }
    }
    out
}

/// Parse `xml` and check it for `role`: the parser's diagnostics first, then
/// the findings, every one with its line and column.
pub fn check_transfer(xml: &str, role: Role) -> Vec<Diagnostic> {
    let parsed = parse(xml);
    let mut out = parsed.diagnostics;
    if let Some(r) = &parsed.response {
        let mut found = check_in(r, role, Some(xml));
        let index = LineIndex::new(xml);
        for d in &mut found {
            d.locate(&index);
        }
        out.extend(found);
    }
    out
}

/// Check the initial call's document (see [`Role::Initial`]).
pub fn check_initial(xml: &str) -> Vec<Diagnostic> {
    check_transfer(xml, Role::Initial)
}

/// Check a `referUrl` response document (see [`Role::ReferResponse`]).
pub fn check_refer_response(xml: &str) -> Vec<Diagnostic> {
    check_transfer(xml, Role::ReferResponse)
}

/// Check a typed document for `role`. Line and column are 1:1 until located
/// against the source (see [`Diagnostic::locate`]); [`check_transfer`] does it.
pub fn check_response(r: &Response, role: Role) -> Vec<Diagnostic> {
    check_in(r, role, None)
}

/// [`check_response`], with the text `r` was parsed from when there is one: a finding about
/// part of an element's text (a header of a `<Sip>` URI) then spans that part, not the element.
fn check_in(r: &Response, role: Role, source: Option<&str>) -> Vec<Diagnostic> {
    let mut cx = Checker { out: Vec::new(), role, source };
    let mut dials = 0;
    for (i, v) in r.children.iter().enumerate() {
        match v {
            Verb::Dial(d) => {
                dials += 1;
                cx.dial(d);
                cx.skipped_after(d, r.children.get(i + 1..).unwrap_or_default());
            }
            Verb::Enqueue(e) if role == Role::Initial => cx.push(
                "refer_unsupported_enqueue",
                Severity::Error,
                e.span,
                "Enqueue",
                Provenance::Assumed,
                "a call in <Enqueue> is taken not to support REFER, like one in a <Queue> (the REFER page names only the <Conference> and <Queue> nouns): a REFER is refused and the call goes on unchanged",
            ),
            Verb::Refer(x) => {
                cx.refer(x);
                cx.skipped_after_refer(x, r.children.get(i + 1..).unwrap_or_default());
            }
            Verb::Reject(_) | Verb::Hangup(_) => cx.unreachable_after(v, r.children.get(i + 1..).unwrap_or_default()),
            _ => {}
        }
    }
    if role == Role::ReferResponse {
        cx.first_verb_leaves_bridge(r);
    }
    if dials == 0 {
        match role {
            Role::Initial => cx.push(
                "no_dial",
                Severity::Warning,
                r.span,
                "Response",
                Provenance::Doc("refer.dial-nouns"),
                "no <Dial>: REFER is honoured only on a SIP leg of a bridge made by <Dial> with <Sip>, <Number> or <Client>",
            ),
            Role::ReferResponse => cx.push(
                "refer_response_without_dial",
                Severity::Info,
                r.span,
                "Response",
                Provenance::Doc("refer.any-verb"),
                "the referUrl response may use any verb; without <Dial> the transferee is not connected to a new party",
            ),
        }
    }
    cx.out
}

struct Checker<'s> {
    out: Vec<Diagnostic>,
    role: Role,
    /// The checked document's text, to place findings inside an element's text.
    source: Option<&'s str>,
}

impl Checker<'_> {
    fn push(&mut self, code: &'static str, sev: Severity, span: Span, tag: &str, prov: Provenance, msg: impl Into<String>) {
        self.out.push(Diagnostic::new(code, sev, span, msg).with_tag(tag).with_provenance(prov));
    }

    /// A finding with the vendor's code `vendor`, documented on the page `source` (`error.<code>`).
    fn push_vendor(
        &mut self,
        code: &'static str,
        sev: Severity,
        span: Span,
        tag: &str,
        vendor: (u32, &'static str),
        msg: impl Into<String>,
    ) {
        let (vendor, source) = vendor;
        self.out.push(
            Diagnostic::new(code, sev, span, msg).with_tag(tag).with_provenance(Provenance::Doc(source)).with_vendor_code(vendor),
        );
    }

    fn dial(&mut self, d: &Dial) {
        let refer_url = d.attr_node("referUrl");
        let unsupported: Vec<&DialChild> =
            d.nouns().filter(|c| matches!(c, DialChild::Conference(_) | DialChild::Queue(_))).collect();
        let chained = self.role == Role::ReferResponse && refer_url.is_some_and(|a| !a.value.trim().is_empty());

        match (self.role, refer_url) {
            (Role::Initial, None) => self.push_vendor(
                "no_refer_url",
                Severity::Error,
                d.span,
                "Dial",
                (13802, "error.13802"),
                "<Dial> has no referUrl: a REFER raises alert 13802 (\"Dial: No referUrl attribute specified\") and the initial call is re-established, whatever answerOnBridge says",
            ),
            (_, Some(a)) if a.value.trim().is_empty() => self.push(
                "empty_refer_url",
                Severity::Error,
                a.span,
                "Dial",
                Provenance::Assumed,
                "referUrl=\"\" names no URL: a REFER then raises alert 13802 as without referUrl (assumed). Fix: write your REFER handler's URL",
            ),
            (Role::Initial, Some(_)) => {}
            (Role::ReferResponse, Some(a)) => self.push(
                "chained_transfer_enabled",
                Severity::Info,
                a.span,
                "Dial",
                Provenance::Assumed,
                "referUrl is optional here; being present, it lets the target transfer again (chained transfer)",
            ),
            (Role::ReferResponse, None) => self.push(
                "refer_url_optional",
                Severity::Info,
                d.span,
                "Dial",
                Provenance::Doc("refer.refer-url-not-needed"),
                "a referUrl is not necessary on the referUrl response's <Dial>; without it, a REFER from the target raises alert 13802 like on any <Dial> without referUrl",
            ),
        }

        if let Some(a) = d.attr_node("referMethod") {
            if d.refer_method.is_none() {
                self.push(
                    "bad_refer_method",
                    Severity::Error,
                    a.span,
                    "Dial",
                    Provenance::Doc("refer.attributes"),
                    format!("referMethod=\"{}\": the documented values are GET and POST (default POST)", a.value),
                );
            }
        }

        if self.role == Role::Initial || chained {
            for c in &unsupported {
                self.push(
                    "refer_unsupported_noun",
                    Severity::Error,
                    c.span(),
                    c.tag(),
                    Provenance::Doc("refer.no-conference-queue"),
                    format!(
                        "REFER does not support <{}>; what Twilio answers is not documented (refer-sim refuses it with 501 and the call goes on unchanged)",
                        c.tag()
                    ),
                );
            }
        }

        if self.role == Role::Initial {
            let (code, source, msg) = match (d.attr("answerOnBridge"), d.answer_on_bridge) {
                (Some(_), Some(true)) => (
                    "answer_on_bridge_true",
                    "refer.aob-true",
                    "answerOnBridge=\"true\": on REFER the initial call stays connected while the referUrl webhook runs and the target rings; the transferor is dropped only when the target answers; if the target does not answer or referUrl fails, UserA and AgentA are connected again",
                ),
                (Some(_), _) => (
                    "answer_on_bridge_false",
                    "refer.aob-false",
                    "answerOnBridge=\"false\": on REFER the transferor leg is disconnected right after the referUrl webhook is fetched; if the target then fails, the call cannot be re-established",
                ),
                (None, _) => (
                    "answer_on_bridge_absent",
                    "refer.aob-false",
                    "answerOnBridge is absent (default false): on REFER the transferor leg is disconnected right after the referUrl webhook is fetched; if the target then fails, the call cannot be re-established",
                ),
            };
            let span = d.attr_node("answerOnBridge").map(|a| a.span).unwrap_or(d.span);
            self.push(code, Severity::Info, span, "Dial", Provenance::Doc(source), msg);
        }

        let targets = d.nouns().count() + usize::from(d.text_number().is_some());
        if targets > 1 && (self.role == Role::Initial || chained) {
            self.push(
                "several_nouns",
                Severity::Warning,
                d.span,
                "Dial",
                Provenance::Assumed,
                format!("this transfer <Dial> has {targets} targets: they ring at once and the first to answer becomes the transferor leg; a single noun makes the transfer predictable"),
            );
        }

        // "up to ten <Number> nouns" (https://www.twilio.com/docs/voice/twiml/number) and "up to
        // ten <Client> nouns" (https://www.twilio.com/docs/voice/twiml/client) within a <Dial>.
        let mut over_a_documented_limit = false;
        for (kind, code, source) in [("Number", "too_many_numbers", "number.ten"), ("Client", "too_many_clients", "client.ten")] {
            let n = d.nouns().filter(|c| c.tag() == kind).count();
            if n > 10 {
                over_a_documented_limit = true;
                self.push(
                    code,
                    Severity::Error,
                    d.span,
                    "Dial",
                    Provenance::Doc(source),
                    format!("<Dial> holds {n} <{kind}> nouns; at most 10 are allowed"),
                );
            }
        }

        // More than ten parties otherwise (<Sip> nouns, or a mix): neither the <Dial> nor the <Sip>
        // page gives a number, so the same ten is assumed.
        let parties = d.nouns().filter(|c| c.party().is_some()).count();
        if parties > 10 && !over_a_documented_limit {
            self.push(
                "too_many_nouns",
                Severity::Warning,
                d.span,
                "Dial",
                Provenance::Assumed,
                format!("<Dial> rings {parties} parties at once; Twilio allows up to ten <Number> or ten <Client> nouns and documents no number for <Sip> or a mix, so more than ten may be refused"),
            );
        }

        for c in d.nouns() {
            if let DialChild::Sip(s) = c {
                self.sip_uri(&s.text(), s.span, text_span(&s.children), "Sip");
            }
        }

        // What the runtime does differently from what the TwiML seems to say (issue 10).
        for c in d.nouns() {
            if let Some(bad) = undialable_child(c) {
                self.undialable(&bad, c.span(), c.tag());
            }
        }
        if let Some(n) = d.text_number() {
            if let Some(bad) = undialable(Noun::Number, &n) {
                self.undialable(&bad, d.span, "Dial");
            }
        }
        self.dial_time(d, !unsupported.is_empty());
        self.callbacks(d);
        // An out-of-range `timeout` is the parser's `timeout_clamped` (`ast.rs`), so a run lists it too.
    }

    /// `timeLimit`, `hangupOnStar` and `ringTone`, as the runtime plays them (`dial.rs`, `run.rs`):
    /// values it cannot use as written, and what a transfer changes. `in_room`: the `<Dial>`
    /// joins a `<Conference>` or `<Queue>`, where refer-sim simulates neither.
    fn dial_time(&mut self, d: &Dial, in_room: bool) {
        if let (Some(t), Some(a)) = (d.time_limit, d.attr_node("timeLimit")) {
            if t == 0 {
                self.push_vendor(
                    "time_limit_not_positive",
                    Severity::Warning,
                    a.span,
                    "Dial",
                    (13216, "error.13216"),
                    "timeLimit=\"0\": timeLimit must be a positive integer, in seconds (warning 13216); the call runs with the default limit of 4 hours (assumed). Write a number of seconds from 1 to 14400",
                );
            } else if u64::from(t) > MAX_TIME_LIMIT_S {
                self.push(
                    "time_limit_capped",
                    Severity::Warning,
                    a.span,
                    "Dial",
                    Provenance::Doc("dial.time-limit"),
                    format!("timeLimit=\"{t}\" is over 4 hours, which is also the maximum duration of a call unless the account enables the \"24-Hour Maximum Call Duration\" feature (then 24 hours, 86400 s); refer-sim ends the call after {MAX_TIME_LIMIT_S} s. Write at most {MAX_TIME_LIMIT_S}, or enable that feature"),
                );
            }
            if self.role == Role::Initial && d.refer_url.is_some() && t > 0 {
                self.push(
                    "time_limit_before_transfer",
                    Severity::Info,
                    a.span,
                    "Dial",
                    Provenance::Assumed,
                    format!("timeLimit=\"{t}\" limits the call to the transferor leg only (counted from its answer, assumed); after a transfer the target's call is limited only by the timeLimit of the referUrl's <Dial>: put one there too if the transferred call must end"),
                );
            }
        }
        if d.hangup_on_star == Some(true) {
            let span = d.attr_node("hangupOnStar").map_or(d.span, |a| a.span);
            if in_room {
                self.push(
                    "hangup_on_star_in_room",
                    Severity::Info,
                    span,
                    "Dial",
                    Provenance::Assumed,
                    "hangupOnStar with <Conference> or <Queue> is not simulated: refer-sim ignores the caller's * there (Twilio would end the <Dial>, DialCallStatus answered for a conference)",
                );
            } else if self.role == Role::Initial && d.refer_url.is_some() {
                self.push(
                    "hangup_on_star_before_transfer",
                    Severity::Info,
                    span,
                    "Dial",
                    Provenance::Assumed,
                    "hangupOnStar=\"true\" lets the caller hang up on the transferor leg with * until a REFER; after the transfer the * follows the referUrl's <Dial> (its own hangupOnStar), and while that <Dial> rings a * does nothing (assumed)",
                );
            }
        }
        if in_room && d.time_limit.is_some_and(|t| t > 0) {
            let span = d.attr_node("timeLimit").map_or(d.span, |a| a.span);
            self.push(
                "time_limit_in_room",
                Severity::Info,
                span,
                "Dial",
                Provenance::Assumed,
                "timeLimit with <Conference> or <Queue> is not simulated: refer-sim keeps the caller there",
            );
        }
        if let (Some(t), Some(a)) = (d.ring_tone.as_deref(), d.attr_node("ringTone")) {
            if !RING_TONES.contains(&t) {
                self.push(
                    "unknown_ring_tone",
                    Severity::Warning,
                    a.span,
                    "Dial",
                    Provenance::Doc("dial.ring-tone"),
                    format!("ringTone=\"{t}\" is not a value Twilio accepts ({}); refer-sim plays the default ringback (what Twilio does is not documented, assumed)", RING_TONES.join(", ")),
                );
            }
        }
    }

    /// Status and recording callbacks the runtime will not request although the TwiML seems to
    /// ask for them (`transfer::callbacks`): a noun without a default event, events without a
    /// URL, a word that is not an event, a recording callback without a recording.
    fn callbacks(&mut self, d: &Dial) {
        const EVENTS: [&str; 4] = ["initiated", "ringing", "answered", "completed"];
        for c in d.nouns() {
            let (url, events, source) = match c {
                DialChild::Number(n) => (&n.status_callback, &n.status_callback_event, Some("number.status-callback")),
                DialChild::Client(n) => (&n.status_callback, &n.status_callback_event, Some("client.status-callback")),
                DialChild::Sip(n) => (&n.status_callback, &n.status_callback_event, None),
                _ => continue,
            };
            let tag = c.tag().to_string();
            let prov = source.map_or(Provenance::Assumed, Provenance::Doc);
            let span = c.span();
            let words: Vec<&str> = events.as_deref().unwrap_or_default().split_whitespace().collect();
            for w in words.iter().filter(|w| !EVENTS.iter().any(|e| e.eq_ignore_ascii_case(w))) {
                self.push(
                    "unknown_status_callback_event",
                    Severity::Warning,
                    span,
                    &tag,
                    prov,
                    format!("statusCallbackEvent names \"{w}\", which is not an event: the events are initiated, ringing, answered and completed, and no request is made for this word. Fix: write the events you want from those four, separated by spaces"),
                );
            }
            let has_url = url.as_deref().is_some_and(|u| !u.trim().is_empty());
            let names_one = words.iter().any(|w| EVENTS.iter().any(|e| e.eq_ignore_ascii_case(w)));
            match (has_url, names_one, c) {
                (true, false, DialChild::Client(_) | DialChild::Sip(_)) => self.push(
                    "status_callback_no_events",
                    Severity::Warning,
                    span,
                    &tag,
                    prov,
                    format!("<{tag}> has a statusCallback but no statusCallbackEvent: {}, so refer-sim requests the statusCallback for no event. Fix: add statusCallbackEvent=\"completed\" (or the events you want)", if source.is_some() { "the <Client> page gives no default event (\"none\")" } else { "the <Sip> page read gives no default event (assumed none, as <Client>)" }),
                ),
                (false, _, _) if !words.is_empty() => self.push(
                    "status_callback_events_without_url",
                    Severity::Warning,
                    span,
                    &tag,
                    Provenance::Assumed,
                    format!("<{tag}> has a statusCallbackEvent but no statusCallback: there is no URL to request, so no event is reported. Fix: add statusCallback=\"https://…\""),
                ),
                _ => {}
            }
        }
        let record = d.record.as_deref().map(str::trim);
        let records = matches!(
            record,
            Some("true" | "record-from-answer" | "record-from-ringing" | "record-from-answer-dual" | "record-from-ringing-dual")
        );
        if let (Some(value), false) = (record, records) {
            if !matches!(value, "false" | "do-not-record") {
                let span = d.attr_node("record").map_or(d.span, |a| a.span);
                self.push(
                    "bad_record_value",
                    Severity::Warning,
                    span,
                    "Dial",
                    Provenance::Assumed,
                    format!("record=\"{value}\" is not a recording mode (do-not-record, record-from-answer, record-from-ringing, record-from-answer-dual, record-from-ringing-dual; true and false are aliases): refer-sim records nothing. Fix: write one of those"),
                );
            }
        }
        if !records && d.recording_status_callback.as_deref().is_some_and(|u| !u.trim().is_empty()) {
            let span = d.attr_node("recordingStatusCallback").map_or(d.span, |a| a.span);
            self.push(
                "recording_callback_without_record",
                Severity::Warning,
                span,
                "Dial",
                Provenance::Assumed,
                "<Dial> has a recordingStatusCallback but records nothing (record is absent, false or do-not-record), so the callback is never requested. Fix: add record=\"record-from-answer\" (or remove the callback)",
            );
        }
    }

    /// `<Dial action>` and the verbs after a `<Dial>` that the runtime skips once a transfer
    /// decides what happens to the call (see `refer.rs`, `describe_rest`; both assumed).
    fn skipped_after(&mut self, d: &Dial, after: &[Verb]) {
        let tags: Vec<String> = after.iter().filter(|v| !matches!(v, Verb::Text(_))).map(|v| format!("<{}>", v.tag())).collect();
        let rest = match (d.action.as_deref(), tags.is_empty()) {
            (None, true) => return,
            (Some(a), true) => format!("its action {a}"),
            (None, false) => format!("the verbs after it ({})", tags.join(", ")),
            (Some(a), false) => format!("its action {a} and the verbs after it ({})", tags.join(", ")),
        };
        let span = d.attr_node("action").map_or(d.span, |a| a.span);
        match self.role {
            Role::Initial if d.refer_url.is_some() => self.push(
                "skipped_after_transfer",
                Severity::Warning,
                span,
                "Dial",
                Provenance::Assumed,
                format!("once a REFER transfer goes through, this <Dial> is over for UserA and {rest} never run (no page says Twilio runs them; refer-sim skips them, assumed); put what should happen after the transfer in the referUrl TwiML"),
            ),
            Role::ReferResponse => self.push(
                "skipped_when_reestablished",
                Severity::Info,
                span,
                "Dial",
                Provenance::Assumed,
                format!("if the initial <Dial> has answerOnBridge=\"true\" and this <Dial> fails, the initial call comes back and {rest} never run (assumed); with answerOnBridge absent or false they run. Handle the failure here only when answerOnBridge is false"),
            ),
            Role::Initial => {}
        }
    }

    /// A referUrl response whose first verb takes the caller away from its bridge with the
    /// transferor (media, `<Gather>`, `<Hangup>`, `<Reject>`, `<Enqueue>`, `<Refer>`): with
    /// answerOnBridge true on the initial `<Dial>`, the transfer completes then and there, so a
    /// target that fails later cannot give the caller back (the engine's `before_media`, assumed).
    fn first_verb_leaves_bridge(&mut self, r: &Response) {
        let Some(first) = r.children.iter().find(|v| !matches!(v, Verb::Text(_) | Verb::Unknown(_))) else { return };
        let (span, what) = match first {
            Verb::Say(x) => (x.span, "plays"),
            Verb::Play(x) => (x.span, "plays"),
            Verb::Pause(x) => (x.span, "plays"),
            Verb::Gather(x) => (x.span, "plays"),
            Verb::Record(x) => (x.span, "plays"),
            Verb::Hangup(x) => (x.span, "ends the call"),
            Verb::Reject(x) => (x.span, "ends the call"),
            Verb::Enqueue(x) => (x.span, "puts UserA in a queue"),
            Verb::Refer(x) => (x.span, "sends UserA a REFER"),
            _ => return,
        };
        let tag = first.tag().to_string();
        self.push(
            "first_verb_completes_transfer",
            Severity::Info,
            span,
            &tag,
            Provenance::Assumed,
            format!("this <{tag}> {what} before any <Dial> answers: if the initial <Dial> has answerOnBridge=\"true\", UserA leaves AgentA here and the transfer completes at once, so a target that fails afterwards cannot give UserA back to AgentA (assumed: no page says what Twilio does). Put the <Dial> first to keep that fallback"),
        );
    }

    fn undialable(&mut self, bad: &Undialable, span: Span, tag: &str) {
        self.out.push(
            Diagnostic::new(bad.code, Severity::Error, span, format!("{}: {}", bad.problem, bad.fix))
                .with_tag(tag)
                .with_provenance(Provenance::Doc(bad.source))
                .with_vendor_code(bad.vendor_code),
        );
    }

    fn refer(&mut self, r: &crate::twiml::ast::Refer) {
        self.push_vendor(
            "refer_verb_sip_only",
            Severity::Info,
            r.span,
            "Refer",
            (13801, "error.13801"),
            "<Refer> makes Twilio send a SIP REFER (outbound transfer); it works only on a SIP leg: on a phone-network or Client call it is alert 13801, no REFER is sent and the TwiML goes on with the next verb (assumed)",
        );
        let mut sips = 0;
        for c in &r.children {
            if let ReferChild::Sip(s) = c {
                sips += 1;
                self.sip_uri(&s.text(), s.span, text_span(&s.children), "Sip");
                // What the runtime does differently from what the TwiML seems to say (issue 10).
                if let Some(bad) = undialable(Noun::Sip, &s.text()) {
                    self.push(
                        bad.code,
                        Severity::Error,
                        s.span,
                        "Sip",
                        Provenance::Assumed,
                        format!("<Refer>: {}; Twilio cannot send it as the REFER's Refer-To, so no REFER is sent and the TwiML goes on with the next verb (assumed). Fix: {}", bad.problem, bad.fix),
                    );
                }
            }
        }
        if sips == 0 {
            self.push(
                "refer_without_sip",
                Severity::Error,
                r.span,
                "Refer",
                Provenance::Doc("referverb.sip-noun"),
                "<Refer> needs a <Sip> noun naming the transfer target",
            );
        }
        if let (Some(a), None) = (r.attr_node("method"), r.method) {
            self.push(
                "bad_method",
                Severity::Error,
                a.span,
                "Refer",
                Provenance::Assumed,
                format!("method=\"{}\": only GET or POST", a.value),
            );
        }
    }

    /// Verbs after `<Reject>` or `<Hangup>` never run: the call ends there (the `<Reject>` page:
    /// "Any verbs after <Reject> are unreachable and ignored"; for `<Hangup>` assumed alike).
    fn unreachable_after(&mut self, v: &Verb, after: &[Verb]) {
        if after.is_empty() {
            return;
        }
        let tags: Vec<String> = after.iter().map(|v| format!("<{}>", v.tag())).collect();
        let (tag, provenance, span) = match v {
            Verb::Reject(r) => ("Reject", Provenance::Doc("reject.unreachable"), r.span),
            Verb::Hangup(h) => ("Hangup", Provenance::Assumed, h.span),
            _ => return,
        };
        self.push(
            "unreachable_after_end",
            Severity::Warning,
            span,
            tag,
            provenance,
            format!(
                "the verbs after <{tag}> ({}) never run: the call ends at <{tag}>. Fix: move <{tag}> after them, or drop them",
                tags.join(", ")
            ),
        );
    }

    /// Verbs after a `<Refer action>` never run: when the verb returns, Twilio requests its
    /// action and runs the TwiML it answers instead (`referverb.action-continues`).
    fn skipped_after_refer(&mut self, r: &crate::twiml::ast::Refer, after: &[Verb]) {
        if r.action.is_none() || after.is_empty() {
            return;
        }
        let tags: Vec<String> = after.iter().map(|v| format!("<{}>", v.tag())).collect();
        self.push(
            "verbs_after_refer_action",
            Severity::Warning,
            r.span,
            "Refer",
            Provenance::Doc("referverb.action-continues"),
            format!(
                "the verbs after this <Refer> ({}) never run: when it returns, Twilio requests its action URL and runs the TwiML that answers instead. Fix: move them into the action's answer, or drop action to run them next",
                tags.join(", ")
            ),
        );
    }

    /// The checks of a `<Sip>` URI: `text` is the element's text, `span` the element's,
    /// `text_at` the span of its one text node (to place a header's finding on the header).
    #[inline(never)] // two callers: one copy
    fn sip_uri(&mut self, text: &str, span: Span, text_at: Option<Span>, tag: &str) {
        let uri = text.trim();
        let lead = text.len() - text.trim_start().len();
        // Read once by the URI parser: parameters are those after the host (a `;` in the user
        // part is not one), headers those after the first `?` past the host. A URI that does
        // not parse has neither; its whole text counts for the 255 rule.
        // `parse_uri` without its copy of the text's header offsets; the same length bound.
        let parsed = (uri.len() <= MAX_URI_BYTES).then(|| parse_uri_at(uri, 0).ok()).flatten();
        let headers_at = parsed.as_ref().and_then(|(_, offsets)| offsets.first().copied());
        // The 255 rule (`sip.uri-255`) has no documented code; the headers part has its own rule (21227) below.
        let len = headers_at.and_then(|at| uri.get(..at.saturating_sub(1))).unwrap_or(uri).chars().count();
        if len >= 255 {
            self.push(
                "sip_uri_too_long",
                Severity::Warning,
                span,
                tag,
                Provenance::Doc("sip.uri-255"),
                format!("the SIP URI (before its headers) is {len} characters; it should be under 255"),
            );
        }
        if uri.get(..5).is_some_and(|s| s.eq_ignore_ascii_case("sips:")) {
            self.push("sips_unsupported", Severity::Warning, span, tag, Provenance::Assumed, SIPS_UNSUPPORTED);
        }
        let (params, headers) = match &parsed {
            Some((u, _)) => (u.params.as_slice(), u.headers.as_slice()),
            None => (&[][..], &[][..]),
        };
        for p in params {
            let v = p.value.as_deref().unwrap_or("");
            if p.name.eq_ignore_ascii_case("transport") && !["udp", "tcp", "tls"].contains(&v.to_ascii_lowercase().as_str()) {
                self.push(
                    "bad_sip_transport",
                    Severity::Warning,
                    span,
                    tag,
                    Provenance::Assumed,
                    format!("transport={v}: the vendor documents udp (default) and tcp; tls is assumed to work too"),
                );
            }
        }
        if let Some(h) = headers_at.and_then(|at| uri.get(at..)) {
            let hlen = h.chars().count();
            if hlen >= 1024 {
                self.push_vendor(
                    "sip_headers_too_long",
                    Severity::Warning,
                    span,
                    tag,
                    (21227, "error.21227"),
                    format!("the SIP URI's headers part is {hlen} characters; it must be under 1024 (error 21227)"),
                );
            }
            let offsets = parsed.as_ref().map_or(&[][..], |(_, offsets)| offsets.as_slice());
            for (i, header) in headers.iter().enumerate() {
                let name = header.name.as_str();
                // The header as written (`name=value`, up to the next `&`), in the source when
                // the element's text can be followed there, else the whole element.
                let at = offsets.get(i).map(|&start| {
                    let end = offsets.get(i + 1).map_or(uri.len(), |&next| next.saturating_sub(1));
                    (lead + start, lead + end)
                });
                let header_span = match (at, text_at, self.source) {
                    (Some((start, end)), Some(t), Some(src)) => src
                        .get(t.start..t.end)
                        .and_then(|raw| {
                            Some(Span::new(
                                t.start + raw_offset(raw, text, start, false)?,
                                t.start + raw_offset(raw, text, end, true)?,
                            ))
                        })
                        .unwrap_or(span),
                    _ => span,
                };
                let kind = uri_header_kind(name);
                if kind == UriHeaderKind::TwilioPrefix {
                    self.push_vendor(
                        "sip_header_twilio_prefix",
                        Severity::Warning,
                        header_span,
                        tag,
                        (32113, "error.32113"),
                        format!("header `{name}` in the SIP URI: a header name may not begin with X-Twilio, so Twilio omits this header from its INVITE (warning 32113). Fix: rename it, e.g. X-{}", name.get(TWILIO_PREFIX.len() + 1..).unwrap_or("")),
                    );
                } else if kind == UriHeaderKind::NotCustom {
                    self.push_vendor(
                        "sip_header_not_custom",
                        Severity::Warning,
                        header_span,
                        tag,
                        (13252, "error.13252"),
                        format!("header `{name}` in the SIP URI: custom headers need the X- prefix (only User-to-User, Remote-Party-ID, P-Preferred-Identity, P-Called-Party-ID are passed without it; warning 13252)"),
                    );
                }
            }
        }
    }
}

/// The prefix no header name in a `<Sip>` URI may begin with (`error.32113`), compared without
/// regard to case as SIP compares header names (RFC 3261 §7.3.1).
pub const TWILIO_PREFIX: &str = "X-Twilio";

/// What Twilio does with a header named in a `<Sip>` URI, by its name alone: one rule for the
/// check's warnings and the simulated INVITE (src/transfer/address.rs).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum UriHeaderKind {
    /// Begins with [`TWILIO_PREFIX`]: omitted (`error.32113`).
    TwilioPrefix,
    /// Neither an X- header nor one of [`STANDARD_SIP_HEADERS`]: not passed (`error.13252`).
    NotCustom,
    /// An X- header or a standard one: passed in the INVITE.
    Passed,
}

/// The [`UriHeaderKind`] of the header `name`, compared without regard to case.
pub(crate) fn uri_header_kind(name: &str) -> UriHeaderKind {
    let prefixed = |prefix: &str| name.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    if prefixed(TWILIO_PREFIX) {
        UriHeaderKind::TwilioPrefix
    } else if is_x_header(name) || STANDARD_SIP_HEADERS.iter().any(|s| s.eq_ignore_ascii_case(name)) {
        UriHeaderKind::Passed
    } else {
        UriHeaderKind::NotCustom
    }
}

/// The span of an element's text when it is one text node (the parser joins text, references
/// and CDATA that follow one another into one).
fn text_span(children: &[Node]) -> Option<Span> {
    match children {
        [Node::Text(t)] => Some(t.span),
        _ => None,
    }
}

/// The byte of `raw` (an element's text as written) where byte `target` of `text` (the same
/// text as read: references resolved, CDATA unwrapped, line ends normalised, comments and
/// processing instructions dropped) comes from; `None` when the two do not match up. Where
/// markup lies between two characters, `end` picks the byte before it (a range's end), else
/// the byte after it (a range's start).
fn raw_offset(raw: &str, text: &str, target: usize, end: bool) -> Option<usize> {
    let (raw, text) = (raw.as_bytes(), text.as_bytes());
    let (mut r, mut t) = (0, 0);
    let mut in_cdata = false;
    loop {
        if t == target && end {
            return Some(r);
        }
        let rest = raw.get(r..)?;
        // Markup that gives no text: skipped before a character is matched.
        let skip = if in_cdata {
            rest.starts_with(b"]]>").then(|| {
                in_cdata = false;
                3
            })
        } else if rest.starts_with(b"<![CDATA[") {
            in_cdata = true;
            Some(9)
        } else if rest.starts_with(b"<!--") {
            Some(find(rest, b"-->")? + 3)
        } else if rest.starts_with(b"<?") {
            Some(find(rest, b"?>")? + 2)
        } else {
            None
        };
        if let Some(n) = skip {
            r += n;
            continue;
        }
        if t == target {
            return Some(r);
        }
        // Bytes as written for bytes as read: a reference for one character (its UTF-8 bytes
        // up to the next character's start), a line end for "\n", any other byte for itself.
        let (raw_len, text_len) = match rest {
            [b'&', ..] if !in_cdata => {
                (find(rest, b";")? + 1, 1 + text.get(t + 1..)?.iter().take_while(|&&b| (b & 0xC0) == 0x80).count())
            }
            [b'\r', b'\n', ..] => (2, 1),
            [b'\r', ..] => (1, 1),
            [b, ..] if text.get(t) == Some(b) => (1, 1),
            _ => return None,
        };
        r += raw_len;
        t += text_len;
    }
}

/// Where `needle` first occurs in `hay` (bytes; a few of them, so no searcher set up).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The shortest `<Dial timeout>` the runtime rings for, in seconds (longer and shorter values are clamped). \[assumed\]
pub const DIAL_TIMEOUT_MIN_S: u32 = 5;
/// The longest `<Dial timeout>` the runtime rings for, in seconds. \[assumed\]
pub const DIAL_TIMEOUT_MAX_S: u32 = 600;

/// The longest `<Dial timeLimit>` the runtime plays, in seconds: 4 hours, "also the maximum
/// duration of a call, unless you enable the "24-Hour Maximum Call Duration" feature"
/// (`dial.time-limit`). A larger value is capped (warning `time_limit_capped`).
pub const MAX_TIME_LIMIT_S: u64 = 14_400;

/// The `<Dial ringTone>` values Twilio accepts, in the page's order (`dial.ring-tone`):
/// "Accepted values are: `at`, `au`, ... `za`".
pub const RING_TONES: &[&str] = &[
    "at", "au", "bg", "br", "be", "ch", "cl", "cn", "cz", "de", "dk", "ee", "es", "fi", "fr", "gr", "hu", "il", "in", "it", "lt",
    "jp", "mx", "my", "nl", "no", "nz", "ph", "pl", "pt", "ru", "se", "sg", "th", "uk", "us", "us-old", "tw", "ve", "za",
];

/// Which noun's text is checked by [`undialable`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Noun {
    /// `<Sip>`: a `sip:` or `sips:` URI.
    Sip,
    /// `<Number>`, or a number written as the text of `<Dial>`: a phone number.
    Number,
}

/// Why the text of a `<Sip>` or a `<Number>` cannot be dialled, and what to write instead.
/// Both `checkTransfer` (an error) and the runtime (the call fails at once, without ringing)
/// use it, so they agree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undialable {
    /// Stable code: `angle_brackets`, `display_name`, `no_scheme`, `bad_sip_uri`,
    /// `sip_uri_in_number`, `not_a_number`, `too_many_digits`, `invalid_number` or `empty_address`.
    pub code: &'static str,
    /// The vendor's code: 13243 "Dial->SIP: Invalid SIP URI", 13223 "Dial: Invalid phone number
    /// format" or 13224 "Dial: Twilio does not support calling this number or the number is invalid".
    pub vendor_code: u32,
    /// The id in `src/sources.md` of the page behind the vendor's code.
    pub source: &'static str,
    /// What is wrong, naming the text.
    pub problem: String,
    /// What to write instead.
    pub fix: String,
}

/// The undialable text of a calling noun, if it is one (`<Client>` and the rest: `None`).
pub fn undialable_child(c: &DialChild) -> Option<Undialable> {
    match c {
        DialChild::Sip(s) => undialable(Noun::Sip, &s.text()),
        DialChild::Number(n) => undialable(Noun::Number, &n.text()),
        _ => None,
    }
}

/// A phone number written with digits and `+-(). ` only, checked against what Twilio's pages
/// say it calls. Over 15 digits: 13223 (`error.13223`: "E.164 numbers ... can have a maximum of
/// 15 digits"). Without a `+`: Twilio "will also accept unformatted US numbers, e.g., (415)
/// 555-1212 or 415-555-1212" (`number.e164`), so 10 digits, or 11 starting with 1 (that reading
/// assumed); any other is a local dialing pattern, 13224 (`error.13224`: "not in E.164 format;
/// for example using local dialing pattern 01234567890"). With a `+`: a `+1` (North American)
/// number with other than 10 digits after the 1, or fewer than 7 digits in all (no country's
/// numbers are shorter), is a number that does not exist, 13224 ("calls are attempted to
/// non-existent country codes, area codes, or exchanges"); those lengths are assumed from the
/// numbering plans, not from Twilio's pages.
fn invalid_number(t: &str) -> Option<Undialable> {
    let n = t.bytes().filter(u8::is_ascii_digit).count();
    let first = t.bytes().find(u8::is_ascii_digit);
    let plus = t.starts_with('+');
    // Without a `+`: the unformatted US numbers `number.e164` names.
    let us = n == 10 || (n == 11 && first == Some(b'1'));
    // One message written one way (each `format!` costs the WASM modules bytes).
    let (code, why) = if n > 15 {
        ("too_many_digits", "an E.164 number has at most 15")
    } else if plus && first == Some(b'1') && n != 11 {
        ("invalid_number", "a +1 number has 11")
    } else if plus && n < 7 {
        ("invalid_number", "too few for any country")
    } else if !plus && !us {
        ("invalid_number", "without + only a 10-digit US number is accepted")
    } else {
        return None;
    };
    let (vendor_code, source) = if n > 15 { (13223, "error.13223") } else { (13224, "error.13224") };
    Some(Undialable {
        code,
        vendor_code,
        source,
        problem: format!("<Number> holds `{t}`, {n} digits: {why}"),
        fix: "write it in E.164, such as +14155550100".into(),
    })
}

/// Checks the text of a `<Sip>` or `<Number>`: angle brackets (a raw `ReferTransferTarget`),
/// a display name, no scheme, a URI that does not parse, a SIP URI in `<Number>`, letters
/// in a number, a number of more than 15 digits or one that cannot exist ([`invalid_number`]).
/// `None` when it can be dialled.
///
/// ```
/// use refer_sim::twiml::check::{undialable, Noun};
/// let bad = undialable(Noun::Sip, "<sip:AgentB@example.com>").unwrap();
/// assert_eq!((bad.code, bad.vendor_code), ("angle_brackets", 13243));
/// assert!(bad.fix.starts_with("strip the <>: use the URI inside"));
/// assert!(undialable(Noun::Sip, "sip:AgentB@example.com;transport=tls").is_none());
/// assert_eq!(undialable(Noun::Number, "sip:AgentB@example.com").unwrap().code, "sip_uri_in_number");
/// assert_eq!(undialable(Noun::Number, "+999999999999999999").unwrap().vendor_code, 13223);
/// assert_eq!(undialable(Noun::Number, "+1 415 555").unwrap().vendor_code, 13224);
/// assert!(undialable(Noun::Number, "(415) 555-1212").is_none());
/// ```
pub fn undialable(noun: Noun, text: &str) -> Option<Undialable> {
    undialable_read(noun, text, false)
}

/// [`undialable`], told by a caller that has parsed `text` (trimmed) with [`parse_uri`] that it
/// parses (`parses`), so that it is not parsed again: a run read each dialled address once for
/// its leg and once more here (two URI parses of every party, 1.5% of a `simulate`).
pub(crate) fn undialable_read(noun: Noun, text: &str, parses: bool) -> Option<Undialable> {
    let t = text.trim();
    let (tag, vendor_code, source) = match noun {
        Noun::Sip => ("<Sip>", 13243, "error.13243"),
        Noun::Number => ("<Number>", 13223, "error.13223"),
    };
    let bad = |code: &'static str, problem: String, fix: String| Some(Undialable { code, vendor_code, source, problem, fix });
    // Prefixes compared in place (a lowercase copy of the address was made for them).
    let starts = |text: &str, prefix: &str| text.get(..prefix.len()).is_some_and(|p| p.eq_ignore_ascii_case(prefix));
    let is_sip = starts(t, "sip:") || starts(t, "sips:");
    if t.is_empty() {
        let example = if noun == Noun::Sip { "sip:AgentB@example.sip.twilio.com" } else { "+14155550100" };
        return bad(
            "empty_address",
            format!("{tag} is empty: there is nothing to call"),
            format!("write the address to call, such as {example}"),
        );
    }
    if let Some((before, after)) = t.split_once('<') {
        let inner = after.split_once('>').map_or(after, |(i, _)| i).trim();
        let name = before.trim();
        let use_instead = if noun == Noun::Number && (starts(inner, "sip:") || starts(inner, "sips:")) {
            format!("this is a SIP address: use <Sip>{inner}</Sip>")
        } else if noun == Noun::Number {
            format!("use the number inside, {tag}{}{}", inner.strip_prefix("tel:").unwrap_or(inner), "</Number>")
        } else {
            format!("use the URI inside, <Sip>{inner}</Sip>")
        };
        return if name.is_empty() {
            bad(
                "angle_brackets",
                format!("{tag} holds `{t}`: a Refer-To value with its angle brackets (as ReferTransferTarget carries it), not an address Twilio can dial"),
                format!("strip the <>: {use_instead}"),
            )
        } else {
            bad(
                "display_name",
                format!(
                    "{tag} holds `{t}`: a display name ({name}) and an address in angle brackets, not an address Twilio can dial"
                ),
                format!("strip the display name and the <>: {use_instead}"),
            )
        };
    }
    if t.contains('>') {
        return bad(
            "angle_brackets",
            format!("{tag} holds `{t}`, with a stray '>': not an address Twilio can dial"),
            "strip the <>: use the address alone".to_string(),
        );
    }
    match noun {
        Noun::Sip if !is_sip => {
            let number = t.strip_prefix("tel:").unwrap_or(t);
            if starts(t, "tel:") || number.bytes().all(|b| b.is_ascii_digit() || b"+-(). ".contains(&b)) {
                bad(
                    "no_scheme",
                    format!("<Sip> holds `{t}`, a phone number, not a SIP URI"),
                    format!("call a phone number with <Number>{number}</Number>, or write the SIP URI, such as sip:{number}@your-pbx.example.com"),
                )
            } else {
                let fixed = if t.contains('@') { format!("sip:{t}") } else { format!("sip:{t}@your-pbx.example.com") };
                bad(
                    "no_scheme",
                    format!("<Sip> holds `{t}`, which has no sip: scheme"),
                    format!("add the scheme: <Sip>{fixed}</Sip>"),
                )
            }
        }
        Noun::Sip if parses => None,
        Noun::Sip => match parse_uri(t) {
            Ok(_) => None,
            Err(e) => bad(
                "bad_sip_uri",
                format!("<Sip> holds `{t}`, which is not a valid SIP URI ({} at byte {}: {})", e.code, e.offset, e.message),
                "correct the URI: sip:user@host, with ;parameters and ?X-headers percent-encoded (RFC 3261 §19.1)".to_string(),
            ),
        },
        Noun::Number if is_sip || t.contains('@') => {
            let uri = if is_sip { t.to_string() } else { format!("sip:{t}") };
            bad(
                "sip_uri_in_number",
                format!("<Number> holds `{t}`, a SIP address, not a phone number"),
                format!("use <Sip>{uri}</Sip>"),
            )
        }
        Noun::Number => {
            let digits = t.strip_prefix("tel:").unwrap_or(t);
            if digits.bytes().all(|b| b.is_ascii_digit() || b"+-(). ".contains(&b)) && digits.bytes().any(|b| b.is_ascii_digit())
            {
                if digits.len() == t.len() {
                    return invalid_number(t);
                }
                return bad(
                    "not_a_number",
                    format!("<Number> holds `{t}`, a tel: URI"),
                    format!("drop the tel: and write the number in E.164, <Number>{digits}</Number>"),
                );
            }
            bad(
                "not_a_number",
                format!("<Number> holds `{t}`, which is not a phone number"),
                "write the number in E.164, such as <Number>+14155550100</Number>; a Voice SDK user goes in <Client>, a SIP address in <Sip>".to_string(),
            )
        }
    }
}
