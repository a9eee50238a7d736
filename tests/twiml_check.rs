//! Every transfer rule of `SPEC.md` through `check_transfer`, one case a line,
//! named as the SPEC names it. Each case says which finding must appear (or
//! must not), with its severity, line, column and provenance.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::twiml::{check_transfer, Role, Severity};
use refer_sim::Provenance;

const SIP: &str = "<Sip>sip:AgentA@xyz.sip.us1.twilio.com</Sip>";

fn dial(attrs: &str, nouns: &str) -> String {
    format!("<Response><Dial{attrs}>{nouns}</Dial></Response>")
}

#[test]
fn spec_rules() {
    let long_uri = format!("<Sip>sip:{}@example.com</Sip>", "a".repeat(250));
    let long_headers = format!("<Sip>sip:a@example.com?X-Big={}</Sip>", "b".repeat(1100));
    let eleven = "<Number>+14155550100</Number>".repeat(11);
    let eleven_clients = "<Client>alice</Client>".repeat(11);
    let ok = " referUrl=\"https://example.com/handler\"";
    // (SPEC rule, role, document, code, severity, provenance)
    #[rustfmt::skip]
    let cases: Vec<(&str, Role, String, &str, Severity, Provenance)> = vec![
        ("§2.5 referUrl missing: alert 13802, call re-established", Role::Initial, dial("", SIP), "no_refer_url", Severity::Error, Provenance::Doc),
        ("§2.5 referUrl misspelled counts as missing", Role::Initial, dial(" referURL=\"https://e.com\"", SIP), "no_refer_url", Severity::Error, Provenance::Doc),
        ("§3.2 referMethod other than GET/POST", Role::Initial, dial(&format!("{ok} referMethod=\"PUT\""), SIP), "bad_refer_method", Severity::Error, Provenance::Doc),
        ("§3.2 referMethod lowercase is not GET", Role::Initial, dial(&format!("{ok} referMethod=\"get\""), SIP), "bad_refer_method", Severity::Error, Provenance::Doc),
        ("§2.2 <Conference> does not support REFER", Role::Initial, dial(ok, "<Conference>room</Conference>"), "refer_unsupported_noun", Severity::Error, Provenance::Doc),
        ("§2.2 <Queue> does not support REFER", Role::Initial, dial(ok, "<Queue>support</Queue>"), "refer_unsupported_noun", Severity::Error, Provenance::Doc),
        ("§2.2 <Enqueue> does not support REFER", Role::Initial, "<Response><Enqueue>q</Enqueue></Response>".into(), "refer_unsupported_enqueue", Severity::Error, Provenance::Doc),
        ("§2.2 REFER needs a bridge made by <Dial>", Role::Initial, "<Response><Say>hi</Say></Response>".into(), "no_dial", Severity::Warning, Provenance::Doc),
        ("§3.5 answerOnBridge true keeps the initial call", Role::Initial, dial(&format!(" answerOnBridge=\"true\"{ok}"), SIP), "answer_on_bridge_true", Severity::Info, Provenance::Doc),
        ("§3.4 answerOnBridge false drops the transferor after the webhook", Role::Initial, dial(&format!(" answerOnBridge=\"false\"{ok}"), SIP), "answer_on_bridge_false", Severity::Info, Provenance::Doc),
        ("§3.4 answerOnBridge absent drops the transferor after the webhook", Role::Initial, dial(ok, SIP), "answer_on_bridge_absent", Severity::Info, Provenance::Doc),
        ("more than one noun in a transfer Dial", Role::Initial, dial(ok, &format!("{SIP}<Number>+14155550100</Number>")), "several_nouns", Severity::Warning, Provenance::Assumed),
        ("§5 <Number> at most 10 per <Dial>", Role::Initial, dial(ok, &eleven), "too_many_numbers", Severity::Error, Provenance::Doc),
        ("§5 <Client> at most 10 per <Dial>", Role::Initial, dial(ok, &eleven_clients), "too_many_clients", Severity::Error, Provenance::Doc),
        ("more than ten <Sip> parties (no documented number)", Role::Initial, dial(ok, &SIP.repeat(11)), "too_many_nouns", Severity::Warning, Provenance::Assumed),
        ("more than ten parties of mixed kinds", Role::Initial, dial(ok, &format!("{}{}", "<Number>+1</Number>".repeat(6), "<Client>a</Client>".repeat(5))), "too_many_nouns", Severity::Warning, Provenance::Assumed),
        ("§5 <Sip> URI under 255 characters (21227)", Role::Initial, dial(ok, &long_uri), "sip_uri_too_long", Severity::Warning, Provenance::Doc),
        ("§5 <Sip> headers under 1024 characters (21227)", Role::Initial, dial(ok, &long_headers), "sip_headers_too_long", Severity::Warning, Provenance::Doc),
        ("§5 sips: is not supported", Role::Initial, dial(ok, "<Sip>sips:a@example.com</Sip>"), "sips_unsupported", Severity::Warning, Provenance::Doc),
        ("§5 custom headers need X- (13252/13253)", Role::Initial, dial(ok, "<Sip>sip:a@example.com?Foo=1</Sip>"), "sip_header_not_custom", Severity::Warning, Provenance::Doc),
        ("§5 transport is udp, tcp or tls", Role::Initial, dial(ok, "<Sip>sip:a@example.com;transport=sctp</Sip>"), "bad_sip_transport", Severity::Warning, Provenance::Doc),
        ("§5 <Refer> only on SIP legs (13801)", Role::Initial, "<Response><Refer><Sip>sip:b@example.com</Sip></Refer></Response>".into(), "refer_verb_sip_only", Severity::Info, Provenance::Doc),
        ("§5 <Refer> needs its <Sip> noun", Role::Initial, "<Response><Refer action=\"/done\"/></Response>".into(), "refer_without_sip", Severity::Error, Provenance::Doc),
        ("§3.3 referUrl optional in the referUrl response", Role::ReferResponse, dial("", SIP), "refer_url_optional", Severity::Info, Provenance::Doc),
        ("§3.3 referUrl in the referUrl response enables a chained transfer", Role::ReferResponse, dial(ok, SIP), "chained_transfer_enabled", Severity::Info, Provenance::Doc),
        ("§3.3 the referUrl response may use any verb", Role::ReferResponse, "<Response><Say>bye</Say><Hangup/></Response>".into(), "refer_response_without_dial", Severity::Info, Provenance::Doc),
        ("§2.2 chained transfer into a <Conference> is refused", Role::ReferResponse, dial(ok, "<Conference>r</Conference>"), "refer_unsupported_noun", Severity::Error, Provenance::Doc),
        ("parse errors come first", Role::Initial, "<Response><Dial></Response>".into(), "xml_malformed", Severity::Error, Provenance::Doc),
    ];
    for (rule, role, xml, code, severity, provenance) in &cases {
        let found = check_transfer(xml, *role);
        let f = found.iter().find(|f| f.code == *code);
        let f = f.unwrap_or_else(|| panic!("{rule}: expected {code} in {found:#?}"));
        assert_eq!((f.severity, f.provenance), (*severity, *provenance), "{rule}");
        assert!(f.line >= 1 && f.column >= 1 && !f.message.is_empty(), "{rule}");
    }
}

#[test]
fn findings_that_must_not_appear() {
    let ok = " referUrl=\"https://example.com/handler\"";
    // (why, role, document, code that must be absent)
    let cases: &[(&str, Role, String, &str)] = &[
        ("referUrl present", Role::Initial, dial(ok, SIP), "no_refer_url"),
        ("no alert 13802 for the referUrl response", Role::ReferResponse, dial("", SIP), "no_refer_url"),
        ("GET is valid", Role::Initial, dial(&format!("{ok} referMethod=\"GET\""), SIP), "bad_refer_method"),
        ("one noun", Role::Initial, dial(ok, SIP), "several_nouns"),
        ("ten numbers are allowed", Role::Initial, dial(ok, &"<Number>+1</Number>".repeat(10)), "too_many_numbers"),
        (
            "ten parties are allowed",
            Role::Initial,
            dial(ok, &format!("{}{}", SIP.repeat(5), "<Number>+1</Number>".repeat(5))),
            "too_many_nouns",
        ),
        (
            "eleven numbers say too_many_numbers once",
            Role::Initial,
            dial(ok, &"<Number>+1</Number>".repeat(11)),
            "too_many_nouns",
        ),
        (
            "UUI needs no X-",
            Role::Initial,
            dial(ok, "<Sip>sip:a@b.com?User-to-User=12%3Bencoding%3Dhex&amp;X-A=1</Sip>"),
            "sip_header_not_custom",
        ),
        (
            "254 characters is under the limit",
            Role::Initial,
            dial(ok, &format!("<Sip>sip:{}@b.co</Sip>", "a".repeat(245))),
            "sip_uri_too_long",
        ),
        (
            "a referUrl response may end in a Conference",
            Role::ReferResponse,
            dial("", "<Conference>r</Conference>"),
            "refer_unsupported_noun",
        ),
        ("answerOnBridge is read from the initial Dial only", Role::ReferResponse, dial("", SIP), "answer_on_bridge_absent"),
    ];
    for (why, role, xml, code) in cases {
        let found = check_transfer(xml, *role);
        assert!(found.iter().all(|f| f.code != *code), "{why}: {code} in {found:#?}");
    }
}

#[test]
fn positions_point_at_the_element() {
    let xml = "<Response>\n  <Dial answerOnBridge=\"true\">\n    <Sip>sip:a@b.com</Sip>\n  </Dial>\n</Response>";
    let found = check_transfer(xml, Role::Initial);
    let f = found.iter().find(|f| f.code == "no_refer_url").unwrap();
    assert_eq!((f.line, f.column, f.tag.as_deref(), f.vendor_code), (2, 3, Some("Dial"), Some(13802)));
    let f = found.iter().find(|f| f.code == "answer_on_bridge_true").unwrap();
    assert_eq!((f.line, f.column), (2, 9));
}
