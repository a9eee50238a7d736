//! Native TwiML throughput figures, printed (never asserted), on the documents
//! of `tests/data/twiml_corpus.json`: parse, write, and check. Compare with
//! `scripts/bench_twiml.mjs` (the same corpus through WASM and the JS peers).
//!   cargo run --release --example bench_twiml
use std::hint::black_box;

mod common;
use common::rounds;

use refer_sim::twiml::{check_transfer, parse, write, Role};

fn main() {
    let docs = common::twiml_docs();
    let bytes: usize = docs.iter().map(String::len).sum();
    let parse_rate = rounds(&docs, |d| {
        black_box(parse(black_box(d)));
    });
    let models: Vec<_> = docs.iter().filter_map(|d| parse(d).response).collect();
    let write_rate = rounds(&models, |m| {
        black_box(write(black_box(m)));
    });
    let check_rate = rounds(&docs, |d| {
        black_box(check_transfer(black_box(d), Role::Initial));
    });
    let mb = |rate: f64| rate * bytes as f64 / docs.len() as f64 / 1e6;
    println!("twiml corpus: {} documents, {bytes} bytes; native (Rust, release), best and median of 9 rounds", docs.len());
    println!("  parse:          {:>12.0} {:>12.0} docs/s  ({:.1} MB/s median)", parse_rate.0, parse_rate.1, mb(parse_rate.1));
    println!("  write:          {:>12.0} {:>12.0} docs/s", write_rate.0, write_rate.1);
    println!("  check_transfer: {:>12.0} {:>12.0} docs/s", check_rate.0, check_rate.1);
}
