//! The layout of `xreport ablation`: the full model, then one row per
//! removed component, mean ± std and Δ per metric; siunitx `S` columns on
//! request.

use serde_json::{Value, json};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report, compare, notes, summary};
use crate::analysis::ablation::AblationReport;
use crate::analysis::direction::Direction;

impl Report for AblationReport {
    fn kind(&self) -> &'static str {
        "ablation"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let siunitx = output.siunitx && style == Style::Latex;
        // siunitx S columns take non-numbers in braces.
        let text = |s: String| if siunitx { format!("{{{s}}}") } else { s };
        let mut columns = vec![table::left("Configuration")];
        for info in &self.metrics {
            columns.push(table::right(text(format!(
                "{} {}",
                style.escape(&info.label),
                style.arrow(info.direction == Direction::Lower)
            ))));
            columns.push(table::right(text(style.escape("Δ"))));
        }
        let mut table = Table::new(columns);
        if siunitx {
            // Bold must reach siunitx's math font: text-series-to-math (siunitx v3).
            let numeric = "S[separate-uncertainty=true, table-align-uncertainty=true, reset-text-series=false, text-series-to-math=true, propagate-math-font=true]";
            table.spec = std::iter::once("l".to_string())
                .chain(
                    self.metrics
                        .iter()
                        .flat_map(|_| [numeric.to_string(), "l".to_string()]),
                )
                .collect();
        }
        let best = summary::best_means(&self.groups, &self.metrics);
        for (r, row) in self.rows.iter().enumerate() {
            let mut cells = vec![style.escape(&row.label)];
            for info in &self.metrics {
                let full_std = self
                    .group_of(&self.full, &info.name)
                    .and_then(|(_, g)| g.std);
                let d = format::decimals(full_std, summary::digits(output, Some(info)));
                let Some((i, g)) = self.group_of(&row.condition, &info.name) else {
                    cells.push(text(format::UNDEFINED.into()));
                    cells.push(text(format::UNDEFINED.into()));
                    continue;
                };
                let mut cell = style.mean_std(g.mean, g.std, d);
                if siunitx {
                    // Inside an S column the sign is siunitx's, not math mode's.
                    cell = cell.replace(style.pm(), "\\pm");
                }
                if best.contains(&i) {
                    cell = if siunitx {
                        format!("\\bfseries {cell}")
                    } else {
                        style.bold(&cell)
                    };
                }
                if siunitx && g.std.is_none() {
                    cell = text(cell);
                }
                cells.push(cell);
                let delta = match (r, self.comparison_of(&row.condition, &info.name)) {
                    (0, _) | (_, None) => format::UNDEFINED.to_string(),
                    (_, Some(c)) => {
                        let mut s = c.diff.map_or_else(
                            || format::UNDEFINED.to_string(),
                            |v| format::signed(v, d),
                        );
                        if c.significant {
                            s.push_str(style.dagger());
                        }
                        s
                    }
                };
                cells.push(if siunitx { text(delta) } else { delta });
            }
            table.rows.push(cells);
        }
        table.rules_after = vec![0];
        let seeds: Vec<(String, usize)> = self
            .rows
            .iter()
            .map(|r| {
                let n = self
                    .groups
                    .iter()
                    .filter(|g| g.condition == r.condition)
                    .map(|g| g.n)
                    .max();
                (r.label.clone(), n.unwrap_or(0))
            })
            .collect();
        let caption = output.caption.clone().unwrap_or_else(|| {
            format!(
                "Ablation of {}: mean ± std over seeds; Δ = configuration − full model.",
                self.full
            )
        });
        table.caption = Some(style.escape(&caption));
        table.label = output.label.clone().or_else(|| Some("tab:ablation".into()));
        table.fragment = output.fragment;
        table.notes.push(style.escape(&notes::method(
            &self.settings,
            &seeds,
            "ablation rows",
            false,
        )));
        let labels = |conditions: &[String]| -> String {
            let names: Vec<&str> = conditions.iter().map(|c| self.label_of(c)).collect();
            names.join(", ")
        };
        let rule = match &self.settings.equivalence {
            Some(margin) => format!(
                "removal equivalent to the full model within ±{margin} on every metric, TOST at α = {}",
                self.settings.alpha
            ),
            None => "removal within noise on every metric".to_string(),
        };
        if !self.not_earning.is_empty() {
            table.notes.push(style.escape(&format!(
                "Not earning their place ({rule}): {}.",
                labels(&self.not_earning)
            )));
        }
        if let Some(undecided) = self.undecided.as_ref().filter(|u| !u.is_empty()) {
            table.notes.push(style.escape(&format!(
                "Undecided (no significant change, not shown equivalent; more seeds decide): {}.",
                labels(undecided)
            )));
        }
        for c in &self.comparisons {
            for note in &c.notes {
                table.notes.push(style.escape(&format!(
                    "{} / {}: {note}",
                    self.label_of(&c.treatment),
                    c.metric
                )));
            }
        }
        table
            .notes
            .extend(self.skipped.iter().map(|s| notes::skipped_note(style, s)));
        table
    }

    fn records(&self) -> Vec<Value> {
        let mut out = Vec::new();
        for row in &self.rows {
            for info in &self.metrics {
                let g = self.group_of(&row.condition, &info.name).map(|(_, g)| g);
                let c = self.comparison_of(&row.condition, &info.name);
                let mut record = json!({
                    "condition": row.condition,
                    "label": row.label,
                    "metric": info.name,
                    "n": g.map(|g| g.n),
                    "mean": g.and_then(|g| g.mean),
                    "std": g.and_then(|g| g.std),
                    "diff": c.and_then(|c| c.diff),
                    "p_value": c.and_then(|c| c.p_value),
                    "p_adjusted": c.and_then(|c| c.p_adjusted),
                    "significant": c.map(|c| c.significant),
                    "verdict": c.map(|c| c.verdict.name()),
                });
                compare::add_equivalence_columns(
                    &mut record,
                    c.and_then(|c| c.equivalence.as_ref()),
                );
                out.push(record);
            }
        }
        out
    }
}
