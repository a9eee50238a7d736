//! The timeline layout's writer (src/wasm/timeline.rs, read by pkg/decode.js's
//! `decodeTimeline`), natively: its unit tests (which SIP messages it writes as slices of
//! their text, the hearings it writes as names) and every catalogue timeline written.
//! tests/js/timeline_layout.test.mjs checks the package reads it as the generic format.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../src/wasm/compact.rs"]
#[allow(dead_code)]
mod compact;
#[path = "../src/wasm/timeline.rs"]
mod timeline;

// What src/wasm/timeline.rs names through `crate::`.
use refer_sim::{sip, transfer};

use refer_sim::scenario::{catalogue::catalogue, simulate};

#[test]
fn every_catalogue_timeline_is_written_with_its_messages_as_slices_of_their_texts() {
    let (mut out, mut generic) = (String::new(), String::new());
    let (mut written, mut written_generic) = (0, 0);
    for entry in catalogue() {
        let t = simulate(&entry.scenario).expect("catalogue scenarios run");
        assert!(t.steps.iter().flat_map(|s| &s.messages).all(timeline::laid_out), "{}", entry.id);
        timeline::write_timeline(&t, &mut out).expect("a timeline is written");
        compact::write(&t, &mut generic).expect("a timeline is written");
        assert!(out.len() < generic.len(), "{}: {} of {} bytes", entry.id, out.len(), generic.len());
        (written, written_generic) = (written + out.len(), written_generic + generic.len());
    }
    // Each SIP text crosses once (its header values and body are slices of it) and each name
    // once per call: under two thirds of the generic format over the catalogue (0.59 when written).
    assert!(written * 3 < written_generic * 2, "{written} of {written_generic} bytes");
}
