//! When Twilio answers the inbound call (issue 10, "nothing skipped in silence"): the SIP page
//! names the verbs that send 200 OK, `<Redirect>` keeps a SIP caller in 180 Ringing, and
//! `<Reject>` first refuses the call (486 Busy Here / 404 Not Found for a SIP caller, `busy` /
//! `no-answer` for any caller) without ever answering it. Each test failed on the code before:
//! it answered every call at once, before its first verb (or never, until the bridge, when any
//! `<Dial>` of the document had answerOnBridge).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{CallStatus, StepKind, Timeline};
use serde_json::json;

fn run(initial: &str, from: &str) -> Timeline {
    let scenario = json!({
        "initialTwiml": initial,
        "caller": { "from": from, "to": "+18005550199" },
        "refer": { "atMs": 20000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "app": {
            "https://example.com/next": {
                "twiml": "<Response><Say>Welcome</Say><Dial referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>"
            },
            "https://example.com/handler": { "twiml": "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" }
        },
        "endpoints": { "sip:AgentA@example.sip.twilio.com": { "answer": "answer", "afterMs": 3000 } }
    });
    let scenario = Scenario::from_json(&scenario.to_string()).expect("a valid scenario");
    simulate(&scenario).expect("a run")
}

const DIAL: &str = "<Dial referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial>";
const SIP_CALLER: &str = "sip:UserA@pbx.example.com";

/// Every SIP message Twilio sent to UserA, first lines only, with the step's time.
fn to_caller(t: &Timeline) -> Vec<(u64, String)> {
    t.steps
        .iter()
        .flat_map(|s| s.messages.iter().map(move |m| (s.at_ms, m)))
        .filter(|(_, m)| m.from == "twilio" && m.to == "caller")
        .map(|(at, m)| (at, m.first_line().to_string()))
        .collect()
}

/// The answer step: time, narration and source.
fn answered(t: &Timeline) -> Option<(u64, String, &'static str)> {
    t.steps
        .iter()
        .find(|s| s.kind == StepKind::LegAnswered && s.narration.contains("UserA"))
        .map(|s| (s.at_ms, s.narration.clone(), s.source.unwrap_or("")))
}

fn caller_status(t: &Timeline) -> CallStatus {
    let legs = refer_sim::transfer::legs_after(&t.steps, t.steps.len() - 1);
    legs.iter().find(|l| l.label == "UserA").expect("UserA's leg").status
}

#[test]
fn reject_busy_first_answers_a_sip_caller_486_and_never_200() {
    let t = run(&format!("<Response><Reject reason=\"busy\"/>{DIAL}</Response>"), SIP_CALLER);
    let sent = to_caller(&t);
    assert_eq!(sent, [(0, "SIP/2.0 180 Ringing".to_string()), (0, "SIP/2.0 486 Busy Here".to_string())]);
    assert_eq!(answered(&t), None);
    assert_eq!(caller_status(&t), CallStatus::Busy);
    let step = t.steps.iter().find(|s| s.narration.starts_with("<Reject")).expect("the <Reject> step");
    assert_eq!(step.source, Some("siptwiml.reject"));
    assert!(step.narration.contains("486 Busy Here"), "{}", step.narration);
}

#[test]
fn reject_without_reason_answers_a_sip_caller_404_and_ends_no_answer() {
    let t = run(&format!("<Response><Reject/>{DIAL}</Response>"), SIP_CALLER);
    assert_eq!(to_caller(&t).last().map(|(_, l)| l.as_str()), Some("SIP/2.0 404 Not Found"));
    assert!(!to_caller(&t).iter().any(|(_, l)| l.contains("200 OK")));
    assert_eq!(caller_status(&t), CallStatus::NoAnswer);
}

#[test]
fn reject_first_on_a_phone_caller_is_not_picked_up() {
    let t = run(&format!("<Response><Reject reason=\"busy\"/>{DIAL}</Response>"), "+14155550100");
    assert_eq!(answered(&t), None);
    assert_eq!(caller_status(&t), CallStatus::Busy);
    let step = t.steps.iter().find(|s| s.narration.starts_with("<Reject")).expect("the <Reject> step");
    assert_eq!(step.source, Some("reject.first-verb"));
    assert!(step.messages.is_empty(), "a phone caller gets no SIP from Twilio");
}

#[test]
fn reject_after_an_answered_verb_hangs_up_after_200() {
    let t = run(&format!("<Response><Pause length=\"1\"/><Reject/>{DIAL}</Response>"), SIP_CALLER);
    let sent = to_caller(&t);
    assert!(sent.iter().any(|(at, l)| *at == 0 && l.starts_with("SIP/2.0 200 OK")), "{sent:?}");
    assert!(sent.iter().any(|(at, l)| *at == 1000 && l.starts_with("BYE ")), "{sent:?}");
    assert_eq!(caller_status(&t), CallStatus::Completed);
}

#[test]
fn redirect_first_keeps_a_sip_caller_ringing_until_the_next_document_plays() {
    let t = run(&format!("<Response><Redirect>https://example.com/next</Redirect>{DIAL}</Response>"), SIP_CALLER);
    let (at, narration, source) = answered(&t).expect("answered once the <Say> runs");
    assert!(at > 0, "not answered before the redirect document arrived (at {at} ms)");
    assert_eq!(source, "siptwiml.200-on-verbs");
    assert!(narration.contains("before the next verb"), "{narration}");
    let sent = to_caller(&t);
    assert_eq!(sent.first().map(|(_, l)| l.as_str()), Some("SIP/2.0 180 Ringing"));
    assert!(sent.iter().any(|(when, l)| *when == at && l.starts_with("SIP/2.0 200 OK")), "{sent:?}");
}

#[test]
fn a_say_before_an_answer_on_bridge_dial_answers_the_call_first() {
    let initial = "<Response><Say>Connecting</Say><Dial answerOnBridge=\"true\" referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>";
    let t = run(initial, SIP_CALLER);
    let (at, narration, source) = answered(&t).expect("answered for the <Say>");
    assert_eq!((at, source), (0, "siptwiml.200-on-verbs"));
    assert!(narration.contains("starts the TwiML"), "{narration}");
    let say = t.steps.iter().position(|s| s.narration.starts_with("<Say>")).expect("the <Say> step");
    let answer = t.steps.iter().position(|s| s.kind == StepKind::LegAnswered).expect("the answer step");
    assert!(answer < say, "the caller is answered before the <Say> plays");
}

#[test]
fn a_pause_first_answers_a_sip_caller_on_the_reject_pages_word() {
    let t = run(&format!("<Response><Pause length=\"1\"/>{DIAL}</Response>"), SIP_CALLER);
    let (at, _, source) = answered(&t).expect("answered");
    assert_eq!((at, source), (0, "reject.answered"));
}

#[test]
fn check_says_the_verbs_after_reject_or_hangup_never_run() {
    use refer_sim::twiml::check::check_initial;
    let d = check_initial(&format!("<Response><Reject/>{DIAL}</Response>"));
    let w = d.iter().find(|d| d.code == "unreachable_after_end").expect("a warning");
    assert_eq!((w.line, w.column, w.provenance), (1, 11, refer_sim::Provenance::Doc("reject.unreachable")));
    assert!(w.message.contains("(<Dial>) never run"), "{}", w.message);
    let d = check_initial(&format!("<Response>{DIAL}<Hangup/><Say>bye</Say></Response>"));
    assert!(d.iter().any(|d| d.code == "unreachable_after_end" && d.message.contains("<Say>")), "{d:?}");
    let d = check_initial(&format!("<Response>{DIAL}<Hangup/></Response>"));
    assert!(!d.iter().any(|d| d.code == "unreachable_after_end"), "nothing after <Hangup>: {d:?}");
}

#[test]
fn an_answer_over_64_kb_fails_the_request_with_11750() {
    use refer_sim::scenario::{AppResponse, Simulation};
    let t = run(&format!("<Response>{DIAL}</Response>"), SIP_CALLER);
    assert!(t.steps.iter().all(|s| s.alerts.iter().all(|a| a.code != Some(11750))));
    let scenario = Scenario::from_json(
        &json!({
            "initialTwiml": format!("<Response>{DIAL}</Response>"),
            "refer": { "atMs": 20000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
            "endpoints": { "sip:AgentA@example.sip.twilio.com": { "answer": "answer", "afterMs": 3000 } }
        })
        .to_string(),
    )
    .expect("a valid scenario");
    let answering = |bytes: usize| {
        let body = format!("<Response><Say>{}</Say></Response>", "x".repeat(bytes - 32));
        assert_eq!(body.len(), bytes);
        let answer = AppResponse::from_json(&json!({ "twiml": body }).to_string()).expect("an answer up to 1 MiB is read");
        Simulation::new(scenario.clone()).expect("a run").with_handler(Box::new(move |_| Some(answer.clone()))).run()
    };
    // Exactly 64 kB is still read.
    let t = answering(64 * 1024);
    assert!(t.steps.iter().all(|s| s.kind != StepKind::WebhookFailed), "64 kB is read");
    assert!(t.steps.iter().any(|s| s.narration.contains("hears \"xxx")), "and its <Say> runs");
    let t = answering(70_032);
    let failed = t.steps.iter().find(|s| s.kind == StepKind::WebhookFailed).expect("the referUrl fails");
    assert_eq!(failed.alerts.first().and_then(|a| a.code), Some(11750));
    assert_eq!(failed.source, Some("error.11750"));
    assert!(failed.narration.contains("70032 bytes, larger than 64 kB"), "{}", failed.narration);
}

/// A run of the catalogue scenario `id` with `edit` applied to its JSON.
fn catalogue_run(id: &str, edit: impl FnOnce(&mut serde_json::Value)) -> Timeline {
    let entry = refer_sim::scenario::catalogue::catalogue().into_iter().find(|e| e.id == id).expect("a catalogue scenario");
    let mut json = serde_json::to_value(&entry.scenario).expect("scenario as JSON");
    edit(&mut json);
    simulate(&Scenario::from_json(&json.to_string()).expect("a valid scenario")).expect("a run")
}

#[test]
fn a_dial_whose_only_party_is_undialable_is_over_at_once() {
    // The raw ReferTransferTarget, <> included, in <Sip>: Twilio cannot dial it (13243), and the
    // <Dial> ends at the same instant, so its action is requested at once (not after the timeout).
    let t = catalogue_run("webhook-executed-aob-false", |s| {
        s["app"]["https://example.com/handler"]["twiml"] = "<Response><Dial action=\"https://example.com/after\"><Sip>&lt;sip:AgentB@example.sip.twilio.com&gt;</Sip></Dial></Response>".into();
        s["app"]["https://example.com/after"] = json!({ "twiml": "<Response><Hangup/></Response>" });
    });
    let fetched = t.steps.iter().find(|s| s.kind == StepKind::WebhookFetched).expect("the referUrl answers").at_ms;
    let action = t
        .steps
        .iter()
        .find(|s| s.webhook.as_deref().is_some_and(|w| w.url == "https://example.com/after"))
        .expect("the <Dial action> is requested");
    assert_eq!(action.at_ms, fetched, "the <Dial> with nothing it can dial is over at once");
}

#[test]
fn refer_on_a_client_call_names_the_voice_sdk_in_its_13801() {
    let t = catalogue_run("webhook-executed-aob-true", |s| {
        s["caller"] = json!({ "from": "client:alice", "to": "+18005550199" });
        s["initialTwiml"] = format!("<Response><Refer><Sip>sip:billing@pbx.example.com</Sip></Refer>{DIAL}</Response>").into();
    });
    let step = t.steps.iter().find(|s| s.alerts.iter().any(|a| a.code == Some(13801))).expect("alert 13801");
    assert!(step.narration.contains("a Twilio Client (Voice SDK) call"), "{}", step.narration);
}
