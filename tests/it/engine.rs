//! The sans-IO engine driven by hand, as `quinn-proto`'s tests drive a
//! connection: one input, then drain the steps and effects. Inputs that do
//! not apply give an explicit `ignored` step, never a panic.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::transfer::{CallStatus, Config, Effect, Engine, HttpReply, Input, LegId, ReferFrom, Step, StepKind};
use refer_sim::twiml;

fn engine(twiml_text: &str) -> Engine {
    let initial = twiml::parse(twiml_text).response.expect("valid TwiML");
    Engine::new(Config {
        initial,
        refer_from: ReferFrom::Transferor,
        enhanced_sip_features: true,
        caller_from: "+14155550100".into(),
        caller_to: "+18005550199".into(),
    })
}

fn drain(e: &mut Engine) -> (Vec<Step>, Vec<Effect>) {
    let mut steps = Vec::new();
    while let Some(s) = e.poll_step() {
        steps.push(s);
    }
    let mut effects = Vec::new();
    while let Some(x) = e.poll_effect() {
        effects.push(x);
    }
    (steps, effects)
}

const BANK: &str =
    r#"<Response><Dial referUrl="https://example.com/handler"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#;

/// Steps polled one at a time, with an input handled before the first input's are all taken,
/// come out in the order they were recorded, each once, and then none: the same steps as
/// draining after each input (the engine keeps its recorded steps in one list, each taken one
/// left as an empty placeholder until all are taken).
#[test]
fn steps_polled_across_inputs_come_out_in_order_each_once() {
    let drained = {
        let mut e = engine(BANK);
        e.handle(0, Input::Start);
        let (mut steps, _) = drain(&mut e);
        e.handle(2_000, Input::Answered { leg: LegId::transferor() });
        steps.extend(drain(&mut e).0);
        steps
    };
    let mut e = engine(BANK);
    e.handle(0, Input::Start);
    let first = e.poll_step().expect("the call starts");
    e.handle(2_000, Input::Answered { leg: LegId::transferor() });
    let mut steps = vec![first];
    steps.extend(std::iter::from_fn(|| e.poll_step()));
    assert_eq!(steps, drained);
    assert!(drained.len() > 4, "both inputs recorded steps: {}", drained.len());
    assert_eq!(e.poll_step(), None);
    e.handle(3_000, Input::HungUp { leg: LegId::transferor() });
    let after: Vec<Step> = std::iter::from_fn(|| e.poll_step()).collect();
    assert!(!after.is_empty() && after.iter().all(|s| !s.narration.is_empty()), "no placeholder is polled");
}

#[test]
fn one_input_then_drain() {
    let mut e = engine(BANK);
    e.handle(0, Input::Start);
    let (steps, effects) = drain(&mut e);
    let kinds: Vec<StepKind> = steps.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [StepKind::CallStarted, StepKind::LegAnswered, StepKind::TwimlVerb, StepKind::LegRinging]);
    assert_eq!(effects, [Effect::Ring { leg: LegId::transferor(), address: "sip:AgentA@example.com".into() }]);
    assert_eq!(e.poll_timeout(), Some(35_000), "<Dial timeout> 30 s plus the 5 s buffer");

    e.handle(2_000, Input::Answered { leg: LegId::transferor() });
    let (steps, _) = drain(&mut e);
    assert_eq!(steps.last().unwrap().kind, StepKind::Bridged);
    assert_eq!(e.leg(&LegId::caller()).unwrap().bridged_with, Some(LegId::transferor()));
    assert_eq!(e.poll_timeout(), None, "the bridged <Dial>'s timeout is stopped, not reported at 35 s");

    e.handle(
        5_000,
        Input::Refer {
            leg: LegId::transferor(),
            refer_to: vec!["<sip:b@example.com>".into()],
            refer_sub: true,
            hold_first: false,
        },
    );
    let (steps, effects) = drain(&mut e);
    assert_eq!(steps.last().unwrap().kind, StepKind::WebhookRequested);
    let Some(Effect::Fetch { request, url, webhook }) = effects.into_iter().find(|x| matches!(x, Effect::Fetch { .. })) else {
        panic!("no fetch")
    };
    assert_eq!(url, "https://example.com/handler");
    assert_eq!(webhook.param("ReferTransferTarget"), Some("<sip:b@example.com>"));

    e.handle(5_100, Input::HttpResponse { request, reply: HttpReply::Unreachable });
    let (steps, _) = drain(&mut e);
    assert!(steps.iter().any(|s| s.kind == StepKind::WebhookFailed && s.alerts[0].code == Some(11205)));
    assert_eq!(e.leg(&LegId::caller()).unwrap().status, CallStatus::Completed, "answerOnBridge absent: nothing to come back to");
}

#[test]
fn inputs_that_do_not_apply_are_recorded_not_fatal() {
    let mut e = engine(BANK);
    let stray = [
        Input::Answered { leg: LegId::target(1) },
        Input::HungUp { leg: LegId("nobody".into()) },
        Input::HttpResponse { request: 99, reply: HttpReply::Body { status: 200, twiml: "<Response/>".into() } },
        Input::Digits { leg: LegId::caller(), digits: "1".into() },
        Input::Refer { leg: LegId::transferor(), refer_to: vec![], refer_sub: true, hold_first: false },
    ];
    for input in stray {
        e.handle(0, input.clone());
        let (steps, effects) = drain(&mut e);
        assert_eq!(steps.len(), 1, "{input:?}");
        assert_eq!(steps[0].kind, StepKind::Ignored, "{input:?}");
        assert!(effects.is_empty());
    }
    e.handle(0, Input::Start);
    drain(&mut e);
    e.handle(1, Input::Start);
    assert_eq!(drain(&mut e).0[0].kind, StepKind::Ignored, "a second Start");
    e.handle(2, Input::Declined { leg: LegId::caller(), status: CallStatus::Busy, sip_code: 486 });
    assert_eq!(drain(&mut e).0[0].kind, StepKind::Ignored, "the caller is not ringing for a <Dial>");
}

#[test]
fn a_redirect_loop_stops_at_the_step_limit() {
    let mut e = engine(BANK);
    e.handle(0, Input::Start);
    e.handle(1, Input::Answered { leg: LegId::transferor() });
    e.handle(
        2,
        Input::Refer {
            leg: LegId::transferor(),
            refer_to: vec!["<sip:b@example.com>".into()],
            refer_sub: true,
            hold_first: false,
        },
    );
    let mut now = 3;
    let mut last = None;
    for _ in 0..5000 {
        let (steps, effects) = drain(&mut e);
        last = steps.last().cloned().or(last);
        let Some(Effect::Fetch { request, .. }) = effects.into_iter().find(|x| matches!(x, Effect::Fetch { .. })) else { break };
        now += 1;
        e.handle(
            now,
            Input::HttpResponse {
                request,
                reply: HttpReply::Body {
                    status: 200,
                    twiml: "<Response><Redirect>https://example.com/handler</Redirect></Response>".into(),
                },
            },
        );
    }
    assert!(e.halted());
    assert_eq!(last.unwrap().kind, StepKind::End);
}

/// AgentA (answered at 2 s) sends a REFER to `<sip:b@example.com>` at 5 s; returns the
/// engine and the id of the referUrl request it makes.
fn refer_pending(twiml_text: &str) -> (Engine, u32) {
    let mut e = engine(twiml_text);
    e.handle(0, Input::Start);
    e.handle(2_000, Input::Answered { leg: LegId::transferor() });
    e.handle(5_000, refer_to("<sip:b@example.com>"));
    let request = fetched(drain(&mut e).1);
    (e, request)
}

fn refer_to(to: &str) -> Input {
    Input::Refer { leg: LegId::transferor(), refer_to: vec![to.into()], refer_sub: true, hold_first: false }
}

/// The request id of the one fetch among `effects`.
fn fetched(effects: Vec<Effect>) -> u32 {
    effects.into_iter().find_map(|x| if let Effect::Fetch { request, .. } = x { Some(request) } else { None }).expect("a fetch")
}

const DIAL_B: &str = "<Response><Dial><Sip>sip:b@example.com</Sip></Dial></Response>";

#[test]
fn a_second_refer_while_the_first_is_pending_is_refused_491_and_the_first_goes_on() {
    let (mut e, request) = refer_pending(BANK);
    e.handle(5_050, refer_to("<sip:c@example.com>"));
    let (steps, effects) = drain(&mut e);
    let kinds: Vec<StepKind> = steps.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [StepKind::ReferReceived, StepKind::ReferRejected]);
    assert_eq!(steps[1].messages[0].first_line(), "SIP/2.0 491 Request Pending");
    assert_eq!(
        steps[1].narration,
        "A transfer is already in progress on this call (Twilio is awaiting the referUrl answer, not expecting a REFER): 491 Request Pending."
    );
    assert!(effects.is_empty(), "no second webhook");

    e.handle(5_100, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: DIAL_B.into() } });
    let (_, effects) = drain(&mut e);
    assert!(
        effects.contains(&Effect::Ring { leg: LegId::target(1), address: "sip:b@example.com".into() }),
        "the first REFER's target is rung: {effects:?}"
    );
}

#[test]
fn each_request_has_its_own_id_and_an_answer_to_an_old_one_is_ignored() {
    let (mut e, first) = refer_pending(BANK);
    let redirect = "<Response><Redirect>https://example.com/next</Redirect></Response>";
    e.handle(5_100, Input::HttpResponse { request: first, reply: HttpReply::Body { status: 200, twiml: redirect.into() } });
    let second = fetched(drain(&mut e).1);
    assert_ne!(first, second);
    e.handle(5_200, Input::HttpResponse { request: first, reply: HttpReply::Body { status: 200, twiml: DIAL_B.into() } });
    let (steps, effects) = drain(&mut e);
    assert_eq!(steps.iter().map(|s| s.kind).collect::<Vec<_>>(), [StepKind::Ignored], "the first request was answered already");
    assert!(effects.is_empty());
    e.handle(5_300, Input::HttpResponse { request: second, reply: HttpReply::Body { status: 200, twiml: DIAL_B.into() } });
    let (_, effects) = drain(&mut e);
    assert!(effects.contains(&Effect::Ring { leg: LegId::target(1), address: "sip:b@example.com".into() }), "{effects:?}");
}

#[test]
fn a_caller_who_hangs_up_mid_twiml_stops_its_program() {
    for first in [
        "<Say>Please hold</Say>",
        "<Pause length=\"5\"/>",
        "<Gather><Say>Press 1</Say></Gather>",
        "<Play>https://example.com/a.mp3</Play>",
    ] {
        let mut e = engine(&format!(
            r#"<Response>{first}<Dial referUrl="https://example.com/handler"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#
        ));
        e.handle(0, Input::Start);
        drain(&mut e);
        e.handle(500, Input::HungUp { leg: LegId::caller() });
        let (steps, _) = drain(&mut e);
        assert_eq!(steps[0].kind, StepKind::LegEnded, "{first}");
        let mut later = Vec::new();
        for _ in 0..20 {
            let Some(at) = e.poll_timeout() else { break };
            e.handle_timeout(at);
            let (steps, effects) = drain(&mut e);
            later.extend(steps.into_iter().map(|s| s.kind));
            assert!(effects.is_empty(), "{first}: {effects:?} after the caller hung up");
        }
        assert!(!later.contains(&StepKind::TwimlVerb) && !later.contains(&StepKind::LegRinging), "{first}: {later:?}");
    }
    // Hanging up while its <Dial> rings AgentA: Twilio cancels AgentA at once.
    let mut e = engine(BANK);
    e.handle(0, Input::Start);
    drain(&mut e);
    e.handle(500, Input::HungUp { leg: LegId::caller() });
    let (steps, _) = drain(&mut e);
    assert_eq!(steps.iter().map(|s| s.kind).collect::<Vec<_>>(), [StepKind::LegEnded, StepKind::LegEnded]);
    assert_eq!(e.leg(&LegId::transferor()).unwrap().status, CallStatus::Canceled);
    assert!(steps[1].messages.iter().any(|m| m.first_line().starts_with("CANCEL ")), "{:?}", steps[1].messages);
}

/// Runs every timer due up to `until`, returning the steps they make.
fn run_timers(e: &mut Engine, until: u64) -> Vec<Step> {
    let mut steps = Vec::new();
    while let Some(at) = e.poll_timeout().filter(|at| *at <= until) {
        e.handle_timeout(at);
        steps.extend(drain(e).0);
    }
    steps
}

#[test]
fn a_caller_who_hangs_up_while_bridged_ends_the_other_side_with_bye() {
    let mut e = engine(BANK);
    e.handle(0, Input::Start);
    e.handle(2_000, Input::Answered { leg: LegId::transferor() });
    drain(&mut e);
    e.handle(9_000, Input::HungUp { leg: LegId::caller() });
    let (steps, _) = drain(&mut e);
    assert_eq!(steps.iter().map(|s| s.kind).collect::<Vec<_>>(), [StepKind::LegEnded, StepKind::LegEnded]);
    assert_eq!(steps[1].messages[0].first_line(), "BYE sip:AgentA@example.com SIP/2.0");
    assert_eq!(e.leg(&LegId::transferor()).unwrap().status, CallStatus::Completed);
}

#[test]
fn a_transferor_that_sends_bye_itself_gets_no_second_bye_32_s_later() {
    let (mut e, request) = refer_pending(BANK);
    e.handle(5_100, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: DIAL_B.into() } });
    drain(&mut e);
    e.handle(5_200, Input::HungUp { leg: LegId::transferor() });
    assert_eq!(drain(&mut e).0.len(), 1, "AgentA's BYE");
    e.handle(6_000, Input::Answered { leg: LegId::target(1) });
    drain(&mut e);
    let later = run_timers(&mut e, 100_000);
    assert!(later.iter().all(|s| s.kind != StepKind::LegEnded), "{:?}", later.iter().map(|s| &s.narration).collect::<Vec<_>>());
}

#[test]
fn the_referurl_answer_after_the_caller_hung_up_is_ignored() {
    let (mut e, request) = refer_pending(
        r#"<Response><Dial answerOnBridge="true" referUrl="https://example.com/handler"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#,
    );
    e.handle(5_050, Input::HungUp { leg: LegId::caller() });
    drain(&mut e);
    e.handle(5_100, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: DIAL_B.into() } });
    let (steps, effects) = drain(&mut e);
    assert_eq!(steps.iter().map(|s| s.kind).collect::<Vec<_>>(), [StepKind::Ignored], "{:?}", steps[0].narration);
    assert_eq!(
        steps[0].narration,
        "Ignored: the referUrl TwiML arrived after the transfer was over: in state idle Twilio expected a REFER, not the referUrl TwiML."
    );
    assert!(effects.is_empty());
}

/// Issue 9 item 4: timers are stopped when what they time is over, so `poll_timeout`
/// reports only instants at which something happens.
#[test]
fn a_timer_whose_verb_is_over_is_not_reported() {
    let mut e = engine(r#"<Response><Gather timeout="10" action="https://example.com/g"><Say>Press 1</Say></Gather></Response>"#);
    e.handle(0, Input::Start);
    drain(&mut e);
    assert_eq!(e.poll_timeout(), Some(11_000), "the prompt (1 s at least), then 10 s");
    e.handle(3_000, Input::Digits { leg: LegId::caller(), digits: "1".into() });
    drain(&mut e);
    assert_eq!(e.poll_timeout(), Some(18_000), "only the request's 15 s webhook timeout, not the <Gather>'s 11 s");
    e.handle(4_000, Input::HungUp { leg: LegId::caller() });
    drain(&mut e);
    let at = e.poll_timeout();
    e.handle_timeout(at.unwrap_or(0));
    let (steps, _) = drain(&mut e);
    assert!(at.is_none() || !steps.is_empty(), "a reported instant has a step: {at:?}");
}

/// AgentA's 200 OK after it was given `headers` as its response headers: its X- headers, and
/// the whole message's text and header count.
fn x_headers_of_200(headers: &[(&str, &str)]) -> (Vec<(String, String)>, String, usize) {
    let mut e = engine(BANK);
    e.handle(0, Input::Start);
    drain(&mut e);
    let headers = headers.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    e.handle(1_000, Input::ResponseHeaders { leg: LegId::transferor(), headers });
    e.handle(2_000, Input::Answered { leg: LegId::transferor() });
    let (steps, _) = drain(&mut e);
    let ok = steps.iter().flat_map(|s| &s.messages).find(|m| m.status() == Some(200)).expect("the 200 OK");
    let x = ok.headers().filter(|(n, _)| n.starts_with(['X', 'x'])).map(|(n, v)| (n.to_string(), v.to_string())).collect();
    let n = ok.headers().len();
    (x, ok.text().to_string(), n)
}

/// (name, value) pairs as owned strings.
fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

/// `sip::chars::is_x_header` at the engine's `Input::ResponseHeaders`: the prefix alone decides,
/// so `X-` (which the scenario refuses before it gets here) is kept, and `X` and `Xa-` dropped.
#[test]
fn the_engine_keeps_response_headers_that_begin_with_x_dash() {
    let (x, text, _) = x_headers_of_200(&[("X-", "1"), ("x-a", "2"), ("X", "3"), ("Xa-", "4")]);
    assert_eq!(x, owned(&[("X-", "1"), ("x-a", "2")]), "{text}");
}

#[test]
fn response_headers_a_sip_text_cannot_carry_are_dropped_by_the_engine() {
    // The scenario refuses these before they reach the engine; the engine's own input keeps
    // only X- headers with a token name and a one-line value, so a 200 OK's text stays whole.
    let (x, text, n) = x_headers_of_200(&[
        ("X-Ok", "1"),
        ("Agent", "no X-"),
        ("X-A B", "space in the name"),
        ("X-Cr", "a\rb"),
        ("X-Lf", "a\nB: c"),
        ("x-low", "2"),
    ]);
    assert_eq!(x, owned(&[("X-Ok", "1"), ("x-low", "2")]), "{text}");
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    assert_eq!(head.lines().count(), n + 1, "one line per header: {text}");
}
