//! Issue 9 item 5: every address the engine and the checker read goes through
//! `sip::parse_uri`, so a `;` inside the user part is not a URI parameter and
//! a port is part of the Via's sent-by. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{LegId, StepKind, Transport};
use refer_sim::twiml::{check_transfer, Role};
use serde_json::json;

fn dial(sip: &str) -> String {
    format!("<Response><Dial referUrl=\"https://example.com/handler\"><Sip>{sip}</Sip></Dial></Response>")
}

#[test]
fn only_a_transport_parameter_after_the_host_is_checked() {
    // (the <Sip> text, whether bad_sip_transport is raised)
    #[rustfmt::skip]
    let cases: &[(&str, bool)] = &[
        ("sip:alice;transport=sctp@example.com", false),
        ("sip:alice@example.com;transport=sctp", true),
        ("sip:alice@example.com;transport=SCTP;lr", true),
        ("sip:alice@example.com;transport=tls", false),
        ("sip:alice@example.com;transport=TCP", false),
        ("sip:alice@example.com;lr?X-Transport=sctp", false),
        ("sip:alice;transport=sctp@example.com;transport=udp", false),
    ];
    for (sip, raised) in cases {
        let found = check_transfer(&dial(sip), Role::Initial);
        assert_eq!(found.iter().any(|f| f.code == "bad_sip_transport"), *raised, "{sip}: {found:#?}");
    }
}

#[test]
fn headers_are_those_after_the_host() {
    // A '?' in the user part starts no headers: no 13252 for `b@example.com`.
    let found = check_transfer(&dial("sip:a?b@example.com"), Role::Initial);
    assert!(found.iter().all(|f| f.code != "sip_header_not_custom"), "{found:#?}");
    let found = check_transfer(&dial("sip:a?b@example.com?Foo=1"), Role::Initial);
    assert_eq!(found.iter().filter(|f| f.code == "sip_header_not_custom").count(), 1, "{found:#?}");
    // A percent-escaped X- header name is custom.
    let found = check_transfer(&dial("sip:a@example.com?X%2DFoo=1"), Role::Initial);
    assert!(found.iter().all(|f| f.code != "sip_header_not_custom"), "{found:#?}");
}

#[test]
fn transports_are_read_from_the_scheme() {
    #[rustfmt::skip]
    let cases: &[(&str, Transport)] = &[
        ("sip:a@example.com", Transport::Sip),
        ("SIPS:a@example.com", Transport::Sip),
        ("sip:not a uri", Transport::Sip),
        ("tel:+14155550100", Transport::Pstn),
        ("+14155550100", Transport::Pstn),
        ("client:alice", Transport::Client),
        (" CLIENT:alice", Transport::Client),
        ("sipx:a@example.com", Transport::Pstn),
    ];
    for (address, transport) in cases {
        assert_eq!(Transport::of(address), *transport, "{address}");
    }
}

#[test]
fn a_dialled_party_with_a_semicolon_in_its_user_is_one_sip_party_with_its_port_in_the_via() {
    let twiml = dial("sip:alice;transport=sctp@example.com:5070");
    let s = Scenario::from_json(
        &json!({ "initialTwiml": twiml, "refer": { "atMs": 10000, "referTo": "<sip:b@example.com>" } }).to_string(),
    )
    .unwrap();
    let t = simulate(&s).unwrap();
    let ringing = t.steps.iter().position(|s| s.kind == StepKind::LegRinging).unwrap();
    let legs = t.legs_at(ringing);
    let leg = legs.iter().find(|l| l.id == LegId::transferor()).unwrap();
    assert_eq!(
        (leg.transport, leg.label.as_str()),
        (Transport::Sip, "alice;transport=sctp"),
        "the user is not a short name: the user part as written"
    );
    // The party's 180 Ringing echoes Twilio's Via; the party's own requests name its host and port.
    let answered = t.steps.iter().find(|s| s.kind == StepKind::ReferReceived).unwrap();
    let refer = answered.messages[0].text();
    assert!(refer.contains("Via: SIP/2.0/UDP example.com:5070;branch="), "{refer}");
}
