//! The Bayesian correlated t-test (Corani & Benavoli 2015) of paired
//! differences, in closed form as baycomp's `CorrelatedTTest.probs`: the
//! posterior of the mean difference is Student's t with n − 1 degrees of
//! freedom, location d̄ and scale √((1/n + ρ/(1 − ρ))·s_d²), and a region of
//! practical equivalence ±rope splits it into three probabilities.
//!
//! ρ is the correlation of the differences: 0 for independent seeds, the test
//! share n_test/(n_test + n_train) for cross-validation folds (baycomp's
//! `runs` argument sets it to 1/folds).

use serde::Serialize;

use crate::stats::describe::{mean, variance};
use crate::stats::inference::{Undefined, check_groups, is_constant};
use crate::stats::nct::t_sf;

/// Posterior probabilities that treatment − baseline lies left of −rope,
/// inside ±rope and right of +rope; they sum to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RopeProbabilities {
    pub left: f64,
    pub inside: f64,
    pub right: f64,
}

/// The posterior of tᵢ − bᵢ (slices aligned by seed id by the caller) with
/// region ±`rope` and correlation `rho` in [0, 1). Undefined when a value is
/// not finite, there are fewer than 2 pairs, the slices differ in length or
/// every difference is the same (baycomp then returns a point mass; a
/// posterior without spread from a handful of seeds would claim certainty).
pub fn correlated_t(
    baseline: &[f64],
    treatment: &[f64],
    rope: f64,
    rho: f64,
) -> Result<RopeProbabilities, Undefined> {
    if baseline.len() != treatment.len() {
        return Err(Undefined::Unpaired {
            n_baseline: baseline.len(),
            n_treatment: treatment.len(),
        });
    }
    check_groups(baseline, treatment)?;
    let diffs: Vec<f64> = treatment.iter().zip(baseline).map(|(t, b)| t - b).collect();
    if is_constant(&diffs) {
        return Err(Undefined::NoVariance);
    }
    let n = diffs.len() as f64;
    let (location, var) = (
        mean(&diffs).ok_or(Undefined::NoVariance)?,
        variance(&diffs, 1).ok_or(Undefined::NoVariance)?,
    );
    let scale = (var * (1.0 / n + rho / (1.0 - rho))).sqrt();
    let df = n - 1.0;
    // each tail from the survival function, so a small one keeps its digits
    let left = t_sf((location + rope) / scale, df);
    let right = t_sf((rope - location) / scale, df);
    if !(left.is_finite() && right.is_finite()) {
        return Err(Undefined::NoVariance);
    }
    Ok(RopeProbabilities {
        left,
        inside: (1.0 - left - right).max(0.0),
        right,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symmetric_posterior_splits_its_tails_evenly() {
        // d = ±1 around 0: location 0, so left = right
        let b = [0.0, 0.0, 0.0, 0.0];
        let t = [1.0, -1.0, 1.0, -1.0];
        let p = correlated_t(&b, &t, 0.5, 0.0).unwrap();
        assert!((p.left - p.right).abs() < 1e-15);
        assert!((p.left + p.inside + p.right - 1.0).abs() < 1e-15);
    }

    #[test]
    fn constant_differences_have_no_posterior() {
        let r = correlated_t(&[1.0, 2.0], &[2.0, 3.0], 0.1, 0.0);
        assert_eq!(r, Err(Undefined::NoVariance));
    }
}
