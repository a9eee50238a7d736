//! The TwiML parser, one case a line: malformed documents with the expected
//! code, line and column; schema findings; the typed model and its defaults.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::twiml::{parse, DialChild, Method, Severity, Verb, MAX_DEPTH};

#[test]
fn fatal_errors_have_a_code_line_and_column() {
    // (input, code, line, column)
    let cases: &[(&str, &str, usize, usize)] = &[
        ("", "empty_document", 1, 1),
        ("   \n  ", "empty_document", 2, 3),
        ("<Response><Say>a</Dial></Response>", "xml_malformed", 1, 17),
        ("<Response>\n  <Dial>\n</Response>", "xml_malformed", 3, 1),
        ("<Response><Dial>", "xml_malformed", 1, 11),
        ("<Response/><Response/>", "xml_malformed", 1, 12),
        ("hello<Response/>", "xml_malformed", 1, 1),
        ("<Response a='1' a='2'/>", "xml_malformed", 1, 17),
        ("<Response a=1/>", "xml_malformed", 1, 13),
        ("<Response>\n<Say>&foo;</Say></Response>", "unknown_entity", 2, 6),
        ("<Response><Say a=\"&bar;\"/></Response>", "unknown_entity", 1, 16),
        ("<Response>&#0;</Response>", "bad_reference", 1, 11),
        ("<!DOCTYPE r [<!ENTITY a \"b\">]><Response/>", "doctype_refused", 1, 1),
        ("<?xml version=\"1.0\"?>\n<!DOCTYPE Response>\n<Response/>", "doctype_refused", 2, 1),
        ("<Foo/>", "root_not_response", 1, 1),
        ("<response/>", "root_not_response", 1, 1),
        ("<Response><Say>a</Say>", "xml_malformed", 1, 1),
        ("<Response><Say", "xml_malformed", 1, 11),
        ("<Response>< /></Response>", "xml_malformed", 1, 12),
        ("<Response><1a/></Response>", "xml_malformed", 1, 12),
        ("<Response><-a/></Response>", "xml_malformed", 1, 12),
        ("<Response><Say>a</Say>< /></Response>", "xml_malformed", 1, 24),
        ("<Response/><?xml version=\"1.0\"?>", "xml_declaration_misplaced", 1, 12),
        (" <?xml version=\"1.0\"?><Response/>", "xml_declaration_misplaced", 1, 2),
        ("\n<?xml version=\"1.0\"?><Response/>", "xml_declaration_misplaced", 2, 1),
        ("<?xml version=\"1.0\"?><?xml version=\"1.0\"?><Response/>", "xml_declaration_misplaced", 1, 22),
        ("<Response>\n<Dial action=\"a<b\"/></Response>", "lt_in_attribute", 2, 16),
        ("<Response><Say voice='<'/></Response>", "lt_in_attribute", 1, 23),
        ("<Response><Dial referUrl=\"https://e.com/?x=<y>\"/></Response>", "lt_in_attribute", 1, 44),
    ];
    for &(input, code, line, column) in cases {
        let p = parse(input);
        let d = p.diagnostics.iter().find(|d| d.severity == Severity::Error);
        let d = d.unwrap_or_else(|| panic!("{input:?}: expected an error, got {:?}", p.diagnostics));
        assert_eq!((d.code, d.line, d.column), (code, line, column), "{input:?}: {}", d.message);
        assert!(p.response.is_none(), "{input:?}: no model after a fatal error");
    }
}

#[test]
fn schema_findings_keep_the_document() {
    // (input, code, severity, line, column, tag)
    let cases: &[(&str, &str, Severity, usize, usize, &str)] = &[
        ("<Response><Dial foo=\"1\"/></Response>", "unknown_attribute", Severity::Warning, 1, 17, "Dial"),
        ("<Response>\n<Blah/></Response>", "unknown_element", Severity::Warning, 2, 1, "Blah"),
        ("<Response><Sip>sip:a@b</Sip></Response>", "noun_outside_dial", Severity::Warning, 1, 11, "Sip"),
        ("<Response><Gather><Number>1</Number></Gather></Response>", "noun_outside_dial", Severity::Warning, 1, 19, "Number"),
        ("<Response><Dial><Dial/></Dial></Response>", "misplaced_verb", Severity::Warning, 1, 17, "Dial"),
        ("<Response><Dial><WhatsApp>1</WhatsApp></Dial></Response>", "not_simulated", Severity::Info, 1, 17, "WhatsApp"),
        ("<Response><Gather><Dial/></Gather></Response>", "misplaced_verb", Severity::Warning, 1, 19, "Dial"),
        ("<Response>hello</Response>", "unexpected_text", Severity::Warning, 1, 11, "Response"),
        ("<Response><Dial referMethod=\"PUT\"/></Response>", "bad_enum", Severity::Warning, 1, 17, "Dial"),
        ("<Response><Dial answerOnBridge=\"yes\"/></Response>", "bad_enum", Severity::Warning, 1, 17, "Dial"),
        ("<Response><Dial timeout=\"3O\"/></Response>", "not_a_number", Severity::Warning, 1, 17, "Dial"),
        ("<Response><Pause length=\"-1\"/></Response>", "not_a_number", Severity::Warning, 1, 18, "Pause"),
        ("<Response><Dial timeout=\"99999999999\"/></Response>", "not_a_number", Severity::Warning, 1, 17, "Dial"),
    ];
    for &(input, code, severity, line, column, tag) in cases {
        let p = parse(input);
        assert!(p.response.is_some(), "{input:?}: kept");
        let d = p.diagnostics.iter().find(|d| d.code == code);
        let d = d.unwrap_or_else(|| panic!("{input:?}: expected {code}, got {:?}", p.diagnostics));
        assert_eq!((d.severity, d.line, d.column, d.tag.as_deref()), (severity, line, column, Some(tag)), "{input:?}");
    }
}

#[test]
fn the_vendors_example_types_and_defaults() {
    let xml = "<Response>\n  <Dial referUrl=\"https://example.com/handler?a=1&amp;b=2\" timeout=\"20\" x=\"y\">\n    <Sip>sip:AgentA@xyz.sip.us1.twilio.com?User-to-User=123456789%3Bencoding%3Dhex&amp;X-Name=Agent%2C+A</Sip>\n  </Dial>\n</Response>";
    let p = parse(xml);
    let r = p.response.expect("parsed");
    let Some(Verb::Dial(d)) = r.children.first() else { panic!("a Dial") };
    assert_eq!(d.refer_url.as_deref(), Some("https://example.com/handler?a=1&b=2"));
    assert_eq!(d.refer_method, None, "absent stays visible");
    assert_eq!(d.refer_method_or_default(), Method::Post);
    assert_eq!(d.answer_on_bridge, None);
    assert!(!d.answer_on_bridge_or_default());
    assert_eq!(d.timeout, Some(20));
    assert_eq!(d.timeout_or_default(), 20);
    assert_eq!(d.attributes.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["referUrl", "timeout", "x"]);
    assert_eq!(d.unknown_attributes().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["x"]);
    assert_eq!(d.children.len(), 1, "whitespace between nouns is dropped");
    let DialChild::Sip(s) = &d.children[0] else { panic!("a Sip") };
    assert!(s.text().ends_with("&X-Name=Agent%2C+A"));
    assert_eq!(&xml[s.span.start..s.span.end], &xml[xml.find("<Sip>").unwrap()..xml.find("</Dial>").unwrap() - 3]);
    assert_eq!(p.diagnostics.len(), 1);
    assert_eq!((p.diagnostics[0].code, p.diagnostics[0].line, p.diagnostics[0].column), ("unknown_attribute", 2, 73));
}

#[test]
fn defaults_when_absent() {
    let r = parse("<Response><Dial/></Response>").response.unwrap();
    let Some(Verb::Dial(d)) = r.children.first() else { panic!() };
    assert_eq!((d.timeout_or_default(), d.answer_on_bridge_or_default(), d.refer_method_or_default()), (30, false, Method::Post));
    assert_eq!((d.hangup_on_star_or_default(), d.method_or_default()), (false, Method::Post));
}

#[test]
fn a_declaration_at_the_start_and_escaped_or_closing_brackets_in_attributes_are_fine() {
    for input in [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>",
        "\u{FEFF}<?xml version=\"1.0\"?>\n<Response/>",
        "<Response><Dial action=\"a&lt;b>c\"/></Response>",
        "<Response><Say>1 &lt; 2</Say><!-- <?xml ?> --></Response>",
    ] {
        let p = parse(input);
        assert!(p.response.is_some() && !p.has_errors(), "{input:?}: {:?}", p.diagnostics);
    }
}

#[test]
fn references_cdata_and_line_ends() {
    let r = parse("<Response><Say>a &amp; &lt;b&gt; &#x263A; &#65;<![CDATA[<c>]]>\r\nd</Say></Response>").response.unwrap();
    let Some(Verb::Say(s)) = r.children.first() else { panic!() };
    assert_eq!(s.text(), "a & <b> ☺ A<c>\nd");
    let r = parse("<Response><Dial action=\"a&#xA;b&quot;'\tc\"/></Response>").response.unwrap();
    let Some(Verb::Dial(d)) = r.children.first() else { panic!() };
    assert_eq!(d.action.as_deref(), Some("a\nb\"' c"), "literal tab normalised, char refs kept");
}

#[test]
fn bounds() {
    let deep = "<Response>".to_string() + &"<a>".repeat(MAX_DEPTH) + &"</a>".repeat(MAX_DEPTH) + "</Response>";
    assert_eq!(parse(&deep).diagnostics[0].code, "too_deep");
    let ok = "<Response>".to_string() + &"<a>".repeat(MAX_DEPTH - 2) + &"</a>".repeat(MAX_DEPTH - 2) + "</Response>";
    assert!(parse(&ok).diagnostics.iter().all(|d| d.code != "too_deep"));
    let big = format!("<Response><Say>{}</Say></Response>", "a".repeat(1 << 20));
    let p = parse(&big);
    assert_eq!((p.diagnostics[0].code, p.diagnostics[0].line, p.diagnostics[0].column), ("too_large", 1, 1));
}
