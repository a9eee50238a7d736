//! Native throughput figures, printed (never asserted): `make bench` runs this
//! beside `scripts/bench.mjs`, which measures the same inputs through WASM in
//! Node against the JS peers.
use std::hint::black_box;
use std::time::Duration;

mod common;
use common::measure;

fn main() {
    let corpus: serde_json::Value =
        serde_json::from_str(include_str!("../bench/refer_to_inputs.json")).expect("bench corpus is JSON");
    let inputs: Vec<String> =
        corpus["inputs"].as_array().expect("inputs array").iter().map(|v| v.as_str().expect("string input").to_owned()).collect();
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
