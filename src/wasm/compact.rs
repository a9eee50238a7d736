//! The compact result format: a core value as one string that `pkg/decode.js`
//! turns into the same plain JS objects `JSON.parse` would make of serde_json's
//! text, several times faster than writing and parsing JSON.
//!
//! The string is a stream of tokens; every token is made of ASCII characters, and a
//! string's text is copied in as it is. A *number* `n` is written in 6-bit digits,
//! least significant first: each digit but the last is `0x40 | digit`. So a result
//! whose texts are ASCII is an ASCII string, which the glue's UTF-8 `TextDecoder`
//! reads about 25 times faster than one holding a few multi-byte characters (with
//! 14-bit digits, about 25 per catalogue timeline made the decoding 10% of `simulate`).
//!
//! ```text
//! value  = NULL(0) | FALSE(1) | TRUE(2) | UINT(3) n | NEG(4) n | STR(5) len text
//!        | ARR(6) value* END(9) | OBJ(7) (key value)* END(0) | F64(8) hi lo
//! key    = NEW(1) len text   ; appended to the key table
//!        | (2 + i)           ; the key table's entry i
//! ```
//! `len` counts UTF-16 code units (what JS's `slice` counts); `hi`/`lo` are the
//! halves of a non-integral float's bits. The mapping is serde_json's: `None` and
//! unit are `null`, a unit variant its name, other variants `{ name: content }`,
//! maps and structs objects (map keys as strings).

use serde::ser::{self, Serialize};

const NULL: char = '\u{0}';
const FALSE: char = '\u{1}';
const TRUE: char = '\u{2}';
const UINT: char = '\u{3}';
const NEG: char = '\u{4}';
const STR: char = '\u{5}';
const ARR: char = '\u{6}';
const OBJ: char = '\u{7}';
const F64: char = '\u{8}';
const ARR_END: char = '\u{9}';
/// Ends an object where a key is expected.
const OBJ_END: u64 = 0;
/// A key written out in full (and appended to the key table).
const KEY_NEW: u64 = 1;

/// Why a value could not be written (a map key that is not text-like, or a custom error).
#[derive(Debug)]
pub(crate) struct Unsupported;

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("unsupported value")
    }
}
impl std::error::Error for Unsupported {}
impl ser::Error for Unsupported {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Unsupported
    }
}

/// Writes values into `out`, interning the keys it has already written.
pub(crate) struct Writer<'a> {
    out: &'a mut String,
    /// Keys written so far, by the address and length of their `'static` text (struct fields),
    /// with their table index: an open-addressing table of [`KEY_SLOTS`] slots (`None`: free).
    keys: Vec<Option<(usize, usize, u32)>>,
    /// Entries of the decoder's key table so far.
    table: u32,
}

/// Slots of the key table (a power of two). Past three quarters full, further keys are
/// written out in full each time (valid, only longer), so a lookup stays short.
const KEY_SLOTS: usize = 256;

/// `value` in the compact format, appended to `out` (cleared first).
pub(crate) fn write<T: Serialize + ?Sized>(value: &T, out: &mut String) -> Result<(), Unsupported> {
    out.clear();
    let mut w = Writer { out, keys: vec![None; KEY_SLOTS], table: 0 };
    value.serialize(&mut w)
}

impl Writer<'_> {
    fn num(&mut self, mut n: u64) {
        while n >= 0x40 {
            self.out.push(char::from(0x40 | (n & 0x3F) as u8));
            n >>= 6;
        }
        self.out.push(char::from(n as u8));
    }

    fn text(&mut self, s: &str) {
        let units = if s.is_ascii() { s.len() } else { s.chars().map(char::len_utf16).sum() };
        self.num(units as u64);
        self.out.push_str(s);
    }

    fn str_value(&mut self, s: &str) {
        self.out.push(STR);
        self.text(s);
    }

    /// A struct field or variant name: the text once, then its table index.
    fn static_key(&mut self, key: &'static str) {
        let (addr, len) = (key.as_ptr() as usize, key.len());
        let mut slot = (addr >> 2 ^ len.wrapping_mul(31)) & (KEY_SLOTS - 1);
        loop {
            match self.keys[slot] {
                Some((a, l, i)) if a == addr && l == len => return self.num(2 + u64::from(i)),
                Some(_) => slot = (slot + 1) & (KEY_SLOTS - 1),
                None => break,
            }
        }
        if (self.table as usize) < KEY_SLOTS * 3 / 4 {
            self.keys[slot] = Some((addr, len, self.table));
        }
        self.new_key(key);
    }

    fn new_key(&mut self, key: &str) {
        self.table += 1;
        self.num(KEY_NEW);
        self.text(key);
    }

    fn close_obj(&mut self) {
        self.num(OBJ_END);
    }
}

type Res = Result<(), Unsupported>;

impl<'a, 'b> ser::Serializer for &'a mut Writer<'b> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Res {
        self.out.push(if v { TRUE } else { FALSE });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Res {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Res {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Res {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Res {
        self.out.push(if v < 0 { NEG } else { UINT });
        self.num(v.unsigned_abs());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Res {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Res {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Res {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Res {
        self.out.push(UINT);
        self.num(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Res {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Res {
        if !v.is_finite() {
            // serde_json writes non-finite floats as null.
            self.out.push(NULL);
        } else if v == v.trunc() && v.abs() < 9_007_199_254_740_992.0 {
            return if v < 0.0 { self.serialize_i64(v as i64) } else { self.serialize_u64(v as u64) };
        } else {
            let bits = v.to_bits();
            self.out.push(F64);
            self.num(bits >> 32);
            self.num(bits & 0xFFFF_FFFF);
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Res {
        self.str_value(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Res {
        self.str_value(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Res {
        self.out.push(ARR);
        for b in v {
            self.out.push(UINT);
            self.num(u64::from(*b));
        }
        self.out.push(ARR_END);
        Ok(())
    }
    fn serialize_none(self) -> Res {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Res {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Res {
        self.out.push(NULL);
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res {
        self.str_value(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Res {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, variant: &'static str, value: &T) -> Res {
        self.out.push(OBJ);
        self.static_key(variant);
        value.serialize(&mut *self)?;
        self.close_obj();
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Unsupported> {
        self.out.push(ARR);
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Unsupported> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Self, Unsupported> {
        self.out.push(OBJ);
        self.static_key(variant);
        self.out.push(ARR);
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Unsupported> {
        self.out.push(OBJ);
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Unsupported> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, variant: &'static str, _: usize) -> Result<Self, Unsupported> {
        self.out.push(OBJ);
        self.static_key(variant);
        self.out.push(OBJ);
        Ok(self)
    }
}

/// Sequences, tuples and tuple structs: their items, then the end of the array.
macro_rules! array_like {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for &mut Writer<'_> {
            type Ok = ();
            type Error = Unsupported;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
                value.serialize(&mut **self)
            }
            fn end(self) -> Res {
                self.out.push(ARR_END);
                Ok(())
            }
        }
    )*};
}

array_like!(SerializeSeq::serialize_element, SerializeTuple::serialize_element, SerializeTupleStruct::serialize_field);

impl ser::SerializeTupleVariant for &mut Writer<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.out.push(ARR_END);
        self.close_obj();
        Ok(())
    }
}

impl ser::SerializeMap for &mut Writer<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Res {
        key.serialize(KeyWriter(&mut **self))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Res {
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.close_obj();
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Writer<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Res {
        self.static_key(key);
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.close_obj();
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Writer<'_> {
    type Ok = ();
    type Error = Unsupported;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Res {
        self.static_key(key);
        value.serialize(&mut **self)
    }
    fn end(self) -> Res {
        self.close_obj();
        self.close_obj();
        Ok(())
    }
}

/// A map key, written out in full (keys of maps are data, not field names): text
/// as it is, numbers and `char`s as their text, as serde_json accepts them.
struct KeyWriter<'a, 'b>(&'a mut Writer<'b>);

impl KeyWriter<'_, '_> {
    fn int(self, v: i128) -> Res {
        self.0.new_key(&v.to_string());
        Ok(())
    }
}

impl ser::Serializer for KeyWriter<'_, '_> {
    type Ok = ();
    type Error = Unsupported;
    type SerializeSeq = ser::Impossible<(), Unsupported>;
    type SerializeTuple = ser::Impossible<(), Unsupported>;
    type SerializeTupleStruct = ser::Impossible<(), Unsupported>;
    type SerializeTupleVariant = ser::Impossible<(), Unsupported>;
    type SerializeMap = ser::Impossible<(), Unsupported>;
    type SerializeStruct = ser::Impossible<(), Unsupported>;
    type SerializeStructVariant = ser::Impossible<(), Unsupported>;

    fn serialize_str(self, v: &str) -> Res {
        self.0.new_key(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Res {
        self.0.new_key(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Res {
        self.0.static_key(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Res {
        value.serialize(self)
    }
    fn serialize_i8(self, v: i8) -> Res {
        self.int(v.into())
    }
    fn serialize_i16(self, v: i16) -> Res {
        self.int(v.into())
    }
    fn serialize_i32(self, v: i32) -> Res {
        self.int(v.into())
    }
    fn serialize_i64(self, v: i64) -> Res {
        self.int(v.into())
    }
    fn serialize_u8(self, v: u8) -> Res {
        self.int(v.into())
    }
    fn serialize_u16(self, v: u16) -> Res {
        self.int(v.into())
    }
    fn serialize_u32(self, v: u32) -> Res {
        self.int(v.into())
    }
    fn serialize_u64(self, v: u64) -> Res {
        self.int(v.into())
    }
    fn serialize_bool(self, _: bool) -> Res {
        Err(Unsupported)
    }
    fn serialize_f32(self, _: f32) -> Res {
        Err(Unsupported)
    }
    fn serialize_f64(self, _: f64) -> Res {
        Err(Unsupported)
    }
    fn serialize_bytes(self, _: &[u8]) -> Res {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Res {
        Err(Unsupported)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Res {
        Err(Unsupported)
    }
    fn serialize_unit(self) -> Res {
        Err(Unsupported)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Res {
        Err(Unsupported)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(self, _: &'static str, _: u32, _: &'static str, _: &T) -> Res {
        Err(Unsupported)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeTupleStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}
