//! Native throughput figures, printed (never asserted): `make bench` runs this
//! beside `scripts/bench.mjs`, which measures the same inputs through WASM in
//! Node against the JS peers.
use std::hint::black_box;

mod common;
use common::rounds;

fn main() {
    let inputs = common::refer_to_inputs();
    for s in &inputs {
        refer_sim::sip::parse_refer_to(s).expect("every bench input parses");
    }
    let (best, median) = rounds(&inputs, |s| {
        let _ = black_box(refer_sim::sip::parse_refer_to(black_box(s)));
    });
    println!("native (Rust, release), best and median of 9 rounds:");
    println!("  refer-sim parse_refer_to               {best:>12.0} {median:>12.0} parses/s");
}
