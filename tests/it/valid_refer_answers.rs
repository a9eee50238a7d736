//! A referUrl answer that is valid TwiML but dials no target (`<Enqueue>`, a `<Conference>`):
//! the REFER page allows "any of the Programmable Voice features like <Dial>, <Say>, <Play>,
//! <Gather>, <Enqueue>" (`refer.any-verb`), so the explanation names where the caller went and
//! does not call the design a typo. Before, every such run got "it called no one, or played
//! first" and a fix about case-sensitive names. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};

fn run(answer: &str, aob: bool) -> refer_sim::transfer::Timeline {
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="{aob}" referUrl="https://example.com/handler"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
        "app": { "https://example.com/handler": { "twiml": answer } },
    });
    simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap()
}

#[test]
fn a_room_is_a_design_not_a_typo() {
    for aob in [true, false] {
        for (answer, room) in [
            ("<Response><Enqueue>support</Enqueue></Response>", "a queue"),
            ("<Response><Dial><Conference>room</Conference></Dial></Response>", "a conference"),
        ] {
            let e = run(answer, aob).explanation;
            let fix = e.fix.clone().unwrap_or_default();
            assert!(
                e.cause.starts_with(&format!("The referUrl TwiML put UserA in {room} instead of dialling a target")),
                "{answer} {aob}: {e:?}"
            );
            assert!(!e.cause.contains("called no one") && !e.cause.contains("played first"), "{answer} {aob}: {e:?}");
            assert!(fix.starts_with(&format!("Nothing to correct if {room} is the design")), "{answer} {aob}: {fix}");
            assert!(!fix.contains("case-sensitive"), "{answer} {aob}: {fix}");
        }
    }
}

#[test]
fn with_no_room_the_spelling_hint_is_conditional() {
    let e = run("<Response><Say>Goodbye</Say></Response>", true).explanation;
    let fix = e.fix.unwrap_or_default();
    assert!(fix.starts_with("To connect the caller to the REFER's target, return a <Dial>"), "{fix}");
    assert!(fix.contains("If the TwiML has a <Dial> that did not run, check its spelling"), "{fix}");
}
