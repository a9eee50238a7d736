//! Catalogue scenarios simulated per second, natively (release build).
//! `make bench` prints it beside `scripts/bench_transfer.mjs`, the same
//! measurement through WASM in Node. Figures are printed, never asserted.
use std::hint::black_box;
use std::time::{Duration, Instant};

use refer_sim::scenario::{catalogue::catalogue, simulate};

fn main() {
    let scenarios: Vec<_> = catalogue().into_iter().map(|e| e.scenario).collect();
    let steps: usize = scenarios.iter().map(|s| simulate(s).expect("catalogue scenarios run").steps.len()).sum();
    for s in &scenarios {
        black_box(simulate(s).ok());
    }
    let budget = Duration::from_millis(1500);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for s in &scenarios {
            black_box(simulate(black_box(s)).ok());
        }
        n += scenarios.len() as u64;
    }
    let per_s = n as f64 / start.elapsed().as_secs_f64();
    println!("native (Rust, release): {} catalogue scenarios, {steps} steps in all", scenarios.len());
    println!("  simulate                                 {per_s:>12.0} scenarios/s");
}
