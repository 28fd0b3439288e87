//! The layout of `xreport rank`: one row per method in rank order, its mean
//! rank and letters (optionally each task's mean score); the Friedman test,
//! the post-hoc test and what was dropped in the notes.

use serde_json::{Map, Value};

use super::format::{self, Style};
use super::table::{self, Table};
use super::{Output, Report, notes};
use crate::analysis::direction::Direction;
use crate::analysis::options::Posthoc;
use crate::analysis::rank::RankReport;
use crate::stats;

/// Decimals of a mean rank (multiples of 1/N).
const RANK_DIGITS: usize = 2;

impl Report for RankReport {
    fn kind(&self) -> &'static str {
        "rank"
    }

    fn table(&self, style: Style, output: &Output) -> Table {
        let rank_digits = output.digits.unwrap_or(RANK_DIGITS);
        let mut columns = vec![
            table::left("Method"),
            table::right("Mean rank ↓"),
            table::left("Letters"),
        ];
        if style == Style::Latex {
            columns[1] = table::right(format!("Mean rank {}", style.arrow(true)));
        }
        let tasks: &[String] = if output.per_task { &self.tasks } else { &[] };
        let arrow = style.arrow(self.direction == Direction::Lower);
        for task in tasks {
            columns.push(table::right(format!("{} {arrow}", style.escape(task))));
        }
        let mut table = Table::new(columns);
        // One number of decimals per task column: the median std over seeds
        // of its methods to 2 significant digits, as a mean ± std in xreport.
        let decimals: Vec<usize> = tasks
            .iter()
            .map(|task| {
                let stds: Vec<f64> = self
                    .scores
                    .iter()
                    .filter(|s| &s.task == task)
                    .filter_map(|s| s.std)
                    .filter(|s| *s > 0.0)
                    .collect();
                format::decimals(stats::describe::median(&stds), output.digits)
            })
            .collect();
        let best: Vec<Option<String>> = tasks
            .iter()
            .zip(&decimals)
            .map(|(task, &d)| {
                let values = self
                    .scores
                    .iter()
                    .filter(|s| &s.task == task)
                    .filter_map(|s| s.mean);
                let best = match self.direction {
                    Direction::Lower => values.reduce(f64::min),
                    Direction::Higher => values.reduce(f64::max),
                };
                best.map(|b| format::fixed(b, d))
            })
            .collect();
        let best_rank = self
            .methods
            .first()
            .map(|m| format::fixed(m.mean_rank, rank_digits));
        for m in &self.methods {
            let mut rank = format::fixed(m.mean_rank, rank_digits);
            if best_rank.as_ref() == Some(&rank) {
                rank = style.bold(&rank);
            }
            let mut row = vec![style.escape(&m.method), rank, m.letters.clone()];
            for ((task, &d), best) in tasks.iter().zip(&decimals).zip(&best) {
                let mean = self
                    .scores
                    .iter()
                    .find(|s| s.method == m.method && &s.task == task)
                    .and_then(|s| s.mean);
                let cell = format::opt(mean, d);
                row.push(match best {
                    Some(b) if mean.is_some() && *b == cell => style.bold(&cell),
                    _ => cell,
                });
            }
            table.rows.push(row);
        }
        notes::frame(&mut table, style, output);
        table.notes = table_notes(self)
            .into_iter()
            .map(|n| style.escape(&n))
            .collect();
        table
    }

    fn records(&self) -> Vec<Value> {
        self.methods
            .iter()
            .map(|m| {
                let mut record = Map::new();
                record.insert("method".into(), Value::from(m.method.clone()));
                record.insert("mean_rank".into(), Value::from(m.mean_rank));
                record.insert("letters".into(), Value::from(m.letters.clone()));
                for task in &self.tasks {
                    let mean = self
                        .scores
                        .iter()
                        .find(|s| s.method == m.method && &s.task == task)
                        .and_then(|s| s.mean);
                    record.insert(task.clone(), Value::from(mean));
                }
                Value::Object(record)
            })
            .collect()
    }
}

/// The sentence of the post-hoc test: which, at what α, with what correction.
pub fn posthoc_sentence(report: &RankReport) -> String {
    let p = &report.posthoc;
    let correction = report
        .settings
        .correction
        .map(|c| c.name())
        .unwrap_or("none");
    match p.method {
        Posthoc::Nemenyi => format!(
            "Nemenyi test, α = {}: critical difference CD = {}.",
            p.alpha,
            format::fixed(p.cd.unwrap_or(f64::NAN), 3)
        ),
        Posthoc::WilcoxonHolm => format!(
            "Pairwise Wilcoxon signed-rank tests on the per-task scores, {correction} correction, α = {}.",
            p.alpha
        ),
        Posthoc::BonferroniDunn => format!(
            "Bonferroni–Dunn test against {}, {correction} correction, α = {}.",
            report.settings.control.as_deref().unwrap_or_default(),
            p.alpha
        ),
    }
}

/// The Friedman and Iman–Davenport results in a sentence.
pub fn friedman_sentence(report: &RankReport) -> String {
    let f = &report.friedman;
    let Some(statistic) = f.statistic else {
        return "Friedman test undefined (every task ties every method).".to_string();
    };
    let id = match f.iman_davenport_f {
        Some(value) => format!(
            "{}, p {}",
            format::fixed(value, 2),
            p_text(f.iman_davenport_p)
        ),
        None => "∞, p = 0".to_string(),
    };
    format!(
        "Friedman χ²({}) = {}, p {}; Iman–Davenport F({}, {}) = {id}.",
        f.df,
        format::fixed(statistic, 2),
        p_text(f.p_value),
        f.iman_davenport_df[0],
        f.iman_davenport_df[1],
    )
}

/// `= 0.012` or `< 0.0001`.
fn p_text(p: Option<f64>) -> String {
    let text = format::p_value(p);
    if text.starts_with('<') {
        text
    } else {
        format!("= {text}")
    }
}

/// What the table shows (the first note, a LaTeX caption's), the tests, and
/// what was dropped or filled in.
fn table_notes(report: &RankReport) -> Vec<String> {
    let mut lines = vec![format!(
        "Mean rank of each method over {} tasks (1 = best; {} {} is better; ties share the average rank; a method's score on a task is its mean over seeds). {} {} Methods sharing a letter are not significantly different.",
        report.tasks.len(),
        report.direction.name(),
        report.metric,
        friedman_sentence(report),
        posthoc_sentence(report),
    )];
    if !report.cliques.is_empty() {
        let cliques: Vec<String> = report
            .cliques
            .iter()
            .map(|c| format!("[{}]", c.join(", ")))
            .collect();
        lines.push(format!(
            "Not significantly different: {}.",
            cliques.join(", ")
        ));
    }
    for d in &report.dropped_tasks {
        lines.push(format!(
            "Dropped task {}: no score for {} (--missing worst ranks a missing method last instead).",
            d.task,
            d.missing.join(", ")
        ));
    }
    for skip in &report.skipped {
        lines.push(format!("{}.", notes::skipped(skip)));
    }
    lines.extend(report.notes.iter().cloned());
    lines
}
