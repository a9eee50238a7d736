//! The generic element tree every TwiML path goes through: the parser builds
//! it from XML, the builder builds it from calls, the typed model
//! ([`crate::twiml::ast`]) is lowered from it and converted back to it, and
//! the writer serialises it.
//!
//! Attribute values and text are stored unescaped; attributes keep their
//! document (or insertion) order, which the writer reproduces.

use serde::Serialize;

use crate::span::Span;

/// One attribute: its name, its unescaped value and where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Attr {
    /// The attribute name as written (TwiML names are case-sensitive camelCase).
    pub name: String,
    /// The value with entity and character references resolved.
    pub value: String,
    /// From the first byte of the name to the closing quote.
    pub span: Span,
}

impl Attr {
    /// An attribute without a source position (builder-made).
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Attr { name: name.into(), value: value.into(), span: Span::default() }
    }
}

/// A run of character data (text, references and CDATA merged), unescaped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Text {
    /// The text with references resolved and line ends normalised to `\n`.
    pub value: String,
    /// Where the run is in the input.
    pub span: Span,
}

impl Text {
    /// A text run without a source position (builder-made).
    pub fn new(value: impl Into<String>) -> Self {
        Text { value: value.into(), span: Span::default() }
    }

    /// True when the run is only XML whitespace (space, tab, CR, LF).
    pub fn is_whitespace(&self) -> bool {
        self.value.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    }
}

/// An element of any name, with its attributes and children in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Element {
    /// The tag name.
    pub name: String,
    /// Attributes in document order.
    pub attributes: Vec<Attr>,
    /// Child nodes in document order.
    pub children: Vec<Node>,
    /// From `<` of the start tag to `>` of the end tag (or of `/>`).
    pub span: Span,
}

impl Element {
    /// An empty element without a source position (builder-made).
    pub fn new(name: impl Into<String>) -> Self {
        Element { name: name.into(), attributes: Vec::new(), children: Vec::new(), span: Span::default() }
    }

    /// The value of the first attribute called `name`.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|a| a.name == name).map(|a| a.value.as_str())
    }

    /// The concatenated text children (not descending into child elements).
    pub fn text(&self) -> String {
        let mut s = String::new();
        for c in &self.children {
            if let Node::Text(t) = c {
                s.push_str(&t.value);
            }
        }
        s
    }

    /// Reset every span in the subtree to the empty span at 0, so trees built
    /// from different sources compare equal when their content is equal.
    pub fn clear_spans(&mut self) {
        self.span = Span::default();
        for a in &mut self.attributes {
            a.span = Span::default();
        }
        for c in &mut self.children {
            match c {
                Node::Element(e) => e.clear_spans(),
                Node::Text(t) => t.span = Span::default(),
            }
        }
    }
}

/// A child of an element: another element or a text run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Node {
    /// A child element.
    Element(Element),
    /// A text run.
    Text(Text),
}

impl Node {
    /// Where the node is in the input.
    pub fn span(&self) -> Span {
        match self {
            Node::Element(e) => e.span,
            Node::Text(t) => t.span,
        }
    }
}
