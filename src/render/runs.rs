//! The layout of `xreport runs`: one row per condition, then what was set
//! aside, skipped or repeated.

use serde_json::json;

use super::Report;
use super::format::Style;
use super::table::{self, Table};
use crate::analysis::runs::RunsReport;
use crate::settings::Output;

/// Metadata keys listed by name in the notes; the JSON has all of them.
const LISTED_KEYS: usize = 20;

impl Report for RunsReport {
    fn kind(&self) -> &'static str {
        "runs"
    }

    fn table(&self, style: Style, _output: &Output) -> Table {
        let mut table = Table::new(vec![
            table::left("Condition"),
            table::left("From"),
            table::right("Seeds"),
            table::left("Seed ids"),
            table::right("Runs"),
            table::left("Metrics"),
        ]);
        for c in &self.conditions {
            let from = if c.keys.is_empty() {
                c.source.clone()
            } else {
                let keys: Vec<&str> = c.keys.keys().map(String::as_str).collect();
                format!("{}: {}", c.source, keys.join(", "))
            };
            let ids: Vec<String> = c
                .seeds
                .iter()
                .map(|s| match s {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            table.rows.push(vec![
                style.escape(&c.label),
                style.escape(&from),
                c.seeds.len().to_string(),
                style.escape(&ids.join(", ")),
                c.runs.len().to_string(),
                style.escape(&c.metrics.join(", ")),
            ]);
        }
        if !self.metadata_keys.is_empty() {
            let mut shown: Vec<&str> = self
                .metadata_keys
                .iter()
                .take(LISTED_KEYS)
                .map(String::as_str)
                .collect();
            if self.metadata_keys.len() > LISTED_KEYS {
                shown.push("…");
            }
            table.notes.push(style.escape(&format!(
                "Read as metadata, not metrics ({} keys; --metric KEY reads a numeric one as a metric): {}",
                self.metadata_keys.len(),
                shown.join(", ")
            )));
        }
        for s in &self.skipped {
            table
                .notes
                .push(style.escape(&format!("Skipped: {} — {}", s.path, s.reason)));
        }
        for n in &self.notes {
            table
                .notes
                .push(style.escape(&format!("Note: {} — {}", n.path, n.note)));
        }
        for r in &self.repeats {
            table.notes.push(style.escape(&format!(
                "Repeat (not a seed): {} of seed {} in {}",
                r.path, r.seed, r.condition
            )));
        }
        table
    }

    fn records(&self) -> Vec<serde_json::Value> {
        self.conditions
            .iter()
            .map(|c| {
                json!({
                    "condition": c.condition,
                    "label": c.label,
                    "source": c.source,
                    "keys": c.keys.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; "),
                    "n_seeds": c.seeds.len(),
                    "n_runs": c.runs.len(),
                    "metrics": c.metrics.join(" "),
                })
            })
            .collect()
    }
}
