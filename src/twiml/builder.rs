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
    /// `unknown_node`, `not_allowed`, `invalid_char` or `invalid_name`.
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

    /// The document as twilio-node's `toString()` writes it.
    pub fn to_xml(&self) -> String {
        writer::write_document(&self.to_element())
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
