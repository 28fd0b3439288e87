//! `index.yaml`: override hash → the overrides that made it, as a map
//! (`a3f8c1: {model.latent_dim: 512}`) or a Hydra-style list
//! (`a3f8c1: ["model.latent_dim=512"]`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::config::read_structured;
use super::json::{flatten, kind_of};
use crate::error::{Error, Result};

/// Hash → human-readable overrides (`model.latent_dim=512, optim.lr=0.001`).
pub type OverrideIndex = BTreeMap<String, String>;

/// Read an `index.yaml`; an absent file is an empty index.
pub fn read(path: &Path) -> Result<OverrideIndex> {
    if !path.is_file() {
        return Ok(OverrideIndex::new());
    }
    let mut index = OverrideIndex::new();
    let map = match read_structured(path)? {
        Value::Object(map) => map,
        Value::Null => return Ok(index),
        other => {
            return Err(Error::input_at(
                path,
                "$",
                format!(
                    "expected a mapping of override hashes, found {}",
                    kind_of(&other)
                ),
            ));
        }
    };
    for (hash, overrides) in map {
        let text = match &overrides {
            Value::Object(_) => flatten(&overrides)
                .iter()
                .map(|(k, v)| format!("{k}={}", scalar_text(v)))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(", "),
            Value::String(s) => s.clone(),
            other => {
                return Err(Error::input_at(
                    path,
                    format!("$.{hash}"),
                    format!(
                        "expected a map or a list of overrides, found {}",
                        kind_of(other)
                    ),
                ));
            }
        };
        index.insert(hash, text);
    }
    Ok(index)
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}
