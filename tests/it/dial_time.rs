//! `<Dial timeLimit>`, `hangupOnStar` and `ringTone` around a REFER transfer, as the `<Dial>`
//! page documents them (`dial.time-limit`, `dial.hangup-on-star`, `dial.ring-tone` in
//! `src/sources.md`): the BYE Twilio sends and when, the `<Dial action>` that follows, the
//! verbs after it, the caller's `*` (scenario `callerKeys`), what the caller hears while the
//! target rings, and `checkTransfer` saying what the runtime will do. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{CallStatus, LegId, Step, StepKind, Timeline, WebhookRequest};
use refer_sim::twiml::{check_transfer, Role};

const AGENT_A: &str = "sip:AgentA@example.com";
const AGENT_B: &str = "sip:AgentB@example.com";
const HANDLER: &str = "https://e.com/refer";
const AFTER: &str = "https://e.com/after";

/// The initial `<Dial>` to AgentA with `attrs`, then `rest`; AgentA answers at 1 s and REFERs
/// to AgentB at `refer_at`; the referUrl answers `refer_twiml` (100 ms); AgentB answers 3 s
/// after it rings; the caller presses `keys` (`[atMs, digits]`).
fn scenario(attrs: &str, rest: &str, refer_at: u64, refer_twiml: &str, keys: &[(u64, &str)]) -> Scenario {
    let keys: Vec<serde_json::Value> = keys.iter().map(|(at, d)| serde_json::json!({ "atMs": at, "digits": d })).collect();
    let mut json = serde_json::json!({
        "initialTwiml": format!(r#"<Response><Dial {attrs} referUrl="{HANDLER}"><Sip>{AGENT_A}</Sip></Dial>{rest}</Response>"#),
        "refer": { "atMs": refer_at, "referTo": format!("<{AGENT_B}>") },
        "app": {
            HANDLER: { "twiml": refer_twiml },
            AFTER: { "twiml": "<Response><Say>Goodbye</Say></Response>" },
        },
        "endpoints": {
            AGENT_A: { "answer": "answer", "afterMs": 1000 },
            AGENT_B: { "answer": "answer", "afterMs": 3000 },
        },
    });
    if !keys.is_empty() {
        json["callerKeys"] = serde_json::Value::Array(keys);
    }
    Scenario::from_json(&json.to_string()).unwrap()
}

fn run(s: &Scenario) -> Timeline {
    simulate(s).unwrap()
}

fn target() -> LegId {
    LegId::target(1)
}

/// The step that ends `leg`, with its time and tag.
fn ended<'a>(t: &'a Timeline, leg: &str) -> Option<&'a Step> {
    t.steps.iter().find(|s| s.kind == StepKind::LegEnded && s.changed_legs.iter().any(|l| l.id.0 == leg && l.status.is_final()))
}

fn request<'a>(t: &'a Timeline, url: &str) -> Option<&'a WebhookRequest> {
    t.steps.iter().filter_map(|s| s.webhook.as_deref()).find(|w| w.url == url)
}

/// What `leg` hears after the first step whose narration holds `text`.
fn hears_after(t: &Timeline, text: &str, leg: &str) -> String {
    let i = t.steps.iter().position(|s| s.narration.contains(text)).unwrap_or_else(|| panic!("no step {text:?}"));
    t.legs_at(i).into_iter().find(|l| l.id.0 == leg).map(|l| l.hearing.to_string()).unwrap()
}

/// The referUrl `<Dial>` to AgentB with `attrs` (and `<Say>After</Say>` after it).
fn refer_dial(attrs: &str) -> String {
    format!(r#"<Response><Dial {attrs}><Sip>{AGENT_B}</Sip></Dial><Say>After</Say></Response>"#)
}

// ----- timeLimit -----

/// (case, referUrl <Dial> attributes, when Twilio BYEs AgentB or None, DialCallDuration sent)
/// The REFER comes at 10 s; the referUrl answers at 10.1 s; AgentB rings then and answers at 13.1 s.
#[rustfmt::skip]
const TIME_LIMITS: &[(&str, &str, Option<u64>, Option<&str>)] = &[
    ("30 s, with action", r#"timeLimit="30" action="https://e.com/after""#, Some(43_100), Some("30")),
    ("1 s", r#"timeLimit="1" action="https://e.com/after""#, Some(14_100), Some("1")),
    ("over 4 hours: capped at 14400 s", r#"timeLimit="99999" action="https://e.com/after""#, Some(13_100 + 14_400_000), Some("14400")),
    ("0 (warning 13216): no limit armed", r#"timeLimit="0" action="https://e.com/after""#, None, None),
    ("absent: the default 4 hours is not armed", r#"action="https://e.com/after""#, None, None),
];

#[test]
fn time_limit_hangs_up_the_target_and_requests_the_action_with_completed() {
    for (case, attrs, bye_at, duration) in TIME_LIMITS {
        let t = run(&scenario("", "", 10_000, &refer_dial(attrs), &[]));
        let end = ended(&t, "target");
        assert_eq!(end.map(|s| s.at_ms), *bye_at, "{case}: when AgentB's call ends");
        if let Some(end) = end {
            // `dial.time-limit` says what the limit ends; that it counts from the answer is assumed.
            assert_eq!(end.tag.as_str(), "assumed", "{case}");
            assert!(
                end.narration.starts_with("timeLimit: ") && end.narration.contains("(the <Dial> page)"),
                "{case}: {}",
                end.narration
            );
            // Twilio sends the BYE to AgentB, who answers 200 OK.
            let lines: Vec<(&str, &str, &str)> =
                end.messages.iter().map(|m| (m.from.as_str(), m.to.as_str(), m.first_line())).collect();
            assert_eq!(lines.len(), 2, "{case}: {lines:?}");
            assert_eq!((lines[0].0, lines[0].1), ("twilio", "target"), "{case}");
            assert!(lines[0].2.starts_with("BYE "), "{case}: {lines:?}");
            assert_eq!(lines[1].2, "SIP/2.0 200 OK", "{case}");
            let action = request(&t, AFTER).unwrap_or_else(|| panic!("{case}: no action request"));
            assert_eq!(action.param("DialCallStatus"), Some("completed"), "{case}");
            assert_eq!(action.param("DialCallDuration"), *duration, "{case}");
            assert_eq!(action.param("DialBridged"), Some("true"), "{case}");
            // The caller stays: it hears the action's TwiML, then the call ends.
            assert!(t.steps.iter().any(|s| s.narration.contains("UserA hears \"Goodbye\"")), "{case}");
        } else {
            assert_eq!(t.outcome.connected, vec![(LegId::caller(), target())], "{case}: still connected");
            assert!(request(&t, AFTER).is_none(), "{case}");
        }
    }
}

#[test]
fn time_limit_without_action_runs_the_next_verb_of_the_refer_url_document() {
    let t = run(&scenario("", "", 10_000, &refer_dial(r#"timeLimit="20""#), &[]));
    assert_eq!(ended(&t, "target").map(|s| s.at_ms), Some(33_100));
    assert!(t.steps.iter().any(|s| s.source == Some("dial.no-action") && s.at_ms == 33_100));
    assert!(t.steps.iter().any(|s| s.narration.contains("UserA hears \"After\"")));
    assert_eq!(t.outcome.status(&LegId::caller()), Some(CallStatus::Completed));
}

/// With answerOnBridge on the initial `<Dial>`, the referUrl `<Dial>`'s limit runs from AgentB's
/// answer, when the transfer completes.
#[test]
fn time_limit_after_an_answer_on_bridge_transfer() {
    let t = run(&scenario(r#"answerOnBridge="true""#, "", 10_000, &refer_dial(r#"timeLimit="20""#), &[]));
    // AgentA is released once AgentB answers (it hangs up on Twilio's final NOTIFY).
    assert!(ended(&t, "transferor").is_some_and(|s| (13_100..14_000).contains(&s.at_ms)));
    assert_eq!(ended(&t, "target").map(|s| (s.at_ms, s.narration.starts_with("timeLimit: "))), Some((33_100, true)));
    assert!(t.steps.iter().any(|s| s.narration.contains("UserA hears \"After\"")));
}

/// A timeLimit on the initial `<Dial>` ends AgentA's call before the REFER: the caller goes on
/// with the next verb, and the later REFER finds no call.
#[test]
fn time_limit_on_the_initial_dial_ends_the_transferor_before_its_refer() {
    let t = run(&scenario(r#"timeLimit="5""#, "<Say>Bye</Say>", 20_000, &refer_dial(""), &[]));
    assert_eq!(ended(&t, "transferor").map(|s| (s.at_ms, s.narration.starts_with("timeLimit: "))), Some((6_000, true)));
    assert!(t.steps.iter().any(|s| s.narration.contains("UserA hears \"Bye\"")));
    assert!(request(&t, HANDLER).is_none(), "no REFER from a call that has ended, so no referUrl request");
}

/// The initial `<Dial>`'s timeLimit does not follow the transfer: AgentB's call is limited only by
/// the referUrl `<Dial>` (the check says so too).
#[test]
fn the_initial_time_limit_does_not_limit_the_target_after_the_transfer() {
    let t = run(&scenario(r#"timeLimit="15""#, "", 10_000, &refer_dial(""), &[]));
    assert_eq!(t.outcome.connected, vec![(LegId::caller(), target())]);
    let codes = codes(&check_transfer(&initial_xml(r#"timeLimit="15""#), Role::Initial));
    assert!(codes.contains(&"time_limit_before_transfer"), "{codes:?}");
}

// ----- hangupOnStar -----

/// (case, initial attrs, referUrl <Dial> attrs, keys, AgentB ended at (None: still on), what follows)
/// AgentB answers at 13.1 s (answerOnBridge absent) and is bridged with UserA from then.
#[allow(clippy::type_complexity)] // one row per case; its fields are named in the comment above
#[rustfmt::skip]
const STARS: &[(&str, &str, &str, &[(u64, &str)], Option<u64>, &str)] = &[
    ("* while bridged, no action: next verb", "", r#"hangupOnStar="true""#, &[(20_000, "*")], Some(20_000), "UserA hears \"After\""),
    ("1*# while bridged: the * counts", "", r#"hangupOnStar="true""#, &[(20_000, "1*#")], Some(20_000), "UserA hears \"After\""),
    ("* while bridged, with action", "", r#"hangupOnStar="true" action="https://e.com/after""#, &[(20_000, "*")], Some(20_000), "UserA hears \"Goodbye\""),
    ("* without hangupOnStar", "", "", &[(20_000, "*")], None, "without hangupOnStar=\"true\""),
    ("hangupOnStar=\"false\"", "", r#"hangupOnStar="false""#, &[(20_000, "*")], None, "without hangupOnStar=\"true\""),
    ("1 only", "", r#"hangupOnStar="true""#, &[(20_000, "1")], None, "only * does something there"),
    ("* while AgentB still rings", "", r#"hangupOnStar="true""#, &[(11_000, "*")], None, "still rings"),
    ("hangupOnStar on the initial <Dial> only: after the transfer * does nothing", r#"hangupOnStar="true""#, "", &[(20_000, "*")], None, "without hangupOnStar=\"true\""),
    ("* while bridged with AgentA, AgentB ringing (answerOnBridge)", r#"answerOnBridge="true""#, r#"hangupOnStar="true""#, &[(11_000, "*")], None, "still connected to AgentA"),
];

#[test]
fn a_star_hangs_up_the_bridged_target_only_with_hangup_on_star() {
    for (case, initial, attrs, keys, end_at, then) in STARS {
        let t = run(&scenario(initial, "", 10_000, &refer_dial(attrs), keys));
        assert_eq!(ended(&t, "target").map(|s| s.at_ms), *end_at, "{case}");
        assert!(t.steps.iter().any(|s| s.narration.contains(then)), "{case}: no step saying {then:?}");
        if end_at.is_some() {
            let star = t.steps.iter().find(|s| s.kind == StepKind::Digits).unwrap();
            assert_eq!(star.source, Some("dial.hangup-on-star"), "{case}");
            let end = ended(&t, "target").unwrap();
            assert!(end.messages.first().is_some_and(|m| m.from == "twilio" && m.first_line().starts_with("BYE ")), "{case}");
            if let Some(a) = request(&t, AFTER) {
                assert_eq!((a.param("DialCallStatus"), a.param("DialCallDuration")), (Some("completed"), Some("6")), "{case}");
            }
        } else {
            assert_eq!(t.outcome.connected, vec![(LegId::caller(), target())], "{case}: UserA and AgentB stay connected");
            assert!(t.steps.iter().any(|s| s.kind == StepKind::Ignored && s.at_ms == keys[0].0), "{case}");
        }
    }
}

/// hangupOnStar on the initial `<Dial>`: UserA leaves AgentA before any REFER and goes on.
#[test]
fn a_star_before_the_transfer_hangs_up_the_transferor() {
    let t = run(&scenario(r#"hangupOnStar="true""#, "<Say>Bye</Say>", 20_000, &refer_dial(""), &[(5_000, "*")]));
    assert_eq!(ended(&t, "transferor").map(|s| (s.at_ms, s.source)), Some((5_000, Some("dial.hangup-on-star"))));
    assert!(t.steps.iter().any(|s| s.narration.contains("UserA hears \"Bye\"")));
    assert!(request(&t, HANDLER).is_none());
}

/// The same key input feeds a `<Gather>` listening at that time.
#[test]
fn caller_keys_feed_a_gather_listening_then() {
    let twiml = format!(r#"<Response><Gather action="{AFTER}" timeout="30"><Say>Press a key</Say></Gather></Response>"#);
    let t = run(&scenario("", "", 10_000, &twiml, &[(15_000, "7")]));
    assert_eq!(request(&t, AFTER).and_then(|w| w.param("Digits")), Some("7"));
}

/// Keys pressed in a conference are ignored with a reason of their own (hangupOnStar there is
/// not simulated), not as keys no `<Gather>` hears.
#[test]
fn keys_in_a_conference_are_ignored_as_not_simulated() {
    let twiml = r#"<Response><Dial hangupOnStar="true"><Conference>room</Conference></Dial></Response>"#;
    let t = run(&scenario("", "", 10_000, twiml, &[(15_000, "*")]));
    let step = t.steps.iter().find(|s| s.at_ms == 15_000 && s.kind == StepKind::Ignored).expect("the key is ignored");
    assert!(step.narration.contains("UserA pressed * in a conference or queue"), "{}", step.narration);
}

/// (JSON of callerKeys, code, field)
#[rustfmt::skip]
const BAD_KEYS: &[(&str, &str, &str)] = &[
    (r#"[{"atMs":1000,"digits":"x"}]"#, "bad_scenario", "callerKeys[0].digits"),
    (r#"[{"atMs":1000,"digits":""}]"#, "bad_scenario", "callerKeys[0].digits"),
    (r#"[{"atMs":1000,"digits":"*"},{"atMs":1099511627777,"digits":"*"}]"#, "bad_time", "callerKeys[1].atMs"),
    (r#"[{"atMs":1000}]"#, "bad_scenario", "callerKeys[0].digits"),
    (r#"[{"atMs":1000,"digits":"1","extra":1}]"#, "bad_scenario", "callerKeys[0].extra"),
];

#[test]
fn bad_caller_keys_name_their_field() {
    for (keys, code, field) in BAD_KEYS {
        let json =
            format!(r#"{{"initialTwiml":"<Response/>","refer":{{"atMs":1,"referTo":"<sip:b@c.com>"}},"callerKeys":{keys}}}"#);
        let e = Scenario::from_json(&json).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (*code, Some(*field)), "{keys}: {}", e.message);
        assert!(e.message.starts_with(field), "{keys}: {}", e.message);
    }
    let many = format!(r#"[{}{{"atMs":1,"digits":"1"}}]"#, r#"{"atMs":1,"digits":"1"},"#.repeat(64));
    let json = format!(r#"{{"initialTwiml":"<Response/>","refer":{{"atMs":1,"referTo":"<sip:b@c.com>"}},"callerKeys":{many}}}"#);
    let e = Scenario::from_json(&json).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), ("too_large", Some("callerKeys")));
}

// ----- ringTone -----

/// (case, initial attrs, referUrl <Dial> attrs, what UserA hears once AgentB rings)
#[rustfmt::skip]
const TONES: &[(&str, &str, &str, &str)] = &[
    ("uk", "", r#"ringTone="uk""#, "ringback (uk ringTone)"),
    ("us-old", "", r#"ringTone="us-old""#, "ringback (us-old ringTone)"),
    ("absent: the carrier's ringback", "", "", "ringback"),
    ("unknown xx: the default ringback", "", r#"ringTone="xx""#, "ringback"),
    ("answerOnBridge true: UserA still hears AgentA", r#"answerOnBridge="true""#, r#"ringTone="uk""#, "AgentA"),
];

#[test]
fn ring_tone_is_what_the_caller_hears_while_the_target_rings() {
    for (case, initial, attrs, hears) in TONES {
        let t = run(&scenario(initial, "", 10_000, &refer_dial(attrs), &[]));
        assert_eq!(hears_after(&t, "Twilio calls AgentB", "caller"), *hears, "{case}");
        let tone_step = t.steps.iter().find(|s| s.narration.starts_with("ringTone="));
        match (attrs.is_empty(), tone_step) {
            (true, s) => assert!(s.is_none(), "{case}"),
            (false, Some(s)) => assert_eq!(s.source.is_some(), !attrs.contains("xx"), "{case}: {}", s.narration),
            (false, None) => panic!("{case}: no ringTone step"),
        }
    }
}

/// With answerOnBridge on the initial `<Dial>`, UserA's own call is not answered while AgentA
/// rings: the tone is played all the same (as early media, assumed, and the step says so).
#[test]
fn ring_tone_on_an_unanswered_call_with_answer_on_bridge() {
    let s = scenario(r#"answerOnBridge="true" ringTone="de""#, "", 10_000, &refer_dial(""), &[]);
    let t = run(&s);
    assert_eq!(hears_after(&t, "Twilio calls AgentA", "caller"), "ringback (de ringTone)");
    assert!(hears_after(&t, "ringTone=\"de\"", "caller").contains("de"));
    assert!(t.steps.iter().any(|s| s.narration.contains("not answered yet") && s.narration.contains("early media")));
    assert!(t.steps.iter().any(|s| s.kind == StepKind::Bridged && s.at_ms == 1000));
}

// ----- checkTransfer agrees with the runtime -----

fn initial_xml(attrs: &str) -> String {
    format!(r#"<Response><Dial {attrs} referUrl="{HANDLER}"><Sip>{AGENT_A}</Sip></Dial></Response>"#)
}

fn codes(d: &[refer_sim::twiml::Diagnostic]) -> Vec<&'static str> {
    d.iter().map(|d| d.code).collect()
}

/// (document, role, codes it must hold, codes it must not hold)
#[rustfmt::skip]
const CHECKS: &[(&str, Role, &[&str], &[&str])] = &[
    (r#"<Response><Dial timeLimit="0"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &["time_limit_not_positive"], &["time_limit_capped"]),
    (r#"<Response><Dial timeLimit="14401"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &["time_limit_capped"], &["time_limit_not_positive"]),
    (r#"<Response><Dial timeLimit="14400"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &[], &["time_limit_capped", "time_limit_before_transfer"]),
    (r#"<Response><Dial ringTone="xx"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &["unknown_ring_tone"], &[]),
    (r#"<Response><Dial ringTone="UK"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &["unknown_ring_tone"], &[]),
    (r#"<Response><Dial ringTone="us-old"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &[], &["unknown_ring_tone"]),
    (r#"<Response><Dial hangupOnStar="true" referUrl="https://e.com/r"><Sip>sip:a@c.com</Sip></Dial></Response>"#, Role::Initial, &["hangup_on_star_before_transfer"], &[]),
    (r#"<Response><Dial hangupOnStar="true"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &[], &["hangup_on_star_before_transfer", "hangup_on_star_in_room"]),
    // Only an initial <Dial> with a referUrl is before a transfer: neither half alone is.
    (r#"<Response><Dial hangupOnStar="true"><Sip>sip:a@c.com</Sip></Dial></Response>"#, Role::Initial, &[], &["hangup_on_star_before_transfer"]),
    (r#"<Response><Dial hangupOnStar="true" referUrl="https://e.com/r"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &[], &["hangup_on_star_before_transfer"]),
    (r#"<Response><Dial hangupOnStar="true" timeLimit="60"><Conference>room</Conference></Dial></Response>"#, Role::ReferResponse, &["hangup_on_star_in_room", "time_limit_in_room"], &[]),
    // time_limit_before_transfer needs an initial <Dial>, a referUrl and a positive limit.
    (r#"<Response><Dial timeLimit="0" referUrl="https://e.com/r"><Sip>sip:a@c.com</Sip></Dial></Response>"#, Role::Initial, &[], &["time_limit_before_transfer"]),
    (r#"<Response><Dial timeLimit="60" referUrl="https://e.com/r"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &[], &["time_limit_before_transfer"]),
    (r#"<Response><Dial timeLimit="60"><Sip>sip:a@c.com</Sip></Dial></Response>"#, Role::Initial, &[], &["time_limit_before_transfer"]),
    // time_limit_in_room needs a room and a positive limit.
    (r#"<Response><Dial timeLimit="60"><Sip>sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse, &[], &["time_limit_in_room"]),
    (r#"<Response><Dial timeLimit="0"><Conference>room</Conference></Dial></Response>"#, Role::ReferResponse, &[], &["time_limit_in_room"]),
];

#[test]
fn check_transfer_says_what_the_runtime_does_with_these_attributes() {
    for (xml, role, want, not) in CHECKS {
        let found = check_transfer(xml, *role);
        let got = codes(&found);
        for w in *want {
            assert!(got.contains(w), "{xml}: {got:?} lacks {w}");
        }
        for n in *not {
            assert!(!got.contains(n), "{xml}: {got:?} holds {n}");
        }
    }
    // 13216 is the vendor's code for a timeLimit that is not positive.
    let d = check_transfer(CHECKS[0].0, Role::ReferResponse);
    let zero = d.iter().find(|d| d.code == "time_limit_not_positive").unwrap();
    assert_eq!(zero.vendor_code, Some(13216));
}
