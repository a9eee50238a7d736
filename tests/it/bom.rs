//! A byte order mark (U+FEFF, 3 bytes in UTF-8) before a TwiML document: every diagnostic of
//! `parse` and `check_transfer` is the one of the same document without it, its span 3 bytes
//! later (offsets count bytes of the text as given, README and `refer_sim.d.ts`) and its line
//! and column the same (the mark is no column, `src/span.rs`). quick-xml skips the mark without
//! counting it, so spans came 3 bytes short: an attribute's span was then cut short by its
//! lookup (`not_a_number` {46,57} for {46,59}) and a column fell before its element.
//!
//! Bounded-exhaustive: every prefix (at every character boundary) of a table of documents
//! that between them raise each kind of parser error and many check findings, on several
//! lines; and every document of the TwiML corpus whole.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::twiml::{check_transfer, parse, Diagnostic, Role};
use refer_sim::{LineIndex, Span};

const BOM: &str = "\u{FEFF}";

/// Documents whose prefixes and wholes cover the parser's errors and the checks' findings.
const DOCUMENTS: &[&str] = &[
    r#"<Response><Dial referUrl="https://e.com/h" timeout="abc"><Sip>sip:b@e.com</Sip></Dial></Response>"#,
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response>\n  <Dial answerOnBridge=\"true\" timeout=\"3\" referUrl=\"https://e.com/h\">\n    <Sip>sip:AgentA@example.com?X-Twilio-Foo=1&amp;Foo=2</Sip>\n  </Dial>\n  <Say>é😀 done</Say>\n</Response>\n",
    "<Response>\r\n<Dial bogus=\"1\" record=\"sometimes\"><Number>+1555</Number></Dial>\r<Reject/><Say>after</Say></Response>",
    "<Response><Dial action=\"a&b\"/></Response>",
    "<Response><Dial action=\"a<b\"/></Response>",
    "<Response><Say>&nope;</Say></Response>",
    "<Response><Say>&#xFFFFFFFF;</Say></Response>",
    "<Response/><Response/>",
    "text<Response/>",
    "<Response><?xml version=\"1.0\"?></Response>",
    "<!DOCTYPE x><Response/>",
    "<Hangup/>",
    "<Response><1/><Dial a=b/></Response>",
    "<Response><Dial a=\"1\" a=\"2\"/></Response>",
    "<Response><Dial></Response>",
];

/// `d` as it must read after a byte order mark: the span 3 bytes later, all else the same.
fn shifted(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.span = Span { start: d.span.start + BOM.len(), end: d.span.end + BOM.len() };
    d
}

fn assert_shifted(what: &str, doc: &str, plain: &[Diagnostic], marked: &[Diagnostic]) {
    let want: Vec<Diagnostic> = plain.iter().map(shifted).collect();
    assert_eq!(marked, want.as_slice(), "{what} of {doc:?} after a BOM");
}

fn assert_same_after_a_bom(doc: &str) {
    let marked = format!("{BOM}{doc}");
    assert_shifted("parse", doc, &parse(doc).diagnostics, &parse(&marked).diagnostics);
    for role in [Role::Initial, Role::ReferResponse] {
        assert_shifted("check_transfer", doc, &check_transfer(doc, role), &check_transfer(&marked, role));
    }
}

#[test]
fn the_reported_document_shifts_by_three_bytes_and_keeps_its_columns() {
    let doc = DOCUMENTS[0];
    let marked = format!("{BOM}{doc}");
    let find = |ds: &[Diagnostic], code: &str| ds.iter().find(|d| d.code == code).cloned().unwrap();
    let (plain, with) = (check_transfer(doc, Role::Initial), check_transfer(&marked, Role::Initial));
    // (code, span without the mark, column)
    for (code, start, end, column) in [("not_a_number", 43, 56, 44), ("answer_on_bridge_absent", 10, 86, 11)] {
        let (p, w) = (find(&plain, code), find(&with, code));
        assert_eq!((p.span, p.line, p.column), (Span { start, end }, 1, column), "{code} without a BOM");
        assert_eq!((w.span, w.line, w.column), (Span { start: start + 3, end: end + 3 }, 1, column), "{code} after a BOM");
        assert_eq!(&marked[w.span.start..w.span.end], &doc[start..end], "{code}: the span covers the same text");
    }
}

#[test]
fn every_prefix_of_every_document_gives_the_same_diagnostics_shifted() {
    for doc in DOCUMENTS {
        for cut in (0..=doc.len()).filter(|&i| doc.is_char_boundary(i)) {
            assert_same_after_a_bom(&doc[..cut]);
        }
    }
}

#[test]
fn every_corpus_document_gives_the_same_diagnostics_shifted() {
    let corpus: serde_json::Value = serde_json::from_str(include_str!("../data/twiml_corpus.json")).unwrap();
    let cases = corpus["cases"].as_array().unwrap();
    assert!(cases.len() >= 60);
    for case in cases {
        assert_same_after_a_bom(case["xml"].as_str().unwrap());
    }
}

#[test]
fn a_bom_is_three_bytes_of_every_offset_and_no_column() {
    let text = "\u{FEFF}ab\ncd";
    let idx = LineIndex::new(text);
    // (byte offset, line, column)
    for (offset, line, column) in [(0, 1, 1), (1, 1, 1), (3, 1, 1), (4, 1, 2), (5, 1, 3), (6, 2, 1), (7, 2, 2)] {
        let p = idx.position(offset);
        assert_eq!((p.line, p.column, p.offset), (line, column, offset), "offset {offset}");
    }
    // A U+FEFF anywhere else is a character like any other (a zero-width no-break space).
    let idx = LineIndex::new("a\u{FEFF}b\n\u{FEFF}c");
    assert_eq!((idx.position(4).column, idx.position(9).column), (3, 2));
}
