//! Narrations and other texts written without the formatting machinery: [`cat!`] joins
//! pieces (string slices, shared strings, leg ids, numbers) into one `String` allocated
//! once at its exact length. `format!` spent a fifth of its time growing its buffer and
//! most of the rest in `core::fmt`; the texts of a catalogue run were 13% of the run.
//! A text with a format spec (`{:?}`, `{:02}`, ...) keeps `format!`. In WASM, where the
//! module's size is budgeted, `cat!` is `format!` (the pieces are then unused there).
#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

use super::leg::{LegId, SharedStr};
use std::borrow::Cow;

/// A part of a text: its length in bytes, and how it is appended.
pub(crate) trait Piece {
    /// Its length in bytes, as [`Piece::push_to`] appends it.
    fn size(&self) -> usize;
    /// Appends it to `out`, as `{}` writes it.
    fn push_to(&self, out: &mut String);
}

/// Pieces that are text (they deref to `str`).
macro_rules! text {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn size(&self) -> usize {
                self.len()
            }
            fn push_to(&self, out: &mut String) {
                out.push_str(self);
            }
        }
    )*};
}

text!(str, String, SharedStr, Cow<'_, str>);

impl Piece for LegId {
    fn size(&self) -> usize {
        self.0.len()
    }
    fn push_to(&self, out: &mut String) {
        out.push_str(&self.0);
    }
}

impl Piece for char {
    fn size(&self) -> usize {
        self.len_utf8()
    }
    fn push_to(&self, out: &mut String) {
        out.push(*self);
    }
}

impl<T: Piece + ?Sized> Piece for &T {
    fn size(&self) -> usize {
        (**self).size()
    }
    fn push_to(&self, out: &mut String) {
        (**self).push_to(out);
    }
}

impl Piece for bool {
    fn size(&self) -> usize {
        if *self {
            4
        } else {
            5
        }
    }
    fn push_to(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
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
fn push_decimal(out: &mut String, n: u64) {
    let mut buf = [b'0'; 20];
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
    for &d in buf.get(at..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Piece for $t {
            fn size(&self) -> usize {
                digits(*self as u64)
            }
            fn push_to(&self, out: &mut String) {
                push_decimal(out, *self as u64);
            }
        }
    )*};
}

unsigned!(u8, u16, u32, u64, usize);

/// `pieces` joined in one `String` of their exact length ([`cat!`]). Never inlined: inlined
/// at each of the 200 texts (and its calls through `dyn Piece` made direct), it made the
/// WASM module 30 kB larger.
#[inline(never)]
pub(crate) fn concat(pieces: &[&dyn Piece]) -> String {
    let mut out = String::with_capacity(pieces.iter().map(|p| p.size()).sum());
    for p in pieces {
        p.push_to(&mut out);
    }
    out
}

/// `cat!("Twilio calls ", label, " (", n, " s).")`: the pieces joined as `format!` with one
/// `{}` per piece would write them, in one allocation of the exact length.
#[cfg(not(target_arch = "wasm32"))]
macro_rules! cat {
    ($($piece:expr),+ $(,)?) => {
        $crate::transfer::text::concat(&[$(&$piece as &dyn $crate::transfer::text::Piece),+])
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
}
