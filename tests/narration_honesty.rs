//! What users read is taken as what Twilio does, so it must say only what refer-sim knows:
//! a phone-number party is named by its number, never by the engine's name for a SIP agent;
//! a step's tag agrees with what its text claims (no `doc` step states an assumption); a
//! catalogue description states as fact only what its run tags `doc` or `rfc`. Runs natively
//! and in WASM (the goldens are read natively only).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{Leg, Role, Timeline, Transport};
use refer_sim::Provenance;

fn run(id: &str) -> Timeline {
    let entry = catalogue().into_iter().find(|e| e.id == id).unwrap_or_else(|| panic!("no scenario {id}"));
    simulate(&entry.scenario).unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// Every leg of `t`, as first seen.
fn legs(t: &Timeline) -> Vec<Leg> {
    let mut out: Vec<Leg> = Vec::new();
    for s in &t.steps {
        for l in &s.changed_legs {
            if !out.iter().any(|o| o.id == l.id) {
                out.push(l.clone());
            }
        }
    }
    out
}

/// Every text of `t` a user reads: narrations, the outcome's summary, the explanation.
fn texts(t: &Timeline) -> Vec<String> {
    let mut out: Vec<String> = t.steps.iter().map(|s| s.narration.clone()).collect();
    out.push(t.outcome.summary.clone());
    out.push(t.explanation.cause.clone());
    out.extend(t.explanation.fix.clone());
    out
}

#[test]
fn a_number_target_is_named_by_its_number() {
    let t = run("pstn-target");
    let target = legs(&t).into_iter().find(|l| l.role == Role::Target).expect("a target leg");
    assert_eq!(
        (target.transport, target.label.as_ref(), target.party.as_ref()),
        (Transport::Pstn, "+14155550123", "+14155550123")
    );
    for text in texts(&t) {
        assert!(!text.contains("AgentB"), "a number named as a SIP agent: {text}");
        assert!(!text.contains("+14155550123 (+14155550123)"), "the number twice: {text}");
    }
    assert!(t.outcome.summary.contains("UserA and +14155550123 are connected"), "{}", t.outcome.summary);
}

/// `<Number>` targets written as a `tel:` URI or longer than a lane can show, and a `<Client>`
/// and a SIP target beside them, which keep their names.
#[test]
fn every_number_is_named_by_what_it_is() {
    let mut s: Scenario = catalogue().into_iter().find(|e| e.id == "pstn-target").unwrap().scenario;
    let twiml = "<Response><Dial><Number>tel:+14155550123;phone-context=+1</Number><Number>+1 (415) 555-0199 ext. 1234567890</Number><Sip>sip:AgentC@example.com</Sip></Dial></Response>";
    for app in s.app.values_mut() {
        app.twiml = Some(twiml.into());
    }
    let t = simulate(&s).unwrap();
    let names: Vec<String> = legs(&t).iter().filter(|l| l.role == Role::Target).map(|l| l.label.to_string()).collect();
    assert_eq!(names, ["+14155550123", "+1 (415) 555-0199 ext. …", "AgentC"]);
}
