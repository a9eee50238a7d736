//! The result layout of `parseReferTo`'s fast path (`__referTo` in [`super::refer_to`], read by
//! `referToFast` in `pkg/decode.js`): a [`ReferTo`](sip::ReferTo) as bytes in wasm memory, its
//! fields in the order of the JS object, texts that are slices of an ASCII value as offsets into it.
//! Free of wasm-bindgen, so examples/bench_parsers_profile.rs counts its instructions natively.

use crate::sip;

/// Writes a [`ReferTo`](sip::ReferTo) for `referToFast` in `pkg/decode.js`. Numbers are LEB128
/// (7 bits a byte, least significant first). The result is
/// ```text
/// result = pool-start:u32le pool-bytes:u32le form display-name uri params transfer-target
///          uui custom-headers replaces warnings  pool
/// str    = 0 (null) | 1 start len (a slice of the value, ASCII values only) | 2 len (the pool's next text)
/// uri    = scheme:byte user password host (str each) port (0, or 1 n) params headers
/// params = n (name:str value:str)*          headers = n (name:str value:str)*
/// transfer-target = lead trail             (spaces and tabs cut from each end of the value)
/// uui    = 0 | 1 value encoding purpose content
/// custom-headers = n index*                (indexes into the URI's headers)
/// replaces = 0 | 1 call-id to-tag from-tag early-only:byte
/// warnings = n (code:str offset message:str tag:str)*
/// ```
/// `form` is 0 for name-addr, 1 for addr-spec; `scheme` 0 sip, 1 sips, 2 tel. The pool is UTF-8,
/// decoded once; `len` of a pool text counts UTF-16 units.
pub(crate) struct FastWriter<'a> {
    out: &'a mut Vec<u8>,
    pool: &'a mut Vec<u8>,
    /// The value, when ASCII (byte offsets are then UTF-16 offsets); else texts go to the pool.
    ascii: Option<&'a [u8]>,
    /// Where the last slice ended: the next field is usually found from there.
    cursor: usize,
}

impl FastWriter<'_> {
    /// `r`, parsed from `text`, into `out` (its pool built in `pool`); both are cleared first.
    pub(crate) fn write(r: &sip::ReferTo, text: &str, out: &mut Vec<u8>, pool: &mut Vec<u8>) {
        out.clear();
        pool.clear();
        out.extend_from_slice(&[0; 8]);
        let mut w = FastWriter { out, pool, ascii: text.is_ascii().then_some(text.as_bytes()), cursor: 0 };
        w.num(match r.form {
            sip::Form::NameAddr => 0,
            sip::Form::AddrSpec => 1,
        });
        w.opt(r.display_name.as_deref());
        let uri = &r.uri;
        w.num(match uri.scheme {
            sip::Scheme::Sip => 0,
            sip::Scheme::Sips => 1,
            _ => 2,
        });
        w.opt(uri.user.as_deref());
        w.opt(uri.password.as_deref());
        match &uri.host {
            Some(sip::Host::Domain(d)) => w.str(d),
            Some(host) => w.str(&host.to_string()),
            None => w.num(0),
        }
        match uri.port {
            Some(port) => {
                w.num(1);
                w.num(port.into());
            }
            None => w.num(0),
        }
        w.params(&uri.params);
        w.num(uri.headers.len());
        for h in &uri.headers {
            w.str(&h.name);
            w.str(&h.value);
        }
        w.params(&r.params);
        let target = r.transfer_target();
        let lead = r.raw.len() - r.raw.trim_start_matches([' ', '\t']).len();
        w.num(lead);
        w.num(r.raw.len() - lead - target.len());
        match r.uui() {
            Some(u) => {
                w.num(1);
                w.str(&u.value);
                w.opt(u.encoding.as_deref());
                w.opt(u.purpose.as_deref());
                w.opt(u.content.as_deref());
            }
            None => w.num(0),
        }
        w.num(r.custom_headers().count());
        for c in r.custom_headers() {
            w.num(uri.headers.iter().position(|h| std::ptr::eq(h, c)).unwrap_or(0));
        }
        match r.replaces() {
            Some(x) => {
                w.num(1);
                w.str(&x.call_id);
                w.opt(x.to_tag.as_deref());
                w.opt(x.from_tag.as_deref());
                w.num(usize::from(x.early_only));
            }
            None => w.num(0),
        }
        w.num(r.warnings.len());
        for warning in &r.warnings {
            w.pooled(warning.code.as_str());
            w.num(warning.offset);
            w.pooled(&warning.message);
            w.pooled(warning.tag.as_str());
        }
        let (start, bytes) = (w.out.len() as u32, w.pool.len() as u32);
        if let Some(header) = w.out.get_mut(..8) {
            header.copy_from_slice(&(u64::from(start) | u64::from(bytes) << 32).to_le_bytes());
        }
        w.out.extend_from_slice(w.pool);
    }

    fn num(&mut self, mut n: usize) {
        while n >= 0x80 {
            self.out.push(0x80 | (n & 0x7F) as u8);
            n >>= 7;
        }
        self.out.push(n as u8);
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.num(0),
        }
    }

    fn params(&mut self, params: &[sip::Param]) {
        self.num(params.len());
        for p in params {
            self.str(&p.name);
            self.opt(p.value.as_deref());
        }
    }

    /// `s` as a slice of the value when it occurs there (from the cursor on, else anywhere:
    /// any occurrence is the same text), else as the pool's next text.
    fn str(&mut self, s: &str) {
        if let Some(value) = self.ascii {
            let needle = s.as_bytes();
            // Fields are written in the order of the value, one delimiter apart ("user@host", ";name=value").
            let next = self.cursor + 1;
            let found = if value.get(next..next + needle.len()) == Some(needle) {
                Some(next)
            } else {
                find(value, needle, self.cursor).or_else(|| find(value, needle, 0))
            };
            if let Some(at) = found {
                self.num(1);
                self.num(at);
                self.num(s.len());
                self.cursor = at + s.len();
                return;
            }
        }
        self.pooled(s);
    }

    /// `s` as the pool's next text (a text that is not in the value, such as a message).
    fn pooled(&mut self, s: &str) {
        self.num(2);
        self.num(crate::compact_format::units(s) as usize);
        self.pool.extend_from_slice(s.as_bytes());
    }
}

/// Where `needle` first occurs in `hay` at or after `from`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let Some(&first) = needle.first() else {
        return Some(from.min(hay.len()));
    };
    let mut i = from;
    loop {
        let at = i + hay.get(i..)?.iter().position(|&b| b == first)?;
        if hay.get(at..at + needle.len()) == Some(needle) {
            return Some(at);
        }
        i = at + 1;
    }
}
