//! Per-example scores (a long table with an `example` column, lm-eval sample
//! logs): one system against another on the same test examples, paired by
//! example id (DESIGN section 12).
//!
//! [`prepare`] first applies `--missing` to the tidy table, so every later
//! number (per-seed means included) is over the same examples, and records
//! each system's coverage. A system's score on an example is then its mean
//! over seeds (or majority, `--example-reduce`). The paired comparison
//! resamples examples (the paired bootstrap of `scipy.stats.bootstrap(...,
//! paired=True)`), or clusters of examples (`--cluster-col`), and tests them
//! (paired t, CR1 cluster-robust t with G − 1 df, or exact McNemar); with
//! `--unit both` the two-way interval also carries each system's seed noise.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use super::example_cells::{Cell, CellGroup, ExampleCells};
use super::options::{Describe, ExampleOptions, ExampleReduce, Inference, MissingScores};
use crate::error::{Error, Result};
use crate::load::{Study, natural_cmp, tidy};
use crate::stats::bootstrap::{self, BootstrapConfig};
use crate::stats::cluster::{self, Clustered};
use crate::stats::inference::{self, TestConfig, TestKind};
use crate::stats::mcnemar;
use crate::stats::proportion::{self, ProportionMethod};
use crate::stats::twoway::{self, System};
use crate::stats::{describe, rng};

/// (condition, metric) → [examples scored by every seed, examples of the metric].
pub type Coverage = HashMap<(String, String), [usize; 2]>;

/// Apply `--missing` to the per-example rows of `study` and return every
/// system's coverage. An example is missing for a system when one of its
/// seeds has no score for it (no row, or null/NaN/inf) while another system
/// (or seed) scored it; the examples of a metric are those of its task.
/// `fail` stops at the first (metric, condition, seed, example in natural
/// order), naming the file of the condition (`sources`); `drop` removes the
/// example for every system; `zero` scores it 0. With `mcnemar`, every
/// example score (after `--example-reduce`) must be 0 or 1.
pub fn prepare(
    study: &mut Study,
    options: &ExampleOptions,
    mcnemar: bool,
    sources: &BTreeMap<String, PathBuf>,
) -> Result<Coverage> {
    let cells = Cells::of(study);
    if let Some(name) = &options.cluster_col
        && cells.clusters.is_empty()
    {
        return Err(Error::usage(format!(
            "--cluster-col {name}: no per-example row has a cluster (it reads a column of result tables; run folders and sample logs have none)"
        )));
    }
    if cells.groups.is_empty() {
        if mcnemar {
            return Err(Error::usage(
                "--test mcnemar needs per-example 0/1 scores (a table with an `example` column, or lm-eval sample logs); the inputs have none",
            ));
        }
        return Ok(Coverage::new());
    }
    let universe = cells.universe();
    let missing = cells.missing(&universe);
    let coverage = cells.coverage(&universe, &missing);
    let fix = match (options.missing, missing.first()) {
        (_, None) => None,
        (MissingScores::Fail, Some(first)) => return Err(missing_error(first, sources)),
        (mode, Some(_)) => Some(mode),
    };
    if let Some(mode) = fix {
        let mut dropped: BTreeSet<(Option<String>, String, String)> = BTreeSet::new();
        let mut filled: Vec<(String, String, String, String)> = Vec::new();
        for m in &missing {
            match mode {
                MissingScores::Drop => {
                    dropped.insert((m.task.clone(), m.metric.clone(), m.example.clone()));
                }
                _ => filled.push((
                    m.condition.clone(),
                    m.seed.clone(),
                    m.metric.clone(),
                    m.example.clone(),
                )),
            }
        }
        let tasks: HashMap<(String, String), Option<String>> = missing
            .iter()
            .map(|m| ((m.condition.clone(), m.metric.clone()), m.task.clone()))
            .collect();
        let clusters: HashMap<String, String> = cells
            .clusters
            .iter()
            .map(|(e, c)| (e.to_string(), c.to_string()))
            .collect();
        drop((universe, cells));
        study.results = rebuild(study, &dropped, &filled, &tasks, &clusters);
        if mode == MissingScores::Drop && Cells::of(study).groups.is_empty() {
            return Err(Error::usage(
                "--missing drop left no example: no example is scored by every system",
            ));
        }
    }
    if mcnemar {
        check_binary(&Cells::of(study), options.reduce, sources)?;
    }
    Ok(coverage)
}

/// The files each condition came from, for messages: the argument it was read from.
pub fn sources(study: &Study, paths: &[PathBuf]) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for (conditions, path) in study.per_input.iter().zip(paths) {
        for c in conditions {
            out.entry(c.clone()).or_insert_with(|| path.clone());
        }
    }
    out
}

/// Every per-example cell of the study, by (condition, metric).
struct Cells<'a> {
    groups: BTreeMap<(&'a str, &'a str), CellGroup<'a>>,
    /// Example → its cluster (`--cluster-col`).
    clusters: FxHashMap<&'a str, &'a str>,
}

/// The examples of each (task, metric), in byte order: every example any
/// system scored.
type Universe<'a> = FxHashMap<(Option<&'a str>, &'a str), Vec<&'a str>>;

/// One missing (condition, seed, example) of a metric.
struct Missing {
    task: Option<String>,
    metric: String,
    condition: String,
    seed: String,
    example: String,
    /// Whether a row was there with no value (null, NaN, ±inf).
    null: bool,
}

impl<'a> Cells<'a> {
    /// Borrowed from the tidy table: a per-example table has millions of rows.
    fn of(study: &'a Study) -> Cells<'a> {
        let cells = ExampleCells::of(study);
        Cells {
            groups: cells.groups.into_iter().collect(),
            clusters: cells.clusters,
        }
    }

    /// The examples of each (task, metric): every example any system scored.
    fn universe(&self) -> Universe<'a> {
        let mut sets: FxHashMap<(Option<&str>, &str), FxHashSet<&str>> = FxHashMap::default();
        for ((_, metric), g) in &self.groups {
            sets.entry((g.task, metric))
                .or_default()
                .extend(g.examples.iter().copied());
        }
        sets.into_iter()
            .map(|(key, set)| {
                let mut examples: Vec<&str> = set.into_iter().collect();
                examples.sort_unstable();
                (key, examples)
            })
            .collect()
    }

    /// Every missing cell, in (metric, condition, seed, example) natural order.
    fn missing(&self, universe: &Universe) -> Vec<Missing> {
        let mut out = Vec::new();
        for ((condition, metric), g) in &self.groups {
            let all = &universe[&(g.task, *metric)];
            for (s, seed) in g.seeds.iter().enumerate() {
                // both in byte order: the group's examples are a subset of all
                let mut own = g.examples.iter().enumerate().peekable();
                for example in all {
                    let cell = match own.next_if(|(_, e)| *e == example) {
                        Some((i, _)) => g.cell(i, s),
                        None => Cell::NoRow,
                    };
                    if cell != Cell::NoRow && cell != Cell::Null {
                        continue;
                    }
                    out.push(Missing {
                        task: g.task.map(str::to_string),
                        metric: metric.to_string(),
                        condition: condition.to_string(),
                        seed: seed.to_string(),
                        example: example.to_string(),
                        null: cell == Cell::Null,
                    });
                }
            }
        }
        out.sort_by(|a, b| {
            natural_cmp(&a.metric, &b.metric)
                .then_with(|| natural_cmp(&a.condition, &b.condition))
                .then_with(|| natural_cmp(&a.seed, &b.seed))
                .then_with(|| natural_cmp(&a.example, &b.example))
                .then_with(|| {
                    (&a.metric, &a.condition, &a.seed, &a.example).cmp(&(
                        &b.metric,
                        &b.condition,
                        &b.seed,
                        &b.example,
                    ))
                })
        });
        out
    }

    fn coverage(&self, universe: &Universe, missing: &[Missing]) -> Coverage {
        let mut lacking: HashMap<(&str, &str), BTreeSet<&str>> = HashMap::new();
        for m in missing {
            lacking
                .entry((&m.condition, &m.metric))
                .or_default()
                .insert(&m.example);
        }
        self.groups
            .iter()
            .map(|((condition, metric), g)| {
                let total = universe[&(g.task, *metric)].len();
                let gaps = lacking.get(&(condition, metric)).map_or(0, BTreeSet::len);
                (
                    (condition.to_string(), metric.to_string()),
                    [total - gaps, total],
                )
            })
            .collect()
    }
}

fn missing_error(first: &Missing, sources: &BTreeMap<String, PathBuf>) -> Error {
    let what = if first.null {
        "a missing score (null/NaN/inf)"
    } else {
        "no score"
    };
    let message = format!(
        "`{}` has {what} for example `{}` (metric `{}`, seed {}): pass --missing drop to keep only the examples every system scored on every seed, or --missing zero to count it as 0",
        first.condition, first.example, first.metric, first.seed
    );
    match sources.get(&first.condition) {
        Some(path) => Error::input(path, message),
        None => Error::usage(message),
    }
}

/// The tidy table without the dropped (task, metric, example)s, with null
/// scores of filled cells set to 0 and a 0 row for each filled cell that had
/// no row.
fn rebuild(
    study: &Study,
    dropped: &BTreeSet<(Option<String>, String, String)>,
    filled: &[(String, String, String, String)],
    tasks: &HashMap<(String, String), Option<String>>,
    clusters: &HashMap<String, String>,
) -> tidy::TidyTable {
    let fill: BTreeSet<(&str, &str, &str, &str)> = filled
        .iter()
        .map(|(c, s, m, e)| (c.as_str(), s.as_str(), m.as_str(), e.as_str()))
        .collect();
    let mut seen: BTreeSet<(&str, &str, &str, &str)> = BTreeSet::new();
    let mut builder = tidy::TidyBuilder::default();
    for (mut row, cluster) in tidy::rows_with_cluster(&study.results) {
        if let Some(example) = row.example {
            let key = (
                row.task.map(str::to_string),
                row.metric.to_string(),
                example.to_string(),
            );
            if dropped.contains(&key) {
                continue;
            }
            if let Some(&cell) = fill.get(&(row.condition, row.seed, row.metric, example)) {
                seen.insert(cell);
                row.value = Some(0.0);
            }
        }
        builder.push_clustered(row, cluster);
    }
    for &(condition, seed, metric, example) in fill.difference(&seen) {
        let task = tasks
            .get(&(condition.to_string(), metric.to_string()))
            .cloned()
            .flatten();
        builder.push_clustered(
            tidy::Row {
                condition,
                seed,
                metric,
                value: Some(0.0),
                task: task.as_deref(),
                example: Some(example),
                step: None,
            },
            clusters.get(example).map(String::as_str),
        );
    }
    builder.finish()
}

/// `--test mcnemar` needs every example score to be 0 or 1.
fn check_binary(
    cells: &Cells,
    reduce: ExampleReduce,
    sources: &BTreeMap<String, PathBuf>,
) -> Result<()> {
    for ((condition, metric), g) in &cells.groups {
        let per_example = g
            .examples
            .iter()
            .enumerate()
            .map(|(i, example)| (*example, g.row(i).flatten().collect::<Vec<f64>>()));
        for (example, values) in per_example {
            let Some(score) = example_score(&values, reduce) else {
                continue;
            };
            if score != 0.0 && score != 1.0 {
                let why = if values.iter().all(|v| *v == 0.0 || *v == 1.0) {
                    format!(
                        "its mean over {} seeds, which disagree; --example-reduce majority takes the majority vote",
                        values.len()
                    )
                } else {
                    "the score itself: McNemar counts right/wrong pairs".to_string()
                };
                let message = format!(
                    "--test mcnemar needs 0/1 scores, but `{condition}` scores example `{example}` of `{metric}` {score} ({why})"
                );
                return Err(match sources.get(*condition) {
                    Some(path) => Error::input(path, message),
                    None => Error::usage(message),
                });
            }
        }
    }
    Ok(())
}

/// A system's score on one example from its seeds' scores: the mean, or
/// with `Majority` 1 when more than half of the seeds score 1 (a tie is no
/// majority) provided every score is 0/1 (else the mean).
fn example_score(values: &[f64], reduce: ExampleReduce) -> Option<f64> {
    let mean = describe::mean(values)?;
    let binary = values.iter().all(|v| *v == 0.0 || *v == 1.0);
    Some(match reduce {
        ExampleReduce::Majority if binary => {
            let ones = values.iter().filter(|v| **v == 1.0).count();
            if 2 * ones > values.len() { 1.0 } else { 0.0 }
        }
        _ => mean,
    })
}

/// The paired examples, baseline and treatment scores, the unmatched count,
/// and each pair's [baseline, treatment] example index in its group.
type Paired<'a> = (Vec<&'a str>, Vec<f64>, Vec<f64>, usize, Vec<[usize; 2]>);

/// Per-example scores of every condition × metric that has them.
pub struct ExampleScores<'a> {
    groups: FxHashMap<(&'a str, &'a str), CellGroup<'a>>,
    /// Example → cluster (`--cluster-col`); empty without clusters.
    clusters: FxHashMap<&'a str, &'a str>,
    options: ExampleOptions,
}

/// What one condition's accuracy over examples gets (summary and compare groups).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupExamples {
    /// Examples with a score.
    pub n: usize,
    /// [scored by every seed, examples of the metric] (before `--missing`).
    pub coverage: Option<[usize; 2]>,
    /// Mean of the example scores (over seeds: `--example-reduce`).
    pub accuracy: f64,
    /// The interval of a 0/1 accuracy (`--proportion-ci`), and its method.
    pub proportion_ci: Option<[f64; 2]>,
    pub proportion_method: Option<ProportionMethod>,
    /// Clusters of the examples (`--cluster-col`).
    pub clusters: Option<usize>,
    /// CR1 cluster-robust standard error of `accuracy`, its t-interval with
    /// G − 1 df, and the cluster bootstrap interval.
    pub cluster_se: Option<f64>,
    pub cluster_t_ci: Option<[f64; 2]>,
    pub cluster_bootstrap_ci: Option<[f64; 2]>,
    /// Moved into the group's notes.
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// The per-example comparison of one treatment with the baseline on one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExampleComparison {
    /// Examples scored by both conditions.
    pub n: usize,
    /// Examples scored by only one of the two: left out.
    pub unmatched: usize,
    /// Mean over the paired examples of treatment − baseline.
    pub diff: f64,
    /// Bootstrap CI of `diff`: paired over examples, or over clusters.
    pub diff_ci: Option<[f64; 2]>,
    /// The two-way CI of the difference of the systems' means (examples or
    /// clusters shared, seeds per system: `stats::twoway`), when `--unit both`.
    pub two_way_ci: Option<[f64; 2]>,
    /// The test over examples: `paired-t`, `cluster-t` (CR1, G − 1 df) or
    /// `mcnemar` / `mcnemar-mid-p`.
    pub test: &'static str,
    pub statistic: Option<f64>,
    pub df: Option<f64>,
    pub p_value: Option<f64>,
    /// McNemar's discordant counts [b, c]: baseline right and treatment wrong, the reverse.
    pub discordant: Option<[u64; 2]>,
    /// Clusters of the paired examples (`--cluster-col`).
    pub clusters: Option<usize>,
    /// CR1 standard error of `diff` with clusters.
    pub se: Option<f64>,
    /// Condition → [examples it scored with every seed, examples of the metric].
    pub coverage: BTreeMap<String, [usize; 2]>,
    pub notes: Vec<String>,
}

impl<'a> ExampleScores<'a> {
    /// The per-example scores of `study`; `None` when no row has an example.
    pub fn of(study: &'a Study, options: &ExampleOptions) -> Option<ExampleScores<'a>> {
        let cells = ExampleCells::of(study);
        if cells.groups.is_empty() {
            return None;
        }
        Some(ExampleScores {
            groups: cells.groups.into_iter().collect(),
            clusters: cells.clusters,
            options: options.clone(),
        })
    }

    /// Whether the examples are clustered (`--cluster-col`).
    pub fn clustered(&self) -> bool {
        !self.clusters.is_empty()
    }

    /// Seeds of a condition's per-example scores of `metric`.
    pub fn seeds(&self, condition: &str, metric: &str) -> Option<usize> {
        self.groups.get(&(condition, metric)).map(|g| g.seeds.len())
    }

    /// The example score of every example with one (example-id byte order),
    /// with the example's index in its group.
    fn scores(&self, condition: &str, metric: &str) -> Option<Vec<(usize, &'a str, f64)>> {
        let g = self.groups.get(&(condition, metric))?;
        let reduce = self.options.reduce;
        let mut values = Vec::with_capacity(g.seeds.len());
        Some(
            g.examples
                .iter()
                .enumerate()
                .filter_map(|(i, example)| {
                    values.clear();
                    values.extend(g.row(i).flatten());
                    example_score(&values, reduce).map(|s| (i, *example, s))
                })
                .collect(),
        )
    }

    /// Cluster index of each example (in order of first appearance) and the
    /// number of clusters; `None` without `--cluster-col`.
    fn cluster_indices(&self, examples: &[&str]) -> Option<(Vec<u32>, usize)> {
        if self.clusters.is_empty() {
            return None;
        }
        let mut index: FxHashMap<&str, u32> = FxHashMap::default();
        let of = examples
            .iter()
            .map(|e| {
                let name = self.clusters.get(e).copied().unwrap_or(e);
                let next = index.len() as u32;
                *index.entry(name).or_insert(next)
            })
            .collect();
        Some((of, index.len()))
    }

    /// The accuracy over examples of one condition: proportion interval
    /// when every example score is 0/1, CR1 and cluster bootstrap with clusters.
    pub fn group(
        &self,
        condition: &str,
        metric: &str,
        describe_settings: &Describe,
        coverage: &Coverage,
    ) -> Option<GroupExamples> {
        let scored = self.scores(condition, metric)?;
        let values: Vec<f64> = scored.iter().map(|(_, _, s)| *s).collect();
        let accuracy = describe::mean(&values)?;
        let mut notes = Vec::new();
        let ones = values.iter().filter(|v| **v == 1.0).count();
        let binary = values.iter().all(|v| *v == 0.0 || *v == 1.0);
        let method = self.options.proportion_ci.filter(|_| binary);
        let proportion_ci = method.and_then(|m| {
            proportion::interval(
                m,
                ones as u64,
                values.len() as u64,
                describe_settings.confidence,
            )
            .map(|(lo, hi)| [lo, hi])
        });
        if self.options.proportion_ci.is_some() && !binary {
            let seeds = self.seeds(condition, metric).unwrap_or(1);
            notes.push(if seeds > 1 && self.options.reduce == ExampleReduce::Mean {
                format!(
                    "example scores are means over {seeds} seeds, not 0/1: no proportion interval (--example-reduce majority gives one)"
                )
            } else {
                "example scores are not all 0/1: no proportion interval".to_string()
            });
        }
        let examples: Vec<&str> = scored.iter().map(|(_, e, _)| *e).collect();
        let clustered = self.cluster_indices(&examples);
        let (mut clusters, mut cluster_se, mut cluster_t_ci, mut cluster_bootstrap_ci) =
            (None, None, None, None);
        if let Some((of, count)) = &clustered {
            let data = Clustered {
                values: &values,
                of,
                count: *count,
            };
            clusters = Some(*count);
            match cluster::cr1_mean(data) {
                Some(m) => {
                    cluster_se = Some(m.se);
                    cluster_t_ci = m.t_interval(describe_settings.confidence);
                }
                None => notes.push(one_cluster_note(*count)),
            }
            let key = rng::stream_key(&["cluster mean", condition, metric]);
            let config = bootstrap_config(describe_settings);
            if let Some(ci) = cluster::bootstrap_ci(data, &config, key) {
                notes.extend(ci.note.clone());
                cluster_bootstrap_ci = Some([ci.lo, ci.hi]);
            }
        }
        Some(GroupExamples {
            n: values.len(),
            coverage: coverage
                .get(&(condition.to_string(), metric.to_string()))
                .copied(),
            accuracy,
            proportion_ci,
            proportion_method: method,
            clusters,
            cluster_se,
            cluster_t_ci,
            cluster_bootstrap_ci,
            notes,
        })
    }

    /// Baseline and treatment scores of the examples both have, in example-id
    /// (byte) order so that the file's row order does not matter, and the
    /// number of examples only one of them has.
    fn paired(&self, metric: &str, baseline: &str, treatment: &str) -> Option<Paired<'a>> {
        let b = self.scores(baseline, metric)?;
        let t = self.scores(treatment, metric)?;
        let (mut examples, mut bs, mut ts) = (Vec::new(), Vec::new(), Vec::new());
        let mut at = Vec::new();
        // both in example-id byte order: a merge
        let mut rest = t.iter().peekable();
        for (b_at, example, score) in &b {
            while rest.next_if(|(_, e, _)| e < example).is_some() {}
            if let Some((t_at, _, t_score)) = rest.next_if(|(_, e, _)| e == example) {
                examples.push(*example);
                bs.push(*score);
                ts.push(*t_score);
                at.push([*b_at, *t_at]);
            }
        }
        let unmatched = b.len() + t.len() - 2 * bs.len();
        Some((examples, bs, ts, unmatched, at))
    }

    /// The two-way (seeds × examples) CI of mean(treatment) − mean(baseline)
    /// over the shared examples (at these [baseline, treatment] indices,
    /// grouped into `units`), or `None` when a (seed, example) score is missing.
    fn two_way(
        &self,
        metric: &str,
        baseline: &str,
        treatment: &str,
        at: &[[usize; 2]],
        units: &(Vec<u32>, usize),
        describe_settings: &Describe,
    ) -> Option<[f64; 2]> {
        let (of, count) = units;
        let mut sizes = vec![0.0; *count];
        for &u in of {
            sizes[u as usize] += 1.0;
        }
        let sums = |condition: &str, side: usize| -> Option<(Vec<f64>, usize)> {
            let g = self.groups.get(&(condition, metric))?;
            let seeds = g.seeds.len();
            let mut sums = vec![0.0; count * seeds];
            for (pair, &u) in at.iter().zip(of) {
                for (s, v) in g.row(pair[side]).enumerate() {
                    sums[u as usize * seeds + s] += v?;
                }
            }
            Some((sums, seeds))
        };
        let (b, sb) = sums(baseline, 0)?;
        let (t, st) = sums(treatment, 1)?;
        twoway::diff_ci(
            System {
                sums: &b,
                seeds: sb,
            },
            System {
                sums: &t,
                seeds: st,
            },
            &sizes,
            describe_settings.confidence,
        )
    }

    /// The paired per-example comparison of `treatment` with `baseline` on
    /// `metric`, or `None` when either has no per-example scores for it.
    /// `two_way`: also the two-way interval of seeds × examples.
    #[allow(clippy::too_many_arguments)]
    pub fn compare(
        &self,
        metric: &str,
        baseline: &str,
        treatment: &str,
        describe_settings: &Describe,
        inference_settings: &Inference,
        coverage: &Coverage,
        two_way: bool,
    ) -> Option<ExampleComparison> {
        let (examples, b, t, unmatched, at) = self.paired(metric, baseline, treatment)?;
        let diffs: Vec<f64> = t.iter().zip(&b).map(|(t, b)| t - b).collect();
        let diff = describe::mean(&diffs)?;
        let key = rng::stream_key(&["examples", baseline, treatment, metric]);
        let config = bootstrap_config(describe_settings);
        let mut notes = Vec::new();
        let clustered = self.cluster_indices(&examples);
        let ci = match &clustered {
            Some((of, count)) => {
                let data = Clustered {
                    values: &diffs,
                    of,
                    count: *count,
                };
                cluster::bootstrap_ci(data, &config, key)
            }
            None => bootstrap::mean_ci(&diffs, &config, key),
        };
        if unmatched > 0 {
            notes.push(format!(
                "paired on the {} examples both conditions scored; {unmatched} scored by only one left out",
                b.len()
            ));
        }
        for condition in [baseline, treatment] {
            let missing = self
                .groups
                .get(&(condition, metric))
                .map_or(0, CellGroup::missing);
            if missing > 0 {
                notes.push(format!(
                    "{condition}: {missing} missing example score(s) (null/NaN/inf) left out"
                ));
            }
        }
        if let Some(note) = ci.as_ref().and_then(|c| c.note.clone()) {
            notes.push(note);
        }
        let mut result = ExampleComparison {
            n: b.len(),
            unmatched,
            diff,
            diff_ci: ci.map(|c| [c.lo, c.hi]),
            two_way_ci: None,
            test: "paired-t",
            statistic: None,
            df: None,
            p_value: None,
            discordant: None,
            clusters: clustered.as_ref().map(|(_, g)| *g),
            se: None,
            coverage: [baseline, treatment]
                .iter()
                .filter_map(|c| {
                    coverage
                        .get(&(c.to_string(), metric.to_string()))
                        .map(|v| (c.to_string(), *v))
                })
                .collect(),
            notes,
        };
        if two_way {
            let units = clustered
                .clone()
                .unwrap_or_else(|| ((0..examples.len() as u32).collect(), examples.len()));
            result.two_way_ci =
                self.two_way(metric, baseline, treatment, &at, &units, describe_settings);
        }
        if inference_settings.test == TestKind::Mcnemar {
            self.mcnemar(&mut result, &b, &t, inference_settings);
        } else if let Some((of, count)) = &clustered {
            result.test = "cluster-t";
            let data = Clustered {
                values: &diffs,
                of,
                count: *count,
            };
            match cluster::cr1_mean(data) {
                Some(m) => {
                    let (t_stat, p) = m.t_test(inference_settings.alternative);
                    result.se = Some(m.se);
                    result.statistic = Some(t_stat);
                    result.df = Some(m.df);
                    result.p_value = Some(p);
                }
                None => result.notes.push(one_cluster_note(*count)),
            }
        } else {
            let permutation = TestConfig::seeded(
                describe_settings.resamples as u64,
                describe_settings.seed,
                key,
            );
            match inference::run_test(
                TestKind::Paired,
                &b,
                &t,
                inference_settings.alternative,
                &permutation,
            ) {
                Ok(r) => {
                    result.statistic = Some(r.statistic);
                    result.df = r.df;
                    result.p_value = Some(r.p_value);
                }
                Err(undefined) => result
                    .notes
                    .push(format!("paired test over examples undefined: {undefined}")),
            }
        }
        Some(result)
    }

    fn mcnemar(
        &self,
        result: &mut ExampleComparison,
        b: &[f64],
        t: &[f64],
        inference_settings: &Inference,
    ) {
        let mid_p = self.options.mid_p;
        result.test = if mid_p { "mcnemar-mid-p" } else { "mcnemar" };
        match mcnemar::test(b, t, inference_settings.alternative, mid_p) {
            Ok(m) => {
                result.statistic = Some(m.statistic);
                result.p_value = Some(m.p_value);
                result.discordant = Some([m.b, m.c]);
                if m.b + m.c == 0 {
                    result
                        .notes
                        .push("no discordant pairs: McNemar's p is 1".to_string());
                }
            }
            Err(_) => result.notes.push(
                "McNemar undefined: the example scores are not all 0/1 (--example-reduce majority makes them so)"
                    .to_string(),
            ),
        }
        if result.clusters.is_some() {
            result.notes.push(
                "McNemar treats examples as independent: with --cluster-col prefer the cluster-robust t-test (drop --test mcnemar)"
                    .to_string(),
            );
        }
    }
}

/// The bootstrap settings of `settings` (as `summary::bootstrap_config`,
/// which this file sits below).
fn bootstrap_config(settings: &Describe) -> BootstrapConfig {
    BootstrapConfig {
        resamples: settings.resamples,
        confidence: settings.confidence,
        method: settings.ci_method,
        seed: settings.seed,
    }
}

fn one_cluster_note(count: usize) -> String {
    if count < 2 {
        format!("cluster-robust errors undefined: {count} cluster (they need at least 2; G − 1 df)")
    } else {
        "cluster-robust error undefined: no variation left within or between clusters".to_string()
    }
}
