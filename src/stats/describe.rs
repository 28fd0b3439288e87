//! Descriptive statistics of one sample of per-seed values.

use std::f64::consts::PI;

use statrs::distribution::{ContinuousCDF, StudentsT};
use statrs::function::erf::erfc_inv;
use statrs::function::gamma::ln_gamma;

use crate::stats::nct;

/// Arithmetic mean, Σx/n with the sum in numpy's pairwise order, so it has the
/// bits of `numpy.mean(x)`. `None` for an empty sample.
pub fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    Some(pairwise_sum(x.len(), &mut |i| x[i]) / x.len() as f64)
}

/// Sum of `value(0), …, value(n − 1)` (each called once, in that order) in
/// numpy's pairwise order (`pairwise_sum` in numpy's `loops_utils.h`): fewer
/// than 8 terms added left to right; up to 128 terms in 8 running sums combined
/// as ((r₀+r₁)+(r₂+r₃))+((r₄+r₅)+(r₆+r₇)), the remainder added after; longer
/// runs split in two at a multiple of 8 near the middle. Rounding error grows
/// as O(log n) instead of O(n), and the 8 independent sums keep the CPU busy.
#[inline]
pub(crate) fn pairwise_sum(n: usize, value: &mut impl FnMut(usize) -> f64) -> f64 {
    if n <= 128 {
        pairwise_leaf(0, n, value)
    } else {
        pairwise_block(0, n, value)
    }
}

fn pairwise_block(start: usize, len: usize, value: &mut impl FnMut(usize) -> f64) -> f64 {
    if len > 128 {
        let half = len / 2 - (len / 2) % 8;
        let left = pairwise_block(start, half, value);
        return left + pairwise_block(start + half, len - half, value);
    }
    pairwise_leaf(start, len, value)
}

/// A run of at most 128 terms. Kept apart from the recursion so that `value`
/// (a bootstrap's gather of resampled values) is inlined into the loops.
#[inline(always)]
fn pairwise_leaf(start: usize, len: usize, value: &mut impl FnMut(usize) -> f64) -> f64 {
    if len < 8 {
        return (start..start + len).fold(0.0, |sum, i| sum + value(i));
    }
    let mut r = [0.0; 8];
    for (j, slot) in r.iter_mut().enumerate() {
        *slot = value(start + j);
    }
    let whole = len - len % 8;
    for block in (start + 8..start + whole).step_by(8) {
        for (j, slot) in r.iter_mut().enumerate() {
            *slot += value(block + j);
        }
    }
    let sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    (start + whole..start + len).fold(sum, |sum, i| sum + value(i))
}

/// The largest magnitude whose arithmetic here stays finite: a variance
/// sums squared deviations (up to (2x)² per value), and beyond about 1e154
/// they overflow f64. Values past this bound get no std, interval or test,
/// with [`TOO_LARGE`] as the reason, rather than a wrong one.
pub const LARGEST_USABLE: f64 = 1e150;

/// Why statistics of values beyond [`LARGEST_USABLE`] are not given.
pub const TOO_LARGE: &str = "values beyond ±1e150 overflow floating-point arithmetic: no std, interval or test (rescale the metric)";

/// Whether any value is finite but beyond [`LARGEST_USABLE`].
pub fn too_large(x: &[f64]) -> bool {
    x.iter().any(|v| v.is_finite() && v.abs() > LARGEST_USABLE)
}

/// Variance with `ddof` delta degrees of freedom: Σ(x − x̄)² / (n − ddof),
/// as `numpy.var(x, ddof=ddof)`. Two-pass for accuracy. `None` when n ≤ ddof
/// (one seed has no sample variance).
pub fn variance(x: &[f64], ddof: usize) -> Option<f64> {
    if x.len() <= ddof {
        return None;
    }
    let m = mean(x)?;
    let ss = pairwise_sum(x.len(), &mut |i| (x[i] - m) * (x[i] - m));
    Some(ss / (x.len() - ddof) as f64)
}

/// Standard deviation, `numpy.std(x, ddof=ddof)`. `None` when n ≤ ddof.
pub fn std(x: &[f64], ddof: usize) -> Option<f64> {
    variance(x, ddof).map(f64::sqrt)
}

/// Standard error of the mean, std/√n, with the std's `ddof`
/// (`scipy.stats.sem(x, ddof=ddof)`). `None` when n ≤ ddof or n < 2.
pub fn sem(x: &[f64], ddof: usize) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    std(x, ddof).map(|s| s / (x.len() as f64).sqrt())
}

/// Median (mean of the two middle values for even n), `numpy.median`.
pub fn median(x: &[f64]) -> Option<f64> {
    quantile(x, 0.5)
}

/// Quantile with linear interpolation between order statistics, as
/// `numpy.quantile(x, q)` (method "linear"). `q` in [0, 1].
pub fn quantile(x: &[f64], q: f64) -> Option<f64> {
    if x.is_empty() || !(0.0..=1.0).contains(&q) {
        return None;
    }
    let mut sorted = x.to_vec();
    sorted.sort_by(f64::total_cmp);
    Some(quantile_sorted(&sorted, q))
}

/// [`quantile`] on an already sorted, non-empty slice.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let frac = pos - lo as f64;
    sorted[lo] + (sorted[hi] - sorted[lo]) * frac
}

/// Minimum and maximum. `None` for an empty sample.
pub fn min_max(x: &[f64]) -> Option<(f64, f64)> {
    let first = *x.first()?;
    Some(
        x.iter()
            .fold((first, first), |(lo, hi), &v| (lo.min(v), hi.max(v))),
    )
}

/// Two-sided t-interval of the mean: x̄ ± t(1 − α/2, n − 1)·s/√n with the
/// sample std (ddof 1), as `scipy.stats.t.interval(confidence, n-1, loc=x̄,
/// scale=sem)`. `None` when n < 2 or `confidence` is not in (0, 1). Zero
/// variance gives the point itself.
pub fn t_interval(x: &[f64], confidence: f64) -> Option<(f64, f64)> {
    let n = x.len();
    if n < 2 || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let m = mean(x)?;
    let se = sem(x, 1)?;
    let q = t_quantile(1.0 - (1.0 - confidence) / 2.0, (n - 1) as f64)?;
    Some((m - q * se, m + q * se))
}

/// Quantile of Student's t distribution with `df` degrees of freedom, as
/// `scipy.stats.t.ppf(p, df)`, to about 1e-12 relative (tested to 1e-10 on
/// df 0.5..1e6 and p 1e-10..1 − 1e-6). `None` unless 0 < p < 1 and df > 0.
///
/// statrs' `inverse_cdf` is off by up to 1e-7 at moderate df, 4e-5 at
/// df = 1e5 and 97% at p = 1e-10, df = 1, so it only seeds a Newton iteration
/// on the accurate CDF [`nct::t_cdf`] (df < 2000); from df = 2000 (and for
/// df = ∞) the Cornish–Fisher expansion in 1/df is exact to double precision.
pub fn t_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return None;
    }
    // A sweep asks for the same (p, df) thousands of times in a row (one
    // interval per group, most groups with the same number of seeds), and a
    // quantile costs a few microseconds of Newton steps: remember the last one.
    thread_local! {
        static LAST: std::cell::Cell<Option<(u64, u64, f64)>> = const { std::cell::Cell::new(None) };
    }
    let key = (p.to_bits(), df.to_bits());
    if let Some((kp, kd, q)) = LAST.get()
        && (kp, kd) == key
    {
        return Some(q);
    }
    let q = t_quantile_uncached(p, df);
    LAST.set(Some((key.0, key.1, q)));
    Some(q)
}

/// [`t_quantile`] for p in (0, 1) and df > 0, computed afresh.
fn t_quantile_uncached(p: f64, df: f64) -> f64 {
    if p == 0.5 {
        return 0.0;
    }
    let lower = p.min(1.0 - p);
    let q = if df >= T_EXPANSION_MIN_DF {
        t_quantile_expansion(lower, df)
    } else {
        t_lower_quantile_newton(lower, df)
    };
    if p < 0.5 { q } else { -q }
}

/// From this df on, the four-term expansion's truncation error (about
/// 1e-13 relative at df = 2000, p = 1e-10) is below the CDF's own accuracy.
const T_EXPANSION_MIN_DF: f64 = 2000.0;

/// Iteration cap: Newton from statrs' start converges in 2–4 steps; a start
/// far out in a Cauchy-like tail doubles |t| per step, 64 steps cover 1e19.
const T_NEWTON_MAX_STEPS: usize = 200;

/// Cornish–Fisher expansion of the t quantile (Abramowitz & Stegun 26.7.5):
/// t = x + g₁/ν + g₂/ν² + g₃/ν³ + g₄/ν⁴ with x = Φ⁻¹(p).
fn t_quantile_expansion(p: f64, df: f64) -> f64 {
    let x = -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p);
    let x2 = x * x;
    let g1 = (x2 + 1.0) * x / 4.0;
    let g2 = ((5.0 * x2 + 16.0) * x2 + 3.0) * x / 96.0;
    let g3 = (((3.0 * x2 + 19.0) * x2 + 17.0) * x2 - 15.0) * x / 384.0;
    let g4 = ((((79.0 * x2 + 776.0) * x2 + 1482.0) * x2 - 1920.0) * x2 - 945.0) * x / 92160.0;
    x + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}

/// The t quantile for p < ½ by Newton's method on F(t) − p. F is convex on
/// t < 0, so from a start right of the root every step stays right of it and
/// the iteration converges monotonically; a start left of it is moved right.
fn t_lower_quantile_newton(p: f64, df: f64) -> f64 {
    let seed = StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |d| d.inverse_cdf(p));
    let mut t = if seed.is_finite() && seed < 0.0 {
        seed
    } else {
        t_quantile_expansion(p, df)
    };
    let ln_norm = ln_gamma((df + 1.0) / 2.0) - ln_gamma(df / 2.0) - 0.5 * (df * PI).ln();
    let mut last_step = f64::INFINITY;
    for _ in 0..T_NEWTON_MAX_STEPS {
        let density = (ln_norm - (df + 1.0) / 2.0 * (t * t / df).ln_1p()).exp();
        let step = (nct::t_cdf(t, df) - p) / density;
        // Converged, or at the CDF's rounding noise where steps stop shrinking.
        if !step.is_finite() || (step.abs() >= last_step.abs() && step.abs() < 1e-9 * t.abs()) {
            break;
        }
        let next = t - step;
        t = if next < 0.0 { next } else { t / 2.0 };
        if step.abs() <= 2.0 * f64::EPSILON * t.abs() {
            break;
        }
        last_step = step;
    }
    t
}
