//! The Wilcoxon signed-rank test of paired scores, as `scipy.stats.wilcoxon`
//! with its defaults (`zero_method="wilcox"`, no continuity correction,
//! `method="auto"`) and any alternative.

use serde::Serialize;

use super::alternative::Alternative;
use super::nct::normal_cdf;
use super::ranks::{average_ranks, tie_term};

/// How the p-value was computed (scipy's `method="auto"` choice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignedRankMethod {
    /// The exact null distribution of W⁺ (no ties, no zeros, N ≤ 50).
    Exact,
    /// Every sign flip of the differences enumerated, with their midranks
    /// (ties or zeros, N ≤ 13: scipy's exact permutation test).
    Enumeration,
    /// The normal approximation with the tie correction.
    Normal,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SignedRank {
    /// scipy's statistic: min(W⁺, W⁻) two-sided, W⁺ for one-sided tests.
    pub statistic: f64,
    pub p_value: f64,
    pub method: SignedRankMethod,
    /// Non-zero differences, the ones ranked.
    pub n: usize,
}

/// The test of x − y (pairs with x == y, equal infinities included, are zero
/// differences). See [`signed_rank`].
pub fn signed_rank_pair(x: &[f64], y: &[f64], alternative: Alternative) -> Option<SignedRank> {
    let d: Vec<f64> = x
        .iter()
        .zip(y)
        .map(|(&a, &b)| if a == b { 0.0 } else { a - b })
        .collect();
    signed_rank(&d, alternative)
}

/// Signed-rank test of the differences `d`: `Greater` when they tend to be
/// positive, `Less` negative. Zeros are dropped
/// (Wilcoxon's rule) and the rest ranked by |d| with average ranks;
/// W⁺ = Σ ranks of positive d. With N = len(d) as scipy counts it: N > 50,
/// or ties or zeros with N > 13, use z = (W⁺ − n(n + 1)/4)/σ with
/// σ² = (n(n + 1)(2n + 1) − Σ(t³ − t)/2)/24 over the n non-zero differences
/// and p = 2Φ(−|z|) (one-sided Φ(−z) or Φ(z)); no ties and no zeros use
/// the exact distribution of W⁺, p = 2·min(P(W ≤ W⁺), P(W ≥ W⁺)) (one-sided
/// P(W ≥ W⁺) or P(W ≤ W⁺)); ties or zeros with N ≤ 13 enumerate all sign
/// flips. p is capped at 1. `None` when every difference is zero (scipy:
/// NaN, or p = 1 by enumeration for N ≤ 13): the test says nothing then.
pub fn signed_rank(d: &[f64], alternative: Alternative) -> Option<SignedRank> {
    let total = d.len();
    let nonzero: Vec<f64> = d.iter().copied().filter(|v| *v != 0.0).collect();
    let n = nonzero.len();
    if n == 0 || nonzero.iter().any(|v| v.is_nan()) {
        return None;
    }
    let magnitudes: Vec<f64> = nonzero.iter().map(|v| v.abs()).collect();
    let ranks = average_ranks(&magnitudes, true);
    let w_plus: f64 = ranks
        .iter()
        .zip(&nonzero)
        .filter(|(_, d)| **d > 0.0)
        .map(|(r, _)| r)
        .sum();
    let w_minus: f64 = ranks
        .iter()
        .zip(&nonzero)
        .filter(|(_, d)| **d < 0.0)
        .map(|(r, _)| r)
        .sum();
    let ties = tie_term(&magnitudes);
    let zeros = total > n;
    let method = if total > 50 {
        SignedRankMethod::Normal
    } else if ties == 0.0 && !zeros {
        SignedRankMethod::Exact
    } else if total <= 13 {
        SignedRankMethod::Enumeration
    } else {
        SignedRankMethod::Normal
    };
    let p = match method {
        SignedRankMethod::Normal => {
            let nf = n as f64;
            let mean = nf * (nf + 1.0) * 0.25;
            let se = ((nf * (nf + 1.0) * (2.0 * nf + 1.0) - ties / 2.0) / 24.0).sqrt();
            let z = (w_plus - mean) / se;
            match alternative {
                Alternative::TwoSided => 2.0 * normal_cdf(-z.abs()),
                Alternative::Greater => normal_cdf(-z),
                Alternative::Less => normal_cdf(z),
            }
        }
        SignedRankMethod::Exact | SignedRankMethod::Enumeration => {
            // Sums of doubled ranks are integers (midranks are multiples of ½).
            let weights: Vec<usize> = ranks.iter().map(|r| (2.0 * r).round() as usize).collect();
            let counts = subset_sum_counts(&weights);
            let all: f64 = counts.iter().map(|&c| c as f64).sum();
            let observed = (2.0 * w_plus).round() as usize;
            let at_most: u64 = counts[..=observed].iter().sum();
            let at_least: u64 = counts[observed..].iter().sum();
            let (at_most, at_least) = (at_most as f64 / all, at_least as f64 / all);
            match alternative {
                Alternative::TwoSided => 2.0 * at_most.min(at_least),
                Alternative::Greater => at_least,
                Alternative::Less => at_most,
            }
        }
    };
    Some(SignedRank {
        statistic: match alternative {
            Alternative::TwoSided => w_plus.min(w_minus),
            Alternative::Greater | Alternative::Less => w_plus,
        },
        p_value: p.min(1.0),
        method,
        n,
    })
}

/// How many of the 2ⁿ subsets of `weights` have each sum 0..=Σw.
fn subset_sum_counts(weights: &[usize]) -> Vec<u64> {
    let mut counts = vec![0u64; weights.iter().sum::<usize>() + 1];
    counts[0] = 1;
    let mut reach = 0;
    for &w in weights {
        for s in (0..=reach).rev() {
            counts[s + w] += counts[s];
        }
        reach += w;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_positive_differences_have_the_smallest_exact_p() {
        // W⁺ = 15 of 2⁵ sign patterns: p = 2/32
        let r = signed_rank(&[1.0, 2.0, 3.0, 4.0, 5.0], Alternative::TwoSided).unwrap();
        assert_eq!(r.method, SignedRankMethod::Exact);
        assert_eq!(r.statistic, 0.0);
        assert!((r.p_value - 0.0625).abs() < 1e-15);
    }

    #[test]
    fn no_difference_is_no_test() {
        assert!(signed_rank(&[0.0, 0.0], Alternative::Greater).is_none());
        assert!(
            signed_rank_pair(&[f64::INFINITY], &[f64::INFINITY], Alternative::TwoSided).is_none()
        );
    }
}
