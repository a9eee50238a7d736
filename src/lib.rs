//! # refer-sim
//!
//! A deterministic simulator of how Twilio Programmable Voice handles a SIP REFER
//! blind transfer, built as a pure, sans-IO core that compiles natively and to
//! WebAssembly.
//!
//! The crate is layered by concern:
//!
//! * [`sip`]: the Refer-To header and the SIP/SIPS/tel URIs inside it
//!   (RFC 3261 §19.1, §20.31, §25.1; RFC 3515; RFC 7433), plus the SIP
//!   messages drawn in the ladder.
//! * [`twiml`]: the Voice TwiML model, a position-aware parser built on
//!   quick-xml, a writer byte-identical to the vendor's helper library, and
//!   the transfer checks of `SPEC.md`.
//! * [`transfer`]: the sans-IO transfer state machine. It never reads a clock,
//!   sleeps or does I/O: time is a `u64` of simulated milliseconds passed in
//!   with each input, and each input is followed by draining the outputs.
//!   The same scenario always gives the same timeline.
//! * `wasm` (only on `wasm32`): the JavaScript bindings. It converts types
//!   and holds no logic.
//!
//! Every behaviour the simulator reproduces carries a [`Provenance`] tag:
//! documented by the vendor, taken from a SIP RFC, or assumed where both are
//! silent.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub(crate) mod compact_format;
pub mod provenance;
pub mod scenario;
pub mod sip;
pub mod span;
pub mod transfer;
pub mod twiml;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use provenance::Provenance;
pub use span::{LineIndex, Position, Span};
