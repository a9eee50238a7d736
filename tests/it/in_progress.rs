//! A simulation read before its run has ended (`timeline()`, `outcome()` at any step) claims
//! no cause, no fix and no finished transfer: the README promises `timeline()` at any point,
//! and a run that has not ended has not ended as anything yet. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::Simulation;
use refer_sim::transfer::StepKind;

/// The cause every explanation read before the end gives.
const NOT_ENDED: &str = "The run has not ended yet: the cause and a fix are given once it ends.";

#[test]
fn a_run_that_has_not_ended_claims_no_cause_fix_or_result() {
    for entry in catalogue() {
        let whole = Simulation::new(entry.scenario.clone()).unwrap().run();
        let mut sim = Simulation::new(entry.scenario.clone()).unwrap();
        let mut n = 0;
        while let Some(step) = sim.step() {
            n += 1;
            let t = sim.timeline();
            if step.kind == StepKind::End {
                // The end step returned: the run's own explanation and outcome, as `run` gives them.
                assert_eq!(t.explanation, whole.explanation, "{} at its end step", entry.id);
                assert_eq!(t.outcome, whole.outcome, "{} at its end step", entry.id);
                continue;
            }
            assert_eq!(t.explanation.cause, NOT_ENDED, "{} after step {n}", entry.id);
            assert_eq!(t.explanation.fix, None, "{} after step {n}", entry.id);
            let summary = &sim.outcome().summary;
            assert_eq!(summary, &t.outcome.summary, "{} after step {n}", entry.id);
            assert!(
                !summary.contains("when the run ended") && !summary.starts_with("No transfer took place"),
                "{} after step {n}: {summary}",
                entry.id
            );
        }
        assert_eq!(sim.timeline().explanation, whole.explanation, "{} once done", entry.id);
    }
}

#[test]
fn the_summary_says_what_is_under_way() {
    for id in ["agentb-answers-aob-true", "agentb-no-answer-aob-false"] {
        under_way(id);
    }
}

fn under_way(id: &str) {
    let entry = catalogue().into_iter().find(|e| e.id == id).unwrap();
    let mut sim = Simulation::new(entry.scenario).unwrap();
    let first = sim.step().unwrap();
    assert_ne!(first.kind, StepKind::ReferReceived);
    assert!(
        sim.outcome().summary.starts_with("No transfer has taken place yet (the run has not ended): "),
        "{}",
        sim.outcome().summary
    );
    while sim.step().is_some_and(|s| s.kind != StepKind::ReferReceived) {}
    assert!(
        sim.outcome().summary.starts_with("The transfer is in progress (the run has not ended): "),
        "{}",
        sim.outcome().summary
    );
    while sim.step().is_some_and(|s| s.kind != StepKind::LegRinging) {}
    assert!(
        sim.outcome().summary.starts_with("The transfer is in progress (the run has not ended): "),
        "{}",
        sim.outcome().summary
    );
}

/// A run the step limit stops (a referUrl that redirects to itself) records its own end step
/// before the simulation knows it is done: read at that step, it has ended, and says how, as
/// the whole run does. (The in-diff mutation run of src/scenario left `Simulation::ended`'s
/// `||` as `&&` and `outcome`'s `None if self.ended()` as `false` alive: no catalogue scenario
/// reaches the step limit.)
#[test]
fn a_run_stopped_at_the_step_limit_has_ended_at_its_end_step() {
    let handler = "https://example.com/handler";
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="true" referUrl="{handler}"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
        "app": { handler: { "twiml": format!("<Response><Redirect>{handler}</Redirect></Response>") } },
    });
    let scenario = refer_sim::scenario::Scenario::from_json(&json.to_string()).unwrap();
    let whole = Simulation::new(scenario.clone()).unwrap().run();
    assert!(whole.steps.last().is_some_and(|s| s.narration.contains("steps (a TwiML loop?)")), "the step limit stops it");
    let mut sim = Simulation::new(scenario).unwrap();
    let mut ended = false;
    while let Some(step) = sim.step() {
        if step.kind == StepKind::End {
            let t = sim.timeline();
            assert_eq!(t.outcome, whole.outcome);
            assert_eq!(t.explanation, whole.explanation);
            assert_ne!(t.explanation.cause, NOT_ENDED);
            assert_eq!(sim.outcome(), whole.outcome);
            ended = true;
        }
    }
    assert!(ended, "the end step was returned");
}
