//! The JavaScript boundary: the only code that knows about wasm-bindgen.
//!
//! Each submodule exposes one area of the core. They convert `JsValue`s into
//! core types, call the core, and convert the result back with one serializer,
//! the compact format ([`to_compact`], decoded by `pkg/decode.js`); every failure becomes a JS `Error` carrying the
//! core error's stable `code` (and `offset`, where it has one). No logic lives
//! here, so the same input gives the same answer natively and in WASM.

mod alloc;
mod compact;
mod mem;
mod refer_message;
mod refer_to;
mod refer_to_fast;
#[cfg(feature = "simulator")]
mod timeline;
#[cfg(feature = "simulator")]
mod transfer;

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// A core value in the compact result format ([`compact`]), which `pkg/decode.js`
/// turns into the plain JS data `JSON.parse` would make of serde_json's text
/// (maps as objects, `None` as `null`): one string crosses the boundary and no
/// JSON is written or parsed. Smaller than JSON, and the module carries no JSON writer. The package's entry (`pkg/index.js`)
/// decodes what the exports returning it give back, so users see plain objects.
pub(crate) fn to_compact<T: Serialize + ?Sized>(value: &T) -> Result<String, JsValue> {
    to_compact_in(String::new(), value)
}

/// [`to_compact`] written into `out`, whose capacity is kept (a caller that knows the
/// result's size reserves it).
pub(crate) fn to_compact_in<T: Serialize + ?Sized>(mut out: String, value: &T) -> Result<String, JsValue> {
    compact::write(value, &mut out).map_err(unconvertible)?;
    Ok(out)
}

/// [`to_compact`] in the kept mode of the parsers' results (see [`compact`]), for a decoder
/// (`pkg/decode.js`) that holds `known` entries of the key table; without `known` (a caller
/// other than the package's entry) the result is [`to_compact`]'s.
pub(crate) fn to_compact_kept<T: Serialize + ?Sized>(value: &T, known: Option<u32>) -> Result<String, JsValue> {
    let mut out = String::new();
    compact::write_kept(value, known, &mut out).map_err(unconvertible)?;
    Ok(out)
}

/// The JS `Error` for a value the compact format cannot carry.
fn unconvertible(_: compact::Unsupported) -> JsValue {
    js_error("internal", None, "could not convert the result to JS")
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

/// A JS string as Rust text. A lone surrogate (half of a UTF-16 pair, which
/// UTF-8 cannot hold and wasm-bindgen would silently turn into U+FFFD) is an
/// Error with code `lone_surrogate` whose message and `field` name `field`.
/// Not a string: `not_a_string`.
pub(crate) fn js_text(v: &JsValue, field: &str) -> Result<String, JsValue> {
    let Some(s) = v.dyn_ref::<js_sys::JsString>() else {
        return Err(field_error("not_a_string", field, &format!("{field} must be a string")));
    };
    if !s.is_well_formed() {
        let message = format!("{field} holds a lone surrogate (half of a UTF-16 pair), which no SIP or XML text can carry");
        return Err(field_error("lone_surrogate", field, &message));
    }
    Ok(String::from(s))
}

/// A JS `Error` (see [`js_error`]) that also carries `field`: where in the caller's input the problem is.
pub(crate) fn field_error(code: &str, field: &str, message: &str) -> JsValue {
    let err = js_error(code, None, message);
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("field"), &JsValue::from_str(field));
    err
}

/// The crate version, as in `Cargo.toml` (and `pkg/package.json`).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// **Test only**: traps the module on purpose, the way any Rust panic does under
/// `panic = "abort"` (a WebAssembly `unreachable`, thrown to JS as `RuntimeError`),
/// leaving a heap block and a stack frame behind as a real trap would. The tests
/// call it 10,000 times to prove the package's JS entry heals the module; a user
/// has no reason to call it (it always throws an `Error` with `code: "internal"`), and the
/// package's TypeScript types leave it out (`skip_typescript`), as every `__` export.
#[wasm_bindgen(js_name = __forceTrapForTests, skip_typescript)]
pub fn force_trap_for_tests() {
    let held = std::hint::black_box(vec![0u8; 4096]);
    panic!("forced trap, {} bytes held", held.len());
}
