//! Tests written for mutants of `src/sip` that the other suites let through
//! (`make mutants`): reason phrases and the byte offsets of URI errors.
use refer_sim::sip::message::reason;
use refer_sim::sip::{parse_refer_to, parse_uri, ErrorCode};

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
