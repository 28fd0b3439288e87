//! A run's config and environment files, flattened like metrics.

use std::path::Path;

use serde_json::Value;

use super::json::{self, Flat};
use super::probe;
use crate::error::{Error, Result};

/// Config files, in the order they are merged (later files add keys).
pub const CONFIG_FILES: &[&str] = &[
    "config.yaml",
    "config.yml",
    "config.json",
    ".hydra/config.yaml",
    "hparams.yaml",
    "params.json",
];
/// Hydra's own settings for a job, with the config groups it chose.
pub const HYDRA_SETTINGS: &str = ".hydra/hydra.yaml";

/// The config-group choices of a Hydra job (`hydra.runtime.choices`:
/// `model: baseline`), Hydra's own groups (`hydra/launcher`) left out. A
/// default group choice is in no override, so this is where a job run
/// without `model=...` says which model it used.
pub fn read_hydra_choices(path: &Path) -> Result<Vec<(String, String)>> {
    let value = read_structured(path)?;
    let choices = value
        .pointer("/hydra/runtime/choices")
        .and_then(Value::as_object);
    Ok(choices
        .into_iter()
        .flatten()
        .filter(|(group, _)| !group.starts_with("hydra/"))
        .filter_map(|(group, choice)| match choice {
            Value::String(s) => Some((group.clone(), s.clone())),
            _ => None,
        })
        .collect())
}

/// Hydra's record of the command-line overrides of a run.
pub const HYDRA_OVERRIDES: &str = ".hydra/overrides.yaml";
/// Environment metadata: library versions, hardware.
pub const ENV_FILES: &[&str] = &["env.json", "environment.json", "wandb-metadata.json"];
/// Dependency lists recorded inside a run.
pub const DEPS_FILES: &[&str] = &["requirements.txt", "pip-freeze.txt"];
/// Compute accounting.
pub const COMPUTE_FILES: &[&str] = &["compute.json", "trainer_state.json"];

/// Parse a YAML or JSON file (by extension) into JSON values.
pub fn read_structured(path: &Path) -> Result<Value> {
    let text = super::guard::read_text(path)?;
    let is_yaml = matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if !is_yaml {
        return json::parse(path, &text);
    }
    if let Some((line, message)) = super::guard::yaml_claims(&text) {
        return Err(Error::input_at(path, format!("line {line}"), message));
    }
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).map_err(|e| {
        let location = e
            .location()
            .map(|l| format!("{}:{}", l.line(), l.column()))
            .unwrap_or_else(|| "1".into());
        Error::input_at(path, location, format!("malformed YAML: {e}"))
    })?;
    serde_json::to_value(yaml)
        .map_err(|e| Error::input(path, format!("YAML that JSON cannot hold: {e}")))
}

/// Merge every config file present in `dir` into one flat map.
/// Returns the files read and the merged keys.
pub fn read_config(dir: &Path) -> Result<(Vec<String>, Flat)> {
    let mut files = Vec::new();
    let mut merged = Flat::new();
    for name in CONFIG_FILES {
        let path = dir.join(name);
        if !probe::is_file(&path) {
            continue;
        }
        let value = read_structured(&path)?;
        match value {
            Value::Object(_) => merged.extend(json::flatten(&value)),
            Value::Null => {}
            other => {
                return Err(Error::input_at(
                    &path,
                    "$",
                    format!(
                        "expected a mapping of settings, found {}",
                        json::kind_of(&other)
                    ),
                ));
            }
        }
        files.push(name.to_string());
    }
    if let Some(hyperparameters) = model_card_hyperparameters(&dir.join(MODEL_CARD))? {
        for (key, value) in hyperparameters {
            merged.entry(key).or_insert(value);
        }
        files.push(MODEL_CARD.to_string());
    }
    Ok((files, merged))
}

/// The model card the Hugging Face Trainer writes beside its results.
pub const MODEL_CARD: &str = "README.md";

/// The "Training hyperparameters" list of a model card written by the
/// Trainer (tag `generated_from_trainer`): the only place its output folder
/// records the seed once `training_args.bin` is gone. `None` for any other README.
fn model_card_hyperparameters(path: &Path) -> Result<Option<Flat>> {
    if !probe::is_file(path) {
        return Ok(None);
    }
    let text = super::guard::read_text(path)?;
    if !text.contains("generated_from_trainer") {
        return Ok(None);
    }
    let Some(start) = text.find("### Training hyperparameters") else {
        return Ok(None);
    };
    let mut out = Flat::new();
    for line in text[start..].lines().skip(1) {
        if line.starts_with('#') {
            break;
        }
        let Some((key, value)) = line.strip_prefix("- ").and_then(|l| l.split_once(": ")) else {
            continue;
        };
        let value = value.trim();
        let parsed = match value.parse::<i64>() {
            Ok(i) => Value::from(i),
            Err(_) => match value.parse::<f64>() {
                Ok(f) if f.is_finite() => Value::from(f),
                _ => Value::from(value),
            },
        };
        out.insert(key.trim().to_string(), parsed);
    }
    Ok(Some(out))
}

/// Hydra overrides (`- model.latent_dim=512`) as `key=value` strings.
pub fn read_overrides(path: &Path) -> Result<Vec<String>> {
    match read_structured(path)? {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(Error::input_at(
                    path,
                    format!("item {}", i + 1),
                    format!(
                        "expected an override string like key=value, found {}",
                        json::kind_of(other)
                    ),
                )),
            })
            .collect(),
        Value::Null => Ok(Vec::new()),
        other => Err(Error::input(
            path,
            format!(
                "expected a list of overrides, found {}",
                json::kind_of(&other)
            ),
        )),
    }
}

/// The first JSON file of `names` present in `dir`, flattened.
pub fn read_first_json(dir: &Path, names: &[&str]) -> Result<Option<(String, Flat)>> {
    for name in names {
        let path = dir.join(name);
        if probe::is_file(&path) && name.ends_with(".json") {
            let value = json::read_object(&path)?;
            return Ok(Some((name.to_string(), json::flatten(&value))));
        }
    }
    Ok(None)
}

/// The seed recorded in a config: `seed`, `*.seed` or `random_seed`.
pub fn seed_from(flat: &Flat) -> Option<String> {
    flat.iter()
        .filter(|(key, _)| super::keys::is_seed(key))
        .find_map(|(_, value)| seed_text(value))
}

/// A seed as text: integers without a decimal point.
pub fn seed_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) => Some(i.to_string()),
            (None, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{}", f as i64)),
            _ => None,
        },
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}
