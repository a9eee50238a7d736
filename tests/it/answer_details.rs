//! What an application's answer says beyond its status and body (newuser4, round 12): the URL
//! that answered after redirects (`redirected_to`, `redirected_method`), a body read only in
//! part (`body_over`), and that a handler, not the scenario's `app`, answered (the warnings name
//! the answer). The package's tests (`tests/js/live_answers.test.mjs`) send these through a real
//! server; these pin the engine's side. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{AppResponse, Scenario, Simulation};
use refer_sim::transfer::{StepKind, Timeline};
use refer_sim::twiml::Method;

const HANDLER: &str = "https://example.com/handler";
const TO_AGENT_B: &str = "<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>";

fn scenario(app: serde_json::Value) -> Scenario {
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="true" referUrl="{HANDLER}"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
        "app": app,
    });
    Scenario::from_json(&json.to_string()).unwrap()
}

fn answered(answer: AppResponse) -> Timeline {
    Simulation::new(scenario(serde_json::json!({}))).unwrap().with_handler(Box::new(move |_| Some(answer.clone()))).run()
}

fn step(t: &Timeline, kind: StepKind) -> &refer_sim::transfer::Step {
    t.steps.iter().find(|s| s.kind == kind).unwrap_or_else(|| panic!("no {kind:?} step"))
}

#[test]
fn after_redirects_the_steps_name_the_url_that_answered() {
    let moved = |status| AppResponse {
        status,
        twiml: Some(if status == 200 { TO_AGENT_B.into() } else { String::new() }),
        redirected_to: Some("https://example.com/gone".into()),
        redirected_method: Some(Method::Get),
        ..AppResponse::default()
    };
    let t = answered(moved(404));
    let failed = step(&t, StepKind::WebhookFailed);
    assert_eq!(failed.narration, "https://example.com/gone answered HTTP 404: alert 11200.");
    assert_eq!(failed.response.as_ref().unwrap().url, "https://example.com/gone");
    let t = answered(moved(200));
    let fetched = step(&t, StepKind::WebhookFetched);
    assert_eq!(fetched.response.as_ref().unwrap().url, "https://example.com/gone");
    // Without it, the URL requested.
    let t = answered(AppResponse { status: 404, twiml: Some(String::new()), ..AppResponse::default() });
    assert_eq!(step(&t, StepKind::WebhookFailed).narration, format!("{HANDLER} answered HTTP 404: alert 11200."));
}

#[test]
fn an_answer_read_in_part_is_11750_when_its_whole_would_be() {
    let cut =
        |status, over| AppResponse { status, twiml: Some(TO_AGENT_B.into()), body_over: Some(over), ..AppResponse::default() };
    let t = answered(cut(200, 1 << 20));
    let failed = step(&t, StepKind::WebhookFailed);
    assert_eq!(
        failed.narration,
        format!("the response body from {HANDLER} is more than 1048576 bytes, larger than 64 kB: alert 11750.")
    );
    // 64 kB exactly: over it.
    assert_eq!(step(&answered(cut(200, 64 * 1024)), StepKind::WebhookFailed).alerts[0].code, Some(11750));
    // Longer than a few bytes only: its TwiML runs.
    assert!(answered(cut(200, 10)).steps.iter().all(|s| s.kind != StepKind::WebhookFailed));
    // A 404 page is 11200 however long.
    assert_eq!(step(&answered(cut(404, 1 << 20)), StepKind::WebhookFailed).alerts[0].code, Some(11200));
}

#[test]
fn a_warning_names_a_handlers_answer_as_such_and_an_app_entry_by_its_key() {
    let twiml = r#"<Response><Dial><Sip referUrl2="x">sip:AgentB@example.com</Sip></Dial></Response>"#;
    let t = answered(AppResponse { twiml: Some(twiml.into()), ..AppResponse::default() });
    let fields: Vec<_> = t.warnings.iter().filter(|w| w.code == "unknown_attribute").map(|w| w.field.as_str()).collect();
    assert_eq!(fields, [format!("the answer from {HANDLER}")]);
    let own = Simulation::new(scenario(serde_json::json!({ HANDLER: { "twiml": twiml } }))).unwrap().run();
    let fields: Vec<_> = own.warnings.iter().filter(|w| w.code == "unknown_attribute").map(|w| w.field.as_str()).collect();
    assert_eq!(fields, [format!("app[\"{HANDLER}\"].twiml")]);
}

#[test]
fn the_fields_read_from_json() {
    let a = AppResponse::from_json(r#"{"redirectedTo":"https://example.com/b","redirectedMethod":"GET","bodyOver":1048576}"#)
        .unwrap();
    assert_eq!(
        (a.redirected_to.as_deref(), a.redirected_method, a.body_over),
        (Some("https://example.com/b"), Some(Method::Get), Some(1 << 20))
    );
    assert!(AppResponse::from_json(r#"{"redirectedMethod":"PUT"}"#).is_err());
    let long = format!(r#"{{"redirectedTo":"https://example.com/{}"}}"#, "a".repeat(3000));
    assert!(AppResponse::from_json(&long).unwrap_err().message.starts_with("redirectedTo"));
}
