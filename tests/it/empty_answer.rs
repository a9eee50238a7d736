//! An application answer without a body (`twiml` absent or null, in an `app` entry, an
//! `onWebhook` answer or `respond`) is an empty body, as a live server's empty answer is: with
//! the default Content-Type text/xml, an empty document does not parse, error 12100
//! (`error.12100`: "unable to parse the provided XML Document"). It used to run as
//! `<Response/>` (no verbs), so `{ status: 200 }` and `{ status: 200, twiml: "" }` gave
//! opposite outcomes. The live side is tests/js/empty_answer.test.mjs. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};

const HANDLER: &str = "https://example.com/handler";

fn run(answer: serde_json::Value) -> refer_sim::transfer::Timeline {
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial referUrl="{HANDLER}"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
        "app": { HANDLER: answer },
    });
    simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap()
}

#[test]
fn an_answer_without_a_body_is_an_empty_body() {
    let empty = run(serde_json::json!({ "status": 200, "twiml": "" }));
    let alerts: Vec<_> = empty.outcome.alerts.iter().map(|a| a.code).collect();
    assert_eq!(alerts, [Some(12100)], "{}", empty.outcome.summary);
    for answer in [
        serde_json::json!({ "status": 200 }),
        serde_json::json!({ "status": 200, "twiml": null }),
        serde_json::json!({}),
        serde_json::json!({ "contentType": "text/xml" }),
    ] {
        let t = run(answer.clone());
        let said = |t: &refer_sim::transfer::Timeline| t.steps.iter().map(|s| s.narration.clone()).collect::<Vec<_>>();
        assert_eq!(said(&t), said(&empty), "{answer}");
        assert_eq!(t.outcome, empty.outcome, "{answer}");
        // An answer that states its type also records it on its step (`response.contentType`,
        // `response.media`); otherwise the two runs are the same.
        if answer.get("contentType").is_none() {
            assert_eq!(t, empty, "{answer}");
        }
    }
    // A 204 is a 2xx like any other: its empty text/xml body does not parse either.
    let no_content = run(serde_json::json!({ "status": 204 }));
    assert_eq!(no_content.outcome.alerts.iter().map(|a| a.code).collect::<Vec<_>>(), [Some(12100)]);
    assert_eq!(no_content.outcome.summary, empty.outcome.summary);
    // Without a Content-Type (what `res.sendStatus(204)` sends): 12300, as a live answer.
    let untyped = run(serde_json::json!({ "status": 204, "contentType": null }));
    assert_eq!(untyped.outcome.alerts.iter().map(|a| a.code).collect::<Vec<_>>(), [Some(12300)]);
}
