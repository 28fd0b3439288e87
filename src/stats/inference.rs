//! Hypothesis tests of a treatment against a baseline over per-seed values.
//!
//! Groups are passed as `(baseline, treatment)` and every statistic is
//! treatment − baseline: t > 0 when the treatment mean is larger, and
//! `Alternative::Greater` is "the treatment is larger". In scipy terms each
//! test is `f(treatment, baseline, alternative=...)`.
//!
//! Undefined tests are errors, never NaN: fewer than 2 seeds in a group, or no
//! variance in either group (DESIGN §4).

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

pub use crate::stats::alternative::Alternative;
use crate::stats::describe::{self, mean, t_quantile, variance};
use crate::stats::nct::{normal_cdf, t_sf};
use crate::stats::rng;
use crate::stats::wilcoxon::{self, SignedRankMethod};

/// Which hypothesis test compares the two groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestKind {
    /// Welch's unequal-variance t-test (the default).
    Welch,
    /// Student's pooled-variance t-test.
    Student,
    /// Paired t-test on per-seed differences (seeds matched by id).
    Paired,
    /// Mann–Whitney U (Wilcoxon rank-sum).
    MannWhitney,
    /// Permutation test of the difference of means.
    Permutation,
    /// McNemar's exact test on paired 0/1 example scores (`stats::mcnemar`).
    Mcnemar,
    /// Wilcoxon signed-rank test of the per-seed differences (`stats::wilcoxon`).
    Wilcoxon,
    /// Nadeau–Bengio corrected resampled t-test of paired fold scores.
    #[serde(rename = "corrected-t")]
    CorrectedT,
    /// Almost Stochastic Order: ε_min (`stats::aso`), not a p-value.
    Aso,
}

impl TestKind {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            TestKind::Welch => "welch",
            TestKind::Student => "student",
            TestKind::Paired => "paired",
            TestKind::MannWhitney => "mannwhitney",
            TestKind::Permutation => "permutation",
            TestKind::Mcnemar => "mcnemar",
            TestKind::Wilcoxon => "wilcoxon",
            TestKind::CorrectedT => "corrected-t",
            TestKind::Aso => "aso",
        }
    }

    /// Whether the test matches the two groups' seeds (or folds) by id.
    pub fn is_paired(self) -> bool {
        matches!(
            self,
            TestKind::Paired | TestKind::Wilcoxon | TestKind::CorrectedT
        )
    }
}

/// How Mann–Whitney's p-value is computed (scipy's `method`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MwuMethod {
    /// Exact when a group has at most 8 seeds and nothing ties, else asymptotic.
    Auto,
    /// The exact null distribution of U (ties are not corrected for, as scipy).
    Exact,
    /// The normal approximation with the tie correction.
    Asymptotic,
}

impl MwuMethod {
    /// The name used on the command line and in reports.
    pub fn name(self) -> &'static str {
        match self {
            MwuMethod::Auto => "auto",
            MwuMethod::Exact => "exact",
            MwuMethod::Asymptotic => "asymptotic",
        }
    }
}

/// Settings of the tests that have any: the permutation test's number of
/// Monte Carlo resamples (exact enumeration is used when all splits number at
/// most this many) and seeded stream (`seed`, task `key` from
/// `rng::stream_key`), Mann–Whitney's method and continuity correction, and
/// the corrected t-test's test/train ratio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TestConfig {
    /// Monte Carlo resamples, and the enumeration limit.
    pub resamples: u64,
    /// The user's `--seed`.
    pub seed: u64,
    /// Stream key of this comparison (`rng::stream_key`).
    pub key: u64,
    /// Mann–Whitney's p-value method.
    pub mwu_method: MwuMethod,
    /// Mann–Whitney's continuity correction of the normal approximation.
    pub continuity: bool,
    /// n_test/n_train of the folds, for the corrected t-test.
    pub test_train_ratio: Option<f64>,
}

impl TestConfig {
    /// A permutation stream with scipy's defaults for everything else.
    pub const fn seeded(resamples: u64, seed: u64, key: u64) -> TestConfig {
        TestConfig {
            resamples,
            seed,
            key,
            mwu_method: MwuMethod::Auto,
            continuity: true,
            test_train_ratio: None,
        }
    }
}

/// Outcome of a defined test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    /// t for the t-tests, U of the treatment for Mann–Whitney,
    /// mean(treatment) − mean(baseline) for the permutation test.
    pub statistic: f64,
    /// Degrees of freedom of the t-tests.
    pub df: Option<f64>,
    /// The p-value for the requested alternative, in [0, 1].
    pub p_value: f64,
    /// Smallest p-value these group sizes can produce, for the discrete
    /// (exact or Monte Carlo) tests; `None` for t-tests and asymptotic ones.
    pub min_p_value: Option<f64>,
    /// Whether the p-value comes from an exact null distribution.
    pub exact: bool,
    /// How the p-value was obtained, for the report's notes.
    pub notes: Vec<String>,
}

impl TestResult {
    /// Whether a p-value ≤ `alpha` is achievable at all with these group
    /// sizes (false e.g. for 3 vs 3 seeds under an exact permutation test,
    /// whose smallest two-sided p is 0.1): the report then says so.
    pub fn can_reach(&self, alpha: f64) -> bool {
        self.min_p_value.is_none_or(|min_p| min_p <= alpha)
    }
}

/// Why a test has no result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Undefined {
    /// A group has fewer than 2 seeds.
    #[error(
        "needs at least 2 seeds per group (baseline has {n_baseline}, treatment has {n_treatment})"
    )]
    TooFewSeeds {
        /// Seeds in the baseline.
        n_baseline: usize,
        /// Seeds in the treatment.
        n_treatment: usize,
    },
    /// Every value is the same within each group (or every paired difference
    /// is the same).
    #[error("no variance across seeds — was the seed applied?")]
    NoVariance,
    /// A paired test got groups of different sizes.
    #[error(
        "the paired test needs the same seeds in both groups (baseline has {n_baseline}, treatment has {n_treatment})"
    )]
    Unpaired {
        /// Seeds in the baseline.
        n_baseline: usize,
        /// Seeds in the treatment.
        n_treatment: usize,
    },
    /// A value is NaN or infinite.
    #[error("a value is not finite (NaN or infinity)")]
    NonFinite,
    /// A value is beyond [`describe::LARGEST_USABLE`], where the variance
    /// overflows.
    #[error("{}", describe::TOO_LARGE)]
    TooLarge,
    /// The corrected t-test was asked for without a test/train ratio in (0, 1).
    #[error("the corrected t-test needs a test/train ratio in (0, 1)")]
    NoTestTrainRatio,
}

/// Runs the test `kind` of treatment against baseline.
///
/// Undefined (an `Err`) when a value is not finite, a group has fewer than 2
/// seeds, both groups have zero variance (every test, per DESIGN), or for the
/// paired tests when the groups differ in size or the differences are all
/// equal. See each test's function for the reference it matches.
pub fn run_test(
    kind: TestKind,
    baseline: &[f64],
    treatment: &[f64],
    alternative: Alternative,
    config: &TestConfig,
) -> Result<TestResult, Undefined> {
    if kind.is_paired() && baseline.len() != treatment.len() {
        return Err(Undefined::Unpaired {
            n_baseline: baseline.len(),
            n_treatment: treatment.len(),
        });
    }
    check_groups(baseline, treatment)?;
    let result = match kind {
        TestKind::Welch => welch(baseline, treatment, alternative),
        TestKind::Student => student(baseline, treatment, alternative),
        TestKind::Paired => paired(baseline, treatment, alternative),
        TestKind::MannWhitney => Some(mann_whitney(baseline, treatment, alternative, config)),
        TestKind::Permutation => Some(permutation(baseline, treatment, alternative, config)),
        TestKind::Wilcoxon => signed_rank(baseline, treatment, alternative),
        TestKind::CorrectedT => {
            let ratio = config
                .test_train_ratio
                .filter(|r| *r > 0.0 && *r < 1.0)
                .ok_or(Undefined::NoTestTrainRatio)?;
            corrected_t(baseline, treatment, ratio, alternative)
        }
        // per-seed values have no McNemar test: it is run over examples (`stats::mcnemar`);
        // ASO gives ε_min, not a p-value (`stats::aso`)
        TestKind::Mcnemar | TestKind::Aso => None,
    };
    // a constant set of paired differences, or variances so small that the
    // standard error underflows, leave the statistic undefined
    result
        .filter(|r| r.statistic.is_finite() && r.p_value.is_finite())
        .ok_or(Undefined::NoVariance)
}

/// Smallest p-value an exact test can give with these group sizes: for the
/// exact permutation test tails/C(n_b + n_t, n_b) (two-sided: 2/C; 3 vs 3
/// seeds: 0.1), and the same for Mann–Whitney when scipy's `method='auto'`
/// would use the exact distribution (a group of at most 8 seeds, assuming no
/// ties), capped at 1. `None` for the t-tests, for the asymptotic
/// Mann–Whitney and when a group has fewer than 2 seeds.
pub fn min_p_value(
    kind: TestKind,
    n_baseline: usize,
    n_treatment: usize,
    alternative: Alternative,
) -> Option<f64> {
    if n_baseline < 2 || n_treatment < 2 {
        return None;
    }
    let exact = match kind {
        TestKind::Welch
        | TestKind::Student
        | TestKind::Paired
        | TestKind::Mcnemar
        | TestKind::Wilcoxon
        | TestKind::CorrectedT
        | TestKind::Aso => false,
        TestKind::MannWhitney => n_baseline <= 8 || n_treatment <= 8,
        TestKind::Permutation => true,
    };
    exact.then(|| (alternative.tails() / binomial(n_baseline + n_treatment, n_baseline)).min(1.0))
}

/// The t interval of treatment − baseline that goes with the test `kind`, as
/// scipy's `confidence_interval(confidence)` of the matching t-test: Student's
/// pooled interval for `Student` (`ttest_ind(equal_var=True)`), the interval
/// of the paired differences for `Paired` and `Wilcoxon` (`ttest_rel`), the
/// Nadeau–Bengio corrected one for `CorrectedT`, and Welch's
/// (`ttest_ind(equal_var=False)`) for the rest: Δ ± t(q, ν)·se. A one-sided
/// alternative gives one bound and `None` for the infinite end: `Greater`
/// bounds Δ from below (upper end +∞), `Less` from above.
///
/// `None` when the test's groups are undefined (see [`run_test`]), the paired
/// differences are constant, or `confidence` is not in (0, 1).
pub fn diff_interval(
    kind: TestKind,
    baseline: &[f64],
    treatment: &[f64],
    confidence: f64,
    alternative: Alternative,
    config: &TestConfig,
) -> Option<[Option<f64>; 2]> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    if kind.is_paired() && baseline.len() != treatment.len() {
        return None;
    }
    check_groups(baseline, treatment).ok()?;
    let (diff, se, df) = match kind {
        TestKind::Student => student_parts(baseline, treatment)?,
        TestKind::Paired | TestKind::Wilcoxon => corrected_parts(baseline, treatment, 0.0)?,
        TestKind::CorrectedT => {
            let ratio = config.test_train_ratio.filter(|r| *r > 0.0 && *r < 1.0)?;
            corrected_parts(baseline, treatment, ratio)?
        }
        TestKind::Welch
        | TestKind::MannWhitney
        | TestKind::Permutation
        | TestKind::Mcnemar
        | TestKind::Aso => welch_parts(baseline, treatment)?,
    };
    let level = match alternative {
        Alternative::TwoSided => 1.0 - (1.0 - confidence) / 2.0,
        Alternative::Greater | Alternative::Less => confidence,
    };
    let half = t_quantile(level, df)? * se;
    let (lo, hi) = (diff - half, diff + half);
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    Some(match alternative {
        Alternative::TwoSided => [Some(lo), Some(hi)],
        Alternative::Greater => [Some(lo), None],
        Alternative::Less => [None, Some(hi)],
    })
}

/// Rejects non-finite values, groups under 2 seeds and two constant groups.
pub(crate) fn check_groups(baseline: &[f64], treatment: &[f64]) -> Result<(), Undefined> {
    if !baseline.iter().chain(treatment).all(|v| v.is_finite()) {
        return Err(Undefined::NonFinite);
    }
    if describe::too_large(baseline) || describe::too_large(treatment) {
        return Err(Undefined::TooLarge);
    }
    if baseline.len() < 2 || treatment.len() < 2 {
        return Err(Undefined::TooFewSeeds {
            n_baseline: baseline.len(),
            n_treatment: treatment.len(),
        });
    }
    if is_constant(baseline) && is_constant(treatment) {
        return Err(Undefined::NoVariance);
    }
    Ok(())
}

/// All values equal. Tested exactly rather than by variance = 0, because
/// the two-pass variance of equal values need not round to 0.
pub(crate) fn is_constant(x: &[f64]) -> bool {
    x.windows(2).all(|w| w[0] == w[1])
}

/// (mean difference, pooled standard error, n_b + n_t − 2) of Student's test.
fn student_parts(baseline: &[f64], treatment: &[f64]) -> Option<(f64, f64, f64)> {
    let (nb, nt) = (baseline.len() as f64, treatment.len() as f64);
    let df = nb + nt - 2.0;
    let pooled = ((nb - 1.0) * variance(baseline, 1)? + (nt - 1.0) * variance(treatment, 1)?) / df;
    let se = (pooled * (1.0 / nb + 1.0 / nt)).sqrt();
    Some((mean(treatment)? - mean(baseline)?, se, df))
}

/// (mean difference, standard error, Welch–Satterthwaite df).
fn welch_parts(baseline: &[f64], treatment: &[f64]) -> Option<(f64, f64, f64)> {
    let (nb, nt) = (baseline.len() as f64, treatment.len() as f64);
    let vb = variance(baseline, 1)? / nb;
    let vt = variance(treatment, 1)? / nt;
    let df = (vb + vt).powi(2) / (vb * vb / (nb - 1.0) + vt * vt / (nt - 1.0));
    let diff = mean(treatment)? - mean(baseline)?;
    Some((diff, (vb + vt).sqrt(), df))
}

/// p-value of a t statistic with `df` degrees of freedom.
fn t_p_value(t: f64, df: f64, alternative: Alternative) -> f64 {
    match alternative {
        Alternative::TwoSided => (2.0 * t_sf(t.abs(), df)).min(1.0),
        Alternative::Greater => t_sf(t, df),
        Alternative::Less => t_sf(-t, df),
    }
}

fn t_result(t: f64, df: f64, alternative: Alternative) -> TestResult {
    TestResult {
        statistic: t,
        df: Some(df),
        p_value: t_p_value(t, df, alternative),
        min_p_value: None,
        exact: false,
        notes: Vec::new(),
    }
}

/// Welch's t-test: t = (m_t − m_b)/√(s_t²/n_t + s_b²/n_b) with the
/// Welch–Satterthwaite df, as `scipy.stats.ttest_ind(t, b, equal_var=False)`.
/// Groups are checked by [`run_test`].
fn welch(baseline: &[f64], treatment: &[f64], alternative: Alternative) -> Option<TestResult> {
    let (diff, se, df) = welch_parts(baseline, treatment)?;
    Some(t_result(diff / se, df, alternative))
}

/// Student's t-test with the pooled variance
/// s² = ((n_b − 1)s_b² + (n_t − 1)s_t²)/(n_b + n_t − 2), df = n_b + n_t − 2,
/// as `scipy.stats.ttest_ind(t, b, equal_var=True)`.
fn student(baseline: &[f64], treatment: &[f64], alternative: Alternative) -> Option<TestResult> {
    let (diff, se, df) = student_parts(baseline, treatment)?;
    Some(t_result(diff / se, df, alternative))
}

/// Paired t-test on dᵢ = tᵢ − bᵢ (slices aligned by seed id by the caller):
/// t = d̄/(s_d/√n), df = n − 1, as `scipy.stats.ttest_rel(t, b)`. Undefined
/// when every difference is the same.
fn paired(baseline: &[f64], treatment: &[f64], alternative: Alternative) -> Option<TestResult> {
    let (d, se, df) = corrected_parts(baseline, treatment, 0.0)?;
    Some(t_result(d / se, df, alternative))
}

/// Mann–Whitney U of the treatment, U_t = R_t − n_t(n_t + 1)/2 with average
/// ranks, as `scipy.stats.mannwhitneyu(t, b, method=M, use_continuity=C)`.
/// `auto` takes the exact null distribution when a group has at most 8 seeds
/// and there are no ties, else the normal approximation with the tie
/// correction (and the continuity correction unless `C` is false). `exact`
/// with ties takes P(U ≥ ⌊U⌋) of the untied distribution, as scipy does; when
/// that distribution is too large to count (both groups of about 60 seeds
/// and more) the normal approximation is used, with a note. Two-sided
/// p = 2·P(U ≥ max(U_t, U_b)), capped at 1.
fn mann_whitney(
    baseline: &[f64],
    treatment: &[f64],
    alternative: Alternative,
    config: &TestConfig,
) -> TestResult {
    let (nb, nt) = (baseline.len(), treatment.len());
    let ranking = rank_pooled(treatment, baseline);
    let u_t = ranking.rank_sum_first - (nt * (nt + 1)) as f64 / 2.0;
    let u_b = (nb * nt) as f64 - u_t;
    let u = match alternative {
        Alternative::Greater => u_t,
        Alternative::Less => u_b,
        Alternative::TwoSided => u_t.max(u_b),
    };
    let ties = ranking.tie_term != 0.0;
    let wants_exact = match config.mwu_method {
        MwuMethod::Auto => (nb <= 8 || nt <= 8) && !ties,
        MwuMethod::Exact => true,
        MwuMethod::Asymptotic => false,
    };
    let exact_counts = if wants_exact {
        u_null_counts(nb.min(nt), nb.max(nt))
    } else {
        None
    };
    let mut notes = Vec::new();
    if wants_exact && exact_counts.is_none() {
        notes.push(
            "the exact distribution of U is too large to count: normal approximation used"
                .to_string(),
        );
    }
    let (p_tail, min_p, exact) = match exact_counts {
        Some(counts) => {
            // sf at ⌊U⌋ includes the mass at U
            let total: u128 = counts.iter().sum();
            let at_least: u128 = counts.iter().skip(u as usize).sum();
            let min_p = alternative.tails() / total as f64;
            notes.push(if ties {
                "exact null distribution of U, not corrected for ties".to_string()
            } else {
                "exact null distribution of U (no ties)".to_string()
            });
            (at_least as f64 / total as f64, Some(min_p.min(1.0)), true)
        }
        None => {
            notes.push(if config.continuity {
                "normal approximation of U with tie and continuity correction".to_string()
            } else {
                "normal approximation of U with tie correction, no continuity correction"
                    .to_string()
            });
            let shape = (nb as f64, nt as f64, ranking.tie_term);
            (u_normal_sf(u, shape, config.continuity), None, false)
        }
    };
    TestResult {
        statistic: u_t,
        df: None,
        p_value: (alternative.tails() * p_tail).clamp(0.0, 1.0),
        min_p_value: min_p,
        exact,
        notes,
    }
}

/// Wilcoxon signed-rank test of tᵢ − bᵢ (aligned by seed id by the caller),
/// as `scipy.stats.wilcoxon(t, b, alternative=A)`; see [`wilcoxon::signed_rank`].
/// The smallest p of an exact or enumerated test is tails/2ⁿ over the n
/// non-zero differences (3 seeds two-sided: 0.25).
fn signed_rank(
    baseline: &[f64],
    treatment: &[f64],
    alternative: Alternative,
) -> Option<TestResult> {
    let r = wilcoxon::signed_rank_pair(treatment, baseline, alternative)?;
    let (min_p, note) = match r.method {
        SignedRankMethod::Exact => (true, "exact null distribution of W⁺"),
        SignedRankMethod::Enumeration => (
            true,
            "every sign flip of the differences enumerated (ties or zeros)",
        ),
        SignedRankMethod::Normal => (false, "normal approximation of W⁺ with the tie correction"),
    };
    let min_p = min_p.then(|| (alternative.tails() / 2f64.powi(r.n as i32)).min(1.0));
    Some(TestResult {
        statistic: r.statistic,
        df: None,
        p_value: r.p_value,
        min_p_value: min_p,
        exact: min_p.is_some(),
        notes: vec![note.to_string()],
    })
}

/// Nadeau–Bengio corrected resampled t-test of dᵢ = tᵢ − bᵢ over J folds or
/// splits (Nadeau & Bengio 2003): t = d̄/√((1/J + n_test/n_train)·s_d²),
/// df = J − 1. Scores of folds that share training data are correlated, and
/// the plain paired t (variance s_d²/J) rejects too often (Dietterich 1998).
fn corrected_t(
    baseline: &[f64],
    treatment: &[f64],
    ratio: f64,
    alternative: Alternative,
) -> Option<TestResult> {
    let (d, se, df) = corrected_parts(baseline, treatment, ratio)?;
    let mut result = t_result(d / se, df, alternative);
    result.notes.push(format!(
        "variance corrected for overlapping training sets (Nadeau–Bengio, test/train ratio {ratio})"
    ));
    Some(result)
}

/// (mean difference, standard error, df) of the paired differences with the
/// Nadeau–Bengio variance factor 1/J + `ratio` (0 for the plain paired
/// test); `None` when the differences are all equal.
fn corrected_parts(baseline: &[f64], treatment: &[f64], ratio: f64) -> Option<(f64, f64, f64)> {
    let diffs: Vec<f64> = treatment.iter().zip(baseline).map(|(t, b)| t - b).collect();
    if is_constant(&diffs) {
        return None;
    }
    let j = diffs.len() as f64;
    let var = variance(&diffs, 1)?;
    // var/J + ratio·var rather than (1/J + ratio)·var: exactly the plain
    // paired standard error when ratio = 0
    let se = (var / j + ratio * var).sqrt();
    Some((mean(&diffs)?, se, j - 1.0))
}

/// Average ranks of `first` followed by `second`.
struct Ranking {
    /// Sum of the ranks of `first`.
    rank_sum_first: f64,
    /// Σ(t³ − t) over groups of t tied values.
    tie_term: f64,
}

fn rank_pooled(first: &[f64], second: &[f64]) -> Ranking {
    let pooled: Vec<(f64, bool)> = first
        .iter()
        .map(|&v| (v, true))
        .chain(second.iter().map(|&v| (v, false)))
        .collect();
    let mut order: Vec<usize> = (0..pooled.len()).collect();
    order.sort_by(|&i, &j| pooled[i].0.total_cmp(&pooled[j].0));
    let (mut rank_sum_first, mut tie_term) = (0.0, 0.0);
    let mut start = 0;
    while start < order.len() {
        let value = pooled[order[start]].0;
        let end = start
            + order[start..]
                .iter()
                .take_while(|&&i| pooled[i].0 == value)
                .count();
        // ranks start..end (0-based) share the average 1-based rank
        let average = (start + end + 1) as f64 / 2.0;
        let in_first = order[start..end].iter().filter(|&&i| pooled[i].1).count();
        rank_sum_first += average * in_first as f64;
        let t = (end - start) as f64;
        tie_term += t * t * t - t;
        start = end;
    }
    Ranking {
        rank_sum_first,
        tie_term,
    }
}

/// Upper tail of U by the normal approximation, as scipy's `_get_mwu_z`:
/// z = (U − n_b·n_t/2 − ½)/σ with σ² = n_b·n_t/12·((n + 1) − Σ(t³ − t)/(n(n − 1))),
/// without the ½ when `continuity` is false. `shape` is (n_b, n_t, Σ(t³ − t)).
fn u_normal_sf(u: f64, (nb, nt, tie_term): (f64, f64, f64), continuity: bool) -> f64 {
    let n = nb + nt;
    let sigma = (nb * nt / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
    let half = if continuity { 0.5 } else { 0.0 };
    let z = (u - nb * nt / 2.0 - half) / sigma;
    normal_cdf(-z)
}

/// Number of splits giving each value u = 0..=m·n of U for groups of m ≤ n:
/// the coefficients of the Gaussian binomial Π_{i=1..m} (1 − q^(n+i))/(1 − q^i),
/// in exact integers. `None` if they would overflow (astronomical n only).
fn u_null_counts(m: usize, n: usize) -> Option<Vec<u128>> {
    if binomial(m + n, m) > 1e36 {
        return None;
    }
    let degree = m * n;
    let mut poly = vec![0i128; degree + 1];
    poly[0] = 1;
    for i in 1..=m {
        let up = n + i;
        for u in (up..=degree).rev() {
            poly[u] -= poly[u - up];
        }
        for u in i..=degree {
            poly[u] += poly[u - i];
        }
    }
    poly.into_iter().map(|c| u128::try_from(c).ok()).collect()
}

/// C(n, k) as f64 (exact below 2⁵³, else to about 1e-13 relative).
fn binomial(n: usize, k: usize) -> f64 {
    if k > n {
        return 0.0;
    }
    let k = k.min(n - k);
    if k < 60 {
        (1..=k)
            .fold(1.0, |acc, i| acc * (n - k + i) as f64 / i as f64)
            .round()
    } else {
        (ln_gamma(n as f64 + 1.0) - ln_gamma(k as f64 + 1.0) - ln_gamma((n - k) as f64 + 1.0)).exp()
    }
}

/// Resamples per Monte Carlo chunk (and combinations per enumeration chunk):
/// each chunk has its own random stream, so results do not depend on how
/// rayon schedules chunks.
const CHUNK: u64 = 4096;

/// Permutation test of mean(t) − mean(b), as `scipy.stats.permutation_test(
/// (t, b), mean_diff, permutation_type='independent', n_resamples=R)`:
/// exact enumeration of all C(n, n_b) splits when that is ≤ R, else R seeded
/// Monte Carlo splits with p = (k + 1)/(R + 1). A null value counts as at
/// least as extreme as the observed one within scipy's tolerance
/// γ = 100·ε·|observed|; two-sided p = 2·min(p_less, p_greater), capped at 1.
fn permutation(
    baseline: &[f64],
    treatment: &[f64],
    alternative: Alternative,
    config: &TestConfig,
) -> TestResult {
    let null = NullSetup::new(baseline, treatment);
    let n_splits = binomial(null.pool.len(), null.k);
    let exact = n_splits <= config.resamples as f64;
    let (counts, total, adjustment, note) = if exact {
        let total = n_splits as u64;
        (
            null.enumerate(total),
            total,
            0,
            "exact: every split of the seeds enumerated",
        )
    } else {
        let total = config.resamples;
        (
            null.monte_carlo(total, config),
            total,
            1,
            "Monte Carlo permutation with seeded resamples",
        )
    };
    let tail = |count: u64| (count + adjustment) as f64 / (total + adjustment) as f64;
    let p = match alternative {
        Alternative::Greater => tail(counts.greater),
        Alternative::Less => tail(counts.less),
        Alternative::TwoSided => 2.0 * tail(counts.less).min(tail(counts.greater)),
    };
    let min_p = alternative.tails() * tail(0).max(1.0 / n_splits);
    TestResult {
        statistic: null.observed,
        df: None,
        p_value: p.clamp(0.0, 1.0),
        min_p_value: Some(min_p.min(1.0)),
        exact,
        notes: vec![note.to_string()],
    }
}

/// Counts of null values ≤ observed + γ (`less`) and ≥ observed − γ (`greater`).
#[derive(Debug, Clone, Copy, Default)]
struct TailCounts {
    less: u64,
    greater: u64,
}

impl TailCounts {
    fn add(self, other: TailCounts) -> TailCounts {
        TailCounts {
            less: self.less + other.less,
            greater: self.greater + other.greater,
        }
    }
}

/// The pooled, centred values and how a split's statistic is computed: from
/// the sum S of the k values drawn for the smaller group.
struct NullSetup {
    /// Pooled values minus their mean (treatment first, as scipy's data order),
    /// so sums stay small and offsets like 1e6 cost no digits.
    pool: Vec<f64>,
    /// Size of the group whose members are drawn (the smaller one).
    k: usize,
    /// Whether the drawn group is the treatment.
    draws_treatment: bool,
    n_baseline: f64,
    n_treatment: f64,
    total: f64,
    observed: f64,
    gamma: f64,
}

impl NullSetup {
    fn new(baseline: &[f64], treatment: &[f64]) -> NullSetup {
        let centre = baseline.iter().chain(treatment).sum::<f64>()
            / (baseline.len() + treatment.len()) as f64;
        let draws_treatment = treatment.len() <= baseline.len();
        // the drawn group first, so the observed split is the first k values
        let (first, second) = if draws_treatment {
            (treatment, baseline)
        } else {
            (baseline, treatment)
        };
        let pool: Vec<f64> = first.iter().chain(second).map(|v| v - centre).collect();
        let mut setup = NullSetup {
            k: first.len(),
            draws_treatment,
            n_baseline: baseline.len() as f64,
            n_treatment: treatment.len() as f64,
            total: pool.iter().sum(),
            pool,
            observed: 0.0,
            gamma: 0.0,
        };
        setup.observed = setup.statistic(setup.pool[..setup.k].iter().sum());
        setup.gamma = (100.0 * f64::EPSILON * setup.observed).abs();
        setup
    }

    /// mean(t) − mean(b) of the split whose drawn group sums to `drawn`.
    fn statistic(&self, drawn: f64) -> f64 {
        let rest = self.total - drawn;
        if self.draws_treatment {
            drawn / self.n_treatment - rest / self.n_baseline
        } else {
            rest / self.n_treatment - drawn / self.n_baseline
        }
    }

    fn count(&self, drawn: f64) -> TailCounts {
        let value = self.statistic(drawn);
        TailCounts {
            less: u64::from(value <= self.observed + self.gamma),
            greater: u64::from(value >= self.observed - self.gamma),
        }
    }

    /// Every k-subset of the pool in lexicographic order, in parallel chunks
    /// of [`CHUNK`] subsets, each started by unranking its first subset.
    fn enumerate(&self, n_subsets: u64) -> TailCounts {
        let n_chunks = n_subsets.div_ceil(CHUNK);
        (0..n_chunks)
            .into_par_iter()
            .map(|chunk| {
                let first = chunk * CHUNK;
                let len = CHUNK.min(n_subsets - first);
                let mut subset = unrank_subset(first, self.pool.len(), self.k);
                let mut counts = TailCounts::default();
                for _ in 0..len {
                    let drawn: f64 = subset.iter().map(|&i| self.pool[i]).sum();
                    counts = counts.add(self.count(drawn));
                    next_subset(&mut subset, self.pool.len());
                }
                counts
            })
            .reduce(TailCounts::default, TailCounts::add)
    }

    /// `resamples` random splits: chunk c draws from `rng::stream(seed, key, c)`
    /// by a partial Fisher–Yates shuffle of a per-chunk copy of the pool.
    fn monte_carlo(&self, resamples: u64, config: &TestConfig) -> TailCounts {
        let n_chunks = resamples.div_ceil(CHUNK);
        // a pool beyond u32 (4·10⁹ values) cannot be held in memory anyway
        let n = u32::try_from(self.pool.len()).unwrap_or(u32::MAX);
        (0..n_chunks)
            .into_par_iter()
            .map(|chunk| {
                let len = CHUNK.min(resamples - chunk * CHUNK);
                let mut rng = rng::stream(config.seed, config.key, chunk);
                let mut pool = self.pool.clone();
                let mut counts = TailCounts::default();
                for _ in 0..len {
                    let mut drawn = 0.0;
                    for i in 0..self.k as u32 {
                        let j = i + rng.index(n - i);
                        pool.swap(i as usize, j as usize);
                        drawn += pool[i as usize];
                    }
                    counts = counts.add(self.count(drawn));
                }
                counts
            })
            .reduce(TailCounts::default, TailCounts::add)
    }
}

/// The `rank`-th k-subset of 0..n in lexicographic order.
fn unrank_subset(mut rank: u64, n: usize, k: usize) -> Vec<usize> {
    let mut subset = Vec::with_capacity(k);
    let mut next = 0;
    for slot in 0..k {
        // skip first elements while the subsets starting with them lie before `rank`
        loop {
            let with_next = binomial(n - next - 1, k - slot - 1) as u64;
            if rank < with_next {
                break;
            }
            rank -= with_next;
            next += 1;
        }
        subset.push(next);
        next += 1;
    }
    subset
}

/// Advances a k-subset of 0..n to its lexicographic successor (the last
/// subset wraps to an unspecified one; callers stop before).
fn next_subset(subset: &mut [usize], n: usize) {
    let k = subset.len();
    let Some(i) = (0..k).rev().find(|&i| subset[i] < n - k + i) else {
        return;
    };
    subset[i] += 1;
    for j in i + 1..k {
        subset[j] = subset[j - 1] + 1;
    }
}
