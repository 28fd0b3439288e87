//! Bootstrap resample counts shared by every sample of one size.
//!
//! A resample of n values is described by how often it draws each position:
//! a row of counts summing to n. Its mean is Σᵢ cᵢxᵢ/n, so the replicates of
//! every sample of size n are one matrix of counts times that sample's values.
//! [`shared`] draws that matrix once per (seed, n, resamples, [`Side`]) and
//! keeps it for the process, and [`CountMatrix::means`] turns it into one
//! sample's replicates with no random draws at all: the replicates of 25,000
//! ten-seed groups cost one matrix product instead of 2.5·10⁹ index draws
//! (`scipy.stats.bootstrap` shares its indices across a vectorised batch the
//! same way).
//!
//! Each sample's replicates are still a bootstrap of that sample alone; only
//! samples that enter one statistic together need independent counts, which is
//! what [`Side`] is for (the two groups of a difference).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use crate::stats::rng;

/// Replicates summed side by side: one count matrix row block holds this many
/// resamples' counts of each position, so a block's sums are lane-wise adds
/// the compiler vectorises.
const LANES: usize = 8;

/// Resamples drawn from one random stream (a multiple of [`LANES`]); fixed,
/// because the counts depend on it.
const CHUNK_RESAMPLES: usize = 256;

/// Largest sample whose counts are shared: one pairwise-summation leaf
/// ([`lane_sum`]), and far more seeds than a study has.
pub const MAX_SHARED_N: usize = 128;

/// Largest matrix kept (n × resamples counts, 4 bytes each: 8 MB).
const MAX_SHARED_CELLS: usize = 1 << 21;

/// Which of two independent matrices of one size a sample takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// A group's own interval, and the treatment's side of a difference: a
    /// group's interval is the same in every command.
    Group,
    /// The baseline's side of a difference, independent of [`Side::Group`]
    /// so the two means of a difference are resampled independently even
    /// when their groups have the same size.
    Baseline,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::Group => "group",
            Side::Baseline => "baseline",
        }
    }
}

/// Whether samples of size `n` take shared counts with `resamples` replicates.
pub fn shares(n: usize, resamples: usize) -> bool {
    (2..=MAX_SHARED_N).contains(&n) && n.saturating_mul(resamples) <= MAX_SHARED_CELLS
}

/// The counts of `resamples` resamples of size `n` on `side` for `seed`,
/// drawn on first use and kept for the process. `None` unless [`shares`].
pub fn shared(seed: u64, n: usize, resamples: usize, side: Side) -> Option<Arc<CountMatrix>> {
    if !shares(n, resamples) {
        return None;
    }
    type Cache = Mutex<HashMap<(u64, usize, usize, Side), Arc<CountMatrix>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let matrix = cache
        .entry((seed, n, resamples, side))
        .or_insert_with(|| Arc::new(CountMatrix::draw(seed, n, resamples, side)));
    Some(Arc::clone(matrix))
}

/// How often each of n positions is drawn in each of `resamples` resamples.
/// Block k holds resamples 8k..8k + 8: position i's counts at `blocks[k·n + i]`,
/// one lane per resample (the last block padded with resamples never read).
/// Counts are f32, exact up to 2²⁴ and half the memory traffic of f64: a
/// ten-seed matrix of 10,000 resamples (400 KB) stays in a core's L2 cache
/// while group after group is multiplied by it.
#[derive(Debug)]
pub struct CountMatrix {
    n: usize,
    resamples: usize,
    blocks: Vec<[f32; LANES]>,
}

impl CountMatrix {
    /// Resample r draws n positions with [`rng::Stream::index`] from the stream
    /// of chunk r / [`CHUNK_RESAMPLES`], so the counts are the same for any
    /// thread count.
    fn draw(seed: u64, n: usize, resamples: usize, side: Side) -> CountMatrix {
        let key = rng::stream_key(&["resample counts", &n.to_string(), side.name()]);
        let mut blocks = vec![[0.0f32; LANES]; resamples.div_ceil(LANES) * n];
        let positions = n as u32; // n ≤ MAX_SHARED_N
        let chunk = CHUNK_RESAMPLES / LANES * n;
        rng::fill_in_chunks(&mut blocks, chunk, seed, key, |stream, slots| {
            for block in slots.chunks_exact_mut(n) {
                // a lane is one resample: a column across the block's rows
                #[allow(clippy::needless_range_loop)]
                for lane in 0..LANES {
                    for _ in 0..n {
                        block[stream.index(positions) as usize][lane] += 1.0;
                    }
                }
            }
        });
        CountMatrix {
            n,
            resamples,
            blocks,
        }
    }

    /// The bootstrap replicates of the mean of `x` (of length n): replicate r
    /// is Σᵢ cᵣᵢxᵢ/n summed in numpy's pairwise order over i, so a resample
    /// that draws every value once gives exactly `describe::mean(x)` and ties
    /// with θ̂ are counted in BCa's z₀ as scipy counts them.
    pub fn means(&self, x: &[f64]) -> Vec<f64> {
        assert_eq!(
            x.len(),
            self.n,
            "a count matrix resamples samples of its size"
        );
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2, checked just above.
            return unsafe { self.means_avx2(x) };
        }
        self.means_of(x)
    }

    /// [`CountMatrix::means`] compiled for AVX2: four lanes an instruction
    /// instead of SSE2's two. The same multiplications and additions in the
    /// same order (Rust never fuses them), so the same bits on every machine.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn means_avx2(&self, x: &[f64]) -> Vec<f64> {
        self.means_of(x)
    }

    #[inline(always)]
    fn means_of(&self, x: &[f64]) -> Vec<f64> {
        let mut out = Vec::with_capacity(self.blocks.len() / self.n * LANES);
        let n = self.n as f64;
        for block in self.blocks.chunks_exact(self.n) {
            out.extend(lane_sum(block, x).map(|sum| sum / n));
        }
        out.truncate(self.resamples);
        out
    }
}

/// Per lane, Σᵢ counts[i]·x[i] for x.len() ≤ 128 in the order of
/// `describe::pairwise_sum` (fewer than 8 terms left to right; else 8 running
/// sums combined as ((r₀+r₁)+(r₂+r₃))+((r₄+r₅)+(r₆+r₇)), the rest added after).
#[inline(always)]
fn lane_sum(counts: &[[f32; LANES]], x: &[f64]) -> [f64; LANES] {
    let term = |i: usize| counts[i].map(|c| f64::from(c) * x[i]);
    let n = x.len();
    if n < 8 {
        return (0..n).fold([0.0; LANES], |sum, i| add(sum, term(i)));
    }
    let mut r: [[f64; LANES]; 8] = std::array::from_fn(term);
    let whole = n - n % 8;
    for block in (8..whole).step_by(8) {
        for (j, slot) in r.iter_mut().enumerate() {
            *slot = add(*slot, term(block + j));
        }
    }
    let sum = add(
        add(add(r[0], r[1]), add(r[2], r[3])),
        add(add(r[4], r[5]), add(r[6], r[7])),
    );
    (whole..n).fold(sum, |sum, i| add(sum, term(i)))
}

#[inline(always)]
fn add(a: [f64; LANES], b: [f64; LANES]) -> [f64; LANES] {
    std::array::from_fn(|l| a[l] + b[l])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::describe;

    #[test]
    fn every_resample_draws_n_positions_and_the_sides_differ() {
        let group = shared(5, 10, 1000, Side::Group).unwrap();
        let baseline = shared(5, 10, 1000, Side::Baseline).unwrap();
        for matrix in [&group, &baseline] {
            for block in matrix.blocks.chunks_exact(10) {
                for lane in 0..LANES {
                    let total: f32 = block.iter().map(|c| c[lane]).sum();
                    assert_eq!(total, 10.0);
                }
            }
        }
        assert_ne!(group.blocks, baseline.blocks);
        // kept for the process: the same matrix on the next call
        assert!(Arc::ptr_eq(
            &group,
            &shared(5, 10, 1000, Side::Group).unwrap()
        ));
        // another seed, another matrix
        assert_ne!(
            group.blocks,
            shared(6, 10, 1000, Side::Group).unwrap().blocks
        );
    }

    #[test]
    fn means_are_the_pairwise_sums_of_the_resampled_values() {
        let x: Vec<f64> = (0..23).map(|i| (f64::from(i) * 0.37).sin()).collect();
        let matrix = CountMatrix::draw(1, x.len(), 37, Side::Group);
        let means = matrix.means(&x);
        assert_eq!(means.len(), 37);
        // the AVX2 build (where the CPU has it) and the portable one agree bit for bit
        let portable: Vec<u64> = matrix.means_of(&x).iter().map(|m| m.to_bits()).collect();
        assert_eq!(
            means.iter().map(|m| m.to_bits()).collect::<Vec<_>>(),
            portable
        );
        for (r, &mean) in means.iter().enumerate() {
            let block = &matrix.blocks[r / LANES * x.len()..][..x.len()];
            let want =
                describe::pairwise_sum(x.len(), &mut |i| f64::from(block[i][r % LANES]) * x[i])
                    / x.len() as f64;
            assert_eq!(mean.to_bits(), want.to_bits());
        }
        // a resample drawing every value once is exactly the sample mean
        let ones = CountMatrix {
            n: x.len(),
            resamples: 1,
            blocks: vec![[1.0; LANES]; x.len()],
        };
        assert_eq!(
            ones.means(&x)[0].to_bits(),
            describe::mean(&x).unwrap().to_bits()
        );
    }

    #[test]
    fn counts_are_uniform_multinomial() {
        // each position's count is Binomial(n, 1/n): mean 1, variance 1 − 1/n
        let n = 10;
        let matrix = CountMatrix::draw(9, n, 20_000, Side::Group);
        for i in 0..n {
            let counts: Vec<f64> = matrix
                .blocks
                .chunks_exact(n)
                .flat_map(|block| block[i].map(f64::from))
                .collect();
            let mean = describe::mean(&counts).unwrap();
            let var = describe::variance(&counts, 1).unwrap();
            let se = (0.9 / counts.len() as f64).sqrt();
            assert!((mean - 1.0).abs() < 5.0 * se, "position {i}: mean {mean}");
            assert!((var - 0.9).abs() < 0.05, "position {i}: variance {var}");
        }
    }

    #[test]
    fn only_small_samples_share() {
        assert!(shares(2, 10_000) && shares(128, 10_000));
        assert!(!shares(1, 10_000) && !shares(129, 10_000));
        assert!(!shares(100, 100_000));
        assert!(shared(1, 500, 100, Side::Group).is_none());
    }
}
