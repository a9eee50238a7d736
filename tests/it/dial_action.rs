//! `<Dial action>` requests: exactly the parameters the `<Dial>` and `<Sip>` pages list for
//! each kind of target (`DialBridged`; for a `<Sip>` target `DialSipCallId`, the final
//! response code), and the actions a completed or failed transfer never requests, each
//! shown as an `assumed` step. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{Step, StepKind, Timeline, WebhookRequest};

const AGENT_A: &str = "sip:AgentA@example.com";
const AGENT_B: &str = "sip:AgentB@example.com";

/// A transfer from AgentA to `target`; the referUrl answers with `refer_twiml`.
fn scenario(initial: &str, refer_twiml: &str, target: &str, target_endpoint: &str) -> Scenario {
    let json = serde_json::json!({
        "initialTwiml": initial,
        "refer": { "atMs": 10000, "referTo": if target.starts_with("sip:") { format!("<{target}>") } else { format!("<tel:{target}>") } },
        "app": { "https://e.com/refer": { "twiml": refer_twiml } },
        "endpoints": {
            AGENT_A: { "answer": "answer", "afterMs": 1000 },
            target: serde_json::from_str::<serde_json::Value>(target_endpoint).unwrap(),
        }
    });
    Scenario::from_json(&json.to_string()).unwrap()
}

fn initial(attrs: &str) -> String {
    format!(r#"<Response><Dial {attrs} referUrl="https://e.com/refer"><Sip>{AGENT_A}</Sip></Dial></Response>"#)
}

fn run(s: &Scenario) -> Timeline {
    simulate(s).unwrap()
}

fn action_request<'a>(t: &'a Timeline, url: &str) -> Option<&'a WebhookRequest> {
    t.steps.iter().filter_map(|s| s.webhook.as_deref()).find(|w| w.url == url)
}

fn names(w: &WebhookRequest) -> Vec<&str> {
    w.params.iter().map(|(k, _)| k.as_str()).collect()
}

fn step_with<'a>(t: &'a Timeline, text: &str) -> Option<&'a Step> {
    t.steps.iter().find(|s| s.narration.contains(text))
}

const BASE: [&str; 7] = ["AccountSid", "ApiVersion", "CallSid", "CallStatus", "Direction", "From", "To"];

/// (case, target, its endpoint, DialCallStatus, DialBridged, DialSipResponseCode or none)
#[allow(clippy::type_complexity)] // one row per case; its fields are named in the comment above
#[rustfmt::skip]
const CASES: &[(&str, &str, &str, &str, &str, Option<&str>)] = &[
    ("SIP, answers then hangs up", AGENT_B, r#"{"answer":"answer","afterMs":3000,"hangupAfterMs":20000}"#, "completed", "true", Some("200")),
    ("SIP, busy", AGENT_B, r#"{"answer":"busy","afterMs":2000}"#, "busy", "false", Some("486")),
    ("SIP, fails 503", AGENT_B, r#"{"answer":"fail","afterMs":2000}"#, "failed", "false", Some("503")),
    ("SIP, no answer", AGENT_B, r#"{"answer":"no-answer"}"#, "no-answer", "false", Some("487")),
    ("PSTN, answers then hangs up", "+14155550123", r#"{"answer":"answer","afterMs":3000,"hangupAfterMs":20000}"#, "completed", "true", None),
    ("PSTN, busy", "+14155550123", r#"{"answer":"busy","afterMs":2000}"#, "busy", "false", None),
];

#[test]
fn the_dial_action_carries_the_documented_parameters_for_each_target() {
    for (case, target, endpoint, status, bridged, code) in CASES {
        let noun = if target.starts_with("sip:") { format!("<Sip>{target}</Sip>") } else { format!("<Number>{target}</Number>") };
        let refer = format!(r#"<Response><Dial timeout="10" action="https://e.com/after">{noun}</Dial></Response>"#);
        let t = run(&scenario(&initial(""), &refer, target, endpoint));
        let w = action_request(&t, "https://e.com/after").unwrap_or_else(|| panic!("{case}: no action request"));
        assert_eq!(w.param("DialCallStatus"), Some(*status), "{case}");
        assert_eq!(w.param("DialBridged"), Some(*bridged), "{case}");
        let sid = w.param("DialCallSid").unwrap_or_else(|| panic!("{case}: DialCallSid"));
        assert!(sid.starts_with("CA") && sid.len() == 34 && Some(sid) != w.param("CallSid"), "{case}: the child call's SID");
        let mut expected: Vec<&str> = BASE.to_vec();
        expected.extend(["DialCallStatus", "DialCallSid"]);
        if *bridged == "true" {
            expected.push("DialCallDuration");
            assert_eq!(w.param("DialCallDuration"), Some("20"), "{case}");
        }
        expected.push("DialBridged");
        if let Some(code) = code {
            // The Call-ID of the INVITE dialog Twilio opened to the target.
            let invite = t
                .steps
                .iter()
                .flat_map(|s| &s.messages)
                .find(|m| m.first_line().starts_with(&format!("INVITE {target}")))
                .unwrap();
            let call_id = invite.text().lines().find_map(|l| l.strip_prefix("Call-ID: ")).unwrap();
            expected.extend(["DialSipCallId", "DialSipResponseCode"]);
            assert_eq!(w.param("DialSipCallId"), Some(call_id), "{case}");
            assert_eq!(w.param("DialSipResponseCode"), Some(*code), "{case}");
        }
        assert_eq!(names(w), expected, "{case}: exactly these parameters, in this order");
        let body = w.body.as_deref().unwrap();
        assert!(body.contains(&format!("DialBridged={bridged}")), "{case}: in the signed form body");
    }
}

#[test]
fn a_completed_transfer_says_the_initial_dial_action_and_later_verbs_never_run() {
    let init = format!(
        r#"<Response><Dial referUrl="https://e.com/refer" action="https://e.com/initial-action"><Sip>{AGENT_A}</Sip></Dial><Say>after the initial dial</Say></Response>"#
    );
    let refer = format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>");
    let t = run(&scenario(&init, &refer, AGENT_B, r#"{"answer":"answer","afterMs":3000,"hangupAfterMs":20000}"#));
    assert!(action_request(&t, "https://e.com/initial-action").is_none(), "never requested");
    let s = step_with(&t, "https://e.com/initial-action").expect("a step names the skipped action");
    assert_eq!(s.tag.as_str(), "assumed");
    assert!(s.narration.contains("(assumed)") && s.narration.contains("<Say>"), "{}", s.narration);
    assert!(!t.steps.iter().any(|s| s.narration.contains("hears \"after the initial dial\"")));
}

#[test]
fn with_answer_on_bridge_a_failed_target_skips_the_refer_url_dial_action_as_assumed() {
    let refer = format!(r#"<Response><Dial timeout="10" action="https://e.com/after"><Sip>{AGENT_B}</Sip></Dial></Response>"#);
    let t = run(&scenario(&initial(r#"answerOnBridge="true""#), &refer, AGENT_B, r#"{"answer":"no-answer"}"#));
    assert!(action_request(&t, "https://e.com/after").is_none(), "never requested");
    let s = step_with(&t, "https://e.com/after").expect("a step names the skipped action");
    assert_eq!((s.kind, s.tag.as_str()), (StepKind::TwimlVerb, "assumed"));
    assert!(s.narration.contains("(assumed)"), "{}", s.narration);
    // The re-establishment itself is the page's sentence: the end step says it, `doc`; the NOTIFY
    // step, which names its assumed code, is `assumed`.
    let back = t.steps.iter().find(|s| s.kind == StepKind::NotifySent && s.narration.contains("re-established")).unwrap();
    assert_eq!((back.tag.as_str(), back.source), ("assumed", None), "{}", back.narration);
    assert_eq!(t.steps.last().unwrap().source, Some("refer.table.no-answer.aob-true"));
}

#[test]
fn requests_about_a_child_leg_carry_parent_call_sid() {
    use refer_sim::scenario::catalogue::catalogue;
    use refer_sim::transfer::webhook::sid;
    let run_id = |id: &str| run(&catalogue().into_iter().find(|e| e.id == id).unwrap().scenario);
    // UserA's SIP call is the inbound (parent) call; the REFER makes Twilio request referUrl
    // about AgentA, the leg its <Dial> created.
    let t = run_id("inbound-sip-caller");
    let w = t.steps.iter().find_map(|s| s.webhook.as_deref()).unwrap();
    assert_eq!((w.param("Direction"), w.param("CallSid")), (Some("outbound-dial"), Some(sid("CA", "caller").as_str())));
    assert_eq!(w.param("ParentCallSid"), Some(sid("CA", "transferor").as_str()));
    assert!(w.body.as_deref().unwrap().contains("&ParentCallSid=CA"), "in the signed form body");
    // A request about the inbound call itself has no parent.
    for id in ["agentb-answers-aob-false", "action-handles-failure"] {
        for w in run_id(id).steps.iter().filter_map(|s| s.webhook.as_deref()) {
            assert_eq!((w.param("Direction"), w.param("ParentCallSid")), (Some("inbound"), None), "{id} {}", w.url);
        }
    }
}
