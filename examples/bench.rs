//! Native throughput figures, printed (never asserted): `make bench` runs this
//! beside `scripts/bench.mjs`, which measures the same inputs through WASM in
//! Node against the JS peers.
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Calls `f` over `inputs` repeatedly for about `budget`; returns calls per second.
fn measure<T>(inputs: &[T], budget: Duration, mut f: impl FnMut(&T)) -> f64 {
    for i in 0..2000 {
        f(&inputs[i % inputs.len()]);
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for x in inputs {
            f(x);
        }
        n += inputs.len() as u64;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let corpus: serde_json::Value =
        serde_json::from_str(include_str!("../bench/refer_to_inputs.json")).expect("bench corpus is JSON");
    let inputs: Vec<String> = corpus["inputs"]
        .as_array()
        .expect("inputs array")
        .iter()
        .map(|v| v.as_str().expect("string input").to_owned())
        .collect();
    for s in &inputs {
        refer_sim::sip::parse_refer_to(s).expect("every bench input parses");
    }
    let budget = Duration::from_millis(1500);
    let ops = measure(&inputs, budget, |s| {
        let _ = black_box(refer_sim::sip::parse_refer_to(black_box(s)));
    });
    println!("native (Rust, release):");
    println!("  refer-sim parse_refer_to               {:>12.0} parses/s", ops);
}
