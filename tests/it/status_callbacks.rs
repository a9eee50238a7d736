//! Requests that only inform: `statusCallback` on `<Sip>`/`<Number>`/`<Client>` (each requested
//! event, its parameters, the nouns' default events), `<Dial record>` with its
//! `recordingStatusCallback` and the action's `Recording*`, `DialSipHeader_*` from an endpoint's
//! `responseHeaders`; none of them holds the call up or changes it, whatever it answers; and
//! `checkTransfer` says what the runtime will do with them. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{Step, StepKind, Timeline, WebhookRequest};
use refer_sim::twiml::{check_transfer, Role};

const AGENT_A: &str = "sip:AgentA@example.com";
const AGENT_B: &str = "sip:AgentB@example.com";
const CB: &str = "https://e.com/status";
const REC: &str = "https://e.com/recording";

/// A transfer from AgentA to AgentB; the referUrl answers with `refer_twiml`; `app` adds entries.
fn scenario(initial: &str, refer_twiml: &str, agent_b: serde_json::Value, app: serde_json::Value) -> Scenario {
    let mut apps = serde_json::json!({ "https://e.com/refer": { "twiml": refer_twiml }, "https://e.com/after": { "twiml": "<Response><Say>Bye</Say></Response>" } });
    if let (Some(a), Some(extra)) = (apps.as_object_mut(), app.as_object()) {
        a.extend(extra.clone());
    }
    let json = serde_json::json!({
        "initialTwiml": initial,
        "refer": { "atMs": 10000, "referTo": format!("<{AGENT_B}>") },
        "app": apps,
        "endpoints": { AGENT_A: { "answer": "answer", "afterMs": 1000 }, AGENT_B: agent_b }
    });
    Scenario::from_json(&json.to_string()).unwrap()
}

fn initial(noun_attrs: &str) -> String {
    format!(
        r#"<Response><Dial answerOnBridge="true" referUrl="https://e.com/refer"><Sip {noun_attrs}>{AGENT_A}</Sip></Dial></Response>"#
    )
}

const PLAIN: &str = r#"<Response><Dial referUrl="https://e.com/refer"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#;

fn answers(after_ms: u64, hangup_after_ms: u64) -> serde_json::Value {
    serde_json::json!({ "answer": "answer", "afterMs": after_ms, "hangupAfterMs": hangup_after_ms })
}

/// An endpoint as the scenario reader reads it (the type derives no `Deserialize`).
fn endpoint(v: serde_json::Value) -> refer_sim::scenario::Endpoint {
    let s = serde_json::json!({ "initialTwiml": "<Response/>", "refer": { "atMs": 0, "referTo": "<sip:a@b>" }, "endpoints": { "x": v } });
    refer_sim::scenario::Scenario::from_json(&s.to_string()).expect("an endpoint").endpoints.remove("x").expect("read")
}

fn requests<'a>(t: &'a Timeline, url: &str) -> Vec<&'a WebhookRequest> {
    t.steps.iter().filter_map(|s| s.webhook.as_deref()).filter(|w| w.url == url).collect()
}

/// A callback request, its answer, or the late answer to one Twilio gave up on.
fn is_callback(s: &Step) -> bool {
    s.webhook.as_deref().is_some_and(|w| w.purpose.ends_with("allback"))
        || s.narration.starts_with("Callback answer: ")
        || (s.kind == StepKind::Ignored && s.narration.contains("after Twilio had given up"))
}

/// The steps that are not callbacks or their answers, as (time, kind, narration).
fn call_steps(t: &Timeline) -> Vec<(u64, StepKind, String)> {
    // The End step is stamped with the time of the last step, a callback's answer included.
    t.steps
        .iter()
        .filter(|s| !is_callback(s))
        .map(|s| (if s.kind == StepKind::End { 0 } else { s.at_ms }, s.kind, s.narration.clone()))
        .collect()
}

#[test]
fn every_requested_event_of_a_sip_party_is_requested_in_order_with_its_parameters() {
    let refer = format!(
        r#"<Response><Dial><Sip statusCallback="{CB}" statusCallbackEvent="initiated ringing answered completed">{AGENT_B}</Sip></Dial></Response>"#
    );
    let t = simulate(&scenario(PLAIN, &refer, answers(3000, 20000), serde_json::json!({ CB: {} }))).unwrap();
    let r = requests(&t, CB);
    let statuses: Vec<_> = r.iter().map(|w| w.param("CallStatus").unwrap()).collect();
    assert_eq!(statuses, ["initiated", "ringing", "in-progress", "completed"]);
    let seq: Vec<_> = r.iter().map(|w| w.param("SequenceNumber").unwrap()).collect();
    assert_eq!(seq, ["0", "1", "2", "3"]);
    let target_sid = r[0].param("CallSid").unwrap().to_string();
    for w in &r {
        assert_eq!(w.method, "POST");
        assert_eq!(w.purpose, "statusCallback");
        assert_eq!(w.param("CallSid"), Some(target_sid.as_str()));
        assert_eq!(w.param("CallbackSource"), Some("call-progress-events"));
        assert_eq!(w.param("Direction"), Some("outbound-dial"));
        assert_eq!(w.param("To"), Some(AGENT_B));
        assert!(w.param("ParentCallSid").is_some_and(|p| p.starts_with("CA") && p != target_sid));
        assert!(w.param("Timestamp").is_some_and(|ts| ts.ends_with(" +0000") && ts.starts_with("Thu, 01 Jan 1970 ")));
        assert!(w.body.as_deref().is_some_and(|b| b.contains("CallbackSource=call-progress-events")));
    }
    // CallDuration and SipResponseCode on completed only: answered at 13 s (+3 s), hung up 20 s later.
    assert_eq!(r[3].param("CallDuration"), Some("20"));
    assert_eq!(r[3].param("SipResponseCode"), Some("200"));
    assert!(r[..3].iter().all(|w| w.param("CallDuration").is_none() && w.param("SipResponseCode").is_none()));
    // Each request is a step of its own at the time of its event, tagged with its page.
    let steps: Vec<&Step> = t.steps.iter().filter(|s| s.webhook.as_deref().is_some_and(|w| w.url == CB)).collect();
    assert!(steps.iter().all(|s| s.kind == StepKind::WebhookRequested && s.source == Some("statuscb.async")));
    let answered_at =
        t.steps.iter().find(|s| s.kind == StepKind::LegAnswered && s.narration.starts_with("AgentB")).unwrap().at_ms;
    assert_eq!(steps[2].at_ms, answered_at);
    // The answers are recorded, and ignored.
    assert_eq!(
        t.steps.iter().filter(|s| s.kind == StepKind::WebhookFetched && s.narration.starts_with("Callback answer: ")).count(),
        4
    );
}

#[test]
fn status_callback_method_get_sends_a_query_string() {
    let t = simulate(&scenario(
        &initial(&format!(r#"statusCallback="{CB}" statusCallbackMethod="GET" statusCallbackEvent="answered""#)),
        &format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>"),
        answers(2000, 5000),
        serde_json::json!({ CB: {} }),
    ))
    .unwrap();
    let r = requests(&t, CB);
    assert_eq!(r.len(), 1, "only answered");
    assert_eq!(r[0].method, "GET");
    assert!(r[0].body.is_none());
    assert!(r[0].query_url.as_deref().is_some_and(|q| q.starts_with(&format!("{CB}?")) && q.contains("CallStatus=in-progress")));
    // The initial <Dial>'s party (AgentA) is the one reported.
    assert_eq!(r[0].param("To"), Some(AGENT_A));
}

/// (noun with statusCallback and no statusCallbackEvent, requests expected)
#[rustfmt::skip]
const DEFAULTS: &[(&str, &[&str])] = &[
    (r#"<Number statusCallback="https://e.com/status">+14155550123</Number>"#, &["completed"]),
    (r#"<Client statusCallback="https://e.com/status">agentb</Client>"#, &[]),
    (r#"<Client statusCallback="https://e.com/status" statusCallbackEvent="answered completed">agentb</Client>"#, &["in-progress", "completed"]),
    (r#"<Sip statusCallback="https://e.com/status">sip:AgentB@example.com</Sip>"#, &[]),
    (r#"<Number statusCallbackEvent="ringing">+14155550123</Number>"#, &[]),
    (r#"<Number statusCallback="https://e.com/status" statusCallbackEvent="ringing bogus">+14155550123</Number>"#, &["ringing"]),
];

#[test]
fn a_noun_without_events_gets_its_documented_default() {
    for (noun, expected) in DEFAULTS {
        let refer = format!("<Response><Dial>{noun}</Dial></Response>");
        let endpoints = serde_json::json!({ "answer": "answer", "afterMs": 2000, "hangupAfterMs": 4000 });
        let mut s = scenario(PLAIN, &refer, endpoints.clone(), serde_json::json!({ CB: {} }));
        for key in ["+14155550123", "client:agentb"] {
            s.endpoints.insert(key.into(), endpoint(endpoints.clone()));
        }
        let t = simulate(&s).unwrap();
        let got: Vec<_> = requests(&t, CB).iter().map(|w| w.param("CallStatus").unwrap().to_string()).collect();
        let want: Vec<_> = expected.iter().map(|e| e.to_string()).collect();
        assert_eq!(got, want, "{noun}");
    }
}

#[test]
fn a_busy_party_reports_completed_with_its_final_status_and_code() {
    let refer = format!(
        r#"<Response><Dial action="https://e.com/after"><Sip statusCallback="{CB}" statusCallbackEvent="completed">{AGENT_B}</Sip></Dial></Response>"#
    );
    let t = simulate(&scenario(
        &initial(""),
        &refer,
        serde_json::json!({ "answer": "busy", "afterMs": 2000 }),
        serde_json::json!({ CB: {} }),
    ))
    .unwrap();
    let r = requests(&t, CB);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].param("CallStatus"), Some("busy"));
    assert_eq!(r[0].param("CallDuration"), Some("0"));
    assert_eq!(r[0].param("SipResponseCode"), Some("486"));
}

#[test]
fn callbacks_never_hold_the_call_up_whatever_they_answer() {
    let refer_plain = format!(r#"<Response><Dial action="https://e.com/after"><Sip>{AGENT_B}</Sip></Dial></Response>"#);
    let refer_cb = format!(
        r#"<Response><Dial action="https://e.com/after"><Sip statusCallback="{CB}" statusCallbackEvent="initiated ringing answered completed">{AGENT_B}</Sip></Dial></Response>"#
    );
    let initial_cb = initial(&format!(r#"statusCallback="{CB}" statusCallbackEvent="initiated ringing answered completed""#));
    let base = simulate(&scenario(&initial(""), &refer_plain, answers(3000, 20000), serde_json::json!({}))).unwrap();
    let hangup = "<Response><Hangup/></Response>";
    for (case, app) in [
        ("slow (14 s)", serde_json::json!({ CB: { "latencyMs": 14000 } })),
        ("too slow (20 s)", serde_json::json!({ CB: { "latencyMs": 20000 } })),
        ("answers <Hangup/>", serde_json::json!({ CB: { "twiml": hangup } })),
        ("HTTP 500", serde_json::json!({ CB: { "status": 500 } })),
        ("unreachable", serde_json::json!({})),
    ] {
        let t = simulate(&scenario(&initial_cb, &refer_cb, answers(3000, 20000), app)).unwrap();
        assert_eq!(call_steps(&t), call_steps(&base), "{case}");
        assert_eq!(t.outcome.connected, base.outcome.connected, "{case}");
        assert_eq!(t.outcome.alerts, base.outcome.alerts, "{case}: a callback raises no alert");
        assert_eq!(t.explanation, base.explanation, "{case}");
        assert_eq!(requests(&t, CB).len(), 8, "{case}: four events of AgentA, four of AgentB");
    }
}

#[test]
fn a_failed_callback_is_recorded_and_does_not_explain_a_failed_transfer() {
    // The referUrl is unreachable: the explanation is about it, not about the callback that failed later.
    let mut s = scenario(
        &initial(&format!(r#"statusCallback="{CB}" statusCallbackEvent="completed""#)),
        "",
        answers(1000, 1000),
        serde_json::json!({ CB: { "status": 503 } }),
    );
    s.app.remove("https://e.com/refer");
    s.endpoints.insert(AGENT_A.into(), endpoint(answers(1000, 30000)));
    let t = simulate(&s).unwrap();
    let failed: Vec<&Step> = t.steps.iter().filter(|s| s.kind == StepKind::WebhookFailed).collect();
    assert_eq!(failed.len(), 2, "{failed:#?}");
    assert!(failed[1].narration.starts_with("Callback answer: https://e.com/status answered HTTP 503"));
    assert!(failed[1].alerts.is_empty());
    assert!(t.explanation.cause.contains("https://e.com/refer"), "{}", t.explanation.cause);
}

#[test]
fn dial_record_gives_the_action_and_the_recording_callback_the_recording() {
    let refer = format!(
        r#"<Response><Dial record="record-from-answer-dual" action="https://e.com/after" recordingStatusCallback="{REC}" recordingStatusCallbackEvent="in-progress completed"><Sip>{AGENT_B}</Sip></Dial></Response>"#
    );
    let t = simulate(&scenario(&initial(""), &refer, answers(3000, 20000), serde_json::json!({ REC: {} }))).unwrap();
    let action = requests(&t, "https://e.com/after")[0];
    let sid = action.param("RecordingSid").unwrap();
    assert!(sid.starts_with("RE") && sid.len() == 34, "{sid}");
    assert_eq!(action.param("RecordingDuration"), Some("20"));
    assert_eq!(
        action.param("RecordingUrl"),
        Some(
            format!("https://api.twilio.com/2010-04-01/Accounts/{}/Recordings/{sid}", action.param("AccountSid").unwrap())
                .as_str()
        )
    );
    let r = requests(&t, REC);
    let statuses: Vec<_> = r.iter().map(|w| w.param("RecordingStatus").unwrap()).collect();
    assert_eq!(statuses, ["in-progress", "completed"]);
    for w in &r {
        assert_eq!(w.purpose, "recordingStatusCallback");
        assert_eq!(w.param("RecordingSid"), Some(sid));
        assert_eq!(w.param("RecordingChannels"), Some("2"));
        assert_eq!(w.param("RecordingSource"), Some("DialVerb"));
        // The parent leg: the call whose TwiML dialled (UserA's), not AgentB's.
        assert_eq!(w.param("CallSid"), action.param("CallSid"));
    }
    assert_eq!(r[1].param("RecordingDuration"), Some("20"));
    assert_eq!(r[1].param("RecordingUrl"), action.param("RecordingUrl"));
    assert!(r[0].param("RecordingDuration").is_none());
    // The completed callback comes after the action request.
    let at = |url: &str, status: Option<&str>| {
        t.steps.iter().position(|s| {
            s.webhook.as_deref().is_some_and(|w| w.url == url && (status.is_none() || w.param("RecordingStatus") == status))
        })
    };
    assert!(at("https://e.com/after", None) < at(REC, Some("completed")));
}

/// (record value, RecordingDuration on the action or none, RecordingChannels)
#[rustfmt::skip]
const RECORD: &[(&str, Option<&str>, &str)] = &[
    ("record-from-answer", Some("20"), "1"),
    ("true", Some("20"), "1"),
    ("record-from-ringing", Some("23"), "1"),
    ("record-from-ringing-dual", Some("23"), "2"),
    ("do-not-record", None, ""),
    ("false", None, ""),
];

#[test]
fn each_record_value_starts_the_recording_when_it_says() {
    for (value, duration, channels) in RECORD {
        let refer = format!(
            r#"<Response><Dial record="{value}" action="https://e.com/after" recordingStatusCallback="{REC}"><Sip>{AGENT_B}</Sip></Dial></Response>"#
        );
        let t = simulate(&scenario(&initial(""), &refer, answers(3000, 20000), serde_json::json!({ REC: {} }))).unwrap();
        let action = requests(&t, "https://e.com/after")[0];
        assert_eq!(action.param("RecordingDuration"), *duration, "{value}");
        let r = requests(&t, REC);
        match duration {
            Some(_) => {
                assert_eq!(r.len(), 1, "{value}: completed only, the default");
                assert_eq!(r[0].param("RecordingChannels"), Some(*channels), "{value}");
            }
            None => assert!(r.is_empty() && action.param("RecordingSid").is_none(), "{value}"),
        }
    }
}

#[test]
fn a_recorded_initial_dial_stops_recording_when_the_transfer_replaces_its_twiml() {
    // answerOnBridge absent: AgentA (answered at 1 s) is released right after the referUrl
    // answer (10.1 s), when the referUrl TwiML's <Dial> starts.
    let initial = format!(
        r#"<Response><Dial record="record-from-answer" recordingStatusCallback="{REC}" referUrl="https://e.com/refer"><Sip>{AGENT_A}</Sip></Dial></Response>"#
    );
    let refer = format!("<Response><Dial><Sip>{AGENT_B}</Sip></Dial></Response>");
    let t = simulate(&scenario(&initial, &refer, answers(3000, 20000), serde_json::json!({ REC: {} }))).unwrap();
    let r = requests(&t, REC);
    assert_eq!(r.len(), 1, "{r:#?}");
    assert_eq!(r[0].param("RecordingStatus"), Some("completed"));
    assert_eq!(r[0].param("RecordingDuration"), Some("9"));
}

#[test]
fn an_unanswered_record_from_answer_dial_records_nothing() {
    let refer = format!(
        r#"<Response><Dial timeout="5" record="record-from-answer" action="https://e.com/after" recordingStatusCallback="{REC}"><Sip>{AGENT_B}</Sip></Dial></Response>"#
    );
    let t =
        simulate(&scenario(&initial(""), &refer, serde_json::json!({ "answer": "no-answer" }), serde_json::json!({ REC: {} })))
            .unwrap();
    assert!(requests(&t, REC).is_empty());
}

#[test]
fn the_x_headers_of_the_final_response_reach_the_dial_action() {
    let refer = format!(r#"<Response><Dial action="https://e.com/after"><Sip>{AGENT_B}</Sip></Dial></Response>"#);
    for (case, endpoint, expected) in [
        (
            "answers",
            serde_json::json!({ "answer": "answer", "afterMs": 2000, "hangupAfterMs": 5000, "responseHeaders": { "X-Agent-Id": "42", "x-queue": "sales" } }),
            vec![("DialSipHeader_X-Agent-Id", "42"), ("DialSipHeader_x-queue", "sales")],
        ),
        (
            "busy",
            serde_json::json!({ "answer": "busy", "afterMs": 2000, "responseHeaders": { "X-Reason": "in a meeting" } }),
            vec![("DialSipHeader_X-Reason", "in a meeting")],
        ),
        (
            "no answer: no final response of its own",
            serde_json::json!({ "answer": "no-answer", "responseHeaders": { "X-Reason": "x" } }),
            vec![],
        ),
    ] {
        let t = simulate(&scenario(PLAIN, &refer, endpoint, serde_json::json!({}))).unwrap();
        let action = *requests(&t, "https://e.com/after").first().unwrap_or_else(|| panic!("{case}: {:#?}", t.steps));
        let got: Vec<(&str, &str)> = action
            .params
            .iter()
            .filter(|(k, _)| k.starts_with("DialSipHeader_"))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, expected, "{case}");
    }
}

#[test]
fn the_x_headers_are_drawn_in_the_final_response_to_twilio_s_invite() {
    // The endpoint's JSON as a user writes it: `x-queue` first. Its headers are sent in the order
    // of their names (bytes: upper case first), as the scenario keeps them and the action gets them.
    let refer = format!(r#"<Response><Dial action="https://e.com/after"><Sip>{AGENT_B}</Sip></Dial></Response>"#);
    let headers = r#""responseHeaders": { "x-queue": "sales", "X-Agent-Id": "42" }"#;
    let both: &[(&str, &str)] = &[("X-Agent-Id", "42"), ("x-queue", "sales")];
    for (case, endpoint, code, drawn) in [
        ("answers", format!(r#"{{ "answer": "answer", "afterMs": 2000, "hangupAfterMs": 5000, {headers} }}"#), 200, both),
        ("busy", format!(r#"{{ "answer": "busy", "afterMs": 2000, {headers} }}"#), 486, both),
        ("fails with its sipCode", format!(r#"{{ "answer": "fail", "sipCode": 603, "afterMs": 2000, {headers} }}"#), 603, both),
        ("no answer: the 487 answers Twilio's CANCEL", format!(r#"{{ "answer": "no-answer", {headers} }}"#), 487, &[]),
    ] {
        let (initial, refer) = (serde_json::json!(PLAIN), serde_json::json!(refer));
        let text = format!(
            r#"{{ "initialTwiml": {initial}, "refer": {{ "atMs": 10000, "referTo": "<{AGENT_B}>" }},
                "app": {{ "https://e.com/refer": {{ "twiml": {refer} }}, "https://e.com/after": {{}} }},
                "endpoints": {{ "{AGENT_A}": {{ "answer": "answer", "afterMs": 1000 }}, "{AGENT_B}": {endpoint} }} }}"#
        );
        let t = simulate(&Scenario::from_json(&text).unwrap()).unwrap();
        let finals: Vec<_> = t
            .steps
            .iter()
            .flat_map(|s| &s.messages)
            .filter(|m| m.status().is_some_and(|c| c >= 200) && m.header("CSeq").is_some_and(|c| c.ends_with("INVITE")))
            .filter(|m| m.header("To").is_some_and(|to| to.contains("AgentB")))
            .collect();
        assert_eq!(finals.len(), 1, "{case}: {finals:#?}");
        let m = finals[0];
        assert_eq!(m.status(), Some(code), "{case}");
        let x: Vec<(&str, &str)> = m.headers().filter(|(n, _)| n.starts_with(['X', 'x'])).collect();
        assert_eq!(x, drawn, "{case}");
        for (name, value) in drawn {
            assert!(m.text().contains(&format!("\r\n{name}: {value}\r\n")), "{case}: {}", m.text());
        }
        // After the dialog's own headers, before the body's.
        let names: Vec<&str> = m.headers().map(|(n, _)| n).collect();
        assert_eq!(names.last(), Some(&"Content-Length"), "{case}");
        if !drawn.is_empty() {
            let at = names.iter().position(|n| *n == "X-Agent-Id").unwrap();
            assert_eq!(names[at - 1], if code == 200 { "Contact" } else { "CSeq" }, "{case}: {names:?}");
        }
        // The action's parameters are as before: the same headers, or none after a no-answer.
        let action = *requests(&t, "https://e.com/after").first().unwrap_or_else(|| panic!("{case}"));
        let got: Vec<(&str, &str)> =
            action.params.iter().filter_map(|(k, v)| Some((k.strip_prefix("DialSipHeader_")?, v.as_str()))).collect();
        assert_eq!(got, drawn, "{case}");
    }
}

#[test]
fn response_headers_are_checked_and_errors_name_their_path() {
    let ep = |headers: serde_json::Value| {
        serde_json::json!({
            "initialTwiml": PLAIN, "refer": { "atMs": 1000, "referTo": "<sip:b@e.com>" },
            "endpoints": { AGENT_B: { "responseHeaders": headers } }
        })
        .to_string()
    };
    let many: serde_json::Map<String, serde_json::Value> = (0..17).map(|i| (format!("X-H{i}"), serde_json::json!("v"))).collect();
    let base = r#"endpoints["sip:AgentB@example.com"].responseHeaders"#;
    for (headers, code, field) in [
        (serde_json::json!({ "Agent": "1" }), "bad_scenario", format!("{base}.Agent")),
        (serde_json::json!({ "X-": "1" }), "bad_scenario", format!(r#"{base}["X-"]"#)),
        (serde_json::json!({ "X-A B": "1" }), "bad_scenario", format!(r#"{base}["X-A B"]"#)),
        (serde_json::json!({ "X-A": "a\r\nB: c" }), "bad_scenario", format!(r#"{base}["X-A"]"#)),
        (serde_json::json!({ "X-A": "v".repeat(1024) }), "too_large", format!(r#"{base}["X-A"]"#)),
        (serde_json::json!({ format!("X-{}", "a".repeat(63)): "1" }), "too_large", format!(r#"{base}["X-{}"]"#, "a".repeat(63))),
        (serde_json::Value::Object(many), "too_large", base.to_string()),
    ] {
        let e = Scenario::from_json(&ep(headers.clone())).unwrap_err();
        assert_eq!((e.code, e.field.as_deref()), (code, Some(field.as_str())), "{headers}: {}", e.message);
        assert!(e.message.starts_with(&field), "{}", e.message);
    }
    assert!(Scenario::from_json(&ep(serde_json::json!({ "X-A": "v".repeat(1023), "x-b": "" }))).is_ok());
}

/// (TwiML, diagnostic code expected)
#[rustfmt::skip]
const CHECKS: &[(&str, &str)] = &[
    (r#"<Response><Dial><Client statusCallback="https://e.com/s">a</Client></Dial></Response>"#, "status_callback_no_events"),
    (r#"<Response><Dial><Sip statusCallback="https://e.com/s">sip:a@e.com</Sip></Dial></Response>"#, "status_callback_no_events"),
    (r#"<Response><Dial><Number statusCallbackEvent="answered">+14155550100</Number></Dial></Response>"#, "status_callback_events_without_url"),
    (r#"<Response><Dial><Number statusCallback="https://e.com/s" statusCallbackEvent="answer">+14155550100</Number></Dial></Response>"#, "unknown_status_callback_event"),
    (r#"<Response><Dial recordingStatusCallback="https://e.com/r"><Number>+14155550100</Number></Dial></Response>"#, "recording_callback_without_record"),
    (r#"<Response><Dial record="record-from-start"><Number>+14155550100</Number></Dial></Response>"#, "bad_record_value"),
];

#[test]
fn check_transfer_says_what_the_runtime_will_do_with_callbacks() {
    for (xml, code) in CHECKS {
        let d = check_transfer(xml, Role::ReferResponse);
        let found = d.iter().find(|d| d.code == *code).unwrap_or_else(|| panic!("{xml}: no {code} in {d:#?}"));
        assert!(found.message.contains(". Fix: "), "{code}: a fix hint in {}", found.message);
        assert!(!found.is_error(), "{code} is a warning: Twilio runs the TwiML");
    }
    // What is modelled is no longer "not simulated".
    let ok = format!(
        r#"<Response><Dial record="record-from-answer" recordingStatusCallback="{REC}" recordingStatusCallbackEvent="in-progress completed"><Number statusCallback="{CB}" statusCallbackEvent="initiated ringing answered completed">+14155550100</Number><Client statusCallback="{CB}" statusCallbackEvent="completed">a</Client></Dial></Response>"#
    );
    let d = check_transfer(&ok, Role::ReferResponse);
    assert!(d.iter().all(|d| !d.message.contains("not simulated") && !d.message.contains("not modelled")), "{d:#?}");
    assert!(d.iter().all(|d| !d.code.contains("callback") && !d.code.contains("record")), "{d:#?}");
}

#[test]
fn recording_status_callback_event_requests_exactly_the_events_named() {
    // `in-progress` alone gets no `completed`, `completed` alone no `in-progress`; absent is `completed`.
    for (events, expected) in [
        (Some("in-progress"), &["in-progress"][..]),
        (Some("completed"), &["completed"][..]),
        (Some("in-progress completed"), &["in-progress", "completed"][..]),
        (None, &["completed"][..]),
    ] {
        let attr = events.map(|e| format!(r#" recordingStatusCallbackEvent="{e}""#)).unwrap_or_default();
        let refer = format!(
            r#"<Response><Dial record="record-from-answer" action="https://e.com/after" recordingStatusCallback="{REC}"{attr}><Sip>{AGENT_B}</Sip></Dial></Response>"#
        );
        let t = simulate(&scenario(&initial(""), &refer, answers(3000, 20000), serde_json::json!({ REC: {} }))).unwrap();
        let statuses: Vec<_> = requests(&t, REC).iter().map(|w| w.param("RecordingStatus").unwrap()).collect();
        assert_eq!(statuses, expected, "{events:?}");
    }
}

/// `sip::chars::is_x_header` at the scenario's `responseHeaders`: the name needs `X-` (any case)
/// and at least one character after it, so `"X-"` alone is refused; `"X"` and `"Xa-"` lack the prefix.
#[test]
fn a_response_header_name_is_x_dash_and_at_least_one_more_character() {
    let ep = |name: &str| {
        serde_json::json!({
            "initialTwiml": PLAIN, "refer": { "atMs": 1000, "referTo": "<sip:b@e.com>" },
            "endpoints": { AGENT_B: { "responseHeaders": { name: "1" } } }
        })
        .to_string()
    };
    for (name, accepted) in [("X-", false), ("x-a", true), ("X", false), ("Xa-", false)] {
        match Scenario::from_json(&ep(name)) {
            Ok(_) => assert!(accepted, "{name} accepted"),
            Err(e) => {
                assert!(!accepted, "{name} refused: {}", e.message);
                assert_eq!(e.code, "bad_scenario", "{name}");
                assert!(e.message.contains("is not an X- header name"), "{name}: {}", e.message);
            }
        }
    }
}
