//! A fixed amount of simulator work for `valgrind --tool=callgrind` (instruction counts
//! are repeatable on a loaded machine, unlike wall-clock time): runs every catalogue
//! scenario `N` times (first argument, default 20) through a [`Prepared`] scenario, or
//! through `simulate` with `simulate` as second argument. Prints the steps it made.
//!
//! ```sh
//! cargo build --release --example bench_profile
//! valgrind --tool=callgrind target/release/examples/bench_profile 20
//! ```
use std::hint::black_box;

use refer_sim::scenario::{catalogue::catalogue, simulate, Prepared};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let via_simulate = args.next().as_deref() == Some("simulate");
    let scenarios: Vec<_> = catalogue().into_iter().map(|e| e.scenario).collect();
    let prepared: Vec<_> = scenarios.iter().map(|s| Prepared::new(s.clone()).expect("catalogue scenarios run")).collect();
    let mut steps = 0;
    for _ in 0..n {
        if via_simulate {
            for s in &scenarios {
                steps += black_box(simulate(black_box(s)).expect("catalogue scenarios run")).steps.len();
            }
        } else {
            for p in &prepared {
                steps += black_box(black_box(p).run()).steps.len();
            }
        }
    }
    println!("{} runs of {} scenarios, {steps} steps", n, scenarios.len());
}
