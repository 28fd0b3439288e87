//! The studentized range distribution with infinite degrees of freedom: the
//! range of k independent standard normals. Its quantile gives the Nemenyi
//! critical difference (Demšar 2006, section 3.2.2), computed here rather than
//! tabled, for any k and α.
//!
//! P(Q ≤ q) = k ∫ φ(z) [Φ(z) − Φ(z − q)]^(k−1) dz (Hartley 1942), integrated by
//! composite 20-point Gauss–Legendre over z ∈ [−9, 9] (φ(9) ≈ 1e-18) in
//! panels of 0.25: the integrand is analytic with features on the scale of
//! the normal, so the quadrature error is far below the 1e-12 of
//! `scipy.stats.studentized_range(k, np.inf)` (nquad, epsabs 1e-11), which
//! it is tested against.

use std::sync::OnceLock;

use super::nct::normal_cdf;

const ORDER: usize = 20;
const LIMIT: f64 = 9.0;
const PANEL: f64 = 0.25;

/// Gauss–Legendre nodes and weights on [−1, 1], by Newton's method on the
/// Legendre polynomial (Press et al., Numerical Recipes, `gauleg`).
fn nodes() -> &'static [(f64, f64)] {
    static NODES: OnceLock<Vec<(f64, f64)>> = OnceLock::new();
    NODES.get_or_init(|| {
        let n = ORDER;
        let mut out = vec![(0.0, 0.0); n];
        for i in 0..n.div_ceil(2) {
            let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n as f64 + 0.5)).cos();
            let mut derivative = 1.0;
            for _ in 0..100 {
                let (mut p1, mut p2) = (1.0, 0.0);
                for j in 0..n {
                    let p3 = p2;
                    p2 = p1;
                    p1 = ((2 * j + 1) as f64 * z * p2 - j as f64 * p3) / (j + 1) as f64;
                }
                derivative = n as f64 * (z * p1 - p2) / (z * z - 1.0);
                let previous = z;
                z = previous - p1 / derivative;
                if (z - previous).abs() < 1e-15 {
                    break;
                }
            }
            let weight = 2.0 / ((1.0 - z * z) * derivative * derivative);
            out[i] = (-z, weight);
            out[n - 1 - i] = (z, weight);
        }
        out
    })
}

/// ∫_{−9}^{9} f(z) dz by composite Gauss–Legendre.
fn integrate(f: impl Fn(f64) -> f64) -> f64 {
    let panels = (2.0 * LIMIT / PANEL).round() as usize;
    let half = PANEL / 2.0;
    let mut total = 0.0;
    for p in 0..panels {
        let centre = -LIMIT + (p as f64 + 0.5) * PANEL;
        let panel: f64 = nodes().iter().map(|&(x, w)| w * f(centre + half * x)).sum();
        total += half * panel;
    }
    total
}

fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// P(Q ≤ q) for the range Q of `k` ≥ 2 standard normals (0 for q ≤ 0).
pub fn cdf(q: f64, k: usize) -> f64 {
    if q <= 0.0 {
        return 0.0;
    }
    let m = (k - 1) as i32;
    let value = integrate(|z| normal_pdf(z) * (normal_cdf(z) - normal_cdf(z - q)).powi(m));
    (k as f64 * value).clamp(0.0, 1.0)
}

/// P(Q > q), integrated directly so that small tails keep their digits:
/// k ∫ φ(z) (Φ(z)^(k−1) − [Φ(z) − Φ(z − q)]^(k−1)) dz, the difference of
/// powers taken as a^m·(−expm1(m·ln(1 − c/a))).
pub fn sf(q: f64, k: usize) -> f64 {
    if q <= 0.0 {
        return 1.0;
    }
    let m = (k - 1) as f64;
    let value = integrate(|z| {
        let a = normal_cdf(z);
        let c = normal_cdf(z - q);
        if a <= 0.0 {
            return 0.0;
        }
        let power = a.powf(m);
        let difference = if c >= a {
            power
        } else {
            power * -(m * (-c / a).ln_1p()).exp_m1()
        };
        normal_pdf(z) * difference
    });
    (k as f64 * value).clamp(0.0, 1.0)
}

/// The q with P(Q > q) = `alpha` (the 1 − α quantile), for k ≥ 2 and
/// 0 < α < 1, by bisection on [`sf`] to 1e-13 relative.
pub fn quantile_upper(alpha: f64, k: usize) -> f64 {
    let (mut lo, mut hi) = (0.0_f64, 2.0_f64);
    while sf(hi, k) > alpha {
        lo = hi;
        hi *= 2.0;
    }
    while hi - lo > 1e-13 * hi {
        let mid = 0.5 * (lo + hi);
        if sf(mid, k) > alpha {
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
    fn two_groups_have_the_closed_form_of_a_scaled_normal() {
        // Q = |Z1 − Z2| = √2·|Z|: P(Q ≤ q) = 2Φ(q/√2) − 1
        for q in [0.3, 1.0, 2.5, 4.0] {
            let exact = 2.0 * normal_cdf(q / 2f64.sqrt()) - 1.0;
            assert!((cdf(q, 2) - exact).abs() < 1e-14, "{q}");
            assert!((sf(q, 2) - (1.0 - exact)).abs() < 1e-14, "{q}");
        }
        let q = quantile_upper(0.05, 2) / 2f64.sqrt();
        assert!((q - 1.959963984540054).abs() < 1e-10, "{q}");
    }
}
