//! Almost Stochastic Order (del Barrio, Cuesta-Albertos & Matrán 2018; Dror,
//! Shlomov & Reichart 2019; DESIGN section 13, `--test aso`).
//!
//! With F⁻¹ the treatment's and G⁻¹ the baseline's empirical quantile
//! function, the violation ratio
//!
//! ε_W₂ = ∫_{F⁻¹(t) < G⁻¹(t)} (G⁻¹(t) − F⁻¹(t))² dt / ∫₀¹ (G⁻¹(t) − F⁻¹(t))² dt
//!
//! is the share of the squared Wasserstein-2 distance where the treatment is
//! below the baseline (0: it dominates stochastically, 1: it is dominated); it
//! is 0.5 when the distance is 0 (the two quantile functions are equal), as
//! deepsig. ε_min is deepsig's `aso(scores_a=treatment, scores_b=baseline)`:
//! with c = √(nm/(n+m)) and σ̂ = std(c·(ε*_b − ε_W₂)) (ddof 0) over bootstrap
//! ratios ε*_b of both groups resampled on their own,
//!
//! ε_min = clip(ε_W₂ − σ̂/c · Φ⁻¹(1 − confidence), 0, 1).
//!
//! Two choices differ from deepsig 1.2.8, both on purpose. The integral is
//! exact: the quantile functions are the step functions
//! F⁻¹(t) = x₍⌈nt⌉₎ (deepsig's `get_quantile_function`), constant between the
//! merged breakpoints k/n and l/m, so each integral is a finite sum; deepsig
//! evaluates them on the grid t = 0.005, 0.010, …, 0.995 (and drops t = 0.005
//! from the numerator only), which moved ε_W₂ by up to 0.03 on the reference
//! cases. And the bootstrap draws come from xreport's seeded streams,
//! so ε_min matches deepsig's within Monte Carlo error (measured in
//! tests/it/stats_aso.rs), not digit for digit. Resampling a group with
//! replacement is deepsig's "sample n uniform t, take F⁻¹(t)".

use statrs::function::erf::erfc_inv;

use crate::stats::inference::{Undefined, check_groups};
use crate::stats::rng::{self, Stream};

/// Bootstrap replicates per random stream: results depend on this constant
/// (each chunk has its own stream), never on the thread count.
const CHUNK: usize = 64;

/// How the bootstrap of ε_min is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AsoConfig {
    /// Bootstrap iterations for σ̂ (deepsig's `num_bootstrap_iterations`,
    /// 1000 there); at least 1.
    pub resamples: usize,
    /// The user's `--seed`.
    pub seed: u64,
    /// The stream key of this comparison ([`rng::stream_key`]).
    pub key: u64,
}

/// The violation ratio of the treatment against the baseline and the
/// bootstrap scale of its error, σ̂/c (module doc): ε_min at any confidence
/// level, in both directions, without resampling again.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AsoEstimate {
    pub ratio: f64,
    pub spread: f64,
}

impl AsoEstimate {
    /// ε_min of the treatment against the baseline at `confidence`.
    pub fn eps_min(&self, confidence: f64) -> Result<f64, AsoError> {
        upper_bound(self.ratio, self.spread, confidence)
    }

    /// ε_min of the baseline against the treatment, from the same bootstrap:
    /// swapping the groups turns every ratio r into 1 − r (a gap of one sign
    /// becomes the other; equal quantile functions stay at ½), so σ̂ is
    /// unchanged.
    pub fn eps_min_reverse(&self, confidence: f64) -> Result<f64, AsoError> {
        upper_bound(1.0 - self.ratio, self.spread, confidence)
    }
}

/// clip(ratio − spread·Φ⁻¹(1 − confidence), 0, 1).
fn upper_bound(ratio: f64, spread: f64, confidence: f64) -> Result<f64, AsoError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(AsoError::Confidence(confidence));
    }
    Ok((ratio - spread * normal_quantile(1.0 - confidence)).clamp(0.0, 1.0))
}

/// Why ε_min is not given.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum AsoError {
    /// The groups admit no test (under 2 seeds, non-finite or too large
    /// values, no variance in either group).
    #[error(transparent)]
    Undefined(#[from] Undefined),
    /// `resamples` is 0.
    #[error("ASO needs at least 1 bootstrap resample")]
    NoResamples,
    /// `confidence` is not strictly between 0 and 1.
    #[error("the ASO confidence level must lie strictly between 0 and 1, found {0}")]
    Confidence(f64),
    /// A group has more values than a 32-bit resampling index reaches.
    #[error("ASO takes at most 4294967295 values per group, found {0}")]
    GroupTooLarge(usize),
}

/// The exact violation ratio ε_W₂ of the treatment against the baseline
/// (module doc), in [0, 1]. Undefined as [`eps_min`].
pub fn violation_ratio(baseline: &[f64], treatment: &[f64]) -> Result<f64, AsoError> {
    let groups = Groups::new(baseline, treatment)?;
    Ok(groups.ratio(&groups.ones_t, &groups.ones_b))
}

/// ε_min of the treatment against the baseline (module doc) at
/// `confidence`: small when the treatment almost stochastically dominates
/// the baseline, higher being better (negate both groups for a
/// lower-is-better metric). Undefined as [`estimate`]; also refused for a
/// confidence outside (0, 1).
pub fn eps_min(
    baseline: &[f64],
    treatment: &[f64],
    confidence: f64,
    config: &AsoConfig,
) -> Result<f64, AsoError> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(AsoError::Confidence(confidence));
    }
    estimate(baseline, treatment, config)?.eps_min(confidence)
}

/// The violation ratio and σ̂/c of the treatment against the baseline.
///
/// Replicate r of the bootstrap lies in chunk r / 64 and draws, from that
/// chunk's stream ([`rng::fill_in_chunks`]), n treatment indices then m
/// baseline indices; a replicate costs O(n + m) (counts of the drawn indices
/// over the sorted groups, then one merge), with buffers allocated per chunk,
/// not per replicate.
///
/// Undefined when a group has under 2 values, a value is not finite or beyond
/// ±1e150, or both groups are constant (DESIGN §4: no variance across seeds;
/// deepsig would answer 0, 0.5 or 1); also refused for 0 resamples or a
/// group over 2³² − 1 values.
pub fn estimate(
    baseline: &[f64],
    treatment: &[f64],
    config: &AsoConfig,
) -> Result<AsoEstimate, AsoError> {
    if config.resamples == 0 {
        return Err(AsoError::NoResamples);
    }
    let groups = Groups::new(baseline, treatment)?;
    let ratio = groups.ratio(&groups.ones_t, &groups.ones_b);
    let mut replicates = vec![0.0; config.resamples];
    rng::fill_in_chunks(
        &mut replicates,
        CHUNK,
        config.seed,
        config.key,
        |stream, slots| groups.replicates(stream, slots),
    );
    let (n, m) = (treatment.len() as f64, baseline.len() as f64);
    let scale = (n * m / (n + m)).sqrt();
    let deviations: Vec<f64> = replicates.iter().map(|r| scale * (r - ratio)).collect();
    let mean = deviations.iter().sum::<f64>() / deviations.len() as f64;
    let sigma_hat = (deviations.iter().map(|d| (d - mean).powi(2)).sum::<f64>()
        / deviations.len() as f64)
        .sqrt();
    Ok(AsoEstimate {
        ratio,
        spread: sigma_hat / scale,
    })
}

/// Both groups sorted, with their sizes as resampling bounds.
struct Groups {
    treatment: Vec<f64>,
    baseline: Vec<f64>,
    n: u32,
    m: u32,
    /// Counts of the groups themselves (every value once).
    ones_t: Vec<u32>,
    ones_b: Vec<u32>,
}

impl Groups {
    fn new(baseline: &[f64], treatment: &[f64]) -> Result<Groups, AsoError> {
        check_groups(baseline, treatment)?;
        let size = |x: &[f64]| u32::try_from(x.len()).map_err(|_| AsoError::GroupTooLarge(x.len()));
        let (n, m) = (size(treatment)?, size(baseline)?);
        let sorted = |x: &[f64]| {
            let mut x = x.to_vec();
            x.sort_unstable_by(f64::total_cmp);
            x
        };
        Ok(Groups {
            treatment: sorted(treatment),
            baseline: sorted(baseline),
            n,
            m,
            ones_t: vec![1; treatment.len()],
            ones_b: vec![1; baseline.len()],
        })
    }

    /// Fill `slots` with bootstrap violation ratios drawn from `stream`.
    fn replicates(&self, stream: &mut Stream, slots: &mut [f64]) {
        let mut draws = vec![0u32; self.treatment.len().max(self.baseline.len())];
        let mut counts_t = vec![0u32; self.treatment.len()];
        let mut counts_b = vec![0u32; self.baseline.len()];
        for slot in slots {
            count_draws(stream, self.n, &mut draws, &mut counts_t);
            count_draws(stream, self.m, &mut draws, &mut counts_b);
            *slot = self.ratio(&counts_t, &counts_b);
        }
    }

    /// ε_W₂ of the samples holding sorted value i `counts[i]` times (n values
    /// of the treatment, m of the baseline), integrated exactly.
    ///
    /// Positions on (0, 1) are integers in units of 1/(nm): a treatment value
    /// drawn c times covers c·m units, a baseline value c·n, so the merged
    /// breakpoints are found without rounding. Pieces are weighted by their
    /// length in (0, 1) rather than in units, which keeps the squared
    /// differences of values up to ±1e150 within range.
    fn ratio(&self, counts_t: &[u32], counts_b: &[u32]) -> f64 {
        let (unit_t, unit_b) = (u64::from(self.m), u64::from(self.n));
        let total = unit_t * unit_b;
        let per_unit = 1.0 / total as f64;
        let (mut i, mut j) = (0, 0);
        let (mut end_t, mut end_b, mut at) = (0u64, 0u64, 0u64);
        let (mut whole, mut violated) = (0.0, 0.0);
        while at < total {
            // step past values drawn 0 times: their pieces are empty
            while end_t <= at {
                end_t += u64::from(counts_t[i]) * unit_t;
                i += 1;
            }
            while end_b <= at {
                end_b += u64::from(counts_b[j]) * unit_b;
                j += 1;
            }
            let next = end_t.min(end_b);
            let gap = self.baseline[j - 1] - self.treatment[i - 1];
            let area = (next - at) as f64 * per_unit * gap * gap;
            whole += area;
            if gap > 0.0 {
                violated += area;
            }
            at = next;
        }
        if whole == 0.0 { 0.5 } else { violated / whole }
    }
}

/// Draw `counts.len()` indices below `bound` into `draws` and count them.
fn count_draws(stream: &mut Stream, bound: u32, draws: &mut [u32], counts: &mut [u32]) {
    let draws = &mut draws[..counts.len()];
    stream.fill_indices(bound, draws);
    counts.fill(0);
    for &d in draws.iter() {
        counts[d as usize] += 1;
    }
}

/// Standard normal quantile Φ⁻¹(p) = −√2·erfc⁻¹(2p) (scipy's `norm.ppf`).
fn normal_quantile(p: f64) -> f64 {
    -std::f64::consts::SQRT_2 * erfc_inv(2.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(seed: u64) -> AsoConfig {
        AsoConfig {
            resamples: 200,
            seed,
            key: 3,
        }
    }

    #[test]
    fn ratio_of_two_crossing_pairs_is_the_hand_computed_share() {
        // F⁻¹ = 1, 2 and G⁻¹ = 0, 3 on (0, ½], (½, 1]: gaps −1 then +1
        assert_eq!(violation_ratio(&[0.0, 3.0], &[1.0, 2.0]), Ok(0.5));
        // unequal sizes: F⁻¹ = 0 on (0, ⅓], 1 after; G⁻¹ = 0, 2 on halves:
        // gaps 0, −1 on (⅓, ½], +1 on (½, 1] → (½)/(⅙ + ½) = ¾
        let got = violation_ratio(&[0.0, 2.0], &[0.0, 1.0, 1.0]).unwrap();
        assert!((got - 0.75).abs() < 1e-15, "{got}");
    }

    #[test]
    fn equal_quantile_functions_give_one_half() {
        assert_eq!(violation_ratio(&[1.0, 2.0], &[2.0, 1.0, 1.0, 2.0]), Ok(0.5));
    }

    #[test]
    fn bad_configuration_is_refused() {
        let (b, t) = ([1.0, 2.0, 3.0], [2.0, 3.0, 4.0]);
        let mut c = config(0);
        c.resamples = 0;
        assert_eq!(eps_min(&b, &t, 0.95, &c), Err(AsoError::NoResamples));
        for confidence in [0.0, 1.0, f64::NAN] {
            assert!(matches!(
                eps_min(&b, &t, confidence, &config(0)),
                Err(AsoError::Confidence(_))
            ));
        }
    }

    #[test]
    fn the_reverse_direction_is_the_swapped_groups_from_the_same_draws() {
        let (b, t) = ([0.3, 0.9, 0.1, 0.5, 0.5], [0.4, 0.2, 0.8, 0.6]);
        let forward = estimate(&b, &t, &config(4)).unwrap();
        let swapped = estimate(&t, &b, &config(4)).unwrap();
        assert!((forward.ratio + swapped.ratio - 1.0).abs() <= 1e-15);
        // the draws differ (n and m trade places), so σ̂ agrees in distribution only
        assert!((forward.spread / swapped.spread - 1.0).abs() < 0.3);
        let (e, r) = (
            forward.eps_min(0.95).unwrap(),
            forward.eps_min_reverse(0.95).unwrap(),
        );
        assert!(
            e + r >= 1.0,
            "upper bounds of complementary ratios: {e} + {r}"
        );
        assert!(forward.eps_min(0.99).unwrap() >= e);
    }

    #[test]
    fn constant_groups_are_undefined() {
        assert_eq!(
            eps_min(&[1.0, 1.0], &[2.0, 2.0], 0.95, &config(0)),
            Err(AsoError::Undefined(Undefined::NoVariance))
        );
    }
}
