//! The scenario: the JSON a user writes to describe a call, its REFER, the
//! application behind `referUrl`, and how each endpoint behaves. Field names
//! are the public contract; every field but `initialTwiml` and `refer` has a
//! default, and an unknown field is an error naming it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use crate::transfer::ReferFrom;

/// One or several Refer-To header values (RFC 3515 wants exactly one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ChainedRefer {
    /// Delay after the target is bridged with the transferee.
    #[serde(default = "default_chain_delay")]
    pub after_ms: u64,
    /// The Refer-To header value.
    pub refer_to: String,
}

/// What the application at a URL answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppResponse {
    /// HTTP status (200 by default).
    #[serde(default = "default_status")]
    pub status: u16,
    /// Time to answer, or to fail when unreachable. Twilio gives up at 15 000 ms (error 11205,
    /// `WEBHOOK_TOTAL_TIMEOUT_MS`): an answer that late or later never arrives in time.
    #[serde(default = "default_latency")]
    pub latency_ms: u64,
    /// The TwiML body of a 2xx answer (`<Response/>` when absent).
    #[serde(default)]
    pub twiml: Option<String>,
    /// The host does not answer at all (connection failure).
    #[serde(default)]
    pub unreachable: bool,
}

/// How an endpoint answers a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoint {
    /// How it answers.
    #[serde(default)]
    pub answer: Answer,
    /// When it answers, is busy or fails, after the call reaches it.
    #[serde(default = "default_answer_after")]
    pub after_ms: u64,
    /// The SIP final response of a `fail` (503 by default).
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
        }
    }
}

/// The call that runs the initial TwiML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// A whole scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

impl Scenario {
    /// Reads a scenario from JSON; errors name the field and its line and column.
    pub fn from_json(json: &str) -> Result<Scenario, ScenarioError> {
        serde_json::from_str(json).map_err(|e| ScenarioError {
            code: "bad_scenario",
            message: e.to_string(),
            field: field_of(&e.to_string()),
        })
    }

    /// The behaviour of the endpoint at `address` (the default when no key matches it).
    pub fn endpoint(&self, address: &str) -> Endpoint {
        super::endpoint_key(&self.endpoints, address).and_then(|k| self.endpoints.get(k)).cloned().unwrap_or_default()
    }
}

/// A scenario that cannot run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScenarioError {
    /// Stable code: `bad_scenario`, `bad_initial_twiml`, `no_initial_dial`, `refer_from_not_sip`.
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

/// The field a serde message names (`unknown field `x``, `missing field `y``).
pub fn field_of(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_string())
}

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
fn default_chain_delay() -> u64 {
    10_000
}
fn default_caller() -> String {
    "+14155550100".to_string()
}
fn default_called() -> String {
    "+18005550199".to_string()
}
