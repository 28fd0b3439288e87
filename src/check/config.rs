//! Configs: logged for every run, one studied change per comparison, the same
//! evaluation, and fixed data splits.

use std::collections::{BTreeMap, BTreeSet};

use globset::Glob;
use serde_json::Value;

use super::{Context, Finding, Level, Rule, list, plural};
use crate::load::keys::is_seed as is_seed_key;
use crate::load::{Run, condition, display_path};

const LOGGED: Rule = Rule {
    id: "config.logged",
    level: Level::Fail,
    fix: "save the resolved config with every run (config.yaml, .hydra/config.yaml, hparams.yaml or params.json)",
};

const ONE_CHANGE: Rule = Rule {
    id: "config.one-change",
    level: Level::Fail,
    fix: "change one thing per comparison, or add an ablation row for each changed key",
};

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

/// Whether some part of a dotted key names one of `splits` as a word
/// (`data.test_sha256`, `test.wer`, `eval/test_acc`).
pub fn names_split(key: &str, splits: &[&str]) -> bool {
    key.split(['.', '/'])
        .flat_map(|part| part.split(['_', '-']))
        .any(|word| splits.contains(&word.to_ascii_lowercase().as_str()))
}

const SPLIT_NAMES: &[&str] = &["train", "val", "valid", "validation", "dev", "test"];

/// A data-split checksum key (DESIGN section 6, `splits.fixed`).
pub fn is_split_checksum(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    let checksum = ["sha256", "md5", "checksum", "hash"]
        .iter()
        .any(|s| last.ends_with(s));
    checksum && names_split(key, SPLIT_NAMES)
}

/// A config setting that names a split's data (`data.test_subset`,
/// `dataset.test_split`, `data.valid_manifest`): a change is a changed split.
fn is_split_identity(key: &str) -> bool {
    let last = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    let names_data = last
        .split(['_', '-'])
        .any(|w| matches!(w, "subset" | "split" | "manifest" | "set" | "dataset"));
    names_data && names_split(key, SPLIT_NAMES) && !is_incidental(key) && !is_split_checksum(key)
}

/// Keys that never count as a change: seeds, paths, run names, output
/// folders, timestamps, hosts, and logger/launcher sections.
fn is_incidental(key: &str) -> bool {
    if is_seed_key(key) {
        return true;
    }
    let lower = key.to_ascii_lowercase();
    // Logger internals (`_wandb.value.t`) start with `_`, as in results files.
    if lower.split('.').any(|part| part.starts_with('_')) {
        return true;
    }
    let first = lower.split('.').next().unwrap_or(&lower);
    if matches!(
        first,
        "paths" | "path" | "hydra" | "wandb" | "logger" | "logging"
    ) {
        return true;
    }
    let last = lower.rsplit('.').next().unwrap_or(&lower);
    const NAMES: &[&str] = &[
        "run_name",
        "run_id",
        "run",
        "experiment_name",
        "exp_name",
        "job_name",
        "name_suffix",
        "id",
        "wandb_id",
        "output_dir",
        "out_dir",
        "save_dir",
        "log_dir",
        "logdir",
        "checkpoint_dir",
        "ckpt_dir",
        "work_dir",
        "data_dir",
        "root",
        "timestamp",
        "date",
        "datetime",
        "time",
        "created",
        "created_at",
        "start_time",
        "started_at",
        "host",
        "hostname",
        "node",
        "git_commit",
        "commit",
    ];
    NAMES.contains(&last)
        || last.ends_with("_dir")
        || last.ends_with("_path")
        || last.ends_with("_file")
        || last.ends_with("_timestamp")
}

/// Keys owned by other rules: budgets (`budget.same`), split checksums and
/// split names (`splits.fixed`), evaluation settings (`eval.same`).
fn is_owned_elsewhere(key: &str) -> bool {
    super::budget::is_budget_key(key)
        || is_split_checksum(key)
        || is_split_identity(key)
        || is_eval_key(key)
}

/// Evaluation settings: a key with a part that starts with `test` or `eval`.
fn is_eval_key(key: &str) -> bool {
    key.split('.').any(|part| {
        let p = part.to_ascii_lowercase();
        p.starts_with("test") || p.starts_with("eval")
    })
}

/// Whether a key matches a component or ignore pattern (a glob, or the key itself).
pub fn key_matches(pattern: &str, key: &str) -> bool {
    pattern == key
        || Glob::new(pattern)
            .map(|g| g.compile_matcher().is_match(key))
            .unwrap_or(false)
}

/// Lower case, `-`/` ` as `_`, for matching component names against row names.
pub fn normalise(text: &str) -> String {
    text.to_ascii_lowercase().replace(['-', ' '], "_")
}

/// A run's config with its Hydra overrides applied (`key=value`, `+key=value`).
pub fn effective_config(run: &Run) -> BTreeMap<String, Value> {
    let mut config = run.config.clone();
    for (key, text) in condition::overrides(run) {
        let value = condition::override_value(&text).unwrap_or(Value::String(text));
        config.entry(key).or_insert(value);
    }
    config
}

/// The config of a condition: the keys whose value every one of its runs
/// shares (keys that vary across its seeds are not the condition's). `None`
/// when no run of the condition has a config.
pub fn condition_config(ctx: &Context, condition: &str) -> Option<BTreeMap<String, Value>> {
    // Runs with a config file; a run with none (reported by `config.logged`)
    // would otherwise empty the shared keys. Overrides alone only as a last resort.
    let mut configs: Vec<BTreeMap<String, Value>> = ctx
        .runs_of(condition)
        .filter(|r| !r.config_files.is_empty())
        .map(effective_config)
        .collect();
    if configs.is_empty() {
        configs = ctx
            .runs_of(condition)
            .filter(|r| !r.overrides.is_empty())
            .map(effective_config)
            .collect();
    }
    let (first, rest) = configs.split_first()?;
    let mut shared = first.clone();
    shared.retain(|k, v| rest.iter().all(|c| c.get(k) == Some(v)));
    Some(shared)
}

/// A config key that differs between two conditions.
#[derive(Debug, Clone)]
pub struct Change {
    pub key: String,
    pub from: Option<Value>,
    pub to: Option<Value>,
}

impl Change {
    pub fn describe(&self) -> String {
        let show = |v: &Option<Value>| match v {
            None => "(absent)".to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        };
        format!("{}: {} → {}", self.key, show(&self.from), show(&self.to))
    }
}

/// The studied keys `condition` changes against `reference`: incidental keys,
/// ignored keys and keys owned by other rules left out. `None` when either
/// has no config.
pub fn changed_keys(ctx: &Context, condition: &str, reference: &str) -> Option<Vec<Change>> {
    let a = condition_config(ctx, condition)?;
    let b = condition_config(ctx, reference)?;
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let changes = keys
        .into_iter()
        .filter(|k| !is_incidental(k) && !is_owned_elsewhere(k))
        .filter(|k| !ctx.check.ignore_keys.iter().any(|p| key_matches(p, k)))
        .filter(|k| a.get(*k) != b.get(*k))
        .filter(|k| {
            !(names_own_condition(a.get(*k), condition)
                && names_own_condition(b.get(*k), reference))
        })
        .map(|k| Change {
            key: k.clone(),
            from: b.get(k).cloned(),
            to: a.get(k).cloned(),
        })
        .collect::<Vec<Change>>();
    // A Hydra config group chosen by an override (`model=treatment`) changes
    // the keys under it (`model.hidden`) as one change.
    let groups: Vec<String> = changes.iter().map(|c| format!("{}.", c.key)).collect();
    let changes = changes
        .into_iter()
        .filter(|c| !groups.iter().any(|g| c.key.starts_with(g.as_str())))
        .collect();
    Some(changes)
}

/// Whether an ablation row changes `key` alone against the full model.
pub fn ablated_alone(ctx: &Context, full: &str, key: &str) -> bool {
    ctx.roles.ablation_rows.iter().any(|row| {
        changed_keys(ctx, row, full).is_some_and(|ks| matches!(ks.as_slice(), [k] if k.key == key))
    })
}

/// A string value naming its own condition (`experiment: exp1_new_masking`)
/// identifies the run; it is not a studied setting.
fn names_own_condition(value: Option<&Value>, condition: &str) -> bool {
    let name = condition.split('@').next().unwrap_or(condition);
    let name = name.rsplit('/').next().unwrap_or(name);
    match value {
        None => true,
        Some(Value::String(s)) => !name.is_empty() && s.contains(name),
        Some(_) => false,
    }
}

/// Every run records its config.
pub fn logged(ctx: &Context) -> Finding {
    let runs: Vec<&Run> = ctx.all_runs().collect();
    let missing: Vec<String> = runs
        .iter()
        .filter(|r| r.config_files.is_empty())
        .map(|r| {
            if r.overrides.is_empty() {
                format!("{}: no config file", display_path(&r.path))
            } else {
                format!(
                    "{}: only Hydra overrides, no resolved config",
                    display_path(&r.path)
                )
            }
        })
        .collect();
    if runs.is_empty() {
        return LOGGED.skip("no run folders (a results table has no configs)");
    }
    if missing.is_empty() {
        return LOGGED.pass(
            format!("all {} record their config", plural(runs.len(), "run")),
            Vec::new(),
        );
    }
    LOGGED.trip(
        format!(
            "{} of {} without a config",
            plural(missing.len(), "run"),
            runs.len()
        ),
        missing,
    )
}

/// Each comparison changes one studied key; more need an ablation per key.
pub fn one_change(ctx: &Context) -> Finding {
    let pairs = ctx.pairs();
    if pairs.is_empty() {
        return ONE_CHANGE.skip("no baseline and treatment to compare");
    }
    let full = ctx.roles.full.as_deref();
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    let mut unknown = Vec::new();
    let mut none = Vec::new();
    for (condition, reference) in &pairs {
        let Some(changes) = changed_keys(ctx, condition, reference) else {
            unknown.push(format!("{condition} vs {reference}: no config to compare"));
            continue;
        };
        let shown: Vec<String> = changes.iter().map(Change::describe).collect();
        match changes.len() {
            0 => none.push(format!(
                "{condition} vs {reference}: no studied config key differs"
            )),
            1 => ok.push(format!("{condition} vs {reference}: {}", shown[0])),
            n => {
                // Several changes are fine for the full model when each has its ablation row.
                let uncovered: Vec<String> = changes
                    .iter()
                    .filter(|c| {
                        Some(condition.as_str()) != full || !ablated_alone(ctx, condition, &c.key)
                    })
                    .map(|c| c.key.clone())
                    .collect();
                let line = format!(
                    "{condition} vs {reference}: {n} changed keys: {}",
                    shown.join("; ")
                );
                if uncovered.is_empty() {
                    ok.push(format!("{line} (each has an ablation row)"));
                } else {
                    bad.push(format!(
                        "{line}; without an ablation row: {}",
                        list(&uncovered)
                    ));
                }
            }
        }
    }
    if !bad.is_empty() {
        let n = bad.len();
        bad.extend(unknown);
        return ONE_CHANGE.trip(
            format!(
                "{} change more than one config key without an ablation for each",
                plural(n, "comparison")
            ),
            bad,
        );
    }
    if !none.is_empty() || !unknown.is_empty() {
        let mut evidence = none;
        evidence.extend(unknown);
        evidence.extend(ok);
        return ONE_CHANGE.warn(
            "some comparisons show no config change (is the change logged in the config?)",
            evidence,
        );
    }
    ONE_CHANGE.pass(
        format!(
            "each of {} changes one studied config key",
            plural(pairs.len(), "comparison")
        ),
        ok,
    )
}

/// The same metric set and the same evaluation settings across compared runs.
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
    let mut evidence = Vec::new();
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
    EVAL_SAME.trip(
        "compared runs differ in their metrics or evaluation settings",
        evidence,
    )
}

/// Split checksums recorded and identical across runs.
pub fn splits_fixed(ctx: &Context) -> Finding {
    let runs: Vec<&Run> = ctx.all_runs().collect();
    // key → value → runs, for checksums and for the settings that name a split.
    let mut seen: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
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
            let shown = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let paths = seen
                .entry(key.clone())
                .or_default()
                .entry(shown)
                .or_default();
            let p = display_path(&r.path);
            if !paths.contains(&p) {
                paths.push(p);
            }
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
            // The most common value first; the others name their runs.
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
            evidence.push(line);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_checksums_name_a_split_and_end_in_a_hash_word() {
        for key in [
            "data.test_sha256",
            "data.train_sha256",
            "splits.dev.md5",
            "valid_checksum",
        ] {
            assert!(is_split_checksum(key), "{key}");
        }
        for key in ["data.sha256", "model.hash", "test.wer", "data.test_subset"] {
            assert!(!is_split_checksum(key), "{key}");
        }
    }

    #[test]
    fn seeds_paths_run_names_and_timestamps_are_incidental() {
        for key in [
            "seed",
            "trainer.seed",
            "paths.output_dir",
            "run_name",
            "logging.dir",
            "checkpoint_dir",
            "timestamp",
            "hydra.run.dir",
            "data.cache_path",
            "_wandb.value.cli_version",
        ] {
            assert!(is_incidental(key), "{key}");
        }
        for key in ["model.masking", "optim.lr", "model.name", "data.name"] {
            assert!(!is_incidental(key), "{key}");
        }
    }

    #[test]
    fn split_names_are_split_identities_but_not_their_paths() {
        assert!(is_split_identity("data.test_subset"));
        assert!(is_split_identity("dataset.valid_split"));
        assert!(!is_split_identity("data.test_manifest_path"));
        assert!(!is_split_identity("trainer.val_every_n_steps"));
    }
}
