//! Issue 10, item 5: places where the simulator said something Twilio's pages contradict.
//! Each test failed on the code before the fix.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{StepKind, Timeline};
use serde_json::{json, Value};

#[allow(dead_code)]
fn run(scenario: Value) -> Timeline {
    let scenario = Scenario::from_json(&scenario.to_string()).expect("a valid scenario");
    simulate(&scenario).expect("a run")
}

fn catalogued(id: &str) -> Timeline {
    let entry = catalogue().into_iter().find(|e| e.id == *id).unwrap_or_else(|| panic!("no catalogue scenario {id}"));
    simulate(&entry.scenario).unwrap_or_else(|e| panic!("{id}: {e}"))
}

const INITIAL: &str =
    "<Response><Dial referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>";
const TO_AGENT_B: &str = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";

/// What UserA hears after each step, with the step's time and tag.
fn caller_hearing(t: &Timeline) -> Vec<(u64, String, String)> {
    let mut out = Vec::new();
    for (i, s) in t.steps.iter().enumerate() {
        let legs = refer_sim::transfer::legs_after(&t.steps, i);
        let caller = legs.iter().find(|l| l.label == "UserA").expect("UserA's leg");
        out.push((s.at_ms, caller.hearing.to_string(), s.source.unwrap_or("").to_string()));
    }
    out
}

/// The bridged steps of `t`: a `doc` one by its source, an assumed one resting on the Elastic SIP
/// Trunking article (`notify.*`, another product's: `src/sources.md` §2) by what it says.
fn bridged(t: &Timeline) -> Vec<&'static str> {
    let of = |s: &refer_sim::transfer::Step| match (s.source, s.tag.as_str()) {
        (Some(id), _) => id,
        (None, "assumed") if s.narration.contains(" hears no audio: ") => "no audio (assumed)",
        (None, "assumed") if s.narration.contains(": audio resumes between ") => "audio resumes (assumed)",
        _ => "?",
    };
    t.steps.iter().filter(|s| s.kind == StepKind::Bridged).map(of).collect()
}

// a. "How to Prevent Audio Issues by Correctly Handling SIP NOTIFY from Twilio on REFER": the
// transferee has no audio while the transferor's leg lives; it resumes once Twilio's BYE ends it.
#[test]
fn a_transferee_has_no_audio_until_the_ignored_notify_ends_the_transferors_leg() {
    let t = catalogued("no-bye-after-notify");
    let hearing = caller_hearing(&t);
    let at = |ms: u64| hearing.iter().filter(|(at, _, _)| *at == ms).map(|(_, h, _)| h.as_str()).next_back().unwrap();
    // AgentB answers at 28.12 s; Twilio's BYE to AgentA goes out at 52.12 s.
    assert_eq!(at(28_120), "silence", "UserA hears nothing while AgentA's leg lives");
    assert_eq!(at(52_120), "AgentB", "audio resumes once Twilio's BYE ended AgentA's leg");
    assert_eq!(bridged(&t), ["dial.connects", "no audio (assumed)", "audio resumes (assumed)"]);
}

#[test]
fn a_transferor_that_hangs_up_promptly_leaves_the_transferee_hearing_the_target() {
    for id in ["agentb-answers-aob-false", "agentb-answers-aob-true"] {
        let t = catalogued(id);
        let last = caller_hearing(&t).last().cloned().unwrap();
        assert_eq!(last.1, "AgentB", "{id}");
        assert!(!bridged(&t).contains(&"no audio (assumed)"), "{id}");
    }
}

// b. AgentB answered, talked and hung up: the transfer went through, it did not fail.
#[test]
fn b_a_target_that_answered_and_later_hung_up_took_the_transfer() {
    for aob in ["false", "true"] {
        let t = run(json!({
            "initialTwiml": INITIAL.replace("<Dial ", &format!("<Dial answerOnBridge='{aob}' ")),
            "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
            "app": { "https://example.com/handler": { "twiml": TO_AGENT_B } },
            "endpoints": { "sip:AgentB@example.sip.twilio.com": { "afterMs": 2000, "hangupAfterMs": 60000 } },
        }));
        let summary = &t.outcome.summary;
        assert!(!summary.contains("never took over"), "aob {aob}: {summary}");
        assert!(
            summary.starts_with("The transfer went through") && summary.contains("AgentB later hung up"),
            "aob {aob}: {summary}"
        );
        let cause = &t.explanation.cause;
        assert!(cause.contains("AgentB answered") && cause.contains("AgentB later hung up"), "aob {aob}: {cause}");
        assert_eq!(t.explanation.fix, None);
        // The summary restates the "AgentB answers" cell of the outcome table.
        let end = t.steps.last().unwrap();
        assert_eq!((end.kind, end.source), (StepKind::End, Some(format!("refer.table.answers.aob-{aob}").as_str())));
    }
}

// c. /docs/voice/api/sip-twiml: "When Twilio receives an incoming INVITE to your Twilio SIP
// domain and authenticates it, it passes a 180 Ringing SIP response code to your SIP endpoint."
#[test]
fn c_a_sip_caller_gets_180_ringing_before_200_ok() {
    let t = catalogued("inbound-sip-caller");
    let to_caller: Vec<(u64, &str, Option<&str>)> = t
        .steps
        .iter()
        .flat_map(|s| s.messages.iter().map(move |m| (s, m)))
        .filter(|(_, m)| m.from == "twilio" && m.first_line().starts_with("SIP/2.0 ") && m.text().contains("CSeq: 1 INVITE"))
        .filter(|(_, m)| t.steps.first().is_some_and(|first| first.messages.iter().any(|i| i.to == "twilio" && i.from == m.to)))
        .map(|(s, m)| (s.at_ms, m.first_line(), s.source))
        .collect();
    assert_eq!(to_caller.first(), Some(&(0, "SIP/2.0 180 Ringing", Some("siptwiml.180-on-invite"))), "{to_caller:?}");
    assert!(to_caller.iter().any(|(_, line, _)| *line == "SIP/2.0 200 OK"), "{to_caller:?}");
    // A caller from the phone network gets no SIP at all.
    let pstn = catalogued("agentb-answers-aob-false");
    assert!(!pstn.steps.iter().any(|s| s.source == Some("siptwiml.180-on-invite")));
}

// a, the article's own story: answerOnBridge true, so the terminated NOTIFY goes out as the
// target answers and the two are bridged at once; a transferor that never sends BYE leaves
// the transferee with no audio from the moment its BYE is overdue until Twilio's BYE.
#[test]
fn a_with_answer_on_bridge_the_transferee_loses_audio_once_the_bye_is_overdue() {
    use refer_sim::transfer::{BYE_OVERDUE_MS, TWILIO_BYE_AFTER_MS};
    let t = run(json!({
        "initialTwiml": INITIAL.replace("<Dial ", "<Dial answerOnBridge='true' "),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "app": { "https://example.com/handler": { "latencyMs": 100, "twiml": TO_AGENT_B } },
        "endpoints": {
            "sip:AgentA@example.sip.twilio.com": { "afterMs": 1000, "byeOnNotify": false },
            "sip:AgentB@example.sip.twilio.com": { "afterMs": 5000 },
        },
    }));
    let answered = 10_100 + 5_000;
    let hearing = caller_hearing(&t);
    let last_at = |ms: u64| hearing.iter().filter(|(at, _, _)| *at == ms).map(|(_, h, _)| h.as_str()).next_back();
    assert_eq!(last_at(answered), Some("AgentB"), "{hearing:?}");
    assert_eq!(last_at(answered + BYE_OVERDUE_MS), Some("silence"), "{hearing:?}");
    assert_eq!(last_at(answered + TWILIO_BYE_AFTER_MS), Some("AgentB"), "{hearing:?}");
    assert_eq!(bridged(&t), ["dial.connects", "dial.connects", "no audio (assumed)", "audio resumes (assumed)"]);
}

#[test]
fn a_the_missing_audio_ends_with_the_bridge_it_belonged_to() {
    // AgentB hangs up while AgentA still lingers: UserA goes on with the verbs after the
    // referUrl <Dial> and hears them.
    let t = run(json!({
        "initialTwiml": INITIAL,
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "app": { "https://example.com/handler": { "latencyMs": 100, "twiml": "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial><Say>Goodbye</Say></Response>" } },
        "endpoints": {
            "sip:AgentA@example.sip.twilio.com": { "afterMs": 1000, "byeOnNotify": false },
            "sip:AgentB@example.sip.twilio.com": { "afterMs": 5000, "hangupAfterMs": 3000 },
        },
    }));
    let hearing = caller_hearing(&t);
    assert!(hearing.iter().any(|(at, h, _)| *at == 15_100 && h == "silence"), "{hearing:?}");
    assert!(hearing.iter().any(|(at, h, _)| *at == 18_100 && h.contains("Goodbye")), "{hearing:?}");
    assert!(!bridged(&t).contains(&"audio resumes (assumed)"));
}
