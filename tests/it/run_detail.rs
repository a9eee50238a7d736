//! A run without SIP messages ([`RunDetail::NO_MESSAGES`]) is the full run with every step's
//! `messages` emptied, and nothing else changed (kinds, times, narrations, tags, webhooks,
//! responses, alerts, changed legs, outcome, explanation, warnings): over every catalogue
//! scenario and random variations of them (SIP, phone and client callers, `<Refer>` answers and
//! NOTIFYs, holds, X- headers, `<Sip>` URI headers, answerOnBridge, failing applications).
//! And [`Prepared::run`]'s messages written on their first read
//! ([`RunDetail::MESSAGES_ON_READ`]) are the full run's, step for step, byte for byte.
#![cfg(not(target_arch = "wasm32"))]

use crate::common;

use common::scenarios::scenario;
use proptest::prelude::*;
use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{explain, Prepared, RunDetail};
use refer_sim::transfer::Timeline;

/// The full run of `prepared` with its messages emptied, and its run without messages, one step at a time too.
fn both(prepared: &Prepared) -> (Timeline, Timeline) {
    let mut full = prepared.run_with(RunDetail::FULL);
    // The messages written on read are the ones written during the run, in the same steps.
    let on_read = prepared.run();
    assert_eq!(on_read, full, "messages on read");
    assert_eq!(serde_json::to_string(&on_read).ok(), serde_json::to_string(&full).ok(), "messages on read, as JSON");
    // The run's explanation rests on what the engine kept of its REFER steps; `explain` reads
    // the same from their messages.
    assert_eq!(explain(&full.steps, &full.outcome), full.explanation, "explain of the full run's steps");
    for step in &mut full.steps {
        step.messages.clear();
    }
    let light = prepared.run_with(RunDetail::NO_MESSAGES);
    let mut sim = prepared.simulation_with(RunDetail::NO_MESSAGES);
    let mut stepped = Vec::new();
    while let Some(step) = sim.step() {
        stepped.push(step);
    }
    assert_eq!(stepped, light.steps, "stepped one by one");
    (full, light)
}

#[test]
fn every_catalogue_scenario_runs_the_same_without_messages() {
    let mut messages = 0;
    for entry in catalogue() {
        let prepared = Prepared::new(entry.scenario).unwrap_or_else(|e| panic!("{}: {e:?}", entry.id));
        messages += prepared.run().steps.iter().map(|s| s.messages.len()).sum::<usize>();
        let (full, light) = both(&prepared);
        assert_eq!(light, full, "{}", entry.id);
    }
    // The full runs wrote messages: a light run that wrote none is something to compare.
    assert!(messages > 300, "{messages} messages in the catalogue's full runs");
}

#[test]
fn a_step_whose_messages_are_changed_keeps_its_own_and_leaves_the_others() {
    let prepared = Prepared::new(catalogue().remove(0).scenario).unwrap();
    let full = prepared.run_with(RunDetail::FULL);
    let mut t = prepared.run();
    let i = t.steps.iter().position(|s| !s.messages.is_empty()).expect("a step with messages");
    let first = t.steps[i].messages.remove(0);
    assert_eq!(first, full.steps[i].messages[0]);
    assert_eq!(t.steps[i].messages[..], full.steps[i].messages[1..]);
    for (j, (a, b)) in t.steps.iter().zip(&full.steps).enumerate().filter(|(j, _)| *j != i) {
        assert_eq!(a.messages, b.messages, "step {j}");
    }
    // A copy made before the change still reads the messages as written.
    let copy = prepared.run();
    let mut changed = copy.clone();
    changed.steps[i].messages.clear();
    assert_eq!(copy.steps[i].messages, full.steps[i].messages);
    assert_eq!(copy.steps[i].messages.clone().into_vec(), *full.steps[i].messages);
}

#[test]
fn detail_defaults_to_full() {
    assert_eq!(RunDetail::default(), RunDetail::FULL);
    let prepared = Prepared::new(catalogue().remove(0).scenario).unwrap();
    assert_eq!(prepared.run_with(RunDetail::default()), prepared.run());
    assert_eq!(prepared.run_with(RunDetail::MESSAGES_ON_READ), prepared.run());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_run_the_same_without_messages(s in scenario()) {
        let prepared = Prepared::new(s.clone()).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let (full, light) = both(&prepared);
        prop_assert_eq!(light, full, "scenario: {}", serde_json::to_string(&s).unwrap_or_default());
    }
}
