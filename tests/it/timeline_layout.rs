//! The timeline layout's writer (src/wasm/timeline.rs, read by pkg/decode.js's
//! `decodeTimeline`), natively: its unit tests (the hearings it writes as names), every
//! catalogue timeline written, and the SIP text layout the decoder slices (first line,
//! headers, an empty line, the body: what `sip::message::Message` writes by construction).
//! tests/js/timeline_layout.test.mjs checks the package reads it as the generic format.
#![cfg(not(target_arch = "wasm32"))]

use crate::{compact, timeline};
use refer_sim::{scenario, transfer};

use scenario::{catalogue::catalogue, simulate};

/// A message's text as the decoder reads it: its first line, each header, an empty line, its body.
fn laid_out(m: &transfer::SipMessage) -> String {
    let mut text = format!("{}\r\n", m.first_line());
    for (name, value) in m.headers() {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(m.body().map_or("", |b| b.text));
    text
}

#[test]
fn every_catalogue_timeline_is_written_with_its_messages_as_slices_of_their_texts() {
    let (mut out, mut generic) = (String::new(), String::new());
    let (mut written, mut written_generic) = (0, 0);
    for entry in catalogue() {
        let t = simulate(&entry.scenario).expect("catalogue scenarios run");
        for m in t.steps.iter().flat_map(|s| &s.messages) {
            assert_eq!(m.text(), laid_out(m), "{}", entry.id);
        }
        timeline::write_timeline(&t, &mut out).expect("a timeline is written");
        compact::write(&t, &mut generic).expect("a timeline is written");
        assert!(out.len() < generic.len(), "{}: {} of {} bytes", entry.id, out.len(), generic.len());
        (written, written_generic) = (written + out.len(), written_generic + generic.len());
    }
    // Each SIP text crosses once (its header values and body are slices of it) and each name
    // once per call: under two thirds of the generic format over the catalogue (0.59 when written).
    assert!(written * 3 < written_generic * 2, "{written} of {written_generic} bytes");
}
