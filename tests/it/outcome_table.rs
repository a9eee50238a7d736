//! The vendor's outcome table, one row per cell, named as the documentation
//! names it: the transferor's state right after the referUrl webhook is
//! fetched, and who is connected at the end. Runs natively and in WASM.
#![allow(clippy::type_complexity)] // the table is tuples, one cell a line

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::simulate;
use refer_sim::transfer::{CallStatus, LegId, StepKind, Timeline};

/// After the webhook: is the initial call (UserA–AgentA) still connected?
#[derive(Debug, Clone, Copy, PartialEq)]
enum AfterWebhook {
    StillConnected,
    Disconnected,
    /// The webhook is never requested (alert 13802).
    NoWebhook,
}
use AfterWebhook::*;

const C: &str = "caller";
const A: &str = "transferor";
const B: &str = "target";

/// (scenario as the documentation names it, catalogue id, after the webhook, connected at the end, transferor's final status, alert)
#[rustfmt::skip]
const TABLE: &[(&str, &str, AfterWebhook, &[(&str, &str)], CallStatus, Option<u32>)] = &[
    ("referUrl webhook is executed, answerOnBridge true: initial call is still connected", "webhook-executed-aob-true", StillConnected, &[(C, B)], CallStatus::Completed, None),
    ("referUrl webhook is executed, answerOnBridge false or not set: initial call is disconnected", "webhook-executed-aob-false", Disconnected, &[(C, B)], CallStatus::Completed, None),
    ("AgentB answers, answerOnBridge true: initial call will now get disconnected", "agentb-answers-aob-true", StillConnected, &[(C, B)], CallStatus::Completed, None),
    ("AgentB answers, answerOnBridge false: initial call got disconnected right after the webhook", "agentb-answers-aob-false", Disconnected, &[(C, B)], CallStatus::Completed, None),
    ("AgentB does not answer, answerOnBridge true: UserA is connected to AgentA again", "agentb-no-answer-aob-true", StillConnected, &[(C, A)], CallStatus::InProgress, None),
    ("AgentB does not answer, answerOnBridge false: re-establishing is not possible", "agentb-no-answer-aob-false", Disconnected, &[], CallStatus::Completed, None),
    ("referUrl is not reachable, answerOnBridge true: UserA is connected to AgentA again", "refer-url-unreachable-aob-true", NoWebhook, &[(C, A)], CallStatus::InProgress, Some(11205)),
    ("referUrl is not reachable, answerOnBridge false: re-establishing is not possible", "refer-url-unreachable-aob-false", NoWebhook, &[], CallStatus::Completed, Some(11205)),
    ("referUrl attribute is not present, answerOnBridge true: alert, initial call re-established", "refer-url-absent-aob-true", NoWebhook, &[(C, A)], CallStatus::InProgress, Some(13802)),
    ("referUrl attribute is not present, answerOnBridge false: alert, initial call re-established", "refer-url-absent-aob-false", NoWebhook, &[(C, A)], CallStatus::InProgress, Some(13802)),
];

fn run(id: &str) -> Timeline {
    let entry = catalogue().into_iter().find(|e| e.id == *id).unwrap_or_else(|| panic!("no catalogue scenario {id}"));
    simulate(&entry.scenario).unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// The caller's bridge once every step at the webhook-fetched instant has run.
fn after_webhook(t: &Timeline) -> AfterWebhook {
    let Some(fetched) = t.steps.iter().find(|s| s.kind == StepKind::WebhookFetched) else { return NoWebhook };
    let last_at_that_time = t.steps.iter().rev().find(|s| s.at_ms == fetched.at_ms).unwrap_or(fetched);
    let legs = t.legs_after_step(last_at_that_time);
    let caller = legs.iter().find(|l| l.id.as_str() == C).expect("caller leg");
    if caller.bridged_with == Some(LegId(A.into())) {
        StillConnected
    } else {
        Disconnected
    }
}

#[test]
fn the_vendors_outcome_table() {
    for (name, id, after, connected, transferor, alert) in TABLE {
        let t = run(id);
        assert_eq!(after_webhook(&t), *after, "{name}: right after the webhook");
        let got: Vec<(&str, &str)> = t.outcome.connected.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        assert_eq!(got, *connected, "{name}: connected at the end ({})", t.outcome.summary);
        assert_eq!(t.outcome.status(&LegId(A.into())).as_ref(), Some(transferor), "{name}: AgentA's final status");
        let codes: Vec<Option<u32>> = t.outcome.alerts.iter().map(|a| a.code).collect();
        assert_eq!(codes.first().copied().flatten(), *alert, "{name}: alert");
        if connected.is_empty() {
            assert_eq!(t.outcome.status(&LegId(C.into())), Some(CallStatus::Completed), "{name}: UserA is disconnected");
        }
    }
}

#[test]
fn with_answer_on_bridge_false_the_transferor_is_told_200_right_after_the_webhook() {
    let t = run("agentb-no-answer-aob-false");
    let fetched = t.steps.iter().position(|s| s.kind == StepKind::WebhookFetched).unwrap();
    let notify = &t.steps[fetched + 1];
    assert_eq!(notify.kind, StepKind::NotifySent);
    assert_eq!(notify.at_ms, t.steps[fetched].at_ms);
    assert!(notify.messages[0].text().contains("SIP/2.0 200 OK"), "{}", notify.messages[0].text());
    assert!(notify.messages[0].text().contains("Subscription-State: terminated;reason=noresource"));
    assert!(notify.messages[0].text().contains("Content-Type: message/sipfrag;version=2.0"));
    let unbridged = &t.steps[fetched + 2];
    assert_eq!((unbridged.kind, unbridged.at_ms), (StepKind::Unbridged, notify.at_ms));
    let legs = t.legs_after_step(unbridged);
    let caller = legs.iter().find(|l| l.id.as_str() == C).unwrap();
    assert_eq!(caller.bridged_with, None, "UserA leaves AgentA at once");
}

#[test]
fn with_answer_on_bridge_true_the_failure_sipfrag_names_the_reason() {
    for (id, frag) in [
        ("agentb-no-answer-aob-true", "SIP/2.0 487"),
        ("agentb-busy-aob-true", "SIP/2.0 486"),
        ("agentb-fails", "SIP/2.0 503"), // AgentB's own 503 (tests/it/notify_failure.rs)
        ("refer-url-http-500", "SIP/2.0 503"),
    ] {
        let t = run(id);
        let last_notify = t.steps.iter().rev().find(|s| s.kind == StepKind::NotifySent).unwrap();
        assert!(last_notify.messages[0].text().contains(frag), "{id}: {}", last_notify.messages[0].text());
    }
}

/// Issue 10 item 6: the end step of each cell restates the vendor's table, so it is `doc`
/// with that cell's entry in `src/sources.md` (the webhook-executed cells end with AgentB
/// answering, which is the "AgentB answers" cell).
#[test]
fn each_cell_summary_is_doc_with_its_table_entry() {
    #[rustfmt::skip]
    let cells = [
        ("webhook-executed-aob-true", "refer.table.answers.aob-true"),
        ("webhook-executed-aob-false", "refer.table.answers.aob-false"),
        ("agentb-answers-aob-true", "refer.table.answers.aob-true"),
        ("agentb-answers-aob-false", "refer.table.answers.aob-false"),
        ("agentb-no-answer-aob-true", "refer.table.no-answer.aob-true"),
        ("agentb-no-answer-aob-false", "refer.table.no-answer.aob-false"),
        ("refer-url-unreachable-aob-true", "refer.table.unreachable.aob-true"),
        ("refer-url-unreachable-aob-false", "refer.table.unreachable.aob-false"),
        ("refer-url-absent-aob-true", "refer.table.absent"),
        ("refer-url-absent-aob-false", "refer.table.absent"),
    ];
    assert_eq!(cells.len(), TABLE.len());
    for (id, source) in cells {
        let end = run(id).steps.pop().unwrap();
        assert_eq!((end.kind, end.tag.as_str(), end.source), (StepKind::End, "doc", Some(source)), "{id}: {}", end.narration);
    }
    // Summaries that restate no cell stay assumed.
    for id in ["feature-disabled", "refer-before-answer", "conference"] {
        let end = run(id).steps.pop().unwrap();
        assert_eq!((end.tag.as_str(), end.source), ("assumed", None), "{id}: {}", end.narration);
    }
}
