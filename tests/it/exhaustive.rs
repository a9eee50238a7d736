//! Bounded-exhaustive sweeps of the parsers: every short input over a small alphabet of the
//! characters that matter, not a random sample of them. A property test drew "sip" (the
//! three characters that trapped the module) with a probability near zero; this file tries it,
//! and every other string of up to four such characters, on each run.
//!
//! * Refer-To: every string of 0 to 4 characters over [`REFER_TO_ALPHABET`], alone and after
//!   each of [`REFER_TO_PREFIXES`], goes through
//!   `parse_refer_to`; it must return (Ok or Err, never panic), an error must point inside the
//!   input, and an accepted value must print to text that parses back to the same value.
//! * TwiML: every sequence of 0 to [`TWIML_TOKENS`] fragments from [`TWIML_FRAGMENTS`] goes
//!   through `parse` and `check_transfer` for both roles; every diagnostic must carry a line,
//!   a column and a span inside the document, and a document that parses must be written
//!   back to one that parses to the same model.
//!
//! Native only (the wasm32 runs of the test suite would take minutes for the same sweep).
#![cfg(not(target_arch = "wasm32"))]

use std::time::Instant;

use refer_sim::sip::{parse_refer_message, parse_refer_to};
use refer_sim::twiml::{check_transfer, parse, write, Role};

/// The letters of `sip`, `sips` and `tel` in both cases, the characters the Refer-To grammar
/// gives a meaning to, a space and two digits: 25 characters.
const REFER_TO_ALPHABET: &[char] = &[
    's', 'i', 'p', 't', 'e', 'l', 'S', 'I', 'P', 'T', 'E', 'L', ':', ';', '@', '<', '>', '?', '&', '=', '%', '"', ' ', '1', 'a',
];

/// The longest string of the alphabet tried after each prefix.
const REFER_TO_LEN: u32 = 4;

/// What the strings follow: nothing, then starts of valid values, so that the sweep also
/// reaches the URI's host, port, parameters and headers (no value of four characters parses).
const REFER_TO_PREFIXES: &[&str] = &["", "sip:", "<sip:a@b", "tel:+1"];

/// Values tried: 4 prefixes × (25^0 + 25^1 + 25^2 + 25^3 + 25^4) = 1,627,604.
const REFER_TO_COUNT: usize = 4 * (1 + 25 + 625 + 15_625 + 390_625);

/// Fragments of TwiML a document is made of, valid and broken: 14 of them.
const TWIML_FRAGMENTS: &[&str] = &[
    "<Response>",
    "</Response>",
    "<Dial referUrl=\"https://e.com/r\">",
    "</Dial>",
    "<Sip>",
    "</Sip>",
    "sip:a@b.com",
    "<Refer>",
    "&",
    "&amp;",
    "<",
    "<?xml version=\"1.0\"?>",
    " a=\"<\"",
    "\n",
];

/// The longest fragment sequence tried.
const TWIML_TOKENS: u32 = 5;

/// Documents tried: 14^0 + ... + 14^5 = 579,195.
const TWIML_COUNT: usize = 1 + 14 + 196 + 2_744 + 38_416 + 537_824;

/// Calls `visit` with every sequence of 0 to `max_len` items of `alphabet`, shortest first;
/// returns how many it visited. Sequence `n` of a length spells `n` in base `alphabet.len()`,
/// its first item the lowest digit.
fn for_each_sequence<T: Copy>(alphabet: &[T], max_len: u32, mut visit: impl FnMut(&[T])) -> usize {
    let base = alphabet.len();
    let mut count = 0;
    let mut buf = Vec::new();
    for len in 0..=max_len {
        for n in 0..base.pow(len) {
            buf.clear();
            let mut rest = n;
            for _ in 0..len {
                buf.push(alphabet[rest % base]);
                rest /= base;
            }
            visit(&buf);
            count += 1;
        }
    }
    count
}

#[test]
fn the_sweep_visits_every_sequence_once() {
    let mut seen = Vec::new();
    let count = for_each_sequence(&['a', 'b'], 2, |s| seen.push(s.iter().collect::<String>()));
    assert_eq!(seen, ["", "a", "b", "aa", "ba", "ab", "bb"]);
    assert_eq!(count, 7);
}

#[test]
fn every_refer_to_of_up_to_four_sip_characters_after_each_prefix() {
    assert_eq!(REFER_TO_ALPHABET.len(), 25);
    let started = Instant::now();
    let (mut ok, mut text) = (0usize, String::new());
    let mut count = 0;
    for prefix in REFER_TO_PREFIXES {
        count += for_each_sequence(REFER_TO_ALPHABET, REFER_TO_LEN, |chars| {
            text.clear();
            text.push_str(prefix);
            text.extend(chars);
            match parse_refer_to(&text) {
                Ok(r) => {
                    ok += 1;
                    let printed = r.to_string();
                    let again =
                        parse_refer_to(&printed).unwrap_or_else(|e| panic!("{text:?} prints as {printed:?}, which fails: {e}"));
                    assert_eq!(
                        (&again.display_name, &again.uri, &again.params),
                        (&r.display_name, &r.uri, &r.params),
                        "{text:?}"
                    );
                }
                Err(e) => {
                    assert!(e.offset <= text.len(), "{text:?}: offset {} is past the end", e.offset);
                    assert!(!e.message.is_empty(), "{text:?}");
                }
            }
        });
    }
    assert_eq!(count, REFER_TO_COUNT);
    assert!(ok > 10_000, "only {ok} values of the sweep parsed: the round trip is barely tried");
    eprintln!("Refer-To: {count} strings, {ok} accepted, in {:?}", started.elapsed());
}

#[test]
fn every_twiml_document_of_up_to_five_fragments() {
    assert_eq!(TWIML_FRAGMENTS.len(), 14);
    let started = Instant::now();
    let (mut parsed, mut doc) = (0usize, String::new());
    let count = for_each_sequence(TWIML_FRAGMENTS, TWIML_TOKENS, |parts| {
        doc.clear();
        doc.extend(parts.iter().copied());
        let p = parse(&doc);
        if let Some(r) = &p.response {
            parsed += 1;
            let again = parse(&write(r)).response.unwrap_or_else(|| panic!("{doc:?}: the written document does not parse"));
            assert_eq!(again.without_spans(), r.without_spans(), "{doc:?}");
        }
        for role in [Role::Initial, Role::ReferResponse] {
            for d in p.diagnostics.iter().chain(&check_transfer(&doc, role)) {
                assert!(d.line >= 1 && d.column >= 1, "{doc:?}: {} has no position", d.code);
                assert!(d.span.start <= d.span.end && d.span.end <= doc.len(), "{doc:?}: {} span {:?}", d.code, d.span);
            }
        }
    });
    assert_eq!(count, TWIML_COUNT);
    assert!(parsed > 0, "no document of the sweep parsed");
    eprintln!("TwiML: {count} documents, {parsed} parsed, in {:?}", started.elapsed());
}

/// What a pasted REFER is made of: line ends, folding, a colon, the compact names, the
/// request-line words and a value: 12 fragments.
const MESSAGE_FRAGMENTS: &[&str] = &[
    "\r\n",
    "\n",
    " ",
    ":",
    "r",
    "b",
    "REFER sip:b@x SIP/2.0",
    "SIP/2.0 202",
    "<sip:a@b>",
    "Refer-Sub: false",
    "X-T: 1",
    "\u{e9}",
];

/// Every sequence of up to five fragments goes through `parse_refer_message`: it returns (never
/// panics), and every offset, of an error or of a result, points inside the text.
#[test]
fn every_refer_message_of_up_to_five_fragments() {
    let started = Instant::now();
    let (mut ok, mut text) = (0usize, String::new());
    let count = for_each_sequence(MESSAGE_FRAGMENTS, 5, |parts| {
        text.clear();
        parts.iter().for_each(|p| text.push_str(p));
        match parse_refer_message(&text) {
            Ok(m) => {
                ok += 1;
                let offsets = m.headers.iter().map(|h| h.offset).chain(m.refusals.iter().map(|r| r.offset));
                for o in offsets.chain(m.notes.iter().map(|n| n.offset)) {
                    assert!(o <= text.len(), "{text:?}: offset {o}");
                }
            }
            Err(e) => assert!(e.offset <= text.len() && !e.message.is_empty(), "{text:?}: {e}"),
        }
    });
    assert_eq!(count, (0..=5).map(|n| 12usize.pow(n)).sum::<usize>());
    assert!(ok > 1_000, "only {ok} messages parsed");
    eprintln!("REFER messages: {count} texts, {ok} accepted, in {:?}", started.elapsed());
}
