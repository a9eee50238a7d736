//! Twilio's webhook timeouts: an application that answers later than Twilio waits fails
//! like an unreachable one (11205; 11203 when a `#tt=` override ran out), the connection
//! override fragments `#rt=` / `#tt=` on any fetched URL, what the caller heard while
//! Twilio waited, and the scenario warning for a handler slower than the limit. Runs
//! natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{webhook_timeout, StepKind, Timeline, WebhookLimit};

const AGENT_A: &str = "sip:AgentA@example.com";
const AGENT_B: &str = "sip:AgentB@example.com";
/// The REFER arrives at 10 000 ms, so the referUrl request is sent then.
const REFER_AT: u64 = 10_000;

/// (URL, wait, limit)
#[rustfmt::skip]
const LIMITS: &[(&str, u64, WebhookLimit)] = &[
    ("https://e.com/refer", 15_000, WebhookLimit::Default),
    ("https://e.com/refer#rt=5000", 5_000, WebhookLimit::Read),
    ("https://e.com/refer#tt=8000", 8_000, WebhookLimit::Total),
    ("https://e.com/refer#rt=5000&tt=3000", 3_000, WebhookLimit::Total),
    ("https://e.com/refer#ct=1000&rc=3&rt=4000&tt=9000", 4_000, WebhookLimit::Read),
    ("https://e.com/refer#rt=20000", 15_000, WebhookLimit::Default),
    ("https://e.com/refer#tt=60000", 15_000, WebhookLimit::Total),
    ("https://e.com/refer#rt=50", 100, WebhookLimit::Read),
    ("https://e.com/refer#rt=soon", 15_000, WebhookLimit::Default),
    ("https://e.com/refer?rt=5000", 15_000, WebhookLimit::Default),
    ("https://e.com/refer#art=5000", 15_000, WebhookLimit::Default),
];

#[test]
fn connection_overrides_in_the_fragment_set_the_wait() {
    for (url, ms, limit) in LIMITS {
        assert_eq!(webhook_timeout(url), (*ms, *limit), "{url}");
    }
}

fn scenario(refer_url: &str, aob: bool, latency_ms: u64) -> Scenario {
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="{aob}" referUrl="{}"><Sip>{AGENT_A}</Sip></Dial></Response>"#, refer_url.replace('&', "&amp;")),
        "refer": { "atMs": REFER_AT, "referTo": format!("<{AGENT_B}>") },
        "app": { refer_url: { "latencyMs": latency_ms, "twiml": format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>") } },
        "endpoints": { AGENT_A: { "answer": "answer", "afterMs": 1000 }, AGENT_B: { "answer": "answer", "afterMs": 2000 } }
    });
    Scenario::from_json(&json.to_string()).unwrap()
}

fn failed(t: &Timeline) -> Option<(u64, u32)> {
    t.steps.iter().find(|s| s.kind == StepKind::WebhookFailed).map(|s| (s.at_ms, s.alerts[0].code.unwrap()))
}

fn target_connected(t: &Timeline) -> bool {
    t.outcome.connected.iter().any(|(a, b)| a.as_str().contains("target") || b.as_str().contains("target"))
}

/// (referUrl, answerOnBridge, latency, failure: (ms after the request, alert) or none)
#[allow(clippy::type_complexity)] // one row per case; its fields are named in the comment above
#[rustfmt::skip]
const SLOW: &[(&str, bool, u64, Option<(u64, u32)>)] = &[
    ("https://e.com/refer", false, 20_000, Some((15_000, 11205))),
    ("https://e.com/refer", true, 30_000, Some((15_000, 11205))),
    ("https://e.com/refer", true, 16_000, Some((15_000, 11205))),
    ("https://e.com/refer", true, 15_000, Some((15_000, 11205))),
    ("https://e.com/refer", true, 14_999, None),
    ("https://e.com/refer#rt=5000", true, 8_000, Some((5_000, 11205))),
    ("https://e.com/refer#rt=5000", false, 4_000, None),
    ("https://e.com/refer#tt=3000", true, 4_000, Some((3_000, 11203))),
    ("https://e.com/refer#rt=5000&tt=3000", false, 4_000, Some((3_000, 11203))),
];

#[test]
fn a_refer_url_slower_than_the_limit_fails_like_an_unreachable_one() {
    for (url, aob, latency, failure) in SLOW {
        let case = format!("{url} aob={aob} latency={latency}");
        let t = simulate(&scenario(url, *aob, *latency)).unwrap();
        assert_eq!(failed(&t), failure.map(|(after, code)| (REFER_AT + after, code)), "{case}");
        match failure {
            Some((_, code)) => {
                assert!(!target_connected(&t), "{case}: no transfer");
                let cell = if *code == 11205 { "refer.table.unreachable" } else { "refer.aob" };
                let summary = t.steps.last().unwrap();
                assert!(summary.source.is_some_and(|s| s.starts_with(cell)), "{case}: {:?}", summary.source);
                // The initial call comes back only with answerOnBridge true.
                let back = t.outcome.connected.iter().any(|(a, b)| (a.as_str(), b.as_str()) == ("caller", "transferor"));
                assert_eq!(back, *aob, "{case}");
                // A late answer that still arrives during the run is dropped.
                for late in t.steps.iter().filter(|s| s.kind == StepKind::Ignored) {
                    assert!(late.narration.contains("after Twilio had given up"), "{case}: {}", late.narration);
                }
                let warning = t.warnings.iter().find(|w| w.code == "slow_app").expect("a slow_app warning");
                assert!(warning.message.contains("Twilio gives up after"), "{case}: {}", warning.message);
            }
            None => {
                assert!(target_connected(&t), "{case}: the transfer goes through");
                assert!(!t.warnings.iter().any(|w| w.code == "slow_app"), "{case}");
            }
        }
    }
}

#[test]
fn the_failure_says_what_the_caller_heard_while_twilio_waited() {
    let t = simulate(&scenario("https://e.com/refer", false, 20_000)).unwrap();
    let s = t.steps.iter().find(|s| s.kind == StepKind::WebhookFailed).unwrap();
    assert_eq!((s.tag.as_str(), s.source), ("doc", Some("error.11205")));
    assert!(s.narration.contains("within 15 s, Twilio's total webhook timeout"), "{}", s.narration);
    assert!(s.narration.contains("UserA stayed connected with AgentA while Twilio waited"), "{}", s.narration);
    let t = simulate(&scenario("https://e.com/refer#tt=3000", true, 4_000)).unwrap();
    let s = t.steps.iter().find(|s| s.kind == StepKind::WebhookFailed).unwrap();
    assert_eq!(s.source, Some("error.11203"));
    assert!(s.narration.contains("within 3 s, the total time its #tt=3000 override sets"), "{}", s.narration);
}

#[test]
fn a_slow_dial_action_fails_and_ends_the_call() {
    // answerOnBridge false: the transfer commits at the referUrl answer (10 100 ms); AgentB is
    // busy 2 s later and the referUrl <Dial action> (with #rt=2500) is requested at 12 100 ms.
    let action = "https://e.com/after#rt=2500";
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial referUrl="https://e.com/refer"><Sip>{AGENT_A}</Sip></Dial></Response>"#),
        "refer": { "atMs": REFER_AT, "referTo": format!("<{AGENT_B}>") },
        "app": {
            "https://e.com/refer": { "twiml": format!(r#"<Response><Dial action="{action}"><Sip>{AGENT_B}</Sip></Dial></Response>"#) },
            action: { "latencyMs": 3000, "twiml": "<Response><Say>never heard</Say></Response>" }
        },
        "endpoints": { AGENT_A: { "answer": "answer", "afterMs": 1000 }, AGENT_B: { "answer": "busy", "afterMs": 2000 } }
    });
    let t = simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap();
    let sent =
        t.steps.iter().find(|s| s.webhook.as_deref().is_some_and(|w| w.url == action)).expect("the action is requested").at_ms;
    let s = t.steps.iter().find(|s| s.kind == StepKind::WebhookFailed).unwrap();
    assert_eq!((s.at_ms, s.alerts[0].code), (sent + 2_500, Some(11205)));
    assert!(s.narration.contains("within 2500 ms, the read timeout its #rt=2500 override sets"), "{}", s.narration);
    assert!(s.narration.contains("UserA heard silence while Twilio waited"), "{}", s.narration);
    assert!(!t.steps.iter().any(|s| s.narration.contains("never heard")));
    assert!(t.outcome.legs.iter().all(|(_, st)| st.is_final()));
    assert!(
        t.warnings.iter().any(|w| w.code == "slow_app" && w.message.contains("Twilio gives up after 2500 ms")),
        "{:?}",
        t.warnings
    );
}

#[test]
fn the_catalogue_teaches_a_read_timeout_override() {
    use refer_sim::scenario::catalogue::catalogue;
    let entry = catalogue().into_iter().find(|e| e.id == "refer-url-read-timeout").expect("the catalogue scenario");
    assert_eq!(entry.group, "Webhook limits");
    let t = simulate(&entry.scenario).unwrap();
    // The REFER at 20 000 ms; #rt=5000 gives up at 25 000 ms, 3 s before the 8 s answer.
    assert_eq!(failed(&t), Some((25_000, 11205)));
    assert!(t.outcome.connected.is_empty(), "answerOnBridge absent: nobody is left connected");
    assert_eq!(t.steps.last().unwrap().source, Some("refer.table.unreachable.aob-false"));
    assert!(
        t.warnings.iter().any(|w| w.code == "slow_app" && w.message.contains("Twilio gives up after 5 s")),
        "{:?}",
        t.warnings
    );
}
