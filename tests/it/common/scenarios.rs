//! Random transfer scenarios, for the property tests over the engine (tests/it/transfer_props.rs:
//! its invariants; tests/it/run_detail.rs: a run without messages is the full run without them).
//! Around the catalogue's shape (UserA calls, `<Dial>` rings AgentA, who is transferred by a
//! REFER), varied: SIP, phone and client callers, who sends the REFER and its Refer-To (a good
//! target, a long X- header, a bad host, a tel: URI), chained REFERs, answerOnBridge,
//! referUrl/referMethod, Enhanced SIP Features, a verb before the `<Dial>` (a `<Refer>`
//! among them), each endpoint's answer, REFER answers and NOTIFYs, holds, hangups and X-
//! headers, and the applications' answers (TwiML of every transfer verb, `<Sip>` URI headers,
//! `<Refer>` documents, errors, an unreachable server, latencies).

use proptest::prelude::*;
use refer_sim::scenario::catalogue::{AGENT_A, AGENT_B, AGENT_C, HANDLER};
use refer_sim::scenario::Scenario;
use serde_json::{json, Value};

/// The SIP caller's address, which also answers REFERs Twilio's `<Refer>` sends it.
const USER_A: &str = "sip:UserA@pbx.example.com";

/// One endpoint's behaviour: how and when it answers, BYE on NOTIFY, hold before REFER, a
/// hangup, its answer to a REFER Twilio sends it and that REFER's final NOTIFY, X- headers.
pub fn endpoint() -> impl Strategy<Value = Value> {
    (
        (0..4u8, 0..40_000u64, any::<bool>(), any::<bool>(), proptest::option::of(0..60_000u64)),
        (prop_oneof![Just(202u16), Just(603), Just(405)], prop_oneof![Just(200u16), Just(486), Just(404)], any::<bool>()),
    )
        .prop_map(|((a, after, bye, hold, hangup), (refer_response, refer_notify, headers))| {
            let answer = ["answer", "no-answer", "busy", "fail"][a as usize];
            let headers = if headers { json!({ "X-Queue": "billing" }) } else { json!({}) };
            json!({
                "answer": answer, "afterMs": after, "byeOnNotify": bye, "holdBeforeRefer": hold, "hangupAfterMs": hangup,
                "referResponse": refer_response, "referNotify": refer_notify, "responseHeaders": headers,
            })
        })
}

/// One application URL's answer: a TwiML document (one of a fixed set), a 500, or no answer.
pub fn app() -> impl Strategy<Value = Value> {
    let docs = [
        format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>"),
        format!("<Response><Dial timeout=\"5\" action=\"https://example.com/after\"><Sip>{AGENT_B}?X-Ticket=42</Sip><Sip>{AGENT_C}</Sip></Dial></Response>"),
        format!("<Response><Dial timeout=\"5\" action=\"https://example.com/after\"><Sip>{AGENT_B}</Sip><Sip>{AGENT_C}</Sip></Dial></Response>"),
        format!("<Response><Say>Connecting you</Say><Dial answerOnBridge=\"true\" referUrl=\"{HANDLER}\"><Sip>{AGENT_B}</Sip></Dial><Say>Bye</Say></Response>"),
        "<Response><Refer action=\"https://example.com/after\"><Sip>sip:billing@pbx.example.com</Sip></Refer></Response>".to_string(),
        "<Response><Refer><Sip>sip:billing@pbx.example.com</Sip></Refer><Say>Still here</Say></Response>".to_string(),
        "<Response><Refer/></Response>".to_string(),
        "<Response><Gather action=\"https://example.com/after\"><Say>Press 1</Say></Gather><Redirect>https://example.com/after</Redirect></Response>".to_string(),
        "<Response><Dial><Number>+14155550100</Number></Dial></Response>".to_string(),
        "<Response><Enqueue>support</Enqueue></Response>".to_string(),
        "<Response><Hangup/></Response>".to_string(),
        "<Response><Reject reason=\"busy\"/></Response>".to_string(),
        "<Response><Redirect>https://example.com/handler</Redirect></Response>".to_string(),
        "<Response><Dial>".to_string(),
    ];
    (0..docs.len() + 2, 0..3000u64).prop_map(move |(i, latency)| match docs.get(i) {
        Some(doc) => json!({ "status": 200, "latencyMs": latency, "twiml": doc }),
        None if i == docs.len() => json!({ "status": 500, "latencyMs": latency }),
        None => json!({ "unreachable": true, "latencyMs": latency }),
    })
}

prop_compose! {
    /// A whole scenario: the initial `<Dial>` (its answerOnBridge, referUrl and referMethod,
    /// a verb before it, spaces before the document), the caller, the REFER and a chained one,
    /// the handler's and the action URL's answers, every endpoint, the caller's digits.
    pub fn scenario()(
        (aob, refer_url, get, enhanced) in (proptest::option::of(any::<bool>()), any::<bool>(), any::<bool>(), any::<bool>()),
        from_caller in any::<bool>(),
        caller in 0..3usize,
        first in 0..3usize,
        spaces in 0..4usize,
        at in 0..60_000u64,
        refer_to in 0..4usize,
        refer_sub in any::<bool>(),
        (a, b, c, user_a) in (endpoint(), endpoint(), endpoint(), endpoint()),
        handler in app(),
        after in app(),
        chained in any::<bool>(),
        digits in proptest::collection::vec("[0-9]", 0..3),
    ) -> Scenario {
        let aob = aob.map(|b| format!(" answerOnBridge=\"{b}\"")).unwrap_or_default();
        let url = if refer_url { format!(" referUrl=\"{HANDLER}\"") } else { String::new() };
        let method = if get { " referMethod=\"GET\"" } else { "" };
        let first = ["", "<Say>Hello</Say>", "<Refer><Sip>sip:billing@pbx.example.com</Sip></Refer>"][first];
        let caller = [USER_A, "+14155550123", "client:alice"][caller];
        let target = [format!("<{AGENT_B}>"), format!("<sip:x@y.com?X-Z={}>", "z".repeat(260)), "<sip:bad host>".into(), "tel:+14155550100".into()][refer_to].clone();
        let v = json!({
            "initialTwiml": format!("{}<Response>{first}<Dial{aob}{url}{method}><Sip>{AGENT_A}</Sip></Dial><Say>Goodbye</Say></Response>", " ".repeat(spaces)),
            // Only a SIP caller sends REFER.
            "referFrom": if from_caller && caller.starts_with("sip:") { "caller" } else { "transferor" },
            "caller": { "from": caller },
            "enhancedSipFeatures": enhanced,
            "refer": { "atMs": at, "referTo": target, "referSub": refer_sub },
            "chainedRefers": if chained { json!([{ "afterMs": 5000, "referTo": format!("<{AGENT_C}>") }]) } else { json!([]) },
            "app": { HANDLER: handler, "https://example.com/after": after },
            "endpoints": { AGENT_A: a, AGENT_B: b, AGENT_C: c, USER_A: user_a },
            "callerDigits": digits,
        });
        Scenario::from_json(&v.to_string()).expect("generated scenarios are valid")
    }
}
