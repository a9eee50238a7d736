// src/wasm/compact.rs (the compact format's writer) and src/compact_format.rs (its primitives),
// compiled into a native test or example: both are the WASM build's (src/wasm is not compiled
// natively), and this is the one place that names their paths. Included, not `mod`ded, at the
// crate root of tests/it/main.rs, examples/bench_parsers_profile.rs
// and examples/bench_timeline_profile.rs (`include!("…/tests/it/common/compact_src.rs");`): the
// files name each other as `crate::compact_format` and their parent's items through
// `pub(super)`, so they must be modules of the crate root, beside src/wasm/timeline.rs where a
// user includes that too.

#[path = "../../../src/wasm/compact.rs"]
#[allow(dead_code)] // each user writes with part of it
mod compact;
#[path = "../../../src/compact_format.rs"]
#[allow(dead_code)]
mod compact_format;
