//! The global allocator: mimalloc 2 through its C interface.
//!
//! The `mimalloc` crate calls the aligned functions (`mi_malloc_aligned`, …) for every
//! allocation. Nearly every allocation here asks for 8 bytes of alignment or less, which every
//! block of mimalloc has (its blocks are whole words), so those go to the plain functions: about
//! half the instructions per allocation, and a tenth of a folder check's allocations are spent
//! there. Larger alignments keep the aligned functions.

use libmimalloc_sys as ffi;
use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// Alignment every block of mimalloc has (`MI_INTPTR_SIZE` on 64-bit systems; the size of a
/// pointer on any).
const WORD: usize = std::mem::size_of::<usize>();

pub struct MiMalloc;

// SAFETY: each function keeps GlobalAlloc's contract by calling mimalloc's own: the plain ones
// only where `layout.align()` is at most a word, which all of mimalloc's blocks are aligned to.
unsafe impl GlobalAlloc for MiMalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe {
            if layout.align() <= WORD {
                ffi::mi_malloc(layout.size()) as *mut u8
            } else {
                ffi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        unsafe {
            if layout.align() <= WORD {
                ffi::mi_zalloc(layout.size()) as *mut u8
            } else {
                ffi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { ffi::mi_free(ptr as *mut c_void) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        unsafe {
            if layout.align() <= WORD {
                ffi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8
            } else {
                ffi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_have_the_alignment_asked_for_and_keep_their_bytes() {
        let a = MiMalloc;
        for size in [1usize, 3, 8, 12, 24, 40, 100, 1000, 5000, 70_000, 1 << 21] {
            for align in [1usize, 2, 4, 8, 16, 32, 64, 4096] {
                let l = Layout::from_size_align(size, align).unwrap();
                unsafe {
                    let p = a.alloc(l);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    p.write_bytes(0xAB, size);
                    let q = a.realloc(p, l, size * 3);
                    assert_eq!(q as usize % align, 0, "realloc: size {size} align {align}");
                    assert!((0..size).all(|i| *q.add(i) == 0xAB));
                    a.dealloc(q, Layout::from_size_align(size * 3, align).unwrap());
                    let z = a.alloc_zeroed(l);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| *z.add(i) == 0));
                    a.dealloc(z, l);
                }
            }
        }
    }
}
