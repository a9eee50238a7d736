//! `<Refer>`: Twilio sends a SIP REFER (`/docs/voice/twiml/refer`). On a SIP leg: the
//! REFER with the `<Sip>` URI as Refer-To, the endpoint's answer (`202` or a refusal), its
//! NOTIFYs answered `200 OK`, then the `action` request with `ReferCallStatus`,
//! `ReferSipResponseCode`, `NotifySipResponseCode` (or the next verb). On a PSTN leg:
//! error 13801. And `checkTransfer` saying what the runtime will do with an
//! address Twilio cannot send. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{CallStatus, LegId, SipMessage, StepKind, Timeline, WebhookRequest};
use refer_sim::twiml::{check_transfer, Role, Severity};
use refer_sim::Provenance;

const PBX: &str = "sip:UserA@pbx.example.com";
const DONE: &str = "https://example.com/refer-done";

/// AgentA transfers UserA (calling from `caller`); the referUrl answers `handler_twiml`,
/// the `<Refer>` action answers `done_twiml`; `user_a` is UserA's `endpoints` entry.
fn scenario(caller: &str, handler_twiml: &str, done_twiml: &str, user_a: &str) -> Scenario {
    let json = format!(
        r#"{{"initialTwiml": "<Response><Dial referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>",
            "refer": {{"atMs": 20000, "referTo": "<sip:billing@pbx.example.com>"}},
            "caller": {{"from": "{caller}", "to": "sip:support@example.sip.twilio.com"}},
            "app": {{"https://example.com/handler": {{"twiml": {handler}}}, "{DONE}": {{"twiml": {done}}}}},
            "endpoints": {{"sip:AgentA@example.sip.twilio.com": {{"afterMs": 3000}}, "{caller}": {user_a}}}}}"#,
        handler = serde_json::to_string(handler_twiml).unwrap(),
        done = serde_json::to_string(done_twiml).unwrap(),
    );
    Scenario::from_json(&json).unwrap_or_else(|e| panic!("{e}"))
}

fn refer_to_pbx(attrs: &str) -> String {
    format!("<Response><Refer{attrs}><Sip>sip:billing@pbx.example.com?X-Acct=42</Sip></Refer><Say>next verb</Say></Response>")
}

fn run(s: &Scenario) -> Timeline {
    simulate(s).unwrap_or_else(|e| panic!("{e}"))
}

/// Every SIP message between Twilio and UserA's leg, as `(from, first line)`.
fn caller_messages(t: &Timeline) -> Vec<(String, String)> {
    t.steps
        .iter()
        .flat_map(|s| &s.messages)
        .filter(|m| m.to == "caller" || m.from == "caller")
        .map(|m| (m.from.to_string(), m.first_line().to_string()))
        .collect()
}

fn message<'a>(t: &'a Timeline, from: &str, method: &str) -> Vec<&'a SipMessage> {
    t.steps.iter().flat_map(|s| &s.messages).filter(|m| m.from == from && m.method() == Some(method)).collect()
}

fn request_to<'a>(t: &'a Timeline, url: &str) -> Option<&'a WebhookRequest> {
    t.steps.iter().filter_map(|s| s.webhook.as_deref()).find(|w| w.url == url)
}

fn param<'a>(w: &'a WebhookRequest, name: &str) -> Option<&'a str> {
    w.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn header<'a>(m: &'a SipMessage, name: &str) -> Option<&'a str> {
    m.headers().find(|(n, _)| *n == name).map(|(_, v)| v)
}

fn status(t: &Timeline, leg: &LegId) -> Option<CallStatus> {
    t.outcome.legs.iter().find(|(l, _)| l == leg).map(|(_, s)| *s)
}

fn said(t: &Timeline, text: &str) -> bool {
    t.steps.iter().any(|s| s.kind == StepKind::TwimlVerb && s.narration.contains(&format!("hears \"{text}\"")))
}

#[test]
fn on_a_sip_leg_twilio_sends_refer_follows_the_notifies_and_requests_action() {
    let s = scenario(PBX, &refer_to_pbx(&format!(" action=\"{DONE}\"")), "<Response><Hangup/></Response>", "{}");
    let t = run(&s);
    // The REFER, to UserA's party, with the <Sip> URI as Refer-To (in <> because of its ?headers).
    let refers = message(&t, "twilio", "REFER");
    assert_eq!(refers.len(), 1, "{:#?}", caller_messages(&t));
    assert_eq!(refers[0].to, "caller");
    assert_eq!(refers[0].first_line(), format!("REFER {PBX} SIP/2.0"));
    assert_eq!(header(refers[0], "Refer-To"), Some("<sip:billing@pbx.example.com?X-Acct=42>"));
    // 202, NOTIFY 100 Trying (active), NOTIFY 200 OK (terminated), each NOTIFY answered 200 OK by Twilio.
    let after_refer: Vec<(String, String)> =
        caller_messages(&t).into_iter().skip_while(|(_, l)| !l.starts_with("REFER")).take(6).collect();
    let expect = |f: &str, l: &str| (f.to_string(), l.to_string());
    assert_eq!(
        after_refer,
        [
            expect("twilio", &format!("REFER {PBX} SIP/2.0")),
            expect("caller", "SIP/2.0 202 Accepted"),
            expect("caller", "NOTIFY sip:support@example.sip.twilio.com SIP/2.0"),
            expect("twilio", "SIP/2.0 200 OK"),
            expect("caller", "NOTIFY sip:support@example.sip.twilio.com SIP/2.0"),
            expect("twilio", "SIP/2.0 200 OK"),
        ]
    );
    let notifies = message(&t, "caller", "NOTIFY");
    let frags: Vec<(&str, Option<&str>)> =
        notifies.iter().map(|m| (m.body().map_or("", |b| b.text), header(m, "Subscription-State"))).collect();
    assert_eq!(
        frags,
        [("SIP/2.0 100 Trying\r\n", Some("active;expires=60")), ("SIP/2.0 200 OK\r\n", Some("terminated;reason=noresource"))]
    );
    assert!(notifies.iter().all(|m| header(m, "Event") == Some("refer")));
    // Then the action request, with the three documented parameters and the standard ones.
    let w = request_to(&t, DONE).expect("the <Refer> action is requested");
    assert_eq!(w.method, "POST");
    assert_eq!(param(w, "ReferCallStatus"), Some("in-progress"));
    assert_eq!(param(w, "ReferSipResponseCode"), Some("202"));
    assert_eq!(param(w, "NotifySipResponseCode"), Some("200"));
    assert_eq!(param(w, "From"), Some(PBX));
    assert!(param(w, "CallSid").is_some_and(|s| s.starts_with("CA")));
    let step = t.steps.iter().find(|s| s.webhook.as_deref() == Some(w)).unwrap();
    assert_eq!(step.tag, Provenance::Doc("referverb.action-params"));
    // The action's TwiML replaces the rest (the <Say> after <Refer> never runs) and hangs up.
    assert!(!said(&t, "next verb"));
    assert_eq!(status(&t, &LegId::caller()), Some(CallStatus::Completed));
    assert!(t.outcome.alerts.is_empty(), "{:?}", t.outcome.alerts);
}

#[test]
fn a_refused_refer_sends_failed_and_the_refusal_code_without_a_notify_code() {
    let s = scenario(
        PBX,
        &refer_to_pbx(&format!(" action=\"{DONE}\" method=\"GET\"")),
        "<Response><Say>sorry</Say></Response>",
        r#"{"referResponse": 603}"#,
    );
    let t = run(&s);
    let refused = t.steps.iter().find(|s| s.kind == StepKind::ReferRejected).expect("a refer-rejected step");
    assert_eq!(refused.messages.iter().map(|m| m.first_line()).collect::<Vec<_>>(), ["SIP/2.0 603 Decline"]);
    assert_eq!(refused.tag, Provenance::Doc("referverb.action-examples"));
    assert!(message(&t, "caller", "NOTIFY").is_empty(), "no NOTIFY after a refusal");
    let w = request_to(&t, DONE).expect("the <Refer> action is requested");
    assert_eq!(w.method, "GET");
    assert_eq!(param(w, "ReferCallStatus"), Some("failed"));
    assert_eq!(param(w, "ReferSipResponseCode"), Some("603"));
    assert_eq!(param(w, "NotifySipResponseCode"), None);
    assert!(w.query_url.as_deref().is_some_and(|u| u.contains("ReferCallStatus=failed&ReferSipResponseCode=603")));
    assert!(said(&t, "sorry"), "the action's TwiML runs on the leg, which stayed on Twilio's call");
}

#[test]
fn refer_call_status_follows_the_final_notify() {
    // (NOTIFY status of the endpoint's new call, ReferCallStatus): the page's examples.
    for (notify, expected) in [(200, "in-progress"), (486, "busy"), (404, "failed"), (503, "failed")] {
        let user_a = format!(r#"{{"referNotify": {notify}}}"#);
        let t = run(&scenario(PBX, &refer_to_pbx(&format!(" action=\"{DONE}\"")), "<Response/>", &user_a));
        let w = request_to(&t, DONE).unwrap_or_else(|| panic!("{notify}: no action request"));
        assert_eq!(param(w, "ReferCallStatus"), Some(expected), "{notify}");
        assert_eq!(param(w, "ReferSipResponseCode"), Some("202"), "{notify}");
        assert_eq!(param(w, "NotifySipResponseCode"), Some(notify.to_string().as_str()), "{notify}");
    }
}

#[test]
fn without_action_the_next_verb_runs_and_the_call_ends_after_the_last() {
    let t = run(&scenario(PBX, &refer_to_pbx(""), "<Response/>", "{}"));
    assert!(request_to(&t, DONE).is_none());
    let over = t.steps.iter().position(|s| s.narration.starts_with("The <Refer> has no action URL")).expect("the verb returns");
    assert_eq!(t.steps[over].tag, Provenance::Doc("referverb.action-continues"));
    let final_notify = t.steps.iter().rposition(|s| s.kind == StepKind::NotifySent).unwrap();
    let say = t.steps.iter().position(|s| s.narration.contains("hears \"next verb\"")).expect("the <Say> after <Refer> runs");
    assert!(final_notify < over && over < say, "the next verb waits for the final NOTIFY");
    assert_eq!(status(&t, &LegId::caller()), Some(CallStatus::Completed));
}

#[test]
fn on_a_pstn_leg_it_is_error_13801_and_no_refer_is_sent() {
    let t = run(&scenario("+14155550100", &refer_to_pbx(&format!(" action=\"{DONE}\"")), "<Response/>", "{}"));
    assert!(message(&t, "twilio", "REFER").is_empty());
    let alert = t.steps.iter().find(|s| s.kind == StepKind::Alert).expect("an alert step");
    assert_eq!(alert.alerts.iter().map(|a| a.code).collect::<Vec<_>>(), [Some(13801)]);
    assert_eq!(alert.tag, Provenance::Doc("error.13801"));
    assert!(t.outcome.alerts.iter().any(|a| a.code == Some(13801)));
    assert!(request_to(&t, DONE).is_none(), "no REFER, no action request (assumed)");
    assert!(said(&t, "next verb"));
}

#[test]
fn a_client_leg_is_error_13801_too() {
    let t = run(&scenario("client:alice", &refer_to_pbx(""), "<Response/>", "{}"));
    assert!(t.outcome.alerts.iter().any(|a| a.code == Some(13801)));
    assert!(t.steps.iter().any(|s| s.narration.contains("Twilio Client")));
}

#[test]
fn an_address_twilio_cannot_send_sends_no_refer() {
    for bad in ["&lt;sip:billing@pbx.example.com&gt;", "Billing &lt;sip:billing@pbx.example.com&gt;"] {
        let twiml = format!("<Response><Refer action=\"{DONE}\"><Sip>{bad}</Sip></Refer><Say>next verb</Say></Response>");
        let t = run(&scenario(PBX, &twiml, "<Response/>", "{}"));
        assert!(message(&t, "twilio", "REFER").is_empty(), "{bad}");
        let alert = t.steps.iter().find(|s| s.kind == StepKind::Alert).unwrap_or_else(|| panic!("{bad}: no alert"));
        assert!(alert.narration.contains("Fix: strip"), "{}", alert.narration);
        assert!(said(&t, "next verb"), "{bad}");
    }
}

#[test]
fn the_endpoint_fields_are_final_sip_codes() {
    let ok = r#"{"initialTwiml": "<Response><Dial referUrl=\"https://e.com/h\"><Sip>sip:a@e.com</Sip></Dial></Response>",
        "refer": {"atMs": 1, "referTo": "<sip:b@e.com>"}, "endpoints": {"sip:a@e.com": {"referResponse": 405, "referNotify": 486}}}"#;
    let read = Scenario::from_json(ok).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((read.endpoints["sip:a@e.com"].refer_response, read.endpoints["sip:a@e.com"].refer_notify), (405, 486));
    for (field, value) in [("referResponse", 99), ("referResponse", 700), ("referNotify", 180)] {
        let json = format!(
            r#"{{"initialTwiml": "<Response><Dial referUrl=\"https://e.com/h\"><Sip>sip:a@e.com</Sip></Dial></Response>",
                "refer": {{"atMs": 1, "referTo": "<sip:b@e.com>"}}, "endpoints": {{"sip:a@e.com": {{"{field}": {value}}}}}}}"#
        );
        let e = Scenario::from_json(&json).expect_err("out of range");
        assert_eq!(e.code, "bad_scenario");
        assert_eq!(e.field.as_deref(), Some(format!(r#"endpoints["sip:a@e.com"].{field}"#).as_str()));
    }
}

#[test]
fn the_catalogue_has_the_three_refer_verb_scenarios_in_their_own_group() {
    let entries: Vec<_> = catalogue().into_iter().filter(|e| e.group == "<Refer>: Twilio sends REFER").collect();
    let ids: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, ["refer-verb-accepted", "refer-verb-declined", "refer-verb-pstn"]);
    let t: Vec<Timeline> = entries.iter().map(|e| run(&e.scenario)).collect();
    fn action(t: &Timeline) -> Option<(Option<&str>, Option<&str>, Option<&str>)> {
        request_to(t, DONE)
            .map(|w| (param(w, "ReferCallStatus"), param(w, "ReferSipResponseCode"), param(w, "NotifySipResponseCode")))
    }
    assert_eq!(action(&t[0]), Some((Some("in-progress"), Some("202"), Some("200"))));
    assert_eq!(action(&t[1]), Some((Some("failed"), Some("603"), None)));
    assert_eq!(action(&t[2]), None);
    assert!(t[2].outcome.alerts.iter().any(|a| a.code == Some(13801)));
    assert!(t.iter().all(|t| t.warnings.is_empty()), "every endpoints/app entry is used");
}

#[test]
fn check_transfer_says_what_the_runtime_does_with_a_refer_sip_it_cannot_send() {
    // (case, <Sip> text, the finding's code, or None)
    #[rustfmt::skip]
    let cases: &[(&str, &str, Option<&str>)] = &[
        ("a raw ReferTransferTarget, <> included", "&lt;sip:billing@pbx.example.com&gt;", Some("angle_brackets")),
        ("a display name", "\"Billing\" &lt;sip:billing@pbx.example.com&gt;", Some("display_name")),
        ("a phone number", "+14155550100", Some("no_scheme")),
        ("a SIP URI with headers", "sip:billing@pbx.example.com?X-Acct=42", None),
    ];
    for (case, text, code) in cases {
        let doc = format!("<Response><Refer><Sip>{text}</Sip></Refer></Response>");
        let found: Vec<_> = check_transfer(&doc, Role::ReferResponse)
            .into_iter()
            .filter(|d| ["angle_brackets", "display_name", "no_scheme", "bad_sip_uri", "empty_address"].contains(&d.code))
            .collect();
        match code {
            Some(code) => {
                let d = found.iter().find(|d| d.code == *code).unwrap_or_else(|| panic!("{case}: no {code} in {found:?}"));
                assert_eq!(d.severity, Severity::Error, "{case}");
                assert!(
                    d.message.contains("no REFER is sent") && d.message.contains("Fix: strip") || *code == "no_scheme",
                    "{case}: {}",
                    d.message
                );
                assert_eq!(d.provenance, Provenance::Assumed, "{case}");
            }
            None => assert!(found.is_empty(), "{case}: {found:?}"),
        }
    }
}

/// The page's fourth example: "The caller hangs up before the <Refer> transaction has
/// completed: ReferCallStatus: "canceled" ReferSipResponseCode: "202" NotifySipResponseCode: "180"".
#[test]
fn a_call_hung_up_during_the_refer_requests_the_action_with_canceled() {
    use refer_sim::transfer::{Config, Effect, Engine, Input, ReferFrom};
    let twiml = format!(
        "<Response><Refer action=\"{DONE}\"><Sip>sip:billing@pbx.example.com</Sip></Refer><Say>next verb</Say></Response>"
    );
    let mut e = Engine::new(Config {
        initial: refer_sim::twiml::parse(&twiml).response.unwrap(),
        refer_from: ReferFrom::Transferor,
        enhanced_sip_features: true,
        caller_from: PBX.into(),
        caller_to: "sip:support@example.sip.twilio.com".into(),
    });
    let caller = LegId::caller();
    e.handle(0, Input::Start);
    e.handle(100, Input::ReferAnswered { leg: caller.clone(), code: 202 });
    e.handle(200, Input::ReferNotify { leg: caller.clone(), code: 180, terminated: false });
    e.handle(1_000, Input::HungUp { leg: caller.clone() });
    let steps: Vec<_> = std::iter::from_fn(|| e.poll_step()).collect();
    let effects: Vec<_> = std::iter::from_fn(|| e.poll_effect()).collect();
    assert!(effects.iter().any(|x| matches!(x, Effect::ReferSent { target, .. } if target == "sip:billing@pbx.example.com")));
    let w = steps.iter().filter_map(|s| s.webhook.as_deref()).find(|w| w.url == DONE).expect("the action is requested");
    assert_eq!(param(w, "ReferCallStatus"), Some("canceled"));
    assert_eq!(param(w, "ReferSipResponseCode"), Some("202"));
    assert_eq!(param(w, "NotifySipResponseCode"), Some("180"));
    assert_eq!(param(w, "CallStatus"), Some("completed"));
    assert!(!steps.iter().any(|s| s.narration.contains("hears \"next verb\"")), "nothing runs on an ended call");
    // A NOTIFY arriving after that finds no <Refer> waiting: recorded as ignored.
    e.handle(2_000, Input::ReferNotify { leg: caller, code: 200, terminated: true });
    assert_eq!(e.poll_step().map(|s| s.kind), Some(StepKind::Ignored));
}

#[test]
fn check_transfer_warns_that_verbs_after_a_refer_action_never_run() {
    let find = |doc: &str| check_transfer(doc, Role::ReferResponse).into_iter().find(|d| d.code == "verbs_after_refer_action");
    let d = find("<Response><Refer action=\"/done\"><Sip>sip:b@example.com</Sip></Refer><Say>bye</Say><Hangup/></Response>")
        .expect("a warning");
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.provenance, Provenance::Doc("referverb.action-continues"));
    assert!(d.message.contains("(<Say>, <Hangup>) never run"), "{}", d.message);
    // The runtime agrees: after the action the verbs that followed the <Refer> do not run.
    let t = run(&scenario(PBX, &refer_to_pbx(&format!(" action=\"{DONE}\"")), "<Response/>", "{}"));
    assert!(!said(&t, "next verb"));
    assert!(
        find("<Response><Refer><Sip>sip:b@example.com</Sip></Refer><Say>bye</Say></Response>").is_none(),
        "no action: they run"
    );
    assert!(find("<Response><Refer action=\"/done\"><Sip>sip:b@example.com</Sip></Refer></Response>").is_none(), "nothing after");
}
