//! A requested URL's connection overrides (`webhook.fragments`): refer-sim simulates `#rt=` and
//! `#tt=` and no other. A retry count or policy (`#rc=3&rp=all`) used to pass in silence: the
//! run made one request and said nothing, so a handler's retries looked tested. Now each URL
//! with an override the run does not simulate is a scenario warning, `unsimulated_override`,
//! naming the keys, the document and the line. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario, ScenarioWarning};

fn warnings(refer_url: &str, answer: &str) -> Vec<ScenarioWarning> {
    let key = refer_url.replace("&amp;", "&");
    let json = serde_json::json!({
        "initialTwiml": format!("<Response>\n<Dial referUrl=\"{refer_url}\"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
        "app": { key: { "twiml": answer } },
    });
    let t = simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap();
    t.warnings.into_iter().filter(|w| w.code == "unsimulated_override").collect()
}

const TO_B: &str = "<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>";

#[test]
fn a_retry_override_on_the_refer_url_is_a_run_warning() {
    let w = warnings("https://example.com/h#rc=3&amp;rp=all&amp;rt=2000", TO_B);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].field, "initialTwiml");
    let m = &w[0].message;
    assert!(m.starts_with("line 2 column 7: <Dial> referUrl=\"https://example.com/h#rc=3&rp=all&rt=2000\": "), "{m}");
    assert!(m.contains("the connection overrides rc, rp "), "{m}");
    assert!(m.contains("(assumed)"), "{m}");
}

#[test]
fn an_override_in_a_fetched_document_is_a_run_warning() {
    let answer =
        "<Response><Dial action=\"https://example.com/after#ct=1000\"><Sip>sip:AgentB@example.com</Sip></Dial></Response>";
    let w = warnings("https://example.com/h", answer);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].field, "app[\"https://example.com/h\"].twiml");
    assert!(w[0].message.contains("the connection override ct "), "{}", w[0].message);
}

#[test]
fn the_simulated_overrides_and_plain_urls_are_not_warned_about() {
    for url in [
        "https://example.com/h",
        "https://example.com/h#rt=2000",
        "https://example.com/h#rt=2000&amp;tt=9000",
        "https://example.com/h#",
    ] {
        assert_eq!(warnings(url, TO_B), [], "{url}");
    }
}
