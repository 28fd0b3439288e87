//! `xreport summary`: per condition × metric, n, mean ± std, sem, median,
//! min/max, the t-interval and a bootstrap CI of the mean.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use super::groups::{self, SeedValues};
use super::options::{Describe, Metrics};
use super::report::{self, MetricInfo, Repeat, SeedStyle};
use crate::load::{Skipped, Study};
use crate::render::Output;
use crate::render::Report;
use crate::render::format::{self, Style};
use crate::render::table::{self, Table};
use crate::stats::bootstrap::{self, BootstrapConfig, Interval};
use crate::stats::{describe, rng};

#[derive(Debug, Serialize)]
pub struct SummaryReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: DescribeSettings,
    pub metrics: Vec<MetricInfo>,
    pub groups: Vec<GroupStats>,
    /// Repeated runs of a seed: their spread is nondeterminism.
    pub repeats: Vec<Repeat>,
    #[serde(skip)]
    labels: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DescribeSettings {
    pub ci_method: &'static str,
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
            ci_method: d.ci_method.name(),
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
    GroupStats {
        condition: group.condition.clone(),
        metric: group.metric.clone(),
        n: x.len(),
        seeds: seeds.ids(&group.seeds),
        values: x.clone(),
        missing: seeds.ids(&group.missing),
        mean: describe::mean(x),
        std: describe::std(x, settings.ddof).filter(|_| x.len() > 1),
        sem: describe::sem(x, settings.ddof),
        median: describe::median(x),
        min: min_max.map(|m| m.0),
        max: min_max.map(|m| m.1),
        t_ci: describe::t_interval(x, settings.confidence).map(|(lo, hi)| [lo, hi]),
        bootstrap_ci: boot.map(|b| [b.lo, b.hi]),
        notes,
    }
}

pub fn run(study: &Study, metrics: &Metrics, settings: &Describe) -> SummaryReport {
    let seeds = SeedStyle::of(study);
    let all = groups::seed_values(study, &settings.reduce, &|m| metrics.direction(m));
    let selected: Vec<&SeedValues> = all.iter().filter(|g| metrics.includes(&g.metric)).collect();
    let names = groups::metric_names(&all)
        .into_iter()
        .filter(|m| metrics.includes(m))
        .collect::<Vec<_>>();
    let stats: Vec<GroupStats> = selected
        .par_iter()
        .map(|g| group_stats(g, settings, seeds))
        .collect();
    SummaryReport {
        xreport_version: report::VERSION,
        schema: "xreport.summary/1",
        skipped: study.skipped.clone(),
        settings: DescribeSettings::of(settings, &all),
        metrics: report::metric_info(&names, metrics),
        groups: stats,
        repeats: report::repeats(study, seeds)
            .into_iter()
            .filter(|r| metrics.includes(&r.metric))
            .collect(),
        labels: study.labels.clone(),
    }
}

/// Notes shared by every table: the std convention, skipped runs, repeats.
pub fn common_notes(
    style: Style,
    settings: &DescribeSettings,
    skipped: &[Skipped],
    repeats: &[Repeat],
) -> Vec<String> {
    let mut notes = vec![style.escape(&format!(
        "std: {} (ddof = {}); intervals at {}% confidence; bootstrap: {}, {} resamples, seed {}.",
        if settings.ddof == 1 {
            "sample"
        } else {
            "population"
        },
        settings.ddof,
        settings.confidence * 100.0,
        settings.ci_method,
        settings.resamples,
        settings.seed
    ))];
    if let Some(rule) = &settings.reduce {
        let cut = settings
            .max_step
            .map(|m| format!(", after cutting them at step {m}"))
            .unwrap_or_default();
        notes.push(style.escape(&format!(
            "Training histories reduced to one value per seed by --reduce {rule}{cut}; curves aligned on the steps every seed shares, ties to the earliest step."
        )));
    }
    for s in skipped {
        notes.push(style.escape(&format!("Skipped: {} — {}", s.path, s.reason)));
    }
    for r in repeats.iter().filter(|r| r.spread.is_some_and(|s| s > 0.0)) {
        notes.push(style.escape(&format!(
            "Repeats of seed {} in {} (not counted as seeds): {} differs by {} across {} runs (nondeterminism).",
            r.seed,
            r.condition,
            r.metric,
            format::fixed(r.spread.unwrap_or_default(), 4),
            r.values.len()
        )));
    }
    notes
}

impl Report for SummaryReport {
    fn kind(&self) -> &'static str {
        "summary"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let level = format!("{}%", self.settings.confidence * 100.0);
        let mut table = Table::new(vec![
            table::left("Condition"),
            table::left("Metric"),
            table::right("n"),
            table::right("Mean ± std".replace(
                '±',
                if style == Style::Latex {
                    "$\\pm$"
                } else {
                    "±"
                },
            )),
            table::right("SEM"),
            table::right("Median"),
            table::right("Min"),
            table::right("Max"),
            table::right(style.escape(&format!("{level} t-CI"))),
            table::right(style.escape(&format!("{level} bootstrap CI"))),
        ]);
        let best = best_means(&self.groups, &self.metrics);
        for (i, g) in self.groups.iter().enumerate() {
            let info = self.metrics.iter().find(|m| m.name == g.metric);
            let digits = output.digits;
            let d = format::decimals(g.std, digits);
            let mut cell = style.mean_std(g.mean, g.std, d);
            if best.contains(&i) {
                cell = style.bold(&cell);
            }
            let arrow = info
                .map(|m| style.arrow(m.direction == super::direction::Direction::Lower))
                .unwrap_or("");
            let label = info.map(|m| m.label.as_str()).unwrap_or(&g.metric);
            let condition = self.labels.get(&g.condition).unwrap_or(&g.condition);
            table.rows.push(vec![
                style.escape(condition),
                format!("{} {arrow}", style.escape(label)),
                g.n.to_string(),
                cell,
                format::opt(g.sem, d + 1),
                format::opt(g.median, d),
                format::opt(g.min, d),
                format::opt(g.max, d),
                format::interval(g.t_ci, d),
                format::interval(g.bootstrap_ci, d),
            ]);
        }
        table.caption = output.caption.clone().map(|c| style.escape(&c));
        table.label = output.label.clone();
        table.fragment = output.fragment;
        table.notes = common_notes(style, &self.settings, &self.skipped, &self.repeats);
        for g in &self.groups {
            for note in &g.notes {
                table
                    .notes
                    .push(style.escape(&format!("{} / {}: {note}", g.condition, g.metric)));
            }
        }
        table
    }

    fn records(&self) -> Vec<Value> {
        self.groups
            .iter()
            .map(|g| {
                json!({
                    "condition": g.condition,
                    "metric": g.metric,
                    "n": g.n,
                    "mean": g.mean,
                    "std": g.std,
                    "sem": g.sem,
                    "median": g.median,
                    "min": g.min,
                    "max": g.max,
                    "t_ci_lo": g.t_ci.map(|c| c[0]),
                    "t_ci_hi": g.t_ci.map(|c| c[1]),
                    "bootstrap_ci_lo": g.bootstrap_ci.map(|c| c[0]),
                    "bootstrap_ci_hi": g.bootstrap_ci.map(|c| c[1]),
                    "seeds": g.seeds.iter().map(|s| s.to_string().trim_matches('"').to_string()).collect::<Vec<_>>().join(" "),
                })
            })
            .collect()
    }
}

/// Indices of the groups with the best mean of their metric (direction-aware).
pub fn best_means(groups: &[GroupStats], metrics: &[MetricInfo]) -> Vec<usize> {
    let mut best = Vec::new();
    for info in metrics {
        let candidates: Vec<(usize, f64)> = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.metric == info.name)
            .filter_map(|(i, g)| g.mean.map(|m| (i, m)))
            .collect();
        if candidates.len() < 2 {
            continue;
        }
        let top = candidates
            .iter()
            .map(|c| c.1)
            .reduce(|a, b| if info.direction.better(b, a) { b } else { a });
        if let Some(top) = top {
            best.extend(candidates.iter().filter(|c| c.1 == top).map(|c| c.0));
        }
    }
    best
}
