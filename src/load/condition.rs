//! The one place that decides a run's condition and seed (DESIGN sections 2
//! and 10), from what its path says ([`super::placement`]) and what its files
//! record.
//!
//! The named parts of the path give the condition (the folder rule) unless
//! the placement leaves it to the config: then it comes from the Hydra
//! overrides and group choices, or else the config keys whose values differ
//! across the runs, minus seeds, run-identity keys and keys unique to every
//! run. `--group-by` (or the study file's `group_by`) names the keys
//! instead. MLflow runs and lm-eval evaluations get their conditions here too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use globset::GlobSet;
use serde_json::Value;

use super::config::seed_text;
use super::keys;
use super::paths::display_path;
use super::paths::folder_name;
use super::placement::{Placement, Source};
use super::run::Run;
use super::run_name::canonical_seed;
use crate::error::{Error, Result};

/// How conditions are formed: by the rules above, or by named keys.
#[derive(Debug, Clone, Default)]
pub struct GroupBy {
    /// Globs over config keys; `None` when not given.
    pub keys: Option<GlobSet>,
    /// `path` was among them: the folder rule's name comes first.
    pub path: bool,
    /// As the user wrote it, for messages.
    pub text: String,
}

/// A Hydra job: it recorded overrides or config-group choices.
fn is_hydra(run: &Run) -> bool {
    !run.overrides.is_empty() || !run.hydra_choices.is_empty()
}

/// The seed of a run from every place that records one: the folder name, a
/// Hydra override, the config's seed keys, the results' seed. Sources that
/// disagree are an error naming each.
pub fn seed_of(run: &Run, placement: &Placement) -> Result<Option<String>> {
    // The seed the run was started with: its folder name, an override, a
    // top-level config key, the results. A nested `data.seed` is often a
    // fixed split seed beside it, so nested keys count only when no
    // top-level source says anything.
    let mut primary: Vec<(String, String)> = Vec::new();
    let mut nested: Vec<(String, String)> = Vec::new();
    if let Some(name) = &placement.seed_name {
        primary.push(("the folder name".into(), name.seed.clone()));
    }
    if let Some(seed) = &placement.seed_pair {
        primary.push(("the folder name".into(), seed.clone()));
    }
    for (key, value) in overrides(run) {
        if keys::is_seed(&key) {
            primary.push((format!("override `{key}={value}`"), value));
        }
    }
    let config_file = run.config_files.last().cloned().unwrap_or_default();
    for (key, value) in &run.config {
        if keys::is_seed(key)
            && let Some(seed) = seed_text(value)
        {
            let found = (format!("{config_file} `{key}`"), seed);
            if key.contains('.') {
                nested.push(found);
            } else {
                primary.push(found);
            }
        }
    }
    if let Some((source, seed)) = &run.recorded_seed {
        primary.push((source.clone(), seed.clone()));
    }
    for (key, value) in &run.metadata {
        if run.recorded_seed.is_none()
            && keys::is_seed(key)
            && let Some(seed) = seed_text(value)
        {
            primary.push((format!("the results' `{key}`"), seed));
        }
    }
    let mut found = if primary.is_empty() { nested } else { primary };
    for (_, seed) in &mut found {
        *seed = canonical_seed(seed);
    }
    let distinct: BTreeSet<&String> = found.iter().map(|(_, seed)| seed).collect();
    if distinct.len() > 1 {
        let said: Vec<String> = found
            .iter()
            .map(|(source, seed)| format!("{source} says {seed}"))
            .collect();
        return Err(Error::input(
            &run.path,
            format!(
                "the run's seed sources disagree: {}; one run has one seed: fix the one that is wrong",
                said.join(", ")
            ),
        ));
    }
    Ok(found.into_iter().next().map(|(_, seed)| seed))
}

/// A run's Hydra overrides as (key, value), `+`/`++` stripped, deletions (`~key`) left out.
pub fn overrides(run: &Run) -> Vec<(String, String)> {
    run.overrides
        .iter()
        .filter(|o| !o.starts_with('~'))
        .filter_map(|o| o.split_once('='))
        .map(|(k, v)| (k.trim_start_matches('+').to_string(), v.to_string()))
        .collect()
}

/// An override's value as Hydra reads it (YAML: `0.01` a number, `[1, 2]` a
/// list); `None` when it is not YAML.
pub fn override_value(text: &str) -> Option<Value> {
    if super::guard::yaml_claims(text).is_some() {
        return None;
    }
    serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text)
        .ok()
        .and_then(|v| serde_json::to_value(v).ok())
}

/// A config value as it appears in a condition's name.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The keys a run can be grouped by, with their values: its config, Hydra's
/// config-group choices (a group such as `model=baseline` is in no config
/// key), and the overrides on top.
fn settings_of(run: &Run) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = run
        .config
        .iter()
        .map(|(k, v)| (k.clone(), value_text(v)))
        .collect();
    out.extend(run.hydra_choices.iter().cloned());
    out.extend(overrides(run));
    out
}

/// Give every run its condition, all arguments' runs at once: the keys that
/// differ are judged across every run loaded.
pub fn assign(runs: &mut [Run], group_by: &GroupBy) -> Result<()> {
    if let Some(globs) = &group_by.keys {
        assign_by_keys(runs, globs, group_by)?;
    } else if group_by.path {
        // `--group-by path`: the folder rule for every run.
        for run in runs.iter_mut() {
            run.condition = folder_condition(&run.placement);
            run.condition_source = Source::GroupBy;
        }
    } else {
        assign_by_rules(runs)?;
    }
    check_same_settings(runs)
}

/// One config-named condition from several arguments: the same study split
/// over sweeps (same settings, other seeds) is one condition, its runs moved
/// to the first argument; different studies that happen to share a name
/// (a Hydra sweep and W&B runs, both `model=baseline`) are told apart by
/// the folder name of their argument (`multirun/model=baseline`,
/// `wandb/model=baseline`). Folder-named conditions are left to the
/// merge, which refuses a condition from two arguments.
pub fn separate_inputs(runs: &mut [Run], roots: &BTreeMap<usize, std::path::PathBuf>) {
    let mut inputs: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for run in runs.iter() {
        if run.placement.from_config || run.condition_source == Source::GroupBy {
            inputs
                .entry(run.condition.clone())
                .or_default()
                .insert(run.input);
        }
    }
    for (condition, from) in inputs.into_iter().filter(|(_, f)| f.len() > 1) {
        let members: Vec<usize> = (0..runs.len())
            .filter(|&i| runs[i].condition == condition)
            .collect();
        let studied = |run: &Run| {
            let mut s = settings_of(run);
            s.retain(|k, _| !keys::is_seed_like(k) && !keys::is_run_identity(k));
            s
        };
        let first = studied(&runs[members[0]]);
        let same_settings = members.iter().all(|&i| studied(&runs[i]) == first);
        let mut seeds = BTreeSet::new();
        let distinct_seeds = members.iter().all(|&i| seeds.insert(runs[i].seed.clone()));
        let first_input = from.iter().next().copied().unwrap_or_default();
        for &i in &members {
            if same_settings && distinct_seeds {
                runs[i].input = first_input;
            } else if let Some(root) = roots.get(&runs[i].input) {
                runs[i].condition = format!("{}/{condition}", folder_name(root));
            }
        }
    }
}

/// Two runs of one seed in one condition whose names came from configs must
/// share their settings, else they are not repeats but a key the grouping
/// left out: merging them would be silent.
fn check_same_settings(runs: &[Run]) -> Result<()> {
    type Settings = BTreeMap<String, String>;
    // Per argument: one condition from two arguments is the merge's error.
    let mut seen: BTreeMap<(usize, &str, &str), (&Run, Settings)> = BTreeMap::new();
    for run in runs {
        if !run.placement.from_config && run.condition_source != Source::GroupBy {
            continue;
        }
        let mut settings = settings_of(run);
        settings.retain(|k, _| !keys::is_seed_like(k) && !keys::is_run_identity(k));
        let key = (run.input, run.condition.as_str(), run.seed.as_str());
        let Some((first, first_settings)) = seen.get(&key) else {
            seen.insert(key, (run, settings));
            continue;
        };
        let all: BTreeSet<&String> = settings.keys().chain(first_settings.keys()).collect();
        if let Some(differs) = all
            .into_iter()
            .find(|k| settings.get(*k) != first_settings.get(*k))
        {
            let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "(absent)".into());
            return Err(Error::input(
                &run.path,
                format!(
                    "seed {} of condition `{}` ran twice with different `{differs}` ({} here, {} in {}): they are not repeats; group by that key too (--group-by {differs},...)",
                    run.seed,
                    run.condition,
                    show(settings.get(differs)),
                    show(first_settings.get(differs)),
                    display_path(&first.path)
                ),
            ));
        }
    }
    Ok(())
}

fn assign_by_rules(runs: &mut [Run]) -> Result<()> {
    let mut scopes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, run) in runs.iter_mut().enumerate() {
        if run.placement.from_config {
            scopes
                .entry(run.placement.named.clone())
                .or_default()
                .push(i);
        } else {
            run.condition = folder_condition(&run.placement);
            run.condition_source = run.placement.source.clone();
        }
    }
    for members in scopes.values() {
        let settings: Vec<BTreeMap<String, String>> =
            members.iter().map(|&i| settings_of(&runs[i])).collect();
        // Per run the keys that may name its condition: a Hydra job's
        // overrides and group choices, another run's config keys. Judged per
        // run, so a Hydra sweep loaded beside W&B runs is still named by its
        // overrides.
        let candidates: Vec<BTreeSet<String>> = members
            .iter()
            .zip(&settings)
            .map(|(&i, s)| {
                let run = &runs[i];
                let keys: Vec<String> = if is_hydra(run) {
                    overrides(run)
                        .into_iter()
                        .map(|(k, _)| k)
                        .chain(run.hydra_choices.iter().map(|(g, _)| g.clone()))
                        .filter(|k| s.contains_key(k))
                        .collect()
                } else {
                    s.keys().cloned().collect()
                };
                keys.into_iter()
                    .filter(|k| !keys::is_seed_like(k) && !keys::is_run_identity(k))
                    .collect()
            })
            .collect();
        let all: BTreeSet<&String> = candidates.iter().flatten().collect();
        let varying: Vec<String> = all
            .into_iter()
            .filter(|key| {
                let values: Vec<Option<&String>> = settings.iter().map(|s| s.get(*key)).collect();
                let distinct: BTreeSet<&Option<&String>> = values.iter().collect();
                distinct.len() > 1
            })
            .cloned()
            .collect();
        let seeds: Vec<&str> = members.iter().map(|&i| runs[i].seed.as_str()).collect();
        let per_run = per_run_keys(&varying, &settings, &seeds);
        let varying: Vec<String> = varying
            .into_iter()
            .filter(|k| !per_run.contains(k))
            .collect();
        for ((&i, s), own) in members.iter().zip(&settings).zip(&candidates) {
            let chosen: BTreeMap<String, String> = varying
                .iter()
                .filter(|k| own.contains(*k))
                .filter_map(|k| s.get(k).map(|v| (k.clone(), v.clone())))
                .collect();
            let run = &mut runs[i];
            run.condition = name_of(&run.placement, &chosen);
            run.condition_source = if chosen.is_empty() {
                run.placement.source.clone()
            } else if is_hydra(run) {
                Source::Overrides
            } else {
                Source::Config
            };
            run.condition_keys = chosen;
        }
    }
    Ok(())
}

/// Keys that take a different value in every run while other varying keys
/// still group the runs into conditions with distinct seeds: run names,
/// start times, ports. Taking one as a condition would give every run a
/// condition of its own (n = 1), the outcome DESIGN 10 exists to prevent.
fn per_run_keys(
    varying: &[String],
    settings: &[BTreeMap<String, String>],
    seeds: &[&str],
) -> BTreeSet<String> {
    let unique: BTreeSet<&String> = varying
        .iter()
        .filter(|key| {
            let values: Vec<Option<&String>> = settings.iter().map(|s| s.get(*key)).collect();
            let distinct: BTreeSet<&Option<&String>> = values.iter().collect();
            values.len() > 1 && distinct.len() == values.len()
        })
        .collect();
    let rest: Vec<&String> = varying.iter().filter(|k| !unique.contains(k)).collect();
    if unique.is_empty() || rest.is_empty() {
        return BTreeSet::new();
    }
    let mut by_condition: BTreeMap<Vec<Option<&String>>, BTreeSet<&str>> = BTreeMap::new();
    for (s, seed) in settings.iter().zip(seeds) {
        let key: Vec<Option<&String>> = rest.iter().map(|k| s.get(*k)).collect();
        if !by_condition.entry(key).or_default().insert(seed) {
            // Two runs of one seed would share a condition: the keys are needed.
            return BTreeSet::new();
        }
    }
    unique.into_iter().cloned().collect()
}

fn assign_by_keys(runs: &mut [Run], globs: &GlobSet, group_by: &GroupBy) -> Result<()> {
    for run in runs.iter_mut() {
        let settings = settings_of(run);
        let chosen: BTreeMap<String, String> = settings
            .into_iter()
            .filter(|(k, _)| globs.is_match(k) && !keys::is_seed(k))
            .collect();
        if chosen.is_empty() && !group_by.path {
            let mut names: Vec<String> = run.config.keys().cloned().collect();
            names.extend(overrides(run).into_iter().map(|(k, _)| k));
            names.sort();
            names.dedup();
            names.truncate(12);
            return Err(Error::input(
                &run.path,
                format!(
                    "--group-by {}: no config key of this run matches (its keys include: {})",
                    group_by.text,
                    if names.is_empty() {
                        "none; the run has no config".to_string()
                    } else {
                        names.join(", ")
                    }
                ),
            ));
        }
        let mut placement = run.placement.clone();
        if !group_by.path {
            placement.named.clear();
        }
        run.condition = if group_by.path && chosen.is_empty() {
            folder_condition(&placement)
        } else {
            name_of(&placement, &chosen)
        };
        run.condition_source = Source::GroupBy;
        run.condition_keys = chosen;
    }
    Ok(())
}

/// The folder rule's condition: the named parts, else the root's name.
fn folder_condition(placement: &Placement) -> String {
    let base = if placement.named.is_empty() {
        placement.fallback.clone()
    } else {
        placement.named.clone()
    };
    match placement.seed_name.as_ref().and_then(|n| n.hash.as_ref()) {
        Some(hash) => format!("{base}@{hash}"),
        None => base,
    }
}

/// `model=treatment, optim.lr=0.001`, under the named parts when there are any.
fn name_of(placement: &Placement, chosen: &BTreeMap<String, String>) -> String {
    if chosen.is_empty() {
        return folder_condition(placement);
    }
    let pairs: Vec<String> = chosen.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let pairs = pairs.join(", ");
    if placement.named.is_empty() {
        pairs
    } else {
        format!("{}/{pairs}", placement.named)
    }
}

/// Hydra overrides that contradict the recorded config (an edited
/// `.hydra/config.yaml`, or overrides copied from another job).
pub fn check_overrides(run: &Run) -> Result<()> {
    for (key, text) in overrides(run) {
        let Some(recorded) = run.config.get(&key) else {
            continue;
        };
        let Some(said) = override_value(&text) else {
            continue;
        };
        let agree = match (&said, recorded) {
            (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
            (a, b) if a.is_object() || a.is_array() || b.is_object() || b.is_array() => true,
            (Value::String(s), _) if s.contains("${") => true,
            (a, b) => a == b || value_text(a) == value_text(b),
        };
        if !agree {
            return Err(Error::input(
                run.path.join(super::config::HYDRA_OVERRIDES),
                format!(
                    "override `{key}={text}` disagrees with {} where `{key}` is {}; the job's files do not belong together",
                    display_path(Path::new(
                        run.config_files
                            .last()
                            .map(String::as_str)
                            .unwrap_or("its config")
                    )),
                    value_text(recorded)
                ),
            ));
        }
    }
    Ok(())
}
