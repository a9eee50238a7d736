//! What users read is taken as what Twilio does, so it must say only what refer-sim knows:
//! a phone-number party is named by its number, never by the engine's name for a SIP agent;
//! a step's tag agrees with what its text claims (no `doc` step states an assumption); a
//! catalogue description states as fact only what its run tags `doc` or `rfc`. Runs natively
//! and in WASM (the goldens are read natively only).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::catalogue::catalogue;
use refer_sim::scenario::{simulate, Scenario};
use refer_sim::transfer::{Leg, Role, Timeline, Transport};
use refer_sim::Provenance;

fn run(id: &str) -> Timeline {
    let entry = catalogue().into_iter().find(|e| e.id == id).unwrap_or_else(|| panic!("no scenario {id}"));
    simulate(&entry.scenario).unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// Every leg of `t`, as first seen.
fn legs(t: &Timeline) -> Vec<Leg> {
    let mut out: Vec<Leg> = Vec::new();
    for s in &t.steps {
        for l in &s.changed_legs {
            if !out.iter().any(|o| o.id == l.id) {
                out.push(l.clone());
            }
        }
    }
    out
}

/// Every text of `t` a user reads: narrations, the outcome's summary, the explanation.
fn texts(t: &Timeline) -> Vec<String> {
    let mut out: Vec<String> = t.steps.iter().map(|s| s.narration.clone()).collect();
    out.push(t.outcome.summary.clone());
    out.push(t.explanation.cause.clone());
    out.extend(t.explanation.fix.clone());
    out
}

#[test]
fn a_number_target_is_named_by_its_number() {
    let t = run("pstn-target");
    let target = legs(&t).into_iter().find(|l| l.role == Role::Target).expect("a target leg");
    assert_eq!(
        (target.transport, target.label.as_ref(), target.party.as_ref()),
        (Transport::Pstn, "+14155550123", "+14155550123")
    );
    for text in texts(&t) {
        assert!(!text.contains("AgentB"), "a number named as a SIP agent: {text}");
        assert!(!text.contains("+14155550123 (+14155550123)"), "the number twice: {text}");
    }
    assert!(t.outcome.summary.contains("UserA and +14155550123 are connected"), "{}", t.outcome.summary);
}

/// `<Number>` targets written as a `tel:` URI or longer than a lane can show, and a `<Client>`
/// and a SIP target beside them, which keep their names.
#[test]
fn every_number_is_named_by_what_it_is() {
    let mut s: Scenario = catalogue().into_iter().find(|e| e.id == "pstn-target").unwrap().scenario;
    let twiml = "<Response><Dial><Number>tel:+14155550123;phone-context=+1</Number><Number>+1 (415) 555-0199 ext. 1234567890</Number><Sip>sip:AgentC@example.com</Sip></Dial></Response>";
    for app in s.app.values_mut() {
        app.twiml = Some(twiml.into());
    }
    let t = simulate(&s).unwrap();
    let names: Vec<String> = legs(&t).iter().filter(|l| l.role == Role::Target).map(|l| l.label.to_string()).collect();
    assert_eq!(names, ["+14155550123", "+1 (415) 555-0199 ext. …", "AgentC"]);
}

/// Every dialled party is named by what the scenario wrote for it, never by a role name it did
/// not give (`AgentB`): a `<Client>` by its identity (written as text or as `<Identity>`), a SIP
/// URI without a short name by its user part, else by its text.
#[test]
fn every_dialled_party_is_named_by_what_the_scenario_wrote() {
    let mut s: Scenario = catalogue().into_iter().find(|e| e.id == "pstn-target").unwrap().scenario;
    let twiml = "<Response><Dial>\
        <Client>alice</Client>\
        <Client><Identity>bob</Identity><Parameter name=\"a\" value=\"1\"/></Client>\
        <Sip>sip:+14155550188@pbx.example.com</Sip>\
        <Sip>sip:pbx.example.com</Sip>\
        <Sip>agent@pbx.example.com</Sip>\
        <Client>a-very-long-identity-of-forty-characters</Client>\
        </Dial></Response>";
    for app in s.app.values_mut() {
        app.twiml = Some(twiml.into());
    }
    let t = simulate(&s).unwrap();
    let targets: Vec<Leg> = legs(&t).into_iter().filter(|l| l.role == Role::Target).collect();
    let names: Vec<(&str, &str)> = targets.iter().map(|l| (l.label.as_ref(), l.party.as_ref())).collect();
    assert_eq!(
        names,
        [
            ("alice", "client:alice"),
            ("bob", "client:bob"),
            ("+14155550188", "sip:+14155550188@pbx.example.com"),
            ("sip:pbx.example.com", "sip:pbx.example.com"),
            ("agent@pbx.example.com", "agent@pbx.example.com"),
            ("a-very-long-identity-of…", "client:a-very-long-identity-of-forty-characters"),
        ]
    );
    for text in texts(&t) {
        assert!(!text.contains("AgentB"), "a party named by a role the scenario did not give: {text}");
    }
}

/// A number is cut only past 24 characters, written as a `tel:` URI or not: 24 are shown whole,
/// 25 as 23 and `…` (a lane's width; the in-diff mutation run of `Address::number_label` left
/// `> 24` as `>= 24` or `== 24`, and the `tel:` number's cut left out, alive).
#[test]
fn a_number_is_cut_past_24_characters() {
    let mut s: Scenario = catalogue().into_iter().find(|e| e.id == "pstn-target").unwrap().scenario;
    let numbers = ["+1 (415) 555-0199 x 1234", "tel:+1-(415)-555-(0199)-1234;phone-context=+1", "tel:+1-(415)-555-(0199)-12345"];
    let twiml: String = numbers.iter().map(|n| format!("<Number>{n}</Number>")).collect();
    for app in s.app.values_mut() {
        app.twiml = Some(format!("<Response><Dial>{twiml}</Dial></Response>"));
    }
    let t = simulate(&s).unwrap();
    let names: Vec<String> = legs(&t).iter().filter(|l| l.role == Role::Target).map(|l| l.label.to_string()).collect();
    assert_eq!(names, ["+1 (415) 555-0199 x 1234", "+1-(415)-555-(0199)-1234", "+1-(415)-555-(0199)-123…"]);
}

/// The words that say a text states an assumption, or rests on another product's article.
const ASSUMING: &[&str] = &["assumed", "assume", "no page says", "not documented", "elastic sip trunking"];

/// What in `text` says it is not all documented (or required by an RFC), if anything. A detail
/// scoped as "(assumed: why)" inside a documented step (the sipfrag code of a NOTIFY the page
/// says is sent) qualifies that detail only, not the step's claim: it is not counted. A bare
/// "(assumed)" or an "assumed" elsewhere is.
fn assumption_in(text: &str) -> Option<&'static str> {
    let mut lower = text.to_lowercase();
    while let Some(at) = lower.find("(assumed: ") {
        let end = lower[at..].find(')').map_or(lower.len(), |e| at + e + 1);
        lower.replace_range(at..end, "");
    }
    ASSUMING.iter().copied().find(|w| lower.contains(w))
}

/// What is wrong with a step tagged `tag` that says `text`, or `None`: a `doc` or `rfc` step
/// must state nothing its text calls assumed (the badge around it says "documented" or "RFC").
fn disagreement(tag: &str, text: &str) -> Option<String> {
    match (tag, assumption_in(text)) {
        ("doc" | "rfc", Some(word)) => Some(format!("tagged {tag}, but its text says \"{word}\"")),
        _ => None,
    }
}

/// The catalogue, plus runs that reach the texts no catalogue scenario does: headers a `<Sip>`
/// URI's INVITE leaves out, and `<Refer>` on a Client's call.
fn runs() -> Vec<(String, Timeline)> {
    let mut out: Vec<(String, Timeline)> =
        catalogue().into_iter().map(|e| (e.id.to_string(), simulate(&e.scenario).unwrap())).collect();
    let base = |id: &str| catalogue().into_iter().find(|e| e.id == id).unwrap().scenario;
    let mut headers = base("agentb-answers-aob-true");
    for app in headers.app.values_mut() {
        app.twiml =
            Some("<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com?Foo=1&amp;X-Ok=2</Sip></Dial></Response>".into());
    }
    out.push(("unsent URI headers".into(), simulate(&headers).unwrap()));
    let mut client = base("refer-verb-pstn");
    client.caller.from = "client:alice".into();
    out.push(("<Refer> on a Client's call".into(), simulate(&client).unwrap()));
    out
}

#[test]
fn no_step_is_tagged_doc_or_rfc_while_its_text_says_assumed() {
    let mut checked = 0;
    for (id, t) in runs() {
        for (i, s) in t.steps.iter().enumerate() {
            if let Some(why) = disagreement(s.tag.as_str(), &s.narration) {
                panic!("{id}, step {} ({:?}): {why}: {}", i + 1, s.kind, s.narration);
            }
            checked += usize::from(s.tag != Provenance::Assumed);
        }
    }
    assert!(checked > 300, "{checked} doc and rfc steps");
}

/// The goldens as a person reviews them: each step's head (`== 3. at 0 ms · kind · [tag …]`)
/// and its narration, the line under it.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn no_golden_step_is_tagged_doc_or_rfc_while_its_text_says_assumed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut steps = 0;
    for file in std::fs::read_dir(&dir).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let Some(tag) = line.strip_prefix("== ").and_then(|l| l.rsplit_once(" · [")).map(|(_, t)| t) else { continue };
            let tag = tag.split([' ', ']']).next().unwrap_or_default();
            let narration = lines.next().unwrap_or_default().trim();
            steps += 1;
            if let Some(why) = disagreement(tag, narration) {
                panic!("{}: {line}: {why}: {narration}", path.display());
            }
        }
    }
    assert!(steps > 600, "{steps} steps read");
}

/// (catalogue id, words of an `assumed` step of its run behind a claim its description makes):
/// the description must say that claim is assumed.
#[rustfmt::skip]
const DESCRIBED_ASSUMPTIONS: &[(&str, &str)] = &[
    ("feature-disabled", "the REFER is refused (403 assumed)"),
    ("conference", "refused with 501 and the call goes on unchanged (assumed)"),
    ("queue", "refused with 501 and the call goes on unchanged (assumed)"),
    ("no-bye-after-notify", "Twilio sends BYE itself 32 s after it"),
    ("refer-sub-false", "that Twilio honours it is assumed"),
    ("refer-url-read-timeout", "11205 for it is assumed"),
    ("refer-verb-pstn", "After error 13801 the TwiML continues with the next verb"),
    ("time-limit-after-transfer", "timeLimit: 30 s into AgentB's call"),
    ("status-callbacks-transfer", "A callback only informs the application"),
    ("recording-callbacks-transfer", "Twilio starts recording the <Dial> now that AgentB answered"),
];

/// (catalogue id, page key of `src/sources.md` whose row calls the description's claim an
/// inference): the description must say that claim is assumed, though no step of its run
/// states it.
#[cfg(not(target_arch = "wasm32"))] // its test reads a file
const DESCRIBED_INFERENCES: &[(&str, &str)] = &[("chained-transfer", "refer.refer-url-not-needed")];

/// A description that rests on what `src/sources.md` calls an inference says it is assumed
/// (`chained-transfer` stated as fact that AgentB "can transfer" UserA on because its `<Dial>`
/// has a referUrl).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn catalogue_descriptions_say_what_sources_call_inferences() {
    let sources = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sources.md")).unwrap();
    for (id, key) in DESCRIBED_INFERENCES {
        let row = sources.lines().find(|l| l.starts_with(&format!("| `{key}` |"))).unwrap_or_else(|| panic!("no row {key}"));
        assert!(row.contains("inference"), "{key}: {row}");
        let entry = catalogue().into_iter().find(|e| e.id == *id).unwrap_or_else(|| panic!("no scenario {id}"));
        assert!(
            entry.description.to_lowercase().contains("assumed"),
            "{id}: the description states as fact what {key} calls an inference: {}",
            entry.description
        );
    }
}

/// A catalogue description is read as what Twilio does: where its run tags a claim `assumed`,
/// the description says so (the `refer-verb-pstn` one stated the TwiML's continuation after
/// 13801 as fact).
#[test]
fn catalogue_descriptions_say_what_their_runs_assume() {
    for (id, words) in DESCRIBED_ASSUMPTIONS {
        let entry = catalogue().into_iter().find(|e| e.id == *id).unwrap_or_else(|| panic!("no scenario {id}"));
        let t = simulate(&entry.scenario).unwrap();
        let step = t.steps.iter().find(|s| s.narration.contains(words)).unwrap_or_else(|| panic!("{id}: no step says {words:?}"));
        assert_eq!(step.tag, Provenance::Assumed, "{id}: {}", step.narration);
        assert!(
            entry.description.to_lowercase().contains("assume"),
            "{id}: the description states as fact what the run assumes: {}",
            entry.description
        );
    }
}
