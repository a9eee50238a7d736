//! Narrations and other texts written without the formatting machinery: [`cat!`] joins
//! pieces (string slices, shared strings, leg ids, numbers) into one `String` allocated
//! once at its exact length. `format!` spent a fifth of its time growing its buffer and
//! most of the rest in `core::fmt`; the texts of a catalogue run were 13% of the run.
//! A text with a format spec (`{:?}`, `{:02}`, ...) keeps `format!`. In WASM, where the
//! module's size is budgeted, `cat!` is `format!` (the pieces are then unused there).
#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

use super::leg::{LegId, SharedStr};
use std::borrow::Cow;

/// A part of a text as [`concat`] reads it: text, a number in decimal, or one character.
/// The pieces of a [`cat!`] are read as parts where they are written (statically, inlined)
/// and joined by one loop without calls through `dyn`: a narration of seven pieces made
/// fourteen indirect calls (its length, then its text), a third of the narration's time.
#[derive(Clone, Copy)]
pub(crate) enum Part<'a> {
    /// Text, appended as it is.
    Text(&'a str),
    /// A number, appended in decimal.
    Number(u64),
    /// One character.
    Char(char),
}

impl Part<'_> {
    /// Its length in bytes, as [`concat`] appends it.
    fn size(self) -> usize {
        match self {
            Part::Text(text) => text.len(),
            Part::Number(n) => digits(n),
            Part::Char(c) => c.len_utf8(),
        }
    }
}

/// A part of a text: what [`cat!`] joins, as `{}` writes it.
pub(crate) trait Piece {
    /// It, as [`concat`] appends it.
    fn part(&self) -> Part<'_>;
}

/// Pieces that are text (they deref to `str`).
macro_rules! text {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            #[inline]
            fn part(&self) -> Part<'_> {
                Part::Text(self)
            }
        }
    )*};
}

text!(str, String, SharedStr, Cow<'_, str>);

impl Piece for LegId {
    #[inline]
    fn part(&self) -> Part<'_> {
        Part::Text(&self.0)
    }
}

impl Piece for char {
    #[inline]
    fn part(&self) -> Part<'_> {
        Part::Char(*self)
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    #[inline]
    fn part(&self) -> Part<'_> {
        (**self).part()
    }
}

impl Piece for bool {
    #[inline]
    fn part(&self) -> Part<'_> {
        Part::Text(if *self { "true" } else { "false" })
    }
}

/// The number of decimal digits of `n`.
fn digits(n: u64) -> usize {
    let mut count = 1;
    let mut rest = n / 10;
    while rest > 0 {
        count += 1;
        rest /= 10;
    }
    count
}

/// Appends `n` in decimal, as `{n}` writes it.
pub(crate) fn push_decimal(out: &mut String, n: u64) {
    out.push_str(decimal(n, &mut [b'0'; 20]));
}

/// `n` in decimal, as `{n}` writes it, written at the end of `buf`.
pub(crate) fn decimal(n: u64, buf: &mut [u8; 20]) -> &str {
    let mut at = buf.len();
    let mut rest = n;
    loop {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (rest % 10) as u8;
        }
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // ASCII digits: always UTF-8.
    std::str::from_utf8(buf.get(at..).unwrap_or_default()).unwrap_or_default()
}

/// `text` as it is shown inside a text a user reads, when it is untrusted (a scenario key, a
/// webhook answer's Content-Type): `"` and `\` escaped, and every control character written as
/// JSON writes it (`\n`, `\t`, `\u0000`; DEL and the C1 controls as `\u007f`, ..., which
/// `JSON.stringify` leaves raw), so a NUL or a line break in it can neither hide nor forge part
/// of the text. Borrowed when there is nothing to escape. The one escape of untrusted text:
/// between `"` it is a JSON string literal of `text`.
pub(crate) fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '"' || c == '\\' || c.is_control()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                out.push_str("\\u00");
                for shift in [4, 0] {
                    out.push(char::from_digit((u32::from(c) >> shift) & 0xf, 16).unwrap_or('0'));
                }
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            #[inline]
            fn part(&self) -> Part<'_> {
                Part::Number(*self as u64)
            }
        }
    )*};
}

unsigned!(u8, u16, u32, u64, usize);

/// `parts` joined in one `String` of their exact length ([`cat!`]). Never inlined: inlined
/// at each of the 200 texts, it made the WASM module 30 kB larger (there `cat!` is now
/// `format!`; natively one copy of the loop is as fast).
#[inline(never)]
pub(crate) fn concat(parts: &[Part<'_>]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.size()).sum());
    for &part in parts {
        match part {
            Part::Text(text) => out.push_str(text),
            Part::Number(n) => push_decimal(&mut out, n),
            Part::Char(c) => out.push(c),
        }
    }
    out
}

/// `cat!("Twilio calls ", label, " (", n, " s).")`: the pieces joined as `format!` with one
/// `{}` per piece would write them, in one allocation of the exact length.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {
        $crate::transfer::text::concat(&[$($crate::transfer::text::Piece::part(&$piece)),+])
    };
}

/// In WASM, `format!` with one `{}` per piece (the same text): the compiler folds the literal
/// pieces into the format string, where [`concat`]'s list of pieces made the module some
/// 10 kB larger (its size is budgeted; natively the speed counts).
#[cfg(target_arch = "wasm32")]
macro_rules! cat {
    (@brace $piece:expr) => {
        "{}"
    };
    ($($piece:expr),+ $(,)?) => {
        format!(concat!($($crate::transfer::text::cat!(@brace $piece)),+), $($piece),+)
    };
}

pub(crate) use cat;

#[cfg(test)]
mod tests {
    use super::{LegId, SharedStr};
    use std::borrow::Cow;

    #[test]
    fn pieces_are_written_as_format_writes_them() {
        let shared = SharedStr::from("AgentB");
        let cow: Cow<str> = Cow::Owned("é…".to_string());
        for n in [0u64, 1, 9, 10, 99, 100, 487, 65_535, 1 << 40, 10_000_000_000_000_000_000, u64::MAX] {
            let text = cat!("at ", n, " ms: ", shared, " / ", LegId::target(2), ' ', cow, String::from("!"), 7u16, 300usize);
            assert_eq!(text, format!("at {n} ms: {shared} / target-2 {cow}!7300"));
            assert_eq!(text.capacity(), text.len());
        }
        let text = cat!(u8::MAX, '-', u32::MAX, true, false, '…', 'é', '𝄞');
        assert_eq!(text, format!("{}-{}truefalse…é𝄞", u8::MAX, u32::MAX));
        assert_eq!(text.capacity(), text.len(), "one allocation of the exact length");
    }

    /// Each character that needs escaping is escaped alone, beside plain text: a quote, a
    /// backslash, a control (C0, DEL, C1) each as `serde_json` writes it (DEL and C1 as `\u00xx`,
    /// which it leaves raw); nothing to escape stays borrowed. (The in-diff mutation run left
    /// the first check's `||` as `&&` and its `==` as `!=` alive: no test had a quote or a
    /// backslash without a control character.)
    #[test]
    fn escaped_escapes_each_character_alone_as_json_does() {
        use super::escaped;
        for plain in ["", "text/plain", "caf\u{e9} \u{1F600}", "a'b"] {
            assert!(matches!(escaped(plain), Cow::Borrowed(t) if t == plain), "{plain:?}");
        }
        for (text, want) in [
            ("text/\"x\"", "text/\\\"x\\\""),
            ("a\\b", "a\\\\b"),
            ("\"", "\\\""),
            ("\\", "\\\\"),
            ("nul\u{0}", "nul\\u0000"),
            ("line\r\n\ttab", "line\\r\\n\\ttab"),
            ("bell\u{7}\u{8}\u{c}", "bell\\u0007\\b\\f"),
            ("del\u{7f}c1\u{85}\u{9f}", "del\\u007fc1\\u0085\\u009f"),
        ] {
            assert_eq!(escaped(text), want, "{text:?}");
            let json = serde_json::to_string(text).expect("a string");
            let ours = format!("\"{}\"", escaped(text));
            // A JSON string literal of the same text (serde_json leaves DEL and C1 raw).
            assert_eq!(serde_json::from_str::<String>(&ours).expect("valid JSON"), text, "{ours} vs {json}");
        }
    }
}
