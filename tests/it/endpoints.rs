//! Which `endpoints` entry applies to a party: keys are SIP addresses matched
//! by scheme, user and host (RFC 3261 §19.1.4), not strings; entries nothing
//! used come back as warnings on the timeline. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::BTreeMap;

use refer_sim::scenario::{endpoint_key, simulate, Answer, Endpoint, Scenario};
use refer_sim::transfer::{CallStatus, LegId};

/// (key, address dialled, whether the key applies)
#[rustfmt::skip]
const ONE_KEY: &[(&str, &str, bool)] = &[
    ("sip:AgentB@example.com", "sip:AgentB@example.com", true),
    ("sip:AgentB@example.com", "  sip:AgentB@example.com ", true),
    ("sip:AgentB@example.com", "sip:AgentB@EXAMPLE.com", true),
    ("sip:AgentB@Example.COM", "sip:AgentB@example.com", true),
    ("sip:AgentB@example.com", "sip:AgentB@example.com.", true),
    ("sip:AgentB@example.com", "sip:AgentB@example.com?X-Ticket=42", true),
    ("sip:AgentB@example.com", "sip:AgentB@example.com;transport=tls", true),
    ("sip:AgentB@example.com", "sip:AgentB@example.com:5061;transport=tls?X-Ticket=42", true),
    ("SIP:AgentB@example.com", "sip:AgentB@example.com", true),
    ("sip:AgentB@example.com", "sip:agentb@example.com", false),
    ("sip:AgentB@example.com", "sips:AgentB@example.com", false),
    ("sip:AgentB@example.com", "sip:AgentB@example.org", false),
    ("sip:AgentB@example.com", "sip:AgentC@example.com", false),
    ("sip:AgentB@example.com;transport=tls", "sip:AgentB@example.com", false),
    ("sip:AgentB@example.com;transport=tls", "sip:AgentB@example.com;transport=TLS", true),
    ("sip:AgentB@example.com;transport=tls", "sip:AgentB@example.com;transport=udp", false),
    ("sip:AgentB@example.com?X-Ticket=42", "sip:AgentB@example.com?X-Ticket=42&X-Other=1", true),
    ("sip:AgentB@example.com?X-Ticket=42", "sip:AgentB@example.com?x-ticket=42", true),
    ("sip:AgentB@example.com?X-Ticket=42", "sip:AgentB@example.com?X-Ticket=43", false),
    ("sip:AgentB@example.com?X-Ticket=42", "sip:AgentB@example.com", false),
    ("sip:AgentB@example.com:5060", "sip:AgentB@example.com", false),
    ("sip:AgentB@example.com:5060", "sip:AgentB@example.com:5060", true),
    ("sip:AgentB@10.0.0.1", "sip:AgentB@10.0.0.1:5060", true),
    ("AgentB", "sip:AgentB@example.com", true),
    ("AgentB", "sips:AgentB@anything.example.org;transport=tls", true),
    ("AgentB", "sip:AgentC@example.com", false),
    ("AgentB", "sip:agentb@example.com", false),
    ("+14155550123", "+14155550123", true),
    ("+14155550123", "sip:+14155550123@pbx.example.com", true),
    ("+14155550123", "tel:+14155550123", true),
    ("tel:+14155550123", "tel:+14155550123", true),
    ("client:alice", "client:alice", true),
    ("client:alice", "client:bob", false),
    ("AgentB@example.com", "sip:AgentB@example.com", false),
    ("<sip:AgentB@example.com>", "sip:AgentB@example.com", false),
    ("sip:AgentB@example.com", "<sip:AgentB@example.com>", false),
];

fn endpoints(keys: &[&str]) -> BTreeMap<String, Endpoint> {
    keys.iter().map(|k| (k.to_string(), Endpoint::default())).collect()
}

#[test]
fn one_key_matches_by_scheme_user_and_host() {
    for (key, address, expected) in ONE_KEY {
        let map = endpoints(&[key]);
        assert_eq!(endpoint_key(&map, address).is_some(), *expected, "key {key:?}, address {address:?}");
    }
}

/// (keys, address, the key that applies)
#[rustfmt::skip]
const SEVERAL_KEYS: &[(&[&str], &str, Option<&str>)] = &[
    (&["AgentB", "sip:AgentB@example.com"], "sip:AgentB@example.com;transport=tls", Some("sip:AgentB@example.com")),
    (&["sip:AgentB@example.com", "sip:AgentB@example.com;transport=tls"], "sip:AgentB@example.com;transport=tls", Some("sip:AgentB@example.com;transport=tls")),
    (&["sip:AgentB@example.com", "sip:AgentB@example.com;transport=tls"], "sip:AgentB@example.com", Some("sip:AgentB@example.com")),
    (&["sip:AgentB@EXAMPLE.com", "sip:AgentB@example.com"], "sip:AgentB@example.com", Some("sip:AgentB@example.com")),
    (&["sip:AgentB@EXAMPLE.com", "sip:AgentB@example.com"], "sip:AgentB@Example.com", Some("sip:AgentB@EXAMPLE.com")),
    (&["AgentA", "AgentB"], "sip:AgentB@example.com", Some("AgentB")),
    (&["AgentA", "sip:AgentA@example.com"], "sip:AgentB@example.com", None),
];

#[test]
fn the_closest_key_wins() {
    for (keys, address, expected) in SEVERAL_KEYS {
        let map = endpoints(keys);
        assert_eq!(endpoint_key(&map, address), *expected, "keys {keys:?}, address {address:?}");
    }
}

const BUSY_TARGET: &str = r#"{
  "initialTwiml": "<Response><Dial referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>",
  "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
  "app": {
    "https://example.com/handler": { "twiml": "<Response><Dial><Sip>sip:AgentB@Example.SIP.twilio.com;transport=tls?X-Ticket=42</Sip></Dial></Response>" },
    "https://example.com/typo": { "twiml": "<Response/>" }
  },
  "endpoints": { "AgentB": { "answer": "busy" }, "sip:AgentC@example.sip.twilio.com": { "answer": "busy" } }
}"#;

#[test]
fn a_bare_user_key_makes_the_target_busy_and_unused_entries_are_warnings() {
    let t = simulate(&Scenario::from_json(BUSY_TARGET).unwrap()).unwrap();
    assert_eq!(t.outcome.status(&LegId::target(1)), Some(CallStatus::Busy));
    let warnings: Vec<(&str, &str)> = t.warnings.iter().map(|w| (w.code, w.field.as_str())).collect();
    assert_eq!(
        warnings,
        [
            ("unused_endpoint", r#"endpoints["sip:AgentC@example.sip.twilio.com"]"#),
            ("unused_app", r#"app["https://example.com/typo"]"#)
        ]
    );
    let s = Scenario::from_json(BUSY_TARGET).unwrap();
    assert_eq!(s.endpoint("sip:AgentB@example.sip.twilio.com;transport=tls").answer, Answer::Busy);
}
