//! Every `doc` tag names its page: each `doc` step of every catalogue timeline
//! and each `doc` diagnostic carries a `source` id that is an entry of
//! `src/sources.md` whose sentence was read (not one only `named`), and no
//! `rfc` or `assumed` one claims an id. Runs natively and in WASM (the sources
//! file is compiled in); the scan of the Rust sources for id literals is native only.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeMap;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::simulate;
use refer_sim::twiml::{check_transfer, parse, Diagnostic, Role};
use refer_sim::Provenance;

const SOURCES: &str = include_str!("../../src/sources.md");

/// Whether an entry's sentence was read (`true`) or only named (`false`).
type Entries = BTreeMap<String, bool>;

/// The entries of `src/sources.md` sections 1 to 8: table rows whose first cell is a
/// backquoted id. A row is `named` when a cell says so (`named` or `*named*`); a row of
/// another product's article (`*other product*`) is as unusable for a `doc` tag.
fn entries() -> Entries {
    let mut out = Entries::new();
    for line in SOURCES.lines().take_while(|l| !l.starts_with("## 9.")) {
        let cells: Vec<&str> = line.split(" | ").map(str::trim).collect();
        let Some(first) = cells.first().and_then(|c| c.strip_prefix("| `")).and_then(|c| c.strip_suffix('`')) else {
            continue;
        };
        let named = cells.iter().any(|c| *c == "named" || c.starts_with("*named*") || c.starts_with("*other product*"));
        out.insert(first.to_string(), !named);
    }
    out
}

/// What is wrong with a tag and its source, or `None`.
fn fault(tag: Provenance, source: Option<&str>, entries: &Entries) -> Option<String> {
    match (tag, source) {
        (Provenance::Doc(id), Some(s)) if id != s => Some(format!("source {s} differs from the tag's {id}")),
        (Provenance::Doc(id), _) => match entries.get(id) {
            None => Some(format!("source {id} is not an entry of src/sources.md")),
            Some(false) => Some(format!("source {id} is only named in src/sources.md (no sentence read), or another product's")),
            Some(true) => None,
        },
        (_, Some(s)) => Some(format!("{tag} claims the source {s}")),
        (_, None) => None,
    }
}

#[test]
fn sources_md_lists_the_entries_the_tags_use() {
    let e = entries();
    assert!(e.len() > 80, "{} entries", e.len());
    for (id, read) in
        [("refer.aob-false", true), ("error.11205", true), ("webhook.total-timeout", true), ("dial.timeout-buffer", false)]
    {
        assert_eq!(e.get(id), Some(&read), "{id}");
    }
}

#[test]
fn every_doc_step_of_every_catalogue_timeline_names_a_read_source() {
    let entries = entries();
    let mut docs = 0;
    for entry in catalogue() {
        let t = simulate(&entry.scenario).unwrap_or_else(|e| panic!("{}: {e}", entry.id));
        for s in &t.steps {
            if let Some(f) = fault(s.tag, s.source, &entries) {
                panic!("{} at {} ms, {:?} \"{}\": {f}", entry.id, s.at_ms, s.kind, s.narration);
            }
            docs += usize::from(s.source.is_some());
            let json = serde_json::to_value(s).expect("a step serializes");
            assert_eq!(json["source"], serde_json::json!(s.source), "{}: the source field in JSON", entry.id);
            assert_eq!(json["tag"], serde_json::json!(s.tag.as_str()), "{}: the tag stays a string", entry.id);
        }
    }
    assert!(docs > 100, "{docs} doc steps");
}

/// Every document the tests know: the catalogue's TwiML, plus one that raises each
/// documented check (parser, schema and transfer checks).
fn documents() -> Vec<(String, Role)> {
    let mut out = Vec::new();
    for e in catalogue() {
        out.push((e.scenario.initial_twiml.clone(), Role::Initial));
        out.extend(e.scenario.app.values().filter_map(|a| a.twiml.clone()).map(|x| (x, Role::ReferResponse)));
    }
    let ok = r#" referUrl="https://e.com/h""#;
    let dial = |attrs: &str, nouns: &str| format!("<Response><Dial{attrs}>{nouns}</Dial></Response>");
    #[rustfmt::skip]
    let more = [
        (dial("", "<Sip>sip:a@e.com</Sip>"), Role::Initial),
        (dial(&format!("{ok} answerOnBridge=\"true\" referMethod=\"PUT\" foo=\"1\""), "<Conference>r</Conference><Blah/>"), Role::Initial),
        (dial(&format!("{ok} answerOnBridge=\"false\" timeout=\"x\""), &"<Number>+1</Number>".repeat(11)), Role::Initial),
        (dial(ok, &"<Client>c</Client>".repeat(11)), Role::ReferResponse),
        (dial(ok, &format!("<Sip>sip:{}@e.com?Foo=1&amp;X-L={}</Sip>", "a".repeat(260), "b".repeat(1030))), Role::Initial),
        (dial(ok, "<Sip>sips:a@e.com;transport=sctp</Sip><Application/><WhatsApp>1</WhatsApp>"), Role::Initial),
        (dial(ok, "<Sip>sip:a@e.com?X-Twilio-Foo=1</Sip>"), Role::Initial),
        ("<Response><Refer method=\"PUT\"/><Connect/>text</Response>".into(), Role::ReferResponse),
        ("<Response><Say>hi</Say></Response>".into(), Role::Initial),
        ("<Response><Say>hi</Say></Response>".into(), Role::ReferResponse),
        ("<Response><Enqueue>q</Enqueue></Response>".into(), Role::Initial),
        ("<Other/>".into(), Role::Initial),
        ("<Response><Dial></Response>".into(), Role::Initial),
        ("<Response>&bogus;</Response>".into(), Role::Initial),
    ];
    out.extend(more);
    out
}

#[test]
fn every_doc_diagnostic_names_a_read_source() {
    let entries = entries();
    let mut seen: BTreeMap<&'static str, Provenance> = BTreeMap::new();
    for (xml, role) in documents() {
        let mut all: Vec<Diagnostic> = check_transfer(&xml, role);
        all.extend(parse(&xml).diagnostics);
        for d in &all {
            if let Some(f) = fault(d.provenance, d.provenance.source(), &entries) {
                panic!("{} in {xml:?}: {f}", d.code);
            }
            let json = serde_json::to_value(d).expect("a diagnostic serializes");
            assert_eq!(json["source"], serde_json::json!(d.provenance.source()), "{}: the source field in JSON", d.code);
            assert_eq!(json["provenance"], serde_json::json!(d.provenance.as_str()), "{}: the tag stays a string", d.code);
            seen.insert(d.code, d.provenance);
        }
    }
    // The documents above reach every documented check.
    for code in [
        "no_refer_url",
        "bad_refer_method",
        "refer_unsupported_noun",
        "no_dial",
        "refer_response_without_dial",
        "answer_on_bridge_true",
        "answer_on_bridge_false",
        "answer_on_bridge_absent",
        "too_many_numbers",
        "too_many_clients",
        "sip_uri_too_long",
        "sip_headers_too_long",
        "sip_header_not_custom",
        "sip_header_twilio_prefix",
        "refer_verb_sip_only",
        "refer_without_sip",
        "refer_url_optional",
        "unknown_attribute",
        "unknown_element",
        "unexpected_text",
        "bad_enum",
        "not_a_number",
        "root_not_response",
        "xml_malformed",
        "unknown_entity",
    ] {
        assert!(matches!(seen.get(code), Some(Provenance::Doc(_))), "{code}: {:?}", seen.get(code));
    }
}

/// Native only: every source id written in the Rust sources (a string literal shaped
/// like `family.name`) is an entry that was read, so a tag never reached by the
/// catalogue or the documents above is checked too.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_source_id_in_the_code_is_a_read_entry() {
    const FAMILIES: &[&str] = &[
        "refer.",
        "notify.",
        "cancel-refer.",
        "referverb.",
        "siptwiml.",
        "dial.",
        "sip.",
        "number.",
        "client.",
        "application.",
        "whatsapp.",
        "error.",
        "webhook.",
    ];
    // Literals of that shape that are not source ids (a host name).
    const NOT_IDS: &[&str] = &["sip.twilio.invalid"];
    let entries = entries();
    let mut files = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    let mut found = 0;
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).expect("src is readable").map(|e| e.expect("a directory entry").path()));
            continue;
        }
        if p.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("a source file");
        for (i, line) in text.lines().enumerate() {
            for lit in line.split('"').skip(1).step_by(2) {
                let shaped = FAMILIES.iter().any(|f| lit.starts_with(f))
                    && lit.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
                if shaped && !NOT_IDS.contains(&lit) {
                    found += 1;
                    assert_eq!(entries.get(lit), Some(&true), "{}:{}: \"{lit}\"", p.display(), i + 1);
                }
            }
        }
    }
    assert!(found > 40, "{found} ids found");
}
