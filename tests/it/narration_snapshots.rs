//! A step's narration says what that step did, not more: where it names a disconnect
//! (`disconnects AgentA from UserA`), its leg snapshot shows it done; where the disconnect is
//! another step's (the `notify-sent` step that completes a transfer sends the NOTIFY, the
//! `unbridged` step at the same instant ends the bridge), the narration says it follows, the
//! snapshot still shows the bridge, and a later step at the same instant ends it. Over every
//! catalogue scenario. Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::simulate;
use refer_sim::transfer::{Leg, StepKind, Timeline};

/// `(X, Y)` of the first `disconnects X from Y` in `narration`.
fn disconnect_named(narration: &str) -> Option<(&str, &str)> {
    let rest = narration.split_once("disconnects ")?.1;
    let (x, rest) = rest.split_once(' ')?;
    let y = rest.strip_prefix("from ")?.split([' ', ';', '.']).next()?;
    Some((x, y))
}

/// Whether the legs labelled `x` and `y` are bridged with each other in `legs`.
fn bridged(legs: &[Leg], x: &str, y: &str) -> bool {
    let id = |label: &str| legs.iter().find(|l| &*l.label == label).map(|l| l.id.clone());
    let (Some(x), Some(y)) = (id(x), id(y)) else { return false };
    legs.iter().any(|l| l.id == x && l.bridged_with.as_ref() == Some(&y))
}

fn check(id: &str, t: &Timeline) -> usize {
    let mut named = 0;
    for (i, step) in t.steps.iter().enumerate() {
        let Some((x, y)) = disconnect_named(&step.narration) else { continue };
        named += 1;
        let what = format!("{id}, step {i} ({:?}): {}", step.kind, step.narration);
        if step.narration.contains(&format!("disconnects {x} from {y} in the steps that follow")) {
            assert!(bridged(&t.legs_at(i), x, y), "{what}: the bridge should still be there");
            let later = (i + 1..t.steps.len()).take_while(|j| t.steps[*j].at_ms == step.at_ms);
            let done = later.clone().find(|j| !bridged(&t.legs_at(*j), x, y));
            let j = done.unwrap_or_else(|| panic!("{what}: no later step at {} ms ends the bridge", step.at_ms));
            assert_eq!(t.steps[j].kind, StepKind::Unbridged, "{what}: ended by step {j}");
        } else {
            assert!(!bridged(&t.legs_at(i), x, y), "{what}: says the disconnect is done, the snapshot shows the bridge");
        }
    }
    named
}

#[test]
fn a_narrated_disconnect_is_in_the_snapshot_or_said_to_follow() {
    let mut named = 0;
    for entry in catalogue() {
        let t = simulate(&entry.scenario).unwrap();
        named += check(&entry.id, &t);
    }
    // Every completed transfer of the catalogue names its disconnect (12 with answerOnBridge
    // false, 11 true, one of them Refer-Sub: false).
    assert!(named >= 20, "{named} narrations name a disconnect");
}

#[test]
fn the_disconnect_named_is_read_from_the_narration() {
    assert_eq!(
        disconnect_named("Twilio now sends NOTIFY 200 OK, then disconnects AgentA from UserA in the steps that follow; x"),
        Some(("AgentA", "UserA"))
    );
    assert_eq!(disconnect_named("Twilio disconnects AgentB from UserA."), Some(("AgentB", "UserA")));
    assert_eq!(disconnect_named("Twilio disconnects AgentA right after the webhook."), None);
}
