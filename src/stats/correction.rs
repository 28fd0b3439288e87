//! Multiple-comparison corrections with the semantics of statsmodels
//! `multipletests`: the same adjusted p-values (`[1]`) and decisions (`[0]`).

use serde::{Deserialize, Serialize};

/// A multiple-comparison correction (`--correction`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Correction {
    /// Holm's step-down Bonferroni (the default); statsmodels "holm".
    Holm,
    /// Bonferroni; statsmodels "bonferroni".
    Bonferroni,
    /// Šidák; statsmodels "sidak".
    Sidak,
    /// Holm's step-down with Šidák steps; statsmodels "holm-sidak".
    HolmSidak,
    /// Hochberg's step-up; statsmodels "simes-hochberg".
    Hochberg,
    /// Hommel; statsmodels "hommel".
    Hommel,
    /// Benjamini–Hochberg false discovery rate; statsmodels "fdr_bh".
    Bh,
    /// Benjamini–Yekutieli false discovery rate; statsmodels "fdr_by".
    By,
    /// Two-stage Benjamini–Hochberg (adaptive, with the number of true
    /// nulls estimated from a first BH pass); statsmodels "fdr_tsbh".
    FdrTsbh,
    /// Two-stage Benjamini–Krieger–Yekutieli (their Definition 6);
    /// statsmodels "fdr_tsbky".
    FdrTsbky,
    /// No correction: adjusted p = p.
    None,
}

impl Correction {
    /// Every correction, in the order of `--help`.
    pub const ALL: [Correction; 11] = [
        Correction::Holm,
        Correction::Bonferroni,
        Correction::Sidak,
        Correction::HolmSidak,
        Correction::Hochberg,
        Correction::Hommel,
        Correction::Bh,
        Correction::By,
        Correction::FdrTsbh,
        Correction::FdrTsbky,
        Correction::None,
    ];

    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Correction::Holm => "holm",
            Correction::Bonferroni => "bonferroni",
            Correction::Sidak => "sidak",
            Correction::HolmSidak => "holm-sidak",
            Correction::Hochberg => "hochberg",
            Correction::Hommel => "hommel",
            Correction::Bh => "bh",
            Correction::By => "by",
            Correction::FdrTsbh => "fdr-tsbh",
            Correction::FdrTsbky => "fdr-tsbky",
            Correction::None => "none",
        }
    }
}

/// Adjusted p-values in the input order, equal to statsmodels
/// `multipletests(p, alpha, method=...)[1]` (methods "holm", "bonferroni",
/// "sidak", "holm-sidak", "simes-hochberg", "hommel", "fdr_bh", "fdr_by",
/// "fdr_tsbh", "fdr_tsbky"), with p₍ᵢ₎ sorted ascending, i = 1..m:
/// - bonferroni m·p; sidak 1 − (1 − p)^m;
/// - holm cummax((m − i + 1)·p₍ᵢ₎); holm-sidak cummax(1 − (1 − p₍ᵢ₎)^(m−i+1));
/// - hochberg reverse cummin((m − i + 1)·p₍ᵢ₎); bh reverse cummin(m/i·p₍ᵢ₎);
///   by the same times Σ_{j≤m} 1/j;
/// - hommel by statsmodels' loop over subset sizes;
/// - fdr-tsbh and fdr-tsbky as [`two_stage`]: the bh values scaled by the
///   estimated share of true nulls, which depends on `alpha`.
///
/// `alpha` (the family level) matters only for the two-stage methods: their
/// adjusted p-values are specific to it (statsmodels' Notes) and cannot be
/// compared with another level. All are capped at 1. Ties get equal adjusted
/// values. Expects p in [0, 1] (p-values of defined tests); an empty input
/// gives an empty output.
pub fn adjust(p: &[f64], method: Correction, alpha: f64) -> Vec<f64> {
    let order = ascending_order(p);
    let sorted: Vec<f64> = order.iter().map(|&i| p[i]).collect();
    let adjusted_sorted = match method {
        Correction::None => sorted,
        Correction::Bonferroni => {
            let m = sorted.len() as f64;
            sorted.iter().map(|&v| v * m).collect()
        }
        Correction::Sidak => {
            let m = sorted.len() as f64;
            sorted.iter().map(|&v| sidak(v, m)).collect()
        }
        Correction::Holm => step_down(&sorted, |v, k| v * k),
        Correction::HolmSidak => step_down(&sorted, sidak),
        Correction::Hochberg => step_up(&sorted, |v, _, k| v * k),
        // p/(i/m), the operation order of statsmodels' p / ecdf
        Correction::Bh => {
            let m = sorted.len() as f64;
            step_up(&sorted, |v, i, _| v / (i / m))
        }
        Correction::By => {
            let (m, harmonic) = (sorted.len() as f64, harmonic(sorted.len()));
            step_up(&sorted, |v, i, _| v / (i / m / harmonic))
        }
        Correction::Hommel => hommel(&sorted),
        Correction::FdrTsbh => two_stage(&sorted, alpha, false).1,
        Correction::FdrTsbky => two_stage(&sorted, alpha, true).1,
    };
    let mut adjusted = vec![0.0; p.len()];
    for (&i, v) in order.iter().zip(adjusted_sorted) {
        adjusted[i] = v.min(1.0);
    }
    adjusted
}

/// Which hypotheses are rejected at family level `alpha`, in the input order,
/// equal to statsmodels `multipletests(p, alpha, method=...)[0]`: bonferroni
/// p ≤ α/m, sidak p ≤ 1 − (1 − α)^(1/m); holm and holm-sidak reject the
/// sorted p-values before the first one above its step threshold
/// (α/(m − i + 1), resp. 1 − (1 − α)^(1/(m − i + 1))); hochberg, bh and by
/// reject all sorted p-values up to the last one at or below its threshold
/// (α/(m − i + 1), α·i/m, α·i/(m·Σ1/j)); hommel and none compare the
/// adjusted p with α; fdr-tsbh and fdr-tsbky take the decisions of their
/// last BH stage ([`two_stage`]).
pub fn reject(p: &[f64], method: Correction, alpha: f64) -> Vec<bool> {
    let order = ascending_order(p);
    let sorted: Vec<f64> = order.iter().map(|&i| p[i]).collect();
    let m = sorted.len() as f64;
    let rejected_sorted: Vec<bool> = match method {
        Correction::None => sorted.iter().map(|&v| v <= alpha).collect(),
        Correction::Hommel => hommel(&sorted).iter().map(|&v| v <= alpha).collect(),
        Correction::Bonferroni => sorted.iter().map(|&v| v <= alpha / m).collect(),
        Correction::Sidak => {
            let threshold = sidak_threshold(alpha, m);
            sorted.iter().map(|&v| v <= threshold).collect()
        }
        Correction::Holm => reject_step_down(&sorted, |k| alpha / k),
        Correction::HolmSidak => reject_step_down(&sorted, |k| sidak_threshold(alpha, k)),
        Correction::Hochberg => reject_step_up(&sorted, |_, k| alpha / k),
        Correction::Bh => reject_step_up(&sorted, |i, _| i / m * alpha),
        Correction::By => {
            let harmonic = harmonic(sorted.len());
            reject_step_up(&sorted, |i, _| i / m / harmonic * alpha)
        }
        Correction::FdrTsbh => two_stage(&sorted, alpha, false).0,
        Correction::FdrTsbky => two_stage(&sorted, alpha, true).0,
    };
    let mut rejected = vec![false; p.len()];
    for (&i, r) in order.iter().zip(rejected_sorted) {
        rejected[i] = r;
    }
    rejected
}

/// Indices that sort `p` ascending (stable, NaN last).
fn ascending_order(p: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..p.len()).collect();
    order.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    order
}

/// 1 − (1 − p)^k, as −expm1(k·log1p(−p)) like statsmodels.
fn sidak(p: f64, k: f64) -> f64 {
    -(k * (-p).ln_1p()).exp_m1()
}

/// Per-test level 1 − (1 − α)^(1/k).
fn sidak_threshold(alpha: f64, k: f64) -> f64 {
    1.0 - (1.0 - alpha).powf(1.0 / k)
}

/// Σ_{j=1..m} 1/j.
fn harmonic(m: usize) -> f64 {
    (1..=m).map(|j| 1.0 / j as f64).sum()
}

/// Running maximum of f(p₍ᵢ₎, m − i + 1) over the sorted p-values.
fn step_down(sorted: &[f64], f: impl Fn(f64, f64) -> f64) -> Vec<f64> {
    let m = sorted.len();
    let mut running = f64::NEG_INFINITY;
    sorted
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            running = running.max(f(v, (m - i) as f64));
            running
        })
        .collect()
}

/// Running minimum from the largest p of f(p₍ᵢ₎, i, m − i + 1) (i 1-based).
fn step_up(sorted: &[f64], f: impl Fn(f64, f64, f64) -> f64) -> Vec<f64> {
    let m = sorted.len();
    let mut out = vec![0.0; m];
    let mut running = f64::INFINITY;
    for i in (0..m).rev() {
        running = running.min(f(sorted[i], (i + 1) as f64, (m - i) as f64));
        out[i] = running;
    }
    out
}

/// Rejects sorted p-values before the first above `threshold(m − i + 1)`.
fn reject_step_down(sorted: &[f64], threshold: impl Fn(f64) -> f64) -> Vec<bool> {
    let m = sorted.len();
    let first_kept = (0..m)
        .find(|&i| sorted[i] > threshold((m - i) as f64))
        .unwrap_or(m);
    (0..m).map(|i| i < first_kept).collect()
}

/// Rejects sorted p-values up to the last one ≤ `threshold(i, m − i + 1)`.
fn reject_step_up(sorted: &[f64], threshold: impl Fn(f64, f64) -> f64) -> Vec<bool> {
    let m = sorted.len();
    let last_rejected = (0..m)
        .rev()
        .find(|&i| sorted[i] <= threshold((i + 1) as f64, (m - i) as f64));
    (0..m)
        .map(|i| last_rejected.is_some_and(|last| i <= last))
        .collect()
}

/// Hommel's adjusted p-values of sorted p, statsmodels' algorithm: for each
/// subset size k = m..2, c = min_j k·p₍m−k+j₎/j over the k largest; the k
/// largest are raised to at least c, the others to at least min(k·p, c).
fn hommel(sorted: &[f64]) -> Vec<f64> {
    let m = sorted.len();
    let mut adjusted = sorted.to_vec();
    for k in (2..=m).rev() {
        let tail = m - k;
        let kf = k as f64;
        let c = sorted[tail..]
            .iter()
            .enumerate()
            .map(|(j, &v)| kf * v / (j + 1) as f64)
            .fold(f64::INFINITY, f64::min);
        for a in &mut adjusted[tail..] {
            *a = a.max(c);
        }
        for (a, &v) in adjusted[..tail].iter_mut().zip(sorted) {
            *a = a.max((kf * v).min(c));
        }
    }
    adjusted
}

/// statsmodels `fdrcorrection_twostage(sorted, alpha, method, maxiter=1)`:
/// decisions and adjusted p-values (not yet capped at 1) of sorted p.
///
/// Stage 1 is BH at α′ (α′ = α for "bh"; α/(1 + α) for "bky", Benjamini,
/// Krieger and Yekutieli 2006, Definition 6), rejecting r₁. When r₁ is 0 or
/// m, those are the decisions and the adjusted p are the BH ones times
/// (1 + α) for "bky". Otherwise m₀ = m − r₁ estimates the true nulls; stage 2
/// is BH at α* = α′·m/m₀, whose decisions are returned, with the BH adjusted
/// p-values (capped at 1) times m₀/m, and times (1 + α) for "bky", in
/// statsmodels' order of operations.
fn two_stage(sorted: &[f64], alpha: f64, bky: bool) -> (Vec<bool>, Vec<f64>) {
    let m = sorted.len() as f64;
    let alpha_prime = if bky { alpha / (1.0 + alpha) } else { alpha };
    let bh: Vec<f64> = step_up(sorted, |v, i, _| v / (i / m))
        .into_iter()
        .map(|v| v.min(1.0))
        .collect();
    let bh_reject = |level: f64| reject_step_up(sorted, |i, _| i / m * level);
    let first = bh_reject(alpha_prime);
    let r1 = first.iter().filter(|&&r| r).count();
    if r1 == 0 || r1 == sorted.len() {
        let fact = if bky { 1.0 + alpha } else { 1.0 };
        return (first, bh.iter().map(|v| v * fact).collect());
    }
    let m0 = m - r1 as f64;
    let second = bh_reject(alpha_prime * m / m0);
    let scale = m0 / m;
    let adjusted = bh
        .iter()
        .map(|v| {
            let a = v * scale;
            if bky { a * (1.0 + alpha) } else { a }
        })
        .collect();
    (second, adjusted)
}
