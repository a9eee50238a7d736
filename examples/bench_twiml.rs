//! Native TwiML throughput figures, printed (never asserted), on the documents
//! of `tests/data/twiml_corpus.json`: parse, write, and check. Compare with
//! `scripts/bench_twiml.mjs` (the same corpus through WASM and the JS peers).
//!   cargo run --release --example bench_twiml
use std::hint::black_box;
use std::time::Duration;

mod common;
use common::measure;

use refer_sim::twiml::{check_transfer, parse, write, Role};

fn main() {
    let corpus: serde_json::Value =
        serde_json::from_str(include_str!("../tests/data/twiml_corpus.json")).expect("corpus is JSON");
    let docs: Vec<String> = corpus["cases"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["xml"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let bytes: usize = docs.iter().map(String::len).sum();
    let budget = Duration::from_millis(800);
    let parse_rate = measure(&docs, budget, |d| {
        black_box(parse(black_box(d)));
    });
    let models: Vec<_> = docs.iter().filter_map(|d| parse(d).response).collect();
    let write_rate = measure(&models, budget, |m| {
        black_box(write(black_box(m)));
    });
    let check_rate = measure(&docs, budget, |d| {
        black_box(check_transfer(black_box(d), Role::Initial));
    });
    let mb = |rate: f64| rate * bytes as f64 / docs.len() as f64 / 1e6;
    println!("twiml corpus: {} documents, {bytes} bytes", docs.len());
    println!("native parse:          {parse_rate:>12.0} docs/s  ({:.1} MB/s)", mb(parse_rate));
    println!("native write:          {write_rate:>12.0} docs/s");
    println!("native check_transfer: {check_rate:>12.0} docs/s");
}
