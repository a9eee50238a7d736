//! A webhook answer's Content-Type decides what Twilio does with its body (Twilio's "Your
//! Response" page, `twiml.mime-types`; error 12300): TwiML types are parsed, `audio/*` is played
//! (a `<Play>` of the requested URL), `text/plain` is read out (a `<Say>` of the body), and no
//! type or another one fails the request with 12300. The package's tests drive this through a
//! real server (tests/js/content_type.test.mjs); these drive the core's reading of each type,
//! its limits and its case and parameters, so mutation testing of src/transfer sees them.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::scenario::{AppResponse, Scenario, Simulation};
use refer_sim::transfer::{StepKind, Timeline};

/// A transfer whose referUrl answers `body` with `content_type`, as an `onWebhook` answer (so a
/// body over 64 kB can be sent): `None` is an answer that names no type (text/xml, as before
/// types were read), `Some("")` one whose server sent no Content-Type header.
fn run(body: &str, content_type: Option<&str>) -> Timeline {
    run_status(200, body, content_type)
}

/// [`run`] with the answer's HTTP `status`.
fn run_status(status: u16, body: &str, content_type: Option<&str>) -> Timeline {
    let s = serde_json::json!({
        "initialTwiml": "<Response><Dial answerOnBridge=\"true\" referUrl=\"https://example.com/handler#rt=9000\"><Sip>sip:AgentA@example.sip.twilio.com</Sip></Dial></Response>",
        "refer": { "atMs": 20000, "referTo": "<sip:AgentB@example.sip.twilio.com>" },
        "endpoints": {
            "sip:AgentA@example.sip.twilio.com": { "answer": "answer", "afterMs": 3000 },
            "sip:AgentB@example.sip.twilio.com": { "answer": "answer", "afterMs": 2000 }
        }
    });
    let (body, content_type) = (body.to_string(), content_type.map(str::to_string));
    Simulation::new(Scenario::from_json(&s.to_string()).expect("a valid scenario"))
        .expect("a simulation")
        .with_handler(Box::new(move |_| {
            Some(AppResponse {
                status,
                latency_ms: 100,
                twiml: Some(body.clone()),
                unreachable: false,
                content_type: content_type.clone(),
                ..AppResponse::default()
            })
        }))
        .run()
}

fn alerts(t: &Timeline) -> Vec<u32> {
    t.outcome.alerts.iter().filter_map(|a| a.code).collect()
}

fn verb_steps(t: &Timeline) -> Vec<&str> {
    t.steps.iter().filter(|s| s.kind == StepKind::TwimlVerb).map(|s| s.narration.as_str()).collect()
}

#[test]
fn text_plain_is_read_out_whatever_its_case_and_parameters() {
    for t in ["text/plain", "Text/Plain; charset=utf-8"] {
        let r = run("Hello there", Some(t));
        assert!(alerts(&r).is_empty(), "{t}: {:?}", alerts(&r));
        assert!(verb_steps(&r).iter().any(|n| n.starts_with("<Say>: UserA hears \"Hello there\"")), "{t}: {:?}", verb_steps(&r));
        // The step says what the answer was, not "TwiML".
        let fetched = r.steps.iter().find(|s| s.kind == StepKind::WebhookFetched).expect("the answer");
        assert!(
            fetched.narration.starts_with("The referUrl application answered with text/plain, which Twilio reads out (1 verb)"),
            "{}",
            fetched.narration
        );
    }
    // TwiML sent as text/plain is read out as text, not run.
    let r = run("<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>", Some("text/plain"));
    assert!(r.steps.iter().all(|s| s.kind != StepKind::LegAnswered || !s.narration.contains("AgentB")));
    assert!(verb_steps(&r).iter().any(|n| n.starts_with("<Say>")), "{:?}", verb_steps(&r));
}

#[test]
fn audio_of_any_subtype_is_played_from_the_requested_url_however_long() {
    for t in ["audio/mpeg", "AUDIO/wav; rate=8000"] {
        let r = run("ID3 not text", Some(t));
        assert!(alerts(&r).is_empty(), "{t}: {:?}", alerts(&r));
        let plays: Vec<&str> = verb_steps(&r).into_iter().filter(|n| n.starts_with("<Play>")).collect();
        // The URL Twilio requested, without its #rt= fragment.
        assert_eq!(plays.len(), 1, "{t}: {:?}", verb_steps(&r));
        assert!(
            plays[0].contains("https://example.com/handler ") || plays[0].contains("https://example.com/handler("),
            "{}",
            plays[0]
        );
        assert!(!plays[0].contains("#rt="), "{}", plays[0]);
        let fetched = r.steps.iter().find(|s| s.kind == StepKind::WebhookFetched).expect("the answer");
        assert!(
            fetched.narration.starts_with("The referUrl application answered with audio, which Twilio plays (1 verb)"),
            "{}",
            fetched.narration
        );
    }
    // An audio file over 64 kB plays (11750's limit is for documents, assumed).
    let big = "x".repeat(70 * 1024);
    let r = run(&big, Some("audio/mpeg"));
    assert!(alerts(&r).is_empty(), "{:?}", alerts(&r));
    assert!(verb_steps(&r).iter().any(|n| n.starts_with("<Play>")));
    // TwiML and text over 64 kB do not (11750).
    for t in ["text/xml", "text/plain"] {
        let r = run(&format!("<Response><Say>{big}</Say></Response>"), Some(t));
        assert_eq!(alerts(&r), [11750], "{t}");
    }
}

#[test]
fn a_missing_or_unusable_type_is_12300_naming_what_was_sent() {
    let twiml = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";
    for (t, words) in [
        ("", "without a Content-Type"),
        ("application/json", "Content-Type application/json, which is not TwiML, audio or text/plain"),
        ("audiox/mpeg", "Content-Type audiox/mpeg"),
        // An untrusted type is shown escaped, never raw: a NUL, a line break, DEL, a quote, a backslash.
        ("text/plain\u{0}", "Content-Type text/plain\\u0000, which"),
        ("a/b\r\nX-Forged: 1", "Content-Type a/b\\r\\nX-Forged: 1, which"),
        ("a/\u{7f}\"\\", "Content-Type a/\\u007f\\\"\\\\, which"),
    ] {
        let r = run(twiml, Some(t));
        assert_eq!(alerts(&r), [12300], "{t}");
        let failed = r.steps.iter().find(|s| s.kind == StepKind::WebhookFailed).expect("the request fails");
        assert!(failed.narration.contains(words), "{t:?}: {}", failed.narration);
        assert!(!failed.narration.chars().any(char::is_control), "{t:?}: {:?}", failed.narration);
        assert!(!failed.narration.contains(", which is not TwiML") || !words.starts_with("without"), "{t}: {}", failed.narration);
    }
    // The TwiML types run it; no contentType at all is text/xml, as before.
    for t in [Some("text/xml"), Some("application/xml"), Some("TEXT/HTML; charset=utf-8"), None] {
        let r = run(twiml, t);
        assert!(alerts(&r).is_empty(), "{t:?}: {:?}", alerts(&r));
        assert!(r.steps.iter().any(|s| s.kind == StepKind::LegAnswered && s.narration.starts_with("AgentB answers")), "{t:?}");
    }
}

/// A text/plain or audio answer runs the verb the parse of `<Response><Say>body</Say></Response>`
/// (or `<Play>url</Play>`) gives, built without writing and parsing that text: the same steps
/// as that TwiML answered as text/xml, for bodies with markup characters, CR LF, spaces only
/// or nothing.
#[test]
fn a_text_or_audio_answer_runs_what_its_say_or_play_as_twiml_runs() {
    let written = |verb: &str, text: &str| {
        let mut xml = format!("<Response><{verb}>");
        refer_sim::twiml::writer::escape_text(text, &mut xml);
        xml + &format!("</{verb}></Response>")
    };
    let steps = |t: &Timeline| -> Vec<(String, String)> {
        t.steps
            .iter()
            .filter(|s| s.kind != StepKind::WebhookFetched)
            .map(|s| (s.narration.clone(), s.tag.as_str().to_string()))
            .collect()
    };
    for body in ["Hello <b>&amp; you</b>", "line one\r\nline two\rthree", "   ", "", "caf\u{e9} \u{1F600}"] {
        let said = run(body, Some("text/plain"));
        assert_eq!(steps(&said), steps(&run(&written("Say", body), Some("text/xml"))), "{body:?}");
    }
    let played = run("ID3 audio bytes", Some("audio/mpeg"));
    let url = "https://example.com/handler";
    assert_eq!(steps(&played), steps(&run(&written("Play", url), Some("text/xml"))));
}

/// A text/plain body holding a character XML 1.0 forbids (a NUL, U+FFFE) cannot be a `<Say>`:
/// 12100, tagged assumed (no page says what Twilio does with it); a tab, LF or CR is read out.
#[test]
fn a_text_with_characters_xml_forbids_is_12100_assumed() {
    for body in ["a\u{0}b", "\u{FFFE}", "bell\u{7}"] {
        let r = run(body, Some("text/plain"));
        assert_eq!(alerts(&r), [12100], "{body:?}");
        let failed = r.steps.iter().find(|s| s.kind == StepKind::WebhookFailed).expect("the request fails");
        assert_eq!(failed.tag, refer_sim::Provenance::Assumed, "{}", failed.narration);
        assert!(failed.narration.contains("holds a character XML 1.0 forbids"), "{}", failed.narration);
    }
    let r = run("a\tb\nc\rd", Some("text/plain"));
    assert!(alerts(&r).is_empty(), "{:?}", alerts(&r));
}

/// The answer's `(contentType, media)` as the step records it (the page shows an audio body as
/// what it is, not as text), serialized as the package's `response`.
fn typed(r: &Timeline) -> serde_json::Value {
    let answer = r.steps.iter().find_map(|s| s.response.as_ref()).expect("an answer");
    let v = serde_json::to_value(answer).expect("serializable");
    serde_json::json!([v.get("contentType"), v.get("media")])
}

#[test]
fn the_answer_records_the_type_it_stated_and_how_twilio_read_it() {
    use serde_json::json;
    let twiml = "<Response><Dial><Sip>sip:AgentB@example.sip.twilio.com</Sip></Dial></Response>";
    // One line per case: body, stated type, what the step records.
    let cases = [
        (twiml, None, json!([null, null])), // no type stated: text/xml, nothing added (the goldens stay)
        (twiml, Some("text/xml"), json!(["text/xml", "twiml"])),
        (twiml, Some("Application/XML; charset=utf-8"), json!(["Application/XML; charset=utf-8", "twiml"])),
        ("ID3 not text", Some("audio/mpeg"), json!(["audio/mpeg", "audio"])),
        ("ID3 not text", Some("AUDIO/wav; rate=8000"), json!(["AUDIO/wav; rate=8000", "audio"])),
        ("Hello there", Some("text/plain"), json!(["text/plain", "text"])),
        ("{}", Some("application/json"), json!(["application/json", "refused"])),
        (twiml, Some(""), json!([serde_json::Value::Null, "refused"])), // no header: 12300
    ];
    for (body, t, want) in cases {
        let got = typed(&run(body, t));
        // `[null, null]` is both fields absent; `[null, "refused"]` a present null type.
        assert_eq!(got, want, "{t:?}");
    }
    let v = serde_json::to_value(run(twiml, Some("")).steps.iter().find_map(|s| s.response.as_ref())).unwrap();
    assert!(v.as_object().unwrap().contains_key("contentType"), "no header is contentType: null, not absent: {v}");
    let v = serde_json::to_value(run(twiml, None).steps.iter().find_map(|s| s.response.as_ref())).unwrap();
    assert!(!v.as_object().unwrap().contains_key("media"), "{v}");
}

/// The status and the body's size are read before the type: an error status is 11200 and a
/// document over 64 kB is 11750 whatever type it names (an unusable type is 12300 only on a 2xx
/// answer within the limit; the in-diff mutation run of src/transfer left that guard alive).
/// An audio file is played however long (assumed).
#[test]
fn an_error_status_or_an_oversized_body_comes_before_the_type() {
    let big = "x".repeat(70 * 1024);
    for t in [Some("application/json"), Some(""), Some("text/plain"), Some("text/xml"), None] {
        assert_eq!(alerts(&run_status(404, "{}", t)), [11200], "404 with {t:?}");
        assert_eq!(alerts(&run_status(500, "{}", t)), [11200], "500 with {t:?}");
        assert_eq!(alerts(&run(&big, t)), [11750], "70 kB with {t:?}");
    }
    assert_eq!(alerts(&run("{}", Some("application/json"))), [12300]);
    assert!(alerts(&run(&big, Some("audio/mpeg"))).is_empty());
}
