//! What a scenario's `app` key and an answer's `redirectedTo` may be: a URL Twilio can request,
//! an absolute http(s) URL or a relative one (resolved against the document or request that named
//! it). Text that cannot be a URL is refused naming the field and, for a bad character, its byte.
//! Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{AppResponse, Scenario};

const H: &str = "https://example.com/handler";

fn busy() -> serde_json::Value {
    let entry = catalogue().into_iter().find(|e| e.id == "agentb-busy-aob-true").unwrap();
    serde_json::to_value(&entry.scenario).unwrap()
}

/// The scenario with one `app` entry keyed `key` (answering 404 after a redirect to `to`), read.
fn with_app(key: &str, to: Option<&str>) -> Result<Scenario, (String, Option<String>)> {
    let mut v = busy();
    let mut answer = serde_json::json!({ "status": 404, "twiml": "" });
    if let Some(to) = to {
        answer["redirectedTo"] = to.into();
    }
    v["app"] = serde_json::json!({ key: answer });
    Scenario::from_json(&v.to_string()).map_err(|e| (e.message, e.field))
}

#[test]
fn an_app_key_that_is_not_a_url_is_refused_naming_it() {
    // (key, the end of the message)
    let cases = [
        ("not a url at all", "byte 3 is a space or control character, which a URL cannot hold (a space is written %20)"),
        ("https://example.com/a\tb", "byte 21 is a space or control character"),
        ("", "it is empty"),
        ("ftp://example.com/handler", "Twilio requests only http and https URLs"),
        ("sip:AgentB@example.com", "Twilio requests only http and https URLs"),
        ("localhost:3000/handler", "Twilio requests only http and https URLs"),
        ("https:/handler", "it has no //host after the scheme"),
        ("http://", "it has no //host after the scheme"),
        ("https:///handler", "it has no //host after the scheme"),
        ("http://?q", "it has no //host after the scheme"),
    ];
    for (key, why) in cases {
        let (message, field) = with_app(key, None).unwrap_err();
        let path = format!("app[{}]", serde_json::to_string(key).unwrap());
        assert_eq!(field.as_deref(), Some(&*path), "{key:?}");
        assert!(
            message.starts_with(&format!(
                "{path} (the URL): {} is not a URL Twilio can request: ",
                serde_json::to_string(key).unwrap()
            )),
            "{message}"
        );
        assert!(message.contains(why), "{key:?}: {message}");
        assert!(message.ends_with("; write an absolute http(s) URL, or a relative one such as /handler"), "{message}");
    }
}

#[test]
fn urls_twilio_can_request_are_kept() {
    for key in [
        H,
        "HTTPS://EXAMPLE.COM/h",
        "http://127.0.0.1:3000/h?x=1#f",
        "/handler",
        "handler",
        "?q=1",
        "//example.com/h",
        "https://u:p@example.com",
    ] {
        assert!(with_app(key, None).is_ok(), "{key:?}");
        assert!(with_app(H, Some(key)).is_ok(), "redirectedTo {key:?}");
    }
}

#[test]
fn a_redirected_to_that_is_not_a_url_is_refused_in_a_scenario_and_in_an_answer() {
    let (message, field) = with_app(H, Some("not a url at all")).unwrap_err();
    assert_eq!(field.as_deref(), Some("app[\"https://example.com/handler\"].redirectedTo"));
    assert!(message.starts_with("app[\"https://example.com/handler\"].redirectedTo: \"not a url at all\" is not a URL Twilio can request: byte 3 is a space"), "{message}");
    // Its length was not checked in a scenario (only in an onWebhook answer).
    let long = format!("https://example.com/{}", "a".repeat(3000));
    let (message, _) = with_app(H, Some(&long)).unwrap_err();
    assert!(
        message.starts_with("app[\"https://example.com/handler\"].redirectedTo: 3020 bytes, over the limit of 2048"),
        "{message}"
    );
    let e = AppResponse::from_json(r#"{"status":404,"redirectedTo":"mailto:x@example.com"}"#).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("redirectedTo"));
    assert!(
        e.message.starts_with(
            "redirectedTo: \"mailto:x@example.com\" is not a URL Twilio can request: Twilio requests only http and https URLs"
        ),
        "{}",
        e.message
    );
}

#[test]
fn a_relative_redirected_to_is_resolved_against_the_url_requested() {
    let t = refer_sim::scenario::simulate(&with_app(H, Some("../gone?x=1")).unwrap()).unwrap();
    let failed = t.steps.iter().find(|s| s.narration.contains("answered HTTP 404")).expect("a failed request");
    assert!(failed.narration.starts_with("https://example.com/gone?x=1 answered HTTP 404"), "{}", failed.narration);
}
