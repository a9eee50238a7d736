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
    // 15 digits, E.164's most: not too many (13223), but a +1 number with 14 after the 1 (13224).
    ("+123456789012345", "invalid_number", 13224),
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
        // The party is named by its number (it was "AgentB", a SIP agent's name).
        assert!(cause.starts_with(&format!("Twilio could not call {number}: <Number> holds")), "{number}: {cause}");
        assert!(cause.contains(&format!("(alert {vendor})")), "{number}: {cause}");
    }
}

/// (document, byte offset of the character XML 1.0 forbids, its name in the message)
#[rustfmt::skip]
const BAD_CHARS: &[(&str, usize, &str)] = &[
    ("<Response><Say>a\u{1}b\u{0}</Say></Response>", 16, "U+0001"),
    ("<Response><Say>ab\u{0}</Say></Response>", 17, "NUL"),
    ("<Response><Dial referUrl=\"https://e.com/\u{1b}h\"><Sip>sip:a@b</Sip></Dial></Response>", 40, "U+001B"),
    ("<Response>\u{7}<Hangup/></Response>", 10, "U+0007"),
    ("<Response><Say>é\u{FFFE}</Say></Response>", 17, "U+FFFE"),
    ("<Response><Say>\u{FFFF}</Say></Response>", 15, "U+FFFF"),
    ("\u{0}<Response/>", 0, "NUL"),
];

#[test]
fn characters_xml_forbids_fail_the_parse_with_their_byte_offset() {
    for &(xml, at, name) in BAD_CHARS {
        let p = refer_sim::twiml::parse(xml);
        assert!(p.response.is_none(), "{xml:?}");
        let [d] = p.diagnostics.as_slice() else { panic!("{xml:?}: {:?}", p.diagnostics) };
        assert_eq!((d.code, d.span.start, d.vendor_code), ("bad_char", at, Some(12100)), "{xml:?}");
        assert!(d.is_error() && d.message.contains("XML 1.0 does not allow"), "{xml:?} ({name}): {}", d.message);
    }
    // Tab, line feed and carriage return are allowed.
    assert!(refer_sim::twiml::parse("<Response>\t\r\n<Say>a\tb</Say></Response>").diagnostics.is_empty());
}

#[test]
fn a_refer_url_answer_with_a_nul_does_not_run() {
    let t = run(&pstn_with("<Response><Dial><Number>+14155550123</Number></Dial>\u{0}</Response>"));
    assert!(t.outcome.alerts.iter().any(|a| a.code == Some(12100)), "{:?}", t.outcome.alerts);
    assert!(!t.outcome.summary.starts_with("The transfer went through"), "{}", t.outcome.summary);
    assert!(t.explanation.cause.contains("does not parse"), "{}", t.explanation.cause);
}

#[test]
fn a_character_reference_to_a_character_xml_forbids_fails_the_parse() {
    // XML 1.0 section 4.1, Well-formedness constraint Legal Character: "Characters referred to
    // using character references MUST match the production for Char."
    for xml in [
        "<Response><Say>a&#1;</Say></Response>",
        "<Response><Say>&#x0;</Say></Response>",
        "<Response><Say>&#xFFFE;</Say></Response>",
    ] {
        let p = refer_sim::twiml::parse(xml);
        assert!(p.response.is_none() && p.diagnostics.first().is_some_and(|d| d.is_error()), "{xml}: {:?}", p.diagnostics);
    }
    assert!(refer_sim::twiml::parse("<Response><Say>&#9;&#xA;&#13;&#xE9;</Say></Response>").diagnostics.is_empty());
    let p = refer_sim::twiml::parse("<Response><Play digits=\"1&#2;\">a</Play></Response>");
    assert_eq!(p.diagnostics.first().map(|d| (d.code, d.span.start)), Some(("bad_reference", 16)), "{:?}", p.diagnostics);
}

/// With answerOnBridge true the initial call was not dropped when the transfer started: a
/// referUrl TwiML that calls no one (or plays first) completes the transfer when it goes on.
#[test]
fn with_answer_on_bridge_true_a_refer_url_twiml_that_calls_no_one_is_not_said_to_drop_the_call_at_the_start() {
    let mut pstn_verb = catalogue().into_iter().find(|e| e.id == "refer-verb-pstn").unwrap().scenario;
    pstn_verb.initial_twiml = pstn_verb.initial_twiml.replacen("<Dial", "<Dial answerOnBridge=\"true\"", 1);
    let mut say_then_no_answer =
        pstn_with("<Response><Say>Please hold.</Say><Dial><Number>+14155550123</Number></Dial></Response>");
    let mut silent = say_then_no_answer.endpoints.values().next().unwrap().clone();
    silent.answer = refer_sim::scenario::Answer::NoAnswer;
    say_then_no_answer.endpoints.insert("+14155550123".into(), silent);
    let cases = [
        pstn_with("<Response><Hangup/></Response>"),
        pstn_with("<Response><Dail><Number>+14155550123</Number></Dail></Response>"),
        say_then_no_answer,
        pstn_verb,
    ];
    for s in &cases {
        let t = run(s);
        let summary = &t.outcome.summary;
        assert!(!summary.contains("disconnected when the transfer started"), "{summary}");
        assert!(summary.starts_with("The referUrl TwiML went on before any target answered"), "{summary}");
    }
    // The explanation of the one that played first says so, and its fix, followed, works.
    let why = run(&cases[2]).explanation;
    assert!(why.cause.starts_with("The referUrl TwiML played to UserA before any target answered"), "{}", why.cause);
    assert!(
        why.fix
            .as_deref()
            .is_some_and(|f| f.starts_with("Either put the referUrl <Dial> first, so that UserA goes back to AgentA")),
        "{:?}",
        why.fix
    );
    let mut followed = cases[2].clone();
    followed.app.get_mut("https://example.com/handler").unwrap().twiml =
        Some("<Response><Dial><Number>+14155550123</Number></Dial><Say>Please hold.</Say></Response>".into());
    let cause = run(&followed).explanation.cause;
    assert!(cause.contains("kept AgentA on the call, so Twilio reconnected UserA and AgentA"), "{cause}");
    // With answerOnBridge absent the transferor is released at the referUrl webhook: as before.
    let t = run(&catalogue().into_iter().find(|e| e.id == "refer-verb-pstn").unwrap().scenario);
    assert!(
        t.outcome.summary.starts_with("The initial call was disconnected when the transfer started"),
        "{}",
        t.outcome.summary
    );
}

/// The explanation of a referUrl TwiML that went on before any target answered reads that
/// fact from the outcome, not its summary's words: reworded, the summary is still not said
/// twice ("called no one, so there was no target: ... called no one"), and the one that
/// played first is still explained as playing first (both matched "The referUrl TwiML ...").
#[test]
fn the_explanation_reads_the_outcome_s_fact_not_its_summary_s_words() {
    let mut say_then_no_answer =
        pstn_with("<Response><Say>Please hold.</Say><Dial><Number>+14155550123</Number></Dial></Response>");
    let mut silent = say_then_no_answer.endpoints.values().next().unwrap().clone();
    silent.answer = refer_sim::scenario::Answer::NoAnswer;
    say_then_no_answer.endpoints.insert("+14155550123".into(), silent);
    for (s, cause_starts) in [
        (pstn_with("<Response><Hangup/></Response>"), "Reworded: no target took over."),
        (say_then_no_answer, "The referUrl TwiML played to UserA before any target answered"),
    ] {
        let t = run(&s);
        assert!(t.outcome.went_on_before_any_target, "{}", t.outcome.summary);
        let mut outcome = t.outcome.clone();
        outcome.summary = "Reworded: no target took over".into();
        let why = refer_sim::scenario::explain(&t.steps, &outcome);
        assert!(why.cause.starts_with(cause_starts), "{}", why.cause);
    }
}

/// `<Refer>` inside `<Dial>` (a verb out of place) is what Twilio's 12200 page calls an
/// "unexpected nested element", a warning; 12100 is a document that does not parse. The editor
/// and the run agree: a 12200 warning, and the run goes on (skipping the element, assumed).
#[test]
fn a_verb_inside_dial_is_a_schema_warning_in_the_editor_and_in_the_run() {
    for (xml, code) in [
        ("<Response><Dial><Refer><Sip>sip:AgentB@example.com</Sip></Refer></Dial></Response>", "misplaced_verb"),
        ("<Response><Sip>sip:AgentB@example.com</Sip></Response>", "noun_outside_dial"),
    ] {
        let p = refer_sim::twiml::parse(xml);
        assert!(p.response.is_some(), "{xml}");
        let d = p.diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("{xml}: {:?}", p.diagnostics));
        assert_eq!((d.severity, d.vendor_code), (refer_sim::twiml::Severity::Warning, Some(12200)), "{xml}");
        let t = run(&pstn_with(xml));
        assert!(t.outcome.alerts.iter().all(|a| a.code != Some(12100)), "{xml}: {:?}", t.outcome.alerts);
        assert!(!t.explanation.cause.contains("does not parse"), "{xml}: {}", t.explanation.cause);
        assert!(t.explanation.cause.contains("called no one"), "{xml}: {}", t.explanation.cause);
        // Said once, not as "called no one, so there was no target: The referUrl TwiML went on … (it called no one …)".
        assert_eq!(t.explanation.cause.matches("called no one").count(), 1, "{xml}: {}", t.explanation.cause);
        // And the run lists the skipped element, as the editor does.
        assert!(t.warnings.iter().any(|w| w.code == "unknown_element" && w.message.contains("12200")), "{xml}: {:?}", t.warnings);
    }
}

/// A party's label is kept as the user wrote it: `sip:bob@…` is "bob" at the start of a cause
/// or summary too, never "Bob".
#[test]
fn a_lower_case_label_is_kept_as_written() {
    let named = |id: &str, from: &str, to: &str| {
        let s = catalogue().into_iter().find(|e| e.id == id).unwrap().scenario;
        let json = |t: &str| t.replace(from, to);
        let mut s2 = s.clone();
        s2.initial_twiml = json(&s.initial_twiml);
        s2.refer.refer_to = match &s.refer.refer_to {
            refer_sim::scenario::ReferToHeaders::One(v) => refer_sim::scenario::ReferToHeaders::One(json(v)),
            other => other.clone(),
        };
        s2.app = s
            .app
            .iter()
            .map(|(k, v)| (k.clone(), refer_sim::scenario::AppResponse { twiml: v.twiml.as_deref().map(json), ..v.clone() }))
            .collect();
        s2.endpoints = s.endpoints.iter().map(|(k, v)| (json(k), v.clone())).collect();
        s2
    };
    let t = run(&named("agentb-no-answer-aob-true", "AgentB", "bob"));
    assert!(t.explanation.cause.starts_with("bob did not answer, and "), "{}", t.explanation.cause);
    let mut s = named("refer-verb-accepted", "sip:UserA@", "sip:alice@");
    s.caller.from = s.caller.from.replace("sip:UserA@", "sip:alice@");
    let t = run(&s);
    assert!(t.outcome.summary.starts_with("alice's call was moved to "), "{} {:?}", t.outcome.summary, s.caller);
    // A cause that starts with a plain word is still capitalised.
    let t = run(&named("agentb-no-answer-aob-false", "AgentB", "bob"));
    assert!(t.explanation.cause.starts_with("With answerOnBridge absent"), "{}", t.explanation.cause);
}
