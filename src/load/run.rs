//! A loaded run: one seed of one condition, as every reader fills it in (run
//! folders, lm-eval evaluations, MLflow stores), and what is asked of it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use globset::GlobSet;
use serde_json::Value;

use super::json::Flat;
use super::keys;
use super::placement::{Placement, Source};
use super::point::Point;

/// A loaded run: one seed of one condition.
#[derive(Debug, Clone, Default)]
pub struct Run {
    /// The run folder, as reached from the user's argument.
    pub path: PathBuf,
    pub condition: String,
    pub seed: String,
    /// Override-set hash from the folder name (`seed_42_a3f8c1`).
    pub hash: Option<String>,
    /// What tells repeats of one seed apart and orders them: the folder
    /// name's timestamp (`..._20260212_143022`), else a generated path part
    /// (a Hydra job, a W&B run folder), an lm-eval results time or an MLflow
    /// start time.
    pub repeat_id: Option<String>,
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
