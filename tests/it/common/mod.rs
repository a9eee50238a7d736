//! What several test files share: the native tests of the compact formats (tests/it/compact_results.rs,
//! tests/it/twiml_compact.rs) a reader of the formats' primitives (src/compact_format.rs) that
//! follows pkg/decode.js, over a result's UTF-16 code units (what JS indexes); the property
//! tests over the engine (tests/it/transfer_props.rs, tests/it/run_detail.rs) their random
//! scenarios ([`scenarios`]).
#![allow(dead_code)] // each test file uses what it needs

#[cfg(not(target_arch = "wasm32"))] // proptest does not run on wasm32
pub mod scenarios;

/// A result's UTF-16 code units and how many of them have been read.
pub struct Units {
    /// The result, as JS holds it.
    pub units: Vec<u16>,
    /// The next unit to read.
    pub i: usize,
}

impl Units {
    /// `result`, read from its start.
    pub fn new(result: &str) -> Self {
        Units { units: result.encode_utf16().collect(), i: 0 }
    }

    /// The next unit, read.
    pub fn next(&mut self) -> u16 {
        self.i += 1;
        self.units[self.i - 1]
    }

    /// The next unit, not read.
    pub fn peek(&self) -> u16 {
        self.units[self.i]
    }

    /// Whether the whole result has been read.
    pub fn done(&self) -> bool {
        self.i == self.units.len()
    }

    /// A number: 6-bit digits, least significant first, each but the last with `0x40` set.
    pub fn num(&mut self) -> u64 {
        let (mut n, mut scale) = (0u64, 1u64);
        loop {
            let c = u64::from(self.next());
            if c < 0x40 {
                return n + c * scale;
            }
            assert!(c < 0x80, "a digit is ASCII");
            n += (c & 0x3F) * scale;
            scale *= 0x40;
        }
    }

    /// A text: its length in UTF-16 units, then its units.
    pub fn text(&mut self) -> String {
        let n = self.num() as usize;
        let t = String::from_utf16(&self.units[self.i..self.i + n]).expect("whole UTF-16 text");
        self.i += n;
        t
    }
}

/// Lets a format's reader (a struct whose field `u` holds the [`Units`]) read the primitives
/// as its own methods: `self.num()`, `self.text()`, `self.i`.
#[macro_export]
macro_rules! reads_units {
    ($reader:ty) => {
        impl std::ops::Deref for $reader {
            type Target = common::Units;
            fn deref(&self) -> &common::Units {
                &self.u
            }
        }
        impl std::ops::DerefMut for $reader {
            fn deref_mut(&mut self) -> &mut common::Units {
                &mut self.u
            }
        }
    };
}
