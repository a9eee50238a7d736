//! Round 13, new-user findings F3 to F11 (a SIP network engineer's trial): steps that said what
//! did not happen, and values tagged more firmly than a page supports. Each test failed before
//! its fix.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{StepKind, Timeline};
use serde_json::{json, Value};

const A: &str = "sip:AgentA@example.sip.twilio.com";
const B: &str = "sip:AgentB@example.sip.twilio.com";
const HANDLER: &str = "https://example.com/handler";

fn run(scenario: Value) -> Timeline {
    let scenario = Scenario::from_json(&scenario.to_string()).expect("a valid scenario");
    simulate(&scenario).expect("a run")
}

/// A transfer of UserA from AgentA to AgentB: `aob` answerOnBridge, AgentB's `answer`
/// (`answer`, `busy`, `no-answer`), the handler `unreachable` or not, `refer` merged into the
/// REFER, `dial` the referUrl `<Dial>`'s attributes.
fn transfer(aob: bool, answer: &str, unreachable: bool, refer: Value, dial: &str) -> Value {
    let mut r = json!({"atMs": 10000, "referTo": format!("<{B}>")});
    for (k, v) in refer.as_object().unwrap() {
        r[k] = v.clone();
    }
    json!({
        "initialTwiml": format!("<Response><Dial answerOnBridge=\"{aob}\" referUrl=\"{HANDLER}\"><Sip>{A}</Sip></Dial></Response>"),
        "refer": r,
        "app": {HANDLER: {"latencyMs": 100, "status": 200, "unreachable": unreachable,
            "twiml": format!("<Response><Dial{dial}><Sip>{B}</Sip></Dial></Response>")}},
        "endpoints": {A: {"afterMs": 2000, "answer": "answer"}, B: {"afterMs": 8000, "answer": answer}}
    })
}

/// F4: with `Refer-Sub: false` no step of kind `notify-sent` is left without its NOTIFY; the
/// decision it stood for is a `refer-outcome` step that says no NOTIFY is sent.
#[test]
fn a_refer_sub_false_run_has_no_notify_sent_step_without_a_notify() {
    let cases = [
        (true, "answer", false),
        (true, "busy", false),
        (false, "answer", false),
        (false, "busy", false),
        (false, "answer", true),
        (true, "answer", true),
    ];
    for (aob, answer, unreachable) in cases {
        let case = format!("answerOnBridge {aob}, AgentB {answer}, handler unreachable {unreachable}");
        for sub in [false, true] {
            let t = run(transfer(aob, answer, unreachable, json!({"referSub": sub}), ""));
            for s in t.steps.iter().filter(|s| s.kind == StepKind::NotifySent) {
                assert!(
                    s.messages.iter().any(|m| m.method() == Some("NOTIFY")),
                    "{case}, Refer-Sub {sub}: a notify-sent step sends no NOTIFY: {}",
                    s.narration
                );
            }
            let outcomes: Vec<&str> =
                t.steps.iter().filter(|s| s.kind == StepKind::ReferOutcome).map(|s| s.narration.as_str()).collect();
            if sub {
                assert_eq!(outcomes, Vec::<&str>::new(), "{case}: a subscription's outcome is its NOTIFY");
            } else {
                assert_eq!(outcomes.len(), 1, "{case}: one refer-outcome step: {outcomes:?}");
                assert!(outcomes[0].contains("No NOTIFY is sent"), "{case}: {}", outcomes[0]);
            }
        }
    }
    // The REFER to a <Dial> without referUrl, answered at once.
    let mut absent = transfer(true, "answer", false, json!({"referSub": false}), "");
    absent["initialTwiml"] = json!(format!("<Response><Dial answerOnBridge=\"true\"><Sip>{A}</Sip></Dial></Response>"));
    let t = run(absent);
    assert!(t.steps.iter().all(|s| s.kind != StepKind::NotifySent));
    assert_eq!(t.steps.iter().filter(|s| s.kind == StepKind::ReferOutcome).count(), 1);
}
