//! The explanation's fix names what was wrong with a referUrl answer that Twilio could not use:
//! a type it does not read as TwiML (12300: JSON, or no Content-Type, such as a bare 204) and a
//! body over 64 kB (11750). Both used to get "Answer referUrl with HTTP 200 and TwiML", which
//! the answer already was (a new user's finding). Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, AppResponse, Scenario, Simulation};

const HANDLER: &str = "https://example.com/handler";

fn fix(answer: serde_json::Value) -> (Vec<Option<u32>>, String) {
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="true" referUrl="{HANDLER}"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
        "app": { HANDLER: answer },
    });
    let t = simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap();
    (t.outcome.alerts.iter().map(|a| a.code).collect(), t.explanation.fix.unwrap_or_default())
}

#[test]
fn a_json_or_untyped_answer_is_told_to_send_text_xml() {
    for answer in [
        serde_json::json!({ "status": 200, "contentType": "application/json", "twiml": "{\"ok\":true}" }),
        serde_json::json!({ "status": 204, "contentType": null }),
    ] {
        let (alerts, fix) = fix(answer.clone());
        assert_eq!(alerts, [Some(12300)], "{answer}");
        assert!(fix.starts_with("Answer referUrl with a Content-Type Twilio reads as TwiML, text/xml"), "{answer}: {fix}");
    }
}

#[test]
fn a_body_over_64_kb_is_told_to_shrink() {
    // A scenario file's `app` answer is at most 64 kB; a handler's (or a live server's) is not.
    let long = format!("<Response><Say>{}</Say><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>", "a".repeat(70_000));
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="true" referUrl="{HANDLER}"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
    });
    let answer = AppResponse {
        status: 200,
        latency_ms: 100,
        twiml: Some(long),
        unreachable: false,
        content_type: None,
        ..AppResponse::default()
    };
    let t = Simulation::new(Scenario::from_json(&json.to_string()).unwrap())
        .unwrap()
        .with_handler(Box::new(move |_| Some(answer.clone())))
        .run();
    assert_eq!(t.outcome.alerts.iter().map(|a| a.code).collect::<Vec<_>>(), [Some(11750)]);
    let fix = t.explanation.fix.unwrap_or_default();
    assert!(fix.starts_with("Keep referUrl's answer under 64 kB"), "{fix}");
}

#[test]
fn a_500_keeps_its_advice() {
    let (alerts, fix) = fix(serde_json::json!({ "status": 500 }));
    assert_eq!(alerts, [Some(11200)]);
    assert_eq!(fix, "Answer referUrl with HTTP 200 and TwiML.");
}
