//! One spelling of a path in the user's scenario (README, `err.field`: `refer.atMs`,
//! `endpoints["sip:AgentB@example.com"].answer`, `callerDigits[1]`: JavaScript's own, a
//! member `.name` when the key is an identifier and `["key"]` as `JSON.stringify` quotes it
//! otherwise), whatever went wrong: a value of the wrong type, an unknown member, a value past
//! a limit, and the warnings of a run (which wrote `endpoints["b"]` with Rust's quoting where
//! the errors wrote `endpoints.b`). And a text that is not a scenario object (a catalogue id,
//! an array) says so, with no field (it named `[0]`, or said "expected value at line 1 column 1").
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Scenario};
use serde_json::{json, Value};

/// The README's spelling of member `key` of `parent`, written here independently of the crate.
fn js_path(parent: &str, key: &str) -> String {
    let mut chars = key.chars();
    let identifier = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if identifier {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", serde_json::to_string(key).unwrap())
    }
}

fn base() -> Value {
    let entry = catalogue().into_iter().find(|e| e.id == "agentb-answers-aob-true").unwrap();
    serde_json::to_value(&entry.scenario).unwrap()
}

fn error(v: &Value) -> (&'static str, String, Option<String>) {
    let e = Scenario::from_json(&v.to_string()).unwrap_err();
    (e.code, e.message, e.field)
}

#[test]
fn every_kind_of_error_and_warning_spells_an_entry_alike() {
    for key in ["b", "AgentB", "$x_1", "sip:b@e.com", "x y", "a\"b\\c", "é", "1b"] {
        let entry = js_path("endpoints", key);
        // (what is wrong, the endpoint entry, the path of the value the error names)
        let cases = [
            ("a value of the wrong type", json!({ "afterMs": "soon" }), format!("{entry}.afterMs")),
            ("an unknown member", json!({ "answr": "busy" }), format!("{entry}.answr")),
            ("a value not in the list", json!({ "answer": "bussy" }), format!("{entry}.answer")),
            ("a time past the limit", json!({ "afterMs": 1u64 << 45 }), format!("{entry}.afterMs")),
            ("a header name without X-", json!({ "responseHeaders": { "Y": "1" } }), format!("{entry}.responseHeaders.Y")),
        ];
        for (why, endpoint, path) in cases {
            let mut v = base();
            v["endpoints"][key] = endpoint;
            let (_, message, field) = error(&v);
            assert_eq!(field.as_deref(), Some(path.as_str()), "{key:?}: {why}: {message}");
            assert!(message.starts_with(&format!("{path}: ")), "{key:?}: {why}: {message}");
        }
        // A run's warning about the same entry: the same spelling.
        let mut v = base();
        v["endpoints"][key] = json!({ "answer": "busy" });
        // An app key is a URL: its space written %20 (a space is refused, tests/it/webhook_url_values.rs).
        let url = format!("https://e.com/{}", key.replace(' ', "%20"));
        v["app"][&url] = json!({ "twiml": "<Response/>", "latencyMs": 20000 });
        let t = simulate(&Scenario::from_json(&v.to_string()).unwrap()).unwrap();
        let unused = t.warnings.iter().find(|w| w.code == "unused_endpoint").unwrap();
        assert_eq!(unused.field, entry, "{key:?}");
        assert!(unused.message.starts_with(&entry), "{}", unused.message);
        let app = js_path("app", &url);
        for (code, field) in [("unused_app", app.clone()), ("slow_app", format!("{app}.latencyMs"))] {
            let w = t.warnings.iter().find(|w| w.code == code).unwrap_or_else(|| panic!("{code}: {:#?}", t.warnings));
            assert_eq!(w.field, field, "{key:?}");
            assert!(w.message.starts_with(&app), "{}", w.message);
        }
    }
}

#[test]
fn a_text_that_is_not_a_scenario_object_says_so_without_a_field() {
    // (the text, what the message says)
    #[rustfmt::skip]
    let cases = [
        ("agentb-busy-aob-true", "not the text \"agentb-busy-aob-true\": a catalogue scenario is looked up by its id with scenarios() (scenarios().find((e) => e.id === \"agentb-busy-aob-true\").scenario), or run by the command line (refer-sim run agentb-busy-aob-true)"),
        ("  \"agentb-busy-aob-true\"\n", "refer-sim run agentb-busy-aob-true"),
        ("[]", "not an array"),
        ("[{\"refer\": 1}]", "not an array"),
        ("5", "not the text \"5\""),
        ("null", "not the text \"null\""),
    ];
    for (text, says) in cases {
        let e = Scenario::from_json(text).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), ("not_a_scenario", None), "{text:?}: {}", e.message);
        assert!(
            e.message.starts_with("expected a scenario object (or its JSON text)") && e.message.contains(says),
            "{text:?}: {}",
            e.message
        );
    }
    // An object keeps serde's words and positions; an empty text too.
    let e = Scenario::from_json("{\"refer\": 5}").unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), ("bad_scenario", Some("refer")));
    assert_eq!(Scenario::from_json("").unwrap_err().code, "bad_scenario");
}

/// What is taken for a catalogue id (and answered with where ids are looked up): a letter, then
/// letters, digits, `-` and `_`, at most 64 bytes, not a JSON literal; any other text is quoted,
/// cut at 64 characters.
#[test]
fn a_word_is_taken_for_a_catalogue_id_only_when_it_could_be_one() {
    let id64 = format!("a{}", "b-_9".repeat(15) + "cde");
    assert_eq!(id64.len(), 64);
    let id65 = format!("{id64}f");
    let hint = |id: &str| format!("not the text \"{id}\": a catalogue scenario is looked up by its id");
    for id in [id64.as_str(), "a", "Z9", "a_b", "x-y"] {
        let e = Scenario::from_json(id).unwrap_err();
        assert!(e.message.contains(&hint(id)), "{id:?}: {}", e.message);
        assert!(e.message.ends_with(&format!("(refer-sim run {id})")), "{id:?}: {}", e.message);
    }
    // Not ids: quoted as JSON strings are, the first 64 characters only.
    for (text, shown) in [
        (id65.as_str(), id64.as_str()),
        ("9a", "9a"),
        ("_a", "_a"),
        ("a.b", "a.b"),
        ("a b", "a b"),
        ("true", "true"),
        ("false", "false"),
        ("\"null\"", "\\\"null\\\""),
        ("é", "é"),
    ] {
        let e = Scenario::from_json(text).unwrap_err();
        assert_eq!(e.code, "not_a_scenario", "{text:?}");
        assert_eq!(e.message, format!("expected a scenario object (or its JSON text), not the text \"{shown}\""), "{text:?}");
    }
    let long = "日".repeat(70);
    let e = Scenario::from_json(&long).unwrap_err();
    assert_eq!(e.message, format!("expected a scenario object (or its JSON text), not the text \"{}\"", "日".repeat(64)));
}
