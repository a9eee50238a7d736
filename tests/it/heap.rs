//! The module's heap (src/wasm/alloc.rs: free lists per 8-byte size class up to 256 bytes and
//! per power of two up to 4,096 in front of dlmalloc) under a long, seeded mix of allocations,
//! growths, shrinks and frees of every size around the class edges and of over-aligned values:
//! every live block keeps its bytes, and no two live blocks overlap. On wasm32 this binary runs
//! with that allocator (the crate's module declares it); natively it runs with the system's,
//! where it must hold as well.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// A value aligned past the lists' 8 bytes: such layouts go to dlmalloc whatever their size.
#[derive(Clone, Copy, PartialEq, Debug)]
#[repr(align(16))]
struct Wide([u8; 16]);

/// xorshift64*: the same sequence on every target.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// A size near a class edge (0, 1, 7, 8, 9, …, 255, 256, 257; 511, 512, 513, …, 4095, 4096,
    /// 4097: the lists of powers of two) or anywhere up to 600 bytes, now and then 5,000.
    fn size(&mut self) -> usize {
        match self.below(8) {
            0..=3 => {
                let edge = 8 * self.below(33);
                (edge + self.below(3)).saturating_sub(1)
            }
            4 => (256 << (1 + self.below(4))) + self.below(3) - 1,
            5 => self.below(5_001),
            _ => self.below(601),
        }
    }
}

/// The bytes a block with this tag and length holds.
fn filled(tag: u8, len: usize) -> Vec<u8> {
    (0..len).map(|i| tag.wrapping_add(i as u8)).collect()
}

fn intact(v: &[u8], tag: u8) -> bool {
    v.iter().enumerate().all(|(i, &b)| b == tag.wrapping_add(i as u8))
}

#[test]
fn live_blocks_keep_their_bytes_through_growth_shrink_and_reuse() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut live: Vec<(Vec<u8>, u8)> = Vec::new();
    let mut wide: Vec<Box<[Wide]>> = Vec::new();
    for round in 0..20_000u32 {
        let tag = round as u8;
        match rng.below(6) {
            // A new block, sized exactly (a Vec of that capacity asks for that layout).
            0 | 1 => {
                let len = rng.size();
                let mut v = Vec::with_capacity(len);
                v.extend_from_slice(&filled(tag, len));
                live.push((v, tag));
            }
            // Grow one across classes (realloc to another class or out of the small ones).
            2 if !live.is_empty() => {
                let i = rng.below(live.len());
                let (v, t) = &mut live[i];
                let more = rng.size();
                let at = v.len();
                v.reserve_exact(more);
                v.extend((0..more).map(|k| t.wrapping_add((at + k) as u8)));
            }
            // Shrink one (realloc within or down to a smaller class).
            3 if !live.is_empty() => {
                let i = rng.below(live.len());
                let (v, _) = &mut live[i];
                let keep = rng.below(v.len() + 1);
                v.truncate(keep);
                v.shrink_to_fit();
            }
            // Free one from anywhere in the list (blocks return to their class out of order).
            4 if !live.is_empty() => {
                let i = rng.below(live.len());
                let (v, t) = live.swap_remove(i);
                assert!(intact(&v, t), "round {round}: a block of {} bytes changed before it was freed", v.len());
            }
            // Over-aligned values, small and large.
            _ => {
                if wide.len() > 40 || (!wide.is_empty() && rng.below(2) == 0) {
                    let w = wide.swap_remove(rng.below(wide.len()));
                    assert!(
                        w.iter().enumerate().all(|(i, x)| *x == Wide([i as u8; 16])),
                        "round {round}: an aligned block changed"
                    );
                } else {
                    let n = rng.below(20);
                    let w: Box<[Wide]> = (0..n).map(|i| Wide([i as u8; 16])).collect();
                    assert!(
                        w.is_empty() || w.as_ptr() as usize % 16 == 0,
                        "round {round}: a 16-aligned block at {:p}",
                        w.as_ptr()
                    );
                    wide.push(w);
                }
            }
        }
        if live.len() > 300 {
            let (v, t) = live.swap_remove(0);
            assert!(intact(&v, t), "round {round}: a block changed");
        }
        // Now and then, every live block: its bytes, and no overlap with another.
        if round % 1_000 == 999 {
            let mut spans: Vec<(usize, usize)> = Vec::new();
            for (v, t) in &live {
                assert!(intact(v, *t), "round {round}: a live block of {} bytes changed", v.len());
                if v.capacity() > 0 {
                    spans.push((v.as_ptr() as usize, v.as_ptr() as usize + v.capacity()));
                }
            }
            spans.sort_unstable();
            for pair in spans.windows(2) {
                assert!(pair[0].1 <= pair[1].0, "round {round}: blocks {:x?} and {:x?} overlap", pair[0], pair[1]);
            }
        }
    }
    for (v, t) in &live {
        assert!(intact(v, *t));
    }
}

/// Zeroed blocks (`vec![0; n]` asks for zeroed memory) are zero even when their class's list
/// hands back a block that held other bytes.
#[test]
fn zeroed_blocks_are_zero_when_reused() {
    for len in [1usize, 7, 8, 9, 64, 255, 256, 257] {
        for _ in 0..3 {
            drop(vec![0xa5u8; len]);
            let z = vec![0u8; len];
            assert!(z.iter().all(|&b| b == 0), "{len} bytes");
        }
    }
}
