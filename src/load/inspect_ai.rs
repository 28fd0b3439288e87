//! inspect_ai evaluation logs (DESIGN sections 10 and 12): one log is one
//! evaluation of one model on one task. Parsing only; which logs form a run
//! is [`super::inspect_ai_run`]'s question.
//!
//! What 0.3.285 writes (see `golden/fixtures_inspect_ai.py` and
//! `tests/fixtures/inspect_ai/`): `<log dir>/<created>_<task>_<task id>.eval`,
//! a zip (entries compressed with zstd; deflate in older releases) holding
//! `header.json` (`version`, `status`, `eval`, `results`, `error`, ...),
//! `reductions.json` and one `samples/<id>_epoch_<n>.json` per sample and
//! epoch; or, with `--log-format json`, the same document as one
//! `<created>_<task>_<task id>.json` with `samples` and `reductions` inside.
//! `<created>` is the ISO time with `:` and `+` replaced by `-`
//! (`2026-12-02T07-07-30-00-00`), `<task>` the task name with `_` as `-`.
//!
//! Per-example scores come from `reductions` (inspect's own reduction of a
//! sample's epochs, by the task's `epochs_reducer`, `mean` by default);
//! logs without them are reduced here by the mean over epochs. A score's
//! value is read as inspect's `value_to_float` reads it ("C" 1, "I" 0,
//! "P" 0.5, "N" 0, booleans, numbers); a dict-valued score is one metric
//! per key.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Map, Value};

use super::config::seed_text;
use crate::error::{Error, Result};

/// One evaluation log, as far as xreport reads it.
#[derive(Debug, Clone)]
pub struct Log {
    /// `success`, `error`, `cancelled` or `started`.
    pub status: String,
    /// The first line of the evaluation's error, when it failed.
    pub error: Option<String>,
    pub invalidated: bool,
    pub model: String,
    pub task: String,
    /// When the evaluation started (ISO 8601): orders repeats.
    pub created: String,
    pub eval_id: String,
    /// The generate config's `seed`.
    pub seed: Option<String>,
    /// Settings that could tell conditions apart: `model_args.*`,
    /// `generate.*` (the seed left out) and `task_args.*`.
    pub settings: Map<String, Value>,
    /// Epochs per sample and how inspect reduced them.
    pub epochs: u64,
    pub reducer: String,
    /// Every sample id the evaluation was to score (`eval.dataset.sample_ids`).
    pub sample_ids: Vec<String>,
    /// Per score (`<scorer>`, or `<scorer>.<key>` for a dict value): the
    /// reduced value of every scored sample.
    pub scores: BTreeMap<String, BTreeMap<String, f64>>,
    /// Per score: the results' metrics (`accuracy`, `stderr`, `mean`, ...).
    pub metrics: BTreeMap<String, BTreeMap<String, Option<f64>>>,
}

/// Whether a file name is one inspect_ai gives its logs:
/// `<created>_<task>_<id>.eval` or `.json`, `<created>` starting with a
/// `YYYY-MM-DDTHH-MM-SS` time.
pub fn is_log_name(name: &str) -> bool {
    let Some(stem) = name
        .strip_suffix(".eval")
        .or_else(|| name.strip_suffix(".json"))
    else {
        return false;
    };
    let bytes = stem.as_bytes();
    let shape = b"dddd-dd-ddTdd-dd-dd";
    bytes.len() > shape.len() + 2
        && shape.iter().zip(bytes).all(|(s, b)| match s {
            b'd' => b.is_ascii_digit(),
            other => other == b,
        })
        && stem.matches('_').count() >= 2
}

/// Read an inspect_ai log (`.eval` or `.json`).
pub fn read(path: &Path) -> Result<Log> {
    let is_zip = path.extension().is_some_and(|e| e == "eval");
    let (document, samples) = if is_zip {
        read_zip(path)?
    } else {
        let text = super::guard::read_bytes(path)?;
        let mut document: Document = serde_json::from_slice(&text)
            .map_err(|e| Error::input(path, format!("not an inspect_ai log: {e}")))?;
        let samples = document.samples.take().unwrap_or_default();
        (document, samples)
    };
    log_of(path, document, samples)
}

/// `header.json` and `reductions.json` of a `.eval` zip, and its samples
/// only when it has no reductions.
fn read_zip(path: &Path) -> Result<(Document, Vec<Sample>)> {
    let file = super::guard::open(path)?;
    let mut zip = zip::ZipArchive::new(file)
        .map_err(|e| Error::input(path, format!("not an inspect_ai .eval log (a zip): {e}")))?;
    let mut document: Document = match entry(&mut zip, path, "header.json")? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map_err(|e| Error::input(path, format!("header.json: {e}")))?,
        None => {
            // An evaluation still running (or killed) has only its journal.
            let start = entry(&mut zip, path, "_journal/start.json")?.ok_or_else(|| {
                Error::input(path, "not an inspect_ai log: no header.json in the zip")
            })?;
            let mut started: Document = serde_json::from_slice(&start)
                .map_err(|e| Error::input(path, format!("_journal/start.json: {e}")))?;
            started.status = "started".into();
            started
        }
    };
    if let Some(bytes) = entry(&mut zip, path, "reductions.json")? {
        document.reductions = Some(
            serde_json::from_slice(&bytes)
                .map_err(|e| Error::input(path, format!("reductions.json: {e}")))?,
        );
    }
    let mut samples = Vec::new();
    if document.reductions.is_none() {
        let names: Vec<String> = zip
            .file_names()
            .filter_map(|n| n.ok().map(|n| n.into_owned()))
            .filter(|n| n.starts_with("samples/") && n.ends_with(".json"))
            .collect();
        for name in names {
            if let Some(bytes) = entry(&mut zip, path, &name)? {
                samples.push(
                    serde_json::from_slice(&bytes)
                        .map_err(|e| Error::input(path, format!("{name}: {e}")))?,
                );
            }
        }
    }
    Ok((document, samples))
}

/// The bytes of one zip entry, `None` when the zip has no such entry.
fn entry(
    zip: &mut zip::ZipArchive<std::fs::File>,
    path: &Path,
    name: &str,
) -> Result<Option<Vec<u8>>> {
    let mut file = match zip.by_name(name) {
        Ok(file) => file,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(Error::input(path, format!("{name}: {e}"))),
    };
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| Error::input(path, format!("{name}: {e}")))?;
    Ok(Some(bytes))
}

/// The parts of a log document xreport reads; everything else (events,
/// messages, attachments) is skipped unparsed.
#[derive(Debug, Deserialize)]
struct Document {
    #[serde(default)]
    status: String,
    eval: Eval,
    #[serde(default)]
    error: Option<EvalError>,
    #[serde(default)]
    invalidated: bool,
    #[serde(default)]
    results: Option<Results>,
    #[serde(default)]
    reductions: Option<Vec<Reduction>>,
    #[serde(default)]
    samples: Option<Vec<Sample>>,
}

#[derive(Debug, Deserialize)]
struct Eval {
    task: String,
    model: String,
    #[serde(default)]
    eval_id: String,
    #[serde(default)]
    created: String,
    #[serde(default)]
    task_args: Map<String, Value>,
    #[serde(default)]
    model_args: Map<String, Value>,
    #[serde(default)]
    model_generate_config: Map<String, Value>,
    #[serde(default)]
    config: Map<String, Value>,
    #[serde(default)]
    dataset: Dataset,
}

#[derive(Debug, Default, Deserialize)]
struct Dataset {
    #[serde(default)]
    sample_ids: Option<Vec<Value>>,
}

#[derive(Debug, Deserialize)]
struct EvalError {
    #[serde(default)]
    message: String,
}

#[derive(Debug, Deserialize)]
struct Results {
    #[serde(default)]
    scores: Vec<EvalScore>,
}

#[derive(Debug, Deserialize)]
struct EvalScore {
    name: String,
    scorer: String,
    #[serde(default)]
    metrics: BTreeMap<String, EvalMetric>,
}

#[derive(Debug, Deserialize)]
struct EvalMetric {
    value: Value,
}

#[derive(Debug, Deserialize)]
struct Reduction {
    scorer: String,
    #[serde(default)]
    samples: Vec<Reduced>,
}

#[derive(Debug, Deserialize)]
struct Reduced {
    value: Value,
    sample_id: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct Sample {
    id: Value,
    #[serde(default)]
    scores: Option<BTreeMap<String, SampleScore>>,
    #[serde(default)]
    error: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
struct SampleScore {
    value: Value,
}

fn log_of(path: &Path, document: Document, samples: Vec<Sample>) -> Result<Log> {
    let eval = document.eval;
    let mut settings = Map::new();
    for (prefix, part) in [
        ("model_args", &eval.model_args),
        ("generate", &eval.model_generate_config),
        ("task_args", &eval.task_args),
    ] {
        for (key, value) in part {
            if !(value.is_null() || prefix == "generate" && key == "seed") {
                settings.insert(format!("{prefix}.{key}"), value.clone());
            }
        }
    }
    let mut log = Log {
        status: document.status,
        error: document
            .error
            .map(|e| e.message.lines().next().unwrap_or_default().to_string()),
        invalidated: document.invalidated,
        model: eval.model,
        task: eval.task,
        created: eval.created,
        eval_id: eval.eval_id,
        seed: eval.model_generate_config.get("seed").and_then(seed_text),
        settings,
        epochs: eval
            .config
            .get("epochs")
            .and_then(Value::as_u64)
            .unwrap_or(1),
        reducer: match eval.config.get("epochs_reducer") {
            Some(Value::Array(names)) => names
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            _ => "mean".into(),
        },
        sample_ids: eval
            .dataset
            .sample_ids
            .unwrap_or_default()
            .iter()
            .map(id_text)
            .collect(),
        scores: BTreeMap::new(),
        metrics: BTreeMap::new(),
    };
    for score in document.results.map(|r| r.scores).unwrap_or_default() {
        let name = score_name(&score.scorer, &score.name);
        let metrics = score
            .metrics
            .into_iter()
            .map(|(metric, m)| (metric, m.value.as_f64().filter(|v| v.is_finite())))
            .collect();
        log.metrics.insert(name, metrics);
    }
    match document.reductions {
        Some(reductions) => {
            for (i, reduction) in reductions.into_iter().enumerate() {
                for (j, reduced) in reduction.samples.into_iter().enumerate() {
                    let at = format!("reductions[{i}].samples[{j}]");
                    let id = reduced
                        .sample_id
                        .as_ref()
                        .map(id_text)
                        .ok_or_else(|| Error::input(path, format!("{at}: no sample_id")))?;
                    for (name, value) in values(&reduction.scorer, &reduced.value, path, &at)? {
                        log.scores
                            .entry(name)
                            .or_default()
                            .insert(id.clone(), value);
                    }
                }
            }
        }
        None => reduce_by_mean(&mut log, samples, path)?,
    }
    Ok(log)
}

/// Scores of logs without `reductions`: each sample's mean over its epochs
/// (inspect's default reducer); samples with an error are left unscored.
fn reduce_by_mean(log: &mut Log, samples: Vec<Sample>, path: &Path) -> Result<()> {
    let mut sums: BTreeMap<String, BTreeMap<String, (f64, usize)>> = BTreeMap::new();
    for (i, sample) in samples.into_iter().enumerate() {
        if sample.error.is_some() {
            continue;
        }
        let id = id_text(&sample.id);
        for (scorer, score) in sample.scores.unwrap_or_default() {
            let at = format!("samples[{i}].scores.{scorer}.value");
            for (name, value) in values(&scorer, &score.value, path, &at)? {
                let sum = sums.entry(name).or_default().entry(id.clone()).or_default();
                sum.0 += value;
                sum.1 += 1;
            }
        }
    }
    for (name, by_id) in sums {
        let reduced = by_id
            .into_iter()
            .map(|(id, (sum, n))| (id, sum / n as f64))
            .collect();
        log.scores.insert(name, reduced);
    }
    Ok(())
}

/// A score's value (a number, a letter grade, or a dict of them) as
/// (score name, number) pairs.
fn values(scorer: &str, value: &Value, path: &Path, at: &str) -> Result<Vec<(String, f64)>> {
    match value {
        Value::Object(parts) => parts
            .iter()
            .map(|(key, v)| {
                let number = value_to_float(v)
                    .ok_or_else(|| not_a_score(path, &format!("{at}.{key}"), v))?;
                Ok((score_name(scorer, key), number))
            })
            .collect(),
        other => {
            let number = value_to_float(other).ok_or_else(|| not_a_score(path, at, other))?;
            Ok(vec![(scorer.to_string(), number)])
        }
    }
}

fn not_a_score(path: &Path, at: &str, value: &Value) -> Error {
    Error::input(
        path,
        format!(
            "{at}: {value} is not a score inspect_ai can average (a number, a boolean, or C/I/P/N)"
        ),
    )
}

/// inspect_ai's `value_to_float`: numbers, booleans, the grades C (correct),
/// I (incorrect), P (partial), N (no answer), yes/no, true/false and
/// numeric text. `None` for anything else (a list, an unknown word).
fn value_to_float(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64().filter(|v| v.is_finite()),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        Value::String(s) => match s.as_str() {
            "C" => Some(1.0),
            "I" | "N" => Some(0.0),
            "P" => Some(0.5),
            other => match other.to_lowercase().as_str() {
                "yes" | "true" => Some(1.0),
                "no" | "false" => Some(0.0),
                numeric => numeric.parse::<f64>().ok().filter(|v| v.is_finite()),
            },
        },
        _ => None,
    }
}

/// `match` for a scorer's own score, `graded.correct` for one key of a
/// dict-valued scorer.
fn score_name(scorer: &str, name: &str) -> String {
    if scorer == name {
        scorer.to_string()
    } else {
        format!("{scorer}.{name}")
    }
}

/// A sample id (text or integer) as text.
fn id_text(id: &Value) -> String {
    match id {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_names() {
        assert!(is_log_name(
            "2026-12-02T07-07-30-00-00_xr-qa_DoVhuboxK8oTT3u3Aiaysh.eval"
        ));
        assert!(is_log_name(
            "2024-05-29T12-38-43-04-00_theory-of-mind_Za3XfbYaTmK3yXkL9Zn6XG.json"
        ));
        assert!(!is_log_name("results_2026-12-02T01-44-39.811533.json"));
        assert!(!is_log_name("2026-12-02T07-07-30.json"));
        assert!(!is_log_name("metrics.json"));
    }

    /// The JSON logs of tests/fixtures/inspect_ai (written by inspect_ai).
    fn json_logs() -> Vec<std::path::PathBuf> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/inspect_ai");
        let mut found = Vec::new();
        for folder in ["logs_json", "flaky"] {
            for entry in std::fs::read_dir(root.join(folder)).expect("fixtures") {
                let path = entry.expect("entry").path();
                if path.extension().is_some_and(|e| e == "json") {
                    found.push(path);
                }
            }
        }
        assert_eq!(found.len(), 2, "{found:?}");
        found
    }

    #[test]
    fn the_mean_over_epochs_is_inspects_own_reduction() {
        // Logs without `reductions` are reduced here; on real logs that
        // have them, both ways give the same scores (errored samples left
        // out by both).
        for path in json_logs() {
            let text = std::fs::read(&path).expect("read");
            let mut with: Document = serde_json::from_slice(&text).expect("parse");
            let samples = with.samples.take().unwrap_or_default();
            let reduced = log_of(&path, with, Vec::new()).expect("log");
            let mut without: Document = serde_json::from_slice(&text).expect("parse");
            without.reductions = None;
            let samples_again = without.samples.take().unwrap_or_default();
            assert_eq!(samples.len(), samples_again.len());
            let computed = log_of(&path, without, samples_again).expect("log");
            assert_eq!(reduced.scores.len(), 3, "{:?}", reduced.scores.keys());
            assert_eq!(reduced.scores, computed.scores, "{}", path.display());
        }
    }

    #[test]
    fn grades_read_as_inspect_reads_them() {
        let read = |v: Value| value_to_float(&v);
        assert_eq!(read("C".into()), Some(1.0));
        assert_eq!(read("I".into()), Some(0.0));
        assert_eq!(read("P".into()), Some(0.5));
        assert_eq!(read("N".into()), Some(0.0));
        assert_eq!(read(true.into()), Some(1.0));
        assert_eq!(read("0.25".into()), Some(0.25));
        assert_eq!(read(3.into()), Some(3.0));
        assert_eq!(read("maybe".into()), None);
        assert_eq!(read(Value::Array(vec![])), None);
    }
}
