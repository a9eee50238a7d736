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
        ("§2.5 referUrl missing: alert 13802, call re-established", Role::Initial, dial("", SIP), "no_refer_url", Severity::Error, Provenance::Doc("error.13802")),
        ("§2.5 referUrl misspelled counts as missing", Role::Initial, dial(" referURL=\"https://e.com\"", SIP), "no_refer_url", Severity::Error, Provenance::Doc("error.13802")),
        ("§3.2 referMethod other than GET/POST", Role::Initial, dial(&format!("{ok} referMethod=\"PUT\""), SIP), "bad_refer_method", Severity::Error, Provenance::Doc("refer.attributes")),
        ("§3.2 referMethod lowercase is not GET", Role::Initial, dial(&format!("{ok} referMethod=\"get\""), SIP), "bad_refer_method", Severity::Error, Provenance::Doc("refer.attributes")),
        ("§2.2 <Conference> does not support REFER", Role::Initial, dial(ok, "<Conference>room</Conference>"), "refer_unsupported_noun", Severity::Error, Provenance::Doc("refer.no-conference-queue")),
        ("§2.2 <Queue> does not support REFER", Role::Initial, dial(ok, "<Queue>support</Queue>"), "refer_unsupported_noun", Severity::Error, Provenance::Doc("refer.no-conference-queue")),
        ("§2.2 <Enqueue> does not support REFER", Role::Initial, "<Response><Enqueue>q</Enqueue></Response>".into(), "refer_unsupported_enqueue", Severity::Error, Provenance::Assumed),
        ("§2.2 REFER needs a bridge made by <Dial>", Role::Initial, "<Response><Say>hi</Say></Response>".into(), "no_dial", Severity::Warning, Provenance::Doc("refer.dial-nouns")),
        ("§3.5 answerOnBridge true keeps the initial call", Role::Initial, dial(&format!(" answerOnBridge=\"true\"{ok}"), SIP), "answer_on_bridge_true", Severity::Info, Provenance::Doc("refer.aob-true")),
        ("§3.4 answerOnBridge false drops the transferor after the webhook", Role::Initial, dial(&format!(" answerOnBridge=\"false\"{ok}"), SIP), "answer_on_bridge_false", Severity::Info, Provenance::Doc("refer.aob-false")),
        ("§3.4 answerOnBridge absent drops the transferor after the webhook", Role::Initial, dial(ok, SIP), "answer_on_bridge_absent", Severity::Info, Provenance::Doc("refer.aob-false")),
        ("more than one noun in a transfer Dial", Role::Initial, dial(ok, &format!("{SIP}<Number>+14155550100</Number>")), "several_nouns", Severity::Warning, Provenance::Assumed),
        ("§5 <Number> at most 10 per <Dial>", Role::Initial, dial(ok, &eleven), "too_many_numbers", Severity::Error, Provenance::Doc("number.ten")),
        ("§5 <Client> at most 10 per <Dial>", Role::Initial, dial(ok, &eleven_clients), "too_many_clients", Severity::Error, Provenance::Doc("client.ten")),
        ("more than ten <Sip> parties (no documented number)", Role::Initial, dial(ok, &SIP.repeat(11)), "too_many_nouns", Severity::Warning, Provenance::Assumed),
        ("more than ten parties of mixed kinds", Role::Initial, dial(ok, &format!("{}{}", "<Number>+1</Number>".repeat(6), "<Client>a</Client>".repeat(5))), "too_many_nouns", Severity::Warning, Provenance::Assumed),
        ("§5 <Sip> URI under 255 characters (no vendor code)", Role::Initial, dial(ok, &long_uri), "sip_uri_too_long", Severity::Warning, Provenance::Doc("sip.uri-255")),
        ("§5 <Sip> headers under 1024 characters (21227)", Role::Initial, dial(ok, &long_headers), "sip_headers_too_long", Severity::Warning, Provenance::Doc("error.21227")),
        ("§5 sips: is not supported", Role::Initial, dial(ok, "<Sip>sips:a@example.com</Sip>"), "sips_unsupported", Severity::Warning, Provenance::Assumed),
        ("§5 custom headers need X- (13252)", Role::Initial, dial(ok, "<Sip>sip:a@example.com?Foo=1</Sip>"), "sip_header_not_custom", Severity::Warning, Provenance::Doc("error.13252")),
        ("§5 transport is udp, tcp or tls", Role::Initial, dial(ok, "<Sip>sip:a@example.com;transport=sctp</Sip>"), "bad_sip_transport", Severity::Warning, Provenance::Assumed),
        ("§5 <Refer> only on SIP legs (13801)", Role::Initial, "<Response><Refer><Sip>sip:b@example.com</Sip></Refer></Response>".into(), "refer_verb_sip_only", Severity::Info, Provenance::Doc("error.13801")),
        ("§5 <Refer> needs its <Sip> noun", Role::Initial, "<Response><Refer action=\"/done\"/></Response>".into(), "refer_without_sip", Severity::Error, Provenance::Doc("referverb.sip-noun")),
        ("§3.3 referUrl optional in the referUrl response", Role::ReferResponse, dial("", SIP), "refer_url_optional", Severity::Info, Provenance::Doc("refer.refer-url-not-needed")),
        ("§3.3 referUrl in the referUrl response enables a chained transfer", Role::ReferResponse, dial(ok, SIP), "chained_transfer_enabled", Severity::Info, Provenance::Assumed),
        ("§3.3 the referUrl response may use any verb", Role::ReferResponse, "<Response><Say>bye</Say><Hangup/></Response>".into(), "refer_response_without_dial", Severity::Info, Provenance::Doc("refer.any-verb")),
        ("§2.2 chained transfer into a <Conference> is refused", Role::ReferResponse, dial(ok, "<Conference>r</Conference>"), "refer_unsupported_noun", Severity::Error, Provenance::Doc("refer.no-conference-queue")),
        ("parse errors come first", Role::Initial, "<Response><Dial></Response>".into(), "xml_malformed", Severity::Error, Provenance::Doc("error.12100")),
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

/// Issue 10 item 6: vendor codes only where the vendor's page gives them. The 255-character
/// URI rule (`sip.uri-255`) has none; 21227 is the headers rule alone (`error.21227`), once;
/// 13252 is the X- prefix rule and 13253 ("Header is too long") is not it.
#[test]
fn vendor_codes_are_the_documented_ones() {
    let ok = " referUrl=\"https://example.com/handler\"";
    let long_uri = dial(ok, &format!("<Sip>sip:{}@example.com</Sip>", "a".repeat(250)));
    let long_headers = dial(ok, &format!("<Sip>sip:AgentA@example.com?X-Long={}</Sip>", "b".repeat(1030)));
    let no_x = dial(ok, "<Sip>sip:a@example.com?Foo=1</Sip>");
    let twilio = dial(ok, "<Sip>sip:a@example.com?X-Twilio-Foo=1</Sip>");
    // (document, code, vendor code of that finding, how many findings carry 21227)
    #[rustfmt::skip]
    let cases: &[(&str, &String, &str, Option<u32>, usize)] = &[
        ("a 260-character URI", &long_uri, "sip_uri_too_long", None, 0),
        ("a short URI with 1040 characters of headers", &long_headers, "sip_headers_too_long", Some(21227), 1),
        ("a header without X-", &no_x, "sip_header_not_custom", Some(13252), 0),
        ("a header named X-Twilio-…", &twilio, "sip_header_twilio_prefix", Some(32113), 0),
    ];
    for (why, xml, code, vendor, n21227) in cases {
        let found = check_transfer(xml, Role::Initial);
        let f = found.iter().find(|f| f.code == *code).unwrap_or_else(|| panic!("{why}: {code} in {found:#?}"));
        assert_eq!(f.vendor_code, *vendor, "{why}");
        assert_eq!(found.iter().filter(|f| f.vendor_code == Some(21227)).count(), *n21227, "{why}: 21227 findings");
        assert!(
            !f.message.contains("13253") && !f.message.contains("21227") || f.vendor_code == Some(21227),
            "{why}: {}",
            f.message
        );
    }
    assert!(
        check_transfer(&long_headers, Role::Initial).iter().all(|f| f.code != "sip_uri_too_long"),
        "headers do not count in the 255"
    );
}

/// Issue 10 item 6: documented TwiML is never called undocumented. `callReason`
/// (`dial.attributes`), `<Application>` (`application.noun`) and `<WhatsApp>` (`whatsapp.noun`)
/// get no 12200 warning; `<Connect>`, `<Pay>`, `<Start>` are verbs refer-sim does not simulate.
#[test]
fn documented_twiml_is_not_called_undocumented() {
    #[rustfmt::skip]
    let cases: &[(&str, Option<&str>)] = &[
        ("<Response><Dial callReason=\"Support escalation\" referUrl=\"https://e.com/h\"><Sip>sip:a@e.com</Sip></Dial></Response>", None),
        ("<Response><Dial><Application><ApplicationSid>AP1234567890abcdef1234567890abcd</ApplicationSid></Application></Dial></Response>", Some("Application")),
        ("<Response><Dial callerId=\"whatsapp:+558551234567\"><WhatsApp>+555551234567</WhatsApp></Dial></Response>", Some("WhatsApp")),
        ("<Response><Connect><Stream url=\"wss://e.com/s\"/></Connect></Response>", Some("Connect")),
        ("<Response><Pay/></Response>", Some("Pay")),
        ("<Response><Start><Stream url=\"wss://e.com/s\"/></Start></Response>", Some("Start")),
    ];
    for (xml, not_simulated) in cases {
        let parsed = refer_sim::twiml::parse(xml);
        assert!(parsed.diagnostics.iter().all(|d| d.vendor_code != Some(12200)), "{xml}: {:#?}", parsed.diagnostics);
        let info: Vec<_> = parsed.diagnostics.iter().filter(|d| d.code == "not_simulated").collect();
        assert_eq!(
            info.iter().map(|d| d.tag.as_deref()).collect::<Vec<_>>(),
            not_simulated.iter().map(|t| Some(*t)).collect::<Vec<_>>(),
            "{xml}"
        );
        assert!(info.iter().all(|d| d.provenance == Provenance::Assumed && d.severity == Severity::Info), "{xml}");
    }
    // A misspelled verb is still the vendor's schema warning.
    let p = refer_sim::twiml::parse("<Response><Dail/></Response>");
    assert_eq!(p.diagnostics.iter().map(|d| (d.code, d.vendor_code)).collect::<Vec<_>>(), [("unknown_element", Some(12200))]);
}

/// Warning 32113: "Your extension header name cannot begin with the prefix X-Twilio", and such a
/// header "was omitted" (`error.32113`). Every header's finding (32113, 13252) spans the header
/// as written in the document (`name=value`), through references, CDATA, comments and line
/// ends; a `<Sip>` whose text the check cannot follow keeps the element's span.
#[test]
fn header_findings_span_the_header() {
    let ok = " referUrl=\"https://example.com/handler\"";
    // (the <Sip> text as written, the code, the header as written)
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str)] = &[
        ("sip:b@e.com?X-Twilio-Foo=1", "sip_header_twilio_prefix", "X-Twilio-Foo=1"),
        ("sip:b@e.com?x-twilio=1", "sip_header_twilio_prefix", "x-twilio=1"),
        ("sip:b@e.com?X-Ok=1&amp;X-TWILIO-Id=2&amp;X-More=3", "sip_header_twilio_prefix", "X-TWILIO-Id=2"),
        ("sip:b@e.com?X-%54wilio-Id=2", "sip_header_twilio_prefix", "X-%54wilio-Id=2"),
        ("\n  sip:b@e.com?X-A=&#x41;&amp;Foo=2\n", "sip_header_not_custom", "Foo=2"),
        ("sip:b@e.com?X-A=1&amp;<![CDATA[Foo=2&X-B=3]]>", "sip_header_not_custom", "Foo=2"),
        ("sip:b@e.com?X-A=1&amp;<!-- c -->Foo=&#x41;b", "sip_header_not_custom", "Foo=&#x41;b"),
        ("\r\n\r sip:b@e.com?X-A=1&amp;Foo=1\r\n", "sip_header_not_custom", "Foo=1"),
        ("sip:b@e.com?X-A=1<?pi x?>&amp;Foo=2", "sip_header_not_custom", "Foo=2"),
        ("sip:b@e.com?X-A=1&amp;<?pi?>Foo=2", "sip_header_not_custom", "Foo=2"),
        ("sip:b@e.com?X-A=<![CDATA[1&X-B=2]]>&amp;Bar=&#x41;", "sip_header_not_custom", "Bar=&#x41;"),
        // Spaces that are references for 2- and 3-byte characters (trimmed off the URI as spaces).
        ("&#xA0;&#x3000;sip:b@e.com?X-A=1&amp;Foo=2", "sip_header_not_custom", "Foo=2"),
    ];
    for (text, code, header) in cases {
        let xml = dial(ok, &format!("<Sip>{text}</Sip>"));
        let found = check_transfer(&xml, Role::Initial);
        let f = found.iter().find(|f| f.code == *code).unwrap_or_else(|| panic!("{code} for {text:?} in {found:#?}"));
        assert_eq!(&xml[f.span.start..f.span.end], *header, "{text:?}");
        let line_start = xml[..f.span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        assert_eq!(f.column, xml[line_start..f.span.start].chars().count() + 1, "{text:?}: the column is the header's");
        assert_eq!(
            found.iter().filter(|f| f.code == "sip_header_twilio_prefix" || f.code == "sip_header_not_custom").count(),
            1,
            "{text:?}: {found:#?}"
        );
    }
    // Headers that may stay: X- names not starting X-Twilio (`X-Twilioo` does), the standard ones.
    for text in ["sip:b@e.com?X-Twili=1", "sip:b@e.com?X-Twil=1&amp;User-to-User=2", "sip:b@e.com?XTwilio-A=1"] {
        let found = check_transfer(&dial(ok, &format!("<Sip>{text}</Sip>")), Role::Initial);
        assert!(found.iter().all(|f| f.code != "sip_header_twilio_prefix"), "{text}: {found:#?}");
    }
    // The message names the header, the rule and the fix.
    let found = check_transfer(&dial(ok, "<Sip>sip:b@e.com?X-Twilio-Foo=1</Sip>"), Role::Initial);
    let f = found.iter().find(|f| f.code == "sip_header_twilio_prefix").unwrap();
    assert!(f.message.contains("`X-Twilio-Foo`") && f.message.contains("omits") && f.message.contains("X-Foo"), "{}", f.message);
    // Without the source (a typed document checked alone) the finding spans the <Sip>.
    let xml = dial(ok, "<Sip>sip:b@e.com?X-Twilio-Foo=1</Sip>");
    let r = refer_sim::twiml::parse(&xml).response.unwrap();
    let f =
        refer_sim::twiml::check_response(&r, Role::Initial).into_iter().find(|f| f.code == "sip_header_twilio_prefix").unwrap();
    assert_eq!(&xml[f.span.start..f.span.start + 5], "<Sip>");
}

/// `sip::chars::is_x_header` in a `<Sip>` URI's headers (`uri_header_kind`): `X-` in any case
/// is a custom header, even with nothing after it (`X-`); `X` and `Xa-` get warning 13252.
#[test]
fn a_sip_uri_header_is_custom_when_it_begins_with_x_dash() {
    let ok = " referUrl=\"https://example.com/handler\"";
    let xml = dial(ok, "<Sip>sip:a@example.com?X-=1&amp;x-a=2&amp;X=3&amp;Xa-=4</Sip>");
    let found = check_transfer(&xml, Role::Initial);
    let not_custom: Vec<&str> = found.iter().filter(|f| f.code == "sip_header_not_custom").map(|f| f.message.as_str()).collect();
    assert_eq!(not_custom.len(), 2, "{found:#?}");
    assert!(not_custom[0].starts_with("header `X` in the SIP URI"), "{}", not_custom[0]);
    assert!(not_custom[1].starts_with("header `Xa-` in the SIP URI"), "{}", not_custom[1]);
}
