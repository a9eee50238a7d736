//! `parseReferTo`: the Refer-To parser for JavaScript.

use std::cell::RefCell;
use wasm_bindgen::prelude::*;

use super::refer_to_fast::FastWriter;
use super::{js_error, js_text, to_compact_kept};
use crate::sip;

#[wasm_bindgen(typescript_custom_section)]
const TS_REFER_TO: &'static str = r#"
/** Where a rule comes from: the vendor's documentation, a SIP RFC, or an assumption. */
export type Provenance = "doc" | "rfc" | "assumed";

/** A non-fatal finding about a Refer-To value. */
export interface ReferToWarning {
  code: "uui_not_hex" | "replaces_ignored" | "addr_spec_ambiguous" | "plus_is_literal" | "sips_unsupported";
  /** Byte offset (UTF-8) into the value. */
  offset: number;
  message: string;
  tag: Provenance;
}

/** A SIP, SIPS or tel URI with its parts percent-decoded. */
export interface SipUri {
  scheme: "sip" | "sips" | "tel";
  /** User part (SIP) or the number (tel). */
  user: string | null;
  password: string | null;
  /** Domain, IPv4 address or `[IPv6]`; null for tel. */
  host: string | null;
  port: number | null;
  /** URI parameters: name to value, or null for a flag such as `lr`. */
  params: Record<string, string | null>;
  /** Embedded headers after `?`, in order, values decoded: `[name, value]`. */
  headers: [string, string][];
}

/** A parsed Refer-To header value. */
export interface ReferTo {
  /** The value exactly as given. */
  raw: string;
  form: "name-addr" | "addr-spec";
  displayName: string | null;
  uri: SipUri;
  /** Header parameters after the URI. */
  params: Record<string, string | null>;
  /** The `ReferTransferTarget` parameter Twilio sends to `referUrl`. */
  transferTarget: string;
  /** User-to-User data (RFC 7433), when embedded. */
  uui: { value: string; encoding: string | null; purpose: string | null; content: string | null } | null;
  /** `X-` custom headers, in order. */
  customHeaders: [string, string][];
  /** A Replaces header (an attended-transfer request), when embedded. */
  replaces: { callId: string; toTag: string | null; fromTag: string | null; earlyOnly: boolean } | null;
  warnings: ReferToWarning[];
}

/**
 * Parses a Refer-To header value. Throws an `Error` with `code` and `offset`.
 *
 * The module returns the result in the compact format (see `to_compact`); the
 * package's entry decodes it, so the declared type is what users receive.
 */
export function parseReferTo(value: string): ReferTo;

/** The Error thrown by every export: `code` is stable, `offset` a UTF-8 byte offset (parsers). */
export interface ReferSimError extends Error {
  code: string;
  offset: number | null;
  /** Where in your input: a path such as `refer.atMs` or `endpoints["sip:b@example.com"].answer`. */
  field?: string | null;
  /** On `internal`, `stale`, `freed` and `busy`: the call that failed (`simulate`, `VoiceResponse.dial`). */
  call?: string;
}
"#;

/// Parses a Refer-To header value. Throws an `Error` with `code` and `offset`.
///
/// The module returns the result in the compact format (see `to_compact`); the
/// package's entry decodes it, so the declared type is what users receive.
// `known` is the entry's: how many keys its decoder holds (see `to_compact_kept`); the
// declaration in `TS_REFER_TO` leaves it out.
#[wasm_bindgen(js_name = parseReferTo, skip_typescript)]
pub fn parse_refer_to(value: JsValue, known: Option<u32>) -> Result<String, JsValue> {
    if !value.is_string() {
        return Err(js_error("not_a_string", None, "parseReferTo expects a string (the Refer-To header value)"));
    }
    let text = js_text(&value, "parseReferTo: the value")?;
    match sip::parse_refer_to(&text) {
        Ok(r) => to_compact_kept(&r, known),
        Err(e) => Err(js_error(e.code.as_str(), Some(e.offset), &e.message)),
    }
}

/// Bytes of the exchange buffer's input part: the package's entry sends a value of at most 512
/// UTF-16 units this way (3 UTF-8 bytes each at most); a longer one has over 256 characters and
/// goes through [`parse_refer_to`] for its `too_long` error.
const INPUT_BYTES: usize = 1536;

thread_local! {
    /// Where the entry writes a value's UTF-8 bytes for [`refer_to_fast`] (its address never changes).
    static INPUT: RefCell<Vec<u8>> = RefCell::new(vec![0; INPUT_BYTES]);
    /// The last result of [`refer_to_fast`], and the text pool written beside it.
    static OUTPUT: RefCell<(Vec<u8>, Vec<u8>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// Internal: `parseReferTo`'s fast path (`referToFast` in `pkg/decode.js`).
// Parses the first `len` bytes of the input buffer, where the entry wrote the value as UTF-8, and
// returns the address of the result in wasm memory (read there, not copied into a JS string), or 0
// when the value does not parse (the entry then calls `parseReferTo` for the error). With `len`
// past the buffer's size it parses nothing and returns the input buffer's address. The result is
// the `ReferTo` in a layout of its own (`FastWriter`): its fields in the order of the JS object,
// texts that are slices of an ASCII value as offsets into it, cut from the string the entry holds.
// (Plain comments: a doc comment would be copied into the glue the package ships.)
#[wasm_bindgen(js_name = __referTo, skip_typescript)]
pub fn refer_to_fast(len: u32) -> u32 {
    let parsed = INPUT.with(|input| {
        let input = input.try_borrow().ok()?;
        let Some(bytes) = input.get(..len as usize) else {
            return Some(Err(input.as_ptr() as usize as u32));
        };
        let text = std::str::from_utf8(bytes).ok()?;
        let r = sip::parse_refer_to(text).ok()?;
        OUTPUT.with(|output| {
            let mut output = output.try_borrow_mut().ok()?;
            let (out, pool) = &mut *output;
            FastWriter::write(&r, text, out, pool);
            Some(Ok(out.as_ptr() as usize as u32))
        })
    });
    match parsed {
        Some(Ok(at) | Err(at)) => at,
        None => 0,
    }
}
