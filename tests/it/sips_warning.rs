//! A `<Sip>` URI written with the `sips:` scheme: `checkTransfer` warns `sips_unsupported`
//! (assumed: Twilio's pages write a secure SIP call as `sip:` with `;secure=true` and show no
//! `sips:` URI), and the run dials it as written. The run says so too, as a scenario warning
//! naming the document and the line, for the initial TwiML and for a fetched document, for a
//! `<Dial>`'s `<Sip>` and a `<Refer>`'s; before, a run to a `sips:` target connected in silence.
//! Runs natively and in WASM.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{simulate, Scenario, ScenarioWarning};

const HANDLER: &str = "https://example.com/handler";

fn warnings(initial_sip: &str, answer: &str) -> Vec<ScenarioWarning> {
    let json = serde_json::json!({
        "initialTwiml": format!("<Response>\n  <Dial referUrl=\"{HANDLER}\"><Sip>{initial_sip}</Sip></Dial>\n</Response>"),
        "refer": { "atMs": 10000, "referTo": "<sip:AgentB@example.com>" },
        "app": { HANDLER: { "twiml": answer } },
    });
    let t = simulate(&Scenario::from_json(&json.to_string()).unwrap()).unwrap();
    t.warnings.into_iter().filter(|w| w.code == "sips_unsupported").collect()
}

#[test]
fn a_sips_target_in_a_fetched_document_is_a_run_warning() {
    let w = warnings("sip:AgentA@example.com", "<Response><Dial>\n<Sip> sips:AgentB@example.com </Sip></Dial></Response>");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].field, format!("app[\"{HANDLER}\"].twiml"));
    assert!(w[0].message.starts_with("line 2 column 1: <Sip>sips:AgentB@example.com</Sip>: "), "{}", w[0].message);
    assert!(w[0].message.contains(refer_sim::twiml::check::SIPS_UNSUPPORTED), "{}", w[0].message);
    assert!(w[0].message.contains("(assumed)"), "{}", w[0].message);
}

#[test]
fn a_sips_party_in_the_initial_twiml_is_a_run_warning() {
    let w = warnings("SIPS:AgentA@example.com", "<Response><Dial><Sip>sip:AgentB@example.com</Sip></Dial></Response>");
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].field, "initialTwiml");
    assert!(w[0].message.starts_with("line 2 column 48: <Sip>SIPS:AgentA@example.com</Sip>"), "{}", w[0].message);
}

#[test]
fn a_refer_verbs_sips_target_is_a_run_warning() {
    let w = warnings("sip:AgentA@example.com", "<Response><Refer><Sip>sips:AgentB@example.com</Sip></Refer></Response>");
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].message.starts_with("line 1 column 18: <Sip>sips:AgentB@example.com</Sip>"), "{}", w[0].message);
}

#[test]
fn sip_uris_with_tls_or_a_sips_user_are_not_warned_about() {
    for answer in [
        "<Response><Dial><Sip>sip:AgentB@example.com;transport=tls</Sip></Dial></Response>",
        "<Response><Dial><Sip>sip:sips@example.com;secure=true</Sip></Dial></Response>",
        "<Response><Say>sips: is how some write it</Say></Response>",
    ] {
        assert_eq!(warnings("sip:AgentA@example.com", answer), [], "{answer}");
    }
}
