//! Catalogue scenarios simulated per second, natively (release build): best and
//! median of 9 rounds and one sustained 3-s loop, for `simulate` (checks and
//! parses the scenario on every run) and for a [`Prepared`] scenario run again
//! (initial TwiML, REFER leg and `endpoints` keys parsed once), with and without its steps'
//! SIP messages ([`RunDetail::NO_MESSAGES`], how `simulate` runs through WASM). `make bench`
//! prints it beside `scripts/bench_transfer.mjs`, the same measurement through
//! WASM in Node. Figures are printed, never asserted.
use std::hint::black_box;

mod common;
use common::{rounds, sustained};

use refer_sim::scenario::{catalogue::catalogue, simulate, Prepared, RunDetail};

fn main() {
    let scenarios: Vec<_> = catalogue().into_iter().map(|e| e.scenario).collect();
    let prepared: Vec<_> = scenarios.iter().map(|s| Prepared::new(s.clone()).expect("catalogue scenarios run")).collect();
    let mut steps = 0;
    for (s, p) in scenarios.iter().zip(&prepared) {
        let t = simulate(s).expect("catalogue scenarios run");
        assert_eq!(p.run(), t, "a prepared run gives simulate's timeline");
        steps += t.steps.len();
    }
    println!(
        "native (Rust, release): {} catalogue scenarios, {steps} steps in all; best and median of 9 rounds, one 3-s loop",
        scenarios.len()
    );
    println!("  {:<40} {:>12} {:>12} {:>12}", "", "best", "median", "sustained");
    let run = |s: &_| {
        black_box(simulate(black_box(s)).ok());
    };
    let (best, median) = rounds(&scenarios, run);
    let sus = sustained(&scenarios, run);
    println!("  {:<40} {best:>12.0} {median:>12.0} {sus:>12.0} scenarios/s", "simulate");
    let run = |p: &Prepared| {
        black_box(black_box(p).run());
    };
    let (best, median) = rounds(&prepared, run);
    let sus = sustained(&prepared, run);
    println!("  {:<40} {best:>12.0} {median:>12.0} {sus:>12.0} scenarios/s", "Prepared::run (parsed once)");
    let run = |p: &Prepared| {
        black_box(black_box(p).run_with(RunDetail::NO_MESSAGES));
    };
    let (best, median) = rounds(&prepared, run);
    let sus = sustained(&prepared, run);
    println!("  {:<40} {best:>12.0} {median:>12.0} {sus:>12.0} scenarios/s", "Prepared::run_with(NO_MESSAGES)");
}
