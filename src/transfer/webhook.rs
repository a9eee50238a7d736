//! The HTTP requests Twilio makes to the application: the voice request
//! parameters, deterministic SIDs, and the exact form body (POST) or query
//! string (GET) sent.

use super::leg::SharedStr;
use super::step::WebhookRequest;
use crate::sip::message::fnv;
use crate::twiml::Method;

/// The account SID every simulated request carries: `sid("AC", "refer-sim account")`, written
/// out (it was hashed again for each request).
pub fn account_sid() -> String {
    ACCOUNT_SID.to_string()
}

/// [`account_sid`]'s text.
const ACCOUNT_SID: &str = "AC2a4cfeccd8d36664b43b3d146f36caa5";

/// A request parameter's name (`param!("CallSid")`) or fixed value, made once for every run
/// ([`SharedStr::kept`]): a copy is a reference to the one text, where each request
/// allocated each of its names again (about 28 texts of a catalogue run).
macro_rules! param {
    ($name:literal) => {{
        static NAME: std::sync::OnceLock<$crate::transfer::leg::SharedStr> = std::sync::OnceLock::new();
        $crate::transfer::leg::SharedStr::kept(&NAME, $name)
    }};
}

pub(crate) use param;

/// [`account_sid`], shared: made once for every run.
pub(crate) fn shared_account_sid() -> SharedStr {
    static SID: std::sync::OnceLock<SharedStr> = std::sync::OnceLock::new();
    SharedStr::kept(&SID, ACCOUNT_SID)
}

/// A parameter value that is one of a few fixed texts (a CallStatus, a Direction, `true`), shared:
/// each of those is made once for every run (looking it up costs less than allocating it);
/// any other text is made anew.
pub(crate) fn fixed_value(text: &str) -> SharedStr {
    const TEXTS: [&str; 15] = [
        "queued",
        "ringing",
        "in-progress",
        "completed",
        "busy",
        "no-answer",
        "failed",
        "canceled",
        "inbound",
        "outbound-dial",
        "2010-04-01",
        "true",
        "false",
        "call-progress-events",
        "DialVerb",
    ];
    static KEPT: [std::sync::OnceLock<SharedStr>; 15] = [const { std::sync::OnceLock::new() }; 15];
    match TEXTS.iter().position(|t| *t == text).and_then(|i| KEPT.get(i)) {
        Some(cell) => SharedStr::kept(cell, text),
        None => text.into(),
    }
}

/// A deterministic 34-character SID with `prefix`, derived from `name`.
pub fn sid(prefix: &str, name: &str) -> String {
    let hex = sid_digits(name);
    let mut out = String::with_capacity(prefix.len() + 32);
    out.push_str(prefix);
    // Hex digits: always UTF-8, appended at once (one push per digit was half of a leg's creation).
    out.push_str(std::str::from_utf8(&hex).unwrap_or_default());
    out
}

/// [`sid`] as shared text, written on the stack and allocated once (`prefix` is two letters).
pub(crate) fn shared_sid(prefix: &str, name: &str) -> SharedStr {
    let mut text = [b'0'; 34];
    let (head, digits) = text.split_at_mut(2);
    head.copy_from_slice(prefix.as_bytes().get(..2).unwrap_or(b"??"));
    digits.copy_from_slice(&sid_digits(name));
    std::str::from_utf8(&text).map_or_else(|_| sid(prefix, name).into(), SharedStr::from)
}

/// The 32 hex digits of a [`sid`]: fnv of `name`, then fnv of `name` followed by `#`.
fn sid_digits(name: &str) -> [u8; 32] {
    // fnv of `name` followed by `#`, without writing that text out.
    let hashed = (fnv(name) ^ u64::from(b'#')).wrapping_mul(0x0000_0100_0000_01b3);
    let mut hex = [b'0'; 32];
    for (n, digits) in [fnv(name), hashed].into_iter().zip(hex.chunks_exact_mut(16)) {
        for (shift, d) in (0..16).rev().zip(digits) {
            *d = HEX_LOWER[((n >> (shift * 4)) & 0xf) as usize];
        }
    }
    hex
}

const HEX_LOWER: &[u8; 16] = b"0123456789abcdef";
const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `text` form-encoded to `out` (`application/x-www-form-urlencoded`): alphanumerics
/// and `*-._` as they are, a space as `+`, every other byte as `%XX`.
fn push_form(out: &mut String, text: &str) {
    // Runs of kept bytes are copied whole. A run is ASCII, so it starts and ends on a
    // character boundary and `get` always finds it.
    let mut run = 0;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if KEPT[usize::from(b)] {
            continue;
        }
        out.push_str(text.get(run..i).unwrap_or_default());
        run = i + 1;
        if b == b' ' {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX_UPPER[usize::from(b >> 4)]));
            out.push(char::from(HEX_UPPER[usize::from(b & 0xf)]));
        }
    }
    out.push_str(text.get(run..).unwrap_or_default());
}

/// The bytes [`push_form`] keeps as they are: alphanumerics and `*-._` (one load per byte,
/// where the tests it replaces were most of a request's encoding).
const KEPT: [bool; 256] = {
    let mut kept = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        kept[b] = c.is_ascii_alphanumeric() || matches!(c, b'*' | b'-' | b'.' | b'_');
        b += 1;
    }
    kept
};

/// Encodes pairs as a form body: `a=1&b=x+y`.
pub fn form_encode(params: &[(SharedStr, SharedStr)]) -> String {
    let mut out = String::with_capacity(params.iter().map(|(k, v)| k.len() + v.len() + 2).sum::<usize>() * 5 / 4);
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        push_form(&mut out, k);
        out.push('=');
        push_form(&mut out, v);
    }
    out
}

/// The request as sent: form body for POST, query string for GET.
pub fn request(method: Method, url: &str, purpose: &'static str, params: Vec<(SharedStr, SharedStr)>) -> WebhookRequest {
    let encoded = form_encode(&params);
    let (body, query_url) = match method {
        Method::Get => {
            // RFC 3986 §3: the query comes before the `#` fragment (where connection overrides such
            // as `#rt=5000` live, never sent); a `?` inside the fragment starts no query.
            let (base, fragment) = url.split_once('#').map_or((url, None), |(b, f)| (b, Some(f)));
            let sep = if base.contains('?') { '&' } else { '?' };
            let mut query_url = String::with_capacity(url.len() + encoded.len() + 1);
            query_url.push_str(base);
            query_url.push(sep);
            query_url.push_str(&encoded);
            if let Some(f) = fragment {
                query_url.push('#');
                query_url.push_str(f);
            }
            (None, Some(query_url))
        }
        Method::Post => (Some(encoded), None),
    };
    WebhookRequest { method: method.as_str(), url: url.to_string(), purpose, params, body, query_url }
}

#[cfg(test)]
mod tests {
    use super::{fnv, form_encode, sid};
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

    /// What the encoder did before it wrote bytes itself: percent-encoding's set, `%20` made `+`.
    const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

    #[test]
    fn a_get_request_puts_its_query_before_the_fragment() {
        use super::{request, Method};
        let params = || vec![("CallSid".into(), "CA1".into())];
        let at = |url: &str| request(Method::Get, url, "referUrl", params()).query_url.unwrap();
        assert_eq!(at("https://e.com/refer?x=1#rt=5000"), "https://e.com/refer?x=1&CallSid=CA1#rt=5000");
        assert_eq!(at("https://e.com/refer#rt=5000?y"), "https://e.com/refer?CallSid=CA1#rt=5000?y");
        assert_eq!(at("https://e.com/refer"), "https://e.com/refer?CallSid=CA1");
        assert_eq!(at("https://e.com/refer?x=1"), "https://e.com/refer?x=1&CallSid=CA1");
        assert_eq!(request(Method::Post, "https://e.com/r#rt=1", "referUrl", params()).query_url, None);
    }

    #[test]
    fn form_encoding_is_percent_encodings_with_plus_for_space() {
        let every_char: String = (0u32..0x300).filter_map(char::from_u32).collect();
        for text in ["", "a b", "<sip:AgentB@example.com?X-Ticket=42>", "%20 +&=", "ü€😀", every_char.as_str()] {
            let expected = utf8_percent_encode(text, FORM).to_string().replace("%20", "+");
            let pairs = [(text.into(), text.into())];
            assert_eq!(form_encode(&pairs), format!("{expected}={expected}"), "{text:?}");
        }
    }

    #[test]
    fn a_sid_is_the_prefix_and_two_hashes() {
        let name = "transferor";
        assert_eq!(sid("CA", name), format!("CA{:016x}{:016x}", fnv(name), fnv(&format!("{name}#"))));
        assert_eq!(sid("CA", name).len(), 34);
        assert_eq!(super::account_sid(), sid("AC", "refer-sim account"));
        assert_eq!(super::shared_account_sid(), super::account_sid());
        for (prefix, name) in [("CA", name), ("RE", "caller/recording-1"), ("CA", "")] {
            assert_eq!(super::shared_sid(prefix, name), sid(prefix, name));
        }
    }
}
