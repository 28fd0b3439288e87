//! The layout of `xreport curves` as a table: one row per condition ×
//! metric × step, mean and bootstrap CI; the caption the plot shares.

use serde_json::{Value, json};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report, notes};
use crate::analysis::curves::CurvesReport;

impl Report for CurvesReport {
    fn kind(&self) -> &'static str {
        "curves"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let level = format!("{}%", format::percent(self.settings.confidence));
        let mut table = Table::new(vec![
            table::left("Condition"),
            table::left("Metric"),
            table::right("Step"),
            table::right("n"),
            table::right("Mean"),
            table::right(style.escape(&format!("{level} bootstrap CI"))),
        ]);
        let d = format::decimals(None, output.digits);
        for c in &self.curves {
            let condition = self.labels.get(&c.condition).unwrap_or(&c.condition);
            for p in &c.points {
                table.rows.push(vec![
                    style.escape(condition),
                    style.escape(&c.metric),
                    p.step.to_string(),
                    p.n.to_string(),
                    format::fixed(p.mean, d),
                    format::interval(p.ci, d),
                ]);
            }
        }
        table.caption = Some(
            style.escape(
                &output
                    .caption
                    .clone()
                    .unwrap_or_else(|| caption_parts(self).join("; ")),
            ),
        );
        table.label = output.label.clone();
        table.fragment = output.fragment;
        table.notes.extend(
            self.skipped
                .iter()
                .map(|s| style.escape(&notes::skipped(s))),
        );
        table
            .notes
            .extend(self.notes.iter().map(|n| style.escape(n)));
        table
    }

    fn records(&self) -> Vec<Value> {
        self.curves
            .iter()
            .flat_map(|c| {
                c.points.iter().map(move |p| {
                    json!({
                        "condition": c.condition,
                        "metric": c.metric,
                        "step": p.step,
                        "n": p.n,
                        "mean": p.mean,
                        "ci_lo": p.ci.map(|c| c[0]),
                        "ci_hi": p.ci.map(|c| c[1]),
                    })
                })
            })
            .collect()
    }
}

/// The caption in parts (what the band is, the smoothing, the step cut),
/// one per line of the plot's footer, joined by `; ` in tables. ASCII only,
/// so the LaTeX caption compiles with pdflatex's default input encoding.
pub fn caption_parts(report: &CurvesReport) -> Vec<String> {
    let mut parts = vec![format!(
        "Mean over seeds with a {}% {} bootstrap CI ({} resamples, seed {})",
        format::percent(report.settings.confidence),
        report.settings.ci_method.name(),
        report.settings.resamples,
        report.settings.seed
    )];
    if let Some(w) = report.settings.smooth {
        parts.push(format!(
            "each seed's curve smoothed by an EMA s = w*s_prev + (1-w)*x, w = {w}"
        ));
    }
    if let Some(m) = report.settings.max_step {
        parts.push(format!("steps <= {m}"));
    }
    parts
}
