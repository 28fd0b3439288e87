//! A Weights & Biases run folder: `wandb/run-<date>_<time>-<id>/` or
//! `wandb/offline-run-<date>_<time>-<id>/` (DESIGN section 10).
//!
//! What is on disk depends on the version and on the mode. Online runs
//! get `files/config.yaml` (each key as `{desc: …, value: …}`) and
//! `files/wandb-summary.json` when they finish; offline, wandb 0.17 writes a
//! summary that holds only `{"_wandb": {"runtime": 0}}` and no config file,
//! and wandb 0.31 writes neither, nor `wandb-metadata.json`. The history is
//! not in `files/` at all in current versions. So the files are read first,
//! and the run's `.wandb` log ([`wandb_log`]) fills whatever they lack.

use std::path::Path;

use serde_json::Value;

use super::generated::wandb_run_id;
use super::history::{self, Logger};
use super::json::{self, Flat};
use super::point::Point;
use super::wandb_log::{self, config_flat, push_numbers};
use crate::error::{Error, Result};

const CONFIG: &str = "files/config.yaml";
const SUMMARY: &str = "files/wandb-summary.json";
const METADATA: &str = "files/wandb-metadata.json";
/// The history as wandb versions before 0.10 kept it: one JSON object a row.
const HISTORY: &str = "files/wandb-history.jsonl";

/// What a W&B run folder holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WandbRun {
    /// The run id, from the folder name.
    pub id: String,
    /// The config as the user set it: `{value: …}` unwrapped, `_wandb` dropped, flattened with `.`.
    pub config: Flat,
    /// The summary, flattened, raw JSON values: the caller decides metrics and metadata.
    pub summary: Flat,
    /// `files/wandb-metadata.json`, flattened.
    pub metadata: Flat,
    pub history: Vec<Point>,
    /// files read, relative to the run folder, e.g. `files/config.yaml`
    pub files: Vec<String>,
    /// sentences for the user, e.g. the log was cut short at byte N
    pub notes: Vec<String>,
}

/// Whether `dir` is a W&B run folder: named `run-<date>_<time>-<id>` or `offline-run-<date>_<time>-<id>`, holding `files/` or a `run-<id>.wandb` log.
pub fn is_run_dir(dir: &Path) -> bool {
    let Some(id) = dir
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(wandb_run_id)
    else {
        return false;
    };
    dir.join("files").is_dir() || dir.join(log_name(id)).is_file()
}

/// The W&B run folder of `dir` when `dir` is that run's `files/` folder
/// (DESIGN 10: "a run is `files/` under `wandb/run-*`"), given directly.
pub fn run_of_files(dir: &Path) -> Option<&Path> {
    dir.parent()
        .filter(|run| dir.file_name().is_some_and(|n| n == "files") && is_run_dir(run))
}

/// Whether a W&B run folder holds anything to read: a summary, a history
/// file or its `.wandb` log. One without is a failed run, listed as skipped.
pub fn has_data(dir: &Path) -> bool {
    let id = dir
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(wandb_run_id);
    id.is_some_and(|id| dir.join(log_name(id)).is_file())
        || dir.join(SUMMARY).is_file()
        || dir.join(HISTORY).is_file()
        || ["", "files/"].iter().any(|folder| {
            history::WANDB_CSVS
                .iter()
                .any(|csv| dir.join(format!("{folder}{csv}")).is_file())
        })
}

fn log_name(id: &str) -> String {
    format!("run-{id}.wandb")
}

/// Read a W&B run folder (see [`is_run_dir`]).
pub fn read(dir: &Path) -> Result<WandbRun> {
    let name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let id = wandb_run_id(name).ok_or_else(|| {
        Error::input(
            dir,
            "not a W&B run folder: expected a name like run-20261201_203001-<id> \
             or offline-run-20261201_203001-<id>",
        )
    })?;
    let mut run = WandbRun {
        id: id.to_string(),
        ..WandbRun::default()
    };
    let config = dir.join(CONFIG);
    let has_config = config.is_file();
    if has_config {
        run.config = read_config_yaml(&config)?;
        run.files.push(CONFIG.into());
    }
    let summary = dir.join(SUMMARY);
    if summary.is_file() {
        run.summary = json::flatten(&json::read_object(&summary)?);
        run.files.push(SUMMARY.into());
    }
    let metadata = dir.join(METADATA);
    if metadata.is_file() {
        run.metadata = json::flatten(&json::read_object(&metadata)?);
        run.files.push(METADATA.into());
    }
    let jsonl = dir.join(HISTORY);
    if jsonl.is_file() {
        run.history = read_history_jsonl(&jsonl)?;
        run.files.push(HISTORY.into());
    }
    for folder in ["", "files/"] {
        for csv in history::WANDB_CSVS {
            let relative = format!("{folder}{csv}");
            let path = dir.join(&relative);
            if path.is_file() {
                run.history
                    .extend(history::read_step_csv(&path, Logger::Wandb)?);
                run.files.push(relative);
            }
        }
    }
    // No summary file, or offline wandb's `{"_wandb": {"runtime": 0}}`.
    let no_user_summary = !run.summary.keys().any(|k| !k.starts_with('_'));
    let log = dir.join(log_name(id));
    if log.is_file() && (!has_config || no_user_summary || run.history.is_empty()) {
        fill_from_log(&mut run, &log, has_config, no_user_summary)?;
    }
    if run.files.is_empty() {
        return Err(Error::input(
            dir,
            format!(
                "a W&B run folder with no {CONFIG}, {SUMMARY}, {METADATA}, history \
                 nor {} log; found {}",
                log_name(id),
                found(dir)
            ),
        ));
    }
    Ok(run)
}

/// Take from the log what the files lack: the config when there is no
/// config.yaml, the summary when the file holds only W&B's own `_` keys (the
/// log's values win), the history when no history file was read.
fn fill_from_log(
    run: &mut WandbRun,
    path: &Path,
    has_config: bool,
    no_user_summary: bool,
) -> Result<()> {
    let log = wandb_log::read_log(path)?;
    let name = log_name(&run.id);
    if !has_config {
        run.config = log.config;
    }
    // The W&B group and job type are settings the user chose per run, and
    // often name the condition (`wandb.init(group="baseline")`).
    for (key, value) in [("group", log.group), ("job_type", log.job_type)] {
        if let Some(value) = value {
            run.config
                .entry(key.to_string())
                .or_insert(Value::String(value));
        }
    }
    // Offline runs write a summary file holding only W&B's own keys: the
    // log's summary is the run's.
    if no_user_summary {
        run.summary.extend(log.summary);
    }
    if run.history.is_empty() {
        run.history = log.history;
    }
    if let Some(offset) = log.truncated_at {
        run.notes.push(format!(
            "{name} is cut short: what follows byte {offset} is an incomplete record \
             (the run was killed or is still running); the records before it are read"
        ));
    }
    run.files.push(name);
    Ok(())
}

/// `files/config.yaml`: `wandb_version: 1`, then each key as
/// `{desc: …, value: …}`, with W&B's own `_wandb` entry.
fn read_config_yaml(path: &Path) -> Result<Flat> {
    match super::config::read_structured(path)? {
        Value::Object(map) => Ok(config_flat(map)),
        Value::Null => Ok(Flat::new()),
        other => Err(Error::input_at(
            path,
            "$",
            format!(
                "expected a mapping of settings, found {}",
                json::kind_of(&other)
            ),
        )),
    }
}

/// `wandb-history.jsonl`: one object a row, its step in `_step`; its values
/// read as the log's history rows are.
fn read_history_jsonl(path: &Path) -> Result<Vec<Point>> {
    let text = super::guard::read_text(path)?;
    let mut points = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("line {}", i + 1);
        let row = json::parse(path, line)
            .map_err(|_| Error::input_at(path, at(), "malformed JSON: expected one history row"))?;
        let Value::Object(row) = row else {
            return Err(Error::input_at(path, at(), "expected a history row object"));
        };
        let step = row
            .get("_step")
            .and_then(|s| s.as_i64())
            .ok_or_else(|| Error::input_at(path, at(), "no whole-number `_step`"))?;
        for (key, value) in &row {
            if !key.starts_with('_') {
                push_numbers(&mut points, key.clone(), step, value);
            }
        }
    }
    Ok(points)
}

/// What a folder holds, for an error message: `files/requirements.txt, logs/`.
fn found(dir: &Path) -> String {
    let mut names = Vec::new();
    for sub in ["", "files"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let name = entry.file_name().to_string_lossy().into_owned();
            let slash = if entry.path().is_dir() { "/" } else { "" };
            if sub.is_empty() && name == "files" {
                continue;
            }
            let prefix = if sub.is_empty() {
                String::new()
            } else {
                format!("{sub}/")
            };
            names.push(format!("{prefix}{name}{slash}"));
        }
    }
    names.sort();
    if names.is_empty() {
        "nothing in it".into()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use serde_json::json;

    use super::*;

    const VERSIONS: [&str; 2] = ["v0_17", "v0_31"];

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/wandb")
    }

    /// The run folders wandb `version` wrote (not the `latest-run` symlink).
    fn run_dirs(version: &str) -> Vec<PathBuf> {
        let mut dirs: Vec<_> = std::fs::read_dir(fixtures().join(version).join("wandb"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| is_run_dir(p))
            .collect();
        dirs.sort();
        dirs
    }

    fn expected() -> Value {
        let text = std::fs::read_to_string(fixtures().join("expected.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn only_named_folders_with_files_or_a_log_are_run_dirs() {
        assert_eq!(run_dirs("v0_17").len(), 6);
        assert_eq!(run_dirs("v0_31").len(), 6);
        let tmp = tempfile::tempdir().unwrap();
        let named = tmp.path().join("run-20261201_203001-abc");
        std::fs::create_dir(&named).unwrap();
        assert!(!is_run_dir(&named));
        std::fs::write(named.join("run-abc.wandb"), b"").unwrap();
        assert!(is_run_dir(&named));
        let other = tmp.path().join("seed_1");
        std::fs::create_dir_all(other.join("files")).unwrap();
        assert!(!is_run_dir(&other));
        assert!(!is_run_dir(
            &fixtures().join("v0_31/wandb/latest-run/files")
        ));
    }

    #[test]
    fn runs_written_by_both_wandb_versions_read_as_expected() {
        let expected = expected();
        for version in VERSIONS {
            for dir in run_dirs(version) {
                let run = read(&dir).unwrap();
                let want = &expected[version][&run.id];
                let at = format!("{version} {}", run.id);
                assert_eq!(run.config["model"], want["model"], "{at}");
                assert_eq!(run.config["seed"], want["seed"], "{at}");
                assert_eq!(run.config["optim.lr"], json!(0.001), "{at}");
                let keys: Vec<_> = run.config.keys().map(String::as_str).collect();
                assert_eq!(keys, ["model", "optim.lr", "seed"], "{at}");
                for metric in ["eval/accuracy", "eval/loss"] {
                    assert_eq!(run.summary[metric], want[metric], "{at} {metric}");
                }
                let loss: Vec<_> = run
                    .history
                    .iter()
                    .filter(|p| p.metric == "train/loss")
                    .map(|p| json!([p.step, p.value.unwrap()]))
                    .collect();
                assert_eq!(Value::Array(loss), want["train/loss"], "{at}");
                let accuracy: Vec<_> = run
                    .history
                    .iter()
                    .filter(|p| p.metric != "train/loss")
                    .map(|p| (p.metric.as_str(), p.step, p.value))
                    .collect();
                assert_eq!(
                    accuracy,
                    [("eval/accuracy", 5, want["eval/accuracy"].as_f64())],
                    "{at}"
                );
                if let Some(chars) = want.get("notes_chars") {
                    let notes = run.summary["notes"].as_str().unwrap();
                    assert_eq!(Some(notes.len() as u64), chars.as_u64(), "{at}");
                }
            }
        }
    }

    #[test]
    fn each_version_reads_what_it_wrote_and_takes_the_summary_from_the_log() {
        let run = read(&run_dirs("v0_17")[0]).unwrap();
        assert_eq!(
            run.files,
            [SUMMARY, METADATA, "run-basel001.wandb"],
            "0.17 writes the summary placeholder and the metadata"
        );
        assert_eq!(run.metadata["python"], json!("3.11.7"));
        assert!(run.notes.is_empty(), "{:?}", run.notes);
        assert_eq!(run.summary["eval/accuracy"], json!(0.765625));
        let run = read(&run_dirs("v0_31")[0]).unwrap();
        assert_eq!(
            run.files,
            ["run-basel001.wandb"],
            "0.31 keeps everything in the log"
        );
        assert!(run.metadata.is_empty());
        assert!(run.notes.is_empty(), "{:?}", run.notes);
        assert_eq!(run.summary["_wandb.runtime"], json!(0));
    }

    /// A copy of a real run folder in a tempdir.
    fn copy_run(version: &str) -> (tempfile::TempDir, PathBuf) {
        let from = &run_dirs(version)[0];
        let tmp = tempfile::tempdir().unwrap();
        let to = tmp.path().join(from.file_name().unwrap());
        std::fs::create_dir_all(to.join("files")).unwrap();
        for name in ["run-basel001.wandb", SUMMARY, METADATA] {
            if from.join(name).is_file() {
                std::fs::copy(from.join(name), to.join(name)).unwrap();
            }
        }
        (tmp, to)
    }

    #[test]
    fn a_run_whose_log_is_cut_short_gives_the_rows_before_the_cut_and_a_note() {
        let (_tmp, dir) = copy_run("v0_31");
        let log = dir.join("run-basel001.wandb");
        let bytes = std::fs::read(&log).unwrap();
        std::fs::write(&log, &bytes[..bytes.len() / 2]).unwrap();
        let run = read(&dir).unwrap();
        assert!(run.config.contains_key("model"));
        let steps: Vec<_> = run.history.iter().map(|p| p.step).collect();
        assert!(!steps.is_empty() && steps.len() < 6, "{steps:?}");
        assert_eq!(run.notes.len(), 1);
        assert!(
            run.notes[0].starts_with("run-basel001.wandb is cut short: what follows byte "),
            "{:?}",
            run.notes
        );
        assert!(!run.summary.contains_key("eval/accuracy"));
    }

    #[test]
    fn config_yaml_in_the_value_form_is_unwrapped_and_the_log_fills_the_rest() {
        let (_tmp, dir) = copy_run("v0_17");
        std::fs::write(
            dir.join(CONFIG),
            "wandb_version: 1\n\n_wandb:\n  desc: null\n  value:\n    python_version: 3.11.7\n\
             model:\n  desc: null\n  value: treatment\noptim:\n  desc: Optimiser\n  value:\n    lr: 0.01\n\
             seed:\n  desc: null\n  value: 7\n",
        )
        .unwrap();
        let run = read(&dir).unwrap();
        assert_eq!(run.files, [CONFIG, SUMMARY, METADATA, "run-basel001.wandb"]);
        let config: Vec<_> = run
            .config
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        assert_eq!(
            config,
            [
                ("model", json!("treatment")),
                ("optim.lr", json!(0.01)),
                ("seed", json!(7))
            ],
            "config.yaml wins over the log"
        );
        assert_eq!(run.summary["eval/accuracy"], json!(0.765625));
    }

    #[test]
    fn a_complete_summary_and_a_history_file_leave_the_log_unread() {
        let (_tmp, dir) = copy_run("v0_31");
        std::fs::write(dir.join(CONFIG), "wandb_version: 1\nseed:\n  value: 2\n").unwrap();
        std::fs::write(dir.join(SUMMARY), r#"{"acc": NaN, "_runtime": 3}"#).unwrap();
        std::fs::write(
            dir.join(HISTORY),
            "{\"_step\": 0, \"loss\": 0.5, \"_runtime\": 1, \"img\": {\"_type\": \"image-file\"}}\n\
             {\"_step\": 1, \"loss\": NaN, \"val\": {\"acc\": 0.25}}\n",
        )
        .unwrap();
        let run = read(&dir).unwrap();
        assert_eq!(run.files, [CONFIG, SUMMARY, HISTORY]);
        assert_eq!(run.summary["acc"], Value::Null);
        let points: Vec<_> = run
            .history
            .iter()
            .map(|p| (p.metric.as_str(), p.step, p.value))
            .collect();
        assert_eq!(
            points,
            [
                ("loss", 0, Some(0.5)),
                ("loss", 1, None),
                ("val.acc", 1, Some(0.25))
            ]
        );
    }

    #[test]
    fn a_run_folder_with_neither_files_nor_a_log_says_what_it_holds() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("offline-run-20261201_203001-abc");
        std::fs::create_dir_all(dir.join("files")).unwrap();
        std::fs::create_dir_all(dir.join("logs")).unwrap();
        std::fs::write(dir.join("files/requirements.txt"), "wandb==0.31.0\n").unwrap();
        let err = read(&dir).unwrap_err().to_string();
        assert!(err.contains("no files/config.yaml"), "{err}");
        assert!(
            err.ends_with("found files/requirements.txt, logs/"),
            "{err}"
        );
        let err = read(tmp.path()).unwrap_err().to_string();
        assert!(err.contains("not a W&B run folder"), "{err}");
    }

    #[test]
    fn a_corrupt_log_in_a_run_is_an_error_naming_the_log_and_byte() {
        let (_tmp, dir) = copy_run("v0_31");
        let log = dir.join("run-basel001.wandb");
        let mut bytes = std::fs::read(&log).unwrap();
        bytes[20] ^= 1;
        std::fs::write(&log, &bytes).unwrap();
        let err = read(&dir).unwrap_err().to_string();
        assert!(
            err.contains("run-basel001.wandb:byte 7: checksum mismatch"),
            "{err}"
        );
    }
}
