//! The primitives of the package's compact result formats, shared by their two writers: the
//! generic format and the timeline layout (`src/wasm/compact.rs`, `src/wasm/timeline.rs`) and
//! `parseTwiml`'s and `checkTransfer`'s own format ([`crate::twiml::compact`]). `pkg/decode.js`
//! reads both with the same two functions.
//!
//! ```text
//! number = (0x40 | digit)* digit   ; 6-bit digits, least significant first
//! text   = number(len) chars       ; len: the text's length in UTF-16 code units
//! ```
//! Every digit is an ASCII character, so a result whose texts are ASCII is an ASCII string,
//! which the glue's UTF-8 `TextDecoder` reads on its fast path. `len` counts what JS's
//! `length` and `slice` count.
//!
//! Also compiled into native tests and examples by `#[path]` (next to `src/wasm/compact.rs`),
//! so it names nothing else of the crate.

/// Appends `n` in 6-bit digits, least significant first, each but the last with `0x40` set.
/// Inlined always: it is most of what both writers do (measured: the package's module +213 B
/// gzipped with `#[inline]` hints on all three, +53 B with this one alone, against the two copies).
#[inline(always)]
pub(crate) fn num(out: &mut String, mut n: u64) {
    if n < 0x40 {
        return out.push(char::from(n as u8));
    }
    while n >= 0x40 {
        out.push(char::from(0x40 | (n & 0x3F) as u8));
        n >>= 6;
    }
    out.push(char::from(n as u8));
}

/// The length of `s` in UTF-16 code units (what JS's `length` and `slice` count): every text's
/// length prefix in the compact formats and the timeline layout.
pub(crate) fn units(s: &str) -> u64 {
    (if s.is_ascii() { s.len() } else { s.chars().map(char::len_utf16).sum() }) as u64
}

/// Appends `s` as a text: its length in UTF-16 code units ([`units`]), then `s` as it is.
pub(crate) fn text(out: &mut String, s: &str) {
    num(out, units(s));
    out.push_str(s);
}

#[cfg(test)]
mod tests {
    use super::{num, text, units};

    #[test]
    fn numbers_are_6_bit_digits_least_significant_first() {
        for (n, expected) in [
            (0u64, vec![0u8]),
            (0x3F, vec![0x3F]),
            (0x40, vec![0x40, 1]),
            (0xFFF, vec![0x7F, 0x3F]),
            (0x1000, vec![0x40, 0x40, 1]),
            (u64::MAX, [vec![0x7F; 10], vec![0xF]].concat()),
        ] {
            let mut out = String::new();
            num(&mut out, n);
            assert_eq!(out.as_bytes(), expected, "{n:#x}");
        }
    }

    #[test]
    fn texts_are_prefixed_with_their_utf16_length() {
        assert_eq!((units(""), units("abc"), units("é"), units("😀x")), (0, 3, 1, 3));
        let mut out = String::new();
        text(&mut out, "😀x");
        assert_eq!(out, "\u{3}😀x");
    }
}
