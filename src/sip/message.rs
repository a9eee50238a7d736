//! The SIP messages drawn on the ladder: plausible, complete texts built from
//! a dialog's identifiers (RFC 3261 §8.1.1, §12; RFC 3515 §2.4; RFC 3420
//! sipfrag bodies). Identifiers are derived from names, never from a clock or
//! a random source, so every run prints the same bytes.
//!
//! A message is written once, straight into its text (start line, headers in the order
//! sent, an empty line, the body), and keeps where each part lies in that text: the
//! method or status code and reason, each header's value, the body. Its typed parts are
//! read from the text on request ([`Message::method`], [`Message::headers`], ...), so the
//! text and the parts cannot disagree, and a message costs two allocations (the text and
//! the header list), not one per part. Header names are written in their full form
//! (RFC 3261 §7.3.3's compact forms are never sent), so the header list is exactly what
//! the text carries, name for name.

use super::uri::{parse_uri, Uri};
use serde::Serialize;

/// A message body and its `Content-Type` (RFC 3261 §7.4), read from a [`Message`]'s text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Body<'a> {
    /// The media type, parameters included: `application/sdp`, `message/sipfrag;version=2.0`.
    pub content_type: &'a str,
    /// The body's text, exactly as sent.
    pub text: &'a str,
}

/// What the start line is: a request (its method ends at `method_end`) or a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Start {
    /// `Request-Line = Method SP Request-URI SP SIP-Version CRLF`: the method is the text's
    /// first `method_end` bytes.
    Request { method_end: usize },
    /// `Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF`: the reason phrase
    /// runs from byte `reason_at` to the end of the start line.
    Response { code: u16, reason_at: usize },
}

/// A header of a [`Message`]: its name and where its value lies in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HeaderAt {
    name: Name,
    start: usize,
    end: usize,
}

/// A header's name: one of refer-sim's own, or one a party chose (the X- headers of its final
/// response), read from the text, where it ends 2 bytes (`": "`) before the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Name {
    Known(&'static str),
    /// The byte where the name starts in the text.
    At(usize),
}

/// A SIP message as sent: its text, and where each typed part lies in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The whole message: start line, headers, an empty line, the body.
    text: String,
    /// The length of the start line (without its CRLF).
    first_line: usize,
    start: Start,
    /// Every header in the order sent, `Content-Type` and `Content-Length` included.
    headers: Vec<HeaderAt>,
    /// The index of the `Content-Type` header and where the body starts, when there is a body.
    body: Option<(usize, usize)>,
}

impl Message {
    /// A request's start line, `method SP uri SP SIP/2.0`, in a text of `capacity` bytes.
    fn request(method: &str, uri: &str, headers: usize, capacity: usize) -> Self {
        let mut text = String::with_capacity(capacity);
        text.push_str(method);
        text.push(' ');
        text.push_str(uri);
        text.push_str(" SIP/2.0");
        Message::started(text, Start::Request { method_end: method.len() }, headers)
    }

    /// A response's status line, `SIP/2.0 SP code SP reason`, in a text of `capacity` bytes.
    fn response(code: u16, reason: &str, headers: usize, capacity: usize) -> Self {
        let mut text = String::with_capacity(capacity);
        text.push_str("SIP/2.0 ");
        push_number(&mut text, u64::from(code));
        text.push(' ');
        let reason_at = text.len();
        text.push_str(reason);
        Message::started(text, Start::Response { code, reason_at }, headers)
    }

    fn started(mut text: String, start: Start, headers: usize) -> Self {
        let first_line = text.len();
        text.push_str("\r\n");
        Message { text, first_line, start, headers: Vec::with_capacity(headers), body: None }
    }

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
        self.headers.push(HeaderAt { name: Name::Known(name), start, end: self.text.len() });
        self.text.push_str("\r\n");
    }

    /// Appends the header `name: value`, a name not known in advance (kept in the text only).
    fn push_named_header(&mut self, name: &str, value: &str) {
        let at = self.text.len();
        self.text.push_str(name);
        self.text.push_str(": ");
        let start = self.text.len();
        self.text.push_str(value);
        self.headers.push(HeaderAt { name: Name::At(at), start, end: self.text.len() });
        self.text.push_str("\r\n");
    }

    /// The whole message as sent: start line, headers, an empty line, the body (CRLF line ends).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The request line or status line, without its CRLF.
    pub fn first_line(&self) -> &str {
        self.text.get(..self.first_line).unwrap_or_default()
    }

    /// A request's method (`INVITE`, `REFER`, ...); `None` for a response.
    pub fn method(&self) -> Option<&str> {
        match self.start {
            Start::Request { method_end } => self.text.get(..method_end),
            Start::Response { .. } => None,
        }
    }

    /// A response's status code; `None` for a request.
    pub fn status(&self) -> Option<u16> {
        match self.start {
            Start::Response { code, .. } => Some(code),
            Start::Request { .. } => None,
        }
    }

    /// A response's reason phrase; `None` for a request.
    pub fn reason(&self) -> Option<&str> {
        match self.start {
            Start::Response { reason_at, .. } => self.text.get(reason_at..self.first_line),
            Start::Request { .. } => None,
        }
    }

    /// Every header in the order sent, `(name, value)`, `Content-Type` and `Content-Length`
    /// included; names in their full form. A name of refer-sim's own is a `'static` text; a
    /// party's X- header names are read from the message's text.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&str, &str)> + '_ {
        self.headers.iter().map(|h| (self.name(h), self.value(h)))
    }

    /// The value of the first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|h| self.name(h).eq_ignore_ascii_case(name)).map(|h| self.value(h))
    }

    fn name(&self, h: &HeaderAt) -> &str {
        match h.name {
            Name::Known(name) => name,
            Name::At(at) => self.text.get(at..h.start.saturating_sub(2)).unwrap_or_default(),
        }
    }

    fn value(&self, h: &HeaderAt) -> &str {
        self.text.get(h.start..h.end).unwrap_or_default()
    }

    /// The body with its content type, if any.
    pub fn body(&self) -> Option<Body<'_>> {
        let (content_type, at) = self.body?;
        Some(Body {
            content_type: self.headers.get(content_type).map_or("", |h| self.value(h)),
            text: self.text.get(at..).unwrap_or_default(),
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
    party_host: Option<(String, std::sync::Arc<str>)>,
    /// The Call-ID's hash in hex (8 digits of 32 bits of its [`fnv`], in every Via branch and
    /// the party's tag), then the `call_id` it was read from (hashed again when that changed):
    /// one text, written once per Call-ID instead of the hex digits once per message.
    call_id_hash: Option<String>,
    /// The headers Twilio's first INVITE in this dialog carries after its own, `(name, value)`:
    /// those written in the `?` part of the party's URI, which RFC 3261 §19.1.5 makes headers
    /// of the request formed from it (the URI in `party_uri` has them no more). Sent once.
    pub invite_headers: Vec<(String, String)>,
    /// How many SDP bodies each side has written in this dialog (Twilio's, the party's): the
    /// next one's `o=` version (RFC 8866 §5.2: it increases when the session changes).
    sdp_sent: (u32, u32),
}

/// A message's headers after the dialog's own: refer-sim's (`'static` names), then a party's.
type Extra<'a> = (&'a [(&'static str, &'a str)], &'a [(String, String)]);

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
            call_id_hash: None,
            invite_headers: Vec::new(),
            sdp_sent: (0, 0),
        }
    }

    /// The SDP body `side` sends next in this dialog (an offer or the answer to one), one audio
    /// stream of PCMU in `direction` (`sendrecv`, `sendonly`, `recvonly`), with every line RFC
    /// 8866 §5 requires, in its order: `v=`, `o=` (a session id per side and dialog, and a
    /// version one higher than that side's last body here), `s=`, `c=`, `t=`, `m=`, `a=`.
    /// Addresses are documentation ones (RFC 5737): Twilio's `203.0.113.1` with a port per
    /// dialog; a party's in `192.0.2.0/24` with a port, both read from its URI, the same in
    /// each of its dialogs and bodies. Values refer-sim picks; no page gives Twilio's.
    pub fn sdp(&mut self, side: Side, direction: &str) -> String {
        let (i, h, sent) = match side {
            Side::Twilio => (0, fnv(&self.call_id), &mut self.sdp_sent.0),
            Side::Party => (1, fnv(&self.party_uri), &mut self.sdp_sent.1),
        };
        *sent += 1;
        let mut out = String::with_capacity(140);
        out.push_str("v=0\r\no=- ");
        push_number(&mut out, (h >> 32) ^ i as u64);
        out.push(' ');
        push_number(&mut out, u64::from(*sent));
        let mut address = String::with_capacity(16);
        if i == 0 {
            address.push_str("203.0.113.1");
        } else {
            address.push_str("192.0.2.");
            push_number(&mut address, h % 254 + 1);
        }
        out.push_str(" IN IP4 ");
        out.push_str(&address);
        out.push_str("\r\ns=-\r\nc=IN IP4 ");
        out.push_str(&address);
        out.push_str("\r\nt=0 0\r\nm=audio ");
        push_number(&mut out, 10_000 + 10_000 * (1 - i as u64) + (h >> 8) % 5_000 * 2);
        out.push_str(" RTP/AVP 0\r\na=");
        out.push_str(direction);
        out.push_str("\r\n");
        out
    }

    /// The party's tag once it answers (a UAS chooses it in its response).
    pub fn answered(&mut self) {
        if self.party_tag.is_none() {
            self.party_tag = Some(self.call_id_hex().to_string());
        }
    }

    /// 32 bits of the Call-ID's [`fnv`] in hex (8 digits), hashed once per Call-ID.
    fn call_id_hex(&mut self) -> &str {
        if self.call_id_hash.as_deref().is_none_or(|h| h.get(8..) != Some(self.call_id.as_str())) {
            let mut h = String::with_capacity(8 + self.call_id.len());
            push_hex(&mut h, u64::from(fnv(&self.call_id) as u32), 8);
            h.push_str(&self.call_id);
            self.call_id_hash = Some(h);
        }
        self.call_id_hash.as_deref().and_then(|h| h.get(..8)).unwrap_or_default()
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
    fn via(&mut self, m: &mut Message, side: Side, n: u32) {
        // The party's host and the Call-ID's hash, read if they were not, then borrowed together.
        self.via_host(side);
        self.call_id_hex();
        let host = match (side, &self.party_host) {
            (Side::Party, Some((_, host))) => host,
            _ => TWILIO_HOST,
        };
        let hash = self.call_id_hash.as_deref().and_then(|h| h.get(..8)).unwrap_or_default();
        m.push_header_with("Via", |via| {
            via.push_str("SIP/2.0/UDP ");
            via.push_str(host);
            via.push_str(";branch=z9hG4bK");
            via.push_str(hash);
            if n < 10 {
                via.push('0');
            }
            push_number(via, u64::from(n));
        });
    }

    /// `host [":" port]` of `uri` as [`parse_uri`] reads it (the Via's sent-by); a party
    /// whose URI does not parse has no host to show, so `invalid` (RFC 2606) stands in.
    fn host_of(uri: &str) -> std::sync::Arc<str> {
        match parse_uri(uri.trim()) {
            Ok(uri) => Self::sent_by(&uri),
            Err(_) => "invalid".into(),
        }
    }

    /// `host [":" port]` of a parsed `uri` (`invalid` without a host): the Via's sent-by of a
    /// party whose URI reads as `uri` (what [`Dialog::with_party_host`] is given).
    pub(crate) fn sent_by(uri: &Uri) -> std::sync::Arc<str> {
        match uri {
            Uri { host: Some(host), port: Some(port), .. } => format!("{host}:{port}").into(),
            Uri { host: Some(host), .. } => host.to_string().into(),
            _ => "invalid".into(),
        }
    }

    /// This dialog with the party's Via sent-by already read: `host`, which must be what
    /// [`Dialog::sent_by`] gives for the parsed `party_uri` (a caller that parsed that URI
    /// once shares it, instead of each dialog parsing it again).
    pub(crate) fn with_party_host(mut self, host: std::sync::Arc<str>) -> Self {
        self.party_host = Some((self.party_uri.clone(), host));
        self
    }

    /// Bytes to reserve for a message whose start line is about `first` bytes, with `extra`
    /// headers and `body`: the fixed parts of every header this dialog writes (211 bytes at
    /// most, Content-Length of 20 digits included), the URIs (From, To, and the Request-URI
    /// and Contact, each the longer one at most), the Via host (the party's is at most its
    /// URI), the Call-ID, the method again (in CSeq), the extra headers and the body. A hint:
    /// a longer message grows its text as any `String` does.
    fn capacity(&self, first: usize, extra: &[(&'static str, &str)], body: Option<(&str, &str)>) -> usize {
        let (t, p) = (self.twilio_uri.len(), self.party_uri.len());
        let uris = t + p + 2 * t.max(p) + p.max(TWILIO_HOST.len());
        let extra = extra.iter().map(|(n, v)| n.len() + v.len() + 4).sum::<usize>();
        let body = body.map_or(0, |(content_type, text)| content_type.len() + text.len() + 16);
        211 + 2 * first + uris + self.call_id.len() + extra + body
    }

    /// A request from `side`, with extra headers and an optional body `(type, text)`.
    pub fn request(&mut self, side: Side, method: &str, extra: &[(&'static str, &str)], body: Option<(&str, &str)>) -> Message {
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
        // The URI's headers go in the first INVITE Twilio sends, and only there.
        let custom =
            if side == Side::Twilio && method == "INVITE" { std::mem::take(&mut self.invite_headers) } else { Vec::new() };
        let ruri = self.uri_of(other(side));
        let custom_len = custom.iter().map(|(n, v)| n.len() + v.len() + 4).sum::<usize>();
        let capacity = self.capacity(method.len() + ruri.len(), extra, body) + custom_len;
        let mut m = Message::request(method, ruri, 9 + extra.len() + custom.len(), capacity);
        self.via(&mut m, side, branch);
        m.push_header("Max-Forwards", "70");
        // RFC 3261 §8.1.1.8 (INVITE), RFC 3515 §2.4.1 (REFER), RFC 6665 §8.1.1 (NOTIFY).
        let contact = matches!(method, "INVITE" | "REFER" | "NOTIFY").then_some(side);
        if method == "INVITE" {
            self.invite_to_tag = self.addresses(side).3.map(str::to_string);
        }
        let mut addresses = self.addresses(side);
        if method == "CANCEL" {
            addresses.3 = self.invite_to_tag.as_deref();
        }
        self.finish_headers(&mut m, addresses, cseq, method, contact, extra, &custom, body);
        m
    }

    /// A response from `side` to the last `method` the other side sent.
    pub fn response(
        &mut self,
        side: Side,
        code: u16,
        reason: &str,
        method: &str,
        extra: &[(&'static str, &str)],
        body: Option<(&str, &str)>,
    ) -> Message {
        self.respond(side, code, reason, method, (extra, &[]), body)
    }

    /// The party's final response (`code` 200 to 699) to Twilio's last INVITE, carrying the X-
    /// headers it chose (`custom`, `(name, value)`, in that order) after the dialog's own headers
    /// and before `Content-Type` (RFC 3261 §7.3.1: the order of headers with different names is
    /// not significant). Names and values are written as given: a name is a token, a value one line.
    pub fn final_response(
        &mut self,
        code: u16,
        reason: &str,
        custom: &[(String, String)],
        body: Option<(&str, &str)>,
    ) -> Message {
        self.respond(Side::Party, code, reason, "INVITE", (&[], custom), body)
    }

    /// [`Dialog::response`] with refer-sim's own extra headers, then the party's (`custom`).
    fn respond(
        &mut self,
        side: Side,
        code: u16,
        reason: &str,
        method: &str,
        (extra, custom): Extra<'_>,
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
        let custom_len = custom.iter().map(|(n, v)| n.len() + v.len() + 4).sum::<usize>();
        let capacity = self.capacity(method.len() + reason.len(), extra, body) + custom_len;
        let mut m = Message::response(code, reason, 9 + extra.len() + custom.len(), capacity);
        // A response echoes its request's Via: an INVITE's responses that of the INVITE.
        self.via(&mut m, requester, if method == "INVITE" { self.invite_branch } else { self.last_branch });
        if method == "INVITE" && code >= 200 {
            self.invite_final = Some(code);
        }
        // A response that establishes a dialog names the responder's contact (RFC 3261 §12.1.1:
        // "MUST add a Contact header field"): a 2xx to INVITE (§13.3.1.4) and, with its To tag,
        // a 101-199 (§12.1: such a provisional response establishes an early dialog).
        let contact = (method == "INVITE" && (101..300).contains(&code)).then_some(side);
        self.finish_headers(&mut m, self.addresses(requester), cseq, method, contact, extra, custom, body);
        m
    }

    /// From, To (`addresses`, as [`Dialog::addresses`] gives them for the transaction's
    /// requester), Call-ID, CSeq, Contact (of `contact`'s side), the extra headers, a party's
    /// own (`custom`) and the body.
    #[allow(clippy::too_many_arguments)]
    fn finish_headers(
        &self,
        m: &mut Message,
        addresses: (&str, Option<&str>, &str, Option<&str>),
        cseq: u32,
        method: &str,
        contact: Option<Side>,
        extra: &[(&'static str, &str)],
        custom: &[(String, String)],
        body: Option<(&str, &str)>,
    ) {
        let (from_uri, from_tag, to_uri, to_tag) = addresses;
        m.push_header_with("From", |v| name_addr(v, from_uri, from_tag));
        m.push_header_with("To", |v| name_addr(v, to_uri, to_tag));
        m.push_header("Call-ID", &self.call_id);
        m.push_header_with("CSeq", |v| {
            push_number(v, u64::from(cseq));
            v.push(' ');
            v.push_str(method);
        });
        if let Some(side) = contact {
            m.push_header_with("Contact", |v| name_addr(v, self.uri_of(side), None));
        }
        for (name, value) in extra {
            m.push_header(name, value);
        }
        for (name, value) in custom {
            m.push_named_header(name, value);
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
fn name_addr(out: &mut String, uri: &str, tag: Option<&str>) {
    out.push('<');
    out.push_str(uri);
    out.push('>');
    if let Some(t) = tag {
        out.push_str(";tag=");
        out.push_str(t);
    }
}

/// `Content-Type` and `Content-Length` (in bytes, RFC 3261 §20.14), the empty line, then the body.
fn finish(m: &mut Message, body: Option<(&str, &str)>) {
    match body {
        Some((content_type, text)) => {
            let content_type_at = m.headers.len();
            m.push_header("Content-Type", content_type);
            m.push_header_with("Content-Length", |v| push_number(v, text.len() as u64));
            m.text.push_str("\r\n");
            m.body = Some((content_type_at, m.text.len()));
            m.text.push_str(text);
        }
        None => {
            m.push_header("Content-Length", "0");
            m.text.push_str("\r\n");
        }
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

    /// RFC 3261 §12.1.1: a response that establishes a dialog (a 101-199 with its To tag, a 2xx
    /// to INVITE) carries the responder's Contact; 100 Trying, a failure and a non-INVITE
    /// response do not.
    #[test]
    fn a_dialog_establishing_response_names_the_responder_s_contact() {
        let mut d = Dialog::new("leg", "sip:t@x", "sip:p@y", true);
        d.request(Side::Twilio, "INVITE", &[], None);
        let contact = |m: &super::Message| m.header("Contact").map(str::to_string);
        assert_eq!(contact(&d.response(Side::Party, 100, "Trying", "INVITE", &[], None)), None);
        for code in [101, 180, 183, 199] {
            assert_eq!(
                contact(&d.response(Side::Party, code, "Ringing", "INVITE", &[], None)).as_deref(),
                Some("<sip:p@y>"),
                "{code}"
            );
        }
        assert_eq!(contact(&d.response(Side::Party, 200, "OK", "INVITE", &[], None)).as_deref(), Some("<sip:p@y>"));
        assert_eq!(contact(&d.response(Side::Party, 299, "OK", "INVITE", &[], None)).as_deref(), Some("<sip:p@y>"));
        assert_eq!(contact(&d.response(Side::Party, 300, "Multiple Choices", "INVITE", &[], None)), None);
        assert_eq!(contact(&d.response(Side::Party, 486, "Busy Here", "INVITE", &[], None)), None);
        d.request(Side::Twilio, "NOTIFY", &[], None);
        assert_eq!(contact(&d.response(Side::Party, 180, "Ringing", "NOTIFY", &[], None)), None);
        assert_eq!(contact(&d.response(Side::Party, 200, "OK", "NOTIFY", &[], None)), None);
        let mut t = Dialog::new("leg", "sip:t@x", "sip:p@y", false);
        t.request(Side::Party, "INVITE", &[], None);
        assert_eq!(contact(&t.response(Side::Twilio, 180, "Ringing", "INVITE", &[], None)).as_deref(), Some("<sip:t@x>"));
    }

    #[test]
    fn a_final_response_carries_the_party_s_x_headers_before_its_body() {
        let mut d = Dialog::new("leg", "sip:t@x", "sip:p@y", true);
        d.request(Side::Twilio, "INVITE", &[], None);
        let custom = [("X-Agent-Id".to_string(), "42".to_string()), ("x-queue".to_string(), "sales: east".to_string())];
        let ok = d.final_response(200, "OK", &custom, Some(("application/sdp", "v=0\r\n")));
        let names: Vec<&str> = ok.headers().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            ["Via", "From", "To", "Call-ID", "CSeq", "Contact", "X-Agent-Id", "x-queue", "Content-Type", "Content-Length"]
        );
        assert!(
            ok.text().contains(
                "\r\nContact: <sip:p@y>\r\nX-Agent-Id: 42\r\nx-queue: sales: east\r\nContent-Type: application/sdp\r\n"
            ),
            "{}",
            ok.text()
        );
        assert_eq!(
            (ok.header("x-agent-id"), ok.header("X-Queue"), ok.header("CSeq")),
            (Some("42"), Some("sales: east"), Some("1 INVITE"))
        );
        assert_eq!(ok.body().map(|b| b.text), Some("v=0\r\n"));
        let busy = Dialog::new("leg2", "sip:t@x", "sip:p@y", true).final_response(486, "Busy Here", &custom[..1], None);
        assert_eq!(busy.first_line(), "SIP/2.0 486 Busy Here");
        assert_eq!(busy.headers().nth(5), Some(("X-Agent-Id", "42")), "after CSeq, before Content-Length");
        assert_eq!(busy.header("Contact"), None, "only a 2xx names the responder's contact");
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
