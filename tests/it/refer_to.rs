//! Refer-To parsing, as tables: RFC 3261 and RFC 4475/5118 vectors, the
//! vendor's example, and malformed values with their code and byte offset.
//! Runs natively and, through wasm-bindgen-test, in Node and Chromium.
#![allow(clippy::type_complexity)] // the vector tables are tuples, one case a line

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::sip::{parse_refer_to, parse_uri, Form, Host, Scheme, MAX_URI_BYTES};

const SEED: &str = "sip:AgentA@xyz.sip.us1.twilio.com?User-to-User=123456789%3Bencoding%3Dhex&X-Name=Agent%2C+A";

/// (source, input, display name, user, host, port)
#[rustfmt::skip]
const VALID: &[(&str, &str, Option<&str>, Option<&str>, &str, Option<u16>)] = &[
    ("RFC 3515 §2.1 example", "sip:bob@biloxi.example.net", None, Some("bob"), "biloxi.example.net", None),
    ("RFC 3261 §20.10 name-addr", "\"A. G. Bell\" <sip:agb@bell-telephone.com>", Some("A. G. Bell"), Some("agb"), "bell-telephone.com", None),
    ("RFC 3261 §20.39 To", "The Operator <sip:operator@cs.columbia.edu>", Some("The Operator"), Some("operator"), "cs.columbia.edu", None),
    ("RFC 3261 §19.1.3 port and transport", "<sip:alice@atlanta.com:5060;transport=tcp>", None, Some("alice"), "atlanta.com", Some(5060)),
    ("RFC 3261 §19.1.3 password", "<sip:alice:secretword@atlanta.com;transport=tcp>", None, Some("alice"), "atlanta.com", None),
    ("RFC 3261 §19.1.3 sips with headers", "<sips:alice@atlanta.com?subject=project%20x&priority=urgent>", None, Some("alice"), "atlanta.com", None),
    ("RFC 3261 §19.1.3 telephone-subscriber user", "<sip:+1-212-555-1212:1234@gateway.com;user=phone>", None, Some("+1-212-555-1212"), "gateway.com", None),
    ("RFC 3261 §19.1.3 IPv4 host", "<sips:1212@gateway.com>", None, Some("1212"), "gateway.com", None),
    ("RFC 3261 §19.1.3 maddr", "<sip:alice@192.0.2.4>", None, Some("alice"), "192.0.2.4", None),
    ("RFC 3261 §19.1.3 no user", "<sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com>", None, None, "atlanta.com", None),
    ("RFC 3261 §19.1.3 user with ;", "<sip:alice;day=tuesday@atlanta.com>", None, Some("alice;day=tuesday"), "atlanta.com", None),
    ("RFC 4475 §3.1.1.3 esc01 escaped user", "<sip:sips%3Auser%40example.com@example.net>", None, Some("sips:user@example.com"), "example.net", None),
    ("RFC 4475 §3.1.1.3 esc01 escaped letters", "<sip:%75se%72@example.com>", None, Some("user"), "example.com", None),
    ("RFC 4475 §3.1.1.4 escnull", "<sip:null-%00-null@example.com>", None, Some("null-\u{0}-null"), "example.com", None),
    ("RFC 4475 §3.1.1.6 lwsdisp", "caller<sip:caller@example.com>", Some("caller"), Some("caller"), "example.com", None),
    ("RFC 4475 §3.1.1.13 semiuri", "<sip:user;par=u%40example.net@example.com>", None, Some("user;par=u@example.net"), "example.com", None),
    ("RFC 4475 §3.1.1.2 intmeth user and password", "<sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com>", None, Some("1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"), "example.com", None),
    ("RFC 4475 §3.1.1.1 wsinv unknown param", "<sip:vivekg@chair-dnrc.example.com;unknownparam>", None, Some("vivekg"), "chair-dnrc.example.com", None),
    ("RFC 4475 §3.1.1.1 wsinv host only", "<sip:wsinv.example.com>", None, None, "wsinv.example.com", None),
    ("RFC 4475 §3.1.2.? escruri escaped Route header", "<sip:user@example.com?Route=%3Csip:sip.example.com%3E>", None, Some("user"), "example.com", None),
    ("RFC 5118 §4.1 IPv6", "<sip:[2001:db8::10]>", None, None, "[2001:db8::10]", None),
    ("RFC 5118 §4.2 IPv6 with port", "<sip:[2001:db8::10]:5070>", None, None, "[2001:db8::10]", Some(5070)),
    ("RFC 5118 §4.3 IPv4-mapped IPv6", "<sip:[::ffff:192.0.2.1]>", None, None, "[::ffff:192.0.2.1]", None),
    ("RFC 5118 §4.4 bracket port ambiguity (valid syntax)", "<sip:[2001:db8::10:5070]>", None, None, "[2001:db8::10:5070]", None),
    ("fully qualified domain with trailing dot", "<sip:bob@example.com.>", None, Some("bob"), "example.com.", None),
    ("scheme is case-insensitive", "<SIP:Bob@Example.COM>", None, Some("Bob"), "Example.COM", None),
    ("surrounding whitespace", "  <sip:bob@example.com>\t", None, Some("bob"), "example.com", None),
    ("quoted display name, UTF-8", "\"Agénte B\" <sip:b@example.com>", Some("Agénte B"), Some("b"), "example.com", None),
    ("empty quoted display name", "\"\" <sip:b@example.com>", Some(""), Some("b"), "example.com", None),
    ("Twilio SIP domain target", "<sip:AgentB@example.sip.twilio.com>", None, Some("AgentB"), "example.sip.twilio.com", None),
];

#[test]
fn valid_vectors() {
    for (source, input, display, user, host, port) in VALID {
        let r = parse_refer_to(input).unwrap_or_else(|e| panic!("{source}: {input:?} should parse, got {e}"));
        assert_eq!(r.display_name.as_deref(), *display, "{source}: display name");
        assert_eq!(r.uri.user.as_deref(), *user, "{source}: user");
        assert_eq!(r.uri.host.as_ref().map(Host::to_string).as_deref(), Some(*host), "{source}: host");
        assert_eq!(r.uri.port, *port, "{source}: port");
        let again = parse_refer_to(&r.to_string()).unwrap_or_else(|e| panic!("{source}: reprint {} fails: {e}", r));
        assert_eq!((again.display_name, again.uri, again.params), (r.display_name, r.uri, r.params), "{source}: round trip");
    }
}

/// (why, input, code, byte offset)
#[rustfmt::skip]
const MALFORMED: &[(&str, &str, &str, usize)] = &[
    ("empty", "", "empty", 0),
    ("only whitespace", "   \t ", "empty", 0),
    ("CRLF header injection", "<sip:a@b.com>\r\nVia: x", "control_char", 13),
    ("NUL byte", "<sip:a@b.com>\u{0}", "control_char", 13),
    ("lone LF", "sip:a@b\n.com", "control_char", 7),
    ("http scheme", "http://example.com", "bad_scheme", 0),
    ("no scheme", "AgentB@example.com", "bad_scheme", 0),
    ("mailto scheme", "<mailto:b@example.com>", "bad_scheme", 1),
    ("RFC 4475 §3.3.? unkscm", "<nobodyKnowsThisScheme:totallyopaque>", "bad_scheme", 1),
    ("RFC 4475 badaspec: space after <", "\"Watson, Thomas\" < sip:t.watson@example.org >", "bad_scheme", 18),
    ("empty angle brackets", "<>", "bad_scheme", 1),
    ("scheme alone (trapped the module)", "sip", "bad_scheme", 3),
    ("sips alone", "sips", "bad_scheme", 4),
    ("tel alone", "tel", "bad_scheme", 3),
    ("upper-case scheme alone", "SIP", "bad_scheme", 3),
    ("scheme alone in angles", "<sip>", "bad_scheme", 4),
    ("scheme alone after a space", " sip", "bad_scheme", 4),
    ("scheme alone with a header param", "sip;x", "bad_scheme", 3),
    ("scheme alone after a display name", "N<sip>", "bad_scheme", 5),
    ("display name without <", "\"Agent B\" sip:b@example.com", "bad_display_name", 10),
    ("RFC 4475 baddn: unquoted comma", "Bell, Alexander <sip:a.g.bell@example.com>", "bad_display_name", 4),
    ("unquoted @ in display name", "agent@home <sip:b@example.com>", "bad_display_name", 5),
    ("RFC 4475 quotbal", "\"Mr. J. User <sip:j.user@example.com>", "unterminated_quote", 0),
    ("quote ends in backslash", "\"Agent\\", "unterminated_quote", 0),
    ("backslash escapes non-ASCII", "\"A\\é\" <sip:b@example.com>", "bad_display_name", 3),
    ("no closing >", "<sip:a@b.com", "unterminated_angle", 0),
    ("no closing > after name", "Agent <sip:a@b.com;lr", "unterminated_angle", 6),
    ("bad escape in user", "<sip:a%zz@b.com>", "bad_escape", 6),
    ("truncated escape at end of user", "<sip:a%4@b.com>", "bad_escape", 6),
    ("bad escape in header value", "<sip:a@b.com?X-A=1%G0>", "bad_escape", 18),
    ("bad escape in parameter", "<sip:a@b.com;x=%>", "bad_escape", 15),
    ("empty user", "<sip:@b.com>", "bad_user", 5),
    ("space in user", "<sip:a b@c.com>", "bad_user", 6),
    ("non-ASCII user", "<sip:agént@c.com>", "bad_user", 7),
    ("quote in password", "<sip:a:p\"w@c.com>", "bad_password", 8),
    ("space in host", "<sip:AgentB@exa mple.com>", "bad_host", 15),
    ("missing host", "<sip:a@>", "bad_host", 7),
    ("underscore in host", "<sip:a@ex_ample.com>", "bad_host", 9),
    ("label starts with hyphen", "<sip:a@-example.com>", "bad_host", 7),
    ("numeric top label", "<sip:a@example.123>", "bad_host", 15),
    ("empty label", "<sip:a@example..com>", "bad_host", 15),
    ("IPv4 out of range", "<sip:a@256.1.1.1>", "bad_host", 7),
    ("IPv4 too short", "<sip:a@10.0.1>", "bad_host", 7),
    ("RFC 5118 unbracketed IPv6", "<sip:[2001:db8:::192.0.2.1]>", "bad_host", 6),
    ("unclosed IPv6 bracket", "<sip:a@[2001:db8::1>", "bad_host", 7),
    ("RFC 5118 §4.5 IPv6 without brackets", "<sip:2001:db8::10>", "bad_host", 5),
    ("port above 65535", "<sip:a@b.com:99999>", "bad_port", 13),
    ("empty port", "<sip:a@b.com:>", "bad_port", 13),
    ("letters in port", "<sip:a@b.com:50x0>", "bad_port", 15),
    ("empty parameter name", "<sip:a@b.com;;lr>", "bad_param", 13),
    ("parameter with = but no value", "<sip:a@b.com;transport=>", "bad_param", 23),
    ("quote in parameter", "<sip:a@b.com;x=\"y\">", "bad_param", 15),
    ("header without =", "<sip:a@b.com?X-Name>", "bad_header", 13),
    ("empty header name", "<sip:a@b.com?=1>", "bad_header", 13),
    ("empty header after &", "<sip:a@b.com?X-A=1&>", "bad_header", 19),
    ("space in header value", "<sip:a@b.com?X-A=a b>", "bad_header", 18),
    ("tel without number", "<tel:>", "bad_tel", 5),
    ("tel with letters", "<tel:+1415CALLME>", "bad_tel", 10),
    ("tel local number without phone-context", "<tel:5550100>", "bad_tel", 5),
    ("tel with headers", "<tel:+14155550100?X-A=1>", "bad_tel", 17),
    ("two values", "<sip:a@b.com>, <sip:c@d.com>", "multiple_values", 13),
    ("two addr-specs", "sip:a@b.com, sip:c@d.com", "multiple_values", 11),
    ("text after >", "<sip:a@b.com> extra", "trailing_characters", 14),
    ("header param without name", "<sip:a@b.com>;=1", "bad_header_param", 14),
    ("header param with empty value", "<sip:a@b.com>;x=", "bad_header_param", 16),
    ("header param unterminated quoted value", "<sip:a@b.com>;x=\"abc", "unterminated_quote", 16),
];

#[test]
fn malformed_values_give_their_code_and_offset() {
    assert!(MALFORMED.len() >= 40);
    for (why, input, code, offset) in MALFORMED {
        match parse_refer_to(input) {
            Ok(r) => panic!("{why}: {input:?} should fail with {code}, parsed as {r}"),
            Err(e) => {
                assert_eq!((e.code.as_str(), e.offset), (*code, *offset), "{why}: {input:?} gave {e}");
                assert!(e.message.len() > 10, "{why}: a human message");
            }
        }
    }
}

#[test]
fn the_vendors_example_uui_and_custom_header() {
    let r = parse_refer_to(SEED).unwrap();
    assert_eq!(r.form, Form::AddrSpec);
    assert_eq!(r.transfer_target(), SEED);
    assert_eq!(r.uri.scheme, Scheme::Sip);
    assert_eq!(r.uri.user.as_deref(), Some("AgentA"));
    let headers: Vec<(&str, &str, &str)> =
        r.uri.headers.iter().map(|h| (h.name.as_str(), h.value.as_str(), h.raw_value.as_str())).collect();
    assert_eq!(
        headers,
        [("User-to-User", "123456789;encoding=hex", "123456789%3Bencoding%3Dhex"), ("X-Name", "Agent,+A", "Agent%2C+A")]
    );
    let uui = r.uui().unwrap();
    assert_eq!((uui.value.as_str(), uui.encoding.as_deref()), ("123456789", Some("hex")));
    let custom: Vec<&str> = r.custom_headers().map(|h| h.name.as_str()).collect();
    assert_eq!(custom, ["X-Name"]);
    let codes: Vec<&str> = r.warnings.iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["addr_spec_ambiguous", "uui_not_hex", "plus_is_literal"]);
    let plus = &r.warnings[2];
    assert_eq!(&SEED[plus.offset..plus.offset + 1], "+", "the warning points at the '+'");
    assert_eq!(&SEED[r.warnings[1].offset..r.warnings[1].offset + 12], "User-to-User");
    assert!(r.replaces().is_none());
}

#[test]
fn even_hex_uui_has_no_warning() {
    let r =
        parse_refer_to("<sip:b@example.com?User-to-User=56a390f3d2b7310023a2%3Bencoding%3Dhex%3Bpurpose%3Disdn-uui>").unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let uui = r.uui().unwrap();
    assert_eq!(uui.purpose.as_deref(), Some("isdn-uui"));
}

#[test]
fn replaces_is_an_attended_transfer_request() {
    let r = parse_refer_to("<sip:b@example.com?Replaces=12345%40host%3Bto-tag%3D1%3Bfrom-tag%3D2%3Bearly-only>").unwrap();
    let rep = r.replaces().unwrap();
    assert_eq!(
        (rep.call_id.as_str(), rep.to_tag.as_deref(), rep.from_tag.as_deref(), rep.early_only),
        ("12345@host", Some("1"), Some("2"), true)
    );
    assert_eq!(r.warnings[0].code.as_str(), "replaces_ignored");
}

#[test]
fn header_params_and_uri_params_are_kept_apart() {
    let r = parse_refer_to("\"Agent, \\\"B\\\"\" <sips:agentb:pw@[2001:db8::10]:5061;transport=tls;lr>;expires=60;x;q=\"a b\"")
        .unwrap();
    assert_eq!(r.display_name.as_deref(), Some("Agent, \"B\""));
    assert_eq!(r.uri.password.as_deref(), Some("pw"));
    assert!(matches!(r.uri.host, Some(Host::Ipv6(_))));
    assert_eq!(r.uri.param("transport"), Some(Some("tls")));
    assert_eq!(r.uri.param("lr"), Some(None));
    let header: Vec<(&str, Option<&str>)> = r.params.iter().map(|p| (p.name.as_str(), p.value.as_deref())).collect();
    assert_eq!(header, [("expires", Some("60")), ("x", None), ("q", Some("a b"))]);
}

#[test]
fn addr_spec_semicolons_are_header_params() {
    let r = parse_refer_to("sip:b@example.com;transport=tcp").unwrap();
    assert!(r.uri.params.is_empty());
    assert_eq!(r.params[0].name, "transport");
    assert_eq!(r.warnings[0].code.as_str(), "addr_spec_ambiguous");
}

#[test]
fn tel_uris() {
    let r = parse_refer_to("<tel:+1-415-555-0100;ext=12>").unwrap();
    assert_eq!((r.uri.scheme, r.uri.user.as_deref(), r.uri.host.as_ref()), (Scheme::Tel, Some("+1-415-555-0100"), None));
    assert_eq!(r.uri.param("ext"), Some(Some("12")));
    assert!(parse_uri("tel:5550100;phone-context=example.com").is_ok());
    assert_eq!(parse_refer_to("<tel:+14155550100>").unwrap().to_string(), "<tel:+14155550100>");
}

#[test]
fn the_256_character_limit_counts_characters() {
    let at_limit = format!("<sip:{}@example.com>", "a".repeat(256 - 18));
    assert_eq!(at_limit.chars().count(), 256);
    assert!(parse_refer_to(&at_limit).is_ok());
    let over = format!("<sip:{}@example.com>", "a".repeat(257 - 18));
    let e = parse_refer_to(&over).unwrap_err();
    assert_eq!((e.code.as_str(), e.offset), ("too_long", 256));
    assert!(e.message.contains("256") && e.message.contains("257"), "{}", e.message);
    // 200 two-byte characters are 400 bytes but only 200 characters.
    let wide = format!("\"{}\" <sip:b@example.com>", "é".repeat(200));
    assert!(parse_refer_to(&wide).is_ok());
}

#[test]
fn printing_escapes_what_needs_escaping() {
    let r = parse_refer_to("<sip:a%20b@example.com;x=%22?X-Q=1%262>").unwrap();
    assert_eq!(r.uri.user.as_deref(), Some("a b"));
    assert_eq!(r.uri.headers[0].value, "1&2");
    assert_eq!(r.to_string(), "<sip:a%20b@example.com;x=%22?X-Q=1%262>");
}

#[test]
fn errors_display_code_offset_and_message() {
    let e = parse_refer_to("<sip:a@b.com:99999>").unwrap_err();
    assert_eq!(e.to_string(), "bad_port at byte 13: port 99999 is above 65535");
}

/// Header names whose first character is two or three bytes long once decoded (the old
/// `name[..2]` cut a three-byte character and trapped the module when the result was shown).
/// (input, number of `X-` custom headers)
#[rustfmt::skip]
const MULTIBYTE_HEADER_NAMES: &[(&str, usize)] = &[
    ("<sip:a@b.com?%E2%82%ACab=1>", 0),         // '€' (three bytes) then "ab"
    ("<sip:a@b.com?%FFab=1>", 0),               // not UTF-8: U+FFFD (three bytes) then "ab"
    ("<sip:a@b.com?%C3%A9-x=1>", 0),            // 'é' (two bytes)
    ("<sip:a@b.com?X-%E2%82%AC=1&%E2%82%AC=2>", 1),
];

#[test]
fn custom_headers_with_multibyte_names_do_not_panic() {
    for (input, custom) in MULTIBYTE_HEADER_NAMES {
        let r = parse_refer_to(input).unwrap_or_else(|e| panic!("{input:?} should parse, got {e}"));
        assert_eq!(r.custom_headers().count(), *custom, "{input:?}");
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"customHeaders\""), "{input:?}: {json}");
    }
}

#[test]
fn a_uri_alone_has_a_length_limit() {
    let at_limit = format!("sip:a@b.com;x={}", "y".repeat(MAX_URI_BYTES - 14));
    assert_eq!(at_limit.len(), MAX_URI_BYTES);
    assert!(parse_uri(&at_limit).is_ok());
    let over = format!("{at_limit}y");
    let e = parse_uri(&over).unwrap_err();
    assert_eq!((e.code.as_str(), e.offset), ("too_long", MAX_URI_BYTES));
    assert!(e.message.contains("4097 bytes"), "{e}");
    // Ten megabytes are refused before any of it is read.
    let huge = format!("sip:{}@b.com", "a".repeat(10 << 20));
    assert_eq!(parse_uri(&huge).unwrap_err().code.as_str(), "too_long");
}

/// The control-character check reads eight bytes at a time before it searches: every control
/// byte (tab aside) at every position of a value, in each lane of a word and in the tail, is
/// `control_char` at its offset; tabs, DEL's neighbours and multi-byte characters are not.
#[test]
fn every_control_byte_at_every_position_is_found() {
    let base = "<sip:a@b.com;transport=tls>";
    let controls = (0u8..0x20).filter(|&b| b != b'\t').chain([0x7f]);
    for b in controls {
        for at in 0..=base.len() {
            let mut value = base.to_string();
            value.insert(at, char::from(b));
            let err = refer_sim::sip::parse_refer_to(&value).unwrap_err();
            assert_eq!((err.code.as_str(), err.offset), ("control_char", at), "{b:#04x} at {at}");
        }
    }
    // The check comes before any parsing, so any text shows it: runs of one letter (of every
    // length modulo 8, so the control byte also falls alone in a tail of one byte), letters whose
    // bytes leave the word test's other bits clear, so only the control byte can say "maybe".
    for n in 0..=17 {
        let base = "b".repeat(n);
        for b in (0u8..0x20).filter(|&b| b != b'\t').chain([0x7f]) {
            for at in 0..=base.len() {
                let mut value = base.clone();
                value.insert(at, char::from(b));
                let err = refer_sim::sip::parse_refer_to(&value).unwrap_err();
                assert_eq!((err.code.as_str(), err.offset), ("control_char", at), "{value:?}");
            }
        }
    }
    // Words of nothing but one control byte (a lane's neighbours are not always letters).
    for b in (0u8..0x20).filter(|&b| b != b'\t').chain([0x7f]) {
        for n in [8, 9, 16] {
            let value = char::from(b).to_string().repeat(n);
            let err = refer_sim::sip::parse_refer_to(&value).unwrap_err();
            assert_eq!((err.code.as_str(), err.offset), ("control_char", 0), "{value:?}");
        }
    }
    for clean in ["<sip:a@b.com>;x=\"\t~\u{80}é€😀\"", "\t<sip:a@b.com;x=~>\t", "<sip:a@b.com?X-A=%7F%1F>"] {
        let r = refer_sim::sip::parse_refer_to(clean);
        assert!(r.as_ref().map_or_else(|e| e.code.as_str() != "control_char", |_| true), "{clean:?}: {r:?}");
    }
}

#[test]
fn the_user_part_takes_exactly_rfc_3261s_characters_from_0x40_to_0x7e() {
    // user = 1*( unreserved / escaped / user-unreserved ): of the bytes 0x40..=0x7E (all but '@',
    // which ends the user part), letters, '_' and '~' are allowed; '[', '\', ']', '^', '`', '{',
    // '|' and '}' are refused where they stand (the character-class masks' upper half).
    for b in 0x41u8..=0x7E {
        let c = char::from(b);
        let text = format!("sip:a{c}b@example.com");
        let allowed = c.is_ascii_alphanumeric() || matches!(c, '_' | '~');
        match parse_uri(&text) {
            Ok(uri) => {
                assert!(allowed, "{text} was accepted");
                assert_eq!(uri.user.as_deref(), Some(format!("a{c}b").as_str()), "{text}");
            }
            Err(e) => {
                assert!(!allowed, "{text}: {e:?}");
                assert_eq!((e.code.as_str(), e.offset), ("bad_user", 5), "{text}");
            }
        }
    }
}
