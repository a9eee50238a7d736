//! `parseReferMessage`: a pasted SIP REFER, or its header lines, for JavaScript.

use wasm_bindgen::prelude::*;

use super::{js_error, js_text, to_compact};
use crate::sip;

#[wasm_bindgen(typescript_custom_section)]
const TS_REFER_MESSAGE: &'static str = r#"
/** A non-fatal finding about a pasted REFER. */
export interface ReferMessageNote {
  code: "replaces_ignored" | "bad_refer_sub" | "bad_referred_by" | "several_referred_by" | "log_lines_skipped";
  /** Byte offset (UTF-8) into the text. */
  offset: number;
  message: string;
  tag: Provenance;
}

/** Why Twilio would answer the REFER with an error instead of 202, read off the message alone. */
export interface ReferRefusal {
  /** The SIP status Twilio answers (400). */
  status: number;
  /** `no_refer_to`, `several_refer_to`, or the Refer-To parser's error code (`too_long`, `bad_host`, ...). */
  code: string;
  /** Byte offset (UTF-8) into the text. */
  offset: number;
  message: string;
  tag: Provenance;
}

/** A pasted SIP REFER: what Twilio reads from it and whether it would refuse it. */
export interface ReferMessage {
  form: "request" | "headers";
  requestLine: { method: string; uri: string; version: string } | null;
  /** Every header, folded lines joined; `canonical` is the full name (`Refer-To` for `r`). */
  headers: { name: string; canonical: string; value: string; offset: number }[];
  /** The Refer-To, when there is exactly one and it parses. */
  referTo: ReferTo | null;
  referredBy: { raw: string; displayName: string | null; uri: SipUri | null; params: Record<string, string | null> | null } | null;
  /** Refer-Sub (RFC 4488); null when absent. */
  referSub: boolean | null;
  /** Replaces (RFC 3891), in the Refer-To URI or as a header. */
  replaces: { callId: string; toTag: string | null; fromTag: string | null; earlyOnly: boolean } | null;
  /** The message's own `X-` headers, in order. */
  customHeaders: [string, string][];
  body: string | null;
  /** Empty when the message alone gives Twilio no reason to refuse the REFER. */
  refusals: ReferRefusal[];
  notes: ReferMessageNote[];
  /** The scenario `refer` fields that replay this REFER: spread them into `scenario.refer`. */
  scenario: { referTo: string | string[]; referSub: boolean };
}
"#;

/// Parses a pasted SIP REFER or its header lines. Throws an `Error` with `code` and `offset`.
/// Returns the compact result format (see `to_compact`); the package's entry decodes it into a
/// plain `ReferMessage` object.
#[wasm_bindgen(js_name = parseReferMessage, unchecked_return_type = "ReferMessage")]
pub fn parse_refer_message(#[wasm_bindgen(unchecked_param_type = "string")] text: JsValue) -> Result<String, JsValue> {
    if !text.is_string() {
        return Err(js_error("not_a_string", None, "parseReferMessage expects a string (a SIP REFER or header lines)"));
    }
    let text = js_text(&text, "parseReferMessage: the text")?;
    match sip::parse_refer_message(&text) {
        Ok(m) => to_compact(&m),
        Err(e) => Err(js_error(e.code.as_str(), Some(e.offset), &e.message)),
    }
}
