//! A relative URL in the initial TwiML (`referUrl="/refer"`): Twilio resolves it against the URL
//! the document came from (`dial.action-relative`); a scenario's initialTwiml has no URL, so it
//! is requested as written. A trainer who wrote `referUrl="/refer"` beside an app keyed
//! `https://example.com/refer` saw alert 11205 and no word on why: the run now says it.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use serde_json::json;

fn scenario(refer_url: &str, app_key: &str) -> Scenario {
    let s = json!({
        "initialTwiml": format!("<Response>\n  <Dial answerOnBridge=\"true\" referUrl=\"{refer_url}\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial>\n</Response>"),
        "refer": { "atMs": 20000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "app": { app_key: { "twiml": "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" } },
        "endpoints": {
            "sip:AgentA@example.sip.twilio.com": { "answer": "answer", "afterMs": 3000 },
            "sip:AgentB@example.sip.twilio.com": { "answer": "answer", "afterMs": 2000 }
        }
    });
    Scenario::from_json(&s.to_string()).expect("a valid scenario")
}

#[test]
fn a_relative_refer_url_with_an_absolute_app_key_is_named_with_its_position() {
    let t = simulate(&scenario("/refer", "https://example.com/refer")).expect("a run");
    assert!(t.steps.iter().any(|s| s.alerts.iter().any(|a| a.code == Some(11205))), "the request fails as unreachable");
    let w = t.warnings.iter().find(|w| w.code == "relative_url").expect("a relative_url warning");
    assert_eq!(w.field, "initialTwiml");
    assert!(w.message.starts_with("line 2 column 31: <Dial> referUrl=\"/refer\" is a relative URL"), "{}", w.message);
    assert!(w.message.contains("key the app entry \"/refer\""), "{}", w.message);
}

#[test]
fn a_relative_refer_url_that_an_app_entry_is_keyed_by_is_not_warned() {
    let t = simulate(&scenario("/refer", "/refer")).expect("a run");
    assert!(t.warnings.iter().all(|w| w.code != "relative_url"), "{:?}", t.warnings);
    assert!(t.steps.iter().all(|s| s.alerts.iter().all(|a| a.code != Some(11205))), "the app answers");
}

#[test]
fn an_absolute_refer_url_is_not_warned() {
    let t = simulate(&scenario("https://example.com/refer", "https://example.com/refer")).expect("a run");
    assert!(t.warnings.iter().all(|w| w.code != "relative_url"), "{:?}", t.warnings);
}

#[test]
fn relative_action_and_redirect_are_named_too() {
    let mut s = scenario("https://example.com/refer", "https://example.com/refer");
    s.initial_twiml = "<Response><Dial action=\"after\" referUrl=\"https://example.com/refer\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial><Redirect>next.xml</Redirect></Response>".into();
    let t = simulate(&s).expect("a run");
    let got: Vec<&str> = t.warnings.iter().filter(|w| w.code == "relative_url").map(|w| w.message.as_str()).collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].contains("<Dial> action=\"after\""), "{}", got[0]);
    assert!(got[1].contains("<Redirect>next.xml</Redirect>"), "{}", got[1]);
}

#[test]
fn relative_gather_and_refer_actions_are_named_too() {
    let mut s = scenario("https://example.com/refer", "https://example.com/refer");
    s.initial_twiml = "<Response><Gather action=\"digits\" timeout=\"1\"/><Dial referUrl=\"https://example.com/refer\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial><Refer action=\"refer-done\"><Sip>sip:AgentC@example.com</Sip></Refer></Response>".into();
    let t = simulate(&s).expect("a run");
    let got: Vec<&str> = t.warnings.iter().filter(|w| w.code == "relative_url").map(|w| w.message.as_str()).collect();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got[0].contains("<Gather> action=\"digits\""), "{}", got[0]);
    assert!(got[1].contains("<Refer> action=\"refer-done\""), "{}", got[1]);
}
