//! JS bindings of the TwiML layer: `parseTwiml`, `checkTransfer`, and what the
//! `VoiceResponse` builder needs. Conversion only: arguments become core values,
//! the core ([`crate::twiml`]) does the work.
//!
//! `VoiceResponse` and `TwimlElement` are JavaScript classes (pkg/voice_response.js,
//! declared in the TypeScript section below): they record each call as plain JS
//! data and cross into WebAssembly once, at `toString()` ([`twiml_write`]), instead
//! of making one wasm-bindgen object (and its finalizer) per builder call.

use wasm_bindgen::prelude::*;

use super::{js_error, js_text};
use crate::twiml::builder::replay_encoded;
use crate::twiml::{check, compact, parser};

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Where a finding or node is: UTF-8 byte offsets into the text as given (a byte order mark that starts it counts its 3 bytes). */
export interface TwimlSpan { start: number; end: number }
/** A diagnostic of the TwiML parser or a transfer check. */
export interface TwimlDiagnostic {
  /** Stable snake_case code: "xml_malformed", "no_refer_url", ... */
  code: string;
  severity: "error" | "warning" | "info";
  message: string;
  span: TwimlSpan;
  /** 1-based line of `span.start`. */
  line: number;
  /** 1-based column of `span.start`, in Unicode code points; a byte order mark that starts the text is no column. */
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

/**
 * Parse a Voice TwiML document: `{ response, diagnostics }`. Returned in the
 * compact format (see `to_compact`), which the package's entry decodes.
 */
export function parseTwiml(xml: string): ParsedTwiml;
/**
 * Check a TwiML document for a SIP REFER transfer; `role` is `"initial"`
 * (default) or `"referResponse"`. Parser diagnostics come first. Returned in
 * the compact format (see `to_compact`), which the package's entry decodes.
 */
export function checkTransfer(xml: string, role?: TwimlRole): TwimlFinding[];

/**
 * An element added by a builder method (`Dial`, `Sip`, `Gather`, ...). Its
 * methods are those twilio-node offers on that element; others throw `not_allowed`.
 */
export class TwimlElement {
    private constructor();
    /** Drops this handle: later calls on it throw `code: "freed"` (the document is kept). */
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Append text (twilio-node's `addText`).
     */
    addText(text: string): void;
    client(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    conference(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    number(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    pause(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    play(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    queue(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    say(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    sim(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    sip(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    /**
     * The whole document, as twilio-node's `toString()` writes it.
     */
    toString(): string;
    /**
     * The element name (`Dial`, `Sip`, ...).
     */
    readonly tag: string;
}

/**
 * A `<Response>` under construction, with twilio-node's `VoiceResponse` methods.
 */
export class VoiceResponse {
    /** Drops this handle: later calls on it throw `code: "freed"` (elements made from it are kept). */
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Append text (twilio-node's `addText`).
     */
    addText(text: string): void;
    dial(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    enqueue(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    gather(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    hangup(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    leave(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    /**
     * An empty `<Response>`.
     */
    constructor();
    pause(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    play(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    record(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    redirect(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    refer(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    reject(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    say(attributes?: TwimlAttributes | string | number, text?: string | number): TwimlElement;
    /**
     * The whole document, as twilio-node's `toString()` writes it.
     */
    toString(): string;
}
"#;

/// The TwiML document argument of `what` as text; `field` names it in an error (`"{what}: the
/// document"`, written out by the caller so that no text is formatted on the way in).
fn document(xml: &JsValue, what: &str, field: &str) -> Result<String, JsValue> {
    if !xml.is_string() {
        return Err(js_error("not_a_string", None, &format!("{what} expects the TwiML document as a string")));
    }
    js_text(xml, field)
}

/// Parse a Voice TwiML document: `{ response, diagnostics }`. Returned in the
/// format of [`crate::twiml::compact`], which the package's entry decodes.
#[wasm_bindgen(js_name = parseTwiml, skip_typescript)]
pub fn parse_twiml(xml: JsValue) -> Result<String, JsValue> {
    let xml = document(&xml, "parseTwiml", "parseTwiml: the document")?;
    let mut out = String::with_capacity(xml.len() * 2 + 64);
    parser::parse_view(&xml)
        .write_compact(&mut out)
        .map_err(|_| js_error("internal", None, "could not convert the result to JS"))?;
    Ok(out)
}

/// Check a TwiML document for a SIP REFER transfer; `role` is `"initial"`
/// (default) or `"referResponse"`. Parser diagnostics come first. Returned in
/// the format of [`crate::twiml::compact`], which the package's entry decodes.
#[wasm_bindgen(js_name = checkTransfer, skip_typescript)]
pub fn check_transfer(xml: JsValue, role: Option<JsValue>) -> Result<String, JsValue> {
    let role = role.unwrap_or(JsValue::UNDEFINED);
    let xml = document(&xml, "checkTransfer", "checkTransfer: the document")?;
    let role = if role.is_undefined() || role.is_null() {
        check::Role::Initial
    } else {
        role.as_string()
            .and_then(|r| check::Role::from_name(&r))
            .ok_or_else(|| js_error("bad_role", None, "role must be \"initial\" or \"referResponse\""))?
    };
    let mut out = String::new();
    compact::write_findings(&check::check_transfer(&xml, role), &mut out);
    Ok(out)
}

/// **Internal**, for the package's JS `VoiceResponse` (pkg/voice_response.js): the
/// document its recorded builder calls make (see [`replay_encoded`]), as
/// twilio-node's `toString()` writes it. A call the builder refuses throws an
/// `Error` with the builder's `code` (`not_allowed`, `invalid_name`,
/// `invalid_char`) and message; the JS side also uses this to word those errors
/// at the call that caused them.
#[wasm_bindgen(js_name = __twimlWrite, skip_typescript)]
pub fn twiml_write(calls: &str) -> Result<String, JsValue> {
    replay_encoded(calls).map(|b| b.to_xml()).map_err(|e| js_error(e.code, None, &e.message))
}
