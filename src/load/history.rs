//! Training histories kept in a run folder (DESIGN section 2): the Hugging
//! Face `trainer_state.json` (`log_history`), Lightning's `metrics.csv`
//! (CSVLogger: one row per logging call, sparse columns), W&B history CSV
//! exports (`history.csv`, `wandb-history.csv`) and TensorBoard
//! event files ([`tensorboard`]). Each becomes
//! points (metric, step, value) of the run; the tidy table carries the step.

use std::path::Path;

use serde_json::Value;

use super::json;
use super::point::{Point, parse_step};
use super::probe;
use super::table::{NotANumber, parse_value};
use super::tensorboard;
use crate::error::{Error, Result};

/// Hugging Face Trainer state, written beside checkpoints and in the output folder.
pub const TRAINER_STATE: &str = "trainer_state.json";
/// Lightning `CSVLogger` output.
pub const LIGHTNING_CSV: &str = "metrics.csv";
/// A W&B run history exported as CSV (`run.history().to_csv(...)`, or the UI's export).
pub const WANDB_CSVS: &[&str] = &["wandb-history.csv", "wandb_history.csv", "history.csv"];

/// Keys of a log entry that index it rather than measure anything.
const INDEX_KEYS: &[&str] = &["step", "epoch", "total_flos"];

/// Whether `dir` holds a history file we read.
pub fn has_history(dir: &Path) -> bool {
    probe::is_file(&dir.join(TRAINER_STATE))
        || probe::is_file(&dir.join(LIGHTNING_CSV))
        || WANDB_CSVS.iter().any(|n| probe::is_file(&dir.join(n)))
        || !tensorboard::event_files(dir).is_empty()
}

/// Every history point of the run folder `dir`, file by file.
pub fn read(dir: &Path) -> Result<Vec<Point>> {
    let mut points = Vec::new();
    let trainer = dir.join(TRAINER_STATE);
    if probe::is_file(&trainer) {
        points.extend(read_trainer_state(&trainer)?);
    }
    let lightning = dir.join(LIGHTNING_CSV);
    if probe::is_file(&lightning) {
        points.extend(read_step_csv(&lightning, Logger::Lightning)?);
    }
    for name in WANDB_CSVS {
        let wandb = dir.join(name);
        if probe::is_file(&wandb) {
            points.extend(read_step_csv(&wandb, Logger::Wandb)?);
        }
    }
    for events in tensorboard::event_files(dir) {
        points.extend(tensorboard::read(&events)?);
    }
    Ok(points)
}

/// `log_history` of a Hugging Face `trainer_state.json`: a list of objects,
/// each with its `step` and the values logged then (`loss`, `eval_loss`,
/// `learning_rate`, ...). `epoch` and `total_flos` are not metrics.
pub fn read_trainer_state(path: &Path) -> Result<Vec<Point>> {
    let text = super::guard::read_text(path)?;
    let doc = json::parse(path, &text)?;
    let Some(entries) = doc.get("log_history") else {
        return Err(Error::input_at(
            path,
            "$.log_history",
            "no `log_history`: expected the Hugging Face Trainer state",
        ));
    };
    let entries = entries.as_array().ok_or_else(|| {
        Error::input_at(path, "$.log_history", "expected a list of logged entries")
    })?;
    let mut points = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = format!("$.log_history[{i}]");
        let object = entry
            .as_object()
            .ok_or_else(|| Error::input_at(path, &at, "expected an object"))?;
        let step = object
            .get("step")
            .and_then(Value::as_f64)
            .and_then(|s| parse_step(&s.to_string()))
            .ok_or_else(|| {
                Error::input_at(
                    path,
                    format!("{at}.step"),
                    "expected the whole-number `step` of the entry",
                )
            })?;
        for (key, value) in object {
            if INDEX_KEYS.contains(&key.as_str()) {
                continue;
            }
            let value = match value {
                Value::Number(n) => n.as_f64().filter(|v| v.is_finite()),
                Value::Null => None,
                _ => continue,
            };
            points.push(Point {
                metric: key.clone(),
                step,
                value,
            });
        }
    }
    Ok(points)
}

/// The logger that wrote a sparse history CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Logger {
    /// Lightning's `metrics.csv`: `step` (and `epoch`) and one column per logged name.
    Lightning,
    /// W&B history: `_step`, W&B's own `_runtime`/`_timestamp`/`_wandb`
    /// columns (skipped, like every `_` column), a blank-named pandas index
    /// column (skipped), and one column per logged name.
    Wandb,
}

impl Logger {
    fn step_column(self) -> &'static str {
        match self {
            Logger::Lightning => "step",
            Logger::Wandb => "_step",
        }
    }

    fn is_metric(self, column: &str) -> bool {
        match self {
            Logger::Lightning => !INDEX_KEYS.contains(&column),
            Logger::Wandb => !column.is_empty() && !column.starts_with('_'),
        }
    }
}

/// A CSV reader positioned after its header, and the header; errors name the file.
pub fn open_csv(path: &Path) -> Result<(csv::Reader<std::fs::File>, csv::StringRecord)> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(super::guard::open(path)?);
    let header = reader
        .headers()
        .map_err(|e| Error::input_at(path, "line 1", format!("cannot read the header: {e}")))?
        .clone();
    Ok((reader, header))
}

/// A sparse history CSV: one row per logging call, empty where a row did not
/// log a name (not a missing value); `nan` is a missing value.
pub fn read_step_csv(path: &Path, logger: Logger) -> Result<Vec<Point>> {
    let (mut reader, header) = open_csv(path)?;
    let step_column = logger.step_column();
    let step_index = header
        .iter()
        .position(|h| h == step_column)
        .ok_or_else(|| {
            Error::input_at(
                path,
                "line 1",
                format!(
                    "no `{step_column}` column: expected a history with one row per logged step"
                ),
            )
        })?;
    let mut points = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let line = format!("line {}", row + 2);
        let record = record.map_err(|e| Error::input_at(path, &line, e.to_string()))?;
        let step_text = record.get(step_index).unwrap_or("").trim();
        let step = parse_step(step_text).ok_or_else(|| {
            Error::input_at(
                path,
                &line,
                format!("`{step_column}` is not a whole number: {step_text:?}"),
            )
        })?;
        for (i, name) in header.iter().enumerate() {
            if i == step_index || !logger.is_metric(name) {
                continue;
            }
            let cell = record.get(i).unwrap_or("");
            // An empty cell: this row did not log the metric (not a missing value).
            if cell.trim().is_empty() {
                continue;
            }
            let value = parse_value(Some(cell)).map_err(|NotANumber| {
                Error::input_at(
                    path,
                    &line,
                    format!("non-numeric value {cell:?} in column `{name}`"),
                )
            })?;
            points.push(Point {
                metric: name.to_string(),
                step,
                value,
            });
        }
    }
    Ok(points)
}
