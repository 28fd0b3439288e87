//! `xreport summary`: per condition × metric, n, mean ± std, sem, median,
//! min/max, the t-interval and a bootstrap CI of the mean.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use serde_json::Value;

use super::examples::{Coverage, ExampleScores, GroupExamples};
use super::groups::{self, SeedValues};
use super::options::{Describe, ExampleOptions, ExampleSettings, Metrics};
use super::report::{self, MetricInfo, Repeat, SeedStyle};
use crate::load::{Skipped, Study};
use crate::stats::bootstrap::{self, BootstrapConfig, CiMethod, Interval};
use crate::stats::{describe, rng};

#[derive(Debug, Serialize)]
pub struct SummaryReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: DescribeSettings,
    pub metrics: Vec<MetricInfo>,
    pub groups: Vec<GroupStats>,
    /// How per-example scores were read, when the inputs have them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub examples: Option<ExampleSettings>,
    /// Repeated runs of a seed: their spread is nondeterminism.
    pub repeats: Vec<Repeat>,
    /// Condition → the label the tables print (`latent_dim=512` for a
    /// condition named by overrides), where they differ.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DescribeSettings {
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
}

impl DescribeSettings {
    /// The settings of a report over `groups`: the reduction is stated only
    /// when some group was reduced from histories.
    pub fn of(d: &Describe, groups: &[SeedValues]) -> DescribeSettings {
        let reduced = groups.iter().any(|g| g.reduced);
        DescribeSettings {
            ci_method: d.ci_method,
            confidence: d.confidence,
            resamples: d.resamples,
            seed: d.seed,
            ddof: d.ddof,
            reduce: reduced.then(|| d.reduce.rule.name()),
            max_step: d.reduce.max_step.filter(|_| reduced),
        }
    }
}

/// The statistics of one condition × metric.
#[derive(Debug, Clone, Serialize)]
pub struct GroupStats {
    pub condition: String,
    pub metric: String,
    pub n: usize,
    pub seeds: Vec<Value>,
    pub values: Vec<f64>,
    /// Seeds whose value is missing (null, NaN, ±inf in the source).
    pub missing: Vec<Value>,
    pub mean: Option<f64>,
    pub std: Option<f64>,
    pub sem: Option<f64>,
    pub median: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub t_ci: Option<[f64; 2]>,
    pub bootstrap_ci: Option<[f64; 2]>,
    /// The accuracy over test examples, when the inputs have per-example scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub examples: Option<GroupExamples>,
    pub notes: Vec<String>,
}

/// The bootstrap settings of `settings`.
pub fn bootstrap_config(settings: &Describe) -> BootstrapConfig {
    BootstrapConfig {
        resamples: settings.resamples,
        confidence: settings.confidence,
        method: settings.ci_method,
        seed: settings.seed,
    }
}

/// The random stream of a group's mean: the same in every command, so a
/// group's interval is the same in `summary` and `compare`.
pub fn mean_key(group: &SeedValues) -> u64 {
    rng::stream_key(&["mean", &group.condition, &group.metric])
}

/// Statistics of one group of per-seed values.
pub fn group_stats(group: &SeedValues, settings: &Describe, seeds: SeedStyle) -> GroupStats {
    let boot = bootstrap::mean_ci(&group.values, &bootstrap_config(settings), mean_key(group));
    group_stats_with(group, settings, seeds, boot)
}

/// [`group_stats`] with the bootstrap interval of the mean already computed.
pub fn group_stats_with(
    group: &SeedValues,
    settings: &Describe,
    seeds: SeedStyle,
    boot: Option<Interval>,
) -> GroupStats {
    let x = &group.values;
    let mut notes = group.notes.clone();
    if x.len() == 1 {
        notes.push("one seed: no std or interval".to_string());
    } else if x.is_empty() {
        notes.push("no values: every seed is missing".to_string());
    }
    if describe::too_large(x) {
        notes.push(describe::TOO_LARGE.to_string());
    }
    if !group.missing.is_empty() {
        notes.push(format!(
            "missing value (null/NaN/inf) for seed {}: not averaged",
            group.missing.join(", ")
        ));
    }
    if let Some(note) = boot.as_ref().and_then(|b| b.note.clone()) {
        notes.push(note);
    }
    let min_max = describe::min_max(x);
    // Beyond LARGEST_USABLE the squares overflow: no spread is given at all,
    // rather than one that happened not to overflow.
    let usable = !describe::too_large(x);
    GroupStats {
        condition: group.condition.clone(),
        metric: group.metric.clone(),
        n: x.len(),
        seeds: seeds.ids(&group.seeds),
        values: x.clone(),
        missing: seeds.ids(&group.missing),
        mean: describe::mean(x),
        std: describe::std(x, settings.ddof).filter(|_| x.len() > 1 && usable),
        sem: describe::sem(x, settings.ddof).filter(|_| usable),
        median: describe::median(x),
        min: min_max.map(|m| m.0),
        max: min_max.map(|m| m.1),
        t_ci: describe::t_interval(x, settings.confidence)
            .filter(|_| usable)
            .map(|(lo, hi)| [lo, hi]),
        bootstrap_ci: boot.filter(|_| usable).map(|b| [b.lo, b.hi]),
        examples: None,
        notes,
    }
}

/// Give every group with per-example scores its accuracy over examples:
/// coverage, proportion interval, cluster-robust error.
pub fn attach_examples(
    groups: &mut [GroupStats],
    scores: &ExampleScores,
    settings: &Describe,
    coverage: &Coverage,
) {
    let found: Vec<Option<GroupExamples>> = groups
        .par_iter()
        .map(|g| scores.group(&g.condition, &g.metric, settings, coverage))
        .collect();
    for (g, ex) in groups.iter_mut().zip(found) {
        if let Some(ex) = ex {
            g.notes.extend(ex.notes.iter().cloned());
            g.examples = Some(ex);
        }
    }
}

pub fn run(study: &Study, metrics: &Metrics, settings: &Describe) -> SummaryReport {
    run_with(
        study,
        metrics,
        settings,
        &ExampleOptions::default(),
        &Coverage::new(),
    )
}

/// [`run`] with the per-example settings and the coverage that
/// [`super::examples::prepare`] gave.
pub fn run_with(
    study: &Study,
    metrics: &Metrics,
    settings: &Describe,
    examples: &ExampleOptions,
    coverage: &Coverage,
) -> SummaryReport {
    let seeds = SeedStyle::of(study);
    let all = groups::seed_values(study, &settings.reduce, &|m| metrics.direction(m));
    let selected: Vec<&SeedValues> = all.iter().filter(|g| metrics.includes(&g.metric)).collect();
    let names = groups::metric_names(&all)
        .into_iter()
        .filter(|m| metrics.includes(m))
        .collect::<Vec<_>>();
    let mut stats: Vec<GroupStats> = selected
        .par_iter()
        .map(|g| group_stats(g, settings, seeds))
        .collect();
    let scores = ExampleScores::of(study, examples);
    if let Some(scores) = &scores {
        attach_examples(&mut stats, scores, settings, coverage);
    }
    SummaryReport {
        xreport_version: report::VERSION,
        schema: "xreport.summary/1",
        skipped: study.skipped.clone(),
        settings: DescribeSettings::of(settings, &all),
        metrics: report::metric_info(&names, metrics),
        groups: stats,
        examples: scores.map(|s| ExampleSettings::of(examples, s.clustered())),
        repeats: report::repeats(study, seeds)
            .into_iter()
            .filter(|r| metrics.includes(&r.metric))
            .collect(),
        labels: study.labels.clone(),
    }
}
