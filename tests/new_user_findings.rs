//! What a new user found on 2026-11-27, one test per finding, each failing before its fix:
//! phone numbers Twilio cannot call, control characters in TwiML, the outcome of a transfer
//! whose referUrl TwiML dials no one with answerOnBridge true, `<Refer>` inside `<Dial>`, and
//! the parties' labels kept as written. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::Timeline;
use refer_sim::twiml::{check_transfer, Role};

/// The pstn-target catalogue scenario (answerOnBridge true), its referUrl answering `twiml`.
fn pstn_with(twiml: &str) -> Scenario {
    let mut s = catalogue().into_iter().find(|e| e.id == "pstn-target").unwrap().scenario;
    s.app.get_mut("https://example.com/handler").unwrap().twiml = Some(twiml.to_string());
    s
}

fn run(s: &Scenario) -> Timeline {
    simulate(s).unwrap()
}

/// (the `<Number>` text, the check's code and vendor code; "" when Twilio calls it)
#[rustfmt::skip]
const NUMBERS: &[(&str, &str, u32)] = &[
    ("+1 415 555", "invalid_number", 13224),
    ("+999999999999999999", "too_many_digits", 13223),
    ("+1415555012", "invalid_number", 13224),
    ("+141555501234", "invalid_number", 13224),
    ("+44 20", "invalid_number", 13224),
    ("01234567890", "invalid_number", 13224),
    ("5550100", "invalid_number", 13224),
    ("+14155550123", "", 0),
    ("+1 (415) 555-0123", "", 0),
    ("(415) 555-1212", "", 0),
    ("415-555-1212", "", 0),
    ("1 415 555 1212", "", 0),
    ("+441234567890", "", 0),
    ("+683 4002", "", 0),
    ("+491234567890123", "", 0),
];

#[test]
fn numbers_twilio_cannot_call_are_found_by_the_check_and_fail_in_the_run() {
    for &(number, code, vendor) in NUMBERS {
        let twiml = format!("<Response><Dial><Number>{number}</Number></Dial></Response>");
        let found = check_transfer(&twiml, Role::ReferResponse);
        let d = found.iter().find(|d| d.vendor_code == Some(13223) || d.vendor_code == Some(13224));
        let t = run(&pstn_with(&twiml));
        let alert = t.outcome.alerts.iter().find(|a| a.code == Some(13223) || a.code == Some(13224));
        if code.is_empty() {
            assert!(d.is_none(), "{number}: {d:?}");
            assert!(alert.is_none(), "{number}: {alert:?}");
            assert!(t.outcome.summary.starts_with("The transfer went through"), "{number}: {}", t.outcome.summary);
            continue;
        }
        let d = d.unwrap_or_else(|| panic!("{number}: no finding in {found:?}"));
        assert_eq!((d.code, d.vendor_code), (code, Some(vendor)), "{number}");
        assert!(d.is_error(), "{number}");
        assert!(alert.is_some_and(|a| a.code == Some(vendor)), "{number}: {:?}", t.outcome.alerts);
        assert!(!t.outcome.summary.starts_with("The transfer went through"), "{number}: {}", t.outcome.summary);
        let cause = &t.explanation.cause;
        assert!(cause.starts_with("Twilio could not call AgentB: <Number> holds"), "{number}: {cause}");
        assert!(cause.contains(&format!("(alert {vendor})")), "{number}: {cause}");
    }
}
