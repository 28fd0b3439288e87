//! Confidence intervals of a proportion k/n (an accuracy over test examples
//! scored 0/1), as `statsmodels.stats.proportion.proportion_confint`.

use serde::Serialize;
use statrs::function::beta::beta_reg;
use statrs::function::erf::erfc_inv;

/// Which interval of a proportion (`--proportion-ci`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProportionMethod {
    /// Wilson's score interval (statsmodels `method="wilson"`).
    Wilson,
    /// The exact Clopper–Pearson interval (statsmodels `method="beta"`).
    ClopperPearson,
}

impl ProportionMethod {
    pub fn name(self) -> &'static str {
        match self {
            ProportionMethod::Wilson => "wilson",
            ProportionMethod::ClopperPearson => "clopper-pearson",
        }
    }
}

/// The two-sided interval of `k` successes in `n` trials at `confidence`.
/// `None` when n = 0, k > n or `confidence` is not in (0, 1).
pub fn interval(method: ProportionMethod, k: u64, n: u64, confidence: f64) -> Option<(f64, f64)> {
    if n == 0 || k > n || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    Some(match method {
        ProportionMethod::Wilson => wilson(k, n, confidence),
        ProportionMethod::ClopperPearson => clopper_pearson(k, n, confidence),
    })
}

/// Wilson: with z = Φ⁻¹(1 − α/2) and p̂ = k/n, the centre
/// (p̂ + z²/2n)/(1 + z²/n) ± z·√(p̂(1 − p̂)/n + z²/4n²)/(1 + z²/n), as statsmodels.
fn wilson(k: u64, n: u64, confidence: f64) -> (f64, f64) {
    let alpha = 1.0 - confidence;
    // Φ⁻¹(1 − α/2) = √2·erfc⁻¹(α)
    let z = std::f64::consts::SQRT_2 * erfc_inv(alpha);
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let dist = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    (centre - dist, centre + dist)
}

/// Clopper–Pearson: the α/2 quantile of Beta(k, n − k + 1) and the 1 − α/2
/// quantile of Beta(k + 1, n − k); 0 when k = 0 and 1 when k = n, as statsmodels.
fn clopper_pearson(k: u64, n: u64, confidence: f64) -> (f64, f64) {
    let half = (1.0 - confidence) / 2.0;
    let lo = if k == 0 {
        0.0
    } else {
        beta_quantile(half, k as f64, (n - k + 1) as f64)
    };
    let hi = if k == n {
        1.0
    } else {
        beta_quantile(1.0 - half, (k + 1) as f64, (n - k) as f64)
    };
    (lo, hi)
}

/// The `p` quantile of Beta(a, b) by bisection on the regularised incomplete
/// beta function: the CDF is monotone, so 200 halvings of [0, 1] reach the
/// neighbouring doubles (scipy's `beta.ppf` agrees to about 1e-15).
fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if beta_reg(a, b, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ends_of_the_range_are_exact_for_clopper_pearson() {
        let (lo, hi) = interval(ProportionMethod::ClopperPearson, 0, 10, 0.95).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - 0.308_497_2).abs() < 1e-6, "{hi}");
        let (_, hi) = interval(ProportionMethod::ClopperPearson, 10, 10, 0.95).unwrap();
        assert_eq!(hi, 1.0);
    }

    #[test]
    fn no_trials_have_no_interval() {
        assert!(interval(ProportionMethod::Wilson, 0, 0, 0.95).is_none());
        assert!(interval(ProportionMethod::Wilson, 3, 2, 0.95).is_none());
    }
}
