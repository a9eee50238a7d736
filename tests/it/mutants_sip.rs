//! Tests written for mutants of `src/sip` that the other suites let through
//! (`make mutants`, scripts/mutants.sh): reason phrases, byte offsets of URI and
//! Refer-To errors, the characters error messages name, compact header names, the
//! notes and refusals of a pasted REFER, User-to-User parameters and printing.
use refer_sim::sip::message::{fnv, reason, Dialog, Message, Side};
use refer_sim::sip::{parse_refer_message, parse_refer_to, parse_uri, ErrorCode, MAX_MESSAGE_BYTES};

#[test]
fn every_status_code_the_simulator_writes_has_its_rfc_3261_reason_phrase() {
    let table: &[(u16, &str)] = &[
        (100, "Trying"),
        (180, "Ringing"),
        (200, "OK"),
        (202, "Accepted"),
        (400, "Bad Request"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (408, "Request Timeout"),
        (480, "Temporarily Unavailable"),
        (481, "Call/Transaction Does Not Exist"),
        (486, "Busy Here"),
        (487, "Request Terminated"),
        (488, "Not Acceptable Here"),
        (491, "Request Pending"),
        (500, "Server Internal Error"),
        (501, "Not Implemented"),
        (503, "Service Unavailable"),
        (600, "Busy Everywhere"),
        (603, "Decline"),
        (499, "Unknown"),
    ];
    for &(code, phrase) in table {
        assert_eq!(reason(code), phrase, "{code}");
    }
}

#[test]
fn uri_errors_point_at_the_offending_byte() {
    // (uri, code, byte offset)
    let cases: &[(&str, ErrorCode, usize)] = &[
        ("sip:a@[zz]", ErrorCode::BadHost, 7),
        ("sip:a@[::1", ErrorCode::BadHost, 6),
        ("sip:[zz]", ErrorCode::BadHost, 5),
        ("sip:alice:p w@b.com", ErrorCode::BadPassword, 11),
        ("sip:alice:pw@b.com?X=1&Y", ErrorCode::BadHeader, 23),
        ("sip:alice@b.com?X=1&Y=a b", ErrorCode::BadHeader, 23),
        ("sip:a@b.com:12x", ErrorCode::BadPort, 14),
        ("sip:a@b.com:", ErrorCode::BadPort, 12),
        ("sip:a@b.com:99999", ErrorCode::BadPort, 12),
        ("sip:a@b_c.com", ErrorCode::BadHost, 7),
        ("sip:@b.com", ErrorCode::BadUser, 4),
        // a later parameter: its offset counts the ones before it
        ("sip:a@b.com;x=1;=2", ErrorCode::BadParam, 16),
        ("sip:a@b.com;x=1;y=", ErrorCode::BadParam, 18),
        ("sip:a@b.com;x=1;y=%4", ErrorCode::BadEscape, 18),
        ("sip:a@b.com;lr;y=a\"", ErrorCode::BadParam, 18),
        ("sip:a@b.com;x=1;b\"=2", ErrorCode::BadParam, 17),
        // host labels: the offset of the label at fault
        ("sip:a@example-.com", ErrorCode::BadHost, 6),
        ("sip:a@b.-c.com", ErrorCode::BadHost, 8),
        ("sip:a@b.c.9z", ErrorCode::BadHost, 10),
        // tel: parameters keep bad_escape, other parameter errors are bad_tel
        ("tel:+1;x=%", ErrorCode::BadEscape, 9),
        ("tel:+1;x=\"", ErrorCode::BadTel, 9),
        ("tel:+1;;x", ErrorCode::BadTel, 7),
        ("tel:+1;a=1;=2", ErrorCode::BadTel, 11),
        // tel: no digit at all, a letter in a global number, a local number without context
        ("tel:+-().", ErrorCode::BadTel, 4),
        ("tel:-;phone-context=a.com", ErrorCode::BadTel, 4),
        ("tel:+1a", ErrorCode::BadTel, 6),
        ("tel:*67;ctx=a", ErrorCode::BadTel, 4),
    ];
    for &(uri, code, offset) in cases {
        let e = parse_uri(uri).expect_err(uri);
        assert_eq!((e.code, e.offset), (code, offset), "{uri}: {}", e.message);
    }
}

#[test]
fn refer_to_errors_inside_angle_brackets_count_from_the_start_of_the_value() {
    let e = parse_refer_to("<sip:a@[zz]>").expect_err("bad IPv6");
    assert_eq!((e.code, e.offset), (ErrorCode::BadHost, 8), "{}", e.message);
    let e = parse_refer_to("\"Bob\" <sip:b@x.com:7a>").expect_err("bad port");
    assert_eq!((e.code, e.offset), (ErrorCode::BadPort, 20), "{}", e.message);
}

#[test]
fn compact_and_refer_header_names_get_their_full_names() {
    // (as written, canonical): RFC 3261 §7.3.3's compact forms, RFC 3515's `r`, RFC 3892's `b`,
    // the headers a REFER is read for in any case, and names that stay as written.
    let names: &[(&str, &str)] = &[
        ("r", "Refer-To"),
        ("REFER-TO", "Refer-To"),
        ("b", "Referred-By"),
        ("referred-by", "Referred-By"),
        ("REFER-SUB", "Refer-Sub"),
        ("REPLACES", "Replaces"),
        ("i", "Call-ID"),
        ("call-id", "Call-ID"),
        ("f", "From"),
        ("t", "To"),
        ("m", "Contact"),
        ("v", "Via"),
        ("l", "Content-Length"),
        ("c", "Content-Type"),
        ("k", "Supported"),
        ("s", "Subject"),
        ("e", "Content-Encoding"),
        ("o", "Event"),
        ("u", "Allow-Events"),
        ("x", "Session-Expires"),
        ("X-Ticket", "X-Ticket"),
        ("max-forwards", "max-forwards"),
    ];
    let text: String = names.iter().map(|(n, _)| format!("{n}: 1\r\n")).collect();
    let m = parse_refer_message(&text).unwrap();
    let got: Vec<(&str, &str)> = m.headers.iter().map(|h| (h.name.as_str(), h.canonical.as_str())).collect();
    assert_eq!(got, names);
}

#[test]
fn a_message_of_exactly_the_limit_is_read() {
    let head = "Refer-To: <sip:a@b.com>\r\nX-Pad: ";
    let text = format!("{head}{}", "p".repeat(MAX_MESSAGE_BYTES - head.len()));
    assert_eq!(text.len(), MAX_MESSAGE_BYTES);
    let m = parse_refer_message(&text).unwrap();
    assert_eq!(m.custom_headers[0].1.len(), MAX_MESSAGE_BYTES - head.len());
}

#[test]
fn referred_by_notes_point_at_the_problem() {
    // A Referred-By that does not parse: the note points at the bad byte and names Referred-By.
    let text = "Refer-To: <sip:c@d.com>\r\nReferred-By: <sip:a@exa mple.com>\r\n";
    let m = parse_refer_message(text).unwrap();
    let note = &m.notes[0];
    assert_eq!((note.code, &text[note.offset..note.offset + 1]), ("bad_referred_by", " "));
    assert_eq!(note.message, "the Referred-By does not parse (bad_host at byte 10: a space cannot appear in a host name); Twilio does not act on it (assumed)");
    assert_eq!(m.referred_by.as_ref().map(|r| (r.raw.as_str(), r.parsed.is_none())), Some(("<sip:a@exa mple.com>", true)));
    // Over 256 characters: shown unparsed, with a note that says why.
    let long = format!("<sip:{}@b.com>", "a".repeat(300));
    let m = parse_refer_message(&format!("r: <sip:c@d.com>\nb: {long}\n")).unwrap();
    assert_eq!(m.notes[0].code, "bad_referred_by");
    assert!(m.notes[0].message.starts_with("the Referred-By value is long"), "{}", m.notes[0].message);
    // Two: the first is kept, the second gets a note at its value.
    let text = "r: <sip:c@d.com>\nb: <sip:one@a.com>\nb: <sip:two@a.com>\n";
    let m = parse_refer_message(text).unwrap();
    assert_eq!(m.referred_by.unwrap().parsed.unwrap().uri.user.as_deref(), Some("one"));
    let codes: Vec<(&str, &str)> = m.notes.iter().map(|n| (n.code, &text[n.offset..n.offset + 9])).collect();
    assert_eq!(codes, [("several_referred_by", "<sip:two@")]);
}

#[test]
fn a_refer_to_over_the_limit_is_an_assumed_refusal_and_a_bad_one_an_rfc_refusal() {
    let long = format!("<sip:{}@b.com>", "a".repeat(300));
    let m = parse_refer_message(&format!("r: {long}\n")).unwrap();
    let r = &m.refusals[0];
    assert_eq!((r.status, r.code, r.offset, r.tag.as_str()), (400, "too_long", 3 + 256, "assumed"));
    assert!(r.message.contains("(Twilio's REFER page)"), "{}", r.message);
    let m = parse_refer_message("r: <sip:a@b.com:x>\n").unwrap();
    let r = &m.refusals[0];
    assert_eq!((r.code, r.offset, r.tag.as_str()), ("bad_port", 16, "rfc"));
    assert!(r.message.starts_with("the Refer-To does not parse (bad_port at byte 13: "), "{}", r.message);
}

#[test]
fn only_names_longer_than_x_dash_are_custom_headers() {
    let m = parse_refer_message("r: <sip:a@b.com?X-=1&X-A=2&x-b=3>\nX-: 4\nX-C: 5\nXY: 6\n").unwrap();
    assert_eq!(m.custom_headers, [("X-C".to_string(), "5".to_string())]);
    let inside: Vec<&str> = m.refer_to.as_ref().unwrap().custom_headers().map(|h| h.name.as_str()).collect();
    assert_eq!(inside, ["X-A", "x-b"]);
}

#[test]
fn errors_name_the_character_they_found() {
    // (uri, the message's start): a space and a tab by name, a non-ASCII or control
    // character with its code point, other ASCII quoted as is.
    let cases: &[(&str, &str)] = &[
        ("sip:a b@c.com", "a space is not allowed in the user part"),
        ("sip:a\tb@c.com", "a tab is not allowed in the user part"),
        ("sip:agént@c.com", "'é' (U+00E9) is not allowed in the user part"),
        ("sip:a\u{1}b@c.com", "'\\u{1}' (U+0001) is not allowed in the user part"),
        ("sip:a\"b@c.com", "'\"' is not allowed in the user part"),
        ("sip:a@b.com;x=<", "'<' is not allowed in the parameter value"),
    ];
    for &(uri, start) in cases {
        let e = parse_uri(uri).expect_err(uri);
        assert!(e.message.starts_with(start), "{uri}: {}", e.message);
    }
    let e = parse_refer_to("<sip:a@b.com>;").unwrap_err();
    assert_eq!(e.message, "expected a parameter name or value, found the end of the value");
}

#[test]
fn user_to_user_parameters_are_read_by_name() {
    let r =
        parse_refer_to("<sip:b@x.com?User-to-User=00a1%3BENCODING%3Dhex%3B%20purpose%3Disdn-uui%3Bcontent%3Disdn-uui%3Bx%3D1>")
            .unwrap();
    let uui = r.uui().unwrap();
    assert_eq!(
        (uui.value.as_str(), uui.encoding.as_deref(), uui.purpose.as_deref(), uui.content.as_deref()),
        ("00a1", Some("hex"), Some("isdn-uui"), Some("isdn-uui"))
    );
    // Without encoding=hex, data that is not hex draws no warning.
    assert!(parse_refer_to("<sip:b@x.com?User-to-User=abc>").unwrap().warnings.is_empty());
}

#[test]
fn a_plain_addr_spec_has_no_warning_and_a_name_addr_prints_back() {
    assert!(parse_refer_to("sip:bob@example.com").unwrap().warnings.is_empty());
    // A '<' after the URI's ':' is not a name-addr's: the addr-spec ends at ';', the '<' is in a quoted value.
    let r = parse_refer_to("sip:a@b.com;p=\"<\"").unwrap();
    assert_eq!((r.display_name, r.params[0].value.as_deref()), (None, Some("<")));
    // Quotes and backslashes in a display name are escaped; an empty or spaced value is quoted.
    let written = "\"Agent \\\"B\\\" \\\\ 2\" <sip:b@x.com>;expires=60;q=\"a b\";e=\"\";h=[::1]";
    let r = parse_refer_to(written).unwrap();
    assert_eq!(r.display_name.as_deref(), Some("Agent \"B\" \\ 2"));
    assert_eq!(r.to_string(), written);
}

#[test]
fn whitespace_inside_the_angle_brackets_is_refused_where_it_is() {
    let e = parse_refer_to("<sip:a@b.com >").unwrap_err();
    assert_eq!((e.code, e.offset), (ErrorCode::BadScheme, 12));
    let e = parse_refer_to("< sip:a@b.com>").unwrap_err();
    assert_eq!((e.code, e.offset), (ErrorCode::BadScheme, 1));
}

#[test]
fn host_labels_and_tel_numbers_that_parse() {
    for ok in ["sip:a@1und1.de", "sip:a@a-b.c-d.com", "sip:a@x.y.z.com."] {
        assert!(parse_uri(ok).is_ok(), "{ok}");
    }
    for ok in [
        "tel:+1-(415).555",
        "tel:*67;phone-context=a.com",
        "tel:#1;phone-context=a.com",
        "tel:#;phone-context=a.com",
        "tel:*;phone-context=a.com",
        "tel:ab;PHONE-CONTEXT=a.com",
    ] {
        let u = parse_uri(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
        assert_eq!(u.to_string(), ok);
    }
}

#[test]
fn a_request_line_is_a_token_a_request_uri_and_the_version() {
    // Two spaces (an empty Request-URI), a fourth part, a method that is not a token: the
    // first line is no request line, nor a header line.
    for first in ["REFER  SIP/2.0", "REFER sip:a@b.com SIP/2.0 x", "REF@R sip:a@b.com SIP/2.0"] {
        let e = parse_refer_message(&format!("{first}\r\nr: <sip:a@b.com>\r\n")).unwrap_err();
        assert_eq!((e.code, e.offset), (ErrorCode::BadStartLine, 0), "{first}: {e}");
    }
}

#[test]
fn an_addr_spec_ends_at_the_first_semicolon_after_its_at_sign_or_scheme() {
    // A ';' ending the user part is the user's, not a header parameter.
    let r = parse_refer_to("sip:alice;@b.com").unwrap();
    assert_eq!((r.uri.user.as_deref(), r.params.len()), (Some("alice;"), 0));
    // Without '@', the search starts after the first ':': "sip;" is the (bad) scheme.
    let e = parse_refer_to("sip;:x").unwrap_err();
    assert_eq!((e.code, e.offset), (ErrorCode::BadScheme, 0), "{e}");
    // The ambiguity warning points at the ';' in the value as given, leading space included.
    let r = parse_refer_to(" sip:a@b.com;x=1").unwrap();
    assert_eq!(r.warnings.iter().map(|w| (w.code.as_str(), w.offset)).collect::<Vec<_>>(), [("addr_spec_ambiguous", 12)]);
}

#[test]
fn the_body_starts_after_a_blank_line_of_spaces() {
    let m = parse_refer_message("r: <sip:a@b.com>\n  \nhello").unwrap();
    assert_eq!(m.body.as_deref(), Some("hello"));
}

#[test]
fn a_cancel_repeats_the_to_of_the_invite_it_cancels() {
    // The party called Twilio (it has its tag), then Twilio sends an INVITE in that dialog:
    // its To carries the party's tag, and a CANCEL of it repeats that To (RFC 3261 §9.1).
    let mut d = Dialog::new("leg", "sip:twilio@example.com", "sip:bob@example.com", false);
    let to = |m: &Message| m.header("To").unwrap().to_string();
    let invite = d.request(Side::Twilio, "INVITE", &[], None);
    let cancel = d.request(Side::Twilio, "CANCEL", &[], None);
    assert!(to(&invite).contains(";tag="), "{}", to(&invite));
    assert_eq!(to(&cancel), to(&invite));
}

#[test]
fn an_indented_refer_without_a_banner_is_dedented() {
    let text = "  REFER sip:x@y SIP/2.0\n  r: <sip:a@b.com>\n";
    let m = parse_refer_message(text).unwrap();
    assert_eq!(m.refer_to.as_ref().map(|r| r.transfer_target()), Some("<sip:a@b.com>"));
    assert_eq!(&text[m.headers[0].offset..m.headers[0].offset + 5], "<sip:");
    let note = &m.notes[0];
    assert_eq!((note.code, note.offset), ("log_lines_skipped", 0));
    assert!(note.message.starts_with("0 line(s) before the REFER request line"), "{}", note.message);
}

#[test]
fn a_100_trying_carries_no_to_tag_and_the_next_response_does() {
    // RFC 3261 §8.2.6.2: every response but 100 carries the responder's To tag.
    let mut d = Dialog::new("leg", "sip:twilio@example.com", "sip:bob@example.com", true);
    d.request(Side::Twilio, "INVITE", &[], None);
    let to = |m: &Message| m.header("To").unwrap().to_string();
    let trying = d.response(Side::Party, 100, reason(100), "INVITE", &[], None);
    assert_eq!(to(&trying), "<sip:bob@example.com>");
    let ringing = d.response(Side::Party, 180, reason(180), "INVITE", &[], None);
    assert!(to(&ringing).starts_with("<sip:bob@example.com>;tag="), "{}", to(&ringing));
}

#[test]
fn via_branches_are_numbered_in_two_digits_or_more() {
    // Transactions 1-9 get a leading 0 (z9hG4bK<hash>01 .. 09); from the 10th on the number is
    // written as it is (no catalogue dialog reaches ten transactions).
    let mut d = Dialog::new("leg", "sip:twilio@example.com", "sip:bob@example.com", true);
    let via = |m: &Message| m.header("Via").unwrap().to_string();
    let vias: Vec<String> = (0..100).map(|_| via(&d.request(Side::Twilio, "NOTIFY", &[], None))).collect();
    let ends = |i: usize, n: &str| {
        let digits = vias[i].rsplit("z9hG4bK").next().unwrap();
        assert_eq!(&digits[8..], n, "transaction {}: {}", i + 1, vias[i]);
    };
    ends(0, "01");
    ends(8, "09");
    ends(9, "10");
    ends(10, "11");
    ends(98, "99");
    ends(99, "100");
}

#[test]
fn a_request_to_the_shortest_uri_is_written_whole() {
    // `ACK sip:a SIP/2.0`: method and Request-URI together are shorter than the start line's
    // fixed part (` ` and ` SIP/2.0`), which the text's capacity must add, not take away.
    let mut d = Dialog::new("leg", "sip:t", "sip:a", true);
    for method in ["ACK", "BYE"] {
        let message = refer_sim::transfer::SipMessage::new("Twilio", "a", d.request(Side::Twilio, method, &[], None));
        let text = message.text();
        assert!(text.starts_with(&format!("{method} sip:a SIP/2.0\r\n")), "{text}");
    }
}

#[test]
fn the_party_via_host_follows_its_uri() {
    // The party's Via sent-by is read once from its URI and read again when the URI changes.
    let mut d = Dialog::new("leg", "sip:twilio@example.com", "sip:bob@one.example.com", false);
    let via = |m: &Message| m.header("Via").unwrap().to_string();
    let first = via(&d.request(Side::Party, "INVITE", &[], None));
    assert!(first.starts_with("SIP/2.0/UDP one.example.com;"), "{first}");
    d.party_uri = "sip:bob@two.example.com:5070".into();
    let second = via(&d.request(Side::Party, "BYE", &[], None));
    assert!(second.starts_with("SIP/2.0/UDP two.example.com:5070;"), "{second}");
}

#[test]
fn dialog_identifiers_are_hex_digits_of_the_name_hash() {
    // Call-ID: the 16 hex digits of the leg name's FNV-1a hash at Twilio's host; Twilio's tag
    // and the party's (a party that called Twilio has one) 8 digits of halves of it, mixed.
    for name in ["leg", "caller", "target-2", ""] {
        let h = fnv(name);
        let d = Dialog::new(name, "sip:t@x", "sip:p@y", false);
        assert_eq!(d.call_id.as_str(), format!("{h:016x}@sip.twilio.invalid"), "{name}");
        assert_eq!(d.twilio_tag.as_str(), format!("{:08x}", (h >> 32) as u32 ^ 0x5a5a_5a5a), "{name}");
        assert_eq!(d.party_tag.as_deref(), Some(format!("{:08x}", h as u32 ^ 0x3c3c_3c3c).as_str()), "{name}");
        let mut called = Dialog::new(name, "sip:t@x", "sip:p@y", true);
        assert_eq!(called.party_tag, None, "{name}: a party Twilio calls has no tag until it answers");
        called.answered();
        assert_eq!(called.party_tag.as_deref(), Some(format!("{:08x}", fnv(&called.call_id) as u32).as_str()), "{name}");
    }
}

#[test]
fn a_message_reads_its_parts_from_its_text() {
    let mut d = Dialog::new("leg", "sip:twilio@example.com", "sip:bob@example.com", true);
    let body = "v=0\r\n";
    let invite = d.request(Side::Twilio, "INVITE", &[("Subject", "hi")], Some(("application/sdp", body)));
    let text = invite.text();
    assert!(
        text.starts_with("INVITE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP sip.twilio.invalid;branch=z9hG4bK"),
        "{text}"
    );
    assert_eq!(invite.first_line(), "INVITE sip:bob@example.com SIP/2.0");
    assert_eq!((invite.method(), invite.status(), invite.reason()), (Some("INVITE"), None, None));
    let names: Vec<&str> = invite.headers().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        ["Via", "Max-Forwards", "From", "To", "Call-ID", "CSeq", "Contact", "Subject", "Content-Type", "Content-Length"]
    );
    assert_eq!(invite.header("max-forwards"), Some("70"));
    assert_eq!(invite.header("cseq"), Some("1 INVITE"));
    assert_eq!(invite.header("Contact"), Some("<sip:twilio@example.com>"));
    assert_eq!(invite.header("Subject"), Some("hi"));
    assert_eq!(invite.header("Content-Length"), Some("5"));
    assert_eq!(invite.header("Route"), None);
    let b = invite.body().unwrap();
    assert_eq!((b.content_type, b.text), ("application/sdp", body));
    assert!(text.ends_with("Content-Length: 5\r\n\r\nv=0\r\n"), "{text}");
    for (name, value) in invite.headers() {
        assert!(text.contains(&format!("\r\n{name}: {value}\r\n")), "{name}");
    }
    let ok = d.response(Side::Party, 200, "OK", "INVITE", &[], None);
    assert_eq!(ok.first_line(), "SIP/2.0 200 OK");
    assert_eq!((ok.method(), ok.status(), ok.reason()), (None, Some(200), Some("OK")));
    assert_eq!(ok.header("Max-Forwards"), None, "a response carries no Max-Forwards");
    assert_eq!(ok.header("Contact"), Some("<sip:bob@example.com>"), "a 2xx to INVITE names the responder");
    assert_eq!(ok.body(), None);
    assert!(ok.text().ends_with("Content-Length: 0\r\n\r\n"), "{}", ok.text());
    assert_eq!(ok.headers().len(), 7);
    let again = d.clone().request(Side::Twilio, "BYE", &[], None);
    let bye = d.request(Side::Twilio, "BYE", &[], None);
    assert_eq!(again, bye, "the same message");
    assert_eq!(bye.text(), again.text());
    assert_ne!(bye, ok);
}

#[test]
fn a_sip_message_serializes_its_text_and_typed_parts() {
    // The fields, in this order, that the JS timeline carries (`SipMessage` in the TypeScript types).
    let mut d = Dialog::new("leg", "sip:t@x", "sip:p@y", true);
    d.request(Side::Twilio, "NOTIFY", &[], None);
    let ok = refer_sim::transfer::SipMessage::new("leg", "twilio", d.response(Side::Party, 200, "OK", "NOTIFY", &[], None));
    let call_id = d.call_id.to_string();
    let via = ok.header("Via").unwrap().to_string();
    let to = ok.header("To").unwrap().to_string();
    let json = serde_json::to_string(&ok).unwrap();
    let want = format!(
        r#"{{"from":"leg","to":"twilio","firstLine":"SIP/2.0 200 OK","text":{},"method":null,"status":200,"reason":"OK","headers":[["Via","{via}"],["From","<sip:t@x>;tag={}"],["To","{to}"],["Call-ID","{call_id}"],["CSeq","1 NOTIFY"],["Content-Length","0"]],"body":null}}"#,
        serde_json::to_string(ok.text()).unwrap(),
        d.twilio_tag
    );
    assert_eq!(json, want);
    let notify = refer_sim::transfer::SipMessage::new(
        "twilio",
        "leg",
        d.request(Side::Twilio, "NOTIFY", &[("Event", "refer")], Some(("message/sipfrag;version=2.0", "SIP/2.0 200 OK\r\n"))),
    );
    let json = serde_json::to_string(&notify).unwrap();
    assert!(json.contains(r#","method":"NOTIFY","status":null,"reason":null,"headers":[["Via","#), "{json}");
    assert!(json.ends_with(r#"]],"body":{"contentType":"message/sipfrag;version=2.0","text":"SIP/2.0 200 OK\r\n"}}"#), "{json}");
}

#[test]
fn via_branches_follow_the_call_id() {
    // The branch is `z9hG4bK`, the Call-ID's 32-bit FNV-1a hash in hex, the transaction number:
    // a Call-ID set on the dialog is hashed again.
    let mut d = Dialog::new("leg", "sip:t@x", "sip:p@y", true);
    let branch = |d: &mut Dialog| {
        let m = d.request(Side::Twilio, "OPTIONS", &[], None);
        m.header("Via").unwrap().split("z9hG4bK").nth(1).unwrap().to_string()
    };
    assert_eq!(branch(&mut d), format!("{:08x}01", fnv(&d.call_id) as u32));
    d.call_id = "other@example.com".into();
    assert_eq!(branch(&mut d), format!("{:08x}02", fnv("other@example.com") as u32));
}

/// The allocation counts, natively: on wasm32 the crate's module brings its own global allocator
/// (src/wasm/alloc.rs, which the wasm32 runs of these tests exercise), and a binary has one.
#[cfg(not(target_arch = "wasm32"))]
mod allocations {
    use super::*;

    /// The system allocator, counting this thread's allocations (reallocations included).
    struct Counting;

    thread_local! {
        static ALLOCATIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    unsafe impl std::alloc::GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
            ALLOCATIONS.with(|c| c.set(c.get() + 1));
            unsafe { std::alloc::System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
            unsafe { std::alloc::System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
            ALLOCATIONS.with(|c| c.set(c.get() + 1));
            unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static GLOBAL: Counting = Counting;

    /// `make()`'s value and the allocations (and reallocations) it took on this thread.
    fn allocations<T>(make: impl FnOnce() -> T) -> (T, usize) {
        let before = ALLOCATIONS.with(|c| c.get());
        let value = make();
        (value, ALLOCATIONS.with(|c| c.get()) - before)
    }

    #[test]
    fn a_message_is_written_with_two_allocations() {
        // Its text, sized up front (no growth), and its header list: for each kind of message the
        // engine sends, with long URIs, extra headers and bodies.
        let party = "sip:AgentB-with-a-long-user-part@pbx.example.sip.twilio.com:5061;transport=tls";
        let mut d = Dialog::new("target-2", "sip:+14155550100@refer-sim.sip.twilio.com", party, true);
        d.request(Side::Party, "OPTIONS", &[], None); // reads the party's Via host once
        let sdp = "v=0\r\nm=audio 20000 RTP/AVP 0\r\na=sendrecv\r\n";
        let refer_to = format!("<{party}?Replaces=abc%40host%3Bto-tag%3D1%3Bfrom-tag%3D2>");
        let by = format!("<{party}>");
        let frag = "SIP/2.0 480 Temporarily Unavailable\r\n";
        let mut sent: Vec<(&str, Message)> = Vec::new();
        let mut check = |what: &'static str, (m, n): (Message, usize)| {
            assert_eq!(n, 2, "{what}: {}", m.text());
            sent.push((what, m));
        };
        check("INVITE", allocations(|| d.request(Side::Twilio, "INVITE", &[], Some(("application/sdp", sdp)))));
        d.answered(); // the party's tag, chosen once
        check("180", allocations(|| d.response(Side::Party, 180, "Ringing", "INVITE", &[], None)));
        check("200", allocations(|| d.response(Side::Party, 200, "OK", "INVITE", &[], Some(("application/sdp", sdp)))));
        let custom = [("X-Agent-Id".to_string(), "B-42".to_string()), ("X-Queue".to_string(), "a long queue name".repeat(8))];
        check("200 X-", allocations(|| d.final_response(200, "OK", &custom, Some(("application/sdp", sdp)))));
        check("ACK", allocations(|| d.request(Side::Twilio, "ACK", &[], None)));
        let extra = [("Refer-To", refer_to.as_str()), ("Referred-By", by.as_str()), ("Refer-Sub", "false")];
        check("REFER", allocations(|| d.request(Side::Party, "REFER", &extra, None)));
        check("202", allocations(|| d.response(Side::Twilio, 202, "Accepted", "REFER", &[("Refer-Sub", "false")], None)));
        let notify = [("Event", "refer"), ("Subscription-State", "terminated;reason=noresource")];
        check("NOTIFY", allocations(|| d.request(Side::Twilio, "NOTIFY", &notify, Some(("message/sipfrag;version=2.0", frag)))));
        check("481", allocations(|| d.response(Side::Party, 481, reason(481), "NOTIFY", &[], None)));
        check("BYE", allocations(|| d.request(Side::Party, "BYE", &[], None)));
        check("CANCEL", allocations(|| d.request(Side::Twilio, "CANCEL", &[], None)));
        assert_eq!(sent.len(), 11);
    }

    #[test]
    fn an_invite_with_the_headers_of_a_sip_uri_is_written_with_two_allocations() {
        // The headers of a `<Sip>` URI ride on Twilio's first INVITE (`invite_headers`): its text is
        // still sized up front with them (the `custom` sums of `Dialog::request`), and only that
        // INVITE carries them.
        let party = "sip:AgentB-with-a-long-user-part@pbx.example.sip.twilio.com:5061;transport=tls";
        let mut d = Dialog::new("target-3", "sip:+14155550100@refer-sim.sip.twilio.com", party, true);
        d.request(Side::Party, "OPTIONS", &[], None); // reads the party's Via host once
        d.invite_headers = vec![
            ("X-Ticket".to_string(), "a long ticket reference ".repeat(6)),
            ("X-Queue-Name-That-Is-Long".to_string(), "sales and support, second line".repeat(4)),
            ("X-A".to_string(), "1".to_string()),
        ];
        let sdp = "v=0\r\nm=audio 20000 RTP/AVP 0\r\na=sendrecv\r\n";
        let (invite, n) = allocations(|| d.request(Side::Twilio, "INVITE", &[], Some(("application/sdp", sdp))));
        assert_eq!(n, 2, "{}", invite.text());
        let names: Vec<&str> = invite.headers().map(|(name, _)| name).collect();
        assert!(
            names.ends_with(&["X-Ticket", "X-Queue-Name-That-Is-Long", "X-A", "Content-Type", "Content-Length"]),
            "{names:?}"
        );
        assert!(d.invite_headers.is_empty(), "sent once");
        let (again, n) = allocations(|| d.request(Side::Twilio, "INVITE", &[], None));
        assert_eq!(n, 2, "{}", again.text());
        assert!(!again.text().contains("X-Ticket"), "a later INVITE carries none: {}", again.text());
    }
}
