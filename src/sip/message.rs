//! The SIP messages drawn on the ladder: plausible, complete texts built from
//! a dialog's identifiers (RFC 3261 §8.1.1, §12; RFC 3515 §2.4; RFC 3420
//! sipfrag bodies). Identifiers are derived from names, never from a clock or
//! a random source, so every run prints the same bytes.
//!
//! A message is kept as what it says, typed (start line, the dialog's identifiers, CSeq,
//! the extra headers, the body), each text shared with the dialog rather than copied; its
//! text is written from those parts the first time anything asks for it (the text, the
//! first line, a header, the body), in one pass, and kept. A run nobody reads writes no SIP
//! text. The written text keeps where each part lies in it, so its typed parts
//! ([`Message::method`], [`Message::headers`], ...) are read from it and cannot disagree with
//! it. Header names are written in their full form (RFC 3261 §7.3.3's compact forms are never
//! sent), so the header list is exactly what the text carries, name for name.

use super::uri::{parse_uri, Uri};
use crate::transfer::SharedStr;
use serde::Serialize;
use std::borrow::Cow;
use std::sync::OnceLock;

/// A message body and its `Content-Type` (RFC 3261 §7.4), read from a [`Message`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Body<'a> {
    /// The media type, parameters included: `application/sdp`, `message/sipfrag;version=2.0`.
    pub content_type: &'a str,
    /// The body's text, exactly as sent.
    pub text: &'a str,
}

/// A SIP message as sent: what it says, and its text once something asked for it.
///
/// Two messages are equal when they say the same (whether or not their texts were written).
#[derive(Debug, Clone)]
pub struct Message {
    parts: Parts,
    written: OnceLock<Written>,
}

impl PartialEq for Message {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Eq for Message {}

/// The start line's own parts.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Start {
    /// `Request-Line = Method SP Request-URI SP SIP-Version CRLF`; the Request-URI is the
    /// To's URI (the party the request is sent to).
    Request { method: &'static str },
    /// `Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF`
    Response { code: u16, reason: &'static str },
}

/// A `<uri>` with its `;tag=`, when it has one (From, To, Contact).
type NameAddr = (SharedStr, Option<SharedStr>);

/// What a message says, from which its text is written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Parts {
    start: Start,
    /// The Via's sent-by: the party's host, or Twilio's (`None`).
    via_host: Option<SharedStr>,
    /// The Call-ID's hash and the transaction number, the Via's branch.
    via_branch: (u32, u32),
    from: NameAddr,
    to: NameAddr,
    call_id: SharedStr,
    /// The CSeq number and method.
    cseq: (u32, &'static str),
    /// Whether a Contact names the sender of a request (its From) or of a response (its To).
    contact: bool,
    extra: Vec<(&'static str, String)>,
    /// `(content type, text)`.
    body: Option<(&'static str, Cow<'static, str>)>,
}

/// A message's text and where each typed part lies in it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Written {
    /// The whole message: start line, headers, an empty line, the body.
    text: String,
    /// The length of the start line (without its CRLF).
    first_line: usize,
    /// A request's method ends at this byte; a response's reason phrase starts at it.
    start_at: usize,
    /// Every header in the order sent, `Content-Type` and `Content-Length` included.
    headers: Vec<HeaderAt>,
    /// The index of the `Content-Type` header and where the body starts, when there is a body.
    body: Option<(usize, usize)>,
}

/// A header of a written message: its name and where its value lies in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HeaderAt {
    name: &'static str,
    start: usize,
    end: usize,
}

impl Parts {
    /// The text, written in one pass into a string sized for it up front.
    fn write(&self) -> Written {
        let via_host = self.via_host.as_deref().unwrap_or(TWILIO_HOST);
        let name_addr_len = |(uri, tag): &NameAddr| uri.len() + 2 + tag.as_ref().map_or(0, |t| t.len() + 5);
        let first_line = match &self.start {
            Start::Request { method } => method.len() + self.to.0.len() + 9,
            Start::Response { reason, .. } => reason.len() + 12,
        };
        let extra = self.extra.iter().map(|(n, v)| n.len() + v.len() + 4).sum::<usize>();
        let body = self.body.as_ref().map_or(0, |(content_type, text)| content_type.len() + text.len() + 16);
        // The fixed parts: the headers' names, `: ` and CRLFs, the Via's 45 bytes and its
        // transaction number, Max-Forwards, CSeq's number, Content-Length, the empty line.
        let capacity = 200
            + first_line
            + via_host.len()
            + name_addr_len(&self.from)
            + name_addr_len(&self.to)
            + self.call_id.len()
            + self.cseq.1.len()
            + if self.contact { self.from.0.len().max(self.to.0.len()) + 2 } else { 0 }
            + extra
            + body;
        let mut text = String::with_capacity(capacity);
        let start_at = match &self.start {
            Start::Request { method } => {
                text.push_str(method);
                let at = text.len();
                text.push(' ');
                text.push_str(&self.to.0);
                text.push_str(" SIP/2.0");
                at
            }
            Start::Response { code, reason } => {
                text.push_str("SIP/2.0 ");
                push_number(&mut text, u64::from(*code));
                text.push(' ');
                let at = text.len();
                text.push_str(reason);
                at
            }
        };
        let first_line = text.len();
        text.push_str("\r\n");
        let mut w = Written { text, first_line, start_at, headers: Vec::with_capacity(9 + self.extra.len()), body: None };
        let (hash, branch) = self.via_branch;
        w.push_header_with("Via", |via| {
            via.push_str("SIP/2.0/UDP ");
            via.push_str(via_host);
            via.push_str(";branch=z9hG4bK");
            push_hex(via, u64::from(hash), 8);
            if branch < 10 {
                via.push('0');
            }
            push_number(via, u64::from(branch));
        });
        if matches!(self.start, Start::Request { .. }) {
            w.push_header("Max-Forwards", "70");
        }
        w.push_header_with("From", |v| name_addr(v, &self.from));
        w.push_header_with("To", |v| name_addr(v, &self.to));
        w.push_header("Call-ID", &self.call_id);
        w.push_header_with("CSeq", |v| {
            push_number(v, u64::from(self.cseq.0));
            v.push(' ');
            v.push_str(self.cseq.1);
        });
        if self.contact {
            let uri = match self.start {
                Start::Request { .. } => &self.from.0,
                Start::Response { .. } => &self.to.0,
            };
            w.push_header_with("Contact", |v| {
                v.push('<');
                v.push_str(uri);
                v.push('>');
            });
        }
        for (name, value) in &self.extra {
            w.push_header(name, value);
        }
        // `Content-Type` and `Content-Length` (in bytes, RFC 3261 §20.14), the empty line, the body.
        match &self.body {
            Some((content_type, body)) => {
                let content_type_at = w.headers.len();
                w.push_header("Content-Type", content_type);
                w.push_header_with("Content-Length", |v| push_number(v, body.len() as u64));
                w.text.push_str("\r\n");
                w.body = Some((content_type_at, w.text.len()));
                w.text.push_str(body);
            }
            None => {
                w.push_header("Content-Length", "0");
                w.text.push_str("\r\n");
            }
        }
        w
    }
}

impl Written {
    /// Appends the header `name: value`.
    fn push_header(&mut self, name: &'static str, value: &str) {
        self.push_header_with(name, |out| out.push_str(value));
    }

    /// Appends the header `name` with the value `write` appends to the text.
    fn push_header_with(&mut self, name: &'static str, write: impl FnOnce(&mut String)) {
        self.text.push_str(name);
        self.text.push_str(": ");
        let start = self.text.len();
        write(&mut self.text);
        self.headers.push(HeaderAt { name, start, end: self.text.len() });
        self.text.push_str("\r\n");
    }

    fn value(&self, h: &HeaderAt) -> &str {
        self.text.get(h.start..h.end).unwrap_or_default()
    }
}

impl Message {
    fn new(parts: Parts) -> Self {
        Message { parts, written: OnceLock::new() }
    }

    /// The text and where its parts lie, written on the first call.
    fn written(&self) -> &Written {
        self.written.get_or_init(|| self.parts.write())
    }

    /// The whole message as sent: start line, headers, an empty line, the body (CRLF line ends).
    pub fn text(&self) -> &str {
        &self.written().text
    }

    /// The request line or status line, without its CRLF.
    pub fn first_line(&self) -> &str {
        let w = self.written();
        w.text.get(..w.first_line).unwrap_or_default()
    }

    /// A request's method (`INVITE`, `REFER`, ...); `None` for a response.
    pub fn method(&self) -> Option<&str> {
        match &self.parts.start {
            Start::Request { method, .. } => Some(method),
            Start::Response { .. } => None,
        }
    }

    /// A response's status code; `None` for a request.
    pub fn status(&self) -> Option<u16> {
        match self.parts.start {
            Start::Response { code, .. } => Some(code),
            Start::Request { .. } => None,
        }
    }

    /// A response's reason phrase; `None` for a request.
    pub fn reason(&self) -> Option<&str> {
        match &self.parts.start {
            Start::Response { reason, .. } => Some(reason),
            Start::Request { .. } => None,
        }
    }

    /// Every header in the order sent, `(name, value)`, `Content-Type` and `Content-Length`
    /// included; names in their full form.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&'static str, &str)> + '_ {
        let w = self.written();
        w.headers.iter().map(|h| (h.name, w.value(h)))
    }

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        let w = self.written();
        w.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| w.value(h))
    }

    /// The body with its content type, if any.
    pub fn body(&self) -> Option<Body<'_>> {
        let w = self.written();
        let (content_type, at) = w.body?;
        Some(Body {
            content_type: w.headers.get(content_type).map_or("", |h| w.value(h)),
            text: w.text.get(at..).unwrap_or_default(),
        })
    }
}

/// Appends `n` in decimal to `out` (what `{n}` writes, without the formatting machinery).
fn push_number(out: &mut String, n: u64) {
    // The largest power of ten at most `n` (10^19 at most: no overflow), then one digit per power.
    let mut power = 1u64;
    while n / power >= 10 {
        power *= 10;
    }
    loop {
        out.push(char::from(b'0' + (n / power % 10) as u8));
        if power == 1 {
            break;
        }
        power /= 10;
    }
}

/// Appends the `width` lowest hex digits of `n` (lower case, zero-padded) to `out`.
fn push_hex(out: &mut String, n: u64, width: u32) {
    for shift in (0..width).rev() {
        out.push(char::from(hex_digit(n >> (shift * 4))));
    }
}

/// The lowest hex digit of `n`, lower case.
fn hex_digit(n: u64) -> u8 {
    let d = (n & 0xf) as u8;
    if d < 10 {
        b'0' + d
    } else {
        b'a' + d - 10
    }
}

/// A deterministic 64-bit FNV-1a hash, for identifiers.
pub fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// One SIP dialog between Twilio and a party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialog {
    /// Twilio's URI in this dialog.
    pub twilio_uri: SharedStr,
    /// The party's URI.
    pub party_uri: SharedStr,
    /// `Call-ID`.
    pub call_id: SharedStr,
    /// Twilio's tag.
    pub twilio_tag: SharedStr,
    /// The party's tag (set once it answers).
    pub party_tag: Option<SharedStr>,
    /// Twilio created the dialog (sent the INVITE).
    pub twilio_is_uac: bool,
    /// Twilio's next CSeq.
    pub twilio_cseq: u32,
    /// The party's next CSeq.
    pub party_cseq: u32,
    branches: u32,
    /// The Via branch number of the last request, which its responses echo.
    last_branch: u32,
    /// The Via branch number of the last INVITE: its responses, a CANCEL of it and
    /// the ACK of a non-2xx final response reuse it (RFC 3261 §9.1, §17.1.1.3).
    invite_branch: u32,
    /// The last INVITE's final response code, once it has one.
    invite_final: Option<u16>,
    /// Twilio's tag has been sent: it is the UAC (From of its INVITE), or it has answered
    /// the party's INVITE. Until then the party's requests carry no To tag (RFC 3261 §8.1.1.2).
    twilio_tag_sent: bool,
    /// The To tag the last INVITE carried, which a CANCEL of it repeats (RFC 3261 §9.1).
    invite_to_tag: Option<SharedStr>,
    /// The party's Via sent-by, and the `party_uri` it was read from (read again when that changed).
    party_host: Option<(SharedStr, SharedStr)>,
    /// The `call_id` hashed for Via branches, and the hash (hashed again when it changed).
    call_hash: Option<(SharedStr, u32)>,
}

/// Who sends a message in a dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Twilio's edge.
    Twilio,
    /// The far party.
    Party,
}

const TWILIO_HOST: &str = "sip.twilio.invalid";

/// What follows the hex digits of a Call-ID: `@` and Twilio's host.
const CALL_ID_SUFFIX: &str = "@sip.twilio.invalid";

/// The `width` (at most 16) lowest hex digits of `n` (lower case, zero-padded), then
/// `suffix` (ASCII, at most 32 bytes), as shared text: written on the stack, so the text
/// is one allocation.
fn shared_hex(n: u64, width: u32, suffix: &str) -> SharedStr {
    let mut buf = [0u8; 48];
    let digits = (0..width.min(16)).rev().map(|shift| hex_digit(n >> (shift * 4)));
    let mut len = 0;
    for (slot, b) in buf.iter_mut().zip(digits.chain(suffix.bytes())) {
        *slot = b;
        len += 1;
    }
    std::str::from_utf8(buf.get(..len).unwrap_or_default()).unwrap_or_default().into()
}

impl Dialog {
    /// A dialog named `name` (the leg id) between Twilio and `party_uri`.
    pub fn new(name: &str, twilio_uri: impl Into<SharedStr>, party_uri: &str, twilio_is_uac: bool) -> Self {
        let h = fnv(name);
        let call_id = shared_hex(h, 16, CALL_ID_SUFFIX);
        let call_hash = Some((call_id.clone(), fnv(&call_id) as u32));
        Dialog {
            twilio_uri: twilio_uri.into(),
            party_uri: party_uri.into(),
            call_id,
            twilio_tag: shared_hex(u64::from((h >> 32) as u32 ^ 0x5a5a_5a5a), 8, ""),
            party_tag: (!twilio_is_uac).then(|| shared_hex(u64::from(h as u32 ^ 0x3c3c_3c3c), 8, "")),
            twilio_is_uac,
            twilio_cseq: 1,
            party_cseq: 1,
            branches: 0,
            last_branch: 0,
            invite_branch: 0,
            invite_final: None,
            twilio_tag_sent: twilio_is_uac,
            invite_to_tag: None,
            party_host: None,
            call_hash,
        }
    }

    /// The party's tag once it answers (a UAS chooses it in its response).
    pub fn answered(&mut self) {
        if self.party_tag.is_none() {
            self.party_tag = Some(shared_hex(u64::from(fnv(&self.call_id) as u32), 8, ""));
        }
    }

    /// The Via branch of a new `method` request: a new transaction gets a new branch; a
    /// CANCEL, and the ACK of a non-2xx final response, belong to the INVITE's transaction.
    fn branch(&mut self, method: &str) -> u32 {
        let same_as_invite = method == "CANCEL" || (method == "ACK" && self.invite_final.is_some_and(|c| c >= 300));
        let n = if same_as_invite {
            self.invite_branch
        } else {
            self.branches += 1;
            self.branches
        };
        if method == "INVITE" {
            self.invite_branch = n;
            self.invite_final = None;
        }
        self.last_branch = n;
        n
    }

    /// `host [":" port]` of `uri` as [`parse_uri`] reads it (the Via's sent-by); a party
    /// whose URI does not parse has no host to show, so `invalid` (RFC 2606) stands in.
    fn host_of(uri: &str) -> SharedStr {
        match parse_uri(uri.trim()) {
            Ok(Uri { host: Some(host), port: Some(port), .. }) => format!("{host}:{port}").into(),
            Ok(Uri { host: Some(host), .. }) => host.to_string().into(),
            _ => "invalid".into(),
        }
    }

    /// A request from `side`, with extra headers and an optional body `(type, text)`; its
    /// text is written when first read.
    pub fn request(
        &mut self,
        side: Side,
        method: &'static str,
        extra: &[(&'static str, &str)],
        body: Option<(&'static str, Cow<'static, str>)>,
    ) -> Message {
        let branch = self.branch(method);
        let cseq = match (side, method) {
            (_, "ACK") | (_, "CANCEL") => self.current_cseq(side),
            (Side::Twilio, _) => {
                self.twilio_cseq += 1;
                self.twilio_cseq - 1
            }
            (Side::Party, _) => {
                self.party_cseq += 1;
                self.party_cseq - 1
            }
        };
        let via_host = self.via_host(side);
        // RFC 3261 §8.1.1.8 (INVITE), RFC 3515 §2.4.1 (REFER), RFC 6665 §8.1.1 (NOTIFY): the
        // sender's Contact.
        let contact = matches!(method, "INVITE" | "REFER" | "NOTIFY");
        if method == "INVITE" {
            self.invite_to_tag = self.addresses(side).1 .1;
        }
        let (from, mut to) = self.addresses(side);
        if method == "CANCEL" {
            to.1 = self.invite_to_tag.clone();
        }
        self.message(Start::Request { method }, via_host, branch, (from, to), (cseq, method), contact, extra, body)
    }

    /// A response from `side` to the last `method` the other side sent; its text is written
    /// when first read.
    #[allow(clippy::too_many_arguments)]
    pub fn response(
        &mut self,
        side: Side,
        code: u16,
        reason: &'static str,
        method: &'static str,
        extra: &[(&'static str, &str)],
        body: Option<(&'static str, Cow<'static, str>)>,
    ) -> Message {
        // A response keeps the request's From/To: the requester is the other side.
        let requester = other(side);
        // Every response but 100 carries the responder's To tag (RFC 3261 §8.2.6.2): a
        // party that answers Twilio's INVITE picks its tag at its first response.
        if code > 100 {
            match side {
                Side::Party => self.answered(),
                Side::Twilio => self.twilio_tag_sent = true,
            }
        }
        let cseq = self.current_cseq(requester);
        // A response echoes its request's Via: an INVITE's responses that of the INVITE.
        let via_host = self.via_host(requester);
        let branch = if method == "INVITE" { self.invite_branch } else { self.last_branch };
        if method == "INVITE" && code >= 200 {
            self.invite_final = Some(code);
        }
        // A 2xx to INVITE names the responder's contact (RFC 3261 §13.3.1.4).
        let contact = method == "INVITE" && (200..300).contains(&code);
        let addresses = self.addresses(requester);
        self.message(Start::Response { code, reason }, via_host, branch, addresses, (cseq, method), contact, extra, body)
    }

    /// The message whose start line is `start`, with the Via of `via_host` and transaction
    /// `branch`, From and To (`addresses`, as [`Dialog::addresses`] gives them for the
    /// transaction's requester), this dialog's Call-ID, CSeq, a Contact when `contact` (the
    /// sender's), the extra headers and the body.
    #[allow(clippy::too_many_arguments)]
    fn message(
        &self,
        start: Start,
        via_host: Option<SharedStr>,
        branch: u32,
        addresses: (NameAddr, NameAddr),
        cseq: (u32, &'static str),
        contact: bool,
        extra: &[(&'static str, &str)],
        body: Option<(&'static str, Cow<'static, str>)>,
    ) -> Message {
        let (from, to) = addresses;
        Message::new(Parts {
            start,
            via_host,
            via_branch: (self.call_hash(), branch),
            from,
            to,
            call_id: self.call_id.clone(),
            cseq,
            contact,
            extra: extra.iter().map(|&(name, value)| (name, value.to_string())).collect(),
            body,
        })
    }

    /// The Call-ID's 32-bit FNV-1a hash, in every Via branch of the dialog.
    fn call_hash(&self) -> u32 {
        match &self.call_hash {
            Some((call_id, hash)) if *call_id == self.call_id => *hash,
            _ => fnv(&self.call_id) as u32,
        }
    }

    fn current_cseq(&self, side: Side) -> u32 {
        match side {
            Side::Twilio => self.twilio_cseq.saturating_sub(1).max(1),
            Side::Party => self.party_cseq.saturating_sub(1).max(1),
        }
    }

    /// `((from uri, from tag), (to uri, to tag))` of a request sent by `side`: the
    /// sender is From, with its own tag (RFC 3261 §12.2.1.1).
    fn addresses(&self, side: Side) -> (NameAddr, NameAddr) {
        let twilio_tag = Some(self.twilio_tag.clone()).filter(|_| side == Side::Twilio || self.twilio_tag_sent);
        let twilio = (self.twilio_uri.clone(), twilio_tag);
        let party = (self.party_uri.clone(), self.party_tag.clone());
        match side {
            Side::Twilio => (twilio, party),
            Side::Party => (party, twilio),
        }
    }

    /// The host in the Via of a request sent by `side`: Twilio's (`None`), or the party's,
    /// read once from its URI (and again when the URI changed).
    fn via_host(&mut self, side: Side) -> Option<SharedStr> {
        match side {
            Side::Twilio => None,
            Side::Party => {
                let known = self.party_host.take().filter(|(uri, _)| *uri == self.party_uri);
                let (_, host) =
                    self.party_host.insert(known.unwrap_or_else(|| (self.party_uri.clone(), Self::host_of(&self.party_uri))));
                Some(host.clone())
            }
        }
    }
}

fn other(side: Side) -> Side {
    match side {
        Side::Twilio => Side::Party,
        Side::Party => Side::Twilio,
    }
}

/// `sip:user@domain`, the user percent-escaped as RFC 3261's `user` rule wants: what a
/// [`Uri`] of that user and domain, and nothing else, writes.
pub(crate) fn sip_uri(user: &str, domain: &str) -> String {
    let mut out = String::with_capacity(5 + 3 * user.len() + domain.len());
    out.push_str("sip:");
    super::chars::escape(user, super::chars::is_user_char, &mut out);
    out.push('@');
    out.push_str(domain);
    out
}

/// Appends `<uri>`, with `;tag=` and the tag when there is one, to `out`.
fn name_addr(out: &mut String, (uri, tag): &NameAddr) {
    out.push('<');
    out.push_str(uri);
    out.push('>');
    if let Some(t) = tag {
        out.push_str(";tag=");
        out.push_str(t);
    }
}

/// The reason phrase RFC 3261 §21 gives a status code.
pub fn reason(code: u16) -> &'static str {
    match code {
        100 => "Trying",
        180 => "Ringing",
        200 => "OK",
        202 => "Accepted",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        480 => "Temporarily Unavailable",
        481 => "Call/Transaction Does Not Exist",
        486 => "Busy Here",
        487 => "Request Terminated",
        488 => "Not Acceptable Here",
        491 => "Request Pending",
        500 => "Server Internal Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        600 => "Busy Everywhere",
        603 => "Decline",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::{push_hex, push_number, Dialog, Side};

    #[test]
    fn a_message_is_written_when_first_read_and_compares_by_what_it_says() {
        let mut d = Dialog::new("leg", "sip:t@x", "sip:p@y", true);
        let (a, b) = (d.clone().request(Side::Twilio, "INVITE", &[], None), d.request(Side::Twilio, "INVITE", &[], None));
        assert!(a.written.get().is_none(), "nothing read yet: no text");
        assert_eq!(a.method(), Some("INVITE"));
        assert!(a.written.get().is_none(), "the method is read from the parts");
        assert!(a.text().starts_with("INVITE sip:p@y SIP/2.0\r\nVia: SIP/2.0/UDP sip.twilio.invalid;branch=z9hG4bK"));
        assert!(a.written.get().is_some());
        assert_eq!(a, b, "equal whether or not the text was written");
        assert_eq!(b.text(), a.text());
    }

    #[test]
    fn numbers_and_hex_are_written_as_format_writes_them() {
        for n in [0, 1, 9, 10, 99, 100, 487, 65_535, 1 << 40, 10_000_000_000_000_000_000, u64::MAX] {
            let mut out = String::new();
            push_number(&mut out, n);
            assert_eq!(out, n.to_string());
            let mut hex = String::new();
            push_hex(&mut hex, n, 16);
            assert_eq!(hex, format!("{n:016x}"));
        }
        let mut short = String::new();
        push_hex(&mut short, 0xab, 8);
        assert_eq!(short, "000000ab");
    }
}
