//! A document builder with the vendor helper library's call shapes
//! (`VoiceResponse().dial({...}).sip("...")`), the logic behind the JS
//! `VoiceResponse` class.
//!
//! Nodes live in an arena addressed by [`NodeId`] (the root `<Response>` is
//! [`Builder::ROOT`]), so handles can be shared by JS objects. Which method
//! is allowed on which element follows twilio-node 6.2.0's classes; attribute
//! values are converted as its `attValue` hook does (see [`attr_string`]).

use serde::Serialize;
use serde_json::Value;

use crate::twiml::ast::Response;
use crate::twiml::tree::{Attr, Element, Node, Text};
use crate::twiml::writer;

/// A handle to an element inside a [`Builder`].
pub type NodeId = usize;

/// Why a builder call was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BuildError {
    /// `unknown_node`, `not_allowed`, `invalid_char`, `invalid_name`, or
    /// `bad_encoding` (calls recorded by [`replay_encoded`] in the wrong format).
    pub code: &'static str,
    /// A sentence for a person.
    pub message: String,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for BuildError {}

fn err(code: &'static str, message: impl Into<String>) -> BuildError {
    BuildError { code, message: message.into() }
}

#[derive(Debug, Clone)]
enum Slot {
    Text(String),
    Child(NodeId),
}

#[derive(Debug, Clone)]
struct Entry {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Slot>,
}

/// A TwiML document under construction.
#[derive(Debug, Clone)]
pub struct Builder {
    nodes: Vec<Entry>,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

/// The builder methods (lowercase, as in twilio-node) allowed on an element,
/// by element name. Each adds the element of the same name capitalised.
pub fn methods_of(tag: &str) -> &'static [&'static str] {
    match tag {
        "Response" => {
            &["dial", "enqueue", "gather", "hangup", "leave", "pause", "play", "record", "redirect", "refer", "reject", "say"]
        }
        "Dial" => &["client", "conference", "number", "queue", "sim", "sip"],
        "Gather" => &["pause", "play", "say"],
        "Refer" => &["sip"],
        _ => &[],
    }
}

/// The element name a builder method adds (`dial` → `Dial`).
pub fn tag_of(method: &str) -> String {
    let mut c = method.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// True for characters XML 1.0 allows (xmlbuilder refuses text with any other).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// A builder argument as JavaScript gave it, reduced to what twilio-node's
/// conversions look at. The bindings build it straight from a `JsValue`
/// (numbers printed by JS itself); recorded calls build it from JSON with
/// [`JsArg::from_json`]. Keeping JSON out of the call path keeps serde_json's
/// `Value` (and float formatting) out of the WebAssembly module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsArg {
    /// `null` or `undefined`.
    Null,
    /// A string, number or boolean, as JS's `String(v)` prints it.
    Text(String),
    /// An array, item by item.
    List(Vec<JsArg>),
    /// Any other object (`"" + {}` is `[object Object]`).
    Object,
}

impl JsArg {
    /// Arrays nested deeper than this are cut off (read as `null`), so a
    /// cyclic or absurdly deep array cannot exhaust the stack.
    pub const MAX_DEPTH: usize = 32;

    /// The argument a recorded JSON value stands for (numbers printed by [`js_number`]).
    pub fn from_json(v: &Value) -> JsArg {
        Self::from_json_at(v, 0)
    }

    fn from_json_at(v: &Value, depth: usize) -> JsArg {
        match v {
            Value::Null => JsArg::Null,
            Value::Bool(b) => JsArg::Text(b.to_string()),
            Value::Number(n) => JsArg::Text(match n.as_f64() {
                Some(f) => js_number(f),
                None => n.to_string(),
            }),
            Value::String(s) => JsArg::Text(s.clone()),
            Value::Array(_) if depth >= Self::MAX_DEPTH => JsArg::Null,
            Value::Array(items) => JsArg::List(items.iter().map(|i| Self::from_json_at(i, depth + 1)).collect()),
            Value::Object(_) => JsArg::Object,
        }
    }
}

/// An argument converted to an attribute string the way twilio-node's
/// `attValue` hook does: arrays joined by a space (`null` items empty, as
/// `Array.prototype.join` does), anything else as `"" + v`; `null` (and JS
/// `undefined`) means "no attribute".
pub fn attr_string(v: &JsArg) -> Option<String> {
    match v {
        JsArg::Null => None,
        JsArg::List(items) => Some(join(items, " ")),
        other => Some(js_string(other)),
    }
}

/// JS's `"" + v` (objects give `[object Object]`, arrays join with `,`).
pub fn js_string(v: &JsArg) -> String {
    match v {
        JsArg::Null => "null".into(),
        JsArg::Text(s) => s.clone(),
        JsArg::List(items) => join(items, ","),
        JsArg::Object => "[object Object]".into(),
    }
}

/// `Array.prototype.join`: `null` items are empty.
fn join(items: &[JsArg], sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        if *item != JsArg::Null {
            out.push_str(&js_string(item));
        }
    }
    out
}

/// A number as JS's `String(n)` prints it, for the usual range (integers
/// below 1e21 and decimals Rust prints in the shortest round-trip form).
pub fn js_number(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else if f == f.trunc() && f.abs() < 1e21 {
        format!("{}", f as i128)
    } else {
        format!("{f}")
    }
}

impl Builder {
    /// The `<Response>` root.
    pub const ROOT: NodeId = 0;

    /// An empty `<Response>`.
    pub fn new() -> Self {
        Builder { nodes: vec![Entry { name: "Response".into(), attributes: Vec::new(), children: Vec::new() }] }
    }

    /// The element name of `id`.
    pub fn tag(&self, id: NodeId) -> Option<&str> {
        self.nodes.get(id).map(|e| e.name.as_str())
    }

    /// Call builder `method` (e.g. `"dial"`, `"sip"`) on `parent`, as twilio-node
    /// does: attributes in the given order (`None` values skipped), then the text
    /// (empty text adds nothing visible). Returns the new element's id.
    pub fn call(
        &mut self,
        parent: NodeId,
        method: &str,
        attributes: Vec<(String, Option<String>)>,
        text: Option<String>,
    ) -> Result<NodeId, BuildError> {
        let ptag = self.tag(parent).ok_or_else(|| err("unknown_node", format!("no node {parent}")))?;
        if !methods_of(ptag).contains(&method) {
            return Err(err("not_allowed", format!("<{ptag}> has no method `{method}`")));
        }
        let mut attrs: Vec<(String, String)> = Vec::new();
        for (k, v) in attributes {
            check_name(&k)?;
            if let Some(v) = v {
                // A repeated key replaces the value in place, as a JS object would.
                match attrs.iter_mut().find(|(n, _)| *n == k) {
                    Some(slot) => slot.1 = v,
                    None => attrs.push((k, v)),
                }
            }
        }
        let mut children = Vec::new();
        if let Some(t) = text {
            check_text(&t)?;
            children.push(Slot::Text(t));
        }
        let id = self.nodes.len();
        self.nodes.push(Entry { name: tag_of(method), attributes: attrs, children });
        if let Some(p) = self.nodes.get_mut(parent) {
            p.children.push(Slot::Child(id));
        }
        Ok(id)
    }

    /// Append text to `id` (twilio-node's `addText`).
    pub fn add_text(&mut self, id: NodeId, text: &str) -> Result<(), BuildError> {
        check_text(text)?;
        let e = self.nodes.get_mut(id).ok_or_else(|| err("unknown_node", format!("no node {id}")))?;
        e.children.push(Slot::Text(text.to_string()));
        Ok(())
    }

    /// The document as a generic tree (builder spans are all empty at 0).
    pub fn to_element(&self) -> Element {
        self.element(Self::ROOT, 0)
    }

    fn element(&self, id: NodeId, depth: usize) -> Element {
        let Some(e) = self.nodes.get(id) else { return Element::new("") };
        let mut el = Element::new(e.name.clone());
        el.attributes = e.attributes.iter().map(|(k, v)| Attr::new(k.clone(), v.clone())).collect();
        for c in &e.children {
            match c {
                Slot::Text(t) if t.is_empty() => {}
                // Adjacent text runs are one run in XML; merge them so the tree equals a parse.
                Slot::Text(t) => match el.children.last_mut() {
                    Some(Node::Text(prev)) => prev.value.push_str(t),
                    _ => el.children.push(Node::Text(Text::new(t.clone()))),
                },
                // Ids only point forward, so the depth is bounded by the number of nodes.
                Slot::Child(c) if *c > id && depth < 1_000 => el.children.push(Node::Element(self.element(*c, depth + 1))),
                Slot::Child(_) => {}
            }
        }
        el
    }

    /// The typed model of the document.
    pub fn to_response(&self) -> Response {
        Response::from_element(&self.to_element()).0
    }

    /// The document as twilio-node's `toString()` writes it: the same bytes as
    /// [`writer::write_document`] of [`Builder::to_element`], written straight
    /// from the arena (no tree is built: escaping works character by character,
    /// so adjacent text runs need no merging, and empty runs write nothing).
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(writer::DECLARATION.len() + 32 * self.nodes.len());
        out.push_str(writer::DECLARATION);
        self.write_node(Self::ROOT, 0, &mut out);
        out
    }

    fn write_node(&self, id: NodeId, depth: usize, out: &mut String) {
        let Some(e) = self.nodes.get(id) else { return };
        out.push('<');
        out.push_str(&e.name);
        for (k, v) in &e.attributes {
            out.push(' ');
            out.push_str(k);
            out.push_str("=\"");
            writer::escape_attr(v, out);
            out.push('"');
        }
        // As in `element`: children are written when their id points forward, within the depth bound.
        let written = |c: &Slot| match c {
            Slot::Text(t) => !t.is_empty(),
            Slot::Child(c) => *c > id && depth < 1_000,
        };
        if !e.children.iter().any(written) {
            out.push_str("/>");
            return;
        }
        out.push('>');
        for c in &e.children {
            match c {
                Slot::Text(t) => writer::escape_text(t, out),
                Slot::Child(c) if *c > id && depth < 1_000 => self.write_node(*c, depth + 1, out),
                Slot::Child(_) => {}
            }
        }
        out.push_str("</");
        out.push_str(&e.name);
        out.push('>');
    }
}

fn check_text(t: &str) -> Result<(), BuildError> {
    match t.char_indices().find(|(_, c)| !is_xml_char(*c)) {
        Some((i, c)) => Err(err("invalid_char", format!("Invalid character in string: U+{:04X} at index {i}", c as u32))),
        None => Ok(()),
    }
}

fn check_name(n: &str) -> Result<(), BuildError> {
    let mut chars = n.chars();
    let ok_start = |c: char| c.is_alphabetic() || c == '_' || c == ':';
    let ok_rest = |c: char| c.is_alphanumeric() || matches!(c, '_' | ':' | '-' | '.' | '\u{B7}');
    match chars.next() {
        Some(c) if ok_start(c) && chars.all(ok_rest) => Ok(()),
        _ => Err(err("invalid_name", format!("Invalid character in name: {n:?}"))),
    }
}

/// One recorded builder call, as in `tests/data/twiml_corpus.json`:
/// `{ "id": 1, "parent": 0, "method": "dial", "attrs": [["answerOnBridge", true]], "text": "..." }`;
/// `"method": "addText"` appends `text` to `parent`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Call {
    /// The id the new element gets (ignored for `addText`).
    #[serde(default)]
    pub id: Option<NodeId>,
    /// The element the method is called on (0 = `<Response>`).
    pub parent: NodeId,
    /// The twilio-node method name.
    pub method: String,
    /// Attributes as `[name, value]` pairs, values as JS gave them.
    #[serde(default)]
    pub attrs: Vec<(String, Value)>,
    /// The text argument, as JS gave it (`null` for none).
    #[serde(default)]
    pub text: Value,
}

/// Replay recorded calls on a new builder. Recorded ids are mapped to the
/// builder's own, so the description needs no particular numbering.
pub fn replay(calls: &[Call]) -> Result<Builder, BuildError> {
    let mut b = Builder::new();
    let mut ids: Vec<(NodeId, NodeId)> = vec![(0, Builder::ROOT)];
    for c in calls {
        let parent = ids
            .iter()
            .find(|(rec, _)| *rec == c.parent)
            .map(|(_, mine)| *mine)
            .ok_or_else(|| err("unknown_node", format!("no recorded node {}", c.parent)))?;
        let text = match &c.text {
            Value::Null => None,
            v => Some(js_string(&JsArg::from_json(v))),
        };
        if c.method == "addText" {
            b.add_text(parent, text.as_deref().unwrap_or(""))?;
            continue;
        }
        let attrs = c.attrs.iter().map(|(k, v)| (k.clone(), attr_string(&JsArg::from_json(v)))).collect();
        let id = b.call(parent, &c.method, attrs, text)?;
        if let Some(rec) = c.id {
            ids.push((rec, id));
        }
    }
    Ok(b)
}

/// Replay builder calls recorded in the compact text the package's JS
/// `VoiceResponse` (pkg/voice_response.js) writes as it is used, so a whole
/// document crosses into WebAssembly once, at `toString()`. The calls go
/// through [`Builder::call`] and [`Builder::add_text`], so every check (and
/// its error) is the one a call made here directly gets. The format, where
/// `n,` is a decimal number and a comma and `s` is `n,` then that many UTF-16
/// code units of text:
///
/// ```text
/// calls := call*
/// call  := "c" n, s(method) n,(attribute count) (s(name) s(value))* ("-" | s(text))   a builder method on element n
///        | "t" n, s(text)                                                              addText on element n
/// ```
///
/// Element ids are the builder's own: 0 is `<Response>`, each successful
/// method call adds the next one.
pub fn replay_encoded(calls: &str) -> Result<Builder, BuildError> {
    let mut b = Builder::new();
    let mut r = Reader { rest: calls };
    while let Some(op) = r.op() {
        let parent = r.number()?;
        if op == 't' {
            let text = r.text()?;
            b.add_text(parent, text)?;
            continue;
        }
        if op != 'c' {
            return Err(r.bad());
        }
        let method = r.text()?;
        let count = r.number()?;
        let mut attrs = Vec::with_capacity(count.min(64));
        for _ in 0..count {
            let name = r.text()?.to_string();
            attrs.push((name, Some(r.text()?.to_string())));
        }
        let text = if r.rest.starts_with('-') {
            r.rest = r.rest.get(1..).unwrap_or_default();
            None
        } else {
            Some(r.text()?.to_string())
        };
        b.call(parent, method, attrs, text)?;
    }
    Ok(b)
}

/// Reads the compact call text of [`replay_encoded`].
struct Reader<'a> {
    rest: &'a str,
}

impl<'a> Reader<'a> {
    fn bad(&self) -> BuildError {
        err("bad_encoding", "the recorded builder calls are not in the expected format")
    }

    /// The next operation letter, or `None` at the end.
    fn op(&mut self) -> Option<char> {
        let c = self.rest.chars().next()?;
        self.rest = self.rest.get(c.len_utf8()..).unwrap_or_default();
        Some(c)
    }

    /// `n,`.
    fn number(&mut self) -> Result<usize, BuildError> {
        let end = self.rest.find(',').ok_or_else(|| self.bad())?;
        let n = self.rest.get(..end).and_then(|d| d.parse().ok()).ok_or_else(|| self.bad())?;
        self.rest = self.rest.get(end + 1..).unwrap_or_default();
        Ok(n)
    }

    /// `n,` then `n` UTF-16 code units of text.
    fn text(&mut self) -> Result<&'a str, BuildError> {
        let units = self.number()?;
        let mut seen = 0;
        let mut end = 0;
        for c in self.rest.chars() {
            if seen >= units {
                break;
            }
            seen += c.len_utf16();
            end += c.len_utf8();
        }
        if seen != units {
            return Err(self.bad());
        }
        let (text, rest) = self.rest.split_at_checked(end).ok_or_else(|| self.bad())?;
        self.rest = rest;
        Ok(text)
    }
}
