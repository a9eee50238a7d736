//! The summary and the "why" of a run say what happened to the transfer, not only who is
//! connected at the end: either party may hang up after the transfer was decided. Both tests
//! failed before (found by the dialtime branch's review): the "why" of a re-established call
//! that AgentA later left blamed an absent answerOnBridge, and AgentA hanging up while AgentB
//! rang gave "The transfer failed … UserA and AgentB are connected".
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::Timeline;

fn run_with(id: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Timeline {
    let entry = catalogue().into_iter().find(|e| e.id == id).expect("a catalogue scenario");
    let mut json = serde_json::to_value(&entry.scenario).expect("scenario as JSON");
    edit(&mut json);
    simulate(&Scenario::from_json(&json.to_string()).expect("a valid scenario")).expect("a run")
}

const AGENT_A: &str = "sip:AgentA@example.sip.twilio.com";

#[test]
fn a_re_established_call_that_agenta_left_later_is_still_explained_by_answer_on_bridge() {
    let t = run_with("agentb-no-answer-aob-true", |s| s["endpoints"][AGENT_A]["hangupAfterMs"] = 80_000.into());
    assert!(
        t.outcome.summary.starts_with("The transfer failed and the initial call was re-established"),
        "{}",
        t.outcome.summary
    );
    let cause = &t.explanation.cause;
    assert!(cause.contains("answerOnBridge=\"true\" kept AgentA on the call"), "{cause}");
    assert!(cause.contains("that call has ended since"), "{cause}");
    assert!(!cause.contains("answerOnBridge absent"), "{cause}");
}

#[test]
fn agenta_hanging_up_while_agentb_rings_then_agentb_answering_is_not_a_failed_transfer() {
    let t = run_with("agentb-answers-aob-true", |s| s["endpoints"][AGENT_A]["hangupAfterMs"] = 21_000.into());
    assert_eq!(
        t.outcome.summary,
        "AgentA's call ended during the transfer; the target then answered and took the call: UserA and AgentB are connected."
    );
}

#[test]
fn a_redirect_loop_stops_the_run_with_the_transfer_pending() {
    let t = run_with("agentb-answers-aob-true", |s| {
        s["app"]["https://example.com/handler"]["twiml"] =
            "<Response><Redirect>https://example.com/handler</Redirect></Response>".into()
    });
    let end = t.steps.last().expect("an end step");
    assert!(end.narration.starts_with("refer-sim stops here after 2000 steps"), "{}", end.narration);
    // The summary said "No transfer took place" though AgentA's REFER was accepted.
    assert_eq!(t.outcome.summary, "The transfer had not finished when the run ended: nobody is connected.");
    let legs = refer_sim::transfer::legs_after(&t.steps, t.steps.len() - 1);
    assert!(legs.iter().all(|l| l.status.is_final()), "the stop ends every call, on the lanes too: {legs:?}");
}

#[test]
fn a_run_without_a_refer_says_no_transfer_took_place() {
    // <Reject/> before the <Dial>: Twilio refuses the call, AgentA is never called, and no
    // REFER is pending when the run ends (the summary's other `None` arm says it had not finished).
    let t = run_with("agentb-answers-aob-true", |s| {
        let refused = s["initialTwiml"].as_str().unwrap().replace("<Response>", "<Response><Reject/>");
        s["initialTwiml"] = refused.into()
    });
    assert_eq!(t.outcome.summary, "No transfer took place: nobody is connected.");
}
