//! Properties of the Refer-To parser (native only: proptest does not run on
//! wasm32): it never panics, and printing a value then parsing it again gives
//! the same value.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use refer_sim::sip::{parse_refer_to, Form, Host, Param, ReferTo, Scheme, Uri, UriHeader};
use std::net::{Ipv4Addr, Ipv6Addr};

/// Text without control characters (the parser refuses those outright).
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>().prop_filter("no controls", |c| !c.is_control()), 0..max)
        .prop_map(|v| v.into_iter().collect())
}

fn non_empty(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>().prop_filter("no controls", |c| !c.is_control()), 1..max)
        .prop_map(|v| v.into_iter().collect())
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        "[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,4}[a-z0-9])?){0,2}\\.[a-zA-Z]([a-z0-9-]{0,4}[a-z0-9])?"
            .prop_map(Host::Domain),
        any::<[u8; 4]>().prop_map(|o| Host::Ipv4(Ipv4Addr::from(o))),
        any::<[u16; 8]>().prop_map(|s| Host::Ipv6(Ipv6Addr::from(s))),
    ]
}

fn params() -> impl Strategy<Value = Vec<Param>> {
    proptest::collection::vec((non_empty(6), proptest::option::of(non_empty(6))), 0..3)
        .prop_map(|v| v.into_iter().map(|(name, value)| Param { name, value }).collect())
}

fn header_params() -> impl Strategy<Value = Vec<Param>> {
    let token = "[a-zA-Z0-9.!%*_+`'~-]{1,8}";
    proptest::collection::vec((token, proptest::option::of(text(8))), 0..3)
        .prop_map(|v| v.into_iter().map(|(name, value)| Param { name, value }).collect())
}

prop_compose! {
    fn refer_to()(
        display_name in proptest::option::of(text(12)),
        sips in any::<bool>(),
        user in proptest::option::of(non_empty(10)),
        password in proptest::option::of(text(6)),
        host in host(),
        port in proptest::option::of(any::<u16>()),
        uri_params in params(),
        headers in proptest::collection::vec((non_empty(8), text(10)), 0..3),
        params in header_params(),
    ) -> ReferTo {
        let uri = Uri {
            scheme: if sips { Scheme::Sips } else { Scheme::Sip },
            password: user.as_ref().and(password),
            user,
            host: Some(host),
            port,
            params: uri_params,
            headers: headers.into_iter().map(|(n, v)| UriHeader::new(n, v)).collect(),
        };
        ReferTo { raw: String::new(), form: Form::NameAddr, display_name, uri, params, warnings: Vec::new() }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_any_text(s in "\\PC{0,300}") {
        let _ = parse_refer_to(&s);
    }

    #[test]
    fn never_panics_on_sip_shaped_text(s in "[<>\"\\\\ ;:@?&=%.,\\[\\]a-f0-9A-Fsiptel+-]{0,80}") {
        if let Ok(r) = parse_refer_to(&s) {
            let again = parse_refer_to(&r.to_string()).expect("a printed value parses");
            prop_assert_eq!((&again.display_name, &again.uri, &again.params), (&r.display_name, &r.uri, &r.params));
        }
    }

    #[test]
    fn errors_point_inside_the_input(s in "\\PC{0,80}") {
        if let Err(e) = parse_refer_to(&s) {
            prop_assert!(e.offset <= s.len());
            prop_assert!(!e.message.is_empty());
        }
    }

    #[test]
    fn print_then_parse_gives_the_same_value(r in refer_to()) {
        let printed = r.to_string();
        prop_assume!(printed.chars().count() <= 256);
        let again = parse_refer_to(&printed).map_err(|e| TestCaseError::fail(format!("{printed:?}: {e}")))?;
        prop_assert_eq!(&again.display_name, &r.display_name);
        prop_assert_eq!(&again.uri, &r.uri);
        prop_assert_eq!(&again.params, &r.params);
    }
}
