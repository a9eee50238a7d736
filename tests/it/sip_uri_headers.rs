//! The headers of a `<Sip>` URI (`sip:b@example.com?X-Ticket=42`): Twilio's INVITE is a request
//! formed from the URI (RFC 3261 §19.1.5), so they are headers of that INVITE, values decoded,
//! and no SIP message of the dialog carries them in a URI (Request-URI, To, Contact, ACK,
//! Referred-By). Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{SipMessage, Timeline};

/// A transfer whose referUrl TwiML dials `target` (as written in TwiML, `&amp;` escaped); the
/// transferor is dialled as `agent_a`.
fn run(agent_a: &str, target: &str) -> Timeline {
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="true" referUrl="https://e.com/refer"><Sip>{agent_a}</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:b@example.com?X-Ticket=42>" },
        "app": { "https://e.com/refer": { "twiml": format!("<Response><Dial><Sip>{target}</Sip></Dial></Response>") } },
        "endpoints": { "sip:a@example.com": { "answer": "answer", "afterMs": 1000 }, "sip:b@example.com": { "answer": "answer", "afterMs": 1000 } }
    });
    simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap()
}

/// The messages of the dialog Twilio opened with an INVITE to `uri` (by its Call-ID).
fn messages<'a>(t: &'a Timeline, uri: &str) -> Vec<&'a SipMessage> {
    let all: Vec<&SipMessage> = t.steps.iter().flat_map(|s| &s.messages).collect();
    let first = format!("INVITE {uri}");
    let call_id = all.iter().find(|m| m.first_line().starts_with(&first)).and_then(|m| m.header("Call-ID")).expect("an INVITE");
    all.into_iter().filter(|m| m.header("Call-ID") == Some(call_id)).collect()
}

#[test]
fn the_uri_headers_of_a_sip_target_are_headers_of_the_invite_not_of_its_uris() {
    let t = run("sip:a@example.com", "sip:b@example.com?X-Ticket=42&amp;X-Other=a%20b");
    let b = messages(&t, "sip:b@example.com");
    let invite = b.iter().find(|m| m.method() == Some("INVITE")).expect("Twilio's INVITE to b");
    assert_eq!(invite.first_line(), "INVITE sip:b@example.com SIP/2.0");
    assert_eq!(invite.header("To"), Some("<sip:b@example.com>"));
    assert_eq!((invite.header("X-Ticket"), invite.header("X-Other")), (Some("42"), Some("a b")), "{}", invite.text());
    let ok = b.iter().find(|m| m.status() == Some(200) && m.header("CSeq") == Some("1 INVITE")).expect("b's 200 OK");
    assert_eq!(ok.header("Contact"), Some("<sip:b@example.com>"));
    let ack = b.iter().find(|m| m.method() == Some("ACK")).expect("Twilio's ACK");
    assert_eq!(ack.first_line(), "ACK sip:b@example.com SIP/2.0");
    for m in &b {
        assert!(!m.text().contains("X-Ticket=") && !m.text().contains("X-Other="), "a URI header left in a URI: {}", m.text());
        if m.method() != Some("INVITE") {
            assert_eq!(m.header("X-Ticket"), None, "only the INVITE carries the URI's headers: {}", m.text());
        }
    }
    assert!(t.outcome.connected.iter().any(|(x, y)| format!("{x:?}{y:?}").contains("target")), "{:?}", t.outcome.connected);
    let ringing = t.steps.iter().find(|s| s.narration.starts_with("Twilio calls b")).expect("the ringing step");
    assert!(ringing.narration.contains("carries the URI's X-Ticket, X-Other as headers"), "{}", ringing.narration);
}

#[test]
fn headers_twilio_does_not_pass_are_left_out_and_said_so() {
    // No X- prefix (warning 13252), and a value that decodes to a line break.
    let t = run("sip:a@example.com", "sip:b@example.com?Subject=hi&amp;X-Bad=a%0D%0AVia:%20x&amp;User-to-User=56a390f3");
    let invite = messages(&t, "sip:b@example.com").into_iter().find(|m| m.method() == Some("INVITE")).expect("INVITE");
    assert_eq!(invite.first_line(), "INVITE sip:b@example.com SIP/2.0");
    assert_eq!((invite.header("Subject"), invite.header("X-Bad")), (None, None), "{}", invite.text());
    assert_eq!(invite.header("User-to-User"), Some("56a390f3"));
    assert_eq!(invite.headers().filter(|(n, _)| *n == "Via").count(), 1, "no header injected: {}", invite.text());
    let ringing = t.steps.iter().find(|s| s.narration.starts_with("Twilio calls b")).expect("the ringing step");
    assert!(ringing.narration.contains("It leaves out Subject, X-Bad"), "{}", ringing.narration);
}

#[test]
fn x_twilio_headers_are_left_out_as_warning_32113_says() {
    // `error.32113`: "Your extension header name cannot begin with the prefix X-Twilio" (omitted),
    // in any case; an X- header beside it is still sent.
    let t = run("sip:a@example.com", "sip:b@example.com?X-Twilio-Foo=1&amp;x-twilio=2&amp;X-Twilight=3");
    let invite = messages(&t, "sip:b@example.com").into_iter().find(|m| m.method() == Some("INVITE")).expect("INVITE");
    assert_eq!((invite.header("X-Twilio-Foo"), invite.header("x-twilio")), (None, None), "{}", invite.text());
    assert_eq!(invite.header("X-Twilight"), Some("3"), "{}", invite.text());
    let ringing = t.steps.iter().find(|s| s.narration.starts_with("Twilio calls b")).expect("the ringing step");
    assert!(ringing.narration.contains("It leaves out X-Twilio-Foo, x-twilio"), "{}", ringing.narration);
    assert!(ringing.narration.contains("an X-Twilio one (warning 32113)"), "{}", ringing.narration);
}

#[test]
fn a_transferor_dialled_with_uri_headers_refers_from_its_uri_alone() {
    let t = run("sip:a@example.com?X-Call=7", "sip:b@example.com");
    let a = messages(&t, "sip:a@example.com");
    let invite = a.iter().find(|m| m.method() == Some("INVITE")).expect("Twilio's INVITE to a");
    assert_eq!((invite.first_line(), invite.header("X-Call")), ("INVITE sip:a@example.com SIP/2.0", Some("7")));
    let refer = a.iter().find(|m| m.method() == Some("REFER")).expect("a's REFER");
    assert_eq!(refer.header("Referred-By"), Some("<sip:a@example.com>"));
    // The Refer-To keeps its embedded header: Twilio passes it on in ReferTransferTarget (`refer.uui-in-target`).
    assert_eq!(refer.header("Refer-To"), Some("<sip:b@example.com?X-Ticket=42>"));
    let hook = t.steps.iter().find_map(|s| s.webhook.as_deref()).expect("the referUrl request");
    assert!(hook.params.iter().any(|(n, v)| n == "ReferTransferTarget" && v == "<sip:b@example.com?X-Ticket=42>"));
}
