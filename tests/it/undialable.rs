//! An address Twilio cannot dial (the raw ReferTransferTarget with its `<>`, a display
//! name, no scheme, a SIP URI in `<Number>`) is an error in `check_transfer` and fails the
//! call at run time, with the same fix; and `check_transfer` says what the runtime does
//! differently from what the TwiML seems to say (a skipped `<Dial action>`, a clamped timeout).
//! Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Answer, Endpoint, Scenario};
use refer_sim::transfer::{CallStatus, Role as LegRole, StepKind};
use refer_sim::twiml::{check_transfer, Role, Severity};

/// (noun and text, code, vendor code, words of the fix)
#[rustfmt::skip]
const BAD: &[(&str, &str, u32, &str)] = &[
    ("<Sip>&lt;sip:AgentB@example.sip.twilio.com&gt;</Sip>", "angle_brackets", 13243, "strip the <>: use the URI inside, <Sip>sip:AgentB@example.sip.twilio.com</Sip>"),
    ("<Sip>\"Bob\" &lt;sip:bob@example.com&gt;</Sip>", "display_name", 13243, "strip the display name and the <>: use the URI inside, <Sip>sip:bob@example.com</Sip>"),
    ("<Sip>AgentB@example.com</Sip>", "no_scheme", 13243, "add the scheme: <Sip>sip:AgentB@example.com</Sip>"),
    ("<Sip>+14155550100</Sip>", "no_scheme", 13243, "call a phone number with <Number>+14155550100</Number>"),
    ("<Sip>sip:AgentB@exa mple.com</Sip>", "bad_sip_uri", 13243, "correct the URI"),
    ("<Sip>   </Sip>", "empty_address", 13243, "write the address to call"),
    ("<Number>&lt;tel:+14155550100&gt;</Number>", "angle_brackets", 13223, "strip the <>: use the number inside, <Number>+14155550100</Number>"),
    ("<Number>sip:AgentB@example.com</Number>", "sip_uri_in_number", 13223, "use <Sip>sip:AgentB@example.com</Sip>"),
    ("<Number>AgentB</Number>", "not_a_number", 13223, "write the number in E.164"),
    ("<Number>tel:+14155550100</Number>", "not_a_number", 13223, "drop the tel:"),
];

/// Dialable texts: no error.
const GOOD: &[&str] = &[
    "<Sip>sip:AgentB@example.sip.twilio.com</Sip>",
    "<Sip>sip:AgentB@example.com;transport=tls?X-Ticket=42</Sip>",
    "<Sip> sips:AgentB@example.com </Sip>",
    "<Number>+14155550100</Number>",
    "<Number>+1 (415) 555-0100</Number>",
    "<Client>agent</Client>",
];

fn referurl_twiml(noun: &str) -> String {
    format!("<Response><Dial>{noun}</Dial></Response>")
}

#[test]
fn check_transfer_calls_an_undialable_address_an_error_with_its_fix() {
    for (noun, code, vendor, fix) in BAD {
        let ds = check_transfer(&referurl_twiml(noun), Role::ReferResponse);
        let d = ds.iter().find(|d| d.code == *code).unwrap_or_else(|| panic!("{noun}: {ds:?}"));
        assert_eq!((d.severity, d.vendor_code, d.line, d.column), (Severity::Error, Some(*vendor), 1, 17), "{noun}");
        assert!(d.message.contains(fix), "{noun}: {}", d.message);
    }
    for noun in GOOD {
        let ds = check_transfer(&referurl_twiml(noun), Role::ReferResponse);
        assert!(ds.iter().all(|d| d.severity != Severity::Error), "{noun}: {ds:?}");
    }
    // A number written as the <Dial>'s text.
    let ds = check_transfer("<Response><Dial>sip:b@example.com</Dial></Response>", Role::ReferResponse);
    assert!(ds.iter().any(|d| d.code == "sip_uri_in_number" && d.tag.as_deref() == Some("Dial")), "{ds:?}");
}

/// The catalogue's transfer with the referUrl answering `<Dial>{noun}</Dial>`.
fn with_target(id: &str, noun: &str) -> Scenario {
    let mut s = catalogue().into_iter().find(|e| e.id == id).unwrap().scenario;
    let app = s.app.values_mut().next().unwrap();
    app.twiml = Some(referurl_twiml(noun));
    s
}

#[test]
fn the_runtime_does_not_dial_an_undialable_address_and_says_the_same_fix() {
    for (noun, _code, vendor, fix) in BAD {
        for (id, back) in [("agentb-answers-aob-true", true), ("agentb-answers-aob-false", false)] {
            let t = simulate(&with_target(id, noun)).unwrap();
            assert!(
                !t.steps.iter().any(|s| s.kind == StepKind::LegRinging && s.narration.contains("phone network")),
                "{noun}: dialled"
            );
            let at = t.steps.iter().position(|s| s.kind == StepKind::LegEnded && s.narration.starts_with("Twilio cannot call"));
            let at = at.unwrap_or_else(|| panic!("{noun} {id}: {:#?}", t.steps.iter().map(|s| &s.narration).collect::<Vec<_>>()));
            let failed = &t.steps[at];
            assert!(failed.narration.contains(fix), "{noun}: {}", failed.narration);
            assert_eq!(failed.alerts.first().and_then(|a| a.code), Some(*vendor), "{noun}");
            let legs = t.legs_at(at);
            let target = legs.iter().find(|l| l.role == LegRole::Target).unwrap();
            assert_eq!(target.status, CallStatus::Failed, "{noun}");
            assert!(t.outcome.alerts.iter().any(|a| a.code == Some(*vendor)), "{noun}");
            // The failure ends the transfer at once, as a failed target does: back to AgentA
            // with answerOnBridge true, nobody with answerOnBridge absent.
            let with_agent_a = t.outcome.connected.iter().any(|(a, b)| a.as_str() == "caller" || b.as_str() == "caller");
            assert_eq!(with_agent_a, back, "{noun} {id}: {:?}", t.outcome);
            // The target by its name: AgentB, or the number a <Sip> holds by mistake.
            let name = format!("Twilio could not call {}", target.label);
            assert!(t.explanation.cause.starts_with(&name), "{noun}: {}", t.explanation.cause);
            assert!(t.explanation.fix.as_deref().is_some_and(|f| f.contains(fix)), "{noun}: {:?}", t.explanation.fix);
        }
    }
}

#[test]
fn a_dialable_address_still_rings() {
    for noun in GOOD.iter().filter(|n| !n.contains("Client")) {
        let t = simulate(&with_target("agentb-answers-aob-true", noun)).unwrap();
        assert!(t.steps.iter().any(|s| s.kind == StepKind::LegRinging), "{noun}");
        assert!(!t.steps.iter().any(|s| s.narration.starts_with("Twilio cannot call")), "{noun}");
    }
}

#[test]
fn check_transfer_names_what_the_runtime_skips_and_clamps() {
    let initial = r#"<Response><Dial referUrl="https://example.com/r" action="https://example.com/after" timeout="3"><Sip>sip:a@example.com</Sip></Dial><Say>bye</Say></Response>"#;
    let ds = check_transfer(initial, Role::Initial);
    let skipped = ds.iter().find(|d| d.code == "skipped_after_transfer").unwrap_or_else(|| panic!("{ds:?}"));
    assert_eq!(skipped.severity, Severity::Warning);
    assert!(
        skipped.message.contains("its action https://example.com/after and the verbs after it (<Say>)"),
        "{}",
        skipped.message
    );
    assert!(skipped.message.contains("put what should happen after the transfer in the referUrl TwiML"));
    let clamped = ds.iter().find(|d| d.code == "timeout_clamped").unwrap();
    assert!(
        clamped.message.contains("rings for 5 s") && clamped.message.contains("write a timeout from 5 to 600"),
        "{}",
        clamped.message
    );
    assert_eq!(clamped.column, initial.find("timeout=").unwrap() + 1);
    let ds = check_transfer(
        r#"<Response><Dial timeout="900" action="/a"><Sip>sip:b@example.com</Sip></Dial></Response>"#,
        Role::ReferResponse,
    );
    assert!(ds.iter().any(|d| d.code == "timeout_clamped" && d.message.contains("rings for 600 s")), "{ds:?}");
    assert!(ds.iter().any(|d| d.code == "skipped_when_reestablished" && d.message.contains("answerOnBridge")), "{ds:?}");
    // Nothing after the <Dial>, no action, a timeout in range: none of them.
    let ds = check_transfer(
        r#"<Response><Dial referUrl="/r" timeout="20"><Sip>sip:a@example.com</Sip></Dial></Response>"#,
        Role::Initial,
    );
    assert!(!ds.iter().any(|d| ["skipped_after_transfer", "timeout_clamped"].contains(&d.code)), "{ds:?}");
}

/// What check_transfer says about the referUrl TwiML of each catalogue scenario holds at run
/// time: a scenario whose referUrl TwiML has an undialable-address error never rings that address.
#[test]
fn check_and_runtime_agree_on_the_catalogue() {
    for e in catalogue() {
        for app in e.scenario.app.values() {
            let Some(xml) = &app.twiml else { continue };
            let ds = check_transfer(xml, Role::ReferResponse);
            assert!(!ds.iter().any(|d| [13243, 13223].contains(&d.vendor_code.unwrap_or(0))), "{}: {ds:?}", e.id);
        }
    }
}

/// A bare `&` says how to write it, at the line and column of the `&` itself.
#[test]
fn a_bare_ampersand_says_write_it_as_amp() {
    // (document, line, column)
    let cases: &[(&str, usize, usize)] = &[
        ("<Response>\n<Say>Tom & Jerry</Say></Response>", 2, 10),
        ("<Response><Dial referUrl=\"https://x.example/a?b=1&c=2\"><Sip>sip:a@b.com</Sip></Dial></Response>", 1, 50),
    ];
    for (xml, line, column) in cases {
        let ds = check_transfer(xml, Role::Initial);
        let d = ds.iter().find(|d| d.severity == Severity::Error).unwrap_or_else(|| panic!("{xml}: {ds:?}"));
        assert!(d.message.contains("bare '&'") && d.message.contains("write & as &amp;"), "{}", d.message);
        assert_eq!((d.line, d.column), (*line, *column), "{xml}: {}", d.message);
        assert_eq!(xml.lines().nth(line - 1).unwrap().chars().nth(column - 1), Some('&'));
    }
    let ds = check_transfer("<Response><Say>Tom & Jerry; x</Say></Response>", Role::Initial);
    assert!(ds.iter().any(|d| d.code == "unknown_entity" && d.message.contains("a literal & is written &amp;")), "{ds:?}");
}

/// An undialable target that fails after another leg of the transfer has ended: the first
/// `<Dial>` of the referUrl TwiML rings AgentC, who does not answer, and the next one holds
/// the raw `<sip:…>`. The explanation is still about the target Twilio could not call (its
/// failure's step is found by its own narration, not as the first leg that ended).
#[test]
fn an_undialable_target_after_another_leg_ended_is_explained() {
    let noun = "<Sip>&lt;sip:AgentB@example.sip.twilio.com&gt;</Sip>";
    let mut s = with_target("agentb-answers-aob-false", noun);
    let app = s.app.values_mut().next().unwrap();
    app.twiml = Some(format!(
        "<Response><Dial timeout=\"5\"><Sip>sip:AgentC@example.sip.twilio.com</Sip></Dial><Dial>{noun}</Dial></Response>"
    ));
    s.endpoints.insert("sip:AgentC@example.sip.twilio.com".into(), Endpoint { answer: Answer::NoAnswer, ..Endpoint::default() });
    let t = simulate(&s).unwrap();
    let ended = |label: &str| {
        t.steps
            .iter()
            .position(|s| s.kind == StepKind::LegEnded && s.narration.contains(label))
            .unwrap_or_else(|| panic!("{label}: {:#?}", t.steps.iter().map(|s| (&s.kind, &s.narration)).collect::<Vec<_>>()))
    };
    // The raw target is named by its text as written (cut past 24 characters), not AgentB.
    assert!(ended("AgentC") < ended("Twilio cannot call <sip:AgentB@example.sip…: "), "AgentC's leg ends first");
    assert!(t.explanation.cause.starts_with("Twilio could not call <sip:AgentB@example.sip…"), "{}", t.explanation.cause);
    assert!(t.explanation.fix.as_deref().is_some_and(|f| f.contains("strip the <>")), "{:?}", t.explanation.fix);
}
