//! `SharedStr` (leg ids, labels, addresses, SIP senders) reads as a `String` does: each of its
//! conversions and comparisons, both ways round, with a text that matches and one that does not.
//! The engine itself compares few of them, so the mutation run on the simspeed merge found
//! these public impls untested (`as_ref`, `borrow`, the `PartialEq` impls).
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::collections::{BTreeMap, HashSet};

use refer_sim::transfer::SharedStr;

#[test]
fn it_reads_as_the_text_it_was_made_from() {
    let s: SharedStr = "AgentB".into();
    assert_eq!(s.as_str(), "AgentB");
    assert_eq!(&*s, "AgentB");
    assert_eq!(AsRef::<str>::as_ref(&s), "AgentB");
    assert_eq!(std::borrow::Borrow::<str>::borrow(&s), "AgentB");
    assert_eq!(s.len(), 6, "derefs to str");
    assert_eq!(format!("{s}"), "AgentB");
    assert_eq!(format!("{s:?}"), "\"AgentB\"");
    assert_eq!(String::from(s.clone()), "AgentB");
    assert_eq!(SharedStr::from(String::from("x")).as_str(), "x");
    assert_eq!(SharedStr::from(&String::from("y")).as_str(), "y");
    assert_eq!(SharedStr::default().as_str(), "");
}

#[test]
fn it_compares_with_str_and_string_both_ways() {
    let s: SharedStr = "AgentB".into();
    let (same, other) = ("AgentB", "AgentC");
    assert!(s == *same && s != *other, "SharedStr == str");
    assert!(s == same && s != other, "SharedStr == &str");
    assert!(s == same && s != other, "SharedStr == String");
    assert!(*same == s && *other != s, "str == SharedStr");
    assert!(same == s && other != s, "&str == SharedStr");
    assert!(same == s && other != s, "String == SharedStr");
    assert!(s == same && s != other);
}

#[test]
fn maps_keyed_by_it_are_looked_up_with_a_str() {
    // Borrow<str> must agree with Hash and Ord: a lookup by &str finds the key.
    let set: HashSet<SharedStr> = ["caller", "transferor"].into_iter().map(SharedStr::from).collect();
    assert!(set.contains("caller") && set.contains("transferor") && !set.contains("target"));
    let map: BTreeMap<SharedStr, u32> = [("a".into(), 1), ("b".into(), 2)].into_iter().collect();
    assert_eq!((map.get("a"), map.get("b"), map.get("c")), (Some(&1), Some(&2), None));
}

#[test]
fn it_serializes_as_a_string() {
    let s: SharedStr = "sip:AgentB@example.com".into();
    assert_eq!(serde_json::to_string(&s).expect("json"), "\"sip:AgentB@example.com\"");
}

#[test]
fn a_copy_outlives_the_original_and_they_order_as_their_texts() {
    // The reference is released out of line (SharedStr's Drop): a copy keeps the text, and the
    // empty text made by Default is the same as one made from "".
    let original: SharedStr = "b".into();
    let copy = original.clone();
    drop(original);
    assert_eq!(copy.as_str(), "b");
    let mut texts: Vec<SharedStr> = ["c", "a", ""].into_iter().map(SharedStr::from).collect();
    texts.push(SharedStr::default());
    texts.push(copy);
    texts.sort();
    assert_eq!(texts.iter().map(SharedStr::as_str).collect::<Vec<_>>(), ["", "", "a", "b", "c"]);
    assert_eq!(SharedStr::default(), SharedStr::from(""));
}
