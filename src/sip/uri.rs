//! SIP, SIPS and tel URIs (RFC 3261 §19.1, §25.1; RFC 3966): a typed value with
//! decoded parts, a checking parser that reports the byte offset of the first
//! problem, and a `Display` that prints a value the parser reads back equal.
//!
//! ```text
//! SIP-URI    = "sip:" [ userinfo ] hostport uri-parameters [ headers ]
//! SIPS-URI   = "sips:" [ userinfo ] hostport uri-parameters [ headers ]
//! userinfo   = ( user / telephone-subscriber ) [ ":" password ] "@"
//! hostport   = host [ ":" port ]
//! host       = hostname / IPv4address / IPv6reference
//! uri-parameters = *( ";" uri-parameter )
//! headers    = "?" header *( "&" header )
//! header     = hname "=" hvalue
//! telephone-uri = "tel:" telephone-subscriber        ; RFC 3966
//! ```

use serde::ser::{SerializeMap, SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::chars::{self, decode_checked, describe_at, escape, offset_of, split_before, split_while, Class};
use super::error::{ErrorCode, ParseError};

/// The URI scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// `sip:` (RFC 3261).
    Sip,
    /// `sips:`, SIP over TLS end to end (RFC 3261).
    Sips,
    /// `tel:`, a telephone number (RFC 3966).
    Tel,
}

impl Scheme {
    /// The scheme `text` starts with, as [`parse_uri`] reads it (the name before the first
    /// `:`, in any case); `None` when there is no `:` or the name is not sip, sips or tel.
    pub(crate) fn of(text: &str) -> Option<Scheme> {
        let (name, _) = text.split_once(':')?;
        Scheme::named(name)
    }

    fn named(name: &str) -> Option<Scheme> {
        [Scheme::Sip, Scheme::Sips, Scheme::Tel].into_iter().find(|s| name.eq_ignore_ascii_case(s.as_str()))
    }

    /// The lowercase scheme name, without the colon.
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Sip => "sip",
            Scheme::Sips => "sips",
            Scheme::Tel => "tel",
        }
    }
}

/// The host of a SIP URI.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// `hostname = *( domainlabel "." ) toplabel [ "." ]`, as written.
    Domain(String),
    /// `IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT`
    Ipv4(Ipv4Addr),
    /// `IPv6reference = "[" IPv6address "]"`
    Ipv6(Ipv6Addr),
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(d) => f.write_str(d),
            Host::Ipv4(a) => write!(f, "{a}"),
            Host::Ipv6(a) => write!(f, "[{a}]"),
        }
    }
}

/// A `;name[=value]` parameter, decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Param {
    /// Parameter name.
    pub name: String,
    /// Parameter value, `None` for a flag such as `;lr`.
    pub value: Option<String>,
}

/// An embedded header `hname=hvalue` from the `?` part of a SIP URI.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UriHeader {
    /// Header name, percent-decoded.
    pub name: String,
    /// Header value, percent-decoded (`%3B` becomes `;`, `+` stays `+`).
    pub value: String,
    /// The value exactly as written, still escaped.
    pub raw_value: String,
}

impl UriHeader {
    /// A header from decoded parts; the raw form is the canonical escaping.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        let value = value.into();
        let mut raw_value = String::new();
        escape(&value, chars::is_header_char, &mut raw_value);
        UriHeader { name: name.into(), value, raw_value }
    }

    /// Whether the decoded header can be written as a header line of a request: its name a
    /// `token` and its value free of control characters other than HTAB (RFC 3261 §25.1,
    /// `TEXT-UTF8char`). `%0D%0A` in a value decodes to a line break, which cannot be.
    pub fn is_writable(&self) -> bool {
        !self.name.is_empty()
            && self.name.bytes().all(chars::is_token_char)
            && !self.value.chars().any(|c| c.is_control() && c != '\t')
    }
}

/// A parsed `sip:`, `sips:` or `tel:` URI. Text parts are percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uri {
    /// The scheme.
    pub scheme: Scheme,
    /// The user part (SIP) or the subscriber number (tel).
    pub user: Option<String>,
    /// The password after `user:` (deprecated by RFC 3261, still parsed).
    pub password: Option<String>,
    /// The host; `None` for `tel:`.
    pub host: Option<Host>,
    /// The port, when written.
    pub port: Option<u16>,
    /// URI parameters in order (`;transport=tls;lr`).
    pub params: Vec<Param>,
    /// Embedded headers in order (`?User-to-User=...&X-Name=...`).
    pub headers: Vec<UriHeader>,
}

impl Uri {
    /// The first parameter named `name` (case-insensitive): `Some(None)` for a flag.
    pub fn param(&self, name: &str) -> Option<Option<&str>> {
        self.params.iter().find(|p| p.name.eq_ignore_ascii_case(name)).map(|p| p.value.as_deref())
    }

    /// The first embedded header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&UriHeader> {
        self.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name))
    }
}

/// The longest URI [`parse_uri`] reads, in bytes; longer text is `too_long`. \[assumed\]
/// The vendor documents no limit on a whole SIP URI, only one on its headers part (under
/// 1024 characters, warning 21227); 4 KiB leaves room for user, host and parameters beside
/// those while bounding the work done on pasted garbage. A Refer-To is far shorter
/// ([`MAX_REFER_TO_LEN`](super::MAX_REFER_TO_LEN) characters).
pub const MAX_URI_BYTES: usize = 4096;

/// Parses a URI on its own (offsets in errors count from the start of `text`).
///
/// Text over [`MAX_URI_BYTES`] is refused at once with [`ErrorCode::TooLong`] at that offset.
pub fn parse_uri(text: &str) -> Result<Uri, ParseError> {
    if text.len() > MAX_URI_BYTES {
        return Err(ParseError::new(
            ErrorCode::TooLong,
            MAX_URI_BYTES,
            format!("the URI is {} bytes long; at most {MAX_URI_BYTES} are read", text.len()),
        ));
    }
    parse_uri_at(text, 0).map(|(uri, _)| uri)
}

/// Parses `text`, found at byte `base` of a larger value. Returns the URI and
/// the byte offset of each embedded header, for the warnings of the caller.
pub(crate) fn parse_uri_at(text: &str, base: usize) -> Result<(Uri, Vec<usize>), ParseError> {
    let (scheme_text, after_colon) = match text.split_once(':') {
        Some((scheme, rest)) => (scheme, Some(rest)),
        None => (text, None),
    };
    let scheme = match Scheme::named(scheme_text) {
        Some(scheme) => scheme,
        None => {
            let shown: String = scheme_text.chars().take(20).collect();
            let message = if after_colon.is_none() {
                "a URI must start with sip:, sips: or tel:".to_string()
            } else {
                format!("the scheme \"{shown}\" is not sip, sips or tel")
            };
            return Err(ParseError::new(ErrorCode::BadScheme, base, message));
        }
    };
    // A scheme name alone ("sip", "tel") is not a URI: the ':' and what follows it are required.
    let Some(rest) = after_colon else {
        return Err(ParseError::new(
            ErrorCode::BadScheme,
            base + text.len(),
            format!("\"{scheme_text}\" must be followed by ':' and an address (for example sip:alice@example.com)"),
        ));
    };
    let rest_base = base + scheme_text.len() + 1;
    match scheme {
        Scheme::Tel => parse_tel(rest, rest_base).map(|uri| (uri, Vec::new())),
        Scheme::Sip | Scheme::Sips => parse_sip(scheme, rest, rest_base),
    }
}

/// `[ userinfo ] hostport uri-parameters [ headers ]`, the part after `sip:` found at byte `base`.
/// Each step takes what is left of `rest`; [`offset_of`] turns what is left back into a position.
fn parse_sip(scheme: Scheme, rest: &str, base: usize) -> Result<(Uri, Vec<usize>), ParseError> {
    let mut uri = Uri { scheme, user: None, password: None, host: None, port: None, params: Vec::new(), headers: Vec::new() };
    let at = |tail: &str| base + offset_of(rest, tail);
    let mut left = rest;
    if let Some((userinfo, after_at)) = rest.split_once('@') {
        let (user, password) = match userinfo.split_once(':') {
            Some((user, pw)) => (user, Some((pw, user.len() + 1))),
            None => (userinfo, None),
        };
        if user.is_empty() {
            return Err(ParseError::new(ErrorCode::BadUser, base, "the user part before '@' is empty"));
        }
        uri.user = Some(decode_checked(user, base, Class::User, ErrorCode::BadUser, "user part")?);
        if let Some((pw, off)) = password {
            uri.password = Some(decode_checked(pw, base + off, Class::Password, ErrorCode::BadPassword, "password")?);
        }
        left = after_at;
    }

    // host
    if let Some(inner) = left.strip_prefix('[') {
        let (addr_text, after) = inner
            .split_once(']')
            .ok_or_else(|| ParseError::new(ErrorCode::BadHost, at(left), "an IPv6 reference '[' has no closing ']'"))?;
        let addr: Ipv6Addr = addr_text
            .parse()
            .map_err(|_| ParseError::new(ErrorCode::BadHost, at(inner), format!("\"{addr_text}\" is not an IPv6 address")))?;
        uri.host = Some(Host::Ipv6(addr));
        left = after;
    } else {
        let (host, after) = split_while(left, |b| chars::is_alphanum(b) || b == b'-' || b == b'.');
        uri.host = Some(check_host(host, at(left))?);
        left = after;
    }
    if left.bytes().next().is_some_and(|b| !matches!(b, b':' | b';' | b'?')) {
        return Err(ParseError::new(
            ErrorCode::BadHost,
            at(left),
            format!("{} cannot appear in a host name", describe_at(left, 0)),
        ));
    }

    // port
    if let Some(port_text) = left.strip_prefix(':') {
        let (digits, after) = split_while(port_text, |b| b.is_ascii_digit());
        if after.bytes().next().is_some_and(|b| !matches!(b, b';' | b'?')) {
            return Err(ParseError::new(
                ErrorCode::BadPort,
                at(after),
                format!("{} in the port: a port is digits only", describe_at(after, 0)),
            ));
        }
        if digits.is_empty() {
            return Err(ParseError::new(ErrorCode::BadPort, at(port_text), "the port after ':' is empty"));
        }
        uri.port = Some(
            digits
                .parse::<u16>()
                .map_err(|_| ParseError::new(ErrorCode::BadPort, at(port_text), format!("port {digits} is above 65535")))?,
        );
        left = after;
    }

    // uri-parameters, then headers after the first '?'
    let (params_text, headers_text) = match left.split_once('?') {
        Some((params, headers)) => (params, Some(headers)),
        None => (left, None),
    };
    uri.params = parse_params(params_text, at(left))?;

    let mut offsets = Vec::new();
    if let Some(headers_text) = headers_text {
        let mut pos = at(headers_text);
        for part in headers_text.split('&') {
            offsets.push(pos);
            uri.headers.push(parse_header(part, pos)?);
            pos += part.len() + 1;
        }
    }
    Ok((uri, offsets))
}

/// `header = hname "=" hvalue`
fn parse_header(part: &str, base: usize) -> Result<UriHeader, ParseError> {
    let Some((name, raw_value)) = part.split_once('=') else {
        return Err(ParseError::new(ErrorCode::BadHeader, base, "an embedded header needs the form name=value"));
    };
    if name.is_empty() {
        return Err(ParseError::new(ErrorCode::BadHeader, base, "an embedded header has an empty name"));
    }
    let value_at = base + name.len() + 1;
    let name = decode_checked(name, base, Class::Header, ErrorCode::BadHeader, "header name")?;
    let value = decode_checked(raw_value, value_at, Class::Header, ErrorCode::BadHeader, "header value")?;
    Ok(UriHeader { name, value, raw_value: raw_value.to_string() })
}

/// `*( ";" pname [ "=" pvalue ] )`, where `text` is empty or starts with `;`.
fn parse_params(text: &str, base: usize) -> Result<Vec<Param>, ParseError> {
    let mut params = Vec::new();
    let Some(body) = text.strip_prefix(';') else {
        return Ok(params);
    };
    let mut pos = 1; // skip the leading ';'
    for part in body.split(';') {
        let (name, value) = match part.split_once('=') {
            Some((name, value)) => (name, Some((value, name.len() + 1))),
            None => (part, None),
        };
        if name.is_empty() {
            return Err(ParseError::new(ErrorCode::BadParam, base + pos, "a URI parameter has an empty name"));
        }
        let name = decode_checked(name, base + pos, Class::Param, ErrorCode::BadParam, "parameter name")?;
        let value = match value {
            Some(("", off)) => {
                return Err(ParseError::new(
                    ErrorCode::BadParam,
                    base + pos + off,
                    format!("parameter {name} has '=' but no value"),
                ))
            }
            Some((v, off)) => Some(decode_checked(v, base + pos + off, Class::Param, ErrorCode::BadParam, "parameter value")?),
            None => None,
        };
        params.push(Param { name, value });
        pos += part.len() + 1;
    }
    Ok(params)
}

/// `hostname / IPv4address`: dotted digits must be a valid IPv4 address;
/// otherwise `*( domainlabel "." ) toplabel [ "." ]`, where a domainlabel is
/// alphanumerics with inner hyphens and the toplabel starts with a letter.
fn check_host(host: &str, base: usize) -> Result<Host, ParseError> {
    if host.is_empty() {
        return Err(ParseError::new(ErrorCode::BadHost, base, "the host is missing"));
    }
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return host.parse::<Ipv4Addr>().map(Host::Ipv4).map_err(|_| {
            ParseError::new(ErrorCode::BadHost, base, format!("\"{host}\" is not an IPv4 address (four numbers 0-255)"))
        });
    }
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    let mut labels = trimmed.split('.').peekable();
    let mut offset = base;
    while let Some(label) = labels.next() {
        let bad = |why: &str| ParseError::new(ErrorCode::BadHost, offset, format!("bad host \"{host}\": {why}"));
        if label.is_empty() {
            return Err(bad("empty label between dots"));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(bad("a label cannot start or end with '-'"));
        }
        if labels.peek().is_none() && !label.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return Err(bad("the last label must start with a letter"));
        }
        offset += label.len() + 1;
    }
    Ok(Host::Domain(host.to_string()))
}

/// `telephone-subscriber = global-number / local-number` (RFC 3966 §3), then
/// `*par` parameters. A local number needs `;phone-context`.
fn parse_tel(rest: &str, base: usize) -> Result<Uri, ParseError> {
    let (number, params_text) = split_before(rest, |c| c == ';');
    let (global, digits) = match number.strip_prefix('+') {
        Some(digits) => (true, digits),
        None => (false, number),
    };
    let first = if global { 1 } else { 0 };
    let visual = |b: u8| matches!(b, b'-' | b'.' | b'(' | b')');
    for (i, b) in digits.bytes().enumerate() {
        let ok = b.is_ascii_digit() || visual(b) || (!global && (b.is_ascii_hexdigit() || b == b'*' || b == b'#'));
        if !ok {
            return Err(ParseError::new(
                ErrorCode::BadTel,
                base + first + i,
                format!("{} cannot appear in a telephone number (digits and - . ( ) only)", describe_at(digits, i)),
            ));
        }
    }
    if !digits.bytes().any(|b| b.is_ascii_hexdigit() || b == b'*' || b == b'#') {
        return Err(ParseError::new(ErrorCode::BadTel, base, "a tel: URI needs a number, such as tel:+14155550100"));
    }
    let params = parse_params(params_text, base + number.len())
        .map_err(|e| ParseError { code: if e.code == ErrorCode::BadEscape { e.code } else { ErrorCode::BadTel }, ..e })?;
    if !global && !params.iter().any(|p| p.name.eq_ignore_ascii_case("phone-context")) {
        return Err(ParseError::new(
            ErrorCode::BadTel,
            base,
            "a local number needs ;phone-context (RFC 3966 §5.1.5); use the global form +<country code><number>",
        ));
    }
    Ok(Uri {
        scheme: Scheme::Tel,
        user: Some(number.to_string()),
        password: None,
        host: None,
        port: None,
        params,
        headers: Vec::new(),
    })
}

impl fmt::Display for Uri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        out.push_str(self.scheme.as_str());
        out.push(':');
        if self.scheme == Scheme::Tel {
            out.push_str(self.user.as_deref().unwrap_or(""));
        } else if let Some(user) = &self.user {
            escape(user, chars::is_user_char, &mut out);
            if let Some(pw) = &self.password {
                out.push(':');
                escape(pw, chars::is_password_char, &mut out);
            }
            out.push('@');
        }
        if let Some(host) = &self.host {
            out.push_str(&host.to_string());
        }
        if let Some(port) = self.port {
            out.push_str(&format!(":{port}"));
        }
        write_params(&self.params, &mut out);
        for (i, h) in self.headers.iter().enumerate() {
            out.push(if i == 0 { '?' } else { '&' });
            escape(&h.name, chars::is_header_char, &mut out);
            out.push('=');
            out.push_str(&h.raw_value);
        }
        f.write_str(&out)
    }
}

/// Appends `;name[=value]` for each parameter, escaping as `paramchar` requires.
fn write_params(params: &[Param], out: &mut String) {
    for p in params {
        out.push(';');
        escape(&p.name, chars::is_param_char, out);
        if let Some(v) = &p.value {
            out.push('=');
            escape(v, chars::is_param_char, out);
        }
    }
}

/// Serialises parameters as a JS object `{ name: value | null }`, in order.
pub(crate) struct ParamsAsMap<'a>(pub &'a [Param]);

impl Serialize for ParamsAsMap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for p in self.0 {
            map.serialize_entry(&p.name, &p.value)?;
        }
        map.end()
    }
}

/// Serialises headers as `[[name, decodedValue], ...]`, in order.
pub(crate) struct HeadersAsPairs<'a, I>(pub I, pub std::marker::PhantomData<&'a ()>);

impl<'a, I> Serialize for HeadersAsPairs<'a, I>
where
    I: Iterator<Item = &'a UriHeader> + Clone,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for h in self.0.clone() {
            seq.serialize_element(&(&h.name, &h.value))?;
        }
        seq.end()
    }
}

impl Serialize for Uri {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Uri", 7)?;
        st.serialize_field("scheme", self.scheme.as_str())?;
        st.serialize_field("user", &self.user)?;
        st.serialize_field("password", &self.password)?;
        st.serialize_field("host", &self.host.as_ref().map(|h| h.to_string()))?;
        st.serialize_field("port", &self.port)?;
        st.serialize_field("params", &ParamsAsMap(&self.params))?;
        st.serialize_field("headers", &HeadersAsPairs(self.headers.iter(), std::marker::PhantomData))?;
        st.end()
    }
}
