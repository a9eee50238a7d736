//! Fixed work for `valgrind --tool=callgrind` (instruction counts are repeatable on a loaded
//! machine, wall time is not): what the WebAssembly exports `parseReferTo` and `parseTwiml` do
//! natively, the parse and the compact result (src/wasm/compact.rs; parseTwiml's: src/twiml/compact.rs) together, over the bench
//! inputs (bench/refer_to_inputs.json, tests/data/twiml_corpus.json), `ROUNDS` times each.
//!   cargo build --release --example bench_parsers_profile
//!   valgrind --tool=callgrind target/release/examples/bench_parsers_profile [referTo|referToFast|twiml]
//! `referToFast` is what the package's entry calls: the parse and the fast path's layout
//! (src/wasm/refer_to_fast.rs) instead of the compact format.
use std::hint::black_box;

mod common;

include!("../tests/it/common/compact_src.rs");

#[path = "../src/wasm/refer_to_fast.rs"]
mod refer_to_fast;
use refer_sim::sip;

const ROUNDS: usize = 200;
/// As the package's entry calls the exports: its decoder holds every key written so far.
const KEPT: Option<u32> = Some(u32::MAX);

fn main() {
    let which = std::env::args().nth(1).unwrap_or_default();
    let (inputs, docs) = (common::refer_to_inputs(), common::twiml_docs());
    let mut units = 0;
    let (mut out, mut pool) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        if which == "referToFast" {
            for s in &inputs {
                let r = sip::parse_refer_to(black_box(s)).expect("every bench input parses");
                refer_to_fast::FastWriter::write(&r, s, &mut out, &mut pool);
                units += black_box(&out).len();
            }
            continue;
        }
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
