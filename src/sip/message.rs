//! The SIP messages drawn on the ladder: plausible, complete texts built from
//! a dialog's identifiers (RFC 3261 §8.1.1, §12; RFC 3515 §2.4; RFC 3420
//! sipfrag bodies). Identifiers are derived from names, never from a clock or
//! a random source, so every run prints the same bytes.
//!
//! A message is built once, as a typed [`Message`] (start line, headers in the order
//! sent, body with its content type); its text is written from those fields by
//! `Message::text_and_first_line`, so the text and the fields cannot disagree. Header names are
//! written in their full form (RFC 3261 §7.3.3's compact forms are never sent), so the
//! header list is exactly what the text carries, name for name.

use super::uri::{parse_uri, Uri};
use serde::Serialize;

/// The start line of a message (RFC 3261 §7.1, §7.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartLine {
    /// `Request-Line = Method SP Request-URI SP SIP-Version CRLF`
    Request {
        /// The method: `INVITE`, `ACK`, `BYE`, `CANCEL`, `REFER`, `NOTIFY`.
        method: String,
        /// The Request-URI.
        uri: String,
    },
    /// `Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF`
    Response {
        /// The status code.
        code: u16,
        /// The reason phrase.
        reason: String,
    },
}

/// A message body and its `Content-Type` (RFC 3261 §7.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Body {
    /// The media type, parameters included: `application/sdp`, `message/sipfrag;version=2.0`.
    pub content_type: String,
    /// The body's text, exactly as sent.
    pub text: String,
}

/// A SIP message as sent: the fields from which its text is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Request line or status line.
    pub start: StartLine,
    /// Every header in the order sent, `(name, value)`, `Content-Type` and
    /// `Content-Length` included; names in their full form.
    pub headers: Vec<(&'static str, String)>,
    /// The body, if any.
    pub body: Option<Body>,
}

impl Message {
    /// Appends the start line, without its CRLF, to `out` (sized by its one caller,
    /// `text_and_first_line`).
    fn write_first_line(&self, out: &mut String) {
        match &self.start {
            StartLine::Request { method, uri } => {
                out.push_str(method);
                out.push(' ');
                out.push_str(uri);
                out.push_str(" SIP/2.0");
            }
            StartLine::Response { code, reason } => {
                out.push_str("SIP/2.0 ");
                push_number(out, u64::from(*code));
                out.push(' ');
                out.push_str(reason);
            }
        }
    }

    /// The whole message as sent (start line, headers, an empty line, the body) and the
    /// length of its start line (the text's first bytes), written in one pass.
    pub(crate) fn text_and_first_line(&self) -> (String, usize) {
        let start = match &self.start {
            StartLine::Request { method, uri } => method.len() + uri.len() + 9,
            StartLine::Response { reason, .. } => reason.len() + 12,
        };
        let size = self.headers.iter().map(|(n, v)| n.len() + v.len() + 4).sum::<usize>();
        let mut m = String::with_capacity(start + 4 + size + self.body.as_ref().map_or(0, |b| b.text.len()));
        self.write_first_line(&mut m);
        let first = m.len();
        m.push_str("\r\n");
        for (name, value) in &self.headers {
            m.push_str(name);
            m.push_str(": ");
            m.push_str(value);
            m.push_str("\r\n");
        }
        m.push_str("\r\n");
        if let Some(body) = &self.body {
            m.push_str(&body.text);
        }
        (m, first)
    }

    fn header(&mut self, name: &'static str, value: impl Into<String>) {
        self.headers.push((name, value.into()));
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
        let d = ((n >> (shift * 4)) & 0xf) as u8;
        out.push(char::from(if d < 10 { b'0' + d } else { b'a' + d - 10 }));
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
    pub twilio_uri: String,
    /// The party's URI.
    pub party_uri: String,
    /// `Call-ID`.
    pub call_id: String,
    /// Twilio's tag.
    pub twilio_tag: String,
    /// The party's tag (set once it answers).
    pub party_tag: Option<String>,
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
    invite_to_tag: Option<String>,
    /// The party's Via sent-by, and the `party_uri` it was read from (read again when that changed).
    party_host: Option<(String, String)>,
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

impl Dialog {
    /// A dialog named `name` (the leg id) between Twilio and `party_uri`.
    pub fn new(name: &str, twilio_uri: &str, party_uri: &str, twilio_is_uac: bool) -> Self {
        let h = fnv(name);
        let hex = |n: u64, width: u32, capacity: usize| {
            let mut text = String::with_capacity(capacity);
            push_hex(&mut text, n, width);
            text
        };
        let mut call_id = hex(h, 16, 17 + TWILIO_HOST.len());
        call_id.push('@');
        call_id.push_str(TWILIO_HOST);
        Dialog {
            twilio_uri: twilio_uri.to_string(),
            party_uri: party_uri.to_string(),
            call_id,
            twilio_tag: hex(u64::from((h >> 32) as u32 ^ 0x5a5a_5a5a), 8, 8),
            party_tag: (!twilio_is_uac).then(|| hex(u64::from(h as u32 ^ 0x3c3c_3c3c), 8, 8)),
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
        }
    }

    /// The party's tag once it answers (a UAS chooses it in its response).
    pub fn answered(&mut self) {
        if self.party_tag.is_none() {
            let mut tag = String::with_capacity(8);
            push_hex(&mut tag, u64::from(fnv(&self.call_id) as u32), 8);
            self.party_tag = Some(tag);
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

    /// The Via header of a request `side` sends, or of a response to it: `SIP/2.0/UDP`, the
    /// sender's host and the branch of transaction `n` (`z9hG4bK`, the Call-ID's hash, `n`).
    fn via(&mut self, side: Side, n: u32) -> String {
        let hash = fnv(&self.call_id) as u32;
        let host = self.via_host(side);
        let mut via = String::with_capacity(host.len() + 42);
        via.push_str("SIP/2.0/UDP ");
        via.push_str(host);
        via.push_str(";branch=z9hG4bK");
        push_hex(&mut via, u64::from(hash), 8);
        if n < 10 {
            via.push('0');
        }
        push_number(&mut via, u64::from(n));
        via
    }

    /// `host [":" port]` of `uri` as [`parse_uri`] reads it (the Via's sent-by); a party
    /// whose URI does not parse has no host to show, so `invalid` (RFC 2606) stands in.
    fn host_of(uri: &str) -> String {
        match parse_uri(uri.trim()) {
            Ok(Uri { host: Some(host), port: Some(port), .. }) => format!("{host}:{port}"),
            Ok(Uri { host: Some(host), .. }) => host.to_string(),
            _ => "invalid".to_string(),
        }
    }

    /// A request from `side`, with extra headers and an optional body `(type, text)`.
    pub fn request(&mut self, side: Side, method: &str, extra: &[(&'static str, String)], body: Option<(&str, &str)>) -> Message {
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
        let via = self.via(side, branch);
        let ruri = self.uri_of(other(side));
        let mut m = Message {
            start: StartLine::Request { method: method.to_string(), uri: ruri.to_string() },
            headers: Vec::with_capacity(9 + extra.len()),
            body: None,
        };
        m.header("Via", via);
        m.header("Max-Forwards", "70");
        // RFC 3261 §8.1.1.8 (INVITE), RFC 3515 §2.4.1 (REFER), RFC 6665 §8.1.1 (NOTIFY).
        let contact = matches!(method, "INVITE" | "REFER" | "NOTIFY").then_some(side);
        if method == "INVITE" {
            self.invite_to_tag = self.addresses(side).3.map(str::to_string);
        }
        let mut addresses = self.addresses(side);
        if method == "CANCEL" {
            addresses.3 = self.invite_to_tag.as_deref();
        }
        self.finish_headers(&mut m, addresses, cseq, method, contact, extra, body);
        m
    }

    /// A response from `side` to the last `method` the other side sent.
    pub fn response(
        &mut self,
        side: Side,
        code: u16,
        reason: &str,
        method: &str,
        extra: &[(&'static str, String)],
        body: Option<(&str, &str)>,
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
        let mut m = Message {
            start: StartLine::Response { code, reason: reason.to_string() },
            headers: Vec::with_capacity(9 + extra.len()),
            body: None,
        };
        // A response echoes its request's Via: an INVITE's responses that of the INVITE.
        let via = self.via(requester, if method == "INVITE" { self.invite_branch } else { self.last_branch });
        if method == "INVITE" && code >= 200 {
            self.invite_final = Some(code);
        }
        m.header("Via", via);
        // A 2xx to INVITE names the responder's contact (RFC 3261 §13.3.1.4).
        let contact = (method == "INVITE" && (200..300).contains(&code)).then_some(side);
        self.finish_headers(&mut m, self.addresses(requester), cseq, method, contact, extra, body);
        m
    }

    /// From, To (`addresses`, as [`Dialog::addresses`] gives them for the transaction's
    /// requester), Call-ID, CSeq, Contact (of `contact`'s side), the extra headers and the body.
    #[allow(clippy::too_many_arguments)]
    fn finish_headers(
        &self,
        m: &mut Message,
        addresses: (&str, Option<&str>, &str, Option<&str>),
        cseq: u32,
        method: &str,
        contact: Option<Side>,
        extra: &[(&'static str, String)],
        body: Option<(&str, &str)>,
    ) {
        let (from_uri, from_tag, to_uri, to_tag) = addresses;
        m.header("From", name_addr(from_uri, from_tag));
        m.header("To", name_addr(to_uri, to_tag));
        m.header("Call-ID", self.call_id.as_str());
        let mut cseq_value = String::with_capacity(method.len() + 11);
        push_number(&mut cseq_value, u64::from(cseq));
        cseq_value.push(' ');
        cseq_value.push_str(method);
        m.header("CSeq", cseq_value);
        if let Some(side) = contact {
            m.header("Contact", name_addr(self.uri_of(side), None));
        }
        for (name, value) in extra {
            m.header(name, value.as_str());
        }
        finish(m, body);
    }

    fn uri_of(&self, side: Side) -> &str {
        match side {
            Side::Twilio => &self.twilio_uri,
            Side::Party => &self.party_uri,
        }
    }

    fn current_cseq(&self, side: Side) -> u32 {
        match side {
            Side::Twilio => self.twilio_cseq.saturating_sub(1).max(1),
            Side::Party => self.party_cseq.saturating_sub(1).max(1),
        }
    }

    /// `(from uri, from tag, to uri, to tag)` of a request sent by `side`: the
    /// sender is From, with its own tag (RFC 3261 §12.2.1.1).
    fn addresses(&self, side: Side) -> (&str, Option<&str>, &str, Option<&str>) {
        let twilio_tag = Some(self.twilio_tag.as_str()).filter(|_| side == Side::Twilio || self.twilio_tag_sent);
        let twilio = (self.twilio_uri.as_str(), twilio_tag);
        let party = (self.party_uri.as_str(), self.party_tag.as_deref());
        let (from, to) = match side {
            Side::Twilio => (twilio, party),
            Side::Party => (party, twilio),
        };
        (from.0, from.1, to.0, to.1)
    }

    /// The host in the Via of a request sent by `side` (the party's read once from its URI).
    fn via_host(&mut self, side: Side) -> &str {
        match side {
            Side::Twilio => TWILIO_HOST,
            Side::Party => {
                let known = self.party_host.take().filter(|(uri, _)| *uri == self.party_uri);
                let (_, host) =
                    self.party_host.insert(known.unwrap_or_else(|| (self.party_uri.clone(), Self::host_of(&self.party_uri))));
                host
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

/// `<uri>`, with `;tag=` and the tag when there is one.
fn name_addr(uri: &str, tag: Option<&str>) -> String {
    let mut value = String::with_capacity(uri.len() + 2 + tag.map_or(0, |t| t.len() + 5));
    value.push('<');
    value.push_str(uri);
    value.push('>');
    if let Some(t) = tag {
        value.push_str(";tag=");
        value.push_str(t);
    }
    value
}

/// `Content-Type` and `Content-Length` (in bytes, RFC 3261 §20.14), then the body.
fn finish(m: &mut Message, body: Option<(&str, &str)>) {
    match body {
        Some((content_type, text)) => {
            m.header("Content-Type", content_type);
            let mut length = String::with_capacity(4);
            push_number(&mut length, text.len() as u64);
            m.header("Content-Length", length);
            m.body = Some(Body { content_type: content_type.to_string(), text: text.to_string() });
        }
        None => m.header("Content-Length", "0"),
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
    use super::{push_hex, push_number};

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
