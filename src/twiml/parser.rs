//! The position-aware TwiML parser, on quick-xml's pull [`Reader`].
//!
//! Two stages: the XML stage builds the generic [`Element`] tree with byte
//! spans and reports XML-level failures (fatal: the document is rejected, as
//! the vendor does with error 12100); the TwiML stage lowers the tree to the
//! typed model and reports schema findings (unknown attributes and elements,
//! bad values: the vendor's 12200 warnings), which never drop anything.
//!
//! Safety bounds, checked before any allocation proportional to the input:
//! inputs over [`MAX_INPUT_BYTES`] are refused at once (`too_large`),
//! nesting deeper than [`MAX_DEPTH`] stops the parse (`too_deep`), a DOCTYPE
//! is refused (`doctype_refused`) and only the five predefined entities and
//! numeric character references are resolved (`unknown_entity` otherwise),
//! so no entity expansion can blow up.

use quick_xml::escape::{resolve_predefined_entity, EscapeError};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::cell::RefCell;

use serde::ser::{Error as _, SerializeSeq, SerializeStruct, Serializer};
use serde::Serialize;

use crate::provenance::Provenance;
use crate::span::{LineIndex, Span};
use crate::twiml::ast::{Lower, Response, Verb};
use crate::twiml::compact::Writer;
use crate::twiml::diagnostic::{Diagnostic, Severity};
use crate::twiml::tree::{Attr, Element, Node, Text};

/// The largest input the parser reads: 1 MiB. The vendor's own limit on a
/// TwiML response is far lower (64 kB), so anything beyond is refused at once.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

/// The deepest element nesting accepted (`<Response>` is depth 1).
pub const MAX_DEPTH: usize = 64;

/// The most diagnostics [`parse`] lists; past it one `too_many_diagnostics` finding counts the
/// rest. A 1 MiB document with 50,000 unknown attributes gave 50,000 warnings (11 MB of the
/// 16 MB result, most of the 185 MB a call took); nobody reads past the first thousand.
pub const MAX_DIAGNOSTICS: usize = 1000;

/// The result of [`parse`]: the typed document when the XML was well formed
/// and rooted at `<Response>`, and every diagnostic in document order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Parsed {
    /// The typed document; `None` after a fatal error.
    pub response: Option<Response>,
    /// Fatal errors first stop the parse; schema findings follow the document order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Parsed {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Parse a Voice TwiML document into the typed model, with diagnostics.
///
/// Never panics; a fatal error gives `response: None` and one error diagnostic.
pub fn parse(xml: &str) -> Parsed {
    let (root, mut diagnostics) = response_tree(xml, None);
    let response = root.map(|root| {
        let (r, schema) = Response::from_owned(root);
        diagnostics.extend(schema);
        r
    });
    finish(&mut diagnostics, xml);
    Parsed { response, diagnostics }
}

/// [`parse`]'s result as a value to serialise, made without the typed model: while it is
/// serialised, `<Response>`'s children are lowered to verbs one at a time, each written and
/// dropped before the next is built. It serialises exactly as the [`Parsed`] that [`parse`]
/// returns for the same text (same fields, same order, same values), at a fraction of the
/// memory: for 1 MiB of `<Pause/>` neither the model (131k verbs) nor the whole tree is ever
/// held. Up to [`STREAM_FROM`] bytes the tree is built and its children moved out one by one;
/// past it the text is read twice, once to find every XML error (fatal: no verb may be
/// written before the document is known to be well formed), then, at serialisation, with
/// each child of the root handed over as soon as it is closed, so no tree is ever whole.
#[derive(Debug)]
pub struct ParsedView<'a> {
    xml: &'a str,
    /// The `<Response>` element, with its children (up to [`STREAM_FROM`] bytes, until a
    /// serialisation takes them) or without them (past it); `None` after a fatal error.
    root: RefCell<Option<Element>>,
    /// The XML stage's diagnostics (or `root_not_response`), before the schema findings.
    diagnostics: Vec<Diagnostic>,
}

/// From this size on, [`ParsedView`] reads the text twice instead of holding its tree:
/// 64 kB, the largest TwiML response the vendor accepts (error 11750).
pub const STREAM_FROM: usize = 64 * 1024;

/// [`parse`], for serialising the result at once: see [`ParsedView`].
pub fn parse_view(xml: &str) -> ParsedView<'_> {
    let (root, diagnostics) = if xml.len() >= STREAM_FROM {
        // The root's children are dropped as soon as they are read: only errors are wanted.
        response_tree(xml, Some(&mut |_| {}))
    } else {
        response_tree(xml, None)
    };
    ParsedView { xml, root: RefCell::new(root), diagnostics }
}

impl ParsedView<'_> {
    /// The root and its children, for one writing of the result: up to [`STREAM_FROM`]
    /// bytes moved out of the tree (a second writing finds the tree taken and reads the text
    /// again); past it the root without children, which are read again from the text.
    fn parts(&self) -> Option<(Element, Option<RefCell<Vec<Node>>>)> {
        if self.xml.len() >= STREAM_FROM {
            return self.root.borrow().as_ref().map(|root| (root.clone(), None));
        }
        let root = match self.root.take() {
            Some(root) => Some(root),
            None if self.diagnostics.is_empty() => response_tree(self.xml, None).0,
            None => None,
        };
        root.map(|mut root| {
            let children = RefCell::new(std::mem::take(&mut root.children));
            (root, Some(children))
        })
    }

    /// The diagnostics of the result: the XML stage's, then the schema's, finished.
    fn all_diagnostics(&self, schema: Lower) -> Vec<Diagnostic> {
        let mut diagnostics = self.diagnostics.clone();
        diagnostics.extend(schema.diagnostics);
        finish(&mut diagnostics, self.xml);
        diagnostics
    }

    /// The result in the package's compact format ([`crate::twiml::compact`]), into `out`
    /// (cleared first). The same result as serialising the view, without serde: `Err` only
    /// where that fails (a document over [`STREAM_FROM`] bytes that reads differently the
    /// second time).
    pub fn write_compact(&self, out: &mut String) -> Result<(), ReadAgainError> {
        let mut schema = Lower::default();
        let mut w = Writer::start(out);
        match self.parts() {
            None => w.null_response(),
            Some((root, children)) => {
                Response::lower_attributes(&root, &mut schema);
                w.open_response(&root);
                let children = children.as_ref().map_or(Children::Read(self.xml), Children::Taken);
                for_each_verb(&root, children, &mut schema, |verb| {
                    w.verb(verb);
                    Ok::<(), ReadAgainError>(())
                })?;
                w.close_response(&root);
            }
        }
        w.diagnostics(&self.all_diagnostics(schema));
        Ok(())
    }
}

/// A document over [`STREAM_FROM`] bytes read differently the second time (reading is
/// deterministic: this does not happen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadAgainError;

impl std::fmt::Display for ReadAgainError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the document read differently the second time")
    }
}

impl std::error::Error for ReadAgainError {}

impl Serialize for ParsedView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let schema = RefCell::new(Lower::default());
        let mut out = serializer.serialize_struct("Parsed", 2)?;
        let parts = self.parts();
        let view = parts.as_ref().map(|(root, children)| ResponseView {
            root,
            children: children.as_ref().map_or(Children::Read(self.xml), Children::Taken),
            schema: &schema,
        });
        out.serialize_field("response", &view)?;
        out.serialize_field("diagnostics", &self.all_diagnostics(schema.into_inner()))?;
        out.end()
    }
}

/// Lowers the root's children (`root` without them) to verbs one at a time, handing each to
/// `f`; stops at `f`'s first error.
fn for_each_verb<E: From<ReadAgainError>>(
    root: &Element,
    children: Children<'_>,
    schema: &mut Lower,
    mut f: impl FnMut(&Verb) -> Result<(), E>,
) -> Result<(), E> {
    match children {
        Children::Taken(children) => {
            for child in children.take() {
                if let Some(verb) = Verb::lower_one(root, child, schema) {
                    f(&verb)?;
                }
            }
        }
        Children::Read(xml) => {
            let mut failed = None;
            let read = TreeBuilder::new(
                xml,
                Some(&mut |child| {
                    if failed.is_none() {
                        if let Some(verb) = Verb::lower_one(root, child, schema) {
                            failed = f(&verb).err();
                        }
                    }
                }),
            )
            .run();
            if let Some(e) = failed {
                return Err(e);
            }
            if read.is_err() {
                // The first reading found no error, and reading is deterministic.
                return Err(ReadAgainError.into());
            }
        }
    }
    Ok(())
}

/// Where [`ResponseView`] finds the root's children.
#[derive(Clone, Copy)]
enum Children<'a> {
    /// Taken out of the tree (left empty) as they are written.
    Taken(&'a RefCell<Vec<Node>>),
    /// Read again from the text, each handed over when it is closed.
    Read(&'a str),
}

/// `<Response>` serialised as [`Response`] is, its verbs lowered one at a time.
#[derive(Clone, Copy)]
struct ResponseView<'a> {
    /// The root, without its children.
    root: &'a Element,
    children: Children<'a>,
    schema: &'a RefCell<Lower>,
}

impl Serialize for ResponseView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // As `Response::lower`: the root's attributes (all undocumented) first, then each child.
        Response::lower_attributes(self.root, &mut self.schema.borrow_mut());
        let mut out = serializer.serialize_struct("Response", 3)?;
        out.serialize_field("attributes", &self.root.attributes)?;
        out.serialize_field("children", &VerbsView(*self))?;
        out.serialize_field("span", &self.root.span)?;
        out.end()
    }
}

struct VerbsView<'a>(ResponseView<'a>);

impl Serialize for VerbsView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let ResponseView { root, children, schema } = self.0;
        let mut out = serializer.serialize_seq(None)?;
        for_each_verb(root, children, &mut schema.borrow_mut(), |verb| out.serialize_element(verb).map_err(Failed::Write))
            .map_err(|e| match e {
                Failed::Write(e) => e,
                Failed::ReadAgain(e) => S::Error::custom(e),
            })?;
        out.end()
    }
}

/// Why writing the verbs stopped: the writer's error, or the text read differently.
enum Failed<E> {
    Write(E),
    ReadAgain(ReadAgainError),
}

impl<E> From<ReadAgainError> for Failed<E> {
    fn from(e: ReadAgainError) -> Self {
        Failed::ReadAgain(e)
    }
}

/// The XML stage, then the root check: the `<Response>` tree, or `None` and why.
fn response_tree(xml: &str, sink: Option<&mut dyn FnMut(Node)>) -> (Option<Element>, Vec<Diagnostic>) {
    let (root, mut diagnostics) = parse_tree_with(xml, sink);
    let root = root.filter(|root| {
        if root.name == "Response" {
            return true;
        }
        diagnostics.push(
            Diagnostic::new(
                "root_not_response",
                Severity::Error,
                root.span,
                format!("the root element is <{}>; Voice TwiML starts with <Response>", root.name),
            )
            .with_tag(root.name.clone())
            .with_provenance(Provenance::Doc("error.12100"))
            .with_vendor_code(12100),
        );
        false
    });
    (root, diagnostics)
}

/// The diagnostics as [`parse`] gives them: capped (see [`cap`]), with line and column.
fn finish(diagnostics: &mut Vec<Diagnostic>, xml: &str) {
    cap(diagnostics);
    if !diagnostics.is_empty() && xml.len() <= MAX_INPUT_BYTES {
        let index = LineIndex::new(xml);
        for d in diagnostics {
            d.locate(&index);
        }
    }
}

/// Keeps the first [`MAX_DIAGNOSTICS`] diagnostics and adds one that counts the rest, as
/// serious as the most serious of them (so [`Parsed::has_errors`] does not change), at the
/// first one left out.
fn cap(diagnostics: &mut Vec<Diagnostic>) {
    let Some(rest) = diagnostics.get(MAX_DIAGNOSTICS..) else { return };
    let (Some(first), Some(severity)) = (rest.first(), rest.iter().map(|d| d.severity).min()) else { return };
    let (n, errors) = (rest.len(), rest.iter().filter(|d| d.is_error()).count());
    let message = format!(
        "{n} more diagnostics ({errors} of them errors) are not listed: refer-sim lists the first {MAX_DIAGNOSTICS}; the first not listed is: {}",
        first.message
    );
    let summary = Diagnostic::new("too_many_diagnostics", severity, first.span, message);
    diagnostics.truncate(MAX_DIAGNOSTICS);
    diagnostics.push(summary);
}

/// The XML stage alone: the generic element tree and the fatal diagnostic, if any.
///
/// Line and column of the diagnostics are not filled in (see [`Diagnostic::locate`]);
/// [`parse`] does it.
pub fn parse_tree(xml: &str) -> (Option<Element>, Vec<Diagnostic>) {
    parse_tree_with(xml, None)
}

/// [`parse_tree`], each child of the root handed to `sink` (when given) as soon as it is
/// closed, instead of kept in the root.
fn parse_tree_with(xml: &str, sink: Option<&mut dyn FnMut(Node)>) -> (Option<Element>, Vec<Diagnostic>) {
    if xml.len() > MAX_INPUT_BYTES {
        let d = Diagnostic::new(
            "too_large",
            Severity::Error,
            Span::at(0),
            format!("the document is {} bytes; at most {MAX_INPUT_BYTES} are read", xml.len()),
        );
        return (None, vec![d]);
    }
    // A character XML forbids makes the document not XML: the parse stops there at once (an
    // earlier error of another kind, if any, is not the one reported; both are fatal, 12100).
    if let Some(at) = not_xml_char(xml) {
        return (None, vec![fatal("bad_char", at, NOT_XML_CHAR)]);
    }
    match TreeBuilder::new(xml, sink).run() {
        Ok(root) => (Some(root), Vec::new()),
        Err(d) => (None, vec![*d]),
    }
}

/// The byte offset of the first character of `xml` that XML 1.0 does not allow. XML 1.0
/// (W3C, section 2.2): `Char ::= #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
/// [#x10000-#x10FFFF]`, so the C0 controls other than tab, LF and CR, and U+FFFE and U+FFFF
/// (a `str` holds no surrogates). One pass over the bytes: those are the only bytes below 0x20,
/// and U+FFFE/U+FFFF the only characters encoded EF BF BE/BF. Such a document is not XML, so
/// Twilio cannot parse it (12100, `error.12100`: "Your TwiML document must be a valid XML
/// Document"); the diagnostic's span, line and column say where.
fn not_xml_char(xml: &str) -> Option<usize> {
    let bytes = xml.as_bytes();
    bytes.iter().enumerate().position(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF && bytes.get(i + 1) == Some(&0xBF) && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    })
}

/// The message of `bad_char` (one text, not formatted: each `format!` costs the WASM modules bytes).
const NOT_XML_CHAR: &str = "a character XML 1.0 does not allow (a control other than tab, LF, CR; or U+FFFE, U+FFFF)";

/// Whether XML 1.0 allows `c` (section 2.2, `Char`; a `char` is never a surrogate).
fn is_xml_char(c: char) -> bool {
    !matches!(c, '\0'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// The error that stops the tree builder: boxed, so that its methods' results stay one pointer
/// wide (a [`Diagnostic`] is 136 bytes; clippy's `result_large_err`) on the path every element
/// and text takes, and only a document's one fatal error pays the allocation.
type Fatal = Box<Diagnostic>;

/// `Err(d)`, boxed ([`Fatal`]).
fn fail<T>(d: Diagnostic) -> Result<T, Fatal> {
    Err(Box::new(d))
}

fn fatal(code: &'static str, offset: usize, message: impl Into<String>) -> Diagnostic {
    Diagnostic::new(code, Severity::Error, Span::at(offset), message)
        .with_provenance(Provenance::Doc("error.12100"))
        .with_vendor_code(12100)
}

struct TreeBuilder<'a, 's> {
    xml: &'a str,
    stack: Vec<Element>,
    root: Option<Element>,
    /// Text being accumulated: value, start, end.
    text: Option<(String, usize, usize)>,
    /// Takes the root's children, when set (see [`parse_tree_with`]).
    sink: Option<&'s mut (dyn FnMut(Node) + 's)>,
}

impl<'a, 's> TreeBuilder<'a, 's> {
    fn new(xml: &'a str, sink: Option<&'s mut (dyn FnMut(Node) + 's)>) -> Self {
        TreeBuilder { xml, stack: Vec::new(), root: None, text: None, sink }
    }

    fn run(mut self) -> Result<Element, Fatal> {
        // quick-xml skips a leading UTF-8 byte order mark without counting it in its positions,
        // which are then offsets into the text after it: adding the mark's 3 bytes makes every
        // span a byte offset into the text as given (3 bytes short, a span was cut off by the
        // attribute lookup and its column fell before the element).
        let bom = if self.xml.starts_with('\u{FEFF}') { '\u{FEFF}'.len_utf8() } else { 0 };
        let mut reader = Reader::from_str(self.xml);
        reader.config_mut().check_end_names = true;
        let pos = |p: u64| to_usize(p).saturating_add(bom).min(self.xml.len());
        loop {
            let start = pos(reader.buffer_position());
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    let at = pos(reader.error_position());
                    // read_event never unescapes (text and attribute values are unescaped
                    // below, where their escape errors become bad_reference), so every error
                    // here is the document's shape.
                    let code = "xml_malformed";
                    if let quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::UnclosedReference) = &e {
                        return fail(fatal(code, at, BARE_AMPERSAND.replace("{where}", "the text")));
                    }
                    return fail(fatal(code, at, format!("the document is not well-formed XML: {e}")));
                }
            };
            let end = pos(reader.buffer_position());
            match event {
                Event::Start(s) => {
                    self.flush_text();
                    let el = self.element(&s, start, end)?;
                    self.open(el, start)?;
                }
                Event::Empty(s) => {
                    self.flush_text();
                    let el = self.element(&s, start, end)?;
                    if self.stack.len() >= MAX_DEPTH {
                        return fail(too_deep(start).with_tag(el.name));
                    }
                    self.attach(el, start)?;
                }
                Event::End(_) => {
                    self.flush_text();
                    if let Some(mut el) = self.stack.pop() {
                        el.span.end = end;
                        self.attach(el, start)?;
                    }
                }
                Event::Text(t) => {
                    let v = t.xml10_content();
                    self.push_text(&v, start, end)?;
                }
                Event::CData(c) => {
                    let v = c.xml10_content();
                    self.push_text(&v, start, end)?;
                }
                Event::GeneralRef(r) => {
                    let resolved = if r.is_char_ref() {
                        match r.resolve_char_ref() {
                            // XML 1.0 section 4.1, WFC Legal Character: a reference must name a Char.
                            Ok(Some(ch)) if is_xml_char(ch) => ch.to_string(),
                            _ => {
                                return fail(fatal(
                                    "bad_reference",
                                    start,
                                    format!("`&{};` is not a valid character reference", &*r),
                                ))
                            }
                        }
                    } else if let Some(s) = resolve_predefined_entity(&r) {
                        s.to_string()
                    } else {
                        return fail(unknown_entity(start, &r));
                    };
                    self.push_text(&resolved, start, end)?;
                }
                Event::DocType(_) => {
                    return fail(
                        Diagnostic::new(
                            "doctype_refused",
                            Severity::Error,
                            Span::new(start, end),
                            "a DOCTYPE is refused: TwiML needs none, and entity declarations can expand without bound",
                        )
                        .with_provenance(Provenance::Assumed),
                    )
                }
                // XML 1.0 §2.8: `XMLDecl` is the first thing in a document (after a byte order mark);
                // anywhere else `<?xml` is a processing instruction with a reserved name (§2.6).
                Event::Decl(_) if start > self.xml.len() - self.xml.trim_start_matches('\u{FEFF}').len() => {
                    return fail(fatal(
                        "xml_declaration_misplaced",
                        start,
                        "the XML declaration <?xml ...?> must be the very first thing in the document (XML 1.0 §2.8)",
                    ))
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Eof => break,
            }
        }
        self.flush_text();
        if let Some(open) = self.stack.last() {
            return fail(
                fatal("xml_malformed", open.span.start, format!("<{}> is never closed", open.name)).with_tag(open.name.clone()),
            );
        }
        match self.root.take() {
            Some(root) => Ok(root),
            None => fail(fatal("empty_document", self.xml.len(), "the document has no root element")),
        }
    }

    fn open(&mut self, el: Element, start: usize) -> Result<(), Fatal> {
        if self.stack.len() >= MAX_DEPTH {
            return fail(too_deep(start).with_tag(el.name));
        }
        if self.stack.is_empty() && self.root.is_some() {
            return fail(second_root(start, &el.name));
        }
        self.stack.push(el);
        Ok(())
    }

    fn attach(&mut self, el: Element, start: usize) -> Result<(), Fatal> {
        match self.stack.is_empty() {
            false => self.add_child(Node::Element(el)),
            true if self.root.is_some() => return fail(second_root(start, &el.name)),
            true => self.root = Some(el),
        }
        Ok(())
    }

    /// `node` into the open element, or to the sink when that is the root and there is one.
    fn add_child(&mut self, node: Node) {
        if let (1, Some(sink)) = (self.stack.len(), self.sink.as_mut()) {
            return sink(node);
        }
        if let Some(parent) = self.stack.last_mut() {
            parent.children.push(node);
        }
    }

    fn push_text(&mut self, v: &str, start: usize, end: usize) -> Result<(), Fatal> {
        if self.stack.is_empty() {
            if v.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n')) {
                return Ok(());
            }
            return fail(fatal("xml_malformed", start, "text outside the root element"));
        }
        match &mut self.text {
            Some((s, _, e)) => {
                s.push_str(v);
                *e = end;
            }
            None => self.text = Some((v.to_string(), start, end)),
        }
        Ok(())
    }

    fn flush_text(&mut self) {
        if let Some((value, start, end)) = self.text.take() {
            self.add_child(Node::Text(Text { value, span: Span::new(start, end) }));
        }
    }

    fn element(&self, s: &BytesStart<'_>, start: usize, end: usize) -> Result<Element, Fatal> {
        let name = s.name().as_ref().to_string();
        if !is_xml_name(&name) {
            return fail(fatal(
                "xml_malformed",
                start + 1,
                format!("\"{name}\" after '<' is not an element name (XML 1.0 §2.3: a letter, '_' or ':' first)"),
            ));
        }
        let raw = self.xml.get(start..end).unwrap_or("");
        let mut cursor = 1 + name.len();
        let mut attributes = Vec::new();
        for a in s.attributes() {
            let a = match a {
                Ok(a) => a,
                Err(e) => {
                    let pos = attr_error_pos(&e);
                    return fail(
                        fatal("xml_malformed", start + 1 + pos, format!("bad attribute in <{name}>: {e}")).with_tag(name),
                    );
                }
            };
            let key = a.key.as_ref().to_string();
            let span = attr_span(raw, &mut cursor, &key, start);
            // XML 1.0 §3.1 [10]: an attribute value may not hold a raw '<' (write `&lt;`).
            if a.value.contains('<') {
                let value_text = self.xml.get(span.start..span.end).unwrap_or("");
                // In the value, after the name (quick-xml takes `a<b` for a name).
                let at = span.start + value_text.get(key.len()..).and_then(|v| v.find('<')).map_or(0, |i| key.len() + i);
                return fail(
                    fatal(
                        "lt_in_attribute",
                        at,
                        format!("attribute `{key}` of <{name}> holds a raw '<'; write it as &lt; (XML 1.0 §3.1)"),
                    )
                    .with_tag(name),
                );
            }
            let value = match a.normalized_value(XmlVersion::Implicit1_0) {
                // A raw character XML forbids is `bad_char`; one written as a reference is this.
                Ok(v) if a.value.contains('&') && !v.chars().all(is_xml_char) => {
                    return fail(
                        fatal("bad_reference", span.start, "a reference to a character XML 1.0 does not allow").with_tag(name),
                    );
                }
                Ok(v) => v.into_owned(),
                Err(quick_xml::Error::Escape(EscapeError::UnrecognizedEntity(_, ent))) => {
                    return fail(unknown_entity(span.start, &ent).with_tag(name))
                }
                Err(quick_xml::Error::Escape(EscapeError::UnterminatedEntity(r))) => {
                    // The range is in the value: point at the '&' itself, after the opening quote
                    // (the first one after the name: quick-xml takes `a""b` for a name).
                    let value_text = self.xml.get(span.start..span.end).unwrap_or("");
                    let quote = value_text.get(key.len()..).and_then(|v| v.find(['"', '\'']));
                    let at = span.start + quote.map_or(0, |q| key.len() + q + 1) + r.start;
                    let place = format!("attribute `{key}` of <{name}>");
                    return fail(
                        fatal("bad_reference", at.min(span.end), BARE_AMPERSAND.replace("{where}", &place)).with_tag(name),
                    );
                }
                Err(e) => {
                    return fail(fatal("bad_reference", span.start, format!("attribute `{key}` of <{name}>: {e}")).with_tag(name))
                }
            };
            attributes.push(Attr { name: key, value, span });
        }
        Ok(Element { name, attributes, children: Vec::new(), span: Span::new(start, end) })
    }
}

/// `Name ::= NameStartChar (NameChar)*` (XML 1.0 §2.3), with every non-ASCII character let
/// through: quick-xml reads `< />` as an element named "" and `<1/>` as one named "1", which
/// no XML parser accepts (and which the writer cannot print back as a document that parses).
fn is_xml_name(name: &str) -> bool {
    let start = |c: char| c.is_ascii_alphabetic() || c == '_' || c == ':' || !c.is_ascii();
    let mut chars = name.chars();
    chars.next().is_some_and(start) && chars.all(|c| start(c) || c.is_ascii_digit() || c == '-' || c == '.')
}

fn to_usize(v: u64) -> usize {
    usize::try_from(v).unwrap_or(usize::MAX)
}

fn too_deep(offset: usize) -> Diagnostic {
    Diagnostic::new("too_deep", Severity::Error, Span::at(offset), format!("elements are nested deeper than {MAX_DEPTH} levels"))
        .with_provenance(Provenance::Assumed)
}

fn second_root(offset: usize, name: &str) -> Diagnostic {
    fatal("xml_malformed", offset, format!("<{name}> is a second root element; a document has one")).with_tag(name)
}

/// What a bare `&` gets (`{where}` names the text or the attribute): how to write it.
const BARE_AMPERSAND: &str =
    "{where} holds a bare '&' (no ';' closes it): write & as &amp; (XML 1.0 §4.6; in a URL, a=1&amp;b=2)";

fn unknown_entity(offset: usize, name: &str) -> Diagnostic {
    Diagnostic::new(
        "unknown_entity",
        Severity::Error,
        Span::at(offset),
        format!("`&{name};` is not one of the five predefined entities (amp, lt, gt, quot, apos) nor a character reference; a literal & is written &amp;"),
    )
    .with_provenance(Provenance::Doc("error.12100"))
    .with_vendor_code(12100)
}

fn attr_error_pos(e: &quick_xml::events::attributes::AttrError) -> usize {
    use quick_xml::events::attributes::AttrError as E;
    match *e {
        E::ExpectedEq(p) | E::ExpectedValue(p) | E::UnquotedValue(p) | E::ExpectedQuote(p, _) => p,
        E::Duplicated(p, _) => p,
    }
}

/// Where `needle` first occurs in `hay`, as `str::find` says for text (a UTF-8 needle can only
/// match at a character boundary); without the two-way searcher's set-up, which cost more
/// than the search itself on names of a few bytes (3% of parsing the TwiML corpus).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Locate attribute `key` in the raw start tag, from `cursor`, and advance past its value.
fn attr_span(raw: &str, cursor: &mut usize, key: &str, base: usize) -> Span {
    let bytes = raw.as_bytes();
    let mut from = *cursor;
    while let Some(rest) = raw.get(from..) {
        let Some(i) = find(rest.as_bytes(), key.as_bytes()) else { break };
        let k = from + i;
        let mut j = k + key.len();
        let before_ok = k == 0 || matches!(bytes.get(k - 1), Some(b' ' | b'\t' | b'\r' | b'\n'));
        while matches!(bytes.get(j), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            j += 1;
        }
        if before_ok && bytes.get(j) == Some(&b'=') {
            j += 1;
            while matches!(bytes.get(j), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                j += 1;
            }
            let end = match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => match raw.get(j + 1..).and_then(|r| r.find(q as char)) {
                    Some(n) => j + 1 + n + 1,
                    None => raw.len(),
                },
                _ => j,
            };
            *cursor = end;
            return Span::new(base + k, base + end);
        }
        from = k + key.len();
    }
    Span::at(base + (*cursor).min(raw.len()))
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn find_agrees_with_str_find() {
        for (hay, needle) in [
            ("<Dial referUrl=\"u\" referMethod=\"GET\"", "referMethod"),
            ("a=\"x\" aa=\"y\"", "aa"),
            ("abc", ""),
            ("", "a"),
            ("ab", "abc"),
            ("é=\"1\" e=\"2\"", "e"),
            ("日本=\"1\" 本=\"2\"", "本"),
            ("xyzxyz", "zx"),
        ] {
            assert_eq!(find(hay.as_bytes(), needle.as_bytes()), hay.find(needle), "{needle:?} in {hay:?}");
        }
    }
}
