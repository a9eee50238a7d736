//! Round 13, new-user findings F3 to F11 (a SIP network engineer's trial): steps that said what
//! did not happen, and values tagged more firmly than a page supports. Each test failed before
//! its fix.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{StepKind, Timeline};
use serde_json::{json, Value};

const A: &str = "sip:AgentA@example.sip.twilio.com";
const B: &str = "sip:AgentB@example.sip.twilio.com";
const HANDLER: &str = "https://example.com/handler";

fn run(scenario: Value) -> Timeline {
    let scenario = Scenario::from_json(&scenario.to_string()).expect("a valid scenario");
    simulate(&scenario).expect("a run")
}

/// A transfer of UserA from AgentA to AgentB: `aob` answerOnBridge, AgentB's `answer`
/// (`answer`, `busy`, `no-answer`), the handler `unreachable` or not, `refer` merged into the
/// REFER, `dial` the referUrl `<Dial>`'s attributes.
fn transfer(aob: bool, answer: &str, unreachable: bool, refer: Value, dial: &str) -> Value {
    let mut r = json!({"atMs": 10000, "referTo": format!("<{B}>")});
    for (k, v) in refer.as_object().unwrap() {
        r[k] = v.clone();
    }
    json!({
        "initialTwiml": format!("<Response><Dial answerOnBridge=\"{aob}\" referUrl=\"{HANDLER}\"><Sip>{A}</Sip></Dial></Response>"),
        "refer": r,
        "app": {HANDLER: {"latencyMs": 100, "status": 200, "unreachable": unreachable,
            "twiml": format!("<Response><Dial{dial}><Sip>{B}</Sip></Dial></Response>")}},
        "endpoints": {A: {"afterMs": 2000, "answer": "answer"}, B: {"afterMs": 8000, "answer": answer}}
    })
}

/// F4: with `Refer-Sub: false` no step of kind `notify-sent` is left without its NOTIFY; the
/// decision it stood for is a `refer-outcome` step that says no NOTIFY is sent.
#[test]
fn a_refer_sub_false_run_has_no_notify_sent_step_without_a_notify() {
    let cases = [
        (true, "answer", false),
        (true, "busy", false),
        (false, "answer", false),
        (false, "busy", false),
        (false, "answer", true),
        (true, "answer", true),
    ];
    for (aob, answer, unreachable) in cases {
        let case = format!("answerOnBridge {aob}, AgentB {answer}, handler unreachable {unreachable}");
        for sub in [false, true] {
            let t = run(transfer(aob, answer, unreachable, json!({"referSub": sub}), ""));
            for s in t.steps.iter().filter(|s| s.kind == StepKind::NotifySent) {
                assert!(
                    s.messages.iter().any(|m| m.method() == Some("NOTIFY")),
                    "{case}, Refer-Sub {sub}: a notify-sent step sends no NOTIFY: {}",
                    s.narration
                );
            }
            let outcomes: Vec<&str> =
                t.steps.iter().filter(|s| s.kind == StepKind::ReferOutcome).map(|s| s.narration.as_str()).collect();
            if sub {
                assert_eq!(outcomes, Vec::<&str>::new(), "{case}: a subscription's outcome is its NOTIFY");
            } else {
                assert_eq!(outcomes.len(), 1, "{case}: one refer-outcome step: {outcomes:?}");
                assert!(outcomes[0].contains("No NOTIFY is sent"), "{case}: {}", outcomes[0]);
            }
        }
    }
    // The REFER to a <Dial> without referUrl, answered at once.
    let mut absent = transfer(true, "answer", false, json!({"referSub": false}), "");
    absent["initialTwiml"] = json!(format!("<Response><Dial answerOnBridge=\"true\"><Sip>{A}</Sip></Dial></Response>"));
    let t = run(absent);
    assert!(t.steps.iter().all(|s| s.kind != StepKind::NotifySent));
    assert_eq!(t.steps.iter().filter(|s| s.kind == StepKind::ReferOutcome).count(), 1);
}

/// F3: the refer subscription's `expires=60` rests on no page: the step that sends it says so,
/// and a run whose final NOTIFY goes out after it ran out warns `subscription_expired`.
#[test]
fn a_final_notify_after_the_assumed_expiry_is_a_run_warning() {
    // answerOnBridge true, AgentB never answers a <Dial timeout="60">: the final NOTIFY (487)
    // goes out 65.1 s after the first one (the 5 s ring buffer and the CANCEL).
    let late = run(transfer(true, "no-answer", false, json!({}), " timeout=\"60\""));
    let trying = late.steps.iter().find(|s| s.kind == StepKind::NotifySent).unwrap();
    assert!(trying.messages[0].text().contains("Subscription-State: active;expires=60"));
    assert!(
        trying.narration.contains("active;expires=60 (assumed: no page gives"),
        "the value is scoped assumed: {}",
        trying.narration
    );
    let expired: Vec<_> = late.warnings.iter().filter(|w| w.code == "subscription_expired").collect();
    assert_eq!(expired.len(), 1, "{:?}", late.warnings);
    assert_eq!(expired[0].field, "refer");
    assert!(expired[0].message.contains("goes out 65.1 s after the first one"), "{}", expired[0].message);
    assert!(expired[0].message.contains("not documented"), "{}", expired[0].message);
    // The same transfer answered after 8 s, or refused at once: no warning.
    for quick in [transfer(true, "answer", false, json!({}), " timeout=\"60\""), transfer(true, "busy", false, json!({}), "")] {
        let t = run(quick);
        assert!(t.warnings.iter().all(|w| w.code != "subscription_expired"), "{:?}", t.warnings);
    }
    // The edge: a final NOTIFY exactly 60 s after the first is within the subscription, 1 ms later is not.
    // The first NOTIFY goes out at the REFER's 202 (10,000 ms + the webhook's latency is after it);
    // AgentB busy after `afterMs` gives the final NOTIFY at a time the scenario sets.
    let first_and_final = |after_ms: u64| {
        let mut s = transfer(true, "busy", false, json!({}), " timeout=\"120\"");
        s["endpoints"][B]["afterMs"] = json!(after_ms);
        let t = run(s);
        let notifies: Vec<u64> = t.steps.iter().filter(|s| s.kind == StepKind::NotifySent).map(|s| s.at_ms).collect();
        (notifies[0], *notifies.last().unwrap(), t.warnings.iter().any(|w| w.code == "subscription_expired"))
    };
    let (first, last, _) = first_and_final(8000);
    let offset = last - first - 8000; // what lies between the first NOTIFY and AgentB's answer, besides afterMs
    let (first, last, warned) = first_and_final(60_000 - offset);
    assert_eq!(last - first, 60_000);
    assert!(!warned, "a final NOTIFY at exactly 60 s is within the subscription");
    let (first, last, warned) = first_and_final(60_001 - offset);
    assert_eq!(last - first, 60_001);
    assert!(warned, "a final NOTIFY 1 ms after the 60 s is late");
    // Refer-Sub: false: no subscription, no warning.
    let none = run(transfer(true, "no-answer", false, json!({"referSub": false}), " timeout=\"60\""));
    assert!(none.warnings.iter().all(|w| w.code != "subscription_expired"), "{:?}", none.warnings);
}

/// F5: a chained REFER waits for the transfer before it to bridge a target; when it never does,
/// the run says the entry was not sent (it said nothing but `unused_endpoint` for AgentC).
#[test]
fn a_chained_refer_never_sent_is_a_run_warning() {
    let chained = |answer: &str| {
        let mut s = transfer(true, answer, false, json!({}), "");
        s["chainedRefers"] = json!([{"afterMs": 5000, "referTo": "<sip:AgentC@example.sip.twilio.com>"}]);
        s
    };
    let failed = run(chained("busy"));
    let unsent: Vec<_> = failed.warnings.iter().filter(|w| w.code == "unused_chained_refer").collect();
    assert_eq!(unsent.len(), 1, "{:?}", failed.warnings);
    assert_eq!(unsent[0].field, "chainedRefers[0]");
    assert!(
        unsent[0].message.contains("was never sent") && unsent[0].message.contains("the first transfer"),
        "{}",
        unsent[0].message
    );
    // AgentB answers: it sends the chained REFER (refused here, as its <Dial> has no referUrl), no warning.
    let sent = run(chained("answer"));
    assert!(sent.warnings.iter().all(|w| w.code != "unused_chained_refer"), "{:?}", sent.warnings);
    assert_eq!(sent.steps.iter().filter(|s| s.kind == StepKind::ReferReceived).count(), 2);
}

fn catalogued(id: &str) -> Timeline {
    let entry = refer_sim::scenario::catalogue::catalogue().into_iter().find(|e| e.id == *id).unwrap();
    simulate(&entry.scenario).unwrap()
}

/// F6, F7, F8: tags that said more than their page or RFC.
#[test]
fn the_notify_on_answer_the_sip_cancel_and_the_early_refer_say_what_is_assumed() {
    use refer_sim::Provenance;
    // F6: the REFER page says when AgentA is disconnected, not when the NOTIFY goes out.
    let t = catalogued("agentb-answers-aob-true");
    let on_answer = t.steps.iter().find(|s| s.source == Some("refer.aob-true") && s.narration.contains("NOTIFY 200 OK")).unwrap();
    assert!(on_answer.narration.contains("(assumed: the page does not say when the NOTIFY is sent"), "{}", on_answer.narration);
    // F7: `number.ten` is the <Number> page's; several <Sip> nouns are cancelled by analogy.
    let t = catalogued("simultaneous-ring");
    let cancel = t.steps.iter().find(|s| s.narration.contains("answered first: Twilio cancels")).unwrap();
    assert_eq!((cancel.tag, cancel.source), (Provenance::Assumed, None), "{}", cancel.narration);
    assert!(cancel.narration.contains("assumed by analogy"), "{}", cancel.narration);
    // Two <Number> or two <Client> nouns ring; the first answers at 3 s, the other is cancelled:
    // those pages say so (a mutant that lost the <Client> arm tagged it assumed).
    for (noun, first, second, key) in
        [("Number", "+14155550101", "+14155550102", "number.ten"), ("Client", "alice", "bob", "client.ten")]
    {
        let party = |n: &str| if noun == "Client" { format!("client:{n}") } else { n.to_string() };
        let t = run(json!({
            "initialTwiml": format!("<Response><Dial referUrl=\"{HANDLER}\"><Sip>{A}</Sip></Dial></Response>"),
            "refer": {"atMs": 10000, "referTo": format!("<{B}>")},
            "app": {HANDLER: {"twiml": format!("<Response><Dial><{noun}>{first}</{noun}><{noun}>{second}</{noun}></Dial></Response>")}},
            "endpoints": {A: {"answer": "answer"}, party(first): {"afterMs": 3000, "answer": "answer"}, party(second): {"afterMs": 9000, "answer": "answer"}}
        }));
        let cancel = t.steps.iter().find(|s| s.narration.contains("answered first: Twilio cancels")).unwrap();
        assert_eq!((cancel.tag, cancel.source), (Provenance::Doc(key), Some(key)), "{}", cancel.narration);
        assert!(!cancel.narration.contains("assumed"), "{}", cancel.narration);
    }
    // F8: the REFER in AgentA's early dialog: what Twilio answers is not documented.
    let t = catalogued("refer-before-answer");
    let refused = t.steps.iter().find(|s| s.kind == StepKind::ReferRejected).unwrap();
    assert_eq!(refused.tag, Provenance::Assumed, "{}", refused.narration);
    assert!(refused.narration.contains("is not established yet"), "{}", refused.narration);
}

/// F11: a party whose ringing Twilio canceled has no call left to answer: its scripted answer is
/// no step, and the run ends at its last real event (it ended 5 s later, at an `ignored` step).
#[test]
fn a_canceled_partys_scripted_answer_does_not_stretch_the_timeline() {
    let t = catalogued("simultaneous-ring");
    assert!(t.steps.iter().all(|s| !(s.kind == StepKind::Ignored && s.narration.contains("canceled"))), "no ignored answer");
    let end = t.steps.last().unwrap();
    assert_eq!(end.kind, StepKind::End);
    let before = &t.steps[t.steps.len() - 2];
    assert_eq!(end.at_ms, before.at_ms, "the end is at the last event ({:?} {})", before.kind, before.narration);
    assert_eq!(end.at_ms, 23_220, "AgentA's leg ends at 23.220 s");
}
