//! `parse_refer_message`: a pasted REFER or its header lines. The vectors
//! (`tests/data/refer_messages.json`) name their source: RFC 3515, 3892, 4488,
//! 3891, 3261 and a PBX log; then properties (never panics, offsets inside the
//! text, the scenario it gives replays the same refusal in the simulator).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, ReferToHeaders};
use refer_sim::sip::{parse_refer_message, MAX_MESSAGE_BYTES};
use refer_sim::transfer::StepKind;
use serde_json::Value;

fn vectors() -> Vec<Value> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/refer_messages.json")).unwrap();
    serde_json::from_str::<Value>(&text).unwrap().as_array().unwrap().clone()
}

#[test]
fn each_vector_gives_its_fields_or_its_error() {
    let vs = vectors();
    assert!(vs.len() >= 20);
    for v in vs {
        let (source, text) = (v["source"].as_str().unwrap(), v["text"].as_str().unwrap());
        if let Some(code) = v["error"].as_str() {
            let e = parse_refer_message(text).expect_err(source);
            assert_eq!((e.code.as_str(), e.offset as u64), (code, v["offset"].as_u64().unwrap()), "{source}: {e}");
            continue;
        }
        let m = parse_refer_message(text).unwrap_or_else(|e| panic!("{source}: {e}"));
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["form"], v["form"], "{source}");
        assert_eq!(json["referTo"]["transferTarget"].as_str(), v["referTo"].as_str(), "{source}");
        assert_eq!(json["referredBy"]["raw"].as_str(), v["referredBy"].as_str(), "{source}");
        assert_eq!(json["referSub"], v["referSub"], "{source}");
        assert_eq!(json["replaces"]["callId"].as_str(), v["replaces"].as_str(), "{source}");
        assert_eq!(json["customHeaders"], v["custom"], "{source}");
        let refusals: Vec<&str> = m.refusals.iter().map(|r| r.code).collect();
        assert_eq!(
            refusals,
            v["refusals"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect::<Vec<_>>(),
            "{source}"
        );
        for r in &m.refusals {
            assert_eq!(r.status, 400, "{source}");
            assert!(r.offset <= text.len(), "{source}");
        }
        if let Some(notes) = v.get("notes") {
            let got: Vec<&str> = m.notes.iter().map(|n| n.code).collect();
            assert_eq!(got, notes.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect::<Vec<_>>(), "{source}");
        }
    }
}

#[test]
fn offsets_point_at_the_value_in_the_text() {
    let text = "REFER sip:b@example.com SIP/2.0\r\nr: <sip:AgentB@exa mple.com>\r\n";
    let m = parse_refer_message(text).unwrap();
    let h = &m.headers[0];
    assert_eq!((h.name.as_str(), h.canonical.as_str()), ("r", "Refer-To"));
    assert_eq!(&text[h.offset..h.offset + 4], "<sip");
    let refusal = &m.refusals[0];
    assert_eq!(refusal.code, "bad_host");
    assert_eq!(&text[refusal.offset..refusal.offset + 1], " ", "the caret falls on the space in the host");
}

#[test]
fn the_body_after_the_empty_line_is_kept() {
    let m = parse_refer_message(
        "REFER sip:b@example.com SIP/2.0\nRefer-To: <sip:c@example.com>\nContent-Type: text/plain\n\nhello\n",
    )
    .unwrap();
    assert_eq!(m.body.as_deref(), Some("hello\n"));
    assert_eq!(m.request_line.unwrap().uri, "sip:b@example.com");
}

/// The scenario a message gives, run through the simulator, is refused exactly when the
/// message has refusals (the rules are the engine's), and with the same status.
#[test]
fn the_scenario_it_gives_replays_the_same_refusal_in_the_simulator() {
    let base = catalogue().into_iter().find(|e| e.id == "agentb-answers-aob-true").unwrap().scenario;
    for v in vectors().into_iter().filter(|v| v.get("error").is_none()) {
        let m = parse_refer_message(v["text"].as_str().unwrap()).unwrap();
        let mut s = base.clone();
        s.refer.refer_to = match m.scenario.refer_to.as_slice() {
            [one] => ReferToHeaders::One(one.clone()),
            many => ReferToHeaders::Many(many.to_vec()),
        };
        s.refer.refer_sub = m.scenario.refer_sub;
        let t = simulate(&s).unwrap();
        let refused = t.steps.iter().find(|s| s.kind == StepKind::ReferRejected);
        match (m.refusals.first(), refused) {
            (None, None) => {}
            (Some(r), Some(step)) => {
                let line = &step.messages.iter().find(|m| m.first_line().starts_with("SIP/2.0")).unwrap().first_line();
                assert!(line.starts_with(&format!("SIP/2.0 {}", r.status)), "{}: {line}", v["source"]);
            }
            (r, s) => panic!("{}: parser says {r:?}, simulator says {:?}", v["source"], s.map(|s| &s.narration)),
        }
    }
}

#[test]
fn a_text_over_the_limit_is_refused_with_its_size() {
    let e = parse_refer_message(&"x".repeat(MAX_MESSAGE_BYTES + 1)).unwrap_err();
    assert_eq!((e.code.as_str(), e.offset), ("too_long", MAX_MESSAGE_BYTES));
}

proptest! {
    /// Never panics; every offset is inside the text; a result serialises.
    #[test]
    fn never_panics_and_offsets_stay_inside(
        lines in proptest::collection::vec(
            prop_oneof![
                Just("REFER sip:b@example.com SIP/2.0".to_string()),
                Just("r: <sip:AgentB@example.com?X-T=1>".to_string()),
                Just("b: \"A\" <sip:a@example.com>".to_string()),
                Just("Refer-Sub: false".to_string()),
                Just("Replaces: 1@h;to-tag=a".to_string()),
                Just(" <sip:continued@x>".to_string()),
                Just(String::new()),
                "\\PC{0,40}",
                "[rbRB: <>@;?&=%\"\t\r\u{e9}\u{20ac}]{0,20}",
            ],
            0..8,
        ),
        sep in prop_oneof![Just("\r\n"), Just("\n")],
    ) {
        let text = lines.join(sep);
        match parse_refer_message(&text) {
            Err(e) => prop_assert!(e.offset <= text.len()),
            Ok(m) => {
                prop_assert!(serde_json::to_string(&m).is_ok());
                for h in &m.headers { prop_assert!(h.offset <= text.len()); }
                for r in &m.refusals { prop_assert!(r.offset <= text.len()); }
                for n in &m.notes { prop_assert!(n.offset <= text.len()); }
            }
        }
    }
}

/// A REFER as Asterisk's `sip set debug on` logs it: a banner line, then the request indented.
#[test]
fn a_refer_copied_from_a_log_with_its_banner_and_indentation_is_read() {
    let text = "<--- Transmitting SIP request (412 bytes) to UDP:203.0.113.5:5060 --->\n    REFER sip:+14155550100@example.sip.twilio.com SIP/2.0\n    Call-ID: a84b4c76e66710@pbx.example.com\n    r: <sip:AgentB@example.sip.twilio.com?X-Ticket=42>\n    b: <sip:AgentA@pbx.example.com>\n    Refer-Sub: false\n\n";
    let m = parse_refer_message(text).unwrap();
    assert_eq!(m.refer_to.as_ref().map(|r| r.transfer_target()), Some("<sip:AgentB@example.sip.twilio.com?X-Ticket=42>"));
    assert_eq!(m.refer_sub, Some(false));
    assert!(m.refusals.is_empty());
    let note = m.notes.first().unwrap();
    assert_eq!((note.code, note.offset), ("log_lines_skipped", 0));
    // Offsets still point into the pasted text, past the indentation.
    let r = m.headers.iter().find(|h| h.canonical == "Refer-To").unwrap();
    assert_eq!(text.get(r.offset..r.offset + 5), Some("<sip:"));
    // Header lines before the request line are not a banner: still an error.
    assert!(parse_refer_message("Refer-To: <sip:a@b.com>\nREFER sip:x@y SIP/2.0\n").is_err());
    // A plain REFER gets no note.
    assert!(parse_refer_message("REFER sip:x@y SIP/2.0\nRefer-To: <sip:a@b.com>\n").unwrap().notes.is_empty());
}

/// `sip::chars::is_x_header` in a pasted REFER's header lines and in its Refer-To's URI
/// headers: a custom header is `X-` (any case) and at least one character more, so `X-` alone
/// is not one, nor are `X` and `Xa-`.
#[test]
fn custom_headers_are_x_dash_and_a_name_in_the_lines_and_in_the_refer_to() {
    let m = parse_refer_message("r: <sip:a@b.com?X-=1&x-a=2&X=3&Xa-=4>\nX-: 5\nx-a: 6\nX: 7\nXa-: 8\n").unwrap();
    assert_eq!(m.custom_headers, [("x-a".to_string(), "6".to_string())]);
    let refer_to = m.refer_to.as_ref().expect("the Refer-To parses");
    let inside: Vec<(&str, &str)> = refer_to.custom_headers().map(|h| (h.name.as_str(), h.value.as_str())).collect();
    assert_eq!(inside, [("x-a", "2")]);
}
