//! Errors and warnings of the SIP parsers: a stable code, the byte offset
//! where the problem starts, and a sentence a person can act on.
//!
//! Errors are fatal (the value is refused, as a SIP stack answers
//! `400 Bad Request`); warnings are vendor leniencies and teaching notes that
//! leave the value usable, like rust-url's syntax violations.

use serde::Serialize;
use std::fmt;

use crate::Provenance;

/// What went wrong, as a stable snake_case code (the JS `Error.code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The value is empty or only whitespace.
    Empty,
    /// The value is over its limit: a Refer-To over the vendor's 256 characters, a URI
    /// parsed alone over [`MAX_URI_BYTES`](super::uri::MAX_URI_BYTES).
    TooLong,
    /// A control character (CR, LF, NUL, ...) inside the value.
    ControlChar,
    /// The URI scheme is missing or is not `sip`, `sips` or `tel`.
    BadScheme,
    /// A quoted display name has no closing quote.
    UnterminatedQuote,
    /// A `<` has no matching `>`.
    UnterminatedAngle,
    /// A display name is neither a quoted string nor tokens, or is not followed by `<`.
    BadDisplayName,
    /// A `%` not followed by two hexadecimal digits.
    BadEscape,
    /// A character the user part of a SIP URI may not hold unescaped.
    BadUser,
    /// A character the password part may not hold unescaped.
    BadPassword,
    /// The host is not a domain name, an IPv4 address or a bracketed IPv6 address.
    BadHost,
    /// The port is empty, not a number, or above 65535.
    BadPort,
    /// A malformed URI parameter (`;name=value`).
    BadParam,
    /// A malformed embedded header (`?name=value&...`).
    BadHeader,
    /// A malformed `tel:` URI (RFC 3966).
    BadTel,
    /// A malformed header parameter after the URI.
    BadHeaderParam,
    /// Several comma-separated values: Refer-To takes exactly one (RFC 3515 §2.4.1).
    MultipleValues,
    /// Unexpected text after the value.
    TrailingCharacters,
    /// A pasted message starts with neither a request line (`REFER sip:… SIP/2.0`) nor a header line.
    BadStartLine,
    /// A pasted SIP message that is not a REFER request (another method, or a response).
    NotARefer,
    /// A line of a pasted message that is neither `name: value` nor a folded continuation.
    BadHeaderLine,
}

impl ErrorCode {
    /// The stable code string.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Empty => "empty",
            ErrorCode::TooLong => "too_long",
            ErrorCode::ControlChar => "control_char",
            ErrorCode::BadScheme => "bad_scheme",
            ErrorCode::UnterminatedQuote => "unterminated_quote",
            ErrorCode::UnterminatedAngle => "unterminated_angle",
            ErrorCode::BadDisplayName => "bad_display_name",
            ErrorCode::BadEscape => "bad_escape",
            ErrorCode::BadUser => "bad_user",
            ErrorCode::BadPassword => "bad_password",
            ErrorCode::BadHost => "bad_host",
            ErrorCode::BadPort => "bad_port",
            ErrorCode::BadParam => "bad_param",
            ErrorCode::BadHeader => "bad_header",
            ErrorCode::BadTel => "bad_tel",
            ErrorCode::BadHeaderParam => "bad_header_param",
            ErrorCode::MultipleValues => "multiple_values",
            ErrorCode::TrailingCharacters => "trailing_characters",
            ErrorCode::BadStartLine => "bad_start_line",
            ErrorCode::NotARefer => "not_a_refer",
            ErrorCode::BadHeaderLine => "bad_header_line",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A fatal parse error: the value would be refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseError {
    /// Stable code.
    pub code: ErrorCode,
    /// Byte offset into the parsed text where the problem starts.
    pub offset: usize,
    /// A human sentence naming the problem.
    pub message: String,
}

impl ParseError {
    pub(crate) fn new(code: ErrorCode, offset: usize, message: impl Into<String>) -> Self {
        ParseError { code, offset, message: message.into() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}: {}", self.code, self.offset, self.message)
    }
}

impl std::error::Error for ParseError {}

/// A non-fatal finding: the value is accepted, but something deserves attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum WarningCode {
    /// `User-to-User` says `encoding=hex` but its data is not an even number of hex digits.
    UuiNotHex,
    /// A `Replaces` header asks for an attended transfer; the vendor only does blind transfer.
    ReplacesIgnored,
    /// Addr-spec form with `?`, `,` or `;`: RFC 3261 §20 asks for `<...>` then.
    AddrSpecAmbiguous,
    /// A literal `+` in a header value: SIP keeps it, form decoders read it as a space.
    PlusIsLiteral,
    /// `sips:` is not supported by the vendor's `<Sip>` (it uses `;secure=true`).
    SipsUnsupported,
}

impl WarningCode {
    /// The stable code string.
    pub fn as_str(self) -> &'static str {
        match self {
            WarningCode::UuiNotHex => "uui_not_hex",
            WarningCode::ReplacesIgnored => "replaces_ignored",
            WarningCode::AddrSpecAmbiguous => "addr_spec_ambiguous",
            WarningCode::PlusIsLiteral => "plus_is_literal",
            WarningCode::SipsUnsupported => "sips_unsupported",
        }
    }
}

/// A warning with its position, message and where the rule comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Stable code.
    pub code: WarningCode,
    /// Byte offset into the parsed text.
    pub offset: usize,
    /// A human sentence.
    pub message: String,
    /// Whether the rule is documented, from an RFC, or assumed.
    pub tag: Provenance,
}
