//! With answerOnBridge true, a referUrl TwiML that takes the caller away from its bridge with
//! the transferor before any `<Dial>` answers completes the transfer at once (assumed,
//! `src/sources.md` §10). The step says what the TwiML did: it used to say "plays to UserA" for
//! every such verb, also when nothing played (no verb left after a `<dial>` typo, `<Hangup>`),
//! a new user's finding. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::StepKind;
use refer_sim::Provenance;

const HANDLER: &str = "https://example.com/handler";

/// The narration of the step that completed the transfer early, for a referUrl answering `answer`.
fn completing_step(answer: &str) -> String {
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="true" referUrl="{HANDLER}"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
        "app": { HANDLER: { "twiml": answer } },
    });
    let t = simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap();
    let step = t
        .steps
        .iter()
        .find(|s| s.narration.starts_with("The referUrl TwiML "))
        .unwrap_or_else(|| panic!("{answer}: no early completion"));
    assert_eq!(step.tag, Provenance::Assumed, "{answer}");
    // The end of UserA's bridge with AgentA that follows rests on the same assumption: no page says
    // this TwiML completes the transfer, so it is not the REFER page's rule (`refer.aob-true`).
    let apart = t.steps.iter().find(|s| s.kind == StepKind::Unbridged).unwrap_or_else(|| panic!("{answer}: no unbridged step"));
    assert_eq!(apart.tag, Provenance::Assumed, "{answer}: {}", apart.narration);
    step.narration.clone()
}

#[test]
fn the_step_says_what_the_referurl_twiml_did() {
    for (answer, did) in [
        ("<Response><Say>Please hold</Say><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>", "plays to UserA"),
        ("<Response><Gather><Say>Press 1</Say></Gather></Response>", "plays to UserA"),
        ("<Response><dial><Sip>sip:AgentB@example.com</Sip></dial></Response>", "ends UserA's call"),
        ("<Response></Response>", "ends UserA's call"),
        ("<Response><Hangup/></Response>", "ends UserA's call"),
        ("<Response><Enqueue>support</Enqueue></Response>", "puts UserA in a conference or queue"),
        ("<Response><Dial><Conference>room</Conference></Dial></Response>", "puts UserA in a conference or queue"),
    ] {
        let said = completing_step(answer);
        assert!(said.starts_with(&format!("The referUrl TwiML {did} before any <Dial> answers: ")), "{answer}: {said}");
    }
}

#[test]
fn check_transfer_says_so_for_a_referurl_response() {
    use refer_sim::twiml::{check_transfer, Role};
    let first = |xml: &str| {
        check_transfer(xml, Role::ReferResponse)
            .into_iter()
            .filter(|d| d.code == "first_verb_completes_transfer")
            .map(|d| (d.line, d.column, d.message))
            .collect::<Vec<_>>()
    };
    let said = first("<Response>\n  <Say>Please hold</Say>\n  <Dial><Sip>sip:AgentB@example.com</Sip></Dial>\n</Response>");
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!((said[0].0, said[0].1), (2, 3));
    assert!(
        said[0].2.starts_with("this <Say> plays before any <Dial> answers: if the initial <Dial> has answerOnBridge=\"true\""),
        "{}",
        said[0].2
    );
    assert!(first("<Response><Hangup/></Response>")[0].2.starts_with("this <Hangup> ends the call"));
    // The <Dial> first, a <Redirect> first (its document decides) and the initial TwiML's role: nothing.
    assert_eq!(first("<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial><Say>Sorry</Say></Response>"), []);
    assert_eq!(first("<Response><Redirect>https://example.com/next</Redirect></Response>"), []);
    assert!(check_transfer("<Response><Say>Hi</Say></Response>", Role::Initial)
        .iter()
        .all(|d| d.code != "first_verb_completes_transfer"));
}
