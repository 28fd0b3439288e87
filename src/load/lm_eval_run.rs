//! An lm-evaluation-harness model folder as runs (DESIGN section 10): each
//! `results_<timestamp>.json` is one evaluation; per seed the newest counts
//! and the others are repeats; the folder (the model) is the condition. A
//! per-sample log of the same evaluation gives per-example scores (section 12)
//! in place of a metric's aggregate, when their mean is that aggregate.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::lm_eval::{self, SampleScore};
use super::probe;
use super::run::{Example, Run};
use crate::error::{Error, Result};

/// The results files of an lm-eval model folder, oldest first.
pub fn results_files(dir: &Path) -> Vec<PathBuf> {
    let Some(entries) = probe::entries(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .into_iter()
        .filter(|p| {
            probe::is_file(p)
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .and_then(lm_eval::results_timestamp)
                    .is_some()
        })
        .collect();
    files.sort();
    files
}

/// The run of an lm-eval results file named `results.json`, as releases
/// before 0.4.3 named it.
pub fn read_plain(path: &Path) -> Result<Run> {
    let mut run = read_one(path, &BTreeMap::new())?;
    run.repeat_id = None;
    run.newest_counts = false;
    Ok(run)
}

/// Every evaluation in the model folder `dir` (its [`results_files`]), one
/// run each.
pub fn read(dir: &Path, evaluations: Vec<PathBuf>) -> Result<Vec<Run>> {
    let samples = samples_files(dir);
    let mut runs: Vec<Run> = Vec::new();
    for path in evaluations {
        let run = read_one(&path, &samples)?;
        // Tasks evaluated one call at a time (`--tasks hellaswag`, then
        // `--tasks arc_easy`) are one evaluation of the model and seed.
        match runs.iter_mut().find(|r| complements(r, &run)) {
            Some(earlier) => absorb(earlier, run),
            None => runs.push(run),
        }
    }
    Ok(runs)
}

/// Whether `later` evaluates other tasks than `earlier`, with the same seed
/// and settings: its metrics are new, none repeated.
fn complements(earlier: &Run, later: &Run) -> bool {
    let scored = |r: &Run| -> BTreeSet<String> {
        r.metrics
            .keys()
            .cloned()
            .chain(r.examples.iter().map(|e| e.metric.clone()))
            .collect()
    };
    earlier.recorded_seed.as_ref().map(|s| &s.1) == later.recorded_seed.as_ref().map(|s| &s.1)
        && earlier.config == later.config
        && scored(earlier).is_disjoint(&scored(later))
}

fn absorb(earlier: &mut Run, later: Run) {
    earlier.metrics.extend(later.metrics);
    earlier.examples.extend(later.examples);
    earlier.directions.extend(later.directions);
    earlier.metadata.extend(later.metadata);
    earlier.results_files.extend(later.results_files);
    earlier.notes.extend(later.notes);
    earlier.repeat_id = later.repeat_id.max(earlier.repeat_id.take());
}

/// `samples_<task>_<timestamp>.jsonl` of a folder, by timestamp.
fn samples_files(dir: &Path) -> BTreeMap<String, Vec<(String, PathBuf)>> {
    let mut out: BTreeMap<String, Vec<(String, PathBuf)>> = BTreeMap::new();
    let Some(entries) = probe::entries(dir) else {
        return out;
    };
    for path in entries {
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(task) = lm_eval::samples_task(name) else {
            continue;
        };
        let stamp = name
            .strip_prefix(&format!("samples_{task}_"))
            .and_then(|s| s.strip_suffix(".jsonl"))
            .unwrap_or_default()
            .to_string();
        out.entry(stamp)
            .or_default()
            .push((task.to_string(), path.clone()));
    }
    for files in out.values_mut() {
        files.sort();
    }
    out
}

fn read_one(path: &Path, samples: &BTreeMap<String, Vec<(String, PathBuf)>>) -> Result<Run> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let stamp = lm_eval::results_timestamp(name).unwrap_or_default();
    let repeat_id = (!stamp.is_empty()).then(|| stamp.to_string());
    let results = lm_eval::read_results(path)?;
    let mut run = Run {
        path: path.to_path_buf(),
        results_files: vec![name.to_string()],
        repeat_id,
        newest_counts: true,
        recorded_seed: results
            .seed
            .clone()
            .map(|seed| (format!("{name} `config` seeds"), seed)),
        directions: results.higher_is_better.clone(),
        ..Run::default()
    };
    // The harness's run settings (model, model_args, batch size, ...) are
    // the config; its seed slots are the seed, read above.
    for (key, value) in &results.metadata {
        if let Some(setting) = key.strip_prefix("config.")
            && !super::keys::is_seed_like(setting)
        {
            run.config.insert(setting.to_string(), value.clone());
        }
    }
    if !run.config.is_empty() {
        run.config_files.push(format!("{name} (config)"));
    }
    run.metadata = results.metadata;
    for (metric, stderr) in &results.stderr {
        let value = stderr.map(Value::from).unwrap_or(Value::Null);
        run.metadata.insert(format!("stderr.{metric}"), value);
    }
    run.metrics = results.metrics;
    for (task, file) in samples.get(stamp).into_iter().flatten() {
        let scores = lm_eval::read_samples(file, task)?;
        take_examples(&mut run, file, scores)?;
    }
    Ok(run)
}

/// Move a metric from its aggregate to its per-example scores when the
/// scores' mean is the aggregate (accuracy, exact match); a corpus-level
/// metric (BLEU, F1 over the set) keeps its aggregate, with a note.
fn take_examples(run: &mut Run, file: &Path, scores: Vec<SampleScore>) -> Result<()> {
    let mut by_metric: BTreeMap<String, Vec<SampleScore>> = BTreeMap::new();
    for score in scores {
        by_metric
            .entry(score.metric.clone())
            .or_default()
            .push(score);
    }
    for (metric, scores) in by_metric {
        let Some(aggregate) = run.metrics.get(&metric).copied() else {
            return Err(Error::input(
                file,
                format!(
                    "per-sample scores of `{metric}`, which the results file {} does not report: the samples belong to another evaluation",
                    run.results_files.join(", ")
                ),
            ));
        };
        let present: Vec<f64> = scores.iter().filter_map(|s| s.value).collect();
        let mean =
            (!present.is_empty()).then(|| present.iter().sum::<f64>() / present.len() as f64);
        let agrees = match (mean, aggregate) {
            (Some(m), Some(a)) => (m - a).abs() <= 1e-9 * a.abs().max(1.0),
            _ => false,
        };
        if !agrees {
            run.notes.push(format!(
                "the per-sample scores of `{metric}` in {} do not average to its reported value: the reported value is used",
                super::paths::display_path(file)
            ));
            continue;
        }
        run.metrics.remove(&metric);
        run.examples.extend(scores.into_iter().map(|s| Example {
            example: s.example,
            metric: s.metric,
            value: s.value,
        }));
    }
    Ok(())
}
