//! Bootstrap confidence intervals of means and mean differences, defined as
//! `scipy.stats.bootstrap` (two-sided; methods percentile, basic and BCa).
//!
//! Replicates are computed in chunks of [`CHUNK_RESAMPLES`] resamples, chunk
//! `c` drawing from `rng::stream(seed, key, c)` ([`rng::fill_in_chunks`]), so the
//! replicates are bit-identical for any thread count. Samples of up to 128
//! values (seeds) share one matrix of resample counts per size
//! ([`resample_counts`]); larger ones draw their own indices, or their own
//! multinomial counts when they have few distinct values. A resample's values
//! are never copied. A difference of independent means reuses each group's
//! replicates ([`mean_diff_ci_of_replicates`]), the baseline's drawn on the
//! other side of the shared counts, so a group is resampled at most twice per
//! command.

use serde::{Deserialize, Serialize};
use statrs::function::erf::{erfc, erfc_inv};

use crate::stats::describe;
use crate::stats::resample_counts::{self, Side};
use crate::stats::rng;

/// Resamples drawn from one random stream. Fixed (not derived from the thread
/// count) because the replicates, and so every interval, depend on it.
pub const CHUNK_RESAMPLES: usize = 256;

/// Indices drawn ahead of summing, per thread (u32s: 256 KB).
const INDEX_BUFFER: usize = 1 << 16;

const DEGENERATE_NOTE: &str =
    "all values are equal: no variation to resample, the interval is the point itself";

/// How a bootstrap interval is formed from the replicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CiMethod {
    /// Quantiles α/2 and 1 − α/2 of the replicates.
    Percentile,
    /// The percentile interval reflected about the estimate: 2θ̂ − q(1 − α/2), 2θ̂ − q(α/2).
    Basic,
    /// Bias-corrected and accelerated (Efron 1987; Efron & Tibshirani 1993, §14.3).
    Bca,
}

impl CiMethod {
    /// The method's name as used on the command line and in outputs.
    pub fn name(self) -> &'static str {
        match self {
            CiMethod::Percentile => "percentile",
            CiMethod::Basic => "basic",
            CiMethod::Bca => "bca",
        }
    }
}

/// Settings of one bootstrap: number of resamples, two-sided confidence level
/// in (0, 1), interval method and the user's seed.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapConfig {
    pub resamples: usize,
    pub confidence: f64,
    pub method: CiMethod,
    pub seed: u64,
}

/// A confidence interval; `note` says when it is not the plain bootstrap
/// interval (degenerate data, BCa undefined, no resamples).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
    pub note: Option<String>,
}

impl Interval {
    fn point(value: f64, note: &str) -> Self {
        Interval {
            lo: value,
            hi: value,
            note: Some(note.to_owned()),
        }
    }
}

/// Bootstrap CI of the mean of `x`, as `scipy.stats.bootstrap((x,), np.mean,
/// method=..., confidence_level=...)`: each replicate is the mean of `n` values
/// drawn with replacement ([`mean_replicates`]).
///
/// `key` names the task's random stream ([`rng::stream_key`]). `None` when
/// n < 2, a value is not finite, n exceeds `u32::MAX`, `resamples` is 0 or
/// `confidence` is not in (0, 1). All values equal: the point itself with a
/// note (scipy gives NaN).
pub fn mean_ci(x: &[f64], cfg: &BootstrapConfig, key: u64) -> Option<Interval> {
    mean_ci_of_replicates(x, mean_replicates(x, cfg, key)?, cfg)
}

/// [`mean_ci`] from replicates already drawn by [`mean_replicates`] with the
/// same `x` and `cfg` (a command that also needs them for a difference draws
/// them once).
pub fn mean_ci_of_replicates(
    x: &[f64],
    replicates: Vec<f64>,
    cfg: &BootstrapConfig,
) -> Option<Interval> {
    sample_size(x)?;
    let theta_hat = describe::mean(x)?;
    if !usable(cfg) {
        return None;
    }
    if all_equal(x) {
        return Some(Interval::point(theta_hat, DEGENERATE_NOTE));
    }
    finish(theta_hat, replicates, cfg, || mean_acceleration(x))
}

/// Bootstrap CI of mean(treatment) − mean(baseline) from independent samples,
/// as `scipy.stats.bootstrap((treatment, baseline), lambda t, b, axis:
/// t.mean(axis) - b.mean(axis))`: each group is resampled on its own, and BCa
/// takes its acceleration from the jackknife over both samples
/// ([`mean_diff_acceleration`]).
///
/// Replicate r is treatment's r-th resampled mean minus baseline's: the
/// treatment's replicates are those [`mean_ci`] draws for it
/// ([`mean_replicates`] with `treatment_key`), the baseline's are
/// [`baseline_mean_replicates`] with `baseline_key`. Independent resamples
/// make this the two-sample bootstrap, and a command that reports both the
/// groups' intervals and the difference draws the treatments once
/// ([`mean_diff_ci_of_replicates`]).
///
/// `None` when either group has n < 2 (or as [`mean_ci`]). Both groups
/// constant: the point difference with a note.
pub fn mean_diff_ci(
    baseline: &[f64],
    treatment: &[f64],
    cfg: &BootstrapConfig,
    baseline_key: u64,
    treatment_key: u64,
) -> Option<Interval> {
    mean_diff_ci_of_replicates(
        baseline,
        treatment,
        &baseline_mean_replicates(baseline, cfg, baseline_key)?,
        &mean_replicates(treatment, cfg, treatment_key)?,
        cfg,
    )
}

/// [`mean_diff_ci`] from the baseline's [`baseline_mean_replicates`] and the
/// treatment's [`mean_replicates`] (same `cfg`, distinct keys).
pub fn mean_diff_ci_of_replicates(
    baseline: &[f64],
    treatment: &[f64],
    baseline_replicates: &[f64],
    treatment_replicates: &[f64],
    cfg: &BootstrapConfig,
) -> Option<Interval> {
    sample_size(baseline)?;
    sample_size(treatment)?;
    let theta_hat = describe::mean(treatment)? - describe::mean(baseline)?;
    if !usable(cfg) || baseline_replicates.len() != treatment_replicates.len() {
        return None;
    }
    if all_equal(baseline) && all_equal(treatment) {
        return Some(Interval::point(theta_hat, DEGENERATE_NOTE));
    }
    let replicates = treatment_replicates
        .iter()
        .zip(baseline_replicates)
        .map(|(t, b)| t - b)
        .collect();
    finish(theta_hat, replicates, cfg, || {
        mean_diff_acceleration(baseline, treatment)
    })
}

/// Settings a bootstrap can run with: some resamples, confidence in (0, 1).
fn usable(cfg: &BootstrapConfig) -> bool {
    cfg.resamples > 0 && cfg.confidence > 0.0 && cfg.confidence < 1.0
}

/// The interval of `cfg.method`, computing the acceleration only for BCa.
fn finish(
    theta_hat: f64,
    mut replicates: Vec<f64>,
    cfg: &BootstrapConfig,
    acceleration: impl FnOnce() -> Option<f64>,
) -> Option<Interval> {
    let a = match cfg.method {
        CiMethod::Bca => acceleration()?,
        CiMethod::Percentile | CiMethod::Basic => 0.0,
    };
    Some(interval_from_replicates(
        theta_hat,
        &mut replicates,
        cfg.confidence,
        cfg.method,
        a,
    ))
}

/// Paired bootstrap CI of mean(treatment − baseline): rows are resampled
/// jointly, as `scipy.stats.bootstrap(..., paired=True)`, which is the
/// one-sample bootstrap of the differences dᵢ = treatmentᵢ − baselineᵢ
/// ([`mean_ci`] of d; the jackknife over rows gives the same acceleration).
///
/// `None` when the lengths differ or as [`mean_ci`]. All differences equal:
/// the point with a note.
pub fn paired_mean_diff_ci(
    baseline: &[f64],
    treatment: &[f64],
    cfg: &BootstrapConfig,
    key: u64,
) -> Option<Interval> {
    if baseline.len() != treatment.len() {
        return None;
    }
    let diffs: Vec<f64> = treatment.iter().zip(baseline).map(|(t, b)| t - b).collect();
    mean_ci(&diffs, cfg, key)
}

/// The two-sided interval at `confidence` from bootstrap `replicates` of an
/// estimate `theta_hat`, as `scipy.stats.bootstrap` forms it. With α = (1 −
/// confidence)/2 and q(p) the linear-interpolated quantile of the replicates
/// (`scipy.stats.quantile`, method "linear"):
/// - percentile: [q(α), q(1 − α)];
/// - basic: [2θ̂ − q(1 − α), 2θ̂ − q(α)];
/// - BCa: [q(α₁), q(α₂)] with z₀ = Φ⁻¹(p̂), p̂ = (#{θ* < θ̂} + #{θ* ≤ θ̂})/(2B)
///   (scipy's `_percentile_of_score`, "mean" kind), and
///   αᵢ = Φ(z₀ + (z₀ + zᵢ)/(1 − a(z₀ + zᵢ))) for z₁ = Φ⁻¹(α), z₂ = −z₁, where `a`
///   is the `acceleration` (scipy's `_bca_interval`).
///
/// Reusable for any statistic (e.g. a stratified bootstrap of the IQM). The
/// replicates must be finite and are reordered (partially sorted);
/// `confidence` is in (0, 1) (quantile levels are clamped to [0, 1]). Edge cases, where scipy returns
/// NaN: no replicates → the point with a note; BCa with z₀ infinite (every
/// replicate on one side of θ̂) or αᵢ undefined → the percentile interval with a
/// note.
pub fn interval_from_replicates(
    theta_hat: f64,
    replicates: &mut [f64],
    confidence: f64,
    method: CiMethod,
    acceleration: f64,
) -> Interval {
    if replicates.is_empty() {
        return Interval::point(
            theta_hat,
            "no bootstrap resamples: the interval is the point",
        );
    }
    let alpha = (1.0 - confidence) / 2.0;
    match method {
        CiMethod::Percentile => quantile_interval(replicates, alpha, 1.0 - alpha, None),
        CiMethod::Basic => {
            let q = quantile_interval(replicates, alpha, 1.0 - alpha, None);
            Interval {
                lo: 2.0 * theta_hat - q.hi,
                hi: 2.0 * theta_hat - q.lo,
                note: None,
            }
        }
        CiMethod::Bca => match bca_levels(theta_hat, replicates, alpha, acceleration) {
            Some((a1, a2)) => quantile_interval(replicates, a1, a2, None),
            None => quantile_interval(
                replicates,
                alpha,
                1.0 - alpha,
                Some(
                    "BCa undefined (every replicate on one side of the estimate): percentile interval",
                ),
            ),
        },
    }
}

/// BCa quantile levels (α₁, α₂), or `None` when they are undefined.
fn bca_levels(theta_hat: f64, replicates: &[f64], alpha: f64, a: f64) -> Option<(f64, f64)> {
    let (below, at_or_below) = replicates.iter().fold((0, 0), |(below, at), &r| {
        (
            below + usize::from(r < theta_hat),
            at + usize::from(r <= theta_hat),
        )
    });
    let share = (below + at_or_below) as f64 / (2 * replicates.len()) as f64;
    let z0 = ndtri(share);
    if !z0.is_finite() {
        return None;
    }
    let z_alpha = ndtri(alpha);
    let level = |z: f64| {
        let num = z0 + z;
        ndtr(z0 + num / (1.0 - a * num))
    };
    let (a1, a2) = (level(z_alpha), level(-z_alpha));
    (a1.is_finite() && a2.is_finite()).then_some((a1, a2))
}

/// [q(p_lo), q(p_hi)] of the replicates (p_lo ≤ p_hi), by selection rather
/// than a full sort. Both ends are usually in the tails, so both come from
/// one pass that keeps only the values beyond two thresholds ([`rank_pairs`]):
/// at B = 10,000 about 30 µs of a 25,000-group summary (measured from a
/// profile) where sorting alone takes 455, which matters with tens of
/// thousands of groups.
fn quantile_interval(replicates: &mut [f64], p_lo: f64, p_hi: f64, note: Option<&str>) -> Interval {
    let n = replicates.len();
    let (lo, hi) = (Position::of(p_lo, n), Position::of(p_hi, n));
    let (lo_pair, hi_pair) = rank_pairs(replicates, lo.rank, hi.rank);
    Interval {
        lo: lo.interpolate(lo_pair),
        hi: hi.interpolate(hi_pair),
        note: note.map(str::to_owned),
    }
}

/// Where the linear-interpolated `p`-quantile of n sorted values falls (the
/// formula of [`describe::quantile_sorted`]; `p` clamped to [0, 1]): between
/// ranks `rank` and `rank + 1`, `frac` of the way.
struct Position {
    rank: usize,
    frac: f64,
}

impl Position {
    fn of(p: f64, n: usize) -> Position {
        let pos = p.clamp(0.0, 1.0) * (n - 1) as f64;
        let rank = pos.floor() as usize;
        Position {
            rank,
            frac: pos - rank as f64,
        }
    }

    fn interpolate(&self, (at, next): (f64, f64)) -> f64 {
        if self.frac == 0.0 {
            return at;
        }
        at + (next - at) * self.frac
    }
}

/// Replicates in the strided sample that locates a tail.
const TAIL_SAMPLE: usize = 256;

thread_local! {
    /// Room for both tails of a slice, kept by each thread from one interval
    /// to the next.
    static TAIL_SCRATCH: std::cell::RefCell<Vec<f64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The values of ascending ranks (`k_lo`, `k_lo + 1`) and (`k_hi`, `k_hi + 1`)
/// in `total_cmp` order (+∞ for a rank past the last), `k_lo ≤ k_hi`.
///
/// A rank in the lower or upper eighth of a large slice is found among the
/// few values beyond a threshold read off a sorted strided sample, a few
/// standard errors past the rank's share: one pass collects both tails. Any
/// other rank, or one whose tail the sample misjudged, takes a selection
/// over the whole slice (which reorders it). Same values either way.
fn rank_pairs(values: &mut [f64], k_lo: usize, k_hi: usize) -> ((f64, f64), (f64, f64)) {
    let n = values.len();
    let mut low_tail = None;
    let mut high_tail = None;
    if n >= 8 * TAIL_SAMPLE {
        let stride = n / TAIL_SAMPLE;
        let mut sample: Vec<f64> = (0..TAIL_SAMPLE).map(|i| values[i * stride]).collect();
        let mut sample_at = |rank: usize| *sample.select_nth_unstable_by(rank, f64::total_cmp).1;
        // the sample's rank a few standard errors past the share of rank j + 1
        let sample_rank = |j: usize| {
            let share = (j + 2) as f64 / n as f64;
            let margin = 4.0 * (TAIL_SAMPLE as f64 * share * (1.0 - share)).sqrt() + 2.0;
            ((share * TAIL_SAMPLE as f64 + margin).ceil() as usize).min(TAIL_SAMPLE - 1)
        };
        // the high end's ranks counted from the top
        let k_top = (k_hi + 1 < n).then(|| n - 2 - k_hi);
        let lo_threshold = (k_lo + 2 <= n / 8).then(|| sample_at(sample_rank(k_lo)));
        let hi_threshold = k_top
            .filter(|&j| j + 2 <= n / 8)
            .map(|j| sample_at(TAIL_SAMPLE - 1 - sample_rank(j)));
        let (lo_t, hi_t) = (
            lo_threshold.unwrap_or(f64::NEG_INFINITY),
            hi_threshold.unwrap_or(f64::INFINITY),
        );
        TAIL_SCRATCH.with_borrow_mut(|scratch| {
            scratch.resize(2 * (n + 1), 0.0);
            let (low, high) = scratch.split_at_mut(n + 1);
            // Branch-free: every value is written, and a tail's end moves past
            // it only when it is kept (rare, and unpredictable to a branch).
            let (mut lows, mut highs) = (0, 0);
            for &v in values.iter() {
                low[lows] = v;
                lows += usize::from(v <= lo_t);
                high[highs] = v;
                highs += usize::from(v >= hi_t);
            }
            // Every value ≤ the threshold is kept: the smallest of them are the
            // smallest overall (and likewise the largest above the other).
            if lo_threshold.is_some() && lows >= k_lo + 2 {
                low_tail = Some(at_and_next(&mut low[..lows], k_lo, f64::total_cmp));
            }
            if let (Some(_), Some(j)) = (hi_threshold, k_top)
                && highs >= j + 2
            {
                let (top, below) = at_and_next(&mut high[..highs], j, |a, b| b.total_cmp(a));
                high_tail = Some((below, top));
            }
        });
    }
    let lo = low_tail.unwrap_or_else(|| at_and_next(values, k_lo, f64::total_cmp));
    let hi = high_tail.unwrap_or_else(|| at_and_next(values, k_hi, f64::total_cmp));
    (lo, hi)
}

/// The values of rank `k` and `k + 1` in the order `cmp` (+∞ past the last
/// for ascending order), by one selection that reorders `values`.
fn at_and_next(
    values: &mut [f64],
    k: usize,
    cmp: impl Fn(&f64, &f64) -> std::cmp::Ordering,
) -> (f64, f64) {
    let (_, &mut at, after) = values.select_nth_unstable_by(k, &cmp);
    let next = after
        .iter()
        .copied()
        .reduce(|m, v| if cmp(&v, &m).is_lt() { v } else { m });
    (at, next.unwrap_or(f64::INFINITY))
}

/// Jackknife acceleration of any statistic of one or more independent samples,
/// as scipy's `_bca_interval`: for each sample j and each leave-one-out θ̂ⱼ₍ᵢ₎
/// (the other samples whole), Uⱼᵢ = (nⱼ − 1)(θ̄ⱼ − θ̂ⱼ₍ᵢ₎) and
/// a = Σⱼ(ΣᵢUⱼᵢ³/nⱼ³) / (6·(Σⱼ ΣᵢUⱼᵢ²/nⱼ²)^{3/2}).
///
/// Costs Σⱼ nⱼ evaluations of `statistic` on copies; for means use the closed
/// forms [`mean_acceleration`] and [`mean_diff_acceleration`]. `None` when a
/// sample has fewer than 2 values or all jackknife values are equal (scipy:
/// NaN), or the result is not finite.
pub fn jackknife_acceleration(
    samples: &[&[f64]],
    statistic: impl Fn(&[&[f64]]) -> f64,
) -> Option<f64> {
    let mut moments = Vec::with_capacity(samples.len());
    for (j, sample) in samples.iter().enumerate() {
        if sample.len() < 2 {
            return None;
        }
        let mut held_out = Vec::with_capacity(sample.len() - 1);
        let theta: Vec<f64> = (0..sample.len())
            .map(|i| {
                held_out.clear();
                held_out.extend_from_slice(&sample[..i]);
                held_out.extend_from_slice(&sample[i + 1..]);
                let mut view = samples.to_vec();
                view[j] = &held_out;
                statistic(&view)
            })
            .collect();
        let n = theta.len() as f64;
        let theta_dot = describe::mean(&theta)?;
        let u: Vec<f64> = theta.iter().map(|t| (n - 1.0) * (theta_dot - t)).collect();
        moments.push(influence_moments(&u));
    }
    acceleration_from_moments(&moments)
}

/// Jackknife acceleration of the mean, in closed form: leaving out xᵢ gives
/// Uᵢ = xᵢ − x̄, so a = Σ(xᵢ − x̄)³ / (6·(Σ(xᵢ − x̄)²)^{3/2}). Equals
/// [`jackknife_acceleration`] of the mean (and scipy's `_bca_interval`) in
/// O(n). `None` when n < 2 or all values are equal.
pub fn mean_acceleration(x: &[f64]) -> Option<f64> {
    acceleration_from_moments(&[mean_influence_moments(x, 1.0)?])
}

/// Jackknife acceleration of mean(treatment) − mean(baseline) over both
/// samples, in closed form: Uᵢ = tᵢ − t̄ for the treatment and −(bᵢ − b̄) for
/// the baseline, combined as in [`jackknife_acceleration`]. `None` when a
/// group has n < 2 or both groups are constant.
pub fn mean_diff_acceleration(baseline: &[f64], treatment: &[f64]) -> Option<f64> {
    acceleration_from_moments(&[
        mean_influence_moments(treatment, 1.0)?,
        mean_influence_moments(baseline, -1.0)?,
    ])
}

/// (ΣU³/n³, ΣU²/n²) of one sample's jackknife influence values.
fn influence_moments(u: &[f64]) -> (f64, f64) {
    let n = u.len() as f64;
    let cubes: f64 = u.iter().map(|v| v * v * v).sum();
    let squares: f64 = u.iter().map(|v| v * v).sum();
    (cubes / (n * n * n), squares / (n * n))
}

/// [`influence_moments`] of a mean entering the statistic with `sign`.
fn mean_influence_moments(x: &[f64], sign: f64) -> Option<(f64, f64)> {
    if x.len() < 2 {
        return None;
    }
    let m = describe::mean(x)?;
    let u: Vec<f64> = x.iter().map(|v| sign * (v - m)).collect();
    Some(influence_moments(&u))
}

fn acceleration_from_moments(moments: &[(f64, f64)]) -> Option<f64> {
    let num: f64 = moments.iter().map(|m| m.0).sum();
    let den: f64 = moments.iter().map(|m| m.1).sum();
    let a = num / (6.0 * den.powf(1.5));
    (den > 0.0 && a.is_finite()).then_some(a)
}

/// The `cfg.resamples` bootstrap replicates of the mean of `x`: each the
/// mean of `n` values drawn with replacement. Chunk c of [`CHUNK_RESAMPLES`]
/// replicates draws from `rng::stream(seed, key, c)`. `None` when n < 2, a
/// value is not finite, n exceeds `u32::MAX` or `cfg` is not usable.
///
/// Three ways to the same distribution of replicates, chosen by the data
/// alone so a group's interval is the same in every command:
/// - few distinct values (0/1 example scores, their paired differences):
///   [`multinomial_replicates`], a few binomial draws per replicate;
/// - up to 128 values (seeds; [`resample_counts::shares`]): the counts matrix
///   every sample of that size shares ([`resample_counts::CountMatrix::means`]),
///   no draws at all;
/// - otherwise [`index_replicates`], n drawn indices per replicate.
///
/// A resample is never materialised, and a replicate's sum follows numpy's
/// pairwise order ([`describe::pairwise_sum`]) over the resampled values, so
/// ties with θ̂ (a resample drawing every value once) are counted in z₀ as
/// scipy counts them.
pub fn mean_replicates(x: &[f64], cfg: &BootstrapConfig, key: u64) -> Option<Vec<f64>> {
    replicates_on(x, cfg, key, Side::Group)
}

/// The replicates of a baseline's mean in a difference of independent means:
/// as [`mean_replicates`], but where samples share counts, from the matrix
/// of [`Side::Baseline`], independent of every group's own. (Elsewhere the
/// group's own stream is already independent of the treatment's.)
pub fn baseline_mean_replicates(x: &[f64], cfg: &BootstrapConfig, key: u64) -> Option<Vec<f64>> {
    replicates_on(x, cfg, key, Side::Baseline)
}

fn replicates_on(x: &[f64], cfg: &BootstrapConfig, key: u64, side: Side) -> Option<Vec<f64>> {
    let n = sample_size(x)?;
    if !usable(cfg) {
        return None;
    }
    if let Some(distinct) = Distinct::of(x) {
        return Some(multinomial_replicates(&distinct, x.len(), cfg, key));
    }
    Some(
        match resample_counts::shared(cfg.seed, x.len(), cfg.resamples, side) {
            Some(counts) => counts.means(x),
            None => index_replicates(x, n, cfg, key),
        },
    )
}

/// Replicates from n drawn indices each (the general path of [`mean_replicates`]).
fn index_replicates(x: &[f64], n: u32, cfg: &BootstrapConfig, key: u64) -> Vec<f64> {
    let mut out = vec![0.0; cfg.resamples];
    rng::fill_in_chunks(&mut out, CHUNK_RESAMPLES, cfg.seed, key, |stream, slots| {
        // Indices of as many resamples as fit in 256 KB (at least one),
        // so the buffer stays in cache for any n.
        let batch = (INDEX_BUFFER / x.len()).max(1);
        let mut indices = vec![0u32; batch.min(slots.len()) * x.len()];
        for slots in slots.chunks_mut(batch) {
            let indices = &mut indices[..slots.len() * x.len()];
            stream.fill_indices(n, indices);
            for (slot, drawn) in slots.iter_mut().zip(indices.chunks_exact(x.len())) {
                *slot =
                    describe::pairwise_sum(x.len(), &mut |i| x[drawn[i] as usize]) / x.len() as f64;
            }
        }
    });
    out
}

/// Most distinct values for the multinomial path, and the fewest values per
/// distinct one: below 64 per value, n index draws cost about what k − 1
/// binomial draws do.
const MULTINOMIAL_MAX_DISTINCT: usize = 64;
const MULTINOMIAL_MIN_PER_VALUE: usize = 64;

/// The distinct values of a sample (ascending, so the draws do not depend on
/// row order) and how many times each occurs.
struct Distinct {
    values: Vec<f64>,
    counts: Vec<u64>,
}

impl Distinct {
    /// `None` when the sample has more distinct values than the multinomial
    /// path pays for (at most [`MULTINOMIAL_MAX_DISTINCT`], and n at least
    /// [`MULTINOMIAL_MIN_PER_VALUE`] times their number).
    fn of(x: &[f64]) -> Option<Distinct> {
        let mut seen = few_distinct(x.iter().copied())?;
        seen.sort_by(|a, b| a.0.total_cmp(&b.0));
        Some(Distinct {
            values: seen.iter().map(|s| s.0).collect(),
            counts: seen.iter().map(|s| s.1).collect(),
        })
    }
}

/// The distinct items and how many times each occurs, in order of first
/// appearance; `None` when there are more than the multinomial path pays
/// for (at most [`MULTINOMIAL_MAX_DISTINCT`], and at least
/// [`MULTINOMIAL_MIN_PER_VALUE`] items per distinct one).
pub(crate) fn few_distinct<K: Copy + PartialEq>(
    items: impl ExactSizeIterator<Item = K>,
) -> Option<Vec<(K, u64)>> {
    let limit = MULTINOMIAL_MAX_DISTINCT.min(items.len() / MULTINOMIAL_MIN_PER_VALUE);
    let mut seen: Vec<(K, u64)> = Vec::new();
    for item in items {
        if let Some((_, count)) = seen.iter_mut().find(|(s, _)| *s == item) {
            *count += 1;
        } else if seen.len() < limit {
            seen.push((item, 1));
        } else {
            return None;
        }
    }
    Some(seen)
}

/// Bootstrap means from the counts of each distinct value in a resample.
/// The mean of n values drawn with replacement depends only on how often each
/// distinct value vⱼ is drawn, and those counts are Multinomial(n; mⱼ/n) for
/// multiplicities mⱼ: drawn as k − 1 conditional binomials
/// (cⱼ ~ Binomial(n − Σ_{i<j} cᵢ, mⱼ/Σ_{i≥j} mᵢ)), the last count the rest,
/// and the replicate Σ cⱼvⱼ/n. The same distribution as n index draws
/// (exactly, but for the binomial's rounding: [`rng::Stream::binomial`]),
/// from k − 1 draws of O(√n) steps each. Chunks of [`CHUNK_RESAMPLES`] use
/// `rng::stream(seed, key, c)` as the index path does.
fn multinomial_replicates(
    distinct: &Distinct,
    n: usize,
    cfg: &BootstrapConfig,
    key: u64,
) -> Vec<f64> {
    let mut out = vec![0.0; cfg.resamples];
    rng::fill_in_chunks(&mut out, CHUNK_RESAMPLES, cfg.seed, key, |stream, slots| {
        let mut drawn = vec![0u64; distinct.values.len()];
        for slot in slots {
            draw_multinomial(stream, n as u64, &distinct.counts, &mut drawn);
            let mut sum = 0.0;
            for (&v, &c) in distinct.values.iter().zip(&drawn) {
                sum += c as f64 * v;
            }
            *slot = sum / n as f64;
        }
    });
    out
}

/// How many of `n` draws with replacement land in each category of
/// multiplicities `counts` (Multinomial(n; mⱼ/Σm)): k − 1 conditional
/// binomials, cⱼ ~ Binomial(n − Σ_{i<j} cᵢ, mⱼ/Σ_{i≥j} mᵢ), the last count
/// the rest. `counts` must not be empty.
pub(crate) fn draw_multinomial(
    stream: &mut rng::Stream,
    n: u64,
    counts: &[u64],
    drawn: &mut [u64],
) {
    let (mut left, mut mass) = (n, counts.iter().sum::<u64>());
    let last = counts.len() - 1;
    for (&m, c) in counts[..last].iter().zip(drawn.iter_mut()) {
        *c = stream.binomial(left, m as f64 / mass as f64);
        left -= *c;
        mass -= m;
    }
    drawn[last] = left;
}

/// Sample size as the `u32` that [`rng::Stream::index`] takes; `None` when
/// n < 2, above `u32::MAX`, or a value is not finite.
fn sample_size(x: &[f64]) -> Option<u32> {
    let n = u32::try_from(x.len()).ok()?;
    (n >= 2 && x.iter().all(|v| v.is_finite())).then_some(n)
}

fn all_equal(x: &[f64]) -> bool {
    x.windows(2).all(|w| w[0] == w[1])
}

/// Standard normal CDF Φ(x) = erfc(−x/√2)/2 (scipy.special.ndtr).
fn ndtr(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// Standard normal quantile Φ⁻¹(p) = −√2·erfc⁻¹(2p) (scipy.special.ndtri);
/// ±∞ at p = 0, 1.
fn ndtri(p: f64) -> f64 {
    -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Mean and variance of replicates.
    fn moments(r: &[f64]) -> (f64, f64) {
        let mean = r.iter().sum::<f64>() / r.len() as f64;
        let var = r.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (r.len() - 1) as f64;
        (mean, var)
    }

    #[test]
    fn few_distinct_values_take_the_multinomial_path_with_the_same_law() {
        // 0/1 scores and paired differences in {−1, 0, 1}, in scrambled order
        let scores: Vec<f64> = (0..3000).map(|i| f64::from((i * 7919 % 10) < 7)).collect();
        let diffs: Vec<f64> = (0..5000)
            .map(|i| f64::from(i * 31 % 5 - 2).signum())
            .collect();
        let cfg = BootstrapConfig {
            resamples: 20_000,
            confidence: 0.95,
            method: CiMethod::Bca,
            seed: 3,
        };
        for x in [&scores, &diffs] {
            let distinct = Distinct::of(x).expect("few distinct values");
            let n = x.len();
            let fast = multinomial_replicates(&distinct, n, &cfg, 11);
            let slow = index_replicates(x, n as u32, &cfg, 11);
            assert_eq!(mean_replicates(x, &cfg, 11).unwrap(), fast);
            // theory: mean x̄, variance σ²/n with the population variance
            let xbar = describe::mean(x).unwrap();
            let sigma2 = describe::variance(x, 0).unwrap() / n as f64;
            for r in [&fast, &slow] {
                let (m, v) = moments(r);
                let se = (sigma2 / r.len() as f64).sqrt();
                assert!((m - xbar).abs() < 5.0 * se, "mean {m} vs {xbar}");
                assert!(
                    (v / sigma2 - 1.0).abs() < 5.0 * (2.0 / r.len() as f64).sqrt(),
                    "var {v} vs {sigma2}"
                );
            }
            // the two paths' 95% BCa ends agree within Monte Carlo noise
            let a = mean_ci_of_replicates(x, fast, &cfg).unwrap();
            let b = mean_ci_of_replicates(x, slow, &cfg).unwrap();
            let width = b.hi - b.lo;
            assert!((a.lo - b.lo).abs() < 0.05 * width && (a.hi - b.hi).abs() < 0.05 * width);
        }
        // many distinct values, or too few values per distinct one, keep the index path
        let spread: Vec<f64> = (0..3000).map(f64::from).collect();
        assert!(Distinct::of(&spread).is_none());
        assert!(Distinct::of(&scores[..100]).is_none());
        assert!(Distinct::of(&scores[..128]).is_some());
    }

    fn by_sorting(values: &[f64], k: usize) -> (f64, f64) {
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        (
            sorted[k],
            sorted.get(k + 1).copied().unwrap_or(f64::INFINITY),
        )
    }

    fn ranks_to_try(n: usize, at: f64) -> Vec<usize> {
        let mut ks = vec![
            0,
            1,
            n / 40,
            n / 8 - 2,
            n / 8,
            n / 2,
            n - n / 8,
            n - n / 40,
            n - 2,
            n - 1,
        ];
        ks.push((at * (n - 1) as f64) as usize);
        ks
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn rank_pairs_equal_sorting(
            values in prop::collection::vec(
                prop_oneof![(-4i32..4).prop_map(f64::from), -1e3f64..1e3, Just(-0.0), Just(0.0)],
                2048..5000,
            ),
            at in 0.0f64..1.0,
            sort_first in any::<bool>(),
        ) {
            let mut values = values;
            if sort_first {
                // an ordered input: the strided sample still spans it
                values.sort_by(f64::total_cmp);
            }
            let ranks = ranks_to_try(values.len(), at);
            for &k_lo in &ranks {
                for &k_hi in ranks.iter().filter(|&&k| k >= k_lo) {
                    let got = rank_pairs(&mut values.clone(), k_lo, k_hi);
                    for (k, (at, next)) in [(k_lo, got.0), (k_hi, got.1)] {
                        let want = by_sorting(&values, k);
                        prop_assert_eq!(at.to_bits(), want.0.to_bits(), "k = {} of {}, {}", k, k_lo, k_hi);
                        prop_assert_eq!(next.to_bits(), want.1.to_bits(), "k = {} of {}, {}", k, k_lo, k_hi);
                    }
                }
            }
        }
    }
}
