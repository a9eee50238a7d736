//! The built-in catalogue: every cell of the vendor's outcome table, each
//! precondition failure, and the variations trainers ask about, titled in the
//! documentation's words.

use serde::Serialize;
use serde_json::{json, Value};

use super::input::Scenario;

/// AgentA, the transferor in the vendor's bank example.
pub const AGENT_A: &str = "sip:AgentA@example.sip.twilio.com";
/// AgentB, the transfer target.
pub const AGENT_B: &str = "sip:AgentB@example.sip.twilio.com";
/// AgentC, the target of a chained transfer.
pub const AGENT_C: &str = "sip:AgentC@example.sip.twilio.com";
/// The application behind `referUrl`.
pub const HANDLER: &str = "https://example.com/handler";

/// One catalogue scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry {
    /// Stable id (used in shared links).
    pub id: &'static str,
    /// The group it is listed under.
    pub group: &'static str,
    /// Its title, in the documentation's words.
    pub title: &'static str,
    /// What it shows.
    pub description: &'static str,
    /// The scenario.
    pub scenario: Scenario,
}

fn initial(answer_on_bridge: Option<bool>, refer_url: bool, extra: &str) -> String {
    let aob = answer_on_bridge.map(|b| format!(" answerOnBridge=\"{b}\"")).unwrap_or_default();
    let url = if refer_url { format!(" referUrl=\"{HANDLER}\"") } else { String::new() };
    format!("<Response><Dial{aob}{url}{extra}><Sip>{AGENT_A}</Sip></Dial></Response>")
}

fn dial_b() -> String {
    format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>")
}

/// A scenario from the usual parts: the bank example with `answerOnBridge`,
/// AgentA answering after 3 s, the REFER at 20 s, and `patch` merged on top.
fn bank(answer_on_bridge: Option<bool>, patch: Value) -> Scenario {
    let mut base = json!({
        "initialTwiml": initial(answer_on_bridge, true, ""),
        "refer": { "atMs": 20000, "referTo": format!("<{AGENT_B}>") },
        "app": { HANDLER: { "status": 200, "latencyMs": 120, "twiml": dial_b() } },
        "endpoints": {
            AGENT_A: { "answer": "answer", "afterMs": 3000 },
            AGENT_B: { "answer": "answer", "afterMs": 8000 }
        }
    });
    merge(&mut base, patch);
    serde_json::from_value(base).unwrap_or_else(|e| panic!("catalogue scenario: {e}"))
}

fn merge(base: &mut Value, patch: Value) {
    match (base, patch) {
        (Value::Object(b), Value::Object(p)) => {
            for (k, v) in p {
                match b.get_mut(&k) {
                    Some(slot) if v.is_object() && slot.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (slot, v) => *slot = v,
    }
}

fn no_answer() -> Value {
    json!({ "endpoints": { AGENT_B: { "answer": "no-answer" } } })
}

fn unreachable() -> Value {
    json!({ "app": { HANDLER: { "unreachable": true, "latencyMs": 1000 } } })
}

fn no_refer_url(aob: Option<bool>) -> Value {
    json!({ "initialTwiml": initial(aob, false, "") })
}

/// The whole catalogue, in display order.
pub fn catalogue() -> Vec<Entry> {
    let t = Some(true);
    let f = Some(false);
    let e = |id, group, title, description, scenario| Entry { id, group, title, description, scenario };
    const TABLE: &str = "The outcome table";
    const PRE: &str = "Preconditions: REFER refused";
    const VAR: &str = "Variations";
    vec![
        e("webhook-executed-aob-true", TABLE, "referUrl webhook is executed — answerOnBridge true",
          "Initial call is still connected while the referUrl TwiML runs and AgentB rings.", bank(t, json!({}))),
        e("webhook-executed-aob-false", TABLE, "referUrl webhook is executed — answerOnBridge false or not set",
          "Initial call is disconnected right after the referUrl webhook.", bank(None, json!({}))),
        e("agentb-answers-aob-true", TABLE, "AgentB answers the call — answerOnBridge true",
          "Initial call will now get disconnected; UserA and AgentB are bridged.", bank(t, json!({ "endpoints": { AGENT_B: { "afterMs": 4000 } } }))),
        e("agentb-answers-aob-false", TABLE, "AgentB answers the call — answerOnBridge false or not set",
          "Initial call got disconnected right after the referUrl webhook; UserA and AgentB are bridged.", bank(f, json!({ "endpoints": { AGENT_B: { "afterMs": 4000 } } }))),
        e("agentb-no-answer-aob-true", TABLE, "AgentB does not answer the call — answerOnBridge true",
          "Initial call can be re-established: UserA is connected to AgentA again.", bank(t, no_answer())),
        e("agentb-no-answer-aob-false", TABLE, "AgentB does not answer the call — answerOnBridge false or not set",
          "Initial call got disconnected right after the webhook; re-establishing it is not possible.", bank(None, no_answer())),
        e("refer-url-unreachable-aob-true", TABLE, "referUrl is not reachable — answerOnBridge true",
          "Initial call can be re-established: UserA is connected to AgentA again.", bank(t, unreachable())),
        e("refer-url-unreachable-aob-false", TABLE, "referUrl is not reachable — answerOnBridge false or not set",
          "Initial call got disconnected right after the referUrl webhook; re-establishing is not possible.", bank(None, unreachable())),
        e("refer-url-absent-aob-true", TABLE, "referUrl attribute is not present in the <Dial> verb — answerOnBridge true",
          "Twilio generates alert 13802 and the initial call is re-established.", bank(t, no_refer_url(t))),
        e("refer-url-absent-aob-false", TABLE, "referUrl attribute is not present in the <Dial> verb — answerOnBridge false or not set",
          "Twilio generates alert 13802 and the initial call is re-established.", bank(None, no_refer_url(None))),
        e("feature-disabled", PRE, "Enhanced Programmable SIP Features disabled",
          "The account setting is off: the REFER is refused and the call goes on.", bank(t, json!({ "enhancedSipFeatures": false }))),
        e("conference", PRE, "REFER on a <Conference> call",
          "REFER does not support <Conference>: refused, call unchanged.",
          bank(t, json!({ "initialTwiml": "<Response><Dial referUrl=\"https://example.com/handler\"><Conference>Support</Conference></Dial></Response>", "caller": { "from": "sip:UserA@pbx.example.com" } }))),
        e("queue", PRE, "REFER on a <Queue> call",
          "REFER does not support <Queue>: refused, call unchanged.",
          bank(t, json!({ "initialTwiml": "<Response><Dial referUrl=\"https://example.com/handler\"><Queue>support</Queue></Dial></Response>", "caller": { "from": "sip:UserA@pbx.example.com" } }))),
        e("refer-to-too-long", PRE, "Refer-To longer than 256 characters",
          "The maximum supported length of the Refer-To header is 256 characters.",
          bank(t, json!({ "refer": { "referTo": format!("<sip:AgentB@example.sip.twilio.com?X-Context={}>", "a".repeat(240)) } }))),
        e("refer-to-unparseable", PRE, "Refer-To that does not parse",
          "A Refer-To that is not a SIP, SIPS or tel URI is refused with 400.",
          bank(t, json!({ "refer": { "referTo": "<sip:AgentB@exa mple.com>" } }))),
        e("two-refer-to", PRE, "Two Refer-To headers",
          "RFC 3515 allows exactly one Refer-To header in a REFER.",
          bank(t, json!({ "refer": { "referTo": [format!("<{AGENT_B}>"), format!("<{AGENT_C}>")] } }))),
        e("refer-before-answer", PRE, "REFER before the call is established",
          "AgentA has not answered yet, so there is no dialog to transfer: 481.",
          bank(t, json!({ "refer": { "atMs": 1000 } }))),
        e("refer-method-get", VAR, "referMethod GET",
          "The webhook parameters travel in the query string instead of a form body.",
          bank(t, json!({ "initialTwiml": initial(t, true, " referMethod=\"GET\"") }))),
        e("uui-passing", VAR, "UUI and custom headers in the Refer-To",
          "User-to-User and X- headers embedded in the Refer-To reach the webhook inside ReferTransferTarget.",
          bank(t, json!({ "refer": { "referTo": "<sip:AgentB@example.sip.twilio.com?User-to-User=56a390f3d2b7310023a2%3Bencoding%3Dhex&X-Name=Agent%2C+A>" } }))),
        e("agentb-busy-aob-true", VAR, "AgentB is busy — answerOnBridge true",
          "AgentB answers 486 Busy Here: the initial call is re-established.",
          bank(t, json!({ "endpoints": { AGENT_B: { "answer": "busy", "afterMs": 2000 } } }))),
        e("agentb-busy-aob-false", VAR, "AgentB is busy — answerOnBridge false",
          "AgentB answers 486 Busy Here after the initial call is gone: UserA is disconnected.",
          bank(None, json!({ "endpoints": { AGENT_B: { "answer": "busy", "afterMs": 2000 } } }))),
        e("agentb-fails", VAR, "AgentB fails (503) — answerOnBridge true",
          "AgentB's endpoint fails with 503 Service Unavailable: the initial call is re-established.",
          bank(t, json!({ "endpoints": { AGENT_B: { "answer": "fail", "sipCode": 503, "afterMs": 1000 } } }))),
        e("action-handles-failure", VAR, "The referUrl TwiML handles a no-answer",
          "answerOnBridge false and AgentB does not answer, but the <Dial action> plays an apology instead of a silent hang-up.",
          bank(None, json!({
              "app": {
                  HANDLER: { "twiml": format!("<Response><Dial action=\"https://example.com/after-dial\" timeout=\"10\"><Sip>{AGENT_B}</Sip></Dial></Response>") },
                  "https://example.com/after-dial": { "twiml": "<Response><Say>Sorry, nobody is available. Goodbye.</Say><Hangup/></Response>" }
              },
              "endpoints": { AGENT_B: { "answer": "no-answer" } }
          }))),
        e("gather-menu", VAR, "A menu before the transfer",
          "The referUrl TwiML asks UserA to press 1, then dials AgentB.",
          bank(None, json!({
              "app": {
                  HANDLER: { "twiml": "<Response><Gather action=\"https://example.com/menu\" numDigits=\"1\"><Say>Press 1 for sales.</Say></Gather></Response>" },
                  "https://example.com/menu": { "twiml": dial_b() }
              },
              "callerDigits": ["1"]
          }))),
        e("simultaneous-ring", VAR, "Two targets ring at once",
          "The referUrl <Dial> rings AgentB and AgentC; the first to answer wins and the other is canceled.",
          bank(t, json!({
              "app": { HANDLER: { "twiml": format!("<Response><Dial><Sip>{AGENT_B}</Sip><Sip>{AGENT_C}</Sip></Dial></Response>") } },
              "endpoints": { AGENT_C: { "answer": "answer", "afterMs": 3000 } }
          }))),
        e("pstn-target", VAR, "A PSTN target",
          "The handler dials a phone number with <Number>: the ladder shows no SIP on that leg.",
          bank(t, json!({
              "refer": { "referTo": "<tel:+14155550123>" },
              "app": { HANDLER: { "twiml": "<Response><Dial><Number>+14155550123</Number></Dial></Response>" } }
          }))),
        e("no-bye-after-notify", VAR, "The transferor never sends BYE",
          "AgentA ignores the terminated NOTIFY: Twilio sends BYE 32 s later, with dead air meanwhile.",
          bank(None, json!({ "endpoints": { AGENT_A: { "byeOnNotify": false } } }))),
        e("hold-before-refer", VAR, "AgentA holds UserA before transferring",
          "AgentA's phone sends a re-INVITE with a=sendonly before the REFER, and resumes if the transfer fails.",
          bank(t, json!({ "endpoints": { AGENT_A: { "holdBeforeRefer": true }, AGENT_B: { "answer": "no-answer" } } }))),
        e("refer-sub-false", VAR, "Refer-Sub: false",
          "The REFER asks for no NOTIFY (RFC 4488): Twilio echoes Refer-Sub: false and ends AgentA's leg itself.",
          bank(None, json!({ "refer": { "referSub": false } }))),
        e("refer-url-http-500", VAR, "referUrl answers HTTP 500 — answerOnBridge true",
          "The application errors: alert 11200, and the initial call is re-established.",
          bank(t, json!({ "app": { HANDLER: { "status": 500 } } }))),
        e("refer-url-bad-twiml", VAR, "referUrl returns TwiML that does not parse",
          "A document parse failure (12100): with answerOnBridge true the initial call is re-established.",
          bank(t, json!({ "app": { HANDLER: { "twiml": "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Dial></Response>" } } }))),
        e("chained-transfer", VAR, "A chained transfer",
          "AgentB's <Dial> also has referUrl, so AgentB can transfer UserA on to AgentC.",
          bank(t, json!({
              "app": {
                  HANDLER: { "twiml": format!("<Response><Dial answerOnBridge=\"true\" referUrl=\"https://example.com/second\"><Sip>{AGENT_B}</Sip></Dial></Response>") },
                  "https://example.com/second": { "twiml": format!("<Response><Dial><Sip>{AGENT_C}</Sip></Dial></Response>") }
              },
              "chainedRefers": [{ "afterMs": 10000, "referTo": format!("<{AGENT_C}>") }],
              "endpoints": { AGENT_C: { "answer": "answer", "afterMs": 3000 } }
          }))),
        e("inbound-sip-caller", VAR, "A SIP phone that called in transfers",
          "UserA's SIP phone called a Twilio SIP domain; it sends REFER on the inbound leg, and AgentA (a phone number) is transferred.",
          bank(t, json!({
              "initialTwiml": format!("<Response><Dial answerOnBridge=\"true\" referUrl=\"{HANDLER}\"><Number>+14155550142</Number></Dial></Response>"),
              "referFrom": "caller",
              "caller": { "from": "sip:UserA@pbx.example.com", "to": "sip:support@example.sip.twilio.com" },
              "endpoints": { "+14155550142": { "answer": "answer", "afterMs": 3000 } }
          }))),
    ]
}
