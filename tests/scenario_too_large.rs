//! A scenario over 1 MiB of JSON: the error's `field` is the path of its longest string, what
//! to shorten (was `None`). Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::Scenario;

/// (JSON with `BIG` standing for a long string, the field named, the bytes the message gives)
#[rustfmt::skip]
const CASES: &[(&str, &str, usize)] = &[
    (r#"{"initialTwiml":"BIG","refer":{"atMs":1,"referTo":"<sip:a@b.c>"}}"#, "initialTwiml", 2_000_000),
    (r#"{"initialTwiml":"<Response/>","refer":{"atMs":1,"referTo":"<sip:a@b.c>"},"app":{"https://e.com/x":{"twiml":"BIG"}}}"#, r#"app["https://e.com/x"].twiml"#, 2_000_000),
    (r#"{"refer":{"atMs":1,"referTo":["<sip:a@b.c>","BIG"]},"initialTwiml":"\"\\\"x"}"#, "refer.referTo[1]", 2_000_000),
    (r#"{"initialTwiml":"a\"BIG\"b","refer":{"atMs":1,"referTo":"<sip:a@b.c>"}}"#, "initialTwiml", 2_000_006),
];

#[test]
fn a_scenario_over_the_limit_names_its_longest_string() {
    for (json, field, bytes) in CASES {
        let text = json.replace("BIG", &"x".repeat(2_000_000));
        let e = Scenario::from_json(&text).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), ("too_large", Some(*field)), "{json}");
        let expected = format!(
            "{field}: {bytes} bytes as JSON text, making the scenario {} bytes, over the limit of 1048576 (1 MiB)",
            text.len()
        );
        assert_eq!(e.message, expected, "{json}");
    }
}
