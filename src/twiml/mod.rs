//! Voice TwiML: the typed model, a position-aware parser, the writer and the transfer checks.
//!
//! * [`tree`]: the generic element tree every path goes through.
//! * [`ast`]: the typed model (verbs, nouns, typed attributes with their defaults).
//! * [`parser`]: XML → tree → model, with [`Diagnostic`]s carrying code, span, line and column.
//! * [`writer`]: model or tree → the bytes twilio-node 6.2.0 writes.
//! * [`builder`]: the vendor helper's call shapes, over an arena of nodes.
//! * [`check`]: the transfer checks of `SPEC.md` for the initial document or a referUrl response.
//! * [`diagnostic`]: the diagnostic type shared by the parser and the checks.
//! * [`compact`]: the package's format for a parse result (`parseTwiml` in WebAssembly).

// No input may panic here (a panic traps the WebAssembly module): indexing, string slicing,
// unwrap, expect and panic! are errors under clippy (`make test` runs it). Tests may use them.
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::string_slice, clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod ast;
pub mod builder;
pub mod check;
pub mod compact;
pub mod diagnostic;
pub mod parser;
pub mod tree;
pub mod writer;

pub use ast::{
    Client, Conference, Dial, DialChild, Enqueue, Gather, GatherChild, Hangup, Leave, Method, Number, Pause, Play, Queue, Record,
    Redirect, Refer, ReferChild, ReferSip, Reject, Response, Say, Sim, Sip, Verb,
};
pub use builder::{BuildError, Builder, NodeId};
pub use check::{check_response, check_transfer, Role};
pub use diagnostic::{Diagnostic, Severity};
pub use parser::{parse, parse_tree, parse_view, Parsed, ParsedView, ReadAgainError, MAX_DEPTH, MAX_INPUT_BYTES};
pub use tree::{Attr, Element, Node, Text};
pub use writer::{write, write_document};
