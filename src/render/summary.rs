//! The layout of `xreport summary`: one row per condition × metric, the
//! best mean of each metric in bold, the shared notes under the table.

use serde_json::{Value, json};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report};
use super::{examples, notes};
use crate::analysis::direction::Direction;
use crate::analysis::report::MetricInfo;
use crate::analysis::summary::{GroupStats, SummaryReport};

impl Report for SummaryReport {
    fn kind(&self) -> &'static str {
        "summary"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let level = format::percent(self.settings.confidence);
        let mut table = Table::new(vec![
            table::left("Condition"),
            table::left("Metric"),
            table::right("n"),
            table::right(format!("Mean {} std", style.pm())),
            table::right("SEM"),
            table::right("Median"),
            table::right("Min"),
            table::right("Max"),
            table::right(style.escape(&format!("{level}% t-CI"))),
            table::right(style.escape(&format!("{level}% bootstrap CI"))),
        ]);
        let best = best_means(&self.groups, &self.metrics);
        for (i, g) in self.groups.iter().enumerate() {
            let info = self.metrics.iter().find(|m| m.name == g.metric);
            let d = format::decimals(g.std, digits(output, info));
            let mut cell = style.mean_std(g.mean, g.std, d);
            if best.contains(&i) {
                cell = style.bold(&cell);
            }
            let arrow = info
                .map(|m| style.arrow(m.direction == Direction::Lower))
                .unwrap_or("");
            let label = info.map(|m| m.label.as_str()).unwrap_or(&g.metric);
            let condition = self.labels.get(&g.condition).unwrap_or(&g.condition);
            table.rows.push(vec![
                style.escape(condition),
                format!("{} {arrow}", style.escape(label)),
                g.n.to_string(),
                cell,
                format::opt(g.sem, d + 1),
                format::opt(g.median, d),
                format::opt(g.min, d),
                format::opt(g.max, d),
                format::interval(g.t_ci, d),
                format::interval(g.bootstrap_ci, d),
            ]);
        }
        notes::frame(&mut table, style, output);
        table.notes = notes::common(style, &self.settings, &self.skipped, &self.repeats);
        table.notes.extend(notes::groups(style, &self.groups));
        if let Some(ex) = &self.examples {
            table.notes.push(style.escape(&examples::settings(ex)));
            let confidence = self.settings.confidence;
            table
                .notes
                .extend(examples::groups(style, &self.groups, confidence));
        }
        table
    }

    fn records(&self) -> Vec<Value> {
        self.groups
            .iter()
            .map(|g| {
                json!({
                    "condition": g.condition,
                    "metric": g.metric,
                    "n": g.n,
                    "mean": g.mean,
                    "std": g.std,
                    "sem": g.sem,
                    "median": g.median,
                    "min": g.min,
                    "max": g.max,
                    "t_ci_lo": g.t_ci.map(|c| c[0]),
                    "t_ci_hi": g.t_ci.map(|c| c[1]),
                    "bootstrap_ci_lo": g.bootstrap_ci.map(|c| c[0]),
                    "bootstrap_ci_hi": g.bootstrap_ci.map(|c| c[1]),
                    "seeds": g.seeds.iter().map(|s| s.to_string().trim_matches('"').to_string()).collect::<Vec<_>>().join(" "),
                })
            })
            .collect()
    }
}

/// Fixed decimals: `--digits`, else the study file's digits of the metric.
pub(super) fn digits(output: &Output, info: Option<&MetricInfo>) -> Option<usize> {
    output.digits.or(info.and_then(|m| m.digits))
}

/// Indices of the groups with the best mean of their metric (direction-aware).
pub(super) fn best_means(groups: &[GroupStats], metrics: &[MetricInfo]) -> Vec<usize> {
    let mut best = Vec::new();
    for info in metrics {
        let candidates: Vec<(usize, f64)> = groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.metric == info.name)
            .filter_map(|(i, g)| g.mean.map(|m| (i, m)))
            .collect();
        if candidates.len() < 2 {
            continue;
        }
        let top = candidates
            .iter()
            .map(|c| c.1)
            .reduce(|a, b| if info.direction.better(b, a) { b } else { a });
        if let Some(top) = top {
            best.extend(candidates.iter().filter(|c| c.1 == top).map(|c| c.0));
        }
    }
    best
}
