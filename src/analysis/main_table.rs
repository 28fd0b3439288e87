//! `xreport table`: the paper's main results table (DESIGN section 14). One
//! row per method, one column group per task, one column per metric; each
//! cell's statistics, its best / second-best marks by the metric's
//! direction, and the † of the compare report against the baseline.
//!
//! The runs are split by task first, and every task is compared on its own
//! with [`compare::run`]: a column's statistics are those `xreport compare`
//! prints for that task's runs, so with `--family metric` a column is one
//! family, as in compare. `--family all` corrects every comparison of the
//! table together.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::DataFrame;
use serde::{Deserialize, Serialize};

use super::compare::{self, Comparison, Settings, Verdict};
use super::direction::Direction;
use super::groups::{self, SeedValues};
use super::options::{Describe, Family, Inference, Metrics};
use super::report::{self, SeedStyle};
use super::roles::{self, Named, Roles};
use super::summary::{self, GroupStats};
use crate::error::{Error, Result};
use crate::load::tidy::{self, Row as TidyRow, TidyBuilder};
use crate::load::{Skipped, Study, natural_cmp};
use crate::render::format;

/// What a cell shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellKind {
    #[serde(rename = "mean±std")]
    MeanStd,
    #[serde(rename = "mean±sem")]
    MeanSem,
    #[serde(rename = "mean±ci")]
    MeanCi,
    #[serde(rename = "mean[ci]")]
    MeanBracketCi,
    #[serde(rename = "mean")]
    Mean,
}

impl CellKind {
    /// The name the user writes (`--cell`).
    pub fn name(self) -> &'static str {
        match self {
            CellKind::MeanStd => "mean±std",
            CellKind::MeanSem => "mean±sem",
            CellKind::MeanCi => "mean±ci",
            CellKind::MeanBracketCi => "mean[ci]",
            CellKind::Mean => "mean",
        }
    }
}

/// Whether the second-best value of a column is underlined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Second {
    Underline,
    None,
}

/// The significance marks a table can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    /// † on cells significantly better than the baseline.
    Baseline,
    /// Bold also on cells not significantly worse than the best.
    Best,
    /// Neither.
    None,
}

/// Where a run's task comes from, besides a task column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskKey {
    /// A config or results key (`data.name`).
    Key(String),
    /// The Nth `/`-separated part of the condition's folder path, from 0.
    Path(usize),
}

impl TaskKey {
    /// As the user writes it.
    pub fn name(&self) -> String {
        match self {
            TaskKey::Key(key) => key.clone(),
            TaskKey::Path(n) => format!("path:{n}"),
        }
    }
}

/// A row the user asked for (`[table] rows`), with its label.
#[derive(Debug, Clone)]
pub struct RowSpec {
    pub condition: String,
    pub label: Option<String>,
}

/// The table's resolved options (flags, then `[table]`, then defaults).
#[derive(Debug, Clone)]
pub struct TableOptions {
    /// `--task-key`; `None`: the task column, when the inputs have one.
    pub task: Option<TaskKey>,
    /// The study file's `task_key`: used when the inputs have no task column
    /// (a results table beside the study file keeps its own).
    pub file_task: Option<TaskKey>,
    /// Rows in order; empty: every condition, natural order.
    pub rows: Vec<RowSpec>,
    /// Row groups in order, each a list of conditions.
    pub groups: Vec<(String, Vec<String>)>,
    pub cell: CellKind,
    pub second: Second,
    /// `None`: † against the baseline when one is known.
    pub marks: Option<Vec<Mark>>,
    pub relative: bool,
    /// `--baseline`.
    pub baseline: Option<String>,
    /// `--digits`: fixed decimals for every column.
    pub digits: Option<usize>,
}

#[derive(Debug, Serialize)]
pub struct MainTableReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub skipped: Vec<Skipped>,
    pub settings: Settings,
    pub cell: CellKind,
    pub marks: Marks,
    /// The baseline the † and Δ% refer to, when one is known.
    pub baseline: Option<String>,
    pub rows: Vec<TableRow>,
    pub columns: Vec<TableColumn>,
    /// Row-major: every row × column, in table order.
    pub cells: Vec<TableCell>,
    /// What the reader must know: empty cells, rows left out.
    pub notes: Vec<String>,
    /// Per-group and per-comparison notes of the statistics, prefixed.
    pub statistics_notes: Vec<String>,
}

/// Which marks the table carries.
#[derive(Debug, Clone, Serialize)]
pub struct Marks {
    /// The best value per column is bold (always).
    pub best: bool,
    /// The second-best value per column is underlined.
    pub second: bool,
    /// † on cells significantly better than the baseline.
    pub baseline: bool,
    /// Bold also on cells not significantly worse than the column's best.
    pub not_worse_than_best: bool,
    /// Δ% to the baseline with its bootstrap CI, per metric.
    pub relative: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub condition: String,
    pub label: String,
    pub group: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableColumn {
    /// `None` when the inputs have no tasks.
    pub task: Option<String>,
    pub metric: String,
    pub label: String,
    pub direction: Direction,
    /// Decimal places of every number in the column.
    pub decimals: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableCell {
    pub condition: String,
    pub task: Option<String>,
    pub metric: String,
    pub n: usize,
    pub mean: Option<f64>,
    pub std: Option<f64>,
    pub sem: Option<f64>,
    /// The t-interval of the mean at the report's confidence.
    pub ci: Option<[f64; 2]>,
    /// The best value of the column (as printed; ties share it).
    pub best: bool,
    /// The second-best value of the column (as printed).
    pub second: bool,
    /// The compare report's `significant` against the baseline; `None`
    /// for the baseline itself and where there is no comparison.
    pub significant: Option<bool>,
    pub p_adjusted: Option<f64>,
    /// † : significant and better than the baseline by the metric's direction.
    pub dagger: bool,
    /// With `--mark best`: not significantly worse than the column's best.
    pub not_worse_than_best: Option<bool>,
    /// With `--relative`: Δ% to the baseline.
    pub relative: Option<Relative>,
}

/// 100 · (treatment − baseline) / |baseline mean|, and the compare report's
/// bootstrap CI of the difference scaled the same way.
#[derive(Debug, Clone, Serialize)]
pub struct Relative {
    pub percent: f64,
    pub ci: Option<[f64; 2]>,
}

/// One task's runs, with conditions renamed to the table's methods.
struct TaskStudy {
    task: Option<String>,
    study: Study,
}

/// Build the table.
pub fn run(
    study: &Study,
    options: &TableOptions,
    named: &Named,
    metrics: &Metrics,
    describe: &Describe,
    inference: &Inference,
) -> Result<MainTableReport> {
    let has_column = tidy::rows(&study.results).any(|r| r.task.is_some());
    let key = options
        .task
        .as_ref()
        .or(options.file_task.as_ref().filter(|_| !has_column));
    let (tasks, methods) = split(study, key)?;
    let mut notes = Vec::new();
    let rows = resolve_rows(&methods, options, &mut notes)?;
    let row_conditions: Vec<String> = rows.iter().map(|r| r.condition.clone()).collect();
    let roles = resolve_roles(&row_conditions, named)?;
    let marks = resolve_marks(options, roles.as_ref())?;

    let mut all_values: Vec<SeedValues> = Vec::new();
    let mut per_task: Vec<(Option<String>, Vec<SeedValues>, Vec<GroupStats>)> = Vec::new();
    let mut comparisons: Vec<(Option<String>, Comparison)> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for task in &tasks {
        let seeds = SeedStyle::of(&task.study);
        let values: Vec<SeedValues> =
            groups::seed_values(&task.study, &describe.reduce, &|m| metrics.direction(m))
                .into_iter()
                .filter(|g| metrics.includes(&g.metric) && row_conditions.contains(&g.condition))
                .collect();
        names.extend(values.iter().map(|g| g.metric.clone()));
        let stats = values
            .iter()
            .map(|g| summary::group_stats(g, describe, seeds))
            .collect();
        if let Some(roles) = &roles {
            let present: Vec<String> = roles
                .treatments
                .iter()
                .filter(|t| task.study.conditions.contains(t))
                .cloned()
                .collect();
            if task.study.conditions.contains(&roles.baseline) && !present.is_empty() {
                let task_roles = Roles {
                    baseline: roles.baseline.clone(),
                    treatments: present,
                };
                let compared = compare::run(&task.study, &task_roles, metrics, describe, inference);
                comparisons.extend(
                    compared
                        .comparisons
                        .into_iter()
                        .map(|c| (task.task.clone(), c)),
                );
            }
        }
        all_values.extend(values.iter().cloned());
        per_task.push((task.task.clone(), values, stats));
    }
    if inference.family == Family::All {
        let mut flat: Vec<Comparison> = comparisons.iter().map(|(_, c)| c.clone()).collect();
        compare::conclude(&mut flat, metrics, inference);
        for ((_, c), concluded) in comparisons.iter_mut().zip(flat) {
            *c = concluded;
        }
    }
    let names = metric_order(names, metrics);
    if names.is_empty() {
        return Err(Error::usage(
            "no metric to tabulate: check --metric against the metrics of these runs (xreport runs lists them)",
        ));
    }

    let mut columns = Vec::new();
    for (task, _, stats) in &per_task {
        for metric in &names {
            let mine: Vec<&GroupStats> = stats.iter().filter(|g| &g.metric == metric).collect();
            let digits = options.digits.or(metrics.digits(metric));
            let decimals = column_decimals(&mine, options.cell, digits);
            columns.push(TableColumn {
                task: task.clone(),
                metric: metric.clone(),
                label: metrics.label(metric),
                direction: metrics.direction(metric),
                decimals,
            });
        }
    }

    let mut cells = Vec::new();
    let mut best_comparisons: Vec<(usize, Comparison)> = Vec::new();
    for column in &columns {
        let (_, values, stats) = per_task
            .iter()
            .find(|(t, _, _)| *t == column.task)
            .expect("every column comes from a task");
        let of = |condition: &str| {
            stats
                .iter()
                .find(|g| g.condition == condition && g.metric == column.metric)
        };
        let printed: Vec<Option<f64>> = rows
            .iter()
            .map(|r| {
                of(&r.condition)
                    .and_then(|g| g.mean)
                    .map(|m| rounded(m, column.decimals))
            })
            .collect();
        let (best, second) = best_and_second(&printed, column.direction);
        let first = cells.len();
        for (i, row) in rows.iter().enumerate() {
            let g = of(&row.condition);
            if g.is_none_or(|g| g.mean.is_none()) {
                notes.push(format!(
                    "{} has no value of {} on {}: the cell is empty (—).",
                    row.label,
                    column.metric,
                    column.task.as_deref().unwrap_or("these runs")
                ));
            }
            let comparison = comparisons
                .iter()
                .find(|(t, c)| {
                    *t == column.task && c.metric == column.metric && c.treatment == row.condition
                })
                .map(|(_, c)| c);
            let baseline_mean = roles
                .as_ref()
                .and_then(|r| of(&r.baseline))
                .and_then(|g| g.mean);
            cells.push(TableCell {
                condition: row.condition.clone(),
                task: column.task.clone(),
                metric: column.metric.clone(),
                n: g.map_or(0, |g| g.n),
                mean: g.and_then(|g| g.mean),
                std: g.and_then(|g| g.std),
                sem: g.and_then(|g| g.sem),
                ci: g.and_then(|g| g.t_ci),
                best: best.contains(&i),
                second: options.second == Second::Underline && second.contains(&i),
                significant: comparison.map(|c| c.significant),
                p_adjusted: comparison.and_then(|c| c.p_adjusted),
                dagger: marks.baseline
                    && comparison.is_some_and(|c| c.verdict == Verdict::Improvement),
                not_worse_than_best: None,
                relative: if marks.relative {
                    comparison.and_then(|c| relative(c, baseline_mean))
                } else {
                    None
                },
            });
        }
        if marks.not_worse_than_best
            && let Some(&top) = best.first()
        {
            let column_values: Vec<&SeedValues> = values
                .iter()
                .filter(|g| g.metric == column.metric)
                .collect();
            let others: Vec<String> = rows
                .iter()
                .enumerate()
                .filter(|(i, r)| *i != top && of(&r.condition).is_some())
                .map(|(_, r)| r.condition.clone())
                .collect();
            let against_best = Roles {
                baseline: rows[top].condition.clone(),
                treatments: others,
            };
            let seeds = SeedStyle::of(study);
            let (_, found) = compare::compare_groups(
                &column_values,
                &against_best,
                std::slice::from_ref(&column.metric),
                metrics,
                describe,
                inference,
                seeds,
            );
            best_comparisons.extend(found.into_iter().map(|c| (first, c)));
        }
    }
    if marks.not_worse_than_best {
        if inference.family == Family::All {
            let mut flat: Vec<Comparison> =
                best_comparisons.iter().map(|(_, c)| c.clone()).collect();
            compare::conclude(&mut flat, metrics, inference);
            for ((_, c), concluded) in best_comparisons.iter_mut().zip(flat) {
                *c = concluded;
            }
        }
        let per_column = rows.len();
        for (column_start, cells_of_column) in cells.chunks_mut(per_column).enumerate() {
            for cell in cells_of_column.iter_mut().filter(|c| c.mean.is_some()) {
                let against = best_comparisons.iter().find(|(first, c)| {
                    *first == column_start * per_column && c.treatment == cell.condition
                });
                cell.not_worse_than_best = Some(match against {
                    Some((_, c)) => c.verdict != Verdict::Regression,
                    // The best itself (the reference of the column's tests).
                    None => cell.best,
                });
            }
        }
    }

    let mut statistics_notes = Vec::new();
    for (task, _, stats) in &per_task {
        for g in stats {
            for note in &g.notes {
                statistics_notes.push(format!(
                    "{}{} / {}: {note}",
                    task_prefix(task),
                    g.condition,
                    g.metric
                ));
            }
        }
    }
    for (task, c) in &comparisons {
        for note in &c.notes {
            statistics_notes.push(format!(
                "{}{} vs {} / {}: {note}",
                task_prefix(task),
                c.treatment,
                c.baseline,
                c.metric
            ));
        }
    }
    Ok(MainTableReport {
        xreport_version: report::VERSION,
        schema: "xreport.table/1",
        skipped: study.skipped.clone(),
        settings: Settings::of(describe, inference, &all_values),
        cell: options.cell,
        marks,
        baseline: roles.map(|r| r.baseline),
        rows,
        columns,
        cells,
        notes,
        statistics_notes,
    })
}

fn task_prefix(task: &Option<String>) -> String {
    task.as_ref().map(|t| format!("{t}: ")).unwrap_or_default()
}

/// Split the study by task: a task column of result tables, or `key`.
/// Returns the tasks (natural order) and the methods, in the order their
/// first condition comes in the study.
fn split(study: &Study, key: Option<&TaskKey>) -> Result<(Vec<TaskStudy>, Vec<String>)> {
    let by_run = match key {
        Some(TaskKey::Key(name)) => Some(run_tasks(study, name)?),
        _ => None,
    };
    let mut builders: BTreeMap<Option<String>, (TidyBuilder, Vec<String>)> = BTreeMap::new();
    let mut methods: Vec<String> = Vec::new();
    let mut sources: HashMap<(Option<String>, String), String> = HashMap::new();
    let mut cache: HashMap<(String, String), (Option<String>, String)> = HashMap::new();
    let mut unlabelled: Option<String> = None;
    let mut labelled = false;
    for row in tidy::rows(&study.results) {
        let (task, method) = match key {
            None => (row.task.map(str::to_string), row.condition.to_string()),
            Some(key) => {
                // A run's task depends on its condition and seed only: worked out once.
                let place = (row.condition.to_string(), row.seed.to_string());
                match cache.get(&place) {
                    Some(found) => found.clone(),
                    None => {
                        let found = task_of(row.condition, row.seed, key, by_run.as_ref())?;
                        cache.insert(place, found.clone());
                        found
                    }
                }
            }
        };
        if task.is_some() {
            labelled = true;
        } else if unlabelled.is_none() {
            unlabelled = Some(row.condition.to_string());
        }
        let source = sources
            .entry((task.clone(), method.clone()))
            .or_insert_with(|| row.condition.to_string());
        if source != row.condition {
            return Err(Error::usage(format!(
                "`{source}` and `{}` both become the method `{method}`{}: tell them apart with --group-by or another --task-key",
                row.condition,
                task.as_ref()
                    .map(|t| format!(" on task `{t}`"))
                    .unwrap_or_default()
            )));
        }
        if !methods.contains(&method) {
            methods.push(method.clone());
        }
        let (builder, conditions) = builders.entry(task).or_default();
        if !conditions.contains(&method) {
            conditions.push(method.clone());
        }
        builder.push(TidyRow {
            condition: &method,
            ..row
        });
    }
    if let (true, Some(condition)) = (labelled, unlabelled) {
        return Err(Error::usage(format!(
            "some rows have a task and `{condition}` has rows without one: give every row a task (--task-col) or none"
        )));
    }
    // Methods in the order of their conditions in the study, not of the rows.
    let rank = |method: &String| {
        sources
            .iter()
            .filter(|((_, m), _)| m == method)
            .filter_map(|(_, c)| study.conditions.iter().position(|s| s == c))
            .min()
    };
    methods.sort_by_key(|m| rank(m));
    let mut tasks: Vec<TaskStudy> = builders
        .into_iter()
        .map(|(task, (builder, conditions))| TaskStudy {
            task,
            study: Study::of_table(builder.finish(), conditions, study.roots.clone()),
        })
        .collect();
    tasks.sort_by(|a, b| match (&a.task, &b.task) {
        (Some(x), Some(y)) => natural_cmp(x, y),
        (x, y) => x.cmp(y),
    });
    Ok((tasks, methods))
}

/// The task and method of the seed `seed` of `condition`, by `key`.
fn task_of(
    condition: &str,
    seed: &str,
    key: &TaskKey,
    by_run: Option<&HashMap<(String, String), String>>,
) -> Result<(Option<String>, String)> {
    match (key, by_run) {
        (TaskKey::Path(n), _) => path_task(condition, *n),
        (TaskKey::Key(name), Some(by_run)) => {
            let task = by_run
                .get(&(condition.to_string(), seed.to_string()))
                .cloned()
                .ok_or_else(|| {
                    Error::usage(format!(
                        "--task-key {name}: seed {seed} of `{condition}` comes from no run folder, so it has no config to read the task from"
                    ))
                })?;
            let method = strip_task(condition, name, &task);
            Ok((Some(task), method))
        }
        (TaskKey::Key(name), None) => Err(Error::usage(format!(
            "--task-key {name}: no run folders to read it from"
        ))),
    }
}

/// The task of every run (condition, seed) from config or results key `key`.
fn run_tasks(study: &Study, key: &str) -> Result<HashMap<(String, String), String>> {
    if study.runs.is_empty() {
        return Err(Error::usage(format!(
            "--task-key {key} reads the config of run folders, and these inputs have none: name the task column of a table with --task-col, or use --task-key path:N"
        )));
    }
    let mut out = HashMap::new();
    let mut missing = Vec::new();
    for run in &study.runs {
        let value = run.config.get(key).or_else(|| run.metadata.get(key));
        match value {
            Some(value) => {
                let text = match value {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                out.insert((run.condition.clone(), run.seed.clone()), text);
            }
            None => missing.push(crate::load::display_path(&run.path)),
        }
    }
    if out.is_empty() {
        let mut keys: Vec<&String> = study
            .runs
            .iter()
            .flat_map(|r| r.config.keys().chain(r.metadata.keys()))
            .collect();
        keys.sort();
        keys.dedup();
        let shown: Vec<&str> = keys.iter().take(12).map(|k| k.as_str()).collect();
        return Err(Error::usage(format!(
            "--task-key {key:?} is not a config or results key of these runs; their keys include: {}",
            if shown.is_empty() {
                "(none)".to_string()
            } else {
                shown.join(", ")
            }
        )));
    }
    if let Some(first) = missing.first() {
        return Err(Error::usage(format!(
            "--task-key {key:?}: {} run(s) have no such key, e.g. {first}",
            missing.len()
        )));
    }
    Ok(out)
}

/// `path:N`: the Nth part of the condition's path is the task, the other
/// parts the method.
fn path_task(condition: &str, n: usize) -> Result<(Option<String>, String)> {
    let parts: Vec<&str> = condition.split('/').collect();
    if parts.len() < 2 || n >= parts.len() {
        return Err(Error::usage(format!(
            "--task-key path:{n}: the condition `{condition}` has {} path part(s) (numbered from 0), and a task and a method need two",
            parts.len()
        )));
    }
    let method: Vec<&str> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != n)
        .map(|(_, p)| *p)
        .collect();
    Ok((Some(parts[n].to_string()), method.join("/")))
}

/// The method of a condition whose task is `task` (from config key `key`):
/// the condition without the `key=task` pair or the path part naming the
/// task; the condition itself when neither is in it.
fn strip_task(condition: &str, key: &str, task: &str) -> String {
    let pair = format!("{key}={task}");
    if condition.split(", ").any(|p| p == pair) {
        let rest: Vec<&str> = condition.split(", ").filter(|p| *p != pair).collect();
        if !rest.is_empty() {
            return rest.join(", ");
        }
    }
    let parts: Vec<&str> = condition.split('/').collect();
    if parts.len() > 1 && parts.contains(&task) {
        let rest: Vec<&str> = parts.into_iter().filter(|p| *p != task).collect();
        return rest.join("/");
    }
    condition.to_string()
}

/// The rows: `[table] rows` and `groups`, else every method.
fn resolve_rows(
    methods: &[String],
    options: &TableOptions,
    notes: &mut Vec<String>,
) -> Result<Vec<TableRow>> {
    let lookup = Study::of_table(DataFrame::empty(), methods.to_vec(), Vec::new());
    let find = |name: &str, role: &str| roles::find(&lookup, name, role);
    let mut rows: Vec<TableRow> = Vec::new();
    for spec in &options.rows {
        let condition = find(&spec.condition, "[table] row")?;
        rows.push(TableRow {
            label: spec.label.clone().unwrap_or_else(|| condition.clone()),
            condition,
            group: None,
        });
    }
    let listed = !rows.is_empty();
    for (group, members) in &options.groups {
        for member in members {
            let condition = find(member, &format!("member of the [table] group {group:?}"))?;
            match rows.iter_mut().find(|r| r.condition == condition) {
                Some(row) => row.group = Some(group.clone()),
                None if listed => {
                    return Err(Error::usage(format!(
                        "the [table] group {group:?} lists `{member}`, which [table] rows leaves out: add it to rows"
                    )));
                }
                None => rows.push(TableRow {
                    label: condition.clone(),
                    condition,
                    group: Some(group.clone()),
                }),
            }
        }
    }
    if rows.is_empty() {
        return Ok(methods
            .iter()
            .map(|m| TableRow {
                condition: m.clone(),
                label: m.clone(),
                group: None,
            })
            .collect());
    }
    let left_out: Vec<&str> = methods
        .iter()
        .filter(|m| !rows.iter().any(|r| &r.condition == *m))
        .map(|m| m.as_str())
        .collect();
    if !left_out.is_empty() {
        notes.push(format!(
            "Not in [table] rows, so left out: {}.",
            left_out.join(", ")
        ));
    }
    Ok(rows)
}

/// The baseline (and the treatments compared with it), as `analysis::roles`
/// decides them for the table's rows: named (`--baseline`, the study file)
/// or a row named as one. With fewer than two rows there is nothing to mark.
fn resolve_roles(rows: &[String], named: &Named) -> Result<Option<Roles>> {
    if rows.len() < 2 {
        return Ok(None);
    }
    let lookup = Study::of_table(DataFrame::empty(), rows.to_vec(), Vec::new());
    let roles = roles::resolve(&lookup, named)?;
    match roles.baseline {
        Some(_) => roles.comparison().map(Some),
        None => Ok(None),
    }
}

fn resolve_marks(options: &TableOptions, roles: Option<&Roles>) -> Result<Marks> {
    let asked = options.marks.clone();
    let marks = asked.clone().unwrap_or_else(|| {
        if roles.is_some() {
            vec![Mark::Baseline]
        } else {
            Vec::new()
        }
    });
    let baseline = marks.contains(&Mark::Baseline);
    if (baseline || options.relative) && roles.is_none() {
        let what = if baseline {
            "--mark baseline"
        } else {
            "--relative"
        };
        return Err(Error::usage(format!(
            "{what} needs a baseline: name it with --baseline (or `baseline` in xreport.toml)"
        )));
    }
    Ok(Marks {
        best: true,
        second: options.second == Second::Underline,
        baseline,
        not_worse_than_best: marks.contains(&Mark::Best),
        relative: options.relative,
    })
}

/// Metrics in the order of the `--metric` globs that select them, then natural order.
fn metric_order(names: Vec<String>, metrics: &Metrics) -> Vec<String> {
    let mut names = groups::metric_names_of(names);
    names.sort_by_key(|m| metrics.order(m).unwrap_or(usize::MAX));
    names
}

/// Decimals of a column: its largest spread (what each cell shows after
/// its mean) to 2 significant digits, but never so few that its smallest
/// spread loses its first significant digit; `digits` fixes them.
fn column_decimals(groups: &[&GroupStats], cell: CellKind, digits: Option<usize>) -> usize {
    if let Some(d) = digits {
        return d;
    }
    let spread = |g: &GroupStats| match cell {
        CellKind::MeanStd | CellKind::Mean => g.std,
        CellKind::MeanSem => g.sem,
        CellKind::MeanCi | CellKind::MeanBracketCi => g.t_ci.map(|[lo, hi]| (hi - lo) / 2.0),
    };
    let spreads: Vec<f64> = groups
        .iter()
        .filter_map(|g| spread(g))
        .filter(|s| s.is_finite() && *s > 0.0)
        .collect();
    let largest = spreads.iter().copied().reduce(f64::max);
    let smallest = spreads.iter().copied().reduce(f64::min);
    match (largest, smallest) {
        (Some(largest), Some(smallest)) => format::decimals(Some(largest), None)
            .max(format::decimals(Some(smallest), None).saturating_sub(1)),
        _ => format::decimals(None, None),
    }
}

/// A mean as the table prints it, so that marks follow the printed numbers.
fn rounded(mean: f64, decimals: usize) -> f64 {
    format::fixed(mean, decimals).parse().unwrap_or(mean)
}

/// Indices of the best printed value and of the second-best (the next
/// distinct value), by direction; ties share a mark.
fn best_and_second(printed: &[Option<f64>], direction: Direction) -> (Vec<usize>, Vec<usize>) {
    let better = |a: f64, b: f64| direction.better(a, b);
    let top = |values: &mut dyn Iterator<Item = f64>| {
        values.reduce(|a, b| if better(b, a) { b } else { a })
    };
    let Some(best) = top(&mut printed.iter().flatten().copied()) else {
        return (Vec::new(), Vec::new());
    };
    let at = |value: f64| -> Vec<usize> {
        printed
            .iter()
            .enumerate()
            .filter(|(_, v)| **v == Some(value))
            .map(|(i, _)| i)
            .collect()
    };
    let second = top(&mut printed.iter().flatten().copied().filter(|v| *v != best));
    (at(best), second.map(at).unwrap_or_default())
}

/// Δ% of a comparison: relative to the baseline's mean, undefined at 0.
fn relative(c: &Comparison, baseline_mean: Option<f64>) -> Option<Relative> {
    let base = baseline_mean.filter(|m| *m != 0.0)?.abs();
    let diff = c.diff?;
    Some(Relative {
        percent: 100.0 * diff / base,
        ci: c
            .diff_ci
            .map(|[lo, hi]| [100.0 * lo / base, 100.0 * hi / base]),
    })
}

impl MainTableReport {
    /// The cell of `row` in column `column` (indices into `rows`, `columns`).
    pub fn cell(&self, row: usize, column: usize) -> &TableCell {
        &self.cells[column * self.rows.len() + row]
    }

    /// The tasks in column order, each with its number of columns.
    pub fn task_spans(&self) -> Vec<(Option<&str>, usize)> {
        let mut spans: Vec<(Option<&str>, usize)> = Vec::new();
        for c in &self.columns {
            match spans.last_mut() {
                Some((task, n)) if *task == c.task.as_deref() => *n += 1,
                _ => spans.push((c.task.as_deref(), 1)),
            }
        }
        spans
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_best_mark_and_the_second_is_the_next_value() {
        let printed = [Some(80.1), Some(81.0), Some(81.0), Some(79.0), None];
        let (best, second) = best_and_second(&printed, Direction::Higher);
        assert_eq!(best, vec![1, 2]);
        assert_eq!(second, vec![0]);
        let (best, second) = best_and_second(&printed, Direction::Lower);
        assert_eq!(best, vec![3]);
        assert_eq!(second, vec![0]);
    }

    #[test]
    fn a_path_part_is_the_task_and_the_rest_the_method() {
        assert_eq!(
            path_task("Hopper-v3/sac", 0).expect("two parts"),
            (Some("Hopper-v3".into()), "sac".into())
        );
        assert!(path_task("sac", 0).is_err());
    }

    #[test]
    fn the_task_is_taken_out_of_the_condition_name() {
        assert_eq!(
            strip_task("data.name=cifar10, model=resnet", "data.name", "cifar10"),
            "model=resnet"
        );
        assert_eq!(
            strip_task("cifar10/resnet", "data.name", "cifar10"),
            "resnet"
        );
        assert_eq!(strip_task("resnet", "data.name", "cifar10"), "resnet");
    }
}
