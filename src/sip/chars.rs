//! Character classes of the RFC 3261 §25.1 grammar, one small function each,
//! with the ABNF beside it, and the percent-escaping that goes with them.

use percent_encoding::percent_decode_str;

use super::error::{ErrorCode, ParseError};

/// `alphanum = ALPHA / DIGIT`
pub(crate) const fn is_alphanum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"`
pub(crate) const fn is_mark(b: u8) -> bool {
    matches!(b, b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')')
}

/// `unreserved = alphanum / mark`
pub(crate) const fn is_unreserved(b: u8) -> bool {
    is_alphanum(b) || is_mark(b)
}

/// `user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"`
pub(crate) const fn is_user_char(b: u8) -> bool {
    is_unreserved(b) || matches!(b, b'&' | b'=' | b'+' | b'$' | b',' | b';' | b'?' | b'/')
}

/// `password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )`
pub(crate) const fn is_password_char(b: u8) -> bool {
    is_unreserved(b) || matches!(b, b'&' | b'=' | b'+' | b'$' | b',')
}

/// `paramchar = param-unreserved / unreserved / escaped`;
/// `param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"`
pub(crate) const fn is_param_char(b: u8) -> bool {
    is_unreserved(b) || matches!(b, b'[' | b']' | b'/' | b':' | b'&' | b'+' | b'$')
}

/// `hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"`, with `unreserved`
/// (the characters of `hname` and `hvalue`, besides `escaped`)
pub(crate) const fn is_header_char(b: u8) -> bool {
    is_unreserved(b) || matches!(b, b'[' | b']' | b'/' | b'?' | b':' | b'+' | b'$')
}

/// The class of characters [`decode_checked`] allows in a part, besides `escaped`: tested with
/// two 64-bit masks of the ASCII bytes it holds (a function pointer was an indirect call per byte).
#[derive(Clone, Copy)]
pub(crate) enum Class {
    /// [`is_user_char`]
    User,
    /// [`is_password_char`]
    Password,
    /// [`is_param_char`]
    Param,
    /// [`is_header_char`]
    Header,
}

/// The ASCII bytes `class` accepts: bit `b` of the first mask for `b` < 64, bit `b - 64` of the second.
const fn masks(class: Class) -> [u64; 2] {
    let (mut low, mut high) = (0u64, 0u64);
    let mut b = 0u8;
    while b < 128 {
        let allowed = match class {
            Class::User => is_user_char(b),
            Class::Password => is_password_char(b),
            Class::Param => is_param_char(b),
            Class::Header => is_header_char(b),
        };
        if allowed {
            if b < 64 {
                low |= 1 << b;
            } else {
                high |= 1 << (b - 64);
            }
        }
        b += 1;
    }
    [low, high]
}

const USER_MASKS: [u64; 2] = masks(Class::User);
const PASSWORD_MASKS: [u64; 2] = masks(Class::Password);
const PARAM_MASKS: [u64; 2] = masks(Class::Param);
const HEADER_MASKS: [u64; 2] = masks(Class::Header);

impl Class {
    /// [`masks`] of the class, computed at compile time.
    fn masks(self) -> [u64; 2] {
        match self {
            Class::User => USER_MASKS,
            Class::Password => PASSWORD_MASKS,
            Class::Param => PARAM_MASKS,
            Class::Header => HEADER_MASKS,
        }
    }
}

/// Whether `masks` (see [`masks`]) holds byte `b` (none above 127).
fn in_masks([low, high]: [u64; 2], b: u8) -> bool {
    match b {
        0..64 => low >> b & 1 != 0,
        64..128 => high >> (b - 64) & 1 != 0,
        _ => false,
    }
}

/// `token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" )`
pub(crate) fn is_token_char(b: u8) -> bool {
    is_alphanum(b) || matches!(b, b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~')
}

/// Whether a header name is an X- header: it begins with `X-` in any case, as SIP compares
/// header names (RFC 3261 §7.3.1). `"X-"` itself is one here; callers that need a name after
/// the prefix also check the length (`name.len() > 2`).
pub(crate) fn is_x_header(name: &str) -> bool {
    name.as_bytes().get(..2).is_some_and(|p| p.eq_ignore_ascii_case(b"x-"))
}

/// `LWS` characters (after CRLFs have been refused): space and horizontal tab.
pub(crate) fn is_wsp(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Checks that every byte of `text` (found at `base`) is in `class`
/// or starts an `escaped = "%" HEXDIG HEXDIG`, then returns the decoded text.
/// Decoded bytes that are not UTF-8 are replaced by U+FFFD.
pub(crate) fn decode_checked(text: &str, base: usize, class: Class, code: ErrorCode, what: &str) -> Result<String, ParseError> {
    let bytes = text.as_bytes();
    let masks = class.masks();
    let mut i = 0;
    let mut escaped = false;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            escaped = true;
            let hex = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_hexdigit);
            let ok = hex(i + 1) && hex(i + 2);
            if !ok {
                return Err(ParseError::new(
                    ErrorCode::BadEscape,
                    base + i,
                    format!("'%' in the {what} must be followed by two hexadecimal digits (RFC 3261 escaped)"),
                ));
            }
            i += 3;
        } else if in_masks(masks, b) {
            i += 1;
        } else {
            return Err(ParseError::new(
                code,
                base + i,
                format!("{} is not allowed in the {what}; escape it as %XX", describe_at(text, i)),
            ));
        }
    }
    if !escaped {
        return Ok(text.to_string());
    }
    Ok(percent_decode_str(text).decode_utf8_lossy().into_owned())
}

/// Percent-escapes every byte of `text` that `allowed` rejects (and `%` itself).
pub(crate) fn escape(text: &str, allowed: fn(u8) -> bool, out: &mut String) {
    for &b in text.as_bytes() {
        if b != b'%' && allowed(b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0').to_ascii_uppercase());
            out.push(char::from_digit(u32::from(b & 0xF), 16).unwrap_or('0').to_ascii_uppercase());
        }
    }
}

/// A quoted description of the character starting at byte `i` of `text`,
/// e.g. `a space`, `'<'` or `'é' (U+00E9)` (a control character as `'\u{1}' (U+0001)`).
pub(crate) fn describe_at(text: &str, i: usize) -> String {
    let mut start = i.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    match text.get(start..).and_then(|rest| rest.chars().next()) {
        Some(' ') => "a space".to_string(),
        Some('\t') => "a tab".to_string(),
        Some(c) if c.is_control() || !c.is_ascii() => format!("'{}' (U+{:04X})", c.escape_debug(), c as u32),
        Some(c) => format!("'{c}'"),
        None => "the end of the value".to_string(),
    }
}

/// Splits `text` before the first character for which `is_end` holds: `("sip", ":a@b")`
/// for `':'`; all of `text` and `""` when no character does.
pub(crate) fn split_before(text: &str, is_end: impl Fn(char) -> bool) -> (&str, &str) {
    // `find` returns a character boundary, so `split_at_checked` always gives `Some` here.
    text.find(is_end).and_then(|i| text.split_at_checked(i)).unwrap_or((text, ""))
}

/// Splits `text` after the longest prefix whose bytes `allowed` accepts (ASCII classes).
pub(crate) fn split_while(text: &str, allowed: fn(u8) -> bool) -> (&str, &str) {
    split_before(text, |c| !u8::try_from(c).is_ok_and(allowed))
}

/// The byte offset of `tail` inside `whole`, when `tail` is a suffix of it
/// (what a parser has left, as a position in what it was given).
pub(crate) fn offset_of(whole: &str, tail: &str) -> usize {
    whole.len().saturating_sub(tail.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_class_mask_holds_the_bytes_of_its_function() {
        let classes = [
            (Class::User, is_user_char as fn(u8) -> bool),
            (Class::Password, is_password_char),
            (Class::Param, is_param_char),
            (Class::Header, is_header_char),
        ];
        for (class, allowed) in classes {
            for b in 0..=u8::MAX {
                assert_eq!(in_masks(class.masks(), b), b.is_ascii() && allowed(b), "byte {b:#04x}");
            }
        }
    }

    #[test]
    fn an_x_header_begins_with_x_dash_in_any_case() {
        for name in ["X-", "x-", "X-a", "x-A", "X-Twilio-Foo"] {
            assert!(is_x_header(name), "{name}");
        }
        for name in ["", "X", "x", "Xa-", "-X", "X_", "Y-a", "\u{d7}-", "X\u{2010}"] {
            assert!(!is_x_header(name), "{name}");
        }
    }
}
