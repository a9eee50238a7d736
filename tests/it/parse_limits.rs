//! Bounded parser results for large inputs (issue 13, item 4): the parser lists at most
//! `MAX_DIAGNOSTICS` diagnostics and counts the rest in one.

use refer_sim::twiml::parser::{parse, MAX_DIAGNOSTICS};

fn attributes(n: usize) -> String {
    let attrs: String = (0..n).map(|i| format!(" a{i}=\"v\"")).collect();
    format!("<Response><Say{attrs}>x</Say></Response>")
}

#[test]
fn diagnostics_past_the_cap_are_counted_in_one() {
    let p = parse(&attributes(MAX_DIAGNOSTICS + 500));
    assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS + 1);
    assert!(p.diagnostics[..MAX_DIAGNOSTICS].iter().all(|d| d.code == "unknown_attribute"));
    let last = &p.diagnostics[MAX_DIAGNOSTICS];
    assert_eq!(last.code, "too_many_diagnostics");
    assert!(!p.has_errors(), "{last:?}");
    assert!(last.message.starts_with("500 more diagnostics (0 of them errors) are not listed"), "{}", last.message);
    assert!(last.message.ends_with("`a1000`; kept as written"), "{}", last.message);
    let start = attributes(MAX_DIAGNOSTICS + 500).find(" a1000=").unwrap() + 1;
    assert_eq!((last.span.start, last.line, last.column), (start, 1, start + 1));
    // Nothing of the document is dropped: only the list of findings is cut.
    let written = refer_sim::twiml::write(&p.response.unwrap());
    assert!(written.contains(" a0=\"v\"") && written.contains(" a1499=\"v\""), "{written:.200}");
}

#[test]
fn up_to_the_cap_every_diagnostic_is_listed() {
    let p = parse(&attributes(MAX_DIAGNOSTICS));
    assert_eq!(p.diagnostics.len(), MAX_DIAGNOSTICS);
    assert!(p.diagnostics.iter().all(|d| d.code == "unknown_attribute"));
}
