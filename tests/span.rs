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
