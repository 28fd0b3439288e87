//! McNemar's test of two systems scored 0/1 on the same examples: the exact
//! binomial test on the discordant pairs, as statsmodels
//! `statsmodels.stats.contingency_tables.mcnemar(table, exact=True)`, and its
//! mid-p version.

use serde::Serialize;
use statrs::function::beta::beta_reg;
use statrs::function::gamma::ln_gamma;

use crate::stats::inference::Alternative;

/// The discordant counts and the test's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct McNemar {
    /// Examples the baseline got right and the treatment wrong.
    pub b: u64,
    /// Examples the baseline got wrong and the treatment right.
    pub c: u64,
    /// statsmodels' statistic: min(b, c).
    pub statistic: f64,
    pub p_value: f64,
}

/// Why the paired 0/1 scores cannot be tested.
#[derive(Debug, Clone, PartialEq)]
pub enum NotBinary {
    /// The two slices have different lengths.
    Unpaired,
    /// Index of the first score that is neither 0 nor 1, and its value.
    Score(usize, f64),
}

/// McNemar's test on paired 0/1 scores (`baseline[i]`, `treatment[i]` of
/// example i).
///
/// With b = #(1, 0), c = #(0, 1), d = b + c and X ~ Binomial(d, ½): two-sided
/// p = min(1, 2·P(X ≤ min(b, c))) (statsmodels, exact=True); mid-p subtracts
/// P(X = min(b, c)) once: min(1, 2·P(X ≤ k) − P(X = k)). One-sided in terms of
/// treatment − baseline: `greater` p = P(X ≥ c), `less` p = P(X ≤ c) (as
/// `scipy.stats.binomtest(c, d, 0.5, alternative)`), mid-p halving the
/// observed point. No discordant pairs: p = 1 (statsmodels gives 1).
pub fn test(
    baseline: &[f64],
    treatment: &[f64],
    alternative: Alternative,
    mid_p: bool,
) -> Result<McNemar, NotBinary> {
    if baseline.len() != treatment.len() {
        return Err(NotBinary::Unpaired);
    }
    let (mut b, mut c) = (0_u64, 0_u64);
    for (i, (&x, &y)) in baseline.iter().zip(treatment).enumerate() {
        for v in [x, y] {
            if v != 0.0 && v != 1.0 {
                return Err(NotBinary::Score(i, v));
            }
        }
        match (x == 1.0, y == 1.0) {
            (true, false) => b += 1,
            (false, true) => c += 1,
            _ => {}
        }
    }
    Ok(from_counts(b, c, alternative, mid_p))
}

/// [`test`] from the discordant counts.
pub fn from_counts(b: u64, c: u64, alternative: Alternative, mid_p: bool) -> McNemar {
    let d = b + c;
    let half_point = |k: u64| if mid_p { 0.5 * pmf(k, d) } else { 0.0 };
    let p = match alternative {
        Alternative::TwoSided => {
            let k = b.min(c);
            2.0 * (cdf(k, d) - half_point(k))
        }
        Alternative::Less => cdf(c, d) - half_point(c),
        Alternative::Greater => sf_from(c, d) - half_point(c),
    };
    McNemar {
        b,
        c,
        statistic: b.min(c) as f64,
        p_value: p.clamp(0.0, 1.0),
    }
}

/// P(X ≤ k) for X ~ Binomial(d, ½): I_{½}(d − k, k + 1).
fn cdf(k: u64, d: u64) -> f64 {
    if k >= d {
        1.0
    } else {
        beta_reg((d - k) as f64, (k + 1) as f64, 0.5)
    }
}

/// P(X ≥ k) = 1 − P(X ≤ k − 1), by symmetry P(X ≤ d − k).
fn sf_from(k: u64, d: u64) -> f64 {
    if k == 0 { 1.0 } else { cdf(d - k, d) }
}

/// P(X = k) = C(d, k)/2^d.
fn pmf(k: u64, d: u64) -> f64 {
    if k > d {
        return 0.0;
    }
    let (k, d) = (k as f64, d as f64);
    (ln_gamma(d + 1.0) - ln_gamma(k + 1.0) - ln_gamma(d - k + 1.0) - d * std::f64::consts::LN_2)
        .exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_p_of_a_small_table_is_the_binomial_sum() {
        // b = 1, c = 5: 2·(1 + 6)/64
        let r = from_counts(1, 5, Alternative::TwoSided, false);
        assert!((r.p_value - 14.0 / 64.0).abs() < 1e-14, "{}", r.p_value);
        let mid = from_counts(1, 5, Alternative::TwoSided, true);
        assert!((mid.p_value - (14.0 - 6.0) / 64.0).abs() < 1e-14);
        assert_eq!(from_counts(0, 0, Alternative::TwoSided, false).p_value, 1.0);
    }

    #[test]
    fn a_score_that_is_not_zero_or_one_is_refused_with_its_place() {
        let err = test(&[1.0, 0.5], &[1.0, 1.0], Alternative::TwoSided, false);
        assert_eq!(err, Err(NotBinary::Score(1, 0.5)));
    }
}
