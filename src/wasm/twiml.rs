//! JS bindings of the TwiML layer: `parseTwiml`, `checkTransfer`, and the
//! `VoiceResponse` builder with twilio-node's call shapes. Conversion only:
//! arguments become core values, the core ([`crate::twiml`]) does the work.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::{js_error, js_text, to_compact};
use crate::twiml::builder::{attr_string, js_string, BuildError, Builder, JsArg, NodeId};
use crate::twiml::{check, parser};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Where a finding or node is: byte offsets into the input. */
export interface TwimlSpan { start: number; end: number }
/** A diagnostic of the TwiML parser or a transfer check. */
export interface TwimlDiagnostic {
  /** Stable snake_case code: "xml_malformed", "no_refer_url", ... */
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  span: TwimlSpan;
  line: number;
  column: number;
  tag: string | null;
  provenance: "doc" | "rfc" | "assumed";
  /** For a "doc" rule, the id of its entry in src/sources.md (page and sentence); null otherwise. */
  source: string | null;
  /** The vendor's error or alert code (13802, 21227, ...), when there is one. */
  vendorCode: number | null;
}
/** A transfer check finding (same shape as a diagnostic). */
export type TwimlFinding = TwimlDiagnostic;
/** An attribute as written, in document order. */
export interface TwimlAttr { name: string; value: string; span: TwimlSpan }
/** A typed TwiML node: `type` names the verb or noun ("Dial", "Sip", "Text", "Unknown", ...),
 * documented attributes appear as camelCase typed fields (null when absent),
 * `attributes` keeps every attribute as written. */
export interface TwimlNode {
  type?: string;
  attributes?: TwimlAttr[];
  children?: TwimlNode[];
  value?: string;
  name?: string;
  span: TwimlSpan;
  [field: string]: unknown;
}
/** The `<Response>` root. */
export interface TwimlResponse { attributes: TwimlAttr[]; children: TwimlNode[]; span: TwimlSpan }
/** What parseTwiml returns. */
export interface ParsedTwiml { response: TwimlResponse | null; diagnostics: TwimlDiagnostic[] }
/** Which transfer document is checked. */
export type TwimlRole = "initial" | "referResponse";
/** Builder attributes, converted as twilio-node does (arrays joined by a space, null/undefined skipped). */
export type TwimlAttributes = Record<string, string | number | boolean | null | undefined | Array<string | number | boolean>>;
"#;

/// The TwiML document argument of `what` as text.
fn document(xml: &JsValue, what: &str) -> Result<String, JsValue> {
    if !xml.is_string() {
        return Err(js_error("not_a_string", None, &format!("{what} expects the TwiML document as a string")));
    }
    js_text(xml, &format!("{what}: the document"))
}

/// Parse a Voice TwiML document: `{ response, diagnostics }`. Returned in the
/// compact format (see `to_compact`), which the package's entry decodes.
#[wasm_bindgen(js_name = parseTwiml, unchecked_return_type = "ParsedTwiml")]
pub fn parse_twiml(#[wasm_bindgen(unchecked_param_type = "string")] xml: JsValue) -> Result<String, JsValue> {
    let xml = document(&xml, "parseTwiml")?;
    to_compact(&parser::parse(&xml))
}

/// Check a TwiML document for a SIP REFER transfer; `role` is `"initial"`
/// (default) or `"referResponse"`. Parser diagnostics come first. Returned in
/// the compact format (see `to_compact`), which the package's entry decodes.
#[wasm_bindgen(js_name = checkTransfer, unchecked_return_type = "TwimlFinding[]")]
pub fn check_transfer(
    #[wasm_bindgen(unchecked_param_type = "string")] xml: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "TwimlRole")] role: Option<JsValue>,
) -> Result<String, JsValue> {
    let role = role.unwrap_or(JsValue::UNDEFINED);
    let xml = document(&xml, "checkTransfer")?;
    let role = if role.is_undefined() || role.is_null() {
        check::Role::Initial
    } else {
        role.as_string()
            .and_then(|r| check::Role::from_name(&r))
            .ok_or_else(|| js_error("bad_role", None, "role must be \"initial\" or \"referResponse\""))?
    };
    to_compact(&check::check_transfer(&xml, role))
}

fn build_error(e: BuildError) -> JsValue {
    js_error(e.code, None, &e.message)
}

#[wasm_bindgen]
extern "C" {
    /// `Object.entries(v)`; what a getter or a Proxy trap throws comes back as `Err`.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = entries)]
    fn entries(v: &JsValue) -> Result<js_sys::Array, JsValue>;
    /// `Array.isArray(v)`; throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    fn is_array(v: &JsValue) -> Result<bool, JsValue>;
    /// `Array.prototype.slice.call(v)`: a plain copy, read through the array's own getters.
    #[wasm_bindgen(catch, js_namespace = ["Array", "prototype", "slice"], js_name = call)]
    fn array_copy(v: &JsValue) -> Result<js_sys::Array, JsValue>;
}

/// Most array items one builder call reads (over every nesting level), so a
/// self-containing array (`a = [a, a]`) costs 10,000 reads, not 2^32. Ours.
const MAX_ARG_ITEMS: usize = 10_000;

/// Most attributes one builder call takes (a TwiML element documents at most a few
/// dozen); past it the call throws `too_large`. Ours.
const MAX_ATTRIBUTES: usize = 1000;

/// Reads one builder call's JS arguments into Rust values. Every read that can
/// run user code (a getter, a Proxy trap) goes through a catching import, so what
/// it throws comes back here as `Err` and is returned normally: no JS exception
/// ever unwinds through Rust frames, and nothing stays borrowed or leaks.
struct ArgReader<'a> {
    /// The call, for messages: `dial`, `sip`, ...
    method: &'a str,
    /// Array items read so far.
    items: usize,
}

impl ArgReader<'_> {
    /// A JS argument as the builder's [`JsArg`]; numbers are printed by JS's own
    /// `Number.prototype.toString`, so they read exactly as `"" + n` does.
    fn arg(&mut self, v: &JsValue, depth: usize, field: &str) -> Result<JsArg, JsValue> {
        if v.is_undefined() || v.is_null() {
            Ok(JsArg::Null)
        } else if v.is_string() {
            Ok(JsArg::Text(js_text(v, &format!("{}: {field}", self.method))?))
        } else if let Some(b) = v.as_bool() {
            Ok(JsArg::Text(if b { "true" } else { "false" }.to_string()))
        } else if v.as_f64().is_some() {
            let n: &js_sys::Number = v.unchecked_ref();
            Ok(JsArg::Text(n.to_string_with_radix(10).map(String::from).unwrap_or_default()))
        } else if is_array(v)? {
            if depth >= JsArg::MAX_DEPTH {
                return Ok(JsArg::Null);
            }
            let items = array_copy(v)?;
            self.items += items.length() as usize;
            if self.items > MAX_ARG_ITEMS {
                let message = format!("{}: {field} holds more than {MAX_ARG_ITEMS} array items", self.method);
                return Err(js_error("too_large", None, &message));
            }
            let list = items.iter().map(|i| self.arg(&i, depth + 1, field)).collect::<Result<_, _>>()?;
            Ok(JsArg::List(list))
        } else {
            Ok(JsArg::Object)
        }
    }

    /// twilio-node's argument shapes: `(attributes, text)`, `(text)` or `()`.
    fn call_args(&mut self, a: &JsValue, b: &JsValue) -> Result<CallArgs, JsValue> {
        let (attrs, text) = if a.is_string() || (!a.is_object() && !a.is_undefined() && !a.is_null()) { (b, a) } else { (a, b) };
        let mut pairs = Vec::new();
        if attrs.is_object() && !is_array(attrs)? {
            let entries = entries(attrs)?;
            if entries.length() as usize > MAX_ATTRIBUTES {
                let message = format!("{}: {} attributes, over the limit of {MAX_ATTRIBUTES}", self.method, entries.length());
                return Err(js_error("too_large", None, &message));
            }
            for entry in entries.iter() {
                let entry: js_sys::Array = entry.unchecked_into();
                let key = js_text(&entry.get(0), &format!("{}: an attribute name", self.method))?;
                let value = self.arg(&entry.get(1), 0, &key)?;
                pairs.push((key, attr_string(&value)));
            }
        }
        let text = if text.is_undefined() || text.is_null() { None } else { Some(js_string(&self.arg(text, 0, "the text")?)) };
        Ok((pairs, text))
    }
}

/// Attributes in order (`None`: skipped) and the text of one builder call.
type CallArgs = (Vec<(String, Option<String>)>, Option<String>);

fn call(doc: &Rc<RefCell<Builder>>, parent: NodeId, method: &str, a: &JsValue, b: &JsValue) -> Result<TwimlElement, JsValue> {
    let (attrs, text) = ArgReader { method, items: 0 }.call_args(a, b)?;
    let id = doc.borrow_mut().call(parent, method, attrs, text).map_err(build_error)?;
    Ok(TwimlElement { doc: doc.clone(), id })
}

/// A `<Response>` under construction, with twilio-node's `VoiceResponse` methods.
#[wasm_bindgen]
pub struct VoiceResponse {
    doc: Rc<RefCell<Builder>>,
}

/// An element added by a builder method (`Dial`, `Sip`, `Gather`, ...). Its
/// methods are those twilio-node offers on that element; others throw `not_allowed`.
#[wasm_bindgen]
pub struct TwimlElement {
    doc: Rc<RefCell<Builder>>,
    id: NodeId,
}

macro_rules! methods {
    ($ty:ident, $($m:ident),*) => {
        #[wasm_bindgen]
        impl $ty {
            $(
                #[doc = concat!("Add `<", stringify!($m), ">` (twilio-node's `", stringify!($m), "(attributes?, text?)`, or `", stringify!($m), "(text)`).")]
                pub fn $m(
                    &self,
                    #[wasm_bindgen(unchecked_optional_param_type = "TwimlAttributes | string | number")] attributes: Option<JsValue>,
                    #[wasm_bindgen(unchecked_optional_param_type = "string | number")] text: Option<JsValue>,
                ) -> Result<TwimlElement, JsValue> {
                    let a = attributes.unwrap_or(JsValue::UNDEFINED);
                    let b = text.unwrap_or(JsValue::UNDEFINED);
                    call(&self.doc, self.node(), stringify!($m), &a, &b)
                }
            )*

            /// Append text (twilio-node's `addText`).
            #[wasm_bindgen(js_name = addText)]
            pub fn add_text(&self, #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Result<(), JsValue> {
                if !text.is_string() {
                    return Err(js_error("not_a_string", None, "addText expects a string"));
                }
                let t = js_text(&text, "addText: the text")?;
                self.doc.borrow_mut().add_text(self.node(), &t).map_err(build_error)
            }

            /// The whole document, as twilio-node's `toString()` writes it.
            #[wasm_bindgen(js_name = toString)]
            pub fn to_xml(&self) -> String {
                self.doc.borrow().to_xml()
            }
        }
    };
}

methods!(VoiceResponse, dial, say, play, pause, gather, hangup, redirect, reject, enqueue, leave, record, refer);
methods!(TwimlElement, sip, number, client, conference, queue, sim, say, play, pause);

#[wasm_bindgen]
impl VoiceResponse {
    /// An empty `<Response>`.
    #[wasm_bindgen(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> VoiceResponse {
        VoiceResponse { doc: Rc::new(RefCell::new(Builder::new())) }
    }

    fn node(&self) -> NodeId {
        Builder::ROOT
    }
}

#[wasm_bindgen]
impl TwimlElement {
    fn node(&self) -> NodeId {
        self.id
    }

    /// The element name (`Dial`, `Sip`, ...).
    #[wasm_bindgen(getter)]
    pub fn tag(&self) -> String {
        self.doc.borrow().tag(self.id).unwrap_or_default().to_string()
    }
}
