//! The MLflow file store (`mlruns/`): one folder per experiment holding
//! `meta.yaml` (its `name`) and one folder per run holding `meta.yaml`,
//! `metrics/<key>` (lines `timestamp value step`; keys with `/` are nested
//! folders) and `params/<key>` (the value as text).
//!
//! The condition of a run is its experiment's name, unless the run logged a
//! param `condition`; the seed is its param `seed` (or `random_seed`).
//! Runs in the trash (`lifecycle_stage: deleted`) are listed as skipped.
//!
//! The SQLite tracking store (`mlflow.db`: tables `experiments`, `runs`,
//! `params`, `metrics` with `key, value, step, is_nan`) is read the same way,
//! opened read-only through rusqlite's bundled SQLite.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::config;
use super::json::Flat;
use super::options::LoadOptions;
use super::paths::display_path;
use super::placement::{Placement, Source};
use super::point::Point;
use super::run::Run;
use super::study::Skipped;
use super::tree::TreeRuns;
use crate::error::{Error, Result};

/// The store under `root`: `root` itself when its folders are experiments,
/// or `root/mlruns`.
pub fn find_store(root: &Path) -> Option<PathBuf> {
    let nested = root.join("mlruns");
    if nested.is_dir() && is_store(&nested) {
        return Some(nested);
    }
    is_store(root).then(|| root.to_path_buf())
}

/// A folder whose subfolders include an experiment: `meta.yaml` with an
/// `experiment_id`, and a run folder beneath holding `meta.yaml` and `metrics/`.
fn is_store(dir: &Path) -> bool {
    subdirs(dir).iter().any(|exp| {
        exp.join("meta.yaml").is_file()
            && subdirs(exp)
                .iter()
                .any(|run| run.join("meta.yaml").is_file() && run.join("metrics").is_dir())
    })
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

fn yaml_field(meta: &Value, key: &str) -> Option<String> {
    match meta.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Load every live run of the store.
pub fn load(root: &Path, store: &Path, input: usize, options: &LoadOptions) -> Result<TreeRuns> {
    let mut runs = Vec::new();
    let mut skipped = Vec::new();
    for exp in subdirs(store) {
        let exp_meta_path = exp.join("meta.yaml");
        if !exp_meta_path.is_file() {
            continue;
        }
        let exp_meta = config::read_structured(&exp_meta_path)?;
        if yaml_field(&exp_meta, "lifecycle_stage").as_deref() == Some("deleted") {
            continue;
        }
        let experiment = yaml_field(&exp_meta, "name").unwrap_or_else(|| {
            exp.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
        for dir in subdirs(&exp) {
            if !dir.join("meta.yaml").is_file() || !dir.join("metrics").is_dir() {
                continue;
            }
            match read_run(&dir, &experiment, options) {
                Ok(Some(run)) => runs.push(run),
                Ok(None) => skipped.push(Skipped {
                    path: display_path(&dir),
                    reason: "deleted MLflow run (lifecycle_stage: deleted)".into(),
                }),
                Err(err) if options.skip_bad => skipped.push(Skipped {
                    path: display_path(&dir),
                    reason: err.to_string(),
                }),
                Err(err) => return Err(err),
            }
        }
    }
    runs_of(root, store, runs, skipped, input, options)
}

/// The runs of a store, placed for [`super::condition::assign`]: the
/// experiment (or a `condition` param) names the condition, the run id
/// identifies the run, so params that differ between runs of one experiment
/// (a sweep logged into one experiment) name conditions too.
fn runs_of(
    root: &Path,
    store: &Path,
    mut runs: Vec<Run>,
    skipped: Vec<Skipped>,
    input: usize,
    options: &LoadOptions,
) -> Result<TreeRuns> {
    if runs.is_empty() {
        return Err(Error::input(store, "the MLflow store holds no usable runs"));
    }
    for run in &mut runs {
        let explicit =
            matches!(run.config.get("condition"), Some(Value::String(c)) if !c.is_empty());
        // MLflow's own `Default` experiment names nothing the user chose.
        let named = if run.condition == "Default" && !explicit {
            String::new()
        } else {
            run.condition.clone()
        };
        run.placement = Placement {
            named,
            fallback: run.condition.clone(),
            identity: run.repeat_id.clone(),
            from_config: !explicit,
            source: Source::Experiment,
            ..Placement::default()
        };
        run.input = input;
        run.set_aside_metadata(options.explicit_metrics.as_ref());
    }
    Ok(TreeRuns {
        root: root.to_path_buf(),
        input,
        runs,
        skipped,
    })
}

/// A run's place among repeats of its seed: its start time (milliseconds,
/// zero-padded so that text order is time order), then its id; the earliest
/// counts (DESIGN 2).
fn started(start_time: Option<i64>, run_id: &str) -> String {
    format!("{:020}-{run_id}", start_time.unwrap_or(i64::MAX))
}

/// The condition and seed of a run from its params (see the module docs).
fn place(
    params: &Flat,
    experiment: &str,
    fallback_seed: &str,
    options: &LoadOptions,
    path: &Path,
) -> Result<(String, String)> {
    let seed = match config::seed_from(params) {
        Some(seed) => seed,
        None if options.allow_unseeded => fallback_seed.to_string(),
        None => {
            return Err(Error::input(
                path,
                "unknown seed: log it with mlflow.log_param(\"seed\", ...) (or pass --allow-unseeded)",
            ));
        }
    };
    let condition = match params.get("condition") {
        Some(Value::String(c)) if !c.is_empty() => c.clone(),
        _ => experiment.to_string(),
    };
    Ok((condition, seed))
}

/// The tracking database beside or at `path`: `mlflow.db` in a folder, or a
/// `.db` / `.sqlite` file given directly.
pub fn find_db(path: &Path) -> Option<PathBuf> {
    if path.is_dir() {
        let db = path.join("mlflow.db");
        return db.is_file().then_some(db);
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    matches!(ext.as_str(), "db" | "sqlite" | "sqlite3").then(|| path.to_path_buf())
}

/// Every live run of an MLflow SQLite tracking database, opened read-only.
pub fn load_db(root: &Path, db: &Path, input: usize, options: &LoadOptions) -> Result<TreeRuns> {
    use rusqlite::{Connection, OpenFlags};
    let sql_error =
        |e: rusqlite::Error| Error::input(db, format!("cannot read the MLflow database: {e}"));
    let conn = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_error)?;
    for table in ["experiments", "runs", "metrics", "params"] {
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [table],
                |row| row.get(0),
            )
            .map_err(sql_error)?;
        if found == 0 {
            return Err(Error::input(
                db,
                format!("not an MLflow tracking database: no table `{table}`"),
            ));
        }
    }
    let mut statement = conn
        .prepare(
            "SELECT r.run_uuid, r.lifecycle_stage, e.name, e.lifecycle_stage, r.start_time \
             FROM runs r JOIN experiments e ON r.experiment_id = e.experiment_id \
             ORDER BY e.name, r.run_uuid",
        )
        .map_err(sql_error)?;
    type Listed = (String, Option<String>, String, Option<String>, Option<i64>);
    let listed: Vec<Listed> = statement
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })
        .and_then(|rows| rows.collect())
        .map_err(sql_error)?;
    let mut runs = Vec::new();
    let mut skipped = Vec::new();
    for (run_id, stage, experiment, experiment_stage, start_time) in listed {
        let where_ = db.join(&run_id);
        if stage.as_deref() == Some("deleted") || experiment_stage.as_deref() == Some("deleted") {
            skipped.push(Skipped {
                path: display_path(&where_),
                reason: "deleted MLflow run (lifecycle_stage: deleted)".into(),
            });
            continue;
        }
        let mut params = Flat::new();
        let mut statement = conn
            .prepare("SELECT key, value FROM params WHERE run_uuid = ?1 ORDER BY key")
            .map_err(sql_error)?;
        let rows: Vec<(String, Option<String>)> = statement
            .query_map([&run_id], |row| Ok((row.get(0)?, row.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(sql_error)?;
        for (key, value) in rows {
            params.insert(key, Value::String(value.unwrap_or_default()));
        }
        let placed = place(&params, &experiment, &run_id, options, &where_);
        let (condition, seed) = match placed {
            Ok(p) => p,
            Err(err) if options.skip_bad => {
                skipped.push(Skipped {
                    path: display_path(&where_),
                    reason: err.to_string(),
                });
                continue;
            }
            Err(err) => return Err(err),
        };
        let mut statement = conn
            .prepare(
                "SELECT key, value, step, is_nan FROM metrics WHERE run_uuid = ?1 \
                 ORDER BY key, step, timestamp",
            )
            .map_err(sql_error)?;
        let history: Vec<Point> = statement
            .query_map([&run_id], |row| {
                let is_nan: Option<bool> = row.get(3)?;
                let value: Option<f64> = row.get(1)?;
                Ok(Point {
                    metric: row.get(0)?,
                    step: row.get(2)?,
                    value: value.filter(|v| v.is_finite() && is_nan != Some(true)),
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(sql_error)?;
        runs.push(Run {
            path: where_,
            repeat_id: Some(started(start_time, &run_id)),
            condition,
            seed,
            config_files: vec!["params".into()],
            config: params,
            history,
            ..Run::default()
        });
    }
    runs_of(root, db, runs, skipped, input, options)
}

/// One run; `None` when it is in the trash.
fn read_run(dir: &Path, experiment: &str, options: &LoadOptions) -> Result<Option<Run>> {
    let meta = config::read_structured(&dir.join("meta.yaml"))?;
    if yaml_field(&meta, "lifecycle_stage").as_deref() == Some("deleted") {
        return Ok(None);
    }
    let mut params = Flat::new();
    let params_dir = dir.join("params");
    for (key, path) in files_below(&params_dir, &params_dir) {
        let text = super::guard::read_text(&path)?;
        params.insert(key, Value::String(text.trim_end_matches('\n').to_string()));
    }
    let fallback = yaml_field(&meta, "run_id").unwrap_or_default();
    let (condition, seed) = place(&params, experiment, &fallback, options, dir)?;
    let metrics_dir = dir.join("metrics");
    let mut history = Vec::new();
    for (key, path) in files_below(&metrics_dir, &metrics_dir) {
        history.extend(read_metric(&path, &key)?);
    }
    Ok(Some(Run {
        path: dir.to_path_buf(),
        repeat_id: Some(started(
            yaml_field(&meta, "start_time").and_then(|t| t.parse().ok()),
            &fallback,
        )),
        condition,
        seed,
        config_files: vec!["params/".into()],
        config: params,
        history,
        ..Run::default()
    }))
}

/// Files below `dir`, keyed by their `/`-joined path below `base` (metric
/// keys with `/` are stored as nested folders).
fn files_below(dir: &Path, base: &Path) -> Vec<(String, PathBuf)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        match entry.file_type() {
            Ok(t) if t.is_dir() => out.extend(files_below(&path, base)),
            Ok(t) if t.is_file() => {
                let key = path
                    .strip_prefix(base)
                    .map(display_path)
                    .unwrap_or_default();
                out.push((key, path));
            }
            _ => {}
        }
    }
    out.sort();
    out
}

/// One metric file: lines `timestamp value step` (old stores omit the step: 0).
fn read_metric(path: &Path, key: &str) -> Result<Vec<Point>> {
    let text = super::guard::read_text(path)?;
    let mut points = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let bad = || {
            Error::input_at(
                path,
                format!("line {}", i + 1),
                format!("expected `timestamp value step`, found {line:?}"),
            )
        };
        let (value, step) = match fields.as_slice() {
            [_, value] => (*value, "0"),
            [_, value, step] => (*value, *step),
            _ => return Err(bad()),
        };
        let value = value.parse::<f64>().map_err(|_| bad())?;
        let step = super::point::parse_step(step).ok_or_else(bad)?;
        points.push(Point {
            metric: key.to_string(),
            step,
            value: Some(value).filter(|v| v.is_finite()),
        });
    }
    Ok(points)
}
