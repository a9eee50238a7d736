//! Differential test against the vendor's helper library: every document of
//! `tests/data/twiml_corpus.json` (built with twilio-node 6.2.0 by
//! `tests/js/gen/twiml_corpus.mjs`) is rebuilt from its recorded calls with
//! the Rust builder and must be byte-identical; then parse(write(x)) == x.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::twiml::builder::{attr_string, js_string, replay, replay_encoded, Call, JsArg};
use refer_sim::twiml::{parse, write, Severity};

#[derive(serde::Deserialize)]
struct Corpus {
    source: String,
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    calls: Vec<Call>,
    xml: String,
}

fn corpus() -> Corpus {
    serde_json::from_str(include_str!("../data/twiml_corpus.json")).expect("the corpus is valid JSON")
}

#[test]
fn the_corpus_is_large_and_names_its_source() {
    let c = corpus();
    assert!(c.source.contains("twilio-node 6.2.0"));
    assert!(c.cases.len() >= 60, "{} cases", c.cases.len());
    for verb in ["Dial", "Say", "Play", "Pause", "Gather", "Hangup", "Redirect", "Reject", "Enqueue", "Leave", "Record", "Refer"]
    {
        assert!(c.cases.iter().any(|k| k.xml.contains(&format!("<{verb}"))), "no <{verb}> in the corpus");
    }
    for noun in ["Sip", "Number", "Client", "Conference", "Queue", "Sim"] {
        assert!(c.cases.iter().any(|k| k.xml.contains(&format!("<{noun}"))), "no <{noun}> in the corpus");
    }
    for esc in ["&amp;", "&lt;", "&gt;", "&quot;", "'", "😀", "&#xD;", "&#xA;", "&#x9;"] {
        assert!(c.cases.iter().any(|k| k.xml.contains(esc)), "no {esc} in the corpus");
    }
}

#[test]
fn the_rust_builder_writes_the_same_bytes() {
    let mut failures = Vec::new();
    for case in corpus().cases {
        let b = replay(&case.calls).unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let ours = b.to_xml();
        if ours != case.xml {
            failures.push(format!("{}:\n  twilio: {}\n  ours:   {}", case.name, case.xml, ours));
        }
        assert_eq!(write(&b.to_response()), ours, "{}: writing the typed model = writing the tree", case.name);
    }
    assert!(failures.is_empty(), "{} differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn parse_of_write_is_the_model() {
    for case in corpus().cases {
        let built = replay(&case.calls).unwrap().to_response();
        let p = parse(&case.xml);
        assert!(
            p.diagnostics.iter().all(|d| d.severity != Severity::Error || d.code == "not_a_number"),
            "{}: {:?}",
            case.name,
            p.diagnostics
        );
        let parsed = p.response.unwrap_or_else(|| panic!("{}: parsed", case.name));
        assert_eq!(parsed.without_spans(), built, "{}", case.name);
        assert_eq!(write(&parsed), case.xml, "{}: write(parse(xml)) == xml", case.name);
    }
}

/// `s` as the compact call text writes a string: its UTF-16 length, a comma, the text.
fn compact_str(s: &str) -> String {
    format!("{},{s}", s.encode_utf16().count())
}

/// The corpus calls in the compact text pkg/voice_response.js records (builder ids, `None` attributes dropped).
fn compact(calls: &[Call]) -> String {
    let mut ids = vec![(0, 0)];
    let mut next = 1;
    let mut out = String::new();
    for c in calls {
        let parent = ids.iter().find(|(rec, _)| *rec == c.parent).map(|(_, mine)| *mine).expect("recorded parent");
        let text = (!c.text.is_null()).then(|| js_string(&JsArg::from_json(&c.text)));
        if c.method == "addText" {
            out += &format!("t{parent},{}", compact_str(&text.unwrap_or_default()));
            continue;
        }
        let attrs: Vec<_> = c
            .attrs
            .iter()
            .filter_map(|(k, v)| attr_string(&JsArg::from_json(v)).map(|v| compact_str(k) + &compact_str(&v)))
            .collect();
        out += &format!("c{parent},{}{},{}", compact_str(&c.method), attrs.len(), attrs.concat());
        out += &text.map_or("-".to_string(), |t| compact_str(&t));
        if let Some(rec) = c.id {
            ids.push((rec, next));
        }
        next += 1;
    }
    out
}

#[test]
fn the_compact_calls_of_the_js_builder_write_the_same_bytes() {
    for case in corpus().cases {
        let text = compact(&case.calls);
        let b = replay_encoded(&text).unwrap_or_else(|e| panic!("{}: {e} in {text:?}", case.name));
        assert_eq!(b.to_xml(), case.xml, "{}", case.name);
        assert_eq!(
            b.to_xml(),
            refer_sim::twiml::writer::write_document(&b.to_element()),
            "{}: arena writer = tree writer",
            case.name
        );
    }
}

#[test]
fn compact_calls_are_checked_like_calls() {
    let code = |text: &str| replay_encoded(text).err().map(|e| e.code);
    assert_eq!(code("c0,4,dial0,-c1,3,sip0,5,sip:x"), None);
    assert_eq!(code("c0,4,dial0,-c1,3,say0,-"), Some("not_allowed"));
    assert_eq!(code("c0,3,say1,2,1a1,x-"), Some("invalid_name"));
    assert_eq!(code("c0,3,say0,1,\u{1}"), Some("invalid_char"));
    assert_eq!(code("t0,1,\u{1}"), Some("invalid_char"));
    assert_eq!(code("c0,3,say0,2,\u{1F600}"), None, "lengths count UTF-16 units");
    for bad in ["x0,", "c0,3,sa", "c0,3,say0,9,abc", "c0,3,say1,", "cz,3,say0,-", "t0,2,\u{1F600}x", "c0,3,say0,1,\u{1F600}"] {
        assert_eq!(code(bad), Some("bad_encoding"), "{bad:?}");
    }
    assert_eq!(code("c5,3,say0,-"), Some("unknown_node"));
}
