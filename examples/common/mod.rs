//! Shared by the benchmark examples: one way to time a closure over inputs.
use std::time::{Duration, Instant};

/// Calls `f` over `inputs` (warmed up first) repeatedly for about `budget`;
/// returns calls per second.
pub fn measure<T>(inputs: &[T], budget: Duration, mut f: impl FnMut(&T)) -> f64 {
    for x in inputs.iter().cycle().take(2000) {
        f(x);
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
