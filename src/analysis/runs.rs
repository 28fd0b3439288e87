//! `xreport runs`: how the inputs were understood, before any statistic
//! (DESIGN section 10): per condition where its name came from, its seeds,
//! runs and metrics; the numbers set aside as metadata; what was skipped.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::report::{SeedStyle, VERSION};
use crate::load::placement::Source;
use crate::load::{Run, Skipped, Study, display_path, natural_cmp, tidy};

#[derive(Debug, Serialize)]
pub struct RunsReport {
    pub xreport_version: &'static str,
    pub schema: &'static str,
    pub conditions: Vec<ConditionInfo>,
    /// Keys read but set aside as metadata (diagnostics, counts, logger
    /// internals, lm-eval configuration); `--metric KEY` reads one as a metric.
    pub metadata_keys: Vec<String>,
    /// Per run, the numbers set aside as metadata (diagnostics, counts):
    /// runs that set aside the same keys are listed together.
    pub set_aside: Vec<SetAside>,
    pub skipped: Vec<Skipped>,
    /// Runs of a seed already counted: not seeds, their spread is nondeterminism.
    pub repeats: Vec<RepeatInfo>,
    /// How runs were read, where the user should know (a log cut short).
    pub notes: Vec<RunNote>,
}

#[derive(Debug, Serialize)]
pub struct RunNote {
    pub path: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct ConditionInfo {
    pub condition: String,
    /// The name tables print (with the override set of an `@hash` condition).
    pub label: String,
    /// `folder`, `config`, `overrides`, `group-by`, `experiment` or `table`.
    pub source: String,
    /// The config keys and values that name the condition.
    pub keys: BTreeMap<String, String>,
    pub seeds: Vec<Value>,
    /// The run folders counted as seeds (none for a table).
    pub runs: Vec<String>,
    pub metrics: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct SetAside {
    pub keys: Vec<String>,
    pub runs: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct RepeatInfo {
    pub condition: String,
    pub seed: Value,
    pub path: String,
}

pub fn run(study: &Study) -> RunsReport {
    let style = SeedStyle::of(study);
    let mut seeds: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut metrics: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for row in tidy::rows(&study.results) {
        seeds.entry(row.condition).or_default().insert(row.seed);
        metrics.entry(row.condition).or_default().insert(row.metric);
    }
    let mut runs_of: BTreeMap<&str, Vec<&Run>> = BTreeMap::new();
    for run in &study.runs {
        runs_of.entry(run.condition.as_str()).or_default().push(run);
    }
    let conditions = study
        .conditions
        .iter()
        .map(|condition| {
            let runs = runs_of.remove(condition.as_str()).unwrap_or_default();
            let source = match runs.first().map(|r| &r.condition_source) {
                None => "table",
                Some(Source::Folder) => "folder",
                Some(Source::Config) => "config",
                Some(Source::Overrides) => "overrides",
                Some(Source::GroupBy) => "group-by",
                Some(Source::Experiment) => "experiment",
                Some(Source::Model) => "model",
            };
            let mut seed_ids: Vec<String> = seeds
                .get(condition.as_str())
                .map(|s| s.iter().map(|s| s.to_string()).collect())
                .unwrap_or_default();
            seed_ids.sort_by(|a, b| natural_cmp(a, b));
            ConditionInfo {
                condition: condition.clone(),
                label: study
                    .labels
                    .get(condition)
                    .cloned()
                    .unwrap_or_else(|| condition.clone()),
                source: source.to_string(),
                keys: runs
                    .first()
                    .map(|r| r.condition_keys.clone())
                    .unwrap_or_default(),
                seeds: style.ids(&seed_ids),
                runs: runs.iter().map(|r| display_path(&r.path)).collect(),
                metrics: metrics
                    .get(condition.as_str())
                    .map(|m| m.iter().map(|m| m.to_string()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    let metadata_keys: BTreeSet<String> = study
        .runs
        .iter()
        .chain(&study.repeats)
        .flat_map(|r| r.set_aside.iter().chain(r.metadata.keys()).cloned())
        .collect();
    let mut by_keys: BTreeMap<Vec<String>, Vec<String>> = BTreeMap::new();
    for run in study.runs.iter().chain(&study.repeats) {
        if !run.set_aside.is_empty() {
            let keys: Vec<String> = run.set_aside.iter().cloned().collect();
            by_keys
                .entry(keys)
                .or_default()
                .push(display_path(&run.path));
        }
    }
    RunsReport {
        xreport_version: VERSION,
        set_aside: by_keys
            .into_iter()
            .map(|(keys, runs)| SetAside { keys, runs })
            .collect(),
        schema: "xreport.runs/1",
        conditions,
        metadata_keys: metadata_keys.into_iter().collect(),
        skipped: study.skipped.clone(),
        notes: study
            .runs
            .iter()
            .chain(&study.repeats)
            .flat_map(|r| {
                r.notes.iter().map(|note| RunNote {
                    path: display_path(&r.path),
                    note: note.clone(),
                })
            })
            .collect(),
        repeats: study
            .repeats
            .iter()
            .map(|r| RepeatInfo {
                condition: r.condition.clone(),
                seed: style.id(&r.seed),
                path: display_path(&r.path),
            })
            .collect(),
    }
}
