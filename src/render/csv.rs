//! CSV of a report's records: one row per group or comparison, raw numbers.

use serde_json::Value;

use crate::error::{Error, Result};

/// Columns are the union of the records' keys in first-seen order; nested
/// values (intervals, lists) become `[lo, hi]` JSON text; null is empty.
pub fn records(records: &[Value]) -> Result<String> {
    let mut columns: Vec<String> = Vec::new();
    for record in records {
        if let Value::Object(map) = record {
            for key in map.keys() {
                if !columns.contains(key) {
                    columns.push(key.clone());
                }
            }
        }
    }
    let mut writer = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| Error::usage(format!("cannot write CSV: {e}"));
    writer.write_record(&columns).map_err(fail)?;
    for record in records {
        let row = columns.iter().map(|c| match record.get(c) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        });
        writer.write_record(row).map_err(fail)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| Error::usage(format!("cannot write CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| Error::usage(format!("cannot write CSV: {e}")))
}
