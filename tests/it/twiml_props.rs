//! Properties of the TwiML parser: it never panics, on arbitrary strings and on
//! mutated valid documents, and huge or deeply nested inputs fail fast.
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, Instant};

use proptest::prelude::*;
use refer_sim::twiml::{check_transfer, parse, write, Role};

const SEED: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say voice=\"alice\">a &amp; b</Say><Dial answerOnBridge=\"true\" referUrl=\"https://e.com/h?a=1&amp;b=2\" timeout=\"20\"><Sip>sip:a@b.com?X-A=1&amp;User-to-User=12</Sip><Number>+1415</Number></Dial><Gather input=\"dtmf\"><Play>/a.mp3</Play></Gather><Refer><Sip>sip:c@d</Sip></Refer></Response>";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn never_panics_on_arbitrary_strings(s in "\\PC*") {
        let p = parse(&s);
        let _ = check_transfer(&s, Role::Initial);
        for d in &p.diagnostics {
            prop_assert!(d.line >= 1 && d.column >= 1);
            prop_assert!(d.span.start <= s.len());
        }
    }

    #[test]
    fn never_panics_on_markup_soup(parts in prop::collection::vec(prop::sample::select(vec![
        "<Response>", "</Response>", "<Dial referUrl=\"x\">", "</Dial>", "<Sip>", "</Sip>", "&amp;", "&#x1F600;", "&bogus;",
        "<![CDATA[<x>]]>", "<!-- c -->", "é", "\r\n", "<Say/>", "<a b='1'", "\"", ">", "<?pi x?>", "<!DOCTYPE",
    ]), 0..40)) {
        let s: String = parts.concat();
        let _ = parse(&s);
        let _ = check_transfer(&s, Role::ReferResponse);
    }

    #[test]
    fn never_panics_on_mutated_documents(pos in 0usize..400, len in 0usize..8, insert in "\\PC{0,6}") {
        let mut s = SEED.to_string();
        let mut at = pos.min(s.len());
        while !s.is_char_boundary(at) { at -= 1; }
        let mut end = (at + len).min(s.len());
        while !s.is_char_boundary(end) { end -= 1; }
        s.replace_range(at..end.max(at), &insert);
        let p = parse(&s);
        if let Some(r) = &p.response {
            // Whatever parses is written back to something that parses to the same model.
            let again = parse(&write(r)).response.expect("a written document parses");
            prop_assert_eq!(again.without_spans(), r.without_spans());
        }
    }
}

fn fast(what: &str, input: &str, code: &str) {
    let t = Instant::now();
    let p = parse(input);
    let took = t.elapsed();
    assert_eq!(p.diagnostics.first().map(|d| d.code), Some(code), "{what}");
    assert!(took < Duration::from_secs(2), "{what} took {took:?}");
}

#[test]
fn ten_megabytes_fails_fast() {
    let s = format!("<Response><Say>{}</Say></Response>", "a".repeat(10 << 20));
    fast("10 MB", &s, "too_large");
}

#[test]
fn deep_nesting_fails_fast() {
    fast("100k open tags", &"<a>".repeat(100_000), "too_deep");
    fast("100k nested in Response", &("<Response>".to_string() + &"<Dial>".repeat(100_000)), "too_deep");
    let balanced = "<a>".repeat(50_000) + &"</a>".repeat(50_000);
    fast("balanced 50k", &balanced, "too_deep");
}
