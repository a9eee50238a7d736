//! `<Dial referUrl="">`: an empty attribute names no URL. refer-sim runs it as an absent
//! referUrl (alert 13802, the initial call re-established; assumed: no page says what Twilio does
//! with an empty one), and `checkTransfer` says so. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::twiml::{check_transfer, Role};

fn run(refer_url: &str) -> refer_sim::transfer::Timeline {
    let json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial answerOnBridge="true" referUrl="{refer_url}"><Sip>sip:a@example.com</Sip></Dial></Response>"#),
        "refer": { "atMs": 10000, "referTo": "<sip:b@example.com>" },
        "endpoints": { "sip:a@example.com": { "answer": "answer", "afterMs": 1000 } }
    });
    simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap()
}

#[test]
fn an_empty_refer_url_runs_as_an_absent_one() {
    for empty in ["", "  "] {
        let t = run(empty);
        assert!(t.steps.iter().all(|s| s.webhook.is_none()), "no request to an empty URL ({empty:?})");
        let alerts: Vec<_> = t.steps.iter().flat_map(|s| &s.alerts).collect();
        assert_eq!(alerts.iter().map(|a| a.code).collect::<Vec<_>>(), [Some(13802)], "{alerts:?}");
        let step = t.steps.iter().find(|s| s.alerts.iter().any(|a| a.code == Some(13802))).unwrap();
        assert!(
            step.narration.contains("referUrl=\"\", which names no URL") && step.narration.contains("(assumed: no page says"),
            "{}",
            step.narration
        );
        assert!(t.outcome.connected.iter().any(|(x, y)| format!("{x:?}{y:?}").contains("transferor")), "re-established");
        // The <Dial> says so when it starts, not "referUrl " and nothing.
        let dial = t.steps.iter().find(|s| s.narration.starts_with("<Dial> (")).unwrap();
        assert!(
            dial.narration.starts_with("<Dial> (answerOnBridge true, referUrl=\"\", which names no URL): Twilio rings"),
            "{}",
            dial.narration
        );
    }
}

#[test]
fn check_transfer_reports_an_empty_refer_url() {
    let found = check_transfer(r#"<Response><Dial referUrl=""><Sip>sip:a@example.com</Sip></Dial></Response>"#, Role::Initial);
    let f = found.iter().find(|f| f.code == "empty_refer_url").unwrap_or_else(|| panic!("{found:#?}"));
    // The 13802 page speaks of a referUrl "not present"; an empty one is present: assumed, no vendor code.
    assert_eq!((f.vendor_code, f.provenance), (None, refer_sim::Provenance::Assumed));
    assert!(f.message.contains("names no URL"), "{}", f.message);
    assert!(found.iter().all(|f| f.code != "no_refer_url"), "one finding, not two");
    let found =
        check_transfer(r#"<Response><Dial referUrl="/refer"><Sip>sip:a@example.com</Sip></Dial></Response>"#, Role::Initial);
    assert!(found.iter().all(|f| f.code != "empty_refer_url"));
}

#[test]
fn an_empty_refer_url_on_the_refer_answer_s_dial_enables_no_chained_transfer() {
    let found =
        check_transfer(r#"<Response><Dial referUrl=" "><Sip>sip:b@example.com</Sip></Dial></Response>"#, Role::ReferResponse);
    assert!(found.iter().any(|f| f.code == "empty_refer_url"), "{found:#?}");
    assert!(found.iter().all(|f| f.code != "chained_transfer_enabled"), "{found:#?}");
    // At run time it stays empty (not resolved to the referUrl answer's own URL): a REFER from
    // the target then meets a <Dial> without referUrl.
    let json = serde_json::json!({
        "initialTwiml": r#"<Response><Dial answerOnBridge="true" referUrl="https://e.com/refer"><Sip>sip:a@example.com</Sip></Dial></Response>"#,
        "refer": { "atMs": 10000, "referTo": "<sip:b@example.com>" },
        "chainedRefers": [{ "afterMs": 5000, "referTo": "<sip:c@example.com>" }],
        "app": { "https://e.com/refer": { "twiml": r#"<Response><Dial referUrl=""><Sip>sip:b@example.com</Sip></Dial></Response>"# } },
        "endpoints": { "sip:a@example.com": { "answer": "answer", "afterMs": 1000 }, "sip:b@example.com": { "answer": "answer", "afterMs": 1000 } }
    });
    let t = simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap();
    assert_eq!(t.steps.iter().filter(|s| s.webhook.as_deref().is_some_and(|w| w.url == "https://e.com/refer")).count(), 1);
    assert!(t.steps.iter().any(|s| s.alerts.iter().any(|a| a.code == Some(13802))), "the target's REFER meets no referUrl");
}
