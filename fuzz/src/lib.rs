//! The bodies of the fuzz targets: what each one does with an input, and what it checks.
//! The AFL++ binaries in `src/bin/` call these; the main crate's `tests/it/fuzz_corpus.rs`
//! includes this file too and replays the committed corpus and every crash found through
//! the same code natively, so `cargo test` needs no fuzzer. Depends on `refer_sim` and
//! `serde_json` only. A panic here is a finding.

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::sip::{parse_refer_message, parse_refer_to, MAX_REFER_TO_LEN};
use refer_sim::twiml::{check_transfer, parse, write, Role};

/// Bytes as the text a JS string would give: invalid UTF-8 becomes U+FFFD.
fn text(data: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(data)
}

/// Refer-To: parse; an error points inside the input; an accepted value serialises as the
/// package returns it, and prints to text that parses back to the same value. The same bytes
/// also go through `parse_refer_message` alone, as a `Refer-To:` header line and inside a
/// whole REFER (see [`refer_message`]).
pub fn refer_to(data: &[u8]) {
    let text = text(data);
    refer_message(&text);
    refer_message(&format!("Refer-To: {text}"));
    refer_message(&format!("REFER sip:b@example.com SIP/2.0\r\nr: {text}\r\nb: <sip:a@example.com>\r\n\r\n"));
    match parse_refer_to(&text) {
        Err(e) => assert!(e.offset <= text.len(), "error offset {} past the end of {text:?}", e.offset),
        Ok(r) => {
            let json = serde_json::to_string(&r).unwrap_or_default();
            assert!(json.starts_with('{'), "{text:?} does not serialise");
            let printed = r.to_string();
            // A canonical print can outgrow the 256-character limit (escapes, quotes).
            if printed.chars().count() <= MAX_REFER_TO_LEN {
                match parse_refer_to(&printed) {
                    Ok(again) => assert_eq!(
                        (&again.display_name, &again.uri, &again.params),
                        (&r.display_name, &r.uri, &r.params),
                        "{text:?} prints as {printed:?}, which parses to another value"
                    ),
                    Err(e) => panic!("{text:?} prints as {printed:?}, which fails: {e}"),
                }
            }
        }
    }
}

/// TwiML: parse and check for both roles; every diagnostic has a position inside the document
/// (a range of whole characters),
/// and a document that parses is written back to one that parses to the same model.
pub fn twiml(data: &[u8]) {
    let doc = text(data);
    let parsed = parse(&doc);
    let _ = serde_json::to_string(&parsed);
    // What the package's parseTwiml and checkTransfer write (src/twiml/compact.rs).
    let mut out = String::new();
    refer_sim::twiml::parse_view(&doc).write_compact(&mut out).expect("the compact result is written");
    refer_sim::twiml::compact::write_findings(&check_transfer(&doc, Role::Initial), &mut out);
    if let Some(r) = &parsed.response {
        let written = write(r);
        match parse(&written).response {
            Some(again) => assert_eq!(again.without_spans(), r.without_spans(), "{doc:?} is written as {written:?}"),
            None => panic!("{doc:?} is written as {written:?}, which does not parse"),
        }
    }
    for role in [Role::Initial, Role::ReferResponse] {
        for d in parsed.diagnostics.iter().chain(&check_transfer(&doc, role)) {
            assert!(d.line >= 1 && d.column >= 1, "{doc:?}: {} has no position", d.code);
            // Whole characters inside the document: a byte offset inside a character has no
            // UTF-16 offset for the package to report (tests/it/fuzz_spans.rs).
            assert!(doc.get(d.span.start..d.span.end).is_some(), "{doc:?}: {} at {:?}", d.code, d.span);
        }
    }
}

/// A scenario as JSON through the whole simulator, to the end of its timeline, and the
/// timeline serialised as the package returns it. Input that is not a scenario is fine.
pub fn scenario(data: &[u8]) {
    let Ok(scenario) = Scenario::from_json(&text(data)) else {
        return;
    };
    if let Ok(timeline) = simulate(&scenario) {
        let _ = serde_json::to_string(&timeline);
    }
}

/// A pasted REFER: parse; an error and every offset of a result point inside the text, and a
/// result serialises as the package returns it.
pub fn refer_message(text: &str) {
    match parse_refer_message(text) {
        Err(e) => assert!(e.offset <= text.len(), "error offset {} past the end of {text:?}", e.offset),
        Ok(m) => {
            let json = serde_json::to_string(&m).unwrap_or_default();
            assert!(json.starts_with('{'), "{text:?} does not serialise");
            let offsets = m
                .headers
                .iter()
                .map(|h| h.offset)
                .chain(m.refusals.iter().map(|r| r.offset))
                .chain(m.notes.iter().map(|n| n.offset));
            for o in offsets {
                assert!(o <= text.len(), "offset {o} past the end of {text:?}");
            }
        }
    }
}
