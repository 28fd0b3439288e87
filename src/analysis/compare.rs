//! `xreport compare`: each treatment against the baseline, per metric
//! (DESIGN section 4): difference with bootstrap and Welch intervals, the
//! test, p corrected for multiple comparisons, effect sizes, power, seeds
//! needed and a verdict that follows the metric's direction.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::direction::Direction;
use super::examples::{Coverage, ExampleComparison, ExampleScores};
use super::groups::{self, SeedValues};
pub use super::options::Unit;
use super::options::{
    Describe, ExampleOptions, ExampleSettings, Family, Inference, Margin, Metrics, Rope,
};
use super::report::{self, MetricInfo, Repeat, SeedStyle};
use super::roles::Roles;
use super::summary::{self, DescribeSettings, GroupStats};
use crate::load::{Skipped, Study};
use crate::render::format;
use crate::stats::aso::{self, AsoConfig, AsoEstimate};
use crate::stats::bootstrap::{self, CiMethod};
use crate::stats::correction::Correction;
use crate::stats::inference::{self, Alternative, MwuMethod, TestConfig, TestKind};
use crate::stats::power::{self, SeedsNeeded};
use crate::stats::rope::{self, RopeProbabilities};
use crate::stats::tost::{self, TostKind};
use crate::stats::{correction, describe, effect, rng};

#[derive(Debug, Serialize)]
pub struct CompareReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: Settings,
    pub metrics: Vec<MetricInfo>,
    pub groups: Vec<GroupStats>,
    pub comparisons: Vec<Comparison>,
    pub repeats: Vec<Repeat>,
    /// Condition → the label the tables print, where they differ.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// The settings every compare-like report states (DESIGN section 5).
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub alpha: f64,
    pub correction: Correction,
    pub family: Family,
    pub test: TestKind,
    pub alternative: Alternative,
    /// Mann–Whitney's method and continuity correction, with that test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mwu_method: Option<MwuMethod>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub continuity: Option<bool>,
    /// n_test/n_train of the folds, with the corrected t-test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_train_ratio: Option<f64>,
    pub ci_method: CiMethod,
    pub confidence: f64,
    pub resamples: usize,
    pub seed: u64,
    pub ddof: usize,
    /// The `--reduce` rule, stated when training histories were reduced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduce: Option<String>,
    /// The `--max-step` cut applied to histories before reducing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_step: Option<i64>,
    pub target_power: f64,
    pub max_seeds: usize,
    /// `--equivalence`: the TOST margin as given (`0.2` or `1%`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalence: Option<String>,
    /// `--rope`: the margin as given and the correlation ρ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rho: Option<f64>,
    /// `--test aso`: τ and the bootstrap resamples of σ̂.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aso_threshold: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aso_resamples: Option<usize>,
    /// How per-example scores were read (`--example-reduce`, `--missing`,
    /// `--proportion-ci`, `--mid-p`), when the inputs have them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub examples: Option<ExampleSettings>,
}

impl Settings {
    pub fn of(describe: &Describe, inference: &Inference, groups: &[SeedValues]) -> Settings {
        let d = DescribeSettings::of(describe, groups);
        Settings {
            alpha: inference.alpha,
            correction: inference.correction,
            family: inference.family,
            test: inference.test,
            alternative: inference.alternative,
            mwu_method: (inference.test == TestKind::MannWhitney).then_some(inference.mwu_method),
            continuity: (inference.test == TestKind::MannWhitney).then_some(inference.continuity),
            test_train_ratio: inference.test_train_ratio,
            ci_method: d.ci_method,
            confidence: d.confidence,
            resamples: d.resamples,
            seed: d.seed,
            ddof: d.ddof,
            reduce: d.reduce,
            max_step: d.max_step,
            target_power: inference.target_power,
            max_seeds: inference.max_seeds,
            equivalence: inference.equivalence.map(Margin::text),
            rope: inference.rope.map(|r| r.margin.text()),
            rho: inference.rope.map(|r| r.rho),
            aso_threshold: inference.aso_threshold,
            aso_resamples: inference.aso_threshold.map(|_| describe.aso_resamples),
            examples: None,
        }
    }

    /// The descriptive part, as `xreport summary` states it.
    pub fn describe(&self) -> DescribeSettings {
        DescribeSettings {
            ci_method: self.ci_method,
            confidence: self.confidence,
            resamples: self.resamples,
            seed: self.seed,
            ddof: self.ddof,
            reduce: self.reduce.clone(),
            max_step: self.max_step,
        }
    }
}

/// What a comparison concludes (DESIGN section 4, "Verdict").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Undefined,
    Improvement,
    Regression,
    Equivalent,
    WithinNoise,
    NoEvidence,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Undefined => "undefined",
            Verdict::Improvement => "improvement",
            Verdict::Regression => "regression",
            Verdict::Equivalent => "equivalent",
            Verdict::WithinNoise => "within-noise",
            Verdict::NoEvidence => "no-evidence",
        }
    }
}

/// One treatment against the baseline on one metric.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub baseline: String,
    pub treatment: String,
    pub metric: String,
    pub n_baseline: usize,
    pub n_treatment: usize,
    pub mean_baseline: Option<f64>,
    pub mean_treatment: Option<f64>,
    /// With the report's ddof.
    pub std_baseline: Option<f64>,
    pub std_treatment: Option<f64>,
    /// treatment − baseline.
    pub diff: Option<f64>,
    pub diff_ci: Option<[f64; 2]>,
    /// The t interval of the test (DESIGN section 13); a one-sided
    /// alternative has one bound and null for the infinite end.
    pub diff_t_ci: Option<[Option<f64>; 2]>,
    pub statistic: Option<f64>,
    pub df: Option<f64>,
    pub p_value: Option<f64>,
    pub p_adjusted: Option<f64>,
    pub significant: bool,
    pub hedges_g: Option<f64>,
    pub cohens_d: Option<f64>,
    pub prob_improvement: Option<f64>,
    pub power: Option<f64>,
    /// Seeds per group for the target power; null past `max_seeds` (see notes).
    pub seeds_needed: Option<usize>,
    pub verdict: Verdict,
    pub underpowered: bool,
    /// What `diff_ci`, `statistic`, `df` and `p_value` resample and test:
    /// seeds, or (with one seed per condition) paired test examples.
    pub unit: Unit,
    /// The paired per-example comparison, when the inputs have per-example scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub examples: Option<ExampleComparison>,
    /// The TOST of `--equivalence`, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub equivalence: Option<Equivalence>,
    /// The Bayesian correlated t-test of `--rope`, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rope: Option<RopeResult>,
    /// Almost Stochastic Order, with `--test aso`: its fields sit beside the others.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub aso: Option<Aso>,
    pub notes: Vec<String>,
}

/// ε_min of `--test aso` in both directions (DESIGN section 13), oriented
/// by the metric's direction (a lower-is-better metric is negated first):
/// null when ASO is undefined, and `aso_undefined` says why.
#[derive(Debug, Clone, Serialize)]
pub struct Aso {
    /// ε_min of the treatment against the baseline: near 0 when the
    /// treatment is almost stochastically better.
    pub eps_min: Option<f64>,
    /// ε_min of the baseline against the treatment (same bootstrap).
    pub eps_min_reverse: Option<f64>,
    /// The violation ratio ε_W₂ of the treatment against the baseline.
    pub violation_ratio: Option<f64>,
    /// The confidence level of both ε_min: 1 − α, over the family
    /// Bonferroni's 1 − α/m unless `--correction none`.
    pub aso_confidence: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aso_undefined: Option<String>,
    /// The ratio and σ̂/c, from which [`conclude`] gives ε_min once the
    /// family's size is known.
    #[serde(skip)]
    estimate: Option<AsoEstimate>,
}

/// The posterior probabilities of `--rope` (DESIGN section 13): null when
/// the test is undefined, and `undefined` says why.
#[derive(Debug, Clone, Serialize)]
pub struct RopeResult {
    /// The half-width in the metric's unit (a percentage resolved on the baseline mean).
    pub margin: Option<f64>,
    pub rho: f64,
    /// P(Δ < −margin), P(|Δ| ≤ margin), P(Δ > margin) for Δ = treatment − baseline.
    pub left: Option<f64>,
    pub inside: Option<f64>,
    pub right: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
}

/// Posterior probability at which `--rope` decides (DESIGN section 13).
const ROPE_DECIDES: f64 = 0.95;

/// TOST of Δ within ±margin (DESIGN section 13); numbers are null when the
/// test is undefined, and `undefined` says why.
#[derive(Debug, Clone, Serialize)]
pub struct Equivalence {
    /// The half-width in the metric's unit (a percentage resolved on the baseline mean).
    pub margin: Option<f64>,
    pub p_lower: Option<f64>,
    pub p_upper: Option<f64>,
    /// max(p_lower, p_upper), and that p corrected like `p_adjusted`.
    pub p_value: Option<f64>,
    pub p_adjusted: Option<f64>,
    /// The 1 − 2α interval of Δ that the TOST implies.
    pub ci: Option<[f64; 2]>,
    pub equivalent: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub undefined: Option<String>,
}

/// Compare every treatment with the baseline on every selected metric, with
/// the default per-example settings and no coverage (see [`run_with`]).
pub fn run(
    study: &Study,
    roles: &Roles,
    metrics: &Metrics,
    describe: &Describe,
    inference: &Inference,
) -> CompareReport {
    let examples = ExampleOptions::default();
    run_with(
        study,
        roles,
        metrics,
        describe,
        inference,
        &examples,
        &Coverage::new(),
    )
}

/// [`run`] with the per-example settings and the coverage that
/// [`super::examples::prepare`] gave.
pub fn run_with(
    study: &Study,
    roles: &Roles,
    metrics: &Metrics,
    describe: &Describe,
    inference: &Inference,
    examples: &ExampleOptions,
    coverage: &Coverage,
) -> CompareReport {
    let seeds = SeedStyle::of(study);
    let all = groups::seed_values(study, &describe.reduce, &|m| metrics.direction(m));
    let wanted = |g: &&SeedValues| {
        metrics.includes(&g.metric)
            && (g.condition == roles.baseline || roles.treatments.contains(&g.condition))
    };
    let selected: Vec<&SeedValues> = all.iter().filter(wanted).collect();
    let names: Vec<String> = groups::metric_names(&all)
        .into_iter()
        .filter(|m| metrics.includes(m))
        .collect();
    let (mut group_stats, mut comparisons) = compare_groups(
        &selected, roles, &names, metrics, describe, inference, seeds,
    );
    let mut settings = Settings::of(describe, inference, &all);
    if let Some(scores) = ExampleScores::of(study, examples) {
        attach_examples(
            &mut comparisons,
            &scores,
            describe,
            inference,
            examples,
            coverage,
        );
        conclude(&mut comparisons, metrics, inference);
        summary::attach_examples(&mut group_stats, &scores, describe, coverage);
        settings.examples = Some(ExampleSettings::of(examples, scores.clustered()));
    }
    CompareReport {
        xreport_version: report::VERSION,
        schema: "xreport.compare/1",
        skipped: study.skipped.clone(),
        settings,
        metrics: report::metric_info(&names, metrics),
        groups: group_stats,
        comparisons,
        repeats: report::repeats(study, seeds)
            .into_iter()
            .filter(|r| metrics.includes(&r.metric))
            .filter(|r| r.condition == roles.baseline || roles.treatments.contains(&r.condition))
            .collect(),
        labels: study.labels.clone(),
    }
}

/// The statistics of every group (in `groups` order) and every (metric,
/// treatment) comparison of `metric_names` (metric, then treatment order),
/// corrected by family. Metrics are worked on in parallel, one at a time per
/// thread: each group's bootstrap replicates are drawn once, for its own
/// interval and for every difference it enters, and dropped with the metric.
pub fn compare_groups(
    groups: &[&SeedValues],
    roles: &Roles,
    metric_names: &[String],
    metrics: &Metrics,
    describe: &Describe,
    inference: &Inference,
    seeds: SeedStyle,
) -> (Vec<GroupStats>, Vec<Comparison>) {
    let mut by_metric: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        by_metric.entry(g.metric.as_str()).or_default().push(i);
    }
    let rank = |metric: &str| metric_names.iter().position(|m| m == metric);
    let mut work: Vec<(&str, Vec<usize>)> = by_metric.into_iter().collect();
    work.sort_by_key(|(metric, _)| rank(metric).unwrap_or(usize::MAX));
    let config = summary::bootstrap_config(describe);
    let per_metric: Vec<MetricResults> = work
        .par_iter()
        .map(|(metric, members)| {
            let replicates: Vec<Option<Vec<f64>>> = members
                .iter()
                .map(|&i| {
                    bootstrap::mean_replicates(
                        &groups[i].values,
                        &config,
                        summary::mean_key(groups[i]),
                    )
                })
                .collect();
            let find = |condition: &str| {
                members
                    .iter()
                    .position(|&i| groups[i].condition == condition)
                    .map(|k| (groups[members[k]], replicates[k].as_deref()))
            };
            let mut comparisons = Vec::new();
            if let (Some(_), Some((base, _))) = (rank(metric), find(&roles.baseline)) {
                // The baseline's side of its differences: resampled independently
                // of the treatments' own replicates, whatever their sizes.
                let base_replicates = bootstrap::baseline_mean_replicates(
                    &base.values,
                    &config,
                    summary::mean_key(base),
                );
                let base = (base, base_replicates.as_deref());
                for treatment in &roles.treatments {
                    if let Some(treat) = find(treatment) {
                        let direction = metrics.direction(metric);
                        comparisons.push(compare_pair(base, treat, direction, describe, inference));
                    }
                }
            }
            // Each group's own interval last: it reorders the replicates that
            // the differences above paired by resample.
            let stats = members
                .iter()
                .zip(replicates)
                .map(|(&i, reps)| {
                    let ci = reps.and_then(|r| {
                        bootstrap::mean_ci_of_replicates(&groups[i].values, r, &config)
                    });
                    (i, summary::group_stats_with(groups[i], describe, seeds, ci))
                })
                .collect();
            (stats, comparisons)
        })
        .collect();
    let mut stats: Vec<(usize, GroupStats)> = Vec::with_capacity(groups.len());
    let mut comparisons = Vec::new();
    for (s, c) in per_metric {
        stats.extend(s);
        comparisons.extend(c);
    }
    stats.sort_by_key(|(i, _)| *i);
    conclude(&mut comparisons, metrics, inference);
    (stats.into_iter().map(|(_, g)| g).collect(), comparisons)
}

/// Add the paired per-example comparison to every comparison whose groups
/// have per-example scores, and choose what the comparison's interval and
/// test are over (`--unit`): by default the two-way interval (`both`) when
/// every compared condition has ≥ 2 seeds, else the examples where the seeds
/// give no test (one seed per condition), else the seeds. `--test mcnemar`
/// makes McNemar over examples the comparison's test.
fn attach_examples(
    comparisons: &mut [Comparison],
    scores: &ExampleScores,
    describe: &Describe,
    inference: &Inference,
    options: &ExampleOptions,
    coverage: &Coverage,
) {
    let seeded = |c: &Comparison| {
        let n = |condition: &str| scores.seeds(condition, &c.metric).unwrap_or(0);
        n(&c.baseline) >= 2 && n(&c.treatment) >= 2
    };
    let all_seeded = !comparisons.is_empty() && comparisons.iter().all(seeded);
    let unit = match options.unit {
        Some(unit) => Some(unit),
        None if all_seeded => Some(Unit::Both),
        None => None,
    };
    let units = vec![unit; comparisons.len()];
    let per_example: Vec<Option<ExampleComparison>> = comparisons
        .par_iter()
        .zip(&units)
        .map(|(c, unit)| {
            let two_way = *unit == Some(Unit::Both);
            scores.compare(
                &c.metric,
                &c.baseline,
                &c.treatment,
                describe,
                inference,
                coverage,
                two_way,
            )
        })
        .collect();
    for ((c, found), unit) in comparisons.iter_mut().zip(per_example).zip(units) {
        let Some(ex) = found else {
            if inference.test == TestKind::Mcnemar {
                c.notes.push(
                    "no per-example scores for this metric: Welch's t-test over seeds instead of McNemar"
                        .to_string(),
                );
            }
            continue;
        };
        let mcnemar = inference.test == TestKind::Mcnemar;
        let unit = unit.unwrap_or(if c.p_value.is_none() && ex.p_value.is_some() {
            Unit::Examples
        } else {
            Unit::Seeds
        });
        let over_examples = unit == Unit::Examples || mcnemar;
        if over_examples {
            c.statistic = ex.statistic;
            c.df = ex.df;
            c.p_value = ex.p_value;
            c.notes.retain(|n| !n.starts_with("test undefined"));
            if c.p_value.is_none() {
                c.notes.push(format!("{} over examples undefined", ex.test));
            }
        }
        c.unit = unit;
        match unit {
            Unit::Examples => {
                c.diff_ci = ex.diff_ci;
                c.notes.push(format!(
                    "{}the CI of Δ and p are over {} paired test examples{} ({}): they measure test-set sampling noise, not seed-to-seed variation",
                    if c.n_baseline < 2 || c.n_treatment < 2 {
                        "fewer than 2 seeds per condition: "
                    } else {
                        ""
                    },
                    ex.n,
                    cluster_phrase(&ex),
                    example_method(&ex),
                ));
            }
            Unit::Both => {
                c.diff_ci = ex.two_way_ci;
                c.notes.push(format!(
                    "the CI of Δ is two-way: over the {} {} shared by both systems and each system's seeds, a t interval with Satterthwaite df on the seed and example variance components, so it carries test-set and seed noise; {}",
                    ex.n,
                    if ex.clusters.is_some() {
                        "examples, by cluster,"
                    } else {
                        "test examples"
                    },
                    if over_examples {
                        format!("p is the {} over the examples", test_title(&ex))
                    } else {
                        "p is the test over seeds".to_string()
                    }
                ));
            }
            Unit::Seeds => {
                if mcnemar {
                    c.notes.push(format!(
                        "p is McNemar's over {} paired test examples; the CI of Δ is over seeds",
                        ex.n
                    ));
                } else {
                    c.notes.push(format!(
                        "over {} paired test examples{}: Δ {}, CI {}, {} p = {}",
                        ex.n,
                        cluster_phrase(&ex),
                        format::signed(ex.diff, 4),
                        format::interval(ex.diff_ci, 4),
                        example_method(&ex),
                        format::p_value(ex.p_value)
                    ));
                }
            }
        }
        c.notes.extend(ex.notes.iter().cloned());
        c.examples = Some(ex);
    }
}

/// The test over examples as a sentence names it.
fn test_title(ex: &ExampleComparison) -> &'static str {
    match ex.test {
        "cluster-t" => "cluster-robust (CR1) t-test",
        "mcnemar" => "exact McNemar test",
        "mcnemar-mid-p" => "mid-p McNemar test",
        _ => "paired t-test",
    }
}

/// ", in G clusters" when the examples were clustered.
fn cluster_phrase(ex: &ExampleComparison) -> String {
    ex.clusters
        .map(|g| format!(" in {g} clusters"))
        .unwrap_or_default()
}

/// How the per-example interval and test were made, for the notes.
fn example_method(ex: &ExampleComparison) -> &'static str {
    match ex.test {
        "cluster-t" => "cluster bootstrap, cluster-robust (CR1) t-test with G − 1 df",
        "mcnemar" => "paired bootstrap, exact McNemar test",
        "mcnemar-mid-p" => "paired bootstrap, mid-p McNemar test",
        _ => "paired bootstrap, paired t-test",
    }
}

/// One metric's group statistics (with their index in `groups`) and comparisons.
type MetricResults = (Vec<(usize, GroupStats)>, Vec<Comparison>);

/// A group's per-seed values and, when drawn, its bootstrap replicates of the mean.
type Drawn<'a> = (&'a SeedValues, Option<&'a [f64]>);

/// The per-seed values a test sees: paired tests match seeds by id.
fn aligned(
    base: &SeedValues,
    treat: &SeedValues,
    paired: bool,
) -> (Vec<f64>, Vec<f64>, Vec<String>) {
    if !paired {
        return (base.values.clone(), treat.values.clone(), Vec::new());
    }
    let mut b = Vec::new();
    let mut t = Vec::new();
    for (seed, value) in base.seeds.iter().zip(&base.values) {
        if let Some(tv) = treat.value_of(seed) {
            b.push(*value);
            t.push(tv);
        }
    }
    let dropped = base.values.len() + treat.values.len() - 2 * b.len();
    let notes = if dropped > 0 {
        vec![format!(
            "paired on the {} shared seeds; {dropped} unmatched value(s) left out",
            b.len()
        )]
    } else {
        Vec::new()
    };
    (b, t, notes)
}

fn compare_pair(
    (base, base_replicates): Drawn,
    (treat, treat_replicates): Drawn,
    direction: Direction,
    describe: &Describe,
    inference: &Inference,
) -> Comparison {
    let paired = inference.test.is_paired();
    let (b, t, mut notes) = aligned(base, treat, paired);
    let key = rng::stream_key(&["diff", &base.condition, &treat.condition, &base.metric]);
    let config = summary::bootstrap_config(describe);
    let diff = match (describe::mean(&t), describe::mean(&b)) {
        (Some(mt), Some(mb)) => Some(mt - mb),
        _ => None,
    };
    let diff_ci = match (paired, base_replicates, treat_replicates) {
        (false, Some(br), Some(tr)) => {
            bootstrap::mean_diff_ci_of_replicates(&b, &t, br, tr, &config)
        }
        (false, _, _) => None, // a group without replicates has no interval either
        (true, _, _) => bootstrap::paired_mean_diff_ci(&b, &t, &config, key),
    };
    if let Some(note) = diff_ci.as_ref().and_then(|c| c.note.clone()) {
        notes.push(note);
    }
    let test_config = TestConfig {
        mwu_method: inference.mwu_method,
        continuity: inference.continuity,
        test_train_ratio: inference.test_train_ratio,
        ..TestConfig::seeded(describe.resamples as u64, describe.seed, key)
    };
    // McNemar is over examples (attached later); over seeds the comparison keeps Welch's test
    let seed_test = match inference.test {
        TestKind::Mcnemar => TestKind::Welch,
        other => other,
    };
    let aso = (seed_test == TestKind::Aso).then(|| aso_estimate(&b, &t, direction, describe, key));
    let test = match &aso {
        Some(_) => None,
        None => Some(inference::run_test(
            seed_test,
            &b,
            &t,
            inference.alternative,
            &test_config,
        )),
    };
    let defined = match (&test, &aso) {
        (Some(test), _) => test.is_ok(),
        (None, aso) => aso.as_ref().is_some_and(|a| a.estimate.is_some()),
    };
    let (sd_b, sd_t) = (describe::std(&b, 1), describe::std(&t, 1));
    let (power, seeds_needed) = match (diff, sd_b, sd_t) {
        (Some(d), Some(sb), Some(st)) if defined => {
            let power = power::welch_power(d, sb, st, b.len(), t.len(), inference.alpha);
            let needed = power::seeds_needed(
                d,
                sb,
                st,
                inference.alpha,
                inference.target_power,
                inference.max_seeds,
            );
            (power, needed)
        }
        _ => (None, None),
    };
    let seeds_needed = match seeds_needed {
        Some(SeedsNeeded::Exactly(n)) => Some(n),
        Some(SeedsNeeded::MoreThan(n)) => {
            notes.push(format!(
                "more than {n} seeds per group needed for {}% power",
                format::percent(inference.target_power)
            ));
            None
        }
        None => None,
    };
    let mut comparison = Comparison {
        baseline: base.condition.clone(),
        treatment: treat.condition.clone(),
        metric: base.metric.clone(),
        n_baseline: b.len(),
        n_treatment: t.len(),
        mean_baseline: describe::mean(&b),
        mean_treatment: describe::mean(&t),
        std_baseline: describe::std(&b, describe.ddof).filter(|_| b.len() > 1),
        std_treatment: describe::std(&t, describe.ddof).filter(|_| t.len() > 1),
        diff,
        diff_ci: diff_ci.map(|c| [c.lo, c.hi]),
        diff_t_ci: inference::diff_interval(
            seed_test,
            &b,
            &t,
            describe.confidence,
            inference.alternative,
            &test_config,
        ),
        statistic: None,
        df: None,
        p_value: None,
        p_adjusted: None,
        significant: false,
        hedges_g: effect::hedges_g(&b, &t),
        cohens_d: effect::cohens_d(&b, &t),
        prob_improvement: effect::prob_improvement(&b, &t, direction == Direction::Higher),
        power,
        seeds_needed,
        verdict: Verdict::Undefined,
        underpowered: power.is_some_and(|p| p < inference.target_power),
        unit: Unit::Seeds,
        examples: None,
        equivalence: inference
            .equivalence
            .map(|m| equivalence(&b, &t, m, seed_test, inference.alpha)),
        rope: inference.rope.map(|r| rope_result(&b, &t, r)),
        aso,
        notes,
    };
    if let Some(r) = &comparison.rope {
        comparison.notes.push(rope_note(r));
    }
    if seed_test == TestKind::CorrectedT && comparison.diff_ci.is_some() {
        comparison.notes.push(format!(
            "the bootstrap CI of Δ resamples folds as if independent and is too narrow; the corrected t interval is {}",
            format::interval(comparison.diff_t_ci.and_then(|[lo, hi]| Some([lo?, hi?])), 4)
        ));
    }
    match test {
        None => {}
        Some(Ok(result)) => {
            if !result.can_reach(inference.alpha) {
                comparison.notes.push(format!(
                    "with {} vs {} seeds the smallest p this test can give is {}, above α = {}: significance is unreachable",
                    b.len(),
                    t.len(),
                    format::p_value(result.min_p_value),
                    inference.alpha
                ));
            }
            comparison.statistic = Some(result.statistic);
            comparison.df = result.df;
            comparison.p_value = Some(result.p_value);
            comparison.notes.extend(result.notes);
        }
        Some(Err(undefined)) => comparison
            .notes
            .push(format!("test undefined: {undefined}")),
    }
    comparison
}

/// ASO's violation ratio and σ̂/c of treatment over baseline, in the
/// metric's direction, from the pair's own stream.
fn aso_estimate(b: &[f64], t: &[f64], direction: Direction, describe: &Describe, key: u64) -> Aso {
    let oriented = |x: &[f64]| match direction {
        Direction::Higher => x.to_vec(),
        Direction::Lower => x.iter().map(|v| -v).collect(),
    };
    let config = AsoConfig {
        resamples: describe.aso_resamples,
        seed: describe.seed,
        key: rng::stream_key(&["aso", &key.to_string()]),
    };
    let (estimate, undefined) = match aso::estimate(&oriented(b), &oriented(t), &config) {
        Ok(e) => (Some(e), None),
        Err(e) => (None, Some(e.to_string())),
    };
    Aso {
        eps_min: None,
        eps_min_reverse: None,
        violation_ratio: estimate.map(|e| e.ratio),
        aso_confidence: None,
        aso_undefined: undefined,
        estimate,
    }
}

/// TOST of treatment − baseline within ±margin, with the test's standard
/// error (pooled for Student, paired differences for paired, else Welch).
fn equivalence(b: &[f64], t: &[f64], margin: Margin, test: TestKind, alpha: f64) -> Equivalence {
    let resolved = margin.resolve(describe::mean(b));
    let undefined = |reason: String| Equivalence {
        margin: resolved,
        p_lower: None,
        p_upper: None,
        p_value: None,
        p_adjusted: None,
        ci: None,
        equivalent: false,
        undefined: Some(reason),
    };
    let Some(m) = resolved else {
        return undefined("a percentage margin needs a non-zero baseline mean".to_string());
    };
    let kind = match test {
        TestKind::Student => TostKind::Student,
        TestKind::Paired => TostKind::Paired,
        _ => TostKind::Welch,
    };
    // α < 1/2 is checked with the flag; tost refuses it too (as undefined).
    match tost::tost(b, t, -m, m, alpha, kind) {
        Ok(r) => Equivalence {
            margin: Some(m),
            p_lower: Some(r.p_lower),
            p_upper: Some(r.p_upper),
            p_value: Some(r.p_value),
            p_adjusted: None,
            ci: Some(r.interval),
            equivalent: false,
            undefined: None,
        },
        Err(e) => undefined(e.to_string()),
    }
}

/// The correlated t-test of treatment − baseline with `rope` (seeds already
/// paired by [`aligned`]).
fn rope_result(b: &[f64], t: &[f64], rope: Rope) -> RopeResult {
    let margin = rope.margin.resolve(describe::mean(b));
    let probabilities = match margin {
        Some(m) => rope::correlated_t(b, t, m, rope.rho).map_err(|e| e.to_string()),
        None => Err("a percentage margin needs a non-zero baseline mean".to_string()),
    };
    let (p, undefined) = match probabilities {
        Ok(p) => (Some(p), None),
        Err(reason) => (None, Some(reason)),
    };
    RopeResult {
        margin,
        rho: rope.rho,
        left: p.map(|p: RopeProbabilities| p.left),
        inside: p.map(|p| p.inside),
        right: p.map(|p| p.right),
        undefined,
    }
}

/// The ROPE's probabilities as one sentence of the notes.
fn rope_note(r: &RopeResult) -> String {
    match (&r.undefined, r.left, r.inside, r.right) {
        (None, Some(left), Some(inside), Some(right)) => format!(
            "ROPE ±{} (correlated t, ρ = {}): P(Δ < −{m}) = {}, P(inside) = {}, P(Δ > {m}) = {}",
            format::opt(r.margin, 4),
            r.rho,
            format::fixed(left, 3),
            format::fixed(inside, 3),
            format::fixed(right, 3),
            m = format::opt(r.margin, 4),
        ),
        (reason, ..) => format!(
            "ROPE undefined: {}",
            reason.as_deref().unwrap_or("no posterior")
        ),
    }
}

/// How the notes that [`conclude`] writes begin: it runs again whenever the
/// families change (per-example scores attached, the main table's family
/// across tasks), so it replaces its own notes rather than adding to them.
const CONCLUSION_NOTES: [&str; 2] = ["equivalence (TOST", "ASO "];

/// Correct the p-values by family, then give each comparison its verdict.
pub fn conclude(comparisons: &mut [Comparison], metrics: &Metrics, inference: &Inference) {
    for c in comparisons.iter_mut() {
        c.notes
            .retain(|n| !CONCLUSION_NOTES.iter().any(|start| n.starts_with(start)));
    }
    correct(comparisons, inference);
    correct_equivalence(comparisons, inference);
    conclude_aso(comparisons, inference);
    for c in comparisons {
        c.verdict = verdict(c, metrics.direction(&c.metric), inference.aso_threshold);
    }
}

/// ε_min in both directions at 1 − α, Bonferroni-corrected over each
/// family's defined comparisons unless `--correction none` (ASO has no
/// p-value for a step-down correction; deepsig 1.2.8 raises the confidence
/// to c + (1 − c)/m for m > 1 instead, which equals Bonferroni's 1 − α/m for
/// m = 2 only and is weaker beyond: 0.9533 rather than 0.9967 for 15 pairs),
/// `significant` when either is below τ, and the note saying so.
fn conclude_aso(comparisons: &mut [Comparison], inference: &Inference) {
    let Some(threshold) = inference.aso_threshold else {
        return;
    };
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    for c in comparisons.iter() {
        if c.aso.as_ref().is_some_and(|a| a.estimate.is_some()) {
            *sizes.entry(family_of(c, inference)).or_default() += 1;
        }
    }
    for c in comparisons.iter_mut() {
        let family = family_of(c, inference);
        let Some(aso) = c.aso.as_mut() else { continue };
        let Some(estimate) = aso.estimate else {
            let reason = aso.aso_undefined.as_deref().unwrap_or("no estimate");
            c.notes.push(format!("ASO undefined: {reason}"));
            continue;
        };
        let m = sizes.get(&family).copied().unwrap_or(1);
        let confidence = match inference.correction {
            Correction::None => 1.0 - inference.alpha,
            _ => 1.0 - inference.alpha / m as f64,
        };
        aso.aso_confidence = Some(confidence);
        aso.eps_min = estimate.eps_min(confidence).ok();
        aso.eps_min_reverse = estimate.eps_min_reverse(confidence).ok();
        let below = |e: Option<f64>| e.is_some_and(|e| e < threshold);
        c.significant = below(aso.eps_min) || below(aso.eps_min_reverse);
        let outcome = if below(aso.eps_min) {
            "the treatment almost stochastically dominates the baseline"
        } else if below(aso.eps_min_reverse) {
            "the baseline almost stochastically dominates the treatment"
        } else {
            "neither dominates"
        };
        c.notes.push(format!(
            "ASO at confidence {}{}: ε_min = {} (treatment over baseline), {} reverse, violation ratio {}: {outcome} (τ = {threshold})",
            (confidence * 1e4).round() / 1e4,
            match inference.correction {
                Correction::None => String::new(),
                _ => format!(" (Bonferroni over {m})"),
            },
            format::opt(aso.eps_min, 3),
            format::opt(aso.eps_min_reverse, 3),
            format::fixed(estimate.ratio, 3),
        ));
    }
}

/// The name of a comparison's correction family (`--family`).
fn family_of(c: &Comparison, inference: &Inference) -> String {
    match inference.family {
        Family::Metric => c.metric.clone(),
        Family::All => String::new(),
    }
}

/// Adjust the TOST p-values with the same correction and families as the
/// tests' p-values (a family of its own), and note the outcome.
fn correct_equivalence(comparisons: &mut [Comparison], inference: &Inference) {
    adjust_families(
        comparisons,
        inference,
        |c| c.equivalence.as_ref()?.p_value,
        |c, adjusted, reject| {
            if let Some(e) = c.equivalence.as_mut() {
                e.p_adjusted = Some(adjusted);
                e.equivalent = reject;
            }
        },
    );
    for c in comparisons.iter_mut() {
        let Some(e) = &c.equivalence else { continue };
        let note = match (&e.undefined, e.margin) {
            (Some(reason), _) => format!("equivalence (TOST) undefined: {reason}"),
            (None, m) => format!(
                "equivalence (TOST, ±{}): p = {}, {} p = {}, {}% CI of Δ {}: {}",
                format::opt(m, 4),
                format::p_value(e.p_value),
                inference.correction.name(),
                format::p_value(e.p_adjusted),
                format::percent(1.0 - 2.0 * inference.alpha),
                format::interval(e.ci, 4),
                if e.equivalent {
                    "equivalent"
                } else {
                    "not shown equivalent"
                }
            ),
        };
        c.notes.push(note);
    }
}

/// Adjust the p-values of each family and mark significance.
fn correct(comparisons: &mut [Comparison], inference: &Inference) {
    adjust_families(
        comparisons,
        inference,
        |c| c.p_value,
        |c, adjusted, reject| {
            c.p_adjusted = Some(adjusted);
            c.significant = reject;
        },
    );
}

/// Groups the comparisons with a p-value (`p_of`) into the families of
/// `--family`, corrects each family, and gives each member its adjusted p
/// and whether it is rejected at α (`set`).
fn adjust_families(
    comparisons: &mut [Comparison],
    inference: &Inference,
    p_of: impl Fn(&Comparison) -> Option<f64>,
    mut set: impl FnMut(&mut Comparison, f64, bool),
) {
    let mut families: BTreeMap<String, Vec<(usize, f64)>> = BTreeMap::new();
    for (i, c) in comparisons.iter().enumerate() {
        if let Some(p) = p_of(c) {
            families
                .entry(family_of(c, inference))
                .or_default()
                .push((i, p));
        }
    }
    for members in families.values() {
        let p: Vec<f64> = members.iter().map(|&(_, p)| p).collect();
        let adjusted = correction::adjust(&p, inference.correction, inference.alpha);
        let reject = correction::reject(&p, inference.correction, inference.alpha);
        for ((&(i, _), adj), rej) in members.iter().zip(adjusted).zip(reject) {
            set(&mut comparisons[i], adj, rej);
        }
    }
}

/// The first verdict that applies (DESIGN section 4); with `--rope` the
/// posterior decides, with `--test aso` ε_min against τ (section 13).
fn verdict(c: &Comparison, direction: Direction, aso_threshold: Option<f64>) -> Verdict {
    if let Some(r) = &c.rope {
        return rope_verdict(c, r, direction);
    }
    if let (Some(aso), Some(threshold)) = (&c.aso, aso_threshold) {
        return aso_verdict(c, aso, threshold);
    }
    let Some(diff) = c.diff.filter(|_| c.p_value.is_some()) else {
        return Verdict::Undefined;
    };
    if c.significant {
        return if direction.better(diff, 0.0) {
            Verdict::Improvement
        } else {
            Verdict::Regression
        };
    }
    if c.equivalence.as_ref().is_some_and(|e| e.equivalent) {
        return Verdict::Equivalent;
    }
    noise_verdict(c, diff)
}

/// The ROPE's verdict: a side (or the region) holding ≥ 95% of the
/// posterior, else the reviewers' noise rule as without `--rope`.
fn rope_verdict(c: &Comparison, r: &RopeResult, direction: Direction) -> Verdict {
    let (Some(left), Some(inside), Some(right), Some(diff)) = (r.left, r.inside, r.right, c.diff)
    else {
        return Verdict::Undefined;
    };
    let (better, worse) = if direction == Direction::Higher {
        (right, left)
    } else {
        (left, right)
    };
    if better >= ROPE_DECIDES {
        Verdict::Improvement
    } else if worse >= ROPE_DECIDES {
        Verdict::Regression
    } else if inside >= ROPE_DECIDES {
        Verdict::Equivalent
    } else {
        noise_verdict(c, diff)
    }
}

/// ASO's verdict: the dominant system (ε_min < τ; ε_min is already in the
/// metric's direction), else TOST's equivalence, else the noise rule.
fn aso_verdict(c: &Comparison, aso: &Aso, threshold: f64) -> Verdict {
    let (Some(better), Some(worse), Some(diff)) = (aso.eps_min, aso.eps_min_reverse, c.diff) else {
        return Verdict::Undefined;
    };
    if better < threshold {
        Verdict::Improvement
    } else if worse < threshold {
        Verdict::Regression
    } else if c.equivalence.as_ref().is_some_and(|e| e.equivalent) {
        Verdict::Equivalent
    } else {
        noise_verdict(c, diff)
    }
}

/// within-noise when |Δ| is below the larger std across seeds, else no-evidence.
fn noise_verdict(c: &Comparison, diff: f64) -> Verdict {
    // The reviewers' rule: a difference smaller than the spread across seeds.
    let noise = c
        .std_baseline
        .unwrap_or(0.0)
        .max(c.std_treatment.unwrap_or(0.0));
    if diff.abs() < noise {
        Verdict::WithinNoise
    } else {
        Verdict::NoEvidence
    }
}
