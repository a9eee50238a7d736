//! A SIP REFER as a PBX log shows it, pasted whole or as header lines: what
//! Twilio reads from it (Refer-To, Referred-By, Refer-Sub, Replaces, `X-`
//! headers), which of its parts make Twilio refuse it, and the scenario
//! `refer` that replays it.
//!
//! ```text
//! SIP-message    = Request-Line *( message-header ) CRLF [ message-body ]   ; RFC 3261 §7
//! Request-Line   = Method SP Request-URI SP SIP-Version CRLF
//! message-header = field-name HCOLON field-value CRLF
//! LWS            = [*WSP CRLF] 1*WSP            ; a line starting with WSP continues the last header
//! Refer-To       = ("Refer-To" / "r") HCOLON ( name-addr / addr-spec ) *(SEMI refer-param)   ; RFC 3515 §2.1
//! Referred-By    = ("Referred-By" / "b") HCOLON referrer-uri *( SEMI (referredby-id-param / generic-param) ) ; RFC 3892 §3
//! Refer-Sub      = "Refer-Sub" HCOLON refer-sub-value *(SEMI exten)          ; RFC 4488 §4
//! refer-sub-value = "true" / "false"
//! Replaces       = "Replaces" HCOLON callid *(SEMI replaces-param)           ; RFC 3891 §6.1
//! ```
//! Lines end with CRLF or LF. The values go through the parsers of this module
//! ([`parse_refer_to`] for Refer-To and Referred-By, which share the
//! name-addr / addr-spec grammar; [`parse_replaces`]), so each grammar has one parser.

use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use super::chars::{is_token_char, is_wsp, is_x_header};
use super::error::{ErrorCode, ParseError};
use super::refer_to::{parse_refer_to, parse_replaces, ReferTo, Replaces};
use crate::Provenance;

/// The longest text [`parse_refer_message`] reads, in bytes: a REFER with a
/// body fits many times over. \[assumed\]
pub const MAX_MESSAGE_BYTES: usize = 65_536;

/// How the text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum MessageForm {
    /// A whole request: `REFER sip:… SIP/2.0`, headers, an optional body.
    Request,
    /// Header lines only (`Refer-To: …`, `r: …`), as copied from a log.
    Headers,
}

/// The request line of a whole REFER.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestLine {
    /// `REFER`.
    pub method: String,
    /// The Request-URI, as written.
    pub uri: String,
    /// `SIP/2.0`.
    pub version: String,
}

/// One header, its folded lines joined by single spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Header {
    /// The name as written (`r`, `refer-to`).
    pub name: String,
    /// The full name for the compact forms of RFC 3261 §7.3.3 and the headers of a
    /// REFER (`Refer-To` for `r` and `refer-to`), else the name as written.
    pub canonical: String,
    /// The value, trimmed, continuation lines joined.
    pub value: String,
    /// Byte offset of the value in the text.
    pub offset: usize,
}

/// A non-fatal finding about the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Stable code: `replaces_ignored`, `bad_refer_sub`, `bad_referred_by`, `several_referred_by`,
    /// `log_lines_skipped`.
    pub code: &'static str,
    /// Byte offset in the text.
    pub offset: usize,
    /// A sentence.
    pub message: String,
    /// Where the rule comes from.
    pub tag: Provenance,
}

/// A reason, read off the message alone, why Twilio answers the REFER with an error
/// instead of `202 Accepted`: the same rules, codes and tags as the engine's
/// (`transfer/refer.rs`, `on_refer`, steps 3, 4 and 6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    /// The SIP status Twilio answers (always 400 for what a message alone shows).
    pub status: u16,
    /// Stable code: `no_refer_to`, `several_refer_to`, or the Refer-To parser's error code.
    pub code: &'static str,
    /// Byte offset in the text.
    pub offset: usize,
    /// A sentence, with what to change.
    pub message: String,
    /// Where the rule comes from.
    pub tag: Provenance,
}

/// The Referred-By header (RFC 3892): the value, parsed when it parses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferredBy {
    /// The value as written.
    pub raw: String,
    /// Parsed with the Refer-To grammar (the same name-addr / addr-spec).
    pub parsed: Option<ReferTo>,
}

impl Serialize for ReferredBy {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ReferredBy", 4)?;
        st.serialize_field("raw", &self.raw)?;
        st.serialize_field("displayName", &self.parsed.as_ref().and_then(|p| p.display_name.clone()))?;
        st.serialize_field("uri", &self.parsed.as_ref().map(|p| &p.uri))?;
        st.serialize_field("params", &self.parsed.as_ref().map(|p| super::uri::ParamsAsMap(&p.params)))?;
        st.end()
    }
}

/// The scenario `refer` that replays this REFER: `referTo` (one string, or the list
/// of every Refer-To value when there is not exactly one) and `referSub`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioRefer {
    /// Every Refer-To value, in order.
    pub refer_to: Vec<String>,
    /// `false` when the REFER says `Refer-Sub: false`.
    pub refer_sub: bool,
}

impl Serialize for ScenarioRefer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("ScenarioRefer", 2)?;
        match self.refer_to.as_slice() {
            [one] => st.serialize_field("referTo", one)?,
            many => st.serialize_field("referTo", many)?,
        }
        st.serialize_field("referSub", &self.refer_sub)?;
        st.end()
    }
}

/// What a pasted REFER says, and what Twilio would do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReferMessage {
    /// A whole request or header lines.
    pub form: MessageForm,
    /// The request line, for a whole request.
    pub request_line: Option<RequestLine>,
    /// Every header, in order.
    pub headers: Vec<Header>,
    /// The Refer-To value when there is exactly one and it parses.
    pub refer_to: Option<ReferTo>,
    /// Referred-By, when present.
    pub referred_by: Option<ReferredBy>,
    /// Refer-Sub (RFC 4488): `None` when absent (a subscription, as if `true`).
    pub refer_sub: Option<bool>,
    /// Replaces (RFC 3891): from the Refer-To URI's `?Replaces=` or a `Replaces:` header.
    pub replaces: Option<Replaces>,
    /// The `X-` headers of the message (those inside the Refer-To URI are in `referTo`).
    pub custom_headers: Vec<(String, String)>,
    /// The body after the empty line, if any.
    pub body: Option<String>,
    /// Why Twilio would refuse the REFER; empty when the message alone gives no reason.
    pub refusals: Vec<Refusal>,
    /// Non-fatal findings.
    pub notes: Vec<Note>,
    /// The scenario `refer` fields that replay it.
    pub scenario: ScenarioRefer,
}

/// The full name of a compact header form (RFC 3261 §7.3.3, RFC 3515 `r`, RFC 3892 `b`),
/// and the canonical spelling of the headers a REFER is read for.
fn canonical(name: &str) -> String {
    let full = match name.to_ascii_lowercase().as_str() {
        "r" | "refer-to" => "Refer-To",
        "b" | "referred-by" => "Referred-By",
        "refer-sub" => "Refer-Sub",
        "replaces" => "Replaces",
        "i" | "call-id" => "Call-ID",
        "f" => "From",
        "t" => "To",
        "m" => "Contact",
        "v" => "Via",
        "l" => "Content-Length",
        "c" => "Content-Type",
        "k" => "Supported",
        "s" => "Subject",
        "e" => "Content-Encoding",
        "o" => "Event",
        "u" => "Allow-Events",
        "x" => "Session-Expires",
        _ => return name.to_string(),
    };
    full.to_string()
}

/// Lines with the byte offset of each in the pasted text.
type Lines<'a> = Vec<(usize, &'a str)>;

/// The lines of `text` with their byte offsets, without their CRLF or LF.
fn lines(text: &str) -> Lines<'_> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in text.split('\n') {
        out.push((offset, raw.strip_suffix('\r').unwrap_or(raw)));
        offset += raw.len() + 1;
    }
    out
}

/// `field-name HCOLON`: the name and the offset of the value, when `line` is a header line.
fn header_line(line: &str) -> Option<(&str, &str, usize)> {
    let (name, value) = line.split_once(':')?;
    let name = name.trim_end_matches([' ', '\t']);
    if name.is_empty() || !name.bytes().all(is_token_char) {
        return None;
    }
    let trimmed = value.trim_start_matches([' ', '\t']);
    Some((name, trimmed.trim_end_matches([' ', '\t']), line.len() - trimmed.len()))
}

/// `Method SP Request-URI SP SIP-Version`
fn request_line(line: &str) -> Option<RequestLine> {
    let mut parts = line.split(' ');
    let (method, uri, version) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || method.is_empty() || !method.bytes().all(is_token_char) || uri.is_empty() {
        return None;
    }
    version.eq_ignore_ascii_case("SIP/2.0").then(|| RequestLine {
        method: method.to_string(),
        uri: uri.to_string(),
        version: version.to_string(),
    })
}

/// Parses a pasted SIP REFER: a whole request (request line, headers, optional body) or
/// header lines alone. Lines end with CRLF or LF; a line starting with a space or a tab
/// continues the header before it. Fatal errors are a text over [`MAX_MESSAGE_BYTES`],
/// a first line that is neither a request line nor a header line (`bad_start_line`), a
/// request or response that is not a REFER (`not_a_refer`) and a line that is not a header
/// (`bad_header_line`). What Twilio would refuse (no Refer-To, several, one that does not
/// parse or is too long) is not an error: it is listed in [`ReferMessage::refusals`].
///
/// ```
/// use refer_sim::sip::parse_refer_message;
/// let m = parse_refer_message("r: <sip:AgentB@example.com?X-Ticket=42>\r\nb: <sip:AgentA@example.com>").unwrap();
/// assert_eq!(m.refer_to.unwrap().transfer_target(), "<sip:AgentB@example.com?X-Ticket=42>");
/// assert_eq!(m.referred_by.unwrap().raw, "<sip:AgentA@example.com>");
/// assert!(m.refusals.is_empty());
/// let err = parse_refer_message("INVITE sip:AgentB@example.com SIP/2.0\r\n").unwrap_err();
/// assert_eq!(err.code.as_str(), "not_a_refer");
/// ```
pub fn parse_refer_message(text: &str) -> Result<ReferMessage, ParseError> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(ParseError::new(
            ErrorCode::TooLong,
            MAX_MESSAGE_BYTES,
            format!("the message has {} bytes; refer-sim reads at most {MAX_MESSAGE_BYTES}", text.len()),
        ));
    }
    let (all, skipped) = from_log(lines(text));
    let mut rest = all.iter().skip_while(|(_, l)| l.trim().is_empty()).peekable();
    let Some(&(first_at, first)) = rest.peek().copied() else {
        return Err(ParseError::new(ErrorCode::Empty, 0, "the text is empty; paste a SIP REFER or a Refer-To: header line"));
    };
    let (form, request) = if first.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("SIP/")) {
        return Err(ParseError::new(
            ErrorCode::NotARefer,
            first_at,
            format!("`{}` is the status line of a SIP response, not a REFER request; paste the REFER itself", first.trim()),
        ));
    } else if let Some(r) = request_line(first) {
        if r.method != "REFER" {
            return Err(ParseError::new(
                ErrorCode::NotARefer,
                first_at,
                format!(
                    "this is a {} request, not a REFER (methods are case-sensitive, RFC 3261 §7.1); paste the REFER",
                    r.method
                ),
            ));
        }
        rest.next();
        (MessageForm::Request, Some(r))
    } else {
        let uri_like =
            header_line(first).is_some_and(|(n, _, _)| ["sip", "sips", "tel"].iter().any(|s| n.eq_ignore_ascii_case(s)));
        if header_line(first).is_none() || uri_like {
            return Err(ParseError::new(
                ErrorCode::BadStartLine,
                first_at,
                "expected a request line (REFER sip:… SIP/2.0) or a header line (Refer-To: …, r: …); a bare Refer-To value goes to parseReferTo",
            ));
        }
        (MessageForm::Headers, None)
    };

    let mut headers: Vec<Header> = Vec::new();
    let mut body = None;
    for &(at, line) in rest {
        if line.trim().is_empty() {
            let start = at + line.len();
            let b = text.get(start..).unwrap_or("").trim_start_matches(['\r', '\n']);
            body = (!b.trim().is_empty()).then(|| b.to_string());
            break;
        }
        if line.bytes().next().is_some_and(is_wsp) {
            let Some(h) = headers.last_mut() else {
                return Err(ParseError::new(
                    ErrorCode::BadHeaderLine,
                    at,
                    "a continuation line (starting with a space) has no header before it",
                ));
            };
            let more = line.trim_matches([' ', '\t']);
            if !h.value.is_empty() {
                h.value.push(' ');
            }
            h.value.push_str(more);
            continue;
        }
        let Some((name, value, value_at)) = header_line(line) else {
            return Err(ParseError::new(
                ErrorCode::BadHeaderLine,
                at,
                format!("`{}` is not a header line (name: value) nor a continuation (a line starting with a space)", line.trim()),
            ));
        };
        headers.push(Header {
            name: name.to_string(),
            canonical: canonical(name),
            value: value.to_string(),
            offset: at + value_at,
        });
    }
    let mut m = read(form, request, headers, body);
    if let Some((at, n)) = skipped {
        m.notes.insert(
            0,
            Note {
                code: "log_lines_skipped",
                offset: at,
                message: format!(
                    "{n} line(s) before the REFER request line are not part of a SIP message (a log banner such as \
                     `<--- Transmitting SIP request … --->`) and were skipped; the request's lines were read without their common indentation"
                ),
                tag: Provenance::Assumed,
            },
        );
    }
    Ok(m)
}

/// A REFER copied out of a log: when a REFER request line comes after lines that are
/// neither SIP header lines nor blank (a banner such as Asterisk's `<--- Transmitting SIP
/// request (1120 bytes) to UDP:… --->`, a timestamp), those lines are dropped; and when the
/// request line is indented, that indentation is removed from every line that has it
/// (offsets stay those of the pasted text). Gives the lines and, when lines were dropped or
/// dedented, the offset of the first dropped line and how many were dropped.
fn from_log(all: Lines<'_>) -> (Lines<'_>, Option<(usize, usize)>) {
    let is_refer_line = |l: &str| request_line(l.trim_start_matches([' ', '\t'])).is_some_and(|r| r.method == "REFER");
    let Some(k) = all.iter().position(|(_, l)| is_refer_line(l)) else { return (all, None) };
    let before: Vec<&(usize, &str)> = all.iter().take(k).filter(|(_, l)| !l.trim().is_empty()).collect();
    if before.iter().any(|(_, l)| header_line(l).is_some()) {
        return (all, None); // header lines before the request line: not a log banner; the parser says what is wrong
    }
    let indent = all.get(k).map_or(0, |(_, l)| l.len() - l.trim_start_matches([' ', '\t']).len());
    if before.is_empty() && indent == 0 {
        return (all, None);
    }
    let prefix = all.get(k).and_then(|(_, l)| l.get(..indent)).unwrap_or("");
    let first_skipped = before.first().map_or_else(|| all.get(k).map_or(0, |(at, _)| *at), |(at, _)| *at);
    let lines = all
        .iter()
        .skip(k)
        .map(|&(at, l)| match l.strip_prefix(prefix) {
            Some(rest) if !prefix.is_empty() => (at + indent, rest),
            _ => (at, l),
        })
        .collect();
    (lines, Some((first_skipped, before.len())))
}

/// Reads what Twilio looks at off the headers.
fn read(form: MessageForm, request_line: Option<RequestLine>, headers: Vec<Header>, body: Option<String>) -> ReferMessage {
    let named = |n: &'static str| headers.iter().filter(move |h| h.canonical == n);
    let mut notes = Vec::new();
    let mut refusals = Vec::new();

    // Steps 6, 3 and 4 of the engine's `on_refer`, in its order.
    let targets: Vec<&Header> = named("Refer-To").collect();
    let mut refer_to = None;
    match targets.as_slice() {
        [] => refusals.push(Refusal {
            status: 400,
            code: "no_refer_to",
            offset: 0,
            message: "there is no Refer-To header: a REFER needs exactly one (RFC 3515 §2.4.1), so Twilio answers 400 and the call goes on unchanged; add Refer-To: <sip:…>".into(),
            tag: Provenance::Rfc,
        }),
        [one] => match parse_refer_to(&one.value) {
            Ok(r) => refer_to = Some(r),
            Err(e) => refusals.push(Refusal {
                status: 400,
                code: e.code.as_str(),
                offset: one.offset + e.offset,
                message: if e.code == ErrorCode::TooLong {
                    format!("{} (Twilio's REFER page); how Twilio answers is not documented: refused with 400 and the call goes on unchanged (assumed); shorten the Refer-To, for instance by moving data out of its X- headers", e.message)
                } else {
                    format!("the Refer-To does not parse ({} at byte {}: {}): Twilio answers 400 and the call goes on unchanged", e.code, e.offset, e.message)
                },
                tag: if e.code == ErrorCode::TooLong { Provenance::Assumed } else { Provenance::Rfc },
            }),
        },
        [_, second, ..] => refusals.push(Refusal {
            status: 400,
            code: "several_refer_to",
            offset: second.offset,
            message: format!("there are {} Refer-To headers: a REFER needs exactly one (RFC 3515 §2.4.1), so Twilio answers 400 and the call goes on unchanged; keep one", targets.len()),
            tag: Provenance::Rfc,
        }),
    }

    let mut referred_by = None;
    for (i, h) in named("Referred-By").enumerate() {
        if i > 0 {
            notes.push(Note {
                code: "several_referred_by",
                offset: h.offset,
                message: "a second Referred-By header: RFC 3892 allows one; the first is shown".into(),
                tag: Provenance::Rfc,
            });
            continue;
        }
        // The 256-character limit is the Refer-To's; a longer Referred-By is shown unparsed.
        let parsed = match parse_refer_to(&h.value) {
            Ok(p) => Some(p),
            Err(e) => {
                let message = if e.code == ErrorCode::TooLong {
                    "the Referred-By value is long; refer-sim parses values up to 256 characters and shows this one as written"
                        .to_string()
                } else {
                    format!(
                        "the Referred-By does not parse ({} at byte {}: {}); Twilio does not act on it (assumed)",
                        e.code,
                        e.offset,
                        e.message.replace("Refer-To", "Referred-By")
                    )
                };
                notes.push(Note { code: "bad_referred_by", offset: h.offset + e.offset, message, tag: Provenance::Assumed });
                None
            }
        };
        referred_by = Some(ReferredBy { raw: h.value.clone(), parsed });
    }

    let mut refer_sub = None;
    if let Some(h) = named("Refer-Sub").next() {
        let value = h.value.split(';').next().unwrap_or("").trim();
        if value.eq_ignore_ascii_case("true") {
            refer_sub = Some(true);
        } else if value.eq_ignore_ascii_case("false") {
            refer_sub = Some(false);
        } else {
            notes.push(Note {
                code: "bad_refer_sub",
                offset: h.offset,
                message: format!("Refer-Sub: {value} is neither true nor false (RFC 4488 §4); read as absent (a subscription)"),
                tag: Provenance::Rfc,
            });
        }
    }

    let mut replaces = refer_to.as_ref().and_then(ReferTo::replaces);
    if let Some(h) = named("Replaces").next() {
        notes.push(Note {
            code: "replaces_ignored",
            offset: h.offset,
            message: "a Replaces header asks for an attended transfer (RFC 3891); Twilio does blind transfers only, so it is not acted on".into(),
            tag: Provenance::Doc("refer.blind"),
        });
        replaces = replaces.or_else(|| Some(parse_replaces(&h.value)));
    }

    let custom_headers =
        headers.iter().filter(|h| h.name.len() > 2 && is_x_header(&h.name)).map(|h| (h.name.clone(), h.value.clone())).collect();
    let scenario =
        ScenarioRefer { refer_to: targets.iter().map(|h| h.value.clone()).collect(), refer_sub: refer_sub.unwrap_or(true) };
    ReferMessage {
        form,
        request_line,
        headers,
        refer_to,
        referred_by,
        refer_sub,
        replaces,
        custom_headers,
        body,
        refusals,
        notes,
        scenario,
    }
}
