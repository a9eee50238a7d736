//! The scenario: the JSON a user writes to describe a call, its REFER, the
//! application behind `referUrl`, and how each endpoint behaves. Field names
//! are the public contract; every field but `initialTwiml` and `refer` has a
//! default, and an unknown field is an error naming it.
//!
//! # Limits
//!
//! Every text and collection is bounded, so any input costs bounded time and
//! memory; past a limit [`Scenario::from_json`] fails with code `too_large`
//! (a time: `bad_time`) and `field` holding the path in the user's object
//! (`endpoints["sip:AgentB@example.com"].afterMs`). Sources: `doc` is the
//! vendor's page, `ours` a bound refer-sim chose.
//!
//! | what | limit | source |
//! |---|---|---|
//! | the whole scenario, as JSON text | 1 MiB ([`MAX_SCENARIO_BYTES`]); `field` is its longest string's path ([`ScenarioError::too_large`]) | ours |
//! | `initialTwiml`, each `app[url].twiml` | 64 kB, read as 65,536 bytes ([`MAX_TWIML_BYTES`]) | doc: Twilio error 11750, "the response body is larger than 64 kB" (<https://www.twilio.com/docs/api/errors/11750>) |
//! | an application's answer's `twiml` (`onWebhook`, a live server) | 1 MiB ([`MAX_ANSWER_TWIML_BYTES`]) | ours; over 64 kB the run shows Twilio failing the request with 11750 |
//! | each Refer-To value (`refer.referTo`, `chainedRefers[i].referTo`) | 4,096 bytes ([`MAX_REFER_TO_BYTES`]) | ours: 16 times Twilio's documented 256 characters, so the refusal of a long one can be simulated |
//! | `refer.referTo` as a list | 8 values ([`MAX_REFER_TO_VALUES`]) | ours (RFC 3515 wants exactly one) |
//! | `chainedRefers` | 16 ([`MAX_CHAINED_REFERS`]) | ours |
//! | `app` entries, `endpoints` entries | 64 each ([`MAX_ENTRIES`]) | ours |
//! | an `app` URL | 2,048 bytes ([`MAX_URL_BYTES`]) | ours |
//! | an `endpoints` address, `caller.from`, `caller.to` | 256 bytes ([`MAX_ADDRESS_BYTES`]) | ours: they are repeated in every SIP text of the ladder |
//! | `callerDigits` | 64 entries of 64 bytes ([`MAX_DIGIT_ENTRIES`], [`MAX_DIGITS_BYTES`]) | ours |
//! | `callerKeys` | 64 entries ([`MAX_DIGIT_ENTRIES`]), each `digits` 1 to 64 bytes of `0`-`9`, `*`, `#` ([`MAX_DIGITS_BYTES`]) | ours (the keys of a phone pad) |
//! | every time (`atMs`, `afterMs`, `latencyMs`, `hangupAfterMs`, `callerKeys[i].atMs`) | an integer from 0 to 2^40 ms, about 35 years ([`MAX_TIME_MS`]) | ours: far below 2^53, so sums of times stay exact in JavaScript |
//! | `endpoints[a].responseHeaders` | 16 entries ([`MAX_RESPONSE_HEADERS`]); an `X-` name of at most 64 bytes ([`MAX_HEADER_NAME_BYTES`]), a one-line value of at most 1,023 ([`MAX_HEADER_VALUE_BYTES`]) | ours (the value: under the 1,024 characters Twilio allows a header it sends) |

#[cfg(test)]
use serde::Deserialize;
use serde::Serialize;
use std::collections::BTreeMap;

pub(crate) mod read;
use read::{custom, Json, Res};

pub use crate::transfer::ReferFrom;

/// One or several Refer-To header values (RFC 3515 wants exactly one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(untagged)]
pub enum ReferToHeaders {
    /// The usual single header.
    One(String),
    /// Zero or several headers (refused with `400 Bad Request`), or one in a list.
    Many(Vec<String>),
}

impl ReferToHeaders {
    /// The values, in order.
    pub fn values(&self) -> Vec<&str> {
        match self {
            ReferToHeaders::One(s) => vec![s.as_str()],
            ReferToHeaders::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// The REFER the transferor sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReferInput {
    /// When it is sent, in ms after the call started.
    pub at_ms: u64,
    /// The Refer-To header value(s).
    pub refer_to: ReferToHeaders,
    /// `Refer-Sub: false` (RFC 4488) asks for no NOTIFY.
    #[serde(default = "yes")]
    pub refer_sub: bool,
}

/// A later REFER sent by the newest target once it is bridged (a chained transfer).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChainedRefer {
    /// Delay after the target is bridged with the transferee.
    #[serde(default = "default_chain_delay")]
    pub after_ms: u64,
    /// The Refer-To header value.
    pub refer_to: String,
}

/// What the application at a URL answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppResponse {
    /// HTTP status (200 by default).
    #[serde(default = "default_status")]
    pub status: u16,
    /// Time to answer, or to fail when unreachable. Twilio gives up at 15 000 ms (error 11205,
    /// `WEBHOOK_TOTAL_TIMEOUT_MS`): an answer that late or later never arrives in time.
    #[serde(default = "default_latency")]
    pub latency_ms: u64,
    /// The body of the answer (TwiML unless `content_type` says otherwise). Absent or `null`, the
    /// body is empty, as a live server's empty answer: with the default text/xml that is error
    /// 12100 (an empty document does not parse), whatever the status, 204 included.
    #[serde(default)]
    pub twiml: Option<String>,
    /// The host does not answer at all (connection failure).
    #[serde(default)]
    pub unreachable: bool,
    /// The answer's Content-Type header (`contentType`), which decides how Twilio reads the
    /// body (`twiml.mime-types`): absent, `text/xml` (the answer is TwiML, as before the field
    /// existed); `Some("")` (JSON `null` or `""`), the answer had no Content-Type (12300).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The URL whose answer this is when Twilio followed redirects to reach it (`redirectedTo`;
    /// a live server's last redirect, `pkg/server.js`): the step text names it, and the TwiML
    /// runs as that document (RFC 3986 §5.1.3: after a redirect, the last URI is the base).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirected_to: Option<String>,
    /// How `redirected_to` was requested (`redirectedMethod`; a 302 or 303 after a POST is a
    /// GET); absent, the request's own method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirected_method: Option<crate::twiml::Method>,
    /// The body was longer than this many bytes, and `twiml` holds only its start (`bodyOver`:
    /// a live server's body is read up to [`MAX_ANSWER_TWIML_BYTES`] and no further). Over
    /// 64 kB a 2xx answer fails with 11750, as a whole body would.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_over: Option<u64>,
}

impl Default for AppResponse {
    /// HTTP 200 after the default latency, an empty body.
    fn default() -> Self {
        AppResponse {
            status: default_status(),
            latency_ms: default_latency(),
            twiml: None,
            unreachable: false,
            content_type: None,
            redirected_to: None,
            redirected_method: None,
            body_over: None,
        }
    }
}

/// How an endpoint answers a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// Answers after `afterMs`.
    #[default]
    Answer,
    /// Rings until Twilio gives up.
    NoAnswer,
    /// Answers `486 Busy Here` (or busy tone) after `afterMs`.
    Busy,
    /// Fails with `sipCode` after `afterMs`.
    Fail,
}

/// An endpoint's behaviour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoint {
    /// How it answers.
    #[serde(default)]
    pub answer: Answer,
    /// When it answers, is busy or fails, after the call reaches it.
    #[serde(default = "default_answer_after")]
    pub after_ms: u64,
    /// The SIP final response of a `fail` (503 by default): a failure code, 300 to 699.
    #[serde(default)]
    pub sip_code: Option<u16>,
    /// Sends BYE when a terminated NOTIFY says the transfer succeeded (default true);
    /// when false, Twilio sends BYE 32 s later.
    #[serde(default = "yes")]
    pub bye_on_notify: bool,
    /// Puts the call on hold (re-INVITE `a=sendonly`) before it sends REFER.
    #[serde(default)]
    pub hold_before_refer: bool,
    /// Hangs up this long after answering.
    #[serde(default)]
    pub hangup_after_ms: Option<u64>,
    /// How it answers a REFER that Twilio sends it (the `<Refer>` verb): `202` (the
    /// default) accepts, a final error (`603`, `405`, ...) refuses. Twilio's action request
    /// carries it as `ReferSipResponseCode`. From 200 to 699.
    #[serde(default = "default_refer_response", skip_serializing_if = "is_default_refer_response")]
    pub refer_response: u16,
    /// After accepting such a REFER, the status its new call to the target reached, which
    /// it reports in its final NOTIFY (sipfrag): `200` (the default: the target answered),
    /// `486` (busy), `404`, ... Twilio's action request carries it as
    /// `NotifySipResponseCode`. From 200 to 699.
    #[serde(default = "default_refer_notify", skip_serializing_if = "is_default_refer_notify")]
    pub refer_notify: u16,
    /// The X- headers its final response to Twilio's INVITE carries (the 200 OK, or the error
    /// of `busy`/`fail`), name to value: after a `<Sip>` dial, Twilio passes each to the
    /// `<Dial action>` as `DialSipHeader_<name>` (`sip.action-params`). At most
    /// [`MAX_RESPONSE_HEADERS`]; each name starts with `X-` and is a SIP token of at most
    /// [`MAX_HEADER_NAME_BYTES`]; each value is at most [`MAX_HEADER_VALUE_BYTES`], on one line.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response_headers: BTreeMap<String, String>,
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint {
            answer: Answer::Answer,
            after_ms: default_answer_after(),
            sip_code: None,
            bye_on_notify: true,
            hold_before_refer: false,
            hangup_after_ms: None,
            refer_response: default_refer_response(),
            refer_notify: default_refer_notify(),
            response_headers: BTreeMap::new(),
        }
    }
}

/// The call that runs the initial TwiML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallerInput {
    /// Who calls: a number (PSTN), a `sip:` URI (a SIP phone) or `client:name`.
    #[serde(default = "default_caller")]
    pub from: String,
    /// The number or SIP URI called.
    #[serde(default = "default_called")]
    pub to: String,
}

impl Default for CallerInput {
    fn default() -> Self {
        CallerInput { from: default_caller(), to: default_called() }
    }
}

/// Keys the caller (UserA, the inbound call that runs the initial TwiML) presses at a
/// given time, whatever runs then: a `<Gather>` takes them as its digits, a bridged
/// `<Dial hangupOnStar="true">` hangs up its called party on `*`; otherwise nothing happens
/// and the timeline says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallerKey {
    /// When, in ms after the call started.
    pub at_ms: u64,
    /// The keys, in order: `0`-`9`, `*`, `#`.
    pub digits: String,
}

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(Deserialize))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Scenario {
    /// The TwiML the caller's call runs first; its `<Dial>` carries `referUrl`.
    pub initial_twiml: String,
    /// Which leg sends the REFER.
    #[serde(default)]
    pub refer_from: ReferFrom,
    /// The account setting the feature needs.
    #[serde(default = "yes")]
    pub enhanced_sip_features: bool,
    /// The REFER.
    pub refer: ReferInput,
    /// REFERs sent by each following target once bridged.
    #[serde(default)]
    pub chained_refers: Vec<ChainedRefer>,
    /// The applications, by URL. A URL absent from the map is unreachable.
    #[serde(default)]
    pub app: BTreeMap<String, AppResponse>,
    /// Endpoint behaviours, by address. An absent endpoint answers after 2 s.
    #[serde(default)]
    pub endpoints: BTreeMap<String, Endpoint>,
    /// The calling party.
    #[serde(default)]
    pub caller: CallerInput,
    /// Digits the caller presses at each `<Gather>`, in order.
    #[serde(default)]
    pub caller_digits: Vec<String>,
    /// Keys the caller presses at given times (a `*` for `hangupOnStar`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caller_keys: Vec<CallerKey>,
}

/// The largest scenario, as JSON text, in bytes (1 MiB). Ours.
pub const MAX_SCENARIO_BYTES: usize = 1 << 20;
/// The largest TwiML document: Twilio refuses a response body over 64 kB (error 11750). Doc.
pub const MAX_TWIML_BYTES: usize = 64 * 1024;

/// The largest `twiml` of an application's answer (`onWebhook`, a live server): the run reads
/// it, and Twilio fails a body over 64 kB with 11750, which the timeline then shows. Ours.
pub const MAX_ANSWER_TWIML_BYTES: usize = 1024 * 1024;
/// The largest Refer-To value the simulator takes (Twilio itself refuses over 256 characters). Ours.
pub const MAX_REFER_TO_BYTES: usize = 4096;
/// The most Refer-To values in `refer.referTo`. Ours.
pub const MAX_REFER_TO_VALUES: usize = 8;
/// The most chained REFERs. Ours.
pub const MAX_CHAINED_REFERS: usize = 16;
/// The most entries in `app`, and in `endpoints`. Ours.
pub const MAX_ENTRIES: usize = 64;
/// The longest URL in `app`. Ours.
pub const MAX_URL_BYTES: usize = 2048;
/// The longest endpoint address, `caller.from` and `caller.to`. Ours.
pub const MAX_ADDRESS_BYTES: usize = 256;
/// The most `callerDigits` entries. Ours.
pub const MAX_DIGIT_ENTRIES: usize = 64;
/// The longest `callerDigits` entry. Ours.
pub const MAX_DIGITS_BYTES: usize = 64;
/// The largest time, in ms (2^40, about 35 years). Ours: sums of times stay below 2^53.
pub const MAX_TIME_MS: u64 = 1 << 40;
/// The most `responseHeaders` one endpoint's final response carries. Ours.
pub const MAX_RESPONSE_HEADERS: usize = crate::transfer::MAX_RESPONSE_HEADERS;
/// The longest `responseHeaders` name, in bytes. Ours.
pub const MAX_HEADER_NAME_BYTES: usize = 64;
/// The longest `responseHeaders` value, in bytes: under the 1,024 characters Twilio allows
/// a header it sends (`sip.headers-1024`), taken for the answer too (ours).
pub const MAX_HEADER_VALUE_BYTES: usize = 1023;

impl Scenario {
    /// Reads a scenario from JSON and checks its limits (listed in this module's
    /// docs and in the README). An error's
    /// `field` is the path of the offending value in the user's object
    /// (`refer.atMs`, `endpoints["sip:AgentB@example.com"].answer`), and its message
    /// starts with that path.
    pub fn from_json(json: &str) -> Result<Scenario, ScenarioError> {
        if json.len() > MAX_SCENARIO_BYTES {
            return Err(ScenarioError::too_large(json));
        }
        if let Some(e) = ScenarioError::not_an_object(json) {
            return Err(e);
        }
        let scenario = read_json(json, Scenario::read)?;
        scenario.check_limits()?;
        Ok(scenario)
    }

    /// The first value past its limit, as an error naming its path (written only then).
    fn check_limits(&self) -> Result<(), ScenarioError> {
        use Seg::{Index, Key, Raw};
        let mut c = Limits(Ok(()));
        c.text(&[Raw("initialTwiml")], &self.initial_twiml, MAX_TWIML_BYTES);
        c.time(&[Raw("refer.atMs")], self.refer.at_ms);
        match &self.refer.refer_to {
            ReferToHeaders::One(v) => c.text(&[Raw("refer.referTo")], v, MAX_REFER_TO_BYTES),
            ReferToHeaders::Many(values) => {
                c.count(&[Raw("refer.referTo")], values.len(), MAX_REFER_TO_VALUES);
                for (i, v) in values.iter().enumerate() {
                    c.text(&[Raw("refer.referTo"), Index(i)], v, MAX_REFER_TO_BYTES);
                }
            }
        }
        c.count(&[Raw("chainedRefers")], self.chained_refers.len(), MAX_CHAINED_REFERS);
        for (i, r) in self.chained_refers.iter().enumerate() {
            c.time(&[Raw("chainedRefers"), Index(i), Raw(".afterMs")], r.after_ms);
            c.text(&[Raw("chainedRefers"), Index(i), Raw(".referTo")], &r.refer_to, MAX_REFER_TO_BYTES);
        }
        c.count(&[Raw("app")], self.app.len(), MAX_ENTRIES);
        for (url, a) in &self.app {
            c.text(&[Raw("app"), Key(url), Raw(" (the URL)")], url, MAX_URL_BYTES);
            c.url(&[Raw("app"), Key(url), Raw(" (the URL)")], url);
            c.time(&[Raw("app"), Key(url), Raw(".latencyMs")], a.latency_ms);
            c.http_status(&[Raw("app"), Key(url), Raw(".status")], a.status);
            if let Some(t) = &a.twiml {
                c.text(&[Raw("app"), Key(url), Raw(".twiml")], t, MAX_TWIML_BYTES);
            }
            if let Some(u) = &a.redirected_to {
                c.text(&[Raw("app"), Key(url), Raw(".redirectedTo")], u, MAX_URL_BYTES);
                c.url(&[Raw("app"), Key(url), Raw(".redirectedTo")], u);
            }
        }
        c.count(&[Raw("endpoints")], self.endpoints.len(), MAX_ENTRIES);
        for (address, e) in &self.endpoints {
            c.text(&[Raw("endpoints"), Key(address), Raw(" (the address)")], address, MAX_ADDRESS_BYTES);
            c.time(&[Raw("endpoints"), Key(address), Raw(".afterMs")], e.after_ms);
            if let Some(h) = e.hangup_after_ms {
                c.time(&[Raw("endpoints"), Key(address), Raw(".hangupAfterMs")], h);
            }
            if let Some(code) = e.sip_code {
                c.sip_failure(&[Raw("endpoints"), Key(address), Raw(".sipCode")], code);
            }
            c.sip_final(&[Raw("endpoints"), Key(address), Raw(".referResponse")], e.refer_response);
            c.sip_final(&[Raw("endpoints"), Key(address), Raw(".referNotify")], e.refer_notify);
            let headers = [Raw("endpoints"), Key(address), Raw(".responseHeaders")];
            c.count(&headers, e.response_headers.len(), MAX_RESPONSE_HEADERS);
            for (name, value) in &e.response_headers {
                c.header(&[Raw("endpoints"), Key(address), Raw(".responseHeaders"), Key(name)], name, value);
            }
        }
        c.text(&[Raw("caller.from")], &self.caller.from, MAX_ADDRESS_BYTES);
        c.text(&[Raw("caller.to")], &self.caller.to, MAX_ADDRESS_BYTES);
        c.count(&[Raw("callerDigits")], self.caller_digits.len(), MAX_DIGIT_ENTRIES);
        for (i, d) in self.caller_digits.iter().enumerate() {
            c.text(&[Raw("callerDigits"), Index(i)], d, MAX_DIGITS_BYTES);
        }
        c.count(&[Raw("callerKeys")], self.caller_keys.len(), MAX_DIGIT_ENTRIES);
        for (i, k) in self.caller_keys.iter().enumerate() {
            c.time(&[Raw("callerKeys"), Index(i), Raw(".atMs")], k.at_ms);
            let digits = [Raw("callerKeys"), Index(i), Raw(".digits")];
            c.text(&digits, &k.digits, MAX_DIGITS_BYTES);
            c.keys(&digits, &k.digits);
        }
        c.0
    }

    /// The behaviour of the endpoint at `address` (the default when no key matches it).
    pub fn endpoint(&self, address: &str) -> Endpoint {
        super::endpoint_key(&self.endpoints, address).and_then(|k| self.endpoints.get(k)).cloned().unwrap_or_default()
    }
}

/// A scenario that cannot run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// Stable code: `bad_scenario`, `not_a_scenario` (the text is not a JSON object),
    /// `bad_initial_twiml`, `no_initial_dial`, `refer_from_not_sip`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The field concerned, when known.
    pub field: Option<String>,
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ScenarioError {}

impl AppResponse {
    /// Reads an application's answer (what `onWebhook` returns) from JSON, with the
    /// scenario's limits for `twiml` and `latencyMs`; `field` is the path in the answer.
    pub fn from_json(json: &str) -> Result<AppResponse, ScenarioError> {
        let answer = read_json(json, AppResponse::read)?;
        let mut c = Limits(Ok(()));
        c.time(&[Seg::Raw("latencyMs")], answer.latency_ms);
        c.http_status(&[Seg::Raw("status")], answer.status);
        if let Some(t) = &answer.twiml {
            c.text(&[Seg::Raw("twiml")], t, MAX_ANSWER_TWIML_BYTES);
        }
        if let Some(u) = &answer.redirected_to {
            c.text(&[Seg::Raw("redirectedTo")], u, MAX_URL_BYTES);
            c.url(&[Seg::Raw("redirectedTo")], u);
        }
        c.0?;
        Ok(answer)
    }
}

impl ScenarioError {
    /// A scenario text that is not a JSON object (`[]`, `5`, a catalogue id such as
    /// `agentb-busy-aob-true`): `not_a_scenario`, with no `field` (there is no member to name;
    /// serde's words were `expected value at line 1 column 1`, or `[0]: invalid type` for an
    /// array, naming a field the user never wrote). A word or a JSON string is taken for a
    /// catalogue id, and the message says where those are looked up.
    pub fn not_an_object(json: &str) -> Option<ScenarioError> {
        let text = json.trim_matches([' ', '\t', '\n', '\r']);
        let shown: String = text.chars().take(64).collect();
        let message = match text.as_bytes().first()? {
            b'{' => return None,
            b'[' => "expected a scenario object (or its JSON text), not an array".to_string(),
            _ if looks_like_an_id(text.trim_matches('"')) => {
                let id = text.trim_matches('"');
                format!(
                    "expected a scenario object (or its JSON text), not the text \"{id}\": a catalogue scenario is looked up by its id with scenarios() (scenarios().find((e) => e.id === \"{id}\").scenario), or run by the command line (refer-sim run {id})"
                )
            }
            _ => format!("expected a scenario object (or its JSON text), not the text {shown:?}"),
        };
        Some(ScenarioError { code: "not_a_scenario", message, field: None })
    }

    /// A NaN or ±Infinity in a scenario (or an answer) read from a JS object: the
    /// caller wrote the JSON string `marker` in its place (JSON itself would write
    /// `null`, which an optional field reads as absent); `field` is the path of
    /// the first one in `json`.
    pub fn non_finite(json: &str, marker: &str, value: f64) -> ScenarioError {
        let quoted = json_quote(marker);
        let end = json.find(&quoted).map_or(0, |at| at + quoted.len());
        let shown = match value {
            v if v.is_nan() => "NaN",
            v if v > 0.0 => "Infinity",
            _ => "-Infinity",
        };
        Self::at(
            json,
            end,
            "bad_scenario",
            &format!("{shown} is not a number a scenario can hold (times and codes are finite integers)"),
        )
    }

    /// The first lone surrogate in `json` as written by JS's `JSON.stringify` (which
    /// escapes only those as `\udXXX`): an error naming the path of its string.
    pub fn lone_surrogate(json: &str) -> Option<ScenarioError> {
        let bytes = json.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes.get(i) == Some(&b'\\') {
                if bytes.get(i + 1) == Some(&b'u')
                    && bytes.get(i + 2) == Some(&b'd')
                    && matches!(bytes.get(i + 3), Some(b'8'..=b'9' | b'a'..=b'f'))
                {
                    let message = "holds a lone surrogate (half of a UTF-16 pair), which no SIP or XML text can carry";
                    return Some(Self::at(json, i + 6, "lone_surrogate", message));
                }
                i += 1;
            }
            i += 1;
        }
        None
    }

    /// A scenario over [`MAX_SCENARIO_BYTES`] of JSON: an error naming the path of its longest
    /// string (what to shorten, such as `initialTwiml`), found by one scan of the text without
    /// reading the scenario.
    pub fn too_large(json: &str) -> ScenarioError {
        let bytes = json.as_bytes();
        let (mut longest, mut at) = (0, 0);
        let mut i = 0;
        while i < bytes.len() {
            if bytes.get(i) == Some(&b'"') {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes.get(i) != Some(&b'"') {
                    i += if bytes.get(i) == Some(&b'\\') { 2 } else { 1 };
                }
                if i - start > longest {
                    (longest, at) = (i - start, start);
                }
            }
            i += 1;
        }
        let message = format!(
            "{} bytes as JSON text, making the scenario {} bytes, over the limit of {MAX_SCENARIO_BYTES} (1 MiB)",
            longest.saturating_sub(1),
            json.len()
        );
        Self::at(json, at + 1, "too_large", &message)
    }

    /// An error about the value being read at byte `offset` of `json`, naming its path.
    fn at(json: &str, offset: usize, code: &'static str, message: &str) -> ScenarioError {
        let field = path_at(json, offset, "");
        ScenarioError { code, message: prefixed(&field, message), field: Some(field).filter(|f| !f.is_empty()) }
    }
}

/// Reads a value with `read`; an error's `field` is the path of the value where reading stopped.
fn read_json<T>(json: &str, read: fn(&mut Json) -> Res<T>) -> Result<T, ScenarioError> {
    let mut j = Json::new(json);
    let value = read(&mut j).and_then(|v| j.end().map(|()| v));
    value.map_err(|e| {
        let (m, offset) = j.finish(e);
        let field = path_at(json, offset, &m);
        let message = match m {
            m if m.contains("surrogate") => format!("{m}: a lone surrogate (half of a UTF-16 pair) cannot be sent in SIP or XML"),
            m => plain_words(&m),
        };
        ScenarioError { code: "bad_scenario", message: prefixed(&field, &message), field: Some(field).filter(|f| !f.is_empty()) }
    })
}

fn string(j: &mut Json) -> Res<String> {
    j.string()
}

fn time(j: &mut Json) -> Res<u64> {
    j.unsigned(u64::MAX, "u64")
}

fn code(j: &mut Json) -> Res<u16> {
    j.unsigned(u64::from(u16::MAX), "u16").map(|v| v as u16)
}

/// `null` (absent) or a value.
fn optional<T>(j: &mut Json, read: fn(&mut Json) -> Res<T>) -> Res<Option<T>> {
    if j.null()? {
        return Ok(None);
    }
    read(j).map(Some)
}

/// An array of `T`.
fn list<T>(j: &mut Json, read: fn(&mut Json) -> Res<T>) -> Res<Vec<T>> {
    let mut all = Vec::new();
    j.array(&mut |j| read(j).map(|v| all.push(v)))?;
    Ok(all)
}

/// An object of `T` by key (a `BTreeMap`: a repeated key keeps the last value).
fn map<T>(j: &mut Json, read: fn(&mut Json) -> Res<T>) -> Res<BTreeMap<String, T>> {
    let mut out = BTreeMap::new();
    j.object("a map", &[], &mut |j, key| {
        j.colon()?;
        out.insert(key, read(j)?);
        Ok(())
    })?;
    Ok(out)
}

impl Scenario {
    /// Reads a scenario object (the members as serde's derive read them, with their defaults).
    pub(crate) fn read(j: &mut Json) -> Res<Scenario> {
        const FIELDS: &[&str] = &[
            "initialTwiml",
            "referFrom",
            "enhancedSipFeatures",
            "refer",
            "chainedRefers",
            "app",
            "endpoints",
            "caller",
            "callerDigits",
            "callerKeys",
        ];
        // `initialTwiml` and `refer` are required (bits 0 and 3): theirs is never kept when absent.
        let mut s = Scenario {
            initial_twiml: String::new(),
            refer_from: ReferFrom::default(),
            enhanced_sip_features: true,
            refer: ReferInput { at_ms: 0, refer_to: ReferToHeaders::Many(Vec::new()), refer_sub: true },
            chained_refers: Vec::new(),
            app: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            caller: CallerInput::default(),
            caller_digits: Vec::new(),
            caller_keys: Vec::new(),
        };
        j.record("struct Scenario", FIELDS, 0b1001, &mut |j, i| {
            match i {
                0 => s.initial_twiml = j.string()?,
                1 => {
                    s.refer_from = match j.variant(&["transferor", "caller"])? {
                        0 => ReferFrom::Transferor,
                        _ => ReferFrom::Caller,
                    }
                }
                2 => s.enhanced_sip_features = j.boolean()?,
                3 => s.refer = ReferInput::read(j)?,
                4 => s.chained_refers = list(j, ChainedRefer::read)?,
                5 => s.app = map(j, AppResponse::read)?,
                6 => s.endpoints = map(j, Endpoint::read)?,
                7 => s.caller = CallerInput::read(j)?,
                8 => s.caller_digits = list(j, string)?,
                _ => s.caller_keys = list(j, CallerKey::read)?,
            }
            Ok(())
        })?;
        Ok(s)
    }
}

impl CallerKey {
    fn read(j: &mut Json) -> Res<CallerKey> {
        let mut k = CallerKey { at_ms: 0, digits: String::new() };
        j.record("struct CallerKey", &["atMs", "digits"], 0b11, &mut |j, i| {
            match i {
                0 => k.at_ms = time(j)?,
                _ => k.digits = j.string()?,
            }
            Ok(())
        })?;
        Ok(k)
    }
}

impl ReferInput {
    fn read(j: &mut Json) -> Res<ReferInput> {
        let mut r = ReferInput { at_ms: 0, refer_to: ReferToHeaders::Many(Vec::new()), refer_sub: true };
        j.record("struct ReferInput", &["atMs", "referTo", "referSub"], 0b11, &mut |j, i| {
            match i {
                0 => r.at_ms = time(j)?,
                1 => {
                    r.refer_to = match j.strings()? {
                        Some(Ok(one)) => ReferToHeaders::One(one),
                        Some(Err(many)) => ReferToHeaders::Many(many),
                        None => return Err(custom("data did not match any variant of untagged enum ReferToHeaders".to_string())),
                    }
                }
                _ => r.refer_sub = j.boolean()?,
            }
            Ok(())
        })?;
        Ok(r)
    }
}

impl ChainedRefer {
    fn read(j: &mut Json) -> Res<ChainedRefer> {
        let mut r = ChainedRefer { after_ms: default_chain_delay(), refer_to: String::new() };
        j.record("struct ChainedRefer", &["afterMs", "referTo"], 0b10, &mut |j, i| {
            match i {
                0 => r.after_ms = time(j)?,
                _ => r.refer_to = j.string()?,
            }
            Ok(())
        })?;
        Ok(r)
    }
}

impl AppResponse {
    /// Reads an application's answer object.
    pub(crate) fn read(j: &mut Json) -> Res<AppResponse> {
        let mut a = AppResponse::default();
        const FIELDS: &[&str] =
            &["status", "latencyMs", "twiml", "unreachable", "contentType", "redirectedTo", "redirectedMethod", "bodyOver"];
        j.record("struct AppResponse", FIELDS, 0, &mut |j, i| {
            match i {
                0 => a.status = code(j)?,
                1 => a.latency_ms = time(j)?,
                2 => a.twiml = optional(j, string)?,
                3 => a.unreachable = j.boolean()?,
                // `null`: the header was absent, which is not the same as leaving the field out.
                4 => a.content_type = Some(optional(j, string)?.unwrap_or_default()),
                // No null for these: leave the field out.
                5 => a.redirected_to = Some(string(j)?),
                6 => {
                    a.redirected_method =
                        Some([crate::twiml::Method::Get, crate::twiml::Method::Post][j.variant(&["GET", "POST"])?])
                }
                _ => a.body_over = Some(time(j)?),
            }
            Ok(())
        })?;
        Ok(a)
    }
}

impl Endpoint {
    fn read(j: &mut Json) -> Res<Endpoint> {
        const FIELDS: &[&str] = &[
            "answer",
            "afterMs",
            "sipCode",
            "byeOnNotify",
            "holdBeforeRefer",
            "hangupAfterMs",
            "referResponse",
            "referNotify",
            "responseHeaders",
        ];
        let mut e = Endpoint::default();
        j.record("struct Endpoint", FIELDS, 0, &mut |j, i| {
            match i {
                0 => {
                    const ANSWERS: [Answer; 4] = [Answer::Answer, Answer::NoAnswer, Answer::Busy, Answer::Fail];
                    let v = j.variant(&["answer", "no-answer", "busy", "fail"])?;
                    e.answer = ANSWERS.get(v).copied().unwrap_or_default();
                }
                1 => e.after_ms = time(j)?,
                2 => e.sip_code = optional(j, code)?,
                3 => e.bye_on_notify = j.boolean()?,
                4 => e.hold_before_refer = j.boolean()?,
                5 => e.hangup_after_ms = optional(j, time)?,
                6 => e.refer_response = code(j)?,
                7 => e.refer_notify = code(j)?,
                _ => e.response_headers = map(j, string)?,
            }
            Ok(())
        })?;
        Ok(e)
    }
}

impl CallerInput {
    fn read(j: &mut Json) -> Res<CallerInput> {
        let mut c = CallerInput::default();
        j.record("struct CallerInput", &["from", "to"], 0, &mut |j, i| {
            match i {
                0 => c.from = j.string()?,
                _ => c.to = j.string()?,
            }
            Ok(())
        })?;
        Ok(c)
    }
}

/// One step of a path in the user's object (`endpoints["sip:a@b"].afterMs`): the checks pass
/// the steps and the path is written only for an error.
#[derive(Clone, Copy)]
enum Seg<'a> {
    /// Written as it is (`refer.atMs`, `.latencyMs`, ` (the URL)`).
    Raw(&'a str),
    /// A member by its key, as JavaScript writes it (`.key`, or `["key"]` when not an identifier).
    Key(&'a str),
    /// An array element (`[2]`).
    Index(usize),
}

/// The path the steps `at` write.
fn path_of(at: &[Seg]) -> String {
    let mut path = String::new();
    for step in at {
        match *step {
            Seg::Raw(text) => path.push_str(text),
            Seg::Key(key) => path = key_path(&path, key),
            Seg::Index(i) => path = format!("{path}[{i}]"),
        }
    }
    path
}

/// Keeps the first limit broken, as an error naming its path.
struct Limits(Result<(), ScenarioError>);

impl Limits {
    #[inline(never)]
    fn fail(&mut self, code: &'static str, at: &[Seg], message: String) {
        if self.0.is_ok() {
            let path = &path_of(at);
            let field = path.split(" (").next().unwrap_or(path).to_string();
            self.0 = Err(ScenarioError { code, message: prefixed(path, &message), field: Some(field) });
        }
    }

    #[inline(never)]
    fn text(&mut self, at: &[Seg], value: &str, max: usize) {
        if value.len() > max {
            self.fail("too_large", at, format!("{} bytes, over the limit of {max}", value.len()));
        }
    }

    #[inline(never)]
    fn count(&mut self, at: &[Seg], n: usize, max: usize) {
        if n > max {
            self.fail("too_large", at, format!("{n} entries, over the limit of {max}"));
        }
    }

    #[inline(never)]
    fn time(&mut self, at: &[Seg], ms: u64) {
        if ms > MAX_TIME_MS {
            self.fail("bad_time", at, format!("{ms} ms is past the largest time, 2^40 ms (about 35 years)"));
        }
    }

    /// Keys of a phone pad: at least one of `0`-`9`, `*`, `#`.
    #[inline(never)]
    fn keys(&mut self, at: &[Seg], digits: &str) {
        if digits.is_empty() {
            self.fail("bad_scenario", at, "no key: write at least one of 0-9, * and #".to_string());
        } else if let Some(bad) = digits.chars().find(|c| !matches!(c, '0'..='9' | '*' | '#')) {
            self.fail("bad_scenario", at, format!("{bad:?} is not a key of a phone pad: write 0-9, * and #"));
        }
    }

    /// A URL Twilio can request: an absolute `http://` or `https://` URL with a host, or a
    /// relative reference (RFC 3986 §4.2), which Twilio resolves against the URL of the document
    /// or the request that named it (`dial.action-relative`; a relative `redirectedTo` against
    /// the URL requested, as a `Location` header is, RFC 9110 §10.2.2). Refused: an empty one,
    /// a space or ASCII control character (RFC 3986 §2: neither is a URL character; a space is
    /// `%20`), another scheme (Twilio requests only http and https), and `http:` without `//host`.
    #[inline(never)]
    fn url(&mut self, at: &[Seg], url: &str) {
        let scheme = if crate::transfer::url::has_scheme(url) { url.split(':').next().unwrap_or_default() } else { "" };
        let rest = url.as_bytes().get(scheme.len() + 1..).unwrap_or_default();
        let why = if let Some(i) = url.bytes().position(|b| b <= b' ' || b == 0x7f) {
            format!("byte {i} is a space or control character, which a URL cannot hold (a space is written %20)")
        } else if url.is_empty() {
            "it is empty".into()
        } else if scheme.is_empty() {
            return;
        } else if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            "Twilio requests only http and https URLs".into()
        } else if !rest.starts_with(b"//") || matches!(rest.get(2), None | Some(b'/' | b'?' | b'#')) {
            "it has no //host after the scheme".into()
        } else {
            return;
        };
        self.fail(
            "bad_scenario",
            at,
            format!(
                "{} is not a URL Twilio can request: {why}; write an absolute http(s) URL, or a relative one such as /handler",
                json_quote(url)
            ),
        );
    }

    /// An HTTP status code (RFC 9110 §15: 100 to 599).
    #[inline(never)]
    fn http_status(&mut self, at: &[Seg], code: u16) {
        if !(100..=599).contains(&code) {
            self.fail("bad_scenario", at, format!("{code} is not an HTTP status code (100 to 599)"));
        }
    }

    /// A final SIP status code (RFC 3261 §7.2: 2xx to 6xx).
    /// A `responseHeaders` entry: an `X-` name that is a SIP token (RFC 3261 §25.1), a value
    /// on one line, both within their limits.
    #[inline(never)]
    fn header(&mut self, at: &[Seg], name: &str, value: &str) {
        let token = |c: char| c.is_ascii_alphanumeric() || "-.!%*_+`'~".contains(c);
        if name.len() > MAX_HEADER_NAME_BYTES {
            self.fail("too_large", at, format!("the name is {} bytes, over the limit of {MAX_HEADER_NAME_BYTES}", name.len()));
        } else if !crate::sip::chars::is_x_header(name) || name.len() < 3 || !name.chars().all(token) {
            self.fail(
                "bad_scenario",
                at,
                format!("{} is not an X- header name (X- then letters, digits or -.!%*_+`'~): Twilio passes only the X- headers of the final response", json_quote(name)),
            );
        } else if value.len() > MAX_HEADER_VALUE_BYTES {
            self.fail("too_large", at, format!("{} bytes, over the limit of {MAX_HEADER_VALUE_BYTES}", value.len()));
        } else if value.chars().any(|c| c.is_control() && c != '\t') {
            self.fail("bad_scenario", at, "a header value is one line: no CR, LF or other control character".to_string());
        }
    }

    /// An endpoint's `sipCode`: the final response with which it declines Twilio's INVITE, so a
    /// failure (RFC 3261 §21.3 to §21.6: 3xx redirection, 4xx, 5xx, 6xx), not 1xx or 2xx.
    #[inline(never)]
    fn sip_failure(&mut self, at: &[Seg], code: u16) {
        if !(300..=699).contains(&code) {
            self.fail("bad_scenario", at, format!("{code} is not a SIP failure code (300 to 699)"));
        }
    }

    #[inline(never)]
    fn sip_final(&mut self, at: &[Seg], code: u16) {
        if !(200..=699).contains(&code) {
            self.fail("bad_scenario", at, format!("{code} is not a final SIP status code (200 to 699)"));
        }
    }
}

/// `path: message`, or the message alone at the top level.
fn prefixed(path: &str, message: &str) -> String {
    if path.is_empty() {
        message.to_string()
    } else {
        format!("{path}: {message}")
    }
}

/// A word that could be a catalogue id (`agentb-busy-aob-true`): a letter, then letters,
/// digits, `-` and `_`; not a JSON literal.
fn looks_like_an_id(text: &str) -> bool {
    text.len() <= 64
        && text.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        && !["true", "false", "null"].contains(&text)
}

/// The path of member `key` of the object at `parent`, as JavaScript writes it:
/// `parent.key` for an identifier, `parent["key"]` otherwise.
pub fn key_path(parent: &str, key: &str) -> String {
    let identifier = key.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    match (identifier, parent.is_empty()) {
        (true, true) => key.to_string(),
        (true, false) => format!("{parent}.{key}"),
        (false, _) => format!("{parent}[{}]", json_quote(key)),
    }
}

/// `s` as a JSON string literal, escaped as JS's `JSON.stringify` does (DEL and the C1
/// controls escaped too: [`crate::transfer::text::escaped`], the one escape of untrusted text).
fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    out.push_str(&crate::transfer::text::escaped(s));
    out.push('"');
    out
}

/// The path of the value being read where a serde error stopped in `json`
/// (`offset`, just past the last byte read): every object key and array index
/// open there, in order. serde_json stops one byte past a bad value, so a final
/// `}` or `]` is not taken as closing its container; a `missing field` error
/// stops at the end of the object that lacks it, whose path gets the field.
pub fn path_at(json: &str, offset: usize, message: &str) -> String {
    /// One open container: an object with the key last read, or an array with the index.
    enum Frame {
        Object(Option<Key>),
        Array(usize),
    }
    /// A key decoded, or as written in the JSON (a lone surrogate cannot be decoded).
    enum Key {
        Text(String),
        Escaped(String),
    }
    let bytes = json.as_bytes();
    let mut end = offset.min(bytes.len());
    if matches!(bytes.get(end.wrapping_sub(1)), Some(b'}' | b']')) {
        end -= 1;
    }
    let mut stack: Vec<Frame> = Vec::new();
    let mut expect_key = false;
    let mut i = 0;
    while i < end {
        match bytes.get(i).copied().unwrap_or(b' ') {
            b'{' => {
                stack.push(Frame::Object(None));
                expect_key = true;
            }
            b'[' => stack.push(Frame::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array(n)) => *n += 1,
                Some(Frame::Object(_)) => expect_key = true,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes.get(i) != Some(&b'"') {
                    i += if bytes.get(i) == Some(&b'\\') { 2 } else { 1 };
                }
                if let (true, Some(Frame::Object(key))) = (expect_key, stack.last_mut()) {
                    let raw = json.get(start..i.min(json.len())).unwrap_or("");
                    let quoted = format!("\"{raw}\"");
                    let mut j = Json::new(&quoted);
                    *key = Some(
                        j.string().ok().filter(|_| j.end().is_ok()).map_or_else(|| Key::Escaped(raw.to_string()), Key::Text),
                    );
                }
                expect_key = false;
            }
            _ => {}
        }
        i += 1;
    }
    if let (Some(Frame::Object(key)), Some(missing)) = (stack.last_mut(), message.strip_prefix("missing field `")) {
        *key = missing.split('`').next().map(|m| Key::Text(m.to_string()));
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(Key::Text(key))) => path = key_path(&path, key),
            Frame::Object(Some(Key::Escaped(raw))) => path = format!("{path}[\"{raw}\"]"),
            Frame::Array(n) => path = format!("{path}[{n}]"),
            Frame::Object(None) => {}
        }
    }
    path
}

/// The field a serde message names (`unknown field `x``, `missing field `y``).
pub fn field_of(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

#[cfg(test)]
fn yes() -> bool {
    true
}
fn default_status() -> u16 {
    200
}
fn default_latency() -> u64 {
    100
}
fn default_answer_after() -> u64 {
    2000
}
fn default_refer_response() -> u16 {
    202
}
fn default_refer_notify() -> u16 {
    200
}
// Left out of a scenario written back when default, as before these fields existed.
fn is_default_refer_response(code: &u16) -> bool {
    *code == default_refer_response()
}
fn is_default_refer_notify(code: &u16) -> bool {
    *code == default_refer_notify()
}
fn default_chain_delay() -> u64 {
    10_000
}
fn default_caller() -> String {
    "+14155550100".to_string()
}
fn default_called() -> String {
    "+18005550199".to_string()
}

/// serde's `u64` and `u16` as what the user writes: every `u64` of a scenario is a time or a
/// latency (any non-negative integer), every `u16` a status code (`status`, `sipCode`,
/// `referResponse`, `referNotify`), whose range is checked once it is read. Without this, a
/// scenario given as JSON text said "expected u64", and a status of 70000 "expected a
/// non-negative integer", which it is.
fn number_words(message: &str) -> String {
    message.replace("expected u64", "expected a non-negative integer").replace("expected u16", "expected a 3-digit status code")
}

/// serde's "unknown variant `bussy`, expected one of `answer`, `no-answer`, …" in the words of
/// the user's object: "\"bussy\" is not one of answer, no-answer, busy, fail"; an unknown field
/// likewise ("unknown field \"statu\": the fields are status, latencyMs, …"). The rest of the
/// message (its position) is kept; any other message is returned as it is, but for serde's
/// words for a number ([`number_words`]).
fn plain_words(message: &str) -> String {
    let message = number_words(message);
    let message = message.as_str();
    // serde names Rust types ("struct AppResponse", "untagged enum ReferToHeaders"); say what the user writes.
    const TYPES: &[(&str, &str)] = &[
        (
            "data did not match any variant of untagged enum ReferToHeaders",
            "expected a Refer-To value (a string) or a list of them",
        ),
        ("struct Scenario", "a scenario object"),
        ("struct ReferInput", "a refer object such as { atMs, referTo }"),
        ("struct ChainedRefer", "a chained refer object such as { atMs, referTo }"),
        ("struct AppResponse", "an app answer object such as { status, latencyMs, twiml } or { unreachable: true }"),
        ("struct Endpoint", "an endpoint object such as { answer, afterMs }"),
        ("struct CallerInput", "a caller object such as { from, to }"),
    ];
    for (rust, said) in TYPES {
        if let Some((before, after)) = message.split_once(rust) {
            // "invalid length 0, expected struct Scenario with 9 elements": an array was given.
            let array = after.trim_start().starts_with("with ") && before.contains("invalid length");
            if array {
                let lead = before.split("invalid length").next().unwrap_or("");
                return format!("{lead}invalid type: an array, expected {said}");
            }
            return format!("{before}{said}{after}");
        }
    }
    for (lead, word) in [("unknown variant `", "variant"), ("unknown field `", "field")] {
        let Some((before, rest)) = message.split_once(lead) else { continue };
        let Some((value, rest)) = rest.split_once('`') else { continue };
        let Some(rest) = rest.strip_prefix(", expected ") else { continue };
        let list = rest.strip_prefix("one of ").unwrap_or(rest);
        let mut names = Vec::new();
        let mut tail = list;
        while let Some((name, after)) = tail.strip_prefix('`').and_then(|t| t.split_once('`')) {
            names.push(name);
            tail = after.strip_prefix(", ").or_else(|| after.strip_prefix(" or ")).unwrap_or(after);
        }
        if names.is_empty() {
            continue;
        }
        let names = names.join(", ");
        let said = if word == "variant" {
            format!("\"{value}\" is not one of {names}")
        } else {
            format!("unknown field \"{value}\": the fields are {names}")
        };
        return format!("{before}{said}{}{tail}", if tail.is_empty() || tail.starts_with(' ') { "" } else { " " });
    }
    message.to_string()
}

/// The reader against serde_json's derived one (the module's reader until issue 12's size work),
/// on the catalogue and on many broken variations of it: the same scenario, or the same error
/// (code, message, field).
#[cfg(test)]
mod same_as_serde {
    use super::*;
    use serde_json::Value;

    /// `Scenario::from_json` as it was, through serde_json.
    fn serde_from_json(json: &str) -> Result<Scenario, ScenarioError> {
        if json.len() > MAX_SCENARIO_BYTES {
            return Scenario::from_json(json);
        }
        if let Some(e) = ScenarioError::not_an_object(json) {
            return Err(e);
        }
        let scenario: Scenario = serde_json::from_str(json).map_err(|e| {
            let line_start = json.split_inclusive('\n').take(e.line().saturating_sub(1)).map(str::len).sum::<usize>();
            let offset = (line_start + e.column()).min(json.len());
            let field = path_at(json, offset, &e.to_string());
            let message = match e.to_string() {
                m if m.contains("surrogate") => {
                    format!("{m}: a lone surrogate (half of a UTF-16 pair) cannot be sent in SIP or XML")
                }
                m => plain_words(&m),
            };
            ScenarioError {
                code: "bad_scenario",
                message: prefixed(&field, &message),
                field: Some(field).filter(|f| !f.is_empty()),
            }
        })?;
        scenario.check_limits()?;
        Ok(scenario)
    }

    fn same(json: &str, checked: &mut usize) {
        *checked += 1;
        assert_eq!(Scenario::from_json(json), serde_from_json(json), "input: {json}");
    }

    /// Each value of `v` (by path) replaced by `with`, and unknown members added.
    fn variations(v: &Value, out: &mut Vec<Value>) {
        let alternates: Vec<Value> = [
            "5",
            "-5",
            "0",
            "1.5",
            "-0.0",
            "1e300",
            "2.5e-7",
            "123456789.25",
            "70000",
            "18446744073709551616",
            "-9223372036854775809",
            "\"x\"",
            "\"bussy\"",
            "\"a\\nb\"",
            "null",
            "true",
            "false",
            "[]",
            "{}",
            "[5]",
            "[\"a\"]",
            "[\"a\", 5]",
            "{\"k\": 1}",
            "{\"busy\": null}",
            "{\"busy\": 1}",
            "99999999999999",
        ]
        .iter()
        .map(|t| serde_json::from_str(t).unwrap())
        .collect();
        let mut paths = Vec::new();
        fn walk(v: &Value, at: &mut Vec<Value>, paths: &mut Vec<Vec<Value>>) {
            paths.push(at.clone());
            match v {
                Value::Object(m) => {
                    for (k, x) in m {
                        at.push(Value::String(k.clone()));
                        walk(x, at, paths);
                        at.pop();
                    }
                }
                Value::Array(a) => {
                    for (i, x) in a.iter().enumerate() {
                        at.push(Value::from(i));
                        walk(x, at, paths);
                        at.pop();
                    }
                }
                _ => {}
            }
        }
        walk(v, &mut Vec::new(), &mut paths);
        for path in &paths {
            let at = path_pointer(path);
            for alt in &alternates {
                let mut copy = v.clone();
                *copy.pointer_mut(&at).unwrap() = alt.clone();
                out.push(copy);
            }
            if let Some(m) = v.pointer(&at).and_then(Value::as_object) {
                let mut added = v.clone();
                added.pointer_mut(&at).and_then(Value::as_object_mut).unwrap().insert("statu".into(), Value::from(1));
                out.push(added);
                if let Some(first) = m.keys().next() {
                    let mut removed = v.clone();
                    removed.pointer_mut(&at).and_then(Value::as_object_mut).unwrap().remove(first);
                    out.push(removed);
                }
            }
        }
    }

    fn path_pointer(path: &[Value]) -> String {
        path.iter()
            .map(|s| match s {
                Value::String(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
                n => format!("/{n}"),
            })
            .collect()
    }

    #[test]
    fn the_catalogue_and_variations_of_it_read_as_serde_read_them() {
        let mut checked = 0;
        for (n, entry) in crate::scenario::catalogue::catalogue().iter().enumerate() {
            let v = serde_json::to_value(&entry.scenario).unwrap();
            let compact = v.to_string();
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            same(&compact, &mut checked);
            same(&pretty, &mut checked);
            if n % 6 != 0 {
                continue;
            }
            let mut vs = Vec::new();
            variations(&v, &mut vs);
            for x in &vs {
                same(&x.to_string(), &mut checked);
            }
            // Broken texts: cut short, a byte left out, a byte put in.
            for text in [&compact, &pretty] {
                let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
                for (k, &i) in bounds.iter().enumerate() {
                    same(&text[..i], &mut checked);
                    if let Some(&next) = bounds.get(k + 1) {
                        same(&format!("{}{}", &text[..i], &text[next..]), &mut checked);
                    }
                    for junk in [",", "}", "]", "\"", "x", "\\", "0", "-", "[", "{", ":", "\u{1}", ".", "e"] {
                        if k % 3 == 0 {
                            same(&format!("{}{junk}{}", &text[..i], &text[i..]), &mut checked);
                        }
                    }
                }
            }
        }
        for text in [
            "",
            " ",
            "[]",
            "[1]",
            "{}",
            "null",
            "5",
            "\"x\"",
            "{\"initialTwiml\":1}",
            "{\"initialTwiml\":\"\\ud800\"}",
            "{\"initialTwiml\":\"\\udc00\"}",
            "{\"initialTwiml\":\"\\ud800\\u0041\"}",
            "{\"initialTwiml\":\"\\ud800x\"}",
            "{\"initialTwiml\":\"\\ud83d\\ude00\"}",
            "{\"initialTwiml\":\"\\u00zz\"}",
            "{\"initialTwiml\":\"\\q\"}",
            "{\"initialTwiml\":\"\\u12",
            "{\"refer\":{\"atMs\":01}}",
            "{\"refer\":{\"atMs\":1.}}",
            "{\"refer\":{\"atMs\":1e}}",
            "{\"refer\":{\"atMs\":1e+}}",
            "{\"refer\":{\"atMs\":-}}",
            "{\"refer\":{\"atMs\":1E400}}",
            "{\"refer\":{\"atMs\":nul}}",
            "{\"refer\":{\"atMs\":tru}}",
            "{\"refer\":{\"atMs\":1,\"atMs\":2}}",
            "{\"refer\":{\"referTo\":[[[[1]]]]}}",
            "{\"refer\":{\"referTo\":{\"a\":[1,{\"b\":null}]}}}",
            "{\"refer\" :{ \"referTo\" : 5 } , \"x\":1}",
            "{\n\"refer\": {\n\"atMs\": \"5\"\n}\n}",
            "{\"endpoints\":{\"a\":{\"answer\":5}}}",
            "{\"endpoints\":{\"a\":{\"answer\":{\"busy\":null,\"x\":1}}}}",
            "{\"endpoints\":{\"a\":{\"answer\":{5:null}}}}",
            "{\"endpoints\":{\"a\":{\"answer\":{\"bussy\":null}}}}",
            "{\"endpoints\":{\"a\":{\"answer\":{\"busy\":[]}}}}",
            "{\"caller\":[],\"initialTwiml\":\"\"}",
            "{\"caller\":[\"a\",\"b\",\"c\"]}",
            "{\"caller\":[\"a\",\"b\" x]}",
            "{\"caller\":[\"a\" x]}",
            "{\"caller\":[\"a\",\"b\",]}",
            "{\"caller\":[\"a\",\"b\"",
            "{\"refer\":[1,\"<sip:a@b>\",false,3]}",
            "{\"caller\":[\"a\"],\"initialTwiml\":\"\"}",
            "{\"initialTwiml\":\"<Response/>\",\"refer\":{\"atMs\":1,\"referTo\":\"<sip:a@b>\"}} x",
            &format!("{{\"refer\":{{\"referTo\":{}1{}}}}}", "[".repeat(130), "]".repeat(130)),
            &format!("{{\"refer\":{{\"referTo\":{}\"a\"{}}}}}", "[".repeat(126), "]".repeat(126)),
        ] {
            same(text, &mut checked);
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn answers_read_as_serde_read_them() {
        for text in [
            "{}",
            "{\"status\":500}",
            "{\"status\":70000}",
            "{\"status\":-1}",
            "{\"status\":2.5}",
            "{\"twiml\":null}",
            "{\"twiml\":5}",
            "{\"unreachable\":1}",
            "{\"statu\":1}",
            "{\"latencyMs\":1e3}",
            "[]",
            "null",
        ] {
            let serde: Result<AppResponse, String> = serde_json::from_str(text).map_err(|e| plain_words(&e.to_string()));
            let ours = read_json(text, AppResponse::read).map_err(|e| e.message);
            match (&serde, &ours) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(a), Err(b)) => assert!(b.ends_with(a.as_str()), "{text}: {a} / {b}"),
                _ => panic!("{text}: {serde:?} / {ours:?}"),
            }
        }
    }

    #[test]
    fn floats_are_written_as_serde_json_writes_them() {
        for v in [1.5, 100.0, 1e21, 1e16, 1e15, 1e-7, 0.0001, 0.00001, 123456789.25, -0.0, 2.5e-300, 1.7976931348623157e308] {
            let serde = serde_json::from_str::<u64>(&serde_json::to_string(&v).unwrap()).unwrap_err().to_string();
            let expected = serde.split('`').nth(1).unwrap().to_string();
            assert_eq!(read::float_text(v), expected, "{v}");
        }
    }
}
