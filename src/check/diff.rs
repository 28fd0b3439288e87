//! Configs compared: a run's effective config (overrides applied), the
//! config a condition's runs share, and the studied keys two conditions
//! differ in.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::keys::{is_incidental, is_owned_elsewhere, key_matches};
use super::kit::Context;
use crate::load::{Run, condition};

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
