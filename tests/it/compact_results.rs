//! The compact result format (src/wasm/compact.rs, decoded by pkg/decode.js) against
//! serde_json, natively: for every input of the fuzz corpora (fuzz/corpus/refer_to,
//! fuzz/corpus/twiml) and the TwiML corpus, the parsers' results written compactly and read
//! back by a reader that follows pkg/decode.js step by step equal serde_json's value of the
//! same result, keys in the same order. The JS side (tests/js) checks the package's decoder.
#![cfg(not(target_arch = "wasm32"))]

use crate::compact;

use serde_json::{Map, Value};

use crate::common;

/// pkg/decode.js's `decode`, in Rust (UTF-16 lengths, key table, 6-bit ASCII digits).
struct Reader {
    u: common::Units,
    keys: Vec<String>,
}

reads_units!(Reader);

impl Reader {
    fn value(&mut self) -> Value {
        match self.next() {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::from(self.num()),
            4 => Value::from(-(self.num() as i64)),
            5 => Value::String(self.text()),
            6 => {
                let mut a = Vec::new();
                while self.peek() != 9 {
                    a.push(self.value());
                }
                self.i += 1;
                Value::Array(a)
            }
            7 => {
                let mut o = Map::new();
                loop {
                    let k = self.num();
                    let key = match k {
                        0 => break,
                        1 => {
                            let t = self.text();
                            self.keys.push(t.clone());
                            t
                        }
                        k => self.keys[k as usize - 2].clone(),
                    };
                    o.insert(key, self.value());
                }
                Value::Object(o)
            }
            8 => {
                let bits = (self.num() << 32) | self.num();
                Value::from(f64::from_bits(bits))
            }
            t => panic!("tag {t} at {}", self.i - 1),
        }
    }
}

/// `value` written compactly and read back.
fn round_trip<T: serde::Serialize>(value: &T) -> Value {
    let mut out = String::new();
    compact::write(value, &mut out).expect("writable");
    let mut r = Reader { u: common::Units::new(&out), keys: Vec::new() };
    let v = r.value();
    assert!(r.done(), "the whole string is read");
    v
}

/// Numbers as JS holds them (doubles: `3.0` and `3` are one number).
fn as_js(v: Value) -> Value {
    match v {
        Value::Number(n) => Value::from(n.as_f64().expect("a number")),
        Value::Array(a) => Value::Array(a.into_iter().map(as_js).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, as_js(v))).collect()),
        other => other,
    }
}

fn same<T: serde::Serialize>(value: &T, what: &str) {
    let expected = as_js(serde_json::to_value(value).expect("serde_json writes it"));
    let got = as_js(round_trip(value));
    // serde_json's Map (without preserve_order) sorts keys, so this compares content; the
    // order of keys is checked in JS, against JSON.parse (tests/js/decode.test.mjs).
    assert_eq!(got, expected, "{what}");
}

fn corpus(dir: &str) -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").join(dir);
    let mut files: Vec<_> = std::fs::read_dir(path).expect("corpus").map(|e| e.expect("entry").path()).collect();
    files.sort();
    files.iter().map(|f| String::from_utf8_lossy(&std::fs::read(f).expect("readable")).into_owned()).collect()
}

#[test]
fn refer_to_results_equal_serde_json_over_the_fuzz_corpus() {
    let inputs = corpus("refer_to");
    assert!(inputs.len() > 50);
    for s in &inputs {
        if let Ok(r) = refer_sim::sip::parse_refer_to(s) {
            same(&r, s);
        }
    }
}

#[test]
fn twiml_results_equal_serde_json_over_the_fuzz_and_twiml_corpora() {
    let mut inputs = corpus("twiml");
    let twiml: Value = serde_json::from_str(include_str!("../data/twiml_corpus.json")).expect("JSON");
    inputs.extend(twiml["cases"].as_array().expect("cases").iter().map(|c| c["xml"].as_str().expect("xml").to_owned()));
    for s in &inputs {
        same(&refer_sim::twiml::parse(s), s);
        same(&refer_sim::twiml::check_transfer(s, refer_sim::twiml::Role::Initial), s);
    }
}

#[test]
fn numbers_floats_and_map_keys_as_serde_json_has_them() {
    use std::collections::BTreeMap;
    same(&(0u64, 0x3Fu64, 0x40u64, 0x3FFFu64, 0x4000u64, (1u64 << 53) - 1, -5i64, i64::MIN / 1024), "integers");
    same(&(1.5f64, -0.25f64, 3.0f64, 1e300f64), "floats");
    same(&BTreeMap::from([(1u32, "a"), (20, "b")]), "integer keys become text");
    same(&("\u{1F600}x", 'é', "__proto__"), "non-BMP text and chars");
    same(&Some(vec![Option::<u8>::None, Some(1)]), "options");
}

#[test]
fn catalogue_timelines_equal_serde_json_and_cross_as_ascii() {
    for entry in refer_sim::scenario::catalogue::catalogue() {
        let timeline = refer_sim::scenario::simulate(&entry.scenario).expect("catalogue scenarios run");
        same(&timeline, &entry.id);
        // The tokens are ASCII: a result whose texts are ASCII is an ASCII string (the glue's
        // TextDecoder takes its fast path for those).
        let mut out = String::new();
        compact::write(&timeline, &mut out).expect("writable");
        let json = serde_json::to_string(&timeline).expect("serde_json writes it");
        assert_eq!(out.is_ascii(), json.is_ascii(), "{}", entry.id);
    }
}
