//! Run trees: one folder per seed, conditions from paths (DESIGN section 2).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::config::CONFIG_FILES;
use super::natural::natural_cmp;
use super::options::LoadOptions;
use super::paths::{display_path, folder_name};
use super::probe;
use super::run::Run;
use super::run_folder::{self, RESULTS_FILES};
use super::study::{Skipped, Study};
use super::tidy::{Row, TidyBuilder};
use super::{condition, diagnose, generated, index, placement, run_name, wandb};
use crate::error::{Error, Result};

/// Run folders and failed-run folders found under a root.
#[derive(Debug, Default)]
struct Found {
    runs: Vec<PathBuf>,
    failed: Vec<PathBuf>,
}

impl Found {
    fn absorb(mut self, other: Found) -> Found {
        self.runs.extend(other.runs);
        self.failed.extend(other.failed);
        self
    }
}

/// The runs read under one argument, before conditions are given: those
/// are judged across every argument's runs ([`super::condition::assign`]).
#[derive(Debug)]
pub struct TreeRuns {
    pub root: PathBuf,
    /// Which argument it is.
    pub input: usize,
    pub runs: Vec<Run>,
    pub skipped: Vec<Skipped>,
}

/// Read every run under a run folder, a condition folder or a runs root.
pub fn read_tree(root: &Path, input: usize, options: &LoadOptions) -> Result<TreeRuns> {
    let found = if run_folder::has_results(root) {
        Found {
            runs: vec![root.to_path_buf()],
            failed: Vec::new(),
        }
    } else {
        discover(root, true)?
    };
    if found.runs.is_empty() && found.failed.is_empty() {
        if let Some(reason) = diagnose::empty_root(root) {
            return Err(Error::input(root, reason));
        }
        return Err(Error::input(
            root,
            format!(
                "no runs found: expected run folders holding one of {}, an eval_results/ folder, trainer_state.json or metrics.csv",
                RESULTS_FILES.join(", ")
            ),
        ));
    }
    let mut skipped: Vec<Skipped> = found
        .failed
        .iter()
        .map(|path| Skipped {
            path: display_path(path),
            reason: diagnose::failed_run(path),
        })
        .collect();

    let read: Vec<(PathBuf, Result<Vec<Placed>>)> = found
        .runs
        .par_iter()
        .map(|dir| (dir.clone(), read_runs(root, dir, input, options)))
        .collect();
    let mut runs = Vec::with_capacity(read.len());
    for (dir, result) in read {
        match result {
            Ok(read) => {
                for placed in read {
                    match placed {
                        Placed::Run(run) => runs.push(*run),
                        Placed::Empty(skip) => skipped.push(skip),
                    }
                }
            }
            Err(err) if options.skip_bad => skipped.push(Skipped {
                path: display_path(&dir),
                reason: err.to_string(),
            }),
            Err(err) => return Err(err),
        }
    }
    let runs = latest_wandb_parts(runs, &mut skipped);
    if runs.is_empty() {
        return Err(Error::input(
            root,
            format!(
                "no usable runs: {} run folder(s) skipped ({})",
                skipped.len(),
                skipped.first().map(|s| s.reason.as_str()).unwrap_or("")
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

/// The study of one argument's runs, once each has its condition.
pub fn finish(tree: TreeRuns) -> Result<Study> {
    let labels = override_labels(&tree.runs)?;
    let (runs, repeats) = split_repeats(tree.runs)?;
    let mut conditions: Vec<String> = runs.iter().map(|r| r.condition.clone()).collect();
    conditions.sort_by(|a, b| natural_cmp(a, b));
    conditions.dedup();
    Ok(Study {
        per_input: vec![conditions.clone()],
        results: tidy_frame(&runs),
        runs,
        repeats,
        skipped: tree.skipped,
        conditions,
        labels,
        roots: vec![tree.root],
    })
}

/// Walk the tree in parallel. A folder with results is a run (not descended
/// into); a folder without results and without runs beneath is a failed run
/// when its name is a seed or it holds a config.
fn discover(dir: &Path, is_root: bool) -> Result<Found> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, &e))?;
    let mut subdirs = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, &e))?;
        let name = entry.file_name();
        let hidden = name.to_string_lossy().starts_with('.');
        // Symlinked folders are not followed: they can loop.
        let is_dir = entry.file_type().map(|t| t.is_dir()).unwrap_or(false);
        // Hugging Face `checkpoint-N` folders repeat the run's trainer state.
        let checkpoint = name.to_string_lossy().starts_with("checkpoint-");
        if is_dir && !hidden && !checkpoint && name != run_folder::RESULTS_DIR {
            subdirs.push(entry.path());
        }
    }
    subdirs.sort();
    let found = subdirs
        .par_iter()
        .map(|sub| {
            if run_folder::has_results(sub) {
                Ok(Found {
                    runs: vec![sub.clone()],
                    failed: Vec::new(),
                })
            } else if wandb::is_run_dir(sub) {
                // A W&B run without its summary, history or log: failed.
                Ok(Found {
                    runs: Vec::new(),
                    failed: vec![sub.clone()],
                })
            } else {
                discover(sub, false)
            }
        })
        .collect::<Result<Vec<Found>>>()?
        .into_iter()
        .fold(Found::default(), Found::absorb);
    if found.runs.is_empty() && found.failed.is_empty() && !is_root && looks_like_run(dir) {
        return Ok(Found {
            runs: Vec::new(),
            failed: vec![dir.to_path_buf()],
        });
    }
    Ok(found)
}

fn looks_like_run(dir: &Path) -> bool {
    let named_as_seed = dir
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(run_name::parse)
        .is_some();
    named_as_seed
        || CONFIG_FILES
            .iter()
            .any(|name| probe::is_file(&dir.join(name)))
        || probe::is_dir(&dir.join(".hydra"))
        || wandb::is_run_dir(dir)
        || probe::entries(dir).is_some_and(|entries| {
            entries.iter().any(|e| {
                e.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("checkpoint-"))
            })
        })
}

/// A run read and placed, or one that holds no value at all (a W&B run
/// killed before it logged, a results file of text only): skipped and
/// listed like a failed run.
enum Placed {
    Run(Box<Run>),
    Empty(Skipped),
}

/// Read the runs of a run folder and place each.
fn read_runs(root: &Path, dir: &Path, input: usize, options: &LoadOptions) -> Result<Vec<Placed>> {
    run_folder::read_all(dir)?
        .into_iter()
        .map(|run| {
            if run.metrics.is_empty() && run.history.is_empty() && run.examples.is_empty() {
                let mut reason = "no metric values: a failed or unfinished run".to_string();
                for note in &run.notes {
                    reason.push_str("; ");
                    reason.push_str(note);
                }
                return Ok(Placed::Empty(Skipped {
                    path: display_path(&run.path),
                    reason,
                }));
            }
            Ok(Placed::Run(Box::new(place_run(
                root, dir, run, input, options,
            )?)))
        })
        .collect()
}

/// A resumed W&B run writes a new folder with the same run id; the newest
/// folder holds the run (its summary is the whole run's), the earlier ones are
/// listed as skipped.
fn latest_wandb_parts(runs: Vec<Run>, skipped: &mut Vec<Skipped>) -> Vec<Run> {
    let id_of = |run: &Run| {
        let name = run.path.file_name()?.to_str()?;
        generated::wandb_run_id(name).map(|id| {
            (
                id.to_string(),
                name.trim_start_matches("offline-").to_string(),
            )
        })
    };
    let mut newest: BTreeMap<String, String> = BTreeMap::new();
    for (id, stamp) in runs.iter().filter_map(id_of) {
        let entry = newest.entry(id).or_insert_with(|| stamp.clone());
        if stamp > *entry {
            *entry = stamp;
        }
    }
    let mut kept = Vec::with_capacity(runs.len());
    for run in runs {
        match id_of(&run) {
            Some((id, stamp)) if newest.get(&id).is_some_and(|n| *n != stamp) => {
                skipped.push(Skipped {
                    path: display_path(&run.path),
                    reason: format!(
                        "an earlier part of the resumed W&B run {id}: its newest folder is read"
                    ),
                });
            }
            _ => kept.push(run),
        }
    }
    kept
}

/// Place one run: what its path says, and its seed from every source that
/// records one.
fn place_run(
    root: &Path,
    dir: &Path,
    mut run: Run,
    input: usize,
    options: &LoadOptions,
) -> Result<Run> {
    run.input = input;
    run.set_aside_metadata(options.explicit_metrics.as_ref());
    condition::check_overrides(&run)?;
    let named = naming_dir(root, dir);
    // An lm-eval model folder names its condition (each results file is a
    // run) "when configs do not say more": evaluations whose settings differ
    // (a revision) are told apart.
    let mut placement = placement::place(root, &named, run.newest_counts);
    placement.from_config |= run.newest_counts;
    run.seed = match condition::seed_of(&run, &placement)? {
        Some(seed) => seed,
        None if options.allow_unseeded => folder_name(&named),
        None if is_hydra_job_without_record(&named) => {
            return Err(Error::input(
                &named,
                "a Hydra job without .hydra/ (hydra.output_subdir=null): its overrides and config were not saved, so its seed and condition are unknown; rerun with the default hydra.output_subdir, or write `seed` and the studied keys into its results file",
            ));
        }
        None if run.newest_counts => {
            return Err(Error::input(
                &run.path,
                "unknown seed: this lm-eval results file records no random_seed, numpy_seed or torch_seed in its config; run the harness with --seed N, put the output under a seed_<N> folder, or pass --allow-unseeded",
            ));
        }
        None => {
            return Err(Error::input(
                &named,
                "unknown seed: name the folder seed_<N> or record `seed` in its config (or pass --allow-unseeded)",
            ));
        }
    };
    if let Some(name) = &placement.seed_name {
        run.hash = name.hash.clone();
        run.repeat_id = name.timestamp.clone();
    }
    if run.repeat_id.is_none() {
        run.repeat_id = placement.identity.clone();
    }
    run.placement = placement;
    Ok(run)
}

/// A multirun job folder (`multirun.yaml` above) that kept no `.hydra/`.
fn is_hydra_job_without_record(dir: &Path) -> bool {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !probe::is_dir(&dir.join(".hydra")) && generated::is_hydra_job(&name, dir)
}

/// The folder that names a run. A W&B run's `files/` given directly is its
/// run folder's. Lightning writes `metrics.csv` and
/// `hparams.yaml` to `<run>/lightning_logs/version_<N>/`: the run is `<run>`
/// (`runs/cond/seed_1/lightning_logs/version_0` is seed 1 of `cond`).
fn naming_dir(root: &Path, dir: &Path) -> PathBuf {
    if let Some(run) = wandb::run_of_files(dir) {
        return run.to_path_buf();
    }
    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned());
    let is_version = name(dir).is_some_and(|n| {
        n.strip_prefix("version_")
            .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
    });
    // The Hugging Face Trainer writes TensorBoard events to
    // `<output_dir>/runs/<Mon><DD>_<HH-MM-SS>_<host>/`: the run is `<output_dir>`.
    let is_trainer_events = name(dir).is_some_and(|n| {
        generated::classify(&n, dir) == generated::Part::Generated && run_name::parse(&n).is_none()
    });
    let container = if is_version {
        "lightning_logs"
    } else if is_trainer_events {
        "runs"
    } else {
        return dir.to_path_buf();
    };
    let Some(parent) = dir.parent() else {
        return dir.to_path_buf();
    };
    match parent.parent() {
        Some(run) if name(parent).as_deref() == Some(container) && run.starts_with(root) => {
            run.to_path_buf()
        }
        _ => dir.to_path_buf(),
    }
}

/// Labels for `condition@hash` conditions from the condition folder's `index.yaml`.
fn override_labels(runs: &[Run]) -> Result<BTreeMap<String, String>> {
    let mut labels = BTreeMap::new();
    let mut indexes: BTreeMap<PathBuf, index::OverrideIndex> = BTreeMap::new();
    for run in runs {
        let Some(hash) = &run.hash else { continue };
        let Some(folder) = run.path.parent() else {
            continue;
        };
        let index_path = folder.join("index.yaml");
        if !indexes.contains_key(&index_path) {
            indexes.insert(index_path.clone(), index::read(&index_path)?);
        }
        let base = run.condition.trim_end_matches(&format!("@{hash}"));
        let label = match indexes.get(&index_path).and_then(|i| i.get(hash)) {
            Some(overrides) => format!("{base} ({overrides})"),
            None => run.condition.clone(),
        };
        labels.insert(run.condition.clone(), label);
    }
    Ok(labels)
}

/// Separate repeats (same condition and seed, told apart by a timestamp) from
/// the runs counted as seeds. The run without a timestamp, else the earliest,
/// counts. Two runs of one seed not told apart by timestamps are an error.
fn split_repeats(runs: Vec<Run>) -> Result<(Vec<Run>, Vec<Run>)> {
    let mut by_seed: BTreeMap<(String, String), Vec<Run>> = BTreeMap::new();
    for run in runs {
        by_seed
            .entry((run.condition.clone(), run.seed.clone()))
            .or_default()
            .push(run);
    }
    let mut counted = Vec::new();
    let mut repeats = Vec::new();
    for ((condition, seed), mut group) in by_seed {
        // None sorts before Some: the run without a repeat id comes first.
        group.sort_by(|a, b| match (&a.repeat_id, &b.repeat_id) {
            (Some(x), Some(y)) => natural_cmp(x, y).then(a.path.cmp(&b.path)),
            (x, y) => x.cmp(y),
        });
        let unmarked = group.iter().filter(|r| r.repeat_id.is_none()).count();
        let mut ids: Vec<&String> = group.iter().filter_map(|r| r.repeat_id.as_ref()).collect();
        let total = ids.len();
        ids.dedup();
        if unmarked > 1 || ids.len() < total {
            let paths: Vec<String> = group.iter().map(|r| display_path(&r.path)).collect();
            return Err(Error::input(
                &group[0].path,
                format!(
                    "duplicate seed {seed} in condition `{condition}`: {}; a repeat of a seed needs a _YYYYMMDD_HHMMSS timestamp suffix",
                    paths.join(" and ")
                ),
            ));
        }
        // lm-eval: the newest evaluation of a seed counts.
        if group.iter().any(|r| r.newest_counts) {
            group.reverse();
        }
        let mut group = group.into_iter();
        if let Some(first) = group.next() {
            counted.push(first);
        }
        repeats.extend(group);
    }
    counted.sort_by(|a, b| {
        natural_cmp(&a.condition, &b.condition).then_with(|| natural_cmp(&a.seed, &b.seed))
    });
    Ok((counted, repeats))
}

pub(crate) fn tidy_frame(runs: &[Run]) -> super::tidy::TidyTable {
    let mut builder = TidyBuilder::default();
    for run in runs {
        for (metric, value) in &run.metrics {
            builder.push(Row {
                condition: &run.condition,
                seed: &run.seed,
                metric,
                value: *value,
                task: None,
                example: None,
                step: None,
            });
        }
        for example in &run.examples {
            builder.push(Row {
                condition: &run.condition,
                seed: &run.seed,
                metric: &example.metric,
                value: example.value,
                task: None,
                example: Some(&example.example),
                step: None,
            });
        }
        for point in &run.history {
            builder.push(Row {
                condition: &run.condition,
                seed: &run.seed,
                metric: &point.metric,
                value: point.value,
                task: None,
                example: None,
                step: Some(point.step),
            });
        }
    }
    builder.finish()
}
