//! An undocumented attribute that is a near miss of a documented one names it: a trainer who
//! wrote `answerOnbridge="true"` saw the warning "no documented attribute" and still had to
//! guess why the caller heard the call answered early. The schema warning (and the run's
//! `unknown_attribute` warning, which quotes it) now says `did you mean answerOnBridge?`.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::twiml::parse;
use serde_json::json;

fn warning_for(xml: &str) -> String {
    let p = parse(xml);
    let d = p.diagnostics.iter().find(|d| d.code == "unknown_attribute").expect("an unknown_attribute warning");
    d.message.clone()
}

#[test]
fn a_name_in_another_case_suggests_the_documented_one() {
    let m = warning_for("<Response><Dial answerOnbridge=\"true\"><Number>+14155550100</Number></Dial></Response>");
    assert_eq!(
        m,
        "<Dial> has no documented attribute `answerOnbridge` (did you mean `answerOnBridge`? attribute names are case-sensitive); kept as written"
    );
    assert!(warning_for("<Response><Dial referURL=\"https://x.example/r\"/></Response>").contains("did you mean `referUrl`?"));
}

#[test]
fn a_typo_within_two_edits_suggests_the_nearest() {
    assert!(warning_for("<Response><Dial answerOnBrige=\"true\"/></Response>").contains("did you mean `answerOnBridge`?"));
    assert!(warning_for("<Response><Dial timout=\"5\"/></Response>").contains("did you mean `timeout`?"));
}

#[test]
fn a_name_far_from_every_documented_one_gets_no_guess() {
    for xml in
        ["<Response><Dial colour=\"red\"/></Response>", "<Response><Dial x=\"1\"/></Response>", "<Response foo=\"1\"></Response>"]
    {
        let m = warning_for(xml);
        assert!(!m.contains("did you mean"), "{m}");
        assert!(m.ends_with("; kept as written"), "{m}");
    }
    // A very long name is not compared (bounded work).
    let long = format!("<Response><Dial {}=\"1\"/></Response>", "a".repeat(5000));
    assert!(!warning_for(&long).contains("did you mean"));
}

#[test]
fn the_run_warning_carries_the_suggestion() {
    let s = json!({
        "initialTwiml": "<Response><Dial answerOnbridge=\"true\" referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>",
        "refer": { "atMs": 20000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "app": { "https://example.com/handler": { "twiml": "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" } },
        "endpoints": { "sip:AgentA@example.sip.twilio.com": { "answer": "answer", "afterMs": 3000 } }
    });
    let t = simulate(&Scenario::from_json(&s.to_string()).expect("a scenario")).expect("a run");
    let w = t.warnings.iter().find(|w| w.code == "unknown_attribute").expect("a warning");
    assert!(w.message.contains("did you mean `answerOnBridge`?"), "{}", w.message);
}

#[test]
fn the_edit_distance_limit_is_two_in_every_direction() {
    // <Redirect> documents only `method`: each name below is at a known distance from it.
    let near = |name: &str| {
        let m = warning_for(&format!("<Response><Redirect {name}=\"GET\">/next</Redirect></Response>"));
        m.contains("did you mean `method`?")
    };
    assert!(near("metod") && near("mthd") && near("meth"), "one or two letters missing is near");
    assert!(!near("met"), "three letters missing");
    assert!(near("methodxy") && !near("methodxyz"), "letters added at the end: two near, three far");
    assert!(near("xxmethod") && !near("xxxmethod"), "letters added at the start: two near, three far");
    assert!(near("METHOD") && near("mEtHoD"), "case alone is distance 0");
    // A suggestion must be nearer than the shorter name's length: `lo` is 2 from `loop` (its own
    // length), `loo` 1.
    let say = |name: &str| warning_for(&format!("<Response><Say {name}=\"2\">hi</Say></Response>"));
    assert!(!say("lo").contains("did you mean"), "{}", say("lo"));
    assert!(say("loo").contains("did you mean `loop`?"), "{}", say("loo"));
}
