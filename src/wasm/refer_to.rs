//! `parseReferTo`: the Refer-To parser for JavaScript.

use wasm_bindgen::prelude::*;

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
