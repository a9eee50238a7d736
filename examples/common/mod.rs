//! Shared by the benchmark examples: one way to time a closure over inputs.
use std::time::{Duration, Instant};

/// Calls of `f` per second, looping over `inputs` for about `budget`.
fn rate<T>(inputs: &[T], budget: Duration, f: &mut impl FnMut(&T)) -> f64 {
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

/// Best and median calls per second of 9 rounds of 200 ms (after a warm-up), as
/// scripts/bench_lib.mjs measures the WASM side.
#[allow(dead_code)] // bench_parsers_profile counts instructions instead
pub fn rounds<T>(inputs: &[T], mut f: impl FnMut(&T)) -> (f64, f64) {
    for x in inputs.iter().cycle().take(2000) {
        f(x);
    }
    let mut r: Vec<f64> = (0..9).map(|_| rate(inputs, Duration::from_millis(200), &mut f)).collect();
    r.sort_by(|a, b| a.total_cmp(b));
    (r[r.len() - 1], r[r.len() / 2])
}

/// Calls of `f` per second in one loop of 3 s over `inputs` (allocator and cache effects
/// of a long run included), the counterpart of scripts/bench_lib.mjs's sustained figure.
#[allow(dead_code)] // not every bench example prints it
pub fn sustained<T>(inputs: &[T], mut f: impl FnMut(&T)) -> f64 {
    rate(inputs, Duration::from_secs(3), &mut f)
}

/// The Refer-To values of bench/refer_to_inputs.json.
#[allow(dead_code)] // not every bench example reads them
pub fn refer_to_inputs() -> Vec<String> {
    let corpus: serde_json::Value =
        serde_json::from_str(include_str!("../../bench/refer_to_inputs.json")).expect("bench corpus is JSON");
    corpus["inputs"].as_array().expect("inputs array").iter().map(|v| v.as_str().expect("string input").to_owned()).collect()
}

/// The documents of tests/data/twiml_corpus.json.
#[allow(dead_code)] // not every bench example reads them
pub fn twiml_docs() -> Vec<String> {
    let corpus: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/data/twiml_corpus.json")).expect("corpus is JSON");
    corpus["cases"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c["xml"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}
