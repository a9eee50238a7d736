//! Properties of the transfer machine over random scenarios (native only:
//! proptest does not run on wasm32): no panic, no leg bridged to an ended
//! leg, nobody left ringing, answerOnBridge true recovers every failure, and
//! the same scenario always gives the same timeline.
#![cfg(not(target_arch = "wasm32"))]

use crate::common;

use common::scenarios::scenario;
use proptest::prelude::*;
use refer_sim::scenario::catalogue::{AGENT_A, AGENT_B, AGENT_C, HANDLER};
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{CallStatus, LegId, LegReplay, Timeline};
use serde_json::json;

fn check_invariants(t: &Timeline) -> Result<(), TestCaseError> {
    let mut replay = LegReplay::new();
    for s in &t.steps {
        let before = replay.legs().to_vec();
        let legs = replay.apply(s);
        // A step records a leg only when it is new or differs from the step before.
        for changed in &s.changed_legs {
            prop_assert!(!before.contains(changed), "at {} ({:?}) {} is recorded unchanged", s.at_ms, s.kind, changed.id);
        }
        prop_assert!(legs.len() >= before.len(), "a leg disappeared");
        for l in legs {
            if let Some(b) = &l.bridged_with {
                let other = legs.iter().find(|x| &x.id == b).expect("bridged with a leg that exists");
                prop_assert!(
                    !l.status.is_final() && !other.status.is_final(),
                    "at {} ({:?}) {} is bridged with ended {}",
                    s.at_ms,
                    s.kind,
                    l.id,
                    b
                );
                prop_assert_eq!(other.bridged_with.as_ref(), Some(&l.id), "bridges are symmetric");
            }
        }
    }
    prop_assert!(t.steps.windows(2).all(|w| w[0].at_ms <= w[1].at_ms));
    prop_assert!(t.final_legs().iter().all(|l| l.status != CallStatus::Ringing), "a leg still rings at the end");
    Ok(())
}

/// The property over one scenario: it runs, keeps the invariants, and runs the same twice.
fn keeps_the_invariants(s: &Scenario) -> Result<Timeline, TestCaseError> {
    let t = simulate(s).map_err(|e| TestCaseError::fail(e.to_string()))?;
    check_invariants(&t)
        .map_err(|e| TestCaseError::fail(format!("{e}\nscenario: {}", serde_json::to_string(s).unwrap_or_default())))?;
    prop_assert_eq!(&t, &simulate(s).unwrap(), "determinism");
    Ok(t)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_keep_the_invariants(s in scenario()) {
        keeps_the_invariants(&s)?;
    }

    #[test]
    fn with_answer_on_bridge_true_every_failure_reconnects_caller_and_transferor(
        failure in 0..5usize,
        latency in 0..3000u64,
        after in 0..20_000u64,
    ) {
        let (app, b) = match failure {
            0 => (json!({ "twiml": format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>"), "latencyMs": latency }), json!({ "answer": "no-answer" })),
            1 => (json!({ "twiml": format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>"), "latencyMs": latency }), json!({ "answer": "busy", "afterMs": after })),
            2 => (json!({ "twiml": format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>"), "latencyMs": latency }), json!({ "answer": "fail", "afterMs": after, "sipCode": 404 })),
            3 => (json!({ "status": 500, "latencyMs": latency }), json!({})),
            _ => (json!({ "unreachable": true, "latencyMs": latency }), json!({})),
        };
        let s = Scenario::from_json(
            &json!({
            "initialTwiml": format!("<Response><Dial answerOnBridge=\"true\" referUrl=\"{HANDLER}\"><Sip>{AGENT_A}</Sip></Dial></Response>"),
            "refer": { "atMs": 20000, "referTo": format!("<{AGENT_B}>") },
            "app": { HANDLER: app },
            "endpoints": { AGENT_A: { "afterMs": 3000 }, AGENT_B: b },
            })
            .to_string(),
        )
        .unwrap();
        let t = simulate(&s).unwrap();
        check_invariants(&t)?;
        prop_assert_eq!(&t.outcome.connected, &vec![(LegId::caller(), LegId::transferor())], "{}", t.outcome.summary);
    }
}

/// The two failures proptest recorded (in tests/transfer_props.proptest-regressions, now removed: seeds of
/// the generator of the time, which the shared generator no longer turns into these cases),
/// written out as they shrank, with what each was about.
///
/// `7e1c87ae…` (ecfcf04): a Redirect loop left a leg ringing. The handler's `<Dial>` rings
/// AgentB and AgentC, AgentB answers and hangs up at once, the action URL redirects to the
/// handler, which dials again, until the step limit stops the run: every live leg is ended there.
#[test]
fn recorded_a_redirect_loop_stopped_at_the_step_limit_leaves_nobody_ringing() {
    let s = recorded(
        json!({ "referUrl": true, "referFrom": "transferor", "atMs": 17233, "referTo": format!("<{AGENT_B}>") }),
        json!({ "status": 200, "latencyMs": 0, "twiml": format!("<Response><Dial timeout=\"5\" action=\"https://example.com/after\"><Sip>{AGENT_B}</Sip><Sip>{AGENT_C}</Sip></Dial></Response>") }),
        json!({ "status": 200, "latencyMs": 0, "twiml": "<Response><Redirect>https://example.com/handler</Redirect></Response>" }),
        json!({ AGENT_A: {}, AGENT_B: { "hangupAfterMs": 0 }, AGENT_C: {} }),
    );
    let t = keeps_the_invariants(&s).unwrap();
    // The shape it was recorded for: the loop runs into the step limit.
    assert!(t.steps.len() >= refer_sim::transfer::MAX_STEPS, "{} steps", t.steps.len());
    assert!(t.outcome.alerts.iter().any(|a| a.message.contains("simulation stopped after")), "{:?}", t.outcome.alerts);
}

/// `5e0cf4e8…` (ed55db2): a second `<Dial>` in the same transfer reused leg ids, and a
/// transferee leaving the inbound leg's `<Dial>` was hung up with it. Here the caller sends the
/// REFER (to a tel: URI), so AgentA is the one who goes on with the referUrl TwiML, whose
/// `<Dial>` (answerOnBridge, its own referUrl) rings AgentB until AgentA hangs up.
#[test]
fn recorded_a_transferee_outlives_the_inbound_call_it_left() {
    let s = recorded(
        json!({ "referUrl": true, "referFrom": "caller", "atMs": 25829, "referTo": "tel:+14155550100" }),
        json!({ "status": 200, "latencyMs": 1889, "twiml": format!("<Response><Say>Connecting you</Say><Dial answerOnBridge=\"true\" referUrl=\"{HANDLER}\"><Sip>{AGENT_B}</Sip></Dial><Say>Bye</Say></Response>") }),
        json!({ "status": 200, "latencyMs": 0, "twiml": format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>") }),
        json!({ AGENT_A: { "hangupAfterMs": 28719 }, AGENT_B: { "afterMs": 1 }, AGENT_C: {} }),
    );
    let t = keeps_the_invariants(&s).unwrap();
    // The shape it was recorded for: Twilio ends UserA's call, then AgentA, out of the inbound
    // leg's <Dial>, runs the referUrl TwiML, rings AgentB, and ends by its own hangup.
    let at = |start: &str| {
        t.steps
            .iter()
            .position(|s| s.narration.starts_with(start))
            .unwrap_or_else(|| panic!("{start}: {:#?}", t.steps.iter().map(|s| (s.at_ms, &s.narration)).collect::<Vec<_>>()))
    };
    let user_a_released = at("With no subscription to notify, Twilio sends BYE to UserA");
    let agent_b_rung = at("Twilio calls AgentB");
    let agent_a_hangs_up = at("AgentA hangs up (BYE)");
    assert!(user_a_released < at("<Say>: AgentA hears") && user_a_released < agent_b_rung && agent_b_rung < agent_a_hangs_up);
    assert_eq!(t.steps[agent_a_hangs_up].at_ms, 28719);
    let legs = t.final_legs();
    let mut ids: Vec<_> = legs.iter().map(|l| l.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), legs.len(), "leg ids are unique");
}

/// A scenario as proptest's shrunk cases print them: the initial `<Dial>` to AgentA (with the
/// referUrl or not), Enhanced SIP Features on, no referSub, no chained REFER, the SIP caller; the
/// handler's and the action URL's answers; endpoints answering at once, no BYE on NOTIFY
/// (each endpoint's fields over those defaults).
fn recorded(
    refer: serde_json::Value,
    handler: serde_json::Value,
    after: serde_json::Value,
    endpoints: serde_json::Value,
) -> Scenario {
    let url = if refer["referUrl"] == true { format!(" referUrl=\"{HANDLER}\"") } else { String::new() };
    let mut endpoints = endpoints;
    for e in endpoints.as_object_mut().unwrap().values_mut() {
        let e = e.as_object_mut().unwrap();
        e.entry("afterMs").or_insert(json!(0));
        e.insert("byeOnNotify".into(), json!(false));
    }
    let v = json!({
        "initialTwiml": format!("<Response><Dial{url}><Sip>{AGENT_A}</Sip></Dial><Say>Goodbye</Say></Response>"),
        "referFrom": refer["referFrom"],
        "enhancedSipFeatures": true,
        "refer": { "atMs": refer["atMs"], "referTo": refer["referTo"], "referSub": false },
        "app": { HANDLER: handler, "https://example.com/after": after },
        "endpoints": endpoints,
        "caller": { "from": "sip:UserA@pbx.example.com", "to": "+18005550199" },
    });
    Scenario::from_json(&v.to_string()).unwrap()
}
