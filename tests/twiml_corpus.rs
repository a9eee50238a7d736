//! Differential test against the vendor's helper library: every document of
//! `tests/data/twiml_corpus.json` (built with twilio-node 6.2.0 by
//! `tests/js/gen/twiml_corpus.mjs`) is rebuilt from its recorded calls with
//! the Rust builder and must be byte-identical; then parse(write(x)) == x.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::twiml::builder::{replay, Call};
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
    serde_json::from_str(include_str!("data/twiml_corpus.json")).expect("the corpus is valid JSON")
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
