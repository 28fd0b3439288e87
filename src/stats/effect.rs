//! Effect sizes of treatment against baseline. Signs follow
//! treatment − baseline.

use crate::stats::describe::{mean, variance};

/// Cohen's d = (m_t − m_b)/s_p with the pooled standard deviation
/// s_p = √(((n_b − 1)s_b² + (n_t − 1)s_t²)/(n_b + n_t − 2)) (ddof 1).
/// `None` when a group has fewer than 2 seeds, a value is not finite, or
/// s_p = 0 (no variance in either group).
pub fn cohens_d(baseline: &[f64], treatment: &[f64]) -> Option<f64> {
    if baseline.len() < 2 || treatment.len() < 2 {
        return None;
    }
    let (nb, nt) = (baseline.len() as f64, treatment.len() as f64);
    let pooled_var = ((nb - 1.0) * variance(baseline, 1)? + (nt - 1.0) * variance(treatment, 1)?)
        / (nb + nt - 2.0);
    let d = (mean(treatment)? - mean(baseline)?) / pooled_var.sqrt();
    (pooled_var > 0.0 && d.is_finite()).then_some(d)
}

/// Hedges' g = d·(1 − 3/(4·(n_b + n_t − 2) − 1)), Cohen's d with the
/// small-sample bias factor (Hedges 1981, the approximation DESIGN §4 names).
/// `None` when [`cohens_d`] is.
pub fn hedges_g(baseline: &[f64], treatment: &[f64]) -> Option<f64> {
    let df = (baseline.len() + treatment.len()) as f64 - 2.0;
    cohens_d(baseline, treatment).map(|d| d * (1.0 - 3.0 / (4.0 * df - 1.0)))
}

/// Probability of improvement P(X_t better than X_b) + ½·P(X_t = X_b) over
/// all n_b·n_t pairs, "better" meaning larger when `higher_is_better`, else
/// smaller (= U_t/(n_b·n_t) of Mann–Whitney, or its complement). Counted by
/// binary search in the sorted baseline, O((n_b + n_t)·log n_b), so
/// per-example scores are cheap. Defined from one seed per group; `None` for
/// an empty group or a non-finite value.
pub fn prob_improvement(
    baseline: &[f64],
    treatment: &[f64],
    higher_is_better: bool,
) -> Option<f64> {
    if baseline.is_empty() || treatment.is_empty() {
        return None;
    }
    if !baseline.iter().chain(treatment).all(|v| v.is_finite()) {
        return None;
    }
    let mut sorted = baseline.to_vec();
    sorted.sort_by(f64::total_cmp);
    // twice the score, in integers: 2 per strict win, 1 per tie
    let doubled: u64 = treatment
        .iter()
        .map(|&t| {
            let below = sorted.partition_point(|&b| b < t);
            let not_above = sorted.partition_point(|&b| b <= t);
            let wins = if higher_is_better {
                below
            } else {
                sorted.len() - not_above
            };
            (2 * wins + (not_above - below)) as u64
        })
        .sum();
    let pairs = (baseline.len() as f64) * (treatment.len() as f64);
    Some(doubled as f64 / (2.0 * pairs))
}
