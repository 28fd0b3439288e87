//! Reading results and config JSON: tolerant of Python's `NaN`/`Infinity`,
//! flattened to dotted keys.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::error::{Error, Result};

/// A flattened document: `{"test": {"wer": 18.2}}` → `test.wer = 18.2`.
pub type Flat = BTreeMap<String, Value>;

/// Parse JSON text, accepting the bare `NaN`, `Infinity` and `-Infinity`
/// tokens that Python's `json.dump` writes; they become `null` (a missing value).
pub fn parse(path: &Path, text: &str) -> Result<Value> {
    match serde_json::from_str(text) {
        Ok(value) => Ok(value),
        Err(first) => {
            let cleaned = replace_non_finite_tokens(text);
            serde_json::from_str(&cleaned).map_err(|_| syntax_error(path, &first))
        }
    }
}

fn syntax_error(path: &Path, err: &serde_json::Error) -> Error {
    Error::input_at(
        path,
        format!("{}:{}", err.line(), err.column()),
        format!("malformed JSON: {err}"),
    )
}

/// Replace `NaN`, `Infinity`, `-Infinity` outside strings by `null`.
fn replace_non_finite_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if c == '"' {
            in_string = true;
        }
        let token = ["-Infinity", "Infinity", "NaN"]
            .into_iter()
            .find(|t| rest.starts_with(t));
        match token {
            Some(t) => {
                out.push_str("null");
                rest = &rest[t.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Flatten nested objects with `.`; arrays and scalars are leaves.
pub fn flatten(value: &Value) -> Flat {
    let mut out = Flat::new();
    flatten_into(value, String::new(), &mut out);
    out
}

fn flatten_into(value: &Value, prefix: String, out: &mut Flat) {
    match value {
        // A W&B media reference (`{_type: image-file, width: 28, ...}`) is one
        // value, not numbers to read as metrics.
        Value::Object(map) if map.contains_key("_type") && !prefix.is_empty() => {
            out.insert(prefix, value.clone());
        }
        Value::Object(map) => {
            for (key, child) in map {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten_into(child, name, out);
            }
        }
        leaf => {
            out.insert(prefix, leaf.clone());
        }
    }
}

/// Read and parse a JSON file whose top level must be an object.
pub fn read_object(path: &Path) -> Result<Value> {
    let text = super::guard::read_text(path)?;
    let value = parse(path, &text)?;
    if !value.is_object() {
        return Err(Error::input_at(
            path,
            "$",
            format!(
                "expected a JSON object of metrics, found {}",
                kind_of(&value)
            ),
        ));
    }
    Ok(value)
}

/// A word for a JSON value's type, for error messages.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_non_finite_tokens_become_null_but_strings_are_kept() {
        let text = r#"{"a": NaN, "b": -Infinity, "c": "NaN here", "d": [Infinity, 1]}"#;
        let v = parse(Path::new("x.json"), text).unwrap();
        assert_eq!(v["a"], Value::Null);
        assert_eq!(v["b"], Value::Null);
        assert_eq!(v["c"], Value::String("NaN here".into()));
        assert_eq!(v["d"][0], Value::Null);
    }

    #[test]
    fn nested_objects_flatten_with_dots() {
        let v: Value =
            serde_json::from_str(r#"{"test": {"wer": 18.2, "x": {"y": 1}}, "n": "a"}"#).unwrap();
        let flat = flatten(&v);
        assert_eq!(flat["test.wer"], serde_json::json!(18.2));
        assert_eq!(flat["test.x.y"], serde_json::json!(1));
        assert_eq!(flat["n"], serde_json::json!("a"));
    }

    #[test]
    fn a_wandb_media_reference_stays_one_value() {
        let v: Value = serde_json::from_str(
            r#"{"samples": {"_type": "image-file", "width": 28, "path": "media/a.png"}, "acc": 0.5}"#,
        )
        .unwrap();
        let flat = flatten(&v);
        assert!(flat["samples"].is_object());
        assert!(!flat.contains_key("samples.width"));
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let err = parse(Path::new("r.json"), "{\n \"a\": 1,\n}").unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("r.json:3:1: malformed JSON"), "{msg}");
    }
}
