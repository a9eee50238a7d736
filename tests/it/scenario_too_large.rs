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

/// The longest string is named even after a long one that starts much earlier (a scan that
/// compared anything but lengths would keep the first), and of two as long, the first.
#[test]
fn the_longest_string_wins_and_a_tie_names_the_first() {
    let frame = r#"{"initialTwiml":"A","refer":{"atMs":1,"referTo":"<sip:a@b.c>"},"app":{"https://e.com/x":{"twiml":"B"}}}"#;
    for (a, b, field) in [
        (1_000_000, 1_100_000, r#"app["https://e.com/x"].twiml"#),
        (1_100_000, 1_000_000, "initialTwiml"),
        (1_000_000, 1_000_000, "initialTwiml"),
    ] {
        let text = frame.replace("\"A\"", &format!("\"{}\"", "x".repeat(a))).replace("\"B\"", &format!("\"{}\"", "y".repeat(b)));
        let e = Scenario::from_json(&text).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), ("too_large", Some(field)), "{a} then {b}");
    }
}

/// The limit itself (`MAX_SCENARIO_BYTES`, 1 MiB): a scenario of exactly that much JSON is read (its
/// `initialTwiml`, longer than 64 kB, is then the field's own `too_large`), one byte more is the
/// whole scenario's.
#[test]
fn a_scenario_of_exactly_the_limit_is_read() {
    const MAX_SCENARIO_BYTES: usize = 1 << 20;
    let json = |n: usize| {
        let frame = r#"{"initialTwiml":"","refer":{"atMs":1,"referTo":"<sip:a@b.c>"}}"#;
        frame.replace(r#""initialTwiml":"""#, &format!(r#""initialTwiml":"{}""#, "x".repeat(n - frame.len())))
    };
    let at = json(MAX_SCENARIO_BYTES);
    assert_eq!(at.len(), MAX_SCENARIO_BYTES);
    let e = Scenario::from_json(&at).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("initialTwiml"), "{}", e.message);
    assert!(e.message.ends_with("over the limit of 65536"), "{}", e.message);
    let over = Scenario::from_json(&json(MAX_SCENARIO_BYTES + 1)).unwrap_err();
    assert_eq!(over.code, "too_large");
    assert!(over.message.contains("making the scenario 1048577 bytes, over the limit of 1048576"), "{}", over.message);
}
