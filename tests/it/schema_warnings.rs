//! A value Twilio's schema refuses is a warning there, not a failed document: 12200 ("Schema
//! validation warning", log level WARNING) and 13212 for `<Dial timeout>` ("Dial: Invalid
//! timeout value", WARNING). Before, refer-sim failed the whole document with 12100 (a parse
//! failure) for `timeout="abc"` or `answerOnBridge="yes"`, so the transfer failed where Twilio's
//! goes on. Now the document runs with the attribute's default and the run lists a warning.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::twiml::{parse, Severity};
use serde_json::json;

fn scenario(handler: &str) -> Scenario {
    let s = json!({
        "initialTwiml": "<Response><Dial answerOnBridge=\"true\" referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>",
        "refer": { "atMs": 20000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "app": { "https://example.com/handler": { "twiml": handler } },
        "endpoints": {
            "sip:AgentA@example.sip.twilio.com": { "answer": "answer", "afterMs": 3000 },
            "sip:AgentB@example.sip.twilio.com": { "answer": "no-answer" }
        }
    });
    Scenario::from_json(&s.to_string()).expect("a valid scenario")
}

#[test]
fn a_dial_timeout_that_is_not_a_number_warns_13212_and_rings_for_the_default() {
    let t = simulate(&scenario("<Response><Dial timeout=\"abc\"><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>"))
        .expect("a run");
    assert!(t.steps.iter().all(|s| s.alerts.iter().all(|a| a.code != Some(12100))), "no parse failure");
    let cancel = t.steps.iter().find(|s| s.narration.contains("Nobody answered")).expect("AgentB's ringing times out");
    // The referUrl answers 100 ms after the REFER at 20 s (default latency); 30 s of ringing
    // (the default) plus Twilio's 5 s buffer.
    assert_eq!(cancel.at_ms, 20_100 + 35_000);
    let w = t.warnings.iter().find(|w| w.code == "bad_attribute_value").expect("a warning for the value");
    assert_eq!(w.field, "app[\"https://example.com/handler\"].twiml");
    assert!(w.message.contains("timeout=\"abc\"") && w.message.contains("13212"), "{}", w.message);
}

#[test]
fn a_bad_boolean_warns_12200_and_the_default_applies() {
    let p = parse("<Response><Dial answerOnBridge=\"yes\"><Number>+14155550100</Number></Dial></Response>");
    let d = p.diagnostics.iter().find(|d| d.code == "bad_enum").expect("a diagnostic");
    assert_eq!((d.severity, d.vendor_code), (Severity::Warning, Some(12200)));
    let dial = p.response.expect("a document").dials().next().cloned().expect("a <Dial>");
    assert!(!dial.answer_on_bridge_or_default());
}

#[test]
fn dial_attributes_with_their_own_error_pages_warn_with_those_codes() {
    // error.13213 "Dial: Invalid hangupOnStar value", error.13216 (timeLimit), error.13212 (timeout).
    for (attr, code) in [("hangupOnStar=\"yes\"", 13213), ("timeLimit=\"soon\"", 13216), ("timeout=\"abc\"", 13212)] {
        let p = parse(&format!("<Response><Dial {attr}><Number>+14155550100</Number></Dial></Response>"));
        let d = p.diagnostics.iter().find(|d| d.severity == Severity::Warning).expect("a warning");
        assert_eq!(d.vendor_code, Some(code), "{attr}: {}", d.message);
        assert!(d.message.contains(&format!("Twilio warns {code}")), "{}", d.message);
        assert!(p.diagnostics.iter().all(|d| d.severity != Severity::Error), "{attr}: the document runs");
    }
    // Another element's bad boolean stays the generic schema warning.
    let p = parse("<Response><Dial answerOnBridge=\"yes\" method=\"PUT\"><Number>+14155550100</Number></Dial></Response>");
    let codes: Vec<Option<u32>> = p.diagnostics.iter().map(|d| d.vendor_code).collect();
    assert_eq!(codes, [Some(12200), Some(12200)], "{:?}", p.diagnostics);
}

#[test]
fn only_schema_findings_are_schema_warnings() {
    // Stray text is a warning of refer-sim's own reading, not Twilio's schema: the run does not
    // list it. An element Twilio does not expect (`<Foo/>`) is its 12200 ("Unknown or unexpected
    // nested elements"): the run lists it, as `checkTransfer` does.
    let xml = "<Response>stray text<Dial foo=\"1\" timeout=\"abc\"><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial><Foo/></Response>";
    let p = parse(xml);
    let schema: Vec<&str> =
        p.diagnostics.iter().filter(|d| refer_sim::twiml::diagnostic::is_schema_warning(d)).map(|d| d.code).collect();
    let others: Vec<&str> = p
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning && !refer_sim::twiml::diagnostic::is_schema_warning(d))
        .map(|d| d.code)
        .collect();
    assert_eq!(schema, ["unknown_attribute", "not_a_number", "unknown_element"], "{:?}", p.diagnostics);
    assert_eq!(others, ["unexpected_text"], "{:?}", p.diagnostics);
    let t = simulate(&scenario(xml)).expect("a run");
    let listed: Vec<&str> = t.warnings.iter().map(|w| w.code).collect();
    assert_eq!(listed, ["unknown_attribute", "bad_attribute_value", "unknown_element"], "not {others:?}: {:#?}", t.warnings);
}

/// A new user's referUrl answered `<dial><sip>…</sip></dial>`: the run skipped the unknown
/// `<dial>` and ended with nobody transferred, yet `timeline.warnings` was empty, so a CI check
/// `--expect warnings=none` passed, while `checkTransfer` flagged the same TwiML (12200). Now the
/// run lists it, naming the field and line, and the element that was meant.
#[test]
fn an_element_in_the_wrong_case_is_a_run_warning_naming_the_verb_meant() {
    let t = simulate(&scenario("<Response><dial><sip>sip:AgentB@example.sip.twilio.com</sip></dial></Response>")).expect("a run");
    let w = t.warnings.iter().find(|w| w.code == "unknown_element").unwrap_or_else(|| panic!("{:#?}", t.warnings));
    assert_eq!(w.field, "app[\"https://example.com/handler\"].twiml");
    assert!(w.message.starts_with("line 1 column 11: <dial> is not a documented child of <Response> (did you mean <Dial>? element names are case-sensitive)"), "{}", w.message);
    assert!(w.message.contains("12200"), "{}", w.message);
    // AgentB's endpoint is unused too: the run never called it.
    assert_eq!(t.warnings.iter().map(|w| w.code).collect::<Vec<_>>(), ["unknown_element", "unused_endpoint"]);
    // In the initial TwiML too, and for a noun inside <Dial> and a verb nested in another.
    for (xml, meant) in [
        ("<Response><Dial><sip>sip:AgentB@example.sip.twilio.com</sip></Dial></Response>", Some("<Sip>")),
        ("<Response><Dial><Number>+14155550100</Number><Say>hi</Say></Dial></Response>", None),
    ] {
        let p = parse(xml);
        let d = p.diagnostics.iter().find(|d| refer_sim::twiml::diagnostic::is_schema_warning(d)).expect("a schema warning");
        assert_eq!(d.vendor_code, Some(12200), "{xml}");
        match meant {
            Some(m) => assert!(d.message.contains(&format!("did you mean {m}?")), "{}", d.message),
            None => assert!(!d.message.contains("did you mean"), "{}", d.message),
        }
    }
}

/// A `<Dial timeout>` outside 5–600 s is clamped by the runtime; the narration showed the value
/// used but the run gave no warning (only `checkTransfer` did). Now the parser warns
/// `timeout_clamped`, naming the attribute, the value written and the value used, so
/// `parse`, `check_transfer` (once) and a run's warnings (initial and fetched TwiML) all say it.
#[test]
fn a_dial_timeout_out_of_range_warns_with_the_value_used() {
    for (written, used) in [(3u64, 5u64), (700, 600), (0, 5)] {
        let dial =
            format!("<Response><Dial timeout=\"{written}\"><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>");
        let p = parse(&dial);
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == "timeout_clamped")
            .unwrap_or_else(|| panic!("{written}: {:?}", p.diagnostics));
        assert_eq!((d.severity, d.tag.as_deref()), (Severity::Warning, Some("Dial")));
        assert_eq!(&dial[d.span.start..d.span.end], format!("timeout=\"{written}\""));
        for part in [format!("timeout=\"{written}\""), format!("rings for {used} s"), "5–600".to_string()] {
            assert!(d.message.contains(&part), "{written}: {part} in {}", d.message);
        }
        let checked = refer_sim::twiml::check_transfer(&dial, refer_sim::twiml::Role::ReferResponse);
        assert_eq!(checked.iter().filter(|d| d.code == "timeout_clamped").count(), 1, "{checked:?}");
        let t = simulate(&scenario(&dial)).expect("a run");
        let w =
            t.warnings.iter().find(|w| w.code == "bad_attribute_value").unwrap_or_else(|| panic!("{written}: {:#?}", t.warnings));
        assert_eq!(w.field, "app[\"https://example.com/handler\"].twiml");
        assert!(
            w.message.contains(&format!("timeout=\"{written}\"")) && w.message.contains(&format!("rings for {used} s")),
            "{}",
            w.message
        );
        // The run rings for the value used (plus Twilio's 5 s buffer), as the warning says.
        let cancel = t.steps.iter().find(|s| s.narration.contains("Nobody answered")).expect("AgentB's ringing times out");
        assert_eq!(cancel.at_ms, 20_100 + (used + 5) * 1000, "{written}");
    }
    // The initial TwiML's warning names its field; a timeout in range gives none.
    let mut s = scenario("<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>");
    s.initial_twiml = s.initial_twiml.replace("<Dial ", "<Dial timeout=\"1000\" ");
    let t = simulate(&s).expect("a run");
    assert!(t.warnings.iter().any(|w| w.field == "initialTwiml" && w.message.contains("timeout=\"1000\"")), "{:#?}", t.warnings);
    for ok in ["5", "30", "600"] {
        let p = parse(&format!("<Response><Dial timeout=\"{ok}\"/></Response>"));
        assert!(p.diagnostics.iter().all(|d| d.code != "timeout_clamped"), "{ok}: {:?}", p.diagnostics);
    }
}
