//! The HTTP requests Twilio makes to the application: the voice request
//! parameters, deterministic SIDs, and the exact form body (POST) or query
//! string (GET) sent.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use super::step::WebhookRequest;
use crate::sip::message::fnv;
use crate::twiml::Method;

/// `application/x-www-form-urlencoded` keeps `*-._` and alphanumerics; spaces become `+`.
const FORM: &AsciiSet = &NON_ALPHANUMERIC.remove(b'*').remove(b'-').remove(b'.').remove(b'_');

/// The account SID every simulated request carries.
pub fn account_sid() -> String {
    sid("AC", "refer-sim account")
}

/// A deterministic 34-character SID with `prefix`, derived from `name`.
pub fn sid(prefix: &str, name: &str) -> String {
    format!("{prefix}{:016x}{:016x}", fnv(name), fnv(&format!("{name}#")))
}

/// Encodes pairs as a form body: `a=1&b=x+y`.
pub fn form_encode(params: &[(String, String)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in params.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&utf8_percent_encode(k, FORM).to_string().replace("%20", "+"));
        out.push('=');
        out.push_str(&utf8_percent_encode(v, FORM).to_string().replace("%20", "+"));
    }
    out
}

/// The request as sent: form body for POST, query string for GET.
pub fn request(method: Method, url: &str, purpose: &str, params: Vec<(String, String)>) -> WebhookRequest {
    let encoded = form_encode(&params);
    let (body, query_url) = match method {
        Method::Get => {
            let sep = if url.contains('?') { '&' } else { '?' };
            (None, Some(format!("{url}{sep}{encoded}")))
        }
        Method::Post => (Some(encoded), None),
    };
    WebhookRequest {
        method: method.as_str().to_string(),
        url: url.to_string(),
        purpose: purpose.to_string(),
        params,
        body,
        query_url,
    }
}
