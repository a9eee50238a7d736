//! Character classes of the RFC 3261 §25.1 grammar, one small function each,
//! with the ABNF beside it, and the percent-escaping that goes with them.

use percent_encoding::percent_decode_str;

use super::error::{ErrorCode, ParseError};

/// `alphanum = ALPHA / DIGIT`
pub(crate) fn is_alphanum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// `mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"`
pub(crate) fn is_mark(b: u8) -> bool {
    matches!(b, b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')')
}

/// `unreserved = alphanum / mark`
pub(crate) fn is_unreserved(b: u8) -> bool {
    is_alphanum(b) || is_mark(b)
}

/// `user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/"`
pub(crate) fn is_user_char(b: u8) -> bool {
    is_unreserved(b) || matches!(b, b'&' | b'=' | b'+' | b'$' | b',' | b';' | b'?' | b'/')
}

/// `password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )`
pub(crate) fn is_password_char(b: u8) -> bool {
    is_unreserved(b) || matches!(b, b'&' | b'=' | b'+' | b'$' | b',')
}

/// `paramchar = param-unreserved / unreserved / escaped`;
/// `param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$"`
pub(crate) fn is_param_char(b: u8) -> bool {
    is_unreserved(b) || matches!(b, b'[' | b']' | b'/' | b':' | b'&' | b'+' | b'$')
}

/// `hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$"`, with `unreserved`
/// (the characters of `hname` and `hvalue`, besides `escaped`)
pub(crate) fn is_header_char(b: u8) -> bool {
    is_unreserved(b) || matches!(b, b'[' | b']' | b'/' | b'?' | b':' | b'+' | b'$')
}

/// The class of characters [`decode_checked`] allows in a part, besides `escaped`: a direct call of
/// its function for each byte (a function pointer was an indirect call per byte).
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

impl Class {
    fn allows(self, b: u8) -> bool {
        match self {
            Class::User => is_user_char(b),
            Class::Password => is_password_char(b),
            Class::Param => is_param_char(b),
            Class::Header => is_header_char(b),
        }
    }
}

/// `token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" )`
pub(crate) fn is_token_char(b: u8) -> bool {
    is_alphanum(b) || matches!(b, b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~')
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
        } else if class.allows(b) {
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
