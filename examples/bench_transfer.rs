//! Catalogue scenarios simulated per second, natively (release build).
//! `make bench` prints it beside `scripts/bench_transfer.mjs`, the same
//! measurement through WASM in Node. Figures are printed, never asserted.
use std::hint::black_box;

mod common;
use common::rounds;

use refer_sim::scenario::{catalogue::catalogue, simulate};

fn main() {
    let scenarios: Vec<_> = catalogue().into_iter().map(|e| e.scenario).collect();
    let steps: usize = scenarios.iter().map(|s| simulate(s).expect("catalogue scenarios run").steps.len()).sum();
    let (best, median) = rounds(&scenarios, |s| {
        black_box(simulate(black_box(s)).ok());
    });
    println!(
        "native (Rust, release): {} catalogue scenarios, {steps} steps in all; best and median of 9 rounds",
        scenarios.len()
    );
    println!("  simulate                                 {best:>12.0} {median:>12.0} scenarios/s");
}
