//! The final NOTIFY after a failed transfer (answerOnBridge true): its sipfrag gives a SIP
//! target's own final response to Twilio's INVITE, and the narration says where the code comes
//! from and that it is assumed. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::Step;

const B: &str = "sip:AgentB@example.sip.twilio.com";

/// The step with the terminated NOTIFY to the transferor, running catalogue `agentb-fails` with
/// `patch` applied.
fn final_notify(patch: impl Fn(&mut serde_json::Value)) -> Step {
    let entry = catalogue().into_iter().find(|e| e.id == "agentb-fails").unwrap();
    let mut v = serde_json::to_value(&entry.scenario).unwrap();
    patch(&mut v);
    let t = simulate(&Scenario::from_json(&v.to_string()).unwrap()).unwrap();
    t.steps
        .into_iter()
        .find(|s| s.messages.iter().any(|m| m.header("Subscription-State").is_some_and(|v| v.starts_with("terminated"))))
        .expect("a final NOTIFY")
}

fn sipfrag(s: &Step) -> &str {
    s.messages.iter().find_map(|m| m.body()).map(|b| b.text).unwrap_or_default()
}

#[test]
fn the_final_notify_carries_the_sip_target_s_own_failure() {
    // (AgentB's endpoint, the NOTIFY's sipfrag)
    #[rustfmt::skip]
    let cases: &[(serde_json::Value, &str)] = &[
        (serde_json::json!({ "answer": "fail", "afterMs": 3000 }), "SIP/2.0 503 Service Unavailable\r\n"),
        (serde_json::json!({ "answer": "fail", "afterMs": 3000, "sipCode": 404 }), "SIP/2.0 404 Not Found\r\n"),
        (serde_json::json!({ "answer": "fail", "afterMs": 3000, "sipCode": 603 }), "SIP/2.0 603 Decline\r\n"),
        (serde_json::json!({ "answer": "busy", "afterMs": 3000 }), "SIP/2.0 486 Busy Here\r\n"),
        (serde_json::json!({ "answer": "no-answer" }), "SIP/2.0 487 Request Terminated\r\n"),
    ];
    for (endpoint, frag) in cases {
        let step = final_notify(|v| v["endpoints"][B] = endpoint.clone());
        assert_eq!(sipfrag(&step), *frag, "{endpoint}");
        assert!(step.narration.contains("AgentB's own final response to Twilio's INVITE"), "{}", step.narration);
        assert!(step.narration.contains("(assumed)") && step.narration.contains("no page says"), "{}", step.narration);
    }
}

#[test]
fn a_target_without_a_sip_response_gets_a_code_named_for_its_status() {
    let step = final_notify(|v| {
        let twiml = "<Response><Dial><Number>+14155550100</Number></Dial></Response>";
        v["app"]["https://example.com/handler"]["twiml"] = twiml.into();
        v["endpoints"] = serde_json::json!({ "+14155550100": { "answer": "fail", "afterMs": 3000 } });
    });
    assert_eq!(sipfrag(&step), "SIP/2.0 480 Temporarily Unavailable\r\n");
    assert!(
        step.narration.contains("gave Twilio no SIP response") && step.narration.contains("no page says"),
        "{}",
        step.narration
    );
}
