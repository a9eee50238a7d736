//! Scenario limits and error paths (issue 13): every text and collection has a
//! limit with an error past it, times are bounded integers, and an error's
//! `field` is the path of the offending value in the user's object.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::Scenario;

/// The limits of src/scenario/input.rs (and the README), as the user sees them.
const MAX_ADDRESS_BYTES: usize = 256;
const MAX_TWIML_BYTES: usize = 64 * 1024;
const MAX_SCENARIO_BYTES: usize = 1 << 20;

const BASE: &str = r#""initialTwiml":"<Response><Dial referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.com</Sip></Dial></Response>","refer":{"atMs":1000,"referTo":"<sip:AgentB@example.com>"}"#;

fn err(json: &str) -> (&'static str, String, String) {
    let e = Scenario::from_json(json).unwrap_err();
    (e.code, e.field.unwrap_or_default(), e.message)
}

#[test]
fn errors_name_the_path_of_the_value() {
    #[rustfmt::skip]
    let cases = [
        (format!(r#"{{{BASE},"endpoints":{{"sip:AgentB@example.com":{{"answer":"maybe"}}}}}}"#), "bad_scenario", r#"endpoints["sip:AgentB@example.com"].answer"#),
        (format!(r#"{{{BASE},"endpoints":{{"sip:AgentB@example.com":{{"afterMs":-1}}}}}}"#), "bad_scenario", r#"endpoints["sip:AgentB@example.com"].afterMs"#),
        (format!(r#"{{{BASE},"endpoints":{{"agent":{{"afterMs":1.5}}}}}}"#), "bad_scenario", "endpoints.agent.afterMs"),
        (format!(r#"{{{BASE},"endpoints":{{"sip:AgentB@example.com":5}}}}"#), "bad_scenario", r#"endpoints["sip:AgentB@example.com"]"#),
        (format!(r#"{{{BASE},"endpoints":{{"sip:AgentB@example.com":{{"bogus":1}}}}}}"#), "bad_scenario", r#"endpoints["sip:AgentB@example.com"].bogus"#),
        (format!(r#"{{{BASE},"app":{{"https://x":{{"status":"200"}}}}}}"#), "bad_scenario", r#"app["https://x"].status"#),
        (format!(r#"{{{BASE},"callerDigits":["1",2]}}"#), "bad_scenario", "callerDigits[1]"),
        (format!(r#"{{{BASE},"chainedRefers":[{{"referTo":"<sip:c@d.com>"}},{{"afterMs":1}}]}}"#), "bad_scenario", "chainedRefers[1].referTo"),
        (format!(r#"{{{BASE},"caller":{{"from":null}}}}"#), "bad_scenario", "caller.from"),
        (format!(r#"{{{BASE},"caller":{{"from":"\ud800"}}}}"#), "bad_scenario", "caller.from"),
        (r#"{"initialTwiml":"<Response/>","refer":{"atMs":"soon","referTo":"<sip:a@b.com>"}}"#.to_string(), "bad_scenario", "refer.atMs"),
        (r#"{"initialTwiml":"<Response/>","refer":{"referTo":"<sip:a@b.com>"}}"#.to_string(), "bad_scenario", "refer.atMs"),
        (r#"{"initialTwiml":"<Response/>","refer":{"atMs":1,"referTo":"<sip:a@b.com>","hold":true}}"#.to_string(), "bad_scenario", "refer.hold"),
        (r#"{"initialTwiml":"<Response/>","refer":{"atMs":1,"referTo":5}}"#.to_string(), "bad_scenario", "refer.referTo"),
        (r#"{"refer":{"atMs":1,"referTo":"<sip:a@b.com>"}}"#.to_string(), "bad_scenario", "initialTwiml"),
        ("{\n  \"initialTwiml\": \"<Response/>\",\n  \"refer\": {\n    \"atMs\": true,\n    \"referTo\": \"x\"\n  }\n}".to_string(), "bad_scenario", "refer.atMs"),
    ];
    for (json, code, field) in cases {
        let (c, f, m) = err(&json);
        assert_eq!((c, f.as_str()), (code, field), "{json}: {m}");
        assert!(m.starts_with(field), "the message names the path: {m}");
    }
}

#[test]
fn times_are_integers_up_to_2_pow_40() {
    let t = |ms: &str| format!(r#"{{{BASE},"endpoints":{{"sip:AgentB@example.com":{{"hangupAfterMs":{ms}}}}}}}"#);
    assert!(Scenario::from_json(&t("1099511627776")).is_ok());
    for ms in ["1099511627777", "18446744073709549568", "9007199254740993"] {
        let (code, field, message) = err(&t(ms));
        assert_eq!((code, field.as_str()), ("bad_time", r#"endpoints["sip:AgentB@example.com"].hangupAfterMs"#), "{message}");
    }
    let (code, field, _) = err(&t("18446744073709551616"));
    assert_eq!((code, field.as_str()), ("bad_scenario", r#"endpoints["sip:AgentB@example.com"].hangupAfterMs"#));
    let (code, field, _) = err(&format!("{{{}}}", BASE.replace("1000", "1099511627777")));
    assert_eq!((code, field.as_str()), ("bad_time", "refer.atMs"));
}

#[test]
fn every_text_and_collection_has_a_limit() {
    let big = |n: usize| "a".repeat(n);
    #[rustfmt::skip]
    let cases = [
        (format!(r#"{{{BASE},"caller":{{"from":"{}"}}}}"#, big(MAX_ADDRESS_BYTES + 1)), "caller.from"),
        (format!(r#"{{{BASE},"caller":{{"to":"{}"}}}}"#, big(MAX_ADDRESS_BYTES + 1)), "caller.to"),
        (format!(r#"{{"initialTwiml":"<Response><Say>{}</Say></Response>","refer":{{"atMs":1,"referTo":"x"}}}}"#, big(MAX_TWIML_BYTES)), "initialTwiml"),
        (format!(r#"{{{BASE},"app":{{"https://x":{{"twiml":"{}"}}}}}}"#, big(MAX_TWIML_BYTES + 1)), r#"app["https://x"].twiml"#),
        (format!(r#"{{{BASE},"app":{{"https://{}":{{}}}}}}"#, big(2048)), "app[\"https://"),
        (format!(r#"{{{BASE},"endpoints":{{"{}":{{}}}}}}"#, big(MAX_ADDRESS_BYTES + 1)), "endpoints.aaaa"),
        (format!(r#"{{"initialTwiml":"<Response/>","refer":{{"atMs":1,"referTo":"{}"}}}}"#, big(4097)), "refer.referTo"),
        (format!(r#"{{"initialTwiml":"<Response/>","refer":{{"atMs":1,"referTo":["a","{}"]}}}}"#, big(4097)), "refer.referTo[1]"),
        (format!(r#"{{"initialTwiml":"<Response/>","refer":{{"atMs":1,"referTo":[{}"a"]}}}}"#, "\"a\",".repeat(8)), "refer.referTo"),
        (format!(r#"{{{BASE},"chainedRefers":[{}{{"referTo":"a"}}]}}"#, r#"{"referTo":"a"},"#.repeat(16)), "chainedRefers"),
        (format!(r#"{{{BASE},"chainedRefers":[{{"referTo":"{}"}}]}}"#, big(4097)), "chainedRefers[0].referTo"),
        (format!(r#"{{{BASE},"callerDigits":[{}"1"]}}"#, r#""1","#.repeat(64)), "callerDigits"),
        (format!(r#"{{{BASE},"callerDigits":["{}"]}}"#, big(65)), "callerDigits[0]"),
        (format!(r#"{{{BASE},"endpoints":{{{}"z":{{}}}}}}"#, (0..64).map(|i| format!(r#""e{i}":{{}},"#)).collect::<String>()), "endpoints"),
        (format!(r#"{{{BASE},"app":{{{}"z":{{}}}}}}"#, (0..64).map(|i| format!(r#""u{i}":{{}},"#)).collect::<String>()), "app"),
    ];
    for (json, field) in cases {
        let (code, f, message) = err(&json);
        assert_eq!(code, "too_large", "{field}: {message}");
        assert!(f.starts_with(field), "{f} is not {field}: {message}");
        assert!(message.contains("over the limit"), "{message}");
    }
    let (code, field, message) = err(&format!(r#"{{{BASE},"caller":{{"from":"{}"}}}}"#, big(MAX_SCENARIO_BYTES)));
    // Over the whole-scenario limit, the field is the longest string's: what to shorten.
    assert_eq!((code, field.as_str()), ("too_large", "caller.from"), "{message}");
}

#[test]
fn the_catalogue_is_within_the_limits() {
    for e in refer_sim::scenario::catalogue::catalogue() {
        let json = serde_json::to_string(&e.scenario).unwrap();
        assert_eq!(Scenario::from_json(&json).as_ref(), Ok(&e.scenario), "{}", e.id);
    }
}

#[test]
fn lone_surrogates_and_non_finite_numbers_name_their_path() {
    use refer_sim::scenario::ScenarioError;
    let e = ScenarioError::lone_surrogate(r#"{"caller":{"from":"a\\ud800","to":"b\ud800"}}"#).unwrap();
    assert_eq!((e.code, e.field.as_deref()), ("lone_surrogate", Some("caller.to")), "{}", e.message);
    assert!(ScenarioError::lone_surrogate(r#"{"caller":{"from":"a\\ud800 😀"}}"#).is_none());
    let json = r#"{"endpoints":{"sip:b@c.com":{"afterMs":1,"hangupAfterMs":"\u0000x"}},"callerDigits":["1","\u0000x"]}"#;
    let e = ScenarioError::non_finite(json, "\0x", f64::NAN);
    assert_eq!(e.field.as_deref(), Some(r#"endpoints["sip:b@c.com"].hangupAfterMs"#));
    assert!(
        e.message.ends_with("NaN is not a number a scenario can hold (times and codes are finite integers)"),
        "{}",
        e.message
    );
    let e = ScenarioError::non_finite(r#"{"callerDigits":["1","\u0000x"]}"#, "\0x", f64::NEG_INFINITY);
    assert_eq!(e.field.as_deref(), Some("callerDigits[1]"), "{}", e.message);
    assert!(e.message.contains("-Infinity"));
}
