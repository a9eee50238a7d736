//! A scenario error names the path in the user's object and, for a value that is not one
//! of a list, the list in plain words. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::Scenario;

fn error_for(patch: impl Fn(&mut serde_json::Value)) -> (String, Option<String>) {
    let entry = catalogue().into_iter().find(|e| e.id == "agentb-answers-aob-true").unwrap();
    let mut v = serde_json::to_value(&entry.scenario).unwrap();
    patch(&mut v);
    let e = Scenario::from_json(&v.to_string()).unwrap_err();
    (e.message, e.field)
}

#[test]
fn a_value_not_in_a_list_names_the_path_and_the_list() {
    let (message, field) = error_for(|v| v["endpoints"]["sip:AgentB@example.sip.twilio.com"]["answer"] = "bussy".into());
    assert_eq!(field.as_deref(), Some("endpoints[\"sip:AgentB@example.sip.twilio.com\"].answer"));
    assert!(
        message.starts_with(
            "endpoints[\"sip:AgentB@example.sip.twilio.com\"].answer: \"bussy\" is not one of answer, no-answer, busy, fail"
        ),
        "{message}"
    );
    let (message, _) = error_for(|v| v["referFrom"] = "agent".into());
    assert!(message.starts_with("referFrom: \"agent\" is not one of transferor, caller"), "{message}");
    let (message, field) = error_for(|v| v["app"]["https://example.com/handler"]["statu"] = 200.into());
    assert_eq!(field.as_deref(), Some("app[\"https://example.com/handler\"].statu"));
    assert!(message.contains("unknown field \"statu\": the fields are status, latencyMs, twiml, unreachable"), "{message}");
    // Other messages are left as serde words them.
    let (message, _) = error_for(|v| v["initialTwiml"] = 5.into());
    assert!(message.starts_with("initialTwiml: invalid type: integer `5`, expected a string"), "{message}");
}

#[test]
fn rust_type_names_are_said_as_what_the_user_writes() {
    let (message, field) = error_for(|v| v["refer"]["referTo"] = 5.into());
    assert_eq!(field.as_deref(), Some("refer.referTo"));
    assert!(message.contains("expected a Refer-To value (a string) or a list of them"), "{message}");
    assert!(!message.contains("ReferToHeaders"), "{message}");
    let (message, _) = error_for(|v| v["app"]["https://example.com/handler"] = "<Response/>".into());
    assert!(message.contains("expected an app answer object such as { status, latencyMs, twiml }"), "{message}");
    assert!(!message.contains("struct"), "{message}");
    let e = Scenario::from_json("[]").unwrap_err();
    // Not serde's "[0]: invalid type: an array" (a field the user never wrote): tests/it/scenario_paths.rs.
    assert!(
        e.code == "not_a_scenario" && e.message.contains("expected a scenario object (or its JSON text), not an array"),
        "{}",
        e.message
    );
}

#[test]
fn an_http_status_outside_100_to_599_is_an_error_naming_the_field() {
    let (message, field) = error_for(|v| v["app"]["https://example.com/handler"]["status"] = 999.into());
    assert_eq!(field.as_deref(), Some("app[\"https://example.com/handler\"].status"));
    assert!(message.ends_with("999 is not an HTTP status code (100 to 599)"), "{message}");
    for ok in [100, 200, 599] {
        let entry = catalogue().into_iter().find(|e| e.id == "agentb-answers-aob-true").unwrap();
        let mut v = serde_json::to_value(&entry.scenario).unwrap();
        v["app"]["https://example.com/handler"]["status"] = ok.into();
        assert!(Scenario::from_json(&v.to_string()).is_ok(), "{ok}");
    }
}

#[test]
fn an_endpoint_sip_code_must_be_a_final_failure_300_to_699() {
    const B: &str = "sip:AgentB@example.sip.twilio.com";
    for bad in [0, 180, 200, 299, 700, 65535] {
        let (message, field) = error_for(|v| v["endpoints"][B] = serde_json::json!({ "answer": "fail", "sipCode": bad }));
        assert_eq!(field.as_deref(), Some("endpoints[\"sip:AgentB@example.sip.twilio.com\"].sipCode"), "{bad}");
        assert!(message.ends_with(&format!("{bad} is not a SIP failure code (300 to 699)")), "{message}");
    }
    for ok in [300, 404, 486, 503, 603, 699] {
        let entry = catalogue().into_iter().find(|e| e.id == "agentb-answers-aob-true").unwrap();
        let mut v = serde_json::to_value(&entry.scenario).unwrap();
        v["endpoints"][B] = serde_json::json!({ "answer": "fail", "sipCode": ok });
        assert!(Scenario::from_json(&v.to_string()).is_ok(), "{ok}");
    }
}
