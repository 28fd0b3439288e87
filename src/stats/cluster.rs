//! Means of clustered observations (several test questions per passage or
//! video): the cluster-robust standard error CR1, its t-test and interval
//! with G − 1 degrees of freedom, and the cluster bootstrap.
//!
//! The CR1 error of a mean is that of OLS on an intercept alone with
//! `cov_type="cluster"` in statsmodels (`use_correction=True`): with residuals
//! eᵢ = yᵢ − ȳ, cluster sums E_g = Σ_{i∈g} eᵢ, N observations and G clusters,
//! Var(ȳ) = G/(G − 1)·(N − 1)/(N − K)·Σ_g E_g²/N² with K = 1, so the second
//! factor is 1.

use crate::stats::bootstrap::{self, BootstrapConfig, CHUNK_RESAMPLES, CiMethod, Interval};
use crate::stats::describe;
use crate::stats::inference::Alternative;
use crate::stats::nct::{t_cdf, t_sf};
use crate::stats::rng;

/// Observations grouped into clusters: value i belongs to cluster `of[i]`
/// (0-based, every cluster below `count` has at least one value).
#[derive(Debug, Clone, Copy)]
pub struct Clustered<'a> {
    pub values: &'a [f64],
    pub of: &'a [u32],
    pub count: usize,
}

/// The CR1 mean of clustered observations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusteredMean {
    pub mean: f64,
    /// CR1 standard error of the mean.
    pub se: f64,
    /// G − 1, the df of the t-test and interval.
    pub df: f64,
}

/// The mean and its CR1 standard error. `None` when fewer than 2 clusters,
/// the lengths differ, a cluster index is out of range, a value is not
/// finite, or the standard error is 0 (every cluster's residuals sum to 0,
/// e.g. no variance).
pub fn cr1_mean(data: Clustered) -> Option<ClusteredMean> {
    let n = data.values.len();
    if data.count < 2 || n != data.of.len() || !data.values.iter().all(|v| v.is_finite()) {
        return None;
    }
    let mean = describe::mean(data.values)?;
    let mut sums = vec![0.0; data.count];
    for (v, &g) in data.values.iter().zip(data.of) {
        *sums.get_mut(g as usize)? += v - mean;
    }
    let g = data.count as f64;
    let meat: f64 = sums.iter().map(|s| s * s).sum();
    let se = (g / (g - 1.0) * meat).sqrt() / n as f64;
    (se > 0.0 && se.is_finite()).then_some(ClusteredMean {
        mean,
        se,
        df: g - 1.0,
    })
}

impl ClusteredMean {
    /// t = mean/se against 0, and its p-value with G − 1 df (statsmodels'
    /// `t_test` of the intercept with `use_t=True`).
    pub fn t_test(&self, alternative: Alternative) -> (f64, f64) {
        let t = self.mean / self.se;
        let p = match alternative {
            Alternative::TwoSided => 2.0 * t_sf(t.abs(), self.df),
            Alternative::Greater => t_sf(t, self.df),
            Alternative::Less => t_cdf(t, self.df),
        };
        (t, p.min(1.0))
    }

    /// mean ± t(1 − α/2, G − 1)·se.
    pub fn t_interval(&self, confidence: f64) -> Option<[f64; 2]> {
        let q = describe::t_quantile(1.0 - (1.0 - confidence) / 2.0, self.df)?;
        Some([self.mean - q * self.se, self.mean + q * self.se])
    }
}

/// The cluster bootstrap interval of the mean: each resample draws G clusters
/// with replacement and takes the mean of every observation they hold
/// (Σ drawn cluster sums / Σ drawn cluster sizes), resample chunks drawn from
/// `rng::stream(seed, key, c)`. Percentile or basic as `cfg.method`; BCa is
/// formed as percentile (its jackknife over clusters is not implemented) and
/// the interval says so. `None` as [`cr1_mean`] for fewer than 2 clusters.
pub fn bootstrap_ci(data: Clustered, cfg: &BootstrapConfig, key: u64) -> Option<Interval> {
    if data.count < 2 || data.values.len() != data.of.len() || cfg.resamples == 0 {
        return None;
    }
    let count = u32::try_from(data.count).ok()?;
    let mut sums = vec![0.0; data.count];
    let mut sizes = vec![0.0; data.count];
    for (v, &g) in data.values.iter().zip(data.of) {
        *sums.get_mut(g as usize)? += v;
        sizes[g as usize] += 1.0;
    }
    let theta = describe::mean(data.values)?;
    let mut replicates = match Kinds::of(&sums, &sizes) {
        Some(kinds) => kinds.replicates(data.count, cfg, key),
        None => index_replicates(&sums, &sizes, count, cfg, key),
    };
    Some(percentile_or_basic(theta, &mut replicates, cfg, "cluster"))
}

/// Replicates from G drawn cluster indices each.
fn index_replicates(
    sums: &[f64],
    sizes: &[f64],
    count: u32,
    cfg: &BootstrapConfig,
    key: u64,
) -> Vec<f64> {
    let mut replicates = vec![0.0; cfg.resamples];
    rng::fill_in_chunks(
        &mut replicates,
        CHUNK_RESAMPLES,
        cfg.seed,
        key,
        |stream, slots| {
            let mut drawn = vec![0u32; sums.len()];
            for slot in slots {
                stream.fill_indices(count, &mut drawn);
                let (mut total, mut size) = (0.0, 0.0);
                for &g in &drawn {
                    total += sums[g as usize];
                    size += sizes[g as usize];
                }
                *slot = total / size;
            }
        },
    );
    replicates
}

/// The distinct (sum, size) pairs of the clusters and how many clusters have
/// each. A resample's statistic, Σ drawn sums / Σ drawn sizes, depends only on
/// how many clusters of each pair it draws: Multinomial(G; mⱼ/G) for
/// multiplicities mⱼ, the same distribution as G index draws. Clusters of 0/1
/// scores of equal size (passages of 10 questions) take few pairs, so a
/// resample is a few binomial draws instead of G.
struct Kinds {
    sums: Vec<f64>,
    sizes: Vec<f64>,
    counts: Vec<u64>,
}

impl Kinds {
    /// `None` when there are more pairs than the multinomial path pays for
    /// (as the one-sample path of [`bootstrap`]).
    fn of(sums: &[f64], sizes: &[f64]) -> Option<Kinds> {
        let pairs = sums.iter().copied().zip(sizes.iter().copied());
        let mut seen = bootstrap::few_distinct(pairs)?;
        // ascending, so the draws do not depend on the clusters' order
        seen.sort_by(|((s1, z1), _), ((s2, z2), _)| s1.total_cmp(s2).then(z1.total_cmp(z2)));
        Some(Kinds {
            sums: seen.iter().map(|((s, _), _)| *s).collect(),
            sizes: seen.iter().map(|((_, z), _)| *z).collect(),
            counts: seen.iter().map(|(_, c)| *c).collect(),
        })
    }

    /// Resample chunks from `rng::stream(seed, key, c)`, as the index path.
    fn replicates(&self, clusters: usize, cfg: &BootstrapConfig, key: u64) -> Vec<f64> {
        let mut out = vec![0.0; cfg.resamples];
        rng::fill_in_chunks(&mut out, CHUNK_RESAMPLES, cfg.seed, key, |stream, slots| {
            let mut drawn = vec![0u64; self.counts.len()];
            for slot in slots {
                bootstrap::draw_multinomial(stream, clusters as u64, &self.counts, &mut drawn);
                let (mut total, mut size) = (0.0, 0.0);
                for ((&s, &z), &c) in self.sums.iter().zip(&self.sizes).zip(&drawn) {
                    total += c as f64 * s;
                    size += c as f64 * z;
                }
                *slot = total / size;
            }
        });
        out
    }
}

/// The interval of `cfg.method` from replicates of a resampling design with
/// no jackknife here: BCa becomes percentile, with a note naming the design.
fn percentile_or_basic(
    theta: f64,
    replicates: &mut [f64],
    cfg: &BootstrapConfig,
    design: &str,
) -> Interval {
    let method = match cfg.method {
        CiMethod::Bca => CiMethod::Percentile,
        other => other,
    };
    let mut interval =
        bootstrap::interval_from_replicates(theta, replicates, cfg.confidence, method, 0.0);
    if cfg.method == CiMethod::Bca && interval.note.is_none() {
        interval.note = Some(format!(
            "the {design} bootstrap interval is a percentile interval (BCa is not defined for it here)"
        ));
    }
    interval
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_sd(x: &[f64]) -> (f64, f64) {
        let m = x.iter().sum::<f64>() / x.len() as f64;
        let v = x.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (x.len() - 1) as f64;
        (m, v.sqrt())
    }

    #[test]
    fn clusters_of_few_kinds_resample_as_counts_with_the_spread_of_index_draws() {
        // 3,000 passages of 5 or 6 questions, 0/1 scores: at most 13 (sum, size) kinds
        let (mut sums, mut sizes) = (Vec::new(), Vec::new());
        for g in 0..3000u64 {
            let size = 5 + g % 2;
            sizes.push(size as f64);
            sums.push(((g * 7919) % (size + 1)) as f64);
        }
        let kinds = Kinds::of(&sums, &sizes).expect("few kinds");
        assert!(kinds.counts.len() <= 13);
        assert_eq!(kinds.counts.iter().sum::<u64>(), 3000);
        let cfg = BootstrapConfig {
            resamples: 20_000,
            confidence: 0.95,
            method: CiMethod::Percentile,
            seed: 0,
        };
        let by_counts = kinds.replicates(3000, &cfg, 7);
        let by_index = index_replicates(&sums, &sizes, 3000, &cfg, 7);
        let ((m1, s1), (m2, s2)) = (mean_sd(&by_counts), mean_sd(&by_index));
        let theta = sums.iter().sum::<f64>() / sizes.iter().sum::<f64>();
        // same distribution: means within 4 Monte Carlo errors of θ, sds within 4%
        for m in [m1, m2] {
            assert!(
                (m - theta).abs() < 4.0 * s1 / (20_000f64).sqrt(),
                "{m} vs {theta}"
            );
        }
        assert!((s1 / s2 - 1.0).abs() < 0.04, "sd {s1} vs {s2}");
        // many kinds: index draws
        let spread: Vec<f64> = (0..3000).map(|g| g as f64).collect();
        assert!(Kinds::of(&spread, &sizes).is_none());
    }

    #[test]
    fn one_observation_per_cluster_gives_the_iid_error_times_the_small_sample_factor() {
        // G = N: Var = N/(N−1)·Σe²/N² = s²/N, the usual sem
        let values = [1.0, 2.0, 4.0, 7.0];
        let of = [0, 1, 2, 3];
        let r = cr1_mean(Clustered {
            values: &values,
            of: &of,
            count: 4,
        })
        .unwrap();
        let sem = describe::sem(&values, 1).unwrap();
        assert!((r.se - sem).abs() < 1e-14, "{} vs {sem}", r.se);
        assert_eq!(r.df, 3.0);
    }

    #[test]
    fn one_cluster_has_no_error() {
        let r = cr1_mean(Clustered {
            values: &[1.0, 2.0],
            of: &[0, 0],
            count: 1,
        });
        assert!(r.is_none());
    }
}
