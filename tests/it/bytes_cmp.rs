//! Comparing byte slices and strings (`Ord`, `==`, `starts_with`), which end in `memcmp` and
//! `bcmp`: on wasm32 this binary runs with the crate's (src/wasm/mem.rs, eight bytes a step),
//! natively with the system's. Every length to 40 and a few past, every position of the first
//! difference, both orders of each pair of bytes (high bytes too: the result is of unsigned bytes),
//! and unaligned starts, against a comparison written byte by byte.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use std::cmp::Ordering;
use std::hint::black_box;

/// The order `a` and `b` compare in, one byte at a time.
fn by_bytes(a: &[u8], b: &[u8]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        if x != y {
            return x.cmp(y);
        }
    }
    a.len().cmp(&b.len())
}

#[test]
fn slices_compare_as_byte_by_byte_at_every_length_and_difference() {
    let base: Vec<u8> = (0..120u32).map(|i| (i * 37 + 11) as u8).collect();
    let mut checked = 0;
    for start in 0..9 {
        for len in (0..=40).chain([63, 64, 65, 100]) {
            let a = &base[start..start + len];
            // Equal contents at another address (and alignment).
            let other: Vec<u8> = black_box(a.to_vec());
            assert_eq!(black_box(a).cmp(black_box(&other[..])), Ordering::Equal);
            assert!(black_box(a) == black_box(&other[..]));
            for at in 0..len {
                for (x, y) in [(0x00, 0x01), (0x7f, 0x80), (0x01, 0xff), (0xfe, 0xff)] {
                    let mut left = a.to_vec();
                    let mut right = a.to_vec();
                    left[at] = x;
                    right[at] = y;
                    // A later byte that differs the other way must not count.
                    if at + 1 < len {
                        left[len - 1] = 0xff;
                        right[len - 1] = 0x00;
                    }
                    let (l, r) = (&left[start % 2..], &right[start % 2..]);
                    let (l, r) = if at >= start % 2 { (l, r) } else { (&left[..], &right[..]) };
                    assert_eq!(black_box(l).cmp(black_box(r)), by_bytes(l, r), "len {len}, first difference at {at}");
                    assert_eq!(black_box(r).cmp(black_box(l)), by_bytes(r, l), "len {len}, first difference at {at}");
                    assert!(black_box(l) != black_box(r));
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 5_000, "{checked}");
}

#[test]
fn strings_compare_and_match_prefixes_as_bytes() {
    let words = [
        "",
        "a",
        "refer",
        "referTo",
        "Refer-To",
        "sip:alice@example.com",
        "sip:alice@example.org",
        "ÿ",
        "é",
        "tel:+15551234567",
        "tel:+15551234568",
    ];
    for a in words {
        for b in words {
            assert_eq!(black_box(a).cmp(black_box(b)), by_bytes(a.as_bytes(), b.as_bytes()), "{a:?} {b:?}");
            assert_eq!(black_box(a) == black_box(b), by_bytes(a.as_bytes(), b.as_bytes()) == Ordering::Equal);
            assert_eq!(
                black_box(a).starts_with(black_box(b)),
                a.len() >= b.len() && by_bytes(&a.as_bytes()[..b.len()], b.as_bytes()) == Ordering::Equal
            );
        }
    }
}
