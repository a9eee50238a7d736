//! The machine's inputs and effects: what the world tells Twilio, and what
//! Twilio asks of the world. Both are plain data with a timestamp supplied by
//! the caller of [`Engine::handle`](super::Engine::handle).

use serde::{Deserialize, Serialize};

use super::leg::{CallStatus, LegId, SharedStr};
use super::step::WebhookRequest;
use crate::twiml::Response;

/// Which leg sends the first REFER.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReferFrom {
    /// The leg the initial `<Dial>` created (AgentA in the vendor's bank example).
    #[default]
    Transferor,
    /// A SIP phone that called in sends REFER on the inbound (parent) leg; the
    /// party it dialled is the transferee.
    Caller,
}

/// How the machine is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// The initial TwiML, parsed.
    pub initial: Response,
    /// Which leg sends the first REFER.
    pub refer_from: ReferFrom,
    /// The account's Enhanced Programmable SIP Features setting.
    pub enhanced_sip_features: bool,
    /// The calling party (a number, a `sip:` URI or `client:name`).
    pub caller_from: String,
    /// The number or URI called.
    pub caller_to: String,
}

/// An event from the world.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Input {
    /// The caller's call reaches Twilio.
    Start,
    /// A ringing party answers.
    Answered {
        /// The leg.
        leg: LegId,
    },
    /// A ringing party refuses the call.
    Declined {
        /// The leg.
        leg: LegId,
        /// `Busy` or `Failed`.
        status: CallStatus,
        /// The SIP final response (486, 503, ...).
        sip_code: u16,
    },
    /// A party hangs up (sends BYE, or CANCEL while ringing).
    HungUp {
        /// The leg.
        leg: LegId,
    },
    /// A party sends REFER.
    Refer {
        /// The leg it arrives on.
        leg: LegId,
        /// The Refer-To header values (RFC 3515 wants exactly one).
        refer_to: Vec<String>,
        /// False for `Refer-Sub: false` (RFC 4488).
        refer_sub: bool,
        /// The party first holds the call (re-INVITE `a=sendonly`).
        hold_first: bool,
    },
    /// The application answered a request.
    HttpResponse {
        /// The request id from [`Effect::Fetch`].
        request: u32,
        /// What came back.
        reply: HttpReply,
    },
    /// The application answered a request, with what is known of the answer beyond its reply
    /// ([`Input::HttpResponse`] is this with both `None`).
    HttpResponseFrom {
        /// The request id from [`Effect::Fetch`].
        request: u32,
        /// What came back.
        reply: HttpReply,
        /// The URL that answered, when Twilio followed redirects to reach it: the steps name
        /// it, and its TwiML runs as that document (RFC 3986 §5.1.3).
        redirected_to: Option<String>,
        /// How `redirected_to` was requested (a 302 or 303 after a POST is a GET); `None`, as
        /// the request was.
        redirected_method: Option<crate::twiml::Method>,
        /// The body was longer than this many bytes, and the reply holds only its start.
        body_over: Option<u64>,
    },
    /// The party of a SIP leg answers the REFER Twilio sent it (`<Refer>`): `202`
    /// accepts, a final error refuses.
    ReferAnswered {
        /// The leg.
        leg: LegId,
        /// The SIP status of its response.
        code: u16,
    },
    /// The party of a SIP leg that accepted Twilio's REFER sends a NOTIFY (RFC 3515 §2.4.4)
    /// with the status of its new call as a sipfrag.
    ReferNotify {
        /// The leg.
        leg: LegId,
        /// The sipfrag status code.
        code: u16,
        /// `Subscription-State: terminated`: the last NOTIFY.
        terminated: bool,
    },
    /// The X- headers the party of a ringing leg will put on its final response (200 OK, or
    /// the error it declines with); Twilio passes them to the `<Dial action>` as
    /// `DialSipHeader_<name>` after a `<Sip>` dial. Records no step.
    ResponseHeaders {
        /// The leg.
        leg: LegId,
        /// `(name, value)` in the order sent; names that do not start with `X-` are dropped.
        headers: Vec<(String, String)>,
    },
    /// The caller presses digits during `<Gather>`.
    Digits {
        /// The leg.
        leg: LegId,
        /// The digits.
        digits: String,
    },
}

/// An application's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpReply {
    /// An HTTP status with a TwiML body (Content-Type `text/xml`).
    Body {
        /// HTTP status.
        status: u16,
        /// The body.
        twiml: String,
    },
    /// An HTTP status with a body and the Content-Type it came with (`None`: the answer had no
    /// Content-Type header). [`HttpReply::Body`] is this with `text/xml`. The type decides what
    /// Twilio does with a 2xx body (`twiml.mime-types`): TwiML for `text/xml`, `application/xml`
    /// and `text/html`, played for an audio type, read out for `text/plain`, and error 12300
    /// for none or any other (`error.12300`).
    Typed {
        /// HTTP status.
        status: u16,
        /// The Content-Type header's value as sent, parameters included; `None` when absent.
        content_type: Option<String>,
        /// The body, as text.
        body: String,
    },
    /// The host could not be reached.
    Unreachable,
}

/// What Twilio asks of the world.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Effect {
    /// A party is called: it may answer, decline, or let it ring.
    Ring {
        /// The new leg.
        leg: LegId,
        /// Its address.
        address: SharedStr,
    },
    /// A dialled party answered and is connected.
    Connected {
        /// The leg.
        leg: LegId,
        /// Its address.
        address: SharedStr,
    },
    /// Twilio requests a URL.
    Fetch {
        /// Request id to answer with [`Input::HttpResponse`].
        request: u32,
        /// The URL, without a GET query string.
        url: String,
        /// The request exactly as sent.
        webhook: std::sync::Arc<WebhookRequest>,
    },
    /// Twilio sent a NOTIFY to the party of `leg`.
    Notified {
        /// The transferor's leg.
        leg: LegId,
        /// Its address.
        address: SharedStr,
        /// The sipfrag status code.
        code: u16,
        /// `Subscription-State: terminated`.
        terminated: bool,
    },
    /// Twilio sent a REFER to the party of `leg` (`<Refer>`): it answers with
    /// [`Input::ReferAnswered`], then NOTIFYs with [`Input::ReferNotify`].
    ReferSent {
        /// The leg.
        leg: LegId,
        /// Its party's address.
        address: SharedStr,
        /// The Refer-To URI.
        target: String,
    },
    /// Two legs were bridged.
    Bridged {
        /// One leg.
        a: LegId,
        /// The other.
        b: LegId,
    },
    /// A `<Gather>` waits for digits on `leg`.
    GatherStarted {
        /// The leg.
        leg: LegId,
    },
}
