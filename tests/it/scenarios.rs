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
    ("call in <Conference>", "conference", "SIP/2.0 501 Not Implemented", "assumed"),
    ("call in <Queue>", "queue", "SIP/2.0 501 Not Implemented", "assumed"),
    ("Refer-To over 256 characters", "refer-to-too-long", "SIP/2.0 400 Bad Request", "assumed"),
    ("Refer-To does not parse", "refer-to-unparseable", "SIP/2.0 400 Bad Request", "rfc"),
    ("two Refer-To headers", "two-refer-to", "SIP/2.0 400 Bad Request", "rfc"),
    ("REFER before AgentA answered", "refer-before-answer", "SIP/2.0 481 Call/Transaction Does Not Exist", "assumed"),
];

#[test]
fn refused_refers_leave_the_call_unchanged() {
    for (why, id, response, tag) in REFUSED {
        let t = run(id);
        let rejected = first(&t, StepKind::ReferRejected);
        assert_eq!(rejected.messages[0].first_line(), *response, "{why}");
        assert_eq!(rejected.tag.as_str(), *tag, "{why}: provenance");
        assert!(!t.steps.iter().any(|s| s.kind == StepKind::WebhookRequested), "{why}: no webhook");
        let before = t.legs_after_step(t.steps.iter().take_while(|s| s.kind != StepKind::ReferReceived).last().unwrap());
        assert!(rejected.changed_legs.is_empty(), "{why}: the refusal changes no leg");
        assert_eq!(before, t.legs_after_step(rejected), "{why}: legs unchanged by the refusal");
    }
    assert!(first(&run("refer-to-too-long"), StepKind::ReferRejected).narration.contains("256"));
}

#[test]
fn the_refer_url_webhook_carries_refer_transfer_target_in_a_form_body() {
    let t = run("uui-passing");
    let w = first(&t, StepKind::WebhookRequested).webhook.clone().unwrap();
    assert_eq!((w.method, w.url.as_str(), w.purpose), ("POST", HANDLER, "referUrl"));
    let target = "<sip:AgentB@example.sip.twilio.com?User-to-User=56a390f3d2b7310023a2%3Bencoding%3Dhex&X-Name=Agent%2C+A>";
    assert_eq!(w.param("ReferTransferTarget"), Some(target));
    for p in ["AccountSid", "CallSid", "From", "To", "CallStatus", "Direction", "ApiVersion"] {
        assert!(w.param(p).is_some(), "{p}");
    }
    assert_eq!(w.param("CallStatus"), Some("in-progress"));
    assert_eq!(w.param("Direction"), Some("inbound"));
    let body = w.body.clone().unwrap();
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
    let q = w.query_url.clone().unwrap();
    assert!(q.starts_with("https://example.com/handler?AccountSid=AC"), "{q}");
    assert!(q.contains("&ReferTransferTarget=%3Csip%3AAgentB%40example.sip.twilio.com%3E"), "{q}");
}

#[test]
fn accepted_refers_follow_rfc_3515() {
    let t = run("webhook-executed-aob-true");
    let refer = first(&t, StepKind::ReferReceived).messages[0].text();
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
    assert_eq!(first(&t, StepKind::ReferAccepted).messages[0].first_line(), "SIP/2.0 202 Accepted");
    let trying = first(&t, StepKind::NotifySent).messages[0].text();
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
    assert_eq!(ended.messages[0].first_line(), "BYE sip:AgentA@example.sip.twilio.com SIP/2.0");
}

#[test]
fn a_chained_transfer_moves_user_a_on_to_agent_c() {
    let t = run("chained-transfer");
    assert_eq!(connected(&t), [("caller", "target-2")]);
    assert_eq!(t.outcome.status(&LegId::target(1)), Some(CallStatus::Completed));
    let second = t.steps.iter().filter(|s| s.kind == StepKind::WebhookRequested).nth(1).unwrap();
    assert_eq!(second.webhook.as_deref().unwrap().url, "https://example.com/second");
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
    let action = t.steps.iter().find(|s| s.webhook.as_deref().is_some_and(|w| w.purpose == "action")).unwrap();
    let w = action.webhook.as_deref().unwrap();
    assert_eq!(w.param("DialCallStatus"), Some("no-answer"));
    assert_eq!(w.param("DialSipResponseCode"), Some("487"));
    assert!(t.steps.iter().any(|s| s.changed_legs.iter().any(|l| l.hearing.to_string().contains("Sorry"))));
}

#[test]
fn gather_digits_reach_the_action_url() {
    let t = run("gather-menu");
    let digits = first(&t, StepKind::Digits);
    assert_eq!(digits.webhook.as_deref().unwrap().param("Digits"), Some("1"));
    assert_eq!(connected(&t), [("caller", "target")]);
}

#[test]
fn refer_sub_false_gets_no_notify() {
    let t = run("refer-sub-false");
    assert!(first(&t, StepKind::ReferAccepted).messages[0].text().contains("Refer-Sub: false"));
    assert!(t.steps.iter().all(|s| s.messages.iter().all(|m| m.method() != Some("NOTIFY"))));
}

#[test]
fn holding_before_refer_is_undone_when_the_transfer_fails() {
    let t = run("hold-before-refer");
    let holds: Vec<&Step> = t.steps.iter().filter(|s| s.kind == StepKind::Hold).collect();
    assert_eq!(holds.len(), 2);
    assert!(holds[0].messages[0].text().contains("a=sendonly"));
    assert!(t.legs_after_step(holds[0]).iter().any(|l| l.id == LegId::caller() && l.on_hold));
    assert!(holds[1].messages[0].text().contains("a=sendrecv"));
    assert!(t.final_legs().iter().all(|l| !l.on_hold));
}

#[test]
fn every_catalogue_scenario_ends_with_nobody_ringing_and_is_deterministic() {
    for e in catalogue() {
        let a = simulate(&e.scenario).unwrap();
        let b = simulate(&e.scenario).unwrap();
        assert_eq!(a, b, "{}: determinism", e.id);
        let last = a.steps.last().unwrap();
        assert_eq!(last.kind, StepKind::End, "{}", e.id);
        assert!(a.final_legs().iter().all(|l| l.status != CallStatus::Ringing), "{}: a leg still rings", e.id);
        assert!(a.steps.windows(2).all(|w| w[0].at_ms <= w[1].at_ms), "{}: time goes forward", e.id);
    }
    assert!(catalogue().len() >= 30);
}

/// A shipped example copied into CI with `refer-sim run <id> --expect warnings=none` passes: no
/// catalogue scenario carries an endpoint or an application it never uses, and the only warnings
/// are those its entry declares it is meant to show (the webhook timeouts' `slow_app`).
#[test]
fn catalogue_scenarios_warn_only_as_declared() {
    let mut declared = 0;
    for e in catalogue() {
        let t = simulate(&e.scenario).unwrap();
        let got: Vec<(&str, &str)> = t.warnings.iter().map(|w| (w.code, w.field.as_str())).collect();
        let codes: Vec<&str> = got.iter().map(|(code, _)| *code).collect();
        assert_eq!(codes, e.warnings, "{}: warnings {got:?}", e.id);
        declared += e.warnings.len();
    }
    // The declaration is read from catalogue.json: the two timeout scenarios declare theirs.
    assert_eq!(declared, 2);
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
            assert!(m.text().contains(h), "{} lacks {h}", m.first_line());
        }
        assert!(m.text().contains("\r\n\r\n"), "{}: headers end with an empty line", m.first_line());
        let needs_contact = m.first_line().starts_with("INVITE ")
            || m.first_line().starts_with("REFER ")
            || m.first_line().starts_with("NOTIFY ");
        if needs_contact {
            assert!(m.text().contains("\r\nContact: <"), "{} lacks Contact", m.first_line());
        }
    }
    let ok = all.iter().find(|m| m.first_line() == "SIP/2.0 200 OK" && m.text().contains("CSeq: 1 INVITE")).unwrap();
    assert!(ok.text().contains("\r\nContact: <"), "a 2xx to INVITE names a Contact");
    let notify = all.iter().rev().find(|m| m.first_line().starts_with("NOTIFY ")).unwrap();
    assert!(notify.text().ends_with("\r\n\r\nSIP/2.0 200 OK\r\n"), "{}", notify.text());
    let len: usize = notify.text().split("Content-Length: ").nth(1).unwrap().split("\r\n").next().unwrap().parse().unwrap();
    assert_eq!(len, "SIP/2.0 200 OK\r\n".len(), "Content-Length counts the body");
}

/// A scenario: the bank example with answerOnBridge `aob`, AgentB answering after 3 s, and
/// the referUrl answering `refer_twiml` after `latency_ms` (issue 10 tests).
fn bank(aob: bool, refer_twiml: &str, latency_ms: u64, extra_app: &str) -> Scenario {
    let initial = format!(
        r#"<Response><Dial answerOnBridge=\"{aob}\" referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>"#
    );
    Scenario::from_json(&format!(
        r#"{{"initialTwiml":"{initial}","refer":{{"atMs":10000,"referTo":"<sip:AgentB@example.sip.twilio.com>"}},
            "app":{{"https://example.com/handler":{{"latencyMs":{latency_ms},"twiml":"{}"}}{extra_app}}},
            "endpoints":{{"sip:AgentB@example.sip.twilio.com":{{"answer":"answer","afterMs":3000}}}}}}"#,
        refer_twiml.replace('"', "\\\"")
    ))
    .unwrap()
}

/// Issue 10 item 6: `<Connect>`, `<Pay>`, `<Start>` are Twilio verbs refer-sim does not
/// simulate: the skipped step says so, `assumed`, and never "not a verb Twilio runs".
#[test]
fn unsimulated_verbs_are_skipped_as_assumed() {
    for verb in ["<Connect><Stream url=\"wss://e.com/s\"/></Connect>", "<Pay/>", "<Start><Stream url=\"wss://e.com/s\"/></Start>"]
    {
        let t = simulate(&bank(
            false,
            &format!("<Response>{verb}<Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>"),
            100,
            "",
        ))
        .unwrap();
        let s =
            t.steps.iter().find(|s| s.narration.contains("does not simulate")).unwrap_or_else(|| panic!("{verb}: no skip step"));
        assert_eq!(s.tag.as_str(), "assumed", "{verb}");
        assert!(t.steps.iter().all(|s| !s.narration.contains("not a verb Twilio runs")), "{verb}");
    }
}

/// Issue 10 item 6: the 32 s BYE rests on a support article written for Elastic SIP
/// Trunking (`notify.bye-32s`, `notify.scope`), not Programmable Voice: the step is `assumed`,
/// names the article and its product as the reason, and claims nothing about what the
/// transferor heard (no page says).
#[test]
fn the_32_s_bye_names_its_article_and_nothing_more() {
    let t = run("no-bye-after-notify");
    let bye = t.steps.iter().find(|s| s.narration.contains("32 s")).unwrap();
    assert_eq!(bye.tag.as_str(), "assumed");
    assert!(bye.narration.contains("Elastic SIP Trunking"), "{}", bye.narration);
    assert!(!bye.narration.contains("dead air"), "{}", bye.narration);
}

/// A scenario whose fetch of `url` answers after `latency_ms`: `initial` runs on UserA,
/// AgentA's behaviour is `agent_a`, and `url` returns `answer`.
fn slow(initial: &str, agent_a: &str, url: &str, latency_ms: u64, answer: &str, digits: &str) -> Scenario {
    let esc = |s: &str| s.replace('"', "\\\"");
    let handler = r#","https://example.com/handler":{"twiml":"<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>"}"#;
    let handler = if url == HANDLER { "" } else { handler };
    Scenario::from_json(&format!(
        r#"{{"initialTwiml":"{}","refer":{{"atMs":90000,"referTo":"<sip:AgentB@example.sip.twilio.com>"}},
            "app":{{"{url}":{{"latencyMs":{latency_ms},"twiml":"{}"}}{handler}}},
            "endpoints":{{"sip:AgentA@example.sip.twilio.com":{agent_a}}},"callerDigits":[{digits}]}}"#,
        esc(initial),
        esc(answer)
    ))
    .unwrap()
}

/// Issue 10 item 3: every fetch gives up after Twilio's 15 s total (`webhook.total-timeout`,
/// error 11205): an answer at 14 999 ms runs, one at 15 000 ms or later fails at the 15 s
/// mark like an unreachable URL, and the late answer is dropped with a step saying so.
#[test]
fn every_fetch_gives_up_after_15_s() {
    const A: &str = "<Sip>sip:AgentA@example.sip.twilio.com</Sip>";
    let refer_dial = format!(r#"<Dial answerOnBridge="true" referUrl="https://example.com/handler">{A}</Dial>"#);
    let say = "<Response><Say>next</Say></Response>";
    let answers = r#"{"answer":"answer","afterMs":1000}"#;
    // (purpose, initial TwiML, AgentA, URL fetched, its answer, caller digits)
    #[rustfmt::skip]
    let purposes: Vec<(&str, String, &str, &str, &str, &str)> = vec![
        ("referUrl", format!("<Response>{refer_dial}</Response>"), answers, HANDLER,
            "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>", ""),
        ("action", format!(r#"<Response><Dial action="https://example.com/after" referUrl="https://example.com/handler">{A}</Dial></Response>"#),
            r#"{"answer":"busy","afterMs":1000}"#, "https://example.com/after", say, ""),
        ("redirect", format!("<Response><Redirect>https://example.com/next</Redirect>{refer_dial}</Response>"), answers,
            "https://example.com/next", say, ""),
        ("gather", format!(r#"<Response><Gather action="https://example.com/menu"><Say>menu</Say></Gather>{refer_dial}</Response>"#),
            answers, "https://example.com/menu", say, r#""1""#),
    ];
    for (purpose, initial, agent_a, url, answer, digits) in &purposes {
        // (latency, fails, an ignored late answer)
        for (latency, fails) in [(14_999, false), (15_000, true), (30_000, true)] {
            let case = format!("{purpose} answering after {latency} ms");
            let t = simulate(&slow(initial, agent_a, url, latency, answer, digits)).unwrap();
            let asked = t.steps.iter().find(|s| s.webhook.as_deref().is_some_and(|w| w.url == *url && w.purpose == *purpose));
            let asked = asked.unwrap_or_else(|| panic!("{case}: no request"));
            let done = t.steps.iter().find(|s| s.response.as_ref().is_some_and(|r| r.url == *url)).unwrap();
            if fails {
                assert_eq!((done.kind, done.at_ms), (StepKind::WebhookFailed, asked.at_ms + 15_000), "{case}");
                assert_eq!(done.alerts.iter().map(|a| a.code).collect::<Vec<_>>(), [Some(11205)], "{case}");
                assert_eq!((done.tag.as_str(), done.source), ("doc", Some("error.11205")), "{case}");
                assert!(done.narration.contains("15 s"), "{case}: {}", done.narration);
                let late = t.steps.iter().find(|s| s.kind == StepKind::Ignored && s.narration.contains("given up"));
                assert_eq!(late.map(|s| s.at_ms), (latency > 15_000).then_some(asked.at_ms + latency), "{case}: the late answer");
            } else {
                assert_eq!((done.kind, done.at_ms), (StepKind::WebhookFetched, asked.at_ms + latency), "{case}");
                assert!(t.outcome.alerts.iter().all(|a| a.code != Some(11205)), "{case}");
            }
        }
    }
}

/// Issue 10 item 3: what happens meanwhile is what an unreachable referUrl does: with
/// answerOnBridge true UserA and AgentA stay bridged through the 15 s and are connected
/// again; with false both calls end at the 15 s mark (the outcome table's unreachable cells).
#[test]
fn a_slow_refer_url_fails_like_an_unreachable_one() {
    for (aob, pairs) in [(true, vec![("caller", "transferor")]), (false, vec![])] {
        let target = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";
        let t = simulate(&bank(aob, target, 20_000, "")).unwrap();
        assert_eq!(connected(&t), pairs, "answerOnBridge {aob}");
        let failed = first(&t, StepKind::WebhookFailed);
        assert_eq!(failed.at_ms, 25_000, "answerOnBridge {aob}");
        let before = t.steps.iter().rev().find(|s| s.at_ms < failed.at_ms).unwrap();
        let legs = t.legs_after_step(before);
        let caller = legs.iter().find(|l| l.id.as_str() == "caller").unwrap();
        assert_eq!(caller.bridged_with, Some(LegId::transferor()), "answerOnBridge {aob}: UserA hears AgentA meanwhile");
        let end = t.steps.last().unwrap();
        let cell = if aob { "refer.table.unreachable.aob-true" } else { "refer.table.unreachable.aob-false" };
        assert_eq!(end.source, Some(cell), "{}", end.narration);
        if !aob {
            assert_eq!(t.outcome.status(&LegId::caller()), Some(CallStatus::Completed));
        }
    }
    let entry = catalogue().into_iter().find(|e| e.id == "refer-url-slow-timeout").expect("the catalogue scenario");
    assert_eq!(entry.group, "Webhook limits");
    let t = simulate(&entry.scenario).unwrap();
    assert_eq!(t.outcome.alerts.iter().map(|a| a.code).collect::<Vec<_>>(), [Some(11205)]);
    assert_eq!(connected(&t), [("caller", "transferor")]);
}

/// Issue 10 item 2 ("silent skips"): once a REFER commits, the initial `<Dial action>` and the
/// verbs after the initial `<Dial>` never run. Not new behaviour, but no longer silent: an
/// `assumed` step names them, for both answerOnBridge values and for the inbound-SIP variant
/// (where they belong to the transferor's TwiML).
#[test]
fn skipped_initial_dial_action_and_verbs_are_shown_as_assumed() {
    let a = "<Sip>sip:AgentA@example.sip.twilio.com</Sip>";
    let target = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";
    let with_rest = |aob: bool| {
        let mut s = bank(aob, target, 100, "");
        s.initial_twiml = format!(
            r#"<Response><Dial answerOnBridge="{aob}" referUrl="{HANDLER}" action="https://example.com/initial-action">{a}</Dial><Say>after the initial dial</Say><Hangup/></Response>"#
        );
        s
    };
    let mut inbound = catalogue().into_iter().find(|e| e.id == "inbound-sip-caller").unwrap().scenario;
    inbound.initial_twiml = inbound.initial_twiml.replace("<Dial ", r#"<Dial action="https://example.com/initial-action" "#);
    // (case, scenario, words the step must hold)
    let cases = [
        (
            "answerOnBridge false",
            with_rest(false),
            vec!["https://example.com/initial-action", "2 verbs", "<Say>, <Hangup>", "UserA"],
        ),
        (
            "answerOnBridge true",
            with_rest(true),
            vec!["https://example.com/initial-action", "2 verbs", "<Say>, <Hangup>", "UserA"],
        ),
        ("inbound SIP caller", inbound, vec!["https://example.com/initial-action", "UserA"]),
    ];
    for (case, scenario, words) in cases {
        let t = simulate(&scenario).unwrap();
        let s = t.steps.iter().find(|s| s.narration.contains("initial-action")).unwrap_or_else(|| panic!("{case}: no step"));
        assert_eq!((s.kind, s.tag.as_str(), s.source), (StepKind::TwimlVerb, "assumed", None), "{case}");
        for w in words {
            assert!(s.narration.contains(w), "{case}: {w:?} in {}", s.narration);
        }
        let commit = t
            .steps
            .iter()
            .position(|x| {
                x.kind == StepKind::NotifySent
                    && x.messages
                        .first()
                        .is_some_and(|m| m.text().contains("terminated") && m.text().ends_with("SIP/2.0 200 OK\r\n"))
            })
            .unwrap();
        assert_eq!(t.steps.iter().position(|x| std::ptr::eq(x, s)), Some(commit + 1), "{case}: right after the final NOTIFY");
        assert!(
            t.steps.iter().all(|x| x.webhook.as_deref().is_none_or(|w| !w.url.contains("initial-action"))),
            "{case}: not requested"
        );
        assert!(t.steps.iter().all(|x| !x.narration.contains("hears \"after the initial dial\"")), "{case}: not run");
    }
    // Nothing after the initial <Dial>: no such step.
    let t = run("agentb-answers-aob-false");
    assert!(t.steps.iter().all(|s| !s.narration.contains("from before the transfer")));
}

/// Issue 10 item 2: with answerOnBridge true and a target that does not answer, the referUrl
/// `<Dial action>` is not requested (the initial call comes back); an `assumed` step says so.
#[test]
fn the_refer_url_dial_action_skipped_on_failure_is_shown_as_assumed() {
    let refer = r#"<Response><Dial timeout="10" action="https://example.com/after"><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>"#;
    let mut s =
        bank(true, refer, 100, r#","https://example.com/after":{"twiml":"<Response><Say>nobody answered</Say></Response>"}"#);
    s.endpoints.get_mut("sip:AgentB@example.sip.twilio.com").unwrap().answer = refer_sim::scenario::Answer::NoAnswer;
    let t = simulate(&s).unwrap();
    let step = t.steps.iter().find(|x| x.narration.contains("https://example.com/after")).expect("a step names the action");
    assert_eq!((step.kind, step.tag.as_str()), (StepKind::TwimlVerb, "assumed"), "{}", step.narration);
    assert!(step.narration.contains("answerOnBridge true"), "{}", step.narration);
    let notify = t
        .steps
        .iter()
        .position(|x| x.kind == StepKind::NotifySent && x.messages.iter().any(|m| m.text().contains("SIP/2.0 487")))
        .unwrap();
    assert_eq!(t.steps.iter().position(|x| std::ptr::eq(x, step)), Some(notify + 1));
    assert!(t.steps.iter().all(|x| x.webhook.as_deref().is_none_or(|w| w.url != "https://example.com/after")));
    assert_eq!(connected(&t), [("caller", "transferor")]);
}
