//! A JSON reader for scenarios, their catalogue and webhook answers, in place of serde_json's
//! reader and derived `Deserialize` (with core's float formatting and parsing, about 70 KB of the
//! module, 20 KB gzipped). Its errors are serde_json's,
//! word for word and at the same position: the same syntax errors, `invalid type: string "x",
//! expected u64`, `missing field`, `unknown field`, `duplicate field`, `unknown variant`, each
//! ending `at line L column C`, where serde_json would stop. [`super`] then turns Rust's words
//! into the user's, as it did for serde's.

/// An error: serde_json's message and the byte offset it stopped at (`None` until the value
/// that failed is left, as serde's own errors are positioned by the reader that called them).
pub(crate) struct Error {
    pub(crate) message: String,
    pub(crate) at: Option<usize>,
}

/// A result of the reader.
pub(crate) type Res<T> = Result<T, Error>;

const EOF_VALUE: &str = "EOF while parsing a value";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_LIST: &str = "EOF while parsing a list";
const EOF_STRING: &str = "EOF while parsing a string";
const EXPECTED_VALUE: &str = "expected value";
const INVALID_NUMBER: &str = "invalid number";

/// A number as serde_json reads it: an integer that fits, or a float.
pub(crate) enum Num {
    U(u64),
    I(i64),
    F(f64),
}

/// An error that is not positioned yet (serde's `Error::custom`).
pub(crate) fn custom(message: String) -> Error {
    Error { message, at: None }
}

/// The reader: the text and the offset of the next byte.
pub(crate) struct Json<'a> {
    b: &'a [u8],
    /// Offset of the next byte.
    pub(crate) i: usize,
    depth: u32,
    /// The member being read is an element of an array (it has no colon).
    seq_member: bool,
}

impl<'a> Json<'a> {
    pub(crate) fn new(text: &'a str) -> Json<'a> {
        Json { b: text.as_bytes(), i: 0, depth: 128, seq_member: false }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    /// Skips whitespace; the next byte. Not inlined: it is called from 13 places, and each
    /// inlined copy of the loop cost about 140 B of the WASM module.
    #[inline(never)]
    pub(crate) fn ws(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
        self.peek()
    }

    /// An error at the last byte read (serde_json's `error`).
    pub(crate) fn err<T>(&self, message: &str) -> Res<T> {
        Err(Error { message: message.to_string(), at: Some(self.i) })
    }

    /// An error at the byte peeked (serde_json's `peek_error`).
    pub(crate) fn peek_err<T>(&self, message: &str) -> Res<T> {
        Err(Error { message: message.to_string(), at: Some((self.i + 1).min(self.b.len())) })
    }

    /// Positions an error that is not yet (serde_json's `fix_position`).
    pub(crate) fn fix(&self, e: Error) -> Error {
        Error { at: e.at.or(Some(self.i)), ..e }
    }

    /// Nothing but whitespace may follow the value.
    pub(crate) fn end(&mut self) -> Res<()> {
        match self.ws() {
            Some(_) => self.peek_err("trailing characters"),
            None => Ok(()),
        }
    }

    /// The message with serde_json's ` at line L column C`, and the offset it names.
    pub(crate) fn finish(&self, e: Error) -> (String, usize) {
        let at = e.at.unwrap_or(self.i).min(self.b.len());
        let before = self.b.get(..at).unwrap_or_default();
        let line_start = before.iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1);
        let line = 1 + before.iter().take(line_start).filter(|&&c| c == b'\n').count();
        (format!("{} at line {line} column {}", e.message, at - line_start), at)
    }

    fn ident(&mut self, rest: &[u8]) -> Res<()> {
        for want in rest {
            match self.peek() {
                None => return self.err(EOF_VALUE),
                Some(c) => {
                    self.i += 1;
                    if c != *want {
                        return self.err("expected ident");
                    }
                }
            }
        }
        Ok(())
    }

    /// Enters a container (serde_json's recursion limit of 128).
    fn enter(&mut self) -> Res<()> {
        self.depth -= 1;
        if self.depth == 0 {
            return self.peek_err("recursion limit exceeded");
        }
        self.i += 1;
        Ok(())
    }

    /// A number whose sign was read (serde_json's `parse_integer`).
    #[inline(never)]
    fn number(&mut self, positive: bool) -> Res<Num> {
        let start = self.i;
        let Some(first) = self.peek() else { return self.err(EOF_VALUE) };
        self.i += 1;
        let mut value: Option<u64> = Some(0);
        match first {
            b'0' => {
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return self.peek_err(INVALID_NUMBER);
                }
            }
            b'1'..=b'9' => {
                value = Some(u64::from(first - b'0'));
                while let Some(c @ b'0'..=b'9') = self.peek() {
                    self.i += 1;
                    value = value.and_then(|v| v.checked_mul(10)).and_then(|v| v.checked_add(u64::from(c - b'0')));
                }
            }
            _ => return self.err(INVALID_NUMBER),
        }
        let mut float = value.is_none();
        if self.peek() == Some(b'.') {
            self.i += 1;
            float = true;
            let digits = self.i;
            while let Some(b'0'..=b'9') = self.peek() {
                self.i += 1;
            }
            if self.i == digits {
                return match self.peek() {
                    Some(_) => self.peek_err(INVALID_NUMBER),
                    None => self.peek_err(EOF_VALUE),
                };
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            float = true;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            match self.peek() {
                None => return self.err(EOF_VALUE),
                Some(b'0'..=b'9') => {}
                Some(_) => {
                    self.i += 1;
                    return self.err(INVALID_NUMBER);
                }
            }
            while let Some(b'0'..=b'9') = self.peek() {
                self.i += 1;
            }
        }
        match (float, value) {
            (false, Some(v)) if positive => Ok(Num::U(v)),
            (false, Some(v)) if v != 0 && v <= 1 << 63 => Ok(Num::I((v as i64).wrapping_neg())),
            _ => {
                let text = std::str::from_utf8(self.b.get(start..self.i).unwrap_or_default()).unwrap_or("0");
                // JS's parseFloat on the WebAssembly build (core's parser would add kilobytes).
                #[cfg(target_arch = "wasm32")]
                let f = js_sys::Number::parse_float(text);
                #[cfg(not(target_arch = "wasm32"))]
                let f: f64 = text.parse().unwrap_or(0.0);
                if f.is_infinite() {
                    return self.err("number out of range");
                }
                Ok(Num::F(if positive { f } else { -f }))
            }
        }
    }

    /// A string whose opening quote was read (serde_json's `parse_str`).
    #[inline(never)]
    fn string_body(&mut self) -> Res<String> {
        let mut out: Vec<u8> = Vec::new();
        loop {
            // The run of plain bytes up to the next quote, backslash or control character.
            let rest = self.b.get(self.i..).unwrap_or_default();
            let run = rest.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).unwrap_or(rest.len());
            out.extend_from_slice(rest.get(..run).unwrap_or_default());
            self.i += run;
            let Some(c) = self.peek() else {
                self.i = self.b.len();
                return self.err(EOF_STRING);
            };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => self.escape(&mut out)?,
                c if c < 0x20 => return self.err("control character (\\u0000-\\u001F) found while parsing a string"),
                c => out.push(c),
            }
        }
        match String::from_utf8(out) {
            Ok(s) => Ok(s),
            Err(_) => self.err("invalid unicode code point"),
        }
    }

    fn escape(&mut self, out: &mut Vec<u8>) -> Res<()> {
        let Some(c) = self.peek() else { return self.err(EOF_STRING) };
        self.i += 1;
        let byte = match c {
            b'"' => b'"',
            b'\\' => b'\\',
            b'/' => b'/',
            b'b' => 8,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'u' => return self.unicode_escape(out),
            _ => return self.err("invalid escape"),
        };
        out.push(byte);
        Ok(())
    }

    fn hex4(&mut self) -> Res<u32> {
        let Some(digits) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return self.err(EOF_STRING);
        };
        self.i += 4;
        let mut n = 0;
        for &c in digits {
            let Some(d) = char::from(c).to_digit(16) else { return self.err("invalid escape") };
            n = n * 16 + d;
        }
        Ok(n)
    }

    fn unicode_escape(&mut self, out: &mut Vec<u8>) -> Res<()> {
        let n = self.hex4()?;
        if (0xDC00..=0xDFFF).contains(&n) {
            return self.err("lone leading surrogate in hex escape");
        }
        let code = if (0xD800..=0xDBFF).contains(&n) {
            for want in [b'\\', b'u'] {
                match self.peek() {
                    None => return self.err(EOF_STRING),
                    Some(c) => {
                        self.i += 1;
                        if c != want {
                            return self.err("unexpected end of hex escape");
                        }
                    }
                }
            }
            let n2 = self.hex4()?;
            if !(0xDC00..=0xDFFF).contains(&n2) {
                return self.err("lone leading surrogate in hex escape");
            }
            (((n - 0xD800) << 10) | (n2 - 0xDC00)) + 0x1_0000
        } else {
            n
        };
        let mut buf = [0; 4];
        out.extend_from_slice(char::from_u32(code).unwrap_or('\u{FFFD}').encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    /// serde_json's `peek_invalid_type`: reads the value that is not of the type `expected`.
    #[inline(never)]
    pub(crate) fn invalid_type(&mut self, expected: &str) -> Error {
        let unexpected = match self.peek() {
            Some(b'n') => {
                self.i += 1;
                if let Err(e) = self.ident(b"ull") {
                    return e;
                }
                "null".to_string()
            }
            Some(b't') => {
                self.i += 1;
                if let Err(e) = self.ident(b"rue") {
                    return e;
                }
                "boolean `true`".to_string()
            }
            Some(b'f') => {
                self.i += 1;
                if let Err(e) = self.ident(b"alse") {
                    return e;
                }
                "boolean `false`".to_string()
            }
            Some(c @ (b'-' | b'0'..=b'9')) => {
                if c == b'-' {
                    self.i += 1;
                }
                match self.number(c != b'-') {
                    Ok(n) => unexpected_number(&n),
                    Err(e) => return e,
                }
            }
            Some(b'"') => {
                self.i += 1;
                match self.string_body() {
                    Ok(s) => format!("string {s:?}"),
                    Err(e) => return e,
                }
            }
            Some(b'[') => "sequence".to_string(),
            Some(b'{') => "map".to_string(),
            _ => return Error { message: EXPECTED_VALUE.to_string(), at: Some((self.i + 1).min(self.b.len())) },
        };
        self.fix(custom(format!("invalid type: {unexpected}, expected {expected}")))
    }

    /// The next value's first byte, or serde_json's error at the end of the text.
    fn value_start(&mut self) -> Res<u8> {
        match self.ws() {
            Some(c) => Ok(c),
            None => self.peek_err(EOF_VALUE),
        }
    }

    /// A string (`deserialize_string`).
    #[inline(never)]
    pub(crate) fn string(&mut self) -> Res<String> {
        if self.value_start()? == b'"' {
            self.i += 1;
            let s = self.string_body()?;
            Ok(s)
        } else {
            Err(self.invalid_type("a string"))
        }
    }

    /// A boolean (`deserialize_bool`).
    #[inline(never)]
    pub(crate) fn boolean(&mut self) -> Res<bool> {
        match self.value_start()? {
            b't' => {
                self.i += 1;
                self.ident(b"rue").map(|()| true)
            }
            b'f' => {
                self.i += 1;
                self.ident(b"alse").map(|()| false)
            }
            _ => Err(self.invalid_type("a boolean")),
        }
    }

    /// An unsigned integer of at most `max` (`deserialize_u64`, `deserialize_u16`), `name`
    /// being Rust's name of its type.
    #[inline(never)]
    pub(crate) fn unsigned(&mut self, max: u64, name: &str) -> Res<u64> {
        let c = self.value_start()?;
        let n = match c {
            b'-' => {
                self.i += 1;
                self.number(false)?
            }
            b'0'..=b'9' => self.number(true)?,
            _ => return Err(self.invalid_type(name)),
        };
        match n {
            Num::U(v) if v <= max => Ok(v),
            Num::F(_) => Err(self.fix(custom(format!("invalid type: {}, expected {name}", unexpected_number(&n))))),
            _ => Err(self.fix(custom(format!("invalid value: {}, expected {name}", unexpected_number(&n))))),
        }
    }

    /// `null` (then `true`), or not (`deserialize_option`); reads the `null`.
    #[inline(never)]
    pub(crate) fn null(&mut self) -> Res<bool> {
        if self.ws() == Some(b'n') {
            self.i += 1;
            self.ident(b"ull")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// An object whose members `member` reads, the name of each passed to it
    /// (`deserialize_struct` and `deserialize_map`: `expected` is `struct X` or `a map`). A
    /// struct may also be an array of its `fields` in order, as serde's derive reads it: then
    /// the answer is the error for a member left out (`invalid length`), else `None`. The
    /// caller checks for missing members after it (positioned past the closing bracket, where
    /// serde's error is).
    #[inline(never)]
    pub(crate) fn object(
        &mut self,
        expected: &str,
        fields: &[&str],
        member: &mut dyn FnMut(&mut Self, String) -> Res<()>,
    ) -> Res<Option<String>> {
        match self.value_start()? {
            b'{' => {}
            b'[' if expected.starts_with("struct ") => {
                self.enter()?;
                let mut n = 0;
                let read = self.elements(fields.len(), &mut |j| {
                    let name = fields.get(n).copied().unwrap_or_default();
                    j.seq_member = true;
                    n += 1;
                    member(j, name.to_string())
                });
                self.close(read, Self::end_seq)?;
                return Ok(Some(format!("invalid length {n}, expected {expected} with {} elements", fields.len())));
            }
            _ => return Err(self.invalid_type(expected)),
        }
        self.enter()?;
        let mut first = true;
        let read = (|| {
            while let Some(key) = self.key(&mut first)? {
                member(self, key)?;
            }
            Ok(())
        })();
        self.close(read, Self::end_map).map(|()| None)
    }

    /// A struct (`deserialize_struct` with serde's derived visitor), one reader for every
    /// struct: each member named in `fields` is passed to `member` by its index, past its colon;
    /// another name is serde's `unknown field`, a name given twice `duplicate field` (both
    /// before the colon, as the derive reports them). Then the first of the `required` fields (a
    /// bit per index) not given is `missing field` (`invalid length` for a struct written as an
    /// array), positioned past the closing bracket. One non-generic function with a bit per
    /// field, instead of an `Option` per field and a generic member reader per type, keeps the
    /// module smaller.
    #[inline(never)]
    pub(crate) fn record(
        &mut self,
        expected: &str,
        fields: &[&str],
        required: u32,
        member: &mut dyn FnMut(&mut Self, usize) -> Res<()>,
    ) -> Res<()> {
        let mut seen = 0u32;
        let seq = self.object(expected, fields, &mut |j, key| {
            let Some(i) = fields.iter().position(|f| *f == key) else {
                return Err(custom(unknown("field", &key, fields)));
            };
            if seen >> i & 1 == 1 {
                return Err(custom(format!("duplicate field `{key}`")));
            }
            seen |= 1 << i;
            j.colon()?;
            member(j, i)
        })?;
        match fields.iter().enumerate().find(|&(i, _)| (required & !seen) >> i & 1 == 1) {
            Some((_, name)) => Err(self.fix(custom(seq.unwrap_or_else(|| format!("missing field `{name}`"))))),
            None => Ok(()),
        }
    }

    /// At most `limit` elements of an array whose `[` was read, each read by `element` (a
    /// struct read from an array stops at its last field, as serde's derive does).
    fn elements(&mut self, limit: usize, element: &mut dyn FnMut(&mut Self) -> Res<()>) -> Res<()> {
        let mut first = true;
        let mut n = 0;
        while n < limit && self.element(&mut first)? {
            element(self)?;
            n += 1;
        }
        Ok(())
    }

    /// Leaves a container: its closing bracket (`end`), the first error positioned.
    fn close(&mut self, read: Res<()>, end: fn(&mut Self) -> Res<()>) -> Res<()> {
        self.depth += 1;
        let end = end(self);
        match (read, end) {
            (Ok(()), Ok(())) => Ok(()),
            (Err(e), _) | (_, Err(e)) => Err(self.fix(e)),
        }
    }

    /// Past the comma before a container's next entry (serde_json's `has_next_key` and
    /// `has_next_element`): its first byte, or `None` at the closing `close`.
    fn next_entry(&mut self, first: &mut bool, close: u8, comma_or_end: &str, eof: &str) -> Res<Option<u8>> {
        let peek = match self.ws() {
            Some(c) if c == close => return Ok(None),
            Some(b',') if !*first => {
                self.i += 1;
                self.ws()
            }
            Some(b) if *first => {
                *first = false;
                Some(b)
            }
            Some(_) => return self.peek_err(comma_or_end),
            None => return self.peek_err(eof),
        };
        match peek {
            Some(c) if c == close => self.peek_err("trailing comma"),
            Some(c) => Ok(Some(c)),
            None => self.peek_err(EOF_VALUE),
        }
    }

    /// The next key of an object (serde reads the colon with the value).
    fn key(&mut self, first: &mut bool) -> Res<Option<String>> {
        match self.next_entry(first, b'}', "expected `,` or `}`", EOF_OBJECT)? {
            None => Ok(None),
            Some(b'"') => {
                self.i += 1;
                self.string_body().map(Some)
            }
            Some(_) => self.peek_err("key must be a string"),
        }
    }

    /// The colon before a member's value (none for a struct's member read from an array).
    #[inline(never)]
    pub(crate) fn colon(&mut self) -> Res<()> {
        if std::mem::take(&mut self.seq_member) {
            return Ok(());
        }
        match self.ws() {
            Some(b':') => {
                self.i += 1;
                Ok(())
            }
            Some(_) => self.peek_err("expected `:`"),
            None => self.peek_err(EOF_OBJECT),
        }
    }

    fn end_map(&mut self) -> Res<()> {
        match self.ws() {
            Some(b'}') => {
                self.i += 1;
                Ok(())
            }
            Some(b',') => self.peek_err("trailing comma"),
            Some(_) => self.peek_err("trailing characters"),
            None => self.peek_err(EOF_OBJECT),
        }
    }

    /// Whether an array has another element (serde_json's `has_next_element`).
    fn element(&mut self, first: &mut bool) -> Res<bool> {
        self.next_entry(first, b']', "expected `,` or `]`", EOF_LIST).map(|c| c.is_some())
    }

    fn end_seq(&mut self) -> Res<()> {
        match self.ws() {
            Some(b']') => {
                self.i += 1;
                Ok(())
            }
            Some(b',') => {
                self.i += 1;
                match self.ws() {
                    Some(b']') => self.peek_err("trailing comma"),
                    _ => self.peek_err("trailing characters"),
                }
            }
            Some(_) => self.peek_err("trailing characters"),
            None => self.peek_err(EOF_LIST),
        }
    }

    /// An array whose elements `element` reads (`deserialize_seq`, expected `a sequence`).
    #[inline(never)]
    pub(crate) fn array(&mut self, element: &mut dyn FnMut(&mut Self) -> Res<()>) -> Res<()> {
        if self.value_start()? != b'[' {
            return Err(self.invalid_type("a sequence"));
        }
        self.enter()?;
        let read = self.elements(usize::MAX, element);
        self.close(read, Self::end_seq)
    }

    /// A unit variant of `names` (`deserialize_enum`): `"name"`, or `{"name": null}`.
    #[inline(never)]
    pub(crate) fn variant(&mut self, names: &[&str]) -> Res<usize> {
        match self.ws() {
            Some(b'"') => self.variant_name(names),
            Some(b'{') => {
                self.enter()?;
                let key = match self.ws() {
                    Some(b'"') => Ok(()),
                    Some(b'}') => self.peek_err(EXPECTED_VALUE),
                    Some(_) => self.peek_err("key must be a string"),
                    None => self.peek_err(EOF_OBJECT),
                };
                let read = key.and_then(|()| self.variant_name(names)).and_then(|v| {
                    self.colon()?;
                    if self.value_start()? == b'n' {
                        self.i += 1;
                        self.ident(b"ull")?;
                        Ok(v)
                    } else {
                        Err(self.invalid_type("unit"))
                    }
                });
                self.depth += 1;
                let v = read?;
                match self.ws() {
                    Some(b'}') => {
                        self.i += 1;
                        Ok(v)
                    }
                    Some(_) => self.err(EXPECTED_VALUE),
                    None => self.err(EOF_OBJECT),
                }
            }
            Some(_) => self.peek_err(EXPECTED_VALUE),
            None => self.peek_err(EOF_VALUE),
        }
    }

    fn variant_name(&mut self, names: &[&str]) -> Res<usize> {
        if self.value_start()? != b'"' {
            return Err(self.invalid_type("variant identifier"));
        }
        self.i += 1;
        let name = self.string_body()?;
        names.iter().position(|n| *n == name).ok_or_else(|| self.fix(custom(unknown("variant", &name, names))))
    }

    /// Any value, read as serde's untagged enums read it (`deserialize_any`): `Some` for a
    /// string or an array of strings, `None` for anything else.
    #[inline(never)]
    pub(crate) fn strings(&mut self) -> Res<Option<Result<String, Vec<String>>>> {
        match self.value_start()? {
            b'"' => {
                self.i += 1;
                let s = self.string_body().map_err(|e| self.fix(e))?;
                Ok(Some(Ok(s)))
            }
            b'[' => {
                let mut all: Option<Vec<String>> = Some(Vec::new());
                self.array(&mut |j| {
                    if j.ws() == Some(b'"') {
                        j.i += 1;
                        let s = j.string_body()?;
                        all.iter_mut().for_each(|v| v.push(s.clone()));
                    } else {
                        j.skip()?;
                        all = None;
                    }
                    Ok(())
                })?;
                Ok(all.map(Err))
            }
            _ => self.skip().map(|()| None),
        }
    }

    /// Reads past any value (`deserialize_any` into serde's `Content`).
    #[inline(never)]
    fn skip(&mut self) -> Res<()> {
        let result = match self.value_start()? {
            b'n' => {
                self.i += 1;
                self.ident(b"ull")
            }
            b't' => {
                self.i += 1;
                self.ident(b"rue")
            }
            b'f' => {
                self.i += 1;
                self.ident(b"alse")
            }
            b'-' => {
                self.i += 1;
                self.number(false).map(drop)
            }
            b'0'..=b'9' => self.number(true).map(drop),
            b'"' => {
                self.i += 1;
                self.string_body().map(drop)
            }
            b'[' => self.array(&mut |j| j.skip()),
            b'{' => {
                self.enter()?;
                let mut first = true;
                let read = loop {
                    match self.key(&mut first) {
                        Ok(Some(_)) => {
                            if let Err(e) = self.colon().and_then(|()| self.skip()) {
                                break Err(e);
                            }
                        }
                        Ok(None) => break Ok(()),
                        Err(e) => break Err(e),
                    }
                };
                self.depth += 1;
                let end = self.end_map();
                read.and(end)
            }
            _ => self.peek_err(EXPECTED_VALUE),
        };
        result.map_err(|e| self.fix(e))
    }
}

/// serde's words for a number that is not of the type expected.
fn unexpected_number(n: &Num) -> String {
    match n {
        Num::U(v) => format!("integer `{v}`"),
        Num::I(v) => format!("integer `{v}`"),
        Num::F(v) => format!("floating point `{}`", float_text(*v)),
    }
}

/// serde's `unknown field` / `unknown variant` message.
pub(crate) fn unknown(what: &str, name: &str, names: &[&str]) -> String {
    let list = match names {
        [] => return format!("unknown {what} `{name}`, there are no {what}s"),
        [one] => format!("`{one}`"),
        [a, b] => format!("`{a}` or `{b}`"),
        _ => format!("one of {}", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
    };
    format!("unknown {what} `{name}`, expected {list}")
}

/// A finite `f64` as serde_json writes it in an error (its float writer's layout: `1.5`,
/// `100.0`, `1e+21`, `1e-7`), from the shortest digits that read back as `v`. Those come from
/// JS's `String(v)` in the WebAssembly build (core's float formatting would add 14 KB) and
/// from Rust's `{:e}` natively; both are the shortest round-trip digits.
pub(crate) fn float_text(v: f64) -> String {
    #[cfg(target_arch = "wasm32")]
    let shortest: String = js_sys::Number::from(v.abs()).to_string_with_radix(10).map(String::from).unwrap_or_default();
    #[cfg(not(target_arch = "wasm32"))]
    let shortest = format!("{:e}", v.abs());
    // Digits and the position of the decimal point after the first of them (`kk`).
    let (mantissa, exponent) = match shortest.split_once(['e', 'E']) {
        Some((m, e)) => {
            let digits = e.trim_start_matches(['+', '-']);
            let magnitude = digits.bytes().fold(0i64, |n, d| n * 10 + i64::from(d.wrapping_sub(b'0') % 10));
            (m, if e.starts_with('-') { -magnitude } else { magnitude })
        }
        None => (shortest.as_str(), 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut digits: String = format!("{int}{frac}");
    let mut point = int.len() as i64 + exponent;
    let leading = digits.len() - digits.trim_start_matches('0').len();
    digits.drain(..leading);
    point -= leading as i64;
    let trimmed = digits.trim_end_matches('0').len();
    digits.truncate(trimmed);
    let sign = if v.is_sign_negative() { "-" } else { "" };
    if digits.is_empty() {
        return format!("{sign}0.0");
    }
    let length = digits.len() as i64;
    let exponent = point - 1;
    let text = if (-5..=15).contains(&exponent) {
        if length <= point {
            format!("{digits}{}.0", "0".repeat((point - length) as usize))
        } else if point > 0 {
            let (a, b) = digits.split_at(point as usize);
            format!("{a}.{b}")
        } else {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        }
    } else {
        let (a, b) = digits.split_at(1);
        let sign = if exponent < 0 { '-' } else { '+' };
        let dot = if b.is_empty() { "" } else { "." };
        format!("{a}{dot}{b}e{sign}{}", exponent.abs())
    };
    format!("{sign}{text}")
}
