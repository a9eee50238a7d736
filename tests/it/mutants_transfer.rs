//! Tests written for mutants of `src/transfer` that the other suites let through
//! (`make mutants`): each drives the engine through a scenario (or by hand) and pins
//! what a user sees: a step, a SIP message, a webhook parameter, a leg, the outcome.
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{
    rfc2822, webhook_timeout, CallStatus, Config, Effect, Engine, HttpReply, Input, LegId, ReferFrom, Step, StepKind, Timeline,
    WebhookLimit, WebhookRequest,
};
use refer_sim::twiml;

/// A scenario from JSON, or a panic naming the error.
fn scenario(json: &str) -> Scenario {
    Scenario::from_json(json).unwrap_or_else(|e| panic!("{e}"))
}

fn run(json: &str) -> Timeline {
    simulate(&scenario(json)).unwrap_or_else(|e| panic!("{e}"))
}

/// A JSON string literal for `text`.
fn js(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// The usual transfer: UserA calls, the initial TwiML `<Dial>`s AgentA with `dial_attrs`,
/// AgentA REFERs to AgentB at 20 s, the referUrl answers `handler`.
fn transfer(dial_attrs: &str, handler: &str, endpoints: &str) -> String {
    format!(
        r#"{{"initialTwiml": {initial},
            "refer": {{"atMs": 20000, "referTo": "<sip:AgentB@example.com>"}},
            "app": {{"https://example.com/handler": {{"latencyMs": 100, "twiml": {handler}}}}},
            "endpoints": {{"sip:AgentA@example.com": {{"afterMs": 3000}}{endpoints}}}}}"#,
        initial = js(&format!(
            r#"<Response><Dial referUrl="https://example.com/handler"{dial_attrs}><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#
        )),
        handler = js(handler),
    )
}

fn steps_of(t: &Timeline, kind: StepKind) -> Vec<&Step> {
    t.steps.iter().filter(|s| s.kind == kind).collect()
}

fn requests(t: &Timeline) -> Vec<&WebhookRequest> {
    t.steps.iter().filter_map(|s| s.webhook.as_deref()).collect()
}

fn status(t: &Timeline, leg: &str) -> Option<CallStatus> {
    t.outcome.status(&LegId(leg.into()))
}

/// The URL Twilio requests for `<Redirect>reference</Redirect>` in a document fetched from `base`.
fn redirect_url(base: &str, reference: &str) -> String {
    let json = format!(
        r#"{{"initialTwiml": {initial},
            "refer": {{"atMs": 10000, "referTo": "<sip:AgentB@example.com>"}},
            "app": {{{base}: {{"twiml": {handler}}}}}}}"#,
        initial = js(&format!(r#"<Response><Dial referUrl={}><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#, js(base))),
        base = js(base),
        handler = js(&format!("<Response><Redirect>{reference}</Redirect></Response>")),
    );
    let t = run(&json);
    let urls: Vec<&str> = requests(&t).iter().map(|w| w.url.as_str()).collect();
    assert_eq!(urls.first(), Some(&base), "{reference}: the referUrl first");
    urls.get(1).unwrap_or_else(|| panic!("{reference}: no redirect in {urls:?}")).to_string()
}

/// RFC 3986 §5.4.1's examples (base `http://a/b/c/d;p?q`), through a `<Redirect>` in the
/// referUrl document: the merge, the dot segments, the scheme test, a query-only reference.
#[test]
fn a_redirect_in_a_fetched_document_resolves_as_rfc_3986_says() {
    let base = "http://a/b/c/d;p?q";
    #[rustfmt::skip]
    let cases = [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        (";x", "http://a/b/c/;x"), ("g;x?y", "http://a/b/c/g;x?y"), (".", "http://a/b/c/"), ("./", "http://a/b/c/"),
        ("..", "http://a/b/"), ("../", "http://a/b/"), ("../g", "http://a/b/g"), ("../..", "http://a/"),
        ("../../g", "http://a/g"), ("../../../g", "http://a/g"), ("/./g", "http://a/g"), ("/../g", "http://a/g"),
        ("g.", "http://a/b/c/g."), ("..g", "http://a/b/c/..g"), ("g/..", "http://a/b/c/"), ("g/.", "http://a/b/c/g/"),
        ("1g:h", "http://a/b/c/1g:h"), ("a+b-c.d:x", "a+b-c.d:x"), ("a_b:x", "http://a/b/c/a_b:x"),
    ];
    for (reference, want) in cases {
        assert_eq!(redirect_url(base, reference), want, "{reference}");
    }
    assert_eq!(redirect_url("https://example.com", "after"), "https://example.com/after");
    assert_eq!(redirect_url("https://example.com/x/handler", "  after "), "https://example.com/x/after");
}

/// The timeline as JSON (what the package hands to JavaScript): legs by id as a map, webhook
/// parameters as a map, what a leg hears as a string, and a webhook body received again
/// named by the step that first carried it (`sameBodyAs`) instead of repeated.
#[test]
fn the_timeline_as_json_keeps_its_maps_strings_and_shared_bodies() {
    let again = "<Response><Redirect>x/h</Redirect></Response>";
    let json = format!(
        r#"{{"initialTwiml": {initial},
            "refer": {{"atMs": 10000, "referTo": "<sip:AgentB@example.com>"}},
            "app": {{"https://example.com/1/h": {{"twiml": {again}}}, "https://example.com/1/x/h": {{"twiml": {again}}}}}}}"#,
        initial = js(r#"<Response><Dial referUrl="https://example.com/1/h"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        again = js(again),
    );
    let t = run(&json);
    let v = serde_json::to_value(&t).unwrap();
    assert_eq!(v["outcome"]["legs"]["caller"], "completed", "{}", v["outcome"]["legs"]);
    assert_eq!(v["outcome"]["legs"]["transferor"], "completed");
    let fetched: Vec<(usize, &serde_json::Value)> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, s)| s["kind"] == "webhook-fetched")
        .map(|(i, s)| (i, &s["response"]))
        .collect();
    assert_eq!(fetched.len(), 2, "{fetched:?}");
    let (first, second) = (fetched[0], fetched[1]);
    assert_eq!(first.1["body"], again);
    assert_eq!(first.1["url"], "https://example.com/1/h");
    assert_eq!(first.1["status"], 200);
    assert!(first.1.get("sameBodyAs").is_none(), "{}", first.1);
    assert_eq!(second.1["sameBodyAs"], first.0, "the second answer names the step of the first: {}", second.1);
    assert!(second.1.get("body").is_none(), "{}", second.1);
    let request = v["steps"].as_array().unwrap().iter().find(|s| s["kind"] == "webhook-requested").unwrap();
    assert_eq!(request["webhook"]["params"]["Direction"], "inbound", "{}", request["webhook"]);
    assert_eq!(request["webhook"]["params"]["ReferTransferTarget"], "<sip:AgentB@example.com>");
    let hearing: Vec<&str> = v["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["changedLegs"].as_array().unwrap())
        .filter_map(|l| l["hearing"].as_str())
        .collect();
    assert!(hearing.contains(&"silence") && hearing.contains(&"AgentA"), "{hearing:?}");
}

/// A dialled SIP party is named by its URI's user part (cut past 24 characters), whether or
/// not it is a short name (at most 16 letters, digits, `-`, `_`, `.`, starting with a letter;
/// it was named by its place in the transfer, `AgentB3`, ..., when not); a `client:` party is
/// named by its identity and rings through the Voice SDK.
#[test]
fn a_dialled_sip_party_is_named_by_its_user_part() {
    #[rustfmt::skip]
    let cases = [
        ("sip:ABCDEFGHIJKLMNOP@example.com", "ABCDEFGHIJKLMNOP"),
        ("sip:Agent-B_c.d@example.com", "Agent-B_c.d"),
        ("sip:ThisNameIsLongerThan16@example.com", "ThisNameIsLongerThan16"),
        ("sip:1001@example.com", "1001"),
        ("sip:Agent+B@example.com", "Agent+B"),
        ("sip:ThisUserPartIsLongerThan24@example.com", "ThisUserPartIsLongerTha…"),
        ("sip:a-@example.com", "a-"),
        ("sip:b_@example.com", "b_"),
        ("sip:c.@example.com", "c."),
    ];
    let nouns: String = cases.iter().map(|(uri, _)| format!("<Sip>{uri}</Sip>")).collect();
    let endpoints: String = cases.iter().map(|(uri, _)| format!(r#", "{uri}": {{"answer": "no-answer"}}"#)).collect();
    let t = run(&transfer("", &format!("<Response><Dial>{nouns}<Client>alice</Client></Dial></Response>"), &endpoints));
    let targets: Vec<(String, String)> = t
        .final_legs()
        .into_iter()
        .filter(|l| l.role == refer_sim::transfer::Role::Target)
        .map(|l| (l.party.into(), l.label.into()))
        .collect();
    let mut want: Vec<(String, String)> = cases.iter().map(|(u, l)| (u.to_string(), l.to_string())).collect();
    want.push(("client:alice".into(), "alice".into()));
    assert_eq!(targets, want);
    let rings: Vec<&str> = steps_of(&t, StepKind::LegRinging).iter().map(|s| s.narration.as_str()).collect();
    assert!(rings.iter().any(|n| n.contains("alice (client:alice): through the Voice SDK")), "{rings:?}");
    assert!(rings.iter().any(|n| n.contains("Agent-B_c.d (sip:Agent-B_c.d@example.com): INVITE")), "{rings:?}");
}

/// A `<Redirect>` loop stops at the step limit, and the End step shows every live call
/// ended, the legs the loop did not touch included (a step otherwise records only the legs
/// touched since the one before).
#[test]
fn the_step_limit_ends_every_live_call_in_the_end_step() {
    let json = format!(
        r#"{{"initialTwiml": {initial},
            "refer": {{"atMs": 900000000, "referTo": "<sip:AgentB@example.com>"}},
            "app": {{"https://example.com/loop": {{"latencyMs": 10, "twiml": {again}}}}},
            "endpoints": {{"sip:AgentA@example.com": {{"answer": "busy"}}}}}}"#,
        initial = js(
            r#"<Response><Dial referUrl="https://example.com/h"><Sip>sip:AgentA@example.com</Sip></Dial><Redirect>https://example.com/loop</Redirect></Response>"#
        ),
        again = js("<Response><Redirect>https://example.com/loop</Redirect></Response>"),
    );
    let t = run(&json);
    let end = t.steps.last().unwrap();
    assert_eq!(end.kind, StepKind::End);
    assert!(end.narration.contains("stops here after 2000 steps"), "{}", end.narration);
    let before = t.legs_at(t.steps.len() - 2);
    let statuses: Vec<CallStatus> = before.iter().map(|l| l.status).collect();
    assert_eq!(statuses, [CallStatus::InProgress, CallStatus::Busy], "the caller is live before");
    let shown: Vec<(&str, CallStatus)> = end.changed_legs.iter().map(|l| (l.id.as_str(), l.status)).collect();
    assert_eq!(shown, [("caller", CallStatus::Completed)], "the End step ends the untouched caller leg");
    assert_eq!(t.final_legs()[0].status, CallStatus::Completed);
}

/// The wait for a webhook: the `#tt=` total time alone, and the smaller of `#rt=` and `#tt=`
/// (a read timeout equal to the total time is the total time's: 11203, not 11205).
#[test]
fn the_wait_is_the_smaller_override_and_a_tie_goes_to_the_total_time() {
    #[rustfmt::skip]
    let cases = [
        ("https://e.com/h#tt=700", (700, WebhookLimit::Total)),
        ("https://e.com/h#rt=900&tt=700", (700, WebhookLimit::Total)),
        ("https://e.com/h#rt=700&tt=700", (700, WebhookLimit::Total)),
        ("https://e.com/h#rt=699&tt=700", (699, WebhookLimit::Read)),
        ("https://e.com/h#rt=15000", (15_000, WebhookLimit::Default)),
        ("https://e.com/h#rt=14999", (14_999, WebhookLimit::Read)),
    ];
    for (url, want) in cases {
        assert_eq!(webhook_timeout(url), want, "{url}");
    }
}

/// The configuration for the initial TwiML `initial`, UserA calling from a number.
fn engine_config(initial: &str) -> Config {
    Config {
        initial: twiml::parse(initial).response.expect("valid TwiML"),
        refer_from: ReferFrom::Transferor,
        enhanced_sip_features: true,
        caller_from: "+14155550100".into(),
        caller_to: "+18005550199".into(),
    }
}

/// Every step and effect the engine has recorded since the last drain.
fn drain(e: &mut Engine) -> (Vec<Step>, Vec<Effect>) {
    (std::iter::from_fn(|| e.poll_step()).collect(), std::iter::from_fn(|| e.poll_effect()).collect())
}

/// The id of the one fetch among `effects`.
fn fetched(effects: &[Effect]) -> u32 {
    effects.iter().find_map(|x| if let Effect::Fetch { request, .. } = x { Some(*request) } else { None }).expect("a fetch")
}

fn refer(leg: LegId) -> Input {
    Input::Refer { leg, refer_to: vec!["<sip:b@example.com>".into()], refer_sub: true, hold_first: false }
}

/// The referUrl answer of a transfer that ended (its transferee hung up while the request
/// was out) arrives while a later transfer waits for its target: it is ignored, and does not
/// replace the TwiML the later transfer's referUrl gave the transferee.
#[test]
fn a_stale_refer_url_answer_is_ignored_while_the_next_transfer_awaits_its_target() {
    let h = "https://example.com/h";
    let mut e = Engine::new(Config {
        caller_from: "sip:alice@example.com".into(),
        ..engine_config(&format!(r#"<Response><Dial referUrl="{h}"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#))
    });
    let answer = |e: &mut Engine, at: u64, request: u32, twiml: &str| {
        e.handle(at, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: twiml.into() } });
        drain(e)
    };
    e.handle(0, Input::Start);
    e.handle(1_000, Input::Answered { leg: LegId::transferor() });
    drain(&mut e);
    // Transfer 1 (answerOnBridge false): UserA goes to b, then (when b's call ends) to z.
    e.handle(2_000, refer(LegId::transferor()));
    let first = fetched(&drain(&mut e).1);
    let then_z = format!(
        r#"<Response><Dial referUrl="{h}"><Sip>sip:b@example.com</Sip></Dial><Dial answerOnBridge="true" referUrl="{h}"><Sip>sip:z@example.com</Sip></Dial></Response>"#
    );
    answer(&mut e, 2_100, first, &then_z);
    e.handle(2_200, Input::Answered { leg: LegId::target(1) });
    e.handle(2_300, Input::HungUp { leg: LegId::transferor() });
    drain(&mut e);
    // Transfer 2: UserA refers b; b hangs up while that referUrl request is out.
    e.handle(3_000, refer(LegId::caller()));
    let stale = fetched(&drain(&mut e).1);
    e.handle(3_100, Input::HungUp { leg: LegId::target(1) });
    let z = LegId("target.2".into());
    let (steps, effects) = drain(&mut e);
    assert!(effects.contains(&Effect::Ring { leg: z.clone(), address: "sip:z@example.com".into() }), "{steps:#?}");
    e.handle(3_200, Input::Answered { leg: z.clone() });
    drain(&mut e);
    // Transfer 3: z refers UserA; its referUrl rings y and waits (answerOnBridge true).
    e.handle(3_300, refer(z));
    let request = fetched(&drain(&mut e).1);
    let (_, effects) = answer(&mut e, 3_400, request, "<Response><Dial><Sip>sip:y@example.com</Sip></Dial></Response>");
    assert!(effects.iter().any(|x| matches!(x, Effect::Ring { address, .. } if address == "sip:y@example.com")), "{effects:?}");
    let (steps, effects) = answer(&mut e, 3_500, stale, "<Response><Say>stale</Say></Response>");
    let kinds: Vec<StepKind> = steps.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [StepKind::Ignored], "{steps:#?}");
    assert!(steps[0].narration.contains("in state awaiting a target of the referUrl TwiML"), "{}", steps[0].narration);
    assert!(effects.is_empty(), "{effects:?}");
}

/// A transfer whose target answered still restates the outcome table's "AgentB answers"
/// cell after the target hung up: the summary rests on that cell, not on an assumption.
#[test]
fn a_target_that_answered_and_hung_up_still_took_the_transfer() {
    for (attrs, cell) in [("", "refer.table.answers.aob-false"), (r#" answerOnBridge="true""#, "refer.table.answers.aob-true")] {
        let dial_b = "<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>";
        let t = run(&transfer(attrs, dial_b, r#", "sip:AgentB@example.com": {"afterMs": 2000, "hangupAfterMs": 3000}"#));
        let end = t.steps.last().unwrap();
        assert_eq!(end.kind, StepKind::End);
        assert_eq!((end.tag.as_str(), end.source), ("doc", Some(cell)), "{attrs}: {}", end.narration);
        assert!(
            end.narration.starts_with("The transfer went through (AgentB answered), and AgentB later hung up"),
            "{}",
            end.narration
        );
    }
}

/// The answer to a `<Dial action>` request that arrives after the caller hung up replaces
/// the caller's TwiML, but nothing of it runs: the call is over.
#[test]
fn twiml_fetched_for_a_call_that_ended_does_not_run() {
    let mut e = Engine::new(engine_config(
        r#"<Response><Dial action="https://example.com/after"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#,
    ));
    e.handle(0, Input::Start);
    e.handle(1_000, Input::Declined { leg: LegId::transferor(), status: CallStatus::Busy, sip_code: 486 });
    let request = fetched(&drain(&mut e).1);
    e.handle(1_100, Input::HungUp { leg: LegId::caller() });
    drain(&mut e);
    let say = "<Response><Say>after</Say><Hangup/></Response>";
    e.handle(1_200, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: say.into() } });
    let (steps, effects) = drain(&mut e);
    let kinds: Vec<StepKind> = steps.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, [StepKind::WebhookFetched], "{steps:#?}");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(e.leg(&LegId::caller()).unwrap().status, CallStatus::Completed);
}

/// A completed transfer (answerOnBridge false) whose target never answered because the
/// transferee hung up while it rang restates no cell of the outcome table: the table's
/// failure cells are for a target that was busy, failed or did not answer.
#[test]
fn a_target_canceled_by_the_transferee_hanging_up_rests_on_no_table_cell() {
    let mut e = Engine::new(engine_config(
        r#"<Response><Dial referUrl="https://example.com/h"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#,
    ));
    e.handle(0, Input::Start);
    e.handle(1_000, Input::Answered { leg: LegId::transferor() });
    e.handle(2_000, refer(LegId::transferor()));
    let request = fetched(&drain(&mut e).1);
    let dial_b = "<Response><Dial><Sip>sip:b@example.com</Sip></Dial></Response>";
    e.handle(2_100, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: dial_b.into() } });
    e.handle(3_000, Input::HungUp { leg: LegId::caller() });
    drain(&mut e);
    assert_eq!(e.leg(&LegId::target(1)).unwrap().status, CallStatus::Canceled);
    assert_eq!(e.summary_provenance(), refer_sim::Provenance::Assumed);
}

/// The summary says the transfer went through whenever a target is connected, whichever
/// side of the connected pair its leg id sorts on: here UserA's SIP phone transfers AgentA
/// (leg `transferor`), whose referUrl TwiML bridges it with AgentB (leg `target`).
#[test]
fn a_connected_target_means_the_transfer_went_through_whatever_the_pair_order() {
    let mut e = Engine::new(Config {
        caller_from: "sip:alice@example.com".into(),
        ..engine_config(r#"<Response><Dial referUrl="https://example.com/h"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#)
    });
    e.handle(0, Input::Start);
    e.handle(1_000, Input::Answered { leg: LegId::transferor() });
    e.handle(2_000, refer(LegId::caller()));
    let request = fetched(&drain(&mut e).1);
    let dial_b = "<Response><Dial><Sip>sip:b@example.com</Sip></Dial></Response>";
    e.handle(2_100, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: dial_b.into() } });
    e.handle(3_000, Input::Answered { leg: LegId::target(1) });
    drain(&mut e);
    let outcome = e.outcome();
    assert_eq!(outcome.connected, [(LegId::target(1), LegId::transferor())]);
    assert!(outcome.summary.starts_with("The transfer went through: "), "{}", outcome.summary);
}

/// A target is named by its address in every transfer round (it was AgentB, AgentC, ... by
/// round, then Agent25), each round's leg with its own id: chained transfers driven through
/// the engine, past the 16 a scenario allows.
#[test]
fn targets_of_every_round_are_named_by_their_address() {
    let h = r#"referUrl="https://example.com/h""#;
    let mut e =
        Engine::new(engine_config(&format!(r#"<Response><Dial {h}><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#)));
    e.handle(0, Input::Start);
    e.handle(1_000, Input::Answered { leg: LegId::transferor() });
    let next = format!(r#"<Response><Dial {h}><Sip>sip:1001@example.com</Sip></Dial></Response>"#);
    let mut transferor = LegId::transferor();
    for round in 1..=25u64 {
        let at = round * 10_000;
        e.handle(at, refer(transferor.clone()));
        let request = fetched(&drain(&mut e).1);
        e.handle(at + 100, Input::HttpResponse { request, reply: HttpReply::Body { status: 200, twiml: next.clone() } });
        e.handle(at + 200, Input::HungUp { leg: transferor });
        transferor = LegId::target(round as usize);
        e.handle(at + 300, Input::Answered { leg: transferor.clone() });
        drain(&mut e);
    }
    let label = |n: usize| e.leg(&LegId::target(n)).map(|l| l.label);
    assert_eq!([label(1), label(24), label(25)], [Some("1001".into()), Some("1001".into()), Some("1001".into())]);
}

/// In a `<Dial>` with a party Twilio can call and one it cannot, only the one it cannot
/// fails at once (with its alert); the other rings and takes the call.
#[test]
fn only_the_undialable_party_of_a_dial_fails_at_once() {
    let dial = "<Response><Dial><Sip>sip:AgentB@example.com</Sip><Sip>AgentC@example.com</Sip></Dial></Response>";
    let t = run(&transfer("", dial, ""));
    let failed: Vec<&str> =
        steps_of(&t, StepKind::LegEnded).iter().filter(|s| !s.alerts.is_empty()).map(|s| s.narration.as_str()).collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(failed[0].starts_with("Twilio cannot call AgentC@example.com: "), "{}", failed[0]);
    let rang: Vec<&str> = steps_of(&t, StepKind::LegRinging).iter().map(|s| s.narration.as_str()).collect();
    assert!(rang.iter().any(|n| n.starts_with("Twilio calls AgentB (sip:AgentB@example.com)")), "{rang:?}");
    assert_eq!(status(&t, "target"), Some(CallStatus::InProgress), "{}", t.outcome.summary);
    assert_eq!(status(&t, "target-b"), Some(CallStatus::Failed));
}

/// A page replaying a timeline step by step with `LegReplay` sees, after the last step,
/// every leg as the timeline ends with it.
#[test]
fn a_leg_replay_holds_every_leg_after_the_last_step() {
    let t = run(&transfer("", "<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>", ""));
    let mut replay = refer_sim::transfer::LegReplay::new();
    for s in &t.steps {
        replay.apply(s);
    }
    let ids: Vec<&str> = replay.legs().iter().map(|l| l.id.as_str()).collect();
    assert_eq!(ids, ["caller", "transferor", "target"]);
    assert_eq!(replay.legs(), t.final_legs().as_slice());
}

/// answerOnBridge true: the transferee is bridged with its target as the final NOTIFY goes
/// out; a transferor that has not sent BYE a second later leaves the transferee with no
/// audio (`notify.no-audio`, assumed), until Twilio's own BYE 32 s after the NOTIFY.
#[test]
fn a_transferor_that_ignores_the_final_notify_mutes_the_bridged_transferee_a_second_later() {
    let dial_b = "<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>";
    let t = run(&transfer(
        r#" answerOnBridge="true""#,
        dial_b,
        // A later key wins: AgentA answers after 3 s as before, and ignores the NOTIFY.
        r#", "sip:AgentA@example.com": {"afterMs": 3000, "byeOnNotify": false}"#,
    ));
    let notify =
        t.steps.iter().find(|s| s.kind == StepKind::NotifySent && s.narration.contains("NOTIFY 200 OK")).expect("final NOTIFY");
    let muted: Vec<(u64, &str)> = steps_of(&t, StepKind::Bridged)
        .iter()
        .filter(|s| s.narration.contains("hears no audio"))
        .map(|s| (s.at_ms, s.tag.as_str()))
        .collect();
    // `assumed`: the no-audio rests on an Elastic SIP Trunking article (`notify.no-audio`, another product's).
    assert_eq!(muted, [(notify.at_ms + 1_000, "assumed")], "{:#?}", narrations_of(&t));
}

fn narrations_of(t: &Timeline) -> Vec<(u64, &str)> {
    t.steps.iter().map(|s| (s.at_ms, s.narration.as_str())).collect()
}

/// answerOnBridge false: a target that answers exactly when the transferor's BYE becomes
/// overdue is bridged without audio once; the overdue timer firing at the same instant
/// does not report the transferee muted a second time.
#[test]
fn a_transferee_muted_as_its_target_answers_is_not_muted_again_by_the_overdue_bye() {
    let dial_b = "<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>";
    let endpoints =
        r#", "sip:AgentB@example.com": {"afterMs": 1000}, "sip:AgentA@example.com": {"afterMs": 3000, "byeOnNotify": false}"#;
    let t = run(&transfer("", dial_b, endpoints));
    let notify =
        t.steps.iter().find(|s| s.kind == StepKind::NotifySent && s.narration.contains("NOTIFY 200 OK")).expect("final NOTIFY");
    let muted: Vec<(u64, &str)> = steps_of(&t, StepKind::Bridged)
        .iter()
        .filter(|s| s.narration.contains("hears no audio"))
        .map(|s| (s.at_ms, s.narration.as_str()))
        .collect();
    assert_eq!(muted.len(), 1, "{:#?}", narrations_of(&t));
    assert_eq!(muted[0].0, notify.at_ms + 1_000);
    assert!(muted[0].1.starts_with("UserA and AgentB are bridged, but UserA hears no audio"), "{}", muted[0].1);
}

/// The transferee's verbs after its `<Dial>` are dropped when the referUrl TwiML takes over,
/// and the narration says "it" for one verb, "them" for more.
#[test]
fn the_verbs_dropped_at_the_commit_are_it_or_them() {
    for (after, word) in [("<Say>bye</Say>", "drops it (assumed)"), ("<Say>bye</Say><Hangup/>", "drops them (assumed)")] {
        let json = format!(
            r#"{{"initialTwiml": {initial},
                "refer": {{"atMs": 20000, "referTo": "<sip:AgentB@example.com>"}},
                "app": {{"https://example.com/handler": {{"twiml": "<Response><Say>hi</Say></Response>"}}}}}}"#,
            initial = js(&format!(
                r#"<Response><Dial referUrl="https://example.com/handler"><Sip>sip:AgentA@example.com</Sip></Dial>{after}</Response>"#
            )),
        );
        let t = run(&json);
        let dropped: Vec<&str> =
            t.steps.iter().map(|s| s.narration.as_str()).filter(|n| n.contains("from before the transfer: not run")).collect();
        assert_eq!(dropped.len(), 1, "{after}");
        assert!(
            dropped[0].ends_with(&format!("No page says what becomes of {}; refer-sim {word}.", &word[6..word.len() - 10])),
            "{}",
            dropped[0]
        );
    }
}

/// `<Refer>`: a final NOTIFY reporting 486 returns the verb with `ReferCallStatus` busy.
#[test]
fn a_refer_verb_whose_new_call_was_busy_returns_busy() {
    let pbx = "sip:UserA@pbx.example.com";
    let done = "https://example.com/refer-done";
    let json = format!(
        r#"{{"initialTwiml": {initial},
            "refer": {{"atMs": 20000, "referTo": "<sip:billing@pbx.example.com>"}},
            "caller": {{"from": "{pbx}", "to": "sip:support@example.com"}},
            "app": {{"https://example.com/handler": {{"twiml": {handler}}}, "{done}": {{"twiml": "<Response><Hangup/></Response>"}}}},
            "endpoints": {{"sip:AgentA@example.com": {{"afterMs": 3000}}, "{pbx}": {{"referNotify": 486}}}}}}"#,
        initial =
            js(r#"<Response><Dial referUrl="https://example.com/handler"><Sip>sip:AgentA@example.com</Sip></Dial></Response>"#),
        handler = js(&format!(r#"<Response><Refer action="{done}"><Sip>sip:billing@pbx.example.com</Sip></Refer></Response>"#)),
    );
    let t = run(&json);
    let action = requests(&t).into_iter().find(|w| w.url == done).expect("the <Refer> action request");
    assert_eq!(action.param("ReferCallStatus"), Some("busy"));
    assert_eq!(action.param("NotifySipResponseCode"), Some("486"));
}

/// Two timers due at the same instant fire in the order they were set: two parties of one
/// `<Dial>` each send their `initiated` status callback at the same moment, to URLs that
/// answer too late, and Twilio gives up on them in the order it sent them (`TimerTable::set`'s
/// sequence number; with one number for every timer the later request gave up first).
#[test]
fn two_timers_due_at_the_same_instant_fire_in_the_order_they_were_set() {
    let (first, second) = ("https://example.com/cb-first", "https://example.com/cb-second");
    let json = format!(
        r#"{{"initialTwiml": {initial},
            "refer": {{"atMs": 20000, "referTo": "<sip:AgentB@example.com>"}},
            "app": {{"{first}": {{"latencyMs": 30000}}, "{second}": {{"latencyMs": 30000}}}},
            "endpoints": {{"sip:AgentA@example.com": {{"afterMs": 3000}}, "sip:AgentC@example.com": {{"afterMs": 3000}}}}}}"#,
        initial = js(&format!(
            r#"<Response><Dial><Sip statusCallback="{first}" statusCallbackEvent="initiated">sip:AgentA@example.com</Sip><Sip statusCallback="{second}" statusCallbackEvent="initiated">sip:AgentC@example.com</Sip></Dial></Response>"#
        )),
    );
    let t = run(&json);
    let sent: Vec<(u64, &str)> = t.steps.iter().filter_map(|s| s.webhook.as_ref().map(|w| (s.at_ms, w.url.as_str()))).collect();
    assert_eq!(sent, [(0, first), (0, second)], "both requests sent at once");
    let gave_up: Vec<(u64, &str)> = t
        .steps
        .iter()
        .filter(|s| s.narration.contains("did not answer within"))
        .map(|s| (s.at_ms, if s.narration.contains(first) { first } else { second }))
        .collect();
    assert_eq!(gave_up, [(15000, first), (15000, second)], "given up on at the same instant, in the order sent");
}

/// The callbacks' `Timestamp` (RFC 2822) across leap days and century years: a run's clock
/// reaches 2004 (2^40 ms), so 2000's leap day (a 400-year era's last day) is reachable;
/// 2100 is not a leap year. Each expected value is Python's `time.strftime` of the same second.
#[test]
fn rfc2822_dates_follow_the_gregorian_calendar() {
    #[rustfmt::skip]
    let cases = [
        (0, "Thu, 01 Jan 1970 00:00:00 +0000"),
        (68_169_600_000, "Tue, 29 Feb 1972 00:00:00 +0000"),
        (68_256_000_000, "Wed, 01 Mar 1972 00:00:00 +0000"),
        (946_684_799_000, "Fri, 31 Dec 1999 23:59:59 +0000"),
        (951_782_400_000, "Tue, 29 Feb 2000 00:00:00 +0000"),
        (951_868_800_000, "Wed, 01 Mar 2000 00:00:00 +0000"),
        (1_099_511_627_775, "Wed, 03 Nov 2004 19:53:47 +0000"),
        (4_102_358_400_000, "Thu, 31 Dec 2099 00:00:00 +0000"),
        (4_107_456_000_000, "Sun, 28 Feb 2100 00:00:00 +0000"),
        (4_107_542_400_000, "Mon, 01 Mar 2100 00:00:00 +0000"),
        (4_138_992_000_000, "Mon, 28 Feb 2101 00:00:00 +0000"),
    ];
    for (ms, date) in cases {
        assert_eq!(rfc2822(ms), date, "{ms} ms");
    }
}

#[test]
fn a_caller_without_a_user_is_named_at_twilio_by_its_host() {
    // Twilio's URI in the dialogs it starts is the caller at Twilio's SIP domain: its URI's
    // user, else its host (a domain or an IP address, escaped as the user rule wants), else
    // the text; the INVITE to the dialled party comes From it.
    let cases = [
        ("sip:alice@example.com", "sip:alice@refer-sim.sip.twilio.com"),
        ("sip:example.com", "sip:example.com@refer-sim.sip.twilio.com"),
        ("sip:192.0.2.7", "sip:192.0.2.7@refer-sim.sip.twilio.com"),
        ("sip:[2001:db8::1]", "sip:%5B2001%3Adb8%3A%3A1%5D@refer-sim.sip.twilio.com"),
        ("+14155550100", "sip:+14155550100@refer-sim.sip.twilio.com"),
    ];
    for (from, at_twilio) in cases {
        let s = refer_sim::scenario::Scenario::from_json(
            &serde_json::json!({
                "initialTwiml": "<Response><Dial referUrl=\"https://example.com/handler\"><Sip>sip:AgentA@example.com</Sip></Dial></Response>",
                "refer": { "atMs": 10000, "referTo": "<sip:b@example.com>" },
                "caller": { "from": from }
            })
            .to_string(),
        )
        .unwrap();
        let t = refer_sim::scenario::simulate(&s).unwrap();
        let invite = t.steps.iter().flat_map(|s| &s.messages).find(|m| m.first_line().starts_with("INVITE sip:AgentA")).unwrap();
        assert!(invite.header("From").unwrap().starts_with(&format!("<{at_twilio}>;tag=")), "{from}: {}", invite.text());
    }
}

/// An undialable `<Sip>` target in the REFER's answer (answerOnBridge true) gave Twilio no SIP
/// response: the final NOTIFY names a status code, 480 for its failure, not a SIP target's own
/// final response (487 with none): kills `&& -> ||` in `Engine::dial_over`'s filter of the
/// target's own response (a SIP target without a dialog is one never dialled).
#[test]
fn an_undialable_sip_target_s_final_notify_is_480_with_no_response_of_its_own() {
    let mut s =
        refer_sim::scenario::catalogue::catalogue().into_iter().find(|e| e.id == "agentb-answers-aob-true").unwrap().scenario;
    s.app.values_mut().next().unwrap().twiml =
        Some("<Response><Dial><Sip>sip:AgentB@exa mple.com</Sip></Dial></Response>".into());
    let t = refer_sim::scenario::simulate(&s).unwrap();
    let notify = t.steps.iter().find(|s| s.narration.contains(" NOTIFY carries SIP/2.0 ")).expect("a final NOTIFY");
    assert!(
        notify.narration.contains("NOTIFY carries SIP/2.0 480 ") && notify.narration.contains("gave Twilio no SIP response"),
        "{}",
        notify.narration
    );
}
