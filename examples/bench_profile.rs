//! A fixed amount of simulator work for `valgrind --tool=callgrind` (instruction counts
//! are repeatable on a loaded machine, unlike wall-clock time): runs every catalogue
//! scenario `N` times (first argument, default 20) through a [`Prepared`] scenario, or
//! through `simulate` with `simulate` as second argument; `compact` as second argument also
//! writes each timeline in the compact format the WASM build returns (src/wasm/compact.rs,
//! the same code, compiled natively, the messages written during the run); `light` runs with
//! [`RunDetail::NO_MESSAGES`] (the steps' SIP messages not written, as `simulate` through WASM
//! runs when nothing reads them); `full` with [`RunDetail::FULL`] (the messages written during
//! the run); without a second argument, [`Prepared::run`]'s [`RunDetail::MESSAGES_ON_READ`]
//! (the messages written when read: here never); `read` as [`Prepared::run`], then every
//! step's messages read (the second run that writes them). Prints the steps it made and
//! the heap allocations per scenario run (the allocator is most of a run's time).
//!
//! ```sh
//! cargo build --release --example bench_profile
//! valgrind --tool=callgrind target/release/examples/bench_profile 20
//! ```
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use refer_sim::scenario::{catalogue::catalogue, simulate, Prepared, RunDetail};

#[path = "../src/wasm/compact.rs"]
#[allow(dead_code)]
mod compact; // names `crate::compact_format`, included next
#[path = "../src/compact_format.rs"]
#[allow(dead_code)]
mod compact_format;

/// The system allocator, counting allocations (reallocations included).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let mode = args.next();
    let via_simulate = mode.as_deref() == Some("simulate");
    let written = mode.as_deref() == Some("compact");
    let read = mode.as_deref() == Some("read");
    let detail = match mode.as_deref() {
        Some("light") => RunDetail::NO_MESSAGES,
        Some("full" | "compact") => RunDetail::FULL,
        _ => RunDetail::MESSAGES_ON_READ,
    };
    let mut out = String::new();
    let scenarios: Vec<_> = catalogue().into_iter().map(|e| e.scenario).collect();
    let prepared: Vec<_> = scenarios.iter().map(|s| Prepared::new(s.clone()).expect("catalogue scenarios run")).collect();
    let mut steps = 0;
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..n {
        if via_simulate {
            for s in &scenarios {
                steps += black_box(simulate(black_box(s)).expect("catalogue scenarios run")).steps.len();
            }
        } else {
            for p in &prepared {
                let timeline = black_box(black_box(p).run_with(detail));
                if written {
                    compact::write(&timeline, &mut out).expect("a timeline is written");
                    black_box(&out);
                }
                if read {
                    black_box(timeline.steps.iter().map(|s| s.messages.len()).sum::<usize>());
                }
                steps += timeline.steps.len();
            }
        }
    }
    let runs = (n * scenarios.len()).max(1);
    let allocations = (ALLOCATIONS.load(Ordering::Relaxed) - before) / runs;
    println!("{} runs of {} scenarios, {steps} steps, {allocations} allocations per run", n, scenarios.len());
}
