//! Multi-task score files (DESIGN section 2, "Multi-task results"): the
//! per-method JSON layout `{task: [score of run 1, run 2, ...]}` of rliable and
//! the IRIS release, JSON arrays of long records (`[{"game": .., "seed": ..,
//! "HNS": ..}]`), tables with a task column (through [`super::load`]), and the
//! reference scores used to normalise them.
//!
//! `xreport aggregate` reads per-method, per-task scores ([`MethodScores`])
//! rather than the tidy table of a study: the per-method files list each
//! task's runs in order, with no seed or condition for a tidy row to carry;
//! a file may already be human-normalised (`HNS`), which must travel with
//! its scores so they are not normalised twice; and the stratified bootstrap
//! resamples runs within each task, so scores are wanted grouped by task.
//! Run trees and tables still load through the tidy table and are regrouped
//! by task here. This module only reads and checks inputs (that a reference
//! covers a method's tasks); the normalisation itself is `stats::normalize`,
//! applied by `analysis::aggregate`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::natural::natural_cmp;
use super::options::LoadOptions;
use super::paths::display_path;
use super::study::Skipped;
use super::table::{self, ColumnNames};
use super::{load, tidy};
use crate::error::{Error, Result};

/// The runs of one method on each task.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodScores {
    pub method: String,
    /// The file (or folder) the scores came from.
    pub source: String,
    /// Task → scores, one per run, in run order (missing values left out).
    pub tasks: BTreeMap<String, Vec<f64>>,
    /// True when the file's scores are already normalised (a human-normalised
    /// `HNS` column): they are not normalised again.
    pub normalized: bool,
    /// What the reader chose or dropped, for the report's notes.
    pub notes: Vec<String>,
}

/// Task names recognised in long records and tables, in order of preference.
const TASK_KEYS: [&str; 4] = ["task", "game", "env", "environment"];
/// Value names recognised in long records; `HNS` is already human-normalised.
const VALUE_KEYS: [&str; 4] = ["value", "score", "return", "HNS"];
/// Method names recognised in long records.
const METHOD_KEYS: [&str; 4] = ["method", "agent", "algorithm", "condition"];

/// Read every input into per-method scores. `.json` files are the per-method
/// layout (an object) or long records (an array); anything else (run trees,
/// CSV, TSV, JSON lines, Parquet) goes through [`super::load`] and needs a
/// task column, the condition being the method.
pub fn read_inputs(
    paths: &[PathBuf],
    options: &LoadOptions,
    metric: Option<&str>,
    explicit: &ExplicitColumns,
) -> Result<ReadScores> {
    if paths.is_empty() {
        return Err(Error::usage(
            "no scores given: name per-method JSON files ({task: [score per run]}), JSON records or a table with a task column",
        ));
    }
    let mut out: Vec<MethodScores> = Vec::new();
    let mut skipped = Vec::new();
    let mut metrics: Vec<String> = Vec::new();
    let mut directions = BTreeMap::new();
    for path in paths {
        let is_json = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
            && !path.is_dir();
        let methods = if is_json {
            read_json(path, &options.columns, explicit)?
        } else {
            let read = read_study(path, options, metric)?;
            skipped.extend(read.skipped);
            if !metrics.contains(&read.metric) {
                metrics.push(read.metric);
            }
            for (name, higher) in read.directions {
                directions.entry(name).or_insert(higher);
            }
            read.methods
        };
        for m in methods {
            if let Some(previous) = out.iter().find(|p| p.method == m.method) {
                return Err(Error::usage(format!(
                    "method `{}` comes from both {} and {}; give each method once",
                    m.method, previous.source, m.source
                )));
            }
            out.push(m);
        }
    }
    Ok(ReadScores {
        methods: out,
        skipped,
        metrics,
        directions,
    })
}

/// What the inputs hold.
#[derive(Debug)]
pub struct ReadScores {
    pub methods: Vec<MethodScores>,
    /// Runs of tables and run trees left out, and why.
    pub skipped: Vec<Skipped>,
    /// The metric each table or run tree gave its scores from (once each).
    pub metrics: Vec<String>,
    /// Metric → higher is better, as the results files of run trees state
    /// it (lm-eval's `higher_is_better`).
    pub directions: BTreeMap<String, bool>,
}

/// What one table or run tree holds: its methods, skipped runs, the metric
/// chosen and the directions its results files state.
struct StudyScores {
    methods: Vec<MethodScores>,
    skipped: Vec<Skipped>,
    metric: String,
    directions: BTreeMap<String, bool>,
}

/// Which column flags the user gave explicitly (the others are guessed from
/// the usual names).
#[derive(Debug, Clone, Copy, Default)]
pub struct ExplicitColumns {
    pub task: bool,
    pub seed: bool,
    pub value: bool,
    pub condition: bool,
}

/// The name of a method from its file: the file stem (`IRIS.json` → `IRIS`).
fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| display_path(path))
}

fn read_json(
    path: &Path,
    columns: &ColumnNames,
    explicit: &ExplicitColumns,
) -> Result<Vec<MethodScores>> {
    let text = super::guard::read_text(path)?;
    let value = super::json::parse(path, &text)?;
    match value {
        Value::Object(map) => Ok(vec![per_method(path, &map)?]),
        Value::Array(records) => long_records(path, &records, columns, explicit),
        other => Err(Error::input_at(
            path,
            "$",
            format!(
                "expected {{task: [score per run]}} or an array of records, found {}",
                super::json::kind_of(&other)
            ),
        )),
    }
}

/// `{task: [score, ...]}`; a bare number counts as one run; `null` (NaN,
/// ±inf in Python's JSON) is a missing run, noted and left out.
fn per_method(path: &Path, map: &serde_json::Map<String, Value>) -> Result<MethodScores> {
    if map.is_empty() {
        return Err(Error::input_at(
            path,
            "$",
            "no tasks: expected {task: [score per run]}",
        ));
    }
    let mut tasks = BTreeMap::new();
    let mut notes = Vec::new();
    for (task, entry) in map {
        let at = format!("$.{task}");
        let items: Vec<&Value> = match entry {
            Value::Array(items) => items.iter().collect(),
            Value::Number(_) | Value::Null => vec![entry],
            other => {
                return Err(Error::input_at(
                    path,
                    at,
                    format!(
                        "expected a list of scores (one per run), found {}",
                        super::json::kind_of(other)
                    ),
                ));
            }
        };
        let mut scores = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item {
                Value::Number(n) => match n.as_f64().filter(|v| v.is_finite()) {
                    Some(v) => scores.push(v),
                    None => notes.push(format!("{task}: run {} is not finite, left out.", i + 1)),
                },
                Value::Null => notes.push(format!(
                    "{task}: run {} is missing (null/NaN), left out.",
                    i + 1
                )),
                other => {
                    return Err(Error::input_at(
                        path,
                        format!("{at}[{i}]"),
                        format!("expected a score, found {}", super::json::kind_of(other)),
                    ));
                }
            }
        }
        tasks.insert(task.clone(), scores);
    }
    Ok(MethodScores {
        method: stem(path),
        source: display_path(path),
        tasks,
        normalized: false,
        notes,
    })
}

/// The first of `candidates` that every record has, or the explicit name.
fn pick_key<'a>(
    records: &'a [serde_json::Map<String, Value>],
    explicit: Option<&'a str>,
    candidates: &[&'a str],
) -> Option<&'a str> {
    if let Some(name) = explicit {
        return Some(name);
    }
    candidates
        .iter()
        .copied()
        .find(|k| records.iter().all(|r| r.contains_key(*k)))
}

/// An array of records `{task, seed, value}` (e.g. rliable's CURL file
/// `{"game", "seed", "HNS", "Max HNS"}`), optionally with a method key; else
/// the method is the file stem.
fn long_records(
    path: &Path,
    records: &[Value],
    columns: &ColumnNames,
    explicit: &ExplicitColumns,
) -> Result<Vec<MethodScores>> {
    let mut objects = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        match r {
            Value::Object(map) => objects.push(map.clone()),
            other => {
                return Err(Error::input_at(
                    path,
                    format!("$[{i}]"),
                    format!(
                        "expected a record object, found {}",
                        super::json::kind_of(other)
                    ),
                ));
            }
        }
    }
    if objects.is_empty() {
        return Err(Error::input_at(path, "$", "no records"));
    }
    let keys_of_first: Vec<String> = objects[0].keys().map(|k| format!("`{k}`")).collect();
    let missing_key = |what: &str, flag: &str| {
        Error::input(
            path,
            format!(
                "cannot tell which key holds the {what} (records have {}); name it with {flag}",
                keys_of_first.join(", ")
            ),
        )
    };
    let task_key = pick_key(
        &objects,
        explicit.task.then_some(columns.task.as_str()),
        &TASK_KEYS,
    )
    .ok_or_else(|| missing_key("task", "--task-col"))?;
    let value_key = pick_key(
        &objects,
        explicit.value.then_some(columns.value.as_str()),
        &VALUE_KEYS,
    )
    .ok_or_else(|| missing_key("score", "--value-col"))?;
    let seed_key = pick_key(
        &objects,
        explicit.seed.then_some(columns.seed.as_str()),
        &["seed", "run"],
    );
    let method_key = pick_key(
        &objects,
        explicit.condition.then_some(columns.condition.as_str()),
        &METHOD_KEYS,
    );
    let normalized = value_key == "HNS";
    let mut by_method: BTreeMap<String, RunsByTask> = BTreeMap::new();
    for (i, r) in objects.iter().enumerate() {
        let text = |key: &str| -> Result<String> {
            match r.get(key) {
                Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
                Some(Value::Number(n)) => Ok(seed_text(n)),
                Some(other) => Err(Error::input_at(
                    path,
                    format!("$[{i}].{key}"),
                    format!("expected a name, found {}", super::json::kind_of(other)),
                )),
                None => Err(Error::input_at(
                    path,
                    format!("$[{i}]"),
                    format!("record has no `{key}`"),
                )),
            }
        };
        let task = text(task_key)?;
        let method = match method_key {
            Some(k) => text(k)?,
            None => stem(path),
        };
        let seed = match seed_key {
            Some(k) => text(k)?,
            None => (i + 1).to_string(),
        };
        let value = match r.get(value_key) {
            Some(Value::Number(n)) => n.as_f64().filter(|v| v.is_finite()),
            Some(Value::Null) => None,
            Some(other) => {
                return Err(Error::input_at(
                    path,
                    format!("$[{i}].{value_key}"),
                    format!("expected a score, found {}", super::json::kind_of(other)),
                ));
            }
            None => {
                return Err(Error::input_at(
                    path,
                    format!("$[{i}]"),
                    format!("record has no `{value_key}`"),
                ));
            }
        };
        by_method
            .entry(method)
            .or_default()
            .entry(task)
            .or_default()
            .push((seed, value));
    }
    let others: Vec<String> = objects[0]
        .iter()
        .filter(|(k, v)| {
            v.is_number()
                && k.as_str() != value_key
                && Some(k.as_str()) != seed_key
                && k.as_str() != task_key
        })
        .map(|(k, _)| k.clone())
        .collect();
    let mut out = Vec::new();
    for (method, tasks) in by_method {
        let mut notes = vec![format!(
            "scores from {value_key}{}{}.",
            if normalized {
                " (already human-normalised: not normalised again)"
            } else {
                ""
            },
            if others.is_empty() {
                String::new()
            } else {
                format!("; {} not used", others.join(", "))
            }
        )];
        let scores = collect_runs(path, &method, tasks, &mut notes)?;
        out.push(MethodScores {
            method,
            source: display_path(path),
            tasks: scores,
            normalized,
            notes,
        });
    }
    Ok(out)
}

/// Task → (seed, value) runs, as read.
type RunsByTask = BTreeMap<String, Vec<(String, Option<f64>)>>;

/// Runs in natural seed order; a repeated seed is an error, a missing value
/// is left out with a note.
fn collect_runs(
    path: &Path,
    method: &str,
    tasks: RunsByTask,
    notes: &mut Vec<String>,
) -> Result<BTreeMap<String, Vec<f64>>> {
    let mut scores = BTreeMap::new();
    for (task, mut runs) in tasks {
        runs.sort_by(|a, b| natural_cmp(&a.0, &b.0));
        if let Some(w) = runs.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::input(
                path,
                format!(
                    "duplicate seed {} for task `{task}` of `{method}`: each run must appear once",
                    w[0].0
                ),
            ));
        }
        let mut values = Vec::with_capacity(runs.len());
        for (seed, value) in runs {
            match value {
                Some(v) => values.push(v),
                None => notes.push(format!(
                    "{task}: seed {seed} is missing (null/NaN), left out."
                )),
            }
        }
        scores.insert(task, values);
    }
    Ok(scores)
}

/// A JSON number as a seed or name: `3.0` → `3`.
fn seed_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        _ => n.to_string(),
    }
}

/// A run tree or table: the condition is the method, the tidy `task` column the task.
fn read_study(path: &Path, options: &LoadOptions, metric: Option<&str>) -> Result<StudyScores> {
    let study = load(&[path.to_path_buf()], options)?;
    let mut metrics: Vec<&str> = tidy::rows(&study.results).map(|r| r.metric).collect();
    metrics.sort_by(|a, b| natural_cmp(a, b));
    metrics.dedup();
    let chosen = match metric {
        Some(m) => {
            if !metrics.contains(&m) {
                return Err(Error::input(
                    path,
                    format!(
                        "no metric `{m}` (the input has {})",
                        metrics
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            m.to_string()
        }
        None => match metrics.as_slice() {
            [one] => one.to_string(),
            _ => {
                return Err(Error::input(
                    path,
                    format!(
                        "several metrics ({}): choose the score to aggregate with --metric NAME",
                        metrics
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        },
    };
    let mut by_method: BTreeMap<String, RunsByTask> = BTreeMap::new();
    for row in tidy::rows(&study.results).filter(|r| r.metric == chosen) {
        let task = row.task.ok_or_else(|| {
            Error::input(
                path,
                format!(
                    "no task column `{}`: name the column that holds the task with --task-col",
                    options.columns.task
                ),
            )
        })?;
        by_method
            .entry(row.condition.to_string())
            .or_default()
            .entry(task.to_string())
            .or_default()
            .push((row.seed.to_string(), row.value));
    }
    let mut out = Vec::new();
    for condition in &study.conditions {
        let Some(tasks) = by_method.remove(condition) else {
            continue;
        };
        let mut notes = vec![format!("scores from metric {chosen}.")];
        let scores = collect_runs(path, condition, tasks, &mut notes)?;
        out.push(MethodScores {
            method: condition.clone(),
            source: display_path(path),
            tasks: scores,
            normalized: false,
            notes,
        });
    }
    let mut directions = BTreeMap::new();
    for run in &study.runs {
        for (name, higher) in &run.directions {
            directions.entry(name.clone()).or_insert(*higher);
        }
    }
    Ok(StudyScores {
        methods: out,
        skipped: study.skipped,
        metric: chosen,
        directions,
    })
}

/// Reference scores per task, by which `stats::normalize` maps a score x to
/// (x − low)/(high − low). "random" and "human" in Atari, "min" and "max"
/// elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub low: BTreeMap<String, f64>,
    pub high: BTreeMap<String, f64>,
    /// The files the low and high scores came from (the same file when one
    /// file holds both).
    pub low_source: String,
    pub high_source: String,
}

impl Reference {
    /// Checks that every task of `method` has both reference scores: the
    /// error names the reference files and each task without one.
    pub fn check_covers(&self, method: &MethodScores) -> Result<()> {
        let missing: Vec<&str> = method
            .tasks
            .keys()
            .filter(|t| !self.low.contains_key(*t) || !self.high.contains_key(*t))
            .map(String::as_str)
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let file = if self.low_source == self.high_source {
            self.low_source.clone()
        } else {
            format!("{} / {}", self.low_source, self.high_source)
        };
        Err(Error::input(
            &method.source,
            format!(
                "no reference score in {file} for task{} {} of `{}`",
                if missing.len() == 1 { "" } else { "s" },
                missing
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                method.method
            ),
        ))
    }

    /// The error for a task whose two reference scores are equal, by which no
    /// score can be normalised.
    pub fn equal_scores(&self, task: &str) -> Error {
        Error::input(
            &self.high_source,
            format!(
                "task `{task}`: the reference scores are equal ({}), so scores cannot be normalised",
                self.low[task]
            ),
        )
    }
}

/// Read reference scores: two files (low, high), each `{task: [score]}`,
/// `{task: score}` or a table `task, score`; or one file holding both per
/// task, `{task: {"random": .., "human": ..}}` (or `min`/`max`) or a table
/// with columns `task, random, human` (or `min, max`).
pub fn read_reference(paths: &[PathBuf], task_col: &str) -> Result<Reference> {
    match paths {
        [one] => {
            let both = read_scores(one, task_col, Want::Both)?;
            let (low, high) = both.pair();
            Ok(Reference {
                low,
                high,
                low_source: display_path(one),
                high_source: display_path(one),
            })
        }
        [lo, hi] => Ok(Reference {
            low: read_scores(lo, task_col, Want::One)?.single(),
            high: read_scores(hi, task_col, Want::One)?.single(),
            low_source: display_path(lo),
            high_source: display_path(hi),
        }),
        _ => Err(Error::usage(
            "--normalize takes one file with both reference scores per task, or two: RANDOM HUMAN (or MIN MAX)",
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Want {
    One,
    Both,
}

/// Reference scores as read: one per task, or a (low, high) pair per task.
enum Scores {
    Single(BTreeMap<String, f64>),
    Pair(BTreeMap<String, f64>, BTreeMap<String, f64>),
}

impl Scores {
    fn single(self) -> BTreeMap<String, f64> {
        match self {
            Scores::Single(m) => m,
            Scores::Pair(lo, _) => lo,
        }
    }

    fn pair(self) -> (BTreeMap<String, f64>, BTreeMap<String, f64>) {
        match self {
            Scores::Pair(lo, hi) => (lo, hi),
            Scores::Single(m) => (m.clone(), m),
        }
    }
}

/// The (low, high) key names a one-file reference may use.
const PAIRS: [(&str, &str); 2] = [("random", "human"), ("min", "max")];

fn read_scores(path: &Path, task_col: &str, want: Want) -> Result<Scores> {
    let is_json = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        read_json_scores(path, want)
    } else {
        read_table_scores(path, task_col, want)
    }
}

fn one_number(path: &Path, at: &str, value: &Value) -> Result<f64> {
    let number = match value {
        Value::Array(items) if items.len() == 1 => items[0].as_f64(),
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    number.filter(|v| v.is_finite()).ok_or_else(|| {
        Error::input_at(
            path,
            at,
            format!(
                "expected one reference score (a number or a one-element list), found {}",
                match value {
                    Value::Array(items) => format!("a list of {} items", items.len()),
                    other => super::json::kind_of(other).to_string(),
                }
            ),
        )
    })
}

fn read_json_scores(path: &Path, want: Want) -> Result<Scores> {
    let value = super::json::read_object(path)?;
    let Value::Object(map) = value else {
        return Err(Error::input_at(path, "$", "expected an object"));
    };
    if map.is_empty() {
        return Err(Error::input_at(path, "$", "no tasks"));
    }
    match want {
        Want::One => {
            let mut out = BTreeMap::new();
            for (task, v) in &map {
                out.insert(task.clone(), one_number(path, &format!("$.{task}"), v)?);
            }
            Ok(Scores::Single(out))
        }
        Want::Both => {
            let first = map.values().next().and_then(Value::as_object);
            let (lo_key, hi_key) = PAIRS
                .iter()
                .copied()
                .find(|(lo, hi)| first.is_some_and(|f| f.contains_key(*lo) && f.contains_key(*hi)))
                .ok_or_else(|| {
                    Error::input_at(
                        path,
                        "$",
                        "one reference file needs both scores per task: {task: {\"random\": .., \"human\": ..}} (or min/max); or give two files, RANDOM HUMAN",
                    )
                })?;
            let (mut lo, mut hi) = (BTreeMap::new(), BTreeMap::new());
            for (task, v) in &map {
                let at = format!("$.{task}");
                let entry = v.as_object().ok_or_else(|| {
                    Error::input_at(
                        path,
                        at.clone(),
                        format!(
                            "expected {{\"{lo_key}\": .., \"{hi_key}\": ..}}, found {}",
                            super::json::kind_of(v)
                        ),
                    )
                })?;
                for (key, target) in [(lo_key, &mut lo), (hi_key, &mut hi)] {
                    let item = entry.get(key).ok_or_else(|| {
                        Error::input_at(path, at.clone(), format!("no `{key}` score"))
                    })?;
                    target.insert(
                        task.clone(),
                        one_number(path, &format!("{at}.{key}"), item)?,
                    );
                }
            }
            Ok(Scores::Pair(lo, hi))
        }
    }
}

fn read_table_scores(path: &Path, task_col: &str, want: Want) -> Result<Scores> {
    let (frame, _) = table::read_frame(path)?;
    let names: Vec<String> = frame.names().map(str::to_string).collect();
    let task_name = std::iter::once(task_col)
        .chain(TASK_KEYS)
        .find(|k| names.iter().any(|n| n == k))
        .ok_or_else(|| {
            Error::input(
                path,
                format!(
                    "no task column (looked for `{task_col}`, `game`, `env`): name it with --task-col"
                ),
            )
        })?
        .to_string();
    let tasks = table::column_text(path, &frame, &task_name)?;
    let column_values = |name: &str| -> Result<BTreeMap<String, f64>> {
        let cells = table::column_text(path, &frame, name)?;
        let mut out = BTreeMap::new();
        for (row, (task, cell)) in tasks.iter().zip(cells.iter()).enumerate() {
            let at = format!("line {}", row + 2);
            let task = task
                .filter(|t| !t.trim().is_empty())
                .ok_or_else(|| Error::input_at(path, at.clone(), "empty task"))?;
            let value = table::parse_value(cell).ok().flatten().ok_or_else(|| {
                Error::input_at(
                    path,
                    at.clone(),
                    format!("`{name}` is not a reference score: {cell:?}"),
                )
            })?;
            if out.insert(task.to_string(), value).is_some() {
                return Err(Error::input_at(
                    path,
                    at,
                    format!("task `{task}` appears twice"),
                ));
            }
        }
        Ok(out)
    };
    match want {
        Want::Both => {
            let (lo, hi) = PAIRS
                .iter()
                .copied()
                .find(|(lo, hi)| names.iter().any(|n| n == lo) && names.iter().any(|n| n == hi))
                .ok_or_else(|| {
                    Error::input(
                        path,
                        "one reference table needs columns `random` and `human` (or `min` and `max`); or give two files, RANDOM HUMAN",
                    )
                })?;
            Ok(Scores::Pair(column_values(lo)?, column_values(hi)?))
        }
        Want::One => {
            let others: Vec<&String> = names.iter().filter(|n| **n != task_name).collect();
            match others.as_slice() {
                [one] => Ok(Scores::Single(column_values(one)?)),
                _ => Err(Error::input(
                    path,
                    format!(
                        "expected a task column and one score column, found columns {}",
                        names
                            .iter()
                            .map(|n| format!("`{n}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference() -> Reference {
        Reference {
            low: BTreeMap::from([("Pong".to_string(), -20.7), ("Tie".to_string(), 3.0)]),
            high: BTreeMap::from([("Pong".to_string(), 14.6), ("Tie".to_string(), 3.0)]),
            low_source: "RANDOM.json".into(),
            high_source: "HUMAN.json".into(),
        }
    }

    #[test]
    fn a_reference_without_a_task_of_a_method_names_the_task_and_the_method_file() {
        let mut method = MethodScores {
            method: "X".into(),
            source: "X.json".into(),
            tasks: BTreeMap::from([
                ("Pong".to_string(), vec![-20.7, 14.6]),
                ("Qbert".to_string(), vec![1.0]),
            ]),
            normalized: false,
            notes: vec![],
        };
        let err = reference().check_covers(&method).unwrap_err().to_string();
        assert!(err.contains("X.json") && err.contains("`Qbert`"), "{err}");
        method.tasks.remove("Qbert");
        reference().check_covers(&method).unwrap();
    }

    #[test]
    fn equal_reference_scores_are_an_error_naming_the_task_and_the_reference_file() {
        let err = reference().equal_scores("Tie").to_string();
        assert!(
            err.contains("HUMAN.json") && err.contains("`Tie`") && err.contains("(3)"),
            "{err}"
        );
    }
}
