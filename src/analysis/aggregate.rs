//! `xreport aggregate`: multi-task scores, normalised per task, aggregated
//! across tasks (mean, median, IQM, optimality gap) with stratified bootstrap
//! intervals, the count of tasks above a threshold, and optionally the
//! probability of improvement of one method over the others.

use rayon::prelude::*;
use serde::Serialize;

use super::options::Describe;
use crate::error::{Error, Result};
use crate::load::multitask::{MethodScores, Reference};
use crate::load::{Skipped, natural_cmp};
use crate::stats::aggregate::{self as agg, StratifiedConfig};
use crate::stats::bootstrap::CiMethod;
use crate::stats::{describe, rng};

#[derive(Debug, Serialize)]
pub struct AggregateReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: AggregateSettings,
    pub normalization: Normalization,
    pub inputs: Vec<InputInfo>,
    pub aggregates: Vec<AggregateRow>,
    pub tasks_above: Vec<TasksAbove>,
    pub prob_improvement: Vec<ProbImprovement>,
    pub per_task: Vec<PerTask>,
    /// Performance profiles, with `--profile` only.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Profile>,
    /// Conventions, per-method caveats (single runs, zero variance) and what the readers chose.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AggregateSettings {
    /// `percentile` or `basic`, over a stratified bootstrap.
    pub ci_method: CiMethod,
    pub bootstrap: &'static str,
    pub confidence: f64,
    pub resamples: usize,
    pub seed: u64,
    /// ddof of the per-task std.
    pub ddof: usize,
    /// γ of the optimality gap.
    pub gamma: f64,
    /// The threshold of `tasks_above`.
    pub threshold: f64,
    pub metrics: Vec<agg::Aggregate>,
    /// How the median is taken.
    pub median: &'static str,
}

/// The reference files scores were normalised with (`null` when not normalised).
#[derive(Debug, Clone, Serialize)]
pub struct Normalization {
    pub random: Option<String>,
    pub human: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    pub method: String,
    pub source: String,
    pub tasks: usize,
    /// Fewest and most runs over the tasks.
    pub runs: [usize; 2],
    /// `raw` (not normalised), `normalized` (by xreport) or `already` (the file's scores were).
    pub scores: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct AggregateRow {
    pub method: String,
    pub metric: agg::Aggregate,
    pub estimate: Option<f64>,
    pub ci: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TasksAbove {
    pub method: String,
    pub threshold: f64,
    pub count: usize,
    pub tasks: Vec<String>,
}

/// P(method > other): the mean over tasks of the Mann–Whitney probability.
#[derive(Debug, Clone, Serialize)]
pub struct ProbImprovement {
    pub method: String,
    pub other: String,
    pub estimate: Option<f64>,
    pub ci: Option<[f64; 2]>,
}

/// One method's performance profile: the fraction of run × task scores above τ.
#[derive(Debug, Clone, Serialize)]
pub struct Profile {
    pub method: String,
    pub points: Vec<ProfilePoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfilePoint {
    pub tau: f64,
    pub fraction: f64,
    pub ci: Option<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PerTask {
    pub method: String,
    pub task: String,
    pub n: usize,
    /// Mean and std of the (normalised, when normalising) scores.
    pub mean: Option<f64>,
    pub std: Option<f64>,
    /// Mean and std of the raw scores, when xreport normalised them.
    pub raw_mean: Option<f64>,
    pub raw_std: Option<f64>,
}

/// What the aggregates are computed with.
#[derive(Debug)]
pub struct AggregateOptions {
    /// Bootstrap and std settings; the interval method is percentile or basic.
    pub describe: Describe,
    pub metrics: Vec<agg::Aggregate>,
    pub gamma: f64,
    pub threshold: f64,
    pub prob_improvement: Option<String>,
    /// Whether to compute performance profiles.
    pub profiles: bool,
}

/// Check the methods, normalise them and compute the report.
pub fn run(
    mut methods: Vec<MethodScores>,
    skipped: Vec<Skipped>,
    reference: Option<&Reference>,
    options: &AggregateOptions,
) -> Result<AggregateReport> {
    check_tasks(&methods)?;
    let raw: Vec<MethodScores> = methods.clone();
    for m in methods.iter_mut() {
        if let Some(reference) = reference
            && !m.normalized
        {
            reference.check_covers(m)?;
            for (task, scores) in m.tasks.iter_mut() {
                let (low, high) = (reference.low[task], reference.high[task]);
                *scores = crate::stats::normalize::normalize(scores, low, high)
                    .ok_or_else(|| reference.equal_scores(task))?;
            }
        }
    }
    if let Some(name) = &options.prob_improvement
        && !methods.iter().any(|m| &m.method == name)
    {
        return Err(Error::usage(format!(
            "--prob-improvement {name}: no such method (methods: {})",
            methods
                .iter()
                .map(|m| m.method.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let cfg = StratifiedConfig {
        resamples: options.describe.resamples,
        confidence: options.describe.confidence,
        method: options.describe.ci_method,
        seed: options.describe.seed,
        gamma: options.gamma,
    };
    let mut notes = Vec::new();
    let task_names = ordered_tasks(&methods[0]);
    let per_method: Vec<(Vec<AggregateRow>, TasksAbove, Vec<String>)> = methods
        .par_iter()
        .map(|m| method_aggregates(m, &task_names, &cfg, options))
        .collect();
    let mut aggregates = Vec::new();
    let mut tasks_above = Vec::new();
    for (rows, above, method_notes) in per_method {
        aggregates.extend(rows);
        tasks_above.push(above);
        notes.extend(method_notes);
    }
    for m in &methods {
        notes.extend(m.notes.iter().map(|n| format!("{}: {n}", m.method)));
    }
    let prob_improvement = match &options.prob_improvement {
        Some(name) => prob_improvements(&methods, name, &task_names, &cfg),
        None => Vec::new(),
    };
    let profiles = match options.profiles {
        true => profiles(&methods, &task_names, &cfg),
        false => Vec::new(),
    };
    let mut per_task = Vec::new();
    for (m, r) in methods.iter().zip(&raw) {
        let normalised_here = reference.is_some() && !m.normalized;
        for task in &task_names {
            let x = &m.tasks[task];
            let raw_x = &r.tasks[task];
            per_task.push(PerTask {
                method: m.method.clone(),
                task: task.clone(),
                n: x.len(),
                mean: describe::mean(x),
                std: describe::std(x, options.describe.ddof).filter(|_| x.len() > 1),
                raw_mean: describe::mean(raw_x).filter(|_| normalised_here),
                raw_std: describe::std(raw_x, options.describe.ddof)
                    .filter(|_| normalised_here && x.len() > 1),
            });
        }
    }
    let inputs = methods
        .iter()
        .map(|m| {
            let counts = m.tasks.values().map(Vec::len);
            InputInfo {
                method: m.method.clone(),
                source: m.source.clone(),
                tasks: m.tasks.len(),
                runs: [counts.clone().min().unwrap_or(0), counts.max().unwrap_or(0)],
                scores: match (m.normalized, reference.is_some()) {
                    (true, _) => "already",
                    (false, true) => "normalized",
                    (false, false) => "raw",
                },
            }
        })
        .collect();
    Ok(AggregateReport {
        xreport_version: crate::analysis::report::VERSION,
        schema: "xreport.aggregate/1",
        skipped,
        settings: AggregateSettings {
            ci_method: options.describe.ci_method,
            bootstrap: "stratified: runs resampled with replacement within each task",
            confidence: options.describe.confidence,
            resamples: options.describe.resamples,
            seed: options.describe.seed,
            ddof: options.describe.ddof,
            gamma: options.gamma,
            threshold: options.threshold,
            metrics: options.metrics.clone(),
            median: "median over tasks of the per-task mean score",
        },
        normalization: Normalization {
            random: reference.map(|r| r.low_source.clone()),
            human: reference.map(|r| r.high_source.clone()),
        },
        inputs,
        aggregates,
        tasks_above,
        prob_improvement,
        per_task,
        profiles,
        notes,
    })
}

/// Points of the τ grid of the profiles.
const PROFILE_POINTS: usize = 101;

/// The τ grid: from min(0, lowest score) to the largest 95th percentile of a
/// method's scores (at least γ, so that the human level is in view), in
/// [`PROFILE_POINTS`] even steps; then every method's profile and band.
fn profiles(
    methods: &[MethodScores],
    task_names: &[String],
    cfg: &StratifiedConfig,
) -> Vec<Profile> {
    let scores: Vec<Vec<&[f64]>> = methods
        .iter()
        .map(|m| task_names.iter().map(|t| m.tasks[t].as_slice()).collect())
        .collect();
    let lowest = scores
        .iter()
        .filter_map(|tasks| describe::min_max(&agg::flatten(tasks)).map(|m| m.0))
        .fold(0.0_f64, f64::min);
    let highest = scores
        .iter()
        .filter_map(|tasks| describe::quantile(&agg::flatten(tasks), 0.95))
        .fold(cfg.gamma, f64::max);
    let step = (highest - lowest) / (PROFILE_POINTS - 1) as f64;
    let taus: Vec<f64> = (0..PROFILE_POINTS)
        .map(|i| lowest + step * i as f64)
        .collect();
    methods
        .par_iter()
        .zip(&scores)
        .map(|(m, tasks)| {
            let key = rng::stream_key(&["profile", &m.method]);
            let fraction = agg::profile(tasks, &taus).unwrap_or_default();
            let bands = agg::profile_intervals(tasks, &taus, cfg, key);
            Profile {
                method: m.method.clone(),
                points: taus
                    .iter()
                    .zip(&fraction)
                    .enumerate()
                    .map(|(i, (&tau, &fraction))| ProfilePoint {
                        tau,
                        fraction,
                        ci: bands.as_ref().map(|b| [b[i].lo, b[i].hi]),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Every method must hold the same tasks, each with at least one run.
fn check_tasks(methods: &[MethodScores]) -> Result<()> {
    let Some(first) = methods.first() else {
        return Err(Error::usage("no methods to aggregate"));
    };
    for m in methods {
        let empty: Vec<String> = m
            .tasks
            .iter()
            .filter(|(_, runs)| runs.is_empty())
            .map(|(t, _)| format!("`{t}`"))
            .collect();
        if !empty.is_empty() {
            return Err(Error::input(
                &m.source,
                format!(
                    "`{}` has no run for task{} {}",
                    m.method,
                    if empty.len() == 1 { "" } else { "s" },
                    empty.join(", ")
                ),
            ));
        }
        let lacks: Vec<String> = first
            .tasks
            .keys()
            .filter(|t| !m.tasks.contains_key(*t))
            .map(|t| format!("`{t}`"))
            .collect();
        let extra: Vec<String> = m
            .tasks
            .keys()
            .filter(|t| !first.tasks.contains_key(*t))
            .map(|t| format!("`{t}`"))
            .collect();
        if !lacks.is_empty() || !extra.is_empty() {
            let mut parts = Vec::new();
            if !lacks.is_empty() {
                parts.push(format!(
                    "`{}` has no runs for {} (which `{}` has)",
                    m.method,
                    lacks.join(", "),
                    first.method
                ));
            }
            if !extra.is_empty() {
                parts.push(format!(
                    "`{}` has {} (which `{}` has not)",
                    m.method,
                    extra.join(", "),
                    first.method
                ));
            }
            return Err(Error::input(
                &m.source,
                format!(
                    "{}: aggregates compare methods on the same tasks",
                    parts.join("; ")
                ),
            ));
        }
    }
    Ok(())
}

/// Task names in natural order.
fn ordered_tasks(m: &MethodScores) -> Vec<String> {
    let mut names: Vec<String> = m.tasks.keys().cloned().collect();
    names.sort_by(|a, b| natural_cmp(a, b));
    names
}

fn method_aggregates(
    m: &MethodScores,
    task_names: &[String],
    cfg: &StratifiedConfig,
    options: &AggregateOptions,
) -> (Vec<AggregateRow>, TasksAbove, Vec<String>) {
    let tasks: Vec<&[f64]> = task_names.iter().map(|t| m.tasks[t].as_slice()).collect();
    let key = rng::stream_key(&["aggregate", &m.method]);
    let intervals = agg::stratified_intervals(&tasks, &options.metrics, cfg, key);
    let mut notes = Vec::new();
    if tasks.iter().all(|t| t.len() == 1) {
        notes.push(format!(
            "{}: one run per task: point estimates only, no interval.",
            m.method
        ));
    } else if let Some(single) = Some(
        task_names
            .iter()
            .zip(&tasks)
            .filter(|(_, t)| t.len() == 1)
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
    )
    .filter(|s| !s.is_empty())
    {
        notes.push(format!(
            "{}: one run for {}: held fixed in the bootstrap.",
            m.method,
            single.join(", ")
        ));
    }
    let constant: Vec<&str> = task_names
        .iter()
        .zip(&tasks)
        .filter(|(_, t)| t.len() > 1 && t.windows(2).all(|w| w[0] == w[1]))
        .map(|(n, _)| n.as_str())
        .collect();
    if !constant.is_empty() {
        notes.push(format!(
            "{}: every run has the same score on {} (zero variance across runs).",
            m.method,
            constant.join(", ")
        ));
    }
    let counts: Vec<usize> = tasks.iter().map(|t| t.len()).collect();
    if counts.windows(2).any(|w| w[0] != w[1]) {
        notes.push(format!(
            "{}: tasks have different numbers of runs: mean, IQM and optimality gap weight each task by its runs.",
            m.method
        ));
    }
    let rows = options
        .metrics
        .iter()
        .enumerate()
        .map(|(j, &which)| AggregateRow {
            method: m.method.clone(),
            metric: which,
            estimate: agg::estimate(which, &tasks, options.gamma),
            ci: intervals.as_ref().map(|iv| [iv[j].lo, iv[j].hi]),
        })
        .collect();
    let above: Vec<String> = task_names
        .iter()
        .zip(&tasks)
        .filter(|(_, t)| describe::mean(t).is_some_and(|v| v >= options.threshold))
        .map(|(n, _)| n.clone())
        .collect();
    let tasks_above = TasksAbove {
        method: m.method.clone(),
        threshold: options.threshold,
        count: agg::tasks_above(&tasks, options.threshold),
        tasks: above,
    };
    (rows, tasks_above, notes)
}

fn prob_improvements(
    methods: &[MethodScores],
    name: &str,
    task_names: &[String],
    cfg: &StratifiedConfig,
) -> Vec<ProbImprovement> {
    let slices = |m: &MethodScores| -> Vec<Vec<f64>> {
        task_names.iter().map(|t| m.tasks[t].clone()).collect()
    };
    let Some(x) = methods.iter().find(|m| m.method == name) else {
        return Vec::new();
    };
    let xs = slices(x);
    let x_tasks: Vec<&[f64]> = xs.iter().map(Vec::as_slice).collect();
    methods
        .par_iter()
        .filter(|m| m.method != name)
        .map(|other| {
            let ys = slices(other);
            let y_tasks: Vec<&[f64]> = ys.iter().map(Vec::as_slice).collect();
            let key = rng::stream_key(&["prob_improvement", name, &other.method]);
            ProbImprovement {
                method: name.to_string(),
                other: other.method.clone(),
                estimate: agg::probability_of_improvement(&x_tasks, &y_tasks),
                ci: agg::probability_of_improvement_interval(&x_tasks, &y_tasks, cfg, key)
                    .map(|iv| [iv.lo, iv.hi]),
            }
        })
        .collect()
}

impl AggregateReport {
    /// The aggregate `metric` of `method`.
    pub fn row(&self, method: &str, metric: agg::Aggregate) -> Option<&AggregateRow> {
        self.aggregates
            .iter()
            .find(|r| r.method == method && r.metric == metric)
    }
}
