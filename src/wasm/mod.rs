//! The JavaScript boundary: the only code that knows about wasm-bindgen.
//!
//! Each submodule exposes one area of the core. They convert `JsValue`s into
//! core types, call the core, and convert the result back with one configured
//! serializer ([`to_js`]); every failure becomes a JS `Error` carrying the
//! core error's stable `code` (and `offset`, where it has one). No logic lives
//! here, so the same input gives the same answer natively and in WASM.

mod refer_to;
mod transfer;

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Serialize a core value to plain JS data: maps as objects, `None` as `null`.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| js_error("internal", None, &format!("could not convert the result to JS: {e}")))
}

/// A JS `Error` with `code` and (when known) `offset` properties.
pub(crate) fn js_error(code: &str, offset: Option<usize>, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    let obj: &JsValue = err.as_ref();
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str("code"), &JsValue::from_str(code));
    let offset = match offset {
        Some(o) => JsValue::from_f64(o as f64),
        None => JsValue::NULL,
    };
    let _ = js_sys::Reflect::set(obj, &JsValue::from_str("offset"), &offset);
    err.into()
}

mod twiml;

/// The crate version, as in `Cargo.toml` (and `pkg/package.json`).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
