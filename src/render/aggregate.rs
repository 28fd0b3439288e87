//! The layout of `xreport aggregate`: one row per method, the aggregates
//! with their stratified bootstrap CIs, tasks above the threshold and
//! P(method > other); what the scores are in the notes.

use serde_json::{Map, Value};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report, notes};
use crate::analysis::aggregate::AggregateReport;
use crate::stats::aggregate::Aggregate;

impl Report for AggregateReport {
    fn kind(&self) -> &'static str {
        "aggregate"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let d = output.digits.unwrap_or(3);
        let threshold = format::fixed(self.settings.threshold, 2)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
        let mut columns = vec![
            table::left("Method"),
            table::right("Runs"),
            table::right(style.escape(&format!("Tasks ≥ {threshold}"))),
        ];
        for &metric in &self.settings.metrics {
            columns.push(table::right(format!(
                "{} {}",
                header(metric),
                style.arrow(metric.lower_is_better())
            )));
        }
        if let Some(first) = self.prob_improvement.first() {
            columns.push(table::right(
                style.escape(&format!("P({} > method)", first.method)),
            ));
        }
        let mut table = Table::new(columns);
        let best: Vec<Option<f64>> = self
            .settings
            .metrics
            .iter()
            .map(|&metric| {
                let values = self
                    .aggregates
                    .iter()
                    .filter(|r| r.metric == metric)
                    .filter_map(|r| r.estimate.map(|v| format::fixed(v, d)))
                    .filter_map(|s| s.parse::<f64>().ok());
                if self.inputs.len() < 2 {
                    None
                } else if metric.lower_is_better() {
                    values.reduce(f64::min)
                } else {
                    values.reduce(f64::max)
                }
            })
            .collect();
        let best_count = self.tasks_above.iter().map(|t| t.count).max();
        for input in &self.inputs {
            let runs = if input.runs[0] == input.runs[1] {
                input.runs[0].to_string()
            } else {
                format!("{}–{}", input.runs[0], input.runs[1])
            };
            let count = self
                .tasks_above
                .iter()
                .find(|t| t.method == input.method)
                .map(|t| t.count);
            let count_cell = match count {
                Some(c) if self.inputs.len() > 1 && Some(c) == best_count => {
                    style.bold(&c.to_string())
                }
                Some(c) => c.to_string(),
                None => format::UNDEFINED.to_string(),
            };
            let mut row = vec![style.escape(&input.method), runs, count_cell];
            for (&metric, best) in self.settings.metrics.iter().zip(&best) {
                let r = self.row(&input.method, metric);
                let estimate = r.and_then(|r| r.estimate);
                let mut cell = format::opt(estimate, d);
                if estimate.is_some() && best.is_some_and(|b| format::fixed(b, d) == cell) {
                    cell = style.bold(&cell);
                }
                if let Some(ci) = r.and_then(|r| r.ci) {
                    cell = format!("{cell} {}", format::interval(Some(ci), d));
                }
                row.push(cell);
            }
            if !self.prob_improvement.is_empty() {
                let cell = match self
                    .prob_improvement
                    .iter()
                    .find(|p| p.other == input.method)
                {
                    Some(p) => {
                        let mut cell = format::opt(p.estimate, d);
                        if p.ci.is_some() {
                            cell = format!("{cell} {}", format::interval(p.ci, d));
                        }
                        cell
                    }
                    None => format::UNDEFINED.to_string(),
                };
                row.push(cell);
            }
            table.rows.push(row);
        }
        notes::frame(&mut table, style, output);
        table.notes = table_notes(self, style);
        table
    }

    fn records(&self) -> Vec<Value> {
        self.inputs
            .iter()
            .map(|input| {
                let mut record = Map::new();
                record.insert("method".into(), Value::from(input.method.clone()));
                record.insert("source".into(), Value::from(input.source.clone()));
                record.insert("tasks".into(), Value::from(input.tasks));
                record.insert("runs_min".into(), Value::from(input.runs[0]));
                record.insert("runs_max".into(), Value::from(input.runs[1]));
                let count = self
                    .tasks_above
                    .iter()
                    .find(|t| t.method == input.method)
                    .map(|t| t.count);
                record.insert("tasks_above".into(), Value::from(count));
                for &metric in &self.settings.metrics {
                    let r = self.row(&input.method, metric);
                    let name = metric.name();
                    record.insert(name.into(), Value::from(r.and_then(|r| r.estimate)));
                    let ci = r.and_then(|r| r.ci);
                    record.insert(format!("{name}_lo"), Value::from(ci.map(|c| c[0])));
                    record.insert(format!("{name}_hi"), Value::from(ci.map(|c| c[1])));
                }
                if let Some(first) = self.prob_improvement.first() {
                    let p = self
                        .prob_improvement
                        .iter()
                        .find(|p| p.other == input.method);
                    let name = format!("prob_{}_better", first.method);
                    record.insert(name.clone(), Value::from(p.and_then(|p| p.estimate)));
                    let ci = p.and_then(|p| p.ci);
                    record.insert(format!("{name}_lo"), Value::from(ci.map(|c| c[0])));
                    record.insert(format!("{name}_hi"), Value::from(ci.map(|c| c[1])));
                }
                Value::Object(record)
            })
            .collect()
    }
}

/// A column header of an aggregate.
fn header(metric: Aggregate) -> &'static str {
    match metric {
        Aggregate::Mean => "Mean",
        Aggregate::Median => "Median",
        Aggregate::Iqm => "IQM",
        Aggregate::OptimalityGap => "Optimality gap",
    }
}

/// What the numbers are (the first note, which a LaTeX caption carries), the
/// definitions, skipped inputs and per-method caveats.
fn table_notes(report: &AggregateReport, style: Style) -> Vec<String> {
    let s = &report.settings;
    let mut lines = Vec::new();
    // The first note is the one a LaTeX caption carries: what the numbers are.
    let scores = match (&report.normalization.random, &report.normalization.human) {
        (Some(lo), Some(hi)) if lo == hi => format!(
            "Scores normalised per task as (x − low)/(high − low), reference scores from {lo}."
        ),
        (Some(lo), Some(hi)) => format!(
            "Scores normalised per task as (x − random)/(human − random), random from {lo}, human from {hi}."
        ),
        _ => "Scores as given (not normalised).".to_string(),
    };
    lines.push(format!(
        "{scores} Intervals: {}% stratified bootstrap (runs resampled within each task), {}, {} resamples, seed {}.",
        format::percent(s.confidence),
        s.ci_method.name(),
        s.resamples,
        s.seed
    ));
    lines.push(format!(
        "Mean, IQM (25% trimmed mean, as scipy.stats.trim_mean) and optimality gap (γ = {}) over every run × task score; median over tasks of the per-task mean; Tasks ≥ {}: tasks whose mean score is at least {}.",
        s.gamma, s.threshold, s.threshold
    ));
    if let Some(first) = report.prob_improvement.first() {
        lines.push(format!(
            "P({} > method): the probability that a run of {} scores higher than a run of the method on a task (ties count ½), averaged over tasks.",
            first.method, first.method
        ));
    }
    for skip in &report.skipped {
        lines.push(format!("{}.", notes::skipped(skip)));
    }
    lines.extend(report.notes.iter().cloned());
    lines.into_iter().map(|n| style.escape(&n)).collect()
}
