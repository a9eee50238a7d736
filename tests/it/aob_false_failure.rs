//! A referUrl that fails with answerOnBridge false: the run disconnects AgentA after the
//! failure (`refer.aob-false`), so the summary must not say the initial call was disconnected
//! already when the transfer failed. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::simulate;
use refer_sim::transfer::{Role, StepKind};

#[test]
fn the_summary_keeps_the_order_the_steps_show() {
    for id in ["refer-url-unreachable-aob-false", "refer-url-read-timeout"] {
        let entry = catalogue().into_iter().find(|e| e.id == id).unwrap();
        let t = simulate(&entry.scenario).unwrap();
        let failed = t.steps.iter().position(|s| s.kind == StepKind::WebhookFailed).unwrap();
        let gone = t
            .steps
            .iter()
            .position(|s| s.kind == StepKind::LegEnded && s.changed_legs.iter().any(|l| l.role == Role::Transferor))
            .unwrap();
        assert!(failed < gone, "{id}: AgentA is disconnected after the failure");
        assert_eq!(t.outcome.summary, "The transfer failed and the initial call was disconnected: nobody is connected.", "{id}");
    }
}

/// Neighbouring answerOnBridge-false cells end AgentA differently: on success or a target that
/// does not answer, AgentA sends BYE on the final NOTIFY (an Elastic SIP Trunking article's
/// expectation, so `assumed`, not `rfc`); when referUrl fails, Twilio disconnects AgentA (the
/// REFER page, `refer.aob-false`). Each tag says where its claim comes from.
#[test]
fn each_cell_tags_who_ends_agent_a_honestly() {
    use refer_sim::Provenance;
    for (id, tag, says) in [
        ("agentb-no-answer-aob-false", Provenance::Assumed, "on the final NOTIFY, as an Elastic SIP Trunking article expects"),
        ("agentb-busy-aob-false", Provenance::Assumed, "on the final NOTIFY, as an Elastic SIP Trunking article expects"),
        ("agentb-answers-aob-false", Provenance::Assumed, "on the final NOTIFY, as an Elastic SIP Trunking article expects"),
        ("refer-url-unreachable-aob-false", Provenance::Doc("refer.aob-false"), "Twilio disconnects AgentA"),
    ] {
        let entry = catalogue().into_iter().find(|e| e.id == id).unwrap();
        let t = simulate(&entry.scenario).unwrap();
        let ended = t
            .steps
            .iter()
            .find(|s| s.kind == StepKind::LegEnded && s.changed_legs.iter().any(|l| l.role == Role::Transferor))
            .unwrap();
        assert_eq!(ended.tag, tag, "{id}: {}", ended.narration);
        assert!(ended.narration.contains(says), "{id}: {}", ended.narration);
    }
}

/// Who sends AgentA's BYE in a failed answerOnBridge-false transfer is the simulator's reading of
/// "disconnects the Transferor call leg" (README "Documented, RFC or assumed": the NOTIFY's sipfrag
/// decides), so the documented step scopes it "(assumed: …)", with the reason that holds: the
/// NOTIFY reported failure, or with Refer-Sub: false there was none (and no step claims one).
#[test]
fn a_failed_transfer_says_who_sends_agent_a_its_bye_and_why() {
    let entry = catalogue().into_iter().find(|e| e.id == "refer-url-unreachable-aob-false").unwrap();
    for (refer_sub, reason) in [
        (
            true,
            "(assumed: with its own BYE, as a NOTIFY reporting failure gives AgentA no cue to hang up, where a NOTIFY 200 does).",
        ),
        (false, "(assumed: with its own BYE, as Refer-Sub: false leaves AgentA without word of how the transfer went)."),
    ] {
        let mut scenario = entry.scenario.clone();
        scenario.refer.refer_sub = refer_sub;
        let t = simulate(&scenario).unwrap();
        let ended = t
            .steps
            .iter()
            .find(|s| s.kind == StepKind::LegEnded && s.changed_legs.iter().any(|l| l.role == Role::Transferor))
            .unwrap();
        assert_eq!(
            ended.narration,
            format!("answerOnBridge false: Twilio disconnects AgentA right after the webhook {reason}"),
            "Refer-Sub {refer_sub}"
        );
        assert!(ended.messages.iter().any(|m| m.first_line().starts_with("BYE ")), "Twilio's BYE is in the step");
    }
}

/// The transferor's BYE is "on the final NOTIFY" (tagged assumed: an Elastic SIP Trunking
/// article's expectation) only within `BYE_OVERDUE_MS` (1 s) of it; a later hang-up is the
/// party's own (`rfc`). At 24.120 s the final NOTIFY; AgentA, answered at 3 s and not hanging up
/// on the NOTIFY, hangs up `hangupAfterMs` later. (The in-diff mutation run of honest's change
/// left `now < at + BYE_OVERDUE_MS` as `<=` and `+` as `*` alive.)
#[test]
fn a_bye_is_on_the_final_notify_only_within_its_second() {
    let entry = catalogue().into_iter().find(|e| e.id == "agentb-answers-aob-true").unwrap();
    for (after, at, tag, words) in [
        (21_200, 24_200, "assumed", "on the final NOTIFY"),
        (22_119, 25_119, "assumed", "on the final NOTIFY"),
        (22_120, 25_120, "rfc", "AgentA hangs up (BYE); Twilio answers 200 OK."),
        (30_000, 33_000, "rfc", "AgentA hangs up (BYE); Twilio answers 200 OK."),
    ] {
        let mut s = entry.scenario.clone();
        let a = s.endpoints.get_mut("sip:AgentA@example.sip.twilio.com").unwrap();
        a.bye_on_notify = false;
        a.hangup_after_ms = Some(after);
        let t = simulate(&s).unwrap();
        let bye = t.steps.iter().find(|s| s.narration.starts_with("AgentA hangs up")).expect("AgentA hangs up");
        assert_eq!((bye.at_ms, bye.tag.as_str(), bye.narration.contains(words)), (at, tag, true), "{}", bye.narration);
    }
}
