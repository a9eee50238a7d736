//! Every outcome carries its cause and, when the transfer did not go through,
//! a fix, in plain words naming the parties and the attribute to change.
//! Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Answer};

/// (catalogue id, words the cause holds, words the fix holds; "" when there is no fix)
#[rustfmt::skip]
const CASES: &[(&str, &str, &str)] = &[
    ("agentb-answers-aob-false", "AgentB answered, so Twilio connected UserA to AgentB and released AgentA.", ""),
    ("agentb-no-answer-aob-true", "AgentB did not answer, and answerOnBridge=\"true\" kept AgentA on the call, so Twilio reconnected UserA and AgentA.", "AgentA is back with UserA and can transfer again. To send UserA elsewhere automatically instead, set answerOnBridge=\"false\" on the initial <Dial>"),
    ("agentb-no-answer-aob-false", "With answerOnBridge absent, AgentA was released right after the referUrl webhook; then AgentB did not answer, and UserA was left with nobody.", "add answerOnBridge=\"true\" to the initial <Dial>"),
    ("agentb-busy-aob-false", "then AgentB was busy", "DialCallStatus=busy"),
    ("agentb-fails", "AgentB could not be reached (the call failed)", "DialCallStatus=failed"),
    ("refer-url-unreachable-aob-true", "could not be reached: alert 11205. Then answerOnBridge=\"true\" kept AgentA", "Make referUrl reachable from Twilio"),
    ("refer-url-unreachable-aob-false", "And with answerOnBridge absent, AgentA was released", "; and add answerOnBridge=\"true\""),
    ("refer-url-http-500", "https://example.com/handler answered HTTP 500: alert 11200", "Answer referUrl with HTTP 200 and TwiML."),
    ("refer-url-bad-twiml", "does not parse", "Return well-formed TwiML from referUrl"),
    ("refer-url-absent-aob-false", "has no referUrl", "Add referUrl=\"https://…\" to the <Dial> that calls AgentA."),
    ("feature-disabled", "Enhanced Programmable SIP Features is off", "Turn on Enhanced Programmable SIP Features"),
    ("conference", "<Conference>", "connect the parties with <Dial><Sip>"),
    ("refer-to-too-long", "The Refer-To value has 286 characters", "at most 256 characters"),
    ("refer-before-answer", "not established", "once the call is answered"),
    ("action-handles-failure", "the <Dial action> TwiML decided what UserA heard next", "If UserA should go back to AgentA instead"),
    ("chained-transfer", "AgentC answered, so Twilio connected UserA to AgentC and released AgentB.", ""),
    ("inbound-sip-caller", "AgentB answered, so Twilio connected +14155550142 to AgentB and released UserA.", ""),
    ("webhook-executed-aob-true", "AgentB answered, so Twilio connected UserA to AgentB and released AgentA.", ""),
    ("webhook-executed-aob-false", "AgentB answered, so Twilio connected UserA to AgentB and released AgentA.", ""),
    ("agentb-answers-aob-true", "AgentB answered, so Twilio connected UserA to AgentB and released AgentA.", ""),
    ("refer-url-absent-aob-true", "has no referUrl, so Twilio had nowhere to ask what to do (alert 13802) and kept UserA with AgentA", "Add referUrl=\"https://…\" to the <Dial> that calls AgentA."),
    ("queue", "<Queue>", "connect the parties with <Dial><Sip>"),
    ("refer-to-unparseable", "The Refer-To does not parse (bad_host at byte 15", "a sip:, sips: or tel: URI that parses"),
    ("two-refer-to", "this one has 2: 400", "Send exactly one Refer-To header"),
    ("refer-method-get", "AgentB answered, so Twilio connected UserA to AgentB", ""),
    ("uui-passing", "AgentB answered, so Twilio connected UserA to AgentB", ""),
    ("agentb-busy-aob-true", "AgentB was busy, and answerOnBridge=\"true\" kept AgentA on the call", "handles DialCallStatus=busy (another agent, voicemail); while answerOnBridge is \"true\", that action is not run (assumed)."),
    ("gather-menu", "AgentB answered, so Twilio connected UserA to AgentB", ""),
    ("simultaneous-ring", "AgentC answered, so Twilio connected UserA to AgentC and released AgentA.", ""),
    ("pstn-target", "+14155550123 answered, so Twilio connected UserA to +14155550123", ""),
    ("no-bye-after-notify", "AgentB answered, so Twilio connected UserA to AgentB", ""),
    ("hold-before-refer", "AgentB did not answer, and answerOnBridge=\"true\" kept AgentA on the call", "AgentA is back with UserA and can transfer again. To send UserA elsewhere automatically instead, set answerOnBridge=\"false\" on the initial <Dial>"),
    ("refer-sub-false", "AgentB answered, so Twilio connected UserA to AgentB", ""),
    ("refer-verb-accepted", "UserA's final NOTIFY says its new call got 200 OK: the transfer succeeded.", ""),
    ("refer-verb-declined", "UserA refuses the REFER (603 Decline)", "Make UserA's SIP endpoint accept REFER"),
    ("refer-verb-pstn", "which is not a SIP call: the Refer verb is only allowed on SIP call legs, so Twilio raised error 13801", "with <Dial> instead"),
    ("refer-url-slow-timeout", "did not answer within 15 s, Twilio's total webhook timeout (UserA stayed connected with AgentA while Twilio waited): alert 11205. Then answerOnBridge=\"true\" kept AgentA", "Make referUrl answer within Twilio's webhook timeout (15 s"),
    ("refer-url-read-timeout", "did not answer within 5 s, the read timeout its #rt=5000 override sets (11205 for it is assumed: 11205's page names the 10 s connect and 15 s total timers) (UserA stayed connected with AgentA while Twilio waited): alert 11205. And with answerOnBridge absent, AgentA was released", "#rt=/#tt= override): reply at once and do slow work afterwards; and add answerOnBridge=\"true\""),
    ("time-limit-after-transfer", "AgentB answered, so Twilio connected UserA to AgentB", ""),
    ("hangup-on-star-after-transfer", "AgentB answered, so Twilio connected UserA to AgentB", ""),
    ("status-callbacks-transfer", "AgentB answered, so Twilio connected UserA to AgentB and released AgentA; AgentB later hung up.", ""),
    ("recording-callbacks-transfer", "AgentB answered, so Twilio connected UserA to AgentB and released AgentA; AgentB later hung up.", ""),
];

#[test]
fn each_outcome_says_why_and_what_to_change() {
    for (id, cause, fix) in CASES {
        let entry = catalogue().into_iter().find(|e| e.id == *id).unwrap_or_else(|| panic!("no scenario {id}"));
        let why = simulate(&entry.scenario).unwrap().explanation;
        assert!(why.cause.contains(cause), "{id}: cause {:?}", why.cause);
        match why.fix {
            None => assert!(fix.is_empty(), "{id}: no fix"),
            Some(f) => assert!(!fix.is_empty() && f.contains(fix), "{id}: fix {f:?}"),
        }
    }
}

#[test]
fn every_catalogue_outcome_has_a_cause_and_failures_a_fix() {
    for entry in catalogue() {
        let t = simulate(&entry.scenario).unwrap();
        assert!(t.explanation.cause.len() > 20, "{}", entry.id);
        // A <Refer> that went through hands the call to the endpoint's new call instead.
        let through = t.explanation.cause.contains(" answered, so Twilio connected ")
            || t.explanation.cause.contains("(ReferCallStatus in-progress)");
        assert_eq!(t.explanation.fix.is_none(), through, "{}: {:?}", entry.id, t.explanation);
    }
}

#[test]
fn the_table_names_every_catalogue_scenario() {
    for entry in catalogue() {
        assert!(CASES.iter().any(|(id, _, _)| *id == entry.id), "{} has no line in CASES", entry.id);
    }
}

/// The second round of a chained transfer fails (AgentB transferred to AgentC, who does not
/// take the call): the outcome is about AgentC and the referUrl <Dial> that called AgentB,
/// never "AgentB answered … and released AgentB" nor "AgentB could not be reached".
/// (answer of AgentC, answerOnBridge of the <Dial> that called AgentB, cause, fix)
#[rustfmt::skip]
const CHAINED: &[(Answer, &str, &str, &str)] = &[
    (Answer::NoAnswer, "true", "AgentC did not answer, and answerOnBridge=\"true\" kept AgentB on the call, so Twilio reconnected UserA and AgentB.", "AgentB is back with UserA and can transfer again. To send UserA elsewhere automatically instead, set answerOnBridge=\"false\" on the referUrl <Dial> that called AgentB"),
    (Answer::Busy, "true", "AgentC was busy, and answerOnBridge=\"true\" kept AgentB on the call, so Twilio reconnected UserA and AgentB.", "handles DialCallStatus=busy"),
    (Answer::Fail, "false", "AgentB was released right after the referUrl webhook; then AgentC could not be reached (the call failed), and UserA was left with nobody.", "add answerOnBridge=\"true\" to the referUrl <Dial> that called AgentB so that UserA goes back to AgentB"),
    (Answer::NoAnswer, "false", "AgentB was released right after the referUrl webhook; then AgentC did not answer, and UserA was left with nobody.", "DialCallStatus=no-answer"),
];

#[test]
fn a_chained_transfer_that_fails_in_its_second_round_says_why_and_what_to_change() {
    let base = catalogue().into_iter().find(|e| e.id == "chained-transfer").unwrap().scenario;
    for (answer, aob, cause, fix) in CHAINED {
        let mut s = base.clone();
        s.endpoints.get_mut("sip:AgentC@example.sip.twilio.com").unwrap().answer = *answer;
        let handler = s.app.get_mut("https://example.com/handler").unwrap();
        let twiml = handler.twiml.clone().unwrap();
        handler.twiml = Some(twiml.replace("answerOnBridge=\"true\"", &format!("answerOnBridge=\"{aob}\"")));
        let why = simulate(&s).unwrap().explanation;
        assert!(why.cause.contains(cause), "{answer:?} {aob}: {:?}", why.cause);
        assert!(why.fix.as_deref().is_some_and(|f| f.contains(fix)), "{answer:?} {aob}: {:?}", why.fix);
    }
}
