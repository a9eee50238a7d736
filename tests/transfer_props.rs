//! Properties of the transfer machine over random scenarios (native only:
//! proptest does not run on wasm32): no panic, no leg bridged to an ended
//! leg, nobody left ringing, answerOnBridge true recovers every failure, and
//! the same scenario always gives the same timeline.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use refer_sim::scenario::catalogue::{AGENT_A, AGENT_B, AGENT_C, HANDLER};
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{CallStatus, LegId, LegReplay, Timeline};
use serde_json::{json, Value};

fn endpoint() -> impl Strategy<Value = Value> {
    (0..4u8, 0..40_000u64, any::<bool>(), any::<bool>(), proptest::option::of(0..60_000u64)).prop_map(
        |(a, after, bye, hold, hangup)| {
            let answer = ["answer", "no-answer", "busy", "fail"][a as usize];
            json!({ "answer": answer, "afterMs": after, "byeOnNotify": bye, "holdBeforeRefer": hold, "hangupAfterMs": hangup })
        },
    )
}

fn app() -> impl Strategy<Value = Value> {
    let docs = [
        format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>"),
        format!("<Response><Dial timeout=\"5\" action=\"https://example.com/after\"><Sip>{AGENT_B}</Sip><Sip>{AGENT_C}</Sip></Dial></Response>"),
        format!("<Response><Say>Connecting you</Say><Dial answerOnBridge=\"true\" referUrl=\"{HANDLER}\"><Sip>{AGENT_B}</Sip></Dial><Say>Bye</Say></Response>"),
        "<Response><Gather action=\"https://example.com/after\"><Say>Press 1</Say></Gather><Redirect>https://example.com/after</Redirect></Response>".to_string(),
        "<Response><Enqueue>support</Enqueue></Response>".to_string(),
        "<Response><Hangup/></Response>".to_string(),
        "<Response><Redirect>https://example.com/handler</Redirect></Response>".to_string(),
        "<Response><Dial>".to_string(),
    ];
    (0..docs.len() + 2, 0..3000u64).prop_map(move |(i, latency)| match i {
        i if i < docs.len() => json!({ "status": 200, "latencyMs": latency, "twiml": docs[i] }),
        i if i == docs.len() => json!({ "status": 500, "latencyMs": latency }),
        _ => json!({ "unreachable": true, "latencyMs": latency }),
    })
}

prop_compose! {
    fn scenario()(
        aob in proptest::option::of(any::<bool>()),
        refer_url in any::<bool>(),
        get in any::<bool>(),
        from_caller in any::<bool>(),
        enhanced in any::<bool>(),
        at in 0..60_000u64,
        refer_to in 0..4usize,
        refer_sub in any::<bool>(),
        a in endpoint(),
        b in endpoint(),
        c in endpoint(),
        handler in app(),
        after in app(),
        chained in any::<bool>(),
        digits in proptest::collection::vec("[0-9]", 0..3),
    ) -> Scenario {
        let aob = aob.map(|b| format!(" answerOnBridge=\"{b}\"")).unwrap_or_default();
        let url = if refer_url { format!(" referUrl=\"{HANDLER}\"") } else { String::new() };
        let method = if get { " referMethod=\"GET\"" } else { "" };
        let target = [format!("<{AGENT_B}>"), format!("<sip:x@y.com?X-Z={}>", "z".repeat(260)), "<sip:bad host>".into(), "tel:+14155550100".into()][refer_to].clone();
        let v = json!({
            "initialTwiml": format!("<Response><Dial{aob}{url}{method}><Sip>{AGENT_A}</Sip></Dial><Say>Goodbye</Say></Response>"),
            "referFrom": if from_caller { "caller" } else { "transferor" },
            "caller": { "from": "sip:UserA@pbx.example.com" },
            "enhancedSipFeatures": enhanced,
            "refer": { "atMs": at, "referTo": target, "referSub": refer_sub },
            "chainedRefers": if chained { json!([{ "afterMs": 5000, "referTo": format!("<{AGENT_C}>") }]) } else { json!([]) },
            "app": { HANDLER: handler, "https://example.com/after": after },
            "endpoints": { AGENT_A: a, AGENT_B: b, AGENT_C: c },
            "callerDigits": digits,
        });
        Scenario::from_json(&v.to_string()).expect("generated scenarios are valid")
    }
}

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

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn random_scenarios_keep_the_invariants(s in scenario()) {
        let t = simulate(&s).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_invariants(&t).map_err(|e| TestCaseError::fail(format!("{e}\nscenario: {}", serde_json::to_string(&s).unwrap_or_default())))?;
        prop_assert_eq!(&t, &simulate(&s).unwrap(), "determinism");
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
