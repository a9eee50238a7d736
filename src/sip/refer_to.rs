//! The Refer-To header value (RFC 3515 §2.1, RFC 3261 §20.31), with what
//! Twilio reads from it: the `ReferTransferTarget` webhook parameter, the
//! 256-character limit, User-to-User data (RFC 7433), `X-` custom headers and
//! `Replaces` (RFC 3891), which asks for an attended transfer.
//!
//! ```text
//! Refer-To     = ("Refer-To" / "r") HCOLON ( name-addr / addr-spec ) *(SEMI refer-param)
//! name-addr    = [ display-name ] LAQUOT addr-spec RAQUOT
//! display-name = *(token LWS) / quoted-string
//! refer-param  = generic-param
//! generic-param = token [ EQUAL gen-value ]
//! gen-value    = token / host / quoted-string
//! ```
//! The parser takes the value after `Refer-To:`.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::fmt;

use super::chars::{describe_at, is_token_char, is_wsp, is_x_header};
use super::error::{ErrorCode, ParseError, Warning, WarningCode};
use super::uri::{parse_uri_at, HeadersAsPairs, Param, ParamsAsMap, Scheme, Uri, UriHeader};
use crate::Provenance;

/// The longest Refer-To value the vendor accepts, in characters. \[doc\]
pub const MAX_REFER_TO_LEN: usize = 256;

/// How the value was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Form {
    /// `["Display" ]<uri>;params`
    NameAddr,
    /// A bare `uri;params`, where every `;param` belongs to the header.
    AddrSpec,
}

/// A parsed Refer-To value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferTo {
    /// The value exactly as given.
    pub raw: String,
    /// name-addr or addr-spec.
    pub form: Form,
    /// The display name, unquoted and unescaped.
    pub display_name: Option<String>,
    /// The target URI.
    pub uri: Uri,
    /// Header parameters after the URI (`>;expires=60`).
    pub params: Vec<Param>,
    /// Non-fatal findings, in the order of their offsets.
    pub warnings: Vec<Warning>,
}

/// User-to-User data (RFC 7433): `uui-data *(";" uui-param)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uui {
    /// The data before the first `;`.
    pub value: String,
    /// `encoding=` (only `hex` is defined).
    pub encoding: Option<String>,
    /// `purpose=`.
    pub purpose: Option<String>,
    /// `content=`.
    pub content: Option<String>,
}

/// A `Replaces` header (RFC 3891): `callid *(SEMI replaces-param)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replaces {
    /// The Call-ID of the dialog to replace.
    pub call_id: String,
    /// `to-tag=`.
    pub to_tag: Option<String>,
    /// `from-tag=`.
    pub from_tag: Option<String>,
    /// `early-only` flag.
    pub early_only: bool,
}

impl ReferTo {
    /// The `ReferTransferTarget` webhook parameter: the header's contents,
    /// embedded headers included, as received (surrounding whitespace removed). \[doc\]
    pub fn transfer_target(&self) -> &str {
        self.raw.trim_matches([' ', '\t'])
    }

    /// The `User-to-User` embedded header, split into data and parameters.
    pub fn uui(&self) -> Option<Uui> {
        let (value, params) = split_params(&self.uri.header("User-to-User")?.value);
        let mut uui = Uui { value: value.to_string(), encoding: None, purpose: None, content: None };
        for (k, v) in params {
            let slot = match k {
                _ if k.eq_ignore_ascii_case("encoding") => &mut uui.encoding,
                _ if k.eq_ignore_ascii_case("purpose") => &mut uui.purpose,
                _ if k.eq_ignore_ascii_case("content") => &mut uui.content,
                _ => continue,
            };
            *slot = Some(v.to_string());
        }
        Some(uui)
    }

    /// The `X-` custom headers, in order.
    pub fn custom_headers(&self) -> impl Iterator<Item = &UriHeader> + Clone {
        self.uri.headers.iter().filter(|h| h.name.len() > 2 && is_x_header(&h.name))
    }

    /// The `Replaces` header, when the value asks for an attended transfer.
    pub fn replaces(&self) -> Option<Replaces> {
        Some(parse_replaces(&self.uri.header("Replaces")?.value))
    }
}

/// Parses a (decoded) Replaces value, RFC 3891 §6.1:
/// `Replaces = "Replaces" HCOLON callid *(SEMI replaces-param)`;
/// `replaces-param = to-tag / from-tag / early-flag / generic-param`.
/// Used for an embedded `?Replaces=` header and for a `Replaces:` header line alike.
pub fn parse_replaces(value: &str) -> Replaces {
    let (call_id, params) = split_params(value);
    let mut r = Replaces { call_id: call_id.to_string(), to_tag: None, from_tag: None, early_only: false };
    for (k, v) in params {
        if k.eq_ignore_ascii_case("to-tag") {
            r.to_tag = Some(v.to_string());
        } else if k.eq_ignore_ascii_case("from-tag") {
            r.from_tag = Some(v.to_string());
        } else if k.eq_ignore_ascii_case("early-only") {
            r.early_only = true;
        }
    }
    r
}

/// Splits a decoded header value `head *(";" name [ "=" value ])` into the
/// trimmed head and `(trimmed name, trimmed value)` pairs (RFC 7433, RFC 3891; names
/// compare case-insensitively), borrowed from `value`.
fn split_params(value: &str) -> (&str, impl Iterator<Item = (&str, &str)>) {
    let mut parts = value.split(';');
    let head = parts.next().unwrap_or("").trim();
    let params = parts.map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (k.trim(), v.trim())
    });
    (head, params)
}

/// Parses a Refer-To header value (the text after `Refer-To:`).
///
/// ```
/// let r = refer_sim::sip::parse_refer_to("\"Agent B\" <sip:agentb@example.com;transport=tls>").unwrap();
/// assert_eq!(r.display_name.as_deref(), Some("Agent B"));
/// assert_eq!(r.uri.param("transport"), Some(Some("tls")));
/// let err = refer_sim::sip::parse_refer_to("<sip:agentb@exa mple.com>").unwrap_err();
/// assert_eq!((err.code.as_str(), err.offset), ("bad_host", 15));
/// ```
pub fn parse_refer_to(raw: &str) -> Result<ReferTo, ParseError> {
    // A character takes one byte or more: only a value of more bytes can have too many.
    if let Some((i, _)) = (raw.len() > MAX_REFER_TO_LEN).then(|| raw.char_indices().nth(MAX_REFER_TO_LEN)).flatten() {
        let n = raw.chars().count();
        return Err(ParseError::new(
            ErrorCode::TooLong,
            i,
            format!("the Refer-To value has {n} characters; Twilio accepts at most {MAX_REFER_TO_LEN}"),
        ));
    }
    if let Some(i) =
        may_hold_control(raw.as_bytes()).then(|| raw.bytes().position(|b| (b < 0x20 && b != b'\t') || b == 0x7f)).flatten()
    {
        return Err(ParseError::new(
            ErrorCode::ControlChar,
            i,
            format!("{} cannot appear in a header value (line breaks would inject headers)", describe_at(raw, i)),
        ));
    }
    let start = raw.len() - raw.trim_start_matches([' ', '\t']).len();
    let end = raw.trim_end_matches([' ', '\t']).len();
    if start >= end {
        return Err(ParseError::new(ErrorCode::Empty, 0, "the Refer-To value is empty; it must hold a sip:, sips: or tel: URI"));
    }
    let mut p = Parser { text: raw, pos: start, end, warnings: Vec::new() };
    let (form, display_name, uri) = p.target()?;
    let params = p.header_params()?;
    // A stable insertion sort: a value has a handful of warnings, and slice::sort
    // would add ~3 kB of merge-sort code to the WebAssembly module for them.
    // Each warning goes after every one at or before its offset.
    let mut warnings: Vec<Warning> = Vec::with_capacity(p.warnings.len());
    for w in p.warnings {
        let at = warnings.partition_point(|earlier| earlier.offset <= w.offset);
        warnings.insert(at, w);
    }
    Ok(ReferTo { raw: raw.to_string(), form, display_name, uri, params, warnings })
}

/// Whether `bytes` may hold a control character (below 0x20, tab included, or DEL): eight bytes
/// at a time, so the exact search runs only on a value that has one (or a tab).
fn may_hold_control(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = ONES * 0x80;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // A byte below 0x20, or a byte equal to 0x7F (zero after the XOR): the SWAR tests
        // "has less than" and "has zero", exact about whether any byte is one.
        let del = x ^ (ONES * 0x7F);
        if (x.wrapping_sub(ONES * 0x20) & !x | del.wrapping_sub(ONES) & !del) & HIGH != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b < 0x20 || b == 0x7f)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    end: usize,
    warnings: Vec<Warning>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.rest().bytes().next()
    }

    /// The text from the cursor to the end of the value (trailing whitespace excluded).
    /// The cursor only ever moves past ASCII bytes or to the end of a character, so it
    /// stays on a character boundary and `get` finds the range.
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..self.end).unwrap_or("")
    }

    fn skip_wsp(&mut self) {
        while self.peek().is_some_and(is_wsp) {
            self.pos += 1;
        }
    }

    fn warn(&mut self, code: WarningCode, offset: usize, tag: Provenance, message: String) {
        self.warnings.push(Warning { code, offset, message, tag });
    }

    /// `name-addr / addr-spec`
    fn target(&mut self) -> Result<(Form, Option<String>, Uri), ParseError> {
        let rest = self.rest();
        let display_name = if rest.starts_with('"') {
            let name = self.quoted_string()?;
            self.skip_wsp();
            if self.peek() != Some(b'<') {
                return Err(ParseError::new(
                    ErrorCode::BadDisplayName,
                    self.pos,
                    format!("expected '<' after the quoted display name, found {}", describe_at(self.text, self.pos)),
                ));
            }
            Some(name)
        } else {
            match rest.split_once('<') {
                Some((before, _)) if !before.contains([':', '"']) => {
                    let name = before.trim_end_matches([' ', '\t']);
                    if let Some(i) = name.bytes().position(|b| !is_token_char(b) && !is_wsp(b)) {
                        return Err(ParseError::new(
                            ErrorCode::BadDisplayName,
                            self.pos + i,
                            format!(
                                "{} is not allowed in an unquoted display name; put the name in double quotes",
                                describe_at(name, i)
                            ),
                        ));
                    }
                    self.pos += before.len();
                    (!name.is_empty()).then(|| name.to_string())
                }
                _ => None,
            }
        };
        if self.peek() == Some(b'<') {
            let open = self.pos;
            let (inside, _) = self
                .rest()
                .split_once('>')
                .ok_or_else(|| ParseError::new(ErrorCode::UnterminatedAngle, open, "'<' has no matching '>'"))?;
            let inner = inside.strip_prefix('<').unwrap_or(inside);
            let uri = self.uri(inner, open + 1)?;
            self.pos = open + inside.len() + 1;
            return Ok((Form::NameAddr, display_name, uri));
        }
        // addr-spec: the URI runs to the first ';' or ',' after its host starts.
        let scheme_end = rest.find(':').map_or(0, |c| c + 1);
        let host_from = rest.find('@').map_or(scheme_end, |a| a + 1);
        let uri_len = rest.get(host_from..).and_then(|t| t.find([';', ','])).map_or(rest.len(), |i| host_from + i);
        let uri_text = rest.split_at_checked(uri_len).map_or(rest, |(uri, _)| uri);
        let uri = self.uri(uri_text, self.pos)?;
        if let Some(i) = uri_text.find(['?', ',']).or_else(|| (uri_len < rest.len()).then_some(uri_len)) {
            self.warn(
                WarningCode::AddrSpecAmbiguous,
                self.pos + i,
                Provenance::Rfc,
                "without <...>, RFC 3261 §20 reads every ';' after the URI as a header parameter and forbids '?' and ','; write <sip:...> to be unambiguous".to_string(),
            );
        }
        self.pos += uri_len;
        Ok((Form::AddrSpec, None, uri))
    }

    /// `quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE`
    fn quoted_string(&mut self) -> Result<String, ParseError> {
        let open = self.pos;
        let mut out = String::new();
        let mut chars = self.rest().strip_prefix('"').unwrap_or("").char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos = open + 1 + i + 1;
                    return Ok(out);
                }
                '\\' => match chars.next() {
                    Some((_, e)) if e.is_ascii() => out.push(e),
                    Some((j, _)) => {
                        return Err(ParseError::new(
                            ErrorCode::BadDisplayName,
                            open + 1 + j,
                            "a backslash in a quoted string may only escape an ASCII character",
                        ))
                    }
                    None => break,
                },
                c => out.push(c),
            }
        }
        Err(ParseError::new(ErrorCode::UnterminatedQuote, open, "the display name's opening '\"' has no closing '\"'"))
    }

    /// Parses the URI and adds the warnings its embedded headers call for.
    fn uri(&mut self, text: &str, base: usize) -> Result<Uri, ParseError> {
        if text.is_empty() {
            return Err(ParseError::new(ErrorCode::BadScheme, base, "the URI is empty; expected sip:, sips: or tel:"));
        }
        if text.starts_with([' ', '\t']) || text.ends_with([' ', '\t']) {
            let at = if text.starts_with([' ', '\t']) { base } else { base + text.trim_end().len() };
            return Err(ParseError::new(
                ErrorCode::BadScheme,
                at,
                "no whitespace is allowed between '<', the URI and '>' (RFC 3261 §25.1, RFC 4475 badaspec)",
            ));
        }
        let (uri, offsets) = parse_uri_at(text, base)?;
        if uri.scheme == Scheme::Sips {
            self.warn(
                WarningCode::SipsUnsupported,
                base,
                Provenance::Assumed,
                "no Twilio page shows a sips: URI in <Sip> (the Secure Media page writes a secure call as sip: with ;secure=true), so a handler should dial this target as sip: with ;secure=true; whether Twilio dials sips: is not documented".to_string(),
            );
        }
        for (h, &offset) in uri.headers.iter().zip(&offsets) {
            if h.name.eq_ignore_ascii_case("User-to-User") {
                let mut parts = h.value.split(';');
                let data = parts.next().unwrap_or("").trim();
                let hex = parts.any(|p| p.replace(' ', "").eq_ignore_ascii_case("encoding=hex"));
                if hex && (data.len() % 2 != 0 || !data.bytes().all(|b| b.is_ascii_hexdigit())) {
                    self.warn(
                        WarningCode::UuiNotHex,
                        offset,
                        Provenance::Assumed,
                        format!("User-to-User says encoding=hex but \"{data}\" is not an even number of hex digits (RFC 7433); the value is still passed on"),
                    );
                }
            } else if h.name.eq_ignore_ascii_case("Replaces") {
                self.warn(
                    WarningCode::ReplacesIgnored,
                    offset,
                    Provenance::Assumed,
                    "Replaces asks for an attended transfer (RFC 3891); Twilio only does blind transfer, so it is treated as blind".to_string(),
                );
            }
            if let Some(i) = h.raw_value.find('+') {
                // `offset` is where `name=value` starts; the value follows the first '='.
                let from = offset.saturating_sub(base);
                let at = offset + text.get(from..).and_then(|t| t.find('=')).map_or(0, |e| e + 1) + i;
                self.warn(
                    WarningCode::PlusIsLiteral,
                    at,
                    Provenance::Rfc,
                    format!(
                        "'+' in {} is a literal plus in SIP (\"{}\"); a form decoder such as URLSearchParams reads it as a space (\"{}\")",
                        h.name,
                        h.value,
                        h.value.replace('+', " ")
                    ),
                );
            }
        }
        Ok(uri)
    }

    /// `*( SEMI generic-param )`, then the end of the value.
    fn header_params(&mut self) -> Result<Vec<Param>, ParseError> {
        let mut params = Vec::new();
        loop {
            self.skip_wsp();
            match self.peek() {
                None => return Ok(params),
                Some(b';') => {
                    self.pos += 1;
                    self.skip_wsp();
                    params.push(self.generic_param()?);
                }
                Some(b',') => {
                    return Err(ParseError::new(
                        ErrorCode::MultipleValues,
                        self.pos,
                        "a REFER carries exactly one Refer-To value (RFC 3515 §2.4.1); found a ',' starting another",
                    ))
                }
                Some(_) => {
                    return Err(ParseError::new(
                        ErrorCode::TrailingCharacters,
                        self.pos,
                        format!("unexpected {} after the URI; parameters start with ';'", describe_at(self.text, self.pos)),
                    ))
                }
            }
        }
    }

    /// `generic-param = token [ EQUAL gen-value ]`, `gen-value = token / host / quoted-string`
    fn generic_param(&mut self) -> Result<Param, ParseError> {
        let name = self.token(is_token_char)?;
        self.skip_wsp();
        if self.peek() != Some(b'=') {
            return Ok(Param { name, value: None });
        }
        self.pos += 1;
        self.skip_wsp();
        let value = if self.peek() == Some(b'"') {
            self.quoted_string()?
        } else {
            // token, or host (which adds ':' '[' ']' for IPv6)
            self.token(is_bare_value_char)?
        };
        Ok(Param { name, value: Some(value) })
    }

    fn token(&mut self, allowed: fn(u8) -> bool) -> Result<String, ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(allowed) {
            self.pos += 1;
        }
        if start == self.pos {
            return Err(ParseError::new(
                ErrorCode::BadHeaderParam,
                self.pos,
                format!("expected a parameter name or value, found {}", describe_at(self.text, self.pos.min(self.end))),
            ));
        }
        Ok(self.text.get(start..self.pos).unwrap_or("").to_string())
    }
}

/// `quoted-string`: `"` ... `"`, with `"` and `\` escaped as quoted-pairs.
fn write_quoted(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// `gen-value = token / host / quoted-string`: the characters a bare value may hold.
fn is_bare_value_char(b: u8) -> bool {
    is_token_char(b) || matches!(b, b':' | b'[' | b']')
}

impl fmt::Display for ReferTo {
    /// Prints a canonical name-addr: quoted display name, `<uri>`, parameters.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        if let Some(name) = &self.display_name {
            write_quoted(name, &mut out);
            out.push(' ');
        }
        out.push('<');
        out.push_str(&self.uri.to_string());
        out.push('>');
        for p in &self.params {
            out.push(';');
            out.push_str(&p.name);
            if let Some(v) = &p.value {
                out.push('=');
                if !v.is_empty() && v.bytes().all(is_bare_value_char) {
                    out.push_str(v);
                } else {
                    write_quoted(v, &mut out);
                }
            }
        }
        f.write_str(&out)
    }
}

impl Serialize for ReferTo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ReferTo", 10)?;
        st.serialize_field("raw", &self.raw)?;
        st.serialize_field("form", &self.form)?;
        st.serialize_field("displayName", &self.display_name)?;
        st.serialize_field("uri", &self.uri)?;
        st.serialize_field("params", &ParamsAsMap(&self.params))?;
        st.serialize_field("transferTarget", self.transfer_target())?;
        st.serialize_field("uui", &self.uui())?;
        st.serialize_field("customHeaders", &HeadersAsPairs(self.custom_headers(), std::marker::PhantomData))?;
        st.serialize_field("replaces", &self.replaces())?;
        st.serialize_field("warnings", &self.warnings)?;
        st.end()
    }
}
