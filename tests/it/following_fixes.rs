//! Following the advice: for every catalogue scenario whose explanation gives a fix about the
//! TwiML (answerOnBridge, a `<Dial action>`, a referUrl), the fix is applied to the scenario as
//! a user would and the scenario run again: the outcome must change the way the advice says, and
//! the run must not warn that what the user added is unused. A fix this test cannot apply (the
//! REFER, the account, an endpoint) must be listed in `NOT_TWIML`, so new advice is either
//! followed here or named there. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, AppResponse, Scenario};

/// The URL the added `<Dial action>` points at, and what it answers.
const ACTION_URL: &str = "https://example.com/added-action";
/// The referUrl [`with_refer_url`] adds.
const ADDED_HANDLER: &str = "https://example.com/added-handler";
const ACTION_TWIML: &str = "<Response><Say>Nobody is free; please leave a message.</Say><Record/></Response>";

/// Fixes that change something other than the TwiML: the REFER, the account, the endpoint,
/// the web server. (catalogue id, words of the fix)
#[rustfmt::skip]
const NOT_TWIML: &[(&str, &str)] = &[
    ("feature-disabled", "Turn on Enhanced Programmable SIP Features"),
    ("conference", "connect the parties with <Dial><Sip>"),
    ("queue", "connect the parties with <Dial><Sip>"),
    ("refer-to-too-long", "Send exactly one Refer-To header"),
    ("refer-to-unparseable", "Send exactly one Refer-To header"),
    ("two-refer-to", "Send exactly one Refer-To header"),
    ("refer-before-answer", "Send the REFER only once the call is answered"),
    ("refer-url-unreachable-aob-true", "Make referUrl reachable from Twilio"),
    ("refer-url-http-500", "Answer referUrl with HTTP 200 and TwiML"),
    ("refer-url-bad-twiml", "Return well-formed TwiML from referUrl"),
    ("refer-url-slow-timeout", "Make referUrl answer within Twilio's webhook timeout"),
    ("refer-verb-declined", "Make UserA's SIP endpoint accept REFER"),
    ("refer-verb-pstn", "Transfer UserA's call with <Dial> instead"),
];

/// `s` with `answerOnBridge` on the initial `<Dial>` set to `value`.
fn with_aob(s: &Scenario, value: &str) -> Scenario {
    let mut s = s.clone();
    let t = &s.initial_twiml;
    let attr = format!("answerOnBridge=\"{value}\"");
    s.initial_twiml = if t.contains("answerOnBridge=\"") {
        t.replace("answerOnBridge=\"true\"", &attr).replace("answerOnBridge=\"false\"", &attr)
    } else {
        t.replacen("<Dial", &format!("<Dial {attr}"), 1)
    };
    s
}

/// `s` with an `action` on the referUrl answer's `<Dial>` and an app answer for it.
fn with_action(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    let url = s.initial_twiml.split("referUrl=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
    let answer = s.app.get_mut(&url).unwrap();
    let twiml = answer.twiml.clone().unwrap();
    assert!(twiml.contains("<Dial") && !twiml.contains("action="), "{twiml}");
    answer.twiml = Some(twiml.replacen("<Dial", &format!("<Dial action=\"{ACTION_URL}\""), 1));
    s.app.insert(
        ACTION_URL.into(),
        AppResponse {
            status: 200,
            latency_ms: 100,
            twiml: Some(ACTION_TWIML.into()),
            unreachable: false,
            content_type: None,
            ..AppResponse::default()
        },
    );
    s
}

/// `s` with a referUrl on the initial `<Dial>` answering a `<Dial>` to the Refer-To target.
fn with_refer_url(s: &Scenario) -> Scenario {
    let mut s = s.clone();
    let url = ADDED_HANDLER;
    s.initial_twiml = s.initial_twiml.replacen("<Dial", &format!("<Dial referUrl=\"{url}\""), 1);
    let target = s.refer.refer_to.values().first().unwrap().trim_matches(|c| c == '<' || c == '>').to_string();
    s.app.insert(
        url.into(),
        AppResponse {
            status: 200,
            latency_ms: 100,
            twiml: Some(format!("<Response><Dial><Sip>{target}</Sip></Dial></Response>")),
            unreachable: false,
            content_type: None,
            ..AppResponse::default()
        },
    );
    s
}

/// Runs `s` and returns its explanation's cause, after checking no warning says an app answer
/// this test added went unused (one the scenario had may: its fix can make it unneeded).
fn cause_of(id: &str, what: &str, s: &Scenario) -> String {
    let t = simulate(s).unwrap_or_else(|e| panic!("{id} after {what}: {e:?}"));
    let added = |field: &str| field.contains(ACTION_URL) || field.contains(ADDED_HANDLER);
    let unused: Vec<_> = t.warnings.iter().filter(|w| w.code == "unused_app" && added(&w.field)).collect();
    assert!(unused.is_empty(), "{id} after {what}: {unused:?}");
    t.explanation.cause
}

#[test]
fn every_twiml_fix_the_explanation_gives_changes_the_outcome_when_followed() {
    let mut followed = 0;
    for entry in catalogue() {
        let (id, s) = (entry.id.as_str(), &entry.scenario);
        let before = simulate(s).unwrap().explanation;
        let Some(fix) = before.fix else { continue };
        if let Some((_, words)) = NOT_TWIML.iter().find(|(n, _)| *n == id) {
            assert!(fix.contains(words), "{id}: fix {fix:?} is no longer the one listed as not about TwiML");
            continue;
        }
        let mut applied = 0;
        // "set answerOnBridge="false" on the initial <Dial> ... and add a <Dial action>": the action runs.
        if fix.contains("set answerOnBridge=\"false\" on the initial <Dial>") && fix.contains("add a <Dial action>") {
            let cause = cause_of(id, "aob false + action", &with_action(&with_aob(s, "false")));
            assert!(cause.contains("the <Dial action> TwiML decided what UserA heard next"), "{id}: {cause}");
            applied += 1;
        }
        // "Either add answerOnBridge="true" ..., or add a <Dial action> ...": each branch works.
        if fix.starts_with("Either add answerOnBridge=\"true\" to the initial <Dial>") && fix.contains("or add a <Dial action>") {
            let cause = cause_of(id, "aob true", &with_aob(s, "true"));
            assert!(cause.contains("Twilio reconnected UserA and AgentA"), "{id}: {cause}");
            let cause = cause_of(id, "action", &with_action(s));
            assert!(cause.contains("the <Dial action> TwiML decided what UserA heard next"), "{id}: {cause}");
            applied += 1;
        }
        // "...; and add answerOnBridge="true" ..." or "If UserA should go back to AgentA instead, add answerOnBridge="true"".
        if (fix.contains("; and add answerOnBridge=\"true\" to the initial <Dial>")
            || fix.starts_with("If UserA should go back to AgentA instead, add answerOnBridge=\"true\" to the initial <Dial>"))
            && applied == 0
        {
            let cause = cause_of(id, "aob true", &with_aob(s, "true"));
            assert!(cause.contains("Twilio reconnected UserA and AgentA"), "{id}: {cause}");
            applied += 1;
        }
        if fix.starts_with("Add referUrl=") {
            let cause = cause_of(id, "referUrl", &with_refer_url(s));
            assert!(!cause.contains("has no referUrl") && cause.contains("answered, so Twilio connected"), "{id}: {cause}");
            applied += 1;
        }
        assert_eq!(applied, 1, "{id}: no way to follow the fix {fix:?}: apply it here or list it in NOT_TWIML");
        followed += 1;
    }
    assert!(followed >= 10, "only {followed} fixes followed");
}

/// The cells of the brief: with answerOnBridge true the advice never says to add only a
/// `<Dial action>` (which the run would not use); it says AgentA can transfer again.
#[test]
fn with_answer_on_bridge_true_the_fix_does_not_ask_for_an_action_that_never_runs() {
    for id in ["agentb-no-answer-aob-true", "agentb-busy-aob-true", "agentb-fails", "hold-before-refer"] {
        let entry = catalogue().into_iter().find(|e| e.id == id).unwrap();
        let fix = simulate(&entry.scenario).unwrap().explanation.fix.unwrap();
        assert!(fix.starts_with("AgentA is back with UserA and can transfer again."), "{id}: {fix}");
        assert!(fix.contains("set answerOnBridge=\"false\" on the initial <Dial>"), "{id}: {fix}");
        // Adding only the action, as the old advice said, changes nothing: the cause stays.
        let before = simulate(&entry.scenario).unwrap().explanation.cause;
        let t = simulate(&with_action(&entry.scenario)).unwrap();
        assert_eq!(t.explanation.cause, before, "{id}");
        assert!(t.warnings.iter().any(|w| w.code == "unused_app"), "{id}: {:?}", t.warnings);
    }
}
