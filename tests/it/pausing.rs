//! A simulation that pauses at each request Twilio makes and takes the answer
//! from its caller (`pending` / `respond`): the same timeline as a handler
//! giving the same answers, and no time passes while it waits. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{AppResponse, NothingPending, Simulation};
use refer_sim::transfer::StepKind;

fn answer(twiml: &str, latency_ms: u64) -> AppResponse {
    AppResponse {
        status: 200,
        latency_ms,
        twiml: Some(twiml.into()),
        unreachable: false,
        content_type: None,
        ..AppResponse::default()
    }
}

const TO_AGENT_B: &str = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";

#[test]
fn pausing_gives_the_handlers_timeline_for_every_catalogue_scenario() {
    for entry in catalogue() {
        let handled =
            Simulation::new(entry.scenario.clone()).unwrap().with_handler(Box::new(|_| Some(answer(TO_AGENT_B, 700)))).run();
        let mut sim = Simulation::new(entry.scenario.clone()).unwrap().pausing_at_webhooks();
        let mut requests = 0;
        loop {
            if sim.pending().is_none() && sim.step().is_some() {
                continue;
            }
            let Some(pending) = sim.pending() else { break };
            let sent = pending.at_ms;
            // The request is among the steps of its instant (a status callback does not stop
            // the call: the steps of the same instant after it are recorded too).
            let same_instant = sim.steps().iter().rev().take_while(|s| s.at_ms == sent);
            assert!(
                same_instant.clone().any(|s| s.kind == StepKind::WebhookRequested),
                "{}: the request was made at the instant the simulation paused",
                entry.id
            );
            assert!(same_instant.count() > 0, "{}: nothing happened after the request", entry.id);
            assert!(sim.step().is_none() && sim.now() == sent, "{}: no time passes while a request waits", entry.id);
            sim.respond(Some(answer(TO_AGENT_B, 700))).unwrap();
            requests += 1;
        }
        assert!(sim.done());
        assert_eq!(sim.timeline(), handled, "{}", entry.id);
        let fetched = handled.steps.iter().filter(|s| s.kind == StepKind::WebhookRequested).count();
        assert_eq!(requests, fetched, "{}: one pause per request", entry.id);
    }
}

#[test]
fn the_request_is_shown_before_the_answer_and_latency_counts_from_it() {
    let entry = catalogue().into_iter().find(|e| e.id == "agentb-answers-aob-true").unwrap();
    let mut sim = Simulation::new(entry.scenario).unwrap().pausing_at_webhooks();
    while sim.step().is_some() {}
    let pending = sim.pending().expect("paused at referUrl").clone();
    assert_eq!(pending.webhook.purpose, "referUrl");
    assert_eq!(sim.steps().last().unwrap().kind, StepKind::WebhookRequested);
    sim.respond(Some(answer(TO_AGENT_B, 4321))).unwrap();
    assert_eq!(sim.respond(None), Err(NothingPending));
    let fetched = std::iter::from_fn(|| sim.step()).find(|s| s.kind == StepKind::WebhookFetched).unwrap();
    assert_eq!(fetched.at_ms, pending.at_ms + 4321);
}

#[test]
fn run_answers_pending_requests_from_the_app_map() {
    let entry = catalogue().into_iter().find(|e| e.id == "agentb-no-answer-aob-false").unwrap();
    let plain = Simulation::new(entry.scenario.clone()).unwrap().run();
    assert_eq!(Simulation::new(entry.scenario).unwrap().pausing_at_webhooks().run(), plain);
}

/// A request shows right after the step that sent it: the `step()` call that returns that step
/// (the last of its input) leaves it pending, not the call after it, which returns nothing (the
/// in-diff mutation run left `Engine::has_steps`, which decides when the world reacts, as
/// `true` alive: the request then showed one call late).
#[test]
fn a_request_shows_right_after_the_step_that_sent_it() {
    for entry in catalogue() {
        let mut sim = Simulation::new(entry.scenario.clone()).unwrap().pausing_at_webhooks();
        let mut shown = 0;
        loop {
            if sim.pending().is_some() {
                assert!(sim.step().is_none(), "{}: a step while a request waits", entry.id);
                sim.respond(Some(answer(TO_AGENT_B, 700))).unwrap();
                continue;
            }
            let step = sim.step();
            if let Some(pending) = sim.pending() {
                let step = step.unwrap_or_else(|| panic!("{}: the request showed only at the call after its step", entry.id));
                assert_eq!(step.at_ms, pending.at_ms, "{}: shown after a step of its instant", entry.id);
                shown += 1;
            } else if step.is_none() {
                break;
            }
        }
        assert!(sim.done(), "{}", entry.id);
        assert!(shown > 0 || !sim.steps().iter().any(|s| s.kind == StepKind::WebhookRequested), "{}", entry.id);
    }
}
