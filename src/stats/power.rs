//! Power of Welch's t-test and the number of seeds it needs (DESIGN §4).
//!
//! Power is P(|T| > t_crit) for T ~ noncentral t(ν, δ) with the
//! Welch–Satterthwaite ν of the assumed stds and sizes, δ = Δ/√(s_t²/n_t +
//! s_b²/n_b) and t_crit = t(1 − α/2, ν): two-sided at the nominal α. With
//! equal stds and equal n, ν = 2(n − 1) and δ = d·√(n/2), which is
//! statsmodels' `TTestIndPower().power(d, nobs1=n, alpha, ratio=1)`.
//!
//! A standardized effect size d (Cohen's d, `xreport power --effect-size`) is
//! the case Δ = d, s_b = s_t = 1: see the `*_from_effect_size` functions.
//!
//! Edge cases: Δ = 0 gives power α (only false positives) and seeds needed
//! "more than the maximum" for any target above α; both stds 0 is undefined
//! (`None`), as the test itself is; one std 0 is fine (ν = n − 1 of the other).

use serde::Serialize;

use crate::stats::describe::t_quantile;
use crate::stats::nct::{nct_cdf, nct_sf};

/// Seeds per group needed to reach a target power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "n", rename_all = "kebab-case")]
pub enum SeedsNeeded {
    /// This many seeds per group are enough (the smallest such n ≥ 2).
    Exactly(usize),
    /// Even this many (the maximum searched) are not enough.
    MoreThan(usize),
}

/// Power of the two-sided Welch test at level `alpha` for a true difference
/// `diff` (treatment − baseline), stds `sd_baseline`, `sd_treatment` and group
/// sizes `n_baseline`, `n_treatment`: P(|T| > t_crit) with
/// T ~ nct(ν_Welch, δ = Δ/√(s_t²/n_t + s_b²/n_b)), as
/// `scipy.stats.nct.sf(c, ν, δ) + scipy.stats.nct.cdf(−c, ν, δ)`.
///
/// `None` when a group has fewer than 2 seeds, both stds are 0, a std is
/// negative or any input is not finite, or `alpha` is not in (0, 1).
pub fn welch_power(
    diff: f64,
    sd_baseline: f64,
    sd_treatment: f64,
    n_baseline: usize,
    n_treatment: usize,
    alpha: f64,
) -> Option<f64> {
    if n_baseline < 2 || n_treatment < 2 || !(alpha > 0.0 && alpha < 1.0) || !diff.is_finite() {
        return None;
    }
    let valid_sd = |s: f64| s.is_finite() && s >= 0.0;
    if !valid_sd(sd_baseline) || !valid_sd(sd_treatment) {
        return None;
    }
    let vb = sd_baseline * sd_baseline / n_baseline as f64;
    let vt = sd_treatment * sd_treatment / n_treatment as f64;
    if vb + vt <= 0.0 {
        return None;
    }
    let df = (vb + vt).powi(2)
        / (vb * vb / (n_baseline - 1) as f64 + vt * vt / (n_treatment - 1) as f64);
    let ncp = diff / (vb + vt).sqrt();
    let crit = t_quantile(1.0 - alpha / 2.0, df)?;
    let power = nct_sf(crit, df, ncp) + nct_cdf(-crit, df, ncp);
    power.is_finite().then_some(power.clamp(0.0, 1.0))
}

/// Smallest n ≥ 2 seeds per group (equal n) whose [`welch_power`] reaches
/// `target_power`, searched up to `max_n`; `MoreThan(max_n)` when even
/// `max_n` falls short (always so for Δ = 0 and a target above α). With equal
/// stds this is statsmodels' `TTestIndPower().solve_power(d, alpha=α,
/// power=target, ratio=1)` rounded up (and at least 2). Power rises with n
/// (both ν and δ grow), so the answer is bracketed from the normal
/// approximation outward and then bisected.
///
/// `None` when [`welch_power`] is undefined for these inputs or
/// `target_power` is not in (0, 1).
pub fn seeds_needed(
    diff: f64,
    sd_baseline: f64,
    sd_treatment: f64,
    alpha: f64,
    target_power: f64,
    max_n: usize,
) -> Option<SeedsNeeded> {
    if !(target_power > 0.0 && target_power < 1.0) {
        return None;
    }
    let power = |n: usize| welch_power(diff, sd_baseline, sd_treatment, n, n, alpha);
    let reaches = |n: usize| power(n).map(|p| p >= target_power);
    let enough_at_two = reaches(2)?; // also validates the inputs
    if max_n < 2 {
        return Some(SeedsNeeded::MoreThan(max_n));
    }
    if enough_at_two {
        return Some(SeedsNeeded::Exactly(2));
    }
    if max_n == 2 {
        return Some(SeedsNeeded::MoreThan(2));
    }
    // Bracket the answer around the normal approximation (which the t-test
    // needs a seed or two more than), so that a few power evaluations do
    // instead of log₂(max_n): each costs a noncentral-t series.
    let guess = normal_approximation(diff, sd_baseline, sd_treatment, alpha, target_power)
        .clamp(3.0, max_n as f64) as usize;
    // invariant once bracketed: power(lo) < target ≤ power(hi)
    let (mut lo, mut hi);
    if reaches(guess)? {
        hi = guess;
        lo = 2;
        let mut step = 1;
        while hi > step + 2 {
            if !reaches(hi - step)? {
                lo = hi - step;
                break;
            }
            hi -= step;
            step *= 2;
        }
    } else {
        lo = guess;
        let mut step = 1;
        loop {
            if lo == max_n {
                return Some(SeedsNeeded::MoreThan(max_n));
            }
            let next = (lo + step).min(max_n);
            if reaches(next)? {
                hi = next;
                break;
            }
            lo = next;
            step *= 2;
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reaches(mid)? {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(SeedsNeeded::Exactly(hi))
}

/// Seeds per group by the normal approximation of the two-sided test:
/// n = (z₁₋α/₂ + z_power)²·(s_b² + s_t²)/Δ² (∞ for Δ = 0). A start for the
/// exact search only.
fn normal_approximation(
    diff: f64,
    sd_baseline: f64,
    sd_treatment: f64,
    alpha: f64,
    target_power: f64,
) -> f64 {
    let z = |p: f64| -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p);
    let spread = sd_baseline * sd_baseline + sd_treatment * sd_treatment;
    let n = (z(1.0 - alpha / 2.0) + z(target_power)).powi(2) * spread / (diff * diff);
    if n.is_nan() { f64::INFINITY } else { n.ceil() }
}

/// [`welch_power`] with n seeds in each group for n = 2..=max_n, for the
/// power curve of `xreport power`. Empty when the power is undefined.
pub fn power_curve(
    diff: f64,
    sd_baseline: f64,
    sd_treatment: f64,
    alpha: f64,
    max_n: usize,
) -> Vec<(usize, f64)> {
    (2..=max_n)
        .map_while(|n| welch_power(diff, sd_baseline, sd_treatment, n, n, alpha).map(|p| (n, p)))
        .collect()
}

/// [`welch_power`] for a standardized effect size d (Δ = d, both stds 1);
/// with n_b = n_t = n it equals statsmodels `TTestIndPower().power(d, n, α)`.
pub fn power_from_effect_size(
    effect_size: f64,
    n_baseline: usize,
    n_treatment: usize,
    alpha: f64,
) -> Option<f64> {
    welch_power(effect_size, 1.0, 1.0, n_baseline, n_treatment, alpha)
}

/// [`seeds_needed`] for a standardized effect size d (Δ = d, both stds 1):
/// statsmodels `TTestIndPower().solve_power(d, alpha=α, power=target)`
/// rounded up, at least 2.
pub fn seeds_needed_from_effect_size(
    effect_size: f64,
    alpha: f64,
    target_power: f64,
    max_n: usize,
) -> Option<SeedsNeeded> {
    seeds_needed(effect_size, 1.0, 1.0, alpha, target_power, max_n)
}

/// [`power_curve`] for a standardized effect size d (Δ = d, both stds 1).
pub fn power_curve_from_effect_size(
    effect_size: f64,
    alpha: f64,
    max_n: usize,
) -> Vec<(usize, f64)> {
    power_curve(effect_size, 1.0, 1.0, alpha, max_n)
}
