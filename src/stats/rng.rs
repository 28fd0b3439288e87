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

    /// Uniform in [0, 1) with 53 random bits: (x >> 11)·2⁻⁵³.
    #[inline]
    pub fn unit(&mut self) -> f64 {
        (self.state.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// A draw of Binomial(n, p) by inversion, the outcomes visited from the
    /// mode outwards (m, m + 1, m − 1, m + 2, …) with the pmf carried by its
    /// ratios, so a draw costs O(√(npq)) steps (Kachitvichyanukul & Schmeiser
    /// 1988 call it inversion from the mode). pmf(m) takes `libm`'s `lgamma`,
    /// `log1p` and `exp`: pure Rust, so the draws are the same on every
    /// machine (std's `ln`/`exp` go to the platform's libm). The rounding of
    /// pmf(m), about 1e-9 relative for n near 10⁶, is the only departure
    /// from the exact distribution. `p` outside (0, 1) gives 0 or n.
    pub fn binomial(&mut self, n: u64, p: f64) -> u64 {
        if n == 0 || p <= 0.0 {
            return 0;
        }
        if p >= 1.0 {
            return n;
        }
        if p > 0.5 {
            return n - self.binomial(n, 1.0 - p);
        }
        let (nf, q) = (n as f64, 1.0 - p);
        let mode = (((nf + 1.0) * p).floor() as u64).min(n);
        let mf = mode as f64;
        let ln_pmf = libm::lgamma(nf + 1.0) - libm::lgamma(mf + 1.0) - libm::lgamma(nf - mf + 1.0)
            + mf * libm::log(p)
            + (nf - mf) * libm::log1p(-p);
        let odds = p / q;
        let at_mode = libm::exp(ln_pmf);
        let mut u = self.unit();
        if u < at_mode {
            return mode;
        }
        u -= at_mode;
        let (mut up, mut up_pmf) = (mode, at_mode);
        let (mut down, mut down_pmf) = (mode, at_mode);
        // Past 1e-30 on both sides the mass left is below any rounding of u.
        while up_pmf > 1e-30 || down_pmf > 1e-30 {
            if up < n {
                up_pmf *= (n - up) as f64 / (up + 1) as f64 * odds;
                up += 1;
                if u < up_pmf {
                    return up;
                }
                u -= up_pmf;
            } else {
                up_pmf = 0.0;
            }
            if down > 0 {
                down_pmf *= down as f64 / (n - down + 1) as f64 / odds;
                down -= 1;
                if u < down_pmf {
                    return down;
                }
                u -= down_pmf;
            } else {
                down_pmf = 0.0;
            }
        }
        // u beyond the summed mass by rounding alone (probability ~1e-16)
        mode
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

#[cfg(test)]
mod tests {
    use super::*;
    use statrs::distribution::{Binomial, DiscreteCDF};

    /// The Kolmogorov distance of `draws` Binomial(n, p) draws from the exact
    /// CDF stays below 1.95/√N (the 0.1% critical value; conservative for a
    /// discrete law), and mean and variance within 5 standard errors.
    fn assert_binomial(n: u64, p: f64, draws: usize) {
        let mut stream = stream(7, stream_key(&["binomial", &n.to_string()]), 0);
        let mut counts = vec![0usize; n as usize + 1];
        let (mut sum, mut sum_sq) = (0.0, 0.0);
        for _ in 0..draws {
            let k = stream.binomial(n, p);
            assert!(k <= n);
            counts[k as usize] += 1;
            sum += k as f64;
            sum_sq += (k as f64).powi(2);
        }
        let exact = Binomial::new(p, n).unwrap();
        let mut cumulative = 0usize;
        let mut distance: f64 = 0.0;
        for (k, c) in counts.iter().enumerate() {
            cumulative += c;
            let empirical = cumulative as f64 / draws as f64;
            distance = distance.max((empirical - exact.cdf(k as u64)).abs());
        }
        assert!(
            distance < 1.95 / (draws as f64).sqrt(),
            "n {n} p {p}: KS {distance}"
        );
        let mean = sum / draws as f64;
        let var = sum_sq / draws as f64 - mean * mean;
        let (mu, sigma2) = (n as f64 * p, n as f64 * p * (1.0 - p));
        assert!(
            (mean - mu).abs() < 5.0 * (sigma2 / draws as f64).sqrt(),
            "mean {mean} vs {mu}"
        );
        // var of the sample variance ≈ 2σ⁴/N for a near-normal law
        assert!(
            (var - sigma2).abs() < 5.0 * sigma2 * (2.0 / draws as f64).sqrt() + 1e-9,
            "var {var} vs {sigma2}"
        );
    }

    #[test]
    fn binomial_draws_follow_the_binomial_law() {
        for (n, p) in [
            (1, 0.5),
            (7, 0.9),
            (10, 0.3),
            (50, 0.5),
            (1000, 0.01),
            (1000, 0.999),
            (200_000, 0.37),
        ] {
            assert_binomial(n, p, 100_000);
        }
    }

    #[test]
    fn binomial_edges_are_exact() {
        let mut s = stream(1, 2, 3);
        assert_eq!(s.binomial(0, 0.4), 0);
        assert_eq!(s.binomial(10, 0.0), 0);
        assert_eq!(s.binomial(10, 1.0), 10);
        let draws: Vec<u64> = (0..1000).map(|_| s.binomial(3, 1e-300)).collect();
        assert!(draws.iter().all(|&k| k == 0));
    }

    #[test]
    fn binomial_draws_are_the_same_for_a_stream() {
        let draw = || -> Vec<u64> {
            let mut s = stream(42, 9, 1);
            (0..100).map(|_| s.binomial(200_000, 0.25)).collect()
        };
        assert_eq!(draw(), draw());
    }
}
