//! The evaluation: the same metrics, evaluation data and evaluation settings
//! across compared runs, and data splits fixed across every run.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::diff::effective_config;
use super::keys::{
    is_eval_data_checksum, is_eval_key, is_incidental, is_split_checksum, is_split_identity,
};
use super::kit::{Context, Finding, Level, Rule, list, plural};
use crate::load::{Run, display_path};

const EVAL_SAME: Rule = Rule {
    id: "eval.same",
    level: Level::Fail,
    fix: "evaluate every compared run on the same metrics and the same evaluation settings",
};

const SPLITS: Rule = Rule {
    id: "splits.fixed",
    level: Level::Fail,
    fix: "record a checksum of each data split (e.g. data.test_sha256) and keep the splits fixed across runs",
};

/// Key → value → the runs (paths) that recorded it.
type Seen = BTreeMap<String, BTreeMap<String, Vec<String>>>;

/// Note that `run` recorded `value` under `key`, once per run.
fn record(seen: &mut Seen, key: &str, value: &Value, run: &Run) {
    let shown = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let paths = seen
        .entry(key.to_string())
        .or_default()
        .entry(shown)
        .or_default();
    let p = display_path(&run.path);
    if !paths.contains(&p) {
        paths.push(p);
    }
}

/// `key: common in 8 runs; other in runs/a/seed_3`: the most common value
/// first, the others naming their runs.
fn differing(
    key: &str,
    by_value: &BTreeMap<String, Vec<String>>,
    show: impl Fn(&str) -> String,
) -> String {
    let mut entries: Vec<(&String, &Vec<String>)> = by_value.iter().collect();
    entries.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(b.0)));
    let (common, common_runs) = entries[0];
    let mut line = format!(
        "{key}: {} in {}",
        show(common),
        plural(common_runs.len(), "run")
    );
    for (value, paths) in &entries[1..] {
        line.push_str(&format!("; {} in {}", show(value), list(paths)));
    }
    line
}

/// The same metric set, evaluation data and evaluation settings across compared runs.
pub fn eval_same(ctx: &Context) -> Finding {
    let conditions = ctx.compared_conditions();
    let runs: Vec<&Run> = ctx
        .all_runs()
        .filter(|r| conditions.contains(&r.condition))
        .collect();
    if runs.len() < 2 {
        return EVAL_SAME.skip("fewer than two runs to compare");
    }
    let mut all_metrics: BTreeSet<&String> = BTreeSet::new();
    for r in &runs {
        all_metrics.extend(r.metrics.keys());
    }
    // Checksums of the evaluation data (configs and results files): one per key.
    let mut data: Seen = BTreeMap::new();
    for r in &runs {
        let config = effective_config(r);
        for (key, value) in config.iter().chain(r.metadata.iter()) {
            if is_eval_data_checksum(key) {
                record(&mut data, key, value, r);
            }
        }
    }
    let mut evidence: Vec<String> = data
        .iter()
        .filter(|(_, by_value)| by_value.len() > 1)
        .map(|(key, by_value)| differing(key, by_value, short))
        .collect();
    let other_data = !evidence.is_empty();
    for r in &runs {
        let lacking: Vec<String> = all_metrics
            .iter()
            .filter(|m| !r.metrics.contains_key(m.as_str()))
            .map(|m| m.to_string())
            .collect();
        if !lacking.is_empty() {
            evidence.push(format!("{}: no {}", display_path(&r.path), list(&lacking)));
        }
    }
    // Evaluation settings in configs: each must have one value across compared conditions.
    let mut values: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for r in &runs {
        for (key, value) in effective_config(r) {
            if is_eval_key(&key)
                && !is_eval_data_checksum(&key)
                && !is_split_checksum(&key)
                && !is_split_identity(&key)
                && !is_incidental(&key)
            {
                let shown = match &value {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                values
                    .entry(key)
                    .or_default()
                    .entry(shown)
                    .or_default()
                    .push(r.condition.clone());
            }
        }
    }
    for (key, by_value) in &values {
        if by_value.len() > 1 {
            let parts: Vec<String> = by_value
                .iter()
                .map(|(v, conds)| {
                    let mut conds = conds.clone();
                    conds.dedup();
                    format!("{v} in {}", list(&conds))
                })
                .collect();
            evidence.push(format!("{key}: {}", parts.join("; ")));
        }
    }
    if evidence.is_empty() {
        return EVAL_SAME.pass(
            format!(
                "{} compared runs report the same {} and evaluation settings",
                runs.len(),
                plural(all_metrics.len(), "metric")
            ),
            Vec::new(),
        );
    }
    let message = if other_data {
        "compared runs were evaluated on different data (checksums differ)"
    } else {
        "compared runs differ in their metrics or evaluation settings"
    };
    EVAL_SAME.trip(message, evidence)
}

/// Split checksums recorded and identical across runs.
pub fn splits_fixed(ctx: &Context) -> Finding {
    let runs: Vec<&Run> = ctx.all_runs().collect();
    // key → value → runs, for checksums and for the settings that name a split.
    let mut seen: Seen = BTreeMap::new();
    let mut from_config: BTreeSet<String> = BTreeSet::new();
    for r in &runs {
        let config = effective_config(r);
        for (key, value) in config.iter().chain(r.metadata.iter()) {
            let in_config = config.contains_key(key);
            let identity = in_config && is_split_identity(key);
            if !is_split_checksum(key) && !identity {
                continue;
            }
            if in_config {
                from_config.insert(key.clone());
            }
            record(&mut seen, key, value, r);
        }
    }
    let checksums: Vec<String> = seen
        .keys()
        .filter(|k| is_split_checksum(k))
        .cloned()
        .collect();
    let mut evidence = Vec::new();
    for (key, by_value) in &seen {
        let present: usize = by_value.values().map(Vec::len).sum();
        let show = |v: &str| {
            if is_split_checksum(key) {
                short(v)
            } else {
                v.to_string()
            }
        };
        if by_value.len() > 1 {
            evidence.push(differing(key, by_value, show));
        } else if present < runs.len() && is_split_checksum(key) {
            let recorded: BTreeSet<&String> = by_value.values().flatten().collect();
            // A run without a config file cannot record a config key: `config.logged` reports it.
            let lacking: Vec<String> = runs
                .iter()
                .filter(|r| !r.config_files.is_empty() || !from_config.contains(key))
                .map(|r| display_path(&r.path))
                .filter(|p| !recorded.contains(p))
                .collect();
            if !lacking.is_empty() {
                evidence.push(format!("{key}: not recorded in {}", list(&lacking)));
            }
        }
    }
    let changed = seen.values().any(|v| v.len() > 1);
    if changed {
        return SPLITS.trip("a data split changed between runs", evidence);
    }
    if checksums.is_empty() {
        return SPLITS.warn(
            "no data split checksum recorded (e.g. data.test_sha256 in a config or results file)",
            Vec::new(),
        );
    }
    if !evidence.is_empty() {
        return SPLITS.warn("some runs do not record every split checksum", evidence);
    }
    SPLITS.pass(
        format!(
            "{} identical across {}",
            list(&checksums),
            plural(runs.len(), "run")
        ),
        Vec::new(),
    )
}

/// The first 12 characters of a checksum.
fn short(value: &str) -> String {
    if value.chars().count() > 12 {
        format!("{}…", value.chars().take(12).collect::<String>())
    } else {
        value.to_string()
    }
}
