//! Descriptive statistics of one sample of per-seed values.

use statrs::distribution::{ContinuousCDF, StudentsT};

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
pub(crate) fn pairwise_sum(n: usize, value: &mut impl FnMut(usize) -> f64) -> f64 {
    pairwise_block(0, n, value)
}

fn pairwise_block(start: usize, len: usize, value: &mut impl FnMut(usize) -> f64) -> f64 {
    if len < 8 {
        return (start..start + len).fold(0.0, |sum, i| sum + value(i));
    }
    if len > 128 {
        let half = len / 2 - (len / 2) % 8;
        let left = pairwise_block(start, half, value);
        return left + pairwise_block(start + half, len - half, value);
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
/// scale=sem)`. `None` when n < 2. Zero variance gives the point itself.
pub fn t_interval(x: &[f64], confidence: f64) -> Option<(f64, f64)> {
    let n = x.len();
    if n < 2 {
        return None;
    }
    let m = mean(x)?;
    let se = sem(x, 1)?;
    let q = t_quantile(1.0 - (1.0 - confidence) / 2.0, (n - 1) as f64)?;
    Some((m - q * se, m + q * se))
}

/// Quantile of Student's t distribution with `df` degrees of freedom, as
/// `scipy.stats.t.ppf(p, df)`. `None` unless 0 < p < 1 and df > 0.
pub fn t_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(dist.inverse_cdf(p))
}
