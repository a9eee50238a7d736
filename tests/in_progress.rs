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
