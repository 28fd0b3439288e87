//! A folder of inspect_ai logs as runs (DESIGN sections 10 and 12): the
//! model a log names is the condition, the generate seed the seed; the logs
//! of one model and seed on different tasks (one log per task, as `inspect
//! eval-set` writes them) are one run; two logs of one model, seed and task
//! are repeats, the newest counting. Every sample is an example: a sample
//! the evaluation did not score (an error) is a missing example score.
//! Logs that did not finish are listed as skipped with inspect's error.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::inspect_ai::{self, Log};
use super::options::LoadOptions;
use super::paths::display_path;
use super::placement::{Placement, Source};
use super::run::{Example, Run};
use super::study::Skipped;
use super::tree::TreeRuns;
use crate::error::{Error, Result};

/// The aggregate metrics a per-sample mean reproduces (`accuracy` of 0/1
/// scores, `mean` of any score).
const MEAN_METRICS: [&str; 2] = ["accuracy", "mean"];

/// Every log of `logs` (found below `root`) as runs.
pub fn load(
    root: &Path,
    logs: &[PathBuf],
    input: usize,
    options: &LoadOptions,
) -> Result<TreeRuns> {
    let mut runs: Vec<Run> = Vec::new();
    let mut skipped = Vec::new();
    for path in logs {
        let log = match inspect_ai::read(path) {
            Ok(log) => log,
            Err(err) if options.skip_bad => {
                skipped.push(Skipped {
                    path: display_path(path),
                    reason: err.to_string(),
                });
                continue;
            }
            Err(err) => return Err(err),
        };
        if let Some(reason) = unfinished(&log) {
            skipped.push(Skipped {
                path: display_path(path),
                reason,
            });
            continue;
        }
        let run = run_of(path, log, input, options)?;
        match runs.iter_mut().find(|r| complements(r, &run)) {
            Some(earlier) => absorb(earlier, run),
            None => runs.push(run),
        }
    }
    if runs.is_empty() {
        return Err(Error::input(
            root,
            format!(
                "no finished inspect_ai evaluation among {} log(s){}",
                logs.len(),
                skipped
                    .first()
                    .map(|s| format!(": {} {}", s.path, s.reason))
                    .unwrap_or_default()
            ),
        ));
    }
    Ok(TreeRuns {
        root: root.to_path_buf(),
        input,
        runs,
        skipped,
    })
}

/// Why a log holds no result, when it does not.
fn unfinished(log: &Log) -> Option<String> {
    if log.invalidated {
        return Some("inspect_ai log marked invalidated".into());
    }
    match log.status.as_str() {
        "success" => None,
        "started" => Some("inspect_ai evaluation still running or killed (status started)".into()),
        status => Some(match &log.error {
            Some(error) if !error.is_empty() => {
                format!("inspect_ai evaluation failed (status {status}): {error}")
            }
            _ => format!("inspect_ai evaluation did not finish (status {status})"),
        }),
    }
}

fn run_of(path: &Path, log: Log, input: usize, options: &LoadOptions) -> Result<Run> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let seed = match &log.seed {
        Some(seed) => seed.clone(),
        None if options.allow_unseeded => log.eval_id.clone(),
        None => {
            return Err(Error::input(
                path,
                "unknown seed: this inspect_ai evaluation records no generate seed; run it with `inspect eval --seed N` (GenerateConfig(seed=N)), or pass --allow-unseeded to count each log as a seed of its own",
            ));
        }
    };
    let mut run = Run {
        path: path.to_path_buf(),
        condition: log.model.clone(),
        seed,
        repeat_id: Some(log.created.clone()),
        newest_counts: true,
        results_files: vec![name.clone()],
        input,
        placement: Placement {
            named: log.model.clone(),
            fallback: log.model.clone(),
            identity: Some(log.eval_id.clone()),
            from_config: true,
            source: Source::Model,
            ..Placement::default()
        },
        ..Run::default()
    };
    for (key, value) in &log.settings {
        run.config.insert(key.clone(), value.clone());
    }
    if !run.config.is_empty() {
        run.config_files.push(format!("{name} (eval)"));
    }
    run.metadata
        .insert("task".into(), Value::String(log.task.clone()));
    run.metadata
        .insert("epochs".into(), Value::from(log.epochs));
    if log.epochs > 1 {
        run.notes.push(format!(
            "{} epochs per sample, reduced by inspect_ai ({}) to one score per sample",
            log.epochs, log.reducer
        ));
    }
    take_scores(&mut run, path, &log);
    run.set_aside_metadata(options.explicit_metrics.as_ref());
    Ok(run)
}

/// Each score of the log as a metric `<task>.<score>`: per-example scores
/// when their mean is the log's own aggregate (or it gives none), else the
/// aggregate, with a note. The other aggregates (`stderr`, custom metrics)
/// are kept as metadata.
fn take_scores(run: &mut Run, path: &Path, log: &Log) {
    let names: BTreeSet<&String> = log.scores.keys().chain(log.metrics.keys()).collect();
    for score in names {
        let metric = format!("{}.{score}", log.task);
        let aggregates = log.metrics.get(score);
        let stated = aggregates.and_then(|m| {
            MEAN_METRICS
                .iter()
                .find_map(|name| m.get(*name).map(|v| (*name, *v)))
        });
        for (name, value) in aggregates.into_iter().flatten() {
            if stated.is_none_or(|(s, _)| s != name) {
                let value = value.map(Value::from).unwrap_or(Value::Null);
                run.metadata.insert(format!("{name}.{metric}"), value);
            }
        }
        let per_sample = log.scores.get(score);
        let mean = per_sample
            .filter(|s| !s.is_empty())
            .map(|s| s.values().sum::<f64>() / s.len() as f64);
        let agrees = match (mean, stated) {
            (Some(_), None) => true,
            (Some(m), Some((_, Some(a)))) => (m - a).abs() <= 1e-9 * a.abs().max(1.0),
            _ => false,
        };
        match per_sample {
            Some(scored) if agrees => {
                let ids: BTreeSet<&String> = log.sample_ids.iter().chain(scored.keys()).collect();
                run.examples.extend(ids.into_iter().map(|id| Example {
                    example: id.clone(),
                    metric: metric.clone(),
                    value: scored.get(id).copied(),
                }));
            }
            _ => {
                if per_sample.is_some() {
                    run.notes.push(format!(
                        "the per-sample scores of `{metric}` in {} do not average to its reported {}: the reported value is used",
                        display_path(path),
                        stated.map(|(name, _)| name).unwrap_or("value")
                    ));
                }
                if let Some((_, value)) = stated {
                    run.metrics.insert(metric, value);
                }
            }
        }
    }
}

/// Whether `later` scores other tasks than `earlier` for the same model,
/// seed and settings (one log per task).
fn complements(earlier: &Run, later: &Run) -> bool {
    let scored = |r: &Run| -> BTreeSet<String> {
        r.metrics
            .keys()
            .cloned()
            .chain(r.examples.iter().map(|e| e.metric.clone()))
            .collect()
    };
    earlier.condition == later.condition
        && earlier.seed == later.seed
        && earlier.config == later.config
        && scored(earlier).is_disjoint(&scored(later))
}

fn absorb(earlier: &mut Run, later: Run) {
    earlier.metrics.extend(later.metrics);
    earlier.examples.extend(later.examples);
    earlier.results_files.extend(later.results_files);
    earlier.notes.extend(later.notes);
    if let (Some(Value::String(a)), Some(Value::String(b))) =
        (earlier.metadata.get("task"), later.metadata.get("task"))
    {
        let tasks = format!("{a}, {b}");
        earlier.metadata.insert("task".into(), Value::String(tasks));
    }
    earlier.repeat_id = later.repeat_id.max(earlier.repeat_id.take());
}
