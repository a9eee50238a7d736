//! The package's format for parse results and findings (src/twiml/compact.rs, decoded by
//! pkg/decode.js's `decodeParsedTwiml` and `decodeFindings`) against serde_json, natively: for
//! every input of the TwiML fuzz corpus, the TwiML corpus and a few edge documents,
//! `ParsedView::write_compact` (and `write_findings` of `check_transfer` in both roles) read
//! back by a reader that follows pkg/decode.js step by step equals serde_json's value of
//! `parse` (of the findings), keys in the same order (serde_json's `preserve_order` is off, so the order is compared on its own,
//! against the field order serde writes). pkg/twiml_shapes.js is checked against SHAPES.
#![cfg(not(target_arch = "wasm32"))]

use refer_sim::twiml::{check_transfer, compact, parse, parse_view, Role};
use serde_json::{Map, Value};

use crate::common;

/// pkg/decode.js's `decodeParsedTwiml`, in Rust.
struct Reader {
    u: common::Units,
}

reads_units!(Reader);

impl Reader {
    fn span(&mut self) -> Value {
        let (start, end) = (self.num(), self.num());
        obj(vec![("start", start.into()), ("end", end.into())])
    }
    fn attrs(&mut self) -> Value {
        let n = self.num();
        Value::Array(
            (0..n)
                .map(|_| obj(vec![("name", self.text().into()), ("value", self.text().into()), ("span", self.span())]))
                .collect(),
        )
    }
    fn children(&mut self) -> Value {
        let mut out = Vec::new();
        loop {
            let token = self.num();
            out.push(match token {
                0 => return Value::Array(out),
                1 | 3 => {
                    let kind = if token == 1 { "Text" } else { "text" };
                    obj(vec![("type", kind.into()), ("value", self.text().into()), ("span", self.span())])
                }
                2 | 4 => {
                    let kind = if token == 2 { "Unknown" } else { "element" };
                    let name = self.text();
                    obj(vec![
                        ("type", kind.into()),
                        ("name", name.into()),
                        ("attributes", self.attrs()),
                        ("children", self.children()),
                        ("span", self.span()),
                    ])
                }
                shape => {
                    let (kind, keys) = compact::SHAPES[shape as usize - 5];
                    let mut fields: Vec<(String, Value)> = keys.iter().map(|k| (k.to_string(), Value::Null)).collect();
                    loop {
                        let i = self.num() as usize;
                        if i == 0 {
                            break;
                        }
                        fields[i - 1].1 = match self.next() {
                            1 => false.into(),
                            2 => true.into(),
                            3 => self.num().into(),
                            5 => self.text().into(),
                            t => panic!("value tag {t}"),
                        };
                    }
                    let mut o = vec![("type".to_string(), Value::from(kind))];
                    o.extend(fields);
                    o.push(("attributes".into(), self.attrs()));
                    o.push(("children".into(), self.children()));
                    o.push(("span".into(), self.span()));
                    ordered(o)
                }
            });
        }
    }
    fn diagnostic(&mut self) -> Value {
        let code = self.text();
        let severity = ["error", "warning", "info"][self.num() as usize];
        let message = self.text();
        let span = self.span();
        let (line, column) = (self.num(), self.num());
        let tag = if self.num() == 1 { Value::from(self.text()) } else { Value::Null };
        let (provenance, source) = match self.num() {
            0 => ("doc", Value::from(self.text())),
            1 => ("rfc", Value::Null),
            _ => ("assumed", Value::Null),
        };
        let vendor = match self.num() {
            0 => Value::Null,
            n => Value::from(n - 1),
        };
        obj(vec![
            ("code", code.into()),
            ("severity", severity.into()),
            ("message", message.into()),
            ("span", span),
            ("line", line.into()),
            ("column", column.into()),
            ("tag", tag),
            ("provenance", provenance.into()),
            ("source", source),
            ("vendorCode", vendor),
        ])
    }
    fn diagnostics(&mut self) -> Value {
        let n = self.num();
        Value::Array((0..n).map(|_| self.diagnostic()).collect())
    }
    fn result(&mut self) -> Value {
        let response = match self.num() {
            0 => Value::Null,
            _ => obj(vec![("attributes", self.attrs()), ("children", self.children()), ("span", self.span())]),
        };
        obj(vec![("response", response), ("diagnostics", self.diagnostics())])
    }
}

/// Objects with their keys in order: each object is an array of `[key, value]` pairs, so that
/// comparing two values compares the order of keys too.
fn ordered(pairs: Vec<(String, Value)>) -> Value {
    Value::Array(pairs.into_iter().map(|(k, v)| Value::Array(vec![k.into(), v])).collect())
}

fn obj(pairs: Vec<(&str, Value)>) -> Value {
    ordered(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// serde_json's text of `value` as `ordered` objects, keys in the order serde wrote them.
fn serde_ordered(text: &str) -> Value {
    // Read token by token: serde_json's Map would sort the keys.
    let mut de = serde_json::Deserializer::from_str(text);
    let v = ordered_value(&mut de);
    de.end().expect("one value");
    v
}

fn ordered_value(de: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>) -> Value {
    use serde::de::{Deserializer as _, MapAccess, SeqAccess, Visitor};
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Value;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("JSON")
        }
        fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_str<E>(self, v: &str) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_string<E>(self, v: String) -> Result<Value, E> {
            Ok(v.into())
        }
        fn visit_unit<E>(self) -> Result<Value, E> {
            Ok(Value::Null)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = a.next_element_seed(Seed)? {
                out.push(v);
            }
            // Arrays of the result stay arrays; objects become arrays of pairs, so wrap
            // arrays once to tell the two apart.
            Ok(Value::Object(Map::from_iter([("array".to_string(), Value::Array(out))])))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
            let mut pairs = Vec::new();
            while let Some(k) = a.next_key::<String>()? {
                pairs.push((k, a.next_value_seed(Seed)?));
            }
            Ok(ordered(pairs))
        }
    }
    struct Seed;
    impl<'de> serde::de::DeserializeSeed<'de> for Seed {
        type Value = Value;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    de.deserialize_any(V).expect("serde_json's own text")
}

/// `xml`'s parse result and its findings in both roles, written and read back, against serde_json.
fn check(xml: &str) {
    let mut out = String::new();
    parse_view(xml).write_compact(&mut out).expect("written");
    let mut r = Reader { u: common::Units::new(&out) };
    let got = r.result();
    assert!(r.done(), "the whole result is read: {xml:?}");
    let expected = serde_ordered(&serde_json::to_string(&parse(xml)).expect("serde_json writes it"));
    assert_eq!(normalise(unwrap_marked(expected)), normalise(got), "{xml:?}");
    for role in [Role::Initial, Role::ReferResponse] {
        let findings = check_transfer(xml, role);
        compact::write_findings(&findings, &mut out);
        let mut r = Reader { u: common::Units::new(&out) };
        let got = r.diagnostics();
        assert!(r.done(), "the whole result is read: {xml:?}");
        let expected = serde_ordered(&serde_json::to_string(&findings).expect("serde_json writes it"));
        assert_eq!(normalise(unwrap_marked(expected)), normalise(got), "{xml:?}");
    }
}

/// serde_ordered's arrays unwrapped again, now that objects are pairs (an empty object is an
/// empty array of pairs either way).
fn unwrap_marked(v: Value) -> Value {
    match v {
        Value::Object(mut o) => match o.remove("array") {
            Some(Value::Array(a)) => Value::Array(a.into_iter().map(unwrap_marked).collect()),
            _ => unreachable!("only arrays are marked"),
        },
        Value::Array(pairs) => Value::Array(
            pairs
                .into_iter()
                .map(|p| match p {
                    Value::Array(mut kv) => {
                        let v = kv.pop().expect("value");
                        Value::Array(vec![kv.pop().expect("key"), unwrap_marked(v)])
                    }
                    other => other,
                })
                .collect(),
        ),
        other => other,
    }
}

/// Numbers as JS holds them (doubles).
fn normalise(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::from(n.as_f64().expect("a number")),
        Value::Array(a) => Value::Array(a.into_iter().map(normalise).collect()),
        other => other,
    }
}

fn inputs() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/twiml");
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("corpus").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let mut out: Vec<String> =
        files.iter().map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("readable")).into_owned()).collect();
    let corpus: Value = serde_json::from_str(include_str!("../data/twiml_corpus.json")).expect("JSON");
    out.extend(corpus["cases"].as_array().expect("cases").iter().map(|c| c["xml"].as_str().expect("xml").to_owned()));
    out
}

#[test]
fn parse_results_equal_serde_json_keys_in_order_over_the_corpora() {
    let inputs = inputs();
    assert!(inputs.len() > 500, "{} inputs", inputs.len());
    for xml in &inputs {
        check(xml);
    }
}

#[test]
fn edge_documents_equal_serde_json() {
    let all_typed = r#"<Response a="1"><Dial action="/a" method="GET" timeout="x" hangupOnStar="true" timeLimit="4294967296" answerOnBridge="false" referUrl="é😀" bogus="1">+1 <Sip username="u" method="PUT">sip:a@b</Sip><Number>1</Number><Client>c<Identity>i</Identity></Client><Conference muted="true" maxParticipants="7">r</Conference><Queue>q</Queue><Sim>s</Sim><Application/></Dial><Say loop="2" voice="v">hi<break time="1s"/></Say><Play loop="0" digits="1">u</Play><Pause length="3"/><Gather input="dtmf" numDigits="2" bargeIn="false">t<Say>s</Say><Play>p</Play><Pause/><X/></Gather><Hangup/><Redirect method="POST">/r</Redirect><Reject reason="busy"><Parameter/></Reject><Enqueue waitUrl="/w">q</Enqueue><Leave/><Record playBeep="true" maxLength="9"/><Refer action="/x">y<Sip>sip:r@s</Sip><Foo/></Refer>text<Connect/><Sip>z</Sip></Response>"#;
    for xml in [
        "",
        "<Response/>",
        "<Say/>",
        "<Response><Say>a</Dial></Response>",
        "<!DOCTYPE x><Response/>",
        all_typed,
        "<Response>\n  <Say>\r\nhi &amp; &#x1F600; <![CDATA[<x>]]></Say>\n</Response>",
    ] {
        check(xml);
    }
    // Past 64 kB the view reads the text twice; the result is the same.
    let big = format!("<Response>{}<Say bad=\"1\">x</Say></Response>", "<Pause length=\"2\"/>".repeat(5000));
    check(&big);
    let attrs: String = (0..1500).map(|i| format!(" a{i}=\"v\"")).collect();
    check(&format!("<Response><Say{attrs}>x</Say></Response>"));
}

/// pkg/twiml_shapes.js as it must read: one object literal per shape of SHAPES.
fn shapes_file() -> String {
    let mut js = String::from(
        "// parseTwiml's typed nodes (src/twiml/compact.rs) for pkg/decode.js. Written by tests/it/twiml_compact.rs\n\
         // (REFER_SIM_WRITE_SHAPES=1 cargo test --test it twiml_compact::), which fails while this file differs.\n\
         export const SHAPES = [\n",
    );
    for (tag, keys) in refer_sim::twiml::compact::SHAPES {
        js.push_str(&format!("(f,a,c,s)=>({{type:{tag:?},"));
        for key in keys.iter() {
            js.push_str(&format!("{key}:f(),"));
        }
        js.push_str("attributes:a(),children:c(),span:s()}),\n");
    }
    js.push_str("];\n");
    js
}

#[test]
fn the_package_makes_each_shape_as_the_module_writes_it() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pkg/twiml_shapes.js");
    let expected = shapes_file();
    if std::env::var_os("REFER_SIM_WRITE_SHAPES").is_some() {
        std::fs::write(&path, &expected).expect("writable");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "pkg/twiml_shapes.js is not SHAPES': run REFER_SIM_WRITE_SHAPES=1 cargo test --test it twiml_compact::"
    );
}
