//! A [`Prepared`] scenario (parsed once, run many times) gives exactly what
//! `simulate` gives, run after run, and refuses what `Simulation::new` refuses.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{catalogue::catalogue, simulate, Prepared, Scenario, Simulation};

#[test]
fn every_catalogue_scenario_runs_the_same_prepared_run_after_run() {
    for entry in catalogue() {
        let expected = simulate(&entry.scenario).unwrap_or_else(|e| panic!("{}: {e:?}", entry.id));
        let prepared = Prepared::new(entry.scenario.clone()).unwrap_or_else(|e| panic!("{}: {e:?}", entry.id));
        assert_eq!(prepared.scenario(), &entry.scenario, "{}", entry.id);
        for run in 0..3 {
            assert_eq!(prepared.run(), expected, "{} run {run}", entry.id);
        }
        let mut sim = prepared.simulation();
        let mut steps = Vec::new();
        while let Some(step) = sim.step() {
            steps.push(step);
        }
        assert_eq!(steps, expected.steps, "{}: stepped one by one", entry.id);
    }
}

#[test]
fn prepared_refuses_what_simulation_refuses() {
    let base = catalogue().remove(0).scenario;
    let cases = [
        Scenario { initial_twiml: "<Response><Dial>".into(), ..base.clone() },
        Scenario { initial_twiml: "".into(), ..base.clone() },
        Scenario { initial_twiml: "<Response><Say>hi</Say></Response>".into(), ..base.clone() },
        Scenario { initial_twiml: "<Response><Dial><Number>+14155550100</Number></Dial></Response>".into(), ..base },
    ];
    for s in cases {
        let prepared = Prepared::new(s.clone()).expect_err("refused");
        let direct = Simulation::new(s.clone()).expect_err("refused");
        assert_eq!(prepared, direct, "{}", s.initial_twiml);
    }
}
