//! Voice TwiML: the typed model, a position-aware parser, the writer and the transfer checks.
//!
//! * [`tree`]: the generic element tree every path goes through.
//! * [`ast`]: the typed model (verbs, nouns, typed attributes with their defaults).
//! * [`parser`]: XML → tree → model, with [`Diagnostic`]s carrying code, span, line and column.
//! * [`diagnostic`]: the diagnostic type shared by the parser and the checks.

pub mod ast;
pub mod diagnostic;
pub mod parser;
pub mod tree;

pub use ast::{
    Client, Conference, Dial, DialChild, Enqueue, Gather, GatherChild, Hangup, Leave, Method, Number,
    Pause, Play, Queue, Record, Redirect, Refer, ReferChild, ReferSip, Reject, Response, Say, Sim, Sip,
    Verb,
};
pub use diagnostic::{Diagnostic, Severity};
pub use parser::{parse, parse_tree, Parsed, MAX_DEPTH, MAX_INPUT_BYTES};
pub use tree::{Attr, Element, Node, Text};
