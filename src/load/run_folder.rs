//! One run folder: its results (metrics), config, environment and compute
//! files, read into a [`Run`] (a W&B run folder through [`super::wandb`], an
//! lm-eval model folder through [`super::lm_eval_run`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::config::{self, COMPUTE_FILES, DEPS_FILES, ENV_FILES, HYDRA_OVERRIDES};
use super::history;
use super::json;
use super::paths::display_path;
use super::probe;
use super::run::{Run, insert_result};
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

/// Whether `dir` holds results: a results file, JSON under `eval_results/`,
/// or a training history.
pub fn has_results(dir: &Path) -> bool {
    wandb::is_run_dir(dir) && wandb::has_data(dir)
        || wandb::run_of_files(dir).is_some_and(wandb::has_data)
        || !lm_eval_run::results_files(dir).is_empty()
        || RESULTS_FILES
            .iter()
            .any(|name| probe::is_file(&dir.join(name)))
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
        .filter(|p| probe::is_file(p) && p.extension().is_some_and(|e| e == "json"))
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
    if probe::is_file(&overrides) {
        run.overrides = config::read_overrides(&overrides)?;
    }
    let hydra = dir.join(config::HYDRA_SETTINGS);
    if probe::is_file(&hydra) {
        run.hydra_choices = config::read_hydra_choices(&hydra)?;
    }
    if let Some((name, env)) = config::read_first_json(dir, ENV_FILES)? {
        run.env_file = Some(name);
        run.env = env;
    }
    run.deps_file = DEPS_FILES
        .iter()
        .find(|name| probe::is_file(&dir.join(name)))
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
        .filter(|p| probe::is_file(p))
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
            .map(display_path)
            .unwrap_or_else(|_| display_path(&path));
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
