//! The catalogue's other scenarios, each checked for what it teaches:
//! preconditions in order with their SIP responses, the webhook exactly as
//! sent, and the variations. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::{catalogue, HANDLER};
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{CallStatus, LegId, Step, StepKind, Timeline};

fn run(id: &str) -> Timeline {
    let entry = catalogue().into_iter().find(|e| e.id == *id).unwrap_or_else(|| panic!("no catalogue scenario {id}"));
    simulate(&entry.scenario).unwrap_or_else(|e| panic!("{id}: {e}"))
}

fn first(t: &Timeline, kind: StepKind) -> &Step {
    t.steps.iter().find(|s| s.kind == kind).unwrap_or_else(|| panic!("no {kind:?} step"))
}

fn connected(t: &Timeline) -> Vec<(&str, &str)> {
    t.outcome.connected.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

/// (precondition, catalogue id, SIP response to the REFER, provenance of the refusal)
#[rustfmt::skip]
const REFUSED: &[(&str, &str, &str, &str)] = &[
    ("feature disabled", "feature-disabled", "SIP/2.0 403 Forbidden", "assumed"),
    ("call in <Conference>", "conference", "SIP/2.0 501 Not Implemented", "doc"),
    ("call in <Queue>", "queue", "SIP/2.0 501 Not Implemented", "doc"),
    ("Refer-To over 256 characters", "refer-to-too-long", "SIP/2.0 400 Bad Request", "doc"),
    ("Refer-To does not parse", "refer-to-unparseable", "SIP/2.0 400 Bad Request", "rfc"),
    ("two Refer-To headers", "two-refer-to", "SIP/2.0 400 Bad Request", "rfc"),
    ("REFER before AgentA answered", "refer-before-answer", "SIP/2.0 481 Call/Transaction Does Not Exist", "rfc"),
];

#[test]
fn refused_refers_leave_the_call_unchanged() {
    for (why, id, response, tag) in REFUSED {
        let t = run(id);
        let rejected = first(&t, StepKind::ReferRejected);
        assert_eq!(rejected.messages[0].first_line, *response, "{why}");
        assert_eq!(rejected.tag.as_str(), *tag, "{why}: provenance");
        assert!(!t.steps.iter().any(|s| s.kind == StepKind::WebhookRequested), "{why}: no webhook");
        let before: Vec<_> = t.steps.iter().take_while(|s| s.kind != StepKind::ReferReceived).last().unwrap().legs.clone();
        assert_eq!(before, rejected.legs, "{why}: legs unchanged by the refusal");
    }
    assert!(first(&run("refer-to-too-long"), StepKind::ReferRejected).narration.contains("256"));
}

#[test]
fn the_refer_url_webhook_carries_refer_transfer_target_in_a_form_body() {
    let t = run("uui-passing");
    let w = first(&t, StepKind::WebhookRequested).webhook.clone().unwrap();
    assert_eq!((w.method.as_str(), w.url.as_str(), w.purpose.as_str()), ("POST", HANDLER, "referUrl"));
    let target = "<sip:AgentB@example.sip.twilio.com?User-to-User=56a390f3d2b7310023a2%3Bencoding%3Dhex&X-Name=Agent%2C+A>";
    assert_eq!(w.param("ReferTransferTarget"), Some(target));
    for p in ["AccountSid", "CallSid", "From", "To", "CallStatus", "Direction", "ApiVersion"] {
        assert!(w.param(p).is_some(), "{p}");
    }
    assert_eq!(w.param("CallStatus"), Some("in-progress"));
    assert_eq!(w.param("Direction"), Some("inbound"));
    let body = w.body.unwrap();
    assert!(body.contains("&ReferTransferTarget=%3Csip%3AAgentB%40example.sip.twilio.com%3FUser-to-User%3D56a390f3d2b7310023a2%253Bencoding%253Dhex%26X-Name%3DAgent%252C%2BA%3E"), "{body}");
    assert!(body.starts_with("AccountSid=AC"), "{body}");
    assert!(w.query_url.is_none());
}

#[test]
fn get_sends_the_parameters_in_the_query_string() {
    let t = run("refer-method-get");
    let w = first(&t, StepKind::WebhookRequested).webhook.clone().unwrap();
    assert_eq!(w.method, "GET");
    assert!(w.body.is_none());
    let q = w.query_url.unwrap();
    assert!(q.starts_with("https://example.com/handler?AccountSid=AC"), "{q}");
    assert!(q.contains("&ReferTransferTarget=%3Csip%3AAgentB%40example.sip.twilio.com%3E"), "{q}");
}

#[test]
fn accepted_refers_follow_rfc_3515() {
    let t = run("webhook-executed-aob-true");
    let refer = &first(&t, StepKind::ReferReceived).messages[0].text;
    for h in [
        "REFER sip:",
        "Refer-To: <sip:AgentB@example.sip.twilio.com>",
        "Referred-By: <sip:AgentA@example.sip.twilio.com>",
        "CSeq: ",
        "Call-ID: ",
        "Via: SIP/2.0/UDP",
    ] {
        assert!(refer.contains(h), "REFER lacks {h}:\n{refer}");
    }
    assert_eq!(first(&t, StepKind::ReferAccepted).messages[0].first_line, "SIP/2.0 202 Accepted");
    let trying = &first(&t, StepKind::NotifySent).messages[0].text;
    assert!(
        trying.contains("Event: refer")
            && trying.contains("Subscription-State: active")
            && trying.ends_with("SIP/2.0 100 Trying\r\n"),
        "{trying}"
    );
}

#[test]
fn the_transferor_that_never_sends_bye_is_dropped_32_s_later() {
    let t = run("no-bye-after-notify");
    let notify = t.steps.iter().rev().find(|s| s.kind == StepKind::NotifySent).unwrap().at_ms;
    let ended = t.steps.iter().find(|s| s.kind == StepKind::LegEnded && s.narration.contains("32 s")).unwrap();
    assert_eq!(ended.at_ms, notify + 32_000);
    assert_eq!(ended.messages[0].first_line, "BYE sip:AgentA@example.sip.twilio.com SIP/2.0");
}

#[test]
fn a_chained_transfer_moves_user_a_on_to_agent_c() {
    let t = run("chained-transfer");
    assert_eq!(connected(&t), [("caller", "target-2")]);
    assert_eq!(t.outcome.status(&LegId::target(1)), Some(CallStatus::Completed));
    let second = t.steps.iter().filter(|s| s.kind == StepKind::WebhookRequested).nth(1).unwrap();
    assert_eq!(second.webhook.as_ref().unwrap().url, "https://example.com/second");
}

#[test]
fn an_inbound_sip_phone_transfers_the_party_it_called() {
    let t = run("inbound-sip-caller");
    assert_eq!(first(&t, StepKind::ReferReceived).messages[0].from, "transferor");
    assert_eq!(connected(&t), [("caller", "target")]);
    let w = first(&t, StepKind::WebhookRequested).webhook.clone().unwrap();
    assert_eq!(w.param("Direction"), Some("outbound-dial"));
}

#[test]
fn the_first_target_to_answer_wins() {
    let t = run("simultaneous-ring");
    assert_eq!(connected(&t), [("caller", "target-b")]);
    assert_eq!(t.outcome.status(&LegId::target(1)), Some(CallStatus::Canceled));
}

#[test]
fn a_dial_action_handles_the_no_answer() {
    let t = run("action-handles-failure");
    let action = t.steps.iter().find(|s| s.webhook.as_ref().is_some_and(|w| w.purpose == "action")).unwrap();
    let w = action.webhook.as_ref().unwrap();
    assert_eq!(w.param("DialCallStatus"), Some("no-answer"));
    assert_eq!(w.param("DialSipResponseCode"), Some("487"));
    assert!(t.steps.iter().any(|s| s.legs.iter().any(|l| l.hearing.to_string().contains("Sorry"))));
}

#[test]
fn gather_digits_reach_the_action_url() {
    let t = run("gather-menu");
    let digits = first(&t, StepKind::Digits);
    assert_eq!(digits.webhook.as_ref().unwrap().param("Digits"), Some("1"));
    assert_eq!(connected(&t), [("caller", "target")]);
}

#[test]
fn refer_sub_false_gets_no_notify() {
    let t = run("refer-sub-false");
    assert!(first(&t, StepKind::ReferAccepted).messages[0].text.contains("Refer-Sub: false"));
    assert!(t.steps.iter().filter(|s| s.kind == StepKind::NotifySent).all(|s| s.messages.is_empty()));
}

#[test]
fn holding_before_refer_is_undone_when_the_transfer_fails() {
    let t = run("hold-before-refer");
    let holds: Vec<&Step> = t.steps.iter().filter(|s| s.kind == StepKind::Hold).collect();
    assert_eq!(holds.len(), 2);
    assert!(holds[0].messages[0].text.contains("a=sendonly"));
    assert!(holds[0].legs.iter().any(|l| l.id == LegId::caller() && l.on_hold));
    assert!(holds[1].messages[0].text.contains("a=sendrecv"));
    assert!(t.steps.last().unwrap().legs.iter().all(|l| !l.on_hold));
}

#[test]
fn every_catalogue_scenario_ends_with_nobody_ringing_and_is_deterministic() {
    for e in catalogue() {
        let a = simulate(&e.scenario).unwrap();
        let b = simulate(&e.scenario).unwrap();
        assert_eq!(a, b, "{}: determinism", e.id);
        let last = a.steps.last().unwrap();
        assert_eq!(last.kind, StepKind::End, "{}", e.id);
        assert!(last.legs.iter().all(|l| l.status != CallStatus::Ringing), "{}: a leg still rings", e.id);
        assert!(a.steps.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "{}: time goes forward", e.id);
    }
    assert!(catalogue().len() >= 30);
}

#[test]
fn scenario_errors_name_the_field() {
    #[rustfmt::skip]
    let bad = [
        (r#"{"initialTwiml":"<Response/>","refer":{"atMs":1,"referTo":"<sip:a@b.com>"},"referUrl":"x"}"#, "bad_scenario", "referUrl"),
        (r#"{"refer":{"atMs":1,"referTo":"<sip:a@b.com>"}}"#, "bad_scenario", "initialTwiml"),
        (r#"{"initialTwiml":"<Response/>","refer":{"atMs":1,"referTo":"<sip:a@b.com>","hold":true}}"#, "bad_scenario", "refer.hold"),
    ];
    for (json, code, field) in bad {
        let e = Scenario::from_json(json).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (code, Some(field)), "{}", e.message);
    }
    let twiml =
        Scenario::from_json(r#"{"initialTwiml":"<Response><Dial>","refer":{"atMs":1,"referTo":"<sip:a@b.com>"}}"#).unwrap();
    let e = simulate(&twiml).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), ("bad_initial_twiml", Some("initialTwiml")));
    let pstn = Scenario::from_json(r#"{"initialTwiml":"<Response><Dial referUrl=\"https://x\"><Number>+14155550100</Number></Dial></Response>","refer":{"atMs":1,"referTo":"<sip:a@b.com>"}}"#).unwrap();
    assert_eq!(simulate(&pstn).unwrap_err().code, "refer_from_not_sip");
}

#[test]
fn webhook_answers_are_recorded_as_received() {
    let t = run("uui-passing");
    let fetched = first(&t, StepKind::WebhookFetched).response.clone().unwrap();
    assert_eq!((fetched.url.as_str(), fetched.status), (HANDLER, Some(200)));
    assert!(fetched.body.unwrap().contains("<Sip>sip:AgentB@example.sip.twilio.com</Sip>"));
    let t = run("refer-url-unreachable-aob-true");
    let failed = first(&t, StepKind::WebhookFailed).response.clone().unwrap();
    assert_eq!((failed.status, failed.body), (None, None));
    let t = run("refer-url-http-500");
    assert_eq!(first(&t, StepKind::WebhookFailed).response.as_ref().unwrap().status, Some(500));
    assert!(t
        .steps
        .iter()
        .filter(|s| s.response.is_some())
        .all(|s| matches!(s.kind, StepKind::WebhookFetched | StepKind::WebhookFailed)));
}

#[test]
fn sip_messages_carry_the_headers_their_rfcs_require() {
    let t = run("webhook-executed-aob-false");
    let all: Vec<&refer_sim::transfer::SipMessage> = t.steps.iter().flat_map(|s| &s.messages).collect();
    for m in &all {
        for h in ["Via: SIP/2.0/UDP ", "From: <", "To: <", "Call-ID: ", "CSeq: ", "Content-Length: "] {
            assert!(m.text.contains(h), "{} lacks {h}", m.first_line);
        }
        assert!(m.text.contains("\r\n\r\n"), "{}: headers end with an empty line", m.first_line);
        let needs_contact =
            m.first_line.starts_with("INVITE ") || m.first_line.starts_with("REFER ") || m.first_line.starts_with("NOTIFY ");
        if needs_contact {
            assert!(m.text.contains("\r\nContact: <"), "{} lacks Contact", m.first_line);
        }
    }
    let ok = all.iter().find(|m| m.first_line == "SIP/2.0 200 OK" && m.text.contains("CSeq: 1 INVITE")).unwrap();
    assert!(ok.text.contains("\r\nContact: <"), "a 2xx to INVITE names a Contact");
    let notify = all.iter().rev().find(|m| m.first_line.starts_with("NOTIFY ")).unwrap();
    assert!(notify.text.ends_with("\r\n\r\nSIP/2.0 200 OK\r\n"), "{}", notify.text);
    let len: usize = notify.text.split("Content-Length: ").nth(1).unwrap().split("\r\n").next().unwrap().parse().unwrap();
    assert_eq!(len, "SIP/2.0 200 OK\r\n".len(), "Content-Length counts the body");
}
