//! The integration tests, as one test binary: each file here is a module that tests one behaviour
//! through the crate's public API (`refer_sim::…`), as a crate that depends on refer-sim would.
//!
//! One binary rather than one per file: `make test` links every integration test binary twice
//! (natively and for wasm32) and runs the wasm32 one in Node and in headless Chromium, so 70
//! binaries cost 140 links and 140 runner starts in CI, where one costs two and two. Run one
//! file's tests with its module name as the filter: `cargo test --test it golden::`.
//!
//! The modules marked `#![cfg(not(target_arch = "wasm32"))]` at their top run natively only
//! (proptest, files, threads); the others run on both targets, their `#[test]` being
//! `wasm_bindgen_test` on wasm32.

#[macro_use]
mod common;

// src/wasm's writers, compiled natively for the tests of the formats (src/wasm is the WASM build's
// own): at the crate root, where they name each other as `crate::compact_format`,
// `super::compact`, `crate::scenario` and `crate::transfer`.
#[cfg(not(target_arch = "wasm32"))]
include!("common/compact_src.rs");
#[cfg(not(target_arch = "wasm32"))]
#[path = "../../src/wasm/timeline.rs"]
#[allow(dead_code)] // write_steps and write_legs serve src/wasm/transfer.rs
mod timeline;
#[cfg(not(target_arch = "wasm32"))]
use refer_sim::{scenario, transfer};

mod answer_details;
mod answering;
mod aob_false_failure;
mod attribute_suggestion;
mod bom;
mod bytes_cmp;
mod compact_results;
mod content_type;
mod dial_action;
mod dial_time;
mod empty_answer;
mod empty_refer_url;
mod endpoints;
mod engine;
mod engine_address;
mod engine_rules;
mod exhaustive;
mod explanations;
mod fidelity;
mod fidelity_round13;
mod fix_lines;
mod following_fixes;
mod fuzz_corpus;
mod fuzz_spans;
mod golden;
mod heap;
mod in_progress;
mod leaves_bridge;
mod limits;
mod mutants_sip;
mod mutants_transfer;
mod mutants_twiml;
mod narration_honesty;
mod narration_snapshots;
mod new_user_findings;
mod notify_failure;
mod outcome_table;
mod outcome_words;
mod override_warning;
mod page_audit;
mod parse_limits;
mod pausing;
mod prepared;
mod provenance;
mod redirect_answers;
mod refer_message;
mod refer_to;
mod refer_to_props;
mod refer_verb;
mod relative_url;
mod relative_urls;
mod run_detail;
mod scenario_errors;
mod scenario_number_words;
mod scenario_paths;
mod scenario_too_large;
mod scenarios;
mod schema_warnings;
mod sdp;
mod shared_str;
mod sip_uri_headers;
mod sips_warning;
mod span;
mod status_callbacks;
mod timeline_layout;
mod transfer_props;
mod twiml_check;
mod twiml_compact;
mod twiml_corpus;
mod twiml_parse;
mod twiml_props;
mod twiml_view;
mod undialable;
mod valid_refer_answers;
mod webhook_timeout;
mod webhook_url_values;
