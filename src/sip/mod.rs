//! SIP: the Refer-To header value and the SIP, SIPS and tel URIs inside it.
//!
//! [`parse_refer_to`] is what Twilio does with a REFER's Refer-To before it
//! calls `referUrl`: the 256-character limit, the URI grammar of RFC 3261, the
//! `ReferTransferTarget` webhook parameter, User-to-User and `X-` headers.
//! [`parse_refer_message`] reads a whole pasted REFER (or its header lines).

// No input may panic here (a panic traps the WebAssembly module): indexing, string slicing,
// unwrap, expect and panic! are errors under clippy (`make test` runs it). Tests may use them.
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::string_slice, clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub(crate) mod chars;
pub mod error;
pub mod message;
pub mod refer_message;
pub mod refer_to;
pub mod uri;

pub use error::{ErrorCode, ParseError, Warning, WarningCode};
pub use refer_message::{parse_refer_message, ReferMessage, MAX_MESSAGE_BYTES};
pub use refer_to::{parse_refer_to, parse_replaces, Form, ReferTo, Replaces, Uui, MAX_REFER_TO_LEN};
pub use uri::{parse_uri, Host, Param, Scheme, Uri, UriHeader, MAX_URI_BYTES};
