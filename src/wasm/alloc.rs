//! The module's heap: small blocks come from per-size free lists kept in front of the standard
//! allocator (dlmalloc on `wasm32-unknown-unknown`), the rest from it directly.
//!
//! A run allocates about 118 blocks and frees as many; in the module dlmalloc's `malloc` and
//! `free` (with their bin searches, splits and merges) took about a sixth of a `simulate`
//! call's time, where glibc's thread cache serves the same blocks natively in a few
//! instructions. A freed block of at most [`MAX_SMALL`] bytes goes onto the list of its size
//! class (multiples of 8) and the next request of that class takes it back: a push and a pop.
//! Blocks of up to [`MAX_LARGE`] bytes have classes too, one per power of two (512, 1024, 2048,
//! 4096: a run's list of steps, its result's text, a timeline's vectors), where dlmalloc's
//! large-chunk trees cost a few hundred instructions a block. Blocks on a list never return to
//! dlmalloc, so the heap holds at most the peak of each class's live blocks (a run's are freed
//! when its timeline is dropped).
//!
//! The module runs on one thread (`wasm32-unknown-unknown` without the `atomics` feature), so
//! the lists need no lock.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::ptr::null_mut;

/// Blocks of at most this many bytes (and alignment at most [`ALIGN`]) are kept on free lists
/// of 8-byte steps.
const MAX_SMALL: usize = 256;
/// The size classes' step, and the alignment every block of dlmalloc has on `wasm32`.
const ALIGN: usize = 8;
const SMALL_CLASSES: usize = MAX_SMALL / ALIGN;
/// Blocks over [`MAX_SMALL`] and of at most this many bytes are kept on lists of powers of two.
const MAX_LARGE: usize = 4096;
/// `2 * MAX_SMALL` (the first large class) is `1 << LARGE_SHIFT`.
const LARGE_SHIFT: u32 = (2 * MAX_SMALL).trailing_zeros();
const CLASSES: usize = SMALL_CLASSES + (MAX_LARGE.trailing_zeros() - LARGE_SHIFT + 1) as usize;

/// The head of each class's list of free blocks; a free block's first word is the next one's address.
struct Lists([Cell<*mut u8>; CLASSES]);

// SAFETY: the module has a single thread (see the module docs); nothing else can reach the lists.
unsafe impl Sync for Lists {}

static FREE: Lists = Lists([const { Cell::new(null_mut()) }; CLASSES]);

/// The allocator of the module (see the module docs).
pub(crate) struct SmallLists;

#[global_allocator]
static HEAP: SmallLists = SmallLists;

/// The class of a `layout` of at most [`MAX_LARGE`] bytes: blocks of [`class_size`] bytes; `None`
/// for other layouts.
#[inline]
fn class(layout: Layout) -> Option<usize> {
    let size = layout.size();
    if layout.align() > ALIGN {
        return None;
    }
    if size <= MAX_SMALL {
        return Some(size.max(1).div_ceil(ALIGN) - 1);
    }
    (size <= MAX_LARGE).then(|| SMALL_CLASSES + (size.next_power_of_two().trailing_zeros() - LARGE_SHIFT) as usize)
}

/// The bytes of a block of `class`.
#[inline]
fn class_size(class: usize) -> usize {
    if class < SMALL_CLASSES {
        (class + 1) * ALIGN
    } else {
        (2 * MAX_SMALL) << (class - SMALL_CLASSES)
    }
}

/// The layout dlmalloc is asked for a block of `class`.
#[inline]
fn class_layout(class: usize) -> Layout {
    // `class_size` is at most MAX_LARGE and ALIGN a power of two: never the fallback.
    Layout::from_size_align(class_size(class), ALIGN).unwrap_or(Layout::new::<u64>())
}

// SAFETY: every block handed out is at least `layout.size()` bytes aligned to `layout.align()`
// (a class block is `class_size(class) >= size` bytes from dlmalloc, 8-aligned); a block comes back
// to the list of the class it was taken for (the caller passes the same layout, or one of the same
// class through `realloc`), and only free blocks are on the lists.
unsafe impl GlobalAlloc for SmallLists {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(c) = class(layout) else {
            return unsafe { System.alloc(layout) };
        };
        let head = FREE.0[c].get();
        if head.is_null() {
            return unsafe { System.alloc(class_layout(c)) };
        }
        // SAFETY: `head` is a free block of this class, whose first word links the next.
        FREE.0[c].set(unsafe { head.cast::<*mut u8>().read() });
        head
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        match class(layout) {
            Some(c) => {
                // SAFETY: `ptr` is a block of this class the caller no longer uses, 8-aligned and
                // at least 8 bytes: its first word holds the link.
                unsafe { ptr.cast::<*mut u8>().write(FREE.0[c].get()) };
                FREE.0[c].set(ptr);
            }
            None => unsafe { System.dealloc(ptr, layout) },
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if class(layout).is_none() {
            return unsafe { System.alloc_zeroed(layout) };
        }
        let ptr = unsafe { self.alloc(layout) };
        if !ptr.is_null() {
            unsafe { ptr.write_bytes(0, layout.size()) };
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY (the caller's): `new_size` rounded up to `layout.align()` does not overflow.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        match (class(layout), class(new)) {
            (Some(a), Some(b)) if a == b => ptr,
            (None, None) => unsafe { System.realloc(ptr, layout, new_size) },
            _ => {
                let out = unsafe { self.alloc(new) };
                if !out.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                out
            }
        }
    }
}
