//! Fixed work for `valgrind --tool=callgrind` (instruction counts are repeatable on a loaded
//! machine, wall time is not): what the WebAssembly exports `parseReferTo` and `parseTwiml` do
//! natively, the parse and the compact result (src/wasm/compact.rs; parseTwiml's: src/twiml/compact.rs) together, over the bench
//! inputs (bench/refer_to_inputs.json, tests/data/twiml_corpus.json), `ROUNDS` times each.
//!   cargo build --release --example bench_parsers_profile
//!   valgrind --tool=callgrind target/release/examples/bench_parsers_profile [referTo|twiml]
use std::hint::black_box;

mod common;

#[path = "../src/wasm/compact.rs"]
#[allow(dead_code)]
mod compact;

const ROUNDS: usize = 200;
/// As the package's entry calls the exports: its decoder holds every key written so far.
const KEPT: Option<u32> = Some(u32::MAX);

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let (inputs, docs) = (common::refer_to_inputs(), common::twiml_docs());
    let mut units = 0;
    for _ in 0..ROUNDS {
        if which != "twiml" {
            for s in &inputs {
                let r = refer_sim::sip::parse_refer_to(black_box(s)).expect("every bench input parses");
                let mut out = String::new(); // as `to_compact_kept`, a new string each call
                compact::write_kept(&r, KEPT, &mut out).expect("writes");
                units += black_box(&out).len();
            }
        }
        if which != "referTo" {
            for d in &docs {
                // As `parseTwiml`: its own format (src/twiml/compact.rs).
                let mut out = String::with_capacity(d.len() * 2 + 64);
                refer_sim::twiml::parse_view(black_box(d)).write_compact(&mut out).expect("writes");
                units += black_box(&out).len();
            }
        }
    }
    println!("{ROUNDS} rounds: {} Refer-To values, {} TwiML documents, {units} bytes of results", inputs.len(), docs.len());
}
