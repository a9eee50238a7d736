//! Every TwiML diagnostic's span, for every input of the committed fuzz corpus
//! (fuzz/corpus/twiml/, inputs afl found to reach new code), begins and ends on a character
//! boundary of the document: the package turns byte offsets into UTF-16 offsets and a line
//! and column, and an offset inside a character has neither. The fuzz target checks only
//! that a span lies inside the document; the spans new in this round (after a byte order
//! mark, a `<Sip>` URI header's span followed through references, CDATA and comments) are
//! computed byte by byte. `FUZZ_QUEUE=dir` checks the files of another folder too (an afl
//! queue: `$FUZZ_OUT/twiml/default/queue`).
#![cfg(not(target_arch = "wasm32"))]

use refer_sim::twiml::{check_transfer, parse, Role};
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// The diagnostics of `doc` whose span is not a range of whole characters inside it.
fn off_boundary(doc: &str) -> Vec<String> {
    let parsed = parse(doc);
    let mut bad = Vec::new();
    for role in [Role::Initial, Role::ReferResponse] {
        for d in parsed.diagnostics.iter().chain(&check_transfer(doc, role)) {
            if doc.get(d.span.start..d.span.end).is_none() {
                bad.push(format!("{} at {:?}", d.code, d.span));
            }
        }
    }
    bad
}

#[test]
fn every_span_of_the_fuzz_corpus_is_whole_characters() {
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/twiml")];
    dirs.extend(std::env::var_os("FUZZ_QUEUE").map(PathBuf::from));
    let mut checked = 0;
    for dir in dirs {
        for file in files(&dir) {
            let doc = String::from_utf8_lossy(&std::fs::read(&file).unwrap()).into_owned();
            // The same document after a byte order mark: every offset 3 bytes on.
            for doc in [doc.clone(), format!("\u{FEFF}{doc}")] {
                let bad = off_boundary(&doc);
                assert!(bad.is_empty(), "{}: {bad:?} in {doc:?}", file.display());
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} documents");
}

/// Multi-byte characters before a `<Sip>` and inside the markup of its text (a SIP URI itself
/// is ASCII): each header finding spans the header as written, on whole characters, before
/// and after a byte order mark.
#[test]
fn header_spans_are_whole_characters_around_multibyte_text() {
    let ok = "<Response><Say>日本</Say><Dial referUrl=\"https://example.com/ré\">";
    // (the <Sip> text as written, the header as written)
    for (sip, header) in [
        ("sip:b@e.com?X-A=1&amp;<!-- 日本 -->Foo=2", "Foo=2"),
        ("<!-- é -->sip:b@e.com?X-Twilio-A=1", "X-Twilio-A=1"),
        ("sip:b@e.com?X-A=1&amp;Foo=2<!-- ü -->", "Foo=2"),
        ("sip:b@e.com?Foo=2<?pi 日?>&amp;X-A=1", "Foo=2"),
        ("sip:b@e.com?X-A=<![CDATA[1&X-B=2]]>&amp;Bar=&#x41;", "Bar=&#x41;"),
    ] {
        for bom in ["", "\u{FEFF}"] {
            let doc = format!("{bom}{ok}<Sip>{sip}</Sip></Dial></Response>");
            let bad = off_boundary(&doc);
            assert!(bad.is_empty(), "{bad:?} in {doc:?}");
            let found = check_transfer(&doc, Role::Initial);
            let f = found.iter().find(|d| d.code == "sip_header_not_custom" || d.code == "sip_header_twilio_prefix");
            let f = f.unwrap_or_else(|| panic!("{doc:?}: {found:#?}"));
            assert_eq!(&doc[f.span.start..f.span.end], header, "{doc:?}");
        }
    }
}

/// A bare `&` in an attribute value is reported at the `&`, and a raw `<` at the `<`, also
/// when the attribute's name holds a quote or a `<` (quick-xml reads `a""b` and `a<b` as names):
/// the position was counted from the first quote, or the first `<`, of the attribute's text,
/// the one inside its name; in a corpus input it fell inside a multi-byte character.
#[test]
fn an_error_in_a_value_is_placed_in_the_value_whatever_the_name_holds() {
    #[rustfmt::skip]
    let cases = [
        ("<Response><Say a\"\"b=\"xy&z\">t</Say></Response>", "bad_reference", "&z\">"),
        ("<Response><Say \u{e9}\"\u{65e5}\"=\"xy&z\">t</Say></Response>", "bad_reference", "&z\">"),
        ("<Response><Say a<b=\"x<y\">t</Say></Response>", "lt_in_attribute", "<y\">"),
        ("<Response><Say a\"<\"b=\"x<y\">t</Say></Response>", "lt_in_attribute", "<y\">"),
        ("<Response><Say b=\"x<y\">t</Say></Response>", "lt_in_attribute", "<y\">"),
    ];
    for (doc, code, at) in cases {
        let p = parse(doc);
        let d = p.diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("{doc:?}: {:#?}", p.diagnostics));
        assert_eq!(doc.get(d.span.start..).map(|rest| rest.starts_with(at)), Some(true), "{doc:?}: {d:#?}");
    }
}
