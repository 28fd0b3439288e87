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
//! The planned design ([`Spread`]) generalizes this (DESIGN §13): a
//! one-sided test at level α (`Alternative::Greater`: P(T > t(1 − α, ν)),
//! statsmodels' alternative "larger" with d = Δ/s; `Less`: P(T < −t(1 − α, ν)),
//! "smaller"), a treatment with `ratio` times the baseline's seeds
//! (statsmodels' `ratio` = nobs2/nobs1, here rounded up to whole seeds, with
//! Welch's ν of the actual sizes), or the paired t-test on n seeds matched by
//! id (ν = n − 1, δ = Δ/(s_d/√n) for the std s_d of the per-seed differences:
//! statsmodels `TTestPower` with d = Δ/s_d).
//!
//! Edge cases: Δ = 0 gives power α (only false positives) and seeds needed
//! "more than the maximum" for any target above α; both stds 0 is undefined
//! (`None`), as the test itself is; one std 0 is fine (ν = n − 1 of the other).

use serde::Serialize;

use crate::stats::describe::t_quantile;
use crate::stats::inference::Alternative;
use crate::stats::nct::{nct_cdf, nct_sf};

/// The spread the planned comparison assumes, and how its seeds are laid out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Spread {
    /// Independent groups compared by Welch's test, with these stds across
    /// seeds; for n baseline seeds the treatment has
    /// [`treatment_seeds`]`(n, ratio)`.
    Groups {
        sd_baseline: f64,
        sd_treatment: f64,
        ratio: f64,
    },
    /// The same seed ids in both conditions, compared by the paired t-test;
    /// `sd_diff` is the std of the per-seed differences treatment − baseline.
    Paired { sd_diff: f64 },
}

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
    welch_power_with(
        diff,
        sd_baseline,
        sd_treatment,
        n_baseline,
        n_treatment,
        alpha,
        Alternative::TwoSided,
    )
}

/// [`welch_power`] for the test of `alternative` at level `alpha`: one-sided
/// P(T > t(1 − α, ν)) for `Greater` (the treatment larger; statsmodels
/// "larger"), P(T < −t(1 − α, ν)) for `Less`. `None` as [`welch_power`].
pub fn welch_power_with(
    diff: f64,
    sd_baseline: f64,
    sd_treatment: f64,
    n_baseline: usize,
    n_treatment: usize,
    alpha: f64,
    alternative: Alternative,
) -> Option<f64> {
    if n_baseline < 2 || n_treatment < 2 || !diff.is_finite() {
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
    t_power(df, diff / (vb + vt).sqrt(), alpha, alternative)
}

/// Power of the paired t-test of `alternative` at level `alpha` on
/// `n_pairs` seeds matched by id, for a mean per-seed difference `diff` and
/// std `sd_diff` of the differences: T ~ nct(n − 1, Δ/(s_d/√n)), statsmodels
/// `TTestPower().power(Δ/s_d, nobs=n, alpha, alternative)`.
///
/// `None` for fewer than 2 pairs, `sd_diff` not positive, a non-finite
/// input, or `alpha` not in (0, 1).
pub fn paired_power(
    diff: f64,
    sd_diff: f64,
    n_pairs: usize,
    alpha: f64,
    alternative: Alternative,
) -> Option<f64> {
    if n_pairs < 2 || !diff.is_finite() || !(sd_diff.is_finite() && sd_diff > 0.0) {
        return None;
    }
    let n = n_pairs as f64;
    t_power(n - 1.0, diff / (sd_diff / n.sqrt()), alpha, alternative)
}

/// P(reject) for a t statistic T ~ nct(`df`, `ncp`) at level `alpha`:
/// nct.sf(t(1 − α/2)) + nct.cdf(−t(1 − α/2)) two-sided, nct.sf(t(1 − α))
/// for `Greater`, nct.cdf(−t(1 − α)) for `Less`.
fn t_power(df: f64, ncp: f64, alpha: f64, alternative: Alternative) -> Option<f64> {
    if !(alpha > 0.0 && alpha < 1.0) {
        return None;
    }
    let power = match alternative {
        Alternative::TwoSided => {
            let crit = t_quantile(1.0 - alpha / 2.0, df)?;
            nct_sf(crit, df, ncp) + nct_cdf(-crit, df, ncp)
        }
        Alternative::Greater => nct_sf(t_quantile(1.0 - alpha, df)?, df, ncp),
        Alternative::Less => nct_cdf(-t_quantile(1.0 - alpha, df)?, df, ncp),
    };
    power.is_finite().then_some(power.clamp(0.0, 1.0))
}

/// Seeds of the treatment for `n_baseline` seeds of the baseline at
/// `ratio` = n_t/n_b: ratio·n_b rounded up to a whole seed, except that a
/// product within 1e-9 (relative) of an integer is that integer, so that
/// 1.1 × 10 gives 11 and not 12. Saturates for absurd ratios.
pub fn treatment_seeds(n_baseline: usize, ratio: f64) -> usize {
    let exact = ratio * n_baseline as f64;
    let nearest = exact.round();
    let seeds = if (exact - nearest).abs() <= 1e-9 * nearest.max(1.0) {
        nearest
    } else {
        exact.ceil()
    };
    seeds as usize
}

/// Power of the planned comparison with `n` seeds of the baseline (pairs
/// for [`Spread::Paired`]): [`welch_power_with`] at n and
/// [`treatment_seeds`]`(n, ratio)`, or [`paired_power`]. `None` when that
/// is undefined, or a ratio is not positive and finite.
pub fn design_power(
    diff: f64,
    spread: Spread,
    n: usize,
    alpha: f64,
    alternative: Alternative,
) -> Option<f64> {
    match spread {
        Spread::Groups {
            sd_baseline,
            sd_treatment,
            ratio,
        } => {
            if !(ratio.is_finite() && ratio > 0.0) {
                return None;
            }
            let n_treatment = treatment_seeds(n, ratio);
            welch_power_with(
                diff,
                sd_baseline,
                sd_treatment,
                n,
                n_treatment,
                alpha,
                alternative,
            )
        }
        Spread::Paired { sd_diff } => paired_power(diff, sd_diff, n, alpha, alternative),
    }
}

/// The fewest baseline seeds (pairs) the design can test: 2, or for a ratio
/// below 1 the first n whose treatment also has 2. `None` for a ratio that
/// is not positive and finite.
pub fn fewest_seeds(spread: Spread) -> Option<usize> {
    match spread {
        Spread::Paired { .. } => Some(2),
        Spread::Groups { ratio, .. } => {
            if !(ratio.is_finite() && ratio > 0.0) {
                return None;
            }
            // treatment_seeds rounds up: it reaches 2 once ratio·n exceeds 1
            let mut n = ((1.0 / ratio).floor() as usize).saturating_sub(1).max(2);
            while treatment_seeds(n, ratio) < 2 {
                n = n.checked_add(1)?;
            }
            Some(n)
        }
    }
}

/// The equal-n Welch design of [`welch_power`].
fn equal_groups(sd_baseline: f64, sd_treatment: f64) -> Spread {
    Spread::Groups {
        sd_baseline,
        sd_treatment,
        ratio: 1.0,
    }
}

/// Smallest n ≥ 2 seeds per group (equal n) whose [`welch_power`] reaches
/// `target_power`, searched up to `max_n`; `MoreThan(max_n)` when even
/// `max_n` falls short (always so for Δ = 0 and a target above α). With equal
/// stds this is statsmodels' `TTestIndPower().solve_power(d, alpha=α,
/// power=target, ratio=1)` rounded up (and at least 2).
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
    seeds_needed_for(
        diff,
        equal_groups(sd_baseline, sd_treatment),
        alpha,
        Alternative::TwoSided,
        target_power,
        max_n,
    )
}

/// Smallest n (baseline seeds, or pairs) from [`fewest_seeds`] up to
/// `max_n` whose [`design_power`] reaches `target_power`; `MoreThan(max_n)`
/// when even `max_n` falls short (always so for a difference against a
/// one-sided alternative). Power rises with n (both ν and δ grow), so the
/// answer is bracketed from the normal approximation outward and then
/// bisected.
///
/// `None` when [`design_power`] is undefined for these inputs or
/// `target_power` is not in (0, 1).
pub fn seeds_needed_for(
    diff: f64,
    spread: Spread,
    alpha: f64,
    alternative: Alternative,
    target_power: f64,
    max_n: usize,
) -> Option<SeedsNeeded> {
    if !(target_power > 0.0 && target_power < 1.0) {
        return None;
    }
    let first = fewest_seeds(spread)?;
    let power = |n: usize| design_power(diff, spread, n, alpha, alternative);
    let reaches = |n: usize| power(n).map(|p| p >= target_power);
    let enough_at_first = reaches(first)?; // also validates the inputs
    if max_n < first {
        return Some(SeedsNeeded::MoreThan(max_n));
    }
    if enough_at_first {
        return Some(SeedsNeeded::Exactly(first));
    }
    if max_n == first {
        return Some(SeedsNeeded::MoreThan(first));
    }
    // Bracket the answer around the normal approximation (which the t-test
    // needs a seed or two more than), so that a few power evaluations do
    // instead of log₂(max_n): each costs a noncentral-t series.
    let guess = normal_approximation(diff, spread, alpha, alternative, target_power)
        .clamp((first + 1) as f64, max_n as f64) as usize;
    // invariant once bracketed: power(lo) < target ≤ power(hi)
    let (mut lo, mut hi);
    if reaches(guess)? {
        hi = guess;
        lo = first;
        let mut step = 1;
        while hi > step + first {
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

/// Baseline seeds (pairs) by the normal approximation:
/// n = (z₁₋α/₂ + z_power)²·V/Δ², z₁₋α for a one-sided test, with
/// V = s_b² + s_t²/ratio for groups and s_d² for pairs; ∞ for Δ = 0 or a
/// Δ against the one-sided alternative. A start for the exact search only.
fn normal_approximation(
    diff: f64,
    spread: Spread,
    alpha: f64,
    alternative: Alternative,
    target_power: f64,
) -> f64 {
    let z = |p: f64| -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p);
    let level = match alternative {
        Alternative::TwoSided => alpha / 2.0,
        Alternative::Greater if diff > 0.0 => alpha,
        Alternative::Less if diff < 0.0 => alpha,
        Alternative::Greater | Alternative::Less => return f64::INFINITY,
    };
    let variance = match spread {
        Spread::Groups {
            sd_baseline,
            sd_treatment,
            ratio,
        } => sd_baseline * sd_baseline + sd_treatment * sd_treatment / ratio,
        Spread::Paired { sd_diff } => sd_diff * sd_diff,
    };
    let n = (z(1.0 - level) + z(target_power)).powi(2) * variance / (diff * diff);
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
    power_curve_for(
        diff,
        equal_groups(sd_baseline, sd_treatment),
        alpha,
        Alternative::TwoSided,
        max_n,
    )
}

/// [`design_power`] for n = [`fewest_seeds`]..=max_n baseline seeds (pairs).
/// Empty when the power is undefined.
pub fn power_curve_for(
    diff: f64,
    spread: Spread,
    alpha: f64,
    alternative: Alternative,
    max_n: usize,
) -> Vec<(usize, f64)> {
    let Some(first) = fewest_seeds(spread) else {
        return Vec::new();
    };
    (first..=max_n)
        .map_while(|n| design_power(diff, spread, n, alpha, alternative).map(|p| (n, p)))
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
