//! Byte spans and the line/column lookup that turns them into positions a
//! person can find in an editor.
//!
//! Every parser in the crate reports byte offsets; [`LineIndex`] converts them
//! to 1-based lines and columns (columns count Unicode scalar values, as
//! editors do) only when a diagnostic is shown.
//!
//! A byte order mark (U+FEFF) that starts the text is 3 bytes of every offset after it (offsets
//! count bytes of the text as given) but no column: editors hide it, so the first character
//! after it is column 1, as it is in the same text without the mark.

// Diagnostics of any input go through here: no indexing, slicing or unwrap that could panic.
#![deny(clippy::indexing_slicing, clippy::string_slice, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::Serialize;

/// A half-open byte range `start..end` into the parsed input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end` (swapped if given backwards).
    pub fn new(start: usize, end: usize) -> Self {
        if start <= end {
            Span { start, end }
        } else {
            Span { start: end, end: start }
        }
    }

    /// An empty span at `offset`.
    pub fn at(offset: usize) -> Self {
        Span { start: offset, end: offset }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A human position: 1-based line and column, plus the byte offset it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, counted in Unicode scalar values (a byte order mark that starts the
    /// text is not counted).
    pub column: usize,
    /// 0-based byte offset into the input.
    pub offset: usize,
}

/// Bytes per checkpoint of the character count: a lookup counts at most this many bytes.
const CHUNK: usize = 256;

/// True for a byte that starts a UTF-8 character (anything but a `10xxxxxx` continuation),
/// so the characters before a boundary are the starting bytes before it.
fn starts_char(b: &u8) -> bool {
    (b & 0xC0) != 0x80
}

/// Precomputed line starts and character counts of a text, for offset → line/column lookups.
///
/// Built in one pass; each lookup is a binary search over the line starts plus a count of at
/// most [`CHUNK`] bytes, so locating many diagnostics is linear in their number even when they
/// all sit on one long line (counting from the line start for each one was quadratic).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// `chars_at_chunk[k]`: the characters that start before byte `k * CHUNK`.
    chars_at_chunk: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Index the line starts of `text` (`\n`, `\r\n` and lone `\r` end a line).
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        let mut chars_at_chunk = Vec::with_capacity(bytes.len() / CHUNK + 1);
        let mut chars = 0;
        for (i, b) in bytes.iter().enumerate() {
            if i % CHUNK == 0 {
                chars_at_chunk.push(chars);
            }
            match b {
                b'\n' => line_starts.push(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => line_starts.push(i + 1),
                _ => {}
            }
            chars += usize::from(starts_char(b));
        }
        if bytes.len() % CHUNK == 0 {
            chars_at_chunk.push(chars); // the checkpoint of the end itself
        }
        LineIndex { text, line_starts, chars_at_chunk }
    }

    /// The characters that start before byte `offset` (at most the text's length).
    fn chars_before(&self, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        let counted = self.chars_at_chunk.get(chunk).copied().unwrap_or(0);
        let rest = self.text.as_bytes().get(chunk * CHUNK..offset).unwrap_or(&[]);
        counted + rest.iter().filter(|b| starts_char(b)).count()
    }

    /// The characters that start in `start..end`: counted directly on a short line,
    /// from the checkpoints on a long one.
    fn chars_between(&self, start: usize, end: usize) -> usize {
        if end.saturating_sub(start) <= CHUNK {
            let bytes = self.text.as_bytes().get(start..end).unwrap_or(&[]);
            return bytes.iter().filter(|b| starts_char(b)).count();
        }
        self.chars_before(end).saturating_sub(self.chars_before(start))
    }

    /// The position of byte `offset`; offsets past the end clamp to the end,
    /// and an offset inside a multi-byte character points at that character.
    /// A byte order mark that starts the text is no column (see the module docs).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        // The first line starts at 0 <= offset, so at least one start qualifies.
        let line = self.line_starts.partition_point(|&start| start <= offset).saturating_sub(1);
        let start = self.line_starts.get(line).copied().unwrap_or(0);
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        let bom = line == 0 && end > 0 && self.text.starts_with('\u{FEFF}');
        let column = self.chars_between(start, end) + 1 - usize::from(bom);
        Position { line: line + 1, column, offset }
    }
}
