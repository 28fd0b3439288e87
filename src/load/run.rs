//! One run folder: its results (metrics), config, environment and compute files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use globset::GlobSet;

use super::config::{self, COMPUTE_FILES, DEPS_FILES, ENV_FILES, HYDRA_OVERRIDES};
use super::history;
use super::json::{self, Flat};
use super::keys;
use super::placement::{Placement, Source};
use super::point::Point;
use super::{lm_eval, lm_eval_run, wandb};
use crate::error::{Error, Result};

/// Results files, in the order they are merged.
pub const RESULTS_FILES: &[&str] = &[
    "results.json",
    "metrics.json",
    "eval_results.json",
    "all_results.json",
    "final_metrics.json",
    "wandb-summary.json",
];
/// A folder of JSON results files, merged.
pub const RESULTS_DIR: &str = "eval_results";

/// A loaded run: one seed of one condition.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// The run folder, as reached from the user's argument.
    pub path: PathBuf,
    pub condition: String,
    pub seed: String,
    /// Override-set hash from the folder name (`seed_42_a3f8c1`).
    pub hash: Option<String>,
    /// Repeat timestamp from the folder name (`..._20260212_143022`).
    pub timestamp: Option<String>,
    pub results_files: Vec<String>,
    /// Numeric results; `None` where the file holds null, NaN or ±inf.
    pub metrics: BTreeMap<String, Option<f64>>,
    /// Non-numeric results values (strings, booleans, lists).
    pub metadata: Flat,
    pub config_files: Vec<String>,
    pub config: Flat,
    /// Hydra command-line overrides (`key=value`).
    pub overrides: Vec<String>,
    /// Hydra's config-group choices (`model` → `baseline`), defaults included.
    pub hydra_choices: Vec<(String, String)>,
    pub env_file: Option<String>,
    pub env: Flat,
    pub deps_file: Option<String>,
    pub compute_file: Option<String>,
    pub compute: Flat,
    /// Metrics logged over steps (`trainer_state.json`, `metrics.csv`).
    pub history: Vec<Point>,
    /// Numeric keys set aside as metadata (diagnostics, counts; DESIGN 10).
    pub set_aside: BTreeSet<String>,
    /// What the run's path says, before configs are looked at.
    pub placement: Placement,
    /// Where the condition's name came from.
    pub condition_source: Source,
    /// The config keys (and values) that name the condition, when any.
    pub condition_keys: BTreeMap<String, String>,
    /// Which argument the run came from.
    pub input: usize,
    /// What the user should know about how the run was read (a log cut short).
    pub notes: Vec<String>,
    /// Per-example scores (lm-eval's per-sample logs).
    pub examples: Vec<Example>,
    /// Of two evaluations of one seed the newest counts (lm-eval), not the first.
    pub newest_counts: bool,
    /// A seed the results file records in a form of its own (lm-eval's
    /// `--seed` slots), with where it was read.
    pub recorded_seed: Option<(String, String)>,
    /// Directions the results file states (lm-eval's `higher_is_better`).
    pub directions: BTreeMap<String, bool>,
}

/// One example's score in a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub example: String,
    pub metric: String,
    pub value: Option<f64>,
}

/// Whether `dir` holds results: a results file, JSON under `eval_results/`,
/// or a training history.
pub fn has_results(dir: &Path) -> bool {
    wandb::is_run_dir(dir) && wandb::has_data(dir)
        || wandb::run_of_files(dir).is_some_and(wandb::has_data)
        || !lm_eval_run::results_files(dir).is_empty()
        || RESULTS_FILES.iter().any(|name| dir.join(name).is_file())
        || !results_dir_files(dir).is_empty()
        || history::has_history(dir)
}

/// The JSON files of `dir/eval_results/`, sorted by name.
fn results_dir_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir.join(RESULTS_DIR)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// The runs of a run folder: one, or one per evaluation of an lm-eval model folder.
pub fn read_all(dir: &Path) -> Result<Vec<Run>> {
    let evaluations = lm_eval_run::results_files(dir);
    if evaluations.is_empty() {
        Ok(vec![read(dir)?])
    } else {
        lm_eval_run::read(dir, evaluations)
    }
}

/// Read everything a run folder records. The caller sets condition and seed.
pub fn read(dir: &Path) -> Result<Run> {
    if wandb::is_run_dir(dir) {
        return read_wandb(dir);
    }
    // `wandb/run-…/files/` given directly: the run is the folder above.
    if let Some(run_dir) = wandb::run_of_files(dir) {
        let mut run = read_wandb(run_dir)?;
        run.path = dir.to_path_buf();
        return Ok(run);
    }
    let mut run = Run {
        path: dir.to_path_buf(),
        ..Run::default()
    };
    if let Some(lm_eval) = read_results(dir, &mut run)? {
        return lm_eval_run::read_plain(&lm_eval);
    }
    run.history = history::read(dir)?;
    let (config_files, config) = config::read_config(dir)?;
    run.config_files = config_files;
    run.config = config;
    let overrides = dir.join(HYDRA_OVERRIDES);
    if overrides.is_file() {
        run.overrides = config::read_overrides(&overrides)?;
    }
    let hydra = dir.join(config::HYDRA_SETTINGS);
    if hydra.is_file() {
        run.hydra_choices = config::read_hydra_choices(&hydra)?;
    }
    if let Some((name, env)) = config::read_first_json(dir, ENV_FILES)? {
        run.env_file = Some(name);
        run.env = env;
    }
    run.deps_file = DEPS_FILES
        .iter()
        .find(|name| dir.join(name).is_file())
        .map(|name| name.to_string());
    if let Some((name, compute)) = config::read_first_json(dir, COMPUTE_FILES)? {
        run.compute_file = Some(name);
        run.compute = compute;
    }
    Ok(run)
}

/// A W&B run folder: its summary is the results, its config the config, its
/// metadata the environment.
fn read_wandb(dir: &Path) -> Result<Run> {
    let read = wandb::read(dir)?;
    let mut run = Run {
        path: dir.to_path_buf(),
        results_files: read.files.clone(),
        config_files: read
            .files
            .iter()
            .filter(|f| f.ends_with("config.yaml") || f.ends_with(".wandb"))
            .cloned()
            .collect(),
        config: read.config,
        history: read.history,
        notes: read.notes,
        ..Run::default()
    };
    if !read.metadata.is_empty() {
        run.env_file = Some("files/wandb-metadata.json".into());
        run.env = read.metadata;
    }
    for (key, value) in read.summary {
        insert_result(&mut run, key, value);
    }
    Ok(run)
}

/// Merge every results file; the same key with two different values is an
/// error. A lone `results.json` that lm-eval wrote (before 0.4.3) is
/// returned instead, to be read as an evaluation.
fn read_results(dir: &Path, run: &mut Run) -> Result<Option<PathBuf>> {
    let mut files: Vec<PathBuf> = RESULTS_FILES
        .iter()
        .map(|name| dir.join(name))
        .filter(|p| p.is_file())
        .collect();
    files.extend(results_dir_files(dir));
    let mut origin: BTreeMap<String, PathBuf> = BTreeMap::new();
    let lone = files.len() == 1;
    for path in files {
        let document = json::read_object(&path)?;
        if lm_eval::is_results(&document) {
            if lone {
                return Ok(Some(path));
            }
            return Err(Error::input(
                &path,
                "an lm-evaluation-harness results file beside other results files: give each evaluation its own folder",
            ));
        }
        let flat = json::flatten(&document);
        for (key, value) in flat {
            if let Some(first) = origin.get(&key) {
                if run_value(run, &key) != Some(&value) && !same_number(run, &key, &value) {
                    return Err(Error::input_at(
                        &path,
                        format!("$.{key}"),
                        format!(
                            "`{key}` is also in {} with another value; results files of one run must agree",
                            first.display()
                        ),
                    ));
                }
                continue;
            }
            origin.insert(key.clone(), path.clone());
            insert_result(run, key, value);
        }
        let name = path
            .strip_prefix(dir)
            .map(super::display_path)
            .unwrap_or_else(|_| super::display_path(&path));
        run.results_files.push(name);
    }
    Ok(None)
}

fn run_value<'a>(run: &'a Run, key: &str) -> Option<&'a Value> {
    run.metadata.get(key)
}

fn same_number(run: &Run, key: &str, value: &Value) -> bool {
    match (run.metrics.get(key), value) {
        (Some(Some(a)), Value::Number(n)) => n.as_f64() == Some(*a),
        (Some(None), Value::Null) => true,
        _ => false,
    }
}

impl Run {
    /// The run's value of `metric`: its result, or the mean of its
    /// per-example scores (what a seed's value is, DESIGN section 12).
    pub fn value_of(&self, metric: &str) -> Option<f64> {
        if let Some(value) = self.metrics.get(metric) {
            return *value;
        }
        let scores: Vec<f64> = self
            .examples
            .iter()
            .filter(|e| e.metric == metric)
            .filter_map(|e| e.value)
            .collect();
        (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
    }

    /// Every metric the run scored, by result or by examples.
    pub fn metric_names(&self) -> BTreeSet<&str> {
        self.metrics
            .keys()
            .map(String::as_str)
            .chain(self.examples.iter().map(|e| e.metric.as_str()))
            .collect()
    }

    /// Set aside the numbers that are metadata by [`keys::is_metadata`]
    /// (diagnostics, counts), unless the user asked for them with `--metric`.
    pub fn set_aside_metadata(&mut self, explicit: Option<&GlobSet>) {
        let keep = |key: &str| !keys::is_metadata(key) || explicit.is_some_and(|g| g.is_match(key));
        let aside: Vec<String> = self.metrics.keys().filter(|k| !keep(k)).cloned().collect();
        for key in aside {
            // Kept as metadata: the checklist reads budgets and runtimes there.
            if let Some(value) = self.metrics.remove(&key) {
                let value = value.map(Value::from).unwrap_or(Value::Null);
                self.metadata.entry(key.clone()).or_insert(value);
            }
            self.set_aside.insert(key);
        }
        let set_aside = &mut self.set_aside;
        self.history.retain(|point| {
            let kept = keep(&point.metric);
            if !kept {
                set_aside.insert(point.metric.clone());
            }
            kept
        });
    }
}

/// Numbers are metrics; null is a missing metric value; everything else, the
/// seed, and keys starting with `_` (logger internals such as W&B's `_runtime`)
/// are metadata.
pub(crate) fn insert_result(run: &mut Run, key: String, value: Value) {
    let is_metadata_key = keys::is_logger_internal(&key) || keys::is_seed(&key);
    match value {
        Value::Number(n) if !is_metadata_key => {
            run.metrics
                .insert(key, n.as_f64().filter(|v| v.is_finite()));
        }
        Value::Null if !is_metadata_key => {
            run.metrics.insert(key, None);
        }
        other => {
            run.metadata.insert(key, other);
        }
    }
}
