//! The package's format for a [`parse`](super::parse) result and for transfer findings: what
//! the WebAssembly exports `parseTwiml` and `checkTransfer` return and `pkg/decode.js` turns
//! into the plain JS objects the TypeScript types declare, the same keys in the same order and
//! the same values as serde_json's text of [`Parsed`](super::Parsed) (or of the findings).
//!
//! The generic compact format (`src/wasm/compact.rs`) writes every key of every object, and
//! a typed node has one key per documented attribute, nearly all `null`: a `<Dial>` is 19
//! keys and 19 nulls. Here a typed node is its *shape* (an index into [`SHAPES`], whose object
//! literals are `pkg/twiml_shapes.js`) and only its fields that are present; every other
//! object has a fixed layout and no keys at all. The decoder builds each object in one go.
//!
//! Tokens are ASCII characters; a number `n` is written in 6-bit digits, least significant
//! first, each but the last with `0x40` set; `text` is a number of UTF-16 code units, then the
//! text as it is: the generic format's primitives, one implementation ([`crate::compact_format`]).
//! ```text
//! result   = response diagnostics           ; checkTransfer: diagnostics
//! response = 0 | 1 attrs children span      ; null | { attributes, children, span }
//! attrs    = n (text name, text value, span) × n
//! span     = start end
//! children = child* 0
//! child    = 1 text span                    ; { type: "Text", value, span }
//!          | 2 text attrs children span     ; { type: "Unknown", name, attributes, children, span }
//!          | 3 text span                    ; { type: "text", value, span }
//!          | 4 text attrs children span     ; { type: "element", name, attributes, children, span }
//!          | 5 + shape (i value)* 0 attrs children span ; SHAPES[shape]: its key i - 1 = value
//! value    = 1 | 2 | 3 n | 5 text           ; false | true | a number | a string
//! diagnostics = n diagnostic × n
//! diagnostic  = text code, severity (0 error, 1 warning, 2 info), text message, span, line,
//!               column, tag (0 | 1 text), provenance (0 text source: doc | 1 rfc | 2 assumed),
//!               vendorCode (0 null | n + 1)
//! ```

use crate::compact_format;
use crate::provenance::Provenance;
use crate::span::Span;
use crate::twiml::ast::{
    Client, Conference, Dial, DialChild, Enqueue, Gather, GatherChild, Hangup, Leave, Method, Number, Pause, Play, Queue, Record,
    Redirect, Refer, ReferChild, ReferSip, Reject, Say, Sim, Sip, Verb,
};
use crate::twiml::diagnostic::{Diagnostic, Severity};
use crate::twiml::tree::{Attr, Element, Node, Text};

/// The shapes of typed nodes, in the order of their index: the type and the documented
/// attributes (whose keys are the attribute names). `pkg/twiml_shapes.js` makes an object
/// of each (`tests/it/twiml_compact.rs` writes that file from this table and checks it).
pub const SHAPES: [(&str, &[&str]); 19] = [
    (Dial::TAG, Dial::ATTRIBUTES),
    (Say::TAG, Say::ATTRIBUTES),
    (Play::TAG, Play::ATTRIBUTES),
    (Pause::TAG, Pause::ATTRIBUTES),
    (Gather::TAG, Gather::ATTRIBUTES),
    (Hangup::TAG, Hangup::ATTRIBUTES),
    (Redirect::TAG, Redirect::ATTRIBUTES),
    (Reject::TAG, Reject::ATTRIBUTES),
    (Enqueue::TAG, Enqueue::ATTRIBUTES),
    (Leave::TAG, Leave::ATTRIBUTES),
    (Record::TAG, Record::ATTRIBUTES),
    (Refer::TAG, Refer::ATTRIBUTES),
    (Sip::TAG, Sip::ATTRIBUTES),
    (Number::TAG, Number::ATTRIBUTES),
    (Client::TAG, Client::ATTRIBUTES),
    (Conference::TAG, Conference::ATTRIBUTES),
    (Queue::TAG, Queue::ATTRIBUTES),
    (Sim::TAG, Sim::ATTRIBUTES),
    (ReferSip::TAG, ReferSip::ATTRIBUTES),
];

const END: char = '\u{0}';
const TYPED_TEXT: char = '\u{1}';
const UNKNOWN: char = '\u{2}';
const NODE_TEXT: char = '\u{3}';
const NODE_ELEMENT: char = '\u{4}';
/// A shape's token is this plus its index.
const SHAPE_BASE: u64 = 5;

/// Appends tokens to the result.
pub(crate) struct Out<'a> {
    out: &'a mut String,
}

impl Out<'_> {
    pub(crate) fn num(&mut self, n: u64) {
        compact_format::num(self.out, n);
    }

    fn usize(&mut self, n: usize) {
        self.num(n as u64);
    }

    fn text(&mut self, s: &str) {
        compact_format::text(self.out, s);
    }

    fn span(&mut self, span: Span) {
        self.usize(span.start);
        self.usize(span.end);
    }

    fn attrs(&mut self, attrs: &[Attr]) {
        self.usize(attrs.len());
        for a in attrs {
            self.text(&a.name);
            self.text(&a.value);
            self.span(a.span);
        }
    }

    /// A typed field that is present: its index in the shape, 1-based, and its value.
    #[inline(never)] // called for every field of every shape: one copy
    pub(crate) fn field(&mut self, index: u64, value: &dyn FieldValue) {
        self.num(index);
        value.write(self);
    }

    fn element(&mut self, token: char, el: &Element) {
        self.out.push(token);
        self.text(&el.name);
        self.attrs(&el.attributes);
        self.children(&el.children);
        self.span(el.span);
    }

    fn text_node(&mut self, token: char, t: &Text) {
        self.out.push(token);
        self.text(&t.value);
        self.span(t.span);
    }

    fn children<C: CompactChild>(&mut self, children: &[C]) {
        for c in children {
            c.write(self);
        }
        self.out.push(END);
    }

    fn typed(&mut self, shape: u64, x: &dyn Typed) {
        self.num(SHAPE_BASE + shape);
        x.write_fields(self);
        self.out.push(END);
        x.write_rest(self);
    }

    /// A typed node's attributes, children and span.
    pub(crate) fn rest<C: CompactChild>(&mut self, attrs: &[Attr], children: &[C], span: Span) {
        self.attrs(attrs);
        self.children(children);
        self.span(span);
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        self.text(d.code);
        self.num(match d.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        });
        self.text(&d.message);
        self.span(d.span);
        self.usize(d.line);
        self.usize(d.column);
        match &d.tag {
            Some(tag) => {
                self.num(1);
                self.text(tag);
            }
            None => self.num(0),
        }
        match d.provenance {
            Provenance::Doc(source) => {
                self.num(0);
                self.text(source);
            }
            Provenance::Rfc => self.num(1),
            Provenance::Assumed => self.num(2),
        }
        self.num(d.vendor_code.map_or(0, |c| u64::from(c) + 1));
    }
}

/// A typed field's value.
pub(crate) trait FieldValue {
    fn write(&self, out: &mut Out<'_>);
}

impl FieldValue for String {
    fn write(&self, out: &mut Out<'_>) {
        out.out.push('\u{5}');
        out.text(self);
    }
}

impl FieldValue for Method {
    fn write(&self, out: &mut Out<'_>) {
        out.out.push('\u{5}');
        out.text(self.as_str());
    }
}

impl FieldValue for bool {
    fn write(&self, out: &mut Out<'_>) {
        out.out.push(if *self { '\u{2}' } else { '\u{1}' });
    }
}

impl FieldValue for u32 {
    fn write(&self, out: &mut Out<'_>) {
        out.out.push('\u{3}');
        out.num(u64::from(*self));
    }
}

/// A typed node (implemented by the element macro of [`crate::twiml::ast`]).
pub(crate) trait Typed {
    /// Its present typed fields, by [`Out::field`].
    fn write_fields(&self, out: &mut Out<'_>);
    /// Its attributes, children and span, by [`Out::rest`].
    fn write_rest(&self, out: &mut Out<'_>);
}

/// A child of a node, as it is written.
pub(crate) trait CompactChild {
    fn write(&self, out: &mut Out<'_>);
}

impl CompactChild for Node {
    fn write(&self, out: &mut Out<'_>) {
        match self {
            Node::Text(t) => out.text_node(NODE_TEXT, t),
            Node::Element(e) => out.element(NODE_ELEMENT, e),
        }
    }
}

impl CompactChild for Verb {
    fn write(&self, out: &mut Out<'_>) {
        match self {
            Verb::Dial(x) => out.typed(0, x),
            Verb::Say(x) => out.typed(1, x),
            Verb::Play(x) => out.typed(2, x),
            Verb::Pause(x) => out.typed(3, x),
            Verb::Gather(x) => out.typed(4, x),
            Verb::Hangup(x) => out.typed(5, x),
            Verb::Redirect(x) => out.typed(6, x),
            Verb::Reject(x) => out.typed(7, x),
            Verb::Enqueue(x) => out.typed(8, x),
            Verb::Leave(x) => out.typed(9, x),
            Verb::Record(x) => out.typed(10, x),
            Verb::Refer(x) => out.typed(11, x),
            Verb::Text(t) => out.text_node(TYPED_TEXT, t),
            Verb::Unknown(e) => out.element(UNKNOWN, e),
        }
    }
}

impl CompactChild for DialChild {
    fn write(&self, out: &mut Out<'_>) {
        match self {
            DialChild::Sip(x) => out.typed(12, x),
            DialChild::Number(x) => out.typed(13, x),
            DialChild::Client(x) => out.typed(14, x),
            DialChild::Conference(x) => out.typed(15, x),
            DialChild::Queue(x) => out.typed(16, x),
            DialChild::Sim(x) => out.typed(17, x),
            DialChild::Text(t) => out.text_node(TYPED_TEXT, t),
            DialChild::Unknown(e) => out.element(UNKNOWN, e),
        }
    }
}

impl CompactChild for GatherChild {
    fn write(&self, out: &mut Out<'_>) {
        match self {
            GatherChild::Say(x) => out.typed(1, x),
            GatherChild::Play(x) => out.typed(2, x),
            GatherChild::Pause(x) => out.typed(3, x),
            GatherChild::Text(t) => out.text_node(TYPED_TEXT, t),
            GatherChild::Unknown(e) => out.element(UNKNOWN, e),
        }
    }
}

impl CompactChild for ReferChild {
    fn write(&self, out: &mut Out<'_>) {
        match self {
            ReferChild::Sip(x) => out.typed(18, x),
            ReferChild::Text(t) => out.text_node(TYPED_TEXT, t),
            ReferChild::Unknown(e) => out.element(UNKNOWN, e),
        }
    }
}

/// Writes one result: [`Writer::start`], the response ([`Writer::null_response`], or
/// [`Writer::open_response`], each [`Writer::verb`], [`Writer::close_response`]), then
/// [`Writer::diagnostics`].
pub(crate) struct Writer<'a>(Out<'a>);

impl<'a> Writer<'a> {
    /// A result into `out` (cleared).
    pub(crate) fn start(out: &'a mut String) -> Self {
        out.clear();
        Writer(Out { out })
    }

    pub(crate) fn null_response(&mut self) {
        self.0.num(0);
    }

    /// `<Response>`'s attributes (its children follow by [`Writer::verb`]).
    pub(crate) fn open_response(&mut self, root: &Element) {
        self.0.num(1);
        self.0.attrs(&root.attributes);
    }

    pub(crate) fn verb(&mut self, verb: &Verb) {
        verb.write(&mut self.0);
    }

    pub(crate) fn close_response(&mut self, root: &Element) {
        self.0.out.push(END);
        self.0.span(root.span);
    }

    pub(crate) fn diagnostics(&mut self, diagnostics: &[Diagnostic]) {
        self.0.usize(diagnostics.len());
        for d in diagnostics {
            self.0.diagnostic(d);
        }
    }
}

/// `checkTransfer`'s findings in this format (`diagnostics` above), into `out` (cleared).
pub fn write_findings(findings: &[Diagnostic], out: &mut String) {
    Writer::start(out).diagnostics(findings);
}
