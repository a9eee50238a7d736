//! A run without SIP messages ([`RunDetail::NO_MESSAGES`]) is the full run with every step's
//! `messages` emptied, and nothing else changed (kinds, times, narrations, tags, webhooks,
//! responses, alerts, changed legs, outcome, explanation, warnings): over every catalogue
//! scenario and random variations of them (SIP, phone and client callers, `<Refer>` answers and
//! NOTIFYs, holds, X- headers, `<Sip>` URI headers, answerOnBridge, failing applications).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use refer_sim::scenario::catalogue::{catalogue, AGENT_A, AGENT_B, AGENT_C, HANDLER};
use refer_sim::scenario::{explain, Prepared, RunDetail, Scenario};
use refer_sim::transfer::Timeline;
use serde_json::{json, Value};

/// The full run of `prepared` with its messages emptied, and its run without messages, one step at a time too.
fn both(prepared: &Prepared) -> (Timeline, Timeline) {
    let mut full = prepared.run();
    // The run's explanation rests on what the engine kept of its REFER steps; `explain` reads
    // the same from their messages.
    assert_eq!(explain(&full.steps, &full.outcome), full.explanation, "explain of the full run's steps");
    for step in &mut full.steps {
        step.messages.clear();
    }
    let light = prepared.run_with(RunDetail::NO_MESSAGES);
    let mut sim = prepared.simulation_with(RunDetail::NO_MESSAGES);
    let mut stepped = Vec::new();
    while let Some(step) = sim.step() {
        stepped.push(step);
    }
    assert_eq!(stepped, light.steps, "stepped one by one");
    (full, light)
}

#[test]
fn every_catalogue_scenario_runs_the_same_without_messages() {
    let mut messages = 0;
    for entry in catalogue() {
        let prepared = Prepared::new(entry.scenario).unwrap_or_else(|e| panic!("{}: {e:?}", entry.id));
        messages += prepared.run().steps.iter().map(|s| s.messages.len()).sum::<usize>();
        let (full, light) = both(&prepared);
        assert_eq!(light, full, "{}", entry.id);
    }
    // The full runs wrote messages: a light run that wrote none is something to compare.
    assert!(messages > 300, "{messages} messages in the catalogue's full runs");
}

#[test]
fn detail_defaults_to_full() {
    assert_eq!(RunDetail::default(), RunDetail::FULL);
    let prepared = Prepared::new(catalogue().remove(0).scenario).unwrap();
    assert_eq!(prepared.run_with(RunDetail::default()), prepared.run());
}

fn endpoint() -> impl Strategy<Value = Value> {
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

fn app() -> impl Strategy<Value = Value> {
    let docs = [
        format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>"),
        format!("<Response><Dial timeout=\"5\" action=\"https://example.com/after\"><Sip>{AGENT_B}?X-Ticket=42</Sip><Sip>{AGENT_C}</Sip></Dial></Response>"),
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
    fn scenario()(
        aob in proptest::option::of(any::<bool>()),
        refer_url in any::<bool>(),
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
        let first = ["", "<Say>Hello</Say>", "<Refer><Sip>sip:billing@pbx.example.com</Sip></Refer>"][first];
        let caller = ["sip:UserA@pbx.example.com", "+14155550123", "client:alice"][caller];
        let target = [format!("<{AGENT_B}>"), format!("<sip:x@y.com?X-Z={}>", "z".repeat(260)), "<sip:bad host>".into(), "tel:+14155550100".into()][refer_to].clone();
        let v = json!({
            "initialTwiml": format!("{}<Response>{first}<Dial{aob}{url}><Sip>{AGENT_A}</Sip></Dial><Say>Goodbye</Say></Response>", " ".repeat(spaces)),
            // Only a SIP caller sends REFER.
            "referFrom": if from_caller && caller.starts_with("sip:") { "caller" } else { "transferor" },
            "caller": { "from": caller },
            "refer": { "atMs": at, "referTo": target, "referSub": refer_sub },
            "chainedRefers": if chained { json!([{ "afterMs": 5000, "referTo": format!("<{AGENT_C}>") }]) } else { json!([]) },
            "app": { HANDLER: handler, "https://example.com/after": after },
            "endpoints": { AGENT_A: a, AGENT_B: b, AGENT_C: c, "sip:UserA@pbx.example.com": user_a },
            "callerDigits": digits,
        });
        Scenario::from_json(&v.to_string()).expect("generated scenarios are valid")
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_run_the_same_without_messages(s in scenario()) {
        let prepared = Prepared::new(s.clone()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let (full, light) = both(&prepared);
        prop_assert_eq!(light, full, "scenario: {}", serde_json::to_string(&s).unwrap_or_default());
    }
}
