//! The typed model of Voice TwiML.
//!
//! Each verb and noun is a struct with one `Option` field per documented
//! attribute (typed: [`Method`], `bool`, seconds as `u32`, URLs as `String`;
//! `None` when absent or not valid), plus `attributes`: every attribute as
//! written, documented or not, in order. The typed fields are views of
//! `attributes`; the writer writes `attributes`, so nothing is ever dropped and
//! the order survives a round trip. Defaults the vendor documents are methods
//! (`Dial::refer_method()` is `POST` when absent, `Dial::timeout_or_default()`
//! is 30), so whether an attribute was present stays visible.
//!
//! The model is lowered from the generic [`Element`] tree (by the parser and
//! the builder alike) and converted back to it for writing.

use serde::Serialize;

use crate::provenance::Provenance;
use crate::span::Span;
use crate::twiml::diagnostic::{Diagnostic, Severity};
use crate::twiml::tree::{Attr, Element, Node, Text};

/// An HTTP method for a callback (`method`, `referMethod`, ...): `GET` or `POST`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// `GET`: parameters in the query string.
    Get,
    /// `POST`: parameters form-encoded in the body (the vendor's default).
    Post,
}

impl Method {
    /// `GET` or `POST`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// A value type a documented attribute can have, parsed from the written text.
pub trait AttrValue: Sized {
    /// Parse the unescaped attribute value, or say what was expected as
    /// `(diagnostic code, description)`.
    fn parse_attr(raw: &str) -> Result<Self, (&'static str, &'static str)>;
}

impl AttrValue for String {
    fn parse_attr(raw: &str) -> Result<Self, (&'static str, &'static str)> {
        Ok(raw.to_string())
    }
}

impl AttrValue for Method {
    fn parse_attr(raw: &str) -> Result<Self, (&'static str, &'static str)> {
        match raw {
            "GET" => Ok(Method::Get),
            "POST" => Ok(Method::Post),
            _ => Err(("bad_enum", "GET or POST")),
        }
    }
}

impl AttrValue for bool {
    fn parse_attr(raw: &str) -> Result<Self, (&'static str, &'static str)> {
        match raw {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(("bad_enum", "true or false")),
        }
    }
}

impl AttrValue for u32 {
    fn parse_attr(raw: &str) -> Result<Self, (&'static str, &'static str)> {
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(("not_a_number", "a whole number"));
        }
        raw.parse().map_err(|_| ("not_a_number", "a whole number below 4294967296"))
    }
}

/// Collects the diagnostics of lowering an [`Element`] tree to the typed model.
#[derive(Debug, Default)]
pub(crate) struct Lower {
    pub(crate) diagnostics: Vec<Diagnostic>,
}

impl Lower {
    fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn value<T: AttrValue>(&mut self, el: &Element, a: &Attr) -> Option<T> {
        match T::parse_attr(&a.value) {
            Ok(v) => {
                if a.name == "timeout" && el.name == "Dial" {
                    self.dial_timeout(el, a);
                }
                Some(v)
            }
            // A value the schema refuses is a warning at Twilio (12200 "Schema validation
            // warning"; some <Dial> attributes have their own): the document still runs. Which
            // value Twilio uses instead is not documented: refer-sim uses the default (assumed).
            Err((code, expected)) => {
                self.bad_value(el, a, code, expected);
                None
            }
        }
    }

    /// A `<Dial timeout>` that is a whole number outside the range the runtime rings for: a
    /// warning naming the value written and the value used (the runtime clamps it, `run.rs`),
    /// so the narration's ringing time is never a surprise. In the parser, not the transfer
    /// checks, so `parseTwiml` and a run's warnings list it too. \[assumed: the range is
    /// `dial.timeout-range`, not read\]
    #[inline(never)]
    fn dial_timeout(&mut self, el: &Element, a: &Attr) {
        use crate::twiml::check::{DIAL_TIMEOUT_MAX_S as MAX, DIAL_TIMEOUT_MIN_S as MIN};
        let Ok(t) = a.value.parse::<u32>() else { return };
        if (MIN..=MAX).contains(&t) {
            return;
        }
        let used = t.clamp(MIN, MAX);
        self.push(
            Diagnostic::new(
                "timeout_clamped",
                Severity::Warning,
                a.span,
                format!("<{}> timeout=\"{t}\" is outside {MIN}–{MAX} seconds: the call rings for {used} s instead (the value used; clamped, assumed); write a timeout from {MIN} to {MAX}", el.name),
            )
            .with_tag(el.name.clone())
            .with_provenance(Provenance::Assumed),
        );
    }

    /// The warning for a value the schema refuses (one copy, not one per attribute type).
    #[inline(never)]
    fn bad_value(&mut self, el: &Element, a: &Attr, code: &'static str, expected: &'static str) {
        // <Dial>'s own warnings where Twilio's error pages name the attribute.
        let (source, vendor) = match (el.name.as_str(), a.name.as_str()) {
            ("Dial", "timeout") => ("error.13212", 13212),
            ("Dial", "hangupOnStar") => ("error.13213", 13213),
            ("Dial", "timeLimit") => ("error.13216", 13216),
            _ => ("error.12200", 12200),
        };
        self.push(
            Diagnostic::new(
                code,
                Severity::Warning,
                a.span,
                format!(
                    "<{}> {}=\"{}\": expected {expected}; Twilio warns {vendor} and runs the document (refer-sim then uses the attribute's default, assumed)",
                    el.name, a.name, a.value
                ),
            )
            .with_tag(el.name.clone())
            .with_provenance(Provenance::Doc(source))
            .with_vendor_code(vendor),
        );
    }

    #[inline(never)] // called from every element's `lower`: one copy, not one per element
    fn unknown_attribute(&mut self, el: &Element, a: &Attr, documented: &[&str]) {
        let mut message = format!("<{}> has no documented attribute `{}`", el.name, a.name);
        if let Some(near) = suggestion(&a.name, documented) {
            message.push_str(" (did you mean `");
            message.push_str(near);
            message.push_str("`? attribute names are case-sensitive)");
        }
        message.push_str("; kept as written");
        self.push(
            Diagnostic::new("unknown_attribute", Severity::Warning, a.span, message)
                .with_tag(el.name.clone())
                .with_provenance(Provenance::Doc("error.12200"))
                .with_vendor_code(12200),
        );
    }

    fn unknown_element(&mut self, parent: &Element, el: &Element) {
        // A verb or noun out of place is an "unexpected nested element": a schema warning (12200,
        // "Unknown or unexpected nested elements"), not a parse failure (12100 is a document that
        // is not XML); the run skips it (assumed), as it does an unknown element.
        let (code, severity, message) = if is_dial_noun(&el.name) && parent.name != "Dial" {
            (
                "noun_outside_dial",
                Severity::Warning,
                format!("<{}> is a noun of <Dial>; it cannot appear in <{}>", el.name, parent.name),
            )
        } else if is_verb(&el.name) {
            ("misplaced_verb", Severity::Warning, format!("<{}> is a verb; it cannot appear in <{}>", el.name, parent.name))
        } else if (parent.name == "Response" && is_unmodelled_verb(&el.name))
            || (parent.name == "Dial" && is_unmodelled_dial_noun(&el.name))
        {
            // A real Twilio verb or noun that refer-sim does not model: say so, without a vendor warning.
            let message = format!("<{}> is not simulated by refer-sim; kept as written and skipped when the call runs", el.name);
            return self.push(
                Diagnostic::new("not_simulated", Severity::Info, el.span, message)
                    .with_tag(el.name.clone())
                    .with_provenance(Provenance::Assumed),
            );
        } else {
            let mut message = format!("<{}> is not a documented child of <{}>", el.name, parent.name);
            // `<dial>` for `<Dial>`: the run skips it, so name the element that was meant.
            let known: &[&str] = if parent.name == "Dial" { DIAL_NOUNS } else { VERBS };
            if let Some(near) = suggestion(&el.name, known) {
                message.push_str(" (did you mean <");
                message.push_str(near);
                message.push_str(">? element names are case-sensitive)");
            }
            message.push_str("; kept as written");
            ("unknown_element", Severity::Warning, message)
        };
        self.push(
            Diagnostic::new(code, severity, el.span, message)
                .with_tag(el.name.clone())
                .with_provenance(Provenance::Doc("error.12200"))
                .with_vendor_code(12200),
        );
    }

    fn unexpected_text(&mut self, parent: &Element, t: &Text) {
        self.push(
            Diagnostic::new(
                "unexpected_text",
                Severity::Warning,
                t.span,
                format!("text {:?} is not allowed directly in <{}>; kept as written", short(&t.value), parent.name),
            )
            .with_tag(parent.name.clone())
            .with_provenance(Provenance::Doc("error.12200"))
            .with_vendor_code(12200),
        );
    }
}

fn short(s: &str) -> String {
    let t = s.trim();
    if t.chars().count() > 40 {
        let mut out: String = t.chars().take(40).collect();
        out.push('…');
        out
    } else {
        t.to_string()
    }
}

/// True for the names of `<Dial>`'s nouns modelled here.
pub fn is_dial_noun(name: &str) -> bool {
    matches!(name, "Sip" | "Number" | "Client" | "Conference" | "Queue" | "Sim")
}

/// The names an element inside `<Dial>` is compared with for a "did you mean": the nouns
/// [`is_dial_noun`] and [`is_unmodelled_dial_noun`] accept.
const DIAL_NOUNS: &[&str] = &["Sip", "Number", "Client", "Conference", "Queue", "Sim", "Application", "WhatsApp"];

/// The names any other unknown element is compared with: the verbs [`is_verb`] and
/// [`is_unmodelled_verb`] accept.
const VERBS: &[&str] = &[
    "Dial", "Say", "Play", "Pause", "Gather", "Hangup", "Redirect", "Reject", "Enqueue", "Leave", "Record", "Refer", "Connect",
    "Pay", "Start", "Stop",
];

/// True for Twilio voice verbs that refer-sim parses as unknown elements and does not
/// simulate (`<Connect>`, `<Pay>`, `<Start>`, `<Stop>`): skipped, never called undocumented.
pub fn is_unmodelled_verb(name: &str) -> bool {
    matches!(name, "Connect" | "Pay" | "Start" | "Stop")
}

/// True for documented nouns of `<Dial>` that refer-sim does not simulate
/// (`application.noun`, `whatsapp.noun` in `src/sources.md`).
pub fn is_unmodelled_dial_noun(name: &str) -> bool {
    matches!(name, "Application" | "WhatsApp")
}

/// True for the names of the verbs modelled here.
pub fn is_verb(name: &str) -> bool {
    matches!(
        name,
        "Dial"
            | "Say"
            | "Play"
            | "Pause"
            | "Gather"
            | "Hangup"
            | "Redirect"
            | "Reject"
            | "Enqueue"
            | "Leave"
            | "Record"
            | "Refer"
    )
}

/// How many of `children` a typed child list keeps: all but whitespace-only text runs.
fn significant(children: &[Node]) -> usize {
    children.iter().filter(|c| !matches!(c, Node::Text(t) if t.is_whitespace())).count()
}

/// The content of a leaf element (text and, for some, documented child
/// elements such as SSML in `<Say>` or `<Parameter>` in `<Reject>`), kept generic.
pub type Content = Node;

/// How a kind of child list is lowered from, and raised back to, the generic tree.
pub(crate) trait Child: Sized {
    /// The children of `el` (taken out of it, which keeps its name and span) as this kind.
    fn lower_all(el: &Element, children: Vec<Node>, allowed: &[&str], cx: &mut Lower) -> Vec<Self>;
    fn to_node(&self) -> Node;
}

impl Child for Node {
    fn lower_all(el: &Element, children: Vec<Node>, allowed: &[&str], cx: &mut Lower) -> Vec<Self> {
        for c in &children {
            if let Node::Element(e) = c {
                if !allowed.contains(&e.name.as_str()) && !allowed.contains(&"*") {
                    cx.unknown_element(el, e);
                }
            }
        }
        children
    }
    fn to_node(&self) -> Node {
        self.clone()
    }
}

macro_rules! twiml_element {
    (
        $(#[$doc:meta])*
        $name:ident = $tag:literal, children: $child:ty, allowed: [$($allowed:literal),*],
        { $( $(#[$fdoc:meta])* $field:ident : $attr:literal => $ty:ty ),* $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize)]
        #[serde(rename_all = "camelCase")]
        #[non_exhaustive]
        pub struct $name {
            $( $(#[$fdoc])* pub $field: Option<$ty>, )*
            /// Every attribute as written, documented or not, in order (what the writer writes).
            pub attributes: Vec<Attr>,
            /// Child content in document order.
            pub children: Vec<$child>,
            /// Where the element is in the input.
            pub span: Span,
        }

        impl crate::twiml::compact::Typed for $name {
            #[allow(unused_variables, unused_mut, unused_assignments)]
            fn write_fields(&self, out: &mut crate::twiml::compact::Out<'_>) {
                let mut index = 0;
                $(
                    index += 1;
                    if let Some(v) = &self.$field {
                        out.field(index, v);
                    }
                )*
            }
            fn write_rest(&self, out: &mut crate::twiml::compact::Out<'_>) {
                out.rest(&self.attributes, &self.children, self.span);
            }
        }

        impl $name {
            /// The element's tag name.
            pub const TAG: &'static str = $tag;
            /// The documented attributes of this element.
            pub const ATTRIBUTES: &'static [&'static str] = &[$($attr),*];

            /// The element without attributes, holding `children`, at `span`: what a
            /// parse of `<Tag>children</Tag>` lowers to, made without writing and parsing it.
            pub(crate) fn holding(children: Vec<$child>, span: Span) -> Self {
                $name { $( $field: None, )* attributes: Vec::new(), children, span }
            }

            /// Lowers `el`, taking its attributes and children (nothing is cloned; the
            /// tree is freed as the model is built).
            #[allow(unused_variables)]
            #[inline(never)] // one copy per element type (<Say> is lowered in <Response> and in <Gather>)
            pub(crate) fn lower(mut el: Element, cx: &mut Lower) -> Self {
                let mut out = $name::holding(Vec::new(), el.span);
                for a in &el.attributes {
                    match a.name.as_str() {
                        $( $attr => out.$field = cx.value::<$ty>(&el, a), )*
                        _ => cx.unknown_attribute(&el, a, Self::ATTRIBUTES),
                    }
                }
                let children = std::mem::take(&mut el.children);
                out.children = <$child as Child>::lower_all(&el, children, &[$($allowed),*], cx);
                out.attributes = el.attributes;
                out
            }

            /// The generic element this node was lowered from (spans kept).
            pub fn to_element(&self) -> Element {
                Element {
                    name: $tag.to_string(),
                    attributes: self.attributes.clone(),
                    children: self.children.iter().map(Child::to_node).collect(),
                    span: self.span,
                }
            }

            /// The value of the attribute `name` as written, documented or not.
            pub fn attr(&self, name: &str) -> Option<&str> {
                self.attributes.iter().find(|a| a.name == name).map(|a| a.value.as_str())
            }

            /// The attribute `name` with its span, when present.
            pub fn attr_node(&self, name: &str) -> Option<&Attr> {
                self.attributes.iter().find(|a| a.name == name)
            }

            /// Attributes that are not documented for this element.
            pub fn unknown_attributes(&self) -> impl Iterator<Item = &Attr> {
                self.attributes.iter().filter(|a| !Self::ATTRIBUTES.contains(&a.name.as_str()))
            }
        }
    };
}

macro_rules! leaf_text {
    ($($name:ident),*) => {$(
        impl $name {
            /// The element's text content (text children concatenated).
            pub fn text(&self) -> String {
                let mut s = String::new();
                for c in &self.children {
                    if let Node::Text(t) = c {
                        s.push_str(&t.value);
                    }
                }
                s
            }
        }
    )*};
}

twiml_element! {
    /// `<Dial>`: connect the caller to another party (the nouns below, or a number as text).
    Dial = "Dial", children: DialChild, allowed: [], {
        /// `action`: URL requested when the dialled call ends.
        action: "action" => String,
        /// `method`: how `action` is requested (default POST).
        method: "method" => Method,
        /// `timeout`: seconds to wait for an answer (default 30, 5 to 600).
        timeout: "timeout" => u32,
        /// `hangupOnStar`: the caller can press `*` to hang up the called party.
        hangup_on_star: "hangupOnStar" => bool,
        /// `timeLimit`: maximum call duration in seconds (default 14400).
        time_limit: "timeLimit" => u32,
        /// `callerId`: the caller ID shown to the called party.
        caller_id: "callerId" => String,
        /// `record`: `do-not-record`, `record-from-answer`, ... (`true`/`false` are aliases).
        record: "record" => String,
        /// `trim`: `trim-silence` or `do-not-trim`.
        trim: "trim" => String,
        /// `recordingStatusCallback`: URL told about the recording.
        recording_status_callback: "recordingStatusCallback" => String,
        /// `recordingStatusCallbackMethod`.
        recording_status_callback_method: "recordingStatusCallbackMethod" => Method,
        /// `recordingStatusCallbackEvent`: space-separated events.
        recording_status_callback_event: "recordingStatusCallbackEvent" => String,
        /// `answerOnBridge`: keep the caller ringing until the called party answers (default false).
        answer_on_bridge: "answerOnBridge" => bool,
        /// `ringTone`: country code of the ringback tone.
        ring_tone: "ringTone" => String,
        /// `recordingTrack`: `both`, `inbound` or `outbound`.
        recording_track: "recordingTrack" => String,
        /// `sequential`: dial the nouns one after the other.
        sequential: "sequential" => bool,
        /// `referUrl`: URL requested when the dialled leg sends a SIP REFER.
        refer_url: "referUrl" => String,
        /// `referMethod`: how `referUrl` is requested (default POST).
        refer_method: "referMethod" => Method,
        /// `events`: call progress events.
        events: "events" => String,
        /// `callReason`: why the call is made, up to 50 characters (`dial.attributes`); not simulated.
        call_reason: "callReason" => String,
    }
}

impl Dial {
    /// `referMethod`, or `POST` when absent or invalid. \[doc\]
    pub fn refer_method_or_default(&self) -> Method {
        self.refer_method.unwrap_or(Method::Post)
    }
    /// `method`, or `POST` when absent or invalid. \[doc\]
    pub fn method_or_default(&self) -> Method {
        self.method.unwrap_or(Method::Post)
    }
    /// `timeout` in seconds, or 30 when absent or invalid. \[doc\]
    pub fn timeout_or_default(&self) -> u32 {
        self.timeout.unwrap_or(30)
    }
    /// `answerOnBridge`, or false when absent or invalid. \[doc\]
    pub fn answer_on_bridge_or_default(&self) -> bool {
        self.answer_on_bridge.unwrap_or(false)
    }
    /// `hangupOnStar`, or false when absent or invalid. \[assumed\]: the default is not in a page read.
    pub fn hangup_on_star_or_default(&self) -> bool {
        self.hangup_on_star.unwrap_or(false)
    }
    /// `timeLimit` in seconds, or 14400 (4 hours) when absent or invalid. \[doc\]
    pub fn time_limit_or_default(&self) -> u32 {
        self.time_limit.unwrap_or(14_400)
    }
    /// The nouns (and unknown elements) of this `<Dial>`, without text.
    pub fn nouns(&self) -> impl Iterator<Item = &DialChild> {
        self.children.iter().filter(|c| !matches!(c, DialChild::Text(_)))
    }
    /// The number written directly as text (`<Dial>+14155550100</Dial>`), trimmed, if any.
    pub fn text_number(&self) -> Option<String> {
        let mut s = String::new();
        for c in &self.children {
            if let DialChild::Text(t) = c {
                s.push_str(&t.value);
            }
        }
        let t = s.trim();
        if t.is_empty() {
            None
        } else {
            Some(t.to_string())
        }
    }
}

twiml_element! {
    /// `<Sip>` in `<Dial>`: a SIP URI to call.
    Sip = "Sip", children: Content, allowed: [], {
        /// `username` for digest authentication.
        username: "username" => String,
        /// `password` for digest authentication.
        password: "password" => String,
        /// `url`: TwiML run on the called party before bridging.
        url: "url" => String,
        /// `method` for `url`.
        method: "method" => Method,
        /// `statusCallbackEvent`: space-separated events.
        status_callback_event: "statusCallbackEvent" => String,
        /// `statusCallback` URL.
        status_callback: "statusCallback" => String,
        /// `statusCallbackMethod`.
        status_callback_method: "statusCallbackMethod" => Method,
        /// `machineDetection`.
        machine_detection: "machineDetection" => String,
        /// `amdStatusCallback`.
        amd_status_callback: "amdStatusCallback" => String,
        /// `amdStatusCallbackMethod`.
        amd_status_callback_method: "amdStatusCallbackMethod" => Method,
        /// `machineDetectionTimeout` in seconds.
        machine_detection_timeout: "machineDetectionTimeout" => u32,
        /// `customerId`.
        customer_id: "customerId" => String,
    }
}

twiml_element! {
    /// `<Number>` in `<Dial>`: a phone number to call.
    Number = "Number", children: Content, allowed: [], {
        /// `sendDigits` played once answered.
        send_digits: "sendDigits" => String,
        /// `url`: TwiML run on the called party before bridging.
        url: "url" => String,
        /// `method` for `url`.
        method: "method" => Method,
        /// `statusCallbackEvent`.
        status_callback_event: "statusCallbackEvent" => String,
        /// `statusCallback` URL.
        status_callback: "statusCallback" => String,
        /// `statusCallbackMethod`.
        status_callback_method: "statusCallbackMethod" => Method,
        /// `byoc` trunk SID.
        byoc: "byoc" => String,
        /// `machineDetection`.
        machine_detection: "machineDetection" => String,
        /// `amdStatusCallback`.
        amd_status_callback: "amdStatusCallback" => String,
        /// `amdStatusCallbackMethod`.
        amd_status_callback_method: "amdStatusCallbackMethod" => Method,
        /// `machineDetectionTimeout` in seconds.
        machine_detection_timeout: "machineDetectionTimeout" => u32,
    }
}

twiml_element! {
    /// `<Client>` in `<Dial>`: a Voice SDK client identity.
    Client = "Client", children: Content, allowed: ["Identity", "Parameter"], {
        /// `url`: TwiML run on the called party before bridging.
        url: "url" => String,
        /// `method` for `url`.
        method: "method" => Method,
        /// `statusCallbackEvent`.
        status_callback_event: "statusCallbackEvent" => String,
        /// `statusCallback` URL.
        status_callback: "statusCallback" => String,
        /// `statusCallbackMethod`.
        status_callback_method: "statusCallbackMethod" => Method,
    }
}

twiml_element! {
    /// `<Conference>` in `<Dial>`: a named conference room (REFER is not supported there).
    Conference = "Conference", children: Content, allowed: [], {
        /// `muted`.
        muted: "muted" => bool,
        /// `beep`: `true`, `false`, `onEnter`, `onExit`.
        beep: "beep" => String,
        /// `startConferenceOnEnter`.
        start_conference_on_enter: "startConferenceOnEnter" => bool,
        /// `endConferenceOnExit`.
        end_conference_on_exit: "endConferenceOnExit" => bool,
        /// `waitUrl`.
        wait_url: "waitUrl" => String,
        /// `waitMethod`.
        wait_method: "waitMethod" => Method,
        /// `maxParticipants`.
        max_participants: "maxParticipants" => u32,
        /// `record`.
        record: "record" => String,
        /// `region`.
        region: "region" => String,
        /// `coach`: call SID to coach.
        coach: "coach" => String,
        /// `trim`.
        trim: "trim" => String,
        /// `statusCallbackEvent`.
        status_callback_event: "statusCallbackEvent" => String,
        /// `statusCallback`.
        status_callback: "statusCallback" => String,
        /// `statusCallbackMethod`.
        status_callback_method: "statusCallbackMethod" => Method,
        /// `recordingStatusCallback`.
        recording_status_callback: "recordingStatusCallback" => String,
        /// `recordingStatusCallbackMethod`.
        recording_status_callback_method: "recordingStatusCallbackMethod" => Method,
        /// `recordingStatusCallbackEvent`.
        recording_status_callback_event: "recordingStatusCallbackEvent" => String,
        /// `eventCallbackUrl`.
        event_callback_url: "eventCallbackUrl" => String,
        /// `jitterBufferSize`.
        jitter_buffer_size: "jitterBufferSize" => String,
        /// `participantLabel`.
        participant_label: "participantLabel" => String,
    }
}

twiml_element! {
    /// `<Queue>` in `<Dial>`: dequeue a caller waiting in a named queue (REFER is not supported there).
    Queue = "Queue", children: Content, allowed: [], {
        /// `url` played to the dequeued caller.
        url: "url" => String,
        /// `method` for `url`.
        method: "method" => Method,
        /// `reservationSid` (TaskRouter).
        reservation_sid: "reservationSid" => String,
        /// `postWorkActivitySid` (TaskRouter).
        post_work_activity_sid: "postWorkActivitySid" => String,
    }
}

twiml_element! {
    /// `<Sim>` in `<Dial>`: a Programmable Wireless SIM SID.
    Sim = "Sim", children: Content, allowed: [], {}
}

twiml_element! {
    /// `<Say>`: text to speech; SSML child elements are kept generic.
    Say = "Say", children: Content, allowed: ["*"], {
        /// `voice`.
        voice: "voice" => String,
        /// `loop`: times to repeat (0 = until the call ends).
        #[serde(rename = "loop")]
        loop_: "loop" => u32,
        /// `language`.
        language: "language" => String,
    }
}

twiml_element! {
    /// `<Play>`: play an audio URL (or DTMF `digits`).
    Play = "Play", children: Content, allowed: [], {
        /// `loop`: times to repeat.
        #[serde(rename = "loop")]
        loop_: "loop" => u32,
        /// `digits` to play as DTMF.
        digits: "digits" => String,
    }
}

twiml_element! {
    /// `<Pause>`: silence.
    Pause = "Pause", children: Content, allowed: [], {
        /// `length` in seconds (default 1).
        length: "length" => u32,
    }
}

twiml_element! {
    /// `<Gather>`: collect DTMF or speech while nested `<Say>`/`<Play>`/`<Pause>` run.
    Gather = "Gather", children: GatherChild, allowed: [], {
        /// `action` URL.
        action: "action" => String,
        /// `method` for `action`.
        method: "method" => Method,
        /// `timeout` in seconds (default 5).
        timeout: "timeout" => u32,
        /// `finishOnKey`.
        finish_on_key: "finishOnKey" => String,
        /// `numDigits`.
        num_digits: "numDigits" => u32,
        /// `input`: `dtmf`, `speech` or both, space-separated.
        input: "input" => String,
        /// `speechTimeout`: seconds or `auto`.
        speech_timeout: "speechTimeout" => String,
        /// `maxSpeechTime` in seconds.
        max_speech_time: "maxSpeechTime" => u32,
        /// `profanityFilter`.
        profanity_filter: "profanityFilter" => bool,
        /// `partialResultCallback`.
        partial_result_callback: "partialResultCallback" => String,
        /// `partialResultCallbackMethod`.
        partial_result_callback_method: "partialResultCallbackMethod" => Method,
        /// `language`.
        language: "language" => String,
        /// `hints`.
        hints: "hints" => String,
        /// `bargeIn`.
        barge_in: "bargeIn" => bool,
        /// `debug`.
        debug: "debug" => bool,
        /// `actionOnEmptyResult`.
        action_on_empty_result: "actionOnEmptyResult" => bool,
        /// `speechModel`.
        speech_model: "speechModel" => String,
        /// `enhanced`.
        enhanced: "enhanced" => bool,
    }
}

twiml_element! {
    /// `<Hangup>`: end the call.
    Hangup = "Hangup", children: Content, allowed: ["Parameter"], {}
}

twiml_element! {
    /// `<Redirect>`: continue with the TwiML at a URL (the text).
    Redirect = "Redirect", children: Content, allowed: [], {
        /// `method` for the URL.
        method: "method" => Method,
    }
}

twiml_element! {
    /// `<Reject>`: refuse an incoming call without billing it.
    Reject = "Reject", children: Content, allowed: ["Parameter"], {
        /// `reason`: `rejected` or `busy`.
        reason: "reason" => String,
    }
}

twiml_element! {
    /// `<Enqueue>`: put the caller in a named queue (REFER is not supported there).
    Enqueue = "Enqueue", children: Content, allowed: ["Task"], {
        /// `action` URL.
        action: "action" => String,
        /// `maxQueueSize`.
        max_queue_size: "maxQueueSize" => u32,
        /// `method` for `action`.
        method: "method" => Method,
        /// `waitUrl`.
        wait_url: "waitUrl" => String,
        /// `waitUrlMethod`.
        wait_url_method: "waitUrlMethod" => Method,
        /// `workflowSid` (TaskRouter).
        workflow_sid: "workflowSid" => String,
    }
}

twiml_element! {
    /// `<Leave>`: leave the queue the caller is in.
    Leave = "Leave", children: Content, allowed: [], {}
}

twiml_element! {
    /// `<Record>`: record the caller.
    Record = "Record", children: Content, allowed: [], {
        /// `action` URL.
        action: "action" => String,
        /// `method` for `action`.
        method: "method" => Method,
        /// `timeout`: seconds of silence that end the recording.
        timeout: "timeout" => u32,
        /// `finishOnKey`.
        finish_on_key: "finishOnKey" => String,
        /// `maxLength` in seconds.
        max_length: "maxLength" => u32,
        /// `playBeep`.
        play_beep: "playBeep" => bool,
        /// `trim`.
        trim: "trim" => String,
        /// `recordingStatusCallback`.
        recording_status_callback: "recordingStatusCallback" => String,
        /// `recordingStatusCallbackMethod`.
        recording_status_callback_method: "recordingStatusCallbackMethod" => Method,
        /// `recordingStatusCallbackEvent`.
        recording_status_callback_event: "recordingStatusCallbackEvent" => String,
        /// `transcribe`.
        transcribe: "transcribe" => bool,
        /// `transcribeCallback`.
        transcribe_callback: "transcribeCallback" => String,
    }
}

twiml_element! {
    /// `<Refer>`: Twilio sends a SIP REFER on a SIP leg (outbound transfer; 13801 elsewhere).
    Refer = "Refer", children: ReferChild, allowed: [], {
        /// `action` URL, requested with `ReferCallStatus`, `ReferSipResponseCode`, `NotifySipResponseCode`.
        action: "action" => String,
        /// `method` for `action`.
        method: "method" => Method,
    }
}

twiml_element! {
    /// `<Sip>` in `<Refer>`: the transfer target.
    ReferSip = "Sip", children: Content, allowed: [], {}
}

leaf_text!(Sip, Number, Client, Conference, Queue, Sim, Say, Play, Redirect, Enqueue, ReferSip);

impl Client {
    /// The identity the `<Client>` rings: the text of its `<Identity>` child when it has one
    /// (`<Client><Identity>alice</Identity><Parameter .../></Client>`, the form Twilio's support
    /// article "Passing Custom Information via Requests to Twilio" writes beside `<Parameter>`,
    /// doc `client.identity`), else its own text (`<Client>alice</Client>`).
    pub fn identity(&self) -> String {
        match self.children.iter().find_map(|c| match c {
            Node::Element(e) if e.name == "Identity" => Some(e),
            _ => None,
        }) {
            Some(identity) => identity.text(),
            None => self.text(),
        }
    }
}

/// A child of `<Dial>`, in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum DialChild {
    /// A number written directly as text (whitespace-only runs are dropped).
    Text(Text),
    /// `<Sip>`.
    Sip(Sip),
    /// `<Number>`.
    Number(Number),
    /// `<Client>`.
    Client(Client),
    /// `<Conference>`.
    Conference(Conference),
    /// `<Queue>`.
    Queue(Queue),
    /// `<Sim>`.
    Sim(Sim),
    /// Any other element, kept as written and reported.
    Unknown(Element),
}

impl DialChild {
    /// The address a calling noun rings: the `<Sip>` URI, the `<Number>`, or
    /// `client:<identity>` for `<Client>`; `None` for the other children.
    pub fn party(&self) -> Option<String> {
        match self {
            DialChild::Sip(s) => Some(s.text().trim().to_string()),
            DialChild::Number(n) => Some(n.text().trim().to_string()),
            DialChild::Client(c) => Some(format!("client:{}", c.identity().trim())),
            _ => None,
        }
    }

    /// Where the child is in the input.
    pub fn span(&self) -> Span {
        match self {
            DialChild::Text(t) => t.span,
            DialChild::Sip(x) => x.span,
            DialChild::Number(x) => x.span,
            DialChild::Client(x) => x.span,
            DialChild::Conference(x) => x.span,
            DialChild::Queue(x) => x.span,
            DialChild::Sim(x) => x.span,
            DialChild::Unknown(x) => x.span,
        }
    }
    /// The tag name (`#text` for text).
    pub fn tag(&self) -> &str {
        match self {
            DialChild::Text(_) => "#text",
            DialChild::Sip(_) => "Sip",
            DialChild::Number(_) => "Number",
            DialChild::Client(_) => "Client",
            DialChild::Conference(_) => "Conference",
            DialChild::Queue(_) => "Queue",
            DialChild::Sim(_) => "Sim",
            DialChild::Unknown(e) => &e.name,
        }
    }
}

impl Child for DialChild {
    fn lower_all(el: &Element, children: Vec<Node>, _allowed: &[&str], cx: &mut Lower) -> Vec<Self> {
        let mut out = Vec::with_capacity(significant(&children));
        for c in children {
            out.push(match c {
                Node::Text(t) if t.is_whitespace() => continue,
                Node::Text(t) => DialChild::Text(t),
                Node::Element(e) => match e.name.as_str() {
                    "Sip" => DialChild::Sip(Sip::lower(e, cx)),
                    "Number" => DialChild::Number(Number::lower(e, cx)),
                    "Client" => DialChild::Client(Client::lower(e, cx)),
                    "Conference" => DialChild::Conference(Conference::lower(e, cx)),
                    "Queue" => DialChild::Queue(Queue::lower(e, cx)),
                    "Sim" => DialChild::Sim(Sim::lower(e, cx)),
                    _ => {
                        cx.unknown_element(el, &e);
                        DialChild::Unknown(e)
                    }
                },
            });
        }
        out
    }
    fn to_node(&self) -> Node {
        Node::Element(match self {
            DialChild::Text(t) => return Node::Text(t.clone()),
            DialChild::Sip(x) => x.to_element(),
            DialChild::Number(x) => x.to_element(),
            DialChild::Client(x) => x.to_element(),
            DialChild::Conference(x) => x.to_element(),
            DialChild::Queue(x) => x.to_element(),
            DialChild::Sim(x) => x.to_element(),
            DialChild::Unknown(e) => e.clone(),
        })
    }
}

/// A child of `<Gather>`, in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum GatherChild {
    /// `<Say>`.
    Say(Say),
    /// `<Play>`.
    Play(Play),
    /// `<Pause>`.
    Pause(Pause),
    /// Non-whitespace text, kept and reported.
    Text(Text),
    /// Any other element, kept as written and reported.
    Unknown(Element),
}

impl Child for GatherChild {
    fn lower_all(el: &Element, children: Vec<Node>, _allowed: &[&str], cx: &mut Lower) -> Vec<Self> {
        let mut out = Vec::with_capacity(significant(&children));
        for c in children {
            out.push(match c {
                Node::Text(t) if t.is_whitespace() => continue,
                Node::Text(t) => {
                    cx.unexpected_text(el, &t);
                    GatherChild::Text(t)
                }
                Node::Element(e) => match e.name.as_str() {
                    "Say" => GatherChild::Say(Say::lower(e, cx)),
                    "Play" => GatherChild::Play(Play::lower(e, cx)),
                    "Pause" => GatherChild::Pause(Pause::lower(e, cx)),
                    _ => {
                        cx.unknown_element(el, &e);
                        GatherChild::Unknown(e)
                    }
                },
            });
        }
        out
    }
    fn to_node(&self) -> Node {
        Node::Element(match self {
            GatherChild::Say(x) => x.to_element(),
            GatherChild::Play(x) => x.to_element(),
            GatherChild::Pause(x) => x.to_element(),
            GatherChild::Text(t) => return Node::Text(t.clone()),
            GatherChild::Unknown(e) => e.clone(),
        })
    }
}

/// A child of `<Refer>`, in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum ReferChild {
    /// `<Sip>`: the transfer target.
    Sip(ReferSip),
    /// Non-whitespace text, kept and reported.
    Text(Text),
    /// Any other element, kept as written and reported.
    Unknown(Element),
}

impl Child for ReferChild {
    fn lower_all(el: &Element, children: Vec<Node>, _allowed: &[&str], cx: &mut Lower) -> Vec<Self> {
        let mut out = Vec::with_capacity(significant(&children));
        for c in children {
            out.push(match c {
                Node::Text(t) if t.is_whitespace() => continue,
                Node::Text(t) => {
                    cx.unexpected_text(el, &t);
                    ReferChild::Text(t)
                }
                Node::Element(e) if e.name == "Sip" => ReferChild::Sip(ReferSip::lower(e, cx)),
                Node::Element(e) => {
                    cx.unknown_element(el, &e);
                    ReferChild::Unknown(e)
                }
            });
        }
        out
    }
    fn to_node(&self) -> Node {
        match self {
            ReferChild::Sip(x) => Node::Element(x.to_element()),
            ReferChild::Text(t) => Node::Text(t.clone()),
            ReferChild::Unknown(e) => Node::Element(e.clone()),
        }
    }
}

/// A child of `<Response>`: a verb, in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type")]
#[non_exhaustive]
pub enum Verb {
    /// `<Dial>`.
    Dial(Dial),
    /// `<Say>`.
    Say(Say),
    /// `<Play>`.
    Play(Play),
    /// `<Pause>`.
    Pause(Pause),
    /// `<Gather>`.
    Gather(Gather),
    /// `<Hangup>`.
    Hangup(Hangup),
    /// `<Redirect>`.
    Redirect(Redirect),
    /// `<Reject>`.
    Reject(Reject),
    /// `<Enqueue>`.
    Enqueue(Enqueue),
    /// `<Leave>`.
    Leave(Leave),
    /// `<Record>`.
    Record(Record),
    /// `<Refer>`.
    Refer(Refer),
    /// Non-whitespace text, kept and reported.
    Text(Text),
    /// Any other element (including a misplaced noun), kept as written and reported.
    Unknown(Element),
}

impl Verb {
    /// The tag name (`#text` for text).
    pub fn tag(&self) -> &str {
        match self {
            Verb::Dial(_) => "Dial",
            Verb::Say(_) => "Say",
            Verb::Play(_) => "Play",
            Verb::Pause(_) => "Pause",
            Verb::Gather(_) => "Gather",
            Verb::Hangup(_) => "Hangup",
            Verb::Redirect(_) => "Redirect",
            Verb::Reject(_) => "Reject",
            Verb::Enqueue(_) => "Enqueue",
            Verb::Leave(_) => "Leave",
            Verb::Record(_) => "Record",
            Verb::Refer(_) => "Refer",
            Verb::Text(_) => "#text",
            Verb::Unknown(e) => &e.name,
        }
    }
}

impl Verb {
    /// One child of `<Response>` (`el`) as a verb; `None` for a whitespace-only text run.
    pub(crate) fn lower_one(el: &Element, c: Node, cx: &mut Lower) -> Option<Verb> {
        Some(match c {
            Node::Text(t) if t.is_whitespace() => return None,
            Node::Text(t) => {
                cx.unexpected_text(el, &t);
                Verb::Text(t)
            }
            Node::Element(e) => match e.name.as_str() {
                "Dial" => Verb::Dial(Dial::lower(e, cx)),
                "Say" => Verb::Say(Say::lower(e, cx)),
                "Play" => Verb::Play(Play::lower(e, cx)),
                "Pause" => Verb::Pause(Pause::lower(e, cx)),
                "Gather" => Verb::Gather(Gather::lower(e, cx)),
                "Hangup" => Verb::Hangup(Hangup::lower(e, cx)),
                "Redirect" => Verb::Redirect(Redirect::lower(e, cx)),
                "Reject" => Verb::Reject(Reject::lower(e, cx)),
                "Enqueue" => Verb::Enqueue(Enqueue::lower(e, cx)),
                "Leave" => Verb::Leave(Leave::lower(e, cx)),
                "Record" => Verb::Record(Record::lower(e, cx)),
                "Refer" => Verb::Refer(Refer::lower(e, cx)),
                _ => {
                    cx.unknown_element(el, &e);
                    Verb::Unknown(e)
                }
            },
        })
    }
}

impl Child for Verb {
    fn lower_all(el: &Element, children: Vec<Node>, _allowed: &[&str], cx: &mut Lower) -> Vec<Self> {
        let mut out = Vec::with_capacity(significant(&children));
        out.extend(children.into_iter().filter_map(|c| Verb::lower_one(el, c, cx)));
        out
    }
    fn to_node(&self) -> Node {
        Node::Element(match self {
            Verb::Dial(x) => x.to_element(),
            Verb::Say(x) => x.to_element(),
            Verb::Play(x) => x.to_element(),
            Verb::Pause(x) => x.to_element(),
            Verb::Gather(x) => x.to_element(),
            Verb::Hangup(x) => x.to_element(),
            Verb::Redirect(x) => x.to_element(),
            Verb::Reject(x) => x.to_element(),
            Verb::Enqueue(x) => x.to_element(),
            Verb::Leave(x) => x.to_element(),
            Verb::Record(x) => x.to_element(),
            Verb::Refer(x) => x.to_element(),
            Verb::Text(t) => return Node::Text(t.clone()),
            Verb::Unknown(e) => e.clone(),
        })
    }
}

twiml_element! {
    /// `<Response>`: the root of a Voice TwiML document; its children are verbs run in order.
    Response = "Response", children: Verb, allowed: [], {}
}

impl Response {
    /// Lower a generic tree whose root is `<Response>` to the typed model,
    /// returning the schema diagnostics (unknown attributes and elements, bad values).
    /// Their line and column are not filled in (see [`Diagnostic::locate`]).
    pub fn from_element(el: &Element) -> (Response, Vec<Diagnostic>) {
        Response::from_owned(el.clone())
    }

    /// [`Response::from_element`], taking the tree: its attributes, texts and
    /// elements move into the model instead of being copied.
    pub fn from_owned(el: Element) -> (Response, Vec<Diagnostic>) {
        let mut cx = Lower::default();
        let r = Response::lower(el, &mut cx);
        (r, cx.diagnostics)
    }

    /// The schema diagnostics of `<Response>`'s own attributes, as [`Response::lower`]
    /// reports them first (it documents none: each is `unknown_attribute`).
    pub(crate) fn lower_attributes(el: &Element, cx: &mut Lower) {
        for a in &el.attributes {
            cx.unknown_attribute(el, a, &[]);
        }
    }

    /// The verbs in document order (alias of `children`).
    pub fn verbs(&self) -> &[Verb] {
        &self.children
    }

    /// The `<Dial>` verbs in document order.
    pub fn dials(&self) -> impl Iterator<Item = &Dial> {
        self.children.iter().filter_map(|v| match v {
            Verb::Dial(d) => Some(d),
            _ => None,
        })
    }

    /// The same model with every span reset, for comparing models built from
    /// different sources (a parse and a builder, or a parse of a rewrite).
    pub fn without_spans(&self) -> Response {
        let mut el = self.to_element();
        el.clear_spans();
        Response::from_element(&el).0
    }
}

/// The documented attribute `name` is most likely a misspelling of: the nearest by edit
/// distance ignoring ASCII case (so `answerOnbridge` and `referURL`, at distance 0, come
/// first), when at most 2 and shorter than either name (so `to` never suggests `do`). Names
/// over 64 bytes are not compared (bounded work on hostile input).
#[inline(never)]
fn suggestion<'a>(name: &str, documented: &[&'a str]) -> Option<&'a str> {
    let mut best: Option<&'a str> = None;
    let mut best_distance = 3;
    for d in documented {
        // The distance is at least the difference in length: no table needed past it.
        if name.len().abs_diff(d.len()) >= best_distance {
            continue;
        }
        let distance = edit_distance(name.as_bytes(), d.as_bytes());
        if distance < best_distance && distance < d.len().min(name.len()) {
            best = Some(d);
            best_distance = distance;
        }
    }
    best
}

/// Levenshtein distance over bytes, ignoring ASCII case; `usize::MAX` past 64 bytes.
/// One row of the table, updated in place (no indexing that could panic).
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut cells = [0usize; 65];
    let Some(row) = cells.get_mut(..=b.len()).filter(|_| a.len() <= 64) else { return usize::MAX };
    for (j, cell) in row.iter_mut().enumerate() {
        *cell = j;
    }
    for ca in a {
        // The first cell: `ca` and every byte before it deleted, one more than the row above's.
        let mut diagonal = row.first().copied().unwrap_or_default();
        let mut left = diagonal + 1;
        if let Some(first) = row.first_mut() {
            *first = left;
        }
        for (cell, cb) in row.iter_mut().skip(1).zip(b) {
            let above = *cell;
            left = (above + 1).min(left + 1).min(diagonal + usize::from(!ca.eq_ignore_ascii_case(cb)));
            *cell = left;
            diagonal = above;
        }
    }
    row.last().copied().unwrap_or(usize::MAX)
}
