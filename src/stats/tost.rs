//! Equivalence by two one-sided tests (TOST, Schuirmann 1987; DESIGN section 13).
//!
//! With Δ = mean(treatment) − mean(baseline) and the equivalence bounds
//! (low, upp), TOST rejects "Δ ≤ low" with t₁ = (Δ − low)/se (p₁ = P(T > t₁))
//! and "Δ ≥ upp" with t₂ = (Δ − upp)/se (p₂ = P(T < t₂)); its p is max(p₁, p₂)
//! and "equivalent at α" means p < α, which is the same as the 1 − 2α
//! interval Δ ± t(1 − α, ν)·se lying inside (low, upp). se and ν follow the
//! test: Welch (se² = s_t²/n_t + s_b²/n_b, Welch–Satterthwaite ν) as
//! statsmodels `ttost_ind(t, b, low, upp, usevar="unequal")`, Student's pooled
//! variance as `ttost_ind(..., usevar="pooled")`, and the paired differences
//! dᵢ = tᵢ − bᵢ (se = s_d/√n, ν = n − 1) as `ttost_paired(t, b, low, upp)`.

use serde::Serialize;

use crate::stats::describe::{mean, t_quantile, variance};
use crate::stats::inference::{Undefined, check_groups, is_constant};
use crate::stats::nct::t_sf;

/// Which standard error and degrees of freedom the two one-sided tests use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TostKind {
    Welch,
    Student,
    Paired,
}

/// Outcome of a defined TOST.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tost {
    /// t of "Δ ≤ low" and its upper-tail p.
    pub t_lower: f64,
    pub p_lower: f64,
    /// t of "Δ ≥ upp" and its lower-tail p.
    pub t_upper: f64,
    pub p_upper: f64,
    /// max(p_lower, p_upper).
    pub p_value: f64,
    pub df: f64,
    /// The 1 − 2α interval of Δ that TOST at α implies.
    pub interval: [f64; 2],
}

/// TOST of treatment − baseline within (low, upp) at level `alpha`
/// (the interval is the 1 − 2α one). Undefined for groups under 2 seeds, no
/// variance, non-finite values or bounds, unequal group sizes when paired;
/// `alpha` outside (0, 0.5) is also refused as non-finite (no 1 − 2α interval).
pub fn tost(
    baseline: &[f64],
    treatment: &[f64],
    low: f64,
    upp: f64,
    alpha: f64,
    kind: TostKind,
) -> Result<Tost, Undefined> {
    check_groups(baseline, treatment)?;
    if !(low.is_finite() && upp.is_finite() && alpha > 0.0 && alpha < 0.5) {
        return Err(Undefined::NonFinite);
    }
    let (diff, se, df) = match kind {
        TostKind::Welch => {
            let (nb, nt) = (baseline.len() as f64, treatment.len() as f64);
            let vb = variance(baseline, 1).ok_or(Undefined::NonFinite)? / nb;
            let vt = variance(treatment, 1).ok_or(Undefined::NonFinite)? / nt;
            let df = (vb + vt).powi(2) / (vb * vb / (nb - 1.0) + vt * vt / (nt - 1.0));
            (mean_diff(baseline, treatment)?, (vb + vt).sqrt(), df)
        }
        TostKind::Student => {
            let (nb, nt) = (baseline.len() as f64, treatment.len() as f64);
            let df = nb + nt - 2.0;
            let vb = variance(baseline, 1).ok_or(Undefined::NonFinite)?;
            let vt = variance(treatment, 1).ok_or(Undefined::NonFinite)?;
            let pooled = ((nb - 1.0) * vb + (nt - 1.0) * vt) / df;
            let se = (pooled * (1.0 / nb + 1.0 / nt)).sqrt();
            (mean_diff(baseline, treatment)?, se, df)
        }
        TostKind::Paired => {
            if baseline.len() != treatment.len() {
                return Err(Undefined::Unpaired {
                    n_baseline: baseline.len(),
                    n_treatment: treatment.len(),
                });
            }
            let d: Vec<f64> = treatment.iter().zip(baseline).map(|(t, b)| t - b).collect();
            if is_constant(&d) {
                return Err(Undefined::NoVariance);
            }
            let n = d.len() as f64;
            let var = variance(&d, 1).ok_or(Undefined::NonFinite)?;
            (
                mean(&d).ok_or(Undefined::NonFinite)?,
                (var / n).sqrt(),
                n - 1.0,
            )
        }
    };
    let t_lower = (diff - low) / se;
    let t_upper = (diff - upp) / se;
    let p_lower = t_sf(t_lower, df);
    let p_upper = t_sf(-t_upper, df);
    let q = t_quantile(1.0 - alpha, df).ok_or(Undefined::NonFinite)?;
    let interval = [diff - q * se, diff + q * se];
    if !(t_lower.is_finite() && t_upper.is_finite() && interval.iter().all(|v| v.is_finite())) {
        return Err(Undefined::NonFinite);
    }
    Ok(Tost {
        t_lower,
        p_lower,
        t_upper,
        p_upper,
        p_value: p_lower.max(p_upper),
        df,
        interval,
    })
}

fn mean_diff(baseline: &[f64], treatment: &[f64]) -> Result<f64, Undefined> {
    Ok(
        mean(treatment).ok_or(Undefined::NonFinite)?
            - mean(baseline).ok_or(Undefined::NonFinite)?,
    )
}
