//! Post-hoc tests on mean ranks after a Friedman test (Demšar 2006, section
//! 3.2.2): Nemenyi's all-pairs test with its critical difference, and
//! Bonferroni–Dunn against a control. Both use the standard error of a
//! difference of mean ranks, √(k(k + 1)/(6N)).

use super::nct::normal_cdf;
use super::studentized_range;

/// √(k(k + 1)/(6N)): the standard error of a difference of two mean ranks
/// of k methods over N tasks.
pub fn rank_se(k: usize, n: usize) -> f64 {
    let (k, n) = (k as f64, n as f64);
    (k * (k + 1.0) / (6.0 * n)).sqrt()
}

/// Demšar's q_α: the 1 − α quantile of the studentized range of k groups
/// at infinite df, divided by √2 (1.959964 for k = 2 at α = 0.05).
pub fn nemenyi_q(alpha: f64, k: usize) -> f64 {
    studentized_range::quantile_upper(alpha, k) / std::f64::consts::SQRT_2
}

/// The Nemenyi critical difference CD = q_α·√(k(k + 1)/(6N)): two mean
/// ranks differing by more are significantly different.
pub fn nemenyi_cd(alpha: f64, k: usize, n: usize) -> f64 {
    nemenyi_q(alpha, k) * rank_se(k, n)
}

/// One Nemenyi pair: the studentized range statistic
/// q = |R_a − R_b|·√2/√(k(k + 1)/(6N)) and p = P(Q > q) at infinite df, as
/// scikit-posthocs `posthoc_nemenyi_friedman` (already family-wise).
pub fn nemenyi_pair(mean_a: f64, mean_b: f64, k: usize, n: usize) -> (f64, f64) {
    let q = (mean_a - mean_b).abs() / rank_se(k, n) * std::f64::consts::SQRT_2;
    (q, studentized_range::sf(q, k))
}

/// Bonferroni–Dunn against a control: z = (R_other − R_control)/√(k(k + 1)/(6N))
/// (positive when the control ranks better) and the two-sided normal
/// p = 2Φ(−|z|), to be corrected over the k − 1 comparisons.
pub fn dunn(control: f64, other: f64, k: usize, n: usize) -> (f64, f64) {
    let z = (other - control) / rank_se(k, n);
    (z, (2.0 * normal_cdf(-z.abs())).min(1.0))
}
