//! The writer: a model or a generic tree to the bytes twilio-node 6.2.0's
//! `VoiceResponse().toString()` gives for the same structure (it uses
//! xmlbuilder 13 with its defaults, unindented).
//!
//! What that library does, and so what this does:
//! * `<?xml version="1.0" encoding="UTF-8"?>` then the root, no newline anywhere;
//! * attributes in insertion order, `name="value"`, a space before each;
//! * in attribute values `&` → `&amp;`, `<` → `&lt;`, `"` → `&quot;`, tab →
//!   `&#x9;`, LF → `&#xA;`, CR → `&#xD;`; `>` and `'` stay literal;
//! * in text `&` → `&amp;`, `<` → `&lt;`, `>` → `&gt;`, CR → `&#xD;`; quotes,
//!   tab and LF stay literal;
//! * non-ASCII characters are written as themselves (UTF-8);
//! * an element with no child, or only empty text, is written `<Name/>`.

use crate::twiml::ast::Response;
use crate::twiml::tree::{Element, Node};

/// The XML declaration the vendor's helper library writes first.
pub const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// Write a typed document (its attributes as written, in order).
pub fn write(response: &Response) -> String {
    write_document(&response.to_element())
}

/// Write a generic tree as a document: the declaration, then the root element.
pub fn write_document(root: &Element) -> String {
    let mut out = String::with_capacity(DECLARATION.len() + 64);
    out.push_str(DECLARATION);
    write_element(root, &mut out);
    out
}

/// Append one element (and its subtree) to `out`.
pub fn write_element(el: &Element, out: &mut String) {
    out.push('<');
    out.push_str(&el.name);
    for a in &el.attributes {
        out.push(' ');
        out.push_str(&a.name);
        out.push_str("=\"");
        escape_attr(&a.value, out);
        out.push('"');
    }
    let empty = el.children.iter().all(|c| matches!(c, Node::Text(t) if t.value.is_empty()));
    if empty {
        out.push_str("/>");
        return;
    }
    out.push('>');
    for c in &el.children {
        match c {
            Node::Element(e) => write_element(e, out),
            Node::Text(t) => escape_text(&t.value, out),
        }
    }
    out.push_str("</");
    out.push_str(&el.name);
    out.push('>');
}

/// Escape character data as xmlbuilder's `textEscape` does.
pub fn escape_text(s: &str, out: &mut String) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

/// Escape an attribute value as xmlbuilder's `attEscape` does.
pub fn escape_attr(s: &str, out: &mut String) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#x9;"),
            '\n' => out.push_str("&#xA;"),
            '\r' => out.push_str("&#xD;"),
            c => out.push(c),
        }
    }
}

impl std::fmt::Display for Response {
    /// The document as [`write()`] gives it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&write(self))
    }
}
