//! The JavaScript boundary: the only code that knows about wasm-bindgen.
//!
//! Each submodule exposes one area of the core. They convert `JsValue`s into
//! core types, call the core, and convert the result back with one configured
//! serializer ([`to_js`]); every failure becomes a JS `Error` carrying the
//! core error's stable `code` (and `offset`, where it has one). No logic lives
//! here, so the same input gives the same answer natively and in WASM.

mod compact;
mod refer_message;
mod refer_to;
#[cfg(feature = "simulator")]
mod transfer;

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Serialize a core value to plain JS data: maps as objects, `None` as `null`.
///
/// The value is written as one JSON string by serde_json and turned into JS
/// objects by the engine's own `JSON.parse` (called from here, so the JS glue
/// stays generated). One string crosses the boundary instead of one call per
/// field, which is several times faster for nested results, and the module
/// carries a single serializer rather than a JS-object one per type.
/// What JSON cannot carry does not occur in the core's results: map keys are
/// strings, numbers are integers below 2^53 (non-finite floats would become `null`).
#[cfg(feature = "simulator")]
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    // The serde_json error is not formatted: its Display pulls std's I/O error texts into the module.
    let internal = || js_error("internal", None, "could not convert the result to JS");
    // One buffer, reused by every call (WASM runs one call at a time), so the JSON
    // is written without reallocations once it has grown to the largest result.
    JSON_BUF.with(|buf| {
        let Ok(mut buf) = buf.try_borrow_mut() else {
            return Err(internal());
        };
        buf.clear();
        serde_json::to_writer(&mut *buf, value).map_err(|_| internal())?;
        let json = std::str::from_utf8(&buf).map_err(|_| internal())?;
        let result = js_sys::JSON::parse(json).map_err(|_| internal());
        if buf.capacity() > JSON_BUF_KEEP {
            *buf = Vec::new();
        }
        result
    })
}

/// A core value in the compact result format ([`compact`]), which `pkg/decode.js`
/// turns into the plain JS data [`to_js`] would give: one string crosses the
/// boundary and no JSON is written or parsed. The package's entry (`pkg/index.js`)
/// decodes what the exports returning it give back, so users see plain objects.
pub(crate) fn to_compact<T: Serialize + ?Sized>(value: &T) -> Result<String, JsValue> {
    let mut out = String::new();
    compact::write(value, &mut out).map_err(|_| js_error("internal", None, "could not convert the result to JS"))?;
    Ok(out)
}

/// The largest JSON buffer kept between calls; a bigger one is freed after use.
#[cfg(feature = "simulator")]
const JSON_BUF_KEEP: usize = 1 << 16;

#[cfg(feature = "simulator")]
thread_local! {
    static JSON_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
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
/// has no reason to call it (it always throws an `Error` with `code: "internal"`).
#[wasm_bindgen(js_name = __forceTrapForTests)]
pub fn force_trap_for_tests() {
    let held = std::hint::black_box(vec![0u8; 4096]);
    panic!("forced trap, {} bytes held", held.len());
}
