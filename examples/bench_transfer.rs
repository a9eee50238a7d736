//! Catalogue scenarios simulated per second, natively (release build).
//! `make bench` prints it beside `scripts/bench_transfer.mjs`, the same
//! measurement through WASM in Node. Figures are printed, never asserted.
use std::hint::black_box;
use std::time::Duration;

mod common;
use common::measure;

use refer_sim::scenario::{catalogue::catalogue, simulate};

fn main() {
    let scenarios: Vec<_> = catalogue().into_iter().map(|e| e.scenario).collect();
    let steps: usize = scenarios.iter().map(|s| simulate(s).expect("catalogue scenarios run").steps.len()).sum();
    let per_s = measure(&scenarios, Duration::from_millis(1500), |s| {
        black_box(simulate(black_box(s)).ok());
    });
    println!("native (Rust, release): {} catalogue scenarios, {steps} steps in all", scenarios.len());
    println!("  simulate                                 {per_s:>12.0} scenarios/s");
}
