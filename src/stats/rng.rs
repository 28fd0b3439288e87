//! Portable seeded random streams.
//!
//! Every random number in xreport comes from a stream named by three numbers:
//! the user's `--seed`, a `key` naming the task (see [`stream_key`]), and a
//! `chunk` index that splits one task's work into fixed-size pieces. Work is
//! split per task and chunk, never per thread, so the numbers are the same for
//! any thread count; nothing depends on `usize` width or on the standard
//! library's hasher, so they are the same on any machine and Rust version.
//!
//! A stream is xoshiro256++ (Blackman & Vigna 2021) started from a state drawn
//! from ChaCha8 keyed by `(seed, key)` with `chunk` as the nonce: ChaCha gives
//! every chunk a well-separated starting point, xoshiro makes the billions of
//! draws of a bootstrap cheap (about 4 cycles per index here, its state held
//! in registers by [`Stream::fill_indices`]).

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_xoshiro::Xoshiro256PlusPlus;
use rayon::prelude::*;

const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// Stable 64-bit key of a task name given as parts (e.g. metric, baseline,
/// treatment): FNV-1a 64 over the UTF-8 bytes of the parts with one 0 byte
/// between consecutive parts (offset basis 0xcbf29ce484222325, prime
/// 0x100000001b3).
///
/// Unlike `std`'s `DefaultHasher`, FNV-1a is fixed by its definition, so a key
/// never changes across Rust versions or machines. `[]` and `[""]` both hash
/// to the offset basis; `["a", "b"]` and `["ab"]` differ.
pub fn stream_key(parts: &[&str]) -> u64 {
    let mut hash = FNV_OFFSET_BASIS;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hash = fnv1a_byte(hash, 0);
        }
        hash = part.bytes().fold(hash, fnv1a_byte);
    }
    hash
}

fn fnv1a_byte(hash: u64, byte: u8) -> u64 {
    (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
}

/// The ChaCha8 stream of one `(seed, key, chunk)`, which seeds [`Stream`].
///
/// The 256-bit ChaCha key is `seed` and `key` as little-endian bytes followed by
/// 16 zero bytes, and `chunk` is the 64-bit stream (nonce): distinct
/// `(seed, key)` pairs get distinct cipher keys, and the chunks of one task are
/// disjoint streams of the same key.
pub fn chacha(seed: u64, key: u64, chunk: u64) -> ChaCha8Rng {
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&key.to_le_bytes());
    let mut rng = ChaCha8Rng::from_seed(bytes);
    rng.set_stream(chunk);
    rng
}

/// The random stream of one `(seed, key, chunk)`: xoshiro256++ whose 256-bit
/// state is the first 32 bytes of [`chacha`]`(seed, key, chunk)`.
#[derive(Debug, Clone)]
pub struct Stream {
    state: Xoshiro256PlusPlus,
    /// The low half of the last 64-bit output, not yet used.
    spare: Option<u32>,
}

/// Fill `out` in parallel, `chunk_len` values at a time, chunk c from
/// [`stream`]`(seed, key, c)`. The work is split per chunk, never per thread,
/// so `out` is the same for any thread count: every seeded resampling loop
/// goes through here.
pub fn fill_in_chunks<T: Send>(
    out: &mut [T],
    chunk_len: usize,
    seed: u64,
    key: u64,
    fill: impl Fn(&mut Stream, &mut [T]) + Sync,
) {
    out.par_chunks_mut(chunk_len)
        .enumerate()
        .for_each(|(chunk, slots)| fill(&mut stream(seed, key, chunk as u64), slots));
}

/// The [`Stream`] of one `(seed, key, chunk)`.
pub fn stream(seed: u64, key: u64, chunk: u64) -> Stream {
    let mut state = [0u8; 32];
    chacha(seed, key, chunk).fill_bytes(&mut state);
    Stream {
        state: Xoshiro256PlusPlus::from_seed(state),
        spare: None,
    }
}

impl Stream {
    /// The next uniform 32-bit word: the high half of a xoshiro256++ output,
    /// then its low half (all 64 bits of `++` pass BigCrush).
    #[inline(always)]
    pub fn next_u32(&mut self) -> u32 {
        if let Some(low) = self.spare.take() {
            return low;
        }
        let word = self.state.next_u64();
        self.spare = Some(word as u32);
        (word >> 32) as u32
    }

    /// Uniform integer in `0..n` without bias, by Lemire's multiply-and-reject
    /// method ("Fast random integer generation in an interval", ACM TOMACS
    /// 2019): the high 32 bits of `r·n` for a uniform 32-bit `r`, redrawing `r`
    /// when the low 32 bits fall below `2³² mod n`.
    ///
    /// Uses only 32-bit draws and 64-bit products, so the sequence is the same
    /// on 32- and 64-bit machines. There is no index when `n = 0`; it returns
    /// 0 without drawing more than once, and callers pass `n ≥ 1`.
    #[inline(always)]
    pub fn index(&mut self, n: u32) -> u32 {
        let mut product = u64::from(self.next_u32()) * u64::from(n);
        if (product as u32) < n {
            let threshold = n.wrapping_neg() % n;
            while (product as u32) < threshold {
                product = u64::from(self.next_u32()) * u64::from(n);
            }
        }
        (product >> 32) as u32
    }

    /// Fill `out` with indices `0..n` ([`Stream::index`]). The stream's state
    /// is worked on in a local copy, so it stays in registers rather than
    /// being reloaded around every store to `out`.
    pub fn fill_indices(&mut self, n: u32, out: &mut [u32]) {
        let mut local = self.clone();
        for slot in out {
            *slot = local.index(n);
        }
        *self = local;
    }
}
