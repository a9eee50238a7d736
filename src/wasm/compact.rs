//! The compact result format: a core value as one string that `pkg/decode.js`
//! turns into the same plain JS objects `JSON.parse` would make of serde_json's
//! text, several times faster than writing and parsing JSON.
//!
//! The string is a stream of tokens; every token is made of ASCII characters, and a
//! string's text is copied in as it is. A *number* `n` is written in 6-bit digits,
//! least significant first: each digit but the last is `0x40 | digit` (these primitives,
//! `num` and `text`, are `src/compact_format.rs`, shared with the TwiML format; a native
//! test or example that includes this file by `#[path]` includes that one beside it). So a result
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
//!
//! The parsers' results ([`write_kept`]) keep their key table from one call to the next:
//! the field names of a parser's result are the same every time, so after the first
//! call each is one character, and the decoder reuses the JS strings it made of them.
//! The decoder says how many entries it holds (`known`); the result starts with how many
//! of them it may use (`kept`, at most `known`: the module may have started afresh):
//! ```text
//! kept   = n value           ; the reader keeps its first n entries, drops the rest
//! key    = NEW(1) len text   ; a field name, appended to the kept table
//!        | DATA(2) len text  ; a map key (data), not kept
//!        | (3 + i)           ; the kept table's entry i
//! ```

use serde::ser::{self, Serialize};
use std::cell::RefCell;

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

/// A key written in full that the decoder does not keep (kept mode: map keys).
const KEY_DATA: u64 = 2;

/// Writes values into `out`, interning the keys it has already written.
pub(crate) struct Writer<'a> {
    pub(super) out: &'a mut String,
    /// The field names written so far and their table index.
    keys: &'a mut KeyTable,
    /// Entries of the decoder's key table so far (one call's table; in kept mode, unused).
    table: u32,
    /// Kept mode ([`write_kept`]): field names go to the kept table, map keys are `DATA`.
    kept: bool,
}

/// Field names already written, by the address and length of their `'static` text: an
/// open-addressing table of [`KEY_SLOTS`] slots. A slot is in use when its generation is
/// the table's: a new call's table is a new generation, so nothing is cleared or allocated.
pub(crate) struct KeyTable {
    /// `(address, length, index, generation)`.
    slots: Vec<(usize, usize, u32, u32)>,
    generation: u32,
    /// Entries in use (kept mode).
    len: u32,
}

/// Bytes reserved for a result before writing it.
const OUT_RESERVE: usize = 1024;

/// Slots of a key table (a power of two). Past three quarters full, further keys are
/// written out in full each time (valid, only longer), so a lookup stays short.
const KEY_SLOTS: usize = 256;

impl KeyTable {
    const fn new() -> Self {
        KeyTable { slots: Vec::new(), generation: 1, len: 0 }
    }

    /// Forgets every entry.
    fn clear(&mut self) {
        self.len = 0;
        self.generation = self.generation.wrapping_add(1);
        if self.slots.is_empty() || self.generation == 0 {
            self.slots = vec![(0, 0, 0, 0); KEY_SLOTS];
            self.generation = 1;
        }
    }

    /// Forgets the entries from index `n` on (entries made before them keep their probe
    /// sequences: those only ran over slots that were in use when they were added).
    fn truncate(&mut self, n: u32) {
        if n < self.len {
            for slot in &mut self.slots {
                if slot.2 >= n {
                    slot.3 = 0;
                }
            }
            self.len = n;
        }
    }

    /// The index of `key`, or the free slot where it goes.
    fn find(&self, key: &str) -> Result<u32, usize> {
        let (addr, len) = (key.as_ptr() as usize, key.len());
        let mut slot = (addr >> 2 ^ len.wrapping_mul(31)) & (KEY_SLOTS - 1);
        loop {
            match self.slots[slot] {
                (a, l, i, g) if g == self.generation => {
                    if a == addr && l == len {
                        return Ok(i);
                    }
                    slot = (slot + 1) & (KEY_SLOTS - 1);
                }
                _ => return Err(slot),
            }
        }
    }
}

thread_local! {
    /// The key table of [`write`] (one generation per call).
    static CALL_KEYS: RefCell<KeyTable> = const { RefCell::new(KeyTable::new()) };
    /// The key table of [`write_kept`], kept from call to call.
    static KEPT_KEYS: RefCell<KeyTable> = const { RefCell::new(KeyTable::new()) };
}

/// `value` in the compact format, appended to `out` (cleared first).
pub(crate) fn write<T: Serialize + ?Sized>(value: &T, out: &mut String) -> Result<(), Unsupported> {
    write_kept(value, None, out)
}

/// `value` in the compact format's kept mode (see the module docs), for a decoder that holds
/// `known` entries of the kept table, appended to `out` (cleared first); on an error the kept
/// table is as it was before the call. Without `known`, [`write`]'s format (one call's table).
pub(crate) fn write_kept<T: Serialize + ?Sized>(value: &T, known: Option<u32>, out: &mut String) -> Result<(), Unsupported> {
    write_with(known, out, &mut |w| value.serialize(w))
}

/// [`write_kept`] around `serialize`, which writes the value: one copy of this part for
/// every type written.
#[inline(never)]
pub(super) fn write_with(known: Option<u32>, out: &mut String, serialize: &mut dyn FnMut(&mut Writer<'_>) -> Res) -> Res {
    out.clear();
    // Most parser results fit: the string grows once instead of from 8 bytes up, about 7 times.
    out.reserve(OUT_RESERVE);
    let table = if known.is_some() { &KEPT_KEYS } else { &CALL_KEYS };
    table.with(|keys| {
        let mut keys = keys.try_borrow_mut().map_err(|_| Unsupported)?;
        let before = match known {
            Some(known) if !keys.slots.is_empty() => {
                keys.truncate(known);
                Some(keys.len)
            }
            Some(_) => {
                keys.clear();
                Some(0)
            }
            None => {
                keys.clear();
                None
            }
        };
        let mut w = Writer { out, keys: &mut keys, table: 0, kept: before.is_some() };
        if let Some(n) = before {
            w.num(u64::from(n));
        }
        let written = serialize(&mut w);
        if let (Err(_), Some(n)) = (&written, before) {
            keys.truncate(n);
        }
        written
    })
}

impl Writer<'_> {
    /// A number in 6-bit digits ([`crate::compact_format::num`]).
    pub(super) fn num(&mut self, n: u64) {
        crate::compact_format::num(self.out, n);
    }

    /// A text: its UTF-16 length, then the text ([`crate::compact_format::text`]).
    pub(super) fn text(&mut self, s: &str) {
        crate::compact_format::text(self.out, s);
    }

    fn str_value(&mut self, s: &str) {
        self.out.push(STR);
        self.text(s);
    }

    /// A struct field or variant name: the text once, then its table index.
    pub(super) fn static_key(&mut self, key: &'static str) {
        self.shared_key(key)
    }

    /// A text named by its address, as [`Writer::static_key`]'s: a `'static` text, or (in one
    /// call's table only, never the kept one, which outlives the call) a text that lives
    /// until the value is written. Equal addresses and lengths are then equal texts.
    #[inline(never)]
    pub(super) fn shared_key(&mut self, key: &str) {
        let first = if self.kept { 3 } else { 2 };
        match self.keys.find(key) {
            Ok(i) => self.num(first + u64::from(i)),
            Err(slot) => {
                let index = if self.kept { self.keys.len } else { self.table };
                if (index as usize) >= KEY_SLOTS * 3 / 4 {
                    return self.new_key(key);
                }
                let generation = self.keys.generation;
                self.keys.slots[slot] = (key.as_ptr() as usize, key.len(), index, generation);
                if self.kept {
                    self.keys.len += 1;
                    self.num(KEY_NEW);
                    self.text(key);
                } else {
                    self.new_key(key);
                }
            }
        }
    }

    /// A key written in full: appended to one call's table, not kept in kept mode.
    fn new_key(&mut self, key: &str) {
        if self.kept {
            self.num(KEY_DATA);
        } else {
            self.table += 1;
            self.num(KEY_NEW);
        }
        self.text(key);
    }

    fn close_obj(&mut self) {
        self.num(OBJ_END);
    }
}

pub(super) type Res = Result<(), Unsupported>;

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
        key.serialize(KeyWriter(self))
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
pub(super) struct KeyWriter<'a, 'b>(pub(super) &'a mut Writer<'b>);

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
