//! The cost of writing a timeline for JS, for `valgrind --tool=callgrind` (instruction counts
//! are repeatable on a loaded machine): every catalogue timeline, run once beforehand, is
//! written `N` times (first argument, default 20) in the mode given second: `layout` (the
//! timeline layout, src/wasm/timeline.rs, what `simulate` returns), `generic` (the compact
//! format's serde writer, src/wasm/compact.rs, what it returned before) or `none` (nothing
//! written: subtract it). The same code the WASM build runs, compiled natively.
//!
//! ```sh
//! cargo build --release --example bench_timeline_profile
//! for m in none generic layout; do valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!   target/release/examples/bench_timeline_profile 20 $m; done
//! ```
use std::hint::black_box;

include!("../tests/it/common/compact_src.rs");
#[path = "../src/wasm/timeline.rs"]
#[allow(dead_code)]
mod timeline;

// What src/wasm/timeline.rs names through `crate::`.
use refer_sim::{scenario, sip, transfer};

use scenario::{catalogue::catalogue, simulate};

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mode = args.next().unwrap_or_else(|| "layout".into());
    let timelines: Vec<_> = catalogue().iter().map(|e| simulate(&e.scenario).expect("catalogue scenarios run")).collect();
    let mut out = String::new();
    let mut bytes = 0;
    for _ in 0..n {
        for t in &timelines {
            match mode.as_str() {
                "layout" => timeline::write_timeline(black_box(t), &mut out).expect("a timeline is written"),
                "generic" => compact::write(black_box(t), &mut out).expect("a timeline is written"),
                _ => out.clear(),
            }
            bytes += black_box(&out).len();
        }
    }
    let runs = (n * timelines.len()).max(1);
    println!("{mode}: {runs} timelines written, {} bytes each on average", bytes / runs);
    let _ = (sip::parse_uri, transfer::MAX_STEPS);
}
