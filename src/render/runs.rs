//! The layout of `xreport runs`: one row per condition, then what was set
//! aside, skipped or repeated.

use serde_json::json;

use super::Output;
use super::Report;
use super::format::Style;
use super::notes;
use super::table::{self, Table};
use crate::analysis::runs::RunsReport;

/// Metadata keys listed by name in the notes; the JSON has all of them.
const LISTED_KEYS: usize = 20;

/// Up to [`LISTED_KEYS`] keys, then `…`; the JSON has all of them.
fn listed(keys: &[String]) -> String {
    let mut shown: Vec<&str> = keys.iter().take(LISTED_KEYS).map(String::as_str).collect();
    if keys.len() > LISTED_KEYS {
        shown.push("…");
    }
    shown.join(", ")
}

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
        for group in &self.set_aside {
            let example = group.runs.first().map(String::as_str).unwrap_or_default();
            let runs = match group.runs.len() {
                1 => example.to_string(),
                n => format!("{n} runs ({example}, …)"),
            };
            table.notes.push(style.escape(&format!(
                "Numbers set aside as metadata in {runs}; --metric KEY reads one as a metric: {}",
                listed(&group.keys)
            )));
        }
        let numeric: std::collections::BTreeSet<&String> =
            self.set_aside.iter().flat_map(|g| &g.keys).collect();
        let other: Vec<String> = self
            .metadata_keys
            .iter()
            .filter(|k| !numeric.contains(k))
            .cloned()
            .collect();
        if !other.is_empty() {
            table.notes.push(style.escape(&format!(
                "Other metadata ({} keys: text, lists, logger and tool settings): {}",
                other.len(),
                listed(&other)
            )));
        }
        table.notes.extend(
            self.skipped
                .iter()
                .map(|s| style.escape(&notes::skipped(s))),
        );
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
