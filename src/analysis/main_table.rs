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

use crate::load::tidy::TidyTable;
use serde::{Deserialize, Serialize};

use super::compare::{self, Comparison, Settings, Verdict};
use super::direction::Direction;
use super::examples::{Coverage, ExampleScores, GroupExamples};
use super::groups::{self, SeedValues};
use super::options::{Describe, ExampleOptions, Family, Inference, Metrics};
use super::report::{self, SeedStyle};
use super::roles::{self, Named, Roles};
use super::summary::{self, GroupStats};
use super::tasks::{self, TaskKey};
use crate::error::{Error, Result};
use crate::load::tidy;
use crate::load::{Skipped, Study};
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
    /// `--proportion-ci wilson|clopper-pearson` given (flag or study file):
    /// each 0/1 accuracy prints its interval beside it.
    pub show_proportion_ci: bool,
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
    /// The cells' proportion intervals are printed (the JSON has them anyway).
    #[serde(skip)]
    pub show_proportion_ci: bool,
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
    /// The accuracy over test examples (coverage, proportion interval), when
    /// the inputs have per-example scores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub examples: Option<GroupExamples>,
}

/// 100 · (treatment − baseline) / |baseline mean|, and the compare report's
/// bootstrap CI of the difference scaled the same way.
#[derive(Debug, Clone, Serialize)]
pub struct Relative {
    pub percent: f64,
    pub ci: Option<[f64; 2]>,
}

/// Build the table.
/// Where the table's tasks come from: `--task-key`, else the task column of
/// the inputs, else the study file's `task_key` (`None`: the column or no task).
pub fn task_key<'a>(study: &Study, options: &'a TableOptions) -> Option<&'a TaskKey> {
    let has_column = tidy::rows(&study.results).any(|r| r.task.is_some());
    options
        .task
        .as_ref()
        .or(options.file_task.as_ref().filter(|_| !has_column))
}

pub fn run(
    study: &Study,
    options: &TableOptions,
    named: &Named,
    metrics: &Metrics,
    describe: &Describe,
    inference: &Inference,
) -> Result<MainTableReport> {
    let examples = ExampleOptions::default();
    let coverage = Coverage::new();
    let context = (&examples, &coverage);
    run_with(study, options, named, metrics, describe, inference, context)
}

/// [`run`] with the per-example settings and the coverage that
/// [`super::examples::prepare`] gave.
pub fn run_with(
    study: &Study,
    options: &TableOptions,
    named: &Named,
    metrics: &Metrics,
    describe: &Describe,
    inference: &Inference,
    (examples, coverage): (&ExampleOptions, &Coverage),
) -> Result<MainTableReport> {
    let (tasks, methods) = tasks::split(study, task_key(study, options))?;
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
        let mut stats: Vec<GroupStats> = values
            .iter()
            .map(|g| summary::group_stats(g, describe, seeds))
            .collect();
        if let Some(scores) = ExampleScores::of(&task.study, examples) {
            summary::attach_examples(&mut stats, &scores, describe, coverage);
        }
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
                let compared = compare::run_with(
                    &task.study,
                    &task_roles,
                    metrics,
                    describe,
                    inference,
                    examples,
                    coverage,
                );
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
                examples: g.and_then(|g| g.examples.clone()),
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
        show_proportion_ci: options.show_proportion_ci,
    })
}

fn task_prefix(task: &Option<String>) -> String {
    task.as_ref().map(|t| format!("{t}: ")).unwrap_or_default()
}

/// The rows: `[table] rows` and `groups`, else every method.
fn resolve_rows(
    methods: &[String],
    options: &TableOptions,
    notes: &mut Vec<String>,
) -> Result<Vec<TableRow>> {
    let lookup = Study::of_table(TidyTable::default(), methods.to_vec(), Vec::new());
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
    let lookup = Study::of_table(TidyTable::default(), rows.to_vec(), Vec::new());
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
}
