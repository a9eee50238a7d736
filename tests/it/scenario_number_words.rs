//! A number of the wrong kind in a scenario is said in the user's words, whether the scenario
//! is JSON text or (in the package) an object: a time "expected a non-negative integer" (the
//! text used to say "expected u64"), a status code out of reach "expected a 3-digit status
//! code" (it said "expected u16", and for an object "expected a non-negative integer", which
//! 70000 is). Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::Scenario;

const DIAL: &str =
    r#"<Response><Dial referUrl=\"https://example.com/refer\"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#;

fn error(rest: &str) -> (String, Option<String>) {
    let json = format!(r#"{{"initialTwiml": "{DIAL}", {rest}}}"#);
    let e = Scenario::from_json(&json).unwrap_err();
    assert_eq!(e.code, "bad_scenario");
    (e.message, e.field)
}

#[test]
fn a_time_that_is_not_a_non_negative_integer_says_so_without_rust_type_names() {
    for at in [r#""soon""#, "-5", "1.5"] {
        let (message, field) = error(&format!(r#""refer": {{"atMs": {at}, "referTo": "<sip:b@example.com>"}}"#));
        assert_eq!(field.as_deref(), Some("refer.atMs"));
        assert!(message.contains("expected a non-negative integer at line 1 column"), "{message}");
        assert!(!message.contains("u64"), "{message}");
    }
}

#[test]
fn a_status_code_out_of_reach_asks_for_a_status_code() {
    let refer = r#""refer": {"atMs": 1000, "referTo": "<sip:b@example.com>"}"#;
    for (rest, path) in [
        (r#""app": {"https://example.com/refer": {"status": 70000}}"#, r#"app["https://example.com/refer"].status"#),
        (
            r#""endpoints": {"sip:b@example.com": {"answer": "fail", "sipCode": 70000}}"#,
            r#"endpoints["sip:b@example.com"].sipCode"#,
        ),
        (r#""endpoints": {"sip:b@example.com": {"referResponse": "603"}}"#, r#"endpoints["sip:b@example.com"].referResponse"#),
    ] {
        let (message, field) = error(&format!("{refer}, {rest}"));
        assert_eq!(field.as_deref(), Some(path));
        assert!(message.contains("expected a 3-digit status code"), "{message}");
        assert!(!message.contains("u16") && !message.contains("non-negative"), "{message}");
    }
}
