//! Tests written for mutants of `src/twiml` that the other suites let through
//! (`make mutants`): each pins an output a user sees (a code, a message, a span).
use refer_sim::twiml::{check_transfer, parse, Builder, DialChild, GatherChild, Method, Node, ReferChild, Role, Severity, Verb};

fn codes(xml: &str, role: Role) -> Vec<&'static str> {
    check_transfer(xml, role).iter().map(|d| d.code).collect()
}

#[test]
fn severities_are_written_as_lowercase_words() {
    assert_eq!(Severity::Error.as_str(), "error");
    assert_eq!(Severity::Warning.as_str(), "warning");
    assert_eq!(Severity::Info.as_str(), "info");
}

#[test]
fn has_errors_is_true_only_with_an_error() {
    assert!(parse("<Foo/>").has_errors());
    assert!(parse("<Response><Say>a\u{1}</Say></Response>").has_errors());
    // A noun out of place is a schema warning (12200): the document runs.
    assert!(!parse("<Response><Sip>sip:a@b</Sip></Response>").has_errors());
    assert!(!parse("<Response><Dial foo=\"1\"/></Response>").has_errors());
    assert!(!parse("<Response><Say>hi</Say></Response>").has_errors());
}

#[test]
fn unexpected_text_quotes_the_trimmed_text_and_cuts_it_at_40_characters() {
    let p = parse("<Response>  hello  <Say>a</Say></Response>");
    let d = p.diagnostics.iter().find(|d| d.code == "unexpected_text").expect("unexpected_text");
    assert_eq!(d.message, "text \"hello\" is not allowed directly in <Response>; kept as written");
    let long = "abcdefghij".repeat(5);
    let p = parse(&format!("<Response>{long}<Say>a</Say></Response>"));
    let d = p.diagnostics.iter().find(|d| d.code == "unexpected_text").expect("unexpected_text");
    let cut = format!("{}…", &long[..40]);
    assert_eq!(d.message, format!("text {cut:?} is not allowed directly in <Response>; kept as written"));
    let forty = &long[..40];
    let p = parse(&format!("<Response>{forty}<Say>a</Say></Response>"));
    let d = p.diagnostics.iter().find(|d| d.code == "unexpected_text").expect("unexpected_text");
    assert_eq!(d.message, format!("text {forty:?} is not allowed directly in <Response>; kept as written"));
}

#[test]
fn text_inside_refer_is_kept_and_reported_but_whitespace_is_not() {
    let p = parse("<Response><Refer>hello<Sip>sip:a@b.com</Sip></Refer></Response>");
    let r = p.response.expect("model");
    let Some(Verb::Refer(x)) = r.children.first() else { panic!("{:?}", r.children) };
    assert!(matches!(x.children.first(), Some(ReferChild::Text(t)) if t.value == "hello"), "{:?}", x.children);
    assert_eq!(x.children.len(), 2);
    assert!(p.diagnostics.iter().any(|d| d.code == "unexpected_text" && d.tag.as_deref() == Some("Refer")));

    let p = parse("<Response><Refer>\n  <Sip>sip:a@b.com</Sip>\n</Refer></Response>");
    let r = p.response.expect("model");
    let Some(Verb::Refer(x)) = r.children.first() else { panic!("{:?}", r.children) };
    assert_eq!(x.children.len(), 1, "{:?}", x.children);
    assert!(p.diagnostics.iter().all(|d| d.code != "unexpected_text"), "{:?}", p.diagnostics);
}

#[test]
fn say_takes_any_child_element_but_other_verbs_report_unknown_ones() {
    let p = parse("<Response><Say>a <prosody rate=\"slow\">b</prosody></Say></Response>");
    assert!(p.diagnostics.iter().all(|d| d.code != "unknown_element"), "{:?}", p.diagnostics);
    let p = parse("<Response><Hangup><Parameter name=\"a\" value=\"b\"/></Hangup></Response>");
    assert!(p.diagnostics.iter().all(|d| d.code != "unknown_element"), "{:?}", p.diagnostics);
    let p = parse("<Response><Hangup><prosody/></Hangup></Response>");
    assert!(
        p.diagnostics.iter().any(|d| d.code == "unknown_element" && d.tag.as_deref() == Some("prosody")),
        "{:?}",
        p.diagnostics
    );
}

#[test]
fn enqueue_is_refused_only_in_the_initial_document() {
    let xml = "<Response><Enqueue>support</Enqueue></Response>";
    assert!(codes(xml, Role::Initial).contains(&"refer_unsupported_enqueue"));
    assert!(!codes(xml, Role::ReferResponse).contains(&"refer_unsupported_enqueue"));
}

#[test]
fn builder_attribute_names_must_be_xml_names() {
    for bad in ["1abc", "-a", "", "a b", "a=b"] {
        let mut b = Builder::new();
        let e = b.call(Builder::ROOT, "dial", vec![(bad.to_string(), Some("1".to_string()))], None).unwrap_err();
        assert_eq!(e.code, "invalid_name", "{bad:?}");
    }
    for good in ["a", "_a", "x:y", "a-b.c", "Ünïcode"] {
        let mut b = Builder::new();
        assert!(b.call(Builder::ROOT, "dial", vec![(good.to_string(), Some("1".to_string()))], None).is_ok(), "{good:?}");
    }
}

#[test]
fn attribute_spans_cover_name_and_quoted_value() {
    // (document, attribute, its text in the document)
    let cases: &[(&str, &str, &str)] = &[
        ("<Response><Dial foo=\"1\"/></Response>", "foo", "foo=\"1\""),
        ("<Response><Dial timeout=\"5\" foo = 'xy'/></Response>", "foo", "foo = 'xy'"),
        ("<Response><Dial afoo=\"2\" foo=\"3\"/></Response>", "foo", "foo=\"3\""),
        ("<Response><Dial\n  bar=\"abc\"></Dial></Response>", "bar", "bar=\"abc\""),
    ];
    for &(xml, name, text) in cases {
        let p = parse(xml);
        let d = p
            .diagnostics
            .iter()
            .find(|d| d.code == "unknown_attribute" && d.message.contains(&format!("`{name}`")))
            .unwrap_or_else(|| panic!("{xml}: {:?}", p.diagnostics));
        assert_eq!(&xml[d.span.start..d.span.end], text, "{xml}");
    }
}

#[test]
fn whole_number_attributes_take_digits_only() {
    // (value, message's expectation); "+5" and "" would pass or fail differently in Rust's parser.
    let cases: &[(&str, &str)] = &[
        ("+5", "expected a whole number"),
        ("", "expected a whole number"),
        ("12a", "expected a whole number"),
        ("4294967296", "expected a whole number below 4294967296"),
    ];
    for &(value, expected) in cases {
        let xml = format!("<Response><Dial timeout=\"{value}\"><Number>+15550001111</Number></Dial></Response>");
        let p = parse(&xml);
        let d =
            p.diagnostics.iter().find(|d| d.code == "not_a_number").unwrap_or_else(|| panic!("{value:?}: {:?}", p.diagnostics));
        assert_eq!(
            d.message,
            format!("<Dial> timeout=\"{value}\": {expected}; Twilio warns 13212 and runs the document (refer-sim then uses the attribute's default, assumed)"),
            "{value:?}"
        );
        assert_eq!(d.vendor_code, Some(13212), "{value:?}");
    }
}

#[test]
fn numbers_print_as_javascript_string_does() {
    use refer_sim::twiml::builder::js_number;
    let cases: &[(f64, &str)] = &[
        (f64::NAN, "NaN"),
        (f64::INFINITY, "Infinity"),
        (f64::NEG_INFINITY, "-Infinity"),
        (0.0, "0"),
        (-0.0, "0"),
        (3.0, "3"),
        (-7.0, "-7"),
        (1.5, "1.5"),
        (-2.25, "-2.25"),
        (1e20, "100000000000000000000"),
    ];
    for &(f, s) in cases {
        assert_eq!(js_number(f), s, "{f:?}");
    }
}

#[test]
fn javascript_arguments_convert_as_twilio_node_converts_them() {
    use refer_sim::twiml::builder::{attr_string, js_string, JsArg};
    let t = |s: &str| JsArg::Text(s.to_string());
    let list = JsArg::List(vec![t("a"), JsArg::Null, t("b")]);
    assert_eq!(attr_string(&list), Some("a  b".to_string()));
    assert_eq!(js_string(&list), "a,,b");
    assert_eq!(attr_string(&JsArg::Null), None);
    assert_eq!(attr_string(&t("x")), Some("x".to_string()));
    assert_eq!(js_string(&JsArg::Null), "null");
    assert_eq!(js_string(&JsArg::Object), "[object Object]");
    assert_eq!(js_string(&JsArg::List(vec![])), "");
    assert_eq!(js_string(&JsArg::List(vec![t("one")])), "one");

    let json: serde_json::Value = serde_json::from_str("[true, 2.5, 4, \"s\", null, {}]").unwrap();
    assert_eq!(JsArg::from_json(&json), JsArg::List(vec![t("true"), t("2.5"), t("4"), t("s"), JsArg::Null, JsArg::Object]));
}

#[test]
fn arrays_nested_deeper_than_max_depth_are_cut_to_null() {
    use refer_sim::twiml::builder::JsArg;
    let depth = JsArg::MAX_DEPTH + 3;
    let json: serde_json::Value = serde_json::from_str(&format!("{}1{}", "[".repeat(depth), "]".repeat(depth))).unwrap();
    let mut arg = &JsArg::from_json(&json);
    let mut lists = 0;
    while let JsArg::List(items) = arg {
        lists += 1;
        assert_eq!(items.len(), 1);
        arg = &items[0];
    }
    assert_eq!(lists, JsArg::MAX_DEPTH);
    assert_eq!(*arg, JsArg::Null);
}

#[test]
fn an_unmodelled_verb_is_not_simulated_only_where_a_verb_belongs() {
    let p = parse("<Response><Connect/></Response>");
    assert!(
        p.diagnostics.iter().any(|d| d.code == "not_simulated" && d.tag.as_deref() == Some("Connect")),
        "{:?}",
        p.diagnostics
    );
    let p = parse("<Response><Gather><Connect/></Gather></Response>");
    let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["unknown_element"], "{:?}", p.diagnostics);
    let p = parse("<Response><Dial><WhatsApp>1</WhatsApp></Dial></Response>");
    assert!(p.diagnostics.iter().any(|d| d.code == "not_simulated"), "{:?}", p.diagnostics);
    let p = parse("<Response><Gather><WhatsApp>1</WhatsApp></Gather></Response>");
    assert!(p.diagnostics.iter().all(|d| d.code != "not_simulated"), "{:?}", p.diagnostics);
    let p = parse("<Response><Dial><Foo/></Dial></Response>");
    let codes: Vec<_> = p.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["unknown_element"], "{:?}", p.diagnostics);
}

#[test]
fn dial_attribute_accessors_give_the_written_value_or_the_documented_default() {
    let dial = |xml: &str| {
        let r = parse(xml).response.expect("model");
        match r.children.into_iter().next() {
            Some(Verb::Dial(d)) => d,
            other => panic!("{other:?}"),
        }
    };
    let d = dial("<Response><Dial>+15550001111</Dial></Response>");
    assert_eq!(
        (d.refer_method_or_default(), d.method_or_default(), d.timeout_or_default(), d.time_limit_or_default()),
        (Method::Post, Method::Post, 30, 14_400)
    );
    assert_eq!((d.answer_on_bridge_or_default(), d.hangup_on_star_or_default()), (false, false));
    let d = dial(
        "<Response><Dial referMethod=\"GET\" method=\"GET\" timeout=\"12\" timeLimit=\"600\" answerOnBridge=\"true\" hangupOnStar=\"true\">+15550001111</Dial></Response>",
    );
    assert_eq!(
        (d.refer_method_or_default(), d.method_or_default(), d.timeout_or_default(), d.time_limit_or_default()),
        (Method::Get, Method::Get, 12, 600)
    );
    assert_eq!((d.answer_on_bridge_or_default(), d.hangup_on_star_or_default()), (true, true));
}

#[test]
fn a_number_written_as_dial_text_is_read_trimmed() {
    let dial = |xml: &str| match parse(xml).response.expect("model").children.into_iter().next() {
        Some(Verb::Dial(d)) => d,
        other => panic!("{other:?}"),
    };
    assert_eq!(dial("<Response><Dial>\n  +15550001111 \n</Dial></Response>").text_number().as_deref(), Some("+15550001111"));
    assert_eq!(dial("<Response><Dial><Sip>sip:a@b.com</Sip></Dial></Response>").text_number(), None);
    assert_eq!(dial("<Response><Dial> </Dial></Response>").text_number(), None);
    let d = dial("<Response><Dial>+1555<Number>+1666</Number>0001111</Dial></Response>");
    assert_eq!(d.text_number().as_deref(), Some("+15550001111"));
    assert_eq!(d.nouns().count(), 1);
}

#[test]
fn roles_are_named_as_the_bindings_name_them() {
    assert_eq!(Role::from_name("initial"), Some(Role::Initial));
    for name in ["referResponse", "refer_response", "refer-response"] {
        assert_eq!(Role::from_name(name), Some(Role::ReferResponse), "{name}");
    }
    assert_eq!(Role::from_name("Initial"), None);
    assert_eq!(Role::from_name(""), None);
}

#[test]
fn ten_nouns_are_allowed_and_eleven_are_not() {
    let doc = |nouns: String| format!("<Response><Dial referUrl=\"https://e.com/r\">{nouns}</Dial></Response>");
    let numbers = |n: usize| (0..n).map(|i| format!("<Number>+1555000{i:04}</Number>")).collect::<String>();
    let sips = |n: usize| (0..n).map(|i| format!("<Sip>sip:a{i}@example.com</Sip>")).collect::<String>();
    let c = codes(&doc(numbers(10)), Role::Initial);
    assert!(!c.contains(&"too_many_numbers") && !c.contains(&"too_many_nouns"), "{c:?}");
    assert!(c.contains(&"several_nouns"), "{c:?}");
    let c = codes(&doc(numbers(11)), Role::Initial);
    assert!(c.contains(&"too_many_numbers") && !c.contains(&"too_many_nouns"), "{c:?}");
    let c = codes(&doc(sips(10)), Role::Initial);
    assert!(!c.contains(&"too_many_nouns"), "{c:?}");
    let c = codes(&doc(sips(11)), Role::Initial);
    assert!(c.contains(&"too_many_nouns") && !c.contains(&"too_many_numbers"), "{c:?}");
    let one = codes(&doc(sips(1)), Role::Initial);
    assert!(!one.contains(&"several_nouns"), "{one:?}");
    // A number written as text counts as a target too.
    let c = codes(
        "<Response><Dial referUrl=\"https://e.com/r\">+15550001111<Sip>sip:a@example.com</Sip></Dial></Response>",
        Role::Initial,
    );
    assert!(c.contains(&"several_nouns"), "{c:?}");
}

#[test]
fn an_undialable_noun_is_reported_at_the_noun() {
    let xml =
        "<Response>\n  <Dial referUrl=\"https://e.com/r\">\n    <Number>sip:AgentB@example.com</Number>\n  </Dial>\n</Response>";
    let ds = check_transfer(xml, Role::Initial);
    let d = ds.iter().find(|d| d.code == "sip_uri_in_number").unwrap_or_else(|| panic!("{ds:?}"));
    assert_eq!((d.line, d.column, d.tag.as_deref()), (3, 5, Some("Number")));
    assert!(xml[d.span.start..d.span.end].starts_with("<Number>"), "{:?}", d.span);
}

#[test]
fn sim_is_a_dial_noun_and_refer_keeps_unknown_elements_unknown() {
    let p = parse("<Response><Dial><Sim>DE8e2e1</Sim></Dial></Response>");
    assert!(p.diagnostics.iter().all(|d| d.code != "unknown_element"), "{:?}", p.diagnostics);
    let Some(Verb::Dial(d)) = p.response.expect("model").children.into_iter().next() else { panic!() };
    assert!(matches!(d.children.as_slice(), [DialChild::Sim(_)]), "{:?}", d.children);

    let p = parse("<Response><Refer><Foo/></Refer></Response>");
    assert!(p.diagnostics.iter().any(|d| d.code == "unknown_element" && d.tag.as_deref() == Some("Foo")), "{:?}", p.diagnostics);
    let Some(Verb::Refer(r)) = p.response.expect("model").children.into_iter().next() else { panic!() };
    assert!(matches!(r.children.as_slice(), [ReferChild::Unknown(e)] if e.name == "Foo"), "{:?}", r.children);
}

#[test]
fn gather_keeps_text_but_not_whitespace() {
    // (document, unexpected_text reported, the children as Say or Text)
    let cases: &[(&str, bool, &[&str])] = &[
        ("<Response><Gather>\n  <Say>a</Say>\n</Gather></Response>", false, &["Say"]),
        ("<Response><Gather>press 1<Say>a</Say></Gather></Response>", true, &["Text press 1", "Say"]),
    ];
    for &(xml, reported, children) in cases {
        let p = parse(xml);
        assert_eq!(
            p.diagnostics.iter().any(|d| d.code == "unexpected_text" && d.tag.as_deref() == Some("Gather")),
            reported,
            "{xml}"
        );
        let Some(Verb::Gather(g)) = p.response.expect("model").children.into_iter().next() else { panic!() };
        let kinds: Vec<String> = g
            .children
            .iter()
            .map(|c| match c {
                GatherChild::Say(_) => "Say".to_string(),
                GatherChild::Text(t) => format!("Text {}", t.value),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(kinds, children, "{xml}");
    }
}

#[test]
fn builder_refuses_characters_xml_cannot_hold_and_says_which() {
    let mut b = Builder::new();
    let e = b.call(Builder::ROOT, "say", vec![], Some("a\u{0}b".to_string())).unwrap_err();
    assert_eq!((e.code, e.message.as_str()), ("invalid_char", "Invalid character in string: U+0000 at index 1"));
    assert_eq!(e.to_string(), "invalid_char: Invalid character in string: U+0000 at index 1");
    let say = b.call(Builder::ROOT, "say", vec![], Some("tab\tand é".to_string())).unwrap();
    assert_eq!(b.add_text(say, "\u{FFFE}").unwrap_err().code, "invalid_char");
    assert!(b.add_text(say, "\u{10000}\r\n").is_ok());
}

#[test]
fn no_dial_is_reported_only_without_a_dial() {
    use refer_sim::twiml::check::{check_initial, check_refer_response};
    let with =
        "<Response><Dial referUrl=\"https://e.com/r\" answerOnBridge=\"true\"><Sip>sip:a@example.com</Sip></Dial></Response>";
    let without = "<Response><Say>hi</Say></Response>";
    let codes_of = |ds: Vec<refer_sim::twiml::Diagnostic>| ds.iter().map(|d| d.code).collect::<Vec<_>>();
    assert!(!codes_of(check_initial(with)).contains(&"no_dial"));
    assert!(codes_of(check_initial(without)).contains(&"no_dial"));
    assert_eq!(check_initial(with), check_transfer(with, Role::Initial));
    assert!(!codes_of(check_refer_response(with)).contains(&"refer_response_without_dial"));
    assert!(codes_of(check_refer_response(without)).contains(&"refer_response_without_dial"));
    assert_eq!(check_refer_response(without), check_transfer(without, Role::ReferResponse));
}

#[test]
fn skipped_after_transfer_names_only_the_verbs_after_the_dial() {
    let dial = "<Dial referUrl=\"https://e.com/r\" answerOnBridge=\"true\"><Sip>sip:a@example.com</Sip></Dial>";
    let alone = format!("<Response>{dial}</Response>");
    assert!(!codes(&alone, Role::Initial).contains(&"skipped_after_transfer"), "{:?}", codes(&alone, Role::Initial));
    let xml = format!("<Response>{dial}<Say>bye</Say> stray text <Hangup/></Response>");
    let ds = check_transfer(&xml, Role::Initial);
    let d = ds.iter().find(|d| d.code == "skipped_after_transfer").unwrap_or_else(|| panic!("{ds:?}"));
    assert!(d.message.contains("the verbs after it (<Say>, <Hangup>) never run"), "{}", d.message);
}

#[test]
fn dial_and_refer_checks_fire_only_on_their_condition() {
    // (document, code, expected present)
    let sip = |uri: &str| {
        format!("<Response><Dial referUrl=\"https://e.com/r\" answerOnBridge=\"true\"><Sip>{uri}</Sip></Dial></Response>")
    };
    let cases: Vec<(String, &str, bool)> = vec![
        (sip("sip:a@example.com;transport=sctp"), "bad_sip_transport", true),
        (sip("sip:a@example.com;transport=TCP"), "bad_sip_transport", false),
        (sip("sip:a@example.com;foo=bar"), "bad_sip_transport", false),
        (
            "<Response><Dial referUrl=\"https://e.com/r\" timeout=\"3\"><Sip>sip:a@example.com</Sip></Dial></Response>".into(),
            "timeout_clamped",
            true,
        ),
        (
            "<Response><Dial referUrl=\"https://e.com/r\" timeout=\"30\"><Sip>sip:a@example.com</Sip></Dial></Response>".into(),
            "timeout_clamped",
            false,
        ),
        ("<Response><Refer><Sip>sip:b@example.com</Sip></Refer></Response>".into(), "refer_without_sip", false),
        ("<Response><Refer></Refer></Response>".into(), "refer_without_sip", true),
        // Without referUrl no transfer can happen, so nothing after the <Dial> is skipped.
        ("<Response><Dial><Sip>sip:a@example.com</Sip></Dial><Say>bye</Say></Response>".into(), "skipped_after_transfer", false),
    ];
    for (xml, code, present) in cases {
        assert_eq!(codes(&xml, Role::Initial).contains(&code), present, "{xml}: {:?}", codes(&xml, Role::Initial));
    }
}

#[test]
fn an_empty_address_is_answered_with_an_example_of_its_own_kind() {
    use refer_sim::twiml::check::{undialable, Noun};
    let sip = undialable(Noun::Sip, "  ").expect("empty");
    assert_eq!(
        (sip.code, sip.fix.as_str()),
        ("empty_address", "write the address to call, such as sip:AgentB@example.sip.twilio.com")
    );
    let number = undialable(Noun::Number, "").expect("empty");
    assert_eq!((number.code, number.fix.as_str()), ("empty_address", "write the address to call, such as +14155550100"));
}

#[test]
fn a_sip_or_sips_address_in_angle_brackets_in_number_points_to_sip() {
    use refer_sim::twiml::check::{undialable, Noun};
    for uri in ["sip:a@example.com", "SIPS:a@example.com"] {
        let bad = undialable(Noun::Number, &format!("<{uri}>")).expect("undialable");
        assert_eq!((bad.code, bad.fix), ("angle_brackets", format!("strip the <>: this is a SIP address: use <Sip>{uri}</Sip>")));
    }
}

#[test]
fn a_number_must_be_digits_and_an_address_with_at_is_a_sip_address() {
    use refer_sim::twiml::check::{undialable, Noun};
    let bad = undialable(Noun::Number, "alice@example.com").expect("a SIP address");
    assert_eq!((bad.code, bad.fix.as_str()), ("sip_uri_in_number", "use <Sip>sip:alice@example.com</Sip>"));
    assert!(undialable(Noun::Number, "+1555abc").is_some());
    assert!(undialable(Noun::Number, "+1 (555) 000-1111").is_none());
}

#[test]
fn the_generic_tree_reads_attributes_text_and_spans() {
    use refer_sim::twiml::{parse_tree, write};
    let xml = "<Response><Say voice=\"alice\" loop=\"2\">hi <break/>there</Say></Response>";
    let (root, _) = parse_tree(xml);
    let root = root.expect("tree");
    let Some(Node::Element(say)) = root.children.first() else { panic!("{root:?}") };
    assert_eq!((say.attr("voice"), say.attr("loop"), say.attr("language")), (Some("alice"), Some("2"), None));
    assert_eq!(say.text(), "hi there");
    let spans: Vec<&str> = say.children.iter().map(|c| &xml[c.span().start..c.span().end]).collect();
    assert_eq!(spans, ["hi ", "<break/>", "there"]);
    let r = parse(xml).response.expect("model");
    assert_eq!(r.to_string(), write(&r));
    assert!(r.to_string().contains("<Say voice=\"alice\" loop=\"2\">hi <break/>there</Say>"), "{r}");
}

#[test]
fn a_document_of_exactly_max_input_bytes_is_read() {
    use refer_sim::twiml::MAX_INPUT_BYTES;
    let body = "<Response></Response>";
    let xml = format!("<Response>{}</Response>", " ".repeat(MAX_INPUT_BYTES - body.len()));
    assert_eq!(xml.len(), MAX_INPUT_BYTES);
    assert!(parse(&xml).diagnostics.iter().all(|d| d.code != "too_large"));
    let xml = format!("{xml} ");
    assert_eq!(parse(&xml).diagnostics.iter().map(|d| d.code).collect::<Vec<_>>(), ["too_large"]);
}

#[test]
fn element_names_follow_xml_name_rules() {
    for name in ["_a", "a:b", "é", "a-b", "a.b", "a1", "éx-1"] {
        let p = parse(&format!("<Response><{name}/></Response>"));
        assert!(p.diagnostics.iter().all(|d| d.code != "xml_malformed"), "{name}: {:?}", p.diagnostics);
    }
    for name in ["-a", "1a", ".a"] {
        let p = parse(&format!("<Response><{name}/></Response>"));
        assert!(p.diagnostics.iter().any(|d| d.code == "xml_malformed"), "{name}: {:?}", p.diagnostics);
    }
}

#[test]
fn a_noun_without_status_callback_attributes_gets_no_callback_warning() {
    for noun in [
        "<Sip>sip:b@c.com</Sip>",
        "<Number>+14155550100</Number>",
        "<Client>alice</Client>",
        r#"<Sip statusCallbackEvent="">sip:b@c.com</Sip>"#,
    ] {
        let got = codes(&format!("<Response><Dial>{noun}</Dial></Response>"), Role::ReferResponse);
        assert!(!got.contains(&"status_callback_events_without_url"), "{noun}: {got:?}");
    }
    let got =
        codes(r#"<Response><Dial><Sip statusCallbackEvent="completed">sip:b@c.com</Sip></Dial></Response>"#, Role::ReferResponse);
    assert!(got.contains(&"status_callback_events_without_url"), "{got:?}");
}

#[test]
fn post_is_a_documented_method() {
    // Kills the deleted "POST" arm of Method::parse_attr: method="POST" would warn 12200.
    let p = parse("<Response><Dial method=\"POST\" referMethod=\"POST\"><Number>+14155550100</Number></Dial></Response>");
    assert!(p.diagnostics.is_empty(), "{:?}", p.diagnostics);
    let dial = p.response.expect("a document").dials().next().cloned().expect("a <Dial>");
    assert_eq!((dial.method, dial.refer_method), (Some(Method::Post), Some(Method::Post)));
}

#[test]
fn an_attribute_named_like_the_end_of_its_tag_is_found_after_the_name() {
    // The search for an attribute's span starts after `<Dial`: `l` is found at column 17, not
    // inside "Dial" at column 15 (an attribute needs whitespace before it, so a search started
    // one byte earlier finds the same: that mutant is in tests/mutants-accepted.md).
    let p = parse("<Response><Dial l=\"1\"/></Response>");
    let d = p.diagnostics.iter().find(|d| d.code == "unknown_attribute").expect("a warning");
    assert_eq!((d.line, d.column, d.span.start), (1, 17, 16), "{d:?}");
}

#[test]
fn a_document_read_differently_twice_says_so() {
    // `ParsedView::write_compact`'s error for a text that reads differently the second time
    // (reading is deterministic, so no document gives it): its words, as a caller would print them.
    let e = refer_sim::twiml::ReadAgainError;
    assert_eq!(e.to_string(), "the document read differently the second time");
    let boxed: Box<dyn std::error::Error> = Box::new(e);
    assert_eq!(boxed.to_string(), "the document read differently the second time");
}

/// `timeout_clamped` is about `<Dial timeout>` only: another element's `timeout` (`<Gather>`'s
/// 5 s default, `<Record>`'s) and another whole-number attribute of `<Dial>` (`timeLimit`) are
/// not rung for, so nothing is clamped (kills `&& -> ||` in `Lower::value`).
#[test]
fn only_a_dial_timeout_is_clamped() {
    let xml = "<Response><Gather timeout=\"700\"><Say>a</Say></Gather><Record timeout=\"1\"/>\
               <Dial timeLimit=\"3\" referUrl=\"https://example.com/r\"><Sip>sip:b@example.com</Sip></Dial></Response>";
    let p = parse(xml);
    assert!(p.diagnostics.iter().all(|d| d.code != "timeout_clamped"), "{:#?}", p.diagnostics);
    let p = parse(
        "<Response><Dial timeout=\"700\" referUrl=\"https://example.com/r\"><Sip>sip:b@example.com</Sip></Dial></Response>",
    );
    let d = p.diagnostics.iter().find(|d| d.code == "timeout_clamped").expect("timeout_clamped");
    assert!(d.message.starts_with("<Dial> timeout=\"700\""), "{}", d.message);
}
