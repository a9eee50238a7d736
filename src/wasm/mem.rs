//! `memcmp` (and `bcmp`) for the module: eight bytes a step instead of one.
//!
//! On `wasm32-unknown-unknown` the standard library's comparisons of byte slices and strings
//! (`==`, `Ord`, `starts_with`, matching a key) end in `memcmp`, which the target takes from
//! `compiler_builtins`: a loop of one byte a step (its definitions are weak, so these win the
//! link). A `simulate` call through WASM compares about 1,400 bytes that way (about 8,500 of its
//! instructions under V8); natively glibc's vectorised `memcmp` does it in a few hundred.
//!
//! Same results as the byte loop: 0 when equal, else the difference of the first two bytes that
//! differ (as unsigned bytes). The words are read unaligned (`i64.load` with `align=1`: no trap,
//! one instruction in V8 on x64 and arm64). The module runs on one thread with no pointer
//! provenance games: a word read from within each slice's `n` bytes stays inside it.
#![allow(unsafe_code)]

/// The first difference of `a` and `b` over `n` bytes, as C's `memcmp`.
///
/// # Safety
/// `a` and `b` are valid for reads of `n` bytes (C's contract).
#[no_mangle]
pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    let mut i = 0;
    while i + 8 <= n {
        // SAFETY: `i + 8 <= n`: both words lie inside the caller's `n` bytes.
        let (x, y) = unsafe { (a.add(i).cast::<u64>().read_unaligned(), b.add(i).cast::<u64>().read_unaligned()) };
        if x != y {
            // Little-endian: the lowest differing bit lies in the first differing byte.
            let shift = (x ^ y).trailing_zeros() & !7;
            return i32::from((x >> shift) as u8) - i32::from((y >> shift) as u8);
        }
        i += 8;
    }
    while i < n {
        // SAFETY: `i < n`.
        let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
        if x != y {
            return i32::from(x) - i32::from(y);
        }
        i += 1;
    }
    0
}

/// Zero when the `n` bytes of `a` and `b` are equal (what `==` on slices asks); `memcmp`'s result.
///
/// # Safety
/// As [`memcmp`].
#[no_mangle]
pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
    // SAFETY: the caller's contract is memcmp's.
    unsafe { memcmp(a, b, n) }
}
