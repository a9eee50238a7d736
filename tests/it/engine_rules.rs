//! Rules of the transfer engine that no catalogue scenario (and so no golden
//! timeline) reaches: the order of the REFER preconditions when several fail,
//! the `<Dial timeout>` clamp, the `<Gather>` default timeout, a second REFER
//! while a transfer is pending (491), and the form encoding of webhook bodies.
//! Each was once changed without any test failing (mutation testing). Runs
//! natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::webhook::form_encode;
use refer_sim::transfer::{LegId, Step, StepKind, Timeline};
use serde_json::{json, Value};

const BANK: &str =
    "<Response><Dial referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>";
const NO_URL: &str = "<Response><Dial><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>";
const ROOM: &str = "<Response><Dial referUrl='https://example.com/handler'><Conference>Support</Conference></Dial></Response>";

/// Runs a scenario given as JSON.
fn run(scenario: Value) -> Timeline {
    let s = Scenario::from_json(&scenario.to_string()).unwrap_or_else(|e| panic!("{scenario}: {e}"));
    simulate(&s).unwrap_or_else(|e| panic!("{scenario}: {e}"))
}

fn first(t: &Timeline, kind: StepKind) -> Option<&Step> {
    t.steps.iter().find(|s| s.kind == kind)
}

/// The status line Twilio answered the REFER with.
fn refer_answer(t: &Timeline) -> &str {
    let step = first(t, StepKind::ReferRejected).or_else(|| first(t, StepKind::ReferAccepted)).expect("the REFER is answered");
    step.messages[0].first_line()
}

#[test]
fn when_several_preconditions_fail_the_first_in_the_documented_order_decides() {
    let long = format!("<sip:AgentB@example.com?X-Pad={}>", "x".repeat(260));
    let two = json!(["<sip:b@example.com>", "<sip:c@example.com>"]);
    let two_one_long = json!([long.clone(), "<sip:c@example.com>"]);
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, bool, Value, &str)] = &[
        // (what fails, initial TwiML, caller, Enhanced SIP Features, Refer-To, Twilio's answer)
        ("feature off, call in <Conference>: the account setting is first", ROOM, "sip:UserA@pbx.example.com", false, json!("<sip:b@example.com>"), "SIP/2.0 403 Forbidden"),
        ("feature off, bad Refer-To: the account setting is first", BANK, "+14155550100", false, json!("<sip:bad host>"), "SIP/2.0 403 Forbidden"),
        ("feature off, two Refer-To: the account setting is first", BANK, "+14155550100", false, two.clone(), "SIP/2.0 403 Forbidden"),
        ("feature off, Refer-To over 256: the account setting is first", BANK, "+14155550100", false, json!(long), "SIP/2.0 403 Forbidden"),
        ("call in <Conference>, two Refer-To: the noun is second", ROOM, "sip:UserA@pbx.example.com", true, two.clone(), "SIP/2.0 501 Not Implemented"),
        ("two Refer-To, one over 256: exactly one header comes before the length", BANK, "+14155550100", true, two_one_long, "SIP/2.0 400 Bad Request"),
        ("no referUrl, bad Refer-To: the syntax comes before referUrl", NO_URL, "+14155550100", true, json!("<sip:bad host>"), "SIP/2.0 400 Bad Request"),
        ("no referUrl, good Refer-To: accepted, then alert 13802", NO_URL, "+14155550100", true, json!("<sip:b@example.com>"), "SIP/2.0 202 Accepted"),
        ("everything fine", BANK, "+14155550100", true, json!("<sip:b@example.com>"), "SIP/2.0 202 Accepted"),
    ];
    for (what, initial, caller, enhanced, refer_to, want) in cases {
        let t = run(json!({
            "initialTwiml": initial, "caller": { "from": caller }, "enhancedSipFeatures": enhanced,
            "refer": { "atMs": 10000, "referTo": refer_to },
        }));
        assert_eq!(refer_answer(&t), *want, "{what}");
    }
    let two_refer_to = run(json!({ "initialTwiml": BANK, "refer": { "atMs": 10000, "referTo": two } }));
    let narration = &first(&two_refer_to, StepKind::ReferRejected).unwrap().narration;
    assert!(narration.contains("exactly one Refer-To") && narration.contains("has 2"), "{narration}");
}

#[test]
fn dial_timeout_is_clamped_to_5_600_seconds_plus_the_5_second_buffer() {
    #[rustfmt::skip]
    let cases: &[(&str, u64, &str)] = &[
        // (timeout attribute, AgentA declared no-answer at ms, the <Dial> narration says)
        ("", 35_000, "for up to 30 s"),
        (" timeout='0'", 10_000, "for up to 5 s"),
        (" timeout='4'", 10_000, "for up to 5 s"),
        (" timeout='5'", 10_000, "for up to 5 s"),
        (" timeout='6'", 11_000, "for up to 6 s"),
        (" timeout='599'", 604_000, "for up to 599 s"),
        (" timeout='600'", 605_000, "for up to 600 s"),
        (" timeout='601'", 605_000, "for up to 600 s"),
        (" timeout='86400'", 605_000, "for up to 600 s"),
    ];
    for (attr, at, says) in cases {
        let initial = format!("<Response><Dial{attr} referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>");
        let t = run(json!({
            "initialTwiml": initial, "refer": { "atMs": 900_000, "referTo": "<sip:b@example.com>" },
            "endpoints": { "sip:AgentA@example.sip.twilio.com": { "answer": "no-answer" } },
        }));
        let dial = first(&t, StepKind::TwimlVerb).unwrap();
        assert!(dial.narration.contains(says), "{attr}: {}", dial.narration);
        let ended =
            t.steps.iter().find(|s| s.kind == StepKind::LegEnded && s.narration.contains("no-answer")).expect("no-answer");
        assert_eq!(ended.at_ms, *at, "{attr}");
        let legs = t.legs_after_step(ended);
        let transferor = legs.iter().find(|l| l.id == LegId::transferor()).unwrap();
        assert_eq!(transferor.status.as_str(), "no-answer", "{attr}");
    }
}

#[test]
fn gather_waits_5_seconds_after_its_prompt_unless_told_otherwise() {
    #[rustfmt::skip]
    let cases: &[(&str, u64)] = &[
        // (Gather attributes, the TwiML goes on at ms: a 1 s <Pause> prompt, then the timeout)
        ("", 6_000),
        (" timeout='2'", 3_000),
        (" timeout='12'", 13_000),
    ];
    for (attrs, at) in cases {
        let initial = format!("<Response><Gather{attrs}><Pause length='1'/></Gather><Dial referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>");
        let t = run(json!({ "initialTwiml": initial, "refer": { "atMs": 60_000, "referTo": "<sip:b@example.com>" } }));
        let timed_out =
            t.steps.iter().find(|s| s.narration.contains("pressed nothing")).unwrap_or_else(|| panic!("{attrs}: no timeout"));
        assert_eq!(timed_out.at_ms, *at, "{attrs}");
        let dial = t.steps.iter().find(|s| s.kind == StepKind::TwimlVerb && s.narration.starts_with("<Dial>")).unwrap();
        assert_eq!(dial.at_ms, *at, "{attrs}: the <Dial> runs when the <Gather> gives up");
    }
}

#[test]
fn form_bodies_encode_spaces_as_plus_and_everything_else_but_unreserved_as_percent() {
    #[rustfmt::skip]
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[("A", "b c")], "A=b+c"),
        (&[("A B", "c")], "A+B=c"),
        (&[("To", "+14155550100")], "To=%2B14155550100"),
        (&[("T", "<sip:a@b.com;x=1?X-A=1&Y=2>")], "T=%3Csip%3Aa%40b.com%3Bx%3D1%3FX-A%3D1%26Y%3D2%3E"),
        (&[("U", "az-AZ_09.*~")], "U=az-AZ_09.*%7E"),
        (&[("N", "é")], "N=%C3%A9"),
        (&[("a", "1"), ("b", ""), ("c", "3")], "a=1&b=&c=3"),
        (&[], ""),
    ];
    for (pairs, want) in cases {
        let owned: Vec<_> = pairs.iter().map(|&(k, v)| (k.into(), v.into())).collect();
        assert_eq!(form_encode(&owned), *want, "{pairs:?}");
    }
    // The same encoding in a POST body and a GET query string, for a Refer-To with a display name.
    for (method, want) in [("POST", "body"), ("GET", "query")] {
        let initial = format!("<Response><Dial referMethod='{method}' referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>");
        let t = run(
            json!({ "initialTwiml": initial, "refer": { "atMs": 10000, "referTo": "\"Agent B\" <sip:AgentB@example.com>" } }),
        );
        let w = first(&t, StepKind::WebhookRequested).unwrap().webhook.clone().unwrap();
        let sent = if want == "body" { w.body.clone().unwrap() } else { w.query_url.clone().unwrap() };
        assert!(sent.contains("ReferTransferTarget=%22Agent+B%22+%3Csip%3AAgentB%40example.com%3E"), "{method}: {sent}");
    }
}

#[test]
fn a_leg_is_labelled_by_its_sip_user_only_when_that_reads_as_a_name() {
    #[rustfmt::skip]
    let cases: &[(&str, &str)] = &[
        // (the caller's address, its label)
        ("sip:Bob@pbx.example.com", "Bob"),
        ("sips:Bob@pbx.example.com", "Bob"),
        ("sip:a.b-c_d9@pbx.example.com", "a.b-c_d9"),
        ("sip:Abcdefghijklmnop@pbx.example.com", "Abcdefghijklmnop"),
        ("sip:Abcdefghijklmnopq@pbx.example.com", "UserA"),
        ("sip:+14155550100@pbx.example.com", "UserA"),
        ("sip:1001@pbx.example.com", "UserA"),
        ("sip:_bob@pbx.example.com", "UserA"),
        ("sip:bob!@pbx.example.com", "UserA"),
        ("sip:bo b@pbx.example.com", "UserA"),
        // The user as `sip::parse_uri` reads it: without the password, percent-decoded.
        ("sip:bob:secret@pbx.example.com", "bob"),
        ("sip:b%6Fb@pbx.example.com", "bob"),
        ("sip:bob;transport=tcp@pbx.example.com", "UserA"),
        ("sip:pbx.example.com", "UserA"),
        ("+14155550100", "UserA"),
        ("client:bob", "UserA"),
    ];
    for (from, label) in cases {
        let t = run(
            json!({ "initialTwiml": BANK, "caller": { "from": from }, "refer": { "atMs": 10000, "referTo": "<sip:b@example.com>" } }),
        );
        let legs = t.legs_at(0);
        let caller = legs.iter().find(|l| l.id == LegId::caller()).unwrap();
        assert_eq!(caller.label, *label, "{from}");
    }
}

#[test]
fn with_refer_sub_false_no_step_claims_a_notify() {
    let dial_b = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";
    let say = "<Response><Say>Goodbye</Say></Response>";
    #[rustfmt::skip]
    let cases: &[(&str, bool, Value, &str, &str)] = &[
        // (what, answerOnBridge, the application, AgentB answers, who is connected at the end)
        ("aob false, AgentB answers", false, json!({ "twiml": dial_b }), "answer", "caller-target"),
        ("aob true, AgentB answers", true, json!({ "twiml": dial_b }), "answer", "caller-target"),
        ("aob true, AgentB does not answer", true, json!({ "twiml": dial_b }), "no-answer", "caller-transferor"),
        ("aob false, referUrl unreachable", false, json!({ "unreachable": true }), "answer", ""),
        ("aob true, referUrl unreachable", true, json!({ "unreachable": true }), "answer", "caller-transferor"),
        ("aob true, the TwiML plays media first", true, json!({ "twiml": say }), "answer", ""),
    ];
    for (what, aob, app, answer, connected) in cases {
        let initial = format!("<Response><Dial answerOnBridge='{aob}' referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>");
        let t = run(json!({
            "initialTwiml": initial, "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>", "referSub": false },
            "app": { "https://example.com/handler": app }, "endpoints": { "sip:AgentB@example.sip.twilio.com": { "answer": answer } },
        }));
        for s in &t.steps {
            assert!(s.messages.iter().all(|m| !m.first_line().starts_with("NOTIFY")), "{what}: a NOTIFY at {}", s.at_ms);
            let claims = s.narration.replace("No NOTIFY is sent", "").replace("no NOTIFY will follow", "");
            assert!(!claims.contains("NOTIFY"), "{what}: {:?} says {}", s.kind, s.narration);
        }
        let pairs: Vec<String> = t.outcome.connected.iter().map(|(a, b)| format!("{a}-{b}")).collect();
        assert_eq!(pairs.join(","), *connected, "{what}");
    }
    let no_url = run(json!({
        "initialTwiml": NO_URL, "refer": { "atMs": 10000, "referTo": "<sip:b@example.com>", "referSub": false },
    }));
    assert!(no_url.steps.iter().all(|s| !s
        .narration
        .replace("No NOTIFY is sent", "")
        .replace("no NOTIFY will follow", "")
        .contains("NOTIFY")));
}

/// The value of header `name` in a SIP text.
fn header<'a>(text: &'a str, name: &str) -> &'a str {
    text.split("\r\n").find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(": "))).unwrap_or_default()
}

#[test]
fn sip_transactions_keep_rfc_3261_branches_and_tags() {
    // Via branches: RFC 3261 §8.2.6.2 (a response copies its request's Via), §9.1 (CANCEL has
    // the INVITE's branch), §17.1.1.3 (the ACK of a non-2xx final response too; an ACK of a
    // 2xx is new). To tags: §8.1.1.2 (none on an initial INVITE), §8.2.6.2 (every response
    // but 100 has one), §9.1 (a CANCEL's To is its INVITE's).
    let mut checked = 0;
    for entry in refer_sim::scenario::catalogue::catalogue() {
        let t = simulate(&entry.scenario).unwrap();
        // (Call-ID, CSeq) of each request -> its branch; Call-ID -> the last INVITE's branch and final code.
        let mut requests: Vec<((String, String), String)> = Vec::new();
        let mut invites: Vec<(String, String, Option<u16>)> = Vec::new();
        for m in t.steps.iter().flat_map(|s| &s.messages) {
            let (call, cseq) = (header(m.text(), "Call-ID").to_string(), header(m.text(), "CSeq").to_string());
            let branch = header(m.text(), "Via").split(";branch=").nth(1).unwrap_or_default().to_string();
            let invite = invites.iter_mut().rev().find(|(c, _, _)| *c == call);
            if let Some(code) = m.first_line().strip_prefix("SIP/2.0 ") {
                let code: u16 = code[..3].parse().unwrap();
                assert!(
                    code == 100 || header(m.text(), "To").contains(";tag="),
                    "{}: {} without a To tag",
                    entry.id,
                    m.first_line()
                );
                let want = requests.iter().rev().find(|(k, _)| *k == (call.clone(), cseq.clone())).map(|(_, b)| b.clone());
                assert_eq!(Some(&branch), want.as_ref(), "{}: {} to {cseq}", entry.id, m.first_line());
                if let (Some(inv), true) = (invite, cseq.ends_with(" INVITE") && code >= 200) {
                    inv.2 = Some(code);
                }
            } else {
                let method = m.first_line().split(' ').next().unwrap();
                let of_invite =
                    method == "CANCEL" || (method == "ACK" && invite.as_ref().is_some_and(|i| i.2.is_some_and(|c| c >= 300)));
                if of_invite {
                    assert_eq!(
                        Some(&branch),
                        invite.map(|i| &i.1),
                        "{}: {} reuses the INVITE's branch",
                        entry.id,
                        m.first_line()
                    );
                } else {
                    assert!(!requests.iter().any(|(_, b)| *b == branch), "{}: {} has a new branch", entry.id, m.first_line());
                }
                if method == "CANCEL" {
                    let invite = requests.iter().rev().find(|((c, q), _)| *c == call && q.ends_with(" INVITE"));
                    let invite_text =
                        t.steps.iter().flat_map(|s| &s.messages).find(|x| invite.is_some_and(|i| x.text().contains(&i.1)));
                    assert_eq!(
                        header(m.text(), "To"),
                        header(invite_text.unwrap().text(), "To"),
                        "{}: the CANCEL's To",
                        entry.id
                    );
                }
                let initial = method == "INVITE" && !invites.iter().any(|(c, _, _)| *c == call);
                assert!(!initial || !header(m.text(), "To").contains(";tag="), "{}: an initial INVITE with a To tag", entry.id);
                if method == "INVITE" {
                    invites.push((call.clone(), branch.clone(), None));
                }
                requests.push(((call, cseq), branch));
            }
            checked += 1;
        }
    }
    assert!(checked > 400, "{checked} messages checked");
}

#[test]
fn a_step_that_names_sip_messages_carries_them() {
    for entry in refer_sim::scenario::catalogue::catalogue() {
        let t = simulate(&entry.scenario).unwrap();
        for s in t.steps.iter().filter(|s| matches!(s.kind, StepKind::LegAnswered | StepKind::LegRinging | StepKind::LegEnded)) {
            let names = ["200 OK", "ACK", "INVITE", "BYE", "CANCEL", "180 Ringing"].iter().find(|m| s.narration.contains(*m));
            assert!(
                names.is_none() || !s.messages.is_empty(),
                "{} at {} ms: {:?} but no SIP message",
                entry.id,
                s.at_ms,
                s.narration
            );
        }
    }
}

#[test]
fn say_play_and_pause_take_their_assumed_time_before_the_next_verb() {
    #[rustfmt::skip]
    let cases: &[(&str, u64)] = &[
        // (verbs before the <Dial>, when the <Dial> starts: <Say> 60 ms a character and at least 1 s,
        // <Play> 5 s, <Pause> its length (1 s by default), each times its loop; loop="0" is capped at 10)
        ("<Say>Hello</Say>", 1_000),
        ("<Say>Hello world, this is</Say>", 1_200),
        ("<Say loop='3'>Hello</Say>", 3_000),
        ("<Say loop='0'>Hello</Say>", 10_000),
        ("<Say loop='20'>Hello</Say>", 10_000),
        ("<Play>https://example.com/a.mp3</Play>", 5_000),
        ("<Play loop='2'>https://example.com/a.mp3</Play>", 10_000),
        ("<Play loop='0'>https://example.com/a.mp3</Play>", 50_000),
        ("<Pause/>", 1_000),
        ("<Pause length='3'/>", 3_000),
        ("<Say>Hello</Say><Pause length='2'/><Play>https://example.com/a.mp3</Play>", 8_000),
        ("<Gather timeout='1'><Play loop='2'>https://example.com/a.mp3</Play><Say>Hello</Say><Pause/></Gather>", 13_000),
        ("<Record/>", 5_000),
    ];
    for (verbs, at) in cases {
        let initial = format!("<Response>{verbs}<Dial referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>");
        let t = run(json!({ "initialTwiml": initial, "refer": { "atMs": 90_000, "referTo": "<sip:b@example.com>" } }));
        let dial = t.steps.iter().find(|s| s.kind == StepKind::TwimlVerb && s.narration.starts_with("<Dial>")).unwrap();
        assert_eq!(dial.at_ms, *at, "{verbs}");
    }
}

#[test]
fn a_gather_prompt_is_its_first_say_or_play() {
    #[rustfmt::skip]
    let cases: &[(&str, &str)] = &[
        // (the <Gather>'s children, what the caller hears while it waits)
        ("<Say>Press 1</Say><Play>https://example.com/a.mp3</Play>", "<Say> Press 1"),
        ("<Play>https://example.com/a.mp3</Play><Say>Press 1</Say>", "<Play> https://example.com/a.mp3"),
        ("<Pause/><Play>https://example.com/a.mp3</Play><Say>Press 1</Say>", "<Play> https://example.com/a.mp3"),
        ("<Pause/>", "silence"),
    ];
    for (children, hears) in cases {
        let initial = format!("<Response><Gather>{children}</Gather><Dial referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>");
        let t = run(json!({ "initialTwiml": initial, "refer": { "atMs": 90_000, "referTo": "<sip:b@example.com>" } }));
        let gather = t.steps.iter().find(|s| s.narration.starts_with("<Gather>")).unwrap();
        let legs = t.legs_after_step(gather);
        let caller = legs.iter().find(|l| l.id == LegId::caller()).unwrap();
        assert_eq!(caller.hearing.to_string(), *hears, "{children}");
    }
}

#[test]
fn each_dialled_party_gets_its_own_leg_id_and_label() {
    // 17 transfers in a row (AgentA refers to the first target, which refers to the next, ...;
    // a scenario allows 16 chained REFERs): each gets its own id, and each is named by its SIP
    // user (1001), not by a role name (AgentB, AgentC, ... before).
    let dial = "<Response><Dial referUrl='https://example.com/handler'><Sip>sip:1001@example.com</Sip></Dial></Response>";
    let chained: Vec<Value> = (0..16).map(|_| json!({ "afterMs": 1000, "referTo": "<sip:1001@example.com>" })).collect();
    let t = run(json!({
        "initialTwiml": BANK, "refer": { "atMs": 10000, "referTo": "<sip:1001@example.com>" }, "chainedRefers": chained,
        "app": { "https://example.com/handler": { "twiml": dial } },
    }));
    let last = &t.final_legs();
    let labels: Vec<(&str, &str)> = last.iter().map(|l| (l.id.as_str(), l.label.as_str())).collect();
    for want in [("target", "1001"), ("target-2", "1001"), ("target-16", "1001"), ("target-17", "1001")] {
        assert!(labels.contains(&want), "{want:?} in {labels:?}");
    }
    // A <Dial action> that dials again gets new ids: target, then target.2.
    let again =
        "<Response><Dial action='https://example.com/again'><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";
    let c = "<Response><Dial><Sip>sip:AgentC@example.sip.twilio.com</Sip></Dial></Response>";
    let t = run(json!({
        "initialTwiml": BANK, "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "app": { "https://example.com/handler": { "twiml": again }, "https://example.com/again": { "twiml": c } },
        "endpoints": { "sip:AgentB@example.sip.twilio.com": { "answer": "busy" } },
    }));
    let legs = t.final_legs();
    let ids: Vec<&str> = legs.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["caller", "transferor", "target", "target.2"]);
}

#[test]
fn a_conference_dial_with_answer_on_bridge_answers_the_caller_when_it_joins() {
    for (aob, steps_with_answer) in [("true", 1), ("false", 1)] {
        let initial = format!("<Response><Dial answerOnBridge='{aob}' referUrl='https://example.com/handler'><Conference>Support</Conference></Dial></Response>");
        let t = run(
            json!({ "initialTwiml": initial, "caller": { "from": "sip:UserA@pbx.example.com" }, "refer": { "atMs": 10000, "referTo": "<sip:b@example.com>" } }),
        );
        let answered = t.steps.iter().filter(|s| s.kind == StepKind::LegAnswered).count();
        assert_eq!(answered, steps_with_answer, "answerOnBridge {aob}");
        let joined = t.steps.iter().find(|s| s.narration.contains("joins conference")).unwrap();
        let legs = t.legs_after_step(joined);
        let caller = legs.iter().find(|l| l.id == LegId::caller()).unwrap();
        assert_eq!((caller.status.as_str(), caller.hearing.to_string().as_str()), ("in-progress", "conference Support"), "{aob}");
    }
}

#[test]
fn a_stale_gather_timer_does_not_cut_the_next_verb_short() {
    #[rustfmt::skip]
    let cases: &[(&str, u64)] = &[
        // (what the <Gather action> answers once the digit is pressed at 1 s (fetched at 1.1 s),
        // when the <Dial> starts: the first <Gather>'s own timeout would have been at 6 s)
        ("<Pause length='20'/>", 21_100),
        ("<Gather timeout='10'><Pause/></Gather>", 12_100),
    ];
    for (next, at) in cases {
        let dial = "<Dial referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial>";
        let t = run(json!({
            "initialTwiml": format!("<Response><Gather action='https://example.com/g' timeout='5'><Pause/></Gather>{dial}</Response>"),
            "callerDigits": ["1"], "refer": { "atMs": 90_000, "referTo": "<sip:b@example.com>" },
            "app": { "https://example.com/g": { "twiml": format!("<Response>{next}{dial}</Response>") } },
        }));
        let dial = t.steps.iter().find(|s| s.kind == StepKind::TwimlVerb && s.narration.starts_with("<Dial>")).unwrap();
        assert_eq!(dial.at_ms, *at, "{next}");
    }
}

#[test]
fn with_answer_on_bridge_the_transfer_completes_when_the_referurl_twiml_plays_media_or_fails() {
    #[rustfmt::skip]
    let cases: &[(&str, Value, &str, &str)] = &[
        // (what, the referUrl application and the URL it redirects to, the final NOTIFY's sipfrag, connected at the end)
        ("a <Say> before the <Dial>", json!({ "https://example.com/handler": { "twiml": "<Response><Say>Please hold</Say><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" } }), "SIP/2.0 200 OK", "caller-target"),
        ("a <Redirect> to an unreachable URL", json!({ "https://example.com/handler": { "twiml": "<Response><Redirect>https://example.com/gone</Redirect></Response>" } }), "SIP/2.0 503 Service Unavailable", "caller-transferor"),
        ("a <Redirect> to TwiML that dials", json!({ "https://example.com/handler": { "twiml": "<Response><Redirect>https://example.com/next</Redirect></Response>" }, "https://example.com/next": { "twiml": "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" } }), "SIP/2.0 200 OK", "caller-target"),
    ];
    for (what, app, sipfrag, connected) in cases {
        let t = run(json!({
            "initialTwiml": "<Response><Dial answerOnBridge='true' referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>",
            "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" }, "app": app,
        }));
        let last_notify = t.steps.iter().rev().find(|s| s.kind == StepKind::NotifySent).unwrap();
        assert!(last_notify.messages[0].text().ends_with(&format!("\r\n\r\n{sipfrag}\r\n")), "{what}: {}", last_notify.narration);
        let pairs: Vec<String> = t.outcome.connected.iter().map(|(a, b)| format!("{a}-{b}")).collect();
        assert_eq!(pairs.join(","), *connected, "{what}");
    }
    // The <Say> completes the transfer as it starts, before AgentB is even called.
    let t = run(json!({
        "initialTwiml": "<Response><Dial answerOnBridge='true' referUrl='https://example.com/handler'><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>",
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "app": { "https://example.com/handler": { "latencyMs": 100, "twiml": "<Response><Say>Please hold</Say><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" } },
    }));
    let commit = t.steps.iter().find(|s| s.narration.contains("before any <Dial> answers")).expect("the commit step");
    assert_eq!((commit.kind, commit.at_ms), (StepKind::NotifySent, 10_100));
}

#[test]
fn dial_action_requests_carry_the_call_duration_in_whole_seconds() {
    for (hangup_after, duration) in [(7_500, "7"), (999, "0"), (61_000, "61")] {
        let t = run(json!({
            "initialTwiml": BANK, "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
            "app": { "https://example.com/handler": { "twiml": "<Response><Dial action='https://example.com/after'><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>" },
                     "https://example.com/after": { "twiml": "<Response><Hangup/></Response>" } },
            "endpoints": { "sip:AgentB@example.sip.twilio.com": { "hangupAfterMs": hangup_after } },
        }));
        let action =
            t.steps.iter().filter_map(|s| s.webhook.as_deref()).find(|w| w.purpose == "action").expect("the action request");
        assert_eq!(action.param("DialCallStatus"), Some("completed"), "{hangup_after}");
        assert_eq!(action.param("DialCallDuration"), Some(duration), "{hangup_after}");
    }
}

#[test]
fn when_two_parties_answer_at_the_same_instant_the_first_dialled_wins() {
    for (first, second) in [("AgentB", "AgentC"), ("AgentC", "AgentB")] {
        let dial = format!("<Response><Dial><Sip>sip:{first}@example.sip.twilio.com</Sip><Sip>sip:{second}@example.sip.twilio.com</Sip></Dial></Response>");
        let t = run(json!({
            "initialTwiml": BANK, "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
            "app": { "https://example.com/handler": { "twiml": dial } },
        }));
        let legs = &t.final_legs();
        let status = |label: &str| legs.iter().find(|l| l.label == label).map(|l| l.status.as_str()).unwrap();
        assert_eq!((status(first), status(second)), ("in-progress", "canceled"), "{first} dialled first");
    }
}

#[test]
fn in_a_dial_of_many_parties_the_one_that_answers_is_bridged_and_the_others_canceled() {
    // A few legs are found by scanning them, more through an index (engine.rs `index_of`): both ways.
    for n in [3usize, 12] {
        for answering in [0, n - 1] {
            let sips: String = (0..n).map(|i| format!("<Sip>sip:Agent{i}@example.sip.twilio.com</Sip>")).collect();
            let mut endpoints = serde_json::Map::new();
            for i in 0..n {
                let answer = if i == answering {
                    json!({ "answer": "answer", "afterMs": 1000 })
                } else {
                    json!({ "answer": "no-answer" })
                };
                endpoints.insert(format!("sip:Agent{i}@example.sip.twilio.com"), answer);
            }
            let t = run(json!({
                "initialTwiml": BANK, "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
                "app": { "https://example.com/handler": { "twiml": format!("<Response><Dial>{sips}</Dial></Response>") } },
                "endpoints": endpoints,
            }));
            let legs = t.final_legs();
            let winner = legs.iter().find(|l| l.label == format!("Agent{answering}")).expect("the party's leg");
            assert_eq!(t.outcome.connected, [(LegId::caller(), winner.id.clone())], "{n} parties, {answering} answers");
            for i in (0..n).filter(|&i| i != answering) {
                let leg = legs.iter().find(|l| l.label == format!("Agent{i}")).expect("each party's leg");
                assert_eq!(leg.status.as_str(), "canceled", "{n} parties, {answering} answers: Agent{i}");
            }
        }
    }
}
