//! Byte offsets to editor positions: the lookup every diagnostic goes through.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

use refer_sim::{LineIndex, Span};

#[test]
fn positions_follow_lines_and_characters() {
    let text = "ab\ncé\r\nx\ry";
    let idx = LineIndex::new(text);
    // (byte offset, line, column)
    #[rustfmt::skip]
    let cases = [
        (0, 1, 1),
        (2, 1, 3),
        (3, 2, 1),
        (4, 2, 2),  // the é
        (5, 2, 2),  // inside the two-byte é: points at the é
        (6, 2, 3),  // after the é (before \r)
        (8, 3, 1),  // after \r\n
        (10, 4, 1), // after a lone \r
        (11, 4, 2), // the end
        (99, 4, 2), // clamped to the end
    ];
    for (offset, line, column) in cases {
        let p = idx.position(offset);
        assert_eq!((p.line, p.column), (line, column), "offset {offset}");
    }
}

#[test]
fn span_orders_its_ends() {
    assert_eq!(Span::new(5, 2), Span { start: 2, end: 5 });
    assert_eq!(Span::at(3).len(), 0);
    assert!(Span::at(3).is_empty());
}

/// The position the simple way: count the characters from the line start (the old lookup).
fn reference(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    // A "\r\n" pair ends one line: an offset between its two bytes is still on the first line.
    let line_start = if line_start > 0 && before.ends_with('\r') && text[end..].starts_with('\n') {
        before[..line_start - 1].rfind(['\n', '\r']).map_or(0, |i| i + 1)
    } else {
        line_start
    };
    let breaks = before.match_indices(['\n', '\r']).filter(|(i, s)| !(*s == "\r" && text[i + 1..].starts_with('\n'))).count();
    (breaks + 1, text[line_start..end].chars().count() + 1)
}

#[test]
fn every_offset_of_long_mixed_lines_matches_counting_from_the_line_start() {
    // Lines longer than the index's 256-byte checkpoints, with 1-, 2-, 3- and 4-byte characters
    // straddling them, and every kind of line end.
    let long = "aé€😀".repeat(40);
    let texts = [
        long.clone(),
        format!("{long}\n{long}\r\n{long}\r{long}"),
        format!("x\r\n\r\n{long}\n"),
        "é".repeat(300),
        String::new(),
        "\n".repeat(3),
    ];
    for text in &texts {
        let idx = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            let p = idx.position(offset);
            assert_eq!((p.line, p.column), reference(text, offset), "offset {offset} of a {}-byte text", text.len());
        }
    }
}

/// 64k positions on one 400 kB line cost about what they cost on 64k short lines (counting
/// from the line start made it quadratic: 2 s against 2 ms in release).
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn many_positions_on_one_long_line_are_linear() {
    let one_line = "<Foo/>".repeat(65_536);
    let many_lines = "<Foo/>\n".repeat(65_536);
    let (one_index, many_index) = (LineIndex::new(&one_line), LineIndex::new(&many_lines));
    let time = |idx: &LineIndex, len: usize| {
        let t = std::time::Instant::now();
        let sum: usize = (0..len).step_by(6).map(|o| idx.position(o).column).sum();
        assert!(sum > 0);
        t.elapsed()
    };
    // Interleaved, best of five each: a busy machine slows both sides alike.
    let (mut one, mut many) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..5 {
        one = one.min(time(&one_index, one_line.len()));
        many = many.min(time(&many_index, many_lines.len()));
    }
    // Linear by construction, a lookup on the long line still counts up to CHUNK bytes where a
    // short line counts 6, so the ratio is about 10 on an idle machine and went past it under
    // load; quadratic counting makes it over 1,000. The bound tells the two apart with room.
    assert!(one < many * 100, "one line {one:?}, many lines {many:?}");
}
