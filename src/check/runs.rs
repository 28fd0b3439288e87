//! Runs: failed ones listed, and test metrics not watched during training.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::keys::names_split;
use super::kit::{Context, Finding, Level, Rule, plural};
use crate::load::{display_path, tidy};

const FAILED: Rule = Rule {
    id: "runs.failed",
    level: Level::Fail,
    fix: "rerun the failed runs, or delete them and say in the paper how many runs failed and why",
};

const TEST_ONCE: Rule = Rule {
    id: "test.once",
    level: Level::Fail,
    fix: "select checkpoints on the dev/validation split; evaluate on the test split once, at the end",
};

/// Runs without results are listed, never dropped silently; so are runs
/// whose results hold null, NaN or ±inf (a diverged or crashed run).
pub fn failed(ctx: &Context) -> Finding {
    let mut evidence: Vec<String> = ctx
        .study
        .skipped
        .iter()
        .map(|s| format!("{}: {}", s.path, s.reason))
        .collect();
    for run in ctx.all_runs() {
        let missing: Vec<String> = run
            .metrics
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.clone())
            .collect();
        if !missing.is_empty() {
            evidence.push(format!(
                "{}: {} null, NaN or infinite (diverged?)",
                display_path(&run.path),
                missing.join(", ")
            ));
        }
    }
    if evidence.is_empty() {
        return FAILED.pass("no failed, unreadable or diverged runs", Vec::new());
    }
    FAILED.trip(
        format!(
            "{} without usable results (not counted)",
            plural(evidence.len(), "run")
        ),
        evidence,
    )
}

/// Whether a metric name is a test metric (`test/wer`, `test_acc`, `test.wer`, `eval_test_loss`).
fn is_test_metric(name: &str) -> bool {
    names_split(name, &["test"])
}

/// History files in a run folder (a few levels deep): logs, Lightning
/// `metrics.csv`, HF `trainer_state.json`.
fn history_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if path.is_dir() {
            if depth > 0 && !name.starts_with('.') {
                history_files(&path, depth - 1, out);
            }
        } else if name.ends_with(".log") || name == "metrics.csv" || name == "trainer_state.json" {
            out.push(path);
        }
    }
}

/// The metric name of a logged value: `key=1.2`, `key:1.2`, or `key` followed
/// by a number. Names need a separator (`test/wer`, `test_acc`), so a
/// dataset name such as `test-clean` in a log line is not a metric.
fn logged_metric<'a>(token: &'a str, next: Option<&str>) -> Option<&'a str> {
    let is_number = |t: &str| t.trim_end_matches(['%', ';']).parse::<f64>().is_ok();
    let (key, value) = match token.split_once(['=', ':']) {
        Some((k, v)) if !v.is_empty() => (k, Some(v)),
        _ => (token.trim_end_matches([':', '=']), next),
    };
    let named = key.contains(['/', '_', '.']);
    (named && value.is_some_and(is_number)).then_some(key)
}

/// Test metric names logged more than once in one history file.
fn repeated_test_metrics(path: &Path) -> Vec<(String, usize)> {
    let Ok(text) = crate::load::guard::read_text(path) else {
        return Vec::new();
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    if name == "trainer_state.json" {
        let history = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v.get("log_history").cloned());
        if let Some(serde_json::Value::Array(entries)) = history {
            for entry in entries {
                if let serde_json::Value::Object(map) = entry {
                    for key in map.keys().filter(|k| is_test_metric(k)) {
                        *counts.entry(key.clone()).or_default() += 1;
                    }
                }
            }
        }
    } else if name == "metrics.csv" {
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
        for line in lines {
            for (column, cell) in header.iter().zip(line.split(',')) {
                if is_test_metric(column) && !cell.trim().is_empty() {
                    *counts.entry(column.to_string()).or_default() += 1;
                }
            }
        }
    } else {
        for line in text.lines() {
            let mut seen_here: Vec<&str> = Vec::new();
            let tokens: Vec<&str> = line
                .split(|c: char| c.is_whitespace() || c == '|' || c == ',')
                .filter(|t| !t.is_empty())
                .collect();
            for (i, token) in tokens.iter().enumerate() {
                if let Some(key) = logged_metric(token, tokens.get(i + 1).copied())
                    && is_test_metric(key)
                    && !seen_here.contains(&key)
                {
                    seen_here.push(key);
                }
            }
            for key in seen_here {
                *counts.entry(key.to_string()).or_default() += 1;
            }
        }
    }
    counts.into_iter().filter(|(_, n)| *n > 1).collect()
}

/// Test metrics are not logged repeatedly during training (histories in the
/// run folders, or several steps of a test metric in a table).
pub fn test_once(ctx: &Context) -> Finding {
    let mut files = Vec::new();
    let folders = ctx
        .all_runs()
        .map(|r| r.path.clone())
        .chain(ctx.study.skipped.iter().map(|s| PathBuf::from(&s.path)));
    for dir in folders {
        if dir.is_dir() {
            history_files(&dir, 2, &mut files);
        }
    }
    let mut evidence = Vec::new();
    for file in &files {
        for (metric, n) in repeated_test_metrics(file) {
            evidence.push(format!("{}: {metric} logged {n} times", display_path(file)));
        }
    }
    let tabled = tidy::rows(&ctx.study.results).any(|r| r.step.is_some());
    for r in crate::analysis::test_once::repeated_test_metrics(ctx.study) {
        evidence.push(format!(
            "{}: {} at {} steps ({} to {}) in {} seed(s)",
            r.condition, r.metric, r.steps, r.first_step, r.last_step, r.seeds
        ));
    }
    if !evidence.is_empty() {
        return TEST_ONCE.trip("test metrics were logged during training", evidence);
    }
    if files.is_empty() && !tabled {
        return TEST_ONCE
            .skip("no training histories (logs, metrics.csv, trainer_state.json) to inspect");
    }
    TEST_ONCE.pass(
        format!(
            "no test metric logged more than once ({} inspected)",
            plural(files.len(), "history file")
        ),
        Vec::new(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_metrics_need_a_separator_and_a_number() {
        assert_eq!(logged_metric("test/wer", Some("18.2")), Some("test/wer"));
        assert_eq!(logged_metric("test_acc=0.91", None), Some("test_acc"));
        assert_eq!(logged_metric("test.wer:", Some("18.2")), Some("test.wer"));
        assert_eq!(logged_metric("test-clean", Some("5")), None);
        assert_eq!(logged_metric("test/wer", Some("improved")), None);
    }
}
